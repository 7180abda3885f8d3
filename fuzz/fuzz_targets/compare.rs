//! One version held against its source, as `stemma compare` does: the input is split at
//! its first NUL byte (or in half) into the two texts. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stemma::analysis::{self, AnalyzeConfig};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (source, version) = match text.find('\0') {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => {
            let mut middle = text.len() / 2;
            while !text.is_char_boundary(middle) {
                middle -= 1;
            }
            text.split_at(middle)
        }
    };
    let (Ok(source), Ok(version)) = (
        stemma::corpus::document_from_text("source", "source", source),
        stemma::corpus::document_from_text("version", "version", version),
    ) else {
        return;
    };
    let _ = analysis::compare(&source, &version, &AnalyzeConfig::default());
});
