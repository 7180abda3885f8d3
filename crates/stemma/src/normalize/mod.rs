//! Normalisation: bytes to clean Unicode text, and article blocks cleaned of what readers
//! skip.
//!
//! - [`decode`]: UTF-8, else the charset a BOM or a `<meta charset>` names, else the one
//!   `chardetng` detects (Windows-1252 for most legacy news pages).
//! - [`clean_text`]: mojibake repair, HTML entities, NFC, invisible characters and
//!   whitespace. Quotes, dashes and digits are kept as written: they are evidence.
//! - [`normalize_blocks`]: the blocks of an article with boilerplate lines removed
//!   ("Read also: …", "Table of Contents", share prompts, newsletter pitches); headings are
//!   kept and marked.
//!
//! Normalising twice gives the same result as normalising once.

mod boilerplate;
mod mojibake;

pub use boilerplate::{is_boilerplate, prepare as prepare_boilerplate};
pub use mojibake::fix_mojibake;

use std::borrow::Cow;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// What a block of article text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph of prose (list items included).
    Paragraph,
    /// A heading.
    Heading,
}

/// A paragraph or heading of an article, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Paragraph or heading.
    pub kind: BlockKind,
    /// Its text.
    pub text: String,
}

impl Block {
    /// A paragraph block.
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            text: text.into(),
        }
    }

    /// A heading block.
    pub fn heading(text: impl Into<String>) -> Block {
        Block {
            kind: BlockKind::Heading,
            text: text.into(),
        }
    }
}

/// Decodes bytes to text: UTF-8 when valid, else by BOM, by a charset declared in the first
/// kilobytes (HTML `<meta charset>`), else by detection. Never fails: undecodable bytes become
/// U+FFFD. Returns the text and the encoding used.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static encoding_rs::Encoding) {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, encoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), encoding_rs::UTF_8);
    }
    let encoding = declared_charset(bytes).unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Allow)
    });
    let (text, _, _) = encoding.decode(bytes);
    (text, encoding)
}

/// The charset an HTML page declares in its first 4 KiB, if any.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
    // A page that declares UTF-8 but is not valid UTF-8 is lying; let detection decide.
    (encoding != encoding_rs::UTF_8).then_some(encoding)
}

/// Cleans one piece of text: mojibake, HTML entities, Unicode NFC, invisible characters,
/// and runs of whitespace folded to one space (line breaks included).
///
/// ```
/// use stemma::normalize::clean_text;
/// assert_eq!(clean_text("  worth $105m&nbsp;(Â£80m)\u{200b}\n now "), "worth $105m (£80m) now");
/// ```
pub fn clean_text(text: &str) -> String {
    let mut cleaned = clean_once(text);
    // One repair can reveal another: fixing `Â£` in `ÜÂ£` leaves `Ü£`, itself the mojibake
    // of `ܣ` (found by fuzzing); decoding `&Atilde;&copy;` makes `Ã©`; dropping a zero-width
    // space joins two halves. Cleaning repeats until nothing changes, as ftfy does, so that
    // cleaning twice equals cleaning once. Text that the first pass left as it was (most
    // text) is not cleaned again; each pass shortens or keeps the text, and the rounds are
    // bounded all the same.
    if cleaned == text {
        return cleaned;
    }
    for _ in 0..4 {
        let again = clean_once(&cleaned);
        if again == cleaned {
            break;
        }
        cleaned = again;
    }
    cleaned
}

/// One pass of [`clean_text`].
fn clean_once(text: &str) -> String {
    let plain = text.is_ascii();
    if plain && memchr::memchr(b'&', text.as_bytes()).is_none() {
        // The common case: no mojibake (it needs non-ASCII characters), no entities,
        // already NFC.
        return fold_spaces(text);
    }
    let text = if plain {
        Cow::Borrowed(text)
    } else {
        fix_mojibake(text)
    };
    let text = if text.contains('&') {
        Cow::Owned(html_escape::decode_html_entities(&text).into_owned())
    } else {
        text
    };
    // NFC is most of the cost of cleaning; most text is already in NFC, which a quick check
    // of its non-ASCII characters tells without composing (see [`non_ascii`]).
    if unicode_normalization::is_nfc_quick(non_ascii(&text))
        == unicode_normalization::IsNormalized::Yes
    {
        fold_spaces(&text)
    } else {
        fold_spaces(&text.nfc().collect::<String>())
    }
}

/// The non-ASCII characters of `text`, in order, found by a byte search.
///
/// Enough for the NFC quick check: an ASCII character is in NFC and of combining class 0,
/// so leaving it out can only turn the check's answer from "yes" to "maybe" or "no" (two
/// combining marks it separated now meet), never the other way; a "yes" on the rest is a
/// "yes" on the whole.
fn non_ascii(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let at = rest.bytes().position(|b| b >= 0x80)?;
        let c = rest[at..].chars().next()?;
        rest = &rest[at + c.len_utf8()..];
        Some(c)
    })
}

/// Characters [`fold_spaces`] drops: zero-width spaces and joiners, word joiners, BOMs,
/// soft hyphens.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

/// Two spaces in a row, searched for in every paragraph: the searcher is built once
/// (`memmem::find` builds one per call, which cost as much as a short search).
static DOUBLE_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(b"  "));

/// Whether [`fold_spaces`] would return `text` unchanged: no space at either end, no two
/// in a row, no control, other whitespace or invisible character. Most paragraphs are
/// tidy, and the checks are passes the compiler vectorises or `memchr` runs, where the
/// folding loop takes a branch per word.
fn is_tidy(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' || DOUBLE_SPACE.find(bytes).is_some() {
        return false;
    }
    // Printable ASCII and the space, without an early exit, so the loop vectorises.
    let printable = bytes
        .iter()
        .fold(true, |ok, &b| ok & (b.wrapping_sub(0x20) < 0x5f));
    if printable {
        return true;
    }
    let controls = bytes
        .iter()
        .fold(false, |any, &b| any | (b < 0x20) | (b == 0x7f));
    !controls && !non_ascii(text).any(|c| c.is_whitespace() || c.is_control() || is_invisible(c))
}

/// Drops invisible characters (zero-width spaces and joiners, word joiners, BOMs, soft
/// hyphens, which hide inside words on the web) and folds every run of whitespace and
/// control characters to one space, none at either end.
///
/// Works on bytes: stretches that need nothing (most prose is one, a single space between
/// words included) are copied whole, and only non-ASCII characters are decoded.
fn fold_spaces(text: &str) -> String {
    if is_tidy(text) {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    // Printable ASCII other than the space.
    let plain = |b: u8| b.wrapping_sub(0x21) < 0x5e;
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut run = 0;
    let mut at = 0;
    // Ends the stretch kept so far at `end`, writing the space owed before it.
    let flush = |out: &mut String, pending_space: &mut bool, run: usize, end: usize| {
        if run < end {
            if *pending_space && !out.is_empty() {
                out.push(' ');
            }
            *pending_space = false;
            out.push_str(&text[run..end]);
        }
    };
    while at < bytes.len() {
        let b = bytes[at];
        if plain(b) {
            at += 1;
            continue;
        }
        if b == b' ' && at > run && bytes.get(at + 1).is_some_and(|&next| plain(next)) {
            // One space between two words: part of the stretch.
            at += 1;
            continue;
        }
        if b < 0x80 {
            // A space or a control character.
            flush(&mut out, &mut pending_space, run, at);
            pending_space = true;
            at += 1;
            run = at;
            continue;
        }
        let c = text[at..].chars().next().unwrap_or(' ');
        let width = c.len_utf8();
        match c {
            c if is_invisible(c) => {
                flush(&mut out, &mut pending_space, run, at);
                run = at + width;
            }
            c if c.is_whitespace() || c.is_control() => {
                flush(&mut out, &mut pending_space, run, at);
                pending_space = true;
                run = at + width;
            }
            _ => {}
        }
        at += width;
    }
    flush(&mut out, &mut pending_space, run, at);
    out
}

/// Cleans every block and drops the empty ones and the boilerplate lines that survive
/// extraction. A block of several lines is judged line by line, so a "Read also: …" line
/// glued to a paragraph goes and the paragraph stays. Paragraphs that repeat a heading of
/// the same article are a table of contents and go too.
pub fn normalize_blocks(blocks: Vec<Block>) -> Vec<Block> {
    let headings: std::collections::HashSet<String> = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Heading)
        .map(|b| clean_text(&b.text).to_lowercase())
        .collect();
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        let text = if memchr::memchr(b'\n', block.text.as_bytes()).is_some() {
            let kept: Vec<String> = block
                .text
                .lines()
                .map(clean_text)
                .filter(|line| !line.is_empty() && !is_boilerplate(line))
                .collect();
            kept.join(" ")
        } else {
            // One line, the usual paragraph: no list of lines to build and join.
            let line = clean_text(&block.text);
            if is_boilerplate(&line) {
                continue;
            }
            line
        };
        if text.is_empty() {
            continue;
        }
        // Most documents have no headings (JSON Lines, plain text): no paragraph to
        // lower-case then.
        if block.kind == BlockKind::Paragraph
            && !headings.is_empty()
            && headings.contains(&text.to_lowercase())
        {
            continue;
        }
        out.push(Block {
            kind: block.kind,
            text,
        });
    }
    out
}

/// Whether a text is written without capitals (tokenised model output, some feeds): then
/// names cannot be told from words by their case, and [`restore_case`] should run first.
pub fn is_lowercased(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let upper = text.chars().filter(|c| c.is_uppercase()).count();
    letters >= 20 && upper * 200 < letters
}

/// Restores the case of a lower-cased `text` from a `reference` written normally: each
/// word takes the form the reference gives it in mid-sentence (so names regain their
/// capitals and ordinary words stay lower-case), and sentences regain a capital first
/// letter. Words the reference lacks stay as they are.
///
/// ```
/// use stemma::normalize::restore_case;
/// let reference = "The team met Ukrainian President Volodymyr Zelensky in Kyiv. They talked.";
/// assert_eq!(
///     restore_case("the team met zelensky in kyiv .", reference),
///     "The team met Zelensky in Kyiv ."
/// );
/// ```
pub fn restore_case(text: &str, reference: &str) -> String {
    use std::collections::HashMap;
    use unicode_segmentation::UnicodeSegmentation;
    // Count, for each lower-cased word, how the reference writes it when it is not the
    // first word of a sentence (where every word is capitalised).
    let mut forms: HashMap<String, HashMap<&str, usize>> = HashMap::new();
    let mut sentence_start = true;
    for word in reference.split_word_bounds() {
        if word.chars().any(char::is_alphanumeric) {
            if !sentence_start {
                *forms
                    .entry(word.to_lowercase())
                    .or_default()
                    .entry(word)
                    .or_default() += 1;
            }
            sentence_start = false;
        } else if word.contains(['.', '!', '?']) {
            sentence_start = true;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut sentence_start = true;
    for word in text.split_word_bounds() {
        if word.chars().any(char::is_alphanumeric) {
            let form = forms
                .get(&word.to_lowercase())
                .and_then(|counts| counts.iter().max_by_key(|(form, n)| (**n, *form)))
                .map(|(form, _)| *form);
            let restored = form.unwrap_or(word);
            if sentence_start {
                let mut chars = restored.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push_str(restored);
            }
            sentence_start = false;
        } else {
            if word.contains(['.', '!', '?']) {
                sentence_start = true;
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_windows_1252() {
        let bytes = b"The caf\xe9 said \x93no\x94 to \x80200.";
        let (text, encoding) = decode(bytes);
        assert_eq!(text, "The café said “no” to €200.");
        assert_eq!(encoding, encoding_rs::WINDOWS_1252);
    }

    #[test]
    fn decodes_declared_charset() {
        let bytes = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Gr\xfc\xdfe</body>";
        let (text, _) = decode(bytes);
        assert!(text.contains("Grüße"), "{text}");
    }

    #[test]
    fn spaces_fold_to_one() {
        for text in [
            "",
            "   ",
            " a",
            "a ",
            "a  b",
            "a\tb\n\nc ",
            "\x7fx\x01 y  ",
            "one two three",
        ] {
            let expected = text
                .split(|c: char| c.is_whitespace() || c.is_control())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(fold_spaces(text), expected, "{text:?}");
        }
    }

    /// The character-by-character definition [`fold_spaces`] must agree with.
    fn fold_spaces_by_chars(text: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        for c in text.chars() {
            match c {
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
                c if c.is_whitespace() || c.is_control() => pending_space = true,
                c => {
                    if pending_space && !out.is_empty() {
                        out.push(' ');
                    }
                    pending_space = false;
                    out.push(c);
                }
            }
        }
        out
    }

    #[test]
    fn spaces_fold_like_the_definition() {
        for text in [
            "a \u{200b}b",
            "a\u{200b} b",
            "\u{200b} a",
            "worth £80m\u{a0}now",
            "x\u{2003}\u{2003}y \u{85}z",
            "caf\u{e9}\u{ad}s and na\u{ef}ve ",
            " \u{feff}\u{feff} ",
            "one  two\t\u{3000}three\u{200d}",
            "£ £",
            "a\u{9f}b",
            "tidy text, £5 and caf\u{e9}",
            " lead",
            "trail ",
        ] {
            assert_eq!(fold_spaces(text), fold_spaces_by_chars(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn spaces_fold_like_the_definition_on_any_text(text in "[a-c £\u{a0}\u{200b}\u{ad}\t\n\u{1}\u{2003}]{0,24}") {
            proptest::prop_assert_eq!(fold_spaces(&text), fold_spaces_by_chars(&text));
        }
    }

    #[test]
    fn clean_text_is_idempotent() {
        for text in [
            "  a  b\n\nc ",
            "Â£80m &amp; â€œquotesâ€\u{9d}",
            "soft\u{ad}hyphen and zero\u{200b}width",
            "e\u{301}cole",
            "further\u{dc}\u{c2}\u{a3}4m",
            "&Atilde;&copy;",
            "\u{c2}\u{200b}\u{a3}",
            // Found by fuzzing: mojibake of mojibake many times over ("ÂÂÂº").
            "afte\u{c2}\u{c2}\u{ba}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}r",
            "\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{c2}\u{a3}",
        ] {
            let once = clean_text(text);
            assert_eq!(clean_text(&once), once);
        }
        assert_eq!(clean_text("e\u{301}cole"), "école");
        assert_eq!(clean_text("\u{c2}\u{c2}\u{c2}\u{a3}5"), "£5");
    }

    #[test]
    fn boilerplate_blocks_are_dropped_and_headings_kept() {
        let blocks = vec![
            Block::heading("Table of Contents"),
            Block::paragraph("Read also: Ten things about floods"),
            Block::paragraph("Background"),
            Block::heading("Background"),
            Block::paragraph("The dam broke on Wednesday.\nShare this article"),
        ];
        let blocks = normalize_blocks(blocks);
        assert_eq!(
            blocks,
            vec![
                Block::heading("Background"),
                Block::paragraph("The dam broke on Wednesday.")
            ]
        );
    }
}
