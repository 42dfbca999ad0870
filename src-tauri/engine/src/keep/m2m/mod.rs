//! Saved OAuth 2.0 client credentials (M2M) connections: the record's `m2m` part (scopes, certificates,
//! Certificate IDs) and the vault's M2M items (private key and Client ID), kept in step with the same
//! active and pending slots, crash safety and lock as TBA's.

use crate::keep::connections::{check_label, ConnectionError, Connections};
use crate::keep::secrets::{self, M2mSecrets};
use crate::keep::store::{AuthRecord, Connection, M2mCertificate, M2mRecord, Profile};
use crate::keep::vault::{SecretStore, Slot, VaultError};
use crate::netsuite::oauth2::{ids, Algorithm, Certificate, M2mCredentials, PrivateKey, Scope, ScopeForm};
use crate::profiles::AuthKind;
use crate::Account;
use secrecy::{ExposeSecret, SecretString};

fn bad(message: impl Into<String>) -> ConnectionError {
    ConnectionError::BadInput(message.into())
}

mod checks;
pub mod migrate;
pub mod renew;
use checks::check_certificate_id;
use checks::{check_client_id, check_pair};
pub use checks::{check_m2m_profile, m2m_record};

impl<S: SecretStore> Connections<S> {
    /// Saves a new OAuth 2.0 connection with nothing in the keyring yet: the window's setup fills it in
    /// step by step (Client ID, then key and certificate, then the Certificate ID).
    pub fn m2m_begin(&self, label: &str, account: &Account, profile: Profile) -> Result<Connection, ConnectionError> {
        let label = check_label(label)?;
        check_m2m_profile(profile)?;
        let _lock = self.store.lock()?;
        self.check_name_free(label)?;
        let mut connection = Connection::new(label, account, profile);
        connection.auth = AuthRecord::M2m(None);
        let saved = connection.clone();
        self.store.update(|list| list.push(saved))?;
        Ok(connection)
    }

    /// Keeps a pasted Client ID in the connection's active slot, before or after its key exists. Returns
    /// the connection, the Client ID's fingerprint and the capture's warnings.
    pub fn m2m_capture_client_id(
        &self,
        id: &str,
        raw: &str,
    ) -> Result<(Connection, String, Vec<String>), ConnectionError> {
        let clean = secrets::clean(raw);
        let warnings = check_client_id(&clean)?;
        let _lock = self.store.lock()?;
        let connection = self.get(id)?;
        if connection.kind() != AuthKind::M2m {
            return Err(bad("This connection uses TBA: it has no Client ID."));
        }
        let same_as_certificate_id = connection
            .m2m()
            .and_then(|m| m.certificate.certificate_id.as_deref())
            .is_some_and(|c| c == clean.as_str());
        if same_as_certificate_id {
            return Err(bad(
                "That is the Certificate ID. The Client ID comes from the integration record, shown once after Save.",
            ));
        }
        let mut values = M2mSecrets::default();
        values.set_client_id(SecretString::from(clean.as_str()));
        let fingerprints = self.vault.store::<M2mSecrets>(&connection.id, Slot::Active, &values)?;
        let fingerprint = fingerprints.client_id.clone().unwrap_or_default();
        let connection = self.set_record(&connection.id, |c| {
            if let Some(m) = c.m2m_mut() {
                m.fingerprints = fingerprints;
            }
        })?;
        Ok((connection, fingerprint, warnings))
    }

    /// Gives a connection being set up its key (active slot, beside a Client ID already kept) and its
    /// certificate. A key made earlier is replaced, and its Certificate ID goes with it: a new certificate
    /// needs a new mapping.
    pub fn m2m_attach(
        &self,
        id: &str,
        key: &PrivateKey,
        certificate: &Certificate,
        algorithm: Algorithm,
        scopes: &[Scope],
    ) -> Result<Connection, ConnectionError> {
        check_pair(key, certificate, algorithm)?;
        let _lock = self.store.lock()?;
        let connection = self.get(id)?;
        if connection.kind() != AuthKind::M2m {
            return Err(bad("This connection uses TBA: it signs with tokens, not a key."));
        }
        // A key that passed a test may be signing for a running integration: replacing it here would cut
        // that integration off. The replacement journey makes the new key beside it instead.
        let worked = connection.m2m().is_some_and(|m| {
            m.fingerprints.private_key.is_some()
                && m.last_worked
                    .as_ref()
                    .is_some_and(|w| w.key == m.fingerprints.private_key)
        });
        if worked {
            return Err(bad(format!(
                "The key of \"{}\" has passed a test, so an integration may be using it: a new key here would \
                 replace it and cut that integration off. Use Replace certificate on its card on the home screen \
                 (or tba-wizard-cli m2m rotate): the new key is made beside this one, which keeps working until \
                 the new one is handed over.",
                connection.label
            )));
        }
        let mut values = M2mSecrets::default();
        values.set_private_key(key).map_err(|e| bad(e.to_string()))?;
        let fingerprints = self.vault.store::<M2mSecrets>(&connection.id, Slot::Active, &values)?;
        let scopes = scopes.to_vec();
        self.set_record(&connection.id, |c| {
            let pending = c
                .m2m()
                .cloned()
                .and_then(|m| m.pending.map(|p| (p, m.pending_fingerprints)));
            let (pending, pending_fingerprints) = match pending {
                Some((p, f)) => (Some(p), f),
                None => (None, Default::default()),
            };
            c.auth = AuthRecord::M2m(Some(M2mRecord {
                scopes,
                certificate: M2mCertificate::new(algorithm, certificate),
                fingerprints,
                pending,
                pending_fingerprints,
                last_worked: None,
                retired_tba: None,
                replaced: None,
            }));
        })
    }

    /// The private key of a slot as PKCS#8 PEM, for the hand-off's export or copy; never logged.
    pub fn m2m_private_key_pem(
        &self,
        connection: &Connection,
        slot: Slot,
    ) -> Result<zeroize::Zeroizing<String>, ConnectionError> {
        if !(connection.moving().is_some() && slot == Slot::Pending) {
            m2m_record(connection)?;
        }
        match self.vault.read::<M2mSecrets>(&connection.id, slot)?.private_key() {
            None => Err(VaultError::Incomplete("the private key".into()).into()),
            Some(Err(_)) => Err(VaultError::Damaged.into()),
            Some(Ok(key)) => key.to_pkcs8_pem().map_err(|e| bad(e.to_string())),
        }
    }

    /// The Client ID of a slot (the staged one over the active one for `Slot::Pending`), for the copy button.
    pub fn m2m_client_id(&self, connection: &Connection, slot: Slot) -> Result<SecretString, ConnectionError> {
        // A connection moving to OAuth 2.0 keeps the whole new set in the pending slot, beside its tokens.
        let values = if connection.moving().is_some() && slot == Slot::Pending {
            self.vault.read::<M2mSecrets>(&connection.id, slot)?
        } else {
            self.vault.read_merged::<M2mSecrets>(&connection.id, slot)?
        };
        values
            .client_id()
            .cloned()
            .ok_or_else(|| VaultError::Incomplete("the Client ID".into()).into())
    }

    /// Saves a new M2M connection of an OAuth 2.0 `profile` with its key in the keyring's active slot and
    /// its certificate in the record. The Client ID and Certificate ID come later (`m2m_set`).
    #[allow(clippy::too_many_arguments)]
    pub fn m2m_add(
        &self,
        label: &str,
        account: &Account,
        profile: Profile,
        key: &PrivateKey,
        certificate: &Certificate,
        algorithm: Algorithm,
        scopes: &[Scope],
    ) -> Result<Connection, ConnectionError> {
        let label = check_label(label)?;
        check_m2m_profile(profile)?;
        check_pair(key, certificate, algorithm)?;
        if scopes.is_empty() {
            return Err(bad("At least one scope is needed (rest_webservices for the test)."));
        }
        let _lock = self.store.lock()?;
        self.check_name_free(label)?;
        let mut connection = Connection::new(label, account, profile);
        let mut values = M2mSecrets::default();
        values.set_private_key(key).map_err(|e| bad(e.to_string()))?;
        let fingerprints = self.vault.store::<M2mSecrets>(&connection.id, Slot::Active, &values)?;
        connection.auth = AuthRecord::M2m(Some(M2mRecord {
            scopes: scopes.to_vec(),
            certificate: M2mCertificate::new(algorithm, certificate),
            fingerprints,
            pending: None,
            pending_fingerprints: Default::default(),
            last_worked: None,
            retired_tba: None,
            replaced: None,
        }));
        let saved = connection.clone();
        if let Err(e) = self.store.update(|list| list.push(saved)) {
            let _ = self.vault.remove(&connection.id);
            return Err(e.into());
        }
        Ok(connection)
    }

    /// Records the mapping's Certificate ID (of the active certificate, or with `pending` of the one
    /// staged by a rotation) and, if given, keeps the Client ID in the same slot.
    pub fn m2m_set(
        &self,
        name: &str,
        pending: bool,
        certificate_id: &str,
        client_id: Option<&SecretString>,
    ) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        let connection = self.sync(name)?;
        if connection.moving().is_some() {
            let certificate_id = check_certificate_id(certificate_id)?;
            return self.migrate_set(&connection, pending, certificate_id, client_id);
        }
        let record = m2m_record(&connection)?.clone();
        // The Client ID, the one secret that could be pasted here by mistake, is known here by its
        // fingerprint only: refused, neither kept nor repeated.
        let pasted = crate::netsuite::oauth1::fingerprint(&SecretString::from(secrets::clean(certificate_id).as_str()));
        let client_ids = [&record.fingerprints.client_id, &record.pending_fingerprints.client_id];
        if client_ids.iter().any(|f| f.as_deref() == Some(pasted.as_str())) {
            return Err(bad(
                "That is the Client ID, which stays in the keyring. The Certificate ID is in the mapping's row on the \
                 OAuth 2.0 Client Credentials (M2M) Setup page.",
            ));
        }
        let certificate_id = check_certificate_id(certificate_id)?;
        if pending {
            if record.pending.is_none() {
                return Err(bad(format!(
                    "Nothing is staged for \"{}\": `tba-wizard-cli m2m rotate` makes a new key and certificate first.",
                    connection.label
                )));
            }
            if record.certificate.certificate_id.as_deref() == Some(certificate_id.as_str()) {
                return Err(bad(
                    "That is the Certificate ID of the certificate in use; the new certificate's mapping has its own.",
                ));
            }
        }
        let slot = if pending { Slot::Pending } else { Slot::Active };
        let fingerprints = self.keep_given_client_id(&connection.id, slot, client_id, &certificate_id)?;
        self.set_record(&connection.id, |c| {
            if let Some(m) = c.m2m_mut() {
                let certificate = if pending {
                    m.pending.as_mut()
                } else {
                    Some(&mut m.certificate)
                };
                if let Some(certificate) = certificate {
                    certificate.certificate_id = Some(certificate_id);
                }
                match (fingerprints, pending) {
                    (Some(f), true) => m.pending_fingerprints = f,
                    (Some(f), false) => m.fingerprints = f,
                    (None, _) => {}
                }
            }
        })
    }

    /// Keeps a Client ID given with a Certificate ID (`m2m set --credentials-stdin`) in `slot`, checked
    /// and never equal to the Certificate ID; `None` when none was given.
    pub(crate) fn keep_given_client_id(
        &self,
        connection_id: &str,
        slot: Slot,
        client_id: Option<&SecretString>,
        certificate_id: &str,
    ) -> Result<Option<crate::keep::secrets::M2mFingerprints>, ConnectionError> {
        let Some(raw) = client_id else {
            return Ok(None);
        };
        let clean = secrets::clean(raw.expose_secret());
        check_client_id(&clean)?;
        if clean.as_str() == certificate_id {
            return Err(bad(
                "The Client ID and the Certificate ID are the same value; the Client ID comes from the integration \
                 record, the Certificate ID from the mapping's row.",
            ));
        }
        let mut values = M2mSecrets::default();
        values.set_client_id(SecretString::from(clean.as_str()));
        Ok(Some(self.vault.store::<M2mSecrets>(connection_id, slot, &values)?))
    }

    /// Stages a new key (pending slot) and its certificate for a rotation; the active ones stay in use.
    /// A rotation already staged is replaced.
    pub fn m2m_stage(
        &self,
        name: &str,
        key: &PrivateKey,
        certificate: &Certificate,
        algorithm: Algorithm,
    ) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        let connection = self.sync(name)?;
        let record = m2m_record(&connection)?;
        check_pair(key, certificate, algorithm)?;
        // NetSuite ties a certificate to one mapping: the key in use (in any certificate) cannot be the new one.
        let in_use = Certificate::from_pem(&record.certificate.pem)
            .is_ok_and(|current| current.public_key_der == certificate.public_key_der);
        if in_use {
            return Err(bad(
                "This is the key already in use (its certificate, or another certificate of the same key): NetSuite \
                 refuses a certificate whose key a mapping already holds, and a replacement needs a key of its own. \
                 Make a new key, or import another one.",
            ));
        }
        self.vault.discard(&connection.id)?;
        let mut values = M2mSecrets::default();
        values.set_private_key(key).map_err(|e| bad(e.to_string()))?;
        let fingerprints = self.vault.store::<M2mSecrets>(&connection.id, Slot::Pending, &values)?;
        self.set_record(&connection.id, |c| {
            if let Some(m) = c.m2m_mut() {
                m.pending = Some(M2mCertificate::new(algorithm, certificate));
                m.pending_fingerprints = fingerprints;
            }
        })
    }

    /// What a test or an assertion signs with: the active values, or with `Slot::Pending` the staged key
    /// and certificate (with the staged Client ID, else the active one).
    pub fn m2m_credentials(&self, connection: &Connection, slot: Slot) -> Result<M2mCredentials, ConnectionError> {
        // A connection moving to OAuth 2.0 signs with its new key and Client ID alone: the active slot
        // holds its tokens.
        let moving = connection.moving().filter(|_| slot == Slot::Pending);
        let record = match moving {
            Some(m) => m,
            None => m2m_record(connection)?,
        };
        let certificate = match slot {
            Slot::Pending if moving.is_some() => &record.certificate,
            Slot::Pending => record.pending.as_ref().ok_or_else(|| {
                bad(format!(
                    "Nothing is staged for \"{}\": `tba-wizard-cli m2m rotate` makes a new key and certificate first.",
                    connection.label
                ))
            })?,
            _ => &record.certificate,
        };
        let pending_flag = if slot == Slot::Pending { " --pending" } else { "" };
        let certificate_id = certificate.certificate_id.clone().ok_or_else(|| {
            bad(format!(
                "\"{}\" has no Certificate ID yet: upload its certificate on the mapping page in NetSuite, then give the \
                 mapping's Certificate ID with `tba-wizard-cli m2m set {}{pending_flag} --certificate-id=ID`.",
                connection.label,
                crate::shell_word(&connection.label)
            ))
        })?;
        let values = match moving {
            Some(_) => self.vault.read::<M2mSecrets>(&connection.id, Slot::Pending)?,
            None => self.vault.read_merged::<M2mSecrets>(&connection.id, slot)?,
        };
        let Some(client_id) = values.client_id().cloned() else {
            return Err(bad(format!(
                "\"{}\" has no Client ID yet: pipe {{\"client_id\": \"…\"}} into `tba-wizard-cli m2m set {} \
                 --certificate-id={} --credentials-stdin`.",
                connection.label,
                crate::shell_word(&connection.label),
                crate::shell_word(&certificate_id)
            )));
        };
        let key = match values.private_key() {
            None => return Err(VaultError::Incomplete("the private key".into()).into()),
            Some(Err(_)) => return Err(VaultError::Damaged.into()),
            Some(Ok(key)) => key,
        };
        let certificate_read = Certificate::from_pem(&certificate.pem).map_err(|e| {
            ConnectionError::BadInput(format!("The saved certificate of \"{}\": {e}", connection.label))
        })?;
        Ok(M2mCredentials {
            key,
            certificate: certificate_read,
            client_id,
            certificate_id,
            algorithm: certificate.algorithm,
            scopes: record.scopes.clone(),
            scope_form: ScopeForm::JsonArray,
        })
    }

    /// Makes the staged key, its certificate and Certificate ID active, in one keyring write.
    pub(crate) fn m2m_promote(
        &self,
        connection: Connection,
        tested: Option<&crate::keep::secrets::M2mFingerprints>,
    ) -> Result<Connection, ConnectionError> {
        let record = m2m_record(&connection)?;
        let Some(pending) = &record.pending else {
            return Err(bad(format!("Nothing is staged for \"{}\".", connection.label)));
        };
        if pending.certificate_id.is_none() {
            return Err(bad(format!(
                "The new certificate of \"{}\" has no Certificate ID yet: upload it as a new mapping, give its ID with \
                 `tba-wizard-cli m2m set {label} --pending --certificate-id=ID`, test it with `tba-wizard-cli test \
                 --connection {label} --pending`, then promote.",
                connection.label,
                label = crate::shell_word(&connection.label)
            )));
        }
        let fingerprints = self
            .vault
            .promote_tested::<M2mSecrets>(&connection.id, &(), tested)
            .map_err(|e| match e {
                VaultError::Missing => bad(format!("Nothing is staged for \"{}\".", connection.label)),
                VaultError::Incomplete(_) => bad(e.to_string()),
                other => other.into(),
            })?;
        self.set_record(&connection.id, |c| {
            if let Some(m) = c.m2m_mut() {
                if let Some(p) = m.pending.take() {
                    m.certificate = p;
                }
                m.fingerprints = fingerprints;
                m.pending_fingerprints = Default::default();
            }
        })
    }

    /// A token refused for an OAuth 2.0 connection's active values: NetSuite's bare answer does not say
    /// why, but what changed on this side since the connection last worked is the likeliest cause, and
    /// if nothing did, the change was in NetSuite (or NetSuite had trouble). Reorders the causes so.
    pub fn explain_m2m_refusal(&self, connection: &Connection, report: &mut crate::Report) {
        let Some(m) = connection.m2m() else { return };
        let Some(worked) = m.last_worked.as_ref() else { return };
        if report.outcome != crate::Outcome::CredentialsRefused
            || !report.causes.iter().any(|c| c.id == "certificate_id")
        {
            return; // not a token refusal: a bearer call's, or one stopped before sending
        }
        let day = worked.at.get(..10).unwrap_or(&worked.at);
        let changed: Vec<&'static str> = [
            ("client_id", worked.client_id != m.fingerprints.client_id),
            ("certificate_id", worked.certificate_id != m.certificate.certificate_id),
            ("certificate_revoked", worked.key != m.fingerprints.private_key),
        ]
        .into_iter()
        .filter_map(|(id, differs)| differs.then_some(id))
        .collect();
        crate::netsuite::outcome::m2m::rank_by_change(&mut report.causes, &changed, day);
    }

    /// `sync` for an M2M connection: finishes a promotion a crash cut short (in the keyring, then in the
    /// record) and brings the record's fingerprints in line with the keyring.
    pub(crate) fn m2m_sync(&self, connection: Connection) -> Result<Connection, ConnectionError> {
        let Some(record) = connection.m2m().cloned() else {
            return Ok(connection);
        };
        self.vault.recover::<M2mSecrets>(&connection.id)?;
        let active = self
            .vault
            .read::<M2mSecrets>(&connection.id, Slot::Active)?
            .fingerprints();
        let pending = self
            .vault
            .read::<M2mSecrets>(&connection.id, Slot::Pending)?
            .fingerprints();
        let pending_empty = pending.private_key.is_none() && pending.client_id.is_none();
        // The keyring promoted the staged key but the record was not updated: finish it here.
        let promoted = pending_empty
            && record.pending.is_some()
            && active.private_key.is_some()
            && active.private_key == record.pending_fingerprints.private_key;
        // The staged key is gone from the keyring (discarded elsewhere): its certificate goes too.
        let dropped = pending_empty && record.pending.is_some() && !promoted;
        // The old token's copy was forgotten elsewhere (the window): its record goes too.
        let retired_gone = record.retired_tba.is_some() && !self.vault.holds_retired(&connection.id);
        if !promoted
            && !dropped
            && !retired_gone
            && active == record.fingerprints
            && pending == record.pending_fingerprints
        {
            return Ok(connection);
        }
        self.set_record(&connection.id, |c| {
            if let Some(m) = c.m2m_mut() {
                if promoted {
                    if let Some(p) = m.pending.take() {
                        m.certificate = p;
                    }
                }
                if dropped {
                    m.pending = None;
                }
                if retired_gone {
                    m.retired_tba = None;
                }
                m.fingerprints = active;
                m.pending_fingerprints = pending;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keep::store::ConnectionStore;
    use crate::keep::vault::{MemoryStore, Vault};
    use crate::netsuite::oauth2::KeyKind;
    use std::time::SystemTime;

    fn connections(name: &str) -> Connections<MemoryStore> {
        let dir = std::env::temp_dir().join(format!("tba-m2m-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Connections::new(ConnectionStore::new(dir), Vault::new(MemoryStore::default()))
    }

    fn pair(kind: KeyKind) -> (PrivateKey, Certificate) {
        let key = PrivateKey::generate(kind).unwrap();
        let cert = Certificate::self_signed(&key, "t", 30, SystemTime::now()).unwrap();
        (key, cert)
    }

    #[test]
    fn a_key_that_worked_is_never_replaced_in_place() {
        let c = connections("worked");
        let account = Account::parse("1234567_SB1").unwrap();
        let conn = c
            .m2m_begin("Live", &account, crate::keep::store::Profile::parse("own_m2m").unwrap())
            .unwrap();
        let (key, cert) = pair(KeyKind::P256);
        // Before any test, making the key again is fine (nothing can be using it yet).
        c.m2m_attach(&conn.id, &key, &cert, Algorithm::ES256, &[Scope::RestWebservices])
            .unwrap();
        let (again, again_cert) = pair(KeyKind::P256);
        let conn = c
            .m2m_attach(
                &conn.id,
                &again,
                &again_cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        // Once the key in use passed a test, a new key in the active slot is refused, naming the way.
        let conn = c
            .set_record(&conn.id, |r| {
                let m = r.m2m_mut().unwrap();
                m.last_worked = Some(crate::keep::store::M2mWorked {
                    at: "2026-12-01T00:00:00Z".into(),
                    key: m.fingerprints.private_key.clone(),
                    client_id: None,
                    certificate_id: None,
                });
            })
            .unwrap();
        let (third, third_cert) = pair(KeyKind::P256);
        let e = c
            .m2m_attach(
                &conn.id,
                &third,
                &third_cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("Replace certificate"), "{e}");
        let kept = m2m_record(&c.get(&conn.id).unwrap()).unwrap().certificate.clone();
        assert_eq!(kept.fingerprint, again_cert.fingerprint, "the working key stays");
    }

    #[test]
    fn add_set_rotate_promote_and_discard() {
        let c = connections("flow");
        let account = Account::parse("1234567_SB1").unwrap();
        let (key, cert) = pair(KeyKind::P256);
        let conn = c
            .m2m_add(
                "Key",
                &account,
                crate::keep::store::Profile::parse("own_m2m").unwrap(),
                &key,
                &cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        assert_eq!(conn.profile.code(), "own_m2m");
        assert!(c.m2m_credentials(&conn, Slot::Active).is_err(), "no Certificate ID yet");
        let client_id = SecretString::from("client-id-value");
        let conn = c.m2m_set("Key", false, "CERT1", Some(&client_id)).unwrap();
        let creds = c.m2m_credentials(&conn, Slot::Active).unwrap();
        assert_eq!(creds.certificate_id, "CERT1");
        assert_eq!(creds.client_id.expose_secret(), "client-id-value");
        assert!(matches!(
            c.m2m_set("Key", false, "CERT1", Some(&SecretString::from("CERT1"))),
            Err(ConnectionError::BadInput(_))
        ));
        // The Client ID given as a Certificate ID is known by its fingerprint, refused and not repeated.
        let e = c
            .m2m_set("Key", false, " client-id-value\n", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("That is the Client ID") && !e.contains("client-id-value"),
            "{e}"
        );
        // The Application ID (a GUID) is not the Client ID.
        let guid = SecretString::from("8C2D1F4E-1A2B-4C3D-9E8F-0A1B2C3D4E5F");
        let e = c.m2m_set("Key", false, "CERT1", Some(&guid)).unwrap_err().to_string();
        assert!(e.contains("Application ID") && e.contains("64-character"), "{e}");
        let e = c
            .m2m_capture_client_id(&conn.id, guid.expose_secret())
            .unwrap_err()
            .to_string();
        assert!(e.contains("Application ID"), "{e}");
        // Only NetSuite's alphabet: "." or "/" would change the revoke URL.
        for bad in [".", "..", "a/b", "x%2f"] {
            assert!(c.m2m_set("Key", false, bad, None).is_err(), "{bad}");
        }
        let dash = "-QjavVtnzeAPA_QdffgnTh9yPy6LbSGOYqNeJqtbKgU";
        let conn = c.m2m_set("Key", false, dash, None).unwrap();
        assert_eq!(c.m2m_credentials(&conn, Slot::Active).unwrap().certificate_id, dash);
        c.m2m_set("Key", false, "CERT1", None).unwrap();

        // The key in use, even in a new certificate, is not a replacement: NetSuite would refuse it.
        let in_use = c.m2m_credentials(&conn, Slot::Active).unwrap();
        let same_key_cert = Certificate::self_signed(&in_use.key, "again", 30, SystemTime::now()).unwrap();
        for cert in [&in_use.certificate, &same_key_cert] {
            let e = c
                .m2m_stage("Key", &in_use.key, cert, Algorithm::ES256)
                .unwrap_err()
                .to_string();
            assert!(e.contains("already in use"), "{e}");
        }
        assert!(m2m_record(&c.get("Key").unwrap()).unwrap().pending.is_none());

        // A rotation: the new key pending, the old one in use until the promotion.
        let (new_key, new_cert) = pair(KeyKind::P384);
        let conn = c.m2m_stage("Key", &new_key, &new_cert, Algorithm::ES384).unwrap();
        assert!(
            c.promote("Key").is_err(),
            "no Certificate ID for the new certificate yet"
        );
        assert!(c.m2m_set("Key", true, "CERT1", None).is_err(), "the old mapping's ID");
        let conn = c.m2m_set(&conn.id, true, "CERT2", None).unwrap();
        let pending = c.m2m_credentials(&conn, Slot::Pending).unwrap();
        assert_eq!(
            (pending.certificate_id.as_str(), pending.algorithm),
            ("CERT2", Algorithm::ES384)
        );
        assert_eq!(
            pending.client_id.expose_secret(),
            "client-id-value",
            "the Client ID stays"
        );
        let promoted = c.promote("Key").unwrap();
        let m = m2m_record(&promoted).unwrap();
        assert_eq!(m.certificate.certificate_id.as_deref(), Some("CERT2"));
        assert_eq!(m.certificate.fingerprint, new_cert.fingerprint);
        assert!(m.pending.is_none());
        assert_eq!(
            c.m2m_credentials(&promoted, Slot::Active).unwrap().key.kind(),
            KeyKind::P384
        );

        let (k3, c3) = pair(KeyKind::P256);
        c.m2m_stage("Key", &k3, &c3, Algorithm::ES256).unwrap();
        let discarded = c.discard("Key").unwrap();
        assert!(m2m_record(&discarded).unwrap().pending.is_none());
        assert!(c
            .vault
            .read::<M2mSecrets>(&discarded.id, Slot::Pending)
            .unwrap()
            .is_empty());
        c.remove("Key").unwrap();
        assert!(c
            .vault
            .read::<M2mSecrets>(&discarded.id, Slot::Active)
            .unwrap()
            .is_empty());
    }

    /// The keyring promoted the staged key, then the process died before the record was written: the
    /// next sync finishes the record's side.
    #[test]
    fn a_promotion_cut_short_is_finished_by_sync() {
        let c = connections("crash");
        let account = Account::parse("1234567").unwrap();
        let (key, cert) = pair(KeyKind::P256);
        let conn = c
            .m2m_add(
                "Key",
                &account,
                crate::keep::store::Profile::parse("own_m2m").unwrap(),
                &key,
                &cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        c.m2m_set(&conn.id, false, "OLD", Some(&SecretString::from("cid")))
            .unwrap();
        let (new_key, new_cert) = pair(KeyKind::P256);
        c.m2m_stage("Key", &new_key, &new_cert, Algorithm::ES256).unwrap();
        c.m2m_set("Key", true, "NEW", None).unwrap();
        c.vault.promote_tested::<M2mSecrets>(&conn.id, &(), None).unwrap();
        let synced = c.sync("Key").unwrap();
        let m = m2m_record(&synced).unwrap();
        assert_eq!(m.certificate.certificate_id.as_deref(), Some("NEW"));
        assert!(m.pending.is_none());
        let creds = c.m2m_credentials(&synced, Slot::Active).unwrap();
        assert!(creds.key.matches_public_key(&new_cert.public_key_der));
    }

    #[test]
    fn a_tba_connection_is_not_an_m2m_one() {
        let c = connections("tba");
        let account = Account::parse("1234567").unwrap();
        c.add(
            "Tba",
            &account,
            Profile::parse("own").unwrap(),
            None,
            &Default::default(),
        )
        .unwrap();
        let err = c.m2m_set("Tba", false, "X", None).unwrap_err();
        assert!(err.to_string().contains("Token-Based Authentication"), "{err}");
        let (key, cert) = pair(KeyKind::P256);
        let conn = c
            .m2m_add(
                "Key",
                &account,
                crate::keep::store::Profile::parse("own_m2m").unwrap(),
                &key,
                &cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        let err = c.stage(&conn.id, &Default::default()).unwrap_err();
        assert!(err.to_string().contains("m2m rotate"), "{err}");
    }
}
