//! The generator on small articles written for the tests, and on the BBC articles of the
//! development data when they are present.

use std::collections::BTreeMap;

use super::*;

fn article(id: &str, category: &str, title: &str, body: &str) -> BbcArticle {
    BbcArticle {
        id: id.to_string(),
        category: category.to_string(),
        title: title.to_string(),
        body: body.to_string(),
        extractive_summary: String::new(),
        exact_dup_group: None,
    }
}

fn articles() -> Vec<BbcArticle> {
    vec![
        article(
            "business/001",
            "business",
            "Ad sales boost Time Warner profit",
            "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three months to December, from $639m a year earlier.\n\n\
             The firm, which is now one of the biggest investors in Google, benefited from sales of high-speed internet connections. TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn. Its profits were buoyed by one-off gains.\n\n\
             Time Warner said on Friday that it now owns 8% of search-engine Google. But its own internet business, AOL, lost 464,000 subscribers in the fourth quarter. The company said AOL's underlying profit rose 8% on the back of stronger advertising.\n\n\
             \"Our financial performance was strong, meeting or exceeding all of our full-year objectives,\" chairman and chief executive Richard Parsons said. For 2005, TimeWarner is projecting operating earnings growth of around 5%. The firm will restate its accounts as part of efforts to resolve an inquiry.\n\n\
             It has already offered to pay $300m to settle charges, in a deal that is under review. Analyst Jane Holt of Merrill Lynch said the results were better than expected. Mr Parsons said the company would not cut jobs in 2005.",
        ),
        article(
            "business/002",
            "business",
            "Dollar gains on Greenspan speech",
            "The dollar has hit its highest level against the euro in almost three months after the Federal Reserve head said the US trade deficit is set to stabilise.\n\n\
             Alan Greenspan highlighted the US government's willingness to curb spending and rising household savings as factors which may help to reduce it. In late trading in New York, the dollar reached $1.2871 against the euro, from $1.2974 on Thursday. Market concerns about the deficit has hit the greenback in recent months.\n\n\
             On Friday, Federal Reserve chairman Mr Greenspan's speech in London ahead of the meeting of G7 finance ministers sent the dollar higher after it had earlier tumbled on the back of worse-than-expected US jobs data. \"I think the chairman's taking a much more sanguine view on the current account deficit than he's taken for some time,\" said Robert Sinche, head of currency strategy at Bank of America in New York.\n\n\
             China's currency remains pegged to the dollar and the US currency's sharp falls in recent months have therefore made Chinese export prices highly competitive. Finance minister Gordon Brown said the meeting would discuss the issue. Some 40 economists expect rates to rise in March.",
        ),
        article(
            "business/003",
            "business",
            "Yukos unit buyer faces loan claim",
            "The owners of embattled Russian oil giant Yukos are to ask the buyer of its former production unit to pay back a $900m loan.\n\n\
             State-owned Rosneft bought the Yugansk unit for $9.3bn in a sale forced by Russia to part settle a $27.5bn tax claim against Yukos. Yukos' owner Menatep Group says it will ask Rosneft to repay a loan that Yugansk had secured on its assets. Rosneft already faces a similar $540m repayment demand from foreign banks.\n\n\
             Legal experts said Rosneft's purchase of Yugansk would include such obligations. \"The pledged assets are with Rosneft, so it will have to pay real money to the creditors,\" said Vladimir Tikhomirov, senior economist at Moscow-based investment bank Troika. The pressure on Yukos began in 2003 when chief executive Mikhail Khodorkovsky was arrested.\n\n\
             Menatep chief executive Tim Osborne said the group would use all legal means to recover the money. Yukos itself filed for bankruptcy protection in a US court in December. The company said it had 100,000 employees.",
        ),
        article(
            "sport/001",
            "sport",
            "Wenger keeps faith with young side",
            "Arsenal manager Arsene Wenger says he will not panic after his side lost 2-0 to Manchester United on Tuesday.\n\n\
             The defeat left Arsenal nine points behind leaders Chelsea with 14 games left. Striker Thierry Henry missed two chances in the first half. \"We have a young team and they will learn from this,\" Wenger said.\n\n\
             United manager Sir Alex Ferguson praised his players after the win. Cristiano Ronaldo scored twice in the second half in front of 67,000 fans at Old Trafford. Ferguson said his team had shown great character.\n\n\
             Arsenal host Aston Villa on Saturday. The club won the title in 2004 without losing a game. Captain Patrick Vieira is expected to return from injury next week.",
        ),
        article(
            "sport/002",
            "sport",
            "Radcliffe eyes London marathon",
            "Paula Radcliffe has confirmed she will run in the London Marathon in April.\n\n\
             The 31-year-old world record holder pulled out of the Olympic marathon in Athens last year. She won the New York marathon in November. \"I am really looking forward to racing in London again,\" Radcliffe said.\n\n\
             Race director Dave Bedford said the field would be one of the strongest ever assembled. Radcliffe set the world record of two hours 15 minutes in London in 2003. Her coach Gary Lough said she was in good shape.\n\n\
             About 35,000 runners are expected to take part in the race on 17 April. Organisers said the event had raised £40m for charity last year.",
        ),
        article(
            "sport/003",
            "sport",
            "England name squad for Six Nations",
            "England coach Andy Robinson has named a 30-man squad for the Six Nations championship.\n\n\
             Captain Jason Robinson leads the side, with Jonny Wilkinson still out injured. The squad includes five uncapped players. Robinson said he was pleased with the balance of the group.\n\n\
             England open their campaign against Wales in Cardiff on 5 February. They lost to France and Ireland last season and finished third. \"We know we have to improve,\" Robinson said.\n\n\
             The Rugby Football Union said tickets for the home games had sold out. England won the World Cup in 2003.",
        ),
    ]
}

/// Articles that offer the generator little to work with.
fn odd_articles() -> Vec<BbcArticle> {
    vec![
        article("odd/empty", "odd", "Empty", ""),
        article("odd/blank", "odd", "Blank", "   \n\n  \n"),
        article("odd/one", "odd", "One", "Just one sentence here."),
        article(
            "odd/plain",
            "odd",
            "Plain",
            "the weather was fine and everyone went out.\n\nit rained later and people went home.\n\nthere was nothing else to report on the day.",
        ),
        article("odd/quote", "odd", "", "\"Yes.\"\n\n\"No!\""),
        article(
            "odd/numbers",
            "odd",
            "Numbers",
            "1 2 3 4 5.\n\n2004 2005 2006.\n\n$5m £6bn 7% 8 per cent.",
        ),
    ]
}

fn derivation_digest(examples: &[DerivationExample]) -> Vec<String> {
    examples
        .iter()
        .map(|e| {
            format!(
                "{}|{}|{}|{}|{:?}|{}|{:?}",
                e.source.id,
                e.source.text,
                e.version.id,
                e.version.text,
                e.derivation,
                e.recipe,
                e.version.title
            )
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_examples() {
    let articles = articles();
    let a = derivation_examples(&articles, 7, 3);
    let b = derivation_examples(&articles, 7, 3);
    assert_eq!(derivation_digest(&a), derivation_digest(&b));
    assert_eq!(
        consistency_examples(&articles, 7, 3),
        consistency_examples(&articles, 7, 3)
    );
    assert_eq!(
        sentence_pair_examples(&articles, 7, 3),
        sentence_pair_examples(&articles, 7, 3)
    );
    let other = derivation_examples(&articles, 8, 3);
    assert_ne!(derivation_digest(&a), derivation_digest(&other));
}

#[test]
fn articles_of_another_category_leave_the_examples_unchanged() {
    // Each article draws from its own stream and borrows only from its own category, so
    // the business examples are the same with or without the sport articles after them.
    let all = articles();
    let business = &all[..3];
    let with_sport = consistency_examples(&all, 3, 2);
    let alone = consistency_examples(business, 3, 2);
    assert_eq!(with_sport[..alone.len()], alone[..]);
    let with_sport = derivation_digest(&derivation_examples(&all, 3, 2));
    let alone = derivation_digest(&derivation_examples(business, 3, 2));
    assert_eq!(with_sport[..alone.len()], alone[..]);
}

#[test]
fn every_derivation_is_made() {
    let articles = articles();
    let examples = derivation_examples(&articles, 1, 14);
    let mut by_label: BTreeMap<Derivation, usize> = BTreeMap::new();
    for example in &examples {
        *by_label.entry(example.derivation).or_default() += 1;
        assert!(!example.version.text.is_empty());
        assert!(!example.source.text.is_empty());
        let recipe = RECIPES.iter().find(|r| r.name() == example.recipe).unwrap();
        assert_eq!(recipe.derivation(), example.derivation);
    }
    for label in LABELS {
        assert!(
            by_label.get(&label).is_some_and(|&n| n > 0),
            "no {label:?}: {by_label:?}"
        );
    }
}

#[test]
fn every_recipe_works_on_a_long_article() {
    let articles = articles();
    let library = Library::new(&articles);
    for &recipe in RECIPES {
        let made = (0..20).find_map(|seed| derive::make(recipe, &library, 0, &mut Rng::new(seed)));
        let made = made.unwrap_or_else(|| panic!("{} made nothing", recipe.name()));
        assert_ne!(made.text, "", "{}", recipe.name());
        let chained = matches!(
            recipe,
            Recipe::CopyOfParaphrase
                | Recipe::EditOfSummary
                | Recipe::SummaryOfParaphrase
                | Recipe::ParaphraseOfEdit
        );
        assert_eq!(made.intermediate.is_some(), chained, "{}", recipe.name());
    }
}

#[test]
fn versions_differ_from_their_source_as_their_label_says() {
    let articles = articles();
    for example in derivation_examples(&articles, 2, 14) {
        let source: Vec<&str> = example
            .source
            .sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        let version: Vec<&str> = example
            .version
            .sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        let carried = version.iter().filter(|s| source.contains(s)).count();
        let share = carried as f64 / version.len() as f64;
        match example.derivation {
            Derivation::Copy if example.recipe != "repost-typography" => {
                // Every source sentence but a dropped last paragraph's is carried.
                let kept = source.iter().filter(|s| version.contains(s)).count();
                assert!(
                    kept * 2 > source.len(),
                    "{}: {kept}/{}",
                    example.recipe,
                    source.len()
                );
            }
            Derivation::Independent => assert_eq!(carried, 0, "{}", example.recipe),
            Derivation::Summary => assert!(version.len() < source.len(), "{}", example.recipe),
            Derivation::Expansion => assert!(version.len() > source.len(), "{}", example.recipe),
            Derivation::Partial => assert!(share < 0.7, "{} {share}", example.recipe),
            _ => {}
        }
    }
}

#[test]
fn consistency_edits_are_real_and_point_at_their_sentence() {
    let articles = articles();
    let examples = consistency_examples(&articles, 5, 30);
    let mut kinds: BTreeMap<EditKind, usize> = BTreeMap::new();
    let n_consistent = examples.iter().filter(|e| e.consistent).count();
    for example in &examples {
        assert_eq!(example.consistent, example.edits.is_empty());
        let version = stemma::corpus::document_from_text("v", "v", &example.version).unwrap();
        for edit in &example.edits {
            *kinds.entry(edit.kind).or_default() += 1;
            assert_ne!(edit.before, edit.after, "{edit:?}");
            assert!(!edit.after.is_empty(), "{edit:?}");
            let sentence = &version.sentences[edit.sentence].text;
            assert!(sentence.contains(&edit.after), "{edit:?} in {sentence}");
            assert!(
                !example.source.contains(sentence.as_str()),
                "an edited sentence is in the source: {sentence}"
            );
        }
    }
    assert!(
        n_consistent * 10 > examples.len() * 3 && n_consistent * 10 < examples.len() * 7,
        "{n_consistent} consistent of {}",
        examples.len()
    );
    for kind in EditKind::ALL {
        assert!(kinds.contains_key(&kind), "no {kind:?}: {kinds:?}");
    }
}

#[test]
fn sentence_pairs_are_balanced_and_differ() {
    let articles = articles();
    let pairs = sentence_pair_examples(&articles, 3, 4);
    let mut labels: BTreeMap<&str, usize> = BTreeMap::new();
    for pair in &pairs {
        *labels.entry(pair.label).or_default() += 1;
        assert_ne!(pair.a, pair.b);
    }
    assert_eq!(labels.len(), 3, "{labels:?}");
    let counts: Vec<usize> = labels.values().copied().collect();
    assert!(
        counts.iter().all(|&n| n == counts[0] && n > 0),
        "{labels:?}"
    );
}

#[test]
fn odd_articles_make_no_panic() {
    let mut all = odd_articles();
    for seed in 0..5 {
        let _ = derivation_examples(&all, seed, 7);
        let _ = consistency_examples(&all, seed, 7);
        let _ = sentence_pair_examples(&all, seed, 7);
    }
    // Beside ordinary articles too, where they may be picked as "another article".
    all.extend(articles());
    for seed in 0..3 {
        let derivations = derivation_examples(&all, seed, 7);
        assert!(
            derivations
                .iter()
                .all(|e| !e.source.id.starts_with("odd/empty"))
        );
        let _ = consistency_examples(&all, seed, 7);
        let _ = sentence_pair_examples(&all, seed, 7);
    }
    assert!(derivation_examples(&[], 1, 1).is_empty());
}

#[test]
fn samples_are_written_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    write_examples(dir.path(), &articles(), 1).unwrap();
    for name in [
        "derivations.jsonl",
        "consistency.jsonl",
        "sentence_pairs.jsonl",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.lines().count() > 0, "{name}");
        for line in text.lines() {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
    }
}

/// On the BBC articles, when the development data is present: every label made, every
/// edit found again, and the counts printed.
#[test]
fn bbc_articles_make_every_kind_of_example() {
    let dir = crate::data::data_dir();
    if !dir.join("bbc-news/articles.jsonl").exists() {
        eprintln!("skipped: no BBC articles under {}", dir.display());
        return;
    }
    let all = crate::data::bbc_articles(&dir).unwrap();
    // An even spread of the five sections, small enough for a debug build.
    let sample: Vec<BbcArticle> = all.into_iter().step_by(10).collect();

    let derivations = derivation_examples(&sample, 1, 1);
    let mut by_recipe: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_label: BTreeMap<Derivation, usize> = BTreeMap::new();
    for example in &derivations {
        *by_recipe.entry(example.recipe).or_default() += 1;
        *by_label.entry(example.derivation).or_default() += 1;
    }
    eprintln!("derivations of {} articles: {by_label:?}", sample.len());
    eprintln!("recipes: {by_recipe:?}");
    for label in LABELS {
        assert!(
            by_label
                .get(&label)
                .is_some_and(|&n| n * 10 > derivations.len()),
            "{label:?}"
        );
    }

    let consistency = consistency_examples(&sample, 1, 1);
    let mut kinds: BTreeMap<EditKind, usize> = BTreeMap::new();
    for example in &consistency {
        let version = stemma::corpus::document_from_text("v", "v", &example.version).unwrap();
        for edit in &example.edits {
            *kinds.entry(edit.kind).or_default() += 1;
            assert!(version.sentences[edit.sentence].text.contains(&edit.after));
        }
    }
    let n_consistent = consistency.iter().filter(|e| e.consistent).count();
    eprintln!(
        "consistency: {} examples, {n_consistent} consistent; edits {kinds:?}",
        consistency.len()
    );
    assert!(consistency.len() * 10 > sample.len() * 9);

    let pairs = sentence_pair_examples(&sample, 1, 1);
    let mut labels: BTreeMap<&str, usize> = BTreeMap::new();
    for pair in &pairs {
        *labels.entry(pair.label).or_default() += 1;
    }
    eprintln!("sentence pairs: {labels:?}");
    assert!(pairs.len() * 10 > sample.len() * 3 * 9);
}

/// Writes the samples of [`write_samples`] to the folder named by `STEMMA_SYNTH_SAMPLES`,
/// when it is set, for a reader to look through: the trainer has no command for it yet.
#[test]
fn samples_on_request() {
    let Some(dir) = std::env::var_os("STEMMA_SYNTH_SAMPLES") else {
        return;
    };
    if !crate::data::data_dir()
        .join("bbc-news/articles.jsonl")
        .exists()
    {
        eprintln!("skipped: no BBC articles");
        return;
    }
    write_samples(std::path::Path::new(&dir), 1).unwrap();
}
