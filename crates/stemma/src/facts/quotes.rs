//! Direct quotes: words in quotation marks, and who said them.
//!
//! [`find_quotes`] finds the quoted spans of a sentence that make a statement (four content
//! words or more: scare quotes such as "the 'spirit of Anchorage'" are not one), with the
//! stems that match a reworded quote; [`attribute_quotes`] gives each its speaker, the one
//! person named beside a verb of saying.

use std::collections::HashSet;

use super::{Fact, FactKind, FactValue, PersonMention};
use crate::segment::tokenize;

/// A quote of a sentence: its byte span inside the quotation marks and its content stems,
/// sorted.
pub(super) struct Quote {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) stems: Vec<String>,
}

/// The quotes of a sentence that make a statement, in order.
pub(super) fn find_quotes(text: &str) -> Vec<Quote> {
    let mut found = Vec::new();
    for (start, end) in quotes(text) {
        let mut stems: Vec<String> = tokenize(&text[start..end])
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
        stems.sort();
        found.push(Quote { start, end, stems });
    }
    found
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
/// said" names nobody, and "X told Y" is not for a word count to settle. The speaker's name
/// is then the quote's subject.
pub(super) fn attribute_quotes(text: &str, facts: &mut [Fact]) {
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
            fact.subject = speaker.name.clone();
            *who = Some(speaker.clone());
        }
    }
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
}
