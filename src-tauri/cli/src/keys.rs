//! The key and certificate files the command line makes, and the values it reads for them: shared by
//! `m2m` and `migrate`, so that neither subcommand imports the other.

use crate::exit::*;
use crate::input::*;
use crate::output::*;
use secrecy::SecretString;
use std::path::Path;
use std::time::SystemTime;
use tba_engine::netsuite::oauth2::{Algorithm, Certificate, PrivateKey, Scope};
use tba_engine::ErrorCode;

/// The mapping page, as the fact sheet gives its menu path (its address is not known).
pub(crate) const MAPPING_PAGE: &str =
    "Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup";

pub(crate) fn error(code: ErrorCode, message: impl Into<String>) -> CliError {
    CliError {
        message: message.into(),
        code,
    }
}

/// A connection's name goes to connections.json and on screen: one that looks like a key, a token or a
/// Client ID (a long hex run) is refused and not repeated.
pub(crate) fn check_name(name: &str) -> Result<(), CliError> {
    if tba_engine::keep::secrets::looks_like_secret(name, &[]) {
        return Err(fail(format!("NAME: {}", tba_engine::keep::secrets::SECRET_LIKE)));
    }
    Ok(())
}

pub(crate) fn parse_algorithm(text: &str) -> Result<Algorithm, CliError> {
    Algorithm::parse(text).map_err(|e| fail(format!("--algorithm: {e}")))
}

pub(crate) fn parse_scopes(text: &str) -> Result<Vec<Scope>, CliError> {
    let mut scopes = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let scope = Scope::parse(part).ok_or_else(|| {
            fail(format!(
                "--scope: \"{}\" is not a scope; use rest_webservices, restlets or suite_analytics, comma-separated",
                visible(&part.chars().take(40).collect::<String>())
            ))
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err(fail("--scope: give at least one scope (rest_webservices for the test)"));
    }
    Ok(scopes)
}

/// Writes the certificate atomically, never over an existing file. It is public (it is uploaded), so
/// it is readable by others like any document.
pub(crate) fn write_certificate(path: &Path, certificate: &Certificate) -> Result<(), CliError> {
    match tba_engine::keep::store::write_atomic_new_public(path, certificate.pem.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(fail(format!(
                "--certificate-out: {} already exists; choose another file name (an existing file is never replaced)",
                visible(&path.display().to_string())
            )))
        }
        Err(e) => {
            return Err(error(
                ErrorCode::Storage,
                format!(
                    "the certificate could not be written to {}: {e}",
                    visible(&path.display().to_string())
                ),
            ))
        }
    }
    Ok(())
}

pub(crate) fn make_pair(name: &str, algorithm: Algorithm, days: u32) -> Result<(PrivateKey, Certificate), CliError> {
    let key = PrivateKey::generate(algorithm.default_kind()).map_err(|e| error(e.error_code(), e.to_string()))?;
    tba_engine::support::redact::register_key(&key);
    let certificate = Certificate::self_signed(&key, &format!("tba-wizard {name}"), days, SystemTime::now())
        .map_err(|e| error(e.error_code(), format!("--days: {e}")))?;
    Ok((key, certificate))
}

/// The Client ID typed at a prompt with the terminal's echo off, when standard input is a terminal: it
/// then stays out of the shell's history and off the screen (a screen share included).
#[cfg(unix)]
fn prompt_client_id() -> Result<Option<SecretString>, CliError> {
    use rustix::termios::{tcgetattr, tcsetattr, LocalModes, OptionalActions};
    use std::io::{BufRead, IsTerminal, Write};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(None);
    }
    let unusable = |_| fail("the terminal could not be set to hide what is typed; pipe {\"client_id\": \"…\"} instead");
    let saved = tcgetattr(&stdin).map_err(unusable)?;
    let mut hidden = saved.clone();
    hidden.local_modes.remove(LocalModes::ECHO);
    hidden.local_modes.insert(LocalModes::ECHONL);
    eprint!("Client ID (shown once after Save on the integration record; it is not displayed as you type): ");
    let _ = std::io::stderr().flush();
    tcsetattr(&stdin, OptionalActions::Flush, &hidden).map_err(unusable)?;
    let mut line = zeroize::Zeroizing::new(String::new());
    let read = stdin.lock().read_line(&mut line);
    // Echo comes back whatever the read did.
    let _ = tcsetattr(&stdin, OptionalActions::Flush, &saved);
    read.map_err(|_| fail("the Client ID could not be read from the terminal"))?;
    let value = SecretString::from(line.trim());
    crate::logging::register_secret(&value);
    Ok(Some(value))
}

#[cfg(not(unix))]
fn prompt_client_id() -> Result<Option<SecretString>, CliError> {
    Ok(None)
}

/// Reads `{"client_id": "…"}` from standard input, or at an echo-off prompt when it is a terminal.
pub(crate) fn read_client_id() -> Result<SecretString, CliError> {
    if let Some(typed) = prompt_client_id()? {
        return Ok(typed);
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Given {
        client_id: SecretString,
    }
    const EXPECTED: &str = "with client_id (the integration record's Client ID; the Client Secret is not needed)";
    let text = read_stdin()?;
    if text.trim().is_empty() {
        return Err(fail(format!(
            "no values on standard input: pipe a JSON object {EXPECTED} (secrets are never taken from arguments)"
        )));
    }
    let given: Given = serde_json::from_str(&text).map_err(|e| json_problem(&e, EXPECTED))?;
    crate::logging::register_secret(&given.client_id);
    Ok(given.client_id)
}
