//! Throughput of story clustering on real news: the 2,225 BBC articles of
//! `../shared/data/bbc-news`, and the same articles each joined by a lightly edited copy
//! and a truncated one (6,675 documents) so the candidate and grouping stages have stories
//! to find.
//!
//! - `fingerprint/bbc`: `fingerprint::fingerprint` on every article (throughput in
//!   documents).
//! - `cluster/bbc`, `cluster/bbc-versions`: `cluster::cluster` on fingerprints computed
//!   beforehand.
//!
//! Run with `cargo bench -p stemma --bench cluster`; when the data folder is absent the
//! benchmark says so and measures nothing. The whole-pipeline comparison with datasketch
//! is `bench/run.sh`.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput};

use stemma::cluster::{ClusterConfig, cluster};
use stemma::corpus::document_from_text;
use stemma::fingerprint::{Fingerprint, FingerprintConfig, fingerprint};
use stemma::model::Document;

fn data_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/bbc-news/articles.jsonl")
}

fn read_documents(path: &Path) -> Option<Vec<Document>> {
    let data = std::fs::read_to_string(path).ok()?;
    let documents = data
        .lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).ok()?;
            let id = record["id"].as_str()?;
            let text = format!(
                "{}\n\n{}",
                record["title"].as_str()?,
                record["body"].as_str()?
            );
            document_from_text(id, id, &text).ok()
        })
        .collect();
    Some(documents)
}

/// Each article, an edit of it (every 20th word replaced) and its first 60%.
fn with_versions(documents: &[Document]) -> Vec<Document> {
    let mut out = Vec::with_capacity(documents.len() * 3);
    for document in documents {
        let words: Vec<&str> = document.text.split_whitespace().collect();
        let edited: Vec<&str> = words
            .iter()
            .enumerate()
            .map(|(i, w)| if i % 20 == 7 { "changed" } else { w })
            .collect();
        let cut = &words[..words.len() * 6 / 10];
        out.push(document.clone());
        for (suffix, text) in [("edit", edited.join(" ")), ("cut", cut.join(" "))] {
            let id = format!("{}-{suffix}", document.id);
            if let Ok(version) = document_from_text(&id, &id, &text) {
                out.push(version);
            }
        }
    }
    out
}

fn main() {
    let path = data_path();
    let Some(documents) = read_documents(&path) else {
        eprintln!(
            "cluster bench: {} is absent; nothing to measure",
            path.display()
        );
        return;
    };
    let versions = with_versions(&documents);
    let config = ClusterConfig::default();
    let prints = |documents: &[Document]| -> Vec<Fingerprint> {
        documents
            .iter()
            .map(|d| fingerprint(d, &FingerprintConfig::default()))
            .collect()
    };
    let (bbc, bbc_versions) = (prints(&documents), prints(&versions));
    let ids = |documents: &[Document]| -> Vec<String> {
        documents.iter().map(|d| d.id.clone()).collect()
    };
    let (bbc_ids, version_ids) = (ids(&documents), ids(&versions));

    let mut criterion = Criterion::default().configure_from_args().sample_size(10);
    let mut group = criterion.benchmark_group("fingerprint");
    group.throughput(Throughput::Elements(documents.len() as u64));
    group.bench_function("bbc", |b| {
        b.iter(|| {
            documents
                .iter()
                .map(|d| fingerprint(d, &config.fingerprint).terms.len())
                .sum::<usize>()
        })
    });
    group.finish();

    let mut group = criterion.benchmark_group("cluster");
    for (name, fingerprints, ids) in [
        ("bbc", &bbc, &bbc_ids),
        ("bbc-versions", &bbc_versions, &version_ids),
    ] {
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        group.throughput(Throughput::Elements(fingerprints.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| cluster(fingerprints, &id_refs, &config).len())
        });
    }
    group.finish();
    criterion.final_summary();
}
