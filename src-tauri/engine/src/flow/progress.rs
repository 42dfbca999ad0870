//! The two progress files, read and written one way: the setup's (`wizard.json`) and a journey's
//! (`rotation.json`). A file that cannot be read, or whose content is refused, is moved aside (never
//! silently replaced) and the notice says where; a write is atomic and happens under the connection
//! file's lock, which the command line takes before it changes a connection's keyring items.

use crate::flow::view::WizardError;
use crate::keep::store::{aside_name, write_atomic, ConnectionStore};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::PathBuf;

pub(crate) struct ProgressFile {
    path: PathBuf,
    /// How the notice names the file: "The wizard's saved progress".
    subject: &'static str,
    /// What the notice reassures about: "Your saved connections are not affected."
    unaffected: &'static str,
}

impl ProgressFile {
    pub(crate) fn new(store: &ConnectionStore, name: &str, subject: &'static str, unaffected: &'static str) -> Self {
        ProgressFile {
            path: store.dir().join(name),
            subject,
            unaffected,
        }
    }

    /// The saved state: `Ok(None)` when there is none, `Err(notice)` when the file could not be read
    /// or `valid` refused it, after moving it aside.
    pub(crate) fn load<T: DeserializeOwned>(&self, valid: impl FnOnce(&T) -> bool) -> Result<Option<T>, String> {
        let Ok(bytes) = std::fs::read(&self.path) else {
            return Ok(None);
        };
        match serde_json::from_slice::<T>(&bytes) {
            Ok(state) if valid(&state) => Ok(Some(state)),
            _ => {
                let aside = aside_name(&self.path);
                let _ = std::fs::rename(&self.path, &aside);
                Err(format!(
                    "{} could not be read and was moved to {}. {}",
                    self.subject,
                    aside.display(),
                    self.unaffected
                ))
            }
        }
    }

    /// Writes `state`, or removes the file when there is none.
    pub(crate) fn save<T: Serialize>(&self, store: &ConnectionStore, state: Option<&T>) -> Result<(), WizardError> {
        let Some(state) = state else {
            let _lock = store.lock();
            let _ = std::fs::remove_file(&self.path);
            return Ok(());
        };
        let data = serde_json::to_vec_pretty(state).expect("progress serializes");
        store.locked(|| {
            write_atomic(&self.path, &data).map_err(|e| WizardError::Save {
                path: self.path.display().to_string(),
                reason: e.to_string(),
            })
        })
    }
}
