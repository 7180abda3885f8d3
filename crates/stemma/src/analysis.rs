//! The back of the pipeline for one story: collate → provenance (→ facts → drift), and the
//! same for every story of a corpus.
//!
//! [`analyze_story`] takes the versions of one story; [`analyze_stories`] takes a corpus and
//! its grouping into stories (from `cluster`) and runs the stories in parallel. Results
//! refer to documents by their index in the corpus, so reports can quote them.

use rayon::prelude::*;

use crate::collate::{self, CollateConfig, Link, PairSummary};
use crate::drift::claims::ClaimCheck;
use crate::drift::{self, Drift, DriftKind, Scope};
use crate::facts::{self, Fact, FactKind};
use crate::model::Document;
use crate::provenance::{self, Derivation, Lineage, ProvenanceConfig};
use crate::verdict::consistency::{self, Consistency};
use crate::verdict::keep;

/// Settings of the per-story stages.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeConfig {
    /// Sentence alignment.
    pub collate: CollateConfig,
    /// Original, parents, derivations.
    pub provenance: ProvenanceConfig,
    /// An optional semantic sentence model for alignment (`None`: words only).
    pub encoder: Option<std::sync::Arc<dyn collate::SentenceEncoder>>,
    /// How version statements are held against their source (beyond facts).
    pub claims: ClaimCheck,
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
    /// Calibrated probability of the derivation (see [`provenance::Version`]).
    pub confidence: f32,
    /// Calibrated probability that the version is consistent with the version it is held
    /// against (its parent, or the original for an independent account); `None` for the
    /// original.
    pub consistency: Option<f32>,
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
    /// The facts of each version, in the order of `documents`.
    pub facts: Vec<Vec<Fact>>,
    /// The story's facts with the versions that support and dissent.
    pub consensus: Vec<StoryFact>,
    /// Drift of each version against its parent (independent accounts against the
    /// original, changed facts only), most serious first within each version.
    pub drift: Vec<VersionDrift>,
}

/// Drift of one version.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionDrift {
    /// Corpus index of the version.
    pub document: usize,
    /// Corpus index of the version it is held against.
    pub against: usize,
    /// The drift item.
    pub drift: Drift,
}

/// Where a fact is stated: a version, a sentence, the quoted text and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct FactWitness {
    /// Corpus index of the version.
    pub document: usize,
    /// Sentence index in that version.
    pub sentence: usize,
    /// The quoted text.
    pub text: String,
    /// The normalised value.
    pub value: String,
}

/// A fact of the story, with the versions that state it and those that state another
/// value for the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryFact {
    /// `f1`, `f2`, … in order of first appearance (original first).
    pub id: String,
    /// Kind of fact.
    pub kind: FactKind,
    /// The text as first stated.
    pub text: String,
    /// The normalised value.
    pub value: String,
    /// What it is about.
    pub subject: String,
    /// Versions stating it.
    pub support: Vec<FactWitness>,
    /// Versions stating a different value.
    pub dissent: Vec<FactWitness>,
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
    let collation = collate::collate_with(&documents, &config.collate, config.encoder.as_deref());
    let Lineage {
        original,
        versions,
        explanation,
    } = provenance::trace(&documents, &collation, &config.provenance);
    // Relative dates resolve against each version's own date, else the story's: the
    // original's when it has one, else the earliest.
    let story_date = documents[original].published_date().or_else(|| {
        documents
            .iter()
            .filter_map(|d| d.published.as_ref())
            .min_by_key(|p| p.timestamp())
            .map(|p| p.date())
    });
    // A version written without capitals regains them from its parent (else the original).
    let version_facts: Vec<Vec<Fact>> = (0..documents.len())
        .into_par_iter()
        .map(|i| {
            let reference = versions[i].derived_from.unwrap_or(original);
            facts::extract_with_reference(
                documents[i],
                documents[i].published_date().or(story_date),
                (reference != i).then(|| documents[reference]),
            )
        })
        .collect();
    let mut drift_items = Vec::new();
    let mut consistent: Vec<Option<f32>> = vec![None; documents.len()];
    let supports = drift::claims::Supports::new(&documents);
    for v in &versions {
        let (against, scope) = match v.derived_from {
            Some(parent) => (parent, Scope::Derived),
            None if v.document != original => (original, Scope::Independent),
            None => continue,
        };
        let Some(pair) = collation.pair(against, v.document) else {
            continue;
        };
        // Support for an added fact must come from outside the version's own line: its
        // copies repeat its inventions.
        let descendants = descendants_of(v.document, &versions);
        let others: Vec<&[Fact]> = (0..documents.len())
            .filter(|&o| o != v.document && !descendants.contains(&o))
            .map(|o| version_facts[o].as_slice())
            .collect();
        let mut items = drift::find_drift(
            documents[against],
            &version_facts[against],
            documents[v.document],
            &version_facts[v.document],
            &pair.links,
            &others,
            scope,
        );
        if claims_apply(v.derivation, config.claims) {
            let other_documents: Vec<usize> = (0..documents.len())
                .filter(|&o| o != v.document && o != against && !descendants.contains(&o))
                .collect();
            items.extend(drift::claims::unsupported_claims(
                &supports,
                against,
                documents[v.document],
                &version_facts[v.document],
                &other_documents,
                &flagged_sentences(&items),
                config.claims,
            ));
        }
        let links: Vec<(usize, usize)> = pair.links.iter().map(|l| (l.version, l.source)).collect();
        let verdict = crate::verdict::derivation::judge(
            documents[against],
            documents[v.document],
            &pair.summary,
            &links,
        );
        let checked = consistency::judge(
            documents[against],
            documents[v.document],
            &pair.links,
            &items,
            None,
        );
        judge_dropped(
            &mut items,
            (documents[against], &version_facts[against]),
            documents[v.document],
            &pair.links,
            verdict.keeps_all,
        );
        set_confidence(&mut items, &checked);
        consistent[v.document] = Some(checked.consistent as f32);
        for item in items {
            drift_items.push(VersionDrift {
                document: members[v.document],
                against: members[against],
                drift: item,
            });
        }
    }
    let consensus = consensus(&members, original, &versions, &version_facts, &drift_items);
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
            confidence: v.confidence,
            consistency: consistent[v.document],
        })
        .collect();
    StoryAnalysis {
        id,
        original: members[original],
        original_reason: explanation,
        documents: members,
        versions,
        alignments,
        facts: version_facts,
        consensus,
        drift: drift_items,
    }
}

/// The version sentences that already hold a changed or added fact: a claim about them
/// would say it twice.
fn flagged_sentences(drift: &[Drift]) -> Vec<usize> {
    drift
        .iter()
        .filter(|d| d.kind != DriftKind::Dropped)
        .filter_map(|d| d.version.as_ref().map(|f| f.sentence))
        .collect()
}

/// The versions that derive, directly or not, from `document`.
fn descendants_of(document: usize, versions: &[provenance::Version]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut frontier = vec![document];
    while let Some(current) = frontier.pop() {
        for v in versions {
            if v.derived_from == Some(current) && !found.contains(&v.document) {
                found.push(v.document);
                frontier.push(v.document);
            }
        }
    }
    found
}

/// Groups the versions' facts into story facts: the original's first, then the others in
/// lineage order; a fact joins a group of the same kind and value about the same thing.
fn consensus(
    members: &[usize],
    original: usize,
    versions: &[provenance::Version],
    version_facts: &[Vec<Fact>],
    drift: &[VersionDrift],
) -> Vec<StoryFact> {
    let mut order: Vec<usize> = vec![original];
    let mut i = 0;
    while i < order.len() {
        let current = order[i];
        let mut children: Vec<usize> = versions
            .iter()
            .filter(|v| v.derived_from == Some(current))
            .map(|v| v.document)
            .collect();
        children.sort_unstable();
        order.extend(children);
        i += 1;
    }
    let rest: Vec<usize> = (0..members.len()).filter(|d| !order.contains(d)).collect();
    order.extend(rest);
    let mut groups: Vec<(Fact, StoryFact)> = Vec::new();
    for &d in &order {
        for fact in &version_facts[d] {
            let witness = FactWitness {
                document: members[d],
                sentence: fact.sentence,
                text: fact.text.clone(),
                value: fact.value_string(),
            };
            let existing = groups.iter_mut().find(|(representative, group)| {
                representative.kind == fact.kind
                    && representative.same_value(fact)
                    && (representative.shared_context(fact) >= 1
                        || representative.subject == fact.subject)
                    && !group.support.iter().any(|w| w.document == members[d])
            });
            match existing {
                Some((_, group)) => group.support.push(witness),
                None => groups.push((
                    fact.clone(),
                    StoryFact {
                        id: String::new(),
                        kind: fact.kind,
                        text: fact.text.clone(),
                        value: fact.value_string(),
                        subject: fact.subject.clone(),
                        support: vec![witness],
                        dissent: Vec::new(),
                    },
                )),
            }
        }
    }
    for item in drift.iter().filter(|d| d.drift.kind == DriftKind::Changed) {
        let (Some(source), Some(version)) = (&item.drift.source, &item.drift.version) else {
            continue;
        };
        if let Some((_, group)) = groups.iter_mut().find(|(_, g)| {
            g.support.iter().any(|w| {
                w.document == item.against && w.sentence == source.sentence && w.text == source.text
            })
        }) {
            group.dissent.push(FactWitness {
                document: item.document,
                sentence: version.sentence,
                text: version.text.clone(),
                value: version.value_string(),
            });
        }
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut group))| {
            group.id = format!("f{}", i + 1);
            group
        })
        .collect()
}

/// One version held against its source, as `stemma compare` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The sentence alignment and its figures.
    pub pair: collate::PairAlignment,
    /// How the version was made from the source.
    pub derivation: Derivation,
    /// Calibrated probability of that derivation.
    pub derivation_confidence: f32,
    /// The facts the version changed, dropped or added.
    pub drift: Vec<Drift>,
    /// The learned consistency verdict, for the whole version and each sentence.
    pub consistency: Consistency,
}

impl Comparison {
    /// The learned verdict: the version is consistent with its source (its probability
    /// at or above the threshold chosen on dev data). The drift items found by the fact
    /// stage are among the model's features, not an override of it.
    pub fn consistent(&self) -> bool {
        self.consistency.is_consistent()
    }

    /// The hand-set rule the learned verdict replaced: no fact changed or added. Kept as
    /// the baseline of the dev table.
    pub fn no_fact_changed_or_added(&self) -> bool {
        !self
            .drift
            .iter()
            .any(|d| matches!(d.kind, DriftKind::Changed | DriftKind::Added))
    }
}

/// Holds `version` against `source`: alignment, derivation, drift and consistency.
/// Relative dates resolve against each document's date, else the other's.
pub fn compare(source: &Document, version: &Document, config: &AnalyzeConfig) -> Comparison {
    let vectors = config
        .encoder
        .as_deref()
        .and_then(|encoder| collate::encode_documents(encoder, &[source, version]));
    let (prepared, vocabulary) = collate::prepare(&[source, version]);
    let pair = collate::align_pair_with(
        &prepared[0],
        &prepared[1],
        &vocabulary,
        &config.collate,
        vectors.as_ref().map(|v| (&v[0], &v[1])),
    );
    let links: Vec<(usize, usize)> = pair.links.iter().map(|l| (l.version, l.source)).collect();
    let verdict = crate::verdict::derivation::judge(source, version, &pair.summary, &links);
    let derivation = verdict.derivation;
    let anchor = source.published_date().or(version.published_date());
    let source_facts = facts::extract(source, source.published_date().or(anchor));
    let version_facts =
        facts::extract_with_reference(version, version.published_date().or(anchor), Some(source));
    let scope = if derivation == Derivation::Independent {
        Scope::Independent
    } else {
        Scope::Derived
    };
    let mut drift = drift::find_drift(
        source,
        &source_facts,
        version,
        &version_facts,
        &pair.links,
        &[],
        scope,
    );
    if claims_apply(derivation, config.claims) {
        drift.extend(drift::claims::unsupported_claims(
            &drift::claims::Supports::new(&[source]),
            0,
            version,
            &version_facts,
            &[],
            &flagged_sentences(&drift),
            config.claims,
        ));
    }
    let consistency = match &vectors {
        Some(v) => {
            // Body sentences are encoded in order; map a sentence index to its vector.
            let body: Vec<usize> = version.body_sentences().map(|(i, _)| i).collect();
            let cosine = |i: usize| -> f32 {
                let Some(k) = body.iter().position(|&b| b == i) else {
                    return 0.0;
                };
                v[0].iter()
                    .map(|s| s.iter().zip(&v[1][k]).map(|(a, b)| a * b).sum::<f32>())
                    .fold(0.0f32, f32::max)
            };
            consistency::judge(source, version, &pair.links, &drift, Some(&cosine))
        }
        None => consistency::judge(source, version, &pair.links, &drift, None),
    };
    judge_dropped(
        &mut drift,
        (source, &source_facts),
        version,
        &pair.links,
        verdict.keeps_all,
    );
    set_confidence(&mut drift, &consistency);
    Comparison {
        pair,
        derivation,
        derivation_confidence: verdict.confidence as f32,
        drift,
        consistency,
    }
}

/// Whether a version's statements are held against its source word by word: for the
/// derivations that keep their source's words, and under `strict` for every derived
/// version (a one-sentence rewrite may be named a paraphrase and still be a summary).
fn claims_apply(derivation: Derivation, check: ClaimCheck) -> bool {
    drift::claims::checkable(derivation)
        || check == ClaimCheck::Strict && derivation != Derivation::Independent
}

/// Keeps the dropped facts the version should have carried (see
/// [`crate::verdict::keep`]), each with that probability as its confidence.
fn judge_dropped(
    drift: &mut Vec<Drift>,
    (parent, parent_facts): (&Document, &[Fact]),
    version: &Document,
    links: &[Link],
    keeps_all: f64,
) {
    drift.retain_mut(|item| {
        let (DriftKind::Dropped, Some(fact)) = (item.kind, &item.source) else {
            return true;
        };
        let summary = keep::summary_keeps(parent, version, parent_facts, fact, links);
        let p = keep::should_keep(keeps_all, summary);
        item.confidence = p as f32;
        p >= 0.5
    });
}

/// Sets the confidence of each changed or added fact from the consistency verdict: as
/// sure as its sentence is unsupported.
fn set_confidence(drift: &mut [Drift], consistency: &Consistency) {
    for item in drift.iter_mut() {
        if matches!(item.kind, DriftKind::Changed | DriftKind::Added) {
            let sentence = item.version.as_ref().map(|f| f.sentence);
            item.confidence = consistency
                .sentences
                .iter()
                .find(|c| Some(c.sentence) == sentence)
                .map_or(1.0 - consistency.consistent, |c| 1.0 - c.supported)
                as f32;
        }
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
