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
    /// UTF-8, handed over as bytes: it is only hashed and its ending read, and a `&str`
    /// would cost a char-boundary check per word to make.
    pub(crate) lower: &'a [u8],
    /// Word, name or number.
    pub(crate) shape: Shape,
    /// A number's digits, or the room for a word's stem, which is made only when asked for:
    /// most words asked about are stop words, which need none.
    key: &'a mut Vec<u8>,
}

impl Token<'_> {
    /// What the token means for matching: for a word, lower-cased, a possessive "'s"
    /// dropped and plurals stemmed ([`s_stem`]); for a number, the digits and decimal
    /// point only ("1,200" → "1200", "$105m" → "105").
    #[inline(always)]
    pub(crate) fn key(&mut self) -> &[u8] {
        if self.shape == Shape::Number {
            self.key
        } else {
            word_key(self.lower, self.key)
        }
    }
}

/// A lower-cased word's key: possessive dropped, plural stemmed.
#[inline(always)]
fn word_key<'a>(lower: &'a [u8], out: &'a mut Vec<u8>) -> &'a [u8] {
    // Both rules only touch a word ending in "s" or an apostrophe; most words end
    // otherwise and are their own key, found with one byte test.
    match lower.last() {
        Some(b's' | b'\'') => s_stem(strip_possessive(lower), out),
        _ => lower,
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

/// The stop words, by the hashes of their lower-cased forms. Taken once per document: the
/// `LazyLock` checks whether it is initialised each time it is read.
pub(crate) fn stop_words() -> &'static StopSet {
    &STOP_HASHES
}

/// A set of a few hundred word hashes, asked once per word of every document: open
/// addressing in a table eight times larger than the set, so a word that is not in it (most
/// are not) usually meets an empty slot at the first probe. (A `HashSet` spent longer on
/// its general machinery than on the probe.)
pub(crate) struct StopSet {
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
    pub(crate) fn contains(&self, hash: u64) -> bool {
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

/// The class of a character past ASCII, by Unicode's rules.
fn unicode_class(c: char) -> u8 {
    if !c.is_alphanumeric() {
        0
    } else if c.is_numeric() {
        DIGIT
    } else if c.is_uppercase() {
        UPPER
    } else {
        LOWER
    }
}

/// Appends `c` to `out` as UTF-8.
fn push_char(out: &mut Vec<u8>, c: char) {
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}

/// Scans `text` and calls `on_token` for every word and number, in order.
///
/// A sentence starts the text and follows `.`, `!`, `?`, `:`, `;` or a line break; a
/// capitalised word elsewhere is a name. In a `title`, where Title Case capitalises every
/// word, only acronyms are.
///
/// `on_token` is called from one place only, so the compiler inlines it into the loop: a
/// call per token, with the token passed through memory, cost more than a stop-word check.
pub(crate) fn scan(text: &str, title: bool, mut on_token: impl FnMut(Token<'_>)) {
    let bytes = text.as_bytes();
    let mut lower: Vec<u8> = Vec::with_capacity(64);
    let mut key: Vec<u8> = Vec::with_capacity(64);
    let mut sentence_start = true;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        // The class of the character: the table's for ASCII, Unicode's otherwise (the
        // table classes every byte past ASCII as 0).
        let mut class = CLASS[usize::from(byte)];
        let mut c = char::from(byte);
        let mut width = 1;
        if class & ALNUM == 0 {
            if byte < 0x80 {
                // The common case between words, without decoding a character.
                sentence_start |= class == STOP;
                at += 1;
                continue;
            }
            c = text[at..].chars().next().unwrap_or(' ');
            width = c.len_utf8();
            class = unicode_class(c);
            if class & ALNUM == 0 {
                // No sentence end is past ASCII.
                at += width;
                continue;
            }
        }
        let shape;
        let token_lower: &[u8];
        // Whether a sentence starts after the token (set when the token's path has already
        // read the byte after it).
        let mut sentence_after = false;
        key.clear();
        if class == DIGIT {
            // A number: digits with inner separators, then any suffix ("m", "bn", "th").
            let mut end = at;
            while end < bytes.len() {
                let b = bytes[end];
                if b.is_ascii_digit() {
                    key.push(b);
                    end += 1;
                } else if (b == b',' || b == b'.')
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
                    && end > at
                {
                    if b == b'.' {
                        key.push(b'.');
                    }
                    end += 1;
                } else {
                    break;
                }
            }
            if end == at {
                // A non-ASCII numeric character ("½", "٣"): one token of its own.
                end = at + width;
                for l in c.to_lowercase() {
                    push_char(&mut key, l);
                }
            }
            let number_end = end;
            while end < bytes.len() && bytes[end].is_ascii_alphabetic() {
                end += 1;
            }
            lower.clear();
            if number_end == at + width && !c.is_ascii_digit() {
                // The lower-cased character, as the key has it ("Ⅻ" → "ⅻ").
                lower.extend_from_slice(&key);
            } else {
                lower.extend_from_slice(&bytes[at..number_end]);
            }
            lower.extend(bytes[number_end..end].iter().map(u8::to_ascii_lowercase));
            at = end;
            shape = Shape::Number;
            token_lower = &lower;
        } else {
            let mut end = at;
            // Upper-case letters: only whether none, one or two or more are, is used.
            let mut uppercase = 0usize;
            let mut ascii = true;
            // Whether the eight-byte steps found the word's end for certain.
            let mut ended = false;
            // The word lower-cased, when it is ASCII and the first eight bytes hold it.
            let mut lowered = None;
            // Eight bytes at a time while they are ASCII letters and digits: most words end
            // inside the first eight, found with one test instead of one per letter.
            while let Some(chunk) = bytes.get(end..end + 8) {
                let first = end == at;
                let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
                let (alnum, upper) = ascii_alnum(word);
                // The high bits of the bytes that end the word; none when all eight go on.
                let stops = !alnum & HIGH_BITS;
                // 64 / 8 = 8 when there is no stop.
                let run = stops.trailing_zeros() / 8;
                // The bits up to the first stop (all bits when there is none): the upper-case
                // letters of the word, since the stop byte itself is not one.
                let kept = stops ^ stops.wrapping_sub(1);
                // Only "none", "one" and "two or more" matter, which needs no bit count
                // (no `popcnt` on the baseline x86-64 this is built for).
                let upper = upper & kept;
                uppercase +=
                    usize::from(upper != 0) + usize::from(upper & upper.wrapping_sub(1) != 0);
                end += run as usize;
                if run < 8 {
                    // The byte that stopped the run: an apostrophe or a byte past ASCII may
                    // go on with the word (the loop below decides), any other ends it.
                    let stop = chunk[run as usize];
                    ended = stop < 0x80 && stop != b'\'';
                    if ended {
                        // Spent here rather than by the loop's next turn: one fewer turn per
                        // word, as most words are followed by one space.
                        sentence_after = CLASS[usize::from(stop)] == STOP;
                    }
                    if ended && first {
                        // Setting bit 5 of each upper-case letter lower-cases it.
                        lowered = Some(word | (upper >> 2));
                    }
                    break;
                }
            }
            while !ended && end < bytes.len() {
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
            let word = &bytes[at..end];
            // Most words are already lower-case ASCII: nothing to copy.
            token_lower = if ascii && uppercase == 0 {
                word
            } else if let Some(lowered) = lowered {
                // Eight bytes stored at once, then cut to the word: no call to `memcpy`.
                lower.clear();
                lower.extend_from_slice(&lowered.to_le_bytes());
                lower.truncate(word.len());
                &lower
            } else if ascii {
                lower.clear();
                lower.extend_from_slice(word);
                lower.make_ascii_lowercase();
                &lower
            } else {
                lower.clear();
                for ch in text[at..end].chars() {
                    if ch == '’' {
                        lower.push(b'\'');
                    } else {
                        for l in ch.to_lowercase() {
                            push_char(&mut lower, l);
                        }
                    }
                }
                &lower
            };
            let capitalised = class == UPPER;
            let acronym = uppercase >= 2;
            shape = if acronym || (capitalised && !sentence_start && !title) {
                Shape::Name
            } else {
                Shape::Word
            };
            at = end + usize::from(ended);
        }
        sentence_start = sentence_after;
        on_token(Token {
            lower: token_lower,
            shape,
            key: &mut key,
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

fn strip_possessive(word: &[u8]) -> &[u8] {
    word.strip_suffix(b"'s")
        .or_else(|| word.strip_suffix(b"'"))
        .unwrap_or(word)
}

/// Harman's S-stemmer on a lower-cased word: the plural forms English news needs joined
/// ("officials" → "official", "companies" → "company", "taxes" → "taxe", "glasses" →
/// "glass", "bus" unchanged). Porter's "-sses" → "-ss" is added to Harman's rules.
///
/// Every rule but "-ies" → "-y" drops letters, so the stem is a slice of the word; `out`
/// holds it only for "-ies". On UTF-8 bytes: the suffixes are ASCII, so a byte suffix is a
/// character suffix and every cut is on a character boundary.
pub(crate) fn s_stem<'a>(word: &'a [u8], out: &'a mut Vec<u8>) -> &'a [u8] {
    let n = word.len();
    if n < 4 || !word.ends_with(b"s") {
        word
    } else if word.ends_with(b"sses") {
        &word[..n - 2]
    } else if word.ends_with(b"ies") && !word.ends_with(b"eies") && !word.ends_with(b"aies") {
        out.clear();
        out.extend_from_slice(&word[..n - 3]);
        out.push(b'y');
        out
    } else if word.ends_with(b"es")
        && !(word.ends_with(b"aes") || word.ends_with(b"ees") || word.ends_with(b"oes"))
    {
        &word[..n - 1]
    } else if word.ends_with(b"us") || word.ends_with(b"ss") {
        word
    } else {
        &word[..n - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, String, Shape)> {
        scanned(text, false)
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
            let mut out = Vec::new();
            String::from_utf8(s_stem(word.as_bytes(), &mut out).to_vec()).expect("UTF-8")
        };
        assert_eq!(stem("officials"), "official");
        assert_eq!(stem("companies"), "company");
        assert_eq!(stem("taxes"), "taxe");
        assert_eq!(stem("glasses"), "glass");
        assert_eq!(stem("bus"), "bus");
        assert!(stop_words().contains(xxh3_64(b"the")));
        assert!(!stop_words().contains(xxh3_64(b"dam")));
    }

    /// The scanner's rules as its documentation states them, one character at a time:
    /// none of its fast paths (eight bytes at a time, the byte table, borrowed lower-case
    /// words, the key made only for words ending in "s" or an apostrophe).
    fn reference(text: &str, title: bool) -> Vec<(String, String, Shape)> {
        let chars: Vec<char> = text.chars().collect();
        let at = |i: usize| chars.get(i).copied().unwrap_or(' ');
        let mut out = Vec::new();
        let mut sentence_start = true;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let mut j = i + 1;
            if !c.is_alphanumeric() {
                sentence_start |= matches!(c, '.' | '!' | '?' | ':' | '\n' | ';');
            } else if c.is_numeric() {
                let mut key: String = c.to_lowercase().collect();
                if c.is_ascii_digit() {
                    j = i;
                    key.clear();
                    while at(j).is_ascii_digit()
                        || (j > i && matches!(at(j), ',' | '.') && at(j + 1).is_ascii_digit())
                    {
                        key.extend(Some(at(j)).filter(|&d| d != ','));
                        j += 1;
                    }
                }
                let mut lower = if c.is_ascii_digit() {
                    chars[i..j].iter().collect()
                } else {
                    key.clone()
                };
                while at(j).is_ascii_alphabetic() {
                    lower.push(at(j).to_ascii_lowercase());
                    j += 1;
                }
                out.push((key, lower, Shape::Number));
                sentence_start = false;
            } else {
                j = i;
                while at(j).is_alphanumeric()
                    || (j > i && matches!(at(j), '\'' | '’') && at(j + 1).is_ascii_alphabetic())
                {
                    j += 1;
                }
                let word = &chars[i..j];
                let lower: String = word
                    .iter()
                    .flat_map(|&ch| {
                        if ch == '’' {
                            '\''.to_lowercase()
                        } else {
                            ch.to_lowercase()
                        }
                    })
                    .collect();
                let mut stem = Vec::new();
                let key = s_stem(strip_possessive(lower.as_bytes()), &mut stem).to_vec();
                let uppercase = word.iter().filter(|ch| ch.is_uppercase()).count();
                let name = uppercase >= 2 || (c.is_uppercase() && !sentence_start && !title);
                let shape = if name { Shape::Name } else { Shape::Word };
                out.push((String::from_utf8(key).expect("UTF-8"), lower, shape));
                sentence_start = false;
            }
            i = j;
        }
        out
    }

    fn scanned(text: &str, title: bool) -> Vec<(String, String, Shape)> {
        let mut out = Vec::new();
        scan(text, title, |mut t| {
            let key = String::from_utf8(t.key().to_vec()).expect("UTF-8 key");
            let lower = String::from_utf8(t.lower.to_vec()).expect("UTF-8 lower");
            out.push((key, lower, t.shape))
        });
        out
    }

    proptest::proptest! {
        #[test]
        fn scanner_follows_its_rules(
            text in "([a-zA-Z]{1,12}(s|'s|’s|ies|es|sses|us|')?|[A-Z]{2,5}|[0-9]{1,4}([,.][0-9]{1,3})?[a-zA-Z]{0,2}|[éÉŁßİ½Ⅻ٣—’'\n.,;!? ]){0,30}",
            title in proptest::bool::ANY,
        ) {
            proptest::prop_assert_eq!(scanned(&text, title), reference(&text, title));
        }

        #[test]
        fn scanner_follows_its_rules_on_any_text(text in "\\PC{0,60}", title in proptest::bool::ANY) {
            proptest::prop_assert_eq!(scanned(&text, title), reference(&text, title));
        }
    }
}
