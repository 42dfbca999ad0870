//! `migrate`: moves a saved TBA connection to OAuth 2.0 client credentials. The new key is made in the
//! keyring's pending slot beside the token, which keeps working; the Client ID is the consumer key the
//! keyring already holds (the same value on the integration record). The rest of the move is the
//! commands a rotation uses: `m2m set --pending`, `test --pending`, `connections promote` (the switch)
//! and `connections discard` (the old token's copy, once revoked).

use crate::describe::*;
use crate::exit::*;
use crate::keys::*;
use crate::output::*;
use crate::saved::*;
use serde_json::json;
use std::time::SystemTime;
use tba_engine::keep::m2m::migrate::moves_to;
use tba_engine::netsuite::oauth2::certificate::date;
use tba_engine::{deep_link, Account, Page};

/// `migrate`'s arguments.
pub struct Migrate {
    pub name: String,
    pub algorithm: String,
    pub days: u32,
    pub scope: String,
    pub certificate_out: std::path::PathBuf,
    pub credentials_stdin: bool,
    pub json: bool,
}

pub(crate) fn cmd_migrate(a: Migrate) -> Result<u8, CliError> {
    check_name(&a.name)?;
    let algorithm = parse_algorithm(&a.algorithm)?;
    let scopes = parse_scopes(&a.scope)?;
    let client_id = if a.credentials_stdin {
        Some(read_client_id()?)
    } else {
        None
    };
    let conns = open_connections();
    let _lock = refuse_during_journey(&conns, &a.name)?;
    let c = conns.sync(&a.name)?;
    // Refused before a key is made (RSA takes seconds) and a file written.
    moves_to(&c)?;
    let (key, certificate) = make_pair(&c.label, algorithm, a.days)?;
    write_certificate(&a.certificate_out, &certificate)?;
    let (c, warnings) = match conns.migrate_begin(&c.id, &key, &certificate, algorithm, &scopes, client_id.as_ref()) {
        Ok(made) => made,
        Err(e) => {
            let _ = std::fs::remove_file(&a.certificate_out);
            return Err(e.into());
        }
    };
    print_warnings(&warnings);
    let label = tba_engine::shell_word(&c.label);
    let file = a.certificate_out.display().to_string();
    let link = |page: Page| {
        Account::parse(&c.account)
            .map(|acc| format!(" ({})", deep_link(&acc, page)))
            .unwrap_or_default()
    };
    let scope_labels: Vec<&str> = scopes.iter().map(|s| s.label()).collect();
    let token = c
        .token_name()
        .map_or_else(|| "its token".to_string(), |t| format!("the token \"{t}\""));
    let steps = vec![
        format!(
            "In NetSuite, open the integration record {token} belongs to (Setup > Integration > Manage Integrations{}), \
             tick CLIENT CREDENTIALS (MACHINE TO MACHINE) GRANT and {}, keep TOKEN-BASED AUTHENTICATION ticked for \
             now, and Save.",
            link(Page::ManageIntegrations),
            scope_labels.join(", ")
        ),
        format!(
            "On the role {token} uses (Setup > Users/Roles > Manage Roles{}), add Setup > Log in using OAuth 2.0 \
             Access Tokens, and Save.",
            link(Page::ManageRoles)
        ),
        format!(
            "Open {MAPPING_PAGE}{} and click Create New: the same Entity (user), Role and Application as {token}; \
             upload the certificate {file} and Save.",
            link(Page::M2mSetup)
        ),
        format!("Copy the new mapping's Certificate ID, then: tba-wizard-cli m2m set {label} --pending --certificate-id=ID"),
        format!(
            "Test the new values with the same calls as the token: tba-wizard-cli test --connection {label} --pending"
        ),
        "Give the system that runs the integration the Client ID, the Certificate ID, the algorithm, the scope and the \
         private key (the window's hand-off exports or copies it). Its token keeps working meanwhile."
            .to_string(),
        format!(
            "Once it runs on OAuth 2.0, switch this connection: tba-wizard-cli connections promote {label}. Then revoke \
             {token} on Setup > Users/Roles > Access Tokens{}, and forget its copy: tba-wizard-cli connections discard \
             {label}.",
            link(Page::AccessTokens)
        ),
    ];
    if a.json {
        let mut v = connection_json(&c);
        v["certificate_file"] = json!(file);
        v["next_steps"] = json!(steps);
        out_line(format_args!("{}", json_text(&v)));
        return Ok(EXIT_OK);
    }
    let fingerprint = c
        .moving()
        .map(|m| m.certificate.fingerprint.clone())
        .unwrap_or_default();
    let mut out = format!(
        "Started moving \"{}\" ({}) to OAuth 2.0: a new key is in the system keyring beside its token, which keeps \
         working; the certificate is in {}.\n",
        visible(&c.label),
        visible(&c.account),
        visible(&file)
    );
    out.push_str(&format!(
        "  Client ID: {} (kept in the keyring, not shown)\n",
        if a.credentials_stdin {
            "the one given on standard input"
        } else {
            "the integration record's consumer key"
        }
    ));
    out.push_str(&format!("  Certificate SHA-256 fingerprint: {fingerprint}\n"));
    out.push_str(&format!(
        "  Valid from {} until {} ({} days left)\n",
        date(certificate.not_before),
        date(certificate.not_after),
        certificate.days_left(SystemTime::now())
    ));
    out.push_str("Next:\n");
    for (i, s) in steps.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n", i + 1, visible(s)));
    }
    out_text(format_args!("{out}"));
    Ok(EXIT_OK)
}
