//! Is a version consistent with its source? Each version sentence is judged, and the
//! version as a whole: `supported`, `changed` (it contradicts the source), or
//! `unsupported` (it says something the source does not).
//!
//! The features of a version sentence are what a careful editor checks against the source
//! passage it was aligned with: the learned pair verdict on the two sentences; content,
//! names and numbers the version has and the whole source lacks (invented) or that the
//! source has only elsewhere (moved between subjects, the signature of a swapped entity);
//! negation and antonyms against the passage; and the fact drift the library found in the
//! sentence. A whole version's features are the worst and the mean over its sentences. One
//! model, trained by `stemma-train` on FRANK, the SummEdits domains and synthetic edits,
//! judges both a single sentence (as a one-sentence version) and the whole.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::Model;
use crate::collate::Link;
use crate::collate::features::{name_key, word_key};
use crate::drift::{Drift, DriftKind};
use crate::model::Document;
use crate::segment::tokens::stem;
use crate::segment::{TokenKind, tokenize};

/// Features of one version sentence, in the order of [`sentence_features`].
pub const SENTENCE_FEATURES: [&str; 16] = [
    "linked",
    "paraphrase",
    "changed",
    "unrelated",
    "novel_content_share",
    "novel_content",
    "novel_names",
    "novel_numbers",
    "names_elsewhere",
    "numbers_elsewhere",
    "unlinked_content",
    "negation_difference",
    "antonyms",
    "drift_changed",
    "drift_added",
    "length",
];

/// Feature names of the whole-version model: each sentence feature's maximum and mean over
/// the version's sentences, then the number of sentences.
pub fn features_names(with_cosine: bool) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut base: Vec<&str> = SENTENCE_FEATURES.to_vec();
    if with_cosine {
        base.push("cosine");
    }
    for aggregate in ["max", "mean"] {
        for name in &base {
            names.push(format!("{aggregate}_{name}"));
        }
    }
    names.push("sentences".into());
    names
}

static WORDS_MODEL: LazyLock<Model> =
    LazyLock::new(|| super::builtin(include_str!("../../models/consistency.json")));
static EMBED_MODEL: LazyLock<Model> =
    LazyLock::new(|| super::builtin(include_str!("../../models/consistency-embed.json")));

/// The consistency model: with the cosine features when `with_cosine`.
pub fn model(with_cosine: bool) -> &'static Model {
    // The variant with the sentence model is used only when it was trained; else the
    // words-only model judges, and the caller's cosine is left out.
    if with_cosine && EMBED_MODEL.is_trained() {
        &EMBED_MODEL
    } else {
        &WORDS_MODEL
    }
}

static ANTONYMS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    include_str!("antonyms.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(','))
        .map(|(a, b)| (stem(a.trim()), stem(b.trim())))
        .collect()
});

/// A sentence's keys as the features compare them.
#[derive(Default)]
struct Keys {
    content: HashSet<String>,
    names: HashSet<String>,
    /// Each name's content key beside its name key: a capitalised word opening a sentence
    /// ("Police said…") reads as a name, and is no new name when the source has the word.
    name_words: HashMap<String, String>,
    numbers: HashSet<String>,
    stems: HashSet<String>,
    negations: usize,
    tokens: usize,
}

impl Keys {
    /// Whether a name is unknown to these keys as a name and as a word.
    fn lacks_name(&self, name: &str, word: &str) -> bool {
        !self.names.contains(name) && !self.content.contains(word)
    }
}

fn number_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect()
}

fn keys(text: &str) -> Keys {
    let mut k = Keys::default();
    for token in tokenize(text) {
        k.tokens += 1;
        if super::is_negation(&token.lower) {
            k.negations += 1;
        }
        if token.stop {
            continue;
        }
        k.stems.insert(token.stem.clone());
        match token.kind {
            TokenKind::Number => {
                let key = number_key(&token.text);
                // Small counts written as digits ("2 goals") are too common to be telling.
                k.numbers.insert(key.clone());
                k.content.insert(format!("#{key}"));
            }
            TokenKind::Name => {
                let (name, word) = (name_key(&token.lower), word_key(&token.stem));
                k.names.insert(name.clone());
                k.name_words.insert(name, word.clone());
                k.content.insert(word);
            }
            TokenKind::Word => {
                k.content.insert(word_key(&token.stem));
            }
        }
    }
    k
}

/// The source as the features read it: its sentences' keys and the union of them all.
pub struct SourceKeys {
    sentences: Vec<Keys>,
    all: Keys,
}

impl SourceKeys {
    /// Reads a source document's sentences (headings too: a version may state what only a
    /// heading or the title gives).
    pub fn new(source: &Document) -> SourceKeys {
        let mut sentences: Vec<Keys> = source.sentences.iter().map(|s| keys(&s.text)).collect();
        if let Some(title) = &source.title {
            sentences.push(keys(title));
        }
        let mut all = Keys::default();
        for s in &sentences {
            all.content.extend(s.content.iter().cloned());
            all.names.extend(s.names.iter().cloned());
            all.numbers.extend(s.numbers.iter().cloned());
            all.stems.extend(s.stems.iter().cloned());
        }
        SourceKeys { sentences, all }
    }
}

/// The features of version sentence `sentence` against the source, given the links of the
/// version to the source and the drift found; `cosine` is the sentence model's cosine to
/// the best linked source sentence, when the model is loaded.
pub fn sentence_features(
    source: &Document,
    source_keys: &SourceKeys,
    version: &Document,
    sentence: usize,
    links: &[Link],
    drift: &[Drift],
) -> [f64; SENTENCE_FEATURES.len()] {
    let text = version
        .sentences
        .get(sentence)
        .map_or("", |s| s.text.as_str());
    let v = keys(text);
    let linked: Vec<&Link> = links.iter().filter(|l| l.version == sentence).collect();
    let best = linked.iter().max_by(|a, b| a.score.total_cmp(&b.score));
    let verdict = best.and_then(|link| {
        let source_text = &source.sentences.get(link.source)?.text;
        Some(super::pair::judge(source_text, text, None))
    });
    // The passage: every source sentence linked to this one.
    let mut passage = Keys::default();
    for link in &linked {
        if let Some(k) = source_keys.sentences.get(link.source) {
            passage.content.extend(k.content.iter().cloned());
            passage.names.extend(k.names.iter().cloned());
            passage.numbers.extend(k.numbers.iter().cloned());
            passage.stems.extend(k.stems.iter().cloned());
            passage.negations += k.negations;
        }
    }
    let novel_content = v.content.difference(&source_keys.all.content).count() as f64;
    let novel_names = v
        .name_words
        .iter()
        .filter(|(name, word)| source_keys.all.lacks_name(name, word))
        .count() as f64;
    let novel_numbers = v.numbers.difference(&source_keys.all.numbers).count() as f64;
    let names_elsewhere = v
        .names
        .iter()
        .filter(|n| source_keys.all.names.contains(*n) && !passage.names.contains(*n))
        .count() as f64;
    let numbers_elsewhere = v
        .numbers
        .iter()
        .filter(|n| source_keys.all.numbers.contains(*n) && !passage.numbers.contains(*n))
        .count() as f64;
    let unlinked = v.content.difference(&passage.content).count() as f64;
    let antonyms = ANTONYMS
        .iter()
        .filter(|(a, b)| {
            (v.stems.contains(a) && passage.stems.contains(b) && !passage.stems.contains(a))
                || (v.stems.contains(b) && passage.stems.contains(a) && !passage.stems.contains(b))
        })
        .count() as f64;
    let in_sentence = |kind: DriftKind| {
        drift
            .iter()
            .filter(|d| d.kind == kind)
            .filter(|d| d.version.as_ref().is_some_and(|f| f.sentence == sentence))
            .count() as f64
    };
    let negation_difference = if linked.is_empty() {
        0.0
    } else {
        (v.negations as f64 - passage.negations as f64).abs()
    };
    let (paraphrase, changed, unrelated) =
        verdict.map_or((0.0, 0.0, 1.0), |p| (p.paraphrase, p.changed, p.unrelated));
    [
        f64::from(u8::from(!linked.is_empty())),
        paraphrase,
        changed,
        unrelated,
        novel_content / v.content.len().max(1) as f64,
        novel_content.ln_1p(),
        novel_names,
        novel_numbers,
        names_elsewhere,
        numbers_elsewhere,
        unlinked.ln_1p(),
        negation_difference,
        antonyms,
        in_sentence(DriftKind::Changed),
        in_sentence(DriftKind::Added),
        (v.tokens as f64).ln_1p(),
    ]
}

/// The whole-version features from its sentences' rows (each row the sentence features,
/// plus the cosine when the model is loaded).
pub fn aggregate(rows: &[Vec<f64>]) -> Vec<f64> {
    let width = rows.first().map_or(SENTENCE_FEATURES.len(), Vec::len);
    let mut max = vec![0.0f64; width];
    let mut mean = vec![0.0f64; width];
    for row in rows {
        for (k, x) in row.iter().enumerate() {
            max[k] = max[k].max(*x);
            mean[k] += x / rows.len() as f64;
        }
    }
    let mut out = max;
    out.extend(mean);
    out.push((rows.len() as f64).ln_1p());
    out
}

/// The verdict on one version sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceCheck {
    /// Index into the version's sentence list.
    pub sentence: usize,
    /// `supported`, `changed` or `unsupported`.
    pub verdict: &'static str,
    /// Calibrated probability that the source supports the sentence.
    pub supported: f64,
    /// The source sentences it was held against (its aligned passage), best first.
    pub passage: Vec<usize>,
    /// The sentence's words whose content the passage lacks (the whole source, when the
    /// sentence has no passage): where a change or an invention sits.
    pub words: Vec<String>,
}

/// The verdict on a whole version.
#[derive(Debug, Clone, PartialEq)]
pub struct Consistency {
    /// Calibrated probability that the version is consistent with its source.
    pub consistent: f64,
    /// The model's threshold: at or above it the version is called consistent.
    pub threshold: f64,
    /// Each version body sentence.
    pub sentences: Vec<SentenceCheck>,
}

impl Consistency {
    /// The verdict at the model's threshold.
    pub fn is_consistent(&self) -> bool {
        self.consistent >= self.threshold
    }
}

/// The per-sentence feature rows of a version (body sentences, in order), with the
/// cosine appended when `cosines` gives one per sentence.
pub fn rows(
    source: &Document,
    version: &Document,
    links: &[Link],
    drift: &[Drift],
    cosines: Option<&dyn Fn(usize) -> f32>,
) -> Vec<(usize, Vec<f64>)> {
    let source_keys = SourceKeys::new(source);
    version
        .body_sentences()
        .map(|(i, _)| {
            let mut row =
                sentence_features(source, &source_keys, version, i, links, drift).to_vec();
            if let Some(cosine) = cosines {
                row.push(f64::from(cosine(i)));
            }
            (i, row)
        })
        .collect()
}

fn unsupported_words(
    source_keys: &SourceKeys,
    version: &Document,
    sentence: usize,
    passage: &[usize],
) -> Vec<String> {
    let mut content: HashSet<String> = HashSet::new();
    let mut numbers: HashSet<String> = HashSet::new();
    let mut names: HashSet<String> = HashSet::new();
    let from: Vec<&Keys> = if passage.is_empty() {
        vec![&source_keys.all]
    } else {
        passage
            .iter()
            .filter_map(|&p| source_keys.sentences.get(p))
            .collect()
    };
    for k in from {
        content.extend(k.content.iter().cloned());
        numbers.extend(k.numbers.iter().cloned());
        names.extend(k.names.iter().cloned());
    }
    let text = version
        .sentences
        .get(sentence)
        .map_or("", |s| s.text.as_str());
    let mut words: Vec<String> = Vec::new();
    for token in tokenize(text) {
        let missing = if super::is_negation(&token.lower) {
            // A negation the passage lacks is the change itself.
            !passage.is_empty()
                && passage.iter().all(|&p| {
                    source_keys
                        .sentences
                        .get(p)
                        .is_some_and(|k| k.negations == 0)
                })
        } else if token.stop {
            false
        } else {
            match token.kind {
                TokenKind::Number => !numbers.contains(&number_key(&token.text)),
                TokenKind::Name => {
                    !names.contains(&name_key(&token.lower))
                        && !content.contains(&word_key(&token.stem))
                }
                TokenKind::Word => !content.contains(&word_key(&token.stem)),
            }
        };
        if missing && !words.contains(&token.text) {
            words.push(token.text.clone());
        }
    }
    words
}

/// Judges a version against its source.
pub fn judge(
    source: &Document,
    version: &Document,
    links: &[Link],
    drift: &[Drift],
    cosines: Option<&dyn Fn(usize) -> f32>,
) -> Consistency {
    let model = model(cosines.is_some());
    let with_cosine = model.features.len() > features_names(false).len();
    let rows = rows(
        source,
        version,
        links,
        drift,
        cosines.filter(|_| with_cosine),
    );
    let source_keys = SourceKeys::new(source);
    let p_consistent = |features: &[f64]| model.probability(features, "consistent");
    let all: Vec<Vec<f64>> = rows.iter().map(|(_, r)| r.clone()).collect();
    let consistent = if all.is_empty() {
        1.0
    } else {
        p_consistent(&aggregate(&all))
    };
    let sentences = rows
        .iter()
        .map(|(i, row)| {
            let mut passage: Vec<&Link> = links.iter().filter(|l| l.version == *i).collect();
            // A sentence the source holds word for word is supported, whatever the model
            // makes of it alone.
            let supported = if passage
                .iter()
                .any(|l| l.kind == crate::collate::AlignmentKind::Verbatim)
            {
                1.0
            } else {
                p_consistent(&aggregate(std::slice::from_ref(row)))
            };
            passage.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.source.cmp(&b.source)));
            let verdict = if supported >= model.threshold {
                "supported"
            } else if passage.is_empty() {
                "unsupported"
            } else {
                "changed"
            };
            let passage: Vec<usize> = passage.iter().map(|l| l.source).collect();
            SentenceCheck {
                sentence: *i,
                verdict,
                supported,
                words: unsupported_words(&source_keys, version, *i, &passage),
                passage,
            }
        })
        .collect();
    Consistency {
        consistent,
        threshold: model.threshold,
        sentences,
    }
}
