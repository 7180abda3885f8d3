//! What a fact is about, and the words around it.
//!
//! A fact's *subject* is a noun phrase of its sentence that a reader recognises in an
//! explanation ("the date for “summit in Alaska” changed"); its *context* is the content
//! stems either side of it, which let drift match a fact across versions that reworded the
//! sentence. [`Surroundings`] reads a sentence once and gives both for each fact of it.
//!
//! ```text
//! "Trump and Putin met at a summit in Alaska on 15 August 2025"     summit in Alaska
//! "At least 26 people were killed in Ternopil on Wednesday" (26)     people killed in Ternopil
//! "The dam was completed in 2009"                                    dam completed
//! "the August summit"                                                summit
//! ```
//!
//! # Rules
//!
//! There is no tagger: a small rule-based chunker reads parts of speech from closed word
//! classes (`data/phrase_words.txt`: determiners, prepositions, auxiliaries, pronouns,
//! conjunctions, other function words). A *chunk* is a run of other words — nouns and
//! adjectives, with their possessives — inside the fact's clause (punctuation ends a
//! clause); it keeps its last four words.
//!
//! - **A counted noun** ("26 people") is its own subject, followed by the participle that
//!   says what befell it, after any auxiliaries ("were killed", "injured"), and by an
//!   attaching preposition with a capitalised name ("in Ternopil"): "people killed in
//!   Ternopil".
//! - **An attribute.** A fact between a determiner and a noun ("the August summit", "a
//!   $105m package", "the 2022 US-Russia summit") is about the words after it, up to and
//!   including the first lower-case one.
//! - **Otherwise the phrase before it.** The prepositions and function words just before
//!   the fact are passed over ("on", "in", "of"), then: a chunk that is a capitalised name
//!   after an attaching preposition is joined to the chunk before that preposition
//!   ("summit" "in" "Alaska"); a participle after auxiliaries is joined to the chunk before
//!   them ("The dam was completed": "dam completed"); auxiliaries alone lead to the chunk
//!   before them ("The total was 1,200": "total"); any other chunk is the subject.
//! - **Nothing before it** in its clause (a fact that opens the sentence): the first
//!   phrase after it that a determiner opens, with its name ("On 15 August, Trump and
//!   Putin met at a summit in Alaska": "summit in Alaska"), else the first chunk after it.
//!
//! Not read: relative clauses and long-distance subjects ("the dam, which was completed
//! in 2009": "dam" is outside the clause of the date, which reads "completed").

use std::sync::LazyLock;

use super::lexicon::{WordSet, parse_sections};
use super::tokens::{Token, TokenKind, tokenize};
use crate::segment::{self, TokenKind as SegmentKind};

/// The closed word classes of the chunker.
const PHRASE_WORDS: &str = include_str!("data/phrase_words.txt");

/// How many content words either side of a fact make its context.
const CONTEXT_WINDOW: usize = 6;

/// How many words a chunk keeps, counted from its end (the head noun).
const CHUNK_WORDS: usize = 4;

/// The closed word classes, parsed once.
struct PhraseWords {
    determiners: WordSet<String>,
    prepositions: WordSet<String>,
    attaching: WordSet<String>,
    auxiliaries: WordSet<String>,
    /// Pronouns, conjunctions and other function words: none is part of a phrase.
    others: WordSet<String>,
    participles: WordSet<String>,
}

static PHRASE: LazyLock<PhraseWords> = LazyLock::new(|| {
    let sections = parse_sections(PHRASE_WORDS);
    let set = |names: &[&str]| -> WordSet<String> {
        names
            .iter()
            .flat_map(|name| sections.get(name).into_iter().flatten())
            .flat_map(|line| line.split_whitespace())
            .map(str::to_string)
            .collect()
    };
    PhraseWords {
        determiners: set(&["determiner"]),
        prepositions: set(&["preposition"]),
        attaching: set(&["attaching"]),
        auxiliaries: set(&["auxiliary"]),
        others: set(&["pronoun", "conjunction", "function"]),
        participles: set(&["participle"]),
    }
});

/// What a token is to the chunker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Determiner,
    Preposition,
    Auxiliary,
    /// A pronoun, conjunction, other function word or a figure.
    Function,
    /// A noun or adjective written in lower case.
    Word,
    /// A capitalised word that is not the first of the sentence.
    Name,
    /// The "'s" of a possessive.
    Possessive,
    /// Punctuation that ends a clause.
    Break,
    /// Other punctuation (a hyphen, a currency sign).
    Other,
}

/// A sentence read once for the subjects and contexts of its facts.
pub(super) struct Surroundings<'a> {
    /// Content stems with their byte spans, for contexts.
    stems: Vec<(usize, usize, String, bool)>,
    tokens: Vec<Token<'a>>,
    classes: Vec<Class>,
}

impl<'a> Surroundings<'a> {
    /// Reads a sentence.
    pub(super) fn new(text: &'a str) -> Surroundings<'a> {
        let stems = segment::tokenize(text)
            .into_iter()
            .map(|t| {
                let content = !t.stop && t.kind != SegmentKind::Number;
                (t.start, t.start + t.text.len(), t.stem, content)
            })
            .collect();
        let tokens = tokenize(text);
        let classes = tokens
            .iter()
            .enumerate()
            .map(|(index, token)| classify(token, index == 0))
            .collect();
        Surroundings {
            stems,
            tokens,
            classes,
        }
    }

    /// The content stems around the byte span `start..end` (not its own), sorted.
    pub(super) fn context(&self, start: usize, end: usize) -> Vec<String> {
        let before = self
            .stems
            .iter()
            .filter(|w| w.1 <= start && w.3)
            .rev()
            .take(CONTEXT_WINDOW);
        let after = self
            .stems
            .iter()
            .filter(|w| w.0 >= end && w.3)
            .take(CONTEXT_WINDOW);
        let mut context: Vec<String> = before.chain(after).map(|w| w.2.clone()).collect();
        context.sort();
        context.dedup();
        context
    }

    /// The subject of the fact at the byte span `start..end`; `noun` is the counted noun
    /// of a quantity, as written.
    pub(super) fn subject(&self, start: usize, end: usize, noun: Option<&str>) -> String {
        let Some((first, last)) = self.token_range(start, end) else {
            return String::new();
        };
        if let Some(noun) = noun
            && let Some(phrase) = self.counted(first, last, noun)
        {
            return phrase;
        }
        if let Some(phrase) = self.attribute(first, last) {
            return phrase;
        }
        self.before(first, last)
            .or_else(|| self.after(last))
            .unwrap_or_default()
    }

    /// The tokens of a byte span, `[first, last)`.
    fn token_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let first = self.tokens.iter().position(|t| t.end > start)?;
        let last = self
            .tokens
            .iter()
            .position(|t| t.start >= end)
            .unwrap_or(self.tokens.len());
        (first < last).then_some((first, last))
    }

    fn class(&self, index: usize) -> Class {
        self.classes.get(index).copied().unwrap_or(Class::Break)
    }

    fn lower(&self, index: usize) -> &str {
        self.tokens.get(index).map_or("", |t| t.lower.as_ref())
    }

    /// The words of `[first, last)` as a phrase: possessives glued to their word.
    fn render(&self, first: usize, last: usize) -> String {
        let mut phrase = String::new();
        for token in &self.tokens[first..last] {
            if !phrase.is_empty() && token.space_before {
                phrase.push(' ');
            }
            phrase.push_str(token.text);
        }
        phrase
    }

    /// The chunk ending just before `end`: `[start, end)` of nouns, adjectives, names and
    /// possessives, at most [`CHUNK_WORDS`] words; `None` when the token before `end` is
    /// none of those.
    fn chunk_before(&self, end: usize) -> Option<usize> {
        let mut start = end;
        while start > 0
            && end - start < CHUNK_WORDS
            && matches!(
                self.class(start - 1),
                Class::Word | Class::Name | Class::Possessive
            )
        {
            start -= 1;
        }
        // Without a determiner to open it, a chunk may begin with a verb: "(the valley
        // last) suffered serious flooding", "said Vera Antonova". A past form inside it
        // ends the verb.
        if start > 0
            && self.class(start - 1) != Class::Determiner
            && let Some(verb) = (start..end.saturating_sub(1))
                .rev()
                .find(|&i| self.class(i) == Class::Word && self.participle(i))
        {
            start = verb + 1;
        }
        // A phrase does not open with a possessive mark.
        while start < end && self.class(start) == Class::Possessive {
            start += 1;
        }
        (start < end).then_some(start)
    }

    /// The end of the run of capitalised words at `start` (an article before it passed
    /// over), if one starts there.
    fn name_after(&self, start: usize) -> Option<usize> {
        let mut index = start;
        if self.lower(index) == "the" {
            index += 1;
        }
        let first = index;
        while self.class(index) == Class::Name
            || (index > first && self.class(index) == Class::Possessive)
        {
            index += 1;
        }
        (index > first).then_some(index)
    }

    /// "people killed in Ternopil": the counted noun, the participle after it and an
    /// attached name.
    fn counted(&self, first: usize, last: usize, noun: &str) -> Option<String> {
        let noun_lower = noun.to_lowercase();
        let at = (first..(last + 1).min(self.tokens.len()))
            .rev()
            .find(|&i| self.lower(i) == noun_lower)?;
        let mut parts = vec![self.render(at, at + 1)];
        let mut next = at + 1;
        let mut cursor = next;
        while self.class(cursor) == Class::Auxiliary {
            cursor += 1;
        }
        let helped = cursor > next;
        if self.class(cursor) == Class::Word && (helped || self.participle(cursor)) {
            parts.push(self.render(cursor, cursor + 1));
            next = cursor + 1;
        }
        if let Some(phrase) = self.attached(next) {
            parts.push(phrase);
        }
        Some(parts.join(" "))
    }

    /// "in Ternopil" at `index`: an attaching preposition and a capitalised name.
    fn attached(&self, index: usize) -> Option<String> {
        let preposition = self.lower(index);
        if self.class(index) != Class::Preposition || !PHRASE.attaching.contains(preposition) {
            return None;
        }
        let end = self.name_after(index + 1)?;
        Some(self.render(index, end))
    }

    /// Whether the lower-case word at `index` reads as a past participle.
    fn participle(&self, index: usize) -> bool {
        let lower = self.lower(index);
        (lower.len() > 4 && lower.ends_with("ed")) || PHRASE.participles.contains(lower)
    }

    /// "the August summit", "a $45m emergency fund": a fact between a determiner and a noun
    /// is about the words after it: names, then lower-case words, three at most.
    fn attribute(&self, first: usize, last: usize) -> Option<String> {
        if first == 0 || self.class(first - 1) != Class::Determiner {
            return None;
        }
        let mut end = last;
        while self.class(end) == Class::Name && end - last < 2 {
            end += 1;
        }
        let nouns = end;
        while self.class(end) == Class::Word && end - last < 3 {
            end += 1;
        }
        if end == nouns {
            return None;
        }
        let phrase = self.render(last, end);
        Some(match self.attached(end) {
            Some(name) => format!("{phrase} {name}"),
            None => phrase,
        })
    }

    /// The phrase before the fact at tokens `[first, last)`, in its clause.
    fn before(&self, first: usize, last: usize) -> Option<String> {
        let mut end = first;
        while end > 0
            && matches!(
                self.class(end - 1),
                Class::Preposition | Class::Function | Class::Other
            )
        {
            end -= 1;
        }
        let Some(start) = self.chunk_before(end) else {
            // "The total was 1,200": past the auxiliaries to the phrase before them; "Vera
            // Antonova, 67,", "$105m (£80m)": past the comma or bracket of an apposition.
            let mut cursor = end;
            while cursor > 0 && self.class(cursor - 1) == Class::Auxiliary {
                cursor -= 1;
            }
            let closed = self
                .tokens
                .get(last)
                .is_none_or(|t| t.is_punct(',') || t.is_punct(')') || t.is_punct('.'));
            if cursor == end
                && closed
                && end > 0
                && (self.tokens[end - 1].is_punct(',') || self.tokens[end - 1].is_punct('('))
            {
                cursor -= 1;
                while cursor > 0
                    && matches!(
                        self.class(cursor - 1),
                        Class::Preposition | Class::Function | Class::Other
                    )
                {
                    cursor -= 1;
                }
            }
            if cursor == end {
                return None;
            }
            let start = self.chunk_before(cursor)?;
            return Some(self.render(self.head_start(start, cursor), cursor));
        };
        // "the death toll in Ternopil rose to 26": a name and its verb; the phrase ends with
        // the name when the name joins the phrase before it.
        let (mut start, mut end) = (start, end);
        if let Some(verb) = (start + 1..end)
            .find(|&i| self.class(i) == Class::Word && self.class(i - 1) == Class::Name)
        {
            let names = (start..verb)
                .rev()
                .take_while(|&i| matches!(self.class(i), Class::Name | Class::Possessive))
                .last()
                .unwrap_or(verb);
            if self.joined_start(names) < names {
                (start, end) = (names, verb);
            }
        }
        let start = self.joined_start(start);
        // "The dam was completed", "The dam, completed in 2009,", "were killed in Ternopil":
        // a participle opening the phrase takes the phrase before its auxiliaries (or
        // before the comma of a reduced relative clause).
        let alone = start == 0 || !matches!(self.class(start - 1), Class::Word | Class::Name);
        if alone && self.class(start) == Class::Word && self.participle(start) {
            let mut cursor = start;
            while cursor > 0 && self.class(cursor - 1) == Class::Auxiliary {
                cursor -= 1;
            }
            if cursor == start && cursor > 0 && self.tokens[cursor - 1].is_punct(',') {
                cursor -= 1;
            }
            if cursor < start
                && let Some(head) = self.chunk_before(cursor)
            {
                let head = self.head_start(head, cursor);
                return Some(format!(
                    "{} {}",
                    self.render(head, cursor),
                    self.render(start, end)
                ));
            }
        }
        // "the work would begin": a verb after auxiliaries says less than the phrase
        // before them.
        if alone
            && end - start == 1
            && start > 0
            && self.class(start - 1) == Class::Auxiliary
            && self.class(start) == Class::Word
        {
            let mut cursor = start;
            while cursor > 0 && self.class(cursor - 1) == Class::Auxiliary {
                cursor -= 1;
            }
            if let Some(head) = self.chunk_before(cursor) {
                return Some(self.render(self.head_start(head, cursor), cursor));
            }
        }
        Some(self.render(self.head_start(start, end), end))
    }

    /// Where the phrase of the chunk starting at `start` starts, once joined to the phrases
    /// it belongs to: a name after an attaching preposition to the phrase before ("summit"
    /// "in Alaska"), and so is any phrase after "of" ("state" "of emergency") or after an
    /// attaching preposition when the phrase before opens with a determiner ("a state of
    /// emergency" "across the valley"). Three joins at most.
    fn joined_start(&self, start: usize) -> usize {
        let mut start = start;
        let mut names = (start..self.tokens.len())
            .take_while(|&i| matches!(self.class(i), Class::Name | Class::Possessive))
            .count()
            > 0;
        for _ in 0..3 {
            let mut preposition = start;
            if preposition > 0 && self.lower(preposition - 1) == "the" {
                preposition -= 1;
            }
            if preposition == 0 || !PHRASE.attaching.contains(self.lower(preposition - 1)) {
                break;
            }
            preposition -= 1;
            let Some(head) = self.chunk_before(preposition) else {
                break;
            };
            if !(names || self.opened(head) || self.lower(preposition) == "of") {
                break;
            }
            start = self.head_start(head, preposition);
            names = false;
        }
        start
    }

    /// Whether the chunk at `start` opens with a determiner, itself or through the
    /// phrases it joins with "of" ("a state" "of emergency").
    fn opened(&self, start: usize) -> bool {
        if start == 0 {
            return false;
        }
        self.class(start - 1) == Class::Determiner
            || (self.lower(start - 1) == "of"
                && self
                    .chunk_before(start - 1)
                    .is_some_and(|head| self.opened(head)))
    }

    /// Where a chunk `[start, end)` read as the head of a phrase starts. Lower-case words
    /// after a name are the name's verb ("Trump and Putin met in Alaska"): the verb is
    /// kept, for it says what happened, and the name, which is only who did it, is left out.
    fn head_start(&self, start: usize, end: usize) -> usize {
        // A determiner opens a noun phrase, whose names are its modifiers ("a PATRIOT
        // air-defence system").
        if start > 0 && self.class(start - 1) == Class::Determiner {
            return start;
        }
        let last_name = (start..end).rev().find(|&i| self.class(i) == Class::Name);
        match last_name {
            Some(name) if name + 1 < end && self.class(name + 1) == Class::Word => name + 1,
            _ => start,
        }
    }

    /// The first phrase after the fact at tokens ending `last`, for a fact that opens its
    /// sentence: one a determiner opens, with an attached name, else the first chunk.
    fn after(&self, last: usize) -> Option<String> {
        let mut first_chunk: Option<(usize, usize)> = None;
        let mut index = last;
        while index < self.tokens.len() {
            if matches!(self.class(index), Class::Word | Class::Name) {
                let start = index;
                while index < self.tokens.len()
                    && matches!(
                        self.class(index),
                        Class::Word | Class::Name | Class::Possessive
                    )
                {
                    index += 1;
                }
                let opened = start > 0 && self.class(start - 1) == Class::Determiner;
                if opened {
                    let phrase = self.render(start, index);
                    return Some(match self.attached(index) {
                        Some(name) => format!("{phrase} {name}"),
                        None => phrase,
                    });
                }
                first_chunk.get_or_insert((start, index.min(start + 2)));
                continue;
            }
            index += 1;
        }
        first_chunk.map(|(start, end)| self.render(start, end))
    }
}

/// The class of a token; `first` for the sentence's first, whose capital says nothing.
fn classify(token: &Token, first: bool) -> Class {
    match token.kind {
        TokenKind::Possessive => return Class::Possessive,
        TokenKind::Punct(c) => {
            return if matches!(
                c,
                ',' | ';'
                    | ':'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '—'
                    | '–'
                    | '"'
                    | '“'
                    | '”'
                    | '.'
                    | '!'
                    | '?'
            ) {
                Class::Break
            } else {
                Class::Other
            };
        }
        TokenKind::Word => {}
    }
    let lower = token.lower.as_ref();
    let phrase = &*PHRASE;
    if phrase.determiners.contains(lower) {
        Class::Determiner
    } else if phrase.prepositions.contains(lower) {
        Class::Preposition
    } else if phrase.auxiliaries.contains(lower) {
        Class::Auxiliary
    } else if phrase.others.contains(lower) || token.has_digit() {
        Class::Function
    } else if token.capitalised() && !first {
        Class::Name
    } else {
        Class::Word
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::Date;

    use super::super::{Fact, extract_sentence};

    /// The subject of the fact quoting `fact` in `sentence` (anchored on 20 November 2025).
    fn subject(sentence: &str, fact: &str) -> String {
        let mut facts: Vec<Fact> = Vec::new();
        extract_sentence(sentence, 0, Date::new(2025, 11, 20).ok(), &mut facts);
        facts
            .iter()
            .find(|f| f.text.contains(fact))
            .unwrap_or_else(|| panic!("no fact {fact:?} in {sentence:?}: {facts:?}"))
            .subject
            .clone()
    }

    #[test]
    fn subjects_are_noun_phrases() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str)] = &[
            ("Trump and Putin met at a summit in Alaska on 15 August 2025.", "15 August", "summit in Alaska"),
            ("At least 26 people were killed in Ternopil on Wednesday.", "26", "people killed in Ternopil"),
            ("At least 26 people were killed in Ternopil on Wednesday.", "Wednesday", "people killed in Ternopil"),
            ("The dam, completed in 2009, was built to supply hydroelectric power.", "2009", "dam completed"),
            ("The dam was completed in 2009.", "2009", "dam completed"),
            ("The total was 1,200.", "1,200", "total"),
            ("It approved a $105m package for the region.", "$105m", "package"),
            ("He referred to the August summit between Putin and Trump.", "August", "summit"),
            ("Peskov cited the 2022 US-Russia summit in Alaska.", "2022", "US-Russia summit in Alaska"),
            ("On 15 August, Trump and Putin met at a summit in Alaska.", "15 August", "summit in Alaska"),
            ("The death toll in Ternopil rose to 26 on Thursday.", "26", "death toll in Ternopil"),
            ("Korvask Gov. Anton Veresov declared a state of emergency across the valley early on Thursday.", "Thursday", "state of emergency across the valley"),
            ("Pavel Zaretsky, who flew to the region with a team of 300 rescuers, said so.", "300", "rescuers"),
            ("About 1,200 residents were evacuated from Lozavka and Dubrets.", "1,200", "residents evacuated from Lozavka"),
            ("Turnout rose to nearly 50% in the capital.", "50%", "Turnout rose"),
            ("The national government approved a $45m emergency fund for rescue work.", "$45m", "emergency fund"),
            ("We were told the work would begin in August.", "August", "work"),
            ("The valley last suffered serious flooding in 1998, before the dam was built.", "1998", "serious flooding"),
            ("\"We heard a roar,\" said Vera Antonova, 67, who was rescued from the roof.", "67", "Vera Antonova"),
            ("Its operator said the reservoir had been at 97% of capacity.", "97%", "reservoir"),
            ("The sale of a PATRIOT air-defence system worth approximately $105m (£80m) was approved.", "£80m", "PATRIOT air-defence system"),
            ("There have been two rounds of talks since Donald Trump took office in January.", "January", "took office"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(sentence, fact, expected)| subject(sentence, fact) != *expected)
            .map(|(sentence, fact, expected)| {
                let got = subject(sentence, fact);
                format!("{fact:?} in {sentence:?}: {got:?}, expected {expected:?}")
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
