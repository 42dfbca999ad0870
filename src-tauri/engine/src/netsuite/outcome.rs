//! Turns what NetSuite (or the network) answered into one outcome a person can act on.
//!
//! NetSuite's 401 says only "Invalid login attempt" whatever went wrong, so a refusal is reported as
//! a list of likely causes, most likely first, each with the wizard step that fixes it, plus how to read
//! the real reason in the Login Audit Trail.

use crate::netsuite::account::{Account, Environment};
use serde::{Deserialize, Serialize};

pub mod m2m;
mod rest;
pub use rest::{diagnose_response, recognise_sandbox_refresh, Purpose, RefreshClears};

/// Beyond this clock offset the user is warned; beyond `CLOCK_LIKELY_CAUSE_SECS` it is named as the
/// likely cause of a refusal (NetSuite accepts timestamps within five minutes of its own clock).
pub const CLOCK_WARNING_SECS: i64 = 120;
pub const CLOCK_LIKELY_CAUSE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    CredentialsRefused,
    PermissionMissing,
    ConcurrencyLimit,
    ServerError,
    NetworkError,
}

impl Outcome {
    /// The command line's exit status: 0 success, 3 NetSuite refused, 4 trouble on the way.
    pub fn exit_code(self) -> i32 {
        self.error_code().map_or(0, |code| i32::from(code.exit_status()))
    }

    /// The kind of failure, for the window's errors and the command line's exit status; `None` on success.
    pub fn error_code(self) -> Option<crate::ErrorCode> {
        match self {
            Outcome::Success => None,
            Outcome::CredentialsRefused | Outcome::PermissionMissing => Some(crate::ErrorCode::Refused),
            Outcome::ConcurrencyLimit | Outcome::ServerError | Outcome::NetworkError => {
                Some(crate::ErrorCode::Unreachable)
            }
        }
    }
}

/// The wizard step a cause sends the user back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "DiagnosisStep")]
pub enum Step {
    Account,
    Features,
    IntegrationRecord,
    Role,
    UserRole,
    AccessToken,
    // OAuth 2.0 client credentials: the key pair and the certificate made or imported for upload (plain
    // comments, so the generated bindings stay as ts-rs writes them).
    KeyCertificate,
    // OAuth 2.0 client credentials: the mapping (entity, role, application, certificate) and its
    // Certificate ID.
    Mapping,
    Clock,
    Network,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Cause {
    pub id: &'static str,
    pub step: Step,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NetworkKind {
    Dns,
    Refused,
    Tls,
    Timeout,
    ConnectionClosed,
    Cancelled,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct NetworkProblem {
    pub kind: NetworkKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    Ok,
    Warning,
    LikelyCause,
}

/// How far this computer's clock is from NetSuite's, read from the `Date` header of an answer.
/// Positive means the server is ahead. The header has one-second resolution, so ±1 s is noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ClockCheck {
    pub offset_seconds: i64,
    pub status: ClockStatus,
}

impl ClockCheck {
    pub fn from_offset(offset_seconds: i64) -> ClockCheck {
        let status = match offset_seconds.abs() {
            s if s > CLOCK_LIKELY_CAUSE_SECS => ClockStatus::LikelyCause,
            s if s > CLOCK_WARNING_SECS => ClockStatus::Warning,
            _ => ClockStatus::Ok,
        };
        ClockCheck { offset_seconds, status }
    }

    /// How far and which way, as "6 minutes 40 seconds ahead of NetSuite's". The seconds stay beyond two
    /// minutes, else 5 minutes 40 seconds would read as 5 minutes, which NetSuite accepts.
    pub(crate) fn drift(&self) -> String {
        let (amount, direction) = (
            self.offset_seconds.unsigned_abs(),
            if self.offset_seconds > 0 { "behind" } else { "ahead of" },
        );
        let seconds = |n: u64| {
            if n == 1 {
                "1 second".to_string()
            } else {
                format!("{n} seconds")
            }
        };
        let human = match (amount / 60, amount % 60) {
            _ if amount < 120 => seconds(amount),
            (minutes, 0) => format!("{minutes} minutes"),
            (minutes, rest) => format!("{minutes} minutes {}", seconds(rest)),
        };
        format!("{human} {direction} NetSuite's")
    }

    fn describe(&self) -> String {
        format!(
            "This computer's clock is {}. NetSuite refuses requests whose time is more than five minutes off: turn \
             on automatic time (NTP) in your system settings, then test again.",
            self.drift()
        )
    }
}

/// Where the real reason for a refusal can be read, since NetSuite's answer never says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AuditTrailHelp {
    pub menu_path: &'static str,
    pub instructions: Vec<&'static str>,
    pub columns: [&'static str; 3],
    pub detail_values: Vec<DetailValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DetailValue {
    pub value: &'static str,
    pub meaning: &'static str,
    pub step: Step,
}

pub fn audit_trail_help() -> AuditTrailHelp {
    AuditTrailHelp {
        menu_path: "Setup > Users/Roles > User Management > View Login Audit Trail",
        instructions: vec![
            "Open Setup > Users/Roles > User Management > View Login Audit Trail as an administrator.",
            "Tick Use Advanced Search, then on the Results subtab add the columns Detail, Token-based Access Token Name and Token-based Application Name.",
            "Search, and find the newest row for your token: its Detail column names the real reason.",
        ],
        columns: ["Detail", "Token-based Access Token Name", "Token-based Application Name"],
        detail_values: vec![
            DetailValue { value: "InvalidSignature", meaning: "A secret does not match its key or token: re-enter the consumer secret or token secret.", step: Step::AccessToken },
            DetailValue { value: "consumer_key_unknown", meaning: "The consumer key is wrong or its integration record is gone.", step: Step::IntegrationRecord },
            DetailValue { value: "consumer_key_refused", meaning: "The integration record is set to Blocked.", step: Step::IntegrationRecord },
            DetailValue { value: "FeatureDisabled", meaning: "The Token-Based Authentication feature is off.", step: Step::Features },
            DetailValue { value: "InvalidTimestamp", meaning: "This computer's clock is too far from NetSuite's.", step: Step::Clock },
            DetailValue { value: "nonce_used", meaning: "A request was replayed; testing again normally clears it.", step: Step::Network },
            DetailValue { value: "EntityOrRoleDisabled", meaning: "The user or the role is inactive.", step: Step::UserRole },
        ],
    }
}

/// What a request proved or why it failed, in a form the UI, the command line and tests share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Report {
    pub outcome: Outcome,
    pub summary: String,
    pub proven: Vec<String>,
    pub warnings: Vec<String>,
    pub causes: Vec<Cause>,
    pub http_status: Option<u16>,
    pub error_code: Option<String>,
    pub error_detail: Option<String>,
    pub network: Option<NetworkProblem>,
    pub clock: Option<ClockCheck>,
    pub attempts: u32,
    pub elapsed_ms: u64,
    pub audit_trail: Option<AuditTrailHelp>,
}

impl Report {
    pub fn exit_code(&self) -> i32 {
        self.outcome.exit_code()
    }
}

/// NetSuite's error body, in the REST form (`o:errorDetails`) or the RESTlet form (`error.code`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: Option<String>,
    pub detail: Option<String>,
    /// False when the body was not JSON at all: then something other than NetSuite's API answered.
    pub is_json: bool,
}

const MAX_DETAIL_CHARS: usize = 500;

fn clip(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(MAX_DETAIL_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

pub fn parse_error_body(body: &str) -> ErrorBody {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else {
        return ErrorBody::default();
    };
    let str_at = |v: &serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(clip);
    let mut out = ErrorBody {
        is_json: true,
        ..Default::default()
    };
    if let Some(first) = json
        .get("o:errorDetails")
        .and_then(|d| d.as_array())
        .and_then(|a| a.first())
    {
        out.code = str_at(first, "o:errorCode");
        out.detail = str_at(first, "detail");
    }
    if let Some(err) = json.get("error") {
        out.code = out.code.or_else(|| str_at(err, "code"));
        out.detail = out.detail.or_else(|| str_at(err, "message"));
        // OAuth 2.0's form (RFC 6749 §5.2), as the token endpoint answers: {"error": "invalid_grant",
        // "error_description": "…"}.
        if let Some(code) = err.as_str() {
            out.code = out.code.or_else(|| Some(clip(code)));
            out.detail = out.detail.or_else(|| str_at(&json, "error_description"));
        }
    }
    out.detail = out.detail.or_else(|| str_at(&json, "title"));
    out
}

fn is_concurrency_code(code: &str) -> bool {
    let c = code.to_ascii_uppercase();
    c.contains("REQUEST_LIMIT")
        || c.contains("CONCURRENCY")
        || c == "WS_REQUEST_BLOCKED"
        || c.contains("TOO_MANY_REQUESTS")
}

fn is_permission_code(code: &str) -> bool {
    let c = code.to_ascii_uppercase();
    c.contains("PERMISSION") || c.contains("ACCESS_DENIED") || c == "FORBIDDEN"
}

/// True for answers that are worth retrying after a pause: NetSuite's concurrency limit.
pub fn is_retryable(status: u16, body: &ErrorBody) -> bool {
    status == 429 || (status == 400 && body.code.as_deref().is_some_and(is_concurrency_code))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY_401: &str = r#"{"type":"https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.2","title":"Unauthorized","status":401,"o:errorDetails":[{"detail":"Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.","o:errorCode":"INVALID_LOGIN"}]}"#;

    fn acct(s: &str) -> Account {
        Account::parse(s).unwrap()
    }

    #[test]
    fn parses_rest_and_restlet_error_bodies() {
        let e = parse_error_body(BODY_401);
        assert_eq!(e.code.as_deref(), Some("INVALID_LOGIN"));
        assert!(e.detail.unwrap().starts_with("Invalid login attempt"));
        let r =
            parse_error_body(r#"{"error":{"code":"SSS_REQUEST_LIMIT_EXCEEDED","message":"Request limit exceeded"}}"#);
        assert_eq!(r.code.as_deref(), Some("SSS_REQUEST_LIMIT_EXCEEDED"));
        let g = parse_error_body("<html>Bad gateway</html>");
        assert!(!g.is_json && g.code.is_none());
    }

    #[test]
    fn refusal_lists_causes_in_order_with_clock_first_when_far_off() {
        let a = acct("1234567_SB1");
        let (o, _, _, causes, _) =
            diagnose_response(&a, &Purpose::TestCall, 401, BODY_401, Some(ClockCheck::from_offset(2)));
        assert_eq!(o, Outcome::CredentialsRefused);
        let ids: Vec<_> = causes.iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            [
                "realm",
                "environment",
                "token_revoked",
                "role_login_permission",
                "feature_disabled",
                "integration_blocked",
                "tba_new_integrations_end"
            ]
        );
        assert!(causes[1].message.contains("sandbox refresh"));
        let (_, _, _, causes, _) = diagnose_response(
            &a,
            &Purpose::TestCall,
            401,
            BODY_401,
            Some(ClockCheck::from_offset(-400)),
        );
        assert_eq!(causes[0].id, "clock");
        assert!(
            causes[0].message.contains("6 minutes 40 seconds ahead of"),
            "{}",
            causes[0].message
        );
    }

    #[test]
    fn statuses_map_to_outcomes() {
        let a = acct("1234567");
        let cases: &[(u16, &str, Outcome)] = &[
            (200, r#"{"items":[]}"#, Outcome::Success),
            (204, "", Outcome::Success),
            (200, "<html>login</html>", Outcome::ServerError),
            (401, BODY_401, Outcome::CredentialsRefused),
            (
                403,
                r#"{"o:errorDetails":[{"detail":"no","o:errorCode":"INSUFFICIENT_PERMISSION"}]}"#,
                Outcome::PermissionMissing,
            ),
            (
                400,
                r#"{"o:errorDetails":[{"detail":"no","o:errorCode":"INSUFFICIENT_PERMISSION"}]}"#,
                Outcome::PermissionMissing,
            ),
            (429, "", Outcome::ConcurrencyLimit),
            (
                400,
                r#"{"error":{"code":"SSS_REQUEST_LIMIT_EXCEEDED"}}"#,
                Outcome::ConcurrencyLimit,
            ),
            (
                500,
                r#"{"o:errorDetails":[{"detail":"oops","o:errorCode":"UNEXPECTED_ERROR"}]}"#,
                Outcome::ServerError,
            ),
            (502, "<html>bad gateway</html>", Outcome::ServerError),
        ];
        for (status, body, want) in cases {
            let (o, summary, _, _, _) = diagnose_response(&a, &Purpose::TestCall, *status, body, None);
            assert_eq!(o, *want, "{status} {body}");
            assert!(!summary.is_empty());
        }
    }

    #[test]
    fn clock_thresholds() {
        assert_eq!(ClockCheck::from_offset(0).status, ClockStatus::Ok);
        assert_eq!(ClockCheck::from_offset(120).status, ClockStatus::Ok);
        assert_eq!(ClockCheck::from_offset(-121).status, ClockStatus::Warning);
        assert_eq!(ClockCheck::from_offset(300).status, ClockStatus::Warning);
        assert_eq!(ClockCheck::from_offset(301).status, ClockStatus::LikelyCause);
    }

    #[test]
    fn clock_drift_reads_as_said() {
        let drift = |s| ClockCheck::from_offset(s).drift();
        assert_eq!(drift(1), "1 second behind NetSuite's");
        assert_eq!(drift(-90), "90 seconds ahead of NetSuite's");
        assert_eq!(drift(900), "15 minutes behind NetSuite's");
        assert_eq!(drift(-301), "5 minutes 1 second ahead of NetSuite's");
        assert_eq!(drift(340), "5 minutes 40 seconds behind NetSuite's");
    }

    #[test]
    fn probe_refusal_names_the_permission() {
        let a = acct("1234567");
        let p = Purpose::Probe {
            permission: "Lists > Customers".into(),
        };
        let (o, summary, _, causes, _) = diagnose_response(&a, &p, 403, "{}", None);
        assert_eq!(o, Outcome::PermissionMissing);
        assert!(summary.contains("Lists > Customers"));
        assert_eq!(causes[0].step, Step::Role);
    }
}
