//! What the server and fetch tests share: a `stemma serve` process on a free loopback
//! port, and a small HTTP server of pages (slow, huge, redirecting, missing, not HTML) on
//! another.

#![allow(dead_code)] // each test crate uses its own share of these

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The built binary.
pub fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("stemma")
}

/// A running `stemma serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Server {
    /// Starts `stemma serve --index INDEX --addr 127.0.0.1:0` with `extra` arguments and
    /// waits (at most a minute) for the line that gives its address.
    pub fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(binary())
            .args(["serve", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .args(extra)
            .env("STEMMA_MODEL", "off")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("stemma serve starts");
        let stdout = child.stdout.take().expect("its standard output");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!("stemma serve did not say where it listens within a minute");
            }
        };
        let url = line
            .trim()
            .strip_prefix("stemma: serving on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Server { child, url }
    }

    /// Kills the process (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP client with timeouts, so no test can hang on a request.
pub fn client() -> reqwest::blocking::Client {
    // The TLS provider reqwest is built to expect (the binary installs the same one).
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("a client")
}

/// The article page the page server serves.
pub const ARTICLE: &str = "<!doctype html><html><head><title>Dam bursts above Belozar</title>\
<link rel=\"canonical\" href=\"https://elsewhere.example/dam\"></head><body><article>\
<h1>Dam bursts above Belozar</h1>\
<p>At least 14 people were killed when a dam burst above the town of Belozar on Thursday, \
officials in the region of Korvask said.</p>\
<p>About 1,200 residents were evacuated from low-lying parts of Belozar and the nearby \
villages of Lozavka and Dubrets, according to the regional Civil Defence Service.</p>\
<p>Governor Anton Veresov called the disaster the worst in the history of the region and \
said 300 rescuers were searching the valley.</p></article></body></html>";

/// Serves, on a free loopback port and until the process ends: `/article.html` (the
/// article), `/moved` (302 to it), `/loop` (302 to itself), `/missing` (404),
/// `/report.pdf` (a PDF), `/huge.html` (an HTML page of 5 MB), `/slow.html` (the article
/// after 10 seconds). Returns `http://127.0.0.1:PORT`.
pub fn page_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    base
}

fn answer(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (status, kind, extra, body): (&str, &str, String, Vec<u8>) = match path.as_str() {
        "/article.html" => (
            "200 OK",
            "text/html; charset=utf-8",
            String::new(),
            ARTICLE.into(),
        ),
        "/moved" => (
            "302 Found",
            "text/plain",
            "Location: /article.html\r\n".into(),
            b"moved".to_vec(),
        ),
        "/loop" => (
            "302 Found",
            "text/plain",
            "Location: /loop\r\n".into(),
            b"again".to_vec(),
        ),
        "/report.pdf" => (
            "200 OK",
            "application/pdf",
            String::new(),
            b"%PDF-1.4 not a page".to_vec(),
        ),
        "/huge.html" => {
            let mut body = b"<html><body><article>".to_vec();
            while body.len() < 5_000_000 {
                body.extend_from_slice(
                    b"<p>The same long paragraph about a dam, again and again.</p>",
                );
            }
            body.extend_from_slice(b"</article></body></html>");
            ("200 OK", "text/html", String::new(), body)
        }
        "/slow.html" => {
            std::thread::sleep(Duration::from_secs(10));
            ("200 OK", "text/html", String::new(), ARTICLE.into())
        }
        _ => (
            "404 Not Found",
            "text/plain",
            String::new(),
            b"no such page".to_vec(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
    let mut rest = Vec::new();
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let _ = stream.read_to_end(&mut rest);
}
