//! `stemma-train`: retrains every learned verdict of stemma from the development data
//! (`../shared/data`, or `STEMMA_DATA`) with fixed seeds, and prints the dev table.
//!
//! ```text
//! stemma-train train [--seed N] [--models DIR]   # refit every model, write the model files
//! stemma-train eval  [--seed N]                  # the dev table only (cross-validated)
//! ```
//!
//! Built with `--features embed` and given the sentence model (found as the CLI finds it),
//! it also trains and reports the variants that read the model's cosine.

mod consistency;
mod data;
mod derivation;
mod dropped;
mod learn;
mod pair;
mod stories;
mod synth;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "stemma-train",
    version,
    about = "Trains and evaluates stemma's learned verdicts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Refit every model from the development data and write the model files.
    Train {
        /// Seed of the folds and the synthetic data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where the model files go (the library's `models/` folder by default).
        #[arg(long, value_name = "DIR")]
        models: Option<PathBuf>,
        /// Train one model only. Later models read features that earlier ones give (the
        /// derivation reads link scores from the pair model; consistency reads the
        /// derivation), and the library compiles its models in, so `train.sh` trains them
        /// one stage at a time and rebuilds in between.
        #[arg(long, value_enum)]
        only: Option<Stage>,
    },
    /// Print every dev figure (cross-validated where the model trains on that set).
    Eval {
        /// Seed of the folds and the synthetic data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Evaluate one model only.
        #[arg(long, value_enum)]
        only: Option<Stage>,
        /// Leave the sentence model out even when it is there (the word-only figures).
        #[arg(long)]
        words_only: bool,
    },
    /// Show the mean derivation features and the predicted derivations of the versions one
    /// recipe makes from the first articles.
    Recipe {
        /// The recipe's name (`condensed-rewrite`, `spin-heavy`, …).
        name: String,
        /// How many articles to try.
        #[arg(long, default_value_t = 60)]
        articles: usize,
    },
    /// Show the derivation model's features and class probabilities for one pair of files.
    Explain {
        /// The source article.
        source: PathBuf,
        /// The version.
        version: PathBuf,
    },
}

/// The models, in training order.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Stage {
    /// Sentence pairs: paraphrase / changed / unrelated.
    Pair,
    /// Derivation of a version from a source.
    Derivation,
    /// Consistency of a version with its source.
    Consistency,
    /// Facts a version should have kept.
    Dropped,
    /// Story membership: the score clustering verifies pairs with.
    Stories,
}

/// The dev table: one row per verdict, variant and measure.
#[derive(Debug, Default)]
pub struct Report {
    rows: Vec<(String, String, String, f64)>,
}

impl Report {
    /// Adds a figure.
    pub fn row(&mut self, verdict: &str, variant: &str, measure: &str, value: f64) {
        self.rows
            .push((verdict.into(), variant.into(), measure.into(), value));
    }

    fn print(&self) {
        let width = |k: usize| {
            self.rows
                .iter()
                .map(|r| match k {
                    0 => r.0.chars().count(),
                    1 => r.1.chars().count(),
                    _ => r.2.chars().count(),
                })
                .max()
                .unwrap_or(0)
        };
        let (a, b, c) = (width(0), width(1), width(2));
        println!(
            "{:a$}  {:b$}  {:c$}  value",
            "verdict", "variant", "measure"
        );
        for (verdict, variant, measure, value) in &self.rows {
            println!("{verdict:a$}  {variant:b$}  {measure:c$}  {value:.3}");
        }
    }
}

/// Cosines from the sentence model, cached by sentence.
pub struct Encoder {
    #[cfg(feature = "embed")]
    embedder: stemma::collate::embed::Embedder,
    cache: Mutex<HashMap<String, Vec<f32>>>,
    tokens: Mutex<HashMap<String, std::sync::Arc<Vec<Vec<f32>>>>>,
}

impl Encoder {
    #[cfg(feature = "embed")]
    fn load() -> Option<Encoder> {
        let dir = stemma::collate::embed::find_model_dir()?;
        let embedder = stemma::collate::embed::Embedder::load(&dir).ok()?;
        Some(Encoder {
            embedder,
            cache: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
        })
    }

    #[cfg(not(feature = "embed"))]
    fn load() -> Option<Encoder> {
        None
    }

    /// Encodes sentences ahead of use, in batches (much faster than one at a time).
    pub fn prefetch(&self, sentences: &[&str]) {
        #[cfg(feature = "embed")]
        fill(&self.cache, sentences, |chunk| {
            self.embedder.embed(chunk).ok()
        });
        #[cfg(not(feature = "embed"))]
        let _ = sentences;
    }

    fn vector(&self, sentence: &str) -> Vec<f32> {
        if let Some(v) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(sentence)
        {
            return v.clone();
        }
        self.prefetch(&[sentence]);
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(sentence)
            .cloned()
            .unwrap_or_default()
    }

    /// The sentence model itself.
    #[cfg(feature = "embed")]
    pub fn embedder(&self) -> &stemma::collate::embed::Embedder {
        &self.embedder
    }

    /// Reads sentences' word pieces in context ahead of use, in batches.
    pub fn prefetch_tokens(&self, sentences: &[&str]) {
        #[cfg(feature = "embed")]
        fill(&self.tokens, sentences, |chunk| {
            let encoded = self.embedder.embed_tokens(chunk).ok()?;
            Some(
                encoded
                    .into_iter()
                    .map(|e| std::sync::Arc::new(e.tokens))
                    .collect(),
            )
        });
        #[cfg(not(feature = "embed"))]
        let _ = sentences;
    }

    /// [`stemma::collate::embed::token_alignment`] of two sentences (zeros when the model
    /// failed on one).
    pub fn token_alignment(&self, a: &str, b: &str) -> [f32; 5] {
        #[cfg(feature = "embed")]
        {
            let get = |s: &str| {
                let hit = self
                    .tokens
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(s)
                    .cloned();
                hit.or_else(|| {
                    self.prefetch_tokens(&[s]);
                    self.tokens
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get(s)
                        .cloned()
                })
                .unwrap_or_default()
            };
            stemma::collate::embed::token_alignment(&get(a), &get(b))
        }
        #[cfg(not(feature = "embed"))]
        {
            let _ = (a, b);
            [0.0; 5]
        }
    }

    /// The cosine of two sentences (0 when the model failed on one).
    pub fn cosine(&self, a: &str, b: &str) -> f32 {
        let (x, y) = (self.vector(a), self.vector(b));
        x.iter().zip(&y).map(|(p, q)| p * q).sum()
    }
}

/// Adds to `cache` the sentences it lacks, computed 256 at a time by `compute` (a chunk
/// the model fails on is left out).
#[cfg(feature = "embed")]
fn fill<T>(
    cache: &Mutex<HashMap<String, T>>,
    sentences: &[&str],
    compute: impl Fn(&[&str]) -> Option<Vec<T>>,
) {
    let mut todo: Vec<&str> = {
        let cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        sentences
            .iter()
            .copied()
            .filter(|s| !cache.contains_key(*s))
            .collect()
    };
    todo.sort_unstable();
    todo.dedup();
    for chunk in todo.chunks(256) {
        if let Some(values) = compute(chunk) {
            let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
            for (s, v) in chunk.iter().zip(values) {
                cache.insert((*s).to_string(), v);
            }
        }
    }
}

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../stemma/models")
}

fn write_model(dir: &Path, file: &str, model: &stemma::verdict::Model) -> Result<()> {
    let path = dir.join(file);
    let mut text = serde_json::to_string_pretty(model)?;
    text.push('\n');
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn explain(source: &Path, version: &Path) -> Result<()> {
    use stemma::ingest::{IngestConfig, Input};
    let read = |p: &Path| -> Result<stemma::model::Document> {
        let corpus =
            stemma::corpus::load(&[Input::Path(p.to_path_buf())], &IngestConfig::default());
        corpus
            .documents
            .into_iter()
            .next()
            .with_context(|| format!("{}: no document", p.display()))
    };
    let (source, version) = (read(source)?, read(version)?);
    let pair = stemma::collate::align_documents(&source, &version, &Default::default());
    let links: Vec<(usize, usize)> = pair.links.iter().map(|l| (l.version, l.source)).collect();
    let model = stemma::verdict::derivation::model();
    let x = stemma::verdict::derivation::features(&source, &version, &pair.summary, &links);
    for (name, value) in stemma::verdict::derivation::FEATURES.iter().zip(x) {
        println!("{name:24} {value:.3}");
    }
    let derived = stemma::verdict::derivation::derived_model();
    println!(
        "P(derived) = {:.3} (threshold {:.2})",
        derived.probability(
            &stemma::verdict::derivation::derived_features(&x),
            "derived"
        ),
        derived.threshold
    );
    for (class, p) in model
        .classes
        .iter()
        .zip(model.predict(&stemma::verdict::derivation::kind_features(&x)))
    {
        println!("P({class}) = {p:.3}");
    }
    Ok(())
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Command::Explain { source, version } = &cli.command {
        return explain(source, version);
    }
    if let Command::Recipe { name, articles } = &cli.command {
        return derivation::show_recipe(name, *articles);
    }
    let (seed, write_to, only, words_only) = match cli.command {
        Command::Explain { .. } | Command::Recipe { .. } => unreachable!("handled above"),
        Command::Train { seed, models, only } => {
            (seed, Some(models.unwrap_or_else(models_dir)), only, false)
        }
        Command::Eval {
            seed,
            only,
            words_only,
        } => (seed, None, only, words_only),
    };
    let wanted = |stage: Stage| only.is_none_or(|o| o == stage);
    let mut report = Report::default();
    let encoder = if words_only { None } else { Encoder::load() };
    if encoder.is_none() {
        eprintln!(
            "stemma-train: no sentence model (build with --features embed and install it); word-only models only"
        );
    }
    let save = |file: &str, model: &stemma::verdict::Model| -> Result<()> {
        match &write_to {
            Some(dir) => write_model(dir, file, model),
            None => Ok(()),
        }
    };
    if wanted(Stage::Pair) {
        save("pair.json", &pair::run(None, seed, &mut report)?)?;
        if let Some(encoder) = &encoder {
            save(
                "pair-embed.json",
                &pair::run(Some(encoder), seed, &mut report)?,
            )?;
        }
    }
    if wanted(Stage::Derivation) {
        let examples = derivation::examples(seed)?;
        let (derived, kind) = derivation::run(&examples, seed, &mut report)?;
        #[cfg(feature = "embed")]
        if let Some(encoder) = &encoder {
            derivation::with_model(&examples, encoder, &mut report);
        }
        save("derived.json", &derived)?;
        save("derivation.json", &kind)?;
    }
    if wanted(Stage::Consistency) {
        let examples = consistency::examples(seed)?;
        save(
            "consistency.json",
            &consistency::run(&examples, None, seed, &mut report)?,
        )?;
        if let Some(encoder) = &encoder {
            let model = consistency::run(&examples, Some(encoder), seed, &mut report)?;
            save("consistency-embed.json", &model)?;
        }
    }
    if wanted(Stage::Dropped) {
        save("keep.json", &dropped::train(seed, &mut report)?)?;
        dropped::eval(seed, &mut report)?;
    }
    if wanted(Stage::Stories) {
        save("story.json", &stories::train(seed, &mut report)?)?;
        stories::briefs(synth::derive::Recipe::Brief, seed, &mut report)?;
        stories::briefs(synth::derive::Recipe::BriefMachine, seed, &mut report)?;
    }
    report.print();
    Ok(())
}
