//! Numbers, money, percentages and counted quantities in news text.
//!
//! [`find_numbers`] finds each figure a text states — "at least 26 people", "$105m",
//! "nearly 50 per cent", "twenty-six", "dozens of civilians" — as a [`NumberMention`]: its
//! value, its [`NumberKind`], how exact the writer claims it is ([`Approx`]), the currency
//! of money (ISO 4217) and the class of the counted noun of a quantity. [`same_value`]
//! says whether two mentions state the same figure within the writer's rounding, which is
//! how drift tells that "$105m" and "around $105 million" agree while "26 people" and
//! "62 people" do not. [`comparable`] says whether two mentions measure the same kind of
//! thing at all.
//!
//! ```text
//! "At least 26 people were killed and the $105m plan won nearly 50 per cent"
//!   "At least 26 people"  Quantity 26   AtLeast  unit "person"  noun "people"
//!   "$105m"               Money    1.05e8 Exact  unit "USD"
//!   "nearly 50 per cent"  Percent  50   Nearly
//! ```
//!
//! # Rules
//!
//! - **Not numbers.** Digits attached to letters are identifiers ("F-16", "COVID-19", "G7",
//!   "A320", "5G", "3D"), except the scale, percent and unit suffixes listed in
//!   `data/number_words.txt` ("5k", "$1.5bn", "50pc", "10km"). Ordinals ("26th",
//!   "twenty-first"), fractions ("two-thirds"), times of day ("3 p.m.", "15:30", "10
//!   o'clock"), version numbers ("3.2.1"), "24/7"-style pairs, decades ("the 1990s") and
//!   the spans the caller passes in `skip` (dates found by `dates::find_dates`) are not
//!   read. Bare "one" is not read ("one of them", "one day"); "one hundred" is.
//!   Capitalised number words inside a sentence are names ("the Big Four", "Three Lions").
//! - **Digits.** Commas group thousands ("1,200"); a no-break or thin space may too
//!   (U+00A0, U+202F, U+2009), an ordinary space never: English news groups with commas,
//!   and two numbers side by side ("in group 1 200 people waited") must stay two. A point
//!   is a decimal point. Signs are not read ("minus 5 degrees" is 5 degrees).
//! - **Money.** A bare "$" is US dollars; other dollars carry their prefix ("A$", "HK$").
//!   "m" after digits is a million ("3.2m") unless a word such as "tall" or "long" follows,
//!   which makes it metres.
//! - **Counted nouns.** The noun right after the number, or after one or two modifiers when
//!   the noun is a known one ("1,200 local residents"), or inside a hyphenated compound
//!   ("a 28-point plan" counts `point`). Its class comes from `data/counted_nouns.txt`;
//!   an unknown noun counts only when it looks plural ("5 remain" counts nothing) and is
//!   its own class, in the singular. A number after a name counts nothing and carries no
//!   approximation ("Article 5", "the Boeing 737 jets").
//! - **Indefinite amounts** ("dozens", "hundreds of", "tens of thousands") have
//!   [`Approx::Indefinite`] and as value the smallest number they allow (24, 200, 20,000);
//!   they allow up to ten times that.
//! - **Ranges.** "between 10 and 15", "10-15", "10 to 15" (but not "from 10 to 15", a
//!   change) give 10 [`Approx::AtLeast`] and 15 [`Approx::AtMost`], sharing the second
//!   figure's scale, currency and noun ("$10-15m", "10-15 people"). Scores ("lost 3-1")
//!   stay two exact numbers, because the second is not the larger.
//!
//! # How values compare
//!
//! Every mention carries its `precision`: half the unit of the last digit written, so
//! "3.2m" stands for anything from 3.15m to 3.25m and "$105m" for $104.5m to $105.5m.
//! Two mentions with the same kind of claim (both exact, both lower bounds "at least" /
//! "more than", both upper bounds, both "about", both "nearly", both indefinite) state the
//! same value when their values differ by no more than the larger precision — and, for
//! "about", by no more than 5% — so "at least 14" and "at least 41" differ. Mentions with
//! different kinds of claim are the same when the ranges they allow overlap: exact is its
//! value ± precision, "at least"/"more than" is from the value up, "up to"/"at most"/"fewer
//! than" is up to the value, "about" is ±10%, "nearly" is the 10% below the value, and
//! indefinite is from the value to ten times it. "about 100" and "98" agree, "nearly 50%"
//! and "50 per cent" agree, "more than 200" and "fewer than 100" do not. The rule is
//! deliberately lenient: drift is reported only when values clearly differ.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::lexicon::parse_sections;

/// The number words, scales, approximations, percent words and times of day.
const NUMBER_WORDS: &str = include_str!("data/number_words.txt");
/// Currency symbols, codes and names, to ISO 4217 codes.
const CURRENCIES: &str = include_str!("data/currencies.txt");
/// Counted nouns, their classes and the class hierarchy.
const COUNTED_NOUNS: &str = include_str!("data/counted_nouns.txt");

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    /// A bare number ("twenty-six", "1,200").
    Number,
    /// An amount of money; the unit is the ISO 4217 code ("$105m", "80 million pounds").
    Money,
    /// A percentage ("50%", "50 per cent"), or percentage points when the unit says so.
    Percent,
    /// A number with a counted noun ("26 people", "360 days", "a 28-point plan").
    Quantity,
}

/// How exact the writer claims a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Approx {
    /// No qualifier: the figure as stated.
    Exact,
    /// "at least", "no fewer than", "or more", "100-plus".
    AtLeast,
    /// "at most", "no more than".
    AtMost,
    /// "about", "around", "approximately", "roughly", "some", "an estimated", "or so".
    About,
    /// "more than", "over", "above", "in excess of".
    MoreThan,
    /// "fewer than", "less than", "under", "below".
    LessThan,
    /// "nearly", "almost", "close to", "just under".
    Nearly,
    /// "up to", "as many as".
    UpTo,
    /// "dozens", "hundreds of", "tens of thousands": the value is the smallest number the
    /// phrase allows.
    Indefinite,
}

/// One figure found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// Byte offset of the first character of the phrase (the approximation word, if any).
    pub start: usize,
    /// Byte offset just past the phrase (past the counted noun, if any).
    pub end: usize,
    /// The phrase as written, e.g. "at least 26 people", "$105m", "nearly 50 per cent".
    pub text: String,
    /// What the figure measures.
    pub kind: NumberKind,
    /// The value, scales applied: "$1.5bn" is 1.5e9, "50%" is 50.
    pub value: f64,
    /// How exact the writer claims the figure is.
    pub approx: Approx,
    /// For money the ISO 4217 code ("USD", "GBP", "EUR"); for quantities the class of the
    /// counted noun ("person" for "people" and "individuals", "death" for "fatalities",
    /// else the noun in the singular); for percentages `None`, or "percentage point" /
    /// "basis point"; for bare numbers `None`.
    pub unit: Option<String>,
    /// The counted noun as written ("individuals"), for quantities.
    pub noun: Option<String>,
    /// Half the unit of the last digit written, in the units of `value`: the rounding the
    /// writer's figure allows ("3.2m" 50,000; "26" 0.5).
    pub precision: f64,
}

/// Finds the figures in `text`, in order and without overlaps, ignoring numbers whose
/// digits fall in one of the byte spans of `skip` (dates already found, typically).
///
/// Never panics, whatever `text` and `skip` hold; offsets are on character boundaries.
pub fn find_numbers(text: &str, skip: &[(usize, usize)]) -> Vec<NumberMention> {
    let vocab = &*VOCAB;
    let mut cores: Vec<(usize, usize, CoreMatch)> = Vec::new();
    for caps in vocab.digits.captures_iter(text) {
        if let Some(m) = caps.get(0) {
            cores.push((m.start(), m.end(), CoreMatch::Digits));
        }
    }
    for m in vocab.words.find_iter(text) {
        cores.push((m.start(), m.end(), CoreMatch::Words));
    }
    for m in vocab.indefinite.find_iter(text) {
        cores.push((m.start(), m.end(), CoreMatch::Indefinite));
    }
    // Earliest first; at one start the longest, so "a few hundred" beats "hundred".
    cores.sort_by_key(|(start, end, _)| (*start, std::cmp::Reverse(*end)));

    let skip = Skip::new(skip);
    let reader = Reader {
        text,
        skip: &skip,
        vocab,
    };
    let mut found: Vec<Found> = Vec::new();
    let mut cursor = 0;
    for (start, end, kind) in cores {
        if start < cursor || skip.overlaps(start, end) {
            continue;
        }
        let core = match kind {
            CoreMatch::Digits => vocab
                .digits
                .captures_at(text, start)
                .and_then(|c| reader.digits(&c)),
            CoreMatch::Words => reader.words(start, end),
            CoreMatch::Indefinite => reader.indefinite(start, end),
        };
        let Some(core) = core else { continue };
        let item = reader.finish(core);
        cursor = item.mention.end;
        found.push(item);
    }
    reader.join_ranges(&mut found);
    found.into_iter().map(|f| f.mention).collect()
}

/// Whether two mentions measure the same kind of thing, so that their values can be
/// compared at all: money in the same currency, quantities of related classes
/// (`data/counted_nouns.txt`), percentages of the same unit. A bare number is
/// comparable with money and quantities, whose currency or noun it may have lost.
///
/// "£80m" and "$80m" are not comparable; a caller that wants to report a change of
/// currency checks [`NumberMention::unit`] itself.
pub fn comparable(a: &NumberMention, b: &NumberMention) -> bool {
    use NumberKind::{Money, Number, Percent, Quantity};
    match (a.kind, b.kind) {
        (Number, _) | (_, Number) => true,
        (Money, Money) => a.unit == b.unit || a.unit.is_none() || b.unit.is_none(),
        // Percent units are compared strictly: `None` means "%", which a "percentage
        // point" is not.
        (Percent, Percent) => a.unit == b.unit,
        (Quantity, Quantity) => match (&a.unit, &b.unit) {
            (Some(x), Some(y)) => VOCAB.classes_related(x, y),
            _ => true,
        },
        _ => false,
    }
}

/// Whether two figures are one within the rounding either writer allows, or 1%: "3.2m"
/// and "3,215,000", "26" and "26".
pub fn within_rounding(a: &NumberMention, b: &NumberMention) -> bool {
    let tolerance = a
        .precision
        .max(b.precision)
        .max(0.01 * a.value.abs().max(b.value.abs()));
    (a.value - b.value).abs() <= tolerance
}

/// Whether two mentions state the same figure within rounding (see the module
/// documentation): "$105m" = "around $105 million", "at least 26 people" = "26
/// individuals", "nearly 50%" = "50 per cent", "3.2m" = "3,200,000", "a dozen" = 12;
/// but "$105m" ≠ "$150m", "at least 14" ≠ "at least 41", and "£80m" ≠ "$80m" (not
/// [`comparable`]).
pub fn same_value(a: &NumberMention, b: &NumberMention) -> bool {
    if !comparable(a, b) {
        return false;
    }
    let epsilon = 1e-9 * a.value.abs().max(b.value.abs()).max(1.0);
    let (family_a, family_b) = (family(a.approx), family(b.approx));
    if family_a == family_b {
        let mut tolerance = a.precision.max(b.precision);
        if family_a == Family::About {
            tolerance = tolerance.max(0.05 * a.value.abs().max(b.value.abs()));
        }
        return (a.value - b.value).abs() <= tolerance + epsilon;
    }
    let (a_low, a_high) = allowed_range(a);
    let (b_low, b_high) = allowed_range(b);
    a_low <= b_high + epsilon && b_low <= a_high + epsilon
}

/// Kinds of claim whose mentions are compared value against value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Exact,
    Lower,
    Upper,
    About,
    Nearly,
    Indefinite,
}

fn family(approx: Approx) -> Family {
    match approx {
        Approx::Exact => Family::Exact,
        Approx::AtLeast | Approx::MoreThan => Family::Lower,
        Approx::AtMost | Approx::UpTo | Approx::LessThan => Family::Upper,
        Approx::About => Family::About,
        Approx::Nearly => Family::Nearly,
        Approx::Indefinite => Family::Indefinite,
    }
}

/// The values a mention allows, for comparing mentions with different kinds of claim.
/// "more than 26" allows 26 itself: being lenient keeps false alarms down.
fn allowed_range(m: &NumberMention) -> (f64, f64) {
    let (v, p) = (m.value, m.precision);
    match m.approx {
        Approx::Exact => (v - p, v + p),
        Approx::AtLeast | Approx::MoreThan => (v - p, f64::INFINITY),
        Approx::AtMost | Approx::UpTo | Approx::LessThan => (f64::NEG_INFINITY, v + p),
        Approx::About => (v * 0.9 - p, v * 1.1 + p),
        Approx::Nearly => (v * 0.9 - p, v + p),
        Approx::Indefinite => (v, v * 10.0),
    }
}

/// Which pattern a candidate came from.
#[derive(Debug, Clone, Copy)]
enum CoreMatch {
    Digits,
    Words,
    Indefinite,
}

/// A number before its context is read: where it is, its value and what its own
/// characters said (currency sign, scale suffix, attached unit).
struct Core {
    start: usize,
    end: usize,
    /// The value is `mantissa * scale / divisor`, computed once at the end so that
    /// "1.2bn" is 12 * 1e9 / 10, exactly 1.2e9, not 1.2 * 1e9 with its binary error.
    mantissa: f64,
    divisor: f64,
    scale: f64,
    /// Half the unit of the last digit; `None` to derive it from `scale / divisor`.
    precision: Option<f64>,
    scaled: bool,
    currency: Option<String>,
    percent: Option<Option<String>>,
    noun: Option<Noun>,
    approx: Approx,
}

/// A counted noun: where it is, as written, and its class.
struct Noun {
    end: usize,
    written: String,
    class: String,
}

/// A mention with what [`Reader::join_ranges`] needs to share scales across a range.
struct Found {
    mention: NumberMention,
    scale: f64,
    scaled: bool,
}

/// Reads the figures of one text, given the caller's skipped spans.
struct Reader<'t> {
    text: &'t str,
    skip: &'t Skip,
    vocab: &'t Vocab,
}

impl Reader<'_> {
    /// Reads a match of the digits pattern; `None` when it is an identifier, a time, an
    /// ordinal or the like.
    fn digits(&self, caps: &Captures) -> Option<Core> {
        let text = self.text;
        let vocab = self.vocab;
        let number = caps.name("num")?;
        let currency = caps
            .name("cur")
            .and_then(|c| vocab.currency_prefix(c.as_str()));
        let before = &text[..number.start()];
        if caps.name("cur").is_none() && !free_on_the_left(before) {
            return None;
        }
        let rest = &text[number.end()..];
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let digits: String = number
            .as_str()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let mantissa: f64 = digits.parse().ok()?;
        let decimals = number.as_str().split_once('.').map_or(0, |(_, d)| d.len());
        let divisor = 10f64.powi(i32::try_from(decimals).ok()?);
        if !mantissa.is_finite() || !divisor.is_finite() {
            return None;
        }
        let mut scale = 1.0;
        let mut scaled = false;
        let mut percent = None;
        let mut noun = None;
        let mut end = number.end();
        if let Some(suffix) = caps.name("sfx") {
            let word = suffix.as_str();
            let after_suffix = &text[suffix.end()..];
            if word == "m"
                && currency.is_none()
                && next_word(after_suffix).is_some_and(|w| vocab.listed("metre_after", w))
            {
                noun = Some(Noun {
                    end: suffix.end(),
                    written: word.to_string(),
                    class: "metre".to_string(),
                });
            } else if let Some(factor) = vocab.scale_suffixes.get(word).copied()
                && (currency.is_some() || !vocab.listed("scale_suffix_money_only", word))
            {
                scale = factor;
                scaled = true;
            } else if vocab.percent_words.contains(&word.to_lowercase()) {
                percent = Some(None);
            } else if let Some(class) = vocab.noun_class.get(&word.to_lowercase())
                && word.len() >= 2
            {
                // "10km", "5kg": a unit written onto the digits.
                noun = Some(Noun {
                    end: suffix.end(),
                    written: word.to_string(),
                    class: class.clone(),
                });
            } else {
                // "26th", "3pm", "1990s", "5G", "4x4": not a figure.
                return None;
            }
            end = suffix.end();
        }
        let rest = &text[end..];
        if caps.name("cur").is_none()
            && (vocab.time_after.is_match(rest) || starts_with_digit_after(rest, &[':', '.', '/']))
        {
            return None;
        }
        let start = caps.name("cur").map_or(number.start(), |c| c.start());
        Some(Core {
            start,
            end,
            mantissa,
            divisor,
            scale,
            precision: None,
            scaled,
            currency: currency.map(str::to_string),
            percent,
            noun,
            approx: Approx::Exact,
        })
    }

    /// Reads a match of the number-words pattern ("twenty-six", "a dozen", "two million").
    fn words(&self, start: usize, end: usize) -> Option<Core> {
        let text = self.text;
        let phrase = &text[start..end];
        if phrase.starts_with(char::is_uppercase) && !at_sentence_start(&text[..start]) {
            return None;
        }
        if !free_on_the_left(&text[..start]) {
            return None;
        }
        let parsed = self.vocab.parse_number_words(phrase)?;
        let end = start + parsed.length;
        let rest = &text[end..];
        // "twenty-first", "two-thirds".
        if let Some(after_hyphen) = rest.strip_prefix('-')
            && next_word(after_hyphen).is_some_and(|w| self.vocab.listed("ordinal_word", w))
        {
            return None;
        }
        if self.vocab.time_after.is_match(rest) {
            return None;
        }
        Some(Core {
            start,
            end,
            mantissa: parsed.value,
            divisor: 1.0,
            scale: 1.0,
            precision: Some(parsed.precision),
            scaled: parsed.scaled,
            currency: None,
            percent: None,
            noun: None,
            approx: Approx::Exact,
        })
    }

    /// Reads a match of the indefinite pattern ("dozens", "hundreds of", "tens of thousands").
    fn indefinite(&self, start: usize, end: usize) -> Option<Core> {
        let phrase = normalise_space(&self.text[start..end]).to_lowercase();
        let value = *self.vocab.indefinites.get(&phrase)?;
        Some(Core {
            start,
            end,
            mantissa: value,
            divisor: 1.0,
            scale: 1.0,
            precision: Some(0.0),
            scaled: true,
            currency: None,
            percent: None,
            noun: None,
            approx: Approx::Indefinite,
        })
    }

    /// Reads what stands around a core — approximation words, scale words, percent and
    /// currency words, the counted noun — and makes the mention.
    fn finish(&self, mut core: Core) -> Found {
        let text = self.text;
        let vocab = self.vocab;
        let mut end = core.end;
        if core.noun.is_none() {
            if !core.scaled
                && let Some((factor, length)) = vocab.scale_word_after(&text[end..])
            {
                core.scale *= factor;
                core.precision = core.precision.map(|p| p * factor);
                core.scaled = true;
                end += length;
            }
            if let Some(length) = match_prefix(&vocab.dozen_after, &text[end..]) {
                core.scale *= 12.0;
                core.precision = core.precision.map(|p| p * 12.0);
                end += length;
            }
            if core.percent.is_none()
                && let Some((unit, length)) = vocab.percent_after(&text[end..])
            {
                core.percent = Some(unit);
                end += length;
            }
            if core.currency.is_none()
                && core.percent.is_none()
                && let Some((iso, length)) =
                    vocab.currency_after(&text[end..], core.approx == Approx::Indefinite)
            {
                core.currency = Some(iso);
                end += length;
            }
        }
        if core.approx == Approx::Exact
            && let Some((approx, length)) = vocab.approx_after(&text[end..])
        {
            core.approx = approx;
            end += length;
        }
        // "Article 5", "Flight 370", "Boeing 737 jets": a number after a name is a label,
        // which counts nothing and carries no approximation.
        let labelled = core.currency.is_none() && self.after_name(&text[..core.start]);
        if !labelled && core.noun.is_none() && core.currency.is_none() && core.percent.is_none() {
            core.noun = self.counted_noun(end, core.approx == Approx::Indefinite);
        }
        if let Some(noun) = &core.noun {
            end = end.max(noun.end);
            if core.approx == Approx::Exact
                && let Some((approx, length)) = vocab.approx_after(&text[end..])
            {
                core.approx = approx;
                end += length;
            }
        }
        let mut start = core.start;
        if core.approx == Approx::Exact
            && !labelled
            && let Some((approx, approx_start)) = vocab.approx_before(&text[..core.start])
            && !self.skip.overlaps(approx_start, core.start)
        {
            core.approx = approx;
            start = approx_start;
        }
        let (kind, unit, noun) = if let Some(currency) = core.currency {
            (NumberKind::Money, Some(currency), None)
        } else if let Some(percent_unit) = core.percent {
            (NumberKind::Percent, percent_unit, None)
        } else if let Some(noun) = core.noun {
            (NumberKind::Quantity, Some(noun.class), Some(noun.written))
        } else {
            (NumberKind::Number, None, None)
        };
        let value = core.mantissa * core.scale / core.divisor;
        let precision = core.precision.unwrap_or(core.scale / core.divisor / 2.0);
        Found {
            mention: NumberMention {
                start,
                end,
                text: text[start..end].to_string(),
                kind,
                value,
                approx: core.approx,
                unit,
                noun,
                precision,
            },
            scale: core.scale,
            scaled: core.scaled,
        }
    }

    /// The counted noun after `pos` (see the module documentation), if there is one and it
    /// is not in a skipped span. `after_of` allows "of" first ("hundreds of people").
    fn counted_noun(&self, pos: usize, after_of: bool) -> Option<Noun> {
        let text = self.text;
        let vocab = self.vocab;
        let rest = &text[pos..];
        // A hyphenated compound: "28-point plan", "a 10-year-old boy", "two-day summit".
        if let Some(compound) = rest.strip_prefix('-') {
            let word = compound_word(compound);
            if word.is_empty()
                || vocab.listed("not_noun", word)
                || vocab.listed("ordinal_word", word)
            {
                return None;
            }
            let end = pos + 1 + word.len();
            if self.skip.overlaps(pos, end) {
                return None;
            }
            return Some(Noun {
                end,
                written: word.to_string(),
                class: vocab.class_of(word),
            });
        }
        let mut words = words_after(rest, 3);
        if after_of
            && words
                .first()
                .is_some_and(|(w, _, _)| w.eq_ignore_ascii_case("of"))
        {
            words.remove(0);
        }
        let known = |w: &str| vocab.noun_class.contains_key(&w.to_lowercase());
        let modifier = |w: &str| {
            w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
                && !vocab.listed("not_noun", w)
                && !vocab.is_number_word(w)
        };
        let pick = if words.first().is_some_and(|(w, _, _)| known(w)) {
            Some(0)
        } else if words.len() >= 2 && modifier(words[0].0) && known(words[1].0) {
            Some(1)
        } else if words.len() >= 3
            && modifier(words[0].0)
            && modifier(words[1].0)
            && known(words[2].0)
        {
            Some(2)
        } else if words
            .first()
            .is_some_and(|(w, _, _)| vocab.plausible_noun(w))
        {
            Some(0)
        } else {
            None
        }?;
        let (word, _, word_end) = words[pick];
        let end = pos + word_end;
        if self.skip.overlaps(pos, end) {
            return None;
        }
        Some(Noun {
            end,
            written: word.to_string(),
            class: vocab.class_of(word),
        })
    }

    /// Whether `before` ends with a name and a space ("Article 5", "Boeing 737"): a
    /// capitalised word that is no possessive and, first in its sentence, no function or
    /// approximation word ("The 26", "Nearly 50").
    fn after_name(&self, before: &str) -> bool {
        let trimmed = before.trim_end();
        if trimmed.len() == before.len() {
            return false;
        }
        let word = last_word(trimmed);
        if !word.starts_with(char::is_uppercase) {
            return false;
        }
        !at_sentence_start(&trimmed[..trimmed.len() - word.len()])
            || !(self.vocab.listed("not_noun", word)
                || self.vocab.approx_before(&format!("{word} ")).is_some())
    }

    /// Turns "between 10 and 15", "10-15" and "10 to 15" into a lower and an upper bound.
    fn join_ranges(&self, found: &mut [Found]) {
        static LINK: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^\s*(?:-|–|—|to|and)\s*$").expect("constant regex compiles")
        });
        for i in 1..found.len() {
            let (head, tail) = found.split_at_mut(i);
            let (first, second) = (&mut head[i - 1], &mut tail[0]);
            let (a, b) = (&first.mention, &second.mention);
            if a.approx != Approx::Exact || b.approx != Approx::Exact || a.end > b.start {
                continue;
            }
            let link = &self.text[a.end..b.start];
            if !LINK.is_match(link) || a.noun.is_some() && a.noun != b.noun {
                continue;
            }
            let word_before = last_word(&self.text[..a.start]).to_lowercase();
            let uses_and = link.trim() == "and";
            if (uses_and && word_before != "between") || word_before == "from" {
                continue;
            }
            // "$10-15m": the first figure takes the second's scale when it has none.
            let mut low = a.value;
            let mut low_precision = a.precision;
            if !first.scaled && second.scaled && second.scale > 1.0 {
                low *= second.scale;
                low_precision *= second.scale;
            }
            if low >= b.value {
                continue;
            }
            let mention_a = &mut first.mention;
            mention_a.value = low;
            mention_a.precision = low_precision;
            mention_a.approx = Approx::AtLeast;
            if mention_a.kind == NumberKind::Number {
                mention_a.kind = second.mention.kind;
                mention_a.unit.clone_from(&second.mention.unit);
                mention_a.noun.clone_from(&second.mention.noun);
            }
            second.mention.approx = Approx::AtMost;
            if second.mention.kind == NumberKind::Number && mention_a.kind == NumberKind::Money {
                second.mention.kind = NumberKind::Money;
                second.mention.unit.clone_from(&mention_a.unit);
            }
        }
    }
}

/// Whether the characters just before a number leave it free: not part of an identifier
/// ("A320", "F-16", "COVID-19"), a list number ("#3"), a time or a decimal ("15:30").
fn free_on_the_left(before: &str) -> bool {
    let mut chars = before.chars().rev();
    match chars.next() {
        Some(c) if c.is_alphanumeric() || c == '#' || c == '_' => false,
        Some(separator @ ('-' | '.' | ':' | '/' | ',')) => match chars.next() {
            // "F-16", "COVID-19": an identifier.
            Some(c) if c.is_alphabetic() => false,
            // "10-15" is a range; after "15:", "3.2." or "24/" the digits belong to a
            // time, a version or a pair the reader has refused already.
            Some(c) if c.is_ascii_digit() => separator == '-',
            _ => true,
        },
        _ => true,
    }
}

/// The caller's skipped spans, sorted for quick overlap tests: a text may hold
/// thousands of dates and as many numbers.
struct Skip {
    /// Spans sorted by start; reversed spans are dropped, as they cover nothing.
    spans: Vec<(usize, usize)>,
    /// `max_end[i]` is the largest end among `spans[..=i]`.
    max_end: Vec<usize>,
}

impl Skip {
    fn new(spans: &[(usize, usize)]) -> Skip {
        let mut spans: Vec<(usize, usize)> = spans.iter().copied().filter(|(s, e)| s < e).collect();
        spans.sort_unstable();
        let max_end = spans
            .iter()
            .scan(0, |max, &(_, end)| {
                *max = end.max(*max);
                Some(*max)
            })
            .collect();
        Skip { spans, max_end }
    }

    /// Whether `start..end` shares a byte with a skipped span.
    fn overlaps(&self, start: usize, end: usize) -> bool {
        let starting_before = self.spans.partition_point(|&(s, _)| s < end);
        starting_before > 0 && self.max_end[starting_before - 1] > start
    }
}

/// Whether `before` ends a sentence (or is empty), so a capitalised word after it may be
/// an ordinary word.
fn at_sentence_start(before: &str) -> bool {
    match before.trim_end().chars().next_back() {
        None => true,
        Some(c) => matches!(
            c,
            '.' | '!'
                | '?'
                | ':'
                | ';'
                | '"'
                | '“'
                | '”'
                | '\''
                | '‘'
                | '’'
                | '('
                | '\n'
                | '—'
                | '–'
                | '-'
        ),
    }
}

/// Whether `text` starts with one of `separators` followed by a digit.
fn starts_with_digit_after(text: &str, separators: &[char]) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if separators.contains(&c))
        && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// The word just before the end of `text`, skipping spaces.
fn last_word(text: &str) -> &str {
    let trimmed = text.trim_end();
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(trimmed.len(), |(i, _)| i);
    &trimmed[start..]
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

/// The letters (and inner hyphens, "year-old") at the start of `text`.
fn compound_word(text: &str) -> &str {
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphabetic() {
            end = i + c.len_utf8();
        } else if c == '-' && text[i + 1..].starts_with(char::is_alphabetic) && end == i {
            continue;
        } else {
            break;
        }
    }
    &text[..end]
}

/// Up to `limit` words at the start of `text`, separated by spaces only (punctuation ends
/// the list), each with its byte range in `text`.
fn words_after(text: &str, limit: usize) -> Vec<(&str, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while out.len() < limit {
        let rest = &text[pos..];
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() && pos > 0 {
            break;
        }
        let start = pos + (rest.len() - trimmed.len());
        let word = compound_word(trimmed);
        let word_len = {
            // Keep an apostrophe inside a word ("o'clock") but not a possessive tail.
            let extended = trimmed[word.len()..]
                .strip_prefix(['\'', '’'])
                .map(compound_word)
                .unwrap_or("");
            if extended.is_empty() || extended.eq_ignore_ascii_case("s") {
                word.len()
            } else {
                word.len()
                    + trimmed[word.len()..]
                        .chars()
                        .next()
                        .map_or(0, char::len_utf8)
                    + extended.len()
            }
        };
        if word_len == 0 {
            break;
        }
        out.push((&text[start..start + word_len], start, start + word_len));
        pos = start + word_len;
    }
    out
}

/// `text` with every run of whitespace turned into one space.
fn normalise_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The length of the match of an anchored `regex` at the start of `text`.
fn match_prefix(regex: &Regex, text: &str) -> Option<usize> {
    regex.find(text).filter(|m| m.start() == 0).map(|m| m.end())
}

/// A number-word phrase, parsed.
struct ParsedWords {
    value: f64,
    precision: f64,
    scaled: bool,
    /// Bytes of the phrase that belong to the number.
    length: usize,
}

/// The grammar position after a number word, for [`Vocab::parse_number_words`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordState {
    Start,
    Article,
    Unit,
    Teen,
    Ten,
    Hundred,
    Scale,
    And,
}

/// The vocabulary of the data files and the patterns built from it.
struct Vocab {
    /// Number words (units, teens, tens), lower case, to value and kind.
    number_words: HashMap<String, (f64, WordState)>,
    /// Scale words after a number ("million", "bn"), lower case.
    scale_words: HashMap<String, f64>,
    /// Scale suffixes attached to digits, case-sensitive.
    scale_suffixes: HashMap<String, f64>,
    indefinites: HashMap<String, f64>,
    /// Approximations before a number, longest first.
    approx_before: Vec<(String, Approx)>,
    /// Approximations after a number, longest first.
    approx_after: Vec<(String, Approx)>,
    percent_words: Vec<String>,
    percent_units: Vec<(String, String)>,
    currency_prefixes: HashMap<String, String>,
    /// Currency codes and words after a number, longest first.
    currency_after: Vec<(String, String)>,
    noun_class: HashMap<String, String>,
    parents: HashMap<String, String>,
    irregular: HashMap<String, String>,
    words_lists: HashMap<String, HashSet<String>>,
    digits: Regex,
    words: Regex,
    indefinite: Regex,
    time_after: Regex,
    dozen_after: Regex,
}

static VOCAB: LazyLock<Vocab> = LazyLock::new(Vocab::load);

impl Vocab {
    fn load() -> Vocab {
        let numbers = parse_sections(NUMBER_WORDS);
        let currencies = parse_sections(CURRENCIES);
        let nouns = parse_sections(COUNTED_NOUNS);
        let pairs = |sections: &HashMap<&str, Vec<&str>>, name: &str| -> Vec<(String, String)> {
            sections
                .get(name)
                .into_iter()
                .flatten()
                .filter_map(|e| {
                    let (k, v) = e.split_once(" = ")?;
                    Some((k.trim().to_string(), v.trim().to_string()))
                })
                .collect()
        };
        let valued = |name: &str| -> Vec<(String, f64)> {
            pairs(&numbers, name)
                .into_iter()
                .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
                .collect()
        };
        let mut number_words = HashMap::new();
        for (section, state) in [
            ("unit", WordState::Unit),
            ("teen", WordState::Teen),
            ("ten", WordState::Ten),
        ] {
            for (word, value) in valued(section) {
                number_words.insert(word.to_lowercase(), (value, state));
            }
        }
        let scale_words: HashMap<String, f64> = valued("scale")
            .into_iter()
            .map(|(k, v)| (k.to_lowercase(), v))
            .collect();
        let scale_suffixes: HashMap<String, f64> = valued("scale_suffix").into_iter().collect();
        let indefinites: HashMap<String, f64> = valued("indefinite")
            .into_iter()
            .map(|(k, v)| (normalise_space(&k).to_lowercase(), v))
            .collect();
        let approx = |name: &str| -> Vec<(String, Approx)> {
            let mut list: Vec<(String, Approx)> = pairs(&numbers, name)
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_lowercase(), approx_named(&v)?)))
                .collect();
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
            list
        };
        let list = |sections: &HashMap<&str, Vec<&str>>, name: &str| -> Vec<String> {
            sections
                .get(name)
                .into_iter()
                .flatten()
                .map(|e| e.trim().to_string())
                .collect()
        };
        let mut percent_words: Vec<String> = list(&numbers, "percent")
            .into_iter()
            .map(|w| w.to_lowercase())
            .collect();
        percent_words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let mut percent_units = pairs(&numbers, "percent_unit");
        percent_units.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));

        let currency_prefixes: HashMap<String, String> =
            pairs(&currencies, "prefix").into_iter().collect();
        let codes = pairs(&currencies, "code");
        let mut currency_after: Vec<(String, String)> = pairs(&currencies, "word")
            .into_iter()
            .chain(codes.iter().cloned())
            .collect();
        currency_after.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));

        let mut noun_class = HashMap::new();
        for (class, written) in pairs(&nouns, "class") {
            for word in written.split_whitespace() {
                noun_class.insert(word.to_lowercase(), class.clone());
            }
        }
        let parents: HashMap<String, String> = pairs(&nouns, "parent").into_iter().collect();
        let irregular: HashMap<String, String> = pairs(&nouns, "irregular").into_iter().collect();
        let mut words_lists: HashMap<String, HashSet<String>> = HashMap::new();
        for sections in [&numbers, &nouns] {
            for (name, entries) in sections {
                let set = entries.iter().map(|e| e.trim().to_lowercase()).collect();
                words_lists.insert((*name).to_string(), set);
            }
        }

        let alternation = |items: &mut Vec<String>, boundary: bool| -> String {
            items.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            items
                .iter()
                .map(|i| {
                    let escaped = regex::escape(i).replace(' ', r"\s+");
                    if boundary && i.starts_with(char::is_alphabetic) {
                        format!(r"\b{escaped}")
                    } else {
                        escaped
                    }
                })
                .collect::<Vec<_>>()
                .join("|")
        };
        let mut prefixes: Vec<String> = currency_prefixes
            .keys()
            .cloned()
            .chain(codes.iter().map(|(k, _)| k.clone()))
            .collect();
        let mut number_alternation: Vec<String> = number_words.keys().cloned().collect();
        number_alternation.extend(
            [
                "hundred", "thousand", "million", "billion", "trillion", "dozen",
            ]
            .map(String::from),
        );
        let mut indefinite_alternation: Vec<String> = indefinites.keys().cloned().collect();
        let mut time_words: Vec<String> = list(&numbers, "time_after");
        // Invariant for the `expect`s below: the patterns are constants filled with
        // escaped entries of the checked-in data files; `tests::patterns_compile` builds them.
        let digits = Regex::new(&format!(
            r"(?:(?P<cur>{})\s?)?(?P<num>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]{{1,3}}(?:[\u{{A0}}\u{{202F}}\u{{2009}}][0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?P<sfx>\p{{L}}+)?",
            alternation(&mut prefixes, true)
        ))
        .expect("built-in number pattern compiles");
        let number_word = alternation(&mut number_alternation, false);
        let words = Regex::new(&format!(
            r"(?i)\b(?:(?:half\s+)?an?\s+(?:hundred|thousand|million|billion|trillion|dozen)|(?:{number_word}))(?:(?:\s+and\s+|\s+|-)(?:{number_word}))*\b"
        ))
        .expect("built-in number-word pattern compiles");
        let indefinite = Regex::new(&format!(
            r"(?i)\b(?:{})\b",
            alternation(&mut indefinite_alternation, false)
        ))
        .expect("built-in indefinite pattern compiles");
        let time_after = Regex::new(&format!(
            r"(?i)^\s?(?:{})(?:\W|$)",
            alternation(&mut time_words, false)
        ))
        .expect("built-in time pattern compiles");
        let dozen_after = Regex::new(r"(?i)^\s+dozen\b").expect("constant regex compiles");

        Vocab {
            number_words,
            scale_words,
            scale_suffixes,
            indefinites,
            approx_before: approx("approx_before"),
            approx_after: approx("approx_after"),
            percent_words,
            percent_units,
            currency_prefixes,
            currency_after,
            noun_class,
            parents,
            irregular,
            words_lists,
            digits,
            words,
            indefinite,
            time_after,
            dozen_after,
        }
    }

    /// Whether `word` (any case) is listed in `section`.
    fn listed(&self, section: &str, word: &str) -> bool {
        self.words_lists
            .get(section)
            .is_some_and(|set| set.contains(&word.to_lowercase()))
    }

    fn is_number_word(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.number_words.contains_key(&lower)
            || self.scale_words.contains_key(&lower)
            || lower == "hundred"
            || lower == "dozen"
    }

    fn currency_prefix(&self, written: &str) -> Option<&str> {
        self.currency_prefixes
            .get(written)
            .or_else(|| {
                self.currency_after
                    .iter()
                    .find(|(w, _)| w == written)
                    .map(|(_, iso)| iso)
            })
            .map(String::as_str)
    }

    /// A scale word after a number ("2 million", "1.3 billion"): factor and bytes used.
    fn scale_word_after(&self, rest: &str) -> Option<(f64, usize)> {
        // "$1.5 billion", and "a $1.5-billion deal".
        let trimmed = rest.strip_prefix('-').unwrap_or_else(|| rest.trim_start());
        if trimmed.len() == rest.len() {
            return None;
        }
        let word = next_word(trimmed)?;
        let factor = *self.scale_words.get(&word.to_lowercase())?;
        Some((factor, rest.len() - trimmed.len() + word.len()))
    }

    /// A percent sign or word after a number: the percent unit and bytes used.
    fn percent_after(&self, rest: &str) -> Option<(Option<String>, usize)> {
        let trimmed = rest.trim_start();
        let space = rest.len() - trimmed.len();
        for (written, unit) in &self.percent_units {
            if let Some(length) = phrase_at_start(trimmed, written) {
                return Some((Some(unit.clone()), space + length));
            }
        }
        for written in &self.percent_words {
            // "%" may follow with or without a space, words only after one ("50 per cent",
            // "50pc" is read as a suffix).
            if written.starts_with(char::is_alphabetic) && space == 0 {
                continue;
            }
            if let Some(length) = phrase_at_start(trimmed, written) {
                return Some((None, space + length));
            }
        }
        None
    }

    /// A currency code or name after a number ("80 million pounds", "millions of dollars"):
    /// the ISO code and bytes used. "pounds of" is a weight.
    fn currency_after(&self, rest: &str, allow_of: bool) -> Option<(String, usize)> {
        let mut trimmed = rest.trim_start();
        if trimmed.len() == rest.len() {
            return None;
        }
        if allow_of && let Some(after_of) = trimmed.strip_prefix("of ") {
            trimmed = after_of.trim_start();
        }
        let used = rest.len() - trimmed.len();
        for (written, iso) in &self.currency_after {
            let case_sensitive = written.chars().all(|c| c.is_ascii_uppercase());
            let length = if case_sensitive {
                trimmed
                    .starts_with(written.as_str())
                    .then_some(written.len())
                    .filter(|l| !trimmed[*l..].starts_with(char::is_alphanumeric))
            } else {
                phrase_at_start(trimmed, written)
            };
            if let Some(length) = length {
                if written.starts_with("pound")
                    && next_word(&trimmed[length..]).is_some_and(|w| w.eq_ignore_ascii_case("of"))
                {
                    return None;
                }
                return Some((iso.clone(), used + length));
            }
        }
        None
    }

    /// An approximation phrase at the end of `before`: the approximation and where the
    /// phrase starts.
    fn approx_before(&self, before: &str) -> Option<(Approx, usize)> {
        let trimmed = before.trim_end();
        for (phrase, approx) in &self.approx_before {
            let Some(start) = trimmed.len().checked_sub(phrase.len()) else {
                continue;
            };
            if !trimmed.is_char_boundary(start) || !trimmed[start..].eq_ignore_ascii_case(phrase) {
                continue;
            }
            let word_starts = !phrase.starts_with(char::is_alphanumeric)
                || !trimmed[..start].ends_with(|c: char| c.is_alphanumeric());
            // Words need a space before the number ("over 100"); signs may touch it ("~100").
            let spaced = !phrase.ends_with(char::is_alphanumeric) || trimmed.len() < before.len();
            if word_starts && spaced {
                return Some((*approx, start));
            }
        }
        None
    }

    /// An approximation phrase at the start of `rest` ("or more", "-plus", "+").
    fn approx_after(&self, rest: &str) -> Option<(Approx, usize)> {
        for (phrase, approx) in &self.approx_after {
            let trimmed = if phrase.starts_with(char::is_alphabetic) {
                rest.trim_start()
            } else {
                rest
            };
            if phrase.starts_with(char::is_alphabetic) && trimmed.len() == rest.len() {
                continue;
            }
            if let Some(length) = phrase_at_start(trimmed, phrase) {
                return Some((*approx, rest.len() - trimmed.len() + length));
            }
        }
        None
    }

    /// Whether an unknown word after a number can be its counted noun: a lower-case word
    /// that is no function word, adverb or participle, or a capitalised plural
    /// ("Palestinians").
    fn plausible_noun(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        let letters = word.chars().all(|c| c.is_alphabetic() || c == '-');
        let capitalised = word.starts_with(char::is_uppercase);
        letters
            && word.chars().count() >= 2
            && !self.listed("not_noun", word)
            && !self.is_number_word(word)
            && !lower.ends_with("ly")
            && !lower.ends_with("ed")
            && !lower.ends_with("ing")
            && (!capitalised || word.chars().skip(1).any(char::is_lowercase))
            && self.looks_plural(&lower)
    }

    /// Whether a lower-case word looks like a plural noun. Unknown words after a number
    /// count something only when plural: "5 remain" and "3 say" count nothing.
    fn looks_plural(&self, lower: &str) -> bool {
        self.irregular.contains_key(lower)
            || (lower.ends_with('s')
                && !lower.ends_with("ss")
                && !lower.ends_with("us")
                && !lower.ends_with("is"))
    }

    /// The class of a counted noun: from the data file, else the noun in the singular.
    fn class_of(&self, word: &str) -> String {
        let lower = word.to_lowercase();
        if let Some(class) = self.noun_class.get(&lower) {
            return class.clone();
        }
        let singular = self.singular(&lower);
        self.noun_class.get(&singular).cloned().unwrap_or(singular)
    }

    /// The singular of a lower-case plural noun.
    fn singular(&self, plural: &str) -> String {
        if let Some(singular) = self.irregular.get(plural) {
            return singular.clone();
        }
        let stem = |suffix: &str| plural.strip_suffix(suffix).map(str::to_string);
        if plural.len() > 4 && plural.ends_with("ies") {
            return format!("{}y", &plural[..plural.len() - 3]);
        }
        for suffix in ["sses", "shes", "ches", "xes", "zes"] {
            if plural.ends_with(suffix) {
                return stem("es").unwrap_or_else(|| plural.to_string());
            }
        }
        if plural.ends_with("ss")
            || plural.ends_with("us")
            || plural.ends_with("is")
            || plural.len() < 3
        {
            return plural.to_string();
        }
        stem("s").unwrap_or_else(|| plural.to_string())
    }

    /// Whether one class is the other or an ancestor of it.
    fn classes_related(&self, a: &str, b: &str) -> bool {
        self.is_ancestor_or_self(a, b) || self.is_ancestor_or_self(b, a)
    }

    fn is_ancestor_or_self(&self, ancestor: &str, class: &str) -> bool {
        let mut current = class;
        // The hierarchy is data: a cycle in it must not hang the caller.
        for _ in 0..16 {
            if current == ancestor {
                return true;
            }
            match self.parents.get(current) {
                Some(parent) => current = parent,
                None => return false,
            }
        }
        false
    }

    /// Parses the longest number phrase at the start of `phrase` that the grammar of
    /// number words allows; `None` for bare "one" and for no number.
    fn parse_number_words(&self, phrase: &str) -> Option<ParsedWords> {
        let mut total = 0.0;
        let mut current = 0.0;
        let mut half = false;
        let mut state = WordState::Start;
        let mut length = 0;
        let mut last_scale = 1.0;
        let mut largest_scale = f64::INFINITY;
        let mut words_read = 0;
        let mut only_one = true;
        let mut pos = 0;
        while pos < phrase.len() {
            let rest = &phrase[pos..];
            let skipped = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_whitespace() || c == '-')
                    .len();
            let word_start = pos + skipped;
            let word_len = phrase[word_start..]
                .find(|c: char| c.is_whitespace() || c == '-')
                .unwrap_or(phrase.len() - word_start);
            if word_len == 0 {
                break;
            }
            let word = phrase[word_start..word_start + word_len].to_lowercase();
            pos = word_start + word_len;
            let next = match (word.as_str(), state) {
                ("half", WordState::Start) => {
                    half = true;
                    WordState::Start
                }
                ("a" | "an", WordState::Start) => {
                    current = 1.0;
                    WordState::Article
                }
                ("and", WordState::Hundred | WordState::Scale) => WordState::And,
                ("hundred", WordState::Unit | WordState::Teen | WordState::Article) => {
                    current *= 100.0;
                    WordState::Hundred
                }
                ("dozen", WordState::Unit | WordState::Article) => {
                    current *= 12.0;
                    WordState::Hundred
                }
                (
                    w,
                    WordState::Unit
                    | WordState::Teen
                    | WordState::Ten
                    | WordState::Hundred
                    | WordState::Article,
                ) if self.scale_words.contains_key(w)
                    && w.chars().all(|c| c.is_alphabetic())
                    && w.len() > 3 =>
                {
                    let scale = self.scale_words[w];
                    if scale >= largest_scale {
                        break;
                    }
                    largest_scale = scale;
                    total += current * scale;
                    current = 0.0;
                    last_scale = scale;
                    WordState::Scale
                }
                (w, from) => match self.number_words.get(w) {
                    Some(&(value, WordState::Unit))
                        if matches!(
                            from,
                            WordState::Start
                                | WordState::Ten
                                | WordState::Hundred
                                | WordState::Scale
                                | WordState::And
                        ) =>
                    {
                        current += value;
                        WordState::Unit
                    }
                    Some(&(value, kind @ (WordState::Teen | WordState::Ten)))
                        if matches!(
                            from,
                            WordState::Start
                                | WordState::Hundred
                                | WordState::Scale
                                | WordState::And
                        ) =>
                    {
                        current += value;
                        kind
                    }
                    _ => break,
                },
            };
            if !matches!(next, WordState::And | WordState::Start | WordState::Article) {
                length = pos;
                words_read += 1;
                if word != "one" {
                    only_one = false;
                }
                if next != WordState::Scale {
                    last_scale = 1.0;
                }
            }
            state = next;
        }
        if words_read == 0 || only_one {
            return None;
        }
        let mut value = total + current;
        if half {
            value /= 2.0;
        }
        Some(ParsedWords {
            value,
            precision: last_scale / 2.0,
            scaled: last_scale > 1.0,
            length,
        })
    }
}

/// The approximation named in the data file.
fn approx_named(name: &str) -> Option<Approx> {
    Some(match name {
        "AtLeast" => Approx::AtLeast,
        "AtMost" => Approx::AtMost,
        "About" => Approx::About,
        "MoreThan" => Approx::MoreThan,
        "LessThan" => Approx::LessThan,
        "Nearly" => Approx::Nearly,
        "UpTo" => Approx::UpTo,
        _ => return None,
    })
}

/// The bytes of `text` that match `phrase` at its start, case-insensitively, with any run
/// of spaces matching a space and a word boundary after a phrase that ends in a letter.
fn phrase_at_start(text: &str, phrase: &str) -> Option<usize> {
    let mut pos = 0;
    for (i, part) in phrase.split(' ').enumerate() {
        if i > 0 {
            let rest = &text[pos..];
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() {
                return None;
            }
            pos += rest.len() - trimmed.len();
        }
        let end = pos.checked_add(part.len())?;
        if end > text.len()
            || !text.is_char_boundary(end)
            || !text[pos..end].eq_ignore_ascii_case(part)
        {
            return None;
        }
        pos = end;
    }
    if phrase.ends_with(char::is_alphanumeric) && text[pos..].starts_with(char::is_alphanumeric) {
        return None;
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile() {
        let vocab = &*VOCAB;
        assert!(vocab.number_words.len() >= 27);
        assert!(vocab.currency_prefixes.len() >= 10 && vocab.noun_class.len() >= 50);
        assert!(vocab.approx_before.len() >= 20 && vocab.indefinites.len() >= 10);
    }

    /// Renders a mention as "text|kind|value|approx|unit|noun" for table comparisons.
    fn render(m: &NumberMention) -> String {
        format!(
            "{}|{:?}|{}|{:?}|{}|{}",
            m.text,
            m.kind,
            m.value,
            m.approx,
            m.unit.as_deref().unwrap_or("-"),
            m.noun.as_deref().unwrap_or("-")
        )
    }

    /// Checks the rendered mentions of `text` and that each quotes its own span.
    fn check(text: &str, expected: &[&str]) {
        let found = find_numbers(text, &[]);
        let got: Vec<String> = found.iter().map(render).collect();
        assert_eq!(got, expected, "in {text:?}");
        for m in &found {
            assert_eq!(&text[m.start..m.end], m.text);
        }
    }

    #[test]
    fn figures_in_news_phrasing() {
        #[rustfmt::skip]
        let cases: &[(&str, &[&str])] = &[
            // Counted nouns and their classes.
            ("At least 26 people were killed.", &["At least 26 people|Quantity|26|AtLeast|person|people"]),
            ("26 individuals died.", &["26 individuals|Quantity|26|Exact|person|individuals"]),
            ("There were 26 fatalities.", &["26 fatalities|Quantity|26|Exact|death|fatalities"]),
            ("Some 1,200 residents fled.", &["Some 1,200 residents|Quantity|1200|About|resident|residents"]),
            ("1,200 local residents fled.", &["1,200 local residents|Quantity|1200|Exact|resident|residents"]),
            ("He served 360 days.", &["360 days|Quantity|360|Exact|day|days"]),
            ("The 28-point plan was leaked.", &["28-point|Quantity|28|Exact|point|point"]),
            ("He read five summaries.", &["five summaries|Quantity|5|Exact|summary|summaries"]),
            ("Twenty-six people were hurt.", &["Twenty-six people|Quantity|26|Exact|person|people"]),
            ("The 45-year-old man was held.", &["45-year-old|Quantity|45|Exact|age|year-old"]),
            ("Israel freed 26 Palestinians.", &["26 Palestinians|Quantity|26|Exact|palestinian|Palestinians"]),
            ("Of those, 5 remain in hospital.", &["5|Number|5|Exact|-|-"]),
            ("Article 5 applies here.", &["5|Number|5|Exact|-|-"]),
            ("The Boeing 737 jets were grounded.", &["737|Number|737|Exact|-|-"]),
            // Money.
            ("The fund holds $105m.", &["$105m|Money|105000000|Exact|USD|-"]),
            ("The fund holds $105 million.", &["$105 million|Money|105000000|Exact|USD|-"]),
            ("It cost around $105m.", &["around $105m|Money|105000000|About|USD|-"]),
            ("It cost approximately $105 million.", &["approximately $105 million|Money|105000000|About|USD|-"]),
            ("The club paid £80m.", &["£80m|Money|80000000|Exact|GBP|-"]),
            ("A deal worth €1.2bn.", &["€1.2bn|Money|1200000000|Exact|EUR|-"]),
            ("A deal worth $1.5bn.", &["$1.5bn|Money|1500000000|Exact|USD|-"]),
            ("A $1.5-billion deal.", &["$1.5-billion|Money|1500000000|Exact|USD|-"]),
            ("Aid of US$3m arrived.", &["US$3m|Money|3000000|Exact|USD|-"]),
            ("Aid of 80 million pounds arrived.", &["80 million pounds|Money|80000000|Exact|GBP|-"]),
            ("A fine of 5,000 roubles.", &["5,000 roubles|Money|5000|Exact|RUB|-"]),
            ("A fine of 5,000 rubles.", &["5,000 rubles|Money|5000|Exact|RUB|-"]),
            ("Pensions of 2,361 hryvnias.", &["2,361 hryvnias|Money|2361|Exact|UAH|-"]),
            ("Salaries of 300,000 yen.", &["300,000 yen|Money|300000|Exact|JPY|-"]),
            ("A grant of 2 million euros.", &["2 million euros|Money|2000000|Exact|EUR|-"]),
            ("It lost millions of dollars.", &["millions of dollars|Money|2000000|Indefinite|USD|-"]),
            ("Brent rose to $82.50 a barrel.", &["$82.50|Money|82.5|Exact|USD|-"]),
            ("He sold 200 pounds of beef.", &["200 pounds|Quantity|200|Exact|pound|pounds"]),
            // Percentages.
            ("Support fell to 50%.", &["50%|Percent|50|Exact|-|-"]),
            ("Support fell to 50 per cent.", &["50 per cent|Percent|50|Exact|-|-"]),
            ("Support fell to 50 percent.", &["50 percent|Percent|50|Exact|-|-"]),
            ("Support fell to 50pc.", &["50pc|Percent|50|Exact|-|-"]),
            ("Support fell to nearly 50%.", &["nearly 50%|Percent|50|Nearly|-|-"]),
            ("Rates rose 0.25 percentage points.", &["0.25 percentage points|Percent|0.25|Exact|percentage point|-"]),
            ("Claims rose 12.5% in a year.", &["12.5%|Percent|12.5|Exact|-|-"]),
            ("Less than 5% voted.", &["Less than 5%|Percent|5|LessThan|-|-"]),
            // Scales.
            ("The city has 3.2m inhabitants.", &["3.2m inhabitants|Quantity|3200000|Exact|resident|inhabitants"]),
            ("The city has 3.2 million inhabitants.", &["3.2 million inhabitants|Quantity|3200000|Exact|resident|inhabitants"]),
            ("The city has 3,200,000 inhabitants.", &["3,200,000 inhabitants|Quantity|3200000|Exact|resident|inhabitants"]),
            ("India has 1.3 billion people.", &["1.3 billion people|Quantity|1300000000|Exact|person|people"]),
            ("The race is 5k.", &["5k|Number|5000|Exact|-|-"]),
            ("The wall is 3.2m tall.", &["3.2m|Quantity|3.2|Exact|metre|m"]),
            ("He paid 1\u{a0}200 roubles.", &["1\u{a0}200 roubles|Money|1200|Exact|RUB|-"]),
            ("In group 1 200 people waited.", &["1|Number|1|Exact|-|-", "200 people|Quantity|200|Exact|person|people"]),
            // Number words.
            ("A dozen eggs.", &["A dozen eggs|Quantity|12|Exact|egg|eggs"]),
            ("Half a dozen eggs.", &["Half a dozen eggs|Quantity|6|Exact|egg|eggs"]),
            ("One hundred people marched.", &["One hundred people|Quantity|100|Exact|person|people"]),
            ("Two hundred and fifty people marched.", &["Two hundred and fifty people|Quantity|250|Exact|person|people"]),
            ("They seized two million doses.", &["two million doses|Quantity|2000000|Exact|dose|doses"]),
            // Indefinite amounts.
            ("Dozens were killed.", &["Dozens|Number|24|Indefinite|-|-"]),
            ("Hundreds of people fled.", &["Hundreds of people|Quantity|200|Indefinite|person|people"]),
            ("Tens of thousands of civilians fled.", &["Tens of thousands of civilians|Quantity|20000|Indefinite|civilian|civilians"]),
            ("Several hundred troops left.", &["Several hundred troops|Quantity|200|Indefinite|soldier|troops"]),
            // Approximations.
            ("More than 100 soldiers died.", &["More than 100 soldiers|Quantity|100|MoreThan|soldier|soldiers"]),
            ("Over 3,000 homes lost power.", &["Over 3,000 homes|Quantity|3000|MoreThan|home|homes"]),
            ("Almost 40 patients waited.", &["Almost 40 patients|Quantity|40|Nearly|patient|patients"]),
            ("About 100 troops left.", &["About 100 troops|Quantity|100|About|soldier|troops"]),
            ("Roughly 70 workers struck.", &["Roughly 70 workers|Quantity|70|About|worker|workers"]),
            ("An estimated 5,000 migrants crossed.", &["An estimated 5,000 migrants|Quantity|5000|About|migrant|migrants"]),
            ("Up to 40 hostages remain.", &["Up to 40 hostages|Quantity|40|UpTo|hostage|hostages"]),
            ("Fewer than 20 voters came.", &["Fewer than 20 voters|Quantity|20|LessThan|voter|voters"]),
            ("There were 100 or more cases.", &["100 or more cases|Quantity|100|AtLeast|case|cases"]),
            ("There were ~100 cases.", &["~100 cases|Quantity|100|About|case|cases"]),
            // Ranges, and a change that is no range.
            ("Between 10 and 15 people were hurt.", &["10|Quantity|10|AtLeast|person|people", "15 people|Quantity|15|AtMost|person|people"]),
            ("10-15 people were hurt.", &["10|Quantity|10|AtLeast|person|people", "15 people|Quantity|15|AtMost|person|people"]),
            ("It will cost $10-15m.", &["$10|Money|10000000|AtLeast|USD|-", "15m|Money|15000000|AtMost|USD|-"]),
            ("Prices rose from 10 to 15.", &["10|Number|10|Exact|-|-", "15|Number|15|Exact|-|-"]),
            ("They lost 3-1 at home.", &["3|Number|3|Exact|-|-", "1|Number|1|Exact|-|-"]),
        ];
        for (text, expected) in cases {
            check(text, expected);
        }
    }

    #[test]
    fn not_figures() {
        let cases: &[&str] = &[
            "F-16 jets flew over.",
            "COVID-19 spread.",
            "The G7 met.",
            "An A320 landed.",
            "5G masts were burned.",
            "The 3D film opened.",
            "A 1.5C rise was forecast.",
            "It was the 26th attempt.",
            "The twenty-first century.",
            "Two-thirds agreed.",
            "They met at 3 p.m. sharp.",
            "They met at 3pm sharp.",
            "They met at 15:30 sharp.",
            "They met at 10 o'clock.",
            "Version 3.2.1 shipped.",
            "Open 24/7 now.",
            "After 9/11 it changed.",
            "One of them left.",
            "No one knows.",
            "The Big Four banks.",
            "The 1990s were calm.",
            "3M reported results.",
        ];
        for text in cases {
            let found = find_numbers(text, &[]);
            assert!(found.is_empty(), "{text:?} gave {found:?}");
        }
    }

    #[test]
    fn skipped_spans_are_not_read() {
        let text = "In 2022 votes, 2022 people came on 20 November.";
        // The caller passes the dates it found: "20 November" here.
        let skip = [(35, 46)];
        let got: Vec<String> = find_numbers(text, &skip).iter().map(render).collect();
        assert_eq!(
            got,
            [
                "2022 votes|Quantity|2022|Exact|vote|votes",
                "2022 people|Quantity|2022|Exact|person|people"
            ]
        );
        // Spans off character boundaries, reversed or out of range are harmless.
        let odd = [(1, 3), (usize::MAX - 1, usize::MAX), (40, 2)];
        assert_eq!(find_numbers("é 5 ü 7", &odd).len(), 2);
    }

    #[test]
    fn skip_overlaps() {
        // (30, 25) is reversed and covers nothing.
        let skip = Skip::new(&[(10, 20), (5, 8), (30, 25), (15, 40)]);
        #[rustfmt::skip]
        let cases = [
            (0, 5, false), (0, 6, true), (8, 10, false), (19, 21, true),
            (26, 29, true), (39, 41, true), (40, 50, false),
        ];
        for (start, end, expected) in cases {
            assert_eq!(skip.overlaps(start, end), expected, "{start}..{end}");
        }
        assert!(!Skip::new(&[]).overlaps(0, usize::MAX));
    }

    #[test]
    fn data_files_are_well_formed() {
        for (source, sections) in [
            (
                NUMBER_WORDS,
                &["unit", "teen", "ten", "scale", "scale_suffix", "indefinite"][..],
            ),
            (
                NUMBER_WORDS,
                &["approx_before", "approx_after", "percent_unit"][..],
            ),
            (CURRENCIES, &["prefix", "code", "word"][..]),
            (COUNTED_NOUNS, &["class", "parent", "irregular"][..]),
        ] {
            let parsed = parse_sections(source);
            for section in sections {
                let entries = parsed
                    .get(section)
                    .unwrap_or_else(|| panic!("no [{section}]"));
                for entry in entries {
                    assert!(entry.contains(" = "), "[{section}] {entry:?} lacks \" = \"");
                }
            }
        }
        let vocab = &*VOCAB;
        let listed = |name: &str| parse_sections(NUMBER_WORDS).get(name).map_or(0, Vec::len);
        assert_eq!(
            vocab.approx_before.len(),
            listed("approx_before"),
            "an unknown Approx name"
        );
        assert_eq!(
            vocab.approx_after.len(),
            listed("approx_after"),
            "an unknown Approx name"
        );
        for (class, parent) in &vocab.parents {
            assert!(
                vocab.is_ancestor_or_self("person", class),
                "{class} < {parent} does not lead to person"
            );
        }
    }

    /// The single mention in `text`.
    fn one(text: &str) -> NumberMention {
        let found = find_numbers(text, &[]);
        assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
        found[0].clone()
    }

    #[test]
    fn equivalence() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, bool)] = &[
            ("$105m", "$105 million", true),
            ("$105m", "around $105m", true),
            ("$105m", "approximately $105 million", true),
            ("$105m", "$150m", false),
            ("$105m", "105 million dollars", true),
            ("$105m", "105m", true),
            ("$1.5bn", "$1.53bn", true),
            ("$1.5bn", "$1.6bn", false),
            ("£80m", "$80m", false),
            ("£80m", "80 million pounds", true),
            ("at least 26 people", "26 individuals", true),
            ("at least 26 people", "26 fatalities", true),
            ("26 people", "62 people", false),
            ("26 dead", "26 injured", false),
            ("26 civilians", "26 soldiers", false),
            ("26 victims", "26 deaths", true),
            ("1,200 residents", "1,200 people", true),
            ("at least 14", "at least 41", false),
            ("at least 14", "more than 14", true),
            ("nearly 50%", "50 per cent", true),
            ("nearly 50%", "50 percent", true),
            ("50 pc", "50%", true),
            ("50%", "50 percentage points", false),
            ("50%", "51%", false),
            ("3.2m", "3.2 million", true),
            ("3.2m", "3,200,000", true),
            ("3.2m", "3,215,000", true),
            ("3.2m", "3,300,000", false),
            ("twenty-six", "26", true),
            ("twenty-six", "62", false),
            ("a dozen", "12", true),
            ("about 100", "98", true),
            ("about 100", "150", false),
            ("about 100", "about 104", true),
            ("about 100", "about 120", false),
            ("more than 200", "fewer than 100", false),
            ("more than 100", "150", true),
            ("up to 40", "35", true),
            ("up to 40", "45", false),
            ("dozens", "hundreds", false),
            ("hundreds", "300", true),
            ("dozens of people", "30 people", true),
            ("$5m", "5 million people", false),
            ("50%", "$50", false),
        ];
        for (left, right, expected) in cases {
            let (a, b) = (one(left), one(right));
            assert_eq!(
                same_value(&a, &b),
                *expected,
                "{left:?} vs {right:?}: {a:?} {b:?}"
            );
            assert_eq!(same_value(&b, &a), *expected, "{right:?} vs {left:?}");
        }
    }

    #[test]
    fn comparability() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, bool)] = &[
            ("£80m", "$80m", false),
            ("£80m", "80m", true),
            ("26 people", "62 people", true),
            ("26 fatalities", "26 people", true),
            ("26 dead", "26 injured", false),
            ("50%", "5 percentage points", false),
            ("50%", "50 people", false),
        ];
        for (left, right, expected) in cases {
            let (a, b) = (one(left), one(right));
            assert_eq!(comparable(&a, &b), *expected, "{left:?} vs {right:?}");
        }
    }

    #[test]
    fn singulars() {
        let vocab = &*VOCAB;
        for (plural, singular) in [
            ("summaries", "summary"),
            ("points", "point"),
            ("churches", "church"),
            ("boxes", "box"),
            ("crises", "crisis"),
            ("women", "woman"),
            ("status", "status"),
            ("series", "series"),
        ] {
            assert_eq!(vocab.singular(plural), singular);
        }
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

        fn below(&mut self, n: usize) -> usize {
            let n = u64::try_from(n.max(1)).unwrap_or(1);
            usize::try_from(self.next() % n).unwrap_or(0)
        }
    }

    #[test]
    fn random_text_never_panics_and_offsets_are_char_boundaries() {
        let pieces = [
            " ",
            "  ",
            ",",
            ".",
            "-",
            "–",
            "/",
            ":",
            "%",
            "$",
            "£",
            "€",
            "US$",
            "¥",
            "é",
            "日本",
            "🙂",
            "\u{a0}",
            "\u{202f}",
            "1",
            "26",
            "1,200",
            "3.2",
            "0",
            "999999999999999999999999",
            "m",
            "bn",
            "k",
            "th",
            "pm",
            "p.m.",
            "per cent",
            "people",
            "of",
            "at least",
            "about",
            "nearly",
            "twenty",
            "-six",
            "one",
            "hundred",
            "a",
            "dozen",
            "dozens",
            "hundreds",
            "and",
            "between",
            "to",
            "or more",
            "+",
            "-plus",
            "pounds",
            "roubles",
            "F",
            "G",
            "tall",
            "\n",
            "'",
            "’",
            "s",
            "Article",
            "year-old",
            "~",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for _ in 0..3000 {
            let length = 1 + rng.below(24);
            let text: String = (0..length)
                .map(|_| pieces[rng.below(pieces.len())])
                .collect();
            let skip: Vec<(usize, usize)> = (0..rng.below(3))
                .map(|_| (rng.below(text.len() + 2), rng.below(text.len() + 2)))
                .collect();
            let found = find_numbers(&text, &skip);
            let mut last_end = 0;
            for m in &found {
                assert!(
                    text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
                    "{text:?}"
                );
                assert!(
                    m.start >= last_end && m.start < m.end,
                    "{text:?}: {found:?}"
                );
                assert_eq!(&text[m.start..m.end], m.text);
                assert!(
                    m.value.is_finite() && m.precision.is_finite(),
                    "{text:?}: {m:?}"
                );
                last_end = m.end;
            }
            for pair in found.windows(2) {
                let _ = (
                    same_value(&pair[0], &pair[1]),
                    comparable(&pair[0], &pair[1]),
                );
            }
        }
    }
}
