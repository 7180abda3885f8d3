//! Lineage on the demo corpus and the dev seeds: the original, each version's parent and
//! derivation, as a careful reader would draw them.

mod common;

use common::{data, workspace};
use std::path::Path;

use stemma::collate::{CollateConfig, collate};
use stemma::corpus;
use stemma::ingest::{IngestConfig, Input};
use stemma::provenance::{ProvenanceConfig, trace};

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
    let Some(dir) = data("seeds-dev") else {
        return;
    };
    let (original, rows) = lineage_of(&dir);
    assert_eq!(original, "001_cd8afdc8f47b9116");
    assert_eq!(
        &rows[..2],
        &[
            row("001_cd8afdc8f47b9116", None, "original"),
            row(
                "002_388b3ba3cb0d43d6",
                Some("001_cd8afdc8f47b9116"),
                "paraphrase"
            ),
        ]
    );
    // 004 is a condensed rewrite of 001 with a wrong year: a summary.
    assert_eq!(
        rows[2],
        row(
            "004_cd071ab01838d533",
            Some("001_cd8afdc8f47b9116"),
            "summary"
        )
    );
}

/// The body of a seed file, without its front matter.
fn seed_body(text: &str) -> &str {
    match text.strip_prefix("---") {
        Some(rest) => rest
            .split_once("\n---")
            .map_or(rest, |(_, body)| body)
            .trim(),
        None => text.trim(),
    }
}

#[test]
fn seeds_dev_with_reposts_and_edits() {
    // The seed story as a crawl finds it: the three versions, reposts of the wire story and
    // of the rewrite with the lines reposting sites add, an edit of the wire story that
    // cuts a paragraph the summary never used, and an edit of the summary.
    let Some(dir) = data("seeds-dev") else {
        return;
    };
    let temp = tempfile::tempdir().expect("temp dir");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("seed file");
    let (wire, rewrite, summary) = (
        read("001_cd8afdc8f47b9116.txt"),
        read("002_388b3ba3cb0d43d6.txt"),
        read("004_cd071ab01838d533.txt"),
    );
    let paragraphs: Vec<&str> = seed_body(&wire).split("\n\n").collect();
    let edited: Vec<String> = paragraphs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, p)| {
            p.replace("has said", "said")
                .replace("expected to", "due to")
        })
        .collect();
    let files = [
        ("001.txt", wire.clone()),
        ("002.txt", rewrite.clone()),
        ("004.txt", summary.clone()),
        (
            "005-repost.txt",
            format!(
                "Originally published by Wire Service.\n\n{}\n\nThis article first appeared on \
                 worldnews-daily.example. Read more: https://worldnews-daily.example/ukraine\n",
                seed_body(&wire)
            ),
        ),
        (
            "006-repost.txt",
            format!("{}\n\nShare this story.\n", seed_body(&rewrite)),
        ),
        ("007-edit.txt", edited.join("\n\n")),
        (
            "008-edit.txt",
            format!(
                "{}\n\nFollow us for more updates.\n",
                seed_body(&summary).replacen("reports", "claims", 1)
            ),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(temp.path().join(name), text).expect("write");
    }
    let (original, rows) = lineage_of(temp.path());
    assert_eq!(original, "001");
    let parent = |id: &str| {
        rows.iter()
            .find(|r| r.0 == id)
            .unwrap_or_else(|| panic!("{id} in {rows:?}"))
            .clone()
    };
    assert_eq!(parent("002"), row("002", Some("001"), "paraphrase"));
    assert_eq!(parent("004"), row("004", Some("001"), "summary"));
    assert_eq!(parent("005-repost"), row("005-repost", Some("001"), "copy"));
    assert_eq!(parent("006-repost"), row("006-repost", Some("002"), "copy"));
    for (id, source) in [("007-edit", "001"), ("008-edit", "004")] {
        let (_, from, derivation) = parent(id);
        assert_eq!(from.as_deref(), Some(source), "{id}: {rows:?}");
        assert!(
            ["copy", "edit"].contains(&derivation.as_str()),
            "{id}: {derivation}"
        );
    }
}

fn text_doc(id: &str, text: &str, published: Option<&str>) -> stemma::model::Document {
    let mut document = corpus::document_from_text(id, id, text).expect("document");
    document.published = published.and_then(stemma::ingest::parse_published);
    document
}

fn lineage_rows(
    documents: &[stemma::model::Document],
) -> (String, Vec<(String, Option<String>, String)>) {
    let refs: Vec<&stemma::model::Document> = documents.iter().collect();
    let collation = collate(&refs, &CollateConfig::default());
    let lineage = trace(&refs, &collation, &ProvenanceConfig::default());
    let mut rows: Vec<(String, Option<String>, String)> = lineage
        .versions
        .iter()
        .map(|v| {
            (
                refs[v.document].id.clone(),
                v.derived_from.map(|p| refs[p].id.clone()),
                v.derivation.as_str().to_string(),
            )
        })
        .collect();
    rows.sort();
    (refs[lineage.original].id.clone(), rows)
}

fn demo_text(file: &str) -> String {
    let corpus = corpus::load(
        &[Input::Path(workspace().join("examples/story").join(file))],
        &IngestConfig::default(),
    );
    corpus.documents[0]
        .body_sentences()
        .map(|(_, s)| s.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A summary made from the summary, not from the original: it keeps the summary's wording
/// (and so its changed year), so it derives from the summary.
#[test]
fn summary_of_a_summary() {
    let summary = demo_text("summary.txt");
    let shorter: Vec<&str> = summary.lines().take(4).collect();
    let shorter = [shorter[0], shorter[1], shorter[3]].join("\n");
    let documents = vec![
        text_doc(
            "original",
            &demo_text("original.md"),
            Some("2025-10-16T07:45:00Z"),
        ),
        text_doc("summary", &summary, None),
        text_doc("summary-of-summary", &shorter, None),
    ];
    let (original, rows) = lineage_rows(&documents);
    assert_eq!(original, "original");
    // The lineage is the point here: the shorter text derives from the summary. Its
    // derivation is named by the learned model, which reads three sentences kept word for
    // word as a copy of part of the summary; the name is checked only as "derived".
    let parents: Vec<(String, Option<String>)> =
        rows.iter().map(|r| (r.0.clone(), r.1.clone())).collect();
    assert_eq!(
        parents,
        vec![
            ("original".to_string(), None),
            ("summary".to_string(), Some("original".to_string())),
            (
                "summary-of-summary".to_string(),
                Some("summary".to_string())
            ),
        ]
    );
    assert_eq!(rows[1].2, "summary");
    assert_ne!(rows[2].2, "independent");
}

/// An account of the Belozar flood written independently of the wire original: the same
/// facts in different sentences. Fictional, written for this test.
const INDEPENDENT: &str = "\
Floodwater tore through Belozar overnight after the Upper Tesna dam failed, leaving at least 14 dead.
Our correspondent in the Tesna valley saw rescuers in fishing boats searching submerged streets at dawn.
Local officials put the number of evacuees at about 1,200, most of them from the low-lying districts near the river.
Regional governor Anton Veresov, speaking at a school turned into a shelter, called the disaster unprecedented.
The dam's operator, Dravenergo, has not explained why the reservoir was allowed to fill to 97% of capacity.
A criminal investigation into possible negligence has been opened, prosecutors confirmed.
Families who lost their homes are sleeping in churches and a sports hall on higher ground.";

#[test]
fn two_independent_accounts_with_copies() {
    let wire = demo_text("original.md");
    let documents = vec![
        text_doc("wire", &wire, Some("2025-10-16T07:45:00Z")),
        text_doc("wire-copy", &wire, Some("2025-10-16T09:00:00Z")),
        text_doc("wire-copy-2", &wire, None),
        text_doc("local", INDEPENDENT, Some("2025-10-16T08:30:00Z")),
        text_doc("local-copy", INDEPENDENT, Some("2025-10-16T11:00:00Z")),
    ];
    let (original, rows) = lineage_rows(&documents);
    assert_eq!(original, "wire");
    assert_eq!(
        rows,
        vec![
            row("local", None, "independent"),
            row("local-copy", Some("local"), "copy"),
            row("wire", None, "original"),
            row("wire-copy", Some("wire"), "copy"),
            row("wire-copy-2", Some("wire"), "copy"),
        ]
    );
}

#[test]
fn a_story_of_two_names_the_other_version_in_the_singular() {
    let text = "Floods hit Belozar\n\nAt least 14 people were killed when the Upper Tesna dam \
        burst above Belozar on Wednesday night. About 1,200 residents were evacuated from \
        low-lying streets, officials said. The dam, completed in 2009, held 97% of its \
        capacity when it failed.";
    let original = corpus::document_from_text("original", "test", text).expect("a document");
    let copy =
        corpus::document_from_text("copy", "test", &text.replace("14", "15")).expect("a document");
    let documents = [&original, &copy];
    let collation = collate(&documents, &CollateConfig::default());
    let lineage = trace(&documents, &collation, &ProvenanceConfig::default());
    assert!(
        lineage
            .explanation
            .contains("the other version derives from it"),
        "{}",
        lineage.explanation
    );
}
