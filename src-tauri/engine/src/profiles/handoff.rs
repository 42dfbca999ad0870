//! The hand-off: what to enter on the connector's side, and where each value comes from.

use super::*;

/// What to enter on the connector's side, in the form the connector expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandOff {
    pub title: String,
    pub intro: String,
    /// The connector-side step where these values are entered (Celigo's `C-E`), or `None` when the
    /// hand-off is a screen of its own after the signed test.
    #[serde(default)]
    pub step: Option<String>,
    pub fields: Vec<HandOffField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandOffField {
    /// The connector's own name for the field.
    pub label: String,
    pub value: HandOffValue,
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a hand-off value comes from. Secrets are never resolved to text here: the UI shows a copy
/// button, and Rust takes the value from the keyring when it is pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case", deny_unknown_fields)]
pub enum HandOffValue {
    /// The canonical account ID (upper case, underscore), which is also the realm.
    AccountId,
    /// `https://<label>.suitetalk.api.netsuite.com/services/rest`.
    RestBaseUrl,
    /// The account's environment in the connector's words, keyed by [`crate::Environment::code`];
    /// an environment missing from `names` is shown in NetSuite's words.
    Environment {
        names: BTreeMap<String, String>,
    },
    Secret {
        field: Field,
    },
    /// OAuth 2.0: `https://<label>.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token`.
    TokenUrl,
    /// OAuth 2.0: the integration record's Client ID, copied from the keyring like a secret.
    ClientId,
    /// OAuth 2.0: the mapping's Certificate ID (public).
    CertificateId,
    /// OAuth 2.0: the assertion's `alg`, fixed by the key's kind (public).
    Algorithm,
    /// OAuth 2.0: the assertion's `scope` claim, as the test sends it (public).
    Scope,
    /// OAuth 2.0: the private key, exported to a user-only file or copied, after a confirmation.
    PrivateKey,
    /// A value to type or select as is, e.g. Authentication Type "Token".
    Fixed {
        text: String,
    },
}

/// A hand-off value made concrete for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Text(String),
    /// Copied from the keyring on request; never rendered.
    Secret(Field),
    /// An OAuth 2.0 connection's own value, known only with the connection (Certificate ID) or kept in
    /// the keyring (Client ID, private key).
    M2m(M2mValue),
}

/// The values of an OAuth 2.0 connection a hand-off gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum M2mValue {
    ClientId,
    CertificateId,
    Algorithm,
    Scope,
    PrivateKey,
}

impl HandOffField {
    pub fn resolve(&self, account: &Account) -> Resolved {
        match &self.value {
            HandOffValue::AccountId => Resolved::Text(account.id().to_owned()),
            HandOffValue::RestBaseUrl => Resolved::Text(format!("https://{}/services/rest", account.rest_host())),
            HandOffValue::Environment { names } => {
                let env = account.environment();
                Resolved::Text(names.get(env.code()).cloned().unwrap_or_else(|| env.to_string()))
            }
            HandOffValue::Secret { field } => Resolved::Secret(*field),
            HandOffValue::TokenUrl => Resolved::Text(crate::netsuite::oauth2::token_url(account)),
            HandOffValue::ClientId => Resolved::M2m(M2mValue::ClientId),
            HandOffValue::CertificateId => Resolved::M2m(M2mValue::CertificateId),
            HandOffValue::Algorithm => Resolved::M2m(M2mValue::Algorithm),
            HandOffValue::Scope => Resolved::M2m(M2mValue::Scope),
            HandOffValue::PrivateKey => Resolved::M2m(M2mValue::PrivateKey),
            HandOffValue::Fixed { text } => Resolved::Text(text.clone()),
        }
    }
}
