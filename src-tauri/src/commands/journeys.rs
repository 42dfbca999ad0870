//! The home screen's and the journeys' commands (token and consumer rotation, hand-off again,
//! certificate replacement). Thin: every decision is the engine's (`tba_engine::flow::home`,
//! `tba_engine::flow::journey`).

use crate::error::UiError;
use crate::state::State;
use tba_engine::flow::home::HomeView;
use tba_engine::flow::plan::TestPlan;
use tba_engine::flow::view::{Journey, View};
use tba_engine::CancellationToken;
use tba_engine::ErrorCode;

#[tauri::command]
pub async fn home_view(state: State<'_>) -> Result<HomeView, UiError> {
    crate::state::phase("home-asked");
    let home = state.wizard().home();
    crate::state::phase("home");
    Ok(home)
}

/// Tests a saved connection's active values, off the wizard's lock so the window stays responsive.
#[tauri::command]
pub async fn home_test(state: State<'_>, id: String) -> Result<HomeView, UiError> {
    let m2m = state.wizard().home_m2m_plan(&id)?;
    let report = match m2m {
        Some(plan) => crate::state::run_m2m(&state, &plan).await?.0,
        None => {
            let plan = state.wizard().home_test_plan(&id)?;
            run_signed(&state, &plan).await?
        }
    };
    Ok(state.wizard().record_home_test(&id, report)?)
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
    Ok(state.wizard().set_new_token_name(&name)?)
}

#[tauri::command]
pub async fn journey_discard_new(state: State<'_>) -> Result<View, UiError> {
    Ok(state.wizard().discard_new()?)
}

/// The optional proof after revoking: a call with the replaced token or key, which NetSuite should refuse.
#[tauri::command]
pub async fn journey_check_old(state: State<'_>) -> Result<View, UiError> {
    let m2m = state.wizard().old_key_plan()?;
    if let Some(plan) = m2m {
        let (report, _) = crate::state::run_m2m(&state, &plan).await?;
        return Ok(state.wizard().record_old_key_check(&report)?);
    }
    let plan = state.wizard().old_token_plan()?;
    let report = run_signed(&state, &plan).await?;
    Ok(state.wizard().record_old_token_check(&report)?)
}

/// One signed call with the plan's keyring slot, cancellable through `wizard_cancel_test`.
async fn run_signed(state: &State<'_>, plan: &TestPlan) -> Result<tba_engine::Report, UiError> {
    let cancel = CancellationToken::new();
    state.set_running(Some(cancel.clone()));
    let result = crate::state::sign_and_run(state, plan, &cancel).await;
    state.set_running(None);
    Ok(result?.0)
}
