//! The similarity of two documents from their fingerprints, in [0, 1]: the larger of a
//! near-duplicate score (shingles) and a content score (shared terms weighted by rarity).
//!
//! - **Near-duplicate**: the mean of the shingle Jaccard estimate and the shingle
//!   containment it implies given the two shingle counts, so a copy wrapped in new text
//!   (Jaccard 0.45, containment 1) scores like a light edit.
//! - **Content**: of the terms the two share, the weight (rarity × kind) over the weight of
//!   the smaller document's terms plus a prior (`evidence`) — containment that needs
//!   evidence, since a 40-word summary is contained in its source but also, by chance,
//!   partly in any long article — blended with the Dice coefficient so two long documents
//!   must share a large part of their content, not a few terms. Dates more than
//!   `date_window_days` apart scale the content score down: two earthquakes of the same
//!   kind a year apart share terms, not a story.

use super::ClusterConfig;
use super::rarity::Rarity;
use crate::fingerprint::{Fingerprint, TermKind, estimate_jaccard, term_count, term_hash};

/// Per-document figures computed once: the total term weight.
pub(crate) struct Prepared<'a> {
    pub(crate) fingerprint: &'a Fingerprint,
    pub(crate) weight: f32,
}

pub(crate) fn prepare<'a>(fingerprint: &'a Fingerprint, rarity: &Rarity) -> Prepared<'a> {
    let weight = fingerprint.terms.iter().map(|&t| rarity.weight(t)).sum();
    Prepared {
        fingerprint,
        weight,
    }
}

/// The parts of a pair's similarity, for tuning and tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Parts {
    pub(crate) jaccard: f32,
    pub(crate) near_duplicate: f32,
    pub(crate) content: f32,
}

impl Parts {
    pub(crate) fn score(&self) -> f32 {
        self.near_duplicate.max(self.content)
    }
}

pub(crate) fn similarity(
    a: &Prepared<'_>,
    b: &Prepared<'_>,
    rarity: &Rarity,
    config: &ClusterConfig,
) -> Parts {
    let fa = a.fingerprint;
    let fb = b.fingerprint;
    let jaccard = if fa.shingles == 0 || fb.shingles == 0 {
        0.0
    } else {
        estimate_jaccard(&fa.signature, &fb.signature)
    };
    let near_duplicate = near_duplicate(jaccard, fa.shingles, fb.shingles, fa.signature.len());

    let shared = shared_weight(&fa.terms, &fb.terms, rarity);
    let small = a.weight.min(b.weight);
    let content = if small <= 0.0 {
        0.0
    } else {
        let containment = (shared / (small + config.evidence)).min(1.0);
        let dice = (2.0 * shared / (a.weight + b.weight)).min(1.0);
        let mut content = containment.powf(1.0 - config.dice_share) * dice.powf(config.dice_share);
        if let (Some(da), Some(db)) = (fa.published_day, fb.published_day)
            && (da - db).abs() > config.date_window_days
        {
            content *= config.date_penalty;
        }
        content
    };
    Parts {
        jaccard,
        near_duplicate,
        content,
    }
}

/// The near-duplicate score from a Jaccard estimate and the shingle counts.
fn near_duplicate(jaccard: f32, shingles_a: u32, shingles_b: u32, bins: usize) -> f32 {
    // Fewer than six agreeing bins is within the noise of two unrelated documents.
    if jaccard * (bins as f32) < 6.0 {
        return 0.0;
    }
    let (a, b) = (shingles_a as f32, shingles_b as f32);
    let intersection = jaccard * (a + b) / (1.0 + jaccard);
    let containment = (intersection / a.min(b)).min(1.0);
    (jaccard + containment) / 2.0
}

/// The weight two sorted term lists share: for each common term, the smaller of its two
/// weights, counted as a name when either side has it as one (a lower-cased summary still
/// names people).
fn shared_weight(a: &[u32], b: &[u32], rarity: &Rarity) -> f32 {
    let (mut i, mut j) = (0, 0);
    let mut shared = 0.0f32;
    while i < a.len() && j < b.len() {
        let (ha, hb) = (term_hash(a[i]), term_hash(b[j]));
        if ha < hb {
            i += 1;
        } else if ha > hb {
            j += 1;
        } else {
            let kind = TermKind::of(a[i]).max(TermKind::of(b[j]));
            let count = term_count(a[i]).min(term_count(b[j]));
            shared += rarity.weight_as(rarity.idf(a[i]), kind, count);
            i += 1;
            j += 1;
        }
    }
    shared
}
