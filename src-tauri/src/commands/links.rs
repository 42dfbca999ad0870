//! App links in the desktop app: `tba-wizard://start?connector=…&account=…`.
//!
//! Links arrive only in Rust: as this process's own argument (the desktop runs `tba-wizard %u`), or
//! from a later launch through the single-instance plugin. The webview is never handed a link to act
//! on: it is told what happened (an event) and, when a link would replace progress, asks the user and
//! answers with the opaque id of the link Rust is holding, which Rust checks again before applying.

use crate::error::UiError;
use crate::state::AppState;
use serde::Serialize;
use std::sync::Mutex;
use tauri::{AppHandle, Emitter, Manager};
use tba_engine::flow::setup::WizardState;
use tba_engine::flow::view::{View, WizardError};
use tba_engine::flow::wizard::{PartAction, Wizard};
use tba_engine::keep::vault::SecretStore;
use tba_engine::os::applink::{self, AppLink, AppLinkError};
use tba_engine::ErrorCode;

/// The one event the window listens to for links.
pub const EVENT: &str = "tba://app-link";
const WINDOW: &str = "main";

/// What the window is told about a link.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LinkEvent {
    /// The wizard now shows what the link asked for: ask for the view again.
    Opened { message: String },
    /// The link would replace the wizard's progress: ask the user, then call `link_apply` with `id`.
    Confirm {
        id: u32,
        title: String,
        message: String,
        /// Said once the link is open.
        opened: String,
    },
    /// Nothing changed.
    Refused { message: String },
}

#[derive(Default)]
struct Inner {
    /// Until the window has its listener, events wait here (a link given at launch is handled before
    /// the page has even loaded).
    ready: bool,
    queued: Vec<LinkEvent>,
    /// The link waiting for the user's answer, kept as text and parsed again when applied.
    pending: Option<(u32, String)>,
    next_id: u32,
}

#[derive(Default)]
pub struct Links(Mutex<Inner>);

impl Links {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a link does to the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Nothing in progress: start the connector.
    Start,
    /// The same connector is in progress without an account: fill it in.
    FillAccount,
    /// The wizard already is where the link points.
    Show,
    /// Other progress would be lost: only after the user agrees.
    Replace,
}

fn plan(current: Option<&WizardState>, link: &AppLink) -> Plan {
    let Some(state) = current else { return Plan::Start };
    if state.profile != link.connector() {
        return Plan::Replace;
    }
    match (link.account(), state.account.as_deref()) {
        (None, _) => Plan::Show,
        (Some(_), None) => Plan::FillAccount,
        (Some(wanted), Some(have)) if wanted.id() == have => Plan::Show,
        (Some(_), Some(_)) => Plan::Replace,
    }
}

/// What a link must ask first: the wizard's plan, and, while a journey is under way (which the link
/// would stop), always a question.
fn plan_with_journey<S: SecretStore>(wizard: &Wizard<S>, link: &AppLink) -> Plan {
    if wizard.journey_info().is_some() {
        return Plan::Replace;
    }
    plan(wizard.state(), link)
}

fn apply<S: SecretStore>(wizard: &mut Wizard<S>, link: &AppLink, plan: Plan) -> Result<View, WizardError> {
    let plan = if wizard.journey_info().is_some() {
        // Only after the user agreed: stopping may be refused, and then nothing changes. What the setup
        // progress needs is decided afresh (the question named it too when it would be replaced).
        wizard.end_journey()?;
        self::plan(wizard.state(), link)
    } else {
        plan
    };
    if matches!(plan, Plan::Start | Plan::Replace) {
        wizard.start(link.connector())?;
    }
    if plan != Plan::Show {
        if let Some(account) = link.account() {
            wizard.act(PartAction::Account(account.id()))?;
        }
    }
    Ok(wizard.view())
}

fn opened(link: &AppLink) -> LinkEvent {
    LinkEvent::Opened {
        message: format!("Opened {}.", link.describe()),
    }
}

fn refused(e: AppLinkError) -> LinkEvent {
    LinkEvent::Refused { message: e.to_string() }
}

/// The link among a launch's arguments (`argv[0]` is the program): the first argument, if it is one.
pub fn link_argument(args: &[String]) -> Option<Result<&str, AppLinkError>> {
    let first = args.get(1).filter(|a| applink::looks_like_link(a))?;
    if args.len() > 2 {
        return Some(Err(AppLinkError {
            reason: "other arguments came with it".into(),
        }));
    }
    Some(Ok(first))
}

/// Handles one link: applies it, asks first, or refuses it, and tells the window.
fn handle(app: &AppHandle, text: Result<&str, AppLinkError>) {
    let event = decide(app, text);
    notify(app, event);
}

fn decide(app: &AppHandle, text: Result<&str, AppLinkError>) -> LinkEvent {
    let (text, link) = match text.and_then(|t| applink::parse(t).map(|l| (t, l))) {
        Ok(parsed) => parsed,
        Err(e) => return refused(e),
    };
    let state = app.state::<AppState>();
    let mut wizard = state.wizard();
    let plan = plan_with_journey(&wizard, &link);
    if plan != Plan::Show && state.test_running() {
        return refused(AppLinkError {
            reason: "a test is running; open the link again when it has finished".into(),
        });
    }
    if plan == Plan::Replace {
        let view = wizard.view();
        let profile = view
            .profile
            .as_ref()
            .map(|p| p.name.as_str())
            .unwrap_or("another connector");
        let at = view
            .current
            .as_ref()
            .map(|c| c.code.clone().unwrap_or_else(|| c.short_title.clone()))
            .unwrap_or_default();
        let account = view
            .account
            .as_ref()
            .map(|a| format!(" for {}", a.id))
            .unwrap_or_default();
        let setup_replaced = if self::plan(wizard.state(), &link) == Plan::Replace && wizard.state().is_some() {
            format!(" Your setup progress ({profile}{account}) will be replaced too.")
        } else {
            String::new()
        };
        let message = match wizard.journey_info() {
            Some(j) => format!(
                "This link opens {}; “{}” ({}) is under way and will be stopped.{}{setup_replaced} Saved connections \
                 stay.",
                link.describe(),
                j.title,
                j.progress,
                if j.promoted {
                    " The new values are already in use and stay."
                } else {
                    " The new values captured so far are thrown away (revoke that token in NetSuite); the ones in \
                     use stay."
                }
            ),
            None => format!(
                "This link opens {}; your current progress ({profile}{account}, at {at}) will be replaced. \
                 Connections already saved, and the values in your keyring, stay.",
                link.describe()
            ),
        };
        let links = app.state::<Links>();
        let mut inner = links.lock();
        inner.next_id = inner.next_id.wrapping_add(1);
        let id = inner.next_id;
        inner.pending = Some((id, text.to_string()));
        return LinkEvent::Confirm {
            id,
            title: format!("Open {}?", link.describe()),
            message,
            opened: format!("Opened {}.", link.describe()),
        };
    }
    match apply(&mut wizard, &link, plan) {
        Ok(_) => opened(&link),
        Err(e) => LinkEvent::Refused {
            message: format!("The link could not be opened: {e}"),
        },
    }
}

fn notify(app: &AppHandle, event: LinkEvent) {
    let links = app.state::<Links>();
    let mut inner = links.lock();
    if !inner.ready {
        inner.queued.push(event);
        return;
    }
    drop(inner);
    if let Err(e) = app.emit_to(WINDOW, EVENT, &event) {
        tracing::warn!("could not tell the window about an app link: {e}");
    }
}

fn raise(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// A link this process was started with; handled before the window asks for its first view.
pub fn setup(app: &AppHandle) {
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    if let Some(text) = link_argument(&args) {
        handle(app, text);
    }
}

/// A later launch: its link (if any) comes here, and the window comes to the front either way.
pub fn on_second_instance(app: &AppHandle, args: Vec<String>, _cwd: String) {
    raise(app);
    if let Some(text) = link_argument(&args) {
        handle(app, text);
    }
}

/// The window's listener is in place: it gets what happened before, and events from now on.
#[tauri::command]
pub async fn link_ready(links: tauri::State<'_, Links>) -> Result<Vec<LinkEvent>, UiError> {
    let mut inner = links.lock();
    inner.ready = true;
    Ok(std::mem::take(&mut inner.queued))
}

/// The user agreed to replace their progress with the link `id`.
#[tauri::command]
pub async fn link_apply(
    state: tauri::State<'_, AppState>,
    links: tauri::State<'_, Links>,
    id: u32,
) -> Result<View, UiError> {
    let text = {
        let mut inner = links.lock();
        match inner.pending.take() {
            Some((pending, text)) if pending == id => text,
            other => {
                inner.pending = other;
                return Err(UiError::new(
                    ErrorCode::NotNow,
                    "That link is no longer waiting to be opened. Open it again.",
                ));
            }
        }
    };
    let link = applink::parse(&text).map_err(|e| UiError::new(ErrorCode::BadLink, e.to_string()))?;
    if state.test_running() {
        return Err(UiError::new(
            ErrorCode::NotNow,
            "A test is running; open the link again when it has finished.",
        ));
    }
    let mut wizard = state.wizard();
    let plan = plan_with_journey(&wizard, &link);
    Ok(apply(&mut wizard, &link, plan)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Through serde, as the state file is read, so fields added to the state later need no change here.
    fn state(profile: &str, account: Option<&str>) -> WizardState {
        serde_json::from_value(serde_json::json!({
            "profile": profile, "screen": "AS-1", "account": account, "updated_at": "",
        }))
        .expect("a valid state")
    }

    fn link(text: &str) -> AppLink {
        applink::parse(text).unwrap()
    }

    #[test]
    fn a_link_only_replaces_progress_after_asking() {
        let with_account = link("tba-wizard://start?connector=aftership&account=1234567_SB1");
        let bare = link("tba-wizard://start?connector=aftership");
        assert_eq!(plan(None, &with_account), Plan::Start);
        assert_eq!(plan(Some(&state("aftership", None)), &with_account), Plan::FillAccount);
        assert_eq!(
            plan(Some(&state("aftership", Some("1234567_SB1"))), &with_account),
            Plan::Show
        );
        assert_eq!(plan(Some(&state("aftership", Some("1234567_SB1"))), &bare), Plan::Show);
        assert_eq!(
            plan(Some(&state("aftership", Some("7654321"))), &with_account),
            Plan::Replace
        );
        assert_eq!(plan(Some(&state("celigo", None)), &bare), Plan::Replace);
    }

    #[test]
    fn only_a_lone_first_argument_is_a_link() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let one = args(&["tba-wizard", "tba-wizard://start?connector=celigo"]);
        assert_eq!(
            link_argument(&one).unwrap().unwrap(),
            "tba-wizard://start?connector=celigo"
        );
        assert!(link_argument(&args(&["tba-wizard"])).is_none());
        assert!(link_argument(&args(&["tba-wizard", "test", "tba-wizard://x"])).is_none());
        let two = args(&["tba-wizard", "tba-wizard://start?connector=celigo", "--verbose"]);
        assert!(link_argument(&two).unwrap().is_err());
    }

    #[test]
    fn the_opened_message_names_what_was_opened() {
        let event = opened(&link("tba-wizard://start?connector=aftership&account=1234567_SB1"));
        assert_eq!(
            event,
            LinkEvent::Opened {
                message: "Opened the AfterShip wizard for 1234567_SB1.".into()
            }
        );
    }
}
