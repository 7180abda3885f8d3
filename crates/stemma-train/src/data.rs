//! Readers for the development data in `../shared/data` (see its README): each set as
//! plain records, in file order.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

/// The development data folder: `STEMMA_DATA`, else `../shared/data` beside the repository.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("STEMMA_DATA") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// Reads a JSON Lines file into records; a malformed line is an error naming the line.
pub fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), i + 1))
        })
        .collect()
}

/// A BBC article (`bbc-news/articles.jsonl`).
#[derive(Debug, Clone, Deserialize)]
pub struct BbcArticle {
    /// Article id.
    pub id: String,
    /// Section: business, entertainment, politics, sport, tech.
    pub category: String,
    /// Headline.
    pub title: String,
    /// Body text, paragraphs separated by blank lines.
    pub body: String,
    /// Extractive summary: body sentences concatenated without spaces.
    #[serde(default)]
    pub extractive_summary: String,
    /// Articles with the same group are exact duplicates.
    #[serde(default)]
    pub exact_dup_group: Option<serde_json::Value>,
}

/// The BBC articles, one per exact-duplicate group (the first of each).
pub fn bbc_articles(dir: &Path) -> Result<Vec<BbcArticle>> {
    let mut seen = std::collections::HashSet::new();
    let articles: Vec<BbcArticle> = read_jsonl(&dir.join("bbc-news/articles.jsonl"))?;
    Ok(articles
        .into_iter()
        .filter(|a| match &a.exact_dup_group {
            Some(group) if !group.is_null() => seen.insert(group.to_string()),
            _ => true,
        })
        .collect())
}

/// An MRPC sentence pair.
#[derive(Debug, Clone, Deserialize)]
pub struct MrpcPair {
    /// 1 paraphrase, 0 not.
    pub label: u8,
    /// First sentence.
    pub sentence1: String,
    /// Second sentence.
    pub sentence2: String,
}

/// An STS-B news pair, graded 0–5.
#[derive(Debug, Clone, Deserialize)]
pub struct StsPair {
    /// Similarity 0–5.
    pub score: f32,
    /// First sentence.
    pub sentence1: String,
    /// Second sentence.
    pub sentence2: String,
}

/// A SummEdits (document, summary) pair.
#[derive(Debug, Clone, Deserialize)]
pub struct SummEdit {
    /// Record id; the seed summary's group is the id without its last part.
    pub id: String,
    /// Domain (`ectsum`, `podcast`, …).
    pub domain: String,
    /// 1 consistent with `doc`, 0 not.
    pub label: u8,
    /// The edits applied to the seed summary.
    #[serde(default)]
    pub edit_types: Vec<String>,
    /// The source document.
    pub doc: String,
    /// The (possibly edited) summary.
    pub summary: String,
    /// The consistent seed summary it was edited from.
    #[serde(default)]
    pub original_summary: String,
}

/// Every SummEdits record of the non-news domains, domain by domain in name order.
pub fn summedits(dir: &Path) -> Result<Vec<SummEdit>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("summedits-other"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for file in files {
        all.extend(read_jsonl::<SummEdit>(&file)?);
    }
    Ok(all)
}

/// A FRANK (article, machine summary) pair with its human factuality label.
#[derive(Debug, Clone, Deserialize)]
pub struct FrankPair {
    /// Hash of the article: the five summaries of one article share it.
    pub hash: String,
    /// The summarisation system.
    pub model_name: String,
    /// The source article.
    pub article: String,
    /// The machine summary.
    pub summary: String,
    /// 1 when every summary sentence was judged factual.
    pub label: u8,
}

/// An ECB+ document with its gold story.
#[derive(Debug, Clone, Deserialize)]
pub struct EcbDocument {
    /// Document id.
    pub doc_id: String,
    /// Topic (two events of one kind).
    pub topic: serde_json::Value,
    /// Gold story.
    pub cluster: serde_json::Value,
    /// The document already split into sentences.
    pub sentences: Vec<String>,
}
