//! Sentence pairs: a sentence and its paraphrase, the same sentence with one detail
//! changed, and an unrelated sentence of the same article or category that shares words
//! with it.

use super::EditKind;
use super::SentencePairExample;
use super::articles::Library;
use super::edit::{ArticleFacts, edit_sentence};
use super::reword::{Strength, reword};
use super::rng::Rng;
use super::text::{content_words, shared, word_count};

/// The edits a "changed" pair may carry: one detail of the sentence.
const DETAIL_EDITS: &[EditKind] = &[
    EditKind::EntitySwap,
    EditKind::NumberChange,
    EditKind::DateMove,
    EditKind::Negation,
    EditKind::Antonym,
    EditKind::RoleChange,
];

/// One pair of each label from article `index`, in random order, or nothing when no
/// sentence of the article gives all three (so the labels stay balanced).
pub fn triple(
    library: &Library,
    index: usize,
    facts: &ArticleFacts,
    rng: &mut Rng,
) -> Vec<SentencePairExample> {
    let sentences = library.articles[index].sentences();
    let mut order: Vec<usize> = (0..sentences.len())
        .filter(|&i| (6..=45).contains(&word_count(&sentences[i])))
        .collect();
    rng.shuffle(&mut order);
    for i in order.into_iter().take(6) {
        let sentence = &sentences[i];
        let Some(paraphrase) = paraphrase(sentence, rng) else {
            continue;
        };
        let Some(changed) = changed(sentence, facts, rng) else {
            continue;
        };
        let Some(unrelated) = unrelated(library, index, i, rng) else {
            continue;
        };
        let mut pairs: Vec<SentencePairExample> = [
            (paraphrase, "paraphrase"),
            (changed, "changed"),
            (unrelated, "unrelated"),
        ]
        .into_iter()
        .map(|(other, label)| {
            let (a, b) = if rng.chance(0.5) {
                (sentence.clone(), other)
            } else {
                (other, sentence.clone())
            };
            SentencePairExample { a, b, label }
        })
        .collect();
        rng.shuffle(&mut pairs);
        return pairs;
    }
    Vec::new()
}

/// A rewording that differs from the sentence; a third of them light, as many real
/// paraphrase pairs differ by a word or two.
fn paraphrase(sentence: &str, rng: &mut Rng) -> Option<String> {
    let strength = if rng.chance(0.3) {
        Strength::Light
    } else {
        Strength::Full
    };
    (0..3)
        .map(|_| reword(sentence, strength, rng))
        .find(|new| new != sentence)
}

/// The sentence, as it is or reworded, with one detail changed.
fn changed(sentence: &str, facts: &ArticleFacts, rng: &mut Rng) -> Option<String> {
    let base = if rng.chance(0.5) {
        sentence.to_string()
    } else {
        reword(sentence, Strength::Full, rng)
    };
    let mut kinds = DETAIL_EDITS.to_vec();
    rng.shuffle(&mut kinds);
    kinds
        .into_iter()
        .find_map(|kind| edit_sentence(kind, &base, facts, rng))
        .map(|change| change.sentence)
        .filter(|new| new != sentence)
}

/// A sentence about something else that shares words with sentence `i`: from the same
/// article, or from a few others of its category, picked among the closest few.
fn unrelated(library: &Library, index: usize, i: usize, rng: &mut Rng) -> Option<String> {
    let sentences = library.articles[index].sentences();
    let own = content_words(&sentences[i]);
    // Half the time from the same article, half from others of its category: a sentence
    // of the same article is the harder negative, but articles restate their lead, so
    // a negative must share at most a third of its words to count as unrelated.
    let mut pool: Vec<String> = Vec::new();
    if rng.chance(0.5) {
        pool.extend(
            sentences
                .iter()
                .enumerate()
                .filter(|&(j, _)| j.abs_diff(i) > 1)
                .map(|(_, s)| s.clone()),
        );
    }
    for other in library.others(index, 3, rng) {
        pool.extend(library.articles[other].sentences());
    }
    let mut scored: Vec<(usize, String)> = pool
        .into_iter()
        .filter(|s| word_count(s) >= 6)
        .filter_map(|s| {
            let words = content_words(&s);
            let common = shared(&own, &words);
            let smaller = own.len().min(words.len()).max(1);
            (common * 3 <= smaller).then_some((common, s))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(3);
    rng.pick(&scored).map(|(_, s)| s.clone())
}
