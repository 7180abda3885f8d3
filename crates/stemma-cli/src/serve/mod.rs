//! `stemma serve`: the index over HTTP, a JSON API (described in `openapi.json`, served at
//! `/openapi.json`).
//!
//! The server is a thin driver like the rest of the binary: it reads requests, hands the
//! work to the same functions as `stemma index` and `stemma compare`, and writes their
//! results. The database work and the analysis run on blocking threads, each request with
//! a connection of its own (a small pool), so a slow analysis never holds up the event
//! loop and, the file being in WAL mode, readers never wait for a writer. Writes of this
//! server are taken one at a time; a `stemma index add` on the same file waits its turn
//! through SQLite's lock.
//!
//! Nothing a client sends reaches the index unchecked: a body over the size limit is
//! refused with 413 before it is read whole, a malformed one with 400 and a JSON error
//! that says what was wrong, and a panic inside the work of one request (there should be
//! none) becomes that request's 500, not the server's end.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clap::Args;
use serde::Deserialize;

use stemma::analysis::AnalyzeConfig;
use stemma::corpus;
use stemma::ingest::{IngestConfig, Input, MemoryInput};
use stemma::report::{html, json};

use crate::fetch::{self, FetchConfig};
use crate::index::{self, Index, Stories};
use crate::index_cmd::{self, StoryFilter};

/// Arguments of `stemma serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// The index file (SQLite), created when missing. Also read from STEMMA_INDEX;
    /// default ./stemma.db.
    #[arg(long, value_name = "FILE")]
    index: Option<PathBuf>,
    /// The address to listen on.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    addr: String,
    /// A file holding the bearer token that write requests (POST /documents) must carry
    /// as `Authorization: Bearer TOKEN`; without it, writes are open to anyone who can
    /// reach the address.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Read requests need the token too (all but /healthz). Requires --token-file.
    #[arg(long, requires = "token_file")]
    private: bool,
    /// Requests with a larger body are refused (413).
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    max_request_bytes: usize,
    /// Skip any document (or fetched page) larger than this many bytes.
    #[arg(long, default_value_t = IngestConfig::default().max_document_bytes, value_name = "BYTES")]
    max_document_bytes: u64,
    /// The most seconds fetching one address (`{"url": …}`) may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    fetch_timeout: f64,
    #[command(flatten)]
    check: crate::CheckArgs,
}

/// Bytes of rendered reports kept; past it the cache starts again empty.
const REPORT_CACHE_BYTES: usize = 256 * 1024 * 1024;

struct App {
    path: PathBuf,
    token: Option<String>,
    private: bool,
    ingest: IngestConfig,
    fetch: FetchConfig,
    analyze: AnalyzeConfig,
    /// Idle read connections.
    readers: Mutex<Vec<Index>>,
    /// This server's writes, one at a time.
    writer: Mutex<()>,
    /// The stories of the latest generation seen; recomputing them is serialised.
    stories: Mutex<Option<Arc<Stories>>>,
    /// Rendered reports.
    reports: Mutex<ReportCache>,
}

/// Rendered story reports, by what makes them: the story's number, the revisions of its
/// documents (their rows) and the format. A batch that leaves a story as it was leaves
/// its report cached.
#[derive(Default)]
struct ReportCache {
    bytes: usize,
    reports: HashMap<ReportKey, Arc<Vec<u8>>>,
}

type ReportKey = (usize, Vec<i64>, bool);

/// An error answer: a status and a JSON body `{"error": …}`.
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.1 }).to_string();
        (self.0, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

fn internal(error: impl std::fmt::Display) -> ApiError {
    ApiError(StatusCode::INTERNAL_SERVER_ERROR, format!("{error:#}"))
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, message.into())
}

type ApiResult = std::result::Result<Response, ApiError>;

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Runs `stemma serve` until interrupted.
pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let path = index::resolve_path(args.index.as_deref());
    let token = match &args.token_file {
        Some(file) => {
            let token = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read the token file {}", file.display()))?;
            let token = token.trim().to_string();
            if token.is_empty() {
                bail!("the token file {} is empty", file.display());
            }
            Some(token)
        }
        None => None,
    };
    // Opened (created, upgraded) once here, so a file that cannot be used fails at start.
    let first = Index::open(&path)?;
    let app = Arc::new(App {
        path,
        token,
        private: args.private,
        ingest: IngestConfig {
            max_document_bytes: args.max_document_bytes,
        },
        fetch: FetchConfig {
            max_bytes: args.max_document_bytes,
            timeout: std::time::Duration::from_secs_f64(args.fetch_timeout.clamp(0.001, 86_400.0)),
        },
        analyze: args.check.config(None)?,
        readers: Mutex::new(vec![first]),
        writer: Mutex::new(()),
        stories: Mutex::new(None),
        reports: Mutex::new(ReportCache::default()),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(serve(app, &args.addr, args.max_request_bytes))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(app: Arc<App>, addr: &str, max_request_bytes: usize) -> Result<()> {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .route("/documents", post(post_documents))
        .route("/stories", get(get_stories))
        .route("/stories/{id}", get(get_story))
        .route("/compare", post(post_compare))
        .fallback(|| async { ApiError(StatusCode::NOT_FOUND, "no such endpoint".into()) })
        .layer(DefaultBodyLimit::max(max_request_bytes))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local: SocketAddr = listener.local_addr()?;
    // The first line on standard output says where to reach the server (with port 0, the
    // port the system chose).
    println!("stemma: serving on http://{local}");
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server failed")?;
    Ok(())
}

impl App {
    /// Whether a request may go on: the token, when one is needed.
    fn check(&self, headers: &HeaderMap, write: bool) -> std::result::Result<(), ApiError> {
        let Some(token) = &self.token else {
            return Ok(());
        };
        if !write && !self.private {
            return Ok(());
        }
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match given {
            Some(given) if constant_time_eq(given.trim().as_bytes(), token.as_bytes()) => Ok(()),
            Some(_) => Err(ApiError(
                StatusCode::UNAUTHORIZED,
                "the bearer token is wrong".into(),
            )),
            None => Err(ApiError(
                StatusCode::UNAUTHORIZED,
                "this request needs `Authorization: Bearer TOKEN`".into(),
            )),
        }
    }

    /// Runs `work` with a read connection from the pool.
    fn with_reader<T>(&self, work: impl FnOnce(&mut Index) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let mut reader = match pooled {
            Some(reader) => reader,
            None => Index::open(&self.path)?,
        };
        let result = work(&mut reader);
        let mut pool = lock(&self.readers);
        if pool.len() < 16 {
            pool.push(reader);
        }
        result
    }

    /// The stories of the index as it is now.
    fn current_stories(&self, reader: &mut Index) -> Result<Arc<Stories>> {
        let generation = reader.generation()?;
        let mut cached = lock(&self.stories);
        if let Some(stories) = cached.as_ref()
            && stories.generation == generation
        {
            return Ok(Arc::clone(stories));
        }
        let stories = Arc::new(reader.stories(true)?);
        *cached = Some(Arc::clone(&stories));
        Ok(stories)
    }
}

/// Locks a mutex; one held by a request that failed is taken over as it is (every value
/// kept behind these locks is whole between statements: a pool, a cache, a turn).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Compares without returning early, so the time taken does not tell how much matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Runs blocking work off the event loop; a panic in it is that request's 500.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::result::Result<T, ApiError> + Send + 'static,
) -> std::result::Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(error) => Err(internal(format!("the request failed: {error}"))),
    }
}

fn body_of(
    body: std::result::Result<Bytes, BytesRejection>,
) -> std::result::Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        let status = rejection.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "the request body is over the size limit (--max-request-bytes)".to_string()
        } else {
            format!("cannot read the request body: {}", rejection.body_text())
        };
        ApiError(status, message)
    })
}

async fn healthz(State(app): State<Arc<App>>) -> ApiResult {
    blocking(move || {
        let generation = app
            .with_reader(|reader| reader.generation())
            .map_err(internal)?;
        let body = serde_json::json!({"status": "ok", "stemma": stemma::VERSION, "generation": generation});
        Ok(json_response(StatusCode::OK, body.to_string().into_bytes()))
    })
    .await
}

async fn openapi() -> Response {
    json_response(
        StatusCode::OK,
        include_str!("openapi.json").as_bytes().to_vec(),
    )
}

/// Turns the body of `POST /documents` into inputs: a JSON array or JSON Lines of objects,
/// each a document (`id`, `title`, `text` | `body` | `content`, `date` | `published`,
/// `url`) or an address to fetch (`{"url": …}` alone).
fn request_inputs(body: &[u8], fetch: &FetchConfig) -> std::result::Result<Vec<Input>, ApiError> {
    let text = std::str::from_utf8(body).map_err(|error| {
        bad_request(format!(
            "the body is not UTF-8 text (byte {})",
            error.valid_up_to()
        ))
    })?;
    let trimmed = text.trim_start();
    let items: Vec<(String, serde_json::Value)> = if trimmed.starts_with('[') {
        let values: Vec<serde_json::Value> = serde_json::from_str(trimmed)
            .map_err(|error| bad_request(format!("the body is not a JSON array: {error}")))?;
        values
            .into_iter()
            .enumerate()
            .map(|(k, v)| (format!("item {}", k + 1), v))
            .collect()
    } else {
        let mut items = Vec::new();
        for (k, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(line)
                .map_err(|error| bad_request(format!("line {}: not JSON: {error}", k + 1)))?;
            items.push((format!("line {}", k + 1), value));
        }
        items
    };
    if items.is_empty() {
        return Err(bad_request(
            "no documents: send a JSON array or JSON Lines of {\"id\", \"text\", …} or {\"url\"}",
        ));
    }
    let mut lines = Vec::new();
    let mut inputs = Vec::new();
    for (place, item) in items {
        let Some(object) = item.as_object() else {
            return Err(bad_request(format!("{place}: not a JSON object")));
        };
        let has_text = ["text", "body", "content"]
            .iter()
            .any(|field| object.contains_key(*field));
        match object.get("url") {
            Some(serde_json::Value::String(url)) if !has_text => {
                if !fetch::is_address(url) {
                    return Err(bad_request(format!(
                        "{place}: url {url:?} is not an http:// or https:// address"
                    )));
                }
                inputs.push(fetch::fetch(url, fetch));
            }
            Some(other) if !has_text && !other.is_string() => {
                return Err(bad_request(format!("{place}: url is not a string")));
            }
            _ if !has_text => {
                return Err(bad_request(format!(
                    "{place}: neither a text (text, body or content) nor a url"
                )));
            }
            _ => {
                lines.extend_from_slice(item.to_string().as_bytes());
                lines.push(b'\n');
            }
        }
    }
    if !lines.is_empty() {
        inputs.insert(
            0,
            Input::Memory(Arc::new(MemoryInput {
                source: "request".to_string(),
                name: "request.jsonl".to_string(),
                id: None,
                url: None,
                content: Ok(Arc::from(lines)),
            })),
        );
    }
    Ok(inputs)
}

async fn post_documents(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> ApiResult {
    app.check(&headers, true)?;
    let body = body_of(body)?;
    blocking(move || {
        let inputs = request_inputs(&body, &app.fetch)?;
        let _turn = lock(&app.writer);
        let report = index_cmd::add_batch(&app.path, |put| {
            let mut skipped_all = Vec::new();
            let mut failure = false;
            corpus::stream_map(
                &inputs,
                &app.ingest,
                256,
                corpus::Sentences::Split,
                &|document| index::prepare(&document),
                &mut |batch, skipped| {
                    skipped_all.extend(skipped);
                    for (id, prepared) in batch {
                        if failure {
                            break;
                        }
                        let done = prepared
                            .map_err(anyhow::Error::from)
                            .and_then(|prepared| put(id, &prepared));
                        failure = done.is_err();
                    }
                },
            );
            skipped_all
        })
        .map_err(internal)?;
        let body = serde_json::to_vec(&report).map_err(internal)?;
        Ok(json_response(StatusCode::OK, body))
    })
    .await
}

#[derive(Deserialize)]
struct StoriesQuery {
    since: Option<String>,
    containing: Option<String>,
    min_versions: Option<usize>,
}

async fn get_stories(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    query: std::result::Result<Query<StoriesQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    app.check(&headers, false)?;
    let Query(query) = query.map_err(|error| bad_request(error.body_text()))?;
    let filter = StoryFilter {
        since: query
            .since
            .as_deref()
            .map(index_cmd::parse_since)
            .transpose()
            .map_err(|error| bad_request(format!("since: {error}")))?,
        containing: query.containing,
        min_versions: query.min_versions.unwrap_or(1),
    };
    blocking(move || {
        app.with_reader(|reader| {
            let stories = app.current_stories(reader)?;
            let picked = index_cmd::filter_stories(reader, &stories, &filter)?;
            let mut body =
                format!("{{\"generation\":{},\"stories\":[", stories.generation).into_bytes();
            for (n, &k) in picked.iter().enumerate() {
                if n > 0 {
                    body.push(b',');
                }
                index_cmd::write_story_line(&mut body, &stories, k)?;
                body.pop(); // the line's newline
            }
            body.extend_from_slice(b"]}");
            Ok(json_response(StatusCode::OK, body))
        })
        .map_err(internal)
    })
    .await
}

#[derive(Deserialize)]
struct StoryQuery {
    format: Option<String>,
}

async fn get_story(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    UrlPath(story): UrlPath<String>,
    query: std::result::Result<Query<StoryQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    app.check(&headers, false)?;
    let Query(query) = query.map_err(|error| bad_request(error.body_text()))?;
    let as_html = match query.format.as_deref() {
        None | Some("json") => false,
        Some("html") => true,
        Some(other) => {
            return Err(bad_request(format!("format {other:?}: use json or html")));
        }
    };
    blocking(move || {
        let outcome = app.with_reader(|reader| {
            let stories = app.current_stories(reader)?;
            let Some(k) = stories.find(&story) else {
                return Ok(Err(ApiError(
                    StatusCode::NOT_FOUND,
                    format!(
                        "no story {story:?} in the index (it has s1 to s{})",
                        stories.members.len()
                    ),
                )));
            };
            let key: ReportKey = (k, reader.rows(&stories.members[k])?, as_html);
            if let Some(body) = lock(&app.reports).reports.get(&key) {
                return Ok(Ok(Arc::clone(body)));
            }
            let (documents, analyses) = index::analyze(reader, &stories, &[k], &app.analyze)?;
            let mut body = Vec::new();
            if as_html {
                html::write_report(&mut body, &documents, &[], &analyses)?;
            } else {
                serde_json::to_writer(&mut body, &json::report(&documents, &[], &analyses))?;
            }
            let body = Arc::new(body);
            let mut cache = lock(&app.reports);
            if cache.bytes + body.len() > REPORT_CACHE_BYTES {
                *cache = ReportCache::default();
            }
            cache.bytes += body.len();
            cache.reports.insert(key, Arc::clone(&body));
            Ok(Ok(body))
        });
        let body = outcome.map_err(internal)??;
        let kind = if as_html {
            "text/html; charset=utf-8"
        } else {
            "application/json"
        };
        Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, kind)],
            body.as_ref().clone(),
        )
            .into_response())
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompareRequest {
    source: String,
    version: String,
}

async fn post_compare(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> ApiResult {
    app.check(&headers, false)?;
    let body = body_of(body)?;
    let request: CompareRequest = serde_json::from_slice(&body).map_err(|error| {
        bad_request(format!(
            "the body must be {{\"source\": TEXT, \"version\": TEXT}}: {error}"
        ))
    })?;
    blocking(move || {
        let source = corpus::document_from_text("source", "source", &request.source)
            .map_err(|skip| bad_request(format!("source: {}", skip.reason)))?;
        let version = corpus::document_from_text("version", "version", &request.version)
            .map_err(|skip| bad_request(format!("version: {}", skip.reason)))?;
        let comparison = stemma::analysis::compare(&source, &version, &app.analyze);
        let entry = json::compare_entry(None, &source, &version, &comparison, true);
        let body = serde_json::to_vec(&entry).map_err(internal)?;
        Ok(json_response(StatusCode::OK, body))
    })
    .await
}
