//! `stemma analyze`: the main job — stories, lineage, drift — over a pile of articles.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};

use stemma::analysis::{AnalyzeConfig, analyze_stories};
use stemma::cluster::{ClusterConfig, cluster_documents};
use stemma::corpus;
use stemma::report::{json, text};

use crate::output::Output;
use crate::{ReadArgs, progress, warn_skipped};

/// Output formats of `analyze`.
#[derive(Clone, Copy, ValueEnum)]
pub enum AnalyzeFormat {
    /// A readable report for the terminal.
    Text,
    /// The JSON report of SPEC.md, for programs.
    Json,
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
}

/// Runs `analyze`.
pub fn run(args: &AnalyzeArgs) -> Result<ExitCode> {
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
    let analyses = analyze_stories(&documents, &stories, &AnalyzeConfig::default());
    let mut out = Output::open(args.out.as_deref())?;
    match args.format {
        AnalyzeFormat::Text => text::write_report(&mut out, &documents, &skipped, &analyses)?,
        AnalyzeFormat::Json => {
            let report = json::report(&documents, &skipped, &analyses);
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
