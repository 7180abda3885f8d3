//! A hostile corpus, read in one run as a user would point stemma at a crawl: pages written
//! to break a reader beside good documents of every format, all generated in a temporary
//! directory (nothing large is checked in).
//!
//! The hostile part: 200,000 nested `<div>`s, a 3 MB page, a 10 MB line without a full
//! stop, NUL bytes, broken UTF-8 and broken JSON in JSON Lines, truncated WARC records
//! (plain and gzip), gzip and zstd bombs (a document past the size limit, a JSON Lines
//! stream past the bomb ratio), symbolic link loops and a broken link, a named pipe, an
//! unreadable file, and a directory of 100,000 tiny files. `inspect --format json` and
//! `cluster` each run once over all of it under a time guard that kills the process and
//! fails the test if it hangs: every good document is kept, every bad input is listed
//! under `skipped` with its reason, and every kept document is in exactly one story.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one run may take before it counts as a hang. The release build reads the
/// corpus in seconds; the bound leaves room for a debug build on a busy machine.
const HANG: Duration = Duration::from_secs(120);

/// How many tiny files the big directory holds.
const TINY_FILES: usize = 100_000;

/// The most memory one run may hold (the bound for the hostile corpus).
const PEAK_BYTES: u64 = 1 << 30;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
    /// The process's peak resident memory as last read from `/proc` (Linux only).
    peak_bytes: Option<u64>,
}

/// A process's peak resident memory so far (`VmHWM`), on Linux.
fn peak_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Runs `stemma ARGS…`, output to files (a pipe that fills up would stall the process),
/// and kills it if it is still running after [`HANG`].
fn stemma_guarded(dir: &Path, args: &[&str]) -> Run {
    let stdout_path = dir.join("stdout");
    let stderr_path = dir.join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("stemma runs");
    let started = Instant::now();
    let mut peak_bytes = None;
    let status = loop {
        // Read before the exit check: a process that has exited has no memory figures.
        peak_bytes = peak_of(child.id()).or(peak_bytes);
        if let Some(status) = child.try_wait().expect("wait for stemma") {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("stemma {args:?} still running after {HANG:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        status: status.code().expect("stemma exits, not killed by a signal"),
        stdout: std::fs::read_to_string(&stdout_path).expect("stdout is UTF-8"),
        stderr: std::fs::read_to_string(&stderr_path).expect("stderr is UTF-8"),
        peak_bytes,
    }
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("directory");
    }
    std::fs::write(path, bytes).expect("write");
}

/// A small deterministic generator, so the corpus is the same on every run.
struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut text: Vec<String> = (0..words)
            .map(|_| format!("w{:04x}", self.next() % 5000))
            .collect();
        text[0] = format!("Word{}", self.next() % 1000);
        format!("{}.", text.join(" "))
    }

    fn article(&mut self, sentences: usize) -> String {
        (0..sentences)
            .map(|_| self.sentence(14))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><article>\
         <h1>{title}</h1><p>{body}</p></article></body></html>"
    )
}

fn warc_record(uri: &str, html: &str, claimed_extra: usize) -> Vec<u8> {
    let payload =
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\n\
         WARC-Date: 2025-11-20T08:00:00Z\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        payload.len() + claimed_extra
    )
    .into_bytes();
    record.extend_from_slice(payload.as_bytes());
    if claimed_extra == 0 {
        record.extend_from_slice(b"\r\n\r\n");
    }
    record
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("compress");
    encoder.finish().expect("compress")
}

/// A gzip stream of `mib` MiB of one repeated byte, as one small member repeated: members
/// concatenate, and one member is all the compressing the test does.
fn gzip_bomb(mib: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![b'a'; 1 << 20]).expect("compress");
    encoder.finish().expect("compress").repeat(mib)
}

/// The same as a zstd stream: frames concatenate too.
fn zstd_bomb(prefix: &[u8], mib: usize) -> Vec<u8> {
    let mut out = zstd::encode_all(prefix, 3).expect("compress");
    let frame = zstd::encode_all(&vec![b'a'; 1 << 20][..], 3).expect("compress");
    for _ in 0..mib {
        out.extend_from_slice(&frame);
    }
    out
}

/// What the corpus is expected to give.
#[derive(Default)]
struct Expected {
    /// Ids of the documents that must be read.
    kept: BTreeSet<String>,
    /// Sources (relative to the corpus directory) that must be skipped, with a piece of
    /// the reason.
    skipped: BTreeMap<String, &'static str>,
}

fn build_corpus(root: &Path) -> Expected {
    let mut words = Words(0x9e37_79b9_7f4a_7c15);
    let mut expected = Expected::default();
    let mut keep = |id: &str| {
        expected.kept.insert(id.to_string());
    };

    // Good documents of every format, compressed or not.
    write(
        &root.join("good/plain.txt"),
        format!("Plain title\n\n{}\n", words.article(6)),
    );
    keep("plain");
    write(
        &root.join("good/front.md"),
        format!(
            "---\ntitle: Front matter\ndate: 2025-11-20\n---\n\n{}\n",
            words.article(6)
        ),
    );
    keep("front");
    write(
        &root.join("good/page.html"),
        html_page("A page", &words.article(8)),
    );
    keep("page");
    write(
        &root.join("good/packed.txt.gz"),
        gzip(format!("Packed\n\n{}\n", words.article(6)).as_bytes()),
    );
    keep("packed");
    write(
        &root.join("good/squeezed.html.zst"),
        zstd::encode_all(html_page("Squeezed", &words.article(8)).as_bytes(), 3).expect("compress"),
    );
    keep("squeezed");
    let mut archive = warc_record(
        "https://news.example/one",
        &html_page("One", &words.article(8)),
        0,
    );
    archive.extend(warc_record(
        "https://news.example/two",
        &html_page("Two", &words.article(8)),
        0,
    ));
    write(&root.join("good/crawl.warc"), &archive);
    keep("https://news.example/one");
    keep("https://news.example/two");

    // Pages written to make a reader work: kept, and read in bounded time.
    let nested = 200_000;
    write(
        &root.join("hostile/nested.html"),
        format!(
            "<html><body>{}<p>{}</p>{}</body></html>",
            "<div>".repeat(nested),
            words.article(4),
            "</div>".repeat(nested)
        ),
    );
    keep("nested");
    let paragraphs: Vec<String> = (0..20_000)
        .map(|_| format!("<p>{}</p>", words.sentence(20)))
        .collect();
    write(
        &root.join("hostile/huge.html"),
        html_page("Huge", &paragraphs.join("\n")),
    );
    keep("huge");
    let long_line: String = (0..2_100_000)
        .map(|i| format!("w{:03x} ", i % 4000))
        .collect();
    assert!(long_line.len() > 10_000_000);
    write(&root.join("hostile/line.txt"), format!("{long_line}\n"));
    keep("line");

    // JSON Lines with good lines among broken ones: the good lines are kept, each broken
    // line skipped by its line number.
    let mut lines = Vec::new();
    lines.extend(
        serde_json::json!({"id": "jsonl-good-1", "text": words.article(5)})
            .to_string()
            .into_bytes(),
    );
    lines.extend(b"\n{\"id\": \"broken\", \"text\": \"no closing quote}\n");
    lines.extend(
        b"{\"id\": \"latin\", \"text\": \"Caf\xe9 owners in S\xe3o Paulo said the rent rose.\"}\n",
    );
    lines.extend(b"\x00\x00\x00\n");
    lines.extend(b"{\"id\": \"no-text\"}\n");
    lines.extend(
        serde_json::json!({"id": "jsonl-good-2", "text": words.article(5)})
            .to_string()
            .into_bytes(),
    );
    lines.push(b'\n');
    write(&root.join("hostile/mixed.jsonl"), &lines);
    keep("jsonl-good-1");
    keep("latin");
    keep("jsonl-good-2");
    expected
        .skipped
        .insert("hostile/mixed.jsonl:2".into(), "malformed JSON");
    expected
        .skipped
        .insert("hostile/mixed.jsonl:4".into(), "malformed JSON");
    expected
        .skipped
        .insert("hostile/mixed.jsonl:5".into(), "no `text`");

    // Truncated WARC records: the records before the cut are kept.
    let mut truncated = warc_record(
        "https://news.example/before-cut",
        &html_page("Before", &words.article(8)),
        0,
    );
    truncated.extend(warc_record(
        "https://news.example/cut",
        &html_page("Cut", &words.article(8)),
        5000,
    ));
    write(&root.join("hostile/truncated.warc"), &truncated);
    keep("https://news.example/before-cut");
    expected
        .skipped
        .insert("hostile/truncated.warc#record2".into(), "truncated record");
    let mut truncated_gz = gzip(&warc_record(
        "https://news.example/gz-before-cut",
        &html_page("Before", &words.article(8)),
        0,
    ));
    let second = gzip(&warc_record(
        "https://news.example/gz-cut",
        &html_page("Cut", &words.article(8)),
        0,
    ));
    truncated_gz.extend_from_slice(&second[..second.len() / 2]);
    write(&root.join("hostile/truncated.warc.gz"), &truncated_gz);
    keep("https://news.example/gz-before-cut");
    expected
        .skipped
        .insert("hostile/truncated.warc.gz#record2".into(), "truncated");

    // Compression bombs: one document past the size limit, one container stream past the
    // bomb ratio.
    write(&root.join("hostile/bomb.txt.gz"), gzip_bomb(64));
    expected
        .skipped
        .insert("hostile/bomb.txt.gz".into(), "over the size limit");
    write(&root.join("hostile/bomb.txt.zst"), zstd_bomb(b"", 64));
    expected
        .skipped
        .insert("hostile/bomb.txt.zst".into(), "over the size limit");
    let first_line = serde_json::json!({"id": "before-bomb", "text": words.article(5)});
    let mut bomb_jsonl = zstd_bomb(format!("{first_line}\n").as_bytes(), 300);
    // The bomb's single line never ends: the document before it is kept.
    bomb_jsonl.extend(zstd::encode_all(&b"\n"[..], 3).expect("compress"));
    write(&root.join("hostile/bomb.jsonl.zst"), &bomb_jsonl);
    keep("before-bomb");
    expected
        .skipped
        .insert("hostile/bomb.jsonl.zst".into(), "compression bomb");
    write(&root.join("hostile/bomb.jsonl.gz"), gzip_bomb(300));
    expected
        .skipped
        .insert("hostile/bomb.jsonl.gz".into(), "compression bomb");

    // Bytes that are not text.
    let mut nul = b"Title\n\nSome words ".to_vec();
    nul.extend(vec![0u8; 4096]);
    write(&root.join("hostile/nul.txt"), &nul);
    expected
        .skipped
        .insert("hostile/nul.txt".into(), "binary file");
    write(&root.join("hostile/empty.txt"), "");
    expected
        .skipped
        .insert("hostile/empty.txt".into(), "empty file");
    write(
        &root.join("hostile/corrupt.txt.gz"),
        b"\x1f\x8b\x08\x00garbage",
    );
    expected
        .skipped
        .insert("hostile/corrupt.txt.gz".into(), "gzip stream");

    // Links: loops back up, a link to itself, a broken one, and a second way to a file
    // (read once, under its first path).
    #[cfg(unix)]
    {
        let links = root.join("links");
        std::fs::create_dir_all(links.join("deeper")).expect("directory");
        let link = |target: &str, at: &Path| {
            std::os::unix::fs::symlink(target, at).expect("symlink");
        };
        link("..", &links.join("deeper/up"));
        link("../..", &links.join("deeper/top"));
        link("self", &links.join("self"));
        link("nowhere.txt", &links.join("broken.txt"));
        link("../good/plain.txt", &links.join("plain-again.txt"));
        expected
            .skipped
            .insert("links/deeper/up".into(), "symbolic link loop");
        expected
            .skipped
            .insert("links/deeper/top".into(), "symbolic link loop");
        expected
            .skipped
            .insert("links/self".into(), "symbolic link loop");
        expected
            .skipped
            .insert("links/broken.txt".into(), "broken symbolic link");

        // A named pipe would block a reader forever: it is not a regular file.
        let fifo = root.join("hostile/pipe.txt");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            expected
                .skipped
                .insert("hostile/pipe.txt".into(), "not a regular file");
        }

        // A file without read permission. The superuser reads it anyway (CI runs as
        // root), so what is expected is whatever this process can do.
        use std::os::unix::fs::PermissionsExt;
        let locked = root.join("hostile/locked.txt");
        write(&locked, format!("Locked\n\n{}\n", words.article(5)));
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::File::open(&locked).is_ok() {
            keep("locked");
        } else {
            expected
                .skipped
                .insert("hostile/locked.txt".into(), "permission denied");
        }
    }

    // A directory of tiny files, a hundred folders of a thousand.
    for i in 0..TINY_FILES {
        let path = root.join(format!("tiny/d{:03}/t{i:06}.txt", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("directory");
        }
        std::fs::write(&path, words.sentence(8)).expect("write");
        keep(&format!("t{i:06}"));
    }
    expected
}

/// A source as the corpus directory names it.
fn relative(root: &Path, source: &str) -> String {
    let root = format!("{}/", root.display());
    source.strip_prefix(&root).unwrap_or(source).to_string()
}

#[test]
fn a_hostile_corpus_is_read_whole_in_bounded_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root: PathBuf = dir.path().join("corpus");
    let expected = build_corpus(&root);
    let root_arg = root.to_str().expect("utf-8 path");

    let inspect = stemma_guarded(dir.path(), &["inspect", "--format", "json", root_arg]);
    assert_eq!(inspect.status, 0, "{}", inspect.stderr);
    if let Some(peak) = inspect.peak_bytes {
        assert!(peak <= PEAK_BYTES, "inspect held {} MiB", peak >> 20);
    }
    let report: Value = serde_json::from_str(&inspect.stdout).expect("inspect JSON");

    let documents = report["documents"].as_array().expect("documents");
    let kept: BTreeSet<String> = documents
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(kept.len(), documents.len(), "ids are unique");
    let missing: Vec<&String> = expected.kept.difference(&kept).collect();
    assert!(missing.is_empty(), "good documents lost: {missing:?}");
    let unexpected: Vec<&String> = kept.difference(&expected.kept).collect();
    assert!(
        unexpected.is_empty(),
        "documents not planted: {unexpected:?}"
    );

    let skipped: BTreeMap<String, String> = report["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                relative(&root, s["source"].as_str().expect("source")),
                s["reason"].as_str().expect("reason").to_string(),
            )
        })
        .collect();
    for (source, reason) in &expected.skipped {
        let got = skipped
            .get(source)
            .unwrap_or_else(|| panic!("{source} not skipped; skipped: {skipped:#?}"));
        assert!(got.contains(reason), "{source}: {got:?} lacks {reason:?}");
    }
    let unplanned: Vec<(&String, &String)> = skipped
        .iter()
        .filter(|(source, _)| !expected.skipped.contains_key(*source))
        .collect();
    assert!(unplanned.is_empty(), "skipped without cause: {unplanned:?}");
    // Every skip is one line on standard error, naming its input.
    assert_eq!(
        inspect.stderr.lines().count(),
        skipped.len(),
        "{}",
        inspect.stderr
    );

    // The bounded pages were read, not cut to nothing.
    let document = |id: &str| {
        documents
            .iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let line = document("line");
    let sentences = line["sentences"].as_array().expect("sentences");
    assert!(sentences.len() > 3000, "{}", sentences.len());
    assert!(
        sentences
            .iter()
            .all(|s| s.as_str().expect("text").len() <= stemma::segment::MAX_SENTENCE_BYTES)
    );
    assert!(document("nested")["chars"].as_u64().expect("chars") > 200);
    assert!(document("huge")["chars"].as_u64().expect("chars") > 2_000_000);
    assert_eq!(
        document("latin")["sentences"][0],
        "Café owners in São Paulo said the rent rose."
    );

    // Clustering reads the same documents and puts each in exactly one story.
    let cluster = stemma_guarded(dir.path(), &["cluster", root_arg]);
    assert_eq!(cluster.status, 0, "{}", cluster.stderr);
    if let Some(peak) = cluster.peak_bytes {
        assert!(peak <= PEAK_BYTES, "cluster held {} MiB", peak >> 20);
    }
    let mut clustered = BTreeSet::new();
    for line in cluster.stdout.lines() {
        let story: Value = serde_json::from_str(line).expect("a story line");
        for id in story["documents"].as_array().expect("documents") {
            let id = id.as_str().expect("id").to_string();
            assert!(clustered.insert(id.clone()), "{id} in two stories");
        }
    }
    assert_eq!(clustered, kept);
    assert_eq!(cluster.stderr.lines().count(), skipped.len());
}

/// Writes the hostile corpus to the directory `STEMMA_HOSTILE_CORPUS` names and keeps it,
/// for measuring time and memory by hand (BENCHMARKS.md); does nothing without it.
#[test]
fn write_the_hostile_corpus_for_measurement() {
    let Some(dir) = std::env::var_os("STEMMA_HOSTILE_CORPUS") else {
        return;
    };
    build_corpus(Path::new(&dir));
}
