//! The front of the pipeline as one call: inputs → documents (ingest, extract, normalise,
//! segment), in parallel, with the skipped inputs beside them.
//!
//! [`load`] keeps every document (what `analyze` needs); [`stream`] hands documents over in
//! batches and forgets them, so memory stays flat however large the input (what `inspect`
//! needs on a crawl); [`stream_map`] turns each document into something smaller on the
//! worker that built it, optionally without splitting sentences ([`Sentences::Skip`]: what
//! `cluster` needs, a fingerprint per document). All give documents in input order, and
//! make ids unique (a second `story.txt` in another folder becomes `story~2`).

use std::collections::HashMap;
use std::sync::mpsc;

use rayon::prelude::*;

use crate::ingest::{self, IngestConfig, Input, Item, RawDocument};
use crate::model::{Document, Skipped};
use crate::normalize::{self, Block};
use crate::segment;

/// Documents read from a set of inputs, and what could not be read.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The documents, in input order.
    pub documents: Vec<Document>,
    /// Inputs, lines or records skipped, with reasons.
    pub skipped: Vec<Skipped>,
}

/// How far documents are built: whether their sentences are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sentences {
    /// Split the body into sentences (what the per-story stages need).
    Split,
    /// Leave [`Document::sentences`] empty: clustering reads only the text, and splitting
    /// costs as much as fingerprinting. The same documents are kept or skipped as with
    /// `Split` (a document needs a paragraph, whose text always yields a sentence).
    Skip,
}

/// Builds a document from a raw one: extraction, normalisation, segmentation.
pub fn build_document(raw: RawDocument) -> Result<Document, Skipped> {
    build_document_as(raw, Sentences::Split)
}

/// Builds a document from a raw one, splitting its sentences or not.
pub fn build_document_as(raw: RawDocument, split: Sentences) -> Result<Document, Skipped> {
    let (raw, blocks) = ingest::extract(raw)?;
    document_from_blocks(raw, blocks, split)
}

fn document_from_blocks(
    raw: RawDocument,
    blocks: Vec<Block>,
    split: Sentences,
) -> Result<Document, Skipped> {
    let blocks = normalize::normalize_blocks(blocks);
    // Normalised blocks are never empty, and a paragraph's text always yields at least
    // one body sentence: a paragraph is what makes an article.
    if !blocks
        .iter()
        .any(|b| b.kind == normalize::BlockKind::Paragraph)
    {
        return Err(Skipped::new(raw.source, "no article text"));
    }
    let sentences = match split {
        Sentences::Split => segment::segment_blocks(&blocks),
        Sentences::Skip => Vec::new(),
    };
    let text = blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let clean = |value: Option<String>| {
        value
            .map(|v| normalize::clean_text(&v))
            .filter(|v| !v.is_empty())
    };
    Ok(Document {
        id: raw.id,
        source: raw.source,
        title: clean(raw.meta.title),
        published: raw.meta.published,
        url: clean(raw.meta.url),
        author: clean(raw.meta.author),
        text,
        sentences,
    })
}

/// Builds a document from plain text (paragraphs separated by blank lines, or one per
/// line), as `compare --pairs` receives it.
pub fn document_from_text(id: &str, source: &str, text: &str) -> Result<Document, Skipped> {
    let raw = RawDocument {
        id: id.to_string(),
        source: source.to_string(),
        meta: ingest::Meta::default(),
        body: ingest::Body::Blocks(ingest::text_blocks(text)),
    };
    build_document(raw)
}

/// Reads every input into memory.
pub fn load(inputs: &[Input], config: &IngestConfig) -> Corpus {
    let mut corpus = Corpus::default();
    stream(inputs, config, 256, &mut |documents, skipped| {
        corpus.documents.extend(documents);
        corpus.skipped.extend(skipped);
    });
    corpus
}

/// Reads inputs and calls `sink` with each batch of documents (at most `batch_size`, in
/// input order) and the skips met since the previous batch. Reading runs on its own thread
/// while the batch before is processed on the rayon pool.
pub fn stream(
    inputs: &[Input],
    config: &IngestConfig,
    batch_size: usize,
    sink: &mut dyn FnMut(Vec<Document>, Vec<Skipped>),
) {
    stream_map(
        inputs,
        config,
        batch_size,
        Sentences::Split,
        &|document| document,
        &mut |mapped, skipped| {
            let documents = mapped
                .into_iter()
                .map(|(id, mut document)| {
                    document.id = id;
                    document
                })
                .collect();
            sink(documents, skipped);
        },
    );
}

/// Like [`stream`], but each document is turned into a `T` by `map` on the worker thread
/// that built it, and dropped: the sink receives `(unique id, T)` pairs. This is how
/// `cluster` keeps only a fingerprint per document and fingerprints while it builds.
pub fn stream_map<T: Send>(
    inputs: &[Input],
    config: &IngestConfig,
    batch_size: usize,
    split: Sentences,
    map: &(dyn Fn(Document) -> T + Sync),
    sink: &mut dyn FnMut(Vec<(String, T)>, Vec<Skipped>),
) {
    let (files, discover_skips) = ingest::discover(inputs);
    if !discover_skips.is_empty() {
        sink(Vec::new(), discover_skips);
    }
    let batch_size = batch_size.max(1);
    // The workers are idle while the first batch is read: the boilerplate patterns are
    // compiled meanwhile.
    rayon::spawn(normalize::prepare_boilerplate);
    // Two batches in flight bound the memory; the reader rarely waits for long.
    let (sender, receiver) = mpsc::sync_channel::<Vec<Item>>(2);
    let config = config.clone();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(batch_size);
            for file in &files {
                ingest::read(file, &config, &mut |item| {
                    batch.push(item);
                    if batch.len() >= batch_size {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                        // The receiver only hangs up when the caller is gone; nothing to do.
                        let _ = sender.send(full);
                    }
                });
            }
            if !batch.is_empty() {
                let _ = sender.send(batch);
            }
        });
        let mut ids = UniqueIds::default();
        for items in receiver {
            let results: Vec<Result<(String, T), Skipped>> = items
                .into_par_iter()
                .map(|item| match item {
                    Item::Document(raw) => build_document_as(raw, split)
                        .map(|document| (document.id.clone(), map(document))),
                    Item::Skipped(skipped) => Err(skipped),
                })
                .collect();
            let mut documents = Vec::with_capacity(results.len());
            let mut skipped = Vec::new();
            for result in results {
                match result {
                    Ok((id, mapped)) => documents.push((ids.unique(id), mapped)),
                    Err(skip) => skipped.push(skip),
                }
            }
            sink(documents, skipped);
        }
    });
}

/// The documents of one part of a reading plan ([`ingest::plan`]), each turned into a `T`
/// by `map`, and the items skipped, in input order. Ids are as read: the reader of the
/// whole plan makes them unique ([`UniqueIds`]) in the order of the parts, as [`stream_map`]
/// does, so reading the parts apart (on other machines) gives the same documents.
pub fn map_part<T: Send>(
    part: &ingest::Part,
    config: &IngestConfig,
    split: Sentences,
    map: &(dyn Fn(Document) -> T + Sync),
) -> Vec<Result<(String, T), Skipped>> {
    let mut items = Vec::new();
    ingest::read_part(part, config, &mut |item| items.push(item));
    items
        .into_par_iter()
        .map(|item| match item {
            Item::Document(raw) => {
                build_document_as(raw, split).map(|document| (document.id.clone(), map(document)))
            }
            Item::Skipped(skipped) => Err(skipped),
        })
        .collect()
}

/// Makes document ids unique in input order: the second `x` becomes `x~2`.
///
/// Ids are remembered by a 64-bit hash, 16 bytes a document (16 MB for a million): the one
/// part of streaming whose memory grows with the corpus, kept small on purpose. A hash
/// collision between two different ids would only rename one of them.
#[derive(Default)]
pub struct UniqueIds {
    seen: HashMap<u64, u32>,
}

impl UniqueIds {
    /// The id to give a document read as `id`, after those already given.
    pub fn unique(&mut self, id: String) -> String {
        let count = self
            .seen
            .entry(xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
            .or_insert(0);
        *count += 1;
        if *count == 1 {
            id
        } else {
            let renamed = format!("{id}~{count}");
            let key = xxhash_rust::xxh3::xxh3_64(renamed.as_bytes());
            // A later document might carry that very id; keep counting until free.
            if self.seen.contains_key(&key) {
                return self.unique(renamed);
            }
            self.seen.insert(key, 1);
            renamed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_read_in_parts_gives_the_documents_of_stream() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut lines = String::new();
        for k in 0..40 {
            match k % 9 {
                3 => lines.push_str("{not json\n"),
                5 => lines.push_str("{\"id\": \"x\", \"text\": \"  \"}\n"),
                7 => lines.push('\n'),
                _ => lines.push_str(&format!(
                    "{{\"id\": \"{}\", \"text\": \"Report {k} from the Belozar dam.\"}}\n",
                    if k % 4 == 0 {
                        "same".to_string()
                    } else {
                        format!("d{k}")
                    }
                )),
            }
        }
        lines.push_str("{\"text\": \"A last line without an id or a newline.\"}");
        std::fs::write(dir.path().join("a.jsonl"), &lines).expect("write");
        std::fs::write(dir.path().join("b.txt"), "A dam burst.\n").expect("write");
        let inputs = [Input::Path(dir.path().to_path_buf())];
        let config = IngestConfig::default();
        let expected = load(&inputs, &config);
        for part_bytes in [1, 100, 1 << 20] {
            let (parts, skipped) = ingest::plan(&inputs, part_bytes);
            assert!(skipped.is_empty());
            let mut ids = UniqueIds::default();
            let mut documents = Vec::new();
            let mut skips = Vec::new();
            for part in &parts {
                for result in map_part(part, &config, Sentences::Split, &|d| d) {
                    match result {
                        Ok((id, mut document)) => {
                            document.id = ids.unique(id);
                            documents.push(document);
                        }
                        Err(skip) => skips.push(skip),
                    }
                }
            }
            assert_eq!(documents, expected.documents, "parts of {part_bytes} bytes");
            assert_eq!(skips, expected.skipped, "parts of {part_bytes} bytes");
            assert_eq!(parts.len() > 2, part_bytes < 1000);
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("a".into()), "a");
        assert_eq!(ids.unique("a".into()), "a~2");
        assert_eq!(ids.unique("a~3".into()), "a~3");
        assert_eq!(ids.unique("a".into()), "a~3~2");
        assert_eq!(ids.unique("b".into()), "b");
    }
}
