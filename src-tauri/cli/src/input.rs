//! Reading what a subcommand is given: standard input into wiped memory, JSON with errors that name
//! the field but never its value, account IDs and durations.

use crate::exit::*;
use secrecy::SecretString;
use std::io::Read;
use std::time::Duration;
use tba_engine::keep::secrets::{Field, SecretSet};
use tba_engine::netsuite::client;
use tba_engine::{Account, ClientOptions, Credentials};
use zeroize::Zeroizing;

/// Reads standard input into memory that is wiped when dropped.
pub(crate) fn read_stdin() -> Result<Zeroizing<String>, CliError> {
    let mut text = Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|_| fail("standard input could not be read as UTF-8 text"))?;
    Ok(text)
}

/// serde_json's messages can quote the offending value, which may be a secret, so only the kind of
/// problem and its position are passed on.
pub(crate) fn json_problem(e: &serde_json::Error, expected: &str) -> CliError {
    let what = e.to_string();
    let detail = if what.starts_with("missing field") || what.starts_with("unknown field") {
        what.split(" at line").next().unwrap_or_default().to_string()
    } else {
        match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "it is not valid JSON".to_string()
            }
            _ => "a field has the wrong type (every value must be a string)".to_string(),
        }
    };
    fail(format!(
        "standard input must be one JSON object {expected}; {detail} (line {}, column {})",
        e.line(),
        e.column()
    ))
}

pub(crate) fn parse_account(text: &str) -> Result<Account, CliError> {
    Account::parse(text).map_err(|e| fail(e.to_string()))
}

/// `--profile`: an id of a profile this build embeds (a file in `profiles/`, never a list in code).
pub(crate) fn parse_profile(text: &str) -> Result<tba_engine::keep::store::Profile, CliError> {
    tba_engine::keep::store::Profile::parse(text).ok_or_else(|| {
        let ids: Vec<&str> = tba_engine::profiles::ConnectorProfile::all()
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        fail(format!(
            "--profile must be one of {} (`tba-wizard profiles` describes them)",
            ids.join(", ")
        ))
    })
}

pub(crate) fn seconds(value: f64, name: &str) -> Result<Duration, CliError> {
    if value.is_finite() && value > 0.0 && value <= 3600.0 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(fail(format!("--{name} must be a number of seconds between 0 and 3600")))
    }
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded tokio runtime can always be built")
}

// ---------------------------------------------------------------- sign

pub(crate) const CREDENTIAL_FIELDS: &str = "with consumer_key, consumer_secret, token_id and token_secret";

pub(crate) fn read_credentials() -> Result<Credentials, CliError> {
    let text = read_stdin()?;
    if text.trim().is_empty() {
        return Err(fail(format!(
            "no credentials on standard input: pipe a JSON object {CREDENTIAL_FIELDS} (secrets are never taken from arguments)"
        )));
    }
    let credentials: Credentials = serde_json::from_str(&text).map_err(|e| json_problem(&e, CREDENTIAL_FIELDS))?;
    if let Some(field) = credentials.first_empty_field() {
        return Err(fail(format!("{field} is empty")));
    }
    for value in [
        &credentials.consumer_key,
        &credentials.consumer_secret,
        &credentials.token_id,
        &credentials.token_secret,
    ] {
        crate::logging::register_secret(value);
    }
    Ok(credentials)
}

/// Reads a connection's values (the ones its connector holds, or for staging whole pairs of them) from
/// standard input, as one JSON object.
pub(crate) fn read_secret_set(expected: &str) -> Result<SecretSet, CliError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Given {
        consumer_key: Option<SecretString>,
        consumer_secret: Option<SecretString>,
        token_id: Option<SecretString>,
        token_secret: Option<SecretString>,
    }
    let text = read_stdin()?;
    if text.trim().is_empty() {
        return Err(fail(format!(
            "no values on standard input: pipe a JSON object {expected} (secrets are never taken from arguments)"
        )));
    }
    let given: Given = serde_json::from_str(&text).map_err(|e| json_problem(&e, expected))?;
    let mut set = SecretSet::default();
    for (field, value) in Field::ALL.into_iter().zip([
        given.consumer_key,
        given.consumer_secret,
        given.token_id,
        given.token_secret,
    ]) {
        if let Some(value) = value {
            crate::logging::register_secret(&value);
            set.set(field, value);
        }
    }
    Ok(set)
}

/// The client's options from the command line's --base-url, --timeout and --connect-timeout.
pub(crate) fn client_options(
    base_url: Option<&str>,
    timeout: f64,
    connect_timeout: f64,
) -> Result<ClientOptions, CliError> {
    Ok(ClientOptions {
        timeout: seconds(timeout, "timeout")?,
        connect_timeout: seconds(connect_timeout, "connect-timeout")?,
        base_url: base_url
            .map(client::parse_base_url)
            .transpose()
            .map_err(|e| fail(format!("--base-url: {e}")))?,
        ..Default::default()
    })
}
