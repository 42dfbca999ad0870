//! The four TBA values as they arrive one by one, and the checks made the moment one is pasted; and an
//! OAuth 2.0 client credentials connection's private key and Client ID.

// Field lives with the signer (the four values are NetSuite's), below the profiles that name them.
pub use crate::netsuite::oauth1::Field;
use crate::netsuite::oauth1::{fingerprint, Credentials};
use crate::netsuite::oauth2::{KeyError, PrivateKey};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::Zeroizing;

/// A value NetSuite shows once, taken into the keyring by Paste: one of TBA's four, or an OAuth 2.0
/// integration record's Client ID. Named on the wire as the fields are (`token_id`, `client_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CaptureField {
    ConsumerKey,
    ConsumerSecret,
    TokenId,
    TokenSecret,
    ClientId,
}

impl CaptureField {
    /// The TBA field it is, if it is one.
    pub fn tba(self) -> Option<Field> {
        match self {
            CaptureField::ConsumerKey => Some(Field::ConsumerKey),
            CaptureField::ConsumerSecret => Some(Field::ConsumerSecret),
            CaptureField::TokenId => Some(Field::TokenId),
            CaptureField::TokenSecret => Some(Field::TokenSecret),
            CaptureField::ClientId => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaptureField::ConsumerKey => Field::ConsumerKey.label(),
            CaptureField::ConsumerSecret => Field::ConsumerSecret.label(),
            CaptureField::TokenId => Field::TokenId.label(),
            CaptureField::TokenSecret => Field::TokenSecret.label(),
            CaptureField::ClientId => "Client ID",
        }
    }
}

impl From<Field> for CaptureField {
    fn from(f: Field) -> Self {
        match f {
            Field::ConsumerKey => CaptureField::ConsumerKey,
            Field::ConsumerSecret => CaptureField::ConsumerSecret,
            Field::TokenId => CaptureField::TokenId,
            Field::TokenSecret => CaptureField::TokenSecret,
        }
    }
}

/// Some or all of a connection's four values. Absent values are `None`; a set is usable once complete.
#[derive(Default)]
pub struct SecretSet {
    values: [Option<SecretString>; 4],
}

impl fmt::Debug for SecretSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("SecretSet");
        for field in Field::ALL {
            d.field(field.code(), &self.get(field).map(|_| "[redacted]"));
        }
        d.finish()
    }
}

/// Fingerprints of whichever values are present: safe to store in files and show on screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Fingerprints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumer_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumer_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_secret: Option<String>,
}

impl Fingerprints {
    /// No value at all: what a connection of another method shows for TBA's four.
    pub const NONE: Fingerprints = Fingerprints {
        consumer_key: None,
        consumer_secret: None,
        token_id: None,
        token_secret: None,
    };

    /// These values with `under`'s where these have none: a staged set signs beside the active values it
    /// does not replace.
    pub fn over(&self, under: &Fingerprints) -> Fingerprints {
        let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
        Fingerprints {
            consumer_key: pick(&self.consumer_key, &under.consumer_key),
            consumer_secret: pick(&self.consumer_secret, &under.consumer_secret),
            token_id: pick(&self.token_id, &under.token_id),
            token_secret: pick(&self.token_secret, &under.token_secret),
        }
    }

    pub fn get(&self, field: Field) -> Option<&str> {
        match field {
            Field::ConsumerKey => self.consumer_key.as_deref(),
            Field::ConsumerSecret => self.consumer_secret.as_deref(),
            Field::TokenId => self.token_id.as_deref(),
            Field::TokenSecret => self.token_secret.as_deref(),
        }
    }

    pub fn is_empty(&self) -> bool {
        Field::ALL.iter().all(|f| self.get(*f).is_none())
    }
}

impl SecretSet {
    pub fn get(&self, field: Field) -> Option<&SecretString> {
        self.values[field as usize].as_ref()
    }

    pub fn set(&mut self, field: Field, value: SecretString) {
        self.values[field as usize] = Some(value);
    }

    pub fn is_complete(&self) -> bool {
        self.values.iter().all(Option::is_some)
    }

    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    /// The first pair of which only one value is present: NetSuite issues the consumer key and secret,
    /// and the token ID and secret, as pairs, and half of one works nowhere.
    pub fn half_pair(&self) -> Option<(Field, Field)> {
        [
            (Field::ConsumerKey, Field::ConsumerSecret),
            (Field::TokenId, Field::TokenSecret),
        ]
        .into_iter()
        .find(|(a, b)| self.get(*a).is_some() != self.get(*b).is_some())
    }

    pub fn present(&self) -> Vec<Field> {
        Field::ALL.into_iter().filter(|f| self.get(*f).is_some()).collect()
    }

    /// `other`'s values replace ours where present (a staged token pair over an active consumer pair).
    pub fn overlay(&self, other: &SecretSet) -> SecretSet {
        let mut out = SecretSet::default();
        for f in Field::ALL {
            if let Some(v) = other.get(f).or(self.get(f)) {
                out.set(f, v.clone());
            }
        }
        out
    }

    pub fn same_values(&self, other: &SecretSet) -> bool {
        Field::ALL
            .iter()
            .all(|f| self.get(*f).map(|v| v.expose_secret()) == other.get(*f).map(|v| v.expose_secret()))
    }

    pub fn fingerprints(&self) -> Fingerprints {
        let fp = |f| self.get(f).map(fingerprint);
        Fingerprints {
            consumer_key: fp(Field::ConsumerKey),
            consumer_secret: fp(Field::ConsumerSecret),
            token_id: fp(Field::TokenId),
            token_secret: fp(Field::TokenSecret),
        }
    }

    pub fn to_credentials(&self) -> Option<Credentials> {
        let v = |f| self.get(f).cloned();
        Some(Credentials {
            consumer_key: v(Field::ConsumerKey)?,
            consumer_secret: v(Field::ConsumerSecret)?,
            token_id: v(Field::TokenId)?,
            token_secret: v(Field::TokenSecret)?,
        })
    }

    pub fn from_credentials(c: &Credentials) -> SecretSet {
        let mut s = SecretSet::default();
        s.set(Field::ConsumerKey, c.consumer_key.clone());
        s.set(Field::ConsumerSecret, c.consumer_secret.clone());
        s.set(Field::TokenId, c.token_id.clone());
        s.set(Field::TokenSecret, c.token_secret.clone());
        s
    }

    /// The keyring item's content: one JSON object, so a connection's values change in one write.
    /// Written straight into a zeroizing buffer from borrowed values, so no stray copy is left behind.
    pub fn to_json(&self) -> Zeroizing<String> {
        let map: std::collections::BTreeMap<&str, &str> = Field::ALL
            .into_iter()
            .filter_map(|f| self.get(f).map(|v| (f.code(), v.expose_secret())))
            .collect();
        let mut buf = Zeroizing::new(Vec::with_capacity(1024));
        serde_json::to_writer(&mut *buf, &map).expect("a map of strings serializes");
        Zeroizing::new(String::from_utf8(std::mem::take(&mut *buf)).expect("serde_json writes UTF-8"))
    }

    pub fn from_json(text: &str) -> Option<SecretSet> {
        #[derive(Deserialize)]
        struct Stored {
            consumer_key: Option<SecretString>,
            consumer_secret: Option<SecretString>,
            token_id: Option<SecretString>,
            token_secret: Option<SecretString>,
            /// Only items of another kind (an OAuth 2.0 connection's) carry one.
            kind: Option<String>,
        }
        let s: Stored = serde_json::from_str(text).ok()?;
        if s.kind.is_some() {
            return None;
        }
        Some(SecretSet {
            values: [s.consumer_key, s.consumer_secret, s.token_id, s.token_secret],
        })
    }
}

/// Strips what copying from a web page or a chat adds: spaces, quotes and line breaks, anywhere.
pub fn clean(raw: &str) -> Zeroizing<String> {
    Zeroizing::new(
        raw.chars()
            .filter(|c| {
                !c.is_whitespace()
                    && !c.is_control()
                    && !matches!(
                        c,
                        '"' | '\'' | '`' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' | '\u{200b}' | '\u{feff}'
                    )
            })
            .collect(),
    )
}

/// What a free-text field (a token's name, a connection's name, the account field) says when given
/// what looks like a secret. It never repeats the text: that would put the secret on a shared screen.
pub const SECRET_LIKE: &str =
    "That looks like a key or token value, not a name, so it was not saved and is not shown. \
     Keep secrets for the Paste buttons of the capture steps; here, type the name as NetSuite shows it.";

/// Whether free text is, or holds, a secret: a run of 32 or more hexadecimal characters (NetSuite's
/// keys and tokens are 64), or exactly one of the values captured so far (known by `fingerprints`, so
/// no keyring read is needed).
pub fn looks_like_secret(text: &str, fingerprints: &[&Fingerprints]) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_hexdigit() { run + 1 } else { 0 };
        if run >= 32 {
            return true;
        }
    }
    let cleaned = clean(text);
    if cleaned.is_empty() {
        return false;
    }
    let print = fingerprint(&SecretString::from(cleaned.as_str()));
    fingerprints
        .iter()
        .any(|f| Field::ALL.iter().any(|field| f.get(*field) == Some(print.as_str())))
}

/// A pasted value that cannot be right.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error("The {0} is empty. Copy it again from NetSuite and paste it.")]
    Empty(&'static str),
    #[error("This is the same value as the {other} you already saved, so it cannot be the {field}. On NetSuite's page the {field} is shown on its own line: copy that one.")]
    SameAs { field: &'static str, other: &'static str },
    #[error("The {0} is far too long to be a NetSuite value ({1} characters). Copy just the value.")]
    TooLong(&'static str, usize),
}

/// Checks one cleaned value against the format NetSuite uses and against the values already saved.
/// Errors block saving; the warnings that come back do not (NetSuite publishes no format, so an odd
/// value is flagged, not refused).
pub fn check(field: Field, value: &str, saved: &SecretSet) -> Result<Vec<String>, PasteError> {
    if value.is_empty() {
        return Err(PasteError::Empty(field.label()));
    }
    if value.len() > 1024 {
        return Err(PasteError::TooLong(field.label(), value.len()));
    }
    for other in Field::ALL.into_iter().filter(|f| *f != field) {
        if saved.get(other).is_some_and(|v| v.expose_secret() == value) {
            return Err(PasteError::SameAs {
                field: field.label(),
                other: other.label(),
            });
        }
    }
    let mut warnings = Vec::new();
    let hex = value.chars().all(|c| c.is_ascii_hexdigit());
    if value.len() != 64 || !hex {
        warnings.push(format!(
            "The {} has {} characters{}; NetSuite's keys and tokens are 64 characters of 0-9 and a-f. Check that you copied all of it, and only it.",
            field.label(),
            value.chars().count(),
            if hex { "" } else { ", not all of them 0-9 or a-f" }
        ));
    } else if value.chars().any(|c| c.is_ascii_uppercase()) {
        warnings.push(format!(
            "The {} has upper-case letters; NetSuite shows its values in lower case. Check that it was not retyped.",
            field.label()
        ));
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4";
    const B: &str = "d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5";

    #[test]
    fn cleaning_removes_copy_debris() {
        assert_eq!(clean(&format!("  \"{A}\"\r\n")).as_str(), A);
        assert_eq!(clean(&format!("{}\n{}", &A[..32], &A[32..])).as_str(), A);
        assert_eq!(clean(&format!("\u{feff}{A}\u{200b}")).as_str(), A);
    }

    #[test]
    fn format_and_duplicates() {
        let empty = SecretSet::default();
        assert!(check(Field::ConsumerKey, A, &empty).unwrap().is_empty());
        let w = check(Field::TokenSecret, &A[..63], &empty).unwrap();
        assert!(w[0].contains("Token Secret") && w[0].contains("63"), "{w:?}");
        let w = check(Field::TokenId, "hello world", &empty).unwrap();
        assert!(w[0].contains("not all of them"));
        assert!(check(Field::ConsumerKey, &A.to_uppercase(), &empty).unwrap()[0].contains("upper-case"));
        assert_eq!(
            check(Field::ConsumerSecret, "", &empty),
            Err(PasteError::Empty("Consumer Secret"))
        );

        let mut saved = SecretSet::default();
        saved.set(Field::TokenId, SecretString::from(A));
        let err = check(Field::ConsumerKey, A, &saved).unwrap_err();
        assert_eq!(
            err,
            PasteError::SameAs {
                field: "Consumer Key",
                other: "Token ID"
            }
        );
        assert!(!err.to_string().contains(A));
        // Re-pasting the same field is a correction, not a duplicate.
        assert!(check(Field::TokenId, B, &saved).is_ok());
        assert!(check(Field::TokenId, A, &saved).is_ok());
    }

    #[test]
    fn free_text_that_is_a_secret() {
        let mut saved = SecretSet::default();
        saved.set(Field::TokenSecret, SecretString::from("short-secret-value"));
        let prints = saved.fingerprints();
        assert!(looks_like_secret(A, &[]));
        assert!(looks_like_secret(&format!("token {}", &A[..40]), &[]));
        assert!(looks_like_secret(" \"short-secret-value\" ", &[&prints]));
        assert!(!looks_like_secret("AfterShip token 2026-12-01", &[&prints]));
        assert!(!looks_like_secret("Celigo BigCommerce prod (2)", &[]));
        assert!(!SECRET_LIKE.contains(A));
    }

    #[test]
    fn json_round_trip_and_overlay() {
        let mut active = SecretSet::default();
        active.set(Field::ConsumerKey, SecretString::from("ck"));
        active.set(Field::ConsumerSecret, SecretString::from("cs"));
        active.set(Field::TokenId, SecretString::from("old-id"));
        active.set(Field::TokenSecret, SecretString::from("old-secret"));
        let back = SecretSet::from_json(&active.to_json()).unwrap();
        assert!(back.same_values(&active));
        let mut pending = SecretSet::default();
        pending.set(Field::TokenId, SecretString::from("new-id"));
        pending.set(Field::TokenSecret, SecretString::from("new-secret"));
        let merged = active.overlay(&pending);
        assert!(merged.is_complete());
        assert_eq!(merged.get(Field::TokenId).unwrap().expose_secret(), "new-id");
        assert_eq!(merged.get(Field::ConsumerKey).unwrap().expose_secret(), "ck");
        let shown = format!("{merged:?}");
        assert!(!shown.contains("new-secret") && !shown.contains("ck\""));
    }
}

/// The secrets of an OAuth 2.0 client credentials (M2M) connection: its private key and the Client ID
/// (with the key, enough to get tokens). The certificate, the Certificate ID and the algorithm are not
/// secret and live in the connection file.
///
/// In the keyring the key is PKCS#8 DER in base64, beside the Client ID, in one JSON object marked with
/// its kind, so a TBA item is never read as one of these.
#[derive(Default)]
pub struct M2mSecrets {
    private_key: Option<SecretString>,
    client_id: Option<SecretString>,
}

/// What a kept M2M connection shows of its secrets: safe to store in files and show on screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct M2mFingerprints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

impl fmt::Debug for M2mSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("M2mSecrets")
            .field("private_key", &self.private_key.as_ref().map(|_| "[redacted]"))
            .field("client_id", &self.client_id.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

const M2M_KIND: &str = "oauth2_client_credentials";

impl M2mSecrets {
    /// Keeps `key` (as PKCS#8 DER in base64).
    pub fn set_private_key(&mut self, key: &PrivateKey) -> Result<(), KeyError> {
        use base64::Engine as _;
        let der = key.to_pkcs8_der()?;
        let text = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&*der));
        self.private_key = Some(SecretString::from(text.as_str()));
        Ok(())
    }

    pub fn set_client_id(&mut self, client_id: SecretString) {
        self.client_id = Some(client_id);
    }

    /// The key, read back into its type; `None` when none is kept.
    pub fn private_key(&self) -> Option<Result<PrivateKey, KeyError>> {
        use base64::Engine as _;
        let text = self.private_key.as_ref()?;
        Some(
            base64::engine::general_purpose::STANDARD
                .decode(text.expose_secret())
                .map(Zeroizing::new)
                .map_err(|_| KeyError::Unreadable("the kept key is not base64".into()))
                .and_then(|der| PrivateKey::from_pkcs8_der(&der)),
        )
    }

    pub fn client_id(&self) -> Option<&SecretString> {
        self.client_id.as_ref()
    }

    pub fn has_private_key(&self) -> bool {
        self.private_key.is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.private_key.is_none() && self.client_id.is_none()
    }

    pub fn is_complete(&self) -> bool {
        self.private_key.is_some() && self.client_id.is_some()
    }

    /// `other`'s values replace ours where present (a new key staged over the active Client ID).
    pub fn overlay(&self, other: &M2mSecrets) -> M2mSecrets {
        M2mSecrets {
            private_key: other.private_key.clone().or_else(|| self.private_key.clone()),
            client_id: other.client_id.clone().or_else(|| self.client_id.clone()),
        }
    }

    pub fn same_values(&self, other: &M2mSecrets) -> bool {
        let v = |s: &Option<SecretString>| s.as_ref().map(|v| v.expose_secret().to_owned()).map(Zeroizing::new);
        v(&self.private_key) == v(&other.private_key) && v(&self.client_id) == v(&other.client_id)
    }

    pub fn fingerprints(&self) -> M2mFingerprints {
        M2mFingerprints {
            private_key: self.private_key.as_ref().map(fingerprint),
            client_id: self.client_id.as_ref().map(fingerprint),
        }
    }

    /// The keyring item's content, written into a zeroizing buffer.
    pub fn to_json(&self) -> Zeroizing<String> {
        let mut map = std::collections::BTreeMap::new();
        map.insert("kind", M2M_KIND);
        if let Some(k) = &self.private_key {
            map.insert("private_key_pkcs8", k.expose_secret());
        }
        if let Some(c) = &self.client_id {
            map.insert("client_id", c.expose_secret());
        }
        let mut buf = Zeroizing::new(Vec::with_capacity(4096));
        serde_json::to_writer(&mut *buf, &map).expect("a map of strings serializes");
        Zeroizing::new(String::from_utf8(std::mem::take(&mut *buf)).expect("serde_json writes UTF-8"))
    }

    /// Reads an item written by `to_json`; `None` for anything else (a TBA item included).
    pub fn from_json(text: &str) -> Option<M2mSecrets> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Stored {
            kind: String,
            private_key_pkcs8: Option<SecretString>,
            client_id: Option<SecretString>,
        }
        let s: Stored = serde_json::from_str(text).ok()?;
        (s.kind == M2M_KIND).then_some(M2mSecrets {
            private_key: s.private_key_pkcs8,
            client_id: s.client_id,
        })
    }
}

#[cfg(test)]
mod m2m_tests {
    use super::*;
    use crate::netsuite::oauth2::KeyKind;

    #[test]
    fn m2m_secrets_round_trip_and_never_pass_for_a_tba_set() {
        let key = PrivateKey::generate(KeyKind::P384).unwrap();
        let mut s = M2mSecrets::default();
        s.set_private_key(&key).unwrap();
        assert!(!s.is_complete());
        s.set_client_id(SecretString::from("client-1"));
        let json = s.to_json();
        let back = M2mSecrets::from_json(&json).unwrap();
        assert!(back.same_values(&s) && back.is_complete());
        assert_eq!(
            back.private_key().unwrap().unwrap().public_key_der(),
            key.public_key_der()
        );
        assert_eq!(back.fingerprints(), s.fingerprints());
        assert!(
            SecretSet::from_json(&json).is_none(),
            "an M2M item is not an (empty) TBA set"
        );
        let tba = SecretSet::from_credentials(&Credentials::new("a", "b", "c", "d")).to_json();
        assert!(M2mSecrets::from_json(&tba).is_none());
        let shown = format!("{s:?}");
        assert!(!shown.contains("client-1") && shown.contains("[redacted]"), "{shown}");
        let mut staged = M2mSecrets::default();
        staged
            .set_private_key(&PrivateKey::generate(KeyKind::P256).unwrap())
            .unwrap();
        let merged = s.overlay(&staged);
        assert_eq!(merged.client_id().unwrap().expose_secret(), "client-1");
        assert_eq!(merged.private_key().unwrap().unwrap().kind(), KeyKind::P256);
    }
}
