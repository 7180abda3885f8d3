//! Fitting and judging the models: multinomial logistic regression by `linfa-logistic`
//! (L-BFGS, L2 penalty), standardised features, seeded k-fold cross-validation, and the
//! figures the dev table reports.
//!
//! `linfa-logistic` was chosen over `smartcore` (whose logistic regression has no penalty
//! setting in the version measured) and over a hand-written optimiser: it is the rust-ml
//! project's maintained crate, deterministic (L-BFGS with a Moré–Thuente line search, no
//! random start), and exposes the fitted coefficients, which is all the library needs.

use anyhow::{Context, Result};
use linfa::prelude::*;
use linfa::traits::Fit as _;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use stemma::verdict::Model;

/// A labelled feature table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// One row per example.
    pub rows: Vec<Vec<f64>>,
    /// Class index per example.
    pub labels: Vec<usize>,
    /// Group per example: examples of one group fall in one fold (one article's variants,
    /// one seed summary's edits), so a fold never tests on a near-copy of its training data.
    pub groups: Vec<u64>,
}

impl Table {
    /// Adds an example.
    pub fn push(&mut self, row: Vec<f64>, label: usize, group: u64) {
        self.rows.push(row);
        self.labels.push(label);
        self.groups.push(group);
    }

    fn subset(&self, keep: impl Fn(usize) -> bool) -> Table {
        let mut out = Table::default();
        for i in 0..self.rows.len() {
            if keep(i) {
                out.push(self.rows[i].clone(), self.labels[i], self.groups[i]);
            }
        }
        out
    }
}

/// How to fit.
#[derive(Debug, Clone)]
pub struct Fit {
    /// Model name.
    pub name: String,
    /// Class names, indexed by label.
    pub classes: Vec<String>,
    /// Feature names.
    pub features: Vec<String>,
    /// L2 penalty.
    pub alpha: f64,
}

fn round(x: f64) -> f64 {
    // Six decimals: far below what changes a verdict, and enough to hide the last-bit
    // differences a different CPU's arithmetic could leave, so retraining gives the same file.
    (x * 1e6).round() / 1e6 + 0.0
}

/// Fits a model on a table.
pub fn fit(table: &Table, how: &Fit) -> Result<Model> {
    let n_features = how.features.len();
    let n = table.rows.len();
    anyhow::ensure!(n > 0, "{}: no training examples", how.name);
    let mut mean = vec![0.0; n_features];
    let mut scale = vec![0.0; n_features];
    for row in &table.rows {
        for (k, x) in row.iter().enumerate() {
            mean[k] += x / n as f64;
        }
    }
    for row in &table.rows {
        for (k, x) in row.iter().enumerate() {
            scale[k] += (x - mean[k]).powi(2) / n as f64;
        }
    }
    let mean: Vec<f64> = mean.into_iter().map(round).collect();
    let scale: Vec<f64> = scale
        .into_iter()
        .map(|v| if v > 1e-12 { round(v.sqrt()) } else { 1.0 })
        .collect();
    let mut x = Array2::<f64>::zeros((n, n_features));
    for (i, row) in table.rows.iter().enumerate() {
        for k in 0..n_features {
            x[[i, k]] = (row[k] - mean[k]) / scale[k];
        }
    }
    let y = Array1::from(table.labels.clone());
    let dataset = Dataset::new(x, y);
    let fitted = MultiLogisticRegression::default()
        .alpha(how.alpha)
        .max_iterations(2000)
        .fit(&dataset)
        .with_context(|| format!("fitting {}", how.name))?;
    let mut weights = vec![vec![0.0; n_features]; how.classes.len()];
    let mut intercept = vec![0.0; how.classes.len()];
    for (column, &class) in fitted.classes().iter().enumerate() {
        for (k, weight) in weights[class].iter_mut().enumerate() {
            *weight = round(fitted.params()[[k, column]]);
        }
        intercept[class] = round(fitted.intercept()[column]);
    }
    Ok(Model {
        name: how.name.clone(),
        classes: how.classes.clone(),
        features: how.features.clone(),
        mean,
        scale,
        weights,
        intercept,
        threshold: 0.5,
        trained: serde_json::Value::Null,
    })
}

/// A seeded fold for each distinct group.
pub fn folds(groups: &[u64], k: usize, seed: u64) -> Vec<usize> {
    groups
        .iter()
        .map(|&g| (splitmix(g ^ seed) % k as u64) as usize)
        .collect()
}

/// splitmix64: a fixed, dependency-free hash for fold assignment.
pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Out-of-fold class probabilities for every example (k-fold by group).
pub fn cross_validate(table: &Table, how: &Fit, k: usize, seed: u64) -> Result<Vec<Vec<f64>>> {
    let fold = folds(&table.groups, k, seed);
    let mut out = vec![Vec::new(); table.rows.len()];
    for f in 0..k {
        let train = table.subset(|i| fold[i] != f);
        let model = fit(&train, how)?;
        for i in (0..table.rows.len()).filter(|&i| fold[i] == f) {
            out[i] = model.predict(&table.rows[i]);
        }
    }
    Ok(out)
}

/// A hash of a string, for groups.
pub fn group_of(text: &str) -> u64 {
    xxhash(text.as_bytes())
}

fn xxhash(bytes: &[u8]) -> u64 {
    // FNV-1a: stable across versions and platforms, which is all a fold key needs.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Binary figures of a score against truth at a threshold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Binary {
    /// Accuracy.
    pub accuracy: f64,
    /// Balanced accuracy (mean of the two recalls).
    pub balanced: f64,
    /// F1 of the positive class.
    pub f1: f64,
}

/// Figures of "score ≥ threshold means positive".
pub fn binary(scores: &[f64], truth: &[bool], threshold: f64) -> Binary {
    let (mut tp, mut fp, mut tn, mut fneg) = (0.0, 0.0, 0.0, 0.0);
    for (s, &t) in scores.iter().zip(truth) {
        match (*s >= threshold, t) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, false) => tn += 1.0,
            (false, true) => fneg += 1.0,
        }
    }
    let div = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let precision = div(tp, tp + fp);
    let recall = div(tp, tp + fneg);
    Binary {
        accuracy: div(tp + tn, tp + tn + fp + fneg),
        balanced: 0.5 * (recall + div(tn, tn + fp)),
        f1: div(2.0 * precision * recall, precision + recall),
    }
}

/// The threshold that maximises `objective` over the candidate scores.
pub fn best_threshold(
    scores: &[f64],
    truth: &[bool],
    objective: impl Fn(&Binary) -> f64,
) -> (f64, Binary) {
    let mut candidates: Vec<f64> = (1..100).map(|i| f64::from(i) / 100.0).collect();
    candidates.sort_by(f64::total_cmp);
    let mut best = (0.5, binary(scores, truth, 0.5));
    for t in candidates {
        let b = binary(scores, truth, t);
        if objective(&b) > objective(&best.1) + 1e-12 {
            best = (t, b);
        }
    }
    best
}

/// Expected calibration error over ten equal-width bins: how far stated probabilities are
/// from observed frequencies.
pub fn calibration_error(scores: &[f64], truth: &[bool]) -> f64 {
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    for (s, &t) in scores.iter().zip(truth) {
        let b = ((s * 10.0) as usize).min(9);
        bins[b].0 += s;
        bins[b].1 += f64::from(u8::from(t));
        bins[b].2 += 1;
    }
    let n = scores.len().max(1) as f64;
    bins.iter()
        .filter(|b| b.2 > 0)
        .map(|(p, o, _)| (p - o).abs() / n)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small_table() -> Table {
        let mut table = Table::default();
        for i in 0..60u64 {
            let x = (i % 10) as f64 / 10.0;
            let noise = ((splitmix(i) % 100) as f64) / 500.0;
            let label = usize::from(x + noise > 0.55);
            table.push(vec![x, noise, (i % 3) as f64], label, i % 7);
        }
        table
    }

    fn how() -> Fit {
        Fit {
            name: "test".into(),
            classes: vec!["low".into(), "high".into()],
            features: vec!["x".into(), "noise".into(), "third".into()],
            alpha: 0.5,
        }
    }

    /// Retraining gives the same model file, to the byte.
    #[test]
    fn fitting_twice_writes_the_same_file() {
        let a = serde_json::to_string_pretty(&fit(&small_table(), &how()).expect("fits"))
            .expect("serialises");
        let b = serde_json::to_string_pretty(&fit(&small_table(), &how()).expect("fits"))
            .expect("serialises");
        assert_eq!(a, b);
        let model: Model = serde_json::from_str(&a).expect("parses");
        // The model learned the rule the table follows.
        assert!(model.probability(&[0.9, 0.0, 0.0], "high") > 0.8);
        assert!(model.probability(&[0.1, 0.0, 0.0], "high") < 0.2);
    }

    #[test]
    fn cross_validation_is_seeded_and_groups_stay_together() {
        let table = small_table();
        let folds_a = folds(&table.groups, 5, 3);
        assert_eq!(folds_a, folds(&table.groups, 5, 3));
        for (i, g) in table.groups.iter().enumerate() {
            for (j, h) in table.groups.iter().enumerate() {
                if g == h {
                    assert_eq!(folds_a[i], folds_a[j]);
                }
            }
        }
        let oof = cross_validate(&table, &how(), 5, 3).expect("cross-validates");
        assert_eq!(oof, cross_validate(&table, &how(), 5, 3).expect("again"));
    }

    #[test]
    fn figures_of_a_known_case() {
        let scores = [0.9, 0.8, 0.3, 0.2];
        let truth = [true, false, true, false];
        let b = binary(&scores, &truth, 0.5);
        assert_eq!(b.accuracy, 0.5);
        assert_eq!(b.balanced, 0.5);
        let (t, best) = best_threshold(&scores, &truth, |b| b.accuracy);
        assert!(best.accuracy >= 0.5 && (0.0..1.0).contains(&t));
        assert!((calibration_error(&[1.0, 0.0], &[true, false])).abs() < 1e-12);
    }
}
