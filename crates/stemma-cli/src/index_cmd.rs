//! `stemma index`: a persistent index that grows batch by batch (see `index/mod.rs` for
//! how it keeps its stories equal to `stemma cluster` over the same documents).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use stemma::corpus;
use stemma::model::Skipped;
use stemma::report::{html, json, text};

use crate::analyze_cmd::{AnalyzeFormat, text_options};
use crate::cluster_cmd::StoryLine;
use crate::index::{self, Index, Stories};
use crate::output::Output;
use crate::{ReadArgs, progress, warn_skipped};

/// Arguments of `stemma index`.
#[derive(Args)]
pub struct IndexArgs {
    /// The index file (SQLite). Also read from STEMMA_INDEX; default ./stemma.db.
    #[arg(long, global = true, value_name = "FILE")]
    pub index: Option<PathBuf>,
    #[command(subcommand)]
    pub command: IndexCommand,
}

/// What `stemma index` does.
#[derive(Subcommand)]
pub enum IndexCommand {
    /// Add documents as one batch: new ids are added, a known id with a changed text
    /// becomes a new revision, a known id with the same text is left as it is. Prints what
    /// was added and which stories grew.
    Add(AddArgs),
    /// The stories of the index as JSON Lines, exactly as `stemma cluster` gives them for
    /// the same documents: `{"story": "s1", "documents": [ids…]}`, singletons included.
    Stories(StoriesArgs),
    /// The report of `stemma analyze` for stories of the index.
    Analyze(IndexAnalyzeArgs),
    /// Counts: documents, revisions, batches, stories, the file's size and schema.
    Stats,
}

/// Arguments of `stemma index add`.
#[derive(Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Arguments of `stemma index stories`.
#[derive(Args)]
pub struct StoriesArgs {
    /// Only stories with a version added (or revised) at or after this time: a date
    /// (2026-12-01, midnight UTC) or an RFC 3339 time (2026-12-01T06:00:00Z).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only the story that holds this document id.
    #[arg(long, value_name = "ID")]
    containing: Option<String>,
    /// Only stories of at least this many versions.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_versions: usize,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Arguments of `stemma index analyze`.
#[derive(Args)]
pub struct IndexAnalyzeArgs {
    /// The story to analyse (`s3`, as `index stories` numbers them).
    #[arg(
        value_name = "STORY",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    story: Option<String>,
    /// Every story of the index.
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    format: AnalyzeFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    check: crate::CheckArgs,
}

/// Runs `stemma index …`.
pub fn run(args: &IndexArgs) -> Result<ExitCode> {
    let path = index::resolve_path(args.index.as_deref());
    match &args.command {
        IndexCommand::Add(add) => crate::with_threads(&add.read, || run_add(&path, add)),
        IndexCommand::Stories(stories) => run_stories(&path, stories),
        IndexCommand::Analyze(analyze) => run_analyze(&path, analyze),
        IndexCommand::Stats => run_stats(&path),
    }
}

/// Stories listed by name in the summary of a batch; past it, a count.
const LISTED_STORIES: usize = 20;

/// The counts of an added batch and the stories it grew, as `index add` and
/// `POST /documents` report them.
#[derive(serde::Serialize)]
pub struct AddReport {
    /// New documents.
    pub added: usize,
    /// New revisions of known documents.
    pub revised: usize,
    /// Documents offered again with the same text.
    pub unchanged: usize,
    /// Inputs, lines or records that could not be read.
    pub skipped: Vec<SkippedItem>,
    /// Stories of several versions that hold a document of this batch, by number.
    pub stories: Vec<GrownStory>,
    /// Documents in the index after the batch.
    pub documents: usize,
    /// Stories in the index after the batch.
    pub stories_total: usize,
}

/// An input that could not be read, and why.
#[derive(serde::Serialize)]
pub struct SkippedItem {
    /// Path, `path:line` or address.
    pub source: String,
    /// The one-line reason.
    pub reason: String,
}

/// A story that a batch grew.
#[derive(serde::Serialize)]
pub struct GrownStory {
    /// `s3`.
    pub story: String,
    /// Its versions after the batch.
    pub versions: usize,
    /// The documents of the batch in it.
    pub added: Vec<String>,
}

/// Adds a batch of documents, read by `read` (which hands each prepared document to the
/// callback, and returns the skips), then brings the stories up to date.
pub fn add_batch(
    path: &Path,
    read: impl FnOnce(&mut dyn FnMut(String, &index::Prepared) -> Result<()>) -> Vec<Skipped>,
) -> Result<AddReport> {
    let mut index = Index::open(path)?;
    let mut batch = index.batch()?;
    let mut failure: Option<anyhow::Error> = None;
    let skipped = read(&mut |id, prepared| {
        if failure.is_none()
            && let Err(error) = batch.put(&id, prepared)
        {
            failure = Some(error);
        }
        Ok(())
    });
    if let Some(error) = failure {
        return Err(error.context("cannot add to the index"));
    }
    let summary = batch.commit()?;
    let stories = index.stories(true)?;
    let story_of = stories.story_of();
    let mut grown: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for id in &summary.changed {
        if let Some(&k) = story_of.get(id.as_str())
            && stories.members[k].len() > 1
        {
            grown.entry(k).or_default().push(id.clone());
        }
    }
    Ok(AddReport {
        added: summary.changed.len() - summary.revised,
        revised: summary.revised,
        unchanged: summary.unchanged.len(),
        skipped: skipped
            .into_iter()
            .map(|skip| SkippedItem {
                source: skip.source,
                reason: skip.reason,
            })
            .collect(),
        stories: grown
            .into_iter()
            .map(|(k, mut added)| {
                added.sort();
                GrownStory {
                    story: format!("s{}", k + 1),
                    versions: stories.members[k].len(),
                    added,
                }
            })
            .collect(),
        documents: story_of.len(),
        stories_total: stories.members.len(),
    })
}

fn run_add(path: &Path, args: &AddArgs) -> Result<ExitCode> {
    let bar = progress("documents read");
    let inputs = args.read.inputs();
    let config = args.read.config();
    let report = add_batch(path, |put| {
        let mut skipped_all = Vec::new();
        let mut failure: Option<anyhow::Error> = None;
        corpus::stream_map(
            &inputs,
            &config,
            256,
            corpus::Sentences::Split,
            &|document| index::prepare(&document),
            &mut |batch, skipped| {
                bar.inc(batch.len() as u64);
                if !skipped.is_empty() {
                    bar.suspend(|| warn_skipped(&skipped));
                }
                skipped_all.extend(skipped);
                for (id, prepared) in batch {
                    if failure.is_some() {
                        break;
                    }
                    let done = prepared
                        .map_err(anyhow::Error::from)
                        .and_then(|prepared| put(id, &prepared));
                    if let Err(error) = done {
                        failure = Some(error);
                    }
                }
            },
        );
        bar.set_message("documents read; clustering");
        skipped_all
    })?;
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    write_add_report(&mut out, &report)?;
    if report.added + report.revised + report.unchanged == 0 {
        eprintln!("stemma: no document could be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn write_add_report(out: &mut dyn Write, report: &AddReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{} added, {} revised, {} unchanged, {} skipped",
        report.added,
        report.revised,
        report.unchanged,
        report.skipped.len()
    )?;
    writeln!(
        out,
        "index: {} documents in {} stories",
        report.documents, report.stories_total
    )?;
    if report.stories.is_empty() {
        return writeln!(out, "no story grew");
    }
    writeln!(out, "stories grown: {}", report.stories.len())?;
    for story in report.stories.iter().take(LISTED_STORIES) {
        writeln!(
            out,
            "  {} ({} versions) + {}",
            story.story,
            story.versions,
            story.added.join(", ")
        )?;
    }
    if report.stories.len() > LISTED_STORIES {
        writeln!(
            out,
            "  … and {} more",
            report.stories.len() - LISTED_STORIES
        )?;
    }
    Ok(())
}

/// The filters of `index stories` and `GET /stories`.
#[derive(Default)]
pub struct StoryFilter {
    /// Unix seconds: stories with a version added at or after.
    pub since: Option<i64>,
    /// A document the story must hold.
    pub containing: Option<String>,
    /// The fewest versions.
    pub min_versions: usize,
}

/// Reads `--since`: a date (midnight UTC) or an RFC 3339 time, as Unix seconds.
pub fn parse_since(text: &str) -> Result<i64> {
    if let Ok(time) = text.parse::<jiff::Timestamp>() {
        return Ok(time.as_second());
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        let midnight = jiff::tz::Offset::UTC
            .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .context("a date out of range")?;
        return Ok(midnight.as_second());
    }
    bail!("cannot read {text:?} as a date (2026-12-01) or a time (2026-12-01T06:00:00Z)")
}

/// The 0-based numbers of the stories that pass `filter`, in story order.
pub fn filter_stories(
    index: &Index,
    stories: &Stories,
    filter: &StoryFilter,
) -> Result<Vec<usize>> {
    let recent = match filter.since {
        Some(since) => Some(index.added_since(since)?),
        None => None,
    };
    Ok((0..stories.members.len())
        .filter(|&k| {
            let members = &stories.members[k];
            members.len() >= filter.min_versions
                && filter
                    .containing
                    .as_ref()
                    .is_none_or(|id| members.iter().any(|m| m == id))
                && recent
                    .as_ref()
                    .is_none_or(|recent| members.iter().any(|m| recent.contains(m)))
        })
        .collect())
}

/// Writes the JSON line of story `k`, as `stemma cluster` does.
pub fn write_story_line(out: &mut dyn Write, stories: &Stories, k: usize) -> std::io::Result<()> {
    let story = format!("s{}", k + 1);
    let line = StoryLine {
        story: &story,
        documents: stories.members[k].iter().map(String::as_str).collect(),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")
}

fn run_stories(path: &Path, args: &StoriesArgs) -> Result<ExitCode> {
    let filter = StoryFilter {
        since: args.since.as_deref().map(parse_since).transpose()?,
        containing: args.containing.clone(),
        min_versions: args.min_versions,
    };
    let mut out = Output::open(args.out.as_deref())?;
    let mut index = Index::open_existing(path)?;
    let stories = index.stories(false)?;
    for k in filter_stories(&index, &stories, &filter)? {
        write_story_line(&mut out, &stories, k).context("cannot write the stories")?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn run_analyze(path: &Path, args: &IndexAnalyzeArgs) -> Result<ExitCode> {
    let mut index = Index::open_existing(path)?;
    let stories = index.stories(false)?;
    let which: Vec<usize> = match &args.story {
        Some(story) => match stories.find(story) {
            Some(k) => vec![k],
            None => bail!(
                "no story {story} in the index (it has s1 to s{})",
                stories.members.len()
            ),
        },
        None => (0..stories.members.len()).collect(),
    };
    if which.is_empty() {
        eprintln!("stemma: the index holds no document");
        return Ok(ExitCode::from(1));
    }
    let n_documents = which.iter().map(|&k| stories.members[k].len()).sum();
    let config = args.check.config(Some(n_documents))?;
    let mut out = Output::open(args.out.as_deref())?;
    if let AnalyzeFormat::Jsonl = args.format {
        let groups: Vec<(String, Vec<usize>)> = which
            .iter()
            .map(|&k| (format!("s{}", k + 1), vec![k]))
            .collect();
        let mut n_drift = 0;
        // Analysis reads from worker threads; a connection serves one at a time.
        let index = std::sync::Mutex::new(index);
        stemma::analysis::analyze_stories_batched(
            &groups,
            1024,
            &config,
            |story| {
                let index = index
                    .lock()
                    .map_err(|_| anyhow::anyhow!("a reader of the index failed"))?;
                index.documents(&stories.members[story[0]])
            },
            crate::analyze_cmd::jsonl_line,
            |rendered| {
                let (line, drift) = rendered.map_err(anyhow::Error::from)?;
                n_drift += drift;
                out.write_all(&line)?;
                Ok(())
            },
        )?;
        let summary = json::SummaryLine {
            summary: json::Summary {
                stemma: stemma::VERSION,
                documents: n_documents,
                skipped: 0,
                stories: groups.len(),
                drift: n_drift,
            },
        };
        serde_json::to_writer(&mut out, &summary).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        out.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let (documents, analyses) = index::analyze(&index, &stories, &which, &config)?;
    match args.format {
        AnalyzeFormat::Text => text::write_report(
            &mut out,
            &documents,
            &[],
            &analyses,
            &text_options(args.out.as_deref()),
        )?,
        AnalyzeFormat::Json => {
            let report = json::report(&documents, &[], &analyses);
            serde_json::to_writer_pretty(&mut out, &report).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        AnalyzeFormat::Html => html::write_report(&mut out, &documents, &[], &analyses)?,
        AnalyzeFormat::Jsonl => unreachable!("written above"),
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn run_stats(path: &Path) -> Result<ExitCode> {
    let mut index = Index::open_existing(path)?;
    let stats = index.stats()?;
    let stories = index.stories(false)?;
    let several = stories.members.iter().filter(|m| m.len() > 1).count();
    let largest = stories.members.iter().map(Vec::len).max().unwrap_or(0);
    let bytes: u64 = [
        path.to_path_buf(),
        PathBuf::from(format!("{}-wal", path.display())),
    ]
    .iter()
    .filter_map(|p| std::fs::metadata(p).ok())
    .map(|m| m.len())
    .sum();
    let last = stats.last_batch_at.map_or("never".to_string(), |at| {
        jiff::Timestamp::from_second(at).map_or(at.to_string(), |t| t.to_string())
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "index:       {}", path.display())?;
    writeln!(out, "schema:      {}", stats.schema)?;
    writeln!(out, "documents:   {}", stats.documents)?;
    writeln!(out, "revisions:   {}", stats.revisions)?;
    writeln!(out, "batches:     {} (last {last})", stats.batches)?;
    writeln!(
        out,
        "stories:     {} ({several} of several versions, the largest {largest})",
        stories.members.len()
    )?;
    writeln!(out, "size:        {bytes} bytes")?;
    Ok(ExitCode::SUCCESS)
}
