//! Every input path: the bytes are written as a file whose extension the first byte
//! chooses (`.txt`, `.md`, `.html`, `.jsonl`, `.warc`, or none, so the content decides),
//! then read, extracted, normalised and split as the command line does. Compression is
//! recognised by magic bytes, so gzip and zstd seeds exercise the decompressors. Reading
//! must never panic and must keep within its limits; every item is a document or a skip.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use stemma::ingest::{self, IngestConfig, Input, Item};

const EXTENSIONS: &[&str] = &["txt", "md", "html", "jsonl", "warc", "bin"];

static DIR: LazyLock<tempdir::Dir> = LazyLock::new(tempdir::Dir::new);

mod tempdir {
    /// A directory of this process's own, removed when the process ends normally.
    pub struct Dir(pub std::path::PathBuf);

    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!("stemma-fuzz-{}", std::process::id()));
            std::fs::create_dir_all(&path).expect("temporary directory");
            Dir(path)
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let extension = EXTENSIONS[usize::from(selector) % EXTENSIONS.len()];
    let path: PathBuf = DIR.0.join(format!("input.{extension}"));
    std::fs::write(&path, bytes).expect("write the input");
    // A small limit keeps each run short and reaches the over-the-limit paths.
    let config = IngestConfig {
        max_document_bytes: 1 << 20,
    };
    let mut items = Vec::new();
    ingest::read(&Input::Path(path), &config, &mut |item| items.push(item));
    for item in items {
        match item {
            Item::Document(raw) => match stemma::corpus::build_document(raw) {
                Ok(document) => {
                    for sentence in &document.sentences {
                        assert!(sentence.text.len() <= stemma::segment::MAX_SENTENCE_BYTES);
                    }
                }
                Err(skipped) => assert!(!skipped.reason.is_empty()),
            },
            Item::Skipped(skipped) => assert!(!skipped.reason.is_empty()),
        }
    }
});
