//! Lineage on the demo corpus and the dev seeds: the original, each version's parent and
//! derivation, as a careful reader would draw them.

use std::path::{Path, PathBuf};

use stemma::collate::{CollateConfig, collate};
use stemma::corpus;
use stemma::ingest::{IngestConfig, Input};
use stemma::provenance::{ProvenanceConfig, trace};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// (document, parent, derivation) for every version of the one story in `dir`.
fn lineage_of(dir: &Path) -> (String, Vec<(String, Option<String>, String)>) {
    let corpus = corpus::load(&[Input::Path(dir.to_path_buf())], &IngestConfig::default());
    let documents: Vec<&stemma::model::Document> = corpus.documents.iter().collect();
    let collation = collate(&documents, &CollateConfig::default());
    let lineage = trace(&documents, &collation, &ProvenanceConfig::default());
    let mut rows: Vec<(String, Option<String>, String)> = lineage
        .versions
        .iter()
        .map(|v| {
            eprintln!(
                "{:<20} <- {:<20} {:<12} sim {:.2} cov {:.2} nov {:.2} verb {:.2} lex {:.2} len {:.2}",
                documents[v.document].id,
                v.derived_from.map(|p| documents[p].id.as_str()).unwrap_or("-"),
                v.derivation.as_str(),
                v.summary.similarity,
                v.summary.coverage,
                v.summary.novelty,
                v.summary.verbatim,
                v.summary.lexical,
                v.summary.length_ratio
            );
            (
                documents[v.document].id.clone(),
                v.derived_from.map(|p| documents[p].id.clone()),
                v.derivation.as_str().to_string(),
            )
        })
        .collect();
    rows.sort();
    eprintln!(
        "original: {} — {}",
        documents[lineage.original].id, lineage.explanation
    );
    (documents[lineage.original].id.clone(), rows)
}

fn row(id: &str, parent: Option<&str>, derivation: &str) -> (String, Option<String>, String) {
    (
        id.to_string(),
        parent.map(str::to_string),
        derivation.to_string(),
    )
}

#[test]
fn demo_story_lineage() {
    let (original, rows) = lineage_of(&workspace().join("examples/story"));
    assert_eq!(original, "original");
    assert_eq!(
        rows,
        vec![
            row("edit", Some("original"), "edit"),
            row("expansion", Some("original"), "expansion"),
            row("original", None, "original"),
            row("paraphrase", Some("original"), "paraphrase"),
            row("paraphrase-repost", Some("paraphrase"), "copy"),
            row("repost", Some("original"), "copy"),
            row("summary", Some("original"), "summary"),
        ]
    );
}

#[test]
fn seeds_dev_lineage() {
    let dir = workspace().join("../shared/data/seeds-dev");
    if !dir.exists() {
        eprintln!("skipping: {} not found", dir.display());
        return;
    }
    let (original, rows) = lineage_of(&dir);
    assert_eq!(original, "001_cd8afdc8f47b9116");
    assert_eq!(
        rows,
        vec![
            row("001_cd8afdc8f47b9116", None, "original"),
            row(
                "002_388b3ba3cb0d43d6",
                Some("001_cd8afdc8f47b9116"),
                "paraphrase"
            ),
            row(
                "004_cd071ab01838d533",
                Some("001_cd8afdc8f47b9116"),
                "summary"
            ),
        ]
    );
}
