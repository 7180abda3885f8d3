//! The consistency model: is a version consistent with its source? Trained on the
//! SummEdits non-news domains and FRANK CNN/DM (and synthetic edits of BBC articles);
//! judged by leaving one domain out at a time, since stemma meets domains it never saw.

use anyhow::Result;
use rayon::prelude::*;
use stemma::analysis::{AnalyzeConfig, compare};
use stemma::corpus::document_from_text;
use stemma::model::Document;
use stemma::verdict::consistency;

use crate::data::{self, FrankPair, SummEdit};
use crate::learn::{self, Fit, Table};
use crate::{Encoder, Report};

const CONSISTENT: usize = 0;
const INCONSISTENT: usize = 1;

/// One labelled (source, version) pair.
pub struct Example {
    /// Where it comes from: a SummEdits domain, `frank`, or `synthetic`.
    pub domain: String,
    /// Examples of one group share a source text.
    pub group: u64,
    /// The source text.
    pub source: String,
    /// The version text.
    pub version: String,
    /// Consistent with the source.
    pub consistent: bool,
}

/// The labelled pairs: SummEdits domains, FRANK, then synthetic edits of BBC articles.
pub fn examples(seed: u64) -> Result<Vec<Example>> {
    let dir = data::data_dir();
    let mut out = Vec::new();
    for e in data::summedits(&dir)? {
        let e: SummEdit = e;
        out.push(Example {
            domain: e.domain.clone(),
            group: learn::group_of(&e.doc),
            source: e.doc,
            version: e.summary,
            consistent: e.label == 1,
        });
    }
    let frank: Vec<FrankPair> = data::read_jsonl(&dir.join("frank/cnndm.jsonl"))?;
    for e in frank {
        out.push(Example {
            domain: "frank-cnndm".into(),
            group: learn::group_of(&e.hash),
            source: e.article,
            version: e.summary,
            consistent: e.label == 1,
        });
    }
    let articles = data::bbc_articles(&dir)?;
    for e in crate::synth::consistency_examples(&articles, seed, 1) {
        out.push(Example {
            domain: "synthetic-bbc".into(),
            group: learn::group_of(&e.source),
            source: e.source,
            version: e.version,
            consistent: e.consistent,
        });
    }
    Ok(out)
}

fn document(id: &str, text: &str) -> Option<Document> {
    document_from_text(id, id, text).ok()
}

/// The whole-version feature row of an example, and the old rule's verdict.
fn row(
    example: &Example,
    config: &AnalyzeConfig,
    encoder: Option<&Encoder>,
) -> Option<(Vec<f64>, bool)> {
    let source = document("source", &example.source)?;
    let version = document("version", &example.version)?;
    let comparison = compare(&source, &version, config);
    let source_sentences: Vec<&str> = source.sentences.iter().map(|s| s.text.as_str()).collect();
    let cosine = |i: usize| -> f32 {
        let Some(encoder) = encoder else { return 0.0 };
        let text = &version.sentences[i].text;
        source_sentences
            .iter()
            .map(|s| encoder.cosine(s, text))
            .fold(0.0f32, f32::max)
    };
    let rows = consistency::rows(
        &source,
        &version,
        &comparison.pair.links,
        &comparison.drift,
        encoder.map(|_| &cosine as &dyn Fn(usize) -> f32),
    );
    if rows.is_empty() {
        return None;
    }
    let rows: Vec<Vec<f64>> = rows.into_iter().map(|(_, r)| r).collect();
    Some((
        consistency::aggregate(&rows),
        comparison.no_fact_changed_or_added(),
    ))
}

fn how(with_cosine: bool) -> Fit {
    Fit {
        name: "consistency".into(),
        classes: vec!["consistent".into(), "inconsistent".into()],
        features: consistency::features_names(with_cosine),
        alpha: 1.0,
    }
}

/// Builds the table (and the old rule's verdicts, and each row's domain).
fn table(examples: &[Example], encoder: Option<&Encoder>) -> (Table, Vec<bool>, Vec<String>) {
    let config = AnalyzeConfig::default();
    if let Some(encoder) = encoder {
        let mut sentences: Vec<String> = Vec::new();
        for e in examples {
            for text in [&e.source, &e.version] {
                if let Some(d) = document("x", text) {
                    sentences.extend(d.sentences.into_iter().map(|s| s.text));
                }
            }
        }
        let refs: Vec<&str> = sentences.iter().map(String::as_str).collect();
        encoder.prefetch(&refs);
    }
    let rows: Vec<Option<(Vec<f64>, bool)>> = examples
        .par_iter()
        .map(|e| row(e, &config, encoder))
        .collect();
    let mut table = Table::default();
    let mut rule = Vec::new();
    let mut domains = Vec::new();
    for (e, r) in examples.iter().zip(rows) {
        let Some((x, old)) = r else { continue };
        table.push(
            x,
            if e.consistent {
                CONSISTENT
            } else {
                INCONSISTENT
            },
            e.group,
        );
        rule.push(old);
        domains.push(e.domain.clone());
    }
    (table, rule, domains)
}

/// Leave-one-domain-out figures, the fitted model, and the threshold chosen on the pooled
/// held-out predictions.
pub fn run(
    examples: &[Example],
    encoder: Option<&Encoder>,
    seed: u64,
    report: &mut Report,
) -> Result<stemma::verdict::Model> {
    let with_cosine = encoder.is_some();
    let variant = if with_cosine {
        "words + sentence model"
    } else {
        "words"
    };
    let (table, rule, domains) = table(examples, encoder);
    let how = how(with_cosine);
    let mut names: Vec<String> = domains.clone();
    names.sort();
    names.dedup();
    let mut held_out = vec![0.0; table.rows.len()];
    for domain in &names {
        let train = Table {
            rows: (0..table.rows.len())
                .filter(|&i| &domains[i] != domain)
                .map(|i| table.rows[i].clone())
                .collect(),
            labels: (0..table.rows.len())
                .filter(|&i| &domains[i] != domain)
                .map(|i| table.labels[i])
                .collect(),
            groups: (0..table.rows.len())
                .filter(|&i| &domains[i] != domain)
                .map(|i| table.groups[i])
                .collect(),
        };
        let model = learn::fit(&train, &how)?;
        for i in (0..table.rows.len()).filter(|&i| &domains[i] == domain) {
            held_out[i] = model.predict(&table.rows[i])[CONSISTENT];
        }
    }
    let truth: Vec<bool> = table.labels.iter().map(|&l| l == CONSISTENT).collect();
    let (threshold, _) = learn::best_threshold(&held_out, &truth, |b| b.balanced);
    let mut figures = serde_json::Map::new();
    let mut sum = 0.0;
    for domain in &names {
        let idx: Vec<usize> = (0..table.rows.len())
            .filter(|&i| &domains[i] == domain)
            .collect();
        let scores: Vec<f64> = idx.iter().map(|&i| held_out[i]).collect();
        let t: Vec<bool> = idx.iter().map(|&i| truth[i]).collect();
        let b = learn::binary(&scores, &t, threshold);
        sum += b.balanced;
        figures.insert(domain.clone(), serde_json::json!(b.balanced));
        report.row(
            &format!("consistency, {domain} held out"),
            variant,
            "balanced accuracy",
            b.balanced,
        );
        if !with_cosine {
            let old: Vec<f64> = idx.iter().map(|&i| f64::from(u8::from(rule[i]))).collect();
            report.row(
                &format!("consistency, {domain} held out"),
                "old rule (no changed or added fact)",
                "balanced accuracy",
                learn::binary(&old, &t, 0.5).balanced,
            );
        }
    }
    let mean = sum / names.len() as f64;
    report.row(
        "consistency, mean over held-out domains",
        variant,
        "balanced accuracy",
        mean,
    );
    let mut model = learn::fit(&table, &how)?;
    model.threshold = threshold;
    model.trained = serde_json::json!({
        "data": ["summedits-other/*.jsonl", "frank/cnndm.jsonl", "bbc-news/articles.jsonl (synthetic edits, one per article)"],
        "examples": table.rows.len(),
        "seed": seed,
        "alpha": how.alpha,
        "threshold": "maximises balanced accuracy over the pooled leave-one-domain-out predictions",
        "leave_one_domain_out_balanced_accuracy": figures,
        "mean": mean,
    });
    Ok(model)
}
