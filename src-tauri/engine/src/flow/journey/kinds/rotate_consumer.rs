//! "Reset the consumer key": the integration record's Reset, which stops the old pair at once, then the
//! test and the hand-off of the new one.

use super::JourneyKind;
use crate::flow::journey::JourneyScreen;
use crate::keep::secrets::Field;
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

    fn capture_screen(&self) -> JourneyScreen {
        JourneyScreen::Reset
    }

    /// Only where the consumer pair is the user's own: Celigo's is Celigo's.
    fn offered(&self, facts: &super::CardFacts) -> bool {
        facts.auth == self.auth() && facts.signed
    }

    fn revisit(&self, step: Step) -> Option<JourneyScreen> {
        (step == Step::IntegrationRecord).then_some(JourneyScreen::Reset)
    }
}
