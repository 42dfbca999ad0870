//! How the certificate replacement's screens are drawn, and what blocks their Next.

use super::{TestedKey, HANDED};
use crate::flow::cards::{card_of, certificate_card};
use crate::flow::journey::kinds::item;
use crate::flow::journey::{JourneyRun, JourneyScreen, REVOKED};
use crate::flow::view::{
    handoff_view, AlgorithmChoice, CertificateIdView, KeyView, PageLink, Replaced, RevokeCertificates, RevokeView,
    ScreenBody, ScreenView, TestView,
};
use crate::keep::store::Connection;
use crate::netsuite::account::Account;
use crate::netsuite::pages::{deep_link, Page};
use crate::profiles::journeys::{fill, texts};
use crate::profiles::{Collect, ConnectorProfile, ItemKind, M2mValue, Place};
use std::time::SystemTime;

impl JourneyRun {
    /// Why Next is not possible yet on a certificate replacement's screen.
    pub(in crate::flow::journey) fn certificate_blocked(
        &self,
        screen: JourneyScreen,
        connection: &Connection,
        ticked: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let r = &self.state;
        let staged = connection.m2m().and_then(|m| m.pending.as_ref());
        match screen {
            JourneyScreen::NewKey if !r.promoted && staged.is_none() => {
                Some("Make the new key and certificate first.".into())
            }
            JourneyScreen::Mapping if !r.promoted && staged.and_then(|p| p.certificate_id.as_ref()).is_none() => {
                Some("Upload the new certificate as a new mapping and save its Certificate ID first.".into())
            }
            JourneyScreen::Test if !r.promoted => {
                let fresh = r.certificate().key_passed.is_some()
                    && r.certificate().key_passed == TestedKey::of(connection)
                    && self.last_run.as_ref().is_some_and(|run| run.passed);
                (!fresh).then(|| "Run the test with the new key and get it to pass first.".to_string())
            }
            JourneyScreen::Handoff if !ticked(HANDED) => {
                Some("Give the integration the new private key and Certificate ID first, then tick it here.".into())
            }
            JourneyScreen::Revoke if !ticked(REVOKED) => {
                Some("Revoke the old mapping in NetSuite, then tick it here.".into())
            }
            _ => None,
        }
    }

    /// The test of a new key and its mapping's Certificate ID (`new`: the staged certificate, or after
    /// the promotion the one in use), saying what is still missing before it can run.
    pub(in crate::flow::journey) fn new_key_test(
        &self,
        new: Option<&crate::keep::store::M2mCertificate>,
        note: &str,
    ) -> ScreenBody {
        let promoted = self.state.promoted;
        let mut missing = vec![];
        if !promoted && new.is_none() {
            missing.push("new private key");
        }
        if !promoted && new.and_then(|c| c.certificate_id.as_ref()).is_none() {
            missing.push("new Certificate ID");
        }
        ScreenBody::Test {
            test: Box::new(TestView {
                signed_test: true,
                note: note.into(),
                missing,
                last: self.last_run.clone(),
            }),
        }
    }

    pub(in crate::flow::journey) fn certificate_screen_view(
        &self,
        profile: &ConnectorProfile,
        connection: &Connection,
        screen: JourneyScreen,
        code: String,
    ) -> Option<ScreenView> {
        let r = &self.state;
        let old = r.certificate().old_certificate.as_ref()?;
        let account = Account::parse(&connection.account).ok()?;
        let now = SystemTime::now();
        let id = screen.as_str();
        let t = texts().screen(&format!("replace_certificate/{id}"));
        let old_card = card_of(&old.certificate, now);
        let old_id = old
            .certificate
            .certificate_id
            .clone()
            .unwrap_or_else(|| t.phrase("no_id").to_string());
        let days = old_card.days_left.to_string();
        // The fingerprint's start, as the home card shows it: the whole one would not wrap.
        let short_fingerprint = match old_card.fingerprint.get(..23) {
            Some(start) => format!("{start}…"),
            None => old_card.fingerprint.clone(),
        };
        let values = [
            ("old_certificate_id", old_id.as_str()),
            ("old_expires", old_card.expires.as_str()),
            ("old_days_left", days.as_str()),
            ("old_fingerprint", short_fingerprint.as_str()),
        ];
        let fill_all = |lines: &[String]| -> Vec<String> { lines.iter().map(|l| fill(l, &values)).collect() };
        let mapping_page = || PageLink {
            id: "page".into(),
            title: Page::M2mSetup.title().into(),
            url: deep_link(&account, Page::M2mSetup).to_string(),
            hint: None,
        };
        let ticks = r.ticks.get(id);
        let new = self.new_certificate(connection);
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
            JourneyScreen::NewKey => {
                view.place = Some(Place::Wizard);
                if let Some(step) = profile.step_collecting(Collect::KeyCertificate) {
                    view.tips.extend(step.tips.iter().cloned());
                }
                let m = connection.m2m();
                view.key = Some(KeyView {
                    algorithms: AlgorithmChoice::all(old.certificate.algorithm),
                    certificate: new_card.clone(),
                    key_fingerprint: m.and_then(|m| {
                        if r.promoted {
                            m.fingerprints.private_key.clone()
                        } else {
                            m.pending_fingerprints.private_key.clone()
                        }
                    }),
                    file: r.certificate().certificate_file.clone(),
                });
            }
            JourneyScreen::Mapping => {
                view.page = Some(mapping_page());
                let p = |name: &str| t.phrase(name).to_string();
                view.checklist = vec![
                    item(
                        ticks,
                        "create",
                        t.phrase("create"),
                        ItemKind::Action,
                        Some(p("create_value")),
                        None,
                    ),
                    item(
                        ticks,
                        "entity",
                        t.phrase("entity"),
                        ItemKind::Select,
                        None,
                        Some(p("entity_tip")),
                    ),
                    item(
                        ticks,
                        "role",
                        t.phrase("role"),
                        ItemKind::Select,
                        None,
                        Some(p("role_tip")),
                    ),
                    item(
                        ticks,
                        "application",
                        t.phrase("application"),
                        ItemKind::Select,
                        None,
                        Some(p("application_tip")),
                    ),
                    item(
                        ticks,
                        "certificate",
                        t.phrase("certificate"),
                        ItemKind::Field,
                        None,
                        Some(p("certificate_tip")),
                    ),
                    item(
                        ticks,
                        "save",
                        t.phrase("save"),
                        ItemKind::Action,
                        Some(p("save_value")),
                        None,
                    ),
                ];
                view.certificate_id = Some(CertificateIdView {
                    value: new.and_then(|c| c.certificate_id.clone()),
                    certificate: new_card.clone(),
                    file: r.certificate().certificate_file.clone(),
                    upload_by_api: !r.promoted && new.is_some_and(|c| c.certificate_id.is_none()),
                });
            }
            JourneyScreen::Test => {
                view.body = self.new_key_test(new, t.phrase("note"));
            }
            JourneyScreen::Handoff => {
                // The Client ID and the scope stay; the algorithm only where the new key is of another kind.
                let same_algorithm = new.is_none_or(|c| c.algorithm == old.certificate.algorithm);
                let replaced: &[M2mValue] = if same_algorithm {
                    &[M2mValue::PrivateKey, M2mValue::CertificateId]
                } else {
                    &[M2mValue::PrivateKey, M2mValue::CertificateId, M2mValue::Algorithm]
                };
                view.heading = profile.hand_off.title.clone();
                view.body = ScreenBody::Handoff {
                    handoff: handoff_view(profile, &account, None, Some(connection), Some(Replaced::M2m(replaced))),
                };
                view.checklist = vec![item(
                    ticks,
                    HANDED,
                    t.phrase("handed"),
                    ItemKind::Action,
                    Some(t.phrase("handed_value").into()),
                    Some(t.phrase("handed_tip").into()),
                )];
            }
            JourneyScreen::Revoke => {
                view.page = Some(mapping_page());
                view.checklist = vec![item(
                    ticks,
                    REVOKED,
                    t.phrase("revoke"),
                    ItemKind::Action,
                    Some(fill(t.phrase("revoke_value"), &values)),
                    Some(t.phrase("revoke_tip").into()),
                )];
                view.body = ScreenBody::Revoke {
                    revoke: RevokeView {
                        token_name: None,
                        token_fingerprint: None,
                        new_token_name: None,
                        new_token_fingerprint: None,
                        created_at: connection.created_at.clone(),
                        can_check: r.promoted,
                        check: r.old_check.clone(),
                        certificates: Some(Box::new(RevokeCertificates {
                            old: old_card,
                            new: certificate_card(connection, now).filter(|_| r.promoted),
                            revoke_by_api: r.promoted
                                && old.certificate.certificate_id.is_some()
                                && !ticks.is_some_and(|t| t.contains(REVOKED)),
                            still_active: r.certificate().still_active.clone(),
                        })),
                    },
                };
            }
            JourneyScreen::NewToken
            | JourneyScreen::Reset
            | JourneyScreen::Record
            | JourneyScreen::Role
            | JourneyScreen::Switch => return None,
        }
        Some(view)
    }
}
