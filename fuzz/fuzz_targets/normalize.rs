//! Normalisation of any bytes: decoding with charset detection, then cleaning (mojibake,
//! entities, NFC, whitespace). Cleaning must never panic and must be idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stemma::normalize::{self, Block};

fuzz_target!(|data: &[u8]| {
    let (text, _) = normalize::decode(data);
    let once = normalize::clean_text(&text);
    let twice = normalize::clean_text(&once);
    assert_eq!(once, twice, "cleaning twice differs from cleaning once");
    let blocks: Vec<Block> = text
        .split("\n\n")
        .enumerate()
        .map(|(i, part)| {
            if i % 5 == 0 {
                Block::heading(part)
            } else {
                Block::paragraph(part)
            }
        })
        .collect();
    let _ = normalize::normalize_blocks(blocks);
});
