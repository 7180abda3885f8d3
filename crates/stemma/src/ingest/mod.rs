//! Ingestion: files, directories and standard input to raw documents.
//!
//! Formats are recognised by extension and, when the extension says nothing, by content:
//! `.txt`, `.md` (YAML front matter), `.html`/`.htm`, `.jsonl` (one document per line),
//! `.warc`/`.warc.gz` (HTML response records), each optionally gzip- or zstd-compressed
//! (recognised by magic bytes, whatever the name says). Standard input (`-`) is JSON Lines.
//!
//! Reading is cheap and sequential ([`read`] streams one input and calls back per raw
//! document); the costly part, HTML extraction, happens in [`extract`], which callers run in
//! parallel. Bad input is data: every problem becomes a [`Skipped`] with a one-line reason,
//! and the good documents of the same file are still emitted.
//!
//! ```no_run
//! use stemma::ingest::{self, IngestConfig, Input, Item};
//! let (files, _skipped) = ingest::discover(&[Input::Path("examples".into())]);
//! for file in &files {
//!     ingest::read(file, &IngestConfig::default(), &mut |item| match item {
//!         Item::Document(raw) => println!("{}", raw.id),
//!         Item::Skipped(skip) => eprintln!("{}: {}", skip.source, skip.reason),
//!     });
//! }
//! ```

mod flatten;
mod html;
mod text;
mod warc;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Zoned;
use jiff::tz::TimeZone;

use crate::model::Skipped;
use crate::normalize::{Block, decode};

/// Limits for reading.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// The largest document accepted, in bytes after decompression: a whole `.txt`, `.md` or
    /// `.html` file, one JSON line, or one WARC record. Larger ones are skipped with a
    /// reason. Container files (JSON Lines, WARC) are streamed and may be of any size.
    /// Default 16 MiB, far above any article.
    pub max_document_bytes: u64,
}

impl Default for IngestConfig {
    fn default() -> IngestConfig {
        IngestConfig {
            max_document_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Where documents come from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file or a directory (read recursively).
    Path(PathBuf),
    /// JSON Lines on standard input.
    Stdin,
    /// Bytes already in memory, read as a file of the given name would be: a page fetched
    /// from an address, the body of a request.
    Memory(Arc<MemoryInput>),
}

/// The content of an [`Input::Memory`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemoryInput {
    /// How the input is named in reports (and, for an address, the document's `source`).
    pub source: String,
    /// A file name whose extension says the format (`page.html`, `request.jsonl`); an
    /// unknown extension leaves the format to the content.
    pub name: String,
    /// The id of a single document read from it (the final address of a page); `None`
    /// for the id the name gives.
    pub id: Option<String>,
    /// The final address a page was fetched from: the URL of the document read from it,
    /// whatever the page calls canonical.
    pub url: Option<String>,
    /// The bytes, or why there are none (a fetch that failed), which becomes the input's
    /// skip reason.
    pub content: Result<Arc<[u8]>, String>,
}

impl Input {
    /// Parses a command-line argument: `-` is standard input.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }

    /// How the input is named in reports.
    pub fn display(&self) -> String {
        match self {
            Input::Path(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
            Input::Memory(memory) => memory.source.clone(),
        }
    }
}

/// Metadata an input carries about its article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Headline.
    pub title: Option<String>,
    /// Publication time.
    pub published: Option<Zoned>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Byline.
    pub author: Option<String>,
}

/// The body of a raw document, in the form it was read.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// An HTML page whose main text is still to be extracted.
    Html(String),
    /// Blocks already read off the input.
    Blocks(Vec<Block>),
}

/// A document as read, before extraction, normalisation and segmentation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    /// The document id (see `SPEC.md`).
    pub id: String,
    /// Path, `path:line` or URI.
    pub source: String,
    /// Metadata from the input.
    pub meta: Meta,
    /// The body.
    pub body: Body,
}

/// What reading an input yields, one at a time.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A document.
    Document(RawDocument),
    /// Something that could not be read, with the reason.
    Skipped(Skipped),
}

/// Expands inputs into the files to read: directories recursively (hidden entries left
/// out), in sorted order so the same tree always reads the same way. Each file is listed
/// once however often it is reached (named twice, or through a link), and a link back to
/// a directory being walked is skipped with a reason instead of followed round the loop.
/// Missing paths are skipped with a reason.
pub fn discover(inputs: &[Input]) -> (Vec<Input>, Vec<Skipped>) {
    let mut walk = Walk::default();
    for input in inputs {
        match input {
            Input::Stdin | Input::Memory(_) => walk.files.push(input.clone()),
            Input::Path(path) => walk.visit(path),
        }
    }
    (walk.files, walk.skipped)
}

/// What identifies a file or directory however it is reached: its device and inode where
/// the platform has them (one `stat`, which the walk makes anyway), its canonical path
/// elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

fn file_key(path: &Path, metadata: &std::fs::Metadata) -> Option<FileKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        Some(FileKey::Inode(metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        std::fs::canonicalize(path).ok().map(FileKey::Path)
    }
}

/// Whether an OS error number is `ELOOP` (too many levels of symbolic links).
fn is_eloop(code: i32) -> bool {
    if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd"
    )) {
        code == 62
    } else {
        cfg!(target_os = "linux") && code == 40
    }
}

#[derive(Default)]
struct Walk {
    files: Vec<Input>,
    skipped: Vec<Skipped>,
    /// Files and directories met so far.
    seen: std::collections::HashSet<FileKey>,
    /// The directories being walked, outermost first: a link to one of them is a loop.
    ancestors: Vec<FileKey>,
}

impl Walk {
    fn visit(&mut self, path: &Path) {
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) => {
                let reason = if error.raw_os_error().is_some_and(is_eloop) {
                    // A link that points at itself, directly or through others.
                    "symbolic link loop".to_string()
                } else if error.kind() == io::ErrorKind::NotFound
                    && std::fs::symlink_metadata(path).is_ok()
                {
                    "broken symbolic link: its target does not exist".to_string()
                } else {
                    io_reason(&error)
                };
                self.skipped
                    .push(Skipped::new(path.display().to_string(), reason));
                return;
            }
        };
        let key = file_key(path, &metadata);
        if metadata.is_dir() && key.as_ref().is_some_and(|key| self.ancestors.contains(key)) {
            self.skipped.push(Skipped::new(
                path.display().to_string(),
                "symbolic link loop: points back to a directory that contains it",
            ));
            return;
        }
        // A file or directory reached a second time (named twice, or linked from
        // elsewhere) has been read already; not an error.
        if let Some(key) = &key
            && !self.seen.insert(key.clone())
        {
            return;
        }
        if metadata.is_file() {
            self.files.push(Input::Path(path.to_path_buf()));
            return;
        }
        if !metadata.is_dir() {
            self.skipped.push(Skipped::new(
                path.display().to_string(),
                "not a regular file",
            ));
            return;
        }
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(error) => {
                self.skipped
                    .push(Skipped::new(path.display().to_string(), io_reason(&error)));
                return;
            }
        };
        let mut children: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|child| {
                !child
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .collect();
        children.sort();
        if let Some(key) = key.clone() {
            self.ancestors.push(key);
        }
        for child in children {
            self.visit(&child);
        }
        if key.is_some() {
            self.ancestors.pop();
        }
    }
}

fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("could not be read: {error}"),
    }
}

/// The formats stemma reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Html,
    JsonLines,
    Warc,
}

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    fn name(self) -> &'static str {
        match self {
            Compression::None => "file",
            Compression::Gzip => "gzip stream",
            Compression::Zstd => "zstd stream",
        }
    }
}

/// The file name with compression extensions removed, and the id it gives.
fn logical_name(path: &Path) -> (String, String) {
    let mut name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for suffix in [".gz", ".gzip", ".zst", ".zstd"] {
        if name.len() > suffix.len() && name.to_ascii_lowercase().ends_with(suffix) {
            name.truncate(name.len() - suffix.len());
            break;
        }
    }
    let id = match name.rfind('.') {
        Some(dot) if dot > 0 => name[..dot].to_string(),
        _ => name.clone(),
    };
    (name, id)
}

fn format_from_name(name: &str) -> Option<Format> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "txt" | "text" => Format::Text,
        "md" | "markdown" => Format::Markdown,
        "html" | "htm" | "xhtml" | "shtml" => Format::Html,
        "jsonl" | "ndjson" | "json" => Format::JsonLines,
        "warc" | "arc" => Format::Warc,
        _ => return None,
    })
}

fn format_from_content(head: &[u8]) -> Format {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    let lower: Vec<u8> = head.iter().take(512).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"warc/") {
        Format::Warc
    } else if lower.starts_with(b"{") {
        Format::JsonLines
    } else if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || lower.starts_with(b"<?xml")
        || lower
            .windows(5)
            .any(|w| w == b"<body" || w == b"<div " || w == b"<p>\n")
    {
        Format::Html
    } else if lower.starts_with(b"---\n")
        || lower.starts_with(b"---\r\n")
        || lower.starts_with(b"# ")
    {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// Opens a file (or standard input) behind the decompressor its magic bytes call for.
fn open(input: &Input) -> io::Result<(Box<dyn BufRead + Send>, Compression)> {
    let compressed = Arc::new(AtomicU64::new(0));
    let reader: Box<dyn Read + Send> = match input {
        Input::Path(path) => Box::new(File::open(path)?),
        Input::Stdin => Box::new(io::stdin()),
        Input::Memory(memory) => match &memory.content {
            Ok(bytes) => Box::new(io::Cursor::new(Arc::clone(bytes))),
            Err(reason) => return Err(io::Error::other(reason.clone())),
        },
    };
    let reader = Counted {
        inner: reader,
        count: Arc::clone(&compressed),
    };
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let head = reader.fill_buf()?;
    let compression = if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    };
    let decompressed: Box<dyn Read + Send> = match compression {
        Compression::None => return Ok((Box::new(reader), compression)),
        // Multi-member gzip (per-record WARC.gz, concatenated logs) needs MultiGzDecoder;
        // GzDecoder stops after the first member.
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(reader)?),
    };
    let guarded = BombGuard {
        inner: decompressed,
        compressed,
        expanded: 0,
    };
    Ok((
        Box::new(BufReader::with_capacity(256 * 1024, guarded)),
        compression,
    ))
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Past this many decompressed bytes a stream is held to [`BOMB_RATIO`].
const BOMB_BYTES: u64 = 256 * 1024 * 1024;

/// How many times its compressed size a stream may expand once past [`BOMB_BYTES`]. News
/// text compresses 3 to 10 times, JSON Lines of it up to about 20; a stream of one
/// repeated byte, gzip's best, about 1,000 times, and zstd's far more.
const BOMB_RATIO: u64 = 200;

/// Stops a decompression bomb: a small file that would expand to gigabytes. A document
/// inside is bounded by `--max-document-bytes` anyway; this bounds the work of streaming
/// a container (JSON Lines, WARC) through to its end, which the size limit does not.
struct BombGuard {
    inner: Box<dyn Read + Send>,
    compressed: Arc<AtomicU64>,
    expanded: u64,
}

/// The error a [`BombGuard`] stops with.
#[derive(Debug, thiserror::Error)]
#[error(
    "compression bomb: expanded past {} MiB at over {BOMB_RATIO} times its compressed size",
    BOMB_BYTES / (1024 * 1024)
)]
struct Bomb;

impl Read for BombGuard {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.expanded += n as u64;
        if self.expanded > BOMB_BYTES
            && self.expanded / BOMB_RATIO > self.compressed.load(Ordering::Relaxed)
        {
            return Err(io::Error::other(Bomb));
        }
        Ok(n)
    }
}

/// Describes a read error in a compressed or plain stream.
fn stream_reason(compression: Compression, error: &io::Error) -> String {
    if let Some(bomb) = error.get_ref().and_then(|e| e.downcast_ref::<Bomb>()) {
        return format!("{} {bomb}", compression.name());
    }
    match (compression, error.kind()) {
        (Compression::None, _) => io_reason(error),
        (_, io::ErrorKind::UnexpectedEof) => format!("truncated {}", compression.name()),
        _ => format!("corrupt {}: {error}", compression.name()),
    }
}

/// Reads one input, calling `emit` for every raw document and every skipped part.
pub fn read(input: &Input, config: &IngestConfig, emit: &mut dyn FnMut(Item)) {
    let source = input.display();
    let skip = |emit: &mut dyn FnMut(Item), reason: String| {
        emit(Item::Skipped(Skipped::new(source.clone(), reason)));
    };
    if let Input::Memory(memory) = input
        && let Err(reason) = &memory.content
    {
        return skip(emit, reason.clone());
    }
    let (mut reader, compression) = match open(input) {
        Ok(opened) => opened,
        Err(error) => return skip(emit, io_reason(&error)),
    };
    let (name, id) = match input {
        Input::Path(path) => logical_name(path),
        Input::Stdin => ("-.jsonl".to_string(), "stdin".to_string()),
        Input::Memory(memory) => {
            let (name, id) = logical_name(Path::new(&memory.name));
            (name, memory.id.clone().unwrap_or(id))
        }
    };
    let head = match reader.fill_buf() {
        Ok(head) => head,
        Err(error) => return skip(emit, stream_reason(compression, &error)),
    };
    if head.is_empty() {
        return skip(emit, "empty file".to_string());
    }
    let format = format_from_name(&name).unwrap_or_else(|| format_from_content(head));
    // UTF-16 text is full of NUL bytes but is text: its BOM says so.
    let utf16 = matches!(
        encoding_rs::Encoding::for_bom(head),
        Some((encoding, _)) if encoding != encoding_rs::UTF_8
    );
    // JSON Lines are judged by their first line: a NUL byte in a later line costs that
    // line (it is malformed JSON), not the good lines around it.
    let judged = match format {
        Format::JsonLines => memchr::memchr(b'\n', head).map_or(head, |end| &head[..end]),
        _ => head,
    };
    if format != Format::Warc && !utf16 && is_binary(judged) {
        return skip(emit, "binary file".to_string());
    }
    if format == Format::JsonLines && head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
    {
        return skip(
            emit,
            "a JSON array, not JSON Lines: write one JSON object per line".to_string(),
        );
    }
    match format {
        Format::JsonLines => read_json_lines(reader, compression, &source, &id, 0, config, emit),
        Format::Warc => warc::read_warc(reader, compression, &source, config, emit),
        Format::Text | Format::Markdown | Format::Html => {
            let bytes = match read_limited(&mut reader, config.max_document_bytes) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    return skip(
                        emit,
                        format!(
                            "over the size limit of {} bytes (--max-document-bytes)",
                            config.max_document_bytes
                        ),
                    );
                }
                Err(error) => return skip(emit, stream_reason(compression, &error)),
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return skip(emit, "empty file".to_string());
            }
            if !utf16 && is_binary(&bytes) {
                return skip(emit, "binary file".to_string());
            }
            let (text, _) = decode(&bytes);
            let (meta, body) = match format {
                Format::Html => (Meta::default(), Body::Html(text.into_owned())),
                Format::Markdown => {
                    let (meta, blocks) = text::read_markdown(&text);
                    (meta, Body::Blocks(blocks))
                }
                _ => {
                    let (meta, blocks) = text::read_text(&text);
                    (meta, Body::Blocks(blocks))
                }
            };
            let mut meta = meta;
            if let Input::Memory(memory) = input
                && memory.url.is_some()
            {
                meta.url.clone_from(&memory.url);
            }
            emit(Item::Document(RawDocument {
                id,
                source,
                meta,
                body,
            }));
        }
    }
}

/// The blocks of a plain text: blank-line separated paragraphs, or one per line.
pub fn text_blocks(text: &str) -> Vec<Block> {
    text::paragraphs(text)
}

/// Reads at most `limit` bytes; `None` when there is more.
fn read_limited(reader: &mut dyn BufRead, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Binary content: NUL bytes, or many control characters, in the first 8 KiB.
fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 10 > head.len()
}

/// The fields of a JSON line stemma reads; others are ignored.
#[derive(serde::Deserialize)]
struct JsonRecord {
    id: Option<serde_json::Value>,
    title: Option<String>,
    text: Option<String>,
    body: Option<String>,
    content: Option<String>,
    date: Option<String>,
    published: Option<String>,
    url: Option<String>,
    author: Option<String>,
}

/// Reads JSON Lines from `reader`, whose first line is line `first_line + 1` of `source`.
fn read_json_lines(
    mut reader: Box<dyn BufRead + Send>,
    compression: Compression,
    source: &str,
    file_id: &str,
    first_line: usize,
    config: &IngestConfig,
    emit: &mut dyn FnMut(Item),
) {
    let mut line = Vec::new();
    let mut line_no = first_line;
    loop {
        line.clear();
        line_no += 1;
        let at = format!("{source}:{line_no}");
        match read_line_limited(&mut reader, &mut line, config.max_document_bytes) {
            Ok(LineRead::End) => break,
            Ok(LineRead::TooLong) => {
                emit(Item::Skipped(Skipped::new(
                    at,
                    format!(
                        "line over the size limit of {} bytes (--max-document-bytes)",
                        config.max_document_bytes
                    ),
                )));
                continue;
            }
            Ok(LineRead::Line) => {}
            Err(error) => {
                emit(Item::Skipped(Skipped::new(
                    source,
                    format!(
                        "{} after {} lines",
                        stream_reason(compression, &error),
                        line_no - 1
                    ),
                )));
                break;
            }
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let (text, _) = decode(&line);
        let record: JsonRecord = match serde_json::from_str(text.trim()) {
            Ok(record) => record,
            Err(error) => {
                emit(Item::Skipped(Skipped::new(
                    at,
                    format!("malformed JSON: {error}"),
                )));
                continue;
            }
        };
        let Some(body) = record.text.or(record.body).or(record.content) else {
            emit(Item::Skipped(Skipped::new(
                at,
                "JSON line has no `text`, `body` or `content` field",
            )));
            continue;
        };
        let id = match record.id {
            Some(serde_json::Value::String(id)) if !id.is_empty() => id,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{file_id}:{line_no}"),
        };
        let record = Record {
            id,
            text: body,
            title: record.title,
            published: record.published.or(record.date),
            url: record.url,
            author: record.author,
        };
        emit(match raw_from_record(record, at) {
            Ok(raw) => Item::Document(raw),
            Err(skipped) => Item::Skipped(skipped),
        });
    }
}

/// One article given as fields, as a JSON line or a program (the Python module, a table
/// row on Spark) holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// The document id.
    pub id: String,
    /// The article: plain text (paragraphs separated by blank lines, or one per line) or
    /// HTML, whose main text is extracted.
    pub text: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication time, in any form [`parse_published`] reads.
    pub published: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Byline.
    pub author: Option<String>,
}

/// A raw document from a record, read exactly as a JSON line with those fields is;
/// skipped (with `source`) when its text is blank.
pub fn raw_from_record(record: Record, source: String) -> Result<RawDocument, Skipped> {
    if record.text.trim().is_empty() {
        return Err(Skipped::new(source, "empty text"));
    }
    let meta = Meta {
        title: record.title.filter(|t| !t.trim().is_empty()),
        published: record.published.and_then(|d| parse_published(&d)),
        url: record.url,
        author: record.author,
    };
    let body = if looks_like_html(&record.text) {
        Body::Html(record.text)
    } else {
        Body::Blocks(text::paragraphs(&record.text))
    };
    Ok(RawDocument {
        id: record.id,
        source,
        meta,
        body,
    })
}

/// A piece of the reading of a set of inputs that can be done apart from the others (on
/// another machine): a whole file, or a range of lines of a large uncompressed JSON Lines
/// file. Reading the parts of [`plan`] in order gives the items [`read`] gives for the
/// files of [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The file (or standard input, which is one part).
    pub input: Input,
    /// Byte range `start..end` of the file, starting after `first_line` lines; `None` for
    /// the whole input.
    pub lines: Option<LineRange>,
}

/// A range of whole lines of a file (see [`Part`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRange {
    /// Offset of the range's first byte, just after a newline (or 0).
    pub start: u64,
    /// Offset just past the range's last byte (a newline, or the end of the file).
    pub end: u64,
    /// Lines before the range.
    pub first_line: usize,
}

/// The files of `inputs` (see [`discover`]) as parts of about `part_bytes` each: large
/// uncompressed JSON Lines files are cut at line boundaries, every other file is one part.
/// Line numbers in reasons and default ids are those of the whole file.
pub fn plan(inputs: &[Input], part_bytes: u64) -> (Vec<Part>, Vec<Skipped>) {
    let (files, skipped) = discover(inputs);
    let mut parts = Vec::new();
    for input in files {
        match line_ranges(&input, part_bytes.max(1)) {
            Some(ranges) => parts.extend(ranges.into_iter().map(|lines| Part {
                input: input.clone(),
                lines: Some(lines),
            })),
            None => parts.push(Part { input, lines: None }),
        }
    }
    (parts, skipped)
}

/// The line ranges of an uncompressed JSON Lines file larger than `part_bytes`, when
/// [`read`] would read it as JSON Lines; `None` for any other input (read whole, so that
/// its reasons for skipping are given once, as `read` gives them).
fn line_ranges(input: &Input, part_bytes: u64) -> Option<Vec<LineRange>> {
    let Input::Path(path) = input else {
        return None;
    };
    let (mut reader, compression) = open(input).ok()?;
    if compression != Compression::None {
        return None;
    }
    let (name, _) = logical_name(path);
    let head = reader.fill_buf().ok()?;
    if head.is_empty() {
        return None;
    }
    if format_from_name(&name).unwrap_or_else(|| format_from_content(head)) != Format::JsonLines {
        return None;
    }
    let first = memchr::memchr(b'\n', head).map_or(head, |end| &head[..end]);
    let utf16 = encoding_rs::Encoding::for_bom(head).is_some_and(|(e, _)| e != encoding_rs::UTF_8);
    if utf16 || is_binary(first) || head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return None;
    }
    if std::fs::metadata(path).ok()?.len() <= part_bytes {
        return None;
    }
    // One pass over the file: the range ends at the first newline past each multiple of
    // `part_bytes`, and the lines before every range are counted on the way.
    let mut ranges = Vec::new();
    let (mut start, mut first_line, mut lines, mut offset) = (0u64, 0usize, 0usize, 0u64);
    loop {
        let buffer = reader.fill_buf().ok()?;
        if buffer.is_empty() {
            break;
        }
        let length = buffer.len();
        for at in memchr::memchr_iter(b'\n', buffer) {
            lines += 1;
            let end = offset + at as u64 + 1;
            if end - start >= part_bytes {
                ranges.push(LineRange {
                    start,
                    end,
                    first_line,
                });
                (start, first_line) = (end, lines);
            }
        }
        offset += length as u64;
        reader.consume(length);
    }
    if offset > start {
        ranges.push(LineRange {
            start,
            end: offset,
            first_line,
        });
    }
    Some(ranges)
}

/// Reads one part of a [`plan`], calling `emit` as [`read`] does.
pub fn read_part(part: &Part, config: &IngestConfig, emit: &mut dyn FnMut(Item)) {
    let (Some(lines), Input::Path(path)) = (part.lines, &part.input) else {
        return read(&part.input, config, emit);
    };
    let source = part.input.display();
    let opened = File::open(path).and_then(|mut file| {
        io::Seek::seek(&mut file, io::SeekFrom::Start(lines.start))?;
        Ok(file)
    });
    let file = match opened {
        Ok(file) => file,
        Err(error) => {
            emit(Item::Skipped(Skipped::new(source, io_reason(&error))));
            return;
        }
    };
    let reader = BufReader::with_capacity(256 * 1024, file.take(lines.end - lines.start));
    let (_, id) = logical_name(path);
    read_json_lines(
        Box::new(reader),
        Compression::None,
        &source,
        &id,
        lines.first_line,
        config,
        emit,
    );
}

enum LineRead {
    Line,
    TooLong,
    End,
}

/// Reads one line into `line`; a line longer than `limit` is consumed and reported.
fn read_line_limited(
    reader: &mut dyn BufRead,
    line: &mut Vec<u8>,
    limit: u64,
) -> io::Result<LineRead> {
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            break;
        }
        read_any = true;
        let (chunk, done) = match memchr::memchr(b'\n', buffer) {
            Some(at) => (&buffer[..=at], true),
            None => (buffer, false),
        };
        let chunk_len = chunk.len();
        if !too_long {
            if (line.len() + chunk_len) as u64 > limit + 1 {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        reader.consume(chunk_len);
        if done {
            break;
        }
    }
    Ok(match (read_any, too_long) {
        (false, _) => LineRead::End,
        (true, true) => LineRead::TooLong,
        (true, false) => LineRead::Line,
    })
}

fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start();
    // The first kilobyte, cut on a character boundary.
    let mut end = start.len().min(1024);
    while !start.is_char_boundary(end) {
        end -= 1;
    }
    let head = start[..end].to_ascii_lowercase();
    start.starts_with('<')
        && (head.contains("<html")
            || head.contains("<body")
            || start.starts_with("<p>")
            || start.starts_with("<!"))
}

/// Turns a raw document into its metadata and blocks, extracting HTML main text. Returns
/// the reason when an HTML page holds no article.
pub fn extract(mut raw: RawDocument) -> Result<(RawDocument, Vec<Block>), Skipped> {
    // The body moves out (a news article's blocks are most of its memory); what is left
    // is the metadata.
    match std::mem::replace(&mut raw.body, Body::Blocks(Vec::new())) {
        Body::Blocks(blocks) => Ok((raw, blocks)),
        Body::Html(html) => match html::extract(&html) {
            Ok((page_meta, blocks)) => {
                // Metadata from outside the page (JSON fields, WARC headers) fills gaps only:
                // the page knows its own title and date best.
                let outer = std::mem::take(&mut raw.meta);
                raw.meta = Meta {
                    title: page_meta.title.or(outer.title),
                    published: page_meta.published.or(outer.published),
                    // But the address a page was fetched from (its source) is where it
                    // was read: it stays the document's URL, whatever the page calls
                    // canonical.
                    url: match outer.url {
                        Some(url) if url == raw.source => Some(url),
                        outer_url => page_meta.url.or(outer_url),
                    },
                    author: page_meta.author.or(outer.author),
                };
                Ok((raw, blocks))
            }
            Err(reason) => Err(Skipped::new(raw.source, reason)),
        },
    }
}

/// The `+HH:MM` / `-HHMM` offset closing an RFC 3339 time, if any (`Z` gives `None`).
fn trailing_offset(text: &str) -> Option<jiff::tz::Offset> {
    let bytes = text.as_bytes();
    let digits: Vec<u8> = bytes
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit() || **b == b':')
        .filter(|b| b.is_ascii_digit())
        .copied()
        .collect();
    let sign_at = bytes.len().checked_sub(
        bytes
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit() || **b == b':')
            .count()
            + 1,
    )?;
    let sign = match bytes.get(sign_at)? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if digits.len() != 4 || sign_at < 11 {
        return None;
    }
    // `digits` is reversed: mm then hh.
    let minutes = i32::from(digits[1] - b'0') * 10 + i32::from(digits[0] - b'0');
    let hours = i32::from(digits[3] - b'0') * 10 + i32::from(digits[2] - b'0');
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// Parses a publication date from metadata: RFC 3339 with or without an offset (none means
/// UTC), a plain date, RFC 2822 (`Thu, 20 Nov 2025 02:32:13 GMT`), or `2025-11-20 02:32`.
pub fn parse_published(text: &str) -> Option<Zoned> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        // Keep the page's own offset: the local date anchors "on Thursday".
        let zone = match trailing_offset(text) {
            Some(offset) => TimeZone::fixed(offset),
            None => TimeZone::UTC,
        };
        return Some(timestamp.to_zoned(zone));
    }
    if let Ok(datetime) = text.parse::<jiff::civil::DateTime>() {
        return datetime.to_zoned(TimeZone::UTC).ok();
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return date.to_zoned(TimeZone::UTC).ok();
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d",
        "%d %B %Y",
        "%B %d, %Y",
    ] {
        if let Ok(datetime) = jiff::civil::DateTime::strptime(format, text) {
            return datetime.to_zoned(TimeZone::UTC).ok();
        }
        if let Ok(date) = jiff::civil::Date::strptime(format, text) {
            return date.to_zoned(TimeZone::UTC).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_sniffing_cuts_on_a_character_boundary() {
        // Found by fuzzing: a JSON Lines text of HTML whose 1024th byte falls inside a
        // two-byte character made the sniffing slice panic.
        for pad in 1000..1030 {
            let text = format!(
                "<!DOCTYPE html>{}{}<html><p>Body.</p>",
                "x".repeat(pad),
                "э".repeat(8)
            );
            assert!(looks_like_html(&text));
            let plain = format!("<{}{}", "x".repeat(pad), "э".repeat(8));
            assert!(!looks_like_html(&plain));
        }
    }

    #[test]
    fn published_formats() {
        let cases = [
            ("2025-11-20T02:32:13Z", "2025-11-20T02:32:13+00:00[UTC]"),
            ("2025-11-20T02:32:13", "2025-11-20T02:32:13+00:00[UTC]"),
            (
                "2025-11-20T10:20:00+02:00",
                "2025-11-20T10:20:00+02:00[+02:00]",
            ),
            ("2025-11-20", "2025-11-20T00:00:00+00:00[UTC]"),
            (
                "Thu, 20 Nov 2025 02:32:13 GMT",
                "2025-11-20T02:32:13+00:00[UTC]",
            ),
            ("2025-11-20 02:32", "2025-11-20T02:32:00+00:00[UTC]"),
            ("20 November 2025", "2025-11-20T00:00:00+00:00[UTC]"),
        ];
        for (text, expected) in cases {
            let parsed = parse_published(text).map(|z| z.to_string());
            assert_eq!(parsed.as_deref(), Some(expected), "{text}");
        }
        assert_eq!(parse_published("yesterday"), None);
        assert_eq!(parse_published("2025-13-45"), None);
    }

    fn read_all(name: &str, bytes: &[u8]) -> Vec<Item> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let mut items = Vec::new();
        read(&Input::Path(path), &IngestConfig::default(), &mut |item| {
            items.push(item)
        });
        items
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_once_and_loops_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).expect("dirs");
        std::fs::write(root.join("a/story.txt"), "The dam burst.").expect("write");
        let link = |target: &str, at: &str| {
            std::os::unix::fs::symlink(target, root.join(at)).expect("symlink");
        };
        link("..", "a/b/up");
        link("../../a", "a/b/again");
        link("self", "self");
        link("a/story.txt", "story-link.txt");
        link("nowhere.txt", "broken.txt");
        let (files, skipped) = discover(&[
            Input::Path(root.to_path_buf()),
            Input::Path(root.join("a/story.txt")),
        ]);
        assert_eq!(files, [Input::Path(root.join("a/story.txt"))]);
        let reasons: Vec<(String, &str)> = skipped
            .iter()
            .map(|s| {
                let name = s
                    .source
                    .strip_prefix(&root.display().to_string())
                    .unwrap_or("?");
                (name.to_string(), s.reason.as_str())
            })
            .collect();
        assert_eq!(
            reasons,
            [
                (
                    "/a/b/again".to_string(),
                    "symbolic link loop: points back to a directory that contains it"
                ),
                (
                    "/a/b/up".to_string(),
                    "symbolic link loop: points back to a directory that contains it"
                ),
                (
                    "/broken.txt".to_string(),
                    "broken symbolic link: its target does not exist"
                ),
                ("/self".to_string(), "symbolic link loop"),
            ]
        );
    }

    #[test]
    fn utf16_with_a_bom_is_text() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "The dam failed on Wednesday.".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let items = read_all("a.txt", &bytes);
        assert!(matches!(items.as_slice(), [Item::Document(_)]), "{items:?}");
    }

    #[test]
    fn a_json_array_is_skipped_once() {
        let items = read_all("a.json", b"[\n{\"id\": 1, \"text\": \"x\"}\n]\n");
        assert_eq!(items.len(), 1, "{items:?}");
        assert!(matches!(&items[0], Item::Skipped(s) if s.reason.starts_with("a JSON array")));
    }

    #[test]
    fn names_and_ids() {
        assert_eq!(
            logical_name(Path::new("a/story.html.gz")),
            ("story.html".to_string(), "story".to_string())
        );
        assert_eq!(
            logical_name(Path::new("x.warc.zst")),
            ("x.warc".to_string(), "x".to_string())
        );
        assert_eq!(format_from_name("x.warc"), Some(Format::Warc));
        assert_eq!(
            format_from_content(b"  <!DOCTYPE html><html>"),
            Format::Html
        );
        assert_eq!(format_from_content(b"{\"id\":1}"), Format::JsonLines);
        assert_eq!(format_from_content(b"---\ntitle: x\n---"), Format::Markdown);
        assert_eq!(format_from_content(b"Plain words."), Format::Text);
    }
}
