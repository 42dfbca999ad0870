//! The setup wizard's commands, and `app_info`. Thin: the wizard's state and decisions live in the
//! engine, and the webview renders the view it is given. Secrets only ever travel into Rust (a typed
//! value, once); what comes back is fingerprints.

use crate::error::UiError;
use crate::state::{State, STARTED};
use serde::{Deserialize, Serialize};
use tba_engine::flow::plan::Purpose;
use tba_engine::flow::view::{CaptureField, View};
use tba_engine::flow::wizard::{Go, PartAction, SecretValue};
use tba_engine::keep::secrets::Field;
use tba_engine::os::clipboard::{TakeError, CLEAR_AFTER, HISTORY_NOTE};
use tba_engine::os::opener::{self, OpenError};
use tba_engine::profiles::M2mValue;
use tba_engine::ErrorCode;
use zeroize::Zeroizing;

static REPORTED_READY: std::sync::Once = std::sync::Once::new();

#[derive(Serialize, ts_rs::TS)]
pub struct AppInfo {
    name: &'static str,
    version: &'static str,
    /// Where NetSuite calls go instead of NetSuite (`TBA_WIZARD_BASE_URL`), as scheme, host and port: the
    /// window shows it for as long as it runs, so no one takes a stand-in's answers for NetSuite's.
    base_url: Option<String>,
}

/// The start screen asks for this as soon as its script runs, so its first call marks the window as
/// ready; `scripts/bench.sh` reads that mark (with TBA_WIZARD_REPORT_READY set).
#[tauri::command]
pub fn app_info(state: State<'_>) -> AppInfo {
    if std::env::var_os("TBA_WIZARD_REPORT_READY").is_some() {
        REPORTED_READY.call_once(|| {
            let ms = STARTED.get().map(|s| s.elapsed().as_millis()).unwrap_or(0);
            eprintln!("READY {ms}");
        });
    }
    AppInfo {
        name: "tba-wizard",
        version: env!("CARGO_PKG_VERSION"),
        base_url: state
            .options
            .base_url
            .as_ref()
            .map(|u| u.origin().ascii_serialization()),
    }
}

#[tauri::command]
pub async fn wizard_view(state: State<'_>) -> Result<View, UiError> {
    crate::state::phase("view");
    let view = state.wizard().view();
    crate::state::phase("view-served");
    Ok(view)
}

#[tauri::command]
pub async fn wizard_start(state: State<'_>, profile: String) -> Result<View, UiError> {
    Ok(state.wizard().start(&profile)?)
}

#[tauri::command]
pub async fn wizard_reset(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().reset()?)
}

#[tauri::command]
pub async fn wizard_set_account(state: State<'_>, input: String) -> Result<View, UiError> {
    Ok(state.wizard().act(PartAction::Account(&input))?.view)
}

/// Asks NetSuite whether the account exists; offline is fine and is said.
#[tauri::command]
pub async fn wizard_check_account(state: State<'_>) -> Result<View, UiError> {
    crate::state::run_plan(&state, Purpose::AccountCheck).await?;
    Ok(state.wizard().view())
}

#[tauri::command]
pub async fn wizard_tick(state: State<'_>, screen: String, key: String, checked: bool) -> Result<View, UiError> {
    Ok(state
        .wizard()
        .act(PartAction::Tick {
            screen: &screen,
            key: &key,
            checked,
        })?
        .view)
}

#[tauri::command]
pub async fn wizard_pick(state: State<'_>, key: String, picked: bool) -> Result<View, UiError> {
    Ok(state.wizard().act(PartAction::Pick { key: &key, picked })?.view)
}

#[tauri::command]
pub async fn wizard_next(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().go(Go::Next)?)
}

#[tauri::command]
pub async fn wizard_back(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().go(Go::Back)?)
}

#[tauri::command]
pub async fn wizard_goto(state: State<'_>, screen: String) -> Result<View, UiError> {
    Ok(state.wizard().go(Go::To(&screen))?)
}

#[derive(Serialize, ts_rs::TS)]
pub struct Captured {
    view: View,
    field: CaptureField,
    fingerprint: Option<String>,
    warnings: Vec<String>,
}

fn captured(view: View, field: CaptureField, warnings: Vec<String>) -> Captured {
    // As the screen shows it: the setup's active slot, or a journey's new (pending) values.
    let fingerprint = view
        .current
        .as_ref()
        .and_then(|s| s.captures.iter().find(|c| c.field == field))
        .and_then(|c| c.fingerprint.clone());
    Captured {
        view,
        field,
        fingerprint,
        warnings,
    }
}

/// "Paste": the value goes from the clipboard straight into the keyring, and only once it is stored is
/// the clipboard cleared: NetSuite shows it once, so a keyring that refuses it must not lose it.
#[tauri::command]
pub async fn wizard_capture_paste(state: State<'_>, field: CaptureField) -> Result<Captured, UiError> {
    match state
        .clipboard
        .take_text_into(|value| state.wizard().act(PartAction::capture(field, value)))
    {
        Ok(acted) => Ok(captured(acted.view, field, acted.warnings)),
        Err(TakeError::Clipboard(e)) => Err(e.into()),
        Err(TakeError::Store(e)) => Err(still_on_clipboard(e.into())),
    }
}

/// A paste that could not be kept: the value is still on the clipboard, and the user is told so.
fn still_on_clipboard(mut e: UiError) -> UiError {
    if e.code != ErrorCode::BadInput {
        e.message = format!(
            "{} The value was not saved and is still on the clipboard: once that is fixed, press Paste again. \
             If you copy something else meanwhile, copy the value from NetSuite again.",
            e.message
        );
    }
    e
}

/// The fallback when the clipboard cannot be used: a value typed into a password field, sent once.
#[tauri::command]
pub async fn wizard_capture_typed(state: State<'_>, field: CaptureField, value: String) -> Result<Captured, UiError> {
    let value = Zeroizing::new(value);
    let acted = state.wizard().act(PartAction::capture(field, &value))?;
    Ok(captured(acted.view, field, acted.warnings))
}

/// A value saved with a warning, kept as it is: Next stops waiting for it to be pasted again.
#[tauri::command]
pub async fn wizard_keep_value(state: State<'_>, field: CaptureField) -> Result<View, UiError> {
    Ok(state.wizard().act(PartAction::KeepAsIs(field))?.view)
}

#[derive(Serialize, ts_rs::TS)]
pub struct Opened {
    opened: bool,
    url: String,
    message: Option<String>,
}

/// Opens one of the current screen's pages in the browser. If no browser can be opened, the address
/// comes back so the window can show it with a copy button.
#[tauri::command]
pub async fn wizard_open(state: State<'_>, which: String) -> Result<Opened, UiError> {
    let (url, hosts) = state.wizard().link(&which)?;
    match opener::open_allowed(&url, &hosts) {
        Ok(()) => Ok(Opened {
            opened: true,
            url: url.to_string(),
            message: None,
        }),
        Err(e @ OpenError::NoBrowser) => Ok(Opened {
            opened: false,
            url: url.to_string(),
            message: Some(e.to_string()),
        }),
        Err(e) => Err(UiError::new(ErrorCode::NotAllowed, e.to_string())),
    }
}

#[derive(Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CopyWhat {
    /// A saved secret, for the hand-off: cleared from the clipboard after 30 s.
    Secret { field: Field },
    /// An OAuth 2.0 value kept in the keyring (Client ID, private key): cleared after 30 s too.
    M2m { value: M2mValue },
    /// A hand-off field that is not secret (e.g. the account ID), by its label.
    Handoff { label: String },
    /// The current screen's page address, when no browser could open it.
    Link { which: String },
}

#[derive(Serialize, ts_rs::TS)]
pub struct Copied {
    clears_in_seconds: Option<u64>,
    /// Where the platform cannot promise that clipboard history tools skip a copied secret, what to know.
    history_note: Option<String>,
}

/// A secret onto the clipboard, cleared after `CLEAR_AFTER`; the private key is registered with the
/// redactor first, since it leaves the keyring.
fn copy_secret(state: &State<'_>, what: SecretValue) -> Result<Copied, UiError> {
    let text = state.wizard().secret_for(what)?;
    if what == SecretValue::M2m(M2mValue::PrivateKey) {
        tba_engine::support::redact::register_secret(&secrecy::SecretString::from(text.as_str()));
    }
    state.clipboard.copy_for(&text, CLEAR_AFTER)?;
    Ok(Copied {
        clears_in_seconds: Some(CLEAR_AFTER.as_secs()),
        history_note: HISTORY_NOTE.map(str::to_owned),
    })
}

#[tauri::command]
pub async fn wizard_copy(state: State<'_>, what: CopyWhat) -> Result<Copied, UiError> {
    match what {
        CopyWhat::Secret { field } => copy_secret(&state, SecretValue::Tba(field)),
        CopyWhat::M2m { value } => copy_secret(&state, SecretValue::M2m(value)),
        CopyWhat::Handoff { label } => {
            let text = state
                .wizard()
                .handoff_text(&label)
                .ok_or_else(|| UiError::new(ErrorCode::NotNow, "Nothing to copy for that field."))?;
            state.clipboard.put_text(&text)?;
            Ok(Copied {
                clears_in_seconds: None,
                history_note: None,
            })
        }
        CopyWhat::Link { which } => {
            let (url, _) = state.wizard().link(&which)?;
            state.clipboard.put_text(url.as_str())?;
            Ok(Copied {
                clears_in_seconds: None,
                history_note: None,
            })
        }
    }
}

/// The signed test (or, for Celigo, the account check), run off the wizard's lock so the window stays
/// responsive and the user can cancel; `on_stage` hears what each stage is doing as it starts.
#[tauri::command]
pub async fn wizard_run_test(state: State<'_>, on_stage: tauri::ipc::Channel<String>) -> Result<View, UiError> {
    crate::state::run_plan_telling(&state, Purpose::Test, Some(&on_stage)).await?;
    Ok(state.wizard().view())
}

#[tauri::command]
pub async fn wizard_cancel_test(state: State<'_>) -> Result<(), UiError> {
    if let Some(cancel) = state.running_test().take() {
        cancel.cancel();
    }
    Ok(())
}
