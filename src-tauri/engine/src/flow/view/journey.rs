//! What the window is shown of a journey on a saved connection: which one, and its revoke step.

use super::*;

/// Which flow a view belongs to: the first setup, or a journey on a saved connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Journey {
    Setup,
    RotateToken,
    RotateConsumer,
    Handoff,
    /// An OAuth 2.0 connection's new key and certificate, beside the ones in use until revoked.
    ReplaceCertificate,
    /// A TBA connection moved to OAuth 2.0 client credentials: the tokens work until the switch.
    MoveToOauth2,
}

/// What a signed call with the old token said after the user revoked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct OldTokenCheck {
    /// `refused` (revoked, as it should be), `accepted` (still works) or `unknown` (no clear answer).
    #[ts(type = "\"refused\" | \"accepted\" | \"unknown\"")]
    pub result: String,
    pub summary: String,
    pub at: String,
}

/// The revoke screen's facts about the token being replaced, so it can be found in NetSuite's list.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RevokeView {
    pub token_name: Option<String>,
    pub token_fingerprint: Option<String>,
    pub new_token_name: Option<String>,
    pub new_token_fingerprint: Option<String>,
    pub created_at: String,
    /// The old set is still in the keyring, so a signed call can prove NetSuite refuses it.
    pub can_check: bool,
    pub check: Option<OldTokenCheck>,
    /// A certificate replacement: the mapping to revoke and the one that replaces it (the token fields
    /// are then empty).
    pub certificates: Option<Box<RevokeCertificates>>,
}

/// The revoke screen of a certificate replacement: the mappings told apart by Certificate ID.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RevokeCertificates {
    pub old: crate::flow::cards::CertificateCard,
    pub new: Option<crate::flow::cards::CertificateCard>,
    /// The old mapping can be revoked through NetSuite's certificate endpoint with the new key.
    pub revoke_by_api: bool,
    /// After a revoke through the API: the Certificate IDs NetSuite's list still shows active for the
    /// same role and user (the new one among them), so a forgotten mapping is seen. `None` when the
    /// list was not read.
    pub still_active: Option<Vec<String>>,
}

/// A short summary for the home screen and diagnostics.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct JourneyInfo {
    pub journey: Journey,
    pub title: String,
    pub connection_id: String,
    pub progress: String,
    pub promoted: bool,
}

/// What a journey's Stop and Discard controls say now, from `journeys.json`: the words before the new
/// values are in use, or after (and for a journey that stages nothing, the words after).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct JourneyControls {
    pub stop: String,
    pub stop_title: String,
    pub stop_body: String,
    /// Stopping throws new values away: the dialog's button says so.
    pub stop_discards: bool,
    /// What the home screen says once stopped.
    pub stopped: String,
    /// What a failed test of the new values leaves (empty where the journey has no test).
    pub failed: String,
    pub discard: String,
    pub discard_title: String,
    pub discard_body: String,
    pub discard_keep: String,
    pub checking_old: String,
    /// Set where the journey has to be finished: why Stop is not offered.
    pub must_finish: Option<String>,
    /// Set where Next leads to the step that stops the running integration: asked first.
    pub next_warning: Option<NextWarning>,
}

/// The question Next asks before the step that stops the running integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct NextWarning {
    pub title: String,
    pub body: String,
    pub confirm: String,
}

impl JourneyControls {
    /// The controls' words for a journey in this state (`kept`: the new values are the ones in use, or
    /// the journey stages none).
    pub(crate) fn of(
        w: &crate::profiles::journeys::ControlWords,
        kept: bool,
        must_finish: bool,
        warn_next: bool,
    ) -> JourneyControls {
        let pick = |before: &String, after: &String| if kept { after.clone() } else { before.clone() };
        JourneyControls {
            stop: pick(&w.stop, &w.stop_promoted),
            stop_title: pick(&w.stop_title, &w.stop_title_promoted),
            stop_body: pick(&w.stop_body, &w.stop_body_promoted),
            stop_discards: !kept,
            stopped: pick(&w.stopped, &w.stopped_promoted),
            failed: w.failed.clone(),
            discard: w.discard.clone(),
            discard_title: w.discard_title.clone(),
            discard_body: w.discard_body.clone(),
            discard_keep: w.discard_keep.clone(),
            checking_old: w.checking_old.clone(),
            must_finish: must_finish.then(|| w.must_finish.clone()),
            next_warning: (warn_next && !w.stops_title.is_empty()).then(|| NextWarning {
                title: w.stops_title.clone(),
                body: w.stops_body.clone(),
                confirm: w.stops_confirm.clone(),
            }),
        }
    }
}
