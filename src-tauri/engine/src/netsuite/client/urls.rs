//! Where calls go: the base URL a stand-in or proxy is reached at (https, or http on this computer
//! only), and how a URL is shown in messages and logs.

use super::*;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the base URL must be an http or https address with a host, like http://127.0.0.1:8080")]
    BadBaseUrl,
    #[error(
        "plain http is allowed for this computer's own addresses only (127.0.0.1, ::1, localhost), where a \
         stand-in runs; anything else needs https, so that signatures, tokens and assertions are never sent in clear"
    )]
    HttpNotLoopback,
    #[error("the HTTP client could not be set up: {0}")]
    Setup(String),
}

/// Checks a `--base-url` value: only scheme, host and port are used.
pub fn parse_base_url(text: &str) -> Result<Url, ClientError> {
    let url = Url::parse(text.trim()).map_err(|_| ClientError::BadBaseUrl)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ClientError::BadBaseUrl);
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(ClientError::HttpNotLoopback);
    }
    Ok(url)
}

/// Whether the URL's host is this computer: 127.0.0.0/8, ::1 or `localhost` (and its subdomains, which
/// resolvers keep on loopback).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

pub(super) fn rebase(url: &mut Url, base: &Url) {
    // Both are http(s) URLs with hosts, for which these setters cannot fail.
    let _ = url.set_scheme(base.scheme());
    let _ = url.set_host(base.host_str());
    let _ = url.set_port(base.port());
}

pub(super) fn host_of(url: &Url) -> String {
    url.host_str().unwrap_or_default().to_string()
}

/// A URL's path for the logs: the segment after `/clients/` (the certificate endpoint's Client ID) hidden.
pub(super) fn shown_path(url: &Url) -> String {
    let mut hide_next = false;
    let mut shown = String::new();
    for segment in url.path().split('/').skip(1) {
        shown.push('/');
        shown.push_str(if hide_next { "(client)" } else { segment });
        hide_next = segment == "clients";
    }
    shown
}
