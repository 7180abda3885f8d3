//! `stemma cluster`: the stories of a corpus of any size, as JSON Lines.
//!
//! Documents are streamed ([`corpus::stream_map`], without splitting sentences) and
//! reduced to their id and fingerprint as soon as they are read, so memory grows by about
//! a kilobyte per document, not by the size of the text. One line per story, singletons included, in the order of the stories'
//! first document ids: `{"story": "s1", "documents": ["id", …]}`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use stemma::cluster::{self, ClusterConfig};
use stemma::corpus;
use stemma::fingerprint::{self, Fingerprint};

use crate::output::Output;
use crate::{ReadArgs, progress, warn_skipped};

/// Documents handed over per batch: large enough to keep every core busy fingerprinting.
const BATCH: usize = 1024;

#[derive(Args)]
pub struct ClusterArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// How candidate pairs are verified: the hand-set similarity, or the learned
    /// same-story model (better on one-sentence summaries, a little worse on reports of
    /// one event by different outlets).
    #[arg(long, value_enum, default_value_t = PairScore::HandSet)]
    pub score: PairScore,
}

/// The score that verifies candidate pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PairScore {
    /// Shingle near-duplicates and rarity-weighted shared terms, hand-set.
    HandSet,
    /// The same figures read by a logistic regression trained on BBC, ECB+, FRANK and
    /// the clustering benchmark's planted corpus.
    Learned,
}

/// One line of the output (serialised straight to the writer: building a `serde_json::Value`
/// per story first took longer than the writing).
#[derive(serde::Serialize)]
pub(crate) struct StoryLine<'a> {
    pub(crate) story: &'a str,
    pub(crate) documents: Vec<&'a str>,
}

pub fn run(args: &ClusterArgs) -> Result<ExitCode> {
    let config = match args.score {
        PairScore::HandSet => ClusterConfig::hand_set(),
        PairScore::Learned => ClusterConfig::learned(),
    };
    // Open the output first: a destination that cannot be written fails before the work.
    let mut out = Output::open(args.out.as_deref())?;
    let bar = progress("documents read");
    let mut ids: Vec<String> = Vec::new();
    let mut fingerprints: Vec<Fingerprint> = Vec::new();
    // Sentences are not split: clustering reads the text only. Each document is
    // fingerprinted by the worker that built it and dropped there.
    corpus::stream_map(
        &args.read.inputs(),
        &args.read.config(),
        BATCH,
        corpus::Sentences::Skip,
        &|document| fingerprint::fingerprint(&document, &config.fingerprint),
        &mut |prints, skipped| {
            bar.inc(prints.len() as u64);
            if !skipped.is_empty() {
                bar.suspend(|| warn_skipped(&skipped));
            }
            for (id, print) in prints {
                ids.push(id);
                fingerprints.push(print);
            }
        },
    );
    if ids.is_empty() {
        bar.finish_and_clear();
        eprintln!("stemma: no document could be read");
        return Ok(ExitCode::from(1));
    }
    bar.set_message(format!("documents read; clustering {}", ids.len()));
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let stories = cluster::cluster(&fingerprints, &id_refs, &config);
    drop(fingerprints);
    bar.finish_and_clear();
    for story in &stories {
        let line = StoryLine {
            story: &story.id,
            documents: story.documents.iter().map(|&d| id_refs[d]).collect(),
        };
        serde_json::to_writer(&mut out, &line).context("cannot write the stories")?;
        out.write_all(b"\n").context("cannot write the stories")?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
