//! `stemma serve` as a client meets it: the real server process on a loopback port, a
//! real index file, a real HTTP client. Every answer is checked, errors included, and a
//! bounded load of concurrent clients gets the same answers as one client alone.

mod support;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use reqwest::StatusCode;
use serde_json::{Value, json};

use support::{Server, client};

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The demo corpus's plain-text files as JSON records `{"id", "text"}`, by id.
fn records() -> Vec<Value> {
    let mut records = Vec::new();
    for folder in ["story", "other"] {
        for entry in std::fs::read_dir(examples().join(folder)).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                let id = path
                    .file_stem()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned();
                let text = std::fs::read_to_string(&path).expect("a text");
                records.push(json!({"id": id, "text": text}));
            }
        }
    }
    records.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    records
}

fn cli(args: &[&str]) -> String {
    let output = Command::cargo_bin("stemma")
        .expect("built")
        .env("STEMMA_MODEL", "off")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn error_of(response: reqwest::blocking::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().expect("a JSON error");
    (
        status,
        body["error"]
            .as_str()
            .expect("an error message")
            .to_string(),
    )
}

#[test]
fn the_api_answers_and_refuses_as_described() {
    let dir = tempfile::tempdir().expect("a directory");
    let index = dir.path().join("served.db");
    let token = dir.path().join("token");
    std::fs::write(&token, "s3cret\n").expect("written");
    let server = Server::start(
        &index,
        &[
            "--token-file",
            token.to_str().expect("UTF-8"),
            "--max-request-bytes",
            "200000",
        ],
    );
    let http = client();
    let url = |path: &str| format!("{}{path}", server.url);

    let health: Value = http
        .get(url("/healthz"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(
        health,
        json!({"status": "ok", "stemma": "0.1.0", "generation": 0})
    );
    let openapi: Value = http
        .get(url("/openapi.json"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(openapi["openapi"], "3.1.0");
    assert!(openapi["paths"]["/stories/{id}"]["get"].is_object());

    // Writes need the token.
    let records = records();
    let body = serde_json::to_string(&records).expect("JSON");
    let post = |body: &str, token: Option<&str>| {
        let mut request = http.post(url("/documents")).body(body.to_string());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().expect("answered")
    };
    assert_eq!(
        error_of(post(&body, None)),
        (
            StatusCode::UNAUTHORIZED,
            "this request needs `Authorization: Bearer TOKEN`".into()
        )
    );
    assert_eq!(
        error_of(post(&body, Some("guess"))),
        (StatusCode::UNAUTHORIZED, "the bearer token is wrong".into())
    );
    // Malformed bodies say what was wrong, and add nothing.
    let malformed = [
        (
            "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": ",
            "line 2: not JSON: EOF while parsing a value at line 1 column 7",
        ),
        (
            "[{\"id\": \"a\", \"text\": \"x\"}, 7]",
            "item 2: not a JSON object",
        ),
        (
            "[{\"id\": \"a\"}]",
            "item 1: neither a text (text, body or content) nor a url",
        ),
        (
            "[{\"url\": \"ftp://example.org/a\"}]",
            "item 1: url \"ftp://example.org/a\" is not an http:// or https:// address",
        ),
        (
            "",
            "no documents: send a JSON array or JSON Lines of {\"id\", \"text\", …} or {\"url\"}",
        ),
        (
            "[1, 2",
            "the body is not a JSON array: EOF while parsing a list at line 1 column 5",
        ),
    ];
    for (body, message) in malformed {
        assert_eq!(
            error_of(post(body, Some("s3cret"))),
            (StatusCode::BAD_REQUEST, message.to_string()),
            "{body}"
        );
    }
    let not_utf8 = http
        .post(url("/documents"))
        .bearer_auth("s3cret")
        .body(vec![b'[', 0xff, 0xfe, b']'])
        .send()
        .expect("answered");
    assert_eq!(
        error_of(not_utf8),
        (
            StatusCode::BAD_REQUEST,
            "the body is not UTF-8 text (byte 1)".into()
        )
    );
    let huge = "x".repeat(300_000);
    assert_eq!(
        error_of(post(&huge, Some("s3cret"))),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is over the size limit (--max-request-bytes)".into()
        )
    );
    let health: Value = http
        .get(url("/healthz"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(health["generation"], 0, "nothing was added");

    // A batch: what was added and which stories grew.
    let added: Value = post(&body, Some("s3cret")).json().expect("JSON");
    assert_eq!(added["added"], records.len());
    assert_eq!(added["unchanged"], 0);
    assert_eq!(added["skipped"], json!([]));
    assert_eq!(
        added["stories"],
        json!([{"story": "s1", "versions": 4, "added": ["edit", "paraphrase", "paraphrase-repost", "summary"]}])
    );
    // The same batch again, as JSON Lines: nothing changes.
    let lines: String = records.iter().map(|r| format!("{r}\n")).collect();
    let again: Value = post(&lines, Some("s3cret")).json().expect("JSON");
    assert_eq!(
        (again["added"].clone(), again["unchanged"].clone()),
        (json!(0), json!(records.len()))
    );

    // The stories are cluster's for the same documents.
    let corpus = dir.path().join("records.jsonl");
    std::fs::write(&corpus, &lines).expect("written");
    let clustered: Vec<Value> = cli(&["cluster", corpus.to_str().expect("UTF-8")])
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let stories: Value = http
        .get(url("/stories"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(stories["stories"], Value::Array(clustered.clone()));
    let several: Value = http
        .get(url("/stories?min_versions=2"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(several["stories"], json!([clustered[0]]));
    let containing: Value = http
        .get(url("/stories?containing=unrelated-2"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(containing["stories"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        containing["stories"][0]["documents"],
        json!(["unrelated-2"])
    );
    let (status, message) = error_of(
        http.get(url("/stories?min_versions=many"))
            .send()
            .expect("answered"),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("min_versions"), "{message}");
    let (status, message) = error_of(
        http.get(url("/stories?since=someday"))
            .send()
            .expect("answered"),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        message.starts_with("since: cannot read \"someday\""),
        "{message}"
    );

    // A story's report is the one `stemma index analyze` gives, from the same file, while
    // the server holds it open.
    let report: Value = http
        .get(url("/stories/s1"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    let index_arg = index.to_str().expect("UTF-8");
    let from_cli: Value = serde_json::from_str(&cli(&[
        "index", "analyze", "s1", "--index", index_arg, "--format", "json",
    ]))
    .expect("JSON");
    assert_eq!(report, from_cli);
    let page = http
        .get(url("/stories/s1?format=html"))
        .send()
        .expect("answered");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert!(
        page.text()
            .expect("text")
            .to_ascii_lowercase()
            .starts_with("<!doctype html>")
    );
    assert_eq!(
        error_of(
            http.get(url("/stories/s1?format=pdf"))
                .send()
                .expect("answered")
        ),
        (
            StatusCode::BAD_REQUEST,
            "format \"pdf\": use json or html".into()
        )
    );
    assert_eq!(
        error_of(http.get(url("/stories/s99")).send().expect("answered")),
        (
            StatusCode::NOT_FOUND,
            format!(
                "no story \"s99\" in the index (it has s1 to s{})",
                clustered.len()
            )
        )
    );
    assert_eq!(
        error_of(http.get(url("/nowhere")).send().expect("answered")),
        (StatusCode::NOT_FOUND, "no such endpoint".into())
    );

    // compare, as `stemma compare --format json`.
    let source = "At least 14 people were killed when a dam burst above Belozar on Thursday.";
    let version = "At least 41 people were killed when a dam burst above Belozar on Thursday.";
    let compared: Value = http
        .post(url("/compare"))
        .json(&json!({"source": source, "version": version}))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    std::fs::write(dir.path().join("source.txt"), source).expect("written");
    std::fs::write(dir.path().join("version.txt"), version).expect("written");
    let from_cli: Value = serde_json::from_str(&cli(&[
        "compare",
        "--format",
        "json",
        dir.path().join("source.txt").to_str().expect("UTF-8"),
        dir.path().join("version.txt").to_str().expect("UTF-8"),
    ]))
    .expect("JSON");
    assert_eq!(compared["drift"], from_cli["drift"]);
    assert_eq!(compared["derivation"], from_cli["derivation"]);
    assert_eq!(compared["drift"][0]["kind"], "changed");
    let (status, message) = error_of(
        http.post(url("/compare"))
            .body("{\"source\": \"a\"}")
            .send()
            .expect("answered"),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("missing field `version`"), "{message}");

    // `stemma index add` on the file the server holds: the server sees the new batch.
    cli(&[
        "index",
        "add",
        "--index",
        index_arg,
        examples()
            .join("story/expansion.md")
            .to_str()
            .expect("UTF-8"),
    ]);
    let stories: Value = http
        .get(url("/stories?containing=expansion"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(stories["generation"], 2);
    assert_eq!(
        stories["stories"][0]["documents"].as_array().map(Vec::len),
        Some(5)
    );
}

#[test]
fn private_reads_need_the_token() {
    let dir = tempfile::tempdir().expect("a directory");
    let token = dir.path().join("token");
    std::fs::write(&token, "letmein").expect("written");
    let server = Server::start(
        &dir.path().join("private.db"),
        &["--token-file", token.to_str().expect("UTF-8"), "--private"],
    );
    let http = client();
    let stories = http
        .get(format!("{}/stories", server.url))
        .send()
        .expect("answered");
    assert_eq!(stories.status(), StatusCode::UNAUTHORIZED);
    let stories = http
        .get(format!("{}/stories", server.url))
        .bearer_auth("letmein")
        .send()
        .expect("answered");
    assert_eq!(stories.status(), StatusCode::OK);
    let health = http
        .get(format!("{}/healthz", server.url))
        .send()
        .expect("answered");
    assert_eq!(health.status(), StatusCode::OK);
}

#[test]
fn eight_clients_get_every_answer_right_while_documents_arrive() {
    let dir = tempfile::tempdir().expect("a directory");
    let index = dir.path().join("load.db");
    let server = Server::start(&index, &[]);
    let http = client();
    let url = |path: &str| format!("{}{path}", server.url);
    let records = records();
    let added = http
        .post(url("/documents"))
        .body(serde_json::to_string(&records).expect("JSON"))
        .send()
        .expect("answered");
    assert_eq!(added.status(), StatusCode::OK);
    let report = http
        .get(url("/stories/s1"))
        .send()
        .expect("answered")
        .bytes()
        .expect("a body");
    let single = http
        .get(url("/stories/s2"))
        .send()
        .expect("answered")
        .bytes()
        .expect("a body");
    let pair = json!({
        "source": "At least 14 people were killed when a dam burst above Belozar on Thursday.",
        "version": "At least 41 people died when a dam burst above Belozar on Thursday."
    });
    let compared = http
        .post(url("/compare"))
        .json(&pair)
        .send()
        .expect("answered")
        .bytes()
        .expect("a body");
    const CLIENTS: usize = 8;
    const REQUESTS: usize = 300;
    std::thread::scope(|scope| {
        for client_no in 0..CLIENTS {
            let (http, report, single, compared, pair) =
                (&http, &report, &single, &compared, &pair);
            let url = &url;
            scope.spawn(move || {
                for n in 0..REQUESTS {
                    match (client_no + n) % 4 {
                        0 => {
                            let body = http.get(url("/stories/s1")).send().expect("answered");
                            assert_eq!(body.status(), StatusCode::OK);
                            assert_eq!(&body.bytes().expect("a body"), report);
                        }
                        1 => {
                            let body = http.get(url("/stories/s2")).send().expect("answered");
                            assert_eq!(body.status(), StatusCode::OK);
                            assert_eq!(&body.bytes().expect("a body"), single);
                        }
                        2 => {
                            let body = http.post(url("/compare")).json(pair).send().expect("answered");
                            assert_eq!(body.status(), StatusCode::OK);
                            assert_eq!(&body.bytes().expect("a body"), compared);
                        }
                        _ if client_no == 0 && n % 40 == 3 => {
                            // New unrelated documents whose ids sort last: the stories
                            // before them keep their numbers and reports.
                            let doc = json!([{"id": format!("zz-{n:04}"), "text": format!(
                                "Council notice {n}: the library of Marsh Lane will open at {} on weekdays from spring, the council said.",
                                n % 12 + 1
                            )}]);
                            let body = http.post(url("/documents")).json(&doc).send().expect("answered");
                            assert_eq!(body.status(), StatusCode::OK);
                            let added: Value = body.json().expect("JSON");
                            assert_eq!(added["added"], 1);
                        }
                        _ => {
                            let body = http.get(url("/stories?containing=edit")).send().expect("answered");
                            assert_eq!(body.status(), StatusCode::OK);
                            let stories: Value = body.json().expect("JSON");
                            assert_eq!(stories["stories"][0]["story"], "s1");
                            assert_eq!(stories["stories"][0]["documents"].as_array().map(Vec::len), Some(4));
                        }
                    }
                }
            });
        }
    });
    let stories: Value = http
        .get(url("/stories"))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    let documents: usize = stories["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["documents"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        documents,
        records.len() + (0..REQUESTS).filter(|n| n % 4 == 3 && n % 40 == 3).count()
    );
}
