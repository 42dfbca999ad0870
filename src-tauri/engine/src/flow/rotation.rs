//! Journeys on a saved connection, after the first setup: replacing its access token, replacing its
//! consumer pair (NetSuite's Reset Credentials), and handing its values to the connector again.
//!
//! A journey uses the wizard's screens, view and commands, so the window renders it like any setup
//! step. Its progress is a file of its own (`rotation.json`), next to the setup's, so a rotation never
//! disturbs a half-finished setup and survives a crash or quit: reopening resumes it.
//!
//! The order keeps a working token at every moment: the new token goes to the keyring's pending slot,
//! is proven by a signed call, and only then becomes active; the connector gets it next; only then is
//! the old one revoked. The old set is kept (in the `retired` slot) until the journey ends, so the user
//! can prove NetSuite refuses it.

use crate::flow::progress::ProgressFile;
use crate::flow::wizard::{
    not_now, CauseView, ItemView, PageLink, ProbeLine, ScreenBody, ScreenInfo, ScreenKind, ScreenView, TestRun,
    TestView, View, Wizard, WizardError, HANDOFF, TEST,
};
use crate::keep::connections::ConnectionError;
use crate::keep::secrets::{Field, Fingerprints};
use crate::keep::store::Connection;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::{self, Outcome, Report};
use crate::netsuite::pages::{deep_link, Page};
use crate::profiles::{Collect, ConnectorProfile, ItemKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) const ROTATION_FILE: &str = "rotation.json";
const WHY: &str = "why";
const NEW_TOKEN: &str = "new-token";
const RESET: &str = "reset";
const REVOKE: &str = "revoke";
/// The hand-off's tick for connectors whose consumer pair is not the user's (Celigo): their own Test is
/// the only proof the new token works, so the user confirms it before the new token becomes active.
const CONNECTOR_TEST: &str = "connector-test";
const REVOKED: &str = "revoked";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Journey {
    Setup,
    RotateToken,
    RotateConsumer,
    Handoff,
}

impl Journey {
    pub fn parse(text: &str) -> Option<Journey> {
        match text {
            "rotate_token" => Some(Journey::RotateToken),
            "rotate_consumer" => Some(Journey::RotateConsumer),
            "handoff" => Some(Journey::Handoff),
            _ => None,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Journey::RotateToken => "RT",
            Journey::RotateConsumer => "RC",
            Journey::Handoff => "HO",
            Journey::Setup => "",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Journey::RotateToken => "Replace the access token",
            Journey::RotateConsumer => "Replace the consumer key and secret",
            Journey::Handoff => "Hand the values over again",
            Journey::Setup => "Set up",
        }
    }

    /// The pair this journey replaces.
    fn pair(self) -> Option<[Field; 2]> {
        match self {
            Journey::RotateToken => Some([Field::TokenId, Field::TokenSecret]),
            Journey::RotateConsumer => Some([Field::ConsumerKey, Field::ConsumerSecret]),
            _ => None,
        }
    }
}

/// What a signed call with the old token said after the user revoked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct OldTokenCheck {
    /// `refused` (revoked, as it should be), `accepted` (still works) or `unknown` (no clear answer).
    #[ts(type = "\"refused\" | \"accepted\" | \"unknown\"")]
    pub result: String,
    pub summary: String,
    pub at: String,
}

/// Saved between runs; no secret is ever part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationState {
    pub journey: Journey,
    pub connection_id: String,
    pub screen: String,
    #[serde(default)]
    pub done: BTreeSet<String>,
    #[serde(default)]
    pub ticks: BTreeMap<String, BTreeSet<String>>,
    /// The active set's fingerprints when the journey began.
    #[serde(default)]
    pub old: Fingerprints,
    #[serde(default)]
    pub old_token_name: Option<String>,
    #[serde(default)]
    pub new_token_name: Option<String>,
    /// The staged set's fingerprints when its signed test passed: a value captured after the test
    /// invalidates it.
    #[serde(default)]
    pub passed: Option<Fingerprints>,
    #[serde(default)]
    pub promoted: bool,
    #[serde(default)]
    pub old_check: Option<OldTokenCheck>,
    pub started_at: String,
    pub updated_at: String,
}

/// The revoke screen's facts about the token being replaced, so it can be found in NetSuite's list.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RevokeView {
    pub token_name: Option<String>,
    pub token_fingerprint: Option<String>,
    pub new_token_name: Option<String>,
    pub new_token_fingerprint: Option<String>,
    pub created_at: String,
    /// The old set is still in the keyring, so a signed call can prove NetSuite refuses it.
    pub can_check: bool,
    pub check: Option<OldTokenCheck>,
}

/// A short summary for the home screen and diagnostics.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct JourneyInfo {
    pub journey: Journey,
    pub title: String,
    pub connection_id: String,
    pub progress: String,
    pub promoted: bool,
}

/// The journey the window has under way on a connection, if any: the command line must not change that
/// connection's keyring items behind the window's back.
/// A journey file that exists but cannot be read is an error, not "no journey": the window may still be
/// in the middle of one.
pub fn journey_on(store: &crate::keep::store::ConnectionStore, connection_id: &str) -> Result<Option<Journey>, String> {
    let path = store.dir().join(ROTATION_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{} cannot be read ({e})", path.display())),
    };
    let r: RotationState = serde_json::from_slice(&bytes)
        .map_err(|_| format!("{} cannot be read (it is not a journey's progress)", path.display()))?;
    Ok((r.connection_id == connection_id).then_some(r.journey))
}

fn bad(message: impl Into<String>) -> WizardError {
    WizardError::BadInput(message.into())
}

/// The rail's name of a journey screen.
fn short_title(id: &str) -> &'static str {
    match id {
        WHY => "What happens",
        NEW_TOKEN => "New token",
        RESET => "Reset credentials",
        TEST => "Test",
        HANDOFF => "Hand-off",
        REVOKE => "Revoke old",
        _ => "",
    }
}

fn screens(journey: Journey, profile: &ConnectorProfile) -> Vec<(String, ScreenKind)> {
    let s = |id: &str, kind| (id.to_string(), kind);
    match journey {
        Journey::RotateToken => {
            let mut v = vec![s(WHY, ScreenKind::Info), s(NEW_TOKEN, ScreenKind::Step)];
            if profile.signed_test {
                v.push(s(TEST, ScreenKind::Test));
            }
            v.push(s(HANDOFF, ScreenKind::Handoff));
            v.push(s(REVOKE, ScreenKind::Revoke));
            v
        }
        Journey::RotateConsumer => vec![
            s(WHY, ScreenKind::Info),
            s(RESET, ScreenKind::Step),
            s(TEST, ScreenKind::Test),
            s(HANDOFF, ScreenKind::Handoff),
        ],
        Journey::Handoff => vec![s(HANDOFF, ScreenKind::Handoff)],
        Journey::Setup => vec![],
    }
}

/// The screen whose Next makes the new values active.
fn promotion_screen(journey: Journey, profile: &ConnectorProfile) -> Option<&'static str> {
    match journey {
        Journey::RotateToken if profile.signed_test => Some(TEST),
        Journey::RotateToken => Some(HANDOFF),
        Journey::RotateConsumer => Some(TEST),
        _ => None,
    }
}

impl<S: SecretStore> Wizard<S> {
    fn rotation_file(&self) -> ProgressFile {
        ProgressFile::new(
            &self.connections.store,
            ROTATION_FILE,
            "The saved progress of a token replacement",
            "Your saved connections and their secrets are not affected.",
        )
    }

    pub(crate) fn load_rotation(&mut self) {
        match self
            .rotation_file()
            .load::<RotationState>(|r| r.journey != Journey::Setup)
        {
            Ok(Some(r)) => {
                self.rotation = Some(r);
                self.reconcile_rotation();
            }
            Ok(None) => {}
            Err(notice) => self.notice = Some(notice),
        }
    }

    /// After a crash between the keyring's write of the new set and the file's update, the keyring is
    /// the truth: an active pair that is no longer the old one means the promotion happened, so the
    /// journey finishes it (name, screen) instead of offering a test that can no longer run. A journey
    /// whose connection is gone (removed by another process) is dropped with its keyring leftovers.
    fn reconcile_rotation(&mut self) {
        let Some(r) = self.rotation.clone() else { return };
        let connection = match self.connections.sync(&r.connection_id) {
            Ok(c) => c,
            Err(ConnectionError::BadInput(_)) => {
                self.drop_orphan_journey();
                return;
            }
            Err(_) => return, // the keyring may be locked for now; nothing is decided without it
        };
        if !r.promoted && r.journey.pair().is_some() && !same_pair(r.journey, &connection.fingerprints, &r.old) {
            let _ = self.finish_promotion();
        }
    }

    fn drop_orphan_journey(&mut self) {
        let Some(r) = self.rotation.take() else { return };
        let _ = self.connections.vault.discard(&r.connection_id);
        let _ = self.connections.vault.forget_retired(&r.connection_id);
        self.notice = Some(format!(
            "“{}” was under way for a connection that no longer exists; it was stopped.",
            r.journey.title()
        ));
        let _ = self.save_rotation();
    }

    pub(crate) fn save_rotation(&mut self) -> Result<(), WizardError> {
        if let Some(r) = self.rotation.as_mut() {
            r.updated_at = crate::keep::store::now_rfc3339();
        }
        self.rotation_file()
            .save(&self.connections.store, self.rotation.as_ref())
    }

    pub fn journey(&self) -> Journey {
        self.rotation.as_ref().map_or(Journey::Setup, |r| r.journey)
    }

    pub fn journey_info(&self) -> Option<JourneyInfo> {
        let r = self.rotation.as_ref()?;
        Some(JourneyInfo {
            journey: r.journey,
            title: r.journey.title().into(),
            connection_id: r.connection_id.clone(),
            progress: self.view().progress,
            promoted: r.promoted,
        })
    }

    /// Begins (or, for the same connection and kind, resumes) a journey on a saved connection.
    pub fn start_journey(&mut self, connection_id: &str, journey: Journey) -> Result<View, WizardError> {
        if let Some(r) = &self.rotation {
            if r.connection_id == connection_id && r.journey == journey {
                return Ok(self.view());
            }
            let label = self
                .connections
                .get(&r.connection_id)
                .map(|c| c.label)
                .unwrap_or_else(|_| "another connection".into());
            return Err(bad(format!(
                "“{}” for {label} is under way: finish it or stop it before starting another.",
                r.journey.title()
            )));
        }
        if journey == Journey::Setup {
            return Err(bad("Use Set up a new connection for that."));
        }
        let connection = self.connections.sync(connection_id)?;
        if !connection.pending_fingerprints.is_empty() {
            return Err(bad(format!(
                "New values for “{}” are already staged from the command line. Promote or discard them first \
                 (tba-wizard connections promote or discard \"{}\").",
                connection.label, connection.label
            )));
        }
        let profile = ConnectorProfile::get(connection.profile.code())
            .ok_or_else(|| bad("This connection's connector is not known to this version of the wizard."))?;
        if journey == Journey::RotateConsumer && !profile.signed_test {
            return Err(bad(format!(
                "{}'s consumer key and secret belong to {} and are not stored here: there is nothing to reset on \
                 your side. Replace the access token instead.",
                profile.short_name, profile.short_name
            )));
        }
        let missing: Vec<&str> = profile
            .secrets()
            .iter()
            .filter(|f| connection.fingerprints.get(**f).is_none())
            .map(|f| f.label())
            .collect();
        if !missing.is_empty() {
            return Err(bad(format!(
                "This connection has no saved {}. Set it up again with Set up a new connection.",
                missing.join(" or ")
            )));
        }
        let now = crate::keep::store::now_rfc3339();
        let first = screens(journey, profile)[0].0.clone();
        self.rotation = Some(RotationState {
            journey,
            connection_id: connection.id.clone(),
            screen: first,
            done: BTreeSet::new(),
            ticks: BTreeMap::new(),
            old: connection.fingerprints.clone(),
            old_token_name: connection.token_name.clone(),
            new_token_name: (journey == Journey::RotateToken).then(|| {
                let base = format!("{} {}", profile.short_name, now.get(..10).unwrap_or(&now));
                // Never the old token's name: the two must be told apart in NetSuite's list.
                (1..)
                    .map(|n| if n == 1 { base.clone() } else { format!("{base} ({n})") })
                    .find(|n| {
                        !connection
                            .token_name
                            .as_deref()
                            .is_some_and(|o| o.eq_ignore_ascii_case(n))
                    })
                    .expect("some name is free")
            }),
            passed: None,
            promoted: false,
            old_check: None,
            started_at: now.clone(),
            updated_at: now,
        });
        self.last_run = None;
        self.save_rotation()?;
        Ok(self.view())
    }

    /// Ends the journey. Before the promotion that throws the new values away (the old ones stay
    /// active); after it, the new values stay and only the kept copy of the old set is deleted.
    pub fn end_journey(&mut self) -> Result<View, WizardError> {
        let Some(r) = self.rotation.clone() else {
            return Ok(self.view());
        };
        let connection = match self.connections.get(&r.connection_id) {
            Ok(c) => c,
            Err(ConnectionError::BadInput(_)) => {
                self.drop_orphan_journey();
                return Ok(self.view());
            }
            Err(e) => return Err(e.into()),
        };
        let complete = |f: &Fingerprints| r.journey.pair().is_some_and(|p| p.iter().all(|x| f.get(*x).is_some()));
        if !r.promoted && r.journey == Journey::RotateConsumer && complete(&connection.pending_fingerprints) {
            // NetSuite stopped accepting the old consumer key at the reset: the new pair may be the only
            // one that works, so it is not thrown away by stopping.
            return Err(bad(
                "NetSuite stopped accepting the old consumer key when you reset it, so the new values are kept: run \
                 the test and use them. If they were pasted wrong, discard them and paste the newest ones.",
            ));
        }
        let profile = ConnectorProfile::get(connection.profile.code());
        let handed_over = r.journey == Journey::RotateToken
            && profile.is_some_and(|p| promotion_screen(r.journey, p) == Some(HANDOFF))
            && r.screen == HANDOFF;
        if !r.promoted && handed_over && complete(&connection.pending_fingerprints) {
            // Without a signed test the connector gets the new token before it is made active here:
            // throwing it away now would leave the connector with a token the wizard no longer knows.
            let name = profile.map_or("the connector", |p| p.short_name.as_str());
            return Err(bad(format!(
                "{name} may already have the new token, so it is kept: run {name}'s own test, tick it and use the new \
                 values. If they were pasted wrong, discard them first, then stop."
            )));
        }
        if !r.promoted && r.journey.pair().is_some() {
            self.connections.discard(&r.connection_id)?;
        }
        self.connections
            .vault
            .forget_retired(&r.connection_id)
            .map_err(crate::keep::connections::ConnectionError::from)?;
        self.rotation = None;
        self.last_run = None;
        self.save_rotation()?;
        Ok(self.view())
    }

    /// The name the user gave the new token in NetSuite, so the next rotation can find it to revoke.
    /// In a setup, the name of the token just created, for the same reason.
    pub fn set_new_token_name(&mut self, name: &str) -> Result<View, WizardError> {
        let name = name.trim();
        let captured: Vec<Fingerprints> = match self.rotation_parts() {
            Some((_, _, c)) => vec![c.fingerprints, c.pending_fingerprints],
            None => self
                .connection_id()
                .and_then(|id| self.connections.get(&id).ok())
                .map(|c| vec![c.fingerprints])
                .unwrap_or_default(),
        };
        if crate::keep::secrets::looks_like_secret(name, &captured.iter().collect::<Vec<_>>()) {
            return Err(WizardError::SecretLike);
        }
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(bad(
                "Enter the token's name as NetSuite shows it: 1 to 100 characters on one line.",
            ));
        }
        let Some(r) = self.rotation.as_ref() else {
            let id = self
                .connection_id()
                .ok_or_else(|| not_now("Enter the account ID first."))?;
            self.connections.set_token_name(&id, Some(name))?;
            return Ok(self.view());
        };
        if r.journey != Journey::RotateToken || r.promoted {
            return Err(not_now(
                "The token's name can be set only while creating the new token.",
            ));
        }
        if r.old_token_name
            .as_deref()
            .is_some_and(|old| old.eq_ignore_ascii_case(name))
        {
            return Err(bad(
                "That is the name of the token in use. Give the new token another name, so the old one can be told \
                 apart when you revoke it.",
            ));
        }
        self.rotation.as_mut().expect("checked").new_token_name = Some(name.to_string());
        self.save_rotation()?;
        Ok(self.view())
    }

    /// Throws away the new values captured so far and goes back to capture them again. Only before the
    /// promotion: afterwards the new values are the active ones.
    pub fn discard_new(&mut self) -> Result<View, WizardError> {
        let r = self
            .rotation
            .clone()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if r.promoted {
            return Err(not_now(
                "The new values are already in use; there is nothing to discard.",
            ));
        }
        self.connections.discard(&r.connection_id)?;
        let capture = if r.journey == Journey::RotateConsumer {
            RESET
        } else {
            NEW_TOKEN
        };
        let r = self.rotation.as_mut().expect("checked");
        r.passed = None;
        r.screen = capture.into();
        r.done.retain(|s| s == WHY);
        r.ticks.remove(capture);
        r.ticks.remove(HANDOFF);
        self.last_run = None;
        self.save_rotation()?;
        Ok(self.view())
    }

    fn rotation_parts(&self) -> Option<(&RotationState, &'static ConnectorProfile, Connection)> {
        let r = self.rotation.as_ref()?;
        let connection = self.connections.get(&r.connection_id).ok()?;
        let profile = ConnectorProfile::get(connection.profile.code())?;
        Some((r, profile, connection))
    }

    fn rotation_index(&self) -> Option<(Vec<(String, ScreenKind)>, usize)> {
        let (r, profile, _) = self.rotation_parts()?;
        let list = screens(r.journey, profile);
        let i = list.iter().position(|(id, _)| *id == r.screen).unwrap_or(0);
        Some((list, i))
    }

    /// The first screen the user may return to: after the promotion, the screens that captured and
    /// tested the new values are history.
    fn first_reachable(&self) -> usize {
        let Some((r, profile, _)) = self.rotation_parts() else {
            return 0;
        };
        let list = screens(r.journey, profile);
        match promotion_screen(r.journey, profile).filter(|_| r.promoted) {
            Some(p) => list.iter().position(|(id, _)| id == p).map_or(0, |i| i + 1),
            None => 0,
        }
    }

    pub(crate) fn rotation_tick(&mut self, screen: &str, key: &str, checked: bool) -> Result<View, WizardError> {
        let view = self
            .rotation_screen_view(screen)
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        if !view.checklist.iter().any(|i| i.key == key) {
            return Err(bad("That item is not on this step's checklist."));
        }
        let r = self.rotation.as_mut().expect("journey");
        crate::flow::wizard::set_tick(&mut r.ticks, screen, key, checked);
        self.save_rotation()?;
        Ok(self.view())
    }

    pub(crate) fn rotation_advance(&mut self) -> Result<View, WizardError> {
        let (list, i) = self
            .rotation_index()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if let Some(reason) = self.rotation_blocked() {
            return Err(bad(reason));
        }
        let (r, profile, _) = self.rotation_parts().expect("journey");
        let id = list[i].0.clone();
        if !r.promoted && promotion_screen(r.journey, profile) == Some(id.as_str()) {
            self.promote_new()?;
        }
        if i + 1 >= list.len() {
            return self.end_journey();
        }
        let r = self.rotation.as_mut().expect("journey");
        r.done.insert(id);
        r.screen = list[i + 1].0.clone();
        self.save_rotation()?;
        Ok(self.view())
    }

    /// Keeps a copy of the old set, then makes the tested new values active (one keyring write; see
    /// `Vault::promote`), and only then records it in the journey's file. Safe to run again after a
    /// failure part-way: the copy is taken only while the active pair is still the old one, and a
    /// keyring that already holds the new pair is not written again.
    fn promote_new(&mut self) -> Result<(), WizardError> {
        let r = self.rotation.clone().expect("journey");
        let connection = self.connections.sync(&r.connection_id)?;
        if same_pair(r.journey, &connection.fingerprints, &r.old) {
            if r.journey == Journey::RotateToken {
                self.connections
                    .vault
                    .retire_active(&r.connection_id)
                    .map_err(ConnectionError::from)?;
            }
            self.connections.promote_tested(&r.connection_id, r.passed.as_ref())?;
        } else if r
            .passed
            .as_ref()
            .is_some_and(|p| !same_pair(r.journey, &connection.fingerprints, p))
        {
            // The pair in use is neither the old one nor the tested one: never call that promoted.
            return Err(bad(
                "The values in the keyring are neither the old ones nor the ones just tested. Discard the new values \
                 and capture them again.",
            ));
        }
        self.finish_promotion()
    }

    /// What follows the keyring's write of the new pair: the token's name, the test on record, the
    /// journey's file, and the screen after the promotion.
    fn finish_promotion(&mut self) -> Result<(), WizardError> {
        let r = self.rotation.clone().expect("journey");
        if let Some(name) = &r.new_token_name {
            self.connections.set_token_name(&r.connection_id, Some(name))?;
        }
        if let Some(run) = self.last_run.as_ref().filter(|run| run.passed) {
            self.connections.record_test(&r.connection_id, &run.report)?;
        }
        let profile = self.rotation_profile();
        let r = self.rotation.as_mut().expect("journey");
        r.promoted = true;
        if let Some(profile) = profile {
            let list = screens(r.journey, profile);
            if let Some(p) = promotion_screen(r.journey, profile).and_then(|p| list.iter().position(|(id, _)| id == p))
            {
                let here = list.iter().position(|(id, _)| *id == r.screen).unwrap_or(0);
                for (id, _) in &list[..=p] {
                    r.done.insert(id.clone());
                }
                if here <= p {
                    if let Some((next, _)) = list.get(p + 1) {
                        r.screen = next.clone();
                    }
                }
            }
        }
        self.save_rotation()
    }

    pub(crate) fn rotation_back(&mut self) -> Result<View, WizardError> {
        let (list, i) = self
            .rotation_index()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if i > self.first_reachable() {
            self.rotation.as_mut().expect("journey").screen = list[i - 1].0.clone();
            self.save_rotation()?;
        }
        Ok(self.view())
    }

    pub(crate) fn rotation_goto(&mut self, screen: &str) -> Result<View, WizardError> {
        let (list, _) = self
            .rotation_index()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let target = list
            .iter()
            .position(|(id, _)| id == screen)
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        let r = self.rotation.as_ref().expect("journey");
        let first_open = list
            .iter()
            .position(|(id, _)| !r.done.contains(id))
            .unwrap_or(list.len() - 1);
        if target > first_open || target < self.first_reachable() {
            return Err(not_now("That step cannot be reached from here."));
        }
        self.rotation.as_mut().expect("journey").screen = screen.to_string();
        self.save_rotation()?;
        Ok(self.view())
    }

    pub(crate) fn rotation_capture(&mut self, field: Field, raw: &str) -> Result<(View, Vec<String>), WizardError> {
        let r = self.rotation.clone().expect("journey");
        if r.promoted || !r.journey.pair().is_some_and(|p| p.contains(&field)) {
            return Err(bad(format!("The {} is not asked for here.", field.label())));
        }
        let (_, warnings) = self.connections.capture(&r.connection_id, Slot::Pending, field, raw)?;
        let r = self.rotation.as_mut().expect("journey");
        r.passed = None;
        // A confirmation of the connector's own test was about the values before this capture.
        r.ticks.remove(HANDOFF);
        self.last_run = None;
        self.save_rotation()?;
        Ok((self.view(), warnings))
    }

    /// The signed test of the staged set (the active set with the new values over it).
    pub(crate) fn rotation_test_plan(&self) -> Result<crate::flow::wizard::TestPlan, WizardError> {
        let (r, profile, connection) = self
            .rotation_parts()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let account = Account::parse(&connection.account).map_err(|e| bad(e.to_string()))?;
        if r.promoted {
            return Err(not_now("The new values are already active and tested."));
        }
        let probes = profile
            .probes()
            .into_iter()
            .filter(|(_, item)| !item.selectable)
            .map(|(p, _)| crate::flow::wizard::PlannedProbe {
                permission: p.permission.to_string(),
                subtab: p.subtab.to_string(),
                step: p.step.to_string(),
                query: p.query.to_string(),
            })
            .collect();
        Ok(crate::flow::wizard::TestPlan {
            account,
            fingerprints: self.rotation_fingerprints().unwrap_or_default(),
            connection_id: connection.id,
            signed: profile.signed_test,
            probes,
            slot: Slot::Pending,
        })
    }

    pub(crate) fn rotation_record_test(
        &mut self,
        mut report: Report,
        probes: Vec<ProbeLine>,
    ) -> Result<View, WizardError> {
        let (r, _, connection) = self
            .rotation_parts()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let journey = r.journey;
        // The token under test is brand new: a refresh of the sandbox is not why it fails.
        report.causes.retain(|c| c.id != "sandbox_refresh");
        let (list, _) = self.rotation_index().expect("journey");
        let code_of = |id: &str| {
            list.iter()
                .position(|(s, _)| s == id)
                .map(|i| format!("{}-{}", journey.prefix(), i + 1))
        };
        let causes = report
            .causes
            .iter()
            .map(|c| {
                let screen = match (c.step, journey) {
                    (outcome::Step::AccessToken, Journey::RotateToken) => Some(NEW_TOKEN),
                    (outcome::Step::IntegrationRecord, Journey::RotateConsumer) => Some(RESET),
                    _ => None,
                };
                CauseView {
                    id: c.id,
                    message: c.message.clone(),
                    screen_code: screen.and_then(code_of),
                    screen: screen.map(str::to_owned),
                }
            })
            .collect();
        let passed = report.outcome == Outcome::Success && probes.iter().all(|p| p.outcome == Outcome::Success);
        let r = self.rotation.as_mut().expect("journey");
        r.passed = passed.then(|| connection.pending_fingerprints.clone());
        self.last_run = Some(TestRun {
            report,
            causes,
            probes,
            passed,
        });
        self.save_rotation()?;
        Ok(self.view())
    }

    /// The old set, for the signed call that proves NetSuite now refuses it.
    pub fn old_token_plan(&self) -> Result<crate::flow::wizard::TestPlan, WizardError> {
        let (r, profile, connection) = self
            .rotation_parts()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if r.journey != Journey::RotateToken || !r.promoted || !profile.signed_test {
            return Err(bad("There is no old token to check here."));
        }
        // Only ever sign with the set this journey replaced, never by mistake with the new one.
        let kept = self
            .connections
            .vault
            .read(&connection.id, Slot::Retired)
            .map_err(ConnectionError::from)?
            .fingerprints();
        if !same_pair(r.journey, &kept, &r.old) {
            return Err(bad(
                "The old token is no longer kept in the keyring, so it cannot be checked from here. NetSuite's Access \
                 Tokens list shows whether it is revoked.",
            ));
        }
        let account = Account::parse(&connection.account).map_err(|e| bad(e.to_string()))?;
        Ok(crate::flow::wizard::TestPlan {
            account,
            connection_id: connection.id,
            signed: true,
            probes: vec![],
            slot: Slot::Retired,
            fingerprints: kept,
        })
    }

    pub fn record_old_token_check(&mut self, report: &Report) -> Result<View, WizardError> {
        let r = self
            .rotation
            .as_mut()
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let (result, summary) = match report.outcome {
            Outcome::CredentialsRefused => (
                "refused",
                "NetSuite refused the old token: it no longer works, as intended.".to_string(),
            ),
            Outcome::Success | Outcome::PermissionMissing => (
                "accepted",
                "NetSuite still accepts the old token: it is not revoked yet. Revoke it (Edit, then Revoke) and check \
                 again."
                    .to_string(),
            ),
            _ => ("unknown", format!("No clear answer from NetSuite: {}", report.summary)),
        };
        r.old_check = Some(OldTokenCheck {
            result: result.into(),
            summary,
            at: crate::keep::store::now_rfc3339(),
        });
        self.save_rotation()?;
        Ok(self.view())
    }

    pub(crate) fn rotation_blocked(&self) -> Option<String> {
        let (list, i) = self.rotation_index()?;
        let (r, profile, connection) = self.rotation_parts()?;
        let (id, kind) = &list[i];
        let ticked = |key: &str| r.ticks.get(id).is_some_and(|t| t.contains(key));
        match kind {
            ScreenKind::Step if !r.promoted => {
                let pair = r.journey.pair()?;
                let missing: Vec<&str> = pair
                    .iter()
                    .filter(|f| connection.pending_fingerprints.get(**f).is_none())
                    .map(|f| f.label())
                    .collect();
                (!missing.is_empty()).then(|| {
                    format!(
                        "Save the new {} to the keyring first: NetSuite shows it only once.",
                        missing.join(" and the new ")
                    )
                })
            }
            ScreenKind::Test if !r.promoted => {
                let fresh = r.passed.as_ref() == Some(&connection.pending_fingerprints)
                    && self.last_run.as_ref().is_some_and(|run| run.passed);
                (!fresh).then(|| "Run the test with the new values and get it to pass first.".to_string())
            }
            ScreenKind::Handoff if !profile.signed_test && !ticked(CONNECTOR_TEST) => Some(format!(
                "Enter the new values in {} and run its Test first, then tick it here.",
                profile.short_name
            )),
            ScreenKind::Revoke if !ticked(REVOKED) => {
                Some("Revoke the old token in NetSuite, then tick it here.".to_string())
            }
            _ => None,
        }
    }

    /// The fingerprints of the values the journey hands over: the new ones, whether or not promoted yet.
    pub(crate) fn rotation_fingerprints(&self) -> Option<Fingerprints> {
        let (_, _, c) = self.rotation_parts()?;
        let p = &c.pending_fingerprints;
        let a = &c.fingerprints;
        Some(Fingerprints {
            consumer_key: p.consumer_key.clone().or_else(|| a.consumer_key.clone()),
            consumer_secret: p.consumer_secret.clone().or_else(|| a.consumer_secret.clone()),
            token_id: p.token_id.clone().or_else(|| a.token_id.clone()),
            token_secret: p.token_secret.clone().or_else(|| a.token_secret.clone()),
        })
    }

    pub(crate) fn rotation_account(&self) -> Option<Account> {
        let (_, _, c) = self.rotation_parts()?;
        Account::parse(&c.account).ok()
    }

    pub(crate) fn rotation_profile(&self) -> Option<&'static ConnectorProfile> {
        self.rotation_parts().map(|(_, p, _)| p)
    }

    fn rotation_screen_view(&self, id: &str) -> Option<ScreenView> {
        let (r, profile, connection) = self.rotation_parts()?;
        let list = screens(r.journey, profile);
        let i = list.iter().position(|(s, _)| s == id)?;
        let kind = list[i].1;
        let account = Account::parse(&connection.account).ok()?;
        let link = |page: Page, hint: Option<String>| PageLink {
            id: "page".into(),
            title: page.title().into(),
            url: deep_link(&account, page).to_string(),
            hint,
        };
        let ticks = r.ticks.get(id);
        let item = |key: &str, label: String, kind: ItemKind, value: Option<String>, tip: Option<String>| ItemView {
            checked: ticks.is_some_and(|t| t.contains(key)),
            key: key.to_string(),
            label,
            kind,
            subtab: None,
            section: None,
            state: None,
            level: None,
            value,
            tip,
            selectable: false,
            picked: true,
        };
        let old_token = r.old_token_name.clone();
        // Test and revoke screens get their bodies below, with what they show.
        let body = ScreenBody::empty(kind).unwrap_or(ScreenBody::Info);
        let mut view = ScreenView::blank(id, body, Some(format!("{}-{}", r.journey.prefix(), i + 1)));
        view.short_title = short_title(id).into();
        let connector = &profile.short_name;
        match id {
            WHY if r.journey == Journey::RotateToken => {
                view.heading = "Why replace the token, and what happens".into();
                let proof = if profile.signed_test {
                    format!("A signed call proves the new token works; then {connector} gets it.")
                } else {
                    format!("You give it to {connector}, and {connector}'s own Test proves it works.")
                };
                view.instructions = vec![
                    "NetSuite tokens never expire, so replacing them now and then limits the harm of a token that leaked \
                     without anyone noticing."
                        .into(),
                    format!(
                        "You create a new access token in NetSuite and the wizard keeps it aside, next to the one in use. \
                         {proof}"
                    ),
                    format!(
                        "Last you revoke the old token in NetSuite. Until that moment it keeps working, so {connector} is \
                         never left without a working token."
                    ),
                    "If anything fails on the way, the token in use stays as it is; you can try again or stop.".into(),
                ];
                view.tips = vec![format!(
                    "The token in use: {} (fingerprint {}).",
                    old_token.as_deref().unwrap_or("name not recorded"),
                    r.old.token_id.as_deref().unwrap_or("none")
                )];
            }
            WHY => {
                view.heading = "Why reset the consumer key and secret, and what happens".into();
                view.instructions = vec![
                    "NetSuite's Reset Credentials on the integration record issues a new consumer key and secret, for \
                     example when the old ones may have leaked."
                        .into(),
                    format!(
                        "The old consumer key stops working the moment you reset it, so {connector} fails until it gets \
                         the new values: have its connection settings open, and do this at a quiet time."
                    ),
                    "Existing access tokens keep working with the new consumer values: the wizard tests the new pair \
                     with the token in use before making it active."
                        .into(),
                    "Records installed from a bundle cannot be reset; only an administrator can reset one.".into(),
                ];
            }
            NEW_TOKEN => {
                let step = profile.step_collecting(Collect::Secret(Field::TokenId))?;
                view.heading = "Create the new access token".into();
                view.menu_path = step.menu_path.clone();
                view.page = Some(link(Page::NewAccessToken, None));
                view.instructions = vec![
                    "Create a token just like the one in use: same application, user and role.".into(),
                    "Save. NetSuite shows the new Token ID and Token Secret once: paste each into the wizard straight away."
                        .into(),
                ];
                if let Some(old) = &old_token {
                    view.tips.push(format!(
                        "The token in use is called “{old}”: give the new one another name."
                    ));
                }
                view.checklist = step
                    .checklist
                    .iter()
                    .map(|i| {
                        let key = i.key();
                        let value = if i.label == "TOKEN NAME" {
                            r.new_token_name.clone()
                        } else {
                            i.value.clone()
                        };
                        item(&key, i.label.clone(), i.kind, value, i.tip.clone())
                    })
                    .collect();
                view.captures = self.pending_captures(&connection, r.journey);
            }
            RESET => {
                let record = profile
                    .steps
                    .iter()
                    .flat_map(|s| s.checklist.iter())
                    .find(|i| i.label == "NAME" && i.kind == ItemKind::Field)
                    .and_then(|i| i.value.clone());
                view.heading = "Reset the integration record's credentials".into();
                view.menu_path = Some("Setup > Integration > Manage Integrations".into());
                view.page = Some(link(Page::ManageIntegrations, None));
                view.instructions = vec![
                    format!(
                        "Open the integration record {} and click Edit.",
                        record.as_deref().map_or("your connector uses".into(), |r| format!("“{r}”"))
                    ),
                    "Click Reset Credentials and confirm. NetSuite shows the new Consumer Key and Consumer Secret once: \
                     paste each into the wizard straight away."
                        .into(),
                ];
                view.checklist = vec![
                    item("edit", "Edit".into(), ItemKind::Action, record.clone(), None),
                    item(
                        "reset",
                        "Reset Credentials".into(),
                        ItemKind::Action,
                        None,
                        Some("Administrators only; not on records installed from a bundle.".into()),
                    ),
                ];
                view.captures = self.pending_captures(&connection, r.journey);
            }
            TEST => {
                view.heading = "Test the new values".into();
                view.body = ScreenBody::Test {
                    test: Box::new(TestView {
                        signed_test: true,
                        note:
                            "The test signs a call with the new values. The values in use stay active until it passes \
                           and you click Use the new values."
                                .into(),
                        missing: r
                            .journey
                            .pair()
                            .into_iter()
                            .flatten()
                            .filter(|f| connection.pending_fingerprints.get(*f).is_none() && !r.promoted)
                            .map(|f| f.label())
                            .collect(),
                        last: self.last_run.clone(),
                    }),
                };
            }
            HANDOFF => {
                view.heading = profile.hand_off.title.clone();
                let fingerprints = self.rotation_fingerprints()?;
                view.body = ScreenBody::Handoff {
                    handoff: crate::flow::wizard::handoff_view(profile, &account, Some(&fingerprints)),
                };
                if r.journey != Journey::Handoff {
                    view.instructions = vec![format!(
                        "Give {connector} the new values now: replace the old ones in its connection settings and save."
                    )];
                }
                if !profile.signed_test && r.journey == Journey::RotateToken {
                    view.checklist = vec![item(
                        CONNECTOR_TEST,
                        "Test".into(),
                        ItemKind::Action,
                        Some(format!("{connector} says the connection works")),
                        Some("Until you tick this, the old token stays the one this connection uses.".into()),
                    )];
                }
            }
            REVOKE => {
                view.heading = "Revoke the old token".into();
                view.menu_path = Some("Setup > Users/Roles > Access Tokens".into());
                view.page = Some(link(Page::AccessTokens, None));
                view.instructions = vec![
                    "Find the old token in NetSuite's list of access tokens by its name, click Edit, then Revoke."
                        .into(),
                    "A revoked token stops working for good; NetSuite keeps it in the list for its records.".into(),
                ];
                view.checklist = vec![item(
                    REVOKED,
                    "Revoke".into(),
                    ItemKind::Action,
                    Some(format!(
                        "the token “{}”",
                        old_token.as_deref().unwrap_or("(name not recorded)")
                    )),
                    Some("Check the name: revoking the new token would stop the connector.".into()),
                )];
                view.body = ScreenBody::Revoke {
                    revoke: RevokeView {
                        token_name: old_token,
                        token_fingerprint: r.old.token_id.clone(),
                        new_token_name: r.new_token_name.clone(),
                        new_token_fingerprint: connection.fingerprints.token_id.clone(),
                        created_at: connection.created_at.clone(),
                        can_check: profile.signed_test,
                        check: r.old_check.clone(),
                    },
                };
            }
            _ => return None,
        }
        Some(view)
    }

    fn pending_captures(&self, connection: &Connection, journey: Journey) -> Vec<crate::flow::wizard::CaptureView> {
        journey
            .pair()
            .into_iter()
            .flatten()
            .map(|f| crate::flow::wizard::CaptureView {
                field: f,
                label: f.label(),
                fingerprint: connection.pending_fingerprints.get(f).map(str::to_owned),
            })
            .collect()
    }

    pub(crate) fn rotation_view(&self) -> Option<View> {
        let (r, profile, connection) = self.rotation_parts()?;
        let (list, index) = self.rotation_index()?;
        let account = Account::parse(&connection.account).ok()?;
        let first = self.first_reachable();
        let infos = list
            .iter()
            .enumerate()
            .map(|(i, (id, kind))| ScreenInfo {
                id: id.clone(),
                kind: *kind,
                code: Some(format!("{}-{}", r.journey.prefix(), i + 1)),
                short_title: short_title(id).into(),
                done: r.done.contains(id),
                status: crate::flow::wizard::rail_status(i == index, r.done.contains(id)),
            })
            .collect();
        let blocked_reason = self.rotation_blocked();
        let promotes = !r.promoted && promotion_screen(r.journey, profile) == Some(list[index].0.as_str());
        Some(View {
            active: true,
            journey: r.journey,
            journey_title: Some(r.journey.title().into()),
            promoted: r.promoted,
            profile: Some(crate::flow::wizard::profile_info(profile)),
            account: Some(crate::flow::wizard::account_view(&account, None)),
            connection: Some(connection),
            screens: infos,
            current: self.rotation_screen_view(&list[index].0),
            progress: format!("{}-{} of {}", r.journey.prefix(), index + 1, list.len()),
            can_back: index > first,
            can_next: blocked_reason.is_none(),
            next_label: if promotes {
                "Use the new values"
            } else if index + 1 >= list.len() {
                "Finish"
            } else {
                "Next"
            },
            blocked_reason,
            notice: self.notice.clone(),
        })
    }
}

fn same_pair(journey: Journey, a: &Fingerprints, b: &Fingerprints) -> bool {
    journey
        .pair()
        .is_some_and(|pair| pair.iter().all(|f| a.get(*f).is_some() && a.get(*f) == b.get(*f)))
}
