//! Sentences turned into weighted features for matching.
//!
//! A sentence's content is its non-stop words, stemmed and mapped through the synonym
//! groups of `synonyms.txt` ("reached" and "arrived" become one feature), its names keyed by
//! their consonant skeleton (so "Dmitriev" meets "Dmitriyev"), and its numbers as written
//! without separators. Each feature is weighted by its inverse sentence frequency within
//! the documents compared, so the words every sentence of a story shares ("dam", "Ukraine")
//! count less than the ones that pin a sentence down.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use crate::model::Document;
use crate::segment::tokens::stem;
use crate::segment::{TokenKind, tokenize};

static SYNONYMS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut map: HashMap<String, String> = HashMap::new();
    let groups = |list: &'static str| {
        list.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| line.split(',').map(|w| stem(w.trim())).collect::<Vec<_>>())
    };
    for words in groups(include_str!("synonyms.txt")) {
        let Some(head) = words.first() else { continue };
        for word in &words {
            // A word listed in two groups keeps its first: groups must not chain.
            map.entry(word.clone()).or_insert_with(|| head.clone());
        }
    }
    // The forms of one word join the synonym group of any of them ("told" joins "say").
    for words in groups(include_str!("word_forms.txt")) {
        let Some(head) = words
            .iter()
            .find_map(|w| map.get(w))
            .or(words.first())
            .cloned()
        else {
            continue;
        };
        for word in words {
            map.entry(word).or_insert_with(|| head.clone());
        }
    }
    map
});

/// The matching key of a content word's stem: its synonym group's head, else the stem.
pub fn word_key(stem: &str) -> String {
    SYNONYMS
        .get(stem)
        .cloned()
        .unwrap_or_else(|| stem.to_string())
}

/// What a feature stands for; names and numbers also feed conflict detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeatureKind {
    /// A content word (stem, synonym group).
    Word,
    /// A capitalised name or acronym (consonant skeleton).
    Name,
    /// A number as written, without separators ("1200", "$105m").
    Number,
}

/// A sentence ready for matching.
#[derive(Debug, Clone)]
pub struct SentenceFeatures {
    /// Index into the document's sentence list.
    pub sentence: usize,
    /// Hash of the lower-cased word sequence: equal hashes are verbatim copies, whatever the
    /// quotes, dashes and spacing.
    pub verbatim_key: u64,
    /// Lower-cased words, stop words included, for the edited/paraphrase distinction.
    pub words: Vec<u32>,
    /// Content features with their weights, sorted by feature id.
    pub content: Vec<(u32, f32)>,
    /// Sum of the content weights.
    pub total: f32,
    /// The sentence as written, for the learned pair verdict.
    pub text: String,
}

/// A document's body sentences ready for matching (headings left out).
#[derive(Debug, Clone)]
pub struct PreparedDocument {
    /// Body sentences in order.
    pub sentences: Vec<SentenceFeatures>,
    /// Sum of the sentence totals.
    pub total: f32,
}

/// Feature ids and kinds shared by the documents compared together.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<(FeatureKind, String), u32>,
    kinds: Vec<FeatureKind>,
    words: HashMap<String, u32>,
}

impl Vocabulary {
    fn feature(&mut self, kind: FeatureKind, key: String) -> u32 {
        let next = self.kinds.len() as u32;
        *self.ids.entry((kind, key)).or_insert_with(|| {
            self.kinds.push(kind);
            next
        })
    }

    fn word(&mut self, word: &str) -> u32 {
        let next = self.words.len() as u32;
        *self.words.entry(word.to_string()).or_insert(next)
    }

    /// The kind of a feature id.
    pub fn kind(&self, id: u32) -> FeatureKind {
        self.kinds
            .get(id as usize)
            .copied()
            .unwrap_or(FeatureKind::Word)
    }
}

/// The consonant skeleton of a name: transliterations differ mostly in vowels and `y`
/// ("Dmitriev"/"Dmitriyev", "Zelensky"/"Zelenskiy"). Short names keep their letters, where
/// a skeleton would collide.
pub fn name_key(lower: &str) -> String {
    if lower.chars().count() < 6 {
        return lower.to_string();
    }
    let mut key = String::with_capacity(lower.len());
    for c in lower.chars() {
        // Doubled consonants vary too ("Philipp"/"Philip").
        if !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') && !key.ends_with(c) {
            key.push(c);
        }
    }
    key
}

/// A number without thousands separators, so "1,200" meets "1200".
fn number_key(text: &str) -> String {
    text.chars()
        .filter(|c| *c != ',')
        .collect::<String>()
        .to_lowercase()
}

/// The raw features of one sentence, before weighting.
struct RawSentence {
    sentence: usize,
    text: String,
    verbatim_key: u64,
    words: Vec<u32>,
    features: Vec<u32>,
}

fn raw_sentence(vocabulary: &mut Vocabulary, sentence: usize, text: &str) -> RawSentence {
    let tokens = tokenize(text);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut words = Vec::with_capacity(tokens.len());
    let mut features = Vec::new();
    for token in &tokens {
        token.lower.hash(&mut hasher);
        words.push(vocabulary.word(&token.lower));
        if token.stop {
            continue;
        }
        let (kind, key) = match token.kind {
            TokenKind::Number => (FeatureKind::Number, number_key(&token.text)),
            TokenKind::Name => (FeatureKind::Name, name_key(&token.lower)),
            TokenKind::Word => (FeatureKind::Word, word_key(&token.stem)),
        };
        // A capitalised word may be an ordinary word at the start of a sentence ("Senior
        // officials"); adding the word feature too lets it meet "senior" elsewhere.
        if kind == FeatureKind::Name {
            features.push(vocabulary.feature(FeatureKind::Word, word_key(&token.stem)));
        }
        features.push(vocabulary.feature(kind, key));
    }
    features.sort_unstable();
    features.dedup();
    RawSentence {
        sentence,
        text: text.to_string(),
        verbatim_key: hasher.finish(),
        words,
        features,
    }
}

/// Prepares documents that will be compared with one another: one vocabulary, weights from
/// sentence frequencies across all of them.
pub fn prepare(documents: &[&Document]) -> (Vec<PreparedDocument>, Vocabulary) {
    let mut vocabulary = Vocabulary::default();
    let raw: Vec<Vec<RawSentence>> = documents
        .iter()
        .map(|document| {
            document
                .body_sentences()
                .map(|(i, s)| raw_sentence(&mut vocabulary, i, &s.text))
                .collect()
        })
        .collect();
    let mut frequency: HashMap<u32, u32> = HashMap::new();
    let mut n_sentences = 0u32;
    for sentences in &raw {
        for sentence in sentences {
            n_sentences += 1;
            for &feature in &sentence.features {
                *frequency.entry(feature).or_default() += 1;
            }
        }
    }
    // Sentence frequencies only mean something over enough sentences: compared alone, two
    // sentences would make every shared word look common and every changed one rare. Below
    // that, all content words weigh the same.
    let n = n_sentences as f32;
    let use_idf = n_sentences >= 24;
    let weight = |feature: u32, kind: FeatureKind| -> f32 {
        let df = frequency.get(&feature).copied().unwrap_or(1) as f32;
        let idf = if use_idf { (1.0 + n / df).ln() } else { 1.0 };
        match kind {
            FeatureKind::Word => idf,
            FeatureKind::Name | FeatureKind::Number => 1.5 * idf,
        }
    };
    let prepared = raw
        .into_iter()
        .map(|sentences| {
            let sentences: Vec<SentenceFeatures> = sentences
                .into_iter()
                .map(|raw| {
                    let content: Vec<(u32, f32)> = raw
                        .features
                        .iter()
                        .map(|&f| (f, weight(f, vocabulary.kind(f))))
                        .collect();
                    let total = content.iter().map(|(_, w)| w).sum();
                    SentenceFeatures {
                        sentence: raw.sentence,
                        verbatim_key: raw.verbatim_key,
                        words: raw.words,
                        content,
                        total,
                        text: raw.text,
                    }
                })
                .collect();
            let total = sentences.iter().map(|s| s.total).sum();
            PreparedDocument { sentences, total }
        })
        .collect();
    (prepared, vocabulary)
}

/// The weight two sentences share (sum of the weights of common features, the smaller
/// weight of the two when they differ).
pub fn shared_weight(a: &SentenceFeatures, b: &SentenceFeatures) -> f32 {
    let (mut i, mut j, mut shared) = (0, 0, 0.0);
    while i < a.content.len() && j < b.content.len() {
        match a.content[i].0.cmp(&b.content[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += a.content[i].1.min(b.content[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// Dice overlap of the two sentences' word bigrams (stop words included): how much of the
/// wording, not just the content, is shared. Bigrams rather than words, because a synonym
/// spinner keeps most function words ("the", "of", "in") while breaking nearly every
/// pair of neighbours; an editor who changes one word breaks only two.
pub fn word_overlap(a: &SentenceFeatures, b: &SentenceFeatures) -> f32 {
    let bigrams = |words: &[u32]| -> Vec<u64> {
        let mut pairs: Vec<u64> = words
            .windows(2)
            .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
            .collect();
        if words.len() == 1 {
            pairs.push(u64::from(words[0]));
        }
        pairs.sort_unstable();
        pairs
    };
    let (x, y) = (bigrams(&a.words), bigrams(&b.words));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f32 / (x.len() + y.len()) as f32
}

/// Features present in one sentence and absent from the other, by kind: the changed names
/// and numbers that make an aligned sentence a candidate for drift.
pub fn differing(
    a: &SentenceFeatures,
    b: &SentenceFeatures,
    vocabulary: &Vocabulary,
    kind: FeatureKind,
) -> (usize, usize) {
    let only = |x: &SentenceFeatures, y: &SentenceFeatures| {
        x.content
            .iter()
            .filter(|(f, _)| vocabulary.kind(*f) == kind)
            .filter(|(f, _)| y.content.binary_search_by_key(f, |(g, _)| *g).is_err())
            .count()
    };
    (only(a, b), only(b, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_meet_transliterations() {
        assert_eq!(name_key("dmitriev"), name_key("dmitriyev"));
        assert_eq!(name_key("zelensky"), name_key("zelenskiy"));
        assert_ne!(name_key("driscoll"), name_key("donahue"));
        assert_eq!(name_key("kyiv"), "kyiv");
    }

    #[test]
    fn synonyms_share_a_feature() {
        assert_eq!(
            SYNONYMS.get(&stem("reached")),
            SYNONYMS.get(&stem("arrived"))
        );
        assert_eq!(
            SYNONYMS.get(&stem("individuals")),
            SYNONYMS.get(&stem("people"))
        );
        assert_ne!(SYNONYMS.get(&stem("killed")), SYNONYMS.get(&stem("people")));
    }
}
