//! How a move to OAuth 2.0's screens are drawn, and what blocks their Next. The words, NetSuite's labels
//! among them, are in `journeys.json` (`move_to_oauth2/<screen>`).

use super::RUNS_ON_OAUTH2;
use crate::flow::cards::card_of;
use crate::flow::journey::kinds::item;
use crate::flow::journey::kinds::replace_certificate::TestedKey;
use crate::flow::journey::{JourneyRun, JourneyScreen, REVOKED};
use crate::flow::view::{
    handoff_view, AlgorithmChoice, CaptureField, CaptureView, CertificateIdView, ItemView, KeyView, PageLink, Replaced,
    RevokeView, ScreenBody, ScreenView,
};
use crate::keep::store::{AuthRecord, Connection};
use crate::netsuite::account::Account;
use crate::netsuite::oauth2::Algorithm;
use crate::netsuite::pages::{deep_link, Page};
use crate::profiles::journeys::{fill, texts};
use crate::profiles::{Collect, ConnectorProfile, ItemKind, M2mValue, Place};
use std::time::SystemTime;

/// A checklist row of a move's screen: its key, the phrase keys of its label, value and tip, and where
/// on NetSuite's page it is (subtab, section, the state to set, a permission's level).
struct Row {
    key: &'static str,
    kind: ItemKind,
    value: bool,
    tip: bool,
    subtab: Option<&'static str>,
    section: Option<&'static str>,
    state: Option<&'static str>,
    level: Option<&'static str>,
}

const fn row(key: &'static str, kind: ItemKind) -> Row {
    Row {
        key,
        kind,
        value: false,
        tip: false,
        subtab: None,
        section: None,
        state: None,
        level: None,
    }
}

/// The integration record: the M2M grant and the scope ticked, TBA kept for now.
const RECORD_ROWS: [Row; 5] = [
    Row {
        value: true,
        ..row("edit", ItemKind::Action)
    },
    Row {
        subtab: Some("Authentication"),
        section: Some("OAuth 2.0"),
        state: Some("ticked"),
        tip: true,
        ..row("m2m_grant", ItemKind::Checkbox)
    },
    Row {
        subtab: Some("Authentication"),
        section: Some("Scope"),
        state: Some("ticked"),
        ..row("rest_scope", ItemKind::Checkbox)
    },
    Row {
        subtab: Some("Authentication"),
        section: Some("Token-based Authentication"),
        state: Some("ticked"),
        tip: true,
        ..row("tba_kept", ItemKind::Checkbox)
    },
    row("save", ItemKind::Action),
];

/// The role the token signs in as: the OAuth 2.0 login permission added.
const ROLE_ROWS: [Row; 3] = [
    Row {
        value: true,
        ..row("edit", ItemKind::Action)
    },
    Row {
        subtab: Some("Setup"),
        level: Some("Full"),
        tip: true,
        ..row("permission", ItemKind::Permission)
    },
    row("save", ItemKind::Action),
];

/// The mapping of the new certificate to the same integration record, role and user as the token.
const MAPPING_ROWS: [Row; 6] = [
    row("create", ItemKind::Action),
    Row {
        tip: true,
        ..row("entity", ItemKind::Select)
    },
    Row {
        tip: true,
        ..row("role", ItemKind::Select)
    },
    Row {
        tip: true,
        ..row("application", ItemKind::Select)
    },
    Row {
        tip: true,
        ..row("certificate", ItemKind::Field)
    },
    row("save", ItemKind::Action),
];

/// The old token, revoked by its name and fingerprint; TBA unticked on the record, if nothing else uses it.
const REVOKE_ROWS: [Row; 2] = [
    Row {
        value: true,
        tip: true,
        ..row(REVOKED, ItemKind::Action)
    },
    Row {
        tip: true,
        ..row("untick_tba", ItemKind::Checkbox)
    },
];

/// The rows of `screen` that must be ticked before its Next (the record's TBA box is only kept; the
/// revoke screen's unticking is optional).
fn required(screen: JourneyScreen) -> &'static [Row] {
    match screen {
        JourneyScreen::Record => &RECORD_ROWS,
        JourneyScreen::Role => &ROLE_ROWS,
        JourneyScreen::Mapping => &MAPPING_ROWS,
        JourneyScreen::Revoke => &REVOKE_ROWS[..1],
        _ => &[],
    }
}

/// `c` as it will read once moved: its move's record as an OAuth 2.0 one, of the profile it moves to, so
/// that the key, Certificate ID and hand-off parts show the new values as they show any OAuth 2.0 key's.
fn as_moved(c: &Connection) -> Option<Connection> {
    let moving = c.moving()?.clone();
    let mut moved = c.clone();
    moved.auth = AuthRecord::M2m(Some(moving));
    moved.profile = crate::keep::m2m::migrate::moves_to(c).ok()?;
    Some(moved)
}

impl JourneyRun {
    /// Why Next is not possible yet on a move's screen.
    pub(super) fn move_blocked(&self, screen: JourneyScreen, connection: &Connection) -> Option<String> {
        let r = &self.state;
        let ticks = r.ticks.get(screen.as_str());
        let ticked = |key: &str| ticks.is_some_and(|t| t.contains(key));
        let t = texts().screen(&format!("move_to_oauth2/{}", screen.as_str()));
        let moving = connection.moving();
        match screen {
            JourneyScreen::NewKey if !r.promoted && moving.is_none() => Some(t.phrase("blocked").into()),
            JourneyScreen::Mapping
                if !r.promoted && moving.and_then(|m| m.certificate.certificate_id.as_ref()).is_none() =>
            {
                Some(t.phrase("blocked").into())
            }
            JourneyScreen::Test | JourneyScreen::Switch if !r.promoted => {
                let fresh = r.certificate().key_passed.is_some()
                    && r.certificate().key_passed == TestedKey::of(connection)
                    && self.last_run.as_ref().is_some_and(|run| run.passed);
                (!fresh).then(|| t.phrase("blocked").into())
            }
            JourneyScreen::Handoff if !r.promoted && !ticked(RUNS_ON_OAUTH2) => Some(t.phrase("blocked").into()),
            JourneyScreen::Record | JourneyScreen::Role | JourneyScreen::Mapping | JourneyScreen::Revoke
                if !(r.promoted && screen == JourneyScreen::Mapping) =>
            {
                let left: Vec<&str> = required(screen)
                    .iter()
                    .filter(|row| !ticked(row.key))
                    .map(|row| t.phrase(row.key))
                    .collect();
                (!left.is_empty()).then(|| fill(t.phrase("blocked_rows"), &[("rows", &left.join(", "))]))
            }
            _ => None,
        }
    }

    pub(super) fn move_screen_view(
        &self,
        profile: &ConnectorProfile,
        connection: &Connection,
        screen: JourneyScreen,
        code: String,
    ) -> Option<ScreenView> {
        let r = &self.state;
        let account = Account::parse(&connection.account).ok()?;
        let now = SystemTime::now();
        let id = screen.as_str();
        let t = texts().screen(&format!("move_to_oauth2/{id}"));
        let retired = crate::keep::m2m::migrate::retired_token(connection);
        let token_name = retired
            .and_then(|t| t.token_name.clone())
            .or_else(|| connection.token_name().map(str::to_owned))
            .unwrap_or_default();
        let token_fingerprint = retired
            .and_then(|t| t.fingerprints.token_id.clone())
            .or_else(|| connection.fingerprints().token_id.clone())
            .unwrap_or_default();
        let values = [
            ("label", connection.label.as_str()),
            ("token", token_name.as_str()),
            ("fingerprint", token_fingerprint.as_str()),
        ];
        let fill_all = |lines: &[String]| -> Vec<String> { lines.iter().map(|l| fill(l, &values)).collect() };
        let link = |page: Page| PageLink {
            id: "page".into(),
            title: page.title().into(),
            url: deep_link(&account, page).to_string(),
            hint: None,
        };
        let ticks = r.ticks.get(id);
        let rows = |list: &[Row]| -> Vec<ItemView> {
            list.iter()
                .map(|row| {
                    let phrase = |suffix: &str| fill(t.phrase(&format!("{}{suffix}", row.key)), &values);
                    let mut it = item(
                        ticks,
                        row.key,
                        phrase(""),
                        row.kind,
                        row.value.then(|| phrase("_value")),
                        row.tip.then(|| phrase("_tip")),
                    );
                    it.subtab = row.subtab.map(str::to_owned);
                    it.section = row.section.map(str::to_owned);
                    it.state = row.state.map(str::to_owned);
                    it.level = row.level.map(str::to_owned);
                    it
                })
                .collect()
        };
        let moved = as_moved(connection);
        let target = crate::keep::m2m::migrate::moves_to(connection)
            .ok()
            .map(ConnectorProfile::of)
            .unwrap_or(profile);
        let new = moved.as_ref().and_then(|m| m.m2m()).map(|m| &m.certificate);
        let new_card = new.map(|c| card_of(c, now));
        let body = ScreenBody::empty(screen.kind()).unwrap_or(ScreenBody::Info);
        let mut view = ScreenView::blank(id, body, Some(code));
        view.short_title = texts().short_title(id).into();
        view.heading = t.heading.clone();
        view.menu_path = t.menu_path.clone();
        view.instructions = fill_all(&t.instructions);
        view.tips = fill_all(&t.tips);
        match screen {
            JourneyScreen::Why => {}
            JourneyScreen::Record => {
                view.page = Some(link(Page::ManageIntegrations));
                view.checklist = rows(&RECORD_ROWS);
            }
            JourneyScreen::Role => {
                view.page = Some(link(Page::ManageRoles));
                view.checklist = rows(&ROLE_ROWS);
            }
            JourneyScreen::NewKey => {
                view.place = Some(Place::Wizard);
                if let Some(step) = target.step_collecting(Collect::KeyCertificate) {
                    view.tips.extend(step.tips.iter().cloned());
                }
                let chosen = new.map_or(Algorithm::default(), |c| c.algorithm);
                view.key = Some(KeyView {
                    algorithms: AlgorithmChoice::all(chosen),
                    certificate: new_card.clone(),
                    key_fingerprint: connection.moving().and_then(|m| m.fingerprints.private_key.clone()),
                    file: r.certificate().certificate_file.clone(),
                });
            }
            JourneyScreen::Mapping => {
                view.page = Some(link(Page::M2mSetup));
                view.checklist = rows(&MAPPING_ROWS);
                // Taken from the consumer key; pasted only where NetSuite shows another.
                if let Some(m) = connection.moving() {
                    view.captures = vec![CaptureView {
                        field: CaptureField::ClientId,
                        label: CaptureField::ClientId.label(),
                        fingerprint: m.fingerprints.client_id.clone(),
                        doubt: None,
                    }];
                }
                view.certificate_id = Some(CertificateIdView {
                    value: new.and_then(|c| c.certificate_id.clone()),
                    certificate: new_card.clone(),
                    file: r.certificate().certificate_file.clone(),
                    upload_by_api: false,
                });
            }
            JourneyScreen::Test | JourneyScreen::Switch => {
                view.body = self.new_key_test(new, t.phrase("note"));
            }
            JourneyScreen::Handoff => {
                view.heading = target.hand_off.title.clone();
                // Before the switch the new values are the move's; after it, the connection's own.
                let shown = moved.as_ref().unwrap_or(connection);
                let replaced = [
                    M2mValue::ClientId,
                    M2mValue::CertificateId,
                    M2mValue::Algorithm,
                    M2mValue::Scope,
                    M2mValue::PrivateKey,
                ];
                view.body = ScreenBody::Handoff {
                    handoff: handoff_view(target, &account, None, Some(shown), Some(Replaced::M2m(&replaced))),
                };
                view.checklist = vec![item(
                    ticks,
                    RUNS_ON_OAUTH2,
                    t.phrase("runs"),
                    ItemKind::Action,
                    Some(t.phrase("runs_value").into()),
                    Some(t.phrase("runs_tip").into()),
                )];
            }
            JourneyScreen::Revoke => {
                view.page = Some(link(Page::AccessTokens));
                view.checklist = rows(&REVOKE_ROWS);
                view.body = ScreenBody::Revoke {
                    revoke: RevokeView {
                        token_name: Some(token_name.clone()).filter(|n| !n.is_empty()),
                        token_fingerprint: Some(token_fingerprint.clone()).filter(|f| !f.is_empty()),
                        new_token_name: None,
                        new_token_fingerprint: None,
                        created_at: connection.created_at.clone(),
                        can_check: r.promoted,
                        check: r.old_check.clone(),
                        certificates: None,
                    },
                };
            }
            JourneyScreen::NewToken | JourneyScreen::Reset => return None,
        }
        Some(view)
    }
}
