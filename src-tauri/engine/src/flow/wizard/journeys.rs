//! The wizard's journeys on saved connections: start, end, the token's name, discarding new values, and
//! a certificate replacement's upload and revoke through NetSuite's API.

use super::*;
use crate::flow::journey::ApiCall;

impl<S: SecretStore> Wizard<S> {
    pub fn journey_info(&self) -> Option<JourneyInfo> {
        Some(self.journey.as_ref()?.info(&self.connections))
    }

    /// Begins (or, for the same connection and kind, resumes) a journey on a saved connection.
    pub fn start_journey(&mut self, connection_id: &str, journey: Journey) -> Result<View, WizardError> {
        if self.home.renewing.as_deref() == Some(connection_id) {
            return Err(bad("A renewal is under way on this connection: wait for it to finish."));
        }
        if let Some(j) = &self.journey {
            let r = j.state();
            if r.connection_id == connection_id && r.journey == journey {
                return Ok(self.view());
            }
            let label = self
                .connections
                .get(&r.connection_id)
                .map(|c| c.label)
                .unwrap_or_else(|_| "another connection".into());
            return Err(bad(format!(
                "“{}” for {label} is under way: finish it or stop it before starting another.",
                r.journey.title()
            )));
        }
        self.journey = Some(JourneyRun::start(&self.connections, connection_id, journey)?);
        Ok(self.view())
    }

    /// Ends the journey (see [`JourneyRun::end`] for what is kept). The setup's test result is dropped
    /// too: the journey may have changed the values it was about.
    pub fn end_journey(&mut self) -> Result<View, WizardError> {
        let Some(j) = &self.journey else {
            return Ok(self.view());
        };
        if let Ended::Orphan(notice) = j.end(&self.connections)? {
            self.notice = Some(notice);
        }
        self.journey = None;
        if let Some(s) = self.setup.as_mut() {
            s.last_run = None;
        }
        Ok(self.view())
    }

    /// The name the user gave the new token in NetSuite, so the next rotation can find it to revoke.
    /// In a setup, the name of the token just created, for the same reason.
    pub(super) fn set_new_token_name(&mut self, name: &str) -> Result<(), WizardError> {
        self.require(PartKind::TokenName)?;
        let name = name.trim();
        if let Some(j) = self.journey.as_mut() {
            j.set_new_token_name(&self.connections, name)?;
        } else {
            self.setup
                .as_ref()
                .ok_or_else(|| not_now("Enter the account ID first."))?
                .set_token_name(&self.connections, name)?;
        }
        Ok(())
    }

    /// Throws away the new values captured so far and goes back to capture them again.
    pub(super) fn discard_new(&mut self) -> Result<(), WizardError> {
        let (j, connections) = self.journey_mut()?;
        j.discard_new(connections)
    }

    /// A call through NetSuite's API that the journey on display makes for the user: the new
    /// certificate's upload (marked as sent in the journey's file before it is made, see
    /// `RotationState::upload_sent`) or the old mapping's revoke.
    pub fn api_call(&mut self, action: ApiAction) -> Result<ApiCall, WizardError> {
        let (j, connections) = self
            .certificate_journey_mut()
            .ok_or_else(|| not_now("No certificate replacement is under way."))?;
        match action {
            ApiAction::Upload => j.upload_plan(connections),
            ApiAction::Revoke => j.revoke_plan(connections),
        }
    }

    /// Records what NetSuite answered to an `api_call`.
    pub fn record_api_call(&mut self, call: &ApiCall, answer: ApiAnswer) -> Result<View, WizardError> {
        let (j, connections) = self
            .certificate_journey_mut()
            .ok_or_else(|| not_now("No certificate replacement is under way."))?;
        match answer {
            ApiAnswer::Uploaded { certificate_id } => j.record_upload(connections, call, certificate_id)?,
            ApiAnswer::Revoked { still_active } => j.record_revoke(connections, call, still_active)?,
        }
        Ok(self.view())
    }
}

/// A call through NetSuite's API a journey makes for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiAction {
    /// Upload the new certificate as a mapping like the one in use.
    Upload,
    /// Revoke the old mapping.
    Revoke,
}

/// What NetSuite answered to an `ApiAction`.
pub enum ApiAnswer<'a> {
    /// The new mapping's Certificate ID.
    Uploaded { certificate_id: &'a str },
    /// The mappings still active for the same role and user, as NetSuite's list showed them, if read.
    Revoked { still_active: Option<Vec<String>> },
}
