//! The fast word scanner behind fingerprints: one pass over a text, no allocation per
//! word, lower-casing and a light plural stemmer instead of Snowball.
//!
//! `segment::tokenize` is the tokenizer for the later stages (it keeps offsets and Snowball
//! stems). Fingerprinting a million documents cannot afford a `String` and a Snowball stem
//! per word, and does not need them: a hash of the lower-cased word identifies it, and the
//! S-stemmer (Harman 1991: "-ies" → "-y", "-es" → "-e", "-s" → "") joins the inflections
//! that matter for matching stories ("official"/"officials") at a fraction of the cost.

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
    /// The lower-cased token as written (with a number's suffix: "105m"), for shingles.
    pub(crate) lower: &'a str,
    /// Word, name or number.
    pub(crate) shape: Shape,
    key: Key<'a>,
}

/// A number's key, or the room for a word's, which is made only when asked for: most
/// words asked about are stop words, which need none.
enum Key<'a> {
    Digits(&'a str),
    Stem(&'a mut String),
}

impl Token<'_> {
    /// What the token means for matching: for a word, lower-cased, a possessive "'s"
    /// dropped and plurals stemmed ([`s_stem`]); for a number, the digits and decimal
    /// point only ("1,200" → "1200", "$105m" → "105").
    pub(crate) fn key(&mut self) -> &str {
        match &mut self.key {
            Key::Digits(digits) => digits,
            Key::Stem(out) => s_stem(strip_possessive(self.lower), out),
        }
    }
}

/// Hashes of NLTK's English stop words and news glue words ("said", "told"), the same list
/// as `segment::tokens`, kept as hashes so the check costs no string hashing.
static STOP_HASHES: LazyLock<StopSet> = LazyLock::new(|| {
    let mut words: Vec<&str> = stop_words::lookup("en").unwrap_or_default().to_vec();
    words.extend([
        "said", "says", "told", "also", "would", "could", "will", "may", "s", "mr", "mrs", "ms",
        "one", "two", "new", "year", "years", "last", "first", "per", "cent",
    ]);
    StopSet::new(words.iter().map(|w| xxh3_64(w.as_bytes())))
});

/// Whether a lower-cased word (by its hash) is a stop word.
pub(crate) fn is_stop(lower_hash: u64) -> bool {
    STOP_HASHES.contains(lower_hash)
}

/// A set of a few hundred word hashes, asked once per word of every document: open
/// addressing in a table eight times larger than the set, so a word that is not in it (most
/// are not) usually meets an empty slot at the first probe. (A `HashSet` spent longer on
/// its general machinery than on the probe.)
struct StopSet {
    slots: Box<[u64]>,
    mask: usize,
}

impl StopSet {
    fn new(hashes: impl Iterator<Item = u64>) -> StopSet {
        let hashes: Vec<u64> = hashes.filter(|&h| h != 0).collect();
        let size = (hashes.len() * 8).next_power_of_two().max(64);
        let mask = size - 1;
        let mut slots = vec![0u64; size];
        for hash in hashes {
            let mut at = hash as usize & mask;
            while slots[at] != 0 && slots[at] != hash {
                at = (at + 1) & mask;
            }
            slots[at] = hash;
        }
        StopSet {
            slots: slots.into_boxed_slice(),
            mask,
        }
    }

    /// Zero, the empty slot's mark, is never in the set.
    #[inline]
    fn contains(&self, hash: u64) -> bool {
        let mut at = hash as usize & self.mask;
        loop {
            match self.slots[at] {
                0 => return false,
                slot if slot == hash => return true,
                _ => at = (at + 1) & self.mask,
            }
        }
    }
}

/// Byte classes of the scanner: one table load per byte instead of a chain of range tests.
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;
/// Ends a sentence: `.`, `!`, `?`, `:`, `;` or a line break.
const STOP: u8 = 8;
const ALNUM: u8 = LOWER | UPPER | DIGIT;

static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_lowercase() {
            LOWER
        } else if byte.is_ascii_uppercase() {
            UPPER
        } else if byte.is_ascii_digit() {
            DIGIT
        } else if matches!(byte, b'.' | b'!' | b'?' | b':' | b'\n' | b';') {
            STOP
        } else {
            0
        };
        b += 1;
    }
    table
};

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
        let class = CLASS[usize::from(byte)];
        if byte < 0x80 && class & ALNUM == 0 {
            // The common case between words, without decoding a character.
            sentence_start |= class == STOP;
            at += 1;
            continue;
        }
        // The class of the character: the table's for ASCII, Unicode's otherwise.
        let (c, width, class) = if byte < 0x80 {
            (byte as char, 1, class)
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            let class = if !c.is_alphanumeric() {
                0
            } else if c.is_numeric() {
                DIGIT
            } else if c.is_uppercase() {
                UPPER
            } else {
                LOWER
            };
            (c, c.len_utf8(), class)
        };
        if class & ALNUM == 0 {
            if matches!(c, '.' | '!' | '?' | ':' | '\n' | ';') {
                sentence_start = true;
            }
            at += width;
            continue;
        }
        lower.clear();
        key.clear();
        let shape;
        if class == DIGIT {
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
            // Upper-case letters: only whether none, one or two or more are, is used.
            let mut uppercase = 0usize;
            let mut ascii = true;
            // Eight bytes at a time while they are ASCII letters and digits: most words end
            // inside the first eight, found with one test instead of one per letter.
            while let Some(chunk) = bytes.get(end..end + 8) {
                let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
                let (alnum, upper) = ascii_alnum(word);
                let run = if alnum == HIGH_BITS {
                    8
                } else {
                    (!alnum & HIGH_BITS).trailing_zeros() / 8
                };
                let kept = if run == 8 {
                    u64::MAX
                } else {
                    (1u64 << (run * 8)) - 1
                };
                // Only "none", "one" and "two or more" matter, which needs no bit count
                // (no `popcnt` on the baseline x86-64 this is built for).
                let upper = upper & kept;
                uppercase +=
                    usize::from(upper != 0) + usize::from(upper & upper.wrapping_sub(1) != 0);
                end += run as usize;
                if run < 8 {
                    break;
                }
            }
            while end < bytes.len() {
                let b = bytes[end];
                let class = CLASS[usize::from(b)];
                if class & ALNUM != 0 {
                    uppercase += usize::from(class == UPPER);
                    end += 1;
                    continue;
                }
                if b < 0x80 {
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
            // Most words are already lower-case ASCII: nothing to copy.
            let as_written = ascii && uppercase == 0;
            if as_written {
                // `lower` stays empty: the token borrows `word` below.
            } else if ascii {
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
            let capitalised = class == UPPER;
            let acronym = uppercase >= 2;
            shape = if acronym || (capitalised && !sentence_start && !title) {
                Shape::Name
            } else {
                Shape::Word
            };
            let lower = if as_written { word } else { lower.as_str() };
            at = end;
            sentence_start = false;
            on_token(Token {
                lower,
                shape,
                key: Key::Stem(&mut key),
            });
            continue;
        }
        sentence_start = false;
        on_token(Token {
            lower: &lower,
            shape,
            key: Key::Digits(&key),
        });
    }
}

/// The high bit of every byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// For the eight bytes of `word`, the high bit of each that is an ASCII letter or digit,
/// and of each that is an upper-case letter (SWAR: "Bit Twiddling Hacks", `hasbetween`,
/// whose per-byte results are exact since no byte borrows from its neighbour; a byte with
/// its high bit set is in neither).
#[inline]
fn ascii_alnum(word: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = word & (ONES * 127);
    // The high bit of each byte strictly between `m` and `n`.
    let between = |m: u64, n: u64| {
        (ONES * (127 + n)).wrapping_sub(low7)
            & !word
            & low7.wrapping_add(ONES * (127 - m))
            & HIGH_BITS
    };
    let upper = between(u64::from(b'A') - 1, u64::from(b'Z') + 1);
    let lower = between(u64::from(b'a') - 1, u64::from(b'z') + 1);
    let digit = between(u64::from(b'0') - 1, u64::from(b'9') + 1);
    (upper | lower | digit, upper)
}

fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix('\''))
        .unwrap_or(word)
}

/// Harman's S-stemmer on a lower-cased word: the plural forms English news needs joined
/// ("officials" → "official", "companies" → "company", "taxes" → "taxe", "glasses" →
/// "glass", "bus" unchanged). Porter's "-sses" → "-ss" is added to Harman's rules.
///
/// Every rule but "-ies" → "-y" drops letters, so the stem is a slice of the word; `out`
/// holds it only for "-ies".
#[inline]
pub(crate) fn s_stem<'a>(word: &'a str, out: &'a mut String) -> &'a str {
    let n = word.len();
    if n < 4 || !word.ends_with('s') {
        word
    } else if word.ends_with("sses") {
        &word[..n - 2]
    } else if word.ends_with("ies") && !word.ends_with("eies") && !word.ends_with("aies") {
        out.clear();
        out.push_str(&word[..n - 3]);
        out.push('y');
        out
    } else if word.ends_with("es")
        && !(word.ends_with("aes") || word.ends_with("ees") || word.ends_with("oes"))
    {
        &word[..n - 1]
    } else if word.ends_with("us") || word.ends_with("ss") {
        word
    } else {
        &word[..n - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, String, Shape)> {
        let mut out = Vec::new();
        scan(text, false, |mut t| {
            out.push((t.key().to_string(), t.lower.to_string(), t.shape))
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
    fn eight_bytes_at_a_time_as_one_by_one() {
        for byte in 0..=255u8 {
            let word = u64::from_le_bytes([b'a', byte, b'Q', b'7', 0x80, b' ', b'z', byte]);
            let (alnum, upper) = ascii_alnum(word);
            for (k, b) in word.to_le_bytes().into_iter().enumerate() {
                let bit = 0x80u64 << (k * 8);
                assert_eq!(alnum & bit != 0, b.is_ascii_alphanumeric(), "{b:#x}");
                assert_eq!(upper & bit != 0, b.is_ascii_uppercase(), "{b:#x}");
            }
        }
    }

    #[test]
    fn unicode_words() {
        let got = tokens("Zoë visited São Paulo’s café; Łódź");
        let keys: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(keys, ["zoë", "visited", "são", "paulo", "café", "łódź"]);
    }

    #[test]
    fn non_ascii_characters_are_classed_by_unicode() {
        use Shape::*;
        // A capitalised non-ASCII word inside a sentence is a name, at its start a word;
        // a non-ASCII numeral is a number of its own; non-ASCII punctuation separates.
        let got = tokens("Élise met Łukasz — ½ of Ⅻ «Øresund»");
        let shapes: Vec<(&str, Shape)> = got.iter().map(|t| (t.0.as_str(), t.2)).collect();
        assert_eq!(
            shapes,
            [
                ("élise", Word),
                ("met", Word),
                ("łukasz", Name),
                ("½", Number),
                ("of", Word),
                ("ⅻ", Number),
                ("øresund", Name),
            ]
        );
    }

    #[test]
    fn plurals() {
        let stem = |word: &str| {
            let mut out = String::new();
            s_stem(word, &mut out).to_string()
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
