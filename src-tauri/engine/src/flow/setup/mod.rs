//! The first setup of a connection: the profile's steps in the guide's order, plus an account screen
//! where the guide has no account step, a test screen after the last NetSuite step, and a hand-off
//! screen unless the hand-off is itself a connector-side step (Celigo's C-E). Progress is saved after
//! every action, atomically, so quitting and reopening returns to the same screen with the same ticks.
//!
//! One of the wizard's two flows; it knows nothing of journeys. Its screens' ids are in `screen.rs`,
//! how each is drawn and what blocks its Next in `view.rs`, its actions as a flow in `flow.rs`.

mod flow;
mod screen;
mod view;
pub use screen::{screens, SetupScreen};

use crate::flow::plan::PlannedProbe;
use crate::flow::progress::ProgressFile;
use crate::flow::view::{bad, handoff_view, not_now, HandOffView, TestRun, WizardError};
use crate::keep::connections::{method, ConnectionError, Connections};
use crate::keep::secrets::{CaptureField, Fingerprints};
use crate::keep::store::Connection;
use crate::keep::vault::SecretStore;
use crate::netsuite::account::Account;
use crate::netsuite::client::DatacenterCheck;
use crate::netsuite::outcome::Outcome;
use crate::profiles::{Collect, ConnectorProfile, ItemKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const STATE_FILE: &str = "wizard.json";

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
    /// Values saved with a warning (not NetSuite's shape, as a 65-character key): Next waits until each
    /// is pasted again or kept as it is, so a value copied with one character too many is not handed on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub doubtful: BTreeMap<CaptureField, Doubt>,
}

/// A saved value the capture warned about: which value (by fingerprint) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doubt {
    pub fingerprint: String,
    pub why: String,
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
                doubtful: BTreeMap::new(),
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
        let captured = self
            .connection(connections)
            .map(|c| c.fingerprints().clone())
            .unwrap_or_default();
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
                // A label the wizard made from the mistyped account follows the correction; one the
                // user gave stays.
                let made_from_old = is_made_label(&c.label, &self.made_label(&c.account));
                let base = self.made_label(account.id());
                connections
                    .store
                    .update(|list| {
                        let others: Vec<_> = list.iter().filter(|c| c.id != id).cloned().collect();
                        let label = made_from_old.then(|| free_label(&others, &base));
                        if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                            c.account = account.id().to_string();
                            if let Some(label) = label {
                                c.label = label;
                            }
                            c.touch();
                        }
                    })
                    .map_err(ConnectionError::from)?;
            }
            Some(_) => {}
            None => {
                let existing = connections.store.load().map_err(ConnectionError::from)?;
                let label = free_label(&existing, &self.made_label(account.id()));
                let c = method::of::<S>(self.profile.auth).begin(
                    connections,
                    &label,
                    &account,
                    self.profile.profile_id(),
                )?;
                self.state.connection_id = Some(c.id);
            }
        }
        self.save(connections)
    }

    /// The label the wizard gives a new connection on `account` ("AfterShip 1234567").
    fn made_label(&self, account: &str) -> String {
        format!("{} {}", self.profile.short_name, account)
    }

    /// Whether this setup's steps make a key and certificate (and take a Client ID): the key part's
    /// host, as the profile's steps say.
    pub(crate) fn hosts_key(&self) -> bool {
        self.profile.step_collecting(Collect::KeyCertificate).is_some()
    }

    pub(super) fn connection_id_or_account_first(&self) -> Result<String, WizardError> {
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
        if self.hosts_key() {
            Ok(())
        } else {
            Err(not_now(
                "This connector signs in with TBA tokens; it has no key or Client ID.",
            ))
        }
    }

    /// One probe per permission picked for the role.
    pub(super) fn picked_probes(&self) -> Vec<PlannedProbe> {
        self.profile
            .probes()
            .into_iter()
            .filter(|(_, item)| self.state.picked.contains(&item.key()))
            .map(|(p, _)| PlannedProbe::of(&p))
            .collect()
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
            .map(|c| vec![c.fingerprints().clone()])
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
            connection.as_ref().map(|c| c.fingerprints()),
            connection.as_ref(),
            None,
        )
    }
}

/// `base`, or `base (2)`, `base (3)`… : the first that no connection of `existing` has.
fn free_label(existing: &[Connection], base: &str) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base} ({n})")
            }
        })
        .find(|l| crate::keep::store::ConnectionStore::find(existing, l).is_none())
        .expect("some label is free")
}

/// Whether `label` is one `free_label` made from `base`.
fn is_made_label(label: &str, base: &str) -> bool {
    label == base
        || label
            .strip_prefix(base)
            .and_then(|rest| rest.strip_prefix(" ("))
            .and_then(|rest| rest.strip_suffix(')'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}
