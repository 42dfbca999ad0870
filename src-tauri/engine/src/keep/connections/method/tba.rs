//! Token-based authentication: consumer and token pairs in the keyring, their fingerprints in the
//! record.

use super::Method;
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{Field, Fingerprints, SecretSet};
use crate::keep::store::{Connection, Profile};
use crate::keep::vault::{SecretStore, Slot, VaultError};
use crate::netsuite::account::Account;
use crate::netsuite::signer::Signer;
use crate::profiles::ConnectorProfile;

pub(super) struct Tba;

impl<S: SecretStore> Method<S> for Tba {
    fn begin(
        &self,
        conns: &Connections<S>,
        label: &str,
        account: &Account,
        profile: Profile,
    ) -> Result<Connection, ConnectionError> {
        Ok(conns.add(label, account, profile, None, &SecretSet::default())?.0)
    }

    fn sync(&self, conns: &Connections<S>, connection: Connection) -> Result<Connection, ConnectionError> {
        conns.vault.recover::<SecretSet>(&connection.id)?;
        let active = conns
            .vault
            .read::<SecretSet>(&connection.id, Slot::Active)?
            .fingerprints();
        let pending = conns
            .vault
            .read::<SecretSet>(&connection.id, Slot::Pending)?
            .fingerprints();
        if active == *connection.fingerprints() && pending == *connection.pending_fingerprints() {
            return Ok(connection);
        }
        conns.set_record(&connection.id, |c| {
            if let Some(t) = c.tba_mut() {
                t.fingerprints = active;
                t.pending_fingerprints = pending;
            }
        })
    }

    fn promote(
        &self,
        conns: &Connections<S>,
        connection: Connection,
        tested: Option<&Fingerprints>,
    ) -> Result<Connection, ConnectionError> {
        let required = ConnectorProfile::of(connection.profile).secrets();
        let promoted = conns
            .vault
            .promote_tested::<SecretSet>(&connection.id, &required, tested);
        let fingerprints = promoted.map_err(|e| match e {
            VaultError::Missing => ConnectionError::bad(format!("Nothing is staged for \"{}\".", connection.label)),
            VaultError::Incomplete(_) => ConnectionError::bad(e.to_string()),
            other => other.into(),
        })?;
        conns.set_record(&connection.id, |c| {
            if let Some(t) = c.tba_mut() {
                t.fingerprints = fingerprints;
                t.pending_fingerprints = Default::default();
            }
        })
    }

    fn signer(&self, conns: &Connections<S>, c: &Connection, slot: Slot) -> Result<Signer, ConnectionError> {
        Ok(Signer::Tba(Box::new(conns.vault.credentials_in(&c.id, slot)?)))
    }

    fn takes_tba_values(&self) -> bool {
        true
    }

    fn forget_staged(&self, c: &mut Connection) {
        if let Some(t) = c.tba_mut() {
            t.pending_fingerprints = Default::default();
        }
    }

    fn passed(&self, _: &mut Connection, _: &str) {}

    fn missing(&self, c: &Connection) -> Vec<&'static str> {
        let needed = ConnectorProfile::get(c.profile.code()).map_or_else(|| Field::ALL.to_vec(), |p| p.secrets());
        needed
            .iter()
            .filter(|f| c.fingerprints().get(**f).is_none())
            .map(|f| f.label())
            .collect()
    }
}
