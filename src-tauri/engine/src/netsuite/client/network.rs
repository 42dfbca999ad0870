//! What went wrong on the way to NetSuite, named from reqwest's error chain: DNS, refused, timed out,
//! a proxy, a certificate (and why).

use super::*;

/// Names the network failure from the error's cause chain, since reqwest folds them all into one type.
pub fn classify_network_error(e: &reqwest::Error, host: &str, timeout: Duration) -> NetworkProblem {
    let mut chain = String::new();
    let mut io_kind = None;
    // Without the URL: reqwest's own text names it, and a path such as `…/certificates` must not read
    // as a TLS certificate problem.
    let mut top = e.to_string().to_ascii_lowercase();
    if let Some(url) = e.url() {
        top = top.replace(&url.as_str().to_ascii_lowercase(), "");
    }
    chain.push_str(&top);
    chain.push(' ');
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(&s.to_string().to_ascii_lowercase());
        chain.push(' ');
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
        }
        source = s.source();
    }
    use std::io::ErrorKind as K;
    let kind = if e.is_timeout() || chain.contains("timed out") {
        NetworkKind::Timeout
    } else if chain.contains("dns error")
        || chain.contains("failed to lookup")
        || chain.contains("name or service not known")
    {
        NetworkKind::Dns
    } else if io_kind == Some(K::ConnectionRefused) || chain.contains("connection refused") {
        NetworkKind::Refused
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
        NetworkKind::Tls
    } else if matches!(
        io_kind,
        Some(K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe)
    ) || chain.contains("connection closed")
        || chain.contains("incomplete message")
        || chain.contains("connection reset")
    {
        NetworkKind::ConnectionClosed
    } else {
        NetworkKind::Other
    };
    // Named as the certificate gives it, so the person behind a company proxy knows which CA to ask for.
    let refused_by = super::tls::refused_issuer(host);
    let issuer = refused_by
        .as_deref()
        .map(|n| format!(". It says it was issued by \"{n}\""))
        .unwrap_or_default();
    let message = match kind {
        NetworkKind::Timeout => format!(
            "No complete answer from {host} within {} s. NetSuite may be slow or a firewall may be dropping traffic: \
             test again, and allow more time if your connection is slow.",
            timeout.as_secs_f32()
        ),
        NetworkKind::Dns => format!(
            "The name {host} could not be found. Check the account ID (a wrong ID gives a host that does not exist) and \
             your internet connection."
        ),
        NetworkKind::Refused => format!(
            "{host} refused the connection. A firewall or proxy may be blocking it; if you set a base URL, check that its server is running."
        ),
        NetworkKind::Tls => match certificate_problem(&chain) {
            Some(why) if why == UNKNOWN_ISSUER => format!(
                "The TLS certificate of {host} was refused: {why}{issuer}. Nothing was sent over the connection. On a \
                 company network a proxy that inspects HTTPS shows its own certificate: add the company's CA certificate to \
                 this computer's trusted certificates (Windows: Trusted Root Certification Authorities; macOS: the \
                 System keychain, set to Always Trust; Linux: /usr/local/share/ca-certificates, then \
                 update-ca-certificates; or point SSL_CERT_FILE at a file holding it) and test again. Elsewhere, a \
                 captive portal (a hotel's or café's sign-in page) does the same: sign in there first."
            ),
            Some(why) => format!(
                "The TLS certificate of {host} was refused: {why}{issuer}. Nothing was sent over the connection. A proxy \
                 that inspects HTTPS (it shows its own certificate), a captive portal or a wrong system clock \
                 usually causes this: check them, or ask your network administrator."
            ),
            None => format!(
                "A secure (TLS) connection to {host} could not be set up. A proxy that inspects HTTPS, or a wrong \
                 system clock, usually causes this: check both, or ask your network administrator."
            ),
        },
        NetworkKind::ConnectionClosed => format!(
            "{host} closed the connection without answering. Test again; if it keeps happening, a proxy or firewall may be cutting the connection."
        ),
        NetworkKind::Cancelled => "The test was cancelled.".to_string(),
        NetworkKind::Other => format!("The request to {host} failed on the network. Check your connection and test again."),
    };
    NetworkProblem { kind, message }
}

/// No authority in the system's store (nor Mozilla's, bundled) signed the certificate.
const UNKNOWN_ISSUER: &str = "no certificate authority this computer trusts vouches for it (it may be self-signed)";

/// Why rustls refused the server's certificate, in words, from its lower-cased error text; `None` when
/// the TLS failure was not about the certificate.
pub(super) fn certificate_problem(chain: &str) -> Option<&'static str> {
    if !chain.contains("certificate") {
        return None;
    }
    Some(if chain.contains("unknownissuer") || chain.contains("unknown issuer") {
        UNKNOWN_ISSUER
    } else if chain.contains("expired") || chain.contains("not valid yet") || chain.contains("notvalidyet") {
        "it is outside its dates of validity, or this computer's clock is wrong"
    } else if chain.contains("not valid for name") || chain.contains("notvalidforname") {
        "it was made for another host name"
    } else if chain.contains("revoked") {
        "it has been revoked"
    } else {
        "it could not be verified"
    })
}
