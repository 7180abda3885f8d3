//! Story membership: the learned score clustering verifies pairs with, and its grouping
//! thresholds, trained on the pairs clustering really verifies.
//!
//! Corpora, each with gold stories:
//!
//! - **BBC**: every article, with versions of some — one recipe of every kind for a sixth
//!   of the articles each (copies, edits, rewrites, summaries, briefs, padded versions),
//!   and, for a fifth of them, the shape of XSum: the article without its first sentence
//!   beside three abstractive one-sentence briefs of that sentence. Articles held out of
//!   the keep model ([`held_out`]) are held out here too: they make the evaluation corpus.
//! - **ECB+ dev**: reports of one event by different outlets, two events of one kind per
//!   topic.
//! - **FRANK CNN/DM**: articles and their five machine summaries.
//! - **Planted versions**: the corpus of the clustering benchmark (`bench/make_corpus.py`),
//!   20,000 documents made from the training articles with a seed of its own (never the
//!   benchmark's 7): six versions of each base (copies, word edits, a truncation, shuffled
//!   paragraphs, a copy wrapped in new text) and Markov filler, news-like text stitched
//!   from short runs of the BBC bodies. The filler is what the other corpora lack: long
//!   texts that share a few rare words and figures with an article (a run of its words,
//!   "7.5bn yen ($71.5m; £38.4m)") but none of its subject. Without it the model read a
//!   long text holding a third of a shorter one's terms as likely its story, and made
//!   251 wrong pairs (filler with planted documents) on the 200,000-document benchmark;
//!   with it, 187, where the hand-set score makes 14.
//!
//! The candidate pairs of each corpus (as clustering finds them) are labelled same story
//! or not, and a logistic regression over the features verification computes learns the
//! probability. The scale that maps it onto clustering's thresholds is then chosen on the
//! training corpora by grid search for the best mean B³ F1, with the learned score in
//! place.

use rayon::prelude::*;
use stemma::cluster::{self, ClusterConfig, STORY_FEATURES};
use stemma::corpus::document_from_text;
use stemma::model::Document;
use stemma::verdict::Model;
use stemma::verdict::story::{Scale, StoryScore};

use crate::data::{self, BbcArticle, EcbDocument, FrankPair};
use crate::dropped::held_out;
use crate::learn::{self, Fit, Table};
use crate::synth::derive::{RECIPES, Recipe};
use crate::{Report, synth};

/// Documents with their gold stories, and a group per document for folds.
#[derive(Default)]
pub struct Corpus {
    name: String,
    documents: Vec<Document>,
    labels: Vec<String>,
    /// Documents that are versions of a training article (the planted corpus's): a pair of
    /// two of them from different articles is a pair of BBC articles the BBC corpus holds
    /// already, and would count there once and here 49 times (seven versions each), so it
    /// is not trained on. Empty for the other corpora.
    versions: Vec<bool>,
}

impl Corpus {
    fn push(&mut self, document: Document, label: &str) {
        self.documents.push(document);
        self.labels.push(label.to_string());
    }
}

/// The recipes whose versions belong to their article's story (partial reuse and other
/// articles do not).
fn story_recipes() -> Vec<Recipe> {
    RECIPES
        .iter()
        .copied()
        .filter(|r| {
            !matches!(
                r,
                Recipe::PartialPassages
                    | Recipe::PartialRoundup
                    | Recipe::SameCategory
                    | Recipe::SameCategoryNear
            )
        })
        .chain([Recipe::BriefMachine])
        .collect()
}

/// Whether `key` falls in the `k`-th of `n` parts.
fn part(key: &str, n: u64, k: u64) -> bool {
    learn::splitmix(learn::group_of(key)) % n == k
}

/// The BBC corpus of the training or the held-out articles (see the module).
pub fn bbc_corpus(held: bool, seed: u64) -> anyhow::Result<Corpus> {
    let articles: Vec<BbcArticle> = data::bbc_articles(&data::data_dir())?
        .into_iter()
        .filter(|a| held_out(&a.id) == held)
        .collect();
    let read = synth::read_articles(&articles);
    let xsum = |id: &str| part(&format!("xsum:{id}"), 5, 0);
    let mut corpus = Corpus {
        name: format!("BBC {}", if held { "held out" } else { "training" }),
        ..Corpus::default()
    };
    for (document, paragraphs) in &read {
        if xsum(&document.id) {
            // The article as XSum gives it: its first sentence is the summary's.
            let mut rest = paragraphs.clone();
            if let Some(first) = rest.first_mut()
                && !first.is_empty()
            {
                first.remove(0);
            }
            let text = synth::join_paragraphs(&rest);
            if let Ok(mut cut) = document_from_text(&document.id, &document.id, &text) {
                cut.title = document.title.clone();
                corpus.push(cut, &document.id);
            }
        } else {
            corpus.push(document.clone(), &document.id);
        }
    }
    for (k, recipe) in story_recipes().into_iter().enumerate() {
        let take = |i: usize| {
            let id = &articles[i].id;
            !xsum(id) && part(&format!("{id}:{}", recipe.name()), 6, 0)
        };
        for e in synth::versions_by(&articles, seed ^ k as u64, &[recipe], take) {
            corpus.push(e.version, &e.source.id);
        }
    }
    for round in 0..3u64 {
        let take = |i: usize| xsum(&articles[i].id);
        for e in synth::versions_by(
            &articles,
            seed.wrapping_add(1000 + round),
            &[Recipe::BriefMachine],
            take,
        ) {
            let mut version = e.version;
            version.id = format!("{}~xsum-brief-{round}", e.source.id);
            corpus.push(version, &e.source.id);
        }
    }
    Ok(corpus)
}

/// Documents in the training planted corpus: a tenth of the benchmark's 200,000 (1,563
/// bases of training articles and 9,059 fillers with the shipped seed), 85,000 training
/// pairs beside the 112,000 of the other corpora.
const PLANTED_DOCUMENTS: usize = 20_000;

/// The seed of the planted corpus for training seed `seed`: never the benchmark's own (7),
/// on which the shipped score is measured.
fn planted_seed(seed: u64) -> u64 {
    100 + seed
}

/// The clustering benchmark's corpus (`bench/make_corpus.py`, run with `python3`) of
/// `documents` documents and `seed`, made from the training BBC articles only: the bases
/// and the filler's Markov chain alike, so no held-out article, nor a copy of one
/// (`exact_dup_group`), is trained on. Each base's seven documents are one story, each
/// filler its own.
fn planted_corpus(documents: usize, seed: u64) -> anyhow::Result<Corpus> {
    let dir = std::env::temp_dir().join(format!(
        "stemma-train-planted-{}-{documents}-{seed}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir)?;
    let corpus = write_and_read_planted(&dir, documents, seed);
    // The generated files are large and of no use after: removed whatever happened.
    let _ = std::fs::remove_dir_all(&dir);
    corpus
}

fn write_and_read_planted(
    dir: &std::path::Path,
    documents: usize,
    seed: u64,
) -> anyhow::Result<Corpus> {
    use anyhow::Context;
    use std::collections::{HashMap, HashSet};
    use std::io::Write;

    let source_path = data::data_dir().join("bbc-news/articles.jsonl");
    let source = std::fs::read_to_string(&source_path)
        .with_context(|| format!("cannot read {}", source_path.display()))?;
    let lines: Vec<&str> = source.lines().filter(|l| !l.trim().is_empty()).collect();
    let records: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("{}:{}", source_path.display(), i + 1))
        })
        .collect::<anyhow::Result<_>>()?;
    let id = |r: &serde_json::Value| r["id"].as_str().unwrap_or_default().to_string();
    let group = |r: &serde_json::Value| {
        let g = &r["exact_dup_group"];
        (!g.is_null()).then(|| g.to_string())
    };
    // The generator keeps the first copy of a duplicate group it meets, which must not be
    // the twin of a held-out article.
    let held_groups: HashSet<String> = records
        .iter()
        .filter(|r| held_out(&id(r)))
        .filter_map(group)
        .collect();
    let articles = dir.join("articles.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&articles)?);
    for (line, record) in lines.iter().zip(&records) {
        if held_out(&id(record)) || group(record).is_some_and(|g| held_groups.contains(&g)) {
            continue;
        }
        writeln!(out, "{line}")?;
    }
    out.into_inner()?.sync_all()?;

    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/make_corpus.py");
    let (corpus_path, truth_path) = (dir.join("corpus.jsonl"), dir.join("truth.json"));
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args([
            "--docs",
            &documents.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .arg("--bbc")
        .arg(&articles)
        .arg("--out")
        .arg(&corpus_path)
        .arg("--truth")
        .arg(&truth_path)
        .stdout(std::process::Stdio::null())
        .status()
        .with_context(|| format!("cannot run python3 {}", script.display()))?;
    anyhow::ensure!(status.success(), "{} failed ({status})", script.display());

    let truth: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&truth_path)?)
        .with_context(|| format!("cannot read {}", truth_path.display()))?;
    let base_of: HashMap<&str, &str> = truth["planted"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| Some((row["id"].as_str()?, row["base"].as_str()?)))
        .collect();
    // Read as `stemma cluster` reads it: the title is part of the document.
    let loaded = stemma::corpus::load(
        &[stemma::ingest::Input::Path(corpus_path)],
        &stemma::ingest::IngestConfig::default(),
    );
    let mut corpus = Corpus {
        name: "planted versions".into(),
        ..Corpus::default()
    };
    for document in loaded.documents {
        let base = base_of.get(document.id.as_str()).copied();
        let label = base.unwrap_or(&document.id).to_string();
        corpus.versions.push(base.is_some());
        corpus.push(document, &label);
    }
    Ok(corpus)
}

/// ECB+ dev, the topics `keep` accepts.
fn ecb_corpus(keep: impl Fn(u64) -> bool, name: &str) -> anyhow::Result<Corpus> {
    let ecb: Vec<EcbDocument> = data::read_jsonl(&data::data_dir().join("ecbplus/dev.jsonl"))?;
    let mut corpus = Corpus {
        name: name.to_string(),
        ..Corpus::default()
    };
    for d in ecb {
        let topic = d
            .topic
            .as_u64()
            .or_else(|| d.topic.as_str()?.parse().ok())
            .unwrap_or(0);
        if !keep(topic) {
            continue;
        }
        if let Ok(document) = document_from_text(&d.doc_id, &d.doc_id, &d.sentences.join(" ")) {
            corpus.push(document, &d.cluster.to_string());
        }
    }
    Ok(corpus)
}

/// FRANK CNN/DM: each article once, and its summaries.
fn frank_corpus() -> anyhow::Result<Corpus> {
    let frank: Vec<FrankPair> = data::read_jsonl(&data::data_dir().join("frank/cnndm.jsonl"))?;
    let mut corpus = Corpus {
        name: "FRANK CNN/DM".into(),
        ..Corpus::default()
    };
    let mut seen = std::collections::HashSet::new();
    for (line, pair) in frank.iter().enumerate() {
        if seen.insert(pair.hash.clone())
            && let Ok(document) = document_from_text(&pair.hash, &pair.hash, &pair.article)
        {
            corpus.push(document, &pair.hash);
        }
        let id = format!("{}-{}-{line}", pair.hash, pair.model_name);
        if let Ok(document) = document_from_text(&id, &id, &pair.summary) {
            corpus.push(document, &pair.hash);
        }
    }
    Ok(corpus)
}

/// The candidate pairs of a corpus as a table (label 0 = same story), grouped by the
/// story of the pair's first document, with the hand-set score of each.
fn pair_table(corpus: &Corpus, copies: usize, table: &mut Table, rule: &mut Vec<f64>) {
    let pairs = cluster::candidate_features(&corpus.documents, &ClusterConfig::hand_set());
    let same = pairs
        .iter()
        .filter(|(a, b, _)| corpus.labels[*a] == corpus.labels[*b])
        .count();
    eprintln!(
        "stories: {}: {} pairs, {same} of one story, counted {copies} times",
        corpus.name,
        pairs.len()
    );
    let version = |d: usize| corpus.versions.get(d).copied().unwrap_or(false);
    for (a, b, features) in pairs {
        let same = corpus.labels[a] == corpus.labels[b];
        if !same && version(a) && version(b) {
            continue;
        }
        for _ in 0..copies {
            rule.push(f64::from(features[0].max(features[12].exp() - 0.01)));
            table.push(
                features.iter().map(|&x| f64::from(x)).collect(),
                usize::from(!same),
                learn::group_of(&format!("{}:{}", corpus.name, corpus.labels[a])),
            );
        }
    }
}

/// B³ precision, recall and F1 of clustering `corpus` with `config`.
fn b_cubed(corpus: &Corpus, config: &ClusterConfig) -> (f64, f64, f64) {
    let stories = cluster::cluster_documents(&corpus.documents, config);
    let mut story_of = vec![0usize; corpus.documents.len()];
    for (k, story) in stories.iter().enumerate() {
        for &d in &story.documents {
            story_of[d] = k;
        }
    }
    // Per story and label, counts; B³ from the contingency table in linear time.
    let mut cell: std::collections::HashMap<(usize, &str), f64> = Default::default();
    let mut by_story: std::collections::HashMap<usize, f64> = Default::default();
    let mut by_label: std::collections::HashMap<&str, f64> = Default::default();
    for (i, label) in corpus.labels.iter().enumerate() {
        *cell.entry((story_of[i], label)).or_default() += 1.0;
        *by_story.entry(story_of[i]).or_default() += 1.0;
        *by_label.entry(label).or_default() += 1.0;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for (&(story, label), &n) in &cell {
        precision += n * n / by_story[&story];
        recall += n * n / by_label[label];
    }
    let n = corpus.documents.len().max(1) as f64;
    let (p, r) = (precision / n, recall / n);
    (p, r, 2.0 * p * r / (p + r).max(1e-9))
}

/// How many times each ECB+ pair counts in training.
const ECB_COPIES: usize = 8;

fn fit_how(alpha: f64) -> Fit {
    Fit {
        name: "story".into(),
        classes: vec!["same".into(), "other".into()],
        features: STORY_FEATURES.iter().map(|s| s.to_string()).collect(),
        alpha,
    }
}

/// The mean B³ F1 over corpora with a learned score.
fn mean_f1(corpora: &[Corpus], score: &StoryScore) -> f64 {
    let config = ClusterConfig::with_learned(Some(score.clone()));
    let f1s: Vec<f64> = corpora.par_iter().map(|c| b_cubed(c, &config).2).collect();
    f1s.iter().sum::<f64>() / f1s.len().max(1) as f64
}

/// The model's score on clustering's scale with log-odds `pivot` at the edge threshold
/// and `temperature` log-odds per unit of log score.
fn scored(model: &Model, pivot: f64, temperature: f64) -> StoryScore {
    let mut m = model.clone();
    let at = ClusterConfig::hand_set().threshold;
    m.trained = serde_json::json!({ "scale": Scale {
        pivot: pivot as f32, temperature: temperature as f32, at } });
    StoryScore::from_model(&m).expect("a trained story model")
}

/// The scale for `model` by grid search on `corpora` (see [`Scale`]): the pivot among
/// probabilities 0.15–0.7, the temperature from 1 to 6 log-odds per unit of log score.
fn choose_scale(model: &Model, corpora: &[Corpus]) -> anyhow::Result<(f64, f64)> {
    let mut best = (f64::NEG_INFINITY, 0.0, 0.0);
    for p in (3..=14).map(|i| f64::from(i) * 0.05) {
        for temperature in [1.0, 1.5, 2.0, 3.0, 4.0, 6.0] {
            let pivot = (p / (1.0 - p)).ln();
            let f1 = mean_f1(corpora, &scored(model, pivot, temperature));
            if f1 > best.0 + 1e-6 {
                best = (f1, pivot, temperature);
            }
        }
    }
    eprintln!(
        "stories: pivot {:.3}, temperature {:.3}, mean B³ F1 {:.4}",
        best.1, best.2, best.0
    );
    Ok((best.1, best.2))
}

/// Trains the story model on the training corpora and reports its figures beside the
/// hand-set score's.
pub fn train(seed: u64, report: &mut Report) -> anyhow::Result<Model> {
    let training = vec![
        bbc_corpus(false, seed)?,
        ecb_corpus(|_| true, "ECB+ dev")?,
        frank_corpus()?,
        planted_corpus(PLANTED_DOCUMENTS, planted_seed(seed))?,
    ];
    let mut table = Table::default();
    let mut rule = Vec::new();
    // ECB+'s independent accounts are few beside the generated versions, and are what
    // the hand-set score was built for: counted several times, so the model keeps them.
    for (corpus, copies) in training.iter().zip([1, ECB_COPIES, 1, 1]) {
        pair_table(corpus, copies, &mut table, &mut rule);
    }
    let alpha = 0.01;
    let how = fit_how(alpha);
    let truth: Vec<bool> = table.labels.iter().map(|&l| l == 0).collect();
    let cv: Vec<f64> = learn::cross_validate(&table, &how, 5, seed)?
        .into_iter()
        .map(|p| p[0])
        .collect();
    let (t_learned, learned) = learn::best_threshold(&cv, &truth, |b| b.balanced);
    let (t_rule, hand) = learn::best_threshold(&rule, &truth, |b| b.balanced);
    let name = "story membership: candidate pairs";
    report.row(
        name,
        "learned, 5-fold CV",
        "balanced accuracy",
        learned.balanced,
    );
    report.row(name, "hand-set score", "balanced accuracy", hand.balanced);
    report.row(
        name,
        "learned, 5-fold CV",
        "calibration error",
        learn::calibration_error(&cv, &truth),
    );
    eprintln!(
        "stories: {} pairs ({} same); thresholds learned {t_learned:.2}, rule {t_rule:.2}",
        truth.len(),
        truth.iter().filter(|&&t| t).count()
    );
    let mut model = learn::fit(&table, &how)?;
    let (pivot, temperature) = choose_scale(&model, &training)?;
    let mut figures = serde_json::Map::new();
    let score = scored(&model, pivot, temperature);
    let learned_config = ClusterConfig::with_learned(Some(score.clone()));
    let hand_config = ClusterConfig::hand_set();
    // How many of the pairs of one story candidate generation finds at all: what no score
    // can recover.
    for corpus in [
        briefs_corpus(Recipe::BriefMachine, seed)?,
        bbc_corpus(true, seed)?,
    ] {
        let pairs = cluster::candidate_features(&corpus.documents, &ClusterConfig::hand_set());
        let found = pairs
            .iter()
            .filter(|(a, b, _)| corpus.labels[*a] == corpus.labels[*b])
            .count();
        let mut by_label: std::collections::HashMap<&str, usize> = Default::default();
        for label in &corpus.labels {
            *by_label.entry(label).or_default() += 1;
        }
        let gold: usize = by_label.values().map(|n| n * (n - 1) / 2).sum();
        let name = &format!("story membership: {}", corpus.name);
        report.row(
            name,
            "candidates",
            "pairs of one story found",
            found as f64 / gold.max(1) as f64,
        );
    }
    let evaluation = vec![
        bbc_corpus(true, seed)?,
        briefs_corpus(Recipe::Brief, seed)?,
        briefs_corpus(Recipe::BriefMachine, seed)?,
    ];
    // ECB+ and FRANK, trained on, then the held-out sets. (The planted training corpus is
    // measured by the benchmark, on a corpus of its own seed: its B³ is near 1 whatever
    // the score, since a filler wrongly joined is one document in thousands.)
    for corpus in training[1..3].iter().chain(&evaluation) {
        let (p, r, f1) = b_cubed(corpus, &learned_config);
        let (hp, hr, hf1) = b_cubed(corpus, &hand_config);
        let name = &format!("story membership: {}", corpus.name);
        report.row(name, "learned", "B³ precision", p);
        report.row(name, "learned", "B³ recall", r);
        report.row(name, "learned", "B³ F1", f1);
        report.row(name, "hand-set", "B³ precision", hp);
        report.row(name, "hand-set", "B³ recall", hr);
        report.row(name, "hand-set", "B³ F1", hf1);
        figures.insert(
            corpus.name.clone(),
            serde_json::json!({ "precision": round3(p), "recall": round3(r), "f1": round3(f1),
                "hand_set_f1": round3(hf1) }),
        );
    }
    model.threshold = t_learned;
    model.trained = serde_json::json!({
        "data": ["bbc-news/articles.jsonl (the four fifths not held out, with generated versions)",
                 "ecbplus/dev.jsonl", "frank/cnndm.jsonl",
                 format!("bench/make_corpus.py --docs {PLANTED_DOCUMENTS} --seed {} over the \
                          articles not held out (pairs of two planted documents of different \
                          bases left out)", planted_seed(seed))],
        "examples": truth.len(),
        "seed": seed,
        "alpha": alpha,
        "scale": score.scale,
        "cross_validated": { "pairs_balanced_accuracy": round3(learned.balanced),
                             "hand_set_balanced_accuracy": round3(hand.balanced) },
        "b_cubed": figures,
    });
    Ok(model)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Every held-out article with one brief by `recipe`.
fn briefs_corpus(recipe: Recipe, seed: u64) -> anyhow::Result<Corpus> {
    let articles: Vec<BbcArticle> = data::bbc_articles(&data::data_dir())?
        .into_iter()
        .filter(|a| held_out(&a.id))
        .collect();
    let mut corpus = Corpus {
        name: format!("{} + article, held out", recipe.name()),
        ..Corpus::default()
    };
    for e in synth::versions_by(&articles, seed, &[recipe], |_| true) {
        let label = e.source.id.clone();
        corpus.push(e.source, &label);
        corpus.push(e.version, &label);
    }
    Ok(corpus)
}

/// Story membership of one-sentence briefs with the shipped configuration: every held-out
/// article with a brief of its lead, clustered together.
pub fn briefs(recipe: Recipe, seed: u64, report: &mut Report) -> anyhow::Result<()> {
    let corpus = briefs_corpus(recipe, seed)?;
    let (p, r, f1) = b_cubed(&corpus, &ClusterConfig::default());
    let name = &format!("story membership: {} + article", recipe.name());
    report.row(name, "clustering", "B³ precision", p);
    report.row(name, "clustering", "B³ recall", r);
    report.row(name, "clustering", "B³ F1", f1);
    Ok(())
}
