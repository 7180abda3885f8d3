//! The lexicon of capitalised words that people and entities share: which words are
//! never names (function words, openers, months, weekdays), British spellings and the
//! American ones keys use, the listed places and organisations with their aliases ("US",
//! "U.S.", "America" and "United States" are one entity), the cues that mark a span as a
//! place or an organisation, and whether a sentence is a headline in title case or in
//! capitals.
//!
//! [`people`](super::people), [`roles`](super::roles) and [`entities`](super::entities)
//! read it; it reads none of them. The vocabularies are data files under `data/`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::tokens::Token;

/// The curated list of common news places and organisations, each with its aliases.
const ENTITIES: &str = include_str!("data/entities.txt");
/// Suffixes, words, nouns and prepositions that cue places and organisations.
const ENTITY_CUES: &str = include_str!("data/entity_cues.txt");
/// British spellings and the American ones keys and values use.
const SPELLING: &str = include_str!("data/spelling.txt");
/// Capitalised words that are never part of a name.
const NOT_NAMES: &str = include_str!("data/not_names.txt");

/// Splits a vocabulary file of `data/` into `[section]`s of entries, without comments and
/// blanks; shared by every extractor, so all data files follow one format.
pub(super) fn parse_sections(source: &str) -> HashMap<&str, Vec<&str>> {
    let mut sections: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut current = "";
    for line in source.lines() {
        // "#" starts a comment only at the start of a line or after a space, so that an
        // entry may itself contain "#".
        let line = match line.find(" #") {
            Some(at) => &line[..at],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        }
        .trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim();
            continue;
        }
        sections.entry(current).or_default().push(line);
    }
    sections
}

/// Whether an entity is a place or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    /// A country, region, city, village, river, street... or a country's adjective.
    Place,
    /// A government body, company, party, armed force, agency, newspaper...
    Org,
}

/// A listed entity found in a sentence: the token past it, its kind and key.
pub(super) type Listed = (usize, EntityKind, &'static str);

/// A listed entity.
#[derive(Debug)]
pub(super) struct Known {
    /// Its words, lower case (acronyms keep their full stops: "u.s.").
    pub(super) words: Vec<String>,
    /// For each word written in capitals in the list, the exact form it must have.
    pub(super) exact: Vec<Option<String>>,
    pub(super) kind: EntityKind,
    /// The canonical name, lower case, without a leading "the".
    pub(super) key: String,
}

/// The vocabulary of the data files, parsed once.
pub(super) struct Lexicon {
    /// British spelling to American.
    spelling: WordMap<String, String>,
    /// Words that are never names (function words, openers, weekdays, holidays).
    not_names: WordSet<String>,
    /// Month names (never a name alone, but may end one: "Theresa May").
    months: WordSet<String>,
    pub(super) known: Vec<Known>,
    /// First word (lower case) to the listed entities starting with it, longest first.
    pub(super) by_first: WordMap<String, Vec<usize>>,
    pub(super) org_suffix: WordSet<String>,
    pub(super) place_suffix: WordSet<String>,
    pub(super) org_word: WordSet<String>,
    pub(super) org_noun: WordSet<String>,
    pub(super) place_noun: WordSet<String>,
    pub(super) possessive_place_noun: WordSet<String>,
    pub(super) place_preposition: WordSet<String>,
    pub(super) not_place_after: WordSet<String>,
    pub(super) motion_word: WordSet<String>,
    /// Acronyms that name no organisation, case-sensitive.
    pub(super) not_entity: WordSet<String>,
}

/// The lexicon, parsed on first use.
pub(super) static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);

impl Lexicon {
    fn load() -> Lexicon {
        let spelling: WordMap<String, String> = parse_sections(SPELLING)
            .get("spelling")
            .into_iter()
            .flatten()
            .filter_map(|line| line.split_once('='))
            .flat_map(|(american, british)| {
                let american = american.trim().to_string();
                british
                    .split_whitespace()
                    .map(move |word| (word.to_string(), american.clone()))
            })
            .collect();
        let not_name_sections = parse_sections(NOT_NAMES);
        let lower_set = |name: &str| -> WordSet<String> {
            not_name_sections
                .get(name)
                .into_iter()
                .flatten()
                .map(|s| s.to_lowercase())
                .collect()
        };
        let mut not_names = lower_set("word");
        not_names.extend(lower_set("weekday"));
        not_names.extend(lower_set("holiday"));
        let months = lower_set("month");
        let mut known = Vec::new();
        let sections = parse_sections(ENTITIES);
        for (section, kind) in [("place", EntityKind::Place), ("org", EntityKind::Org)] {
            for line in sections.get(section).into_iter().flatten() {
                let names: Vec<&str> = line.split('|').map(str::trim).collect();
                let Some(canonical) = names.first() else {
                    continue;
                };
                let key = canonical.to_lowercase();
                let key = key.strip_prefix("the ").unwrap_or(&key).to_string();
                for name in &names {
                    let parts: Vec<&str> = name.split_whitespace().collect();
                    if parts.is_empty() {
                        continue;
                    }
                    let words = parts
                        .iter()
                        .map(|p| {
                            let lower = p.to_lowercase();
                            // "St." is "st"; "U.S." keeps its full stops.
                            match lower.strip_suffix('.') {
                                Some(stem) if !stem.contains('.') => stem.to_string(),
                                _ => lower,
                            }
                        })
                        .collect();
                    let exact = parts
                        .iter()
                        .map(|p| {
                            let letters = p.chars().filter(|c| c.is_alphabetic()).count();
                            let capitals = p.chars().filter(|c| c.is_uppercase()).count();
                            (letters >= 2 && capitals == letters).then(|| p.to_string())
                        })
                        .collect();
                    known.push(Known {
                        words,
                        exact,
                        kind,
                        key: key.clone(),
                    });
                }
            }
        }
        let mut by_first: WordMap<String, Vec<usize>> = WordMap::default();
        for (index, entity) in known.iter().enumerate() {
            by_first
                .entry(entity.words[0].clone())
                .or_default()
                .push(index);
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|&i| std::cmp::Reverse(known[i].words.len()));
        }
        let cues = parse_sections(ENTITY_CUES);
        let set = |name: &str| -> WordSet<String> {
            cues.get(name)
                .into_iter()
                .flatten()
                .map(|s| s.to_lowercase())
                .collect()
        };
        Lexicon {
            spelling,
            not_names,
            months,
            by_first,
            known,
            org_suffix: set("org_suffix"),
            place_suffix: set("place_suffix"),
            org_word: set("org_word"),
            org_noun: set("org_noun"),
            place_noun: set("place_noun"),
            possessive_place_noun: set("possessive_place_noun"),
            place_preposition: set("place_preposition"),
            not_place_after: set("not_place_after"),
            motion_word: set("motion_word"),
            not_entity: cues
                .get("not_entity")
                .into_iter()
                .flatten()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// The listed entity that starts at token `index`: the token past it, its kind and
    /// key. Full stops right after a word are skipped ("St. Petersburg").
    pub(super) fn known_at(&'static self, tokens: &[Token], index: usize) -> Option<Listed> {
        let first = tokens.get(index).filter(|t| t.is_word())?;
        // Only listed names with a hyphen start in lower case ("al-Qaeda").
        if !first.capitalised() && !first.text.contains('-') {
            return None;
        }
        let first_lower = first.lower.as_ref();
        let first_lower = match first_lower.strip_suffix('.') {
            Some(stem) if !stem.contains('.') => stem,
            _ => first_lower,
        };
        let candidates = self.by_first.get(first_lower)?;
        'candidates: for &candidate in candidates {
            let entity = &self.known[candidate];
            // Written in lower case, only an alias that is itself lower case matches
            // ("al-Qaeda" may be "al-Qaeda"; "us" is not "US").
            let mut cursor = index;
            for (position, word) in entity.words.iter().enumerate() {
                if position > 0 {
                    // Skip a full stop glued to the previous word.
                    if tokens
                        .get(cursor)
                        .is_some_and(|t| t.is_punct('.') && !t.space_before)
                    {
                        cursor += 1;
                    }
                }
                let Some(token) = tokens.get(cursor).filter(|t| t.is_word()) else {
                    continue 'candidates;
                };
                if token.lower.as_ref() != word.as_str() {
                    continue 'candidates;
                }
                match &entity.exact[position] {
                    Some(exact) if token.text != exact.as_str() => continue 'candidates,
                    None if !token.capitalised() && !starts_lower(word) => continue 'candidates,
                    _ => {}
                }
                cursor += 1;
            }
            return Some((cursor, entity.kind, entity.key.as_str()));
        }
        None
    }
}

/// Whether a listed name begins in lower case ("al-Qaeda").
fn starts_lower(word: &str) -> bool {
    word.split('-').count() > 1 && word.chars().next().is_some_and(char::is_lowercase)
}

/// The key of the listed entity whose words open `words` (lower case, as in a role
/// value), and how many words it takes: "us" is "united states", "ukrainian" "ukraine".
pub(super) fn alias_key(words: &[&str]) -> Option<(usize, &'static str)> {
    let lexicon = &*LEXICON;
    let first = *words.first()?;
    for &candidate in lexicon.by_first.get(first)? {
        let entity = &lexicon.known[candidate];
        let length = entity.words.len();
        if length <= words.len()
            && entity
                .words
                .iter()
                .zip(words)
                .all(|(listed, word)| listed == word)
        {
            return Some((length, entity.key.as_str()));
        }
    }
    None
}

/// Whether a lower-case word ends organisations' names ("ministry", "times").
pub(super) fn is_org_suffix(word: &str) -> bool {
    LEXICON.org_suffix.contains(word)
}

/// Whether a lower-case word is found inside organisations' names ("national").
pub(super) fn is_org_word(word: &str) -> bool {
    LEXICON.org_word.contains(word)
}

/// Whether a lower-case word ends places' names ("valley", "street").
pub(super) fn is_place_suffix(word: &str) -> bool {
    LEXICON.place_suffix.contains(word)
}

/// Whether a lower-case word names what follows as an organisation ("utility", "firm").
pub(super) fn is_org_noun(word: &str) -> bool {
    LEXICON.org_noun.contains(word)
}

/// Whether a lower-case word is a preposition that cues a place ("in", "near").
pub(super) fn is_place_preposition(word: &str) -> bool {
    LEXICON.place_preposition.contains(word)
}

/// Whether a capitalised word can never be part of a person's name: an organisation
/// suffix or word ("University", "Service", "National").
pub(super) fn is_name_breaker(word: &str) -> bool {
    is_org_suffix(word) || is_org_word(word)
}

impl Lexicon {
    /// The American spelling of a lower-case word ("defence" is "defense").
    pub(super) fn unify<'w>(&'w self, word: &'w str) -> &'w str {
        self.spelling.get(word).map_or(word, String::as_str)
    }
}

/// The American spelling of a lower-case word ("defence" is "defense"): keys and values
/// of names, roles and entities use it.
pub(super) fn unify_spelling(word: &str) -> &str {
    LEXICON.unify(word)
}

/// Whether a lower-case word is never a name: a function word, opener, month, weekday.
pub(super) fn is_not_name(word: &str) -> bool {
    is_listed_not_name(word) || is_month(word)
}

/// Whether a lower-case word is listed as never a name (a function word, opener, weekday
/// or holiday); months are not, for they may end a name ("Theresa May").
pub(super) fn is_listed_not_name(word: &str) -> bool {
    LEXICON.not_names.contains(word)
}

/// Whether a lower-case word is a month's name.
pub(super) fn is_month(word: &str) -> bool {
    LEXICON.months.contains(word)
}

/// Whether the sentence is a headline in title case ("Everything We Know So Far": two
/// or more capitalised function words after the first word, or no lower-case word of three
/// letters or more among three or more capitalised ones), and whether it is written in
/// capitals. Names alone make neither: "Mohammed bin Salman met Recep Tayyip Erdogan".
pub(super) fn headline_case(tokens: &[Token]) -> (bool, bool) {
    let mut function_words = 0;
    let mut lower_case = 0;
    let mut capitalised = 0;
    let mut long = 0;
    let mut upper = 0;
    let mut first = true;
    for token in tokens {
        if !token.is_word() {
            continue;
        }
        if token.capitalised() {
            capitalised += 1;
            if !first && is_not_name(token.lower.as_ref()) {
                function_words += 1;
            }
            if token.text.len() >= 4 {
                long += 1;
                if token.acronym() {
                    upper += 1;
                }
            }
        } else if token.text.len() >= 3 && !token.has_digit() {
            lower_case += 1;
            if token.text.len() >= 4 {
                long += 1;
            }
        }
        first = false;
    }
    let title_case = function_words >= 2 || (lower_case == 0 && capitalised >= 3);
    let all_caps = long >= 3 && upper * 10 >= long * 7;
    (title_case, all_caps)
}

/// A fast hasher for the vocabulary's short word keys (the FxHash of rustc). The maps
/// are built from the checked-in data files and only looked up with input, so hash
/// flooding is no concern; SipHash was a quarter of the run time.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by vocabulary words.
pub(super) type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;
/// A set of vocabulary words.
pub(super) type WordSet<K> = HashSet<K, BuildHasherDefault<WordHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_loads() {
        let lexicon = &*LEXICON;
        assert!(lexicon.known.len() >= 300 && lexicon.org_suffix.len() >= 50);
        assert_eq!(alias_key(&["ukrainian", "president"]), Some((1, "ukraine")));
        assert_eq!(
            alias_key(&["united", "nations"]),
            Some((2, "united nations"))
        );
        assert_eq!(alias_key(&["us"]), Some((1, "united states")));
        assert_eq!(alias_key(&["president"]), None);
    }
}
