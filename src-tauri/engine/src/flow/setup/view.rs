//! How a setup's screen is drawn, and what blocks its Next.

use super::{Setup, SetupScreen};
use crate::flow::parts::key;
use crate::flow::view::{
    AlgorithmChoice, CaptureField, CaptureView, CertificateIdView, ItemView, KeyView, PageLink, ScreenBody, ScreenView,
    TestView,
};
use crate::keep::connections::Connections;
use crate::keep::secrets::Field;
use crate::keep::store::Connection;
use crate::keep::vault::SecretStore;
use crate::netsuite::oauth2::Algorithm;
use crate::netsuite::outcome;
use crate::netsuite::pages::{deep_link, Page};
use crate::profiles::{Collect, ItemKind, Place};

impl Setup {
    /// Which screen fixes a diagnosed cause.
    pub(super) fn screen_for(&self, step: outcome::Step) -> Option<SetupScreen> {
        let profile = self.profile;
        let has_kind = |kind: ItemKind| {
            profile
                .steps
                .iter()
                .find(|s| s.place == Place::Netsuite && s.checklist.iter().any(|i| i.kind == kind))
        };
        let found = match step {
            outcome::Step::Account => {
                return Some(
                    profile
                        .step_collecting(Collect::AccountId)
                        .map_or(SetupScreen::Account, |s| SetupScreen::Step(s.code.clone())),
                )
            }
            outcome::Step::Features => has_kind(ItemKind::Feature),
            outcome::Step::IntegrationRecord => profile
                .step_collecting(Collect::Secret(Field::ConsumerKey))
                .or_else(|| profile.step_collecting(Collect::ClientId)),
            outcome::Step::Role => has_kind(ItemKind::Permission)
                .or_else(|| profile.steps.iter().find(|s| s.page == Some(Page::ManageRoles))),
            outcome::Step::UserRole => profile
                .steps
                .iter()
                .find(|s| matches!(s.page, Some(Page::ManageUsers | Page::Employees)))
                .or_else(|| has_kind(ItemKind::Permission)),
            outcome::Step::AccessToken => profile.step_collecting(Collect::Secret(Field::TokenId)),
            outcome::Step::KeyCertificate => profile.step_collecting(Collect::KeyCertificate),
            outcome::Step::Mapping => profile.step_collecting(Collect::CertificateId),
            outcome::Step::Clock | outcome::Step::Network => None,
        };
        found.map(|s| SetupScreen::Step(s.code.clone()))
    }

    pub(super) fn blocked_reason<S: SecretStore>(&self, connections: &Connections<S>) -> Option<String> {
        let (screens, i) = self.index();
        let screen = &screens[i];
        let profile = self.profile;
        let needs_account = match screen {
            SetupScreen::Account => true,
            SetupScreen::Step(code) => profile
                .step(code)
                .is_some_and(|s| s.collects.contains(&Collect::AccountId)),
            _ => false,
        };
        if needs_account && self.account().is_none() {
            return Some("Enter the account ID first.".into());
        }
        // NetSuite answered that it has no such account: every later step would be for nothing. (Offline,
        // the check proves nothing either way, and the user may go on.)
        if needs_account
            && self
                .datacenter
                .as_ref()
                .is_some_and(|d| d.status == crate::netsuite::client::DatacenterStatus::NotFound)
        {
            return Some(format!(
                "NetSuite does not know account {}: correct it first.",
                self.account().map(|a| a.id().to_string()).unwrap_or_default()
            ));
        }
        match screen {
            SetupScreen::Step(code) => {
                let step = profile.step(code)?;
                // A step done on the connector's own site is one the wizard cannot see: its ticks are the
                // only word that it is done, so the last one waits for all of them.
                if step.place == crate::profiles::Place::Connector
                    && i + 1 == screens.len()
                    && !step.checklist.is_empty()
                {
                    let ticked = self.state.ticks.get(code).map_or(0, |t| {
                        step.checklist.iter().filter(|item| t.contains(&item.key())).count()
                    });
                    if ticked < step.checklist.len() {
                        return Some(format!(
                            "Tick each item as you do it: {ticked} of {} done.",
                            step.checklist.len()
                        ));
                    }
                }
                let connection = self.connection(connections);
                let m2m = key::record(connection.as_ref());
                if step.collects.contains(&Collect::ClientId)
                    && self.client_id_fingerprint(connection.as_ref()).is_none()
                {
                    return Some("Save the Client ID to the keyring first: NetSuite shows it only once.".into());
                }
                if step.collects.contains(&Collect::KeyCertificate) && m2m.is_none() {
                    return Some("Make the key and certificate first, or import yours.".into());
                }
                if step.collects.contains(&Collect::CertificateId)
                    && m2m.and_then(|m| m.certificate.certificate_id.as_ref()).is_none()
                {
                    return Some("Enter the Certificate ID the mapping shows first.".into());
                }
                let missing: Vec<&str> = step
                    .collects
                    .iter()
                    .filter_map(|c| match c {
                        Collect::Secret(f) => Some(*f),
                        _ => None,
                    })
                    .filter(|f| connection.as_ref().and_then(|c| c.fingerprints().get(*f)).is_none())
                    .map(|f| f.label())
                    .collect();
                if !missing.is_empty() {
                    return Some(format!(
                        "Save the {} to the keyring first: NetSuite shows it only once.",
                        missing.join(" and the ")
                    ));
                }
                step.collects
                    .iter()
                    .filter_map(|c| match c {
                        Collect::Secret(f) => Some(CaptureField::from(*f)),
                        Collect::ClientId => Some(CaptureField::ClientId),
                        _ => None,
                    })
                    .find(|f| self.doubt(*f, connection.as_ref()).is_some())
                    .map(|f| {
                        format!(
                            "The {} does not look like NetSuite's: paste it again, or choose Keep it as it is.",
                            f.label()
                        )
                    })
            }
            SetupScreen::Test if profile.signed_test && !self.last_run.as_ref().is_some_and(|r| r.passed) => {
                Some("Run the test and get it to pass first.".into())
            }
            _ => None,
        }
    }

    /// Why the value saved for `field` was doubted, while it is still the value saved (by fingerprint).
    fn doubt(&self, field: CaptureField, connection: Option<&Connection>) -> Option<String> {
        let doubt = self.state.doubtful.get(&field)?;
        let saved = match field.tba() {
            Some(f) => connection.and_then(|c| c.fingerprints().get(f).map(str::to_owned)),
            None => self.client_id_fingerprint(connection),
        };
        (saved.as_deref() == Some(doubt.fingerprint.as_str())).then(|| doubt.why.clone())
    }

    /// OAuth 2.0: the Client ID's fingerprint, from the record once the key made it, else from this setup.
    fn client_id_fingerprint(&self, connection: Option<&Connection>) -> Option<String> {
        key::record(connection)
            .and_then(|m| m.fingerprints.client_id.clone())
            .or_else(|| self.state.client_id.clone())
    }

    /// What the setup's steps collect and the connection does not hold yet, in the steps' order.
    fn missing_secrets(&self, connection: Option<&Connection>) -> Vec<&'static str> {
        let made = key::record(connection);
        self.profile
            .steps
            .iter()
            .flat_map(|s| s.collects.iter())
            .filter_map(|c| match c {
                Collect::Secret(f) => connection
                    .and_then(|c| c.fingerprints().get(*f))
                    .is_none()
                    .then(|| f.label()),
                Collect::ClientId => self.client_id_fingerprint(connection).is_none().then_some("Client ID"),
                Collect::KeyCertificate => made.is_none().then_some("private key"),
                Collect::CertificateId => made
                    .and_then(|m| m.certificate.certificate_id.as_ref())
                    .is_none()
                    .then_some("Certificate ID"),
                _ => None,
            })
            .collect()
    }

    pub(super) fn current_screen<S: SecretStore>(&self, connections: &Connections<S>) -> Option<ScreenView> {
        let (screens, i) = self.index();
        let screen = &screens[i];
        let id = screen.as_str();
        let profile = self.profile;
        let state = &self.state;
        let account = self.account();
        let connection = self.connection(connections);
        let link = |page: Page, id: &str, hint: Option<String>| {
            account.as_ref().map(|a| PageLink {
                id: id.to_string(),
                title: page.title().into(),
                url: deep_link(a, page).to_string(),
                hint,
            })
        };
        let mut view = ScreenView::blank(id, ScreenBody::empty(screen.kind()).unwrap_or(ScreenBody::Info), None);
        match screen {
            SetupScreen::Account => {
                view.heading = "Your NetSuite account ID".into();
                view.short_title = "Account ID".into();
                view.collects_account = true;
                view.instructions = vec![
                    "Paste your account ID, or the address of any NetSuite page of the account: the wizard works out the rest.".into(),
                    "NetSuite shows the ID at Setup > Company > Company Information, in the Account ID field.".into(),
                ];
                view.menu_path = Some("Setup > Company > Company Information".into());
                view.page = link(Page::CompanyInformation, "page", None);
            }
            SetupScreen::Step(code) => {
                let step = profile.step(code)?;
                view.code = Some(step.code.clone());
                view.heading = step.heading();
                view.short_title = step.short_title.clone();
                view.place = Some(step.place);
                view.menu_path = step.menu_path.clone();
                view.page = step.page.and_then(|p| link(p, "page", step.open_hint.clone()));
                view.also_open = step
                    .also_open
                    .iter()
                    .enumerate()
                    .filter_map(|(n, a)| {
                        link(a.page, &format!("also:{n}"), a.hint.clone()).map(|mut l| {
                            l.title = a.label.clone();
                            l
                        })
                    })
                    .collect();
                view.instructions = step.instructions.clone();
                view.tips = step.tips.clone();
                let ticks = state.ticks.get(id);
                view.checklist = step
                    .checklist
                    .iter()
                    .map(|i| {
                        let key = i.key();
                        ItemView {
                            checked: ticks.is_some_and(|t| t.contains(&key)),
                            picked: !i.selectable || state.picked.contains(&key),
                            key,
                            label: i.label.clone(),
                            kind: i.kind,
                            subtab: i.subtab.clone(),
                            section: i.section.clone(),
                            state: i.state.map(|s| crate::serde_name(&s)),
                            level: i.level.map(|l| crate::serde_name(&l)),
                            value: i.value.clone(),
                            tip: i.tip.clone(),
                            selectable: i.selectable,
                        }
                    })
                    .collect();
                view.collects_account = step.collects.contains(&Collect::AccountId);
                view.captures = step
                    .collects
                    .iter()
                    .filter_map(|c| match c {
                        Collect::Secret(f) => Some(CaptureView {
                            field: CaptureField::from(*f),
                            label: f.label(),
                            fingerprint: connection
                                .as_ref()
                                .and_then(|c| c.fingerprints().get(*f).map(str::to_owned)),
                            doubt: self.doubt(CaptureField::from(*f), connection.as_ref()),
                        }),
                        Collect::ClientId => Some(CaptureView {
                            field: CaptureField::ClientId,
                            label: CaptureField::ClientId.label(),
                            fingerprint: self.client_id_fingerprint(connection.as_ref()),
                            doubt: self.doubt(CaptureField::ClientId, connection.as_ref()),
                        }),
                        _ => None,
                    })
                    .collect();
                let m2m = key::record(connection.as_ref());
                let card = connection
                    .as_ref()
                    .and_then(|c| crate::flow::cards::certificate_card(c, std::time::SystemTime::now()));
                if step.collects.contains(&Collect::KeyCertificate) {
                    view.key = Some(KeyView {
                        algorithms: AlgorithmChoice::all(Algorithm::default()),
                        certificate: card.clone(),
                        key_fingerprint: m2m.and_then(|m| m.fingerprints.private_key.clone()),
                        file: state.certificate_file.clone(),
                    });
                }
                if step.collects.contains(&Collect::CertificateId) {
                    view.certificate_id = Some(CertificateIdView {
                        value: m2m.and_then(|m| m.certificate.certificate_id.clone()),
                        certificate: card,
                        file: state.certificate_file.clone(),
                        upload_by_api: false,
                    });
                }
                if profile.hand_off.step.as_deref() == Some(id) {
                    view.body = ScreenBody::Step {
                        handoff: self.handoff(connections),
                    };
                }
            }
            SetupScreen::Test => {
                view.heading = if profile.signed_test {
                    "Test the connection".into()
                } else {
                    "Check the account".into()
                };
                view.short_title = "Test".into();
                view.body = ScreenBody::Test {
                    test: Box::new(TestView {
                        signed_test: profile.signed_test,
                        note: profile.signed_test_note.clone(),
                        missing: self.missing_secrets(connection.as_ref()),
                        last: self.last_run.clone(),
                    }),
                };
            }
            SetupScreen::Handoff => {
                view.heading = profile.hand_off.title.clone();
                view.short_title = "Hand-off".into();
                view.body = ScreenBody::Handoff {
                    handoff: self.handoff(connections),
                };
            }
        }
        Some(view)
    }
}
