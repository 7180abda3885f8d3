//! The terminal report of `stemma analyze` and `stemma compare`.
//!
//! Per story: the original and why it was chosen, the lineage as a tree with each
//! version's derivation and figures, then the drift, most serious first, each item with
//! the two sentences one above the other and the changed words marked. Long lines wrap
//! at [`TextOptions::width`] with a hanging indent. Without colour the marks are wdiff's
//! `[-removed-]` and `{+added+}`, so the report survives a pipe, a file and a
//! colour-blind reader; with colour they are red and green as well.
//!
//! The caller decides the width and whether to colour (the CLI: the terminal's width and
//! colour only on a terminal with `NO_COLOR` unset; 100 columns and no colour otherwise,
//! so redirected output does not depend on where it was run).

use std::io::{self, Write};
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use crate::analysis::{Comparison, StoryAnalysis, VersionDrift};
use crate::collate::Link;
use crate::drift::{Drift, DriftKind};
use crate::facts::Fact;
use crate::model::{Document, SentenceKind, Skipped, format_published};
use crate::report::diff::{self, CLOSE_ENOUGH, diff_words};
use crate::report::lineage_order;

/// How the text report is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// Columns to wrap at (at least 40 is used).
    pub width: usize,
    /// Whether to use ANSI colour and bold.
    pub color: bool,
}

impl Default for TextOptions {
    /// 100 columns, no colour: the layout of redirected output.
    fn default() -> TextOptions {
        TextOptions {
            width: 100,
            color: false,
        }
    }
}

/// How a piece of text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Bold,
    Dim,
    /// Words of the source the version does not carry.
    Removed,
    /// Words of the version the source does not have.
    Added,
    /// A whole sentence the version cut (a line of its own: no brackets needed).
    Cut,
    /// A whole sentence the version added.
    New,
    /// A drift kind label.
    Kind(DriftKind),
}

impl Style {
    fn ansi(self) -> &'static str {
        match self {
            Style::Plain => "",
            Style::Bold => "\x1b[1m",
            Style::Dim => "\x1b[2m",
            Style::Removed => "\x1b[1;31m",
            Style::Added => "\x1b[1;32m",
            Style::Cut => "\x1b[31m",
            Style::New => "\x1b[32m",
            Style::Kind(DriftKind::Changed) => "\x1b[1;31m",
            Style::Kind(DriftKind::Added) => "\x1b[1;35m",
            Style::Kind(DriftKind::Dropped) => "\x1b[1;33m",
        }
    }

    /// The brackets shown around a run when there is no colour.
    fn brackets(self) -> (&'static str, &'static str) {
        match self {
            Style::Removed => ("[-", "-]"),
            Style::Added => ("{+", "+}"),
            _ => ("", ""),
        }
    }
}

/// Writes styled pieces, wrapping them into lines.
struct Printer<'w> {
    out: &'w mut dyn Write,
    options: TextOptions,
}

impl Printer<'_> {
    fn width(&self) -> usize {
        self.options.width.max(40)
    }

    fn paint(&self, text: &str, style: Style) -> String {
        if self.options.color && style != Style::Plain {
            format!("{}{text}\x1b[0m", style.ansi())
        } else {
            text.to_string()
        }
    }

    /// Writes one line as given (no wrapping).
    fn line(&mut self, pieces: &[(&str, Style)]) -> io::Result<()> {
        let mut line = String::new();
        for (text, style) in pieces {
            line.push_str(&self.paint(text, *style));
        }
        writeln!(self.out, "{}", line.trim_end())
    }

    fn blank(&mut self) -> io::Result<()> {
        writeln!(self.out)
    }

    /// Writes `pieces` wrapped at the width: the first line starts with `first`, the
    /// following ones with `rest` (both plain). Runs of white space become one space;
    /// words never break, and a word wider than the line stands alone on it.
    fn wrap(&mut self, first: &str, rest: &str, pieces: &[(&str, Style)]) -> io::Result<()> {
        // Each word is a list of styled segments ("2009," is a marked "2009" and a plain
        // ","). Without colour a marked run gets its brackets before its first and after
        // its last character, so a run broken across lines reads `[-Deputy` … `Interior-]`.
        let mut words: Vec<Vec<(String, Style)>> = Vec::new();
        let mut current: Vec<(String, Style)> = Vec::new();
        let push = |word: &mut Vec<(String, Style)>, text: &str, style: Style| match word.last_mut()
        {
            Some((last, last_style)) if *last_style == style => last.push_str(text),
            _ => word.push((text.to_string(), style)),
        };
        for (text, style) in pieces {
            let (open, close) = if self.options.color {
                ("", "")
            } else {
                style.brackets()
            };
            let mut opened = false;
            for c in text.chars() {
                if c.is_whitespace() {
                    if !current.is_empty() {
                        words.push(std::mem::take(&mut current));
                    }
                    continue;
                }
                if !opened {
                    push(&mut current, open, *style);
                    opened = true;
                }
                push(&mut current, c.encode_utf8(&mut [0; 4]), *style);
            }
            if opened {
                match words.last_mut() {
                    Some(last) if current.is_empty() => push(last, close, *style),
                    _ => push(&mut current, close, *style),
                }
            }
        }
        if !current.is_empty() {
            words.push(current);
        }
        let width = self.width();
        // The line being filled, as styled segments (same-style neighbours merged, so a
        // marked run is painted once, spaces included).
        let mut line: Vec<(String, Style)> = vec![(first.to_string(), Style::Plain)];
        let mut used = first.width();
        let mut line_has_words = false;
        for word in words {
            let word_width: usize = word.iter().map(|(text, _)| text.width()).sum();
            if line_has_words && used + 1 + word_width > width {
                self.flush_line(&line)?;
                line = vec![(rest.to_string(), Style::Plain)];
                used = rest.width();
                line_has_words = false;
            }
            if line_has_words {
                let joins = line.last().map(|(_, style)| *style) == word.first().map(|(_, s)| *s);
                let space_style = if joins { word[0].1 } else { Style::Plain };
                push_segment(&mut line, " ", space_style);
                used += 1;
            }
            used += word_width;
            for (text, style) in &word {
                push_segment(&mut line, text, *style);
            }
            line_has_words = true;
        }
        self.flush_line(&line)
    }

    fn flush_line(&mut self, segments: &[(String, Style)]) -> io::Result<()> {
        let mut line = String::new();
        for (text, style) in segments {
            line.push_str(&self.paint(text, *style));
        }
        writeln!(self.out, "{}", line.trim_end())
    }
}

fn push_segment(segments: &mut Vec<(String, Style)>, text: &str, style: Style) {
    match segments.last_mut() {
        Some((last, last_style)) if *last_style == style => last.push_str(text),
        _ => segments.push((text.to_string(), style)),
    }
}

/// Cuts `text` to at most `width` columns, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        cut.push(c);
        used += w;
    }
    cut.push('…');
    cut
}

/// Pads `text` with spaces to `width` columns (left-aligned).
fn pad(text: &str, width: usize) -> String {
    let fitted = fit(text, width);
    let padding = width.saturating_sub(fitted.width());
    format!("{fitted}{}", " ".repeat(padding))
}

fn percent(value: f32) -> String {
    format!("{:.0}%", 100.0 * value)
}

/// Writes the analyze report as text.
pub fn write_report(
    out: &mut dyn Write,
    corpus: &[Document],
    skipped: &[Skipped],
    stories: &[StoryAnalysis],
    options: &TextOptions,
) -> io::Result<()> {
    let mut printer = Printer {
        out,
        options: *options,
    };
    let multi: Vec<&StoryAnalysis> = stories.iter().filter(|s| s.documents.len() > 1).collect();
    let singles: Vec<&StoryAnalysis> = stories.iter().filter(|s| s.documents.len() == 1).collect();
    for story in &multi {
        write_story(&mut printer, corpus, story)?;
    }
    if !singles.is_empty() {
        printer.line(&[("Single-version stories", Style::Bold)])?;
        let width = printer.width();
        let id_width = singles
            .iter()
            .map(|s| s.id.width())
            .max()
            .unwrap_or(2)
            .max(2);
        let doc_width = singles
            .iter()
            .map(|s| corpus[s.original].id.width())
            .max()
            .unwrap_or(8)
            .clamp(8, 28);
        for story in &singles {
            let document = &corpus[story.original];
            let title_width = width.saturating_sub(2 + id_width + 2 + doc_width + 2);
            let title = document.title.as_deref().unwrap_or("");
            let drift = if story.drift.is_empty() {
                String::new()
            } else {
                format!(" ({} drift)", story.drift.len())
            };
            printer.line(&[
                ("  ", Style::Plain),
                (&pad(&story.id, id_width), Style::Dim),
                ("  ", Style::Plain),
                (&pad(&document.id, doc_width), Style::Plain),
                ("  ", Style::Plain),
                (&fit(&format!("{title}{drift}"), title_width), Style::Plain),
            ])?;
        }
        printer.blank()?;
    }
    if !skipped.is_empty() {
        printer.line(&[("Skipped inputs", Style::Bold)])?;
        for skip in skipped {
            printer.wrap(
                "  ",
                "      ",
                &[
                    (&skip.source, Style::Plain),
                    (": ", Style::Plain),
                    (&skip.reason, Style::Dim),
                ],
            )?;
        }
        printer.blank()?;
    }
    let versions: usize = stories.iter().map(|s| s.documents.len()).sum();
    let drift: usize = stories.iter().map(|s| s.drift.len()).sum();
    let summary = format!(
        "{} {} ({} with several versions), {} {}, {} drift {}, {} skipped {}",
        stories.len(),
        plural(stories.len(), "story", "stories"),
        multi.len(),
        versions,
        plural(versions, "version", "versions"),
        drift,
        plural(drift, "item", "items"),
        skipped.len(),
        plural(skipped.len(), "input", "inputs"),
    );
    printer.wrap("", "  ", &[(&summary, Style::Bold)])
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn write_story(
    printer: &mut Printer,
    corpus: &[Document],
    story: &StoryAnalysis,
) -> io::Result<()> {
    let original = &corpus[story.original];
    let width = printer.width();
    let heading = format!(
        "── Story {} · {} versions · {} drift {} ",
        story.id,
        story.documents.len(),
        story.drift.len(),
        plural(story.drift.len(), "item", "items")
    );
    let rule = "─".repeat(width.saturating_sub(heading.width()));
    printer.line(&[(&heading, Style::Bold), (&rule, Style::Dim)])?;
    if let Some(title) = &original.title {
        printer.wrap("", "", &[(title, Style::Bold)])?;
    }
    let mut original_line = original.id.clone();
    if let Some(published) = &original.published {
        original_line.push_str(", published ");
        original_line.push_str(&format_published(published));
    }
    printer.wrap(
        "  Original  ",
        "            ",
        &[(&original_line, Style::Plain)],
    )?;
    printer.wrap(
        "  Why       ",
        "            ",
        &[(&story.original_reason, Style::Plain)],
    )?;
    printer.blank()?;
    write_lineage(printer, corpus, story)?;
    printer.blank()?;
    if story.drift.is_empty() {
        printer.line(&[(
            "  No drift: every version agrees with its source on every fact checked.",
            Style::Plain,
        )])?;
    } else {
        printer.line(&[("Drift, most serious first", Style::Bold)])?;
        for (n, item) in drift_by_severity(&story.drift).into_iter().enumerate() {
            write_drift_item(
                printer,
                n + 1,
                &item.drift,
                &corpus[item.against],
                &corpus[item.document],
            )?;
        }
    }
    printer.blank()
}

/// The story's drift, most serious first (ties keep the analysis order).
fn drift_by_severity(drift: &[VersionDrift]) -> Vec<&VersionDrift> {
    let mut items: Vec<&VersionDrift> = drift.iter().collect();
    items.sort_by(|a, b| b.drift.severity.total_cmp(&a.drift.severity));
    items
}

/// One line of the lineage table.
struct LineageRow {
    label: String,
    derivation: &'static str,
    figures: Option<(f32, f32, f32)>,
    drift: usize,
    published: String,
}

/// The lineage table's rows in tree order, each label drawn with its branch.
fn lineage_rows(corpus: &[Document], story: &StoryAnalysis) -> Vec<LineageRow> {
    let mut rows = Vec::new();
    // Whether the ancestor at each depth was the last of its siblings: below a last
    // child the tree has no more vertical line to draw.
    let mut lasts: Vec<bool> = Vec::new();
    for entry in lineage_order(corpus, story) {
        lasts.truncate(entry.depth);
        let mut label = String::new();
        for &ancestor_last in lasts.iter().skip(1) {
            label.push_str(if ancestor_last { "   " } else { "│  " });
        }
        if entry.depth > 0 {
            label.push_str(if entry.last { "└─ " } else { "├─ " });
        }
        lasts.push(entry.last);
        let document = entry.document;
        let Some(version) = story.versions.iter().find(|v| v.document == document) else {
            continue;
        };
        let is_original = document == story.original && version.derived_from.is_none();
        label.push_str(&corpus[document].id);
        rows.push(LineageRow {
            label,
            derivation: version.derivation.as_str(),
            figures: (!is_original).then_some((
                version.summary.similarity,
                version.summary.coverage,
                version.summary.novelty,
            )),
            drift: story
                .drift
                .iter()
                .filter(|d| d.document == document)
                .count(),
            published: corpus[document]
                .published
                .as_ref()
                .map(|p| format_published(p).chars().take(10).collect())
                .unwrap_or_default(),
        });
    }
    rows
}

fn write_lineage(
    printer: &mut Printer,
    corpus: &[Document],
    story: &StoryAnalysis,
) -> io::Result<()> {
    let rows = lineage_rows(corpus, story);
    let width = printer.width();
    let with_dates = width >= 96 && rows.iter().any(|r| !r.published.is_empty());
    // indent, derivation, similarity, coverage, novelty, drift (and date), with gaps.
    let fixed = 2 + 13 + 7 + 7 + 7 + 6 + if with_dates { 12 } else { 0 };
    let needed = rows
        .iter()
        .map(|r| r.label.width())
        .max()
        .unwrap_or(7)
        .max(7);
    let label_width = needed.min(width.saturating_sub(fixed).max(12));
    let mut header = format!(
        "  {} {:<12} {:>6} {:>6} {:>6} {:>5}",
        pad("lineage", label_width),
        "derivation",
        "simil.",
        "cover.",
        "novel.",
        "drift"
    );
    if with_dates {
        header.push_str("  published");
    }
    printer.line(&[(&header, Style::Dim)])?;
    for row in rows {
        let (similarity, coverage, novelty) = match row.figures {
            Some((s, c, n)) => (format!("{s:.2}"), percent(c), percent(n)),
            None => ("—".into(), "—".into(), "—".into()),
        };
        let figures = format!(
            " {:<12} {similarity:>6} {coverage:>6} {novelty:>6} ",
            row.derivation
        );
        let drift = format!("{:>5}", row.drift);
        let date = if with_dates {
            format!("  {}", row.published)
        } else {
            String::new()
        };
        printer.line(&[
            ("  ", Style::Plain),
            (&pad(&row.label, label_width), Style::Plain),
            (&figures, Style::Plain),
            (
                &drift,
                if row.drift > 0 {
                    Style::Bold
                } else {
                    Style::Dim
                },
            ),
            (&date, Style::Dim),
        ])?;
    }
    Ok(())
}

/// The byte range of a fact in its sentence.
fn fact_range(fact: &Fact) -> Range<usize> {
    fact.span.0..fact.span.1
}

/// The marked ranges of a drift item's two sentences: the changed words when the
/// sentences read as an edit of each other, else the two facts themselves.
fn drift_marks(
    source: Option<(&str, &Fact)>,
    version: Option<(&str, &Fact)>,
) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    match (source, version) {
        (Some((source_text, source_fact)), Some((version_text, version_fact))) => {
            let diff = diff_words(source_text, version_text);
            if diff.common >= CLOSE_ENOUGH {
                let mut source_marks = diff.source;
                let mut version_marks = diff.version;
                for (marks, fact) in [
                    (&mut source_marks, source_fact),
                    (&mut version_marks, version_fact),
                ] {
                    let range = fact_range(fact);
                    if !marks
                        .iter()
                        .any(|m| m.start < range.end && range.start < m.end)
                    {
                        marks.push(range);
                    }
                }
                (source_marks, version_marks)
            } else {
                (
                    vec![fact_range(source_fact)],
                    vec![fact_range(version_fact)],
                )
            }
        }
        (Some((_, fact)), None) => (vec![fact_range(fact)], Vec::new()),
        (None, Some((_, fact))) => (Vec::new(), vec![fact_range(fact)]),
        (None, None) => (Vec::new(), Vec::new()),
    }
}

/// The runs of `text`, those inside `marks` marked.
fn marked_runs<'t>(text: &'t str, marks: &[Range<usize>]) -> Vec<diff::Run<'t>> {
    let marked: Vec<(Range<usize>, u8)> = marks.iter().map(|r| (r.clone(), 1)).collect();
    diff::runs(text, &marked)
}

/// The runs as printable pieces: marked ones in `style`, the rest plain.
fn styled<'t>(runs: &[diff::Run<'t>], style: Style) -> Vec<(&'t str, Style)> {
    runs.iter()
        .map(|run| (run.text, if run.marks == 0 { Style::Plain } else { style }))
        .collect()
}

/// Writes a sentence with `marks` in `style`, wrapped under a label column.
fn write_quote(
    printer: &mut Printer,
    label: &str,
    label_width: usize,
    text: &str,
    marks: &[Range<usize>],
    style: Style,
) -> io::Result<()> {
    let runs = marked_runs(text, marks);
    let pieces = styled(&runs, style);
    let indent = " ".repeat(7 + label_width + 2);
    if label.width() > label_width {
        printer.line(&[("       ", Style::Plain), (label, Style::Dim)])?;
        printer.wrap(&indent, &indent, &pieces)
    } else {
        let first = format!("       {}  ", pad(label, label_width));
        printer.wrap(&first, &indent, &pieces)
    }
}

fn sentence_text(document: &Document, index: usize) -> &str {
    document
        .sentences
        .get(index)
        .map(|s| s.text.as_str())
        .unwrap_or("")
}

/// Writes one numbered drift item: kind, fact kind, who against whom, the explanation,
/// then the source's sentence above the version's, the changed words marked.
fn write_drift_item(
    printer: &mut Printer,
    number: usize,
    item: &Drift,
    source: &Document,
    version: &Document,
) -> io::Result<()> {
    let number = format!("{number:>3}. ");
    printer.line(&[
        (&number, Style::Plain),
        (item.kind.as_str(), Style::Kind(item.kind)),
        (" ", Style::Plain),
        (item.fact_kind.as_str(), Style::Bold),
        (" · ", Style::Dim),
        (&version.id, Style::Plain),
        (" against ", Style::Dim),
        (&source.id, Style::Plain),
    ])?;
    printer.wrap("       ", "       ", &[(&item.explanation, Style::Plain)])?;
    let source_side = item
        .source
        .as_ref()
        .map(|f| (sentence_text(source, f.sentence), f));
    let version_side = item
        .version
        .as_ref()
        .map(|f| (sentence_text(version, f.sentence), f));
    let (source_marks, version_marks) = drift_marks(source_side, version_side);
    let source_label = item
        .source
        .as_ref()
        .map(|f| format!("{} [{}]", source.id, f.sentence));
    let version_label = item
        .version
        .as_ref()
        .map(|f| format!("{} [{}]", version.id, f.sentence));
    let label_width = [&source_label, &version_label]
        .iter()
        .filter_map(|l| l.as_ref().map(|l| l.width()))
        .max()
        .unwrap_or(0)
        .min(24);
    if let (Some(label), Some((text, _))) = (&source_label, source_side) {
        write_quote(
            printer,
            label,
            label_width,
            text,
            &source_marks,
            Style::Removed,
        )?;
    }
    if let (Some(label), Some((text, _))) = (&version_label, version_side) {
        write_quote(
            printer,
            label,
            label_width,
            text,
            &version_marks,
            Style::Added,
        )?;
    }
    Ok(())
}

/// Writes the compare report as text: the derivation and figures, the drift (most serious
/// first), then the collation: every version sentence under the source sentences it is
/// aligned with, the changed words marked, and the source sentences the version cut.
pub fn write_compare(
    out: &mut dyn Write,
    source: &Document,
    version: &Document,
    comparison: &Comparison,
    options: &TextOptions,
) -> io::Result<()> {
    let mut printer = Printer {
        out,
        options: *options,
    };
    let pair = &comparison.pair;
    let width = printer.width();
    let heading = format!("── {} held against {} ", version.id, source.id);
    let rule = "─".repeat(width.saturating_sub(heading.width()));
    printer.line(&[(&heading, Style::Bold), (&rule, Style::Dim)])?;
    let figures = format!(
        "derivation {}, similarity {:.2}, coverage {}, novelty {}",
        comparison.derivation.as_str(),
        pair.summary.similarity,
        percent(pair.summary.coverage),
        percent(pair.summary.novelty)
    );
    printer.wrap("  ", "  ", &[(&figures, Style::Plain)])?;
    let consistent = format!(
        "consistent: {} ({})",
        if comparison.consistent() { "yes" } else { "no" },
        comparison.consistency_reason()
    );
    printer.line(&[("  ", Style::Plain), (&consistent, Style::Bold)])?;
    printer.blank()?;
    if comparison.drift.is_empty() {
        printer.line(&[(
            "  No drift: every fact of the version agrees with the source.",
            Style::Plain,
        )])?;
    } else {
        printer.line(&[("Drift, most serious first", Style::Bold)])?;
        let mut items: Vec<&Drift> = comparison.drift.iter().collect();
        items.sort_by(|a, b| b.severity.total_cmp(&a.severity));
        for (n, item) in items.into_iter().enumerate() {
            write_drift_item(&mut printer, n + 1, item, source, version)?;
        }
    }
    printer.blank()?;
    printer.line(&[
        ("Collation ", Style::Bold),
        (
            "(= verbatim, ~ edited or reworded, - cut from the source, + added by the version)",
            Style::Dim,
        ),
    ])?;
    for row in diff::rows(source, version, &pair.links) {
        write_row(&mut printer, source, version, &pair.links, &row)?;
    }
    Ok(())
}

/// Writes one row of the compare collation.
fn write_row(
    printer: &mut Printer,
    source: &Document,
    version: &Document,
    links: &[Link],
    row: &diff::Row,
) -> io::Result<()> {
    let source_text: Vec<&str> = row
        .source
        .iter()
        .map(|&i| sentence_text(source, i))
        .collect();
    let joined_source = source_text.join(" ");
    let indices = |list: &[usize]| {
        list.iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    match row.version {
        None => {
            let heading = row
                .source
                .iter()
                .all(|&i| source.sentences[i].kind == SentenceKind::Heading);
            let label = format!(
                "{} [{}]",
                if heading { "#" } else { "-" },
                indices(&row.source)
            );
            let first = format!("  {}  ", pad(&label, 8));
            let style = if heading { Style::Dim } else { Style::Cut };
            printer.wrap(&first, "            ", &[(&joined_source, style)])
        }
        Some(j) => {
            let text = sentence_text(version, j);
            let row_links: Vec<&Link> = row.links.iter().map(|&l| &links[l]).collect();
            if row_links.is_empty() {
                let heading = version.sentences[j].kind == SentenceKind::Heading;
                let label = format!("{} [{j}]", if heading { "#" } else { "+" });
                let first = format!("  {}  ", pad(&label, 8));
                let style = if heading { Style::Dim } else { Style::New };
                return printer.wrap(&first, "            ", &[(text, style)]);
            }
            let verbatim = row_links
                .iter()
                .all(|l| l.kind == crate::collate::AlignmentKind::Verbatim);
            let mut linked_sources: Vec<usize> = row_links.iter().map(|l| l.source).collect();
            linked_sources.sort_unstable();
            let mut note = row_links
                .iter()
                .map(|l| format!("{} {:.2}", l.kind.as_str(), l.score))
                .collect::<Vec<_>>()
                .join(", ");
            if row_links.iter().any(|l| l.numbers_differ) {
                note.push_str(", numbers differ");
            }
            if row_links.iter().any(|l| l.names_differ) {
                note.push_str(", names differ");
            }
            let label = format!(
                "{} [{}] → [{j}]",
                if verbatim { "=" } else { "~" },
                indices(&linked_sources)
            );
            printer.line(&[
                ("  ", Style::Plain),
                (&label, Style::Plain),
                ("  ", Style::Plain),
                (&note, Style::Dim),
            ])?;
            if verbatim {
                return printer.wrap("      ", "      ", &[(text, Style::Plain)]);
            }
            // The source side of a split sentence was shown with its first part.
            let source_side = if row.source.is_empty() {
                linked_sources
                    .iter()
                    .map(|&i| sentence_text(source, i))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                joined_source
            };
            let diff = diff_words(&source_side, text);
            let (source_marks, version_marks) = if diff.common >= CLOSE_ENOUGH {
                (diff.source, diff.version)
            } else {
                (Vec::new(), Vec::new())
            };
            write_marked(
                printer,
                "    - ",
                &source_side,
                &source_marks,
                Style::Removed,
            )?;
            write_marked(printer, "    + ", text, &version_marks, Style::Added)
        }
    }
}

fn write_marked(
    printer: &mut Printer,
    first: &str,
    text: &str,
    marks: &[Range<usize>],
    style: Style,
) -> io::Result<()> {
    let runs = marked_runs(text, marks);
    let pieces = styled(&runs, style);
    printer.wrap(first, "      ", &pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(options: TextOptions, pieces: &[(&str, Style)]) -> String {
        let mut out = Vec::new();
        let mut printer = Printer {
            out: &mut out,
            options,
        };
        printer.wrap("  > ", "    ", pieces).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn wraps_with_a_hanging_indent_within_the_width() {
        let text = "About 1,200 residents were evacuated from low-lying parts of Belozar and \
                    the nearby villages of Lozavka and Dubrets, according to the regional Civil \
                    Defence Service.";
        let options = TextOptions {
            width: 40,
            color: false,
        };
        let out = wrapped(options, &[(text, Style::Plain)]);
        for line in out.lines() {
            assert!(line.width() <= 40, "{line:?}");
        }
        assert!(out.starts_with("  > About"));
        assert!(out.lines().skip(1).all(|l| l.starts_with("    ")));
        let words: Vec<&str> = out.split_whitespace().filter(|w| *w != ">").collect();
        assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn marks_are_brackets_without_colour_and_ansi_with() {
        let pieces = [
            ("completed in ", Style::Plain),
            ("2009", Style::Removed),
            (", built", Style::Plain),
        ];
        let plain = wrapped(TextOptions::default(), &pieces);
        assert_eq!(plain, "  > completed in [-2009-], built\n");
        let coloured = wrapped(
            TextOptions {
                width: 100,
                color: true,
            },
            &pieces,
        );
        assert_eq!(coloured, "  > completed in \x1b[1;31m2009\x1b[0m, built\n");
    }

    #[test]
    fn a_run_broken_across_lines_keeps_its_brackets_at_its_ends() {
        let pieces = [
            ("said ", Style::Plain),
            ("Deputy Interior", Style::Removed),
            (" Minister", Style::Plain),
        ];
        let out = wrapped(
            TextOptions {
                width: 40,
                color: false,
            },
            &pieces,
        );
        assert_eq!(out, "  > said [-Deputy Interior-] Minister\n");
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(fit("paraphrase-repost", 10), "paraphras…");
        assert_eq!(fit("edit", 10), "edit");
        assert_eq!(pad("edit", 6), "edit  ");
    }

    /// A story of an original and an edit that changes a figure and cuts a sentence.
    fn edited_story() -> (Vec<Document>, Vec<StoryAnalysis>) {
        let original = "At least 14 people were killed after a dam burst above the town of \
            Belozar in Dravenia's Tesna valley, officials said on Thursday.\n\n\
            About 1,200 residents were evacuated from low-lying parts of Belozar and the nearby \
            villages of Lozavka and Dubrets, according to the regional Civil Defence Service.\n\n\
            Rescue teams worked through the night to pull survivors from flooded homes.\n\n\
            The dam, completed in 2009, was built to supply hydroelectric power and irrigation \
            water to the lower valley, its operator Dravenergo said.";
        let edit = original.replace("1,200", "2,100").replace(
            "Rescue teams worked through the night to pull survivors from flooded homes.\n\n",
            "",
        );
        let corpus = vec![
            crate::corpus::document_from_text("original", "original.txt", original).unwrap(),
            crate::corpus::document_from_text("edit-with-a-rather-long-name", "edit.txt", &edit)
                .unwrap(),
        ];
        let story = crate::analysis::analyze_story(
            "s1".into(),
            &corpus,
            &[0, 1],
            &crate::analysis::AnalyzeConfig::default(),
        );
        (corpus, vec![story])
    }

    #[test]
    fn the_report_fits_80_and_120_columns() {
        let (corpus, stories) = edited_story();
        let skipped = [Skipped::new(
            "broken.gz",
            "corrupt gzip stream after 12 bytes",
        )];
        for width in [80, 120] {
            let mut out = Vec::new();
            let options = TextOptions {
                width,
                color: false,
            };
            write_report(&mut out, &corpus, &skipped, &stories, &options).unwrap();
            let text = String::from_utf8(out).unwrap();
            for line in text.lines() {
                assert!(line.width() <= width, "wider than {width}: {line:?}");
            }
            assert!(text.contains("Skipped inputs"), "{text}");
            assert!(
                text.lines()
                    .last()
                    .unwrap()
                    .starts_with("1 story (1 with several versions), 2 versions"),
                "{text}"
            );
        }
    }

    #[test]
    fn colour_only_when_asked_for() {
        let (corpus, stories) = edited_story();
        let mut plain = Vec::new();
        write_report(&mut plain, &corpus, &[], &stories, &TextOptions::default()).unwrap();
        assert!(!plain.contains(&0x1b));
        let mut coloured = Vec::new();
        let options = TextOptions {
            width: 100,
            color: true,
        };
        write_report(&mut coloured, &corpus, &[], &stories, &options).unwrap();
        assert!(coloured.contains(&0x1b));
    }
}
