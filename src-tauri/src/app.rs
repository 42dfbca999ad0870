//! The desktop window. Commands here stay thin: they translate between the webview and the engine.
//! Secrets only ever travel into Rust (a typed value, once); what goes back is fingerprints.

use serde::{Deserialize, Serialize};
use std::process::ExitCode;
use tba_engine::clipboard::{self, ClipboardError, SecretClipboard};
use tba_engine::connections::{ConnectionError, Connections};
use tba_engine::secrets::Field;
use tba_engine::store::{Connection, ConnectionStore};
use tba_engine::vault::{KeyringStore, Slot, Vault};
use zeroize::Zeroizing;

/// Errors cross to the webview as `{code, message, step?}`, never as a bare string.
#[derive(Debug, Serialize)]
pub struct UiError {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<String>,
}

impl From<ConnectionError> for UiError {
    fn from(e: ConnectionError) -> Self {
        let code = match &e {
            ConnectionError::BadInput(_) => "bad_input",
            ConnectionError::Vault(_) => "keyring",
            ConnectionError::Store(_) => "storage",
        };
        UiError {
            code,
            message: e.to_string(),
            step: None,
        }
    }
}

impl From<ClipboardError> for UiError {
    fn from(e: ClipboardError) -> Self {
        let code = match e {
            ClipboardError::Empty => "clipboard_empty",
            ClipboardError::Unavailable(_) => "clipboard_unavailable",
        };
        UiError {
            code,
            message: e.to_string(),
            step: None,
        }
    }
}

struct AppState {
    connections: Connections<KeyringStore>,
    clipboard: SecretClipboard,
}

#[derive(Serialize)]
pub struct AppInfo {
    name: &'static str,
    version: &'static str,
}

#[tauri::command]
fn app_info() -> AppInfo {
    AppInfo {
        name: "tba-wizard",
        version: env!("CARGO_PKG_VERSION"),
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotArg {
    Active,
    Pending,
}

impl From<SlotArg> for Slot {
    fn from(s: SlotArg) -> Slot {
        match s {
            SlotArg::Active => Slot::Active,
            SlotArg::Pending => Slot::Pending,
        }
    }
}

#[derive(Serialize)]
pub struct Captured {
    field: Field,
    fingerprint: Option<String>,
    warnings: Vec<String>,
    connection: Connection,
}

fn captured(field: Field, slot: Slot, (connection, warnings): (Connection, Vec<String>)) -> Captured {
    let prints = match slot {
        Slot::Active => &connection.fingerprints,
        Slot::Pending => &connection.pending_fingerprints,
    };
    Captured {
        field,
        fingerprint: prints.get(field).map(str::to_owned),
        warnings,
        connection,
    }
}

/// "Paste": the value goes from the clipboard straight into the keyring, and the clipboard is cleared.
#[tauri::command]
fn capture_from_clipboard(
    state: tauri::State<'_, AppState>,
    connection_id: String,
    slot: SlotArg,
    field: Field,
) -> Result<Captured, UiError> {
    let value = state.clipboard.take_text()?;
    let result = state.connections.capture(&connection_id, slot.into(), field, &value)?;
    Ok(captured(field, slot.into(), result))
}

/// The fallback when the clipboard cannot be used: a value typed into a password field, sent once.
#[tauri::command]
fn capture_typed(
    state: tauri::State<'_, AppState>,
    connection_id: String,
    slot: SlotArg,
    field: Field,
    value: String,
) -> Result<Captured, UiError> {
    let value = Zeroizing::new(value);
    let result = state.connections.capture(&connection_id, slot.into(), field, &value)?;
    Ok(captured(field, slot.into(), result))
}

#[derive(Serialize)]
pub struct Copied {
    field: Field,
    clears_in_seconds: u64,
}

/// Hand-off: one saved secret onto the clipboard, cleared after 30 s if still there.
#[tauri::command]
fn copy_secret(state: tauri::State<'_, AppState>, connection_id: String, field: Field) -> Result<Copied, UiError> {
    let set = state
        .connections
        .vault
        .read(&connection_id, Slot::Active)
        .map_err(ConnectionError::from)?;
    let value = set.get(field).ok_or_else(|| UiError {
        code: "missing",
        message: format!("The {} is not saved yet.", field.label()),
        step: None,
    })?;
    state
        .clipboard
        .copy_for(secrecy::ExposeSecret::expose_secret(value), clipboard::CLEAR_AFTER)?;
    Ok(Copied {
        field,
        clears_in_seconds: clipboard::CLEAR_AFTER.as_secs(),
    })
}

pub fn run() -> ExitCode {
    // Without a display GTK panics with a message about its backend; say what to do instead.
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        eprintln!(
            "tba-wizard: no display to open the wizard's window on (neither DISPLAY nor WAYLAND_DISPLAY is set). \
             Run it from a desktop session, or use a subcommand such as `tba-wizard test` (see `tba-wizard --help`)."
        );
        return ExitCode::FAILURE;
    }
    let state = AppState {
        connections: Connections::new(ConnectionStore::open_default(), Vault::keyring()),
        clipboard: SecretClipboard::new(),
    };
    let result = tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            app_info,
            capture_from_clipboard,
            capture_typed,
            copy_secret
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tba-wizard: the window could not be opened: {e}");
            ExitCode::FAILURE
        }
    }
}
