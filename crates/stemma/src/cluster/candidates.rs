//! Candidate pairs, in time near-linear in the number of documents: two channels, each a
//! sort over (key, document) entries.
//!
//! - **Bands** (MinHash LSH): the signature cut into `bands` bands of `rows` values; two
//!   documents that agree on a whole band are candidates. With 42 × 3 a pair of shingle
//!   Jaccard 0.5 meets with probability 0.996, 0.3 with 0.68, 0.1 with 0.04.
//! - **Anchors**: each document's `anchors` most salient terms (by weight: rare, a name or
//!   number, repeated) that at least one other document holds; two documents sharing
//!   `min_shared_anchors` anchors (one more when both are long, `long_document_terms`),
//!   each held by at most `anchor_max_df` documents, are candidates. Rewording keeps a
//!   story's names, numbers and rare words, and a summary names what its source is
//!   about, so this finds what shingles cannot. (The rarest
//!   terms alone were tried first: in a small corpus they are the accidents two documents
//!   happen to share, not what a story is about.)
//!
//! Documents are numbered by rank (their position in id order), so the pairs, and all that
//! follows from them, do not depend on the order of the input. A bucket holding many
//! documents (a boilerplate page crawled a thousand times) gives a star of pairs around its
//! first member, not every pair.

use rayon::prelude::*;

use super::ClusterConfig;
use super::rarity::Rarity;
use super::similarity::Prepared;
use crate::fingerprint::{Fingerprint, TermKind, mix64, term_hash};
use crate::spread_sort;

/// An anchor of a document: (term hash, rank).
pub(crate) type Posting = (u32, u32);

/// Buckets larger than this contribute a star, not all their pairs.
const FULL_BUCKET: usize = 12;

/// The fewest documents in a block of anchor pairing (see [`anchor_pairs`]); small under
/// test, so that the tests' few documents span several blocks.
const MIN_BLOCK: usize = if cfg!(test) { 8 } else { 1024 };

/// A pair of ranks, the smaller first, packed for sorting.
pub(crate) fn pack(a: u32, b: u32) -> u64 {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    (u64::from(low) << 32) | u64::from(high)
}

pub(crate) fn unpack(pair: u64) -> (u32, u32) {
    ((pair >> 32) as u32, pair as u32)
}

/// The ranks of `by_rank` in the order their signatures lie in memory.
///
/// Ranks follow document ids, which have nothing to do with where each fingerprint was
/// allocated: a pass over the documents by rank that reads their fingerprints misses the
/// cache at every document. Passes whose results do not depend on the order (they are
/// sorted or placed by rank after) go in memory order instead, which the processor
/// prefetches: computing the band keys took a third of the time.
pub(crate) fn memory_order(by_rank: &[&Fingerprint]) -> Vec<u32> {
    let mut in_memory: Vec<(usize, u32)> = by_rank
        .iter()
        .enumerate()
        .map(|(rank, f)| (f.signature.as_ptr() as usize, rank as u32))
        .collect();
    in_memory.sort_unstable();
    in_memory.into_iter().map(|(_, rank)| rank).collect()
}

/// Where each row starts in a list grouped by row (compressed rows): row `r` is
/// `starts[r]..starts[r + 1]`, given the row of every entry (each below `rows`).
pub(crate) fn row_starts(rows: usize, entries: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut starts = vec![0u32; rows + 1];
    for row in entries {
        starts[row as usize + 1] += 1;
    }
    for r in 0..rows {
        starts[r + 1] += starts[r];
    }
    starts
}

/// Candidate pairs of ranks, sorted and distinct. `by_rank[r]` is the fingerprint of rank
/// `r`; `in_memory` their [`memory_order`].
pub(crate) fn candidates(
    by_rank: &[&Fingerprint],
    in_memory: &[u32],
    anchors: Vec<Posting>,
    config: &ClusterConfig,
) -> Vec<u64> {
    if by_rank.len() <= config.all_pairs_below {
        // So few documents that scoring every pair costs less than finding candidates.
        let n = by_rank.len() as u32;
        return (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| pack(a, b)))
            .collect();
    }
    let mut pairs = band_pairs(by_rank, in_memory, config);
    pairs.extend(anchor_pairs(by_rank, anchors, config));
    // Sorted in place: the pairs of a million documents, repeats included, take a few
    // hundred megabytes, which a counting sort would need twice.
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

fn band_pairs(by_rank: &[&Fingerprint], in_memory: &[u32], config: &ClusterConfig) -> Vec<u64> {
    let Some(first) = by_rank.first() else {
        return Vec::new();
    };
    let rows = config.rows.max(1);
    let bands = config.bands.min(first.signature.len() / rows);
    // Each entry is the band key's high bits with the rank in the low bits: one u64 sorts
    // twice as fast as a (key, rank) pair. Keys keep at least 40 bits, so two different
    // keys in one band of a million documents agree by chance about once in 20 bands,
    // which costs one candidate pair scored for nothing.
    let rank_mask = rank_mask(by_rank.len());
    // Keys are computed for a few bands at a time in one pass over the documents: a pass
    // per band would fetch every signature from memory once per band, and that, not the
    // hashing, was the cost. A few bands, not all, so the key columns of a million
    // documents stay small.
    const BANDS_PER_PASS: usize = 7;
    let mut pairs = Vec::new();
    let mut columns: Vec<Vec<u64>> = Vec::new();
    for first_band in (0..bands).step_by(BANDS_PER_PASS) {
        let pass = BANDS_PER_PASS.min(bands - first_band);
        let keyed: Vec<Option<[u64; BANDS_PER_PASS]>> = in_memory
            .par_iter()
            .map(|&rank| {
                let f = by_rank[rank as usize];
                if f.shingles == 0 || f.signature.len() < bands * rows {
                    return None;
                }
                let mut keys = [0u64; BANDS_PER_PASS];
                for (k, slot) in keys.iter_mut().enumerate().take(pass) {
                    *slot = (band_key(f, first_band + k, rows) & !rank_mask) | rank as u64;
                }
                Some(keys)
            })
            .collect();
        columns.clear();
        columns.extend((0..pass).map(|k| {
            keyed
                .iter()
                .flatten()
                .map(|keys| keys[k])
                .collect::<Vec<u64>>()
        }));
        drop(keyed);
        // Each column sorted and its runs paired on its own thread.
        let emitted: Vec<Vec<u64>> = columns
            .par_iter_mut()
            .map(|column| {
                *column = spread_sort::sort(std::mem::take(column), u64::BITS);
                let mut found = Vec::new();
                emit_runs(column, rank_mask, &mut found);
                found
            })
            .collect();
        for found in emitted {
            pairs.extend(found);
        }
    }
    pairs
}

/// The LSH key of band `band` of a signature of `rows` values a band.
pub(crate) fn band_key(f: &Fingerprint, band: usize, rows: usize) -> u64 {
    let values = &f.signature[band * rows..(band + 1) * rows];
    let mut key = (band as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &v in values {
        key = mix64(key.rotate_left(16) ^ u64::from(v));
    }
    key
}

/// The mask of the rank bits of band key entries in a corpus of `documents` documents:
/// the key is what is left (see [`band_pairs`]).
pub(crate) fn rank_mask(documents: usize) -> u64 {
    let rank_bits = (usize::BITS - documents.leading_zeros()).max(1);
    (1u64 << rank_bits) - 1
}

/// The pairs of one run of equal band keys, as positions in the run ordered by rank:
/// every pair of a small run, a star around the first member of a large one.
pub(crate) fn run_pairs(run: usize) -> impl Iterator<Item = (usize, usize)> {
    let all = run <= FULL_BUCKET;
    (0..run).flat_map(move |i| {
        let later = if all || i == 0 { i + 1..run } else { run..run };
        later.map(move |j| (i, j))
    })
}

/// Pairs inside each run of equal keys: all of them in a small run, a star around the
/// first member in a large one.
fn emit_runs(keys: &[u64], rank_mask: u64, pairs: &mut Vec<u64>) {
    let rank = |entry: u64| (entry & rank_mask) as u32;
    let mut start = 0;
    while start < keys.len() {
        let key = keys[start] & !rank_mask;
        let mut end = start + 1;
        while end < keys.len() && keys[end] & !rank_mask == key {
            end += 1;
        }
        let run = &keys[start..end];
        pairs.extend(run_pairs(run.len()).map(|(i, j)| pack(rank(run[i]), rank(run[j]))));
        start = end;
    }
}

/// Each document's figures for scoring (its weight, the sum of its terms' weights, see
/// [`Rarity::weight_of_frequency`], and how many numbers it holds) and its anchors, as
/// (term hash, rank) in rank order: its `anchors` most salient terms (by weight: rarity,
/// kind, repetition) among those another document also holds. One pass over the terms
/// does all three, so each term's frequency is looked up once.
pub(crate) fn weigh<'a>(
    by_rank: &[&'a Fingerprint],
    in_memory: &[u32],
    rarity: &Rarity,
    config: &ClusterConfig,
) -> (Vec<Prepared<'a>>, Vec<Posting>) {
    const CHUNK: usize = 1024;
    let k = config.anchors;
    // Documents are visited in memory order: per chunk, each document's (rank, weight,
    // numbers), placed by rank after, and its anchors, which `anchor_pairs` sorts.
    type Figures = (u32, f32, u32);
    let parts: Vec<(Vec<Figures>, Vec<Posting>)> = in_memory
        .par_chunks(CHUNK)
        .map(|ranks| {
            let mut figures = Vec::with_capacity(ranks.len());
            let mut anchors = Vec::with_capacity(ranks.len() * k);
            let mut held: Vec<(f32, u32)> = Vec::new();
            for &rank in ranks {
                let (weight, numbers) = weigh_one(by_rank[rank as usize], rarity, k, &mut held);
                figures.push((rank, weight, numbers));
                anchors.extend(held.iter().map(|&(_, hash)| (hash, rank)));
            }
            (figures, anchors)
        })
        .collect();
    let mut weights = vec![0.0f32; by_rank.len()];
    let mut numbers = vec![0u32; by_rank.len()];
    for &(rank, weight, count) in parts.iter().flat_map(|(figures, _)| figures) {
        weights[rank as usize] = weight;
        numbers[rank as usize] = count;
    }
    let prepared = by_rank
        .iter()
        .zip(weights.into_iter().zip(numbers))
        .map(|(&fingerprint, (weight, numbers))| Prepared::new(fingerprint, weight, numbers))
        .collect();
    // Sized once: the anchors of a million documents take 160 MB, and a growing vector
    // would copy them over and over.
    let mut anchors = Vec::with_capacity(parts.iter().map(|(_, a)| a.len()).sum());
    for (_, part) in parts {
        anchors.extend(part);
    }
    (prepared, anchors)
}

/// One document's weight (the sum of its terms' weights) and the numbers it holds; `held`
/// is left holding its anchors as (weight, term hash): its `k` most salient terms among
/// those another document also holds.
pub(crate) fn weigh_one(
    f: &Fingerprint,
    rarity: &Rarity,
    k: usize,
    held: &mut Vec<(f32, u32)>,
) -> (f32, u32) {
    // The best `k` are selected in linear time (keeping the best so far in order cost an
    // insertion for most of a document's terms, which come in hash order).
    let best_first = |x: &(f32, u32), y: &(f32, u32)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
    let mut weight = 0.0f32;
    let mut numbers = 0u32;
    held.clear();
    for &t in f.terms.iter() {
        let df = rarity.document_frequency(t);
        let w = rarity.weight_of_frequency(t, df);
        weight += w;
        numbers += u32::from(TermKind::of(t) == TermKind::Number);
        if df >= 2 && k > 0 {
            held.push((w, term_hash(t)));
        }
    }
    if held.len() > k {
        held.select_nth_unstable_by(k, best_first);
        held.truncate(k);
    }
    (weight, numbers)
}

/// Whether two documents that share `shared` anchors (each held by 2 to `anchor_max_df`
/// documents) are a candidate pair, `both_long` when both hold `long_document_terms`.
pub(crate) fn enough_anchors(shared: usize, both_long: bool, config: &ClusterConfig) -> bool {
    let need = config.min_shared_anchors.max(1);
    shared > need || (shared == need && !both_long)
}

/// Pairs of documents sharing enough anchors (`postings` from [`weigh`]).
fn anchor_pairs(
    by_rank: &[&Fingerprint],
    mut postings: Vec<Posting>,
    config: &ClusterConfig,
) -> Vec<u64> {
    // No anchors (`anchors` 0) means no postings, and no pairs. Sorted in place, as the
    // pairs are (see `candidates`).
    postings.par_sort_unstable();
    // The runs of one term whose documents are paired: a term that anchors many documents
    // names a subject, not a story, and pairing them all would be quadratic. Copies of a
    // very large story still meet through the bands, and its rewrites through their rarer
    // anchors.
    let mut runs: Vec<(u32, u32)> = Vec::new();
    let mut start = 0;
    while start < postings.len() {
        let mut end = start + 1;
        while end < postings.len() && postings[end].0 == postings[start].0 {
            end += 1;
        }
        if end - start >= 2 && end - start <= config.anchor_max_df as usize {
            runs.push((start as u32, end as u32));
        }
        start = end;
    }
    // Each document's runs, by rank (compressed rows: `first[r]..first[r + 1]`).
    let first = row_starts(
        by_rank.len(),
        runs.iter()
            .flat_map(|&(start, end)| &postings[start as usize..end as usize])
            .map(|&(_, rank)| rank),
    );
    let mut filled = first.clone();
    let mut runs_of = vec![0u32; first[by_rank.len()] as usize];
    for (k, &(start, end)) in runs.iter().enumerate() {
        for &(_, rank) in &postings[start as usize..end as usize] {
            runs_of[filled[rank as usize] as usize] = k as u32;
            filled[rank as usize] += 1;
        }
    }
    // Each document against the later documents of its runs: those met in at least
    // `min_shared_anchors` runs are its pairs. They are counted in a table of one counter
    // per document, of which only the counters touched are read and reset (a sort of each
    // document's meetings took half as long again). One table per block of documents,
    // since every block makes and zeroes its own: a few dozen blocks, whatever the size.
    let need = config.min_shared_anchors.max(1);
    let n = by_rank.len();
    let block = n.div_ceil(64).max(MIN_BLOCK);
    // Looked up for many of the documents met, which are anywhere in memory: a table by
    // rank, not the fingerprints.
    let long: Vec<bool> = by_rank
        .iter()
        .map(|f| f.terms.len() >= config.long_document_terms)
        .collect();
    (0..n.div_ceil(block))
        .into_par_iter()
        .flat_map_iter(|b| {
            let mut counts = vec![0u8; n];
            let mut met: Vec<u32> = Vec::new();
            let mut pairs = Vec::new();
            for a in (b * block..n.min((b + 1) * block)).map(|a| a as u32) {
                for &k in &runs_of[first[a as usize] as usize..first[a as usize + 1] as usize] {
                    let (start, end) = runs[k as usize];
                    let run = &postings[start as usize..end as usize];
                    // Ranks ascend within a run.
                    let later = run.partition_point(|&(_, rank)| rank <= a);
                    for &(_, rank) in &run[later..] {
                        let count = &mut counts[rank as usize];
                        if *count == 0 {
                            met.push(rank);
                        }
                        *count = count.saturating_add(1);
                    }
                }
                let a_long = long[a as usize];
                for &m in &met {
                    // Most documents met share one anchor: decided before asking whether
                    // both are long.
                    let shared = usize::from(std::mem::take(&mut counts[m as usize]));
                    if shared >= need && enough_anchors(shared, a_long && long[m as usize], config)
                    {
                        pairs.push(pack(a, m));
                    }
                }
                met.clear();
            }
            pairs
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::document_from_text;
    use crate::fingerprint::{FingerprintConfig, fingerprint};
    use std::collections::{HashMap, HashSet};

    /// Documents drawn from a small vocabulary of names, numbers and words, so that many
    /// share anchors, some terms anchor more documents than `anchor_max_df`, and pairs
    /// share one, two or more anchors.
    fn fingerprints() -> Vec<Fingerprint> {
        let syllables = [
            "bel", "kor", "vas", "lo", "dub", "zar", "pet", "tar", "mis", "or",
        ];
        // A hundred rare names, and six words every other document uses.
        let rare: Vec<String> = (0..100)
            .map(|k| {
                let name = format!("{}{}", syllables[k / 10], syllables[k % 10]);
                let mut chars = name.chars();
                chars
                    .next()
                    .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
            })
            .collect();
        let common = [
            "flood",
            "governor",
            "residents",
            "rescue",
            "bridge",
            "council",
        ];
        let mut state = 7u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize % n
        };
        (0..40)
            .map(|d| {
                let mut picked: Vec<&str> = (0..3).map(|_| common[next(common.len())]).collect();
                picked.extend((0..8).map(|_| rare[next(rare.len())].as_str()));
                let text = format!("Reports said {}.", picked.join(" and "));
                let document = document_from_text(&format!("d{d}"), "t", &text).expect("text");
                fingerprint(&document, &FingerprintConfig::default())
            })
            .collect()
    }

    #[test]
    fn a_document_weighs_the_sum_of_its_terms() {
        let prints = fingerprints();
        let by_rank: Vec<&Fingerprint> = prints.iter().collect();
        let config = ClusterConfig::default();
        let rarity = Rarity::count(&prints, &config);
        let (prepared, anchors) = weigh(&by_rank, &memory_order(&by_rank), &rarity, &config);
        for (f, p) in by_rank.iter().zip(&prepared) {
            let sum: f32 = f.terms.iter().map(|&t| rarity.weight(t)).sum();
            assert_eq!(p.weight, sum);
            let numbers = f
                .terms
                .iter()
                .filter(|&&t| TermKind::of(t) == TermKind::Number);
            assert_eq!(p.numbers as usize, numbers.count());
        }
        // At most `anchors` per document.
        let mut per_rank = vec![0usize; prints.len()];
        for &(_, rank) in &anchors {
            per_rank[rank as usize] += 1;
        }
        assert!(per_rank.iter().all(|&n| n <= config.anchors) && !anchors.is_empty());
        // The order the documents are visited in changes nothing but the anchors' order.
        let backwards: Vec<u32> = (0..prints.len() as u32).rev().collect();
        let (again, mut other_anchors) = weigh(&by_rank, &backwards, &rarity, &config);
        let figures = |p: &[Prepared]| -> Vec<(f32, u32)> {
            p.iter().map(|p| (p.weight, p.numbers)).collect()
        };
        assert_eq!(figures(&again), figures(&prepared));
        let mut anchors = anchors;
        anchors.sort_unstable();
        other_anchors.sort_unstable();
        assert_eq!(other_anchors, anchors);
    }

    #[test]
    fn anchor_pairs_are_the_pairs_sharing_enough_small_anchors() {
        let prints = fingerprints();
        let by_rank: Vec<&Fingerprint> = prints.iter().collect();
        let config = ClusterConfig {
            anchors: 6,
            anchor_max_df: 4,
            min_shared_anchors: 2,
            // Some of the documents count as long, some not.
            long_document_terms: 10,
            ..ClusterConfig::default()
        };
        let rarity = Rarity::count(&prints, &config);
        // Each document's anchors by the module's rule, then every pair by brute force.
        let anchors: Vec<HashSet<u32>> = by_rank
            .iter()
            .map(|f| {
                let mut chosen: Vec<(f32, u32)> = f
                    .terms
                    .iter()
                    .filter(|&&t| rarity.document_frequency(t) >= 2)
                    .map(|&t| (rarity.weight(t), term_hash(t)))
                    .collect();
                chosen.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
                chosen.truncate(config.anchors);
                chosen.into_iter().map(|(_, hash)| hash).collect()
            })
            .collect();
        let mut holders: HashMap<u32, usize> = HashMap::new();
        for set in &anchors {
            for &hash in set {
                *holders.entry(hash).or_default() += 1;
            }
        }
        let mut expected = Vec::new();
        for a in 0..anchors.len() {
            for b in a + 1..anchors.len() {
                let shared = anchors[a]
                    .intersection(&anchors[b])
                    .filter(|hash| holders[*hash] <= config.anchor_max_df as usize)
                    .count();
                let both_long = by_rank[a].terms.len().min(by_rank[b].terms.len())
                    >= config.long_document_terms;
                if shared >= config.min_shared_anchors + usize::from(both_long) {
                    expected.push(pack(a as u32, b as u32));
                }
            }
        }
        let in_memory = memory_order(&by_rank);
        let got = anchor_pairs(
            &by_rank,
            weigh(&by_rank, &in_memory, &rarity, &config).1,
            &config,
        );
        assert!(!expected.is_empty() && expected.len() < 40 * 39 / 2);
        assert!(holders.values().any(|&n| n > config.anchor_max_df as usize));
        let long = |f: &&Fingerprint| f.terms.len() >= config.long_document_terms;
        assert!(by_rank.iter().any(long) && !by_rank.iter().all(long));
        assert_eq!(got, expected);
    }
}
