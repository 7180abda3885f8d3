//! The JSON report of `stemma analyze` and `stemma compare`, field for field as `SPEC.md`
//! gives it (and `docs/report.schema.json` checks it). Structs rather than `json!` so the
//! field order is fixed and the output byte-identical for the same input.

use serde::Serialize;

use crate::analysis::{PairLinks, StoryAnalysis};
use crate::collate::{Link, PairAlignment};
use crate::model::{Document, Skipped, format_published};
use crate::report::inspect::SkippedEntry;

/// Rounds a figure to three decimals, enough for people and stable for diffs.
pub fn round3(value: f32) -> f64 {
    (f64::from(value) * 1000.0).round() / 1000.0
}

/// A document in the report's `documents` list.
#[derive(Serialize)]
pub struct DocumentEntry<'a> {
    /// Document id.
    pub id: &'a str,
    /// Path, `path:line` or URI.
    pub source: &'a str,
    /// Headline.
    pub title: Option<&'a str>,
    /// Publication time in UTC.
    pub published: Option<String>,
    /// Characters of normalised text.
    pub chars: usize,
    /// Number of sentences (headings included).
    pub sentences: usize,
}

impl<'a> DocumentEntry<'a> {
    /// The entry of a document.
    pub fn new(document: &'a Document) -> DocumentEntry<'a> {
        DocumentEntry {
            id: &document.id,
            source: &document.source,
            title: document.title.as_deref(),
            published: document.published.as_ref().map(format_published),
            chars: document.text.chars().count(),
            sentences: document.sentences.len(),
        }
    }
}

/// One side of an alignment link.
#[derive(Serialize)]
pub struct SentenceRef<'a> {
    /// Document id.
    pub document: &'a str,
    /// Index into the document's sentence list.
    pub sentence: usize,
}

/// An alignment link between a source sentence and a version sentence.
#[derive(Serialize)]
pub struct AlignmentEntry<'a> {
    /// The source (parent) sentence.
    pub from: SentenceRef<'a>,
    /// The version sentence.
    pub to: SentenceRef<'a>,
    /// `verbatim`, `edited` or `paraphrase`.
    pub kind: &'static str,
    /// Similarity in 0..=1.
    pub score: f64,
    /// Present and true when the two sentences' numbers disagree.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub numbers_differ: bool,
    /// Present and true when the two sentences' names disagree.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub names_differ: bool,
}

impl<'a> AlignmentEntry<'a> {
    /// The entry of a link between `source` and `version`.
    pub fn new(source: &'a str, version: &'a str, link: &Link) -> AlignmentEntry<'a> {
        AlignmentEntry {
            from: SentenceRef {
                document: source,
                sentence: link.source,
            },
            to: SentenceRef {
                document: version,
                sentence: link.version,
            },
            kind: link.kind.as_str(),
            score: round3(link.score),
            numbers_differ: link.numbers_differ,
            names_differ: link.names_differ,
        }
    }
}

/// A version in a story's `versions` list.
#[derive(Serialize)]
pub struct VersionEntry<'a> {
    /// Document id.
    pub document: &'a str,
    /// The id of the version it derives from, or null for roots.
    pub derived_from: Option<&'a str>,
    /// How it was made.
    pub derivation: &'static str,
    /// Similarity to its parent (1 for the original).
    pub similarity: f64,
    /// Share of the parent's content it carries (1 for the original).
    pub coverage: f64,
    /// Share of its content with no counterpart in its parent (0 for the original).
    pub novelty: f64,
}

/// A story in the report.
#[derive(Serialize)]
pub struct StoryEntry<'a> {
    /// Story id.
    pub id: &'a str,
    /// Ids of its versions.
    pub documents: Vec<&'a str>,
    /// Id of the original.
    pub original: &'a str,
    /// Why that version is the original.
    pub original_reason: &'a str,
    /// Lineage and derivations.
    pub versions: Vec<VersionEntry<'a>>,
    /// Each version's sentence links to its parent.
    pub alignments: Vec<AlignmentEntry<'a>>,
    /// Facts of the story with the versions that support and dissent.
    pub facts: Vec<serde_json::Value>,
    /// Drift of each version against its parent.
    pub drift: Vec<serde_json::Value>,
}

/// The whole `analyze` report.
#[derive(Serialize)]
pub struct Report<'a> {
    /// The stemma version that wrote it.
    pub stemma: &'static str,
    /// Every document read.
    pub documents: Vec<DocumentEntry<'a>>,
    /// Inputs skipped, with reasons.
    pub skipped: Vec<SkippedEntry<'a>>,
    /// The stories.
    pub stories: Vec<StoryEntry<'a>>,
}

fn alignments<'a>(corpus: &'a [Document], pairs: &[PairLinks]) -> Vec<AlignmentEntry<'a>> {
    pairs
        .iter()
        .flat_map(|pair| {
            let source = corpus[pair.source].id.as_str();
            let version = corpus[pair.version].id.as_str();
            pair.links
                .iter()
                .map(move |link| AlignmentEntry::new(source, version, link))
        })
        .collect()
}

/// Builds the report of a corpus and its analysed stories.
pub fn report<'a>(
    corpus: &'a [Document],
    skipped: &'a [Skipped],
    stories: &'a [StoryAnalysis],
) -> Report<'a> {
    Report {
        stemma: crate::VERSION,
        documents: corpus.iter().map(DocumentEntry::new).collect(),
        skipped: skipped.iter().map(SkippedEntry::from).collect(),
        stories: stories
            .iter()
            .map(|story| StoryEntry {
                id: &story.id,
                documents: story
                    .documents
                    .iter()
                    .map(|&d| corpus[d].id.as_str())
                    .collect(),
                original: &corpus[story.original].id,
                original_reason: &story.original_reason,
                versions: story
                    .versions
                    .iter()
                    .map(|v| {
                        let is_root = v.derived_from.is_none();
                        VersionEntry {
                            document: &corpus[v.document].id,
                            derived_from: v.derived_from.map(|p| corpus[p].id.as_str()),
                            derivation: v.derivation.as_str(),
                            similarity: if is_root && v.document == story.original {
                                1.0
                            } else {
                                round3(v.summary.similarity)
                            },
                            coverage: if is_root && v.document == story.original {
                                1.0
                            } else {
                                round3(v.summary.coverage)
                            },
                            novelty: if is_root && v.document == story.original {
                                0.0
                            } else {
                                round3(v.summary.novelty)
                            },
                        }
                    })
                    .collect(),
                alignments: alignments(corpus, &story.alignments),
                facts: Vec::new(),
                drift: Vec::new(),
            })
            .collect(),
    }
}

/// The `compare` report of one version held against its source.
#[derive(Serialize)]
pub struct CompareEntry<'a> {
    /// Pair id (for `--pairs`) or absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// Source document id (single compare only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// Version document id (single compare only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'a str>,
    /// Similarity in 0..=1.
    pub similarity: f64,
    /// How the version was made from the source.
    pub derivation: &'static str,
    /// Share of the source's content the version carries.
    pub coverage: f64,
    /// Share of the version's content with no counterpart in the source.
    pub novelty: f64,
    /// Sentence links.
    pub alignments: Vec<AlignmentEntry<'a>>,
    /// Fact drift of the version against the source.
    pub drift: Vec<serde_json::Value>,
    /// True when no fact was changed or added.
    pub consistent: bool,
}

/// Builds a compare entry.
pub fn compare_entry<'a>(
    id: Option<&'a str>,
    source: &'a Document,
    version: &'a Document,
    pair: &PairAlignment,
    derivation: &'static str,
    name_documents: bool,
) -> CompareEntry<'a> {
    CompareEntry {
        id,
        source: name_documents.then_some(source.id.as_str()),
        version: name_documents.then_some(version.id.as_str()),
        similarity: round3(pair.summary.similarity),
        derivation,
        coverage: round3(pair.summary.coverage),
        novelty: round3(pair.summary.novelty),
        alignments: pair
            .links
            .iter()
            .map(|l| AlignmentEntry::new(&source.id, &version.id, l))
            .collect(),
        drift: Vec::new(),
        consistent: true,
    }
}
