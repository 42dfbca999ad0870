//! The wizard's state machine, driven as the window drives it, with an in-memory secret store.

mod common;

use common::{dir, ids, report, wizard, CK, CS, TK, TS};
use tba_engine::flow::view::{ScreenKind, WizardError};
use tba_engine::flow::wizard::{Acted, Go, PartAction};
use tba_engine::keep::secrets::{CaptureField, Field};
use tba_engine::keep::vault::MemoryStore;
use tba_engine::Outcome;

#[test]
fn screens_follow_each_guide() {
    let d = dir("screens");
    let mut w = wizard(&d, &MemoryStore::default());
    w.start("aftership").unwrap();
    assert_eq!(ids(&w), ["AS-1", "AS-2", "AS-3", "AS-4", "AS-5", "test", "handoff"]);
    w.start("celigo").unwrap();
    assert_eq!(ids(&w), ["account", "C-A", "C-B", "C-C", "C-D", "test", "C-E"]);
    let v = w.view();
    assert_eq!(v.current.unwrap().body.kind(), ScreenKind::Account);
    w.start("own").unwrap();
    assert_eq!(ids(&w)[0], "OI-1");
}

#[test]
fn aftership_from_start_to_hand_off_and_resume() {
    let d = dir("aftership");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    let v = w.start("aftership").unwrap();
    assert_eq!(v.progress, "AS-1 of 5");
    assert!(!v.can_next, "the account comes first");
    assert!(w.go(Go::Next).is_err());
    assert!(w
        .act(PartAction::Account("not an account"))
        .unwrap_err()
        .to_string()
        .contains("Company Information"));

    let v = w
        .act(PartAction::Account(
            "https://1234567-sb1.app.netsuite.com/app/center/card.nl?sc=-29",
        ))
        .unwrap()
        .view;
    let account = v.account.unwrap();
    assert_eq!(
        (
            account.id.as_str(),
            account.environment_label.as_str(),
            account.production
        ),
        ("1234567_SB1", "Sandbox 1", false)
    );
    assert!(v.connection.is_some());
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.progress, "AS-2 of 5");
    let page = v.current.as_ref().unwrap().page.clone().unwrap();
    assert_eq!(page.url, "https://1234567-sb1.app.netsuite.com/app/setup/features.nl");
    let item = v.current.unwrap().checklist[0].key.clone();
    // Each part is acted on only from the screen that shows it, whatever the page sends: the account
    // from its own step, a tick for the step on display, a token's name where the token is made.
    let elsewhere = |r: Result<Acted, WizardError>| r.unwrap_err().to_string();
    assert!(elsewhere(w.act(PartAction::Account("7654321"))).contains("account is entered on its own step"));
    assert_eq!(w.view().account.unwrap().id, "1234567_SB1");
    assert!(elsewhere(w.act(PartAction::TokenName("AfterShip token"))).contains("step that makes the token"));
    w.act(PartAction::Tick {
        screen: "AS-2",
        key: &item,
        checked: true,
    })
    .unwrap();
    w.go(Go::Next).unwrap();
    let refused = w.act(PartAction::Tick {
        screen: "AS-2",
        key: &item,
        checked: false,
    });
    assert!(elsewhere(refused).contains("another step's checklist"));
    let v = w.go(Go::Back).unwrap();
    assert!(
        v.current.unwrap().checklist[0].checked,
        "the refused untick changed nothing"
    );
    w.go(Go::Next).unwrap();

    // The integration record: both consumer values must be in the keyring before going on.
    let v = w.view();
    assert_eq!(v.current.as_ref().unwrap().captures.len(), 2);
    assert!(v.blocked_reason.unwrap().contains("Consumer Key"));
    w.act(PartAction::capture(Field::ConsumerKey, &format!("  \"{CK}\"\n")))
        .unwrap();
    assert!(
        w.act(PartAction::capture(Field::ConsumerSecret, CK)).is_err(),
        "the same value twice is caught"
    );
    let Acted { view: v, warnings, .. } = w.act(PartAction::capture(Field::ConsumerSecret, CS)).unwrap();
    assert!(warnings.is_empty());
    assert!(v.can_next);
    assert!(v
        .current
        .unwrap()
        .captures
        .iter()
        .all(|c| c.fingerprint.as_deref().is_some_and(|f| f.len() == 8)));

    // Quit and reopen: same screen, same ticks.
    drop(w);
    let mut w = wizard(&d, &store);
    let v = w.view();
    assert_eq!(v.current.as_ref().unwrap().id, "AS-3");
    w.go(Go::Back).unwrap();
    assert!(w.view().current.unwrap().checklist[0].checked, "ticks are kept");
    w.go(Go::Next).unwrap();
    w.go(Go::Next).unwrap();
    w.go(Go::Next).unwrap();
    w.act(PartAction::capture(Field::TokenId, TK)).unwrap();
    w.act(PartAction::capture(Field::TokenSecret, TS)).unwrap();
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.current.as_ref().unwrap().body.kind(), ScreenKind::Test);
    assert!(!v.can_next, "the test has to pass first");

    // A refused token points at the steps to revisit.
    let body = r#"{"status":401,"o:errorDetails":[{"detail":"Invalid login attempt.","o:errorCode":"INVALID_LOGIN"}]}"#;
    let v = common::test_result(&mut w, report(Outcome::CredentialsRefused, 401, body), vec![]).unwrap();
    let run = v.current.unwrap().body.test().cloned().unwrap().last.unwrap();
    let screens: Vec<_> = run.causes.iter().map(|c| (c.id, c.screen.clone())).collect();
    assert!(screens.contains(&("realm", Some("AS-1".into()))), "{screens:?}");
    assert!(screens.contains(&("token_revoked", Some("AS-5".into()))));
    assert!(screens.contains(&("role_login_permission", Some("AS-4".into()))));
    assert!(screens.contains(&("feature_disabled", Some("AS-2".into()))));
    assert!(screens.contains(&("integration_blocked", Some("AS-3".into()))));
    w.go(Go::To("AS-5")).unwrap();
    w.act(PartAction::capture(Field::TokenSecret, "aaaa".repeat(16).as_str()))
        .unwrap();
    assert!(w.view().current.unwrap().captures[1].fingerprint.is_some());
    assert!(w.go(Go::To("handoff")).is_err(), "cannot skip the test");
    w.go(Go::To("test")).unwrap();
    let v = common::test_result(&mut w, report(Outcome::Success, 200, r#"{"items":[]}"#), vec![]).unwrap();
    assert!(v.can_next);
    let v = w.go(Go::Next).unwrap();
    assert_eq!(v.next_label, "Finish");
    let handoff = v.current.unwrap().body.handoff().cloned().unwrap();
    let account_field = handoff.fields.iter().find(|f| f.label == "Account ID").unwrap();
    assert_eq!(account_field.text.as_deref(), Some("1234567_SB1"));
    assert_eq!(
        handoff
            .fields
            .iter()
            .filter(|f| f.secret.is_some() && f.fingerprint.is_some())
            .count(),
        4
    );

    // No secret anywhere in what the window sees or what is on disk.
    let shown = serde_json::to_string(&w.view()).unwrap();
    for s in [CK, CS, TK, TS] {
        assert!(!shown.contains(s));
    }
    for entry in std::fs::read_dir(&d).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for s in [CK, CS, TK, TS] {
            assert!(!text.contains(s));
        }
    }
}

#[test]
fn links_are_only_for_the_account_and_the_connector() {
    let d = dir("links");
    let mut w = wizard(&d, &MemoryStore::default());
    w.start("celigo").unwrap();
    assert!(
        w.link("page").map_or(true, |(_, hosts)| hosts.is_empty()),
        "no account, no NetSuite links"
    );
    w.act(PartAction::Account("1234567")).unwrap();
    let (url, hosts) = w.link("page").unwrap();
    assert_eq!(
        url.as_str(),
        "https://1234567.app.netsuite.com/app/common/otherlists/company.nl"
    );
    assert!(hosts.contains(&"1234567.app.netsuite.com".to_string()));
    assert!(!hosts
        .iter()
        .any(|h| h.ends_with(".netsuite.com") && !h.starts_with("1234567.")));
}

#[test]
fn unreadable_progress_is_moved_aside() {
    let d = dir("corrupt");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("wizard.json"), "{ nope").unwrap();
    let w = wizard(&d, &MemoryStore::default());
    let v = w.view();
    assert!(!v.active);
    assert!(v.notice.unwrap().contains("moved"));
    let kept: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("wizard.json.unreadable-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), "{ nope");
}

/// A label the wizard made from a mistyped account follows the corrected account (the card said
/// "AfterShip 7654321" over account 1234567); it stays free of the names other connections have, and
/// a label the wizard did not make is left alone.
#[test]
fn a_corrected_account_renames_the_connection_it_named() {
    let d = dir("relabel");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    w.connections
        .add(
            "AfterShip 1234567",
            &tba_engine::Account::parse("1234567").unwrap(),
            common::profile("aftership"),
            None,
            &tba_engine::keep::secrets::SecretSet::default(),
        )
        .unwrap();
    w.start("aftership").unwrap();
    let label = |w: &tba_engine::flow::wizard::Wizard<MemoryStore>| w.view().connection.unwrap().label;
    w.act(PartAction::Account("7654321")).unwrap();
    assert_eq!(label(&w), "AfterShip 7654321");
    w.act(PartAction::Account("1234567")).unwrap();
    assert_eq!(
        label(&w),
        "AfterShip 1234567 (2)",
        "the other connection keeps its name"
    );
    w.act(PartAction::Account("1234567_SB1")).unwrap();
    assert_eq!(label(&w), "AfterShip 1234567_SB1");
    assert_eq!(w.view().connection.unwrap().account, "1234567_SB1");

    let id = w.view().connection.unwrap().id;
    w.connections
        .store
        .update(|list| {
            if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                c.label = "Shop feed".into();
            }
        })
        .unwrap();
    w.act(PartAction::Account("1234567_SB2")).unwrap();
    assert_eq!(label(&w), "Shop feed", "a name the wizard did not make stays");
}

/// A value saved with a warning (here a Consumer Secret with one character too many, as a copy that
/// took the next character along) holds Next, with its reason, until it is pasted again or kept as it
/// is; the doubt outlives a restart, and a right value clears it.
#[test]
fn a_value_saved_with_a_warning_holds_next_until_pasted_again_or_kept() {
    let d = dir("doubt");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    w.start("aftership").unwrap();
    w.act(PartAction::Account("1234567_SB1")).unwrap();
    w.go(Go::Next).unwrap();
    w.go(Go::Next).unwrap();
    assert_eq!(w.view().progress, "AS-3 of 5");
    w.act(PartAction::capture(Field::ConsumerKey, CK)).unwrap();
    let long = format!("{CS}f");
    let Acted { view: v, warnings, .. } = w.act(PartAction::capture(Field::ConsumerSecret, &long)).unwrap();
    assert!(!warnings.is_empty());
    assert!(!v.can_next);
    let reason = v.blocked_reason.clone().unwrap();
    assert!(
        reason.contains("Consumer Secret does not look like NetSuite's"),
        "{reason}"
    );
    let captures = v.current.unwrap().captures;
    assert!(captures[0].doubt.is_none());
    let doubt = captures[1].doubt.clone().unwrap();
    assert!(doubt.contains("65 characters"), "{doubt}");
    assert!(w.go(Go::Next).is_err());

    drop(w);
    let mut w = wizard(&d, &store);
    assert!(!w.view().can_next, "the doubt is the setup's, kept over a restart");
    let v = w.act(PartAction::KeepAsIs(CaptureField::ConsumerSecret)).unwrap().view;
    assert!(v.can_next, "{:?}", v.blocked_reason);
    assert!(v.current.unwrap().captures[1].doubt.is_none());

    w.act(PartAction::capture(Field::ConsumerSecret, &long)).unwrap();
    assert!(!w.view().can_next, "a new doubtful paste is doubted again");
    let v = w.act(PartAction::capture(Field::ConsumerSecret, CS)).unwrap().view;
    assert!(v.can_next, "{:?}", v.blocked_reason);
    assert!(v.current.unwrap().captures[1].doubt.is_none());
}
