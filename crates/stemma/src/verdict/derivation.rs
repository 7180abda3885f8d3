//! How was a version made from a source? `copy`, `edit`, `paraphrase`, `summary`,
//! `expansion`, `partial`, or `independent` (not made from it at all).
//!
//! The features are the collation's figures for the pair — how much of the source the
//! version carries and how much it adds, how much is verbatim or lightly edited, shared
//! phrasing, relative length, how well the source explains the version — and the
//! rewriting traces of each side (headings, hedges that rewriting tools add). A heavy
//! rewrite that carries the source's content sentence after sentence is told from an
//! independent account of the same event by how much of the version the source explains,
//! not by how many words they share. The model is trained by `stemma-train` on versions
//! generated from BBC articles and on ECB+ reports of one event by different outlets.

use std::sync::LazyLock;

use super::Model;
use crate::collate::PairSummary;
use crate::model::{Document, SentenceKind};
use crate::provenance::{Derivation, rewriting_traces};

/// The classes, in the model's order.
pub const CLASSES: [Derivation; 7] = [
    Derivation::Copy,
    Derivation::Edit,
    Derivation::Paraphrase,
    Derivation::Summary,
    Derivation::Expansion,
    Derivation::Partial,
    Derivation::Independent,
];

/// Feature names, in the order of [`features`].
pub const FEATURES: [&str; 25] = [
    "similarity",
    "coverage",
    "novelty",
    "carried",
    "explained",
    "verbatim",
    "lexical",
    "log_length_ratio",
    "phrases",
    "aligned_share",
    "log_version_sentences",
    "log_source_sentences",
    "added_traces",
    "source_traces",
    "version_headings",
    "coverage_x_novelty",
    "order_kept",
    "log_phrases",
    "rule_copy",
    "rule_edit",
    "rule_paraphrase",
    "rule_summary",
    "rule_expansion",
    "rule_partial",
    "rule_independent",
];

static MODEL: LazyLock<Model> =
    LazyLock::new(|| super::builtin(include_str!("../../models/derivation.json")));
static DERIVED: LazyLock<Model> =
    LazyLock::new(|| super::builtin(include_str!("../../models/derived.json")));

/// The model that names the derivation of a version known to be derived (every class but
/// `independent`).
pub fn model() -> &'static Model {
    &MODEL
}

/// The model that decides whether a version was made from the source at all.
pub fn derived_model() -> &'static Model {
    &DERIVED
}

/// The features the derived-or-independent model reads, by name: how much of the version
/// the source explains and in what order, and shared phrasing on a log scale — all measured
/// on the version's side. Left out on purpose: wording kept verbatim (a heavy rewrite keeps
/// none and is still derived, and a model that saw mostly light rewrites would learn the
/// opposite), and similarity and coverage, which fall with the share of the source a
/// version leaves out, so that a short summary would look independent.
pub const DERIVED_FEATURES: [&str; 6] = [
    "carried",
    "explained",
    "aligned_share",
    "order_kept",
    "log_phrases",
    "rule_independent",
];

/// The features the derivation model reads among derived versions: what share of the
/// source is carried and what is added, how much wording is kept (verbatim, lightly
/// edited, shared phrasing), relative length, and rewriting traces. Few and plain, so that
/// a text unlike the training versions is still judged by what it is made of.
pub const KIND_FEATURES: [&str; 15] = [
    "coverage",
    "carried",
    "verbatim",
    "lexical",
    "log_length_ratio",
    "log_phrases",
    "added_traces",
    "version_headings",
    "coverage_x_novelty",
    "rule_copy",
    "rule_edit",
    "rule_paraphrase",
    "rule_summary",
    "rule_expansion",
    "rule_partial",
];

/// The derived-or-independent features picked from the full feature vector.
pub fn derived_features(all: &[f64]) -> Vec<f64> {
    pick(&DERIVED_FEATURES, all)
}

/// The derivation model's features picked from the full feature vector.
pub fn kind_features(all: &[f64]) -> Vec<f64> {
    pick(&KIND_FEATURES, all)
}

fn pick(names: &[&str], all: &[f64]) -> Vec<f64> {
    names
        .iter()
        .map(|name| {
            FEATURES
                .iter()
                .position(|f| f == name)
                .and_then(|k| all.get(k).copied())
                .unwrap_or(0.0)
        })
        .collect()
}

/// The features of a version against a source, from their collation figures and the
/// links' order (`order_kept`: share of consecutive aligned version sentences whose
/// source sentences also advance, which a rewrite that follows its source keeps).
pub fn features(
    source: &Document,
    version: &Document,
    summary: &PairSummary,
    link_sources: &[(usize, usize)],
) -> [f64; FEATURES.len()] {
    let s = summary;
    let body = |d: &Document| d.body_sentences().count();
    let aligned_share = if s.version_sentences > 0 {
        s.aligned_sentences as f64 / s.version_sentences as f64
    } else {
        0.0
    };
    let headings = version
        .sentences
        .iter()
        .filter(|x| x.kind == SentenceKind::Heading)
        .count();
    // The hand-set rule's reading of the same figures, one-hot: the models learn how far
    // to trust it beside the figures themselves (stacking), rather than the rule being
    // either the verdict or thrown away.
    let by_rule =
        crate::provenance::classify(summary, &crate::provenance::ProvenanceConfig::default());
    let rule = |d: Derivation| f64::from(u8::from(by_rule == d));
    let order_kept = {
        // One source sentence per version sentence (the first link), in version order.
        let mut firsts: Vec<(usize, usize)> = link_sources.to_vec();
        firsts.sort_unstable();
        firsts.dedup_by_key(|(v, _)| *v);
        let steps = firsts.windows(2).count();
        if steps == 0 {
            0.0
        } else {
            firsts.windows(2).filter(|w| w[1].1 >= w[0].1).count() as f64 / steps as f64
        }
    };
    [
        f64::from(s.similarity),
        f64::from(s.coverage),
        f64::from(s.novelty),
        f64::from(s.carried),
        f64::from(s.explained),
        f64::from(s.verbatim),
        f64::from(s.lexical),
        f64::from(s.length_ratio.max(1e-3)).ln(),
        f64::from(s.phrases),
        aligned_share,
        (body(version) as f64).ln_1p(),
        (body(source) as f64).ln_1p(),
        // The traces the version adds: a repost of a text that already bore one (the
        // seed story's "According to new developments") has added none.
        rewriting_traces(version)
            .saturating_sub(rewriting_traces(source))
            .min(3) as f64,
        rewriting_traces(source) as f64,
        (headings as f64).ln_1p(),
        f64::from(s.coverage * s.novelty),
        order_kept,
        // Shared phrasing on a log scale: independent accounts share almost none (a few
        // hundredths), derived texts a tenth or more, and the linear model needs that
        // ratio, not the difference, to tell them apart.
        (f64::from(s.phrases) + 0.01).ln(),
        rule(Derivation::Copy),
        rule(Derivation::Edit),
        rule(Derivation::Paraphrase),
        rule(Derivation::Summary),
        rule(Derivation::Expansion),
        rule(Derivation::Partial),
        rule(Derivation::Independent),
    ]
}

/// The derivation verdict: the most probable derivation and every class's probability.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivationVerdict {
    /// The most probable derivation.
    pub derivation: Derivation,
    /// Its calibrated probability.
    pub confidence: f64,
    /// Probability that the version was made from the source at all (not independent).
    pub derived: f64,
    /// Probability that the version is of a kind that keeps all of the source's facts (a
    /// copy, edit, paraphrase or expansion; not a summary or a partial reuse): how far a
    /// fact missing from it has been dropped rather than left out by design.
    pub keeps_all: f64,
}

/// Judges how `version` was made from `source`.
pub fn judge(
    source: &Document,
    version: &Document,
    summary: &PairSummary,
    link_sources: &[(usize, usize)],
) -> DerivationVerdict {
    let x = features(source, version, summary, link_sources);
    let derived = derived_model().probability(&derived_features(&x), "derived");
    if derived < derived_model().threshold {
        return DerivationVerdict {
            derivation: Derivation::Independent,
            confidence: 1.0 - derived,
            derived,
            keeps_all: 0.0,
        };
    }
    let p = model().predict(&kind_features(&x));
    let (k, confidence) = p
        .iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0, 1.0));
    let derivation = model()
        .classes
        .get(k)
        .and_then(|name| CLASSES.iter().find(|d| d.as_str() == name))
        .copied()
        .unwrap_or(Derivation::Copy);
    // The named derivation's probability is that of being derived at all times that of
    // this derivation among derived versions.
    let confidence = derived * confidence;
    let keeps_all = derived
        * model()
            .classes
            .iter()
            .zip(&p)
            .filter(|(c, _)| matches!(c.as_str(), "copy" | "edit" | "paraphrase" | "expansion"))
            .map(|(_, p)| p)
            .sum::<f64>();
    DerivationVerdict {
        derivation,
        confidence,
        derived,
        keeps_all,
    }
}
