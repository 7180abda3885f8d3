//! The back of the pipeline for one story: collate → provenance (→ facts → drift), and the
//! same for every story of a corpus.
//!
//! [`analyze_story`] takes the versions of one story; [`analyze_stories`] takes a corpus and
//! its grouping into stories (from `cluster`) and runs the stories in parallel. Results
//! refer to documents by their index in the corpus, so reports can quote them.
//! [`analyze_stories_batched`] does the same for a corpus that is not held in memory: each
//! story's documents are fetched when its turn comes, and results leave in story order.

use std::collections::HashMap;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

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
    /// Whether the sentence model read the versions.
    pub sentence_model: bool,
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
        sentence_model: collation.sentence_model,
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
/// lineage order; a fact joins the first group (in the order groups were made) whose
/// representative, its first fact, is of the same kind and value and about the same thing
/// (sharing a context word or the subject), unless the group already holds that version.
///
/// Comparing each fact with every group would make a story's cost grow with the square of
/// its facts (a story of a few hundred versions holds tens of thousands). Groups are
/// indexed instead by keys that any two matching facts share ([`match_keys`]); only the
/// groups under a fact's keys are compared, in the order they were made, so the first
/// match, and the output, are those of comparing with every group.
fn consensus(
    members: &[usize],
    original: usize,
    versions: &[provenance::Version],
    version_facts: &[Vec<Fact>],
    drift: &[VersionDrift],
) -> Vec<StoryFact> {
    let mut groups: Vec<(&Fact, StoryFact)> = Vec::new();
    // The version whose facts were placed last in each group: a version's facts are
    // placed one after another, so a group holds the current version exactly when its
    // last witness came from it.
    let mut last_version: Vec<usize> = Vec::new();
    let mut index: HashMap<u64, Vec<usize>, Xxh3DefaultBuilder> = HashMap::default();
    let mut value_keys: Vec<u64> = Vec::new();
    let mut context_keys: Vec<u64> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for d in lineage_order(members.len(), original, versions) {
        for fact in &version_facts[d] {
            let witness = FactWitness {
                document: members[d],
                sentence: fact.sentence,
                text: fact.text.clone(),
                value: fact.value_string(),
            };
            value_keys.clear();
            context_keys.clear();
            match_keys(fact, &mut value_keys, &mut context_keys);
            // Any matching group is under both kinds of key: look under the kind that
            // lists fewer groups.
            let listed = |keys: &[u64]| -> usize {
                keys.iter().filter_map(|k| index.get(k)).map(Vec::len).sum()
            };
            let lookup = if value_keys.is_empty() || listed(&context_keys) < listed(&value_keys) {
                &context_keys
            } else {
                &value_keys
            };
            candidates.clear();
            for key in lookup {
                if let Some(list) = index.get(key) {
                    candidates.extend_from_slice(list);
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let existing = candidates.iter().copied().find(|&g| {
                let representative = groups[g].0;
                // The cheap tests first: comparing two quotes' values is the costly one.
                last_version[g] != d
                    && representative.kind == fact.kind
                    && (representative.shared_context(fact) >= 1
                        || representative.subject == fact.subject)
                    && representative.same_value(fact)
            });
            match existing {
                Some(g) => {
                    groups[g].1.support.push(witness);
                    last_version[g] = d;
                }
                None => {
                    let g = groups.len();
                    for &key in value_keys.iter().chain(&context_keys) {
                        let list = index.entry(key).or_default();
                        // A fact may give one key twice (a stem repeated in its context).
                        if list.last() != Some(&g) {
                            list.push(g);
                        }
                    }
                    groups.push((
                        fact,
                        StoryFact {
                            id: String::new(),
                            kind: fact.kind,
                            text: fact.text.clone(),
                            value: fact.value_string(),
                            subject: fact.subject.clone(),
                            support: vec![witness],
                            dissent: Vec::new(),
                        },
                    ));
                    last_version.push(d);
                }
            }
        }
    }
    // A changed fact dissents from the first group that quotes the source's side of it.
    let mut quoted: HashMap<(usize, usize, &str), usize, Xxh3DefaultBuilder> = HashMap::default();
    for (g, (_, group)) in groups.iter().enumerate() {
        for w in &group.support {
            quoted
                .entry((w.document, w.sentence, w.text.as_str()))
                .or_insert(g);
        }
    }
    let mut dissent: Vec<(usize, FactWitness)> = Vec::new();
    for item in drift.iter().filter(|d| d.drift.kind == DriftKind::Changed) {
        let (Some(source), Some(version)) = (&item.drift.source, &item.drift.version) else {
            continue;
        };
        if let Some(&g) = quoted.get(&(item.against, source.sentence, source.text.as_str())) {
            dissent.push((
                g,
                FactWitness {
                    document: item.document,
                    sentence: version.sentence,
                    text: version.text.clone(),
                    value: version.value_string(),
                },
            ));
        }
    }
    drop(quoted);
    let mut groups: Vec<StoryFact> = groups.into_iter().map(|(_, group)| group).collect();
    for (g, witness) in dissent {
        groups[g].dissent.push(witness);
    }
    for (i, group) in groups.iter_mut().enumerate() {
        group.id = format!("f{}", i + 1);
    }
    groups
}

/// The versions in the order their facts are grouped: the original, then breadth first
/// down the lineage (children by story index), then the versions not reached from the
/// original (independent accounts and theirs) by story index.
fn lineage_order(
    n_versions: usize,
    original: usize,
    versions: &[provenance::Version],
) -> Vec<usize> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n_versions];
    for v in versions {
        if let Some(parent) = v.derived_from {
            children[parent].push(v.document);
        }
    }
    let mut placed = vec![false; n_versions];
    let mut order: Vec<usize> = vec![original];
    placed[original] = true;
    let mut i = 0;
    while i < order.len() {
        let mut next = std::mem::take(&mut children[order[i]]);
        next.sort_unstable();
        // Each version has one parent, so none is met twice; the check only guards the
        // walk against a lineage that is not a forest.
        next.retain(|&child| !std::mem::replace(&mut placed[child], true));
        order.extend(next);
        i += 1;
    }
    order.extend((0..n_versions).filter(|&d| !placed[d]));
    order
}

/// Keys under which a fact's group is found: two facts that [`consensus`] puts in one
/// group share at least one key of each kind. `value` keys come from the value where the
/// value decides: a person's or a role's surname key, an entity's key, the months a
/// date's period touches, a quote's words (none for figures, compared too loosely for a
/// key). `context` keys come from what grouping also asks for, the subject or a context
/// word in common. Keys are hashes: a collision only adds a group to compare.
fn match_keys(fact: &Fact, value: &mut Vec<u64>, context: &mut Vec<u64>) {
    use facts::FactValue;
    use facts::dates::Granularity;
    use xxhash_rust::xxh3::xxh3_64_with_seed;
    // The seed keeps kinds of fact and kinds of key apart.
    let seed = |tag: u64| ((fact.kind as u64) << 8) | tag;
    match &fact.value {
        FactValue::Person(person) => value.push(xxh3_64_with_seed(person.key.as_bytes(), seed(1))),
        FactValue::Role(person, _) => value.push(xxh3_64_with_seed(person.key.as_bytes(), seed(2))),
        FactValue::Entity(entity) => value.push(xxh3_64_with_seed(entity.key.as_bytes(), seed(3))),
        FactValue::Quote(words, _) => {
            // Half the smaller quote's words must be found in the other: one at least.
            value.extend(
                words
                    .iter()
                    .map(|w| xxh3_64_with_seed(w.as_bytes(), seed(4))),
            );
        }
        FactValue::Date(date) => {
            // Periods that overlap share a day, hence the month of that day. A period
            // ends no later than this many months after the month it starts in.
            let span: i64 = match date.granularity {
                Granularity::Day | Granularity::Week | Granularity::Month => 1,
                Granularity::Season => 3,
                Granularity::Year => 12,
                Granularity::Decade => 120,
            };
            let first = i64::from(date.start.year()) * 12 + i64::from(date.start.month()) - 1;
            value.extend(
                (first..=first + span)
                    .map(|month| xxh3_64_with_seed(&month.to_le_bytes(), seed(5))),
            );
        }
        FactValue::Number(_) | FactValue::Claim(_) => {}
    }
    context.push(xxh3_64_with_seed(fact.subject.as_bytes(), seed(6)));
    context.extend(
        fact.context
            .iter()
            .map(|stem| xxh3_64_with_seed(stem.as_bytes(), seed(7))),
    );
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
    /// Whether the sentence model read the two.
    pub sentence_model: bool,
}

impl Comparison {
    /// The learned verdict: the version is consistent with its source (its probability
    /// at or above the threshold chosen on dev data). The drift items found by the fact
    /// stage are among the model's features, not an override of it.
    pub fn consistent(&self) -> bool {
        self.consistency.is_consistent()
    }

    /// The verdict's grounds in words: the facts changed or added when there are any, else
    /// the sentences the source does not support with the words it lacks, else that no
    /// fact was changed or added.
    pub fn consistency_reason(&self) -> String {
        let changed = self
            .drift
            .iter()
            .filter(|d| matches!(d.kind, DriftKind::Changed | DriftKind::Added))
            .count();
        if changed > 0 {
            return format!(
                "{changed} {} changed or added",
                if changed == 1 { "fact" } else { "facts" }
            );
        }
        let unsupported: Vec<String> = self
            .consistency
            .sentences
            .iter()
            .filter(|s| s.verdict != "supported" && !s.words.is_empty())
            .take(2)
            .map(|s| {
                let words: Vec<String> = s.words.iter().take(4).map(|w| format!("“{w}”")).collect();
                format!("sentence [{}] ({})", s.sentence, words.join(", "))
            })
            .collect();
        if self.consistent() || unsupported.is_empty() {
            if self.consistent() {
                "no fact changed or added".to_string()
            } else {
                "the version's sentences are not clearly supported by the source".to_string()
            }
        } else {
            format!("not supported by the source: {}", unsupported.join("; "))
        }
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
    // The words-only consistency model judges with or without the sentence model: the
    // variant that reads its cosine (`models/consistency-embed.json`) is no better on the
    // held-out domains (BENCHMARKS.md, the dev table).
    let consistency = consistency::judge(source, version, &pair.links, &drift, None);
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
        sentence_model: vectors.is_some(),
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

/// Analyses stories whose documents are fetched when the story's turn comes, for corpora
/// too large to hold: memory holds one batch of stories at a time, not the corpus.
///
/// `stories` are (id, members) in the order results are wanted; `load` turns a story's
/// members (whatever the caller's indices mean: offsets in a file, rows of a table) into
/// its documents, and the story is analysed as a corpus of those documents alone, so its
/// indices point into what `load` returned. `finish` turns each result into what `sink`
/// receives (a serialised line, say) while the documents are still at hand. Stories are
/// analysed in parallel a batch at a time (as many whole stories as fit in
/// `batch_documents` documents, at least one) and handed to `sink` in the order of
/// `stories`, so the output does not depend on the number of threads. The first error of
/// `load` or `sink` stops the work and is returned.
///
/// A reorder buffer fed by stories finished in any order would keep every thread busy
/// past the end of a batch, but holds an unbounded number of results behind one slow
/// story; batches bound memory by `batch_documents` or the largest story, and lose only
/// the tail of each batch.
pub fn analyze_stories_batched<T: Send, E: Send>(
    stories: &[(String, Vec<usize>)],
    batch_documents: usize,
    config: &AnalyzeConfig,
    load: impl Fn(&[usize]) -> Result<Vec<Document>, E> + Sync,
    finish: impl Fn(&StoryAnalysis, &[Document]) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let mut start = 0;
    while start < stories.len() {
        let mut end = start + 1;
        let mut n_documents = stories[start].1.len();
        while end < stories.len() && n_documents + stories[end].1.len() <= batch_documents {
            n_documents += stories[end].1.len();
            end += 1;
        }
        let results: Vec<Result<T, E>> = stories[start..end]
            .par_iter()
            .map(|(id, members)| {
                let documents = load(members)?;
                let local: Vec<usize> = (0..documents.len()).collect();
                let analysis = analyze_story(id.clone(), &documents, &local, config);
                Ok(finish(&analysis, &documents))
            })
            .collect();
        for result in results {
            sink(result?)?;
        }
        start = end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The grouping as first written: every fact compared with every group. The indexed
    /// [`consensus`] must give exactly its output.
    fn consensus_by_scan(
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
                    w.document == item.against
                        && w.sentence == source.sentence
                        && w.text == source.text
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

    /// A deterministic generator, so the story is the same on every run.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    const NAMES: &[&str] = &[
        "Anna Petrova",
        "Pavel Zaretsky",
        "Mara Quell",
        "Tomas Brink",
        "Ilse Varga",
        "Omar Haddad",
    ];
    const ROLES: &[&str] = &["Interior Minister", "mayor", "governor", "police chief"];
    const PLACES: &[&str] = &["Belozar", "Marvenna", "Kestrel", "Dunmore", "Velling"];
    const MONTHS: &[&str] = &["January", "March", "August", "October"];
    const DAYS: &[&str] = &["Monday", "Tuesday", "Thursday", "Friday"];

    /// A sentence with a date, figures, a place, a person with a role or a quote.
    fn sentence(random: &mut Random) -> String {
        let name = random.pick(NAMES);
        match random.below(5) {
            0 => format!(
                "At least {} people were hurt in {} on {}, the {} {name} said.",
                3 + random.below(60),
                random.pick(PLACES),
                random.pick(DAYS),
                random.pick(ROLES),
            ),
            1 => format!(
                "Repairs in {} will cost about ${}m and should end in {} {}.",
                random.pick(PLACES),
                5 + random.below(300),
                random.pick(MONTHS),
                2020 + random.below(8),
            ),
            2 => format!(
                "\"We will rebuild every {} street by {},\" {name} told reporters.",
                random.pick(PLACES),
                random.pick(MONTHS),
            ),
            3 => format!(
                "Turnout in {} rose to {}% from {}% in {}.",
                random.pick(PLACES),
                30 + random.below(60),
                20 + random.below(60),
                2010 + random.below(15),
            ),
            _ => format!(
                "{name}, the {} of {}, visited {} homes in the 2000s.",
                random.pick(ROLES),
                random.pick(PLACES),
                10 + random.below(900),
            ),
        }
    }

    #[test]
    fn indexed_consensus_equals_the_scan_over_every_group() {
        let mut random = Random(0x5eed_0fac_7000);
        let lead: Vec<String> = (0..40).map(|_| sentence(&mut random)).collect();
        // Versions that keep most of the lead's sentences, change some and add their
        // own: many facts shared, many of one version only.
        let corpus: Vec<Document> = (0..30)
            .map(|v| {
                let mut sentences: Vec<String> = Vec::new();
                for lead_sentence in &lead {
                    match random.below(12) {
                        0 => {}
                        1 | 2 => sentences.push(sentence(&mut random)),
                        _ => sentences.push(lead_sentence.clone()),
                    }
                }
                sentences.extend((0..random.below(8)).map(|_| sentence(&mut random)));
                let id = format!("v{v:03}");
                crate::corpus::document_from_text(&id, &id, &sentences.join("\n\n"))
                    .expect("a document")
            })
            .collect();
        let members: Vec<usize> = (0..corpus.len()).collect();
        let story = analyze_story("s1".into(), &corpus, &members, &AnalyzeConfig::default());
        let n_facts: usize = story.facts.iter().map(Vec::len).sum();
        assert!(n_facts > 1000, "{n_facts} facts");
        assert!(
            story
                .drift
                .iter()
                .any(|d| d.drift.kind == DriftKind::Changed),
            "some changed facts, for the dissent"
        );
        // The story's documents are the corpus in id order, so story and corpus indices
        // coincide.
        assert_eq!(story.documents, members);
        let versions: Vec<provenance::Version> = story
            .versions
            .iter()
            .map(|v| provenance::Version {
                document: v.document,
                derived_from: v.derived_from,
                derivation: v.derivation,
                summary: v.summary,
                confidence: v.confidence,
            })
            .collect();
        let expected = consensus_by_scan(
            &members,
            story.original,
            &versions,
            &story.facts,
            &story.drift,
        );
        assert!(expected.iter().any(|f| f.support.len() > 1));
        assert!(expected.iter().any(|f| !f.dissent.is_empty()));
        assert_eq!(story.consensus.len(), expected.len());
        for (found, expected) in story.consensus.iter().zip(&expected) {
            assert_eq!(found, expected);
        }
    }
}
