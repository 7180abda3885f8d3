//! `stemma analyze`: the main job — stories, lineage, drift — over a pile of articles.
//!
//! Text, JSON and HTML hold every document in memory and write one report at the end.
//! JSON Lines (`--format jsonl`) reads in two passes, for corpora of any size: the first
//! reads and fingerprints every document and keeps it in a temporary file
//! ([`DocumentStore`]), holding only fingerprints in memory, then clusters; the second
//! reads back one batch of stories at a time, analyses them, and writes a line per story
//! in story order. Memory is then bounded by a batch or the largest story, not the corpus.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use stemma::analysis::{analyze_stories, analyze_stories_batched};
use stemma::cluster::{self, ClusterConfig, cluster_documents};
use stemma::corpus;
use stemma::fingerprint::{self, Fingerprint};
use stemma::model::Skipped;
use stemma::report::text::TextOptions;
use stemma::report::{html, json, text};

use crate::output::Output;
use crate::store::{self, DocumentStore};
use crate::{ReadArgs, progress, warn_skipped};

/// Documents analysed per batch with `--format jsonl`: enough stories to keep every core
/// busy to near the end of a batch, few enough that a batch and its lines take tens of
/// megabytes.
const JSONL_BATCH_DOCUMENTS: usize = 1024;

/// Output formats of `analyze`.
#[derive(Clone, Copy, ValueEnum)]
pub enum AnalyzeFormat {
    /// A readable report for the terminal.
    Text,
    /// The JSON report of SPEC.md, for programs.
    Json,
    /// One self-contained HTML page (no network requests): lineage, collation, drift, facts.
    Html,
    /// JSON Lines for corpora of any size, one line per story written as the story is
    /// done, in story order: `{"story": {…}, "documents": [{…}]}`, the story as in `json`
    /// with the entries of its documents. Before the stories, a line
    /// `{"skipped": {"source", "reason"}}` per skipped input, by source (each also said on
    /// standard error when met); last, a line `{"summary": {"stemma", "documents",
    /// "skipped", "stories", "drift"}}` (a stream cut short has none). Documents wait in a temporary file (in TMPDIR, about 2 KB each) between
    /// reading and analysis, so memory is bounded by the largest story, not the corpus.
    Jsonl,
}

/// Arguments of `stemma analyze`.
#[derive(Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    format: AnalyzeFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    check: crate::CheckArgs,
}

/// Runs `analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<ExitCode> {
    if let AnalyzeFormat::Jsonl = args.format {
        return run_jsonl(args);
    }
    let bar = progress("documents read");
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    corpus::stream(
        &args.read.inputs(),
        &args.read.config(),
        256,
        &mut |docs, skips| {
            bar.inc(docs.len() as u64);
            bar.suspend(|| warn_skipped(&skips));
            documents.extend(docs);
            skipped.extend(skips);
        },
    );
    bar.finish_and_clear();
    if documents.is_empty() {
        eprintln!("stemma: no document could be read");
        return Ok(ExitCode::from(1));
    }
    let stories: Vec<(String, Vec<usize>)> =
        cluster_documents(&documents, &ClusterConfig::default())
            .into_iter()
            .map(|story| (story.id, story.documents))
            .collect();
    let config = args.check.config(Some(documents.len()))?;
    let analyses = analyze_stories(&documents, &stories, &config);
    let mut out = Output::open(args.out.as_deref())?;
    match args.format {
        AnalyzeFormat::Text => text::write_report(
            &mut out,
            &documents,
            &skipped,
            &analyses,
            &text_options(args.out.as_deref()),
        )?,
        AnalyzeFormat::Json => {
            let report = json::report(&documents, &skipped, &analyses);
            // Through io::Error, so that a broken pipe is recognised as one.
            serde_json::to_writer_pretty(&mut out, &report).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        AnalyzeFormat::Html => html::write_report(&mut out, &documents, &skipped, &analyses)?,
        AnalyzeFormat::Jsonl => unreachable!("JSON Lines are written by run_jsonl"),
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// `analyze --format jsonl`: see the module documentation.
fn run_jsonl(args: &AnalyzeArgs) -> Result<ExitCode> {
    // The input's size is not known before it is streamed: the model only when asked for.
    let config = args.check.config(None)?;
    let cluster_config = ClusterConfig::default();
    // Open the output first: a destination that cannot be written fails before the work.
    let mut out = Output::open(args.out.as_deref())?;
    let mut store =
        DocumentStore::new().context("cannot create a temporary file for the documents")?;
    let bar = progress("documents read");
    let mut fingerprints: Vec<Fingerprint> = Vec::new();
    let mut skipped: Vec<Skipped> = Vec::new();
    let mut store_error: Option<io::Error> = None;
    // Each document is fingerprinted and encoded by the worker that built it, and dropped.
    corpus::stream_map(
        &args.read.inputs(),
        &args.read.config(),
        256,
        corpus::Sentences::Split,
        &|document| {
            (
                fingerprint::fingerprint(&document, &cluster_config.fingerprint),
                store::encode(&document),
            )
        },
        &mut |batch, skips| {
            bar.inc(batch.len() as u64);
            if !skips.is_empty() {
                bar.suspend(|| warn_skipped(&skips));
            }
            skipped.extend(skips);
            for (id, (print, record)) in batch {
                if store_error.is_some() {
                    break;
                }
                match record.and_then(|record| store.push(id, &record)) {
                    Ok(()) => fingerprints.push(print),
                    Err(error) => store_error = Some(error),
                }
            }
        },
    );
    if let Some(error) = store_error {
        return Err(error).context("cannot keep the documents in a temporary file");
    }
    store
        .finish_writing()
        .context("cannot keep the documents in a temporary file")?;
    if store.ids().is_empty() {
        bar.finish_and_clear();
        eprintln!("stemma: no document could be read");
        return Ok(ExitCode::from(1));
    }
    bar.set_message(format!("documents read; clustering {}", store.ids().len()));
    let stories: Vec<(String, Vec<usize>)> = {
        let ids: Vec<&str> = store.ids().iter().map(String::as_str).collect();
        cluster::cluster(&fingerprints, &ids, &cluster_config)
            .into_iter()
            .map(|story| (story.id, story.documents))
            .collect()
    };
    drop(fingerprints);
    // Skipped inputs in the order of their sources, not of reading: the same bytes for
    // the same inputs however they were listed.
    skipped.sort_by_cached_key(|skip| {
        let (source, line) = match skip.source.rsplit_once(':') {
            Some((path, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
                (path.to_string(), line.parse::<u64>().unwrap_or(u64::MAX))
            }
            _ => (skip.source.clone(), 0),
        };
        (source, line, skip.reason.clone())
    });
    for skip in &skipped {
        serde_json::to_writer(&mut out, &json::SkippedLine::from(skip)).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    bar.set_position(0);
    bar.set_message(format!("of {} stories analysed", stories.len()));
    let mut n_drift = 0;
    analyze_stories_batched(
        &stories,
        JSONL_BATCH_DOCUMENTS,
        &config,
        |members| members.iter().map(|&i| store.get(i)).collect(),
        jsonl_line,
        |rendered| {
            let (line, drift) = rendered.map_err(io::Error::from)?;
            n_drift += drift;
            bar.inc(1);
            out.write_all(&line)
        },
    )?;
    let summary = json::SummaryLine {
        summary: json::Summary {
            stemma: stemma::VERSION,
            documents: store.ids().len(),
            skipped: skipped.len(),
            stories: stories.len(),
            drift: n_drift,
        },
    };
    serde_json::to_writer(&mut out, &summary).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    bar.finish_and_clear();
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// The text layout for a destination: a terminal's width and colour (unless `NO_COLOR` is
/// set or `TERM` is `dumb`) when the report goes to a terminal; otherwise 100 columns and
/// no colour, so that redirected output is the same wherever it was made.
pub(crate) fn text_options(out: Option<&Path>) -> TextOptions {
    let stdout = std::io::stdout();
    if out.is_some() || !stdout.is_terminal() {
        return TextOptions::default();
    }
    let width = terminal_size::terminal_size_of(&stdout)
        .map(|(terminal_size::Width(w), _)| usize::from(w))
        .unwrap_or(100)
        .clamp(60, 160);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    TextOptions {
        width,
        color: !no_color && !dumb,
    }
}

/// One story's report as a JSON Lines line, and its number of drift items.
pub(crate) fn jsonl_line(
    analysis: &stemma::analysis::StoryAnalysis,
    documents: &[stemma::model::Document],
) -> Result<(Vec<u8>, usize), serde_json::Error> {
    let mut line = serde_json::to_vec(&json::story_line(documents, analysis))?;
    line.push(b'\n');
    Ok((line, analysis.drift.len()))
}
