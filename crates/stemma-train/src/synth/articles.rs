//! The BBC articles as the generator uses them: each read by the library into sentences
//! grouped by paragraph, and indexed by category so that another article of the same
//! kind of news is at hand.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use stemma::model::{Document, SentenceKind};

use super::rng::Rng;
use crate::data::BbcArticle;

/// A BBC article read by the library.
#[derive(Debug, Clone)]
pub struct Article {
    /// The article id ("business/001").
    pub id: String,
    /// Its section.
    pub category: String,
    /// Its headline.
    pub title: String,
    /// The body as the library reads it; `None` when it has no text.
    pub document: Option<Document>,
    /// The body's sentences, paragraph by paragraph.
    pub paragraphs: Vec<Vec<String>>,
}

impl Article {
    fn read(bbc: &BbcArticle) -> Article {
        let document = stemma::corpus::document_from_text(&bbc.id, &bbc.id, &bbc.body)
            .ok()
            .map(|mut document| {
                document.title = Some(bbc.title.clone()).filter(|t| !t.trim().is_empty());
                document
            });
        let paragraphs = document.as_ref().map(paragraphs_of).unwrap_or_default();
        Article {
            id: bbc.id.clone(),
            category: bbc.category.clone(),
            title: bbc.title.clone(),
            document,
            paragraphs,
        }
    }

    /// The sentences in order.
    pub fn sentences(&self) -> Vec<String> {
        self.paragraphs.iter().flatten().cloned().collect()
    }

    /// How many sentences the article has.
    pub fn n_sentences(&self) -> usize {
        self.paragraphs.iter().map(Vec::len).sum()
    }
}

/// A document's body sentences grouped by the block they belong to.
pub fn paragraphs_of(document: &Document) -> Vec<Vec<String>> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut last_block = None;
    for sentence in &document.sentences {
        if sentence.kind != SentenceKind::Body {
            continue;
        }
        if last_block != Some(sentence.block) {
            paragraphs.push(Vec::new());
            last_block = Some(sentence.block);
        }
        if let Some(paragraph) = paragraphs.last_mut() {
            paragraph.push(sentence.text.clone());
        }
    }
    paragraphs
}

/// Paragraphs written out as plain text: sentences joined by a space, paragraphs by a
/// blank line, as `document_from_text` reads them.
pub fn join(paragraphs: &[Vec<String>]) -> String {
    paragraphs
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Every article, and the articles of each category.
#[derive(Debug, Clone)]
pub struct Library {
    /// The articles, in input order.
    pub articles: Vec<Article>,
    by_category: BTreeMap<String, Vec<usize>>,
}

impl Library {
    /// Reads the articles.
    pub fn new(articles: &[BbcArticle]) -> Library {
        let articles: Vec<Article> = articles.iter().map(Article::read).collect();
        let mut by_category: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, article) in articles.iter().enumerate() {
            if article.n_sentences() > 0 {
                by_category
                    .entry(article.category.clone())
                    .or_default()
                    .push(index);
            }
        }
        Library {
            articles,
            by_category,
        }
    }

    /// Another article of the same category than article `index`, with at least
    /// `min_sentences` sentences, or `None` when there is none.
    pub fn other(&self, index: usize, min_sentences: usize, rng: &mut Rng) -> Option<usize> {
        let candidates: Vec<usize> = self
            .by_category
            .get(&self.articles[index].category)?
            .iter()
            .copied()
            .filter(|&i| i != index && self.articles[i].n_sentences() >= min_sentences)
            .collect();
        rng.pick(&candidates).copied()
    }

    /// Up to `n` different other articles of the same category, in random order.
    pub fn others(&self, index: usize, n: usize, rng: &mut Rng) -> Vec<usize> {
        let mut candidates: Vec<usize> = self
            .by_category
            .get(&self.articles[index].category)
            .map(|list| list.iter().copied().filter(|&i| i != index).collect())
            .unwrap_or_default();
        // A partial shuffle would do; the lists are a few hundred long.
        rng.shuffle(&mut candidates);
        candidates.truncate(n);
        candidates
    }
}

/// The stock sentences of `padding.txt`, by section.
fn padding() -> &'static BTreeMap<String, Vec<String>> {
    static SECTIONS: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    SECTIONS.get_or_init(|| {
        let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut current = String::new();
        for line in include_str!("padding.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = name.to_string();
                continue;
            }
            sections
                .entry(current.clone())
                .or_default()
                .push(line.to_string());
        }
        sections
    })
}

/// The stock sentences of one section (empty for an unknown section).
pub fn stock(section: &str) -> &'static [String] {
    padding().get(section).map_or(&[], Vec::as_slice)
}

/// Up to `n` different stock sentences of a section, in random order.
pub fn stock_sample(section: &str, n: usize, rng: &mut Rng) -> Vec<String> {
    let mut lines = stock(section).to_vec();
    rng.shuffle(&mut lines);
    lines.truncate(n);
    lines
}
