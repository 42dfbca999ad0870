//! OAuth 2.0 client credentials: a private key and a Client ID in the keyring, the certificate, its
//! mapping's Certificate ID and the keyring values' fingerprints in the record (`keep/m2m` does the
//! work; this file is what the rest of the code sees of it).

use super::{Describe, Method};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{CaptureField, Fingerprints, M2mFingerprints};
use crate::keep::store::{Connection, M2mCertificate, M2mWorked, Profile};
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::RefreshClears;
use crate::netsuite::signer::Signer;

pub(super) struct M2m;

impl<S: SecretStore> Method<S> for M2m {
    fn begin(
        &self,
        conns: &Connections<S>,
        label: &str,
        account: &Account,
        profile: Profile,
    ) -> Result<Connection, ConnectionError> {
        conns.m2m_begin(label, account, profile)
    }

    fn sync(&self, conns: &Connections<S>, c: Connection) -> Result<Connection, ConnectionError> {
        conns.m2m_sync(c)
    }

    // The OAuth 2.0 key's test is proven by its own fingerprints and Certificate ID (`M2mSigned`), so
    // TBA's `tested` fingerprints do not apply.
    fn promote(
        &self,
        conns: &Connections<S>,
        c: Connection,
        _: Option<&Fingerprints>,
    ) -> Result<Connection, ConnectionError> {
        conns.m2m_promote(c, None)
    }

    fn signer(&self, conns: &Connections<S>, c: &Connection, slot: Slot) -> Result<Signer, ConnectionError> {
        Ok(Signer::M2m(Box::new(conns.m2m_credentials(c, slot)?)))
    }

    fn capture(
        &self,
        conns: &Connections<S>,
        _: &[Connection],
        connection: &Connection,
        slot: Slot,
        field: CaptureField,
        raw: &str,
    ) -> Result<(Connection, String, Vec<String>), ConnectionError> {
        if field != CaptureField::ClientId {
            return Err(ConnectionError::bad(format!(
                "\"{}\" is an OAuth 2.0 connection: it keeps a key and a Client ID, not TBA values.",
                connection.label
            )));
        }
        if slot != Slot::Active {
            // A replacement stages a key and certificate: the integration record, so its Client ID, stays.
            return Err(ConnectionError::bad(
                "The Client ID stays with the connection in use: a replacement stages a key and certificate only.",
            ));
        }
        conns.m2m_capture_client_id(&connection.id, raw)
    }

    fn takes_tba_values(&self) -> bool {
        false
    }

    fn forget_staged(&self, c: &mut Connection) {
        if let Some(m) = c.m2m_mut() {
            m.pending = None;
            m.pending_fingerprints = Default::default();
        }
    }

    fn passed(&self, c: &mut Connection, at: &str) {
        if let Some(m) = c.m2m_mut() {
            m.last_worked = Some(M2mWorked {
                at: at.to_string(),
                key: m.fingerprints.private_key.clone(),
                client_id: m.fingerprints.client_id.clone(),
                certificate_id: m.certificate.certificate_id.clone(),
            });
        }
    }
}

impl Describe for M2m {
    fn missing(&self, c: &Connection) -> Vec<&'static str> {
        let f = c.m2m().map(|r| r.fingerprints.clone()).unwrap_or_default();
        [
            ("Private key", f.private_key.is_none()),
            ("Client ID", f.client_id.is_none()),
        ]
        .into_iter()
        .filter_map(|(label, gone)| gone.then_some(label))
        .collect()
    }

    fn refresh_clears(&self) -> RefreshClears {
        RefreshClears::Mappings
    }

    fn report_lines(&self, c: &Connection) -> Vec<String> {
        let Some(m) = c.m2m() else {
            return vec!["Auth: OAuth 2.0 client credentials, no key yet".to_string()];
        };
        let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
        let scopes: Vec<&str> = m.scopes.iter().map(|s| s.code()).collect();
        let certificate = |label: &str, c: &M2mCertificate| {
            format!(
                "{label}: {}, SHA-256 {}, valid {} to {}, Certificate ID {}",
                c.algorithm,
                c.fingerprint,
                c.not_before,
                c.not_after,
                dash(c.certificate_id.as_deref())
            )
        };
        let prints = |f: &M2mFingerprints| {
            format!(
                "Private key {} · Client ID {}",
                dash(f.private_key.as_deref()),
                dash(f.client_id.as_deref())
            )
        };
        let mut lines = vec![
            format!("Auth: OAuth 2.0 client credentials, scopes {}", scopes.join(",")),
            certificate("Certificate", &m.certificate),
            format!("Fingerprints: {}", prints(&m.fingerprints)),
        ];
        if let Some(p) = &m.pending {
            lines.push(certificate("Staged certificate", p));
            lines.push(format!("Staged fingerprints: {}", prints(&m.pending_fingerprints)));
        }
        lines
    }
}
