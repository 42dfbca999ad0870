//! `sign`: the OAuth 1.0a base string, signature and header for one request (or one per line).

use crate::exit::*;
use crate::input::*;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::Value;
use std::io::{BufRead, Write};
use tba_engine::Credentials;
use zeroize::Zeroizing;

#[derive(Deserialize)]
pub(crate) struct SignInput {
    method: String,
    url: String,
    account_id: String,
    consumer_key: SecretString,
    consumer_secret: SecretString,
    token_id: SecretString,
    token_secret: SecretString,
    nonce: Option<String>,
    timestamp: Option<Timestamp>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum Timestamp {
    Number(u64),
    Text(String),
}

pub(crate) const SIGN_FIELDS: &str =
    "with method, url, account_id, consumer_key, consumer_secret, token_id, token_secret \
and optionally nonce and timestamp";

pub(crate) fn sign_one(text: &str) -> Result<Value, CliError> {
    let input: SignInput = serde_json::from_str(text).map_err(|e| json_problem(&e, SIGN_FIELDS))?;
    let method = input.method.trim().to_ascii_uppercase();
    if method.is_empty() || !method.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(fail("method must be an HTTP method such as GET or POST"));
    }
    let url = url::Url::parse(input.url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| fail("url must be a full http or https address, like https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer/1"))?;
    let account = parse_account(&input.account_id)?;
    let credentials = Credentials {
        consumer_key: input.consumer_key,
        consumer_secret: input.consumer_secret,
        token_id: input.token_id,
        token_secret: input.token_secret,
    };
    if let Some(field) = credentials.first_empty_field() {
        return Err(fail(format!("{field} is empty")));
    }
    let nonce = input.nonce.unwrap_or_else(tba_engine::netsuite::oauth1::new_nonce);
    if nonce.is_empty() || !nonce.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(fail("nonce must be letters and digits only"));
    }
    let timestamp = match input.timestamp {
        None => tba_engine::netsuite::oauth1::now_timestamp(),
        Some(Timestamp::Number(n)) => n,
        Some(Timestamp::Text(t)) => t
            .trim()
            .parse()
            .map_err(|_| fail("timestamp must be whole seconds since 1970"))?,
    };
    let signed = tba_engine::netsuite::oauth1::sign(&method, &url, account.realm(), &credentials, &nonce, timestamp);
    Ok(serde_json::to_value(signed).expect("Signed serializes"))
}

pub(crate) fn cmd_sign(jsonl: bool) -> Result<u8, CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !jsonl {
        let text = read_stdin()?;
        let value = sign_one(&text)?;
        let _ = writeln!(out, "{value}");
        return Ok(EXIT_OK);
    }
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let line = Zeroizing::new(line.map_err(|_| fail("standard input could not be read as UTF-8 text"))?);
        if line.trim().is_empty() {
            continue;
        }
        let value = sign_one(&line).map_err(|e| fail(format!("line {}: {}", n + 1, e.message)))?;
        let _ = writeln!(out, "{value}");
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------- test
