//! Pages by address: an `http://` or `https://` argument wherever a PATH is accepted is
//! fetched here and handed to the library as an in-memory input, read as the HTML file it
//! is. Its final address (after redirects) is the document's id, source and URL.
//!
//! Every failure is one line, said where a file's would be (a skipped input): the name
//! that did not resolve, the TLS failure, the HTTP status, a response that is not HTML,
//! one over the size limit, too many redirects, a timeout.

use std::io::Read;
use std::sync::{Arc, Once};
use std::time::Duration;

use stemma::ingest::{Input, MemoryInput};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// Whether a PATH argument is an address to fetch.
pub fn is_address(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// How pages are fetched.
#[derive(Clone, Copy)]
pub struct FetchConfig {
    /// The most bytes a page may have (the size limit of files).
    pub max_bytes: u64,
    /// The most a whole fetch may take, connection and body included.
    pub timeout: Duration,
}

/// Fetches `address`: an input holding the page, or the reason it could not be had.
pub fn fetch(address: &str, config: &FetchConfig) -> Input {
    let (source, content) = match get(address, config) {
        Ok((url, bytes)) => (url, Ok(Arc::from(bytes))),
        Err(reason) => (address.to_string(), Err(reason)),
    };
    Input::Memory(Arc::new(MemoryInput {
        source: source.clone(),
        name: "page.html".to_string(),
        id: Some(source.clone()),
        url: Some(source),
        content,
    }))
}

fn client(config: &FetchConfig) -> Result<reqwest::blocking::Client, String> {
    static PROVIDER: Once = Once::new();
    // One process-wide TLS provider: ring, which rustls marks deprecated for lacking
    // post-quantum key exchange; aws-lc-rs, which has it, needs a C toolchain and minutes
    // of build time, and a news page needs no post-quantum secrecy.
    #[allow(deprecated)]
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::blocking::Client::builder()
        .timeout(config.timeout)
        .connect_timeout(config.timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .user_agent(concat!("stemma/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| format!("cannot start an HTTP client: {error}"))
}

/// The final address and the body of a page.
fn get(address: &str, config: &FetchConfig) -> Result<(String, Vec<u8>), String> {
    let client = client(config)?;
    let response = client
        .get(address)
        .header(
            reqwest::header::ACCEPT,
            "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        )
        .send()
        .map_err(|error| reason(&error, config))?;
    let url = response.url().to_string();
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "HTTP {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("error")
        ));
    }
    if let Some(kind) = response.headers().get(reqwest::header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or("unreadable").to_ascii_lowercase();
        let essence = kind.split(';').next().unwrap_or_default().trim();
        if essence != "text/html" && essence != "application/xhtml+xml" {
            return Err(format!("not HTML (content type {essence})"));
        }
    }
    let too_large = || {
        format!(
            "over the size limit of {} bytes (--max-document-bytes)",
            config.max_bytes
        )
    };
    if response
        .content_length()
        .is_some_and(|length| length > config.max_bytes)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    response
        .take(config.max_bytes.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|error| {
            match error
                .get_ref()
                .and_then(|e| e.downcast_ref::<reqwest::Error>())
            {
                Some(error) => reason(error, config),
                None => format!("cannot read the page: {error}"),
            }
        })?;
    if body.len() as u64 > config.max_bytes {
        return Err(too_large());
    }
    Ok((url, body))
}

/// The one-line reason of a failed request.
fn reason(error: &reqwest::Error, config: &FetchConfig) -> String {
    if error.is_timeout() {
        return format!("timed out after {} s", config.timeout.as_secs_f32());
    }
    if error.is_redirect() {
        return format!("too many redirects (more than {MAX_REDIRECTS})");
    }
    if error.is_builder() {
        return "not a valid address".to_string();
    }
    // The innermost cause says what happened ("dns error: failed to lookup address",
    // "invalid peer certificate: UnknownIssuer", "Connection refused").
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let cause = cause.to_string();
    let chain = format!("{error:?}").to_ascii_lowercase();
    if chain.contains("dns error") || chain.contains("failed to lookup address") {
        let host = error
            .url()
            .and_then(|url| url.host_str())
            .unwrap_or("the host");
        return format!("cannot resolve {host}: {cause}");
    }
    if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
        return format!("TLS failed: {cause}");
    }
    if error.is_connect() {
        return format!("cannot connect: {cause}");
    }
    format!("cannot fetch: {cause}")
}
