//! People named in news text, and the titles and offices they hold.
//!
//! [`find_people`] finds each person a sentence names — "US Army Secretary Dan Driscoll",
//! "Keith Kellogg, the special envoy to Ukraine", "Mr Driscoll" — as a [`PersonMention`]:
//! the name as written, a transliteration-insensitive [key](name_key) of the surname, and
//! the [`RoleMention`] written next to it. [`NameIndex`] remembers the full names of a
//! document so that later surname-only mentions ("Driscoll", "Gen George") resolve to
//! them, and [`find_people_with`] uses it to read a lone surname as a person.
//! [`same_person`] says whether two mentions name one person ("Dmitriev" / "Dmitriyev");
//! whether two roles of one person say the same thing is for
//! [`roles_compatible`](super::roles::roles_compatible).
//!
//! ```text
//! "Trump's special envoy Steve Witkoff and Russian leader Vladimir Putin's envoy Kirill Dmitriev"
//!   "special envoy Steve Witkoff"          Steve Witkoff    witkov   special envoy (envoy)
//!   "Russian leader Vladimir Putin"        Vladimir Putin   putin    russian leader (leader)
//!   "envoy Kirill Dmitriev"                Kirill Dmitriev  dmitriev envoy (envoy)
//! ```
//!
//! # Rules
//!
//! - **Names** are runs of capitalised words that are not listed as something else: a
//!   title, a rank modifier, a known place or organisation (`data/entities.txt`), a word
//!   of an organisation's name ("University", "National", `data/entity_cues.txt`), or a
//!   function word, sentence opener, month or weekday (`data/not_names.txt`). A run may
//!   hold initials ("George W. Bush", "J. K. Rowling") and particles ("Mohammed bin
//!   Salman", "al-Assad"), and end with "Jr"; a month, a listed entity or a title may end
//!   a run of two or more ("Theresa May", "John Major"). An inflected word opening the
//!   sentence ("Joining", "Reportedly") is not a name.
//! - **People.** A run of two or more words is a person unless "the" or an organisation
//!   noun stands before it ("the Daily Dispatch", "rival Pernod Ricard"), it holds an
//!   organisation word or ends in a place word ("Stolvar Technical University", "Queen
//!   Mother Square"), a place preposition stands before it ("in Kryvyi Rih"), or, untitled,
//!   it is in a title-case headline. A single word is a person only with a capitalised or
//!   abbreviated title or an honorific right before it ("Gen George", "President
//!   Zelensky", "Mr Driscoll"; not "market leader Diageo"), with an appositive role after
//!   it ("Shmyhal, the defence minister,"; not "Yukos, Yugansk's former owner"), or when the
//!   [`NameIndex`] of the document knows its surname ([`find_people_with`]).
//! - **Roles before a name** are read leftwards from the name: titles (`data/roles.txt`,
//!   abbreviations in `data/role_abbreviations.txt`, several in a row as in "Army
//!   spokesman Col"), with their capitalised qualifiers ("Kremlin", "US Army", "Korvask",
//!   "New York", "Bank of England"), rank modifiers ("Deputy"), listed lower-case
//!   qualifiers ("special", "foreign"), a possessive place or organisation ("the US Army's
//!   chief of staff") and a capitalised tail naming where the office is ("special envoy to
//!   Ukraine", "Sergeant Major of the Army", "commander in Europe"). Up to two other
//!   lower-case words count only when "the", "a" or a possessive closes the phrase on the
//!   left ("the state-owned utility"). A person's possessive ("Trump's special envoy") and
//!   a lower-case one ("the region's governor") stay out of the role. A role may also stand
//!   before the name and a comma ("the region's governor, Anton Veresov"). A capitalised
//!   plural title covers names joined by "and" ("Presidents Zelensky and Trump").
//! - **Roles after a name** are appositives: a comma, an optional article or possessive,
//!   a phrase ending in a title, an optional tail ("for climate adaptation", "at Stolvar
//!   Technical University"), and then a comma, the end of the sentence, or "who"/"which".
//!   "He met Ivan Petrov, the president said" has no appositive.
//! - **Role values** are normalised as [`roles`](super::roles) says, and compared with
//!   [`roles_compatible`](super::roles::roles_compatible).
//! - **Keys.** The surname is folded to a key that is the same for the usual
//!   transliterations (see [`name_key`]): "Dmitriev" / "Dmitriyev", "Zelensky" /
//!   "Zelenskiy" / "Zelenskyy", "Fedoseyev" / "Fedoseev".
//!
//! Not read: names written in lower case or in capitals (the FRANK summaries are lower
//! case), single-word names with neither a title nor an earlier full mention, roles of
//! unnamed people ("a Ukrainian official"). Companies and products named by two unknown
//! capitalised words read as people ("Allied Domecq", "Toyota Corolla"), unless a cue says
//! otherwise; the list of entities holds only the commonest.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::lexicon::{
    LEXICON, WordMap, WordSet, headline_case, is_listed_not_name, is_month, is_name_breaker,
    is_not_name, is_org_noun, is_org_suffix, is_org_word, is_place_preposition, is_place_suffix,
    parse_sections, unify_spelling,
};
use super::roles::{
    APPOSITIVE_ENDERS, ARTICLES, HeadClass, RoleMention, TAIL_PREPOSITIONS, VOCAB as ROLE_VOCAB,
    Vocab as RoleVocab, is_title_token,
};
use super::tokens::{Token, TokenKind, Words, tokenize};

/// Particles, suffixes and nicknames of names.
const NAMES: &str = include_str!("data/names.txt");

/// A person named in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMention {
    /// Byte offset of the first character of the mention (of its role, when the role is
    /// written before the name).
    pub start: usize,
    /// Byte offset just past the mention; `sentence[start..end]` is
    /// [`PersonMention::text`].
    pub end: usize,
    /// The whole mention, the role included when it stands next to the name: "US Army
    /// Secretary Dan Driscoll", "Keith Kellogg, the special envoy to Ukraine", "Mr
    /// Driscoll".
    pub text: String,
    /// The name as written, without titles: "Pavel Zaretsky", "Driscoll".
    pub name: String,
    /// The transliteration-insensitive key of the surname (see [`name_key`]).
    pub key: String,
    /// The role written next to the name, if any. Honorifics ("Mr") are not roles.
    pub role: Option<RoleMention>,
}

/// The full names of one document, by surname key, so that surname-only mentions
/// ("Driscoll", "Mr Driscoll", "Gen George") can be resolved to them.
///
/// A key with two different people behind it ("Joe Biden", "Hunter Biden") resolves to
/// nothing: a guess would attribute one person's facts to another.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    /// Surname key to full name; `None` when two different people share the key.
    full_names: HashMap<String, Option<String>>,
}

impl NameIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers the full name of a mention; single-word mentions add nothing.
    pub fn add(&mut self, mention: &PersonMention) {
        if name_words(&mention.name).len() < 2 {
            return;
        }
        match self.full_names.get_mut(&mention.key) {
            None => {
                self.full_names
                    .insert(mention.key.clone(), Some(mention.name.clone()));
            }
            Some(slot) => {
                if let Some(known) = slot
                    && !first_names_compatible(known, &mention.name)
                {
                    *slot = None;
                }
            }
        }
    }

    /// The full name of the person whose surname has this key, when exactly one is known.
    pub fn full_name(&self, key: &str) -> Option<&str> {
        self.full_names.get(key).and_then(|name| name.as_deref())
    }

    /// Whether a full name with this surname key was added (even an ambiguous one).
    pub fn knows(&self, key: &str) -> bool {
        self.full_names.contains_key(key)
    }
}

/// Finds the people a sentence names, in order, without overlaps.
///
/// A single capitalised word is a person only with a title, an honorific or an
/// appositive role; use [`find_people_with`] to also read surnames the document has
/// already named in full. Never panics; offsets are on character boundaries.
pub fn find_people(sentence: &str) -> Vec<PersonMention> {
    find(sentence, None)
}

/// Finds the people a sentence names, reading a lone capitalised word as a person when
/// `known` holds a full name with its surname key ("Driscoll is joined by ...").
pub fn find_people_with(sentence: &str, known: &NameIndex) -> Vec<PersonMention> {
    find(sentence, Some(known))
}

/// Whether two mentions name the same person: the same surname key and, when both give
/// a first name, compatible first names (equal keys, one a prefix or initial of the
/// other, or listed nicknames: "Dan" / "Daniel", "J." / "John", "Mike" / "Michael").
/// "Gen George" and "Gen Chris Donahue" are two people; "Kirill Dmitriev" and "Dmitriyev"
/// one.
pub fn same_person(a: &PersonMention, b: &PersonMention) -> bool {
    a.key == b.key && first_names_compatible(&a.name, &b.name)
}

/// The transliteration-insensitive key of a surname (or any name word).
///
/// Lower case, accents dropped, apostrophes and hyphens removed (a leading "al-" or
/// "el-" too), "kh" read as "h", "ph" as "f", "w" as "v", "x" as "ks", "y" as "i", "ou" as
/// "u", a leading "ie" (from "Ye-") as "e", doubled letters single, and an "i" between two
/// vowels dropped. So "Dmitriev" and "Dmitriyev" are "dmitriev", "Zelensky", "Zelenskiy"
/// and "Zelenskyy" are "zelenski", "Fedoseyev" and "Fedoseev" are "fedoseev".
pub fn name_key(word: &str) -> String {
    let lower = word.to_lowercase();
    let trimmed = ["al-", "el-", "al‐", "el‐"]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .unwrap_or(&lower);
    // Latin letters folded to ASCII; letters of other scripts kept as they are, so that
    // a name in Cyrillic still has a key of its own.
    let mut letters: Vec<char> = Vec::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        match fold_char(c) {
            Some(folded) => letters.extend(folded.chars()),
            None if c.is_alphanumeric() => letters.push(c),
            None => {}
        }
    }
    // One pass of the transliteration rules.
    let mut folded: Vec<char> = Vec::with_capacity(letters.len() + 2);
    let mut index = 0;
    while index < letters.len() {
        let letter = letters[index];
        let next = letters.get(index + 1).copied();
        match (letter, next) {
            ('k', Some('h')) => {
                folded.push('h');
                index += 1;
            }
            ('p', Some('h')) => {
                folded.push('f');
                index += 1;
            }
            ('t', Some('c')) if letters.get(index + 2) == Some(&'h') => {}
            ('c', Some('k')) => {}
            ('o', Some('u')) => {
                folded.push('u');
                index += 1;
            }
            ('w', _) => folded.push('v'),
            ('x', _) => folded.extend(['k', 's']),
            ('y', _) => folded.push('i'),
            _ => folded.push(letter),
        }
        index += 1;
    }
    if folded.starts_with(&['i', 'e']) && folded.len() > 3 {
        folded.remove(0);
    }
    folded.dedup();
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
    let mut key: Vec<char> = Vec::with_capacity(folded.len());
    for (index, &c) in folded.iter().enumerate() {
        let between_vowels = c == 'i'
            && index > 0
            && index + 1 < folded.len()
            && is_vowel(folded[index - 1])
            && is_vowel(folded[index + 1])
            && folded[index + 1] != 'i';
        if !between_vowels {
            key.push(c);
        }
    }
    key.dedup();
    key.into_iter().collect()
}

/// The ASCII letters for an accented Latin letter, if it is one.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ģ' | 'ĝ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ž' | 'ź' | 'ż' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ð' => "d",
        _ => return None,
    })
}

/// The words of a name that carry it: not particles, initials or suffixes.
fn name_words(name: &str) -> Vec<&str> {
    let parts = &*NAME_PARTS;
    name.split_whitespace()
        .filter(|word| {
            let bare = word.trim_end_matches('.');
            !parts.particles.contains(&bare.to_lowercase())
                && !parts.suffixes.contains(bare)
                && bare.chars().any(char::is_alphabetic)
        })
        .collect()
}

/// Whether two names can be one person's, by their first names (the surnames are
/// compared by key elsewhere). A name of one word has no first name and fits any.
fn first_names_compatible(a: &str, b: &str) -> bool {
    let words_a = name_words(a);
    let words_b = name_words(b);
    if words_a.len() < 2 || words_b.len() < 2 {
        return true;
    }
    let first_a = words_a[0].trim_end_matches('.');
    let first_b = words_b[0].trim_end_matches('.');
    let key_a = name_key(first_a);
    let key_b = name_key(first_b);
    if key_a.is_empty() || key_b.is_empty() {
        return true;
    }
    if key_a.starts_with(&key_b) || key_b.starts_with(&key_a) {
        return true;
    }
    let parts = &*NAME_PARTS;
    match (parts.nicknames.get(&key_a), parts.nicknames.get(&key_b)) {
        (Some(groups_a), Some(groups_b)) => groups_a.iter().any(|g| groups_b.contains(g)),
        _ => false,
    }
}

/// The parts of names the data files list, parsed once.
struct NameParts {
    /// Name particles ("bin", "al", "van").
    particles: WordSet<String>,
    /// Generational suffixes, case-sensitive ("Jr").
    suffixes: WordSet<String>,
    /// First-name keys to the nickname groups they belong to.
    nicknames: WordMap<String, Vec<usize>>,
}

static NAME_PARTS: LazyLock<NameParts> = LazyLock::new(NameParts::load);

impl NameParts {
    fn load() -> NameParts {
        let names = parse_sections(NAMES);
        let mut nicknames: WordMap<String, Vec<usize>> = WordMap::default();
        for (group, line) in names.get("nickname").into_iter().flatten().enumerate() {
            for name in line.split_whitespace() {
                nicknames.entry(name_key(name)).or_default().push(group);
            }
        }
        NameParts {
            particles: names
                .get("particle")
                .into_iter()
                .flatten()
                .map(|s| s.to_lowercase())
                .collect(),
            suffixes: names
                .get("suffix")
                .into_iter()
                .flatten()
                .map(|s| s.to_string())
                .collect(),
            nicknames,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Finding people.

/// A run of capitalised words that may be a name.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// First token.
    first: usize,
    /// Last token (inclusive), suffix ("Jr") included.
    last: usize,
    /// Last token of the name proper (the surname).
    surname: usize,
    /// How many name words (not particles or initials).
    words: usize,
}

/// A role found next to a name, as token ranges.
#[derive(Debug, Clone, Default)]
struct RoleSpan {
    /// Token range of the role before the name, `[start, end)`.
    before: Option<(usize, usize)>,
    /// The role after the name.
    after: Option<Appositive>,
    /// An honorific stands right before the name (token index).
    honorific: Option<usize>,
    /// The title before the name is a capitalised plural ("Presidents").
    plural: bool,
    /// The title right before the name is capitalised or abbreviated ("Gen", "President"),
    /// which is enough to make a single word a name.
    strong_title: bool,
}

/// A role in apposition after a name, as a token range `[start, end)`.
#[derive(Debug, Clone, Copy)]
struct Appositive {
    start: usize,
    end: usize,
    /// The token range of an anaphoric tail ("for the service"), left out of the value.
    anaphoric: Option<(usize, usize)>,
}

/// A sentence being read, with what is known about each token.
struct Reader<'a> {
    text: &'a str,
    tokens: Vec<Token<'a>>,
    roles: &'static RoleVocab,
    /// The end (exclusive) of a known multi-word or single-word entity starting here.
    entity_end: Vec<Option<usize>>,
    /// Whether each token lies inside a known entity.
    in_entity: Vec<bool>,
    /// Whether each token lies inside a multi-word title ("Prime" of "Prime Minister").
    in_title: Vec<bool>,
    /// How each token may take part in a name, computed once.
    classes: Vec<NameClass>,
    /// The run each token belongs to.
    run_of: Vec<Option<usize>>,
    runs: Vec<Run>,
    known: Option<&'a NameIndex>,
    title_case: bool,
}

fn find(sentence: &str, known: Option<&NameIndex>) -> Vec<PersonMention> {
    if !sentence.chars().any(char::is_uppercase) {
        return Vec::new();
    }
    let tokens = tokenize(sentence);
    let (title_case, all_caps) = headline_case(&tokens);
    if all_caps {
        return Vec::new();
    }
    let mut in_entity = vec![false; tokens.len()];
    let mut entity_end = vec![None; tokens.len()];
    let mut index = 0;
    while index < tokens.len() {
        match LEXICON.known_at(&tokens, index) {
            Some((end, _, _)) => {
                entity_end[index] = Some(end);
                for flag in &mut in_entity[index..end] {
                    *flag = true;
                }
                index = end;
            }
            None => index += 1,
        }
    }
    let mut reader = Reader {
        text: sentence,
        in_title: vec![false; tokens.len()],
        classes: Vec::new(),
        run_of: vec![None; tokens.len()],
        tokens,
        roles: &ROLE_VOCAB,
        entity_end,
        in_entity,
        runs: Vec::new(),
        known,
        title_case,
    };
    reader.mark_titles();
    reader.classes = (0..reader.tokens.len())
        .map(|index| reader.classify_name(index))
        .collect();
    reader.find_runs();
    reader.people()
}

impl<'a> Words<'a> for Reader<'a> {
    fn tokens(&self) -> &[Token<'a>] {
        &self.tokens
    }
}

impl<'a> Reader<'a> {
    /// Whether the token is a word that is never a name (an acronym never is one of
    /// those: "US" is not "us").
    fn not_name_at(&self, index: usize) -> bool {
        self.word(index)
            .is_some_and(|t| !t.acronym() && is_not_name(t.lower.as_ref()))
    }

    /// Whether the token opens the sentence (or a quotation, or a clause after a colon),
    /// where every word is capitalised.
    fn opens_sentence(&self, index: usize) -> bool {
        let mut previous = index;
        while previous > 0 {
            previous -= 1;
            match self.tokens[previous].kind {
                TokenKind::Punct('"' | '“' | '‘' | '\'' | '(' | '[' | '*' | '#') => continue,
                TokenKind::Punct('.') => {
                    // The full stop of an initial or an abbreviation ends no sentence.
                    return !previous
                        .checked_sub(1)
                        .and_then(|p| self.word(p))
                        .is_some_and(|t| is_initial(t) || is_title_token(t));
                }
                TokenKind::Punct(c) => return matches!(c, ':' | '!' | '?' | '—' | '–'),
                _ => return false,
            }
        }
        true
    }

    /// How token `index` may take part in a name (`No` past the end).
    fn name_class(&self, index: usize) -> NameClass {
        self.classes.get(index).copied().unwrap_or(NameClass::No)
    }

    /// Whether a token can be a word of a name. `Strict` excludes words that may only
    /// end a name (months, known entities, titles: "Theresa May", "George Washington",
    /// "John Major").
    fn classify_name(&self, index: usize) -> NameClass {
        let Some(token) = self.word(index) else {
            return NameClass::No;
        };
        let roles = self.roles;
        let text = token.text;
        let first = text.chars().next().unwrap_or(' ');
        let particle_prefixed = !first.is_uppercase()
            && text.split_once(['-', '‐']).is_some_and(|(prefix, rest)| {
                NAME_PARTS.particles.contains(prefix)
                    && rest.chars().next().is_some_and(char::is_uppercase)
            });
        if !(first.is_uppercase() || particle_prefixed) || token.has_digit() {
            return NameClass::No;
        }
        // "Jean-Claude", "Quillinan-Meiland", but not "State-owned", "Kyiv-based" or
        // "Vice-President".
        if !particle_prefixed && text.contains(['-', '‐', '‑']) {
            let odd_part = token.lower.split('-').any(|part| {
                roles.is_head_word(part) || roles.is_modifier(part) || is_not_name(part)
            }) || text
                .split(['-', '‐', '‑'])
                .any(|part| !part.chars().next().is_some_and(char::is_uppercase));
            if odd_part {
                return NameClass::No;
            }
        }
        if token.acronym() || is_initial(token) {
            return NameClass::No;
        }
        if roles.abbreviation(token).is_some()
            || roles.is_honorific(token)
            || NAME_PARTS.suffixes.contains(text)
            || self.in_title[index]
        {
            return NameClass::No;
        }
        let lower = token.lower.as_ref();
        let unified = unify_spelling(lower);
        if is_listed_not_name(lower) || is_name_breaker(unified) {
            return NameClass::No;
        }
        if roles.is_modifier(unified) || roles.fillers.contains(unified) {
            return NameClass::No;
        }
        if self.opens_sentence(index) && opener_inflection(lower) {
            return NameClass::No;
        }
        if is_month(lower) || self.in_entity[index] || roles.is_head_word(lower) {
            return NameClass::LastOnly;
        }
        // Capitalised plurals of titles ("Presidents") are not names.
        if let Some(singular) = lower.strip_suffix('s')
            && roles.is_head_word(singular)
        {
            return NameClass::No;
        }
        NameClass::Strict
    }

    /// Marks the words of multi-word titles, which are not names ("Prime Minister").
    fn mark_titles(&mut self) {
        for index in 0..self.tokens.len() {
            let token = &self.tokens[index];
            // Only capitalised words could be mistaken for names.
            if !token.capitalised() {
                continue;
            }
            let last_part = token.lower.rsplit('-').next().unwrap_or("");
            if !self
                .roles
                .multiword_last
                .contains(unify_spelling(last_part))
                && self.roles.abbreviation(token).is_none()
            {
                continue;
            }
            if let Some((start, _)) = self.head_ending_at(index, false, false) {
                for flag in &mut self.in_title[start..=index] {
                    *flag = true;
                }
            }
        }
    }

    /// Groups name words into runs.
    fn find_runs(&mut self) {
        let n = self.tokens.len();
        let mut index = 0;
        while index < n {
            // Leading initials: "J. K. Rowling".
            let mut probe = index;
            while self.word(probe).is_some_and(is_initial)
                && self.tokens.get(probe + 1).is_some_and(|t| t.is_punct('.'))
                && !self.tokens[probe + 1].space_before
            {
                probe += 2;
            }
            if self.name_class(probe) != NameClass::Strict
                || (probe > index && self.word(probe.saturating_sub(2)).is_none())
            {
                index += 1;
                continue;
            }
            let first = index;
            let mut last = probe;
            // Leading initials count as a word: "J. Smith" is a name.
            let mut words = if probe > index { 2 } else { 1 };
            let mut cursor = probe + 1;
            loop {
                // An initial: "W." (one capital letter and a full stop), or "W" alone
                // between two name words.
                if self.word(cursor).is_some_and(is_initial) {
                    if self.tokens.get(cursor + 1).is_some_and(|t| t.is_punct('.'))
                        && self.name_class(cursor + 2) == NameClass::Strict
                    {
                        last = cursor + 1;
                        cursor += 2;
                        continue;
                    }
                    if self.name_class(cursor + 1) == NameClass::Strict {
                        last = cursor;
                        cursor += 1;
                        continue;
                    }
                }
                // A particle: "bin", "von der".
                if self
                    .word(cursor)
                    .is_some_and(|t| NAME_PARTS.particles.contains(t.lower.as_ref()))
                {
                    let mut probe = cursor;
                    while self
                        .word(probe)
                        .is_some_and(|t| NAME_PARTS.particles.contains(t.lower.as_ref()))
                    {
                        probe += 1;
                    }
                    if self.name_class(probe) != NameClass::No && probe - cursor <= 2 {
                        cursor = probe;
                        continue;
                    }
                    break;
                }
                match self.name_class(cursor) {
                    NameClass::Strict => {
                        last = cursor;
                        words += 1;
                        cursor += 1;
                    }
                    NameClass::LastOnly => {
                        // Only after a real name word and when no name follows it
                        // (a title before the next name is not a surname).
                        if self.name_class(cursor + 1) == NameClass::No
                            && !self.in_entity_continues(cursor)
                        {
                            last = cursor;
                            words += 1;
                        }
                        break;
                    }
                    NameClass::No => break,
                }
            }
            if words > 4 {
                index = last + 1;
                continue;
            }
            let surname = last;
            let mut end = last;
            // "Martin Luther King Jr", "John Smith, Jr."
            let mut probe = last + 1;
            if self.tokens.get(probe).is_some_and(|t| t.is_punct(',')) {
                probe += 1;
            }
            if self
                .word(probe)
                .is_some_and(|t| NAME_PARTS.suffixes.contains(t.text))
            {
                end = probe;
                if self.tokens.get(probe + 1).is_some_and(|t| t.is_punct('.'))
                    && self.tokens.get(probe + 2).is_some()
                {
                    end = probe + 1;
                }
            }
            let run_index = self.runs.len();
            self.runs.push(Run {
                first,
                last: end,
                surname,
                words,
            });
            for slot in &mut self.run_of[first..=end] {
                *slot = Some(run_index);
            }
            index = end + 1;
        }
    }

    /// Whether the known entity covering `index` goes on past it (a multi-word entity
    /// such as "White House" is never the end of a name).
    fn in_entity_continues(&self, index: usize) -> bool {
        if !self.in_entity[index] {
            return false;
        }
        let mut start = index;
        while self.entity_end[start].is_none() && start > 0 {
            start -= 1;
        }
        self.entity_end[start].is_some_and(|end| end > index + 1)
    }

    /// Reads the runs and decides which are people.
    fn people(&self) -> Vec<PersonMention> {
        let mut people: Vec<PersonMention> = Vec::new();
        // The previous person's run, role span and role, for "Presidents X and Y".
        let mut previous: Option<(usize, bool, Option<RoleMention>)> = None;
        for run in &self.runs {
            let mut role = RoleSpan::default();
            self.role_before(run, &mut role);
            self.role_after(run, &mut role);
            let key = name_key(self.tokens[run.surname].text);
            let after_place_preposition = self.place_preposition_before(run.first);
            let known = self.known.is_some_and(|k| k.knows(&key));
            let mut is_person = if run.words >= 2 {
                let before = run.first.checked_sub(1);
                let the_before = before.is_some_and(|b| self.lower_is(b, &["the"]));
                let org_noun_before = before.is_some_and(|b| {
                    self.word(b)
                        .is_some_and(|t| !t.capitalised() && is_org_noun(t.lower.as_ref()))
                });
                let has_role =
                    role.before.is_some() || role.honorific.is_some() || role.after.is_some();
                let untitled_name =
                    !the_before && !org_noun_before && !after_place_preposition && !self.title_case;
                !self.org_like(run) && (has_role || untitled_name)
            } else {
                // A lone word needs a capitalised or abbreviated title or an honorific
                // ("Gen George", "Mr Driscoll"), an appositive role, or an earlier full
                // mention: "leader Diageo" and "the governor, Veresov" are not enough.
                role.strong_title
                    || role.honorific.is_some()
                    || (role.after.is_some()
                        && !after_place_preposition
                        && !self.appositive_shared_with_organisations(&role))
                    || known
            };
            let mut inherited: Option<RoleMention> = None;
            // "Presidents Zelensky and Trump": the plural title covers the next name.
            if let Some((previous_last, true, previous_role)) = &previous
                && role.before.is_none()
                && previous_last + 2 == run.first
                && self.lower_is(run.first - 1, &["and"])
            {
                inherited = previous_role.clone();
                is_person = true;
            }
            if !is_person {
                previous = None;
                continue;
            }
            let mention = self.mention(run, &role, inherited);
            if people.last().is_some_and(|last| mention.start < last.end) {
                // A role claimed by two names (rare: "X, the envoy, Y") stays with the
                // first.
                previous = None;
                continue;
            }
            previous = Some((run.last, role.plural, mention.role.clone()));
            people.push(mention);
        }
        people
    }

    /// Whether the appositive role names something organisations hold too ("Yukos,
    /// Yugansk's former owner"): not enough to make a single word a person.
    fn appositive_shared_with_organisations(&self, role: &RoleSpan) -> bool {
        let Some(appositive) = role.after else {
            return false;
        };
        let value = self.value(
            appositive.start,
            appositive.end,
            appositive.anaphoric,
            false,
        );
        value.split(", ").all(|segment| {
            let words: Vec<&str> = segment.split_whitespace().collect();
            self.roles.split_titles(&words).iter().all(|title| {
                self.roles
                    .shared_with_organisations
                    .contains(&title.head.join(" "))
            })
        })
    }

    /// Whether a run reads as an organisation or place rather than a name.
    fn org_like(&self, run: &Run) -> bool {
        (run.first..=run.surname).any(|index| {
            self.word(index)
                .is_some_and(|t| is_org_word(unify_spelling(t.lower.as_ref())))
        }) || self
            .word(run.surname)
            .is_some_and(|t| is_place_suffix(t.lower.as_ref()))
    }

    /// Whether a place preposition ("in", "at", "near", ...) stands right before.
    fn place_preposition_before(&self, first: usize) -> bool {
        first > 0
            && self.word(first - 1).is_some_and(|t| {
                is_place_preposition(t.lower.as_ref()) && !matches!(t.lower.as_ref(), "to" | "from")
            })
    }

    /// Builds the mention of a run with its role.
    fn mention(&self, run: &Run, role: &RoleSpan, inherited: Option<RoleMention>) -> PersonMention {
        let tokens = &self.tokens;
        let name_start = tokens[run.first].start;
        let name_end = tokens[run.last].end;
        let name = collapse_spaces(&self.text[name_start..name_end]);
        let key = name_key(tokens[run.surname].text);
        let mut start = name_start;
        let mut end = name_end;
        if let Some(h) = role.honorific {
            start = tokens[h].start;
        }
        let mut parts: Vec<(usize, usize, String)> = Vec::new();
        let mut values: Vec<String> = Vec::new();
        if let Some((role_start, role_end)) = role.before {
            start = start.min(tokens[role_start].start);
            let (text_start, text_end) = (tokens[role_start].start, tokens[role_end - 1].end);
            parts.push((
                text_start,
                text_end,
                self.text[text_start..text_end].to_string(),
            ));
            values.push(self.value(role_start, role_end, None, role.plural));
        }
        if let Some(Appositive {
            start: role_start,
            end: role_end,
            anaphoric,
        }) = role.after
        {
            end = tokens[role_end - 1].end;
            let (text_start, text_end) = (tokens[role_start].start, tokens[role_end - 1].end);
            parts.push((
                text_start,
                text_end,
                self.text[text_start..text_end].to_string(),
            ));
            let value = self.value(role_start, role_end, anaphoric, false);
            if !value.is_empty() {
                values.push(value);
            }
        }
        let role_mention = if parts.is_empty() {
            inherited
        } else {
            let value = values
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let head = self.head_of(&value);
            let text = parts
                .iter()
                .map(|p| p.2.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            Some(RoleMention {
                start: parts[0].0,
                end: parts[parts.len() - 1].1,
                text,
                value,
                head,
            })
        };
        PersonMention {
            start,
            end,
            text: self.text[start..end].to_string(),
            name,
            key,
            role: role_mention,
        }
    }

    /// The canonical head of a role value's main title (an office before a rank).
    fn head_of(&self, value: &str) -> String {
        let mut first: Option<String> = None;
        for segment in value.split(", ") {
            let words: Vec<&str> = segment.split_whitespace().collect();
            for title in self.roles.split_titles(&words) {
                let head = title.head.join(" ");
                let class = self.roles.heads.get(&head).copied();
                let canonical = self.roles.canonical_head(&head).to_string();
                if class == Some(HeadClass::Office) {
                    return canonical;
                }
                first.get_or_insert(canonical);
            }
        }
        first.unwrap_or_default()
    }

    /// The normalised value of the role tokens `[start, end)`, leaving out the tokens of
    /// an anaphoric tail; with `plural`, the last title is a plural to read as singular
    /// ("Presidents").
    fn value(
        &self,
        start: usize,
        end: usize,
        skip: Option<(usize, usize)>,
        plural: bool,
    ) -> String {
        let roles = self.roles;
        let mut owned: Vec<Cow<str>> = Vec::new();
        for index in start..end {
            if skip.is_some_and(|(s, e)| (s..e).contains(&index)) {
                continue;
            }
            let token = &self.tokens[index];
            if !token.is_word() {
                continue;
            }
            if let Some(expansion) = roles.abbreviation(token) {
                owned.extend(expansion.iter().map(|w| Cow::Borrowed(w.as_str())));
                continue;
            }
            if roles.is_honorific(token) {
                continue;
            }
            // Inside a listed name a filler is a word of the name ("New York").
            let in_name = self.in_entity[index];
            for part in token.lower.split('-').filter(|p| !p.is_empty()) {
                let part = unify_spelling(part);
                if ARTICLES.contains(&part) || (roles.fillers.contains(part) && !in_name) {
                    continue;
                }
                owned.push(Cow::Borrowed(part));
            }
        }
        if plural && let Some(last) = owned.last_mut() {
            let singular = match last.strip_suffix("ies") {
                Some(stem) => format!("{stem}y"),
                None => last.strip_suffix('s').unwrap_or(last).to_string(),
            };
            *last = Cow::Owned(singular);
        }
        let words: Vec<&str> = owned.iter().map(|w| w.as_ref()).collect();
        // Rebuild in title order so that several titles read "army spokesman, colonel".
        let titles = roles.split_titles(&words);
        if titles.is_empty() {
            return words.join(" ");
        }
        titles
            .iter()
            .map(|t| {
                t.before
                    .iter()
                    .chain(t.head.iter())
                    .chain(t.after.iter())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The words of a token as titles read them: an abbreviation's expansion, else its
    /// hyphen-separated parts, lower case, spelling unified.
    fn title_words(&self, index: usize) -> Vec<&str> {
        let token = &self.tokens[index];
        if let Some(expansion) = self.roles.abbreviation(token) {
            return expansion.iter().map(String::as_str).collect();
        }
        token
            .lower
            .split('-')
            .filter(|p| !p.is_empty())
            .map(unify_spelling)
            .collect()
    }

    /// The head (a title, possibly several words or abbreviations) that ends at token
    /// `index`, as the index of its first token. A full stop after an abbreviation
    /// belongs to it ("Gov."). With `plural`, a capitalised plural title counts
    /// ("Presidents"). With `bare`, heads that are ordinary lower-case words ("general",
    /// "major") count only when capitalised.
    fn head_ending_at(&self, index: usize, plural: bool, bare: bool) -> Option<(usize, bool)> {
        let tokens = &self.tokens;
        let mut last = index;
        if tokens.get(last)?.is_punct('.') {
            let previous = last.checked_sub(1)?;
            if !tokens[last].space_before && self.roles.abbreviation(&tokens[previous]).is_some() {
                last = previous;
            } else {
                return None;
            }
        }
        let token = self.word(last)?;
        if token.has_digit() {
            return None;
        }
        let abbreviated = self.roles.abbreviation(token).is_some();
        // Most words end no title: reject them before collecting anything.
        if !abbreviated {
            let lower = token.lower.as_ref();
            let mut parts = lower.rsplit('-');
            let last_part = parts.next().unwrap_or("");
            let final_word = if self.roles.post_modifiers.contains(last_part) {
                parts.next().unwrap_or(last_part)
            } else {
                last_part
            };
            let plural_possible = plural && token.capitalised() && lower.ends_with('s');
            if !plural_possible && !self.roles.head_final.contains(unify_spelling(final_word)) {
                return None;
            }
        }
        // Words ending at `last`, right to left, with the token each came from.
        let mut words: Vec<(&str, usize)> = Vec::with_capacity(6);
        let mut cursor = Some(last);
        while let Some(position) = cursor {
            if words.len() >= self.roles.longest_head {
                break;
            }
            let token = &tokens[position];
            if token.is_punct('.')
                && position > 0
                && !token.space_before
                && self.roles.abbreviation(&tokens[position - 1]).is_some()
            {
                cursor = position.checked_sub(1);
                continue;
            }
            if !token.is_word() || token.has_digit() {
                break;
            }
            let mut parts = self.title_words(position);
            if position == last {
                while parts.len() > 1
                    && parts
                        .last()
                        .is_some_and(|p| self.roles.post_modifiers.contains(*p))
                {
                    parts.pop();
                }
            }
            for part in parts.into_iter().rev() {
                words.push((part, position));
            }
            cursor = position.checked_sub(1);
        }
        let mut phrase = String::with_capacity(32);
        for length in (1..=words.len().min(self.roles.longest_head)).rev() {
            phrase.clear();
            for (position, (word, _)) in words[..length].iter().rev().enumerate() {
                if position > 0 {
                    phrase.push(' ');
                }
                phrase.push_str(word);
            }
            if self.roles.heads.contains_key(&phrase) {
                let first_token = words[length - 1].1;
                // The head must start at a token's first word ("ex-president" starts at
                // "ex-president", not inside it).
                let first_token_words = self.title_words(first_token);
                let starts_token = words
                    .iter()
                    .take(length)
                    .filter(|(_, t)| *t == first_token)
                    .count()
                    <= first_token_words.len();
                if !starts_token {
                    continue;
                }
                if bare
                    && length == 1
                    && !abbreviated
                    && !token.capitalised()
                    && self.roles.capitalised_only.contains(&phrase)
                {
                    return None;
                }
                return Some((first_token, false));
            }
        }
        if plural && token.capitalised() && !abbreviated {
            let lower = token.lower.as_ref();
            let singular = lower
                .strip_suffix("ies")
                .map(|stem| format!("{stem}y"))
                .or_else(|| lower.strip_suffix('s').map(str::to_string));
            if let Some(singular) = singular
                && self.roles.heads.contains_key(unify_spelling(&singular))
            {
                return Some((last, true));
            }
        }
        None
    }

    /// Whether the token is part of a run of two or more name words, or a lone word the
    /// index knows: a person, who stops a role.
    fn is_other_person(&self, index: usize) -> bool {
        match self.run_of[index] {
            Some(run) => {
                let run = &self.runs[run];
                run.words >= 2
                    || self
                        .known
                        .is_some_and(|k| k.knows(&name_key(self.tokens[run.surname].text)))
            }
            None => false,
        }
    }

    /// The role before a run, read leftwards (see the module rules).
    fn role_before(&self, run: &Run, role: &mut RoleSpan) {
        let tokens = &self.tokens;
        let roles = self.roles;
        let mut boundary = run.first;
        // An honorific right before the name.
        if boundary > 0 {
            let mut candidate = boundary - 1;
            if tokens[candidate].is_punct('.') && candidate > 0 && !tokens[candidate].space_before {
                candidate -= 1;
            }
            if roles.is_honorific(&tokens[candidate]) {
                role.honorific = Some(candidate);
                boundary = candidate;
            }
        }
        let mut comma = false;
        if boundary > 1 && role.honorific.is_none() && tokens[boundary - 1].is_punct(',') {
            if self.head_ending_at(boundary - 2, false, false).is_none() {
                return;
            }
            comma = true;
            boundary -= 1;
        }
        let role_end = boundary;
        let mut cursor = boundary;
        let mut committed: Option<usize> = None;
        let mut tentative = boundary;
        let mut unlisted = 0;
        let mut have_head = false;
        // Closed on the left: by an article or a possessive ("strongly", which lets the
        // unlisted lower-case words in: "a hydraulic engineer"), or by punctuation, the
        // start of the sentence or another name.
        let mut closed = false;
        let mut strongly = false;
        let mut plural = false;
        // Whether a lower-case word came after the last head read (leftwards), which
        // rules out reading a preposition as the start of that head's tail: "commander
        // in Europe Gen" has a tail, "assistant to former Newcastle manager" does not.
        let mut lower_since_head = false;
        loop {
            if cursor == 0 {
                closed = true;
                break;
            }
            let index = cursor - 1;
            let adjacent = cursor == role_end;
            if let Some((head_start, is_plural)) =
                self.head_ending_at(index, adjacent && !comma, !comma)
            {
                // A title that is part of another person's name is not ours.
                if (head_start..=index).any(|i| self.is_other_person(i)) {
                    closed = true;
                    break;
                }
                plural |= is_plural;
                lower_since_head = false;
                if adjacent && !comma {
                    let token = &tokens[index];
                    let last_word = if token.is_punct('.') {
                        index.saturating_sub(1)
                    } else {
                        index
                    };
                    let title = &tokens[last_word];
                    // "DHL-owner" is a lower-case title in a capitalised word.
                    role.strong_title = roles.abbreviation(title).is_some()
                        || title
                            .text
                            .rsplit(['-', '‐', '‑'])
                            .next()
                            .and_then(|part| part.chars().next())
                            .is_some_and(char::is_uppercase);
                }
                have_head = true;
                committed = Some(head_start);
                tentative = head_start;
                unlisted = 0;
                cursor = head_start;
                continue;
            }
            if !have_head {
                if let Some(preposition) = self.tail_before(index) {
                    cursor = preposition;
                    continue;
                }
                break;
            }
            let token = &tokens[index];
            match token.kind {
                TokenKind::Punct(c) => {
                    closed = matches!(c, ',' | ';' | ':' | '(' | '"' | '“' | '‘' | '—' | '–' | '[')
                        || (c == '\'' && token.space_before);
                    break;
                }
                TokenKind::Possessive => match self.possessor(index) {
                    // A possessor closes the phrase like an article: "the US Army's chief
                    // of staff", "Tehran's new Imam" (not "army closed Tehran's ...").
                    Some(possessor_start) if unlisted == 0 => {
                        committed = Some(possessor_start);
                        closed = true;
                        break;
                    }
                    _ => {
                        closed = true;
                        strongly = true;
                        break;
                    }
                },
                TokenKind::Word => {
                    let lower = unify_spelling(token.lower.as_ref());
                    if ARTICLES.contains(&lower) {
                        closed = true;
                        strongly = true;
                        break;
                    }
                    if token.capitalised() {
                        let stop = (self.not_name_at(index) && !self.in_entity[index])
                            || roles.is_honorific(token)
                            || self.is_other_person(index);
                        if stop {
                            closed = true;
                            break;
                        }
                        // The whole of a listed entity or an "X of Y" name: "New York
                        // Attorney General", "Bank of England deputy governor".
                        let span_start = self.capitalised_span_start(index);
                        if unlisted == 0 {
                            committed = Some(span_start);
                        }
                        tentative = span_start;
                        cursor = span_start;
                        continue;
                    }
                    if roles.is_modifier(lower)
                        || roles.fillers.contains(lower)
                        || roles.qualifiers.contains(lower)
                    {
                        if unlisted == 0 {
                            committed = Some(index);
                        }
                        lower_since_head = true;
                        tentative = index;
                        cursor = index;
                        continue;
                    }
                    if TAIL_PREPOSITIONS.contains(&lower)
                        && unlisted == 0
                        && !lower_since_head
                        && index > 0
                        && self.head_ending_at(index - 1, false, true).is_some()
                    {
                        // "commander in Europe Gen": the words after the preposition are
                        // the tail of an earlier title.
                        tentative = index;
                        cursor = index;
                        continue;
                    }
                    if is_listed_not_name(lower) || token.has_digit() {
                        break;
                    }
                    unlisted += 1;
                    lower_since_head = true;
                    if unlisted > 2 {
                        break;
                    }
                    tentative = index;
                    cursor = index;
                }
            }
        }
        let start = if strongly && have_head {
            Some(tentative)
        } else {
            committed
        };
        let Some(mut start) = start else {
            return;
        };
        if comma && !closed {
            return;
        }
        // A role never starts with a preposition or a possessive mark.
        while start < role_end
            && (tokens[start].kind == TokenKind::Possessive
                || self.lower_is(start, TAIL_PREPOSITIONS))
        {
            start += 1;
        }
        if start >= role_end || !have_head {
            return;
        }
        // A plural title covers coordinated names ("Presidents Zelensky and Trump"); alone
        // it is a word of a name ("Queens Park Rangers").
        if plural
            && !(self.lower_is(run.last + 1, &["and"])
                && self.word(run.last + 2).is_some_and(|t| t.capitalised()))
        {
            role.strong_title = false;
            return;
        }
        role.before = Some((start, role_end));
        role.plural = plural;
    }

    /// The first token of the capitalised name that ends at `index`: back to the start of
    /// a listed entity covering it ("New York"), and across "of" / "of the" after an
    /// organisation or place word ("Bank of England", "Sergeant Major of the Army" is not
    /// one: "Major" is a title).
    fn capitalised_span_start(&self, index: usize) -> usize {
        let mut start = index;
        loop {
            while start > 0 && self.in_entity[start] && self.entity_end[start].is_none() {
                start -= 1;
            }
            let mut probe = start;
            if probe >= 2 && self.lower_is(probe - 1, &["the"]) {
                probe -= 1;
            }
            if probe >= 2 && self.lower_is(probe - 1, &["of"]) {
                let head = probe - 2;
                if self.word(head).is_some_and(|t| {
                    t.capitalised()
                        && (is_org_suffix(unify_spelling(t.lower.as_ref()))
                            || is_place_suffix(t.lower.as_ref()))
                }) {
                    start = head;
                    continue;
                }
            }
            return start;
        }
    }

    /// The tail of a title before a name: `index` ends a capitalised span that follows a
    /// preposition (and "the") that follows a head ("special envoy to Ukraine Keith
    /// Kellogg", "Sergeant Major of the Army Michael Weimer"). Returns the preposition.
    fn tail_before(&self, index: usize) -> Option<usize> {
        let mut cursor = index;
        let mut words = 0;
        loop {
            let token = self.word(cursor)?;
            if !token.capitalised()
                || self.is_other_person(cursor)
                || (self.not_name_at(cursor) && !self.in_entity[cursor])
            {
                break;
            }
            let span_start = self.capitalised_span_start(cursor);
            words += 1 + (cursor - span_start) / 2;
            if words > 6 || span_start == 0 {
                return None;
            }
            cursor = span_start - 1;
        }
        if words == 0 {
            return None;
        }
        if self.lower_is(cursor, &["the"]) {
            cursor = cursor.checked_sub(1)?;
        }
        if !self.lower_is(cursor, TAIL_PREPOSITIONS) || cursor == 0 {
            return None;
        }
        self.head_ending_at(cursor - 1, false, true)?;
        Some(cursor)
    }

    /// The first token of a possessor that belongs in a role ("the US Army's", "Ukraine's"):
    /// a known place or organisation, an acronym, or a capitalised span ending in an
    /// organisation word. `None` for a person's or a lower-case possessor, which ends the
    /// role.
    fn possessor(&self, possessive: usize) -> Option<usize> {
        let last = possessive.checked_sub(1)?;
        let token = self.word(last)?;
        if !token.capitalised() || self.is_other_person(last) {
            return None;
        }
        let mut first = last;
        while first > 0
            && self.word(first - 1).is_some_and(|t| t.capitalised())
            && !self.not_name_at(first - 1)
            && !self.is_other_person(first - 1)
        {
            first -= 1;
        }
        let known = (first..=last).any(|i| self.in_entity[i]);
        let acronym = token.acronym();
        let organisation = is_org_suffix(unify_spelling(token.lower.as_ref()))
            || (first..=last).any(|i| {
                self.word(i)
                    .is_some_and(|t| is_org_word(unify_spelling(t.lower.as_ref())))
            });
        if known || acronym || organisation {
            Some(first)
        } else {
            None
        }
    }

    /// The appositive role after a run ("Keith Kellogg, the special envoy to Ukraine,").
    fn role_after(&self, run: &Run, role: &mut RoleSpan) {
        let tokens = &self.tokens;
        let roles = self.roles;
        let comma = run.last + 1;
        if !tokens.get(comma).is_some_and(|t| t.is_punct(',')) {
            return;
        }
        let start = comma + 1;
        let mut cursor = start;
        let mut open = false;
        if self.lower_is(cursor, ARTICLES) {
            open = true;
            cursor += 1;
        } else if let Some(end) = self.possessive_ahead(cursor) {
            open = true;
            cursor = end;
        }
        // Words up to and including the head.
        let mut head_end: Option<usize> = None;
        let mut words = 0;
        while let Some(token) = tokens.get(cursor) {
            if let Some(head_start) = self.head_ending_at(cursor, false, false).map(|h| h.0)
                && head_start >= start
            {
                head_end = Some(cursor);
                // A longer head may end later ("chief" ... "chief of staff").
                cursor += 1;
                words += 1;
                if words > 7 {
                    break;
                }
                continue;
            }
            if head_end.is_some() {
                break;
            }
            if token.is_punct('.')
                && cursor > 0
                && roles.abbreviation(&tokens[cursor - 1]).is_some()
            {
                cursor += 1;
                continue;
            }
            let Some(word) = self.word(cursor) else {
                return;
            };
            let lower = unify_spelling(word.lower.as_ref());
            let allowed = if word.capitalised() {
                !self.not_name_at(cursor) && !self.is_other_person(cursor)
            } else if open {
                !is_listed_not_name(lower) && !word.has_digit()
            } else {
                roles.is_modifier(lower)
                    || roles.fillers.contains(lower)
                    || roles.qualifiers.contains(lower)
            };
            if !allowed {
                return;
            }
            words += 1;
            if words > 6 {
                return;
            }
            cursor += 1;
        }
        let Some(head_end) = head_end else {
            return;
        };
        let mut end = head_end + 1;
        let mut anaphoric = None;
        // The tail: a preposition and a capitalised span or a few lower-case words.
        if self.lower_is(end, TAIL_PREPOSITIONS) {
            let tail_start = end;
            let mut probe = end + 1;
            let definite = self.lower_is(probe, &["the"]);
            if definite {
                probe += 1;
            }
            let mut tail_words = 0;
            let mut capitalised = false;
            let mut lower_case = false;
            while let Some(word) = self.word(probe) {
                if APPOSITIVE_ENDERS.contains(&word.lower.as_ref()) || tail_words >= 5 {
                    break;
                }
                if word.capitalised() {
                    if self.is_other_person(probe) {
                        break;
                    }
                    capitalised = true;
                } else if is_listed_not_name(word.lower.as_ref()) {
                    // "of"/"the" inside a name ("Ministry of the Interior").
                    if !(capitalised
                        && matches!(word.lower.as_ref(), "of" | "the" | "and")
                        && self
                            .word(probe + 1)
                            .is_some_and(|t| t.capitalised() || t.lower == "the"))
                    {
                        break;
                    }
                } else {
                    lower_case = true;
                }
                tail_words += 1;
                probe += 1;
            }
            if tail_words > 0 && self.ends_appositive(probe) {
                end = probe;
                if definite && !capitalised && lower_case {
                    anaphoric = Some((tail_start, probe));
                }
            }
        }
        if !self.ends_appositive(end) {
            return;
        }
        role.after = Some(Appositive {
            start,
            end,
            anaphoric,
        });
    }

    /// The token after a possessive that opens an appositive ("Ukraine's defence
    /// minister"), if `index` starts one.
    fn possessive_ahead(&self, index: usize) -> Option<usize> {
        let mut cursor = index;
        while self.word(cursor).is_some_and(|t| t.capitalised()) && cursor < index + 4 {
            cursor += 1;
        }
        if cursor > index
            && self
                .tokens
                .get(cursor)
                .is_some_and(|t| t.kind == TokenKind::Possessive)
        {
            Some(cursor + 1)
        } else {
            None
        }
    }

    /// Whether an appositive may end before token `index`.
    fn ends_appositive(&self, index: usize) -> bool {
        match self.tokens.get(index) {
            None => true,
            Some(token) => match token.kind {
                TokenKind::Punct(c) => {
                    matches!(
                        c,
                        ',' | '.' | ';' | ':' | ')' | '—' | '–' | '"' | '”' | '’' | '!' | '?'
                    ) || (c == '-' && token.space_before)
                }
                TokenKind::Word => APPOSITIVE_ENDERS.contains(&token.lower.as_ref()),
                TokenKind::Possessive => false,
            },
        }
    }
}

/// How a capitalised word may take part in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameClass {
    /// Anywhere in a name.
    Strict,
    /// Only as the last word of a name of two or more ("Theresa May").
    LastOnly,
    /// Never.
    No,
}

/// One capital letter: a middle initial ("W" of "George W. Bush").
fn is_initial(token: &Token) -> bool {
    let mut chars = token.text.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// Whether a capitalised sentence opener is an inflected ordinary word ("Joining",
/// "Reportedly") rather than a name.
fn opener_inflection(lower: &str) -> bool {
    let long = lower.chars().count() > 5;
    long && (lower.ends_with("ing")
        || [
            "ally", "edly", "ntly", "usly", "tely", "ably", "ibly", "arly", "ssly", "ively",
        ]
        .iter()
        .any(|suffix| lower.ends_with(suffix)))
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::roles::roles_compatible;
    use super::*;

    /// Renders a mention as "text|name|key|role value|role head" ("text|name|key" without
    /// a role) for table comparisons.
    fn render(mention: &PersonMention) -> String {
        match &mention.role {
            Some(role) => format!(
                "{}|{}|{}|{}|{}",
                mention.text, mention.name, mention.key, role.value, role.head
            ),
            None => format!("{}|{}|{}", mention.text, mention.name, mention.key),
        }
    }

    /// Checks the rendered people of `sentence` and that each quotes its own span.
    fn check(sentence: &str, expected: &[&str]) {
        let found = find_people(sentence);
        let got: Vec<String> = found.iter().map(render).collect();
        assert_eq!(got, expected, "in {sentence:?}");
        for mention in &found {
            assert_eq!(&sentence[mention.start..mention.end], mention.text);
            if let Some(role) = &mention.role
                && !role.text.contains(", ")
            {
                assert_eq!(&sentence[role.start..role.end], role.text);
            }
        }
    }

    #[test]
    fn people_in_news_phrasing() {
        #[rustfmt::skip]
        let cases: &[(&str, &[&str])] = &[
            // Titles before the name, with their qualifiers.
            ("The team, led by US Army Secretary Dan Driscoll, is expected to meet Ukrainian President Volodymyr Zelensky in Kyiv.",
             &["US Army Secretary Dan Driscoll|Dan Driscoll|driscol|us army secretary|secretary",
               "Ukrainian President Volodymyr Zelensky|Volodymyr Zelensky|zelenski|ukrainian president|president"]),
            ("Kremlin spokesman Dmitry Peskov appeared to downplay the reports.",
             &["Kremlin spokesman Dmitry Peskov|Dmitry Peskov|peskov|kremlin spokesman|spokesperson"]),
            ("Earlier this month, Russian Foreign Minister Sergei Lavrov said Moscow's conditions had not changed.",
             &["Russian Foreign Minister Sergei Lavrov|Sergei Lavrov|lavrov|russian foreign minister|minister"]),
            ("Deputy Interior Minister Pavel Zaretsky, who flew to the region, said the money would be released.",
             &["Deputy Interior Minister Pavel Zaretsky|Pavel Zaretsky|zaretski|deputy interior minister|minister"]),
            ("Interior Minister Pavel Zaretsky travelled to the region.",
             &["Interior Minister Pavel Zaretsky|Pavel Zaretsky|zaretski|interior minister|minister"]),
            ("An image showed Driscoll shaking hands with Ukrainian Defence Minister Denys Shmyhal.",
             &["Ukrainian Defence Minister Denys Shmyhal|Denys Shmyhal|shmihal|ukrainian defense minister|minister"]),
            ("Korvask Gov. Anton Veresov declared a state of emergency.",
             &["Korvask Gov. Anton Veresov|Anton Veresov|veresov|korvask governor|governor"]),
            ("Korvask Governor Anton Veresov proclaimed a state of emergency.",
             &["Korvask Governor Anton Veresov|Anton Veresov|veresov|korvask governor|governor"]),
            ("Governor Anton Veresov said: \"We will rebuild every home.\"",
             &["Governor Anton Veresov|Anton Veresov|veresov|governor|governor"]),
            // Several titles in a row.
            ("\"We arrived this morning,\" Army spokesman Col David Butler said in a statement.",
             &["Army spokesman Col David Butler|David Butler|butler|army spokesman, colonel|spokesperson"]),
            ("The mission is fact-finding, stated Army spokesperson Col David Butler.",
             &["Army spokesperson Col David Butler|David Butler|butler|army spokesperson, colonel|spokesperson"]),
            ("Driscoll is joined by the US Army's chief of staff Gen Randy George, top US army commander in Europe Gen Chris Donahue, and Srg Maj of the Army Michael Weimer.",
             &["US Army's chief of staff Gen Randy George|Randy George|george|us army chief of staff, general|chief of staff",
               "top US army commander in Europe Gen Chris Donahue|Chris Donahue|donahue|us army commander in europe, general|commander",
               "Srg Maj of the Army Michael Weimer|Michael Weimer|veimer|sergeant major of army|sergeant major"]),
            ("Joining Driscoll are the leading US army commander in Europe Gen Chris Donahue and Sergeant Major of the Army Michael Weimer.",
             &["leading US army commander in Europe Gen Chris Donahue|Chris Donahue|donahue|us army commander in europe, general|commander",
               "Sergeant Major of the Army Michael Weimer|Michael Weimer|veimer|sergeant major of army|sergeant major"]),
            ("Senior officials, including Chief of Staff Gen Randy George and Europe commander Gen Chris Donahue, held talks.",
             &["Chief of Staff Gen Randy George|Randy George|george|chief of staff, general|chief of staff",
               "Europe commander Gen Chris Donahue|Chris Donahue|donahue|europe commander, general|commander"]),
            ("Lt Gen Keith Kellogg arrived.", &["Lt Gen Keith Kellogg|Keith Kellogg|kelog|lieutenant general|lieutenant general"]),
            ("Maj Gen Ivan Petrov was dismissed.", &["Maj Gen Ivan Petrov|Ivan Petrov|petrov|major general|major general"]),
            // A single word needs a capitalised title or an honorific.
            ("Driscoll and Gen George are the most senior officials to visit since President Donald Trump took office.",
             &["Gen George|George|george|general|general",
               "President Donald Trump|Donald Trump|trump|president|president"]),
            ("\"Secretary Driscoll and team arrived this morning,\" he said.",
             &["Secretary Driscoll|Driscoll|driscol|secretary|secretary"]),
            ("\"No country can face them alone,\" Ms Marsh said in a statement issued in Geneva.", &["Ms Marsh|Marsh|marsh"]),
            ("Mr Driscoll met them.", &["Mr Driscoll|Driscoll|driscol"]),
            ("\"We recommended urgent repairs,\" Dr Fedoseev stated.", &["Dr Fedoseev|Fedoseev|fedosev|doctor|doctor"]),
            ("The reports were the work of market leader Diageo.", &[]),
            ("Driscoll is joined by his team.", &[]),
            // Plural titles cover coordinated names.
            ("\"Presidents Zelensky and Trump have already agreed to stop the conflict,\" the official said.",
             &["Presidents Zelensky|Zelensky|zelenski|president|president", "Trump|Trump|trump|president|president"]),
            ("It was reached by President Zelensky and President Trump.",
             &["President Zelensky|Zelensky|zelenski|president|president", "President Trump|Trump|trump|president|president"]),
            // Possessives: a person's stays out of the role, a place's or an organisation's stays in.
            ("Trump's special envoy Steve Witkoff and Russian leader Vladimir Putin's envoy Kirill Dmitriev worked on the plan.",
             &["special envoy Steve Witkoff|Steve Witkoff|vitkof|special envoy|envoy",
               "Russian leader Vladimir Putin|Vladimir Putin|putin|russian leader|leader",
               "envoy Kirill Dmitriev|Kirill Dmitriev|dmitriev|envoy|envoy"]),
            ("Trump's special envoy Steve Witkoff and Russian envoy Kirill Dmitriyev are involved.",
             &["special envoy Steve Witkoff|Steve Witkoff|vitkof|special envoy|envoy",
               "Russian envoy Kirill Dmitriyev|Kirill Dmitriyev|dmitriev|russian envoy|envoy"]),
            ("Ukraine's Defence Minister Denys Shmyhal said the talks went well.",
             &["Ukraine's Defence Minister Denys Shmyhal|Denys Shmyhal|shmihal|ukraine defense minister|minister"]),
            ("It was confirmed by India's finance minister Palaniappan Chidambaram.",
             &["India's finance minister Palaniappan Chidambaram|Palaniappan Chidambaram|chidambaram|india finance minister|minister"]),
            // Tails naming where the office is.
            ("A White House official confirmed that special envoy to Ukraine Keith Kellogg will leave his post in January.",
             &["special envoy to Ukraine Keith Kellogg|Keith Kellogg|kelog|special envoy to ukraine|envoy"]),
            ("Meanwhile, the White House confirmed that special envoy Keith Kellogg will step down.",
             &["special envoy Keith Kellogg|Keith Kellogg|kelog|special envoy|envoy"]),
            // Appositives after the name.
            ("Keith Kellogg, the special envoy to Ukraine, will leave his post in January.",
             &["Keith Kellogg, the special envoy to Ukraine|Keith Kellogg|kelog|special envoy to ukraine|envoy"]),
            ("Helena Marsh, the UN special envoy for climate adaptation, said the United Nations stood ready.",
             &["Helena Marsh, the UN special envoy for climate adaptation|Helena Marsh|marsh|un special envoy for climate adaptation|envoy"]),
            ("Dr Nikolai Fedoseyev, a hydraulic engineer at Stolvar Technical University who inspected the dam, said he had warned of cracks.",
             &["Dr Nikolai Fedoseyev, a hydraulic engineer at Stolvar Technical University|Nikolai Fedoseyev|fedosev|doctor, hydraulic engineer at stolvar technical university|engineer"]),
            ("\"The water rose,\" said Col Oleg Marchuk, a spokesman for the service.",
             &["Col Oleg Marchuk, a spokesman for the service|Oleg Marchuk|marchuk|colonel, spokesman|spokesperson"]),
            ("\"The water climbed,\" stated Colonel Oleg Marchuk, a spokesperson for the service.",
             &["Colonel Oleg Marchuk, a spokesperson for the service|Oleg Marchuk|marchuk|colonel, spokesperson|spokesperson"]),
            ("Rick Egelton, deputy chief economist at BMO Financial Group, said rates would rise.",
             &["Rick Egelton, deputy chief economist at BMO Financial Group|Rick Egelton|egelton|deputy chief economist at bmo financial group|economist"]),
            ("Shmyhal, the defence minister, said the talks went well.",
             &["Shmyhal, the defence minister|Shmyhal|shmihal|defense minister|minister"]),
            ("\"We heard a roar,\" said Vera Antonova, 67, who was rescued from the roof.",
             &["Vera Antonova|Vera Antonova|antonova"]),
            ("He met Ivan Petrov, the president said.", &["Ivan Petrov|Ivan Petrov|petrov"]),
            ("In Belozar, the governor said the water was rising.", &[]),
            // Appositives before the name.
            ("About 1,200 people were evacuated, and the region's governor, Anton Veresov, declared a state of emergency.",
             &["governor, Anton Veresov|Anton Veresov|veresov|governor|governor"]),
            ("The minister, Denys Shmyhal, said the talks went well.",
             &["minister, Denys Shmyhal|Denys Shmyhal|shmihal|minister|minister"]),
            ("The company's chief executive, Tim Cook, said sales rose.",
             &["chief executive, Tim Cook|Tim Cook|cok|chief executive|chief executive"]),
            // Rank modifiers.
            ("Former President Barack Obama spoke at the event.",
             &["Former President Barack Obama|Barack Obama|obama|former president|president"]),
            ("Ex-president Jacob Zuma was jailed.", &["Ex-president Jacob Zuma|Jacob Zuma|zuma|ex president|president"]),
            ("Vice-President Kamala Harris visited Kyiv.", &["Vice-President Kamala Harris|Kamala Harris|haris|vice president|president"]),
            ("President-elect Donald Trump met him.", &["President-elect Donald Trump|Donald Trump|trump|president elect|president"]),
            ("Acting Prime Minister Yulia Svyrydenko spoke.", &["Acting Prime Minister Yulia Svyrydenko|Yulia Svyrydenko|sviridenko|acting prime minister|prime minister"]),
            ("UN Secretary-General António Guterres warned of famine.",
             &["UN Secretary-General António Guterres|António Guterres|guteres|un secretary general|secretary general"]),
            ("Apple chief executive Tim Cook said sales rose.", &["Apple chief executive Tim Cook|Tim Cook|cok|apple chief executive|chief executive"]),
            ("Texas Judge Letitia Clark ruled on Friday.", &["Texas Judge Letitia Clark|Letitia Clark|clark|texas judge|judge"]),
            ("Prime Minister Sir Keir Starmer said.", &["Prime Minister Sir Keir Starmer|Keir Starmer|starmer|prime minister|prime minister"]),
            // Names without titles, and their parts.
            ("Mohammed bin Salman met Recep Tayyip Erdogan in Riyadh.",
             &["Mohammed bin Salman|Mohammed bin Salman|salman", "Recep Tayyip Erdogan|Recep Tayyip Erdogan|erdogan"]),
            ("Syrian President Bashar al-Assad fled to Moscow.",
             &["Syrian President Bashar al-Assad|Bashar al-Assad|asad|syrian president|president"]),
            ("He met George W. Bush and J. K. Rowling.", &["George W. Bush|George W. Bush|bush", "J. K. Rowling|J. K. Rowling|rovling"]),
            ("Martin Luther King Jr. was born in Atlanta.", &["Martin Luther King Jr.|Martin Luther King Jr.|king"]),
            ("Theresa May said she would resign.", &["Theresa May|Theresa May|mai"]),
            ("Trump spoke to Xi Jinping on Tuesday.", &["Xi Jinping|Xi Jinping|jinping"]),
            ("Kim Jong Un watched the launch.", &["Kim Jong Un|Kim Jong Un|un"]),
            // Capitalised words that are not names.
            ("Senior Pentagon officials have arrived in Ukraine.", &[]),
            ("Meanwhile Trump said he would go.", &[]),
            ("According to new developments, Senior Pentagon officials have arrived.", &[]),
            ("The Daily Dispatch Online reported the story.", &[]),
            ("The Upper Tesna dam gave way on Wednesday.", &[]),
            ("They were evacuated according to the regional Civil Defence Service.", &[]),
            ("The work was done at Stolvar Technical University.", &[]),
            ("Its operator, the state-owned utility Dravenergo, said the reservoir was full.", &[]),
            ("Officials in Kryvyi Rih said the strike hit a school.", &[]),
            ("The talks were held at the White House and Downing Street.", &[]),
            ("Dam Burst in Dravenia's Tesna Valley: Everything We Know So Far", &[]),
            ("THE US AND RUSSIA DREW UP A PEACE PLAN", &[]),
        ];
        for (sentence, expected) in cases {
            check(sentence, expected);
        }
    }

    /// The only person of a sentence (or a bare name with a title).
    fn person(text: &str) -> PersonMention {
        let sentence = format!("{text} said.");
        let people = find_people(&sentence);
        assert_eq!(people.len(), 1, "in {sentence:?}: {people:?}");
        people.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn same_person_pairs() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, bool)] = &[
            ("Kirill Dmitriev", "Kirill Dmitriyev", true),
            ("Envoy Dmitriev", "Kirill Dmitriyev", true),
            ("President Zelensky", "Volodymyr Zelenskyy", true),
            ("President Zelenskiy", "President Zelensky", true),
            ("Nikolai Fedoseyev", "Nikolai Fedoseev", true),
            ("Randy George", "Gen George", true),
            ("Dan Driscoll", "Daniel Driscoll", true),
            ("Mike Pence", "Michael Pence", true),
            ("J. Smith", "John Smith", true),
            ("Sergei Lavrov", "Sergey Lavrov", true),
            ("Dmitry Peskov", "Dmitri Peskov", true),
            ("Volodymyr Zelensky", "Vladimir Zelensky", true),
            ("Gen George", "Gen Chris Donahue", false),
            ("Randy George", "Chris Donahue", false),
            ("Joe Biden", "Hunter Biden", false),
            ("Kirill Dmitriev", "Kirill Peskov", false),
        ];
        for (a, b, expected) in cases {
            let person_a = person(a);
            let person_b = person(b);
            assert_eq!(
                same_person(&person_a, &person_b),
                *expected,
                "{a:?} vs {b:?}"
            );
            assert_eq!(
                same_person(&person_b, &person_a),
                *expected,
                "{b:?} vs {a:?}"
            );
        }
    }

    #[test]
    fn name_keys_ignore_transliteration() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("Dmitriev", "dmitriev"), ("Dmitriyev", "dmitriev"),
            ("Zelensky", "zelenski"), ("Zelenskiy", "zelenski"), ("Zelenskyy", "zelenski"), ("Zelenski", "zelenski"),
            ("Fedoseyev", "fedosev"), ("Fedoseev", "fedosev"),
            ("Yermak", "ermak"), ("Ermak", "ermak"),
            ("Khodorkovsky", "hodorkovski"), ("Hodorkovsky", "hodorkovski"),
            ("Peskov", "peskov"), ("Peskow", "peskov"),
            ("Erdoğan", "erdogan"), ("Erdogan", "erdogan"),
            ("al-Assad", "asad"), ("Assad", "asad"),
            ("O'Brien", "obrien"),
            ("Smirnoff", "smirnof"),
            ("George", "george"), ("Donahue", "donahue"),
            ("Зеленский", "зеленский"),
        ];
        for (name, key) in cases {
            assert_eq!(name_key(name), *key, "{name:?}");
        }
    }

    #[test]
    fn index_resolves_surnames() {
        let document = [
            "The team, led by US Army Secretary Dan Driscoll, arrived with chief of staff Gen Randy George.",
            "Driscoll is joined by Joe Biden and Hunter Biden.",
            "Driscoll and Gen George met Biden.",
        ];
        let mut index = NameIndex::new();
        for sentence in &document {
            for mention in find_people(sentence) {
                index.add(&mention);
            }
        }
        assert_eq!(index.full_name("driscol"), Some("Dan Driscoll"));
        assert_eq!(index.full_name("george"), Some("Randy George"));
        // Two Bidens: the surname alone names nobody in particular.
        assert_eq!(index.full_name("biden"), None);
        assert!(index.knows("biden"));
        assert_eq!(index.full_name("donahue"), None);

        let people = find_people_with(document[2], &index);
        let names: Vec<(&str, Option<&str>)> = people
            .iter()
            .map(|p| (p.name.as_str(), index.full_name(&p.key)))
            .collect();
        assert_eq!(
            names,
            [
                ("Driscoll", Some("Dan Driscoll")),
                ("George", Some("Randy George")),
                ("Biden", None)
            ]
        );
        // Without the index a lone surname is no one.
        assert_eq!(find_people("Driscoll is joined by his team.").len(), 0);
        assert_eq!(
            find_people_with("Driscoll is joined by his team.", &index).len(),
            1
        );
        // A single-word mention adds nothing.
        let mut empty = NameIndex::new();
        for mention in find_people("Mr Driscoll arrived.") {
            empty.add(&mention);
        }
        assert!(!empty.knows("driscol"));
    }

    #[test]
    fn never_panics_and_quotes_its_spans() {
        let pieces = [
            "Mr",
            "Gen",
            "Gen.",
            "Col",
            "Srg",
            "Maj",
            "President",
            "Presidents",
            "the",
            "The",
            "of",
            "to",
            "'s",
            "’s",
            "s",
            ",",
            ".",
            "-",
            "—",
            "\"",
            "“",
            "(",
            "U.S.",
            "US",
            "Army",
            "spokesman",
            "envoy",
            "Dmitriev",
            "Zelenskyy",
            "Ünal",
            "Éire",
            "al-Assad",
            "Jr",
            "and",
            "who",
            "in",
            "Kyiv",
            "Ministry",
            "Żółć",
            "東京",
            "😀",
            "A.",
            "B",
            "deputy",
            "Deputy",
            "ex-",
            "-elect",
            "'",
            "’",
            " ",
            "  ",
            "\n",
            "Ⅻ",
            "İstanbul",
        ];
        // A seeded linear congruential generator: deterministic, no dependency.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut index = NameIndex::new();
        for _ in 0..3000 {
            let length = next() % 25;
            let mut sentence = String::new();
            for _ in 0..length {
                sentence.push_str(pieces[next() % pieces.len()]);
                if next() % 3 > 0 {
                    sentence.push(' ');
                }
            }
            for mention in find_people_with(&sentence, &index) {
                assert!(sentence.is_char_boundary(mention.start));
                assert!(sentence.is_char_boundary(mention.end));
                assert_eq!(&sentence[mention.start..mention.end], mention.text);
                if let Some(role) = &mention.role {
                    assert!(sentence.is_char_boundary(role.start));
                    assert!(sentence.is_char_boundary(role.end));
                    assert!(role.start <= role.end && role.end <= sentence.len());
                    roles_compatible(role, role);
                }
                index.add(&mention);
            }
        }
        // Arbitrary characters, not just words.
        for _ in 0..2000 {
            let sentence: String = (0..next() % 40)
                .filter_map(|_| char::from_u32((next() % 0x3000) as u32))
                .collect();
            for mention in find_people(&sentence) {
                assert_eq!(&sentence[mention.start..mention.end], mention.text);
            }
        }
    }
}
