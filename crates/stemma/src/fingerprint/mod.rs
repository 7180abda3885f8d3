//! Fingerprints: a small sketch of each document, all that clustering needs to find the
//! stories of a million documents without keeping their text.
//!
//! A [`Fingerprint`] holds two views of a document:
//!
//! - a MinHash **signature** of its word 3-shingles (lower-cased words, punctuation
//!   dropped): the shingle Jaccard similarity of two documents is the share of positions
//!   where their signatures agree. It finds copies, light edits, truncations, reorders.
//! - its **terms**: the distinct content words (stop words left out, plurals joined),
//!   names and numbers, as 30-bit hashes with their kind. Rewording keeps the names, the
//!   numbers and the rare words of a story; a summary's terms are contained in its
//!   source's; padding adds terms but removes none. Clustering weighs shared terms by how
//!   rare they are in the corpus, which only the whole corpus can tell.
//!
//! plus the publication day, the years the text writes and the length. A news-length
//! document takes about 1 KB.
//!
//! ```
//! use stemma::fingerprint::{fingerprint, FingerprintConfig};
//! use stemma::corpus::document_from_text;
//! let config = FingerprintConfig::default();
//! let a = document_from_text("a", "a", "The dam at Belozar burst on Thursday, killing 14 people.").unwrap();
//! let b = document_from_text("b", "b", "The dam at Belozar burst on Thursday, killing 14 people.").unwrap();
//! assert_eq!(fingerprint(&a, &config), fingerprint(&b, &config));
//! ```
//!
//! The scanner is not `segment::tokenize`: fingerprinting must keep pace with ingestion on
//! a crawl, and a Snowball stem and a `String` per word cost more than everything else
//! here together (see `terms`).

mod minhash;
mod terms;

pub use minhash::estimate_jaccard;

use xxhash_rust::xxh3::xxh3_64;

use crate::model::Document;
use minhash::OnePermutation;
pub(crate) use minhash::mix64;
use terms::Shape;

/// How fingerprints are made. Two fingerprints are comparable only when made with the same
/// configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerprintConfig {
    /// MinHash bins (positions of the signature). Default 128: the usual size, which puts
    /// the standard error of a Jaccard estimate near 0.04.
    pub signature_len: usize,
    /// Words per shingle. Default 3, as the usual near-duplicate pipelines use: long enough
    /// that unrelated news rarely shares a shingle, short enough that an edit every few
    /// words leaves most shingles intact.
    pub shingle_words: usize,
    /// The most terms kept per document. Default 256, about every content word of a
    /// 700-word article. Past it, names and numbers are kept first, then the words whose
    /// hashes are smallest, a sample that is the same for every document, so shared terms
    /// tend to survive on both sides.
    pub max_terms: usize,
}

impl Default for FingerprintConfig {
    fn default() -> FingerprintConfig {
        FingerprintConfig {
            signature_len: 128,
            shingle_words: 3,
            max_terms: 256,
        }
    }
}

/// The sketch of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// MinHash of the word shingles, one 16-bit value per bin; all zeros when the document
    /// has no words.
    pub signature: Box<[u16]>,
    /// Distinct terms, sorted. Each packs a 26-bit term hash (the same word gets the same
    /// hash in every document, whatever its kind there), how often the term occurs (4 bits,
    /// at most 15) and its [`TermKind`] (2 bits): see [`term_hash`], [`term_count`],
    /// [`TermKind::of`].
    pub terms: Box<[u32]>,
    /// Days since 1970-01-01 (UTC) of the publication time, when known.
    pub published_day: Option<i32>,
    /// The years from [`FIRST_YEAR`] to `FIRST_YEAR + 63` written in the title or body (a
    /// four-digit number standing alone), one bit each: two reports that both date
    /// themselves and share no year are rarely of one event.
    pub years: u64,
    /// Words and numbers in the body.
    pub words: u32,
    /// Shingles hashed (with repeats).
    pub shingles: u32,
}

impl Fingerprint {
    /// The fingerprint as bytes (little-endian), to be sent to another process or machine
    /// and read back with [`Fingerprint::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(29 + 2 * self.signature.len() + 4 * self.terms.len());
        bytes.extend_from_slice(&(self.signature.len() as u32).to_le_bytes());
        for v in self.signature.iter() {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        bytes.extend_from_slice(&(self.terms.len() as u32).to_le_bytes());
        for t in self.terms.iter() {
            bytes.extend_from_slice(&t.to_le_bytes());
        }
        bytes.push(u8::from(self.published_day.is_some()));
        bytes.extend_from_slice(&self.published_day.unwrap_or(0).to_le_bytes());
        bytes.extend_from_slice(&self.years.to_le_bytes());
        bytes.extend_from_slice(&self.words.to_le_bytes());
        bytes.extend_from_slice(&self.shingles.to_le_bytes());
        bytes
    }

    /// Reads the bytes of [`Fingerprint::to_bytes`]; `None` when they are not such bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Fingerprint> {
        let mut rest = bytes;
        let mut take = |n: usize| -> Option<&[u8]> {
            let (head, tail) = rest.split_at_checked(n)?;
            rest = tail;
            Some(head)
        };
        let u32_of = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let signature_len = u32_of(take(4)?) as usize;
        let signature: Box<[u16]> = take(signature_len.checked_mul(2)?)?
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        let terms_len = u32_of(take(4)?) as usize;
        let terms: Box<[u32]> = take(terms_len.checked_mul(4)?)?
            .chunks_exact(4)
            .map(u32_of)
            .collect();
        let dated = take(1)?[0] == 1;
        let day = u32_of(take(4)?) as i32;
        let years = u64::from_le_bytes(take(8)?.try_into().ok()?);
        let words = u32_of(take(4)?);
        let shingles = u32_of(take(4)?);
        if !rest.is_empty() || !terms.is_sorted() {
            return None;
        }
        Some(Fingerprint {
            signature,
            terms,
            published_day: dated.then_some(day),
            years,
            words,
            shingles,
        })
    }
}

/// The year of bit 0 of [`Fingerprint::years`].
pub const FIRST_YEAR: u32 = 1990;

/// The bit of a year token in [`Fingerprint::years`]: four digits, nothing else.
fn year_bit(token: &terms::Token<'_>) -> u64 {
    let bytes = token.lower;
    if token.shape != Shape::Number || bytes.len() != 4 || !bytes.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    let year = bytes
        .iter()
        .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'));
    match year.checked_sub(FIRST_YEAR) {
        Some(bit) if bit < 64 => 1 << bit,
        _ => 0,
    }
}

/// What a term of a fingerprint is, as found in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum TermKind {
    /// A content word.
    Word = 0,
    /// A capitalised word inside a sentence, or an acronym (somewhere in the document).
    Name = 1,
    /// A number (digits only: "1,200" and "1200" are one term).
    Number = 2,
}

impl TermKind {
    /// The kind packed in a term.
    pub fn of(term: u32) -> TermKind {
        match term & 3 {
            1 => TermKind::Name,
            2 => TermKind::Number,
            _ => TermKind::Word,
        }
    }
}

/// Bits of a term's hash ([`term_hash`]).
pub const TERM_HASH_BITS: u32 = 26;

/// The hash packed in a term: equal for the same word in any document.
pub fn term_hash(term: u32) -> u32 {
    term >> 6
}

/// How many times the term occurs in its document (title included), at most 15.
pub fn term_count(term: u32) -> u32 {
    (term >> 2) & 15
}

/// Fingerprints a document: signature of the body's shingles, terms of the title and body.
pub fn fingerprint(document: &Document, config: &FingerprintConfig) -> Fingerprint {
    // Three words, the default, keep their window in registers.
    match config.shingle_words.max(1) {
        3 => fingerprint_with(document, config, Three::default()),
        n => fingerprint_with(document, config, Window::new(n)),
    }
}

fn fingerprint_with(
    document: &Document,
    config: &FingerprintConfig,
    mut window: impl Shingler,
) -> Fingerprint {
    let mut sketch = OnePermutation::new(config.signature_len);
    // About one term per six bytes of news text; growing the list costs more than this.
    let mut terms: Vec<u32> = Vec::with_capacity((document.text.len() / 6).clamp(64, 1 << 16));
    let mut words = 0u32;
    let mut years = 0u64;
    let stops = terms::stop_words();
    if let Some(title) = &document.title {
        terms::scan(title, true, |mut token| {
            years |= year_bit(&token);
            let lower_hash = xxh3_64(token.lower);
            push_term(&mut terms, stops, &mut token, lower_hash);
        });
    }
    terms::scan(&document.text, false, |mut token| {
        years |= year_bit(&token);
        let lower_hash = xxh3_64(token.lower);
        words += 1;
        if let Some(shingle) = window.push(lower_hash) {
            sketch.add(shingle);
        }
        push_term(&mut terms, stops, &mut token, lower_hash);
    });
    if sketch.shingles() == 0 {
        // Fewer words than a shingle: the words themselves are the one shingle.
        if let Some(shingle) = window.partial() {
            sketch.add(shingle);
        }
    }
    let shingles = sketch.shingles();
    Fingerprint {
        signature: sketch.finish(),
        terms: finish_terms(terms, config.max_terms),
        published_day: document
            .published
            .as_ref()
            .map(|zoned| zoned.timestamp().as_second().div_euclid(86_400) as i32),
        years,
        words,
        shingles,
    }
}

/// The last few token hashes of a text, which make its shingles.
trait Shingler {
    /// Adds the next token's hash; returns the hash of the shingle it completes.
    fn push(&mut self, token: u64) -> Option<u64>;
    /// The hash of the tokens seen as one shingle, when they were too few to complete one.
    fn partial(&self) -> Option<u64>;
}

/// Shingles of three tokens.
#[derive(Default)]
struct Three {
    older: u64,
    old: u64,
    seen: usize,
}

impl Shingler for Three {
    #[inline]
    fn push(&mut self, token: u64) -> Option<u64> {
        let shingle = (self.seen >= 2).then(|| minhash::shingle_hash(self.older, self.old, token));
        self.older = self.old;
        self.old = token;
        self.seen += 1;
        shingle
    }

    fn partial(&self) -> Option<u64> {
        match self.seen {
            1 => Some(combine(&[self.old])),
            2 => Some(combine(&[self.older, self.old])),
            _ => None,
        }
    }
}

/// Shingles of any number of tokens: the last ones, oldest first.
struct Window {
    tokens: Vec<u64>,
    seen: usize,
}

impl Window {
    fn new(n: usize) -> Window {
        Window {
            tokens: vec![0; n],
            seen: 0,
        }
    }
}

impl Shingler for Window {
    fn push(&mut self, token: u64) -> Option<u64> {
        let n = self.tokens.len();
        self.tokens.copy_within(1.., 0);
        self.tokens[n - 1] = token;
        self.seen += 1;
        (self.seen >= n).then(|| combine(&self.tokens))
    }

    fn partial(&self) -> Option<u64> {
        let n = self.tokens.len();
        (self.seen > 0 && self.seen < n).then(|| combine(&self.tokens[n - self.seen..]))
    }
}

/// The hash of a shingle of token hashes, oldest first.
fn combine(tokens: &[u64]) -> u64 {
    if let [a, b, c] = *tokens {
        return minhash::shingle_hash(a, b, c);
    }
    tokens.iter().fold(0x243f_6a88_85a3_08d3u64, |acc, &token| {
        mix64(acc.rotate_left(17) ^ token)
    })
}

/// Adds a token's term, unless it is a stop word or a word whose key is under two bytes.
/// Inlined into the scanning loop: it runs for every token, and a call would spill the
/// loop's registers.
#[inline(always)]
fn push_term(
    terms: &mut Vec<u32>,
    stops: &terms::StopSet,
    token: &mut terms::Token<'_>,
    lower_hash: u64,
) {
    let kind = match token.shape {
        Shape::Number => TermKind::Number,
        Shape::Name => TermKind::Name,
        Shape::Word => TermKind::Word,
    };
    if kind != TermKind::Number && stops.contains(lower_hash) {
        return;
    }
    let lower_len = token.lower.len();
    let key = token.key();
    if kind != TermKind::Number && key.len() < 2 {
        return;
    }
    // The key is the token with characters dropped or, for "-ies", one fewer: equal
    // lengths mean equal strings, and comparing lengths skips a `memcmp` per word.
    let key_hash = if key.len() == lower_len {
        lower_hash
    } else {
        xxh3_64(key)
    };
    // Numbers and words live in one hash space: a number's key is digits only and a
    // word's never is, so they cannot be the same key. Occurrences are counted when the
    // list is finished; until then a term is its hash and kind.
    let hash26 = (key_hash >> 38) as u32;
    terms.push((hash26 << 6) | kind as u32);
}

/// Sorts terms and folds repeats into one with a count (a term seen as a name anywhere
/// is a name), then caps them.
fn finish_terms(terms: Vec<u32>, max_terms: usize) -> Box<[u32]> {
    let mut distinct = crate::spread_sort::sort(terms, u32::BITS);
    // Repeats are folded in place, in one pass: the slot written never passes the term
    // read. A term arrives with a count of zero; the first of its hash is kept with a count
    // of one, each repeat counts one more (up to 15) and hands over its kind, since kinds
    // ascend within a run of one hash and the last is the strongest.
    let mut kept = 0;
    for i in 0..distinct.len() {
        let term = distinct[i];
        if kept > 0 && term_hash(distinct[kept - 1]) == term_hash(term) {
            let count = term_count(distinct[kept - 1]);
            let count = count + u32::from(count < 15);
            distinct[kept - 1] = (term & !63) | (count << 2) | (term & 3);
        } else {
            distinct[kept] = term | (1 << 2);
            kept += 1;
        }
    }
    distinct.truncate(kept);
    if distinct.len() > max_terms {
        // Names and numbers first, then the words of smallest hash: a sample every
        // document draws alike. Both are taken in hash order, so one filtering pass keeps
        // the list sorted.
        let is_word = |t: u32| TermKind::of(t) == TermKind::Word;
        let names = distinct.iter().filter(|&&t| !is_word(t)).count();
        let mut names_left = names.min(max_terms);
        let mut words_left = max_terms - names_left;
        distinct.retain(|&t| {
            let left = if is_word(t) {
                &mut words_left
            } else {
                &mut names_left
            };
            let keep = *left > 0;
            *left = left.saturating_sub(1);
            keep
        });
    }
    distinct.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::document_from_text;

    fn print(text: &str) -> Fingerprint {
        let document = document_from_text("x", "x", text).expect("document");
        fingerprint(&document, &FingerprintConfig::default())
    }

    #[test]
    fn copies_agree_and_strangers_do_not() {
        let text = "At least 14 people were killed when a dam burst above the town of Belozar \
                    on Thursday, officials said. About 1,200 residents were evacuated.";
        let a = print(text);
        let b = print(&format!("{text} Rescue teams worked through the night."));
        let c = print(
            "Shares in Cairn Energy jumped 6% after the firm said an Indian oilfield was larger.",
        );
        assert!(estimate_jaccard(&a.signature, &b.signature) > 0.5);
        assert!(estimate_jaccard(&a.signature, &c.signature) < 0.1);
        assert_eq!(a.words, 24);
    }

    #[test]
    fn terms_have_kinds() {
        let f = print("Officials in Belozar said 1,200 residents left. The officials returned.");
        let kinds: Vec<TermKind> = f.terms.iter().map(|&t| TermKind::of(t)).collect();
        // official (twice), belozar (name), 1200 (number), resident, left, returned
        assert_eq!(f.terms.len(), 6, "{kinds:?}");
        let counts: u32 = f.terms.iter().map(|&t| term_count(t)).sum();
        assert_eq!(counts, 7);
        assert_eq!(kinds.iter().filter(|&&k| k == TermKind::Name).count(), 1);
        assert_eq!(kinds.iter().filter(|&&k| k == TermKind::Number).count(), 1);
        let g = print("1200 residents left Belozar. Official returned.");
        let hashes = |f: &Fingerprint| f.terms.iter().map(|&t| term_hash(t)).collect::<Vec<_>>();
        assert_eq!(hashes(&f), hashes(&g));
    }

    #[test]
    fn three_word_window_is_the_general_one() {
        let tokens: Vec<u64> = (1..=7u64).map(mix64).collect();
        for n in 0..=tokens.len() {
            let (mut three, mut any) = (Three::default(), Window::new(3));
            let pushed: Vec<(Option<u64>, Option<u64>)> = tokens[..n]
                .iter()
                .map(|&t| (three.push(t), any.push(t)))
                .collect();
            assert!(pushed.iter().all(|(a, b)| a == b), "{n} tokens");
            assert_eq!(three.partial(), any.partial(), "{n} tokens");
        }
        // Fewer tokens than a shingle make one shingle of themselves.
        let mut four = Window::new(4);
        assert_eq!(four.partial(), None);
        four.push(tokens[0]);
        four.push(tokens[1]);
        assert_eq!(four.partial(), Some(combine(&tokens[..2])));
    }

    proptest::proptest! {
        #[test]
        fn capping_keeps_names_then_the_smallest_words(
            raw in proptest::collection::vec((0u32..1 << 26, 0u32..3), 0..400),
            max_terms in 0usize..300,
        ) {
            let terms: Vec<u32> = raw.iter().map(|&(hash, kind)| (hash << 6) | kind).collect();
            let got = finish_terms(terms.clone(), max_terms);
            // The rule as stated: names and numbers first, then words, each in hash order.
            let all = finish_terms(terms, usize::MAX);
            let mut expected: Vec<u32> = all
                .iter()
                .copied()
                .filter(|&t| TermKind::of(t) != TermKind::Word)
                .take(max_terms)
                .collect();
            let room = max_terms - expected.len();
            expected.extend(
                all.iter().copied().filter(|&t| TermKind::of(t) == TermKind::Word).take(room),
            );
            expected.sort_unstable();
            proptest::prop_assert_eq!(got.to_vec(), expected);
        }
    }

    #[test]
    fn capped_terms_keep_names() {
        let config = FingerprintConfig {
            max_terms: 3,
            ..FingerprintConfig::default()
        };
        let document = document_from_text(
            "x",
            "x",
            "Reporters watched Zaretsky arrive at 9 with twelve tired rescuers and dogs.",
        )
        .expect("document");
        let f = fingerprint(&document, &config);
        assert_eq!(f.terms.len(), 3);
        let kinds: Vec<TermKind> = f.terms.iter().map(|&t| TermKind::of(t)).collect();
        assert!(kinds.contains(&TermKind::Name) && kinds.contains(&TermKind::Number));
    }
}
