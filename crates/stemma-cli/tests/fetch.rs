//! Pages by address, fetched from a real HTTP server on a loopback port: the final
//! address is the document's id and URL, and every failure is one line with its reason.

mod support;

use std::time::Duration;

use assert_cmd::Command;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn stemma(args: &[&str]) -> Run {
    let output = Command::cargo_bin("stemma")
        .expect("the stemma binary is built")
        .env("STEMMA_MODEL", "off")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("stemma runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn a_page_is_read_from_its_final_address() {
    let base = support::page_server();
    let final_url = format!("{base}/article.html");
    for address in [final_url.clone(), format!("{base}/moved")] {
        let run = stemma(&["inspect", "--format", "json", &address]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let document = &report["documents"][0];
        assert_eq!(document["id"], final_url.as_str());
        assert_eq!(document["source"], final_url.as_str());
        // The address it was read from, not the canonical link the page gives.
        assert_eq!(document["url"], final_url.as_str());
        assert_eq!(document["title"], "Dam bursts above Belozar");
        assert_eq!(report["documents"].as_array().map(Vec::len), Some(1));
    }

    // compare and cluster take addresses too; a page compared with itself is a copy.
    let run = stemma(&[
        "compare",
        "--format",
        "json",
        &final_url,
        &format!("{base}/moved"),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let comparison: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(comparison["derivation"], "copy");
    let run = stemma(&["cluster", &final_url]);
    assert_eq!(
        run.stdout,
        format!("{{\"story\":\"s1\",\"documents\":[\"{final_url}\"]}}\n")
    );

    let dir = tempfile::tempdir().expect("a directory");
    let index = dir.path().join("pages.db");
    let index = index.to_str().expect("UTF-8");
    let run = stemma(&[
        "index",
        "add",
        "--index",
        index,
        &final_url,
        &format!("{base}/missing"),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("1 added, 0 revised, 0 unchanged, 1 skipped\n"),
        "{}",
        run.stdout
    );
    let run = stemma(&["index", "stories", "--index", index]);
    assert_eq!(
        run.stdout,
        format!("{{\"story\":\"s1\",\"documents\":[\"{final_url}\"]}}\n")
    );
}

#[test]
fn every_failure_has_a_one_line_reason() {
    let base = support::page_server();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        listener.local_addr().expect("an address").port()
    };
    let tls = base.replace("http://", "https://");
    let cases = [
        (format!("{base}/missing"), "HTTP 404 Not Found".to_string()),
        (
            format!("{base}/report.pdf"),
            "not HTML (content type application/pdf)".to_string(),
        ),
        (
            format!("{base}/huge.html"),
            "over the size limit of 1000000 bytes (--max-document-bytes)".to_string(),
        ),
        (
            format!("{base}/slow.html"),
            "timed out after 2 s".to_string(),
        ),
        (
            format!("{base}/loop"),
            "too many redirects (more than 5)".to_string(),
        ),
        (format!("{tls}/article.html"), "TLS failed: ".to_string()),
        (
            format!("http://127.0.0.1:{closed}/article.html"),
            "cannot connect: ".to_string(),
        ),
        (
            "http://no-such-host.invalid/news".to_string(),
            "cannot resolve no-such-host.invalid".to_string(),
        ),
    ];
    for (address, reason) in &cases {
        let run = stemma(&[
            "inspect",
            "--max-document-bytes",
            "1000000",
            "--fetch-timeout",
            "2",
            address,
        ]);
        assert_eq!(run.status, 1, "{address}: {}", run.stdout);
        let expected = format!("stemma: skipped {address}: {reason}");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert!(
            lines
                .first()
                .is_some_and(|line| line.starts_with(&expected)),
            "{address}: {}",
            run.stderr
        );
        assert_eq!(lines.len(), 2, "{address}: {}", run.stderr);
        assert_eq!(lines[1], "stemma: no document could be read");
    }
}

#[test]
fn the_server_fetches_the_addresses_it_is_sent() {
    let base = support::page_server();
    let dir = tempfile::tempdir().expect("a directory");
    let server = support::Server::start(&dir.path().join("served.db"), &[]);
    let body = serde_json::json!([
        {"url": format!("{base}/moved")},
        {"url": format!("{base}/report.pdf")},
        {"id": "note", "text": "A short note about the weather in Lowmere on Tuesday."}
    ]);
    let added: serde_json::Value = support::client()
        .post(format!("{}/documents", server.url))
        .json(&body)
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    assert_eq!(added["added"], 2, "{added}");
    assert_eq!(
        added["skipped"],
        serde_json::json!([{
            "source": format!("{base}/report.pdf"),
            "reason": "not HTML (content type application/pdf)"
        }])
    );
    let stories: serde_json::Value = support::client()
        .get(format!("{}/stories", server.url))
        .send()
        .expect("answered")
        .json()
        .expect("JSON");
    let ids: Vec<&str> = stories["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["documents"][0].as_str().expect("an id"))
        .collect();
    assert_eq!(ids, [format!("{base}/article.html").as_str(), "note"]);
}
