//! Why a call to the certificate endpoint failed, in words that say what to do (the guided steps on the
//! screen always remain), and its error code.

use super::*;

/// Why the certificate endpoint could not do what was asked. `Display` says what to do, the mapping page
/// by hand always among it; no variant holds the Client ID or a token.
#[derive(Debug)]
pub enum CertificateApiError {
    /// 401 or 403, or NetSuite's permission error: the role lacks the permission (or the token the scope).
    NotPermitted,
    /// The current credentials got no access token; the token request's report says why.
    TokenRefused(Box<Report>),
    /// The current credentials failed this computer's checks, so no token request was sent.
    Credentials(AssertionError),
    /// The current credentials' scopes lack REST web services, which the endpoint needs.
    NoRestScope,
    /// The new certificate is not one NetSuite would take (not PEM, expired); nothing was sent.
    Certificate(CertificateError),
    /// An answer that could not be understood, or did not say what was needed.
    Unreadable(String),
    /// Any other refusal or failure of NetSuite's, with its own words (cleaned) when it gave some.
    Server {
        status: u16,
        detail: Option<String>,
    },
    /// The request did not get an answer; the message names the network problem.
    Network(String),
    Cancelled,
}

impl fmt::Display for CertificateApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let by_hand = format!("upload the certificate by hand on {MAPPING_PAGE}");
        match self {
            CertificateApiError::NotPermitted => write!(
                f,
                "NetSuite did not let these credentials manage the integration's certificates: the mapping's role \
                 needs the permission \"{MANAGE_PERMISSION}\" (and the token the REST Web Services scope). Add the \
                 permission to the role, or follow the guided steps on the mapping page and {by_hand}."
            ),
            CertificateApiError::TokenRefused(report) => write!(
                f,
                "The current credentials could not get an access token, so the certificates could not be managed \
                 by API. {} Fix and test the current connection first, or {by_hand}.",
                report.summary.trim()
            ),
            CertificateApiError::Credentials(e) => write!(
                f,
                "The current credentials cannot be used for the certificate endpoint: {e} Or {by_hand}."
            ),
            CertificateApiError::NoRestScope => write!(
                f,
                "The certificate endpoint needs an access token with the REST Web Services scope, which the \
                 current connection does not ask for. Tick REST WEB SERVICES on the integration record and in the \
                 connection, or {by_hand}."
            ),
            CertificateApiError::Certificate(e) => write!(f, "The new certificate was not sent: {e}"),
            CertificateApiError::Unreadable(what) => write!(
                f,
                "{} NetSuite documents no shape for the certificate endpoint's answers, and this one was not \
                 understood: {by_hand}.",
                what.trim()
            ),
            CertificateApiError::Server { status, detail } => {
                write!(f, "NetSuite refused the certificate request (HTTP {status})")?;
                if let Some(d) = detail {
                    write!(f, ": {}", d.trim_end_matches('.'))?;
                }
                let hint = match status {
                    400 => {
                        " Check that the certificate is one NetSuite accepts (PEM, an accepted key, valid now) and \
                            that the integration has fewer than five active certificates, NetSuite's limit: revoke \
                            an old one first."
                    }
                    404 => {
                        " NetSuite does not know that certificate, or this account does not have the certificate \
                            endpoint yet (NetSuite documents it from 2026.1)."
                    }
                    429 => " NetSuite's limit on simultaneous requests stayed reached: wait a minute and try again.",
                    500..=599 => " NetSuite had a problem of its own: try again in a few minutes.",
                    _ => "",
                };
                write!(f, ".{hint} Otherwise {by_hand}.")
            }
            CertificateApiError::Network(message) => write!(
                f,
                "{} If this happened while uploading, look at the mapping page ({MAPPING_PAGE}) before trying \
                 again: the certificate may have been added.",
                message.trim()
            ),
            CertificateApiError::Cancelled => write!(
                f,
                "Cancelled. If an upload was under way, look at the mapping page ({MAPPING_PAGE}): the certificate \
                 may have been added."
            ),
        }
    }
}

impl std::error::Error for CertificateApiError {}

impl CertificateApiError {
    /// The kind of failure, for the window's error code and the command line's exit status.
    pub fn error_code(&self) -> crate::ErrorCode {
        use crate::ErrorCode;
        match self {
            CertificateApiError::NotPermitted => ErrorCode::Refused,
            CertificateApiError::TokenRefused(report) => report.outcome.error_code().unwrap_or(ErrorCode::Refused),
            CertificateApiError::Credentials(e) => e.error_code(),
            CertificateApiError::Certificate(e) => e.error_code(),
            CertificateApiError::NoRestScope => ErrorCode::BadInput,
            CertificateApiError::Server {
                status: 400..=428 | 430..=499,
                ..
            } => ErrorCode::Refused,
            CertificateApiError::Unreadable(_)
            | CertificateApiError::Server { .. }
            | CertificateApiError::Network(_)
            | CertificateApiError::Cancelled => ErrorCode::Unreachable,
        }
    }
}

/// What must never appear in what an error says: the Client ID and the token.
pub(super) struct Secrets<'a> {
    pub(super) client_id: &'a str,
    pub(super) token: String,
}

impl Secrets<'_> {
    /// NetSuite's words, cleaned: control characters gone, the Client ID and the token replaced.
    pub(super) fn clean(&self, text: &str) -> String {
        let mut text: String = text.chars().filter(|c| !c.is_control()).collect();
        for (secret, shown) in [
            (self.client_id, "(the Client ID)"),
            (self.token.as_str(), "(the token)"),
        ] {
            if secret.len() >= 4 {
                text = text.replace(secret, shown);
            }
        }
        text
    }
}

pub(super) fn secrets<'a>(creds: &'a M2mCredentials, token: &AccessToken) -> Secrets<'a> {
    let header = token.authorization();
    Secrets {
        client_id: creds.client_id.expose_secret().trim(),
        token: header.trim_start_matches("Bearer ").to_string(),
    }
}

/// An error NetSuite sent as plain text, as it may for this endpoint: one short line of words, with
/// control characters gone. Not JSON, not markup (a proxy's or a portal's page), not a wall of text.
pub(super) fn plain_text_error(body: &str) -> Option<String> {
    let text = body.trim();
    if text.is_empty() || text.starts_with(['{', '[', '<']) {
        return None;
    }
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match line.char_indices().nth(MAX_TEXT_ERROR_CHARS) {
        Some((i, _)) => Some(format!("{}…", &line[..i])),
        None => Some(line),
    }
}
