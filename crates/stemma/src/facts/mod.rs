//! Facts: the checkable units of a news text — dates, numbers, money, percentages,
//! quantities, people, their roles, places, organisations, and direct quotes.
//!
//! [`extract`] reads every body sentence of a document and returns its facts, each with the
//! quoted text, a normalised value, a subject (what it is about, a noun phrase such as
//! "people killed in Ternopil") and the words around it (its *context*, which lets drift
//! match a fact across versions that reworded the sentence).
//!
//! One module per concern, each reading only those above it in this list:
//!
//! - `tokens`: the case-keeping tokens the name readers walk;
//! - `lexicon`: which capitalised words are what — never names, spellings, the listed
//!   places and organisations with their aliases ("US" / "United States"), entity cues,
//!   headline case;
//! - [`roles`]: titles and offices, and whether two roles agree;
//! - [`people`]: people and the roles written next to them;
//! - [`entities`]: places and organisations, outside the people found;
//! - [`dates`], [`numbers`]: dates, figures, amounts, percentages, quantities;
//! - `quotes`: direct quotes and their speakers;
//! - `subjects`: the subject and context of each fact.
//!
//! Vocabularies are data files under `data/`. Dates are resolved against the document's
//! publication date, else the story's (the caller passes the anchor).

pub mod dates;
pub mod entities;
mod lexicon;
pub mod numbers;
pub mod people;
mod quotes;
pub mod roles;
mod subjects;
mod tokens;

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{Document, SentenceKind};
use subjects::Surroundings;

pub use dates::{DateMention, DateValue};
pub use entities::EntityMention;
pub use lexicon::EntityKind;
pub use numbers::{NumberKind, NumberMention};
pub use people::{NameIndex, PersonMention};
pub use roles::RoleMention;

/// The kinds of fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FactKind {
    /// A date or period.
    Date,
    /// A bare number.
    Number,
    /// An amount of money.
    Money,
    /// A percentage.
    Percent,
    /// A number with a counted noun ("26 people").
    Quantity,
    /// A named person.
    Person,
    /// A person's title or office.
    Role,
    /// A place.
    Place,
    /// An organisation.
    Org,
    /// A direct quote (words in quotation marks attributed to someone).
    Quote,
    /// A whole statement of a version, reported when its source does not support it
    /// (see [`crate::drift::claims`]); never extracted on its own.
    Claim,
}

impl FactKind {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Date => "date",
            FactKind::Number => "number",
            FactKind::Money => "money",
            FactKind::Percent => "percent",
            FactKind::Quantity => "quantity",
            FactKind::Person => "person",
            FactKind::Role => "role",
            FactKind::Place => "place",
            FactKind::Org => "org",
            FactKind::Quote => "quote",
            FactKind::Claim => "claim",
        }
    }
}

/// The normalised value of a fact, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    /// A resolved date.
    Date(DateValue),
    /// A number, amount, percentage or quantity.
    Number(NumberMention),
    /// A quote: its content stems (for matching a reworded quote) and its speaker, when the
    /// sentence names one beside a verb of saying.
    Quote(Vec<String>, Option<PersonMention>),
    /// A person, by the transliteration-insensitive key of the surname.
    Person(PersonMention),
    /// A person's role: the person (its key) and the normalised title.
    Role(PersonMention, RoleMention),
    /// A place or organisation, by its normalised key.
    Entity(EntityMention),
    /// A statement: the words of it that its source does not support.
    Claim(Vec<String>),
}

/// One fact of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// What kind of fact.
    pub kind: FactKind,
    /// Index into the document's sentence list.
    pub sentence: usize,
    /// Byte span in the sentence.
    pub span: (usize, usize),
    /// The text quoted from the sentence.
    pub text: String,
    /// The normalised value.
    pub value: FactValue,
    /// What the fact is about, in a few words of the sentence.
    pub subject: String,
    /// Content stems around the fact (not its own words), for matching across rewordings.
    pub context: Vec<String>,
}

impl Fact {
    /// The value as the JSON report shows it: "2025-08", "105000000 USD", "26 person", …
    pub fn value_string(&self) -> String {
        match &self.value {
            FactValue::Date(date) => date.value_string(),
            FactValue::Number(number) => number_value_string(number),
            FactValue::Quote(..) => self.text.clone(),
            FactValue::Person(person) => person.name.clone(),
            FactValue::Role(_, role) => role.value.clone(),
            FactValue::Entity(entity) => entity.key.clone(),
            FactValue::Claim(words) => words.join(" "),
        }
    }

    /// The value for a sentence of explanation: "August 2025", "$105m", "26 people".
    pub fn describe(&self) -> String {
        match &self.value {
            FactValue::Date(date) => date.describe(),
            FactValue::Role(_, role) => format!("“{}”", role.text),
            FactValue::Number(_)
            | FactValue::Quote(..)
            | FactValue::Person(_)
            | FactValue::Entity(_)
            | FactValue::Claim(_) => self.text.clone(),
        }
    }

    /// The person a role belongs to (its surname key).
    pub fn person_key(&self) -> Option<&str> {
        match &self.value {
            FactValue::Person(person) | FactValue::Role(person, _) => Some(&person.key),
            _ => None,
        }
    }

    /// Whether two facts state the same value (an equivalent variant is the same value).
    pub fn same_value(&self, other: &Fact) -> bool {
        match (&self.value, &other.value) {
            (FactValue::Date(a), FactValue::Date(b)) => a.compatible(b),
            (FactValue::Number(a), FactValue::Number(b)) => {
                numbers::comparable(a, b) && numbers::same_value(a, b)
            }
            (FactValue::Quote(a, _), FactValue::Quote(b, _)) => overlap(a, b) >= 0.5,
            (FactValue::Person(a), FactValue::Person(b)) => a.key == b.key,
            (FactValue::Role(pa, a), FactValue::Role(pb, b)) => {
                pa.key == pb.key && roles::roles_compatible(a, b)
            }
            (FactValue::Entity(a), FactValue::Entity(b)) => a.key == b.key && a.kind == b.kind,
            _ => false,
        }
    }

    /// Whether two facts state the same figure, not merely compatible ones: "at least 14"
    /// allows 1,200, but is not the same figure. Used when matching a fact anywhere in a
    /// text rather than in its aligned context, where "compatible" would match too much.
    pub fn same_figure(&self, other: &Fact) -> bool {
        match (&self.value, &other.value) {
            (FactValue::Date(a), FactValue::Date(b)) => {
                a.compatible(b) && a.granularity == b.granularity
            }
            (FactValue::Number(a), FactValue::Number(b)) => {
                numbers::comparable(a, b) && numbers::within_rounding(a, b)
            }
            _ => self.same_value(other),
        }
    }

    /// Whether two facts can be held against each other: the same kind of thing, so that a
    /// different value is a change rather than another fact.
    pub fn comparable(&self, other: &Fact) -> bool {
        match (&self.value, &other.value) {
            (FactValue::Date(_), FactValue::Date(_)) => true,
            (FactValue::Number(a), FactValue::Number(b)) => numbers::comparable(a, b),
            // A role is held against the same person's role: another title is a change.
            (FactValue::Role(a, _), FactValue::Role(b, _)) => a.key == b.key,
            _ => false,
        }
    }

    /// Context stems shared with another fact.
    pub fn shared_context(&self, other: &Fact) -> usize {
        self.context
            .iter()
            .filter(|stem| other.context.contains(stem))
            .count()
    }
}

fn number_value_string(number: &NumberMention) -> String {
    let value = if number.value.fract() == 0.0 && number.value.abs() < 1e15 {
        format!("{}", number.value as i64)
    } else {
        format!("{}", number.value)
    };
    match (&number.kind, &number.unit) {
        (NumberKind::Percent, _) => format!("{value}%"),
        (_, Some(unit)) => format!("{value} {unit}"),
        _ => value,
    }
}

/// Share of the smaller set found in the larger.
fn overlap(a: &[String], b: &[String]) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    let found = small.iter().filter(|s| large.contains(s)).count();
    found as f32 / small.len() as f32
}

/// Extracts the facts of every body sentence of a document; relative dates resolve
/// against `anchor` (the document's publication date, else the story's).
pub fn extract(document: &Document, anchor: Option<Date>) -> Vec<Fact> {
    extract_with_reference(document, anchor, None)
}

/// Like [`extract`], and when the document is written without capitals (tokenised model
/// output), its case is first restored from `reference` (the text it was made from), so
/// that names are names again.
pub fn extract_with_reference(
    document: &Document,
    anchor: Option<Date>,
    reference: Option<&Document>,
) -> Vec<Fact> {
    let restore = reference.filter(|_| crate::normalize::is_lowercased(&document.text));
    let sentences: Vec<(usize, String)> = document
        .sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == SentenceKind::Body)
        .map(|(i, s)| match restore {
            Some(reference) => (i, crate::normalize::restore_case(&s.text, &reference.text)),
            None => (i, s.text.clone()),
        })
        .collect();
    // Names first, across the document, so that a later "Driscoll" is known to be the
    // "Dan Driscoll" met earlier.
    let mut names = NameIndex::new();
    for (_, text) in &sentences {
        for person in people::find_people(text) {
            names.add(&person);
        }
    }
    let mut facts = Vec::new();
    for (index, text) in &sentences {
        let first = facts.len();
        extract_sentence(text, *index, anchor, &mut facts);
        extract_names(text, *index, &names, &mut facts);
        quotes::attribute_quotes(text, &mut facts[first..]);
    }
    facts
}

/// People, their roles, places and organisations of one sentence.
fn extract_names(text: &str, sentence: usize, names: &NameIndex, facts: &mut Vec<Fact>) {
    let mentions = people::find_people_with(text, names);
    for mention in &mentions {
        let mut person = mention.clone();
        if let Some(full) = names.full_name(&person.key)
            && full.len() > person.name.len()
        {
            person.name = full.to_string();
        }
        facts.push(Fact {
            kind: FactKind::Person,
            sentence,
            span: (mention.start, mention.end),
            text: mention.text.clone(),
            value: FactValue::Person(person.clone()),
            subject: person.name.clone(),
            context: Vec::new(),
        });
        if let Some(role) = &mention.role {
            facts.push(Fact {
                kind: FactKind::Role,
                sentence,
                span: (mention.start, mention.end),
                text: mention.text.clone(),
                value: FactValue::Role(person.clone(), role.clone()),
                subject: person.name.clone(),
                context: Vec::new(),
            });
        }
    }
    for entity in entities::find_entities(text, &mentions) {
        facts.push(Fact {
            kind: match entity.kind {
                EntityKind::Place => FactKind::Place,
                EntityKind::Org => FactKind::Org,
            },
            sentence,
            span: (entity.start, entity.end),
            text: entity.text.clone(),
            subject: entity.text.clone(),
            value: FactValue::Entity(entity),
            context: Vec::new(),
        });
    }
}

/// Extracts the facts of one sentence.
pub fn extract_sentence(text: &str, sentence: usize, anchor: Option<Date>, facts: &mut Vec<Fact>) {
    let surroundings = Surroundings::new(text);
    let date_mentions = dates::find_dates(text, anchor);
    let taken: Vec<(usize, usize)> = date_mentions.iter().map(|d| (d.start, d.end)).collect();
    for mention in date_mentions {
        let Some(value) = mention.value else { continue };
        facts.push(Fact {
            kind: FactKind::Date,
            sentence,
            span: (mention.start, mention.end),
            subject: surroundings.subject(mention.start, mention.end, None),
            context: surroundings.context(mention.start, mention.end),
            text: mention.text,
            value: FactValue::Date(value),
        });
    }
    for mention in numbers::find_numbers(text, &taken) {
        let kind = match mention.kind {
            NumberKind::Number => FactKind::Number,
            NumberKind::Money => FactKind::Money,
            NumberKind::Percent => FactKind::Percent,
            NumberKind::Quantity => FactKind::Quantity,
        };
        facts.push(Fact {
            kind,
            sentence,
            span: (mention.start, mention.end),
            text: mention.text.clone(),
            subject: surroundings.subject(mention.start, mention.end, mention.noun.as_deref()),
            context: surroundings.context(mention.start, mention.end),
            value: FactValue::Number(mention),
        });
    }
    for quote in quotes::find_quotes(text) {
        facts.push(Fact {
            kind: FactKind::Quote,
            sentence,
            span: (quote.start, quote.end),
            text: text[quote.start..quote.end].to_string(),
            // The speaker, once [`quotes::attribute_quotes`] finds one.
            subject: String::new(),
            context: surroundings.context(quote.start, quote.end),
            value: FactValue::Quote(quote.stems, None),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> Vec<(FactKind, String, String)> {
        let mut out = Vec::new();
        let anchor = Date::new(2025, 11, 20).ok();
        extract_sentence(text, 0, anchor, &mut out);
        out.into_iter()
            .map(|f| (f.kind, f.text.clone(), f.value_string()))
            .collect()
    }

    #[test]
    fn dates_numbers_and_quotes() {
        let got = facts(
            "At least 26 people were killed on Wednesday, and the $105m package was approved in August.",
        );
        let kinds: Vec<FactKind> = got.iter().map(|f| f.0).collect();
        assert!(kinds.contains(&FactKind::Quantity), "{got:?}");
        assert!(kinds.contains(&FactKind::Money), "{got:?}");
        assert!(got.iter().any(|f| f.2 == "2025-11-19"), "{got:?}");
        assert!(got.iter().any(|f| f.2 == "2025-08"), "{got:?}");
        let quoted = facts("He said: \"We will rebuild every home the water has taken from us.\"");
        assert_eq!(quoted.len(), 1);
        assert_eq!(quoted[0].0, FactKind::Quote);
        assert!(facts("referring to 'the spirit of Anchorage' and \"peace\"").is_empty());
    }

    /// The first fact of `kind` in a sentence (anchored on Thursday 20 November 2025).
    fn first(text: &str, kind: FactKind) -> Fact {
        let mut out = Vec::new();
        extract_sentence(text, 0, Date::new(2025, 11, 20).ok(), &mut out);
        let mut names = NameIndex::new();
        for person in people::find_people(text) {
            names.add(&person);
        }
        extract_names(text, 0, &names, &mut out);
        out.into_iter()
            .find(|f| f.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} in {text:?}"))
    }

    /// Equivalent and different statements of every kind of fact, as versions write them.
    #[test]
    fn equivalent_and_different_facts_of_every_kind() {
        use FactKind::*;
        #[rustfmt::skip]
        let cases: &[(FactKind, &str, &str, bool)] = &[
            (Date, "They met on Wednesday.", "They met on 19 November.", true),
            (Date, "The summit was in August.", "The summit was in August 2025.", true),
            (Date, "The summit was in August.", "The summit was in 2022.", false),
            (Date, "The dam was built in 2009.", "The dam was built in 2019.", false),
            (Quantity, "The plan has 28 points.", "The plan has twenty-eight points.", true),
            (Number, "The total was 1,200.", "The total was 1200.", true),
            (Number, "The total was 1,200.", "The total was 2,100.", false),
            (Money, "It approved a $105m package.", "It approved a package of around $105 million.", true),
            (Money, "It approved a $105m package.", "It approved a $150m package.", false),
            (Money, "The club paid £80m.", "The club paid $80m.", false),
            (Percent, "Turnout rose to nearly 50%.", "Turnout rose to 50 per cent.", true),
            (Percent, "Turnout rose to 50%.", "Turnout rose to 15%.", false),
            (Quantity, "At least 26 people were killed.", "At least 26 individuals were killed.", true),
            (Quantity, "At least 14 people died.", "At least 41 people died.", false),
            (Person, "The talks included Kirill Dmitriev.", "The talks included Kirill Dmitriyev.", true),
            (Person, "The talks included Kirill Dmitriev.", "The talks included Steve Witkoff.", false),
            (Role, "Defence Minister Denys Shmyhal spoke.", "Defense Minister Denys Shmyhal spoke.", true),
            (Role, "Col David Butler spoke.", "Colonel David Butler spoke.", true),
            (Role, "Special envoy Keith Kellogg spoke.", "Ambassador Keith Kellogg spoke.", false),
            (Place, "Officials met in Kyiv.", "Officials met in Kyiv.", true),
            (Place, "Officials met in Kyiv.", "Officials met in Geneva.", false),
            (Org, "The Defence Ministry said so.", "The Defense Ministry said so.", true),
            (Org, "Reuters reported it.", "Axios reported it.", false),
            (Quote, "He said: \"We will rebuild every home the water has taken from us.\"",
                    "He said: \"We will rebuild every single home that the water took from us.\"", true),
            (Quote, "He said: \"We will rebuild every home the water has taken from us.\"",
                    "He said: \"Nobody will be allowed to return to the valley this winter.\"", false),
        ];
        for &(kind, a, b, same) in cases {
            let (fa, fb) = (first(a, kind), first(b, kind));
            assert_eq!(
                fa.same_value(&fb),
                same,
                "{kind:?}: {a:?} / {b:?}: {fa:?} {fb:?}"
            );
        }
    }
}
