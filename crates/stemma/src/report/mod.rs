//! Reports: what stemma found, written for people (text, HTML) and programs (JSON).
//!
//! Every format is a pure function from results to a string or a writer; the CLI decides
//! where it goes. JSON field names and order follow `SPEC.md` and never change: fields
//! may be added, none renamed or dropped.

pub mod diff;
pub mod html;
pub mod inspect;
pub mod json;
pub mod text;

use crate::analysis::StoryAnalysis;
use crate::model::Document;

/// A version's place in the lineage tree of a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TreeEntry {
    /// Corpus index of the version.
    pub document: usize,
    /// 0 for a root.
    pub depth: usize,
    /// Whether it is the last child of its parent (or the last root).
    pub last: bool,
}

/// The versions of a story in the order the reports draw the lineage: the original, its
/// descendants depth-first (children by id), then the other roots (independent accounts)
/// by id with theirs. Every version appears once, even if the lineage had a cycle.
pub(crate) fn lineage_order(corpus: &[Document], story: &StoryAnalysis) -> Vec<TreeEntry> {
    let by_id = |list: &mut Vec<usize>| list.sort_by(|&a, &b| corpus[a].id.cmp(&corpus[b].id));
    let mut roots: Vec<usize> = story
        .versions
        .iter()
        .filter(|v| v.derived_from.is_none() && v.document != story.original)
        .map(|v| v.document)
        .collect();
    by_id(&mut roots);
    roots.insert(0, story.original);
    let mut order = Vec::with_capacity(story.versions.len());
    let mut seen = vec![false; corpus.len()];
    let n_roots = roots.len();
    let mut stack: Vec<TreeEntry> = roots
        .into_iter()
        .enumerate()
        .rev()
        .map(|(i, document)| TreeEntry {
            document,
            depth: 0,
            last: i + 1 == n_roots,
        })
        .collect();
    while let Some(entry) = stack.pop() {
        if std::mem::replace(&mut seen[entry.document], true) {
            continue;
        }
        order.push(entry);
        let mut children: Vec<usize> = story
            .versions
            .iter()
            .filter(|v| v.derived_from == Some(entry.document) && !seen[v.document])
            .map(|v| v.document)
            .collect();
        by_id(&mut children);
        let n_children = children.len();
        for (i, child) in children.into_iter().enumerate().rev() {
            stack.push(TreeEntry {
                document: child,
                depth: entry.depth + 1,
                last: i + 1 == n_children,
            });
        }
    }
    // A version whose parent chain never reaches a root (a cycle) still gets a line.
    for version in &story.versions {
        if !seen[version.document] {
            seen[version.document] = true;
            order.push(TreeEntry {
                document: version.document,
                depth: 0,
                last: true,
            });
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::VersionReport;
    use crate::collate::PairSummary;
    use crate::provenance::Derivation;

    fn version(
        document: usize,
        derived_from: Option<usize>,
        derivation: Derivation,
    ) -> VersionReport {
        VersionReport {
            document,
            derived_from,
            derivation,
            summary: PairSummary::default(),
            confidence: 1.0,
            consistency: None,
        }
    }

    #[test]
    fn lineage_order_is_the_original_first_then_depth_first_then_other_roots() {
        let ids = [
            "b-copy",
            "a-edit",
            "original",
            "z-independent",
            "c-copy-of-edit",
            "y-copy",
        ];
        let corpus: Vec<Document> = ids
            .iter()
            .map(|id| crate::corpus::document_from_text(id, id, "A sentence.").unwrap())
            .collect();
        let story = StoryAnalysis {
            id: "s1".into(),
            documents: (0..ids.len()).collect(),
            original: 2,
            original_reason: String::new(),
            versions: vec![
                version(0, Some(2), Derivation::Copy),
                version(1, Some(2), Derivation::Edit),
                version(2, None, Derivation::Original),
                version(3, None, Derivation::Independent),
                version(4, Some(1), Derivation::Copy),
                version(5, Some(3), Derivation::Copy),
            ],
            alignments: Vec::new(),
            facts: Vec::new(),
            consensus: Vec::new(),
            drift: Vec::new(),
            sentence_model: false,
        };
        let order: Vec<(&str, usize, bool)> = lineage_order(&corpus, &story)
            .iter()
            .map(|e| (ids[e.document], e.depth, e.last))
            .collect();
        assert_eq!(
            order,
            vec![
                ("original", 0, false),
                ("a-edit", 1, false),
                ("c-copy-of-edit", 2, true),
                ("b-copy", 1, true),
                ("z-independent", 0, true),
                ("y-copy", 1, true),
            ]
        );
    }
}
