//! The fast word scanner behind fingerprints: one pass over a text, no allocation per
//! word, lower-casing and a light plural stemmer instead of Snowball.
//!
//! `segment::tokenize` is the tokenizer for the later stages (it keeps offsets and Snowball
//! stems). Fingerprinting a million documents cannot afford a `String` and a Snowball stem
//! per word, and does not need them: a hash of the lower-cased word identifies it, and the
//! S-stemmer (Harman 1991: "-ies" → "-y", "-es" → "-e", "-s" → "") joins the inflections
//! that matter for matching stories ("official"/"officials") at a fraction of the cost.

use std::collections::HashSet;
use std::sync::LazyLock;

use xxhash_rust::xxh3::xxh3_64;

/// What a scanned token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Shape {
    /// A lower-case word, or a capitalised one opening a sentence.
    Word,
    /// A capitalised word inside a sentence, or an acronym: raw material of names.
    Name,
    /// Starts with a digit ("2013", "1,200", "105m", "5th").
    Number,
}

/// One token as the scanner hands it over.
pub(crate) struct Token<'a> {
    /// What the token means for matching: for a word, lower-cased, a possessive "'s"
    /// dropped and plurals stemmed ([`s_stem_into`]); for a number, the digits and decimal
    /// point only ("1,200" → "1200", "$105m" → "105").
    pub(crate) key: &'a str,
    /// The lower-cased token as written (with a number's suffix: "105m"), for shingles.
    pub(crate) lower: &'a str,
    /// Word, name or number.
    pub(crate) shape: Shape,
}

/// Hashes of NLTK's English stop words and news glue words ("said", "told"), the same list
/// as `segment::tokens`, kept as hashes so the check costs no string hashing.
static STOP_HASHES: LazyLock<HashSet<u64, NoHashBuilder>> = LazyLock::new(|| {
    let mut words: Vec<&str> = stop_words::lookup("en").unwrap_or_default().to_vec();
    words.extend([
        "said", "says", "told", "also", "would", "could", "will", "may", "s", "mr", "mrs", "ms",
        "one", "two", "new", "year", "years", "last", "first", "per", "cent",
    ]);
    words.iter().map(|w| xxh3_64(w.as_bytes())).collect()
});

/// Whether a lower-cased word (by its hash) is a stop word.
pub(crate) fn is_stop(lower_hash: u64) -> bool {
    STOP_HASHES.contains(&lower_hash)
}

/// A hasher for keys that are already hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct NoHash(u64);

impl std::hash::Hasher for NoHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed here; fold anything else in for safety.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

pub(crate) type NoHashBuilder = std::hash::BuildHasherDefault<NoHash>;

/// Scans `text` and calls `on_token` for every word and number, in order.
///
/// A sentence starts the text and follows `.`, `!`, `?`, `:`, `;` or a line break; a
/// capitalised word elsewhere is a name. In a `title`, where Title Case capitalises every
/// word, only acronyms are.
pub(crate) fn scan(text: &str, title: bool, mut on_token: impl FnMut(Token<'_>)) {
    let bytes = text.as_bytes();
    let mut lower = String::with_capacity(64);
    let mut key = String::with_capacity(64);
    let mut sentence_start = true;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte < 0x80 && !byte.is_ascii_alphanumeric() {
            // The common case between words, without decoding a character.
            if matches!(byte, b'.' | b'!' | b'?' | b':' | b'\n' | b';') {
                sentence_start = true;
            }
            at += 1;
            continue;
        }
        let (c, width) = if byte < 0x80 {
            (byte as char, 1)
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        if !c.is_alphanumeric() {
            if matches!(c, '.' | '!' | '?' | ':' | '\n' | ';') {
                sentence_start = true;
            }
            at += width;
            continue;
        }
        lower.clear();
        key.clear();
        let shape;
        if c.is_ascii_digit() || c.is_numeric() {
            // A number: digits with inner separators, then any suffix ("m", "bn", "th").
            let mut end = at;
            while end < bytes.len() {
                let b = bytes[end];
                if b.is_ascii_digit() {
                    key.push(b as char);
                    end += 1;
                } else if (b == b',' || b == b'.')
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
                    && end > at
                {
                    if b == b'.' {
                        key.push('.');
                    }
                    end += 1;
                } else {
                    break;
                }
            }
            if end == at {
                // A non-ASCII numeric character ("½", "٣"): one token of its own.
                end = at + width;
                key.extend(c.to_lowercase());
            }
            let number_end = end;
            while end < bytes.len() && bytes[end].is_ascii_alphabetic() {
                end += 1;
            }
            if number_end == at + width && !c.is_ascii_digit() {
                // The lower-cased character, as the key has it ("Ⅻ" → "ⅻ").
                lower.push_str(&key);
            } else {
                lower.push_str(&text[at..number_end]);
            }
            for &b in &bytes[number_end..end] {
                lower.push(b.to_ascii_lowercase() as char);
            }
            at = end;
            shape = Shape::Number;
        } else {
            let mut end = at;
            let mut uppercase = 0usize;
            let mut ascii = true;
            while end < bytes.len() {
                let b = bytes[end];
                if b < 0x80 {
                    if b.is_ascii_alphanumeric() {
                        uppercase += usize::from(b.is_ascii_uppercase());
                        end += 1;
                        continue;
                    }
                    // An apostrophe inside a word ("don't", "O'Brien") keeps it whole.
                    if b == b'\''
                        && end > at
                        && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic)
                    {
                        end += 1;
                        continue;
                    }
                    break;
                }
                let next = text[end..].chars().next().unwrap_or(' ');
                if next.is_alphanumeric() {
                    uppercase += usize::from(next.is_uppercase());
                    ascii = false;
                    end += next.len_utf8();
                } else if next == '’'
                    && end > at
                    && bytes
                        .get(end + next.len_utf8())
                        .is_some_and(u8::is_ascii_alphabetic)
                {
                    ascii = false;
                    end += next.len_utf8();
                } else {
                    break;
                }
            }
            let word = &text[at..end];
            if ascii {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                for ch in word.chars() {
                    if ch == '’' {
                        lower.push('\'');
                    } else {
                        lower.extend(ch.to_lowercase());
                    }
                }
            }
            let capitalised = c.is_uppercase();
            let acronym = uppercase >= 2;
            shape = if acronym || (capitalised && !sentence_start && !title) {
                Shape::Name
            } else {
                Shape::Word
            };
            s_stem_into(strip_possessive(&lower), &mut key);
            at = end;
        }
        sentence_start = false;
        on_token(Token {
            key: &key,
            lower: &lower,
            shape,
        });
    }
}

fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix('\''))
        .unwrap_or(word)
}

/// Harman's S-stemmer on a lower-cased word, written to `out`: the plural forms English
/// news needs joined ("officials" → "official", "companies" → "company", "taxes" → "taxe",
/// "glasses" → "glass", "bus" unchanged). Porter's "-sses" → "-ss" is added to Harman's
/// rules.
pub(crate) fn s_stem_into(word: &str, out: &mut String) {
    let n = word.len();
    if n < 4 || !word.ends_with('s') {
        out.push_str(word);
    } else if word.ends_with("sses") {
        out.push_str(&word[..n - 2]);
    } else if word.ends_with("ies") && !word.ends_with("eies") && !word.ends_with("aies") {
        out.push_str(&word[..n - 3]);
        out.push('y');
    } else if word.ends_with("es")
        && !(word.ends_with("aes") || word.ends_with("ees") || word.ends_with("oes"))
    {
        out.push_str(&word[..n - 1]);
    } else if word.ends_with("us") || word.ends_with("ss") {
        out.push_str(word);
    } else {
        out.push_str(&word[..n - 1]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, String, Shape)> {
        let mut out = Vec::new();
        scan(text, false, |t| {
            out.push((t.key.to_string(), t.lower.to_string(), t.shape))
        });
        out
    }

    #[test]
    fn words_names_numbers() {
        use Shape::*;
        let got = tokens("The US paid $1,500.5m to Kyiv's officials. Reid met O'Brien in 2013!");
        let expected = [
            ("the", "the", Word),
            ("us", "us", Name),
            ("paid", "paid", Word),
            ("1500.5", "1,500.5m", Number),
            ("to", "to", Word),
            ("kyiv", "kyiv's", Name),
            ("official", "officials", Word),
            ("reid", "reid", Word),
            ("met", "met", Word),
            ("o'brien", "o'brien", Name),
            ("in", "in", Word),
            ("2013", "2013", Number),
        ];
        let expected: Vec<(String, String, Shape)> = expected
            .iter()
            .map(|(k, l, s)| (k.to_string(), l.to_string(), *s))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn unicode_words() {
        let got = tokens("Zoë visited São Paulo’s café; Łódź");
        let keys: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(keys, ["zoë", "visited", "são", "paulo", "café", "łódź"]);
    }

    #[test]
    fn plurals() {
        let stem = |word: &str| {
            let mut out = String::new();
            s_stem_into(word, &mut out);
            out
        };
        assert_eq!(stem("officials"), "official");
        assert_eq!(stem("companies"), "company");
        assert_eq!(stem("taxes"), "taxe");
        assert_eq!(stem("glasses"), "glass");
        assert_eq!(stem("bus"), "bus");
        assert!(is_stop(xxh3_64(b"the")));
        assert!(!is_stop(xxh3_64(b"dam")));
    }
}
