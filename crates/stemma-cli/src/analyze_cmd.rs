//! `stemma analyze`: the main job — stories, lineage, drift — over a pile of articles.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};

use stemma::analysis::analyze_stories;
use stemma::cluster::{ClusterConfig, cluster_documents};
use stemma::corpus;
use stemma::report::text::TextOptions;
use stemma::report::{html, json, text};

use crate::output::Output;
use crate::{ReadArgs, progress, warn_skipped};

/// Output formats of `analyze`.
#[derive(Clone, Copy, ValueEnum)]
pub enum AnalyzeFormat {
    /// A readable report for the terminal.
    Text,
    /// The JSON report of SPEC.md, for programs.
    Json,
    /// One self-contained HTML page (no network requests): lineage, collation, drift, facts.
    Html,
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
    let config = args.check.config()?;
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
    }
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
