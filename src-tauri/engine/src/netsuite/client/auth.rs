//! How one REST call carries its authentication, by auth method: the one place the client asks which
//! method signs (the header it sends, and what a refusal tells the user to look for).

use crate::netsuite::oauth1::{self, Credentials};
use crate::netsuite::oauth2::AccessToken;
use crate::netsuite::outcome::{self, AuditTrailHelp, Cause, ClockCheck, Outcome, Purpose};
use url::Url;

/// How a REST call is authenticated.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// Token-based authentication: each attempt signed with OAuth 1.0a.
    Tba(&'a Credentials),
    /// An OAuth 2.0 access token (from `NetSuiteClient::m2m_token`).
    Bearer(&'a AccessToken),
}

impl Auth<'_> {
    /// The Authorization header of one attempt: a TBA attempt gets a fresh nonce and timestamp (a retry
    /// with an old nonce is refused as a replay).
    pub(super) fn authorization(&self, method: &str, url: &Url, realm: &str) -> String {
        match self {
            Auth::Tba(creds) => {
                oauth1::sign(method, url, realm, creds, &oauth1::new_nonce(), oauth1::now_timestamp()).authorization
            }
            Auth::Bearer(token) => token.authorization(),
        }
    }

    /// What NetSuite's answer proves and suggests, as this method has it, and where a refusal is looked up
    /// in NetSuite.
    pub(super) fn judged(
        &self,
        purpose: &Purpose,
        outcome: Outcome,
        proven: &mut Vec<String>,
        causes: &mut Vec<Cause>,
        clock: Option<ClockCheck>,
    ) -> AuditTrailHelp {
        match self {
            Auth::Tba(_) => outcome::audit_trail_help(),
            Auth::Bearer(_) => {
                outcome::m2m::for_bearer_call(purpose, outcome, proven, causes, clock);
                outcome::m2m::audit_trail_help()
            }
        }
    }
}
