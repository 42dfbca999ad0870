//! What a REST answer means: the test call's and the probes' success, a refusal's likely causes (most
//! likely first, each with the step that fixes it), permissions, a refreshed sandbox.

use super::*;

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

/// What a sandbox refresh (production copied over the sandbox) deletes of a connection's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshClears {
    /// TBA: tokens are not copied, and the sandbox's own are deleted.
    AccessTokens,
    /// OAuth 2.0 client credentials: the mappings (certificate and Certificate ID) are per account,
    /// and a refresh clears them.
    Mappings,
}

/// A sandbox connection that passed a signed test before and is refused now: the likeliest cause is a
/// sandbox refresh, which copies production over the sandbox and deletes what `clears` says. Put first,
/// because the generic causes would send the user hunting through every step.
pub fn recognise_sandbox_refresh(
    report: &mut Report,
    account: &Account,
    passed_before: Option<&str>,
    clears: RefreshClears,
) {
    let Some(when) = passed_before else { return };
    if report.outcome != Outcome::CredentialsRefused || !matches!(account.environment(), Environment::Sandbox { .. }) {
        return;
    }
    if report.causes.iter().any(|c| c.id == "sandbox_refresh") {
        return;
    }
    let day = when.get(..10).unwrap_or(when);
    let id = account.id();
    let (step, message) = match clears {
        RefreshClears::AccessTokens => (
            Step::AccessToken,
            format!(
                "This sandbox's token worked on {day} and is refused now. If {id} was refreshed from production since, \
                 the refresh deleted its tokens: create a new access token in the sandbox (Replace token does it step \
                 by step). Check the integration record too: a refresh copies production's."
            ),
        ),
        RefreshClears::Mappings => (
            Step::Mapping,
            format!(
                "This sandbox's connection worked on {day} and is refused now. If {id} was refreshed from production \
                 since, the refresh cleared its OAuth 2.0 mappings: upload the certificate again at Setup > Integration \
                 > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup and keep the new Certificate ID \
                 (Replace certificate does it step by step, with a new key). Check the integration record too: a \
                 refresh copies production's."
            ),
        ),
    };
    report.causes.insert(
        0,
        Cause {
            id: "sandbox_refresh",
            step,
            message,
        },
    );
}
