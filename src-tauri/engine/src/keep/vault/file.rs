//! The opt-in store for machines with no keyring (a server's cron or systemd): every item in one file,
//! `secrets.age` in the config folder, encrypted as an age file under a passkey (scrypt). Chosen only by
//! `TBA_WIZARD_STORE=file`, never as a fallback; the passkey comes from `TBA_WIZARD_PASSKEY` or from the
//! file `TBA_WIZARD_PASSKEY_FILE` names (systemd's credentials), at least 32 characters. The file is
//! written whole, atomically and readable by the user only; a wrong passkey reads nothing and changes
//! nothing. Callers change it under the connection store's lock, as they change `connections.json`.

use super::{Items, SecretStore, VaultError};
use secrecy::{ExposeSecret, SecretString};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::SystemTime;
use zeroize::Zeroizing;

pub const FILE_NAME: &str = "secrets.age";
pub const MIN_PASSKEY_CHARS: usize = 32;
/// scrypt's cost for each write: the passkey is long (at least 32 characters, meant to be random), so
/// its strength is in its length; a cost this low keeps a command that writes a few times quick.
const WORK_FACTOR: u8 = 14;
/// The most the file's own header may ask of scrypt when it is read: a file made to stall every run
/// is refused.
const MAX_WORK_FACTOR: u8 = 20;

/// The file's length and modification time: what tells a read whether another process changed it.
type Stamp = (u64, Option<SystemTime>);

pub struct FileStore {
    path: PathBuf,
    passkey: SecretString,
    /// The items as last read or written, with the file's length and time then: read again only when
    /// another process changed it.
    cache: Mutex<Option<(Stamp, Items)>>,
}

fn problem(message: impl Into<String>) -> VaultError {
    VaultError::File(message.into())
}

impl FileStore {
    pub fn new(dir: &std::path::Path, passkey: SecretString) -> Result<FileStore, VaultError> {
        if passkey.expose_secret().chars().count() < MIN_PASSKEY_CHARS {
            return Err(problem(format!(
                "The passkey of the secrets file is shorter than {MIN_PASSKEY_CHARS} characters. Make a long random one \
                 (for example `openssl rand -base64 48`) and give it in TBA_WIZARD_PASSKEY or in the file \
                 TBA_WIZARD_PASSKEY_FILE names."
            )));
        }
        Ok(FileStore {
            path: dir.join(FILE_NAME),
            passkey,
            cache: Mutex::new(None),
        })
    }

    /// The store `TBA_WIZARD_STORE=file` asks for, with its passkey from the environment.
    pub fn from_env(dir: &std::path::Path) -> Result<FileStore, VaultError> {
        let passkey = match (
            std::env::var("TBA_WIZARD_PASSKEY"),
            std::env::var_os("TBA_WIZARD_PASSKEY_FILE"),
        ) {
            (Ok(p), _) if !p.is_empty() => SecretString::from(p),
            (_, Some(file)) => {
                let text = crate::keep::files::read_secret_file(std::path::Path::new(&file), 4096).map_err(|e| {
                    problem(format!(
                        "TBA_WIZARD_PASSKEY_FILE names {}, which could not be read ({e}). Point it at the passkey's \
                         file (a regular file, readable by this user).",
                        PathBuf::from(&file).display()
                    ))
                })?;
                SecretString::from(text.trim_end_matches(['\r', '\n']))
            }
            _ => {
                return Err(problem(
                    "TBA_WIZARD_STORE=file needs the secrets file's passkey: set TBA_WIZARD_PASSKEY, or \
                     TBA_WIZARD_PASSKEY_FILE to a file holding it.",
                ))
            }
        };
        FileStore::new(dir, passkey)
    }

    fn stamp(&self) -> Option<Stamp> {
        let meta = std::fs::metadata(&self.path).ok()?;
        Some((meta.len(), meta.modified().ok()))
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, Option<(Stamp, Items)>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `read` over every item, from the cache while the file is unchanged: a read of one item copies that
    /// item only, not the whole store.
    fn with_items<T>(&self, read: impl FnOnce(&Items) -> T) -> Result<T, VaultError> {
        let Some(stamp) = self.stamp() else {
            return Ok(read(&Items::new()));
        };
        let mut cached = self.cached();
        match cached.as_ref() {
            Some((at, items)) if *at == stamp => Ok(read(items)),
            _ => {
                let items = self.decrypt()?;
                let answer = read(&items);
                *cached = Some((stamp, items));
                Ok(answer)
            }
        }
    }

    /// Every item, read from the file.
    fn decrypt(&self) -> Result<Items, VaultError> {
        let bytes = crate::keep::files::read_secret_bytes(&self.path, 16 * 1024 * 1024).map_err(|e| {
            problem(format!(
                "The secrets file {} could not be read: {e}.",
                self.path.display()
            ))
        })?;
        let mut identity = age::scrypt::Identity::new(self.passkey.expose_secret().to_owned().into());
        identity.set_max_work_factor(MAX_WORK_FACTOR);
        let decryptor = age::Decryptor::new(&bytes[..]).map_err(|_| self.unreadable())?;
        let mut reader = decryptor
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .map_err(|e| match e {
                age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => problem(format!(
                    "The passkey does not open the secrets file {}: nothing was read or changed. Give the passkey \
                     it was made with (TBA_WIZARD_PASSKEY or TBA_WIZARD_PASSKEY_FILE).",
                    self.path.display()
                )),
                _ => self.unreadable(),
            })?;
        let mut text = Zeroizing::new(Vec::new());
        reader.read_to_end(&mut text).map_err(|_| self.unreadable())?;
        let map: std::collections::HashMap<String, String> =
            serde_json::from_slice(&text).map_err(|_| self.unreadable())?;
        Ok(map.into_iter().map(|(k, v)| (k, Zeroizing::new(v))).collect())
    }

    fn unreadable(&self) -> VaultError {
        problem(format!(
            "The secrets file {} is damaged or not one of this app's: nothing was read or changed. Restore it from a \
             backup, or move it aside to start with an empty store.",
            self.path.display()
        ))
    }

    fn save(&self, items: &Items) -> Result<(), VaultError> {
        let map: std::collections::BTreeMap<&str, &str> = items.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let text = Zeroizing::new(serde_json::to_vec(&map).map_err(|e| problem(e.to_string()))?);
        let mut recipient = age::scrypt::Recipient::new(self.passkey.expose_secret().to_owned().into());
        recipient.set_work_factor(WORK_FACTOR);
        let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| problem(format!("The secrets file could not be encrypted: {e}.")))?;
        let mut out = Vec::new();
        let mut writer = encryptor
            .wrap_output(&mut out)
            .map_err(|e| problem(format!("The secrets file could not be encrypted: {e}.")))?;
        writer
            .write_all(&text)
            .and_then(|_| writer.finish().map(|_| ()))
            .map_err(|e| problem(format!("The secrets file could not be encrypted: {e}.")))?;
        if let Some(dir) = self.path.parent() {
            crate::keep::files::create_private_dir_all(dir)
                .map_err(|e| problem(format!("The folder {} could not be made: {e}.", dir.display())))?;
        }
        crate::keep::files::write_atomic(&self.path, &out).map_err(|e| {
            problem(format!(
                "The secrets file {} could not be written: {e}.",
                self.path.display()
            ))
        })?;
        *self.cached() = self.stamp().map(|s| (s, items.clone()));
        Ok(())
    }
}

impl SecretStore for FileStore {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
        self.with_items(|items| items.get(name).cloned())
    }

    fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
        let mut items = self.with_items(Items::clone)?;
        items.insert(name.to_string(), Zeroizing::new(value.to_string()));
        self.save(&items)
    }

    fn delete(&self, name: &str) -> Result<(), VaultError> {
        let mut items = self.with_items(Items::clone)?;
        if items.remove(name).is_some() {
            self.save(&items)?;
        }
        Ok(())
    }

    fn get_all(&self) -> Result<Option<Items>, VaultError> {
        self.with_items(Items::clone).map(Some)
    }
}

/// The store the command line uses: the system's keyring, or with `TBA_WIZARD_STORE=file` the secrets
/// file. A store that cannot be opened (no passkey, a short one) answers every call with why.
pub enum SystemStore {
    Keyring(super::KeyringStore),
    File(FileStore),
    Unusable(VaultError),
}

impl SystemStore {
    /// Picked by `TBA_WIZARD_STORE` (`keyring`, the default, or `file`), in the config folder `dir`.
    pub fn from_env(dir: &std::path::Path) -> SystemStore {
        match std::env::var("TBA_WIZARD_STORE").as_deref().map(str::trim) {
            Err(_) | Ok("") | Ok("keyring") => SystemStore::Keyring(super::KeyringStore::from_env()),
            Ok("file") => match FileStore::from_env(dir) {
                Ok(f) => SystemStore::File(f),
                Err(e) => SystemStore::Unusable(e),
            },
            Ok(other) => SystemStore::Unusable(problem(format!(
                "TBA_WIZARD_STORE is \"{}\": give keyring (the default) or file.",
                other.chars().take(40).collect::<String>()
            ))),
        }
    }

    /// Which store this is, for people (`status`): never the passkey.
    pub fn name(&self) -> String {
        match self {
            SystemStore::Keyring(_) => "the system keyring (Secret Service)".to_string(),
            SystemStore::File(f) => format!("the secrets file {}", f.path.display()),
            SystemStore::Unusable(_) => "the secrets file (TBA_WIZARD_STORE=file)".to_string(),
        }
    }

    fn inner(&self) -> Result<&dyn SecretStore, VaultError> {
        match self {
            SystemStore::Keyring(k) => Ok(k),
            SystemStore::File(f) => Ok(f),
            SystemStore::Unusable(e) => Err(e.clone()),
        }
    }
}

impl SecretStore for SystemStore {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
        self.inner()?.get(name)
    }
    fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
        self.inner()?.set(name, value)
    }
    fn delete(&self, name: &str) -> Result<(), VaultError> {
        self.inner()?.delete(name)
    }
    fn get_all(&self) -> Result<Option<Items>, VaultError> {
        self.inner()?.get_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tba-file-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    const KEY: &str = "a passkey of forty characters, at least";

    /// Items written by one store are read by another (another process) with the same passkey, the
    /// file holds none of them in clear, and a wrong passkey reads nothing and changes nothing.
    #[test]
    fn items_round_trip_and_a_wrong_passkey_changes_nothing() {
        let d = dir("round-trip");
        let store = FileStore::new(&d, SecretString::from(KEY)).unwrap();
        store
            .set("connection:a", "{\"token_secret\":\"s3cr3t-value\"}")
            .unwrap();
        store.set("connection:b", "other").unwrap();
        store.delete("connection:b").unwrap();
        let again = FileStore::new(&d, SecretString::from(KEY)).unwrap();
        assert_eq!(
            again.get("connection:a").unwrap().unwrap().as_str(),
            "{\"token_secret\":\"s3cr3t-value\"}"
        );
        assert_eq!(again.get("connection:b").unwrap(), None);
        assert_eq!(again.get_all().unwrap().unwrap().len(), 1);
        let bytes = std::fs::read(d.join(FILE_NAME)).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("s3cr3t-value"));

        let wrong = FileStore::new(&d, SecretString::from("another passkey of forty characters!!")).unwrap();
        let e = wrong.set("connection:c", "x").unwrap_err().to_string();
        assert!(e.contains("does not open"), "{e}");
        assert_eq!(std::fs::read(d.join(FILE_NAME)).unwrap(), bytes, "nothing changed");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_short_passkey_is_refused_with_the_way_to_make_one() {
        let Err(e) = FileStore::new(&dir("short"), SecretString::from("short")) else {
            panic!("a short passkey was taken");
        };
        assert!(e.to_string().contains("openssl rand"), "{e}");
    }
}
