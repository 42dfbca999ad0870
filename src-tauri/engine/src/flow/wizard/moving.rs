//! The home screen's "Export connections…" and "Import connections…": the file of
//! `tba-wizard-cli connections export` and `import` (keep::moving), at a place the user chose in the
//! system's dialog. Records only: no secret is written, and a file holding anything shaped like one is
//! refused whole.

use super::Wizard;
use crate::flow::view::{bad, WizardError};
use crate::keep::connections::ConnectionError;
use crate::keep::vault::SecretStore;
use std::path::Path;

/// How a new export is made, in the window's words.
const EXPORT_AGAIN_WINDOW: &str = "Export connections… on the home screen of the computer it comes from";

impl<S: SecretStore> Wizard<S> {
    /// Writes the saved connections' records to `path`, readable by the user only, replacing a file there
    /// (the system's dialog asked first); how many were written.
    pub fn export_connections(&self, path: &Path) -> Result<usize, WizardError> {
        chosen_file(path, "nothing was written")?;
        let list = self.connections.store.load().map_err(ConnectionError::from)?;
        let text = crate::keep::moving::export(&list);
        crate::keep::files::write_atomic(path, text.as_bytes()).map_err(|e| {
            WizardError::File(format!(
                "The connections could not be exported to {}: {e}. Nothing was written there; choose another folder.",
                path.display()
            ))
        })?;
        Ok(list.len())
    }

    /// Saves the connections of the export at `path` that are not saved here yet (by name or id), with
    /// their values missing: the labels imported, and those skipped.
    pub fn import_connections(&mut self, path: &Path) -> Result<(Vec<String>, Vec<String>), WizardError> {
        chosen_file(path, "nothing was imported")?;
        let text =
            crate::keep::moving::read_export(path).map_err(|why| bad(format!("{why}. Nothing was imported.")))?;
        let records = crate::keep::moving::parse_export(&text, EXPORT_AGAIN_WINDOW).map_err(|why| {
            bad(format!(
                "{}: {why}.",
                path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
            ))
        })?;
        let (added, skipped) = self.connections.import(records)?;
        Ok((added.into_iter().map(|c| c.label).collect(), skipped))
    }
}

/// Refuses a path that is not a file's full path in a folder that exists.
fn chosen_file(path: &Path, nothing: &str) -> Result<(), WizardError> {
    let folder = path.parent().filter(|f| !f.as_os_str().is_empty());
    match (folder, path.file_name()) {
        (Some(folder), Some(_)) if folder.is_dir() && !path.is_dir() => Ok(()),
        _ => Err(bad(format!(
            "{} is not a file in a folder that exists. Choose a file; {nothing}.",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keep::secrets::{Field, SecretSet};
    use crate::keep::store::{ConnectionStore, Profile};
    use crate::keep::vault::{MemoryStore, Vault};
    use crate::netsuite::account::Account;
    use secrecy::SecretString;

    fn wizard(dir: &Path) -> Wizard<MemoryStore> {
        let connections = crate::keep::connections::Connections::new(
            ConnectionStore::new(dir.to_path_buf()),
            Vault::new(MemoryStore::default()),
        );
        Wizard::open(connections)
    }

    fn four(tag: &str) -> SecretSet {
        let mut set = SecretSet::default();
        for (n, field) in [
            Field::ConsumerKey,
            Field::ConsumerSecret,
            Field::TokenId,
            Field::TokenSecret,
        ]
        .into_iter()
        .enumerate()
        {
            set.set(field, SecretString::from(format!("{tag}{n}{}", "7".repeat(62))));
        }
        set
    }

    #[test]
    fn an_export_moves_the_records_and_never_a_value() {
        let (from_dir, to_dir, files) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let from = wizard(from_dir.path());
        let account = Account::parse("1234567_SB1").unwrap();
        let secrets = four("a");
        from.connections
            .add("Shop", &account, Profile::parse("aftership").unwrap(), None, &secrets)
            .unwrap();
        let file = files.path().join("connections.json");
        assert_eq!(from.export_connections(&file).unwrap(), 1);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(&"7".repeat(62)), "a secret reached the export");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }

        let mut to = wizard(to_dir.path());
        assert_eq!(
            to.import_connections(&file).unwrap(),
            (vec!["Shop".to_string()], vec![])
        );
        let card = &to.home().cards[0];
        assert_eq!(card.label, "Shop");
        assert!(!card.missing.is_empty(), "imported without values: {:?}", card.missing);
        // Again: the same connection is saved already, so it is skipped, not doubled.
        assert_eq!(
            to.import_connections(&file).unwrap(),
            (vec![], vec!["Shop".to_string()])
        );
        assert_eq!(to.home().cards.len(), 1);
    }

    #[test]
    fn a_file_with_a_secret_in_it_imports_nothing_and_says_how_to_export_again() {
        let (to_dir, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let file = files.path().join("edited.json");
        std::fs::write(
            &file,
            format!(
                r#"{{"format":"tba-wizard-connections","version":1,"exported_at":"2026-12-07T00:00:00Z","connections":[],"note":"{}"}}"#,
                "ab".repeat(32)
            ),
        )
        .unwrap();
        let mut to = wizard(to_dir.path());
        let e = to.import_connections(&file).unwrap_err().to_string();
        assert!(
            e.contains("shaped like a secret") && e.contains("Export connections…"),
            "{e}"
        );
        assert!(!e.contains('`') && !e.contains(&"ab".repeat(32)), "{e}");
        assert!(to.home().cards.is_empty());
        let e = to.import_connections(files.path()).unwrap_err().to_string();
        assert!(e.contains("is not a file"), "{e}");
    }
}
