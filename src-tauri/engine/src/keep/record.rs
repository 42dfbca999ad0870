//! A saved connection's record as code sees it ([`Connection`], with what its auth method keeps as one
//! [`AuthRecord`]) and as `connections.json` has it ([`ConnectionFile`], flat, as it always was): the
//! one place a record is taken apart by auth method. Never a secret: names, fingerprints, certificates.

use crate::keep::secrets::{Fingerprints, M2mFingerprints};
use crate::netsuite::oauth2::{Algorithm, Certificate, Scope};
use crate::profiles::AuthKind;
use serde::{Deserialize, Serialize};
use std::time::SystemTime;

/// The connector procedure a connection was set up with: its profile's id, as in the file.
pub use crate::profiles::ProfileId as Profile;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LastTest {
    pub at: String,
    pub outcome: crate::Outcome,
    #[serde(default)]
    pub http_status: Option<u16>,
    #[serde(default)]
    pub error_code: Option<String>,
}

/// A connection as `connections.json` (and `--json`, and the window) has it: flat, TBA's values at the
/// top, OAuth 2.0's under `m2m`. Code works on [`Connection`], which converts to and from this shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(rename = "Connection")]
pub struct ConnectionFile {
    pub id: String,
    pub label: String,
    pub account: String,
    pub profile: Profile,
    #[serde(default)]
    pub token_name: Option<String>,
    #[serde(default)]
    pub fingerprints: Fingerprints,
    /// Fingerprints of values staged for rotation, if any.
    #[serde(default, skip_serializing_if = "Fingerprints::is_empty")]
    pub pending_fingerprints: Fingerprints,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub last_test: Option<LastTest>,
    /// When a signed test last passed: a sandbox whose token worked before and is refused now was most
    /// likely refreshed from production, which deletes the sandbox's tokens.
    #[serde(default)]
    pub last_success_at: Option<String>,
    /// How the connection authenticates. Absent in files written before OAuth 2.0, and left out for
    /// TBA, so a TBA connection's record reads and writes as it always did.
    #[serde(default, skip_serializing_if = "AuthKind::is_tba")]
    #[ts(skip)]
    pub auth: AuthKind,
    /// An OAuth 2.0 client credentials connection's public details (never a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub m2m: Option<M2mRecord>,
    /// A TBA connection on its way to OAuth 2.0 (`migrate`): the key and certificate made beside its
    /// tokens, until the switch. Absent otherwise, so other records read and write as they always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub moving_to: Option<M2mRecord>,
}

/// A saved connection: everything but its secrets. What it keeps for its auth method is one enum, so a
/// TBA connection cannot carry a certificate nor an OAuth 2.0 one a token name; the file keeps today's
/// flat shape ([`ConnectionFile`]), byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ConnectionFile", into = "ConnectionFile")]
pub struct Connection {
    pub id: String,
    pub label: String,
    pub account: String,
    pub profile: Profile,
    pub created_at: String,
    pub updated_at: String,
    pub last_test: Option<LastTest>,
    /// When a signed test last passed: a sandbox whose token worked before and is refused now was most
    /// likely refreshed from production, which deletes the sandbox's tokens.
    pub last_success_at: Option<String>,
    pub auth: AuthRecord,
}

/// What a connection keeps for its auth method (never a secret: fingerprints, names, certificates).
// Unboxed: a connection held both parts before, there are hundreds at most, and a box would keep
// `AuthRecord::M2m(Some(m))` from being matched.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthRecord {
    Tba(TbaRecord),
    /// `None` until the connection's key is made: a setup that has only begun.
    M2m(Option<M2mRecord>),
}

/// What a test signs with, by fingerprint: nothing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedWith {
    Tba(Fingerprints),
    /// `None` where the slot has no key and certificate.
    M2m(Option<M2mSigned>),
}

/// An OAuth 2.0 test's values, by fingerprint and Certificate ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M2mSigned {
    pub key: Option<String>,
    pub client_id: Option<String>,
    pub certificate_id: Option<String>,
}

/// A TBA connection's token name and the fingerprints of its four values, in use and staged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TbaRecord {
    pub token_name: Option<String>,
    pub fingerprints: Fingerprints,
    /// Fingerprints of values staged for rotation, if any.
    pub pending_fingerprints: Fingerprints,
    /// The OAuth 2.0 record made beside the tokens while the connection moves to OAuth 2.0: its key
    /// and Client ID are in the keyring's pending slot.
    pub moving: Option<M2mRecord>,
}

/// The TBA token a connection used before it moved to OAuth 2.0, kept (with its values in the keyring's
/// retired slot) until the user discards it: the token to revoke, by name and fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredTba {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_name: Option<String>,
    pub fingerprints: Fingerprints,
}

impl AuthRecord {
    pub fn kind(&self) -> AuthKind {
        match self {
            AuthRecord::Tba(_) => AuthKind::Tba,
            AuthRecord::M2m(_) => AuthKind::M2m,
        }
    }
}

impl From<ConnectionFile> for Connection {
    fn from(f: ConnectionFile) -> Connection {
        // A file's OAuth 2.0 connection never holds TBA values (nothing writes them), and a TBA one
        // never an `m2m` part: each method reads its own.
        let auth = match f.auth {
            AuthKind::Tba => AuthRecord::Tba(TbaRecord {
                token_name: f.token_name,
                fingerprints: f.fingerprints,
                pending_fingerprints: f.pending_fingerprints,
                moving: f.moving_to,
            }),
            AuthKind::M2m => AuthRecord::M2m(f.m2m),
        };
        Connection {
            id: f.id,
            label: f.label,
            account: f.account,
            profile: f.profile,
            created_at: f.created_at,
            updated_at: f.updated_at,
            last_test: f.last_test,
            last_success_at: f.last_success_at,
            auth,
        }
    }
}

impl From<Connection> for ConnectionFile {
    fn from(c: Connection) -> ConnectionFile {
        let kind = c.auth.kind();
        let (mut tba, m2m) = match c.auth {
            AuthRecord::Tba(t) => (t, None),
            AuthRecord::M2m(m) => (TbaRecord::default(), m),
        };
        let moving_to = tba.moving.take();
        ConnectionFile {
            id: c.id,
            label: c.label,
            account: c.account,
            profile: c.profile,
            token_name: tba.token_name,
            fingerprints: tba.fingerprints,
            pending_fingerprints: tba.pending_fingerprints,
            created_at: c.created_at,
            updated_at: c.updated_at,
            last_test: c.last_test,
            last_success_at: c.last_success_at,
            auth: kind,
            m2m,
            moving_to,
        }
    }
}

impl Connection {
    pub fn kind(&self) -> AuthKind {
        self.auth.kind()
    }

    pub fn tba(&self) -> Option<&TbaRecord> {
        match &self.auth {
            AuthRecord::Tba(t) => Some(t),
            _ => None,
        }
    }

    pub fn tba_mut(&mut self) -> Option<&mut TbaRecord> {
        match &mut self.auth {
            AuthRecord::Tba(t) => Some(t),
            _ => None,
        }
    }

    /// An OAuth 2.0 connection's record, once its key is made.
    pub fn m2m(&self) -> Option<&M2mRecord> {
        match &self.auth {
            AuthRecord::M2m(m) => m.as_ref(),
            _ => None,
        }
    }

    pub fn m2m_mut(&mut self) -> Option<&mut M2mRecord> {
        match &mut self.auth {
            AuthRecord::M2m(m) => m.as_mut(),
            _ => None,
        }
    }

    /// The OAuth 2.0 record a TBA connection is moving to (`keep/m2m/migrate`), if it is moving.
    pub fn moving(&self) -> Option<&M2mRecord> {
        self.tba().and_then(|t| t.moving.as_ref())
    }

    /// Why another change of the values is refused while the connection moves to OAuth 2.0 (the move
    /// holds the keyring's pending slot), if it is moving.
    pub fn while_moving(&self) -> Option<String> {
        self.moving()?;
        let label = crate::shell_word(&self.label);
        Some(format!(
            "\"{}\" is moving to OAuth 2.0 (tba-wizard-cli migrate): finish the move (m2m set {label} --pending, test \
             --connection {label} --pending, connections promote {label}) or stop it (connections discard {label}) \
             before another change.",
            self.label
        ))
    }

    /// The fingerprints of the TBA values in use: none for a connection of another method.
    pub fn fingerprints(&self) -> &Fingerprints {
        self.tba().map_or(&Fingerprints::NONE, |t| &t.fingerprints)
    }

    /// The fingerprints of staged TBA values: none for a connection of another method.
    pub fn pending_fingerprints(&self) -> &Fingerprints {
        self.tba().map_or(&Fingerprints::NONE, |t| &t.pending_fingerprints)
    }

    pub fn token_name(&self) -> Option<&str> {
        self.tba().and_then(|t| t.token_name.as_deref())
    }

    /// The certificate in use, for a method that signs with one.
    pub fn certificate(&self) -> Option<&M2mCertificate> {
        self.m2m().map(|m| &m.certificate)
    }

    /// Keeps the fingerprints of TBA values just written to the keyring in `slot`. A record of another
    /// method keeps no TBA values: the callers refuse those connections first.
    pub fn keep_tba_fingerprints(&mut self, slot: crate::keep::vault::Slot, fingerprints: Fingerprints) {
        use crate::keep::vault::Slot;
        if let AuthRecord::Tba(t) = &mut self.auth {
            match slot {
                Slot::Active => t.fingerprints = fingerprints,
                Slot::Pending => t.pending_fingerprints = fingerprints,
                Slot::Retired => {}
            }
        }
    }

    pub fn set_token_name(&mut self, name: Option<String>) {
        if let AuthRecord::Tba(t) = &mut self.auth {
            t.token_name = name;
        }
    }

    /// An OAuth 2.0 hand-off value that is public, as text (the Certificate ID, the algorithm, the scopes
    /// as JSON); `None` for a secret one or a connection without it.
    pub fn public_value(&self, value: crate::profiles::M2mValue) -> Option<String> {
        use crate::profiles::M2mValue;
        let m = self.m2m()?;
        match value {
            M2mValue::CertificateId => m.certificate.certificate_id.clone(),
            M2mValue::Algorithm => Some(m.certificate.algorithm.name().to_string()),
            M2mValue::Scope => serde_json::to_string(&m.scopes.iter().map(|s| s.code()).collect::<Vec<_>>()).ok(),
            M2mValue::ClientId | M2mValue::PrivateKey => None,
        }
    }

    /// The fingerprint of an OAuth 2.0 hand-off value the keyring holds (the Client ID, the private key).
    pub fn value_fingerprint(&self, value: crate::profiles::M2mValue) -> Option<String> {
        use crate::profiles::M2mValue;
        let m = self.m2m()?;
        match value {
            M2mValue::ClientId => m.fingerprints.client_id.clone(),
            M2mValue::PrivateKey => m.fingerprints.private_key.clone(),
            M2mValue::CertificateId | M2mValue::Algorithm | M2mValue::Scope => None,
        }
    }

    /// What a test of `slot` signs with, by fingerprint (and for OAuth 2.0 the Certificate ID): a result is
    /// kept only if this is unchanged when its calls return. TBA's staged values sign beside the active
    /// ones they do not replace.
    pub fn signed_with(&self, slot: crate::keep::vault::Slot) -> SignedWith {
        use crate::keep::vault::Slot;
        match (&self.auth, slot) {
            // A connection moving to OAuth 2.0 tests its new key and Client ID, alone, from the pending slot.
            (AuthRecord::Tba(TbaRecord { moving: Some(m), .. }), Slot::Pending) => SignedWith::M2m(Some(M2mSigned {
                key: m.fingerprints.private_key.clone(),
                client_id: m.fingerprints.client_id.clone(),
                certificate_id: m.certificate.certificate_id.clone(),
            })),
            (AuthRecord::Tba(t), Slot::Pending) => SignedWith::Tba(t.pending_fingerprints.over(&t.fingerprints)),
            (AuthRecord::Tba(t), _) => SignedWith::Tba(t.fingerprints.clone()),
            (AuthRecord::M2m(m), slot) => SignedWith::M2m(m.as_ref().and_then(|m| {
                let (key, certificate_id) = match (slot, &m.pending) {
                    (Slot::Pending, Some(p)) => (m.pending_fingerprints.private_key.clone(), p.certificate_id.clone()),
                    (Slot::Pending, None) => return None,
                    _ => (m.fingerprints.private_key.clone(), m.certificate.certificate_id.clone()),
                };
                Some(M2mSigned {
                    key,
                    client_id: m.fingerprints.client_id.clone(),
                    certificate_id,
                })
            })),
        }
    }
}

/// What an M2M connection keeps in the connection file: its scopes, its certificate and mapping, the
/// fingerprints of its keyring values, and during a rotation the pending certificate and fingerprints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct M2mRecord {
    pub scopes: Vec<Scope>,
    pub certificate: M2mCertificate,
    #[serde(default)]
    pub fingerprints: M2mFingerprints,
    /// The certificate of a key staged for rotation (`m2m rotate`), until it is promoted or discarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<M2mCertificate>,
    #[serde(default, skip_serializing_if = "m2m_fingerprints_empty")]
    pub pending_fingerprints: M2mFingerprints,
    /// What the connection signed with when a test last passed (fingerprints and the Certificate ID,
    /// nothing secret): a later refusal names what changed since as its likely cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_worked: Option<M2mWorked>,
    /// The TBA token the connection used before it moved to OAuth 2.0, until the user discards it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_tba: Option<RetiredTba>,
    /// The certificate a renewal (`m2m renew`) replaced, kept (with its key in the keyring's retired
    /// slot) until its mapping is revoked and the old key shown refused: a renewal cut short after its
    /// switch finds here what is left to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced: Option<M2mCertificate>,
}

/// The values of an OAuth 2.0 connection's last passing test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct M2mWorked {
    pub at: String,
    pub key: Option<String>,
    pub client_id: Option<String>,
    pub certificate_id: Option<String>,
}

fn m2m_fingerprints_empty(f: &M2mFingerprints) -> bool {
    f.private_key.is_none() && f.client_id.is_none()
}

/// One certificate of an M2M connection (public, like the certificate itself) and its mapping's
/// Certificate ID once NetSuite gave one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct M2mCertificate {
    pub algorithm: Algorithm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_id: Option<String>,
    /// SHA-256 of the certificate's DER, as openssl shows it.
    pub fingerprint: String,
    pub not_before: String,
    pub not_after: String,
    /// The certificate itself, PEM: the assertion is checked against it before sending.
    pub pem: String,
}

impl M2mCertificate {
    pub fn new(algorithm: Algorithm, certificate: &Certificate) -> M2mCertificate {
        let time = |t: SystemTime| humantime::format_rfc3339_seconds(t).to_string();
        M2mCertificate {
            algorithm,
            certificate_id: None,
            fingerprint: certificate.fingerprint.clone(),
            not_before: time(certificate.not_before),
            not_after: time(certificate.not_after),
            pem: certificate.pem.clone(),
        }
    }
}

impl Connection {
    pub fn new(label: &str, account: &crate::Account, profile: Profile) -> Connection {
        let now = now_rfc3339();
        Connection {
            id: new_id(),
            label: label.trim().to_string(),
            account: account.id().to_string(),
            profile,
            created_at: now.clone(),
            updated_at: now,
            last_test: None,
            last_success_at: None,
            auth: AuthRecord::Tba(TbaRecord::default()),
        }
    }

    pub fn touch(&mut self) {
        self.updated_at = now_rfc3339();
    }
}

pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

fn new_id() -> String {
    use rand::Rng as _;
    let bytes: [u8; 8] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
