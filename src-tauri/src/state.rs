//! What the window's commands share: the wizard behind its lock, the clipboard, the signed call under
//! way (so Cancel can reach it) and the client's options.

use crate::error::UiError;
use std::sync::Mutex;
use tba_engine::flow::plan::Purpose;
use tba_engine::flow::wizard::Wizard;
use tba_engine::keep::connections::Connections;
use tba_engine::keep::store::ConnectionStore;
use tba_engine::keep::vault::{KeyringStore, Vault};
use tba_engine::netsuite::client::ClientOptions;
use tba_engine::netsuite::stage::TestStage;
use tba_engine::os::clipboard::SecretClipboard;
use tba_engine::CancellationToken;

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

/// Every test the window runs: the plan is made under the wizard's lock (which reads what signs from
/// the keyring), the calls run without it, cancellable through `wizard_cancel_test`, and the result is
/// recorded where `purpose` says. The commands never ask which auth method signs.
pub(crate) async fn run_plan(state: &AppState, purpose: Purpose) -> Result<(), UiError> {
    run_plan_telling(state, purpose, None).await
}

/// `run_plan`, sending what each stage is doing to `stages` as it starts (the window shows the text).
pub(crate) async fn run_plan_telling(
    state: &AppState,
    purpose: Purpose,
    stages: Option<&tauri::ipc::Channel<String>>,
) -> Result<(), UiError> {
    let plan = state.wizard().plan(purpose)?;
    let cancel = CancellationToken::new();
    state.set_running(Some(cancel.clone()));
    let tell = |stage: TestStage| {
        if let Some(channel) = stages {
            // A window closed meanwhile cannot be told; the test goes on.
            let _ = channel.send(stage.text());
        }
    };
    let ran = plan.run(state.options.clone(), &cancel, &tell).await;
    state.set_running(None);
    let ran = ran.map_err(|e| UiError::new(e.code, e.message))?;
    Ok(state.wizard().record(&plan, ran)?)
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
