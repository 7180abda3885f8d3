//! Throughput of the front of the pipeline (ingest → normalise → segment) on real news:
//! the 2,225 BBC articles of `../shared/data/bbc-news`, written to a temporary directory as
//! the inputs stemma reads.
//!
//! - `front/jsonl`: `corpus::load` on one JSON Lines file of `{"id", "title", "text"}`.
//! - `front/html`: `corpus::load` on a directory of news pages, one per article (navigation,
//!   metadata and footer around the article), so readability extraction is in the loop.
//! - `stage/clean_text` and `stage/split_sentences`: the two per-paragraph stages alone.
//!
//! Throughput is in input bytes. Run with `cargo bench -p stemma --bench ingest`; when the
//! data folder is absent the benchmark says so and measures nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput};

use stemma::corpus;
use stemma::ingest::{IngestConfig, Input};
use stemma::normalize::clean_text;
use stemma::segment::split_sentences;

#[derive(serde::Deserialize)]
struct Article {
    id: String,
    title: String,
    body: String,
}

fn data_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/bbc-news/articles.jsonl")
}

fn read_articles(path: &Path) -> Option<Vec<Article>> {
    let data = std::fs::read_to_string(path).ok()?;
    Some(
        data.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).expect("a BBC article record"))
            .collect(),
    )
}

/// Writes the articles as one JSON Lines file; returns its size in bytes.
fn write_jsonl(articles: &[Article], path: &Path) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create jsonl"));
    for article in articles {
        let record = serde_json::json!({
            "id": article.id.replace('/', "-"),
            "title": article.title,
            "text": article.body,
        });
        serde_json::to_writer(&mut out, &record).expect("write jsonl");
        out.write_all(b"\n").expect("write jsonl");
    }
    out.flush().expect("write jsonl");
    std::fs::metadata(path).expect("jsonl written").len()
}

/// Writes each article as a small news page; returns the total size in bytes.
fn write_html_dir(articles: &[Article], dir: &Path) -> u64 {
    std::fs::create_dir_all(dir).expect("create html dir");
    let mut total = 0;
    for article in articles {
        let paragraphs: String = article
            .body
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| format!("<p>{}</p>\n", escape(p.trim())))
            .collect();
        let title = escape(&article.title);
        let page = format!(
            r#"<!doctype html><html><head><meta charset="utf-8"><title>{title} | News</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2005-03-01T09:30:00Z">
<link rel="canonical" href="https://news.example/{id}">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<article><h1>{title}</h1>
{paragraphs}</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li></ul></aside>
<footer>&copy; 2005 News. All rights reserved.</footer>
</body></html>
"#,
            id = article.id,
        );
        let path = dir.join(format!("{}.html", article.id.replace('/', "-")));
        std::fs::write(&path, &page).expect("write html");
        total += page.len() as u64;
    }
    total
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn main() {
    let path = data_path();
    let Some(articles) = read_articles(&path) else {
        eprintln!(
            "ingest bench: {} is absent; nothing to measure",
            path.display()
        );
        return;
    };
    let dir = tempfile::TempDir::new().expect("temp dir");
    let jsonl = dir.path().join("bbc.jsonl");
    let jsonl_bytes = write_jsonl(&articles, &jsonl);
    let html_dir = dir.path().join("html");
    let html_bytes = write_html_dir(&articles, &html_dir);
    let paragraphs: Vec<&str> = articles
        .iter()
        .flat_map(|a| a.body.lines())
        .filter(|p| !p.trim().is_empty())
        .collect();
    let paragraph_bytes: u64 = paragraphs.iter().map(|p| p.len() as u64).sum();
    let cleaned: Vec<String> = paragraphs.iter().map(|p| clean_text(p)).collect();
    let config = IngestConfig::default();

    let mut criterion = Criterion::default().configure_from_args().sample_size(10);
    let mut front = criterion.benchmark_group("front");
    front.throughput(Throughput::Bytes(jsonl_bytes));
    front.bench_function("jsonl", |b| {
        b.iter(|| {
            let corpus = corpus::load(&[Input::Path(jsonl.clone())], &config);
            assert_eq!(corpus.documents.len(), articles.len());
            corpus
        })
    });
    front.throughput(Throughput::Bytes(html_bytes));
    front.bench_function("html", |b| {
        b.iter(|| {
            let corpus = corpus::load(&[Input::Path(html_dir.clone())], &config);
            assert_eq!(corpus.documents.len(), articles.len());
            corpus
        })
    });
    front.finish();

    let mut stage = criterion.benchmark_group("stage");
    stage.throughput(Throughput::Bytes(paragraph_bytes));
    stage.bench_function("clean_text", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|p| clean_text(p).len())
                .sum::<usize>()
        })
    });
    stage.bench_function("split_sentences", |b| {
        b.iter(|| {
            cleaned
                .iter()
                .map(|p| split_sentences(p).len())
                .sum::<usize>()
        })
    });
    stage.finish();
    criterion.final_summary();
}
