//! A setup as one of the wizard's flows, and as the host of the key part.

use super::{Doubt, Setup, SetupScreen};
use crate::flow::interface::Flow;
use crate::flow::parts::key::KeyHost;
use crate::flow::plan::{Plan, Purpose, Stamp, TestPlan};
use crate::flow::view::{
    account_view, bad, connector_link, not_now, profile_info, rail_status, set_tick, CauseView, Journey, PageLink,
    ProbeLine, ScreenInfo, ScreenView, TestRun, View, WizardError,
};
use crate::keep::connections::{method, Connections};
use crate::keep::secrets::CaptureField;
use crate::keep::store::Connection;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::{self, Outcome, Report};
use std::path::PathBuf;

impl<S: SecretStore> KeyHost<S> for Setup {
    fn key_place(&self, connections: &Connections<S>) -> Result<(Connection, Slot), WizardError> {
        Ok((self.m2m_connection(connections)?, Slot::Active))
    }

    fn set_certificate_file(&mut self, file: Option<String>) {
        self.state.certificate_file = file;
    }

    fn certificate_file(&self) -> Option<PathBuf> {
        self.state.certificate_file.as_deref().map(PathBuf::from)
    }

    fn forget_tested(&mut self, _: bool) {
        self.last_run = None;
    }

    fn save_progress(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        self.save(connections)
    }
}

impl<S: SecretStore> Flow<S> for Setup {
    fn tick(
        &mut self,
        connections: &Connections<S>,
        screen: &str,
        key: &str,
        checked: bool,
    ) -> Result<(), WizardError> {
        let step = self
            .profile
            .step(screen)
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        if !step.checklist.iter().any(|i| i.key() == key) {
            return Err(bad("That item is not on this step's checklist."));
        }
        set_tick(&mut self.state.ticks, screen, key, checked);
        self.save(connections)
    }

    fn advance(&mut self, connections: &Connections<S>) -> Result<bool, WizardError> {
        let (screens, i) = self.index();
        if let Some(reason) = self.blocked_reason(connections) {
            return Err(bad(reason));
        }
        self.state.done.insert(screens[i].clone());
        if let Some(next) = screens.get(i + 1) {
            self.state.screen = next.clone();
        }
        self.save(connections)?;
        // A setup is never ended by its last Next: its hand-off stays on display until the user leaves.
        Ok(false)
    }

    fn back(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        let (screens, i) = self.index();
        if i > 0 {
            self.state.screen = screens[i - 1].clone();
            self.save(connections)?;
        }
        Ok(())
    }

    /// Jumps to a screen already reached (done, or the first not yet done), e.g. "Go to AS-4" after a
    /// failed test.
    fn goto(&mut self, connections: &Connections<S>, screen: &str) -> Result<(), WizardError> {
        let (screens, _) = self.index();
        let wanted = self.parse_screen(screen)?;
        let target = screens.iter().position(|s| *s == wanted).unwrap_or(0);
        let first_open = screens
            .iter()
            .position(|s| !self.state.done.contains(s))
            .unwrap_or(screens.len() - 1);
        if target > first_open {
            return Err(not_now("Finish the steps before it first."));
        }
        self.state.screen = wanted;
        self.save(connections)
    }

    fn capture(
        &mut self,
        connections: &Connections<S>,
        field: CaptureField,
        raw: &str,
    ) -> Result<Vec<String>, WizardError> {
        let id = self
            .state
            .connection_id
            .clone()
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        let (_, fingerprint, warnings) = connections.capture(&id, Slot::Active, field, raw)?;
        self.last_run = None;
        if warnings.is_empty() {
            self.state.doubtful.remove(&field);
        } else {
            let why = warnings.join(" ");
            self.state.doubtful.insert(
                field,
                Doubt {
                    fingerprint: fingerprint.clone(),
                    why,
                },
            );
        }
        if field == CaptureField::ClientId {
            // Kept here too: an OAuth 2.0 record holds it only once the key is made.
            self.state.client_id = Some(fingerprint);
        }
        self.save(connections)?;
        Ok(warnings)
    }

    fn keep_as_is(&mut self, connections: &Connections<S>, field: CaptureField) -> Result<(), WizardError> {
        if self.state.doubtful.remove(&field).is_some() {
            self.save(connections)?;
        }
        Ok(())
    }

    fn test_plan(&self, connections: &Connections<S>) -> Result<Plan, WizardError> {
        let account = self.account().ok_or_else(|| not_now("Enter the account ID first."))?;
        let id = self.connection_id_or_account_first()?;
        let connection = connections.sync(&id)?;
        let test = TestPlan {
            account,
            slot: Slot::Active,
            signed: self.profile.signed_test,
            probes: self.picked_probes(),
        };
        Ok(Plan::of_test(connections, &connection, test, Purpose::Test)?)
    }

    fn stamp(&self, connections: &Connections<S>) -> Stamp {
        self.connection(connections)
            .map_or(Stamp::Unkept, |c| Stamp::of(&c, Slot::Active))
    }

    fn record_test(
        &mut self,
        connections: &Connections<S>,
        mut report: Report,
        probes: Vec<ProbeLine>,
    ) -> Result<(), WizardError> {
        if let (Some(account), Some(connection)) = (self.account(), self.connection(connections)) {
            let clears = method::describe(connection.kind()).refresh_clears();
            outcome::recognise_sandbox_refresh(&mut report, &account, connection.last_success_at.as_deref(), clears);
            connections.explain_m2m_refusal(&connection, &mut report);
        }
        let id = self
            .state
            .connection_id
            .clone()
            .ok_or_else(|| not_now("Enter the account ID first."))?;
        connections.record_test_id(&id, &report)?;
        let causes = report
            .causes
            .iter()
            .map(|c| {
                let screen = self.screen_for(c.step);
                CauseView {
                    id: c.id,
                    message: c.message.clone(),
                    screen_code: match &screen {
                        Some(SetupScreen::Step(code)) => self.profile.step(code).map(|st| st.code.clone()),
                        _ => None,
                    },
                    screen: screen.map(String::from),
                }
            })
            .collect();
        let passed = report.outcome == Outcome::Success && probes.iter().all(|p| p.outcome == Outcome::Success);
        self.state.last_outcome = Some(if report.outcome == Outcome::Success && !passed {
            Outcome::PermissionMissing
        } else {
            report.outcome
        });
        self.last_run = Some(TestRun {
            report,
            causes,
            probes,
            passed,
        });
        self.save(connections)
    }

    fn view(&self, connections: &Connections<S>, notice: Option<String>) -> Option<View> {
        let profile = self.profile;
        let state = &self.state;
        let (screens, index) = self.index();
        let infos = screens
            .iter()
            .enumerate()
            .map(|(i, screen)| {
                let step = match screen {
                    SetupScreen::Step(code) => profile.step(code),
                    _ => None,
                };
                ScreenInfo {
                    id: screen.as_str().to_string(),
                    kind: screen.kind(),
                    code: step.map(|s| s.code.clone()),
                    short_title: match screen {
                        SetupScreen::Account => "Account ID".into(),
                        SetupScreen::Test if profile.signed_test => "Test".into(),
                        SetupScreen::Test => "Check account".into(),
                        SetupScreen::Handoff => "Hand-off".into(),
                        SetupScreen::Step(_) => step.map(|s| s.short_title.clone()).unwrap_or_default(),
                    },
                    done: state.done.contains(screen),
                    status: rail_status(i == index, state.done.contains(screen)),
                }
            })
            .collect();
        let progress = match &screens[index] {
            SetupScreen::Step(code) => profile.progress(code).unwrap_or_default(),
            SetupScreen::Account => format!("{} · account", profile.code_prefix),
            SetupScreen::Test => format!("{} · test", profile.code_prefix),
            SetupScreen::Handoff => format!("{} · hand-off", profile.code_prefix),
        };
        let blocked_reason = self.blocked_reason(connections);
        Some(View {
            active: true,
            journey: Journey::Setup,
            journey_title: None,
            promoted: false,
            profile: Some(profile_info(profile)),
            account: self.account().map(|a| account_view(&a, self.datacenter.clone())),
            connection: self.connection(connections),
            screens: infos,
            current: self.current_screen(connections),
            progress,
            can_back: index > 0,
            // On the last screen "Next" is Finish, which marks it done.
            can_next: blocked_reason.is_none(),
            next_label: if index + 1 >= screens.len() { "Finish" } else { "Next" },
            blocked_reason,
            notice,
            controls: None,
        })
    }

    fn current(&self, connections: &Connections<S>) -> Option<ScreenView> {
        self.current_screen(connections)
    }

    fn account(&self, _: &Connections<S>) -> Option<Account> {
        Setup::account(self)
    }

    fn copy_source(&self) -> Option<(String, Slot)> {
        Some((self.state.connection_id.clone()?, Slot::Active))
    }

    fn last_run(&self) -> Option<&TestRun> {
        self.last_run.as_ref()
    }

    fn connector_link(&self, _: &Connections<S>) -> Option<PageLink> {
        connector_link(self.profile)
    }
}
