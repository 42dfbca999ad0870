//! "Move to OAuth 2.0": a TBA connection moved to OAuth 2.0 client credentials without a minute offline.
//! The journey hosts the parts the other kinds use (checklists, the key part, the Certificate ID, the
//! test, the hand-off and the revoke) around `keep::m2m::migrate`: the new key and Client ID wait in the
//! keyring's pending slot beside the tokens in use, are tested there and handed over, and only when the
//! user says the integration runs on OAuth 2.0 does the connection switch; the tokens are then kept
//! (retired slot) until the user has revoked them. Stopping before the switch leaves the TBA connection
//! as it was and throws the new key away.

mod screens;

use super::replace_certificate::{CertificateState, TestedKey};
use super::{JourneyKind, KindState, OldValues};
use crate::flow::journey::{JourneyRun, JourneyScreen, RotationState};
use crate::flow::plan::{Plan, Purpose, Signer, TestPlan};
use crate::flow::view::{bad, not_now, Journey, ScreenView, WizardError};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::SecretSet;
use crate::keep::store::Connection;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::{Report, Step};
use crate::profiles::{AuthKind, ConnectorProfile};
use std::collections::{BTreeMap, BTreeSet};

/// The hand-off's tick: the integration signs in with OAuth 2.0 now. Next then switches the connection.
const RUNS_ON_OAUTH2: &str = "runs_on_oauth2";

pub(crate) struct MoveToOauth2;

impl JourneyKind for MoveToOauth2 {
    fn screens(&self, _: &ConnectorProfile) -> Vec<JourneyScreen> {
        use JourneyScreen::*;
        vec![Why, Record, Role, NewKey, Mapping, Test, Handoff, Switch, Revoke]
    }

    /// The switch: once the integration runs on OAuth 2.0 with the handed-over values, and a test of
    /// them passed again.
    fn promotion_screen(&self, _: &ConnectorProfile) -> Option<JourneyScreen> {
        Some(JourneyScreen::Switch)
    }

    /// Saying the integration runs on the new values asks for the test again, at the switch.
    fn tick_voids_test(&self, screen: &str, key: &str) -> bool {
        screen == JourneyScreen::Handoff.as_str() && key == RUNS_ON_OAUTH2
    }

    fn promote_label(&self) -> &'static str {
        "Switch to OAuth 2.0"
    }

    fn capture_screen(&self) -> JourneyScreen {
        JourneyScreen::NewKey
    }

    /// The new key waits in the pending slot until the switch; afterwards nothing new is made.
    fn key_slot(&self, promoted: bool) -> Option<Slot> {
        (!promoted).then_some(Slot::Pending)
    }

    fn switches_method(&self) -> bool {
        true
    }

    fn hands_over_staged(&self) -> bool {
        true
    }

    fn old_values(&self) -> OldValues {
        OldValues::MovedToken
    }

    fn revisit(&self, step: Step) -> Option<JourneyScreen> {
        match step {
            Step::IntegrationRecord => Some(JourneyScreen::Record),
            Step::Role => Some(JourneyScreen::Role),
            _ => None,
        }
    }

    fn start(
        &self,
        journey: Journey,
        connection: &Connection,
        profile: &ConnectorProfile,
    ) -> Result<RotationState, WizardError> {
        crate::keep::m2m::migrate::moves_to(connection)?;
        if !profile.signed_test {
            return Err(bad(format!(
                "{}'s side signs in with TBA only today: this connection keeps working on TBA.",
                profile.short_name
            )));
        }
        if !connection.pending_fingerprints().is_empty() {
            return Err(bad(format!(
                "New values for “{}” are already staged from the command line. Promote or discard them first \
                 (tba-wizard-cli connections promote or discard \"{}\").",
                connection.label, connection.label
            )));
        }
        if connection.fingerprints().consumer_key.is_none() {
            return Err(bad(format!(
                "“{}” has no saved consumer key, which is the OAuth 2.0 Client ID: set it up again first.",
                connection.label
            )));
        }
        let now = crate::keep::store::now_rfc3339();
        Ok(RotationState {
            journey,
            connection_id: connection.id.clone(),
            screen: JourneyScreen::Why,
            done: BTreeSet::new(),
            ticks: BTreeMap::new(),
            promoted: false,
            old_check: None,
            kind: KindState::Certificate(CertificateState::default()),
            started_at: now.clone(),
            updated_at: now,
        })
    }

    /// The keyring switched (the connection signs with OAuth 2.0) though the journey's file says not yet.
    fn promoted_meanwhile(&self, _r: &RotationState, connection: &Connection) -> bool {
        connection.kind() == AuthKind::M2m
    }

    fn blocked(
        &self,
        run: &JourneyRun,
        screen: JourneyScreen,
        connection: &Connection,
        _profile: &ConnectorProfile,
    ) -> Option<String> {
        run.move_blocked(screen, connection)
    }

    fn screen_view(
        &self,
        run: &JourneyRun,
        profile: &ConnectorProfile,
        connection: &Connection,
        screen: JourneyScreen,
        code: String,
    ) -> Option<ScreenView> {
        run.move_screen_view(profile, connection, screen, code)
    }

    /// The new key and Client ID from the pending slot, with the probes of the connection's TBA test, so
    /// that the role's permissions are proven unchanged.
    fn test_plan(
        &self,
        run: &JourneyRun,
        profile: &ConnectorProfile,
        connection: &Connection,
    ) -> Result<TestPlan, WizardError> {
        if run.state.promoted {
            return Err(not_now(
                "The connection signs in with OAuth 2.0 already; Test now on its card tests it.",
            ));
        }
        let account = Account::parse(&connection.account).map_err(|e| bad(e.to_string()))?;
        Ok(TestPlan {
            account,
            slot: Slot::Pending,
            signed: true,
            probes: super::token::probes_of(profile),
        })
    }

    fn offered(&self, facts: &super::CardFacts) -> bool {
        facts.auth == AuthKind::Tba && facts.can_move && facts.signed && facts.complete
    }
}

impl JourneyRun {
    /// The switch: the tested key and Client ID become the connection's, the tokens go to the retired
    /// slot (`Connections::promote` of a moving connection). Safe to run again after a failure part-way:
    /// a connection already on OAuth 2.0 is left as it is.
    pub(in crate::flow::journey) fn switch_method<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
    ) -> Result<(), WizardError> {
        let connection = connections.sync(&self.state.connection_id)?;
        if connection.kind() == AuthKind::M2m {
            return Ok(()); // switched already, by a run a crash cut short
        }
        let tested = self.state.certificate().key_passed.clone();
        if tested.is_none() || tested != TestedKey::of(&connection) {
            return Err(bad("Run the test with the new key and get it to pass first."));
        }
        connections.promote(&connection.id)?;
        Ok(())
    }

    /// The signed call with the TBA token the move retired, which NetSuite should refuse once revoked.
    pub(crate) fn moved_token_plan<S: SecretStore>(&self, connections: &Connections<S>) -> Result<Plan, WizardError> {
        if !self.state.promoted {
            return Err(not_now("The token is still the one in use until the switch."));
        }
        let c = connections.get(&self.state.connection_id)?;
        let retired = crate::keep::m2m::migrate::retired_token(&c).ok_or_else(gone)?;
        let kept = connections
            .vault
            .read::<SecretSet>(&c.id, Slot::Retired)
            .map_err(ConnectionError::from)?;
        // Only ever sign with the token this move retired.
        if kept.fingerprints() != retired.fingerprints || retired.fingerprints.is_empty() {
            return Err(gone());
        }
        let credentials = kept.to_credentials().ok_or_else(gone)?;
        let account = Account::parse(&c.account).map_err(|e| bad(e.to_string()))?;
        Ok(Plan::with_signer(
            account,
            Signer::Tba(Box::new(credentials)),
            Purpose::OldCheck,
        ))
    }

    pub(crate) fn record_moved_token_check<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        report: &Report,
    ) -> Result<(), WizardError> {
        let (result, summary) = super::rotate_token::old_token_verdict(report);
        self.keep_old_check(connections, result, summary)
    }
}

fn gone() -> WizardError {
    bad(
        "The old token is no longer kept in the keyring, so it cannot be checked from here. NetSuite's Access Tokens \
         list shows whether it is revoked.",
    )
}

#[cfg(test)]
mod tests {
    use crate::flow::plan::{Purpose, Ran, Signer};
    use crate::flow::view::{CaptureField, Journey, ScreenBody};
    use crate::flow::wizard::{Go, KeyPart, PartAction, Wizard};
    use crate::keep::m2m::migrate::tests::{connections, tba};
    use crate::keep::secrets::{M2mSecrets, SecretSet};
    use crate::keep::vault::Slot;
    use crate::netsuite::oauth2::{Algorithm, Certificate, KeyKind, PrivateKey};
    use crate::netsuite::outcome::{Outcome, Report};
    use crate::profiles::AuthKind;
    use std::time::SystemTime;

    fn report(outcome: Outcome) -> Report {
        let mut r = crate::flow::plan::refused_before_sending("test".into());
        r.outcome = outcome;
        r.attempts = 1;
        r
    }

    fn tick_all(w: &mut Wizard<crate::keep::vault::MemoryStore>, screen: &str) {
        let keys: Vec<String> = w
            .view()
            .current
            .unwrap()
            .checklist
            .iter()
            .map(|i| i.key.clone())
            .collect();
        for key in keys {
            w.act(PartAction::Tick {
                screen,
                key: &key,
                checked: true,
            })
            .unwrap();
        }
    }

    /// The key part's Make key, as the window does it: a key and certificate attached to the journey.
    fn make_key(w: &mut Wizard<crate::keep::vault::MemoryStore>, dir: &std::path::Path) {
        let (id, _) = w.read::<KeyPart>().and_then(|k| k.target()).unwrap();
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "t", 30, SystemTime::now()).unwrap();
        w.act(PartAction::AttachKey {
            connection_id: &id,
            key: &key,
            certificate: &cert,
            algorithm: Algorithm::ES256,
            dir,
        })
        .unwrap();
    }

    /// Every word on the screen is filled in and there is a heading.
    fn worded(w: &Wizard<crate::keep::vault::MemoryStore>) {
        let v = w.view();
        let s = v.current.as_ref().expect("a screen");
        let mut words = vec![s.heading.clone(), s.short_title.clone()];
        words.extend(s.instructions.iter().chain(&s.tips).chain(&s.menu_path).cloned());
        for i in &s.checklist {
            words.extend(
                [i.label.clone()]
                    .into_iter()
                    .chain(i.value.clone())
                    .chain(i.tip.clone()),
            );
            assert!(!i.label.is_empty(), "{}: an item without words", s.id);
        }
        assert!(!s.heading.is_empty() && !s.short_title.is_empty(), "{}", s.id);
        for word in words {
            assert!(
                !word.contains('{') && !word.contains('}'),
                "{}: unfilled in {word:?}",
                s.id
            );
        }
    }

    /// The whole move through the wizard, as the window drives it: the token signs until the switch, the
    /// Client ID is the consumer key, each Next waits for its part, the hand-off gives the staged key
    /// before the switch, and after it the old token is checked and its copy forgotten at the end.
    #[test]
    fn a_tba_connection_moves_to_oauth2_through_the_window_without_a_minute_offline() {
        let conns = connections("move-journey");
        let c = tba(&conns, "Shop", "own");
        let tokens = conns
            .vault
            .read::<SecretSet>(&c.id, Slot::Active)
            .unwrap()
            .fingerprints();
        let dir = std::env::temp_dir().join(format!("tba-move-journey-{}", std::process::id()));
        let mut w = Wizard::open(conns);
        let card = w.home().cards.into_iter().next().unwrap();
        assert!(
            card.offers.iter().any(|o| o.journey == Journey::MoveToOauth2),
            "{:?}",
            card.offers
        );

        let v = w.start_journey(&c.id, Journey::MoveToOauth2).unwrap();
        assert_eq!(v.progress, "MO-1 of 9");
        worded(&w);
        w.go(Go::Next).unwrap();
        // The integration record and the role: Next waits for their rows.
        for screen in ["record", "role"] {
            worded(&w);
            let e = w.go(Go::Next).unwrap_err().to_string();
            assert!(e.contains("Tick each step"), "{e}");
            tick_all(&mut w, screen);
            w.go(Go::Next).unwrap();
        }
        // The key: made into the pending slot; the tokens stay the active values.
        worded(&w);
        assert!(w.go(Go::Next).is_err());
        make_key(&mut w, &dir);
        assert!(w.view().current.unwrap().key.unwrap().certificate.is_some());
        assert_eq!(
            w.connections
                .vault
                .read::<SecretSet>(&c.id, Slot::Active)
                .unwrap()
                .fingerprints(),
            tokens
        );
        w.go(Go::Next).unwrap();
        // The mapping: its rows and the Certificate ID.
        worded(&w);
        tick_all(&mut w, "mapping");
        assert!(w.go(Go::Next).is_err(), "no Certificate ID yet");
        w.act(PartAction::CertificateId("NEWCERT")).unwrap();
        // The Client ID is the consumer key unless NetSuite shows another; its Application ID is refused.
        let consumer_key = "0123456789abcdef".repeat(4);
        let e = w
            .act(PartAction::capture(
                CaptureField::ClientId,
                "a1b2c3d4-e5f6-4789-8abc-0123456789ab",
            ))
            .unwrap_err()
            .to_string();
        assert!(e.contains("Application ID"), "{e}");
        let other = "fedcba9876543210".repeat(4);
        w.act(PartAction::capture(CaptureField::ClientId, &other)).unwrap();
        let plan = w.plan(Purpose::Test).unwrap();
        let Some(Signer::M2m(m)) = &plan.signer else {
            panic!("an OAuth 2.0 test")
        };
        use secrecy::ExposeSecret;
        assert_eq!(m.client_id.expose_secret(), &other);
        w.act(PartAction::capture(CaptureField::ClientId, &consumer_key))
            .unwrap();
        w.go(Go::Next).unwrap();
        // The test signs with OAuth 2.0 from the pending slot: the consumer key is the Client ID.
        worded(&w);
        assert!(w.go(Go::Next).is_err());
        let plan = w.plan(Purpose::Test).unwrap();
        let Some(Signer::M2m(m)) = &plan.signer else {
            panic!("an OAuth 2.0 test")
        };
        assert_eq!(m.certificate_id, "NEWCERT");
        assert_eq!(m.client_id.expose_secret(), &consumer_key);
        // The checks of the token's own test (the profile's, as a TBA test of it runs them).
        let own = crate::profiles::ConnectorProfile::get("own").unwrap();
        assert_eq!(
            plan.probes.len(),
            own.probes().into_iter().filter(|(_, i)| !i.selectable).count()
        );
        w.record(&plan, Ran::report(report(Outcome::Success), vec![])).unwrap();
        w.go(Go::Next).unwrap();
        // The hand-off: the staged values, the key too, before the switch; Next switches after the tick.
        worded(&w);
        let v = w.view();
        let ScreenBody::Handoff { handoff: Some(h) } = v.current.unwrap().body else {
            panic!("a hand-off")
        };
        assert!(h.fields.iter().any(|f| f.text.as_deref() == Some("NEWCERT")));
        assert_eq!(w.private_key_source().unwrap(), (c.id.clone(), Slot::Pending));
        assert!(w.handed_over_key().is_ok());
        assert!(w.go(Go::Next).is_err(), "not before the integration runs on OAuth 2.0");
        assert_eq!(w.connections.get(&c.id).unwrap().kind(), AuthKind::Tba, "still TBA");
        tick_all(&mut w, "handoff");
        w.go(Go::Next).unwrap();
        // The switch: the new values tested again now that the integration runs on them.
        worded(&w);
        assert_eq!(w.view().next_label, "Switch to OAuth 2.0");
        assert!(w.go(Go::Next).is_err(), "not before the test passes again");
        assert_eq!(w.connections.get(&c.id).unwrap().kind(), AuthKind::Tba, "still TBA");
        let plan = w.plan(Purpose::Test).unwrap();
        w.record(&plan, Ran::report(report(Outcome::Success), vec![])).unwrap();
        let v = w.go(Go::Next).unwrap();
        assert!(v.promoted);
        let moved = w.connections.get(&c.id).unwrap();
        assert_eq!(moved.kind(), AuthKind::M2m);
        assert_eq!(moved.label, "Shop");
        assert_eq!(
            moved.m2m().unwrap().certificate.certificate_id.as_deref(),
            Some("NEWCERT")
        );
        // Revoke: the old token signs the check, by its name and fingerprint on the screen.
        worded(&w);
        let v = w.view();
        let ScreenBody::Revoke { revoke } = v.current.unwrap().body else {
            panic!("the revoke screen")
        };
        assert_eq!(revoke.token_name.as_deref(), Some("Sync token"));
        assert_eq!(revoke.token_fingerprint, tokens.token_id);
        let plan = w.plan(Purpose::OldCheck).unwrap();
        assert!(matches!(plan.signer, Some(Signer::Tba(_))));
        w.record(&plan, Ran::report(report(Outcome::CredentialsRefused), vec![]))
            .unwrap();
        assert!(w.go(Go::Next).is_err(), "not before the revoke is ticked");
        w.act(PartAction::Tick {
            screen: "revoke",
            key: "revoked",
            checked: true,
        })
        .unwrap();
        w.go(Go::Next).unwrap();
        let done = w.connections.get(&c.id).unwrap();
        assert!(
            done.m2m().unwrap().retired_tba.is_none(),
            "the token's copy is forgotten"
        );
        assert!(w
            .connections
            .vault
            .read::<SecretSet>(&c.id, Slot::Retired)
            .unwrap()
            .is_empty());
        assert!(!w
            .connections
            .vault
            .read::<M2mSecrets>(&c.id, Slot::Active)
            .unwrap()
            .is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Stopping before the switch leaves the TBA connection exactly as it was and no key behind.
    #[test]
    fn a_move_stopped_before_the_switch_leaves_the_connection_as_it_was() {
        let conns = connections("move-stop");
        let c = tba(&conns, "Shop", "own");
        let before = conns.get(&c.id).unwrap();
        let dir = std::env::temp_dir().join(format!("tba-move-stop-{}", std::process::id()));
        let mut w = Wizard::open(conns);
        w.start_journey(&c.id, Journey::MoveToOauth2).unwrap();
        w.go(Go::Next).unwrap();
        tick_all(&mut w, "record");
        w.go(Go::Next).unwrap();
        tick_all(&mut w, "role");
        w.go(Go::Next).unwrap();
        make_key(&mut w, &dir);
        assert!(w.connections.get(&c.id).unwrap().moving().is_some());
        w.end_journey().unwrap();
        let after = w.connections.get(&c.id).unwrap();
        assert_eq!(after.auth, before.auth);
        assert!(w
            .connections
            .vault
            .read::<M2mSecrets>(&c.id, Slot::Pending)
            .unwrap()
            .is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A quit or a crash at any screen: the next start resumes the move where it was, the token still the
    /// connection's values; a crash after the keyring's switch but before the journey's file said so is
    /// finished on reopening, at the revoke.
    #[test]
    fn a_move_resumes_where_it_was_after_a_crash_at_any_screen() {
        let dir = std::env::temp_dir().join(format!("tba-move-crash-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = crate::keep::vault::MemoryStore::default();
        let open = || {
            Wizard::open(crate::keep::connections::Connections::new(
                crate::keep::store::ConnectionStore::new(dir.join("c")),
                crate::keep::vault::Vault::new(store.clone()),
            ))
        };
        let mut w = open();
        let c = tba(&w.connections, "Shop", "own");
        w.start_journey(&c.id, Journey::MoveToOauth2).unwrap();
        let reopened = |w: Wizard<crate::keep::vault::MemoryStore>, at: &str| {
            drop(w);
            let w = open();
            assert_eq!(w.view().progress, at, "resumed where it was");
            w
        };
        w = reopened(w, "MO-1 of 9");
        w.go(Go::Next).unwrap();
        tick_all(&mut w, "record");
        w = reopened(w, "MO-2 of 9");
        assert!(w.view().can_next, "the ticks were kept");
        w.go(Go::Next).unwrap();
        tick_all(&mut w, "role");
        w.go(Go::Next).unwrap();
        make_key(&mut w, &dir.join("d"));
        w = reopened(w, "MO-4 of 9");
        assert!(
            w.view().current.unwrap().key.unwrap().certificate.is_some(),
            "the key was kept"
        );
        w.go(Go::Next).unwrap();
        tick_all(&mut w, "mapping");
        w.act(PartAction::CertificateId("NEWCERT")).unwrap();
        w = reopened(w, "MO-5 of 9");
        w.go(Go::Next).unwrap();
        let plan = w.plan(Purpose::Test).unwrap();
        w.record(&plan, Ran::report(report(Outcome::Success), vec![])).unwrap();
        w = reopened(w, "MO-6 of 9");
        assert_eq!(w.connections.get(&c.id).unwrap().kind(), AuthKind::Tba);
        // The switch in the keyring and the record, then a crash before the journey's file was written.
        w.connections.promote(&c.id).unwrap();
        let w = reopened(w, "MO-9 of 9");
        assert!(
            w.view().promoted,
            "the switch is recognised and the journey goes on to the revoke"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
