//! "Copy diagnostics" and "Save diagnostics": the support report, gathered here and built by the engine.

use crate::error::UiError;
use crate::state::AppState;
use serde::Serialize;
use std::time::SystemTime;
use tba_engine::keep::vault::Vault;
use tba_engine::support::report::{self, Inputs};
use tba_engine::ErrorCode;

#[derive(Serialize, ts_rs::TS)]
pub struct DiagnosticsSaved {
    /// Where the file went, so the window can say it.
    path: String,
}

async fn report(state: &AppState) -> Result<String, UiError> {
    let (view, last_run, connections) = {
        let wizard = state.wizard();
        (
            wizard.view(),
            wizard.last_run().cloned(),
            wizard.connections.store.load().map_err(|e| e.to_string()),
        )
    };
    // A fresh handle on the same keyring, so a slow keyring (an unanswered unlock prompt) never holds
    // the wizard's lock, and the probe runs off the async workers because it blocks until its timeout.
    let keyring = tauri::async_runtime::spawn_blocking(|| report::probe_keyring(&Vault::keyring()))
        .await
        .map_err(|_| UiError::new(ErrorCode::Internal, "The keyring check did not finish."))?;
    let endpoint_host = state.options.base_url.as_ref().map(|u| match (u.host_str(), u.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => "an address without a host".to_string(),
    });
    let inputs = Inputs {
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        os: report::os_description(),
        view: Some(view),
        connections,
        last_run,
        keyring,
        endpoint_host,
    };
    Ok(report::build(&inputs, SystemTime::now()))
}

/// The report is not secret, so unlike a copied token it stays on the clipboard until replaced.
#[tauri::command]
pub async fn support_copy_diagnostics(state: crate::state::State<'_>) -> Result<(), UiError> {
    let text = report(&state).await?;
    state.clipboard.put_text(&text)?;
    Ok(())
}

#[tauri::command]
pub async fn support_save_diagnostics(state: crate::state::State<'_>) -> Result<DiagnosticsSaved, UiError> {
    let text = report(&state).await?;
    let dir = report::diagnostics_dir();
    let path = report::save(&dir, &text, SystemTime::now()).map_err(|e| {
        UiError::new(
            ErrorCode::Storage,
            format!(
                "The diagnostics could not be saved in {}: {e}. Use Copy diagnostics instead, and paste the report into your message.",
                dir.display()
            ),
        )
    })?;
    Ok(DiagnosticsSaved {
        path: path.display().to_string(),
    })
}
