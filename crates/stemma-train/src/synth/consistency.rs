//! Consistency examples: a summary of an article, left faithful or given one or two
//! edits that change or invent a fact.

use super::articles::{Library, join};
use super::edit::{ArticleFacts, Change, edit_sentence};
use super::reword::{Strength, reword};
use super::rng::Rng;
use super::text::{content_words, has_quote, shared, word_count};
use super::{ConsistencyExample, Edit, EditKind};

/// An edit made to the summary, by the index of the sentence in the summary as built.
struct Made {
    kind: EditKind,
    position: usize,
    change: Change,
}

/// One consistency example from article `index`, or `None` when the article is too short
/// or an edited sentence cannot be found again in the version as the library splits it.
pub fn example(
    library: &Library,
    index: usize,
    facts: &ArticleFacts,
    rng: &mut Rng,
) -> Option<ConsistencyExample> {
    let article = &library.articles[index];
    let source_text = article.document.as_ref()?.text.clone();
    let sentences = article.sentences();
    let n = sentences.len();
    if n < 2 {
        return None;
    }
    let picked: Vec<usize> = if n < 6 || rng.chance(0.5) {
        (0..rng.between(2, 5).min(n)).collect()
    } else {
        let mut rest: Vec<usize> = (1..n).collect();
        rng.shuffle(&mut rest);
        let mut picked: Vec<usize> = rest[..rng.between(2, 4)].to_vec();
        picked.push(0);
        picked.sort_unstable();
        picked
    };
    let style = rng.below(3);
    let mut version: Vec<String> = picked
        .iter()
        .map(|&i| match style {
            0 => sentences[i].clone(),
            1 if rng.chance(0.5) => reword(&sentences[i], Strength::Light, rng),
            1 => sentences[i].clone(),
            _ => reword(&sentences[i], Strength::Full, rng),
        })
        .collect();

    let mut made: Vec<Made> = Vec::new();
    if rng.chance(0.5) {
        let wanted = if rng.chance(0.7) { 1 } else { 2 };
        let mut kinds = EditKind::ALL.to_vec();
        rng.shuffle(&mut kinds);
        for kind in kinds {
            if made.len() == wanted {
                break;
            }
            if let Some(edit) = apply(kind, &mut version, &made, library, index, facts, rng) {
                if kind == EditKind::ForeignSentence {
                    for earlier in &mut made {
                        if earlier.position >= edit.position {
                            earlier.position += 1;
                        }
                    }
                }
                made.push(edit);
            }
        }
    }

    let paragraphs = if version.len() >= 4 && rng.chance(0.4) {
        let middle = version.len() / 2;
        vec![version[..middle].to_vec(), version[middle..].to_vec()]
    } else {
        vec![version.clone()]
    };
    let text = join(&paragraphs);
    let document = stemma::corpus::document_from_text("version", "version", &text).ok()?;
    let mut edits = Vec::new();
    for edit in made {
        let sentence = locate(
            &document,
            &version[edit.position],
            &edit.change.after,
            edit.position,
        )?;
        edits.push(Edit {
            kind: edit.kind,
            sentence,
            before: edit.change.before,
            after: edit.change.after,
        });
    }
    edits.sort_by_key(|e| e.sentence);
    Some(ConsistencyExample {
        source: source_text,
        version: text,
        consistent: edits.is_empty(),
        edits,
    })
}

/// Applies one edit of `kind` to a sentence of `version` not yet edited (or, for a
/// foreign sentence, inserts one), or `None` when no sentence allows it.
fn apply(
    kind: EditKind,
    version: &mut Vec<String>,
    made: &[Made],
    library: &Library,
    index: usize,
    facts: &ArticleFacts,
    rng: &mut Rng,
) -> Option<Made> {
    if kind == EditKind::ForeignSentence {
        let sentence = foreign_sentence(library, index, version, facts, rng)?;
        let position = rng.between(1, version.len());
        version.insert(position, sentence.clone());
        return Some(Made {
            kind,
            position,
            change: Change {
                sentence: sentence.clone(),
                before: String::new(),
                after: sentence,
            },
        });
    }
    let mut order: Vec<usize> = (0..version.len())
        .filter(|&i| made.iter().all(|m| m.position != i))
        .collect();
    rng.shuffle(&mut order);
    for position in order {
        if let Some(change) = edit_sentence(kind, &version[position], facts, rng)
            && change.sentence != version[position]
            && !facts.text_lower.contains(&change.sentence.to_lowercase())
        {
            version[position] = change.sentence.clone();
            return Some(Made {
                kind,
                position,
                change,
            });
        }
    }
    None
}

/// A sentence of another article of the category that says something this article does
/// not (a name or number it lacks), preferring one that shares words with the summary,
/// as an inserted sentence that looks at home would.
fn foreign_sentence(
    library: &Library,
    index: usize,
    version: &[String],
    facts: &ArticleFacts,
    rng: &mut Rng,
) -> Option<String> {
    let own = content_words(&version.join(" "));
    let mut best: Option<(usize, String)> = None;
    for other in library.others(index, 3, rng) {
        for sentence in library.articles[other].sentences() {
            if !(8..=40).contains(&word_count(&sentence))
                || has_quote(&sentence)
                || !says_something_new(&sentence, facts)
            {
                continue;
            }
            let score = shared(&own, &content_words(&sentence));
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, sentence));
            }
        }
    }
    best.map(|(_, sentence)| sentence)
}

/// Whether a sentence has a capitalised word or a number that the article lacks.
fn says_something_new(sentence: &str, facts: &ArticleFacts) -> bool {
    super::text::words(sentence)
        .into_iter()
        .skip(1)
        .map(|range| &sentence[range])
        .filter(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
        .any(|w| !facts.text_lower.contains(&w.to_lowercase()))
}

/// The index in `document` of the sentence built as `built`, found by the words the edit
/// put there; the nearest to `near` when several fit.
pub fn locate(
    document: &stemma::model::Document,
    built: &str,
    after: &str,
    near: usize,
) -> Option<usize> {
    document
        .sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.text.contains(after) && (built.contains(s.text.as_str()) || s.text.contains(built))
        })
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(near))
}
