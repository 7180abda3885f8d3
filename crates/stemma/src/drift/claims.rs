//! Claims: version sentences that say what their source does not.
//!
//! Facts catch a changed figure or an invented name. A rewrite can also join true pieces
//! into a false statement: "City lost 2-1 at the Etihad" when the source has them lose at
//! Selhurst Park, "Simeone hailed Simeone". Every name and number of such a sentence is in
//! the source; what the source lacks is the connection.
//!
//! A version sentence that draws on the source — at least [`MIN_SHARED`] of its content
//! words are in its *passage*, the [`PASSAGE`] source sentences that share the most with
//! it — is held against that passage:
//!
//! - each pair of neighbouring content words of the sentence must stand within [`WINDOW`]
//!   content words of each other somewhere in the passage (in either order: a rewrite may
//!   turn a sentence round);
//! - each content word (careful: each name and figure) must occur somewhere in the source.
//!
//! Content words are compared as [`features::word_key`]s (stems mapped through the synonym
//! groups) or, for long names, by consonant skeleton, so inflection, the listed synonyms,
//! case and transliteration are no difference. A sentence with a word the source never
//! uses, or whose unsupported pairs reach [`MAX_UNSUPPORTED`] of its pairs, is an added
//! claim — unless another document outside the version's line supports it. A sentence that
//! shares little with the source is new material rather than a statement about it: its
//! facts are checked as facts, and it is not reported here.
//!
//! Word-level support cannot tell a faithful rewording from an invention, so the default
//! check, [`ClaimCheck::Careful`], counts only names, figures and calendar names as words
//! the source lacks, and judges connections only in sentences that keep the source's
//! phrasing ([`MIN_PHRASES`]);
//! [`ClaimCheck::Strict`] holds every sentence and every word, for extractive summaries
//! and machine output. Paraphrases and independent accounts are never checked here
//! ([`checkable`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::collate::features::{self, name_key};
use crate::drift::{Drift, DriftKind};
use crate::facts::entities::find_listed;
use crate::facts::{EntityMention, Fact, FactKind, FactValue, dates};
use crate::model::Document;
use crate::provenance::Derivation;
use crate::segment::tokens::{is_stop_word, stem};
use crate::segment::{Token, TokenKind, tokenize};

/// Share of a sentence's content words its passage must hold for the sentence to be a
/// statement about the source.
pub const MIN_SHARED: f32 = 0.3;
/// How far apart (in content words) two words may stand in the passage and still be
/// connected there.
pub const WINDOW: usize = 2;
/// How many source sentences make a passage: a summary sentence often joins two or three.
pub const PASSAGE: usize = 3;
/// Share of unsupported word pairs from which a sentence is a claim of its own.
pub const MAX_UNSUPPORTED: f32 = 0.3;
/// Careful checking judges connections only in sentences that keep at least this share of
/// their word trigrams from the source: within copied phrasing a new connection is an
/// error, while a reworded sentence ("the ongoing war", "the delegation") is new wording,
/// not a new claim.
pub const MIN_PHRASES: f32 = 0.5;
/// Sentences with fewer content words make no claim worth checking.
const MIN_WORDS: usize = 3;

/// How version statements are held against the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClaimCheck {
    /// Not at all: only facts are compared.
    Off,
    /// Names, figures and calendar names the source never gives, and, in sentences that
    /// keep the source's phrasing, connections it never makes. Few false alarms on
    /// reworded summaries.
    #[default]
    Careful,
    /// Every sentence drawing on the source, and any content word the source never uses:
    /// for extractive summaries and machine output, where a new word is a new claim. Flags
    /// reworded text that is faithful.
    Strict,
}

/// Words that carry no claim of their own: the "per cent" of a figure, contractions'
/// remains, and the placeholders of tokenised model output ("UNK" for a word the model
/// could not produce, Penn Treebank bracket escapes).
const NOT_CONTENT: &[&str] = &[
    "percent", "cent", "n't", "unk", "lrb", "rrb", "lsb", "rsb", "lcb", "rcb",
];

/// One content word: its matching key, its name skeleton, and the word as written.
#[derive(Debug, Clone)]
struct Word {
    /// Byte offset of the word's token in its sentence.
    start: usize,
    /// A name or a figure, whose absence from the source is a claim by itself.
    anchor: bool,
    key: String,
    skeleton: String,
    text: String,
}

/// The content words of a sentence in order, repeats next to each other kept once; words
/// inside `dates` are left out, and words inside `people` are no anchors (the fact check
/// judges both).
fn content_words(
    tokens: &[Token],
    dates: &[(usize, usize)],
    people: &[(usize, usize)],
) -> Vec<Word> {
    let tokens: Vec<&Token> = tokens
        .iter()
        .filter(|t| !dates.iter().any(|&(a, b)| (a..b).contains(&t.start)))
        .collect();
    let mut words: Vec<Word> = Vec::new();
    let mut push = |start: usize, key: String, skeleton: String, text: &str, anchor: bool| {
        if words.last().is_none_or(|w| w.key != key) {
            words.push(Word {
                start,
                anchor,
                key,
                skeleton,
                text: text.to_string(),
            });
        }
    };
    for (i, token) in tokens.iter().enumerate() {
        let lower = bare_word(&token.lower);
        if token.stop || is_stop_word(lower) || NOT_CONTENT.contains(&lower) {
            continue;
        }
        // An age: "the 27-year-old" is "Bueno, 27".
        let after_number = i > 0 && tokens[i - 1].kind == TokenKind::Number;
        if after_number && matches!(lower, "year" | "years")
            || lower == "old" && i > 1 && tokens[i - 2].kind == TokenKind::Number
        {
            continue;
        }
        if token.kind == TokenKind::Number {
            // "$12,500" and "$ 12,500", "£446million" and "£ 446 million", "17%" and "17
            // per cent": the figure, then its unit as a word.
            let figure: String = lower
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let unit: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
            push(token.start, figure.clone(), figure, &token.text, true);
            if !unit.is_empty() {
                let unit = scale_word(&unit);
                push(
                    token.start,
                    features::word_key(&stem(unit)),
                    unit.to_string(),
                    &token.text,
                    false,
                );
            }
            continue;
        }
        if lower.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            continue;
        }
        let unit = scale_word(lower);
        // Weekdays and months are anchors whatever their case: a lower-cased "saturday"
        // the source never gives is a date it never gives (dates that resolve are left to
        // the date check above; these are the ones without a publication date to resolve).
        let name = ((token.kind == TokenKind::Name && i > 0) || dates::is_calendar_name(lower))
            && !people.iter().any(|&(a, b)| (a..b).contains(&token.start));
        push(
            token.start,
            features::word_key(&stem(unit)),
            name_key(unit),
            &token.text,
            name,
        );
    }
    words
}

/// A lower-cased word without a possessive: "Sydney's" and tokenised "sydney 's" are one
/// word.
fn bare_word(lower: &str) -> &str {
    let lower = lower.trim_start_matches(['\'', '\u{2019}']);
    ["'s", "\u{2019}s"]
        .iter()
        .find_map(|s| lower.strip_suffix(s))
        .unwrap_or(lower)
}

/// The word trigrams of a sentence's tokens, lower case, possessives split off as
/// tokenised text writes them.
fn trigrams(tokens: &[Token]) -> Vec<[String; 3]> {
    let words: Vec<String> = tokens
        .iter()
        .map(|t| bare_word(&t.lower).to_string())
        .collect();
    words
        .windows(3)
        .map(|w| [w[0].clone(), w[1].clone(), w[2].clone()])
        .collect()
}

/// The written-out form of a scale suffix: "m" is "million", "bn" "billion".
fn scale_word(word: &str) -> &str {
    match word {
        "k" => "thousand",
        "m" | "mn" | "mln" => "million",
        "b" | "bn" | "bln" => "billion",
        "tn" | "trn" => "trillion",
        other => other,
    }
}

/// A document prepared as a source of support.
pub(crate) struct Source<'a> {
    sentences: Vec<(usize, &'a str, Vec<Word>)>,
    keys: HashSet<String>,
    skeletons: HashSet<String>,
    /// Word trigrams, for how closely a sentence keeps the source's phrasing.
    trigrams: HashSet<[String; 3]>,
    /// The listed places and organisations the source names (by key), each with the
    /// content words of the first form it writes: "united states" with the words of "US".
    entity_forms: HashMap<String, Vec<Word>>,
}

impl<'a> Source<'a> {
    fn new(document: &'a Document) -> Source<'a> {
        let mut trigram_set = HashSet::new();
        let mut entity_forms: HashMap<String, Vec<Word>> = HashMap::new();
        let sentences: Vec<(usize, &str, Vec<Word>)> = document
            .body_sentences()
            .map(|(i, s)| {
                let tokens = tokenize(&s.text);
                trigram_set.extend(trigrams(&tokens));
                let words = content_words(&tokens, &[], &[]);
                for entity in find_listed(&s.text) {
                    let form: Vec<Word> = words
                        .iter()
                        .filter(|w| (entity.start..entity.end).contains(&w.start))
                        .cloned()
                        .collect();
                    if !form.is_empty() {
                        entity_forms.entry(entity.key).or_insert(form);
                    }
                }
                (i, s.text.as_str(), words)
            })
            .collect();
        let keys = sentences
            .iter()
            .flat_map(|(_, _, w)| w.iter().map(|w| w.key.clone()))
            .collect();
        let skeletons = sentences
            .iter()
            .flat_map(|(_, _, w)| w.iter().map(|w| w.skeleton.clone()))
            .collect();
        Source {
            sentences,
            keys,
            skeletons,
            trigrams: trigram_set,
            entity_forms,
        }
    }

    /// Share of a sentence's word trigrams found in the source.
    fn phrase_share(&self, tokens: &[Token]) -> f32 {
        let grams = trigrams(tokens);
        if grams.is_empty() {
            return 0.0;
        }
        let found = grams.iter().filter(|g| self.trigrams.contains(*g)).count();
        found as f32 / grams.len() as f32
    }

    fn has(&self, word: &Word) -> bool {
        self.keys.contains(&word.key)
            || (word.skeleton.chars().count() >= 4 && self.skeletons.contains(&word.skeleton))
    }

    /// A sentence's words with each listed place or organisation of `entities` written
    /// as the source writes it ("United States" as "US"), so that another form of an
    /// entity the source names is neither an unknown word nor a new connection.
    fn in_own_forms<'w>(&self, words: &'w [Word], entities: &[EntityMention]) -> Cow<'w, [Word]> {
        let forms: Vec<(&EntityMention, &Vec<Word>)> = entities
            .iter()
            .filter_map(|e| self.entity_forms.get(&e.key).map(|form| (e, form)))
            .collect();
        if forms.is_empty() {
            return Cow::Borrowed(words);
        }
        let mut written: Vec<Word> = Vec::with_capacity(words.len());
        for word in words {
            match forms
                .iter()
                .find(|(e, _)| (e.start..e.end).contains(&word.start))
            {
                Some((entity, form)) => {
                    if written.last().is_none_or(|w| w.start < entity.start) {
                        written.extend(form.iter().map(|w| Word {
                            start: entity.start,
                            anchor: word.anchor,
                            ..w.clone()
                        }));
                    }
                }
                None => written.push(word.clone()),
            }
        }
        Cow::Owned(written)
    }

    /// How a sentence fares against this source; `None` when it draws too little on it.
    /// `entities` are the listed places and organisations of the sentence.
    fn check(
        &self,
        words: &[Word],
        entities: &[EntityMention],
        check: ClaimCheck,
    ) -> Option<Verdict<'a>> {
        let words = self.in_own_forms(words, entities);
        let words = words.as_ref();
        let keys: HashSet<&str> = words.iter().map(|w| w.key.as_str()).collect();
        let shared = |s: &[Word]| {
            let mut seen = HashSet::new();
            s.iter()
                .filter(|w| keys.contains(w.key.as_str()) && seen.insert(w.key.as_str()))
                .count()
        };
        // The passage: the sentences sharing the most, earlier first on ties.
        let mut ranked: Vec<(usize, usize)> = self
            .sentences
            .iter()
            .enumerate()
            .map(|(i, (_, _, s))| (shared(s), i))
            .filter(|(n, _)| *n > 0)
            .collect();
        ranked.sort_by_key(|&(n, i)| (std::cmp::Reverse(n), i));
        ranked.truncate(PASSAGE);
        let passage: Vec<&(usize, &str, Vec<Word>)> =
            ranked.iter().map(|&(_, i)| &self.sentences[i]).collect();
        let in_passage: HashSet<&str> = passage
            .iter()
            .flat_map(|(_, _, s)| s.iter().map(|w| w.key.as_str()))
            .collect();
        let covered = keys.iter().filter(|k| in_passage.contains(*k)).count();
        if (covered as f32) < MIN_SHARED * keys.len() as f32 {
            return None;
        }
        let mut near: HashSet<(&str, &str)> = HashSet::new();
        for (_, _, s) in &passage {
            for (i, a) in s.iter().enumerate() {
                for b in s.iter().skip(i + 1).take(WINDOW) {
                    near.insert((&a.key, &b.key));
                    near.insert((&b.key, &a.key));
                }
            }
        }
        let pairs: Vec<(&Word, &Word)> = words.iter().zip(words.iter().skip(1)).collect();
        // Careful: a word the source never uses is rewording, and so are its connections.
        let judged = |w: &Word| check == ClaimCheck::Strict || self.has(w);
        let pairs: Vec<(&Word, &Word)> = pairs
            .into_iter()
            .filter(|(a, b)| judged(a) && judged(b))
            .collect();
        let unsupported: Vec<(&Word, &Word)> = pairs
            .iter()
            .filter(|(a, b)| !near.contains(&(a.key.as_str(), b.key.as_str())))
            .copied()
            .collect();
        let unknown: Vec<&Word> = words
            .iter()
            .filter(|w| !self.has(w) && (check == ClaimCheck::Strict || w.anchor))
            .collect();
        Some(Verdict {
            unknown: unknown.into_iter().map(|w| w.text.clone()).collect(),
            unsupported: unsupported
                .into_iter()
                .map(|(a, b)| (a.text.clone(), b.text.clone()))
                .collect(),
            pairs: pairs.len(),
            closest: passage.first().map(|(i, text, _)| (*i, *text)),
        })
    }
}

/// What a source makes of one version sentence.
struct Verdict<'a> {
    /// Words the source never uses.
    unknown: Vec<String>,
    /// Neighbouring words the passage does not connect.
    unsupported: Vec<(String, String)>,
    pairs: usize,
    /// The passage's best sentence (index, text).
    closest: Option<(usize, &'a str)>,
}

impl Verdict<'_> {
    /// The verdict with its connections left unjudged unless `judged`.
    fn connections_judged(self, judged: bool) -> Self {
        if judged {
            self
        } else {
            Verdict {
                unsupported: Vec::new(),
                pairs: 0,
                ..self
            }
        }
    }

    fn supports(&self) -> bool {
        self.unknown.is_empty()
            && (self.pairs < 2
                || (self.unsupported.len() as f32) < MAX_UNSUPPORTED * self.pairs as f32)
    }
}

/// Whether a version made this way keeps enough of its source's words for its statements
/// to be held against the source word by word: copies, edits, summaries, expansions and
/// partial reuse do; a paraphrase rewords every sentence by design (its facts are still
/// checked), and an independent account is held against the original for changed facts
/// only.
pub fn checkable(derivation: Derivation) -> bool {
    !matches!(
        derivation,
        Derivation::Paraphrase | Derivation::Independent | Derivation::Original
    )
}

/// The documents of a story prepared, each once and only when first needed, as sources of
/// support for claims.
pub struct Supports<'a> {
    documents: Vec<&'a Document>,
    sources: Vec<OnceLock<Source<'a>>>,
}

impl<'a> Supports<'a> {
    /// Support from these documents (indices follow the slice).
    pub fn new(documents: &[&'a Document]) -> Supports<'a> {
        Supports {
            documents: documents.to_vec(),
            sources: documents.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    fn source(&self, index: usize) -> &Source<'a> {
        self.sources[index].get_or_init(|| Source::new(self.documents[index]))
    }
}

/// The statements of `version` that the document `parent` of `supports` does not support
/// and none of the documents `others` supports either; `version_facts` are the version's
/// facts (its dates, people and titles are left to the fact check). Sentences listed in
/// `skip` (already holding a changed or added fact) are not checked again.
pub fn unsupported_claims(
    supports: &Supports,
    parent: usize,
    version: &Document,
    version_facts: &[Fact],
    others: &[usize],
    skip: &[usize],
    check: ClaimCheck,
) -> Vec<Drift> {
    if check == ClaimCheck::Off {
        return Vec::new();
    }
    let parent_source = supports.source(parent);
    let mut claims = Vec::new();
    for (index, sentence) in version.body_sentences() {
        if skip.contains(&index) {
            continue;
        }
        // Dates are judged as facts, by value ("on Wednesday" may be "on 15 October"), and so
        // are people and their titles ("Sergeant Major" is "Srg Maj"): their words are no
        // unknown names here, though they still take part in connections.
        let spans = |kinds: &[FactKind]| -> Vec<(usize, usize)> {
            version_facts
                .iter()
                .filter(|f| f.sentence == index && kinds.contains(&f.kind))
                .map(|f| f.span)
                .collect()
        };
        let tokens = tokenize(&sentence.text);
        let words = content_words(
            &tokens,
            &spans(&[FactKind::Date]),
            &spans(&[FactKind::Person, FactKind::Role]),
        );
        if words.len() < MIN_WORDS {
            continue;
        }
        // Careful: connections are judged only where the sentence keeps the source's
        // phrasing; names, figures and calendar names the source lacks, everywhere.
        let phrased =
            check == ClaimCheck::Strict || parent_source.phrase_share(&tokens) >= MIN_PHRASES;
        let entities = find_listed(&sentence.text);
        let Some(verdict) = parent_source
            .check(&words, &entities, check)
            .map(|v| v.connections_judged(phrased))
        else {
            continue;
        };
        if verdict.supports()
            || others.iter().any(|&other| {
                supports
                    .source(other)
                    .check(&words, &entities, check)
                    .is_some_and(|v| v.connections_judged(phrased).supports())
            })
        {
            continue;
        }
        claims.push(claim(index, &sentence.text, &verdict));
    }
    claims
}

fn claim(index: usize, text: &str, verdict: &Verdict) -> Drift {
    let mut words: Vec<String> = verdict.unknown.clone();
    for (a, b) in &verdict.unsupported {
        for w in [a, b] {
            if !words.contains(w) {
                words.push(w.clone());
            }
        }
    }
    let reason = match (verdict.unknown.first(), verdict.unsupported.first()) {
        (Some(word), _) => format!("the source never says “{word}”"),
        (None, Some((a, b))) => format!("the source never connects “{a}” with “{b}”"),
        (None, None) => "the source does not say this".to_string(),
    };
    let closest = verdict
        .closest
        .map(|(_, text)| format!("; closest: “{}”", shorten(text, 120)))
        .unwrap_or_default();
    let fact = Fact {
        kind: FactKind::Claim,
        sentence: index,
        span: (0, text.len()),
        text: text.to_string(),
        value: FactValue::Claim(words),
        subject: String::new(),
        context: Vec::new(),
    };
    Drift {
        kind: DriftKind::Added,
        fact_kind: FactKind::Claim,
        explanation: format!("a statement the source does not support: {reason}{closest}"),
        source: None,
        version: Some(fact),
        severity: 0.6,
        confidence: 1.0,
    }
}

/// The first `max` characters of `text`, cut at a word, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::document_from_text;

    fn doc(id: &str, text: &str) -> Document {
        document_from_text(id, "test", text).expect("a document")
    }

    const SOURCE: &str = "Crystal Palace beat Manchester City 2-1 at Selhurst Park on Monday night. \
        City had won at the Etihad a week earlier. Carlo Ancelotti hailed Diego Simeone as one \
        of the best coaches in the world.";

    fn claims(version: &str, check: ClaimCheck) -> Vec<String> {
        let source = doc("s", SOURCE);
        let supports = Supports::new(&[&source]);
        unsupported_claims(&supports, 0, &doc("v", version), &[], &[], &[], check)
            .into_iter()
            .map(|d| d.version.map(|f| f.text).unwrap_or_default())
            .collect()
    }

    #[test]
    fn faithful_sentences_are_supported() {
        for check in [ClaimCheck::Careful, ClaimCheck::Strict] {
            let v = "Palace beat Manchester City 2-1 at Selhurst Park on Monday.";
            assert!(claims(v, check).is_empty());
            // Lower-cased, tokenised, turned round, inflected: still the same statement.
            let v =
                "diego simeone was hailed by carlo ancelotti as one of the world 's best coaches .";
            assert!(claims(v, check).is_empty());
        }
    }

    #[test]
    fn joined_pieces_are_a_claim() {
        let v = "Carlo Ancelotti won at Selhurst Park a week earlier.";
        assert_eq!(claims(v, ClaimCheck::Strict), [v]);
        // Reworded too far for the careful check to judge.
        assert!(claims(v, ClaimCheck::Careful).is_empty());
    }

    #[test]
    fn unknown_names_and_figures_are_a_claim() {
        let v = "Crystal Palace beat Manchester City 2-1 at Selhurst Park on Tuesday.";
        assert_eq!(claims(v, ClaimCheck::Careful), [v]);
        let v = "Crystal Palace beat Manchester City 3-1 at Selhurst Park on Monday night.";
        assert_eq!(claims(v, ClaimCheck::Careful), [v]);
    }

    #[test]
    fn new_ordinary_words_are_a_claim_only_when_strict() {
        let v = "Crystal Palace beat Manchester City 2-1 at Selhurst Park on Monday night, a famous result.";
        assert!(claims(v, ClaimCheck::Careful).is_empty());
        assert_eq!(claims(v, ClaimCheck::Strict), [v]);
        assert!(claims(v, ClaimCheck::Off).is_empty());
    }

    #[test]
    fn another_form_of_a_listed_entity_is_no_claim() {
        let source = doc(
            "s",
            "Officials from the US and the UK met UN envoys in Geneva on Monday. The EU and \
             Nato sent observers to the talks.",
        );
        let claims = |version: &str| -> Vec<String> {
            let supports = Supports::new(&[&source]);
            unsupported_claims(
                &supports,
                0,
                &doc("v", version),
                &[],
                &[],
                &[],
                ClaimCheck::Strict,
            )
            .into_iter()
            .map(|d| d.version.map(|f| f.text).unwrap_or_default())
            .collect()
        };
        let v = "Officials from the United States and Britain met United Nations envoys in \
                 Geneva on Monday. The European Union and NATO sent observers to the talks.";
        assert!(claims(v).is_empty(), "{:?}", claims(v));
        let v = "Officials from France and the UK met UN envoys in Geneva on Monday.";
        assert_eq!(claims(v), [v]);
    }

    #[test]
    fn new_material_is_not_a_claim() {
        let v = "The weather in the north was mild and dry all week.";
        assert!(claims(v, ClaimCheck::Strict).is_empty());
    }

    #[test]
    fn another_document_can_support_a_statement() {
        let v = doc(
            "v",
            "Crystal Palace beat Manchester City 2-1 at Selhurst Park on Tuesday.",
        );
        let other = doc(
            "o",
            "On Tuesday Crystal Palace beat Manchester City 2-1 at Selhurst Park.",
        );
        let source = doc("s", SOURCE);
        let supports = Supports::new(&[&source, &other]);
        let found = unsupported_claims(&supports, 0, &v, &[], &[1], &[], ClaimCheck::Careful);
        assert!(found.is_empty(), "{found:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Any text held against any text, in every mode: no panic, and every claim
        /// quotes a sentence of the version.
        #[test]
        fn any_text_never_panics(
            source in proptest::collection::vec(proptest::sample::select(WORDS.to_vec()), 0..60),
            version in proptest::collection::vec(proptest::sample::select(WORDS.to_vec()), 0..60),
        ) {
            let source = source.join(" ");
            let version = version.join(" ");
            let (Ok(source), Ok(version)) = (
                document_from_text("s", "test", &source),
                document_from_text("v", "test", &version),
            ) else {
                return Ok(());
            };
            let supports = Supports::new(&[&source, &version]);
            for check in [ClaimCheck::Careful, ClaimCheck::Strict, ClaimCheck::Off] {
                for item in unsupported_claims(&supports, 0, &version, &[], &[1], &[], check) {
                    let fact = item.version.expect("a claim quotes the version");
                    proptest::prop_assert_eq!(&version.sentences[fact.sentence].text, &fact.text);
                }
            }
        }
    }

    const WORDS: &[&str] = &[
        "The", "dam", "burst", "Belozar", "on", "Monday", "monday", ".", ",", "14", "$1.5bn", "£",
        "3-1", "'s", "’s", "n't", "UNK", "-lrb-", "people", "killed", "said", "é", "日本", "🙂",
        "\"", "year-old", "27", "per", "cent", "17%", "\n\n", "Sergeant", "Major", " . ",
    ];
}
