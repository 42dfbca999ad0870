//! The wizard's state and transitions. The window renders the [`View`] it is given and sends the user's
//! actions back; every decision is made here, where `cargo test` can see it.
//!
//! Screens are the profile's steps in the guide's order, plus an account screen where the guide has no
//! account step, a test screen after the last NetSuite step, and a hand-off screen unless the hand-off
//! is itself a connector-side step (Celigo's C-E). Progress is saved after every action, atomically,
//! so quitting and reopening returns to the same screen with the same ticks.

use crate::flow::progress::ProgressFile;
use crate::flow::rotation::{Journey, RevokeView, RotationState};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{Field, Fingerprints};
use crate::keep::store::Connection;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::client::{self, ClientOptions, DatacenterCheck, NetSuiteClient};
use crate::netsuite::outcome::{self, Outcome, Report};
use crate::netsuite::pages::{deep_link, Page};
use crate::profiles::{Collect, ConnectorProfile, ItemKind, Place, Resolved};
use crate::CancellationToken;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const STATE_FILE: &str = "wizard.json";
const ACCOUNT: &str = "account";
pub(crate) const TEST: &str = "test";
pub(crate) const HANDOFF: &str = "handoff";

/// What is saved between runs. No secret is ever part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardState {
    pub profile: String,
    pub screen: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub connection_id: Option<String>,
    #[serde(default)]
    pub ticks: BTreeMap<String, BTreeSet<String>>,
    /// Permissions picked for the own-integration profile, by item key.
    #[serde(default)]
    pub picked: BTreeSet<String>,
    #[serde(default)]
    pub done: BTreeSet<String>,
    #[serde(default)]
    pub last_outcome: Option<Outcome>,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ScreenKind {
    Account,
    Step,
    Test,
    Handoff,
    /// A journey's explanation: what will happen and why.
    Info,
    /// A token rotation's last screen: revoke the old token.
    Revoke,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScreenInfo {
    pub id: String,
    pub kind: ScreenKind,
    pub code: Option<String>,
    pub short_title: String,
    #[ts(type = "\"done\" | \"current\" | \"todo\"")]
    pub status: &'static str,
    /// Done, whether or not it is the screen on display.
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ProfileInfo {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub code_prefix: String,
    pub signed_test: bool,
    pub signed_test_note: String,
    pub step_codes: Vec<String>,
    /// Where the connector's side of the work happens ("Celigo integrator.io", "AfterShip").
    pub connector_side: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PageLink {
    pub id: String,
    pub title: String,
    pub url: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ItemView {
    pub key: String,
    pub label: String,
    pub kind: ItemKind,
    pub subtab: Option<String>,
    pub section: Option<String>,
    pub state: Option<String>,
    pub level: Option<String>,
    pub value: Option<String>,
    pub tip: Option<String>,
    pub checked: bool,
    pub selectable: bool,
    pub picked: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaptureView {
    pub field: Field,
    pub label: &'static str,
    pub fingerprint: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AccountView {
    pub id: String,
    pub environment: &'static str,
    pub environment_label: String,
    pub production: bool,
    pub ui_host: String,
    pub datacenter: Option<DatacenterCheck>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CauseView {
    pub id: &'static str,
    pub message: String,
    /// The screen that fixes it, if the procedure has one.
    pub screen: Option<String>,
    pub screen_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ProbeLine {
    pub permission: String,
    pub subtab: String,
    pub step: String,
    pub outcome: Outcome,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TestRun {
    pub report: Report,
    pub causes: Vec<CauseView>,
    pub probes: Vec<ProbeLine>,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TestView {
    pub signed_test: bool,
    pub note: String,
    pub missing: Vec<&'static str>,
    pub last: Option<TestRun>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HandOffFieldView {
    pub label: String,
    pub text: Option<String>,
    pub secret: Option<Field>,
    pub fingerprint: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HandOffView {
    pub title: String,
    pub intro: String,
    pub fields: Vec<HandOffFieldView>,
    pub connector_page: Option<PageLink>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScreenView {
    pub id: String,
    /// What kind of screen this is, with what only that kind carries: TypeScript gets a tagged union
    /// (`kind`), so a test screen's result can only be read on a test screen.
    #[serde(flatten)]
    #[ts(flatten)]
    pub body: ScreenBody,
    pub code: Option<String>,
    pub heading: String,
    pub short_title: String,
    pub place: Option<Place>,
    pub menu_path: Option<String>,
    pub page: Option<PageLink>,
    pub also_open: Vec<PageLink>,
    pub instructions: Vec<String>,
    pub tips: Vec<String>,
    pub checklist: Vec<ItemView>,
    pub captures: Vec<CaptureView>,
    pub collects_account: bool,
}

/// A screen's kind and what belongs to that kind alone.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScreenBody {
    Account,
    /// A NetSuite or connector step; the connector step that hands the values over (Celigo's C-E)
    /// shows the hand-off inside it.
    Step {
        handoff: Option<HandOffView>,
    },
    /// Boxed: a test's report is by far the largest body, and every view carries one screen.
    Test {
        test: Box<TestView>,
    },
    /// `None` until the account and the values it shows are known.
    Handoff {
        handoff: Option<HandOffView>,
    },
    /// A journey's explanation: what will happen and why.
    Info,
    Revoke {
        revoke: RevokeView,
    },
}

impl ScreenBody {
    /// The body of a kind that carries nothing until it is filled in.
    pub(crate) fn empty(kind: ScreenKind) -> Option<ScreenBody> {
        match kind {
            ScreenKind::Account => Some(ScreenBody::Account),
            ScreenKind::Step => Some(ScreenBody::Step { handoff: None }),
            ScreenKind::Handoff => Some(ScreenBody::Handoff { handoff: None }),
            ScreenKind::Info => Some(ScreenBody::Info),
            ScreenKind::Test | ScreenKind::Revoke => None,
        }
    }

    pub fn kind(&self) -> ScreenKind {
        match self {
            ScreenBody::Account => ScreenKind::Account,
            ScreenBody::Step { .. } => ScreenKind::Step,
            ScreenBody::Test { .. } => ScreenKind::Test,
            ScreenBody::Handoff { .. } => ScreenKind::Handoff,
            ScreenBody::Info => ScreenKind::Info,
            ScreenBody::Revoke { .. } => ScreenKind::Revoke,
        }
    }

    pub fn test(&self) -> Option<&TestView> {
        match self {
            ScreenBody::Test { test } => Some(test.as_ref()),
            _ => None,
        }
    }

    pub fn revoke(&self) -> Option<&RevokeView> {
        match self {
            ScreenBody::Revoke { revoke } => Some(revoke),
            _ => None,
        }
    }

    /// The hand-off shown on this screen, whether it is the hand-off screen or a step holding it.
    pub fn handoff(&self) -> Option<&HandOffView> {
        match self {
            ScreenBody::Step { handoff } | ScreenBody::Handoff { handoff } => handoff.as_ref(),
            _ => None,
        }
    }
}

impl ScreenView {
    /// A screen with nothing on it yet; each kind of screen fills in what it shows.
    pub(crate) fn blank(id: &str, body: ScreenBody, code: Option<String>) -> ScreenView {
        ScreenView {
            id: id.to_string(),
            body,
            code,
            heading: String::new(),
            short_title: String::new(),
            place: None,
            menu_path: None,
            page: None,
            also_open: vec![],
            instructions: vec![],
            tips: vec![],
            checklist: vec![],
            captures: vec![],
            collects_account: false,
        }
    }
}

/// The rail's word for a screen: the one on display, one done, or one still to do.
pub(crate) fn rail_status(current: bool, done: bool) -> &'static str {
    if current {
        "current"
    } else if done {
        "done"
    } else {
        "todo"
    }
}

/// Ticks or unticks one checklist item of a screen (setup and journeys keep ticks the same way).
pub(crate) fn set_tick(ticks: &mut BTreeMap<String, BTreeSet<String>>, screen: &str, key: &str, checked: bool) {
    let set = ticks.entry(screen.to_string()).or_default();
    if checked {
        set.insert(key.to_string());
    } else {
        set.remove(key);
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct View {
    pub active: bool,
    /// A first setup, or a journey on a saved connection (token or consumer rotation, hand-off again).
    pub journey: Journey,
    pub journey_title: Option<String>,
    /// In a rotation: the new values are the ones in use (so stopping keeps them).
    pub promoted: bool,
    pub profile: Option<ProfileInfo>,
    pub account: Option<AccountView>,
    pub connection: Option<Connection>,
    pub screens: Vec<ScreenInfo>,
    pub current: Option<ScreenView>,
    pub progress: String,
    pub can_back: bool,
    pub can_next: bool,
    pub next_label: &'static str,
    pub blocked_reason: Option<String>,
    /// Set when the saved progress could not be read and was moved aside.
    pub notice: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum WizardError {
    #[error("{0}")]
    BadInput(String),
    #[error("{0}")]
    Connection(#[from] ConnectionError),
    #[error("The wizard's progress could not be saved at {path}: {reason}.")]
    Save { path: String, reason: String },
    /// The input is fine but this is not the moment: a precondition does not hold.
    #[error("{0}")]
    NotNow(String),
    /// A free-text field was given what looks like a secret; the window clears the field.
    #[error("{}", crate::keep::secrets::SECRET_LIKE)]
    SecretLike,
}

impl From<crate::keep::store::StoreError> for WizardError {
    fn from(e: crate::keep::store::StoreError) -> Self {
        WizardError::Connection(e.into())
    }
}

fn bad(message: impl Into<String>) -> WizardError {
    WizardError::BadInput(message.into())
}

pub(crate) fn not_now(message: impl Into<String>) -> WizardError {
    WizardError::NotNow(message.into())
}

impl WizardError {
    /// The kind of failure, as the window and the command line name it.
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            WizardError::BadInput(_) => crate::ErrorCode::BadInput,
            WizardError::NotNow(_) => crate::ErrorCode::NotNow,
            WizardError::Connection(e) => e.code(),
            WizardError::Save { .. } => crate::ErrorCode::Storage,
            WizardError::SecretLike => crate::ErrorCode::SecretLike,
        }
    }
}

pub struct Wizard<S: SecretStore> {
    pub connections: Connections<S>,
    state: Option<WizardState>,
    datacenter: Option<DatacenterCheck>,
    pub(crate) last_run: Option<TestRun>,
    pub(crate) notice: Option<String>,
    /// A journey on a saved connection; while there is one, actions and the view are the journey's.
    pub(crate) rotation: Option<RotationState>,
    /// This session's home-screen tests, by connection ID.
    pub(crate) home_runs: BTreeMap<String, crate::flow::home::HomeTest>,
}

impl<S: SecretStore> Wizard<S> {
    /// Opens the wizard with its progress file next to the saved connections.
    pub fn open(connections: Connections<S>) -> Self {
        let mut w = Wizard {
            connections,
            state: None,
            datacenter: None,
            last_run: None,
            notice: None,
            rotation: None,
            home_runs: BTreeMap::new(),
        };
        w.load();
        w.load_rotation();
        w
    }

    fn progress_file(&self) -> ProgressFile {
        ProgressFile::new(
            &self.connections.store,
            STATE_FILE,
            "The wizard's saved progress",
            "Your saved connections are not affected.",
        )
    }

    fn load(&mut self) {
        match self
            .progress_file()
            .load::<WizardState>(|s| ConnectorProfile::get(&s.profile).is_some())
        {
            Ok(state) => self.state = state,
            Err(notice) => self.notice = Some(notice),
        }
    }

    fn save(&mut self) -> Result<(), WizardError> {
        if let Some(state) = self.state.as_mut() {
            state.updated_at = crate::keep::store::now_rfc3339();
        }
        self.progress_file().save(&self.connections.store, self.state.as_ref())
    }

    pub fn state(&self) -> Option<&WizardState> {
        self.state.as_ref()
    }

    fn profile(&self) -> Option<&'static ConnectorProfile> {
        self.state.as_ref().and_then(|s| ConnectorProfile::get(&s.profile))
    }

    fn account(&self) -> Option<Account> {
        self.state
            .as_ref()?
            .account
            .as_deref()
            .and_then(|a| Account::parse(a).ok())
    }

    fn connection(&self) -> Option<Connection> {
        let id = self.state.as_ref()?.connection_id.clone()?;
        self.connections.store.load().ok()?.into_iter().find(|c| c.id == id)
    }

    /// The screens of a profile, in order.
    pub fn screens(profile: &ConnectorProfile) -> Vec<(String, ScreenKind)> {
        let mut out = Vec::new();
        if profile.step_collecting(Collect::AccountId).is_none() {
            out.push((ACCOUNT.to_string(), ScreenKind::Account));
        }
        let last_netsuite = profile.steps.iter().rposition(|s| s.place == Place::Netsuite);
        for (i, step) in profile.steps.iter().enumerate() {
            out.push((step.code.clone(), ScreenKind::Step));
            if Some(i) == last_netsuite {
                out.push((TEST.to_string(), ScreenKind::Test));
            }
        }
        if profile.hand_off.step.is_none() {
            out.push((HANDOFF.to_string(), ScreenKind::Handoff));
        }
        out
    }

    fn screen_index(&self) -> Option<(Vec<(String, ScreenKind)>, usize)> {
        let profile = self.profile()?;
        let screens = Self::screens(profile);
        let current = &self.state.as_ref()?.screen;
        let i = screens.iter().position(|(id, _)| id == current).unwrap_or(0);
        Some((screens, i))
    }

    // ------------------------------------------------------------ actions

    pub fn start(&mut self, profile_id: &str) -> Result<View, WizardError> {
        if self.rotation.is_some() {
            return Err(not_now("Finish or stop the token replacement under way first."));
        }
        let profile = ConnectorProfile::get(profile_id)
            .ok_or_else(|| bad(format!("There is no connector called {profile_id}.")))?;
        let first = Self::screens(profile)[0].0.clone();
        self.state = Some(WizardState {
            profile: profile.id.clone(),
            screen: first,
            account: None,
            connection_id: None,
            ticks: BTreeMap::new(),
            picked: profile
                .steps
                .iter()
                .flat_map(|s| s.checklist.iter())
                .filter(|i| i.kind == ItemKind::Permission && !i.selectable)
                .map(|i| i.key())
                .collect(),
            done: BTreeSet::new(),
            last_outcome: None,
            updated_at: crate::keep::store::now_rfc3339(),
        });
        self.datacenter = None;
        self.last_run = None;
        self.notice = None;
        self.save()?;
        Ok(self.view())
    }

    /// Forgets the wizard's progress. Saved connections and their secrets stay.
    pub fn reset(&mut self) -> Result<View, WizardError> {
        self.state = None;
        self.datacenter = None;
        self.last_run = None;
        self.save()?;
        Ok(self.view())
    }

    /// Takes an account ID or NetSuite address; creates the connection that captures will fill.
    pub fn set_account(&mut self, input: &str) -> Result<View, WizardError> {
        let profile = self.profile().ok_or_else(|| not_now("Choose a connector first."))?;
        let captured = self.connection().map(|c| c.fingerprints).unwrap_or_default();
        if crate::keep::secrets::looks_like_secret(input, &[&captured]) {
            return Err(WizardError::SecretLike);
        }
        let account = Account::parse(input).map_err(|e| bad(e.to_string()))?;
        let state = self.state.as_mut().expect("profile implies state");
        let changed = state.account.as_deref() != Some(account.id());
        state.account = Some(account.id().to_string());
        if changed {
            self.datacenter = None;
            self.last_run = None;
        }
        match self.connection() {
            Some(c) if c.account != account.id() => {
                let id = c.id.clone();
                self.connections
                    .store
                    .update(|list| {
                        if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                            c.account = account.id().to_string();
                            c.touch();
                        }
                    })
                    .map_err(ConnectionError::from)?;
            }
            Some(_) => {}
            None => {
                let profile_kind = profile.profile_id();
                let existing = self.connections.store.load().map_err(ConnectionError::from)?;
                let base = format!("{} {}", profile.short_name, account.id());
                let label = (1..)
                    .map(|n| if n == 1 { base.clone() } else { format!("{base} ({n})") })
                    .find(|l| crate::keep::store::ConnectionStore::find(&existing, l).is_none())
                    .expect("some label is free");
                let (c, _) = self
                    .connections
                    .add(&label, &account, profile_kind, None, &Default::default())?;
                self.state.as_mut().expect("state").connection_id = Some(c.id);
            }
        }
        self.save()?;
        Ok(self.view())
    }

    /// Records what NetSuite's account lookup said (run by the caller, which owns the runtime).
    pub fn set_datacenter(&mut self, check: DatacenterCheck) -> View {
        self.datacenter = Some(check);
        self.view()
    }

    pub fn tick(&mut self, screen: &str, key: &str, checked: bool) -> Result<View, WizardError> {
        if self.rotation.is_some() {
            return self.rotation_tick(screen, key, checked);
        }
        let profile = self.profile().ok_or_else(|| not_now("Choose a connector first."))?;
        let step = profile
            .step(screen)
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        if !step.checklist.iter().any(|i| i.key() == key) {
            return Err(bad("That item is not on this step's checklist."));
        }
        set_tick(&mut self.state.as_mut().expect("state").ticks, screen, key, checked);
        self.save()?;
        Ok(self.view())
    }

    /// Own integration: choose which selectable permissions the role gets (and the test probes).
    pub fn pick(&mut self, key: &str, picked: bool) -> Result<View, WizardError> {
        let profile = self.profile().ok_or_else(|| not_now("Choose a connector first."))?;
        let item = profile
            .steps
            .iter()
            .flat_map(|s| s.checklist.iter())
            .find(|i| i.key() == key && i.selectable)
            .ok_or_else(|| bad("That permission cannot be picked."))?;
        let state = self.state.as_mut().expect("state");
        if picked {
            state.picked.insert(item.key());
        } else {
            state.picked.remove(&item.key());
        }
        self.save()?;
        Ok(self.view())
    }

    pub fn advance(&mut self) -> Result<View, WizardError> {
        if self.rotation.is_some() {
            return self.rotation_advance();
        }
        let (screens, i) = self
            .screen_index()
            .ok_or_else(|| not_now("Choose a connector first."))?;
        if let Some(reason) = self.blocked_reason() {
            return Err(bad(reason));
        }
        let state = self.state.as_mut().expect("state");
        state.done.insert(screens[i].0.clone());
        if let Some((next, _)) = screens.get(i + 1) {
            state.screen = next.clone();
        }
        self.save()?;
        Ok(self.view())
    }

    pub fn back(&mut self) -> Result<View, WizardError> {
        if self.rotation.is_some() {
            return self.rotation_back();
        }
        let (screens, i) = self
            .screen_index()
            .ok_or_else(|| not_now("Choose a connector first."))?;
        if i > 0 {
            self.state.as_mut().expect("state").screen = screens[i - 1].0.clone();
            self.save()?;
        }
        Ok(self.view())
    }

    /// Jumps to a screen already reached (done, or the first not yet done), e.g. "Go to AS-4" after a
    /// failed test.
    pub fn goto(&mut self, screen: &str) -> Result<View, WizardError> {
        if self.rotation.is_some() {
            return self.rotation_goto(screen);
        }
        let (screens, _) = self
            .screen_index()
            .ok_or_else(|| not_now("Choose a connector first."))?;
        let state = self.state.as_ref().expect("state");
        let target = screens
            .iter()
            .position(|(id, _)| id == screen)
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        let first_open = screens
            .iter()
            .position(|(id, _)| !state.done.contains(id))
            .unwrap_or(screens.len() - 1);
        if target > first_open {
            return Err(not_now("Finish the steps before it first."));
        }
        self.state.as_mut().expect("state").screen = screen.to_string();
        self.save()?;
        Ok(self.view())
    }

    pub fn capture(&mut self, field: Field, raw: &str) -> Result<(View, Vec<String>), WizardError> {
        if self.rotation.is_some() {
            return self.rotation_capture(field, raw);
        }
        let id = self
            .state
            .as_ref()
            .and_then(|s| s.connection_id.clone())
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        let (_, warnings) = self.connections.capture(&id, Slot::Active, field, raw)?;
        self.last_run = None;
        Ok((self.view(), warnings))
    }

    /// The URL of one of the current screen's links (`page`, `also:N`, `connector`), for opening.
    pub fn link(&self, which: &str) -> Result<(url::Url, Vec<String>), WizardError> {
        let view = if self.rotation.is_some() {
            self.rotation_view().and_then(|v| v.current)
        } else {
            self.current_screen()
        }
        .ok_or_else(|| not_now("Choose a connector first."))?;
        let link = match which {
            "page" => view.page,
            "connector" => view
                .body
                .handoff()
                .and_then(|h| h.connector_page.clone())
                .or_else(|| self.connector_link()),
            other => other
                .strip_prefix("also:")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| view.also_open.get(n).cloned()),
        }
        .ok_or_else(|| bad("This screen has no such page."))?;
        let url = url::Url::parse(&link.url).map_err(|_| bad("That page's address is not valid."))?;
        Ok((url, self.allowed_hosts()))
    }

    /// Hosts URLs may be opened for: the account's NetSuite hosts and the connector's page.
    pub fn allowed_hosts(&self) -> Vec<String> {
        let account = if self.rotation.is_some() {
            self.rotation_account()
        } else {
            self.account()
        };
        let mut hosts: Vec<String> = account.map(|a| a.hosts().to_vec()).unwrap_or_default();
        if let Some(host) = self
            .connector_link()
            .and_then(|l| url::Url::parse(&l.url).ok())
            .and_then(|u| u.host_str().map(str::to_owned))
        {
            hosts.push(host);
        }
        hosts
    }

    fn connector_link(&self) -> Option<PageLink> {
        let profile = if self.rotation.is_some() {
            self.rotation_profile()
        } else {
            self.profile()
        };
        connector_link(profile?)
    }

    // ------------------------------------------------------------ the signed test

    /// Everything the signed test needs, or why it cannot run yet.
    pub fn test_plan(&self) -> Result<TestPlan, WizardError> {
        if self.rotation.is_some() {
            return self.rotation_test_plan();
        }
        let profile = self.profile().ok_or_else(|| not_now("Choose a connector first."))?;
        let account = self.account().ok_or_else(|| not_now("Enter the account ID first."))?;
        let connection = self
            .connection()
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        let picked = &self.state.as_ref().expect("state").picked;
        let probes = profile
            .probes()
            .into_iter()
            .filter(|(_, item)| picked.contains(&item.key()))
            .map(|(p, _)| PlannedProbe {
                permission: p.permission.to_string(),
                subtab: p.subtab.to_string(),
                step: p.step.to_string(),
                query: p.query.to_string(),
            })
            .collect();
        Ok(TestPlan {
            account,
            fingerprints: connection.fingerprints,
            connection_id: connection.id,
            signed: profile.signed_test,
            probes,
            slot: Slot::Active,
        })
    }

    /// Records the result of a test run off the wizard's lock, unless the user moved on meanwhile (another
    /// connection, a journey started or ended, a value captured again): then the result is about values
    /// no longer on display and is refused.
    pub fn record_plan_test(
        &mut self,
        plan: &TestPlan,
        report: Report,
        probes: Vec<ProbeLine>,
    ) -> Result<View, WizardError> {
        let current = match plan.slot {
            Slot::Pending => self.rotation_fingerprints(),
            _ => self.connection().map(|c| c.fingerprints),
        };
        let same_journey = (plan.slot == Slot::Pending) == self.rotation.is_some();
        if !same_journey
            || self.connection_id().as_deref() != Some(plan.connection_id.as_str())
            || current.as_ref() != Some(&plan.fingerprints)
        {
            return Err(bad(
                "The values changed while the test was running, so its result was not kept. Run the test again.",
            ));
        }
        self.record_test(report, probes)
    }

    pub fn record_test(&mut self, mut report: Report, probes: Vec<ProbeLine>) -> Result<View, WizardError> {
        if self.rotation.is_some() {
            return self.rotation_record_test(report, probes);
        }
        if let (Some(account), Some(connection)) = (self.account(), self.connection()) {
            outcome::recognise_sandbox_refresh(&mut report, &account, connection.last_success_at.as_deref());
        }
        let id = self
            .state
            .as_ref()
            .and_then(|s| s.connection_id.clone())
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        self.connections.record_test(&id, &report)?;
        let causes = report
            .causes
            .iter()
            .map(|c| {
                let screen = self.screen_for(c.step);
                CauseView {
                    id: c.id,
                    message: c.message.clone(),
                    screen_code: screen
                        .as_ref()
                        .and_then(|s| self.profile()?.step(s).map(|st| st.code.clone())),
                    screen,
                }
            })
            .collect();
        let passed = report.outcome == Outcome::Success && probes.iter().all(|p| p.outcome == Outcome::Success);
        self.state.as_mut().expect("state").last_outcome = Some(if report.outcome == Outcome::Success && !passed {
            Outcome::PermissionMissing
        } else {
            report.outcome
        });
        self.last_run = Some(TestRun {
            report,
            causes,
            probes,
            passed,
        });
        self.save()?;
        Ok(self.view())
    }

    /// Which screen fixes a diagnosed cause.
    fn screen_for(&self, step: outcome::Step) -> Option<String> {
        let profile = self.profile()?;
        let has_kind = |kind: ItemKind| {
            profile
                .steps
                .iter()
                .find(|s| s.place == Place::Netsuite && s.checklist.iter().any(|i| i.kind == kind))
        };
        let found = match step {
            outcome::Step::Account => {
                return Some(
                    profile
                        .step_collecting(Collect::AccountId)
                        .map(|s| s.code.clone())
                        .unwrap_or(ACCOUNT.into()),
                )
            }
            outcome::Step::Features => has_kind(ItemKind::Feature),
            outcome::Step::IntegrationRecord => profile.step_collecting(Collect::Secret(Field::ConsumerKey)),
            outcome::Step::Role => has_kind(ItemKind::Permission)
                .or_else(|| profile.steps.iter().find(|s| s.page == Some(Page::ManageRoles))),
            outcome::Step::UserRole => profile
                .steps
                .iter()
                .find(|s| matches!(s.page, Some(Page::ManageUsers | Page::Employees)))
                .or_else(|| has_kind(ItemKind::Permission)),
            outcome::Step::AccessToken => profile.step_collecting(Collect::Secret(Field::TokenId)),
            // OAuth 2.0's steps; a TBA profile has none, and the M2M profile's resolution comes with it.
            outcome::Step::KeyCertificate | outcome::Step::Mapping => None,
            outcome::Step::Clock | outcome::Step::Network => None,
        };
        found.map(|s| s.code.clone())
    }

    // ------------------------------------------------------------ the view

    fn blocked_reason(&self) -> Option<String> {
        let (screens, i) = self.screen_index()?;
        let (id, kind) = &screens[i];
        let profile = self.profile()?;
        let needs_account = match kind {
            ScreenKind::Account => true,
            ScreenKind::Step => profile
                .step(id)
                .is_some_and(|s| s.collects.contains(&Collect::AccountId)),
            _ => false,
        };
        if needs_account && self.account().is_none() {
            return Some("Enter the account ID first.".into());
        }
        if *kind == ScreenKind::Step {
            let step = profile.step(id)?;
            let connection = self.connection();
            let missing: Vec<&str> = step
                .collects
                .iter()
                .filter_map(|c| match c {
                    Collect::Secret(f) => Some(*f),
                    Collect::AccountId => None,
                })
                .filter(|f| connection.as_ref().and_then(|c| c.fingerprints.get(*f)).is_none())
                .map(|f| f.label())
                .collect();
            if !missing.is_empty() {
                return Some(format!(
                    "Save the {} to the keyring first: NetSuite shows it only once.",
                    missing.join(" and the ")
                ));
            }
        }
        if *kind == ScreenKind::Test && profile.signed_test && !self.last_run.as_ref().is_some_and(|r| r.passed) {
            return Some("Run the test and get it to pass first.".into());
        }
        None
    }

    fn missing_secrets(&self) -> Vec<&'static str> {
        let connection = self.connection();
        let needed: Vec<Field> = self.profile().map_or_else(|| Field::ALL.to_vec(), |p| p.secrets());
        needed
            .into_iter()
            .filter(|f| connection.as_ref().and_then(|c| c.fingerprints.get(*f)).is_none())
            .map(|f| f.label())
            .collect()
    }

    fn current_screen(&self) -> Option<ScreenView> {
        let (screens, i) = self.screen_index()?;
        let (id, kind) = screens[i].clone();
        let profile = self.profile()?;
        let state = self.state.as_ref()?;
        let account = self.account();
        let connection = self.connection();
        let link = |page: Page, id: &str, hint: Option<String>| {
            account.as_ref().map(|a| PageLink {
                id: id.to_string(),
                title: page.title().into(),
                url: deep_link(a, page).to_string(),
                hint,
            })
        };
        let mut view = ScreenView::blank(&id, ScreenBody::empty(kind).unwrap_or(ScreenBody::Info), None);
        match kind {
            ScreenKind::Account => {
                view.heading = "Your NetSuite account ID".into();
                view.short_title = "Account ID".into();
                view.collects_account = true;
                view.instructions = vec![
                    "Paste your account ID, or the address of any NetSuite page of the account: the wizard works out the rest.".into(),
                    "NetSuite shows the ID at Setup > Company > Company Information, in the Account ID field.".into(),
                ];
                view.menu_path = Some("Setup > Company > Company Information".into());
                view.page = link(Page::CompanyInformation, "page", None);
            }
            ScreenKind::Step => {
                let step = profile.step(&id)?;
                view.code = Some(step.code.clone());
                view.heading = step.heading();
                view.short_title = step.short_title.clone();
                view.place = Some(step.place);
                view.menu_path = step.menu_path.clone();
                view.page = step.page.and_then(|p| link(p, "page", step.open_hint.clone()));
                view.also_open = step
                    .also_open
                    .iter()
                    .enumerate()
                    .filter_map(|(n, a)| {
                        link(a.page, &format!("also:{n}"), a.hint.clone()).map(|mut l| {
                            l.title = a.label.clone();
                            l
                        })
                    })
                    .collect();
                view.instructions = step.instructions.clone();
                view.tips = step.tips.clone();
                let ticks = state.ticks.get(&id);
                view.checklist = step
                    .checklist
                    .iter()
                    .map(|i| {
                        let key = i.key();
                        ItemView {
                            checked: ticks.is_some_and(|t| t.contains(&key)),
                            picked: !i.selectable || state.picked.contains(&key),
                            key,
                            label: i.label.clone(),
                            kind: i.kind,
                            subtab: i.subtab.clone(),
                            section: i.section.clone(),
                            state: i.state.map(|s| crate::serde_name(&s)),
                            level: i.level.map(|l| crate::serde_name(&l)),
                            value: i.value.clone(),
                            tip: i.tip.clone(),
                            selectable: i.selectable,
                        }
                    })
                    .collect();
                view.collects_account = step.collects.contains(&Collect::AccountId);
                view.captures = step
                    .collects
                    .iter()
                    .filter_map(|c| match c {
                        Collect::Secret(f) => Some(CaptureView {
                            field: *f,
                            label: f.label(),
                            fingerprint: connection
                                .as_ref()
                                .and_then(|c| c.fingerprints.get(*f).map(str::to_owned)),
                        }),
                        Collect::AccountId => None,
                    })
                    .collect();
                if profile.hand_off.step.as_deref() == Some(id.as_str()) {
                    view.body = ScreenBody::Step {
                        handoff: self.handoff_view(),
                    };
                }
            }
            ScreenKind::Test => {
                view.heading = if profile.signed_test {
                    "Test the connection".into()
                } else {
                    "Check the account".into()
                };
                view.short_title = "Test".into();
                view.body = ScreenBody::Test {
                    test: Box::new(TestView {
                        signed_test: profile.signed_test,
                        note: profile.signed_test_note.clone(),
                        missing: self.missing_secrets(),
                        last: self.last_run.clone(),
                    }),
                };
            }
            ScreenKind::Handoff => {
                view.heading = profile.hand_off.title.clone();
                view.short_title = "Hand-off".into();
                view.body = ScreenBody::Handoff {
                    handoff: self.handoff_view(),
                };
            }
            ScreenKind::Info | ScreenKind::Revoke => return None,
        }
        Some(view)
    }

    fn handoff_view(&self) -> Option<HandOffView> {
        handoff_view(
            self.profile()?,
            &self.account()?,
            self.connection().as_ref().map(|c| &c.fingerprints),
        )
    }

    /// The text of a non-secret hand-off field, for the copy button.
    pub fn handoff_text(&self, label: &str) -> Option<String> {
        let handoff = if self.rotation.is_some() {
            self.rotation_view()?.current?.body.handoff().cloned()
        } else {
            self.handoff_view()
        };
        handoff?.fields.into_iter().find(|f| f.label == label)?.text
    }

    /// The connection and keyring slot whose values the hand-off copies: during a journey the new values
    /// (the active set with the pending values over it).
    pub fn copy_source(&self) -> Option<(String, Slot)> {
        match &self.rotation {
            Some(r) if r.journey == Journey::Handoff => Some((r.connection_id.clone(), Slot::Active)),
            Some(r) => Some((r.connection_id.clone(), Slot::Pending)),
            None => Some((self.connection_id()?, Slot::Active)),
        }
    }

    /// The last test run of this session, whichever screen is on display (for the diagnostics report).
    pub fn last_run(&self) -> Option<&TestRun> {
        self.last_run.as_ref()
    }

    pub fn connection_id(&self) -> Option<String> {
        match &self.rotation {
            Some(r) => Some(r.connection_id.clone()),
            None => self.state.as_ref()?.connection_id.clone(),
        }
    }

    pub fn view(&self) -> View {
        if self.rotation.is_some() {
            if let Some(v) = self.rotation_view() {
                return v;
            }
        }
        let Some(profile) = self.profile() else {
            return View {
                active: false,
                journey: Journey::Setup,
                journey_title: None,
                promoted: false,
                profile: None,
                account: None,
                connection: None,
                screens: vec![],
                current: None,
                progress: String::new(),
                can_back: false,
                can_next: false,
                next_label: "Next",
                blocked_reason: None,
                notice: self.notice.clone(),
            };
        };
        let state = self.state.as_ref().expect("profile implies state");
        let screens = Self::screens(profile);
        let current = self.current_screen();
        let index = screens.iter().position(|(id, _)| *id == state.screen).unwrap_or(0);
        let infos = screens
            .iter()
            .enumerate()
            .map(|(i, (id, kind))| {
                let step = profile.step(id);
                ScreenInfo {
                    id: id.clone(),
                    kind: *kind,
                    code: step.map(|s| s.code.clone()),
                    short_title: match kind {
                        ScreenKind::Account => "Account ID".into(),
                        ScreenKind::Test => {
                            if profile.signed_test {
                                "Test".into()
                            } else {
                                "Check account".into()
                            }
                        }
                        ScreenKind::Handoff => "Hand-off".into(),
                        ScreenKind::Step | ScreenKind::Info | ScreenKind::Revoke => {
                            step.map(|s| s.short_title.clone()).unwrap_or_default()
                        }
                    },
                    done: state.done.contains(id),
                    status: rail_status(i == index, state.done.contains(id)),
                }
            })
            .collect();
        let (id, kind) = &screens[index];
        let progress = match kind {
            ScreenKind::Step | ScreenKind::Info | ScreenKind::Revoke => profile.progress(id).unwrap_or_default(),
            ScreenKind::Account => format!("{} · account", profile.code_prefix),
            ScreenKind::Test => format!("{} · test", profile.code_prefix),
            ScreenKind::Handoff => format!("{} · hand-off", profile.code_prefix),
        };
        let blocked_reason = self.blocked_reason();
        View {
            active: true,
            journey: Journey::Setup,
            journey_title: None,
            promoted: false,
            profile: Some(profile_info(profile)),
            account: self.account().map(|a| account_view(&a, self.datacenter.clone())),
            connection: self.connection(),
            screens: infos,
            current,
            progress,
            can_back: index > 0,
            // On the last screen "Next" is Finish, which marks it done.
            can_next: blocked_reason.is_none(),
            next_label: if index + 1 >= screens.len() { "Finish" } else { "Next" },
            blocked_reason,
            notice: self.notice.clone(),
        }
    }
}

pub(crate) fn profile_info(profile: &ConnectorProfile) -> ProfileInfo {
    ProfileInfo {
        id: profile.id.clone(),
        connector_side: profile.connector_app.clone().unwrap_or_else(|| profile.name.clone()),
        name: profile.name.clone(),
        summary: profile.summary.clone(),
        code_prefix: profile.code_prefix.clone(),
        signed_test: profile.signed_test,
        signed_test_note: profile.signed_test_note.clone(),
        step_codes: profile.steps.iter().map(|s| s.code.clone()).collect(),
    }
}

pub(crate) fn account_view(a: &Account, datacenter: Option<DatacenterCheck>) -> AccountView {
    AccountView {
        id: a.id().to_string(),
        environment: a.environment().code(),
        environment_label: a.environment().to_string(),
        production: a.environment().is_production(),
        ui_host: a.ui_host(),
        datacenter,
    }
}

fn connector_link(profile: &ConnectorProfile) -> Option<PageLink> {
    let p = profile.connector_page.as_ref()?;
    Some(PageLink {
        id: "connector".into(),
        title: p.label.clone(),
        url: p.url.clone(),
        hint: p.note.clone(),
    })
}

/// The hand-off of a profile's values for an account; secrets appear only as fingerprints.
pub(crate) fn handoff_view(
    profile: &ConnectorProfile,
    account: &Account,
    fingerprints: Option<&Fingerprints>,
) -> Option<HandOffView> {
    Some(HandOffView {
        title: profile.hand_off.title.clone(),
        intro: profile.hand_off.intro.clone(),
        fields: profile
            .hand_off
            .fields
            .iter()
            .map(|f| match f.resolve(account) {
                Resolved::Text(text) => HandOffFieldView {
                    label: f.label.clone(),
                    text: Some(text),
                    secret: None,
                    fingerprint: None,
                    note: f.note.clone(),
                },
                Resolved::Secret(field) => HandOffFieldView {
                    label: f.label.clone(),
                    text: None,
                    secret: Some(field),
                    fingerprint: fingerprints.and_then(|fp| fp.get(field).map(str::to_owned)),
                    note: f.note.clone(),
                },
            })
            .collect(),
        connector_page: connector_link(profile),
    })
}

#[derive(Debug, Clone)]
pub struct PlannedProbe {
    pub permission: String,
    pub subtab: String,
    pub step: String,
    pub query: String,
}

/// The inputs of a signed test, taken out of the wizard so the test can run without holding it.
#[derive(Debug, Clone)]
pub struct TestPlan {
    pub account: Account,
    pub connection_id: String,
    pub signed: bool,
    pub probes: Vec<PlannedProbe>,
    /// Which of the connection's sets signs: the active one, the staged one of a rotation, or the
    /// replaced one (to prove NetSuite refuses it).
    pub slot: Slot,
    /// The signing set's fingerprints when the plan was made: a result is recorded only if they are
    /// still the values on display when the call returns.
    pub fingerprints: Fingerprints,
}

impl TestPlan {
    /// Runs the signed call, then (if it passed) one read-only probe per permission. Probes run one at
    /// a time: NetSuite's concurrency limit is shared with the account's other integrations.
    pub async fn run(
        &self,
        credentials: &crate::Credentials,
        options: ClientOptions,
        cancel: &CancellationToken,
    ) -> Result<(Report, Vec<ProbeLine>), client::ClientError> {
        let client = NetSuiteClient::new(self.account.clone(), options)?;
        let report = client.test_call(credentials, cancel).await;
        let mut lines = Vec::new();
        if report.outcome == Outcome::Success {
            for p in &self.probes {
                let r = client
                    .probe(
                        credentials,
                        &p.query,
                        &format!("{} > {}", p.subtab, p.permission),
                        cancel,
                    )
                    .await;
                lines.push(ProbeLine {
                    permission: p.permission.clone(),
                    subtab: p.subtab.clone(),
                    step: p.step.clone(),
                    outcome: r.outcome,
                    summary: r.summary,
                });
                if r.network.is_some() {
                    break;
                }
            }
        }
        Ok((report, lines))
    }
}

/// For profiles whose consumer pair is not the user's (Celigo): the account check stands in for the test.
pub async fn check_only(account: &Account, options: &ClientOptions, cancel: &CancellationToken) -> DatacenterCheck {
    client::check_account(account, options, cancel).await
}
