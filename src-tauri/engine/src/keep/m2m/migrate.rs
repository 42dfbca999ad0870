//! Moving a saved TBA connection to OAuth 2.0 client credentials without a minute offline: the new key
//! and Client ID wait in the keyring's pending slot beside the tokens in use (the record's
//! `TbaRecord::moving` holds their certificate and mapping), are tested there, and only when the user
//! switches do they become the connection's values. The tokens are then kept in the retired slot (the
//! record's `M2mRecord::retired_tba`) until the user has revoked them and discards the copy.
//!
//! On a NetSuite integration record the TBA consumer key and the OAuth 2.0 Client ID are one value, so
//! the Client ID is taken from the keyring's consumer key: the user copies no secret.

use super::checks::{check_client_id, check_pair};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{self, Field, M2mSecrets, SecretSet};
use crate::keep::store::{AuthRecord, Connection, M2mCertificate, M2mRecord, RetiredTba, TbaRecord};
use crate::keep::vault::{SecretStore, Slot, VaultError};
use crate::netsuite::oauth2::{Algorithm, Certificate, PrivateKey, Scope};
use crate::profiles::{ConnectorProfile, ProfileId};
use secrecy::{ExposeSecret, SecretString};

fn bad(message: impl Into<String>) -> ConnectionError {
    ConnectionError::BadInput(message.into())
}

/// The OAuth 2.0 profile a connection's profile moves to, or why it cannot move.
pub fn moves_to(c: &Connection) -> Result<ProfileId, ConnectionError> {
    let from = ConnectorProfile::of(c.profile);
    from.moves_to().ok_or_else(|| {
        bad(format!(
            "\"{}\" was set up for {}, whose side signs in with TBA only today: it cannot move to OAuth 2.0 until the \
             connector supports it. It keeps working on TBA.",
            c.label, from.name
        ))
    })
}

/// What a TBA connection's home card says about OAuth 2.0 (none for an OAuth 2.0 connection): how to move
/// it, that it is moving and how to go on, or why it cannot move.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct MoveNotice {
    /// Whether the connection can move (or is moving) to OAuth 2.0.
    pub can_move: bool,
    /// The line that says which case it is, with the rest folded under it.
    pub summary: String,
    pub text: String,
    /// Commands to paste, one per line, shown as code.
    pub commands: Vec<String>,
}

/// `c`'s notice about moving to OAuth 2.0, if it signs in with TBA.
pub fn move_notice(c: &Connection) -> Option<MoveNotice> {
    c.tba()?;
    let name = crate::shell_word(&c.label);
    if c.moving().is_some() {
        return Some(MoveNotice {
            can_move: true,
            summary: "Moving to OAuth 2.0: under way".into(),
            text: "Moving to OAuth 2.0, started from the command line: the token stays in use until the switch. \
                   Go on with the steps `tba-wizard-cli migrate` printed, then switch; or stop the move, which \
                   leaves the connection as it was."
                .into(),
            commands: vec![
                format!("tba-wizard-cli connections promote {name}"),
                format!("tba-wizard-cli connections discard {name}"),
            ],
        });
    }
    match moves_to(c) {
        Ok(_) => Some(MoveNotice {
            can_move: true,
            summary: "Move to OAuth 2.0 before TBA ends".into(),
            text: "From NetSuite 2027.1 no new integration can use TBA, and TBA's end of support follows. Move this \
                   connection to OAuth 2.0 without a minute offline with Move to OAuth 2.0 below: the token keeps \
                   working until you switch. From a terminal, the same move is:"
                .into(),
            commands: vec![format!(
                "tba-wizard-cli migrate {name} --certificate-out {}",
                crate::shell_word(&format!("{}-oauth2.pem", file_stem(&c.label)))
            )],
        }),
        Err(_) => {
            let connector = &ConnectorProfile::of(c.profile).short_name;
            Some(MoveNotice {
                can_move: false,
                summary: format!("OAuth 2.0: not for {connector} yet"),
                text: format!(
                    "{connector} signs in to NetSuite with TBA only today: this connection cannot move to OAuth 2.0 \
                     until {connector} supports it. It keeps working on TBA."
                ),
                commands: vec![],
            })
        }
    }
}

/// A file name made from a connection's label: letters and digits, the rest as dashes.
fn file_stem(label: &str) -> String {
    let stem: String = label
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() {
                ch.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "connection".into()
    } else {
        stem.to_string()
    }
}

/// The TBA token a connection used before its move to OAuth 2.0, while its copy is kept.
pub fn retired_token(c: &Connection) -> Option<&RetiredTba> {
    c.m2m().and_then(|m| m.retired_tba.as_ref())
}

impl<S: SecretStore> Connections<S> {
    /// Starts moving the TBA connection `name` to OAuth 2.0: the key (made or imported by the caller)
    /// and the Client ID (`client_id`, else the consumer key kept in the keyring) go to the pending
    /// slot, the certificate to the record. The tokens stay in use. Returns the connection and the
    /// Client ID's warnings.
    pub fn migrate_begin(
        &self,
        name: &str,
        key: &PrivateKey,
        certificate: &Certificate,
        algorithm: Algorithm,
        scopes: &[Scope],
        client_id: Option<&SecretString>,
    ) -> Result<(Connection, Vec<String>), ConnectionError> {
        check_pair(key, certificate, algorithm)?;
        if scopes.is_empty() {
            return Err(bad("At least one scope is needed (rest_webservices for the test)."));
        }
        let _lock = self.store.lock()?;
        let connection = self.sync(name)?;
        let label = crate::shell_word(&connection.label);
        let Some(tba) = connection.tba() else {
            return Err(bad(format!(
                "\"{}\" already signs in with OAuth 2.0.",
                connection.label
            )));
        };
        moves_to(&connection)?;
        if tba.moving.is_some() {
            return Err(bad(format!(
                "\"{}\" is already moving to OAuth 2.0: go on with `tba-wizard-cli m2m set {label} --pending \
                 --certificate-id=ID`, or start over after `tba-wizard-cli connections discard {label}`.",
                connection.label
            )));
        }
        if !tba.pending_fingerprints.is_empty() {
            return Err(bad(format!(
                "New TBA values are staged for \"{}\": promote or discard them first (`tba-wizard-cli connections \
                 promote {label}` or `discard {label}`), so that one change is under way at a time.",
                connection.label
            )));
        }
        let client_id = match client_id {
            Some(given) => secrets::clean(given.expose_secret()),
            None => {
                let active = self.vault.read::<SecretSet>(&connection.id, Slot::Active)?;
                let Some(consumer_key) = active.get(Field::ConsumerKey) else {
                    return Err(bad(format!(
                        "The keyring holds no Consumer Key for \"{}\", which would be the Client ID: pipe the Client \
                         ID shown on the integration record as {{\"client_id\": \"…\"}} with --credentials-stdin.",
                        connection.label
                    )));
                };
                secrets::clean(consumer_key.expose_secret())
            }
        };
        let warnings = check_client_id(&client_id)?;
        let mut values = M2mSecrets::default();
        values.set_private_key(key).map_err(|e| bad(e.to_string()))?;
        values.set_client_id(SecretString::from(client_id.as_str()));
        let id = connection.id.clone();
        let fingerprints = self.vault.replace(&id, Slot::Pending, &values)?;
        let scopes = scopes.to_vec();
        let connection = self.set_record(&id, |c| {
            if let Some(t) = c.tba_mut() {
                t.moving = Some(M2mRecord {
                    scopes,
                    certificate: M2mCertificate::new(algorithm, certificate),
                    fingerprints,
                    pending: None,
                    pending_fingerprints: Default::default(),
                    last_worked: None,
                    retired_tba: None,
                    replaced: None,
                });
            }
        });
        if connection.is_err() {
            // A key the record does not know of would never be found again.
            let _ = self.vault.discard(&id);
        }
        Ok((connection?, warnings))
    }

    /// `m2m set --pending` for a connection moving to OAuth 2.0: the new mapping's Certificate ID and,
    /// if given, a Client ID other than the consumer key. Called under the store's lock.
    pub(crate) fn migrate_set(
        &self,
        connection: &Connection,
        pending: bool,
        certificate_id: String,
        client_id: Option<&SecretString>,
    ) -> Result<Connection, ConnectionError> {
        if !pending {
            return Err(bad(format!(
                "\"{}\" still signs in with TBA until the switch: give the new mapping's Certificate ID with \
                 --pending.",
                connection.label
            )));
        }
        // The Client ID, pasted here by mistake, is known by its fingerprint only: refused, not repeated.
        let pasted = crate::netsuite::oauth1::fingerprint(&SecretString::from(certificate_id.as_str()));
        if connection
            .moving()
            .is_some_and(|m| m.fingerprints.client_id.as_deref() == Some(pasted.as_str()))
        {
            return Err(bad(
                "That is the Client ID (the integration record's consumer key), which stays in the keyring. The \
                 Certificate ID is in the new mapping's row on the OAuth 2.0 Client Credentials (M2M) Setup page.",
            ));
        }
        let fingerprints = self.keep_given_client_id(&connection.id, Slot::Pending, client_id, &certificate_id)?;
        self.set_record(&connection.id, |c| {
            if let Some(m) = c.tba_mut().and_then(|t| t.moving.as_mut()) {
                m.certificate.certificate_id = Some(certificate_id);
                if let Some(f) = fingerprints {
                    m.fingerprints = f;
                }
            }
        })
    }

    /// The Client ID NetSuite shows for a connection moving to OAuth 2.0, where it is not the consumer key
    /// the move began with (the Application ID, a GUID, is refused): kept in the pending slot with the new
    /// key. Returns the connection and the Client ID's warnings.
    pub fn migrate_client_id(&self, id: &str, raw: &str) -> Result<(Connection, Vec<String>), ConnectionError> {
        let _lock = self.store.lock()?;
        let connection = self.sync(id)?;
        let Some(moving) = connection.moving() else {
            return Err(bad(
                "Make the key and certificate first: the Client ID is kept with the new key.",
            ));
        };
        let certificate_id = moving.certificate.certificate_id.clone().unwrap_or_default();
        let clean = secrets::clean(raw);
        let warnings = check_client_id(&clean)?;
        let given = SecretString::from(clean.as_str());
        let fingerprints = self.keep_given_client_id(&connection.id, Slot::Pending, Some(&given), &certificate_id)?;
        let connection = self.set_record(&connection.id, |c| {
            if let (Some(m), Some(f)) = (c.tba_mut().and_then(|t| t.moving.as_mut()), fingerprints) {
                m.fingerprints = f;
            }
        })?;
        Ok((connection, warnings))
    }

    /// The switch: the new key and Client ID become the connection's values, the tokens are kept in the
    /// retired slot, and the record becomes an OAuth 2.0 one of the profile it moves to, with its label,
    /// account and history. Called under the store's lock, on a synced record.
    pub(crate) fn migrate_switch(&self, connection: Connection) -> Result<Connection, ConnectionError> {
        let Some(moving) = connection.moving() else {
            return Err(bad(format!("\"{}\" is not moving to OAuth 2.0.", connection.label)));
        };
        if moving.certificate.certificate_id.is_none() {
            return Err(bad(format!(
                "The new certificate of \"{}\" has no Certificate ID yet: upload it on the OAuth 2.0 Client \
                 Credentials (M2M) Setup page, give the mapping's ID with `tba-wizard-cli m2m set {label} --pending \
                 --certificate-id=ID`, test it with `tba-wizard-cli test --connection {label} --pending`, then \
                 promote.",
                connection.label,
                label = crate::shell_word(&connection.label)
            )));
        }
        let to = moves_to(&connection)?;
        let fingerprints = self
            .vault
            .switch::<SecretSet, M2mSecrets>(&connection.id)
            .map_err(|e| match e {
                VaultError::Missing => bad(format!(
                    "The new key of \"{}\" is no longer in the keyring: start the move again.",
                    connection.label
                )),
                VaultError::Incomplete(_) => bad(e.to_string()),
                other => other.into(),
            })?;
        self.set_record(&connection.id, |c| switched(c, to, Some(fingerprints)))
    }

    /// `sync` for a connection moving to OAuth 2.0: finishes a switch a crash cut short after the
    /// keyring's write, forgets a move whose key is gone, and brings the fingerprints in line.
    pub(crate) fn migrate_sync(&self, connection: Connection) -> Result<Connection, ConnectionError> {
        let Some(moving) = connection.moving().cloned() else {
            return Ok(connection);
        };
        // The keyring switched (the new key is active) but the record was not updated: finish it here.
        let active_key = self
            .vault
            .read::<M2mSecrets>(&connection.id, Slot::Active)
            .ok()
            .and_then(|v| v.fingerprints().private_key);
        if active_key.is_some() && active_key == moving.fingerprints.private_key {
            self.vault.discard(&connection.id)?;
            let to = moves_to(&connection)?;
            return self.set_record(&connection.id, |c| switched(c, to, None));
        }
        let pending = self
            .vault
            .read::<M2mSecrets>(&connection.id, Slot::Pending)?
            .fingerprints();
        let active = self
            .vault
            .read::<SecretSet>(&connection.id, Slot::Active)?
            .fingerprints();
        let gone = pending.private_key.is_none();
        if !gone && pending == moving.fingerprints && &active == connection.fingerprints() {
            return Ok(connection);
        }
        self.set_record(&connection.id, |c| {
            if let Some(t) = c.tba_mut() {
                t.fingerprints = active;
                match (&mut t.moving, gone) {
                    (m, true) => *m = None,
                    (Some(m), false) => m.fingerprints = pending,
                    (None, false) => {}
                }
            }
        })
    }

    /// Forgets the copy of replaced values a connection keeps (the keyring's retired slot), and what the
    /// record says of them (the old token of a connection that moved to OAuth 2.0, a renewal's replaced
    /// certificate).
    pub fn forget_retired(&self, connection: &Connection) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        self.vault.forget_retired(&connection.id)?;
        if connection
            .m2m()
            .is_some_and(|m| m.retired_tba.is_some() || m.replaced.is_some())
        {
            return self.set_record(&connection.id, |c| {
                if let Some(m) = c.m2m_mut() {
                    m.retired_tba = None;
                    m.replaced = None;
                }
            });
        }
        Ok(connection.clone())
    }
}

/// The record's side of the switch: the moving record becomes the connection's, its profile the one it
/// moves to, and the token's name and fingerprints are kept for its revocation.
fn switched(c: &mut Connection, to: ProfileId, fingerprints: Option<crate::keep::secrets::M2mFingerprints>) {
    let AuthRecord::Tba(TbaRecord {
        token_name,
        fingerprints: tba_fingerprints,
        moving,
        ..
    }) = &mut c.auth
    else {
        return;
    };
    let Some(mut m) = moving.take() else { return };
    if let Some(f) = fingerprints {
        m.fingerprints = f;
    }
    m.retired_tba = Some(RetiredTba {
        token_name: token_name.take(),
        fingerprints: std::mem::take(tba_fingerprints),
    });
    c.auth = AuthRecord::M2m(Some(m));
    c.profile = to;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::keep::store::{ConnectionStore, Profile};
    use crate::keep::vault::{MemoryStore, Vault};
    use crate::netsuite::oauth2::KeyKind;
    use crate::netsuite::signer::Signer;
    use crate::Account;
    use std::time::SystemTime;

    const CONSUMER_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    pub(crate) fn connections(name: &str) -> Connections<MemoryStore> {
        let dir = std::env::temp_dir().join(format!("tba-migrate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Connections::new(ConnectionStore::new(dir), Vault::new(MemoryStore::default()))
    }

    pub(crate) fn tba(conns: &Connections<MemoryStore>, label: &str, profile: &str) -> Connection {
        let mut set = SecretSet::default();
        for (f, v) in [
            (Field::ConsumerKey, CONSUMER_KEY.to_string()),
            (Field::ConsumerSecret, "c".repeat(64)),
            (Field::TokenId, "d".repeat(64)),
            (Field::TokenSecret, "e".repeat(64)),
        ] {
            set.set(f, SecretString::from(v));
        }
        let account = Account::parse("1234567_SB1").unwrap();
        let profile = Profile::parse(profile).unwrap();
        conns
            .add(label, &account, profile, Some("Sync token"), &set)
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    }

    pub(crate) fn begin(conns: &Connections<MemoryStore>, label: &str) -> Result<Connection, ConnectionError> {
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "t", 30, SystemTime::now()).unwrap();
        conns
            .migrate_begin(label, &key, &cert, Algorithm::ES256, &[Scope::RestWebservices], None)
            .map(|(c, _)| c)
    }

    fn client_id_of(conns: &Connections<MemoryStore>, c: &Connection) -> String {
        match conns.signer(c, Slot::Pending).unwrap() {
            Signer::M2m(m) => m.client_id.expose_secret().to_string(),
            Signer::Tba(_) => panic!("the pending slot of a moving connection signs with OAuth 2.0"),
        }
    }

    /// The whole move: the tokens stay in use until the switch, the Client ID is the consumer key, the
    /// switch keeps the label, account and history, and the tokens stay retired until discarded.
    #[test]
    fn a_tba_connection_moves_to_oauth2_and_keeps_its_tokens_until_discarded() {
        let conns = connections("whole");
        let before = tba(&conns, "Shop", "own");
        let tokens = conns
            .vault
            .read::<SecretSet>(&before.id, Slot::Active)
            .unwrap()
            .fingerprints();
        conns
            .set_record(&before.id, |c| c.last_success_at = Some("2026-11-30T10:00:00Z".into()))
            .unwrap();

        let moving_now = begin(&conns, "Shop").unwrap();
        assert_eq!(
            moving_now.kind(),
            crate::profiles::AuthKind::Tba,
            "still TBA until the switch"
        );
        assert!(moving_now.moving().is_some());
        assert_eq!(
            conns
                .vault
                .read::<SecretSet>(&before.id, Slot::Active)
                .unwrap()
                .fingerprints(),
            tokens,
            "the tokens are untouched"
        );
        // Before its mapping exists, the new key cannot be tested, and the switch is refused.
        let e = conns.signer(&moving_now, Slot::Pending).err().unwrap().to_string();
        assert!(e.contains("--pending --certificate-id"), "{e}");
        let e = conns.promote("Shop").unwrap_err().to_string();
        assert!(e.contains("no Certificate ID yet"), "{e}");
        // A second start is refused and names the way on; so is a token staged meanwhile (the move holds
        // the pending slot).
        let e = begin(&conns, "Shop").unwrap_err().to_string();
        assert!(e.contains("already moving"), "{e}");
        let mut token = SecretSet::default();
        token.set(Field::TokenId, SecretString::from("f".repeat(64)));
        token.set(Field::TokenSecret, SecretString::from("a".repeat(64)));
        let e = conns.stage("Shop", &token).unwrap_err().to_string();
        assert!(
            e.contains("moving to OAuth 2.0") && e.contains("connections discard Shop"),
            "{e}"
        );

        let e = conns.m2m_set("Shop", false, "CERT1", None).unwrap_err().to_string();
        assert!(e.contains("--pending"), "{e}");
        let set = conns.m2m_set("Shop", true, "CERT1", None).unwrap();
        assert_eq!(
            client_id_of(&conns, &set),
            CONSUMER_KEY,
            "the Client ID is the consumer key"
        );
        // The active slot still signs with the tokens.
        assert!(matches!(conns.signer(&set, Slot::Active).unwrap(), Signer::Tba(_)));

        let after = conns.promote("Shop").unwrap();
        assert_eq!(after.kind(), crate::profiles::AuthKind::M2m);
        assert_eq!(after.profile, Profile::parse("own_m2m").unwrap());
        assert_eq!(
            (after.id.as_str(), after.label.as_str(), after.account.as_str()),
            (before.id.as_str(), "Shop", "1234567_SB1")
        );
        assert_eq!(after.last_success_at.as_deref(), Some("2026-11-30T10:00:00Z"));
        let m = after.m2m().unwrap();
        assert_eq!(m.certificate.certificate_id.as_deref(), Some("CERT1"));
        let retired = m.retired_tba.as_ref().unwrap();
        assert_eq!(retired.token_name.as_deref(), Some("Sync token"));
        assert_eq!(&retired.fingerprints, before.fingerprints());
        assert_eq!(
            conns
                .vault
                .read::<SecretSet>(&after.id, Slot::Retired)
                .unwrap()
                .fingerprints(),
            tokens
        );
        match conns.signer(&after, Slot::Active).unwrap() {
            Signer::M2m(m) => assert_eq!(m.client_id.expose_secret(), CONSUMER_KEY),
            Signer::Tba(_) => panic!("the switched connection signs with OAuth 2.0"),
        }
        // Read back from the file, the record is the same.
        assert_eq!(conns.get("Shop").unwrap(), after);

        let forgotten = conns.forget_retired(&after).unwrap();
        assert!(forgotten.m2m().unwrap().retired_tba.is_none());
        assert!(!conns.vault.holds_retired(&after.id));
    }

    /// Stopping before the switch leaves the TBA connection as it was and no key behind.
    #[test]
    fn a_move_discarded_before_the_switch_leaves_the_connection_as_it_was() {
        let conns = connections("discard");
        let before = tba(&conns, "Shop", "own");
        begin(&conns, "Shop").unwrap();
        let after = conns.discard("Shop").unwrap();
        assert!(after.moving().is_none());
        assert_eq!(after.auth, before.auth);
        assert!(conns
            .vault
            .read::<M2mSecrets>(&before.id, Slot::Pending)
            .unwrap()
            .is_empty());
        // And it can start again.
        begin(&conns, "Shop").unwrap();
    }

    /// A crash after the keyring's switch but before the record's: the next reader finishes it.
    #[test]
    fn a_switch_cut_short_after_the_keyring_write_is_finished_by_the_next_sync() {
        let conns = connections("crash");
        let before = tba(&conns, "Shop", "own");
        begin(&conns, "Shop").unwrap();
        conns.m2m_set("Shop", true, "CERT1", None).unwrap();
        conns.vault.switch::<SecretSet, M2mSecrets>(&before.id).unwrap();
        let synced = conns.sync("Shop").unwrap();
        assert_eq!(synced.kind(), crate::profiles::AuthKind::M2m);
        assert_eq!(
            synced.m2m().unwrap().certificate.certificate_id.as_deref(),
            Some("CERT1")
        );
        assert!(synced.m2m().unwrap().retired_tba.is_some());
        // A crash before the write leaves the tokens in use: a second promote finishes.
        let conns = connections("crash-before");
        let before = tba(&conns, "Shop", "own");
        begin(&conns, "Shop").unwrap();
        conns.m2m_set("Shop", true, "CERT1", None).unwrap();
        conns.vault.retire_active::<SecretSet>(&before.id).unwrap();
        assert_eq!(conns.sync("Shop").unwrap().kind(), crate::profiles::AuthKind::Tba);
        assert_eq!(conns.promote("Shop").unwrap().kind(), crate::profiles::AuthKind::M2m);
    }

    #[test]
    fn connectors_that_speak_tba_only_do_not_move_and_say_so() {
        let conns = connections("celigo");
        tba(&conns, "Store", "aftership");
        let e = begin(&conns, "Store").unwrap_err().to_string();
        assert!(e.contains("TBA only today") && e.contains("keeps working"), "{e}");
    }

    /// The home card's notice: how to move (the command names the connection, quoted for a shell),
    /// that a move is under way, why a TBA-only connector's cannot, and nothing once on OAuth 2.0.
    #[test]
    fn each_tba_card_says_how_it_moves_or_why_it_cannot() {
        let conns = connections("notice");
        let shop = tba(&conns, "My shop", "own");
        let notice = move_notice(&shop).unwrap();
        assert!(notice.can_move && notice.text.contains("2027.1"), "{notice:?}");
        assert_eq!(
            notice.commands,
            ["tba-wizard-cli migrate 'My shop' --certificate-out my-shop-oauth2.pem"]
        );
        let store = tba(&conns, "Store", "aftership");
        let notice = move_notice(&store).unwrap();
        assert!(!notice.can_move && notice.commands.is_empty(), "{notice:?}");
        assert!(
            notice.summary.contains("AfterShip") && notice.text.contains("keeps working"),
            "{notice:?}"
        );

        let moving = begin(&conns, "My shop").unwrap();
        let notice = move_notice(&moving).unwrap();
        assert!(notice.summary.contains("under way"), "{notice:?}");
        assert_eq!(notice.commands[1], "tba-wizard-cli connections discard 'My shop'");
        conns.m2m_set("My shop", true, "CERT1", None).unwrap();
        assert_eq!(move_notice(&conns.promote("My shop").unwrap()), None);
    }

    /// A rotation of the tokens under way and a move would both use the pending slot: one at a time.
    #[test]
    fn a_move_waits_for_staged_tokens() {
        let conns = connections("staged");
        tba(&conns, "Shop", "own");
        let mut token = SecretSet::default();
        token.set(Field::TokenId, SecretString::from("f".repeat(64)));
        token.set(Field::TokenSecret, SecretString::from("a".repeat(64)));
        conns.stage("Shop", &token).unwrap();
        let e = begin(&conns, "Shop").unwrap_err().to_string();
        assert!(e.contains("staged"), "{e}");
    }
}
