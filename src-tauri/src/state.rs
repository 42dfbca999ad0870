//! What the window's commands share: the wizard behind its lock, the clipboard, the signed call under
//! way (so Cancel can reach it) and the client's options.

use crate::error::UiError;
use std::sync::Mutex;
use tba_engine::flow::plan::TestPlan;
use tba_engine::flow::view::ProbeLine;
use tba_engine::flow::wizard::Wizard;
use tba_engine::keep::connections::{ConnectionError, Connections};
use tba_engine::keep::store::ConnectionStore;
use tba_engine::keep::vault::{KeyringStore, Vault};
use tba_engine::netsuite::client::ClientOptions;
use tba_engine::os::clipboard::SecretClipboard;
use tba_engine::{CancellationToken, ErrorCode};

/// When the process started, for the READY mark the benchmark reads.
pub(crate) static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// For `npm run bench` (with TBA_WIZARD_REPORT_READY set): each stage of the start says when it is
/// reached, as `PHASE <name>` on standard error, and the benchmark times the lines' arrival from the
/// spawn, so it can print where the time to the first screen goes.
pub(crate) fn phase(name: &str) {
    if std::env::var_os("TBA_WIZARD_REPORT_READY").is_some() {
        eprintln!("PHASE {name}");
    }
}

pub(crate) struct AppState {
    wizard: Mutex<Wizard<KeyringStore>>,
    pub(crate) clipboard: SecretClipboard,
    running_test: Mutex<Option<CancellationToken>>,
    pub(crate) options: ClientOptions,
}

impl AppState {
    pub(crate) fn open(options: ClientOptions) -> AppState {
        AppState {
            wizard: Mutex::new(Wizard::open(Connections::new(
                ConnectionStore::open_default(),
                Vault::keyring(),
            ))),
            clipboard: SecretClipboard::new(),
            running_test: Mutex::new(None),
            options,
        }
    }

    pub(crate) fn wizard(&self) -> std::sync::MutexGuard<'_, Wizard<KeyringStore>> {
        self.wizard.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The signed call under way, if any, so Cancel can reach it.
    pub(crate) fn set_running(&self, cancel: Option<CancellationToken>) {
        *self.running_test.lock().unwrap_or_else(|p| p.into_inner()) = cancel;
    }

    pub(crate) fn running_test(&self) -> std::sync::MutexGuard<'_, Option<CancellationToken>> {
        self.running_test.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn test_running(&self) -> bool {
        self.running_test.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
}

pub(crate) type State<'a> = tauri::State<'a, AppState>;

/// Runs a plan signed with the values of its keyring slot; the wizard's lock is held only to read them.
pub(crate) async fn sign_and_run(
    state: &AppState,
    plan: &TestPlan,
    cancel: &CancellationToken,
) -> Result<(tba_engine::Report, Vec<ProbeLine>), UiError> {
    let credentials = state
        .wizard()
        .connections
        .vault
        .credentials_in(&plan.connection_id, plan.slot)
        .map_err(ConnectionError::from)?;
    plan.run(&credentials, state.options.clone(), cancel)
        .await
        .map_err(|e| UiError::new(ErrorCode::Internal, e.to_string()))
}

/// An OAuth 2.0 test (a token, a call with it, then the plan's probes), cancellable through `wizard_cancel_test`. The
/// plan holds what it signs with, so no lock is held while it runs.
pub(crate) async fn run_m2m(
    state: &AppState,
    plan: &tba_engine::flow::plan::M2mPlan,
) -> Result<(tba_engine::Report, Vec<ProbeLine>), UiError> {
    let cancel = CancellationToken::new();
    state.set_running(Some(cancel.clone()));
    let result = plan.run_with_probes(state.options.clone(), &cancel).await;
    state.set_running(None);
    result.map_err(|message| UiError::new(ErrorCode::BadInput, message))
}

/// NetSuite calls go to `TBA_WIZARD_BASE_URL` when it is set (stand-ins and proxies), else to NetSuite.
pub(crate) fn client_options() -> Result<ClientOptions, String> {
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
