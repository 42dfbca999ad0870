//! Testing every saved connection in one go (`tba-wizard test --all`).
//!
//! NetSuite's concurrency limit belongs to the account and is shared by every integration of it, so a
//! batch that fired all its calls at once could push a live connector (Celigo's sync, AfterShip's
//! updates) over the limit. Calls therefore run a few at a time overall and at most two at a time per
//! account, which leaves room in the smallest accounts' limit for the integrations doing real work.

use crate::keep::connections::{method, ConnectionError, Connections, Recorded};
use crate::keep::store::Connection;
use crate::keep::vault::{SecretStore, Slot, VaultError};
use crate::netsuite::client::{self, ClientOptions, DatacenterCheck};
use crate::netsuite::signer::Signer;
use crate::netsuite::stage::untold;
use crate::profiles::ConnectorProfile;
use crate::{Account, CancellationToken, Report};
use serde::Serialize;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Calls in flight across all accounts.
    pub overall: usize,
    /// Calls in flight for one account.
    pub per_account: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            overall: 4,
            per_account: 2,
        }
    }
}

/// Runs `work` on every job, keyed by account, with at most `limits.overall` running at once and at
/// most `limits.per_account` of one account. Results come back in the order of `jobs`.
pub async fn run_limited<J, T, F, Fut>(jobs: Vec<(String, J)>, limits: Limits, work: F) -> Vec<T>
where
    J: Send + 'static,
    T: Send + 'static,
    F: Fn(J) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let count = jobs.len();
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    run_limited_as_done(jobs, limits, work, |index, value| results[index] = Some(value)).await;
    results
        .into_iter()
        .map(|r| r.expect("every job's task reported"))
        .collect()
}

/// `run_limited`, handing each result to `done` (with the job's index) as soon as its job ends, on the
/// caller's task: a list can show each row as it comes.
pub async fn run_limited_as_done<J, T, F, Fut>(
    jobs: Vec<(String, J)>,
    limits: Limits,
    work: F,
    mut done: impl FnMut(usize, T),
) where
    J: Send + 'static,
    T: Send + 'static,
    F: Fn(J) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let work = Arc::new(work);
    let overall = Arc::new(Semaphore::new(limits.overall.max(1)));
    let mut gates: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let mut set = JoinSet::new();
    for (index, (account, job)) in jobs.into_iter().enumerate() {
        let gate = gates
            .entry(account)
            .or_insert_with(|| Arc::new(Semaphore::new(limits.per_account.max(1))))
            .clone();
        let overall = overall.clone();
        let work = work.clone();
        set.spawn(async move {
            // The account's permit first: a job queued behind its own account must not hold one of the
            // overall permits that another account's job could use meanwhile.
            let _account = gate.acquire_owned().await.expect("the semaphore is never closed");
            let _overall = overall.acquire_owned().await.expect("the semaphore is never closed");
            (index, work(job).await)
        });
    }
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((index, value)) => done(index, value),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => unreachable!("batch tasks are never aborted: {e}"),
        }
    }
}

/// Why a connection could not be tested at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unusable {
    /// No secrets, or not all four, are in the keyring.
    MissingSecrets,
    /// The keyring or the connection file could not be used.
    Storage,
    /// The saved record is unusable (an account ID that no longer parses) or the HTTP client failed.
    BadInput,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    /// The signed test call ran; the report was recorded on the connection.
    Tested { report: Report },
    /// The profile's consumer pair is not the user's (Celigo), so no call can be signed; only the
    /// account was checked, as the window does.
    NotTested {
        reason: String,
        account_check: DatacenterCheck,
    },
    /// Nothing was sent for this connection.
    Unusable { why: Unusable, message: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectionResult {
    pub connection: Connection,
    /// `None` when the saved account ID does not parse.
    #[serde(skip)]
    pub account: Option<Account>,
    pub verdict: Verdict,
}

impl ConnectionResult {
    /// Only a test that ran and failed, or a connection that could not be tested, counts as failed;
    /// a connection nobody can test here is shown but does not fail the batch.
    pub fn failed(&self) -> bool {
        match &self.verdict {
            Verdict::Tested { report } => report.outcome != crate::Outcome::Success,
            Verdict::NotTested { .. } => false,
            Verdict::Unusable { .. } => true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Batch {
    /// Sorted by label, so the same connections always print in the same order.
    pub results: Vec<ConnectionResult>,
    /// Things that went wrong beside the tests themselves (a result that could not be recorded).
    pub warnings: Vec<String>,
}

enum Job {
    /// The test call, signed as the connection's auth method signs (an OAuth 2.0 connection's: a token,
    /// then the call with it).
    Signed(Account, Signer),
    CheckOnly(Account),
}

enum Done {
    Report(Box<Report>),
    Checked(DatacenterCheck),
    ClientSetup(String),
}

fn unusable(e: ConnectionError) -> Verdict {
    let why = match &e {
        ConnectionError::Vault(VaultError::Missing | VaultError::Incomplete(_)) => Unusable::MissingSecrets,
        ConnectionError::Vault(_) | ConnectionError::Store(_) => Unusable::Storage,
        ConnectionError::BadInput(_) => Unusable::BadInput,
    };
    let message = match &e {
        ConnectionError::Vault(VaultError::Missing) => "no secrets saved: capture them again".to_string(),
        ConnectionError::Vault(VaultError::Incomplete(list)) => format!("secrets missing: {list}"),
        other => other.to_string(),
    };
    Verdict::Unusable { why, message }
}

/// Reads what one connection's test needs, or says why it cannot be tested.
fn prepare<S: SecretStore>(
    conns: &Connections<S>,
    record: Connection,
) -> (Connection, Option<Account>, Result<Job, Verdict>) {
    let connection = match conns.sync_record(record.clone()) {
        Ok(c) => c,
        Err(e) => {
            let account = Account::parse(&record.account).ok();
            return (record, account, Err(unusable(e)));
        }
    };
    let account = match Account::parse(&connection.account) {
        Ok(a) => a,
        Err(e) => {
            let verdict = Verdict::Unusable {
                why: Unusable::BadInput,
                message: format!("the saved account ID is not valid: {e}"),
            };
            return (connection, None, Err(verdict));
        }
    };
    // Checked before the keyring: a Celigo connection holds only the token pair.
    if !ConnectorProfile::of(connection.profile).signed_test {
        return (connection, Some(account.clone()), Ok(Job::CheckOnly(account)));
    }
    let job = match method::of::<S>(connection.kind()).signer(conns, &connection, Slot::Active) {
        Ok(signer) => Ok(Job::Signed(account.clone(), signer)),
        Err(e) => Err(unusable(e)),
    };
    (connection, Some(account), job)
}

/// What `test_all_telling` tells as it goes: one connection's result as soon as it is known (those that
/// cannot be tested first, then the others in the order their calls end), and, for one whose calls just
/// ended, how many of the connections making calls have ended, of how many.
pub struct Told<'a> {
    pub result: &'a ConnectionResult,
    pub calls_ended: Option<(usize, usize)>,
}

pub type Progress<'a> = &'a (dyn Fn(Told<'_>) + Sync);

/// Tests every saved connection: a signed test call for those whose profile signs (recorded on the
/// connection, as a single test is), the account check for the others. Keyring reads happen one at a
/// time before any call is made, since the keyring may ask the user to unlock it.
pub async fn test_all<S: SecretStore>(
    conns: &Connections<S>,
    options: ClientOptions,
    limits: Limits,
    cancel: &CancellationToken,
) -> Result<Batch, ConnectionError> {
    test_all_telling(conns, options, limits, cancel, &|_| {}).await
}

/// `test_all`, telling `progress` each result as it is known.
pub async fn test_all_telling<S: SecretStore>(
    conns: &Connections<S>,
    options: ClientOptions,
    limits: Limits,
    cancel: &CancellationToken,
    progress: Progress<'_>,
) -> Result<Batch, ConnectionError> {
    let saved = conns.store.load()?;
    let mut prepared = Vec::with_capacity(saved.len());
    let mut jobs = Vec::new();
    {
        // Every connection's secrets from one search of the keyring. Should the search fail, each
        // connection is read on its own and says why it cannot be tested, as before.
        let _batch = (!saved.is_empty()).then(|| conns.vault.batch().ok());
        for record in saved {
            let (connection, account, job) = prepare(conns, record);
            let verdict = match job {
                Ok(job) => {
                    let key = account.as_ref().map(|a| a.id().to_string()).unwrap_or_default();
                    jobs.push((key, (prepared.len(), job)));
                    None
                }
                Err(verdict) => Some(verdict),
            };
            prepared.push((connection, account, verdict));
        }
    }
    let tell = |(connection, account, verdict): &(Connection, Option<Account>, Option<Verdict>), calls_ended| {
        let Some(verdict) = verdict else { return };
        let result = ConnectionResult {
            connection: connection.clone(),
            account: account.clone(),
            verdict: verdict.clone(),
        };
        progress(Told {
            result: &result,
            calls_ended,
        });
    };
    for untestable in &prepared {
        tell(untestable, None);
    }
    let cancel = cancel.clone();
    let total = jobs.len();
    let mut ended = 0;
    let work = move |(index, job)| {
        let options = options.clone();
        let cancel = cancel.clone();
        async move {
            let done = match job {
                Job::Signed(account, signer) => {
                    match crate::flow::plan::signed_calls(&account, &signer, &[], options, &cancel, &untold).await {
                        Ok((report, _)) => Done::Report(Box::new(report)),
                        Err(e) => Done::ClientSetup(e.message),
                    }
                }
                Job::CheckOnly(account) => Done::Checked(client::check_account(&account, &options, &cancel).await),
            };
            (index, done)
        }
    };
    run_limited_as_done(jobs, limits, work, |_, (index, outcome)| {
        let (connection, _, verdict) = &mut prepared[index];
        *verdict = Some(match outcome {
            Done::Report(mut report) => {
                conns.explain_m2m_refusal(connection, &mut report);
                Verdict::Tested { report: *report }
            }
            Done::Checked(check) => Verdict::NotTested {
                reason: ConnectorProfile::of(connection.profile).signed_test_note.clone(),
                account_check: check,
            },
            Done::ClientSetup(message) => Verdict::Unusable {
                why: Unusable::BadInput,
                message,
            },
        });
        ended += 1;
        tell(&prepared[index], Some((ended, total)));
    })
    .await;
    let mut warnings = Vec::new();
    // Every result in one write of the connection file, not one write (of a file that grows with them)
    // per connection.
    let tested: Vec<(usize, &Connection, &Report)> = prepared
        .iter()
        .enumerate()
        .filter_map(|(i, (c, _, verdict))| match verdict {
            Some(Verdict::Tested { report }) => Some((i, c, report)),
            _ => None,
        })
        .collect();
    let reports: Vec<(&Connection, &Report)> = tested.iter().map(|(_, c, r)| (*c, *r)).collect();
    let indexes: Vec<usize> = tested.iter().map(|(i, _, _)| *i).collect();
    match conns.record_tests(&reports) {
        Ok(updated) => {
            for (i, updated) in indexes.into_iter().zip(updated) {
                let connection = &mut prepared[i].0;
                match updated {
                    Some(Recorded::Saved(c)) => *connection = c,
                    Some(Recorded::Changed(c)) => {
                        warnings.push(format!(
                            "\"{}\" changed while it was tested (its new values were put in use): this result, of \
                             the values before, was not saved. Test it again.",
                            connection.label
                        ));
                        *connection = c;
                    }
                    None => warnings.push(format!(
                        "the result for \"{}\" could not be saved: {}",
                        connection.label,
                        crate::keep::connections::GONE
                    )),
                }
            }
        }
        Err(e) => {
            for i in indexes {
                warnings.push(format!(
                    "the result for \"{}\" could not be saved: {e}",
                    prepared[i].0.label
                ));
            }
        }
    }
    let mut results: Vec<ConnectionResult> = prepared
        .into_iter()
        .map(|(connection, account, verdict)| ConnectionResult {
            connection,
            account,
            verdict: verdict.expect("every job reported"),
        })
        .collect();
    results.sort_by(|a, b| {
        a.connection
            .label
            .to_lowercase()
            .cmp(&b.connection.label.to_lowercase())
            .then_with(|| a.connection.id.cmp(&b.connection.id))
    });
    Ok(Batch { results, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keep::secrets::{Field, SecretSet};
    use crate::keep::store::{ConnectionStore, Profile};
    use crate::keep::vault::{MemoryStore, Vault};
    use secrecy::SecretString;
    use std::sync::Mutex;
    use std::time::Duration;

    /// Calls in flight now and the most seen, per account and overall.
    #[derive(Default)]
    struct Gauge {
        now: HashMap<String, usize>,
        max: HashMap<String, usize>,
        now_total: usize,
        max_total: usize,
    }

    async fn run_gauged(jobs: Vec<(String, usize)>, limits: Limits) -> (Vec<usize>, Gauge) {
        let gauge = Arc::new(Mutex::new(Gauge::default()));
        let g = gauge.clone();
        let jobs: Vec<(String, (String, usize))> = jobs.into_iter().map(|(a, n)| (a.clone(), (a, n))).collect();
        let out = run_limited(jobs, limits, move |(account, n)| {
            let g = g.clone();
            async move {
                {
                    let mut g = g.lock().unwrap();
                    let now = g.now.entry(account.clone()).or_default();
                    *now += 1;
                    let now = *now;
                    let max = g.max.entry(account.clone()).or_default();
                    *max = (*max).max(now);
                    g.now_total += 1;
                    g.max_total = g.max_total.max(g.now_total);
                }
                // Different lengths, so jobs finish out of order and the result order is really tested:
                // in turns of the test's one-thread scheduler, not in time, so no clock decides.
                for _ in 0..1 + (n * 7) % 30 {
                    tokio::task::yield_now().await;
                }
                let mut g = g.lock().unwrap();
                *g.now.get_mut(&account).unwrap() -= 1;
                g.now_total -= 1;
                n
            }
        })
        .await;
        let gauge = Arc::try_unwrap(gauge).ok().unwrap().into_inner().unwrap();
        (out, gauge)
    }

    #[tokio::test]
    async fn at_most_two_per_account_while_another_account_runs_alongside() {
        let jobs: Vec<(String, usize)> = (0..12)
            .map(|n| (if n % 3 == 0 { "7654321" } else { "1234567_SB1" }.to_string(), n))
            .collect();
        let (out, gauge) = run_gauged(jobs, Limits::default()).await;
        assert_eq!(out, (0..12).collect::<Vec<_>>(), "results keep the jobs' order");
        assert_eq!(gauge.max["1234567_SB1"], 2, "{:?}", gauge.max);
        assert_eq!(gauge.max["7654321"], 2, "{:?}", gauge.max);
        assert_eq!(gauge.max_total, 4, "both accounts ran at the same time");
    }

    #[tokio::test]
    async fn the_overall_limit_holds_across_many_accounts() {
        let jobs: Vec<(String, usize)> = (0..20).map(|n| (format!("ACCOUNT{}", n % 10), n)).collect();
        let limits = Limits {
            overall: 3,
            per_account: 2,
        };
        let (out, gauge) = run_gauged(jobs, limits).await;
        assert_eq!(out, (0..20).collect::<Vec<_>>());
        assert_eq!(gauge.max_total, 3);
        assert!(gauge.max.values().all(|m| *m <= 2), "{:?}", gauge.max);
    }

    #[tokio::test]
    async fn zero_limits_still_make_progress() {
        let limits = Limits {
            overall: 0,
            per_account: 0,
        };
        let (out, gauge) = run_gauged(vec![("A".into(), 1), ("A".into(), 2), ("B".into(), 3)], limits).await;
        assert_eq!(out, [1, 2, 3]);
        assert_eq!(gauge.max_total, 1);
    }

    #[tokio::test]
    async fn no_jobs_no_results() {
        let out: Vec<()> = run_limited(Vec::<(String, ())>::new(), Limits::default(), |_| async {}).await;
        assert!(out.is_empty());
    }

    fn set(fields: &[(Field, &str)]) -> SecretSet {
        let mut s = SecretSet::default();
        for (f, v) in fields {
            s.set(*f, SecretString::from(*v));
        }
        s
    }

    fn four(tag: &str) -> SecretSet {
        let v: Vec<String> = ["ck", "cs", "ti", "ts"]
            .iter()
            .map(|f| format!("{f}-{tag}-0123456789abcdef"))
            .collect();
        set(&[
            (Field::ConsumerKey, &v[0]),
            (Field::ConsumerSecret, &v[1]),
            (Field::TokenId, &v[2]),
            (Field::TokenSecret, &v[3]),
        ])
    }

    /// A local address nobody listens on, so signed calls fail fast with "connection refused".
    fn closed_base_url() -> url::Url {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap()
    }

    #[tokio::test]
    async fn each_kind_of_connection_gets_its_row_and_tests_are_recorded() {
        let dir = std::env::temp_dir().join(format!("tba-batch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let conns = Connections::new(ConnectionStore::new(dir.clone()), Vault::new(MemoryStore::default()));
        let sb1 = Account::parse("1234567_SB1").unwrap();
        let prod = Account::parse("7654321").unwrap();
        let (signed, _) = conns
            .add("b shop", &sb1, Profile::parse("own").unwrap(), None, &four("a"))
            .unwrap();
        let token_only = set(&[
            (Field::TokenId, "ti-celigo-0123456789"),
            (Field::TokenSecret, "ts-celigo-0123456789"),
        ]);
        conns
            .add("A celigo", &prod, Profile::parse("celigo").unwrap(), None, &token_only)
            .unwrap();
        let half = set(&[
            (Field::ConsumerKey, "ck-half-0123456789"),
            (Field::ConsumerSecret, "cs-half-0123456789"),
        ]);
        conns
            .add("c half", &prod, Profile::parse("aftership").unwrap(), None, &half)
            .unwrap();
        conns
            .add(
                "D empty",
                &sb1,
                Profile::parse("own").unwrap(),
                None,
                &SecretSet::default(),
            )
            .unwrap();

        let options = ClientOptions {
            base_url: Some(closed_base_url()),
            timeout: Duration::from_secs(5),
            ..Default::default()
        };
        let told = std::sync::Mutex::new(Vec::new());
        let progress = |t: Told<'_>| {
            told.lock()
                .unwrap()
                .push((t.calls_ended, t.result.connection.label.clone(), t.result.failed()));
        };
        let batch = test_all_telling(&conns, options, Limits::default(), &CancellationToken::new(), &progress)
            .await
            .unwrap();
        assert!(batch.warnings.is_empty(), "{:?}", batch.warnings);
        // Told once per connection, with its result: first the two that cannot be tested (in saved
        // order), then the two with all their values (the signed one and Celigo's account check),
        // counting up as each one's calls ended.
        let mut told = told.into_inner().unwrap();
        assert_eq!(
            told[..2],
            [(None, "c half".to_string(), true), (None, "D empty".to_string(), true)]
        );
        assert_eq!(
            told[2..].iter().map(|t| t.0).collect::<Vec<_>>(),
            [Some((1, 2)), Some((2, 2))]
        );
        told[2..].sort_by(|a, b| a.1.cmp(&b.1));
        assert_eq!(
            told[2..].iter().map(|t| (t.1.as_str(), t.2)).collect::<Vec<_>>(),
            [("A celigo", false), ("b shop", true)]
        );
        let labels: Vec<&str> = batch.results.iter().map(|r| r.connection.label.as_str()).collect();
        assert_eq!(
            labels,
            ["A celigo", "b shop", "c half", "D empty"],
            "sorted by label, any case"
        );

        let [celigo, shop, half, empty] = &batch.results[..] else {
            panic!()
        };
        assert!(matches!(&celigo.verdict, Verdict::NotTested { reason, .. } if reason.contains("Celigo")));
        assert!(!celigo.failed(), "a connection nobody can test here is not a failure");
        assert!(
            celigo.connection.last_test.is_none(),
            "no test ran, so none is recorded"
        );

        let Verdict::Tested { report } = &shop.verdict else {
            panic!("{:?}", shop.verdict)
        };
        assert_eq!(report.outcome, crate::Outcome::NetworkError);
        assert!(shop.failed());
        let recorded = conns.get(&signed.id).unwrap().last_test.expect("the test is recorded");
        assert_eq!(recorded.outcome, crate::Outcome::NetworkError);
        assert_eq!(shop.connection.last_test.as_ref(), Some(&recorded));

        assert!(
            matches!(&half.verdict, Verdict::Unusable { why: Unusable::MissingSecrets, message }
                if message.contains("Token ID") && message.contains("Token Secret")),
            "{:?}",
            half.verdict
        );
        assert!(half.failed());
        assert!(
            matches!(&empty.verdict, Verdict::Unusable { why: Unusable::MissingSecrets, message } if message.contains("no secrets")),
            "{:?}",
            empty.verdict
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
