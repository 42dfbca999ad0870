//! `m2m`: OAuth 2.0 client credentials (machine to machine) connections. `new` makes the key in the
//! keyring and writes the certificate to upload; `import` takes a key made elsewhere on standard input;
//! `set` records the mapping's Certificate ID and the Client ID (standard input); `rotate` stages a new
//! key and certificate; `assertion` shows what would be signed. `test --connection` and `connections
//! promote|discard|remove|list` work on these connections too. The private key and the Client ID never
//! come from an argument and are never printed.

use crate::describe::*;
use crate::exit::*;
use crate::input::*;
use crate::keys::*;
use crate::output::*;
use crate::saved::*;
use crate::M2mCommand;
use secrecy::SecretString;
use serde_json::{json, Value};
use std::io::IsTerminal;
use std::path::Path;
use std::time::SystemTime;
use tba_engine::keep::m2m::m2m_record;
use tba_engine::keep::store::{Connection, M2mCertificate};
use tba_engine::keep::vault::Slot;
use tba_engine::netsuite::oauth2::certificate::date;
use tba_engine::netsuite::oauth2::{import_pair, Algorithm, Certificate};
use tba_engine::{deep_link, Account, ClientOptions, ErrorCode, NetSuiteClient, Page};

fn connection_out(c: &Connection) -> Value {
    connection_json(c)
}

/// What `new` and `rotate` print: the certificate, and what to do next in NetSuite.
fn print_made(c: &Connection, certificate: &Certificate, path: &Path, rotation: bool, as_json: bool) {
    let label = tba_engine::shell_word(&c.label);
    let file = path.display().to_string();
    let scopes: Vec<&str> = c
        .m2m()
        .map(|m| m.scopes.iter().map(|s| s.label()).collect())
        .unwrap_or_default();
    let pending = if rotation { " --pending" } else { "" };
    let page = Account::parse(&c.account)
        .map(|a| format!(" ({})", deep_link(&a, Page::M2mSetup)))
        .unwrap_or_default();
    let mut steps = vec![
        format!(
            "In NetSuite, open {MAPPING_PAGE}{page} (not Setup > Company > Certificates, which is for SuiteScript) \
             and click Create New{}.",
            if rotation {
                " (an integration may have up to 5 active certificates, so the current one keeps working)"
            } else {
                ""
            }
        ),
        format!(
            "Choose the Entity (the user the integration runs as), the Role (with Log in using OAuth 2.0 Access Tokens \
             and REST Web Services) and the Application (the integration record, with CLIENT CREDENTIALS (MACHINE TO \
             MACHINE) GRANT and {} ticked).",
            scopes.join(", ")
        ),
        format!("Upload the certificate {file} and Save."),
    ];
    if rotation {
        steps.push(format!(
            "Copy the new mapping's Certificate ID, then: tba-wizard-cli m2m set {label} --pending --certificate-id=ID"
        ));
        steps.push(format!(
            "Test it with tba-wizard-cli test --connection {label} --pending, make it the one in use with \
             tba-wizard-cli connections promote {label}, then Revoke the old mapping on the same page."
        ));
    } else {
        steps.push(format!(
            "Copy the mapping's Certificate ID, then give it with the integration record's Client ID: \
             tba-wizard-cli m2m set {label}{pending} --certificate-id=ID --credentials-stdin < client-id.json \
             (a file holding {{\"client_id\": \"…\"}}, so the Client ID stays out of your shell history; see the README)"
        ));
        steps.push(format!("Test it: tba-wizard-cli test --connection {label}"));
    }
    let days = certificate.days_left(SystemTime::now());
    if as_json {
        let mut v = connection_out(c);
        v["certificate_file"] = json!(file);
        v["next_steps"] = json!(steps);
        let algorithm = c.m2m().map_or(Algorithm::default(), |m| {
            m.pending
                .as_ref()
                .filter(|_| rotation)
                .unwrap_or(&m.certificate)
                .algorithm
        });
        v["new_certificate"] = certificate_json(&M2mCertificate::new(algorithm, certificate));
        out_line(format_args!("{}", json_text(&v)));
        return;
    }
    let mut out = String::new();
    out.push_str(&format!(
        "{} \"{}\" ({}): a new key is in the system keyring, its certificate in {}.\n",
        if rotation { "Staged a new key for" } else { "Saved" },
        visible(&c.label),
        visible(&c.account),
        visible(&file)
    ));
    out.push_str(&format!("  SHA-256 fingerprint: {}\n", certificate.fingerprint));
    let validity = certificate
        .not_after
        .duration_since(certificate.not_before)
        .map_or(0, |d| d.as_secs() / 86_400);
    out.push_str(&format!(
        "  Valid from {} until {} ({validity} days; {days} days left)\n",
        date(certificate.not_before),
        date(certificate.not_after)
    ));
    out.push_str("Next, in NetSuite:\n");
    for (i, s) in steps.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n", i + 1, visible(s)));
    }
    out_text(format_args!("{out}"));
}

fn print_saved(c: &Connection, as_json: bool, verb: &str) {
    if as_json {
        out_line(format_args!("{}", json_text(&connection_out(c))));
        return;
    }
    out_line(format_args!(
        "{verb} \"{}\" ({}, OAuth 2.0).",
        visible(&c.label),
        visible(&c.account)
    ));
    for line in by_method(c).lines {
        out_line(format_args!("  {line}"));
    }
}

pub(crate) fn cmd_m2m(action: M2mCommand) -> Result<u8, CliError> {
    let conns = open_connections();
    match action {
        M2mCommand::New {
            name,
            account,
            algorithm,
            days,
            scope,
            certificate_out,
            profile,
            json,
        } => {
            check_name(&name)?;
            let account = parse_account(&account)?;
            let profile = parse_profile(&profile)?;
            tba_engine::keep::m2m::check_m2m_profile(profile)?;
            let algorithm = parse_algorithm(&algorithm)?;
            let scopes = parse_scopes(&scope)?;
            if conns.get(&name).is_ok() {
                return Err(fail(format!(
                    "A connection named \"{}\" already exists. Pick another name, or remove the old one first.",
                    visible(name.trim())
                )));
            }
            let (key, certificate) = make_pair(&name, algorithm, days)?;
            write_certificate(&certificate_out, &certificate)?;
            match conns.m2m_add(&name, &account, profile, &key, &certificate, algorithm, &scopes) {
                Ok(c) => print_made(&c, &certificate, &certificate_out, false, json),
                Err(e) => {
                    let _ = std::fs::remove_file(&certificate_out);
                    return Err(e.into());
                }
            }
        }
        M2mCommand::Import {
            name,
            account,
            certificate,
            algorithm,
            scope,
            json,
            private_key_file,
            profile,
            ..
        } => {
            check_name(&name)?;
            let account = parse_account(&account)?;
            let profile = parse_profile(&profile)?;
            tba_engine::keep::m2m::check_m2m_profile(profile)?;
            let scopes = parse_scopes(&scope)?;
            let algorithm = algorithm.as_deref().map(parse_algorithm).transpose()?;
            let key_pem: zeroize::Zeroizing<String> = match &private_key_file {
                Some(path) => {
                    tba_engine::keep::store::read_secret_file(path, tba_engine::keep::store::MAX_KEY_FILE_BYTES)
                        .map_err(|e| {
                            fail(format!(
                                "--private-key-file: {} could not be read: {e}. Give the key file itself (the PEM \
                             openssl wrote), or pipe it with --private-key-stdin.",
                                visible(&path.display().to_string())
                            ))
                        })?
                }
                None => read_stdin()?,
            };
            if key_pem.trim().is_empty() {
                return Err(fail(
                    "no private key: give the PEM file with --private-key-file or pipe it with --private-key-stdin \
                     (secrets are never taken from arguments)",
                ));
            }
            crate::logging::register_secret(&SecretString::from(key_pem.as_str()));
            let bytes = std::fs::read(&certificate).map_err(|e| {
                error(
                    ErrorCode::Storage,
                    format!(
                        "--certificate: {} could not be read: {e}",
                        visible(&certificate.display().to_string())
                    ),
                )
            })?;
            let read = Certificate::from_file_bytes(&bytes).map_err(|e| error(e.error_code(), e.to_string()))?;
            let pair = import_pair(&key_pem, &read.pem, SystemTime::now())
                .map_err(|e| error(e.error_code(), e.to_string()))?;
            tba_engine::support::redact::register_key(&pair.key);
            let algorithm = algorithm.unwrap_or_else(|| pair.key.kind().default_algorithm());
            print_warnings(&pair.warnings);
            let c = conns.m2m_add(
                &name,
                &account,
                profile,
                &pair.key,
                &pair.certificate,
                algorithm,
                &scopes,
            )?;
            print_saved(&c, json, "Saved");
            if !json {
                out_line(format_args!(
                    "Next: upload the certificate on {MAPPING_PAGE} (if not done yet), then give the mapping's Certificate \
                     ID and the Client ID with tba-wizard-cli m2m set {} --certificate-id=ID --credentials-stdin \
                     < client-id.json.",
                    visible(&tba_engine::shell_word(&c.label))
                ));
            }
        }
        M2mCommand::Set {
            name,
            pending,
            certificate_id,
            credentials_stdin,
            json,
        } => {
            // A value may start with "-" (NetSuite's IDs may), so a forgotten ID would take the next
            // option as the value: this command's own options are never a Certificate ID.
            if ["--json", "--pending", "--credentials-stdin", "--help", "-h"].contains(&certificate_id.trim()) {
                return Err(fail(format!(
                    "--certificate-id: give the Certificate ID after it; \"{}\" is an option of this command",
                    certificate_id.trim()
                )));
            }
            let client_id = if credentials_stdin {
                Some(read_client_id()?)
            } else {
                None
            };
            let _lock = refuse_during_journey(&conns, &name)?;
            let c = conns.m2m_set(&name, pending, &certificate_id, client_id.as_ref())?;
            print_saved(&c, json, "Saved the mapping of");
        }
        M2mCommand::Rotate {
            name,
            algorithm,
            days,
            certificate_out,
            json,
        } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let c = conns.sync(&name)?;
            let record = m2m_record(&c)?;
            let algorithm = match algorithm {
                Some(a) => parse_algorithm(&a)?,
                None => record.certificate.algorithm,
            };
            if record.pending.is_some() {
                print_warnings(&[format!(
                    "the key and certificate staged earlier for \"{}\" are replaced",
                    c.label
                )]);
            }
            let (key, certificate) = make_pair(&c.label, algorithm, days)?;
            write_certificate(&certificate_out, &certificate)?;
            match conns.m2m_stage(&c.id, &key, &certificate, algorithm) {
                Ok(c) => print_made(&c, &certificate, &certificate_out, true, json),
                Err(e) => {
                    let _ = std::fs::remove_file(&certificate_out);
                    return Err(e.into());
                }
            }
        }
        M2mCommand::Renew {
            name,
            all,
            within,
            days,
            base_url,
            timeout,
            json,
        } => {
            return cmd_renew(
                &conns,
                name.as_deref(),
                all,
                within,
                days,
                base_url.as_deref(),
                timeout,
                json,
            )
        }
        M2mCommand::Assertion {
            name,
            pending,
            base_url,
        } => {
            let c = conns.sync(&name)?;
            let account = parse_account(&c.account)?;
            let slot = if pending { Slot::Pending } else { Slot::Active };
            let creds = conns.m2m_credentials(&c, slot)?;
            register_credentials(&creds);
            let options = ClientOptions {
                base_url: base_url
                    .as_deref()
                    .map(tba_engine::netsuite::client::parse_base_url)
                    .transpose()
                    .map_err(|e| fail(format!("--base-url: {e}")))?,
                ..Default::default()
            };
            let client = NetSuiteClient::new(account, options).map_err(|e| fail(e.to_string()))?;
            let preview = creds.preview_json(client.token_url().as_str(), SystemTime::now())?;
            out_line(format_args!("{}", json_text(&preview)));
        }
    }
    Ok(EXIT_OK)
}

/// The key and Client ID read from the keyring, scrubbed from every later log line.
fn register_credentials(creds: &tba_engine::netsuite::oauth2::M2mCredentials) {
    tba_engine::support::redact::register_key(&creds.key);
    crate::logging::register_secret(&creds.client_id);
}

/// `m2m renew`: each connection in turn (a renewal makes a few calls; at most one account's worth at once).
#[allow(clippy::too_many_arguments)]
fn cmd_renew(
    conns: &tba_engine::keep::connections::Connections<tba_engine::keep::vault::SystemStore>,
    name: Option<&str>,
    all: bool,
    within: u32,
    days: u32,
    base_url: Option<&str>,
    timeout: f64,
    as_json: bool,
) -> Result<u8, CliError> {
    use tba_engine::flow::renew::{renew, RenewCaller, RenewOptions, RenewResult, RenewStage};
    if !(1..=730).contains(&days) {
        return Err(fail(
            "--days: give 1 to 730 (NetSuite keeps a certificate at most two years)",
        ));
    }
    let options = client_options(base_url, timeout, 10.0)?;
    let targets: Vec<Connection> = if all {
        conns
            .list_synced()?
            .into_iter()
            .filter(|c| tba_engine::keep::m2m::renew::renewal_state(c, SystemTime::now()).is_some())
            .collect()
    } else {
        let c = conns.sync(name.unwrap_or_default())?;
        m2m_record(&c)?;
        vec![c]
    };
    let renew_options = RenewOptions {
        within_days: i64::from(within),
        days,
        by: RenewCaller::CommandLine,
    };
    // On a terminal, the step each renewal is at, on one line rewritten as it moves on.
    let terminal = std::io::stderr().is_terminal();
    let tell = move |stage: RenewStage| {
        if terminal {
            eprint!("\r\x1b[2K{}", stage.text());
        }
    };
    let rt = runtime();
    let mut results = Vec::new();
    let mut worst = EXIT_OK;
    for c in &targets {
        let _lock = refuse_during_journey(conns, &c.id)?;
        let account = parse_account(&c.account)?;
        let client = NetSuiteClient::new(account, options.clone()).map_err(|e| fail(e.to_string()))?;
        // What the renewal reads from the keyring, scrubbed from every log line: the key in use, a staged
        // one and a replaced one left by an earlier run (the engine logs none of them).
        for slot in [Slot::Active, Slot::Pending] {
            if let Ok(creds) = conns.m2m_credentials(c, slot) {
                register_credentials(&creds);
            }
        }
        if let Ok(Some(old)) = conns.m2m_replaced_credentials(c) {
            register_credentials(&old);
        }
        let cancel = tba_engine::CancellationToken::new();
        let r = rt.block_on(renew(conns, &c.id, &client, renew_options, &cancel, &tell));
        if terminal {
            eprint!("\r\x1b[2K");
        }
        let r = r?;
        if let Some(code) = r.code {
            worst = worst.max(code.exit_status());
        }
        if !as_json {
            let what = match r.result {
                RenewResult::Renewed => "renewed",
                RenewResult::NotDue => "not due",
                RenewResult::NeedsPerson => "NEEDS A PERSON",
            };
            out_line(format_args!("{}: {what}. {}", visible(&r.label), visible(&r.message)));
            if r.result == RenewResult::Renewed {
                out_line(format_args!(
                    "  The new private key is in this computer's keyring. If another system runs the integration, \
                     give it the new key and Certificate ID: the window's Hand off again exports or copies them."
                ));
            }
        }
        results.push(r);
    }
    if as_json {
        out_line(format_args!(
            "{}",
            json_text(&serde_json::to_value(&results).unwrap_or_default())
        ));
    } else if targets.is_empty() {
        out_line(format_args!("No OAuth 2.0 connection is saved: nothing to renew."));
    }
    Ok(worst)
}
