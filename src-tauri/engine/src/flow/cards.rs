//! An OAuth 2.0 certificate as a card shows it (home, the replacement's screens, the command line's
//! lists), and when it counts as ending soon. Its own file, below `home` and `view`, which both show it.

use crate::keep::store::{AuthRecord, Connection};
use serde::Serialize;

/// An OAuth 2.0 client credentials connection's certificate, as its card shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CertificateCard {
    pub algorithm: String,
    /// SHA-256 of the certificate, as NetSuite's mapping page and openssl show it.
    pub fingerprint: String,
    /// The mapping's Certificate ID, once NetSuite gave one.
    pub certificate_id: Option<String>,
    /// The last day it is valid (YYYY-MM-DD).
    pub expires: String,
    pub days_left: i64,
    /// `ok`, `soon` (at most `EXPIRY_WARNING_DAYS` left) or `expired`.
    #[ts(type = "\"ok\" | \"soon\" | \"expired\"")]
    pub status: &'static str,
}

/// What a card says about how its connection signs in: the token in use, or the certificate in use.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum AuthCard {
    /// TBA: the token in use, as NetSuite's Access Tokens list names it.
    Tba {
        token_name: Option<String>,
        token_fingerprint: Option<String>,
    },
    /// OAuth 2.0 client credentials: the certificate in use; `None` until a key is made.
    M2m { certificate: Option<CertificateCard> },
}

/// The card's part that depends on how the connection signs in, and what to tell about it: the one place
/// the home card asks which auth method a connection uses. `refused_sandbox`: its last test was refused
/// in a sandbox, and this session has not tested it again.
pub(crate) fn auth_card(
    c: &Connection,
    certificate: Option<CertificateCard>,
    refused_sandbox: bool,
) -> (AuthCard, Option<String>) {
    match &c.auth {
        AuthRecord::Tba(t) => {
            // A refresh from production deletes a sandbox's tokens; this session's test would have said so.
            let hint = (refused_sandbox && c.last_success_at.is_some()).then(|| {
                format!(
                    "This sandbox's token worked before and is refused now: if {} was refreshed from production, the \
                     refresh deleted its tokens. Replace the token to make a new one.",
                    c.account
                )
            });
            let card = AuthCard::Tba {
                token_name: t.token_name.clone(),
                token_fingerprint: t.fingerprints.token_id.clone(),
            };
            (card, hint)
        }
        AuthRecord::M2m(_) => {
            let hint = m2m_hint(c, certificate.as_ref());
            (AuthCard::M2m { certificate }, hint)
        }
    }
}

/// What an OAuth 2.0 connection's card says before anything is clicked: no mapping yet, or a
/// certificate near or past its end (NetSuite then refuses the connection).
fn m2m_hint(c: &Connection, certificate: Option<&CertificateCard>) -> Option<String> {
    let cert = certificate?;
    let name = &c.label;
    if cert.certificate_id.is_none() {
        return Some(format!(
            "No Certificate ID yet: upload the certificate at Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup, \
             then save the Certificate ID it gives (tba-wizard-cli m2m set \"{name}\" --certificate-id …)."
        ));
    }
    match cert.status {
        "expired" => Some(format!(
            "The certificate expired on {}: NetSuite refuses this connection. Press Replace certificate: the \
             wizard makes a new key and certificate to upload as a new mapping, tests it and makes it the one in use.",
            cert.expires
        )),
        "soon" => Some(format!(
            "The certificate expires on {} ({} days left). Replace it before then with Replace \
             certificate: the new one is uploaded as a second mapping while this one keeps working.",
            cert.expires, cert.days_left
        )),
        _ => None,
    }
}

/// From how many days before its end a certificate is shown as expiring: time enough to make a new
/// one, upload it as a second mapping and hand it over, while the old one still works.
pub const EXPIRY_WARNING_DAYS: i64 = 60;

pub fn certificate_card(c: &Connection, now: std::time::SystemTime) -> Option<CertificateCard> {
    Some(card_of(c.certificate()?, now))
}

/// The card of one certificate: the one in use, or one staged or replaced by a replacement.
pub(crate) fn card_of(cert: &crate::keep::store::M2mCertificate, now: std::time::SystemTime) -> CertificateCard {
    let days_left = humantime::parse_rfc3339_weak(&cert.not_after)
        .ok()
        .map(|end| match end.duration_since(now) {
            Ok(d) => (d.as_secs() / 86_400) as i64,
            Err(e) => -(e.duration().as_secs().div_ceil(86_400) as i64),
        })
        .unwrap_or(i64::MIN);
    CertificateCard {
        algorithm: cert.algorithm.name().to_string(),
        fingerprint: cert.fingerprint.clone(),
        certificate_id: cert.certificate_id.clone(),
        expires: cert.not_after.get(..10).unwrap_or(&cert.not_after).to_string(),
        days_left,
        status: expiry_status(days_left),
    }
}

fn expiry_status(days_left: i64) -> &'static str {
    if days_left < 0 {
        "expired"
    } else if days_left <= EXPIRY_WARNING_DAYS {
        "soon"
    } else {
        "ok"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_is_expiring_from_sixty_days_before_its_end() {
        assert_eq!(expiry_status(61), "ok");
        assert_eq!(expiry_status(60), "soon");
        assert_eq!(expiry_status(0), "soon");
        assert_eq!(expiry_status(-1), "expired");
        assert_eq!(
            expiry_status(i64::MIN),
            "expired",
            "an unreadable date is not shown as fine"
        );
    }
}
