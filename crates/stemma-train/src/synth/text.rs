//! Words, quotations and case in a sentence: the small pieces every rewrite and every
//! edit needs. Written for BBC-style English prose, not for every language.

use std::ops::Range;

/// The words of `text` as byte ranges: runs of letters and digits, with a hyphen between
/// two of them ("30-year-old", "Anglo-Dutch") and, between digits, a decimal point or a
/// thousands comma ("1.13bn", "464,000"). An apostrophe ends a word, so "AOL's" gives
/// "AOL" and "s": a name is then found without its possessive.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_alphanumeric() {
                j += 1;
                continue;
            }
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let joins = match c {
                '-' => next.is_some_and(char::is_alphanumeric),
                '.' | ',' => {
                    chars[j - 1].1.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit())
                }
                _ => false,
            };
            if !joins {
                break;
            }
            j += 2;
        }
        let end = chars.get(j).map_or(text.len(), |&(at, _)| at);
        found.push(start..end);
        i = j;
    }
    found
}

/// The number of words in `text`.
pub fn word_count(text: &str) -> usize {
    words(text).len()
}

fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}')
}

/// The byte ranges of `text` inside quotation marks, marks included. A straight quote
/// opens when it starts the text or follows a space or bracket, and closes otherwise. A
/// closing mark with no opening one closes a quotation that began in an earlier sentence
/// (`We ran," he said.`), and an opening one with no closing mark runs to the end, as a
/// British quotation running on into the next sentence does.
pub fn quoted_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        if is_quote_mark(c) {
            let opening = c == '\u{201C}'
                || (c == '"' && previous.is_none_or(|p| p.is_whitespace() || "([{".contains(p)));
            match (opening, open) {
                (true, None) => open = Some(at),
                (true, Some(_)) => {}
                (false, Some(start)) => {
                    spans.push(start..at + c.len_utf8());
                    open = None;
                }
                (false, None) => {
                    spans.clear();
                    spans.push(0..at + c.len_utf8());
                }
            }
        }
        previous = Some(c);
    }
    if let Some(start) = open {
        spans.push(start..text.len());
    }
    spans
}

/// Whether byte `at` lies inside one of `spans`.
pub fn inside(spans: &[Range<usize>], at: usize) -> bool {
    spans.iter().any(|span| span.contains(&at))
}

/// Whether `text` has a quotation mark.
pub fn has_quote(text: &str) -> bool {
    text.chars().any(is_quote_mark)
}

/// Whether the word starts with a capital letter.
pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// `text` with its first letter upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text` with its first letter lower case.
fn decapitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Words that are capitalised only because they open a sentence: moving them inside one
/// lowers them. Names keep their capital (the rule errs towards keeping it).
#[rustfmt::skip]
const SENTENCE_CAPITALS: &[&str] = &[
    "The", "A", "An", "He", "She", "It", "They", "We", "Its", "His", "Her", "Their", "Our",
    "This", "That", "These", "Those", "There", "Some", "Many", "Most", "Both", "All", "One",
    "Two", "Three", "Several", "Each", "Every", "Few", "More", "Much", "Other", "Another",
    "Any", "No", "Not", "Now", "Then", "Here", "Still", "Even", "Only", "Such", "Almost",
    "About", "Around", "Nearly", "Over", "Under", "Less", "Last", "Earlier", "Later", "In",
    "On", "At", "For", "With", "After", "Before", "During", "Since", "Despite", "Although",
    "While", "When", "If", "As", "Because", "Instead", "Nevertheless", "Meanwhile",
    "Officials", "Analysts", "Experts", "Police", "Critics", "Shares", "Sales", "Profits",
    "Prices", "Ministers", "Fans", "Users", "Researchers", "Campaigners", "Figures",
    "People", "Consumers", "Investors", "Players", "Organisers", "Workers", "Customers",
];

/// `text` with its first word lowered when that word is capitalised only because it
/// opened a sentence ("The firm" → "the firm", "Unveiling the budget" → "unveiling the
/// budget"); a name keeps its capital ("Google"). Words ending in "-ing" or "-ly" are
/// taken for openers: a name rarely ends so, and a wrong guess costs one capital.
pub fn lower_opening(text: &str) -> String {
    let first = text.split(' ').next().unwrap_or("");
    let opener_form = first.len() > 4
        && (first.ends_with("ing") || first.ends_with("ly"))
        && first.chars().skip(1).all(char::is_lowercase);
    if SENTENCE_CAPITALS.contains(&first) || opener_form {
        decapitalise(text)
    } else {
        text.to_string()
    }
}

/// `replacement` written in the case of `original`: all capitals, first capital, or as is.
pub fn match_case(original: &str, replacement: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        replacement.to_uppercase()
    } else if is_capitalised(original) {
        capitalise(replacement)
    } else {
        replacement.to_string()
    }
}

/// Where `phrase` occurs in `text` as whole words, compared without case, with the same
/// separators between its words as the phrase has ("per cent", "don't").
pub fn find_phrase(text: &str, phrase: &str) -> Vec<Range<usize>> {
    find_phrase_in(text, &words(text), phrase, false)
}

/// Like [`find_phrase`], but the case must match too (names).
pub fn find_name(text: &str, name: &str) -> Vec<Range<usize>> {
    find_phrase_in(text, &words(text), name, true)
}

fn find_phrase_in(
    text: &str,
    text_words: &[Range<usize>],
    phrase: &str,
    exact_case: bool,
) -> Vec<Range<usize>> {
    let phrase_words = words(phrase);
    let Some(first) = phrase_words.first() else {
        return Vec::new();
    };
    let n = phrase_words.len();
    let same = |a: &str, b: &str| {
        if exact_case {
            a == b
        } else {
            a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
        }
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i + n <= text_words.len() {
        let matches = (0..n).all(|k| {
            let word_matches = same(
                &text[text_words[i + k].clone()],
                &phrase[phrase_words[k].clone()],
            );
            let gap_matches = k + 1 == n
                || text[text_words[i + k].end..text_words[i + k + 1].start]
                    == phrase[phrase_words[k].end..phrase_words[k + 1].start];
            word_matches && gap_matches
        });
        // The phrase must cover whole words at both ends: "Warner" is no match in
        // "Warner-Lambert".
        if matches && first.start == 0 && phrase_words[n - 1].end == phrase.len() {
            found.push(text_words[i].start..text_words[i + n - 1].end);
            i += n;
        } else {
            i += 1;
        }
    }
    found
}

/// The indefinite article that goes before `word`.
fn article_for(word: &str) -> &'static str {
    let lower = word.to_lowercase();
    let consonant_sound = ["uni", "use", "usu", "one", "eu", "ur"];
    let vowel_sound = ["hour", "honest", "honour", "heir"];
    let starts_with_vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u']);
    if vowel_sound.iter().any(|p| lower.starts_with(p))
        || (starts_with_vowel && !consonant_sound.iter().any(|p| lower.starts_with(p)))
    {
        "an"
    } else {
        "a"
    }
}

/// `text` with `range` replaced by `replacement`, and an "a"/"an" just before it agreed
/// with the new word ("an increase" → "a decrease").
pub fn replace(text: &str, range: Range<usize>, replacement: &str) -> String {
    let mut head = text[..range.start].to_string();
    let before = words(&head);
    if let Some(last) = before.last()
        && last.end + 1 == head.len()
        && head.ends_with(' ')
        && matches!(head[last.clone()].to_lowercase().as_str(), "a" | "an")
    {
        let article = match_case(&head[last.clone()], article_for(replacement));
        head.replace_range(last.clone(), &article);
    }
    format!("{head}{replacement}{}", &text[range.end..])
}

/// Applies non-overlapping replacements, given in any order.
pub fn replace_all(text: &str, mut changes: Vec<(Range<usize>, String)>) -> String {
    changes.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_string();
    let mut limit = usize::MAX;
    for (range, replacement) in changes {
        if range.end > limit {
            continue;
        }
        limit = range.start;
        out = replace(&out, range, &replacement);
    }
    out
}

/// The lower-case words of `text` of four letters or more that are not among the most
/// common: what two sentences must share to be about the same thing.
pub fn content_words(text: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "that", "this", "with", "from", "have", "been", "were", "will", "would", "said", "they",
        "their", "there", "which", "what", "when", "where", "also", "about", "more", "than",
        "into", "over", "after", "before", "some", "such", "only", "other", "could", "should",
        "them", "then", "these", "those", "because", "while", "being", "just", "like", "very",
        "year", "years", "says", "told",
    ];
    let mut found: Vec<String> = words(text)
        .into_iter()
        .map(|range| text[range].to_lowercase())
        .filter(|w| w.chars().count() >= 4 && !COMMON.contains(&w.as_str()))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// How many entries two sorted word lists share.
pub fn shared(a: &[String], b: &[String]) -> usize {
    a.iter().filter(|w| b.binary_search(w).is_ok()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_list(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn words_keep_numbers_and_hyphens_whole() {
        assert_eq!(
            word_list("AOL's $1.13bn (£600m) rose 2,000, a 30-year-old's."),
            [
                "AOL",
                "s",
                "1.13bn",
                "600m",
                "rose",
                "2,000",
                "a",
                "30-year-old",
                "s"
            ]
        );
    }

    #[test]
    fn quotes_open_and_close() {
        let text = r#"He said "it broke" and left."#;
        assert_eq!(&text[quoted_spans(text)[0].clone()], r#""it broke""#);
        let run_on = r#"We ran," he said."#;
        assert_eq!(&run_on[quoted_spans(run_on)[0].clone()], r#"We ran,""#);
        let open = r#"She said: "It is over."#;
        assert!(inside(&quoted_spans(open), open.len() - 2));
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let text = "Time Warner and Warner-Lambert rose 5 per cent.";
        assert_eq!(find_name(text, "Warner").len(), 1);
        assert_eq!(find_phrase(text, "PER CENT").len(), 1);
        assert!(find_phrase(text, "rose 5 per").len() == 1);
    }

    #[test]
    fn replacing_agrees_the_article() {
        let text = "It was an increase of 5%.";
        let at = find_phrase(text, "increase")[0].clone();
        assert_eq!(replace(text, at, "decrease"), "It was a decrease of 5%.");
    }

    #[test]
    fn case_follows_the_original() {
        assert_eq!(match_case("Rose", "climbed"), "Climbed");
        assert_eq!(match_case("rose", "climbed"), "climbed");
        assert_eq!(lower_opening("The firm"), "the firm");
        assert_eq!(lower_opening("Google"), "Google");
    }
}
