//! Plain text and Markdown: the title line, YAML front matter, and blocks.

use serde::Deserialize;

use super::{Meta, parse_published};
use crate::normalize::Block;

/// A `.txt` article: the first line is the title when a blank line follows it and it reads
/// like a headline (no closing full stop, not too long); blocks are separated by blank
/// lines, or are single lines when the text has no blank lines at all.
///
/// YAML front matter opening the file is read as in Markdown (many crawls store Markdown
/// front matter in `.txt` files).
pub(super) fn read_text(text: &str) -> (Meta, Vec<Block>) {
    let (mut meta, text) = front_matter(text.trim_start_matches('\u{feff}'));
    let text = text.trim_start_matches(['\n', '\r']);
    let mut body = text;
    let mut lines = text.lines();
    if let (Some(first), Some(second)) = (lines.next(), lines.next())
        && meta.title.is_none()
        && second.trim().is_empty()
        && looks_like_title(first)
    {
        meta.title = Some(first.trim().to_string());
        body = &text[first.len()..];
    }
    (meta, paragraphs(body))
}

fn looks_like_title(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    (1..=30).contains(&words) && !line.ends_with(['.', ',', ';'])
}

/// Blocks of plain text: blank-line separated paragraphs with their lines joined, or one
/// block per line when there are no blank lines (one sentence or paragraph per line).
pub(super) fn paragraphs(text: &str) -> Vec<Block> {
    // One pass over the lines: runs of non-blank lines, as ranges of `lines`. Text with
    // two runs or more has blank lines between its paragraphs; text with one has none.
    let lines: Vec<&str> = lines(text).collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (k, line) in lines.iter().enumerate() {
        match (line.trim().is_empty(), start) {
            (true, Some(s)) => {
                runs.push((s, k));
                start = None;
            }
            (false, None) => start = Some(k),
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, lines.len()));
    }
    if runs.len() < 2 {
        return runs
            .iter()
            .flat_map(|&(s, e)| lines[s..e].iter().map(|&line| Block::paragraph(line)))
            .collect();
    }
    runs.iter()
        .map(|&(s, e)| match &lines[s..e] {
            // One line, the usual paragraph: nothing to join.
            [line] => Block::paragraph(*line),
            many => Block::paragraph(many.join("\n")),
        })
        .collect()
}

/// The lines of `text` as [`str::lines`] gives them (split at `\n`, the `\r` of a `\r\n`
/// dropped, no empty last line), found with a vectorised byte search: paragraph splitting
/// runs on the single reader thread, for every document of a corpus.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut ends = memchr::memchr_iter(b'\n', bytes);
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let Some(end) = ends.next() else {
            // The last line, without a line ending: a lone `\r` is text.
            let line = &text[at..];
            at = bytes.len();
            return Some(line);
        };
        let line = &text[at..end];
        at = end + 1;
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

#[derive(Deserialize, Default)]
struct FrontMatter {
    title: Option<serde_json::Value>,
    date: Option<serde_json::Value>,
    url: Option<serde_json::Value>,
    author: Option<serde_json::Value>,
}

fn scalar(value: Option<serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Array(items) => items.into_iter().find_map(|i| scalar(Some(i))),
        _ => None,
    }
}

/// A Markdown article: optional YAML front matter (title, date, url, author), then
/// paragraphs, `#` headings, list items and block quotes. Markdown syntax that readers do
/// not see (emphasis markers, link targets, images) is removed.
pub(super) fn read_markdown(text: &str) -> (Meta, Vec<Block>) {
    let (mut meta, body) = front_matter(text.trim_start_matches('\u{feff}'));
    let mut blocks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let flush = |current: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !current.is_empty() {
            blocks.push(Block::paragraph(current.join("\n")));
            current.clear();
        }
    };
    let mut in_code = false;
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            flush(&mut current, &mut blocks);
            continue;
        }
        if in_code {
            continue;
        }
        if trimmed.is_empty() || is_rule(trimmed) {
            flush(&mut current, &mut blocks);
        } else if let Some(heading) = heading(trimmed) {
            flush(&mut current, &mut blocks);
            if meta.title.is_none() && blocks.is_empty() && trimmed.starts_with("# ") {
                meta.title = Some(strip_inline(heading));
            } else {
                blocks.push(Block::heading(strip_inline(heading)));
            }
        } else if let Some(item) = list_item(trimmed) {
            flush(&mut current, &mut blocks);
            current.push(strip_inline(item));
            flush(&mut current, &mut blocks);
        } else {
            let line = trimmed.trim_start_matches('>').trim();
            current.push(strip_inline(line));
        }
    }
    flush(&mut current, &mut blocks);
    (meta, blocks)
}

/// The metadata of YAML front matter, and the text after it.
fn front_matter(text: &str) -> (Meta, &str) {
    let (front, body) = split_front_matter(text);
    let mut meta = Meta::default();
    if let Some(front) = front {
        // Front matter that does not parse is ignored, not fatal: the body is still news.
        let parsed: FrontMatter = serde_saphyr::from_str(front).unwrap_or_default();
        meta.title = scalar(parsed.title);
        meta.published = scalar(parsed.date).and_then(|d| parse_published(&d));
        meta.url = scalar(parsed.url);
        meta.author = scalar(parsed.author);
    }
    (meta, body)
}

/// Splits `---` YAML front matter from the body. Only a block that opens the file counts;
/// a later `---` is a horizontal rule.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return (Some(&rest[..offset]), &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, text)
}

fn is_rule(line: &str) -> bool {
    line.len() >= 3
        && (line.chars().all(|c| c == '-' || c == ' ')
            || line.chars().all(|c| c == '*' || c == ' ')
            || line.chars().all(|c| c == '_' || c == ' '))
}

fn heading(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        Some(line[hashes..].trim().trim_end_matches('#').trim())
    } else {
        None
    }
}

fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ ", "• "] {
        if let Some(item) = line.strip_prefix(marker) {
            return Some(item.trim());
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        let rest = &line[digits..];
        if let Some(item) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(item.trim());
        }
    }
    None
}

/// Removes inline Markdown: images, link targets, emphasis and code markers.
fn strip_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // `![alt](src)` and `[text](href)`: keep the visible text only.
        if c == '!'
            && chars.get(i + 1) == Some(&'[')
            && let Some(end) = link_end(&chars, i + 1)
        {
            i = end;
            continue;
        }
        if c == '['
            && let Some(close) = chars[i..].iter().position(|&c| c == ']').map(|p| p + i)
            && chars.get(close + 1) == Some(&'(')
            && let Some(end) = chars[close..]
                .iter()
                .position(|&c| c == ')')
                .map(|p| p + close)
        {
            out.extend(&chars[i + 1..close]);
            i = end + 1;
            continue;
        }
        let emphasis = c == '*' || c == '`' || (c == '_' && chars.get(i + 1) == Some(&'_'));
        if emphasis {
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn link_end(chars: &[char], open: usize) -> Option<usize> {
    let close = chars[open..].iter().position(|&c| c == ']')? + open;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    Some(chars[close..].iter().position(|&c| c == ')')? + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::BlockKind;

    /// The former two-pass `paragraphs`, the rule as first written.
    fn paragraphs_as_written(text: &str) -> Vec<Block> {
        let has_blank_lines = text.trim().lines().any(|line| line.trim().is_empty());
        if !has_blank_lines {
            return text
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(Block::paragraph)
                .collect();
        }
        let mut blocks = Vec::new();
        let mut current: Vec<&str> = Vec::new();
        for line in text.lines() {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    blocks.push(Block::paragraph(current.join("\n")));
                    current.clear();
                }
            } else {
                current.push(line);
            }
        }
        if !current.is_empty() {
            blocks.push(Block::paragraph(current.join("\n")));
        }
        blocks
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        #[test]
        fn paragraphs_as_the_rule_says(text in "[ab \t\r\n]{0,40}") {
            let got: Vec<String> = paragraphs(&text).into_iter().map(|b| b.text).collect();
            let want: Vec<String> =
                paragraphs_as_written(&text).into_iter().map(|b| b.text).collect();
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn lines_as_str_lines(text in "[a\r\n]{0,20}") {
            let got: Vec<&str> = lines(&text).collect();
            let want: Vec<&str> = text.lines().collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn text_title_line() {
        let (meta, blocks) =
            read_text("Dam fails in Belozar\n\nThe dam failed.\nWater rose.\n\nMore.");
        assert_eq!(meta.title.as_deref(), Some("Dam fails in Belozar"));
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].text, "The dam failed.\nWater rose.");
    }

    #[test]
    fn text_with_front_matter() {
        let (meta, blocks) =
            read_text("---\ntitle: \"Talks\"\ndate: 2025-11-20\n---\n\nThe team met.\n");
        assert_eq!(meta.title.as_deref(), Some("Talks"));
        assert!(meta.published.is_some());
        assert_eq!(blocks, vec![Block::paragraph("The team met.")]);
    }

    #[test]
    fn text_without_title_or_blank_lines() {
        let (meta, blocks) = read_text("\nThe dam failed on Wednesday.\nWater rose.\n");
        assert_eq!(meta.title, None);
        assert_eq!(blocks.len(), 2);
        let (meta, _) = read_text("The dam failed on Wednesday.\n\nWater rose.");
        assert_eq!(meta.title, None, "a sentence is not a title");
    }

    #[test]
    fn markdown_front_matter_and_headings() {
        let md = "---\ntitle: \"New: talks\"\ndate: 2025-11-20T02:32:13\nauthor: \"badely\"\nurl: https://x.example/a\ntags: []\n---\n\n## Background\n\nThe **team** met [officials](https://x.example) in Kyiv.\n\n- One item\n\n---\n\nLast line.\n";
        let (meta, blocks) = read_markdown(md);
        assert_eq!(meta.title.as_deref(), Some("New: talks"));
        assert_eq!(meta.author.as_deref(), Some("badely"));
        assert_eq!(meta.url.as_deref(), Some("https://x.example/a"));
        assert_eq!(
            meta.published.expect("date").to_string(),
            "2025-11-20T02:32:13+00:00[UTC]"
        );
        assert_eq!(blocks[0], Block::heading("Background"));
        assert_eq!(blocks[1].text, "The team met officials in Kyiv.");
        assert_eq!(blocks[2].text, "One item");
        assert_eq!(blocks[3].text, "Last line.");
        assert!(blocks[1..].iter().all(|b| b.kind == BlockKind::Paragraph));
    }

    #[test]
    fn broken_front_matter_keeps_the_body() {
        let (meta, blocks) = read_markdown("---\ntitle: [unclosed\n---\nBody text here.\n");
        assert_eq!(meta.title, None);
        assert_eq!(blocks, vec![Block::paragraph("Body text here.")]);
    }
}
