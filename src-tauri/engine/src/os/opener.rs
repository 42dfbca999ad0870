//! Opening web pages in the user's browser, from Rust only and only for allow-listed hosts: the
//! account's own NetSuite hosts and the connectors' pages. The webview has no way to open anything.

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error(
        "tba-wizard only opens https pages of your NetSuite account and of the connector; {0} is not one of them."
    )]
    NotAllowed(String),
    #[error("No web browser could be opened. Copy the address and open it in your browser.")]
    NoBrowser,
}

/// True if `url` is https and its host is exactly one of `allowed_hosts` (no subdomain games).
pub fn is_allowed(url: &Url, allowed_hosts: &[String]) -> bool {
    url.scheme() == "https"
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none()
        && url
            .host_str()
            .is_some_and(|h| allowed_hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
}

/// Opens `url` in the default browser if it is allowed. On failure the caller shows the address
/// with a copy button instead.
pub fn open_allowed(url: &Url, allowed_hosts: &[String]) -> Result<(), OpenError> {
    if !is_allowed(url, allowed_hosts) {
        return Err(OpenError::NotAllowed(
            url.host_str().unwrap_or("that address").to_string(),
        ));
    }
    open::that_detached(url.as_str()).map_err(|_| OpenError::NoBrowser)
}

/// Shows a folder the app saved a file in (a certificate to upload) in the file manager. Only an existing
/// folder is opened, never a file: a file would be opened with whatever program it is associated with.
pub fn show_folder(dir: &std::path::Path) -> Result<(), OpenError> {
    if !dir.is_dir() {
        return Err(OpenError::NotAllowed(dir.display().to_string()));
    }
    open::that_detached(dir).map_err(|_| OpenError::NoBrowser)
}

/// Where files the user asks for (a certificate, an exported key) are saved: the Downloads folder, else
/// the home folder; `TBA_WIZARD_DOWNLOAD_DIR` overrides both (tests, and users who want another place).
pub fn downloads_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("TBA_WIZARD_DOWNLOAD_DIR").filter(|d| !d.is_empty()) {
        return dir.into();
    }
    dirs::download_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| std::path::PathBuf::from("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_https_hosts() {
        let allowed = vec!["1234567-sb1.app.netsuite.com".to_string(), "integrator.io".to_string()];
        let ok = |s: &str| is_allowed(&Url::parse(s).unwrap(), &allowed);
        assert!(ok("https://1234567-sb1.app.netsuite.com/app/setup/features.nl"));
        assert!(ok("https://INTEGRATOR.IO/home"));
        assert!(!ok("http://1234567-sb1.app.netsuite.com/app/setup/features.nl"));
        assert!(!ok("https://1234567.app.netsuite.com/"), "another account");
        assert!(!ok("https://evil.integrator.io/"));
        assert!(!ok("https://integrator.io.evil.example/"));
        assert!(!ok("https://user@integrator.io/"));
        assert!(!ok("https://integrator.io:8443/"));
        assert!(!ok("file:///etc/passwd"));
        assert_eq!(
            open_allowed(&Url::parse("https://example.com/").unwrap(), &allowed),
            Err(OpenError::NotAllowed("example.com".into()))
        );
    }
}
