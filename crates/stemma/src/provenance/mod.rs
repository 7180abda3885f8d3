//! Provenance: inside a story, which version is the original, which version each other
//! one was made from, and how ([`Derivation`]).
//!
//! The method is the philologist's, on a collation ([`crate::collate::Collation`]):
//!
//! 1. **Rank** the versions by how likely each is to be a source: publication date first
//!    when known (nothing derives from a later version); otherwise textual evidence — the
//!    version whose content the others carry (it *explains* them), that adds least of its
//!    own — above all lines that name no one and state no figure, which reposts and
//!    rewriters add — and that shows no rewriting traces (headings, hedges such as
//!    "according to new developments", "Read also").
//! 2. **Attach** each version, in rank order, to the earlier-ranked version that best
//!    explains it and holds most of its phrasing ([`parent_fit`]), the earlier on a tie.
//!    The fit is highest to the version whose changed readings it shares, so a repost of a
//!    rewrite attaches to the rewrite, not to the original; and what a candidate holds
//!    besides does not count, so a summary attaches to the article, not to an edit that cut
//!    a paragraph the summary never used. A version too unlike every earlier one is a root
//!    of its own: an `independent` account.
//! 3. **Name** each derivation, and decide whether a version was made from its candidate
//!    parent at all, by the learned derivation verdict over the pair's figures (coverage,
//!    novelty, wording kept, length, order, rewriting traces) — see
//!    [`crate::verdict::derivation`]. [`classify`] is the hand-set rule it replaced, kept
//!    as the baseline the dev table measures the model against.
//!
//! The original is the root of the largest lineage (on a tie, the better ranked).

use std::sync::LazyLock;

use serde::Serialize;

use crate::collate::{Collation, PairSummary};
use crate::model::{Document, SentenceKind};
use crate::segment::{TokenKind, tokenize};
use crate::verdict::derivation;

/// How a version was made from the version it derives from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Derivation {
    /// The root of the story's largest lineage.
    Original,
    /// Near-verbatim.
    Copy,
    /// Mostly verbatim, some sentences changed, cut or added.
    Edit,
    /// Most content carried, mostly reworded.
    Paraphrase,
    /// Condensed: carries a minority of the source's content.
    Summary,
    /// Carries most of the source plus substantial new material.
    Expansion,
    /// Reuses some passages inside an otherwise different text.
    Partial,
    /// A root of its own: written without copying the original.
    Independent,
}

impl Derivation {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Derivation::Original => "original",
            Derivation::Copy => "copy",
            Derivation::Edit => "edit",
            Derivation::Paraphrase => "paraphrase",
            Derivation::Summary => "summary",
            Derivation::Expansion => "expansion",
            Derivation::Partial => "partial",
            Derivation::Independent => "independent",
        }
    }
}

/// Thresholds of [`classify`] and [`trace`], with defaults chosen on the dev data.
#[derive(Debug, Clone)]
pub struct ProvenanceConfig {
    /// A version whose content is carried by a source below this share, with fewer than
    /// `min_aligned_sentences` aligned, is independent of it.
    pub derived_min_carried: f32,
    /// Aligned sentences that make a version derived even when they are a small share.
    pub min_aligned_sentences: usize,
    /// Two candidate parents whose [`parent_fit`] is within this are a tie, broken by rank
    /// (the earlier candidate wins).
    pub parent_tie: f32,
    /// Least share of shared phrasing (word trigrams) for a version to derive from another:
    /// below it the two were written independently, however many facts they share.
    pub derived_min_phrases: f32,
    /// Weight of a version's own content (carried by no other version) against it as a
    /// candidate original, for sentences that name someone or state a figure.
    pub unique_weight: f32,
    /// The same for sentences of its own that name no one and state no figure: lines a
    /// repost or a rewriter adds ("Share this story.", "Analysts will be watching closely"),
    /// which mark a derived text, where an original's own content is facts its summaries
    /// left out. Above 1, so that a text with such lines added to another loses to it.
    pub generic_weight: f32,
    /// Weight of each rewriting trace against a version as a candidate original.
    pub trace_weight: f32,
    /// How much better on textual evidence an undated version must be to rank ahead of
    /// the earliest dated one.
    pub date_margin: f32,
}

impl Default for ProvenanceConfig {
    fn default() -> ProvenanceConfig {
        ProvenanceConfig {
            derived_min_carried: 0.25,
            min_aligned_sentences: 3,
            parent_tie: 0.01,
            derived_min_phrases: 0.22,
            unique_weight: 0.3,
            generic_weight: 1.5,
            trace_weight: 0.05,
            date_margin: 0.15,
        }
    }
}

/// Names how a version relates to its source from their pair figures by hand-set rules:
/// the baseline that the learned verdict ([`crate::verdict::derivation`]) is measured
/// against in `stemma-train`'s dev table.
///
/// The rules read in order: too little shared is `independent`; nearly all shared, nearly
/// all verbatim is a `copy`; substantial new material over most of the source is an
/// `expansion`; a much shorter text carrying part of the source is a `summary`; most of the
/// source with most sentences verbatim is an `edit`, reworded a `paraphrase`; a few
/// passages inside other text is `partial`.
pub fn classify(summary: &PairSummary, config: &ProvenanceConfig) -> Derivation {
    let s = summary;
    let aligned_enough = s.carried >= config.derived_min_carried
        || s.aligned_sentences >= config.min_aligned_sentences.max(1)
            && s.aligned_sentences * 5 >= s.version_sentences;
    // Two reporters share facts, not phrasing: alignment alone would make an independent
    // account of the same event look like a summary.
    let derived = aligned_enough && s.phrases >= config.derived_min_phrases;
    if !derived {
        return Derivation::Independent;
    }
    if s.coverage >= 0.9 && s.novelty <= 0.1 && s.verbatim >= 0.85 {
        return Derivation::Copy;
    }
    if s.coverage >= 0.6 && s.novelty >= 0.25 && s.length_ratio >= 1.2 {
        return Derivation::Expansion;
    }
    if s.length_ratio <= 0.7 && s.coverage < 0.75 && s.novelty < 0.4 {
        return Derivation::Summary;
    }
    if s.coverage >= 0.5 && s.novelty < 0.5 {
        // An edit keeps most sentences word for word; a paraphrase rewords nearly all of
        // them, however lightly (a spinner that swaps every fourth word still rewrites).
        return if s.verbatim >= 0.5 {
            Derivation::Edit
        } else {
            Derivation::Paraphrase
        };
    }
    if s.carried >= 0.5 && s.length_ratio < 1.0 {
        return Derivation::Summary;
    }
    Derivation::Partial
}

/// A version's place in the lineage.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// Index of the version in the story.
    pub document: usize,
    /// Index of the version it derives from; `None` for roots.
    pub derived_from: Option<usize>,
    /// How it was made.
    pub derivation: Derivation,
    /// Figures against its parent (for roots, against the original, or zero).
    pub summary: PairSummary,
    /// Calibrated probability of the derivation: the learned verdict's probability of
    /// this derivation against the parent; for a root, that it derives from no earlier
    /// version.
    pub confidence: f32,
}

/// The lineage of a story.
#[derive(Debug, Clone, PartialEq)]
pub struct Lineage {
    /// Index of the original.
    pub original: usize,
    /// One entry per version, in story order.
    pub versions: Vec<Version>,
    /// One sentence saying why the original was chosen.
    pub explanation: String,
}

static TRACES: LazyLock<Vec<String>> = LazyLock::new(|| {
    include_str!("traces.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// How well a candidate parent accounts for a version: how much of the version it explains
/// plus how much of the version's phrasing it holds, both measured on the version's side.
///
/// What the candidate holds besides does not count against it. A summary of an article is
/// explained as well by the article as by an edit of it that cut a paragraph the summary
/// never used; the edit is then no better a parent, and the earlier candidate (the
/// article) wins the tie. A version derives from an intermediate only when it carries
/// something of the intermediate's own: its wording (a copy of a paraphrase, a summary
/// that keeps another summary's phrasing) or its content.
pub fn parent_fit(summary: &PairSummary) -> f32 {
    summary.explained + summary.phrases
}

/// Rewriting traces in a document: headings, and hedge phrases that rewriters add.
pub fn rewriting_traces(document: &Document) -> usize {
    let headings = document
        .sentences
        .iter()
        .filter(|s| s.kind == SentenceKind::Heading)
        .count();
    let text = document.text.to_lowercase();
    let hedges = TRACES.iter().filter(|t| text.contains(t.as_str())).count();
    usize::from(headings > 0) + hedges
}

/// Why a version ranks where it does as a candidate source.
struct Evidence {
    explains: f32,
    unique: f32,
    traces: usize,
    score: f32,
}

/// Builds the lineage of a story's versions from their collation.
pub fn trace(documents: &[&Document], collation: &Collation, config: &ProvenanceConfig) -> Lineage {
    let n = documents.len();
    if n == 0 {
        return Lineage {
            original: 0,
            versions: Vec::new(),
            explanation: String::new(),
        };
    }
    let mut evidence: Vec<Evidence> = (0..n)
        .map(|d| evidence(d, documents, collation, config))
        .collect();
    // A publication date is stronger evidence than wording: an undated version must beat
    // the earliest dated one clearly on the text to rank ahead of it. (Crawled reposts
    // often lose their metadata; originals from the wire keep theirs.)
    if let Some(earliest) = (0..n)
        .filter(|&d| documents[d].published.is_some())
        .min_by_key(|&d| documents[d].published.as_ref().map(|p| p.timestamp()))
    {
        evidence[earliest].score += config.date_margin;
    }
    // Rank: dated versions by date (earliest first) ahead of textual evidence, since a
    // date is the stronger witness; undated versions slot in by their score.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let by_date = match (&documents[a].published, &documents[b].published) {
            (Some(x), Some(y)) => x.timestamp().cmp(&y.timestamp()),
            _ => std::cmp::Ordering::Equal,
        };
        by_date
            .then(evidence[b].score.total_cmp(&evidence[a].score))
            .then(documents[a].id.cmp(&documents[b].id))
    });
    let mut rank = vec![0; n];
    for (position, &d) in order.iter().enumerate() {
        rank[d] = position;
    }
    let mut versions: Vec<Option<Version>> = vec![None; n];
    for (position, &d) in order.iter().enumerate() {
        let mut best: Option<(usize, f32)> = None;
        for &candidate in &order[..position] {
            if let (Some(c), Some(v)) = (&documents[candidate].published, &documents[d].published)
                && c.timestamp() > v.timestamp()
            {
                continue;
            }
            let Some(pair) = collation.pair(candidate, d) else {
                continue;
            };
            let fit = parent_fit(&pair.summary);
            if best.is_none_or(|(_, s)| fit > s + config.parent_tie) {
                best = Some((candidate, fit));
            }
        }
        let judged = best.and_then(|(parent, _)| {
            let pair = collation.pair(parent, d)?;
            let links: Vec<(usize, usize)> =
                pair.links.iter().map(|l| (l.version, l.source)).collect();
            let verdict = derivation::judge(documents[parent], documents[d], &pair.summary, &links);
            Some((parent, pair.summary, verdict))
        });
        versions[d] = Some(match judged {
            Some((parent, summary, verdict)) if verdict.derivation != Derivation::Independent => {
                Version {
                    document: d,
                    derived_from: Some(parent),
                    derivation: verdict.derivation,
                    summary,
                    confidence: verdict.confidence as f32,
                }
            }
            judged => Version {
                document: d,
                derived_from: None,
                derivation: Derivation::Independent,
                summary: PairSummary::default(),
                confidence: judged.map_or(1.0, |(_, _, v)| (1.0 - v.derived) as f32),
            },
        });
    }
    // Invariant: every index was filled in the loop over `order`, a permutation of 0..n.
    let mut versions: Vec<Version> = versions.into_iter().flatten().collect();
    let root_of = |mut d: usize, versions: &[Version]| {
        while let Some(parent) = versions[d].derived_from {
            d = parent;
        }
        d
    };
    let mut lineage_size = vec![0usize; n];
    for d in 0..n {
        lineage_size[root_of(d, &versions)] += 1;
    }
    let original = (0..n)
        .filter(|&d| versions[d].derived_from.is_none())
        .max_by(|&a, &b| {
            lineage_size[a]
                .cmp(&lineage_size[b])
                .then(rank[b].cmp(&rank[a]))
        })
        .unwrap_or(order[0]);
    versions[original].derivation = Derivation::Original;
    // The original's confidence: that it was made from none of the other versions, taken
    // from the least sure of those verdicts.
    versions[original].confidence = (0..n)
        .filter(|&o| o != original)
        .filter_map(|o| {
            let pair = collation.pair(o, original)?;
            let links: Vec<(usize, usize)> =
                pair.links.iter().map(|l| (l.version, l.source)).collect();
            let verdict =
                derivation::judge(documents[o], documents[original], &pair.summary, &links);
            Some((1.0 - verdict.derived) as f32)
        })
        .fold(1.0f32, f32::min);
    for version in versions.iter_mut() {
        if version.derived_from.is_none()
            && version.document != original
            && let Some(pair) = collation.pair(original, version.document)
        {
            version.summary = pair.summary;
        }
    }
    let explanation = explain(original, documents, &evidence, &versions, &lineage_size);
    Lineage {
        original,
        versions,
        explanation,
    }
}

fn evidence(
    d: usize,
    documents: &[&Document],
    collation: &Collation,
    config: &ProvenanceConfig,
) -> Evidence {
    let n = documents.len();
    let others: Vec<usize> = (0..n).filter(|&o| o != d).collect();
    let explains = if others.is_empty() {
        1.0
    } else {
        others
            .iter()
            .filter_map(|&o| collation.pair(d, o))
            .map(|p| p.summary.carried)
            .sum::<f32>()
            / others.len() as f32
    };
    // Content of `d` that no other version carries: what it added of its own.
    let prepared = &collation.prepared[d];
    let mut carried = vec![false; documents[d].sentences.len()];
    for &o in &others {
        if let Some(pair) = collation.pair(o, d) {
            for link in &pair.links {
                if let Some(slot) = carried.get_mut(link.version) {
                    *slot = true;
                }
            }
        }
    }
    // Split by whether the sentence names someone or states a figure.
    let (mut factual, mut generic) = (0.0f32, 0.0f32);
    for s in prepared
        .sentences
        .iter()
        .filter(|s| !carried.get(s.sentence).copied().unwrap_or(false))
    {
        // A capitalised first word is no name ("Share this story.").
        let specific = tokenize(&s.text)
            .iter()
            .enumerate()
            .any(|(i, t)| t.kind == TokenKind::Number || (t.kind == TokenKind::Name && i > 0));
        if specific {
            factual += s.total;
        } else {
            generic += s.total;
        }
    }
    let share = |weight: f32| {
        if prepared.total > 0.0 {
            (weight / prepared.total).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let unique = share(factual + generic);
    let traces = rewriting_traces(documents[d]);
    // An original has facts no summary carries, so such content counts against a version
    // only lightly; what marks a rewrite or a repost is generic lines added, and rewriting
    // traces.
    let score = explains
        - config.unique_weight * share(factual)
        - config.generic_weight * share(generic)
        - config.trace_weight * traces.min(4) as f32;
    Evidence {
        explains,
        unique,
        traces,
        score,
    }
}

fn explain(
    original: usize,
    documents: &[&Document],
    evidence: &[Evidence],
    versions: &[Version],
    lineage_size: &[usize],
) -> String {
    let n = documents.len();
    if n == 1 {
        return "the only version of the story".to_string();
    }
    let derived = lineage_size[original] - 1;
    let doc = documents[original];
    let dated_earlier = documents
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != original)
        .filter_map(|(_, d)| d.published.as_ref())
        .any(|p| {
            doc.published
                .as_ref()
                .is_some_and(|o| p.timestamp() < o.timestamp())
        });
    let e = &evidence[original];
    let roots = versions.iter().filter(|v| v.derived_from.is_none()).count();
    let others = n - 1;
    let lineage = if roots > 1 {
        format!(
            "the largest of {roots} independent lineages ({derived} of {others} other versions derive from it)"
        )
    } else if others == 1 {
        "the other version derives from it".to_string()
    } else {
        format!("all {others} other versions derive from it")
    };
    match (&doc.published, dated_earlier) {
        (Some(published), false) => format!(
            "earliest publication date among the versions ({}); {lineage}",
            crate::model::format_published(published)
        ),
        _ => {
            let traces = if e.traces == 0 {
                ", with no rewriting traces".to_string()
            } else {
                String::new()
            };
            format!(
                "the others carry its content (it explains {:.0}% of theirs) while it adds least of its own ({:.0}% found in no other version){traces}; {lineage}",
                100.0 * e.explains,
                100.0 * e.unique + 0.0
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(
        coverage: f32,
        novelty: f32,
        verbatim: f32,
        lexical: f32,
        length_ratio: f32,
    ) -> PairSummary {
        PairSummary {
            similarity: 0.5,
            coverage,
            novelty,
            carried: 1.0 - novelty,
            explained: 1.0 - novelty,
            verbatim,
            lexical,
            length_ratio,
            phrases: 0.4,
            aligned_sentences: 10,
            version_sentences: 12,
        }
    }

    #[test]
    fn classification_table() {
        let config = ProvenanceConfig::default();
        let cases = [
            (summary(1.0, 0.0, 1.0, 1.0, 1.0), Derivation::Copy),
            (summary(0.92, 0.05, 0.7, 0.9, 1.0), Derivation::Edit),
            (summary(0.95, 0.02, 0.0, 0.8, 1.05), Derivation::Paraphrase),
            (summary(0.35, 0.05, 0.0, 0.1, 0.25), Derivation::Summary),
            (summary(0.9, 0.4, 0.3, 0.5, 1.8), Derivation::Expansion),
            (summary(0.15, 0.7, 0.3, 0.3, 1.0), Derivation::Partial),
        ];
        for (figures, expected) in cases {
            assert_eq!(classify(&figures, &config), expected, "{figures:?}");
        }
        let mut unrelated = summary(0.05, 0.95, 0.0, 0.0, 1.0);
        unrelated.aligned_sentences = 1;
        unrelated.version_sentences = 20;
        assert_eq!(classify(&unrelated, &config), Derivation::Independent);
    }
}
