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

pub use boilerplate::is_boilerplate;
pub use mojibake::fix_mojibake;

use std::borrow::Cow;

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
    if text.is_ascii() && !text.contains('&') {
        return clean_ascii(text);
    }
    let text = fix_mojibake(text);
    let text = if text.contains('&') {
        Cow::Owned(html_escape::decode_html_entities(&text).into_owned())
    } else {
        text
    };
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    // NFC is most of the cost of cleaning; most text is already in NFC, which a quick check
    // tells without composing.
    let composed: Cow<'_, str> = if unicode_normalization::is_nfc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        Cow::Borrowed(&text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    // ASCII bytes are handled as bytes; only the other characters are decoded.
    let bytes = composed.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        let (c, width) = if b < 0x80 {
            (char::from(b), 1)
        } else {
            let c = composed[at..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        match c {
            // Zero-width characters, soft hyphens and BOMs hide inside words on the web.
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
            c if c.is_whitespace() => pending_space = true,
            c if c.is_control() => pending_space = true,
            _ => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(&composed[at..at + width]);
            }
        }
        at += width;
    }
    out
}

/// [`clean_text`] of ASCII text without entities, the common case, on bytes: no
/// mojibake (it needs non-ASCII characters), already NFC, and the only characters to fold
/// are ASCII whitespace and control characters.
fn clean_ascii(text: &str) -> String {
    // ASCII whitespace and control characters are 0x00..=0x20 and 0x7f.
    let is_space = |b: u8| b <= b' ' || b == 0x7f;
    let bytes = text.as_bytes();
    let Some(first) = bytes.iter().position(|&b| !is_space(b)) else {
        return String::new();
    };
    // Some, since `first` is not a space.
    let last = bytes.iter().rposition(|&b| !is_space(b)).unwrap_or(first);
    let body = &text[first..=last];
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    // Only a space other than one ' ' before a word needs work; the stretches between
    // (most prose is one) are copied whole. `body` ends in a non-space, so every space
    // in it has a next byte.
    let needs_work =
        |w: &[u8]| (is_space(w[0]) && w[0] != b' ') || (w[0] == b' ' && is_space(w[1]));
    let mut start = 0;
    while let Some(offset) = bytes[start..].windows(2).position(needs_work) {
        let run = start + offset;
        out.push_str(&body[start..run]);
        out.push(' ');
        start = run + 1;
        while is_space(bytes[start]) {
            start += 1;
        }
    }
    out.push_str(&body[start..]);
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
        let text = if block.text.contains('\n') {
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
        if block.kind == BlockKind::Paragraph && headings.contains(&text.to_lowercase()) {
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
    fn ascii_path_folds_like_the_general_path() {
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
            assert_eq!(clean_ascii(text), expected, "{text:?}");
        }
    }

    #[test]
    fn clean_text_is_idempotent() {
        for text in [
            "  a  b\n\nc ",
            "Â£80m &amp; â€œquotesâ€\u{9d}",
            "soft\u{ad}hyphen and zero\u{200b}width",
            "e\u{301}cole",
        ] {
            let once = clean_text(text);
            assert_eq!(clean_text(&once), once);
        }
        assert_eq!(clean_text("e\u{301}cole"), "école");
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
