//! Saved connections moved between machines: their records (never a secret) as a versioned JSON file,
//! and recreated from one with their values missing, to be captured again on the new machine.

use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::store::Connection;
use crate::keep::vault::SecretStore;
use serde::{Deserialize, Serialize};

const FORMAT: &str = "tba-wizard-connections";
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportFile {
    format: String,
    version: u32,
    exported_at: String,
    connections: Vec<Connection>,
}

/// The records of `list` as an export file's text. The records hold no secret (fingerprints, names,
/// certificates and their IDs): the keyring's values never leave it.
pub fn export(list: &[Connection]) -> String {
    let file = ExportFile {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: crate::keep::store::now_rfc3339(),
        connections: list.to_vec(),
    };
    serde_json::to_string_pretty(&file).expect("connections serialize")
}

/// How a person makes a new export, named in the reasons a file is refused.
/// An export is a few KiB per connection; a file far larger is not one, and is not read whole.
const MOST_BYTES: u64 = 16 * 1024 * 1024;

/// The text of the export at `path`, or why it cannot be one (unreadable, or far too large).
pub fn read_export(path: &std::path::Path) -> Result<String, String> {
    let unreadable = |e: std::io::Error| format!("{} could not be read: {e}", path.display());
    if std::fs::metadata(path).map_err(unreadable)?.len() > MOST_BYTES {
        return Err(format!("{} is too large to be a tba-wizard export", path.display()));
    }
    std::fs::read_to_string(path).map_err(unreadable)
}

pub const EXPORT_AGAIN_CLI: &str = "`tba-wizard-cli connections export`";

/// The records of an export file, or why it is refused: not an export, a newer version, or anything in
/// it shaped like a secret (a long hex value, a private key), which is neither kept nor repeated.
/// `export_again` says how to make a new export where the reason is read (the command line or the window).
pub fn parse_export(text: &str, export_again: &str) -> Result<Vec<Connection>, String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("this is not a tba-wizard export (not JSON: {e}); make one with {export_again}"))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(format!("this is not a tba-wizard export; make one with {export_again}"));
    }
    if value.get("version").and_then(|v| v.as_u64()) != Some(u64::from(VERSION)) {
        return Err(format!(
            "this export is of another version than this tba-wizard reads ({VERSION}); export again with this version"
        ));
    }
    if let Some(at) = secret_shaped(&value, "") {
        return Err(format!(
            "the file holds something shaped like a secret (at {at}), so nothing was imported. An export never holds \
             one: make the file again with {export_again}"
        ));
    }
    let file: ExportFile = serde_json::from_value(value).map_err(|e| format!("the export could not be read: {e}"))?;
    Ok(file.connections)
}

/// Where in `value` a string is shaped like a secret, if anywhere.
fn secret_shaped(value: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) => (crate::keep::secrets::looks_like_secret(s, &[]) || s.contains("PRIVATE KEY")).then(|| {
            if at.is_empty() {
                "the top".to_string()
            } else {
                at.to_string()
            }
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| secret_shaped(v, &format!("{at}[{i}]"))),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| secret_shaped(v, &if at.is_empty() { k.clone() } else { format!("{at}.{k}") })),
        _ => None,
    }
}

impl<S: SecretStore> Connections<S> {
    /// Saves the imported records not already here (by id or name); returns those saved and the names
    /// skipped. Their keyring values are missing: a sync shows them so, and the values are captured anew.
    pub fn import(&self, records: Vec<Connection>) -> Result<(Vec<Connection>, Vec<String>), ConnectionError> {
        let _lock = self.store.lock()?;
        let mut added = Vec::new();
        let mut skipped = Vec::new();
        self.store.update(|list| {
            for record in records {
                let taken = list
                    .iter()
                    .any(|c| c.id == record.id || c.label.trim().eq_ignore_ascii_case(record.label.trim()));
                if taken {
                    skipped.push(record.label);
                } else {
                    list.push(record.clone());
                    added.push(record);
                }
            }
        })?;
        let added = added
            .into_iter()
            .map(|c| self.sync_record(c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((added, skipped))
    }
}
