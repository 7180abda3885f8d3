//! Drift on the dev data and the demo corpus.
//!
//! - FRANK (`frank/cnndm.jsonl`): `compare`'s `consistent` flag against the human label,
//!   balanced accuracy, and the share of summaries with a wrong entity (EntE), a wrong time
//!   or place (CircE) or invented content (OutE) that are flagged.
//! - seeds-dev: `004`, a summary, moves the Alaska summit from August 2025 to 2022
//!   (changed), and every fact it is said to drop is one it does not state; `002` differs
//!   only in equivalent variants (nothing).
//! - The demo corpus: every planted drift of `examples/README.md` is found, and nothing else
//!   is reported as changed.

mod common;

use common::{data, workspace};
use std::path::Path;

use stemma::analysis::{AnalyzeConfig, Comparison, compare};
use stemma::corpus::{self, document_from_text};
use stemma::drift::DriftKind;
use stemma::drift::claims::ClaimCheck;
use stemma::facts::FactKind;
use stemma::ingest::{IngestConfig, Input};
use stemma::model::Document;

fn load(path: &Path) -> Document {
    let mut corpus = corpus::load(&[Input::Path(path.to_path_buf())], &IngestConfig::default());
    assert_eq!(corpus.documents.len(), 1, "{}", path.display());
    corpus.documents.remove(0)
}

fn items(comparison: &Comparison, kind: DriftKind) -> Vec<(FactKind, String, String)> {
    comparison
        .drift
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| {
            (
                d.fact_kind,
                d.source
                    .as_ref()
                    .map(|f| f.text.clone())
                    .unwrap_or_default(),
                d.version
                    .as_ref()
                    .map(|f| f.text.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn seeds_dev_drift() {
    let Some(dir) = data("seeds-dev") else {
        return;
    };
    let source = load(&dir.join("001_cd8afdc8f47b9116.txt"));
    let paraphrase = load(&dir.join("002_388b3ba3cb0d43d6.txt"));
    let summary = load(&dir.join("004_cd071ab01838d533.txt"));
    let config = AnalyzeConfig::default();

    let paraphrase = compare(&source, &paraphrase, &config);
    assert!(paraphrase.drift.is_empty(), "{:#?}", paraphrase.drift);

    let summary_text = summary.text.clone();
    let summary = compare(&source, &summary, &config);
    let changed = items(&summary, DriftKind::Changed);
    assert!(
        changed.contains(&(FactKind::Date, "August".into(), "2022".into())),
        "{changed:?}"
    );
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(summary.derivation, stemma::provenance::Derivation::Summary);
    let text = summary_text.to_lowercase();
    for (_, quoted, _) in items(&summary, DriftKind::Dropped) {
        let last = quoted
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase();
        assert!(!text.contains(&last), "{quoted} is in the summary");
    }
    assert!(
        items(&summary, DriftKind::Added).is_empty(),
        "{:?}",
        summary.drift
    );
}

#[test]
fn demo_planted_drift() {
    let story = workspace().join("examples/story");
    let original = load(&story.join("original.md"));
    let config = AnalyzeConfig::default();
    let against = |file: &str| compare(&original, &load(&story.join(file)), &config);

    let edit = against("edit.txt");
    assert_eq!(
        items(&edit, DriftKind::Changed),
        vec![(
            FactKind::Quantity,
            "About 1,200 residents".to_string(),
            "About 2,100 residents".to_string()
        )]
    );

    let summary = against("summary.txt");
    assert_eq!(
        items(&summary, DriftKind::Changed),
        vec![(FactKind::Date, "in 2009".to_string(), "in 2019".to_string())]
    );
    assert!(
        items(&summary, DriftKind::Dropped)
            .iter()
            .any(|(_, text, _)| text == "At least 14 people"),
        "{:?}",
        summary.drift
    );

    let expansion = against("expansion.md");
    let added = items(&expansion, DriftKind::Added);
    assert!(
        added
            .iter()
            .any(|(kind, _, text)| *kind == FactKind::Quote && text.starts_with("We will rebuild")),
        "{added:?}"
    );
    assert!(
        items(&expansion, DriftKind::Changed).is_empty(),
        "{:?}",
        expansion.drift
    );

    // The default claim check reports nothing on the demo: its versions reword, cut and
    // pad, but join no facts into new statements.
    for file in [
        "repost.html",
        "paraphrase.txt",
        "edit.txt",
        "summary.txt",
        "expansion.md",
    ] {
        let claims: Vec<_> = against(file)
            .drift
            .into_iter()
            .filter(|d| d.fact_kind == FactKind::Claim)
            .collect();
        assert!(claims.is_empty(), "{file}: {claims:#?}");
    }

    for file in ["repost.html", "paraphrase.txt"] {
        let comparison = against(file);
        let changed = items(&comparison, DriftKind::Changed);
        let unexpected: Vec<_> = changed
            .iter()
            .filter(|(kind, _, _)| !(file == "paraphrase.txt" && *kind == FactKind::Role))
            .collect();
        assert!(unexpected.is_empty(), "{file}: {unexpected:?}");
        assert!(
            items(&comparison, DriftKind::Added).is_empty(),
            "{file}: {:?}",
            comparison.drift
        );
    }
}

/// What `compare` makes of FRANK with one claim check.
struct FrankFigures {
    rows: usize,
    balanced: f64,
    sensitivity: f64,
    false_alarms: f64,
    /// Share of summaries with a `changed` fact that are unfaithful.
    changed_precision: f64,
    changed_flags: usize,
    /// (error type, summaries with it, of them flagged).
    by_error: Vec<(&'static str, usize, usize)>,
}

fn frank(rows: &[(Document, Document, serde_json::Value)], claims: ClaimCheck) -> FrankFigures {
    let config = AnalyzeConfig {
        claims,
        ..AnalyzeConfig::default()
    };
    let (mut tp, mut fp, mut tn, mut fne) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let (mut changed_right, mut changed_flags) = (0usize, 0usize);
    let mut by_error: Vec<(&str, usize, usize)> = vec![
        ("EntE", 0, 0),
        ("CircE", 0, 0),
        ("OutE", 0, 0),
        ("RelE", 0, 0),
    ];
    for (article, summary, row) in rows {
        let comparison = compare(article, summary, &config);
        // The drift items themselves (the explanations a reader sees), not the learned
        // `consistent` verdict: that one trains on FRANK, and its held-out figure comes
        // from `stemma-train eval` (leave one domain out).
        let flagged = !comparison.no_fact_changed_or_added();
        let faithful = row["label"].as_i64() == Some(1);
        if comparison
            .drift
            .iter()
            .any(|d| d.kind == DriftKind::Changed)
        {
            changed_flags += 1;
            changed_right += usize::from(!faithful);
        }
        match (flagged, faithful) {
            (true, false) => tp += 1.0,
            (true, true) => fp += 1.0,
            (false, true) => tn += 1.0,
            (false, false) => fne += 1.0,
        }
        for (name, total, found) in by_error.iter_mut() {
            if row[*name].as_f64().is_some_and(|v| v < 1.0) {
                *total += 1;
                *found += usize::from(flagged);
            }
        }
    }
    let sensitivity = tp / (tp + fne).max(1.0);
    let specificity = tn / (tn + fp).max(1.0);
    FrankFigures {
        rows: rows.len(),
        balanced: (sensitivity + specificity) / 2.0,
        sensitivity,
        false_alarms: 1.0 - specificity,
        changed_precision: changed_right as f64 / changed_flags.max(1) as f64,
        changed_flags,
        by_error,
    }
}

#[test]
fn frank_consistency() {
    let Some(path) = data("frank/cnndm.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable");
    let rows: Vec<(Document, Document, serde_json::Value)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).expect("JSON");
            let article =
                document_from_text("article", "frank", row["article"].as_str().unwrap_or(""));
            let summary =
                document_from_text("summary", "frank", row["summary"].as_str().unwrap_or(""));
            Some((article.ok()?, summary.ok()?, row))
        })
        .collect();
    let mut results = Vec::new();
    for (name, check) in [
        ("off", ClaimCheck::Off),
        ("careful", ClaimCheck::Careful),
        ("strict", ClaimCheck::Strict),
    ] {
        let f = frank(&rows, check);
        eprintln!(
            "FRANK CNN/DM ({} summaries), claims {name}: balanced accuracy {:.3} (flags {:.1}% of unfaithful, {:.1}% of faithful); changed-fact precision {:.3} ({} summaries)",
            f.rows,
            f.balanced,
            100.0 * f.sensitivity,
            100.0 * f.false_alarms,
            f.changed_precision,
            f.changed_flags,
        );
        for (error, total, found) in &f.by_error {
            eprintln!(
                "  {error} < 1: {found}/{total} flagged ({:.0}%)",
                100.0 * *found as f64 / (*total).max(1) as f64
            );
        }
        results.push((name, f));
    }
    // Floors a little under the measured figures (see BENCHMARKS.md).
    let figure = |name: &str| &results.iter().find(|(n, _)| *n == name).expect("run").1;
    assert!(figure("careful").balanced >= 0.53, "careful");
    assert!(
        figure("careful").false_alarms <= 0.06,
        "careful false alarms"
    );
    assert!(figure("strict").balanced >= 0.64, "strict");
    assert!(figure("off").changed_precision >= 0.8, "changed precision");
}

/// A quote handed to another speaker is a changed fact; the same quote given to the same
/// person, to "he", or without any speaker is not.
#[test]
fn misattributed_quote_is_changed() {
    let source = "Dam bursts above Belozar\n\nThe Upper Tesna dam burst on Wednesday night. \
        Interior Minister Pavel Zaretsky said: \"We will rebuild every home the water has taken \
        from us.\" Mayor Ivan Petrenko said the town would need months to recover.";
    let doc = |id: &str, text: &str| document_from_text(id, "test", text).expect("a document");
    let source = doc("source", source);
    let config = AnalyzeConfig::default();
    let quote_drift = |version: &str| -> Vec<(DriftKind, String)> {
        compare(&source, &doc("version", version), &config)
            .drift
            .into_iter()
            .filter(|d| d.fact_kind == FactKind::Quote)
            .map(|d| (d.kind, d.explanation))
            .collect()
    };
    let moved = quote_drift(
        "Dam bursts\n\nThe Upper Tesna dam burst on Wednesday night. Mayor Ivan Petrenko said: \
         \"We will rebuild every home the water has taken from us.\"",
    );
    assert_eq!(
        moved,
        [(
            DriftKind::Changed,
            "the quote “We will rebuild every home the water has taken from…” is given to Ivan \
             Petrenko instead of Pavel Zaretsky"
                .to_string()
        )]
    );
    for faithful in [
        "Dam bursts\n\nThe Upper Tesna dam burst on Wednesday night. \"We will rebuild every \
         home the water has taken from us,\" said Zaretsky.",
        "Dam bursts\n\nThe Upper Tesna dam burst on Wednesday night. He said: \"We will \
         rebuild every home the water has taken from us.\"",
    ] {
        assert!(quote_drift(faithful).is_empty(), "{faithful}");
    }
}

/// Abbreviations and full forms of countries and bodies are one entity: a version that
/// writes "the United States" where its source wrote "the US" has changed, dropped and
/// added nothing; one that writes "France" has added a place.
#[test]
fn another_form_of_an_entity_is_no_drift() {
    let doc = |id: &str, text: &str| document_from_text(id, "test", text).expect("a document");
    let source = doc(
        "source",
        "Envoys meet in Geneva\n\nOfficials from the US and the UK met UN envoys in Geneva on \
         Wednesday. The EU and Nato said they would send observers to the talks. A US \
         delegation of 12 diplomats arrived on Tuesday, and the U.S. embassy confirmed it.",
    );
    // Statements are held against the source word by word too (strict), so that a name
    // the source never writes would be a claim.
    let config = AnalyzeConfig {
        claims: ClaimCheck::Strict,
        ..AnalyzeConfig::default()
    };
    let drift = |version: &str| -> Vec<(DriftKind, FactKind, String)> {
        compare(&source, &doc("version", version), &config)
            .drift
            .into_iter()
            .map(|d| (d.kind, d.fact_kind, d.explanation))
            .collect()
    };
    for version in [
        "Envoys meet in Geneva\n\nOfficials from the United States and Britain met United \
         Nations envoys in Geneva on Wednesday. The European Union and NATO said they would \
         send observers to the talks. An American delegation of 12 diplomats arrived on \
         Tuesday, and the US embassy confirmed it.",
        "Envoys meet in Geneva\n\nOfficials from America and the United Kingdom met U.N. \
         envoys in Geneva on Wednesday. The E.U. and NATO said they would send observers to \
         the talks. A United States delegation of 12 diplomats arrived on Tuesday, and the \
         USA embassy confirmed it.",
    ] {
        assert_eq!(drift(version), [], "{version}");
    }
    let france = drift(
        "Envoys meet in Geneva\n\nOfficials from France and the UK met UN envoys in Geneva \
         on Wednesday. The EU and Nato said they would send observers to the talks. A US \
         delegation of 12 diplomats arrived on Tuesday, and the U.S. embassy confirmed it.",
    );
    assert!(
        france
            .iter()
            .any(|(kind, _, text)| *kind != DriftKind::Dropped && text.contains("France")),
        "{france:?}"
    );
}
