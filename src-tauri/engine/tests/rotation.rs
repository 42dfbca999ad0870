//! Journeys on a saved connection, driven as the window drives them, with an in-memory secret store:
//! token rotation (pass, fail, quit and resume, crash between keyring and file), consumer rotation,
//! Celigo's variant, hand-off again, the home screen and the sandbox-refresh diagnosis.

mod common;

use common::{dir, ids, wizard, CK, CS, REFUSED_BODY, TK, TS};
use secrecy::{ExposeSecret, SecretString};
use tba_engine::flow::home::AuthCard;
use tba_engine::flow::plan::{Purpose, Ran, Signer, Stamp};
use tba_engine::flow::view::Journey;
use tba_engine::flow::view::{HandOffChange, PartKind, ScreenKind, ScreenPart};
use tba_engine::flow::wizard::{Go, PartAction, SecretValue, Wizard};
use tba_engine::keep::secrets::{Field, SecretSet};
use tba_engine::keep::vault::{MemoryStore, Slot};
use tba_engine::{Account, Outcome, Report};

const TK2: &str = "7f1c0a3e5b9d2c4e6a8b0d1f3e5c7a9b2d4f6e8a0c1e3b5d7f9a2c4e6b8d0f1a";
const TS2: &str = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b";
const CK2: &str = "1111aaaa2222bbbb3333cccc4444dddd5555eeee6666ffff7777000088889999";
const CS2: &str = "9999888877770000ffff6666eeee5555dddd4444cccc3333bbbb2222aaaa1111";

fn saved(w: &Wizard<MemoryStore>, profile: &str, account: &str) -> String {
    let profile = common::profile(profile);
    // As the window saves them: a Celigo connection holds the token pair only (the consumer pair is
    // Celigo's own), the others all four values.
    let mut set = SecretSet::default();
    for (f, v) in [
        (Field::ConsumerKey, CK),
        (Field::ConsumerSecret, CS),
        (Field::TokenId, TK),
        (Field::TokenSecret, TS),
    ] {
        if profile != common::profile("celigo") || matches!(f, Field::TokenId | Field::TokenSecret) {
            set.set(f, SecretString::from(v));
        }
    }
    let (c, _) = w
        .connections
        .add(
            &format!("{} {account}", profile.code()),
            &Account::parse(account).unwrap(),
            profile,
            Some("AfterShip token 2025"),
            &set,
        )
        .unwrap();
    c.id
}

/// NetSuite's answer to a signed call: accepted, or refused with its usual 401.
fn report(outcome: Outcome) -> Report {
    match outcome {
        Outcome::Success => common::report(outcome, 200, r#"{"items":[]}"#),
        _ => common::report(outcome, 401, REFUSED_BODY),
    }
}

/// A token rotation begun, the new token (TK2, TS2) captured, and the screen after it on display.
fn new_token_captured(w: &mut Wizard<MemoryStore>, id: &str) {
    w.start_journey(id, Journey::RotateToken).unwrap();
    w.go(Go::Next).unwrap();
    w.act(PartAction::capture(Field::TokenId, TK2)).unwrap();
    w.act(PartAction::capture(Field::TokenSecret, TS2)).unwrap();
    w.go(Go::Next).unwrap();
}

fn active(w: &Wizard<MemoryStore>, id: &str, f: Field) -> String {
    w.connections
        .vault
        .read::<SecretSet>(id, Slot::Active)
        .unwrap()
        .get(f)
        .unwrap()
        .expose_secret()
        .to_string()
}

#[test]
fn token_rotation_keeps_the_old_token_until_the_new_one_is_proven() {
    let d = dir("token");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567_SB1");

    let v = w.start_journey(&id, Journey::RotateToken).unwrap();
    assert!(
        v.controls.as_ref().unwrap().next_warning.is_none(),
        "a new token stops nothing: nothing to ask"
    );
    assert_eq!(ids(&w), ["why", "new-token", "test", "handoff", "revoke"]);
    assert_eq!(v.progress, "RT-1 of 5");
    assert_eq!(v.current.as_ref().unwrap().body.kind(), ScreenKind::Info);
    // A value is taken only on the screen that asks for it, whatever the page sends.
    let refused = w.act(PartAction::capture(Field::TokenId, TK2)).unwrap_err().to_string();
    assert!(refused.contains("not asked for on this screen"), "{refused}");
    assert_eq!(w.view().progress, "RT-1 of 5");
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.progress, "RT-2 of 5");
    let screen = v.current.unwrap();
    assert!(
        screen.page.unwrap().url.contains("accesstoken"),
        "opens New Access Token"
    );
    assert!(screen
        .checklist
        .iter()
        .any(|i| i.label == "TOKEN NAME" && i.value.is_some()));
    assert!(w.go(Go::Next).is_err(), "the new token must be captured first");

    // The token in use may not be captured as the "new" one.
    assert!(w.act(PartAction::capture(Field::TokenId, TK)).is_err());
    // Only the token pair is asked for.
    assert!(w.act(PartAction::capture(Field::ConsumerKey, CK2)).is_err());
    w.act(PartAction::capture(Field::TokenId, TK2)).unwrap();
    w.act(PartAction::capture(Field::TokenSecret, TS2)).unwrap();
    assert_eq!(
        active(&w, &id, Field::TokenId),
        TK,
        "captured values wait in the pending slot"
    );
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.progress, "RT-3 of 5");

    // The test plan signs with the staged set; a failing new token blocks the promotion.
    let plan = w.plan(Purpose::Test).unwrap();
    assert!(matches!(
        plan.stamp,
        Stamp::Kept {
            slot: Slot::Pending,
            ..
        }
    ));
    assert!(matches!(plan.signer, Some(Signer::Tba(_))));
    let staged = w.connections.vault.credentials_in(&id, Slot::Pending).unwrap();
    assert_eq!(staged.token_id.expose_secret(), TK2);
    assert_eq!(staged.consumer_key.expose_secret(), CK);
    let v = common::test_result(&mut w, report(Outcome::CredentialsRefused), vec![]).unwrap();
    assert!(!v.can_next);
    let causes = v.current.unwrap().body.test().cloned().unwrap().last.unwrap().causes;
    assert!(causes.iter().any(|c| c.screen_code.as_deref() == Some("RT-2")));
    assert!(w.go(Go::Next).is_err());
    assert_eq!(
        active(&w, &id, Field::TokenId),
        TK,
        "the old token stays active after a failed test"
    );
    let c = w.connections.get(&id).unwrap();
    assert!(c.last_test.is_none(), "a pending token's test is not the connection's");

    // Retry passes; Next makes it active and keeps a copy of the old set for the revoke check.
    let v = common::test_result(&mut w, report(Outcome::Success), vec![]).unwrap();
    assert_eq!(v.next_label, "Use the new values");
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.progress, "RT-4 of 5");
    assert_eq!(active(&w, &id, Field::TokenId), TK2);
    assert_eq!(active(&w, &id, Field::ConsumerKey), CK);
    let c = w.connections.get(&id).unwrap();
    assert!(c.pending_fingerprints().is_empty());
    assert_eq!(c.token_name().map(|n| n.starts_with("AfterShip 20")), Some(true));
    assert_eq!(c.last_test.as_ref().unwrap().outcome, Outcome::Success);
    assert!(
        !v.can_back,
        "the capture and test are history once the new token is active"
    );
    let handoff = v.current.unwrap().body.handoff().cloned().unwrap();
    let token_fp = handoff
        .fields
        .iter()
        .find(|f| f.secret == Some(Field::TokenId))
        .unwrap();
    assert_eq!(
        token_fp.fingerprint,
        c.fingerprints().token_id,
        "the hand-off gives the new token"
    );

    // Revoke: the old token's name and fingerprint, a confirmation, and the old set to prove the refusal.
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.progress, "RT-5 of 5");
    let screen = v.current.unwrap();
    assert_eq!(screen.body.kind(), ScreenKind::Revoke);
    assert!(screen.page.unwrap().url.contains("accesstokens"));
    let revoke = screen.body.revoke().cloned().unwrap();
    assert_eq!(revoke.token_name.as_deref(), Some("AfterShip token 2025"));
    assert!(revoke.token_fingerprint.is_some() && revoke.token_fingerprint != revoke.new_token_fingerprint);
    let old = w.connections.vault.credentials_in(&id, Slot::Retired).unwrap();
    assert_eq!(old.token_id.expose_secret(), TK);
    let plan = w.plan(Purpose::OldCheck).unwrap();
    w.record(&plan, Ran::report(report(Outcome::Success), vec![])).unwrap();
    let v = w.view();
    assert_eq!(
        v.current.unwrap().body.revoke().cloned().unwrap().check.unwrap().result,
        "accepted"
    );
    w.record(&plan, Ran::report(report(Outcome::CredentialsRefused), vec![]))
        .unwrap();
    let v = w.view();
    assert_eq!(
        v.current.unwrap().body.revoke().cloned().unwrap().check.unwrap().result,
        "refused"
    );
    assert!(w.go(Go::Next).is_err(), "the user confirms the revocation");
    w.act(PartAction::Tick {
        screen: "revoke",
        key: "revoked",
        checked: true,
    })
    .unwrap();
    let v = w.go(Go::Next).unwrap();
    assert!(!v.active, "Finish ends the journey");
    assert!(
        w.connections
            .vault
            .read::<SecretSet>(&id, Slot::Retired)
            .unwrap()
            .is_empty(),
        "the old set is forgotten"
    );
    assert!(!d.join("rotation.json").exists());
}

#[test]
fn quitting_mid_rotation_resumes_and_nothing_is_lost() {
    let d = dir("resume");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "own", "1234567");
    w.start_journey(&id, Journey::RotateToken).unwrap();
    w.go(Go::Next).unwrap();
    w.act(PartAction::capture(Field::TokenId, TK2)).unwrap();
    drop(w);

    let mut w = wizard(&d, &store);
    let v = w.view();
    assert_eq!(v.journey, Journey::RotateToken);
    assert_eq!(v.progress, "RT-2 of 5");
    let caps = v.current.unwrap().captures;
    assert!(caps
        .iter()
        .find(|c| c.field == Field::TokenId.into())
        .unwrap()
        .fingerprint
        .is_some());
    assert!(caps
        .iter()
        .find(|c| c.field == Field::TokenSecret.into())
        .unwrap()
        .fingerprint
        .is_none());
    assert_eq!(
        w.home().journey.unwrap().connection_id,
        id,
        "home shows the journey under way"
    );
    assert!(
        w.start("aftership").is_err(),
        "no new setup while a journey is under way"
    );
    assert!(
        w.start_journey(&id, Journey::RotateConsumer).is_err(),
        "one journey at a time"
    );

    // Stopping before the promotion throws the new values away and keeps the old ones.
    let v = w.end_journey().unwrap();
    assert_eq!(v.journey, Journey::Setup);
    assert!(w
        .connections
        .vault
        .read::<SecretSet>(&id, Slot::Pending)
        .unwrap()
        .is_empty());
    assert!(w.connections.get(&id).unwrap().pending_fingerprints().is_empty());
    assert_eq!(active(&w, &id, Field::TokenId), TK);
}

#[test]
fn a_crash_after_the_keyring_write_is_finished_on_reopening() {
    let d = dir("crash");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567");
    new_token_captured(&mut w, &id);
    common::test_result(&mut w, report(Outcome::Success), vec![]).unwrap();
    // As if the process died right after the keyring took the new set, before rotation.json said so.
    w.connections.vault.retire_active::<SecretSet>(&id).unwrap();
    w.connections.promote(&id).unwrap();
    drop(w);

    let mut w = wizard(&d, &store);
    let v = w.view();
    assert!(v.promoted && !v.can_back);
    assert_eq!(
        v.progress, "RT-4 of 5",
        "it resumes after the promotion, not at a test that can no longer run"
    );
    assert_eq!(active(&w, &id, Field::TokenId), TK2);
    let c = w.connections.get(&id).unwrap();
    assert!(
        c.token_name().unwrap().starts_with("AfterShip 20"),
        "the new token's name is recorded"
    );
    let old = w.connections.vault.credentials_in(&id, Slot::Retired).unwrap();
    assert_eq!(
        old.token_id.expose_secret(),
        TK,
        "the old set is kept for the revoke check"
    );
    assert_eq!(w.go(Go::Next).unwrap().progress, "RT-5 of 5");
}

#[test]
fn a_promotion_cut_short_in_the_keyring_can_be_retried() {
    let d = dir("retry");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567");
    new_token_captured(&mut w, &id);
    common::test_result(&mut w, report(Outcome::Success), vec![]).unwrap();
    // The keyring took the new set but the pending item could not be deleted, nor the files updated.
    w.connections.vault.retire_active::<SecretSet>(&id).unwrap();
    let mut merged = SecretSet::default();
    for (f, v) in [
        (Field::ConsumerKey, CK),
        (Field::ConsumerSecret, CS),
        (Field::TokenId, TK2),
        (Field::TokenSecret, TS2),
    ] {
        merged.set(f, SecretString::from(v));
    }
    w.connections.vault.replace(&id, Slot::Active, &merged).unwrap();
    // Next again: no "nothing is staged", and the kept copy is still the old token, not the new one.
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.progress, "RT-4 of 5");
    let old = w.connections.vault.credentials_in(&id, Slot::Retired).unwrap();
    assert_eq!(old.token_id.expose_secret(), TK);
    assert!(w
        .connections
        .vault
        .read::<SecretSet>(&id, Slot::Pending)
        .unwrap()
        .is_empty());
}

#[test]
fn celigo_crash_after_the_write_resumes_at_revoke_and_recapture_clears_the_tick() {
    let d = dir("celigo-crash");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "celigo", "1234567");
    new_token_captured(&mut w, &id);
    w.act(PartAction::Tick {
        screen: "handoff",
        key: "connector-test",
        checked: true,
    })
    .unwrap();
    // Going back and pasting another token invalidates Celigo's test of the previous one.
    w.go(Go::Back).unwrap();
    w.act(PartAction::capture(Field::TokenSecret, TS)).unwrap_err(); // the one in use is refused
    w.act(PartAction::capture(Field::TokenSecret, CS2)).unwrap();
    w.go(Go::Next).unwrap();
    assert!(
        w.go(Go::Next).is_err(),
        "the tick was for the values before the new paste"
    );
    w.act(PartAction::Tick {
        screen: "handoff",
        key: "connector-test",
        checked: true,
    })
    .unwrap();
    w.connections.vault.retire_active::<SecretSet>(&id).unwrap();
    w.connections.promote(&id).unwrap();
    drop(w);

    let w = wizard(&d, &store);
    let v = w.view();
    assert!(v.promoted);
    assert_eq!(v.progress, "RT-4 of 4");
    assert_eq!(active(&w, &id, Field::TokenSecret), CS2);
}

#[test]
fn a_journey_on_a_connection_removed_elsewhere_is_dropped() {
    let d = dir("orphan");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567");
    let other = saved(&w, "own", "7654321");
    w.start_journey(&id, Journey::RotateToken).unwrap();
    w.go(Go::Next).unwrap();
    w.act(PartAction::capture(Field::TokenId, TK2)).unwrap();
    assert!(
        w.remove_connection(&id).is_err(),
        "not while a journey is under way on it"
    );
    w.connections.remove(&id).unwrap(); // as the command line would
    drop(w);

    let mut w = wizard(&d, &store);
    let v = w.view();
    assert_eq!(v.journey, Journey::Setup);
    assert!(v.notice.unwrap().contains("no longer exists"));
    assert!(w
        .connections
        .vault
        .read::<SecretSet>(&id, Slot::Pending)
        .unwrap()
        .is_empty());
    assert!(
        w.start_journey(&other, Journey::RotateToken).is_ok(),
        "other connections are not blocked"
    );
}

#[test]
fn values_staged_elsewhere_and_token_names() {
    let d = dir("staged");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567");
    let mut staged = SecretSet::default();
    staged.set(Field::TokenId, SecretString::from(TK2));
    staged.set(Field::TokenSecret, SecretString::from(TS2));
    w.connections.stage(&id, &staged).unwrap();
    let e = w.start_journey(&id, Journey::RotateToken).unwrap_err().to_string();
    assert!(e.contains("already staged"), "{e}");
    w.connections.discard(&id).unwrap();

    w.start_journey(&id, Journey::RotateToken).unwrap();
    let e = w
        .act(PartAction::TokenName("AfterShip token 2026"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("step that makes the token"), "not from the why screen: {e}");
    w.go(Go::Next).unwrap();
    assert!(
        w.act(PartAction::TokenName("aftership TOKEN 2025")).is_err(),
        "the old token's name is refused"
    );
    assert!(w.act(PartAction::TokenName("  ")).is_err());
    w.act(PartAction::TokenName("AfterShip token 2026")).unwrap();
    w.act(PartAction::capture(Field::TokenId, TK2)).unwrap();
    w.act(PartAction::capture(Field::TokenSecret, TS2)).unwrap();
    w.go(Go::Next).unwrap();
    // A result for values no longer on display is not kept.
    let plan = w.plan(Purpose::Test).unwrap();
    w.act(PartAction::DiscardNew).unwrap();
    w.act(PartAction::capture(Field::TokenId, CK2)).unwrap();
    w.act(PartAction::capture(Field::TokenSecret, CS2)).unwrap();
    assert!(w.record(&plan, Ran::report(report(Outcome::Success), vec![])).is_err());
    w.go(Go::Next).unwrap();
    let plan = w.plan(Purpose::Test).unwrap();
    w.record(&plan, Ran::report(report(Outcome::Success), vec![])).unwrap();
    w.go(Go::Next).unwrap();
    assert_eq!(
        w.connections.get(&id).unwrap().token_name(),
        Some("AfterShip token 2026")
    );
}

#[test]
fn a_consumer_reset_cannot_be_abandoned_once_the_new_pair_is_captured() {
    let d = dir("consumer-stop");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "own", "1234567");
    w.start_journey(&id, Journey::RotateConsumer).unwrap();
    w.go(Go::Next).unwrap();
    w.act(PartAction::capture(Field::ConsumerKey, CK2)).unwrap();
    w.act(PartAction::capture(Field::ConsumerSecret, CS2)).unwrap();
    assert!(w.end_journey().is_err());
    assert_eq!(w.view().journey, Journey::RotateConsumer);
    // Discarding a mis-pasted pair is still possible; then stopping is too.
    w.act(PartAction::DiscardNew).unwrap();
    assert_eq!(w.end_journey().unwrap().journey, Journey::Setup);
}

#[test]
fn discarding_a_failed_new_token_goes_back_to_capture() {
    let d = dir("discard");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567");
    new_token_captured(&mut w, &id);
    common::test_result(&mut w, report(Outcome::CredentialsRefused), vec![]).unwrap();
    let v = w.act(PartAction::DiscardNew).unwrap().view;
    assert_eq!(v.progress, "RT-2 of 5");
    assert!(v.current.unwrap().captures.iter().all(|c| c.fingerprint.is_none()));
    assert_eq!(active(&w, &id, Field::TokenSecret), TS);
}

#[test]
fn consumer_rotation_resets_the_pair_and_keeps_the_token() {
    let d = dir("consumer");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567");
    let v = w.start_journey(&id, Journey::RotateConsumer).unwrap();
    assert_eq!(ids(&w), ["why", "reset", "test", "handoff"]);
    assert_eq!(v.progress, "RC-1 of 4");
    // Next leads to the reset, which stops the running integration: the window asks first.
    let warning = v.controls.unwrap().next_warning.expect("asked before the reset");
    assert!(warning.body.contains("refuses the old consumer key"), "{warning:?}");
    let v = w.go(Go::Next).unwrap();
    assert!(
        v.controls.as_ref().unwrap().next_warning.is_none(),
        "once there, nothing more to ask"
    );
    let screen = v.current.unwrap();
    assert!(screen.checklist.iter().any(|i| i.label == "Reset Credentials"));
    assert!(w.act(PartAction::capture(Field::TokenId, TK2)).is_err());
    w.act(PartAction::capture(Field::ConsumerKey, CK2)).unwrap();
    w.act(PartAction::capture(Field::ConsumerSecret, CS2)).unwrap();
    w.go(Go::Next).unwrap();
    let staged = w.connections.vault.credentials_in(&id, Slot::Pending).unwrap();
    assert_eq!(staged.consumer_key.expose_secret(), CK2);
    assert_eq!(staged.token_id.expose_secret(), TK);
    common::test_result(&mut w, report(Outcome::Success), vec![]).unwrap();
    let v = w.go(Go::Next).unwrap();
    let screen = v.current.unwrap();
    assert_eq!(screen.body.kind(), ScreenKind::Handoff);
    // The hand-off says which values the connector must take anew: the consumer pair, and only it.
    let marks: Vec<(Option<Field>, Option<HandOffChange>)> = screen
        .body
        .handoff()
        .unwrap()
        .fields
        .iter()
        .map(|f| (f.secret, f.change))
        .collect();
    for (field, change) in &marks {
        let new = matches!(field, Some(Field::ConsumerKey | Field::ConsumerSecret));
        let expected = if new {
            HandOffChange::New
        } else {
            HandOffChange::Unchanged
        };
        assert_eq!(*change, Some(expected), "{field:?}: {marks:?}");
    }
    assert!(marks.iter().any(|(f, _)| *f == Some(Field::TokenId)), "{marks:?}");
    assert_eq!(active(&w, &id, Field::ConsumerSecret), CS2);
    assert_eq!(active(&w, &id, Field::TokenSecret), TS);
    let v = w.go(Go::Next).unwrap();
    assert!(!v.active);
}

#[test]
fn celigo_rotation_is_proven_by_celigos_own_test() {
    let d = dir("celigo");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "celigo", "1234567");
    assert!(
        w.start_journey(&id, Journey::RotateConsumer).is_err(),
        "Celigo's consumer pair is Celigo's"
    );
    w.start_journey(&id, Journey::RotateToken).unwrap();
    assert_eq!(ids(&w), ["why", "new-token", "handoff", "revoke"]);
    w.go(Go::Next).unwrap();
    w.act(PartAction::capture(Field::TokenId, TK2)).unwrap();
    w.act(PartAction::capture(Field::TokenSecret, TS2)).unwrap();
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.next_label, "Use the new values");
    assert!(w.go(Go::Next).is_err(), "Celigo's Test comes first");
    assert!(
        w.end_journey().is_err(),
        "Celigo may already hold the new token: stopping must not throw it away"
    );
    assert_eq!(
        w.connections
            .vault
            .read::<SecretSet>(&id, Slot::Pending)
            .unwrap()
            .present(),
        [Field::TokenId, Field::TokenSecret]
    );
    w.act(PartAction::Tick {
        screen: "handoff",
        key: "connector-test",
        checked: true,
    })
    .unwrap();
    let v = w.go(Go::Next).unwrap();
    assert!(v.promoted, "the token pair alone is promoted");
    assert_eq!(v.progress, "RT-4 of 4");
    assert_eq!(active(&w, &id, Field::TokenId), TK2);
    assert_eq!(active(&w, &id, Field::TokenSecret), TS2);
    assert!(
        w.connections
            .vault
            .read::<SecretSet>(&id, Slot::Active)
            .unwrap()
            .get(Field::ConsumerKey)
            .is_none(),
        "no consumer pair is invented"
    );
    assert!(w
        .connections
        .vault
        .read::<SecretSet>(&id, Slot::Pending)
        .unwrap()
        .is_empty());
    assert!(
        w.plan(Purpose::OldCheck).is_err(),
        "no signed call is possible with Celigo's consumer pair"
    );
    let offered: Vec<Journey> = w.home().cards[0].offers.iter().map(|o| o.journey).collect();
    assert_eq!(
        offered,
        [Journey::RotateToken, Journey::Handoff],
        "Celigo's consumer pair is Celigo's: no reset is offered"
    );
    assert!(!w
        .connections
        .vault
        .read::<SecretSet>(&id, Slot::Retired)
        .unwrap()
        .is_empty());
    w.go(Go::Next).unwrap_err(); // the revoke tick comes first
    w.act(PartAction::Tick {
        screen: "revoke",
        key: "revoked",
        checked: true,
    })
    .unwrap();
    w.go(Go::Next).unwrap();
    assert!(
        w.connections
            .vault
            .read::<SecretSet>(&id, Slot::Retired)
            .unwrap()
            .is_empty(),
        "the old token's copy goes with the journey"
    );
    assert!(w.journey_info().is_none());
}

#[test]
fn an_old_copy_left_behind_is_reported_and_deleted_only_when_asked() {
    let d = dir("leftover");
    let store = MemoryStore::default();
    let w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567");
    assert!(!w.home().cards[0].old_copy_kept);
    // A replacement whose progress file was lost after the old set was copied aside.
    w.connections.vault.retire_active::<SecretSet>(&id).unwrap();
    drop(w);
    let mut w = wizard(&d, &store);
    let card = &w.home().cards[0];
    assert!(card.old_copy_kept, "reported at start");
    assert!(
        !w.connections
            .vault
            .read::<SecretSet>(&id, Slot::Retired)
            .unwrap()
            .is_empty(),
        "not deleted unasked"
    );
    // While a replacement is under way the copy is its own, not a leftover.
    w.start_journey(&id, Journey::RotateToken).unwrap();
    assert!(!w.home().cards[0].old_copy_kept);
    assert!(w.forget_old_copy(&id).is_err());
    w.end_journey().unwrap();
    let home = w.home();
    assert!(!home.cards[0].old_copy_kept, "stopping the journey deletes the copy");
    w.connections.vault.retire_active::<SecretSet>(&id).unwrap();
    let home = w.forget_old_copy(&id).unwrap();
    assert!(!home.cards[0].old_copy_kept);
    assert!(w
        .connections
        .vault
        .read::<SecretSet>(&id, Slot::Retired)
        .unwrap()
        .is_empty());
    assert_eq!(active(&w, &id, Field::TokenId), TK, "the values in use stay");
}

#[test]
fn free_text_that_looks_like_a_secret_is_refused() {
    let d = dir("secret-like");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567");
    w.start_journey(&id, Journey::RotateToken).unwrap();
    w.go(Go::Next).unwrap();
    w.act(PartAction::capture(Field::TokenId, TK2)).unwrap();
    for pasted in [TK2, TS, CK2] {
        let e = w.act(PartAction::TokenName(pasted)).unwrap_err();
        assert!(matches!(e, tba_engine::flow::view::WizardError::SecretLike), "{e}");
        assert!(!e.to_string().contains(&pasted[..16]));
    }
    // Equal to a captured value, though not hex-looking: known by its fingerprint.
    w.end_journey().unwrap();
    w.start("own").unwrap();
    assert!(matches!(
        w.act(PartAction::Account(CK2)).unwrap_err(),
        tba_engine::flow::view::WizardError::SecretLike
    ));
    w.act(PartAction::Account("1234567_SB1")).unwrap();
    let text = std::fs::read_to_string(d.join("connections.json")).unwrap_or_default();
    assert!(!text.contains(&TK2[..16]) && !text.contains(&CK2[..16]));
}

#[test]
fn hand_off_again_and_the_home_screen() {
    let d = dir("home");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let id = saved(&w, "aftership", "1234567_SB1");
    let home = w.home();
    assert_eq!(home.cards.len(), 1);
    let card = &home.cards[0];
    assert_eq!(card.environment_label, "Sandbox 1");
    assert!(
        matches!(
            &card.auth,
            AuthCard::Tba {
                token_fingerprint: Some(_),
                ..
            }
        ) && card.missing.is_empty(),
        "{:?}",
        card.auth
    );

    let v = w.start_journey(&id, Journey::Handoff).unwrap();
    assert_eq!(v.progress, "HO-1 of 1");
    let current = v.current.unwrap();
    let handoff = current.body.handoff().unwrap();
    assert!(
        handoff.fields.iter().all(|f| f.change.is_none()),
        "nothing was replaced: no row is marked new or unchanged"
    );
    assert_eq!(
        w.secret_for(SecretValue::Tba(Field::TokenSecret)).unwrap().as_str(),
        active(&w, &id, Field::TokenSecret),
        "hand-off again gives the values in use"
    );
    let v = w.go(Go::Next).unwrap();
    assert!(!v.active);

    // A sandbox token that passed before and is refused now points at a sandbox refresh.
    let plan = w.plan(Purpose::Home(id.clone())).unwrap();
    w.record(&plan, Ran::report(report(Outcome::Success), vec![])).unwrap();
    w.record(&plan, Ran::report(report(Outcome::CredentialsRefused), vec![]))
        .unwrap();
    let home = w.home();
    let card = &home.cards[0];
    assert!(card.latest.as_ref().unwrap().causes[0].contains("refresh"));
    // Each journey kind says whether it applies: a TBA connection tested by the wizard offers the
    // token, the consumer pair and the hand-off, with the words journeys.json gives them.
    let offered: Vec<(Journey, &str)> = card.offers.iter().map(|o| (o.journey, o.label.as_str())).collect();
    assert_eq!(
        offered,
        [
            (Journey::RotateToken, "Replace token"),
            (Journey::RotateConsumer, "Reset consumer key"),
            (Journey::Handoff, "Hand off again")
        ]
    );
    assert!(card.hint.is_none(), "the latest test already says it");
    drop(w);
    // After reopening, the saved last test alone is enough to point at the refresh.
    let mut w = wizard(&d, &store);
    let home = w.home();
    assert!(home.cards[0].hint.as_deref().unwrap().contains("refreshed"));

    let home = w.remove_connection(&id).unwrap();
    assert!(home.cards.is_empty());
    assert!(
        w.connections
            .vault
            .read::<SecretSet>(&id, Slot::Active)
            .unwrap()
            .is_empty(),
        "keyring items removed"
    );
}

#[test]
fn a_setup_records_the_tokens_name_for_the_next_rotation() {
    let d = dir("setup-name");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    w.start("aftership").unwrap();
    assert!(
        w.act(PartAction::TokenName("AfterShip token")).is_err(),
        "no connection before the account"
    );
    w.act(PartAction::Account("1234567_SB1")).unwrap();
    let e = w.act(PartAction::TokenName("AfterShip token")).unwrap_err().to_string();
    assert!(
        e.contains("step that makes the token"),
        "not from the account's step: {e}"
    );
    // On to the step that makes the token: every item ticked, the consumer pair pasted on the way.
    while !w.view().current.unwrap().parts.contains(&ScreenPart::TokenName) {
        let screen = w.view().current.unwrap();
        for item in &screen.checklist {
            w.act(PartAction::Tick {
                screen: &screen.id,
                key: &item.key,
                checked: true,
            })
            .unwrap();
        }
        for (field, value) in [(Field::ConsumerKey, CK), (Field::ConsumerSecret, CS)] {
            if screen.carries(PartKind::Capture(field.into())) {
                w.act(PartAction::capture(field, value)).unwrap();
            }
        }
        w.go(Go::Next).unwrap();
    }
    let v = w.act(PartAction::TokenName("  AfterShip token 2026 ")).unwrap().view;
    assert_eq!(v.connection.unwrap().token_name(), Some("AfterShip token 2026"));
    assert!(w.act(PartAction::TokenName("two\nlines")).is_err());
}

/// The window draws the parts Rust lists: a screen that makes a token asks for its name before its
/// values, one that resets the consumer pair takes its values and no token name.
#[test]
fn a_screen_lists_its_parts_and_only_a_new_token_asks_for_a_name() {
    use tba_engine::flow::view::ScreenPart;
    let d = dir("parts");
    let mut w = wizard(&d, &MemoryStore::default());
    let id = saved(&w, "aftership", "1234567");
    w.start_journey(&id, Journey::RotateToken).unwrap();
    let parts = w.go(Go::Next).unwrap().current.unwrap().parts;
    let at = |p: ScreenPart| parts.iter().position(|x| *x == p);
    assert!(
        at(ScreenPart::TokenName).unwrap() < at(ScreenPart::Captures).unwrap(),
        "{parts:?}"
    );
    assert!(
        at(ScreenPart::Checklist).is_some() && at(ScreenPart::Key).is_none(),
        "{parts:?}"
    );
    w.end_journey().unwrap();

    w.start_journey(&id, Journey::RotateConsumer).unwrap();
    let parts = w.go(Go::Next).unwrap().current.unwrap().parts;
    assert!(parts.contains(&ScreenPart::Captures), "{parts:?}");
    assert!(!parts.contains(&ScreenPart::TokenName), "{parts:?}");
}

/// Stop and Discard speak the journey's words (journeys.json), and a Stop that would throw new values
/// away says so; a journey that stages nothing only closes.
#[test]
fn stop_and_discard_speak_each_journeys_words() {
    let d = dir("controls");
    let mut w = wizard(&d, &MemoryStore::default());
    let id = saved(&w, "aftership", "1234567");
    let v = w.start_journey(&id, Journey::RotateToken).unwrap();
    let c = v.controls.expect("a journey has controls");
    assert_eq!(c.stop, "Stop and keep the values in use");
    assert!(c.stop_discards && c.must_finish.is_none());
    w.end_journey().unwrap();

    let c = w.start_journey(&id, Journey::Handoff).unwrap().controls.unwrap();
    assert_eq!(c.stop, "Close");
    assert!(!c.stop_discards, "nothing new to throw away");
    w.end_journey().unwrap();

    w.start_journey(&id, Journey::RotateConsumer).unwrap();
    w.go(Go::Next).unwrap();
    w.act(PartAction::capture(Field::ConsumerKey, CK2)).unwrap();
    let v = w.act(PartAction::capture(Field::ConsumerSecret, CS2)).unwrap().view;
    let c = v.controls.unwrap();
    assert!(c.must_finish.unwrap().contains("has to be finished"));
    assert_eq!(c.discard, "Discard the new values");
}

/// A card says how its connection signs in: an OAuth 2.0 connection begun in the window but with no
/// key yet shows an empty certificate, not a missing token.
#[test]
fn a_card_shows_the_certificate_of_an_oauth2_connection_even_before_its_key() {
    let d = dir("auth-card");
    let w = wizard(&d, &MemoryStore::default());
    let account = Account::parse("1234567").unwrap();
    w.connections
        .m2m_begin("Sync", &account, common::profile("own_m2m"))
        .unwrap();
    let home = w.home();
    assert!(
        matches!(&home.cards[0].auth, AuthCard::M2m { certificate: None }),
        "{:?}",
        home.cards[0].auth
    );
    assert_eq!(home.cards[0].missing, ["Private key", "Client ID"]);
}

/// A refusal after a sandbox refresh is explained as the connection's auth method has it: a TBA
/// connection lost its token, an OAuth 2.0 one its mapping (it has no token and no Replace token).
#[test]
fn a_sandbox_refresh_is_explained_by_what_it_deleted() {
    use tba_engine::keep::connections::method;
    use tba_engine::netsuite::outcome::{recognise_sandbox_refresh, Step};
    use tba_engine::profiles::AuthKind;
    let sandbox = Account::parse("1234567_SB1").unwrap();
    let refused = |kind: AuthKind| {
        let mut r = common::report(Outcome::CredentialsRefused, 401, REFUSED_BODY);
        let clears = method::describe(kind).refresh_clears();
        recognise_sandbox_refresh(&mut r, &sandbox, Some("2026-11-02T10:00:00Z"), clears);
        r.causes.into_iter().next().unwrap()
    };
    let tba = refused(AuthKind::Tba);
    assert_eq!((tba.id, tba.step), ("sandbox_refresh", Step::AccessToken));
    assert!(
        tba.message.contains("Replace token") && tba.message.contains("2026-11-02"),
        "{}",
        tba.message
    );
    let m2m = refused(AuthKind::M2m);
    assert_eq!((m2m.id, m2m.step), ("sandbox_refresh", Step::Mapping));
    assert!(
        m2m.message.contains("mappings") && m2m.message.contains("Replace certificate"),
        "{}",
        m2m.message
    );
    assert!(
        !m2m.message.contains("token"),
        "no token advice for OAuth 2.0: {}",
        m2m.message
    );
}
