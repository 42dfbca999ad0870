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
