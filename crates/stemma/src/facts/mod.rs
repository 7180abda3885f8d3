//! Facts: the checkable units of a news text — dates, numbers, money, percentages,
//! quantities, people, their roles, places, organisations, and direct quotes.
//!
//! [`extract`] reads every body sentence of a document and returns its facts, each with the
//! quoted text, a normalised value, a subject (what it is about) and the words around it
//! (its *context*, which lets drift match a fact across versions that reworded the
//! sentence). The extractors for each kind live in their own modules: [`dates`],
//! [`numbers`]; vocabularies are data files under `data/`.
//!
//! Dates are resolved against the document's publication date, else the story's (the
//! caller passes the anchor).

pub mod dates;
pub mod entities;
pub mod numbers;
pub mod people;

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{Document, SentenceKind};
use crate::segment::{TokenKind, tokenize};

pub use dates::{DateMention, DateValue};
pub use entities::{EntityKind, EntityMention};
pub use numbers::{NumberKind, NumberMention};
pub use people::{NameIndex, PersonMention, RoleMention};

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
                pa.key == pb.key && people::roles_compatible(a, b)
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

/// Splits a vocabulary file of `data/` into `[section]`s of entries, without comments and
/// blanks; shared by every extractor, so all data files follow one format.
pub(crate) fn parse_sections(source: &str) -> HashMap<&str, Vec<&str>> {
    let mut sections: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut current = "";
    for line in source.lines() {
        // "#" starts a comment only at the start of a line or after a space, so that an
        // entry may itself contain "#".
        let line = match line.find(" #") {
            Some(at) => &line[..at],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        }
        .trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim();
            continue;
        }
        sections.entry(current).or_default().push(line);
    }
    sections
}

/// How many content words either side of a fact make its context.
const CONTEXT_WINDOW: usize = 6;

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
        attribute_quotes(text, &mut facts[first..]);
    }
    facts
}

/// Verbs that attribute a quote to the person written next to them.
const SAYING: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "asks",
    "wrote",
    "writes",
    "tweeted",
    "posted",
    "stated",
    "states",
    "explained",
    "insisted",
    "warned",
    "according",
    "declared",
    "announced",
    "replied",
];

/// Gives each quote of one sentence its speaker: the one person named (outside the quotes)
/// within three words of a verb of saying ("Zaretsky said", "said Mayor Ivan Petrenko",
/// "according to Petrenko"). With no such person, or several, the quote keeps none: "he
/// said" names nobody, and "X told Y" is not for a word count to settle.
fn attribute_quotes(text: &str, facts: &mut [Fact]) {
    let spans: Vec<(usize, usize)> = facts
        .iter()
        .filter(|f| f.kind == FactKind::Quote)
        .map(|f| f.span)
        .collect();
    if spans.is_empty() {
        return;
    }
    let quoted = |at: usize| spans.iter().any(|&(a, b)| (a..b).contains(&at));
    let tokens: Vec<_> = tokenize(text)
        .into_iter()
        .filter(|t| !quoted(t.start))
        .collect();
    let verbs: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| SAYING.contains(&t.lower.as_str()))
        .map(|(i, _)| i)
        .collect();
    let mut speakers: Vec<&PersonMention> = Vec::new();
    for fact in facts.iter() {
        let FactValue::Person(person) = &fact.value else {
            continue;
        };
        if quoted(person.start) {
            continue;
        }
        let inside: Vec<usize> = (0..tokens.len())
            .filter(|&i| (person.start..person.end).contains(&tokens[i].start))
            .collect();
        let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
            continue;
        };
        let near = verbs
            .iter()
            .any(|&v| (v < first && first - v <= 3) || (v > last && v - last <= 3));
        if near && !speakers.iter().any(|s| s.key == person.key) {
            speakers.push(person);
        }
    }
    let [speaker] = speakers.as_slice() else {
        return;
    };
    let speaker = (*speaker).clone();
    for fact in facts.iter_mut() {
        if let FactValue::Quote(_, who) = &mut fact.value {
            *who = Some(speaker.clone());
        }
    }
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
    let tokens = tokenize(text);
    let words: Vec<(usize, usize, String, bool)> = tokens
        .iter()
        .map(|t| {
            let content = !t.stop && t.kind != TokenKind::Number;
            (t.start, t.start + t.text.len(), t.stem.clone(), content)
        })
        .collect();
    let context_of = |start: usize, end: usize| -> (Vec<String>, String) {
        let before: Vec<&(usize, usize, String, bool)> =
            words.iter().filter(|w| w.1 <= start && w.3).collect();
        let after: Vec<&(usize, usize, String, bool)> =
            words.iter().filter(|w| w.0 >= end && w.3).collect();
        let mut context: Vec<String> = before
            .iter()
            .rev()
            .take(CONTEXT_WINDOW)
            .chain(after.iter().take(CONTEXT_WINDOW))
            .map(|w| w.2.clone())
            .collect();
        context.sort();
        context.dedup();
        let subject = subject_words(text, &before, &after);
        (context, subject)
    };
    let date_mentions = dates::find_dates(text, anchor);
    let taken: Vec<(usize, usize)> = date_mentions.iter().map(|d| (d.start, d.end)).collect();
    for mention in date_mentions {
        let Some(value) = mention.value else { continue };
        let (context, mut subject) = context_of(mention.start, mention.end);
        // "the August summit", "the 2022 US-Russia summit": a date used as an attribute is
        // about the noun after it.
        let before = text[..mention.start].trim_end().to_lowercase();
        if [
            "the", "a", "an", "its", "their", "his", "her", "this", "that",
        ]
        .iter()
        .any(|article| before.ends_with(&format!(" {article}")) || before == *article)
        {
            let mut after = Vec::new();
            for w in words.iter().filter(|w| w.0 >= mention.end && w.3).take(3) {
                let word = &text[w.0..w.1];
                after.push(word);
                if word.chars().next().is_some_and(char::is_lowercase) {
                    break;
                }
            }
            if after
                .last()
                .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
            {
                subject = after.join(" ");
            }
        }
        facts.push(Fact {
            kind: FactKind::Date,
            sentence,
            span: (mention.start, mention.end),
            text: mention.text,
            value: FactValue::Date(value),
            subject,
            context,
        });
    }
    for mention in numbers::find_numbers(text, &taken) {
        let kind = match mention.kind {
            NumberKind::Number => FactKind::Number,
            NumberKind::Money => FactKind::Money,
            NumberKind::Percent => FactKind::Percent,
            NumberKind::Quantity => FactKind::Quantity,
        };
        let (context, mut subject) = context_of(mention.start, mention.end);
        if let Some(noun) = &mention.noun {
            // "26 people killed": the counted noun and the word that says what befell them.
            let next = words
                .iter()
                .find(|w| w.0 >= mention.end && w.3)
                .map(|w| &text[w.0..w.1]);
            subject = match next {
                Some(next) if !mention.text.ends_with(next) => format!("{noun} {next}"),
                _ => noun.clone(),
            };
        }
        facts.push(Fact {
            kind,
            sentence,
            span: (mention.start, mention.end),
            text: mention.text.clone(),
            value: FactValue::Number(mention),
            subject,
            context,
        });
    }
    for (start, end) in quotes(text) {
        let quoted = &text[start..end];
        let stems: Vec<String> = tokenize(quoted)
            .into_iter()
            .filter(|t| !t.stop)
            .map(|t| t.stem)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if stems.len() < 4 {
            // Scare quotes ("the 'spirit of Anchorage'") are not statements.
            continue;
        }
        let mut stems = stems;
        stems.sort();
        let (context, subject) = context_of(start, end);
        facts.push(Fact {
            kind: FactKind::Quote,
            sentence,
            span: (start, end),
            text: quoted.to_string(),
            value: FactValue::Quote(stems, None),
            subject,
            context,
        });
    }
}

/// A few content words next to a fact, preferring those before it in the same clause:
/// "dam completed", "people killed".
fn subject_words(
    text: &str,
    before: &[&(usize, usize, String, bool)],
    after: &[&(usize, usize, String, bool)],
) -> String {
    let pick: Vec<&str> = before
        .iter()
        .rev()
        .take(2)
        .rev()
        .chain(after.iter().take(if before.is_empty() { 2 } else { 0 }))
        .map(|w| &text[w.0..w.1])
        .collect();
    pick.join(" ")
}

/// Byte spans of the text inside quotation marks (straight or curly, double quotes only:
/// single quotes are also apostrophes).
fn quotes(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '“' => open = Some(i + c.len_utf8()),
            '”' => {
                if let Some(start) = open.take() {
                    spans.push((start, i));
                }
            }
            '"' => match open.take() {
                Some(start) => spans.push((start, i)),
                // A closing mark with no opening one ends a quote begun in an earlier
                // sentence: the quote is the sentence up to it.
                None if spans.is_empty() && closes(text, i) => spans.push((0, i)),
                None => open = Some(i + 1),
            },
            _ => {}
        }
    }
    // An unclosed quote runs to the end of the sentence (a quote continued in the next one).
    if let Some(start) = open
        && start < text.len()
    {
        spans.push((start, text.len()));
    }
    spans
}

/// Whether the straight quotation mark at byte `i` closes a quote: it follows a word or
/// punctuation and is followed by a space or the end.
fn closes(text: &str, i: usize) -> bool {
    let before = text[..i].chars().next_back();
    let after = text[i + 1..].chars().next();
    before.is_some_and(|c| !c.is_whitespace()) && after.is_none_or(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_begun_in_an_earlier_sentence_ends_at_its_closing_mark() {
        let text = "It's Nirvana unedited,\" said Cobain biographer Charles Cross.";
        assert_eq!(quotes(text), [(0, 22)]);
        assert_eq!(quotes("He said \"no\" twice."), [(9, 11)]);
    }

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
