//! Clustering: the stories of a corpus, from the fingerprints of its documents.
//!
//! A story is every version of one news event: copies, edits, rewrites, summaries,
//! expansions and independent accounts, but not a second event of the same kind. Finding
//! them takes three steps, each near-linear in the number of documents:
//!
//! 1. **Candidates** (`candidates`): MinHash LSH bands over word shingles for copies and
//!    edits, and shared *anchors* — each document's rarest terms — for rewrites,
//!    summaries and padded versions, which share few shingles but keep the names, numbers
//!    and rare words of their source.
//! 2. **Verification** (`similarity`): each candidate pair is scored by the larger of a
//!    near-duplicate score (shingle Jaccard and containment) and a content score (shared
//!    terms weighted by rarity, names and numbers counted extra, evidence-weighted
//!    containment blended with Dice, scaled down when the publication dates are far
//!    apart).
//! 3. **Grouping** (`group`): pairs that clear [`ClusterConfig::threshold`] are edges,
//!    taken strongest first; an edge merges two groups only when the average similarity
//!    across them clears [`ClusterConfig::group_threshold`], so one bridging pair cannot
//!    chain two stories together.
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
mod rarity;
mod similarity;

use rayon::prelude::*;

use crate::fingerprint::{self, Fingerprint, FingerprintConfig};
use crate::model::Document;

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
    /// LSH bands. Default 32.
    pub bands: usize,
    /// Signature values per band. Default 4: with 32 bands a pair of shingle Jaccard 0.5 is
    /// a candidate with probability 0.87, one of 0.1 with 0.003, so a million documents of
    /// unrelated news produce few spurious candidates.
    pub rows: usize,
    /// Corpora of at most this many documents score every pair instead of generating
    /// candidates. Default 200 (20,000 pairs, a few milliseconds).
    pub all_pairs_below: usize,
    /// Most salient terms (by weight) per document used as anchors. Default 8.
    pub anchors: usize,
    /// Documents anchored on a term held by at most this many are all paired; past it,
    /// each is paired with its next few in id order only. Default 64.
    pub anchor_max_df: u32,
    /// Anchors two documents must share to be candidates. Default 2.
    pub min_shared_anchors: usize,
    /// Weight of a name or number relative to a word of the same rarity. Default 2: names,
    /// places and figures tell two events of the same kind apart.
    pub name_boost: f32,
    /// How much repetition adds to a term's weight: `1 + count_weight · ln(occurrences)`.
    /// Default 0.5: the subject of a story is named again and again, a passing detail
    /// once.
    pub count_weight: f32,
    /// Prior weight added to the smaller document's in the content score, so a short text
    /// must share several rare terms to count as contained. Default 12 (about three rare
    /// names).
    pub evidence: f32,
    /// Share of Dice in the content score (the rest is containment), as a geometric
    /// blend. Default 0.3.
    pub dice_share: f32,
    /// Publication dates further apart than this many days scale the content score by
    /// `date_penalty`. Default 7.
    pub date_window_days: i32,
    /// See `date_window_days`. Default 0.5.
    pub date_penalty: f32,
    /// A pair of documents this similar is an edge: it may join their groups. Default 0.3.
    pub threshold: f32,
    /// Two groups joined by an edge merge when the average similarity over all pairs
    /// across them is at least this. Default 0.2: a version whose best match in a story
    /// clears `threshold` may be less like the story's other versions (a summary is not
    /// like an expansion), but a second story of the same kind is far less alike.
    pub group_threshold: f32,
    /// Two groups merge only when their average similarity is also at least this share of
    /// the smaller of their own average inner similarities. Default 0.5: two families of
    /// copies of two articles on one subject (inner similarity near 1) need more than a
    /// shared subject to merge, while loose groups of independent accounts (inner
    /// similarity near 0.3) merge on `group_threshold` alone.
    pub cohesion_ratio: f32,
}

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig {
            fingerprint: FingerprintConfig::default(),
            bands: 32,
            rows: 4,
            all_pairs_below: 200,
            anchors: 8,
            anchor_max_df: 64,
            min_shared_anchors: 2,
            name_boost: 2.0,
            count_weight: 0.5,
            evidence: 12.0,
            dice_share: 0.3,
            date_window_days: 7,
            date_penalty: 0.5,
            threshold: 0.3,
            group_threshold: 0.2,
            cohesion_ratio: 0.5,
        }
    }
}

/// Fingerprints documents (in parallel) and clusters them.
pub fn cluster_documents(documents: &[Document], config: &ClusterConfig) -> Vec<Story> {
    let fingerprints: Vec<Fingerprint> = documents
        .par_iter()
        .map(|d| fingerprint::fingerprint(d, &config.fingerprint))
        .collect();
    let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    cluster(&fingerprints, &ids, config)
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
    let groups = group_ranks(fingerprints, ids, config);
    let order = rank_order(ids);
    groups
        .into_iter()
        .enumerate()
        .map(|(k, ranks)| Story {
            id: format!("s{}", k + 1),
            documents: ranks.into_iter().map(|r| order[r as usize]).collect(),
        })
        .collect()
}

/// Input indices in id order (input order between equal ids).
fn rank_order(ids: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.par_sort_by(|&a, &b| ids[a].cmp(ids[b]).then(a.cmp(&b)));
    order
}

/// The groups, as sorted lists of ranks, in order of their smallest rank.
fn group_ranks(fingerprints: &[Fingerprint], ids: &[&str], config: &ClusterConfig) -> Vec<Vec<u32>> {
    let order = rank_order(ids);
    let by_rank: Vec<&Fingerprint> = order.iter().map(|&i| &fingerprints[i]).collect();
    let rarity = rarity::Rarity::count(fingerprints);
    let prepared: Vec<similarity::Prepared<'_>> = by_rank
        .par_iter()
        .map(|f| similarity::prepare(f, &rarity, config))
        .collect();
    let score = |a: u32, b: u32| -> f32 {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        similarity::similarity(&prepared[a as usize], &prepared[b as usize], &rarity, config)
            .score()
    };
    let pairs = candidates::candidates(&by_rank, &rarity, config);
    let scores: Vec<f32> = pairs
        .par_iter()
        .map(|&pair| {
            let (a, b) = candidates::unpack(pair);
            score(a, b)
        })
        .collect();
    let mut edges: Vec<(f32, u32, u32)> = pairs
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s >= config.threshold)
        .map(|(&pair, &s)| {
            let (a, b) = candidates::unpack(pair);
            (s, a, b)
        })
        .collect();
    edges.par_sort_unstable_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(x.1.cmp(&y.1))
            .then(x.2.cmp(&y.2))
    });
    // Pairs already scored are looked up rather than scored again.
    let known = |a: u32, b: u32| -> f32 {
        match pairs.binary_search(&candidates::pack(a, b)) {
            Ok(at) => scores[at],
            Err(_) => score(a, b),
        }
    };
    group::group(
        by_rank.len(),
        &edges,
        config.group_threshold.min(config.threshold),
        config.cohesion_ratio,
        &known,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus;
    use crate::ingest::{IngestConfig, Input};

    /// Prints the similarity parts of every pair of the demo corpus (with
    /// `STEMMA_CLUSTER_DEBUG=1`), to see why a version joins or not.
    #[test]
    fn explain_demo() {
        if std::env::var_os("STEMMA_CLUSTER_DEBUG").is_none() {
            return;
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let extra = std::env::var("STEMMA_CLUSTER_DEBUG").unwrap_or_default();
        let mut inputs = vec![Input::Path(dir.join("story")), Input::Path(dir.join("other"))];
        if extra.len() > 1 {
            inputs = vec![Input::Path(extra.into())];
        }
        let documents = corpus::load(&inputs, &IngestConfig::default()).documents;
        let config = ClusterConfig::default();
        let fingerprints: Vec<Fingerprint> = documents
            .iter()
            .map(|d| fingerprint::fingerprint(d, &config.fingerprint))
            .collect();
        let rarity = rarity::Rarity::count(&fingerprints);
        let prepared: Vec<_> = fingerprints
            .iter()
            .map(|f| similarity::prepare(f, &rarity, &config))
            .collect();
        for a in 0..documents.len() {
            for b in a + 1..documents.len() {
                let parts = similarity::similarity(&prepared[a], &prepared[b], &rarity, &config);
                println!(
                    "{:>18} {:>18}  J {:.2} dup {:.2} content {:.2}  (weights {:.0} {:.0}, terms {} {})",
                    documents[a].id,
                    documents[b].id,
                    parts.jaccard,
                    parts.near_duplicate,
                    parts.content,
                    prepared[a].weight,
                    prepared[b].weight,
                    fingerprints[a].terms.len(),
                    fingerprints[b].terms.len()
                );
            }
        }
    }

    /// For every ECB+ document (with `STEMMA_CLUSTER_DEBUG_ECB=path/to/dev.jsonl`), the best
    /// similarity to a document of its own gold story and to one of another story.
    #[test]
    fn explain_ecbplus() {
        let Some(path) = std::env::var_os("STEMMA_CLUSTER_DEBUG_ECB") else {
            return;
        };
        let text = std::fs::read_to_string(path).expect("readable");
        let mut documents = Vec::new();
        let mut labels = Vec::new();
        for line in text.lines() {
            let record: serde_json::Value = serde_json::from_str(line).expect("json");
            if let Some(body) = record["body"].as_str() {
                // BBC: every article its own story, duplicates one story.
                let id = record["id"].as_str().unwrap_or_default();
                let text = format!("{}\n\n{body}", record["title"].as_str().unwrap_or_default());
                if let Ok(d) = corpus::document_from_text(id, id, &text) {
                    documents.push(d);
                    let label = match record["exact_dup_group"].as_i64() {
                        Some(g) => format!("dup{g}_x"),
                        None => format!("{}_x", id.replace('_', "-")),
                    };
                    labels.push(label);
                }
                continue;
            }
            let id = record["doc_id"].as_str().unwrap_or_default();
            if let Ok(d) = corpus::document_from_text(id, id, record["text"].as_str().unwrap_or_default()) {
                documents.push(d);
                labels.push(record["cluster"].as_str().unwrap_or_default().to_string());
            }
        }
        let config = ClusterConfig::default();
        let fingerprints: Vec<Fingerprint> = documents
            .iter()
            .map(|d| fingerprint::fingerprint(d, &config.fingerprint))
            .collect();
        let rarity = rarity::Rarity::count(&fingerprints);
        let prepared: Vec<_> = fingerprints
            .iter()
            .map(|f| similarity::prepare(f, &rarity, &config))
            .collect();
        let mut same = Vec::new();
        let mut topic = Vec::new();
        let mut other = Vec::new();
        for a in 0..documents.len() {
            for b in a + 1..documents.len() {
                let s = similarity::similarity(&prepared[a], &prepared[b], &rarity, &config).score();
                let ta = labels[a].split('_').next();
                let tb = labels[b].split('_').next();
                if labels[a] == labels[b] {
                    same.push(s);
                } else if ta == tb {
                    topic.push(s);
                } else {
                    other.push(s);
                }
            }
        }
        // The strongest pairs across the two stories of a topic, and the weakest inside one.
        let mut cross: Vec<(f32, usize, usize)> = Vec::new();
        let mut inside: Vec<(f32, usize, usize)> = Vec::new();
        for a in 0..documents.len() {
            for b in a + 1..documents.len() {
                let s = similarity::similarity(&prepared[a], &prepared[b], &rarity, &config).score();
                if labels[a] == labels[b] {
                    inside.push((s, a, b));
                } else if labels[a].split('_').next() == labels[b].split('_').next() {
                    cross.push((s, a, b));
                }
            }
        }
        cross.sort_by(|x, y| y.0.total_cmp(&x.0));
        inside.sort_by(|x, y| x.0.total_cmp(&y.0));
        let words = |d: usize| {
            let mut names = std::collections::HashMap::new();
            crate::fingerprint::debug_terms(&documents[d], &mut names);
            names
        };
        let show = |list: &[(f32, usize, usize)]| list.len().min(8);
        let (cross_n, inside_n) = (show(&cross), show(&inside));
        for (title, list) in [("CROSS", &cross[..cross_n]), ("INSIDE", &inside[..inside_n])] {
            for &(s, a, b) in list {
                let (wa, wb) = (words(a), words(b));
                let mut shared: Vec<(f32, String)> = fingerprints[a]
                    .terms
                    .iter()
                    .filter(|&&t| fingerprints[b].terms.iter().any(|&u| crate::fingerprint::term_hash(u) == crate::fingerprint::term_hash(t)))
                    .map(|&t| (rarity.weight(t, &config), wa.get(&crate::fingerprint::term_hash(t)).cloned().unwrap_or_default()))
                    .collect();
                shared.sort_by(|x, y| y.0.total_cmp(&x.0));
                let _ = &wb;
                println!(
                    "{title} {s:.3} {} {} | {} || {}\n   shared: {}",
                    labels[a], labels[b],
                    documents[a].text.chars().take(120).collect::<String>().replace('\n', " "),
                    documents[b].text.chars().take(120).collect::<String>().replace('\n', " "),
                    shared.iter().take(25).map(|(w, t)| format!("{t}:{w:.1}")).collect::<Vec<_>>().join(" ")
                );
            }
        }
        for (name, mut scores) in [("same story", same), ("same topic", topic), ("other", other)] {
            if scores.is_empty() {
                continue;
            }
            scores.sort_by(f32::total_cmp);
            let q = |p: f32| scores[((scores.len() - 1) as f32 * p) as usize];
            let above = |t: f32| scores.iter().filter(|&&s| s >= t).count();
            println!("{name:>10}: pairs at or above 0.2: {}, 0.3: {}, 0.4: {}, 0.5: {}", above(0.2), above(0.3), above(0.4), above(0.5));
            println!(
                "{name:>10}: {} pairs, quantiles 10% {:.3} 25% {:.3} 50% {:.3} 75% {:.3} 90% {:.3} 99% {:.3} 99.9% {:.3}",
                scores.len(), q(0.1), q(0.25), q(0.5), q(0.75), q(0.9), q(0.99), q(0.999)
            );
        }
    }
}
