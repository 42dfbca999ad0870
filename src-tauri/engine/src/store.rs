//! Saved connections: everything about a connection except its secrets, in a JSON file in the app's
//! config folder. Written atomically (temporary file, fsync, rename) so a crash never leaves half a file;
//! a file that cannot be read is moved aside and reported, never silently replaced.

use crate::secrets::Fingerprints;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const FILE_NAME: &str = "connections.json";
const FORMAT_VERSION: u32 = 1;

/// The connector procedure a connection was set up with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    Celigo,
    Aftership,
    Own,
}

impl Profile {
    pub fn parse(text: &str) -> Option<Profile> {
        match text.trim().to_ascii_lowercase().as_str() {
            "celigo" => Some(Profile::Celigo),
            "aftership" => Some(Profile::Aftership),
            "own" => Some(Profile::Own),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Profile::Celigo => "celigo",
            Profile::Aftership => "aftership",
            Profile::Own => "own",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LastTest {
    pub at: String,
    pub outcome: crate::Outcome,
    #[serde(default)]
    pub http_status: Option<u16>,
    #[serde(default)]
    pub error_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Connection {
    pub id: String,
    pub label: String,
    pub account: String,
    pub profile: Profile,
    #[serde(default)]
    pub token_name: Option<String>,
    #[serde(default)]
    pub fingerprints: Fingerprints,
    /// Fingerprints of values staged for rotation, if any.
    #[serde(default, skip_serializing_if = "Fingerprints::is_empty")]
    pub pending_fingerprints: Fingerprints,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub last_test: Option<LastTest>,
    /// When a signed test last passed: a sandbox whose token worked before and is refused now was most
    /// likely refreshed from production, which deletes the sandbox's tokens.
    #[serde(default)]
    pub last_success_at: Option<String>,
}

impl Connection {
    pub fn new(label: &str, account: &crate::Account, profile: Profile) -> Connection {
        let now = now_rfc3339();
        Connection {
            id: new_id(),
            label: label.trim().to_string(),
            account: account.id().to_string(),
            profile,
            token_name: None,
            fingerprints: Fingerprints::default(),
            pending_fingerprints: Fingerprints::default(),
            created_at: now.clone(),
            updated_at: now,
            last_test: None,
            last_success_at: None,
        }
    }

    pub fn touch(&mut self) {
        self.updated_at = now_rfc3339();
    }
}

pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

fn new_id() -> String {
    use rand::Rng as _;
    let bytes: [u8; 8] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

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
        write_atomic(&self.path(), &data).map_err(|e| self.io(e))
    }

    /// Loads, lets `change` modify the list, and saves, returning what `change` returned.
    pub fn update<T>(&self, change: impl FnOnce(&mut Vec<Connection>) -> T) -> Result<T, StoreError> {
        let mut list = self.load()?;
        let out = change(&mut list);
        self.save(&list)?;
        Ok(out)
    }

    /// Finds a connection by label (case-insensitive) or id.
    pub fn find<'a>(list: &'a [Connection], name: &str) -> Option<&'a Connection> {
        let name = name.trim();
        list.iter()
            .find(|c| c.id == name)
            .or_else(|| list.iter().find(|c| c.label.eq_ignore_ascii_case(name)))
    }
}

/// A name beside `path` for keeping an unreadable file: `<name>.unreadable-<time>`, counting up so an
/// earlier copy is never replaced.
pub fn aside_name(path: &Path) -> PathBuf {
    let stamp = humantime::format_rfc3339_seconds(SystemTime::now())
        .to_string()
        .replace(':', "-");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{name}.unreadable-{stamp}")),
            n => dir.join(format!("{name}.unreadable-{stamp}-{n}")),
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// Writes `data` to `path` through a temporary file in the same folder, fsynced, then renamed over it.
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself must reach the disk too.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
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

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tba-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn round_trip_and_update() {
        let store = ConnectionStore::new(temp_dir("rt"));
        assert!(store.load().unwrap().is_empty());
        let account = crate::Account::parse("1234567_sb1").unwrap();
        let c = Connection::new("AfterShip sandbox", &account, Profile::Aftership);
        store.save(std::slice::from_ref(&c)).unwrap();
        let back = store.load().unwrap();
        assert_eq!(back, vec![c.clone()]);
        assert_eq!(back[0].account, "1234567_SB1");
        store
            .update(|l| l[0].token_name = Some("AfterShip token".into()))
            .unwrap();
        assert_eq!(store.load().unwrap()[0].token_name.as_deref(), Some("AfterShip token"));
        assert!(ConnectionStore::find(&back, "aftership SANDBOX").is_some());
        assert!(ConnectionStore::find(&back, &c.id).is_some());
        let leftovers: Vec<_> = std::fs::read_dir(store.dir()).unwrap().filter_map(|e| e.ok()).collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
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
