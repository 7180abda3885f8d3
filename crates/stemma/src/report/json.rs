//! The JSON report of `stemma analyze` and `stemma compare`, field for field as `SPEC.md`
//! gives it (and `docs/report.schema.json` checks it). Structs rather than `json!` so the
//! field order is fixed and the output byte-identical for the same input.

use serde::Serialize;

use crate::analysis::{Comparison, FactWitness, PairLinks, StoryAnalysis, StoryFact, VersionDrift};
use crate::collate::Link;
use crate::drift::Drift;
use crate::facts::Fact;
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
    /// How far the two sentences say the same thing, 0..=1 (the learned paraphrase
    /// probability; 1 for verbatim).
    pub score: f64,
    /// Calibrated probability that the link is right (the two are one sentence, reworded
    /// or with a detail changed).
    pub confidence: f64,
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
            confidence: round3(link.confidence),
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
    /// Calibrated probability of the derivation (for a root: that it derives from no
    /// other version).
    pub confidence: f64,
    /// Calibrated probability that the version is consistent with the version it is held
    /// against; absent for the original.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistency: Option<f64>,
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
    pub facts: Vec<FactEntry<'a>>,
    /// Drift of each version against its parent.
    pub drift: Vec<DriftEntry<'a>>,
    /// Whether the sentence model (all-MiniLM-L6-v2) read the versions: alignment and
    /// the verdicts then use its figures beside the words'.
    pub sentence_model: bool,
}

/// Where a story fact is stated.
#[derive(Serialize)]
pub struct WitnessEntry<'a> {
    /// Document id.
    pub document: &'a str,
    /// Sentence index.
    pub sentence: usize,
    /// Quoted text.
    pub text: &'a str,
    /// Normalised value (dissent only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'a str>,
}

/// A story fact.
#[derive(Serialize)]
pub struct FactEntry<'a> {
    /// `f1`, `f2`, …
    pub id: &'a str,
    /// Kind of fact.
    pub kind: &'static str,
    /// Text as first stated.
    pub text: &'a str,
    /// Normalised value.
    pub value: &'a str,
    /// What it is about.
    pub subject: &'a str,
    /// Versions stating it.
    pub support: Vec<WitnessEntry<'a>>,
    /// Versions stating another value.
    pub dissent: Vec<WitnessEntry<'a>>,
}

/// One side of a drift item.
#[derive(Serialize)]
pub struct FactSide<'a> {
    /// Sentence index.
    pub sentence: usize,
    /// Quoted text.
    pub text: &'a str,
    /// Normalised value.
    pub value: String,
}

impl<'a> FactSide<'a> {
    fn new(fact: &'a Fact) -> FactSide<'a> {
        FactSide {
            sentence: fact.sentence,
            text: &fact.text,
            value: fact.value_string(),
        }
    }
}

/// A drift item.
#[derive(Serialize)]
pub struct DriftEntry<'a> {
    /// The version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<&'a str>,
    /// The version it is held against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub against: Option<&'a str>,
    /// `changed`, `dropped` or `added`.
    pub kind: &'static str,
    /// Kind of fact.
    pub fact_kind: &'static str,
    /// The source's fact, or null.
    pub source: Option<FactSide<'a>>,
    /// The version's fact, or null.
    pub version: Option<FactSide<'a>>,
    /// One plain sentence.
    pub explanation: &'a str,
    /// 0..=1, most serious first.
    pub severity: f64,
    /// Calibrated probability that the item is real (see `Drift::confidence`).
    pub confidence: f64,
}

impl<'a> DriftEntry<'a> {
    /// The entry of a drift item; `document`/`against` are named in story reports.
    pub fn new(
        drift: &'a Drift,
        document: Option<&'a str>,
        against: Option<&'a str>,
    ) -> DriftEntry<'a> {
        DriftEntry {
            document,
            against,
            kind: drift.kind.as_str(),
            fact_kind: drift.fact_kind.as_str(),
            source: drift.source.as_ref().map(FactSide::new),
            version: drift.version.as_ref().map(FactSide::new),
            explanation: &drift.explanation,
            severity: round3(drift.severity),
            confidence: round3(drift.confidence),
        }
    }
}

fn witness<'a>(corpus: &'a [Document], w: &'a FactWitness, with_value: bool) -> WitnessEntry<'a> {
    WitnessEntry {
        document: &corpus[w.document].id,
        sentence: w.sentence,
        text: &w.text,
        value: with_value.then_some(w.value.as_str()),
    }
}

fn fact_entry<'a>(corpus: &'a [Document], fact: &'a StoryFact) -> FactEntry<'a> {
    FactEntry {
        id: &fact.id,
        kind: fact.kind.as_str(),
        text: &fact.text,
        value: &fact.value,
        subject: &fact.subject,
        support: fact
            .support
            .iter()
            .map(|w| witness(corpus, w, false))
            .collect(),
        dissent: fact
            .dissent
            .iter()
            .map(|w| witness(corpus, w, true))
            .collect(),
    }
}

fn drift_entry<'a>(corpus: &'a [Document], item: &'a VersionDrift) -> DriftEntry<'a> {
    DriftEntry::new(
        &item.drift,
        Some(&corpus[item.document].id),
        Some(&corpus[item.against].id),
    )
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
    /// Whether the sentence model read the stories' versions.
    pub sentence_model: bool,
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
            .map(|story| story_entry(corpus, story))
            .collect(),
        sentence_model: stories.iter().any(|story| story.sentence_model),
    }
}

/// The report's entry of one story; `corpus` is what the story's indices point into.
pub fn story_entry<'a>(corpus: &'a [Document], story: &'a StoryAnalysis) -> StoryEntry<'a> {
    StoryEntry {
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
                    confidence: round3(v.confidence),
                    consistency: v.consistency.map(round3),
                }
            })
            .collect(),
        alignments: alignments(corpus, &story.alignments),
        facts: story
            .consensus
            .iter()
            .map(|f| fact_entry(corpus, f))
            .collect(),
        drift: story.drift.iter().map(|d| drift_entry(corpus, d)).collect(),
        sentence_model: story.sentence_model,
    }
}

/// A story line of `analyze --format jsonl`: the story as in the JSON report's `stories`,
/// and the entries of its documents as in its `documents` (in the story's order), so that
/// each line stands on its own.
#[derive(Serialize)]
pub struct StoryLine<'a> {
    /// The story.
    pub story: StoryEntry<'a>,
    /// Its documents.
    pub documents: Vec<DocumentEntry<'a>>,
}

/// The story line of one story; `corpus` is what the story's indices point into.
pub fn story_line<'a>(corpus: &'a [Document], story: &'a StoryAnalysis) -> StoryLine<'a> {
    StoryLine {
        story: story_entry(corpus, story),
        documents: story
            .documents
            .iter()
            .map(|&d| DocumentEntry::new(&corpus[d]))
            .collect(),
    }
}

/// A line of `analyze --format jsonl` for an input that was skipped.
#[derive(Serialize)]
pub struct SkippedLine<'a> {
    /// The input and the reason.
    pub skipped: SkippedEntry<'a>,
}

impl<'a> From<&'a Skipped> for SkippedLine<'a> {
    fn from(skipped: &'a Skipped) -> SkippedLine<'a> {
        SkippedLine {
            skipped: SkippedEntry::from(skipped),
        }
    }
}

/// The last line of `analyze --format jsonl`: the counts of the run. A stream without it
/// was cut short.
#[derive(Serialize)]
pub struct SummaryLine {
    /// The counts.
    pub summary: Summary,
}

/// The counts of an `analyze --format jsonl` run.
#[derive(Serialize)]
pub struct Summary {
    /// The stemma version that wrote the report.
    pub stemma: &'static str,
    /// Documents read.
    pub documents: usize,
    /// Inputs skipped (each has its line).
    pub skipped: usize,
    /// Stories (each has its line), singletons included.
    pub stories: usize,
    /// Drift items over all stories.
    pub drift: usize,
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
    pub drift: Vec<DriftEntry<'a>>,
    /// The learned consistency verdict: true when the version is consistent with the
    /// source.
    pub consistent: bool,
    /// Calibrated probabilities of the verdicts: `derivation` and `consistent` (that the
    /// version is consistent).
    pub confidence: CompareConfidence,
    /// The version sentences not judged `supported`: each with its verdict (`changed` or
    /// `unsupported`), the probability that it is supported, the source passage it was
    /// held against, and the words the passage lacks.
    pub sentences: Vec<SentenceEntry<'a>>,
    /// Whether the sentence model read the two.
    pub sentence_model: bool,
}

/// The confidences of a compare entry.
#[derive(Serialize)]
pub struct CompareConfidence {
    /// Probability of the derivation named.
    pub derivation: f64,
    /// Probability that the version is consistent with the source.
    pub consistent: f64,
}

/// A version sentence the consistency verdict did not find supported.
#[derive(Serialize)]
pub struct SentenceEntry<'a> {
    /// Index into the version's sentence list.
    pub sentence: usize,
    /// The sentence.
    pub text: &'a str,
    /// `changed` or `unsupported`.
    pub verdict: &'static str,
    /// Calibrated probability that the source supports it.
    pub supported: f64,
    /// The source sentences it was held against.
    pub passage: Vec<usize>,
    /// Its words whose content the passage lacks.
    pub words: &'a [String],
}

/// Builds a compare entry.
pub fn compare_entry<'a>(
    id: Option<&'a str>,
    source: &'a Document,
    version: &'a Document,
    comparison: &'a Comparison,
    name_documents: bool,
) -> CompareEntry<'a> {
    let pair = &comparison.pair;
    let derivation = comparison.derivation.as_str();
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
        drift: comparison
            .drift
            .iter()
            .map(|d| DriftEntry::new(d, None, None))
            .collect(),
        consistent: comparison.consistent(),
        confidence: CompareConfidence {
            derivation: round3(comparison.derivation_confidence),
            consistent: (comparison.consistency.consistent * 1000.0).round() / 1000.0,
        },
        sentences: comparison
            .consistency
            .sentences
            .iter()
            .filter(|c| c.verdict != "supported")
            .map(|c| SentenceEntry {
                sentence: c.sentence,
                text: version
                    .sentences
                    .get(c.sentence)
                    .map_or("", |s| s.text.as_str()),
                verdict: c.verdict,
                supported: (c.supported * 1000.0).round() / 1000.0,
                passage: c.passage.clone(),
                words: &c.words,
            })
            .collect(),
        sentence_model: comparison.sentence_model,
    }
}
