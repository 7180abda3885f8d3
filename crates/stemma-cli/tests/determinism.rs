//! Output that does not depend on how the work was scheduled or how the inputs were
//! listed: `analyze --format json` is the same bytes with one worker thread or two, and,
//! but for the `documents` list (which follows the input), for the same inputs given in
//! another order; `analyze --format jsonl` is the same bytes with one thread or two and
//! for the inputs in any order; `cluster` gives the same stories for shuffled input.
//!
//! Two corpora: the demo corpus in `examples/`, and a generated one of a few hundred
//! documents in stories of four versions (a lead, a copy, an edit with a changed figure
//! and a summary) with names, figures and weekdays for the fact stages to hold against
//! each other, plus single articles.

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn stemma(args: &[&str]) -> String {
    let output = Command::cargo_bin("stemma")
        .expect("the stemma binary is built")
        .env("STEMMA_MODEL", "off")
        .args(args)
        .output()
        .expect("stemma runs");
    assert!(
        output.status.success(),
        "stemma {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The example files one by one, in the order given.
fn example_files(reverse: bool) -> Vec<String> {
    let mut files = Vec::new();
    for folder in ["story", "other"] {
        let mut entries: Vec<String> = std::fs::read_dir(examples().join(folder))
            .expect("examples")
            .map(|entry| entry.expect("entry").path().display().to_string())
            .collect();
        entries.sort();
        files.extend(entries);
    }
    if reverse {
        files.reverse();
    }
    files
}

/// The report without its `documents` list, as text.
fn without_documents(json: &str) -> String {
    let mut report: Value = serde_json::from_str(json).expect("analyze JSON");
    report
        .as_object_mut()
        .expect("an object")
        .remove("documents");
    report.to_string()
}

fn analyze(threads: &str, inputs: &[String]) -> String {
    let mut args = vec!["analyze", "--format", "json", "--threads", threads];
    args.extend(inputs.iter().map(String::as_str));
    stemma(&args)
}

/// A deterministic generator, so the corpus is the same on every run.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "Anna Petrova",
    "Pavel Zaretsky",
    "Mara Quell",
    "Tomas Brink",
    "Ilse Varga",
    "Omar Haddad",
    "Lena Ostrova",
    "Felix Arden",
];
const PLACES: &[&str] = &[
    "Belozar", "Marvenna", "Kestrel", "Dunmore", "Ostrava", "Velling", "Carrow", "Ashby",
];
const ROLES: &[&str] = &["Interior Minister", "mayor", "governor", "police chief"];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const EVENTS: &[&str] = &["flood", "fire", "strike", "storm", "landslide", "blackout"];

/// One story's lead article: sentences about one event, with figures and names.
fn lead(random: &mut Random, story: usize) -> Vec<String> {
    let place = random.pick(PLACES);
    let event = random.pick(EVENTS);
    let name = random.pick(NAMES);
    let role = random.pick(ROLES);
    let mut sentences = vec![
        format!(
            "At least {} people were hurt in a {event} in {place} on {}, officials said.",
            3 + random.below(90),
            random.pick(DAYS)
        ),
        format!(
            "The {role} {name} said {} homes had been damaged and {} residents moved to \
             shelters.",
            10 + random.below(400),
            100 + random.below(5000)
        ),
        format!(
            "Repairs to the district, story {story}, are expected to cost about ${}m, the \
             council said in a statement.",
            2 + random.below(200)
        ),
    ];
    // Most of an article is its own words, so that stories are told apart by them.
    for _ in 0..10 {
        let words: Vec<String> = (0..14)
            .map(|_| format!("w{:04x}", random.below(6000)))
            .collect();
        sentences.push(format!("{}.", words.join(" ")));
    }
    sentences
}

/// One generated document: id, publication time, sentences.
type Record = (String, String, Vec<String>);

/// The generated corpus: `stories` stories of four versions and `singles` single
/// articles, in an order drawn from `order_seed` (0 keeps it as made).
fn corpus_records(stories: usize, singles: usize, order_seed: u64) -> Vec<Record> {
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut records: Vec<Record> = Vec::new();
    for s in 0..stories {
        let sentences = lead(&mut random, s);
        let day = 1 + s % 28;
        let at = |hour: u32| format!("2025-10-{day:02}T{hour:02}:00:00Z");
        let mut edit = sentences.clone();
        edit[1] = edit[1].replace(" homes", "0 homes");
        let summary = sentences[..3].to_vec();
        records.push((format!("story{s:03}-lead"), at(8), sentences.clone()));
        records.push((format!("story{s:03}-copy"), at(9), sentences));
        records.push((format!("story{s:03}-edit"), at(10), edit));
        records.push((format!("story{s:03}-summary"), at(11), summary));
    }
    for s in 0..singles {
        let sentences = lead(&mut random, 1000 + s);
        records.push((
            format!("single{s:03}"),
            format!("2025-11-{:02}T08:00:00Z", 1 + s % 28),
            sentences,
        ));
    }
    if order_seed != 0 {
        let mut shuffle = Random(order_seed);
        for i in (1..records.len()).rev() {
            records.swap(i, shuffle.below(i + 1));
        }
    }
    records
}

/// Writes the generated corpus as JSON Lines (see [`corpus_records`]).
fn write_corpus(path: &Path, stories: usize, singles: usize, order_seed: u64) {
    let mut file = std::fs::File::create(path).expect("corpus file");
    for (id, published, sentences) in corpus_records(stories, singles, order_seed) {
        let line = serde_json::json!({
            "id": id,
            "title": format!("Report {id}"),
            "published": published,
            "text": sentences.join(" "),
        });
        writeln!(file, "{line}").expect("write");
    }
}

/// Writes the generated corpus as one Markdown file per document in `dir`, and returns the
/// paths in the corpus order (see [`corpus_records`]).
fn write_corpus_files(dir: &Path, stories: usize, singles: usize, order_seed: u64) -> Vec<String> {
    corpus_records(stories, singles, order_seed)
        .into_iter()
        .map(|(id, published, sentences)| {
            let path = dir.join(format!("{id}.md"));
            let text = format!(
                "---\ntitle: Report {id}\ndate: {published}\n---\n\n{}\n",
                sentences.join(" ")
            );
            std::fs::write(&path, text).expect("write");
            path.display().to_string()
        })
        .collect()
}

fn analyze_jsonl(threads: &str, inputs: &[String]) -> String {
    let mut args = vec!["analyze", "--format", "jsonl", "--threads", threads];
    args.extend(inputs.iter().map(String::as_str));
    stemma(&args)
}

#[test]
fn the_demo_analysis_is_the_same_whatever_threads_and_order() {
    let forward = example_files(false);
    let backward = example_files(true);
    let one = analyze("1", &forward);
    let two = analyze("2", &forward);
    assert!(one == two, "analyze JSON differs between 1 and 2 threads");
    let reordered = analyze("2", &backward);
    assert_eq!(without_documents(&one), without_documents(&reordered));
    // The documents list follows the input, and holds the same documents.
    let ids = |json: &str| {
        let report: Value = serde_json::from_str(json).expect("JSON");
        let mut ids: Vec<String> = report["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .map(|d| d["id"].as_str().expect("id").to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&one), ids(&reordered));
}

#[test]
fn a_generated_analysis_is_the_same_whatever_threads_and_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let made = dir.path().join("made.jsonl");
    let shuffled = dir.path().join("shuffled.jsonl");
    write_corpus(&made, 50, 50, 0);
    write_corpus(&shuffled, 50, 50, 7);
    let made = vec![made.display().to_string()];
    let shuffled = vec![shuffled.display().to_string()];
    let one = analyze("1", &made);
    let two = analyze("2", &made);
    assert!(one == two, "analyze JSON differs between 1 and 2 threads");
    let two_shuffled = analyze("2", &shuffled);
    assert_eq!(without_documents(&one), without_documents(&two_shuffled));
    let report: Value = serde_json::from_str(&one).expect("JSON");
    assert_eq!(
        report["documents"].as_array().expect("documents").len(),
        250
    );
    // The planted drift is there to be ordered: the edits changed a figure.
    let drift: usize = report["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["drift"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(drift >= 25, "{drift} drift items");
    assert!(report["stories"].as_array().expect("stories").len() >= 50);
}

#[test]
fn cluster_gives_the_same_stories_for_shuffled_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut outputs = Vec::new();
    for seed in [0, 3, 11] {
        let path = dir.path().join(format!("corpus-{seed}.jsonl"));
        write_corpus(&path, 100, 100, seed);
        let path = path.display().to_string();
        for threads in ["1", "2"] {
            outputs.push(stemma(&["cluster", "--threads", threads, &path]));
        }
    }
    // Many stories, not one blob: the order of the stories is exercised (which story is
    // found, and how well, is for the cluster tests).
    assert!(outputs[0].lines().count() >= 100, "{}", outputs[0]);
    for output in &outputs[1..] {
        assert!(output == &outputs[0], "stories differ for shuffled input");
    }
}

#[test]
fn jsonl_is_the_same_bytes_whatever_threads_and_order() {
    // The demo corpus and two inputs that are skipped, so that the skipped lines are
    // ordered too.
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.txt");
    let binary = dir.path().join("binary.txt");
    std::fs::write(&empty, "").expect("write");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    let mut forward = example_files(false);
    forward.push(empty.display().to_string());
    forward.push(binary.display().to_string());
    let mut backward = forward.clone();
    backward.reverse();
    let one = analyze_jsonl("1", &forward);
    assert!(
        one == analyze_jsonl("2", &forward),
        "JSON Lines differ between 1 and 2 threads"
    );
    assert!(
        one == analyze_jsonl("2", &backward),
        "JSON Lines differ for inputs in another order"
    );
    assert_eq!(
        one.lines()
            .filter(|l| l.starts_with(r#"{"skipped":"#))
            .count(),
        2
    );

    // The generated corpus, one file per document, listed in three orders.
    let files = tempfile::tempdir().expect("temp dir");
    let made = write_corpus_files(files.path(), 50, 50, 0);
    let one = analyze_jsonl("1", &made);
    assert!(
        one == analyze_jsonl("2", &made),
        "JSON Lines differ between 1 and 2 threads"
    );
    for seed in [5, 9] {
        let shuffled = write_corpus_files(files.path(), 50, 50, seed);
        assert!(
            one == analyze_jsonl("2", &shuffled),
            "JSON Lines differ for inputs in another order"
        );
    }
    let lines: Vec<Value> = one
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    let summary = &lines.last().expect("a summary line")["summary"];
    assert_eq!(summary["documents"], 250);
    assert!(summary["stories"].as_u64().expect("stories") >= 50);
    assert!(summary["drift"].as_u64().expect("drift") >= 25);
    // Stories in story-id order.
    let ids: Vec<u64> = lines
        .iter()
        .filter_map(|line| line["story"]["id"].as_str())
        .map(|id| id.trim_start_matches('s').parse().expect("story id sN"))
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] + 1 == w[1]) && ids[0] == 1,
        "{ids:?}"
    );
}
