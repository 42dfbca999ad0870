//! How a saved connection is shown by every subcommand: its JSON, its text lines, an OAuth 2.0
//! connection's certificates and the notice for one that ends soon. Here, not in a command's file, so
//! subcommands never import each other.

use crate::output::*;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::time::SystemTime;
use tba_engine::flow::cards::{certificate_card, CertificateCard, EXPIRY_WARNING_DAYS};
use tba_engine::keep::secrets::{Field, Fingerprints};
use tba_engine::keep::store::{AuthRecord, Connection, M2mCertificate, M2mRecord, Profile};
use tba_engine::netsuite::oauth2::certificate::{date, days_left_until};
use tba_engine::netsuite::oauth2::Certificate;
use tba_engine::profiles::ConnectorProfile;
use tba_engine::Account;

pub(crate) fn connection_json(c: &Connection) -> Value {
    let mut v = serde_json::to_value(c).expect("Connection serializes");
    if let Ok(a) = Account::parse(&c.account) {
        v["environment"] = json!(a.environment().code());
        v["environment_label"] = json!(a.environment().to_string());
    }
    if let Some(Value::Object(summary)) = by_method(c).json {
        for (k, val) in summary {
            v[k] = val;
        }
    }
    v
}

pub(crate) fn print_connection(c: &Connection, as_json: bool, verb: &str) {
    if as_json {
        out_line(format_args!("{}", json_text(&connection_json(c))));
        return;
    }
    out_line(format_args!(
        "{verb} \"{}\" ({}, {}).",
        visible(&c.label),
        visible(&c.account),
        c.profile.code()
    ));
    for line in by_method(c).lines {
        out_line(format_args!("  {line}"));
    }
}

/// A connection as its auth method has it, for the command line's output.
pub(crate) struct ByMethod<'a> {
    /// What `list` shows in the third column.
    pub(crate) column: Cow<'a, str>,
    /// The lines that describe its values.
    pub(crate) lines: Vec<String>,
    /// What `--json` adds at the top level (an OAuth 2.0 connection's algorithm, certificates, expiry).
    json: Option<Value>,
}

/// The one place the command line's output asks which method a connection uses.
pub(crate) fn by_method(c: &Connection) -> ByMethod<'_> {
    match &c.auth {
        AuthRecord::M2m(Some(m)) => {
            // Each certificate parsed once, for the lines and the JSON alike.
            let ends = (end_of(&m.certificate), m.pending.as_ref().and_then(end_of));
            ByMethod {
                column: Cow::Borrowed("OAuth 2.0 client credentials"),
                lines: m2m_lines(m, ends),
                json: Some(m2m_summary(m, ends)),
            }
        }
        AuthRecord::M2m(None) => ByMethod {
            column: Cow::Borrowed("OAuth 2.0 client credentials"),
            lines: vec!["no key or certificate yet: finish its setup in the window".to_string()],
            json: None,
        },
        AuthRecord::Tba(t) => {
            let mut lines = vec![fingerprint_line(&t.fingerprints, c.profile)];
            if !t.pending_fingerprints.is_empty() {
                lines.push(format!(
                    "staged: {}",
                    fingerprint_line(&t.pending_fingerprints, c.profile)
                ));
            }
            if let Some(m) = &t.moving {
                lines.push(moving_line(m));
            }
            ByMethod {
                column: t
                    .token_name
                    .as_deref()
                    .map_or(Cow::Borrowed("(token name not given)"), visible),
                lines,
                json: None,
            }
        }
    }
}

/// The values a connection of `profile` holds (a Celigo one: the token pair), and any other present.
pub(crate) fn fingerprint_line(f: &Fingerprints, profile: Profile) -> String {
    let held = ConnectorProfile::of(profile).secrets();
    Field::ALL
        .iter()
        .filter(|field| held.contains(field) || f.get(**field).is_some())
        .map(|field| format!("{} {}", field.label(), visible(f.get(*field).unwrap_or("-"))))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The end of a certificate's validity, read from the certificate itself (what NetSuite checks): once
/// per certificate shown, where each line used to parse it again.
fn end_of(c: &M2mCertificate) -> Option<SystemTime> {
    Certificate::from_pem(&c.pem).ok().map(|cert| cert.not_after)
}

fn days_at(end: Option<SystemTime>) -> Option<i64> {
    Some(days_left_until(end?, SystemTime::now()))
}

/// The certificate in use of an OAuth 2.0 connection, when it is to be flagged: at most
/// `EXPIRY_WARNING_DAYS` left or expired. A certificate issued for under two months is flagged from the
/// start: NetSuite sends no e-mail for those, so this is the only warning.
pub(crate) fn expiring(c: &Connection) -> Option<CertificateCard> {
    let card = certificate_card(c, SystemTime::now())?;
    (card.status != "ok").then_some(card)
}

/// What to tell about a flagged certificate, with the command that starts its replacement.
pub(crate) fn expiry_notice(c: &Connection, card: &CertificateCard) -> String {
    let when = if card.days_left < 0 {
        format!("expired on {}: NetSuite refuses it", card.expires)
    } else {
        format!("ends on {} ({} days left)", card.expires, card.days_left)
    };
    format!(
        "\"{}\": the OAuth 2.0 certificate {when}. Replace it (the window's Replace certificate, or \
         tba-wizard-cli m2m rotate {} --certificate-out FILE).",
        c.label,
        tba_engine::shell_word(&c.label)
    )
}

/// What list and the other commands show of an M2M certificate, as JSON.
pub(crate) fn certificate_json(c: &M2mCertificate) -> Value {
    certificate_json_ending(c, end_of(c))
}

/// `certificate_json` of a certificate whose end was read already.
fn certificate_json_ending(c: &M2mCertificate, end: Option<SystemTime>) -> Value {
    let days = days_at(end);
    json!({
        "algorithm": c.algorithm.name(),
        "certificate_id": c.certificate_id,
        "fingerprint_sha256": c.fingerprint,
        "not_before": c.not_before,
        "not_after": c.not_after,
        "days_left": days,
        "expiring": days.is_none_or(|d| d <= EXPIRY_WARNING_DAYS),
    })
}

/// An OAuth 2.0 connection's summary (algorithm, fingerprint, expiry) for the top level of its JSON,
/// without the certificates' PEM text (`connection_json` keeps it for scripts that want it).
fn m2m_summary(m: &M2mRecord, (end, pending_end): (Option<SystemTime>, Option<SystemTime>)) -> Value {
    json!({
        "auth": "m2m",
        "algorithm": m.certificate.algorithm.name(),
        "scopes": m.scopes.iter().map(|s| s.code()).collect::<Vec<_>>(),
        "certificate": certificate_json_ending(&m.certificate, end),
        "pending_certificate": m.pending.as_ref().map(|p| certificate_json_ending(p, pending_end)),
        "private_key_fingerprint": m.fingerprints.private_key,
        "client_id_fingerprint": m.fingerprints.client_id,
    })
}

/// The text lines describing an M2M connection's certificates, for `list` and the other commands.
fn m2m_lines(m: &M2mRecord, (end, pending_end): (Option<SystemTime>, Option<SystemTime>)) -> Vec<String> {
    let line = |what: &str, cert: &M2mCertificate, end: Option<SystemTime>| {
        let days = days_at(end).map_or(String::new(), |d| {
            if d < 0 {
                " (EXPIRED)".to_string()
            } else if d <= EXPIRY_WARNING_DAYS {
                format!(" ({d} days left: REPLACE IT SOON)")
            } else {
                format!(" ({d} days left)")
            }
        });
        format!(
            "{what}{} · certificate SHA-256 {} · expires {}{days} · Certificate ID {}",
            cert.algorithm.name(),
            cert.fingerprint,
            end.map_or_else(|| cert.not_after.clone(), date),
            visible(cert.certificate_id.as_deref().unwrap_or("(not set)"))
        )
    };
    let mut lines = vec![line("OAuth 2.0 ", &m.certificate, end)];
    lines.push(format!(
        "private key {} (in the keyring) · Client ID {} · scopes {}",
        m.fingerprints.private_key.as_deref().unwrap_or("-"),
        m.fingerprints.client_id.as_deref().unwrap_or("(not set)"),
        m.scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
    ));
    if let Some(p) = &m.pending {
        lines.push(line("staged: ", p, pending_end));
    }
    if let Some(r) = &m.retired_tba {
        lines.push(format!(
            "moved from TBA: revoke the token {} (Token ID {}) on NetSuite's Access Tokens page, then forget its \
             copy with tba-wizard-cli connections discard",
            visible(r.token_name.as_deref().unwrap_or("(name not given)")),
            r.fingerprints.get(Field::TokenId).unwrap_or("-")
        ));
    }
    lines
}

/// What a connection moving to OAuth 2.0 has made so far, and its next step.
fn moving_line(m: &M2mRecord) -> String {
    let next = match &m.certificate.certificate_id {
        None => "next: upload the certificate as a new mapping and give its ID with m2m set --pending",
        Some(_) => "next: test it with test --pending, then switch with connections promote",
    };
    format!(
        "moving to OAuth 2.0: {} key · certificate SHA-256 {} · Certificate ID {} · Client ID {} · {next}",
        m.certificate.algorithm.name(),
        m.certificate.fingerprint,
        visible(m.certificate.certificate_id.as_deref().unwrap_or("(not set)")),
        m.fingerprints.client_id.as_deref().unwrap_or("(not set)"),
    )
}
