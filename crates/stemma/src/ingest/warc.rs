//! WARC archives (`.warc`, `.warc.gz` with one gzip member per record): HTML response
//! records become documents, everything else is counted and skipped.
//!
//! Records are streamed one at a time with the `warc` crate's streaming reader, so an
//! archive of any size is never loaded whole. The document id is the record's
//! `WARC-Target-URI`; the publication date comes from the page, else from `WARC-Date`.
//! A truncated or malformed record costs that record and what follows it in the file (a
//! WARC cannot be resynchronised without an index), never the records before it.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};

use warc::{RecordType, WarcHeader, WarcReader};

use super::{Body, Compression, IngestConfig, Item, Meta, RawDocument, parse_published};
use crate::model::Skipped;
use crate::normalize::decode;

pub(super) fn read_warc(
    reader: Box<dyn BufRead + Send>,
    compression: Compression,
    source: &str,
    config: &IngestConfig,
    emit: &mut dyn FnMut(Item),
) {
    let tap = Arc::new(Mutex::new(HeaderTap::default()));
    let mut warc = WarcReader::new(Tapped {
        inner: reader,
        tap: Arc::clone(&tap),
    });
    let mut records = warc.stream_records();
    let mut other: BTreeMap<String, usize> = BTreeMap::new();
    let mut record_no = 0usize;
    loop {
        set_recording(&tap, true);
        let next = records.next_item();
        let header = set_recording(&tap, false);
        let Some(next) = next else { break };
        record_no += 1;
        let mut record = match next {
            Ok(record) => record,
            Err(error) => {
                let reason = match error {
                    warc::Error::UnexpectedEOB => "truncated record".to_string(),
                    warc::Error::ReadData(ref io) => {
                        // The bomb guard and the header limit speak through read errors.
                        if io.kind() == std::io::ErrorKind::UnexpectedEof {
                            format!("truncated {}", compression.name())
                        } else {
                            super::stream_reason(compression, io)
                        }
                    }
                    ref other => format!("malformed record: {other}"),
                };
                emit(Item::Skipped(Skipped::new(
                    format!("{source}#record{record_no}"),
                    format!("{reason}; the rest of the archive is unreadable"),
                )));
                break;
            }
        };
        if *record.warc_type() != RecordType::Response {
            *other.entry(record.warc_type().to_string()).or_default() += 1;
            if let Err(error) = drain(&mut record) {
                emit(Item::Skipped(Skipped::new(
                    format!("{source}#record{record_no}"),
                    format!(
                        "{}; the rest of the archive is unreadable",
                        super::stream_reason(compression, &error)
                    ),
                )));
                break;
            }
            continue;
        }
        // Read off the record's header as it went by, not asked of `warc`: its `header`
        // unwraps the value as UTF-8 and panics on anything else (found by fuzzing).
        let uri = target_uri(&header)
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("{source}#record{record_no}"));
        let warc_date = record
            .header(WarcHeader::Date)
            .and_then(|d| parse_published(&d));
        if record.content_length() > config.max_document_bytes {
            emit(Item::Skipped(Skipped::new(
                uri,
                format!(
                    "record over the size limit of {} bytes (--max-document-bytes)",
                    config.max_document_bytes
                ),
            )));
            if let Err(error) = drain(&mut record) {
                emit(Item::Skipped(Skipped::new(
                    format!("{source}#record{record_no}"),
                    format!(
                        "{}; the rest of the archive is unreadable",
                        super::stream_reason(compression, &error)
                    ),
                )));
                break;
            }
            continue;
        }
        let mut payload = Vec::new();
        let declared = record.content_length();
        if let Err(error) = record.read_to_end(&mut payload) {
            emit(Item::Skipped(Skipped::new(
                format!("{source}#record{record_no}"),
                format!("truncated record {uri}: {error}; the rest of the archive is unreadable"),
            )));
            break;
        }
        // The streaming reader hands over what the file holds without an error when it
        // ends early: a short block is a truncated record, not a shorter page.
        if (payload.len() as u64) < declared {
            emit(Item::Skipped(Skipped::new(
                format!("{source}#record{record_no}"),
                format!(
                    "truncated record {uri}: {} of {declared} bytes; the rest of the archive is unreadable",
                    payload.len()
                ),
            )));
            break;
        }
        match http_html(&payload, config.max_document_bytes) {
            Ok(html) => {
                let (text, _) = decode(&html);
                emit(Item::Document(RawDocument {
                    id: uri.clone(),
                    source: uri,
                    meta: Meta {
                        published: warc_date,
                        ..Meta::default()
                    },
                    body: Body::Html(text.into_owned()),
                }));
            }
            Err(NotHtml::Kind(kind)) => {
                *other.entry(format!("response ({kind})")).or_default() += 1;
            }
            Err(NotHtml::TooLarge) => emit(Item::Skipped(Skipped::new(
                uri,
                format!(
                    "gzip-encoded page over the size limit of {} bytes (--max-document-bytes)",
                    config.max_document_bytes
                ),
            ))),
        }
    }
    if !other.is_empty() {
        let total: usize = other.values().sum();
        let detail: Vec<String> = other.iter().map(|(k, n)| format!("{k} {n}")).collect();
        emit(Item::Skipped(Skipped::new(
            source,
            format!("{total} records not HTML responses ({})", detail.join(", ")),
        )));
    }
}

/// The longest record header read: real ones are a few hundred bytes, and the `warc` reader
/// would otherwise gather a header line that never ends into memory without bound.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// The bytes read while a record's header is parsed.
#[derive(Default)]
struct HeaderTap {
    recording: bool,
    header: Vec<u8>,
}

/// Starts or stops recording; returns what was recorded when stopping.
fn set_recording(tap: &Mutex<HeaderTap>, on: bool) -> Vec<u8> {
    // A poisoned lock means a panic elsewhere in this reader; the recording is still data.
    let mut tap = tap
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    tap.recording = on;
    if on {
        tap.header.clear();
        Vec::new()
    } else {
        std::mem::take(&mut tap.header)
    }
}

/// The archive's reader, recording what the `warc` reader consumes while a header is read.
/// Record bodies are drained before the next header is asked for, so what is recorded is
/// the header (behind at most the last record's closing blank lines).
struct Tapped {
    inner: Box<dyn BufRead + Send>,
    tap: Arc<Mutex<HeaderTap>>,
}

impl Read for Tapped {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Tapped {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let tap = self
            .tap
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if tap.recording && tap.header.len() > MAX_HEADER_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("record header over {MAX_HEADER_BYTES} bytes"),
            ));
        }
        drop(tap);
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        let mut tap = self
            .tap
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if tap.recording {
            // The bytes being consumed are still in the inner buffer: asking for it again
            // does no IO.
            if let Ok(buffer) = self.inner.fill_buf() {
                tap.header
                    .extend_from_slice(&buffer[..amount.min(buffer.len())]);
            }
        }
        drop(tap);
        self.inner.consume(amount);
    }
}

/// The `WARC-Target-URI` of a recorded header, decoded leniently.
fn target_uri(header: &[u8]) -> Option<String> {
    const NAME: &[u8] = b"warc-target-uri:";
    header.split(|&b| b == b'\n').find_map(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        (line.len() >= NAME.len() && line[..NAME.len()].eq_ignore_ascii_case(NAME)).then(|| {
            String::from_utf8_lossy(&line[NAME.len()..])
                .trim()
                .to_string()
        })
    })
}

/// Reads a record's body to its end, so that the next header is read on its own.
fn drain(record: &mut impl Read) -> io::Result<u64> {
    io::copy(record, &mut io::sink())
}

/// Why a response record gives no page.
#[derive(Debug, PartialEq)]
enum NotHtml {
    /// Not an HTML response: the kind of content or of problem.
    Kind(String),
    /// A gzip-encoded body that expands past the size limit (a compressed record is small
    /// whatever its content expands to, so the record's own limit does not bound it).
    TooLarge,
}

/// The HTML body of an HTTP response, decoded from chunked and gzip transfer (to at most
/// `limit` bytes); why there is none otherwise.
fn http_html(payload: &[u8], limit: u64) -> Result<Vec<u8>, NotHtml> {
    let Some(split) = memchr::memmem::find(payload, b"\r\n\r\n")
        .map(|at| (at, 4))
        .or_else(|| memchr::memmem::find(payload, b"\n\n").map(|at| (at, 2)))
    else {
        return Err(NotHtml::Kind("no HTTP headers".to_string()));
    };
    let head = String::from_utf8_lossy(&payload[..split.0]).to_ascii_lowercase();
    let mut body = payload[split.0 + split.1..].to_vec();
    let header = |name: &str| {
        head.lines()
            .find_map(|line| line.strip_prefix(name).map(|v| v.trim().to_string()))
    };
    let content_type = header("content-type:").unwrap_or_default();
    let status_ok = head
        .lines()
        .next()
        .and_then(|status| status.split_whitespace().nth(1))
        .is_some_and(|code| code.starts_with('2'));
    if !status_ok {
        return Err(NotHtml::Kind("not status 2xx".to_string()));
    }
    if header("transfer-encoding:").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body);
    }
    if header("content-encoding:").is_some_and(|e| e.contains("gzip")) {
        let mut decoded = Vec::new();
        if flate2::read::MultiGzDecoder::new(&body[..])
            .take(limit + 1)
            .read_to_end(&mut decoded)
            .is_ok()
        {
            if decoded.len() as u64 > limit {
                return Err(NotHtml::TooLarge);
            }
            body = decoded;
        }
    }
    let looks_html = content_type.contains("html")
        || (content_type.is_empty()
            && body.len() > 5
            && String::from_utf8_lossy(&body[..body.len().min(512)])
                .to_ascii_lowercase()
                .contains("<html"));
    if looks_html {
        Ok(body)
    } else {
        let kind = content_type.split(';').next().unwrap_or("").trim();
        Err(NotHtml::Kind(if kind.is_empty() {
            "no content type".to_string()
        } else {
            kind.to_string()
        }))
    }
}

/// Undoes HTTP chunked transfer coding; on malformed input keeps what was decoded.
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(line_end) = memchr::memmem::find(rest, b"\r\n") {
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        rest = &rest[line_end + 2..];
        if size == 0 || size > rest.len() {
            out.extend_from_slice(&rest[..size.min(rest.len())]);
            break;
        }
        out.extend_from_slice(&rest[..size]);
        rest = rest.get(size + 2..).unwrap_or(&[]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_bodies() {
        let page =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html>x</html>";
        assert_eq!(http_html(page, 1000).expect("html"), b"<html>x</html>");
        let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        assert_eq!(
            http_html(image, 1000).unwrap_err(),
            NotHtml::Kind("image/png".to_string())
        );
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        assert_eq!(
            http_html(redirect, 1000).unwrap_err(),
            NotHtml::Kind("not status 2xx".to_string())
        );
        let chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n2\r\n>x\r\n0\r\n\r\n";
        assert_eq!(http_html(chunked, 1000).expect("html"), b"<html>x");
    }

    #[test]
    fn a_warc_header_that_is_not_utf8_is_read_leniently() {
        let page =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>x</p></body></html>";
        let mut archive = Vec::new();
        for uri in [
            &b"https://news.example/a\xed"[..],
            b"https://news.example/b",
        ] {
            archive.extend_from_slice(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:x>\r\nWARC-Date: 2025-11-20T08:00:00Z\r\nWARC-Target-URI: ");
            archive.extend_from_slice(uri);
            archive.extend_from_slice(
                format!("\r\nContent-Length: {}\r\n\r\n", page.len()).as_bytes(),
            );
            archive.extend_from_slice(page);
            archive.extend_from_slice(b"\r\n\r\n");
        }
        let mut items = Vec::new();
        read_warc(
            Box::new(std::io::Cursor::new(archive)),
            Compression::None,
            "a.warc",
            &IngestConfig::default(),
            &mut |item| items.push(item),
        );
        assert!(
            matches!(&items[0], Item::Document(d) if d.id == "https://news.example/a\u{fffd}"),
            "{items:?}"
        );
        assert!(
            matches!(&items[1], Item::Document(d) if d.id == "https://news.example/b"),
            "{items:?}"
        );
    }

    #[test]
    fn a_header_that_never_ends_stops_at_its_limit() {
        let mut archive = b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: ".to_vec();
        archive.extend(std::iter::repeat_n(b'a', 3 * MAX_HEADER_BYTES));
        let mut items = Vec::new();
        read_warc(
            Box::new(std::io::Cursor::new(archive)),
            Compression::None,
            "a.warc",
            &IngestConfig::default(),
            &mut |item| items.push(item),
        );
        assert!(
            matches!(items.as_slice(), [Item::Skipped(s)] if s.reason.contains("record header over")),
            "{items:?}"
        );
    }

    #[test]
    fn a_gzip_bomb_in_a_response_stops_at_the_limit() {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut encoder, &vec![b'a'; 4 << 20]).expect("compress");
        let body = encoder.finish().expect("compress");
        let mut payload =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        payload.extend_from_slice(&body);
        assert_eq!(http_html(&payload, 1 << 20).unwrap_err(), NotHtml::TooLarge);
        assert!(http_html(&payload, 8 << 20).is_ok());
    }
}
