//! The auth methods as saved connections know them, one file each behind one trait, picked in one place
//! (`of`): how a connection's record follows its keyring items, how staged values become the ones in
//! use, what signs a test of it, and what its record says about a passing test or a missing value.
//! The rest of the code asks a connection's method; it does not ask which method that is.

use super::{ConnectionError, Connections};
use crate::keep::secrets::Fingerprints;
use crate::keep::store::Connection;
use crate::keep::vault::SecretStore;
use crate::netsuite::signer::Signer;
use crate::profiles::AuthKind;

mod m2m;
mod tba;

pub trait Method<S: SecretStore>: Sync {
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
    /// What signs a test of the values in use, read from the keyring.
    fn signer(&self, conns: &Connections<S>, c: &Connection) -> Result<Signer, ConnectionError>;
    /// Whether the connection keeps TBA's four values (added, captured and staged one by one).
    fn takes_tba_values(&self) -> bool;
    /// The record's side of throwing staged values away.
    fn forget_staged(&self, c: &mut Connection);
    /// What a passing test leaves in the record besides its time: what the connection signed with, so a
    /// later refusal can name what changed since.
    fn passed(&self, c: &mut Connection, at: &str);
    /// The values the keyring lacks, by label, for the home card.
    fn missing(&self, c: &Connection) -> Vec<&'static str>;
}

/// The one place that turns a connection's auth method into its behaviour.
pub fn of<S: SecretStore>(auth: AuthKind) -> &'static dyn Method<S> {
    match auth {
        AuthKind::Tba => &tba::Tba,
        AuthKind::M2m => &m2m::M2m,
    }
}
