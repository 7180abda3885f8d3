//! The JSON reports against `docs/report.schema.json`: the schema is a valid draft 2020-12
//! schema, it says something (it rejects broken reports), and every JSON output of the
//! library (`analyze`, `analyze --format jsonl`, `compare`, `compare --pairs`, `inspect`)
//! validates against it.
//!
//! The reports are validated against a strict copy of the schema, with
//! `additionalProperties: false` on every object: the published schema lets consumers
//! ignore fields added later, but a field the code writes and the schema does not describe
//! must fail here, so that the two never drift apart.

mod common;

use common::workspace;
use std::path::Path;

use serde_json::{Value, json};
use stemma::analysis::{
    AnalyzeConfig, analyze_stories, analyze_stories_batched, analyze_story, compare,
};
use stemma::cluster::{ClusterConfig, cluster_documents};
use stemma::corpus::{self, Corpus};
use stemma::ingest::{IngestConfig, Input};
use stemma::report::inspect::JsonInspectWriter;
use stemma::report::json;

fn schema() -> Value {
    let path = workspace().join("docs/report.schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// The schema with `additionalProperties: false` on every object schema that lists its
/// properties.
fn strict(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut map: serde_json::Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), strict(v))).collect();
            if map.get("type") == Some(&json!("object"))
                && map.contains_key("properties")
                && !map.contains_key("additionalProperties")
            {
                map.insert("additionalProperties".into(), json!(false));
            }
            Value::Object(map)
        }
        Value::Array(items) => Value::Array(items.iter().map(strict).collect()),
        other => other.clone(),
    }
}

/// A schema for one of the definitions of the report schema (`None`: the report itself).
fn schema_for(definition: Option<&str>) -> Value {
    let full = strict(&schema());
    match definition {
        None => full,
        Some(name) => json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": full["$defs"],
            "$ref": format!("#/$defs/{name}"),
        }),
    }
}

/// The validation errors of `instance`, one line each.
fn errors(definition: Option<&str>, instance: &Value) -> Vec<String> {
    let schema = schema_for(definition);
    let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn assert_valid(definition: Option<&str>, instance: &Value) {
    let found = errors(definition, instance);
    assert!(
        found.is_empty(),
        "{} does not match the schema:\n{}",
        definition.unwrap_or("the report"),
        found.join("\n")
    );
}

fn load(path: &Path) -> Corpus {
    corpus::load(&[Input::Path(path.to_path_buf())], &IngestConfig::default())
}

/// The analyze report of a corpus, as `stemma analyze --format json` builds it.
fn analyze_report(corpus: &Corpus) -> Value {
    let stories: Vec<(String, Vec<usize>)> =
        cluster_documents(&corpus.documents, &ClusterConfig::default())
            .into_iter()
            .map(|story| (story.id, story.documents))
            .collect();
    let analyses = analyze_stories(&corpus.documents, &stories, &AnalyzeConfig::default());
    serde_json::to_value(json::report(&corpus.documents, &corpus.skipped, &analyses)).unwrap()
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(error) = jsonschema::meta::validate(&schema) {
        panic!("docs/report.schema.json is not a valid schema: {error}");
    }
}

#[test]
fn the_demo_corpus_report_matches_the_schema() {
    let examples = workspace().join("examples");
    let corpus = corpus::load(
        &[
            Input::Path(examples.join("story")),
            Input::Path(examples.join("other")),
        ],
        &IngestConfig::default(),
    );
    let report = analyze_report(&corpus);
    assert_valid(None, &report);
    assert!(!report["stories"].as_array().unwrap().is_empty());
}

#[test]
fn a_report_with_skipped_inputs_and_all_drift_kinds_matches_the_schema() {
    // The seven versions of the demo story as one story, whatever clustering makes of
    // them, so that the report holds changed, dropped and added drift; and an empty file,
    // so that `skipped` is not empty.
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(workspace().join("examples/story")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let corpus = load(dir.path());
    assert!(!corpus.skipped.is_empty(), "the empty file is skipped");
    let members: Vec<usize> = (0..corpus.documents.len()).collect();
    let story = analyze_story(
        "s1".into(),
        &corpus.documents,
        &members,
        &AnalyzeConfig::default(),
    );
    let stories = [story];
    let report =
        serde_json::to_value(json::report(&corpus.documents, &corpus.skipped, &stories)).unwrap();
    assert_valid(None, &report);
    let kinds: Vec<&str> = report["stories"][0]["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    for kind in ["changed", "dropped", "added"] {
        assert!(kinds.contains(&kind), "no {kind} drift in {kinds:?}");
    }
}

#[test]
fn the_schema_rejects_broken_reports() {
    let corpus = load(&workspace().join("examples/story"));
    let report = analyze_report(&corpus);
    let story_with_drift = report["stories"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| !s["drift"].as_array().unwrap().is_empty())
        .expect("the demo story has drift");
    type Breaking = Box<dyn Fn(&mut Value)>;
    let broken: Vec<(&str, Breaking)> = vec![
        (
            "a missing field",
            Box::new(|r: &mut Value| {
                r["documents"][0].as_object_mut().unwrap().remove("chars");
            }),
        ),
        (
            "an unknown derivation",
            Box::new(|r: &mut Value| {
                r["stories"][0]["versions"][0]["derivation"] = json!("copied")
            }),
        ),
        (
            "an unknown drift kind",
            Box::new(move |r: &mut Value| {
                r["stories"][story_with_drift]["drift"][0]["kind"] = json!("moved")
            }),
        ),
        (
            "a changed fact without its source",
            Box::new(move |r: &mut Value| {
                let drift = &mut r["stories"][story_with_drift]["drift"][0];
                drift["kind"] = json!("changed");
                drift["source"] = Value::Null;
            }),
        ),
        (
            "a negative sentence index",
            Box::new(|r: &mut Value| {
                r["stories"][0]["alignments"][0]["from"]["sentence"] = json!(-1)
            }),
        ),
        (
            "a score above 1",
            Box::new(|r: &mut Value| r["stories"][0]["versions"][0]["coverage"] = json!(1.5)),
        ),
        (
            "a field the schema does not describe",
            Box::new(|r: &mut Value| r["stories"][0]["confidence"] = json!(0.5)),
        ),
    ];
    for (what, breaking) in broken {
        let mut copy = report.clone();
        breaking(&mut copy);
        assert!(
            !errors(None, &copy).is_empty(),
            "the schema accepts a report with {what}"
        );
    }
}

#[test]
fn compare_output_matches_the_schema() {
    let story = workspace().join("examples/story");
    let source = load(&story.join("original.md")).documents.remove(0);
    let config = AnalyzeConfig::default();
    for name in ["summary.txt", "edit.txt", "expansion.md", "paraphrase.txt"] {
        let version = load(&story.join(name)).documents.remove(0);
        let comparison = compare(&source, &version, &config);
        let single = serde_json::to_value(json::compare_entry(
            None,
            &source,
            &version,
            &comparison,
            true,
        ))
        .unwrap();
        assert_valid(Some("compare"), &single);
        let line = serde_json::to_value(json::compare_entry(
            Some("pair-1"),
            &source,
            &version,
            &comparison,
            false,
        ))
        .unwrap();
        assert_valid(Some("compare_line"), &line);
    }
}

#[test]
fn inspect_output_matches_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::copy(
        workspace().join("examples/story/expansion.md"),
        dir.path().join("expansion.md"),
    )
    .unwrap();
    let corpus = load(dir.path());
    let mut writer = JsonInspectWriter::new(Vec::new()).unwrap();
    writer.documents(&corpus.documents).unwrap();
    let bytes = writer.finish(&corpus.skipped).unwrap();
    let value: Value = serde_json::from_slice(&bytes).expect("inspect writes JSON");
    assert_valid(Some("inspect"), &value);
    assert!(
        !value["documents"][0]["headings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn analyze_jsonl_lines_match_the_schema() {
    // The demo corpus and an empty file, analysed a few documents at a time as
    // `analyze --format jsonl` does, each story's documents fetched on their own.
    let dir = tempfile::tempdir().unwrap();
    for folder in ["story", "other"] {
        for entry in std::fs::read_dir(workspace().join("examples").join(folder)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let corpus = load(dir.path());
    let stories: Vec<(String, Vec<usize>)> =
        cluster_documents(&corpus.documents, &ClusterConfig::default())
            .into_iter()
            .map(|story| (story.id, story.documents))
            .collect();
    let mut lines: Vec<Value> = corpus
        .skipped
        .iter()
        .map(|skip| serde_json::to_value(json::SkippedLine::from(skip)).unwrap())
        .collect();
    let mut drift = 0;
    analyze_stories_batched(
        &stories,
        3,
        &AnalyzeConfig::default(),
        |members| {
            Ok::<_, ()>(
                members
                    .iter()
                    .map(|&i| corpus.documents[i].clone())
                    .collect(),
            )
        },
        |analysis, documents| {
            (
                serde_json::to_value(json::story_line(documents, analysis)).unwrap(),
                analysis.drift.len(),
            )
        },
        |(line, n_drift)| {
            lines.push(line);
            drift += n_drift;
            Ok(())
        },
    )
    .unwrap();
    lines.push(
        serde_json::to_value(json::SummaryLine {
            summary: json::Summary {
                stemma: stemma::VERSION,
                documents: corpus.documents.len(),
                skipped: corpus.skipped.len(),
                stories: stories.len(),
                drift,
            },
        })
        .unwrap(),
    );
    for line in &lines {
        assert_valid(Some("analyze_line"), line);
    }
    // The story lines hold the report's stories, analysed alone or with the corpus.
    let report = analyze_report(&corpus);
    let story_lines: Vec<&Value> = lines.iter().filter(|l| l.get("story").is_some()).collect();
    let expected = report["stories"].as_array().unwrap();
    assert_eq!(story_lines.len(), expected.len());
    for (line, story) in story_lines.iter().zip(expected) {
        assert_eq!(&line["story"], story);
    }
    assert!(drift >= 6);

    let story_line = story_lines[0].clone();
    type Breaking = Box<dyn Fn(&mut Value)>;
    let broken: Vec<(&str, Breaking)> = vec![
        (
            "a story line without its documents",
            Box::new(|l: &mut Value| {
                l.as_object_mut().unwrap().remove("documents");
            }),
        ),
        (
            "a line of two kinds",
            Box::new(|l: &mut Value| l["skipped"] = json!({"source": "a", "reason": "b"})),
        ),
        (
            "a line of no kind",
            Box::new(|l: &mut Value| *l = json!({"documents": []})),
        ),
    ];
    for (what, breaking) in broken {
        let mut copy = story_line.clone();
        breaking(&mut copy);
        assert!(
            !errors(Some("analyze_line"), &copy).is_empty(),
            "the schema accepts {what}"
        );
    }
}
