//! What the window is shown and what it is told when an action fails: the types both flows (setup and
//! journeys) fill in, and the few helpers they share. No flow logic lives here.

use crate::keep::connections::ConnectionError;
use crate::keep::secrets::{Field, Fingerprints};
use crate::keep::store::Connection;
use crate::netsuite::account::Account;
use crate::netsuite::client::DatacenterCheck;
use crate::netsuite::outcome::{Outcome, Report};
use crate::profiles::{ConnectorProfile, ItemKind, M2mValue, Place, Resolved};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

mod error;
mod journey;
mod parts;
pub use error::*;
pub use journey::*;
pub use parts::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ScreenKind {
    Account,
    Step,
    Test,
    Handoff,
    /// A journey's explanation: what will happen and why.
    Info,
    /// A token rotation's last screen: revoke the old token.
    Revoke,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScreenInfo {
    #[ts(type = "ScreenId")]
    pub id: String,
    pub kind: ScreenKind,
    pub code: Option<String>,
    pub short_title: String,
    #[ts(type = "\"done\" | \"current\" | \"todo\"")]
    pub status: &'static str,
    /// Done, whether or not it is the screen on display.
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ProfileInfo {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub code_prefix: String,
    pub signed_test: bool,
    pub signed_test_note: String,
    pub step_codes: Vec<String>,
    /// Where the connector's side of the work happens ("Celigo integrator.io", "AfterShip").
    pub connector_side: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PageLink {
    pub id: String,
    pub title: String,
    pub url: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ItemView {
    pub key: String,
    pub label: String,
    pub kind: ItemKind,
    pub subtab: Option<String>,
    pub section: Option<String>,
    pub state: Option<String>,
    pub level: Option<String>,
    pub value: Option<String>,
    pub tip: Option<String>,
    pub checked: bool,
    pub selectable: bool,
    pub picked: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CauseView {
    pub id: &'static str,
    pub message: String,
    /// The screen that fixes it, if the procedure has one.
    #[ts(type = "ScreenId | null")]
    pub screen: Option<String>,
    pub screen_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ProbeLine {
    pub permission: String,
    pub subtab: String,
    pub step: String,
    pub outcome: Outcome,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TestRun {
    pub report: Report,
    pub causes: Vec<CauseView>,
    pub probes: Vec<ProbeLine>,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TestView {
    pub signed_test: bool,
    pub note: String,
    pub missing: Vec<&'static str>,
    pub last: Option<TestRun>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScreenView {
    #[ts(type = "ScreenId")]
    pub id: String,
    /// What kind of screen this is, with what only that kind carries: TypeScript gets a tagged union
    /// (`kind`), so a test screen's result can only be read on a test screen.
    #[serde(flatten)]
    #[ts(flatten)]
    pub body: ScreenBody,
    pub code: Option<String>,
    pub heading: String,
    pub short_title: String,
    pub place: Option<Place>,
    pub menu_path: Option<String>,
    pub page: Option<PageLink>,
    pub also_open: Vec<PageLink>,
    pub instructions: Vec<String>,
    pub tips: Vec<String>,
    pub checklist: Vec<ItemView>,
    pub captures: Vec<CaptureView>,
    pub collects_account: bool,
    /// OAuth 2.0: the key and certificate step.
    pub key: Option<KeyView>,
    /// OAuth 2.0: the mapping step's Certificate ID.
    pub certificate_id: Option<CertificateIdView>,
    /// The parts the window draws, in order (set by `ScreenView::with_parts` once the screen is filled).
    pub parts: Vec<ScreenPart>,
}

/// A screen's kind and what belongs to that kind alone.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScreenBody {
    Account,
    /// A NetSuite or connector step; the connector step that hands the values over (Celigo's C-E)
    /// shows the hand-off inside it.
    Step {
        handoff: Option<HandOffView>,
    },
    /// Boxed: a test's report is by far the largest body, and every view carries one screen.
    Test {
        test: Box<TestView>,
    },
    /// `None` until the account and the values it shows are known.
    Handoff {
        handoff: Option<HandOffView>,
    },
    /// A journey's explanation: what will happen and why.
    Info,
    Revoke {
        revoke: RevokeView,
    },
}

impl ScreenView {
    /// Whether this screen shows `part`, so an action on it may run.
    pub fn carries(&self, part: PartKind) -> bool {
        match part {
            PartKind::Account => self.parts.contains(&ScreenPart::Account),
            PartKind::Checklist => self.parts.contains(&ScreenPart::Checklist),
            PartKind::TokenName => self.parts.contains(&ScreenPart::TokenName),
            PartKind::Capture(field) => self.captures.iter().any(|c| c.field == field),
            PartKind::Key => self.key.is_some(),
            PartKind::CertificateId => self.certificate_id.is_some(),
        }
    }
}

impl ScreenBody {
    /// The body of a kind that carries nothing until it is filled in.
    pub(crate) fn empty(kind: ScreenKind) -> Option<ScreenBody> {
        match kind {
            ScreenKind::Account => Some(ScreenBody::Account),
            ScreenKind::Step => Some(ScreenBody::Step { handoff: None }),
            ScreenKind::Handoff => Some(ScreenBody::Handoff { handoff: None }),
            ScreenKind::Info => Some(ScreenBody::Info),
            ScreenKind::Test | ScreenKind::Revoke => None,
        }
    }

    pub fn kind(&self) -> ScreenKind {
        match self {
            ScreenBody::Account => ScreenKind::Account,
            ScreenBody::Step { .. } => ScreenKind::Step,
            ScreenBody::Test { .. } => ScreenKind::Test,
            ScreenBody::Handoff { .. } => ScreenKind::Handoff,
            ScreenBody::Info => ScreenKind::Info,
            ScreenBody::Revoke { .. } => ScreenKind::Revoke,
        }
    }

    pub fn test(&self) -> Option<&TestView> {
        match self {
            ScreenBody::Test { test } => Some(test.as_ref()),
            _ => None,
        }
    }

    pub fn revoke(&self) -> Option<&RevokeView> {
        match self {
            ScreenBody::Revoke { revoke } => Some(revoke),
            _ => None,
        }
    }

    /// The hand-off shown on this screen, whether it is the hand-off screen or a step holding it.
    pub fn handoff(&self) -> Option<&HandOffView> {
        match self {
            ScreenBody::Step { handoff } | ScreenBody::Handoff { handoff } => handoff.as_ref(),
            _ => None,
        }
    }
}

impl ScreenView {
    /// A screen with nothing on it yet; each kind of screen fills in what it shows.
    pub(crate) fn blank(id: &str, body: ScreenBody, code: Option<String>) -> ScreenView {
        ScreenView {
            id: id.to_string(),
            body,
            code,
            heading: String::new(),
            short_title: String::new(),
            place: None,
            menu_path: None,
            page: None,
            also_open: vec![],
            instructions: vec![],
            tips: vec![],
            checklist: vec![],
            captures: vec![],
            collects_account: false,
            key: None,
            certificate_id: None,
            parts: vec![],
        }
    }

    /// The screen with the list of parts it carries, as the window draws them. A screen that makes a
    /// token (it captures a Token ID) asks for its name.
    pub(crate) fn with_parts(mut self) -> ScreenView {
        let kind = self.body.kind();
        let wanted = [
            (
                ScreenPart::Account,
                kind == ScreenKind::Account || self.collects_account,
            ),
            (
                ScreenPart::Handoff,
                kind == ScreenKind::Step && self.body.handoff().is_some(),
            ),
            (ScreenPart::Revoke, kind == ScreenKind::Revoke),
            (ScreenPart::Checklist, !self.checklist.is_empty()),
            (
                ScreenPart::TokenName,
                self.captures.iter().any(|c| c.field == CaptureField::TokenId),
            ),
            (ScreenPart::Captures, !self.captures.is_empty()),
            (ScreenPart::Key, self.key.is_some()),
            (ScreenPart::CertificateId, self.certificate_id.is_some()),
        ];
        self.parts = wanted.into_iter().filter(|(_, on)| *on).map(|(p, _)| p).collect();
        self
    }
}

/// The rail's word for a screen: the one on display, one done, or one still to do.
pub(crate) fn rail_status(current: bool, done: bool) -> &'static str {
    if current {
        "current"
    } else if done {
        "done"
    } else {
        "todo"
    }
}

/// Ticks or unticks one checklist item of a screen (setup and journeys keep ticks the same way).
pub(crate) fn set_tick(ticks: &mut BTreeMap<String, BTreeSet<String>>, screen: &str, key: &str, checked: bool) {
    let set = ticks.entry(screen.to_string()).or_default();
    if checked {
        set.insert(key.to_string());
    } else {
        set.remove(key);
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct View {
    pub active: bool,
    /// A first setup, or a journey on a saved connection (token or consumer rotation, hand-off again).
    pub journey: Journey,
    pub journey_title: Option<String>,
    /// In a rotation: the new values are the ones in use (so stopping keeps them).
    pub promoted: bool,
    pub profile: Option<ProfileInfo>,
    pub account: Option<AccountView>,
    #[ts(as = "Option<crate::keep::store::ConnectionFile>")]
    pub connection: Option<Connection>,
    pub screens: Vec<ScreenInfo>,
    pub current: Option<ScreenView>,
    pub progress: String,
    pub can_back: bool,
    pub can_next: bool,
    pub next_label: &'static str,
    pub blocked_reason: Option<String>,
    /// Set when the saved progress could not be read and was moved aside.
    pub notice: Option<String>,
    /// A journey's Stop and Discard controls, in its words; none for a setup.
    pub controls: Option<JourneyControls>,
}

impl View {
    /// The view with no flow under way: the start screen.
    pub(crate) fn inactive(notice: Option<String>) -> View {
        View {
            active: false,
            journey: Journey::Setup,
            journey_title: None,
            promoted: false,
            profile: None,
            account: None,
            connection: None,
            screens: vec![],
            current: None,
            progress: String::new(),
            can_back: false,
            can_next: false,
            next_label: "Next",
            blocked_reason: None,
            notice,
            controls: None,
        }
    }
}

/// A token's name as NetSuite shows it, checked the same way in a setup and in a journey: never
/// something that looks like one of the captured secrets.
pub(crate) fn check_token_name(name: &str, captured: &[Fingerprints]) -> Result<(), WizardError> {
    if crate::keep::secrets::looks_like_secret(name, &captured.iter().collect::<Vec<_>>()) {
        return Err(WizardError::SecretLike);
    }
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(bad(
            "Enter the token's name as NetSuite shows it: 1 to 100 characters on one line.",
        ));
    }
    Ok(())
}

pub(crate) fn profile_info(profile: &ConnectorProfile) -> ProfileInfo {
    ProfileInfo {
        id: profile.id.clone(),
        connector_side: profile.connector_app.clone().unwrap_or_else(|| profile.name.clone()),
        name: profile.name.clone(),
        summary: profile.summary.clone(),
        code_prefix: profile.code_prefix.clone(),
        signed_test: profile.signed_test,
        signed_test_note: profile.signed_test_note.clone(),
        step_codes: profile.steps.iter().map(|s| s.code.clone()).collect(),
    }
}

pub(crate) fn account_view(a: &Account, datacenter: Option<DatacenterCheck>) -> AccountView {
    AccountView {
        id: a.id().to_string(),
        environment: a.environment().code(),
        environment_label: a.environment().to_string(),
        production: a.environment().is_production(),
        ui_host: a.ui_host(),
        datacenter,
    }
}

pub(crate) fn connector_link(profile: &ConnectorProfile) -> Option<PageLink> {
    let p = profile.connector_page.as_ref()?;
    Some(PageLink {
        id: "connector".into(),
        title: p.label.clone(),
        url: p.url.clone(),
        hint: p.note.clone(),
    })
}

/// What a replacement made anew, for its hand-off to mark each row New or Unchanged.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Replaced<'a> {
    Tba(&'a [Field]),
    M2m(&'a [M2mValue]),
}

/// The hand-off of a profile's values for an account; secrets appear only as fingerprints. `connection`
/// gives an OAuth 2.0 connection's Certificate ID and its keyring values' fingerprints; `replaced`, after
/// a replacement, what it made anew.
pub(crate) fn handoff_view(
    profile: &ConnectorProfile,
    account: &Account,
    fingerprints: Option<&Fingerprints>,
    connection: Option<&Connection>,
    replaced: Option<Replaced<'_>>,
) -> Option<HandOffView> {
    let change = |resolved: &Resolved| {
        let new = match (replaced?, resolved) {
            (Replaced::Tba(fields), Resolved::Secret(field)) => fields.contains(field),
            (Replaced::M2m(values), Resolved::M2m(value)) => values.contains(value),
            _ => false,
        };
        Some(if new {
            HandOffChange::New
        } else {
            HandOffChange::Unchanged
        })
    };
    Some(HandOffView {
        title: profile.hand_off.title.clone(),
        intro: profile.hand_off.intro.clone(),
        fields: profile
            .hand_off
            .fields
            .iter()
            .map(|f| (f, f.resolve(account)))
            .map(|(f, resolved)| (f, change(&resolved), resolved))
            .map(|(f, change, resolved)| match resolved {
                Resolved::Text(text) => HandOffFieldView {
                    label: f.label.clone(),
                    text: Some(text),
                    secret: None,
                    m2m: None,
                    fingerprint: None,
                    note: f.note.clone(),
                    change,
                },
                Resolved::Secret(field) => HandOffFieldView {
                    label: f.label.clone(),
                    text: None,
                    secret: Some(field),
                    m2m: None,
                    fingerprint: fingerprints.and_then(|fp| fp.get(field).map(str::to_owned)),
                    note: f.note.clone(),
                    change,
                },
                // Public values: shown and copied as text.
                Resolved::M2m(value @ (M2mValue::CertificateId | M2mValue::Algorithm | M2mValue::Scope)) => {
                    HandOffFieldView {
                        label: f.label.clone(),
                        text: connection.and_then(|c| c.public_value(value)),
                        secret: None,
                        m2m: None,
                        fingerprint: None,
                        note: f.note.clone(),
                        change,
                    }
                }
                Resolved::M2m(value) => HandOffFieldView {
                    label: f.label.clone(),
                    text: None,
                    secret: None,
                    m2m: Some(value),
                    fingerprint: connection.and_then(|c| c.value_fingerprint(value)),
                    note: f.note.clone(),
                    change,
                },
            })
            .collect(),
        connector_page: connector_link(profile),
    })
}
