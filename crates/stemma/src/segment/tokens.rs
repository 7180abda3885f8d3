//! Tokens for the later stages: words lower-cased and stemmed for matching, numbers and
//! capitalised words kept as written.
//!
//! Matching uses stems ("arrived"/"arrives" → "arriv"), never display. Case is kept in
//! [`Token::text`] because lower-casing turns "US" into "us"; [`TokenKind::Name`] marks
//! capitalised words that are not merely sentence-initial, the raw material of people,
//! places and organisations. Money and percentages keep their symbol (`$`, `£`, `%`) in a
//! [`TokenKind::Number`] token, because `unicode_words` would drop it.

use std::collections::HashSet;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let mut words: HashSet<&'static str> = stop_words::lookup("en")
        .unwrap_or_default()
        .iter()
        .copied()
        .collect();
    // Reporting verbs and news glue words carry no content for matching.
    words.extend([
        "said", "says", "told", "also", "would", "could", "will", "may",
    ]);
    words
});

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An ordinary lower-case word.
    Word,
    /// A capitalised word that is not a stop word, or an acronym.
    Name,
    /// Digits, with any currency sign before or `%` after ("$1.5bn", "26", "2.9%").
    Number,
}

/// One token of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// As written.
    pub text: String,
    /// Lower-cased, with typographic apostrophes made straight.
    pub lower: String,
    /// The Snowball (Porter 2) stem of `lower`; for numbers, the number as written.
    pub stem: String,
    /// Word, name or number.
    pub kind: TokenKind,
    /// Whether it is a stop word (NLTK's English list plus reporting verbs).
    pub stop: bool,
    /// Byte offset in the sentence.
    pub start: usize,
}

/// Whether a lower-cased word is a stop word.
pub fn is_stop_word(lower: &str) -> bool {
    STOP_WORDS.contains(lower)
}

/// The Snowball stem of a lower-cased word.
pub fn stem(lower: &str) -> String {
    STEMMER.stem(lower).into_owned()
}

/// Splits a sentence into tokens; punctuation is dropped except inside numbers.
///
/// ```
/// use stemma::segment::{tokenize, TokenKind};
/// let tokens = tokenize("The US paid $1.5bn to Kyiv officials.");
/// let stems: Vec<&str> = tokens.iter().map(|t| t.stem.as_str()).collect();
/// assert_eq!(stems, ["the", "us", "paid", "$1.5bn", "to", "kyiv", "offici"]);
/// assert_eq!(tokens[1].kind, TokenKind::Name);
/// assert_eq!(tokens[3].text, "$1.5bn");
/// ```
pub fn tokenize(sentence: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut pieces = sentence.split_word_bound_indices().peekable();
    while let Some((start, piece)) = pieces.next() {
        let first = piece.chars().next().unwrap_or(' ');
        if first.is_numeric() || (is_currency(first) && starts_number(pieces.peek())) {
            // Gather a number with its currency sign, scale suffix ("bn", "m") and "%".
            let mut end = start + piece.len();
            if is_currency(first)
                && let Some((next_start, next)) = pieces.next()
            {
                end = next_start + next.len();
            }
            if let Some(&(next_start, "%")) = pieces.peek() {
                end = next_start + 1;
                pieces.next();
            }
            let text = &sentence[start..end];
            tokens.push(Token {
                text: text.to_string(),
                lower: text.to_lowercase(),
                stem: text.to_lowercase(),
                kind: TokenKind::Number,
                stop: false,
                start,
            });
            continue;
        }
        if !piece.chars().any(char::is_alphanumeric) {
            continue;
        }
        // A typographic apostrophe is the same letter as a straight one ("Dravenia’s").
        let lower = piece.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'");
        let capitalised = first.is_uppercase();
        let acronym = piece.chars().filter(|c| c.is_uppercase()).count() >= 2;
        let stop = STOP_WORDS.contains(lower.as_str());
        // A capitalised stop word ("The", "He") is not a name, wherever it stands.
        let kind = if acronym || (capitalised && !stop) {
            TokenKind::Name
        } else {
            TokenKind::Word
        };
        tokens.push(Token {
            text: piece.to_string(),
            stem: stem(&lower),
            lower,
            kind,
            stop,
            start,
        });
    }
    tokens
}

fn is_currency(c: char) -> bool {
    matches!(c, '$' | '£' | '€' | '¥' | '₹' | '₽' | '₴')
}

fn starts_number(next: Option<&(usize, &str)>) -> bool {
    next.is_some_and(|(_, piece)| piece.chars().next().is_some_and(char::is_numeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(sentence: &str) -> Vec<(String, TokenKind)> {
        tokenize(sentence)
            .into_iter()
            .map(|t| (t.text, t.kind))
            .collect()
    }

    #[test]
    fn numbers_keep_their_signs() {
        let tokens = tokenize("It cost $105m (£80m), up 2.9% from 1,200 in 2022.");
        let numbers: Vec<&str> = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(numbers, ["$105m", "£80m", "2.9%", "1,200", "2022"]);
    }

    #[test]
    fn names_and_words() {
        use TokenKind::*;
        assert_eq!(
            kinds("Senior officials met US Army Secretary Dan Driscoll"),
            [
                ("Senior".to_string(), Name),
                ("officials".to_string(), Word),
                ("met".to_string(), Word),
                ("US".to_string(), Name),
                ("Army".to_string(), Name),
                ("Secretary".to_string(), Name),
                ("Dan".to_string(), Name),
                ("Driscoll".to_string(), Name),
            ]
        );
        // A capitalised stop word opening the sentence is not a name.
        assert_eq!(kinds("The dam")[0].1, Word);
    }

    #[test]
    fn stems_match_inflections() {
        let a = tokenize("officials arrived");
        let b = tokenize("official arrives");
        assert_eq!(a[0].stem, b[0].stem);
        assert_eq!(a[1].stem, b[1].stem);
        assert!(a.iter().all(|t| !t.stop));
        assert!(tokenize("the")[0].stop);
    }
}
