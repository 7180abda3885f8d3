//! `stemma._stemma`: the library's entry points for Python, under the pure-Python `stemma`
//! package (`python/stemma/`), which checks arguments and gives them their final shape.
//!
//! Every function takes plain values (strings, bytes, tuples), releases the GIL for the
//! work, and calls the same library functions as the command line: `read` is `stemma
//! inspect --format json`, `analyze` is `stemma analyze`, `compare` is `stemma compare`,
//! `cluster` is `stemma cluster`. The lower-level functions after them are the steps of
//! [`stemma::cluster::parts`], for the Spark driver (`stemma.spark`).
//!
//! Documents come as [`Item`]s: a path (a file or directory, read as the command line
//! reads it) or the fields of one article, read as a JSON line with those fields is.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;

use stemma::analysis::{AnalyzeConfig, analyze_stories, compare as compare_pair};
use stemma::cluster::parts::{self, PartsError, Weights as ClusterWeights};
use stemma::cluster::{self, ClusterConfig, cluster_documents};
use stemma::corpus::{self, Sentences, UniqueIds};
use stemma::fingerprint::{self, Fingerprint};
use stemma::ingest::{self, IngestConfig, Input, LineRange, Part, Record};
use stemma::model::{Document, Skipped};
use stemma::report::text::TextOptions;
use stemma::report::{html, inspect, json, text};

/// One input as the Python side hands it over: `(path, record)`, exactly one of them set.
/// A record is `(id, text, title, published, url, author, source)`.
type Item = (Option<String>, Option<RecordFields>);

/// The fields of a record (see [`Item`]).
type RecordFields = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// A skipped input as Python receives it: `(source, reason)`.
type SkippedPair = (String, String);

fn record((id, text, title, published, url, author, _): RecordFields) -> Record {
    Record {
        id,
        text,
        title,
        published,
        url,
        author,
    }
}

fn ingest_config(max_document_bytes: Option<u64>) -> IngestConfig {
    let mut config = IngestConfig::default();
    if let Some(bytes) = max_document_bytes {
        config.max_document_bytes = bytes;
    }
    config
}

/// Reads the items, in order: runs of paths as one reading of the command line (each file
/// once however often it is reached), records one by one; ids made unique over all.
fn load(
    items: Vec<Item>,
    config: &IngestConfig,
    split: Sentences,
) -> (Vec<Document>, Vec<Skipped>) {
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    let mut items = items.into_iter().peekable();
    while let Some(item) = items.next() {
        match item {
            (Some(path), _) => {
                let mut inputs = vec![Input::from_arg(&path)];
                while let Some((Some(next), _)) = items.peek() {
                    inputs.push(Input::from_arg(next));
                    items.next();
                }
                corpus::stream(&inputs, config, 256, &mut |docs, skips| {
                    documents.extend(docs);
                    skipped.extend(skips);
                });
            }
            (None, Some(fields)) => {
                let mut run = vec![fields];
                while let Some((None, Some(_))) = items.peek() {
                    if let Some((_, Some(fields))) = items.next() {
                        run.push(fields);
                    }
                }
                let built: Vec<Result<Document, Skipped>> = run
                    .into_par_iter()
                    .map(|fields| {
                        let source = fields.6.clone();
                        ingest::raw_from_record(record(fields), source)
                            .and_then(|raw| corpus::build_document_as(raw, split))
                    })
                    .collect();
                for result in built {
                    match result {
                        Ok(document) => documents.push(document),
                        Err(skip) => skipped.push(skip),
                    }
                }
            }
            (None, None) => {}
        }
    }
    let mut ids = UniqueIds::default();
    for document in &mut documents {
        document.id = ids.unique(std::mem::take(&mut document.id));
    }
    (documents, skipped)
}

fn skipped_pairs(skipped: &[Skipped]) -> Vec<SkippedPair> {
    skipped
        .iter()
        .map(|s| (s.source.clone(), s.reason.clone()))
        .collect()
}

fn io_error(error: std::io::Error) -> PyErr {
    PyOSError::new_err(error.to_string())
}

fn parts_error(error: PartsError) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// `stemma inspect --format json` over the items: `{"documents": [...], "skipped": [...]}`.
#[pyfunction]
#[pyo3(signature = (items, max_document_bytes=None))]
fn read(py: Python<'_>, items: Vec<Item>, max_document_bytes: Option<u64>) -> PyResult<String> {
    py.detach(|| {
        let (documents, skipped) =
            load(items, &ingest_config(max_document_bytes), Sentences::Split);
        let mut writer = inspect::JsonInspectWriter::new(Vec::new()).map_err(io_error)?;
        writer.documents(&documents).map_err(io_error)?;
        let bytes = writer.finish(&skipped).map_err(io_error)?;
        // The command's fields, and the text, which Python callers pass on.
        let mut report: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| PyValueError::new_err(e.to_string()))?;
        if let Some(entries) = report["documents"].as_array_mut() {
            for (entry, document) in entries.iter_mut().zip(&documents) {
                entry["text"] = serde_json::Value::String(document.text.clone());
            }
        }
        Ok(report.to_string())
    })
}

/// `stemma analyze --format FORMAT --no-model` over the items: the report and the
/// skipped inputs. `ValueError` when no document could be read.
#[pyfunction]
#[pyo3(signature = (items, format, max_document_bytes=None))]
fn analyze(
    py: Python<'_>,
    items: Vec<Item>,
    format: &str,
    max_document_bytes: Option<u64>,
) -> PyResult<(String, Vec<SkippedPair>)> {
    if !matches!(format, "json" | "html" | "text") {
        return Err(PyValueError::new_err(format!(
            "format {format:?}: expected \"dict\", \"json\", \"html\" or \"text\""
        )));
    }
    py.detach(|| {
        let (documents, skipped) =
            load(items, &ingest_config(max_document_bytes), Sentences::Split);
        if documents.is_empty() {
            return Err(PyValueError::new_err(no_document(&skipped)));
        }
        let stories: Vec<(String, Vec<usize>)> =
            cluster_documents(&documents, &ClusterConfig::default())
                .into_iter()
                .map(|story| (story.id, story.documents))
                .collect();
        let analyses = analyze_stories(&documents, &stories, &AnalyzeConfig::default());
        let mut out = Vec::new();
        match format {
            "json" => {
                let report = json::report(&documents, &skipped, &analyses);
                serde_json::to_writer_pretty(&mut out, &report)
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                out.push(b'\n');
            }
            "html" => {
                html::write_report(&mut out, &documents, &skipped, &analyses).map_err(io_error)?
            }
            _ => text::write_report(
                &mut out,
                &documents,
                &skipped,
                &analyses,
                &TextOptions::default(),
            )
            .map_err(io_error)?,
        }
        let report = String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok((report, skipped_pairs(&skipped)))
    })
}

fn no_document(skipped: &[Skipped]) -> String {
    match skipped.first() {
        Some(first) => format!(
            "no document could be read ({} skipped; first {}: {})",
            skipped.len(),
            first.source,
            first.reason
        ),
        None => "no document could be read".to_string(),
    }
}

/// The one document an item of `compare` names: the first of a path (as the command line
/// takes it), or the record.
fn one_document(item: Item, what: &str, config: &IngestConfig) -> PyResult<Document> {
    let (documents, skipped) = load(vec![item], config, Sentences::Split);
    documents
        .into_iter()
        .next()
        .ok_or_else(|| PyValueError::new_err(format!("{what}: {}", no_document(&skipped))))
}

/// `stemma compare SOURCE VERSION --format FORMAT --no-model`.
#[pyfunction]
#[pyo3(signature = (source, version, format, max_document_bytes=None))]
fn compare(
    py: Python<'_>,
    source: Item,
    version: Item,
    format: &str,
    max_document_bytes: Option<u64>,
) -> PyResult<String> {
    if !matches!(format, "json" | "html" | "text") {
        return Err(PyValueError::new_err(format!(
            "format {format:?}: expected \"dict\", \"json\", \"html\" or \"text\""
        )));
    }
    py.detach(|| {
        let config = ingest_config(max_document_bytes);
        let source = one_document(source, "source", &config)?;
        let version = one_document(version, "version", &config)?;
        let comparison = compare_pair(&source, &version, &AnalyzeConfig::default());
        let mut out = Vec::new();
        match format {
            "json" => {
                let entry = json::compare_entry(None, &source, &version, &comparison, true);
                serde_json::to_writer_pretty(&mut out, &entry)
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                out.push(b'\n');
            }
            "html" => {
                html::write_compare(&mut out, &source, &version, &comparison).map_err(io_error)?
            }
            _ => text::write_compare(
                &mut out,
                &source,
                &version,
                &comparison,
                &TextOptions::default(),
            )
            .map_err(io_error)?,
        }
        String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
    })
}

/// `stemma cluster` over the items: the stories as (story, document ids), and the
/// skipped inputs.
#[pyfunction]
#[pyo3(signature = (items, max_document_bytes=None))]
#[allow(clippy::type_complexity)]
fn cluster_items(
    py: Python<'_>,
    items: Vec<Item>,
    max_document_bytes: Option<u64>,
) -> PyResult<(Vec<(String, Vec<String>)>, Vec<SkippedPair>)> {
    py.detach(|| {
        let (documents, skipped) = load(items, &ingest_config(max_document_bytes), Sentences::Skip);
        let stories = cluster_documents(&documents, &ClusterConfig::default())
            .into_iter()
            .map(|story| {
                let ids = story
                    .documents
                    .iter()
                    .map(|&d| documents[d].id.clone())
                    .collect();
                (story.id, ids)
            })
            .collect();
        Ok((stories, skipped_pairs(&skipped)))
    })
}

/// The JSON Lines `stemma cluster` writes for these stories.
#[pyfunction]
fn story_lines(py: Python<'_>, stories: Vec<(String, Vec<String>)>) -> PyResult<String> {
    py.detach(|| {
        let mut out = String::new();
        for (story, documents) in &stories {
            // Field for field in the command's order: `story`, then `documents`.
            let story =
                serde_json::to_string(story).map_err(|e| PyValueError::new_err(e.to_string()))?;
            let documents = serde_json::to_string(documents)
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            out.push_str(&format!(
                "{{\"story\":{story},\"documents\":{documents}}}\n"
            ));
        }
        Ok(out)
    })
}

// ---- The steps of distributed clustering (stemma.spark) -------------------------------

/// A part of a reading plan as Python holds it: `(path, (start, end, first_line) or None)`.
type PartTuple = (String, Option<(u64, u64, usize)>);

/// One document read on a worker: (position in the part, id as read, fingerprint bytes).
type ReadDocument<'py> = (u32, String, Bound<'py, PyBytes>);

/// `ingest::plan` over paths: the parts, and the inputs skipped while listing them.
#[pyfunction]
fn plan(py: Python<'_>, paths: Vec<String>, part_bytes: u64) -> (Vec<PartTuple>, Vec<SkippedPair>) {
    py.detach(|| {
        let inputs: Vec<Input> = paths.iter().map(|p| Input::from_arg(p)).collect();
        let (parts, skipped) = ingest::plan(&inputs, part_bytes);
        let parts = parts
            .into_iter()
            .map(|part| {
                let path = match &part.input {
                    Input::Path(path) => path.display().to_string(),
                    Input::Stdin => "-".to_string(),
                    // Paths from Python never name bytes in memory; said as their source.
                    Input::Memory(memory) => memory.source.clone(),
                };
                (path, part.lines.map(|l| (l.start, l.end, l.first_line)))
            })
            .collect();
        (parts, skipped_pairs(&skipped))
    })
}

/// Reads one part and fingerprints its documents: the documents, and the skipped items
/// as (position in the part, source, reason). Positions order documents and skips alike.
#[pyfunction]
#[pyo3(signature = (part, max_document_bytes=None))]
#[allow(clippy::type_complexity)]
fn read_part<'py>(
    py: Python<'py>,
    part: PartTuple,
    max_document_bytes: Option<u64>,
) -> (Vec<ReadDocument<'py>>, Vec<(u32, String, String)>) {
    let (path, lines) = part;
    let part = Part {
        input: Input::from_arg(&path),
        lines: lines.map(|(start, end, first_line)| LineRange {
            start,
            end,
            first_line,
        }),
    };
    let config = ClusterConfig::default();
    let results = py.detach(|| {
        corpus::map_part(
            &part,
            &ingest_config(max_document_bytes),
            Sentences::Skip,
            &|d| fingerprint::fingerprint(&d, &config.fingerprint).to_bytes(),
        )
    });
    split_results(py, results)
}

#[allow(clippy::type_complexity)]
fn split_results<'py>(
    py: Python<'py>,
    results: Vec<Result<(String, Vec<u8>), Skipped>>,
) -> (Vec<ReadDocument<'py>>, Vec<(u32, String, String)>) {
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    for (k, result) in results.into_iter().enumerate() {
        match result {
            Ok((id, bytes)) => documents.push((k as u32, id, PyBytes::new(py, &bytes))),
            Err(skip) => skipped.push((k as u32, skip.source, skip.reason)),
        }
    }
    (documents, skipped)
}

/// Fingerprints records (table rows), read as JSON lines with those fields are.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn fingerprint_records<'py>(
    py: Python<'py>,
    records: Vec<RecordFields>,
) -> (Vec<ReadDocument<'py>>, Vec<(u32, String, String)>) {
    let config = ClusterConfig::default();
    let results = py.detach(|| {
        records
            .into_par_iter()
            .map(|fields| {
                let source = fields.6.clone();
                let raw = ingest::raw_from_record(record(fields), source)?;
                let document = corpus::build_document_as(raw, Sentences::Skip)?;
                let print = fingerprint::fingerprint(&document, &config.fingerprint);
                Ok((document.id, print.to_bytes()))
            })
            .collect::<Vec<_>>()
    });
    split_results(py, results)
}

/// Ids made unique in the order given, as the command line makes them.
#[pyfunction]
fn unique_ids(ids: Vec<String>) -> Vec<String> {
    let mut unique = UniqueIds::default();
    ids.into_iter().map(|id| unique.unique(id)).collect()
}

fn print_of(bytes: &[u8]) -> PyResult<Fingerprint> {
    Fingerprint::from_bytes(bytes)
        .ok_or_else(|| PyValueError::new_err("not the bytes of a stemma fingerprint"))
}

fn prints_of(prints: &[Bound<'_, PyBytes>]) -> PyResult<Vec<Fingerprint>> {
    prints.iter().map(|b| print_of(b.as_bytes())).collect()
}

/// `parts::term_registers` of fingerprint bytes.
#[pyfunction]
fn term_registers<'py>(
    py: Python<'py>,
    prints: Vec<Bound<'py, PyBytes>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let prints = prints_of(&prints)?;
    let registers = py.detach(|| parts::term_registers(&prints));
    Ok(PyBytes::new(py, &registers))
}

/// `parts::merge_registers`, as a new value.
#[pyfunction]
fn merge_registers<'py>(py: Python<'py>, a: &[u8], b: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let mut merged = a.to_vec();
    parts::merge_registers(&mut merged, b).map_err(parts_error)?;
    Ok(PyBytes::new(py, &merged))
}

/// `parts::table_slots`.
#[pyfunction]
fn table_slots(registers: &[u8]) -> PyResult<usize> {
    parts::table_slots(registers).map_err(parts_error)
}

fn counts_of(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn counts_bytes(counts: &[u32]) -> Vec<u8> {
    counts.iter().flat_map(|c| c.to_le_bytes()).collect()
}

/// `parts::count_terms`, as little-endian `u32` counters.
#[pyfunction]
fn count_terms<'py>(
    py: Python<'py>,
    prints: Vec<Bound<'py, PyBytes>>,
    slots: usize,
) -> PyResult<Bound<'py, PyBytes>> {
    let prints = prints_of(&prints)?;
    let counts = py.detach(|| parts::count_terms(&prints, slots).map(|c| counts_bytes(&c)));
    Ok(PyBytes::new(py, &counts.map_err(parts_error)?))
}

/// `parts::add_counts`, as a new value.
#[pyfunction]
fn add_counts<'py>(py: Python<'py>, a: &[u8], b: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let mut sum = counts_of(a);
    parts::add_counts(&mut sum, &counts_of(b)).map_err(parts_error)?;
    Ok(PyBytes::new(py, &counts_bytes(&sum)))
}

/// `parts::band_keys` of a document in a corpus of `documents` documents.
#[pyfunction]
fn band_keys(print: &[u8], documents: usize) -> PyResult<Vec<(u32, u64)>> {
    Ok(parts::band_keys(
        &print_of(print)?,
        documents,
        &ClusterConfig::default(),
    ))
}

/// `parts::bucket_pairs`.
#[pyfunction]
fn bucket_pairs(ids: Vec<String>) -> Vec<(String, String)> {
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    parts::bucket_pairs(&refs)
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// `parts::anchor_run_pairs`.
#[pyfunction]
fn anchor_run_pairs(holders: Vec<(String, bool)>) -> Vec<(String, String, bool)> {
    let refs: Vec<(&str, bool)> = holders
        .iter()
        .map(|(id, long)| (id.as_str(), *long))
        .collect();
    parts::anchor_run_pairs(&refs, &ClusterConfig::default())
        .into_iter()
        .map(|(a, b, long)| (a.to_string(), b.to_string(), long))
        .collect()
}

/// `parts::enough_anchors`.
#[pyfunction]
fn enough_anchors(shared: usize, both_long: bool) -> bool {
    parts::enough_anchors(shared, both_long, &ClusterConfig::default())
}

/// `parts::is_long`.
#[pyfunction]
fn is_long(print: &[u8]) -> PyResult<bool> {
    Ok(parts::is_long(&print_of(print)?, &ClusterConfig::default()))
}

/// Corpora of at most this many documents are clustered whole (every pair scored).
#[pyfunction]
fn all_pairs_below() -> usize {
    ClusterConfig::default().all_pairs_below
}

/// `cluster::cluster` over (id, fingerprint bytes): the stories as (story, ids).
#[pyfunction]
fn cluster_prints(
    py: Python<'_>,
    documents: Vec<(String, Bound<'_, PyBytes>)>,
) -> PyResult<Vec<(String, Vec<String>)>> {
    let ids: Vec<String> = documents.iter().map(|(id, _)| id.clone()).collect();
    let prints: Vec<Fingerprint> = documents
        .iter()
        .map(|(_, b)| print_of(b.as_bytes()))
        .collect::<PyResult<_>>()?;
    Ok(py.detach(|| {
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        cluster::cluster(&prints, &refs, &ClusterConfig::default())
            .into_iter()
            .map(|s| (s.id, s.documents.iter().map(|&d| ids[d].clone()).collect()))
            .collect()
    }))
}

/// Documents a term may anchor and still pair them ([`ClusterConfig::anchor_max_df`]).
#[pyfunction]
fn anchor_max_df() -> u32 {
    ClusterConfig::default().anchor_max_df
}

/// The fewest anchors any candidate pair shares (`parts::enough_anchors` decides).
#[pyfunction]
fn min_shared_anchors() -> usize {
    ClusterConfig::default().min_shared_anchors.max(1)
}

/// The least score of an edge of grouping (a 32-bit float).
#[pyfunction]
fn edge_threshold() -> f32 {
    let config = ClusterConfig::default();
    config.attach_threshold.min(config.threshold)
}

/// `parts::number_stories`.
#[pyfunction]
fn number_stories(py: Python<'_>, groups: Vec<Vec<String>>) -> Vec<(String, Vec<String>)> {
    py.detach(|| parts::number_stories(groups))
}

/// Term weights of a whole corpus (`parts::Weights`), from its summed counts.
#[pyclass(frozen)]
struct Weights {
    inner: ClusterWeights,
}

#[pymethods]
impl Weights {
    #[new]
    fn new(counts: &[u8], documents: usize) -> PyResult<Weights> {
        let inner = ClusterWeights::new(counts_of(counts), documents, ClusterConfig::default())
            .map_err(parts_error)?;
        Ok(Weights { inner })
    }

    /// A document's anchor term hashes.
    fn anchors(&self, print: &[u8]) -> PyResult<Vec<u32>> {
        Ok(self.inner.anchors(&print_of(print)?))
    }

    /// The scores of candidate pairs `(a, b)` of fingerprint bytes, `a` of the smaller id.
    fn scores(
        &self,
        py: Python<'_>,
        pairs: Vec<(Bound<'_, PyBytes>, Bound<'_, PyBytes>)>,
    ) -> PyResult<Vec<f32>> {
        let prints: Vec<(Fingerprint, Fingerprint)> = pairs
            .iter()
            .map(|(a, b)| Ok((print_of(a.as_bytes())?, print_of(b.as_bytes())?)))
            .collect::<PyResult<_>>()?;
        Ok(py.detach(|| {
            prints
                .par_iter()
                .map(|(a, b)| self.inner.score(a, b))
                .collect()
        }))
    }

    /// Whether a pair of this score is an edge.
    fn is_edge(&self, score: f32) -> bool {
        self.inner.is_edge(score)
    }

    /// The stories of one component: its documents (id, fingerprint bytes) and its scored
    /// candidate pairs (a, b, score).
    fn group(
        &self,
        py: Python<'_>,
        documents: Vec<(String, Bound<'_, PyBytes>)>,
        scored: Vec<(String, String, f32)>,
    ) -> PyResult<Vec<Vec<String>>> {
        let prints: Vec<(String, Fingerprint)> = documents
            .iter()
            .map(|(id, b)| Ok((id.clone(), print_of(b.as_bytes())?)))
            .collect::<PyResult<_>>()?;
        py.detach(|| {
            let documents: Vec<(&str, &Fingerprint)> =
                prints.iter().map(|(id, f)| (id.as_str(), f)).collect();
            let scored: Vec<(&str, &str, f32)> = scored
                .iter()
                .map(|(a, b, s)| (a.as_str(), b.as_str(), *s))
                .collect();
            self.inner.group(&documents, &scored).map_err(parts_error)
        })
    }
}

/// One story analysed on its own, as a line of `stemma analyze --format jsonl`: its
/// documents (records, in any order; sorted by id here, as the story lists them).
#[pyfunction]
fn analyze_story(py: Python<'_>, story: String, records: Vec<RecordFields>) -> PyResult<String> {
    py.detach(|| {
        let mut records = records;
        records.sort_by(|a, b| a.0.cmp(&b.0));
        let (documents, skipped) = load(
            records.into_iter().map(|r| (None, Some(r))).collect(),
            &IngestConfig::default(),
            Sentences::Split,
        );
        if documents.is_empty() {
            return Err(PyValueError::new_err(format!(
                "story {story}: {}",
                no_document(&skipped)
            )));
        }
        let members: Vec<usize> = (0..documents.len()).collect();
        let analyses = analyze_stories(&documents, &[(story, members)], &AnalyzeConfig::default());
        let line = json::story_line(&documents, &analyses[0]);
        serde_json::to_string(&line).map_err(|e| PyValueError::new_err(e.to_string()))
    })
}

/// The version of the stemma library.
#[pyfunction]
fn version() -> &'static str {
    stemma::VERSION
}

/// Whether a path names something to read (for argument checks on the Python side).
#[pyfunction]
fn path_exists(path: PathBuf) -> bool {
    path.exists()
}

/// The extension module.
#[pymodule]
fn _stemma(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_items, m)?)?;
    m.add_function(wrap_pyfunction!(story_lines, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(read_part, m)?)?;
    m.add_function(wrap_pyfunction!(fingerprint_records, m)?)?;
    m.add_function(wrap_pyfunction!(unique_ids, m)?)?;
    m.add_function(wrap_pyfunction!(term_registers, m)?)?;
    m.add_function(wrap_pyfunction!(merge_registers, m)?)?;
    m.add_function(wrap_pyfunction!(table_slots, m)?)?;
    m.add_function(wrap_pyfunction!(count_terms, m)?)?;
    m.add_function(wrap_pyfunction!(add_counts, m)?)?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(bucket_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(anchor_run_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(enough_anchors, m)?)?;
    m.add_function(wrap_pyfunction!(is_long, m)?)?;
    m.add_function(wrap_pyfunction!(all_pairs_below, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_prints, m)?)?;
    m.add_function(wrap_pyfunction!(number_stories, m)?)?;
    m.add_function(wrap_pyfunction!(edge_threshold, m)?)?;
    m.add_function(wrap_pyfunction!(anchor_max_df, m)?)?;
    m.add_function(wrap_pyfunction!(min_shared_anchors, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_story, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(path_exists, m)?)?;
    m.add_class::<Weights>()?;
    Ok(())
}
