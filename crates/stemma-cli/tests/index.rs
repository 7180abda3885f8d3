//! `stemma index` run as a user runs it: the built binary on a real index file. The
//! stories of an index grown in any number of batches, in any order, are the bytes
//! `stemma cluster` writes for all the documents at once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn stemma(args: &[&str]) -> Run {
    let output = Command::cargo_bin("stemma")
        .expect("the stemma binary is built")
        .env("STEMMA_MODEL", "off")
        .env_remove("STEMMA_INDEX")
        .args(args)
        .timeout(Duration::from_secs(300))
        .output()
        .expect("stemma runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs stemma and requires success.
fn ok(args: &[&str]) -> String {
    let run = stemma(args);
    assert_eq!(run.status, 0, "stemma {args:?}: {}", run.stderr);
    run.stdout
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Writes the lines `lines[k]` for each `k` of `picks` to a new JSON Lines file.
fn write_lines(path: &Path, lines: &[&str], picks: impl Iterator<Item = usize>) {
    let mut file = std::fs::File::create(path).expect("a batch file");
    for k in picks {
        writeln!(file, "{}", lines[k]).expect("written");
    }
}

/// The benchmark corpus of `bench/make_corpus.py` (planted versions of BBC articles among
/// filler), when the development data is there; under CI its absence is a failure.
fn bench_corpus(dir: &Path, docs: usize) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bbc = root.join("../shared/data/bbc-news/articles.jsonl");
    if !bbc.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is needed under CI",
            bbc.display()
        );
        eprintln!("skipping: {} not found", bbc.display());
        return None;
    }
    let out = dir.join("corpus.jsonl");
    let status = std::process::Command::new("python3")
        .arg(root.join("bench/make_corpus.py"))
        .args(["--docs", &docs.to_string(), "--seed", "11", "--jobs", "2"])
        .arg("--out")
        .arg(&out)
        .arg("--truth")
        .arg(dir.join("truth.json"))
        .arg("--bbc")
        .arg(&bbc)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "make_corpus.py failed");
    Some(out)
}

#[test]
fn batches_in_any_split_and_order_give_the_stories_of_cluster() {
    let dir = tempfile::tempdir().expect("a directory");
    let Some(corpus) = bench_corpus(dir.path(), 3000) else {
        return;
    };
    let all = std::fs::read_to_string(&corpus).expect("the corpus");
    let lines: Vec<&str> = all.lines().collect();
    let expected = ok(&["cluster", text(&corpus)]);
    assert!(expected.lines().count() > 500, "{expected}");
    let n = lines.len();
    // (name, batches): each batch the line numbers it holds, added in the order listed.
    let splits: Vec<(&str, Vec<Vec<usize>>)> = vec![
        (
            "halves, second first",
            vec![(n / 2..n).collect(), (0..n / 2).collect()],
        ),
        (
            "ten contiguous, last first",
            (0..10)
                .rev()
                .map(|b| (b * n / 10..(b + 1) * n / 10).collect())
                .collect(),
        ),
        (
            "seven interleaved",
            (0..7).map(|b| (b..n).step_by(7).collect()).collect(),
        ),
        (
            "one document, then the rest",
            vec![vec![n / 3], (0..n).filter(|&k| k != n / 3).collect()],
        ),
    ];
    for (name, batches) in splits {
        let index = dir
            .path()
            .join(format!("{}.db", name.replace([' ', ','], "-")));
        for (b, batch) in batches.iter().enumerate() {
            let file = dir.path().join(format!("batch-{b}.jsonl"));
            write_lines(&file, &lines, batch.iter().copied());
            let summary = ok(&["index", "add", "--index", text(&index), text(&file)]);
            assert!(
                summary.starts_with(&format!(
                    "{} added, 0 revised, 0 unchanged, 0 skipped\n",
                    batch.len()
                )),
                "{name}: {summary}"
            );
        }
        let stories = ok(&["index", "stories", "--index", text(&index)]);
        assert!(
            stories == expected,
            "{name}: the stories differ from cluster's"
        );
    }
}

#[test]
fn the_demo_corpus_a_file_at_a_time() {
    let dir = tempfile::tempdir().expect("a directory");
    let index = dir.path().join("demo.db");
    let index = text(&index);
    let story = examples().join("story");
    let other = examples().join("other");
    let expected = ok(&["cluster", text(&story), text(&other)]);
    let mut files: Vec<PathBuf> = [&story, &other]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).expect("a folder"))
        .map(|entry| entry.expect("an entry").path())
        .collect();
    files.sort();
    // An order unlike the ids': every third file, round and round.
    let order: Vec<PathBuf> = (0..3)
        .flat_map(|start| files.iter().skip(start).step_by(3).cloned())
        .collect();
    for file in &order {
        ok(&["index", "add", "--index", index, text(file)]);
    }
    assert_eq!(ok(&["index", "stories", "--index", index]), expected);

    // The same documents again change nothing.
    let again = ok(&["index", "add", "--index", index, text(&story), text(&other)]);
    assert_eq!(
        again,
        "0 added, 0 revised, 10 unchanged, 0 skipped\n\
         index: 10 documents in 4 stories\n\
         no story grew\n"
    );
    let stats = ok(&["index", "stats", "--index", index]);
    assert!(
        stats.contains("documents:   10\nrevisions:   10\nbatches:     10 "),
        "{stats}"
    );
    assert!(
        stats.contains("stories:     4 (1 of several versions, the largest 7)"),
        "{stats}"
    );

    // Filters pick lines out of the same numbering.
    assert_eq!(
        ok(&[
            "index",
            "stories",
            "--index",
            index,
            "--containing",
            "unrelated-1"
        ]),
        "{\"story\":\"s3\",\"documents\":[\"unrelated-1\"]}\n"
    );
    assert_eq!(
        ok(&["index", "stories", "--index", index, "--min-versions", "2"]),
        expected.lines().next().expect("a line").to_string() + "\n"
    );
    assert_eq!(
        ok(&[
            "index",
            "stories",
            "--index",
            index,
            "--since",
            "2000-01-01"
        ]),
        expected
    );
    assert_eq!(
        ok(&[
            "index",
            "stories",
            "--index",
            index,
            "--since",
            "2999-01-01T00:00:00Z"
        ]),
        ""
    );
    let bad = stemma(&["index", "stories", "--index", index, "--since", "yesterday"]);
    assert_eq!(bad.status, 1);
    assert!(
        bad.stderr.contains("cannot read \"yesterday\" as a date"),
        "{}",
        bad.stderr
    );

    // The report of a story is the report `analyze` gives for its documents.
    let report: serde_json::Value = serde_json::from_str(&ok(&[
        "index", "analyze", "s1", "--index", index, "--format", "json",
    ]))
    .expect("JSON");
    let direct: serde_json::Value =
        serde_json::from_str(&ok(&["analyze", text(&story), "--format", "json"])).expect("JSON");
    assert_eq!(report["stories"], direct["stories"]);
    assert_eq!(report["documents"].as_array().map(Vec::len), Some(7));
    let missing = stemma(&["index", "analyze", "s9", "--index", index]);
    assert_eq!(missing.status, 1);
    assert!(
        missing
            .stderr
            .contains("no story s9 in the index (it has s1 to s4)"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_changed_text_is_a_new_revision() {
    let dir = tempfile::tempdir().expect("a directory");
    let index = dir.path().join("revisions.db");
    let index = text(&index);
    let story = examples().join("story");
    ok(&["index", "add", "--index", index, text(&story)]);
    // The summary, rewritten as an unrelated note: it leaves the story.
    let changed = dir.path().join("summary.txt");
    std::fs::write(
        &changed,
        "Choir practice moves\n\nThe village choir of Lowmere will practise on Tuesdays \
         from next month, its conductor said, because the hall is booked on Thursdays.",
    )
    .expect("written");
    let summary = ok(&["index", "add", "--index", index, text(&changed)]);
    assert_eq!(
        summary,
        "0 added, 1 revised, 0 unchanged, 0 skipped\nindex: 7 documents in 2 stories\nno story grew\n"
    );
    let mut expected_inputs: Vec<String> = std::fs::read_dir(&story)
        .expect("a folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| !p.ends_with("summary.txt"))
        .map(|p| text(&p).to_string())
        .collect();
    expected_inputs.push(text(&changed).to_string());
    let mut args = vec!["cluster"];
    args.extend(expected_inputs.iter().map(String::as_str));
    assert_eq!(ok(&["index", "stories", "--index", index]), ok(&args));
    let stats = ok(&["index", "stats", "--index", index]);
    assert!(
        stats.contains("documents:   7\nrevisions:   8\n"),
        "{stats}"
    );
}

#[test]
fn files_that_are_not_a_current_index_are_refused() {
    let dir = tempfile::tempdir().expect("a directory");
    let newer = dir.path().join("newer.db");
    ok(&[
        "index",
        "add",
        "--index",
        text(&newer),
        text(&examples().join("other")),
    ]);
    {
        let conn = rusqlite::Connection::open(&newer).expect("opened");
        conn.pragma_update(None, "user_version", 99).expect("set");
    }
    let run = stemma(&["index", "stats", "--index", text(&newer)]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("was written by a newer stemma (index schema 99;"),
        "{}",
        run.stderr
    );

    let not_sqlite = dir.path().join("notes.db");
    std::fs::write(&not_sqlite, "these are notes, not a database\n".repeat(100)).expect("written");
    let run = stemma(&["index", "stats", "--index", text(&not_sqlite)]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("is not a stemma index"),
        "{}",
        run.stderr
    );

    let missing = dir.path().join("missing.db");
    let run = stemma(&["index", "stories", "--index", text(&missing)]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("no index at"), "{}", run.stderr);
    assert!(!missing.exists());

    // STEMMA_INDEX names the file when --index does not.
    let output = Command::cargo_bin("stemma")
        .expect("built")
        .env("STEMMA_INDEX", &newer)
        .args(["index", "stats"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&output.stderr).contains("newer stemma"));
}
