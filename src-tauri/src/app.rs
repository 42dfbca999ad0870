//! The desktop window. Commands stay thin: the wizard's state and decisions live in the engine, and the
//! webview renders the view it is given. Secrets only ever travel into Rust (a typed value, once);
//! what comes back is fingerprints.

use serde::{Deserialize, Serialize};
use std::process::ExitCode;
use std::sync::Mutex;
use tba_engine::flow::wizard::{self, View, Wizard, WizardError};
use tba_engine::keep::connections::{ConnectionError, Connections};
use tba_engine::keep::secrets::Field;
use tba_engine::keep::store::ConnectionStore;
use tba_engine::keep::vault::{KeyringStore, Slot, Vault};
use tba_engine::netsuite::client::ClientOptions;
use tba_engine::os::clipboard::{ClipboardError, SecretClipboard, TakeError, CLEAR_AFTER, HISTORY_NOTE};
use tba_engine::os::opener::{self, OpenError};
use tba_engine::CancellationToken;
use zeroize::Zeroizing;

/// Errors cross to the webview as `{code, message, step?}`, never as a bare string.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct UiError {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<String>,
}

impl UiError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        UiError {
            code,
            message: message.into(),
            step: None,
        }
    }
}

impl From<WizardError> for UiError {
    fn from(e: WizardError) -> Self {
        let code = match &e {
            WizardError::BadInput(_) | WizardError::Connection(ConnectionError::BadInput(_)) => "bad_input",
            WizardError::Connection(ConnectionError::Vault(_)) => "keyring",
            WizardError::Connection(ConnectionError::Store(_)) | WizardError::Save { .. } => "storage",
            WizardError::SecretLike => "secret_like",
        };
        UiError::new(code, e.to_string())
    }
}

impl From<ConnectionError> for UiError {
    fn from(e: ConnectionError) -> Self {
        WizardError::from(e).into()
    }
}

impl From<ClipboardError> for UiError {
    fn from(e: ClipboardError) -> Self {
        let code = match e {
            ClipboardError::Empty => "clipboard_empty",
            ClipboardError::Unavailable(_) => "clipboard_unavailable",
        };
        UiError::new(code, e.to_string())
    }
}

pub(crate) struct AppState {
    wizard: Mutex<Wizard<KeyringStore>>,
    pub(crate) clipboard: SecretClipboard,
    running_test: Mutex<Option<CancellationToken>>,
    pub(crate) options: ClientOptions,
}

impl AppState {
    pub(crate) fn wizard(&self) -> std::sync::MutexGuard<'_, Wizard<KeyringStore>> {
        self.wizard.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The signed call under way, if any, so Cancel can reach it.
    pub(crate) fn set_running(&self, cancel: Option<CancellationToken>) {
        *self.running_test.lock().unwrap_or_else(|p| p.into_inner()) = cancel;
    }

    pub(crate) fn test_running(&self) -> bool {
        self.running_test.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
}

pub(crate) type State<'a> = tauri::State<'a, AppState>;

#[derive(Serialize, ts_rs::TS)]
pub struct AppInfo {
    name: &'static str,
    version: &'static str,
}

static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
static REPORTED_READY: std::sync::Once = std::sync::Once::new();

/// The start screen asks for this as soon as its script runs, so its first call marks the window as
/// ready; `scripts/bench.sh` reads that mark (with TBA_WIZARD_REPORT_READY set).
#[tauri::command]
fn app_info() -> AppInfo {
    if std::env::var_os("TBA_WIZARD_REPORT_READY").is_some() {
        REPORTED_READY.call_once(|| {
            let ms = STARTED.get().map(|s| s.elapsed().as_millis()).unwrap_or(0);
            eprintln!("READY {ms}");
        });
    }
    AppInfo {
        name: "tba-wizard",
        version: env!("CARGO_PKG_VERSION"),
    }
}

#[tauri::command]
async fn wizard_view(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().view())
}

#[tauri::command]
async fn wizard_start(state: State<'_>, profile: String) -> Result<View, UiError> {
    Ok(state.wizard().start(&profile)?)
}

#[tauri::command]
async fn wizard_reset(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().reset()?)
}

#[tauri::command]
async fn wizard_set_account(state: State<'_>, input: String) -> Result<View, UiError> {
    Ok(state.wizard().set_account(&input)?)
}

/// Asks NetSuite whether the account exists; offline is fine and is said.
#[tauri::command]
async fn wizard_check_account(state: State<'_>) -> Result<View, UiError> {
    let account = state.wizard().test_plan()?.account;
    let check = wizard::check_only(&account, &state.options, &CancellationToken::new()).await;
    Ok(state.wizard().set_datacenter(check))
}

#[tauri::command]
async fn wizard_tick(state: State<'_>, screen: String, key: String, checked: bool) -> Result<View, UiError> {
    Ok(state.wizard().tick(&screen, &key, checked)?)
}

#[tauri::command]
async fn wizard_pick(state: State<'_>, key: String, picked: bool) -> Result<View, UiError> {
    Ok(state.wizard().pick(&key, picked)?)
}

#[tauri::command]
async fn wizard_next(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().advance()?)
}

#[tauri::command]
async fn wizard_back(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().back()?)
}

#[tauri::command]
async fn wizard_goto(state: State<'_>, screen: String) -> Result<View, UiError> {
    Ok(state.wizard().goto(&screen)?)
}

#[derive(Serialize, ts_rs::TS)]
pub struct Captured {
    view: View,
    field: Field,
    fingerprint: Option<String>,
    warnings: Vec<String>,
}

fn captured(view: View, field: Field, warnings: Vec<String>) -> Captured {
    let fingerprint = view
        .connection
        .as_ref()
        .and_then(|c| c.fingerprints.get(field).map(str::to_owned));
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
async fn wizard_capture_paste(state: State<'_>, field: Field) -> Result<Captured, UiError> {
    match state
        .clipboard
        .take_text_into(|value| state.wizard().capture(field, value))
    {
        Ok((view, warnings)) => Ok(captured(view, field, warnings)),
        Err(TakeError::Clipboard(e)) => Err(e.into()),
        Err(TakeError::Store(e)) => Err(still_on_clipboard(e.into())),
    }
}

/// A paste that could not be kept: the value is still on the clipboard, and the user is told so.
fn still_on_clipboard(mut e: UiError) -> UiError {
    if e.code != "bad_input" {
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
async fn wizard_capture_typed(state: State<'_>, field: Field, value: String) -> Result<Captured, UiError> {
    let value = Zeroizing::new(value);
    let (view, warnings) = state.wizard().capture(field, &value)?;
    Ok(captured(view, field, warnings))
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
async fn wizard_open(state: State<'_>, which: String) -> Result<Opened, UiError> {
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
        Err(e) => Err(UiError::new("not_allowed", e.to_string())),
    }
}

#[derive(Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CopyWhat {
    /// A saved secret, for the hand-off: cleared from the clipboard after 30 s.
    Secret { field: Field },
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

#[tauri::command]
async fn wizard_copy(state: State<'_>, what: CopyWhat) -> Result<Copied, UiError> {
    match what {
        CopyWhat::Secret { field } => {
            let (id, slot) = state
                .wizard()
                .copy_source()
                .ok_or_else(|| UiError::new("bad_input", "Enter the account ID first."))?;
            let wizard = state.wizard();
            let vault = &wizard.connections.vault;
            // During a journey the hand-off gives the new values: the active set with the pending ones over it.
            let set = match slot {
                Slot::Pending => vault
                    .read(&id, Slot::Active)
                    .and_then(|a| Ok(a.overlay(&vault.read(&id, Slot::Pending)?))),
                other => vault.read(&id, other),
            }
            .map_err(ConnectionError::from)?;
            drop(wizard);
            let value = set
                .get(field)
                .ok_or_else(|| UiError::new("missing", format!("The {} is not saved yet.", field.label())))?;
            state
                .clipboard
                .copy_for(secrecy::ExposeSecret::expose_secret(value), CLEAR_AFTER)?;
            Ok(Copied {
                clears_in_seconds: Some(CLEAR_AFTER.as_secs()),
                history_note: HISTORY_NOTE.map(str::to_owned),
            })
        }
        CopyWhat::Handoff { label } => {
            let text = state
                .wizard()
                .handoff_text(&label)
                .ok_or_else(|| UiError::new("missing", "Nothing to copy for that field."))?;
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
/// responsive and the user can cancel.
#[tauri::command]
async fn wizard_run_test(state: State<'_>) -> Result<View, UiError> {
    let plan = state.wizard().test_plan()?;
    let cancel = CancellationToken::new();
    state.set_running(Some(cancel.clone()));
    let result = run_plan(&state, &plan, &cancel).await;
    state.set_running(None);
    result
}

async fn run_plan(state: &AppState, plan: &wizard::TestPlan, cancel: &CancellationToken) -> Result<View, UiError> {
    let check = wizard::check_only(&plan.account, &state.options, cancel).await;
    state.wizard().set_datacenter(check);
    if !plan.signed {
        return Ok(state.wizard().view());
    }
    let (report, probes) = sign_and_run(state, plan, cancel).await?;
    Ok(state.wizard().record_plan_test(plan, report, probes)?)
}

/// Runs a plan signed with the values of its keyring slot; the wizard's lock is held only to read them.
pub(crate) async fn sign_and_run(
    state: &AppState,
    plan: &wizard::TestPlan,
    cancel: &CancellationToken,
) -> Result<(tba_engine::Report, Vec<wizard::ProbeLine>), UiError> {
    let credentials = state
        .wizard()
        .connections
        .vault
        .credentials_in(&plan.connection_id, plan.slot)
        .map_err(ConnectionError::from)?;
    plan.run(&credentials, state.options.clone(), cancel)
        .await
        .map_err(|e| UiError::new("client", e.to_string()))
}

#[tauri::command]
async fn wizard_cancel_test(state: State<'_>) -> Result<(), UiError> {
    if let Some(cancel) = state.running_test.lock().unwrap_or_else(|p| p.into_inner()).take() {
        cancel.cancel();
    }
    Ok(())
}

/// NetSuite calls go to `TBA_WIZARD_BASE_URL` when it is set (stand-ins and proxies), else to NetSuite.
fn client_options() -> Result<ClientOptions, String> {
    let mut options = ClientOptions::default();
    if let Some(base) = std::env::var("TBA_WIZARD_BASE_URL")
        .ok()
        .filter(|b| !b.trim().is_empty())
    {
        options.base_url =
            Some(tba_engine::netsuite::client::parse_base_url(&base).map_err(|e| format!("TBA_WIZARD_BASE_URL: {e}"))?);
    }
    Ok(options)
}

pub fn run() -> ExitCode {
    STARTED.get_or_init(std::time::Instant::now);
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
    let options = match client_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("tba-wizard: {e}");
            return ExitCode::from(tba_cli::exit::EXIT_BAD_INPUT);
        }
    };
    let state = AppState {
        wizard: Mutex::new(Wizard::open(Connections::new(
            ConnectionStore::open_default(),
            Vault::keyring(),
        ))),
        clipboard: SecretClipboard::new(),
        running_test: Mutex::new(None),
        options,
    };
    let clipboard = state.clipboard.clone();
    let result = tauri::Builder::default()
        // First, so that a second launch hands over its link and exits before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            crate::links::on_second_instance(app, args, cwd)
        }))
        .plugin(tauri_plugin_deep_link::init())
        .manage(state)
        .manage(crate::links::Links::default())
        .setup(|app| {
            crate::links::setup(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app_info,
            wizard_view,
            wizard_start,
            wizard_reset,
            wizard_set_account,
            wizard_check_account,
            wizard_tick,
            wizard_pick,
            wizard_next,
            wizard_back,
            wizard_goto,
            wizard_capture_paste,
            wizard_capture_typed,
            wizard_open,
            wizard_copy,
            wizard_run_test,
            wizard_cancel_test,
            crate::journeys::home_view,
            crate::journeys::home_test,
            crate::journeys::connection_remove,
            crate::journeys::connection_forget_old,
            crate::journeys::journey_start,
            crate::journeys::journey_end,
            crate::journeys::journey_discard_new,
            crate::journeys::journey_set_token_name,
            crate::journeys::journey_check_old,
            crate::support::support_copy_diagnostics,
            crate::support::support_save_diagnostics,
            crate::links::link_ready,
            crate::links::link_apply,
        ])
        .build(tauri::generate_context!());
    match result {
        Ok(app) => {
            app.run(move |_, event| {
                if let tauri::RunEvent::Exit = event {
                    // A secret copied less than 30 s ago must not outlive the app on the clipboard.
                    clipboard.clear_copied();
                }
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tba-wizard: the window could not be opened: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The types the webview receives, as TypeScript, generated from these Rust types so the two cannot
/// drift apart: this test fails when `ui/src/bindings.ts` is stale. `UPDATE_BINDINGS=1 cargo test -p
/// tba-wizard bindings` rewrites it.
#[cfg(test)]
mod bindings {
    use ts_rs::{Config, TS};

    fn render() -> String {
        let cfg = Config::new().with_large_int("number");
        let mut out = String::from(
            "// Generated from the Rust types by `cargo test -p tba-wizard bindings`; do not edit.\n\
             // Regenerate with: UPDATE_BINDINGS=1 cargo test -p tba-wizard bindings\n\n",
        );
        macro_rules! declare {
            ($($t:ty),* $(,)?) => {
                $( out.push_str("export "); out.push_str(&<$t>::decl(&cfg)); out.push_str("\n\n"); )*
            };
        }
        use tba_engine::flow::{home, rotation, wizard};
        use tba_engine::keep::{secrets, store};
        use tba_engine::netsuite::{client, outcome};
        use tba_engine::profiles;
        declare!(
            wizard::View,
            rotation::Journey,
            rotation::RevokeView,
            rotation::OldTokenCheck,
            rotation::JourneyInfo,
            home::HomeView,
            home::HomeCard,
            home::HomeTest,
            home::SetupSummary,
            wizard::ProfileInfo,
            wizard::AccountView,
            wizard::ScreenInfo,
            wizard::ScreenKind,
            wizard::ScreenView,
            wizard::PageLink,
            wizard::ItemView,
            wizard::CaptureView,
            wizard::TestView,
            wizard::TestRun,
            wizard::CauseView,
            wizard::ProbeLine,
            wizard::HandOffView,
            wizard::HandOffFieldView,
            profiles::ItemKind,
            profiles::Place,
            client::DatacenterCheck,
            client::DatacenterStatus,
            store::Connection,
            store::LastTest,
            store::Profile,
            secrets::Field,
            secrets::Fingerprints,
            outcome::Report,
            outcome::Outcome,
            outcome::Cause,
            outcome::Step,
            outcome::NetworkProblem,
            outcome::NetworkKind,
            outcome::ClockCheck,
            outcome::ClockStatus,
            outcome::AuditTrailHelp,
            outcome::DetailValue,
            super::UiError,
            super::AppInfo,
            super::Captured,
            super::Opened,
            super::CopyWhat,
            super::Copied,
            crate::support::DiagnosticsSaved,
            crate::links::LinkEvent,
        );
        out.trim_end().to_string() + "\n"
    }

    #[test]
    fn typescript_bindings_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        let fresh = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("ui/src/bindings.ts is writable");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p tba-wizard bindings` and commit it"
        );
    }
}
