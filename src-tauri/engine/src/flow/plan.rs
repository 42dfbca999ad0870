//! The signed test's inputs, taken out of the wizard so the call can run without holding it.

use crate::flow::view::ProbeLine;
use crate::keep::secrets::Fingerprints;
use crate::keep::vault::Slot;
use crate::netsuite::account::Account;
use crate::netsuite::client::{self, ClientOptions, DatacenterCheck, NetSuiteClient};
use crate::netsuite::outcome::{Outcome, Report};
use crate::CancellationToken;

#[derive(Debug, Clone)]
pub struct PlannedProbe {
    pub permission: String,
    pub subtab: String,
    pub step: String,
    pub query: String,
}

impl PlannedProbe {
    pub(crate) fn of(p: &crate::profiles::Probe<'_>) -> PlannedProbe {
        PlannedProbe {
            permission: p.permission.to_string(),
            subtab: p.subtab.to_string(),
            step: p.step.to_string(),
            query: p.query.to_string(),
        }
    }
}

/// The inputs of a signed test, taken out of the wizard so the test can run without holding it.
#[derive(Debug, Clone)]
pub struct TestPlan {
    pub account: Account,
    pub connection_id: String,
    pub signed: bool,
    pub probes: Vec<PlannedProbe>,
    /// Which of the connection's sets signs: the active one, the staged one of a rotation, or the
    /// replaced one (to prove NetSuite refuses it).
    pub slot: Slot,
    /// The signing set's fingerprints when the plan was made: a result is recorded only if they are
    /// still the values on display when the call returns.
    pub fingerprints: Fingerprints,
}

impl TestPlan {
    /// Runs the signed call, then (if it passed) one read-only probe per permission. Probes run one at
    /// a time: NetSuite's concurrency limit is shared with the account's other integrations.
    pub async fn run(
        &self,
        credentials: &crate::Credentials,
        options: ClientOptions,
        cancel: &CancellationToken,
    ) -> Result<(Report, Vec<ProbeLine>), client::ClientError> {
        let client = NetSuiteClient::new(self.account.clone(), options)?;
        let report = client.test_call(credentials, cancel).await;
        let lines = if report.outcome == Outcome::Success {
            run_probes(&client, client::Auth::Tba(credentials), &self.probes, cancel).await
        } else {
            vec![]
        };
        Ok((report, lines))
    }
}

/// One read-only probe per permission, one at a time (NetSuite's concurrency limit is shared with the
/// account's other integrations), stopping at the first network trouble.
async fn run_probes(
    client: &NetSuiteClient,
    auth: client::Auth<'_>,
    probes: &[PlannedProbe],
    cancel: &CancellationToken,
) -> Vec<ProbeLine> {
    let mut lines = Vec::new();
    for p in probes {
        let r = client
            .probe_with(auth, &p.query, &format!("{} > {}", p.subtab, p.permission), cancel)
            .await;
        lines.push(ProbeLine {
            permission: p.permission.clone(),
            subtab: p.subtab.clone(),
            step: p.step.clone(),
            outcome: r.outcome,
            summary: r.summary,
        });
        if r.network.is_some() {
            break;
        }
    }
    lines
}

/// For profiles whose consumer pair is not the user's (Celigo): the account check stands in for the test.
pub async fn check_only(account: &Account, options: &ClientOptions, cancel: &CancellationToken) -> DatacenterCheck {
    client::check_account(account, options, cancel).await
}

/// The inputs of an OAuth 2.0 client credentials test, read from the keyring under the wizard's lock
/// so the calls can run without it.
pub struct M2mPlan {
    pub account: Account,
    pub credentials: Box<crate::netsuite::oauth2::M2mCredentials>,
    /// One read-only query per permission picked for the role, run with the access token once the test
    /// call passed (as TBA's test does); none where the role is not what is being checked.
    pub probes: Vec<PlannedProbe>,
    /// What a window flow's test signs with, when the plan was made: its result is kept only if these
    /// are still the values on display when the calls return (`None` where nothing is kept).
    pub signs_with: Option<M2mSigned>,
}

/// An OAuth 2.0 test's values, by fingerprint and Certificate ID (nothing secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M2mSigned {
    pub connection_id: String,
    pub key: Option<String>,
    pub client_id: Option<String>,
    pub certificate_id: Option<String>,
}

impl M2mSigned {
    /// The active values (`pending` false) or the staged key and Certificate ID over them.
    pub(crate) fn of(connection: &crate::keep::store::Connection, pending: bool) -> Option<M2mSigned> {
        let m = connection.m2m.as_ref()?;
        let (key, certificate_id) = match (pending, &m.pending) {
            (true, Some(p)) => (m.pending_fingerprints.private_key.clone(), p.certificate_id.clone()),
            (true, None) => return None,
            (false, _) => (m.fingerprints.private_key.clone(), m.certificate.certificate_id.clone()),
        };
        Some(M2mSigned {
            connection_id: connection.id.clone(),
            key,
            client_id: m.fingerprints.client_id.clone(),
            certificate_id,
        })
    }
}

impl M2mPlan {
    /// A token, then the test call with it. What NetSuite would surely refuse (an expired certificate,
    /// a key that is not the certificate's) is reported as refused, though nothing was sent; `Err` is
    /// a problem on this side (the client could not be set up, the input is unusable).
    pub async fn run(&self, options: ClientOptions, cancel: &CancellationToken) -> Result<Report, String> {
        self.run_with_probes(options, cancel).await.map(|(report, _)| report)
    }

    /// `run`, then (if it passed) the probes with the same access token, one at a time.
    pub async fn run_with_probes(
        &self,
        options: ClientOptions,
        cancel: &CancellationToken,
    ) -> Result<(Report, Vec<ProbeLine>), String> {
        let client = NetSuiteClient::new(self.account.clone(), options).map_err(|e| e.to_string())?;
        let answer = match client.m2m_test(&self.credentials, cancel).await {
            Ok(answer) => answer,
            Err(e) if e.error_code() == crate::ErrorCode::Refused => {
                return Ok((refused_before_sending(e.to_string()), vec![]))
            }
            Err(e) => return Err(e.to_string()),
        };
        let lines = match (&answer.token, answer.report.outcome) {
            (Some(token), Outcome::Success) => {
                run_probes(&client, client::Auth::Bearer(token), &self.probes, cancel).await
            }
            _ => vec![],
        };
        Ok((answer.report, lines))
    }
}

/// The report of an M2M test stopped before sending because NetSuite would refuse it.
pub(crate) fn refused_before_sending(summary: String) -> Report {
    Report {
        outcome: Outcome::CredentialsRefused,
        summary,
        proven: vec![],
        warnings: vec![],
        causes: vec![],
        http_status: None,
        error_code: None,
        error_detail: None,
        network: None,
        clock: None,
        attempts: 0,
        elapsed_ms: 0,
        audit_trail: None,
    }
}
