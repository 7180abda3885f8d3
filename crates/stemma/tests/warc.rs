//! WARC input, on an archive written by hand the way crawlers lay one out: a `warcinfo`
//! record, a `request`, an HTML `response`, a non-HTML `response`, a second HTML
//! `response`, and a last record cut short. The same archive is read plain (`.warc`) and
//! gzip-compressed one member per record (`.warc.gz`, as Heritrix and wget write them).
//!
//! HTML responses become documents (id = `WARC-Target-URI`, date from the page, else
//! `WARC-Date`); other records are counted and skipped in one line; the truncated record
//! costs only itself.

use std::io::Write;
use std::path::Path;

use stemma::corpus::{self, Corpus};
use stemma::ingest::{IngestConfig, Input};
use stemma::model::format_published;

fn record(kind: &str, uri: Option<&str>, content_type: &str, block: &[u8]) -> Vec<u8> {
    record_claiming(kind, uri, content_type, block, block.len())
}

/// A record whose `Content-Length` says `claimed` bytes, whatever `block` holds.
fn record_claiming(
    kind: &str,
    uri: Option<&str>,
    content_type: &str,
    block: &[u8],
    claimed: usize,
) -> Vec<u8> {
    let mut out = Vec::new();
    write!(
        out,
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\n\
         WARC-Date: 2025-11-20T08:00:00Z\r\n",
        uri.map(|u| u.len()).unwrap_or(0)
    )
    .expect("write");
    if let Some(uri) = uri {
        write!(out, "WARC-Target-URI: {uri}\r\n").expect("write");
    }
    write!(
        out,
        "Content-Type: {content_type}\r\nContent-Length: {claimed}\r\n\r\n"
    )
    .expect("write");
    out.extend_from_slice(block);
    if block.len() == claimed {
        out.extend_from_slice(b"\r\n\r\n");
    }
    out
}

fn http_response(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn page(title: &str, published: Option<&str>, place: &str) -> String {
    let meta = published
        .map(|p| format!(r#"<meta property="article:published_time" content="{p}">"#))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title>{meta}</head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article><h1>{title}</h1>\
         <p>At least 14 people were killed when a dam burst above the town of {place} on \
         Thursday, officials said, and dozens more are missing after floodwater swept \
         through the valley overnight.</p>\
         <p>About 1,200 residents were evacuated from low-lying parts of {place} and the \
         nearby villages, the regional civil defence service said in a statement.</p>\
         <p>Rescue teams worked through the night to reach people trapped on the roofs of \
         their homes, and the governor declared a state of emergency across the region.</p>\
         </article><footer>Copyright 2025</footer></body></html>"
    )
}

/// The six records; the last claims more bytes than it holds.
fn records() -> Vec<Vec<u8>> {
    let info = b"software: stemma-test\r\nformat: WARC File Format 1.0\r\n";
    let request = b"GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n";
    let first = http_response(
        "text/html; charset=utf-8",
        &page("Dam bursts above Belozar", None, "Belozar"),
    );
    let image = http_response("image/png", "\u{89}PNG not really an image");
    let second = http_response(
        "text/html",
        &page(
            "Dam bursts above Marvenna",
            Some("2025-11-19T10:20:00+02:00"),
            "Marvenna",
        ),
    );
    let cut = http_response("text/html", &page("Cut short", None, "Lozavka"));
    vec![
        record("warcinfo", None, "application/warc-fields", info),
        record(
            "request",
            Some("http://example.com/a"),
            "application/http; msgtype=request",
            request,
        ),
        record(
            "response",
            Some("http://example.com/a"),
            "application/http; msgtype=response",
            &first,
        ),
        record(
            "response",
            Some("http://example.com/logo.png"),
            "application/http; msgtype=response",
            &image,
        ),
        record(
            "response",
            Some("http://example.com/b"),
            "application/http; msgtype=response",
            &second,
        ),
        record_claiming(
            "response",
            Some("http://example.com/c"),
            "application/http; msgtype=response",
            &cut[..cut.len() / 2],
            cut.len(),
        ),
    ]
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn read(path: &Path) -> Corpus {
    corpus::load(&[Input::Path(path.to_path_buf())], &IngestConfig::default())
}

/// What every variant must give: two documents, the other records counted, and the cut
/// record skipped.
fn check(corpus: &Corpus, truncation: &str) {
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["http://example.com/a", "http://example.com/b"]);
    let first = &corpus.documents[0];
    assert!(first.text.contains("Belozar"), "{}", first.text);
    assert!(!first.text.contains("Copyright"), "{}", first.text);
    // No date in the page: the WARC-Date stands in.
    assert_eq!(
        first.published.as_ref().map(format_published).as_deref(),
        Some("2025-11-20T08:00:00Z")
    );
    // The page's own date wins over the WARC-Date.
    assert_eq!(
        corpus.documents[1]
            .published
            .as_ref()
            .map(format_published)
            .as_deref(),
        Some("2025-11-19T08:20:00Z")
    );
    let reasons: Vec<String> = corpus
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.source, s.reason))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:#?}");
    let truncated = reasons
        .iter()
        .find(|r| r.contains("#record6"))
        .unwrap_or_else(|| panic!("no skip for the cut record: {reasons:#?}"));
    assert!(truncated.contains(truncation), "{truncated}");
    let others = reasons
        .iter()
        .find(|r| r.contains("not HTML"))
        .unwrap_or_else(|| panic!("no count of other records: {reasons:#?}"));
    assert!(others.contains("3 records not HTML responses"), "{others}");
    for kind in ["warcinfo 1", "request 1", "image/png) 1"] {
        assert!(others.contains(kind), "{others} lacks {kind}");
    }
}

#[test]
fn plain_warc() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crawl.warc");
    std::fs::write(&path, records().concat()).expect("write");
    let corpus = read(&path);
    check(&corpus, "truncated");
}

#[test]
fn gzip_per_record_warc() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crawl.warc.gz");
    let records = records();
    let mut bytes = Vec::new();
    for record in &records[..records.len() - 1] {
        bytes.extend(gzip(record));
    }
    // The last member is cut short too, as when a crawler dies mid-write.
    let last = gzip(&records[records.len() - 1]);
    bytes.extend_from_slice(&last[..last.len() * 2 / 3]);
    std::fs::write(&path, bytes).expect("write");
    let corpus = read(&path);
    check(&corpus, "truncated");
}

#[test]
fn gzip_member_per_record_whole() {
    // Every member complete, the last record alone short of its Content-Length.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crawl.warc.gz");
    let bytes: Vec<u8> = records().iter().flat_map(|r| gzip(r)).collect();
    std::fs::write(&path, bytes).expect("write");
    check(&read(&path), "truncated");
}
