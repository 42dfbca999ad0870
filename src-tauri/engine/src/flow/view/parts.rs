//! What a screen collects, as the window shows it: captured values, the key, the Certificate ID, the
//! account and the hand-off, and `PartKind`, by which an action is tied to the screen that shows it.

use super::*;

// Captured values are the keyring's: the field lives with the values it names.
pub use crate::keep::secrets::CaptureField;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaptureView {
    pub field: CaptureField,
    pub label: &'static str,
    pub fingerprint: Option<String>,
    /// Why the saved value does not look like NetSuite's, until it is pasted again or kept as it is.
    pub doubt: Option<String>,
}

/// What a screen collects, by kind. A window action on a part is refused unless the screen on display
/// carries that part (`ScreenView::carries`): nothing is typed, ticked, pasted, made or saved from a
/// screen that does not show it, whatever the page sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// The account ID or NetSuite address.
    Account,
    /// A checklist item ticked, or a selectable permission picked.
    Checklist,
    /// The name of the token the user creates.
    TokenName,
    /// A value pasted into the keyring: a TBA value, or an OAuth 2.0 Client ID.
    Capture(CaptureField),
    /// The key and certificate: made or imported, saved to a file, shown in its folder.
    Key,
    /// The mapping's Certificate ID.
    CertificateId,
}

impl PartKind {
    /// Why an action on this part is refused on a screen that does not carry it.
    pub(crate) fn elsewhere(self) -> String {
        match self {
            PartKind::Account => "The account is entered on its own step: go back to it to change it.".to_string(),
            PartKind::Checklist => "That item is on another step's checklist: go to that step first.".to_string(),
            PartKind::TokenName => {
                "The token's name is asked on the step that makes the token: go to it first.".to_string()
            }
            PartKind::Capture(field) => format!(
                "The {} is not asked for on this screen: go to the step that shows it.",
                field.label()
            ),
            PartKind::Key => "The key is made on its own step: go to it first.".to_string(),
            PartKind::CertificateId => "The Certificate ID is saved on the mapping's step: go to it first.".to_string(),
        }
    }
}

/// A part of a screen as the window draws it, in the order it draws them: the window has one component
/// per part and renders the list it is given, so which parts a screen carries is decided here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ScreenPart {
    /// The account ID or NetSuite address.
    Account,
    /// The values to hand over, inside a connector's step (Celigo's C-E).
    Handoff,
    /// The old token or mapping to revoke, and the check that NetSuite refuses it.
    Revoke,
    /// What to tick, with NetSuite's labels.
    Checklist,
    /// The name of the token the user creates (NetSuite's list shows it; a later rotation finds it by it).
    TokenName,
    /// Values pasted into the keyring.
    Captures,
    /// The key and certificate.
    Key,
    /// The mapping's Certificate ID.
    CertificateId,
}

/// An algorithm the key step offers: NetSuite's name for it and the key it needs.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AlgorithmChoice {
    /// `ES256`…`PS512`, as the command line's `--algorithm` takes it.
    pub name: &'static str,
    /// "EC P-256", "RSA 3072 bits"…
    pub key: &'static str,
    pub default: bool,
}

impl AlgorithmChoice {
    /// Every algorithm the key step offers, `chosen` marked as the default.
    pub(crate) fn all(chosen: crate::netsuite::oauth2::Algorithm) -> Vec<AlgorithmChoice> {
        crate::netsuite::oauth2::Algorithm::ALL
            .into_iter()
            .map(|a| AlgorithmChoice {
                name: a.name(),
                key: a.default_kind().label(),
                default: a == chosen,
            })
            .collect()
    }
}

/// The OAuth 2.0 key step: the choices, and once made, the certificate and where its file was saved.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct KeyView {
    pub algorithms: Vec<AlgorithmChoice>,
    pub certificate: Option<crate::flow::cards::CertificateCard>,
    /// The fingerprint of the private key in the keyring (never the key).
    pub key_fingerprint: Option<String>,
    /// Where the certificate file was saved, to upload in the mapping step.
    pub file: Option<String>,
}

/// The mapping step: the Certificate ID entered so far, and which certificate it is for.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CertificateIdView {
    pub value: Option<String>,
    pub certificate: Option<crate::flow::cards::CertificateCard>,
    pub file: Option<String>,
    /// A replacement can upload through NetSuite's certificate endpoint with the key in use.
    pub upload_by_api: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AccountView {
    pub id: String,
    pub environment: &'static str,
    pub environment_label: String,
    pub production: bool,
    pub ui_host: String,
    pub datacenter: Option<DatacenterCheck>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HandOffFieldView {
    pub label: String,
    pub text: Option<String>,
    pub secret: Option<Field>,
    /// An OAuth 2.0 value kept in the keyring (Client ID, private key): copied or exported by Rust.
    pub m2m: Option<crate::profiles::M2mValue>,
    pub fingerprint: Option<String>,
    pub note: Option<String>,
    /// After a replacement: whether the connector must take this value anew or keeps the one it has.
    pub change: Option<HandOffChange>,
}

/// A hand-off row after a replacement: the value is new, or the one the connector already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum HandOffChange {
    New,
    Unchanged,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HandOffView {
    pub title: String,
    pub intro: String,
    pub fields: Vec<HandOffFieldView>,
    pub connector_page: Option<PageLink>,
}
