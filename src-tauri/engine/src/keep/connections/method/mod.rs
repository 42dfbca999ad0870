//! The auth methods as saved connections know them, one file each behind one trait, picked in one place
//! (`of`): how a connection's record follows its keyring items, how staged values become the ones in
//! use, what signs a test of it, and what its record says about a passing test or a missing value.
//! The rest of the code asks a connection's method; it does not ask which method that is.

use super::{ConnectionError, Connections};
use crate::keep::secrets::{CaptureField, Field, Fingerprints};
use crate::keep::store::{Connection, Profile};
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::RefreshClears;
use crate::netsuite::signer::Signer;
use crate::profiles::{AuthKind, Collect, ConnectorProfile, HandOffValue, REST_ESSENTIALS, REST_ESSENTIALS_M2M};

mod m2m;
mod tba;

/// What a method's record says, on screen and in the diagnostics report: read from the record alone, so
/// it needs no keyring (`describe`).
pub trait Describe: Sync {
    /// The values the keyring lacks, by label, for the home card.
    fn missing(&self, c: &Connection) -> Vec<&'static str>;
    /// The diagnostics report's lines about the connection's values: fingerprints and certificates,
    /// never a value.
    fn report_lines(&self, c: &Connection) -> Vec<String>;
    /// What a sandbox refresh deletes of such a connection, for the refusal that follows one.
    fn refresh_clears(&self) -> RefreshClears;
}

pub trait Method<S: SecretStore>: Describe {
    /// Saves a new connection with nothing in the keyring yet, for the window's setup to fill in step by
    /// step.
    fn begin(
        &self,
        conns: &Connections<S>,
        label: &str,
        account: &Account,
        profile: Profile,
    ) -> Result<Connection, ConnectionError>;
    /// Brings the record in line with the keyring, finishing a promotion a crash cut short. Called
    /// under the store's lock.
    fn sync(&self, conns: &Connections<S>, c: Connection) -> Result<Connection, ConnectionError>;
    /// Makes the staged values the ones in use (only those whose fingerprints passed, if `tested`).
    /// Called under the store's lock, on a synced record.
    fn promote(
        &self,
        conns: &Connections<S>,
        c: Connection,
        tested: Option<&Fingerprints>,
    ) -> Result<Connection, ConnectionError>;
    /// What signs a test of the values in `slot` (the staged ones beside those they replace), read from
    /// the keyring.
    fn signer(&self, conns: &Connections<S>, c: &Connection, slot: Slot) -> Result<Signer, ConnectionError>;
    /// Keeps one value pasted on a capture screen in `slot`, checked as the method checks it (against
    /// the connection's other values and, from `saved`, the other connections'). Returns the connection,
    /// the value's fingerprint and the capture's warnings.
    #[allow(clippy::too_many_arguments)]
    fn capture(
        &self,
        conns: &Connections<S>,
        saved: &[Connection],
        connection: &Connection,
        slot: Slot,
        field: CaptureField,
        raw: &str,
    ) -> Result<(Connection, String, Vec<String>), ConnectionError>;
    /// Whether the connection keeps TBA's four values (added, captured and staged one by one).
    fn takes_tba_values(&self) -> bool;
    /// The record's side of throwing staged values away.
    fn forget_staged(&self, c: &mut Connection);
    /// What a passing test leaves in the record besides its time: what the connection signed with, so a
    /// later refusal can name what changed since.
    fn passed(&self, c: &mut Connection, at: &str);
}

/// The one place that turns a connection's auth method into its behaviour.
pub fn of<S: SecretStore>(auth: AuthKind) -> &'static dyn Method<S> {
    match auth {
        AuthKind::Tba => &tba::Tba,
        AuthKind::M2m => &m2m::M2m,
    }
}

/// Refuses an action on TBA's values (adding, pasting, staging them, naming the token) for a connection
/// whose method keeps none, with `refusal`'s message.
pub(crate) fn require_tba_values<S: SecretStore>(
    auth: AuthKind,
    refusal: impl FnOnce() -> String,
) -> Result<(), ConnectionError> {
    if of::<S>(auth).takes_tba_values() {
        Ok(())
    } else {
        Err(ConnectionError::bad(refusal()))
    }
}

/// `of` for what needs no keyring: what a connection's record says.
pub fn describe(auth: AuthKind) -> &'static dyn Describe {
    match auth {
        AuthKind::Tba => &tba::Tba,
        AuthKind::M2m => &m2m::M2m,
    }
}

/// An auth method's names and what its profiles collect: here, beside `of`, so that a method's names
/// and its behaviour are listed in one file.
impl AuthKind {
    /// TBA: a record leaves its `auth` out then, as records did before OAuth 2.0.
    pub fn is_tba(&self) -> bool {
        *self == AuthKind::Tba
    }

    /// As in the profile files and `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            AuthKind::Tba => "tba",
            AuthKind::M2m => "m2m",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            AuthKind::Tba => "Token-Based Authentication (TBA)",
            AuthKind::M2m => "OAuth 2.0 client credentials (M2M)",
        }
    }

    /// The method's short name in a profile check's message.
    pub(crate) fn short_name(&self) -> &'static str {
        match self {
            AuthKind::Tba => "TBA",
            AuthKind::M2m => "OAuth 2.0",
        }
    }

    /// What a profile of this method collects exactly once: TBA's values (all four where the wizard
    /// signs, the token pair where the connector does), and OAuth 2.0's own.
    pub(crate) fn collects(&self, signed_test: bool) -> (&'static [Field], &'static [Collect]) {
        match self {
            AuthKind::Tba if signed_test => (&Field::ALL, &[]),
            AuthKind::Tba => (&[Field::TokenId, Field::TokenSecret], &[]),
            AuthKind::M2m => (&[], &Collect::M2M),
        }
    }

    /// How a profile check names a profile of this method ("a profile that signs").
    pub(crate) fn profile_phrase(&self, signed_test: bool) -> &'static str {
        match self {
            AuthKind::Tba if signed_test => "signs",
            AuthKind::Tba => "does not sign",
            AuthKind::M2m => "uses OAuth 2.0",
        }
    }

    /// Whether a connector may run the signed test itself (Celigo's runs TBA's). An OAuth 2.0 profile
    /// makes its own key, so its test is always the wizard's.
    pub(crate) fn may_skip_signed_test(&self) -> bool {
        *self == AuthKind::Tba
    }

    /// The permissions a role needs for the signed test of this method.
    pub(crate) fn rest_essentials(&self) -> [(&'static str, &'static str); 3] {
        match self {
            AuthKind::Tba => REST_ESSENTIALS,
            AuthKind::M2m => REST_ESSENTIALS_M2M,
        }
    }

    /// Whether a hand-off of this method can give `value` (TBA has no token URL, Client ID, key…).
    pub(crate) fn hands_off(&self, value: &HandOffValue) -> bool {
        let oauth2 = matches!(
            value,
            HandOffValue::TokenUrl
                | HandOffValue::ClientId
                | HandOffValue::CertificateId
                | HandOffValue::Algorithm
                | HandOffValue::Scope
                | HandOffValue::PrivateKey
        );
        *self == AuthKind::M2m || !oauth2
    }

    /// What a connection of `profile` keeps in the keyring, by the names the command line uses.
    pub(crate) fn held(&self, profile: &ConnectorProfile) -> Vec<&'static str> {
        match self {
            AuthKind::Tba => profile.secrets().iter().map(|f| f.code()).collect(),
            AuthKind::M2m => vec!["private_key", "client_id"],
        }
    }
}
