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
//! instead of a token; its own screens and actions are in `kinds/replace_certificate/`.

mod flow;
pub(crate) mod kinds;
mod screen;
mod state;
use kinds::replace_certificate as certificate;
pub use kinds::replace_certificate::ApiCall;
pub use screen::JourneyScreen;
pub use state::RotationState;

use crate::flow::progress::ProgressFile;
use crate::flow::view::{bad, check_token_name, not_now, Journey, JourneyInfo, ScreenView, TestRun, WizardError};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{Fingerprints, SecretSet};
use crate::keep::store::Connection;
use crate::keep::vault::SecretStore;
use crate::profiles::ConnectorProfile;
use kinds::token::same_pair;

pub(crate) const ROTATION_FILE: &str = "rotation.json";
const REVOKED: &str = "revoked";

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
        let Some(state) = rotation_file(connections).load::<RotationState>(|r| kinds::is_journey(r.journey))? else {
            return Ok(None);
        };
        let mut run = JourneyRun { state, last_run: None };
        // After a crash between the keyring's write of the new set and the file's update, the keyring is
        // the truth: an active pair that is no longer the old one means the promotion happened, so the
        // journey finishes it (name, screen) instead of offering a test that can no longer run.
        let r = &run.state;
        match connections.sync(&r.connection_id) {
            Ok(connection) => {
                if !r.promoted && kinds::of(r.journey).promoted_meanwhile(r, &connection) {
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
        if !kinds::is_journey(journey) {
            return Err(bad("Use Set up a new connection for that."));
        }
        let connection = connections.sync(connection_id)?;
        if let Some(why) = connection.while_moving() {
            return Err(bad(why));
        }
        if !kinds::of(journey).runs_on(connection.kind()) {
            let words = crate::profiles::journeys::texts().other_method(journey.key());
            return Err(bad(crate::profiles::journeys::fill(
                words,
                &[("label", &connection.label)],
            )));
        }
        let profile = ConnectorProfile::get(connection.profile.code())
            .ok_or_else(|| bad("This connection's connector is not known to this version of the wizard."))?;
        let mut run = JourneyRun {
            state: kinds::of(journey).start(journey, &connection, profile)?,
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

    /// Whether this journey's kind hosts the key-and-certificate part.
    pub(crate) fn hosts_key(&self) -> bool {
        kinds::of(self.state.journey).key_slot(false).is_some()
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
        if let Some(reason) = kinds::of(r.journey).refuse_stop(r, &connection) {
            return Err(bad(reason));
        }
        let profile = ConnectorProfile::get(connection.profile.code());
        let handed_over = profile
            .is_some_and(|p| kinds::of(r.journey).promotion_screen(p) == Some(JourneyScreen::Handoff))
            && r.screen == JourneyScreen::Handoff;
        if !r.promoted && handed_over && complete(connection.pending_fingerprints()) {
            // Without a signed test the connector gets the new token before it is made active here:
            // throwing it away now would leave the connector with a token the wizard no longer knows.
            let name = profile.map_or("the connector", |p| p.short_name.as_str());
            return Err(bad(format!(
                "{name} may already have the new token, so it is kept: run {name}'s own test, tick it and use the new \
                 values. If they were pasted wrong, discard them first, then stop."
            )));
        }
        if !r.promoted && kinds::of(r.journey).stages() {
            connections.discard(&r.connection_id)?;
        }
        if kinds::of(r.journey).switches_method() {
            // The old token's copy, and what the record says of it.
            connections.forget_retired(&connections.get(&r.connection_id)?)?;
        } else {
            connections
                .vault
                .forget_retired(&r.connection_id)
                .map_err(ConnectionError::from)?;
        }
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
            Some((_, _, c)) => vec![c.fingerprints().clone(), c.pending_fingerprints().clone()],
            None => vec![],
        };
        check_token_name(name, &captured)?;
        let r = &self.state;
        if !kinds::of(r.journey).names_new_token() || r.promoted {
            return Err(not_now(
                "The token's name can be set only while creating the new token.",
            ));
        }
        if r.token()
            .old_token_name
            .as_deref()
            .is_some_and(|old| old.eq_ignore_ascii_case(name))
        {
            return Err(bad(
                "That is the name of the token in use. Give the new token another name, so the old one can be told \
                 apart when you revoke it.",
            ));
        }
        if let Some(t) = self.state.kind.token_mut() {
            t.new_token_name = Some(name.to_string());
        }
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
        r.kind.forget_new();
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
        // A move to another auth method switches the connection; a key is promoted by its own steps (the
        // keyring's key, the record's certificate).
        if kinds::of(self.state.journey).switches_method() {
            self.switch_method(connections)?;
            return self.finish_promotion(connections);
        }
        if kinds::of(self.state.journey).key_slot(false).is_some() {
            self.promote_key(connections)?;
            return self.finish_promotion(connections);
        }
        let r = &self.state;
        let connection = connections.sync(&r.connection_id)?;
        if same_pair(r.journey, connection.fingerprints(), &r.token().old) {
            if kinds::of(r.journey).retires_old_token() {
                connections
                    .vault
                    .retire_active::<SecretSet>(&r.connection_id)
                    .map_err(ConnectionError::from)?;
            }
            connections.promote_tested(&r.connection_id, r.token().passed.as_ref())?;
        } else if r
            .token()
            .passed
            .as_ref()
            .is_some_and(|p| !same_pair(r.journey, connection.fingerprints(), p))
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
        if let Some(name) = &r.token().new_token_name {
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

    fn blocked<S: SecretStore>(&self, connections: &Connections<S>) -> Option<String> {
        let (list, i) = self.index(connections)?;
        let (r, profile, connection) = self.parts(connections)?;
        kinds::of(r.journey).blocked(self, list[i], &connection, profile)
    }

    fn screen_view<S: SecretStore>(&self, connections: &Connections<S>, screen: JourneyScreen) -> Option<ScreenView> {
        let (r, profile, connection) = self.parts(connections)?;
        let list = kinds::of(r.journey).screens(profile);
        let i = list.iter().position(|s| *s == screen)?;
        kinds::of(r.journey).screen_view(self, profile, &connection, screen, self.code(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keep::secrets::SecretSet;
    use crate::keep::store::ConnectionStore;
    use crate::keep::vault::{MemoryStore, Vault};
    use crate::netsuite::account::Account;
    use secrecy::SecretString;

    /// The window's journeys would stage values in the slot a move to OAuth 2.0 holds: refused, naming
    /// the way out.
    #[test]
    fn no_journey_starts_on_a_connection_moving_to_oauth2() {
        use crate::keep::m2m::migrate::tests::{begin, connections, tba};
        let conns = connections("journey");
        let c = tba(&conns, "Shop", "own");
        begin(&conns, "Shop").unwrap();
        let mut w = crate::flow::wizard::Wizard::open(conns);
        for j in [Journey::RotateToken, Journey::RotateConsumer, Journey::Handoff] {
            let e = w.start_journey(&c.id, j).unwrap_err().to_string();
            assert!(e.contains("moving to OAuth 2.0"), "{j:?}: {e}");
        }
    }

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
        for journey in [Journey::RotateToken, Journey::RotateConsumer] {
            let e = JourneyRun::start(&connections, &c.id, journey).err().expect("refused");
            assert!(e.to_string().contains("m2m rotate"), "{journey:?}: {e}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
