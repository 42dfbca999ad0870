//! Saved connections: everything about a connection except its secrets, in a JSON file in the app's
//! config folder. Written atomically (temporary file, fsync, rename) so a crash never leaves half a file;
//! a file that cannot be read is moved aside and reported, never silently replaced.
//!
//! The window and the command line may run at once, so every read-modify-write of the folder's files
//! happens under one advisory lock on `connections.lock` (see [`ConnectionStore::lock`]). Files and
//! folders made here are readable by the user only (0600 and 0700 on Unix).

// The file helpers moved to `keep::files`, the record to `keep::record`; their old paths stay for the
// app and the command line.
pub use crate::keep::files::*;
pub use crate::keep::record::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const FILE_NAME: &str = "connections.json";
const LOCK_NAME: &str = "connections.lock";
const FORMAT_VERSION: u32 = 1;
/// Holders keep the lock for one read-modify-write, which may include keyring calls (each bounded by
/// the vault's timeout); waiting longer than this means something is stuck, and saying so beats hanging.
const LOCK_WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("The saved connections at {path} could not be read ({reason}). The file was moved aside to {moved_to} and nothing in it was changed; send it to support if you need its contents.")]
    MovedAside {
        path: String,
        reason: String,
        moved_to: String,
    },
    #[error("The saved connections at {path} could not be read or written: {reason}. Check that the folder exists and is writable.")]
    Io { path: String, reason: String },
    #[error("The saved connections at {path} are being changed by another tba-wizard (the window or a command) that has not finished within {seconds} seconds. Try again when it is done.")]
    Busy { path: String, seconds: u64 },
}

#[derive(Serialize, Deserialize)]
struct FileFormat {
    version: u32,
    connections: Vec<Connection>,
}

pub struct ConnectionStore {
    dir: PathBuf,
}

impl ConnectionStore {
    /// The app's config folder: `TBA_WIZARD_CONFIG_DIR` if set, else the platform's (XDG on Linux).
    pub fn default_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os("TBA_WIZARD_CONFIG_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        dirs::config_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("tba-wizard")
    }

    pub fn open_default() -> ConnectionStore {
        ConnectionStore::new(Self::default_dir())
    }

    pub fn new(dir: impl Into<PathBuf>) -> ConnectionStore {
        ConnectionStore { dir: dir.into() }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn io(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Io {
            path: self.path().display().to_string(),
            reason: e.to_string(),
        }
    }

    pub fn load(&self) -> Result<Vec<Connection>, StoreError> {
        let path = self.path();
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io(e)),
        };
        let parsed = std::str::from_utf8(&text)
            .map_err(|_| "it is not text".to_string())
            .and_then(|t| {
                serde_json::from_str::<FileFormat>(t).map_err(|e| format!("line {}: {}", e.line(), e.classify_name()))
            });
        match parsed {
            Ok(f) if f.version <= FORMAT_VERSION => Ok(f.connections),
            Ok(f) => Err(self.move_aside(format!("it was written by a newer tba-wizard (format {})", f.version))),
            Err(reason) => Err(self.move_aside(reason)),
        }
    }

    fn move_aside(&self, reason: String) -> StoreError {
        let path = self.path();
        let moved = aside_name(&path);
        match std::fs::rename(&path, &moved) {
            Ok(()) => StoreError::MovedAside {
                path: path.display().to_string(),
                reason,
                moved_to: moved.display().to_string(),
            },
            Err(e) => self.io(format!("{reason}; moving it aside failed too: {e}")),
        }
    }

    /// Replaces the file atomically: a crash leaves the old file or the new one, never a mix.
    pub fn save(&self, connections: &[Connection]) -> Result<(), StoreError> {
        let data = serde_json::to_vec_pretty(&FileFormat {
            version: FORMAT_VERSION,
            connections: connections.to_vec(),
        })
        .map_err(|e| self.io(e))?;

        let _lock = self.lock()?;
        write_atomic(&self.path(), &data).map_err(|e| self.io(e))
    }

    /// Loads, lets `change` modify the list, and saves, returning what `change` returned, all under the
    /// folder's lock so that a concurrent window or command cannot slip a change in between.
    pub fn update<T>(&self, change: impl FnOnce(&mut Vec<Connection>) -> T) -> Result<T, StoreError> {
        let _lock = self.lock()?;
        let mut list = self.load()?;
        let out = change(&mut list);
        self.save(&list)?;
        Ok(out)
    }

    /// Takes the folder's advisory lock, shared by every tba-wizard process and thread, waiting for
    /// another holder to finish (up to a minute, then [`StoreError::Busy`]). Hold the guard around any
    /// read-modify-write of a file in this folder (connections.json, the journey file), including the
    /// checks that decide it.
    ///
    /// Re-entrant on one thread: while a guard is held, `lock`, `update` and `save` on the same folder
    /// nest instead of waiting for themselves (flock locks belong to an open file, so a second open of
    /// the lock file in the same process would block). The guard is therefore bound to its thread.
    pub fn lock(&self) -> Result<StoreLock, StoreError> {
        create_private_dir_all(&self.dir).map_err(|e| self.io(e))?;
        let path = self.dir.join(LOCK_NAME);
        // One key per folder however it is spelled, so that nesting is recognised.
        let key = std::fs::canonicalize(&self.dir)
            .map(|d| d.join(LOCK_NAME))
            .unwrap_or_else(|_| path.clone());
        let nested = HELD.with(|held| match held.borrow_mut().get_mut(&key) {
            Some(holder) => {
                holder.depth += 1;
                true
            }
            None => false,
        });
        if !nested {
            let file = open_lock_file(&path).map_err(|e| self.io(e))?;
            let started = Instant::now();
            let mut pause = Duration::from_millis(5);
            loop {
                match fs4::FileExt::try_lock(&file) {
                    Ok(()) => break,
                    Err(fs4::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                        std::thread::sleep(pause);
                        pause = (pause * 2).min(Duration::from_millis(100));
                    }
                    Err(fs4::TryLockError::WouldBlock) => {
                        return Err(StoreError::Busy {
                            path: self.path().display().to_string(),
                            seconds: LOCK_WAIT.as_secs(),
                        })
                    }
                    Err(fs4::TryLockError::Error(e)) => return Err(self.io(e)),
                }
            }
            HELD.with(|held| held.borrow_mut().insert(key.clone(), Holder { depth: 1, _file: file }));
        }
        Ok(StoreLock {
            key,
            _thread_bound: PhantomData,
        })
    }

    /// Runs `f` under [`ConnectionStore::lock`].
    pub fn locked<T, E: From<StoreError>>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let _lock = self.lock()?;
        f()
    }

    /// Finds a connection by label (case-insensitive) or id.
    pub fn find<'a>(list: &'a [Connection], name: &str) -> Option<&'a Connection> {
        let name = name.trim();
        list.iter()
            .find(|c| c.id == name)
            .or_else(|| list.iter().find(|c| c.label.eq_ignore_ascii_case(name)))
    }
}

/// The open lock file of each folder this thread holds the lock on, with how many guards share it.
struct Holder {
    depth: usize,
    /// Only kept open: closing it releases the lock.
    _file: File,
}

thread_local! {
    static HELD: RefCell<HashMap<PathBuf, Holder>> = RefCell::new(HashMap::new());
}

/// Proof that this thread holds a config folder's lock; released when the last nested guard is dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct StoreLock {
    key: PathBuf,
    /// The nesting count is per thread, so the guard must be dropped on the thread that took it.
    _thread_bound: PhantomData<*const ()>,
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        // Closing the file releases the flock; the count makes guards dropped in any order safe.
        let released = HELD.try_with(|held| {
            let mut held = held.borrow_mut();
            let holder = held.get_mut(&self.key)?;
            holder.depth -= 1;
            if holder.depth == 0 {
                held.remove(&self.key)
            } else {
                None
            }
        });
        drop(released.ok().flatten());
    }
}

fn open_lock_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A symlink planted at the lock's name must not make us create or lock a file elsewhere.
        options
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "unexpected content",
            serde_json::error::Category::Eof => "the file ends too early",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netsuite::oauth2::{Algorithm, Certificate, Scope};
    use crate::profiles::AuthKind;
    use std::time::SystemTime;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tba-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    /// A file written before OAuth 2.0 reads unchanged, and a TBA record written now has exactly the keys it
    /// had then; an M2M record round-trips with its `auth` and `m2m` parts.
    #[test]
    fn tba_records_keep_their_shape_and_m2m_records_round_trip() {
        let old = r#"{"version": 1, "connections": [{"id": "0123456789abcdef", "label": "Shop",
            "account": "1234567_SB1", "profile": "own", "token_name": null,
            "fingerprints": {"consumer_key": "ab12cd34"}, "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z", "last_test": null, "last_success_at": null}]}"#;
        let store = ConnectionStore::new(temp_dir("shape"));
        std::fs::create_dir_all(store.dir()).unwrap();
        std::fs::write(store.path(), old).unwrap();
        let list = store.load().unwrap();
        assert_eq!(list[0].kind(), AuthKind::Tba);
        assert!(list[0].m2m().is_none());
        let keys = |v: &serde_json::Value| {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let before: serde_json::Value = serde_json::from_str(old).unwrap();
        let after = serde_json::to_value(&list[0]).unwrap();
        assert_eq!(keys(&after), keys(&before["connections"][0]));

        let key = crate::netsuite::oauth2::PrivateKey::generate(crate::netsuite::oauth2::KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "t", 30, SystemTime::now()).unwrap();
        let mut m2m = list[0].clone();
        m2m.auth = AuthRecord::M2m(Some(M2mRecord {
            scopes: vec![Scope::RestWebservices],
            certificate: M2mCertificate::new(Algorithm::ES256, &cert),
            fingerprints: Default::default(),
            pending: None,
            pending_fingerprints: Default::default(),
            last_worked: None,
            retired_tba: None,
            replaced: None,
        }));
        store.save(&[list[0].clone(), m2m.clone()]).unwrap();
        let back = store.load().unwrap();
        assert_eq!(back, vec![list[0].clone(), m2m]);
        let text = std::fs::read_to_string(store.path()).unwrap();
        let file: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(keys(&file["connections"][0]), keys(&before["connections"][0]));
        assert_eq!(file["connections"][1]["auth"], "m2m");
        assert_eq!(
            file["connections"][1]["m2m"]["certificate"]["fingerprint"],
            cert.fingerprint.as_str()
        );
        assert!(file["connections"][1]["m2m"].get("pending").is_none());
    }

    #[test]
    fn round_trip_and_update() {
        let store = ConnectionStore::new(temp_dir("rt"));
        assert!(store.load().unwrap().is_empty());
        let account = crate::Account::parse("1234567_sb1").unwrap();
        let c = Connection::new("AfterShip sandbox", &account, Profile::parse("aftership").unwrap());
        store.save(std::slice::from_ref(&c)).unwrap();
        let back = store.load().unwrap();
        assert_eq!(back, vec![c.clone()]);
        assert_eq!(back[0].account, "1234567_SB1");
        store
            .update(|l| l[0].tba_mut().unwrap().token_name = Some("AfterShip token".into()))
            .unwrap();
        assert_eq!(store.load().unwrap()[0].token_name(), Some("AfterShip token"));
        assert!(ConnectionStore::find(&back, "aftership SANDBOX").is_some());
        assert!(ConnectionStore::find(&back, &c.id).is_some());
        let mut left: Vec<String> = std::fs::read_dir(store.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [FILE_NAME, LOCK_NAME], "no temporary files left behind");
    }

    #[test]
    fn unreadable_file_is_moved_aside_not_replaced() {
        let dir = temp_dir("bad");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(FILE_NAME), b"{ this is not json").unwrap();
        let store = ConnectionStore::new(&dir);
        let err = store.load().unwrap_err();
        let StoreError::MovedAside { moved_to, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(std::fs::read(moved_to).unwrap(), b"{ this is not json");
        assert!(err.to_string().contains("moved aside"));
        assert!(store.load().unwrap().is_empty(), "after moving aside, a fresh start");
    }
}
