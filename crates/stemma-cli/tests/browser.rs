//! The HTML report in a real browser: headless Chromium opens the report of the demo corpus
//! and of a hostile corpus.
//!
//! - The demo report renders (a screenshot that is not blank), and the lineage tree, the
//!   collation, the drift markers and the drift panel are in the DOM. Nothing on the page
//!   trips its own Content-Security-Policy.
//! - A hostile corpus — articles whose text, title and file name carry `<script>`,
//!   `onerror=`, `<img>`, `<iframe>`, `<link>`, `@import`, `<meta http-equiv=refresh>`
//!   and `javascript:` aimed at a TCP listener on 127.0.0.1 — executes nothing (the page
//!   title is unchanged, no element of the articles exists in the DOM, no CSP violation
//!   is even attempted) and requests nothing (the listener sees no connection). A control
//!   page that does load from the listener proves that the listener would see one.
//!
//! Chromium is Debian's `chromium` (`/usr/bin/chromium`, or `STEMMA_CHROMIUM`), which
//! `.ci/run` installs. Without it the tests fail when `CI` is set and print a skip line
//! otherwise. The screenshots are kept under the target directory
//! (`target/tmp/stemma-browser/`) for a person to look at.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long one Chromium run may take before it is killed.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(120);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Chromium, or `None` (after printing why) when it is not installed and this is not CI.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("STEMMA_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "Chromium is not installed at {}: the browser tests need Debian's chromium \
             (`apt-get install -y chromium` in .ci/run), or STEMMA_CHROMIUM pointing at one",
            path.display()
        );
    }
    eprintln!(
        "skipping the browser test: no Chromium at {} (install Debian's chromium, or set \
         STEMMA_CHROMIUM); CI runs it",
        path.display()
    );
    None
}

/// Where the screenshots are kept for people to look at.
fn keep_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stemma-browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a Chromium run printed.
struct Browser {
    stdout: String,
    stderr: String,
}

impl Browser {
    /// Console messages about the Content-Security-Policy: anything the page tried and was
    /// refused.
    fn csp_violations(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains("CONSOLE") && l.contains("Content Security Policy"))
            .collect()
    }
}

/// Runs headless Chromium on `page` with `mode` (`--dump-dom` or `--screenshot=…`).
fn run_chromium(chromium: &Path, page: &Path, mode: &str) -> Browser {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", page.display());
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2000",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(mode)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so that a hung run can be ended with all its helpers.
        .process_group(0)
        .spawn()
        .expect("Chromium starts");
    let mut stdout_pipe = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout_pipe.read_to_string(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            panic!("Chromium did not finish within {CHROMIUM_TIMEOUT:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Browser {
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// A TCP listener on 127.0.0.1 that counts connections and answers each with a 404.
struct Listener {
    port: u16,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Listener {
    fn start() -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopping) = (connections.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        count.fetch_add(1, Ordering::SeqCst);
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
                        let mut request = [0u8; 2048];
                        let _ = stream.read(&mut request);
                        let _ = stream.write_all(
                            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Listener {
            port,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    /// Connections so far, after a moment for late ones to arrive.
    fn connections(&self) -> usize {
        std::thread::sleep(Duration::from_millis(300));
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Writes the HTML report of `inputs` to `out`.
fn html_report(inputs: &[&Path], out: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .arg("analyze")
        .args(inputs)
        .args(["--format", "html", "--out"])
        .arg(out)
        .output()
        .expect("stemma runs");
    assert!(
        output.status.success(),
        "stemma analyze --format html failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Luminance statistics of a PNG: (variance, share of pixels away from the commonest).
fn pixel_spread(png_path: &Path) -> (f64, f64) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).expect("the screenshot exists"),
    ));
    let mut reader = decoder.read_info().expect("the screenshot is a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
    let info = reader.next_frame(&mut buffer).expect("the PNG decodes");
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "an 8-bit screenshot");
    let pixels = &buffer[..info.buffer_size()];
    let luminance: Vec<u8> = pixels
        .chunks(channels)
        .map(|p| {
            if channels >= 3 {
                ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000)
                    as u8
            } else {
                p[0]
            }
        })
        .collect();
    let n = luminance.len() as f64;
    let mean = luminance.iter().map(|&l| f64::from(l)).sum::<f64>() / n;
    let variance = luminance
        .iter()
        .map(|&l| (f64::from(l) - mean).powi(2))
        .sum::<f64>()
        / n;
    let mut histogram = [0usize; 256];
    for &l in &luminance {
        histogram[usize::from(l)] += 1;
    }
    let commonest = histogram.iter().copied().max().unwrap_or(0) as f64;
    (variance, 1.0 - commonest / n)
}

/// The text of the first `<title>` of a dumped DOM.
fn dom_title(dom: &str) -> &str {
    let start = dom
        .find("<title>")
        .map(|i| i + "<title>".len())
        .unwrap_or(0);
    let end = dom[start..]
        .find("</title>")
        .map(|i| start + i)
        .unwrap_or(start);
    &dom[start..end]
}

#[test]
fn the_demo_report_renders_with_its_lineage_collation_and_drift() {
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let examples = workspace().join("examples");
    html_report(&[&examples.join("story"), &examples.join("other")], &page);

    let screenshot = keep_dir().join("demo.png");
    let _ = std::fs::remove_file(&screenshot);
    let shot = run_chromium(
        &chromium,
        &page,
        &format!("--screenshot={}", screenshot.display()),
    );
    let (variance, inked) = pixel_spread(&screenshot);
    eprintln!(
        "demo report screenshot: {} (luminance variance {variance:.0}, {:.1}% of pixels \
         away from the background)",
        screenshot.display(),
        100.0 * inked
    );
    assert!(
        variance > 200.0 && inked > 0.05,
        "the screenshot {} looks blank (variance {variance:.1}, {:.2}% inked)",
        screenshot.display(),
        100.0 * inked
    );

    let dump = run_chromium(&chromium, &page, "--dump-dom");
    let dom = &dump.stdout;
    assert!(
        dom_title(dom).starts_with("stemma"),
        "title {:?}",
        dom_title(dom)
    );
    for (what, needle) in [
        ("the lineage tree", "<svg class=\"lineage-tree\""),
        ("a node of the tree", "class=\"node original\""),
        ("an edge of the tree", "class=\"edge edit\""),
        ("a derivation label on an edge", "class=\"elabel edit\""),
        ("the collation table", "<table class=\"collate\">"),
        ("a cut sentence", "class=\"cut"),
        ("a changed word", "class=\"chg"),
        ("a drift marker", "class=\"marker changed\""),
        ("the marker's explanation", "class=\"tip\" role=\"tooltip\""),
        ("the drift panel", "<ol class=\"drift\">"),
        ("a drift item", "class=\"item changed\""),
        ("the fact table", "<table class=\"facts\">"),
        ("the story list", "<nav class=\"stories\""),
    ] {
        assert!(dom.contains(needle), "{what} ({needle}) is not in the DOM");
    }
    let violations: Vec<&str> = shot
        .csp_violations()
        .into_iter()
        .chain(dump.csp_violations())
        .collect();
    assert!(
        violations.is_empty(),
        "the page trips its own Content-Security-Policy:\n{}",
        violations.join("\n")
    );
}

/// The demo original with hostile markup aimed at `port` in its title and text.
fn hostile_corpus(dir: &Path, port: u16) {
    let original = std::fs::read_to_string(workspace().join("examples/story/original.md"))
        .expect("the demo original exists");
    // The body after the front matter.
    let body = original
        .splitn(3, "---")
        .nth(2)
        .expect("the demo original has front matter")
        .trim()
        .to_string();
    let url = format!("http://127.0.0.1:{port}");
    let attacks = [
        "Officials said <script>document.title='pwned'</script> the toll would rise.".to_string(),
        "Photographs <img src=x onerror=\"document.title='pwned'\"> showed the breach.".to_string(),
        format!("A reporter <img src=\"{url}/img.png\"> filed from the valley."),
        format!("The operator <iframe src=\"{url}/frame\"></iframe> did not comment."),
        format!("Rescuers <link rel=\"stylesheet\" href=\"{url}/style.css\"> worked all night."),
        format!(
            "The valley <style>@import url({url}/import.css); body {{ background: url({url}/bg.png) }}</style> flooded."
        ),
        format!("Schools <meta http-equiv=\"refresh\" content=\"0; url={url}/refresh\"> closed."),
        format!(
            "Roads <svg onload=\"document.title='pwned'\"><image href=\"{url}/svg.png\"/></svg> were cut."
        ),
        format!(
            "Power <a href=\"javascript:document.title='pwned'\">failed</a> in 8,000 homes <object data=\"{url}/object\"></object>."
        ),
        format!(
            "{{{{ title }}}} {{% raw %}} </textarea></title></style> \"'><img src=\"{url}/breakout.png\">"
        ),
    ];
    let hostile_body = format!("{body}\n\n{}\n", attacks.join("\n\n"));
    std::fs::write(
        dir.join("original.md"),
        format!(
            "---\ntitle: \"Dam bursts <script>document.title='pwned'</script><img src='{url}/title.png'>\"\ndate: 2025-10-16T07:45:00Z\n---\n\n{hostile_body}"
        ),
    )
    .unwrap();
    // A copy with one changed figure (so that the report has drift) under a hostile name.
    std::fs::write(
        dir.join("copy\"><img src=x onerror=document.title='pwned'>.txt"),
        format!(
            "Dam <img src=\"{url}/copy-title.png\"> bursts\n\n{}",
            hostile_body.replace("1,200", "2,100")
        ),
    )
    .unwrap();
    // An unrelated single-version story, for the list of single stories.
    std::fs::write(
        dir.join("single.md"),
        format!(
            "---\ntitle: \"Club signs striker <img src='{url}/single.png'>\"\n---\n\nAshcombe City \
             signed a striker on Monday <script>document.title='pwned'</script> in a record deal.\n"
        ),
    )
    .unwrap();
}

#[test]
fn a_hostile_article_executes_nothing_and_requests_nothing() {
    let Some(chromium) = chromium() else {
        return;
    };
    let listener = Listener::start();
    let dir = tempfile::tempdir().unwrap();

    // The control: a page that does load from the listener must be seen, or the check
    // below would prove nothing.
    let control = dir.path().join("control.html");
    std::fs::write(
        &control,
        format!(
            "<!DOCTYPE html><title>control</title><img src=\"http://127.0.0.1:{}/control.png\">",
            listener.port
        ),
    )
    .unwrap();
    run_chromium(&chromium, &control, "--dump-dom");
    let control_connections = listener.connections();
    assert!(
        control_connections > 0,
        "a page that loads an image from 127.0.0.1:{} made no connection: the listener \
         cannot detect requests here",
        listener.port
    );

    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    hostile_corpus(&corpus, listener.port);
    let page = dir.path().join("hostile.html");
    html_report(&[&corpus], &page);

    let screenshot = keep_dir().join("hostile.png");
    let shot = run_chromium(
        &chromium,
        &page,
        &format!("--screenshot={}", screenshot.display()),
    );
    let dump = run_chromium(&chromium, &page, "--dump-dom");
    let dom = &dump.stdout;
    let title = dom_title(dom);
    assert!(
        title.starts_with("stemma: ") && title != "pwned",
        "the page title was changed: {title:?}"
    );
    // The articles' markup is on the page as text, and none of it as elements.
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "the hostile text is not shown as text"
    );
    for element in [
        "<script",
        "<img",
        "<iframe",
        "<link",
        "<object",
        "<image",
        "<style>@import",
        "<meta http-equiv=\"refresh\"",
        "<a href=\"javascript:",
    ] {
        assert!(
            !dom.contains(element),
            "an article's {element} became an element of the page"
        );
    }
    let violations: Vec<&str> = shot
        .csp_violations()
        .into_iter()
        .chain(dump.csp_violations())
        .collect();
    assert!(
        violations.is_empty(),
        "an article's markup reached the browser (blocked by the CSP):\n{}",
        violations.join("\n")
    );
    let connections = listener.connections() - control_connections;
    assert_eq!(
        connections, 0,
        "opening the hostile report made {connections} connection(s) to 127.0.0.1:{}",
        listener.port
    );
}
