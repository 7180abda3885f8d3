//! Two sentences judged together: the same content in other words (`paraphrase`), the same
//! sentence with a detail changed (`changed`), or `unrelated`.
//!
//! The features are what an editor compares: how much of the content each side keeps
//! (stems, synonym groups, names by consonant skeleton, numbers), what each side has that
//! the other lacks, how much wording and word order is kept (bigrams, trigrams, longest
//! common subsequence, character 4-grams), lengths, negation, and — when the sentence model
//! is loaded — the cosine of the two sentence vectors. The model weighing them is trained
//! on MRPC and STS-B news by `stemma-train`.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::Model;
use crate::collate::features::{name_key, word_key};
use crate::segment::{TokenKind, tokenize};

/// The classes of the sentence-pair model, in its order.
pub const CLASSES: [&str; 3] = ["paraphrase", "changed", "unrelated"];

/// Feature names, in the order of [`features`]; the cosine comes last and only in the
/// model trained with the sentence model.
pub const FEATURES: [&str; 20] = [
    "word_jaccard",
    "content_dice",
    "content_min_containment",
    "content_only_a",
    "content_only_b",
    "stem_dice",
    "bigram_dice",
    "trigram_dice",
    "lcs_ratio",
    "char4_dice",
    "length_ratio",
    "length_log_difference",
    "numbers_only_a",
    "numbers_only_b",
    "numbers_conflict",
    "names_only_a",
    "names_only_b",
    "names_conflict",
    "negation_difference",
    "short_pair",
];

/// Features from the sentence model beside the cosine: how the two sentences' word pieces
/// find each other in context (see [`crate::collate::embed::token_alignment`]).
pub const TOKEN_FEATURES: [&str; 5] = [
    "token_precision",
    "token_recall",
    "token_f1",
    "token_worst_a",
    "token_worst_b",
];

static WORDS_MODEL: LazyLock<Model> =
    LazyLock::new(|| super::builtin(include_str!("../../models/pair.json")));
static EMBED_MODEL: LazyLock<Model> =
    LazyLock::new(|| super::builtin(include_str!("../../models/pair-embed.json")));

/// The model that judges sentence pairs: with the cosine feature when `with_cosine`.
pub fn model(with_cosine: bool) -> &'static Model {
    // The variant with the sentence model is used only when it was trained; else the
    // words-only model judges, and the caller's cosine is left out.
    if with_cosine && EMBED_MODEL.is_trained() {
        &EMBED_MODEL
    } else {
        &WORDS_MODEL
    }
}

/// The verdict on a sentence pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairVerdict {
    /// Probability that the two say the same thing.
    pub paraphrase: f64,
    /// Probability that one is the other with a detail changed.
    pub changed: f64,
    /// Probability that they are unrelated.
    pub unrelated: f64,
}

impl PairVerdict {
    /// The most probable class and its probability.
    pub fn best(&self) -> (&'static str, f64) {
        let all = [self.paraphrase, self.changed, self.unrelated];
        let (k, p) = all
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(k, p)| (k, *p))
            .unwrap_or((2, 1.0));
        (CLASSES[k], p)
    }
}

/// What the sentence model says of a pair of sentences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Semantic {
    /// The cosine of the two sentence vectors.
    pub cosine: f32,
    /// Their word pieces' alignment, in the order of [`TOKEN_FEATURES`].
    pub tokens: [f32; TOKEN_FEATURES.len()],
}

/// Judges two sentences; `semantic` is what the sentence model says of them when it is
/// loaded.
pub fn judge(a: &str, b: &str, semantic: Option<&Semantic>) -> PairVerdict {
    let mut x = features(a, b).to_vec();
    let model = model(semantic.is_some());
    if let Some(semantic) = semantic.filter(|_| model.features.len() > FEATURES.len()) {
        x.push(f64::from(semantic.cosine));
        if model.features.len() > FEATURES.len() + 1 {
            x.extend(semantic.tokens.map(f64::from));
        }
    }
    let p = model.predict(&x);
    let get = |name: &str| {
        model
            .classes
            .iter()
            .position(|c| c == name)
            .and_then(|k| p.get(k).copied())
            .unwrap_or(0.0)
    };
    PairVerdict {
        paraphrase: get("paraphrase"),
        changed: get("changed"),
        unrelated: get("unrelated"),
    }
}

/// One sentence as the features see it.
struct Side {
    lower: Vec<String>,
    stems: HashSet<String>,
    content: HashSet<String>,
    numbers: HashSet<String>,
    names: HashSet<String>,
    negations: usize,
    chars4: HashSet<String>,
}

/// How many sentences' sides each thread keeps: a story's sentences are compared with many
/// candidates, and reading a sentence (tokens, stems, 4-grams) costs more than comparing.
const SIDE_CACHE: usize = 4096;

thread_local! {
    static SIDES: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<Side>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// [`side`], read once per sentence text and thread.
fn cached_side(text: &str) -> std::rc::Rc<Side> {
    SIDES.with(|cache| {
        if let Some(side) = cache.borrow().get(text) {
            return side.clone();
        }
        let side = std::rc::Rc::new(side(text));
        let mut cache = cache.borrow_mut();
        if cache.len() >= SIDE_CACHE {
            cache.clear();
        }
        cache.insert(text.to_string(), side.clone());
        side
    })
}

fn side(text: &str) -> Side {
    let tokens = tokenize(text);
    let mut s = Side {
        lower: Vec::with_capacity(tokens.len()),
        stems: HashSet::new(),
        content: HashSet::new(),
        numbers: HashSet::new(),
        names: HashSet::new(),
        negations: 0,
        chars4: HashSet::new(),
    };
    for token in &tokens {
        s.lower.push(token.lower.clone());
        if super::is_negation(&token.lower) {
            s.negations += 1;
        }
        if token.stop {
            continue;
        }
        s.stems.insert(token.stem.clone());
        match token.kind {
            TokenKind::Number => {
                let key: String = token
                    .text
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                s.numbers.insert(key.clone());
                s.content.insert(format!("#{key}"));
            }
            TokenKind::Name => {
                s.names.insert(name_key(&token.lower));
                s.content.insert(format!("@{}", name_key(&token.lower)));
                s.content.insert(word_key(&token.stem));
            }
            TokenKind::Word => {
                s.content.insert(word_key(&token.stem));
            }
        }
    }
    let squeezed: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    for window in squeezed.windows(4) {
        s.chars4.insert(window.iter().collect());
    }
    s
}

fn dice<T: Eq + std::hash::Hash>(a: &HashSet<T>, b: &HashSet<T>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

fn ngrams(words: &[String], n: usize) -> HashSet<&[String]> {
    words.windows(n).collect()
}

fn lcs(a: &[String], b: &[String]) -> usize {
    // Sentences are short (the caller caps them), so the quadratic table is cheap.
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Longest sentence the features read, in characters: a "sentence" longer than this is a
/// run-on paragraph, and its tail adds nothing but quadratic work.
const MAX_CHARS: usize = 2_000;

fn capped(text: &str) -> &str {
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The word features of a sentence pair, in the order of [`FEATURES`].
pub fn features(a: &str, b: &str) -> [f64; FEATURES.len()] {
    let (x, y) = (cached_side(capped(a)), cached_side(capped(b)));
    let only = |p: &HashSet<String>, q: &HashSet<String>| p.difference(q).count() as f64;
    let words_x: HashSet<&String> = x.lower.iter().collect();
    let words_y: HashSet<&String> = y.lower.iter().collect();
    let union = words_x.union(&words_y).count().max(1) as f64;
    let word_jaccard = words_x.intersection(&words_y).count() as f64 / union;
    let shared_content = x.content.intersection(&y.content).count() as f64;
    let containment = |s: &HashSet<String>| {
        if s.is_empty() {
            1.0
        } else {
            shared_content / s.len() as f64
        }
    };
    let (lx, ly) = (x.lower.len().max(1) as f64, y.lower.len().max(1) as f64);
    let numbers_only_a = only(&x.numbers, &y.numbers);
    let numbers_only_b = only(&y.numbers, &x.numbers);
    let names_only_a = only(&x.names, &y.names);
    let names_only_b = only(&y.names, &x.names);
    [
        word_jaccard,
        dice(&x.content, &y.content),
        containment(&x.content).min(containment(&y.content)),
        only(&x.content, &y.content).ln_1p(),
        only(&y.content, &x.content).ln_1p(),
        dice(&x.stems, &y.stems),
        dice(&ngrams(&x.lower, 2), &ngrams(&y.lower, 2)),
        dice(&ngrams(&x.lower, 3), &ngrams(&y.lower, 3)),
        lcs(&x.lower, &y.lower) as f64 / lx.max(ly),
        dice(&x.chars4, &y.chars4),
        lx.min(ly) / lx.max(ly),
        (lx / ly).ln().abs(),
        numbers_only_a,
        numbers_only_b,
        f64::from(u8::from(numbers_only_a > 0.0 && numbers_only_b > 0.0)),
        names_only_a,
        names_only_b,
        f64::from(u8::from(names_only_a > 0.0 && names_only_b > 0.0)),
        (x.negations as f64 - y.negations as f64).abs(),
        f64::from(u8::from(lx.min(ly) < 6.0)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_sentences_share_everything() {
        let f = features("Fourteen people died.", "Fourteen people died.");
        assert_eq!(f[0], 1.0);
        assert_eq!(f[1], 1.0);
        assert_eq!(f[12] + f[13], 0.0);
    }

    #[test]
    fn changed_number_is_a_conflict() {
        let f = features(
            "About 1,200 residents were evacuated.",
            "About 2,100 residents were evacuated.",
        );
        assert_eq!(f[14], 1.0);
    }

    #[test]
    fn shipped_models_parse_and_match_the_features() {
        assert_eq!(model(false).features.len(), FEATURES.len());
        assert!(model(true).features.len() >= FEATURES.len());
        assert_eq!(model(false).classes, CLASSES);
    }
}
