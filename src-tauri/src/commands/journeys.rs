//! The home screen's and the journeys' commands (token and consumer rotation, hand-off again,
//! certificate replacement). Thin: every decision is the engine's (`tba_engine::flow::home`,
//! `tba_engine::flow::journey`).

use crate::error::UiError;
use crate::state::State;
use tba_engine::flow::home::HomeView;
use tba_engine::flow::plan::Purpose;
use tba_engine::flow::view::{Journey, View};
use tba_engine::flow::wizard::PartAction;
use tba_engine::ErrorCode;

#[tauri::command]
pub async fn home_view(state: State<'_>) -> Result<HomeView, UiError> {
    crate::state::phase("home-asked");
    let home = state.wizard().home();
    crate::state::phase("home");
    Ok(home)
}

/// Tests a saved connection's active values, off the wizard's lock so the window stays responsive;
/// `on_stage` hears what each stage is doing as it starts.
#[tauri::command]
pub async fn home_test(
    state: State<'_>,
    id: String,
    on_stage: tauri::ipc::Channel<String>,
) -> Result<HomeView, UiError> {
    crate::state::run_plan_telling(&state, Purpose::Home(id), Some(&on_stage)).await?;
    Ok(state.wizard().home())
}

/// Renew now: a new key and certificate for an OAuth 2.0 connection, uploaded, tested, switched to, and the
/// old mapping revoked, off the wizard's lock; `on_stage` hears each step as it starts. How it ended is on
/// the card (a renewal that stops for a person is not an error: the key in use still works).
#[tauri::command]
pub async fn home_renew(
    state: State<'_>,
    id: String,
    on_stage: tauri::ipc::Channel<String>,
) -> Result<HomeView, UiError> {
    let renewal = state.wizard().renewal(&id)?;
    let ended = match tba_engine::NetSuiteClient::new(renewal.account.clone(), state.options.clone()) {
        Ok(client) => {
            let cancel = tba_engine::CancellationToken::new();
            state.set_running(Some(cancel.clone()));
            let tell = |stage: tba_engine::flow::renew::RenewStage| {
                // A window closed meanwhile cannot be told; the renewal goes on.
                let _ = on_stage.send(stage.text());
            };
            // What the renewal reads from the keyring, scrubbed from every log line (the engine logs none
            // of it); the new key once more after the run, as it is then in use.
            let register = || {
                renewal
                    .signers()
                    .iter()
                    .for_each(tba_engine::support::redact::register_signer)
            };
            register();
            let ended = renewal.run(&client, &cancel, &tell).await;
            state.set_running(None);
            register();
            ended
        }
        Err(e) => Err(tba_engine::keep::connections::ConnectionError::BadInput(e.to_string())),
    };
    Ok(state.wizard().record_renewal(&renewal, ended))
}

#[tauri::command]
pub async fn connection_remove(state: State<'_>, id: String) -> Result<HomeView, UiError> {
    Ok(state.wizard().remove_connection(&id)?)
}

/// Deletes the old copy a replacement left in the keyring; the window asks the user first.
#[tauri::command]
pub async fn connection_forget_old(state: State<'_>, id: String) -> Result<HomeView, UiError> {
    Ok(state.wizard().forget_old_copy(&id)?)
}

#[tauri::command]
pub async fn journey_start(state: State<'_>, id: String, journey: String) -> Result<View, UiError> {
    let journey =
        Journey::parse(&journey).ok_or_else(|| UiError::new(ErrorCode::BadInput, "There is no such journey."))?;
    Ok(state.wizard().start_journey(&id, journey)?)
}

#[tauri::command]
pub async fn journey_end(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().end_journey()?)
}

#[tauri::command]
pub async fn journey_set_token_name(state: State<'_>, name: String) -> Result<View, UiError> {
    Ok(state.wizard().act(PartAction::TokenName(&name))?.view)
}

#[tauri::command]
pub async fn journey_discard_new(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().act(PartAction::DiscardNew)?.view)
}

/// The optional proof after revoking: a call with the replaced token or key, which NetSuite should refuse.
#[tauri::command]
pub async fn journey_check_old(state: State<'_>) -> Result<View, UiError> {
    crate::state::run_plan(&state, Purpose::OldCheck).await?;
    Ok(state.wizard().view())
}
