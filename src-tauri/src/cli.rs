//! The headless subcommands of the `tba-wizard` binary, for admins, scripts and support. They never open
//! a window, so they work without a display. Secrets come only from standard input, never from arguments,
//! and are never printed.

use clap::{Parser, Subcommand};
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::Duration;
use tba_engine::flow::batch;
use tba_engine::keep::connections::{ConnectionError, Connections};
use tba_engine::keep::secrets::{Field, Fingerprints, SecretSet};
use tba_engine::keep::store::{Connection, ConnectionStore, Profile};
use tba_engine::keep::vault::{KeyringStore, Vault};
use tba_engine::netsuite::client::{self, DatacenterCheck, DatacenterStatus};
use tba_engine::profiles::ConnectorProfile;
use tba_engine::{deep_link, Account, CancellationToken, ClientOptions, Credentials, NetSuiteClient, Page, Report};
use zeroize::Zeroizing;

pub const EXIT_OK: u8 = 0;
pub const EXIT_BAD_INPUT: u8 = 2;
/// The keyring or the connection file could not be used.
pub const EXIT_STORAGE: u8 = 5;

#[derive(Parser, Debug)]
#[command(
    name = "tba-wizard",
    version,
    about = "Setup wizard for NetSuite Token-Based Authentication.\n\
Without a subcommand it opens the wizard's window."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Log in detail (debug level) to standard error and to the log file.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the OAuth 1.0a base string, signature and Authorization header for one request.
    /// Reads a JSON object on standard input: method, url, account_id, consumer_key, consumer_secret,
    /// token_id, token_secret, and optionally nonce and timestamp.
    Sign {
        /// Read one JSON object per line and print one result per line.
        #[arg(long)]
        jsonl: bool,
    },
    /// Make a signed test call to NetSuite and say what works or what to fix.
    /// Exit status: 0 success, 2 bad input, 3 NetSuite refused, 4 network, timeout, concurrency or server trouble,
    /// 5 keyring or connection file trouble (secrets missing included). With --all: 0 when every connection that
    /// could be tested passed (none saved included), otherwise the highest status among the failed ones.
    #[command(group(clap::ArgGroup::new("source").required(true).args(["credentials_stdin", "connection", "all"])))]
    Test {
        /// The account ID (1234567, 1234567_SB1, …) or any NetSuite address of the account.
        #[arg(long, requires = "credentials_stdin")]
        account: Option<String>,
        /// Read consumer_key, consumer_secret, token_id and token_secret as JSON on standard input.
        #[arg(long, requires = "account")]
        credentials_stdin: bool,
        /// Test a saved connection, with its secrets from the keyring.
        #[arg(long, value_name = "NAME", conflicts_with = "account")]
        connection: Option<String>,
        /// With --connection: test the values staged for rotation instead of the active ones.
        #[arg(long, requires = "connection")]
        pending: bool,
        /// Test every saved connection and print a table: at most 2 calls at once per account (NetSuite's
        /// concurrency limit is shared by all of an account's integrations) and 4 overall. Connections
        /// whose connector holds the consumer pair (Celigo) are listed as not tested, after an account check.
        #[arg(long, conflicts_with_all = ["connection", "account", "credentials_stdin", "pending"])]
        all: bool,
        /// Send the call to this scheme, host and port instead of NetSuite's (for stand-ins and proxies).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Give up after this many seconds, retries included.
        #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
        timeout: f64,
        /// Give up connecting after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        connect_timeout: f64,
        /// Print the result as one JSON object (with --all: an array of one object per connection).
        #[arg(long)]
        json: bool,
    },
    /// Show what an account ID means: canonical ID, environment, hosts and the NetSuite pages used.
    CheckAccount {
        /// The account ID or any NetSuite address of the account.
        account: String,
        /// Also ask NetSuite whether the account exists (no credentials needed).
        #[arg(long)]
        online: bool,
        /// Ask this scheme, host and port instead of rest.netsuite.com (for stand-ins and proxies).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        timeout: f64,
        /// Print the result as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// The connector profiles this build knows: id, name, step codes and what each step collects.
    Profiles {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Saved connections: secrets in the system keyring, everything else in the config folder.
    Connections {
        #[command(subcommand)]
        action: ConnectionsCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConnectionsCommand {
    /// Save a connection; its values are read as JSON on standard input (the four TBA values; for
    /// Celigo, whose application holds the consumer pair, token_id and token_secret).
    Add {
        name: String,
        #[arg(long)]
        account: String,
        /// The connector procedure: an id from `tba-wizard profiles` (celigo, aftership, own).
        #[arg(long)]
        profile: String,
        /// Read the values as JSON on standard input: consumer_key, consumer_secret, token_id and
        /// token_secret (Celigo: token_id and token_secret).
        #[arg(long, required = true)]
        credentials_stdin: bool,
        /// The access token's name in NetSuite, to find it again when revoking it.
        #[arg(long, value_name = "TEXT")]
        token_name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List saved connections (fingerprints only, never a secret).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a connection and its keyring entries.
    Remove { name: String },
    /// Stage new values for rotation (whole pairs, as JSON on standard input); the active ones stay in use.
    Stage {
        name: String,
        #[arg(long, required = true)]
        credentials_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// Make the staged values active, in one keyring write.
    Promote {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Throw the staged values away; the active ones stay.
    Discard { name: String },
}

/// An error the user can fix; printed without any secret. `code` is the exit status.
struct CliError {
    message: String,
    code: u8,
}

fn fail(message: impl Into<String>) -> CliError {
    CliError {
        message: message.into(),
        code: EXIT_BAD_INPUT,
    }
}

impl From<ConnectionError> for CliError {
    fn from(e: ConnectionError) -> Self {
        let code = match e {
            ConnectionError::BadInput(_) => EXIT_BAD_INPUT,
            ConnectionError::Vault(_) | ConnectionError::Store(_) => EXIT_STORAGE,
        };
        CliError {
            message: e.to_string(),
            code,
        }
    }
}

pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Sign { jsonl } => cmd_sign(jsonl),
        Command::Test {
            account,
            connection,
            pending,
            all,
            base_url,
            timeout,
            connect_timeout,
            json,
            ..
        } => {
            let options = client_options(base_url.as_deref(), timeout, connect_timeout);
            match (account, connection) {
                _ if all => options.and_then(|o| cmd_test_all(o, json)),
                (Some(account), _) => options.and_then(|o| cmd_test(&account, o, json)),
                (None, Some(name)) => options.and_then(|o| cmd_test_connection(&name, pending, o, json)),
                (None, None) => Err(fail(
                    "give --account with --credentials-stdin, --connection NAME, or --all",
                )),
            }
        }
        Command::Connections { action } => cmd_connections(action),
        Command::Profiles { json } => cmd_profiles(json),
        Command::CheckAccount {
            account,
            online,
            base_url,
            timeout,
            json,
        } => cmd_check_account(&account, online, base_url.as_deref(), timeout, json),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Messages echo names typed by the user or read from the connection file.
            eprintln!("tba-wizard: {}", visible(&e.message));
            ExitCode::from(e.code)
        }
    }
}

/// Reads standard input into memory that is wiped when dropped.
fn read_stdin() -> Result<Zeroizing<String>, CliError> {
    let mut text = Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|_| fail("standard input could not be read as UTF-8 text"))?;
    Ok(text)
}

/// serde_json's messages can quote the offending value, which may be a secret, so only the kind of
/// problem and its position are passed on.
fn json_problem(e: &serde_json::Error, expected: &str) -> CliError {
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

fn parse_account(text: &str) -> Result<Account, CliError> {
    Account::parse(text).map_err(|e| fail(e.to_string()))
}

fn seconds(value: f64, name: &str) -> Result<Duration, CliError> {
    if value.is_finite() && value > 0.0 && value <= 3600.0 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(fail(format!("--{name} must be a number of seconds between 0 and 3600")))
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-threaded tokio runtime can always be built")
}

// ---------------------------------------------------------------- sign

#[derive(Deserialize)]
struct SignInput {
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
enum Timestamp {
    Number(u64),
    Text(String),
}

const SIGN_FIELDS: &str = "with method, url, account_id, consumer_key, consumer_secret, token_id, token_secret \
and optionally nonce and timestamp";

fn sign_one(text: &str) -> Result<Value, CliError> {
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

fn cmd_sign(jsonl: bool) -> Result<u8, CliError> {
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

const CREDENTIAL_FIELDS: &str = "with consumer_key, consumer_secret, token_id and token_secret";

fn read_credentials() -> Result<Credentials, CliError> {
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

fn cmd_test(account: &str, options: ClientOptions, as_json: bool) -> Result<u8, CliError> {
    let account = parse_account(account)?;
    let credentials = read_credentials()?;
    let (report, account) = run_test(account, options, &credentials)?;
    print_report(&report, &account, as_json);
    Ok(report.exit_code() as u8)
}
fn client_options(base_url: Option<&str>, timeout: f64, connect_timeout: f64) -> Result<ClientOptions, CliError> {
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

fn run_test(
    account: Account,
    options: ClientOptions,
    credentials: &Credentials,
) -> Result<(Report, Account), CliError> {
    let client = NetSuiteClient::new(account, options).map_err(|e| fail(e.to_string()))?;
    let report = runtime().block_on(client.test_call(credentials, &CancellationToken::new()));
    Ok((report, client.account().clone()))
}

fn cmd_test_connection(name: &str, pending: bool, options: ClientOptions, as_json: bool) -> Result<u8, CliError> {
    let conns = open_connections();
    let connection = conns.sync(name)?;
    let account = parse_account(&connection.account)?;
    let credentials = if pending {
        if connection.pending_fingerprints.is_empty() {
            return Err(fail(format!(
                "Nothing is staged for \"{}\": stage new values first.",
                connection.label
            )));
        }
        conns
            .vault
            .staged_credentials(&connection.id)
            .map_err(ConnectionError::from)?
    } else {
        conns.vault.credentials(&connection.id).map_err(ConnectionError::from)?
    };
    let (report, account) = run_test(account, options, &credentials)?;
    if !pending {
        conns.record_test(&connection.id, &report)?;
    }
    print_report(&report, &account, as_json);
    Ok(report.exit_code() as u8)
}

// ---------------------------------------------------------------- test --all

/// One connection's line in `test --all`, for the table and the JSON alike.
struct Row {
    label: String,
    id: String,
    account: String,
    account_shown: String,
    connector: &'static str,
    token_fingerprint: Option<String>,
    /// `success`, `credentials_refused`, …, or `not_tested`, `missing_secrets`, `storage`, `bad_input`.
    outcome: String,
    result: String,
    /// `None` when the connection cannot be tested here (Celigo).
    passed: Option<bool>,
    http_status: Option<u16>,
    error_code: Option<String>,
    summary: String,
    detail: String,
    exit_code: u8,
}

fn first_sentence(text: &str) -> &str {
    text.find(". ").map_or(text, |i| &text[..=i])
}

fn row(result: &batch::ConnectionResult) -> Row {
    let c = &result.connection;
    let account_shown = match &result.account {
        Some(a) => format!("{} ({})", a.id(), a.environment()),
        None => c.account.clone(),
    };
    let mut row = Row {
        label: c.label.clone(),
        id: c.id.clone(),
        account: result
            .account
            .as_ref()
            .map_or(c.account.clone(), |a| a.id().to_string()),
        account_shown,
        connector: c.profile.code(),
        token_fingerprint: c.fingerprints.token_id.clone(),
        outcome: String::new(),
        result: String::new(),
        passed: None,
        http_status: None,
        error_code: None,
        summary: String::new(),
        detail: String::new(),
        exit_code: EXIT_OK,
    };
    match &result.verdict {
        batch::Verdict::Tested { report } => {
            row.outcome = tba_engine::serde_name(&report.outcome);
            row.result = headline(report.outcome).to_lowercase();
            row.passed = Some(report.outcome == tba_engine::Outcome::Success);
            row.http_status = report.http_status;
            row.error_code = report.error_code.clone();
            row.summary = report.summary.clone();
            row.detail = match report.http_status {
                Some(status) => format!("HTTP {status} {}", report.error_code.as_deref().unwrap_or_default())
                    .trim_end()
                    .to_string(),
                None => first_sentence(&report.summary).to_string(),
            };
            row.exit_code = report.exit_code() as u8;
        }
        batch::Verdict::NotTested { account_check, .. } => {
            let connector = &ConnectorProfile::of(c.profile).short_name;
            let account = match account_check.status {
                DatacenterStatus::Confirmed => "account confirmed",
                DatacenterStatus::NotFound => "NetSuite does not know the account",
                DatacenterStatus::Offline => "account not checked (NetSuite unreachable)",
            };
            row.outcome = "not_tested".into();
            row.result = "not tested".into();
            row.summary = format!(
                "Not tested: the consumer key and secret belong to {connector}, whose own Test checks the token. {}",
                account_check.message
            );
            row.detail = format!("{connector}'s own Test checks it; {account}");
        }
        batch::Verdict::Unusable { why, message } => {
            let (outcome, result, code) = match why {
                batch::Unusable::MissingSecrets => ("missing_secrets", "not testable", EXIT_STORAGE),
                batch::Unusable::Storage => ("storage", "keyring problem", EXIT_STORAGE),
                batch::Unusable::BadInput => ("bad_input", "not testable", EXIT_BAD_INPUT),
            };
            row.outcome = outcome.into();
            row.result = result.into();
            row.passed = Some(false);
            row.summary = message.clone();
            row.detail = message.clone();
            row.exit_code = code;
        }
    }
    row
}

fn row_json(r: &Row) -> Value {
    json!({
        "label": r.label,
        "id": r.id,
        "account": r.account,
        "connector": r.connector,
        "token_fingerprint": r.token_fingerprint,
        "outcome": r.outcome,
        "passed": r.passed,
        "http_status": r.http_status,
        "error_code": r.error_code,
        "summary": r.summary,
        "exit_code": r.exit_code,
    })
}

/// Pads every column but the last to its widest cell, counted in characters (labels need not be ASCII).
fn table(lines: &[[&str; 6]]) -> String {
    let mut widths = [0usize; 6];
    for line in lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in lines {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            if i + 1 < line.len() {
                text.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            } else {
                text.push_str(cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

fn cmd_test_all(options: ClientOptions, as_json: bool) -> Result<u8, CliError> {
    let conns = open_connections();
    if std::io::stderr().is_terminal() {
        eprintln!("Testing every saved connection, at most 2 at a time per account…");
    }
    let cancel = CancellationToken::new();
    let found = runtime().block_on(batch::test_all(&conns, options, batch::Limits::default(), &cancel))?;
    print_warnings(&found.warnings);
    let rows: Vec<Row> = found.results.iter().map(row).collect();
    if rows.is_empty() {
        // Nothing failed: a script that tests whatever is saved should not stop on an empty machine.
        eprintln!("tba-wizard: No saved connections to test. `tba-wizard connections add` saves one.");
    }
    if as_json {
        println!("{}", json_text(&Value::Array(rows.iter().map(row_json).collect())));
    } else if !rows.is_empty() {
        // Escaped before the widths are counted, so that the columns line up with what is shown.
        let shown: Vec<[Cow<str>; 4]> = rows
            .iter()
            .map(|r| {
                [
                    visible(&r.label),
                    visible(&r.account_shown),
                    visible(r.token_fingerprint.as_deref().unwrap_or("-")),
                    visible(&r.detail),
                ]
            })
            .collect();
        let mut lines = vec![["LABEL", "ACCOUNT", "CONNECTOR", "TOKEN", "RESULT", "DETAIL"]];
        for (r, [label, account, token, detail]) in rows.iter().zip(&shown) {
            lines.push([label, account, r.connector, token, &r.result, detail]);
        }
        let passed = rows.iter().filter(|r| r.passed == Some(true)).count();
        let failed = rows.iter().filter(|r| r.passed == Some(false)).count();
        let untested = rows.iter().filter(|r| r.passed.is_none()).count();
        let mut out = table(&lines);
        out.push_str(&format!("{passed} passed, {failed} failed, {untested} not tested\n"));
        if failed > 0 {
            out.push_str("For what to fix: tba-wizard test --connection NAME\n");
        }
        print!("{out}");
    }
    Ok(rows
        .iter()
        .filter(|r| r.passed == Some(false))
        .map(|r| r.exit_code)
        .max()
        .unwrap_or(EXIT_OK))
}

// ---------------------------------------------------------------- profiles

/// Support asks "which connectors does your version have?": the embedded profiles, as the wizard
/// uses them.
fn cmd_profiles(as_json: bool) -> Result<u8, CliError> {
    let profiles = ConnectorProfile::all();
    if as_json {
        let list: Vec<Value> = profiles
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "name": p.name,
                    "short_name": p.short_name,
                    "signed_test": p.signed_test,
                    "holds": p.secrets().iter().map(|f| f.code()).collect::<Vec<_>>(),
                    "steps": p.steps.iter().map(|s| json!({
                        "code": s.code,
                        "title": s.title,
                        "collects": s.collects.iter().map(|c| c.code()).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!(
            "{}",
            json_text(&json!({ "version": env!("CARGO_PKG_VERSION"), "profiles": list }))
        );
        return Ok(EXIT_OK);
    }
    println!(
        "tba-wizard {} knows {} connector profiles:",
        env!("CARGO_PKG_VERSION"),
        profiles.len()
    );
    for p in profiles {
        let held: Vec<&str> = p.secrets().iter().map(|f| f.code()).collect();
        println!("\n{} ({})", p.name, p.id);
        println!("  holds: {}", held.join(", "));
        println!(
            "  signed test: {}",
            if p.signed_test {
                "yes"
            } else {
                "no (the connector's own test)"
            }
        );
        for s in &p.steps {
            let collects: Vec<&str> = s.collects.iter().map(|c| c.code()).collect();
            let collects = if collects.is_empty() {
                String::new()
            } else {
                format!("  [collects {}]", collects.join(", "))
            };
            println!("  {:<6} {}{collects}", s.code, s.title);
        }
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------- connections

fn open_connections() -> Connections<KeyringStore> {
    Connections::new(ConnectionStore::open_default(), Vault::keyring())
}

/// Reads a connection's values (the ones its connector holds, or for staging whole pairs of them) from
/// standard input, as one JSON object.
fn read_secret_set(expected: &str) -> Result<SecretSet, CliError> {
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

/// What `connections add` reads for a profile, in the words of its error messages.
fn fields_of(profile: Profile) -> String {
    let codes: Vec<&str> = ConnectorProfile::of(profile)
        .secrets()
        .iter()
        .map(|f| f.code())
        .collect();
    match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("with {} and {last}", rest.join(", ")),
        Some((last, _)) => format!("with {last}"),
        None => CREDENTIAL_FIELDS.to_string(),
    }
}

fn connection_json(c: &Connection) -> Value {
    let mut v = serde_json::to_value(c).expect("Connection serializes");
    if let Ok(a) = Account::parse(&c.account) {
        v["environment"] = json!(a.environment().code());
        v["environment_label"] = json!(a.environment().to_string());
    }
    v
}

fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("tba-wizard: warning: {}", visible(w));
    }
}

/// Text from outside (NetSuite's answers, the connection file, names and arguments) as it may be put on a
/// terminal: control characters (C0, DEL, C1) and the bidirectional controls are written as escapes. Raw,
/// they could move the cursor, retitle the window, hide or recolour lines, or make text read backwards,
/// so a message could be made to say something it does not. JSON output is left as it is: serde_json
/// escapes C0 (ESC included) itself, and a program reads it, not a terminal.
fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() || is_bidi_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON for the terminal: serde_json escapes C0 controls but writes DEL, C1 controls and bidi
/// controls raw, which a terminal may act on (C1 CSI) or which reorder what is shown. Those occur only
/// inside strings, where `\uXXXX` means the same character.
fn json_text(value: &Value) -> String {
    let text = value.to_string();
    if !text.chars().any(needs_json_escape) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_json_escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_json_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}') || is_bidi_control(c)
}

/// The Bidi_Control characters of Unicode: marks, embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn print_connection(c: &Connection, as_json: bool, verb: &str) {
    if as_json {
        println!("{}", json_text(&connection_json(c)));
        return;
    }
    println!(
        "{verb} \"{}\" ({}, {}).",
        visible(&c.label),
        visible(&c.account),
        c.profile.code()
    );
    println!("  {}", fingerprint_line(&c.fingerprints, c.profile));
    if !c.pending_fingerprints.is_empty() {
        println!("  staged: {}", fingerprint_line(&c.pending_fingerprints, c.profile));
    }
}

/// The values a connection of `profile` holds (a Celigo one: the token pair), and any other present.
fn fingerprint_line(f: &Fingerprints, profile: Profile) -> String {
    let held = ConnectorProfile::of(profile).secrets();
    Field::ALL
        .iter()
        .filter(|field| held.contains(field) || f.get(**field).is_some())
        .map(|field| format!("{} {}", field.label(), visible(f.get(*field).unwrap_or("-"))))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn cmd_connections(action: ConnectionsCommand) -> Result<u8, CliError> {
    let conns = open_connections();
    match action {
        ConnectionsCommand::Add {
            name,
            account,
            profile,
            token_name,
            json,
            ..
        } => {
            let account = parse_account(&account)?;
            let profile = Profile::parse(&profile).ok_or_else(|| {
                let ids: Vec<&str> = ConnectorProfile::all().iter().map(|p| p.id.as_str()).collect();
                fail(format!(
                    "--profile must be one of {} (`tba-wizard profiles` describes them)",
                    ids.join(", ")
                ))
            })?;
            let values = read_secret_set(&fields_of(profile))?;
            tba_engine::keep::connections::check_holds_profile(profile, &values)?;
            // Free text goes to connections.json and on screen: a secret pasted there must go neither.
            let given = values.fingerprints();
            for (what, text) in [("NAME", Some(name.as_str())), ("--token-name", token_name.as_deref())] {
                if text.is_some_and(|t| tba_engine::keep::secrets::looks_like_secret(t, &[&given])) {
                    return Err(fail(format!("{what}: {}", tba_engine::keep::secrets::SECRET_LIKE)));
                }
            }
            let (c, warnings) = conns.add(&name, &account, profile, token_name.as_deref(), &values)?;
            print_warnings(&warnings);
            print_connection(&c, json, "Saved");
        }
        ConnectionsCommand::List { json } => {
            let list = conns.list_synced()?;
            if json {
                println!(
                    "{}",
                    json_text(&json!({ "connections": list.iter().map(|c| {
                        let mut v = connection_json(c);
                        v["old_copy_kept"] = json!(old_copy_kept(&conns, c));
                        v
                    }).collect::<Vec<_>>() }))
                );
            } else if list.is_empty() {
                println!("No saved connections.");
            }
            for c in list.iter().filter(|_| !json) {
                let last = c.last_test.as_ref().map_or("never tested".to_string(), |t| {
                    format!(
                        "last test: {} at {}",
                        tba_engine::serde_name(&t.outcome),
                        visible(&t.at)
                    )
                });
                let token = c
                    .token_name
                    .as_deref()
                    .map_or(Cow::Borrowed("(token name not given)"), visible);
                println!(
                    "{}  {}  {}  {}  {}",
                    visible(&c.label),
                    visible(&c.account),
                    c.profile.code(),
                    token,
                    last
                );
                println!("    {}", fingerprint_line(&c.fingerprints, c.profile));
                if !c.pending_fingerprints.is_empty() {
                    println!("    staged: {}", fingerprint_line(&c.pending_fingerprints, c.profile));
                }
                if old_copy_kept(&conns, c) {
                    println!(
                        "    ! an old copy from an unfinished replacement is still in the keyring; \
                         `tba-wizard connections discard \"{}\"` deletes it",
                        visible(&c.label)
                    );
                }
            }
        }
        ConnectionsCommand::Remove { name } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let c = conns.remove(&name)?;
            println!("Removed \"{}\" and its keyring entries.", visible(&c.label));
        }
        ConnectionsCommand::Stage { name, json, .. } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let values = read_secret_set(&format!("{CREDENTIAL_FIELDS} (any whole pair of them)"))?;
            let (c, warnings) = conns.stage(&name, &values)?;
            print_warnings(&warnings);
            print_connection(&c, json, "Staged new values for");
        }
        ConnectionsCommand::Promote { name, json } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let c = conns.promote(&name)?;
            print_connection(&c, json, "Now using the new values for");
        }
        ConnectionsCommand::Discard { name } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let c = conns.discard(&name)?;
            // With no replacement under way, a kept copy of a replaced set is a leftover: it goes too.
            conns.vault.forget_retired(&c.id).map_err(ConnectionError::from)?;
            println!(
                "Discarded the staged values of \"{}\"; the active ones stay.",
                visible(&c.label)
            );
        }
    }
    Ok(EXIT_OK)
}

/// A copy of a replaced set (the old consumer secret too) left in the keyring with no replacement
/// under way on the connection.
fn old_copy_kept(conns: &Connections<KeyringStore>, c: &Connection) -> bool {
    matches!(tba_engine::flow::rotation::journey_on(&conns.store, &c.id), Ok(None))
        && conns
            .vault
            .read(&c.id, tba_engine::keep::vault::Slot::Retired)
            .is_ok_and(|set| !set.is_empty())
}

/// The window keeps a rotation's progress next to the connections; changing that connection's keyring
/// items from here would pull the values out from under it. The check holds the connection file's lock,
/// which the caller keeps (the returned guard) until its change is done, and the window writes its
/// journey file under the same lock. A journey file that cannot be read refuses too.
fn refuse_during_journey(
    conns: &Connections<KeyringStore>,
    name: &str,
) -> Result<tba_engine::keep::store::StoreLock, CliError> {
    let lock = conns.store.lock().map_err(ConnectionError::from)?;
    let c = conns.get(name)?;
    match tba_engine::flow::rotation::journey_on(&conns.store, &c.id) {
        Ok(Some(journey)) => Err(fail(format!(
            "\"{}\" is in the middle of \"{}\" in the wizard's window. Finish or stop it there first.",
            visible(&c.label),
            journey.title()
        ))),
        Ok(None) => Ok(lock),
        Err(why) => Err(fail(format!(
            "the window's replacement progress {why}, so it is not known whether a replacement is under way on \
             \"{}\". Open the wizard's window (it sets the file aside and says so), then try again.",
            visible(&c.label)
        ))),
    }
}

fn headline(outcome: tba_engine::Outcome) -> &'static str {
    match outcome {
        tba_engine::Outcome::Success => "OK",
        tba_engine::Outcome::CredentialsRefused => "REFUSED",
        tba_engine::Outcome::PermissionMissing => "PERMISSION MISSING",
        tba_engine::Outcome::ConcurrencyLimit => "BUSY",
        tba_engine::Outcome::ServerError => "NETSUITE ERROR",
        tba_engine::Outcome::NetworkError => "NETWORK PROBLEM",
    }
}

fn print_report(report: &Report, account: &Account, as_json: bool) {
    if as_json {
        let mut value = serde_json::to_value(report).expect("Report serializes");
        value["exit_code"] = json!(report.exit_code());
        value["account_id"] = json!(account.id());
        println!("{}", json_text(&value));
        return;
    }
    let mut out = String::new();
    // The summary and the causes quote NetSuite's error code, and the detail is NetSuite's own words.
    out.push_str(&format!(
        "{}: {} ({})\n",
        headline(report.outcome),
        visible(&report.summary),
        account.id()
    ));
    for p in &report.proven {
        out.push_str(&format!("  ✓ {}\n", visible(p)));
    }
    for w in &report.warnings {
        out.push_str(&format!("  ! {}\n", visible(w)));
    }
    if !report.causes.is_empty() {
        out.push_str("Most likely causes, most likely first:\n");
        for (i, c) in report.causes.iter().enumerate() {
            out.push_str(&format!("  {}. {}\n", i + 1, visible(&c.message)));
        }
    }
    if let Some(help) = &report.audit_trail {
        out.push_str(&format!("To see NetSuite's real reason, open {}:\n", help.menu_path));
        for line in &help.instructions[1..] {
            out.push_str(&format!("  - {line}\n"));
        }
    }
    if let Some(detail) = report
        .error_detail
        .as_deref()
        .filter(|_| report.outcome != tba_engine::Outcome::Success)
    {
        out.push_str(&format!("NetSuite said: {}\n", visible(detail)));
    }
    print!("{out}");
}

// ---------------------------------------------------------------- check-account

fn cmd_check_account(
    text: &str,
    online: bool,
    base_url: Option<&str>,
    timeout: f64,
    as_json: bool,
) -> Result<u8, CliError> {
    let account = parse_account(text)?;
    let options = ClientOptions {
        timeout: seconds(timeout, "timeout")?,
        base_url: base_url
            .map(client::parse_base_url)
            .transpose()
            .map_err(|e| fail(format!("--base-url: {e}")))?,
        ..Default::default()
    };
    let datacenter: Option<DatacenterCheck> =
        online.then(|| runtime().block_on(client::check_account(&account, &options, &CancellationToken::new())));
    let links: serde_json::Map<String, Value> = Page::ALL
        .iter()
        .map(|p| (p.code(), json!(deep_link(&account, *p).as_str())))
        .collect();
    let env = account.environment();
    let value = json!({
        "account_id": account.id(),
        "realm": account.realm(),
        "environment": env.code(),
        "environment_label": env.to_string(),
        "sandbox_number": match env { tba_engine::Environment::Sandbox { number } => Some(*number), _ => None },
        "host_label": account.host_label(),
        "ui_host": account.ui_host(),
        "rest_host": account.rest_host(),
        "restlets_host": account.restlets_host(),
        "links": links,
        "datacenter": datacenter,
    });
    if as_json {
        println!("{}", json_text(&value));
        return Ok(EXIT_OK);
    }
    let mut out = format!(
        "Account ID:    {}\nEnvironment:   {}\nUI host:       {}\nREST host:     {}\nRESTlets host: {}\n",
        account.id(),
        env,
        account.ui_host(),
        account.rest_host(),
        account.restlets_host()
    );
    if let Some(dc) = &datacenter {
        out.push_str(&format!("NetSuite:      {}\n", visible(&dc.message)));
    }
    out.push_str("Pages:\n");
    for p in Page::ALL {
        out.push_str(&format!("  {:<24} {}\n", p.title(), deep_link(&account, p)));
    }
    print!("{out}");
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::{json_text, visible};

    #[test]
    fn control_and_bidi_characters_are_shown_escaped() {
        assert_eq!(
            visible("a\u{1b}]0;t\u{7}\u{1b}[31m\u{7f}\u{9b}\u{202e}\u{2066}\n\tz"),
            "a\\x1b]0;t\\x07\\x1b[31m\\x7f\\u{9b}\\u{202e}\\u{2066}\\n\\tz"
        );
        assert!(matches!(visible("Shop sandbox · é ✓"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn json_output_escapes_what_serde_json_leaves_raw() {
        let value = serde_json::json!({ "label": "a\u{7f}\u{9b}2J\u{202e}é\u{1b}" });
        let text = json_text(&value);
        assert_eq!(text, r#"{"label":"a\u007f\u009b2J\u202eé\u001b"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
    }
}
