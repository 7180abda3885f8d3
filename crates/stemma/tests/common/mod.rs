//! What the evaluation tests share: where the repository and the development data are, and
//! reading JSON Lines.

#![allow(dead_code)] // each test crate uses its own share of these

use std::path::{Path, PathBuf};

/// The repository root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file or folder of the development data (`../shared/data` beside the repository), or
/// `None`, said on standard error, when it is not there.
pub fn data(path: &str) -> Option<PathBuf> {
    let path = workspace().join("../shared/data").join(path);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} not found", path.display());
        None
    }
}

/// The records of a JSON Lines file, blank lines left out.
pub fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("readable data")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}
