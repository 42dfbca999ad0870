//! A test's inputs, taken out of the wizard so the calls can run without holding it: one `Plan` for
//! every test the window runs (the screen's test, the check that replaced values are refused, a home
//! card's test), whatever the auth method, run by `Plan::run` and recorded by `Wizard::record`.

use crate::flow::view::ProbeLine;
use crate::keep::secrets::Fingerprints;
use crate::keep::vault::Slot;
use crate::netsuite::account::Account;
use crate::netsuite::client::{self, ClientOptions, DatacenterCheck, NetSuiteClient};
use crate::netsuite::outcome::{Outcome, Report};
use crate::{CancellationToken, ErrorCode};

/// What a plan is for, which decides where its result is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// The test on the screen on display (setup or journey).
    Test,
    /// A journey's proof that NetSuite now refuses the replaced token or key.
    OldCheck,
    /// The Test button of a home card: the saved connection with this id.
    Home(String),
    /// NetSuite's lookup of the setup's account alone: where it lives, or that it does not exist.
    AccountCheck,
}

pub use crate::netsuite::signer::Signer;

/// What the calls signed with, by fingerprint: a result is kept only if these are still the values on
/// display when the calls return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stamp {
    Tba {
        connection_id: String,
        slot: Slot,
        fingerprints: Fingerprints,
    },
    /// `None` where nothing is kept of the result (the old key's check).
    M2m(Option<M2mSigned>),
    /// A home card's test: its result goes to the card, whatever the values are by then.
    Unkept,
}

/// Every test the window runs: its account, what signs, the probes to run after a pass, and what it
/// signed with.
pub struct Plan {
    pub account: Account,
    pub purpose: Purpose,
    /// Ask NetSuite's datacenter lookup first (the screen's test: it says where the account lives).
    pub check_account: bool,
    /// `None` where the connector runs the signed test itself (Celigo): the account check stands in.
    pub signer: Option<Signer>,
    pub probes: Vec<PlannedProbe>,
    pub stamp: Stamp,
}

/// What a plan's run found.
pub struct Ran {
    pub check: Option<DatacenterCheck>,
    /// `None` when nothing was signed (no signer, or stopped after the account check).
    pub report: Option<Report>,
    pub probes: Vec<ProbeLine>,
}

impl Ran {
    /// A run's report alone, as the engine's tests make one.
    pub fn report(report: Report, probes: Vec<ProbeLine>) -> Ran {
        Ran {
            check: None,
            report: Some(report),
            probes,
        }
    }
}

/// Why a plan could not run at all (not a refusal: NetSuite's answers are reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    pub code: ErrorCode,
    pub message: String,
}

impl Plan {
    pub(crate) fn tba(test: TestPlan, credentials: Option<crate::Credentials>, purpose: Purpose) -> Plan {
        Plan {
            check_account: purpose == Purpose::Test,
            account: test.account,
            purpose,
            signer: credentials.filter(|_| test.signed).map(|c| Signer::Tba(Box::new(c))),
            probes: test.probes,
            stamp: Stamp::Tba {
                connection_id: test.connection_id,
                slot: test.slot,
                fingerprints: test.fingerprints,
            },
        }
    }

    /// The account lookup alone: nothing is signed.
    pub(crate) fn account_check(account: Account) -> Plan {
        Plan {
            account,
            purpose: Purpose::AccountCheck,
            check_account: true,
            signer: None,
            probes: vec![],
            stamp: Stamp::Unkept,
        }
    }

    pub(crate) fn m2m(m2m: M2mPlan, purpose: Purpose) -> Plan {
        Plan {
            check_account: purpose == Purpose::Test,
            account: m2m.account,
            purpose,
            signer: Some(Signer::M2m(m2m.credentials)),
            probes: m2m.probes,
            stamp: Stamp::M2m(m2m.signs_with),
        }
    }

    /// The account check (if asked), then the signed call and, if it passed, the probes, one at a time.
    pub async fn run(&self, options: ClientOptions, cancel: &CancellationToken) -> Result<Ran, RunError> {
        let mut ran = Ran {
            check: None,
            report: None,
            probes: vec![],
        };
        if self.check_account {
            ran.check = Some(check_only(&self.account, &options, cancel).await);
        }
        match &self.signer {
            None => {}
            Some(signer) => {
                let (report, probes) = signed_calls(&self.account, signer, &self.probes, options, cancel).await?;
                ran.report = Some(report);
                ran.probes = probes;
            }
        }
        Ok(ran)
    }
}

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
        let m = connection.m2m()?;
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

/// The signed test call with `signer`, then (if it passed) the probes, one at a time: the calls of every
/// test, whatever signs it (a plan's, and each of `test --all`'s).
pub(crate) async fn signed_calls(
    account: &Account,
    signer: &Signer,
    probes: &[PlannedProbe],
    options: ClientOptions,
    cancel: &CancellationToken,
) -> Result<(Report, Vec<ProbeLine>), RunError> {
    let client = NetSuiteClient::new(account.clone(), options).map_err(|e| RunError {
        code: ErrorCode::Internal,
        message: e.to_string(),
    })?;
    let (report, signed) = match signer.test_call(&client, cancel).await {
        Ok(answer) => answer,
        Err(e) if e.error_code() == crate::ErrorCode::Refused => {
            return Ok((refused_before_sending(e.to_string()), vec![]))
        }
        Err(e) => {
            return Err(RunError {
                code: ErrorCode::BadInput,
                message: e.to_string(),
            })
        }
    };
    let lines = match signed {
        Some(signed) if report.outcome == Outcome::Success => run_probes(&client, signed.auth(), probes, cancel).await,
        _ => vec![],
    };
    Ok((report, lines))
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
