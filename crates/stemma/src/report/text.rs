//! The terminal report of `stemma analyze` and `stemma compare`: per story the original and
//! why, the lineage as a tree with each version's derivation and figures, then the drift.

use std::io::{self, Write};

use crate::analysis::{Comparison, StoryAnalysis};
use crate::drift::Drift;
use crate::model::{Document, Skipped};

fn percent(value: f32) -> String {
    format!("{:>3.0}%", 100.0 * value)
}

/// Writes the analyze report as text.
pub fn write_report(
    out: &mut dyn Write,
    corpus: &[Document],
    skipped: &[Skipped],
    stories: &[StoryAnalysis],
) -> io::Result<()> {
    let multi: Vec<&StoryAnalysis> = stories.iter().filter(|s| s.documents.len() > 1).collect();
    let singles: Vec<&StoryAnalysis> = stories.iter().filter(|s| s.documents.len() == 1).collect();
    for story in &multi {
        write_story(out, corpus, story)?;
    }
    if !singles.is_empty() {
        writeln!(out, "Single-version stories")?;
        for story in &singles {
            let doc = &corpus[story.original];
            writeln!(
                out,
                "  {:<4} {:<24} {}",
                story.id,
                doc.id,
                doc.title.as_deref().unwrap_or("")
            )?;
        }
        writeln!(out)?;
    }
    for skip in skipped {
        writeln!(out, "skipped {}: {}", skip.source, skip.reason)?;
    }
    writeln!(
        out,
        "{} stories ({} with several versions), {} documents, {} skipped inputs",
        stories.len(),
        multi.len(),
        corpus.len(),
        skipped.len()
    )
}

fn write_story(out: &mut dyn Write, corpus: &[Document], story: &StoryAnalysis) -> io::Result<()> {
    let original = &corpus[story.original];
    writeln!(
        out,
        "Story {} — {} versions — {}",
        story.id,
        story.documents.len(),
        original.title.as_deref().unwrap_or(&original.id)
    )?;
    writeln!(out, "  original: {}", original.id)?;
    writeln!(out, "  why: {}", story.original_reason)?;
    writeln!(out)?;
    writeln!(
        out,
        "  {:<34} {:<12} {:>6} {:>8} {:>7}",
        "lineage", "derivation", "simil.", "coverage", "novelty"
    )?;
    // Roots first (the original leading), then each root's descendants depth-first.
    let mut roots: Vec<usize> = story
        .versions
        .iter()
        .filter(|v| v.derived_from.is_none())
        .map(|v| v.document)
        .collect();
    roots.sort_by_key(|&d| (d != story.original, corpus[d].id.clone()));
    for root in roots {
        write_subtree(out, corpus, story, root, "", true, true)?;
    }
    writeln!(out)?;
    if story.drift.is_empty() {
        writeln!(out, "  no drift")?;
    } else {
        let mut items: Vec<&crate::analysis::VersionDrift> = story.drift.iter().collect();
        items.sort_by(|a, b| b.drift.severity.total_cmp(&a.drift.severity));
        writeln!(out, "  drift, most serious first:")?;
        for item in items {
            writeln!(
                out,
                "  {} against {}:",
                corpus[item.document].id, corpus[item.against].id
            )?;
            write_drift(
                out,
                &item.drift,
                &corpus[item.against],
                &corpus[item.document],
            )?;
        }
    }
    writeln!(out)
}

fn write_subtree(
    out: &mut dyn Write,
    corpus: &[Document],
    story: &StoryAnalysis,
    document: usize,
    prefix: &str,
    last: bool,
    root: bool,
) -> io::Result<()> {
    let Some(version) = story.versions.iter().find(|v| v.document == document) else {
        return Ok(());
    };
    let branch = if root {
        String::new()
    } else if last {
        format!("{prefix}└─ ")
    } else {
        format!("{prefix}├─ ")
    };
    let label = format!("{branch}{}", corpus[document].id);
    let figures = if version.derived_from.is_some() || document != story.original {
        format!(
            "{:>6.2} {:>8} {:>7}",
            version.summary.similarity,
            percent(version.summary.coverage),
            percent(version.summary.novelty)
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "  {:<34} {:<12} {}",
        label,
        version.derivation.as_str(),
        figures
    )?;
    let mut children: Vec<usize> = story
        .versions
        .iter()
        .filter(|v| v.derived_from == Some(document))
        .map(|v| v.document)
        .collect();
    children.sort_by_key(|&d| corpus[d].id.clone());
    let child_prefix = if root {
        String::new()
    } else if last {
        format!("{prefix}   ")
    } else {
        format!("{prefix}│  ")
    };
    for (i, &child) in children.iter().enumerate() {
        write_subtree(
            out,
            corpus,
            story,
            child,
            &child_prefix,
            i + 1 == children.len(),
            false,
        )?;
    }
    Ok(())
}

/// Writes the compare report as text: the derivation, the figures, then the sentence
/// alignment (unaligned version sentences marked `+`, unaligned source sentences `-`).
pub fn write_compare(
    out: &mut dyn Write,
    source: &Document,
    version: &Document,
    comparison: &Comparison,
) -> io::Result<()> {
    let pair = &comparison.pair;
    let derivation = comparison.derivation.as_str();
    writeln!(out, "{} held against {}", version.id, source.id)?;
    writeln!(
        out,
        "  derivation {derivation}, similarity {:.2}, coverage {}, novelty {}",
        pair.summary.similarity,
        percent(pair.summary.coverage).trim(),
        percent(pair.summary.novelty).trim()
    )?;
    writeln!(out)?;
    for (j, sentence) in version.body_sentences() {
        let links: Vec<_> = pair.links.iter().filter(|l| l.version == j).collect();
        if links.is_empty() {
            writeln!(out, "  + [{j}] {}", sentence.text)?;
            continue;
        }
        for link in links {
            let mark = match (link.numbers_differ, link.names_differ) {
                (true, true) => " (numbers and names differ)",
                (true, false) => " (numbers differ)",
                (false, true) => " (names differ)",
                _ => "",
            };
            writeln!(
                out,
                "  = [{j}] ← [{}] {} {:.2}{mark}",
                link.source,
                link.kind.as_str(),
                link.score
            )?;
        }
        writeln!(out, "        {}", sentence.text)?;
    }
    let unaligned: Vec<(usize, &str)> = source
        .body_sentences()
        .filter(|(i, _)| !pair.links.iter().any(|l| l.source == *i))
        .map(|(i, s)| (i, s.text.as_str()))
        .collect();
    if !unaligned.is_empty() {
        writeln!(out)?;
        writeln!(out, "  not carried from {}:", source.id)?;
        for (i, text) in unaligned {
            writeln!(out, "  - [{i}] {text}")?;
        }
    }
    writeln!(out)?;
    if comparison.drift.is_empty() {
        writeln!(
            out,
            "  no drift: every fact of the version agrees with the source"
        )?;
    } else {
        writeln!(out, "  drift ({} items):", comparison.drift.len())?;
        for item in &comparison.drift {
            write_drift(out, item, source, version)?;
        }
    }
    writeln!(
        out,
        "  consistent: {}",
        if comparison.consistent() {
            "yes"
        } else {
            "no (a fact was changed or added)"
        }
    )
}

/// Writes one drift item: the kind, the explanation, then the two quotes.
pub fn write_drift(
    out: &mut dyn Write,
    item: &Drift,
    source: &Document,
    version: &Document,
) -> io::Result<()> {
    writeln!(
        out,
        "  {:<8} {:<9} {}",
        item.kind.as_str(),
        item.fact_kind.as_str(),
        item.explanation
    )?;
    if let Some(fact) = &item.source {
        let sentence = source
            .sentences
            .get(fact.sentence)
            .map(|s| s.text.as_str())
            .unwrap_or("");
        writeln!(
            out,
            "           {} [{}]: {}",
            source.id, fact.sentence, sentence
        )?;
    }
    if let Some(fact) = &item.version {
        let sentence = version
            .sentences
            .get(fact.sentence)
            .map(|s| s.text.as_str())
            .unwrap_or("");
        writeln!(
            out,
            "           {} [{}]: {}",
            version.id, fact.sentence, sentence
        )?;
    }
    Ok(())
}
