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
