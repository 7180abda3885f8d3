//! Same story or not: the score clustering gives each pair it verifies, learned.
//!
//! A two-class logistic regression over what the verification of a pair already computes
//! (see [`crate::cluster::STORY_FEATURES`]): the shingle near-duplicate score and Jaccard,
//! the weight of the terms the two share over the smaller document's and over both
//! (containment and Dice), the smaller document's weight and the ratio of the two, the
//! share of names in what is shared, the numbers in common, the three penalties of the
//! hand-set score as flags (dates, years, numbers apart), and that score's content part.
//! A one-sentence brief shares few terms with its article, but nearly all of its own; two
//! long reports of two events of one kind share many terms but a small part of each.
//!
//! The model is folded at load into one weight per feature and a bias, so scoring a pair
//! costs thirteen multiply-adds and an exponential: the million-document clustering
//! scores millions of pairs.

use std::sync::LazyLock;

use super::{Model, builtin};
use crate::cluster::STORY_FEATURES;

/// The shipped model.
static MODEL: LazyLock<Model> = LazyLock::new(|| builtin(include_str!("../../models/story.json")));

/// The shipped score, or none when the model file was written before training.
static SHIPPED: LazyLock<Option<StoryScore>> = LazyLock::new(|| StoryScore::from_model(&MODEL));

/// The learned probability that two documents report one story, ready to apply.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryScore {
    /// One weight per feature, standardisation folded in.
    weights: [f32; STORY_FEATURES.len()],
    bias: f32,
    /// How the log-odds map onto the similarity scale the grouping stages read.
    pub scale: Scale,
}

/// The similarity scale of clustering, on which its grouping thresholds are set: a pair
/// of log-odds `z` scores `at · exp((z − pivot) / temperature)` (at most 1). A monotone
/// map of the probability: every threshold on the score is one on the probability. The
/// pivot is the log-odds at which a pair is an edge on dev data, mapped to the edge
/// threshold `at`; the temperature is the weight the model gives the hand-set content
/// score's logarithm, so a model that learned nothing new gives back that score.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Scale {
    /// Log-odds of the edge threshold.
    pub pivot: f32,
    /// Log-odds per unit of log score.
    pub temperature: f32,
    /// The edge threshold of the grouping stages (`ClusterConfig::threshold`).
    pub at: f32,
}

impl StoryScore {
    /// The score of a trained two-class model whose first class is "same story", with the
    /// scale recorded under `trained.scale`; none for an untrained model or one over other
    /// features.
    pub fn from_model(model: &Model) -> Option<StoryScore> {
        if !model.is_trained()
            || model.features.len() != STORY_FEATURES.len()
            || model
                .features
                .iter()
                .zip(STORY_FEATURES)
                .any(|(a, b)| a != b)
            || model.weights.len() != 2
        {
            return None;
        }
        let scale: Scale = serde_json::from_value(model.trained.get("scale")?.clone()).ok()?;
        if scale.temperature <= 0.0 {
            return None;
        }
        // Two classes: P(first) = σ(score₀ − score₁).
        let mut weights = [0.0f32; STORY_FEATURES.len()];
        let mut bias = model.intercept[0] - model.intercept[1];
        for (k, weight) in weights.iter_mut().enumerate() {
            let w = model.weights[0][k] - model.weights[1][k];
            let scale = if model.scale[k] > 0.0 {
                model.scale[k]
            } else {
                1.0
            };
            *weight = (w / scale) as f32;
            bias -= w * model.mean[k] / scale;
        }
        Some(StoryScore {
            weights,
            bias: bias as f32,
            scale,
        })
    }

    /// The shipped score, if the shipped model is trained.
    pub fn shipped() -> Option<&'static StoryScore> {
        SHIPPED.as_ref()
    }

    /// The log-odds that a pair of these features reports one story.
    #[inline]
    pub fn log_odds(&self, features: &[f32; STORY_FEATURES.len()]) -> f32 {
        let mut z = self.bias;
        for (w, x) in self.weights.iter().zip(features) {
            z += w * x;
        }
        z
    }

    /// The probability that a pair of these features reports one story.
    pub fn probability(&self, features: &[f32; STORY_FEATURES.len()]) -> f32 {
        1.0 / (1.0 + (-self.log_odds(features)).exp())
    }

    /// The pair's similarity on clustering's scale (see [`Scale`]).
    #[inline]
    pub fn similarity(&self, features: &[f32; STORY_FEATURES.len()]) -> f32 {
        let z = self.log_odds(features);
        (self.scale.at * ((z - self.scale.pivot) / self.scale.temperature).exp()).min(1.0)
    }
}

/// The shipped model (for its record and tests).
pub fn model() -> &'static Model {
    &MODEL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_is_trained_and_monotone_in_shared_content() {
        let score = StoryScore::shipped().expect("the shipped story model is trained");
        assert_eq!(model().features.len(), STORY_FEATURES.len());
        // Two documents of one length sharing more of their terms are likelier one story.
        let log = |x: f32| (x + 0.01_f32).ln();
        let pair = |share: f32| {
            [
                0.0,
                0.0,
                log(share),
                log(share * 0.8),
                log(share),
                4.0,
                0.0,
                0.3,
                0.0,
                0.0,
                0.0,
                0.0,
                log(share * 0.8),
                0.0,
                0.0,
            ]
        };
        let (low, high) = (
            score.probability(&pair(0.05)),
            score.probability(&pair(0.6)),
        );
        assert!(low < 0.5 && high > 0.5, "{low} {high}");
        assert!(score.similarity(&pair(0.6)) > score.similarity(&pair(0.05)));
        assert!(score.similarity(&pair(1.0)) <= 1.0);
    }

    #[test]
    fn an_untrained_or_foreign_model_gives_no_score() {
        let mut foreign = model().clone();
        foreign.features[0] = "something else".into();
        assert!(StoryScore::from_model(&foreign).is_none());
        let mut untrained = model().clone();
        untrained.trained = serde_json::Value::Null;
        assert!(StoryScore::from_model(&untrained).is_none());
    }
}
