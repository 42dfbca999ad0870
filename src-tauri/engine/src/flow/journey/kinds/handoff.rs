//! "Hand off again": the values in use, shown for the connector once more; nothing new is made.

use super::JourneyKind;
use crate::flow::journey::JourneyScreen;
use crate::profiles::ConnectorProfile;

pub(crate) struct Handoff;

impl JourneyKind for Handoff {
    fn screens(&self, _: &ConnectorProfile) -> Vec<JourneyScreen> {
        vec![JourneyScreen::Handoff]
    }

    fn hands_over_active(&self) -> bool {
        true
    }
}
