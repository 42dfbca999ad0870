//! An OAuth 2.0 certificate as a card shows it (home, the replacement's screens, the command line's
//! lists), and when it counts as ending soon. Its own file, below `home` and `view`, which both show it.

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

/// From how many days before its end a certificate is shown as expiring: time enough to make a new
/// one, upload it as a second mapping and hand it over, while the old one still works.
pub const EXPIRY_WARNING_DAYS: i64 = 60;

pub fn certificate_card(c: &crate::keep::store::Connection, now: std::time::SystemTime) -> Option<CertificateCard> {
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
