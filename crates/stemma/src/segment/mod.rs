//! Segmentation: blocks into sentences, sentences into tokens.
//!
//! Sentences come from `sentencex` (Wikimedia's rule-based splitter, the only one measured
//! right on "Gen.", "Col.", "U.S.", "Jan. 5." and quotes), followed by one repair pass for
//! news habits it does not know: British titles without a full stop never end a sentence,
//! but "Gen." with one was once split by other splitters and the repair keeps us safe if
//! sentencex changes. Headings are one sentence each and never split.
//!
//! Tokens are in [`tokens`].

pub mod tokens;

pub use tokens::{Token, TokenKind, tokenize};

use crate::model::{Sentence, SentenceKind};
use crate::normalize::{Block, BlockKind};

/// Abbreviations that are followed by a name or number and so never end a sentence, in
/// the forms news prose writes them (with or without a full stop).
const NEVER_FINAL: &[&str] = &[
    "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Sgt", "Srg", "Cpl", "Pte", "Adm", "Cdr", "Brig",
    "Dr", "Mr", "Mrs", "Ms", "Prof", "Rev", "St", "Gov", "Sen", "Rep", "Rt", "Hon", "Insp", "Supt",
    "Det", "No", "Nos", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
    "approx", "vs", "Mt", "Ft",
];

/// Splits one paragraph of prose into trimmed sentences.
///
/// ```
/// use stemma::segment::split_sentences;
/// let s = split_sentences("Gen. Randy George met Col. Butler in Kyiv. It cost $1.5bn.");
/// assert_eq!(s, ["Gen. Randy George met Col. Butler in Kyiv.", "It cost $1.5bn."]);
/// ```
pub fn split_sentences(paragraph: &str) -> Vec<String> {
    let mut sentences: Vec<String> = Vec::new();
    for piece in sentencex::segment("en", paragraph) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        match sentences.last_mut() {
            Some(previous) if must_join(previous, piece) => {
                previous.push(' ');
                previous.push_str(piece);
            }
            _ => sentences.push(piece.to_string()),
        }
    }
    sentences
}

/// Whether a split between `previous` and `next` is wrong: `previous` ends with a title or
/// month abbreviation, or `next` starts in lower case (a split inside a sentence).
fn must_join(previous: &str, next: &str) -> bool {
    let Some(stripped) = previous.strip_suffix('.') else {
        return false;
    };
    let last_word = stripped
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let starts_lower = next.chars().next().is_some_and(char::is_lowercase);
    NEVER_FINAL.contains(&last_word) || (starts_lower && last_word.len() <= 4)
}

/// Splits the blocks of a document into its sentence list: paragraphs into sentences,
/// headings kept whole and marked.
pub fn segment_blocks(blocks: &[Block]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    for (block_idx, block) in blocks.iter().enumerate() {
        match block.kind {
            BlockKind::Heading => sentences.push(Sentence {
                text: block.text.clone(),
                block: block_idx,
                kind: SentenceKind::Heading,
            }),
            BlockKind::Paragraph => {
                for text in split_sentences(&block.text) {
                    sentences.push(Sentence {
                        text,
                        block: block_idx,
                        kind: SentenceKind::Body,
                    });
                }
            }
        }
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hard cases of news prose: each line is a paragraph, ` || ` marks the expected
    /// sentence boundaries.
    const HARD_CASES: &str = include_str!("hard_cases.txt");

    #[test]
    fn hard_cases() {
        let mut failures = Vec::new();
        for line in HARD_CASES.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let expected: Vec<&str> = line.split(" || ").collect();
            let paragraph = expected.join(" ");
            let got = split_sentences(&paragraph);
            if got != expected {
                failures.push(format!("expected {expected:?}\n     got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn headings_stay_whole() {
        let blocks = vec![
            Block::heading("What happens next"),
            Block::paragraph("The dam broke. Water rose."),
        ];
        let sentences = segment_blocks(&blocks);
        assert_eq!(sentences.len(), 3);
        assert_eq!(sentences[0].kind, SentenceKind::Heading);
        assert_eq!(sentences[2].text, "Water rose.");
        assert_eq!(sentences[2].block, 1);
    }
}
