//! Date expressions in news text, resolved against the publication date.
//!
//! News rarely writes "2025-11-20". It writes "on Thursday", "last year", "in August",
//! "Nov. 19", "the 2020 summit". [`find_dates`] finds such expressions and resolves each
//! against the document's publication date (the *anchor*) to a [`DateValue`]: a period —
//! a day, ISO week, month, season, year or decade — optionally narrowed by an
//! early/mid/late [`Part`]. Two values are [compatible](DateValue::compatible) when their
//! periods overlap, which is how drift tells that "on Thursday" and "on 20 November" agree
//! while "in 2025" and "the 2020 summit" do not.
//!
//! ```text
//! anchor Thursday 2025-11-20
//! "Russia said on Thursday that the summit in August ..."
//!   "on Thursday"  -> 2025-11-20 (Day)
//!   "in August"    -> 2025-08    (Month)
//! ```
//!
//! # Rules where news is ambiguous
//!
//! - **Tense.** A bare weekday, month, day-and-month or season means the most recent one
//!   on or before the anchor ("on Wednesday" published Thursday is yesterday; "on
//!   Thursday" is the publication day itself; "in August" published in November is this
//!   year's August, "in December" is last year's). When a future cue ("will", "is due",
//!   "is set to", "is expected to", ... listed in `data/date_words.txt`) stands in the
//!   same clause (up to eight words before the phrase and five after it, cut at "said",
//!   "that" and the like, and at a comma unless the phrase opens the sentence), it means
//!   the next one on or after the anchor instead. "last X" is the
//!   most recent strictly before the anchor, "next X" the first strictly after it, and
//!   "this X" the one in the anchor's own week, month or year (for weekdays: on or after).
//!   We rejected "the closest one" as a rule: it turns a past-tense "in December" written
//!   in November into the coming December.
//! - **Text.** `text` is the quoted phrase and includes a leading "in" or "on" ("in
//!   August", "on Thursday") but not other prepositions ("since 2009" quotes "2009") nor
//!   words that merely make a number read as a year ("the 2020 summit" quotes "2020",
//!   "the 7 October attacks" quotes "7 October", but "the 20th of November" keeps "the").
//! - **Stretches of days** ("19-20 November", "Nov. 19-20", "8 to 20 November") resolve to
//!   the ISO week that holds both days, else to their month: no granularity fits a stretch,
//!   and the wider period keeps it compatible with each of its days.
//! - **Years.** A four-digit number 1900–2099 is a year only in a year context: after a
//!   word such as in/since/by/from/until/of/the/early/late/mid (`[year_before]`), before a
//!   word such as summit/election/war (`[year_after]`), alone after a comma ("Kyiv,
//!   2022."), in parentheses, or in a range with another year ("2020-2022", "between 2020
//!   and 2022"). Never when a currency sign, a digit group or "%" is attached ("$2022",
//!   "2,022", "2022%"), when "'s" follows ("2020's"), or when a counted noun follows ("2022
//!   votes", `[not_year_after]`). A split year ("the 2026-27 budget", "2019/20") is quoted
//!   whole and dated by its first year.
//! - **Not read:** times of day, ordinal days without a month ("on the 20th"), rolling
//!   periods ("over the past week" is kept with no value), and dates in other languages.
//! - **Numeric dates** are read day-first ("02/03/2025" is 2 March), month-first only when
//!   day-first is impossible ("11/20/2025"); impossible dates ("31/02/2025") are no date.
//! - **Decades** ("the 1990s") have [`Granularity::Decade`] and start on 1 January of the
//!   decade's first year; "the '90s" works for the 1930s to the 1990s and for the 2000s and
//!   2010s, but "the '20s" is left alone (1920s or 2020s?).
//! - **Seasons** are northern meteorological seasons: spring is March–May, summer
//!   June–August, autumn (fall) September–November, and "winter 2022" is December 2022 to
//!   February 2023.
//! - **Relative to something unknown** ("two months before the vote", "the following
//!   year", "the past week") is kept as a mention whose value is `None`; "two months ago"
//!   is resolved against the anchor.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use jiff::Span;
use jiff::civil::Date;
use regex::{Captures, Regex};

use super::lexicon::parse_sections;

/// The vocabulary of month and weekday names and of the context words the rules above use.
const DATE_WORDS: &str = include_str!("data/date_words.txt");

/// How precise a [`DateValue`] is: the length of the period it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Granularity {
    /// One calendar day ("on Thursday", "20 November 2025").
    Day,
    /// One ISO week, Monday to Sunday ("last week", "at the weekend").
    Week,
    /// One calendar month ("in August", "Jan 2026").
    Month,
    /// Three months of a northern meteorological season ("summer 2022").
    Season,
    /// One calendar year ("in 2022", "last year").
    Year,
    /// Ten years starting in a year ending in 0 ("the 1990s").
    Decade,
}

/// The part of a period a phrase narrows to ("early 2022", "mid-August", "late last year").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// "early", "the start of", "the beginning of", "the first half of".
    Early,
    /// "mid", "the middle of".
    Mid,
    /// "late", "the end of", "the second half of".
    Late,
}

/// A resolved date: the period that starts on `start` and lasts one `granularity`,
/// narrowed by `modifier` when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateValue {
    /// The first day of the period (a Monday for weeks, the 1st for months and seasons,
    /// 1 January for years and decades).
    pub start: Date,
    /// The length of the period.
    pub granularity: Granularity,
    /// The part of the period the text names, if it names one.
    pub modifier: Option<Part>,
}

/// One date expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte offset of the first character of the phrase.
    pub start: usize,
    /// Byte offset just past the phrase; `text[start..end]` is [`DateMention::text`].
    pub end: usize,
    /// The phrase as written, e.g. "in August", "on Thursday", "Nov. 19", "2020".
    pub text: String,
    /// The resolved date; `None` when the phrase is relative and there is no anchor, or
    /// when it is relative to something the text does not date ("two years later").
    pub value: Option<DateValue>,
}

impl DateValue {
    /// A machine-readable value, ISO 8601 where ISO has a form for it.
    ///
    /// Day "2025-08-14", week "2025-W47", month "2025-08", season "2025-summer" (the year
    /// in which the season starts), year "2025", decade "1990s". A modifier is a prefix:
    /// "early 2022", "mid-2022", "late 2025-08".
    pub fn value_string(&self) -> String {
        let start = self.start;
        let base = match self.granularity {
            Granularity::Day => format!(
                "{:04}-{:02}-{:02}",
                start.year(),
                start.month(),
                start.day()
            ),
            Granularity::Week => {
                let week = start.iso_week_date();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
            Granularity::Month => format!("{:04}-{:02}", start.year(), start.month()),
            Granularity::Season => format!("{:04}-{}", start.year(), season_name(start.month())),
            Granularity::Year => format!("{:04}", start.year()),
            Granularity::Decade => format!("{:04}s", start.year()),
        };
        match self.modifier {
            None => base,
            Some(Part::Early) => format!("early {base}"),
            Some(Part::Mid) => format!("mid-{base}"),
            Some(Part::Late) => format!("late {base}"),
        }
    }

    /// A phrase for explanations: "14 August 2025", "the week of 17 November 2025",
    /// "August 2025", "summer 2025", "winter 2025–26", "2025", "the 1990s", "early 2022".
    pub fn describe(&self) -> String {
        let start = self.start;
        let base = match self.granularity {
            Granularity::Day => {
                format!(
                    "{} {} {}",
                    start.day(),
                    month_name(start.month()),
                    start.year()
                )
            }
            Granularity::Week => format!(
                "the week of {} {} {}",
                start.day(),
                month_name(start.month()),
                start.year()
            ),
            Granularity::Month => format!("{} {}", month_name(start.month()), start.year()),
            Granularity::Season if start.month() == 12 => {
                let next = (i32::from(start.year()) + 1).rem_euclid(100);
                format!("winter {}–{next:02}", start.year())
            }
            Granularity::Season => format!("{} {}", season_name(start.month()), start.year()),
            Granularity::Year => format!("{}", start.year()),
            Granularity::Decade => format!("the {}s", start.year()),
        };
        let (article, rest) = match base.strip_prefix("the ") {
            Some(rest) => ("the ", rest.to_string()),
            None => ("", base),
        };
        match self.modifier {
            None => format!("{article}{rest}"),
            Some(Part::Early) => format!("{article}early {rest}"),
            Some(Part::Mid) => format!("{article}mid-{rest}"),
            Some(Part::Late) => format!("{article}late {rest}"),
        }
    }

    /// Whether the two values can name the same time: their periods overlap.
    ///
    /// For whole calendar units this is "the same, or one contains the other": a day
    /// inside its month inside its year, "on Thursday" and "on 20 November" when both are
    /// 2025-11-20. 2025 and 2020 are not compatible, nor are August and July. Weeks,
    /// winters and early/mid/late parts are compared by overlap so that a caller, who
    /// reports a change only when values clearly differ, does not report "last week"
    /// against "in November" across a month boundary. A part covers half its period
    /// (early: the first half, mid: the middle half, late: the second half): wide enough
    /// that "early 2022" is compatible with "March 2022", narrow enough that it is not
    /// compatible with "late 2022".
    pub fn compatible(&self, other: &DateValue) -> bool {
        let (a_start, a_end) = self.interval();
        let (b_start, b_end) = other.interval();
        a_start < b_end && b_start < a_end
    }

    /// The half-open interval of days `[first, past_last)` the value covers.
    fn interval(&self) -> (Date, Date) {
        let start = self.start;
        let end = match self.granularity {
            Granularity::Day => shift_days(start, 1),
            Granularity::Week => shift_days(start, 7),
            Granularity::Month => shift_months(start, 1),
            Granularity::Season => shift_months(start, 3),
            Granularity::Year => shift_years(start, 1),
            Granularity::Decade => shift_years(start, 10),
        }
        // Past the last representable day the period is cut short; it still overlaps
        // whatever it should overlap.
        .unwrap_or(Date::MAX);
        let Some(part) = self.modifier else {
            return (start, end);
        };
        let length = days_between(start, end);
        let (from, to) = match part {
            Part::Early => (0, length / 2),
            Part::Mid => (length / 4, length - length / 4),
            Part::Late => (length / 2, length),
        };
        let narrowed_start = shift_days(start, from).unwrap_or(start);
        let narrowed_end = shift_days(start, to.max(from + 1)).unwrap_or(end);
        (narrowed_start, narrowed_end)
    }
}

/// Whether a lower-cased word names a weekday or a month ("saturday", "august"); "may" and
/// "march", which are mostly ordinary words, are not counted.
pub fn is_calendar_name(lower: &str) -> bool {
    let vocab = &*VOCAB;
    (vocab.weekdays.contains_key(lower) || vocab.months.contains_key(lower))
        && !matches!(lower, "may" | "march")
}

/// Finds the date expressions in `text`, in order, without overlaps, and resolves them
/// against `anchor`, the publication date, when one is known.
///
/// Absolute dates ("20 November 2025", "in 2022") are resolved with or without an anchor;
/// relative ones ("on Thursday", "last year") have `value: None` without one. Never
/// panics; offsets are on character boundaries.
pub fn find_dates(text: &str, anchor: Option<Date>) -> Vec<DateMention> {
    let vocab = &*VOCAB;
    let context = Context {
        text,
        anchor,
        vocab,
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    for (kind, regex) in &vocab.patterns {
        for captures in regex.captures_iter(text) {
            if let Some(candidate) = context.read(*kind, &captures) {
                candidates.push(candidate);
            }
        }
    }
    // The longest reading wins ("Thursday, Nov. 20, 2025" over "Thursday"); among equal
    // lengths the earlier pattern in `PATTERNS`, which is the more specific one.
    candidates.sort_by_key(|c| (std::cmp::Reverse(c.end - c.start), c.start, c.rank));
    let mut taken: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        if taken
            .iter()
            .all(|t| candidate.end <= t.start || t.end <= candidate.start)
        {
            taken.push(candidate);
        }
    }
    taken.sort_by_key(|c| c.start);
    taken
        .into_iter()
        .map(|c| DateMention {
            start: c.start,
            end: c.end,
            text: text[c.start..c.end].to_string(),
            value: c.value,
        })
        .collect()
}

/// The kinds of expression, each read by its own pattern and rule; the order is the
/// tie-break between readings of the same span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Iso,
    Numeric,
    DayMonth,
    MonthDay,
    MonthYear,
    SeasonYear,
    Decade,
    DecadeShort,
    Year,
    BareMonth,
    BareSeason,
    Weekday,
    RelativeDay,
    RelativePeriod,
    Weekend,
    Ago,
}

/// The patterns, with `{MONTH}` (names and abbreviations), `{MONTH_FULL}`, `{WEEKDAY}`,
/// `{WEEKDAY_ANY}` and `{PART}` filled in from the vocabulary. Each reader in
/// [`Context::read`] knows its pattern's group names.
const PATTERNS: &[(Kind, &str)] = &[
    (
        Kind::Iso,
        r"\b(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})\b",
    ),
    (
        Kind::Numeric,
        r"\b(?P<a>[0-9]{1,2})(?P<s1>[/.\-])(?P<b>[0-9]{1,2})(?P<s2>[/.\-])(?P<y>[0-9]{4})\b",
    ),
    (
        Kind::DayMonth,
        r"(?i)\b(?:(?P<pre>in|on)\s+)?(?:(?P<wd>{WEEKDAY_ANY})\.?,?\s+)?(?:the\s+)?(?P<days>(?:(?P<d0>[0-9]{1,2})(?:st|nd|rd|th)?\s*(?:[-–]|to)\s*)?(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?)(?:\s+of)?\s+(?P<m>{MONTH})\b(?:\.?,?\s+(?P<y>[0-9]{4})\b)?",
    ),
    (
        Kind::MonthDay,
        r"(?i)\b(?:(?P<pre>in|on)\s+)?(?:(?P<wd>{WEEKDAY_ANY})\.?,?\s+)?(?P<m>{MONTH})\b\.?\s+(?:the\s+)?(?P<days>(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<d2>[0-9]{1,2})(?:st|nd|rd|th)?)?)\b(?:,?\s+(?P<y>[0-9]{4})\b)?",
    ),
    (
        Kind::MonthYear,
        r"(?i)\b(?:(?P<pre>in|on)\s+)?(?:(?P<part>{PART})[\s-]+)?(?P<m>{MONTH})\b\.?(?:\s+of)?,?\s+(?P<y>[0-9]{4})\b",
    ),
    (
        Kind::SeasonYear,
        r"(?i)\b(?:(?P<pre>in|on)\s+)?(?:the\s+)?(?:(?P<part>{PART})[\s-]+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?,?\s+(?P<y>[0-9]{4})\b",
    ),
    (
        Kind::Decade,
        r"(?i)\b(?:(?P<pre>in)\s+)?(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<y>1[0-9][0-9]0|20[0-9]0)s\b",
    ),
    (
        Kind::DecadeShort,
        r"(?i)\b(?:(?P<pre>in)\s+)?the\s+(?:(?P<part>early|mid|late)[\s-]+)?['’](?P<yy>[0-9]0)s\b",
    ),
    (
        Kind::Year,
        r"(?i)\b(?:(?P<pre>in|on)\s+)?(?:(?P<part>{PART})[\s-]+)?(?P<y>(?:19|20)[0-9]{2})\b",
    ),
    (
        Kind::BareMonth,
        r"(?i)\b(?:(?P<pre>in|on)\s+)?(?:(?P<rel>last|next|this|coming|past)\s+)?(?:(?P<part>{PART}|earlier\s+in|later\s+in)[\s-]+)?(?P<m>{MONTH_FULL})\b(?P<yrel>,?\s+(?:of\s+)?(?:last|next|this)\s+year\b)?",
    ),
    (
        Kind::BareSeason,
        r"(?i)\b(?:(?P<pre>in|during|over|by|until|since|through|throughout|for)\s+the\s+|(?P<rel>last|next|this|in)\s+)(?:(?P<part>early|mid|late)[\s-]+)?(?P<season>spring|summer|autumn|winter)\b",
    ),
    (
        Kind::Weekday,
        r"(?i)\b(?:(?P<pre>on)\s+)?(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<wd>{WEEKDAY})\b(?:\s+(?:morning|afternoon|evening|night))?",
    ),
    (
        Kind::RelativeDay,
        r"(?i)\b(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight|this\s+(?:morning|afternoon|evening)|last\s+night|(?:earlier|later)\s+today)\b",
    ),
    (
        Kind::RelativePeriod,
        r"(?i)\b(?:(?P<pre>in|on)\s+)?(?:(?P<part>{PART})[\s-]+)?(?P<rel>last|this|next|earlier\s+this|later\s+this|the\s+previous|the\s+following|the\s+past|the\s+coming|the\s+same|the\s+last|the\s+next|the)\s+(?P<unit>week|weekend|month|year|decade|spring|summer|autumn|winter)\b",
    ),
    (
        Kind::Weekend,
        r"(?i)\b(?:at|over|during|on)\s+the\s+weekend\b",
    ),
    (
        Kind::Ago,
        r"(?i)\b(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|several|[0-9]{1,3})\s+(?P<unit>day|week|month|year|decade)s?\s+(?P<dir>ago|earlier|later|before|after|previously|prior|on)\b",
    ),
];

/// Phrases that narrow a period to a [`Part`], as a regex alternation.
const PART_ALTERNATION: &str = r"early|late|mid|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of";

/// The vocabulary of `data/date_words.txt` and the patterns built from it.
struct Vocab {
    /// Month names and abbreviations, lower case, to month number.
    months: HashMap<String, i8>,
    /// Month abbreviations, lower case (they may carry a trailing period).
    month_abbreviations: HashSet<String>,
    /// Weekday names and abbreviations, lower case, to 1 = Monday ... 7 = Sunday.
    weekdays: HashMap<String, i8>,
    /// The remaining sections: word lists, lower case.
    words: HashMap<String, HashSet<String>>,
    /// Future cues, each split into lower-case words.
    future_cues: Vec<Vec<String>>,
    /// Compiled patterns, in [`PATTERNS`] order.
    patterns: Vec<(Kind, Regex)>,
}

static VOCAB: LazyLock<Vocab> = LazyLock::new(|| Vocab::parse(DATE_WORDS));

impl Vocab {
    fn parse(source: &str) -> Vocab {
        let sections = parse_sections(source);
        let numbered = |name: &str| -> HashMap<String, i8> {
            sections
                .get(name)
                .into_iter()
                .flatten()
                .filter_map(|entry| {
                    let (word, number) = entry.rsplit_once(' ')?;
                    Some((word.trim().to_lowercase(), number.trim().parse().ok()?))
                })
                .collect()
        };
        let month_full = numbered("month");
        let month_abbr = numbered("month_abbreviation");
        let weekday_full = numbered("weekday");
        let weekday_abbr = numbered("weekday_abbreviation");

        let alternation = |maps: &[&HashMap<String, i8>]| -> String {
            let mut names: Vec<&String> = maps.iter().flat_map(|m| m.keys()).collect();
            // Longest first, so that "sept" is tried before "sep" and "march" before "mar".
            names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            names
                .iter()
                .map(|n| regex::escape(n))
                .collect::<Vec<_>>()
                .join("|")
        };
        let fill = |pattern: &str| -> String {
            pattern
                .replace("{MONTH_FULL}", &alternation(&[&month_full]))
                .replace("{MONTH}", &alternation(&[&month_full, &month_abbr]))
                .replace(
                    "{WEEKDAY_ANY}",
                    &alternation(&[&weekday_full, &weekday_abbr]),
                )
                .replace("{WEEKDAY}", &alternation(&[&weekday_full]))
                .replace("{PART}", PART_ALTERNATION)
        };
        let patterns = PATTERNS
            .iter()
            .map(|(kind, pattern)| {
                // Invariant: the patterns are constants filled with escaped words from the
                // checked-in vocabulary; `tests::patterns_compile` compiles every one.
                let regex = Regex::new(&fill(pattern)).expect("built-in date pattern compiles");
                (*kind, regex)
            })
            .collect();

        let future_cues = sections
            .get("future_cue")
            .into_iter()
            .flatten()
            .map(|cue| cue.split_whitespace().map(str::to_lowercase).collect())
            .collect();
        let words = sections
            .iter()
            .map(|(name, entries)| {
                let set = entries.iter().map(|e| e.trim().to_lowercase()).collect();
                (name.to_string(), set)
            })
            .collect();
        let month_abbreviations = month_abbr.keys().cloned().collect();
        let mut months = month_full;
        months.extend(month_abbr);
        let mut weekdays = weekday_full;
        weekdays.extend(weekday_abbr);
        Vocab {
            months,
            month_abbreviations,
            weekdays,
            words,
            future_cues,
            patterns,
        }
    }

    /// Whether `word` (any case) is listed in `section`.
    fn listed(&self, section: &str, word: &str) -> bool {
        self.words
            .get(section)
            .is_some_and(|set| set.contains(&word.to_lowercase()))
    }

    fn month(&self, name: &str) -> Option<i8> {
        self.months
            .get(&name.trim_end_matches('.').to_lowercase())
            .copied()
    }

    fn weekday(&self, name: &str) -> Option<i8> {
        self.weekdays
            .get(&name.trim_end_matches('.').to_lowercase())
            .copied()
    }
}

/// One reading of a span, before overlaps are resolved.
struct Candidate {
    start: usize,
    end: usize,
    rank: usize,
    value: Option<DateValue>,
}

/// Whether a relative expression leans to the past or the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lean {
    /// The most recent one on or before the anchor.
    Past,
    /// The first one on or after the anchor.
    Future,
    /// "last": the most recent one strictly before the anchor's own.
    Last,
    /// "next": the first one strictly after the anchor's own.
    Next,
    /// "this": the one in the anchor's own week, month or year.
    This,
}

/// What a reader needs besides the match itself.
struct Context<'t> {
    text: &'t str,
    anchor: Option<Date>,
    vocab: &'t Vocab,
}

impl Context<'_> {
    /// Reads one match of the pattern of `kind`; `None` when the match is no date.
    fn read(&self, kind: Kind, caps: &Captures) -> Option<Candidate> {
        let whole = caps.get(0)?;
        let (start, end, value) = match kind {
            Kind::Iso => {
                let date = ymd(num(caps, "y")?, num(caps, "m")?, num(caps, "d")?)?;
                (whole.start(), whole.end(), Some(day_value(date)))
            }
            Kind::Numeric => {
                let separator = caps.name("s1")?.as_str();
                if separator != caps.name("s2")?.as_str() {
                    return None;
                }
                // Dotted dates need two-digit days and months: "2.1.2020" is a version.
                if separator == "." && (caps.name("a")?.len() < 2 || caps.name("b")?.len() < 2) {
                    return None;
                }
                let (a, b, year) = (num(caps, "a")?, num(caps, "b")?, num(caps, "y")?);
                let date = ymd(year, b, a).or_else(|| ymd(year, a, b))?;
                (whole.start(), whole.end(), Some(day_value(date)))
            }
            Kind::DayMonth | Kind::MonthDay => return self.read_day_month(kind, caps),
            Kind::MonthYear => {
                let month_match = caps.name("m")?;
                if !self.month_is_written_as_month(month_match.as_str()) {
                    return None;
                }
                let month = self.vocab.month(month_match.as_str())?;
                let year = self.attached_year(caps)?;
                let value = with_part(month_value(year, i64::from(month))?, part_of(caps));
                (whole.start(), whole.end(), Some(value))
            }
            Kind::SeasonYear => {
                let season = caps.name("season")?.as_str().to_lowercase();
                let year = self.attached_year(caps)?;
                let start = ymd(year, i64::from(season_start_month(&season)), 1)?;
                let value = DateValue {
                    start,
                    granularity: Granularity::Season,
                    modifier: None,
                };
                (
                    whole.start(),
                    whole.end(),
                    Some(with_part(value, part_of(caps))),
                )
            }
            Kind::Decade => {
                let year = num(caps, "y")?;
                (
                    whole.start(),
                    whole.end(),
                    Some(decade_value(year, part_of(caps))?),
                )
            }
            Kind::DecadeShort => {
                let year = match num(caps, "yy")? {
                    30..=90 => 1900 + num(caps, "yy")?,
                    0 | 10 => 2000 + num(caps, "yy")?,
                    _ => return None,
                };
                (
                    whole.start(),
                    whole.end(),
                    Some(decade_value(year, part_of(caps))?),
                )
            }
            Kind::Year => return self.read_year(caps),
            Kind::BareMonth => return self.read_bare_month(caps),
            Kind::BareSeason => {
                let season = caps.name("season")?.as_str().to_lowercase();
                let lean = match caps
                    .name("rel")
                    .map(|m| m.as_str().to_lowercase())
                    .as_deref()
                {
                    Some("last") => Lean::Last,
                    Some("next") => Lean::Next,
                    Some("this") => Lean::This,
                    _ => self.tense(whole.start(), whole.end()),
                };
                let value = self
                    .anchor
                    .and_then(|anchor| resolve_season(anchor, &season, lean))
                    .map(|v| with_part(v, part_of(caps)));
                // "in the summer" quotes from "in"; "by the summer" quotes from "the".
                let start = match caps.name("pre") {
                    Some(pre) if !pre.as_str().eq_ignore_ascii_case("in") => {
                        skip_space(self.text, pre.end())
                    }
                    _ => whole.start(),
                };
                (start, whole.end(), value)
            }
            Kind::Weekday => return self.read_weekday(caps),
            Kind::RelativeDay => {
                let word = caps.name("word")?.as_str().to_lowercase();
                let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
                if word == "today" && self.today_is_a_name(whole.start(), whole.end()) {
                    return None;
                }
                let offset = match word.as_str() {
                    "the day before yesterday" => -2,
                    "yesterday" | "last night" => -1,
                    "tomorrow" => 1,
                    "the day after tomorrow" => 2,
                    _ => 0,
                };
                let value = self
                    .anchor
                    .and_then(|a| shift_days(a, offset))
                    .map(day_value);
                (whole.start(), whole.end(), value)
            }
            Kind::RelativePeriod => {
                let rel = caps.name("rel")?.as_str().to_lowercase();
                let rel = rel.split_whitespace().collect::<Vec<_>>().join(" ");
                // "the year" is a date only as "the end of the year", "the first half of
                // the year": alone it is any year ("the year to September").
                if rel == "the" && caps.name("part").is_none() {
                    return None;
                }
                let unit = caps.name("unit")?.as_str().to_lowercase();
                let value = self
                    .anchor
                    .and_then(|anchor| resolve_period(anchor, &rel, &unit))
                    .map(|v| with_part(v, part_of(caps)));
                (whole.start(), whole.end(), value)
            }
            Kind::Weekend => {
                let lean = self.tense(whole.start(), whole.end());
                let value = self.anchor.and_then(|anchor| {
                    // Saturday is 6 in Monday-one numbering.
                    let saturday = resolve_weekday(anchor, 6, lean)?;
                    week_value(saturday)
                });
                // "at the weekend" quotes "the weekend".
                let at = whole
                    .as_str()
                    .find(|c: char| c.is_whitespace())
                    .unwrap_or(0);
                (
                    skip_space(self.text, whole.start() + at),
                    whole.end(),
                    value,
                )
            }
            Kind::Ago => {
                let direction = caps.name("dir")?.as_str().to_lowercase();
                let count = match caps.name("n")?.as_str().to_lowercase().as_str() {
                    "a" | "an" | "one" => Some(1),
                    "two" => Some(2),
                    "three" => Some(3),
                    "four" => Some(4),
                    "five" => Some(5),
                    "six" => Some(6),
                    "seven" => Some(7),
                    "eight" => Some(8),
                    "nine" => Some(9),
                    "ten" => Some(10),
                    "eleven" => Some(11),
                    "twelve" => Some(12),
                    digits => digits.parse::<i64>().ok(),
                };
                let unit = caps.name("unit")?.as_str().to_lowercase();
                let value = match (self.anchor, count, direction.as_str()) {
                    (Some(anchor), Some(n), "ago") => resolve_ago(anchor, n, &unit),
                    _ => None,
                };
                (whole.start(), whole.end(), value)
            }
        };
        let rank = PATTERNS
            .iter()
            .position(|(k, _)| *k == kind)
            .unwrap_or(usize::MAX);
        Some(Candidate {
            start,
            end,
            rank,
            value,
        })
    }

    fn read_day_month(&self, kind: Kind, caps: &Captures) -> Option<Candidate> {
        let whole = caps.get(0)?;
        let month_match = caps.name("m")?;
        if !self.month_is_written_as_month(month_match.as_str()) {
            return None;
        }
        let month = i64::from(self.vocab.month(month_match.as_str())?);
        // "19-20 November" and "Nov. 19-20" name a stretch of days.
        let (day, last_day) = match (num(caps, "d0"), num(caps, "d"), num(caps, "d2")) {
            (Some(first), Some(last), _) | (None, Some(first), Some(last)) => (first, Some(last)),
            (None, Some(day), None) => (day, None),
            _ => return None,
        };
        // A day that no year has (31 November) makes this no date; 2000 was a leap year.
        ymd(2000, month, day)?;
        if let Some(last) = last_day
            && (last <= day || ymd(2000, month, last).is_none())
        {
            return None;
        }
        if let Some(wd) = caps.name("wd") {
            self.vocab.weekday(wd.as_str())?;
        }
        let year = caps.name("y").and_then(|_| self.attached_year(caps));
        let end = match (year, kind) {
            (Some(_), _) => whole.end(),
            // No year, or one that is not ("on 5 May 2000 people marched"): the phrase
            // ends at the day ("Nov. 19th") or at the month, with the period of an
            // abbreviation ("19 Nov.") but not a full stop after a full name.
            (None, Kind::MonthDay) => caps.name("days")?.end(),
            (None, _) => {
                let abbreviated = self
                    .vocab
                    .month_abbreviations
                    .contains(&month_match.as_str().to_lowercase());
                let dot = abbreviated && self.text[month_match.end()..].starts_with('.');
                month_match.end() + usize::from(dot)
            }
        };
        let first = match year {
            Some(year) => Some(ymd(year, month, day)?),
            None => {
                let lean = self.tense(whole.start(), end);
                self.anchor
                    .and_then(|anchor| resolve_day_month(anchor, month, day, lean))
            }
        };
        let value = first.and_then(|first| match last_day {
            None => Some(day_value(first)),
            Some(last) => span_value(first, ymd(i64::from(first.year()), month, last)?),
        });
        let rank = PATTERNS
            .iter()
            .position(|(k, _)| *k == kind)
            .unwrap_or(usize::MAX);
        // "the 20th of November" keeps its article; "the 7 October attacks" quotes the date.
        let mut start = whole.start();
        let written = whole.as_str();
        let ordinal = caps
            .name("days")
            .is_some_and(|d| d.as_str().contains(char::is_alphabetic));
        if caps.name("pre").is_none()
            && caps.name("wd").is_none()
            && !ordinal
            && written
                .get(..4)
                .is_some_and(|w| w.eq_ignore_ascii_case("the "))
        {
            start = skip_space(self.text, start + 3);
        }
        Some(Candidate {
            start,
            end,
            rank,
            value,
        })
    }

    fn read_year(&self, caps: &Captures) -> Option<Candidate> {
        let whole = caps.get(0)?;
        let year_match = caps.name("y")?;
        let year = num(caps, "y")?;
        let text = self.text;
        let before = &text[..year_match.start()];
        let after = &text[year_match.end()..];
        if !self.is_year_context(caps, before, after) {
            return None;
        }
        let start = ymd(year, 1, 1)?;
        let value = DateValue {
            start,
            granularity: Granularity::Year,
            modifier: part_of(caps),
        };
        let rank = PATTERNS
            .iter()
            .position(|(k, _)| *k == Kind::Year)
            .unwrap_or(usize::MAX);
        // A split year ("the 2026-27 budget", "the 2019/20 season") is quoted whole, so
        // that "27" is no number, and dated by its first year.
        let mut end = whole.end();
        let next_year = format!("{:02}", (year + 1).rem_euclid(100));
        if let Some(rest) = after.strip_prefix(['-', '–', '/'])
            && rest.starts_with(next_year.as_str())
            && !rest[2..].starts_with(|c: char| c.is_alphanumeric())
        {
            end += after.len() - rest.len() + 2;
        }
        Some(Candidate {
            start: whole.start(),
            end,
            rank,
            value: Some(value),
        })
    }

    /// The year rule of the module documentation.
    fn is_year_context(&self, caps: &Captures, before: &str, after: &str) -> bool {
        static RANGE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^\s*(?:[-–—/]\s*(?:(?:19|20)[0-9]{2}|[0-9]{2})\b|(?:and|or|to|through|until|till)\s+(?:19|20)[0-9]{2}\b)")
                .expect("constant regex compiles")
        });
        static RANGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\b(?:19|20)[0-9]{2}\s*(?:[-–—]|\b(?:and|or|to|through|until|till)\b)\s*$")
                .expect("constant regex compiles")
        });
        let vocab = self.vocab;
        let next_char = after.chars().next();
        let prev_char = before.chars().next_back();
        // Attached to another number or to a currency: "2,022", "$2022", "2022%".
        if matches!(next_char, Some('%' | '‰'))
            || after.starts_with("'s")
            || after.starts_with("’s")
            || starts_with_digit_after(after, &[',', '.', ':'])
        {
            return false;
        }
        match prev_char {
            Some(c) if is_currency_char(c) || c == '#' || c == '/' => return false,
            Some(',' | '.' | ':') if ends_with_digit_before(before) => return false,
            Some('-')
                if before[..before.len() - 1]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphabetic) =>
            {
                // "pre-2020" and "mid-2020" are years; "COVID-2019" is an identifier.
                let word = last_word(&before[..before.len() - 1]);
                if !vocab.listed("year_before", word) {
                    return false;
                }
            }
            _ => {}
        }
        if let Some(word) = next_word(after)
            && vocab.listed("not_year_after", word)
        {
            return false;
        }
        if caps.name("part").is_some() || caps.name("pre").is_some() {
            return true;
        }
        let prev = last_word(before);
        if !prev.is_empty() && vocab.listed("year_before", prev) {
            return true;
        }
        if next_word(after).is_some_and(|w| vocab.listed("year_after", w)) {
            return true;
        }
        if RANGE_AFTER.is_match(after) || RANGE_BEFORE.is_match(tail(before, 24)) {
            return true;
        }
        let prev_visible = before.trim_end().chars().next_back();
        let next_visible = after.trim_start().chars().next();
        let ends_clause = matches!(
            next_visible,
            None | Some('.' | ',' | ';' | ':' | '!' | '?' | ')')
        );
        match prev_visible {
            // "Kyiv, 2022." — a year standing alone after a comma.
            Some(',') => ends_clause,
            Some('(') => next_visible == Some(')'),
            _ => false,
        }
    }

    fn read_bare_month(&self, caps: &Captures) -> Option<Candidate> {
        let whole = caps.get(0)?;
        let month_match = caps.name("m")?;
        if !self.month_is_written_as_month(month_match.as_str()) {
            return None;
        }
        let after = &self.text[whole.end()..];
        if after.starts_with("'s") || after.starts_with("’s") {
            return None;
        }
        let has_context = caps.name("pre").is_some()
            || caps.name("rel").is_some()
            || caps.name("part").is_some()
            || caps.name("yrel").is_some()
            || self.month_context_before(whole.start())
            || self.month_context_after(whole.end());
        if !has_context {
            return None;
        }
        let month = self.vocab.month(month_match.as_str())?;
        let lean = match caps
            .name("rel")
            .map(|m| m.as_str().to_lowercase())
            .as_deref()
        {
            Some("last" | "past") => Lean::Last,
            Some("next" | "coming") => Lean::Next,
            Some("this") => Lean::This,
            _ => self.tense(whole.start(), whole.end()),
        };
        let year_offset = caps.name("yrel").map(|m| {
            let lower = m.as_str().to_lowercase();
            if lower.contains("last") {
                -1
            } else if lower.contains("next") {
                1
            } else {
                0
            }
        });
        let value = self.anchor.and_then(|anchor| {
            let year = match year_offset {
                Some(offset) => i64::from(anchor.year()) + offset,
                None => resolve_month_year(anchor, month, lean),
            };
            Some(with_part(
                month_value(year, i64::from(month))?,
                part_of(caps),
            ))
        });
        // "since August" quotes "August": only "in" and "on" belong to the phrase, and
        // "of" starts none ("the end of August" is matched as a part instead).
        let rank = PATTERNS
            .iter()
            .position(|(k, _)| *k == Kind::BareMonth)
            .unwrap_or(usize::MAX);
        Some(Candidate {
            start: whole.start(),
            end: whole.end(),
            rank,
            value,
        })
    }

    /// Whether the word after `pos` makes a bare month an attribute of an event ("the
    /// August summit", "the March election"): the nouns listed in `[month_after]`.
    fn month_context_after(&self, pos: usize) -> bool {
        next_word(&self.text[pos..]).is_some_and(|next| self.vocab.listed("month_after", next))
    }

    /// Whether the word before `pos` lets a bare month be a month ("since August",
    /// "from June to August").
    fn month_context_before(&self, pos: usize) -> bool {
        let before = &self.text[..pos];
        let prev = last_word(before);
        if prev.is_empty() {
            return false;
        }
        if self.vocab.listed("month_before", prev) {
            return true;
        }
        // "June and August", "June to August", "June or July": a month before the link.
        if ["and", "to", "or"].contains(&prev.to_lowercase().as_str()) {
            let earlier = last_word(before.trim_end().strip_suffix(prev).unwrap_or(""));
            return self.vocab.month(earlier).is_some()
                && earlier.chars().next().is_some_and(char::is_uppercase);
        }
        false
    }

    fn read_weekday(&self, caps: &Captures) -> Option<Candidate> {
        let whole = caps.get(0)?;
        let wd_match = caps.name("wd")?;
        let weekday = self.vocab.weekday(wd_match.as_str())?;
        let first_word_start = caps
            .name("pre")
            .or(caps.name("rel"))
            .unwrap_or(wd_match)
            .start();
        let prev = last_word(&self.text[..first_word_start]);
        if !prev.is_empty() && self.vocab.listed("weekday_not_after", prev) {
            return None;
        }
        if let Some(next) = next_word(&self.text[wd_match.end()..])
            && self.vocab.listed("weekday_not_before", next)
        {
            return None;
        }
        // Plural weekdays ("on Thursdays") recur; the pattern's \b already refuses them,
        // but "Thursdays'" would slip through without this.
        if self.text[wd_match.end()..].starts_with(['s', 'S']) {
            return None;
        }
        let lean = match caps
            .name("rel")
            .map(|m| m.as_str().to_lowercase())
            .as_deref()
        {
            Some("last" | "past") => Lean::Last,
            Some("next") => Lean::Next,
            Some("this" | "coming") => Lean::Future,
            _ => self.tense(whole.start(), whole.end()),
        };
        let value = self
            .anchor
            .and_then(|a| resolve_weekday(a, weekday, lean))
            .map(day_value);
        let rank = PATTERNS
            .iter()
            .position(|(k, _)| *k == Kind::Weekday)
            .unwrap_or(usize::MAX);
        Some(Candidate {
            start: whole.start(),
            end: whole.end(),
            rank,
            value,
        })
    }

    /// Month names are capitalised in news; lower-case "may", "march" and "august" are
    /// ordinary words.
    fn month_is_written_as_month(&self, name: &str) -> bool {
        name.chars().next().is_some_and(char::is_uppercase)
    }

    /// The year group of a month-year or season-year match, if it reads as a year.
    fn attached_year(&self, caps: &Captures) -> Option<i64> {
        let year_match = caps.name("y")?;
        let year = num(caps, "y")?;
        let after = &self.text[year_match.end()..];
        if !(1000..=2999).contains(&year)
            || matches!(after.chars().next(), Some('%'))
            || starts_with_digit_after(after, &[',', '.'])
            || next_word(after).is_some_and(|w| self.vocab.listed("not_year_after", w))
        {
            return None;
        }
        Some(year)
    }

    fn today_is_a_name(&self, start: usize, end: usize) -> bool {
        let prev = last_word(&self.text[..start]);
        let next = next_word(&self.text[end..]);
        (!prev.is_empty() && self.vocab.listed("today_not_after", prev))
            || next.is_some_and(|n| self.vocab.listed("today_not_before", n))
    }

    /// [`Lean::Future`] when a future cue stands in the same clause as `start..end`,
    /// else [`Lean::Past`].
    ///
    /// The clause is up to eight words before the phrase, stopping at a comma or a word
    /// such as "said" (`[clause_break]`), and up to five words after it, stopping at such
    /// a word, and at a comma unless the phrase opens the sentence.
    fn tense(&self, start: usize, end: usize) -> Lean {
        let before = sentence_tail(&self.text[..start]);
        let after = sentence_head(&self.text[end..]);
        let mut window_before: Vec<String> = Vec::new();
        for token in tokens(before).into_iter().rev() {
            match token {
                Token::Break => break,
                Token::Word(w) if self.vocab.listed("clause_break", &w) => break,
                Token::Word(w) => window_before.push(w),
            }
            if window_before.len() == 8 {
                break;
            }
        }
        window_before.reverse();
        // At the head of a sentence the phrase governs the clause after the comma ("In
        // January, the company will ..."); inside one, a comma ends its clause ("who was
        // arrested in March, will appear ...").
        let heads_sentence = !tokens(before).iter().any(|t| matches!(t, Token::Word(_)));
        let mut window_after: Vec<String> = Vec::new();
        for token in tokens(after) {
            match token {
                Token::Break if heads_sentence => continue,
                Token::Break => break,
                Token::Word(w) if self.vocab.listed("clause_break", &w) => break,
                Token::Word(w) => window_after.push(w),
            }
            if window_after.len() == 5 {
                break;
            }
        }
        if self.has_future_cue(&window_before) || self.has_future_cue(&window_after) {
            Lean::Future
        } else {
            Lean::Past
        }
    }

    fn has_future_cue(&self, words: &[String]) -> bool {
        if words
            .iter()
            .any(|w| w.ends_with("'ll") || w.ends_with("’ll"))
        {
            return true;
        }
        self.vocab.future_cues.iter().any(|cue| {
            !cue.is_empty()
                && words.windows(cue.len()).enumerate().any(|(at, window)| {
                    window == cue.as_slice()
                        && !(cue.len() == 1
                            && cue[0] == "will"
                            && at > 0
                            && self.vocab.listed("future_cue_not_after", &words[at - 1]))
                })
        })
    }
}

/// A word or a clause break, for the future-cue window.
enum Token {
    Word(String),
    Break,
}

/// Lower-case words and clause-breaking punctuation of `text`.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '’' {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(&mut word)));
        }
        if matches!(c, ',' | ';' | ':' | '(' | ')' | '—' | '–') {
            out.push(Token::Break);
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
    out
}

/// The part of `before` after its last sentence end.
fn sentence_tail(before: &str) -> &str {
    match before.rfind(['.', '!', '?', '\n']) {
        Some(at) => &before[at + 1..],
        None => before,
    }
}

/// The part of `after` up to its first sentence end.
fn sentence_head(after: &str) -> &str {
    match after.find(['.', '!', '?', '\n']) {
        Some(at) => &after[..at],
        None => after,
    }
}

/// The last `max_bytes` (or fewer, to stay on a character boundary) of `text`.
fn tail(text: &str, max_bytes: usize) -> &str {
    let mut from = text.len().saturating_sub(max_bytes);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..]
}

/// The word just before the end of `text`, skipping spaces and one hyphen ("pre-").
fn last_word(text: &str) -> &str {
    let trimmed = text.trim_end();
    let trimmed = trimmed.strip_suffix('-').unwrap_or(trimmed);
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '\'' || *c == '’' || *c == '.')
        .last()
        .map_or(trimmed.len(), |(i, _)| i);
    trimmed[start..].trim_end_matches('.')
}

/// The word at the start of `text` after spaces, or `None` when punctuation comes first.
fn next_word(text: &str) -> Option<&str> {
    let trimmed = text.trim_start();
    let end = trimmed
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(trimmed.len(), |(i, _)| i);
    (end > 0).then(|| &trimmed[..end])
}

/// Position of the first non-space character at or after `pos`.
fn skip_space(text: &str, pos: usize) -> usize {
    let rest = &text[pos..];
    pos + (rest.len() - rest.trim_start().len())
}

/// Whether `text` starts with one of `separators` followed by a digit ("2,022", "2022.5").
fn starts_with_digit_after(text: &str, separators: &[char]) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if separators.contains(&c))
        && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether the character before the last one of `text` is a digit ("1,|2022").
fn ends_with_digit_before(text: &str) -> bool {
    let mut chars = text.chars().rev();
    chars.next();
    chars.next().is_some_and(|c| c.is_ascii_digit())
}

fn is_currency_char(c: char) -> bool {
    matches!(
        c,
        '$' | '£' | '€' | '¥' | '₹' | '₽' | '₴' | '₩' | '₪' | '₺' | '¢'
    )
}

/// A numeric capture group as a number.
fn num(caps: &Captures, name: &str) -> Option<i64> {
    caps.name(name)?.as_str().parse().ok()
}

/// The [`Part`] named by a `part` group.
fn part_of(caps: &Captures) -> Option<Part> {
    let part = caps.name("part")?.as_str().to_lowercase();
    if part.starts_with("early")
        || part.contains("start")
        || part.contains("beginning")
        || part.contains("first")
    {
        Some(Part::Early)
    } else if part.starts_with("mid") || part.contains("middle") {
        Some(Part::Mid)
    } else if part.starts_with("late") || part.contains("end") || part.contains("second") {
        Some(Part::Late)
    } else {
        // "earlier in August", "later in August": somewhere in the month.
        None
    }
}

fn with_part(value: DateValue, part: Option<Part>) -> DateValue {
    DateValue {
        modifier: part.or(value.modifier),
        ..value
    }
}

fn ymd(year: i64, month: i64, day: i64) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

fn shift_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(Span::new().try_days(days).ok()?).ok()
}

fn shift_months(date: Date, months: i64) -> Option<Date> {
    date.checked_add(Span::new().try_months(months).ok()?).ok()
}

fn shift_years(date: Date, years: i64) -> Option<Date> {
    date.checked_add(Span::new().try_years(years).ok()?).ok()
}

fn days_between(start: Date, end: Date) -> i64 {
    end.duration_since(start).as_secs() / 86_400
}

fn day_value(date: Date) -> DateValue {
    DateValue {
        start: date,
        granularity: Granularity::Day,
        modifier: None,
    }
}

fn month_value(year: i64, month: i64) -> Option<DateValue> {
    Some(DateValue {
        start: ymd(year, month, 1)?,
        granularity: Granularity::Month,
        modifier: None,
    })
}

fn year_value(year: i64) -> Option<DateValue> {
    Some(DateValue {
        start: ymd(year, 1, 1)?,
        granularity: Granularity::Year,
        modifier: None,
    })
}

fn decade_value(year: i64, part: Option<Part>) -> Option<DateValue> {
    let start = ymd(year - year.rem_euclid(10), 1, 1)?;
    Some(DateValue {
        start,
        granularity: Granularity::Decade,
        modifier: part,
    })
}

/// The narrowest period that holds the days `first` to `last`: their ISO week when they
/// share one, else their month. A stretch of days has no granularity of its own, and a
/// wider period keeps "the talks on 19-20 November" compatible with "on 20 November".
fn span_value(first: Date, last: Date) -> Option<DateValue> {
    let week = week_value(first)?;
    if week_value(last)? == week {
        return Some(week);
    }
    month_value(i64::from(first.year()), i64::from(first.month()))
}

/// The ISO week (Monday to Sunday) that contains `date`.
fn week_value(date: Date) -> Option<DateValue> {
    let monday = shift_days(date, -i64::from(date.weekday().to_monday_zero_offset()))?;
    Some(DateValue {
        start: monday,
        granularity: Granularity::Week,
        modifier: None,
    })
}

fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
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
    usize::try_from(month - 1)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("?")
}

fn season_name(start_month: i8) -> &'static str {
    match start_month {
        3 => "spring",
        6 => "summer",
        9 => "autumn",
        _ => "winter",
    }
}

fn season_start_month(season: &str) -> i8 {
    match season {
        "spring" => 3,
        "summer" => 6,
        "autumn" | "fall" => 9,
        _ => 12,
    }
}

/// The weekday `weekday` (1 = Monday) that `lean` picks relative to `anchor`.
fn resolve_weekday(anchor: Date, weekday: i8, lean: Lean) -> Option<Date> {
    let today = i64::from(anchor.weekday().to_monday_one_offset());
    let wanted = i64::from(weekday);
    let back = (today - wanted).rem_euclid(7);
    let forward = (wanted - today).rem_euclid(7);
    let offset = match lean {
        Lean::Past => -back,
        Lean::Future | Lean::This => forward,
        Lean::Last if back == 0 => -7,
        Lean::Last => -back,
        Lean::Next if forward == 0 => 7,
        Lean::Next => forward,
    };
    shift_days(anchor, offset)
}

/// The year of the month `month` that `lean` picks relative to `anchor`.
fn resolve_month_year(anchor: Date, month: i8, lean: Lean) -> i64 {
    let year = i64::from(anchor.year());
    let current = anchor.month();
    match lean {
        Lean::Past if month <= current => year,
        Lean::Past => year - 1,
        Lean::Future if month >= current => year,
        Lean::Future => year + 1,
        Lean::Last if month < current => year,
        Lean::Last => year - 1,
        Lean::Next if month > current => year,
        Lean::Next => year + 1,
        Lean::This => year,
    }
}

/// The date of `day` `month` without a year that `lean` picks relative to `anchor`.
/// 29 February moves back or forward to a leap year.
fn resolve_day_month(anchor: Date, month: i64, day: i64, lean: Lean) -> Option<Date> {
    let year = i64::from(anchor.year());
    match lean {
        Lean::Future | Lean::Next => (year..=year + 8)
            .filter_map(|y| ymd(y, month, day))
            .find(|date| *date >= anchor),
        _ => (year - 8..=year)
            .rev()
            .filter_map(|y| ymd(y, month, day))
            .find(|date| *date <= anchor),
    }
}

/// The season `season` that `lean` picks relative to `anchor`.
fn resolve_season(anchor: Date, season: &str, lean: Lean) -> Option<DateValue> {
    let start_month = i64::from(season_start_month(season));
    let year = i64::from(anchor.year());
    let starts: Vec<Date> = (year - 2..=year + 2)
        .filter_map(|y| ymd(y, start_month, 1))
        .collect();
    let contains_anchor =
        |start: &Date| shift_months(*start, 3).is_some_and(|end| *start <= anchor && anchor < end);
    let start = match lean {
        Lean::Past => starts.iter().rev().find(|s| **s <= anchor),
        Lean::Last => starts
            .iter()
            .rev()
            .find(|s| **s <= anchor && !contains_anchor(s)),
        Lean::Future => starts.iter().find(|s| contains_anchor(s) || **s > anchor),
        Lean::Next => starts.iter().find(|s| **s > anchor),
        // "this winter" in January is the winter that began in December.
        Lean::This => starts
            .iter()
            .find(|s| contains_anchor(s))
            .or_else(|| starts.iter().find(|s| i64::from(s.year()) == year)),
    }?;
    Some(DateValue {
        start: *start,
        granularity: Granularity::Season,
        modifier: None,
    })
}

/// "last week", "this month", "next year", "later this month", "last summer"...
fn resolve_period(anchor: Date, rel: &str, unit: &str) -> Option<DateValue> {
    let step = match rel {
        "last" => -1,
        "this" | "earlier this" | "later this" | "the" => 0,
        "next" => 1,
        // "the previous year", "the past week", "the coming month", "the next decade":
        // relative to a reference the text does not date, or a rolling stretch of time
        // that is no calendar period.
        _ => return None,
    };
    match unit {
        "week" => week_value(shift_days(anchor, 7 * step)?),
        "weekend" => {
            // Saturday is 6 in Monday-one numbering; "last weekend" on a Sunday is the one
            // before yesterday's.
            let saturday = match step {
                -1 => resolve_weekday(shift_days(anchor, -2)?, 6, Lean::Past)?,
                0 => shift_days(week_value(anchor)?.start, 5)?,
                _ => shift_days(week_value(anchor)?.start, 12)?,
            };
            week_value(saturday)
        }
        "month" => {
            let month = shift_months(anchor.first_of_month(), step)?;
            month_value(i64::from(month.year()), i64::from(month.month()))
        }
        "year" => year_value(i64::from(anchor.year()) + step),
        "decade" if step == 0 => decade_value(i64::from(anchor.year()), None),
        "decade" => None,
        season => {
            let lean = match step {
                -1 => Lean::Last,
                0 => Lean::This,
                _ => Lean::Next,
            };
            resolve_season(anchor, season, lean)
        }
    }
}

/// "three days ago", "two weeks ago", "a month ago", "five years ago".
fn resolve_ago(anchor: Date, count: i64, unit: &str) -> Option<DateValue> {
    match unit {
        "day" => Some(day_value(shift_days(anchor, -count)?)),
        "week" => week_value(shift_days(anchor, -7 * count)?),
        "month" => {
            let month = shift_months(anchor.first_of_month(), -count)?;
            month_value(i64::from(month.year()), i64::from(month.month()))
        }
        "year" => year_value(i64::from(anchor.year()) - count),
        // "a decade ago" is too loose to pin to a calendar decade.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Thursday, the anchor of every test unless a case says otherwise.
    const ANCHOR: Date = date(2025, 11, 20);

    #[test]
    fn patterns_compile() {
        assert_eq!(VOCAB.patterns.len(), PATTERNS.len());
        assert!(VOCAB.months.len() >= 24 && VOCAB.weekdays.len() >= 14);
    }

    #[test]
    fn anchor_is_a_thursday() {
        assert_eq!(ANCHOR.weekday(), jiff::civil::Weekday::Thursday);
    }

    /// Finds the dates of `text` against `anchor` and checks that exactly one was found,
    /// quoting `quoted`, with value string `value` ("-" for `None`).
    fn check_one(text: &str, anchor: Option<Date>, quoted: &str, value: &str) {
        let found = find_dates(text, anchor);
        let got: Vec<(String, String)> = found
            .iter()
            .map(|m| {
                (
                    m.text.clone(),
                    m.value.map_or("-".to_string(), |v| v.value_string()),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![(quoted.to_string(), value.to_string())],
            "in {text:?}"
        );
        for mention in &found {
            assert_eq!(&text[mention.start..mention.end], mention.text);
        }
    }

    #[test]
    fn phrasings_resolve_against_a_thursday() {
        // (sentence, quoted phrase, value string), anchored on Thursday 2025-11-20.
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str)] = &[
            // Weekdays: the most recent one, the publication day included.
            ("Russia said on Thursday that talks had ended.", "on Thursday", "2025-11-20"),
            ("The envoy arrived on Wednesday.", "on Wednesday", "2025-11-19"),
            ("Ukraine's president said Monday he had seen the plan.", "Monday", "2025-11-17"),
            ("Officials met on Friday to discuss it.", "on Friday", "2025-11-14"),
            ("The ministry said late Sunday night it was studying the text.", "Sunday night", "2025-11-16"),
            ("Thursday's meeting lasted two hours.", "Thursday", "2025-11-20"),
            ("The talks ended last Tuesday.", "last Tuesday", "2025-11-18"),
            ("The talks ended last Thursday.", "last Thursday", "2025-11-13"),
            ("Talks resume next Tuesday.", "next Tuesday", "2025-11-25"),
            ("Talks will resume on Tuesday, officials said.", "on Tuesday", "2025-11-25"),
            ("The team is due to arrive on Saturday.", "on Saturday", "2025-11-22"),
            ("He said on Tuesday that talks will resume.", "on Tuesday", "2025-11-18"),
            ("Envoys are expected to meet this Sunday.", "this Sunday", "2025-11-23"),
            // Days named relative to the anchor.
            ("The bill passed yesterday.", "yesterday", "2025-11-19"),
            ("Markets fell today.", "today", "2025-11-20"),
            ("The vote is tomorrow.", "tomorrow", "2025-11-21"),
            ("The minister resigned this morning.", "this morning", "2025-11-20"),
            ("Strikes hit Kyiv last night.", "last night", "2025-11-19"),
            ("It happened the day before yesterday.", "the day before yesterday", "2025-11-18"),
            // Months without a year.
            ("The summit in August ended without a deal.", "in August", "2025-08"),
            ("He was referring to the August summit between the two leaders.", "August", "2025-08"),
            ("Prices rose in November.", "in November", "2025-11"),
            ("Prices rose in December.", "in December", "2024-12"),
            ("The plan will be presented in January.", "in January", "2026-01"),
            ("In January, the company will launch its service.", "In January", "2026-01"),
            ("Sales have fallen since March.", "March", "2025-03"),
            ("Talks continue next January.", "next January", "2026-01"),
            ("Talks collapsed last August.", "last August", "2025-08"),
            ("Elections are set for January next year.", "January next year", "2026-01"),
            ("It started in January last year.", "in January last year", "2024-01"),
            ("Fighting intensified in mid-August.", "in mid-August", "mid-2025-08"),
            ("The deal was struck in early September.", "in early September", "early 2025-09"),
            ("It closed at the end of October.", "the end of October", "late 2025-10"),
            // Months with a year.
            ("The law takes effect in January 2026.", "in January 2026", "2026-01"),
            ("Filed January 2026 with regulators.", "January 2026", "2026-01"),
            ("The report dates from Jan 2026.", "Jan 2026", "2026-01"),
            ("The report dates from Sept. 2024.", "Sept. 2024", "2024-09"),
            ("It happened in late March 2023.", "in late March 2023", "late 2023-03"),
            // Full dates, and stretches of days.
            ("The accord was signed on 20 November 2025.", "on 20 November 2025", "2025-11-20"),
            ("The accord was signed November 20, 2025.", "November 20, 2025", "2025-11-20"),
            ("The accord was signed on Nov. 19.", "on Nov. 19", "2025-11-19"),
            ("The accord was signed Nov 19.", "Nov 19", "2025-11-19"),
            ("The accord was signed on 19 Nov.", "on 19 Nov.", "2025-11-19"),
            ("It was agreed on the 20th of November.", "on the 20th of November", "2025-11-20"),
            ("It was agreed on 20th November.", "on 20th November", "2025-11-20"),
            ("It was agreed on Thursday, Nov. 20, 2025.", "on Thursday, Nov. 20, 2025", "2025-11-20"),
            ("Published Thursday 20 November 2025 08:00.", "Thursday 20 November 2025", "2025-11-20"),
            ("The vote on Dec. 3 was postponed.", "on Dec. 3", "2024-12-03"),
            ("The vote will take place on Dec. 3.", "on Dec. 3", "2025-12-03"),
            ("Posted 2025-11-20 by the agency.", "2025-11-20", "2025-11-20"),
            ("Posted 20/11/2025 by the agency.", "20/11/2025", "2025-11-20"),
            ("Posted 11/20/2025 by the agency.", "11/20/2025", "2025-11-20"),
            ("Posted 02/03/2025 by the agency.", "02/03/2025", "2025-03-02"),
            ("Posted 20.11.2025 by the agency.", "20.11.2025", "2025-11-20"),
            ("He was born on December 7th, 1941.", "on December 7th, 1941", "1941-12-07"),
            ("The summit ended on Nov. 19-20 in Geneva.", "on Nov. 19-20", "2025-W47"),
            ("The summit was held on 18-20 November 2025.", "on 18-20 November 2025", "2025-W47"),
            ("The fair ran from 8 to 20 November.", "8 to 20 November", "2025-11"),
            ("The 7 October attacks shocked Israel.", "7 October", "2025-10-07"),
            ("The suspect, who was arrested in March, will appear in court.", "in March", "2025-03"),
            // Years.
            ("The law was passed in 2022.", "in 2022", "2022"),
            ("Leaders met at the 2020 summit in Geneva.", "2020", "2020"),
            ("Prices have doubled since 2009.", "2009", "2009"),
            ("The target is to be met by 2030.", "2030", "2030"),
            ("Kyiv, 2022.", "2022", "2022"),
            ("The 2019 election was close.", "2019", "2019"),
            ("The company's 2023 revenue was flat.", "2023", "2023"),
            ("It began in early 2022.", "in early 2022", "early 2022"),
            ("Output peaked in mid-2022.", "in mid-2022", "mid-2022"),
            ("The plant closes in late 2026.", "in late 2026", "late 2026"),
            ("Costs fell in the first half of 2024.", "in the first half of 2024", "early 2024"),
            ("Costs had risen before the end of 2021.", "the end of 2021", "late 2021"),
            ("Output returned to pre-2020 levels.", "2020", "2020"),
            ("The EU approved its 2026-27 budget.", "2026-27", "2026"),
            ("The 2019/20 season was cut short.", "2019/20", "2019"),
            // Periods relative to the anchor.
            ("Inflation rose last year.", "last year", "2024"),
            ("Growth is forecast next year.", "next year", "2026"),
            ("Exports have risen this year.", "this year", "2025"),
            ("The firm said earlier this year that it would cut jobs.", "earlier this year", "2025"),
            ("Rates were cut last month.", "last month", "2025-10"),
            ("The plan was leaked earlier this month.", "earlier this month", "2025-11"),
            ("A decision is due later this month.", "later this month", "2025-11"),
            ("Fighting eased last week.", "last week", "2025-W46"),
            ("Talks continue this week.", "this week", "2025-W47"),
            ("The deal closed late last year.", "late last year", "late 2024"),
            ("Talks resume early next year.", "early next year", "early 2026"),
            ("A report is due by the end of the year.", "the end of the year", "late 2025"),
            ("Sales fell in the first half of the year.", "in the first half of the year", "early 2025"),
            ("Protests spread at the weekend.", "the weekend", "2025-W46"),
            ("The pact was signed two months ago.", "two months ago", "2025-09"),
            ("It opened three days ago.", "three days ago", "2025-11-17"),
            ("It opened a year ago.", "a year ago", "2024"),
            ("The ban was lifted five years ago.", "five years ago", "2020"),
            ("The crisis began two months before the vote.", "two months before", "-"),
            ("Two years later, the plant closed.", "Two years later", "-"),
            ("The following year, the plant closed.", "The following year", "-"),
            // Decades and seasons.
            ("Inflation was last this high in the 1990s.", "in the 1990s", "1990s"),
            ("It was built in the early 1980s.", "in the early 1980s", "early 1980s"),
            ("A hit from the '90s.", "the '90s", "1990s"),
            ("The offensive began in summer 2023.", "in summer 2023", "2023-summer"),
            ("The offensive began in the summer of 2023.", "in the summer of 2023", "2023-summer"),
            ("Fighting paused last winter.", "last winter", "2024-winter"),
            ("Fighting paused over the summer.", "the summer", "2025-summer"),
        ];
        for (text, quoted, value) in cases {
            check_one(text, Some(ANCHOR), quoted, value);
        }
        assert!(cases.len() >= 60);
    }

    #[test]
    fn numbers_that_are_not_dates() {
        let cases: &[&str] = &[
            "Some 2,022 people were evacuated.",
            "The bill cost $2022 in fees.",
            "There were 2022 votes against.",
            "Turnout rose 2022% in jest.",
            "Tickets sold out in the 2020's boom.",
            "Theresa May said the deal was done.",
            "Protesters began the march at noon.",
            "An august body of scholars met.",
            "COVID-19 cases rose 1999 overnight.",
            "It was reported by the Sunday Times.",
            "Shoppers flocked to Black Friday sales.",
            "She told the Today programme she would stay.",
            "Version 2.1.2020 was released.",
            "Invalid date 31/02/2025 here.",
            "Not a date 45/45/2025 either.",
            "We meet on Thursdays.",
            "He scored 1990 points in his career.",
            "Inflation in the year to September was high.",
            "The talks ran 20-19 November, which is no stretch of days.",
        ];
        for text in cases {
            let found = find_dates(text, Some(ANCHOR));
            assert!(found.is_empty(), "{text:?} gave {found:?}");
        }
    }

    #[test]
    fn several_dates_in_one_sentence() {
        let text = "Between 2020 and 2022, output fell; from June to August it rose, \
                    and on Thursday, Nov. 20 it was flat.";
        let found: Vec<String> = find_dates(text, Some(ANCHOR))
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(
            found,
            ["2020", "2022", "June", "August", "on Thursday, Nov. 20"]
        );
    }

    #[test]
    fn relative_dates_without_anchor_have_no_value() {
        #[rustfmt::skip]
        let cases = [
            ("Russia said on Thursday that the talks ended.", "on Thursday", "-"),
            ("Inflation rose last year.", "last year", "-"),
            ("The summit in August ended.", "in August", "-"),
            ("The accord was signed on 20 November 2025.", "on 20 November 2025", "2025-11-20"),
            ("The law was passed in 2022.", "in 2022", "2022"),
        ];
        for (text, quoted, value) in cases {
            check_one(text, None, quoted, value);
        }
    }

    #[test]
    fn describe_and_value_strings() {
        let winter = DateValue {
            start: date(2025, 12, 1),
            granularity: Granularity::Season,
            modifier: None,
        };
        #[rustfmt::skip]
        let cases: &[(Option<DateValue>, &str, &str)] = &[
            (Some(day_value(date(2025, 8, 14))), "2025-08-14", "14 August 2025"),
            (week_value(date(2025, 11, 20)), "2025-W47", "the week of 17 November 2025"),
            (month_value(2025, 8), "2025-08", "August 2025"),
            (year_value(2025), "2025", "2025"),
            (decade_value(1994, None), "1990s", "the 1990s"),
            (decade_value(1990, Some(Part::Early)), "early 1990s", "the early 1990s"),
            (year_value(2022).map(|v| with_part(v, Some(Part::Mid))), "mid-2022", "mid-2022"),
            (month_value(2025, 10).map(|v| with_part(v, Some(Part::Late))), "late 2025-10", "late October 2025"),
            (Some(winter), "2025-winter", "winter 2025–26"),
        ];
        for (value, machine, human) in cases {
            let value = value.expect("test values are valid dates");
            assert_eq!(value.value_string(), *machine);
            assert_eq!(value.describe(), *human);
        }
    }

    /// The value of the single date in `text`, against the Thursday anchor.
    fn value_of(text: &str) -> DateValue {
        let found = find_dates(text, Some(ANCHOR));
        assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
        found[0]
            .value
            .unwrap_or_else(|| panic!("{text:?} has no value"))
    }

    #[test]
    fn compatibility() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, bool)] = &[
            ("on Thursday", "on 20 November", true),
            ("on Thursday", "on 20 November 2025", true),
            ("on Wednesday", "on Nov. 19", true),
            ("on Wednesday", "on 20 November", false),
            ("in August", "on 14 August 2025", true),
            ("in August", "in July", false),
            ("in August", "in 2025", true),
            ("in 2025", "the 2020 summit", false),
            ("last year", "in 2024", true),
            ("last year", "this year", false),
            ("early 2022", "in March 2022", true),
            ("early 2022", "late 2022", false),
            ("mid-2022", "in June 2022", true),
            ("in the 1990s", "in 1994", true),
            ("in the 1990s", "in 2004", false),
            ("last week", "on Wednesday 12 November", true),
            ("last week", "on Thursday", false),
            ("on Nov. 19-20", "on Thursday", true),
            ("on Nov. 19-20", "on Nov. 25", false),
            ("in summer 2023", "in August 2023", true),
            ("in winter 2022", "in January 2023", true),
            ("in winter 2022", "in March 2023", false),
        ];
        for (left, right, expected) in cases {
            let (a, b) = (value_of(left), value_of(right));
            assert_eq!(a.compatible(&b), *expected, "{left:?} vs {right:?}");
            assert_eq!(b.compatible(&a), *expected, "{right:?} vs {left:?}");
        }
    }

    #[test]
    fn anchors_at_the_edges_of_the_calendar_do_not_panic() {
        let text = "On Thursday, next year, last week, in December, on Dec. 3, two years ago, \
                    next summer, the day after tomorrow.";
        let anchors = [
            Date::MIN,
            Date::MAX,
            date(2024, 2, 29),
            date(2025, 1, 1),
            date(2025, 12, 31),
        ];
        for anchor in anchors {
            let found = find_dates(text, Some(anchor));
            assert_eq!(found.len(), 8, "{anchor}: {found:?}");
        }
    }

    #[test]
    fn leap_day_without_a_year_goes_to_a_leap_year() {
        check_one(
            "It was signed on 29 February.",
            Some(ANCHOR),
            "on 29 February",
            "2024-02-29",
        );
    }

    /// A small deterministic generator (xorshift), so the test needs no extra crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            let len = u64::try_from(items.len()).unwrap_or(1);
            items[usize::try_from(self.next() % len).unwrap_or(0)]
        }
    }

    #[test]
    fn random_text_never_panics_and_offsets_are_char_boundaries() {
        let pieces = [
            " ", "  ", ",", ".", "-", "–", "/", "'", "’", "(", ")", "on", "in", "the", "last",
            "next", "since", "Thursday", "thursday", "May", "Nov", "Nov.", "November", "19", "20",
            "2025", "1999", "31", "0", "99", "2,022", "$", "£", "€", "é", "日本", "🙂", "\u{a0}",
            "'90s", "1990s", "early", "mid-", "ago", "two", "years", "summer", "of", "will",
            "said", "\n", "th", "st", "week", "weekend", "today", "9999", "-12-", "/11/", "0000",
            "29", "February", "Sunday", "Times", "end", "to",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            let length = 1 + rng.next() % 24;
            let text: String = (0..length).map(|_| rng.pick(&pieces)).collect();
            let anchor = match round % 4 {
                0 => None,
                1 => Some(Date::MIN),
                2 => Some(Date::MAX),
                _ => Some(ANCHOR),
            };
            let found = find_dates(&text, anchor);
            let mut last_end = 0;
            for mention in &found {
                assert!(text.is_char_boundary(mention.start) && text.is_char_boundary(mention.end));
                assert!(
                    mention.start >= last_end && mention.start < mention.end,
                    "{text:?}"
                );
                assert_eq!(&text[mention.start..mention.end], mention.text);
                last_end = mention.end;
                if let Some(value) = mention.value {
                    let _ = (
                        value.value_string(),
                        value.describe(),
                        value.compatible(&value),
                    );
                }
            }
        }
    }
}
