//! What the token journeys (replace the access token, reset the consumer key, hand off again) share:
//! how one begins, what blocks its screens' Next, how its screens are drawn and what its test signs
//! with. The kinds' trait uses these as its defaults; a kind that is not about a TBA pair (the
//! certificate replacement) brings its own.

use super::KindState;
use crate::flow::journey::{JourneyRun, JourneyScreen, RotationState, REVOKED};
use crate::flow::plan::{PlannedProbe, TestPlan};
use crate::flow::view::{
    bad, handoff_view, not_now, CaptureView, Journey, PageLink, Replaced, RevokeView, ScreenBody, ScreenKind,
    ScreenView, TestView, WizardError,
};
use crate::keep::secrets::{Field, Fingerprints};
use crate::keep::store::Connection;
use crate::keep::vault::Slot;
use crate::netsuite::account::Account;
use crate::netsuite::pages::{deep_link, Page};
use crate::profiles::journeys::{fill, texts};
use crate::profiles::{Collect, ConnectorProfile, ItemKind};
use std::collections::{BTreeMap, BTreeSet};

/// The hand-off's tick for connectors whose consumer pair is not the user's (Celigo): their own Test is
/// the only proof the new token works, so the user confirms it before the new token becomes active.
pub(crate) const CONNECTOR_TEST: &str = "connector-test";

/// What a token journey keeps of its own between runs (never a secret).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenState {
    /// The active set's fingerprints when the journey began.
    pub old: Fingerprints,
    pub old_token_name: Option<String>,
    pub new_token_name: Option<String>,
    /// The staged set's fingerprints when its signed test passed: a value captured after the test
    /// invalidates it.
    pub passed: Option<Fingerprints>,
}

/// A new token journey's saved state on `connection`, or why it cannot begin.
pub(super) fn start_state(
    journey: Journey,
    connection: &Connection,
    profile: &ConnectorProfile,
) -> Result<RotationState, WizardError> {
    if !connection.pending_fingerprints().is_empty() {
        return Err(bad(format!(
            "New values for “{}” are already staged from the command line. Promote or discard them first \
             (tba-wizard connections promote or discard \"{}\").",
            connection.label, connection.label
        )));
    }
    let missing: Vec<&str> = profile
        .secrets()
        .iter()
        .filter(|f| connection.fingerprints().get(**f).is_none())
        .map(|f| f.label())
        .collect();
    if !missing.is_empty() {
        return Err(bad(format!(
            "This connection has no saved {}. Set it up again with Set up a new connection.",
            missing.join(" or ")
        )));
    }
    let now = crate::keep::store::now_rfc3339();
    Ok(RotationState {
        journey,
        connection_id: connection.id.clone(),
        screen: super::of(journey).screens(profile)[0],
        done: BTreeSet::new(),
        ticks: BTreeMap::new(),
        promoted: false,
        old_check: None,
        kind: KindState::Token(TokenState {
            old: connection.fingerprints().clone(),
            old_token_name: connection.token_name().map(str::to_owned),
            new_token_name: super::of(journey).names_new_token().then(|| {
                let base = format!("{} {}", profile.short_name, now.get(..10).unwrap_or(&now));
                // Never the old token's name: the two must be told apart in NetSuite's list.
                (1..)
                    .map(|n| if n == 1 { base.clone() } else { format!("{base} ({n})") })
                    .find(|n| !connection.token_name().is_some_and(|o| o.eq_ignore_ascii_case(n)))
                    .expect("some name is free")
            }),
            passed: None,
        }),
        started_at: now.clone(),
        updated_at: now,
    })
}

/// The active pair is no longer the one the journey began with: a crash cut the promotion short after
/// the keyring's write, before the journey's file was updated.
pub(super) fn promoted_meanwhile(r: &RotationState, connection: &Connection) -> bool {
    super::of(r.journey).pair().is_some() && !same_pair(r.journey, connection.fingerprints(), &r.token().old)
}

/// The signed test of the staged set (the active set with the new values over it).
pub(super) fn test_plan(
    run: &JourneyRun,
    profile: &ConnectorProfile,
    connection: &Connection,
) -> Result<TestPlan, WizardError> {
    let r = &run.state;
    let account = Account::parse(&connection.account).map_err(|e| bad(e.to_string()))?;
    if r.promoted {
        return Err(not_now("The new values are already active and tested."));
    }
    Ok(TestPlan {
        account,
        slot: Slot::Pending,
        signed: profile.signed_test,
        probes: probes_of(profile),
    })
}

/// The permission checks a test of `profile`'s connection runs after its signed call.
pub(super) fn probes_of(profile: &ConnectorProfile) -> Vec<PlannedProbe> {
    profile
        .probes()
        .into_iter()
        .filter(|(_, item)| !item.selectable)
        .map(|(p, _)| PlannedProbe::of(&p))
        .collect()
}

/// Why Next is refused on `screen` of a token journey, if it is.
pub(super) fn blocked(
    run: &JourneyRun,
    screen: JourneyScreen,
    connection: &Connection,
    profile: &ConnectorProfile,
) -> Option<String> {
    let r = &run.state;
    let ticked = |key: &str| r.ticks.get(screen.as_str()).is_some_and(|t| t.contains(key));
    match screen.kind() {
        ScreenKind::Step if !r.promoted => {
            let pair = super::of(r.journey).pair()?;
            let missing: Vec<&str> = pair
                .iter()
                .filter(|f| connection.pending_fingerprints().get(**f).is_none())
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
            let fresh = r.token().passed.as_ref() == Some(connection.pending_fingerprints())
                && run.last_run.as_ref().is_some_and(|run| run.passed);
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
pub(crate) fn new_fingerprints(c: &Connection) -> Fingerprints {
    c.pending_fingerprints().over(c.fingerprints())
}

/// A token journey's screen, in the words of `journeys.json`.
pub(super) fn screen_view(
    run: &JourneyRun,
    profile: &ConnectorProfile,
    connection: &Connection,
    screen: JourneyScreen,
    code: String,
) -> Option<ScreenView> {
    let r = &run.state;
    let id = screen.as_str();
    let account = Account::parse(&connection.account).ok()?;
    let link = |page: Page, hint: Option<String>| PageLink {
        id: "page".into(),
        title: page.title().into(),
        url: deep_link(&account, page).to_string(),
        hint,
    };
    let ticks = r.ticks.get(id);
    let item = |key: &str, label: String, kind: ItemKind, value: Option<String>, tip: Option<String>| {
        super::item(ticks, key, label, kind, value, tip)
    };
    let old_token = r.token().old_token_name.clone();
    let connector = profile.short_name.as_str();
    let words = |key: &str| texts().screen(key);
    let fill_all =
        |lines: &[String], values: &[(&str, &str)]| -> Vec<String> { lines.iter().map(|l| fill(l, values)).collect() };
    // Test and revoke screens get their bodies below, with what they show.
    let body = ScreenBody::empty(screen.kind()).unwrap_or(ScreenBody::Info);
    let mut view = ScreenView::blank(id, body, Some(code));
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
                    r.token().old.token_id.as_deref().unwrap_or(t.phrase("no_fingerprint")),
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
                        r.token().new_token_name.clone()
                    } else {
                        i.value.clone()
                    };
                    item(&key, i.label.clone(), i.kind, value, i.tip.clone())
                })
                .collect();
            view.captures = pending_captures(connection, r.journey);
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
            view.captures = pending_captures(connection, r.journey);
        }
        JourneyScreen::Test => {
            let t = words(id);
            view.heading = t.heading.clone();
            view.body = ScreenBody::Test {
                test: Box::new(TestView {
                    signed_test: true,
                    note: t.phrase("note").into(),
                    missing: super::of(r.journey)
                        .pair()
                        .into_iter()
                        .flatten()
                        .filter(|f| connection.pending_fingerprints().get(*f).is_none() && !r.promoted)
                        .map(|f| f.label())
                        .collect(),
                    last: run.last_run.clone(),
                }),
            };
        }
        JourneyScreen::Handoff => {
            let t = words(id);
            view.heading = profile.hand_off.title.clone();
            let fingerprints = new_fingerprints(connection);
            let replaced = super::of(r.journey).pair();
            view.body = ScreenBody::Handoff {
                handoff: handoff_view(
                    profile,
                    &account,
                    Some(&fingerprints),
                    None,
                    replaced.as_ref().map(|pair| Replaced::Tba(pair)),
                ),
            };
            if !super::of(r.journey).hands_over_active() {
                view.instructions = fill_all(&t.instructions, &[("connector", connector)]);
            }
            // The new token is made active at the hand-off: the connector's own test is its proof.
            if super::of(r.journey).promotion_screen(profile) == Some(JourneyScreen::Handoff) {
                view.checklist = vec![item(
                    CONNECTOR_TEST,
                    t.phrase("connector_test").into(),
                    ItemKind::Action,
                    Some(fill(t.phrase("connector_test_value"), &[("connector", connector)])),
                    Some(t.phrase("connector_test_tip").into()),
                )];
            }
        }
        // A certificate replacement's own screens are drawn in `replace_certificate/screens.rs`.
        JourneyScreen::NewKey
        | JourneyScreen::Mapping
        | JourneyScreen::Record
        | JourneyScreen::Role
        | JourneyScreen::Switch => return None,
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
                    token_fingerprint: r.token().old.token_id.clone(),
                    new_token_name: r.token().new_token_name.clone(),
                    new_token_fingerprint: connection.fingerprints().token_id.clone(),
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

fn pending_captures(connection: &Connection, journey: Journey) -> Vec<CaptureView> {
    super::of(journey)
        .pair()
        .into_iter()
        .flatten()
        .map(|f| CaptureView {
            field: f.into(),
            label: f.label(),
            fingerprint: connection.pending_fingerprints().get(f).map(str::to_owned),
            doubt: None,
        })
        .collect()
}

pub(crate) fn same_pair(journey: Journey, a: &Fingerprints, b: &Fingerprints) -> bool {
    super::of(journey)
        .pair()
        .is_some_and(|pair| pair.iter().all(|f| a.get(*f).is_some() && a.get(*f) == b.get(*f)))
}
