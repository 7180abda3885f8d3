//! The titles and offices people hold, and whether two roles of one person say the same
//! thing.
//!
//! A [`RoleMention`] is what [`find_people`](super::people::find_people) reads next to a
//! name. This module holds the vocabulary of titles — offices, ranks, head synonyms,
//! abbreviations and honorifics, rank modifiers and fillers (`data/roles.txt`,
//! `data/role_abbreviations.txt`, `data/rank_modifiers.txt`) — and [`roles_compatible`],
//! which is how drift tells that "Gov." and "Governor" agree while "Deputy Interior
//! Minister" and "Interior Minister" do not.
//!
//! # Rules
//!
//! - **Role values** are lower case, with abbreviations expanded ("Gov." is "governor"),
//!   spellings unified ("defence" is "defense", `data/spelling.txt`), articles, possessive
//!   marks and fillers ("top", "leading", `data/rank_modifiers.txt`) left out, and an
//!   anaphoric tail ("a spokesman for the service") dropped. A role that holds several
//!   titles lists them in text order, separated by ", ": "Army spokesman Col" is "army
//!   spokesman, colonel", and "Dr Nikolai Fedoseyev, a hydraulic engineer at Stolvar
//!   Technical University" has "doctor, hydraulic engineer at stolvar technical university".
//!   Synonyms keep their own words in the value ("spokesman"); compare roles with
//!   [`roles_compatible`], not `==`.
//! - **Titles** of a value are read greedily, longest head first; the words between two
//!   heads belong to the first as a tail when they open with a preposition, else to the
//!   second. Country adjectives and aliases in a title are read as the country ("Ukrainian
//!   President" and "President of Ukraine" have one qualifier, "ukraine").

use std::collections::HashMap;
use std::sync::LazyLock;

use super::lexicon::{WordMap, WordSet, alias_key, parse_sections, unify_spelling};
use super::tokens::Token;

/// Titles: offices, ranks, head synonyms, words that are titles only when capitalised,
/// and the lower-case qualifiers a bare title may carry.
const ROLES: &str = include_str!("data/roles.txt");
/// Abbreviated titles ("Gen", "Gov.") and honorifics ("Mr").
const ROLE_ABBREVIATIONS: &str = include_str!("data/role_abbreviations.txt");
/// Rank modifiers ("deputy", "former") and fillers ("top", "leading").
const RANK_MODIFIERS: &str = include_str!("data/rank_modifiers.txt");

/// A person's title or office as a sentence writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMention {
    /// Byte offset of the first character of the role in the sentence.
    pub start: usize,
    /// Byte offset just past the role. `sentence[start..end]` is [`RoleMention::text`],
    /// except for a role written on both sides of the name ("Col Oleg Marchuk, a
    /// spokesman"), whose span covers the name and whose text joins the two parts with
    /// ", ".
    pub end: usize,
    /// The role as written: "Deputy Interior Minister", "Col", "the special envoy to
    /// Ukraine".
    pub text: String,
    /// The role normalised: lower case, abbreviations expanded, spelling unified,
    /// articles and fillers left out, several titles separated by ", ": "deputy interior
    /// minister", "colonel", "special envoy to ukraine", "army spokesman, colonel".
    pub value: String,
    /// What the role is, the canonical head of its main title: "minister", "colonel",
    /// "envoy", "spokesperson" (for "spokesman"). An office wins over a rank ("Army
    /// spokesman Col" has the head "spokesperson").
    pub head: String,
}

/// Whether two roles of the same person say the same thing.
///
/// Each role is read as a list of titles (see the module rules), each title as a head,
/// rank modifiers and qualifiers. Two titles agree when their heads are the same or
/// synonyms ("spokesman" / "spokesperson"), their rank modifiers are the same ("deputy",
/// "former" = "ex", ...), and the qualifiers of one include those of the other, after
/// spelling is unified and country adjectives read as countries ("Defence Minister" /
/// "Defense Minister", "Army spokesman" / "spokesman", "US Army Secretary" / "Secretary",
/// "Ukrainian President" / "President"). Two roles are compatible when every title of the
/// one with fewer titles agrees with a different title of the other ("chief of staff
/// Gen" / "Gen"). Not compatible: "special envoy" / "ambassador", "minister" /
/// "secretary", "Deputy Interior Minister" / "Interior Minister", "Defence Minister" /
/// "Interior Minister", "Gen" / "Col".
pub fn roles_compatible(a: &RoleMention, b: &RoleMention) -> bool {
    let vocab = &*VOCAB;
    let titles_a = vocab.parse_value(&a.value);
    let titles_b = vocab.parse_value(&b.value);
    if titles_a.is_empty() || titles_b.is_empty() {
        return a.value == b.value;
    }
    // A rank and an office say different things, both of which may be true: "Dr Kuhar"
    // is also "Kuhar, executive director at the zoo"; "Gen George" the chief of staff.
    let all = |titles: &[Title], class: HeadClass| {
        titles
            .iter()
            .all(|t| vocab.heads.get(&t.head).copied() == Some(class))
    };
    if (all(&titles_a, HeadClass::Rank) && all(&titles_b, HeadClass::Office))
        || (all(&titles_a, HeadClass::Office) && all(&titles_b, HeadClass::Rank))
    {
        return true;
    }
    let (few, many) = if titles_a.len() <= titles_b.len() {
        (&titles_a, &titles_b)
    } else {
        (&titles_b, &titles_a)
    };
    let mut used = vec![false; many.len()];
    match_titles(few, many, &mut used)
}

/// Whether every title of `few` agrees with a different unused title of `many`
/// (backtracking; roles have a handful of titles at most).
fn match_titles(few: &[Title], many: &[Title], used: &mut [bool]) -> bool {
    let Some((first, rest)) = few.split_first() else {
        return true;
    };
    for (index, candidate) in many.iter().enumerate() {
        if !used[index] && first.agrees(candidate) {
            used[index] = true;
            if match_titles(rest, many, used) {
                return true;
            }
            used[index] = false;
        }
    }
    false
}

/// Whether a token is an abbreviated title or an honorific ("Gen", "Mr").
pub(super) fn is_title_token(token: &Token) -> bool {
    VOCAB.abbreviation(token).is_some() || VOCAB.is_honorific(token)
}

/// Whether a lower-case word is a single-word title head ("minister", "general").
pub(super) fn is_title_word(word: &str) -> bool {
    VOCAB.is_head_word(word)
}

/// Whether a lower-case word is a rank modifier or a filler ("former", "top").
pub(super) fn is_modifier_or_filler(word: &str) -> bool {
    VOCAB.is_modifier(word) || VOCAB.fillers.contains(word)
}

/// What a head names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeadClass {
    Office,
    Rank,
}

/// The vocabulary of the data files, parsed once.
pub(super) struct Vocab {
    /// Heads, single and multi-word (space-joined, spelling unified), to their class.
    pub(super) heads: WordMap<String, HeadClass>,
    /// The longest head, in words.
    pub(super) longest_head: usize,
    /// The last words of multi-word heads ("minister" of "prime minister").
    pub(super) multiword_last: WordSet<String>,
    /// The last words of all heads.
    pub(super) head_final: WordSet<String>,
    /// Heads that are titles only when capitalised or abbreviated.
    pub(super) capitalised_only: WordSet<String>,
    /// Heads that organisations and countries hold too ("owner", "leader").
    pub(super) shared_with_organisations: WordSet<String>,
    /// Head variants to canonical heads.
    pub(super) head_synonyms: WordMap<String, String>,
    /// Lower-case qualifiers a bare title may carry.
    pub(super) qualifiers: WordSet<String>,
    /// Abbreviations (case-sensitive, no full stop) to their expansion words.
    pub(super) abbreviations: WordMap<String, Vec<String>>,
    /// Honorifics, case-sensitive, no full stop.
    pub(super) honorifics: WordSet<String>,
    /// Rank modifiers to their canonical form.
    pub(super) modifiers: WordMap<String, String>,
    /// Modifiers written after the head inside a hyphenated word.
    pub(super) post_modifiers: WordSet<String>,
    /// Fillers, left out of values.
    pub(super) fillers: WordSet<String>,
}

pub(super) static VOCAB: LazyLock<Vocab> = LazyLock::new(Vocab::load);

/// Articles, left out of role values.
pub(super) const ARTICLES: &[&str] = &["the", "a", "an"];
/// Prepositions that open a role's tail ("envoy to Ukraine", "engineer at ...").
pub(super) const TAIL_PREPOSITIONS: &[&str] = &["of", "to", "for", "at", "in", "on"];
/// Words after an appositive that end it like punctuation ("..., a hydraulic engineer at
/// X who inspected").
pub(super) const APPOSITIVE_ENDERS: &[&str] = &["who", "whose", "which", "whom"];

impl Vocab {
    fn load() -> Vocab {
        let unify = |phrase: &str| -> String {
            phrase
                .split(|c: char| c.is_whitespace() || c == '-')
                .filter(|w| !w.is_empty())
                .map(|w| unify_spelling(&w.to_lowercase()).to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };

        let roles = parse_sections(ROLES);
        let list = |sections: &HashMap<&str, Vec<&str>>, name: &str| -> Vec<String> {
            sections
                .get(name)
                .into_iter()
                .flatten()
                .map(|entry| unify(entry))
                .collect()
        };
        let mut heads = WordMap::default();
        for head in list(&roles, "office") {
            heads.insert(head, HeadClass::Office);
        }
        for head in list(&roles, "rank") {
            heads.insert(head, HeadClass::Rank);
        }
        let mut head_synonyms = WordMap::default();
        for line in roles.get("synonym").into_iter().flatten() {
            let mut names = line.split('|').map(|name| unify(name.trim()));
            if let Some(canonical) = names.next() {
                for variant in names {
                    head_synonyms.insert(variant, canonical.clone());
                }
            }
        }
        let longest_head = heads
            .keys()
            .map(|h| h.split(' ').count())
            .max()
            .unwrap_or(1);

        let abbreviation_sections = parse_sections(ROLE_ABBREVIATIONS);
        let abbreviations = abbreviation_sections
            .get("abbreviation")
            .into_iter()
            .flatten()
            .filter_map(|line| line.split_once('='))
            .map(|(abbreviation, expansion)| {
                (
                    abbreviation.trim().to_string(),
                    unify(expansion).split(' ').map(str::to_string).collect(),
                )
            })
            .collect();
        let honorifics = abbreviation_sections
            .get("honorific")
            .into_iter()
            .flatten()
            .map(|s| s.to_string())
            .collect();

        let modifier_sections = parse_sections(RANK_MODIFIERS);
        let mut modifiers = WordMap::default();
        for line in modifier_sections.get("rank_modifier").into_iter().flatten() {
            let mut names = line.split('|').map(|name| unify(name.trim()));
            if let Some(canonical) = names.next() {
                modifiers.insert(canonical.clone(), canonical.clone());
                for variant in names {
                    modifiers.insert(variant, canonical.clone());
                }
            }
        }

        let multiword_last = heads
            .keys()
            .filter_map(|h| h.rsplit_once(' ').map(|(_, last)| last.to_string()))
            .collect();
        let head_final = heads
            .keys()
            .map(|h| h.rsplit(' ').next().unwrap_or(h).to_string())
            .collect();
        Vocab {
            heads,
            longest_head,
            multiword_last,
            head_final,
            capitalised_only: list(&roles, "capitalised_only").into_iter().collect(),
            shared_with_organisations: list(&roles, "shared_with_organisations")
                .into_iter()
                .collect(),
            head_synonyms,
            qualifiers: list(&roles, "qualifier").into_iter().collect(),
            abbreviations,
            honorifics,
            modifiers,
            post_modifiers: list(&modifier_sections, "post_modifier")
                .into_iter()
                .collect(),
            fillers: list(&modifier_sections, "filler").into_iter().collect(),
        }
    }

    /// The canonical form of a head ("spokesman" is "spokesperson").
    pub(super) fn canonical_head<'w>(&'w self, head: &'w str) -> &'w str {
        self.head_synonyms.get(head).map_or(head, String::as_str)
    }

    /// The expansion of an abbreviated title token ("Gen", "Gov"), case-sensitive.
    pub(super) fn abbreviation(&self, token: &Token) -> Option<&[String]> {
        if !token.is_word() {
            return None;
        }
        self.abbreviations.get(token.text).map(Vec::as_slice)
    }

    pub(super) fn is_honorific(&self, token: &Token) -> bool {
        token.is_word() && self.honorifics.contains(token.text)
    }

    pub(super) fn is_modifier(&self, word: &str) -> bool {
        self.modifiers.contains_key(word)
    }

    /// Whether a lower-case word is a single-word head.
    pub(super) fn is_head_word(&self, word: &str) -> bool {
        self.heads.contains_key(unify_spelling(word))
    }

    /// Splits value words into titles: greedy longest heads left to right; the words
    /// between two heads belong to the first as a tail when they open with a
    /// preposition, else to the second; a head that is also a rank modifier ("deputy",
    /// "chief") followed by another head before any preposition modifies it.
    pub(super) fn split_titles<'w>(&self, words: &[&'w str]) -> Vec<TitleWords<'w>> {
        let mut heads: Vec<(usize, usize)> = Vec::new();
        let mut position = 0;
        while position < words.len() {
            let mut matched = 0;
            for length in (1..=self.longest_head.min(words.len() - position)).rev() {
                let phrase = words[position..position + length].join(" ");
                if self.heads.contains_key(&phrase) {
                    matched = length;
                    break;
                }
            }
            if matched > 0 {
                heads.push((position, position + matched));
                position += matched;
            } else {
                position += 1;
            }
        }
        // A modifier-head ("deputy") followed by another head with no preposition
        // between them is a modifier of that head.
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for (index, &(start, end)) in heads.iter().enumerate() {
            let single_modifier = end - start == 1 && self.is_modifier(words[start]);
            if single_modifier && let Some(&(next_start, _)) = heads.get(index + 1) {
                let preposition_between = words[end..next_start]
                    .iter()
                    .any(|w| TAIL_PREPOSITIONS.contains(w));
                if !preposition_between {
                    continue;
                }
            }
            kept.push((start, end));
        }
        let mut titles: Vec<TitleWords> = Vec::new();
        let mut segment_start = 0;
        for (index, &(head_start, head_end)) in kept.iter().enumerate() {
            let segment_end = match kept.get(index + 1) {
                None => words.len(),
                Some(&(next_start, _)) => {
                    let between = &words[head_end..next_start];
                    if between
                        .first()
                        .is_some_and(|w| TAIL_PREPOSITIONS.contains(w))
                    {
                        next_start
                    } else {
                        head_end
                    }
                }
            };
            titles.push(TitleWords {
                before: words[segment_start..head_start].to_vec(),
                head: words[head_start..head_end].to_vec(),
                after: words[head_end..segment_end].to_vec(),
            });
            segment_start = segment_end;
        }
        titles
    }

    /// Reads a role value back into titles for comparison.
    pub(super) fn parse_value(&self, value: &str) -> Vec<Title> {
        let mut titles = Vec::new();
        for segment in value.split(", ") {
            let words: Vec<&str> = segment.split_whitespace().collect();
            for title in self.split_titles(&words) {
                titles.push(self.title(&title));
            }
        }
        titles
    }

    /// The comparable form of a title's words.
    pub(super) fn title(&self, words: &TitleWords) -> Title {
        let head = self.canonical_head(&words.head.join(" ")).to_string();
        let mut modifiers = Vec::new();
        let mut rest: Vec<&str> = Vec::new();
        for &word in words.before.iter().chain(words.after.iter()) {
            if let Some(canonical) = self.modifiers.get(word) {
                modifiers.push(canonical.clone());
            } else if !self.fillers.contains(word)
                && !ARTICLES.contains(&word)
                && !TAIL_PREPOSITIONS.contains(&word)
                && word != "and"
            {
                rest.push(word);
            }
        }
        modifiers.sort();
        modifiers.dedup();
        let mut qualifiers = Vec::new();
        let mut index = 0;
        while index < rest.len() {
            match alias_key(&rest[index..]) {
                Some((length, key)) => {
                    qualifiers.push(key.to_string());
                    index += length;
                }
                None => {
                    qualifiers.push(rest[index].to_string());
                    index += 1;
                }
            }
        }
        qualifiers.sort();
        qualifiers.dedup();
        Title {
            head,
            modifiers,
            qualifiers,
        }
    }
}

/// The words of one title in a role value.
#[derive(Debug)]
pub(super) struct TitleWords<'w> {
    pub(super) before: Vec<&'w str>,
    pub(super) head: Vec<&'w str>,
    pub(super) after: Vec<&'w str>,
}

/// One title of a role, ready for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Title {
    /// Canonical head.
    head: String,
    /// Canonical rank modifiers, sorted.
    modifiers: Vec<String>,
    /// Other content words, countries for their adjectives, sorted.
    qualifiers: Vec<String>,
}

impl Title {
    fn agrees(&self, other: &Title) -> bool {
        self.head == other.head
            && self.modifiers == other.modifiers
            && (is_subset(&self.qualifiers, &other.qualifiers)
                || is_subset(&other.qualifiers, &self.qualifiers))
    }
}

fn is_subset(small: &[String], large: &[String]) -> bool {
    small.iter().all(|word| large.contains(word))
}

#[cfg(test)]
mod tests {
    use super::super::people::find_people;
    use super::*;

    /// The role of "John Smith" after `title`, or of the person in a full sentence.
    fn role(text: &str) -> RoleMention {
        let sentence = if text.contains("Smith") {
            text.to_string()
        } else {
            format!("{text} John Smith said.")
        };
        let people = find_people(&sentence);
        let person = people
            .iter()
            .find(|p| p.key == "smith")
            .unwrap_or_else(|| panic!("no John Smith in {sentence:?}: {people:?}"));
        person
            .role
            .clone()
            .unwrap_or_else(|| panic!("no role in {sentence:?}: {person:?}"))
    }

    #[test]
    fn roles_compatible_pairs() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, bool)] = &[
            // Equivalent: spelling, abbreviations, synonyms, omitted detail.
            ("Defence Minister", "Defense Minister", true),
            ("Ukrainian Defence Minister", "Ukrainian Defense Minister", true),
            ("Col", "Colonel", true),
            ("Gen", "General", true),
            ("Srg Maj", "Sergeant Major", true),
            ("Sgt Maj", "Sergeant Major", true),
            ("Srg Maj of the Army", "Sergeant Major of the Army", true),
            ("Gov.", "Governor", true),
            ("Korvask Gov.", "Governor", true),
            ("Korvask Gov.", "Korvask Governor", true),
            ("Army spokesman", "spokesman", true),
            ("Army spokesman Col", "Army spokesperson Col", true),
            ("Kremlin spokesman", "Kremlin spokeswoman", true),
            ("chief of staff Gen", "Gen", true),
            ("the US Army's chief of staff Gen", "Chief of Staff Gen", true),
            ("Ukrainian President", "President", true),
            ("US Army Secretary", "Secretary", true),
            ("top US army commander in Europe Gen", "Europe commander Gen", true),
            ("top US army commander in Europe Gen", "the leading US army commander in Europe Gen", true),
            ("special envoy to Ukraine", "special envoy", true),
            ("John Smith, the special envoy to Ukraine, said.", "special envoy to Ukraine", true),
            ("Russian envoy", "envoy", true),
            ("Ukraine's Defence Minister", "Ukrainian Defence Minister", true),
            ("UN special envoy", "United Nations special envoy", true),
            ("Ex-president", "former president", true),
            ("acting President", "interim President", true),
            ("Col John Smith, a spokesman for the service, said.", "Colonel John Smith, a spokesperson for the service, said.", true),
            ("Dr John Smith, a hydraulic engineer at Stolvar Technical University, said.", "Dr", true),
            ("the region's governor,", "Korvask Gov.", true),
            ("Apple chief executive", "Apple CEO", true),
            // Different: another head, another rank, another modifier, another qualifier.
            ("special envoy", "ambassador", false),
            ("Defence Minister", "Defence Secretary", false),
            ("Deputy Interior Minister", "Interior Minister", false),
            ("Defence Minister", "Interior Minister", false),
            ("Gen", "Col", false),
            ("Lt Gen", "Gen", false),
            ("Sgt", "Sgt Maj", false),
            ("former President", "President", false),
            ("Vice-President", "President", false),
            ("acting President", "President", false),
            ("President-elect", "President", false),
            ("Prime Minister", "Minister", false),
            ("Deputy Prime Minister", "Prime Minister", false),
            ("chief executive", "executive", false),
            ("assistant secretary", "Secretary", false),
            ("junior minister", "minister", false),
            ("Army spokesman Col", "Army spokesman Gen", false),
            ("special envoy to Ukraine", "special envoy to Russia", false),
            ("Russian Foreign Minister", "Ukrainian Foreign Minister", false),
            ("Dr", "Prof", false),
        ];
        for (a, b, expected) in cases {
            let role_a = role(a);
            let role_b = role(b);
            assert_eq!(
                roles_compatible(&role_a, &role_b),
                *expected,
                "{a:?} ({:?}) vs {b:?} ({:?})",
                role_a.value,
                role_b.value
            );
            assert_eq!(
                roles_compatible(&role_b, &role_a),
                *expected,
                "{b:?} vs {a:?}"
            );
        }
    }

    #[test]
    fn vocabulary_loads() {
        let vocab = &*VOCAB;
        assert!(vocab.heads.len() >= 150 && vocab.abbreviations.len() >= 30);
        assert!(vocab.heads.contains_key("sergeant major"));
        assert!(vocab.heads.contains_key("chief of defense staff"));
        assert_eq!(vocab.canonical_head("spokesman"), "spokesperson");
        assert_eq!(
            vocab.canonical_head("chief executive officer"),
            "chief executive"
        );
        assert_eq!(
            vocab.modifiers.get("ex").map(String::as_str),
            Some("former")
        );
        assert_eq!(unify_spelling("defence"), "defense");
    }
}
