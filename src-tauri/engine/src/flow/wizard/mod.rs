//! The wizard: one object owning the two flows, the setup and a journey on a saved connection, and the
//! home screen. The window renders the [`View`] it is given and sends the user's actions back; every
//! decision is made here or in the flows, where `cargo test` can see it.
//!
//! While a journey is under way, actions and the view are the journey's; otherwise the setup's. Each
//! action is dispatched once, through [`Flow`], to whichever is active. The setup and the journey never
//! see each other: only this file knows both.

use crate::flow::home::{Home, HomeView, SetupSummary};
use crate::flow::interface::Flow;
use crate::flow::journey::{Ended, JourneyRun};
use crate::flow::parts::key::{self, CertificateTarget, CertificateToSave, KeyHost};
use crate::flow::plan::{Plan, Purpose, Ran, Stamp};
use crate::flow::setup::{Setup, WizardState};
use crate::flow::view::{
    bad, not_now, CaptureField, Journey, JourneyInfo, PartKind, ScreenBody, ScreenView, TestRun, View, WizardError,
};
use crate::keep::connections::Connections;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::client::DatacenterCheck;
use crate::netsuite::oauth2::{Algorithm, Certificate, PrivateKey};
use crate::profiles::{ConnectorProfile, M2mValue};
use std::path::{Path, PathBuf};

mod act;
mod journeys;
mod key_part;
mod links;
mod moving;
mod renewing;
pub use act::{Acted, Go, PartAction};
pub use journeys::{ApiAction, ApiAnswer};
pub use key_part::KeyPart;

/// A secret the hand-off gives out, as the window names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretValue {
    Tba(crate::keep::secrets::Field),
    M2m(M2mValue),
}

pub struct Wizard<S: SecretStore> {
    pub connections: Connections<S>,
    setup: Option<Setup>,
    /// A journey on a saved connection; while there is one, actions and the view are the journey's.
    journey: Option<JourneyRun>,
    notice: Option<String>,
    home: Home,
}

const CHOOSE_FIRST: &str = "Choose a connector first.";

/// What a part on display holds, read at once: each part that the window reads outside an action
/// implements it, so the wizard has one read for all of them (`Wizard::read`) and no per-part function.
pub trait ReadPart<S: SecretStore>: Sized {
    /// Refused unless the screen on display carries the part.
    fn read(wizard: &Wizard<S>) -> Result<Self, WizardError>;
}

impl<S: SecretStore> Wizard<S> {
    /// A part on display, read under the wizard's lock and returned without it, so that slow work on
    /// what was read (making an RSA key takes seconds, a save dialog stays open) does not hold the lock.
    pub fn read<P: ReadPart<S>>(&self) -> Result<P, WizardError> {
        P::read(self)
    }

    /// Opens the wizard with its progress files next to the saved connections.
    pub fn open(connections: Connections<S>) -> Self {
        let mut notice = None;
        let setup = Setup::load(&connections).unwrap_or_else(|n| {
            notice = Some(n);
            None
        });
        let journey = JourneyRun::load(&connections).unwrap_or_else(|n| {
            notice = Some(n);
            None
        });
        Wizard {
            connections,
            setup,
            journey,
            notice,
            home: Home::default(),
        }
    }

    /// The flow the user's actions go to: the journey while there is one, else the setup.
    fn active(&self) -> Option<&dyn Flow<S>> {
        match (&self.journey, &self.setup) {
            (Some(j), _) => Some(j),
            (None, Some(s)) => Some(s),
            (None, None) => None,
        }
    }

    fn active_mut(&mut self) -> Result<(&mut dyn Flow<S>, &Connections<S>), WizardError> {
        let flow: &mut dyn Flow<S> = match (&mut self.journey, &mut self.setup) {
            (Some(j), _) => j,
            (None, Some(s)) => s,
            (None, None) => return Err(not_now(CHOOSE_FIRST)),
        };
        Ok((flow, &self.connections))
    }

    fn journey_mut(&mut self) -> Result<(&mut JourneyRun, &Connections<S>), WizardError> {
        let j = self
            .journey
            .as_mut()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        Ok((j, &self.connections))
    }

    pub fn state(&self) -> Option<&WizardState> {
        self.setup.as_ref().map(Setup::state)
    }

    // ------------------------------------------------------------ the setup's own actions

    pub fn start(&mut self, profile_id: &str) -> Result<View, WizardError> {
        if self.journey.is_some() {
            return Err(not_now("Finish or stop the token replacement under way first."));
        }
        let profile = ConnectorProfile::get(profile_id)
            .ok_or_else(|| bad(format!("There is no connector called {profile_id}.")))?;
        let mut setup = Setup::begin(profile);
        self.notice = None;
        setup.save(&self.connections)?;
        self.setup = Some(setup);
        Ok(self.view())
    }

    /// Forgets the wizard's progress. Saved connections and their secrets stay.
    pub fn reset(&mut self) -> Result<View, WizardError> {
        self.setup = None;
        Setup::clear(&self.connections)?;
        Ok(self.view())
    }

    /// Takes an account ID or NetSuite address; creates the connection that captures will fill.
    fn set_account(&mut self, input: &str) -> Result<(), WizardError> {
        self.require(PartKind::Account)?;
        let connections = &self.connections;
        self.setup
            .as_mut()
            .ok_or_else(|| not_now(CHOOSE_FIRST))?
            .set_account(connections, input)
    }

    /// Records what NetSuite's account lookup said (run by the caller, which owns the runtime).
    fn set_datacenter(&mut self, check: DatacenterCheck) -> View {
        if let Some(s) = self.setup.as_mut() {
            s.set_datacenter(check);
        }
        self.view()
    }

    /// Own integration: choose which selectable permissions the role gets (and the test probes).
    fn pick(&mut self, key: &str, picked: bool) -> Result<(), WizardError> {
        self.require_item(None, key)?;
        let connections = &self.connections;
        self.setup
            .as_mut()
            .ok_or_else(|| not_now(CHOOSE_FIRST))?
            .pick(connections, key, picked)
    }

    // ------------------------------------------------------------ actions of whichever flow is active

    fn tick(&mut self, screen: &str, key: &str, checked: bool) -> Result<(), WizardError> {
        self.require_item(Some(screen), key)?;
        let (flow, connections) = self.active_mut()?;
        flow.tick(connections, screen, key, checked)
    }

    /// Keeps a pasted value in the active flow's connection and slot, as its auth method keeps it.
    fn capture(&mut self, field: CaptureField, raw: &str) -> Result<Vec<String>, WizardError> {
        self.require(PartKind::Capture(field))?;
        let (flow, connections) = self.active_mut().map_err(|_| not_now("Enter the account ID first."))?;
        flow.capture(connections, field, raw)
    }

    fn keep_as_is(&mut self, field: CaptureField) -> Result<(), WizardError> {
        self.require(PartKind::Capture(field))?;
        let (flow, connections) = self.active_mut()?;
        flow.keep_as_is(connections, field)
    }

    /// The screen on display with the parts the window draws on it.
    fn on_display(&self) -> Option<ScreenView> {
        self.active()
            .and_then(|f| f.current(&self.connections))
            .map(ScreenView::with_parts)
    }

    /// Refused unless the screen on display carries `part`: the structural check that an action comes
    /// from the screen that offers it, not from whatever the page sends.
    fn require(&self, part: PartKind) -> Result<(), WizardError> {
        let on_display = self.on_display();
        match on_display {
            Some(screen) if screen.carries(part) => Ok(()),
            Some(_) => Err(not_now(part.elsewhere())),
            None => Err(not_now(CHOOSE_FIRST)),
        }
    }

    /// Refused unless the screen on display (`screen`, when the action names one) lists the checklist
    /// item `key`.
    fn require_item(&self, screen: Option<&str>, key: &str) -> Result<(), WizardError> {
        // One view of the screen serves the part check and the item check.
        match self.on_display() {
            Some(s)
                if s.carries(PartKind::Checklist)
                    && screen.is_none_or(|id| id == s.id)
                    && s.checklist.iter().any(|i| i.key == key) =>
            {
                Ok(())
            }
            Some(_) => Err(not_now(PartKind::Checklist.elsewhere())),
            None => Err(not_now(CHOOSE_FIRST)),
        }
    }

    // ------------------------------------------------------------ tests

    /// Every test the window runs, for `purpose`, with what it signs with read from the keyring now, so
    /// the calls can run off the wizard's lock. Each flow makes its own; none asks which auth method
    /// signs.
    pub fn plan(&self, purpose: Purpose) -> Result<Plan, WizardError> {
        match &purpose {
            Purpose::Home(id) => crate::flow::home::plan(&self.connections, id),
            Purpose::AccountCheck => Ok(Plan::account_check(self.account_to_check()?)),
            Purpose::Test => self
                .active()
                .ok_or_else(|| not_now(CHOOSE_FIRST))?
                .test_plan(&self.connections),
            Purpose::OldCheck => self
                .journey
                .as_ref()
                .ok_or_else(|| not_now("No replacement is under way."))?
                .old_check_plan(&self.connections),
        }
    }

    /// Records what a plan's run found where its purpose says: the screen's test (unless the values on
    /// display changed meanwhile), the old values' check, or the home card.
    pub fn record(&mut self, plan: &Plan, ran: Ran) -> Result<(), WizardError> {
        if let Some(check) = ran.check {
            self.set_datacenter(check);
        }
        let Some(report) = ran.report else { return Ok(()) };
        match &plan.purpose {
            Purpose::Test if plan.stamp != Stamp::Unkept => {
                let (flow, connections) = self.active_mut().map_err(|_| not_now("Enter the account ID first."))?;
                // Another connection, a journey started or ended, a value captured again: the result is
                // about values no longer on display.
                if flow.stamp(connections) != plan.stamp {
                    return Err(bad(
                        "The values changed while the test was running, so its result was not kept. Run the test again.",
                    ));
                }
                flow.record_test(connections, report, ran.probes)?;
            }
            Purpose::OldCheck => {
                let (j, connections) = self.journey_mut()?;
                j.record_old_check(connections, &report)?;
            }
            Purpose::Home(id) => self.home.record_test(&self.connections, id, report)?,
            Purpose::Test | Purpose::AccountCheck => {}
        }
        Ok(())
    }

    /// The account the screen's test would call, for the account check alone.
    fn account_to_check(&self) -> Result<crate::netsuite::account::Account, WizardError> {
        self.active()
            .and_then(|f| f.account(&self.connections))
            .ok_or_else(|| not_now("Enter the account ID first."))
    }

    // ------------------------------------------------------------ what the window and the report read

    /// The text of a non-secret hand-off field, for the copy button.
    pub fn handoff_text(&self, label: &str) -> Option<String> {
        let handoff = self.active()?.current(&self.connections)?.body.handoff().cloned();
        let handoff = match (handoff, &self.journey, &self.setup) {
            (Some(h), _, _) => h,
            // The setup's hand-off values are known before its hand-off screen is reached.
            (None, None, Some(s)) => s.handoff(&self.connections)?,
            (None, _, _) => return None,
        };
        handoff.fields.into_iter().find(|f| f.label == label)?.text
    }

    /// The connection and keyring slot whose values the hand-off copies: during a journey the new values
    /// (the active set with the pending values over it).
    pub(crate) fn copy_source(&self) -> Option<(String, Slot)> {
        self.active()?.copy_source()
    }

    /// Where an export or a copy of the private key reads from, decided here and not by the window's
    /// confirmation: only while a hand-off is on display, and in a certificate replacement only once
    /// the new key is the one in use (before that, the key in use is the old one).
    pub(crate) fn private_key_source(&self) -> Result<(String, Slot), WizardError> {
        let view = self.view();
        let on_handoff = view.current.as_ref().is_some_and(|s| match &s.body {
            ScreenBody::Handoff { .. } => true,
            ScreenBody::Step { handoff, .. } => handoff.is_some(),
            _ => false,
        });
        if !on_handoff {
            return Err(not_now(
                "The private key is handed over from the hand-off screen only: go to it first.",
            ));
        }
        // A journey that stages a new key hands it over once it is in use; one that stages nothing (hand off
        // again) hands over the key in use.
        // A move to OAuth 2.0 hands the staged key over before its switch.
        let staging = |j: &crate::flow::journey::JourneyRun| {
            let kind = crate::flow::journey::kinds::of(j.journey());
            kind.stages() && !kind.hands_over_staged()
        };
        if self.journey.as_ref().is_some_and(|j| !j.state().promoted && staging(j)) {
            return Err(not_now(
                "The new private key is handed over once it is the one in use: pass its test and press Use the new \
                 key first.",
            ));
        }
        self.copy_source().ok_or_else(|| not_now("Enter the account ID first."))
    }

    /// A secret the hand-off on display gives out, for the copy button: a TBA value or an OAuth 2.0
    /// connection's Client ID or private key (where `private_key_source` allows), read from the keyring
    /// here so the window never reads the vault. During a journey, the new values over the ones in use.
    pub fn secret_for(&self, what: SecretValue) -> Result<zeroize::Zeroizing<String>, WizardError> {
        use secrecy::ExposeSecret;
        let (id, slot) = self
            .copy_source()
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        match what {
            SecretValue::Tba(field) => {
                let set = self
                    .connections
                    .vault
                    .read_merged::<crate::keep::secrets::SecretSet>(&id, slot)
                    .map_err(crate::keep::connections::ConnectionError::from)?;
                let value = set
                    .get(field)
                    .ok_or_else(|| not_now(format!("The {} is not saved yet.", field.label())))?;
                Ok(zeroize::Zeroizing::new(value.expose_secret().to_string()))
            }
            SecretValue::M2m(M2mValue::ClientId) => {
                let connection = self.connections.get(&id)?;
                let client_id = self.connections.m2m_client_id(&connection, slot)?;
                Ok(zeroize::Zeroizing::new(client_id.expose_secret().to_string()))
            }
            SecretValue::M2m(M2mValue::PrivateKey) => Ok(self.handed_over_key()?.0),
            SecretValue::M2m(M2mValue::CertificateId | M2mValue::Algorithm | M2mValue::Scope) => Err(bad(
                "The Certificate ID, the algorithm and the scope are copied as text.",
            )),
        }
    }

    /// The private key as the hand-off gives it out (export or copy), where and when
    /// `private_key_source` allows, with the connection it belongs to. The caller registers it with the
    /// redactor: it is leaving the keyring.
    pub(crate) fn handed_over_key(
        &self,
    ) -> Result<(zeroize::Zeroizing<String>, crate::keep::store::Connection), WizardError> {
        let (id, slot) = self.private_key_source()?;
        let connection = self.connections.get(&id)?;
        let pem = self.connections.m2m_private_key_pem(&connection, slot)?;
        Ok((pem, connection))
    }

    /// The last test run of this session, whichever screen is on display (for the diagnostics report).
    pub fn last_run(&self) -> Option<&TestRun> {
        self.active()?.last_run()
    }

    pub fn view(&self) -> View {
        let flows: [Option<&dyn Flow<S>>; 2] = [
            self.journey.as_ref().map(|j| j as &dyn Flow<S>),
            self.setup.as_ref().map(|s| s as &dyn Flow<S>),
        ];
        let mut view = flows
            .into_iter()
            .flatten()
            .find_map(|f| f.view(&self.connections, self.notice.clone()))
            .unwrap_or_else(|| View::inactive(self.notice.clone()));
        view.current = view.current.map(ScreenView::with_parts);
        view
    }

    // ------------------------------------------------------------ the home screen

    pub fn home(&self) -> HomeView {
        let journey = self.journey_info();
        let setup = self.setup.as_ref().and_then(|s| {
            let p = ConnectorProfile::get(&s.state().profile)?;
            Some(SetupSummary {
                profile: p.id.clone(),
                profile_name: p.name.clone(),
                progress: if self.journey.is_none() {
                    self.view().progress
                } else {
                    String::new()
                },
                account: s.state().account.clone(),
            })
        });
        self.home.view(&self.connections, journey, setup)
    }

    /// Deletes the copy of a replaced set that a replacement left behind, once the user agrees.
    pub fn forget_old_copy(&mut self, id: &str) -> Result<HomeView, WizardError> {
        if self.journey_on(id) {
            return Err(bad(
                "A replacement is under way on this connection: its last step deletes the old copy.",
            ));
        }
        crate::flow::home::forget_old_copy(&self.connections, id)?;
        Ok(self.home())
    }

    /// Removes a saved connection and its keyring items. Refused while a journey is under way on it; a
    /// setup in progress for it is forgotten with it.
    pub fn remove_connection(&mut self, id: &str) -> Result<HomeView, WizardError> {
        if self.journey_on(id) {
            return Err(bad(
                "A replacement is under way on this connection: finish it or stop it first.",
            ));
        }
        let removed = self.connections.remove(id)?;
        self.home.forget(&removed.id);
        if self.state().and_then(|s| s.connection_id.as_deref()) == Some(removed.id.as_str()) {
            self.reset()?;
        }
        Ok(self.home())
    }

    /// A journey, or the home card's renewal, is changing `id`'s values.
    fn journey_on(&self, id: &str) -> bool {
        self.journey.as_ref().is_some_and(|j| j.state().connection_id == id)
            || self.home.renewing.as_deref() == Some(id)
    }
}
