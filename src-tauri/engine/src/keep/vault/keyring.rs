//! The operating system's keyring behind `SecretStore`: every call on one worker thread, in order, and
//! abandoned after a timeout; on Linux, every item of the app listed by one Secret Service search.

use super::*;
use std::sync::mpsc;

/// A locked collection can open an unlock prompt that nobody answers; no keyring call may wait longer.
pub const DEFAULT_KEYRING_TIMEOUT: Duration = Duration::from_secs(10);

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
pub(super) fn keyring_worker(job: KeyringJob) {
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

pub(super) fn map_keyring_error(e: keyring_core::Error) -> VaultError {
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

impl Vault<KeyringStore> {
    /// The OS keyring, with the call timeout from `TBA_WIZARD_KEYRING_TIMEOUT` (seconds) if set.
    pub fn keyring() -> Self {
        Vault::new(KeyringStore::from_env())
    }
}

impl KeyringStore {
    /// The OS keyring, with the call timeout from `TBA_WIZARD_KEYRING_TIMEOUT` (seconds) if set.
    pub fn from_env() -> Self {
        let timeout = std::env::var("TBA_WIZARD_KEYRING_TIMEOUT")
            .ok()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0 && *s <= 600.0)
            .map(Duration::from_secs_f64)
            .unwrap_or(DEFAULT_KEYRING_TIMEOUT);
        KeyringStore::new(timeout)
    }
}
