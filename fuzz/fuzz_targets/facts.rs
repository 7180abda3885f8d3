//! Fact extraction from any sentence, with and without a publication date to resolve
//! relative dates against: never a panic, offsets on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let anchor = jiff::civil::date(2025, 11, 20);
    for anchor in [None, Some(anchor)] {
        let mut facts = Vec::new();
        stemma::facts::extract_sentence(&text, 0, anchor, &mut facts);
        for fact in &facts {
            let (start, end) = fact.span;
            assert!(start <= end && end <= text.len());
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
    }
    if let Ok(document) = stemma::corpus::document_from_text("doc", "fuzz", &text) {
        let _ = stemma::facts::extract(&document, Some(anchor));
    }
});
