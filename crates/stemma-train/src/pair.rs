//! The sentence-pair model: paraphrase / changed detail / unrelated, from MRPC train
//! (paraphrase, and non-paraphrases, most of which differ in a detail) and STS-B news
//! (graded pairs: the top grades are paraphrases, the bottom ones unrelated).

use anyhow::Result;
use rayon::prelude::*;
use stemma::verdict::pair;

use crate::data::{self, MrpcPair, StsPair};
use crate::learn::{self, Fit, Table};
use crate::{Encoder, Report};

const PARAPHRASE: usize = 0;
const CHANGED: usize = 1;
const UNRELATED: usize = 2;

fn how(with_cosine: bool) -> Fit {
    let mut features: Vec<String> = pair::FEATURES.iter().map(|s| s.to_string()).collect();
    if with_cosine {
        features.push("cosine".into());
        features.extend(pair::TOKEN_FEATURES.iter().map(|s| s.to_string()));
    }
    Fit {
        name: "sentence-pair".into(),
        classes: pair::CLASSES.iter().map(|s| s.to_string()).collect(),
        features,
        alpha: std::env::var("ALPHA")
            .ok()
            .and_then(|a| a.parse().ok())
            .unwrap_or(0.5),
    }
}

fn row(a: &str, b: &str, encoder: Option<&Encoder>) -> Vec<f64> {
    let mut x = pair::features(a, b).to_vec();
    if let Some(encoder) = encoder {
        x.push(f64::from(encoder.cosine(a, b)));
        x.extend(encoder.token_alignment(a, b).map(f64::from));
    }
    x
}

/// Builds the table: MRPC train rows first (their indices are `0..mrpc`), then STS-B.
fn table(encoder: Option<&Encoder>) -> Result<(Table, usize)> {
    let dir = data::data_dir();
    let mrpc: Vec<MrpcPair> = data::read_jsonl(&dir.join("mrpc/train.jsonl"))?;
    let sts: Vec<StsPair> = data::read_jsonl(&dir.join("stsb-news/train.jsonl"))?;
    if let Some(encoder) = encoder {
        let sentences: Vec<&str> = mrpc
            .iter()
            .flat_map(|p| [p.sentence1.as_str(), p.sentence2.as_str()])
            .chain(
                sts.iter()
                    .flat_map(|p| [p.sentence1.as_str(), p.sentence2.as_str()]),
            )
            .collect();
        encoder.prefetch(&sentences);
        encoder.prefetch_tokens(&sentences);
    }
    let mut table = Table::default();
    let rows: Vec<Vec<f64>> = mrpc
        .par_iter()
        .map(|p| row(&p.sentence1, &p.sentence2, encoder))
        .collect();
    for (p, x) in mrpc.iter().zip(rows) {
        let label = if p.label == 1 { PARAPHRASE } else { CHANGED };
        table.push(x, label, learn::group_of(&p.sentence1));
    }
    let n_mrpc = table.rows.len();
    // The middle grades are neither a paraphrase nor unrelated nor clearly one detail
    // changed: left out rather than forced into a class.
    let graded: Vec<&StsPair> = sts
        .iter()
        .filter(|p| p.score >= 4.0 || p.score <= 1.0)
        .collect();
    let rows: Vec<Vec<f64>> = graded
        .par_iter()
        .map(|p| row(&p.sentence1, &p.sentence2, encoder))
        .collect();
    for (p, x) in graded.iter().zip(rows) {
        let label = if p.score >= 4.0 {
            PARAPHRASE
        } else {
            UNRELATED
        };
        table.push(x, label, learn::group_of(&p.sentence1));
    }
    Ok((table, n_mrpc))
}

/// Cross-validates and (when `write`) fits and returns the model, with its figures added
/// to the report.
pub fn run(
    encoder: Option<&Encoder>,
    seed: u64,
    report: &mut Report,
) -> Result<stemma::verdict::Model> {
    let with_cosine = encoder.is_some();
    let (table, n_mrpc) = table(encoder)?;
    let how = how(with_cosine);
    let oof = learn::cross_validate(&table, &how, 5, seed)?;
    let scores: Vec<f64> = oof[..n_mrpc].iter().map(|p| p[PARAPHRASE]).collect();
    let truth: Vec<bool> = table.labels[..n_mrpc]
        .iter()
        .map(|&l| l == PARAPHRASE)
        .collect();
    let (threshold, figures) = learn::best_threshold(&scores, &truth, |b| b.accuracy);
    let at_half = learn::binary(&scores, &truth, 0.5);
    let variant = if with_cosine {
        "words + sentence model"
    } else {
        "words"
    };
    report.row(
        "sentence pair: paraphrase (MRPC train, 5-fold CV)",
        variant,
        "accuracy",
        figures.accuracy,
    );
    report.row(
        "sentence pair: paraphrase (MRPC train, 5-fold CV)",
        variant,
        "F1",
        figures.f1,
    );
    report.row(
        "sentence pair: paraphrase (MRPC train, 5-fold CV)",
        variant,
        "calibration error",
        learn::calibration_error(&scores, &truth),
    );
    // The rule it replaces: word-set Jaccard with its best threshold.
    if !with_cosine {
        let jaccard: Vec<f64> = table.rows[..n_mrpc].iter().map(|r| r[0]).collect();
        let (_, baseline) = learn::best_threshold(&jaccard, &truth, |b| b.accuracy);
        report.row(
            "sentence pair: paraphrase (MRPC train, 5-fold CV)",
            "baseline: word-set Jaccard, best threshold",
            "accuracy",
            baseline.accuracy,
        );
    }
    let mut model = learn::fit(&table, &how)?;
    model.threshold = threshold;
    model.trained = serde_json::json!({
        "data": ["mrpc/train.jsonl", "stsb-news/train.jsonl (grades >= 4 paraphrase, <= 1 unrelated)"],
        "examples": table.rows.len(),
        "seed": seed,
        "alpha": how.alpha,
        "cross_validated": {"mrpc_accuracy": figures.accuracy, "mrpc_accuracy_at_0.5": at_half.accuracy, "mrpc_f1": figures.f1},
    });
    Ok(model)
}
