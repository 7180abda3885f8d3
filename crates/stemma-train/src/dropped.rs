//! Dropped facts, measured on BBC articles held out from every model that reads them:
//!
//! - **planted**: one figure-bearing sentence removed from an article; the drop is found
//!   when the analysis of the two versions reports a dropped fact of that sentence;
//! - **faithful**: full rewordings, spins and reposts that keep every fact; any dropped
//!   fact reported for one of them is a false alarm.
//!
//! Both are analysed as the CLI analyses a story of two documents (the original found by
//! the analysis, not given).

use rayon::prelude::*;
use stemma::analysis::{AnalyzeConfig, analyze_story};
use stemma::drift::DriftKind;
use stemma::facts::{self, Fact, FactKind};
use stemma::model::Document;
use stemma::verdict::keep;

use crate::data::{self, BbcArticle, FrankPair};
use crate::learn::{self, Fit, Table};
use crate::synth::derive::Recipe;
use crate::{Report, synth};

/// Whether an article is held out of training (a fifth of the articles, by id).
pub fn held_out(id: &str) -> bool {
    learn::group_of(&format!("held-out:{id}")).is_multiple_of(5)
}

/// A figure: an amount, a percentage, a count, or a number written in digits.
fn is_figure(fact: &Fact) -> bool {
    match fact.kind {
        FactKind::Money | FactKind::Percent | FactKind::Quantity => true,
        FactKind::Number => fact.text.chars().any(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// An article with one figure-bearing body sentence (not the first) removed, and the
/// sentence's index in the article.
fn plant(document: &Document, paragraphs: &[Vec<String>], seed: u64) -> Option<(Document, usize)> {
    let facts = facts::extract(document, None);
    let body: Vec<usize> = document.body_sentences().map(|(i, _)| i).collect();
    if body.len() < 4 {
        return None;
    }
    let candidates: Vec<usize> = body[1..]
        .iter()
        .copied()
        .filter(|&i| facts.iter().any(|f| f.sentence == i && is_figure(f)))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let pick = (learn::splitmix(learn::group_of(&document.id) ^ seed) as usize) % candidates.len();
    let removed = candidates[pick];
    let target = document.sentences[removed].text.as_str();
    let mut gone = false;
    let kept: Vec<String> = paragraphs
        .iter()
        .map(|p| {
            p.iter()
                .filter(|s| {
                    let drop = !gone && s.as_str() == target;
                    gone |= drop;
                    !drop
                })
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect();
    if !gone {
        return None;
    }
    let id = format!("{}~cut", document.id);
    let mut version = stemma::corpus::document_from_text(&id, &id, &kept.join("\n\n")).ok()?;
    version.title = document.title.clone();
    Some((version, removed))
}

/// The dropped facts the analysis of a two-version story reports against `source`
/// (corpus index 0), as the source sentences they come from; `None` when the analysis
/// took the version for the original.
fn dropped_sentences(source: &Document, version: &Document) -> Option<Vec<(usize, bool)>> {
    let corpus = [source.clone(), version.clone()];
    let story = analyze_story("s1".into(), &corpus, &[0, 1], &AnalyzeConfig::default());
    if story.original != 0 {
        return None;
    }
    Some(
        story
            .drift
            .iter()
            .filter(|d| d.drift.kind == DriftKind::Dropped && d.against == 0)
            .filter_map(|d| d.drift.source.as_ref())
            .map(|f| (f.sentence, is_figure(f)))
            .collect(),
    )
}

/// A planted drop: the article, the sentence removed, and the dropped facts the analysis
/// reported (by source sentence, and whether each is a figure).
type Planted<'a> = (&'a Document, usize, Option<Vec<(usize, bool)>>);

/// A training row of the keep model: its features and whether the summary kept the fact.
type KeepRow = (Vec<f64>, bool);

/// Planted-drop recall and faithful-rewrite false alarms on the held-out articles.
pub fn eval(seed: u64, report: &mut Report) -> anyhow::Result<()> {
    let articles: Vec<BbcArticle> = data::bbc_articles(&data::data_dir())?
        .into_iter()
        .filter(|a| held_out(&a.id))
        .collect();
    let read = synth::read_articles(&articles);
    let planted: Vec<Planted> = read
        .par_iter()
        .filter_map(|(document, paragraphs)| {
            let (version, removed) = plant(document, paragraphs, seed)?;
            Some((document, removed, dropped_sentences(document, &version)))
        })
        .collect();
    let hit = |removed: usize, items: &Option<Vec<(usize, bool)>>| {
        items
            .as_ref()
            .is_some_and(|items| items.iter().any(|&(s, figure)| s == removed && figure))
    };
    let found = planted
        .iter()
        .filter(|(_, removed, items)| hit(*removed, items))
        .count();
    let flipped = planted
        .iter()
        .filter(|(_, _, items)| items.is_none())
        .count();
    let n = planted.len().max(1) as f64;
    report.row("dropped", "planted figure", "recall", found as f64 / n);
    report.row(
        "dropped",
        "planted figure",
        "version taken for original",
        flipped as f64 / n,
    );

    let recipes = [
        Recipe::RepostFooter,
        Recipe::RepostTypography,
        Recipe::SpinSynonyms,
        Recipe::RewordFull,
        Recipe::SpinHeavy,
        Recipe::RewriteMachine,
    ];
    let faithful = synth::versions_by(&articles, seed, &recipes, |_| true);
    let alarms: Vec<(&'static str, bool)> = faithful
        .par_iter()
        .map(|e| {
            let items = dropped_sentences(&e.source, &e.version);
            (e.recipe, items.is_some_and(|items| !items.is_empty()))
        })
        .collect();
    let rate = |filter: &dyn Fn(&str) -> bool| {
        let chosen: Vec<bool> = alarms
            .iter()
            .filter(|(r, _)| filter(r))
            .map(|a| a.1)
            .collect();
        chosen.iter().filter(|&&a| a).count() as f64 / chosen.len().max(1) as f64
    };
    report.row(
        "dropped",
        "faithful rewrite",
        "false alarms",
        rate(&|_| true),
    );
    for recipe in recipes {
        report.row(
            "dropped",
            recipe.name(),
            "false alarms",
            rate(&|r| r == recipe.name()),
        );
    }
    Ok(())
}

/// Summaries of the training articles: the BBC's extractive summary (the body sentences
/// it copies) and generated lead, picked, condensed and one-sentence summaries.
fn summaries(articles: &[BbcArticle], seed: u64) -> Vec<(Document, Document)> {
    let mut out = Vec::new();
    for ((document, paragraphs), article) in
        synth::read_articles(articles).into_iter().filter_map(|r| {
            let article = articles.iter().find(|a| a.id == r.0.id)?;
            Some((r, article))
        })
    {
        let kept: Vec<&str> = paragraphs
            .iter()
            .flatten()
            .filter(|s| article.extractive_summary.contains(s.as_str()))
            .map(String::as_str)
            .collect();
        if kept.is_empty() {
            continue;
        }
        let id = format!("{}~extractive", document.id);
        if let Ok(summary) = stemma::corpus::document_from_text(&id, &id, &kept.join(" ")) {
            out.push((document, summary));
        }
    }
    let recipes = [
        Recipe::LeadSummary,
        Recipe::PickedSummary,
        Recipe::CondensedSummary,
        Recipe::Brief,
    ];
    out.extend(
        synth::versions_by(articles, seed, &recipes, |_| true)
            .into_iter()
            .map(|e| (e.source, e.version)),
    );
    out
}

/// One training row per reportable fact of the source (its first mention): the keep
/// model's features, and whether the summary carries it.
fn rows(source: &Document, summary: &Document) -> Vec<KeepRow> {
    let pair = stemma::collate::align_documents(source, summary, &Default::default());
    let source_facts = facts::extract(source, None);
    let summary_facts = facts::extract_with_reference(summary, None, Some(source));
    let drift = stemma::drift::find_drift(
        source,
        &source_facts,
        summary,
        &summary_facts,
        &pair.links,
        &[],
        stemma::drift::Scope::Derived,
    );
    let left: Vec<(FactKind, String)> = drift
        .iter()
        .filter(|d| d.kind == DriftKind::Dropped)
        .filter_map(|d| d.source.as_ref())
        .map(|f| (f.kind, f.value_string()))
        .collect();
    let mut seen = Vec::new();
    source_facts
        .iter()
        .filter(|f| stemma::drift::droppable(f, source, &source_facts))
        .filter(|f| {
            let key = (f.kind, f.value_string());
            let first = !seen.contains(&key);
            seen.push(key);
            first
        })
        .map(|f| {
            let x = keep::features(source, summary, &source_facts, f, &pair.links);
            (x, !left.contains(&(f.kind, f.value_string())))
        })
        .collect()
}

/// Cross-validates, reports and fits the keep model on summaries of the training articles
/// (the held-out fifth is left for [`eval`]).
pub fn train(seed: u64, report: &mut Report) -> anyhow::Result<stemma::verdict::Model> {
    let articles: Vec<BbcArticle> = data::bbc_articles(&data::data_dir())?
        .into_iter()
        .filter(|a| !held_out(&a.id))
        .collect();
    let mut pairs = summaries(&articles, seed);
    // Machine summaries of CNN and Daily Mail articles: abstractive, three or four
    // sentences, each fusing and trimming its source's sentences.
    let frank: Vec<FrankPair> = data::read_jsonl(&data::data_dir().join("frank/cnndm.jsonl"))?;
    for (k, f) in frank.iter().enumerate() {
        let make = |id: String, text: &str| stemma::corpus::document_from_text(&id, &id, text).ok();
        if let (Some(a), Some(b)) = (
            make(f.hash.clone(), &f.article),
            make(format!("{}~{k}", f.hash), &f.summary),
        ) {
            pairs.push((a, b));
        }
    }
    let rows: Vec<(u64, Vec<KeepRow>)> = pairs
        .par_iter()
        .map(|(source, summary)| (learn::group_of(&source.id), rows(source, summary)))
        .collect();
    let mut table = Table::default();
    for (group, facts) in rows {
        for (x, kept) in facts {
            table.push(x, usize::from(!kept), group);
        }
    }
    let how = Fit {
        name: "keep".into(),
        classes: vec!["kept".into(), "left".into()],
        features: keep::FEATURES.iter().map(|s| s.to_string()).collect(),
        alpha: 1.0,
    };
    let probabilities = learn::cross_validate(&table, &how, 5, seed)?;
    let scores: Vec<f64> = probabilities.iter().map(|p| p[0]).collect();
    let truth: Vec<bool> = table.labels.iter().map(|&l| l == 0).collect();
    let b = learn::binary(&scores, &truth, 0.5);
    let ece = learn::calibration_error(&scores, &truth);
    let name = "keep (BBC and FRANK summaries, 5-fold CV by article)";
    report.row(name, "model", "balanced accuracy", b.balanced);
    report.row(name, "model", "calibration error", ece);
    report.row(
        name,
        "model",
        "share kept",
        truth.iter().filter(|&&t| t).count() as f64 / truth.len().max(1) as f64,
    );
    let mut model = learn::fit(&table, &how)?;
    model.threshold = 0.5;
    model.trained = serde_json::json!({
        "data": [
            "bbc-news/articles.jsonl: extractive summaries, and generated lead, picked, condensed and one-sentence summaries, of the four fifths of the articles not held out",
            "frank/cnndm.jsonl: machine summaries of CNN/DailyMail articles",
        ],
        "examples": table.rows.len(),
        "seed": seed,
        "alpha": how.alpha,
        "threshold": "0.5 on the combined probability that the version should have kept the fact",
        "cross_validated": {"balanced_accuracy": b.balanced, "calibration_error": ece},
    });
    Ok(model)
}
