//! An OAuth 2.0 client credentials setup's own commands: the key and certificate, the Certificate ID,
//! the private key's export. Thin like the others: the engine decides, and the private key only ever
//! goes from Rust to the keyring, or to a file or the clipboard when the user asks.

use crate::error::UiError;
use crate::state::{AppState, State};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;
use tauri_plugin_dialog::DialogExt;
use tba_engine::flow::journey::ApiCall;
use tba_engine::flow::view::View;
use tba_engine::flow::wizard::{ApiAction, ApiAnswer, KeyPart, PartAction, SecretValue};
use tba_engine::netsuite::client::CertificateApiError;
use tba_engine::netsuite::oauth2::{self, Algorithm, Certificate, PrivateKey};
use tba_engine::os::clipboard::TakeError;
use tba_engine::os::opener::{self, OpenError};
use tba_engine::profiles::M2mValue;
use tba_engine::{CancellationToken, ErrorCode, NetSuiteClient};

/// A certificate made by the wizard lasts as long as NetSuite keeps one: two years.
const CERTIFICATE_DAYS: u32 = 730;

#[derive(Serialize, ts_rs::TS)]
pub struct KeyMade {
    view: View,
    /// Where the certificate was saved.
    path: String,
    warnings: Vec<String>,
}

/// "Make key and certificate": a key pair of the chosen kind, made off the async workers (RSA takes
/// seconds) and without the wizard's lock, kept in the keyring; its certificate saved to Downloads.
#[tauri::command]
pub async fn wizard_make_key(state: State<'_>, algorithm: String) -> Result<KeyMade, UiError> {
    let algorithm = Algorithm::parse(&algorithm).map_err(|e| UiError::new(e.error_code(), e.to_string()))?;
    let (connection_id, name) = state.wizard().read::<KeyPart>()?.target()?;
    let made = tauri::async_runtime::spawn_blocking(move || -> Result<(PrivateKey, Certificate), UiError> {
        let key =
            PrivateKey::generate(algorithm.default_kind()).map_err(|e| UiError::new(e.error_code(), e.to_string()))?;
        let certificate = Certificate::self_signed(&key, &name, CERTIFICATE_DAYS, SystemTime::now())
            .map_err(|e| UiError::new(e.error_code(), e.to_string()))?;
        Ok((key, certificate))
    })
    .await
    .map_err(|_| {
        UiError::new(
            ErrorCode::Internal,
            "Making the key stopped unexpectedly. Press the button again.",
        )
    })??;
    let (key, certificate) = made;
    keep_key(&state, &connection_id, &key, &certificate, algorithm, vec![])
}

/// "Import a key made elsewhere": the private key from the clipboard (never through the webview), the
/// certificate's PEM as pasted in the window (it is public). The clipboard is cleared once the key is kept.
#[tauri::command]
pub async fn wizard_import_key(state: State<'_>, certificate: String) -> Result<KeyMade, UiError> {
    let (connection_id, _) = state.wizard().read::<KeyPart>()?.target()?;
    // Before the clipboard is touched: a key in the certificate field is refused on its own.
    oauth2::certificate::refuse_key_in_certificate_field(&certificate)
        .map_err(|e| UiError::new(e.error_code(), e.to_string()))?;
    // Cleared after a refusal too: the key is still in its file, and on the clipboard it is exposed to
    // every other program and to clipboard history.
    let imported = state.clipboard.take_text_into_always_clear(|key_pem| {
        // Registered before anything can fail and log: a refused key is a secret too.
        tba_engine::support::redact::register_secret(&secrecy::SecretString::from(key_pem));
        let pair = oauth2::import_pair(key_pem, &certificate, SystemTime::now())
            .map_err(|e| UiError::new(e.error_code(), e.to_string()))?;
        keep_imported(&state, &connection_id, pair)
    });
    match imported {
        Ok(made) => Ok(made),
        Err(TakeError::Clipboard(e)) => Err(UiError::new(
            ErrorCode::BadInput,
            format!("{e} Copy the whole private key file (from -----BEGIN to -----END), then press Import again."),
        )),
        Err(TakeError::Store(e)) => Err(e),
    }
}

/// Set while the key files' dialog is open.
static KEY_FILES_OPEN: AtomicBool = AtomicBool::new(false);

#[derive(Serialize, ts_rs::TS)]
pub struct KeyFilesImported {
    view: View,
    /// What was imported; none when the dialog was closed without a file (not an error).
    made: Option<KeyMade>,
}

/// "Choose the key and certificate files…": the system's open dialog, shown by Rust (the window has no
/// file permission), for the private key's file and its certificate (one file holding both, or one of
/// each). The key never passes through the webview or the clipboard: each file is read without following
/// a symbolic link, capped at a key file's size, into memory that is wiped, and checked as the clipboard
/// import checks it.
#[tauri::command]
pub async fn wizard_import_key_files(
    app: tauri::AppHandle,
    window: tauri::WebviewWindow,
    state: State<'_>,
) -> Result<KeyFilesImported, UiError> {
    let (connection_id, _) = state.wizard().read::<KeyPart>()?.target()?;
    let _open = OneAtATime::take(
        &KEY_FILES_OPEN,
        "The file dialog is already open: choose the files there, or cancel it.",
    )?;
    let (chosen_tx, chosen_rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Choose the private key and its certificate")
        .add_filter(
            "Key and certificate (.pem, .key, .crt, .cer)",
            &["pem", "key", "crt", "cer"],
        )
        .set_parent(&window)
        .pick_files(move |chosen| {
            let _ = chosen_tx.send(chosen);
        });
    let chosen = chosen_rx.await.map_err(|_| {
        UiError::new(
            ErrorCode::Internal,
            "The file dialog could not be opened. Copy the key file's text and use Import from the clipboard.",
        )
    })?;
    let Some(chosen) = chosen.filter(|c| !c.is_empty()) else {
        tracing::info!("key files dialog closed without a file");
        return Ok(KeyFilesImported {
            view: state.wizard().view(),
            made: None,
        });
    };
    let mut contents = Vec::with_capacity(chosen.len());
    for file in chosen {
        let path = file.into_path().map_err(|_| {
            UiError::new(
                ErrorCode::BadInput,
                "The dialog gave a location that is not a file on this computer. Choose files on this computer.",
            )
        })?;
        let bytes = tba_engine::keep::store::read_secret_bytes(&path, tba_engine::keep::store::MAX_KEY_FILE_BYTES)
            .map_err(|e| {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                UiError::new(
                    ErrorCode::BadInput,
                    format!("{name} could not be read: {e}. Choose the key file itself and its certificate."),
                )
            })?;
        contents.push(bytes);
    }
    let files: Vec<&[u8]> = contents.iter().map(|b| b.as_slice()).collect();
    for text in files.iter().filter_map(|b| std::str::from_utf8(b).ok()) {
        if text.contains("PRIVATE KEY-----") {
            tba_engine::support::redact::register_secret(&secrecy::SecretString::from(text));
        }
    }
    let pair =
        oauth2::pair_from_files(&files, SystemTime::now()).map_err(|e| UiError::new(e.error_code(), e.to_string()))?;
    let made = keep_imported(&state, &connection_id, pair)?;
    tracing::info!("key and certificate imported from files the user chose");
    Ok(KeyFilesImported {
        view: made.view.clone(),
        made: Some(made),
    })
}

/// A key made elsewhere and checked, kept as `keep_key` keeps one, signing with its kind's algorithm.
fn keep_imported(state: &AppState, connection_id: &str, pair: oauth2::ImportedPair) -> Result<KeyMade, UiError> {
    let algorithm = pair.key.kind().default_algorithm();
    keep_key(
        state,
        connection_id,
        &pair.key,
        &pair.certificate,
        algorithm,
        pair.warnings,
    )
}

/// A key made here or elsewhere: registered with the redactor, kept in the keyring for the connection
/// the work began on, its certificate saved to Downloads.
fn keep_key(
    state: &AppState,
    connection_id: &str,
    key: &PrivateKey,
    certificate: &Certificate,
    algorithm: Algorithm,
    warnings: Vec<String>,
) -> Result<KeyMade, UiError> {
    tba_engine::support::redact::register_key(key);
    let dir = opener::downloads_dir();
    let acted = state.wizard().act(PartAction::AttachKey {
        connection_id,
        key,
        certificate,
        algorithm,
        dir: &dir,
    })?;
    Ok(KeyMade {
        view: acted.view,
        path: saved_path(acted.file),
        warnings,
    })
}

#[derive(Serialize, ts_rs::TS)]
pub struct FileSaved {
    view: View,
    path: String,
}

/// Saves the certificate's file again (after a failed save, or for a second copy).
#[tauri::command]
pub async fn wizard_save_certificate(state: State<'_>) -> Result<FileSaved, UiError> {
    let acted = state
        .wizard()
        .act(PartAction::SaveCertificate(&opener::downloads_dir()))?;
    Ok(FileSaved {
        view: acted.view,
        path: saved_path(acted.file),
    })
}

#[derive(Serialize, ts_rs::TS)]
pub struct SavedAs {
    view: View,
    /// The file the certificate was saved as; none when the dialog was closed without choosing one.
    path: Option<String>,
}

/// Set while a "Save a copy as…" dialog is open, so a second one cannot open over it.
static SAVE_AS_OPEN: AtomicBool = AtomicBool::new(false);
/// Set while an upload through the certificate endpoint waits for its answer.
static UPLOAD_IN_FLIGHT: AtomicBool = AtomicBool::new(false);

/// Holds a flag for as long as it lives.
pub(crate) struct OneAtATime(&'static AtomicBool);

impl OneAtATime {
    /// The flag, or "not now" with `busy` when another holder has it.
    pub(crate) fn take(flag: &'static AtomicBool, busy: &str) -> Result<OneAtATime, UiError> {
        flag.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .map(|_| OneAtATime(flag))
            .map_err(|_| UiError::new(ErrorCode::NotNow, busy))
    }
}

impl Drop for OneAtATime {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// "Save a copy as…": the system's save dialog, shown by Rust (the window has no dialog or file
/// permission), suggesting the name the Downloads copy has, in Downloads. The chosen file gets the
/// certificate (public), readable by the user only, and becomes the certificate's file; the dialog asks
/// before replacing a file. Closing the dialog saves nothing, which is not an error. The dialog is
/// awaited, not blocked on, and the wizard's lock is not held while it is open.
#[tauri::command]
pub async fn wizard_save_certificate_as(
    app: tauri::AppHandle,
    window: tauri::WebviewWindow,
    state: State<'_>,
) -> Result<SavedAs, UiError> {
    let shown = state.wizard().read::<KeyPart>()?.to_save()?;
    let _open = OneAtATime::take(
        &SAVE_AS_OPEN,
        "The save dialog is already open: choose a file there, or cancel it.",
    )?;
    let mut dialog = app
        .dialog()
        .file()
        .set_title("Save a copy of the certificate")
        .set_file_name(&shown.file_name)
        .add_filter("Certificate (.pem)", &["pem"])
        .set_parent(&window);
    let downloads = opener::downloads_dir();
    if downloads.is_dir() {
        dialog = dialog.set_directory(downloads);
    }
    let (chosen_tx, chosen_rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |chosen| {
        let _ = chosen_tx.send(chosen);
    });
    // The sender is dropped unanswered only when the dialog could not be shown at all.
    let chosen = chosen_rx.await.map_err(|_| {
        UiError::new(
            ErrorCode::Internal,
            "The save dialog could not be opened. Use Save another copy, which saves in your Downloads folder.",
        )
    })?;
    let Some(chosen) = chosen else {
        tracing::info!("certificate save dialog closed without a file");
        return Ok(SavedAs {
            view: state.wizard().view(),
            path: None,
        });
    };
    let path = chosen.into_path().map_err(|_| {
        UiError::new(
            ErrorCode::BadInput,
            "The dialog gave a location that is not a file on this computer. Choose a folder on this computer.",
        )
    })?;
    let acted = state.wizard().act(PartAction::SaveCertificateAs {
        path: &path,
        shown: &shown,
    })?;
    tracing::info!("certificate saved to a file the user chose");
    Ok(SavedAs {
        view: acted.view,
        path: Some(saved_path(acted.file)),
    })
}

#[derive(Serialize, ts_rs::TS)]
pub struct FolderShown {
    opened: bool,
    folder: String,
    message: Option<String>,
}

/// Shows the certificate's folder in the file manager, for the upload.
#[tauri::command]
pub async fn wizard_show_certificate(state: State<'_>) -> Result<FolderShown, UiError> {
    let file = state.wizard().read::<KeyPart>()?.file()?;
    let folder = file.parent().map(PathBuf::from).unwrap_or_default();
    match opener::show_folder(&folder) {
        Ok(()) => Ok(FolderShown {
            opened: true,
            folder: folder.display().to_string(),
            message: None,
        }),
        Err(OpenError::NoBrowser) => Ok(FolderShown {
            opened: false,
            folder: folder.display().to_string(),
            message: Some(format!(
                "No file manager could be opened. The certificate is {}.",
                file.display()
            )),
        }),
        Err(OpenError::NotAllowed(_)) => Err(UiError::new(
            ErrorCode::NotNow,
            format!(
                "The folder {} is gone. Press Save the certificate again.",
                folder.display()
            ),
        )),
    }
}

#[tauri::command]
pub async fn wizard_set_certificate_id(state: State<'_>, value: String) -> Result<View, UiError> {
    Ok(state.wizard().act(PartAction::CertificateId(&value))?.view)
}

#[derive(Serialize, ts_rs::TS)]
pub struct KeyExported {
    path: String,
}

/// The hand-off's "Export the private key": a new file in Downloads readable by the user only, after the
/// window's confirmation. Never replaces a file.
#[tauri::command]
pub async fn wizard_export_key(state: State<'_>) -> Result<KeyExported, UiError> {
    let (pem, account) = {
        let wizard = state.wizard();
        // The key leaves the keyring here: registered with the redactor before anything else can log.
        let pem = wizard.secret_for(SecretValue::M2m(M2mValue::PrivateKey))?;
        tba_engine::support::redact::register_secret(&secrecy::SecretString::from(pem.as_str()));
        // The hand-off's key is its connection's: the one the view shows.
        let account = wizard.view().connection.map(|c| c.account).unwrap_or_default();
        (pem, account)
    };
    let dir = opener::downloads_dir();
    let stem = format!("netsuite-{}-private-key", account.to_ascii_lowercase());
    let path = tba_engine::keep::store::save_new_file(&dir, &stem, "pem", pem.as_bytes()).map_err(|e| {
        UiError::new(
            ErrorCode::Storage,
            format!(
                "The private key could not be saved in {}: {e}. Nothing was written.",
                dir.display()
            ),
        )
    })?;
    tracing::info!("private key exported to a file at the user's request");
    Ok(KeyExported {
        path: path.display().to_string(),
    })
}

/// "Upload it for me": the new certificate becomes a mapping like the one in use (same role and entity)
/// through NetSuite's certificate endpoint, with a token of the key in use. Its answers are not
/// documented: whatever fails, the message says so and the guided steps on the screen remain.
#[tauri::command]
pub async fn journey_upload_certificate(state: State<'_>) -> Result<View, UiError> {
    // One upload at a time: a second press while one is waiting for NetSuite would make a second mapping.
    let _one = OneAtATime::take(
        &UPLOAD_IN_FLIGHT,
        "An upload is already waiting for NetSuite's answer: wait for it.",
    )?;
    let call = state.wizard().api_call(ApiAction::Upload)?;
    let (client, cancel) = api_client(&state, &call)?;
    let result = client
        .upload_like_current(&call.credentials, &call.certificate_pem, call.adopt_first, &cancel)
        .await;
    state.set_running(None);
    let id = result.map_err(api_error)?;
    Ok(state
        .wizard()
        .record_api_call(&call, ApiAnswer::Uploaded { certificate_id: &id })?)
}

/// "Revoke it for me": the old mapping revoked through NetSuite's certificate endpoint, with a token of
/// the new key (now in use).
#[tauri::command]
pub async fn journey_revoke_old_mapping(state: State<'_>) -> Result<View, UiError> {
    let call = state.wizard().api_call(ApiAction::Revoke)?;
    let (client, cancel) = api_client(&state, &call)?;
    let result = client
        .revoke_certificate(&call.credentials, &call.certificate_id, &cancel)
        .await;
    if let Err(e) = result {
        state.set_running(None);
        return Err(api_error(e));
    }
    // What is left for the same role and user, read with the key now in use: a mapping nobody meant to
    // keep shows here. Not reading it costs only that list, never the revoke.
    let still_active = match client.active_like(&call.credentials, &cancel).await {
        Ok(ids) => Some(ids),
        Err(e) => {
            let code = tba_engine::serde_name(&e.error_code());
            tracing::info!(error = %code, "the list after the revoke was not read");
            None
        }
    };
    state.set_running(None);
    Ok(state
        .wizard()
        .record_api_call(&call, ApiAnswer::Revoked { still_active })?)
}

/// A client for the call's account and a cancel token `wizard_cancel_test` reaches; the caller clears
/// it when the call returns.
fn api_client(state: &AppState, call: &ApiCall) -> Result<(NetSuiteClient, CancellationToken), UiError> {
    let client = NetSuiteClient::new(call.account.clone(), state.options.clone())
        .map_err(|e| UiError::new(ErrorCode::Internal, e.to_string()))?;
    let cancel = CancellationToken::new();
    state.set_running(Some(cancel.clone()));
    Ok((client, cancel))
}

fn api_error(e: CertificateApiError) -> UiError {
    UiError::new(e.error_code(), e.to_string())
}

/// The file an action saved, as the window shows it (an action that saves always names its file).
fn saved_path(file: Option<PathBuf>) -> String {
    file.map(|p| p.display().to_string()).unwrap_or_default()
}
