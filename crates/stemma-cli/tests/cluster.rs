//! `stemma cluster` run as a user runs it: the built binary on the demo corpus and on a
//! generated JSON Lines corpus large enough to take the candidate path (not the exhaustive
//! one for tiny inputs). The output must be the same bytes whatever the thread count and
//! whatever the order the inputs are given in.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn stemma(args: &[&str]) -> Run {
    let output = Command::cargo_bin("stemma")
        .expect("the stemma binary is built")
        .env("STEMMA_MODEL", "off")
        .args(args)
        .output()
        .expect("stemma runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// A JSON Lines corpus of `stories` stories, each a lead article, a copy with a new first
/// sentence, and a shortened version, plus unrelated single articles: words are drawn
/// from a fixed generator, so the file is the same on every run.
fn write_corpus(path: &Path, stories: usize, singles: usize) {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let vocabulary: Vec<String> = (0..3000).map(|i| format!("w{i:04x}")).collect();
    let mut article = |words: usize| -> Vec<String> {
        (0..words)
            .map(|_| vocabulary[(next() % vocabulary.len() as u64) as usize].clone())
            .collect()
    };
    let mut file = std::fs::File::create(path).expect("corpus file");
    let mut line = |id: String, words: &[String]| {
        let text: Vec<String> = words
            .chunks(12)
            .map(|c| format!("{}.", c.join(" ")))
            .collect();
        let record =
            serde_json::json!({"id": id, "title": format!("Story {id}"), "text": text.join(" ")});
        writeln!(file, "{record}").expect("write");
    };
    for s in 0..stories {
        let words = article(240);
        line(format!("story{s:03}-lead"), &words);
        let mut copy = article(12);
        copy.extend_from_slice(&words[12..]);
        line(format!("story{s:03}-copy"), &copy);
        line(format!("story{s:03}-short"), &words[..150]);
    }
    for s in 0..singles {
        line(format!("single{s:03}"), &article(200));
    }
}

fn stories(output: &str) -> Vec<(String, Vec<String>)> {
    output
        .lines()
        .map(|line| {
            let story: Value = serde_json::from_str(line).expect("a JSON line");
            let id = story["story"].as_str().expect("story id").to_string();
            let documents = story["documents"]
                .as_array()
                .expect("documents")
                .iter()
                .map(|d| d.as_str().expect("id").to_string())
                .collect();
            (id, documents)
        })
        .collect()
}

#[test]
fn same_bytes_whatever_threads_and_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus, 80, 100);
    let story = examples().join("story");
    let other = examples().join("other");
    let (corpus, story, other) = (
        corpus.to_str().expect("utf-8 path"),
        story.to_str().expect("utf-8 path"),
        other.to_str().expect("utf-8 path"),
    );
    let one = stemma(&["cluster", "--threads", "1", corpus, story, other]);
    let two = stemma(&["cluster", "--threads", "2", corpus, story, other]);
    let reordered = stemma(&["cluster", "--threads", "2", other, story, corpus]);
    for run in [&one, &two, &reordered] {
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
    }
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, reordered.stdout);
    // The line as SPEC writes it: the story, then its documents.
    let first = one.stdout.lines().next().expect("a story");
    assert!(
        first.starts_with(r#"{"story":"s1","documents":[""#) && first.ends_with("]}"),
        "{first}"
    );

    let found = stories(&one.stdout);
    // Every document exactly once, stories numbered in order of their first document id.
    let mut seen = BTreeSet::new();
    for (k, (id, documents)) in found.iter().enumerate() {
        assert_eq!(id, &format!("s{}", k + 1));
        let mut sorted = documents.clone();
        sorted.sort();
        assert_eq!(&sorted, documents, "members ordered by id");
        for d in documents {
            assert!(seen.insert(d.clone()), "{d} in two stories");
        }
    }
    assert_eq!(seen.len(), 80 * 3 + 100 + 10);
    let firsts: Vec<&String> = found.iter().map(|(_, d)| &d[0]).collect();
    let mut sorted_firsts = firsts.clone();
    sorted_firsts.sort();
    assert_eq!(firsts, sorted_firsts);

    // The planted stories are found whole, and nothing else is joined to them.
    for s in 0..80 {
        let expected: Vec<String> = ["copy", "lead", "short"]
            .iter()
            .map(|v| format!("story{s:03}-{v}"))
            .collect();
        assert!(
            found.iter().any(|(_, d)| d == &expected),
            "story {s} not found whole: {:?}",
            found.iter().find(|(_, d)| d.contains(&expected[1]))
        );
    }
    let demo: Vec<&str> = vec![
        "edit",
        "expansion",
        "original",
        "paraphrase",
        "paraphrase-repost",
        "repost",
        "summary",
    ];
    assert!(found.iter().any(|(_, d)| d == &demo), "{found:?}");
    assert!(found.iter().any(|(_, d)| d == &["similar-event"]));
}

#[test]
fn learned_score_finds_the_planted_stories_and_the_demo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus, 20, 30);
    let (story, other) = (examples().join("story"), examples().join("other"));
    let args = [
        "cluster",
        "--score",
        "learned",
        corpus.to_str().expect("utf-8 path"),
        story.to_str().expect("utf-8 path"),
        other.to_str().expect("utf-8 path"),
    ];
    let run = stemma(&args);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let found = stories(&run.stdout);
    for s in 0..20 {
        let expected: Vec<String> = ["copy", "lead", "short"]
            .iter()
            .map(|v| format!("story{s:03}-{v}"))
            .collect();
        assert!(
            found.iter().any(|(_, d)| d == &expected),
            "story {s}: {found:?}"
        );
    }
    assert_eq!(found.len(), 20 + 30 + 4, "{found:?}");
    assert!(found.iter().any(|(_, d)| d == &["similar-event"]));
    let bad = stemma(&[
        "cluster",
        "--score",
        "guess",
        story.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(bad.status, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("guess"), "{}", bad.stderr);
}

#[test]
fn writes_to_a_file_and_reports_skips() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("stories.jsonl");
    let missing = dir.path().join("missing.txt");
    let story = examples().join("story");
    let run = stemma(&[
        "cluster",
        story.to_str().expect("utf-8"),
        missing.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].contains("missing.txt") && lines[0].contains("no such file"));
    let written = std::fs::read_to_string(&out).expect("output file");
    assert_eq!(stories(&written).len(), 1, "{written}");
}

#[test]
fn nothing_readable_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").expect("write");
    let run = stemma(&["cluster", empty.to_str().expect("utf-8")]);
    assert_eq!(run.status, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("empty file"), "{}", run.stderr);
    let usage = stemma(&["cluster"]);
    assert_eq!(usage.status, 2);
}
