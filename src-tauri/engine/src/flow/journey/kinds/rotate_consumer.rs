//! "Reset the consumer key": the integration record's Reset, which stops the old pair at once, then the
//! test and the hand-off of the new one.

use super::JourneyKind;
use crate::flow::journey::{JourneyScreen, RotationState};
use crate::flow::view::{bad, Journey, WizardError};
use crate::keep::secrets::Field;
use crate::keep::store::Connection;
use crate::netsuite::outcome::Step;
use crate::profiles::ConnectorProfile;

pub(crate) struct RotateConsumer;

impl JourneyKind for RotateConsumer {
    fn screens(&self, _: &ConnectorProfile) -> Vec<JourneyScreen> {
        use JourneyScreen::*;
        vec![Why, Reset, Test, Handoff]
    }

    fn promotion_screen(&self, _: &ConnectorProfile) -> Option<JourneyScreen> {
        Some(JourneyScreen::Test)
    }

    fn pair(&self) -> Option<[Field; 2]> {
        Some([Field::ConsumerKey, Field::ConsumerSecret])
    }

    fn start(
        &self,
        journey: Journey,
        connection: &Connection,
        profile: &ConnectorProfile,
    ) -> Result<RotationState, WizardError> {
        if !profile.signed_test {
            return Err(bad(format!(
                "{}'s consumer key and secret belong to {} and are not stored here: there is nothing to reset on \
                 your side. Replace the access token instead.",
                profile.short_name, profile.short_name
            )));
        }
        super::token::start_state(journey, connection, profile)
    }

    fn refuse_stop(&self, r: &RotationState, connection: &Connection) -> Option<String> {
        let staged = &connection.pending_fingerprints();
        let complete = self.pair()?.iter().all(|f| staged.get(*f).is_some());
        // NetSuite stopped accepting the old consumer key at the reset: the new pair may be the only one
        // that works, so it is not thrown away by stopping.
        (!r.promoted && complete).then(|| {
            "NetSuite stopped accepting the old consumer key when you reset it, so the new values are kept: run \
             the test and use them. If they were pasted wrong, discard them and paste the newest ones."
                .to_string()
        })
    }

    fn capture_screen(&self) -> JourneyScreen {
        JourneyScreen::Reset
    }

    /// NetSuite refuses the old consumer key from the moment of the reset.
    fn stops_integration(&self) -> Option<JourneyScreen> {
        Some(JourneyScreen::Reset)
    }

    /// Only where the consumer pair is the user's own: Celigo's is Celigo's.
    fn offered(&self, facts: &super::CardFacts) -> bool {
        facts.auth == self.auth() && facts.signed
    }

    fn revisit(&self, step: Step) -> Option<JourneyScreen> {
        (step == Step::IntegrationRecord).then_some(JourneyScreen::Reset)
    }
}
