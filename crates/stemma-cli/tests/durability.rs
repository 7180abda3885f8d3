//! Durability: a real `stemma index add` or `stemma serve` killed with SIGKILL at various
//! moments leaves an index that opens, holds every batch committed before the kill (and
//! nothing of the batch cut short), and takes the same batch again without duplicates.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// Moments after the start at which the process is killed: before it has read anything,
/// while it reads, around the commit, while it clusters.
const KILL_AFTER_MS: [u64; 6] = [0, 60, 250, 600, 1200, 2500];

/// Runs stemma to completion (at most five minutes) and returns its standard output.
fn ok(args: &[&str]) -> String {
    let output = assert_cmd::Command::cargo_bin("stemma")
        .expect("built")
        .env("STEMMA_MODEL", "off")
        .args(args)
        .timeout(Duration::from_secs(300))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "stemma {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A JSON Lines corpus of `stories` planted stories (a lead, a copy with a new opening, a
/// shortened version) and `singles` unrelated articles, ids prefixed by `prefix`; words
/// from a fixed generator, so the file is the same on every run.
fn write_corpus(path: &Path, prefix: &str, seed: u64, stories: usize, singles: usize) {
    let mut state = seed | 1;
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
    let mut file = std::fs::File::create(path).expect("a corpus file");
    let mut line = |id: String, words: &[String]| {
        let text: Vec<String> = words
            .chunks(12)
            .map(|c| format!("{}.", c.join(" ")))
            .collect();
        let record =
            serde_json::json!({"id": id, "title": format!("Story {id}"), "text": text.join(" ")});
        writeln!(file, "{record}").expect("written");
    };
    for s in 0..stories {
        let words = article(240);
        line(format!("{prefix}story{s:04}-lead"), &words);
        let mut copy = article(12);
        copy.extend_from_slice(&words[12..]);
        line(format!("{prefix}story{s:04}-copy"), &copy);
        line(format!("{prefix}story{s:04}-short"), &words[..150]);
    }
    for s in 0..singles {
        line(format!("{prefix}single{s:04}"), &article(200));
    }
}

/// The number in a line `label N` of `index stats`.
fn stat(stats: &str, label: &str) -> usize {
    stats
        .lines()
        .find_map(|line| line.strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {label} in {stats}"))
}

#[test]
fn a_killed_index_add_loses_only_its_own_batch() {
    let dir = tempfile::tempdir().expect("a directory");
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.jsonl");
    write_corpus(&first, "a-", 0x9e37_79b9, 30, 60);
    write_corpus(&second, "b-", 0x2545_f491, 600, 1200);
    let (first, second) = (
        first.to_str().expect("UTF-8"),
        second.to_str().expect("UTF-8"),
    );
    let n_first = 30 * 3 + 60;
    let n_second = 600 * 3 + 1200;
    let only_first = ok(&["cluster", first]);
    let both = ok(&["cluster", first, second]);
    for (round, wait) in KILL_AFTER_MS.iter().enumerate() {
        let index = dir.path().join(format!("killed-{round}.db"));
        let index = index.to_str().expect("UTF-8");
        ok(&["index", "add", "--index", index, first]);
        let mut child = Command::new(support::binary())
            .args(["index", "add", "--index", index, second])
            .env("STEMMA_MODEL", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("stemma index add starts");
        std::thread::sleep(Duration::from_millis(*wait));
        child.kill().expect("killed");
        child.wait().expect("reaped");

        // The file opens and holds the first batch whole, and the second whole or not at all.
        let stats = ok(&["index", "stats", "--index", index]);
        let documents = stat(&stats, "documents:");
        assert!(
            documents == n_first || documents == n_first + n_second,
            "{stats}"
        );
        assert_eq!(stat(&stats, "revisions:"), documents, "{stats}");
        let committed = documents == n_first + n_second;
        eprintln!(
            "killed after {wait} ms: the batch was {}",
            if committed { "kept" } else { "lost" }
        );
        let stories = ok(&["index", "stories", "--index", index]);
        assert!(
            &stories == if committed { &both } else { &only_first },
            "round {round}"
        );

        // The batch again: added if it was lost, unchanged if it was kept; no duplicates.
        let again = ok(&["index", "add", "--index", index, second]);
        let expected = if committed {
            format!("0 added, 0 revised, {n_second} unchanged, 0 skipped\n")
        } else {
            format!("{n_second} added, 0 revised, 0 unchanged, 0 skipped\n")
        };
        assert!(again.starts_with(&expected), "round {round}: {again}");
        let stats = ok(&["index", "stats", "--index", index]);
        assert_eq!(stat(&stats, "documents:"), n_first + n_second);
        assert_eq!(stat(&stats, "revisions:"), n_first + n_second);
        assert_eq!(ok(&["index", "stories", "--index", index]), both);
    }
}

#[test]
fn stories_left_behind_by_a_kill_are_recomputed() {
    // A writer killed after its batch committed but before its stories were stored leaves
    // stories older than the documents; readers compute the current ones instead.
    let dir = tempfile::tempdir().expect("a directory");
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus, "", 7, 20, 20);
    let corpus = corpus.to_str().expect("UTF-8");
    let index = dir.path().join("stale.db");
    let index_arg = index.to_str().expect("UTF-8");
    ok(&["index", "add", "--index", index_arg, corpus]);
    {
        let conn = rusqlite::Connection::open(&index).expect("opened");
        conn.execute(
            "UPDATE state SET value = 0 WHERE key = 'stories_generation'",
            [],
        )
        .expect("updated");
        conn.execute("DELETE FROM stories", []).expect("deleted");
    }
    assert_eq!(
        ok(&["index", "stories", "--index", index_arg]),
        ok(&["cluster", corpus])
    );
}

#[test]
fn a_killed_server_keeps_every_committed_batch() {
    let dir = tempfile::tempdir().expect("a directory");
    let index = dir.path().join("served.db");
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus, "", 0x51_7cc1, 400, 800);
    let batch = std::fs::read_to_string(&corpus).expect("the corpus");
    let n = 400 * 3 + 800;
    let http = support::client();
    let generation_of = |server: &support::Server| -> u64 {
        let health: Value = http
            .get(format!("{}/healthz", server.url))
            .send()
            .expect("answered")
            .json()
            .expect("JSON");
        health["generation"].as_u64().expect("a generation")
    };
    let mut big_batch_in = false;
    let waits = [0, 150, 600, 1500];
    for wait in waits {
        let mut server = support::Server::start(&index, &[]);
        // A small batch that commits, then the large one, cut short by the kill.
        let small = format!(
            "{{\"id\": \"note-{wait}\", \"text\": \"A short note number {wait} about the weather in Lowmere.\"}}"
        );
        let added: Value = http
            .post(format!("{}/documents", server.url))
            .body(small)
            .send()
            .expect("answered")
            .json()
            .expect("JSON");
        assert_eq!(added["added"], 1);
        let after_small = generation_of(&server);
        let url = format!("{}/documents", server.url);
        let body = batch.clone();
        let poster = std::thread::spawn(move || {
            support::client()
                .post(url)
                .body(body)
                .send()
                .map(|r| r.status())
        });
        std::thread::sleep(Duration::from_millis(wait));
        server.kill();
        let answered = poster.join().expect("the client thread");

        let server = support::Server::start(&index, &[]);
        let generation = generation_of(&server);
        let kept = generation == after_small + 1;
        if big_batch_in {
            // Offered again, it changed nothing, so it committed nothing.
            assert_eq!(generation, after_small);
        } else {
            assert!(kept || generation == after_small, "generation {generation}");
            // An answer of 200 means committed; without an answer it may be either.
            if matches!(answered, Ok(status) if status == reqwest::StatusCode::OK) {
                assert!(kept);
            }
        }
        let again: Value = http
            .post(format!("{}/documents", server.url))
            .body(batch.clone())
            .send()
            .expect("answered")
            .json()
            .expect("JSON");
        let expected_added = if big_batch_in || kept { 0 } else { n };
        assert_eq!(again["added"], expected_added, "{again}");
        assert_eq!(again["unchanged"], n - expected_added, "{again}");
        big_batch_in = true;
    }
    let stats = ok(&["index", "stats", "--index", index.to_str().expect("UTF-8")]);
    assert_eq!(stat(&stats, "documents:"), n + waits.len());
    assert_eq!(stat(&stats, "revisions:"), n + waits.len());
}

#[test]
fn readers_do_not_wait_for_a_batch_being_written() {
    let dir = tempfile::tempdir().expect("a directory");
    let index = dir.path().join("busy.db");
    let index_arg = index.to_str().expect("UTF-8");
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus, "", 3, 10, 10);
    let corpus = corpus.to_str().expect("UTF-8");
    ok(&["index", "add", "--index", index_arg, corpus]);
    let before = ok(&["index", "stories", "--index", index_arg]);
    let server = support::Server::start(&index, &[]);

    // A batch read from standard input holds its transaction open until the input ends.
    let mut writer = Command::new(support::binary())
        .args(["index", "add", "--index", index_arg, "-"])
        .env("STEMMA_MODEL", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("stemma index add starts");
    let mut input = writer.stdin.take().expect("its input");
    writeln!(
        input,
        "{}",
        serde_json::json!({"id": "late", "text": "A late note about the weather in Lowmere on Tuesday."})
    )
    .expect("written");
    input.flush().expect("flushed");
    // Wait (a minute at most) until the writer holds the write lock.
    let probe = rusqlite::Connection::open(&index).expect("opened");
    let mut held = false;
    for _ in 0..600 {
        match probe.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy =>
            {
                held = true;
                break;
            }
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    assert!(held, "the writer never took the write lock");

    // Readers, the command line's and the server's, answer meanwhile with what was committed.
    assert_eq!(ok(&["index", "stories", "--index", index_arg]), before);
    let stories: Value = support::client()
        .get(format!("{}/stories", server.url))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(stories["generation"], 1);
    assert!(
        writer.try_wait().expect("a status").is_none(),
        "the writer is still writing"
    );

    drop(input);
    let mut status = None;
    for _ in 0..1200 {
        status = writer.try_wait().expect("a status");
        if status.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let Some(status) = status else {
        let _ = writer.kill();
        panic!("the writer did not end within two minutes of its input");
    };
    assert!(status.success());
    let mut summary = String::new();
    std::io::Read::read_to_string(&mut writer.stdout.take().expect("its output"), &mut summary)
        .expect("read");
    assert!(
        summary.starts_with("1 added, 0 revised, 0 unchanged, 0 skipped\n"),
        "{summary}"
    );
    let stories: Value = support::client()
        .get(format!("{}/stories?containing=late", server.url))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(stories["generation"], 2);
    assert_eq!(
        stories["stories"][0]["documents"],
        serde_json::json!(["late"])
    );
}
