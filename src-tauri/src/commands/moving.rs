//! The home screen's "Export connections…" and "Import connections…": the system's save and open
//! dialogs, shown by Rust (the window has no dialog or file permission), around the engine's export and
//! import of the saved connections' records (never a secret). The same file as `tba-wizard-cli
//! connections export` and `import`. The dialogs are awaited, not blocked on, and the wizard's lock is
//! not held while one is open.

use crate::commands::m2m::OneAtATime;
use crate::error::UiError;
use crate::state::State;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};
use tba_engine::flow::home::HomeView;
use tba_engine::os::opener;
use tba_engine::ErrorCode;

/// Set while the export's or the import's dialog is open, so a second one cannot open over it.
static DIALOG_OPEN: AtomicBool = AtomicBool::new(false);
const BUSY: &str = "A file dialog is already open: choose a file there, or cancel it.";

#[derive(Serialize, ts_rs::TS)]
pub struct Moved {
    home: HomeView,
    /// What was done, for the home screen's status line; none when the dialog was closed without a file.
    message: Option<String>,
}

/// "Export connections…": the saved connections' records into a file the user names (in Downloads at
/// first), readable by the user only. The dialog asks before replacing a file.
#[tauri::command]
pub async fn home_export(
    app: tauri::AppHandle,
    window: tauri::WebviewWindow,
    state: State<'_>,
) -> Result<Moved, UiError> {
    let _open = OneAtATime::take(&DIALOG_OPEN, BUSY)?;
    let day = tba_engine::keep::store::now_rfc3339()
        .chars()
        .take(10)
        .collect::<String>();
    let dialog =
        dialog(&app, &window, "Export saved connections").set_file_name(format!("tba-wizard-connections-{day}.json"));
    let (chosen_tx, chosen_rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |chosen| {
        let _ = chosen_tx.send(chosen);
    });
    let Some(path) = chosen(chosen_rx.await, "export")? else {
        return Ok(closed(&state));
    };
    let count = state.wizard().export_connections(&path)?;
    tracing::info!(count, "connections exported to a file the user chose");
    let message = format!(
        "Exported {count} connection{} to {}: names, accounts and fingerprints only, no secret. On the other \
         computer, use Import connections…, then give each connection its values again.",
        if count == 1 { "" } else { "s" },
        path.display()
    );
    Ok(Moved {
        home: state.wizard().home(),
        message: Some(message),
    })
}

/// "Import connections…": the connections of an export file that are not saved here yet, with their
/// values missing. A file holding anything shaped like a secret imports nothing.
#[tauri::command]
pub async fn home_import(
    app: tauri::AppHandle,
    window: tauri::WebviewWindow,
    state: State<'_>,
) -> Result<Moved, UiError> {
    let _open = OneAtATime::take(&DIALOG_OPEN, BUSY)?;
    let (chosen_tx, chosen_rx) = tokio::sync::oneshot::channel();
    dialog(&app, &window, "Import saved connections").pick_file(move |chosen| {
        let _ = chosen_tx.send(chosen);
    });
    let Some(path) = chosen(chosen_rx.await, "import")? else {
        return Ok(closed(&state));
    };
    let (added, skipped) = state.wizard().import_connections(&path)?;
    tracing::info!(
        added = added.len(),
        skipped = skipped.len(),
        "connections imported from a file the user chose"
    );
    let mut message = match added.len() {
        0 => "Nothing was imported.".to_string(),
        1 => format!(
            "Imported “{}”. Its values are not in this computer's keyring yet.",
            added[0]
        ),
        n => format!("Imported {n} connections. Their values are not in this computer's keyring yet."),
    };
    if !skipped.is_empty() {
        message.push_str(&format!(
            " Skipped, as a connection of the same name is saved here already: {}.",
            skipped.iter().map(|l| format!("“{l}”")).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(Moved {
        home: state.wizard().home(),
        message: Some(message),
    })
}

fn dialog(app: &tauri::AppHandle, window: &tauri::WebviewWindow, title: &str) -> FileDialogBuilder<tauri::Wry> {
    let mut dialog = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter("tba-wizard export (.json)", &["json"])
        .set_parent(window);
    let downloads = opener::downloads_dir();
    if downloads.is_dir() {
        dialog = dialog.set_directory(downloads);
    }
    dialog
}

/// The file chosen, `None` when the dialog was closed without one (not an error).
fn chosen(
    answer: Result<Option<FilePath>, tokio::sync::oneshot::error::RecvError>,
    what: &str,
) -> Result<Option<PathBuf>, UiError> {
    // The sender is dropped unanswered only when the dialog could not be shown at all.
    let chosen = answer.map_err(|_| {
        UiError::new(
            ErrorCode::Internal,
            format!("The file dialog could not be opened. tba-wizard-cli connections {what} FILE does the same."),
        )
    })?;
    let Some(chosen) = chosen else {
        tracing::info!(what, "connections dialog closed without a file");
        return Ok(None);
    };
    chosen.into_path().map(Some).map_err(|_| {
        UiError::new(
            ErrorCode::BadInput,
            "The dialog gave a location that is not a file on this computer. Choose a file on this computer.",
        )
    })
}

fn closed(state: &State<'_>) -> Moved {
    Moved {
        home: state.wizard().home(),
        message: None,
    }
}
