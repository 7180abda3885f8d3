//! HTML pages: the article's main text by readability (`dom_smoothie`, a port of Mozilla's
//! readability.js), its blocks read off the extracted DOM, and the metadata from meta tags
//! and JSON-LD.
//!
//! Readability's own `text_content` squashes paragraphs together, so we walk the extracted
//! article's DOM ourselves and keep paragraphs, headings and list items as blocks.

use dom_query::{Document as Dom, NodeRef};
use dom_smoothie::{Config, Readability};

use super::{Meta, parse_published};
use crate::normalize::Block;

/// What a page yields: its metadata and article blocks, or why it has no article.
pub(super) fn extract(html: &str) -> Result<(Meta, Vec<Block>), String> {
    // Readability's work grows with the square of the tree's depth, and the block walk
    // below recurses once per level: both need the depth bounded before parsing.
    let html = super::flatten::flatten(html);
    let dom = Dom::from(html.as_ref());
    let mut meta = page_meta(&dom);
    let config = Config {
        max_elements_to_parse: 0,
        ..Config::default()
    };
    let mut readability = Readability::with_document(dom, None, Some(config))
        .map_err(|error| format!("HTML could not be parsed: {error}"))?;
    let article = readability
        .parse()
        .map_err(|_| "HTML page with no article body".to_string())?;
    if meta.title.is_none() && !article.title.trim().is_empty() {
        meta.title = Some(article.title.trim().to_string());
    }
    if meta.published.is_none() {
        meta.published = article.published_time.as_deref().and_then(parse_published);
    }
    if meta.author.is_none() {
        meta.author = article.byline.clone().filter(|b| !b.trim().is_empty());
    }
    let content = Dom::from(article.content.as_ref());
    let mut blocks = Vec::new();
    let mut inline = String::new();
    if let Some(root) = content.root().first_element_child() {
        walk(&root, &mut inline, &mut blocks);
    }
    flush(&mut inline, &mut blocks);
    let words: usize = blocks
        .iter()
        .map(|b| b.text.split_whitespace().count())
        .sum();
    if words < 20 {
        return Err("HTML page with no article body".to_string());
    }
    Ok((meta, blocks))
}

/// Title, date, canonical URL and author from meta tags, JSON-LD and `<time>`.
fn page_meta(dom: &Dom) -> Meta {
    let meta_content = |selector: &str| {
        dom.select(selector)
            .iter()
            .find_map(|node| node.attr("content").map(|c| c.trim().to_string()))
            .filter(|c| !c.is_empty())
    };
    let json_ld = json_ld(dom);
    let title = meta_content(r#"meta[property="og:title"]"#)
        .or_else(|| json_ld.as_ref().and_then(|ld| ld_string(ld, "headline")))
        .or_else(|| {
            let title = dom.select("title").text().trim().to_string();
            (!title.is_empty()).then_some(title)
        });
    let published = meta_content(r#"meta[property="article:published_time"]"#)
        .or_else(|| meta_content(r#"meta[name="article:published_time"]"#))
        .or_else(|| {
            json_ld
                .as_ref()
                .and_then(|ld| ld_string(ld, "datePublished"))
        })
        .or_else(|| meta_content(r#"meta[name="date"]"#))
        .or_else(|| meta_content(r#"meta[itemprop="datePublished"]"#))
        .or_else(|| {
            dom.select("time[datetime]")
                .iter()
                .find_map(|node| node.attr("datetime").map(|d| d.to_string()))
        })
        .and_then(|date| parse_published(&date));
    let url = dom
        .select(r#"link[rel="canonical"]"#)
        .iter()
        .find_map(|node| node.attr("href").map(|h| h.trim().to_string()))
        .filter(|h| !h.is_empty())
        .or_else(|| meta_content(r#"meta[property="og:url"]"#))
        .or_else(|| json_ld.as_ref().and_then(|ld| ld_string(ld, "url")));
    let author = meta_content(r#"meta[name="author"]"#).or_else(|| {
        json_ld.as_ref().and_then(|ld| match ld.get("author") {
            Some(serde_json::Value::String(name)) => Some(name.clone()),
            Some(serde_json::Value::Object(obj)) => {
                obj.get("name").and_then(|n| n.as_str()).map(str::to_string)
            }
            Some(serde_json::Value::Array(list)) => list.iter().find_map(|a| {
                a.get("name")
                    .and_then(|n| n.as_str())
                    .or(a.as_str())
                    .map(str::to_string)
            }),
            _ => None,
        })
    });
    Meta {
        title,
        published,
        url,
        author,
    }
}

/// The first JSON-LD object that describes an article (or the first object at all).
fn json_ld(dom: &Dom) -> Option<serde_json::Value> {
    let mut candidates = Vec::new();
    for script in dom.select(r#"script[type="application/ld+json"]"#).iter() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(script.text().trim()) else {
            continue;
        };
        match value {
            serde_json::Value::Array(items) => candidates.extend(items),
            serde_json::Value::Object(ref obj) if obj.contains_key("@graph") => {
                if let Some(serde_json::Value::Array(items)) = obj.get("@graph") {
                    candidates.extend(items.iter().cloned());
                }
            }
            other => candidates.push(other),
        }
    }
    let is_article = |value: &serde_json::Value| {
        value
            .get("@type")
            .map(|t| t.to_string().contains("Article"))
            .unwrap_or(false)
    };
    candidates
        .iter()
        .find(|v| is_article(v))
        .or(candidates.first())
        .cloned()
}

fn ld_string(ld: &serde_json::Value, key: &str) -> Option<String> {
    ld.get(key)
        .and_then(|v| v.as_str())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Elements whose text is never article prose.
const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "nav",
    "aside",
    "footer",
    "form",
    "button",
    "figcaption",
    "svg",
    "iframe",
    "template",
    "select",
    "input",
    "label",
];

/// Elements that start a new block.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

fn walk(node: &NodeRef, inline: &mut String, blocks: &mut Vec<Block>) {
    for child in node.children_it(false) {
        if child.is_text() {
            inline.push_str(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = child
            .node_name()
            .map(|n| n.to_lowercase())
            .unwrap_or_default();
        let name = name.as_str();
        if SKIP.contains(&name) {
            continue;
        }
        if name == "br" {
            inline.push('\n');
            continue;
        }
        if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            flush(inline, blocks);
            let text = child
                .text()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !text.is_empty() {
                blocks.push(Block::heading(text));
            }
        } else if BLOCK.contains(&name) {
            flush(inline, blocks);
            walk(&child, inline, blocks);
            flush(inline, blocks);
        } else {
            walk(&child, inline, blocks);
        }
    }
}

fn flush(inline: &mut String, blocks: &mut Vec<Block>) {
    if inline.split_whitespace().next().is_some() {
        // Line breaks inside a paragraph are layout; a <br> marks a real break, which the
        // normaliser judges line by line.
        blocks.push(Block::paragraph(inline.trim().to_string()));
    }
    inline.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head>
<title>Dam breach kills 14 | Daily Dispatch</title>
<meta property="og:title" content="Dam breach kills 14 in Belozar">
<meta property="article:published_time" content="2025-10-16T10:20:00+02:00">
<link rel="canonical" href="https://news.example/belozar-dam">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"LD headline","datePublished":"2025-10-15T00:00:00Z","author":{"name":"Ana Petrova"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie">We use cookies. <button>Accept</button></div>
<article>
<h1>Dam breach kills 14 in Belozar</h1>
<p>At least 14 people were killed when the Belozar dam failed on Wednesday, officials said.</p>
<p>About 1,200 residents were evacuated from the valley overnight, according to the regional governor, who called it the worst flood in decades.</p>
<h2>What happens next</h2>
<p>Engineers will inspect the remaining dams in the region this week, the ministry said in a statement on Thursday.</p>
</article>
<footer>© 2025 Daily Dispatch</footer>
</body></html>"#;

    #[test]
    fn reads_a_news_page() {
        let (meta, blocks) = extract(PAGE).expect("article");
        assert_eq!(
            meta.title.as_deref(),
            Some("Dam breach kills 14 in Belozar")
        );
        assert_eq!(
            meta.url.as_deref(),
            Some("https://news.example/belozar-dam")
        );
        assert_eq!(meta.author.as_deref(), Some("Ana Petrova"));
        let published = meta.published.expect("date");
        assert_eq!(published.to_string(), "2025-10-16T10:20:00+02:00[+02:00]");
        // Readability keeps a cookie notice on a short page; the normaliser removes it.
        let blocks = crate::normalize::normalize_blocks(blocks);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(
            texts.iter().any(|t| t.starts_with("At least 14 people")),
            "{texts:?}"
        );
        assert!(blocks.iter().any(
            |b| b.kind == crate::normalize::BlockKind::Heading && b.text == "What happens next"
        ));
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("cookies") || t.contains("Home")),
            "{texts:?}"
        );
    }

    #[test]
    fn the_share_bar_is_not_article_text() {
        let page = PAGE.replace(
            "<h1>Dam breach kills 14 in Belozar</h1>",
            "<h1>Dam breach kills 14 in Belozar</h1>\n<div class=\"share\"><a href=\"#\">Share on \
             Facebook</a> · <a href=\"#\">Share on X</a> · <button>Copy link</button></div>\n\
             <p>Share on Facebook · Share on X · Copy link</p>",
        );
        let (_, blocks) = extract(&page).expect("article");
        let blocks = crate::normalize::normalize_blocks(blocks);
        assert!(
            blocks.iter().all(|b| !b.text.contains("Share on")),
            "{blocks:?}"
        );
        assert!(
            blocks
                .iter()
                .any(|b| b.text.starts_with("At least 14 people"))
        );
    }

    #[test]
    fn two_hundred_thousand_nested_divs_read_at_the_depth_cap() {
        let n = 200_000;
        let page = format!(
            "<html><body>{}<p>{}</p>{}</body></html>",
            "<div>".repeat(n),
            "The river rose above the dam in the night and the town was evacuated. ".repeat(3),
            "</div>".repeat(n)
        );
        let (_, blocks) = extract(&page).expect("article");
        assert!(blocks[0].text.starts_with("The river rose"), "{blocks:?}");
    }

    #[test]
    fn page_without_article_is_an_error() {
        let html =
            "<html><head><title>Login</title></head><body><form><input></form></body></html>";
        assert_eq!(extract(html).unwrap_err(), "HTML page with no article body");
    }
}
