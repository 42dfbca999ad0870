//! Saved connections as one thing: the non-secret record in the connection file and its secrets in the
//! vault, kept in step. The command line and the window both go through here.

use crate::keep::secrets::{self, CaptureField, Field, Fingerprints, SecretSet};
use crate::keep::store::{AuthRecord, Connection, ConnectionStore, LastTest, Profile, StoreError, TbaRecord};
use crate::keep::vault::{Batch, SecretStore, Slot, Vault, VaultError};
use crate::profiles::ConnectorProfile;
use crate::{Account, Report};
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;

pub mod method;

#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    #[error("{0}")]
    BadInput(String),
    #[error("{0}")]
    Vault(#[from] VaultError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl ConnectionError {
    /// The kind of failure, as the window and the command line name it.
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            ConnectionError::BadInput(_) => crate::ErrorCode::BadInput,
            ConnectionError::Vault(_) => crate::ErrorCode::Keyring,
            ConnectionError::Store(_) => crate::ErrorCode::Storage,
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        ConnectionError::BadInput(message.into())
    }
}

pub struct Connections<S: SecretStore> {
    pub store: ConnectionStore,
    pub vault: Vault<S>,
}

/// Cleans and checks every value of `raw` against the others, returning the clean set and warnings.
pub fn clean_set(raw: &SecretSet) -> Result<(SecretSet, Vec<String>), ConnectionError> {
    let mut clean = SecretSet::default();
    let mut warnings = Vec::new();
    for field in raw.present() {
        let value = secrets::clean(raw.get(field).expect("present").expose_secret());
        warnings.extend(secrets::check(field, &value, &clean).map_err(|e| ConnectionError::bad(e.to_string()))?);
        clean.set(field, SecretString::from(value.as_str()));
    }
    Ok((clean, warnings))
}

/// Refuses a set that lacks a value the connector's profile needs, or holds half of a pair. Values
/// beyond the profile's (a consumer pair given for Celigo) are kept: older versions saved them so.
pub fn check_holds_profile(profile: Profile, set: &SecretSet) -> Result<(), ConnectionError> {
    let connector = ConnectorProfile::of(profile);
    let needed = connector.secrets();
    let missing: Vec<&str> = needed
        .iter()
        .filter(|f| set.get(**f).is_none())
        .map(|f| f.code())
        .collect();
    if !missing.is_empty() {
        let all: Vec<&str> = needed.iter().map(|f| f.code()).collect();
        return Err(ConnectionError::bad(format!(
            "{} is missing: a {} connection holds {}.",
            missing.join(" and "),
            connector.short_name,
            all.join(", ")
        )));
    }
    if let Some((a, b)) = set.half_pair() {
        return Err(ConnectionError::bad(format!(
            "{} and {} belong together: give both (NetSuite issues them as a pair).",
            a.code(),
            b.code()
        )));
    }
    Ok(())
}

/// A value pasted into one field that another saved connection holds in a different field is a mix-up
/// (a token ID pasted where the consumer key belongs). Compared by fingerprint: no keyring read needed.
/// The same value in the same field is fine: AfterShip reuses one consumer pair for several tokens.
fn crossed_with_saved(field: Field, value: &str, others: &[Connection]) -> Result<(), ConnectionError> {
    let print = crate::netsuite::oauth1::fingerprint(&SecretString::from(value));
    for c in others {
        for other_field in Field::ALL.into_iter().filter(|f| *f != field) {
            if c.fingerprints().get(other_field) == Some(print.as_str()) {
                return Err(ConnectionError::bad(format!(
                    "This value is the {} of the saved connection \"{}\", so it cannot be the {}. Copy the {} from NetSuite's page.",
                    other_field.label(),
                    c.label,
                    field.label(),
                    field.label()
                )));
            }
        }
    }
    Ok(())
}

/// The saved connection `name` (its label or id) in `list`, or what to do when there is none.
fn named<'a>(list: &'a [Connection], name: &str) -> Result<&'a Connection, ConnectionError> {
    ConnectionStore::find(list, name).ok_or_else(|| {
        ConnectionError::bad(format!(
            "There is no saved connection named \"{}\". `tba-wizard connections list` shows them.",
            name.trim()
        ))
    })
}

/// A connection's name, trimmed: 1 to 100 characters on one line.
pub(crate) fn check_label(label: &str) -> Result<&str, ConnectionError> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(ConnectionError::bad(
            "A connection's name must be 1 to 100 characters on one line.",
        ));
    }
    Ok(label)
}

impl<S: SecretStore> Connections<S> {
    pub fn new(store: ConnectionStore, vault: Vault<S>) -> Self {
        Connections { store, vault }
    }

    pub fn get(&self, name: &str) -> Result<Connection, ConnectionError> {
        named(&self.store.load()?, name).cloned()
    }

    /// Saves a new connection with all four values in one keyring write.
    pub fn add(
        &self,
        label: &str,
        account: &Account,
        profile: Profile,
        token_name: Option<&str>,
        values: &SecretSet,
    ) -> Result<(Connection, Vec<String>), ConnectionError> {
        let label = check_label(label)?;
        method::require_tba_values::<S>(profile.profile().auth, || {
            format!(
                "The {} profile signs in with OAuth 2.0 and a key, not TBA values: make its connections with \
                 `tba-wizard-cli m2m new` or `m2m import`, or in the window.",
                profile.code()
            )
        })?;
        // From the name check to the saved record, so that a concurrent add (the window and a command,
        // or two commands) can neither take the same name nor have its record overwritten.
        let _lock = self.store.lock()?;
        self.check_name_free(label)?;
        let (clean, warnings) = clean_set(values)?;
        let saved = self.store.load()?;
        for f in clean.present() {
            crossed_with_saved(f, clean.get(f).expect("present").expose_secret(), &saved)?;
        }
        let mut connection = Connection::new(label, account, profile);
        connection.auth = AuthRecord::Tba(TbaRecord {
            token_name: token_name.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
            fingerprints: self.vault.replace(&connection.id, Slot::Active, &clean)?,
            pending_fingerprints: Default::default(),
            moving: None,
        });
        let saved = connection.clone();
        if let Err(e) = self.store.update(|list| list.push(saved)) {
            // Without its record nobody could find the keyring item again; take it back out.
            let _ = self.vault.remove(&connection.id);
            return Err(e.into());
        }
        Ok((connection, warnings))
    }

    /// What signs a test of the values in `slot`, read from the keyring now, as the connection's auth
    /// method signs.
    pub fn signer(&self, c: &Connection, slot: Slot) -> Result<crate::netsuite::signer::Signer, ConnectionError> {
        method::of::<S>(c.kind()).signer(self, c, slot)
    }

    /// Saves one value the moment it arrives (the wizard's capture screens), checked against the others,
    /// as the connection's auth method keeps it. Returns the connection, the value's fingerprint and the
    /// capture's warnings.
    pub fn capture(
        &self,
        id: &str,
        slot: Slot,
        field: impl Into<CaptureField>,
        raw: &str,
    ) -> Result<(Connection, String, Vec<String>), ConnectionError> {
        // One read of the file serves the method's checks and the mix-up check against the others.
        let saved = self.store.load()?;
        let connection = named(&saved, id)?;
        method::of::<S>(connection.kind()).capture(self, &saved, connection, slot, field.into(), raw)
    }

    /// Stages whole pairs for rotation in the pending slot.
    pub fn stage(&self, name: &str, values: &SecretSet) -> Result<(Connection, Vec<String>), ConnectionError> {
        let connection = self.get(name)?;
        method::require_tba_values::<S>(connection.kind(), || {
            format!(
                "\"{}\" is an OAuth 2.0 connection: `tba-wizard-cli m2m rotate` stages a new key and certificate.",
                connection.label
            )
        })?;
        if let Some(why) = connection.while_moving() {
            return Err(ConnectionError::bad(why));
        }
        if values.is_empty() {
            return Err(ConnectionError::bad(
                "Nothing to stage: give token_id and token_secret, or consumer_key and consumer_secret.",
            ));
        }
        if let Some((a, b)) = values.half_pair() {
            return Err(ConnectionError::bad(format!(
                "{} and {} belong together: stage both (NetSuite issues them as a pair).",
                a.label(),
                b.label()
            )));
        }
        let held = ConnectorProfile::of(connection.profile).secrets();
        if let Some(extra) = values.present().into_iter().find(|f| !held.contains(f)) {
            return Err(ConnectionError::bad(format!(
                "A {} connection does not hold a {}: stage {} only.",
                ConnectorProfile::of(connection.profile).short_name,
                extra.code(),
                held.iter().map(|f| f.code()).collect::<Vec<_>>().join(" and ")
            )));
        }
        let (clean, warnings) = clean_set(values)?;
        let active = self.vault.read::<SecretSet>(&connection.id, Slot::Active)?;
        for f in clean.present() {
            if active.get(f).map(|v| v.expose_secret()) == clean.get(f).map(|v| v.expose_secret()) {
                return Err(ConnectionError::bad(format!(
                    "The new {} is the one already in use.",
                    f.label()
                )));
            }
        }
        let fingerprints = self.vault.replace(&connection.id, Slot::Pending, &clean)?;
        let connection = self.set_record(&connection.id, |c| c.keep_tba_fingerprints(Slot::Pending, fingerprints))?;
        Ok((connection, warnings))
    }

    /// No saved connection has this name. The caller holds the store's lock until its record is saved,
    /// so a concurrent add can neither take the same name nor overwrite the record.
    pub(crate) fn check_name_free(&self, label: &str) -> Result<(), ConnectionError> {
        if ConnectionStore::find(&self.store.load()?, label).is_some() {
            return Err(ConnectionError::bad(format!(
                "A connection named \"{label}\" already exists. Pick another name, or remove the old one first."
            )));
        }
        Ok(())
    }

    pub fn promote(&self, name: &str) -> Result<Connection, ConnectionError> {
        self.promote_tested(name, None)
    }

    /// `promote`, only if the staged values are the ones whose fingerprints passed the test.
    pub fn promote_tested(&self, name: &str, tested: Option<&Fingerprints>) -> Result<Connection, ConnectionError> {
        // The keyring's promotion and the record's change are one step for every other reader and writer.
        let _lock = self.store.lock()?;
        let connection = self.sync(name)?;
        method::of::<S>(connection.kind()).promote(self, connection, tested)
    }

    pub fn discard(&self, name: &str) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        let connection = self.get(name)?;
        self.vault.discard(&connection.id)?;
        let method = method::of::<S>(connection.kind());
        self.set_record(&connection.id, |c| method.forget_staged(c))
    }

    /// Removes the keyring items first: a record without secrets can be removed again, secrets without
    /// a record could not be found.
    pub fn remove(&self, name: &str) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        let connection = self.get(name)?;
        self.vault.remove(&connection.id)?;
        self.store.update(|list| list.retain(|c| c.id != connection.id))?;
        Ok(connection)
    }

    /// Finishes a promotion a crash cut short, and brings the record's fingerprints in line with the
    /// keyring's contents.
    pub fn sync(&self, name: &str) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        self.sync_record(self.get(name)?)
    }

    /// `sync` of a record already read from the connection file. The keyring is read and the record
    /// written under the store's lock, so a promotion elsewhere (the window, another command) is seen
    /// whole or not at all.
    pub fn sync_record(&self, connection: Connection) -> Result<Connection, ConnectionError> {
        let _lock = self.store.lock()?;
        method::of::<S>(connection.kind()).sync(self, connection)
    }

    /// Loads every connection after syncing each one with the keyring: one read of the connection file
    /// and one search of the keyring, whatever their number (a record is written only where it and the
    /// keyring disagree).
    pub fn list_synced(&self) -> Result<Vec<Connection>, ConnectionError> {
        Ok(self.list_in_batch()?.0)
    }

    /// `list_synced`, with the keyring's batch still open (`None` when there is no connection, and the
    /// keyring was not asked at all), for callers that read more of each connection's items.
    pub fn list_in_batch(&self) -> Result<(Vec<Connection>, Option<Batch<'_, S>>), ConnectionError> {
        // Taken before the file is read and the keyring searched, so both are of one moment.
        let _lock = self.store.lock()?;
        let saved = self.store.load()?;
        if saved.is_empty() {
            return Ok((saved, None));
        }
        let batch = self.vault.batch()?;
        let list = saved
            .into_iter()
            .map(|c| self.sync_record(c))
            .collect::<Result<_, _>>()?;
        Ok((list, Some(batch)))
    }

    /// Records a test's result on the connection `id` as it is now: for the window's flows, whose plans
    /// already refuse a result about values no longer on display.
    pub fn record_test_id(&self, id: &str, report: &Report) -> Result<Connection, ConnectionError> {
        self.set_record(id, |c| apply_test::<S>(c, report))
    }

    /// Records the test of `tested` (the connection as it was when the test signed), unless its values
    /// changed meanwhile (a promotion in the window while cron tested): then the record is left as it is,
    /// since the result is about values no longer in use.
    pub fn record_test(&self, tested: &Connection, report: &Report) -> Result<Connection, ConnectionError> {
        match self.record_tests(&[(tested, report)])?.pop().flatten() {
            Some(Recorded::Saved(c) | Recorded::Changed(c)) => Ok(c),
            None => Err(ConnectionError::bad(GONE)),
        }
    }

    /// `record_test` for many connections in one write of the connection file (`test --all`): each
    /// result is the record, saved or left because its values changed, or `None` for a connection removed
    /// meanwhile.
    pub fn record_tests(&self, reports: &[(&Connection, &Report)]) -> Result<Vec<Option<Recorded>>, ConnectionError> {
        Ok(self.store.update(|list| {
            let mut at: HashMap<&str, usize> = HashMap::with_capacity(list.len());
            for (i, c) in list.iter().enumerate() {
                at.insert(c.id.as_str(), i);
            }
            let found: Vec<Option<usize>> = reports.iter().map(|(t, _)| at.get(t.id.as_str()).copied()).collect();
            reports
                .iter()
                .zip(found)
                .map(|((tested, report), i)| {
                    i.map(|i| {
                        let c = &mut list[i];
                        // Recorded only for the values it signed with (for OAuth 2.0 the Certificate ID too).
                        if c.signed_with(Slot::Active) != tested.signed_with(Slot::Active) {
                            return Recorded::Changed(c.clone());
                        }
                        apply_test::<S>(c, report);
                        c.touch();
                        Recorded::Saved(c.clone())
                    })
                })
                .collect()
        })?)
    }

    pub fn set_token_name(&self, id: &str, name: Option<&str>) -> Result<Connection, ConnectionError> {
        let name = name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        let c = self.get(id)?;
        method::require_tba_values::<S>(c.kind(), || {
            format!(
                "\"{}\" is an OAuth 2.0 connection: it has no access token to name.",
                c.label
            )
        })?;
        if name
            .as_ref()
            .is_some_and(|n| secrets::looks_like_secret(n, &[c.fingerprints(), c.pending_fingerprints()]))
        {
            return Err(ConnectionError::bad(secrets::SECRET_LIKE));
        }
        self.set_record(id, |c| c.set_token_name(name))
    }

    pub(crate) fn set_record(
        &self,
        id: &str,
        change: impl FnOnce(&mut Connection),
    ) -> Result<Connection, ConnectionError> {
        let updated = self.store.update(|list| {
            list.iter_mut().find(|c| c.id == id).map(|c| {
                change(c);
                c.touch();
                c.clone()
            })
        })?;
        updated.ok_or_else(|| ConnectionError::bad(GONE))
    }
}

/// What is said of a connection removed (by another window or command) while it was worked on.
pub(crate) const GONE: &str = "That connection no longer exists.";

/// What became of a test's result.
#[derive(Debug)]
pub enum Recorded {
    Saved(Connection),
    /// The connection's values changed while it was tested: the result was not kept.
    Changed(Connection),
}

/// A test's outcome on its record. Only the active values' tests are recorded: an OAuth 2.0
/// connection's are what just worked.
fn apply_test<S: SecretStore>(c: &mut Connection, report: &Report) {
    let last = LastTest {
        at: crate::keep::store::now_rfc3339(),
        outcome: report.outcome,
        http_status: report.http_status,
        error_code: report.error_code.clone(),
    };
    if report.outcome == crate::Outcome::Success {
        c.last_success_at = Some(last.at.clone());
        method::of::<S>(c.kind()).passed(c, &last.at);
    }
    c.last_test = Some(last);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keep::vault::MemoryStore;

    fn set(values: [&str; 4]) -> SecretSet {
        let mut s = SecretSet::default();
        for (f, v) in Field::ALL.into_iter().zip(values) {
            s.set(f, SecretString::from(v));
        }
        s
    }

    fn connections(name: &str) -> Connections<MemoryStore> {
        let dir = std::env::temp_dir().join(format!("tba-conns-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Connections::new(ConnectionStore::new(dir), Vault::new(MemoryStore::default()))
    }

    /// An OAuth 2.0 connection's record has no place for TBA values or a token name: the calls that keep
    /// them say so instead of writing into nothing, and nothing reaches the keyring.
    #[test]
    fn an_oauth2_connection_refuses_tba_values_and_a_token_name() {
        let conns = connections("oauth2-refuses-tba");
        let account = Account::parse("1234567_SB1").unwrap();
        let c = conns
            .m2m_begin("Key", &account, Profile::parse("own_m2m").unwrap())
            .unwrap();
        let e = conns
            .capture(&c.id, Slot::Active, Field::TokenId, &"a".repeat(64))
            .unwrap_err();
        assert!(e.to_string().contains("OAuth 2.0 connection"), "{e}");
        let e = conns.set_token_name(&c.id, Some("Token 2026")).unwrap_err();
        assert!(e.to_string().contains("no access token"), "{e}");
        assert!(conns
            .vault
            .read::<SecretSet>(&c.id, Slot::Active)
            .unwrap()
            .present()
            .is_empty());
        assert_eq!(conns.get(&c.id).unwrap(), c, "the record is unchanged");
    }

    #[test]
    fn a_list_reads_no_item_on_its_own_and_still_syncs_each_connection() {
        use crate::keep::vault::tests::CountingStore;
        let dir = std::env::temp_dir().join(format!("tba-conns-list-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = CountingStore::default();
        let conns = Connections::new(ConnectionStore::new(dir), Vault::new(store.clone()));
        let account = Account::parse("1234567_SB1").unwrap();
        let mut ids = Vec::new();
        for i in 0..30 {
            let values = set(["ck", "cs", &format!("t{i}"), &format!("s{i}")]);
            let (c, _) = conns
                .add(
                    &format!("shop {i}"),
                    &account,
                    Profile::parse("own").unwrap(),
                    None,
                    &values,
                )
                .unwrap_or_else(|e| panic!("{e}"));
            ids.push(c.id);
        }
        // Another process replaced the first connection's token in the keyring behind the record's back.
        store
            .inner
            .set(
                &format!("connection:{}", ids[0]),
                &set(["ck", "cs", "t-new", "s-new"]).to_json(),
            )
            .unwrap();
        let before = *store.gets.lock().unwrap();
        let list = conns.list_synced().unwrap();
        assert_eq!(
            *store.gets.lock().unwrap(),
            before,
            "every item came from the one search"
        );
        assert_eq!(list.len(), 30);
        let first = list.iter().find(|c| c.id == ids[0]).unwrap();
        assert_eq!(
            *first.fingerprints(),
            set(["ck", "cs", "t-new", "s-new"]).fingerprints(),
            "the record follows the keyring"
        );
    }

    /// `test --all` from cron lists a connection, the window puts new values in use while the test is
    /// on the wire, then the result comes back: it is about the old values, so it is not recorded as the
    /// new ones' (which would say they worked), and nothing of the promotion is lost.
    #[test]
    fn a_result_about_values_replaced_meanwhile_is_not_recorded() {
        let c = connections("race");
        let account = Account::parse("1234567_SB1").unwrap();
        let profile = Profile::parse("own").unwrap();
        c.add("Shop", &account, profile, None, &set(["ck", "cs", "t1", "s1"]))
            .unwrap();
        let listed = c.list_synced().unwrap().remove(0);
        let mut new_token = SecretSet::default();
        new_token.set(Field::TokenId, SecretString::from("t2"));
        new_token.set(Field::TokenSecret, SecretString::from("s2"));
        c.stage("Shop", &new_token).unwrap();
        let promoted = c.promote("Shop").unwrap();
        let passed = Report {
            outcome: crate::Outcome::Success,
            summary: "It works.".into(),
            proven: vec![],
            warnings: vec![],
            causes: vec![],
            http_status: Some(200),
            error_code: None,
            error_detail: None,
            network: None,
            clock: None,
            attempts: 1,
            elapsed_ms: 1,
            audit_trail: None,
        };
        match c.record_tests(&[(&listed, &passed)]).unwrap().pop().flatten() {
            Some(Recorded::Changed(now)) => assert_eq!(now.fingerprints(), promoted.fingerprints()),
            other => panic!("{other:?}"),
        }
        let now = c.get("Shop").unwrap();
        assert_eq!(now.fingerprints(), promoted.fingerprints(), "the promotion stays");
        assert!(
            now.last_test.is_none() && now.last_success_at.is_none(),
            "no result for values not tested"
        );
        // The same result about the values in use is recorded.
        let saved = c.record_test(&now, &passed).unwrap();
        assert!(saved.last_success_at.is_some());
    }

    #[test]
    fn add_stage_promote_remove() {
        let c = connections("flow");
        let account = Account::parse("1234567").unwrap();
        let (conn, warnings) = c
            .add(
                "Shop",
                &account,
                Profile::parse("aftership").unwrap(),
                Some("tok"),
                &set([" \"ck\" ", "cs", "t1", "s1"]),
            )
            .unwrap();
        assert_eq!(warnings.len(), 4, "short values are flagged: {warnings:?}");
        assert_eq!(
            c.vault.credentials(&conn.id).unwrap().consumer_key.expose_secret(),
            "ck"
        );
        assert!(matches!(
            c.add(
                "shop",
                &account,
                Profile::parse("own").unwrap(),
                None,
                &set(["a", "b", "c", "d"])
            ),
            Err(ConnectionError::BadInput(_))
        ));
        assert!(matches!(
            c.add(
                "Dup",
                &account,
                Profile::parse("own").unwrap(),
                None,
                &set(["a", "a", "c", "d"])
            ),
            Err(ConnectionError::BadInput(_))
        ));

        let mut new_token = SecretSet::default();
        new_token.set(Field::TokenId, SecretString::from("t2"));
        new_token.set(Field::TokenSecret, SecretString::from("s2"));
        let (staged, _) = c.stage("Shop", &new_token).unwrap();
        assert!(staged.pending_fingerprints().token_id.is_some());
        let promoted = c.promote("Shop").unwrap();
        assert!(promoted.pending_fingerprints().is_empty());
        assert_ne!(promoted.fingerprints().token_id, conn.fingerprints().token_id);
        assert_eq!(promoted.fingerprints().consumer_key, conn.fingerprints().consumer_key);
        c.remove("shop").unwrap();
        assert!(c.store.load().unwrap().is_empty());
        assert_eq!(c.vault.credentials(&conn.id).unwrap_err(), VaultError::Missing);
    }

    #[test]
    fn capture_one_value_at_a_time() {
        let c = connections("capture");
        let account = Account::parse("1234567_SB1").unwrap();
        let (conn, _) = c
            .add(
                "Partial",
                &account,
                Profile::parse("own").unwrap(),
                None,
                &SecretSet::default(),
            )
            .unwrap();
        c.capture(&conn.id, Slot::Active, Field::ConsumerKey, "ck-value")
            .unwrap();
        let err = c
            .capture(&conn.id, Slot::Active, Field::TokenId, "ck-value")
            .unwrap_err();
        assert!(err.to_string().contains("Consumer Key"), "{err}");
        let (conn, _, _) = c
            .capture(&conn.id, Slot::Active, Field::ConsumerSecret, "cs-value")
            .unwrap();
        assert!(conn.fingerprints().consumer_secret.is_some() && conn.fingerprints().token_id.is_none());
    }
}
