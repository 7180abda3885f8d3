//! Summary-level figures on data the model never trained on: a summary is judged
//! inconsistent when any of its sentences is judged changed or unsupported with probability
//! above a threshold chosen on the calibration part, beside a word-only baseline (the share
//! of the summary's content words missing from the source) thresholded the same way.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use serde::Deserialize;
use serde_json::json;
use stemma::collate::entail::Entailer;

use crate::data::{self, read_jsonl};
use crate::pairs::{self, Retriever, Split, content_stems, frank_sentences, sentences_of};

/// A FRANK record with the fields this binary uses.
#[derive(Debug, Clone, Deserialize)]
pub struct FrankRecord {
    pub hash: String,
    pub article: String,
    pub summary: String,
    pub label: u8,
}

pub fn frank_records(data_dir: &Path) -> Result<Vec<FrankRecord>> {
    read_jsonl(&data_dir.join("frank/cnndm.jsonl"))
}

/// One summary to judge: its sentences with their passages, whether it is inconsistent, and
/// the baseline's score.
struct Case {
    set: String,
    pairs: Vec<(String, String)>,
    inconsistent: bool,
    missing_share: f32,
}

fn case(
    set: String,
    doc: &str,
    sentences: Vec<String>,
    inconsistent: bool,
    retriever: &Retriever,
) -> Case {
    let doc_stems: HashSet<String> = content_stems(doc).into_iter().collect();
    let summary_stems: Vec<String> = sentences.iter().flat_map(|s| content_stems(s)).collect();
    let missing = summary_stems
        .iter()
        .filter(|stem| !doc_stems.contains(*stem))
        .count();
    Case {
        set,
        pairs: sentences
            .into_iter()
            .map(|sentence| (retriever.passage(&sentence, None), sentence))
            .collect(),
        inconsistent,
        missing_share: missing as f32 / summary_stems.len().max(1) as f32,
    }
}

/// Balanced accuracy of "inconsistent when score > threshold".
fn balanced_accuracy(scored: &[(f32, bool)], threshold: f32) -> f64 {
    let (mut tp, mut positives, mut tn, mut negatives) = (0, 0, 0, 0);
    for &(score, inconsistent) in scored {
        if inconsistent {
            positives += 1;
            tp += usize::from(score > threshold);
        } else {
            negatives += 1;
            tn += usize::from(score <= threshold);
        }
    }
    let rate = |hit: usize, of: usize| if of == 0 { 0.0 } else { hit as f64 / of as f64 };
    (rate(tp, positives) + rate(tn, negatives)) / 2.0
}

/// The threshold with the best balanced accuracy (midway between neighbouring scores).
fn best_threshold(scored: &[(f32, bool)]) -> f32 {
    let mut scores: Vec<f32> = scored.iter().map(|&(score, _)| score).collect();
    scores.sort_by(f32::total_cmp);
    scores.dedup();
    let mut best = (f64::MIN, 0.5);
    for window in scores.windows(2) {
        let threshold = (window[0] + window[1]) / 2.0;
        let accuracy = balanced_accuracy(scored, threshold);
        if accuracy > best.0 {
            best = (accuracy, threshold);
        }
    }
    best.1
}

/// Area under the ROC curve: the chance that an inconsistent summary outscores a
/// consistent one (ties count half).
fn auc(scored: &[(f32, bool)]) -> f64 {
    let positives: Vec<f32> = scored.iter().filter(|s| s.1).map(|s| s.0).collect();
    let negatives: Vec<f32> = scored.iter().filter(|s| !s.1).map(|s| s.0).collect();
    let mut wins = 0.0;
    for p in &positives {
        for n in &negatives {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (positives.len() * negatives.len()).max(1) as f64
}

fn take_limited<T>(items: Vec<T>, limit: usize) -> Vec<T> {
    if limit == 0 {
        items
    } else {
        items.into_iter().take(limit).collect()
    }
}

/// Judges every calibration and held-out summary; returns the figures.
pub fn run(entailer: &Entailer, data_dir: &Path, limit: usize) -> Result<serde_json::Value> {
    let mut cases = Vec::new();
    let summedits = data::summedits(data_dir)?;
    let mut retrievers: HashMap<&str, Retriever> = HashMap::new();
    for split in [Split::Calibrate, Split::HeldOut] {
        let records: Vec<&data::SummEdit> = summedits
            .iter()
            .filter(|record| pairs::summedits_split(record) == split)
            .collect();
        for record in take_limited(records, limit) {
            let retriever = retrievers
                .entry(record.doc.as_str())
                .or_insert_with(|| Retriever::new(sentences_of(&record.doc)));
            let set = match split {
                Split::HeldOut => format!("summedits {}", record.domain),
                _ => "calibrate".to_owned(),
            };
            cases.push(case(
                set,
                &record.doc,
                sentences_of(&record.summary),
                record.label == 0,
                retriever,
            ));
        }
    }
    let frank = frank_records(data_dir)?;
    for split in [Split::Calibrate, Split::HeldOut] {
        let records: Vec<&FrankRecord> = frank
            .iter()
            .filter(|record| pairs::frank_split(&record.hash) == split)
            .collect();
        for record in take_limited(records, limit) {
            let retriever = retrievers
                .entry(record.article.as_str())
                .or_insert_with(|| Retriever::new(sentences_of(&record.article)));
            let set = match split {
                Split::HeldOut => "frank".to_owned(),
                _ => "calibrate".to_owned(),
            };
            cases.push(case(
                set,
                &record.article,
                frank_sentences(&record.summary),
                record.label == 0,
                retriever,
            ));
        }
    }

    // A sentence recurs unchanged across a seed summary's edits: judge each pair once.
    let mut unique: Vec<(&str, &str)> = Vec::new();
    let mut index_of: HashMap<(&str, &str), usize> = HashMap::new();
    for case in &cases {
        for (passage, sentence) in &case.pairs {
            let key = (passage.as_str(), sentence.as_str());
            index_of.entry(key).or_insert_with(|| {
                unique.push(key);
                unique.len() - 1
            });
        }
    }
    let started = Instant::now();
    let judged = entailer.judge(&unique)?;
    let seconds = started.elapsed().as_secs_f64();
    let pairs_per_second = unique.len() as f64 / seconds;
    eprintln!("judged {} pairs in {seconds:.0} s", unique.len());

    let mut model_scores: HashMap<&str, Vec<(f32, bool)>> = HashMap::new();
    let mut baseline_scores: HashMap<&str, Vec<(f32, bool)>> = HashMap::new();
    for case in &cases {
        let score = case
            .pairs
            .iter()
            .map(|(passage, sentence)| {
                1.0 - judged[index_of[&(passage.as_str(), sentence.as_str())]][0]
            })
            .fold(0.0f32, f32::max);
        let mut sets = vec![case.set.as_str()];
        if case.set.starts_with("summedits") {
            sets.push("summedits held out");
        }
        for set in sets {
            model_scores
                .entry(set)
                .or_default()
                .push((score, case.inconsistent));
            baseline_scores
                .entry(set)
                .or_default()
                .push((case.missing_share, case.inconsistent));
        }
    }
    let calibrate = "calibrate";
    let model_threshold =
        best_threshold(model_scores.get(calibrate).map_or(&[][..], Vec::as_slice));
    let baseline_threshold = best_threshold(
        baseline_scores
            .get(calibrate)
            .map_or(&[][..], Vec::as_slice),
    );
    let mut sets: Vec<&str> = model_scores.keys().copied().collect();
    sets.sort_unstable();
    let mut figures = serde_json::Map::new();
    for set in sets {
        let model = &model_scores[set];
        let baseline = &baseline_scores[set];
        let inconsistent = model.iter().filter(|s| s.1).count();
        let row = json!({
            "summaries": model.len(),
            "inconsistent": inconsistent,
            "balanced_accuracy": round3(balanced_accuracy(model, model_threshold)),
            "auc": round3(auc(model)),
            "baseline_balanced_accuracy": round3(balanced_accuracy(baseline, baseline_threshold)),
            "baseline_auc": round3(auc(baseline)),
        });
        eprintln!("{set:<22} {row}");
        figures.insert(set.to_owned(), row);
    }
    Ok(json!({
        "measured": "2026-12-07",
        "score": "a summary's score is the highest 1 - P(supported) over its sentences, each against its best passage (up to 3 source sentences by idf-weighted shared stems)",
        "threshold": round3(f64::from(model_threshold)),
        "baseline": "share of the summary's content stems absent from the source",
        "baseline_threshold": round3(f64::from(baseline_threshold)),
        "unique_pairs_judged": unique.len(),
        "pairs_per_second": (pairs_per_second * 10.0).round() / 10.0,
        "sets": figures,
    }))
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
