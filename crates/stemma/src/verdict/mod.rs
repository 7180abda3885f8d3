//! Learned verdicts: the judgments stemma makes about pairs of texts, each a small model
//! learned from data over features this library computes, with a calibrated probability.
//!
//! A model is a multinomial logistic regression stored as JSON in `models/` beside this
//! crate (its features by name, their standardisation, one weight row per class, the
//! threshold chosen on dev data, and the data, seed and figures it was trained with). The
//! models are compiled in and parsed once, at first use. They are trained by the
//! `stemma-train` program from the same feature functions the library calls at run time,
//! so training and use cannot drift apart.
//!
//! - [`pair`]: two sentences — paraphrase, changed detail, or unrelated.
//!
//! ```
//! use stemma::verdict::pair;
//! let judged = pair::judge("The dam burst on Thursday, killing 14 people.",
//!                          "Fourteen people died when the dam burst on Thursday.", None);
//! assert!(judged.paraphrase > 0.5);
//! ```

pub mod consistency;
pub mod derivation;
pub mod keep;
pub mod pair;
pub mod story;

use serde::{Deserialize, Serialize};

/// A trained multinomial logistic regression.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Model {
    /// What the model judges.
    pub name: String,
    /// The classes, in the order of `weights`.
    pub classes: Vec<String>,
    /// Feature names, in the order the feature function returns them.
    pub features: Vec<String>,
    /// Mean of each feature on the training data (subtracted before weighting).
    pub mean: Vec<f64>,
    /// Standard deviation of each feature on the training data (divided by).
    pub scale: Vec<f64>,
    /// One weight row per class over the standardised features.
    pub weights: Vec<Vec<f64>>,
    /// One intercept per class.
    pub intercept: Vec<f64>,
    /// The probability of the first class at or above which the verdict is that class
    /// (for two-class models), chosen on dev data.
    pub threshold: f64,
    /// How the model was trained: data, seed, regularisation, cross-validated figures.
    pub trained: serde_json::Value,
}

impl Model {
    /// Parses a model file. Models ship inside the library, so a malformed one is a build
    /// defect caught by the tests, not an input error.
    pub fn from_json(text: &str) -> Result<Model, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Class probabilities for one feature vector (in the order of `features`).
    pub fn predict(&self, features: &[f64]) -> Vec<f64> {
        let scores: Vec<f64> = self
            .weights
            .iter()
            .zip(&self.intercept)
            .map(|(row, intercept)| {
                let mut score = *intercept;
                for (k, (w, x)) in row.iter().zip(features).enumerate() {
                    let scale = self.scale.get(k).copied().unwrap_or(1.0);
                    let mean = self.mean.get(k).copied().unwrap_or(0.0);
                    let z = if scale > 0.0 { (x - mean) / scale } else { 0.0 };
                    score += w * z;
                }
                score
            })
            .collect();
        softmax(&scores)
    }

    /// Whether the model was fitted (a model file written before training has no record of
    /// it and all-zero weights); an unfitted variant is never used.
    pub fn is_trained(&self) -> bool {
        !self.trained.is_null()
    }

    /// The probability of class `name` (0 when the model has no such class).
    pub fn probability(&self, features: &[f64], name: &str) -> f64 {
        let probabilities = self.predict(features);
        self.classes
            .iter()
            .position(|c| c == name)
            .and_then(|k| probabilities.get(k).copied())
            .unwrap_or(0.0)
    }
}

/// Words that negate a statement; a token ending in "n't" negates too. Shared by the
/// pair and consistency features, which compare the negations of two sentences.
pub(crate) const NEGATIONS: [&str; 10] = [
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
];

/// Whether a lower-cased token negates.
pub(crate) fn is_negation(lower: &str) -> bool {
    NEGATIONS.contains(&lower) || lower.ends_with("n't")
}

/// The softmax of scores, computed stably.
pub fn softmax(scores: &[f64]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
    let total: f64 = exps.iter().sum();
    exps.iter().map(|e| e / total).collect()
}

/// Loads a model compiled into the library. The tests parse every shipped model, so the
/// `expect` here states an invariant of the build, not a condition of the input.
pub(crate) fn builtin(text: &'static str) -> Model {
    Model::from_json(text).expect("a model shipped with the library parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_class_model_is_a_logistic() {
        let model = Model {
            name: "t".into(),
            classes: vec!["yes".into(), "no".into()],
            features: vec!["x".into()],
            mean: vec![1.0],
            scale: vec![2.0],
            weights: vec![vec![1.0], vec![0.0]],
            intercept: vec![0.5, 0.0],
            threshold: 0.5,
            trained: serde_json::Value::Null,
        };
        // z = (3 - 1) / 2 = 1; score 1.5 against 0: sigmoid(1.5).
        let p = model.probability(&[3.0], "yes");
        assert!((p - 1.0 / (1.0 + (-1.5f64).exp())).abs() < 1e-12);
        assert_eq!(model.probability(&[3.0], "maybe"), 0.0);
    }
}
