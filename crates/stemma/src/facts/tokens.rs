//! The tokens that the readers of people, roles and entities walk: words (with inner
//! hyphens and apostrophes, "al-Assad", "O'Brien"; acronyms with full stops, "U.S."), the
//! "'s" of a possessive split from its word, and punctuation, each with its byte span, its
//! lower-case form and whether white space stands before it.
//!
//! These are not the tokens of [`crate::segment`]: names need case, possessives and
//! acronyms kept apart, while matching needs stems.

use std::borrow::Cow;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// Letters and digits, with inner hyphens and apostrophes ("al-Assad", "O'Brien"),
    /// or letters with full stops ("U.S.").
    Word,
    /// The "'s" of a possessive, split from its word.
    Possessive,
    /// Any other character but white space.
    Punct(char),
}

/// A token of a sentence.
#[derive(Debug, Clone)]
pub(super) struct Token<'a> {
    /// Byte offset of the first character.
    pub(super) start: usize,
    /// Byte offset just past the last character.
    pub(super) end: usize,
    /// What the token is.
    pub(super) kind: TokenKind,
    /// The token as written.
    pub(super) text: &'a str,
    /// Lower case, with typographic apostrophes and hyphens made plain.
    pub(super) lower: Cow<'a, str>,
    /// Whether white space (or the start of the sentence) stands before the token.
    pub(super) space_before: bool,
}

/// What the sentence readers of people and of places and organisations share: the words of
/// a tokenised sentence, by index.
pub(super) trait Words<'a> {
    /// The sentence's tokens.
    fn tokens(&self) -> &[Token<'a>];

    /// The token at `index` when it is a word.
    fn word(&self, index: usize) -> Option<&Token<'a>> {
        self.tokens().get(index).filter(|t| t.is_word())
    }

    /// Whether the token at `index` is a word, lower-cased one of `words`.
    fn lower_is(&self, index: usize, words: &[&str]) -> bool {
        self.word(index)
            .is_some_and(|t| words.contains(&t.lower.as_ref()))
    }
}

impl Token<'_> {
    pub(super) fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    pub(super) fn is_punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct(c)
    }

    /// Whether the first character is upper case.
    pub(super) fn capitalised(&self) -> bool {
        self.is_word() && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether the word is all capitals with at least two letters and no digit ("NATO",
    /// "U.S.").
    pub(super) fn acronym(&self) -> bool {
        if !self.is_word() {
            return false;
        }
        let mut letters = 0;
        for c in self.text.chars() {
            if c.is_alphabetic() {
                if !c.is_uppercase() {
                    return false;
                }
                letters += 1;
            } else if c != '.' && c != '&' {
                return false;
            }
        }
        letters >= 2
    }

    /// Whether the word has a digit.
    pub(super) fn has_digit(&self) -> bool {
        self.text.bytes().any(|b| b.is_ascii_digit())
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_inner_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Splits a sentence into word, possessive and punctuation tokens.
pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    // The character at a byte offset (always a character boundary here), ASCII first.
    let at = |position: usize| -> Option<char> {
        let &byte = bytes.get(position)?;
        if byte < 0x80 {
            Some(char::from(byte))
        } else {
            text.get(position..)?.chars().next()
        }
    };
    let after = |position: usize| position + at(position).map_or(1, char::len_utf8);
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut position = 0;
    let mut space_before = true;
    while let Some(c) = at(position) {
        let start = position;
        if c.is_whitespace() {
            space_before = true;
            position = after(position);
            continue;
        }
        if !c.is_alphanumeric() {
            position = after(position);
            push_token(
                &mut tokens,
                text,
                start,
                position,
                TokenKind::Punct(c),
                space_before,
            );
            space_before = false;
            continue;
        }
        let mut end = after(position);
        let mut possessive = false;
        while let Some(next) = at(end) {
            if next.is_alphanumeric() || next == '\u{0301}' {
                end = after(end);
                continue;
            }
            let second = after(end);
            if is_inner_hyphen(next) && at(second).is_some_and(char::is_alphanumeric) {
                end = after(second);
            } else if is_apostrophe(next) && at(second).is_some_and(char::is_alphabetic) {
                let third = after(second);
                if matches!(at(second), Some('s' | 'S'))
                    && !at(third).is_some_and(char::is_alphanumeric)
                {
                    possessive = true;
                    break;
                }
                end = third;
            } else {
                break;
            }
        }
        // "U.S.", "D.C.": single capitals each followed by a full stop.
        if end == after(start) && c.is_uppercase() && at(end) == Some('.') {
            let mut probe = end + 1;
            let mut letters = 1;
            while at(probe).is_some_and(char::is_uppercase) && at(after(probe)) == Some('.') {
                probe = after(probe) + 1;
                letters += 1;
            }
            if letters >= 2 {
                end = probe;
            }
        }
        push_token(&mut tokens, text, start, end, TokenKind::Word, space_before);
        space_before = false;
        position = end;
        if possessive {
            let apostrophe_end = after(position);
            let possessive_end = after(apostrophe_end);
            push_token(
                &mut tokens,
                text,
                position,
                possessive_end,
                TokenKind::Possessive,
                false,
            );
            position = possessive_end;
        }
    }
    tokens
}

fn push_token<'a>(
    tokens: &mut Vec<Token<'a>>,
    text: &'a str,
    start: usize,
    end: usize,
    kind: TokenKind,
    space_before: bool,
) {
    let slice = &text[start..end];
    let plain = if slice.is_ascii() {
        !slice.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        !slice
            .chars()
            .any(|c| c.is_uppercase() || matches!(c, '’' | 'ʼ' | '‐' | '‑'))
    };
    let lower = if plain {
        Cow::Borrowed(slice)
    } else {
        Cow::Owned(
            slice
                .chars()
                .flat_map(char::to_lowercase)
                .map(|c| match c {
                    '’' | 'ʼ' => '\'',
                    '‐' | '‑' => '-',
                    other => other,
                })
                .collect(),
        )
    };
    tokens.push(Token {
        start,
        end,
        kind,
        text: slice,
        lower,
        space_before,
    });
}
