//! The HTML report of `stemma analyze` and `stemma compare`: one self-contained page that
//! works offline.
//!
//! Per story: the lineage drawn as an SVG tree with the derivation on each edge, a table of
//! versions, a side-by-side collation of a version and the version it derives from (every
//! version selectable; aligned sentences on one row, changed words highlighted, cut and
//! added sentences marked, drift markers that explain themselves on hover and focus), the
//! drift panel and the table of the story's facts.
//!
//! Article text is hostile data. The page is rendered by an askama template
//! (`templates/report.html`), which escapes every value it prints; no value goes into a
//! `<script>`, a `style` or an event attribute, and ids and anchors are built from
//! positions, never from document ids. The page has no script at all: choosing a version
//! is a link to its collation, shown by CSS `:target`. Its Content-Security-Policy
//! (`default-src 'none'`) forbids every script and every request, so even a bug in the
//! escaping could neither run code nor fetch anything.
//!
//! ```
//! use stemma::analysis::{AnalyzeConfig, analyze_story};
//! use stemma::corpus::document_from_text;
//!
//! let source = "About 1,200 residents were evacuated, officials said on Thursday.";
//! let corpus = vec![
//!     document_from_text("wire", "wire.txt", source).unwrap(),
//!     document_from_text("copy", "copy.txt", &source.replace("1,200", "2,100")).unwrap(),
//! ];
//! let story = analyze_story("s1".into(), &corpus, &[0, 1], &AnalyzeConfig::default());
//! let mut page = Vec::new();
//! stemma::report::html::write_report(&mut page, &corpus, &[], &[story]).unwrap();
//! assert!(String::from_utf8(page).unwrap().contains("Content-Security-Policy"));
//! ```

use std::io::{self, Write};
use std::ops::Range;

use askama::Template;

use crate::analysis::{
    Comparison, PairLinks, StoryAnalysis, StoryFact, VersionDrift, VersionReport,
};
use crate::collate::{AlignmentKind, Link, PairSummary};
use crate::drift::Drift;
use crate::model::{Document, SentenceKind, Skipped, format_published};
use crate::provenance::Derivation;
use crate::report::diff::{self, CLOSE_ENOUGH, diff_words};
use crate::report::lineage_order;

/// The page's Content-Security-Policy: nothing may be loaded or run; only the page's own
/// `<style>` element applies.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'none'; \
     style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// Mark bits of a run of sentence text.
/// Marked byte ranges of a sentence.
type Marks = Vec<(Range<usize>, u8)>;

const CHANGED: u8 = 1;
const FACT: u8 = 2;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    title: String,
    csp: &'static str,
    version: &'static str,
    summary: Vec<String>,
    stories: Vec<StoryView<'a>>,
    singles: Vec<SingleView<'a>>,
    skipped: &'a [Skipped],
}

/// A story with several versions, as the page shows it.
struct StoryView<'a> {
    anchor: String,
    id: &'a str,
    title: &'a str,
    original: &'a str,
    original_published: Option<String>,
    reason: &'a str,
    n_versions: usize,
    n_drift: usize,
    tree: Tree,
    versions: Vec<VersionRow<'a>>,
    views: Vec<CollationView<'a>>,
    drift: Vec<DriftView<'a>>,
    facts: Vec<FactView<'a>>,
    n_disputed: usize,
}

/// The lineage drawn as SVG: coordinates computed here, strings escaped by the template.
struct Tree {
    width: usize,
    height: usize,
    nodes: Vec<TreeNode>,
    edges: Vec<TreeEdge>,
}

/// A box of the tree (156 × 38, as the template draws it).
struct TreeNode {
    x: usize,
    y: usize,
    label: String,
    full: String,
    detail: String,
    href: String,
    class: &'static str,
}

/// An edge of the tree: the trunk from the parent (shared with its siblings, drawn
/// neutral) and the branch into the child (coloured by derivation, labelled).
struct TreeEdge {
    trunk: String,
    branch: String,
    label: &'static str,
    label_x: usize,
    label_y: usize,
    class: &'static str,
}

struct VersionRow<'a> {
    href: String,
    id: &'a str,
    depth: usize,
    title: &'a str,
    published: String,
    derivation: &'static str,
    parent: &'a str,
    similarity: String,
    coverage: String,
    novelty: String,
    n_drift: usize,
}

/// One version held against the version it derives from, row by row.
struct CollationView<'a> {
    anchor: String,
    version: &'a str,
    against: &'a str,
    derivation: &'static str,
    relation: &'static str,
    figures: String,
    n_drift: usize,
    default: bool,
    note: Option<&'static str>,
    rows: Vec<RowView>,
}

struct RowView {
    anchor: String,
    class: String,
    relation: String,
    source: Vec<SentenceView>,
    continued: Option<String>,
    version: Option<SentenceView>,
    source_markers: Vec<Marker>,
    version_markers: Vec<Marker>,
}

struct SentenceView {
    index: usize,
    heading: bool,
    runs: Vec<RunView>,
}

struct RunView {
    text: String,
    class: &'static str,
}

/// A drift marker on a sentence: a link to the drift panel whose text explains it.
struct Marker {
    href: String,
    kind: &'static str,
    fact_kind: &'static str,
    explanation: String,
}

struct DriftView<'a> {
    anchor: String,
    number: usize,
    kind: &'static str,
    fact_kind: &'static str,
    version: &'a str,
    against: &'a str,
    explanation: &'a str,
    severity: String,
    source: Option<QuoteView>,
    version_quote: Option<QuoteView>,
    row_href: String,
}

struct QuoteView {
    label: String,
    runs: Vec<RunView>,
}

struct FactView<'a> {
    id: &'a str,
    kind: &'static str,
    text: &'a str,
    value: &'a str,
    subject: &'a str,
    support: String,
    dissent: Vec<DissentView<'a>>,
}

struct DissentView<'a> {
    document: &'a str,
    value: &'a str,
    text: &'a str,
    href: String,
}

struct SingleView<'a> {
    id: &'a str,
    document: &'a str,
    title: &'a str,
    published: String,
    source: &'a str,
}

fn percent(value: f32) -> String {
    format!("{:.0}%", 100.0 * value)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Cuts a label for the tree's boxes (the full text is in the node's `<title>`).
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

fn date_of(document: &Document) -> String {
    document
        .published
        .as_ref()
        .map(|p| format_published(p).chars().take(10).collect())
        .unwrap_or_default()
}

/// The sentence's text, or "" for an index out of range.
fn sentence_text(document: &Document, index: usize) -> &str {
    document
        .sentences
        .get(index)
        .map(|s| s.text.as_str())
        .unwrap_or("")
}

/// Splits a sentence into runs with CSS classes for its marks.
fn sentence_runs(text: &str, marks: &[(Range<usize>, u8)]) -> Vec<RunView> {
    diff::runs(text, marks)
        .into_iter()
        .map(|run| RunView {
            text: run.text.to_string(),
            class: match run.marks {
                0 => "",
                CHANGED => "chg",
                FACT => "fact",
                _ => "chg fact",
            },
        })
        .collect()
}

fn sentence_view(document: &Document, index: usize, marks: &[(Range<usize>, u8)]) -> SentenceView {
    SentenceView {
        index,
        heading: document
            .sentences
            .get(index)
            .is_some_and(|s| s.kind == SentenceKind::Heading),
        runs: sentence_runs(sentence_text(document, index), marks),
    }
}

/// One drift item of a version, placed for the views.
struct PlacedDrift<'a> {
    drift: &'a Drift,
    /// Anchor of its entry in the drift panel.
    anchor: String,
}

/// Builds the collation view of `version` against `source` (`links` from the analysis,
/// `None` when the analysis aligned no sentences, as for an independent account).
#[allow(clippy::too_many_arguments)]
fn collation_view<'a>(
    anchor: String,
    source: &'a Document,
    version: &'a Document,
    derivation: Derivation,
    summary: Option<&PairSummary>,
    links: Option<&[Link]>,
    drift: &[PlacedDrift],
    default: bool,
) -> CollationView<'a> {
    let figures = match summary {
        Some(s) => format!(
            "similarity {:.2} · coverage {} · novelty {}",
            s.similarity,
            percent(s.coverage),
            percent(s.novelty)
        ),
        None => String::new(),
    };
    let (rows, note) = match links {
        Some(links) => (diff::rows(source, version, links), None),
        None => {
            let n = source.sentences.len().max(version.sentences.len());
            let rows = (0..n)
                .map(|i| diff::Row {
                    source: if i < source.sentences.len() {
                        vec![i]
                    } else {
                        Vec::new()
                    },
                    version: (i < version.sentences.len()).then_some(i),
                    links: Vec::new(),
                })
                .collect();
            (
                rows,
                Some(
                    "An independent account is not aligned sentence by sentence: the two \
                     texts are shown side by side, and only facts that contradict the \
                     original are reported as drift.",
                ),
            )
        }
    };
    let links = links.unwrap_or(&[]);
    // Which row shows each sentence, for placing the drift markers.
    let row_of_version = |j: usize| rows.iter().position(|r| r.version == Some(j));
    let row_of_source = |i: usize| rows.iter().position(|r| r.source.contains(&i));
    let mut source_markers: Vec<Vec<Marker>> = (0..rows.len()).map(|_| Vec::new()).collect();
    let mut version_markers: Vec<Vec<Marker>> = (0..rows.len()).map(|_| Vec::new()).collect();
    let mut source_facts: Vec<(usize, Range<usize>)> = Vec::new();
    let mut version_facts: Vec<(usize, Range<usize>)> = Vec::new();
    for placed in drift {
        let item = placed.drift;
        let marker = || Marker {
            href: format!("#{}", placed.anchor),
            kind: item.kind.as_str(),
            fact_kind: item.fact_kind.as_str(),
            explanation: item.explanation.clone(),
        };
        let version_row = item
            .version
            .as_ref()
            .and_then(|f| row_of_version(f.sentence));
        let source_row = item.source.as_ref().and_then(|f| row_of_source(f.sentence));
        if let Some(fact) = &item.version {
            version_facts.push((fact.sentence, fact.span.0..fact.span.1));
        }
        if let Some(fact) = &item.source {
            source_facts.push((fact.sentence, fact.span.0..fact.span.1));
        }
        if let Some(row) = version_row {
            version_markers[row].push(marker());
        }
        if let Some(row) = source_row
            && source_row != version_row
        {
            source_markers[row].push(marker());
        }
    }
    let row_views = rows
        .iter()
        .zip(source_markers.into_iter().zip(version_markers))
        .enumerate()
        .map(|(r, (row, (source_markers, version_markers)))| {
            let row_links: Vec<&Link> = row.links.iter().map(|&l| &links[l]).collect();
            let facts_in =
                |facts: &[(usize, Range<usize>)], sentence: usize| -> Vec<(Range<usize>, u8)> {
                    facts
                        .iter()
                        .filter(|(s, _)| *s == sentence)
                        .map(|(_, range)| (range.clone(), FACT))
                        .collect()
                };
            let linked_sources: Vec<usize> = row_links.iter().map(|l| l.source).collect();
            let (source_changes, version_changes, close) = match row.version {
                Some(j) if !row_links.is_empty() => {
                    row_changes(source, &linked_sources, version, j)
                }
                _ => (Vec::new(), Vec::new(), true),
            };
            let source_sentences = row
                .source
                .iter()
                .map(|&i| {
                    let mut marks = facts_in(&source_facts, i);
                    if let Some((_, changes)) = source_changes.iter().find(|(s, _)| *s == i) {
                        marks.extend(changes.iter().cloned());
                    }
                    sentence_view(source, i, &marks)
                })
                .collect();
            let version_sentence = row.version.map(|j| {
                let mut marks = facts_in(&version_facts, j);
                marks.extend(version_changes.iter().cloned());
                sentence_view(version, j, &marks)
            });
            let heading_only = row
                .version
                .map(|j| {
                    version
                        .sentences
                        .get(j)
                        .is_some_and(|s| s.kind == SentenceKind::Heading)
                })
                .unwrap_or_else(|| {
                    row.source.iter().all(|&i| {
                        source
                            .sentences
                            .get(i)
                            .is_some_and(|s| s.kind == SentenceKind::Heading)
                    })
                });
            let (class, relation) = if !row_links.is_empty() {
                let kind = row_links
                    .iter()
                    .map(|l| l.kind)
                    .max()
                    .unwrap_or(AlignmentKind::Verbatim);
                let score = row_links.iter().map(|l| l.score).fold(0.0f32, f32::max);
                let class = match (kind, close) {
                    (AlignmentKind::Verbatim, _) => "aligned verbatim",
                    (_, true) => "aligned edited",
                    (_, false) => "aligned reworded",
                };
                let relation = if kind == AlignmentKind::Verbatim {
                    "verbatim".to_string()
                } else {
                    format!("{} {score:.2}", kind.as_str())
                };
                (class, relation)
            } else if note.is_some() {
                ("unaligned", String::new())
            } else if heading_only {
                ("heading", "heading".to_string())
            } else if row.version.is_some() {
                ("added", "added".to_string())
            } else {
                ("cut", "cut".to_string())
            };
            let continued = (row.source.is_empty() && !linked_sources.is_empty()).then(|| {
                let list: Vec<String> = linked_sources.iter().map(|i| format!("[{i}]")).collect();
                format!("continues {}", list.join(" "))
            });
            let class = if source_markers.is_empty() && version_markers.is_empty() {
                class.to_string()
            } else {
                format!("{class} has-drift")
            };
            RowView {
                anchor: format!("{anchor}-r{r}"),
                class,
                relation,
                source: source_sentences,
                continued,
                version: version_sentence,
                source_markers,
                version_markers,
            }
        })
        .collect();
    CollationView {
        anchor,
        version: &version.id,
        against: &source.id,
        derivation: derivation.as_str(),
        relation: relation(derivation),
        figures,
        n_drift: drift.len(),
        default,
        note,
        rows: row_views,
    }
}

/// The changed words of a row: the version sentence `j` against the source sentences it
/// is aligned with, joined; the source side split back into its sentences. Also whether
/// the two read as an edit of each other (else the marks are shown subdued).
fn row_changes(
    source: &Document,
    linked_sources: &[usize],
    version: &Document,
    j: usize,
) -> (Vec<(usize, Marks)>, Marks, bool) {
    let joined: Vec<&str> = linked_sources
        .iter()
        .map(|&i| sentence_text(source, i))
        .collect();
    let diff = diff_words(&joined.join(" "), sentence_text(version, j));
    let mut per_sentence: Vec<(usize, Marks)> = Vec::new();
    let mut offset = 0;
    for &i in linked_sources {
        let len = sentence_text(source, i).len();
        let ranges = diff
            .source
            .iter()
            .filter(|range| range.start < offset + len && range.end > offset)
            .map(|range| {
                (
                    range.start.max(offset) - offset..range.end.min(offset + len) - offset,
                    CHANGED,
                )
            })
            .collect();
        per_sentence.push((i, ranges));
        // The sentences were joined with one space.
        offset += len + 1;
    }
    let version_marks = diff.version.iter().map(|r| (r.clone(), CHANGED)).collect();
    (per_sentence, version_marks, diff.common >= CLOSE_ENOUGH)
}

/// How a version relates to the one it is held against, for "X is … Y".
fn relation(derivation: Derivation) -> &'static str {
    match derivation {
        Derivation::Original => "the original, shown beside",
        Derivation::Copy => "a copy of",
        Derivation::Edit => "an edit of",
        Derivation::Paraphrase => "a paraphrase of",
        Derivation::Summary => "a summary of",
        Derivation::Expansion => "an expansion of",
        Derivation::Partial => "a partial reuse of",
        Derivation::Independent => "an independent account, held against",
    }
}

/// The marks of a drift item's two quotes, as in the text report: the changed words when
/// the sentences read as an edit of each other, always the facts themselves.
fn quote_marks(item: &Drift, source: &Document, version: &Document) -> (Marks, Marks) {
    let mut source_marks = Vec::new();
    let mut version_marks = Vec::new();
    if let Some(fact) = &item.source {
        source_marks.push((fact.span.0..fact.span.1, FACT));
    }
    if let Some(fact) = &item.version {
        version_marks.push((fact.span.0..fact.span.1, FACT));
    }
    if let (Some(source_fact), Some(version_fact)) = (&item.source, &item.version) {
        let diff = diff_words(
            sentence_text(source, source_fact.sentence),
            sentence_text(version, version_fact.sentence),
        );
        if diff.common >= CLOSE_ENOUGH {
            source_marks.extend(diff.source.into_iter().map(|r| (r, CHANGED)));
            version_marks.extend(diff.version.into_iter().map(|r| (r, CHANGED)));
        }
    }
    (source_marks, version_marks)
}

/// Lays out the lineage: one row per version in tree order, x by depth. Independent
/// accounts hang from the original by a dashed edge (they are held against it).
fn tree(
    corpus: &[Document],
    story: &StoryAnalysis,
    order: &[crate::report::TreeEntry],
    href_of: &dyn Fn(usize) -> String,
) -> Tree {
    const NODE_W: usize = 156;
    const NODE_H: usize = 38;
    const COLUMN: usize = NODE_W + 96;
    const ROW: usize = 46;
    const PAD: usize = 8;
    let mut nodes = Vec::new();
    let mut positions: Vec<(usize, usize, usize)> = Vec::new();
    let mut max_depth = 0;
    let mut in_original_line = true;
    for (row, entry) in order.iter().enumerate() {
        if entry.depth == 0 {
            in_original_line = entry.document == story.original;
        }
        let depth = entry.depth + usize::from(!in_original_line);
        max_depth = max_depth.max(depth);
        let x = PAD + depth * COLUMN;
        let y = PAD + row * ROW;
        positions.push((entry.document, x, y));
        let n_drift = story
            .drift
            .iter()
            .filter(|d| d.document == entry.document)
            .count();
        let version = story.versions.iter().find(|v| v.document == entry.document);
        let is_original = entry.document == story.original;
        let detail = if is_original {
            let date = date_of(&corpus[entry.document]);
            if date.is_empty() {
                "original".to_string()
            } else {
                format!("original · {date}")
            }
        } else if n_drift > 0 {
            plural(n_drift, "drift item", "drift items")
        } else {
            match version {
                Some(v) => format!("coverage {}", percent(v.summary.coverage)),
                None => String::new(),
            }
        };
        nodes.push(TreeNode {
            x,
            y,
            label: short(&corpus[entry.document].id, 19),
            full: corpus[entry.document].id.clone(),
            detail,
            href: href_of(entry.document),
            class: if is_original {
                "node original"
            } else if n_drift > 0 {
                "node drift"
            } else {
                "node"
            },
        });
    }
    let mut edges = Vec::new();
    for version in &story.versions {
        let (parent, dashed) = match version.derived_from {
            Some(parent) => (parent, false),
            None if version.document != story.original => (story.original, true),
            None => continue,
        };
        let (Some(&(_, px, py)), Some(&(_, cx, cy))) = (
            positions.iter().find(|p| p.0 == parent),
            positions.iter().find(|p| p.0 == version.document),
        ) else {
            continue;
        };
        let start_x = px + NODE_W;
        let start_y = py + NODE_H / 2;
        let end_y = cy + NODE_H / 2;
        let bend_x = start_x + 16;
        edges.push(TreeEdge {
            trunk: format!("M{start_x} {start_y}H{bend_x}V{end_y}"),
            branch: format!("M{bend_x} {end_y}H{cx}"),
            label: version.derivation.as_str(),
            label_x: bend_x + 8,
            label_y: end_y - 5,
            class: if dashed {
                "independent"
            } else {
                version.derivation.as_str()
            },
        });
    }
    Tree {
        width: PAD * 2 + max_depth * COLUMN + NODE_W,
        height: PAD * 2 + order.len().saturating_sub(1) * ROW + NODE_H,
        nodes,
        edges,
    }
}

fn story_view<'a>(k: usize, corpus: &'a [Document], story: &'a StoryAnalysis) -> StoryView<'a> {
    let anchor = format!("story{}", k + 1);
    let original = &corpus[story.original];
    let order = lineage_order(corpus, story);
    let position = |document: usize| {
        order
            .iter()
            .position(|e| e.document == document)
            .unwrap_or(0)
    };
    let view_anchor = |document: usize| format!("{anchor}-v{}", position(document));
    // Drift, most serious first, numbered in that order.
    let mut drift: Vec<&VersionDrift> = story.drift.iter().collect();
    drift.sort_by(|a, b| b.drift.severity.total_cmp(&a.drift.severity));
    let drift_anchor = |item: &VersionDrift| {
        let n = drift
            .iter()
            .position(|d| std::ptr::eq(*d, item))
            .unwrap_or(0);
        format!("{anchor}-d{}", n + 1)
    };
    let report_of = |document: usize| story.versions.iter().find(|v| v.document == document);
    let parent_of = |v: &VersionReport| match v.derived_from {
        Some(parent) => Some(parent),
        None if v.document != story.original => Some(story.original),
        None => None,
    };
    let default_version = drift.first().map(|d| d.document).or_else(|| {
        order
            .iter()
            .map(|e| e.document)
            .find(|&d| d != story.original)
    });
    let mut views = Vec::new();
    for entry in &order {
        let Some(version) = report_of(entry.document) else {
            continue;
        };
        let Some(against) = parent_of(version) else {
            continue;
        };
        let links: Option<&PairLinks> = story
            .alignments
            .iter()
            .find(|p| p.version == version.document && p.source == against);
        let placed: Vec<PlacedDrift> = story
            .drift
            .iter()
            .filter(|d| d.document == version.document)
            .map(|d| PlacedDrift {
                drift: &d.drift,
                anchor: drift_anchor(d),
            })
            .collect();
        views.push(collation_view(
            view_anchor(version.document),
            &corpus[against],
            &corpus[version.document],
            version.derivation,
            Some(&version.summary),
            links.map(|p| p.links.as_slice()),
            &placed,
            Some(version.document) == default_version,
        ));
    }
    let drift_views = drift
        .iter()
        .enumerate()
        .map(|(n, item)| {
            drift_view(
                format!("{anchor}-d{}", n + 1),
                n + 1,
                &item.drift,
                &corpus[item.against],
                &corpus[item.document],
                &view_anchor(item.document),
                &views,
            )
        })
        .collect();
    let versions = order
        .iter()
        .filter_map(|entry| {
            let version = report_of(entry.document)?;
            let is_original = version.document == story.original && version.derived_from.is_none();
            let document = &corpus[version.document];
            Some(VersionRow {
                href: if is_original {
                    format!("#{anchor}-lineage")
                } else {
                    format!("#{}", view_anchor(version.document))
                },
                id: &document.id,
                depth: entry.depth,
                title: document.title.as_deref().unwrap_or(""),
                published: date_of(document),
                derivation: version.derivation.as_str(),
                parent: parent_of(version)
                    .map(|p| corpus[p].id.as_str())
                    .unwrap_or("—"),
                similarity: if is_original {
                    "—".into()
                } else {
                    format!("{:.2}", version.summary.similarity)
                },
                coverage: if is_original {
                    "—".into()
                } else {
                    percent(version.summary.coverage)
                },
                novelty: if is_original {
                    "—".into()
                } else {
                    percent(version.summary.novelty)
                },
                n_drift: story
                    .drift
                    .iter()
                    .filter(|d| d.document == version.document)
                    .count(),
            })
        })
        .collect();
    let mut facts: Vec<&StoryFact> = story.consensus.iter().collect();
    // Disputed facts first: they are what a fact-checker looks for.
    facts.sort_by_key(|f| f.dissent.is_empty());
    let n_versions = story.documents.len();
    let ids: Vec<&str> = order
        .iter()
        .map(|e| corpus[e.document].id.as_str())
        .collect();
    let fact_views: Vec<FactView> = facts
        .into_iter()
        .map(|fact| fact_view(corpus, fact, &ids, &|d| format!("#{}", view_anchor(d))))
        .collect();
    let href_of = |document: usize| {
        if document == story.original {
            format!("#{anchor}-versions")
        } else {
            format!("#{}", view_anchor(document))
        }
    };
    StoryView {
        tree: tree(corpus, story, &order, &href_of),
        anchor: anchor.clone(),
        id: &story.id,
        title: original.title.as_deref().unwrap_or(&original.id),
        original: &original.id,
        original_published: original.published.as_ref().map(format_published),
        reason: &story.original_reason,
        n_versions,
        n_drift: story.drift.len(),
        versions,
        views,
        drift: drift_views,
        n_disputed: fact_views.iter().filter(|f| !f.dissent.is_empty()).count(),
        facts: fact_views,
    }
}

fn drift_view<'a>(
    anchor: String,
    number: usize,
    item: &'a Drift,
    source: &'a Document,
    version: &'a Document,
    view_anchor: &str,
    views: &[CollationView],
) -> DriftView<'a> {
    let (source_marks, version_marks) = quote_marks(item, source, version);
    // Link to the row of the version's sentence (or the source's, for a dropped fact).
    let row_href = views
        .iter()
        .find(|v| v.anchor == view_anchor)
        .and_then(|view| {
            view.rows
                .iter()
                .find(|row| match (&item.version, &item.source) {
                    (Some(fact), _) => row
                        .version
                        .as_ref()
                        .is_some_and(|s| s.index == fact.sentence),
                    (None, Some(fact)) => row.source.iter().any(|s| s.index == fact.sentence),
                    (None, None) => false,
                })
        })
        .map(|row| format!("#{}", row.anchor))
        .unwrap_or_else(|| format!("#{view_anchor}"));
    DriftView {
        anchor,
        number,
        kind: item.kind.as_str(),
        fact_kind: item.fact_kind.as_str(),
        version: &version.id,
        against: &source.id,
        explanation: &item.explanation,
        severity: format!("{:.2}", item.severity),
        source: item.source.as_ref().map(|fact| QuoteView {
            label: format!("{} [{}]", source.id, fact.sentence),
            runs: sentence_runs(sentence_text(source, fact.sentence), &source_marks),
        }),
        version_quote: item.version.as_ref().map(|fact| QuoteView {
            label: format!("{} [{}]", version.id, fact.sentence),
            runs: sentence_runs(sentence_text(version, fact.sentence), &version_marks),
        }),
        row_href,
    }
}

fn fact_view<'a>(
    corpus: &'a [Document],
    fact: &'a StoryFact,
    corpus_ids: &[&'a str],
    href_of: &dyn Fn(usize) -> String,
) -> FactView<'a> {
    let n_versions = corpus_ids.len();
    let mut supporters: Vec<&str> = Vec::new();
    for witness in &fact.support {
        let id = corpus[witness.document].id.as_str();
        if !supporters.contains(&id) {
            supporters.push(id);
        }
    }
    let support = if supporters.len() == n_versions && n_versions > 1 {
        format!("all {n_versions} versions")
    } else if n_versions > 3 && 2 * supporters.len() > n_versions {
        // Most versions state it: name the few that do not.
        let missing: Vec<&str> = corpus_ids
            .iter()
            .copied()
            .filter(|id| !supporters.contains(id))
            .collect();
        format!(
            "{} of {n_versions}, all but {}",
            supporters.len(),
            missing.join(", ")
        )
    } else {
        format!(
            "{} of {n_versions}: {}",
            supporters.len(),
            supporters.join(", ")
        )
    };
    FactView {
        id: &fact.id,
        kind: fact.kind.as_str(),
        text: &fact.text,
        // A quote's value is its text; say it once.
        value: if fact.value == fact.text {
            ""
        } else {
            &fact.value
        },
        subject: &fact.subject,
        support,
        dissent: fact
            .dissent
            .iter()
            .map(|w| DissentView {
                document: &corpus[w.document].id,
                value: &w.value,
                text: &w.text,
                href: href_of(w.document),
            })
            .collect(),
    }
}

fn write_page(out: &mut dyn Write, page: &Page) -> io::Result<()> {
    page.write_into(out)
}

/// Writes the analyze report as one HTML page.
pub fn write_report(
    out: &mut dyn Write,
    corpus: &[Document],
    skipped: &[Skipped],
    stories: &[StoryAnalysis],
) -> io::Result<()> {
    let multi: Vec<&StoryAnalysis> = stories.iter().filter(|s| s.documents.len() > 1).collect();
    let story_views: Vec<StoryView> = multi
        .iter()
        .enumerate()
        .map(|(k, story)| story_view(k, corpus, story))
        .collect();
    let singles = stories
        .iter()
        .filter(|s| s.documents.len() == 1)
        .map(|s| {
            let document = &corpus[s.original];
            SingleView {
                id: &s.id,
                document: &document.id,
                title: document.title.as_deref().unwrap_or(""),
                published: date_of(document),
                source: &document.source,
            }
        })
        .collect();
    let n_drift: usize = stories.iter().map(|s| s.drift.len()).sum();
    let title = match story_views.first() {
        Some(story) if story_views.len() == 1 => format!("stemma: {}", story.title),
        _ => format!("stemma: {}", plural(stories.len(), "story", "stories")),
    };
    let page = Page {
        title,
        csp: CONTENT_SECURITY_POLICY,
        version: crate::VERSION,
        summary: vec![
            plural(stories.len(), "story", "stories"),
            plural(corpus.len(), "version", "versions"),
            plural(n_drift, "drift item", "drift items"),
            plural(skipped.len(), "skipped input", "skipped inputs"),
        ],
        stories: story_views,
        singles,
        skipped,
    };
    write_page(out, &page)
}

/// Writes the compare report as one HTML page: the two documents as a story of two
/// versions, without the story's fact table.
pub fn write_compare(
    out: &mut dyn Write,
    source: &Document,
    version: &Document,
    comparison: &Comparison,
) -> io::Result<()> {
    let corpus = [source.clone(), version.clone()];
    let story = StoryAnalysis {
        id: "compare".to_string(),
        documents: vec![0, 1],
        original: 0,
        original_reason: format!("{} is the source named on the command line", source.id),
        versions: vec![
            VersionReport {
                document: 0,
                derived_from: None,
                derivation: Derivation::Original,
                summary: comparison.pair.summary,
                confidence: 1.0,
                consistency: None,
            },
            VersionReport {
                document: 1,
                derived_from: Some(0),
                derivation: comparison.derivation,
                summary: comparison.pair.summary,
                confidence: comparison.derivation_confidence,
                consistency: Some(comparison.consistency.consistent as f32),
            },
        ],
        alignments: vec![PairLinks {
            source: 0,
            version: 1,
            links: comparison.pair.links.clone(),
        }],
        facts: Vec::new(),
        consensus: Vec::new(),
        drift: comparison
            .drift
            .iter()
            .map(|d| VersionDrift {
                document: 1,
                against: 0,
                drift: d.clone(),
            })
            .collect(),
        sentence_model: comparison.sentence_model,
    };
    let mut view = story_view(0, &corpus, &story);
    view.reason = "";
    let page = Page {
        title: format!("stemma: {} held against {}", version.id, source.id),
        csp: CONTENT_SECURITY_POLICY,
        version: crate::VERSION,
        summary: vec![
            format!("derivation {}", comparison.derivation.as_str()),
            plural(comparison.drift.len(), "drift item", "drift items"),
            format!(
                "{}: {}",
                if comparison.consistent() {
                    "consistent"
                } else {
                    "not consistent"
                },
                comparison.consistency_reason()
            ),
        ],
        stories: vec![view],
        singles: Vec::new(),
        skipped: &[],
    };
    write_page(out, &page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{AnalyzeConfig, analyze_story};
    use crate::corpus::document_from_text;

    const HOSTILE: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>";

    fn page() -> String {
        let original = format!(
            "About 1,200 residents were evacuated from Belozar {HOSTILE} on Thursday, the \
             regional Civil Defence Service said.\n\nThe dam, completed in 2009, failed after \
             days of heavy rain in the Tesna valley, officials said."
        );
        let copy = original.replace("1,200", "2,100");
        let corpus = vec![
            document_from_text("original", "a.txt", &original).unwrap(),
            document_from_text(&format!("copy\"{HOSTILE}"), "b.txt", &copy).unwrap(),
        ];
        let story = analyze_story("s1".into(), &corpus, &[0, 1], &AnalyzeConfig::default());
        let skipped = [Skipped::new(format!("bad{HOSTILE}.gz"), HOSTILE)];
        let mut out = Vec::new();
        write_report(&mut out, &corpus, &skipped, &[story]).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn article_text_ids_and_reasons_are_escaped() {
        let page = page();
        assert!(!page.contains("<script"), "a script element on the page");
        assert!(!page.contains("<img"), "an img element on the page");
        assert!(page.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;"));
    }

    #[test]
    fn the_page_forbids_scripts_and_requests() {
        let page = page();
        assert!(page.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;"
        ));
        assert!(CONTENT_SECURITY_POLICY.contains("script-src 'none'"));
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-eval"));
        // Anchors come from positions, not from document ids.
        assert!(page.contains("id=\"story1-v1\""));
    }

    #[test]
    fn the_collation_marks_the_changed_figure_and_the_drift() {
        let page = page();
        assert!(
            page.contains("<span class=\"chg fact\">2,100</span>")
                || page.contains("<span class=\"chg\">2,100</span>"),
            "{page}"
        );
        assert!(page.contains("class=\"marker changed\""));
        assert!(page.contains("class=\"item changed\""));
    }

    #[test]
    fn the_same_input_gives_the_same_page() {
        assert_eq!(page(), page());
    }
}
