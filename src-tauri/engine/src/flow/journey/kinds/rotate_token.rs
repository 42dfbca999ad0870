//! "Replace the access token": a new token beside the one in use, tested (where the connector lets the
//! wizard test), made active, handed over, and the old one revoked.

use super::token::same_pair;
use super::JourneyKind;
use crate::flow::journey::{JourneyRun, JourneyScreen};
use crate::flow::plan::{Plan, Purpose, TestPlan};
use crate::flow::view::{bad, not_now, OldTokenCheck, WizardError};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{Field, SecretSet};
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::{Outcome, Report, Step};
use crate::profiles::ConnectorProfile;

pub(crate) struct RotateToken;

impl JourneyKind for RotateToken {
    fn screens(&self, profile: &ConnectorProfile) -> Vec<JourneyScreen> {
        use JourneyScreen::*;
        let mut v = vec![Why, NewToken];
        if profile.signed_test {
            v.push(Test);
        }
        v.push(Handoff);
        v.push(Revoke);
        v
    }

    /// Where the connector runs the signed test itself (Celigo), the new token becomes the one in use
    /// when it is handed over.
    fn promotion_screen(&self, profile: &ConnectorProfile) -> Option<JourneyScreen> {
        Some(if profile.signed_test {
            JourneyScreen::Test
        } else {
            JourneyScreen::Handoff
        })
    }

    fn pair(&self) -> Option<[Field; 2]> {
        Some([Field::TokenId, Field::TokenSecret])
    }

    fn names_new_token(&self) -> bool {
        true
    }

    fn retires_old_token(&self) -> bool {
        true
    }

    fn revisit(&self, step: Step) -> Option<JourneyScreen> {
        (step == Step::AccessToken).then_some(JourneyScreen::NewToken)
    }
}

/// What a signed call with a replaced token said: `refused`, `accepted` or `unknown`, in words.
pub(super) fn old_token_verdict(report: &Report) -> (&'static str, String) {
    match report.outcome {
        Outcome::CredentialsRefused => (
            "refused",
            "NetSuite refused the old token: it no longer works, as intended.".to_string(),
        ),
        Outcome::Success | Outcome::PermissionMissing => (
            "accepted",
            "NetSuite still accepts the old token: it is not revoked yet. Revoke it (Edit, then Revoke) and check \
             again."
                .to_string(),
        ),
        _ => ("unknown", format!("No clear answer from NetSuite: {}", report.summary)),
    }
}

/// The check that NetSuite refuses the token this journey replaced, with the copy of it kept (retired
/// slot) until the journey ends.
impl JourneyRun {
    /// The old set, for the signed call that proves NetSuite now refuses it.
    pub(crate) fn old_token_plan<S: SecretStore>(&self, connections: &Connections<S>) -> Result<Plan, WizardError> {
        let (r, profile, connection) = self
            .parts(connections)
            .ok_or_else(|| not_now("No replacement is under way."))?;
        if !super::of(r.journey).retires_old_token() || !r.promoted || !profile.signed_test {
            return Err(bad("There is no old token to check here."));
        }
        // Only ever sign with the set this journey replaced, never by mistake with the new one.
        let kept = connections
            .vault
            .read::<SecretSet>(&connection.id, Slot::Retired)
            .map_err(ConnectionError::from)?
            .fingerprints();
        if !same_pair(r.journey, &kept, &r.token().old) {
            return Err(bad(
                "The old token is no longer kept in the keyring, so it cannot be checked from here. NetSuite's Access \
                 Tokens list shows whether it is revoked.",
            ));
        }
        let account = Account::parse(&connection.account).map_err(|e| bad(e.to_string()))?;
        let test = TestPlan {
            account,
            slot: Slot::Retired,
            signed: true,
            probes: vec![],
        };
        Ok(Plan::of_test(connections, &connection, test, Purpose::OldCheck)?)
    }

    pub(crate) fn record_old_token_check<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        report: &Report,
    ) -> Result<(), WizardError> {
        let (result, summary) = old_token_verdict(report);
        self.keep_old_check(connections, result, summary)
    }

    /// Saves what the call with the replaced values said: `refused`, `accepted` or `unknown`, in words.
    pub(in crate::flow::journey) fn keep_old_check<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        result: &str,
        summary: String,
    ) -> Result<(), WizardError> {
        self.state.old_check = Some(OldTokenCheck {
            result: result.into(),
            summary,
            at: crate::keep::store::now_rfc3339(),
        });
        self.save(connections)
    }
}
