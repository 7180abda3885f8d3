//! Collation: versions of a story lined up sentence by sentence.
//!
//! [`align_pair`] aligns two versions: verbatim sentences first (by a hash of their words,
//! so quotes and spacing do not matter), then every remaining sentence of the version with
//! the source sentence that shares the most weighted content (stems, synonym groups, names,
//! numbers; see [`features`]). Order is not required, so moved paragraphs are found; a
//! version sentence that fuses two source sentences gets both (many-to-one), and several
//! version sentences may share one source sentence (one-to-many). A link whose names or
//! numbers disagree is kept — that is where drift is found — but scored lower and marked.
//!
//! [`collate`] aligns every pair of versions a story needs, and sums each pair up
//! ([`PairSummary`]: similarity, coverage, novelty) for provenance. Collate does no IO and
//! holds no state between calls.
//!
//! ```
//! use stemma::collate::{align_documents, CollateConfig};
//! # use stemma::model::{Document, Sentence, SentenceKind};
//! # fn doc(id: &str, sentences: &[&str]) -> Document {
//! #     Document { id: id.into(), source: id.into(), title: None, published: None, url: None,
//! #         author: None, text: sentences.join(" "), sentences: sentences.iter().enumerate()
//! #         .map(|(i, s)| Sentence { text: s.to_string(), block: i, kind: SentenceKind::Body }).collect() }
//! # }
//! let source = doc("a", &["Senior officials arrived in Kyiv on Thursday.", "The talks will last two days."]);
//! let version = doc("b", &["The talks will last two days.", "High-ranking officials reached Kyiv on Thursday."]);
//! let pair = align_documents(&source, &version, &CollateConfig::default());
//! assert_eq!(pair.links.len(), 2);
//! assert!(pair.summary.coverage > 0.99);
//! ```

#[cfg(feature = "embed")]
pub mod embed;
#[cfg(feature = "embed")]
pub mod entail;
pub mod features;

use std::collections::HashMap;

use serde::Serialize;

pub use features::{FeatureKind, PreparedDocument, SentenceFeatures, Vocabulary, prepare};

use crate::model::Document;
use crate::verdict::pair::Semantic;

/// A sentence encoder: an optional semantic model that maps sentences to unit vectors
/// whose dot product is their similarity. stemma works fully without one; with one,
/// alignment also finds sentences that share meaning but few words.
pub trait SentenceEncoder: Send + Sync + std::fmt::Debug {
    /// One unit vector per sentence, with its word pieces' vectors, in order; `None` when
    /// the model fails.
    fn encode(&self, sentences: &[&str]) -> Option<Vec<Encoded>>;
}

/// Sentence vectors of a prepared document, in the order of its `sentences`.
pub type SentenceVectors = Vec<Encoded>;

/// A sentence as a [`SentenceEncoder`] reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Encoded {
    /// The unit-length sentence vector.
    pub sentence: Vec<f32>,
    /// The unit-length vectors of its word pieces in context, in order.
    pub tokens: Vec<Vec<f32>>,
}

/// How well two sentences' word pieces find each other in context, as
/// `[precision, recall, f1, worst_a, worst_b]`: each piece of `b` matched to its most
/// similar piece of `a` (precision is the mean of those cosines), and the other way round
/// (recall); `worst_a` and `worst_b` are the lowest of each side's best matches — the
/// piece that has no counterpart, where a changed detail shows. Zeros when a side has no
/// pieces.
pub fn token_alignment(a: &[Vec<f32>], b: &[Vec<f32>]) -> [f32; 5] {
    if a.is_empty() || b.is_empty() {
        return [0.0; 5];
    }
    let dot = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f32>();
    let mut best_a = vec![f32::MIN; a.len()];
    let mut best_b = vec![f32::MIN; b.len()];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            let d = dot(x, y);
            best_a[i] = best_a[i].max(d);
            best_b[j] = best_b[j].max(d);
        }
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    let worst = |v: &[f32]| v.iter().copied().fold(f32::MAX, f32::min);
    let (precision, recall) = (mean(&best_b), mean(&best_a));
    let f1 = 2.0 * precision * recall / (precision + recall).max(1e-6);
    [precision, recall, f1, worst(&best_a), worst(&best_b)]
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Encodes the body sentences of documents with an encoder, in the order `prepare` keeps.
pub fn encode_documents(
    encoder: &dyn SentenceEncoder,
    documents: &[&Document],
) -> Option<Vec<SentenceVectors>> {
    documents
        .iter()
        .map(|document| {
            let texts: Vec<&str> = document
                .body_sentences()
                .map(|(_, s)| s.text.as_str())
                .collect();
            encoder.encode(&texts)
        })
        .collect()
}

/// Thresholds for alignment, with defaults chosen on the dev data (see BENCHMARKS.md).
#[derive(Debug, Clone)]
pub struct CollateConfig {
    /// Least Dice overlap of weighted content for two sentences to be aligned.
    pub link_threshold: f32,
    /// Least overlap of wording (stop words included) for a link to be `edited` rather than
    /// `paraphrase`.
    pub edited_threshold: f32,
    /// With a sentence encoder: least cosine for a sentence pair too unlike in words to be
    /// aligned lexically to be aligned as a paraphrase.
    pub semantic_threshold: f32,
}

impl Default for CollateConfig {
    fn default() -> CollateConfig {
        CollateConfig {
            link_threshold: 0.34,
            edited_threshold: 0.6,
            semantic_threshold: 0.75,
        }
    }
}

/// How a sentence of a version relates to the source sentence it is aligned with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlignmentKind {
    /// The same words (quotes, dashes, spacing and case aside).
    Verbatim,
    /// Mostly the same words, some changed, cut or added.
    Edited,
    /// The same content in other words.
    Paraphrase,
}

impl AlignmentKind {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AlignmentKind::Verbatim => "verbatim",
            AlignmentKind::Edited => "edited",
            AlignmentKind::Paraphrase => "paraphrase",
        }
    }
}

/// One aligned pair of sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Sentence index in the source document.
    pub source: usize,
    /// Sentence index in the version document.
    pub version: usize,
    /// Verbatim, edited or paraphrase.
    pub kind: AlignmentKind,
    /// How far the two sentences say the same thing, in 0..=1 (1 for verbatim): the
    /// learned pair verdict's probability of a paraphrase (see [`crate::verdict::pair`]).
    pub score: f32,
    /// Calibrated probability that the link is right: that the two sentences are the same
    /// sentence, reworded or with a detail changed, rather than unrelated.
    pub confidence: f32,
    /// The numbers differ between the two sentences.
    pub numbers_differ: bool,
    /// The names differ between the two sentences.
    pub names_differ: bool,
}

/// How two versions relate as wholes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PairSummary {
    /// Overall similarity in 0..=1: aligned content of both sides, weighted by link score.
    pub similarity: f32,
    /// Share of the source's content that the version carries.
    pub coverage: f32,
    /// Share of the version's content with no counterpart in the source.
    pub novelty: f32,
    /// Share of the version's content carried by the source (the mirror of `coverage`).
    pub carried: f32,
    /// `carried` weighted by link confidence: how well the source explains the version
    /// (a sentence fused or condensed from the source is explained by it, though it is no
    /// paraphrase of any one source sentence).
    pub explained: f32,
    /// Share of the version's content in verbatim links.
    pub verbatim: f32,
    /// Share of the version's content in verbatim or edited links.
    pub lexical: f32,
    /// Version length over source length, in content weight.
    pub length_ratio: f32,
    /// Share of the version's word trigrams found in the source: shared phrasing, which
    /// copies, edits and summaries keep and an independently written account lacks.
    pub phrases: f32,
    /// Number of version sentences aligned.
    pub aligned_sentences: usize,
    /// Number of version body sentences.
    pub version_sentences: usize,
}

/// The alignment of a version with a source.
#[derive(Debug, Clone, PartialEq)]
pub struct PairAlignment {
    /// Sentence links, ordered by version sentence then source sentence.
    pub links: Vec<Link>,
    /// The whole-document figures.
    pub summary: PairSummary,
}

/// Aligns `version` against `source`, both prepared with the same vocabulary.
pub fn align_pair(
    source: &PreparedDocument,
    version: &PreparedDocument,
    vocabulary: &Vocabulary,
    config: &CollateConfig,
) -> PairAlignment {
    align_pair_with(source, version, vocabulary, config, None)
}

/// [`align_pair`] with sentence vectors from a semantic model: link scores blend word
/// overlap with cosine, and a sentence too unlike in words is still aligned when its
/// meaning is close (cosine at least `semantic_threshold`).
pub fn align_pair_with(
    source: &PreparedDocument,
    version: &PreparedDocument,
    vocabulary: &Vocabulary,
    config: &CollateConfig,
    vectors: Option<(&SentenceVectors, &SentenceVectors)>,
) -> PairAlignment {
    let cosine = |i: usize, j: usize| -> Option<f32> {
        let (s, v) = vectors?;
        Some(dot(&s.get(i)?.sentence, &v.get(j)?.sentence))
    };
    let semantic = |i: usize, j: usize| -> Option<Semantic> {
        let (s, v) = vectors?;
        let (a, b) = (s.get(i)?, v.get(j)?);
        Some(Semantic {
            cosine: dot(&a.sentence, &b.sentence),
            tokens: token_alignment(&a.tokens, &b.tokens),
        })
    };
    let mut links: Vec<Link> = Vec::new();
    // Verbatim first: a hash lookup, which makes syndicated copies cheap.
    let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, s) in source.sentences.iter().enumerate() {
        by_key.entry(s.verbatim_key).or_default().push(i);
    }
    // Inverted index from feature to source sentences, for the fuzzy pass.
    let mut postings: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, s) in source.sentences.iter().enumerate() {
        for &(feature, _) in &s.content {
            postings.entry(feature).or_default().push(i);
        }
    }
    let mut shared = vec![0f32; source.sentences.len()];
    let mut touched: Vec<usize> = Vec::new();
    for (j, v) in version.sentences.iter().enumerate() {
        if let Some(candidates) = by_key.get(&v.verbatim_key) {
            // Several identical source sentences: take the one nearest in relative position.
            let expected = relative(j, version.sentences.len()) * source.sentences.len() as f32;
            let &best = candidates
                .iter()
                .min_by(|&&a, &&b| {
                    (a as f32 - expected)
                        .abs()
                        .total_cmp(&(b as f32 - expected).abs())
                })
                .unwrap_or(&candidates[0]);
            links.push(Link {
                source: source.sentences[best].sentence,
                version: v.sentence,
                kind: AlignmentKind::Verbatim,
                score: 1.0,
                confidence: 1.0,
                numbers_differ: false,
                names_differ: false,
            });
            continue;
        }
        for &(feature, weight) in &v.content {
            if let Some(list) = postings.get(&feature) {
                for &i in list {
                    if shared[i] == 0.0 {
                        touched.push(i);
                    }
                    let source_weight = source.sentences[i]
                        .content
                        .binary_search_by_key(&feature, |(f, _)| *f)
                        .map(|k| source.sentences[i].content[k].1)
                        .unwrap_or(weight);
                    shared[i] += weight.min(source_weight);
                }
            }
        }
        // Rank candidates by Dice; keep the best and a possible second for fusion.
        let mut scored: Vec<(usize, f32)> = touched
            .iter()
            .map(|&i| {
                let s = &source.sentences[i];
                (i, 2.0 * shared[i] / (s.total + v.total).max(f32::EPSILON))
            })
            .collect();
        for &i in &touched {
            shared[i] = 0.0;
        }
        touched.clear();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // The word overlap of each candidate before the cosine is blended in.
        let mut lexical: Vec<(usize, f32)> = Vec::new();
        if vectors.is_some() {
            // Rescue by meaning: the source sentence closest in meaning, when no word
            // overlap clears the threshold.
            let lexical_best = scored.first().map_or(0.0, |&(_, d)| d);
            if lexical_best < config.link_threshold
                && let Some((i, cos)) = (0..source.sentences.len())
                    .filter_map(|i| cosine(i, j).map(|c| (i, c)))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                && cos >= config.semantic_threshold
            {
                let mut link =
                    make_link(&source.sentences[i], v, vocabulary, config, semantic(i, j));
                // Close in meaning by the vectors, but the pair model reads the two as more
                // likely unrelated than not: no link (a new quote on the same subject is
                // not a version of the sentence it resembles).
                if link.confidence >= 0.5 {
                    link.kind = AlignmentKind::Paraphrase;
                    links.push(link);
                }
                continue;
            }
            lexical.clone_from(&scored);
            for (i, dice) in scored.iter_mut() {
                if let Some(cos) = cosine(*i, j) {
                    *dice = 0.5 * *dice + 0.5 * cos;
                }
            }
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        let Some(&(best, best_dice)) = scored.first() else {
            continue;
        };
        // A link the words alone would not make stands only when the pair model reads
        // the two as more likely related than not: a new quote on the subject of a
        // source sentence is close to it in meaning, and still no version of it.
        let stands = |link: &Link, i: usize, floor: f32| {
            let words = lexical
                .iter()
                .find(|&&(k, _)| k == i)
                .map_or(0.0, |&(_, d)| d);
            vectors.is_none() || words >= floor || link.confidence >= 0.5
        };
        if best_dice < config.link_threshold {
            // A version sentence that fuses two source sentences scores low against each
            // alone; test the pair before giving up.
            if let Some(fused) = fused_pair(&scored, source, v, config) {
                for i in fused {
                    let link =
                        make_link(&source.sentences[i], v, vocabulary, config, semantic(i, j));
                    if stands(&link, i, config.link_threshold) {
                        links.push(link);
                    }
                }
            }
            continue;
        }
        let link = make_link(
            &source.sentences[best],
            v,
            vocabulary,
            config,
            semantic(best, j),
        );
        if !stands(&link, best, config.link_threshold) {
            continue;
        }
        links.push(link);
        if let Some(&(second, second_dice)) = scored.get(1) {
            let containment_best = features::shared_weight(&source.sentences[best], v) / v.total;
            let union = union_containment(&source.sentences[best], &source.sentences[second], v);
            // The second source sentence must bring a real share of the version sentence
            // that the first lacks, not just a shared name.
            if second_dice >= config.link_threshold * 0.6 && union >= containment_best + 0.15 {
                let link = make_link(
                    &source.sentences[second],
                    v,
                    vocabulary,
                    config,
                    semantic(second, j),
                );
                if stands(&link, second, config.link_threshold * 0.6) {
                    links.push(link);
                }
            }
        }
    }
    links.sort_by(|a, b| a.version.cmp(&b.version).then(a.source.cmp(&b.source)));
    let summary = summarize(source, version, &links);
    PairAlignment { links, summary }
}

/// Aligns two documents on their own (for `compare`): prepares them together, then aligns.
pub fn align_documents(
    source: &Document,
    version: &Document,
    config: &CollateConfig,
) -> PairAlignment {
    align_documents_with(source, version, config, None)
}

/// [`align_documents`] with an optional sentence encoder.
pub fn align_documents_with(
    source: &Document,
    version: &Document,
    config: &CollateConfig,
    encoder: Option<&dyn SentenceEncoder>,
) -> PairAlignment {
    let (prepared, vocabulary) = prepare(&[source, version]);
    let vectors = encoder.and_then(|encoder| encode_documents(encoder, &[source, version]));
    let pair_vectors = vectors.as_ref().map(|v| (&v[0], &v[1]));
    align_pair_with(
        &prepared[0],
        &prepared[1],
        &vocabulary,
        config,
        pair_vectors,
    )
}

/// Every ordered pair of a story's versions aligned: what provenance needs to choose the
/// original and the parents.
#[derive(Debug)]
pub struct Collation {
    /// The versions prepared for matching, in story order.
    pub prepared: Vec<PreparedDocument>,
    /// Feature vocabulary of the story.
    pub vocabulary: Vocabulary,
    /// `pairs[source * n + version]` aligns `version` against `source`; the diagonal is
    /// empty.
    pairs: Vec<Option<PairAlignment>>,
    n: usize,
    /// Whether the sentence model read the versions.
    pub sentence_model: bool,
}

impl Collation {
    /// The alignment of `version` against `source` (indices into the story's versions).
    pub fn pair(&self, source: usize, version: usize) -> Option<&PairAlignment> {
        self.pairs
            .get(source * self.n + version)
            .and_then(Option::as_ref)
    }

    /// Number of versions.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the story is empty.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// Aligns every ordered pair of a story's versions, in parallel. Versions with identical
/// sentences are aligned once and the result reused, so a story of many syndicated copies
/// costs little more than its distinct texts.
pub fn collate(documents: &[&Document], config: &CollateConfig) -> Collation {
    collate_with(documents, config, None)
}

/// [`collate`] with an optional sentence encoder (see [`align_pair_with`]).
pub fn collate_with(
    documents: &[&Document],
    config: &CollateConfig,
    encoder: Option<&dyn SentenceEncoder>,
) -> Collation {
    use rayon::prelude::*;
    let (prepared, vocabulary) = prepare(documents);
    let vectors = encoder.and_then(|encoder| encode_documents(encoder, documents));
    let n = documents.len();
    // Identical texts share one representative.
    let mut representative = Vec::with_capacity(n);
    let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
    for (i, doc) in prepared.iter().enumerate() {
        let key: Vec<u64> = doc.sentences.iter().map(|s| s.verbatim_key).collect();
        representative.push(*seen.entry(key).or_insert(i));
    }
    let distinct: Vec<usize> = (0..n).filter(|&i| representative[i] == i).collect();
    let computed: HashMap<(usize, usize), PairAlignment> = distinct
        .par_iter()
        .flat_map_iter(|&a| distinct.iter().map(move |&b| (a, b)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| {
            let pair_vectors = vectors.as_ref().map(|v| (&v[a], &v[b]));
            let alignment = align_pair_with(
                &prepared[a],
                &prepared[b],
                &vocabulary,
                config,
                pair_vectors,
            );
            ((a, b), alignment)
        })
        .collect();
    let mut pairs = vec![None; n * n];
    for source in 0..n {
        for version in 0..n {
            if source == version {
                continue;
            }
            let (a, b) = (representative[source], representative[version]);
            pairs[source * n + version] = Some(if a == b {
                // Two copies of one text: every sentence verbatim to itself.
                self_alignment(&prepared[source], &prepared[version])
            } else {
                computed[&(a, b)].clone()
            });
        }
    }
    Collation {
        prepared,
        vocabulary,
        pairs,
        n,
        sentence_model: vectors.is_some(),
    }
}

/// The alignment of two versions with the same sentences.
fn self_alignment(source: &PreparedDocument, version: &PreparedDocument) -> PairAlignment {
    let links: Vec<Link> = source
        .sentences
        .iter()
        .zip(&version.sentences)
        .map(|(s, v)| Link {
            source: s.sentence,
            version: v.sentence,
            kind: AlignmentKind::Verbatim,
            score: 1.0,
            confidence: 1.0,
            numbers_differ: false,
            names_differ: false,
        })
        .collect();
    let summary = summarize(source, version, &links);
    PairAlignment { links, summary }
}

fn relative(index: usize, len: usize) -> f32 {
    if len <= 1 {
        0.0
    } else {
        index as f32 / (len - 1) as f32
    }
}

/// Two source sentences that together contain most of a version sentence.
fn fused_pair(
    scored: &[(usize, f32)],
    source: &PreparedDocument,
    v: &SentenceFeatures,
    config: &CollateConfig,
) -> Option<[usize; 2]> {
    let top: Vec<usize> = scored.iter().take(4).map(|&(i, _)| i).collect();
    let mut best: Option<([usize; 2], f32)> = None;
    for (x, &a) in top.iter().enumerate() {
        for &b in &top[x + 1..] {
            let union = union_containment(&source.sentences[a], &source.sentences[b], v);
            let each_a = features::shared_weight(&source.sentences[a], v) / v.total;
            let each_b = features::shared_weight(&source.sentences[b], v) / v.total;
            if union >= 0.6 && each_a >= 0.2 && each_b >= 0.2 && union >= config.link_threshold {
                let pair = if a < b { [a, b] } else { [b, a] };
                if best.is_none_or(|(_, u)| union > u) {
                    best = Some((pair, union));
                }
            }
        }
    }
    best.map(|(pair, _)| pair)
}

/// Share of `v`'s content found in `a` or `b`.
fn union_containment(a: &SentenceFeatures, b: &SentenceFeatures, v: &SentenceFeatures) -> f32 {
    let found: f32 = v
        .content
        .iter()
        .filter(|(f, _)| {
            a.content.binary_search_by_key(f, |(g, _)| *g).is_ok()
                || b.content.binary_search_by_key(f, |(g, _)| *g).is_ok()
        })
        .map(|(_, w)| w)
        .sum();
    found / v.total.max(f32::EPSILON)
}

fn make_link(
    s: &SentenceFeatures,
    v: &SentenceFeatures,
    vocabulary: &Vocabulary,
    config: &CollateConfig,
    semantic: Option<Semantic>,
) -> Link {
    let dice = 2.0 * features::shared_weight(s, v) / (s.total + v.total).max(f32::EPSILON);
    let (numbers_a, numbers_b) = features::differing(s, v, vocabulary, FeatureKind::Number);
    let (names_a, names_b) = features::differing(s, v, vocabulary, FeatureKind::Name);
    // A difference is a conflict when each side has something the other lacks: a number
    // only dropped (or only added) is a cut or an addition, not a contradiction.
    let numbers_differ = numbers_a > 0 && numbers_b > 0;
    // Loosely aligned sentences (a summary's fusion, a paraphrase) always mention some
    // names the other lacks; a swapped name is only telling in a close match.
    let names_differ = names_a > 0 && names_b > 0 && dice >= 0.5;
    let kind = if features::word_overlap(s, v) >= config.edited_threshold {
        AlignmentKind::Edited
    } else {
        AlignmentKind::Paraphrase
    };
    // Which sentences are candidates is decided by weighted overlap above (cheap, and
    // order-free); how far a candidate says the same thing is the learned verdict's.
    let verdict = crate::verdict::pair::judge(&s.text, &v.text, semantic.as_ref());
    Link {
        source: s.sentence,
        version: v.sentence,
        kind,
        score: verdict.paraphrase as f32,
        confidence: (1.0 - verdict.unrelated) as f32,
        numbers_differ,
        names_differ,
    }
}

fn summarize(source: &PreparedDocument, version: &PreparedDocument, links: &[Link]) -> PairSummary {
    let best = |links: &[Link], pick: fn(&Link) -> usize, sentence: usize| {
        links
            .iter()
            .filter(|l| pick(l) == sentence)
            .map(|l| (l.score, l.kind, l.confidence))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    let (mut source_aligned, mut source_scored) = (0.0, 0.0);
    for s in &source.sentences {
        if let Some((score, _, _)) = best(links, |l| l.source, s.sentence) {
            source_aligned += s.total;
            source_scored += s.total * score;
        }
    }
    let (mut version_aligned, mut version_scored, mut verbatim, mut lexical) = (0.0, 0.0, 0.0, 0.0);
    let mut version_related = 0.0;
    let mut aligned_sentences = 0;
    for v in &version.sentences {
        if let Some((score, kind, confidence)) = best(links, |l| l.version, v.sentence) {
            aligned_sentences += 1;
            version_aligned += v.total;
            version_scored += v.total * score;
            version_related += v.total * confidence;
            if kind == AlignmentKind::Verbatim {
                verbatim += v.total;
            }
            if kind != AlignmentKind::Paraphrase {
                lexical += v.total;
            }
        }
    }
    let ratio = |part: f32, whole: f32| if whole > 0.0 { part / whole } else { 0.0 };
    let trigrams = |doc: &PreparedDocument| -> Vec<(u32, u32, u32)> {
        doc.sentences
            .iter()
            .flat_map(|s| s.words.windows(3).map(|w| (w[0], w[1], w[2])))
            .collect()
    };
    let source_trigrams: std::collections::HashSet<(u32, u32, u32)> =
        trigrams(source).into_iter().collect();
    let version_trigrams = trigrams(version);
    let shared_trigrams = version_trigrams
        .iter()
        .filter(|t| source_trigrams.contains(t))
        .count();
    PairSummary {
        phrases: ratio(shared_trigrams as f32, version_trigrams.len() as f32),
        similarity: ratio(source_scored + version_scored, source.total + version.total),
        coverage: ratio(source_aligned, source.total),
        novelty: 1.0 - ratio(version_aligned, version.total),
        carried: ratio(version_aligned, version.total),
        explained: ratio(version_related, version.total),
        verbatim: ratio(verbatim, version.total),
        lexical: ratio(lexical, version.total),
        length_ratio: ratio(version.total, source.total),
        aligned_sentences,
        version_sentences: version.sentences.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Sentence, SentenceKind};

    fn doc(id: &str, sentences: &[&str]) -> Document {
        Document {
            id: id.into(),
            source: id.into(),
            title: None,
            published: None,
            url: None,
            author: None,
            text: sentences.join(" "),
            sentences: sentences
                .iter()
                .enumerate()
                .map(|(i, s)| Sentence {
                    text: s.to_string(),
                    block: i,
                    kind: SentenceKind::Body,
                })
                .collect(),
        }
    }

    const SOURCE: &[&str] = &[
        "At least 14 people were killed after a dam burst above the town of Belozar.",
        "About 1,200 residents were evacuated from low-lying parts of the town.",
        "Governor Anton Veresov declared a state of emergency on Thursday.",
        "The dam, completed in 2009, was holding 97% of its capacity.",
    ];

    #[test]
    fn copy_aligns_verbatim() {
        let pair = align_documents(
            &doc("a", SOURCE),
            &doc("b", SOURCE),
            &CollateConfig::default(),
        );
        assert_eq!(pair.links.len(), 4);
        assert!(pair.links.iter().all(|l| l.kind == AlignmentKind::Verbatim));
        assert!((pair.summary.similarity - 1.0).abs() < 1e-6);
        assert!(pair.summary.novelty.abs() < 1e-6);
    }

    #[test]
    fn reordered_and_changed_sentences() {
        let version = [
            "The dam, completed in 2019, was holding 97% of its capacity.",
            "At least 14 people were killed after a dam burst above the town of Belozar.",
            "A new sentence about football transfers and the league table.",
        ];
        let pair = align_documents(
            &doc("a", SOURCE),
            &doc("b", &version),
            &CollateConfig::default(),
        );
        let changed = pair
            .links
            .iter()
            .find(|l| l.version == 0)
            .expect("changed sentence aligned");
        assert_eq!(changed.source, 3);
        assert!(changed.numbers_differ);
        assert_eq!(changed.kind, AlignmentKind::Edited);
        assert!(pair.links.iter().any(|l| l.version == 1 && l.source == 0));
        assert!(!pair.links.iter().any(|l| l.version == 2));
        assert!(pair.summary.novelty > 0.2);
    }

    #[test]
    fn fused_summary_sentence_gets_both_sources() {
        let version = [
            "At least 14 people died and 1,200 residents were evacuated after the Belozar dam burst.",
        ];
        let pair = align_documents(
            &doc("a", SOURCE),
            &doc("b", &version),
            &CollateConfig::default(),
        );
        let sources: Vec<usize> = pair.links.iter().map(|l| l.source).collect();
        assert_eq!(sources, [0, 1]);
    }

    #[test]
    fn paraphrase_with_synonyms() {
        let source = [
            "Senior Pentagon officials have arrived in Ukraine to discuss efforts to end the war with Russia.",
        ];
        let version = [
            "High-ranking officials from the Pentagon have reached Ukraine to discuss measures to conclude the war with Russia.",
        ];
        let pair = align_documents(
            &doc("a", &source),
            &doc("b", &version),
            &CollateConfig::default(),
        );
        assert_eq!(pair.links.len(), 1);
        assert_eq!(pair.links[0].kind, AlignmentKind::Paraphrase);
    }
}
