//! Drift: the facts a version changed, dropped or added relative to the version it derives
//! from.
//!
//! A version's fact is held against the parent's facts in its *aligned context*: the parent
//! sentences its sentence is aligned with, and parent facts anywhere whose surrounding words
//! match (a summary moves a fact to another sentence). Then:
//!
//! - a compatible value there supports it (equivalent variants — "$105m"/"$105 million",
//!   "on Thursday"/"on 20 November" — are the same value);
//! - a comparable fact with a different value there is a **changed** fact, and so is a
//!   quote the parent gives to one named speaker and the version to another;
//! - a value found nowhere in the parent nor in any other version of the story is
//!   **added** (an invented figure, date or quote);
//! - a key fact of the parent found nowhere in the version is **dropped** (casualty figures,
//!   amounts, quantities, and facts of the parent's lead; incidental facts are left out,
//!   because every summary omits them).
//!
//! When unsure, drift says nothing: a false alarm costs a reader's trust more than a miss.
//! Independent accounts are held against the original for `changed` facts only.

pub mod claims;

use serde::Serialize;

use crate::collate::Link;
use crate::facts::{Fact, FactKind, FactValue};
use crate::model::Document;

/// The three kinds of drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DriftKind {
    /// A different value in aligned context.
    Changed,
    /// The parent's fact is absent from the version.
    Dropped,
    /// A fact that neither the parent nor any other version supports.
    Added,
}

impl DriftKind {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Changed => "changed",
            DriftKind::Dropped => "dropped",
            DriftKind::Added => "added",
        }
    }
}

/// One drift item: indices refer to the facts of the parent and of the version.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// Changed, dropped or added.
    pub kind: DriftKind,
    /// The kind of fact.
    pub fact_kind: FactKind,
    /// The parent's fact (absent for `added`).
    pub source: Option<Fact>,
    /// The version's fact (absent for `dropped`).
    pub version: Option<Fact>,
    /// One plain sentence for the reader.
    pub explanation: String,
    /// How much it matters, 0..=1: changed above added above dropped, casualty figures and
    /// amounts above incidental numbers. Reports list the most serious first.
    pub severity: f32,
    /// Calibrated probability that the item is real: for a changed or added fact, that
    /// the consistency verdict finds its sentence unsupported by the source; for a dropped
    /// fact, that the version is of a kind that should have kept it (a copy, edit,
    /// paraphrase or expansion, not a summary or a partial reuse). Set by the analysis;
    /// 1 until then.
    pub confidence: f32,
}

/// How a version is held against its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Derived: changed, dropped and added facts.
    Derived,
    /// An independent account held against the original: changed facts only.
    Independent,
}

/// Finds the drift of a version against its parent.
///
/// `links` align the parent (source side) with the version; `others` are the facts of the
/// story's other versions, which can support a fact the parent lacks.
pub fn find_drift(
    parent: &Document,
    parent_facts: &[Fact],
    version_facts: &[Fact],
    links: &[Link],
    others: &[&[Fact]],
    scope: Scope,
) -> Vec<Drift> {
    let mut drift = Vec::new();
    let mut parent_used = vec![false; parent_facts.len()];
    let parent_text = parent.text.to_lowercase();
    for fact in version_facts {
        if fact.kind == FactKind::Quote {
            if let Some(item) = misattributed(fact, parent_facts) {
                drift.push(item);
                continue;
            }
            if scope == Scope::Derived
                && let Some(item) = quote_drift(fact, parent_facts, links, others)
            {
                drift.push(item);
            }
            continue;
        }
        let linked: Vec<usize> = links
            .iter()
            .filter(|l| l.version == fact.sentence)
            .map(|l| l.source)
            .collect();
        // The parent facts this one could be about: same kind of thing, in an aligned
        // sentence, or anywhere with enough of the same words around it.
        // A role's context is its person, wherever the parent names them.
        let context: Vec<(usize, &Fact)> = parent_facts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.comparable(fact))
            .filter(|(_, p)| {
                if fact.kind == FactKind::Role {
                    return true;
                }
                let shared = p.shared_context(fact);
                (linked.contains(&p.sentence) && shared >= 1) || shared >= 2
            })
            .collect();
        if let Some((i, _)) = context.iter().find(|(_, p)| p.same_value(fact)) {
            parent_used[*i] = true;
            continue;
        }
        // The likeliest counterpart shares the most context; a date of a close granularity
        // (a year for a year, a month for a year) is likelier than a distant one (a
        // rewriter turns "in August" into "2022", not "on Wednesday").
        if let Some(&(i, p)) = context.iter().max_by_key(|(i, p)| {
            (
                3 * p.shared_context(fact) as i64 - 2 * granularity_distance(p, fact),
                std::cmp::Reverse(*i),
            )
        }) && (linked.contains(&p.sentence) || !bare_number(fact))
            && changed_is_clear(p, fact)
        {
            parent_used[i] = true;
            drift.push(changed(p, fact));
            continue;
        }
        // The same figure stated elsewhere in the parent: the version moved it.
        if let Some(i) = parent_facts.iter().position(|p| p.same_figure(fact)) {
            parent_used[i] = true;
            continue;
        }
        if scope == Scope::Derived
            && !supported_by_others(fact, others)
            && !named_in(fact, &parent_text)
        {
            drift.push(added(fact));
        }
    }
    if scope == Scope::Derived {
        let carried: Vec<bool> = parent_facts
            .iter()
            .enumerate()
            .map(|(i, fact)| parent_used[i] || version_facts.iter().any(|v| v.same_figure(fact)))
            .collect();
        for (i, fact) in parent_facts.iter().enumerate() {
            if carried[i] || fact.kind == FactKind::Quote {
                continue;
            }
            if let Some(severity) = dropped_severity(fact, parent, parent_facts, &carried) {
                drift.push(Drift {
                    kind: DriftKind::Dropped,
                    fact_kind: fact.kind,
                    explanation: format!(
                        "{} ({}) is missing from the version",
                        describe_subject(fact),
                        fact.describe()
                    ),
                    source: Some(fact.clone()),
                    version: None,
                    severity,
                    confidence: 1.0,
                });
            }
        }
    }
    drift.sort_by(|a, b| {
        b.severity
            .total_cmp(&a.severity)
            .then(sentence_of(a).cmp(&sentence_of(b)))
    });
    drift
}

fn sentence_of(drift: &Drift) -> usize {
    drift
        .version
        .as_ref()
        .or(drift.source.as_ref())
        .map(|f| f.sentence)
        .unwrap_or(0)
}

/// How many steps apart two dates' granularities are (day, week, month, season, year,
/// decade); 0 for other facts.
fn granularity_distance(a: &Fact, b: &Fact) -> i64 {
    match (&a.value, &b.value) {
        (FactValue::Date(x), FactValue::Date(y)) => {
            (x.granularity as i64 - y.granularity as i64).abs()
        }
        _ => 0,
    }
}

/// A number with no unit and no counted noun: "two", "67".
fn bare_number(fact: &Fact) -> bool {
    fact.kind == FactKind::Number
}

/// A change is claimed only when the two values are clearly different things of one kind:
/// incompatible dates; comparable numbers not within rounding, neither of them vague
/// ("dozens", "hundreds"), and bare numbers only with much shared context.
fn changed_is_clear(source: &Fact, version: &Fact) -> bool {
    use crate::facts::numbers::{self, Approx};
    match (&source.value, &version.value) {
        (FactValue::Date(a), FactValue::Date(b)) => !a.compatible(b),
        (FactValue::Role(pa, a), FactValue::Role(pb, b)) => {
            pa.key == pb.key && !crate::facts::people::roles_compatible(a, b)
        }
        (FactValue::Number(a), FactValue::Number(b)) => {
            let vague = a.approx == Approx::Indefinite || b.approx == Approx::Indefinite;
            let bare_ok = !(bare_number(source) || bare_number(version))
                || (source.shared_context(version) >= 3 && !timed(a) && !timed(b));
            numbers::comparable(a, b) && !numbers::same_value(a, b) && !vague && bare_ok
        }
        _ => false,
    }
}

/// An age or a span of time: a bare number beside it ("Bueno, 27", "69") may be anything
/// else, so a difference is no change.
fn timed(mention: &crate::facts::NumberMention) -> bool {
    mention.kind == crate::facts::NumberKind::Quantity
        && mention.unit.as_deref().is_some_and(|u| {
            matches!(
                u,
                "age" | "year" | "month" | "week" | "day" | "hour" | "minute"
            )
        })
}

fn changed(source: &Fact, version: &Fact) -> Drift {
    let what = describe_subject(source);
    Drift {
        kind: DriftKind::Changed,
        fact_kind: version.kind,
        explanation: format!(
            "{what} changed from {} to {}",
            source.describe(),
            version.describe()
        ),
        source: Some(source.clone()),
        version: Some(version.clone()),
        severity: 1.0,
        confidence: 1.0,
    }
}

fn added(fact: &Fact) -> Drift {
    Drift {
        kind: DriftKind::Added,
        fact_kind: fact.kind,
        explanation: format!(
            "{} ({}) appears in no other version",
            describe_subject(fact),
            fact.describe()
        ),
        source: None,
        version: Some(fact.clone()),
        severity: 0.8,
        confidence: 1.0,
    }
}

/// "the date of 'dam completed'", "the number of people killed": a short phrase for
/// explanations.
fn describe_subject(fact: &Fact) -> String {
    let noun = match fact.kind {
        FactKind::Date => "the date",
        FactKind::Money => "the amount",
        FactKind::Percent => "the percentage",
        FactKind::Quantity => "the count",
        FactKind::Number => "the figure",
        FactKind::Quote => "the quote",
        FactKind::Claim => "the statement",
        FactKind::Person => "the person",
        FactKind::Role => "the role",
        FactKind::Place => "the place",
        FactKind::Org => "the organisation",
    };
    if fact.subject.is_empty() {
        noun.to_string()
    } else {
        format!("{noun} for “{}”", fact.subject)
    }
}

/// Whether the parent's text names a person, place or organisation the extractors did not
/// find there (inside a title, after a possessive): an unrecognised mention is no
/// invention.
fn named_in(fact: &Fact, parent_text: &str) -> bool {
    let name = match &fact.value {
        FactValue::Person(person) | FactValue::Role(person, _) => person
            .name
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase(),
        FactValue::Entity(entity) => entity.text.to_lowercase(),
        _ => return false,
    };
    name.chars().count() >= 2 && parent_text.contains(&name)
}

fn supported_by_others(fact: &Fact, others: &[&[Fact]]) -> bool {
    others
        .iter()
        .any(|facts| facts.iter().any(|other| other.same_figure(fact)))
}

/// A quote the parent gives to one person and the version to another: changed, when both
/// name a speaker and no matching quote of the parent has the version's.
fn misattributed(fact: &Fact, parent_facts: &[Fact]) -> Option<Drift> {
    let FactValue::Quote(_, Some(speaker)) = &fact.value else {
        return None;
    };
    let matching: Vec<(&Fact, &crate::facts::PersonMention)> = parent_facts
        .iter()
        .filter(|p| p.kind == FactKind::Quote && p.same_value(fact))
        .filter_map(|p| match &p.value {
            FactValue::Quote(_, Some(who)) => Some((p, who)),
            _ => None,
        })
        .collect();
    if matching.is_empty() || matching.iter().any(|(_, who)| who.key == speaker.key) {
        return None;
    }
    let (source, original) = matching[0];
    Some(Drift {
        kind: DriftKind::Changed,
        fact_kind: FactKind::Quote,
        explanation: format!(
            "the quote “{}” is given to {} instead of {}",
            shorten_quote(fact.text.trim()),
            speaker.name,
            original.name
        ),
        source: Some(source.clone()),
        version: Some(fact.clone()),
        severity: 1.0,
        confidence: 1.0,
    })
}

/// The first words of a long quote, for an explanation.
fn shorten_quote(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 10 {
        return text.to_string();
    }
    format!("{}…", words[..10].join(" "))
}

/// An invented quote: a quote in a version sentence that is aligned with no parent
/// sentence holding a matching quote, and that no other version carries.
fn quote_drift(
    fact: &Fact,
    parent_facts: &[Fact],
    links: &[Link],
    others: &[&[Fact]],
) -> Option<Drift> {
    let aligned = links.iter().any(|l| l.version == fact.sentence);
    let matched = parent_facts
        .iter()
        .filter(|p| p.kind == FactKind::Quote)
        .any(|p| p.same_value(fact));
    if aligned || matched || supported_by_others(fact, others) {
        return None;
    }
    let mut item = added(fact);
    item.explanation = format!(
        "a quote appears that neither the source nor any other version contains: “{}”",
        fact.text.trim()
    );
    Some(item)
}

/// Whether a parent fact matters enough to report its absence, and how much: casualty
/// figures first, then amounts and other quantities, and any fact of the parent's lead
/// (its first two body sentences).
fn dropped_severity(
    fact: &Fact,
    parent: &Document,
    parent_facts: &[Fact],
    carried: &[bool],
) -> Option<f32> {
    if let FactValue::Number(number) = &fact.value {
        // Bare and vague figures ("two", "dozens") are incidental.
        if fact.kind == FactKind::Number
            || number.approx == crate::facts::numbers::Approx::Indefinite
        {
            return None;
        }
        // A conversion in brackets ("$105m (£80m)") goes with the amount before it.
        if fact.kind == FactKind::Money && is_conversion(fact, parent, parent_facts, carried) {
            return None;
        }
    }
    let lead: Vec<usize> = parent.body_sentences().take(2).map(|(i, _)| i).collect();
    let in_lead = lead.contains(&fact.sentence);
    let casualty = match &fact.value {
        FactValue::Number(number) => {
            number
                .unit
                .as_deref()
                .is_some_and(|unit| matches!(unit, "death" | "injury" | "casualty"))
                || (fact.kind == FactKind::Quantity
                    && fact.context.iter().any(|c| is_casualty_word(c)))
        }
        _ => false,
    };
    // Roles, places and organisations are detail; a person dropped from the lead is not.
    if matches!(fact.kind, FactKind::Role | FactKind::Place | FactKind::Org) {
        return None;
    }
    let base = match fact.kind {
        FactKind::Quantity if casualty => 0.7,
        FactKind::Money => 0.5,
        FactKind::Quantity => 0.45,
        _ => 0.3,
    };
    let severity = if in_lead { base + 0.1 } else { base };
    (casualty || in_lead || fact.kind == FactKind::Money).then_some(severity)
}

/// Whether a money fact is a bracketed conversion of an amount just before it that the
/// version carries.
fn is_conversion(fact: &Fact, parent: &Document, parent_facts: &[Fact], carried: &[bool]) -> bool {
    let Some(sentence) = parent.sentences.get(fact.sentence) else {
        return false;
    };
    let before = sentence.text[..fact.span.0.min(sentence.text.len())].trim_end();
    before.ends_with('(')
        && parent_facts.iter().enumerate().any(|(i, other)| {
            other.kind == FactKind::Money
                && other.sentence == fact.sentence
                && other.span.1 <= fact.span.0
                && fact.span.0 - other.span.1 <= 3
                && carried.get(i).copied().unwrap_or(false)
        })
}

fn is_casualty_word(stem: &str) -> bool {
    matches!(
        stem,
        "kill" | "die" | "dead" | "death" | "injur" | "wound" | "hurt" | "casualti" | "fatal"
    )
}
