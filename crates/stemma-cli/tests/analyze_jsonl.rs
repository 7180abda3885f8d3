//! `stemma analyze --format jsonl`, run as a user runs it: its story lines are the stories
//! of `--format json` with their documents' entries, skipped inputs have a line each and
//! the summary counts them all; broken and hostile inputs cost only themselves; a run
//! with nothing to analyse fails and writes nothing; `--out` writes what standard output
//! shows. (That the bytes do not depend on threads or input order is in `determinism.rs`.)

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use serde_json::Value;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Runs stemma; returns its exit code, standard output and standard error.
fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("stemma")
        .expect("the stemma binary is built")
        .env("STEMMA_MODEL", "off")
        .args(args)
        .output()
        .expect("stemma runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

fn lines(jsonl: &str) -> Vec<Value> {
    jsonl
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The lines of one kind (`story`, `skipped`, `summary`).
fn of_kind<'a>(lines: &'a [Value], kind: &str) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|line| line.get(kind).is_some())
        .collect()
}

/// A directory with the demo corpus and inputs that are skipped: an empty file, a binary
/// file, and JSON Lines with broken lines between good ones.
fn mixed_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["story", "other"] {
        for entry in std::fs::read_dir(examples().join(folder)).expect("examples") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    std::fs::write(dir.path().join("empty.txt"), "").expect("write");
    std::fs::write(dir.path().join("binary.txt"), [0u8, 1, 2, 3, 0, 0xff]).expect("write");
    let mut feed = std::fs::File::create(dir.path().join("feed.jsonl")).expect("create");
    writeln!(
        feed,
        r#"{{"id": "feed-1", "title": "Ferry service resumes", "text": "The ferry between Ostrava and Velling resumed on Monday after a three-week strike, the operator said.\n\nAbout 4,000 passengers a day use the crossing."}}"#
    )
    .expect("write");
    writeln!(feed, r#"{{"id": "feed-2", "text": "An unfinished line"#).expect("write");
    writeln!(feed, r#"{{"id": "feed-3", "title": "No text"}}"#).expect("write");
    writeln!(
        feed,
        r#"{{"id": "feed-4", "title": "Library reopens", "text": "The city library in Carrow reopened on Saturday after repairs that cost $2.4m, the council said."}}"#
    )
    .expect("write");
    dir
}

#[test]
fn story_lines_are_the_stories_of_the_json_report() {
    let dir = mixed_corpus();
    let path = dir.path().display().to_string();
    let (code, json, _) = run(&["analyze", "--format", "json", &path]);
    assert_eq!(code, 0);
    let (code, jsonl, stderr) = run(&["analyze", "--format", "jsonl", &path]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&json).expect("JSON report");
    let lines = lines(&jsonl);

    // One story line per story, in the report's order, each the report's story with the
    // report's entries of its documents, in the story's order.
    let stories = of_kind(&lines, "story");
    let expected = report["stories"].as_array().expect("stories");
    assert_eq!(stories.len(), expected.len());
    let documents: Vec<&Value> = report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .collect();
    for (line, story) in stories.iter().zip(expected) {
        assert_eq!(line.as_object().expect("an object").len(), 2, "{line}");
        assert_eq!(&line["story"], story);
        let entries: Vec<&Value> = story["documents"]
            .as_array()
            .expect("ids")
            .iter()
            .map(|id| {
                *documents
                    .iter()
                    .find(|d| &d["id"] == id)
                    .expect("every story document is in the report")
            })
            .collect();
        let found: Vec<&Value> = line["documents"]
            .as_array()
            .expect("entries")
            .iter()
            .collect();
        assert_eq!(found, entries);
    }
    // Every document in exactly one story line.
    let mut ids: Vec<&str> = stories
        .iter()
        .flat_map(|line| line["story"]["documents"].as_array().expect("ids"))
        .map(|id| id.as_str().expect("id"))
        .collect();
    ids.sort_unstable();
    let mut all: Vec<&str> = documents
        .iter()
        .map(|d| d["id"].as_str().expect("id"))
        .collect();
    all.sort_unstable();
    assert_eq!(ids, all);
    assert!(
        all.contains(&"feed-1") && all.contains(&"feed-4"),
        "{all:?}"
    );

    // The skipped inputs are the report's, each with its reason, and said on stderr too.
    let skipped: BTreeSet<String> = of_kind(&lines, "skipped")
        .iter()
        .map(|line| line["skipped"].to_string())
        .collect();
    let expected: BTreeSet<String> = report["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(Value::to_string)
        .collect();
    assert_eq!(skipped, expected);
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("stemma: skipped"))
            .count(),
        4
    );

    // The skipped lines come first, the summary last, and it counts the rest.
    let kinds: Vec<&str> = lines
        .iter()
        .map(|line| {
            ["story", "skipped", "summary"]
                .into_iter()
                .find(|kind| line.get(kind).is_some())
                .unwrap_or_else(|| panic!("a line of no kind: {line}"))
        })
        .collect();
    let first_story = kinds.iter().position(|k| *k == "story").expect("stories");
    assert!(
        kinds[..first_story].iter().all(|k| *k == "skipped"),
        "{kinds:?}"
    );
    assert!(
        kinds[first_story..kinds.len() - 1]
            .iter()
            .all(|k| *k == "story"),
        "{kinds:?}"
    );
    let summary = &lines.last().expect("lines")["summary"];
    assert_eq!(summary["stemma"], report["stemma"]);
    assert_eq!(summary["documents"], documents.len());
    assert_eq!(summary["skipped"], 4);
    assert_eq!(summary["stories"], stories.len());
    let drift: usize = expected_drift(&report);
    assert_eq!(summary["drift"], drift);
    assert!(drift >= 6, "the demo story's drift is counted");
}

fn expected_drift(report: &Value) -> usize {
    report["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["drift"].as_array().map_or(0, Vec::len))
        .sum()
}

#[test]
fn out_writes_what_standard_output_shows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("stories.jsonl");
    let story = examples().join("story").display().to_string();
    let (code, stdout, _) = run(&["analyze", "--format", "jsonl", &story]);
    assert_eq!(code, 0);
    let (code, nothing, _) = run(&[
        "analyze",
        "--format",
        "jsonl",
        "--out",
        &out.display().to_string(),
        &story,
    ]);
    assert_eq!(code, 0);
    assert!(nothing.is_empty());
    assert_eq!(
        std::fs::read_to_string(&out).expect("the output file"),
        stdout
    );
}

#[test]
fn nothing_to_analyse_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("empty.txt"), "").expect("write");
    std::fs::write(dir.path().join("broken.jsonl"), "{\"id\": 1,\n").expect("write");
    let out = dir.path().join("report.jsonl");
    let (code, stdout, stderr) = run(&[
        "analyze",
        "--format",
        "jsonl",
        "--out",
        &out.display().to_string(),
        &dir.path().display().to_string(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("no document could be read"), "{stderr}");
    assert!(!out.exists(), "no report is left behind");
}

#[test]
fn hostile_inputs_cost_only_themselves() {
    // Good articles between bad inputs of every kind: compressed streams cut short or
    // not compressed at all, a line over the size limit, NUL bytes and broken UTF-8 in a
    // line, broken JSON, an HTML page with no article, nested markup, a WARC record cut
    // short. Every good article must reach a story line; every bad input a skipped line.
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let good = |id: &str, town: &str, figure: usize| {
        format!(
            r#"{{"id": "{id}", "title": "Bridge closes in {town}", "text": "The old bridge in {town} closed on Tuesday after engineers found cracks in {figure} of its supports, the council said.\n\nRepairs are expected to take until spring."}}"#
        )
    };
    let mut feed = String::new();
    feed.push_str(&good("good-1", "Belozar", 3));
    feed.push('\n');
    feed.push_str(&format!(
        r#"{{"id": "huge", "text": "{}"}}"#,
        "word ".repeat(40_000)
    ));
    feed.push('\n');
    feed.push_str("{\"id\": \"nul\", \"text\": \"a\u{0}b\"\n");
    feed.push_str("{\"id\": \"not json\" \"text\"}\n");
    feed.push_str(&good("good-2", "Marvenna", 5));
    feed.push('\n');
    std::fs::write(root.join("feed.jsonl"), feed.as_bytes()).expect("write");
    let mut bad_utf8 = good("good-3", "Kestrel", 7).into_bytes();
    bad_utf8.push(b'\n');
    bad_utf8.extend_from_slice(b"{\"id\": \"bytes\", \"text\": \"\xff\xfe\xfd\"\n");
    std::fs::write(root.join("bytes.jsonl"), &bad_utf8).expect("write");
    // A gzip stream cut in the middle, and a file that only claims to be compressed.
    let mut gz = Vec::new();
    {
        let mut encoder = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
        for i in 0..50 {
            writeln!(encoder, "{}", good(&format!("gz-{i}"), "Dunmore", i)).expect("gzip");
        }
        encoder.finish().expect("gzip");
    }
    std::fs::write(root.join("cut.jsonl.gz"), &gz[..gz.len() / 2]).expect("write");
    std::fs::write(
        root.join("fake.jsonl.zst"),
        [0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3],
    )
    .expect("write");
    std::fs::write(
        root.join("nav.html"),
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    )
    .expect("write");
    std::fs::write(
        root.join("nested.html"),
        format!(
            "<html><body>{}<p>The dam above Velling held on Sunday, engineers said, after a week of rain.</p>{}</body></html>",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        ),
    )
    .expect("write");
    std::fs::write(
        root.join("cut.warc"),
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/a\r\nContent-Length: 5000\r\n\r\nHTTP/1.1 200 OK\r\n",
    )
    .expect("write");

    let (code, stdout, stderr) = run(&[
        "analyze",
        "--format",
        "jsonl",
        "--max-document-bytes",
        "100000",
        &root.display().to_string(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines = lines(&stdout);
    let ids: BTreeSet<&str> = of_kind(&lines, "story")
        .iter()
        .flat_map(|line| line["story"]["documents"].as_array().expect("ids"))
        .map(|id| id.as_str().expect("id"))
        .collect();
    for id in ["good-1", "good-2", "good-3"] {
        assert!(ids.contains(id), "{id} lost: {ids:?}\n{stderr}");
    }
    assert!(!ids.contains("huge") && !ids.contains("nul"), "{ids:?}");
    let skipped: Vec<(String, String)> = of_kind(&lines, "skipped")
        .iter()
        .map(|line| {
            let source = line["skipped"]["source"].as_str().expect("source");
            let name = Path::new(source)
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (
                name,
                line["skipped"]["reason"]
                    .as_str()
                    .expect("reason")
                    .to_string(),
            )
        })
        .collect();
    let reason = |name: &str| {
        skipped
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("no skipped line for {name}: {skipped:?}"))
    };
    assert!(reason("feed.jsonl:2").contains("size limit"));
    assert!(reason("feed.jsonl:4").starts_with("malformed JSON"));
    assert!(
        reason("cut.jsonl.gz").contains("gzip"),
        "{}",
        reason("cut.jsonl.gz")
    );
    assert!(
        reason("fake.jsonl.zst").contains("zstd"),
        "{}",
        reason("fake.jsonl.zst")
    );
    assert!(!reason("nav.html").is_empty());
    // The deeply nested page is read (its tree capped) and kept, or skipped with a reason.
    assert!(
        ids.contains("nested") || skipped.iter().any(|(n, _)| n == "nested.html"),
        "nested.html lost"
    );
    assert!(
        reason("cut.warc#record1").contains("malformed record"),
        "{}",
        reason("cut.warc#record1")
    );
    // The part of the cut gzip stream before the cut is kept.
    assert!(ids.iter().any(|id| id.starts_with("gz-")), "{ids:?}");
    let summary = &lines.last().expect("lines")["summary"];
    assert_eq!(summary["skipped"], skipped.len());
    assert_eq!(summary["documents"], ids.len());
    // Each skipped input is said once on standard error too.
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("stemma: skipped"))
            .count(),
        skipped.len(),
        "{stderr}"
    );
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // A reader that stops after the first line (`| head -1`): stemma stops writing and
    // exits with success.
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("stemma"))
        .args(["analyze", "--format", "jsonl"])
        .arg(examples().join("story"))
        .arg(examples().join("other"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stemma runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a line");
    assert!(first.starts_with(r#"{"story":"#), "{first}");
    let output = child.wait_with_output().expect("stemma ends");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
