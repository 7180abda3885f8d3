//! Clustering: the stories of a corpus, from the fingerprints of its documents.
//!
//! A story is every version of one news event: copies, edits, rewrites, summaries,
//! expansions and independent accounts, but not a second event of the same kind. Finding
//! them takes three steps, each near-linear in the number of documents:
//!
//! 1. **Candidates** (`candidates`): MinHash LSH bands over word shingles for copies and
//!    edits, and shared *anchors* — each document's most salient terms — for rewrites,
//!    summaries and padded versions, which share few shingles but keep the names, numbers
//!    and rare words of their source.
//! 2. **Verification** (`similarity`): each candidate pair is scored by the larger of a
//!    near-duplicate score (shingle Jaccard and containment) and a content score (shared
//!    terms weighted by rarity, names and numbers counted extra, evidence-weighted
//!    containment blended with Dice, scaled down when the publication dates are far
//!    apart, or when both name years, or four numbers or more, but none in common).
//! 3. **Grouping** (`group`): pairs that clear [`ClusterConfig::threshold`] are edges,
//!    taken strongest first; an edge merges two groups only when the average similarity
//!    across them clears [`ClusterConfig::group_threshold`], a share
//!    ([`ClusterConfig::cohesion_ratio`]) of the groups' own inner similarity and that
//!    similarity less a margin ([`ClusterConfig::cohesion_margin`]), and the merged group
//!    stays as alike inside as a story is ([`ClusterConfig::story_cohesion`]), so one
//!    bridging pair cannot chain two stories together, nor a shared subject two events,
//!    nor a running subject grow one loose member at a time. Pairs a little below the
//!    threshold ([`ClusterConfig::attach_threshold`]) are weak edges: they may bring a
//!    document into a story whose versions it is about equally like, but never found one.
//!
//! The same steps, cut apart for a driver that runs them on many machines (the Spark job of
//! the Python module), are [`parts`].
//!
//! Everything is computed on documents ranked by id, so the stories do not depend on the
//! order of the input or on the number of threads: stories come ordered by their first
//! document id, members by id, and are numbered `s1`, `s2`, … in that order.
//!
//! ```
//! use stemma::cluster::{cluster_documents, ClusterConfig};
//! use stemma::corpus::document_from_text;
//! let texts = [
//!     ("a", "A dam burst above Belozar on Thursday, killing 14 people, officials in Korvask said."),
//!     ("b", "A dam burst above Belozar on Thursday, killing 14 people, officials in Korvask said."),
//!     ("c", "Cairn Energy shares rose 6% after the firm said its Rajasthan oilfield was larger."),
//! ];
//! let documents: Vec<_> = texts.iter().map(|(id, text)| document_from_text(id, id, text).unwrap()).collect();
//! let stories = cluster_documents(&documents, &ClusterConfig::default());
//! assert_eq!(stories.len(), 2);
//! assert_eq!(stories[0].documents, [0, 1]);
//! assert_eq!(stories[1].id, "s2");
//! ```

mod candidates;
mod group;
pub mod parts;
mod rarity;
mod similarity;

use std::cell::RefCell;

use rayon::prelude::*;

pub use similarity::FEATURES as STORY_FEATURES;

use crate::fingerprint::{self, Fingerprint, FingerprintConfig};
use crate::model::Document;
use crate::verdict::story::StoryScore;

/// A story: the documents that report one news event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// `s1`, `s2`, … in the order of the stories' first document ids.
    pub id: String,
    /// Indices into the input, ordered by document id.
    pub documents: Vec<usize>,
}

/// Thresholds and sizes of clustering, with defaults tuned on the development sets
/// (ECB+, FRANK, BBC duplicates, the demo corpus) and the planted-version benchmark.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterConfig {
    /// How fingerprints are made (used by [`cluster_documents`]).
    pub fingerprint: FingerprintConfig,
    /// LSH bands. Default 42 (126 of the 128 signature values).
    pub bands: usize,
    /// Signature values per band. Default 3: a pair of shingle Jaccard 0.5 is a candidate
    /// with probability 0.996, 0.3 with 0.68 (a copy padded to twice its length, an edit
    /// of every seventh word), 0.1 with 0.04. Four rows halve the spurious candidates of
    /// unrelated news but lose a quarter of such padded copies (measured on the benchmark
    /// corpus: 94% against 99.8% of planted versions found by the bands alone).
    pub rows: usize,
    /// Corpora of at most this many documents score every pair instead of generating
    /// candidates. Default 200 (20,000 pairs, a few milliseconds).
    pub all_pairs_below: usize,
    /// Most salient terms (by weight) per document used as anchors. Default 20: an
    /// opinion piece or a feature on an event shares few of its 12 most salient terms with
    /// a report of it. ECB+, mean over three term hashings: B³ F1 0.925 (12), 0.927 (16),
    /// 0.929 (20), recall 0.917 → 0.926 at 20 anchors, with every pair scored 0.930; FRANK
    /// 0.980 → 0.982. More anchors do not mean more pairs: more documents hold each anchor,
    /// so more anchors are held by more than `anchor_max_df` and pair none (see there).
    pub anchors: usize,
    /// Documents anchored on a common term are paired when at most this many are; a term
    /// anchoring more names a subject, not a story. Default 80, for 20 anchors (64 served
    /// 12): more anchors per document put more documents on each term, and with 20 and 64
    /// a wrapped copy of a short article on the 20,000-document benchmark, which shares
    /// too few shingles with it for the bands (Jaccard 0.35), lost its only candidate
    /// pair. Candidate pairs there: 120,000 with 12 anchors and 64, 107,000 with 20 and
    /// 64, 139,000 with 20 and 80.
    pub anchor_max_df: u32,
    /// Anchors two documents must share to be candidates. Default 2.
    pub min_shared_anchors: usize,
    /// Two documents that both hold at least this many terms must share one anchor more
    /// than `min_shared_anchors`. Default 100 (about a 250-word article): a summary or a
    /// short rewrite keeps few of its source's rare terms, but two long versions of one
    /// story share many, and two long articles on one subject (the same company, the same
    /// court case) share two anchors by the subject alone. On the 20,000-document benchmark
    /// it halves the pairs to score (230,000 → 120,000) and loses no planted version; ECB+
    /// B³ F1 0.920 → 0.918, FRANK and the BBC duplicates unchanged.
    pub long_document_terms: usize,
    /// Documents of other news assumed beside the corpus, none holding any of its terms,
    /// when rarity is measured. Default 50. Without them, a corpus that is one story (the
    /// five versions a fact-checker compares) would find every shared name as common as
    /// "the", and the versions unlike one another; in a corpus of thousands they change
    /// nothing.
    pub background_documents: f32,
    /// Weight of a name or number relative to a word of the same rarity. Default 3: names,
    /// places and figures tell two events of the same kind apart, where the words of the
    /// kind ("quake", "magnitude", "rehab") are shared by both. (4 and 5 separate ECB+'s
    /// events a little better but join more follow-ups of one company or case.)
    pub name_boost: f32,
    /// How much repetition adds to a term's weight: `1 + count_weight · ln(occurrences)`.
    /// Default 0.5: the subject of a story is named again and again, a passing detail
    /// once.
    pub count_weight: f32,
    /// Prior weight added to the smaller document's in the content score, so a short text
    /// must share several rare terms to count as contained. Default 24 (about three rare
    /// names, or six rare words).
    pub evidence: f32,
    /// Share of Dice in the content score (the rest is containment), as a geometric
    /// blend. Default 0.5: containment alone lets a long report "contain" a shorter one
    /// of another event of the same kind.
    pub dice_share: f32,
    /// Publication dates further apart than this many days scale the content score by
    /// `date_penalty`. Default 7.
    pub date_window_days: i32,
    /// Two documents that both hold at least this many distinct numbers (figures, dates,
    /// years, scores) but none in common have their content score scaled by
    /// `number_penalty`. Default 4. A story's figures travel with it into every version —
    /// a rewrite rewords, a summary drops, but what both keep is the toll, the sum, the
    /// date — while two events of one kind have figures of their own. On ECB+, of the
    /// pairs within a topic that each hold four numbers, 2.8% of the same-event pairs share
    /// none, against 36% of the pairs of two events.
    pub number_evidence: u32,
    /// See `number_evidence`. Default 0.6, as `year_penalty`. ECB+, three term hashings:
    /// B³ precision 0.933 → 0.947, recall 0.950 → 0.943, F1 0.941 → 0.945 (mean), the two
    /// Qeshm earthquakes of topic 20 apart but for one report; BBC pairs of different
    /// articles in one story 3,700 → 3,200; FRANK, the planted benchmark and the demo
    /// unchanged. At 3 numbers recall falls further (F1 0.943), at 5 the rule fires too
    /// rarely (0.939).
    pub number_penalty: f32,
    /// See `date_window_days`. Default 0.5.
    pub date_penalty: f32,
    /// Scales the content score of two documents that both name years (see
    /// [`Fingerprint::years`]) but no year in common. Default 0.6 (on ECB+, 81% of the
    /// pairs of one topic that do so report different events; a background year in one
    /// version costs a true pair little, since both usually name the year of the event).
    pub year_penalty: f32,
    /// A pair of documents this similar is an edge: it may join their groups. Default 0.25.
    pub threshold: f32,
    /// A pair of documents at least this similar but below `threshold` is a weak edge: it
    /// may bring a document (or a group) into a story of two or more, when the average
    /// similarity across clears `attach_group_threshold` and `attach_cohesion_ratio` of the
    /// story's own, but never joins two lone documents. Default 0.2: an opinion piece or a
    /// long feature on an event is a little less like each report of it than the reports
    /// are alike, but about equally like all of them (ECB+, mean over three term hashings:
    /// B³ recall 0.905 → 0.922, precision 0.935 → 0.933, F1 0.919 → 0.927 when it came;
    /// with the 2026-11-22 grouping rules and the shipped hashing, recall 0.926 → 0.941, F1 0.936 →
    /// 0.943, the same from 0.19 to 0.21). A weak edge between two lone documents is as
    /// often two follow-ups of one running subject: letting it found a story joined some
    /// 50 more BBC stories of different articles.
    pub attach_threshold: f32,
    /// The least average similarity across two groups joined by a weak edge (see
    /// `attach_threshold`). Default 0.17: with `group_threshold` (0.15) instead, weak edges
    /// join more BBC pairs of different articles (3,263 → 3,376 with the 2026-11-22 grouping rules)
    /// for the same F1 on ECB+.
    pub attach_group_threshold: f32,
    /// Across a weak edge, the average similarity must also reach this share of the larger
    /// of the two groups' inner similarities. Default 0.6: a family of near-copies is alike
    /// inside, so a stray document weakly like one copy is weakly like all of them, and
    /// the average alone let Markov filler of the benchmark corpus join 9 planted families
    /// (none with 0.6; ECB+ F1 is the same from 0.55 to 0.6, 0.922–0.924 at 0.5, 0.65,
    /// 0.7).
    pub attach_cohesion_ratio: f32,
    /// Two groups joined by an edge merge when the average similarity over all pairs
    /// across them is at least this. Default 0.15: a version whose best match in a story
    /// clears `threshold` may be less like the story's other versions (a summary is not
    /// like an expansion), but a second story of the same kind is far less alike.
    pub group_threshold: f32,
    /// Two groups merge only when their average similarity is also at least this share of
    /// the smaller of their own average inner similarities (see `cohesion_prior_pairs`).
    /// Default 0.66: two groups of accounts of two same-kind events are each more alike
    /// inside than across. It is the rule for loose groups; `cohesion_margin` is the one
    /// for tight families of copies. ECB+, mean over three term hashings: B³ F1 0.928 at
    /// 0.7, 0.941 from 0.64 to 0.68 (with the margin), 0.917 at 0.6 (precision falls to
    /// 0.88); the gain is recall, two halves of one event (a star's court-ordered rehab,
    /// reported in two waves) no longer kept apart.
    pub cohesion_ratio: f32,
    /// Two groups merge only when their average similarity is also at most this much below
    /// the smaller of their own average inner similarities. Default 0.18. Scores are not
    /// proportional across kinds of version: copies of one article score about 0.8 with one
    /// another, independent accounts of one event 0.4, so a ratio that lets two halves of
    /// an event join (0.27 across, 0.39 inside) also lets two families of copies of two
    /// articles on one subject join (0.52 across, 0.78 inside: two rounds of one tennis
    /// tournament). On the 20,000-document benchmark, stories joining two planted bases:
    /// 5 with the ratio 0.66 alone, 1 with 0.7 alone, none with the margin from 0.15 to 0.21
    /// under any of three term hashings, 2 at 0.24; ECB+ F1 is the same from 0.15 to 0.24
    /// and loses 0.005–0.01 at 0.12.
    pub cohesion_margin: f32,
    /// The least inner similarity of a story of several documents (the mean over its pairs,
    /// with the prior of `cohesion_prior_pairs`): two groups do not merge when the merged
    /// group would be less alike than this. Default 0.22. Average linkage alone lets a
    /// group grow loose one member at a time: each newcomer need only be as like the group
    /// as the group is like itself, and a running subject (70 BBC articles of one election
    /// campaign, each a different announcement) sank to 0.18 inside while every check
    /// passed. The versions of one event are more alike: ECB+, FRANK, the planted
    /// benchmark and the demo are the same from 0 to 0.22 under three term hashings, while
    /// BBC pairs of different articles in one story fall from 6,030 to 3,772 and the most
    /// articles in one story from 65 to 25; at 0.24, ECB+ recall starts to fall.
    pub story_cohesion: f32,
    /// How many pairs of similarity `threshold` are added to a group's own pairs when its
    /// cohesion is measured, so a small group formed of the strongest edges does not ask
    /// too much of the next member. Default 3.
    pub cohesion_prior_pairs: f32,
    /// The learned same-story score ([`StoryScore`]) that verifies pairs in place of the
    /// hand-set content score, when set (the near-duplicate score stays). Default `None`,
    /// the hand-set score: the learned one joins one-sentence briefs better (B³ F1 0.907
    /// against 0.866) and fewer follow-ups of one running subject (BBC pairs of different
    /// articles in one story 2,770 against 3,263), but is a little worse on ECB+ (0.935
    /// against 0.943) and joins filler to planted stories on the 200,000-document
    /// benchmark (187 wrong pairs against 14; see BENCHMARKS.md).
    /// [`ClusterConfig::learned`] sets the shipped model.
    pub learned: Option<StoryScore>,
}

impl ClusterConfig {
    /// The defaults: the hand-set score.
    pub fn hand_set() -> ClusterConfig {
        ClusterConfig::with_learned(None)
    }

    /// The defaults with the shipped learned score (the hand-set one when the shipped
    /// model is untrained).
    pub fn learned() -> ClusterConfig {
        ClusterConfig::with_learned(StoryScore::shipped().cloned())
    }

    /// The defaults with `learned` verifying pairs.
    pub fn with_learned(learned: Option<StoryScore>) -> ClusterConfig {
        ClusterConfig {
            fingerprint: FingerprintConfig::default(),
            bands: 42,
            rows: 3,
            all_pairs_below: 200,
            anchors: 20,
            anchor_max_df: 80,
            min_shared_anchors: 2,
            long_document_terms: 100,
            background_documents: 50.0,
            name_boost: 3.0,
            count_weight: 0.5,
            evidence: 24.0,
            dice_share: 0.5,
            date_window_days: 7,
            date_penalty: 0.5,
            year_penalty: 0.6,
            number_evidence: 4,
            number_penalty: 0.6,
            threshold: 0.25,
            attach_threshold: 0.2,
            attach_group_threshold: 0.17,
            attach_cohesion_ratio: 0.6,
            group_threshold: 0.15,
            cohesion_ratio: 0.66,
            cohesion_margin: 0.18,
            story_cohesion: 0.22,
            cohesion_prior_pairs: 3.0,
            learned,
        }
    }
}

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig::hand_set()
    }
}

/// Fingerprints documents (in parallel) and clusters them.
pub fn cluster_documents(documents: &[Document], config: &ClusterConfig) -> Vec<Story> {
    let fingerprints = fingerprint_all(documents, config);
    let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    cluster(&fingerprints, &ids, config)
}

/// Every document's fingerprint, in parallel.
fn fingerprint_all(documents: &[Document], config: &ClusterConfig) -> Vec<Fingerprint> {
    documents
        .par_iter()
        .map(|d| fingerprint::fingerprint(d, &config.fingerprint))
        .collect()
}

/// What verifying pairs reads: term rarity, each document's scoring figures, and the
/// candidate pairs (sorted by their first rank).
struct Verification<'a> {
    rarity: rarity::Rarity,
    prepared: Vec<similarity::Prepared<'a>>,
    pairs: Vec<u64>,
}

impl<'a> Verification<'a> {
    /// Ranks `fingerprints` by `order` (the [`rank_order`] of their ids), weighs them and
    /// finds their candidate pairs.
    fn new(fingerprints: &'a [Fingerprint], order: &[usize], config: &ClusterConfig) -> Self {
        let by_rank: Vec<&Fingerprint> = order.iter().map(|&i| &fingerprints[i]).collect();
        let rarity = rarity::Rarity::count(fingerprints, config);
        let in_memory = candidates::memory_order(&by_rank);
        let (prepared, anchors) = candidates::weigh(&by_rank, &in_memory, &rarity, config);
        let pairs = candidates::candidates(&by_rank, &in_memory, anchors, config);
        Verification {
            rarity,
            prepared,
            pairs,
        }
    }
}

/// Groups documents into stories. `ids[i]` is the id of the document of `fingerprints[i]`;
/// every input lands in exactly one story.
///
/// # Panics
///
/// When `ids` and `fingerprints` differ in length.
pub fn cluster(fingerprints: &[Fingerprint], ids: &[&str], config: &ClusterConfig) -> Vec<Story> {
    assert_eq!(
        fingerprints.len(),
        ids.len(),
        "one id per fingerprint is required"
    );
    let order = rank_order(ids);
    let groups = group_ranks(fingerprints, &order, config);
    groups
        .into_iter()
        .enumerate()
        .map(|(k, ranks)| Story {
            id: format!("s{}", k + 1),
            documents: ranks.into_iter().map(|r| order[r as usize]).collect(),
        })
        .collect()
}

/// Every candidate pair of a corpus, as two input indices (the smaller id first), with the
/// features the story model reads (named by [`STORY_FEATURES`]). For training that model
/// on the pairs clustering verifies.
pub fn candidate_features(
    documents: &[Document],
    config: &ClusterConfig,
) -> Vec<(usize, usize, Vec<f32>)> {
    let fingerprints = fingerprint_all(documents, config);
    let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    let order = rank_order(&ids);
    let Verification {
        prepared,
        rarity,
        pairs,
    } = Verification::new(&fingerprints, &order, config);
    pairs
        .par_iter()
        .map_init(similarity::Scorer::default, |scorer, &pair| {
            let (a, b) = candidates::unpack(pair);
            let parts = scorer.parts(a, b, &prepared, &rarity, config);
            (
                order[a as usize],
                order[b as usize],
                parts.features(config.evidence).to_vec(),
            )
        })
        .collect()
}

/// Input indices in id order (input order between equal ids).
fn rank_order(ids: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.par_sort_by(|&a, &b| ids[a].cmp(ids[b]).then(a.cmp(&b)));
    order
}

/// The groups, as sorted lists of ranks, in order of their smallest rank. `order` is the
/// [`rank_order`] of the documents' ids.
fn group_ranks(
    fingerprints: &[Fingerprint],
    order: &[usize],
    config: &ClusterConfig,
) -> Vec<Vec<u32>> {
    let Verification {
        rarity,
        prepared,
        pairs,
    } = Verification::new(fingerprints, order, config);
    // Pairs come sorted by their first document, so each worker scores runs of pairs of
    // one document and tables that document's terms once per run.
    let scores: Vec<f32> = pairs
        .par_iter()
        .map_init(similarity::Scorer::default, |scorer, &pair| {
            let (a, b) = candidates::unpack(pair);
            scorer.score(a, b, &prepared, &rarity, config)
        })
        .collect();
    group_scored(&prepared, &rarity, &pairs, &scores, config)
}

/// The groups of the documents of ranks `0..prepared.len()`, given their candidate `pairs`
/// (packed, sorted, distinct) and the `scores` of those pairs.
fn group_scored(
    prepared: &[similarity::Prepared<'_>],
    rarity: &rarity::Rarity,
    pairs: &[u64],
    scores: &[f32],
    config: &ClusterConfig,
) -> Vec<Vec<u32>> {
    let mut edges: Vec<(f32, u32, u32)> = pairs
        .iter()
        .zip(scores)
        .filter(|(_, s)| **s >= config.attach_threshold.min(config.threshold))
        .map(|(&pair, &s)| {
            let (a, b) = candidates::unpack(pair);
            (s, a, b)
        })
        .collect();
    edges.par_sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    // Pairs already scored are looked up rather than scored again, among the pairs of the
    // smaller rank (`pairs[first[a]..first[a + 1]]`, a handful) rather than among all.
    let first = candidates::row_starts(
        prepared.len(),
        pairs.iter().map(|&pair| candidates::unpack(pair).0),
    );
    // The others are scored when grouping asks, mostly a few members of one group against
    // each of another's: the first document's terms stay tabled while the second changes
    // (a score is the same whichever side is tabled).
    let scorer = RefCell::new(similarity::Scorer::default());
    let known = |x: u32, y: u32| -> f32 {
        let (a, b) = if x < y { (x, y) } else { (y, x) };
        let (start, end) = (first[a as usize] as usize, first[a as usize + 1] as usize);
        match pairs[start..end].binary_search(&candidates::pack(a, b)) {
            Ok(at) => scores[start + at],
            Err(_) => scorer.borrow_mut().score(x, y, prepared, rarity, config),
        }
    };
    let rules = group::Rules {
        strong_edge: config.threshold,
        threshold: config.group_threshold.min(config.threshold),
        weak_threshold: config.attach_group_threshold,
        cohesion_ratio: config.cohesion_ratio,
        cohesion_margin: config.cohesion_margin,
        weak_cohesion_ratio: config.attach_cohesion_ratio,
        prior: (config.threshold, config.cohesion_prior_pairs),
        story_cohesion: config.story_cohesion,
    };
    group::group(prepared.len(), &edges, &rules, &known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::document_from_text;

    fn documents(texts: &[(&str, &str)]) -> Vec<Document> {
        texts
            .iter()
            .map(|(id, text)| document_from_text(id, id, text).expect("document"))
            .collect()
    }

    const DAM: &str = "At least 14 people were killed when a dam burst above the town of \
        Belozar on Thursday, officials said. About 1,200 residents were evacuated from \
        Belozar and the villages of Lozavka and Dubrets. Governor Anton Veresov called it \
        the worst disaster in the history of Korvask.";
    const DAM_REWORDED: &str = "Fourteen people at least died after the Belozar dam gave \
        way on Thursday, according to officials. Some 1,200 people were moved out of \
        Belozar, Lozavka and Dubrets. Korvask governor Anton Veresov said no disaster in \
        the region had been worse.";
    const OIL: &str = "Shares in Cairn Energy jumped 6% after the firm said its Rajasthan \
        oilfield in India was larger than previously thought, and would produce oil for \
        more than 25 years.";

    #[test]
    fn rewrites_join_and_strangers_stay_apart() {
        let docs = documents(&[("b-rewrite", DAM_REWORDED), ("a-wire", DAM), ("c-oil", OIL)]);
        let stories = cluster_documents(&docs, &ClusterConfig::default());
        // Ordered by document id: the story of "a-wire" first, members by id.
        assert_eq!(stories.len(), 2);
        assert_eq!(stories[0].id, "s1");
        assert_eq!(stories[0].documents, [1, 0]);
        assert_eq!(stories[1].documents, [2]);
    }

    #[test]
    fn input_order_does_not_matter() {
        let texts = [("x", DAM), ("y", DAM_REWORDED), ("z", OIL), ("w", DAM)];
        let docs = documents(&texts);
        let ids = |docs: &[Document], stories: &[Story]| -> Vec<Vec<String>> {
            stories
                .iter()
                .map(|s| s.documents.iter().map(|&d| docs[d].id.clone()).collect())
                .collect()
        };
        let forward = cluster_documents(&docs, &ClusterConfig::default());
        let reversed_docs: Vec<Document> = docs.iter().rev().cloned().collect();
        let backward = cluster_documents(&reversed_docs, &ClusterConfig::default());
        assert_eq!(ids(&docs, &forward), ids(&reversed_docs, &backward));
    }

    #[test]
    fn empty_input() {
        assert!(cluster(&[], &[], &ClusterConfig::default()).is_empty());
    }
}
