//! Synthetic training data made from BBC articles: versions of every derivation and
//! edits that change or invent facts.
//!
//! Real data gives few labelled versions, and none of some kinds (a padded-out copy, a
//! summary with a moved date), so the learned verdicts are trained on versions made here
//! from the BBC articles, the way sites really make them:
//!
//! - [`derivation_examples`]: (source, version) document pairs labelled with a
//!   [`Derivation`], each made by a named recipe (`repost-footer`, `spin-heavy`,
//!   `lead-summary`, …; see [`derive::Recipe`]), including chains whose source is the
//!   version in between (`copy-of-paraphrase`).
//! - [`consistency_examples`]: an article and a summary of it, faithful or with one or
//!   two recorded [`Edit`]s that change or invent a fact.
//! - [`sentence_pair_examples`]: sentence pairs labelled `paraphrase`, `changed` or
//!   `unrelated`, in equal numbers.
//!
//! Everything is deterministic for a seed: the generator is a seeded splitmix64 of our
//! own ([`rng`]), every article draws from its own stream, articles are visited in
//! order, and no hash map's order reaches the output.
//!
//! ```ignore
//! let articles = crate::data::bbc_articles(&crate::data::data_dir())?;
//! let examples = synth::derivation_examples(&articles, 1, 1);
//! ```

// The trainer's commands that read these examples are not written yet; the tests below
// call every entry point.
#![allow(dead_code)]

mod articles;
mod consistency;
pub mod derive;
mod edit;
mod pairs;
mod reword;
pub mod rng;
mod text;

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use stemma::model::Document;
use stemma::provenance::Derivation;

use crate::data::BbcArticle;
use articles::Library;
use derive::{RECIPES, Recipe};
use edit::ArticleFacts;
use rng::Rng;

/// Streams of the generator, one per kind of example, so that asking for more of one
/// kind never changes the others.
const STREAM_DERIVATION: u64 = 1;
const STREAM_LABELS: u64 = 2;
const STREAM_CONSISTENCY: u64 = 3;
const STREAM_PAIRS: u64 = 4;
const STREAM_FAITHFUL: u64 = 5;

/// One generated (source, version) pair of articles.
#[derive(Debug, Clone)]
pub struct DerivationExample {
    /// The document the version was made from: the BBC article, or for a chain the
    /// version in between.
    pub source: Document,
    /// The version.
    pub version: Document,
    /// How the version derives from the source.
    pub derivation: Derivation,
    /// The recipe that made the version (`repost-footer`, `spin-heavy`, …).
    pub recipe: &'static str,
}

/// One generated (source, version) pair where the version may change or invent facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsistencyExample {
    /// The source text (the article body).
    pub source: String,
    /// A summary-like text of several sentences.
    pub version: String,
    /// Whether the version changes or invents no fact.
    pub consistent: bool,
    /// The edits made; empty when consistent.
    pub edits: Vec<Edit>,
}

/// An edit of a version that changes or invents a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// What sort of edit.
    pub kind: EditKind,
    /// The index of the edited sentence in the version, as the library splits it
    /// (`stemma::corpus::document_from_text(..).sentences`).
    pub sentence: usize,
    /// The words replaced (empty when something was added).
    pub before: String,
    /// The words that replaced them, or what was added.
    pub after: String,
}

/// The kinds of edit that make a version inconsistent with its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// A name, organisation or place swapped for another of the same article.
    EntitySwap,
    /// A number changed to another of the article's or moved by a plausible amount.
    NumberChange,
    /// A year, month, weekday, day or relative date moved.
    DateMove,
    /// A statement negated, or a negation removed.
    Negation,
    /// A word turned into its antonym ("rose" → "fell").
    Antonym,
    /// A role or title changed ("minister" → "deputy minister").
    RoleChange,
    /// A quotation attributed to another person of the article.
    QuoteMisattributed,
    /// A sentence of another article inserted.
    ForeignSentence,
    /// A clause with a new number or name added.
    InventedDetail,
}

impl EditKind {
    /// Every kind.
    pub const ALL: [EditKind; 9] = [
        EditKind::EntitySwap,
        EditKind::NumberChange,
        EditKind::DateMove,
        EditKind::Negation,
        EditKind::Antonym,
        EditKind::RoleChange,
        EditKind::QuoteMisattributed,
        EditKind::ForeignSentence,
        EditKind::InventedDetail,
    ];
}

/// Sentence pairs with a label, for the sentence-pair model: `paraphrase` (same content,
/// other words), `changed` (same sentence, one detail changed: a number, name, date,
/// negation, antonym, role), `unrelated` (another sentence sharing some words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentencePairExample {
    /// One sentence.
    pub a: String,
    /// The other.
    pub b: String,
    /// `paraphrase`, `changed` or `unrelated`.
    pub label: &'static str,
}

/// The derivations, in the order labels are dealt.
const LABELS: [Derivation; 7] = [
    Derivation::Copy,
    Derivation::Edit,
    Derivation::Paraphrase,
    Derivation::Summary,
    Derivation::Expansion,
    Derivation::Partial,
    Derivation::Independent,
];

/// `per_article` (source, version) pairs from every article with text. Labels are dealt
/// in shuffled rounds of seven, so each derivation gets a seventh of the examples; an
/// article that cannot make the label it is dealt (a three-sentence article has no
/// summary) makes the next label it can.
pub fn derivation_examples(
    articles: &[BbcArticle],
    seed: u64,
    per_article: usize,
) -> Vec<DerivationExample> {
    let library = Library::new(articles);
    let mut examples = Vec::new();
    let mut dealt = 0u64;
    let mut round = LABELS;
    for (index, article) in library.articles.iter().enumerate() {
        let Some(source) = &article.document else {
            continue;
        };
        for k in 0..per_article {
            if dealt.is_multiple_of(LABELS.len() as u64) {
                round = LABELS;
                Rng::for_item(seed, STREAM_LABELS, dealt / LABELS.len() as u64).shuffle(&mut round);
            }
            let first = (dealt % LABELS.len() as u64) as usize;
            dealt += 1;
            let mut rng = Rng::for_item(seed, STREAM_DERIVATION, (index * per_article + k) as u64);
            let labels = (0..LABELS.len()).map(|step| round[(first + step) % LABELS.len()]);
            let made = labels.into_iter().find_map(|label| {
                let mut recipes: Vec<Recipe> = RECIPES
                    .iter()
                    .copied()
                    .filter(|r| r.derivation() == label)
                    .collect();
                rng.shuffle(&mut recipes);
                recipes.into_iter().find_map(|recipe| {
                    derive::make(recipe, &library, index, &mut rng).map(|m| (recipe, m))
                })
            });
            let Some((recipe, made)) = made else {
                continue;
            };
            let version_id = format!("{}~{k}-{}", article.id, recipe.name());
            let source = match &made.intermediate {
                None => source.clone(),
                Some((middle, text, title)) => {
                    let id = format!("{}~{k}-{}", article.id, middle.name());
                    let Ok(mut document) =
                        stemma::corpus::document_from_text(&id, middle.name(), text)
                    else {
                        continue;
                    };
                    document.title = title.clone();
                    document
                }
            };
            let Ok(mut version) =
                stemma::corpus::document_from_text(&version_id, recipe.name(), &made.text)
            else {
                continue;
            };
            version.title = made.title;
            examples.push(DerivationExample {
                source,
                version,
                derivation: recipe.derivation(),
                recipe: recipe.name(),
            });
        }
    }
    examples
}

/// One version by each of `recipes` of every article that `take` accepts (by its index
/// among the articles), when the article can make it: the same versions for a seed
/// whatever else is asked.
pub fn versions_by(
    articles: &[BbcArticle],
    seed: u64,
    recipes: &[Recipe],
    take: impl Fn(usize) -> bool,
) -> Vec<DerivationExample> {
    let library = Library::new(articles);
    let mut examples = Vec::new();
    for (index, article) in library.articles.iter().enumerate() {
        let Some(source) = &article.document else {
            continue;
        };
        if !take(index) {
            continue;
        }
        for (k, &recipe) in recipes.iter().enumerate() {
            let mut rng = Rng::for_item(seed, STREAM_FAITHFUL, (index * recipes.len() + k) as u64);
            let Some(made) = derive::make(recipe, &library, index, &mut rng) else {
                continue;
            };
            if made.intermediate.is_some() {
                continue;
            }
            let version_id = format!("{}~{}", article.id, recipe.name());
            let Ok(mut version) =
                stemma::corpus::document_from_text(&version_id, recipe.name(), &made.text)
            else {
                continue;
            };
            version.title = made.title;
            examples.push(DerivationExample {
                source: source.clone(),
                version,
                derivation: recipe.derivation(),
                recipe: recipe.name(),
            });
        }
    }
    examples
}

/// Paragraphs of sentences as one text, paragraphs apart by a blank line.
pub fn join_paragraphs(paragraphs: &[Vec<String>]) -> String {
    articles::join(paragraphs)
}

/// The BBC articles as the library reads them, with their sentences by paragraph.
pub fn read_articles(articles: &[BbcArticle]) -> Vec<(Document, Vec<Vec<String>>)> {
    Library::new(articles)
        .articles
        .into_iter()
        .filter_map(|a| a.document.map(|d| (d, a.paragraphs)))
        .collect()
}

/// `per_article` consistency examples from every article of two sentences or more, about
/// half of them consistent.
pub fn consistency_examples(
    articles: &[BbcArticle],
    seed: u64,
    per_article: usize,
) -> Vec<ConsistencyExample> {
    let library = Library::new(articles);
    let mut examples = Vec::new();
    for (index, article) in library.articles.iter().enumerate() {
        if article.n_sentences() < 2 {
            continue;
        }
        let facts = ArticleFacts::of(&article.sentences());
        for k in 0..per_article {
            let mut rng = Rng::for_item(seed, STREAM_CONSISTENCY, (index * per_article + k) as u64);
            examples.extend(consistency::example(&library, index, &facts, &mut rng));
        }
    }
    examples
}

/// `per_article` rounds of one pair of each label from every article (fewer when an
/// article has no sentence that gives all three).
pub fn sentence_pair_examples(
    articles: &[BbcArticle],
    seed: u64,
    per_article: usize,
) -> Vec<SentencePairExample> {
    let library = Library::new(articles);
    let mut examples = Vec::new();
    for (index, article) in library.articles.iter().enumerate() {
        if article.n_sentences() == 0 {
            continue;
        }
        let facts = ArticleFacts::of(&article.sentences());
        for k in 0..per_article {
            let mut rng = Rng::for_item(seed, STREAM_PAIRS, (index * per_article + k) as u64);
            examples.extend(pairs::triple(&library, index, &facts, &mut rng));
        }
    }
    examples
}

/// A derivation example as a JSON line.
#[derive(Serialize)]
struct DerivationRecord<'a> {
    source_id: &'a str,
    version_id: &'a str,
    derivation: Derivation,
    recipe: &'a str,
    source_title: Option<&'a str>,
    version_title: Option<&'a str>,
    source: &'a str,
    version: &'a str,
}

/// How many articles the samples are made from: a few hundred examples of each kind.
const SAMPLE_ARTICLES: usize = 300;

/// Writes a few hundred examples of each kind, made from an even spread of the BBC
/// articles of the development data, as JSON Lines: `derivations.jsonl`,
/// `consistency.jsonl` and `sentence_pairs.jsonl` in `dir` (created if needed).
pub fn write_samples(dir: &Path, seed: u64) -> anyhow::Result<()> {
    let articles = crate::data::bbc_articles(&crate::data::data_dir())?;
    let step = (articles.len() / SAMPLE_ARTICLES).max(1);
    let sample: Vec<BbcArticle> = articles.into_iter().step_by(step).collect();
    write_examples(dir, &sample, seed)
}

/// Writes one example of each kind per article (three sentence pairs) to `dir`.
pub fn write_examples(dir: &Path, articles: &[BbcArticle], seed: u64) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let derivations: Vec<DerivationExample> = derivation_examples(articles, seed, 1);
    write_jsonl(
        &dir.join("derivations.jsonl"),
        derivations.iter().map(|e| DerivationRecord {
            source_id: &e.source.id,
            version_id: &e.version.id,
            derivation: e.derivation,
            recipe: e.recipe,
            source_title: e.source.title.as_deref(),
            version_title: e.version.title.as_deref(),
            source: &e.source.text,
            version: &e.version.text,
        }),
    )?;
    write_jsonl(
        &dir.join("consistency.jsonl"),
        consistency_examples(articles, seed, 1).iter(),
    )?;
    write_jsonl(
        &dir.join("sentence_pairs.jsonl"),
        sentence_pair_examples(articles, seed, 1).iter(),
    )?;
    Ok(())
}

fn write_jsonl<T: Serialize>(path: &Path, records: impl Iterator<Item = T>) -> anyhow::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::new(file);
    for record in records {
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests;
