//! `test`: a signed call with values from standard input, a saved connection, or every saved
//! connection (`--all`: a table, or rows as they come when piped, and the worst exit status).

use crate::describe::*;
use crate::exit::*;
use crate::input::*;
use crate::output::*;
use crate::saved::*;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::io::IsTerminal;
use tba_engine::flow::batch;
use tba_engine::keep::vault::Slot;
use tba_engine::netsuite::client::DatacenterStatus;
use tba_engine::netsuite::stage::TestStage;
use tba_engine::profiles::ConnectorProfile;
use tba_engine::{Account, CancellationToken, ClientOptions, Credentials, NetSuiteClient, Report};

pub(crate) fn cmd_test(account: &str, options: ClientOptions, as_json: bool) -> Result<u8, CliError> {
    let account = parse_account(account)?;
    let credentials = read_credentials()?;
    let (report, account) = run_test(account, options, &credentials)?;
    print_report(&report, &account, as_json);
    Ok(report.exit_code() as u8)
}

pub(crate) fn run_test(
    account: Account,
    options: ClientOptions,
    credentials: &Credentials,
) -> Result<(Report, Account), CliError> {
    let client = NetSuiteClient::new(account, options).map_err(|e| fail(e.to_string()))?;
    let report = runtime().block_on(client.test_call(credentials, &CancellationToken::new()));
    Ok((report, client.account().clone()))
}

pub(crate) fn cmd_test_connection(
    name: &str,
    pending: bool,
    options: ClientOptions,
    as_json: bool,
) -> Result<u8, CliError> {
    let conns = open_connections();
    let connection = conns.sync(name)?;
    let account = parse_account(&connection.account)?;
    let slot = if pending { Slot::Pending } else { Slot::Active };
    let signer = conns.signer(&connection, slot)?;
    tba_engine::support::redact::register_signer(&signer);
    let client = NetSuiteClient::new(account, options).map_err(|e| fail(e.to_string()))?;
    // On a terminal, the stage the test waits on, on one line rewritten as each call starts (as the
    // window says it): a slow answer from NetSuite reads as waiting, not as a hang. Piped, nothing.
    let terminal = std::io::stderr().is_terminal();
    let tell = move |stage: TestStage| {
        if terminal {
            eprint!("\r\x1b[2K{}", stage.text());
        }
    };
    let tested = runtime().block_on(signer.test_call(&client, &CancellationToken::new(), &tell));
    if terminal {
        eprint!("\r\x1b[2K");
    }
    let (mut report, _) = tested?;
    if !pending {
        conns.explain_m2m_refusal(&connection, &mut report);
        conns.record_test(&connection, &report)?;
    }
    print_report(&report, client.account(), as_json);
    Ok(report.exit_code() as u8)
}

// ---------------------------------------------------------------- test --all

/// One connection's line in `test --all`, for the table and the JSON alike.
pub(crate) struct Row {
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
    /// An OAuth 2.0 connection's certificate in use, when it ends soon or has ended.
    expiring: Option<(tba_engine::flow::cards::CertificateCard, String)>,
}

pub(crate) fn row(result: &batch::ConnectionResult) -> Row {
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
        token_fingerprint: c.fingerprints().token_id.clone(),
        outcome: String::new(),
        result: String::new(),
        passed: None,
        http_status: None,
        error_code: None,
        summary: String::new(),
        detail: String::new(),
        exit_code: EXIT_OK,
        expiring: expiring(c).map(|card| {
            let notice = expiry_notice(c, &card);
            (card, notice)
        }),
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

pub(crate) fn row_json(r: &Row) -> Value {
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
        "certificate_expiring": r.expiring.as_ref().map(|(card, notice)| json!({
            "expires": card.expires,
            "days_left": card.days_left,
            "notice": notice,
        })),
    })
}

pub(crate) fn cmd_test_all(options: ClientOptions, as_json: bool) -> Result<u8, CliError> {
    let conns = open_connections();
    let terminal = std::io::stderr().is_terminal();
    // Piped, a row goes out as soon as its connection's result is known, tab-separated (a script reads
    // it as it comes, like `gh`'s lists); on a terminal, one table lined up at the end.
    let rows_as_known = !as_json && !std::io::stdout().is_terminal();
    if terminal {
        eprintln!("Testing every saved connection, at most 2 at a time per account…");
    }
    let cancel = CancellationToken::new();
    let progress = |told: batch::Told<'_>| {
        if rows_as_known {
            let r = row(told.result);
            let token = r.token_fingerprint.as_deref().unwrap_or("-");
            let cells = [&*r.label, &r.account_shown, r.connector, token, &r.result, &r.detail];
            out_line(format_args!("{}", cells.map(visible).join("\t")));
        }
        // On a terminal, one progress line rewritten as each connection's calls end.
        if let (true, Some((done, total))) = (terminal, told.calls_ended) {
            eprint!(
                "\r\x1b[2K{done} of {total} done: {}",
                visible(&told.result.connection.label)
            );
            if done == total {
                eprintln!();
            }
        }
    };
    let found = runtime().block_on(batch::test_all_telling(
        &conns,
        options,
        batch::Limits::default(),
        &cancel,
        &progress,
    ))?;
    print_warnings(&found.warnings);
    let rows: Vec<Row> = found.results.iter().map(row).collect();
    if rows.is_empty() {
        // Nothing failed: a script that tests whatever is saved should not stop on an empty machine.
        eprintln!("tba-wizard: No saved connections to test. `tba-wizard connections add` saves one.");
    }
    if as_json {
        out_line(format_args!(
            "{}",
            json_text(&Value::Array(rows.iter().map(row_json).collect()))
        ));
    } else if !rows.is_empty() {
        let passed = rows.iter().filter(|r| r.passed == Some(true)).count();
        let failed = rows.iter().filter(|r| r.passed == Some(false)).count();
        let untested = rows.iter().filter(|r| r.passed.is_none()).count();
        let mut summary = format!("{passed} passed, {failed} failed, {untested} not tested\n");
        if failed > 0 {
            summary.push_str("For what to fix: tba-wizard test --connection NAME\n");
        }
        for (_, notice) in rows.iter().filter_map(|r| r.expiring.as_ref()) {
            summary.push_str(&format!("! {}\n", visible(notice)));
        }
        if rows_as_known {
            // The rows went out already; the lines for a person go where a script does not read rows.
            eprint!("{summary}");
        } else {
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
            out_text(format_args!("{}{summary}", table(&lines)));
        }
    }
    Ok(rows
        .iter()
        .filter(|r| r.passed == Some(false))
        .map(|r| r.exit_code)
        .max()
        .unwrap_or(EXIT_OK))
}

// ---------------------------------------------------------------- profiles
