//! `stemma inspect`: documents as stemma reads them, as text or JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{Document, SentenceKind, Skipped, format_published};

/// A document as `inspect --format json` shows it.
#[derive(Serialize)]
pub struct InspectedDocument<'a> {
    /// Document id.
    pub id: &'a str,
    /// Path, `path:line` or URI.
    pub source: &'a str,
    /// Headline.
    pub title: Option<&'a str>,
    /// Publication time in UTC.
    pub published: Option<String>,
    /// Canonical URL.
    pub url: Option<&'a str>,
    /// Byline.
    pub author: Option<&'a str>,
    /// Characters of normalised text.
    pub chars: usize,
    /// The sentence list every `sentence` index points into.
    pub sentences: Vec<&'a str>,
    /// Indices of the entries of `sentences` that are headings.
    pub headings: Vec<usize>,
}

impl<'a> InspectedDocument<'a> {
    /// The inspect view of a document.
    pub fn new(document: &'a Document) -> InspectedDocument<'a> {
        InspectedDocument {
            id: &document.id,
            source: &document.source,
            title: document.title.as_deref(),
            published: document.published.as_ref().map(format_published),
            url: document.url.as_deref(),
            author: document.author.as_deref(),
            chars: document.text.chars().count(),
            sentences: document.sentences.iter().map(|s| s.text.as_str()).collect(),
            headings: document
                .sentences
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind == SentenceKind::Heading)
                .map(|(i, _)| i)
                .collect(),
        }
    }
}

/// A skipped input as the JSON reports show it.
#[derive(Serialize)]
pub struct SkippedEntry<'a> {
    /// Path, `path:line`, or URI.
    pub source: &'a str,
    /// Why it was skipped.
    pub reason: &'a str,
}

impl<'a> From<&'a Skipped> for SkippedEntry<'a> {
    fn from(skipped: &'a Skipped) -> SkippedEntry<'a> {
        SkippedEntry {
            source: &skipped.source,
            reason: &skipped.reason,
        }
    }
}

/// Writes documents as a streamed JSON object `{"documents": [...], "skipped": [...]}`:
/// call [`JsonInspectWriter::documents`] per batch, then [`JsonInspectWriter::finish`].
pub struct JsonInspectWriter<W: Write> {
    out: W,
    written: usize,
}

impl<W: Write> JsonInspectWriter<W> {
    /// Starts the object.
    pub fn new(mut out: W) -> io::Result<JsonInspectWriter<W>> {
        out.write_all(b"{\"documents\": [")?;
        Ok(JsonInspectWriter { out, written: 0 })
    }

    /// Writes a batch of documents.
    pub fn documents(&mut self, documents: &[Document]) -> io::Result<()> {
        for document in documents {
            self.out
                .write_all(if self.written == 0 { b"\n  " } else { b",\n  " })?;
            serde_json::to_writer(&mut self.out, &InspectedDocument::new(document))?;
            self.written += 1;
        }
        Ok(())
    }

    /// Writes the skipped inputs and closes the object.
    pub fn finish(mut self, skipped: &[Skipped]) -> io::Result<W> {
        self.out.write_all(b"\n],\n\"skipped\": ")?;
        let entries: Vec<SkippedEntry> = skipped.iter().map(SkippedEntry::from).collect();
        serde_json::to_writer(&mut self.out, &entries)?;
        self.out.write_all(b"}\n")?;
        Ok(self.out)
    }
}

/// Writes one document as readable text: metadata, then numbered sentences (headings
/// marked `#`).
pub fn write_text(out: &mut dyn Write, document: &Document) -> io::Result<()> {
    writeln!(out, "{}  ({})", document.id, document.source)?;
    let field = |name: &str, value: Option<&str>| -> Option<String> {
        value.map(|v| format!("  {name:<10} {v}"))
    };
    let published = document.published.as_ref().map(format_published);
    for line in [
        field("title", document.title.as_deref()),
        field("published", published.as_deref()),
        field("url", document.url.as_deref()),
        field("author", document.author.as_deref()),
    ]
    .into_iter()
    .flatten()
    {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "  {} sentences, {} characters",
        document.sentences.len(),
        document.text.chars().count()
    )?;
    for (i, sentence) in document.sentences.iter().enumerate() {
        let mark = if sentence.kind == SentenceKind::Heading {
            "#"
        } else {
            " "
        };
        writeln!(out, "  {mark}{i:>3}  {}", sentence.text)?;
    }
    writeln!(out)
}
