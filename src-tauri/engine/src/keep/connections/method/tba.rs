//! Token-based authentication: consumer and token pairs in the keyring, their fingerprints in the
//! record.

use super::{Describe, Method};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{self, CaptureField, Field, Fingerprints, SecretSet};
use crate::keep::store::{Connection, Profile};
use crate::keep::vault::{SecretStore, Slot, VaultError};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::RefreshClears;
use crate::netsuite::signer::Signer;
use crate::profiles::ConnectorProfile;
use secrecy::{ExposeSecret, SecretString};

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
        if connection.moving().is_some() {
            // The pending slot holds the OAuth 2.0 key the connection moves to, not TBA values.
            return conns.migrate_sync(connection);
        }
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
        if connection.moving().is_some() {
            return conns.migrate_switch(connection);
        }
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
        if slot == Slot::Pending && c.moving().is_some() {
            return Ok(Signer::M2m(Box::new(conns.m2m_credentials(c, slot)?)));
        }
        if slot == Slot::Pending && c.pending_fingerprints().is_empty() {
            // The staged set signs over the active one: with nothing staged it would test the values in use.
            return Err(ConnectionError::bad(format!(
                "Nothing is staged for \"{}\": stage new values first.",
                c.label
            )));
        }
        Ok(Signer::Tba(Box::new(conns.vault.credentials_in(&c.id, slot)?)))
    }

    fn capture(
        &self,
        conns: &Connections<S>,
        saved: &[Connection],
        connection: &Connection,
        slot: Slot,
        field: CaptureField,
        raw: &str,
    ) -> Result<(Connection, String, Vec<String>), ConnectionError> {
        let Some(field) = field.tba() else {
            return Err(ConnectionError::bad("This connection uses TBA: it has no Client ID."));
        };
        let value = secrets::clean(raw);
        let current = conns.vault.read::<SecretSet>(&connection.id, slot)?;
        let mut others = SecretSet::default();
        for f in current.present().into_iter().filter(|f| *f != field) {
            others.set(f, current.get(f).expect("present").clone());
        }
        if slot == Slot::Pending {
            // A staged value may not repeat the active one it replaces either.
            let active = conns.vault.read::<SecretSet>(&connection.id, Slot::Active)?;
            if active.get(field).is_some_and(|v| v.expose_secret() == value.as_str()) {
                return Err(ConnectionError::bad(format!(
                    "This {} is the one already in use; paste the new one NetSuite just showed.",
                    field.label()
                )));
            }
        }
        let warnings = secrets::check(field, &value, &others).map_err(|e| ConnectionError::bad(e.to_string()))?;
        let elsewhere: Vec<Connection> = saved.iter().filter(|c| c.id != connection.id).cloned().collect();
        super::super::crossed_with_saved(field, &value, &elsewhere)?;
        let fingerprints = conns
            .vault
            .store_value(&connection.id, slot, field, SecretString::from(value.as_str()))?;
        let fingerprint = fingerprints.get(field).unwrap_or_default().to_string();
        let connection = conns.set_record(&connection.id, |c| c.keep_tba_fingerprints(slot, fingerprints))?;
        Ok((connection, fingerprint, warnings))
    }

    fn takes_tba_values(&self) -> bool {
        true
    }

    fn forget_staged(&self, c: &mut Connection) {
        if let Some(t) = c.tba_mut() {
            t.pending_fingerprints = Default::default();
            t.moving = None;
        }
    }

    fn passed(&self, _: &mut Connection, _: &str) {}
}

impl Describe for Tba {
    fn missing(&self, c: &Connection) -> Vec<&'static str> {
        let needed = ConnectorProfile::get(c.profile.code()).map_or_else(|| Field::ALL.to_vec(), |p| p.secrets());
        needed
            .iter()
            .filter(|f| c.fingerprints().get(**f).is_none())
            .map(|f| f.label())
            .collect()
    }

    fn refresh_clears(&self) -> RefreshClears {
        RefreshClears::AccessTokens
    }

    fn report_lines(&self, c: &Connection) -> Vec<String> {
        let mut lines = vec![
            format!("Token name: {}", c.token_name().unwrap_or("-")),
            format!("Fingerprints: {}", report_line(c.fingerprints(), c.profile)),
        ];
        if !c.pending_fingerprints().is_empty() {
            lines.push(format!(
                "Staged for rotation: {}",
                report_line(c.pending_fingerprints(), c.profile)
            ));
        }
        lines
    }
}

/// The values a connection of `profile` holds (and any other present), by fingerprint.
fn report_line(prints: &Fingerprints, profile: Profile) -> String {
    let held = ConnectorProfile::of(profile).secrets();
    let parts: Vec<String> = Field::ALL
        .into_iter()
        .filter(|f| held.contains(f) || prints.get(*f).is_some())
        .map(|f| format!("{} {}", f.label(), prints.get(f).unwrap_or("(not saved)")))
        .collect();
    parts.join(", ")
}
