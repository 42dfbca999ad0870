//! A test's inputs, taken out of the wizard so the calls can run without holding it: one `Plan` for
//! every test the window runs (the screen's test, the check that replaced values are refused, a home
//! card's test), whatever the auth method, run by `Plan::run` and recorded by `Wizard::record`.

use crate::flow::view::ProbeLine;
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::store::{Connection, SignedWith};
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::client::{self, ClientOptions, DatacenterCheck, NetSuiteClient};
use crate::netsuite::outcome::{Outcome, Report};
use crate::netsuite::stage::{Tell, TestStage};
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
    Kept {
        connection_id: String,
        slot: Slot,
        values: SignedWith,
    },
    /// Nothing is kept by comparison (a home card's test, the account check, an old value's check).
    Unkept,
}

impl Stamp {
    /// What a test of `slot`'s values of `c` signs with now.
    pub(crate) fn of(c: &Connection, slot: Slot) -> Stamp {
        Stamp::Kept {
            connection_id: c.id.clone(),
            slot,
            values: c.signed_with(slot),
        }
    }
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

/// A flow's test before the keyring is read: whose values sign (the slot), whether the wizard signs at
/// all, and the probes after the test call.
#[derive(Debug, Clone)]
pub struct TestPlan {
    pub account: Account,
    pub slot: Slot,
    /// `false` where the connector runs the signed test itself (Celigo).
    pub signed: bool,
    pub probes: Vec<PlannedProbe>,
}

/// What a plan's run found.
pub struct Ran {
    pub check: Option<DatacenterCheck>,
    /// `None` when nothing was signed (no signer).
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
    /// `test` of `c`'s values, signed as its method signs (read from the keyring now), unless the
    /// connector runs the signed test itself.
    pub(crate) fn of_test<S: SecretStore>(
        connections: &Connections<S>,
        c: &Connection,
        test: TestPlan,
        purpose: Purpose,
    ) -> Result<Plan, ConnectionError> {
        let signer = if test.signed {
            Some(connections.signer(c, test.slot)?)
        } else {
            None
        };
        Ok(Plan {
            check_account: purpose == Purpose::Test,
            account: test.account,
            purpose,
            signer,
            probes: test.probes,
            stamp: Stamp::of(c, test.slot),
        })
    }

    /// A check signed with values read for it (an old key with its old Certificate ID), kept by nothing
    /// but its purpose.
    pub(crate) fn with_signer(account: Account, signer: Signer, purpose: Purpose) -> Plan {
        Plan {
            check_account: purpose == Purpose::Test,
            account,
            purpose,
            signer: Some(signer),
            probes: vec![],
            stamp: Stamp::Unkept,
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

    /// Runs the plan's calls, telling `tell` each stage as it starts (the window shows it).
    pub async fn run(
        &self,
        options: ClientOptions,
        cancel: &CancellationToken,
        tell: Tell<'_>,
    ) -> Result<Ran, RunError> {
        let mut ran = Ran {
            check: None,
            report: None,
            probes: vec![],
        };
        if self.check_account {
            tell(TestStage::CheckingAccount);
            ran.check = Some(check_only(&self.account, &options, cancel).await);
        }
        match &self.signer {
            None => {}
            Some(signer) => {
                let (report, probes) = signed_calls(&self.account, signer, &self.probes, options, cancel, tell).await?;
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

/// One read-only probe per permission, one at a time (NetSuite's concurrency limit is shared with the
/// account's other integrations), stopping at the first network trouble.
async fn run_probes(
    client: &NetSuiteClient,
    auth: client::Auth<'_>,
    probes: &[PlannedProbe],
    cancel: &CancellationToken,
    tell: Tell<'_>,
) -> Vec<ProbeLine> {
    let mut lines = Vec::new();
    for (i, p) in probes.iter().enumerate() {
        tell(TestStage::Permission {
            n: i + 1,
            of: probes.len(),
            permission: p.permission.clone(),
        });
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

/// The signed test call with `signer`, then (if it passed) the probes, one at a time: the calls of every
/// test, whatever signs it (a plan's, and each of `test --all`'s).
pub(crate) async fn signed_calls(
    account: &Account,
    signer: &Signer,
    probes: &[PlannedProbe],
    options: ClientOptions,
    cancel: &CancellationToken,
    tell: Tell<'_>,
) -> Result<(Report, Vec<ProbeLine>), RunError> {
    let client = NetSuiteClient::new(account.clone(), options).map_err(|e| RunError {
        code: ErrorCode::Internal,
        message: e.to_string(),
    })?;
    let (report, signed) = match signer.test_call(&client, cancel, tell).await {
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
        Some(signed) if report.outcome == Outcome::Success => {
            run_probes(&client, signed.auth(), probes, cancel, tell).await
        }
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
