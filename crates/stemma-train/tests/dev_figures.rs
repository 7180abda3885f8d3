//! The dev table's figures, floored a little under what they measured (BENCHMARKS.md), by
//! running the real training program: a regression in a feature, the synthetic data or
//! the learning fails here. Skipped (with a note) when the development data is absent.

use std::process::Command;

fn data_present() -> bool {
    let dir = std::env::var_os("STEMMA_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
        });
    let present = dir.join("mrpc/train.jsonl").exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "the development data is missing under CI"
        );
        eprintln!("skipped: no development data at {}", dir.display());
    }
    present
}

/// The value of the dev table's row whose verdict, variant and measure start as given.
fn figure(table: &str, verdict: &str, variant: &str, measure: &str) -> f64 {
    table
        .lines()
        .find(|line| {
            let cells: Vec<&str> = line
                .split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            cells.len() == 4
                && cells[0].starts_with(verdict)
                && cells[1] == variant
                && cells[2] == measure
        })
        .and_then(|line| line.split_whitespace().last()?.parse().ok())
        .unwrap_or_else(|| panic!("no row {verdict} / {variant} / {measure} in\n{table}"))
}

fn eval(stage: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_stemma-train"))
        .args(["eval", "--words-only", "--only", stage])
        .output()
        .expect("stemma-train runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn sentence_pair_figures() {
    if !data_present() {
        return;
    }
    let table = eval("pair");
    eprintln!("{table}");
    let model = figure(&table, "sentence pair", "words", "accuracy");
    let jaccard = figure(
        &table,
        "sentence pair",
        "baseline: word-set Jaccard, best threshold",
        "accuracy",
    );
    assert!(model >= 0.75, "MRPC CV accuracy {model}");
    assert!(
        model > jaccard + 0.02,
        "model {model} against Jaccard {jaccard}"
    );
    assert!(figure(&table, "sentence pair", "words", "calibration error") <= 0.06);
}

#[test]
fn derivation_figures() {
    if !data_present() {
        return;
    }
    let table = eval("derivation");
    eprintln!("{table}");
    let verdict = "derivation";
    // Measured 0.853; copy recall 0.607 since the model reads the rewriting traces a
    // version adds rather than all it bears (a repost of a text with one is a copy).
    assert!(figure(&table, verdict, "model", "accuracy (7 classes)") >= 0.84);
    assert!(
        figure(
            &table,
            verdict,
            "model",
            "derived vs independent, balanced accuracy"
        ) >= 0.97
    );
    assert!(figure(&table, verdict, "model", "recall of copy") >= 0.58);
    assert!(figure(&table, verdict, "model", "recall of summary") >= 0.88);
}

#[test]
fn consistency_figures() {
    if !data_present() {
        return;
    }
    let table = eval("consistency");
    eprintln!("{table}");
    let mean = figure(
        &table,
        "consistency, mean over held-out domains",
        "words",
        "balanced accuracy",
    );
    assert!(mean >= 0.56, "mean held-out balanced accuracy {mean}");
    assert!(
        figure(
            &table,
            "consistency, frank-cnndm held out",
            "words",
            "balanced accuracy"
        ) >= 0.58
    );
}

#[test]
fn dropped_figures() {
    if !data_present() {
        return;
    }
    let table = eval("dropped");
    eprintln!("{table}");
    assert!(figure(&table, "keep", "model", "balanced accuracy") >= 0.9);
    assert!(figure(&table, "keep", "model", "calibration error") <= 0.03);
    let recall = figure(&table, "dropped", "planted figure", "recall");
    assert!(recall >= 0.75, "planted dropped figures found {recall}");
    let alarms = figure(&table, "dropped", "faithful rewrite", "false alarms");
    assert!(
        alarms <= 0.04,
        "dropped facts on faithful rewrites {alarms}"
    );
}

#[test]
fn story_membership_figures() {
    if !data_present() {
        return;
    }
    let table = eval("stories");
    eprintln!("{table}");
    let f1 = |name: &str| figure(&table, name, "clustering", "B³ F1");
    assert!(f1("story membership: brief + article") >= 0.84);
    assert!(f1("story membership: brief-machine + article") >= 0.79);
    // The learned score, on the held-out articles (measured 0.907, 0.833, BBC 0.928).
    let learned = |name: &str| figure(&table, name, "learned", "B³ F1");
    assert!(learned("story membership: brief + article, held out") >= 0.87);
    assert!(learned("story membership: brief-machine + article, held out") >= 0.80);
    assert!(learned("story membership: BBC held out") >= 0.91);
    let pairs = figure(
        &table,
        "story membership: candidate pairs",
        "learned, 5-fold CV",
        "balanced accuracy",
    );
    assert!(pairs >= 0.82, "{pairs}");
}
