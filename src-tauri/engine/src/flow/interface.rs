//! The one small interface both flows implement, so the wizard dispatches each action once, to
//! whichever flow is active, and neither flow knows the other exists.

use crate::flow::plan::{Plan, Stamp};
use crate::flow::view::{PageLink, ProbeLine, ScreenView, TestRun, View, WizardError};
use crate::keep::connections::Connections;
use crate::keep::secrets::CaptureField;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::Report;

/// A flow of screens on one connection: the first setup, or a journey after it. Each action saves
/// the flow's progress file itself; the wizard renders the view afterwards.
pub(crate) trait Flow<S: SecretStore> {
    fn tick(&mut self, connections: &Connections<S>, screen: &str, key: &str, checked: bool)
        -> Result<(), WizardError>;
    /// Marks the screen done and moves on; `true` when that Next was the flow's last (it ends).
    fn advance(&mut self, connections: &Connections<S>) -> Result<bool, WizardError>;
    fn back(&mut self, connections: &Connections<S>) -> Result<(), WizardError>;
    fn goto(&mut self, connections: &Connections<S>, screen: &str) -> Result<(), WizardError>;
    /// Stores a pasted secret in the slot this flow fills; returns the capture's warnings.
    fn capture(
        &mut self,
        connections: &Connections<S>,
        field: CaptureField,
        raw: &str,
    ) -> Result<Vec<String>, WizardError>;
    /// A value the capture warned about, kept as it is: the flow stops waiting for it to be pasted again.
    /// Only the setup keeps such doubts; elsewhere there is nothing to do.
    fn keep_as_is(&mut self, _connections: &Connections<S>, _field: CaptureField) -> Result<(), WizardError> {
        Ok(())
    }
    /// The screen's test, with what signs it read from the keyring now.
    fn test_plan(&self, connections: &Connections<S>) -> Result<Plan, WizardError>;
    /// What this flow's test signs with now, to spot values changed mid-test.
    fn stamp(&self, connections: &Connections<S>) -> Stamp;
    fn record_test(
        &mut self,
        connections: &Connections<S>,
        report: Report,
        probes: Vec<ProbeLine>,
    ) -> Result<(), WizardError>;
    /// `None` when the flow's connection cannot be read right now.
    fn view(&self, connections: &Connections<S>, notice: Option<String>) -> Option<View>;
    fn current(&self, connections: &Connections<S>) -> Option<ScreenView>;
    fn account(&self, connections: &Connections<S>) -> Option<Account>;
    /// The connection and keyring slot whose values the hand-off copies.
    fn copy_source(&self) -> Option<(String, Slot)>;
    fn last_run(&self) -> Option<&TestRun>;
    fn connector_link(&self, connections: &Connections<S>) -> Option<PageLink>;
}
