//! How rare each term is in the corpus: document frequencies counted into a fixed table
//! of counters indexed by the term hash.
//!
//! An exact table would need a hash map of every distinct term (millions on a crawl); the
//! counters cost 4 bytes a slot, eight slots per distinct term of the corpus (estimated
//! beforehand) and at most 64 MiB, and a collision only makes a term look a little more
//! common than it is (the rare term usually shares its slot with another rare one). Up to
//! some two million distinct terms the counts are close to exact; a crawl with more fills
//! the 64 MiB cap. Counting is parallel, each thread adding every document's terms of its
//! own range of counters, so the table is the same whatever the thread count.

use rayon::prelude::*;

use super::ClusterConfig;
use crate::fingerprint::{self, Fingerprint, TermKind, term_count, term_hash};

/// Document frequencies of the terms of a set of fingerprints, and the term weights that
/// follow from them.
pub(crate) struct Rarity {
    counts: Vec<u32>,
    /// A term's counter is the top bits of its hash: a document's terms are sorted by hash,
    /// so looking them up walks the table in one direction, which the processor prefetches
    /// (indexed by the low bits, every lookup of a large table was a cache miss, and
    /// clustering looks every term up four times).
    shift: u32,
    /// Inverse document frequency by document frequency, for the frequencies that occur
    /// in practice; computed once, since a logarithm per shared term per pair would be a
    /// good part of the clustering time.
    idf_by_df: Vec<f32>,
    documents: f32,
    /// The weight of a term seen in two documents: the most any term weighs. A term found
    /// once is a misspelling or a detail nobody else reported as often as it is a clue.
    max_idf: f32,
    /// `1 + count_weight · ln(count)` by count (0..=15).
    count_factor: [f32; 16],
    /// Multiplier by kind (word, name, number).
    kind_factor: [f32; 3],
}

/// Bits of a term hash ([`term_hash`]).
const HASH_BITS: u32 = fingerprint::TERM_HASH_BITS;

/// The fewest counters (256 KiB): below it a small corpus gains nothing from a smaller
/// table but collisions.
const MIN_SLOTS: usize = 1 << 16;

/// The most counters (64 MiB).
const MAX_SLOTS: usize = 1 << 24;

// A counter is found by the top bits of a hash: there cannot be more counters than hashes.
const _: () = assert!(MAX_SLOTS <= 1 << HASH_BITS);

/// Frequencies below this have their inverse document frequency in a table.
const IDF_TABLE: usize = 1 << 14;

impl Rarity {
    /// Counts the terms of every fingerprint.
    pub(crate) fn count(fingerprints: &[Fingerprint], config: &ClusterConfig) -> Rarity {
        let slots = slots_for(estimate_distinct(&term_registers(fingerprints)));
        Rarity::from_counts(count_terms(fingerprints, slots), fingerprints.len(), config)
    }

    /// The rarity of terms counted by [`count_terms`] (summed over the parts of a corpus of
    /// `documents` documents). `counts.len()` must be a power of two from [`MIN_SLOTS`] to
    /// [`MAX_SLOTS`] (see [`valid_slots`]).
    pub(crate) fn from_counts(
        counts: Vec<u32>,
        documents: usize,
        config: &ClusterConfig,
    ) -> Rarity {
        let shift = HASH_BITS - counts.len().trailing_zeros();
        let documents = documents as f32 + config.background_documents.max(0.0);
        let max_idf = idf(documents, 2);
        let mut count_factor = [1.0f32; 16];
        for (count, factor) in count_factor.iter_mut().enumerate() {
            *factor = 1.0 + config.count_weight * (count.max(1) as f32).ln();
        }
        Rarity {
            counts,
            shift,
            idf_by_df: (0..IDF_TABLE as u32)
                .map(|df| idf(documents, df).min(max_idf))
                .collect(),
            documents,
            max_idf,
            count_factor,
            kind_factor: [1.0, config.name_boost, config.name_boost],
        }
    }

    /// How many documents hold the term (at least; see the module note on collisions).
    pub(crate) fn document_frequency(&self, term: u32) -> u32 {
        self.counts[(term_hash(term) >> self.shift) as usize]
    }

    /// Inverse document frequency, capped at that of a term seen twice.
    pub(crate) fn idf(&self, term: u32) -> f32 {
        self.idf_of_frequency(self.document_frequency(term))
    }

    /// The inverse document frequency of a term held by `df` documents (looking a
    /// frequency up is a cache miss in a large table: callers that need it twice pass it).
    fn idf_of_frequency(&self, df: u32) -> f32 {
        match self.idf_by_df.get(df as usize) {
            Some(&idf) => idf,
            None => idf(self.documents, df).min(self.max_idf),
        }
    }

    /// The weight of a term in a document (the tests' shorthand for
    /// [`Rarity::weight_of_frequency`]).
    #[cfg(test)]
    pub(crate) fn weight(&self, term: u32) -> f32 {
        self.weight_of_frequency(term, self.document_frequency(term))
    }

    /// The weight of a term held by `df` documents: rarity, times `name_boost` for names
    /// and numbers, times `1 + count_weight · ln(occurrences)`. Callers look the frequency
    /// up themselves, once for every use they have of it.
    pub(crate) fn weight_of_frequency(&self, term: u32, df: u32) -> f32 {
        self.weight_as(
            self.idf_of_frequency(df),
            TermKind::of(term),
            term_count(term),
        )
    }

    /// The weight of a term of this rarity, kind and count.
    pub(crate) fn weight_as(&self, idf: f32, kind: TermKind, count: u32) -> f32 {
        idf * self.kind_factor[kind as usize] * self.count_factor[count.min(15) as usize]
    }
}

/// Counters for a corpus of about `distinct` distinct terms (see [`estimate_distinct`]).
pub(crate) fn slots_for(distinct: usize) -> usize {
    // Eight slots per distinct term: a term shares its slot with another one time in
    // nine to seventeen (ECB+: 9,105 distinct terms in 131,072 slots). Fewer slots put
    // more rare terms in a shared slot and made the stories depend on the hash (a
    // quarter of a slot per term, then the rule, put 43% of ECB+'s terms in a shared
    // slot, and a term hash one bit shorter moved ECB+'s B³ F1 from 0.928 to 0.916).
    // More slots make every lookup a cache miss: the table is read four times per term
    // of every document, and a table of 64 MiB for a corpus of 26,000 distinct terms
    // (the 20,000-document benchmark, when slots followed the count of all terms) cost
    // more than counting. The cap is reached from about two million distinct terms on.
    distinct
        .saturating_mul(8)
        .next_power_of_two()
        .clamp(MIN_SLOTS, MAX_SLOTS)
}

/// Whether `slots` counters make a table [`Rarity::from_counts`] reads.
pub(crate) fn valid_slots(slots: usize) -> bool {
    slots.is_power_of_two() && (MIN_SLOTS..=MAX_SLOTS).contains(&slots)
}

/// How many of `fingerprints` hold each term, in a table of `slots` counters (from
/// [`slots_for`]); tables of the parts of a corpus add up to the corpus's.
pub(crate) fn count_terms(fingerprints: &[Fingerprint], slots: usize) -> Vec<u32> {
    let shift = HASH_BITS - slots.trailing_zeros();
    // Each thread counts into its own range of counters, for every document: a
    // document's terms are sorted by hash, so its terms of one range are one run, found
    // by a binary search. Plain additions, where one table shared by all threads needed
    // an atomic one per term, the larger part of the counting time.
    let mut counts = vec![0u32; slots];
    let parts = rayon::current_num_threads().next_power_of_two().min(slots);
    let per_part = slots / parts;
    counts
        .par_chunks_mut(per_part)
        .enumerate()
        .for_each(|(part, range)| {
            let first = (part * per_part) as u32;
            let slot = |term: u32| term_hash(term) >> shift;
            for f in fingerprints {
                let start = f.terms.partition_point(|&t| slot(t) < first);
                for &term in &f.terms[start..] {
                    match range.get_mut((slot(term) - first) as usize) {
                        Some(count) => *count += 1,
                        None => break,
                    }
                }
            }
        });
    counts
}

/// An estimate of the number of distinct term hashes in `fingerprints`, within a few
/// percent: HyperLogLog (Flajolet et al. 2007) with 4,096 registers, the low 12 bits of a
/// hash choosing the register and the other 14 bits its rank. Registers merge by maximum,
/// so the estimate does not depend on the order or the thread count.
#[cfg(test)]
fn distinct_terms(fingerprints: &[Fingerprint]) -> usize {
    estimate_distinct(&term_registers(fingerprints))
}

/// HyperLogLog registers.
const INDEX_BITS: u32 = 12;
/// Number of HyperLogLog registers (see [`term_registers`]).
pub(crate) const REGISTERS: usize = 1 << INDEX_BITS;

/// The HyperLogLog registers of the terms of `fingerprints` (see [`distinct_terms`]);
/// registers of the parts of a corpus merge into the corpus's by maximum.
pub(crate) fn term_registers(fingerprints: &[Fingerprint]) -> Vec<u8> {
    const RANK_BITS: u32 = HASH_BITS - INDEX_BITS;
    fingerprints
        .par_iter()
        .fold(
            || vec![0u8; REGISTERS],
            |mut registers, f| {
                for &term in f.terms.iter() {
                    let hash = term_hash(term);
                    let rest = hash >> INDEX_BITS;
                    // The position of the first 1 in the rank bits, from the top (1-based).
                    let rank = (rest.leading_zeros() - (u32::BITS - RANK_BITS) + 1) as u8;
                    let register = &mut registers[(hash as usize) & (REGISTERS - 1)];
                    *register = (*register).max(rank);
                }
                registers
            },
        )
        .reduce(
            || vec![0u8; REGISTERS],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x = (*x).max(y);
                }
                a
            },
        )
}

/// The number of distinct terms [`term_registers`] (of [`REGISTERS`] registers) saw.
pub(crate) fn estimate_distinct(registers: &[u8]) -> usize {
    let m = REGISTERS as f64;
    let zeros = registers.iter().filter(|&&r| r == 0).count();
    let harmonic: f64 = registers.iter().map(|&r| (-f64::from(r)).exp2()).sum();
    let raw = 0.7213 / (1.0 + 1.079 / m) * m * m / harmonic;
    let estimate = if raw <= 2.5 * m && zeros > 0 {
        // Few terms: linear counting over the empty registers is the better estimate.
        m * (m / zeros as f64).ln()
    } else {
        raw
    };
    estimate.round() as usize
}

/// Smoothed inverse document frequency, never negative.
fn idf(documents: f32, df: u32) -> f32 {
    ((documents + 1.0) / (df as f32 + 0.5)).ln().max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::document_from_text;
    use crate::fingerprint::{FingerprintConfig, fingerprint};
    use std::collections::HashMap;

    #[test]
    fn distinct_terms_are_estimated_closely() {
        for distinct in [0usize, 40, 3_000, 250_000] {
            // Each term in three documents of a hundred terms.
            let terms: Vec<u32> = (0..distinct as u64)
                .map(|k| ((crate::fingerprint::mix64(k) >> 38) as u32) << 6 | 1 << 2)
                .collect();
            let exact = terms
                .iter()
                .map(|&t| term_hash(t))
                .collect::<std::collections::HashSet<_>>()
                .len();
            let prints: Vec<Fingerprint> = terms
                .chunks(100)
                .cycle()
                .take(terms.len().div_ceil(100) * 3)
                .map(|chunk| {
                    let mut chunk = chunk.to_vec();
                    chunk.sort_unstable();
                    Fingerprint {
                        signature: Box::new([]),
                        terms: chunk.into_boxed_slice(),
                        published_day: None,
                        years: 0,
                        words: 0,
                        shingles: 0,
                    }
                })
                .collect();
            let estimate = distinct_terms(&prints);
            let error = (estimate as f64 - exact as f64).abs() / (exact.max(1) as f64);
            assert!(error < 0.05, "{estimate} for {exact} distinct terms");
        }
    }

    #[test]
    fn small_corpora_count_exactly() {
        let texts = [
            "A dam burst above Belozar on Thursday, killing 14 people, officials said.",
            "Officials in Korvask said 1,200 residents of Belozar were evacuated.",
            "Governor Anton Veresov visited Lozavka and Dubrets after the flood.",
            "Shares in Cairn Energy rose 6% after the firm said its oilfield was larger.",
        ];
        let prints: Vec<Fingerprint> = texts
            .iter()
            .map(|text| {
                let document = document_from_text("x", "x", text).expect("text");
                fingerprint(&document, &FingerprintConfig::default())
            })
            .collect();
        let rarity = Rarity::count(&prints, &ClusterConfig::default());
        let mut exact: HashMap<u32, u32> = HashMap::new();
        for print in &prints {
            for &term in print.terms.iter() {
                *exact.entry(term_hash(term)).or_default() += 1;
            }
        }
        for print in &prints {
            for &term in print.terms.iter() {
                assert_eq!(rarity.document_frequency(term), exact[&term_hash(term)]);
            }
        }
        // "belozar" and "official" are in two documents, "said" is a stop word.
        assert!(exact.values().any(|&df| df == 2));
    }
}
