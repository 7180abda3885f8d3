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
//! - a figure, date, person or quote of the parent found nowhere in the version is a
//!   candidate for **dropped**; the analysis keeps it when the version should have carried
//!   it (every fact for a copy, edit, paraphrase or expansion; for a summary, what a
//!   summary of its length keeps: [`crate::verdict::keep`]).
//!
//! When unsure, drift says nothing: a false alarm costs a reader's trust more than a miss.
//! Independent accounts are held against the original for `changed` facts only.

pub mod claims;

use std::collections::HashSet;

use serde::Serialize;

use crate::collate::Link;
use crate::facts::entities::find_listed;
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
    version: &Document,
    version_facts: &[Fact],
    links: &[Link],
    others: &[&[Fact]],
    scope: Scope,
) -> Vec<Drift> {
    let mut drift = Vec::new();
    let mut parent_used = vec![false; parent_facts.len()];
    let parent_text = parent.text.to_lowercase();
    let parent_entities = listed_entities(parent);
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
            && !named_in(fact, &parent_text, &parent_entities)
        {
            drift.push(added(fact));
        }
    }
    if scope == Scope::Derived {
        let version_words = words_of(version);
        let version_entities = listed_entities(version);
        let carried: Vec<bool> = parent_facts
            .iter()
            .enumerate()
            .map(|(i, fact)| {
                parent_used[i]
                    || still_there(
                        fact,
                        version_facts,
                        &version_words,
                        &version_entities,
                        links,
                    )
            })
            .collect();
        let mut reported: Vec<(FactKind, String)> = Vec::new();
        for (i, fact) in parent_facts.iter().enumerate() {
            if carried[i] {
                continue;
            }
            // A fact the parent states several times is dropped once.
            let key = (fact.kind, fact.value_string());
            if reported.contains(&key) {
                continue;
            }
            if let Some(severity) = dropped_severity(fact, parent, parent_facts, &carried) {
                reported.push(key);
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
            pa.key == pb.key && !crate::facts::roles::roles_compatible(a, b)
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

/// "the date for “dam completed”", "the count for “people killed in Ternopil”", "the
/// quote by Anton Veresov": a short phrase for explanations.
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
    } else if fact.kind == FactKind::Quote {
        // A quote's subject is its speaker.
        format!("{noun} by {}", fact.subject)
    } else {
        format!("{noun} for “{}”", fact.subject)
    }
}

/// Whether the parent's text names a person, place or organisation the extractors did not
/// find there (inside a title, after a possessive): an unrecognised mention is no
/// invention. A listed place or organisation is named in any of its forms ("the US" for
/// "the United States").
fn named_in(fact: &Fact, parent_text: &str, parent_entities: &HashSet<String>) -> bool {
    let name = match &fact.value {
        FactValue::Person(person) | FactValue::Role(person, _) => person
            .name
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase(),
        FactValue::Entity(entity) if parent_entities.contains(&entity.key) => return true,
        FactValue::Entity(entity) => entity.text.to_lowercase(),
        _ => return false,
    };
    name.chars().count() >= 2 && parent_text.contains(&name)
}

/// The keys of the listed places and organisations a document names, in any of their
/// forms ("US", "U.S.", "America" and "United States" are "united states").
fn listed_entities(document: &Document) -> HashSet<String> {
    document
        .sentences
        .iter()
        .flat_map(|s| find_listed(&s.text))
        .map(|entity| entity.key)
        .collect()
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

/// Whether a parent fact would be a candidate for `dropped` were it missing (see
/// [`find_drift`]); the learned verdict's training rows are these facts.
pub fn droppable(fact: &Fact, parent: &Document, parent_facts: &[Fact]) -> bool {
    dropped_severity(fact, parent, parent_facts, &vec![false; parent_facts.len()]).is_some()
}

/// Whether a parent fact missing from the version is a candidate for `dropped`, and how
/// much it matters: a figure, a date, a person or a quote (roles, places and
/// organisations are detail; bare words for numbers and vague ones, "two" or "dozens",
/// are incidental); casualty figures first, then amounts, other quantities, the rest, and
/// a fact of the parent's lead (its first two body sentences) above one further down.
/// Whether the version should have kept it is the learned verdict's call
/// ([`crate::verdict::keep`]).
fn dropped_severity(
    fact: &Fact,
    parent: &Document,
    parent_facts: &[Fact],
    carried: &[bool],
) -> Option<f32> {
    if matches!(
        fact.kind,
        FactKind::Role | FactKind::Place | FactKind::Org | FactKind::Claim
    ) {
        return None;
    }
    if let FactValue::Number(number) = &fact.value {
        let in_words = !fact.text.chars().any(|c| c.is_ascii_digit());
        if number.approx == crate::facts::numbers::Approx::Indefinite
            || (in_words && fact.kind == FactKind::Number)
        {
            return None;
        }
        // A conversion in brackets ("$105m (£80m)") goes with the amount before it.
        if fact.kind == FactKind::Money && is_conversion(fact, parent, parent_facts, carried) {
            return None;
        }
    }
    let lead: Vec<usize> = parent.body_sentences().take(2).map(|(i, _)| i).collect();
    let base = match fact.kind {
        FactKind::Quantity if crate::verdict::keep::casualty(fact) => 0.7,
        FactKind::Money => 0.5,
        FactKind::Quantity | FactKind::Percent => 0.45,
        _ => 0.3,
    };
    Some(if lead.contains(&fact.sentence) {
        base + 0.1
    } else {
        base
    })
}

/// A document's words, lower-cased, one space apart.
fn words_of(document: &Document) -> String {
    let texts: Vec<&str> = document.sentences.iter().map(|s| s.text.as_str()).collect();
    words_of_text(&texts.join(" "))
}

/// Whether the version still states a parent fact in any form: the same figure whatever
/// noun counts it ("14 countries", "14 nations"), a date it allows, the person's name,
/// the quote's words in order or most of them, or a quote in a sentence
/// aligned with the quote's (a paraphrase rewords quotes too), the place or organisation
/// in any of its forms ("the US" for "the United States").
fn still_there(
    fact: &Fact,
    version_facts: &[Fact],
    version_words: &str,
    version_entities: &HashSet<String>,
    links: &[Link],
) -> bool {
    use crate::facts::numbers;
    match &fact.value {
        FactValue::Number(a) => version_facts.iter().any(|v| match &v.value {
            FactValue::Number(b) => {
                let same_kind = a.kind == b.kind
                    && (a.kind != crate::facts::NumberKind::Money || a.unit == b.unit);
                (same_kind || numbers::comparable(a, b)) && numbers::within_rounding(a, b)
            }
            _ => false,
        }),
        FactValue::Date(a) => version_facts.iter().any(|v| match &v.value {
            FactValue::Date(b) => a.compatible(b),
            _ => false,
        }),
        FactValue::Quote(..) => {
            let quoted = words_of_text(&fact.text);
            // The quote's words, most of them still in the version: a quote reworded or
            // taken out of quotation marks is carried, not dropped.
            let long: Vec<&str> = quoted.split(' ').filter(|w| w.len() >= 3).collect();
            let found = long
                .iter()
                .filter(|w| version_words.contains(&format!(" {w} ")))
                .count();
            quoted.trim().is_empty()
                || version_words.contains(&quoted)
                || (long.len() >= 3 && found * 10 >= long.len() * 7)
                || version_facts.iter().any(|v| {
                    v.kind == FactKind::Quote
                        && links
                            .iter()
                            .any(|l| l.source == fact.sentence && l.version == v.sentence)
                })
        }
        FactValue::Person(person) | FactValue::Role(person, _) => {
            let name = person.name.split_whitespace().last().unwrap_or("");
            version_words.contains(&words_of_text(name)) || spelled_otherwise(name, version_words)
        }
        FactValue::Entity(entity) => {
            version_entities.contains(&entity.key)
                || version_facts.iter().any(|v| v.same_value(fact))
                || version_words.contains(&words_of_text(&entity.text))
        }
        FactValue::Claim(_) => true,
    }
}

/// Whether the version writes a surname another way ("Fedoseyev", "Fedoseev"): a word of
/// the same opening, within two edits of it, for names of six letters or more.
fn spelled_otherwise(name: &str, version_words: &str) -> bool {
    let name = name.to_lowercase();
    let opening: String = name.chars().take(3).collect();
    name.chars().count() >= 6
        && version_words.split(' ').any(|word| {
            word != name && word.starts_with(&opening) && strsim::levenshtein(word, &name) <= 2
        })
}

/// A text's words as [`words_of`] writes them.
fn words_of_text(text: &str) -> String {
    let mut words = String::from(" ");
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        words.push_str(&word.to_lowercase());
        words.push(' ');
    }
    words
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
