//! What NetSuite's answers mean for OAuth 2.0 client credentials: the token endpoint's refusals and a
//! bearer call's.
//!
//! Oracle publishes no table of the token endpoint's errors, and users report that most mistakes (a wrong
//! Certificate ID, a mapping for another record, a role without the OAuth 2.0 permission, a sandbox,
//! RS256) come back as a bare HTTP 500 `server_error` or a 400 `invalid_request`/`invalid_grant`. So the
//! causes are listed in the order they are most likely, the error code moving its own cause first where
//! it names one, each pointing at the step that fixes it. The order and the codes' meanings are
//! inferred from users' reports, not from Oracle.

use super::{clip, parse_error_body, Cause, ClockCheck, ClockStatus, ErrorBody, Outcome, Purpose, Step};
use super::{AuditTrailHelp, DetailValue};
use crate::netsuite::account::{Account, Environment};
use crate::netsuite::oauth2::{Algorithm, Scope, ScopeForm};

/// What was sent, for the causes' wording (never the Client ID: it is kept like a secret).
#[derive(Debug, Clone)]
pub struct SentAssertion {
    pub certificate_id: String,
    pub algorithm: Algorithm,
    pub scopes: Vec<Scope>,
    pub scope_form: ScopeForm,
}

/// The classification of a token endpoint answer that carried no usable token.
pub fn diagnose_token_refusal(
    account: &Account,
    status: u16,
    body: &str,
    clock: Option<ClockCheck>,
    sent: &SentAssertion,
) -> (Outcome, String, Vec<Cause>, ErrorBody) {
    let err = parse_error_body(body);
    let code = err.code.clone().unwrap_or_default();
    let not_netsuite =
        "something other than NetSuite's token endpoint answered (a proxy, a captive portal, or a wrong base URL)";
    match status {
        200..=299 => (
            Outcome::ServerError,
            format!(
                "The token endpoint answered HTTP {status} without an access token: {not_netsuite}. Check your network \
                 or the base URL and test again."
            ),
            vec![],
            err,
        ),
        _ if super::is_retryable(status, &err) => (
            Outcome::ConcurrencyLimit,
            "NetSuite's limit on simultaneous requests was reached and stayed reached after a few retries. Wait a \
             minute and test again."
                .into(),
            vec![],
            err,
        ),
        _ if !err.is_json => (
            Outcome::ServerError,
            format!("The answer (HTTP {status}) was not NetSuite's: {not_netsuite}. Check your network and test again."),
            vec![],
            err,
        ),
        400..=500 => {
            let shown = if code.is_empty() { String::new() } else { format!(" {code}") };
            let summary = if status == 500 {
                format!(
                    "NetSuite refused to issue an access token (HTTP 500{shown}). That bare answer is how NetSuite meets \
                     most mistakes in an OAuth 2.0 client credentials setup, and only rarely trouble of its own: the \
                     likely causes are below, and the Login Audit Trail shows the real reason."
                )
            } else {
                format!(
                    "NetSuite refused to issue an access token (HTTP {status}{shown}). NetSuite does not say why: the \
                     likely causes are below, and the Login Audit Trail shows the real reason."
                )
            };
            let causes = token_refusal_causes(account, clock, &code, err.detail.as_deref(), status, sent);
            (Outcome::CredentialsRefused, summary, causes, err)
        }
        _ => (
            Outcome::ServerError,
            format!(
                "NetSuite's token endpoint had a problem of its own (HTTP {status}{}). Wait a few minutes and test again.",
                if code.is_empty() { String::new() } else { format!(", {code}") }
            ),
            vec![],
            err,
        ),
    }
}

/// The token request kept back because NetSuite's `Date`, read just before, shows this computer's clock
/// too far off: the assertion's `iat` and `exp` are this computer's time, and NetSuite refuses it
/// when they are more than five minutes from its own (`exp` is five minutes after `iat`). Sending it
/// would only add a refusal to the Login Audit Trail.
pub fn clock_refusal(clock: ClockCheck) -> (String, Vec<Cause>) {
    let summary = format!(
        "This computer's clock is {}, by the time NetSuite's server gave just now. NetSuite refuses a token \
         request whose time is more than five minutes off, so the token request was not sent: nothing signed \
         left this computer. Set the clock to update automatically (automatic time, NTP) in your system \
         settings, then test again.",
        clock.drift()
    );
    let cause = Cause {
        id: "clock",
        step: Step::Clock,
        message: clock.describe(),
    };
    (summary, vec![cause])
}

fn token_refusal_causes(
    account: &Account,
    clock: Option<ClockCheck>,
    code: &str,
    detail: Option<&str>,
    status: u16,
    sent: &SentAssertion,
) -> Vec<Cause> {
    let scopes: Vec<&str> = sent.scopes.iter().map(|s| s.code()).collect();
    let labels: Vec<&str> = sent.scopes.iter().map(|s| s.label()).collect();
    let (form, other_form) = match sent.scope_form {
        ScopeForm::JsonArray => ("a JSON array", "comma-separated"),
        ScopeForm::CommaSeparated => ("comma-separated", "a JSON array"),
    };
    let mut causes = vec![
        Cause {
            id: "certificate_id",
            step: Step::Mapping,
            message: format!(
                "The Certificate ID {} must be the one on the mapping's row at Setup > Integration > Manage Authentication > \
                 OAuth 2.0 Client Credentials (M2M) Setup, and that mapping must be for this integration record \
                 (Application), the role and the user (Entity) the integration runs as: a mapping made for another \
                 integration, role or entity is refused the same way.",
                sent.certificate_id
            ),
        },
        Cause {
            id: "client_id",
            step: Step::IntegrationRecord,
            message: "The Client ID must be the one the integration record showed after Save (not the Client Secret, not a \
                      TBA consumer key), the record's State must be Enabled, and under OAuth 2.0 its CLIENT CREDENTIALS \
                      (MACHINE TO MACHINE) GRANT box must be ticked."
                .into(),
        },
        Cause {
            id: "role_oauth2_permission",
            step: Step::Role,
            message: "The mapping's role needs the permissions Setup > Log in using OAuth 2.0 Access Tokens and Setup > REST \
                      Web Services, and the user must still have that role."
                .into(),
        },
        Cause {
            id: "scope",
            step: Step::IntegrationRecord,
            message: format!(
                "The scopes asked for ({}) must be ticked under OAuth 2.0 on the integration record ({}). They were sent \
                 as {form}; Oracle's text and samples disagree on that form, so if every step checks out, test once \
                 with the scope {other_form}.",
                scopes.join(", "),
                labels.join(", ")
            ),
        },
        environment_cause(account),
        Cause {
            id: "certificate_revoked",
            // The way out starts with a new certificate, then its mapping.
            step: Step::KeyCertificate,
            message: "The mapping's certificate may be revoked, or expired in NetSuite (NetSuite keeps one at most two years \
                      from the upload). A revoked or expired certificate needs a new mapping with a new certificate, and \
                      its new Certificate ID."
                .into(),
        },
        Cause {
            id: "entity_role_disabled",
            step: Step::UserRole,
            message: "The mapping's user (Entity) and role must both be active, and the user must have that role.".into(),
        },
        Cause {
            id: "feature_oauth2",
            step: Step::Features,
            message: "OAuth 2.0 must be ticked under Manage Authentication, and REST Web Services under SuiteTalk, on the \
                      SuiteCloud subtab of Setup > Company > Enable Features."
                .into(),
        },
    ];
    // Where the code names a cause, that cause leads.
    let first = match code {
        "invalid_scope" => Some("scope"),
        "invalid_client" | "unauthorized_client" => Some("client_id"),
        _ => None,
    };
    if let Some(id) = first {
        if let Some(i) = causes.iter().position(|c| c.id == id) {
            let c = causes.remove(i);
            causes.insert(0, c);
        }
    }
    if status == 500 {
        causes.push(Cause {
            id: "netsuite_trouble",
            step: Step::Network,
            message: "If every step checks out, NetSuite itself may have had a problem: test again in a few minutes."
                .into(),
        });
    }
    if let Some(d) = detail.filter(|d| !d.trim().is_empty()) {
        causes.insert(
            0,
            Cause {
                id: "netsuite_detail",
                step: Step::Mapping,
                message: format!("NetSuite said: {}", clip(d)),
            },
        );
    }
    if let Some(c) = clock.filter(|c| c.status == ClockStatus::LikelyCause) {
        causes.insert(
            0,
            Cause {
                id: "clock",
                step: Step::Clock,
                message: c.describe(),
            },
        );
    }
    causes
}

/// Puts first the causes of a token refusal that name a value changed on this side since the
/// connection last worked (`changed`, cause ids; `day` when it last worked), saying so; with nothing
/// changed, a first cause that says the change was in NetSuite. The clock stays first when its offset is
/// the likely cause.
pub fn rank_by_change(causes: &mut Vec<Cause>, changed: &[&'static str], day: &str) {
    let at = usize::from(causes.first().is_some_and(|c| c.id == "clock"));
    if changed.is_empty() {
        causes.insert(
            at,
            Cause {
                id: "changed_in_netsuite",
                step: Step::Mapping,
                message: format!(
                    "Nothing changed on this computer since the connection last worked ({day}): the Client ID, the \
                     Certificate ID and the key are the same. So the change was in NetSuite (the mapping revoked or \
                     expired, the role or user changed, the integration record edited, a sandbox refreshed), or \
                     NetSuite had trouble of its own. The Login Audit Trail's Detail says which."
                ),
            },
        );
        return;
    }
    for id in changed.iter().rev() {
        if let Some(i) = causes.iter().position(|c| c.id == *id) {
            let mut c = causes.remove(i);
            let what = match c.id {
                "client_id" => "The Client ID",
                "certificate_id" => "The Certificate ID",
                _ => "The private key",
            };
            c.message = format!("{what} changed since the connection last worked ({day}). {}", c.message);
            causes.insert(at, c);
        }
    }
}

fn environment_cause(account: &Account) -> Cause {
    let message = match account.environment() {
        Environment::Sandbox { .. } => format!(
            "Mappings belong to one account: they are not copied from production to a sandbox, and a sandbox refresh \
             deletes the sandbox's. Create the mapping (and upload the certificate) in {} itself.",
            account.id()
        ),
        Environment::Production => format!(
            "The account ID {} is a production account. A mapping made in a sandbox or release preview works only there, \
             with that account's ID (like {}_SB1); a production mapping needs the ID without a suffix.",
            account.id(),
            account.id()
        ),
        env => format!(
            "The account ID {} names the {env} account; mappings are per account and not copied between them: create \
             the mapping in this account.",
            account.id()
        ),
    };
    Cause {
        id: "environment",
        step: Step::Mapping,
        message,
    }
}

/// Rewrites a REST answer's diagnosis for a call made with an OAuth 2.0 access token: what success
/// proves, and why a token NetSuite just issued would be refused.
pub fn for_bearer_call(
    purpose: &Purpose,
    outcome: Outcome,
    proven: &mut Vec<String>,
    causes: &mut Vec<Cause>,
    clock: Option<ClockCheck>,
) {
    match outcome {
        Outcome::Success => {
            if matches!(purpose, Purpose::TestCall) {
                // The TBA wording names the four TBA values; here the token is what was accepted.
                proven.retain(|p| !p.contains("token secret"));
                proven.insert(
                    1,
                    "NetSuite issued an access token for the Client ID and Certificate ID, and accepted it".into(),
                );
            }
        }
        Outcome::CredentialsRefused => {
            *causes = vec![
                Cause {
                    id: "role_oauth2_permission",
                    step: Step::Role,
                    message: "NetSuite issued a token but refused it here: the mapping's role needs Setup > Log in using \
                              OAuth 2.0 Access Tokens and Setup > REST Web Services."
                        .into(),
                },
                Cause {
                    id: "scope",
                    step: Step::IntegrationRecord,
                    message: "The token must carry the scope of the call: REST WEB SERVICES (rest_webservices) for REST \
                              web services, RESTLETS (restlets) for RESTlets, ticked on the integration record and asked for."
                        .into(),
                },
                Cause {
                    id: "token_expired",
                    step: Step::Network,
                    message: "An access token lasts 60 minutes: test again, which asks for a new one.".into(),
                },
            ];
            if let Some(c) = clock.filter(|c| c.status == ClockStatus::LikelyCause) {
                causes.insert(
                    0,
                    Cause {
                        id: "clock",
                        step: Step::Clock,
                        message: c.describe(),
                    },
                );
            }
        }
        _ => {}
    }
}

/// The Login Audit Trail how-to for OAuth 2.0: the same search, and the Detail values Oracle lists for
/// OAuth 2.0. Their meanings are read from their names and users' reports; Oracle gives no table.
pub fn audit_trail_help() -> AuditTrailHelp {
    AuditTrailHelp {
        menu_path: "Setup > Users/Roles > User Management > View Login Audit Trail",
        instructions: vec![
            "Open Setup > Users/Roles > User Management > View Login Audit Trail as an administrator.",
            "Tick Use Advanced Search, then on the Results subtab add the columns Detail, Role and Email Address.",
            "Search, and find the newest row for the mapping's user: its Detail column names the real reason.",
        ],
        columns: ["Detail", "Role", "Email Address"],
        detail_values: vec![
            DetailValue { value: "InvalidSignature", meaning: "The assertion's signature did not verify against the mapping's certificate: the Certificate ID is another certificate's, or the key is not the one whose certificate was uploaded.", step: Step::Mapping },
            DetailValue { value: "TokenRejected", meaning: "The assertion was refused: check the Certificate ID, the Client ID and that the certificate is neither revoked nor expired.", step: Step::Mapping },
            DetailValue { value: "InvalidIntegration", meaning: "The Client ID is not an enabled integration record with the client credentials grant ticked.", step: Step::IntegrationRecord },
            DetailValue { value: "ClientAuthenticationFailed", meaning: "The Client ID, or the mapping it is used with, is wrong.", step: Step::IntegrationRecord },
            DetailValue { value: "AuthorizationCodeGrantRequired", meaning: "The integration record does not allow the client credentials grant: tick CLIENT CREDENTIALS (MACHINE TO MACHINE) GRANT.", step: Step::IntegrationRecord },
            DetailValue { value: "InvalidScope", meaning: "A scope asked for is not one NetSuite knows.", step: Step::IntegrationRecord },
            DetailValue { value: "ScopeMismatched", meaning: "A scope asked for is not ticked on the integration record.", step: Step::IntegrationRecord },
            DetailValue { value: "EntityOrRoleDisabled", meaning: "The mapping's user or role is inactive.", step: Step::UserRole },
            DetailValue { value: "AccessTokenExpired", meaning: "The access token is older than 60 minutes: asking again gives a new one.", step: Step::Network },
            DetailValue { value: "RefreshTokenExpired", meaning: "Not used by client credentials (it belongs to the authorization code grant).", step: Step::IntegrationRecord },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent() -> SentAssertion {
        SentAssertion {
            certificate_id: "CERT1".into(),
            algorithm: Algorithm::ES256,
            scopes: vec![Scope::RestWebservices],
            scope_form: ScopeForm::JsonArray,
        }
    }

    fn ids(causes: &[Cause]) -> Vec<&'static str> {
        causes.iter().map(|c| c.id).collect()
    }

    /// A bare 500 cannot tell a wrong Client ID from a wrong Certificate ID; what changed since the
    /// connection last worked can, and with nothing changed here the change was in NetSuite.
    #[test]
    fn what_changed_since_it_last_worked_leads() {
        let a = Account::parse("1234567_SB1").unwrap();
        let base = || diagnose_token_refusal(&a, 500, r#"{"error":"server_error"}"#, None, &sent()).2;
        let mut causes = base();
        assert_eq!(causes[0].id, "certificate_id");
        rank_by_change(&mut causes, &["client_id"], "2026-11-30");
        assert_eq!(ids(&causes)[..2], ["client_id", "certificate_id"]);
        assert!(causes[0]
            .message
            .starts_with("The Client ID changed since the connection last worked (2026-11-30)."));
        assert_eq!(causes.len(), base().len(), "reordered, nothing lost");

        let mut causes = base();
        rank_by_change(&mut causes, &[], "2026-11-30");
        assert_eq!(causes[0].id, "changed_in_netsuite");
        assert!(causes[0].message.contains("Nothing changed on this computer"));

        // The clock, when its offset is the likely cause, stays first.
        let (_, _, mut causes, _) = diagnose_token_refusal(
            &a,
            500,
            r#"{"error":"server_error"}"#,
            Some(ClockCheck::from_offset(400)),
            &sent(),
        );
        assert_eq!(causes[0].id, "clock");
        rank_by_change(&mut causes, &["certificate_id", "client_id"], "2026-11-30");
        assert_eq!(ids(&causes)[..3], ["clock", "certificate_id", "client_id"]);
    }

    #[test]
    fn a_bare_server_error_lists_the_causes_in_order() {
        let a = Account::parse("1234567_SB1").unwrap();
        let (o, summary, causes, err) = diagnose_token_refusal(
            &a,
            500,
            r#"{"error":"server_error"}"#,
            Some(ClockCheck::from_offset(1)),
            &sent(),
        );
        assert_eq!(o, Outcome::CredentialsRefused);
        assert_eq!(err.code.as_deref(), Some("server_error"));
        assert!(summary.contains("HTTP 500 server_error"), "{summary}");
        assert_eq!(
            ids(&causes),
            [
                "certificate_id",
                "client_id",
                "role_oauth2_permission",
                "scope",
                "environment",
                "certificate_revoked",
                "entity_role_disabled",
                "feature_oauth2",
                "netsuite_trouble"
            ]
        );
        assert!(causes[0].message.contains("CERT1"));
        assert!(causes[3].message.contains("JSON array") && causes[3].message.contains("comma-separated"));
        assert!(causes[4].message.contains("sandbox refresh"));
        assert_eq!(causes[0].step, Step::Mapping);
        assert_eq!(causes[5].step, Step::KeyCertificate);
    }

    #[test]
    fn the_code_and_the_clock_move_their_causes_first() {
        let a = Account::parse("1234567").unwrap();
        let body = r#"{"error":"invalid_scope","error_description":"scope not allowed"}"#;
        let (_, _, causes, _) = diagnose_token_refusal(&a, 400, body, None, &sent());
        assert_eq!(ids(&causes)[..2], ["netsuite_detail", "scope"]);
        assert_eq!(causes[0].message, "NetSuite said: scope not allowed");
        let (_, _, causes, _) = diagnose_token_refusal(
            &a,
            401,
            r#"{"error":"invalid_client"}"#,
            Some(ClockCheck::from_offset(-900)),
            &sent(),
        );
        assert_eq!(ids(&causes)[..2], ["clock", "client_id"]);
        assert!(causes.iter().all(|c| c.id != "netsuite_trouble"));
    }

    #[test]
    fn answers_that_are_not_a_refusal_are_not_called_one() {
        let a = Account::parse("1234567").unwrap();
        let cases: &[(u16, &str, Outcome)] = &[
            (200, r#"{"token_type":"Bearer"}"#, Outcome::ServerError),
            (502, "<html>bad gateway</html>", Outcome::ServerError),
            (500, "<html>oops</html>", Outcome::ServerError),
            (503, r#"{"error":"temporarily_unavailable"}"#, Outcome::ServerError),
            (429, "", Outcome::ConcurrencyLimit),
            (400, r#"{"error":"invalid_grant"}"#, Outcome::CredentialsRefused),
        ];
        for (status, body, want) in cases {
            let (o, summary, _, _) = diagnose_token_refusal(&a, *status, body, None, &sent());
            assert_eq!(o, *want, "{status} {body}");
            assert!(!summary.is_empty());
        }
    }

    #[test]
    fn a_bearer_refusal_has_its_own_causes() {
        let mut proven = vec![];
        let mut causes = vec![];
        for_bearer_call(
            &Purpose::TestCall,
            Outcome::CredentialsRefused,
            &mut proven,
            &mut causes,
            None,
        );
        assert_eq!(ids(&causes), ["role_oauth2_permission", "scope", "token_expired"]);
        let mut proven = vec![
            "NetSuite account 1234567 answered".to_string(),
            "The consumer key and secret, token ID and token secret were accepted".to_string(),
            "The role can use REST web services".to_string(),
        ];
        for_bearer_call(&Purpose::TestCall, Outcome::Success, &mut proven, &mut causes, None);
        assert_eq!(proven.len(), 3);
        assert!(proven[1].contains("access token"));
        assert!(proven.iter().all(|p| !p.contains("consumer")));
    }
}
