//! Per-story cost of the back of the pipeline on the demo story (seven versions of a
//! news-length article) and on a story of 200 syndicated copies:
//!
//! - `story/collate+provenance`: all pairs aligned, original, parents and derivations;
//! - `story/analyze`: that plus facts, drift and consensus facts (`analysis::analyze_story`);
//! - `story/five-versions`: the five-version story of the target (original, edit,
//!   paraphrase, summary, expansion), fully analysed;
//! - `story/200-copies`: the original and 199 copies of it with one sentence changed each,
//!   fully analysed — alignment must not grow with the square of the versions beyond need.
//!
//! Run with `cargo bench -p stemma --bench analysis`.

use std::path::Path;

use criterion::Criterion;

use stemma::analysis::{AnalyzeConfig, analyze_story};
use stemma::collate::{CollateConfig, collate};
use stemma::corpus;
use stemma::ingest::{IngestConfig, Input};
use stemma::model::Document;
use stemma::provenance::{ProvenanceConfig, trace};

fn demo() -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/story");
    corpus::load(&[Input::Path(dir)], &IngestConfig::default()).documents
}

fn copies(original: &Document, n: usize) -> Vec<Document> {
    let mut documents = vec![original.clone()];
    for i in 1..n {
        let mut copy = original.clone();
        copy.id = format!("copy-{i:03}");
        copy.published = None;
        let k = i % copy.sentences.len();
        copy.sentences[k].text = format!("{} (Updated {i}.)", copy.sentences[k].text);
        documents.push(copy);
    }
    documents
}

fn bench(c: &mut Criterion) {
    let documents = demo();
    let config = AnalyzeConfig::default();
    let all: Vec<usize> = (0..documents.len()).collect();
    let mut group = c.benchmark_group("story");
    group.sample_size(20);
    group.bench_function("collate+provenance", |b| {
        b.iter(|| {
            let refs: Vec<&Document> = documents.iter().collect();
            let collation = collate(&refs, &CollateConfig::default());
            trace(&refs, &collation, &ProvenanceConfig::default())
        })
    });
    group.bench_function("analyze", |b| {
        b.iter(|| analyze_story("s1".into(), &documents, &all, &config))
    });
    let five: Vec<usize> = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            ["original", "edit", "paraphrase", "summary", "expansion"].contains(&d.id.as_str())
        })
        .map(|(i, _)| i)
        .collect();
    group.bench_function("five-versions", |b| {
        b.iter(|| analyze_story("s1".into(), &documents, &five, &config))
    });
    if let Some(original) = documents.iter().find(|d| d.id == "original") {
        let many = copies(original, 200);
        let members: Vec<usize> = (0..many.len()).collect();
        group.sample_size(10);
        group.bench_function("200-copies", |b| {
            b.iter(|| analyze_story("s1".into(), &many, &members, &config))
        });
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
}
