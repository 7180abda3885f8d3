//! Should a shorter version have kept this fact? A copy, an edit, a paraphrase or an
//! expansion keeps every figure, date, person and quote of its source, so any of them
//! missing is dropped. A summary leaves most facts out by design: it has dropped only what
//! a summary of its length keeps. This model learns that from summaries — the BBC's own
//! extractive summaries and summaries generated from BBC articles — as the probability
//! that a summary of this length carries a given fact of its source, from where the fact
//! stands (the lead, the headline's words, a sentence the summary kept), what kind it is
//! and how often the source repeats it.
//!
//! The report's confidence in a dropped fact is the probability that the version keeps
//! all facts, plus the rest times this model's probability that a summary keeps it; the
//! fact is reported when that reaches one half.

use std::sync::LazyLock;

use super::Model;
use crate::collate::Link;
use crate::facts::{Fact, FactKind, FactValue};
use crate::model::Document;

/// Feature names, in the order of [`features`].
pub const FEATURES: [&str; 17] = [
    "log_length_ratio",
    "position",
    "lead",
    "first",
    "aligned",
    "link_score",
    "coverage",
    "money",
    "percent",
    "quantity",
    "number",
    "date",
    "person",
    "quote",
    "casualty",
    "log_repeats",
    "title_words",
];

static MODEL: LazyLock<Model> =
    LazyLock::new(|| super::builtin(include_str!("../../models/keep.json")));

/// The model.
pub fn model() -> &'static Model {
    &MODEL
}

/// The words of a document's body, for its length.
fn body_words(document: &Document) -> usize {
    document
        .body_sentences()
        .map(|(_, s)| s.text.split_whitespace().count())
        .sum()
}

/// The features of one fact of `parent` that `version` may or may not carry; `links`
/// align the parent (source side) with the version.
pub fn features(
    parent: &Document,
    version: &Document,
    parent_facts: &[Fact],
    fact: &Fact,
    links: &[Link],
) -> Vec<f64> {
    let body: Vec<usize> = parent.body_sentences().map(|(i, _)| i).collect();
    let rank = body.iter().position(|&i| i == fact.sentence).unwrap_or(0);
    let n = body.len().max(1);
    let ratio = (body_words(version).max(1) as f64 / body_words(parent).max(1) as f64).min(4.0);
    let link_score = links
        .iter()
        .filter(|l| l.source == fact.sentence)
        .map(|l| l.score as f64)
        .fold(0.0, f64::max);
    let mut aligned: Vec<usize> = links.iter().map(|l| l.source).collect();
    aligned.sort_unstable();
    aligned.dedup();
    let coverage = aligned.iter().filter(|i| body.contains(i)).count() as f64 / n as f64;
    let kind = |k: FactKind| (fact.kind == k) as u8 as f64;
    let repeats = parent_facts
        .iter()
        .filter(|p| {
            (p.sentence, p.span) != (fact.sentence, fact.span)
                && p.kind == fact.kind
                && p.same_figure(fact)
        })
        .count();
    let title: Vec<String> = parent
        .title
        .as_deref()
        .unwrap_or("")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .collect();
    let sentence = parent
        .sentences
        .get(fact.sentence)
        .map(|s| s.text.to_lowercase())
        .unwrap_or_default();
    let title_words = title
        .iter()
        .filter(|w| sentence.contains(w.as_str()))
        .count() as f64
        / title.len().max(1) as f64;
    vec![
        ratio.ln(),
        rank as f64 / n as f64,
        (rank < 2) as u8 as f64,
        (rank == 0) as u8 as f64,
        (link_score > 0.0) as u8 as f64,
        link_score,
        coverage,
        kind(FactKind::Money),
        kind(FactKind::Percent),
        kind(FactKind::Quantity),
        kind(FactKind::Number),
        kind(FactKind::Date),
        kind(FactKind::Person),
        kind(FactKind::Quote),
        casualty(fact) as u8 as f64,
        (1.0 + repeats as f64).ln(),
        title_words,
    ]
}

/// A count of people killed or hurt.
pub fn casualty(fact: &Fact) -> bool {
    match &fact.value {
        FactValue::Number(number) => {
            number
                .unit
                .as_deref()
                .is_some_and(|unit| matches!(unit, "death" | "injury" | "casualty"))
                || (fact.kind == FactKind::Quantity
                    && fact.context.iter().any(|c| {
                        matches!(
                            c.as_str(),
                            "kill"
                                | "die"
                                | "dead"
                                | "death"
                                | "injur"
                                | "wound"
                                | "hurt"
                                | "casualti"
                                | "fatal"
                        )
                    }))
        }
        _ => false,
    }
}

/// Probability that a summary of `version`'s length carries `fact` of `parent`.
pub fn summary_keeps(
    parent: &Document,
    version: &Document,
    parent_facts: &[Fact],
    fact: &Fact,
    links: &[Link],
) -> f64 {
    model().probability(
        &features(parent, version, parent_facts, fact, links),
        "kept",
    )
}

/// Probability that the version should have carried `fact`: certain for a version that
/// keeps every fact (`keeps_all`, from the derivation verdict), the summary model's
/// probability otherwise.
pub fn should_keep(keeps_all: f64, summary_keeps: f64) -> f64 {
    keeps_all + (1.0 - keeps_all) * summary_keeps
}
