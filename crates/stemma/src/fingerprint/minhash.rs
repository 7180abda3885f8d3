//! One-permutation MinHash with optimal densification, stored as 16-bit values.
//!
//! Classic MinHash hashes every shingle once per permutation (128 × the shingles of a
//! document). One-permutation hashing (Li, Owen & Zhang 2012) hashes each shingle once: the
//! top bits choose one of `k` bins, the rest compete for that bin's minimum. Bins left
//! empty by a short document borrow the value of a bin chosen by a fixed probe sequence
//! ("optimal densification", Shrivastava 2017), which keeps `P(bin i agrees) = Jaccard`.
//! Only the low 16 bits of each minimum are kept (b-bit MinHash, Li & König 2010): two
//! unrelated minima agree by chance with probability 2⁻¹⁶, which changes no estimate, and
//! the signature of a document takes 256 bytes.
//!
//! Seeds are constants and the hash is xxh3 plus splitmix64 mixing: a signature computed
//! today equals one computed after any dependency upgrade, unlike crates that seed from
//! `rand`.

/// splitmix64's finaliser: a fast, well-mixing bijection on `u64`.
pub(crate) fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The hash of a shingle of three token hashes (order matters).
pub(crate) fn shingle_hash(a: u64, b: u64, c: u64) -> u64 {
    mix64(a ^ b.rotate_left(21).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ c.rotate_left(42))
}

/// Accumulates the bin minima of one document.
pub(crate) struct OnePermutation {
    minima: Vec<u64>,
    shingles: u32,
}

impl OnePermutation {
    /// An empty sketch with `bins` bins.
    pub(crate) fn new(bins: usize) -> OnePermutation {
        OnePermutation {
            minima: vec![u64::MAX; bins.max(1)],
            shingles: 0,
        }
    }

    /// Adds a shingle by its hash.
    #[inline]
    pub(crate) fn add(&mut self, hash: u64) {
        // The high bits pick the bin (Lemire's multiply-shift range reduction); all the
        // bits then compete for the minimum, which within one bin orders by the low bits.
        let bin = ((u128::from(hash) * self.minima.len() as u128) >> 64) as usize;
        // Without a branch: whether a shingle beats its bin's minimum is a coin toss
        // early in a document, which a branch predictor cannot learn.
        let slot = &mut self.minima[bin];
        *slot = (*slot).min(hash);
        self.shingles += 1;
    }

    /// How many shingles were added (with repeats).
    pub(crate) fn shingles(&self) -> u32 {
        self.shingles
    }

    /// The densified signature; all zeros when nothing was added.
    pub(crate) fn finish(self) -> Box<[u16]> {
        let bins = self.minima.len();
        if self.shingles == 0 {
            return vec![0u16; bins].into_boxed_slice();
        }
        let mut signature = vec![0u16; bins];
        for (bin, value) in signature.iter_mut().enumerate() {
            let mut minimum = self.minima[bin];
            let mut attempt = 0u64;
            while minimum == u64::MAX {
                // The probe sequence depends on the bin and the attempt only, so two
                // documents that both borrow for bin `i` look at the same bins in the same
                // order: that is what keeps the agreement probability equal to Jaccard.
                attempt += 1;
                let probe = mix64(((bin as u64) << 32) ^ attempt ^ 0x5bd1_e995_0000_0000);
                let source = ((u128::from(probe) * bins as u128) >> 64) as usize;
                minimum = self.minima[source];
            }
            *value = mix64(minimum) as u16;
        }
        signature.into_boxed_slice()
    }
}

/// The share of bins on which two signatures agree: an estimate of the Jaccard similarity
/// of their shingle sets.
pub fn estimate_jaccard(a: &[u16], b: &[u16]) -> f32 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let agree = a.iter().zip(b).filter(|(x, y)| x == y).count();
    agree as f32 / a.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature(items: impl Iterator<Item = u64>) -> Box<[u16]> {
        let mut sketch = OnePermutation::new(128);
        for item in items {
            sketch.add(mix64(item));
        }
        sketch.finish()
    }

    #[test]
    fn estimates_jaccard() {
        // |A ∩ B| = 600, |A ∪ B| = 1400: Jaccard 0.43.
        let a = signature(0..1000);
        let b = signature(400..1400);
        let estimate = estimate_jaccard(&a, &b);
        assert!((estimate - 0.43).abs() < 0.12, "{estimate}");
        assert_eq!(estimate_jaccard(&a, &a), 1.0);
        let c = signature(5000..6000);
        assert!(estimate_jaccard(&a, &c) < 0.05);
    }

    #[test]
    fn short_documents_are_densified() {
        // Ten shingles fill at most ten bins; the rest borrow, and a copy still agrees.
        let a = signature(0..10);
        let b = signature(0..10);
        assert_eq!(a, b);
        let c = signature(5..15);
        let estimate = estimate_jaccard(&a, &c);
        assert!((estimate - 0.33).abs() < 0.2, "{estimate}");
    }
}
