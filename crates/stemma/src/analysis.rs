//! The back of the pipeline for one story: collate → provenance (→ facts → drift), and the
//! same for every story of a corpus.
//!
//! [`analyze_story`] takes the versions of one story; [`analyze_stories`] takes a corpus and
//! its grouping into stories (from `cluster`) and runs the stories in parallel. Results
//! refer to documents by their index in the corpus, so reports can quote them.

use rayon::prelude::*;

use crate::collate::{self, CollateConfig, Link, PairSummary};
use crate::model::Document;
use crate::provenance::{self, Derivation, Lineage, ProvenanceConfig};

/// Settings of the per-story stages.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeConfig {
    /// Sentence alignment.
    pub collate: CollateConfig,
    /// Original, parents, derivations.
    pub provenance: ProvenanceConfig,
}

/// One version of a story as reported.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionReport {
    /// Corpus index of the version.
    pub document: usize,
    /// Corpus index of the version it derives from.
    pub derived_from: Option<usize>,
    /// How it was made.
    pub derivation: Derivation,
    /// Figures against its parent.
    pub summary: PairSummary,
}

/// The sentence links between a version and its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct PairLinks {
    /// Corpus index of the parent (the source side of the links).
    pub source: usize,
    /// Corpus index of the version.
    pub version: usize,
    /// The links.
    pub links: Vec<Link>,
}

/// Everything found about one story.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryAnalysis {
    /// Story id (`s1`, `s2`, …).
    pub id: String,
    /// Corpus indices of its versions, ordered by document id.
    pub documents: Vec<usize>,
    /// Corpus index of the original.
    pub original: usize,
    /// Why the original was chosen, in one sentence.
    pub original_reason: String,
    /// One entry per version, in the order of `documents`.
    pub versions: Vec<VersionReport>,
    /// Each version's links to its parent.
    pub alignments: Vec<PairLinks>,
}

/// Analyses one story; `members` are corpus indices.
pub fn analyze_story(
    id: String,
    corpus: &[Document],
    members: &[usize],
    config: &AnalyzeConfig,
) -> StoryAnalysis {
    let mut members = members.to_vec();
    members.sort_by(|&a, &b| corpus[a].id.cmp(&corpus[b].id));
    let documents: Vec<&Document> = members.iter().map(|&i| &corpus[i]).collect();
    let collation = collate::collate(&documents, &config.collate);
    let Lineage {
        original,
        versions,
        explanation,
    } = provenance::trace(&documents, &collation, &config.provenance);
    let alignments = versions
        .iter()
        .filter_map(|v| {
            let parent = v.derived_from?;
            let pair = collation.pair(parent, v.document)?;
            Some(PairLinks {
                source: members[parent],
                version: members[v.document],
                links: pair.links.clone(),
            })
        })
        .collect();
    let versions = versions
        .iter()
        .map(|v| VersionReport {
            document: members[v.document],
            derived_from: v.derived_from.map(|p| members[p]),
            derivation: v.derivation,
            summary: v.summary,
        })
        .collect();
    StoryAnalysis {
        id,
        original: members[original],
        original_reason: explanation,
        documents: members,
        versions,
        alignments,
    }
}

/// Analyses every story: `stories` are (id, corpus indices) as `cluster` gives them.
pub fn analyze_stories(
    corpus: &[Document],
    stories: &[(String, Vec<usize>)],
    config: &AnalyzeConfig,
) -> Vec<StoryAnalysis> {
    stories
        .par_iter()
        .map(|(id, members)| analyze_story(id.clone(), corpus, members, config))
        .collect()
}
