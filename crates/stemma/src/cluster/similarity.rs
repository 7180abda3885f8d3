//! The similarity of two documents from their fingerprints, in [0, 1]: the larger of a
//! near-duplicate score (shingles) and a content score (shared terms weighted by rarity).
//!
//! - **Near-duplicate**: the mean of the shingle Jaccard estimate and the shingle
//!   containment it implies given the two shingle counts, so a copy wrapped in new text
//!   (Jaccard 0.45, containment 1) scores like a light edit.
//! - **Content**: of the terms the two share, the weight (rarity × kind) over the weight of
//!   the smaller document's terms plus a prior (`evidence`) — containment that needs
//!   evidence, since a 40-word summary is contained in its source but also, by chance,
//!   partly in any long article — blended with the Dice coefficient so two long documents
//!   must share a large part of their content, not a few terms. Dates more than
//!   `date_window_days` apart scale the content score down: two earthquakes of the same
//!   kind a year apart share terms, not a story. For the same reason, two documents that
//!   both write years in their text but no year in common have their content score
//!   scaled by `year_penalty`, and two that both hold `number_evidence` numbers but none
//!   in common by `number_penalty`: a story's figures travel with it into its versions.

use super::ClusterConfig;
use super::rarity::Rarity;
use crate::fingerprint::{Fingerprint, TermKind, estimate_jaccard, term_count, term_hash};

/// What scoring reads of a document, made once (by `candidates::weigh`): its terms and
/// signature, borrowed from its fingerprint, the fingerprint's small figures, the total
/// term weight and the numbers held.
///
/// The figures are copied rather than read through a reference to the fingerprint: one
/// document of every scored pair is a random one, and the reference cost a cache miss of
/// its own before those of the terms and the signature.
pub(crate) struct Prepared<'a> {
    pub(crate) terms: &'a [u32],
    pub(crate) signature: &'a [u16],
    /// See [`Fingerprint::shingles`].
    pub(crate) shingles: u32,
    /// See [`Fingerprint::published_day`].
    pub(crate) published_day: Option<i32>,
    /// See [`Fingerprint::years`].
    pub(crate) years: u64,
    pub(crate) weight: f32,
    /// Distinct numbers among the terms.
    pub(crate) numbers: u32,
}

impl<'a> Prepared<'a> {
    /// A document's scoring figures, of total term weight `weight` and holding `numbers`
    /// distinct numbers.
    pub(crate) fn new(fingerprint: &'a Fingerprint, weight: f32, numbers: u32) -> Prepared<'a> {
        Prepared {
            terms: &fingerprint.terms,
            signature: &fingerprint.signature,
            shingles: fingerprint.shingles,
            published_day: fingerprint.published_day,
            years: fingerprint.years,
            weight,
            numbers,
        }
    }
}

/// What two documents share: the weight of their common terms, the part of it that names
/// carry, and how many of those terms are numbers.
#[derive(Clone, Copy, Default)]
struct Shared {
    weight: f32,
    names: f32,
    numbers: u32,
}

impl Shared {
    /// Counts a term both documents hold, as `ta` and `tb`, of inverse document frequency
    /// `idf`: the smaller of its two counts, a name when either side has it as one.
    #[inline]
    fn add(&mut self, ta: u32, tb: u32, idf: f32, rarity: &Rarity) {
        let kind = TermKind::of(ta).max(TermKind::of(tb));
        let count = term_count(ta).min(term_count(tb));
        let weight = rarity.weight_as(idf, kind, count);
        self.weight += weight;
        if kind == TermKind::Name {
            self.names += weight;
        }
        self.numbers += u32::from(kind == TermKind::Number);
    }
}

/// The parts of a pair's similarity: the hand-set score's two parts and what the learned
/// score reads besides (see [`Parts::features`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Parts {
    pub(crate) jaccard: f32,
    pub(crate) near_duplicate: f32,
    pub(crate) content: f32,
    /// The weight of the terms both hold.
    pub(crate) shared: f32,
    /// Shared weight over the smaller document's weight, at most 1.
    pub(crate) containment: f32,
    /// Shared weight over the mean of the two documents' weights, at most 1.
    pub(crate) dice: f32,
    /// The smaller and the larger document's term weight.
    pub(crate) small: f32,
    pub(crate) large: f32,
    /// The share of the shared weight that names carry.
    pub(crate) names: f32,
    /// Numbers both hold.
    pub(crate) shared_numbers: u32,
    /// The publication dates are more than `date_window_days` apart.
    pub(crate) dates_apart: bool,
    /// Both name years, none in common.
    pub(crate) years_apart: bool,
    /// Both hold `number_evidence` numbers, none in common.
    pub(crate) numbers_apart: bool,
}

/// The features of a pair the story model reads, by name, in the order of
/// [`Parts::features`].
pub const FEATURES: [&str; 15] = [
    "near_duplicate",
    "jaccard",
    "log_containment",
    "log_evidence_containment",
    "log_dice",
    "log_small",
    "log_ratio",
    "names",
    "log_shared_numbers",
    "dates_apart",
    "years_apart",
    "numbers_apart",
    "log_rule_content",
    "log_containment_by_ratio",
    "log_dice_by_ratio",
];

impl Parts {
    pub(crate) fn score(&self) -> f32 {
        self.near_duplicate.max(self.content)
    }

    /// The pair's features (see [`FEATURES`]); `evidence` is
    /// [`ClusterConfig::evidence`].
    pub(crate) fn features(&self, evidence: f32) -> [f32; FEATURES.len()] {
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        // Shares as logarithms: a weighted sum of them is a geometric blend, the form of
        // the hand-set content score, which the model can then reweigh by length.
        let log = |x: f32| (x + 0.01).ln();
        let ratio = (self.large.ln_1p() - self.small.ln_1p()).max(0.0);
        [
            self.near_duplicate,
            self.jaccard,
            log(self.containment),
            log((self.shared / (self.small + evidence)).min(1.0)),
            log(self.dice),
            self.small.ln_1p(),
            ratio,
            self.names,
            (self.shared_numbers as f32).ln_1p(),
            flag(self.dates_apart),
            flag(self.years_apart),
            flag(self.numbers_apart),
            log(self.content),
            log(self.containment) * ratio,
            log(self.dice) * ratio,
        ]
    }
}

/// The terms of one document in a small open-addressing table, each with its rarity, for
/// scoring it against many others. Looking the other document's terms up one by one
/// beats merging the two sorted lists: the lookups are independent, where each step of a
/// merge waits on the comparison before it; and the rarity table (a cache miss per term
/// in millions of counters) is read once per document, not once per pair.
#[derive(Default)]
pub(crate) struct TermTable {
    /// (term, idf); a zero term is an empty slot (a real term counts at least one
    /// occurrence, so it is never zero).
    slots: Vec<(u32, f32)>,
    mask: u32,
    /// The slots filled, emptied at the next fill: clearing the whole table for every
    /// document cost more than the lookups of a short run of pairs.
    used: Vec<u32>,
}

impl TermTable {
    /// Holds `terms` (a document's, sorted and distinct) from now on.
    pub(crate) fn fill(&mut self, terms: &[u32], rarity: &Rarity) {
        for &at in &self.used {
            self.slots[at as usize] = (0, 0.0);
        }
        self.used.clear();
        // At most a quarter full: a miss, the usual case, probes little more than one
        // slot. The table only grows; a larger one than needed is as exact.
        let size = (terms.len() * 4).next_power_of_two().max(16);
        if size > self.slots.len() {
            self.slots.resize(size, (0, 0.0));
            self.mask = (size - 1) as u32;
        }
        for &term in terms {
            let mut slot = term_hash(term) & self.mask;
            // Terms of one fingerprint have distinct hashes: no update, only inserts.
            while self.slots[slot as usize].0 != 0 {
                slot = (slot + 1) & self.mask;
            }
            self.slots[slot as usize] = (term, rarity.idf(term));
            self.used.push(slot);
        }
    }

    /// The term of this hash and its idf, if held.
    #[inline]
    fn get(&self, hash: u32) -> Option<(u32, f32)> {
        let mut slot = hash & self.mask;
        loop {
            let (term, idf) = self.slots[slot as usize];
            if term == 0 {
                return None;
            }
            if term_hash(term) == hash {
                return Some((term, idf));
            }
            slot = (slot + 1) & self.mask;
        }
    }
}

/// Scores documents against others with the first one's terms in a [`TermTable`], tabled
/// again only when the first document changes: callers ask about runs of pairs of one
/// document.
pub(crate) struct Scorer {
    /// The document tabled, `u32::MAX` before any.
    held: u32,
    table: TermTable,
}

impl Default for Scorer {
    fn default() -> Scorer {
        Scorer {
            held: u32::MAX,
            table: TermTable::default(),
        }
    }
}

impl Scorer {
    /// The similarity of the documents of ranks `x` and `y` (the same whichever comes first).
    pub(crate) fn score(
        &mut self,
        x: u32,
        y: u32,
        prepared: &[Prepared<'_>],
        rarity: &Rarity,
        config: &ClusterConfig,
    ) -> f32 {
        let parts = self.parts(x, y, prepared, rarity, config);
        match &config.learned {
            Some(learned) => parts
                .near_duplicate
                .max(learned.similarity(&parts.features(config.evidence))),
            None => parts.score(),
        }
    }

    /// The parts of the similarity of the documents of ranks `x` and `y`.
    pub(crate) fn parts(
        &mut self,
        x: u32,
        y: u32,
        prepared: &[Prepared<'_>],
        rarity: &Rarity,
        config: &ClusterConfig,
    ) -> Parts {
        if self.held != x {
            self.table.fill(prepared[x as usize].terms, rarity);
            self.held = x;
        }
        similarity_with(
            &prepared[x as usize],
            &self.table,
            &prepared[y as usize],
            rarity,
            config,
        )
    }
}

/// The similarity of `a` and `b`, with `a`'s terms already in a [`TermTable`].
fn similarity_with(
    a: &Prepared<'_>,
    a_terms: &TermTable,
    b: &Prepared<'_>,
    rarity: &Rarity,
    config: &ClusterConfig,
) -> Parts {
    let shared = shared_weight(a_terms, b.terms, rarity);
    score(a, b, shared, config)
}

/// The similarity of two documents that share terms of weight `shared`.
fn score(a: &Prepared<'_>, b: &Prepared<'_>, shared: Shared, config: &ClusterConfig) -> Parts {
    let jaccard = if a.shingles == 0 || b.shingles == 0 {
        0.0
    } else {
        estimate_jaccard(a.signature, b.signature)
    };
    let near_duplicate = near_duplicate(jaccard, a.shingles, b.shingles, a.signature.len());

    let small = a.weight.min(b.weight);
    let large = a.weight.max(b.weight);
    let dates_apart = matches!((a.published_day, b.published_day),
        (Some(da), Some(db)) if (da - db).abs() > config.date_window_days);
    let years_apart = a.years != 0 && b.years != 0 && a.years & b.years == 0;
    let numbers_apart = a.numbers.min(b.numbers) >= config.number_evidence && shared.numbers == 0;
    let dice = if large > 0.0 {
        (2.0 * shared.weight / (a.weight + b.weight)).min(1.0)
    } else {
        0.0
    };
    let content = if small <= 0.0 {
        0.0
    } else {
        let containment = (shared.weight / (small + config.evidence)).min(1.0);
        let mut content = containment.powf(1.0 - config.dice_share) * dice.powf(config.dice_share);
        if dates_apart {
            content *= config.date_penalty;
        }
        if years_apart {
            content *= config.year_penalty;
        }
        if numbers_apart {
            content *= config.number_penalty;
        }
        content
    };
    Parts {
        jaccard,
        near_duplicate,
        content,
        shared: shared.weight,
        containment: if small > 0.0 {
            (shared.weight / small).min(1.0)
        } else {
            0.0
        },
        dice,
        small,
        large,
        names: if shared.weight > 0.0 {
            shared.names / shared.weight
        } else {
            0.0
        },
        shared_numbers: shared.numbers,
        dates_apart,
        years_apart,
        numbers_apart,
    }
}

/// The near-duplicate score from a Jaccard estimate and the shingle counts.
fn near_duplicate(jaccard: f32, shingles_a: u32, shingles_b: u32, bins: usize) -> f32 {
    // Fewer than six agreeing bins is within the noise of two unrelated documents.
    if jaccard * (bins as f32) < 6.0 {
        return 0.0;
    }
    let (a, b) = (shingles_a as f32, shingles_b as f32);
    let intersection = jaccard * (a + b) / (1.0 + jaccard);
    let containment = (intersection / a.min(b)).min(1.0);
    (jaccard + containment) / 2.0
}

/// The weight two documents share: for each common term, the smaller of its two weights,
/// counted as a name when either side has it as one (a lower-cased summary still names
/// people). Terms are visited in `b`'s order, ascending hash, as a merge would.
fn shared_weight(a: &TermTable, b: &[u32], rarity: &Rarity) -> Shared {
    let mut shared = Shared::default();
    for &tb in b {
        if let Some((ta, idf)) = a.get(term_hash(tb)) {
            shared.add(ta, tb, idf, rarity);
        }
    }
    shared
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::document_from_text;
    use crate::fingerprint::{FingerprintConfig, fingerprint};

    const QUAKE: &str = "A magnitude 5.6 earthquake struck Qeshm island on Sunday, injuring 5 \
        people and damaging 300 homes in 14 villages near Dargahan, officials said.";
    const QUAKE_REWORDED: &str = "An earthquake of magnitude 5.6 hit Qeshm island on Sunday; \
        officials said 5 people were hurt and 300 homes in 14 villages were damaged.";
    const OTHER_QUAKE: &str = "A magnitude 6.1 earthquake struck Qeshm island on Sunday, \
        killing 10 people and damaging 2,000 homes in 7 villages near Dargahan, officials said.";

    fn prints(texts: &[&str]) -> Vec<Fingerprint> {
        texts
            .iter()
            .map(|text| {
                let document = document_from_text("x", "x", text).expect("document");
                fingerprint(&document, &FingerprintConfig::default())
            })
            .collect()
    }

    /// The parts of the similarity of the texts `x` and `y` of `texts`, with `x`'s terms in
    /// the table.
    fn parts(texts: &[&str], x: usize, y: usize, config: &ClusterConfig) -> Parts {
        let prints = prints(texts);
        let rarity = Rarity::count(&prints, config);
        let by_rank: Vec<&Fingerprint> = prints.iter().collect();
        let in_memory = super::super::candidates::memory_order(&by_rank);
        let (prepared, _) = super::super::candidates::weigh(&by_rank, &in_memory, &rarity, config);
        let mut table = TermTable::default();
        table.fill(prepared[x].terms, &rarity);
        similarity_with(&prepared[x], &table, &prepared[y], &rarity, config)
    }

    /// The content score of two texts, with the number rule at `penalty`.
    fn content(a: &str, b: &str, penalty: f32) -> f32 {
        let config = ClusterConfig {
            number_penalty: penalty,
            ..ClusterConfig::default()
        };
        parts(&[a, b], 0, 1, &config).content
    }

    /// The shared weight by merging the two sorted term lists: what the table's lookups
    /// must add up to, in the same order.
    fn merged_shared_weight(a: &[u32], b: &[u32], rarity: &Rarity) -> Shared {
        let (mut i, mut j) = (0, 0);
        let mut shared = Shared::default();
        while i < a.len() && j < b.len() {
            let (ha, hb) = (term_hash(a[i]), term_hash(b[j]));
            if ha < hb {
                i += 1;
            } else if ha > hb {
                j += 1;
            } else {
                shared.add(a[i], b[j], rarity.idf(a[i]), rarity);
                i += 1;
                j += 1;
            }
        }
        shared
    }

    #[test]
    fn the_table_adds_what_a_merge_adds_and_either_side_may_be_tabled() {
        // Grouping tables whichever document it asks about first: the score must not
        // depend on the side, to the last bit.
        let config = ClusterConfig::default();
        let texts = [QUAKE, QUAKE_REWORDED, OTHER_QUAKE];
        let prints = prints(&texts);
        let rarity = Rarity::count(&prints, &config);
        let mut table = TermTable::default();
        for x in 0..texts.len() {
            table.fill(&prints[x].terms, &rarity);
            for y in 0..texts.len() {
                let tabled = shared_weight(&table, &prints[y].terms, &rarity);
                let merged = merged_shared_weight(&prints[x].terms, &prints[y].terms, &rarity);
                assert_eq!(tabled.weight.to_bits(), merged.weight.to_bits());
                assert_eq!(tabled.numbers, merged.numbers);
                let (xy, yx) = (parts(&texts, x, y, &config), parts(&texts, y, x, &config));
                assert_eq!(xy.score().to_bits(), yx.score().to_bits(), "{x} {y}");
            }
        }
        assert!(parts(&texts, 0, 1, &config).score() > parts(&texts, 0, 2, &config).score());
    }

    #[test]
    fn figures_in_common_or_none() {
        // The rewording keeps the figures: no penalty.
        assert_eq!(
            content(QUAKE, QUAKE_REWORDED, 0.6),
            content(QUAKE, QUAKE_REWORDED, 1.0)
        );
        // Another quake of the same kind, with four figures of its own and none of these.
        let plain = content(QUAKE, OTHER_QUAKE, 1.0);
        assert!(plain > 0.0);
        assert!((content(QUAKE, OTHER_QUAKE, 0.6) - 0.6 * plain).abs() < 1e-6);
    }
}
