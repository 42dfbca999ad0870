//! "Replace the access token": a new token beside the one in use, tested (where the connector lets the
//! wizard test), made active, handed over, and the old one revoked.

use super::JourneyKind;
use crate::flow::journey::JourneyScreen;
use crate::keep::secrets::Field;
use crate::netsuite::outcome::Step;
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

    fn revisit(&self, step: Step) -> Option<JourneyScreen> {
        (step == Step::AccessToken).then_some(JourneyScreen::NewToken)
    }
}
