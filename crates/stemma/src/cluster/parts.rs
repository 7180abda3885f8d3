//! Clustering cut into steps that can run apart — on the executors of a Spark job, in any
//! order and any partitioning — and still give exactly the stories of [`cluster`].
//!
//! [`cluster`] ranks documents by id and runs every step on one machine. Here documents
//! are named by their ids (unique, from the data), every step takes and gives plain values
//! (ids, fingerprint bytes, keys, counts), and whatever a step receives in an order that a
//! distributed engine does not fix (the members of a bucket, the pairs of a component) it
//! sorts by id itself. The steps, for a corpus of `N` documents:
//!
//! 1. **Fingerprints**, per document ([`crate::fingerprint::fingerprint`] with
//!    [`ClusterConfig::fingerprint`]); [`Fingerprint::to_bytes`] carries them across.
//! 2. **Rarity**: [`term_registers`] per part, merged by [`merge_registers`], give the
//!    table size ([`table_slots`]); [`count_terms`] per part, added by [`add_counts`], give
//!    the counts that [`Weights::new`] turns into term weights (a table of at most 64 MiB,
//!    sent to every worker).
//! 3. **Candidates**: [`band_keys`] per document, shuffled by key, each bucket's members
//!    paired by [`bucket_pairs`]; [`Weights::anchors`] per document, shuffled by term, each
//!    term's holders paired by [`anchor_run_pairs`], the pairs counted, kept by
//!    [`enough_anchors`]. The union of the two, each pair once, is the candidate set.
//! 4. **Verification**: [`Weights::score`] per candidate pair; those with
//!    [`Weights::is_edge`] are the edges.
//! 5. **Grouping**: the connected components of the edges; [`Weights::group`] per
//!    component, given its documents and every scored candidate pair inside it; documents
//!    on no edge are stories of their own. [`number_stories`] orders and names them all.
//!
//! A corpus of at most [`ClusterConfig::all_pairs_below`] documents scores every pair
//! instead of finding candidates: run [`cluster`] on it. [`cluster`] itself is built from
//! the same functions, which the tests compare step by step.
//!
//! [`cluster`]: super::cluster

use std::collections::HashMap;

use super::candidates;
use super::rarity::{self, Rarity};
use super::similarity::{Prepared, Scorer};
use super::{ClusterConfig, group_scored};
use crate::fingerprint::Fingerprint;

/// What was wrong with the values handed to a step.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PartsError {
    /// A counts table of the wrong size.
    #[error(
        "a table of {0} term counters: expected a power of two from 65,536 to 16,777,216 \
         (from table_slots)"
    )]
    Slots(usize),
    /// HyperLogLog registers of the wrong size.
    #[error("{0} term registers: expected 4,096 (from term_registers)")]
    Registers(usize),
    /// A document id given twice to one step.
    #[error("document {0:?} given twice")]
    DuplicateId(String),
    /// A pair naming a document the step was not given.
    #[error("a scored pair names document {0:?}, which is not in the component")]
    UnknownId(String),
}

/// HyperLogLog registers of the terms of `fingerprints` (4,096 bytes).
pub fn term_registers(fingerprints: &[Fingerprint]) -> Vec<u8> {
    rarity::term_registers(fingerprints)
}

/// Merges the registers of another part into `into` (by maximum).
pub fn merge_registers(into: &mut [u8], other: &[u8]) -> Result<(), PartsError> {
    for registers in [&*into, other] {
        if registers.len() != rarity::REGISTERS {
            return Err(PartsError::Registers(registers.len()));
        }
    }
    for (x, &y) in into.iter_mut().zip(other) {
        *x = (*x).max(y);
    }
    Ok(())
}

/// The size of the counts table for a corpus of these (merged) registers.
pub fn table_slots(registers: &[u8]) -> Result<usize, PartsError> {
    if registers.len() != rarity::REGISTERS {
        return Err(PartsError::Registers(registers.len()));
    }
    Ok(rarity::slots_for(rarity::estimate_distinct(registers)))
}

/// How many of `fingerprints` hold each term, in a table of `slots` counters.
pub fn count_terms(fingerprints: &[Fingerprint], slots: usize) -> Result<Vec<u32>, PartsError> {
    if !rarity::valid_slots(slots) {
        return Err(PartsError::Slots(slots));
    }
    Ok(rarity::count_terms(fingerprints, slots))
}

/// Adds the counts of another part into `into`.
pub fn add_counts(into: &mut [u32], other: &[u32]) -> Result<(), PartsError> {
    if into.len() != other.len() {
        return Err(PartsError::Slots(other.len()));
    }
    for (x, &y) in into.iter_mut().zip(other) {
        *x = x.saturating_add(y);
    }
    Ok(())
}

/// The band keys of a document in a corpus of `documents` documents, as (band, key): two
/// documents with an equal pair are a bucket's members. None for a document without
/// shingles.
pub fn band_keys(f: &Fingerprint, documents: usize, config: &ClusterConfig) -> Vec<(u32, u64)> {
    let rows = config.rows.max(1);
    // Fingerprints made with `config.fingerprint` all have its signature length, which is
    // what `cluster` reads off its first document.
    let bands = config.bands.min(config.fingerprint.signature_len / rows);
    if f.shingles == 0 || f.signature.len() < bands * rows {
        return Vec::new();
    }
    let mask = !candidates::rank_mask(documents);
    (0..bands)
        .map(|band| (band as u32, candidates::band_key(f, band, rows) & mask))
        .collect()
}

/// The candidate pairs of one bucket (the ids of its members, in any order), each as
/// (smaller id, larger id): every pair of a small bucket, a star around the first id of a
/// large one.
pub fn bucket_pairs<'a>(ids: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    candidates::run_pairs(ids.len())
        .map(|(i, j)| (ids[i], ids[j]))
        .collect()
}

/// Whether a document is long for anchor pairing (see
/// [`ClusterConfig::long_document_terms`]).
pub fn is_long(f: &Fingerprint, config: &ClusterConfig) -> bool {
    f.terms.len() >= config.long_document_terms
}

/// The pairs of the documents holding one anchor term (`(id, long)`, one entry per anchor
/// held, in any order), each as (smaller id, larger id, both long); none when the term
/// anchors fewer than two documents or more than [`ClusterConfig::anchor_max_df`]. A
/// pair's count over all terms is the anchors it shares.
pub fn anchor_run_pairs<'a>(
    holders: &[(&'a str, bool)],
    config: &ClusterConfig,
) -> Vec<(&'a str, &'a str, bool)> {
    if holders.len() < 2 || holders.len() > config.anchor_max_df as usize {
        return Vec::new();
    }
    let mut holders = holders.to_vec();
    holders.sort_unstable();
    let mut pairs = Vec::new();
    for (i, &(a, a_long)) in holders.iter().enumerate() {
        for &(b, b_long) in &holders[i + 1..] {
            if a < b {
                pairs.push((a, b, a_long && b_long));
            }
        }
    }
    pairs
}

/// Whether two documents sharing `shared` anchors are a candidate pair.
pub fn enough_anchors(shared: usize, both_long: bool, config: &ClusterConfig) -> bool {
    candidates::enough_anchors(shared, both_long, config)
}

/// Term weights of a whole corpus, with the settings of its clustering: what scoring,
/// anchors and grouping read.
pub struct Weights {
    rarity: Rarity,
    config: ClusterConfig,
}

impl Weights {
    /// The weights of a corpus of `documents` documents whose terms were counted into
    /// `counts` (summed over its parts).
    pub fn new(
        counts: Vec<u32>,
        documents: usize,
        config: ClusterConfig,
    ) -> Result<Weights, PartsError> {
        if !rarity::valid_slots(counts.len()) {
            return Err(PartsError::Slots(counts.len()));
        }
        Ok(Weights {
            rarity: Rarity::from_counts(counts, documents, &config),
            config,
        })
    }

    /// The settings these weights were made with.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// A document's anchors: the hashes of its most salient terms held by another
    /// document too (a hash may come twice).
    pub fn anchors(&self, f: &Fingerprint) -> Vec<u32> {
        let mut held = Vec::new();
        candidates::weigh_one(f, &self.rarity, self.config.anchors, &mut held);
        held.into_iter().map(|(_, hash)| hash).collect()
    }

    fn prepare<'a>(&self, f: &'a Fingerprint) -> Prepared<'a> {
        let mut held = Vec::new();
        let (weight, numbers) = candidates::weigh_one(f, &self.rarity, 0, &mut held);
        Prepared::new(f, weight, numbers)
    }

    /// The similarity of a candidate pair, `a` the document of the smaller id.
    pub fn score(&self, a: &Fingerprint, b: &Fingerprint) -> f32 {
        let prepared = [self.prepare(a), self.prepare(b)];
        Scorer::default().score(0, 1, &prepared, &self.rarity, &self.config)
    }

    /// Whether a pair of this score is an edge (strong or weak) of grouping.
    pub fn is_edge(&self, score: f32) -> bool {
        score >= self.config.attach_threshold.min(self.config.threshold)
    }

    /// The stories of one connected component of the edges: its `documents` (id and
    /// fingerprint, any order) and every scored candidate pair between two of them
    /// (`(a, b, score)`, `a` the smaller id, any order). Each story's ids are sorted, the
    /// stories ordered by their first id.
    pub fn group(
        &self,
        documents: &[(&str, &Fingerprint)],
        scored: &[(&str, &str, f32)],
    ) -> Result<Vec<Vec<String>>, PartsError> {
        let mut documents = documents.to_vec();
        documents.sort_unstable_by(|x, y| x.0.cmp(y.0));
        let mut rank: HashMap<&str, u32> = HashMap::with_capacity(documents.len());
        for (r, &(id, _)) in documents.iter().enumerate() {
            if rank.insert(id, r as u32).is_some() {
                return Err(PartsError::DuplicateId(id.to_string()));
            }
        }
        let rank_of = |id: &str| {
            rank.get(id)
                .copied()
                .ok_or_else(|| PartsError::UnknownId(id.to_string()))
        };
        let mut pairs: Vec<(u64, f32)> = Vec::with_capacity(scored.len());
        for &(a, b, score) in scored {
            pairs.push((candidates::pack(rank_of(a)?, rank_of(b)?), score));
        }
        pairs.sort_unstable_by_key(|&(pair, _)| pair);
        pairs.dedup_by_key(|&mut (pair, _)| pair);
        let (pairs, scores): (Vec<u64>, Vec<f32>) = pairs.into_iter().unzip();
        let prepared: Vec<Prepared<'_>> = documents.iter().map(|(_, f)| self.prepare(f)).collect();
        let groups = group_scored(&prepared, &self.rarity, &pairs, &scores, &self.config);
        Ok(groups
            .into_iter()
            .map(|ranks| {
                ranks
                    .into_iter()
                    .map(|r| documents[r as usize].0.to_string())
                    .collect()
            })
            .collect())
    }
}

/// Stories from groups of ids (every document in exactly one group, singletons included),
/// as [`cluster`](super::cluster) names them: members sorted by id, stories ordered by
/// their first id and named `s1`, `s2`, ….
pub fn number_stories(groups: Vec<Vec<String>>) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<Vec<String>> = groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect();
    groups.sort_unstable_by(|x, y| x[0].cmp(&y[0]));
    groups
        .into_iter()
        .enumerate()
        .map(|(k, g)| (format!("s{}", k + 1), g))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::cluster;
    use crate::corpus::document_from_text;
    use crate::fingerprint::fingerprint;
    use std::collections::{BTreeMap, BTreeSet};

    /// Runs the steps of the module documentation on one machine, parts of `part` documents.
    fn cluster_in_parts(
        ids: &[&str],
        prints: &[Fingerprint],
        part: usize,
        config: &ClusterConfig,
    ) -> Vec<(String, Vec<String>)> {
        let n = prints.len();
        let mut registers = vec![0u8; 4096];
        for chunk in prints.chunks(part) {
            merge_registers(&mut registers, &term_registers(chunk)).unwrap();
        }
        let slots = table_slots(&registers).unwrap();
        let mut counts = vec![0u32; slots];
        for chunk in prints.chunks(part) {
            add_counts(&mut counts, &count_terms(chunk, slots).unwrap()).unwrap();
        }
        let weights = Weights::new(counts, n, config.clone()).unwrap();
        let by_id: BTreeMap<&str, &Fingerprint> = ids.iter().copied().zip(prints).collect();
        let mut buckets: BTreeMap<(u32, u64), Vec<&str>> = BTreeMap::new();
        let mut holders: BTreeMap<u32, Vec<(&str, bool)>> = BTreeMap::new();
        // Visited backwards: the order of the input must not matter.
        for (&id, f) in ids.iter().zip(prints).rev() {
            for key in band_keys(f, n, config) {
                buckets.entry(key).or_default().push(id);
            }
            for hash in weights.anchors(f) {
                holders
                    .entry(hash)
                    .or_default()
                    .push((id, is_long(f, config)));
            }
        }
        let mut candidates: BTreeSet<(&str, &str)> = BTreeSet::new();
        for members in buckets.values() {
            candidates.extend(bucket_pairs(members));
        }
        let mut shared: BTreeMap<(&str, &str), (usize, bool)> = BTreeMap::new();
        for run in holders.values() {
            for (a, b, long) in anchor_run_pairs(run, config) {
                let entry = shared.entry((a, b)).or_insert((0, long));
                entry.0 += 1;
            }
        }
        candidates.extend(
            shared
                .into_iter()
                .filter(|&(_, (count, long))| enough_anchors(count, long, config))
                .map(|(pair, _)| pair),
        );
        let scored: Vec<(&str, &str, f32)> = candidates
            .iter()
            .map(|&(a, b)| (a, b, weights.score(by_id[a], by_id[b])))
            .collect();
        // Components by union-find over the edges.
        let mut parent: BTreeMap<&str, &str> = ids.iter().map(|&id| (id, id)).collect();
        fn find<'a>(parent: &mut BTreeMap<&'a str, &'a str>, x: &'a str) -> &'a str {
            let mut x = x;
            while parent[x] != x {
                x = parent[x];
            }
            x
        }
        for &(a, b, score) in &scored {
            if weights.is_edge(score) {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent.insert(ra.max(rb), ra.min(rb));
            }
        }
        let mut components: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for &id in ids {
            components
                .entry(find(&mut parent, id))
                .or_default()
                .push(id);
        }
        let mut groups = Vec::new();
        for members in components.values() {
            let set: BTreeSet<&str> = members.iter().copied().collect();
            let documents: Vec<(&str, &Fingerprint)> =
                members.iter().map(|&id| (id, by_id[id])).collect();
            let inside: Vec<(&str, &str, f32)> = scored
                .iter()
                .filter(|(a, b, _)| set.contains(a) && set.contains(b))
                .copied()
                .collect();
            groups.extend(weights.group(&documents, &inside).unwrap());
        }
        number_stories(groups)
    }

    #[test]
    fn the_steps_give_the_stories_of_cluster() {
        // Enough documents to find candidates (more than `all_pairs_below`): families of
        // copies and rewrites among unrelated reports.
        let subjects = [
            "Belozar dam burst killing 14 people in Korvask province",
            "Cairn Energy Rajasthan oilfield larger than thought, shares up 6%",
            "Veresov re-elected governor of Korvask with 61% of the vote",
            "Lozavka bridge closed after barge strike, 3 injured",
            "Dubrets council approves 12 million budget for flood defences",
        ];
        let mut texts: Vec<(String, String)> = Vec::new();
        for k in 0..230 {
            let subject = subjects[k % subjects.len()];
            let text = if k % 3 == 0 {
                format!(
                    "{subject}. Officials said on Thursday that the report number {k} was filed."
                )
            } else {
                format!(
                    "Report {k}: item {} of the register, number {} in the series, filed by desk {}.",
                    k * 7919 % 1000,
                    k * 104_729 % 997,
                    k % 17
                )
            };
            texts.push((format!("d{:03}", (k * 37) % 230), text));
        }
        let documents: Vec<_> = texts
            .iter()
            .map(|(id, text)| document_from_text(id, id, text).unwrap())
            .collect();
        let config = ClusterConfig::default();
        let prints: Vec<Fingerprint> = documents
            .iter()
            .map(|d| fingerprint(d, &config.fingerprint))
            .collect();
        let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
        let expected: Vec<(String, Vec<String>)> = cluster(&prints, &ids, &config)
            .into_iter()
            .map(|s| {
                (
                    s.id,
                    s.documents.iter().map(|&d| ids[d].to_string()).collect(),
                )
            })
            .collect();
        assert!(expected.iter().any(|(_, members)| members.len() > 2));
        for part in [1, 7, 64, 1000] {
            assert_eq!(
                cluster_in_parts(&ids, &prints, part, &config),
                expected,
                "parts of {part}"
            );
        }
    }

    #[test]
    fn fingerprints_survive_bytes() {
        let document = document_from_text("a", "a", "A dam burst above Belozar in 2024.").unwrap();
        let print = fingerprint(&document, &ClusterConfig::default().fingerprint);
        let bytes = print.to_bytes();
        assert_eq!(Fingerprint::from_bytes(&bytes), Some(print));
        assert_eq!(Fingerprint::from_bytes(&bytes[..bytes.len() - 1]), None);
        assert_eq!(Fingerprint::from_bytes(b""), None);
    }

    #[test]
    fn bad_tables_are_refused() {
        assert_eq!(count_terms(&[], 1000), Err(PartsError::Slots(1000)));
        assert!(Weights::new(vec![0; 3], 1, ClusterConfig::default()).is_err());
        assert_eq!(table_slots(&[0; 3]), Err(PartsError::Registers(3)));
    }

    #[test]
    fn stories_are_numbered_by_first_id() {
        let groups = vec![vec!["c".into(), "a".into()], vec!["b".into()]];
        assert_eq!(
            number_stories(groups),
            [
                ("s1".to_string(), vec!["a".to_string(), "c".to_string()]),
                ("s2".to_string(), vec!["b".to_string()]),
            ]
        );
    }
}
