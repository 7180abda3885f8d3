//! `stemma compare`: one version held against its source, or many pairs as JSON Lines.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;

use stemma::analysis::{AnalyzeConfig, compare};
use stemma::corpus;
use stemma::ingest::IngestConfig;
use stemma::model::Document;
use stemma::report::{html, json, text};

use crate::analyze_cmd::text_options;
use crate::output::Output;
use crate::warn_skipped;

/// Output formats of `compare`.
#[derive(Clone, Copy, ValueEnum)]
pub enum CompareFormat {
    /// A readable report.
    Text,
    /// One JSON object.
    Json,
    /// One self-contained HTML page: the collation of the two and the drift.
    Html,
}

/// Arguments of `stemma compare`.
#[derive(Args)]
#[command(
    after_help = "Fields of --pairs output: id, similarity, derivation, coverage, \
novelty, alignments, drift (the facts the version changed, dropped or added) and consistent \
(true when no fact was changed or added)."
)]
pub struct CompareArgs {
    /// The source article (any format stemma reads, or the address of a page).
    #[arg(
        value_name = "SOURCE",
        required_unless_present = "pairs",
        conflicts_with = "pairs"
    )]
    source: Option<String>,
    /// The version to hold against it.
    #[arg(value_name = "VERSION", required_unless_present = "pairs")]
    version: Option<String>,
    /// Read many pairs as JSON Lines `{"id", "source": TEXT, "version": TEXT}` from FILE
    /// (`-` for standard input) and write one JSON line per pair.
    #[arg(long, value_name = "FILE")]
    pairs: Option<String>,
    /// Output format for a single pair.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    format: CompareFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    check: crate::CheckArgs,
    /// Skip any document larger than this many bytes.
    #[arg(long, default_value_t = IngestConfig::default().max_document_bytes, value_name = "BYTES")]
    max_document_bytes: u64,
}

/// Runs `compare`.
pub fn run(args: &CompareArgs) -> Result<ExitCode> {
    if let Some(pairs) = &args.pairs {
        return run_pairs(pairs, args);
    }
    let config = IngestConfig {
        max_document_bytes: args.max_document_bytes,
    };
    let (Some(source), Some(version)) = (&args.source, &args.version) else {
        bail!("compare needs SOURCE and VERSION, or --pairs FILE");
    };
    let source = read_one(source, &config)?;
    let version = read_one(version, &config)?;
    let config = args.check.config(Some(2))?;
    let comparison = compare(&source, &version, &config);
    let mut out = Output::open(args.out.as_deref())?;
    match args.format {
        CompareFormat::Text => text::write_compare(
            &mut out,
            &source,
            &version,
            &comparison,
            &text_options(args.out.as_deref()),
        )?,
        CompareFormat::Json => {
            let entry = json::compare_entry(None, &source, &version, &comparison, true);
            // Through io::Error, so that a broken pipe is recognised as one.
            serde_json::to_writer_pretty(&mut out, &entry).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        CompareFormat::Html => html::write_compare(&mut out, &source, &version, &comparison)?,
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads the one document a compare argument names.
fn read_one(path: &str, config: &IngestConfig) -> Result<Document> {
    let fetch = crate::fetch::FetchConfig {
        max_bytes: config.max_document_bytes,
        timeout: std::time::Duration::from_secs(30),
    };
    let corpus = corpus::load(&[crate::input_of(path, &fetch)], config);
    warn_skipped(&corpus.skipped);
    let mut documents = corpus.documents.into_iter();
    match (documents.next(), documents.next()) {
        (Some(document), None) => Ok(document),
        (None, _) => bail!("{path}: no document could be read"),
        (Some(document), Some(_)) => {
            eprintln!(
                "stemma: {path} holds several documents; comparing the first, {}",
                document.id
            );
            Ok(document)
        }
    }
}

#[derive(serde::Deserialize)]
struct PairLine {
    id: Option<serde_json::Value>,
    source: String,
    version: String,
}

/// One compared pair, or why its line was skipped.
fn compare_line(line_no: usize, line: &str, config: &AnalyzeConfig) -> Result<String, String> {
    let pair: PairLine = serde_json::from_str(line)
        .map_err(|error| format!("line {line_no}: malformed JSON: {error}"))?;
    let id = match pair.id {
        Some(serde_json::Value::String(id)) => id,
        Some(other) => other.to_string(),
        None => line_no.to_string(),
    };
    let source = corpus::document_from_text("source", &format!("line {line_no}"), &pair.source)
        .map_err(|skip| format!("line {line_no}: source: {}", skip.reason))?;
    let version = corpus::document_from_text("version", &format!("line {line_no}"), &pair.version)
        .map_err(|skip| format!("line {line_no}: version: {}", skip.reason))?;
    let comparison = compare(&source, &version, config);
    let entry = json::compare_entry(Some(&id), &source, &version, &comparison, false);
    serde_json::to_string(&entry).map_err(|error| format!("line {line_no}: {error}"))
}

fn run_pairs(path: &str, args: &CompareArgs) -> Result<ExitCode> {
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?,
        ))
    };
    let config = args.check.config(Some(2))?;
    let mut out = Output::open(args.out.as_deref())?;
    let mut written = 0usize;
    let mut batch: Vec<(usize, String)> = Vec::with_capacity(1024);
    let mut flush = |batch: &mut Vec<(usize, String)>, out: &mut Output| -> Result<()> {
        let results: Vec<Result<String, String>> = batch
            .par_iter()
            .map(|(line_no, line)| compare_line(*line_no, line, &config))
            .collect();
        for result in results {
            match result {
                Ok(json) => {
                    writeln!(out, "{json}")?;
                    written += 1;
                }
                Err(reason) => eprintln!("stemma: skipped {path}:{reason}"),
            }
        }
        batch.clear();
        Ok(())
    };
    let mut reader = reader;
    let mut bytes = Vec::new();
    let mut line_no = 0usize;
    loop {
        bytes.clear();
        let read = reader
            .read_until(b'\n', &mut bytes)
            .with_context(|| format!("cannot read {path}"))?;
        if read == 0 {
            break;
        }
        line_no += 1;
        // A line that is not UTF-8 costs that line only.
        let Ok(line) = std::str::from_utf8(&bytes) else {
            eprintln!("stemma: skipped {path}:line {line_no}: not UTF-8 text");
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        batch.push((line_no, line.trim_end().to_string()));
        if batch.len() >= 1024 {
            flush(&mut batch, &mut out)?;
        }
    }
    flush(&mut batch, &mut out)?;
    out.finish()?;
    if written == 0 {
        eprintln!("stemma: no pair could be compared");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
