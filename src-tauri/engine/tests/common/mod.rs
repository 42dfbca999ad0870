//! What the wizard's and the journeys' tests share: sample values in NetSuite's shape, a fresh folder,
//! a wizard over an in-memory secret store, and a report diagnosed from a NetSuite-shaped answer.
#![allow(dead_code)] // each test binary uses its own part of it

use tba_engine::flow::wizard::Wizard;
use tba_engine::keep::connections::Connections;
use tba_engine::keep::store::{ConnectionStore, Profile};
use tba_engine::keep::vault::{MemoryStore, Vault};
use tba_engine::netsuite::outcome::{ClockCheck, Purpose};
use tba_engine::{Account, Outcome, Report};

pub const CK: &str = "ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4";
pub const CS: &str = "d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5";
pub const TK: &str = "2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc";
pub const TS: &str = "c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295";

pub const REFUSED_BODY: &str =
    r#"{"status":401,"o:errorDetails":[{"detail":"Invalid login attempt.","o:errorCode":"INVALID_LOGIN"}]}"#;

/// An empty folder of its own for one test.
pub fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("tba-wizard-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A profile this build knows, by id.
pub fn profile(id: &str) -> Profile {
    Profile::parse(id).unwrap_or_else(|| panic!("no profile {id}"))
}

pub fn wizard(dir: &std::path::Path, store: &MemoryStore) -> Wizard<MemoryStore> {
    Wizard::open(Connections::new(ConnectionStore::new(dir), Vault::new(store.clone())))
}

pub fn ids(w: &Wizard<MemoryStore>) -> Vec<String> {
    w.view().screens.into_iter().map(|s| s.id).collect()
}

/// The report the client would make of NetSuite's answer `status`/`body` for the sandbox account.
pub fn report(outcome: Outcome, status: u16, body: &str) -> Report {
    let account = Account::parse("1234567_SB1").unwrap();
    let (outcome2, summary, proven, causes, err) = tba_engine::netsuite::outcome::diagnose_response(
        &account,
        &Purpose::TestCall,
        status,
        body,
        Some(ClockCheck::from_offset(0)),
    );
    assert_eq!(outcome, outcome2);
    Report {
        outcome,
        summary,
        proven,
        warnings: vec![],
        causes,
        http_status: Some(status),
        error_code: err.code,
        error_detail: err.detail,
        network: None,
        clock: None,
        attempts: 1,
        elapsed_ms: 1,
        audit_trail: None,
    }
}

/// What the window does with a finished test of the screen on display: the plan it made, recorded
/// with `report` as the run's result.
#[allow(dead_code)]
pub fn test_result(
    w: &mut Wizard<MemoryStore>,
    report: Report,
    probes: Vec<tba_engine::flow::view::ProbeLine>,
) -> Result<tba_engine::flow::view::View, tba_engine::flow::view::WizardError> {
    let plan = w.plan(tba_engine::flow::plan::Purpose::Test)?;
    w.record(&plan, tba_engine::flow::plan::Ran::report(report, probes))?;
    Ok(w.view())
}
