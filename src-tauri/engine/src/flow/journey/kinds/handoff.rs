//! "Hand off again": the values in use, shown for the connector once more; nothing new is made. For an
//! OAuth 2.0 connection, the Client ID, Certificate ID, algorithm and scope, and the private key by
//! export or timed copy: how a renewed key reaches the system that runs the integration.

use super::JourneyKind;
use crate::flow::journey::{JourneyRun, JourneyScreen, RotationState};
use crate::flow::view::{bad, handoff_view, Journey, ScreenBody, ScreenView, WizardError};
use crate::keep::store::Connection;
use crate::netsuite::account::Account;
use crate::profiles::{AuthKind, ConnectorProfile};

pub(crate) struct Handoff;

impl JourneyKind for Handoff {
    fn runs_on(&self, _auth: AuthKind) -> bool {
        true
    }

    fn offered(&self, facts: &super::CardFacts) -> bool {
        // An OAuth 2.0 connection has something to hand over once its key is mapped.
        facts.auth == AuthKind::Tba || (facts.complete && facts.mapped)
    }

    fn screens(&self, _: &ConnectorProfile) -> Vec<JourneyScreen> {
        vec![JourneyScreen::Handoff]
    }

    fn hands_over_active(&self) -> bool {
        true
    }

    fn start(
        &self,
        journey: Journey,
        connection: &Connection,
        profile: &ConnectorProfile,
    ) -> Result<RotationState, WizardError> {
        if connection.kind() == AuthKind::Tba {
            return super::token::start_state(journey, connection, profile);
        }
        let record = crate::keep::m2m::m2m_record(connection)?;
        if record.fingerprints.private_key.is_none()
            || record.fingerprints.client_id.is_none()
            || record.certificate.certificate_id.is_none()
        {
            return Err(bad(format!(
                "“{}” has no saved private key, Client ID or Certificate ID yet: finish its setup first.",
                connection.label
            )));
        }
        // Nothing of its own kind is kept: the file has a TBA hand-off's shape, with no old token.
        let now = crate::keep::store::now_rfc3339();
        Ok(RotationState {
            journey,
            connection_id: connection.id.clone(),
            screen: JourneyScreen::Handoff,
            done: Default::default(),
            ticks: Default::default(),
            promoted: false,
            old_check: None,
            kind: super::KindState::Token(Default::default()),
            started_at: now.clone(),
            updated_at: now,
        })
    }

    fn blocked(
        &self,
        run: &JourneyRun,
        screen: JourneyScreen,
        connection: &Connection,
        profile: &ConnectorProfile,
    ) -> Option<String> {
        if connection.kind() == AuthKind::Tba {
            return super::token::blocked(run, screen, connection, profile);
        }
        None
    }

    fn screen_view(
        &self,
        run: &JourneyRun,
        profile: &ConnectorProfile,
        connection: &Connection,
        screen: JourneyScreen,
        code: String,
    ) -> Option<ScreenView> {
        if connection.kind() == AuthKind::Tba {
            return super::token::screen_view(run, profile, connection, screen, code);
        }
        let account = Account::parse(&connection.account).ok()?;
        let mut view = ScreenView::blank(screen.as_str(), ScreenBody::Info, Some(code));
        view.short_title = crate::profiles::journeys::texts().short_title(screen.as_str()).into();
        view.heading = profile.hand_off.title.clone();
        view.body = ScreenBody::Handoff {
            handoff: handoff_view(profile, &account, None, Some(connection), None),
        };
        Some(view)
    }
}
