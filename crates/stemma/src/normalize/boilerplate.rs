//! Lines that survive main-text extraction but are not article text: cross-links, tables
//! of contents, share prompts, newsletter pitches, cookie notices, bylines of the page.
//!
//! The patterns live in `boilerplate.txt` (one regular expression per line, matched against
//! the whole line, case-insensitive) so that adding one is a data change. They are kept
//! deliberately narrow: a false positive silently deletes a sentence of the article, which
//! costs more than a stray "Share this article" line.

use std::sync::LazyLock;

use regex::RegexSet;

static PATTERNS: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns: Vec<String> = include_str!("boilerplate.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|pattern| format!("(?i)^(?:{pattern})$"))
        .collect();
    // The file is part of the crate and covered by the tests below, so a bad pattern is a
    // build-time bug, not an input error.
    RegexSet::new(patterns).expect("boilerplate.txt holds valid regular expressions")
});

/// Compiles the patterns now, if they are not yet: a few milliseconds that the first
/// document's worker would otherwise spend while the others wait for it.
pub fn prepare() {
    LazyLock::force(&PATTERNS);
}

/// Whether a cleaned line is boilerplate rather than article text.
///
/// ```
/// use stemma::normalize::is_boilerplate;
/// assert!(is_boilerplate("Read also: Five things we learned"));
/// assert!(!is_boilerplate("Officials said the dam had been inspected in 2024."));
/// ```
pub fn is_boilerplate(line: &str) -> bool {
    // Long lines are prose; only short lines are menus, prompts and links.
    at_most_chars(line, 160) && PATTERNS.is_match(line.trim())
}

/// Whether `text` has at most `limit` characters, without decoding them: a character is at
/// least one byte and at most four, and is counted by the bytes that start one.
fn at_most_chars(text: &str, limit: usize) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() <= limit {
        return true;
    }
    if bytes.len() > 4 * limit {
        return false;
    }
    // A UTF-8 continuation byte is 0b10xx_xxxx: as a signed byte, below -0x40.
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count() <= limit
}

#[cfg(test)]
mod tests {
    use super::is_boilerplate;

    proptest::proptest! {
        #[test]
        fn counts_characters_as_chars_does(text in "[a-zé€😀 ]{0,200}", limit in 0usize..120) {
            proptest::prop_assert_eq!(
                super::at_most_chars(&text, limit),
                text.chars().nth(limit).is_none()
            );
        }
    }

    #[test]
    fn known_boilerplate() {
        for line in [
            "Read also: Ten facts about the dam",
            "READ MORE: Floods hit the north",
            "Related: Storm warnings",
            "Table of Contents",
            "Contents",
            "Share this article",
            "Share on Facebook",
            "Share on X (formerly Twitter)",
            "Share on Facebook · Share on X · Copy link",
            "Share on Facebook Share on X Copy link",
            "Share on WhatsApp | Share on Telegram | Email",
            "Facebook Twitter LinkedIn Email",
            "Facebook · X · Copy link",
            "Copy link",
            "Sign up for our newsletter",
            "Subscribe to our daily newsletter for the latest news",
            "Advertisement",
            "We use cookies to improve your experience.",
            "Click here to read more",
            "Follow us on Twitter",
            "Copyright 2025 The Daily Dispatch. All rights reserved.",
            "© 2025 Example News",
            "Image caption, Rescue workers at the dam",
            "Getty Images",
            "Skip to content",
            "Originally published by World Desk Daily.",
            "This article first appeared on World Desk Daily.",
            "This article first appeared on World Desk Daily. Read more: worlddesk.example/ukraine",
            "A version of this story first ran in The Courier.",
        ] {
            assert!(is_boilerplate(line), "{line}");
        }
    }

    #[test]
    fn article_text_is_kept() {
        for line in [
            "Read the statement in full, the governor told reporters.",
            "The newsletter, published weekly, broke the story.",
            "Related charges were filed on Monday.",
            "He said the contents of the report were alarming.",
            "Users can share this article's findings with regulators, the agency said.",
            "Background",
            "What happens next",
            "X",
            "Facebook said the post broke its rules.",
            "Share prices fell on Facebook and Twitter news.",
            "The claim first appeared on a fringe forum in 2019, officials said.",
        ] {
            assert!(!is_boilerplate(line), "{line}");
        }
    }
}
