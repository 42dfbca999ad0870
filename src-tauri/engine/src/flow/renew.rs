//! Renewing an OAuth 2.0 connection's certificate before it ends (`tba-wizard-cli m2m renew`), by
//! NetSuite's certificate endpoint where the role may use it: a new key and certificate staged, uploaded
//! as a mapping like the current one (with the current token), tested, switched to, the old mapping
//! revoked and the old key shown refused.
//!
//! Every step starts from what the connection's record and the keyring say, never from memory of an
//! earlier run, so a run killed at any moment is finished by the next, and the connection always keeps a
//! key that works: the old key stays in use until the new one passed its test, and the old mapping is
//! revoked only after the switch. Where NetSuite does not let the endpoint be used, the new key stays
//! staged and the result says what to do by hand.
//!
//! Nothing here logs a value; the caller registers the connection's keys with the log's redactor first.

use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::m2m::renew::{algorithm_and_retired_tba, renewal_state, replaced_certificate_id, staged_pem};
use crate::keep::store::Connection;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::oauth2::{Certificate, PrivateKey};
use crate::netsuite::outcome::Outcome;
use crate::netsuite::stage::{untold, TestStage};
use crate::{CancellationToken, ErrorCode, NetSuiteClient};
use serde::Serialize;
use std::time::SystemTime;

/// What `renew` is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct RenewOptions {
    /// Renew a certificate that ends within this many days.
    pub within_days: i64,
    /// How long the new certificate is valid.
    pub days: u32,
    /// Who asked: what the messages tell a person to do next depends on where they read it.
    pub by: RenewCaller,
}

/// Where a renewal was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewCaller {
    /// `m2m renew`: a key NetSuite's endpoint would not take stays staged, for `m2m set --pending`.
    CommandLine,
    /// The home card's Renew now: such a key is thrown away (it never left the keyring) and the guided
    /// Replace certificate does the upload by hand.
    Window,
}

/// Where a renewal is, told as each step starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenewStage {
    MakingKey,
    Uploading,
    /// The new key's test, at the test's own stage.
    Testing(TestStage),
    Switching,
    RevokingOld,
    CheckingOld,
}

impl RenewStage {
    pub fn text(&self) -> String {
        match self {
            RenewStage::MakingKey => "Making a new key and certificate…".into(),
            RenewStage::Uploading => "Uploading the new certificate to NetSuite…".into(),
            RenewStage::Testing(stage) => format!("Testing the new key: {}", lower_first(&stage.text())),
            RenewStage::Switching => "Switching to the new key…".into(),
            RenewStage::RevokingOld => "Revoking the old certificate's mapping…".into(),
            RenewStage::CheckingOld => "Checking the old key with NetSuite…".into(),
        }
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Told each stage of a renewal as it starts.
pub type RenewTell<'a> = &'a (dyn Fn(RenewStage) + Send + Sync);

/// How a connection's renewal ended, for a script (`--json`) and for people alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewResult {
    /// A new key and certificate are in use, the old mapping is revoked and the old key refused.
    Renewed,
    /// The certificate in use ends later than asked: nothing was done.
    NotDue,
    /// Stopped where a person must act (the message says what); the connection's key in use works.
    NeedsPerson,
}

#[derive(Debug, Clone, Serialize)]
pub struct Renewal {
    pub label: String,
    pub id: String,
    pub result: RenewResult,
    /// Days left on the certificate in use when the run ended.
    pub days_left: Option<i64>,
    /// The Certificate ID in use when the run ended.
    pub certificate_id: Option<String>,
    /// What happened, or what to do.
    pub message: String,
    /// Why a person is needed, as the command line's exit status reads it.
    #[serde(skip)]
    pub code: Option<ErrorCode>,
}

fn bad(message: impl Into<String>) -> ConnectionError {
    ConnectionError::BadInput(message.into())
}

impl Renewal {
    /// How the run ended for `c`, with the certificate in use as the record now has it.
    fn of(c: &Connection, result: RenewResult, message: String, code: Option<ErrorCode>) -> Renewal {
        Renewal {
            label: c.label.clone(),
            id: c.id.clone(),
            result,
            days_left: renewal_state(c, SystemTime::now()).map(|(d, _)| d),
            certificate_id: c.certificate().and_then(|m| m.certificate_id.clone()),
            message,
            code,
        }
    }
}

fn stop(c: &Connection, code: ErrorCode, message: String) -> Renewal {
    Renewal::of(c, RenewResult::NeedsPerson, message, Some(code))
}

/// Renews the OAuth 2.0 connection `name` if its certificate ends within `options.within_days`, or
/// finishes a renewal an earlier run left (a staged key, an old mapping not yet revoked) whenever.
pub async fn renew<S: SecretStore>(
    conns: &Connections<S>,
    name: &str,
    client: &NetSuiteClient,
    options: RenewOptions,
    cancel: &CancellationToken,
    tell: RenewTell<'_>,
) -> Result<Renewal, ConnectionError> {
    let c = conns.sync(name)?;
    crate::keep::m2m::m2m_record(&c)?;
    let label = crate::shell_word(&c.label);
    let Some((algorithm, retired_tba)) = algorithm_and_retired_tba(&c) else {
        return Err(bad("Not an OAuth 2.0 connection."));
    };
    if retired_tba {
        return Ok(stop(
            &c,
            ErrorCode::NotNow,
            format!(
                "It still keeps the copy of its old TBA token: revoke that token in NetSuite, then `tba-wizard-cli \
                 connections discard {label}`; renewal uses the same place in the keyring."
            ),
        ));
    }
    // An old mapping left by a run cut short after its switch: finish that first. One cut short before
    // its switch kept the certificate still in use as "replaced": that run's switch is still to do.
    let in_use = c.certificate().and_then(|m| m.certificate_id.clone());
    let c = match replaced_certificate_id(&c) {
        Some(old) if Some(old) != in_use.as_deref() => return finish_old(conns, c, client, cancel, tell).await,
        Some(_) if renewal_state(&c, SystemTime::now()).is_some_and(|(_, staged)| staged.is_none()) => {
            conns.m2m_forget_replaced(&c.id)?
        }
        _ => c,
    };
    let now = SystemTime::now();
    let (days_left, staged) = renewal_state(&c, now)
        .ok_or_else(|| bad(format!("The certificate in use of \"{}\" cannot be read.", c.label)))?;
    let mut c = c;
    if staged.is_none() {
        if days_left > options.within_days {
            return Ok(Renewal::of(
                &c,
                RenewResult::NotDue,
                format!("Its certificate ends in {days_left} days: not due."),
                None,
            ));
        }
        tell(RenewStage::MakingKey);
        let subject = format!("tba-wizard {}", c.label);
        let days = options.days;
        // RSA keys take seconds: off the async workers.
        let made = tokio::task::spawn_blocking(move || -> Result<(PrivateKey, Certificate), String> {
            let key = PrivateKey::generate(algorithm.default_kind()).map_err(|e| e.to_string())?;
            let certificate =
                Certificate::self_signed(&key, &subject, days, SystemTime::now()).map_err(|e| e.to_string())?;
            Ok((key, certificate))
        })
        .await
        .map_err(|_| bad("Making the new key stopped unexpectedly. Run the renewal again."))?
        .map_err(bad)?;
        c = conns.m2m_stage(&c.id, &made.0, &made.1, algorithm)?;
        tracing::info!("renewal: new key staged");
        crate::keep::vault::fail_point("renew.after_stage");
    }
    // Upload the staged certificate as a mapping like the current one, unless its ID is known already.
    let staged_id = renewal_state(&c, now).and_then(|(_, s)| s).flatten();
    if staged_id.is_none() {
        tell(RenewStage::Uploading);
        let pem = staged_pem(&c).unwrap_or_default().to_string();
        let current = conns.m2m_credentials(&c, Slot::Active)?;
        // An upload whose answer a killed run never saw is found in NetSuite's list, not made twice.
        match client.upload_like_current(&current, &pem, true, cancel).await {
            Ok(id) => c = conns.m2m_set(&c.id, true, &id, None)?,
            Err(e) if options.by == RenewCaller::Window => {
                // The key never left the keyring: nothing is lost, and Replace certificate can begin.
                let c = conns.discard(&c.id)?;
                return Ok(stop(
                    &c,
                    e.error_code(),
                    format!(
                        "{e} Nothing was changed: the key in use keeps working. Use Replace certificate, which takes \
                         you through uploading the new certificate on NetSuite's mapping page."
                    ),
                ));
            }
            Err(e) => {
                return Ok(stop(
                    &c,
                    e.error_code(),
                    format!(
                        "{e} The new key stays staged and the one in use keeps working: once the certificate is \
                         uploaded by hand, give its Certificate ID with `tba-wizard-cli m2m set {label} --pending \
                         --certificate-id=ID` and run the renewal again (or use Replace certificate in the window)."
                    ),
                ))
            }
        }
        tracing::info!("renewal: new certificate uploaded");
        crate::keep::vault::fail_point("renew.after_upload");
    }
    // Test the staged key before it is used: the old one stays in use if it fails.
    let signer = conns.signer(&c, Slot::Pending)?;
    let testing = |stage: TestStage| tell(RenewStage::Testing(stage));
    let (report, _) = signer
        .test_call(client, cancel, &testing)
        .await
        .map_err(|e| bad(e.to_string()))?;
    if report.outcome != Outcome::Success {
        let how = match options.by {
            RenewCaller::CommandLine => format!(
                "run the renewal again later, or `tba-wizard-cli test --connection {label} --pending` to see why."
            ),
            RenewCaller::Window => "press Renew now again later to finish it.".to_string(),
        };
        return Ok(stop(
            &c,
            report.outcome.error_code().unwrap_or(ErrorCode::Refused),
            format!(
                "The new key's test did not pass: {} The new key stays staged and the one in use keeps working; {how}",
                report.summary.trim()
            ),
        ));
    }
    tell(RenewStage::Switching);
    conns.m2m_keep_replaced(&c.id)?;
    crate::keep::vault::fail_point("renew.after_keep");
    let c = conns.promote(&c.id)?;
    tracing::info!("renewal: the new key is in use");
    crate::keep::vault::fail_point("renew.after_switch");
    finish_old(conns, c, client, cancel, tell).await
}

/// After the switch: the old mapping revoked (unless NetSuite refuses the old key already) and the old
/// key shown refused, then forgotten.
async fn finish_old<S: SecretStore>(
    conns: &Connections<S>,
    c: Connection,
    client: &NetSuiteClient,
    cancel: &CancellationToken,
    tell: RenewTell<'_>,
) -> Result<Renewal, ConnectionError> {
    let old_id = replaced_certificate_id(&c).unwrap_or_default().to_string();
    // Never the mapping in use: that would cut the connection off.
    if c.certificate().and_then(|m| m.certificate_id.as_deref()) == Some(old_id.as_str()) {
        return Err(bad(
            "The certificate to revoke is the one in use; nothing was revoked. Run the renewal again.",
        ));
    }
    let renewed = |c: &Connection, message: String| Renewal::of(c, RenewResult::Renewed, message, None);
    let Some(old) = conns.m2m_replaced_credentials(&c)? else {
        let c = conns.m2m_forget_replaced(&c.id)?;
        return Ok(renewed(&c, "Renewed.".into()));
    };
    let old_signer = crate::netsuite::signer::Signer::M2m(Box::new(old));
    let refused = |outcome: Outcome| outcome == Outcome::CredentialsRefused;
    tell(RenewStage::CheckingOld);
    let (before, _) = old_signer
        .test_call(client, cancel, &untold)
        .await
        .map_err(|e| bad(e.to_string()))?;
    if !refused(before.outcome) {
        let current = conns.m2m_credentials(&c, Slot::Active)?;
        tell(RenewStage::RevokingOld);
        if let Err(e) = client.revoke_certificate(&current, &old_id, cancel).await {
            // An answer lost on the way: the next run finds the old key refused and goes on.
            return Ok(stop(
                &c,
                e.error_code(),
                format!(
                    "The new key is in use, but the old mapping (Certificate ID {old_id}) could not be revoked: {e} \
                     Revoke it on the mapping page, then run the renewal again to check."
                ),
            ));
        }
        crate::keep::vault::fail_point("renew.after_revoke");
        tell(RenewStage::CheckingOld);
        let (after, _) = old_signer
            .test_call(client, cancel, &untold)
            .await
            .map_err(|e| bad(e.to_string()))?;
        if !refused(after.outcome) {
            return Ok(stop(
                &c,
                ErrorCode::Refused,
                format!(
                    "The new key is in use and the old mapping (Certificate ID {old_id}) was revoked, but NetSuite \
                     did not refuse the old key ({}). Check the mapping page, then run the renewal again.",
                    after.summary.trim()
                ),
            ));
        }
    }
    let c = conns.m2m_forget_replaced(&c.id)?;
    Ok(renewed(
        &c,
        format!("Renewed: the new certificate is in use, and the old mapping ({old_id}) is revoked and refused."),
    ))
}

/// The home card's Renew now: a renewal the window runs off the wizard's lock, on a handle of its own on
/// the saved connections, whatever the certificate's days left (the user asked for it now).
pub struct WindowRenewal<S: SecretStore> {
    connections: Connections<S>,
    pub id: String,
    pub account: crate::netsuite::account::Account,
}

impl<S: SecretStore> WindowRenewal<S> {
    pub(crate) fn new(connections: Connections<S>, c: &Connection) -> Result<Self, ConnectionError> {
        let account = crate::netsuite::account::Account::parse(&c.account).map_err(|e| bad(e.to_string()))?;
        Ok(WindowRenewal {
            connections,
            id: c.id.clone(),
            account,
        })
    }

    /// What the renewal signs with, as the keyring holds it now (the key in use, a staged one, a replaced
    /// one): for the caller to register with the log's redactor before the run, and again after it.
    pub fn signers(&self) -> Vec<crate::netsuite::signer::Signer> {
        let Ok(c) = self.connections.get(&self.id) else {
            return vec![];
        };
        let mut signers: Vec<_> = [Slot::Active, Slot::Pending]
            .into_iter()
            .filter_map(|slot| self.connections.signer(&c, slot).ok())
            .collect();
        if let Ok(Some(old)) = self.connections.m2m_replaced_credentials(&c) {
            signers.push(crate::netsuite::signer::Signer::M2m(Box::new(old)));
        }
        signers
    }

    pub async fn run(
        &self,
        client: &NetSuiteClient,
        cancel: &CancellationToken,
        tell: RenewTell<'_>,
    ) -> Result<Renewal, ConnectionError> {
        let options = RenewOptions {
            within_days: i64::MAX,
            days: WINDOW_DAYS,
            by: RenewCaller::Window,
        };
        renew(&self.connections, &self.id, client, options, cancel, tell).await
    }
}

/// The longest NetSuite allows, as the command line's default.
const WINDOW_DAYS: u32 = 730;

/// Whether the home card offers Renew now for `c`: an OAuth 2.0 connection whose key is mapped and which
/// keeps no old TBA token (renewal uses the same place in the keyring).
pub(crate) fn renewable(c: &Connection) -> bool {
    matches!(algorithm_and_retired_tba(c), Some((_, false)))
        && c.certificate().is_some_and(|m| m.certificate_id.is_some())
}
