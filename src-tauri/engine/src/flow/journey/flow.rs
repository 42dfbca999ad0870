//! A journey as one of the wizard's flows: its screens' ticks, Next, Back and Go to, the values it
//! captures, its test and its view, each dispatched to the journey's kind where kinds differ.

use super::kinds::{self, OldValues};
use super::{JourneyRun, JourneyScreen};
use crate::flow::interface::Flow;
use crate::flow::plan::{Plan, Purpose, Stamp};
use crate::flow::view::{
    account_view, bad, connector_link, not_now, profile_info, rail_status, set_tick, CauseView, JourneyControls,
    PageLink, ProbeLine, ScreenInfo, ScreenView, TestRun, View, WizardError,
};
use crate::keep::connections::Connections;
use crate::keep::secrets::CaptureField;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::{Outcome, Report};
use crate::profiles::journeys::texts;

impl<S: SecretStore> Flow<S> for JourneyRun {
    fn tick(
        &mut self,
        connections: &Connections<S>,
        screen: &str,
        key: &str,
        checked: bool,
    ) -> Result<(), WizardError> {
        let view = JourneyScreen::parse(screen)
            .and_then(|s| self.screen_view(connections, s))
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        if !view.checklist.iter().any(|i| i.key == key) {
            return Err(bad("That item is not on this step's checklist."));
        }
        set_tick(&mut self.state.ticks, screen, key, checked);
        if kinds::of(self.state.journey).tick_voids_test(screen, key) {
            self.state.kind.forget_test();
            self.last_run = None;
        }
        self.save(connections)
    }

    fn advance(&mut self, connections: &Connections<S>) -> Result<bool, WizardError> {
        let (list, i) = self
            .index(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if let Some(reason) = self.blocked(connections) {
            return Err(bad(reason));
        }
        let (r, profile, _) = self
            .parts(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let screen = list[i];
        if !r.promoted && kinds::of(r.journey).promotion_screen(profile) == Some(screen) {
            self.promote_new(connections)?;
        }
        if i + 1 >= list.len() {
            return Ok(true);
        }
        self.state.done.insert(screen);
        self.state.screen = list[i + 1];
        self.save(connections)?;
        Ok(false)
    }

    fn back(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        let (list, i) = self
            .index(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if i > self.first_reachable(connections) {
            self.state.screen = list[i - 1];
            self.save(connections)?;
        }
        Ok(())
    }

    fn goto(&mut self, connections: &Connections<S>, screen: &str) -> Result<(), WizardError> {
        let (list, _) = self
            .index(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let target = JourneyScreen::parse(screen)
            .and_then(|s| list.iter().position(|l| *l == s))
            .ok_or_else(|| bad(format!("There is no step {screen}.")))?;
        let first_open = list
            .iter()
            .position(|s| !self.state.done.contains(s))
            .unwrap_or(list.len() - 1);
        if target > first_open || target < self.first_reachable(connections) {
            return Err(not_now("That step cannot be reached from here."));
        }
        self.state.screen = list[target];
        self.save(connections)
    }

    fn capture(
        &mut self,
        connections: &Connections<S>,
        field: CaptureField,
        raw: &str,
    ) -> Result<Vec<String>, WizardError> {
        let r = &self.state;
        // A move to OAuth 2.0 takes the Client ID NetSuite shows, where it is not the consumer key.
        let moving_client_id = kinds::of(r.journey).switches_method() && field == CaptureField::ClientId;
        let asked = moving_client_id
            || kinds::of(r.journey)
                .pair()
                .is_some_and(|p| p.iter().any(|f| CaptureField::from(*f) == field));
        if r.promoted || !asked {
            return Err(bad(format!("The {} is not asked for here.", field.label())));
        }
        let warnings = if moving_client_id {
            connections.migrate_client_id(&r.connection_id, raw)?.1
        } else {
            connections.capture(&r.connection_id, Slot::Pending, field, raw)?.2
        };
        self.state.kind.forget_test();
        // A confirmation of the connector's own test was about the values before this capture.
        self.state.ticks.remove(JourneyScreen::Handoff.as_str());
        self.last_run = None;
        self.save(connections)?;
        Ok(warnings)
    }

    /// The signed test of the new values, as the journey's kind makes it.
    fn test_plan(&self, connections: &Connections<S>) -> Result<Plan, WizardError> {
        let (r, profile, connection) = self
            .parts(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let test = kinds::of(r.journey).test_plan(self, profile, &connection)?;
        Ok(Plan::of_test(connections, &connection, test, Purpose::Test)?)
    }

    // The new values, staged beside those they replace, are what every journey's test signs with.
    // (The old values' check is `JourneyRun::old_check_plan`.)
    fn stamp(&self, connections: &Connections<S>) -> Stamp {
        self.parts(connections)
            .map_or(Stamp::Unkept, |(_, _, c)| Stamp::of(&c, Slot::Pending))
    }

    fn record_test(
        &mut self,
        connections: &Connections<S>,
        mut report: Report,
        probes: Vec<ProbeLine>,
    ) -> Result<(), WizardError> {
        let (list, _) = self
            .index(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let (r, _, connection) = self
            .parts(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        let journey = r.journey;
        // The token under test is brand new: a refresh of the sandbox is not why it fails.
        report.causes.retain(|c| c.id != "sandbox_refresh");
        let causes = report
            .causes
            .iter()
            .map(|c| {
                let screen = kinds::of(journey).revisit(c.step);
                CauseView {
                    id: c.id,
                    message: c.message.clone(),
                    screen_code: screen
                        .and_then(|s| list.iter().position(|l| *l == s))
                        .map(|i| self.code(i)),
                    screen: screen.map(String::from),
                }
            })
            .collect();
        let passed = report.outcome == Outcome::Success && probes.iter().all(|p| p.outcome == Outcome::Success);
        self.state.kind.tested(&connection, passed);
        self.last_run = Some(TestRun {
            report,
            causes,
            probes,
            passed,
        });
        self.save(connections)
    }

    fn view(&self, connections: &Connections<S>, notice: Option<String>) -> Option<View> {
        let (r, profile, connection) = self.parts(connections)?;
        let (list, index) = self.index(connections)?;
        let account = Account::parse(&connection.account).ok()?;
        let first = self.first_reachable(connections);
        let infos = list
            .iter()
            .enumerate()
            .map(|(i, s)| ScreenInfo {
                id: s.as_str().to_string(),
                kind: s.kind(),
                code: Some(self.code(i)),
                short_title: texts().short_title(s.as_str()).into(),
                done: r.done.contains(s),
                status: rail_status(i == index, r.done.contains(s)),
            })
            .collect();
        let blocked_reason = self.blocked(connections);
        let promotes = !r.promoted && kinds::of(r.journey).promotion_screen(profile) == Some(list[index]);
        let kind = kinds::of(r.journey);
        // Next from here leads to the step that stops the running integration: asked first.
        let warn_next = !r.promoted
            && kind
                .stops_integration()
                .is_some_and(|s| list.get(index + 1) == Some(&s));
        let controls = texts().controls(r.journey.key()).map(|w| {
            JourneyControls::of(
                w,
                r.promoted || !kind.stages(),
                !r.promoted && kind.refuse_stop(r, &connection).is_some(),
                warn_next,
            )
        });
        Some(View {
            active: true,
            journey: r.journey,
            journey_title: Some(r.journey.title().into()),
            promoted: r.promoted,
            profile: Some(profile_info(profile)),
            account: Some(account_view(&account, None)),
            connection: Some(connection),
            screens: infos,
            current: self.screen_view(connections, list[index]),
            progress: self.progress(index, list.len()),
            can_back: index > first,
            can_next: blocked_reason.is_none(),
            next_label: if promotes {
                kinds::of(r.journey).promote_label()
            } else if index + 1 >= list.len() {
                "Finish"
            } else {
                "Next"
            },
            blocked_reason,
            notice,
            controls,
        })
    }

    fn current(&self, connections: &Connections<S>) -> Option<ScreenView> {
        let (list, index) = self.index(connections)?;
        self.screen_view(connections, list[index])
    }

    fn account(&self, connections: &Connections<S>) -> Option<Account> {
        let (_, _, c) = self.parts(connections)?;
        Account::parse(&c.account).ok()
    }

    /// During a journey the hand-off gives the new values: the active set with the pending ones over
    /// it; a hand-off again gives the active set.
    fn copy_source(&self) -> Option<(String, Slot)> {
        let slot = if kinds::of(self.state.journey).hands_over_active() {
            Slot::Active
        } else {
            Slot::Pending
        };
        Some((self.state.connection_id.clone(), slot))
    }

    fn last_run(&self) -> Option<&TestRun> {
        self.last_run.as_ref()
    }

    fn connector_link(&self, connections: &Connections<S>) -> Option<PageLink> {
        connector_link(self.parts(connections)?.1)
    }
}

/// The check that NetSuite refuses the values a journey replaced: the old token's, or the old key's with
/// its old Certificate ID. Not part of `Flow`: only a journey has old values.
impl JourneyRun {
    pub(crate) fn old_check_plan<S: SecretStore>(&self, connections: &Connections<S>) -> Result<Plan, WizardError> {
        match kinds::of(self.state.journey).old_values() {
            OldValues::TokenSet => self.old_token_plan(connections),
            OldValues::KeyAndMapping => self.old_key_plan(connections),
            OldValues::MovedToken => self.moved_token_plan(connections),
        }
    }

    pub(crate) fn record_old_check<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        report: &Report,
    ) -> Result<(), WizardError> {
        match kinds::of(self.state.journey).old_values() {
            OldValues::TokenSet => self.record_old_token_check(connections, report),
            OldValues::KeyAndMapping => self.record_old_key_check(connections, report),
            OldValues::MovedToken => self.record_moved_token_check(connections, report),
        }
    }
}
