//! The reports of `stemma analyze` and `stemma compare` as a user gets them: the built
//! binary on the demo corpus, its output checked for the contract of `SPEC.md` and issue 6.
//!
//! - JSON validates against `docs/report.schema.json` and is byte-identical run to run;
//! - text fits 100 columns and carries no colour when standard output is not a terminal;
//! - HTML is one self-contained page that names no network resource, with article text
//!   escaped (the browser test, `tests/browser.rs`, opens it in Chromium);
//! - `--out` writes the same bytes as standard output, an unwritable `--out` is exit
//!   status 1 with a message naming the file, and a closed standard output (`| head`) is
//!   success.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use serde_json::{Value, json};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The demo corpus as the README runs it: the two folders of articles (not
/// `examples/README.md`).
fn examples() -> [String; 2] {
    ["story", "other"].map(|dir| workspace().join("examples").join(dir).display().to_string())
}

fn story_file(name: &str) -> String {
    workspace()
        .join("examples/story")
        .join(name)
        .display()
        .to_string()
}

/// What one run of `stemma` left behind.
struct Run {
    status: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("the report is UTF-8")
    }
}

fn stemma(args: &[&str]) -> Run {
    let output = Command::cargo_bin("stemma")
        .expect("the stemma binary is built")
        .env("STEMMA_MODEL", "off")
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("stemma runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn success(args: &[&str]) -> Run {
    let run = stemma(args);
    assert_eq!(run.status, 0, "stemma {args:?} failed:\n{}", run.stderr);
    run
}

/// The report schema with `additionalProperties: false` on every object that lists its
/// properties (see `crates/stemma/tests/report_schema.rs`).
fn strict_schema() -> Value {
    fn strict(schema: &Value) -> Value {
        match schema {
            Value::Object(map) => {
                let mut map: serde_json::Map<String, Value> =
                    map.iter().map(|(k, v)| (k.clone(), strict(v))).collect();
                if map.get("type") == Some(&json!("object"))
                    && map.contains_key("properties")
                    && !map.contains_key("additionalProperties")
                {
                    map.insert("additionalProperties".into(), json!(false));
                }
                Value::Object(map)
            }
            Value::Array(items) => Value::Array(items.iter().map(strict).collect()),
            other => other.clone(),
        }
    }
    let text = std::fs::read_to_string(workspace().join("docs/report.schema.json"))
        .expect("docs/report.schema.json exists");
    strict(&serde_json::from_str(&text).expect("the schema is JSON"))
}

fn validate(schema: &Value, instance: &Value) {
    let validator = jsonschema::draft202012::new(schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the report does not match docs/report.schema.json:\n{}",
        errors.join("\n")
    );
}

#[test]
fn analyze_json_matches_the_schema_and_is_byte_identical_run_to_run() {
    let [story, other] = examples();
    let first = success(&["analyze", &story, &other, "--format", "json"]);
    let second = success(&[
        "analyze",
        &story,
        &other,
        "--format",
        "json",
        "--threads",
        "1",
    ]);
    assert!(
        first.stdout == second.stdout,
        "two runs on the same corpus wrote different JSON"
    );
    let report: Value = serde_json::from_slice(&first.stdout).expect("stdout is JSON");
    validate(&strict_schema(), &report);
    assert_eq!(report["documents"].as_array().unwrap().len(), 10);
}

#[test]
fn compare_json_matches_the_schema() {
    let run = success(&[
        "compare",
        &story_file("original.md"),
        &story_file("summary.txt"),
        "--format",
        "json",
    ]);
    let schema = strict_schema();
    let compare_schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": schema["$defs"],
        "$ref": "#/$defs/compare",
    });
    let value: Value = serde_json::from_slice(&run.stdout).expect("stdout is JSON");
    validate(&compare_schema, &value);
}

#[test]
fn analyze_text_off_a_terminal_is_plain_deterministic_and_100_columns_wide() {
    let [story, other] = examples();
    let first = success(&["analyze", &story, &other]);
    let second = success(&["analyze", &story, &other, "--threads", "1"]);
    assert!(
        first.stdout == second.stdout,
        "text output differs run to run"
    );
    let text = first.text();
    assert!(!text.contains('\x1b'), "colour codes in redirected output");
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "line wider than 100 columns: {line:?}"
        );
    }
    let last = text.lines().last().unwrap_or("");
    for part in ["stories", "versions", "drift item", "skipped input"] {
        assert!(last.contains(part), "summary line lacks {part}: {last:?}");
    }
    assert!(text.contains("lineage"), "no lineage table:\n{text}");
    assert!(
        text.contains("Drift, most serious first"),
        "no drift:\n{text}"
    );
    // The changed words of the planted 1,200 → 2,100 edit are marked.
    assert!(
        text.contains("[-1,200-]") && text.contains("{+2,100+}"),
        "the changed figure is not marked:\n{text}"
    );
}

#[test]
fn compare_text_marks_the_changed_date_and_lists_cut_sentences() {
    let run = success(&[
        "compare",
        &story_file("original.md"),
        &story_file("summary.txt"),
    ]);
    let text = run.text();
    assert!(
        text.contains("{+in 2019+}") || text.contains("{+2019+}"),
        "the changed date is not marked:\n{text}"
    );
    assert!(text.contains("Collation"));
    assert!(text.lines().any(|l| l.trim_start().starts_with("- [")));
    // The verdict says why: the changed year.
    assert!(
        text.contains("consistent: no (1 fact changed or added)"),
        "{text}"
    );
    // A repost changes nothing.
    let repost = success(&[
        "compare",
        &story_file("original.md"),
        &story_file("repost.html"),
    ]);
    assert!(
        repost
            .text()
            .contains("consistent: yes (no fact changed or added)"),
        "{}",
        repost.text()
    );
}

#[test]
fn out_writes_the_same_bytes_as_standard_output_for_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let [story, other] = examples();
    for format in ["text", "json", "html"] {
        let path = dir.path().join(format!("report.{format}"));
        let path_arg = path.display().to_string();
        let to_stdout = success(&["analyze", &story, &other, "--format", format]);
        let to_file = success(&[
            "analyze", &story, &other, "--format", format, "--out", &path_arg,
        ]);
        assert!(to_file.stdout.is_empty(), "--out also wrote to stdout");
        let written = std::fs::read(&path).expect("--out wrote the file");
        assert!(
            written == to_stdout.stdout,
            "{format}: --out differs from stdout"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".stemma-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn an_unwritable_out_is_exit_status_1_with_a_message_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let [story, other] = examples();
    let missing_dir = dir.path().join("no-such-dir/report.json");
    let a_directory = dir.path().to_path_buf();
    for (out, format) in [
        (&missing_dir, "json"),
        (&missing_dir, "text"),
        (&a_directory, "html"),
    ] {
        let out_arg = out.display().to_string();
        let run = stemma(&[
            "analyze", &story, &other, "--format", format, "--out", &out_arg,
        ]);
        assert_eq!(run.status, 1, "--out {out_arg}: {}", run.stderr);
        assert!(
            run.stderr.contains("cannot write") && run.stderr.contains(&out_arg),
            "unclear message for --out {out_arg}: {:?}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
    let run = stemma(&[
        "compare",
        &story_file("original.md"),
        &story_file("edit.txt"),
        "--format",
        "html",
        "--out",
        &missing_dir.display().to_string(),
    ]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
}

/// Runs `stemma ARGS` with its standard output closed before it writes, as `| head`
/// leaves it.
fn with_closed_stdout(args: &[&str]) -> (i32, String) {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("stemma"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stemma starts");
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().expect("stemma ends");
    (status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_closed_standard_output_is_success() {
    let [story, other] = examples();
    for format in ["text", "json", "html"] {
        let (status, stderr) = with_closed_stdout(&["analyze", &story, &other, "--format", format]);
        assert_eq!(status, 0, "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: stderr {stderr:?}");
    }
    let (status, stderr) = with_closed_stdout(&[
        "compare",
        &story_file("original.md"),
        &story_file("summary.txt"),
    ]);
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn analyze_piped_into_head_exits_0() {
    let script = format!(
        "set -o pipefail; '{}' analyze '{}' '{}' | head -1 >/dev/null",
        assert_cmd::cargo::cargo_bin("stemma").display(),
        examples()[0],
        examples()[1]
    );
    let output = StdCommand::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "stemma analyze | head -1 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_html_report_is_one_page_that_names_no_network_resource() {
    let [story, other] = examples();
    let run = success(&["analyze", &story, &other, "--format", "html"]);
    let again = success(&[
        "analyze",
        &story,
        &other,
        "--format",
        "html",
        "--threads",
        "1",
    ]);
    assert!(run.stdout == again.stdout, "HTML differs run to run");
    let page = run.text();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        page.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;"
        ) || page
            .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'")
    );
    let lower = page.to_lowercase();
    for forbidden in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "@import",
        "url(",
        "http://",
        "https://",
        " on",
        "javascript:",
    ] {
        let found = if forbidden == " on" {
            // No inline event handler attribute (` onload=`, ` onerror=`, …).
            lower.match_indices(" on").any(|(i, _)| {
                lower[i + 3..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count()
                    > 0
                    && lower[i + 3..]
                        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                        .starts_with('=')
            })
        } else {
            lower.contains(forbidden)
        };
        assert!(!found, "the page contains {forbidden:?}");
    }
    for part in [
        "class=\"lineage-tree\"",
        "class=\"collate\"",
        "class=\"drift\"",
        "class=\"facts\"",
    ] {
        assert!(page.contains(part), "the page has no {part}");
    }
}

#[test]
fn article_text_is_escaped_in_the_html_report() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "At least 14 people were killed after a dam burst above the town of Belozar \
                   <script>alert('pwned')</script>, officials said. About 1,200 residents \
                   were evacuated <img src=x onerror=\"alert('pwned')\"> from the valley.\n";
    std::fs::write(
        dir.path().join("original.md"),
        format!("---\ntitle: \"Dam <b onmouseover=alert(1)>bursts</b>\"\ndate: 2025-10-16\n---\n\n{hostile}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("copy\"><svg onload=alert(1)>.txt"),
        hostile.replace("1,200", "2,100"),
    )
    .unwrap();
    let dir_arg = dir.path().display().to_string();
    let run = success(&["analyze", &dir_arg, "--format", "html"]);
    let page = run.text();
    for raw in [
        "<script>alert",
        "<img src=x",
        "<b onmouseover",
        "<svg onload",
    ] {
        assert!(
            !page.contains(raw),
            "article markup {raw:?} reached the page"
        );
    }
    assert!(page.contains("&#60;script&#62;alert(&#39;pwned&#39;)&#60;/script&#62;"));
    let run = success(&[
        "compare",
        &format!("{dir_arg}/original.md"),
        &format!("{dir_arg}/copy\"><svg onload=alert(1)>.txt"),
        "--format",
        "html",
    ]);
    let page = run.text();
    assert!(!page.contains("<script>alert") && !page.contains("<svg onload"));
}

/// `--claims`: a version that joins the source's words into new statements is flagged
/// under `strict` (every word checked), left alone by `careful` when only ordinary words
/// are new, flagged by both when a name is new; `off` compares facts only; a wrong value
/// is refused with the choices named.
#[test]
fn claims_option_chooses_how_statements_are_checked() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let source = dir.path().join("source.txt");
    std::fs::write(
        &source,
        "Palace win at Selhurst Park\n\nCrystal Palace beat Manchester City 2-1 at Selhurst Park on Monday night. City had won at the Etihad a week earlier. Glenn Murray scored the first goal.\n",
    )
    .expect("written");
    let reworded = dir.path().join("reworded.txt");
    std::fs::write(
        &reworded,
        "Palace win\n\nCrystal Palace beat Manchester City 2-1 at Selhurst Park on Monday night, a famous result.\n",
    )
    .expect("written");
    let renamed = dir.path().join("renamed.txt");
    std::fs::write(
        &renamed,
        "Palace win\n\nCrystal Palace beat Manchester City 2-1 at Selhurst Park on Monday night. Wilfried Zaha scored the first goal.\n",
    )
    .expect("written");
    let claims = |version: &Path, check: &str| -> Vec<String> {
        let run = success(&[
            "compare",
            &source.display().to_string(),
            &version.display().to_string(),
            "--format",
            "json",
            "--claims",
            check,
        ]);
        let value: Value = serde_json::from_slice(&run.stdout).expect("JSON");
        value["drift"]
            .as_array()
            .expect("a drift list")
            .iter()
            .filter(|d| d["kind"] == "added")
            .map(|d| {
                format!(
                    "{} {}",
                    d["fact_kind"].as_str().unwrap_or(""),
                    d["version"]["text"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    assert!(claims(&reworded, "careful").is_empty());
    assert_eq!(
        claims(&reworded, "strict"),
        [
            "claim Crystal Palace beat Manchester City 2-1 at Selhurst Park on Monday night, a famous result."
        ]
    );
    assert!(claims(&reworded, "off").is_empty());
    let renamed_claims = claims(&renamed, "careful");
    assert!(
        renamed_claims.iter().any(|c| c.contains("Wilfried Zaha")),
        "{renamed_claims:?}"
    );

    let run = stemma(&[
        "compare",
        &source.display().to_string(),
        &reworded.display().to_string(),
        "--claims",
        "everything",
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("careful"), "{}", run.stderr);
}
