//! The first setup of a connection: the profile's steps in the guide's order, plus an account screen
//! where the guide has no account step, a test screen after the last NetSuite step, and a hand-off
//! screen unless the hand-off is itself a connector-side step (Celigo's C-E). Progress is saved after
//! every action, atomically, so quitting and reopening returns to the same screen with the same ticks.
//!
//! One of the wizard's two flows; it knows nothing of journeys.

use crate::flow::interface::Flow;
use crate::flow::parts::key::KeyHost;
use crate::flow::plan::{M2mPlan, M2mSigned, PlannedProbe, TestPlan};
use crate::flow::progress::ProgressFile;
use crate::flow::view::{
    account_view, bad, connector_link, handoff_view, not_now, profile_info, rail_status, set_tick, AlgorithmChoice,
    CaptureField, CaptureView, CauseView, CertificateIdView, HandOffView, ItemView, Journey, KeyView, PageLink,
    ProbeLine, ScreenBody, ScreenInfo, ScreenKind, ScreenView, TestRun, TestView, View, WizardError,
};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{Field, Fingerprints};
use crate::keep::store::Connection;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::client::DatacenterCheck;
use crate::netsuite::oauth2::Algorithm;
use crate::netsuite::outcome::{self, Outcome, Report};
use crate::netsuite::pages::{deep_link, Page};
use crate::profiles::{AuthKind, Collect, ConnectorProfile, ItemKind, Place};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

const STATE_FILE: &str = "wizard.json";

/// A setup screen. Saved and sent to the window as its id: `account`, a step's code, `test`, `handoff`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum SetupScreen {
    Account,
    Step(String),
    Test,
    Handoff,
}

impl SetupScreen {
    /// The ids of the screens that are not a profile's steps.
    pub const FIXED_IDS: [&'static str; 3] = ["account", "test", "handoff"];

    pub fn as_str(&self) -> &str {
        match self {
            SetupScreen::Account => "account",
            SetupScreen::Step(code) => code,
            SetupScreen::Test => "test",
            SetupScreen::Handoff => "handoff",
        }
    }

    fn kind(&self) -> ScreenKind {
        match self {
            SetupScreen::Account => ScreenKind::Account,
            SetupScreen::Step(_) => ScreenKind::Step,
            SetupScreen::Test => ScreenKind::Test,
            SetupScreen::Handoff => ScreenKind::Handoff,
        }
    }
}

impl From<String> for SetupScreen {
    fn from(id: String) -> Self {
        match id.as_str() {
            "account" => SetupScreen::Account,
            "test" => SetupScreen::Test,
            "handoff" => SetupScreen::Handoff,
            _ => SetupScreen::Step(id),
        }
    }
}

impl From<SetupScreen> for String {
    fn from(s: SetupScreen) -> String {
        s.as_str().to_string()
    }
}

// Ordered by id, so the saved `done` list is written as it always was.
impl Ord for SetupScreen {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for SetupScreen {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// What is saved between runs. No secret is ever part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardState {
    pub profile: String,
    pub screen: SetupScreen,
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
    pub done: BTreeSet<SetupScreen>,
    #[serde(default)]
    pub last_outcome: Option<Outcome>,
    pub updated_at: String,
    /// OAuth 2.0: the Client ID's fingerprint, kept here until the key's record can hold it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// OAuth 2.0: where the certificate file was saved, for the mapping step to name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_file: Option<String>,
}

/// A setup under way: its saved state (never absent: no setup, no `Setup`) and what this session
/// learnt on the way.
pub struct Setup {
    state: WizardState,
    profile: &'static ConnectorProfile,
    datacenter: Option<DatacenterCheck>,
    pub(crate) last_run: Option<TestRun>,
}

fn progress_file<S: SecretStore>(connections: &Connections<S>) -> ProgressFile {
    ProgressFile::new(
        &connections.store,
        STATE_FILE,
        "The wizard's saved progress",
        "Your saved connections are not affected.",
    )
}

/// The screens of a profile, in order.
pub fn screens(profile: &ConnectorProfile) -> Vec<SetupScreen> {
    let mut out = Vec::new();
    if profile.step_collecting(Collect::AccountId).is_none() {
        out.push(SetupScreen::Account);
    }
    let last_netsuite = profile.steps.iter().rposition(|s| s.place == Place::Netsuite);
    for (i, step) in profile.steps.iter().enumerate() {
        out.push(SetupScreen::Step(step.code.clone()));
        if Some(i) == last_netsuite {
            out.push(SetupScreen::Test);
        }
    }
    if profile.hand_off.step.is_none() {
        out.push(SetupScreen::Handoff);
    }
    out
}

impl Setup {
    /// The setup saved by an earlier run, if any; the notice says why a file was set aside.
    pub(crate) fn load<S: SecretStore>(connections: &Connections<S>) -> Result<Option<Setup>, String> {
        let state = progress_file(connections).load::<WizardState>(|s| ConnectorProfile::get(&s.profile).is_some())?;
        Ok(state.and_then(|state| {
            let profile = ConnectorProfile::get(&state.profile)?;
            Some(Setup {
                state,
                profile,
                datacenter: None,
                last_run: None,
            })
        }))
    }

    /// A new setup for a profile, on its first screen.
    pub(crate) fn begin(profile: &'static ConnectorProfile) -> Setup {
        Setup {
            state: WizardState {
                profile: profile.id.clone(),
                screen: screens(profile).swap_remove(0),
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
                client_id: None,
                certificate_file: None,
            },
            profile,
            datacenter: None,
            last_run: None,
        }
    }

    /// Deletes the saved progress (the setup is forgotten).
    pub(crate) fn clear<S: SecretStore>(connections: &Connections<S>) -> Result<(), WizardError> {
        progress_file(connections).save::<WizardState>(&connections.store, None)
    }

    pub(crate) fn save<S: SecretStore>(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        self.state.updated_at = crate::keep::store::now_rfc3339();
        progress_file(connections).save(&connections.store, Some(&self.state))
    }

    pub fn state(&self) -> &WizardState {
        &self.state
    }

    pub(crate) fn account(&self) -> Option<Account> {
        self.state.account.as_deref().and_then(|a| Account::parse(a).ok())
    }

    fn connection<S: SecretStore>(&self, connections: &Connections<S>) -> Option<Connection> {
        let id = self.state.connection_id.as_deref()?;
        connections.store.load().ok()?.into_iter().find(|c| c.id == id)
    }

    fn index(&self) -> (Vec<SetupScreen>, usize) {
        let screens = screens(self.profile);
        let i = screens.iter().position(|s| *s == self.state.screen).unwrap_or(0);
        (screens, i)
    }

    fn parse_screen(&self, screen: &str) -> Result<SetupScreen, WizardError> {
        let wanted = SetupScreen::from(screen.to_string());
        screens(self.profile)
            .into_iter()
            .find(|s| *s == wanted)
            .ok_or_else(|| bad(format!("There is no step {screen}.")))
    }

    // ------------------------------------------------------------ setup's own actions

    /// Takes an account ID or NetSuite address; creates the connection that captures will fill.
    pub(crate) fn set_account<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        input: &str,
    ) -> Result<(), WizardError> {
        let captured = self.connection(connections).map(|c| c.fingerprints).unwrap_or_default();
        if crate::keep::secrets::looks_like_secret(input, &[&captured]) {
            return Err(WizardError::SecretLike);
        }
        let account = Account::parse(input).map_err(|e| bad(e.to_string()))?;
        let changed = self.state.account.as_deref() != Some(account.id());
        self.state.account = Some(account.id().to_string());
        if changed {
            self.datacenter = None;
            self.last_run = None;
        }
        match self.connection(connections) {
            Some(c) if c.account != account.id() => {
                let id = c.id.clone();
                connections
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
                let existing = connections.store.load().map_err(ConnectionError::from)?;
                let base = format!("{} {}", self.profile.short_name, account.id());
                let label = (1..)
                    .map(|n| if n == 1 { base.clone() } else { format!("{base} ({n})") })
                    .find(|l| crate::keep::store::ConnectionStore::find(&existing, l).is_none())
                    .expect("some label is free");
                let c = if self.is_m2m() {
                    connections.m2m_begin(&label, &account, self.profile.profile_id())?
                } else {
                    connections
                        .add(&label, &account, self.profile.profile_id(), None, &Default::default())?
                        .0
                };
                self.state.connection_id = Some(c.id);
            }
        }
        self.save(connections)
    }

    pub(crate) fn is_m2m(&self) -> bool {
        self.profile.auth == AuthKind::M2m
    }

    fn connection_id_or_account_first(&self) -> Result<String, WizardError> {
        self.state
            .connection_id
            .clone()
            .ok_or_else(|| not_now("Enter the account ID first."))
    }

    /// OAuth 2.0: the connection being set up, read once per action.
    fn m2m_connection<S: SecretStore>(&self, connections: &Connections<S>) -> Result<Connection, WizardError> {
        self.m2m_only()?;
        self.connection(connections)
            .ok_or_else(|| not_now("Enter the account ID first."))
    }

    fn m2m_only(&self) -> Result<(), WizardError> {
        if self.is_m2m() {
            Ok(())
        } else {
            Err(not_now(
                "This connector signs in with TBA tokens; it has no key or Client ID.",
            ))
        }
    }

    /// OAuth 2.0: keeps the pasted Client ID in the keyring.
    pub(crate) fn capture_client_id<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        raw: &str,
    ) -> Result<Vec<String>, WizardError> {
        self.m2m_only()?;
        let id = self.connection_id_or_account_first()?;
        let (_, fingerprint, warnings) = connections.m2m_capture_client_id(&id, raw)?;
        self.state.client_id = Some(fingerprint);
        self.last_run = None;
        self.save(connections)?;
        Ok(warnings)
    }

    /// OAuth 2.0: what the setup's test would sign with now.
    pub(crate) fn m2m_signs_with<S: SecretStore>(&self, connections: &Connections<S>) -> Option<M2mSigned> {
        M2mSigned::of(&self.connection(connections)?, false)
    }

    /// One probe per permission picked for the role.
    fn picked_probes(&self) -> Vec<PlannedProbe> {
        self.profile
            .probes()
            .into_iter()
            .filter(|(_, item)| self.state.picked.contains(&item.key()))
            .map(|(p, _)| PlannedProbe::of(&p))
            .collect()
    }

    /// OAuth 2.0: the test's inputs, read from the keyring.
    pub(crate) fn m2m_plan<S: SecretStore>(&self, connections: &Connections<S>) -> Result<M2mPlan, WizardError> {
        self.m2m_only()?;
        let account = self.account().ok_or_else(|| not_now("Enter the account ID first."))?;
        let id = self.connection_id_or_account_first()?;
        let c = connections.sync(&id)?;
        let credentials = connections.m2m_credentials(&c, Slot::Active)?;
        Ok(M2mPlan {
            account,
            credentials: Box::new(credentials),
            probes: self.picked_probes(),
            signs_with: M2mSigned::of(&c, false),
        })
    }

    pub(crate) fn set_datacenter(&mut self, check: DatacenterCheck) {
        self.datacenter = Some(check);
    }

    /// Own integration: choose which selectable permissions the role gets (and the test probes).
    pub(crate) fn pick<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        key: &str,
        picked: bool,
    ) -> Result<(), WizardError> {
        let item = self
            .profile
            .steps
            .iter()
            .flat_map(|s| s.checklist.iter())
            .find(|i| i.key() == key && i.selectable)
            .ok_or_else(|| bad("That permission cannot be picked."))?;
        if picked {
            self.state.picked.insert(item.key());
        } else {
            self.state.picked.remove(&item.key());
        }
        self.save(connections)
    }

    /// The name of the token just created, so the first rotation can find it to revoke.
    pub(crate) fn set_token_name<S: SecretStore>(
        &self,
        connections: &Connections<S>,
        name: &str,
    ) -> Result<(), WizardError> {
        let captured: Vec<Fingerprints> = self
            .connection(connections)
            .map(|c| vec![c.fingerprints])
            .unwrap_or_default();
        crate::flow::view::check_token_name(name, &captured)?;
        let id = self
            .state
            .connection_id
            .as_deref()
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        connections.set_token_name(id, Some(name))?;
        Ok(())
    }

    /// The hand-off's values, for the copy buttons.
    pub(crate) fn handoff<S: SecretStore>(&self, connections: &Connections<S>) -> Option<HandOffView> {
        let connection = self.connection(connections);
        handoff_view(
            self.profile,
            &self.account()?,
            connection.as_ref().map(|c| &c.fingerprints),
            connection.as_ref(),
        )
    }

    /// Which screen fixes a diagnosed cause.
    fn screen_for(&self, step: outcome::Step) -> Option<SetupScreen> {
        let profile = self.profile;
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
                        .map_or(SetupScreen::Account, |s| SetupScreen::Step(s.code.clone())),
                )
            }
            outcome::Step::Features => has_kind(ItemKind::Feature),
            outcome::Step::IntegrationRecord => profile
                .step_collecting(Collect::Secret(Field::ConsumerKey))
                .or_else(|| profile.step_collecting(Collect::ClientId)),
            outcome::Step::Role => has_kind(ItemKind::Permission)
                .or_else(|| profile.steps.iter().find(|s| s.page == Some(Page::ManageRoles))),
            outcome::Step::UserRole => profile
                .steps
                .iter()
                .find(|s| matches!(s.page, Some(Page::ManageUsers | Page::Employees)))
                .or_else(|| has_kind(ItemKind::Permission)),
            outcome::Step::AccessToken => profile.step_collecting(Collect::Secret(Field::TokenId)),
            outcome::Step::KeyCertificate => profile.step_collecting(Collect::KeyCertificate),
            outcome::Step::Mapping => profile.step_collecting(Collect::CertificateId),
            outcome::Step::Clock | outcome::Step::Network => None,
        };
        found.map(|s| SetupScreen::Step(s.code.clone()))
    }

    fn blocked_reason<S: SecretStore>(&self, connections: &Connections<S>) -> Option<String> {
        let (screens, i) = self.index();
        let screen = &screens[i];
        let profile = self.profile;
        let needs_account = match screen {
            SetupScreen::Account => true,
            SetupScreen::Step(code) => profile
                .step(code)
                .is_some_and(|s| s.collects.contains(&Collect::AccountId)),
            _ => false,
        };
        if needs_account && self.account().is_none() {
            return Some("Enter the account ID first.".into());
        }
        match screen {
            SetupScreen::Step(code) => {
                let step = profile.step(code)?;
                let connection = self.connection(connections);
                let m2m = connection.as_ref().and_then(|c| c.m2m.as_ref());
                if step.collects.contains(&Collect::ClientId)
                    && self.client_id_fingerprint(connection.as_ref()).is_none()
                {
                    return Some("Save the Client ID to the keyring first: NetSuite shows it only once.".into());
                }
                if step.collects.contains(&Collect::KeyCertificate) && m2m.is_none() {
                    return Some("Make the key and certificate first, or import yours.".into());
                }
                if step.collects.contains(&Collect::CertificateId)
                    && m2m.and_then(|m| m.certificate.certificate_id.as_ref()).is_none()
                {
                    return Some("Enter the Certificate ID the mapping shows first.".into());
                }
                let missing: Vec<&str> = step
                    .collects
                    .iter()
                    .filter_map(|c| match c {
                        Collect::Secret(f) => Some(*f),
                        _ => None,
                    })
                    .filter(|f| connection.as_ref().and_then(|c| c.fingerprints.get(*f)).is_none())
                    .map(|f| f.label())
                    .collect();
                (!missing.is_empty()).then(|| {
                    format!(
                        "Save the {} to the keyring first: NetSuite shows it only once.",
                        missing.join(" and the ")
                    )
                })
            }
            SetupScreen::Test if profile.signed_test && !self.last_run.as_ref().is_some_and(|r| r.passed) => {
                Some("Run the test and get it to pass first.".into())
            }
            _ => None,
        }
    }

    /// OAuth 2.0: the Client ID's fingerprint, from the record once the key made it, else from this setup.
    fn client_id_fingerprint(&self, connection: Option<&Connection>) -> Option<String> {
        connection
            .and_then(|c| c.m2m.as_ref())
            .and_then(|m| m.fingerprints.client_id.clone())
            .or_else(|| self.state.client_id.clone())
    }

    fn missing_secrets(&self, connection: Option<&Connection>) -> Vec<&'static str> {
        if self.is_m2m() {
            let m2m = connection.and_then(|c| c.m2m.as_ref());
            return [
                ("Client ID", self.client_id_fingerprint(connection).is_none()),
                ("private key", m2m.is_none()),
                (
                    "Certificate ID",
                    m2m.and_then(|m| m.certificate.certificate_id.as_ref()).is_none(),
                ),
            ]
            .into_iter()
            .filter_map(|(what, gone)| gone.then_some(what))
            .collect();
        }
        self.profile
            .secrets()
            .into_iter()
            .filter(|f| connection.and_then(|c| c.fingerprints.get(*f)).is_none())
            .map(|f| f.label())
            .collect()
    }

    fn current_screen<S: SecretStore>(&self, connections: &Connections<S>) -> Option<ScreenView> {
        let (screens, i) = self.index();
        let screen = &screens[i];
        let id = screen.as_str();
        let profile = self.profile;
        let state = &self.state;
        let account = self.account();
        let connection = self.connection(connections);
        let link = |page: Page, id: &str, hint: Option<String>| {
            account.as_ref().map(|a| PageLink {
                id: id.to_string(),
                title: page.title().into(),
                url: deep_link(a, page).to_string(),
                hint,
            })
        };
        let mut view = ScreenView::blank(id, ScreenBody::empty(screen.kind()).unwrap_or(ScreenBody::Info), None);
        match screen {
            SetupScreen::Account => {
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
            SetupScreen::Step(code) => {
                let step = profile.step(code)?;
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
                let ticks = state.ticks.get(id);
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
                            field: CaptureField::from(*f),
                            label: f.label(),
                            fingerprint: connection
                                .as_ref()
                                .and_then(|c| c.fingerprints.get(*f).map(str::to_owned)),
                        }),
                        Collect::ClientId => Some(CaptureView {
                            field: CaptureField::ClientId,
                            label: CaptureField::ClientId.label(),
                            fingerprint: self.client_id_fingerprint(connection.as_ref()),
                        }),
                        _ => None,
                    })
                    .collect();
                let m2m = connection.as_ref().and_then(|c| c.m2m.as_ref());
                let card = connection
                    .as_ref()
                    .and_then(|c| crate::flow::cards::certificate_card(c, std::time::SystemTime::now()));
                if step.collects.contains(&Collect::KeyCertificate) {
                    view.key = Some(KeyView {
                        algorithms: Algorithm::ALL
                            .into_iter()
                            .map(|a| AlgorithmChoice {
                                name: a.name(),
                                key: a.default_kind().label(),
                                default: a == Algorithm::default(),
                            })
                            .collect(),
                        certificate: card.clone(),
                        key_fingerprint: m2m.and_then(|m| m.fingerprints.private_key.clone()),
                        file: state.certificate_file.clone(),
                    });
                }
                if step.collects.contains(&Collect::CertificateId) {
                    view.certificate_id = Some(CertificateIdView {
                        value: m2m.and_then(|m| m.certificate.certificate_id.clone()),
                        certificate: card,
                        file: state.certificate_file.clone(),
                        upload_by_api: false,
                    });
                }
                if profile.hand_off.step.as_deref() == Some(id) {
                    view.body = ScreenBody::Step {
                        handoff: self.handoff(connections),
                    };
                }
            }
            SetupScreen::Test => {
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
                        missing: self.missing_secrets(connection.as_ref()),
                        last: self.last_run.clone(),
                    }),
                };
            }
            SetupScreen::Handoff => {
                view.heading = profile.hand_off.title.clone();
                view.short_title = "Hand-off".into();
                view.body = ScreenBody::Handoff {
                    handoff: self.handoff(connections),
                };
            }
        }
        Some(view)
    }
}

impl<S: SecretStore> KeyHost<S> for Setup {
    fn key_place(&self, connections: &Connections<S>, _: bool) -> Result<(Connection, Slot), WizardError> {
        Ok((self.m2m_connection(connections)?, Slot::Active))
    }

    fn certificate_file_mut(&mut self) -> &mut Option<String> {
        &mut self.state.certificate_file
    }

    fn certificate_file(&self) -> Option<PathBuf> {
        self.state.certificate_file.as_deref().map(PathBuf::from)
    }

    fn forget_tested(&mut self, _: bool) {
        self.last_run = None;
    }

    fn save_progress(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        self.save(connections)
    }
}

impl<S: SecretStore> Flow<S> for Setup {
    fn tick(
        &mut self,
        connections: &Connections<S>,
        screen: &str,
        key: &str,
        checked: bool,
    ) -> Result<(), WizardError> {
        let step = self
            .profile
            .step(screen)
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        if !step.checklist.iter().any(|i| i.key() == key) {
            return Err(bad("That item is not on this step's checklist."));
        }
        set_tick(&mut self.state.ticks, screen, key, checked);
        self.save(connections)
    }

    fn advance(&mut self, connections: &Connections<S>) -> Result<bool, WizardError> {
        let (screens, i) = self.index();
        if let Some(reason) = self.blocked_reason(connections) {
            return Err(bad(reason));
        }
        self.state.done.insert(screens[i].clone());
        if let Some(next) = screens.get(i + 1) {
            self.state.screen = next.clone();
        }
        self.save(connections)?;
        // A setup is never ended by its last Next: its hand-off stays on display until the user leaves.
        Ok(false)
    }

    fn back(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        let (screens, i) = self.index();
        if i > 0 {
            self.state.screen = screens[i - 1].clone();
            self.save(connections)?;
        }
        Ok(())
    }

    /// Jumps to a screen already reached (done, or the first not yet done), e.g. "Go to AS-4" after a
    /// failed test.
    fn goto(&mut self, connections: &Connections<S>, screen: &str) -> Result<(), WizardError> {
        let (screens, _) = self.index();
        let wanted = self.parse_screen(screen)?;
        let target = screens.iter().position(|s| *s == wanted).unwrap_or(0);
        let first_open = screens
            .iter()
            .position(|s| !self.state.done.contains(s))
            .unwrap_or(screens.len() - 1);
        if target > first_open {
            return Err(not_now("Finish the steps before it first."));
        }
        self.state.screen = wanted;
        self.save(connections)
    }

    fn capture(&mut self, connections: &Connections<S>, field: Field, raw: &str) -> Result<Vec<String>, WizardError> {
        let id = self
            .state
            .connection_id
            .clone()
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        let (_, warnings) = connections.capture(&id, Slot::Active, field, raw)?;
        self.last_run = None;
        Ok(warnings)
    }

    fn test_plan(&self, connections: &Connections<S>) -> Result<TestPlan, WizardError> {
        let account = self.account().ok_or_else(|| not_now("Enter the account ID first."))?;
        let connection = self
            .connection(connections)
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        let probes = self.picked_probes();
        Ok(TestPlan {
            account,
            fingerprints: connection.fingerprints,
            connection_id: connection.id,
            signed: self.profile.signed_test,
            probes,
            slot: Slot::Active,
        })
    }

    fn signing_fingerprints(&self, connections: &Connections<S>) -> Option<Fingerprints> {
        self.connection(connections).map(|c| c.fingerprints)
    }

    fn record_test(
        &mut self,
        connections: &Connections<S>,
        mut report: Report,
        probes: Vec<ProbeLine>,
    ) -> Result<(), WizardError> {
        if let (Some(account), Some(connection)) = (self.account(), self.connection(connections)) {
            outcome::recognise_sandbox_refresh(&mut report, &account, connection.last_success_at.as_deref());
            connections.explain_m2m_refusal(&connection, &mut report);
        }
        let id = self
            .state
            .connection_id
            .clone()
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        connections.record_test_id(&id, &report)?;
        let causes = report
            .causes
            .iter()
            .map(|c| {
                let screen = self.screen_for(c.step);
                CauseView {
                    id: c.id,
                    message: c.message.clone(),
                    screen_code: match &screen {
                        Some(SetupScreen::Step(code)) => self.profile.step(code).map(|st| st.code.clone()),
                        _ => None,
                    },
                    screen: screen.map(String::from),
                }
            })
            .collect();
        let passed = report.outcome == Outcome::Success && probes.iter().all(|p| p.outcome == Outcome::Success);
        self.state.last_outcome = Some(if report.outcome == Outcome::Success && !passed {
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
        self.save(connections)
    }

    fn view(&self, connections: &Connections<S>, notice: Option<String>) -> Option<View> {
        let profile = self.profile;
        let state = &self.state;
        let (screens, index) = self.index();
        let infos = screens
            .iter()
            .enumerate()
            .map(|(i, screen)| {
                let step = match screen {
                    SetupScreen::Step(code) => profile.step(code),
                    _ => None,
                };
                ScreenInfo {
                    id: screen.as_str().to_string(),
                    kind: screen.kind(),
                    code: step.map(|s| s.code.clone()),
                    short_title: match screen {
                        SetupScreen::Account => "Account ID".into(),
                        SetupScreen::Test if profile.signed_test => "Test".into(),
                        SetupScreen::Test => "Check account".into(),
                        SetupScreen::Handoff => "Hand-off".into(),
                        SetupScreen::Step(_) => step.map(|s| s.short_title.clone()).unwrap_or_default(),
                    },
                    done: state.done.contains(screen),
                    status: rail_status(i == index, state.done.contains(screen)),
                }
            })
            .collect();
        let progress = match &screens[index] {
            SetupScreen::Step(code) => profile.progress(code).unwrap_or_default(),
            SetupScreen::Account => format!("{} · account", profile.code_prefix),
            SetupScreen::Test => format!("{} · test", profile.code_prefix),
            SetupScreen::Handoff => format!("{} · hand-off", profile.code_prefix),
        };
        let blocked_reason = self.blocked_reason(connections);
        Some(View {
            active: true,
            journey: Journey::Setup,
            journey_title: None,
            promoted: false,
            profile: Some(profile_info(profile)),
            account: self.account().map(|a| account_view(&a, self.datacenter.clone())),
            connection: self.connection(connections),
            screens: infos,
            current: self.current_screen(connections),
            progress,
            can_back: index > 0,
            // On the last screen "Next" is Finish, which marks it done.
            can_next: blocked_reason.is_none(),
            next_label: if index + 1 >= screens.len() { "Finish" } else { "Next" },
            blocked_reason,
            notice,
        })
    }

    fn current(&self, connections: &Connections<S>) -> Option<ScreenView> {
        self.current_screen(connections)
    }

    fn account(&self, _: &Connections<S>) -> Option<Account> {
        Setup::account(self)
    }

    fn connection_id(&self) -> Option<String> {
        self.state.connection_id.clone()
    }

    fn copy_source(&self) -> Option<(String, Slot)> {
        Some((self.state.connection_id.clone()?, Slot::Active))
    }

    fn last_run(&self) -> Option<&TestRun> {
        self.last_run.as_ref()
    }

    fn connector_link(&self, _: &Connections<S>) -> Option<PageLink> {
        connector_link(self.profile)
    }
}
