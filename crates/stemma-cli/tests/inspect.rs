//! `stemma inspect` run as a user runs it: the built binary on files written to a temporary
//! directory, its JSON parsed and compared field by field.
//!
//! The first half reads one good input of every format; the second half is the bad-input
//! policy of `SPEC.md`, one test per kind of bad input. Each of those runs a good document
//! beside the bad one and checks the whole contract: exit status 0, exactly one line on
//! standard error naming the input and the reason, the same reason under `skipped` in the
//! JSON, and the good document still read.

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// What one run of `stemma` left behind.
struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The report on standard output, parsed.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}):\n{}", self.stdout))
    }

    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

/// Runs `stemma ARGS…` with `stdin` on standard input.
fn stemma(args: &[&str], stdin: &[u8]) -> Run {
    let output = Command::cargo_bin("stemma")
        .expect("the stemma binary is built")
        .env("STEMMA_MODEL", "off")
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .expect("stemma runs");
    Run {
        status: output.status.code().expect("stemma exits, not killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `stemma inspect --format json` on paths.
fn inspect_json(paths: &[&Path], extra_args: &[&str]) -> Run {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec!["inspect", "--format", "json"];
    args.extend_from_slice(extra_args);
    args.extend(paths.iter().map(String::as_str));
    stemma(&args, b"")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory")
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).expect("zstd in memory")
}

fn documents(report: &Value) -> &Vec<Value> {
    report["documents"]
        .as_array()
        .expect("`documents` is a list")
}

fn skipped(report: &Value) -> &Vec<Value> {
    report["skipped"].as_array().expect("`skipped` is a list")
}

fn ids(report: &Value) -> Vec<&str> {
    documents(report)
        .iter()
        .map(|d| d["id"].as_str().expect("id is a string"))
        .collect()
}

/// The document with this id; panics with the ids present when there is none.
fn document<'a>(report: &'a Value, id: &str) -> &'a Value {
    documents(report)
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no document {id:?} among {:?}", ids(report)))
}

fn sentences(document: &Value) -> Vec<&str> {
    document["sentences"]
        .as_array()
        .expect("`sentences` is a list")
        .iter()
        .map(|s| s.as_str().expect("a sentence is a string"))
        .collect()
}

/// The metadata of a document as `[title, published, url, author]`, `None` for null.
fn metadata(document: &Value) -> [Option<&str>; 4] {
    ["title", "published", "url", "author"].map(|field| document[field].as_str())
}

/// A good plain-text article to stand beside each bad input.
const GOOD_TXT: &str = "Dam fails in Belozar\n\nThe dam failed on Wednesday. Water rose quickly.\n\nEngineers were called.\n";

const GOOD_SENTENCES: [&str; 3] = [
    "The dam failed on Wednesday.",
    "Water rose quickly.",
    "Engineers were called.",
];

const GOOD_MD: &str = "---\ntitle: \"Talks begin in Kyiv\"\ndate: 2025-11-20T02:32:13\nurl: https://news.example/talks\nauthor: Ana Petrova\n---\n\n## Background\n\nThe **team** met [officials](https://news.example/who) in Kyiv. They spoke for an hour.\n";

/// A news page with everything around the article that readers skip: navigation, a cookie
/// banner, a footer; metadata in Open Graph tags, a canonical link and JSON-LD.
const GOOD_HTML: &str = r#"<!doctype html><html><head>
<title>Dam breach kills 14 | Daily Dispatch</title>
<meta property="og:title" content="Dam breach kills 14 in Belozar">
<meta property="article:published_time" content="2025-10-16T10:20:00+02:00">
<link rel="canonical" href="https://news.example/belozar-dam">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"LD headline","datePublished":"2025-10-15T00:00:00Z","author":{"name":"Ana Petrova"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<article>
<h1>Dam breach kills 14 in Belozar</h1>
<p>At least 14 people were killed when the Belozar dam failed on Wednesday, officials said.</p>
<p>About 1,200 residents were evacuated from the valley overnight, according to the regional governor. He called it the worst flood in decades.</p>
<h2>What happens next</h2>
<p>Engineers will inspect the remaining dams in the region this week, the ministry said in a statement on Thursday.</p>
</article>
<footer>&copy; 2025 Daily Dispatch. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"#;

const GOOD_JSONL: &str = concat!(
    r#"{"id": "a1", "title": "First", "text": "One sentence here. Another one.", "date": "2025-11-20T02:32:13Z"}"#,
    "\n",
    r#"{"id": "a2", "title": "Second", "body": "The body field is read too.", "date": "2025-11-21T09:00:00+01:00"}"#,
    "\n",
    r#"{"id": "a3", "title": "Third", "text": "Third text.\n\nA second paragraph.", "published": "Thu, 20 Nov 2025 02:32:13 GMT"}"#,
    "\n",
);

/// A directory holding one good input of every format, compressed ones included.
fn good_corpus() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    write(dir.path(), "good.txt", GOOD_TXT);
    write(dir.path(), "story.md", GOOD_MD);
    write(dir.path(), "page.html", GOOD_HTML);
    write(dir.path(), "feed.jsonl", GOOD_JSONL);
    write(
        dir.path(),
        "zipped.txt.gz",
        gzip(b"Gzip title\n\nCompressed text reads fine. So does this.\n"),
    );
    write(
        dir.path(),
        "packed.md.zst",
        zstd(b"# Zstd title\n\nZstd text reads fine.\n"),
    );
    dir
}

// ---------------------------------------------------------------------------------------
// Good input, one format at a time.

#[test]
fn directory_reads_every_format_in_path_order() {
    let dir = good_corpus();
    let run = inspect_json(&[dir.path()], &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let report = run.json();
    assert_eq!(
        ids(&report),
        [
            "a1", "a2", "a3", "good", "packed", "page", "story", "zipped"
        ]
    );
    assert_eq!(skipped(&report), &Vec::<Value>::new());
    let source = |name: &str| dir.path().join(name).display().to_string();
    assert_eq!(
        document(&report, "a2")["source"],
        source("feed.jsonl") + ":2"
    );
    assert_eq!(
        document(&report, "zipped")["source"],
        source("zipped.txt.gz")
    );
    for document in documents(&report) {
        let text_chars: usize = sentences(document).iter().map(|s| s.chars().count()).sum();
        let chars = document["chars"].as_u64().expect("chars") as usize;
        assert!(chars >= text_chars, "{document}");
    }
}

#[test]
fn plain_text_title_line_and_paragraphs() {
    let dir = TempDir::new().expect("temp dir");
    let path = write(dir.path(), "good.txt", GOOD_TXT);
    let report = inspect_json(&[&path], &[]).json();
    let good = document(&report, "good");
    assert_eq!(good["source"], path.display().to_string());
    assert_eq!(
        metadata(good),
        [Some("Dam fails in Belozar"), None, None, None]
    );
    assert_eq!(sentences(good), GOOD_SENTENCES);
    assert_eq!(good["headings"], serde_json::json!([]));
}

#[test]
fn markdown_front_matter() {
    let dir = TempDir::new().expect("temp dir");
    let path = write(dir.path(), "story.md", GOOD_MD);
    let report = inspect_json(&[&path], &[]).json();
    let story = document(&report, "story");
    assert_eq!(
        metadata(story),
        [
            Some("Talks begin in Kyiv"),
            Some("2025-11-20T02:32:13Z"),
            Some("https://news.example/talks"),
            Some("Ana Petrova")
        ]
    );
    assert_eq!(
        sentences(story),
        [
            "Background",
            "The team met officials in Kyiv.",
            "They spoke for an hour."
        ]
    );
    assert_eq!(story["headings"], serde_json::json!([0]));
}

#[test]
fn html_page_main_text_and_metadata() {
    let dir = TempDir::new().expect("temp dir");
    let path = write(dir.path(), "page.html", GOOD_HTML);
    let report = inspect_json(&[&path], &[]).json();
    let page = document(&report, "page");
    // og:title wins over <title> and the JSON-LD headline; the time is shown in UTC.
    assert_eq!(
        metadata(page),
        [
            Some("Dam breach kills 14 in Belozar"),
            Some("2025-10-16T08:20:00Z"),
            Some("https://news.example/belozar-dam"),
            Some("Ana Petrova")
        ]
    );
    assert_eq!(
        sentences(page),
        [
            "At least 14 people were killed when the Belozar dam failed on Wednesday, officials said.",
            "About 1,200 residents were evacuated from the valley overnight, according to the regional governor.",
            "He called it the worst flood in decades.",
            "What happens next",
            "Engineers will inspect the remaining dams in the region this week, the ministry said in a statement on Thursday.",
        ]
    );
    assert_eq!(page["headings"], serde_json::json!([3]));
}

#[test]
fn html_metadata_from_json_ld_alone() {
    let dir = TempDir::new().expect("temp dir");
    let html = r#"<html><head><title>Site name</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},{"@type":"NewsArticle","headline":"Flood waters recede in Tesna valley","datePublished":"2025-10-18T06:00:00-04:00","url":"https://news.example/recede","author":[{"@type":"Person","name":"Ivo Marek"}]}]}</script>
</head><body><main><p>Flood waters began to recede in the Tesna valley on Saturday, three days after the Belozar dam failed, the regional authorities said.</p></main></body></html>"#;
    let path = write(dir.path(), "recede.html", html);
    let report = inspect_json(&[&path], &[]).json();
    assert_eq!(
        metadata(document(&report, "recede")),
        [
            Some("Flood waters recede in Tesna valley"),
            Some("2025-10-18T10:00:00Z"),
            Some("https://news.example/recede"),
            Some("Ivo Marek")
        ]
    );
}

#[test]
fn json_lines_text_and_body_fields() {
    let dir = TempDir::new().expect("temp dir");
    let path = write(dir.path(), "feed.jsonl", GOOD_JSONL);
    let run = inspect_json(&[&path], &[]);
    assert_eq!(run.stderr, "");
    let report = run.json();
    assert_eq!(ids(&report), ["a1", "a2", "a3"]);
    let a1 = document(&report, "a1");
    assert_eq!(
        metadata(a1),
        [Some("First"), Some("2025-11-20T02:32:13Z"), None, None]
    );
    assert_eq!(sentences(a1), ["One sentence here.", "Another one."]);
    let a2 = document(&report, "a2");
    assert_eq!(
        metadata(a2),
        [Some("Second"), Some("2025-11-21T08:00:00Z"), None, None]
    );
    assert_eq!(sentences(a2), ["The body field is read too."]);
    let a3 = document(&report, "a3");
    assert_eq!(
        metadata(a3),
        [Some("Third"), Some("2025-11-20T02:32:13Z"), None, None]
    );
    assert_eq!(sentences(a3), ["Third text.", "A second paragraph."]);
    assert_eq!(a3["source"], format!("{}:3", path.display()));
}

#[test]
fn gzip_text() {
    let dir = good_corpus();
    let report = inspect_json(&[&dir.path().join("zipped.txt.gz")], &[]).json();
    let zipped = document(&report, "zipped");
    assert_eq!(metadata(zipped), [Some("Gzip title"), None, None, None]);
    assert_eq!(
        sentences(zipped),
        ["Compressed text reads fine.", "So does this."]
    );
}

#[test]
fn zstd_markdown() {
    let dir = good_corpus();
    let report = inspect_json(&[&dir.path().join("packed.md.zst")], &[]).json();
    let packed = document(&report, "packed");
    assert_eq!(metadata(packed), [Some("Zstd title"), None, None, None]);
    assert_eq!(sentences(packed), ["Zstd text reads fine."]);
}

#[test]
fn standard_input_is_json_lines() {
    let stdin = concat!(
        r#"{"id": "s1", "title": "From stdin", "text": "Read from a pipe. It works.", "date": "2025-11-20T02:32:13Z"}"#,
        "\n",
        r#"{"content": "A record without an id."}"#,
        "\n",
    );
    let run = stemma(&["inspect", "--format", "json", "-"], stdin.as_bytes());
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report = run.json();
    // A record without an id is named after its line.
    assert_eq!(ids(&report), ["s1", "stdin:2"]);
    let s1 = document(&report, "s1");
    assert_eq!(s1["source"], "-:1");
    assert_eq!(
        metadata(s1),
        [Some("From stdin"), Some("2025-11-20T02:32:13Z"), None, None]
    );
    assert_eq!(sentences(s1), ["Read from a pipe.", "It works."]);
    assert_eq!(
        sentences(document(&report, "stdin:2")),
        ["A record without an id."]
    );
}

#[test]
fn legacy_charset_is_decoded_not_skipped() {
    let dir = TempDir::new().expect("temp dir");
    write(dir.path(), "good.txt", GOOD_TXT);
    write(
        dir.path(),
        "cafe.txt",
        b"The caf\xe9 opened on Monday. It served cr\xe8me br\xfbl\xe9e for \x8020.\n",
    );
    let run = inspect_json(&[dir.path()], &[]);
    assert_eq!(run.status, 0);
    assert_eq!(run.stderr, "");
    let report = run.json();
    assert_eq!(skipped(&report), &Vec::<Value>::new());
    assert_eq!(
        sentences(document(&report, "cafe")),
        [
            "The café opened on Monday.",
            "It served crème brûlée for €20."
        ]
    );
    assert_eq!(sentences(document(&report, "good")), GOOD_SENTENCES);
}

#[test]
fn mojibake_is_repaired() {
    let dir = TempDir::new().expect("temp dir");
    let path = write(
        dir.path(),
        "deal.txt",
        "The deal was worth $105m (Â£80m), officials said.\n",
    );
    let report = inspect_json(&[&path], &[]).json();
    assert_eq!(
        sentences(document(&report, "deal")),
        ["The deal was worth $105m (£80m), officials said."]
    );
}

#[test]
fn text_format_numbers_the_sentences() {
    let dir = TempDir::new().expect("temp dir");
    let path = write(dir.path(), "good.txt", GOOD_TXT);
    let run = stemma(&["inspect", &path.display().to_string()], b"");
    assert_eq!(run.status, 0);
    assert!(
        run.stdout.contains("title      Dam fails in Belozar"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  1  Water rose quickly."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("1 documents read, 0 skipped\n"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------
// The demo corpus.

fn demo_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/story")
}

#[test]
fn demo_corpus_has_seven_documents() {
    let run = inspect_json(&[&demo_corpus()], &[]);
    assert_eq!(run.status, 0);
    assert_eq!(run.stderr, "");
    let report = run.json();
    let mut ids = ids(&report);
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "edit",
            "expansion",
            "original",
            "paraphrase",
            "paraphrase-repost",
            "repost",
            "summary"
        ]
    );
    assert_eq!(skipped(&report), &Vec::<Value>::new());
}

#[test]
fn demo_html_repost_reads_like_the_original() {
    let report = inspect_json(&[&demo_corpus()], &[]).json();
    // The repost's page typesets quotes; the words and the sentence breaks are the same.
    let plain_quotes = |text: &str| {
        text.replace(['\u{2018}', '\u{2019}'], "'")
            .replace(['\u{201c}', '\u{201d}'], "\"")
    };
    let read = |id: &str| -> Vec<String> {
        sentences(document(&report, id))
            .into_iter()
            .map(plain_quotes)
            .collect()
    };
    let original = read("original");
    assert!(original.len() > 10, "{original:?}");
    assert_eq!(read("repost"), original);
}

// ---------------------------------------------------------------------------------------
// Bad input: skipped with a reason, never at the cost of the good documents.

/// Runs `inspect --format json` on a directory holding [`GOOD_TXT`] and one bad input, and
/// checks the skip contract: exit 0, one line on standard error naming `bad_source` and
/// the reason, the same under `skipped`, and the good document read in full. Returns the
/// report and the reason given.
fn assert_skipped_beside_good(
    dir: &Path,
    bad_source: &str,
    reason_contains: &str,
    extra_args: &[&str],
) -> (Value, String) {
    write(dir, "good.txt", GOOD_TXT);
    let run = inspect_json(&[dir], extra_args);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report = run.json();
    let skips = skipped(&report);
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert_eq!(skips[0]["source"], bad_source);
    let reason = skips[0]["reason"].as_str().expect("reason").to_string();
    assert!(
        reason.contains(reason_contains),
        "reason {reason:?} does not say {reason_contains:?}"
    );
    assert_eq!(
        run.stderr_lines(),
        [format!("stemma: skipped {bad_source}: {reason}")]
    );
    assert_eq!(sentences(document(&report, "good")), GOOD_SENTENCES);
    (report, reason)
}

fn source_of(dir: &TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

#[test]
fn binary_file_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    // The first bytes of a PNG image, under a text name.
    write(
        dir.path(),
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82",
    );
    let (report, _) =
        assert_skipped_beside_good(dir.path(), &source_of(&dir, "photo.txt"), "binary", &[]);
    assert_eq!(ids(&report), ["good"]);
}

#[test]
fn empty_file_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    write(dir.path(), "blank.txt", b"");
    assert_skipped_beside_good(dir.path(), &source_of(&dir, "blank.txt"), "empty", &[]);
}

#[test]
fn whitespace_only_file_is_skipped_as_empty() {
    let dir = TempDir::new().expect("temp dir");
    write(dir.path(), "blank.txt", b" \n\n\t \r\n");
    assert_skipped_beside_good(dir.path(), &source_of(&dir, "blank.txt"), "empty", &[]);
}

#[test]
fn truncated_gzip_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    let text = format!(
        "Long story\n\n{}",
        "The dam failed on Wednesday and the water rose. ".repeat(200)
    );
    let compressed = gzip(text.as_bytes());
    write(
        dir.path(),
        "cut.txt.gz",
        &compressed[..compressed.len() / 2],
    );
    assert_skipped_beside_good(
        dir.path(),
        &source_of(&dir, "cut.txt.gz"),
        "truncated gzip",
        &[],
    );
}

#[test]
fn truncated_gzip_json_lines_keep_the_lines_before_the_cut() {
    let dir = TempDir::new().expect("temp dir");
    let lines: String = (0..2000)
        .map(|i| format!("{{\"id\": \"g{i}\", \"text\": \"Line {i} of the feed.\"}}\n"))
        .collect();
    let compressed = gzip(lines.as_bytes());
    write(
        dir.path(),
        "feed.jsonl.gz",
        &compressed[..compressed.len() / 2],
    );
    let (report, reason) = assert_skipped_beside_good(
        dir.path(),
        &source_of(&dir, "feed.jsonl.gz"),
        "truncated gzip",
        &[],
    );
    // Every line before the cut is read, in order, and the reason says how many.
    let read: Vec<&str> = ids(&report)
        .into_iter()
        .filter(|id| *id != "good")
        .collect();
    assert!(!read.is_empty() && read.len() < 2000, "{}", read.len());
    let in_order = read
        .iter()
        .enumerate()
        .all(|(i, id)| *id == format!("g{i}"));
    assert!(in_order, "lines out of order or missing: {read:?}");
    assert!(
        reason.ends_with(&format!("after {} lines", read.len())),
        "{reason}"
    );
}

#[test]
fn corrupt_zstd_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    // The zstd magic number followed by bytes that are no zstd frame.
    let mut bytes = vec![0x28, 0xb5, 0x2f, 0xfd];
    bytes.extend(b"these bytes are not a zstd frame at all ".repeat(4));
    write(dir.path(), "packed.md.zst", bytes);
    assert_skipped_beside_good(dir.path(), &source_of(&dir, "packed.md.zst"), "zstd", &[]);
}

#[test]
fn truncated_zstd_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    let text = "Zstd story\n\n".to_string()
        + &"Engineers inspected the remaining dams on Thursday. ".repeat(300);
    let compressed = zstd(text.as_bytes());
    write(
        dir.path(),
        "packed.md.zst",
        &compressed[..compressed.len() / 2],
    );
    assert_skipped_beside_good(dir.path(), &source_of(&dir, "packed.md.zst"), "zstd", &[]);
}

#[test]
fn file_over_the_size_limit_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    write(
        dir.path(),
        "long.txt",
        format!("Long story\n\n{}", "The water rose. ".repeat(20)),
    );
    assert_skipped_beside_good(
        dir.path(),
        &source_of(&dir, "long.txt"),
        "size limit of 100 bytes",
        &["--max-document-bytes", "100"],
    );
}

#[test]
fn json_line_over_the_size_limit_is_skipped_alone() {
    let dir = TempDir::new().expect("temp dir");
    let long_text = "The water rose. ".repeat(20);
    let jsonl = format!(
        "{{\"id\": \"short\", \"text\": \"Short line.\"}}\n{{\"id\": \"long\", \"text\": \"{long_text}\"}}\n"
    );
    write(dir.path(), "feed.jsonl", jsonl);
    let (report, _) = assert_skipped_beside_good(
        dir.path(),
        &format!("{}:2", source_of(&dir, "feed.jsonl")),
        "size limit of 100 bytes",
        &["--max-document-bytes", "100"],
    );
    assert_eq!(ids(&report), ["short", "good"]);
}

#[test]
fn malformed_json_line_is_skipped_and_its_neighbours_read() {
    let dir = TempDir::new().expect("temp dir");
    let jsonl = concat!(
        r#"{"id": "l1", "text": "The first line is fine."}"#,
        "\n",
        r#"{"id": "l2", "text": oops"#,
        "\n",
        r#"{"id": "l3", "text": "The third line is fine."}"#,
        "\n",
    );
    write(dir.path(), "feed.jsonl", jsonl);
    let (report, _) = assert_skipped_beside_good(
        dir.path(),
        &format!("{}:2", source_of(&dir, "feed.jsonl")),
        "malformed JSON",
        &[],
    );
    assert_eq!(ids(&report), ["l1", "l3", "good"]);
    assert_eq!(
        sentences(document(&report, "l3")),
        ["The third line is fine."]
    );
}

#[test]
fn json_line_without_text_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    let jsonl = "{\"id\": \"t1\", \"title\": \"Only a title\"}\n{\"id\": \"t2\", \"text\": \"Text here.\"}\n";
    write(dir.path(), "feed.jsonl", jsonl);
    let (report, _) = assert_skipped_beside_good(
        dir.path(),
        &format!("{}:1", source_of(&dir, "feed.jsonl")),
        "no `text`",
        &[],
    );
    assert_eq!(ids(&report), ["t2", "good"]);
}

#[test]
fn html_without_article_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    write(
        dir.path(),
        "login.html",
        r#"<html><head><title>Sign in</title></head><body><nav><a href="/">Home</a></nav><form><label>Email</label><input name="email"><button>Sign in</button></form><footer>© 2025 Daily Dispatch</footer></body></html>"#,
    );
    assert_skipped_beside_good(
        dir.path(),
        &source_of(&dir, "login.html"),
        "no article body",
        &[],
    );
}

#[test]
fn missing_path_is_skipped() {
    let dir = TempDir::new().expect("temp dir");
    let good = write(dir.path(), "good.txt", GOOD_TXT);
    let missing = dir.path().join("not-there.txt");
    let run = inspect_json(&[&missing, &good], &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report = run.json();
    let missing = missing.display().to_string();
    assert_eq!(
        skipped(&report),
        &vec![serde_json::json!({"source": missing, "reason": "no such file or directory"})]
    );
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "stemma: skipped {missing}: no such file or directory"
        )]
    );
    assert_eq!(ids(&report), ["good"]);
}

#[test]
fn nothing_readable_exits_1() {
    let dir = TempDir::new().expect("temp dir");
    write(dir.path(), "blank.txt", b"");
    write(
        dir.path(),
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    let run = inspect_json(&[dir.path()], &[]);
    assert_eq!(run.status, 1);
    let report = run.json();
    assert_eq!(ids(&report), Vec::<&str>::new());
    assert_eq!(skipped(&report).len(), 2);
    assert_eq!(
        run.stderr_lines().last().copied(),
        Some("stemma: no document could be read")
    );
    assert_eq!(run.stderr_lines().len(), 3, "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// Output files and usage.

#[test]
fn out_file_receives_the_report() {
    let dir = TempDir::new().expect("temp dir");
    let good = write(dir.path(), "good.txt", GOOD_TXT);
    let out = dir.path().join("report.json");
    let run = inspect_json(&[&good], &["--out", &out.display().to_string()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("report written"))
            .expect("report is JSON");
    assert_eq!(ids(&report), ["good"]);
    // The report is written through a temporary file renamed into place; none is left.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(names, ["good.txt", "report.json"]);
}

#[test]
fn unwritable_out_file_exits_1() {
    let dir = TempDir::new().expect("temp dir");
    let good = write(dir.path(), "good.txt", GOOD_TXT);
    let out = dir.path().join("no-such-dir").join("report.json");
    let run = inspect_json(&[&good], &["--out", &out.display().to_string()]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stdout, "");
    let first_line = run.stderr_lines().first().copied().unwrap_or_default();
    assert!(
        first_line.starts_with(&format!("stemma: cannot write {}", out.display())),
        "{}",
        run.stderr
    );
}

#[test]
fn inspect_without_path_is_a_usage_error() {
    let run = stemma(&["inspect"], b"");
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("Usage:"), "{}", run.stderr);
    assert!(run.stderr.contains("<PATH>"), "{}", run.stderr);
}

#[test]
fn unknown_format_is_a_usage_error() {
    let run = stemma(&["inspect", "--format", "xml", "-"], b"");
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
}
