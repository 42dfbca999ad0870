//! Turns what NetSuite (or the network) answered into one outcome a person can act on.
//!
//! NetSuite's 401 says only "Invalid login attempt" whatever went wrong, so a refusal is reported as
//! a list of likely causes, most likely first, each with the wizard step that fixes it, plus how to read
//! the real reason in the Login Audit Trail.

use crate::netsuite::account::{Account, Environment};
use serde::{Deserialize, Serialize};

pub mod m2m;

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

/// What a request was for, so success and refusal can be worded for it.
#[derive(Debug, Clone)]
pub enum Purpose {
    /// The signed test call: proves the token and the role's REST access.
    TestCall,
    /// A read-only SuiteQL probe for one permission the role should have.
    Probe { permission: String },
}

/// Classifies an HTTP answer. `clock` is the offset read from the same answer, if any.
pub fn diagnose_response(
    account: &Account,
    purpose: &Purpose,
    status: u16,
    body: &str,
    clock: Option<ClockCheck>,
) -> (Outcome, String, Vec<String>, Vec<Cause>, ErrorBody) {
    let err = parse_error_body(body);
    let code = err.code.clone().unwrap_or_default();
    let host_note =
        "something other than NetSuite's REST API answered (a proxy, a captive portal, or a wrong base URL)";
    match status {
        200..=299 if !err.is_json && !body.trim().is_empty() => (
            Outcome::ServerError,
            format!("The answer was not NetSuite's: {host_note}. Check your network or proxy settings and test again."),
            vec![],
            vec![],
            err,
        ),
        200..=299 => {
            let proven = match purpose {
                Purpose::TestCall => vec![
                    format!("NetSuite account {} answered", account.id()),
                    "The consumer key and secret, token ID and token secret were accepted".to_string(),
                    "The role can use REST web services".to_string(),
                ],
                Purpose::Probe { permission } => vec![format!("The role has {permission}")],
            };
            let summary = match purpose {
                Purpose::TestCall => "The connection works: NetSuite accepted the token and the role can use REST web services.".to_string(),
                Purpose::Probe { permission } => format!("The role has {permission}."),
            };
            (Outcome::Success, summary, proven, vec![], err)
        }
        401 => {
            let causes = refusal_causes(account, clock, &code);
            let summary = format!(
                "NetSuite refused the credentials (HTTP 401{}). NetSuite does not say why: the likely causes are below, \
                 and the Login Audit Trail shows the real reason.",
                if code.is_empty() { String::new() } else { format!(", {code}") }
            );
            (Outcome::CredentialsRefused, summary, vec![], causes, err)
        }
        _ if is_retryable(status, &err) => (
            Outcome::ConcurrencyLimit,
            "NetSuite's limit on simultaneous requests was reached and stayed reached after a few retries. The limit is \
             shared by every integration of the account (5 on the standard tier, 15 on Tier 1, 10 more per SuiteCloud Plus \
             licence). Wait a minute and test again; Setup > Integration > Integration Governance shows what uses it."
                .to_string(),
            vec![],
            vec![],
            err,
        ),
        403 => permission_outcome(purpose, status, err),
        400 | 404 if err.is_json && is_permission_code(&code) => permission_outcome(purpose, status, err),
        400..=499 if err.is_json => (
            Outcome::ServerError,
            format!(
                "NetSuite answered HTTP {status}{} to a request that should work. If this persists, check that the REST \
                 Web Services feature is on (Setup > Company > Enable Features > SuiteCloud).",
                if code.is_empty() { String::new() } else { format!(" ({code})") }
            ),
            vec![],
            vec![Cause {
                id: "feature_disabled",
                step: Step::Features,
                message: "REST Web Services must be ticked under SuiteTalk (Web Services) on the SuiteCloud subtab of Enable Features.".into(),
            }],
            err,
        ),
        _ if !err.is_json => (
            Outcome::ServerError,
            format!("The answer (HTTP {status}) was not NetSuite's: {host_note}. Check your network and test again."),
            vec![],
            vec![],
            err,
        ),
        _ => (
            Outcome::ServerError,
            format!(
                "NetSuite had a problem of its own (HTTP {status}{}). This is not caused by your setup: wait a few minutes and test again.",
                if code.is_empty() { String::new() } else { format!(", {code}") }
            ),
            vec![],
            vec![],
            err,
        ),
    }
}

fn permission_outcome(
    purpose: &Purpose,
    status: u16,
    err: ErrorBody,
) -> (Outcome, String, Vec<String>, Vec<Cause>, ErrorBody) {
    let (summary, causes) = match purpose {
        Purpose::TestCall => (
            format!(
                "The token was accepted, but NetSuite denied the request (HTTP {status}): the role lacks a permission the REST API needs."
            ),
            vec![
                Cause {
                    id: "role_rest_permission",
                    step: Step::Role,
                    message: "Give the role the permission Setup > REST Web Services (Full), and Reports > SuiteAnalytics Workbook for SuiteQL.".into(),
                },
                Cause {
                    id: "feature_disabled",
                    step: Step::Features,
                    message: "Make sure REST Web Services is ticked under SuiteTalk (Web Services) on the SuiteCloud subtab of Enable Features.".into(),
                },
            ],
        ),
        Purpose::Probe { permission } => (
            format!("The role does not have {permission} (NetSuite answered HTTP {status})."),
            vec![Cause {
                id: "role_permission",
                step: Step::Role,
                message: format!("Add {permission} to the role on its Permissions subtab, save, and test again."),
            }],
        ),
    };
    (Outcome::PermissionMissing, summary, vec![], causes, err)
}

fn refusal_causes(account: &Account, clock: Option<ClockCheck>, code: &str) -> Vec<Cause> {
    let mut causes = Vec::new();
    if let Some(c) = clock.filter(|c| c.status == ClockStatus::LikelyCause) {
        causes.push(Cause {
            id: "clock",
            step: Step::Clock,
            message: c.describe(),
        });
    }
    let realm_message = match account.environment() {
        Environment::Production => format!(
            "The account ID {} is a production account. If the token was made in a sandbox or release preview, the ID needs \
             its suffix (like {}_SB1); NetSuite shows the exact ID at Setup > Company > Company Information of that account.",
            account.id(),
            account.id()
        ),
        env => format!(
            "The account ID {} names the {env} account. Check it at Setup > Company > Company Information of the account where \
             the token was made: the suffix must match exactly, and a production token needs the ID without a suffix.",
            account.id()
        ),
    };
    causes.push(Cause {
        id: "realm",
        step: Step::Account,
        message: realm_message,
    });
    let environment_message = if matches!(account.environment(), Environment::Sandbox { .. }) {
        "Tokens are not copied between production and sandboxes, and a sandbox refresh deletes the sandbox's tokens: \
         create the access token again in this sandbox."
    } else {
        "Tokens belong to one environment: a token created in a sandbox or release preview does not work in production. \
         Create the access token in this account."
    };
    causes.push(Cause {
        id: "environment",
        step: Step::AccessToken,
        message: environment_message.into(),
    });
    causes.push(Cause {
        id: "token_revoked",
        step: Step::AccessToken,
        message:
            "The token may be revoked or marked Inactive, or a secret was mistyped: check Setup > Users/Roles > Access \
                  Tokens, and if in doubt create a new token and capture both values again."
                .into(),
    });
    causes.push(Cause {
        id: "role_login_permission",
        step: Step::Role,
        message: "The token's role needs the permission Setup > Log in using Access Tokens (Full), and the user must still have that role."
            .into(),
    });
    causes.push(Cause {
        id: "feature_disabled",
        step: Step::Features,
        message: "TOKEN-BASED AUTHENTICATION must be ticked in the Manage Authentication section of the SuiteCloud subtab at \
                  Setup > Company > Enable Features."
            .into(),
    });
    causes.push(Cause {
        id: "integration_blocked",
        step: Step::IntegrationRecord,
        message: "The integration record must have State Enabled (not Blocked) and TOKEN-BASED AUTHENTICATION ticked, and the \
                  consumer key must be the one it showed."
            .into(),
    });
    causes.push(Cause {
        id: "tba_new_integrations_end",
        step: Step::IntegrationRecord,
        message: "From NetSuite 2027.1 (about February 2027) no new integration may use TBA, and Oracle does not say \
                  whether an existing record may still get new tokens. If this account already runs 2027.1 and the \
                  record or the token is new, that may be the refusal: for your own integration, set it up with OAuth \
                  2.0 client credentials (machine to machine) instead; for a connector, ask its vendor."
            .into(),
    });
    if !code.is_empty() && code != "INVALID_LOGIN" {
        causes.insert(
            0,
            Cause {
                id: "netsuite_code",
                step: Step::AccessToken,
                message: format!("NetSuite gave the code {code}."),
            },
        );
    }
    causes
}

/// A sandbox whose token passed a signed test before and is refused now: the likeliest cause is a sandbox
/// refresh, which copies production over the sandbox and deletes the sandbox's tokens. Put first, because
/// the generic causes would send the user hunting through every step.
pub fn recognise_sandbox_refresh(report: &mut Report, account: &Account, passed_before: Option<&str>) {
    let Some(when) = passed_before else { return };
    if report.outcome != Outcome::CredentialsRefused || !matches!(account.environment(), Environment::Sandbox { .. }) {
        return;
    }
    if report.causes.iter().any(|c| c.id == "sandbox_refresh") {
        return;
    }
    let day = when.get(..10).unwrap_or(when);
    report.causes.insert(
        0,
        Cause {
            id: "sandbox_refresh",
            step: Step::AccessToken,
            message: format!(
                "This sandbox's token worked on {day} and is refused now. If {} was refreshed from production since, the \
                 refresh deleted its tokens: create a new access token in the sandbox (Replace token does it step by step). \
                 Check the integration record too: a refresh copies production's.",
                account.id()
            ),
        },
    );
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
