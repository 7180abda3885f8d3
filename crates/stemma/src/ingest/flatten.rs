//! A cheap pass over HTML source that bounds the depth of the tree an HTML parser will
//! build from it, before `dom_smoothie` sees the page.
//!
//! Readability's scoring walks ancestors and descendants of every node, so its work grows
//! with the square of the tree's depth: a 2 MB page of 200,000 nested `<div>`s kept it busy
//! for minutes. Browsers cap the depth and keep reading (Gecko at 200 levels, Blink at
//! 512): tags that would open an element deeper than the cap are dropped while their text
//! is kept, so the text lands in the deepest element allowed. This pass does the same on
//! the source text, tracking the open elements the way a tree builder does closely enough
//! for real pages: void elements and self-closing tags open nothing, an end tag closes the
//! nearest open element of its name (and those above it), a new `<p>`, `<li>`, `<td>`…
//! closes the unclosed one before it, and the contents of `<script>`, `<style>` and other
//! raw-text elements are not read as tags.
//!
//! The alternative, capping the depth inside the parsed DOM, was rejected: building the
//! deep tree is itself quadratic in html5ever (scope checks walk the stack of open
//! elements), so the bound has to hold before parsing.

use std::borrow::Cow;
use std::collections::HashMap;

/// The deepest element kept. Gecko's limit: far deeper than any article (news pages nest
/// 20 to 40 levels), shallow enough that extraction stays fast (200,000 nested `<div>`s,
/// flattened to this depth, read in well under a second).
pub(super) const MAX_DEPTH: usize = 200;

/// The work budget: the sum, over kept elements, of their depth. Readability walks each
/// element's ancestors, so this is what its work grows with; a page of 200,000 elements
/// each 200 deep (2.3 MB) stays within the depth cap and still took seconds. News pages
/// use a few hundred thousand (3,000 to 20,000 elements, 20 to 40 deep); past the budget
/// tags are dropped as beyond the cap, and the rest of the page is read as text.
pub(super) const MAX_DEPTH_SUM: u64 = 4_000_000;

/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is text up to their own end tag, never markup.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Elements that close a `<p>` left open before them.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "dd",
    "dt",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "plaintext",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "xmp",
];

/// Inline elements looked past when deciding whether a new `<li>` closes an open one
/// (`<li><b>one<li>two` closes both `b` and `li`, as the tree builder does).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "nobr", "s", "small", "span",
    "strike", "strong", "sub", "sup", "tt", "u",
];

/// How far down the stack an implied close looks: a bound that keeps each tag's work
/// constant whatever the nesting.
const IMPLIED_CLOSE_REACH: usize = 8;

/// The page with tags beyond [`MAX_DEPTH`] removed, or the page itself when none is.
pub(super) fn flatten(html: &str) -> Cow<'_, str> {
    let dropped = dropped_tags(html, MAX_DEPTH, MAX_DEPTH_SUM);
    if dropped.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut flat = String::with_capacity(html.len());
    let mut from = 0;
    for (start, end) in dropped {
        flat.push_str(&html[from..start]);
        from = end;
    }
    flat.push_str(&html[from..]);
    Cow::Owned(flat)
}

/// One open element: its name and whether its start tag was kept.
struct Open {
    name: String,
    kept: bool,
}

/// The tree builder's stack of open elements, as far as depth is concerned.
#[derive(Default)]
struct Stack {
    open: Vec<Open>,
    /// How many elements of each name are open: an end tag with nothing to close is
    /// ignored without a walk down the stack.
    count: HashMap<String, usize>,
    /// How many open elements were kept: the depth the parser will see.
    kept: usize,
}

impl Stack {
    fn push(&mut self, name: &str, kept: bool) {
        *self.count.entry(name.to_string()).or_insert(0) += 1;
        self.kept += usize::from(kept);
        self.open.push(Open {
            name: name.to_string(),
            kept,
        });
    }

    fn pop(&mut self) -> Option<Open> {
        let open = self.open.pop()?;
        if let Some(count) = self.count.get_mut(&open.name) {
            *count -= 1;
        }
        self.kept -= usize::from(open.kept);
        Some(open)
    }

    fn is_open(&self, name: &str) -> bool {
        self.count.get(name).is_some_and(|&count| count > 0)
    }

    /// Closes the nearest open `name` and everything above it; returns whether that
    /// element's start tag was kept, or `None` when none is open. Each element is popped
    /// once, so all end tags together cost linear time.
    fn close(&mut self, name: &str) -> Option<bool> {
        if !self.is_open(name) {
            return None;
        }
        while let Some(open) = self.pop() {
            if open.name == name {
                return Some(open.kept);
            }
        }
        None
    }

    /// Closes an open element of one of `names` if it sits near the top of the stack with
    /// nothing between that `stops` the search (the tree builder's scopes, simplified).
    fn close_implied(&mut self, names: &[&str], stops: fn(&str) -> bool) {
        let reach = self.open.iter().rev().take(IMPLIED_CLOSE_REACH);
        for (below_top, open) in reach.enumerate() {
            if names.contains(&open.name.as_str()) {
                for _ in 0..=below_top {
                    self.pop();
                }
                return;
            }
            if stops(&open.name) {
                return;
            }
        }
    }
}

/// What ends the search for an open `<p>` (the "button scope" of the HTML standard).
fn stops_p(name: &str) -> bool {
    matches!(
        name,
        "applet"
            | "caption"
            | "html"
            | "table"
            | "td"
            | "th"
            | "marquee"
            | "object"
            | "template"
            | "button"
    )
}

/// What ends the search for an open `<li>`, `<dt>` or `<dd>`.
fn stops_item(name: &str) -> bool {
    !INLINE.contains(&name) && !matches!(name, "address" | "div" | "p")
}

/// What ends the search for an open cell, row or option.
fn stops_cell(name: &str) -> bool {
    !INLINE.contains(&name)
}

/// Byte ranges of the tags to remove so that no element nests deeper than `max_depth`.
fn dropped_tags(html: &str, max_depth: usize, max_depth_sum: u64) -> Vec<(usize, usize)> {
    let bytes = html.as_bytes();
    let mut dropped = Vec::new();
    let mut depth_sum: u64 = 0;
    let mut stack = Stack::default();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            at = find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            at = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |end| start + end + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            at = start + 1;
            continue;
        }
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(bytes.len(), |len| name_start + len);
        let name = html[name_start..name_end].to_ascii_lowercase();
        let end = tag_end(bytes, name_end);
        if closing {
            if stack.close(&name) == Some(false) {
                dropped.push((start, end));
            }
            at = end;
            continue;
        }
        // HTML ignores `/>` on its own elements (`<div/>` opens a div that stays open); only
        // inside SVG and MathML does it close the element.
        let self_closing = end >= 2
            && bytes[end - 2] == b'/'
            && (stack.is_open("svg") || stack.is_open("math") || name == "svg" || name == "math");
        if name == "p" || CLOSES_P.contains(&name.as_str()) {
            stack.close_implied(&["p"], stops_p);
        }
        match name.as_str() {
            "li" => stack.close_implied(&["li"], stops_item),
            "dt" | "dd" => stack.close_implied(&["dt", "dd"], stops_item),
            "td" | "th" => stack.close_implied(&["td", "th"], stops_cell),
            "tr" => stack.close_implied(&["tr", "td", "th"], stops_cell),
            "option" => stack.close_implied(&["option"], stops_cell),
            _ => {}
        }
        let keep = stack.kept < max_depth && depth_sum < max_depth_sum;
        if keep {
            depth_sum += stack.kept as u64 + 1;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            // The content ends at the matching end tag; beyond the cap the element goes
            // whole, so a script's source never becomes article text.
            let close = find_end_tag(bytes, end, &name);
            let after = close.map_or(bytes.len(), |close| tag_end(bytes, close + 2));
            if !keep {
                dropped.push((start, after));
            }
            at = after;
            continue;
        }
        if !keep {
            dropped.push((start, end));
        }
        if !self_closing && !VOID.contains(&name.as_str()) {
            stack.push(&name, keep);
        }
        at = end;
    }
    dropped
}

/// The byte after the `>` that ends a tag whose name ends at `from`; quoted attribute
/// values may hold `>`.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (offset, &byte) in bytes[from..].iter().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if byte == open => quote = None,
            (None, b'>') => return from + offset + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|at| from + at)
}

/// Where `</name` (any case) starts, at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = memchr::memmem::find(bytes.get(at..)?, b"</") {
        let start = at + offset;
        let candidate = &bytes[start + 2..];
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && candidate
                .get(name.len())
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(html: &str) -> usize {
        let flat = flatten(html);
        let mut depth: usize = 0;
        let mut deepest = 0;
        for part in flat.split('<').skip(1) {
            if part.starts_with('/') {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
        deepest
    }

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><head><title>a<b></title><script>if (a<b) {}</script></head>\
                    <body><p>One<p>Two<ul><li>x<li><b>y<li>z</ul><br><img src='a>b'>\
                    <!-- <div> --><table><tr><td>1<td>2<tr><td>3</table></body></html>";
        assert!(matches!(flatten(page), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_at_the_cap_and_the_text_kept() {
        let n = 5000;
        let page = format!(
            "<html><body>{}<p>The deep text.</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let flat = flatten(&page);
        assert!(flat.contains("The deep text."));
        assert_eq!(depth_of(&flat), MAX_DEPTH);
        assert_eq!(
            flat.matches("<div>").count(),
            flat.matches("</div>").count()
        );
    }

    #[test]
    fn past_the_work_budget_the_page_is_read_as_text() {
        let chain = format!("{}<p>deep</p>{}", "<div>".repeat(199), "</div>".repeat(199));
        let page = chain.repeat(1000);
        let flat = flatten(&page);
        let kept = flat.matches("<div>").count() as u64;
        assert!(kept * 100 <= MAX_DEPTH_SUM + 200 * 200, "{kept}");
        assert_eq!(flat.matches("deep").count(), 1000);
    }

    #[test]
    fn self_closing_divs_nest_as_the_parser_nests_them() {
        let page = format!(
            "<html><body>{}<p>deep</p></body></html>",
            "<div/>".repeat(5000)
        );
        assert_eq!(depth_of(&flatten(&page)), MAX_DEPTH);
        let svg = format!("<svg>{}</svg>", "<path d='M0'/>".repeat(5000));
        assert!(matches!(flatten(&svg), Cow::Borrowed(_)));
    }

    #[test]
    fn unclosed_paragraphs_and_items_do_not_count_as_depth() {
        let page = format!(
            "<html><body>{}</body></html>",
            "<p>text <li>item ".repeat(2000)
        );
        assert!(matches!(flatten(&page), Cow::Borrowed(_)));
    }

    #[test]
    fn a_script_beyond_the_cap_goes_whole() {
        let page = format!("{}<script>var secret = 1;</script>", "<div>".repeat(300));
        let flat = flatten(&page);
        assert!(!flat.contains("secret"), "{}", &flat[flat.len() - 60..]);
    }

    #[test]
    fn unterminated_tags_and_comments_end_the_page() {
        for page in [
            "<div",
            "<div a='>",
            "<!-- x",
            "<script>x",
            "</",
            "<",
            "<<<>>>",
        ] {
            let _ = flatten(page);
        }
    }
}
