//! The seed story with the kind of version an AI writing tool makes of a wire story: the
//! whole text kept, headings and hedges added ("It is worth noting that…", "Key
//! Takeaways"), an envoy promoted to ambassador, a year invented for a month the source
//! left undated, and the death toll cut. A reposting site then carries the expansion
//! between "Originally published by …" and "This article first appeared on …".
//!
//! A careful editor reads: the wire story is the original; the expansion derives from it
//! with its three changes (role, date, the dropped toll); the repost is a copy of the
//! expansion, and its credit lines are no facts; the summary moves the Alaska summit to
//! 2022.

mod common;

use common::data;

use stemma::analysis::{AnalyzeConfig, StoryAnalysis, analyze_story};
use stemma::corpus;
use stemma::drift::DriftKind;
use stemma::ingest::{IngestConfig, Input};

/// The body of a seed file, without its front matter.
fn seed_body(text: &str) -> &str {
    match text.strip_prefix("---") {
        Some(rest) => rest
            .split_once("\n---")
            .map_or(rest, |(_, body)| body)
            .trim(),
        None => text.trim(),
    }
}

/// The expansion of the wire story's body.
fn expand(wire: &str) -> String {
    let mut out = vec![
        "# Pentagon Delegation Arrives in Kyiv: What It Means for Peace Efforts".to_string(),
        "## Overview".to_string(),
        "In a significant development that could reshape the diplomatic landscape, the \
         situation continues to evolve rapidly."
            .to_string(),
    ];
    let mut headings = [
        "## Background",
        "## What Officials Are Saying",
        "## The Broader Context",
        "## Diplomatic Reactions",
        "## Looking Ahead",
    ]
    .into_iter();
    for (i, paragraph) in seed_body(wire).split("\n\n").enumerate() {
        let paragraph = paragraph
            .trim()
            .replace("According to new developments, Senior", "Senior")
            .replace(
                "Earlier in the day, at least 26 people were killed in a Russian missile and \
                 drone attack on Ukraine's western city of Ternopil, officials there said. ",
                "It is worth noting that tensions remain high on the ground. ",
            )
            .replace(
                "Trump's special envoy Steve Witkoff",
                "Trump's special ambassador Steve Witkoff",
            )
            .replace("took office in January", "took office in January 2020")
            .replace("The team, led by", "Notably, the team, led by");
        out.push(paragraph);
        if i % 4 == 3
            && let Some(heading) = headings.next()
        {
            out.push(heading.to_string());
        }
    }
    out.push("## Key Takeaways".to_string());
    out.push(
        "Ultimately, the coming days may prove pivotal. As diplomatic efforts continue to \
         unfold, observers around the world will be watching closely to see whether this \
         visit can bring the parties closer to a lasting peace."
            .to_string(),
    );
    out.join("\n\n")
}

fn analyse(dir: &std::path::Path) -> (Vec<String>, StoryAnalysis) {
    let corpus = corpus::load(&[Input::Path(dir.to_path_buf())], &IngestConfig::default());
    let ids: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    let members: Vec<usize> = (0..corpus.documents.len()).collect();
    let story = analyze_story(
        "s1".into(),
        &corpus.documents,
        &members,
        &AnalyzeConfig::default(),
    );
    (ids, story)
}

#[test]
fn seed_story_with_an_ai_expansion_and_its_repost() {
    let Some(dir) = data("seeds-dev") else {
        return;
    };
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("seed file");
    let wire = read("001_cd8afdc8f47b9116.txt");
    let expansion = expand(&wire);
    let temp = tempfile::tempdir().expect("temp dir");
    let files = [
        ("001.txt", wire.clone()),
        ("002.txt", read("002_388b3ba3cb0d43d6.txt")),
        ("003-expansion.md", expansion.clone()),
        ("004.txt", read("004_cd071ab01838d533.txt")),
        (
            "005-repost.md",
            format!(
                "Originally published by World Desk Daily.\n\n{expansion}\n\nThis article first \
                 appeared on World Desk Daily. Read more: worlddesk.example/ukraine\n"
            ),
        ),
    ];
    for (name, text) in &files {
        std::fs::write(temp.path().join(name), text).expect("write");
    }
    let (ids, story) = analyse(temp.path());
    let id = |i: usize| ids[i].as_str();
    assert_eq!(id(story.original), "001");

    let mut lineage: Vec<(&str, Option<&str>, &str)> = story
        .versions
        .iter()
        .map(|v| {
            (
                id(v.document),
                v.derived_from.map(id),
                v.derivation.as_str(),
            )
        })
        .collect();
    lineage.sort();
    let parents: Vec<(&str, Option<&str>)> = lineage.iter().map(|r| (r.0, r.1)).collect();
    assert_eq!(
        parents,
        [
            ("001", None),
            ("002", Some("001")),
            ("003-expansion", Some("001")),
            ("004", Some("001")),
            ("005-repost", Some("003-expansion")),
        ],
        "{lineage:?}"
    );
    let derivation = |doc: &str| lineage.iter().find(|r| r.0 == doc).expect("version").2;
    assert_eq!(derivation("005-repost"), "copy");
    assert_eq!(derivation("004"), "summary");
    assert!(
        ["edit", "paraphrase", "expansion"].contains(&derivation("003-expansion")),
        "{lineage:?}"
    );

    let drift: Vec<(&str, DriftKind, String)> = story
        .drift
        .iter()
        .map(|d| {
            let fact = d.drift.version.as_ref().or(d.drift.source.as_ref());
            (
                id(d.document),
                d.drift.kind,
                fact.map(|f| f.text.clone()).unwrap_or_default(),
            )
        })
        .collect();
    let has = |doc: &str, kind: DriftKind, text: &str| {
        drift
            .iter()
            .any(|(d, k, t)| *d == doc && *k == kind && t.contains(text))
    };
    assert!(
        has("003-expansion", DriftKind::Changed, "ambassador"),
        "{drift:?}"
    );
    assert!(
        has("003-expansion", DriftKind::Changed, "2020"),
        "{drift:?}"
    );
    assert!(
        has("003-expansion", DriftKind::Dropped, "26 people"),
        "{drift:?}"
    );
    assert!(has("004", DriftKind::Changed, "2022"), "{drift:?}");
    // Nothing else is changed or added: the hedges, headings and credit lines state no fact.
    let changed_or_added: Vec<_> = drift
        .iter()
        .filter(|(_, k, _)| matches!(k, DriftKind::Changed | DriftKind::Added))
        .collect();
    assert_eq!(changed_or_added.len(), 3, "{drift:?}");
}
