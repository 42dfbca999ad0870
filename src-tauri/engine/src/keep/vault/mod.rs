//! The credential vault: each saved connection's secrets in the operating system's keyring.
//!
//! One keyring item per connection holds all four values as one JSON object, so they change in one
//! write. A second, "pending" item per connection holds values being rotated in. Promotion writes the
//! merged set over the active item (the keyring replaces an item in one step) and only then removes the
//! pending item, so a crash at any point leaves either the old set or the new one complete and active.
//! There is no fallback to a file: if the keyring cannot be used, the user is told why.
//!
//! An OAuth 2.0 client credentials connection keeps its private key and Client ID the same way, in the
//! same three slots: the vault is written once over the kind of values an item holds (`Item`, in
//! `item.rs`: `SecretSet` or `M2mSecrets`), and a caller names the kind it reads (`read::<M2mSecrets>`).
//! `keyring.rs` is the operating system's keyring, `memory.rs` the store of unit tests.

use crate::keep::secrets::{Field, Fingerprints, M2mFingerprints, M2mSecrets, SecretSet};
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zeroize::Zeroizing;

mod file;
mod item;
mod keyring;
mod memory;

pub use file::{FileStore, SystemStore};
pub use item::Item;
use item::{any_kind_held, missing_list, parse_item};
pub use keyring::{KeyringStore, DEFAULT_KEYRING_TIMEOUT};
pub use memory::MemoryStore;

const SERVICE: &str = "tba-wizard";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Active,
    Pending,
    /// The set a rotation replaced, kept only until the rotation ends so the user can prove NetSuite now
    /// refuses the old token.
    Retired,
}

/// Why the keyring could not be used. Messages say what to do and never contain a secret (keyring
/// errors can carry the stored bytes, so they are never formatted wholesale).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("The system keyring cannot be reached: there is no D-Bus session bus. Run tba-wizard from your desktop session (or start one with dbus-run-session). Secrets are never put in a file unless you ask: on a server with no desktop, see the README's \"On a server\" (TBA_WIZARD_STORE=file).")]
    NoSessionBus,
    #[error("No keyring service is running (the Secret Service: GNOME Keyring, KWallet or KeePassXC). Start one, or log in to a desktop that provides it, then try again. Secrets are never put in a file unless you ask: on a server with no desktop, see the README's \"On a server\" (TBA_WIZARD_STORE=file).")]
    NoSecretService,
    #[error("The keyring is locked. Unlock it (for GNOME: open Passwords and Keys and unlock the Login keyring), then try again.")]
    Locked,
    #[error("Access to the keyring was denied. Allow tba-wizard to use it when your system asks, then try again.")]
    AccessDenied,
    #[error("The keyring did not answer within {0} seconds; it may be waiting for you to unlock it in a dialog. Unlock it, then try again.")]
    Timeout(u64),
    #[error("No secrets are saved for this connection. Capture them again from NetSuite (or remove the connection and set it up anew).")]
    Missing,
    #[error("The secrets saved for this connection are incomplete: {0} still missing. Capture them from NetSuite to finish.")]
    Incomplete(String),
    #[error("The keyring's entry for this connection is damaged. Remove the connection and set it up anew.")]
    Damaged,
    #[error(
        "The keyring did not confirm that the new values were saved, so the ones in use are unchanged. Try again."
    )]
    Unconfirmed,
    #[error("The values waiting in the keyring are not the ones that were tested. Run the test again.")]
    NotTested,
    #[error("The keyring failed: {0}. Try again; if it keeps failing, restart your keyring service.")]
    Platform(String),
    /// The secrets file of `TBA_WIZARD_STORE=file` (`file.rs`): its own words, with what to do.
    #[error("{0}")]
    File(String),
}

/// Where secrets go: the real keyring, or memory in unit tests.
pub trait SecretStore: Send + Sync + 'static {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError>;
    fn set(&self, name: &str, value: &str) -> Result<(), VaultError>;
    fn delete(&self, name: &str) -> Result<(), VaultError>;
    /// Every item the app keeps, by name, found by one search of the store. `None` where the store
    /// cannot list its items: its items are then read one at a time.
    fn get_all(&self) -> Result<Option<Items>, VaultError> {
        Ok(None)
    }
}

/// Keyring items by name, as one search found them.
pub type Items = HashMap<String, Zeroizing<String>>;

/// Points where a test may stop the process during a promotion, to prove it is crash-safe.
/// Set `TBA_WIZARD_FAIL_POINT` to one of these names to abort the process there (debug builds only).
pub const FAIL_POINTS: [&str; 3] = ["promote.before_write", "promote.after_write", "promote.after_delete"];

/// The same for a certificate renewal (`flow/renew`), between its steps.
pub const RENEW_FAIL_POINTS: [&str; 5] = [
    "renew.after_stage",
    "renew.after_upload",
    "renew.after_keep",
    "renew.after_switch",
    "renew.after_revoke",
];

/// Only debug builds (which the tests use) have fail points: in a release binary an environment variable
/// must not be able to stop a promotion half-way, so there the body, and the variable's name with it,
/// is compiled out.
#[cfg_attr(not(debug_assertions), allow(unused_variables))]
pub(crate) fn fail_point(name: &str) {
    #[cfg(debug_assertions)]
    {
        // Or named in a file, for a window whose environment is set once for all its launches: the
        // test writes the file before the click that should crash, and removes it before reopening.
        let from_file = std::env::var_os("TBA_WIZARD_FAIL_POINT_FILE")
            .and_then(|f| std::fs::read_to_string(f).ok())
            .map(|t| t.trim().to_string());
        if std::env::var("TBA_WIZARD_FAIL_POINT").as_deref() == Ok(name) || from_file.as_deref() == Some(name) {
            eprintln!("tba-wizard: stopping at fail point {name}");
            std::process::abort();
        }
    }
}

pub struct Vault<S: SecretStore> {
    store: S,
    /// While a `Batch` is open: every item, read by one search, and kept in step with this vault's
    /// writes. Never kept beyond the batch: another process may change the keyring at any time.
    batch: Mutex<Option<Items>>,
}

/// Reads of the vault answered from one search of the keyring, until this is dropped (see
/// `Vault::batch`).
#[must_use = "the batch ends when this is dropped"]
pub struct Batch<'a, S: SecretStore> {
    vault: &'a Vault<S>,
    outermost: bool,
}

impl<S: SecretStore> Drop for Batch<'_, S> {
    fn drop(&mut self) {
        if self.outermost {
            *self.vault.cached() = None;
        }
    }
}

impl<S: SecretStore> Vault<S> {
    /// A second vault on the same store, with no batch of its own: for work that runs beside this one's
    /// owner (the window's renewal, off the wizard's lock).
    pub fn handle(&self) -> Self
    where
        S: Clone,
    {
        Vault::new(self.store.clone())
    }

    pub fn new(store: S) -> Self {
        Vault {
            store,
            batch: Mutex::new(None),
        }
    }

    /// Reads every item of the app in one search and answers reads from it until the returned guard is
    /// dropped: listing hundreds of connections is one keyring call, not several per connection. Writes
    /// still go to the keyring, and the batch follows them. A store that cannot list its items is read
    /// one item at a time as before. Batches nest; the outermost one ends it.
    pub fn batch(&self) -> Result<Batch<'_, S>, VaultError> {
        if self.cached().is_some() {
            return Ok(Batch {
                vault: self,
                outermost: false,
            });
        }
        let items = self.store.get_all()?;
        let outermost = items.is_some();
        *self.cached() = items;
        Ok(Batch { vault: self, outermost })
    }

    /// The store under this vault (to name it; its items are read through the vault).
    pub fn backend(&self) -> &S {
        &self.store
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, Option<Items>> {
        self.batch.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
        if let Some(items) = self.cached().as_ref() {
            return Ok(items.get(name).cloned());
        }
        self.store.get(name)
    }

    fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
        let written = self.store.set(name, value);
        let mut cached = self.cached();
        if let Some(items) = cached.as_mut() {
            match &written {
                Ok(()) => {
                    items.insert(name.to_string(), Zeroizing::new(value.to_string()));
                }
                // A write that failed or timed out may still land: the batch no longer knows the item.
                Err(_) => *cached = None,
            }
        }
        written
    }

    fn delete(&self, name: &str) -> Result<(), VaultError> {
        let deleted = self.store.delete(name);
        let mut cached = self.cached();
        if let Some(items) = cached.as_mut() {
            match &deleted {
                Ok(()) => {
                    items.remove(name);
                }
                Err(_) => *cached = None,
            }
        }
        deleted
    }

    fn item_name(connection_id: &str, slot: Slot) -> String {
        match slot {
            Slot::Active => format!("connection:{connection_id}"),
            Slot::Pending => format!("connection:{connection_id}:pending"),
            Slot::Retired => format!("connection:{connection_id}:retired"),
        }
    }

    fn read_item<T: Item>(&self, connection_id: &str, slot: Slot) -> Result<T, VaultError> {
        parse_item(self.get(&Self::item_name(connection_id, slot))?)
    }

    fn write_item<T: Item>(&self, connection_id: &str, slot: Slot, item: &T) -> Result<(), VaultError> {
        self.set(&Self::item_name(connection_id, slot), &item.to_json())
    }

    /// What one slot holds (empty if nothing is kept there), as the kind `I` the caller names.
    pub fn read<I: Item>(&self, connection_id: &str, slot: Slot) -> Result<I, VaultError> {
        self.read_item(connection_id, slot)
    }

    /// Keeps what `values` holds in `slot`, over what the slot held: each value is kept the moment it
    /// arrives (a pasted secret, a key made in the keyring), the others already there stay.
    pub fn store<I: Item>(&self, connection_id: &str, slot: Slot, values: &I) -> Result<I::Fingerprints, VaultError> {
        let merged = self.read::<I>(connection_id, slot)?.overlay(values);
        self.write_item(connection_id, slot, &merged)?;
        Ok(merged.fingerprints())
    }

    /// Saves a whole set (or part of one) in one write, replacing what the slot held.
    pub fn replace<I: Item>(&self, connection_id: &str, slot: Slot, values: &I) -> Result<I::Fingerprints, VaultError> {
        self.write_item(connection_id, slot, values)?;
        Ok(values.fingerprints())
    }

    /// A slot's values as a signer sees them: for `Slot::Pending` the staged values over the active ones
    /// (a rotation stages some values, the others stay).
    pub fn read_merged<I: Item>(&self, connection_id: &str, slot: Slot) -> Result<I, VaultError> {
        match slot {
            Slot::Pending => Ok(self
                .read::<I>(connection_id, Slot::Active)?
                .overlay(&self.read::<I>(connection_id, Slot::Pending)?)),
            slot => self.read(connection_id, slot),
        }
    }

    /// `read_merged`, refused unless it holds everything signing needs.
    pub fn signing<I: Item>(&self, connection_id: &str, slot: Slot) -> Result<I, VaultError> {
        let values = self.read_merged::<I>(connection_id, slot)?;
        if values.is_empty() {
            return Err(VaultError::Missing);
        }
        values.complete()?;
        Ok(values)
    }

    /// Saves one TBA value the moment it arrives; the others already saved in that slot are kept.
    pub fn store_value(
        &self,
        connection_id: &str,
        slot: Slot,
        field: Field,
        value: SecretString,
    ) -> Result<Fingerprints, VaultError> {
        let mut one = SecretSet::default();
        one.set(field, value);
        self.store(connection_id, slot, &one)
    }

    /// The complete TBA credentials in one slot (pending: over the active ones), for signing.
    pub fn credentials_in(&self, connection_id: &str, slot: Slot) -> Result<crate::Credentials, VaultError> {
        let set = self.signing::<SecretSet>(connection_id, slot)?;
        set.to_credentials()
            .ok_or_else(|| VaultError::Incomplete(missing_list(&set)))
    }

    /// The complete active TBA credentials, for signing.
    pub fn credentials(&self, connection_id: &str) -> Result<crate::Credentials, VaultError> {
        self.credentials_in(connection_id, Slot::Active)
    }

    /// Keeps a copy of the active values before a replacement takes their place, so the old ones can
    /// be shown refused once revoked.
    pub fn retire_active<I: Item>(&self, connection_id: &str) -> Result<(), VaultError> {
        let active: I = self.read_item(connection_id, Slot::Active)?;
        if active.is_empty() {
            return Err(VaultError::Missing);
        }
        self.write_item(connection_id, Slot::Retired, &active)
    }

    /// Whether a copy of replaced values (of any kind) is kept in the retired slot.
    pub fn holds_retired(&self, connection_id: &str) -> bool {
        let held = self.get(&Self::item_name(connection_id, Slot::Retired));
        held.is_ok_and(|text| text.is_some_and(|t| any_kind_held(&t)))
    }

    pub fn forget_retired(&self, connection_id: &str) -> Result<(), VaultError> {
        self.delete(&Self::item_name(connection_id, Slot::Retired))
    }

    /// Makes the pending values active: one write of the merged values, then the pending item removed.
    /// Refused unless the pending values are the ones that were tested (`tested`, their fingerprints)
    /// and the result holds what `required` names (for a TBA set the connector's profile says which: a
    /// Celigo connection holds the token pair only), so the active item is never left unusable. The
    /// write is confirmed by reading the active item back: a write the keyring answered late (or not at
    /// all) is never taken for proof that the tested values are the ones in use.
    pub fn promote_tested<I: Item>(
        &self,
        connection_id: &str,
        required: &I::Required,
        tested: Option<&I::Fingerprints>,
    ) -> Result<I::Fingerprints, VaultError> {
        let pending: I = self.read(connection_id, Slot::Pending)?;
        if pending.is_empty() {
            return Err(VaultError::Missing);
        }
        pending.promotable(tested)?;
        let merged = self.read::<I>(connection_id, Slot::Active)?.overlay(&pending);
        merged.holds(required)?;
        self.write_promoted(connection_id, &merged)?;
        Ok(merged.fingerprints())
    }

    /// Moves a connection to values of another kind (TBA's `F` to OAuth 2.0's `T`): the active values are
    /// kept in the retired slot, then the pending ones become active in one confirmed write, and only
    /// then is the pending item removed. A crash before the write leaves the old values active (and a
    /// copy retired, written again on the next try); after it, `T` values active, found by the caller's
    /// sync.
    pub fn switch<F: Item, T: Item>(&self, connection_id: &str) -> Result<T::Fingerprints, VaultError> {
        let pending: T = self.read(connection_id, Slot::Pending)?;
        if pending.is_empty() {
            return Err(VaultError::Missing);
        }
        pending.complete()?;
        let active: F = self.read(connection_id, Slot::Active)?;
        if !active.is_empty() {
            self.write_item(connection_id, Slot::Retired, &active)?;
        }
        self.write_promoted(connection_id, &pending)?;
        Ok(pending.fingerprints())
    }

    /// The crash-safe end of a promotion: one write of the merged item over the active one, confirmed by
    /// reading it back, and only then the pending item removed.
    fn write_promoted<T: Item>(&self, connection_id: &str, merged: &T) -> Result<(), VaultError> {
        fail_point("promote.before_write");
        let written = self.write_item(connection_id, Slot::Active, merged);
        // Read back whatever the write's answer: after a timeout the write may still have happened, and
        // the read, queued behind it, says which. Only the values themselves count as confirmation.
        // From the keyring itself, never from a batch: only the keyring's answer proves the write.
        let back = self
            .store
            .get(&Self::item_name(connection_id, Slot::Active))
            .and_then(parse_item::<T>);
        match back {
            Ok(back) if back.same_values(merged) => {}
            Ok(_) => return Err(written.err().unwrap_or(VaultError::Unconfirmed)),
            Err(e) => return Err(written.err().unwrap_or(e)),
        }
        fail_point("promote.after_write");
        self.delete(&Self::item_name(connection_id, Slot::Pending))?;
        fail_point("promote.after_delete");
        Ok(())
    }

    /// Finishes a promotion cut short after its write: a pending item already contained in the active
    /// one is removed. A pending item that differs is a replacement still under way and is left alone.
    pub fn recover<I: Item>(&self, connection_id: &str) -> Result<bool, VaultError> {
        let pending: I = self.read_item(connection_id, Slot::Pending)?;
        if pending.is_empty() {
            return Ok(false);
        }
        let active: I = self.read_item(connection_id, Slot::Active)?;
        if active.overlay(&pending).same_values(&active) {
            self.delete(&Self::item_name(connection_id, Slot::Pending))?;
            return Ok(true);
        }
        Ok(false)
    }

    pub fn discard(&self, connection_id: &str) -> Result<(), VaultError> {
        self.delete(&Self::item_name(connection_id, Slot::Pending))
    }

    /// Removes every item of a connection.
    pub fn remove(&self, connection_id: &str) -> Result<(), VaultError> {
        self.delete(&Self::item_name(connection_id, Slot::Retired))?;
        self.delete(&Self::item_name(connection_id, Slot::Pending))?;
        self.delete(&Self::item_name(connection_id, Slot::Active))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn s(v: &str) -> SecretString {
        SecretString::from(v)
    }

    #[test]
    fn partial_capture_then_rotation() {
        let vault = Vault::new(MemoryStore::default());
        vault
            .store_value("c1", Slot::Active, Field::ConsumerKey, s("ck"))
            .unwrap();
        vault
            .store_value("c1", Slot::Active, Field::ConsumerSecret, s("cs"))
            .unwrap();
        assert_eq!(
            vault.credentials("c1").unwrap_err(),
            VaultError::Incomplete("Token ID, Token Secret".into())
        );
        vault.store_value("c1", Slot::Active, Field::TokenId, s("t1")).unwrap();
        let fp = vault
            .store_value("c1", Slot::Active, Field::TokenSecret, s("s1"))
            .unwrap();
        assert!(fp.token_secret.is_some());
        assert_eq!(vault.credentials("c1").unwrap().token_id.expose_secret(), "t1");

        vault.store_value("c1", Slot::Pending, Field::TokenId, s("t2")).unwrap();
        assert!(
            matches!(
                vault.promote_tested::<SecretSet>("c1", &Field::ALL, None),
                Err(VaultError::Incomplete(_))
            ),
            "half a token is not promoted"
        );
        assert_eq!(vault.credentials("c1").unwrap().token_id.expose_secret(), "t1");
        vault
            .store_value("c1", Slot::Pending, Field::TokenSecret, s("s2"))
            .unwrap();
        assert_eq!(
            vault
                .credentials_in("c1", Slot::Pending)
                .unwrap()
                .token_secret
                .expose_secret(),
            "s2"
        );
        vault.promote_tested::<SecretSet>("c1", &Field::ALL, None).unwrap();
        let c = vault.credentials("c1").unwrap();
        assert_eq!(
            (c.consumer_key.expose_secret(), c.token_id.expose_secret()),
            ("ck", "t2")
        );
        assert!(vault.read::<SecretSet>("c1", Slot::Pending).unwrap().is_empty());

        vault.store_value("c1", Slot::Pending, Field::TokenId, s("t3")).unwrap();
        vault.discard("c1").unwrap();
        assert_eq!(vault.credentials("c1").unwrap().token_id.expose_secret(), "t2");
        vault.remove("c1").unwrap();
        assert_eq!(vault.credentials("c1").unwrap_err(), VaultError::Missing);
    }

    #[test]
    fn a_token_pair_only_connection_promotes_its_token_pair() {
        let vault = Vault::new(MemoryStore::default());
        let pair = [Field::TokenId, Field::TokenSecret];
        let mut set = SecretSet::default();
        set.set(Field::TokenId, s("t1"));
        set.set(Field::TokenSecret, s("s1"));
        vault.replace("c", Slot::Active, &set).unwrap();
        vault.store_value("c", Slot::Pending, Field::TokenId, s("t2")).unwrap();
        assert!(matches!(
            vault.promote_tested::<SecretSet>("c", &pair, None),
            Err(VaultError::Incomplete(_))
        ));
        vault
            .store_value("c", Slot::Pending, Field::TokenSecret, s("s2"))
            .unwrap();
        assert!(
            matches!(vault.promote_tested::<SecretSet>("c", &Field::ALL, None), Err(VaultError::Incomplete(m)) if m.contains("Consumer Key")),
            "a profile that needs all four is still refused"
        );
        let fp = vault.promote_tested::<SecretSet>("c", &pair, None).unwrap();
        assert!(fp.consumer_key.is_none() && fp.token_id.is_some());
        assert_eq!(
            vault
                .read::<SecretSet>("c", Slot::Active)
                .unwrap()
                .get(Field::TokenId)
                .unwrap()
                .expose_secret(),
            "t2"
        );
    }

    /// A keyring that answers writes of the active item late: `lands` says whether the write happens.
    #[derive(Default, Clone)]
    struct LateStore {
        inner: MemoryStore,
        lands: bool,
    }

    impl SecretStore for LateStore {
        fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
            self.inner.get(name)
        }
        fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
            if name.ends_with(":pending") || name.ends_with(":retired") || self.inner.get(name)?.is_none() {
                return self.inner.set(name, value);
            }
            if self.lands {
                self.inner.set(name, value)?;
            }
            Err(VaultError::Timeout(10))
        }
        fn delete(&self, name: &str) -> Result<(), VaultError> {
            self.inner.delete(name)
        }
    }

    fn rotation_staged<S: SecretStore>(vault: &Vault<S>) -> Fingerprints {
        let mut full = SecretSet::default();
        for (f, v) in Field::ALL.into_iter().zip(["ck", "cs", "t1", "s1"]) {
            full.set(f, s(v));
        }
        vault.replace("c", Slot::Active, &full).unwrap();
        let mut pending = SecretSet::default();
        pending.set(Field::TokenId, s("t2"));
        pending.set(Field::TokenSecret, s("s2"));
        vault.replace("c", Slot::Pending, &pending).unwrap()
    }

    /// A listing store that counts the items read one at a time, and can be told to fail writes.
    #[derive(Default, Clone)]
    pub(crate) struct CountingStore {
        pub(crate) inner: MemoryStore,
        pub(crate) gets: Arc<Mutex<usize>>,
        pub(crate) fail_writes: Arc<Mutex<bool>>,
    }

    impl SecretStore for CountingStore {
        fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
            *self.gets.lock().unwrap() += 1;
            self.inner.get(name)
        }
        fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
            if *self.fail_writes.lock().unwrap() {
                return Err(VaultError::Timeout(10));
            }
            self.inner.set(name, value)
        }
        fn delete(&self, name: &str) -> Result<(), VaultError> {
            self.inner.delete(name)
        }
        fn get_all(&self) -> Result<Option<Items>, VaultError> {
            self.inner.get_all()
        }
    }

    #[test]
    fn a_batch_answers_reads_from_one_search_and_follows_its_own_writes() {
        let store = CountingStore::default();
        let vault = Vault::new(store.clone());
        let gets = || *store.gets.lock().unwrap();
        for i in 0..50 {
            let mut set = SecretSet::default();
            set.set(Field::TokenId, s(&format!("t{i}")));
            vault.replace(&format!("c{i}"), Slot::Active, &set).unwrap();
        }
        let before = gets();
        {
            let _batch = vault.batch().unwrap();
            for i in 0..50 {
                let id = format!("c{i}");
                let set = vault.read::<SecretSet>(&id, Slot::Active).unwrap();
                assert_eq!(set.get(Field::TokenId).unwrap().expose_secret(), format!("t{i}"));
                assert!(vault.read::<SecretSet>(&id, Slot::Pending).unwrap().is_empty());
                assert!(!vault.holds_retired(&id));
            }
            assert_eq!(gets(), before, "no item was read on its own");
            // Writes go to the keyring and the batch sees them.
            vault
                .store_value("c1", Slot::Pending, Field::TokenId, s("new"))
                .unwrap();
            assert_eq!(
                vault
                    .read::<SecretSet>("c1", Slot::Pending)
                    .unwrap()
                    .get(Field::TokenId)
                    .unwrap()
                    .expose_secret(),
                "new"
            );
            vault.discard("c1").unwrap();
            assert!(vault.read::<SecretSet>("c1", Slot::Pending).unwrap().is_empty());
            {
                let _nested = vault.batch().unwrap();
            }
            vault.read::<SecretSet>("c2", Slot::Active).unwrap();
            assert_eq!(gets(), before, "a nested batch leaves the outer one in place");
            // A write that may or may not have landed: the batch no longer answers for the keyring.
            *store.fail_writes.lock().unwrap() = true;
            assert!(vault.store_value("c3", Slot::Pending, Field::TokenId, s("x")).is_err());
            *store.fail_writes.lock().unwrap() = false;
            vault.read::<SecretSet>("c3", Slot::Pending).unwrap();
            assert_eq!(gets(), before + 1, "read from the keyring itself after a failed write");
        }
        let before = gets();
        // Another process changes the keyring: reads after the batch see it.
        store.inner.set("connection:c4", r#"{"token_id":"changed"}"#).unwrap();
        assert_eq!(
            vault
                .read::<SecretSet>("c4", Slot::Active)
                .unwrap()
                .get(Field::TokenId)
                .unwrap()
                .expose_secret(),
            "changed"
        );
        assert_eq!(gets(), before + 1);
    }

    #[test]
    fn a_timed_out_promotion_is_decided_by_reading_back() {
        let lost = Vault::new(LateStore::default());
        let tested = rotation_staged(&lost);
        assert_eq!(
            lost.promote_tested::<SecretSet>("c", &Field::ALL, Some(&tested)),
            Err(VaultError::Timeout(10))
        );
        assert_eq!(lost.credentials("c").unwrap().token_id.expose_secret(), "t1");
        assert!(
            !lost.read::<SecretSet>("c", Slot::Pending).unwrap().is_empty(),
            "still staged for a retry"
        );

        let late = Vault::new(LateStore {
            lands: true,
            ..Default::default()
        });
        let tested = rotation_staged(&late);
        let fp = late
            .promote_tested::<SecretSet>("c", &Field::ALL, Some(&tested))
            .unwrap();
        assert_eq!(fp.token_id, tested.token_id, "the read-back proves the write landed");
        assert!(late.read::<SecretSet>("c", Slot::Pending).unwrap().is_empty());
    }

    #[test]
    fn only_the_tested_values_are_promoted() {
        let vault = Vault::new(MemoryStore::default());
        let tested = rotation_staged(&vault);
        // A value that reached the pending item after the test (a late write of an earlier paste).
        vault
            .store_value("c", Slot::Pending, Field::TokenSecret, s("s3"))
            .unwrap();
        assert_eq!(
            vault.promote_tested::<SecretSet>("c", &Field::ALL, Some(&tested)),
            Err(VaultError::NotTested)
        );
        assert_eq!(vault.credentials("c").unwrap().token_secret.expose_secret(), "s1");
    }

    #[test]
    fn recovery_after_a_cut_short_promotion() {
        let vault = Vault::new(MemoryStore::default());
        let mut full = SecretSet::default();
        for (f, v) in Field::ALL.into_iter().zip(["ck", "cs", "t1", "s1"]) {
            full.set(f, s(v));
        }
        vault.replace("c", Slot::Active, &full).unwrap();
        let mut pending = SecretSet::default();
        pending.set(Field::TokenId, s("t2"));
        pending.set(Field::TokenSecret, s("s2"));
        vault.replace("c", Slot::Pending, &pending).unwrap();
        assert!(
            !vault.recover::<SecretSet>("c").unwrap(),
            "a rotation under way is kept"
        );
        // Simulate a crash right after the active write.
        vault.replace("c", Slot::Active, &full.overlay(&pending)).unwrap();
        assert!(vault.recover::<SecretSet>("c").unwrap());
        assert!(vault.read::<SecretSet>("c", Slot::Pending).unwrap().is_empty());
        assert_eq!(vault.credentials("c").unwrap().token_id.expose_secret(), "t2");
    }

    fn m2m(key: Option<&crate::netsuite::oauth2::PrivateKey>, client_id: Option<&str>) -> M2mSecrets {
        let mut m = M2mSecrets::default();
        if let Some(k) = key {
            m.set_private_key(k).unwrap();
        }
        if let Some(c) = client_id {
            m.set_client_id(s(c));
        }
        m
    }

    #[test]
    fn an_m2m_key_is_kept_staged_promoted_and_retired_like_tba_secrets() {
        use crate::netsuite::oauth2::{KeyKind, PrivateKey};
        let vault = Vault::new(MemoryStore::default());
        let old = PrivateKey::generate(KeyKind::P256).unwrap();
        // The key is kept the moment it is made, the Client ID when it is pasted.
        vault
            .store::<M2mSecrets>("m", Slot::Active, &m2m(Some(&old), None))
            .unwrap();
        assert_eq!(
            vault.signing::<M2mSecrets>("m", Slot::Active).unwrap_err(),
            VaultError::Incomplete("the Client ID".into())
        );
        vault
            .store::<M2mSecrets>("m", Slot::Active, &m2m(None, Some("client-1")))
            .unwrap();
        let active = vault.signing::<M2mSecrets>("m", Slot::Active).unwrap();
        assert_eq!(
            active.private_key().unwrap().unwrap().public_key_der(),
            old.public_key_der()
        );
        assert!(
            vault.read::<SecretSet>("m", Slot::Active).is_err(),
            "an M2M item is not read as a TBA set"
        );

        // A certificate replacement: a new key in the pending slot, the old one working meanwhile.
        let new = PrivateKey::generate(KeyKind::P384).unwrap();
        let tested = vault
            .store::<M2mSecrets>("m", Slot::Pending, &m2m(Some(&new), None))
            .unwrap();
        let staged = vault.signing::<M2mSecrets>("m", Slot::Pending).unwrap();
        assert_eq!(staged.client_id().unwrap().expose_secret(), "client-1");
        assert_eq!(staged.private_key().unwrap().unwrap().kind(), KeyKind::P384);
        assert_eq!(
            vault.signing::<M2mSecrets>("m", Slot::Active).unwrap().fingerprints(),
            active.fingerprints()
        );

        // A key that reached the slot after the test is not promoted.
        let later = PrivateKey::generate(KeyKind::P256).unwrap();
        vault
            .store::<M2mSecrets>("m", Slot::Pending, &m2m(Some(&later), None))
            .unwrap();
        assert_eq!(
            vault.promote_tested::<M2mSecrets>("m", &(), Some(&tested)),
            Err(VaultError::NotTested)
        );
        let tested = vault
            .store::<M2mSecrets>("m", Slot::Pending, &m2m(Some(&new), None))
            .unwrap();

        vault.retire_active::<M2mSecrets>("m").unwrap();
        let fp = vault.promote_tested::<M2mSecrets>("m", &(), Some(&tested)).unwrap();
        assert_eq!(fp.private_key, tested.private_key);
        assert!(vault.read::<M2mSecrets>("m", Slot::Pending).unwrap().is_empty());
        let now = vault.signing::<M2mSecrets>("m", Slot::Active).unwrap();
        assert_eq!(
            now.private_key().unwrap().unwrap().public_key_der(),
            new.public_key_der()
        );
        let retired = vault.signing::<M2mSecrets>("m", Slot::Retired).unwrap();
        assert_eq!(
            retired.private_key().unwrap().unwrap().public_key_der(),
            old.public_key_der()
        );
        vault.remove("m").unwrap();
        assert_eq!(
            vault.signing::<M2mSecrets>("m", Slot::Active).unwrap_err(),
            VaultError::Missing
        );
    }

    #[test]
    fn an_m2m_promotion_is_decided_by_reading_back_and_recovered_after_a_crash() {
        use crate::netsuite::oauth2::{KeyKind, PrivateKey};
        let old = PrivateKey::generate(KeyKind::P256).unwrap();
        let new = PrivateKey::generate(KeyKind::P256).unwrap();
        for lands in [false, true] {
            let vault = Vault::new(LateStore {
                lands,
                ..Default::default()
            });
            vault
                .store::<M2mSecrets>("m", Slot::Active, &m2m(Some(&old), Some("c")))
                .unwrap();
            let tested = vault
                .store::<M2mSecrets>("m", Slot::Pending, &m2m(Some(&new), None))
                .unwrap();
            let result = vault.promote_tested::<M2mSecrets>("m", &(), Some(&tested));
            let active = vault.signing::<M2mSecrets>("m", Slot::Active).unwrap();
            let key = active.private_key().unwrap().unwrap().public_key_der();
            if lands {
                assert!(result.is_ok(), "the read-back proves the write landed");
                assert_eq!(key, new.public_key_der());
            } else {
                assert_eq!(result, Err(VaultError::Timeout(10)));
                assert_eq!(key, old.public_key_der());
                assert!(
                    !vault.read::<M2mSecrets>("m", Slot::Pending).unwrap().is_empty(),
                    "still staged"
                );
            }
        }
        // A crash right after the active write: recovery removes the pending copy, and only that.
        let vault = Vault::new(MemoryStore::default());
        vault
            .store::<M2mSecrets>("m", Slot::Active, &m2m(Some(&old), Some("c")))
            .unwrap();
        vault
            .store::<M2mSecrets>("m", Slot::Pending, &m2m(Some(&new), None))
            .unwrap();
        assert!(
            !vault.recover::<M2mSecrets>("m").unwrap(),
            "a replacement under way is kept"
        );
        vault
            .store::<M2mSecrets>("m", Slot::Active, &m2m(Some(&new), None))
            .unwrap();
        assert!(vault.recover::<M2mSecrets>("m").unwrap());
        assert!(vault.read::<M2mSecrets>("m", Slot::Pending).unwrap().is_empty());
    }
}
