//! Places and organisations named in news text.
//!
//! [`find_entities`] finds the places and organisations of a sentence — "Kyiv", "the
//! nearby villages of Lozavka and Dubrets", "Stolvar Technical University", "the Civil
//! Defence Service", "CBS" — as [`EntityMention`]s, each with its [`EntityKind`] and a
//! [key](EntityMention::key) for comparison, leaving out the spans of the people
//! [`find_people`](super::people::find_people) found. There is no gazetteer of the
//! world: capitalised spans are read with cues from the text, and a short curated list
//! (`data/entities.txt`) holds the common news entities the cues miss or misread.
//!
//! ```text
//! "Senior Pentagon officials arrived in Kyiv after a strike on Ukraine's western city of Ternopil"
//!   "Pentagon"   Org    pentagon
//!   "Kyiv"       Place  kyiv
//!   "Ukraine"    Place  ukraine
//!   "Ternopil"   Place  ternopil
//! ```
//!
//! # Rules
//!
//! - **Spans** are runs of capitalised words that are not function words, sentence
//!   openers, months or weekdays (`data/not_names.txt`), abbreviated titles or honorifics
//!   ("Gen", "Mr"), and that lie outside the people given. "of" and "of the" join a run
//!   after an organisation or place word ("Bank of England", "Ministry of the Interior",
//!   "Gulf of Mexico"), "and" joins one to a following name that ends in an organisation
//!   word ("Securities and Exchange Commission"). Titles and modifiers at the ends of a
//!   run are dropped, and a run that ended in a title keeps only its listed entities ("the
//!   US Foreign Secretary" names the United States, not an organisation "US Foreign").
//! - **Kinds**, first rule that applies: a span listed in `data/entities.txt` has the
//!   listed kind; a span of two or more words ending in an organisation suffix
//!   ("Ministry", "Service", "University", "Times", `data/entity_cues.txt`) is an
//!   organisation, one ending in a place suffix ("Valley", "Sea", "Street") a place, one
//!   holding an organisation word ("National", "Civil", "Federal") an organisation; a lone
//!   acronym of two to six capitals ("CBS") is an organisation unless listed as none
//!   ("GDP"); a lone suffix ("the Commission") is left out. Otherwise a cue decides: a
//!   place preposition before it ("in", "at", "near", "across", ...; "to" and "from" only
//!   after a word of motion: "a trip to Turkey", "evacuated from Belozar"; none after
//!   "analyst at", "a stake in"), a place noun and "of" before it ("the town of", "the
//!   villages of"), a place noun after it ("the Tesna valley", "Donetsk region"), a
//!   possessive and a place noun after it ("Dravenia's Tesna valley"), "-based" after it,
//!   an organisation noun before it ("the utility Dravenergo"), or being listed with "and"
//!   or a comma after such a place ("Lozavka and Dubrets"). A span with no cue is left
//!   out, but the listed entities inside it are kept.
//! - **Country adjectives** are places with the country's key: "Ukrainian" is a place
//!   with the key "ukraine". Parts of hyphenated words are read when listed ("US-Russia",
//!   "pro-Russian") or before "-based" ("Kyiv-based").
//! - **Keys** are lower case, spelling unified ("defence" is "defense"), full stops of
//!   acronyms dropped ("U.S. Army" is "us army"), every "the" dropped; a listed entity's key
//!   is its canonical name ("US", "U.S." and "American" are "united states").
//!
//! Not read: places and organisations written in lower case, unlisted single words with no
//! cue ("Dravenergo said", "the spirit of Anchorage"), the adjectives of unlisted countries
//! ("Dravenian"). Events and works read as organisations ("World Cup").

use super::lexicon::{
    EntityKind, LEXICON, Lexicon, Listed, headline_case, is_not_name, unify_spelling,
};
use super::people::PersonMention;
use super::roles::{is_modifier_or_filler, is_title_token, is_title_word};
use super::tokens::{Token, TokenKind, Words, tokenize};

/// One place or organisation found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMention {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the span; `sentence[start..end]` is [`EntityMention::text`].
    pub end: usize,
    /// The span as written: "Stolvar Technical University", "Kyiv", "U.S.".
    pub text: String,
    /// Place or organisation.
    pub kind: EntityKind,
    /// For comparison: lower case, spelling unified, "the" and acronym full stops dropped,
    /// a listed entity's canonical name ("united states" for "US").
    pub key: String,
}

/// Finds the places and organisations of a sentence, in order, without overlaps, outside
/// the spans of `people` (found in the same sentence). Never panics; offsets are on
/// character boundaries.
pub fn find_entities(sentence: &str, people: &[PersonMention]) -> Vec<EntityMention> {
    if !sentence.chars().any(char::is_uppercase) {
        return Vec::new();
    }
    let tokens = tokenize(sentence);
    let (title_case, all_caps) = headline_case(&tokens);
    if all_caps {
        return Vec::new();
    }
    let blocked: Vec<bool> = tokens
        .iter()
        .map(|t| people.iter().any(|p| t.start < p.end && p.start < t.end))
        .collect();
    let vocab: &'static Lexicon = &LEXICON;
    let known: Vec<Option<Listed>> = (0..tokens.len())
        .map(|index| vocab.known_at(&tokens, index))
        .collect();
    let reader = EntityReader {
        text: sentence,
        tokens: &tokens,
        blocked: &blocked,
        known: &known,
        vocab,
        title_case,
    };
    reader.read()
}

/// Finds the listed places and organisations of a sentence (`data/entities.txt`) by any of
/// their forms, in order, without overlaps, whatever the cues around them and inside
/// people's titles too ("US Army Secretary"): "the US", "the U.S.", "America" and "the
/// United States" all give the key "united states". Drift uses it to tell whether a text
/// still names an entity in another form. Never panics.
pub fn find_listed(sentence: &str) -> Vec<EntityMention> {
    if !sentence.chars().any(char::is_uppercase) {
        return Vec::new();
    }
    let tokens = tokenize(sentence);
    let mut found = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let Some((end, kind, key)) = LEXICON.known_at(&tokens, index) else {
            index += 1;
            continue;
        };
        let (start, stop) = (tokens[index].start, tokens[end - 1].end);
        found.push(EntityMention {
            start,
            end: stop,
            text: sentence[start..stop].to_string(),
            kind,
            key: key.to_string(),
        });
        index = end;
    }
    found
}

/// A run of capitalised tokens, `[first, last]`.
#[derive(Debug, Clone, Copy)]
struct Span {
    first: usize,
    last: usize,
}

struct EntityReader<'r, 'a> {
    text: &'a str,
    tokens: &'r [Token<'a>],
    blocked: &'r [bool],
    /// The listed entity starting at each token, found once.
    known: &'r [Option<Listed>],
    vocab: &'static Lexicon,
    title_case: bool,
}

impl<'a> Words<'a> for EntityReader<'_, 'a> {
    fn tokens(&self) -> &[Token<'a>] {
        self.tokens
    }
}

impl<'a> EntityReader<'_, 'a> {
    fn known(&self, index: usize) -> Option<Listed> {
        self.known.get(index).copied().flatten()
    }

    /// Whether a token may be part of a capitalised span.
    fn spannable(&self, index: usize) -> bool {
        let Some(token) = self.word(index) else {
            return false;
        };
        if self.blocked[index] || !token.capitalised() {
            return false;
        }
        if token.text.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        if self.vocab.not_entity.contains(token.text) {
            return false;
        }
        let lower = token.lower.as_ref();
        (token.acronym() || !is_not_name(lower)) && !is_title_token(token)
    }

    fn read(&self) -> Vec<EntityMention> {
        let mut mentions: Vec<EntityMention> = Vec::new();
        let mut index = 0;
        // The end token of the last place found by a cue, for "X and Y" lists.
        let mut last_cued_place: Option<usize> = None;
        while index < self.tokens.len() {
            if self.blocked[index] || !self.tokens[index].is_word() {
                index += 1;
                continue;
            }
            // Hyphenated words with listed parts: "US-Russia", "pro-Russian", "Kyiv-based".
            if self.tokens[index].text.contains(['-', '‐', '‑'])
                && self.known(index).is_none()
                && self.hyphen_parts(index, &mut mentions)
            {
                index += 1;
                continue;
            }
            if !self.spannable(index) && self.known(index).is_none() {
                index += 1;
                continue;
            }
            let span = self.span_from(index);
            index = span.last + 1;
            let Some((span, cut)) = self.trim(span) else {
                continue;
            };
            let reading = if cut {
                None
            } else {
                self.classify(span, last_cued_place)
            };
            match reading {
                Some((kind, key, cued)) => {
                    last_cued_place = (cued && kind == EntityKind::Place).then_some(span.last);
                    mentions.push(self.mention(span, kind, key));
                }
                None => {
                    last_cued_place = None;
                    self.listed_inside(span, &mut mentions);
                }
            }
        }
        mentions.sort_by_key(|m| m.start);
        mentions.dedup_by(|later, earlier| later.start < earlier.end);
        mentions
    }

    /// The longest capitalised span from `index`, joining "of" / "of the" after an
    /// organisation or place word, and listed entities whole.
    fn span_from(&self, index: usize) -> Span {
        let mut last = index;
        let mut cursor = index;
        loop {
            if let Some((end, _, _)) = self.known(cursor)
                && (cursor..end).all(|i| !self.blocked[i])
            {
                last = end - 1;
                cursor = end;
                continue;
            }
            if self.spannable(cursor) {
                last = cursor;
                cursor += 1;
                continue;
            }
            // Glued full stops of short abbreviations stay inside ("St. Kitts").
            if self
                .tokens
                .get(cursor)
                .is_some_and(|t| t.is_punct('.') && !t.space_before)
                && self.spannable(cursor + 1)
                && self
                    .word(last)
                    .is_some_and(|t| t.text.chars().count() <= 3 && !t.acronym())
            {
                cursor += 1;
                continue;
            }
            // "Securities and Exchange Commission", "Food and Agriculture Organisation".
            if (self.lower_is(cursor, &["and"])
                || self.tokens.get(cursor).is_some_and(|t| t.is_punct('&')))
                && let Some(end) = self.org_name_ahead(cursor + 1)
                && (index..=last).all(|i| self.known(i).is_none())
            {
                last = end;
                cursor = end + 1;
                continue;
            }
            if self.lower_is(cursor, &["of"]) {
                let head = self.word(last).map(|t| t.lower.as_ref()).unwrap_or("");
                let joins = self.vocab.org_suffix.contains(unify_spelling(head))
                    || self.vocab.place_suffix.contains(head)
                    || matches!(head, "republic" | "kingdom" | "isle" | "city" | "house");
                let mut next = cursor + 1;
                if self.lower_is(next, &["the"]) {
                    next += 1;
                }
                if joins && self.spannable(next) {
                    cursor = next;
                    continue;
                }
            }
            break;
        }
        Span { first: index, last }
    }

    /// The last token of a run of up to four capitalised words from `index` that ends in
    /// an organisation suffix, if there is one.
    fn org_name_ahead(&self, index: usize) -> Option<usize> {
        let mut cursor = index;
        let mut end = None;
        while cursor < index + 4 && self.spannable(cursor) {
            if self.word(cursor).is_some_and(|t| {
                self.vocab
                    .org_suffix
                    .contains(unify_spelling(t.lower.as_ref()))
            }) {
                end = Some(cursor);
            }
            cursor += 1;
        }
        end.filter(|&e| !self.spannable(e + 1))
    }

    /// Drops titles and modifiers at the ends of a span ("the Interior Minister",
    /// "Former"). Returns the rest and whether a title was dropped from its end, which
    /// leaves a qualifier ("US Foreign") rather than a name.
    fn trim(&self, mut span: Span) -> Option<(Span, bool)> {
        let droppable = |token: &Token| {
            let lower = unify_spelling(token.lower.as_ref());
            is_title_word(lower) || is_modifier_or_filler(lower)
        };
        while span.first <= span.last && self.word(span.first).is_some_and(droppable) {
            if self.known(span.first).is_some() {
                break;
            }
            span.first += 1;
        }
        let mut cut = false;
        while span.first <= span.last && self.word(span.last).is_some_and(droppable) {
            span.last = span.last.checked_sub(1)?;
            cut = true;
        }
        (span.first <= span.last && self.tokens[span.first].is_word()).then_some((span, cut))
    }

    /// The kind and key of a span, and whether a cue in the text (rather than its own
    /// words) decided it.
    fn classify(
        &self,
        span: Span,
        last_cued_place: Option<usize>,
    ) -> Option<(EntityKind, Option<&'static str>, bool)> {
        let vocab = self.vocab;
        if let Some((end, kind, key)) = self.known(span.first)
            && end == span.last + 1
        {
            return Some((kind, Some(key), false));
        }
        let last = self.word(span.last)?;
        let last_lower = unify_spelling(last.lower.as_ref());
        let words = (span.first..=span.last)
            .filter(|&i| self.word(i).is_some_and(|t| t.capitalised()))
            .count();
        let has_of = (span.first..=span.last).any(|i| self.lower_is(i, &["of"]));
        let first_lower = self
            .word(span.first)
            .map(|t| unify_spelling(t.lower.as_ref()))
            .unwrap_or("");
        if words >= 2 || has_of {
            if vocab.org_suffix.contains(last_lower)
                || (has_of && vocab.org_suffix.contains(first_lower))
            {
                return Some((EntityKind::Org, None, false));
            }
            if vocab.place_suffix.contains(last_lower)
                || (has_of && vocab.place_suffix.contains(first_lower))
            {
                return Some((EntityKind::Place, None, false));
            }
            let org_word = (span.first..=span.last).any(|i| {
                self.word(i)
                    .is_some_and(|t| vocab.org_word.contains(unify_spelling(t.lower.as_ref())))
            });
            if org_word {
                return Some((EntityKind::Org, None, false));
            }
        } else if last.acronym() {
            let letters = last.text.chars().filter(|c| c.is_alphabetic()).count();
            if (2..=6).contains(&letters) {
                return Some((EntityKind::Org, None, false));
            }
        } else if vocab.org_suffix.contains(last_lower) || vocab.org_word.contains(last_lower) {
            // "the Commission", "the Army": which one is not said.
            return None;
        }
        if self.title_case {
            return None;
        }
        if let Some(kind) = self.cue(span, last_cued_place) {
            return Some((kind, None, true));
        }
        None
    }

    /// What the words around a span say it is.
    fn cue(&self, span: Span, last_cued_place: Option<usize>) -> Option<EntityKind> {
        let vocab = self.vocab;
        let before = span.first.checked_sub(1);
        let mut before_article = before;
        if let Some(b) = before
            && self.lower_is(b, &["the"])
        {
            before_article = b.checked_sub(1);
        }
        // "in Geneva", "in the Tesna valley" (not "according to Reuters").
        if let Some(b) = before_article
            && let Some(token) = self.word(b)
            && vocab.place_preposition.contains(token.lower.as_ref())
        {
            let word_before = b
                .checked_sub(1)
                .and_then(|w| self.word(w))
                .map(|t| t.lower.as_ref());
            let blocked = word_before.is_some_and(|w| vocab.not_place_after.contains(w));
            // "to" and "from" need a word of motion before them ("a trip to X").
            let directional = matches!(token.lower.as_ref(), "to" | "from");
            let moving = word_before.is_some_and(|w| vocab.motion_word.contains(w));
            if !blocked && (!directional || moving) {
                return Some(EntityKind::Place);
            }
        }
        // "the town of Belozar", "the villages of Lozavka".
        if let Some(b) = before
            && self.lower_is(b, &["of"])
            && b > 0
            && self
                .word(b - 1)
                .is_some_and(|t| vocab.place_noun.contains(t.lower.as_ref()))
        {
            return Some(EntityKind::Place);
        }
        // "... Lozavka and Dubrets", "Kyiv, Odesa and Lviv".
        if let (Some(b), Some(previous_end)) = (before, last_cued_place)
            && (self.lower_is(b, &["and", "or"]) || self.tokens[b].is_punct(','))
            && b == previous_end + 1
        {
            return Some(EntityKind::Place);
        }
        // "the utility Dravenergo", "the broadcaster CBS".
        if let Some(b) = before
            && self
                .word(b)
                .is_some_and(|t| !t.capitalised() && vocab.org_noun.contains(t.lower.as_ref()))
        {
            return Some(EntityKind::Org);
        }
        let after = span.last + 1;
        // "the Tesna valley", "Donetsk region".
        if self
            .word(after)
            .is_some_and(|t| !t.capitalised() && vocab.place_noun.contains(t.lower.as_ref()))
        {
            return Some(EntityKind::Place);
        }
        // "Dravenia's Tesna valley", "Ukraine's western city of Ternopil".
        if self
            .tokens
            .get(after)
            .is_some_and(|t| t.kind == TokenKind::Possessive)
        {
            for index in after + 1..(after + 4).min(self.tokens.len()) {
                let Some(token) = self.word(index) else {
                    break;
                };
                if vocab.possessive_place_noun.contains(token.lower.as_ref()) {
                    return Some(EntityKind::Place);
                }
            }
        }
        None
    }

    /// Emits the listed entities inside a span that could not be read as a whole.
    fn listed_inside(&self, span: Span, mentions: &mut Vec<EntityMention>) {
        let mut index = span.first;
        while index <= span.last {
            match self.known(index) {
                Some((end, kind, key)) if end <= span.last + 1 => {
                    mentions.push(self.mention(
                        Span {
                            first: index,
                            last: end - 1,
                        },
                        kind,
                        Some(key),
                    ));
                    index = end;
                }
                _ => index += 1,
            }
        }
    }

    /// Emits the listed parts of a hyphenated word, and a capitalised part before
    /// "-based"; returns whether any was emitted.
    fn hyphen_parts(&self, index: usize, mentions: &mut Vec<EntityMention>) -> bool {
        let token = &self.tokens[index];
        let mut found = false;
        let mut offset = 0;
        let parts: Vec<&str> = token.text.split(['-', '‐', '‑']).collect();
        for (position, part) in parts.iter().enumerate() {
            let start = token.start + offset;
            let end = start + part.len();
            offset += part.len()
                + token.text[offset + part.len()..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            if part.is_empty() || !part.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let lower = part.to_lowercase();
            let listed = self.vocab.by_first.get(&lower).and_then(|candidates| {
                candidates.iter().find_map(|&c| {
                    let entity = &self.vocab.known[c];
                    let exact_ok = match &entity.exact[0] {
                        Some(exact) => exact == part,
                        None => true,
                    };
                    (entity.words.len() == 1 && exact_ok)
                        .then_some((entity.kind, entity.key.as_str()))
                })
            });
            let based = parts
                .get(position + 1)
                .is_some_and(|next| next.eq_ignore_ascii_case("based"));
            let (kind, key) = match listed {
                Some((kind, key)) => (kind, Some(key)),
                None if based => (EntityKind::Place, None),
                None => continue,
            };
            let text = &self.text[start..end];
            mentions.push(EntityMention {
                start,
                end,
                text: text.to_string(),
                kind,
                key: key.map_or_else(|| span_key(&[text]), str::to_string),
            });
            found = true;
        }
        found
    }

    fn mention(&self, span: Span, kind: EntityKind, key: Option<&str>) -> EntityMention {
        let start = self.tokens[span.first].start;
        let end = self.tokens[span.last].end;
        let key = match key {
            Some(key) => key.to_string(),
            None => {
                let words: Vec<&str> = (span.first..=span.last)
                    .filter_map(|i| self.word(i).map(|t| t.text))
                    .collect();
                span_key(&words)
            }
        };
        EntityMention {
            start,
            end,
            text: self.text[start..end].to_string(),
            kind,
            key,
        }
    }
}

/// The key of an unlisted span's words: lower case, spelling unified, acronym full stops
/// and every "the" dropped.
fn span_key(words: &[&str]) -> String {
    let mut key = String::new();
    for word in words {
        let lower: String = word
            .chars()
            .filter(|&c| c != '.')
            .flat_map(char::to_lowercase)
            .map(|c| if c == '’' { '\'' } else { c })
            .collect();
        if lower == "the" || lower.is_empty() {
            continue;
        }
        let unified = unify_spelling(&lower);
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(unified);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::super::people::find_people;
    use super::*;

    fn render(mention: &EntityMention) -> String {
        let kind = match mention.kind {
            EntityKind::Place => "Place",
            EntityKind::Org => "Org",
        };
        format!("{}|{kind}|{}", mention.text, mention.key)
    }

    /// Checks the rendered entities of `sentence` (its people found first and left out)
    /// and that each quotes its own span.
    fn check(sentence: &str, expected: &[&str]) {
        let people = find_people(sentence);
        let found = find_entities(sentence, &people);
        let got: Vec<String> = found.iter().map(render).collect();
        assert_eq!(got, expected, "in {sentence:?}");
        for mention in &found {
            assert_eq!(&sentence[mention.start..mention.end], mention.text);
            assert!(
                people
                    .iter()
                    .all(|p| mention.end <= p.start || p.end <= mention.start)
            );
        }
    }

    #[test]
    fn listed_entities_in_any_form() {
        let keys = |sentence: &str| -> Vec<String> {
            find_listed(sentence).into_iter().map(|e| e.key).collect()
        };
        assert_eq!(
            keys("The US, the U.S., the USA and America agreed."),
            ["united states"; 4]
        );
        assert_eq!(
            keys("Britain, the UK and the United Kingdom agreed."),
            ["united kingdom"; 3]
        );
        assert_eq!(
            keys("Nato, NATO, the EU, the European Union and the UN agreed."),
            [
                "nato",
                "nato",
                "european union",
                "european union",
                "united nations"
            ]
        );
        assert_eq!(keys("Exports to South America rose."), ["south america"]);
        assert!(keys("Tell us about it, he said.").is_empty());
    }

    #[test]
    fn places_and_organisations_in_news_phrasing() {
        #[rustfmt::skip]
        let cases: &[(&str, &[&str])] = &[
            // Listed entities, country adjectives and acronyms.
            ("Senior Pentagon officials have arrived in Ukraine to discuss efforts with Russia, the US military has said.",
             &["Pentagon|Org|pentagon", "Ukraine|Place|ukraine", "Russia|Place|russia", "US|Place|united states"]),
            ("At least 26 people were killed in a Russian missile attack on Ukraine's western city of Ternopil.",
             &["Russian|Place|russia", "Ukraine|Place|ukraine", "Ternopil|Place|ternopil"]),
            ("Axios, the Financial Times and Reuters reported the plan.",
             &["Axios|Org|axios", "Financial Times|Org|financial times", "Reuters|Org|reuters"]),
            ("The BBC has asked the White House to comment.", &["BBC|Org|bbc", "White House|Org|white house"]),
            ("A Ukrainian official told CBS, the BBC's US media partner, about the talks.",
             &["Ukrainian|Place|ukraine", "CBS|Org|cbs", "BBC|Org|bbc", "US|Place|united states"]),
            ("It was designed with the help of a U.S. engineering consultancy.", &["U.S.|Place|united states"]),
            ("It was designed with the assistance of a United States engineering consultancy.", &["United States|Place|united states"]),
            ("NATO and the EU met in Brussels.", &["NATO|Org|nato", "EU|Org|european union", "Brussels|Place|brussels"]),
            ("Officials in Kiev and Kyiv agreed.", &["Kiev|Place|kyiv", "Kyiv|Place|kyiv"]),
            ("He spoke in New York City and St. Petersburg.", &["New York City|Place|new york", "St. Petersburg|Place|st petersburg"]),
            ("In a post on X afterwards, he thanked them.", &["X|Org|x"]),
            // Hyphenated words.
            ("It came from the 2022 US-Russia summit in Alaska.", &["US|Place|united states", "Russia|Place|russia", "Alaska|Place|alaska"]),
            ("A Kyiv-based analyst spoke to pro-Russian separatists.", &["Kyiv|Place|kyiv", "Russian|Place|russia"]),
            // Suffixes, organisation words and "of".
            ("They were evacuated, according to the regional Civil Defence Service.", &["Civil Defence Service|Org|civil defense service"]),
            ("They were evacuated, according to the regional Civil Defense Service.", &["Civil Defense Service|Org|civil defense service"]),
            ("The plans call for Kyiv to significantly cut Ukraine's Armed Forces.",
             &["Kyiv|Place|kyiv", "Ukraine|Place|ukraine", "Armed Forces|Org|armed forces"]),
            ("The Bank of England and the Ministry of the Interior disagreed.",
             &["Bank of England|Org|bank of england", "Ministry of the Interior|Org|ministry of interior"]),
            ("The Securities and Exchange Commission opened an inquiry.", &["Securities and Exchange Commission|Org|securities and exchange commission"]),
            ("The Daily Dispatch Online reported the story.", &["Daily Dispatch Online|Org|daily dispatch online"]),
            ("He is an engineer at Stolvar Technical University.", &["Stolvar Technical University|Org|stolvar technical university"]),
            ("Ships waited in the Black Sea.", &["Black Sea|Place|black sea"]),
            // Cues from the words around.
            ("A dam burst above the town of Belozar in Dravenia's Tesna valley.",
             &["Belozar|Place|belozar", "Dravenia|Place|dravenia", "Tesna|Place|tesna"]),
            ("Residents were evacuated from Belozar and the nearby villages of Lozavka and Dubrets.",
             &["Belozar|Place|belozar", "Lozavka|Place|lozavka", "Dubrets|Place|dubrets"]),
            ("The national government in Stolvar approved a fund.", &["Stolvar|Place|stolvar"]),
            ("Its operator, the state-owned utility Dravenergo, said the reservoir was full.", &["Dravenergo|Org|dravenergo"]),
            ("They met in the US state of Alaska.", &["US|Place|united states", "Alaska|Place|alaska"]),
            ("In Belozar, families spent the night in schools.", &["Belozar|Place|belozar"]),
            ("Fighting continued in Donetsk region.", &["Donetsk|Place|donetsk"]),
            // Not places or organisations.
            ("The Interior Minister said the US Foreign Secretary would come.", &["US|Place|united states"]),
            ("GDP grew by 2% in the third quarter.", &[]),
            ("Dravenergo did not respond.", &[]),
            ("An analyst at Citigroup said shares in Vodafone rose.", &[]),
            ("The Commission said it would look again.", &[]),
            ("THE US AND RUSSIA DREW UP A PEACE PLAN", &[]),
            ("On Thursday in January, officials said.", &[]),
            // People's spans are left out.
            ("US Army Secretary Dan Driscoll met officials in Kyiv.", &["Kyiv|Place|kyiv"]),
            ("Helena Marsh, the UN special envoy for climate adaptation, spoke in Geneva.", &["Geneva|Place|geneva"]),
        ];
        for (sentence, expected) in cases {
            check(sentence, expected);
        }
    }

    #[test]
    fn never_panics_and_quotes_its_spans() {
        let pieces = [
            "in",
            "In",
            "of",
            "the",
            "The",
            "and",
            "&",
            "Bank",
            "of",
            "England",
            "US-Russia",
            "pro-",
            "-based",
            "Kyiv",
            "U.S.",
            "St.",
            "Petersburg",
            "New",
            "York",
            "'s",
            "’s",
            "town",
            "city",
            "valley",
            "Ministry",
            "Service",
            "Civil",
            "GDP",
            "NATO",
            "X",
            "ÉTÉ",
            "Żółć",
            "東京",
            "😀",
            ",",
            ".",
            "-",
            "\"",
            "utility",
            "Dravenergo",
            "Minister",
            " ",
            "Mr",
            "Gen",
            "Keith",
            "Kellogg",
            "İzmir",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..3000 {
            let mut sentence = String::new();
            for _ in 0..next() % 25 {
                sentence.push_str(pieces[next() % pieces.len()]);
                if next() % 3 > 0 {
                    sentence.push(' ');
                }
            }
            let people = find_people(&sentence);
            for mention in find_entities(&sentence, &people) {
                assert!(sentence.is_char_boundary(mention.start));
                assert!(sentence.is_char_boundary(mention.end));
                assert_eq!(&sentence[mention.start..mention.end], mention.text);
            }
        }
        for _ in 0..2000 {
            let sentence: String = (0..next() % 40)
                .filter_map(|_| char::from_u32((next() % 0x3000) as u32))
                .collect();
            for mention in find_entities(&sentence, &[]) {
                assert_eq!(&sentence[mention.start..mention.end], mention.text);
            }
        }
    }
}
