//! Documents kept on disk between the two passes of `analyze --format jsonl`: the first
//! pass reads the inputs, fingerprints each document and writes it here; the second reads
//! back the documents of one story at a time.
//!
//! The store is an unnamed temporary file (in `TMPDIR`, removed by the system when the
//! process ends, however it ends) of zstd-compressed records, one per document, found by
//! their offsets. Documents are kept as built — text, sentences, metadata — so nothing is
//! extracted or split twice. Re-reading the inputs instead would need no disk, but standard
//! input and compressed streams cannot be re-read at an offset, HTML would be extracted
//! twice, and a file changed between the passes would give another document than the one
//! clustered.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use stemma::model::{Document, Sentence, SentenceKind};

/// zstd level of the records: the fastest, which brings news text to about a third of the
/// raw record (1.8 KB a document on the benchmark corpus).
const LEVEL: i32 = 1;

/// Where one document's record lies.
struct Span {
    offset: u64,
    compressed: u64,
    raw: u64,
}

/// Documents written once, in order, then read back by their index.
pub struct DocumentStore {
    writer: Option<BufWriter<File>>,
    file: File,
    ids: Vec<String>,
    spans: Vec<Span>,
    end: u64,
}

impl DocumentStore {
    /// A new, empty store in the temporary directory.
    pub fn new() -> io::Result<DocumentStore> {
        let file = tempfile::tempfile()?;
        let writer = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(DocumentStore {
            writer: Some(writer),
            file,
            ids: Vec::new(),
            spans: Vec::new(),
            end: 0,
        })
    }

    /// Appends a document: its unique id and its record (from [`encode`]).
    pub fn push(&mut self, id: String, record: &Record) -> io::Result<()> {
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| io::Error::other("the document store is closed for writing"))?;
        writer.write_all(&record.bytes)?;
        self.spans.push(Span {
            offset: self.end,
            compressed: record.bytes.len() as u64,
            raw: record.raw_len,
        });
        self.end += record.bytes.len() as u64;
        self.ids.push(id);
        Ok(())
    }

    /// Ends writing: every document pushed can be read from now on.
    pub fn finish_writing(&mut self) -> io::Result<()> {
        if let Some(mut writer) = self.writer.take() {
            writer.flush()?;
        }
        Ok(())
    }

    /// The ids of the documents, in the order they were pushed.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Reads the document pushed `index`-th. Safe to call from many threads at once.
    pub fn get(&self, index: usize) -> io::Result<Document> {
        let span = self
            .spans
            .get(index)
            .ok_or_else(|| io::Error::other(format!("no document {index} in the store")))?;
        let mut compressed = vec![0; usize::try_from(span.compressed).map_err(io::Error::other)?];
        read_at(&self.file, &mut compressed, span.offset)?;
        let capacity = usize::try_from(span.raw).map_err(io::Error::other)?;
        let raw = zstd::bulk::decompress(&compressed, capacity)?;
        let mut document = decode(&raw).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the stored record of document {index} is corrupt"),
            )
        })?;
        document.id.clone_from(&self.ids[index]);
        Ok(document)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// A document as stored: compressed bytes and the length they expand to.
pub struct Record {
    bytes: Vec<u8>,
    raw_len: u64,
}

impl Record {
    /// The compressed bytes (the persistent index keeps them as they are).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The length of the record once expanded.
    pub fn raw_len(&self) -> u64 {
        self.raw_len
    }
}

/// Reads back a record kept elsewhere (the persistent index): its compressed bytes and
/// expanded length, as [`Record::bytes`] and [`Record::raw_len`] gave them. The id is left
/// empty.
pub fn decode_record(bytes: &[u8], raw_len: u64) -> io::Result<Document> {
    let capacity = usize::try_from(raw_len).map_err(io::Error::other)?;
    let raw = zstd::bulk::decompress(bytes, capacity)?;
    decode(&raw).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a corrupt record"))
}

/// The record of a document, all but its id (the store keeps ids apart: they are made
/// unique only after the document is built).
pub fn encode(document: &Document) -> io::Result<Record> {
    let mut raw = Vec::with_capacity(document.text.len() * 2 + 256);
    put_str(&mut raw, &document.source);
    put_option(&mut raw, document.title.as_deref());
    put_option(
        &mut raw,
        document
            .published
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
    );
    put_option(&mut raw, document.url.as_deref());
    put_option(&mut raw, document.author.as_deref());
    put_str(&mut raw, &document.text);
    put_u64(&mut raw, document.sentences.len() as u64);
    for sentence in &document.sentences {
        put_u64(&mut raw, sentence.block as u64);
        raw.push(match sentence.kind {
            SentenceKind::Body => 0,
            SentenceKind::Heading => 1,
        });
        put_str(&mut raw, &sentence.text);
    }
    Ok(Record {
        bytes: zstd::bulk::compress(&raw, LEVEL)?,
        raw_len: raw.len() as u64,
    })
}

fn put_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_u64(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

fn put_option(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        None => out.push(0),
        Some(text) => {
            out.push(1);
            put_str(out, text);
        }
    }
}

/// Reads a record back; `None` when it is not one [`encode`] wrote. The id is left empty.
fn decode(raw: &[u8]) -> Option<Document> {
    let mut reader = Reader(raw);
    let source = reader.string()?;
    let title = reader.option()?;
    let published = match reader.option()? {
        None => None,
        // As the time wrote itself, with its zone; should the zone not be known here, the
        // same instant at the same offset.
        Some(text) => Some(text.parse().ok().or_else(|| {
            stemma::ingest::parse_published(text.split('[').next().unwrap_or_default())
        })?),
    };
    let url = reader.option()?;
    let author = reader.option()?;
    let text = reader.string()?;
    let n_sentences = reader.u64()?;
    let mut sentences = Vec::new();
    for _ in 0..n_sentences {
        let block = usize::try_from(reader.u64()?).ok()?;
        let kind = match reader.byte()? {
            0 => SentenceKind::Body,
            1 => SentenceKind::Heading,
            _ => return None,
        };
        let text = reader.string()?;
        sentences.push(Sentence { text, block, kind });
    }
    reader.0.is_empty().then_some(Document {
        id: String::new(),
        source,
        title,
        published,
        url,
        author,
        text,
        sentences,
    })
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn string(&mut self) -> Option<String> {
        let len = usize::try_from(self.u64()?).ok()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }

    fn option(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(self.string()?)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(id: &str, published: Option<&str>) -> Document {
        let mut document = stemma::corpus::document_from_text(
            id,
            &format!("{id}.txt"),
            "Dam bursts\n\nAt least 14 people were killed. About 1,200 were moved.\n\n\
             Officials said on Thursday that repairs would cost $1.5bn.",
        )
        .expect("a document");
        document.title = Some("Dam bursts above Belozar".into());
        document.published = published.and_then(stemma::ingest::parse_published);
        document.url = Some("https://example.org/dam".into());
        document
    }

    #[test]
    fn documents_come_back_as_they_went_in() {
        let mut store = DocumentStore::new().expect("a store");
        let documents = [
            document("a", Some("2025-11-20T02:32:13Z")),
            document("b", Some("2025-11-20T10:20:00+02:00")),
            document("c", Some("Thu, 20 Nov 2025 02:32:13 -0500")),
            document("d", None),
        ];
        for d in &documents {
            store
                .push(d.id.clone(), &encode(d).expect("encoded"))
                .expect("written");
        }
        store.finish_writing().expect("flushed");
        assert_eq!(store.ids(), ["a", "b", "c", "d"]);
        for (i, d) in documents.iter().enumerate().rev() {
            assert_eq!(&store.get(i).expect("read"), d);
        }
        assert!(store.get(documents.len()).is_err());
    }

    #[test]
    fn a_broken_record_is_an_error_not_a_panic() {
        let record = encode(&document("a", None)).expect("encoded");
        let raw = zstd::bulk::decompress(&record.bytes, record.raw_len as usize).unwrap();
        for cut in [0, 1, 8, raw.len() / 2, raw.len() - 1] {
            assert_eq!(decode(&raw[..cut]), None);
        }
        assert!(decode(&raw).is_some());
    }
}
