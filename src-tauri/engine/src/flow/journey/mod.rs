//! Journeys on a saved connection, after the first setup: replacing its access token, replacing its
//! consumer pair (NetSuite's Reset Credentials), and handing its values to the connector again.
//!
//! One of the wizard's two flows; it knows nothing of the setup. Its screens render like any setup
//! step. Its progress is a file of its own (`rotation.json`), next to the setup's, so a rotation never
//! disturbs a half-finished setup and survives a crash or quit: reopening resumes it. Its wording is
//! data, in `engine/journeys.json`.
//!
//! The order keeps a working token at every moment: the new token goes to the keyring's pending slot,
//! is proven by a signed call, and only then becomes active; the connector gets it next; only then is
//! the old one revoked. The old set is kept (in the `retired` slot) until the journey ends, so the user
//! can prove NetSuite refuses it.
//!
//! An OAuth 2.0 connection's journey, the certificate replacement, keeps the same order with a key
//! instead of a token; its own screens and actions are in `journey/certificate.rs`.

pub(crate) mod kinds;
use kinds::replace_certificate as certificate;
pub use kinds::replace_certificate::ApiCall;

use crate::flow::interface::Flow;
use crate::flow::plan::{PlannedProbe, TestPlan};
use crate::flow::progress::ProgressFile;
use crate::flow::view::{
    account_view, bad, check_token_name, connector_link, handoff_view, not_now, profile_info, rail_status, set_tick,
    CaptureView, CauseView, ItemView, Journey, JourneyInfo, OldTokenCheck, PageLink, ProbeLine, RevokeView, ScreenBody,
    ScreenInfo, ScreenKind, ScreenView, TestRun, TestView, View, WizardError,
};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{Field, Fingerprints, SecretSet};
use crate::keep::store::Connection;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::{Outcome, Report};
use crate::netsuite::pages::{deep_link, Page};
use crate::profiles::journeys::{fill, texts};
use crate::profiles::{Collect, ConnectorProfile, ItemKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) const ROTATION_FILE: &str = "rotation.json";
/// The hand-off's tick for connectors whose consumer pair is not the user's (Celigo): their own Test is
/// the only proof the new token works, so the user confirms it before the new token becomes active.
const CONNECTOR_TEST: &str = "connector-test";
const REVOKED: &str = "revoked";

/// A journey screen. Saved and sent to the window as its id (`why`, `new-token`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum JourneyScreen {
    Why,
    NewToken,
    Reset,
    NewKey,
    Mapping,
    Test,
    Handoff,
    Revoke,
}

impl JourneyScreen {
    pub const ALL: [JourneyScreen; 8] = [
        JourneyScreen::Why,
        JourneyScreen::NewToken,
        JourneyScreen::Reset,
        JourneyScreen::NewKey,
        JourneyScreen::Mapping,
        JourneyScreen::Test,
        JourneyScreen::Handoff,
        JourneyScreen::Revoke,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JourneyScreen::Why => "why",
            JourneyScreen::NewToken => "new-token",
            JourneyScreen::Reset => "reset",
            JourneyScreen::NewKey => "new-key",
            JourneyScreen::Mapping => "mapping",
            JourneyScreen::Test => "test",
            JourneyScreen::Handoff => "handoff",
            JourneyScreen::Revoke => "revoke",
        }
    }

    fn kind(self) -> ScreenKind {
        match self {
            JourneyScreen::Why => ScreenKind::Info,
            JourneyScreen::NewToken | JourneyScreen::Reset | JourneyScreen::NewKey | JourneyScreen::Mapping => {
                ScreenKind::Step
            }
            JourneyScreen::Test => ScreenKind::Test,
            JourneyScreen::Handoff => ScreenKind::Handoff,
            JourneyScreen::Revoke => ScreenKind::Revoke,
        }
    }

    fn parse(id: &str) -> Option<JourneyScreen> {
        JourneyScreen::ALL.into_iter().find(|s| s.as_str() == id)
    }
}

impl TryFrom<String> for JourneyScreen {
    type Error = String;
    fn try_from(id: String) -> Result<Self, String> {
        JourneyScreen::parse(&id).ok_or_else(|| format!("no journey screen is called {id}"))
    }
}

impl From<JourneyScreen> for String {
    fn from(s: JourneyScreen) -> String {
        s.as_str().to_string()
    }
}

// Ordered by id, so the saved `done` list is written as it always was.
impl Ord for JourneyScreen {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for JourneyScreen {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Saved between runs; no secret is ever part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationState {
    pub journey: Journey,
    pub connection_id: String,
    pub screen: JourneyScreen,
    #[serde(default)]
    pub done: BTreeSet<JourneyScreen>,
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
    /// A certificate replacement: the certificate and key in use when it began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_certificate: Option<certificate::OldCertificate>,
    /// A certificate replacement: where the new certificate was saved, for the upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_file: Option<String>,
    /// A certificate replacement: the new key and Certificate ID whose test passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_passed: Option<certificate::TestedKey>,
    /// A certificate replacement: the fingerprint of the new certificate whose upload through NetSuite's
    /// API was sent and not yet answered with its Certificate ID. Kept across a crash, so that the next
    /// upload first looks for the mapping the lost answer would have named, and never makes a second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_sent: Option<String>,
    /// After the old mapping's revoke through the API: the mappings still active for the same role and
    /// user, as NetSuite's list showed them then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub still_active: Option<Vec<String>>,
    pub started_at: String,
    pub updated_at: String,
}

/// A journey under way: its saved state (never absent: no journey, no `JourneyRun`) and this
/// session's test of the new values.
pub struct JourneyRun {
    state: RotationState,
    pub(crate) last_run: Option<TestRun>,
}

/// The journey the window has under way on a connection, if any: the command line must not change that
/// connection's keyring items behind the window's back.
/// A journey file that exists but cannot be read is an error, not "no journey": the window may still be
/// in the middle of one.
pub fn journey_on(store: &crate::keep::store::ConnectionStore, connection_id: &str) -> Result<Option<Journey>, String> {
    Ok(journey_under_way(store)?.and_then(|(id, journey)| (id == connection_id).then_some(journey)))
}

/// The journey the window has under way and the connection it is on, if any, from one read of its
/// progress file (an error as for `journey_on`).
pub fn journey_under_way(store: &crate::keep::store::ConnectionStore) -> Result<Option<(String, Journey)>, String> {
    let path = store.dir().join(ROTATION_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{} cannot be read ({e})", path.display())),
    };
    let r: RotationState = serde_json::from_slice(&bytes)
        .map_err(|_| format!("{} cannot be read (it is not a journey's progress)", path.display()))?;
    Ok(Some((r.connection_id, r.journey)))
}

fn rotation_file<S: SecretStore>(connections: &Connections<S>) -> ProgressFile {
    ProgressFile::new(
        &connections.store,
        ROTATION_FILE,
        "The saved progress of a token replacement",
        "Your saved connections and their secrets are not affected.",
    )
}

/// Deletes the journey's progress file (the journey is over).
fn clear_file<S: SecretStore>(connections: &Connections<S>) -> Result<(), WizardError> {
    rotation_file(connections).save::<RotationState>(&connections.store, None)
}

/// Drops a journey whose connection is gone (removed by another process) with its keyring leftovers,
/// and says so.
fn drop_orphan<S: SecretStore>(connections: &Connections<S>, r: &RotationState) -> String {
    let _ = connections.vault.discard(&r.connection_id);
    let _ = connections.vault.forget_retired(&r.connection_id);
    let _ = clear_file(connections);
    format!(
        "“{}” was under way for a connection that no longer exists; it was stopped.",
        r.journey.title()
    )
}

/// How `end` left things.
pub(crate) enum Ended {
    Done,
    /// The connection was gone; the journey was dropped, with this notice.
    Orphan(String),
}

impl JourneyRun {
    /// The journey saved by an earlier run, if any, reconciled with the keyring; the notice says why a
    /// file was set aside or a journey dropped.
    pub(crate) fn load<S: SecretStore>(connections: &Connections<S>) -> Result<Option<JourneyRun>, String> {
        let Some(state) = rotation_file(connections).load::<RotationState>(|r| r.journey != Journey::Setup)? else {
            return Ok(None);
        };
        let mut run = JourneyRun { state, last_run: None };
        // After a crash between the keyring's write of the new set and the file's update, the keyring is
        // the truth: an active pair that is no longer the old one means the promotion happened, so the
        // journey finishes it (name, screen) instead of offering a test that can no longer run.
        let r = &run.state;
        match connections.sync(&r.connection_id) {
            Ok(connection) => {
                let promoted_meanwhile = if r.journey == Journey::ReplaceCertificate {
                    certificate::promoted_meanwhile(r, &connection)
                } else {
                    kinds::of(r.journey).pair().is_some() && !same_pair(r.journey, &connection.fingerprints, &r.old)
                };
                if !r.promoted && promoted_meanwhile {
                    let _ = run.finish_promotion(connections);
                }
            }
            Err(ConnectionError::BadInput(_)) => return Err(drop_orphan(connections, &run.state)),
            Err(_) => {} // the keyring may be locked for now; nothing is decided without it
        }
        Ok(Some(run))
    }

    /// Begins a journey on a saved connection.
    pub(crate) fn start<S: SecretStore>(
        connections: &Connections<S>,
        connection_id: &str,
        journey: Journey,
    ) -> Result<JourneyRun, WizardError> {
        if journey == Journey::Setup {
            return Err(bad("Use Set up a new connection for that."));
        }
        let connection = connections.sync(connection_id)?;
        let m2m = connection.auth == crate::profiles::AuthKind::M2m;
        if connection.auth != kinds::of(journey).auth() {
            return Err(bad(if m2m {
                format!(
                    "“{}” uses OAuth 2.0 client credentials: it has a key and certificate, not a token. Press Replace \
                     certificate on its card (or run tba-wizard-cli m2m rotate \"{}\").",
                    connection.label, connection.label
                )
            } else {
                format!(
                    "“{}” uses Token-Based Authentication: it has tokens, not a certificate. Replace its access token \
                     instead.",
                    connection.label
                )
            }));
        }
        if m2m {
            let mut run = JourneyRun {
                state: certificate::start_state(&connection)?,
                last_run: None,
            };
            run.save(connections)?;
            return Ok(run);
        }
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
        let mut run = JourneyRun {
            state: RotationState {
                journey,
                connection_id: connection.id.clone(),
                screen: kinds::of(journey).screens(profile)[0],
                done: BTreeSet::new(),
                ticks: BTreeMap::new(),
                old: connection.fingerprints.clone(),
                old_token_name: connection.token_name.clone(),
                new_token_name: kinds::of(journey).names_new_token().then(|| {
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
                old_certificate: None,
                certificate_file: None,
                key_passed: None,
                upload_sent: None,
                still_active: None,
                started_at: now.clone(),
                updated_at: now,
            },
            last_run: None,
        };
        run.save(connections)?;
        Ok(run)
    }

    pub fn state(&self) -> &RotationState {
        &self.state
    }

    pub fn journey(&self) -> Journey {
        self.state.journey
    }

    fn save<S: SecretStore>(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        self.state.updated_at = crate::keep::store::now_rfc3339();
        rotation_file(connections).save(&connections.store, Some(&self.state))
    }

    /// Ends the journey. Before the promotion that throws the new values away (the old ones stay
    /// active); after it, the new values stay and only the kept copy of the old set is deleted. The
    /// caller drops the run when this succeeds.
    pub(crate) fn end<S: SecretStore>(&self, connections: &Connections<S>) -> Result<Ended, WizardError> {
        let r = &self.state;
        let connection = match connections.get(&r.connection_id) {
            Ok(c) => c,
            Err(ConnectionError::BadInput(_)) => return Ok(Ended::Orphan(drop_orphan(connections, r))),
            Err(e) => return Err(e.into()),
        };
        let complete = |f: &Fingerprints| {
            kinds::of(r.journey)
                .pair()
                .is_some_and(|p| p.iter().all(|x| f.get(*x).is_some()))
        };
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
            && profile.is_some_and(|p| kinds::of(r.journey).promotion_screen(p) == Some(JourneyScreen::Handoff))
            && r.screen == JourneyScreen::Handoff;
        if !r.promoted && handed_over && complete(&connection.pending_fingerprints) {
            // Without a signed test the connector gets the new token before it is made active here:
            // throwing it away now would leave the connector with a token the wizard no longer knows.
            let name = profile.map_or("the connector", |p| p.short_name.as_str());
            return Err(bad(format!(
                "{name} may already have the new token, so it is kept: run {name}'s own test, tick it and use the new \
                 values. If they were pasted wrong, discard them first, then stop."
            )));
        }
        if !r.promoted && (kinds::of(r.journey).pair().is_some() || r.journey == Journey::ReplaceCertificate) {
            connections.discard(&r.connection_id)?;
        }
        connections
            .vault
            .forget_retired(&r.connection_id)
            .map_err(ConnectionError::from)?;
        clear_file(connections)?;
        Ok(Ended::Done)
    }

    pub(crate) fn info<S: SecretStore>(&self, connections: &Connections<S>) -> JourneyInfo {
        let r = &self.state;
        JourneyInfo {
            journey: r.journey,
            title: r.journey.title().into(),
            connection_id: r.connection_id.clone(),
            progress: self
                .index(connections)
                .map(|(list, i)| self.progress(i, list.len()))
                .unwrap_or_default(),
            promoted: r.promoted,
        }
    }

    /// "RT-2 of 5": the step's code and how many the journey has.
    fn progress(&self, index: usize, len: usize) -> String {
        format!("{} of {len}", self.code(index))
    }

    /// The name the user gave the new token in NetSuite, so the next rotation can find it to revoke.
    pub(crate) fn set_new_token_name<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        name: &str,
    ) -> Result<(), WizardError> {
        let captured: Vec<Fingerprints> = match self.parts(connections) {
            Some((_, _, c)) => vec![c.fingerprints, c.pending_fingerprints],
            None => vec![],
        };
        check_token_name(name, &captured)?;
        let r = &self.state;
        if !kinds::of(r.journey).names_new_token() || r.promoted {
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
        self.state.new_token_name = Some(name.to_string());
        self.save(connections)
    }

    /// Throws away the new values captured so far and goes back to capture them again. Only before the
    /// promotion: afterwards the new values are the active ones.
    pub(crate) fn discard_new<S: SecretStore>(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        if self.state.promoted {
            return Err(not_now(
                "The new values are already in use; there is nothing to discard.",
            ));
        }
        connections.discard(&self.state.connection_id)?;
        let capture = kinds::of(self.state.journey).capture_screen();
        let r = &mut self.state;
        r.passed = None;
        r.key_passed = None;
        r.certificate_file = None;
        r.screen = capture;
        r.done.retain(|s| *s == JourneyScreen::Why);
        r.ticks.remove(capture.as_str());
        r.ticks.remove(JourneyScreen::Handoff.as_str());
        self.last_run = None;
        self.save(connections)
    }

    fn parts<S: SecretStore>(
        &self,
        connections: &Connections<S>,
    ) -> Option<(&RotationState, &'static ConnectorProfile, Connection)> {
        let r = &self.state;
        let connection = connections.get(&r.connection_id).ok()?;
        let profile = ConnectorProfile::get(connection.profile.code())?;
        Some((r, profile, connection))
    }

    fn index<S: SecretStore>(&self, connections: &Connections<S>) -> Option<(Vec<JourneyScreen>, usize)> {
        let (r, profile, _) = self.parts(connections)?;
        let list = kinds::of(r.journey).screens(profile);
        let i = list.iter().position(|s| *s == r.screen).unwrap_or(0);
        Some((list, i))
    }

    fn code(&self, index: usize) -> String {
        format!("{}-{}", self.state.journey.code_prefix(), index + 1)
    }

    /// The first screen the user may return to: after the promotion, the screens that captured and
    /// tested the new values are history.
    fn first_reachable<S: SecretStore>(&self, connections: &Connections<S>) -> usize {
        let Some((r, profile, _)) = self.parts(connections) else {
            return 0;
        };
        let list = kinds::of(r.journey).screens(profile);
        match kinds::of(r.journey).promotion_screen(profile).filter(|_| r.promoted) {
            Some(p) => list.iter().position(|s| *s == p).map_or(0, |i| i + 1),
            None => 0,
        }
    }

    /// Keeps a copy of the old set, then makes the tested new values active (one keyring write; see
    /// `Vault::promote`), and only then records it in the journey's file. Safe to run again after a
    /// failure part-way: the copy is taken only while the active pair is still the old one, and a
    /// keyring that already holds the new pair is not written again.
    fn promote_new<S: SecretStore>(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        if self.state.journey == Journey::ReplaceCertificate {
            self.promote_key(connections)?;
            return self.finish_promotion(connections);
        }
        let r = &self.state;
        let connection = connections.sync(&r.connection_id)?;
        if same_pair(r.journey, &connection.fingerprints, &r.old) {
            if r.journey == Journey::RotateToken {
                connections
                    .vault
                    .retire_active::<SecretSet>(&r.connection_id)
                    .map_err(ConnectionError::from)?;
            }
            connections.promote_tested(&r.connection_id, r.passed.as_ref())?;
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
        self.finish_promotion(connections)
    }

    /// What follows the keyring's write of the new pair: the token's name, the test on record, the
    /// journey's file, and the screen after the promotion.
    fn finish_promotion<S: SecretStore>(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        let r = &self.state;
        if let Some(name) = &r.new_token_name {
            connections.set_token_name(&r.connection_id, Some(name))?;
        }
        if let Some(run) = self.last_run.as_ref().filter(|run| run.passed) {
            connections.record_test_id(&r.connection_id, &run.report)?;
        }
        let profile = self.parts(connections).map(|(_, p, _)| p);
        let r = &mut self.state;
        r.promoted = true;
        if let Some(profile) = profile {
            let list = kinds::of(r.journey).screens(profile);
            if let Some(p) = kinds::of(r.journey)
                .promotion_screen(profile)
                .and_then(|p| list.iter().position(|s| *s == p))
            {
                let here = list.iter().position(|s| *s == r.screen).unwrap_or(0);
                for s in &list[..=p] {
                    r.done.insert(*s);
                }
                if here <= p {
                    if let Some(next) = list.get(p + 1) {
                        r.screen = *next;
                    }
                }
            }
        }
        self.save(connections)
    }

    /// The old set, for the signed call that proves NetSuite now refuses it.
    pub(crate) fn old_token_plan<S: SecretStore>(&self, connections: &Connections<S>) -> Result<TestPlan, WizardError> {
        let (r, profile, connection) = self
            .parts(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if r.journey != Journey::RotateToken || !r.promoted || !profile.signed_test {
            return Err(bad("There is no old token to check here."));
        }
        // Only ever sign with the set this journey replaced, never by mistake with the new one.
        let kept = connections
            .vault
            .read::<SecretSet>(&connection.id, Slot::Retired)
            .map_err(ConnectionError::from)?
            .fingerprints();
        if !same_pair(r.journey, &kept, &r.old) {
            return Err(bad(
                "The old token is no longer kept in the keyring, so it cannot be checked from here. NetSuite's Access \
                 Tokens list shows whether it is revoked.",
            ));
        }
        let account = Account::parse(&connection.account).map_err(|e| bad(e.to_string()))?;
        Ok(TestPlan {
            account,
            connection_id: connection.id,
            signed: true,
            probes: vec![],
            slot: Slot::Retired,
            fingerprints: kept,
        })
    }

    pub(crate) fn record_old_token_check<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        report: &Report,
    ) -> Result<(), WizardError> {
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
        self.keep_old_check(connections, result, summary)
    }

    /// Saves what the call with the replaced values said: `refused`, `accepted` or `unknown`, in words.
    fn keep_old_check<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        result: &str,
        summary: String,
    ) -> Result<(), WizardError> {
        self.state.old_check = Some(OldTokenCheck {
            result: result.into(),
            summary,
            at: crate::keep::store::now_rfc3339(),
        });
        self.save(connections)
    }

    fn blocked<S: SecretStore>(&self, connections: &Connections<S>) -> Option<String> {
        let (list, i) = self.index(connections)?;
        let (r, profile, connection) = self.parts(connections)?;
        let screen = list[i];
        let ticked = |key: &str| r.ticks.get(screen.as_str()).is_some_and(|t| t.contains(key));
        if r.journey == Journey::ReplaceCertificate {
            return self.certificate_blocked(screen, &connection, ticked);
        }
        match screen.kind() {
            ScreenKind::Step if !r.promoted => {
                let pair = kinds::of(r.journey).pair()?;
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
    fn new_fingerprints<S: SecretStore>(&self, connections: &Connections<S>) -> Option<Fingerprints> {
        let (_, _, c) = self.parts(connections)?;
        let p = &c.pending_fingerprints;
        let a = &c.fingerprints;
        Some(Fingerprints {
            consumer_key: p.consumer_key.clone().or_else(|| a.consumer_key.clone()),
            consumer_secret: p.consumer_secret.clone().or_else(|| a.consumer_secret.clone()),
            token_id: p.token_id.clone().or_else(|| a.token_id.clone()),
            token_secret: p.token_secret.clone().or_else(|| a.token_secret.clone()),
        })
    }

    fn screen_view<S: SecretStore>(&self, connections: &Connections<S>, screen: JourneyScreen) -> Option<ScreenView> {
        let (r, profile, connection) = self.parts(connections)?;
        let list = kinds::of(r.journey).screens(profile);
        let i = list.iter().position(|s| *s == screen)?;
        if r.journey == Journey::ReplaceCertificate {
            return self.certificate_screen_view(profile, &connection, screen, self.code(i));
        }
        let id = screen.as_str();
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
        let connector = profile.short_name.as_str();
        let words = |key: &str| texts().screen(key);
        let fill_all = |lines: &[String], values: &[(&str, &str)]| -> Vec<String> {
            lines.iter().map(|l| fill(l, values)).collect()
        };
        // Test and revoke screens get their bodies below, with what they show.
        let body = ScreenBody::empty(screen.kind()).unwrap_or(ScreenBody::Info);
        let mut view = ScreenView::blank(id, body, Some(self.code(i)));
        view.short_title = texts().short_title(id).into();
        match screen {
            JourneyScreen::Why => {
                let t = words(&format!("{}/why", r.journey.key()));
                let proof = fill(
                    t.phrase(if profile.signed_test {
                        "proof_signed"
                    } else {
                        "proof_unsigned"
                    }),
                    &[("connector", connector)],
                );
                let values = [
                    ("connector", connector),
                    ("proof", proof.as_str()),
                    ("old_token", old_token.as_deref().unwrap_or(t.phrase("no_name"))),
                    (
                        "old_fingerprint",
                        r.old.token_id.as_deref().unwrap_or(t.phrase("no_fingerprint")),
                    ),
                ];
                view.heading = t.heading.clone();
                view.instructions = fill_all(&t.instructions, &values);
                view.tips = fill_all(&t.tips, &values);
            }
            JourneyScreen::NewToken => {
                let t = words(id);
                let step = profile.step_collecting(Collect::Secret(Field::TokenId))?;
                view.heading = t.heading.clone();
                view.menu_path = step.menu_path.clone();
                view.page = Some(link(Page::NewAccessToken, None));
                view.instructions = t.instructions.clone();
                if let Some(old) = &old_token {
                    view.tips.push(fill(t.phrase("old_name"), &[("old_token", old)]));
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
                view.captures = pending_captures(&connection, r.journey);
            }
            JourneyScreen::Reset => {
                let t = words(id);
                let record = profile
                    .steps
                    .iter()
                    .flat_map(|s| s.checklist.iter())
                    .find(|i| i.label == "NAME" && i.kind == ItemKind::Field)
                    .and_then(|i| i.value.clone());
                let record_text = record
                    .as_deref()
                    .map_or_else(|| t.phrase("record_unnamed").to_string(), |r| format!("“{r}”"));
                view.heading = t.heading.clone();
                view.menu_path = t.menu_path.clone();
                view.page = Some(link(Page::ManageIntegrations, None));
                view.instructions = fill_all(&t.instructions, &[("record", &record_text)]);
                view.checklist = vec![
                    item("edit", t.phrase("edit").into(), ItemKind::Action, record.clone(), None),
                    item(
                        "reset",
                        t.phrase("reset").into(),
                        ItemKind::Action,
                        None,
                        Some(t.phrase("reset_tip").into()),
                    ),
                ];
                view.captures = pending_captures(&connection, r.journey);
            }
            JourneyScreen::Test => {
                let t = words(id);
                view.heading = t.heading.clone();
                view.body = ScreenBody::Test {
                    test: Box::new(TestView {
                        signed_test: true,
                        note: t.phrase("note").into(),
                        missing: kinds::of(r.journey)
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
            JourneyScreen::Handoff => {
                let t = words(id);
                view.heading = profile.hand_off.title.clone();
                let fingerprints = self.new_fingerprints(connections)?;
                view.body = ScreenBody::Handoff {
                    handoff: handoff_view(profile, &account, Some(&fingerprints), None),
                };
                if r.journey != Journey::Handoff {
                    view.instructions = fill_all(&t.instructions, &[("connector", connector)]);
                }
                if !profile.signed_test && r.journey == Journey::RotateToken {
                    view.checklist = vec![item(
                        CONNECTOR_TEST,
                        t.phrase("connector_test").into(),
                        ItemKind::Action,
                        Some(fill(t.phrase("connector_test_value"), &[("connector", connector)])),
                        Some(t.phrase("connector_test_tip").into()),
                    )];
                }
            }
            // A certificate replacement's own screens are drawn in `certificate.rs`.
            JourneyScreen::NewKey | JourneyScreen::Mapping => return None,
            JourneyScreen::Revoke => {
                let t = words(id);
                view.heading = t.heading.clone();
                view.menu_path = t.menu_path.clone();
                view.page = Some(link(Page::AccessTokens, None));
                view.instructions = t.instructions.clone();
                view.checklist = vec![item(
                    REVOKED,
                    t.phrase("revoke").into(),
                    ItemKind::Action,
                    Some(fill(
                        t.phrase("revoke_value"),
                        &[("old_token", old_token.as_deref().unwrap_or(t.phrase("no_name")))],
                    )),
                    Some(t.phrase("revoke_tip").into()),
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
                        certificates: None,
                    },
                };
            }
        }
        Some(view)
    }
}

fn pending_captures(connection: &Connection, journey: Journey) -> Vec<CaptureView> {
    kinds::of(journey)
        .pair()
        .into_iter()
        .flatten()
        .map(|f| CaptureView {
            field: f.into(),
            label: f.label(),
            fingerprint: connection.pending_fingerprints.get(f).map(str::to_owned),
        })
        .collect()
}

impl<S: SecretStore> Flow<S> for JourneyRun {
    fn tick(
        &mut self,
        connections: &Connections<S>,
        screen: &str,
        key: &str,
        checked: bool,
    ) -> Result<(), WizardError> {
        let view = JourneyScreen::parse(screen)
            .and_then(|s| self.screen_view(connections, s))
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        if !view.checklist.iter().any(|i| i.key == key) {
            return Err(bad("That item is not on this step's checklist."));
        }
        set_tick(&mut self.state.ticks, screen, key, checked);
        self.save(connections)
    }

    fn advance(&mut self, connections: &Connections<S>) -> Result<bool, WizardError> {
        let (list, i) = self
            .index(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if let Some(reason) = self.blocked(connections) {
            return Err(bad(reason));
        }
        let (r, profile, _) = self
            .parts(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let screen = list[i];
        if !r.promoted && kinds::of(r.journey).promotion_screen(profile) == Some(screen) {
            self.promote_new(connections)?;
        }
        if i + 1 >= list.len() {
            return Ok(true);
        }
        self.state.done.insert(screen);
        self.state.screen = list[i + 1];
        self.save(connections)?;
        Ok(false)
    }

    fn back(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        let (list, i) = self
            .index(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if i > self.first_reachable(connections) {
            self.state.screen = list[i - 1];
            self.save(connections)?;
        }
        Ok(())
    }

    fn goto(&mut self, connections: &Connections<S>, screen: &str) -> Result<(), WizardError> {
        let (list, _) = self
            .index(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let target = JourneyScreen::parse(screen)
            .and_then(|s| list.iter().position(|l| *l == s))
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        let first_open = list
            .iter()
            .position(|s| !self.state.done.contains(s))
            .unwrap_or(list.len() - 1);
        if target > first_open || target < self.first_reachable(connections) {
            return Err(not_now("That step cannot be reached from here."));
        }
        self.state.screen = list[target];
        self.save(connections)
    }

    fn capture(&mut self, connections: &Connections<S>, field: Field, raw: &str) -> Result<Vec<String>, WizardError> {
        let r = &self.state;
        if r.promoted || !kinds::of(r.journey).pair().is_some_and(|p| p.contains(&field)) {
            return Err(bad(format!("The {} is not asked for here.", field.label())));
        }
        let (_, warnings) = connections.capture(&r.connection_id, Slot::Pending, field, raw)?;
        self.state.passed = None;
        // A confirmation of the connector's own test was about the values before this capture.
        self.state.ticks.remove(JourneyScreen::Handoff.as_str());
        self.last_run = None;
        self.save(connections)?;
        Ok(warnings)
    }

    /// The signed test of the staged set (the active set with the new values over it).
    fn test_plan(&self, connections: &Connections<S>) -> Result<TestPlan, WizardError> {
        let (r, profile, connection) = self
            .parts(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if r.journey == Journey::ReplaceCertificate {
            return Err(not_now("A new key is tested with its own test: press Run the test."));
        }
        let account = Account::parse(&connection.account).map_err(|e| bad(e.to_string()))?;
        if r.promoted {
            return Err(not_now("The new values are already active and tested."));
        }
        let probes = profile
            .probes()
            .into_iter()
            .filter(|(_, item)| !item.selectable)
            .map(|(p, _)| PlannedProbe::of(&p))
            .collect();
        Ok(TestPlan {
            account,
            fingerprints: self.new_fingerprints(connections).unwrap_or_default(),
            connection_id: connection.id,
            signed: profile.signed_test,
            probes,
            slot: Slot::Pending,
        })
    }

    fn signing_fingerprints(&self, connections: &Connections<S>) -> Option<Fingerprints> {
        self.new_fingerprints(connections)
    }

    fn record_test(
        &mut self,
        connections: &Connections<S>,
        mut report: Report,
        probes: Vec<ProbeLine>,
    ) -> Result<(), WizardError> {
        let (list, _) = self
            .index(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let (r, _, connection) = self
            .parts(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let journey = r.journey;
        // The token under test is brand new: a refresh of the sandbox is not why it fails.
        report.causes.retain(|c| c.id != "sandbox_refresh");
        let causes = report
            .causes
            .iter()
            .map(|c| {
                let screen = kinds::of(journey).revisit(c.step);
                CauseView {
                    id: c.id,
                    message: c.message.clone(),
                    screen_code: screen
                        .and_then(|s| list.iter().position(|l| *l == s))
                        .map(|i| self.code(i)),
                    screen: screen.map(String::from),
                }
            })
            .collect();
        let passed = report.outcome == Outcome::Success && probes.iter().all(|p| p.outcome == Outcome::Success);
        self.state.passed = passed.then(|| connection.pending_fingerprints.clone());
        self.state.key_passed = passed.then(|| certificate::TestedKey::of(&connection)).flatten();
        self.last_run = Some(TestRun {
            report,
            causes,
            probes,
            passed,
        });
        self.save(connections)
    }

    fn view(&self, connections: &Connections<S>, notice: Option<String>) -> Option<View> {
        let (r, profile, connection) = self.parts(connections)?;
        let (list, index) = self.index(connections)?;
        let account = Account::parse(&connection.account).ok()?;
        let first = self.first_reachable(connections);
        let infos = list
            .iter()
            .enumerate()
            .map(|(i, s)| ScreenInfo {
                id: s.as_str().to_string(),
                kind: s.kind(),
                code: Some(self.code(i)),
                short_title: texts().short_title(s.as_str()).into(),
                done: r.done.contains(s),
                status: rail_status(i == index, r.done.contains(s)),
            })
            .collect();
        let blocked_reason = self.blocked(connections);
        let promotes = !r.promoted && kinds::of(r.journey).promotion_screen(profile) == Some(list[index]);
        Some(View {
            active: true,
            journey: r.journey,
            journey_title: Some(r.journey.title().into()),
            promoted: r.promoted,
            profile: Some(profile_info(profile)),
            account: Some(account_view(&account, None)),
            connection: Some(connection),
            screens: infos,
            current: self.screen_view(connections, list[index]),
            progress: self.progress(index, list.len()),
            can_back: index > first,
            can_next: blocked_reason.is_none(),
            next_label: if promotes {
                kinds::of(r.journey).promote_label()
            } else if index + 1 >= list.len() {
                "Finish"
            } else {
                "Next"
            },
            blocked_reason,
            notice,
        })
    }

    fn current(&self, connections: &Connections<S>) -> Option<ScreenView> {
        let (list, index) = self.index(connections)?;
        self.screen_view(connections, list[index])
    }

    fn account(&self, connections: &Connections<S>) -> Option<Account> {
        let (_, _, c) = self.parts(connections)?;
        Account::parse(&c.account).ok()
    }

    fn connection_id(&self) -> Option<String> {
        Some(self.state.connection_id.clone())
    }

    /// During a journey the hand-off gives the new values: the active set with the pending ones over
    /// it; a hand-off again gives the active set.
    fn copy_source(&self) -> Option<(String, Slot)> {
        let slot = if kinds::of(self.state.journey).hands_over_active() {
            Slot::Active
        } else {
            Slot::Pending
        };
        Some((self.state.connection_id.clone(), slot))
    }

    fn last_run(&self) -> Option<&TestRun> {
        self.last_run.as_ref()
    }

    fn connector_link(&self, connections: &Connections<S>) -> Option<PageLink> {
        connector_link(self.parts(connections)?.1)
    }
}

fn same_pair(journey: Journey, a: &Fingerprints, b: &Fingerprints) -> bool {
    kinds::of(journey)
        .pair()
        .is_some_and(|pair| pair.iter().all(|f| a.get(*f).is_some() && a.get(*f) == b.get(*f)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keep::secrets::SecretSet;
    use crate::keep::store::ConnectionStore;
    use crate::keep::vault::{MemoryStore, Vault};
    use secrecy::SecretString;

    /// Every screen of every journey of every profile, in words from `journeys.json` with each
    /// placeholder filled: a misspelt key or placeholder in the file shows here, not to a user.
    #[test]
    fn every_journey_screen_is_worded_with_nothing_left_unfilled() {
        let dir = std::env::temp_dir().join(format!("tba-wizard-journey-words-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let connections = Connections::new(ConnectionStore::new(&dir), Vault::new(MemoryStore::default()));
        let mut seen = 0;
        // The TBA journeys only: an OAuth 2.0 connection has none of them (its certificate is replaced instead).
        for profile in ConnectorProfile::all()
            .iter()
            .filter(|p| p.auth == crate::profiles::AuthKind::Tba)
        {
            let mut set = SecretSet::default();
            for f in profile.secrets() {
                set.set(f, SecretString::from(format!("{}-{}", f.label(), "x".repeat(40))));
            }
            let account = Account::parse("1234567_SB1").unwrap();
            let (c, _) = connections
                .add(&profile.id, &account, profile.profile_id(), Some("Old token"), &set)
                .unwrap();
            for journey in [Journey::RotateToken, Journey::RotateConsumer, Journey::Handoff] {
                let Ok(run) = JourneyRun::start(&connections, &c.id, journey) else {
                    continue; // a journey this profile does not offer (Celigo's consumer pair)
                };
                for screen in kinds::of(journey).screens(profile) {
                    let v = run.screen_view(&connections, screen).expect("every screen renders");
                    let mut words = vec![v.heading.clone(), v.short_title.clone()];
                    words.extend(v.instructions.iter().cloned());
                    words.extend(v.tips.iter().cloned());
                    words.extend(v.menu_path.iter().cloned());
                    for i in &v.checklist {
                        words.push(i.label.clone());
                        words.extend(i.value.iter().cloned());
                        words.extend(i.tip.iter().cloned());
                    }
                    for w in &words {
                        assert!(
                            !w.contains('{') && !w.contains('}'),
                            "{journey:?}/{screen:?}: unfilled in {w:?}"
                        );
                    }
                    assert!(
                        !v.heading.is_empty() && !v.short_title.is_empty(),
                        "{journey:?}/{screen:?}"
                    );
                    seen += 1;
                }
                clear_file(&connections).unwrap();
            }
        }
        assert!(seen >= 20, "only {seen} screens were looked at");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_token_journeys_refuse_an_oauth2_connection_and_say_what_to_do() {
        use crate::netsuite::oauth2::{Algorithm, Certificate, KeyKind, PrivateKey, Scope};
        let dir = std::env::temp_dir().join(format!("tba-wizard-journey-m2m-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let connections = Connections::new(ConnectionStore::new(&dir), Vault::new(MemoryStore::default()));
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "t", 30, std::time::SystemTime::now()).unwrap();
        let account = Account::parse("1234567_SB1").unwrap();
        let c = connections
            .m2m_add(
                "Sync",
                &account,
                crate::keep::store::Profile::parse("own_m2m").unwrap(),
                &key,
                &cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        for journey in [Journey::RotateToken, Journey::RotateConsumer, Journey::Handoff] {
            let e = JourneyRun::start(&connections, &c.id, journey).err().expect("refused");
            assert!(e.to_string().contains("m2m rotate"), "{journey:?}: {e}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
