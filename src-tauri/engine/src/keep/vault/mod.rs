//! The credential vault: each saved connection's secrets in the operating system's keyring.
//!
//! One keyring item per connection holds all four values as one JSON object, so they change in one
//! write. A second, "pending" item per connection holds values being rotated in. Promotion writes the
//! merged set over the active item (the keyring replaces an item in one step) and only then removes the
//! pending item, so a crash at any point leaves either the old set or the new one complete and active.
//! There is no fallback to a file: if the keyring cannot be used, the user is told why.
//!
//! An OAuth 2.0 client credentials connection keeps its private key and Client ID the same way, in the
//! same three slots (`m2m_*`): one item per slot, promotion by one write read back, then the pending
//! item removed.

use crate::keep::secrets::{Field, Fingerprints, M2mFingerprints, M2mSecrets, SecretSet};
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zeroize::Zeroizing;

const SERVICE: &str = "tba-wizard";
/// A locked collection can open an unlock prompt that nobody answers; no keyring call may wait longer.
pub const DEFAULT_KEYRING_TIMEOUT: Duration = Duration::from_secs(10);

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
    #[error("The system keyring cannot be reached: there is no D-Bus session bus. Run tba-wizard from your desktop session (or start one with dbus-run-session). Secrets are never stored in a file instead.")]
    NoSessionBus,
    #[error("No keyring service is running (the Secret Service: GNOME Keyring, KWallet or KeePassXC). Start one, or log in to a desktop that provides it, then try again. Secrets are never stored in a file instead.")]
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
}

/// Where secrets go: the real keyring, or memory in unit tests.
pub trait SecretStore: Send + Sync {
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

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows). Every
/// call runs on its own thread and is abandoned after `timeout`.
#[derive(Clone)]
pub struct KeyringStore {
    timeout: Duration,
}

impl KeyringStore {
    pub fn new(timeout: Duration) -> Self {
        KeyringStore { timeout }
    }

    fn call<T: Send + 'static>(
        &self,
        name: &str,
        op: impl FnOnce(&keyring_core::Entry) -> keyring_core::Result<T> + Send + 'static,
    ) -> Result<T, VaultError> {
        let name = name.to_string();
        self.run(move || {
            platform_store()?;
            keyring_core::Entry::new(SERVICE, &name)
                .and_then(|entry| op(&entry))
                .map_err(map_keyring_error)
        })
    }

    /// Runs `op` on the keyring's thread, giving up after the timeout.
    fn run<T: Send + 'static>(
        &self,
        op: impl FnOnce() -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        let (tx, rx) = mpsc::channel();
        keyring_worker(Box::new(move || {
            let result = op();
            if matches!(
                result,
                Err(VaultError::NoSessionBus | VaultError::NoSecretService | VaultError::Platform(_))
            ) {
                // The connection to the service may be the broken part: the next call makes a new one.
                keyring_core::unset_default_store();
            }
            let _ = tx.send(result);
        }));
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(_) => Err(VaultError::Timeout(self.timeout.as_secs())),
        }
    }
}

type KeyringJob = Box<dyn FnOnce() + Send>;

/// Runs keyring calls one after another on one thread. A call the caller gave up on (timed out) still
/// runs, but always before any later call: a late write can never land over a newer one, and a read
/// after a timed-out write sees that write's outcome.
fn keyring_worker(job: KeyringJob) {
    static QUEUE: Mutex<Option<mpsc::Sender<KeyringJob>>> = Mutex::new(None);
    let mut queue = QUEUE.lock().unwrap_or_else(|p| p.into_inner());
    let job = match queue.as_ref() {
        Some(q) => match q.send(job) {
            Ok(()) => return,
            Err(mpsc::SendError(job)) => job,
        },
        None => job,
    };
    let (tx, rx) = mpsc::channel::<KeyringJob>();
    std::thread::Builder::new()
        .name("keyring".into())
        .spawn(move || {
            for job in rx {
                job();
            }
        })
        .expect("a thread can be started");
    let _ = tx.send(job);
    *queue = Some(tx);
}

/// Connects to the platform's keyring unless a connection is already set up. A failure is not kept:
/// the next call tries again, so "start your keyring, then try again" works in the open window.
fn platform_store() -> Result<(), VaultError> {
    static SETTING_UP: Mutex<()> = Mutex::new(());
    let _one_at_a_time = SETTING_UP.lock().unwrap_or_else(|p| p.into_inner());
    if keyring_core::get_default_store().is_some() {
        return Ok(());
    }
    #[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
    let store = zbus_secret_service_keyring_store::Store::new();
    #[cfg(target_os = "macos")]
    let store = apple_native_keyring_store::keychain::Store::new();
    #[cfg(target_os = "windows")]
    let store = windows_native_keyring_store::Store::new();
    match store {
        Ok(store) => {
            keyring_core::set_default_store(store);
            Ok(())
        }
        Err(e) => Err(classify_text(&init_text(&e))),
    }
}

fn map_keyring_error(e: keyring_core::Error) -> VaultError {
    use keyring_core::Error as E;
    let platform_text = |e: &(dyn std::error::Error + Send + Sync)| e.to_string().to_ascii_lowercase();
    match e {
        E::NoDefaultStore => VaultError::NoSecretService,
        E::NoStorageAccess(inner) => {
            let text = platform_text(inner.as_ref());
            if text.contains("lock") || text.contains("prompt") {
                VaultError::Locked
            } else {
                classify_text(&text)
            }
        }
        E::PlatformFailure(inner) => classify_text(&platform_text(inner.as_ref())),
        E::NoEntry => VaultError::Missing,
        E::BadEncoding(_) | E::BadDataFormat(..) | E::BadStoreFormat(_) => VaultError::Damaged,
        E::Ambiguous(_) => VaultError::Damaged,
        E::TooLong(what, _) => VaultError::Platform(format!("the {what} is too long for the keyring")),
        E::Invalid(what, _) => VaultError::Platform(format!("the keyring refused the {what}")),
        E::NotSupportedByStore(_) => VaultError::Platform("the keyring does not support this operation".into()),
        _ => VaultError::Platform("an unknown keyring error".into()),
    }
}

/// The initialisation error only describes the store, never an item's content, so its text is safe.
fn init_text(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::PlatformFailure(inner) | keyring_core::Error::NoStorageAccess(inner) => {
            inner.to_string().to_ascii_lowercase()
        }
        other => other.to_string().to_ascii_lowercase(),
    }
}

fn classify_text(text: &str) -> VaultError {
    if text.contains("autolaunch")
        || text.contains("dbus_session_bus_address")
        || text.contains("session bus")
        || text.contains("no such file or directory")
        || text.contains("connection refused")
        || text.contains("address")
    {
        VaultError::NoSessionBus
    } else if text.contains("serviceunknown")
        || text.contains("org.freedesktop.secrets")
        || text.contains("not provided by any")
        || text.contains("unavailable")
    {
        VaultError::NoSecretService
    } else if text.contains("lock") || text.contains("prompt") {
        VaultError::Locked
    } else if text.contains("denied") || text.contains("not allowed") {
        VaultError::AccessDenied
    } else {
        VaultError::Platform("the Secret Service reported an error".into())
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
        match self.call(name, |e| e.get_password().map(Zeroizing::new)) {
            Ok(v) => Ok(Some(v)),
            Err(VaultError::Missing) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
        let value = Zeroizing::new(value.to_string());
        self.call(name, move |e| e.set_password(&value))
    }

    fn delete(&self, name: &str) -> Result<(), VaultError> {
        match self.call(name, |e| e.delete_credential()) {
            Ok(()) | Err(VaultError::Missing) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// One search by the items' `service` attribute: a Secret Service lookup by name scans every item,
    /// so reading hundreds of connections one item at a time grows with the square of their number.
    /// It needs no keyring-core store: a list that writes nothing opens one encrypted session, not two.
    #[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
    fn get_all(&self) -> Result<Option<Items>, VaultError> {
        self.run(|| secret_service_items().map(Some))
    }
}

/// Every item of the app in the Secret Service, with its `username` attribute (the item's name for the
/// vault) and its value: one search, then two calls per item, all sent at once on one connection so that
/// hundreds of items cost about one round trip's wait, not hundreds. The connection and its encrypted
/// session are kept on the keyring's thread for the next batch, and dropped after any error.
#[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
fn secret_service_items() -> Result<Items, VaultError> {
    use secret_service::SecretService;
    use std::cell::RefCell;
    thread_local! {
        static SERVICE_CONNECTION: RefCell<Option<SecretService<'static>>> = const { RefCell::new(None) };
    }
    /// The items, and whether two of them share a name.
    async fn search(ss: &SecretService<'static>) -> Result<(Items, bool), secret_service::Error> {
        let found = ss.search_items(HashMap::from([("service", SERVICE)])).await?;
        if !found.locked.is_empty() {
            // As a read of one item does: the keyring asks the user to unlock.
            ss.unlock_all(&found.locked.iter().collect::<Vec<_>>()).await?;
        }
        let read = found.unlocked.iter().chain(found.locked.iter()).map(|item| async move {
            let attributes = item.get_attributes().await?;
            let secret = Zeroizing::new(item.get_secret().await?);
            Ok::<_, secret_service::Error>((attributes, secret))
        });
        let mut items = Items::new();
        let mut shared_name = false;
        for (attributes, bytes) in futures_util::future::try_join_all(read).await? {
            let (Some(service), Some(name)) = (attributes.get("service"), attributes.get("username")) else {
                continue;
            };
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue; // not an item this app wrote; a read of it by name says it is damaged
            };
            if service == SERVICE {
                shared_name |= items.insert(name.clone(), Zeroizing::new(text.to_string())).is_some();
            }
        }
        Ok((items, shared_name))
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|_| VaultError::Platform("a thread for the keyring could not be started".into()))?;
    SERVICE_CONNECTION.with(|cell| {
        let mut slot = cell.borrow_mut();
        runtime.block_on(async {
            if slot.is_none() {
                let ss = SecretService::connect(secret_service::EncryptionType::Dh)
                    .await
                    .map_err(secret_service_error)?;
                *slot = Some(ss);
            }
            match search(slot.as_ref().expect("connected above")).await {
                Ok((items, false)) => Ok(items),
                // Two items under one name, as a read by that name reports it.
                Ok((_, true)) => Err(VaultError::Damaged),
                Err(e) => {
                    *slot = None;
                    Err(secret_service_error(e))
                }
            }
        })
    })
}

/// The Secret Service client's errors describe the service, never an item's content.
#[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
fn secret_service_error(e: secret_service::Error) -> VaultError {
    use secret_service::Error as E;
    match e {
        E::Locked => VaultError::Locked,
        E::Prompt | E::PromptDisconnected => VaultError::Locked,
        E::Unavailable => VaultError::NoSecretService,
        E::Crypto(_) | E::NoResult => VaultError::Platform("the Secret Service reported an error".into()),
        other => classify_text(&other.to_string().to_ascii_lowercase()),
    }
}

/// An in-memory store for unit tests of code above the vault.
#[derive(Default, Clone)]
pub struct MemoryStore {
    items: Arc<Mutex<std::collections::HashMap<String, Zeroizing<String>>>>,
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
        Ok(self.items.lock().expect("not poisoned").get(name).cloned())
    }
    fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
        self.items
            .lock()
            .expect("not poisoned")
            .insert(name.to_string(), Zeroizing::new(value.to_string()));
        Ok(())
    }
    fn delete(&self, name: &str) -> Result<(), VaultError> {
        self.items.lock().expect("not poisoned").remove(name);
        Ok(())
    }
    fn get_all(&self) -> Result<Option<Items>, VaultError> {
        Ok(Some(self.items.lock().expect("not poisoned").clone()))
    }
}

/// Points where a test may stop the process during a promotion, to prove it is crash-safe.
/// Set `TBA_WIZARD_FAIL_POINT` to one of these names to abort the process there (debug builds only).
pub const FAIL_POINTS: [&str; 3] = ["promote.before_write", "promote.after_write", "promote.after_delete"];

/// Only debug builds (which the tests use) have fail points: in a release binary an environment variable
/// must not be able to stop a promotion half-way, so there the body, and the variable's name with it,
/// is compiled out.
#[cfg_attr(not(debug_assertions), allow(unused_variables))]
fn fail_point(name: &str) {
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

/// What one keyring item holds: a TBA set or an M2M connection's secrets.
trait Item: Default {
    fn to_json(&self) -> Zeroizing<String>;
    fn from_json(text: &str) -> Option<Self>;
    fn is_empty(&self) -> bool;
    fn overlay(&self, other: &Self) -> Self;
    fn same_values(&self, other: &Self) -> bool;
}

impl Item for SecretSet {
    fn to_json(&self) -> Zeroizing<String> {
        SecretSet::to_json(self)
    }
    fn from_json(text: &str) -> Option<Self> {
        SecretSet::from_json(text)
    }
    fn is_empty(&self) -> bool {
        SecretSet::is_empty(self)
    }
    fn overlay(&self, other: &Self) -> Self {
        SecretSet::overlay(self, other)
    }
    fn same_values(&self, other: &Self) -> bool {
        SecretSet::same_values(self, other)
    }
}

impl Item for M2mSecrets {
    fn to_json(&self) -> Zeroizing<String> {
        M2mSecrets::to_json(self)
    }
    fn from_json(text: &str) -> Option<Self> {
        M2mSecrets::from_json(text)
    }
    fn is_empty(&self) -> bool {
        M2mSecrets::is_empty(self)
    }
    fn overlay(&self, other: &Self) -> Self {
        M2mSecrets::overlay(self, other)
    }
    fn same_values(&self, other: &Self) -> bool {
        M2mSecrets::same_values(self, other)
    }
}

impl Vault<KeyringStore> {
    /// The OS keyring, with the call timeout from `TBA_WIZARD_KEYRING_TIMEOUT` (seconds) if set.
    pub fn keyring() -> Self {
        let timeout = std::env::var("TBA_WIZARD_KEYRING_TIMEOUT")
            .ok()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0 && *s <= 600.0)
            .map(Duration::from_secs_f64)
            .unwrap_or(DEFAULT_KEYRING_TIMEOUT);
        Vault::new(KeyringStore::new(timeout))
    }
}

impl<S: SecretStore> Vault<S> {
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

    pub fn read(&self, connection_id: &str, slot: Slot) -> Result<SecretSet, VaultError> {
        self.read_item(connection_id, slot)
    }

    fn write(&self, connection_id: &str, slot: Slot, set: &SecretSet) -> Result<(), VaultError> {
        self.write_item(connection_id, slot, set)
    }

    fn read_item<T: Item>(&self, connection_id: &str, slot: Slot) -> Result<T, VaultError> {
        parse_item(self.get(&Self::item_name(connection_id, slot))?)
    }

    fn write_item<T: Item>(&self, connection_id: &str, slot: Slot, item: &T) -> Result<(), VaultError> {
        self.set(&Self::item_name(connection_id, slot), &item.to_json())
    }

    /// Saves one value the moment it arrives; the others already saved in that slot are kept.
    pub fn store_value(
        &self,
        connection_id: &str,
        slot: Slot,
        field: Field,
        value: SecretString,
    ) -> Result<Fingerprints, VaultError> {
        let mut set = self.read(connection_id, slot)?;
        set.set(field, value);
        self.write(connection_id, slot, &set)?;
        Ok(set.fingerprints())
    }

    /// Saves a whole set (or part of one) in one write, replacing what the slot held.
    pub fn store_set(&self, connection_id: &str, slot: Slot, set: &SecretSet) -> Result<Fingerprints, VaultError> {
        self.write(connection_id, slot, set)?;
        Ok(set.fingerprints())
    }

    /// The complete active credentials, for signing.
    pub fn credentials(&self, connection_id: &str) -> Result<crate::Credentials, VaultError> {
        let set = self.read(connection_id, Slot::Active)?;
        if set.is_empty() {
            return Err(VaultError::Missing);
        }
        set.to_credentials()
            .ok_or_else(|| VaultError::Incomplete(missing_list(&set)))
    }

    /// What the pending values would make when promoted: the active set with the pending values over it.
    pub fn staged_credentials(&self, connection_id: &str) -> Result<crate::Credentials, VaultError> {
        let merged = self
            .read(connection_id, Slot::Active)?
            .overlay(&self.read(connection_id, Slot::Pending)?);
        merged
            .to_credentials()
            .ok_or_else(|| VaultError::Incomplete(missing_list(&merged)))
    }

    /// The complete set in one slot, for signing.
    pub fn credentials_in(&self, connection_id: &str, slot: Slot) -> Result<crate::Credentials, VaultError> {
        match slot {
            Slot::Active => self.credentials(connection_id),
            Slot::Pending => self.staged_credentials(connection_id),
            Slot::Retired => {
                let set = self.read(connection_id, Slot::Retired)?;
                if set.is_empty() {
                    return Err(VaultError::Missing);
                }
                set.to_credentials()
                    .ok_or_else(|| VaultError::Incomplete(missing_list(&set)))
            }
        }
    }

    /// Keeps a copy of the active set before a rotation replaces it.
    pub fn retire_active(&self, connection_id: &str) -> Result<(), VaultError> {
        self.retire_item::<SecretSet>(connection_id)
    }

    fn retire_item<T: Item>(&self, connection_id: &str) -> Result<(), VaultError> {
        let active: T = self.read_item(connection_id, Slot::Active)?;
        if active.is_empty() {
            return Err(VaultError::Missing);
        }
        self.write_item(connection_id, Slot::Retired, &active)
    }

    /// Whether a copy of replaced values (TBA or OAuth 2.0) is kept in the retired slot.
    pub fn holds_retired(&self, connection_id: &str) -> bool {
        let held = self.get(&Self::item_name(connection_id, Slot::Retired));
        held.is_ok_and(|text| {
            text.is_some_and(|t| {
                SecretSet::from_json(&t).is_some_and(|s| !s.is_empty())
                    || M2mSecrets::from_json(&t).is_some_and(|s| !s.is_empty())
            })
        })
    }

    pub fn forget_retired(&self, connection_id: &str) -> Result<(), VaultError> {
        self.delete(&Self::item_name(connection_id, Slot::Retired))
    }

    /// Makes the pending values active: one write of the merged set, then the pending item is removed.
    /// Refused unless the result holds every field in `required` (the connector's profile says which:
    /// a Celigo connection holds the token pair only), so the active set is never left unusable.
    pub fn promote(&self, connection_id: &str, required: &[Field]) -> Result<Fingerprints, VaultError> {
        self.promote_tested(connection_id, required, None)
    }

    /// `promote`, refused unless the pending values are the ones that were tested (`tested`, their
    /// fingerprints), and confirmed by reading the active item back: a write the keyring answered late
    /// (or not at all) is never taken for proof that the tested set is the one in use.
    pub fn promote_tested(
        &self,
        connection_id: &str,
        required: &[Field],
        tested: Option<&Fingerprints>,
    ) -> Result<Fingerprints, VaultError> {
        let pending = self.read(connection_id, Slot::Pending)?;
        if pending.is_empty() {
            return Err(VaultError::Missing);
        }
        if let Some(tested) = tested {
            let now = pending.fingerprints();
            if pending.present().iter().any(|f| now.get(*f) != tested.get(*f)) {
                return Err(VaultError::NotTested);
            }
        }
        // A new token ID with the old token secret would be a mix that works nowhere: pairs move together.
        let half_pairs: Vec<_> = [
            (Field::ConsumerKey, Field::ConsumerSecret),
            (Field::TokenId, Field::TokenSecret),
        ]
        .into_iter()
        .filter(|(a, b)| pending.get(*a).is_some() != pending.get(*b).is_some())
        .map(|(a, b)| if pending.get(a).is_none() { a.label() } else { b.label() })
        .collect();
        if !half_pairs.is_empty() {
            return Err(VaultError::Incomplete(format!(
                "the new {}",
                half_pairs.join(", the new ")
            )));
        }
        let merged = self.read(connection_id, Slot::Active)?.overlay(&pending);
        let missing: Vec<_> = required
            .iter()
            .filter(|f| merged.get(**f).is_none())
            .map(|f| f.label())
            .collect();
        if !missing.is_empty() {
            return Err(VaultError::Incomplete(missing.join(", ")));
        }
        self.write_promoted(connection_id, &merged)?;
        Ok(merged.fingerprints())
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

    /// Finishes a promotion cut short after its write: a pending set already contained in the active
    /// one is removed. A pending set that differs is a rotation still under way and is left alone.
    pub fn recover(&self, connection_id: &str) -> Result<bool, VaultError> {
        self.recover_item::<SecretSet>(connection_id)
    }

    fn recover_item<T: Item>(&self, connection_id: &str) -> Result<bool, VaultError> {
        let pending: T = self.read_item(connection_id, Slot::Pending)?;
        if pending.is_empty() {
            return Ok(false);
        }
        let active: T = self.read_item(connection_id, Slot::Active)?;
        if active.overlay(&pending).same_values(&active) {
            self.delete(&Self::item_name(connection_id, Slot::Pending))?;
            return Ok(true);
        }
        Ok(false)
    }

    // ------------------------------------------------------------ OAuth 2.0 client credentials

    /// An M2M connection's secrets in one slot (empty if none are kept there).
    pub fn m2m_read(&self, connection_id: &str, slot: Slot) -> Result<M2mSecrets, VaultError> {
        self.read_item(connection_id, slot)
    }

    /// Keeps what `values` holds in `slot`, over what the slot held: a key made in the keyring is kept
    /// the moment it is made, the Client ID when it is pasted.
    pub fn m2m_store(
        &self,
        connection_id: &str,
        slot: Slot,
        values: &M2mSecrets,
    ) -> Result<M2mFingerprints, VaultError> {
        let merged = self.m2m_read(connection_id, slot)?.overlay(values);
        self.write_item(connection_id, slot, &merged)?;
        Ok(merged.fingerprints())
    }

    /// A slot's key and Client ID as a signer sees them: for `Slot::Pending` the staged values over the
    /// active ones (a rotation stages a key, the Client ID stays).
    pub fn m2m_read_merged(&self, connection_id: &str, slot: Slot) -> Result<M2mSecrets, VaultError> {
        match slot {
            Slot::Pending => Ok(self
                .m2m_read(connection_id, Slot::Active)?
                .overlay(&self.m2m_read(connection_id, Slot::Pending)?)),
            slot => self.m2m_read(connection_id, slot),
        }
    }

    /// The active key and Client ID, both present, for signing.
    pub fn m2m_secrets(&self, connection_id: &str, slot: Slot) -> Result<M2mSecrets, VaultError> {
        let secrets = self.m2m_read_merged(connection_id, slot)?;
        if secrets.is_empty() {
            return Err(VaultError::Missing);
        }
        m2m_complete(&secrets)?;
        Ok(secrets)
    }

    /// Makes the pending key (and Client ID, if one was staged) active, refused unless they are the ones
    /// that were tested (`tested`) and the result holds both; crash-safe like `promote_tested`.
    pub fn m2m_promote_tested(
        &self,
        connection_id: &str,
        tested: Option<&M2mFingerprints>,
    ) -> Result<M2mFingerprints, VaultError> {
        let pending = self.m2m_read(connection_id, Slot::Pending)?;
        if pending.is_empty() {
            return Err(VaultError::Missing);
        }
        if let Some(tested) = tested {
            let now = pending.fingerprints();
            let differs = |staged: &Option<String>, seen: &Option<String>| staged.is_some() && staged != seen;
            if differs(&now.private_key, &tested.private_key) || differs(&now.client_id, &tested.client_id) {
                return Err(VaultError::NotTested);
            }
        }
        let merged = self.m2m_read(connection_id, Slot::Active)?.overlay(&pending);
        m2m_complete(&merged)?;
        self.write_promoted(connection_id, &merged)?;
        Ok(merged.fingerprints())
    }

    /// Keeps a copy of the active key and Client ID before a certificate replacement, so the old key
    /// can be shown refused once its mapping is revoked.
    pub fn m2m_retire_active(&self, connection_id: &str) -> Result<(), VaultError> {
        self.retire_item::<M2mSecrets>(connection_id)
    }

    /// `recover` for an M2M connection.
    pub fn m2m_recover(&self, connection_id: &str) -> Result<bool, VaultError> {
        self.recover_item::<M2mSecrets>(connection_id)
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

fn parse_item<T: Item>(text: Option<Zeroizing<String>>) -> Result<T, VaultError> {
    match text {
        None => Ok(T::default()),
        Some(text) => T::from_json(&text).ok_or(VaultError::Damaged),
    }
}

fn m2m_complete(secrets: &M2mSecrets) -> Result<(), VaultError> {
    let missing: Vec<&str> = [
        (!secrets.has_private_key(), "the private key"),
        (secrets.client_id().is_none(), "the Client ID"),
    ]
    .into_iter()
    .filter_map(|(gone, name)| gone.then_some(name))
    .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(VaultError::Incomplete(missing.join(", ")))
    }
}

fn missing_list(set: &SecretSet) -> String {
    let missing: Vec<_> = Field::ALL
        .into_iter()
        .filter(|f| set.get(*f).is_none())
        .map(|f| f.label())
        .collect();
    missing.join(", ")
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
            matches!(vault.promote("c1", &Field::ALL), Err(VaultError::Incomplete(_))),
            "half a token is not promoted"
        );
        assert_eq!(vault.credentials("c1").unwrap().token_id.expose_secret(), "t1");
        vault
            .store_value("c1", Slot::Pending, Field::TokenSecret, s("s2"))
            .unwrap();
        assert_eq!(
            vault.staged_credentials("c1").unwrap().token_secret.expose_secret(),
            "s2"
        );
        vault.promote("c1", &Field::ALL).unwrap();
        let c = vault.credentials("c1").unwrap();
        assert_eq!(
            (c.consumer_key.expose_secret(), c.token_id.expose_secret()),
            ("ck", "t2")
        );
        assert!(vault.read("c1", Slot::Pending).unwrap().is_empty());

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
        vault.store_set("c", Slot::Active, &set).unwrap();
        vault.store_value("c", Slot::Pending, Field::TokenId, s("t2")).unwrap();
        assert!(matches!(vault.promote("c", &pair), Err(VaultError::Incomplete(_))));
        vault
            .store_value("c", Slot::Pending, Field::TokenSecret, s("s2"))
            .unwrap();
        assert!(
            matches!(vault.promote("c", &Field::ALL), Err(VaultError::Incomplete(m)) if m.contains("Consumer Key")),
            "a profile that needs all four is still refused"
        );
        let fp = vault.promote("c", &pair).unwrap();
        assert!(fp.consumer_key.is_none() && fp.token_id.is_some());
        assert_eq!(
            vault
                .read("c", Slot::Active)
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
        vault.store_set("c", Slot::Active, &full).unwrap();
        let mut pending = SecretSet::default();
        pending.set(Field::TokenId, s("t2"));
        pending.set(Field::TokenSecret, s("s2"));
        vault.store_set("c", Slot::Pending, &pending).unwrap()
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
            vault.store_set(&format!("c{i}"), Slot::Active, &set).unwrap();
        }
        let before = gets();
        {
            let _batch = vault.batch().unwrap();
            for i in 0..50 {
                let id = format!("c{i}");
                let set = vault.read(&id, Slot::Active).unwrap();
                assert_eq!(set.get(Field::TokenId).unwrap().expose_secret(), format!("t{i}"));
                assert!(vault.read(&id, Slot::Pending).unwrap().is_empty());
                assert!(!vault.holds_retired(&id));
            }
            assert_eq!(gets(), before, "no item was read on its own");
            // Writes go to the keyring and the batch sees them.
            vault
                .store_value("c1", Slot::Pending, Field::TokenId, s("new"))
                .unwrap();
            assert_eq!(
                vault
                    .read("c1", Slot::Pending)
                    .unwrap()
                    .get(Field::TokenId)
                    .unwrap()
                    .expose_secret(),
                "new"
            );
            vault.discard("c1").unwrap();
            assert!(vault.read("c1", Slot::Pending).unwrap().is_empty());
            {
                let _nested = vault.batch().unwrap();
            }
            vault.read("c2", Slot::Active).unwrap();
            assert_eq!(gets(), before, "a nested batch leaves the outer one in place");
            // A write that may or may not have landed: the batch no longer answers for the keyring.
            *store.fail_writes.lock().unwrap() = true;
            assert!(vault.store_value("c3", Slot::Pending, Field::TokenId, s("x")).is_err());
            *store.fail_writes.lock().unwrap() = false;
            vault.read("c3", Slot::Pending).unwrap();
            assert_eq!(gets(), before + 1, "read from the keyring itself after a failed write");
        }
        let before = gets();
        // Another process changes the keyring: reads after the batch see it.
        store.inner.set("connection:c4", r#"{"token_id":"changed"}"#).unwrap();
        assert_eq!(
            vault
                .read("c4", Slot::Active)
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
            lost.promote_tested("c", &Field::ALL, Some(&tested)),
            Err(VaultError::Timeout(10))
        );
        assert_eq!(lost.credentials("c").unwrap().token_id.expose_secret(), "t1");
        assert!(
            !lost.read("c", Slot::Pending).unwrap().is_empty(),
            "still staged for a retry"
        );

        let late = Vault::new(LateStore {
            lands: true,
            ..Default::default()
        });
        let tested = rotation_staged(&late);
        let fp = late.promote_tested("c", &Field::ALL, Some(&tested)).unwrap();
        assert_eq!(fp.token_id, tested.token_id, "the read-back proves the write landed");
        assert!(late.read("c", Slot::Pending).unwrap().is_empty());
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
            vault.promote_tested("c", &Field::ALL, Some(&tested)),
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
        vault.store_set("c", Slot::Active, &full).unwrap();
        let mut pending = SecretSet::default();
        pending.set(Field::TokenId, s("t2"));
        pending.set(Field::TokenSecret, s("s2"));
        vault.store_set("c", Slot::Pending, &pending).unwrap();
        assert!(!vault.recover("c").unwrap(), "a rotation under way is kept");
        // Simulate a crash right after the active write.
        vault.store_set("c", Slot::Active, &full.overlay(&pending)).unwrap();
        assert!(vault.recover("c").unwrap());
        assert!(vault.read("c", Slot::Pending).unwrap().is_empty());
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
        vault.m2m_store("m", Slot::Active, &m2m(Some(&old), None)).unwrap();
        assert_eq!(
            vault.m2m_secrets("m", Slot::Active).unwrap_err(),
            VaultError::Incomplete("the Client ID".into())
        );
        vault
            .m2m_store("m", Slot::Active, &m2m(None, Some("client-1")))
            .unwrap();
        let active = vault.m2m_secrets("m", Slot::Active).unwrap();
        assert_eq!(
            active.private_key().unwrap().unwrap().public_key_der(),
            old.public_key_der()
        );
        assert!(
            vault.read("m", Slot::Active).is_err(),
            "an M2M item is not read as a TBA set"
        );

        // A certificate replacement: a new key in the pending slot, the old one working meanwhile.
        let new = PrivateKey::generate(KeyKind::P384).unwrap();
        let tested = vault.m2m_store("m", Slot::Pending, &m2m(Some(&new), None)).unwrap();
        let staged = vault.m2m_secrets("m", Slot::Pending).unwrap();
        assert_eq!(staged.client_id().unwrap().expose_secret(), "client-1");
        assert_eq!(staged.private_key().unwrap().unwrap().kind(), KeyKind::P384);
        assert_eq!(
            vault.m2m_secrets("m", Slot::Active).unwrap().fingerprints(),
            active.fingerprints()
        );

        // A key that reached the slot after the test is not promoted.
        let later = PrivateKey::generate(KeyKind::P256).unwrap();
        vault.m2m_store("m", Slot::Pending, &m2m(Some(&later), None)).unwrap();
        assert_eq!(vault.m2m_promote_tested("m", Some(&tested)), Err(VaultError::NotTested));
        let tested = vault.m2m_store("m", Slot::Pending, &m2m(Some(&new), None)).unwrap();

        vault.m2m_retire_active("m").unwrap();
        let fp = vault.m2m_promote_tested("m", Some(&tested)).unwrap();
        assert_eq!(fp.private_key, tested.private_key);
        assert!(vault.m2m_read("m", Slot::Pending).unwrap().is_empty());
        let now = vault.m2m_secrets("m", Slot::Active).unwrap();
        assert_eq!(
            now.private_key().unwrap().unwrap().public_key_der(),
            new.public_key_der()
        );
        let retired = vault.m2m_secrets("m", Slot::Retired).unwrap();
        assert_eq!(
            retired.private_key().unwrap().unwrap().public_key_der(),
            old.public_key_der()
        );
        vault.remove("m").unwrap();
        assert_eq!(vault.m2m_secrets("m", Slot::Active).unwrap_err(), VaultError::Missing);
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
            vault.m2m_store("m", Slot::Active, &m2m(Some(&old), Some("c"))).unwrap();
            let tested = vault.m2m_store("m", Slot::Pending, &m2m(Some(&new), None)).unwrap();
            let result = vault.m2m_promote_tested("m", Some(&tested));
            let active = vault.m2m_secrets("m", Slot::Active).unwrap();
            let key = active.private_key().unwrap().unwrap().public_key_der();
            if lands {
                assert!(result.is_ok(), "the read-back proves the write landed");
                assert_eq!(key, new.public_key_der());
            } else {
                assert_eq!(result, Err(VaultError::Timeout(10)));
                assert_eq!(key, old.public_key_der());
                assert!(!vault.m2m_read("m", Slot::Pending).unwrap().is_empty(), "still staged");
            }
        }
        // A crash right after the active write: recovery removes the pending copy, and only that.
        let vault = Vault::new(MemoryStore::default());
        vault.m2m_store("m", Slot::Active, &m2m(Some(&old), Some("c"))).unwrap();
        vault.m2m_store("m", Slot::Pending, &m2m(Some(&new), None)).unwrap();
        assert!(!vault.m2m_recover("m").unwrap(), "a replacement under way is kept");
        vault.m2m_store("m", Slot::Active, &m2m(Some(&new), None)).unwrap();
        assert!(vault.m2m_recover("m").unwrap());
        assert!(vault.m2m_read("m", Slot::Pending).unwrap().is_empty());
    }
}
