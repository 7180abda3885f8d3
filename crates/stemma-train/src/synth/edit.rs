//! Edits that change one fact of a sentence: a name swapped for another of the same
//! article, a number or a date moved, a verb negated, a word turned into its antonym, a
//! role changed, a quotation given to someone else, or a detail invented.
//!
//! Replacement names and numbers come from the same article wherever they can: a model
//! that only asks "does this name occur in the source?" must not be able to pass.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::OnceLock;

use super::EditKind;
use super::reword::is_plain_number;
use super::rng::Rng;
use super::text::{
    find_name, find_phrase, has_quote, inside, is_capitalised, match_case, quoted_spans, replace,
    words,
};

/// One changed sentence: the new text and the words before and after the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The sentence after the edit.
    pub sentence: String,
    /// The words replaced (empty when something was added).
    pub before: String,
    /// The words put in their place.
    pub after: String,
}

/// What sort of name a name is, so a swap keeps a person a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameClass {
    /// Two or three capitalised words with no organisation word: "Richard Parsons".
    Person,
    /// A surname alone, after a title or known from a full name: "Mr Parsons".
    Surname,
    /// A country or city of the list below.
    Place,
    /// A nationality or other word made from a place ("Japanese", "Saudi"): swapping one
    /// for an organisation would make no sense.
    Nationality,
    /// Any other name: organisations, products, parties, teams.
    Other,
}

/// A name of an article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Name {
    /// The name as written.
    pub text: String,
    /// Its class.
    pub class: NameClass,
}

/// The names and numbers an article gives, for edits that swap one for another.
#[derive(Debug, Clone, Default)]
pub struct ArticleFacts {
    /// Names, longest first (so "Time Warner" is found before "Warner").
    pub names: Vec<Name>,
    /// Numbers as written, with their unit suffix ("1.13bn", "464,000", "27").
    pub numbers: Vec<String>,
    /// The whole article, lower case, to tell whether an invented detail is new.
    pub text_lower: String,
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const TITLES: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Sir",
    "Lord",
    "Lady",
    "Dame",
    "Prof",
    "Professor",
];

/// Capitalised words that are not names, or not by themselves: they split a run of
/// capitals ("Prime Minister Tony Blair" gives "Tony Blair").
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They",
    "We", "I", "You", "His", "Her", "Their", "Our", "My", "But", "And", "Or", "So", "Yet",
    "However", "In", "On", "At", "For", "If", "When", "While", "After", "Before", "As", "By",
    "Although", "Despite", "Since", "Following", "Meanwhile", "According", "Last", "Next",
    "There", "What", "Who", "Why", "How", "Where", "Some", "Many", "Most", "Both", "All",
    "One", "Now", "Then", "Still", "Also", "Even", "Only", "Such", "Earlier", "Later", "To",
    "With", "From", "Of", "No", "Not", "Prime", "Minister", "President", "Chancellor",
    "Secretary", "Chairman", "Chief", "Executive", "Deputy", "Leader", "King", "Queen",
    "Prince", "Princess", "Pope", "Senator", "Governor", "Home", "Foreign", "Shadow",
    "General", "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "Dame", "Prof",
    "Professor", "BBC", "TV", "UK", "US",
];

/// Words that make a run of capitals an organisation rather than a person.
#[rustfmt::skip]
const ORG_WORDS: &[&str] = &[
    "Bank", "Group", "Party", "Commission", "Council", "Association", "Union", "Inc", "Ltd",
    "Corporation", "Company", "Ministry", "Department", "Office", "University", "League",
    "Club", "United", "City", "FC", "Court", "House", "News", "Times", "Street", "Airlines",
    "Airways", "Motors", "Records", "Studios", "Festival", "Awards", "Cup", "Championship",
    "Parliament", "Government", "Committee", "Agency", "Service", "Services", "Institute",
    "Federation", "Board", "Fund", "Exchange", "Television", "Radio", "Post", "Journal",
    "Telegraph", "Guardian", "Mail", "Music", "Pictures", "Entertainment", "Games", "Open",
    "Rovers", "Athletic", "Villa", "Wanderers", "Trust", "Foundation", "Network", "Systems",
    "Microsoft", "Google", "Apple", "Sony", "Nintendo", "Europe", "Africa", "America",
    "Asia", "Kingdom", "States", "Republic", "Square", "Road", "Centre", "Center", "Hall",
    "Theatre", "Museum", "Olympics", "Olympic", "Awards", "Prize", "Series", "Grand",
    "Motor", "Railway", "Railways", "Holdings", "Industries", "Energy", "Oil", "Telecom",
    "Communications", "Capital", "Securities", "Insurance", "Media", "Bros", "Corp",
    "Electric", "Electronics", "Technologies", "Reserve", "Authority", "Stanley", "Sachs",
    "Lynch", "Partners", "Investments", "Airport", "Stores", "Brewery", "Pharmaceuticals",
];

/// Words that name an institution only with others ("Federal Reserve", "Home Office"):
/// alone they are a name cut short, not a name to swap.
#[rustfmt::skip]
const INSTITUTION_WORDS: &[&str] = &[
    "Ministry", "Department", "Office", "Commission", "Council", "Committee", "Agency",
    "Service", "Services", "Reserve", "Authority", "Board", "Fund", "Exchange", "Court",
    "House", "Bank", "Group", "Party", "Union", "Association", "League", "Club",
    "University", "Government", "Parliament", "Motor", "Motors", "Railways", "Holdings",
];

/// Countries and cities a news story names most, so a place is swapped for a place.
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "UK", "US", "USA", "Britain", "England", "Scotland", "Wales", "Ireland", "Northern Ireland",
    "France", "Germany", "Italy", "Spain", "Portugal", "Greece", "Turkey", "Russia", "China",
    "Japan", "India", "Pakistan", "Iraq", "Iran", "Israel", "Egypt", "Afghanistan", "Syria",
    "Europe", "America", "Africa", "Asia", "Australia", "Canada", "Brazil", "Mexico",
    "Argentina", "Netherlands", "Belgium", "Sweden", "Norway", "Denmark", "Finland",
    "Switzerland", "Austria", "Poland", "Ukraine", "Nigeria", "Kenya", "South Africa",
    "Zimbabwe", "South Korea", "North Korea", "Korea", "Taiwan", "Singapore", "Indonesia",
    "Thailand", "New Zealand", "London", "Paris", "New York", "Washington", "Moscow",
    "Beijing", "Tokyo", "Berlin", "Brussels", "Edinburgh", "Glasgow", "Cardiff", "Belfast",
    "Manchester", "Liverpool", "Birmingham", "Leeds", "Dublin", "Rome", "Madrid", "Hong Kong",
    "Los Angeles", "Hollywood", "Sydney", "Melbourne", "Las Vegas", "California", "Texas",
    "Florida", "Geneva", "Frankfurt", "Milan", "Barcelona", "Mumbai", "Delhi", "Shanghai",
    "Seoul", "Cannes", "Venice", "Toronto", "Chicago", "Boston", "San Francisco",
];

/// A run of capitalised words, the candidate names of a sentence.
struct Run {
    range: Range<usize>,
    n_words: usize,
    after_title: bool,
    opens_sentence: bool,
}

/// Whether a word names a role ("Analyst", "Striker"), which a capital at the start of a
/// sentence or before a name does not make a name.
fn is_role_word(word: &str) -> bool {
    const MORE: &[&str] = &[
        "former", "veteran", "analyst", "analysts", "boss", "star", "champion", "rival",
    ];
    let lower = word.to_lowercase();
    MORE.contains(&lower.as_str())
        || ROLES
            .iter()
            .any(|(role, _)| role.split([' ', '-']).any(|w| w == lower))
}

fn is_name_word(word: &str) -> bool {
    is_capitalised(word)
        && !NOT_NAMES.contains(&word)
        && !is_role_word(word)
        && !MONTHS.contains(&word)
        && !WEEKDAYS.contains(&word)
        && !word.chars().any(|c| c.is_ascii_digit())
        && (word.chars().count() > 1)
}

fn capital_runs(sentence: &str) -> Vec<Run> {
    let ws = words(sentence);
    let gap = |k: usize| &sentence[ws[k].end..ws[k + 1].start];
    let mut runs = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let word = &sentence[ws[i].clone()];
        // "PLACES" has "UK" and "US", which NOT_NAMES keeps out of longer runs.
        let is_place_alone = PLACES.contains(&word) && !is_name_word(word);
        if !is_name_word(word) && !is_place_alone {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while !is_place_alone && end < ws.len() && gap(end - 1) == " " {
            let next = &sentence[ws[end].clone()];
            if is_name_word(next) {
                end += 1;
            } else if next == "of"
                && end + 1 < ws.len()
                && gap(end) == " "
                && is_name_word(&sentence[ws[end + 1].clone()])
            {
                end += 2;
            } else {
                break;
            }
        }
        let after_title = start > 0
            && TITLES.contains(&&sentence[ws[start - 1].clone()])
            && gap(start - 1) == " ";
        runs.push(Run {
            range: ws[start].start..ws[end - 1].end,
            n_words: end - start,
            after_title,
            opens_sentence: start == 0,
        });
        i = end;
    }
    runs
}

fn classify(name: &str, n_words: usize) -> NameClass {
    if PLACES.contains(&name) {
        return NameClass::Place;
    }
    let demonym_ending = ["ese", "ian", "ish", "ean", "can", "ani", "i"]
        .iter()
        .any(|end| name.ends_with(end));
    if n_words == 1 && demonym_ending && name.chars().skip(1).all(char::is_lowercase) {
        return NameClass::Nationality;
    }
    let parts: Vec<&str> = name.split(' ').collect();
    let person_like = (2..=3).contains(&n_words)
        && parts.iter().all(|p| {
            !ORG_WORDS.contains(p)
                && p != &"of"
                && p.chars().any(char::is_lowercase)
                && !PLACES.contains(p)
        });
    if person_like {
        NameClass::Person
    } else {
        NameClass::Other
    }
}

impl ArticleFacts {
    /// The names and numbers of an article's sentences.
    pub fn of(sentences: &[String]) -> ArticleFacts {
        let mut names: BTreeSet<Name> = BTreeSet::new();
        let mut surnames: BTreeSet<String> = BTreeSet::new();
        let mut numbers: BTreeSet<String> = BTreeSet::new();
        // Words the article writes in lower case somewhere: one of them opening a sentence
        // ("Quarterly profits at …") is capitalised as an opener, not as a name.
        let lower_words: BTreeSet<&str> = sentences
            .iter()
            .flat_map(|s| words(s).into_iter().map(move |r| &s[r]))
            .filter(|w| w.starts_with(char::is_lowercase))
            .collect();
        for sentence in sentences {
            for mut run in capital_runs(sentence) {
                let mut text = sentence[run.range.clone()].to_string();
                if run.opens_sentence
                    && run.n_words > 1
                    && let Some((first, rest)) = text.split_once(' ')
                    && (lower_words.contains(first.to_lowercase().as_str())
                        || first.len() > 4 && (first.ends_with("ing") || first.ends_with("ly")))
                {
                    text = rest.to_string();
                    run.n_words -= 1;
                    run.opens_sentence = false;
                }
                // "Chapter 11", "Windows 98": a word before a number is part of a
                // title, not a name.
                let before_number = sentence[run.range.end..]
                    .strip_prefix(' ')
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
                if run.n_words == 1 && before_number {
                    continue;
                }
                if run.n_words == 1 && INSTITUTION_WORDS.contains(&text.as_str()) {
                    // "Ministry", "Reserve" alone are part of a name cut short.
                    continue;
                }
                if run.after_title && run.n_words == 1 {
                    surnames.insert(text);
                } else if !(run.opens_sentence && run.n_words == 1) {
                    let class = classify(&text, run.n_words);
                    if class == NameClass::Person
                        && let Some(last) = text.rsplit(' ').next()
                    {
                        surnames.insert(last.to_string());
                    }
                    names.insert(Name { text, class });
                }
            }
            for range in words(sentence) {
                let token = &sentence[range];
                if token.starts_with(|c: char| c.is_ascii_digit()) {
                    numbers.insert(token.to_string());
                }
            }
        }
        // A surname is a surname wherever it stands: "Parsons said" is not an
        // organisation.
        let mut names: Vec<Name> = names
            .into_iter()
            .filter(|name| !surnames.contains(&name.text))
            .collect();
        names.extend(surnames.into_iter().map(|text| Name {
            text,
            class: NameClass::Surname,
        }));
        names.sort_by(|a, b| {
            b.text
                .len()
                .cmp(&a.text.len())
                .then_with(|| a.text.cmp(&b.text))
        });
        ArticleFacts {
            names,
            numbers: numbers.into_iter().collect(),
            text_lower: sentences.join(" ").to_lowercase(),
        }
    }

    /// The names of the article found in `sentence`, longest first, none inside another.
    fn names_in(&self, sentence: &str) -> Vec<(Range<usize>, &Name)> {
        let mut found: Vec<(Range<usize>, &Name)> = Vec::new();
        for name in &self.names {
            for range in find_name(sentence, &name.text) {
                let overlaps = found
                    .iter()
                    .any(|(r, _)| r.start < range.end && range.start < r.end);
                if !overlaps {
                    found.push((range, name));
                }
            }
        }
        found.sort_by_key(|(range, _)| range.start);
        found
    }
}

/// Whether two names share a word ("Time Warner", "Warner Bros"): swapping one for the
/// other would change too little to count.
fn share_a_word(a: &str, b: &str) -> bool {
    let a_words: Vec<String> = a.split(' ').map(str::to_lowercase).collect();
    b.split(' ')
        .any(|w| a_words.contains(&w.to_lowercase()) && w.len() > 2)
        || a.replace(' ', "").eq_ignore_ascii_case(&b.replace(' ', ""))
}

/// Applies an edit of `kind` to `sentence`, or `None` when the sentence offers nothing
/// to edit that way. `ForeignSentence` is no edit of a sentence and always gives `None`.
pub fn edit_sentence(
    kind: EditKind,
    sentence: &str,
    facts: &ArticleFacts,
    rng: &mut Rng,
) -> Option<Change> {
    match kind {
        EditKind::EntitySwap => swap_name(sentence, facts, false, rng),
        EditKind::QuoteMisattributed => swap_name(sentence, facts, true, rng),
        EditKind::NumberChange => change_number(sentence, facts, rng),
        EditKind::DateMove => move_date(sentence, rng),
        EditKind::Negation => negate(sentence, rng),
        EditKind::Antonym => antonym(sentence, rng),
        EditKind::RoleChange => change_role(sentence, rng),
        EditKind::InventedDetail => invent_detail(sentence, facts, rng),
        EditKind::ForeignSentence => None,
    }
}

/// Swaps a name for another of the same class from the article. For a misattributed
/// quotation, the name must be a person's, outside the quotation of a sentence that has
/// one: the speaker.
fn swap_name(sentence: &str, facts: &ArticleFacts, speaker: bool, rng: &mut Rng) -> Option<Change> {
    if speaker && !has_quote(sentence) {
        return None;
    }
    let quoted = quoted_spans(sentence);
    let mut found: Vec<(Range<usize>, &Name)> = facts
        .names_in(sentence)
        .into_iter()
        .filter(|(range, name)| {
            !speaker
                || (matches!(name.class, NameClass::Person | NameClass::Surname)
                    && !inside(&quoted, range.start))
        })
        .collect();
    rng.shuffle(&mut found);
    for (range, name) in found {
        let options: Vec<&Name> = facts
            .names
            .iter()
            .filter(|other| {
                other.class == name.class
                    && !share_a_word(&other.text, &name.text)
                    && find_name(sentence, &other.text).is_empty()
            })
            .collect();
        if let Some(other) = rng.pick(&options) {
            return Some(Change {
                sentence: replace(sentence, range, &other.text),
                before: name.text.clone(),
                after: other.text.clone(),
            });
        }
    }
    None
}

/// A number split into its digits and what follows them: "1.13bn" → ("1.13", "bn").
fn split_number(token: &str) -> Option<(&str, &str)> {
    let end = token
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == ','))
        .map_or(token.len(), |(at, _)| at);
    let digits = &token[..end];
    is_plain_number(digits).then_some((digits, &token[end..]))
}

fn is_year(token: &str) -> bool {
    token.len() == 4
        && token
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2099).contains(&y))
}

fn format_number(value: f64, decimals: usize, commas: bool) -> String {
    let text = format!("{value:.decimals$}");
    if !commas {
        return text;
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), format!(".{f}")),
        None => (text.clone(), String::new()),
    };
    let digits: Vec<char> = whole.chars().collect();
    let mut grouped = String::new();
    for (k, c) in digits.iter().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    grouped + &fraction
}

/// A plausible other value for a number: another of the article's numbers of the same
/// unit, or the number moved by a believable amount.
fn other_number(digits: &str, suffix: &str, facts: &ArticleFacts, rng: &mut Rng) -> Option<String> {
    let siblings: Vec<&str> = facts
        .numbers
        .iter()
        .filter_map(|n| split_number(n))
        .filter(|&(d, s)| s == suffix && d != digits && !is_year(d))
        .map(|(d, _)| d)
        .collect();
    if rng.chance(0.5)
        && let Some(sibling) = rng.pick(&siblings)
    {
        return Some(sibling.to_string());
    }
    let commas = digits.contains(',');
    let plain = digits.replace(',', "");
    let value: f64 = plain.parse().ok()?;
    let decimals = plain.split_once('.').map_or(0, |(_, f)| f.len());
    let new_value = if decimals == 0 && value < 10.0 {
        let step = rng.between(1, 3) as f64;
        if value - step >= 1.0 && rng.chance(0.5) {
            value - step
        } else {
            value + step
        }
    } else {
        let factor = *rng.pick(&[0.5, 0.6, 0.75, 0.8, 1.25, 1.4, 1.5, 2.0, 3.0])?;
        value * factor
    };
    let text = format_number(new_value, decimals, commas && new_value >= 1000.0);
    (text != digits).then_some(text)
}

fn next_to_month(sentence: &str, ws: &[Range<usize>], k: usize) -> bool {
    let month = |i: usize| {
        ws.get(i)
            .is_some_and(|w| MONTHS.contains(&&sentence[w.clone()]))
    };
    month(k + 1) || (k > 0 && month(k - 1))
}

/// Changes one number that is not a year or a day of the month (those are dates).
fn change_number(sentence: &str, facts: &ArticleFacts, rng: &mut Rng) -> Option<Change> {
    let ws = words(sentence);
    let mut candidates: Vec<usize> = (0..ws.len())
        .filter(|&k| {
            let token = &sentence[ws[k].clone()];
            split_number(token).is_some() && !is_year(token) && !next_to_month(sentence, &ws, k)
        })
        .collect();
    rng.shuffle(&mut candidates);
    for k in candidates {
        let token = &sentence[ws[k].clone()];
        let (digits, suffix) = split_number(token)?;
        if let Some(new_digits) = other_number(digits, suffix, facts, rng) {
            let range = ws[k].start..ws[k].start + digits.len();
            return Some(Change {
                sentence: replace(sentence, range, &new_digits),
                before: token.to_string(),
                after: format!("{new_digits}{suffix}"),
            });
        }
    }
    None
}

const RELATIVE_DATES: &[(&str, &[&str])] = &[
    ("last week", &["last month", "two weeks ago"]),
    ("last month", &["last week", "last year"]),
    ("last year", &["two years ago", "last month"]),
    ("next week", &["next month", "later this year"]),
    ("next month", &["next year", "next week"]),
    ("next year", &["in two years", "next month"]),
    ("this week", &["last week", "next week"]),
    ("this year", &["last year", "next year"]),
    ("yesterday", &["last week", "on Monday"]),
];

/// Moves a year, a month, a weekday, a day of the month or a relative date.
fn move_date(sentence: &str, rng: &mut Rng) -> Option<Change> {
    let ws = words(sentence);
    let mut options: Vec<(Range<usize>, String)> = Vec::new();
    for (k, w) in ws.iter().enumerate() {
        let token = &sentence[w.clone()];
        if is_year(token) && !sentence[w.end..].starts_with('%') {
            let year: i64 = token.parse().ok()?;
            let step = rng.between(1, 3) as i64;
            let moved = if rng.chance(0.5) || year + step > 2099 {
                year - step
            } else {
                year + step
            };
            options.push((w.clone(), moved.to_string()));
        } else if let Some(m) = MONTHS.iter().position(|&x| x == token)
            && (token != "May" || k > 0)
        {
            let step = rng.between(1, 4);
            let moved = if rng.chance(0.5) {
                m + step
            } else {
                m + 12 - step
            } % 12;
            options.push((w.clone(), MONTHS[moved].to_string()));
        } else if let Some(d) = WEEKDAYS.iter().position(|&x| x == token) {
            let moved = (d + rng.between(1, 6)) % 7;
            options.push((w.clone(), WEEKDAYS[moved].to_string()));
        } else if let Ok(day) = token.parse::<usize>()
            && (1..=31).contains(&day)
            && next_to_month(sentence, &ws, k)
        {
            let step = rng.between(1, 5);
            let moved = if day > step + 1 && rng.chance(0.5) {
                day - step
            } else {
                (day + step).min(28)
            };
            if moved != day {
                options.push((w.clone(), moved.to_string()));
            }
        }
    }
    for &(phrase, choices) in RELATIVE_DATES {
        for range in find_phrase(sentence, phrase) {
            if let Some(choice) = rng.pick(choices) {
                let replacement = match_case(&sentence[range.clone()], choice);
                options.push((range, replacement));
            }
        }
    }
    let (range, replacement) = rng.pick(&options)?.clone();
    Some(Change {
        before: sentence[range.clone()].to_string(),
        sentence: replace(sentence, range, &replacement),
        after: replacement,
    })
}

/// Verbs that take "not" after them.
const AUXILIARIES: &[&str] = &[
    "will", "would", "could", "should", "is", "was", "are", "were", "does", "did", "may", "might",
    "must",
];

const PARTICIPLES: &[&str] = &[
    "been", "made", "won", "lost", "got", "had", "said", "seen", "taken", "told", "sold", "bought",
    "left", "put", "set", "cut", "done", "given", "gone", "kept", "paid", "held", "found",
    "become", "brought", "built", "shown", "grown", "fallen", "risen",
];

const CONTRACTED: &[(&str, &str)] = &[
    ("isn't", "is"),
    ("wasn't", "was"),
    ("aren't", "are"),
    ("weren't", "were"),
    ("didn't", "did"),
    ("doesn't", "does"),
    ("don't", "do"),
    ("hasn't", "has"),
    ("haven't", "have"),
    ("won't", "will"),
    ("wouldn't", "would"),
    ("couldn't", "could"),
    ("cannot", "can"),
    ("can't", "can"),
];

/// Turns a statement into its negation, or a negation into a statement: "will" → "will
/// not", "has won" → "has not won", "was not" → "was", "said" → "denied".
fn negate(sentence: &str, rng: &mut Rng) -> Option<Change> {
    let ws = words(sentence);
    let quoted = quoted_spans(sentence);
    let lower = |k: usize| sentence[ws[k].clone()].to_lowercase();
    let spaced = |k: usize| ws.get(k + 1).is_some() && &sentence[ws[k].end..ws[k + 1].start] == " ";
    let mut options: Vec<(Range<usize>, String)> = Vec::new();
    for k in 0..ws.len() {
        if !spaced(k) {
            continue;
        }
        let word = &sentence[ws[k].clone()];
        let next = lower(k + 1);
        if next == "not" {
            if AUXILIARIES.contains(&lower(k).as_str())
                || ["has", "have", "had", "do"].contains(&lower(k).as_str())
            {
                options.push((ws[k].start..ws[k + 1].end, word.to_string()));
            }
            continue;
        }
        if ["also", "n"].contains(&next.as_str()) {
            continue;
        }
        let lowered = lower(k);
        let takes_not = AUXILIARIES.contains(&lowered.as_str())
            || (["has", "have", "had"].contains(&lowered.as_str())
                && (next.ends_with("ed")
                    || next.ends_with("en")
                    || PARTICIPLES.contains(&next.as_str())));
        if takes_not {
            options.push((ws[k].clone(), format!("{word} not")));
        } else if lowered == "can" {
            options.push((ws[k].clone(), match_case(word, "cannot")));
        } else if word == "said"
            && !inside(&quoted, ws[k].start)
            && sentence[ws[k + 1].clone()].chars().all(char::is_lowercase)
            && !["to", "of", "by", "on", "in", "at", "in"].contains(&next.as_str())
        {
            options.push((ws[k].clone(), "denied".to_string()));
        }
    }
    for &(contracted, full) in CONTRACTED {
        for range in find_phrase(sentence, contracted) {
            let replacement = match_case(&sentence[range.clone()], full);
            options.push((range, replacement));
        }
    }
    // Outside quotations first: a negated quotation is a misquote, which is rarer.
    let outside: Vec<(Range<usize>, String)> = options
        .iter()
        .filter(|(range, _)| !inside(&quoted, range.start))
        .cloned()
        .collect();
    let pool = if outside.is_empty() {
        &options
    } else {
        &outside
    };
    let (range, replacement) = rng.pick(pool)?.clone();
    Some(Change {
        before: sentence[range.clone()].to_string(),
        sentence: replace(sentence, range, &replacement),
        after: replacement,
    })
}

fn antonyms() -> &'static Vec<(String, String)> {
    static TABLE: OnceLock<Vec<(String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for line in include_str!("antonyms.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((a, b)) = line.split_once(',') {
                let (a, b) = (a.trim().to_string(), b.trim().to_string());
                for (from, to) in [(a.clone(), b.clone()), (b, a)] {
                    if !pairs.iter().any(|(f, _)| *f == from) {
                        pairs.push((from, to));
                    }
                }
            }
        }
        // Longest first, so "more than" is found before a word inside it.
        pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        pairs
    })
}

/// Replaces a word with its antonym ("rose" → "fell").
fn antonym(sentence: &str, rng: &mut Rng) -> Option<Change> {
    let mut options: Vec<(Range<usize>, &str)> = Vec::new();
    for (from, to) in antonyms() {
        for range in find_phrase(sentence, from) {
            let written = &sentence[range.clone()];
            let overlaps = options
                .iter()
                .any(|(r, _)| r.start < range.end && range.start < r.end);
            if !overlaps && (range.start == 0 || !is_capitalised(written)) {
                options.push((range, to));
            }
        }
    }
    let (range, to) = rng.pick(&options)?.clone();
    let replacement = match_case(&sentence[range.clone()], to);
    Some(Change {
        before: sentence[range.clone()].to_string(),
        sentence: replace(sentence, range, &replacement),
        after: replacement,
    })
}

/// Roles and what an edit turns them into: a promotion, a demotion, a neighbour.
const ROLES: &[(&str, &[&str])] = &[
    ("deputy prime minister", &["prime minister"]),
    (
        "prime minister",
        &["deputy prime minister", "foreign secretary"],
    ),
    ("shadow chancellor", &["chancellor"]),
    ("chancellor", &["shadow chancellor", "prime minister"]),
    ("shadow home secretary", &["home secretary"]),
    (
        "home secretary",
        &["foreign secretary", "shadow home secretary"],
    ),
    ("foreign secretary", &["home secretary", "foreign minister"]),
    (
        "foreign minister",
        &["prime minister", "deputy foreign minister"],
    ),
    ("deputy minister", &["minister"]),
    (
        "minister",
        &["deputy minister", "junior minister", "former minister"],
    ),
    ("vice-president", &["president"]),
    ("president", &["vice-president", "former president"]),
    (
        "chief executive",
        &["chairman", "finance director", "chief operating officer"],
    ),
    ("vice-chairman", &["chairman"]),
    (
        "chairman",
        &["chief executive", "vice-chairman", "former chairman"],
    ),
    ("finance director", &["chief executive"]),
    ("managing director", &["chairman", "sales director"]),
    ("deputy director", &["director"]),
    ("director", &["deputy director", "former director"]),
    ("founder", &["chairman", "former employee"]),
    ("assistant manager", &["manager"]),
    ("manager", &["assistant manager", "former manager"]),
    ("assistant coach", &["coach"]),
    ("coach", &["assistant coach", "former coach"]),
    ("vice-captain", &["captain"]),
    ("captain", &["vice-captain", "former captain"]),
    ("striker", &["midfielder", "defender"]),
    ("midfielder", &["striker", "defender"]),
    ("defender", &["midfielder", "goalkeeper"]),
    ("goalkeeper", &["defender"]),
    ("deputy leader", &["leader"]),
    ("leader", &["deputy leader", "former leader"]),
    ("deputy governor", &["governor"]),
    ("governor", &["deputy governor", "former governor"]),
    ("chief economist", &["economist"]),
    ("economist", &["analyst"]),
    ("analyst", &["economist"]),
    ("deputy editor", &["editor"]),
    ("editor", &["deputy editor"]),
    ("ambassador", &["envoy", "deputy ambassador"]),
    ("envoy", &["ambassador"]),
    ("actor", &["director", "producer"]),
    ("actress", &["director", "producer"]),
    ("singer", &["drummer", "guitarist"]),
    ("producer", &["director"]),
    ("chief financial officer", &["chief executive"]),
];

/// `replacement` in title case when every word of `original` is capitalised ("Prime
/// Minister" → "Deputy Prime Minister"), else in `original`'s case.
fn role_case(original: &str, replacement: &str) -> String {
    if original.split(' ').all(is_capitalised) {
        replacement
            .split(' ')
            .map(super::text::capitalise)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        match_case(original, replacement)
    }
}

/// Changes a person's role or title.
fn change_role(sentence: &str, rng: &mut Rng) -> Option<Change> {
    let mut options: Vec<(Range<usize>, &[&str])> = Vec::new();
    for &(role, choices) in ROLES {
        for range in find_phrase(sentence, role) {
            let overlaps = options
                .iter()
                .any(|(r, _)| r.start < range.end && range.start < r.end);
            let modified = [
                "deputy ",
                "vice-",
                "assistant ",
                "shadow ",
                "junior ",
                "former ",
                "acting ",
            ]
            .iter()
            .any(|m| sentence[..range.start].to_lowercase().ends_with(m));
            if !overlaps && !modified {
                options.push((range, choices));
            }
        }
    }
    rng.shuffle(&mut options);
    for (range, choices) in options {
        let written = &sentence[range.clone()];
        let Some(choice) = rng.pick(choices) else {
            continue;
        };
        // The new role must not already stand elsewhere in the sentence ("chairman and
        // chief executive" must not become "chairman and chairman").
        let elsewhere = format!("{} {}", &sentence[..range.start], &sentence[range.end..]);
        if !find_phrase(&elsewhere, choice).is_empty() {
            continue;
        }
        let replacement = role_case(written, choice);
        return Some(Change {
            before: written.to_string(),
            sentence: replace(sentence, range, &replacement),
            after: replacement,
        });
    }
    None
}

const FIRST_NAMES: &[&str] = &[
    "Sarah", "James", "Helen", "Daniel", "Fiona", "Marcus", "Priya", "Tom", "Claire", "Owen",
    "Rachel", "Gareth", "Lucy", "Simon", "Nadia", "Peter",
];

const SURNAMES: &[&str] = &[
    "Whitfield",
    "Okafor",
    "Lindqvist",
    "Harcourt",
    "Delaney",
    "Brennan",
    "Castellano",
    "Pemberton",
    "Nakamura",
    "Ashworth",
    "Kowalski",
    "Fairbairn",
    "Mendoza",
    "Holloway",
];

/// A clause that adds a checkable detail the source does not give, with `{n}` for a
/// number and `{name}` for a person's name.
const INVENTED: &[&str] = &[
    ", the first such move in {n} years",
    ", according to {name}, who has followed the matter closely",
    ", {name} told reporters",
    ", a rise of {n}% on the previous year",
    ", some {n} days after the first announcement",
    ", in front of about {n},000 people",
    ", at a cost of about £{n}m",
    ", with {n} more expected to follow",
    ", a deal said to be worth ${n}m",
    ", {name} said in a statement",
    " on {weekday}",
];

/// Adds a clause with a new number or name before the sentence's full stop.
fn invent_detail(sentence: &str, facts: &ArticleFacts, rng: &mut Rng) -> Option<Change> {
    let body = sentence.strip_suffix('.')?;
    if body.ends_with(['"', '\u{201D}', '.']) || super::text::word_count(body) < 5 {
        return None;
    }
    let template = *rng.pick(INVENTED)?;
    let mut clause = template.to_string();
    if clause.contains("{n}") {
        let n = (0..8)
            .map(|_| rng.between(3, 95).to_string())
            .find(|n| !facts.numbers.contains(n))?;
        clause = clause.replace("{n}", &n);
    }
    if clause.contains("{name}") {
        let first = rng.pick(FIRST_NAMES)?;
        let last = rng.pick(SURNAMES)?;
        if facts.text_lower.contains(&last.to_lowercase()) {
            return None;
        }
        clause = clause.replace("{name}", &format!("{first} {last}"));
    }
    if clause.contains("{weekday}") {
        if WEEKDAYS
            .iter()
            .any(|d| facts.text_lower.contains(&d.to_lowercase()))
        {
            return None;
        }
        clause = clause.replace("{weekday}", rng.pick(WEEKDAYS)?);
    }
    Some(Change {
        sentence: format!("{body}{clause}."),
        before: String::new(),
        after: clause.trim_start_matches([',', ' ']).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &[&str]) -> ArticleFacts {
        ArticleFacts::of(&text.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    const ARTICLE: &[&str] = &[
        "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn in 2004.",
        "Chairman Richard Parsons said the firm, which owns AOL, beat forecasts on Friday.",
        "Analyst Jane Smith at the bank said sales rose 2% to $11.1bn.",
        "\"Our performance was strong,\" Mr Parsons said in New York.",
    ];

    #[test]
    fn names_are_found_and_classed() {
        let facts = facts(ARTICLE);
        let class = |text: &str| facts.names.iter().find(|n| n.text == text).map(|n| n.class);
        assert_eq!(class("Richard Parsons"), Some(NameClass::Person));
        assert_eq!(class("Jane Smith"), Some(NameClass::Person));
        assert_eq!(class("Parsons"), Some(NameClass::Surname));
        assert_eq!(class("New York"), Some(NameClass::Place));
        assert_eq!(class("TimeWarner"), Some(NameClass::Other));
        assert_eq!(class("US"), Some(NameClass::Place));
        let more = ArticleFacts::of(&[
            "The Japanese firm met the Federal Reserve and the Ministry.".to_string(),
            "Using Braille, he filed under Chapter 11.".to_string(),
        ]);
        let class = |text: &str| more.names.iter().find(|n| n.text == text).map(|n| n.class);
        assert_eq!(class("Braille"), Some(NameClass::Other));
        assert_eq!(class("Chapter"), None);
        assert_eq!(class("Japanese"), Some(NameClass::Nationality));
        assert_eq!(class("Federal Reserve"), Some(NameClass::Other));
        assert_eq!(class("Ministry"), None);
        assert_eq!(class("Quarterly"), None);
        assert_eq!(class("Chairman"), None);
    }

    #[test]
    fn names_swap_within_their_class() {
        let facts = facts(ARTICLE);
        let mut rng = Rng::new(1);
        let change = swap_name(ARTICLE[2], &facts, false, &mut rng).unwrap();
        assert_ne!(change.before, change.after);
        assert!(change.sentence.contains(&change.after));
        let speaker = swap_name(ARTICLE[3], &facts, true, &mut rng).unwrap();
        assert_eq!(speaker.before, "Parsons");
        assert_eq!(speaker.after, "Smith");
        assert!(speaker.sentence.contains("strong,\" Mr Smith said"));
    }

    #[test]
    fn numbers_and_dates_move() {
        let facts = facts(ARTICLE);
        for seed in 0..20 {
            let mut rng = Rng::new(seed);
            let change = change_number(ARTICLE[0], &facts, &mut rng).unwrap();
            assert_ne!(change.before, change.after);
            assert_ne!(change.before, "2004");
            let date = move_date(ARTICLE[0], &mut rng).unwrap();
            assert_eq!(date.before, "2004");
            assert_ne!(date.after, "2004");
        }
        let mut rng = Rng::new(2);
        let day = move_date("It opens on 13 January.", &mut rng).unwrap();
        assert_ne!(day.sentence, "It opens on 13 January.");
    }

    #[test]
    fn negation_and_antonyms() {
        let mut rng = Rng::new(4);
        let change = negate("The firm will cut 500 jobs.", &mut rng).unwrap();
        assert_eq!(change.sentence, "The firm will not cut 500 jobs.");
        let change = negate("It was not a surprise.", &mut rng).unwrap();
        assert_eq!(change.sentence, "It was a surprise.");
        let change = antonym("Sales rose and it was an increase.", &mut rng).unwrap();
        assert!(
            change.sentence == "Sales fell and it was an increase."
                || change.sentence == "Sales rose and it was a decrease.",
            "{}",
            change.sentence
        );
    }

    #[test]
    fn roles_change_in_their_case() {
        let mut rng = Rng::new(1);
        let change = change_role("Prime Minister Tony Blair spoke.", &mut rng).unwrap();
        assert!(change.after.starts_with(|c: char| c.is_uppercase()));
        assert!(change.sentence.contains(&change.after));
        assert!(change_role("The deputy minister spoke.", &mut rng).is_some());
        assert!(change_role("Nobody spoke.", &mut rng).is_none());
    }

    #[test]
    fn invented_details_are_new() {
        let facts = facts(ARTICLE);
        for seed in 0..20 {
            let mut rng = Rng::new(seed);
            if let Some(change) = invent_detail(ARTICLE[2], &facts, &mut rng) {
                assert!(change.sentence.contains(&change.after));
                assert!(!facts.text_lower.contains(&change.after.to_lowercase()));
            }
        }
        let mut rng = Rng::new(0);
        // A clause cannot go inside a closing quotation.
        assert!(invent_detail("He said: \"It is over for now.\"", &facts, &mut rng).is_none());
    }
}
