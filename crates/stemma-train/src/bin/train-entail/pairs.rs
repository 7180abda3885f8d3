//! Labelled (source passage, version sentence) pairs for the entailment model, built from
//! the development data: SummEdits' edited summaries, FRANK's faithful summaries, and edits
//! made here to BBC articles. Everything is deterministic for a seed.

use std::collections::{HashMap, HashSet};

use stemma::segment::{TokenKind, split_sentences, tokenize};

use crate::data::{BbcArticle, SummEdit};

/// Label indices, in the order of `stemma::collate::entail::LABELS`.
pub const SUPPORTED: usize = 0;
/// A detail of the sentence contradicts the passage.
pub const CHANGED: usize = 1;
/// The sentence says something the passage does not.
pub const UNSUPPORTED: usize = 2;

/// One training or evaluation pair.
#[derive(Debug, Clone)]
pub struct Pair {
    pub passage: String,
    pub sentence: String,
    pub label: usize,
    /// `summedits`, `frank` or `bbc`.
    pub source: &'static str,
}

/// SplitMix64, as in the library's initialiser: seeded and the same everywhere.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// A stable hash of a string (FNV-1a), for splits that must not move when the data's order
/// does.
pub fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The sentences of a document: paragraphs (line breaks) split by stemma's segmenter.
pub fn sentences_of(text: &str) -> Vec<String> {
    text.split('\n')
        .filter(|paragraph| !paragraph.trim().is_empty())
        .flat_map(split_sentences)
        .filter(|sentence| sentence.chars().any(char::is_alphanumeric))
        .collect()
}

/// A FRANK summary's sentences: its text is tokenised and lower-cased, so " . " ends a
/// sentence and the segmenter, which looks for capitals, would not split it.
pub fn frank_sentences(summary: &str) -> Vec<String> {
    summary
        .split(" . ")
        .map(|sentence| sentence.trim().trim_end_matches(" .").trim())
        .filter(|sentence| sentence.chars().any(char::is_alphanumeric))
        .map(|sentence| format!("{sentence} ."))
        .collect()
}

/// Content stems of a sentence: stop words dropped.
pub fn content_stems(sentence: &str) -> Vec<String> {
    tokenize(sentence)
        .into_iter()
        .filter(|token| !token.stop)
        .map(|token| token.stem)
        .collect()
}

/// A document ready for passage retrieval: its sentences, their content stems, and the
/// inverse document frequency of each stem over the sentences.
pub struct Retriever {
    pub sentences: Vec<String>,
    stems: Vec<HashSet<String>>,
    idf: HashMap<String, f32>,
}

/// Sentences in a passage at most; the pair's token cap cuts long ones anyway.
const PASSAGE_SENTENCES: usize = 3;

impl Retriever {
    pub fn new(sentences: Vec<String>) -> Retriever {
        let stems: Vec<HashSet<String>> = sentences
            .iter()
            .map(|sentence| content_stems(sentence).into_iter().collect())
            .collect();
        let mut df: HashMap<String, usize> = HashMap::new();
        for set in &stems {
            for stem in set {
                *df.entry(stem.clone()).or_default() += 1;
            }
        }
        let n = sentences.len() as f32;
        let idf = df
            .into_iter()
            .map(|(stem, count)| (stem, (1.0 + n / count as f32).ln()))
            .collect();
        Retriever {
            sentences,
            stems,
            idf,
        }
    }

    /// The passage for `sentence`: the (up to) three document sentences sharing the most
    /// idf-weighted content stems with it, in document order; `skip` is left out. A sentence
    /// that shares nothing gets the document's first sentence, so every pair has a passage.
    pub fn passage(&self, sentence: &str, skip: Option<usize>) -> String {
        let query: HashSet<String> = content_stems(sentence).into_iter().collect();
        let mut scored: Vec<(f32, usize)> = self
            .stems
            .iter()
            .enumerate()
            .filter(|(index, _)| Some(*index) != skip)
            .map(|(index, stems)| {
                let shared: f32 = query
                    .intersection(stems)
                    .map(|stem| self.idf.get(stem).copied().unwrap_or(0.0))
                    .sum();
                // A mild length penalty, so a run-on transcript sentence that mentions
                // everything does not win every query.
                (shared / (1.0 + stems.len() as f32).powf(0.25), index)
            })
            .filter(|(score, _)| *score > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut chosen: Vec<usize> = scored
            .iter()
            .take(PASSAGE_SENTENCES)
            .map(|&(_, index)| index)
            .collect();
        if chosen.is_empty() {
            chosen.extend((0..self.sentences.len()).find(|&index| Some(index) != skip));
        }
        chosen.sort_unstable();
        chosen
            .iter()
            .map(|&index| self.sentences[index].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Which SummEdits records are held out: whole domains, chosen before any result was seen,
/// so the figures measure transfer to a kind of text the model never trained on.
pub const HELD_OUT_DOMAINS: [&str; 2] = ["ectsum", "qmsumm"];

/// Where a record or article goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Trained on.
    Train,
    /// Not trained on; used to choose the summary-level threshold.
    Calibrate,
    /// Not trained on, not used for any choice: the reported figures.
    HeldOut,
}

/// The seed summary a SummEdits record was edited from: its id without the last part.
fn summedits_group(record: &SummEdit) -> &str {
    record
        .id
        .rsplit_once('_')
        .map_or(record.id.as_str(), |(group, _)| group)
}

/// Held-out domains whole; of the others, one seed group in seven (by a hash of its id)
/// calibrates.
pub fn summedits_split(record: &SummEdit) -> Split {
    if HELD_OUT_DOMAINS.contains(&record.domain.as_str()) {
        Split::HeldOut
    } else if stable_hash(summedits_group(record)).is_multiple_of(7) {
        Split::Calibrate
    } else {
        Split::Train
    }
}

/// FRANK by article: a quarter of the articles (hash starting 0–3) held out, one in seven of
/// the rest calibrates.
pub fn frank_split(hash: &str) -> Split {
    if hash.starts_with(['0', '1', '2', '3']) {
        Split::HeldOut
    } else if stable_hash(hash).is_multiple_of(7) {
        Split::Calibrate
    } else {
        Split::Train
    }
}

/// The label of an edited sentence of an inconsistent SummEdits summary: an inserted
/// hallucinated fact is unsupported; an entity, antonym or negation edit changed a detail.
/// When a record has both, the sentence that gained three or more new content stems over
/// its closest original sentence took the insertion.
fn edited_label(record: &SummEdit, sentence: &str, original: &[String]) -> usize {
    let hallucinated = record
        .edit_types
        .iter()
        .any(|edit| edit.contains("hallucinated"));
    if !hallucinated {
        return CHANGED;
    }
    if record.edit_types.len() == 1 {
        return UNSUPPORTED;
    }
    let stems: HashSet<String> = content_stems(sentence).into_iter().collect();
    let fewest_new = original
        .iter()
        .map(|original_sentence| {
            let known: HashSet<String> = content_stems(original_sentence).into_iter().collect();
            stems.difference(&known).count()
        })
        .min()
        .unwrap_or(stems.len());
    if fewest_new >= 3 {
        UNSUPPORTED
    } else {
        CHANGED
    }
}

/// Pairs from SummEdits records: each summary sentence with its passage; a sentence not in
/// the seed summary of an inconsistent record is changed or unsupported, every other
/// sentence supported. Inconsistent records where no sentence differs (the segmenter split
/// the two summaries differently) are skipped.
pub fn summedits_pairs(records: &[&SummEdit]) -> Vec<Pair> {
    let mut retrievers: HashMap<&str, Retriever> = HashMap::new();
    let mut pairs = Vec::new();
    for record in records {
        let retriever = retrievers
            .entry(record.doc.as_str())
            .or_insert_with(|| Retriever::new(sentences_of(&record.doc)));
        let sentences = sentences_of(&record.summary);
        let original = sentences_of(&record.original_summary);
        let original_set: HashSet<&str> = original.iter().map(String::as_str).collect();
        let edited: Vec<bool> = sentences
            .iter()
            .map(|sentence| !original_set.contains(sentence.as_str()))
            .collect();
        if record.label == 0 && !edited.contains(&true) {
            continue;
        }
        for (sentence, is_edited) in sentences.iter().zip(edited) {
            let label = if record.label == 0 && is_edited {
                edited_label(record, sentence, &original)
            } else {
                SUPPORTED
            };
            pairs.push(Pair {
                passage: retriever.passage(sentence, None),
                sentence: sentence.clone(),
                label,
                source: "summedits",
            });
        }
    }
    pairs
}

/// Pairs from FRANK summaries judged factual throughout: every sentence supported. FRANK's
/// inconsistent summaries name no sentence, and their error types are mostly of kinds
/// (grammar, coreference, discourse) that are no fault of one sentence, so they are left to
/// the evaluation.
pub fn frank_pairs(records: &[(&str, &str)]) -> Vec<Pair> {
    let mut retrievers: HashMap<&str, Retriever> = HashMap::new();
    let mut pairs = Vec::new();
    for (article, summary) in records {
        let retriever = retrievers
            .entry(article)
            .or_insert_with(|| Retriever::new(sentences_of(article)));
        for sentence in frank_sentences(summary) {
            pairs.push(Pair {
                passage: retriever.passage(&sentence, None),
                sentence,
                label: SUPPORTED,
                source: "frank",
            });
        }
    }
    pairs
}

const NEGATABLE: [(&str, &str); 12] = [
    (" is ", " is not "),
    (" was ", " was not "),
    (" are ", " are not "),
    (" were ", " were not "),
    (" will ", " will not "),
    (" has ", " has not "),
    (" have ", " have not "),
    (" had ", " had not "),
    (" can ", " cannot "),
    (" would ", " would not "),
    (" could ", " could not "),
    (" should ", " should not "),
];

const ANTONYMS: [(&str, &str); 30] = [
    ("rise", "fall"),
    ("rose", "fell"),
    ("risen", "fallen"),
    ("rising", "falling"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("up", "down"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("won", "lost"),
    ("win", "lose"),
    ("gained", "lost"),
    ("strong", "weak"),
    ("stronger", "weaker"),
    ("before", "after"),
    ("first", "last"),
    ("best", "worst"),
    ("biggest", "smallest"),
    ("largest", "smallest"),
    ("good", "bad"),
    ("profit", "loss"),
    ("profits", "losses"),
    ("accepted", "rejected"),
    ("approved", "rejected"),
    ("support", "oppose"),
    ("supported", "opposed"),
    ("agreed", "refused"),
    ("allowed", "banned"),
    ("early", "late"),
    ("success", "failure"),
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Without "May", which is more often the verb.
const MONTHS: [&str; 11] = [
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Replaces the whole word `from` (first occurrence) by `to`, keeping a capital.
fn replace_word(sentence: &str, from: &str, to: &str) -> Option<String> {
    let lower = sentence.to_lowercase();
    let is_boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    let mut search = 0;
    while let Some(found) = lower[search..].find(from) {
        let start = search + found;
        let end = start + from.len();
        if is_boundary(lower[..start].chars().next_back())
            && is_boundary(lower[end..].chars().next())
            && sentence.is_char_boundary(start)
            && sentence.is_char_boundary(end)
        {
            let original = &sentence[start..end];
            let to = if original.starts_with(char::is_uppercase) {
                let mut chars = to.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_uppercase().collect::<String>() + chars.as_str()
                })
            } else {
                to.to_owned()
            };
            return Some(format!("{}{to}{}", &sentence[..start], &sentence[end..]));
        }
        search = end;
    }
    None
}

/// The sentence with one number changed: to another number of the article of the same
/// shape when there is one, else scaled.
fn swap_number(sentence: &str, article_numbers: &[String], rng: &mut Rng) -> Option<String> {
    let tokens = tokenize(sentence);
    let numbers: Vec<_> = tokens
        .iter()
        .filter(|token| token.kind == TokenKind::Number)
        .collect();
    if numbers.is_empty() {
        return None;
    }
    let token = numbers[rng.below(numbers.len())];
    let shape = |text: &str| {
        (
            text.ends_with('%'),
            text.starts_with(|c: char| !c.is_numeric()),
        )
    };
    let others: Vec<&String> = article_numbers
        .iter()
        .filter(|number| **number != token.text && shape(number) == shape(&token.text))
        .collect();
    let replacement = if let Some(&other) = others.get(rng.below(others.len().max(1))) {
        other.clone()
    } else {
        // No other figure in the article: change the leading digits of this one.
        let digits: String = token.text.chars().filter(char::is_ascii_digit).collect();
        let value: u64 = digits.parse().ok()?;
        let changed = match value {
            1900..=2030 => value + 1 + rng.below(3) as u64,
            0..=9 => value + 2 + rng.below(5) as u64,
            _ => value * 2 + rng.below(10) as u64,
        };
        token.text.replacen(&digits, &changed.to_string(), 1)
    };
    let end = token.start + token.text.len();
    Some(format!(
        "{}{replacement}{}",
        &sentence[..token.start],
        &sentence[end..]
    ))
}

/// The sentence with one name replaced by another name of the article.
fn swap_name(sentence: &str, article_names: &[String], rng: &mut Rng) -> Option<String> {
    let tokens = tokenize(sentence);
    // Not the first token: a capital there marks the sentence, not a name.
    let names: Vec<_> = tokens
        .iter()
        .skip(1)
        .filter(|token| token.kind == TokenKind::Name && token.text.len() > 2)
        .collect();
    if names.is_empty() {
        return None;
    }
    let token = names[rng.below(names.len())];
    let in_sentence: HashSet<&str> = tokens.iter().map(|token| token.text.as_str()).collect();
    let others: Vec<&String> = article_names
        .iter()
        .filter(|name| !in_sentence.contains(name.as_str()))
        .collect();
    let other = others.get(rng.below(others.len().max(1)))?;
    let end = token.start + token.text.len();
    Some(format!(
        "{}{other}{}",
        &sentence[..token.start],
        &sentence[end..]
    ))
}

/// The sentence with a weekday or month moved.
fn swap_date(sentence: &str, rng: &mut Rng) -> Option<String> {
    for list in [&WEEKDAYS[..], &MONTHS[..]] {
        if let Some(index) = list
            .iter()
            .position(|word| replace_word(sentence, &word.to_lowercase(), "x").is_some())
        {
            let other = list[(index + 1 + rng.below(list.len() - 1)) % list.len()];
            return replace_word(sentence, &list[index].to_lowercase(), other);
        }
    }
    None
}

/// The sentence negated, or its negation removed.
fn negate(sentence: &str) -> Option<String> {
    for (positive, negative) in NEGATABLE {
        if sentence.contains(negative) {
            return Some(sentence.replacen(negative, positive, 1));
        }
    }
    for contraction in ["n't ", " not "] {
        if let Some(found) = sentence.find(contraction) {
            let without = if contraction == " not " {
                format!("{} {}", &sentence[..found], &sentence[found + 5..])
            } else {
                let word_start = sentence[..found].rfind(' ').map_or(0, |space| space + 1);
                let stem = match &sentence[word_start..found] {
                    "wo" => "will",
                    "ca" => "can",
                    other => other,
                };
                format!(
                    "{}{stem} {}",
                    &sentence[..word_start],
                    &sentence[found + 4..]
                )
            };
            return Some(without);
        }
    }
    NEGATABLE
        .iter()
        .find(|(positive, _)| sentence.contains(positive))
        .map(|(positive, negative)| sentence.replacen(positive, negative, 1))
}

/// The sentence with one word turned into its opposite.
fn antonym(sentence: &str) -> Option<String> {
    ANTONYMS
        .iter()
        .find_map(|(a, b)| replace_word(sentence, a, b).or_else(|| replace_word(sentence, b, a)))
}

/// A sentence worth editing: long enough to carry a fact, short enough to be one.
fn usable(sentence: &str) -> bool {
    let words = sentence.split_whitespace().count();
    (8..=45).contains(&words)
}

/// Synthetic pairs from BBC articles, three or four per article: a sentence of the article
/// (or its first clauses) against its own passage is supported; the same sentence with a
/// figure, name, day or month swapped for another from the article, negated, or turned
/// into its opposite is changed; and a sentence from another article of the same section,
/// or one from this article held against a passage that leaves it out, is unsupported.
pub fn bbc_pairs(articles: &[&BbcArticle], rng: &mut Rng) -> Vec<Pair> {
    let bodies: Vec<Vec<String>> = articles
        .iter()
        .map(|article| sentences_of(&article.body.replace("\n\n", "\n")))
        .collect();
    let mut by_category: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, article) in articles.iter().enumerate() {
        by_category
            .entry(article.category.as_str())
            .or_default()
            .push(index);
    }
    let mut pairs = Vec::new();
    for (article_idx, article) in articles.iter().enumerate() {
        let sentences = &bodies[article_idx];
        let candidates: Vec<usize> = (0..sentences.len())
            .filter(|&index| usable(&sentences[index]))
            .collect();
        if candidates.len() < 3 {
            continue;
        }
        let retriever = Retriever::new(sentences.clone());
        let mut numbers = Vec::new();
        let mut names = Vec::new();
        for sentence in sentences {
            for (position, token) in tokenize(sentence).into_iter().enumerate() {
                match token.kind {
                    TokenKind::Number => numbers.push(token.text),
                    TokenKind::Name if position > 0 && token.text.len() > 2 => {
                        names.push(token.text)
                    }
                    _ => {}
                }
            }
        }
        numbers.sort();
        numbers.dedup();
        names.sort();
        names.dedup();
        let mut push = |passage: String, sentence: String, label: usize| {
            pairs.push(Pair {
                passage,
                sentence,
                label,
                source: "bbc",
            });
        };

        // Supported: a sentence as written, or cut after a comma (saying less is no fault).
        let target = &sentences[candidates[rng.below(candidates.len())]];
        let version = match target.rfind(", ") {
            Some(comma) if rng.chance(0.4) && target[..comma].split_whitespace().count() >= 6 => {
                format!("{}.", &target[..comma])
            }
            _ => target.clone(),
        };
        push(retriever.passage(&version, None), version, SUPPORTED);

        // Changed: up to two edits of other sentences, of kinds in random order.
        for _ in 0..2 {
            let target = &sentences[candidates[rng.below(candidates.len())]];
            let mut kinds = [0, 1, 2, 3, 4];
            rng.shuffle(&mut kinds);
            let edited = kinds.iter().find_map(|kind| match kind {
                0 => swap_number(target, &numbers, rng),
                1 => swap_name(target, &names, rng),
                2 => swap_date(target, rng),
                3 => negate(target),
                _ => antonym(target),
            });
            if let Some(edited) = edited.filter(|edited| edited != target) {
                push(retriever.passage(&edited, None), edited, CHANGED);
            }
        }

        // Unsupported: half from another article of the section, half a sentence of this
        // article held against a passage without it.
        let (passage, sentence) = if rng.chance(0.5) {
            let same_section = &by_category[article.category.as_str()];
            let other_idx = same_section[rng.below(same_section.len())];
            let other: Vec<&String> = bodies[other_idx]
                .iter()
                .filter(|sentence| usable(sentence))
                .collect();
            if other_idx == article_idx || other.is_empty() {
                continue;
            }
            let sentence = other[rng.below(other.len())].clone();
            (retriever.passage(&sentence, None), sentence)
        } else {
            let index = candidates[rng.below(candidates.len())];
            let sentence = sentences[index].clone();
            (retriever.passage(&sentence, Some(index)), sentence)
        };
        push(passage, sentence, UNSUPPORTED);
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_change_one_detail() {
        assert_eq!(
            negate("The plant will close in May."),
            Some("The plant will not close in May.".into())
        );
        assert_eq!(
            negate("The plant will not close."),
            Some("The plant will close.".into())
        );
        assert_eq!(
            antonym("Profits rose by 5%."),
            Some("Profits fell by 5%.".into())
        );
        let mut rng = Rng(1);
        let swapped = swap_number(
            "Sales were 26 million.",
            &["26".into(), "31".into()],
            &mut rng,
        );
        assert_eq!(swapped, Some("Sales were 31 million.".into()));
        let moved = swap_date("They met on Monday in London.", &mut rng).unwrap();
        assert!(
            !moved.contains("Monday") && moved.ends_with("day in London."),
            "{moved}"
        );
    }

    #[test]
    fn passage_prefers_shared_rare_words() {
        let retriever = Retriever::new(vec![
            "The weather was fine.".into(),
            "Shares in Acme rose 5% on Monday.".into(),
            "The weather in London was wet.".into(),
        ]);
        assert!(
            retriever
                .passage("Acme shares gained on Monday.", None)
                .starts_with("Shares in Acme")
        );
        assert_eq!(
            frank_sentences("a b , c . d e . f"),
            ["a b , c .", "d e .", "f ."]
        );
    }
}
