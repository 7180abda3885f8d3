//! The plain data every stage passes along: documents and their sentences, and the
//! records of inputs that could not be read.
//!
//! Nothing here does IO or analysis; later stages add their own result types beside their
//! code (`cluster::Story`, `collate::Alignment`, …) and keep this module small.

use jiff::Zoned;

/// One ingested article, normalised and split into sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The file name without extension, the `id` field of a JSON Lines record, or the
    /// WARC record's target URI (see `SPEC.md`).
    pub id: String,
    /// Where it came from: a path, `path:line` for JSON Lines, or a URI.
    pub source: String,
    /// The headline, when the input has one.
    pub title: Option<String>,
    /// Publication time, with the offset the page gave (UTC when it gave none).
    pub published: Option<Zoned>,
    /// The canonical URL, when known.
    pub url: Option<String>,
    /// The byline, when known.
    pub author: Option<String>,
    /// The normalised body text: blocks separated by a blank line.
    pub text: String,
    /// The body's sentences and headings in reading order. Every `sentence` index of the
    /// JSON report points into this list.
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// The local calendar date of publication, the anchor for relative dates.
    pub fn published_date(&self) -> Option<jiff::civil::Date> {
        self.published.as_ref().map(Zoned::date)
    }

    /// The sentences that carry article prose (headings left out), with their indices.
    pub fn body_sentences(&self) -> impl Iterator<Item = (usize, &Sentence)> {
        self.sentences
            .iter()
            .enumerate()
            .filter(|(_, sentence)| sentence.kind == SentenceKind::Body)
    }
}

/// A sentence (or a heading) of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence as normalised, trimmed.
    pub text: String,
    /// Which block (paragraph, heading, list item) of the document it belongs to.
    pub block: usize,
    /// Whether it is prose or a heading.
    pub kind: SentenceKind,
}

/// What a sentence is, so later stages can leave headings out of alignment and facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SentenceKind {
    /// Article prose.
    Body,
    /// A heading inside the article body.
    Heading,
}

/// An input, or part of one, that could not be read, with the one-line reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path, `path:line`, or URI of what was skipped.
    pub source: String,
    /// Why, in one line ("binary file", "truncated gzip stream after 3 lines", …).
    pub reason: String,
}

impl Skipped {
    /// A skipped input with its reason.
    pub fn new(source: impl Into<String>, reason: impl Into<String>) -> Skipped {
        Skipped {
            source: source.into(),
            reason: reason.into(),
        }
    }
}

/// Formats a publication time the way the JSON report shows it: RFC 3339 in UTC.
pub fn format_published(published: &Zoned) -> String {
    published
        .timestamp()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}
