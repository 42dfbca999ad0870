//! What a certificate renewal (`flow/renew`) keeps between its steps, so that a run killed at any moment
//! is finished by the next: before the switch, the key in use goes to the keyring's retired slot and its
//! certificate to the record's `replaced`; after the old mapping is revoked and the old key shown
//! refused, both are forgotten.

use super::*;

impl<S: SecretStore> Connections<S> {
    /// Keeps the key and certificate in use as the ones a renewal replaces, before its switch. Once: a
    /// second call (a run after a crash) keeps what the first kept.
    pub fn m2m_keep_replaced(&self, name: &str) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        let connection = self.sync(name)?;
        let record = m2m_record(&connection)?;
        if record.replaced.is_some() {
            return Ok(connection);
        }
        if record.retired_tba.is_some() {
            return Err(bad(format!(
                "The keyring still keeps the old TBA token of \"{}\": revoke it in NetSuite and forget its copy \
                 (`tba-wizard-cli connections discard {}`) first.",
                connection.label,
                crate::shell_word(&connection.label)
            )));
        }
        self.vault.retire_active::<M2mSecrets>(&connection.id)?;
        self.set_record(&connection.id, |c| {
            if let Some(m) = c.m2m_mut() {
                m.replaced = Some(m.certificate.clone());
            }
        })
    }

    /// What signs with the replaced key and certificate (the Client ID is the connection's), to show
    /// NetSuite refuses them; `None` where no renewal left one.
    pub fn m2m_replaced_credentials(&self, connection: &Connection) -> Result<Option<M2mCredentials>, ConnectionError> {
        let record = m2m_record(connection)?;
        let Some(old) = &record.replaced else {
            return Ok(None);
        };
        let Some(certificate_id) = old.certificate_id.clone() else {
            return Ok(None);
        };
        let key = match self
            .vault
            .read::<M2mSecrets>(&connection.id, Slot::Retired)?
            .private_key()
        {
            None => return Ok(None),
            Some(Err(_)) => return Err(VaultError::Damaged.into()),
            Some(Ok(key)) => key,
        };
        let client_id = self.m2m_client_id(connection, Slot::Active)?;
        let certificate = Certificate::from_pem(&old.pem)
            .map_err(|e| bad(format!("The replaced certificate of \"{}\": {e}", connection.label)))?;
        Ok(Some(M2mCredentials {
            key,
            certificate,
            client_id,
            certificate_id,
            algorithm: old.algorithm,
            scopes: record.scopes.clone(),
            scope_form: ScopeForm::JsonArray,
        }))
    }

    /// Forgets the replaced key and certificate, once their mapping is revoked (or the user gives up on it).
    pub fn m2m_forget_replaced(&self, name: &str) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        let connection = self.get(name)?;
        self.vault.forget_retired(&connection.id)?;
        self.set_record(&connection.id, |c| {
            if let Some(m) = c.m2m_mut() {
                m.replaced = None;
            }
        })
    }
}

/// The replaced certificate's Certificate ID, while a renewal has one left to revoke.
pub fn replaced_certificate_id(c: &Connection) -> Option<&str> {
    c.m2m()?.replaced.as_ref()?.certificate_id.as_deref()
}

/// Days left on the certificate in use (as the certificate itself says), and whether a new key is staged
/// (with its Certificate ID, if given).
pub fn renewal_state(c: &Connection, now: std::time::SystemTime) -> Option<(i64, Option<Option<String>>)> {
    let m = c.m2m()?;
    let days = Certificate::from_pem(&m.certificate.pem).ok()?.days_left(now);
    Some((days, m.pending.as_ref().map(|p| p.certificate_id.clone())))
}

/// The staged certificate's PEM, for its upload.
pub fn staged_pem(c: &Connection) -> Option<&str> {
    c.m2m()?.pending.as_ref().map(|p| p.pem.as_str())
}

/// The algorithm in use and whether the connection still keeps an old TBA token's copy.
pub fn algorithm_and_retired_tba(c: &Connection) -> Option<(Algorithm, bool)> {
    let m = c.m2m()?;
    Some((m.certificate.algorithm, m.retired_tba.is_some()))
}
