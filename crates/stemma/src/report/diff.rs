//! What the people-facing reports show of a collation: the words a version changed in a
//! sentence (the text report brackets them, `[-2009-]{+2019+}`; the HTML report highlights
//! them), and the rows of a side-by-side view of a version and its source ([`rows`]).
//!
//! Words are Unicode word boundaries (UAX #29, so "1,200" and "$1.5bn" stay whole),
//! compared case-insensitively with typographic quotes folded; the longest common
//! subsequence of words is what the two sentences share, everything else is changed.
//! Results are byte ranges into the two texts, with adjacent changed words merged so that
//! "Deputy Interior" is one mark, not two.
//!
//! ```
//! use stemma::report::diff::diff_words;
//! let diff = diff_words(
//!     "The dam, completed in 2009, failed.",
//!     "The dam, completed in 2019, failed.",
//! );
//! assert_eq!(diff.source, vec![22..26]);
//! assert_eq!(diff.version, vec![22..26]);
//! ```

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::collate::Link;
use crate::model::Document;

/// Above this many cells the LCS table is not built: the common prefix and suffix are kept
/// and the middle is marked changed as a whole. Sentences are far shorter; this guards
/// against a page that failed to split into sentences.
const MAX_TABLE_CELLS: usize = 1 << 20;

/// The changed words of a pair of sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct WordDiff {
    /// Byte ranges of the source's words that the version does not have.
    pub source: Vec<Range<usize>>,
    /// Byte ranges of the version's words that the source does not have.
    pub version: Vec<Range<usize>>,
    /// Share of words in common: the common subsequence over the longer sentence's
    /// word count, in 0..=1 (1 when both are empty).
    pub common: f32,
}

/// A word of a sentence: its byte range and its comparison key.
struct Word {
    range: Range<usize>,
    key: String,
}

fn words(text: &str) -> Vec<Word> {
    text.split_word_bound_indices()
        .filter(|(_, word)| !word.trim().is_empty())
        .map(|(start, word)| Word {
            range: start..start + word.len(),
            key: word
                .chars()
                .map(|c| match c {
                    '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
                    '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
                    other => other,
                })
                .flat_map(char::to_lowercase)
                .collect(),
        })
        .collect()
}

/// Which words of `a` and `b` belong to a longest common subsequence.
fn common_words(a: &[Word], b: &[Word]) -> (Vec<bool>, Vec<bool>) {
    let mut keep_a = vec![false; a.len()];
    let mut keep_b = vec![false; b.len()];
    let prefix = a.iter().zip(b).take_while(|(x, y)| x.key == y.key).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x.key == y.key)
        .count();
    for i in 0..prefix {
        keep_a[i] = true;
        keep_b[i] = true;
    }
    for i in 0..suffix {
        keep_a[a.len() - 1 - i] = true;
        keep_b[b.len() - 1 - i] = true;
    }
    let middle_a = &a[prefix..a.len() - suffix];
    let middle_b = &b[prefix..b.len() - suffix];
    let (n, m) = (middle_a.len(), middle_b.len());
    if n == 0 || m == 0 || (n + 1) * (m + 1) > MAX_TABLE_CELLS {
        return (keep_a, keep_b);
    }
    // lengths[i][j]: LCS length of middle_a[i..] and middle_b[j..].
    let width = m + 1;
    let mut lengths = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[i * width + j] = if middle_a[i].key == middle_b[j].key {
                lengths[(i + 1) * width + j + 1] + 1
            } else {
                lengths[(i + 1) * width + j].max(lengths[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if middle_a[i].key == middle_b[j].key {
            keep_a[prefix + i] = true;
            keep_b[prefix + j] = true;
            i += 1;
            j += 1;
        } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    (keep_a, keep_b)
}

/// Merges runs of changed words into byte ranges that span the space between them.
fn changed_ranges(words: &[Word], keep: &[bool]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut previous_changed = false;
    for (word, &kept) in words.iter().zip(keep) {
        if kept {
            previous_changed = false;
            continue;
        }
        match ranges.last_mut() {
            Some(last) if previous_changed => last.end = word.range.end,
            _ => ranges.push(word.range.clone()),
        }
        previous_changed = true;
    }
    ranges
}

/// The words `version` changed relative to `source`.
pub fn diff_words(source: &str, version: &str) -> WordDiff {
    let source_words = words(source);
    let version_words = words(version);
    let (keep_source, keep_version) = common_words(&source_words, &version_words);
    let shared = keep_source.iter().filter(|&&kept| kept).count();
    let longer = source_words.len().max(version_words.len());
    WordDiff {
        source: changed_ranges(&source_words, &keep_source),
        version: changed_ranges(&version_words, &keep_version),
        common: if longer == 0 {
            1.0
        } else {
            shared as f32 / longer as f32
        },
    }
}

/// Two sentences share enough words for their word diff to read as an edit; below this,
/// a reworded sentence would be marked almost whole and only the facts are worth marking.
pub const CLOSE_ENOUGH: f32 = 0.5;

/// A run of a text with the marks that apply to it (a bit set of the caller's choosing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run<'a> {
    /// The text of the run.
    pub text: &'a str,
    /// The union of the marks covering it; 0 for unmarked text.
    pub marks: u8,
}

/// Splits `text` into runs by the marked byte ranges (ranges off char boundaries or out of
/// bounds are ignored, so a stale span never panics).
pub fn runs<'a>(text: &'a str, marked: &[(Range<usize>, u8)]) -> Vec<Run<'a>> {
    let valid = |r: &Range<usize>| {
        r.start < r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (range, _) in marked.iter().filter(|(r, _)| valid(r)) {
        cuts.push(range.start);
        cuts.push(range.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut spans: Vec<(usize, usize, u8)> = Vec::new();
    for pair in cuts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        let marks = marked
            .iter()
            .filter(|(r, _)| valid(r) && r.start <= start && end <= r.end)
            .fold(0, |acc, (_, mark)| acc | mark);
        match spans.last_mut() {
            Some(last) if last.2 == marks => last.1 = end,
            _ => spans.push((start, end, marks)),
        }
    }
    spans
        .into_iter()
        .filter(|(start, end, _)| start < end)
        .map(|(start, end, marks)| Run {
            text: &text[start..end],
            marks,
        })
        .collect()
}

/// One row of a side-by-side collation of a source and a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Source sentences shown on this row: those the version sentence is aligned with
    /// (less any already shown on an earlier row, when one source sentence was split in
    /// two), or one source sentence the version does not carry.
    pub source: Vec<usize>,
    /// The version sentence, or `None` on a row of a cut source sentence.
    pub version: Option<usize>,
    /// Indices into the pair's links of the links of this row's version sentence.
    pub links: Vec<usize>,
}

/// Lays out a collation in the version's reading order: each version sentence beside the
/// source sentences it is aligned with, version sentences with no counterpart alone, and
/// each source sentence the version cut on a row of its own, just before the row of the
/// next source sentence the version carries.
pub fn rows(source: &Document, version: &Document, links: &[Link]) -> Vec<Row> {
    let n_source = source.sentences.len();
    let mut source_linked = vec![false; n_source];
    for link in links.iter().filter(|l| l.source < n_source) {
        source_linked[link.source] = true;
    }
    let mut shown = vec![false; n_source];
    let mut cut_cursor = 0;
    let mut rows = Vec::new();
    let mut show_cut_before = |end: usize, rows: &mut Vec<Row>, shown: &mut Vec<bool>| {
        while cut_cursor < end.min(n_source) {
            if !source_linked[cut_cursor] && !shown[cut_cursor] {
                shown[cut_cursor] = true;
                rows.push(Row {
                    source: vec![cut_cursor],
                    version: None,
                    links: Vec::new(),
                });
            }
            cut_cursor += 1;
        }
    };
    for j in 0..version.sentences.len() {
        let mut row_links: Vec<usize> = (0..links.len())
            .filter(|&l| links[l].version == j && links[l].source < n_source)
            .collect();
        row_links.sort_by_key(|&l| links[l].source);
        if let Some(&first) = row_links.first() {
            show_cut_before(links[first].source, &mut rows, &mut shown);
        }
        let mut row_source = Vec::new();
        for &l in &row_links {
            let i = links[l].source;
            if !shown[i] {
                shown[i] = true;
                row_source.push(i);
            }
        }
        rows.push(Row {
            source: row_source,
            version: Some(j),
            links: row_links,
        });
    }
    show_cut_before(n_source, &mut rows, &mut shown);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<&'a str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn a_changed_figure_is_the_only_mark() {
        let source = "About 1,200 residents were evacuated from Belozar.";
        let version = "About 2,100 residents were evacuated from Belozar.";
        let diff = diff_words(source, version);
        assert_eq!(marked(source, &diff.source), ["1,200"]);
        assert_eq!(marked(version, &diff.version), ["2,100"]);
        assert!(diff.common > 0.8);
    }

    #[test]
    fn adjacent_changed_words_merge() {
        let source = "said Deputy Interior Minister Pavel Zaretsky";
        let version = "said Minister Pavel Zaretsky";
        let diff = diff_words(source, version);
        assert_eq!(marked(source, &diff.source), ["Deputy Interior"]);
        assert!(diff.version.is_empty());
    }

    #[test]
    fn case_and_curly_quotes_are_not_changes() {
        let diff = diff_words(
            "Dravenia\u{2019}s “worst” flood",
            "dravenia's \"worst\" flood",
        );
        assert!(diff.source.is_empty() && diff.version.is_empty());
        assert_eq!(diff.common, 1.0);
    }

    #[test]
    fn identical_and_empty_sentences() {
        assert_eq!(diff_words("", "").common, 1.0);
        let added = "Several bridges were washed away.";
        let diff = diff_words("", added);
        assert_eq!(diff.version, vec![0..added.len()]);
        assert_eq!(diff.common, 0.0);
    }

    #[test]
    fn runs_cover_the_text_and_combine_marks() {
        let text = "completed in 2019, holding";
        let pieces = runs(text, &[(13..17, 1), (0..17, 2), (40..50, 4)]);
        let joined: String = pieces.iter().map(|r| r.text).collect();
        assert_eq!(joined, text);
        assert_eq!(
            pieces,
            vec![
                Run {
                    text: "completed in ",
                    marks: 2
                },
                Run {
                    text: "2019",
                    marks: 3
                },
                Run {
                    text: ", holding",
                    marks: 0
                },
            ]
        );
    }

    #[test]
    fn runs_ignore_spans_off_char_boundaries() {
        let text = "né à Paris";
        let pieces = runs(text, &[(2..3, 1)]);
        assert_eq!(pieces, vec![Run { text, marks: 0 }]);
    }
}
