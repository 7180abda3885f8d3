//! The recipes that make a version of an article: several per derivation, each a way
//! that versions of news stories are really made on the web, and chains of two (a copy of
//! a paraphrase) whose source is the version in between.

use stemma::provenance::Derivation;

use super::articles::{Library, join, paragraphs_of, stock, stock_sample};
use super::reword::{
    Strength, americanise, hedge, reformat_numbers, replace_words, reword, reword_title,
    swap_synonyms, transition,
};
use super::rng::Rng;
use super::text::{content_words, has_quote, lower_opening, shared};

type Paragraphs = Vec<Vec<String>>;

/// How a version is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recipe {
    /// The article as it was, paragraph breaks and spacing aside.
    RepostVerbatim,
    /// The article between a byline, a dateline and the lines reposting sites add ("This
    /// article first appeared on …", "Read more: …").
    RepostFooter,
    /// The article with curly quotes, apostrophes and dashes.
    RepostTypography,
    /// The article without its last paragraph.
    RepostTruncated,
    /// A repost of a full rewording (source: the rewording).
    CopyOfParaphrase,
    /// Most sentences verbatim, a few lightly reworded or cut, one or two stock lines added.
    LightEdit,
    /// A short paragraph cut and a paragraph of stock lines added.
    EditCutAdd,
    /// American spellings, a few sentences lightly reworded.
    EditLocalised,
    /// A light edit of a lead summary (source: the summary).
    EditOfSummary,
    /// An article spinner: synonyms for every word it knows, numbers written another way.
    SpinSynonyms,
    /// Every sentence reworded: structure, synonyms, numbers, contractions.
    RewordFull,
    /// A machine rewrite: every sentence reworded, with headings, hedges, transitions and a
    /// closing paragraph, facts in order and quotes verbatim.
    SpinHeavy,
    /// Every sentence reworded and then spun: nothing left word for word but quotes.
    SpinEvery,
    /// A full rewording of a light edit (source: the edit).
    ParaphraseOfEdit,
    /// The first two to five sentences, a few lightly reworded.
    LeadSummary,
    /// The first sentence and a few picked across the article.
    PickedSummary,
    /// One sentence: the lead, reworded.
    Brief,
    /// Sentences picked across the article, reworded in full, some fused.
    CondensedSummary,
    /// One sentence as an abstractive summariser writes it: the lead cut to its main
    /// clause with many words of its own. Not dealt in the derivation examples; used to
    /// measure story membership.
    BriefMachine,
    /// A language model's rewrite: every sentence reworded, with many words of its own
    /// that no synonym table knows; names, numbers and quotes kept.
    RewriteMachine,
    /// The article condensed sentence by sentence, as a summarising tool does: most
    /// sentences kept in order, each reworded and cut to its main clause, the rest left
    /// out, about half the length in all.
    CondensedRewrite,
    /// A lead summary of a full rewording (source: the rewording).
    SummaryOfParaphrase,
    /// The article plus background, a related paragraph from another article and a "What
    /// happens next" section.
    PaddedBackground,
    /// An explainer: an introduction, key points, headings through the article, "Why it
    /// matters", another article's paragraph and a conclusion.
    PaddedExplainer,
    /// Another article of the same category with one or two passages of this one inside.
    PartialPassages,
    /// A news round-up: this article's lead beside the leads of two others.
    PartialRoundup,
    /// Another article of the same category.
    SameCategory,
    /// The article of the same category closest in words among a sample: a hard negative.
    SameCategoryNear,
}

/// Every recipe.
pub const RECIPES: &[Recipe] = &[
    Recipe::RepostVerbatim,
    Recipe::RepostFooter,
    Recipe::RepostTypography,
    Recipe::RepostTruncated,
    Recipe::CopyOfParaphrase,
    Recipe::LightEdit,
    Recipe::EditCutAdd,
    Recipe::EditLocalised,
    Recipe::EditOfSummary,
    Recipe::SpinSynonyms,
    Recipe::RewordFull,
    Recipe::SpinHeavy,
    Recipe::SpinEvery,
    Recipe::ParaphraseOfEdit,
    Recipe::LeadSummary,
    Recipe::PickedSummary,
    Recipe::Brief,
    Recipe::CondensedSummary,
    Recipe::CondensedRewrite,
    Recipe::RewriteMachine,
    Recipe::SummaryOfParaphrase,
    Recipe::PaddedBackground,
    Recipe::PaddedExplainer,
    Recipe::PartialPassages,
    Recipe::PartialRoundup,
    Recipe::SameCategory,
    Recipe::SameCategoryNear,
];

impl Recipe {
    /// The recipe's name in the examples.
    pub fn name(self) -> &'static str {
        match self {
            Recipe::RepostVerbatim => "repost-verbatim",
            Recipe::RepostFooter => "repost-footer",
            Recipe::RepostTypography => "repost-typography",
            Recipe::RepostTruncated => "repost-truncated",
            Recipe::CopyOfParaphrase => "copy-of-paraphrase",
            Recipe::LightEdit => "light-edit",
            Recipe::EditCutAdd => "edit-cut-add",
            Recipe::EditLocalised => "edit-localised",
            Recipe::EditOfSummary => "edit-of-summary",
            Recipe::SpinSynonyms => "spin-synonyms",
            Recipe::RewordFull => "reword-full",
            Recipe::SpinHeavy => "spin-heavy",
            Recipe::SpinEvery => "spin-every",
            Recipe::ParaphraseOfEdit => "paraphrase-of-edit",
            Recipe::LeadSummary => "lead-summary",
            Recipe::PickedSummary => "picked-summary",
            Recipe::Brief => "brief",
            Recipe::CondensedSummary => "condensed-summary",
            Recipe::CondensedRewrite => "condensed-rewrite",
            Recipe::RewriteMachine => "rewrite-machine",
            Recipe::BriefMachine => "brief-machine",
            Recipe::SummaryOfParaphrase => "summary-of-paraphrase",
            Recipe::PaddedBackground => "padded-background",
            Recipe::PaddedExplainer => "padded-explainer",
            Recipe::PartialPassages => "partial-passages",
            Recipe::PartialRoundup => "partial-roundup",
            Recipe::SameCategory => "same-category",
            Recipe::SameCategoryNear => "same-category-near",
        }
    }

    /// The derivation of the version the recipe makes, relative to its source.
    pub fn derivation(self) -> Derivation {
        match self {
            Recipe::RepostVerbatim
            | Recipe::RepostFooter
            | Recipe::RepostTypography
            | Recipe::RepostTruncated
            | Recipe::CopyOfParaphrase => Derivation::Copy,
            Recipe::LightEdit
            | Recipe::EditCutAdd
            | Recipe::EditLocalised
            | Recipe::EditOfSummary => Derivation::Edit,
            Recipe::SpinSynonyms
            | Recipe::RewordFull
            | Recipe::SpinHeavy
            | Recipe::SpinEvery
            | Recipe::RewriteMachine
            | Recipe::ParaphraseOfEdit => Derivation::Paraphrase,
            Recipe::LeadSummary
            | Recipe::PickedSummary
            | Recipe::Brief
            | Recipe::CondensedSummary
            | Recipe::CondensedRewrite
            | Recipe::BriefMachine
            | Recipe::SummaryOfParaphrase => Derivation::Summary,
            Recipe::PaddedBackground | Recipe::PaddedExplainer => Derivation::Expansion,
            Recipe::PartialPassages | Recipe::PartialRoundup => Derivation::Partial,
            Recipe::SameCategory | Recipe::SameCategoryNear => Derivation::Independent,
        }
    }
}

/// A version made by a recipe.
#[derive(Debug, Clone)]
pub struct Made {
    /// For a chain, the version in between (the source of this one): its recipe, text
    /// and headline.
    pub intermediate: Option<(Recipe, String, Option<String>)>,
    /// The version's text.
    pub text: String,
    /// The version's headline, when it has one.
    pub title: Option<String>,
}

/// What a recipe works from: the library (for other articles) and the article's index.
struct Context<'a> {
    library: &'a Library,
    index: usize,
}

impl Context<'_> {
    fn category(&self) -> &str {
        &self.library.articles[self.index].category
    }

    fn title(&self) -> &str {
        &self.library.articles[self.index].title
    }

    /// The lower-case words of another article of the category, for rewrites that use
    /// words of their own.
    fn word_pool(&self, rng: &mut Rng) -> Vec<String> {
        let Some(other) = self.library.other(self.index, 3, rng) else {
            return Vec::new();
        };
        let mut pool: Vec<String> = self.library.articles[other]
            .sentences()
            .iter()
            .flat_map(|s| {
                s.split(|c: char| !c.is_ascii_alphabetic())
                    .filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_lowercase()))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        pool.sort_unstable();
        pool.dedup();
        pool
    }

    /// The headline of another article of the category, for "Read more:" lines.
    fn other_title(&self, rng: &mut Rng) -> String {
        self.library
            .other(self.index, 1, rng)
            .map(|i| self.library.articles[i].title.clone())
            .unwrap_or_else(|| "More news".to_string())
    }
}

/// Makes a version of article `index` by `recipe`, or `None` when the article does not
/// suit the recipe (too short to summarise, no other article to borrow from).
pub fn make(recipe: Recipe, library: &Library, index: usize, rng: &mut Rng) -> Option<Made> {
    let context = Context { library, index };
    let article = &library.articles[index];
    let source = &article.paragraphs;
    if source.is_empty() {
        return None;
    }
    let title = Some(article.title.clone());
    let plain = |paragraphs: Paragraphs, title: Option<String>| Made {
        intermediate: None,
        text: join(&paragraphs),
        title,
    };
    let made = match recipe {
        Recipe::RepostVerbatim => Made {
            intermediate: None,
            text: repost_verbatim(source, rng),
            title,
        },
        Recipe::RepostFooter => Made {
            intermediate: None,
            text: repost_footer(source, &context, rng),
            title,
        },
        Recipe::RepostTypography => Made {
            intermediate: None,
            text: curly_typography(&join(source)),
            title,
        },
        Recipe::RepostTruncated => plain(truncate(source, rng)?, title),
        Recipe::LightEdit => plain(light_edit(source, rng)?, title),
        Recipe::EditCutAdd => plain(edit_cut_add(source, rng)?, title),
        Recipe::EditLocalised => {
            plain(edit_localised(source, rng)?, title.map(|t| americanise(&t)))
        }
        Recipe::SpinSynonyms => plain(
            spin_synonyms(source, rng),
            Some(reword_title(context.title(), rng)),
        ),
        Recipe::RewordFull => plain(
            reword_full(source, rng),
            Some(reword_title(context.title(), rng)),
        ),
        Recipe::SpinHeavy => plain(
            spin_heavy(source, rng),
            Some(reword_title(context.title(), rng)),
        ),
        Recipe::SpinEvery => plain(
            spin_every(source, rng),
            Some(reword_title(context.title(), rng)),
        ),
        Recipe::LeadSummary => plain(lead_summary(source, 2, rng)?, title),
        Recipe::PickedSummary => plain(picked_summary(source, rng)?, title),
        Recipe::Brief => plain(brief(source, rng)?, None),
        Recipe::CondensedSummary => plain(condensed_summary(source, rng)?, title),
        Recipe::CondensedRewrite => {
            let pool = context.word_pool(rng);
            plain(
                condensed_rewrite(source, &pool, rng)?,
                Some(reword_title(context.title(), rng)),
            )
        }
        Recipe::BriefMachine => {
            let pool = context.word_pool(rng);
            let rate = rng.between(35, 65) as f64 / 100.0;
            let lead = main_clause(source.first()?.first()?);
            plain(vec![vec![machine_words(&lead, rate, &pool, rng)]], None)
        }
        Recipe::RewriteMachine => {
            let pool = context.word_pool(rng);
            plain(
                rewrite_machine(source, &pool, rng),
                Some(reword_title(context.title(), rng)),
            )
        }
        Recipe::PaddedBackground => plain(padded_background(source, &context, rng)?, title),
        Recipe::PaddedExplainer => plain(padded_explainer(source, &context, rng)?, title),
        Recipe::PartialPassages => {
            let (paragraphs, host_title) = partial_passages(source, &context, rng)?;
            plain(paragraphs, Some(host_title))
        }
        Recipe::PartialRoundup => plain(partial_roundup(source, &context, rng)?, None),
        Recipe::SameCategory => {
            let other = library.other(index, 2, rng)?;
            let other = &library.articles[other];
            plain(other.paragraphs.clone(), Some(other.title.clone()))
        }
        Recipe::SameCategoryNear => {
            let other = &library.articles[nearest_other(&context, rng)?];
            plain(other.paragraphs.clone(), Some(other.title.clone()))
        }
        Recipe::CopyOfParaphrase => {
            let middle = reword_full(source, rng);
            let middle_title = Some(reword_title(context.title(), rng));
            let middle_text = join(&middle);
            let text = repost_footer(&reread(&middle_text)?, &context, rng);
            Made {
                intermediate: Some((Recipe::RewordFull, middle_text, middle_title.clone())),
                text,
                title: middle_title,
            }
        }
        Recipe::EditOfSummary => {
            let middle_text = join(&lead_summary(source, 4, rng)?);
            let text = join(&light_edit(&reread(&middle_text)?, rng)?);
            Made {
                intermediate: Some((Recipe::LeadSummary, middle_text, title.clone())),
                text,
                title,
            }
        }
        Recipe::SummaryOfParaphrase => {
            let middle_text = join(&reword_full(source, rng));
            let middle_title = Some(reword_title(context.title(), rng));
            let summary = lead_summary(&reread(&middle_text)?, 2, rng)?;
            Made {
                intermediate: Some((Recipe::RewordFull, middle_text, middle_title.clone())),
                text: join(&summary),
                title: middle_title,
            }
        }
        Recipe::ParaphraseOfEdit => {
            let middle_text = join(&light_edit(source, rng)?);
            let text = join(&reword_full(&reread(&middle_text)?, rng));
            Made {
                intermediate: Some((Recipe::LightEdit, middle_text, title)),
                text,
                title: Some(reword_title(context.title(), rng)),
            }
        }
    };
    Some(made)
}

/// A version in the middle of a chain read back as the library reads it, so the next
/// step works on the sentences a reader of that version would see.
fn reread(text: &str) -> Option<Paragraphs> {
    let document = stemma::corpus::document_from_text("intermediate", "intermediate", text).ok()?;
    let paragraphs = paragraphs_of(&document);
    (!paragraphs.is_empty()).then_some(paragraphs)
}

fn count(paragraphs: &[Vec<String>]) -> usize {
    paragraphs.iter().map(Vec::len).sum()
}

fn flat(paragraphs: &[Vec<String>]) -> Vec<String> {
    paragraphs.iter().flatten().cloned().collect()
}

fn repost_verbatim(source: &[Vec<String>], rng: &mut Rng) -> String {
    let text = join(source);
    match rng.below(3) {
        0 => text,
        // One paragraph a line, as many sites and feeds give it.
        1 => text.replace("\n\n", "\n"),
        _ => text.replace("\n\n", "  \n\n\n") + "\n",
    }
}

fn fill(line: &str, context: &Context, rng: &mut Rng) -> String {
    let mut line = line.replace("{category}", context.category());
    if line.contains("{other}") {
        line = line.replace("{other}", &context.other_title(rng));
    }
    line
}

fn repost_footer(source: &[Vec<String>], context: &Context, rng: &mut Rng) -> String {
    let mut blocks: Vec<String> = Vec::new();
    if rng.chance(0.5)
        && let Some(header) = rng.pick(stock("header"))
    {
        blocks.push(header.clone());
    }
    let mut body: Vec<String> = source.iter().map(|p| p.join(" ")).collect();
    if rng.chance(0.3)
        && let Some(dateline) = rng.pick(stock("dateline"))
        && let Some(first) = body.first_mut()
    {
        *first = format!("{dateline} {first}");
    }
    blocks.extend(body);
    let n_footers = rng.between(1, 3);
    for footer in stock_sample("footer", n_footers, rng) {
        blocks.push(fill(&footer, context, rng));
    }
    blocks.join("\n\n")
}

/// Straight quotes and apostrophes made typographic, hyphens between spaces made dashes.
fn curly_typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    for c in text.chars() {
        let opens = previous.is_none_or(|p| p.is_whitespace() || "([{".contains(p));
        match c {
            '"' => out.push(if opens { '\u{201C}' } else { '\u{201D}' }),
            '\'' => out.push(if opens { '\u{2018}' } else { '\u{2019}' }),
            _ => out.push(c),
        }
        previous = Some(c);
    }
    out.replace(" - ", " \u{2013} ")
}

fn truncate(source: &[Vec<String>], rng: &mut Rng) -> Option<Paragraphs> {
    if source.len() < 3 {
        return None;
    }
    let mut kept = source[..source.len() - 1].to_vec();
    if rng.chance(0.3) {
        kept.push(vec!["Continue reading the full story.".to_string()]);
    }
    Some(kept)
}

/// Adds `n` stock lines of `section` to the paragraphs: at the end of a paragraph, or
/// as a paragraph of their own, never before the lead.
fn add_stock_lines(paragraphs: &mut Paragraphs, section: &str, n: usize, rng: &mut Rng) {
    for line in stock_sample(section, n, rng) {
        let at = rng.between(1, paragraphs.len());
        if rng.chance(0.5) || at == paragraphs.len() {
            paragraphs.insert(at, vec![line]);
        } else {
            paragraphs[at].push(line);
        }
    }
}

fn light_edit(source: &[Vec<String>], rng: &mut Rng) -> Option<Paragraphs> {
    if count(source) < 3 {
        return None;
    }
    let mut out: Paragraphs = Vec::new();
    for (p, paragraph) in source.iter().enumerate() {
        let mut kept = Vec::new();
        for (s, sentence) in paragraph.iter().enumerate() {
            let lead = p == 0 && s == 0;
            if !lead && rng.chance(0.07) {
                continue;
            }
            if rng.chance(0.15) {
                kept.push(reword(sentence, Strength::Light, rng));
            } else {
                kept.push(sentence.clone());
            }
        }
        if !kept.is_empty() {
            out.push(kept);
        }
    }
    let n_added = rng.between(1, 2);
    add_stock_lines(&mut out, "filler", n_added, rng);
    Some(out)
}

fn edit_cut_add(source: &[Vec<String>], rng: &mut Rng) -> Option<Paragraphs> {
    let n = count(source);
    if source.len() < 3 || n < 5 {
        return None;
    }
    let mut out = source.to_vec();
    // Cut a short paragraph whole; when every paragraph is long, a sentence or two.
    let short: Vec<usize> = (1..out.len())
        .filter(|&p| out[p].len() * 10 <= n * 3)
        .collect();
    if let Some(&p) = rng.pick(&short) {
        out.remove(p);
    } else {
        for _ in 0..rng.between(1, 2) {
            let p = rng.between(1, out.len() - 1);
            if out[p].len() > 1 {
                let s = rng.below(out[p].len());
                out[p].remove(s);
            }
        }
    }
    for paragraph in &mut out {
        for sentence in paragraph.iter_mut() {
            if rng.chance(0.08) {
                *sentence = reword(sentence, Strength::Light, rng);
            }
        }
    }
    let lines = stock_sample("filler", rng.between(1, 2), rng);
    let at = rng.between(1, out.len());
    out.insert(at, lines);
    Some(out)
}

fn edit_localised(source: &[Vec<String>], rng: &mut Rng) -> Option<Paragraphs> {
    let mut changed = false;
    let mut out: Paragraphs = Vec::new();
    for paragraph in source {
        let mut kept = Vec::new();
        for sentence in paragraph {
            let mut new = americanise(sentence);
            if rng.chance(0.1) {
                new = reword(&new, Strength::Light, rng);
            }
            changed |= new != *sentence;
            kept.push(new);
        }
        out.push(kept);
    }
    if !changed || rng.chance(0.3) {
        add_stock_lines(&mut out, "filler", 1, rng);
    }
    Some(out)
}

fn spin_synonyms(source: &[Vec<String>], rng: &mut Rng) -> Paragraphs {
    source
        .iter()
        .map(|paragraph| {
            paragraph
                .iter()
                .map(|sentence| {
                    let spun = swap_synonyms(sentence, 0.9, rng);
                    reformat_numbers(&spun, 0.5, rng)
                })
                .collect()
        })
        .collect()
}

fn reword_full(source: &[Vec<String>], rng: &mut Rng) -> Paragraphs {
    let reworded: Paragraphs = source
        .iter()
        .map(|paragraph| {
            paragraph
                .iter()
                .map(|sentence| reword(sentence, Strength::Full, rng))
                .collect()
        })
        .collect();
    // Rewriters break paragraphs where they like: merge some, split long ones.
    let mut out: Paragraphs = Vec::new();
    for paragraph in reworded {
        match out.last_mut() {
            Some(last) if rng.chance(0.2) => last.extend(paragraph),
            _ if paragraph.len() >= 4 && rng.chance(0.3) => {
                let middle = paragraph.len() / 2;
                out.push(paragraph[..middle].to_vec());
                out.push(paragraph[middle..].to_vec());
            }
            _ => out.push(paragraph),
        }
    }
    out
}

fn spin_heavy(source: &[Vec<String>], rng: &mut Rng) -> Paragraphs {
    let mut out: Paragraphs = Vec::new();
    if rng.chance(0.4)
        && let Some(intro) = rng.pick(stock("intro"))
    {
        out.push(vec![intro.clone()]);
    }
    let mut headings = stock_sample("headings", 8, rng).into_iter();
    let every = rng.between(2, 3);
    for (p, paragraph) in source.iter().enumerate() {
        if p > 0
            && p % every == 0
            && let Some(heading) = headings.next()
        {
            out.push(vec![heading]);
        }
        let mut rewritten = Vec::new();
        for (s, sentence) in paragraph.iter().enumerate() {
            let mut new = reword(sentence, Strength::Full, rng);
            if p > 0 && s == 0 && rng.chance(0.5) {
                new = transition(&new, rng);
            } else if rng.chance(0.2) {
                new = hedge(&new, rng);
            }
            rewritten.push(new);
        }
        out.push(rewritten);
    }
    if rng.chance(0.5) {
        out.push(vec!["Conclusion".to_string()]);
    }
    if let Some(close) = rng.pick(stock("close")) {
        out.push(vec![close.clone()]);
    }
    out
}

/// The first `k` sentences, `k` from `min_k` to five but under half the article, a few
/// lightly reworded.
/// What an article spinner or an AI "rewrite" makes: every sentence restructured where
/// it can be and nearly every word that has a synonym swapped, the facts kept in order.
fn spin_every(source: &[Vec<String>], rng: &mut Rng) -> Paragraphs {
    source
        .iter()
        .map(|paragraph| {
            paragraph
                .iter()
                .map(|sentence| {
                    let reworded = reword(sentence, Strength::Full, rng);
                    let spun = swap_synonyms(&reworded, 0.9, rng);
                    reformat_numbers(&spun, 0.5, rng)
                })
                .collect()
        })
        .collect()
}

fn lead_summary(source: &[Vec<String>], min_k: usize, rng: &mut Rng) -> Option<Paragraphs> {
    let sentences = flat(source);
    let max_k = (sentences.len() * 2 / 5).min(5);
    if max_k < min_k {
        return None;
    }
    let k = rng.between(min_k, max_k);
    let picked: Vec<String> = sentences[..k]
        .iter()
        .map(|s| lightly(s, 0.3, rng))
        .collect();
    Some(split_in_two(picked, rng))
}

fn lightly(sentence: &str, p: f64, rng: &mut Rng) -> String {
    if rng.chance(p) {
        reword(sentence, Strength::Light, rng)
    } else {
        sentence.to_string()
    }
}

/// One paragraph, or two when there are four sentences or more and the coin says so.
fn split_in_two(sentences: Vec<String>, rng: &mut Rng) -> Paragraphs {
    if sentences.len() >= 4 && rng.chance(0.5) {
        let middle = sentences.len() / 2;
        vec![sentences[..middle].to_vec(), sentences[middle..].to_vec()]
    } else {
        vec![sentences]
    }
}

/// The lead and a few sentences picked across the article, in order.
fn picked_summary(source: &[Vec<String>], rng: &mut Rng) -> Option<Paragraphs> {
    let sentences = flat(source);
    let n = sentences.len();
    let max_k = (n / 3).min(5);
    if max_k < 3 {
        return None;
    }
    let k = rng.between(3, max_k);
    let mut rest: Vec<usize> = (1..n).collect();
    rng.shuffle(&mut rest);
    let mut picked: Vec<usize> = rest[..k - 1].to_vec();
    picked.push(0);
    picked.sort_unstable();
    let chosen = picked
        .into_iter()
        .map(|i| lightly(&sentences[i], 0.3, rng))
        .collect();
    Some(split_in_two(chosen, rng))
}

/// What a writer condensing by hand (or a summarising model) makes: sentences picked
/// across the article, each reworded in full, some pairs fused into one sentence, in the
/// source's order.
fn condensed_summary(source: &[Vec<String>], rng: &mut Rng) -> Option<Paragraphs> {
    let sentences = flat(source);
    let n = sentences.len();
    let max_k = (n * 2 / 5).min(7);
    if max_k < 3 {
        return None;
    }
    let k = rng.between(3, max_k);
    let mut rest: Vec<usize> = (1..n).collect();
    rng.shuffle(&mut rest);
    let mut picked: Vec<usize> = rest[..k - 1].to_vec();
    picked.push(0);
    picked.sort_unstable();
    let reworded: Vec<String> = picked
        .into_iter()
        .map(|i| {
            let reworded = reword(&sentences[i], Strength::Full, rng);
            swap_synonyms(&reworded, 0.8, rng)
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    for sentence in reworded {
        match out.last_mut() {
            Some(last) if rng.chance(0.35) && !has_quote(last) && !has_quote(&sentence) => {
                let head = last.trim_end_matches(['.', '!', '?']).to_string();
                *last = format!("{head}, and {}", lower_opening(&sentence));
            }
            _ => out.push(sentence),
        }
    }
    Some(split_in_two(out, rng))
}

fn rewrite_machine(source: &[Vec<String>], pool: &[String], rng: &mut Rng) -> Paragraphs {
    let rate = rng.between(35, 65) as f64 / 100.0;
    source
        .iter()
        .map(|paragraph| {
            paragraph
                .iter()
                .map(|sentence| machine_words(sentence, rate, pool, rng))
                .collect()
        })
        .collect()
}

/// A sentence reworded in full, its synonyms swapped, a share `rate` of its other words
/// replaced and its numbers written another way.
fn machine_words(sentence: &str, rate: f64, pool: &[String], rng: &mut Rng) -> String {
    let reworded = swap_synonyms(&reword(sentence, Strength::Full, rng), 0.9, rng);
    reformat_numbers(&replace_words(&reworded, rate, pool, rng), 0.5, rng)
}

fn condensed_rewrite(source: &[Vec<String>], pool: &[String], rng: &mut Rng) -> Option<Paragraphs> {
    if count(source) < 6 {
        return None;
    }
    let keep = rng.between(55, 85) as f64 / 100.0;
    let rate = rng.between(35, 65) as f64 / 100.0;
    let mut out: Paragraphs = Vec::new();
    for (p, paragraph) in source.iter().enumerate() {
        let mut kept = Vec::new();
        for (k, sentence) in paragraph.iter().enumerate() {
            let lead = p == 0 && k == 0;
            if !lead && !rng.chance(keep) {
                continue;
            }
            let cut = if rng.chance(0.7) {
                main_clause(sentence)
            } else {
                sentence.clone()
            };
            kept.push(machine_words(&cut, rate, pool, rng));
        }
        if !kept.is_empty() {
            out.push(kept);
        }
    }
    Some(out)
}

/// A sentence cut to its main clause: a bracketed aside and whatever follows the first
/// subordinate or added clause (", which", ", who", " - ", ", adding", …) left out, when
/// six words or more remain and no quotation is cut open.
fn main_clause(sentence: &str) -> String {
    let mut text = sentence.to_string();
    while let (Some(open), Some(close)) = (text.find(" ("), text.find(')')) {
        if close <= open {
            break;
        }
        text.replace_range(open..=close, "");
    }
    const BREAKS: [&str; 10] = [
        ", which",
        ", who",
        " - ",
        ", while",
        ", after",
        ", but",
        ", adding",
        ", with",
        ", including",
        ", as",
    ];
    let cut = BREAKS.iter().filter_map(|b| text.find(b)).min();
    if let Some(at) = cut {
        let head = text[..at].trim_end();
        if head.split_whitespace().count() >= 6 && head.matches('"').count().is_multiple_of(2) {
            return format!("{head}.");
        }
    }
    text
}

fn brief(source: &[Vec<String>], rng: &mut Rng) -> Option<Paragraphs> {
    if count(source) < 3 {
        return None;
    }
    let lead = &source[0][0];
    let strength = if rng.chance(0.5) {
        Strength::Light
    } else {
        Strength::Full
    };
    Some(vec![vec![reword(lead, strength, rng)]])
}

/// The source with each sentence lightly reworded with probability `p`.
fn lightly_all(source: &[Vec<String>], p: f64, rng: &mut Rng) -> Paragraphs {
    source
        .iter()
        .map(|paragraph| paragraph.iter().map(|s| lightly(s, p, rng)).collect())
        .collect()
}

/// A paragraph of another article of the category, introduced as related news.
fn related_paragraph(context: &Context, rng: &mut Rng) -> Option<Vec<String>> {
    let other = context.library.other(context.index, 3, rng)?;
    let paragraphs = &context.library.articles[other].paragraphs;
    let mut paragraph: Vec<String> = rng.pick(paragraphs)?.iter().take(4).cloned().collect();
    if let Some(first) = paragraph.first_mut() {
        *first = format!("In a related development, {}", lower_opening(first));
    }
    Some(paragraph)
}

fn background_lines(context: &Context, n: usize, rng: &mut Rng) -> Vec<String> {
    let mut lines = stock_sample(&format!("background-{}", context.category()), n, rng);
    if lines.len() < n {
        lines.extend(stock_sample("background", n - lines.len(), rng));
    }
    lines
}

fn padded_background(
    source: &[Vec<String>],
    context: &Context,
    rng: &mut Rng,
) -> Option<Paragraphs> {
    let n = count(source);
    let mut out = lightly_all(source, 0.15, rng);
    let mut added = 0;
    let background = background_lines(context, rng.between(2, 4), rng);
    added += background.len();
    let at = if rng.chance(0.5) { 1 } else { out.len() };
    out.insert(at, background);
    out.insert(at, vec!["Background".to_string()]);
    if let Some(related) = related_paragraph(context, rng) {
        added += related.len();
        out.push(related);
    }
    // New material must be substantial: at least half as much again as the article.
    let wanted = (n / 2).max(4);
    if added < wanted {
        out.push(stock_sample("background", wanted - added, rng));
    }
    out.push(vec!["What happens next".to_string()]);
    out.push(stock_sample("next", rng.between(2, 3), rng));
    Some(out)
}

fn padded_explainer(
    source: &[Vec<String>],
    context: &Context,
    rng: &mut Rng,
) -> Option<Paragraphs> {
    let n = count(source);
    let mut out: Paragraphs = Vec::new();
    if let Some(intro) = rng.pick(stock("intro")) {
        out.push(vec![intro.clone()]);
    }
    let mut headings = stock_sample("headings", 8, rng).into_iter();
    let body = lightly_all(source, 0.2, rng);
    for (p, paragraph) in body.into_iter().enumerate() {
        if p > 0
            && p % 2 == 0
            && let Some(heading) = headings.next()
        {
            out.push(vec![heading]);
        }
        out.push(paragraph);
    }
    out.push(vec!["Why it matters".to_string()]);
    out.push(background_lines(context, (n / 3).clamp(2, 5), rng));
    if let Some(related) = related_paragraph(context, rng) {
        out.push(related);
    }
    out.push(stock_sample("next", rng.between(1, 2), rng));
    if let Some(close) = rng.pick(stock("close")) {
        out.push(vec![close.clone()]);
    }
    Some(out)
}

/// One or two passages of two to four sentences of the source inside another article
/// of the category, the borrowed sentences a minority of both.
fn partial_passages(
    source: &[Vec<String>],
    context: &Context,
    rng: &mut Rng,
) -> Option<(Paragraphs, String)> {
    let sentences = flat(source);
    let n = sentences.len();
    if n < 4 {
        return None;
    }
    let host = context.library.other(context.index, 6, rng)?;
    let host = &context.library.articles[host];
    let host_n = host.n_sentences();
    let budget = (host_n / 2).min(n / 2);
    let mut passages: Vec<Vec<String>> = Vec::new();
    let mut used = vec![false; n];
    let mut borrowed = 0;
    for _ in 0..rng.between(1, 2) {
        let len = rng.between(2, 4).min(budget.saturating_sub(borrowed));
        if len < 2 {
            break;
        }
        let start = rng.below(n - len + 1);
        if used[start..start + len].iter().any(|&u| u) {
            continue;
        }
        used[start..start + len].iter_mut().for_each(|u| *u = true);
        passages.push(sentences[start..start + len].to_vec());
        borrowed += len;
    }
    if passages.is_empty() {
        return None;
    }
    let mut out = host.paragraphs.clone();
    for passage in passages {
        let at = rng.between(1, out.len());
        out.insert(at, passage);
    }
    Some((out, host.title.clone()))
}

/// A round-up of the category's news: the article's lead and the leads of two others,
/// each under its headline.
fn partial_roundup(source: &[Vec<String>], context: &Context, rng: &mut Rng) -> Option<Paragraphs> {
    let sentences = flat(source);
    if sentences.len() < 5 {
        return None;
    }
    let library = context.library;
    let others: Vec<usize> = library
        .others(context.index, 8, rng)
        .into_iter()
        .filter(|&i| library.articles[i].n_sentences() >= 3)
        .take(2)
        .collect();
    if others.len() < 2 {
        return None;
    }
    let mut stories: Vec<(String, Vec<String>)> = vec![(
        context.title().to_string(),
        sentences[..rng.between(2, 3)].to_vec(),
    )];
    for other in others {
        let article = &library.articles[other];
        let lead = article.sentences()[..rng.between(2, 3)].to_vec();
        stories.push((article.title.clone(), lead));
    }
    rng.shuffle(&mut stories);
    let mut out: Paragraphs = vec![vec![format!(
        "{} news in brief",
        super::text::capitalise(context.category())
    )]];
    for (title, lead) in stories {
        out.push(vec![title]);
        out.push(lead);
    }
    Some(out)
}

/// Of a sample of other articles of the category, the one sharing most words with this
/// one's headline and lead.
fn nearest_other(context: &Context, rng: &mut Rng) -> Option<usize> {
    let library = context.library;
    let profile = |index: usize| {
        let article = &library.articles[index];
        let lead: Vec<String> = article.sentences().into_iter().take(3).collect();
        content_words(&format!("{} {}", article.title, lead.join(" ")))
    };
    let own = profile(context.index);
    library
        .others(context.index, 15, rng)
        .into_iter()
        .filter(|&i| library.articles[i].n_sentences() >= 2)
        .map(|i| (shared(&own, &profile(i)), i))
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        .map(|(_, i)| i)
}
