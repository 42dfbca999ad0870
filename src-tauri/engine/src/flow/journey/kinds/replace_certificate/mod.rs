//! "Replace the certificate": an OAuth 2.0 connection's journey. The same order as a token's
//! replacement, with a key: the new key goes to the keyring's pending slot and its certificate becomes a
//! second mapping while the one in use keeps working (NetSuite allows five active certificates per
//! integration record); a token fetched with the new key proves the mapping; only then is the new key
//! made active, handed over, and the old mapping revoked. The old key is kept (retired slot) until the
//! journey ends, so the user can prove NetSuite refuses it.

mod api;
mod screens;
pub use api::ApiCall;

use crate::flow::journey::{JourneyRun, JourneyScreen, RotationState};
use crate::flow::parts::key::KeyHost;
use crate::flow::plan::{Plan, Purpose, Signer, TestPlan};
use crate::flow::view::{bad, not_now, Journey, ScreenView, WizardError};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::m2m::m2m_record;
use crate::keep::secrets::{M2mFingerprints, M2mSecrets};
use crate::keep::store::{Connection, M2mCertificate};
use crate::keep::vault::{SecretStore, Slot, VaultError};
use crate::netsuite::account::Account;
use crate::netsuite::oauth2::{Certificate, M2mCredentials, ScopeForm};
use crate::netsuite::outcome::{Outcome, Report};
use crate::profiles::ConnectorProfile;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The hand-off's tick: the system that runs the integration has the new key. Until then the old
/// mapping must stay, so the revoke screen cannot be reached.
const HANDED: &str = "handed";

/// The mapping screen's checklist, ticked at once when the API made the mapping.
const MAPPING_ITEMS: [&str; 6] = ["create", "entity", "role", "application", "certificate", "save"];

/// What a certificate replacement keeps of its own between runs (public values and fingerprints only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateState {
    /// The certificate and key in use when it began.
    pub old_certificate: Option<OldCertificate>,
    /// Where the new certificate was saved, for the upload.
    pub certificate_file: Option<String>,
    /// The new key and Certificate ID whose test passed.
    pub key_passed: Option<TestedKey>,
    /// The fingerprint of the new certificate whose upload through NetSuite's API was sent and not yet
    /// answered with its Certificate ID. Kept across a crash, so that the next upload first looks for the
    /// mapping the lost answer would have named, and never makes a second.
    pub upload_sent: Option<String>,
    /// After the old mapping's revoke through the API: the mappings still active for the same role and
    /// user, as NetSuite's list showed them then.
    pub still_active: Option<Vec<String>>,
    /// The file's `passed`, which a certificate replacement has always written (empty fingerprints once
    /// a test passed, as the token journeys' field it shares) and nothing reads: kept so the file keeps
    /// its shape.
    pub(in crate::flow::journey) file_passed: Option<crate::keep::secrets::Fingerprints>,
}

/// The certificate in use when the replacement began (public), and its key's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OldCertificate {
    pub certificate: M2mCertificate,
    pub key_fingerprint: Option<String>,
}

/// The new key and Certificate ID a passed test was about: capturing either again invalidates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestedKey {
    pub key: String,
    pub certificate_id: String,
}

impl TestedKey {
    /// The staged key and Certificate ID, if both are there.
    pub(in crate::flow::journey) fn of(connection: &Connection) -> Option<TestedKey> {
        // A connection moving to OAuth 2.0: the move's key and Certificate ID.
        if let Some(m) = connection.moving() {
            return Some(TestedKey {
                key: m.fingerprints.private_key.clone()?,
                certificate_id: m.certificate.certificate_id.clone()?,
            });
        }
        let m = connection.m2m()?;
        Some(TestedKey {
            key: m.pending_fingerprints.private_key.clone()?,
            certificate_id: m.pending.as_ref()?.certificate_id.clone()?,
        })
    }
}

/// A new replacement's saved state, or why the connection cannot have one yet.
pub(in crate::flow::journey) fn start_state(
    journey: Journey,
    connection: &Connection,
) -> Result<RotationState, WizardError> {
    let record = m2m_record(connection)?;
    if record.fingerprints.private_key.is_none() || record.fingerprints.client_id.is_none() {
        return Err(bad(format!(
            "“{}” has no saved private key or Client ID: finish its setup first.",
            connection.label
        )));
    }
    if record.certificate.certificate_id.is_none() {
        return Err(bad(format!(
            "“{}” has no Certificate ID yet: finish its setup (the mapping step) first.",
            connection.label
        )));
    }
    if record.pending.is_some() {
        return Err(bad(format!(
            "A new key for “{}” is already staged from the command line. Promote or discard it first \
             (tba-wizard-cli connections promote or discard \"{}\").",
            connection.label, connection.label
        )));
    }
    let now = crate::keep::store::now_rfc3339();
    Ok(RotationState {
        journey,
        connection_id: connection.id.clone(),
        screen: JourneyScreen::Why,
        done: BTreeSet::new(),
        ticks: BTreeMap::new(),
        promoted: false,
        old_check: None,
        kind: super::KindState::Certificate(CertificateState {
            old_certificate: Some(OldCertificate {
                certificate: record.certificate.clone(),
                key_fingerprint: record.fingerprints.private_key.clone(),
            }),
            ..Default::default()
        }),
        started_at: now.clone(),
        updated_at: now,
    })
}

/// The key in use is no longer the one the replacement began with.
fn key_changed(r: &RotationState, connection: &Connection) -> bool {
    let old = r
        .certificate()
        .old_certificate
        .as_ref()
        .and_then(|o| o.key_fingerprint.as_ref());
    let now = connection.m2m().and_then(|m| m.fingerprints.private_key.as_ref());
    matches!((old, now), (Some(old), Some(now)) if old != now)
}

/// The tested key is the one in use: the promotion happened, and a crash may have cut it short before
/// the journey's file was updated. Any other key in use is not this journey's doing.
pub(in crate::flow::journey) fn promoted_meanwhile(r: &RotationState, connection: &Connection) -> bool {
    let now = connection.m2m().and_then(|m| m.fingerprints.private_key.as_deref());
    key_changed(r, connection)
        && r.certificate()
            .key_passed
            .as_ref()
            .is_some_and(|t| Some(t.key.as_str()) == now)
}

impl JourneyRun {
    fn old_certificate(&self) -> Result<&OldCertificate, WizardError> {
        self.state.certificate().old_certificate.as_ref().ok_or_else(|| {
            bad("This replacement's saved progress lacks the certificate it replaces; stop it and start again.")
        })
    }

    /// The new certificate: staged, or (after the promotion) the one in use.
    fn new_certificate<'c>(&self, connection: &'c Connection) -> Option<&'c M2mCertificate> {
        let m = connection.m2m()?;
        if self.state.promoted {
            Some(&m.certificate)
        } else {
            m.pending.as_ref()
        }
    }

    fn replacement<S: SecretStore>(&self, connections: &Connections<S>) -> Result<Connection, WizardError> {
        if super::of(self.state.journey).key_slot(false).is_none() {
            return Err(not_now("No certificate replacement is under way."));
        }
        Ok(connections.get(&self.state.connection_id)?)
    }

    fn before_promotion(&self) -> Result<(), WizardError> {
        if self.state.promoted {
            return Err(not_now(
                "The new key is already the one in use; to change it, finish this replacement and start another.",
            ));
        }
        Ok(())
    }

    /// Keeps a copy of the old key, then makes the tested key, its certificate and Certificate ID the
    /// ones in use. Safe to run again after a failure part-way.
    pub(in crate::flow::journey) fn promote_key<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
    ) -> Result<(), WizardError> {
        let connection = connections.sync(&self.state.connection_id)?;
        let tested = self
            .state
            .certificate()
            .key_passed
            .clone()
            .ok_or_else(|| bad("Run the test with the new key and get it to pass first."))?;
        if key_changed(&self.state, &connection) {
            let now = connection.m2m().and_then(|m| m.fingerprints.private_key.as_deref());
            if now == Some(tested.key.as_str()) {
                return Ok(()); // promoted already, by a run a crash cut short
            }
            return Err(bad(
                "The key in the keyring is neither the old one nor the one just tested. Discard the new key and make \
                 it again.",
            ));
        }
        if TestedKey::of(&connection).as_ref() != Some(&tested) {
            return Err(bad(
                "The new key or its Certificate ID changed after the test. Run the test again.",
            ));
        }
        connections
            .vault
            .retire_active::<M2mSecrets>(&connection.id)
            .map_err(ConnectionError::from)?;
        let fingerprints = M2mFingerprints {
            private_key: Some(tested.key),
            client_id: None,
        };
        connections.m2m_promote(connection, Some(&fingerprints))?;
        Ok(())
    }

    /// The old key with the old mapping's Certificate ID, for the call that proves NetSuite refuses it.
    pub(crate) fn old_key_plan<S: SecretStore>(&self, connections: &Connections<S>) -> Result<Plan, WizardError> {
        let c = self.replacement(connections)?;
        if !self.state.promoted {
            return Err(not_now("The old key is still the one in use."));
        }
        let old = self.old_certificate()?;
        let account = Account::parse(&c.account).map_err(|e| bad(e.to_string()))?;
        let kept = connections
            .vault
            .read::<M2mSecrets>(&c.id, Slot::Retired)
            .map_err(ConnectionError::from)?;
        let gone =
            || {
                bad("The old key is no longer kept in the keyring, so it cannot be checked from here. The mapping list \
                 in NetSuite shows whether it is revoked.")
            };
        // Only ever sign with the key this replacement retired, never by mistake with the new one.
        if kept.fingerprints().private_key.is_none() || kept.fingerprints().private_key != old.key_fingerprint {
            return Err(gone());
        }
        let key = match kept.private_key() {
            Some(Ok(key)) => key,
            Some(Err(_)) => return Err(ConnectionError::from(VaultError::Damaged).into()),
            None => return Err(gone()),
        };
        let certificate = Certificate::from_pem(&old.certificate.pem).map_err(|e| bad(e.to_string()))?;
        let certificate_id = old.certificate.certificate_id.clone().ok_or_else(gone)?;
        let client_id = connections.m2m_client_id(&c, Slot::Active)?;
        let credentials = M2mCredentials {
            key,
            certificate,
            client_id,
            certificate_id,
            algorithm: old.certificate.algorithm,
            scopes: m2m_record(&c)?.scopes.clone(),
            scope_form: ScopeForm::JsonArray,
        };
        Ok(Plan::with_signer(
            account,
            Signer::M2m(Box::new(credentials)),
            Purpose::OldCheck,
        ))
    }

    pub(crate) fn record_old_key_check<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        report: &Report,
    ) -> Result<(), WizardError> {
        self.replacement(connections)?;
        // The check signs for one mapping (the old Certificate ID): it says what became of that mapping,
        // never that the old key is refused everywhere, which a single call cannot know.
        let mapping = self
            .old_certificate()?
            .certificate
            .certificate_id
            .clone()
            .unwrap_or_else(|| "of the old certificate".into());
        let (result, summary) = match report.outcome {
            // Refused before anything was sent (e.g. the old certificate expired): NetSuite was not asked.
            Outcome::CredentialsRefused if report.attempts == 0 => {
                ("unknown", format!("Nothing was sent: {}", report.summary))
            }
            Outcome::CredentialsRefused => (
                "refused",
                format!("NetSuite refused the old key for mapping {mapping}: that mapping is revoked, as intended."),
            ),
            Outcome::Success | Outcome::PermissionMissing => (
                "accepted",
                format!(
                    "NetSuite still accepts the old key for mapping {mapping}: it is not revoked yet. Revoke it and \
                     check again."
                ),
            ),
            _ => ("unknown", format!("No clear answer from NetSuite: {}", report.summary)),
        };
        self.keep_old_check(connections, result, summary)
    }
}

/// The kind's shape, for `kinds::of`: what the rest of this file does on its screens.
impl<S: SecretStore> KeyHost<S> for JourneyRun {
    fn key_place(&self, connections: &Connections<S>) -> Result<(Connection, Slot), WizardError> {
        let slot = super::of(self.state.journey)
            .key_slot(self.state.promoted)
            .ok_or_else(|| not_now("No certificate replacement is under way."))?;
        Ok((connections.get(&self.state.connection_id)?, slot))
    }

    fn may_change(&self) -> Result<(), WizardError> {
        self.before_promotion()
    }

    fn set_certificate_file(&mut self, file: Option<String>) {
        if let Some(c) = self.state.kind.certificate_mut() {
            c.certificate_file = file;
        }
    }

    fn certificate_file(&self) -> Option<PathBuf> {
        self.state.certificate().certificate_file.as_deref().map(PathBuf::from)
    }

    fn forget_tested(&mut self, key: bool) {
        if let Some(c) = self.state.kind.certificate_mut() {
            c.key_passed = None;
        }
        if key {
            self.state.ticks.remove(JourneyScreen::Mapping.as_str());
        }
        self.last_run = None;
    }

    fn save_progress(&mut self, connections: &Connections<S>) -> Result<(), WizardError> {
        self.save(connections)
    }
}

pub(crate) struct ReplaceCertificate;

impl super::JourneyKind for ReplaceCertificate {
    fn auth(&self) -> crate::profiles::AuthKind {
        crate::profiles::AuthKind::M2m
    }

    fn screens(&self, _: &ConnectorProfile) -> Vec<JourneyScreen> {
        use JourneyScreen::*;
        vec![Why, NewKey, Mapping, Test, Handoff, Revoke]
    }

    fn promotion_screen(&self, _: &ConnectorProfile) -> Option<JourneyScreen> {
        Some(JourneyScreen::Test)
    }

    fn capture_screen(&self) -> JourneyScreen {
        JourneyScreen::NewKey
    }

    fn revisit(&self, step: crate::netsuite::outcome::Step) -> Option<JourneyScreen> {
        use crate::netsuite::outcome::Step;
        match step {
            Step::KeyCertificate => Some(JourneyScreen::NewKey),
            Step::Mapping => Some(JourneyScreen::Mapping),
            _ => None,
        }
    }

    fn start(
        &self,
        journey: Journey,
        connection: &Connection,
        _: &ConnectorProfile,
    ) -> Result<RotationState, WizardError> {
        start_state(journey, connection)
    }

    fn promoted_meanwhile(&self, r: &RotationState, connection: &Connection) -> bool {
        promoted_meanwhile(r, connection)
    }

    fn blocked(
        &self,
        run: &JourneyRun,
        screen: JourneyScreen,
        connection: &Connection,
        _: &ConnectorProfile,
    ) -> Option<String> {
        let ticked = |key: &str| run.state.ticks.get(screen.as_str()).is_some_and(|t| t.contains(key));
        run.certificate_blocked(screen, connection, ticked)
    }

    fn screen_view(
        &self,
        run: &JourneyRun,
        profile: &ConnectorProfile,
        connection: &Connection,
        screen: JourneyScreen,
        code: String,
    ) -> Option<ScreenView> {
        run.certificate_screen_view(profile, connection, screen, code)
    }

    /// The test of the new key: its token, with the new mapping's Certificate ID.
    fn test_plan(
        &self,
        run: &JourneyRun,
        _: &ConnectorProfile,
        connection: &Connection,
    ) -> Result<TestPlan, WizardError> {
        run.before_promotion()?;
        if TestedKey::of(connection).is_none() {
            // Said here rather than by the keyring's read, whose words name the command line's commands.
            return Err(bad("Make the new key and save the new mapping's Certificate ID first."));
        }
        Ok(TestPlan {
            account: Account::parse(&connection.account).map_err(|e| bad(e.to_string()))?,
            slot: Slot::Pending,
            signed: true,
            probes: vec![],
        })
    }

    fn key_slot(&self, promoted: bool) -> Option<Slot> {
        Some(if promoted { Slot::Active } else { Slot::Pending })
    }

    fn old_values(&self) -> super::OldValues {
        super::OldValues::KeyAndMapping
    }

    fn promote_label(&self) -> &'static str {
        "Use the new key"
    }

    /// Once the setup is complete: a key, a Client ID and the mapping's Certificate ID.
    fn offered(&self, facts: &super::CardFacts) -> bool {
        facts.auth == self.auth() && facts.complete && facts.mapped
    }

    fn urgent(&self, facts: &super::CardFacts) -> bool {
        facts.certificate_status.is_some_and(|s| s != "ok")
    }

    /// A new key is handed over after it became the active one.
    fn hands_over_active(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::flow::plan::{Plan, Purpose, Ran, Signer};
    use crate::flow::view::{Journey, ScreenBody};
    use crate::flow::wizard::{ApiAction, ApiAnswer, Go, KeyPart, PartAction, Wizard};
    use crate::keep::connections::Connections;
    use crate::keep::secrets::M2mSecrets;
    use crate::keep::store::ConnectionStore;
    use crate::keep::vault::{MemoryStore, Slot, Vault};
    use crate::netsuite::oauth2::{Algorithm, Certificate, KeyKind, M2mCredentials, PrivateKey, Scope};
    use crate::netsuite::outcome::{Outcome, Report};
    use crate::Account;
    use secrecy::{ExposeSecret, SecretString};
    use std::time::SystemTime;

    /// The OAuth 2.0 credentials a plan signs with.
    fn m2m_of(plan: &Plan) -> &M2mCredentials {
        match &plan.signer {
            Some(Signer::M2m(credentials)) => credentials,
            _ => panic!("an OAuth 2.0 plan"),
        }
    }

    fn report(outcome: Outcome) -> Report {
        let mut r = crate::flow::plan::refused_before_sending("test".into());
        r.outcome = outcome;
        r.attempts = 1;
        r
    }

    /// Every word on the screen is filled in: a misspelt placeholder in journeys.json shows here.
    fn worded(v: &crate::flow::view::View) {
        let s = v.current.as_ref().expect("a screen");
        let mut words = vec![s.heading.clone(), s.short_title.clone()];
        words.extend(s.instructions.iter().chain(&s.tips).chain(&s.menu_path).cloned());
        for i in &s.checklist {
            words.extend(
                [i.label.clone()]
                    .into_iter()
                    .chain(i.value.clone())
                    .chain(i.tip.clone()),
            );
        }
        assert!(!s.heading.is_empty() && !s.short_title.is_empty(), "{}", s.id);
        for w in words {
            assert!(!w.contains('{') && !w.contains('}'), "{}: unfilled in {w:?}", s.id);
        }
    }

    fn pair() -> (PrivateKey, Certificate) {
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "t", 30, SystemTime::now()).unwrap();
        (key, cert)
    }

    /// The whole replacement through the wizard, as the window drives it: each screen's Next blocked
    /// until its part is done, the old key untouched until the tested new one is promoted, the old key
    /// kept for the check that it is refused, and nothing left in the keyring's spare slots at the end.
    #[test]
    fn a_replacement_keeps_the_old_key_working_until_the_tested_new_one_is_promoted() {
        let dir = std::env::temp_dir().join(format!("tba-wizard-cert-journey-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let connections = Connections::new(ConnectionStore::new(dir.join("c")), Vault::new(MemoryStore::default()));
        let account = Account::parse("1234567_SB1").unwrap();
        let (old_key, old_cert) = pair();
        let c = connections
            .m2m_add(
                "Sync",
                &account,
                crate::keep::store::Profile::parse("own_m2m").unwrap(),
                &old_key,
                &old_cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        connections
            .m2m_set("Sync", false, "OLDCERT", Some(&SecretString::from("client-abc")))
            .unwrap();
        let old_fp = connections
            .get(&c.id)
            .unwrap()
            .m2m()
            .cloned()
            .unwrap()
            .fingerprints
            .private_key;
        let mut w = Wizard::open(connections);
        // The card offers the certificate's replacement, urgent: this certificate lasts 30 days; and the
        // hand-off of the values in use again, which applies to a key as to a token.
        let offers = w.home().cards[0].offers.clone();
        let offered: Vec<Journey> = offers.iter().map(|o| o.journey).collect();
        assert_eq!(offered, [Journey::ReplaceCertificate, Journey::Handoff], "{offers:?}");
        assert_eq!(offers[0].label, "Replace certificate");
        assert!(offers[0].urgent && !offers[1].urgent);

        assert!(w.start_journey(&c.id, Journey::RotateToken).is_err());
        let v = w.start_journey(&c.id, Journey::ReplaceCertificate).unwrap();
        assert_eq!(v.progress, "CR-1 of 6");
        let why = v.current.unwrap();
        assert!(why.tips.iter().any(|t| t.contains("OLDCERT")), "{:?}", why.tips);
        worded(&w.view());
        w.go(Go::Next).unwrap();

        // New key: Next waits for the key; the key goes to the pending slot only.
        assert!(w.go(Go::Next).is_err());
        let (id, name) = w.read::<KeyPart>().and_then(|k| k.target()).unwrap();
        assert_eq!((id.as_str(), name.as_str()), (c.id.as_str(), "tba-wizard Sync"));
        let (new_key, new_cert) = pair();
        let acted = w
            .act(PartAction::AttachKey {
                connection_id: &id,
                key: &new_key,
                certificate: &new_cert,
                algorithm: Algorithm::ES256,
                dir: &dir.join("downloads"),
            })
            .unwrap();
        let (v, path) = (acted.view, acted.file.unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), new_cert.pem);
        assert!(v.current.unwrap().key.unwrap().certificate.is_some());
        let now = w.connections.get(&c.id).unwrap().m2m().cloned().unwrap();
        assert_eq!(now.fingerprints.private_key, old_fp, "the key in use is untouched");
        worded(&w.view());
        w.go(Go::Next).unwrap();

        // Mapping: the Client ID and the old Certificate ID are refused; Next waits for the new one.
        assert!(w.go(Go::Next).is_err());
        assert!(w.act(PartAction::CertificateId("client-abc")).is_err());
        assert!(w.act(PartAction::CertificateId("OLDCERT")).is_err());
        // The API's upload signs with the key in use and sends the new certificate; its answer is kept
        // only for the certificate that was sent.
        let call = w.api_call(ApiAction::Upload).unwrap();
        assert_eq!(call.credentials.certificate_id, "OLDCERT");
        assert!(call.credentials.key.matches_public_key(&old_cert.public_key_der));
        assert_eq!(call.certificate_pem, new_cert.pem);
        let (other_key, other_cert) = pair();
        // A key is made on its own screen only, not from the mapping's.
        assert!(w
            .act(PartAction::AttachKey {
                connection_id: &id,
                key: &other_key,
                certificate: &other_cert,
                algorithm: Algorithm::ES256,
                dir: &dir.join("downloads")
            })
            .is_err());
        w.go(Go::Back).unwrap();
        w.act(PartAction::AttachKey {
            connection_id: &id,
            key: &other_key,
            certificate: &other_cert,
            algorithm: Algorithm::ES256,
            dir: &dir.join("downloads"),
        })
        .unwrap();
        assert!(
            w.record_api_call(
                &call,
                ApiAnswer::Uploaded {
                    certificate_id: "NEWCERT"
                }
            )
            .is_err(),
            "the key changed meanwhile"
        );
        w.act(PartAction::AttachKey {
            connection_id: &id,
            key: &new_key,
            certificate: &new_cert,
            algorithm: Algorithm::ES256,
            dir: &dir.join("downloads"),
        })
        .unwrap();
        w.go(Go::Next).unwrap();
        let call = w.api_call(ApiAction::Upload).unwrap();
        w.record_api_call(
            &call,
            ApiAnswer::Uploaded {
                certificate_id: "NEWCERT",
            },
        )
        .unwrap();
        assert!(w.api_call(ApiAction::Upload).is_err(), "uploaded once already");
        assert!(
            w.api_call(ApiAction::Revoke).is_err(),
            "nothing to revoke before the promotion"
        );
        worded(&w.view());
        w.go(Go::Next).unwrap();

        // Test: the plan signs with the new key and Certificate ID; a failure leads to the mapping.
        let plan = w.plan(Purpose::Test).unwrap();
        assert_eq!(m2m_of(&plan).certificate_id, "NEWCERT");
        assert_eq!(m2m_of(&plan).client_id.expose_secret(), "client-abc");
        assert!(m2m_of(&plan).key.matches_public_key(&new_cert.public_key_der));
        w.record(&plan, Ran::report(report(Outcome::CredentialsRefused), vec![]))
            .unwrap();
        let v = w.view();
        assert!(!v.can_next);
        assert!(w.go(Go::Next).is_err());
        // A pass is kept only for the values it signed with: a Certificate ID saved meanwhile (another
        // window, the command line) voids it.
        w.go(Go::Back).unwrap();
        w.act(PartAction::CertificateId("OTHERCERT")).unwrap();
        w.go(Go::Next).unwrap();
        assert!(w.record(&plan, Ran::report(report(Outcome::Success), vec![])).is_err());
        assert!(w.go(Go::Next).is_err(), "no pass was kept");
        w.go(Go::Back).unwrap();
        w.act(PartAction::CertificateId("NEWCERT")).unwrap();
        w.go(Go::Next).unwrap();
        let plan = w.plan(Purpose::Test).unwrap();
        w.record(&plan, Ran::report(report(Outcome::Success), vec![])).unwrap();
        let v = w.view();
        assert!(v.can_next);
        assert_eq!(v.next_label, "Use the new key");
        worded(&w.view());
        // Before the promotion the key in use is the old one: no export or copy of a private key.
        assert!(w.private_key_source().is_err(), "not before the promotion");
        let v = w.go(Go::Next).unwrap();
        assert!(v.promoted);
        let now = w.connections.get(&c.id).unwrap().m2m().cloned().unwrap();
        assert_eq!(now.certificate.certificate_id.as_deref(), Some("NEWCERT"));
        assert_ne!(now.fingerprints.private_key, old_fp);
        assert!(now.pending.is_none());

        // Hand-off: the new values, and no revoking before the tick.
        let v = w.view();
        let cur = v.current.unwrap();
        let ScreenBody::Handoff { handoff: Some(h) } = cur.body else {
            panic!("a hand-off")
        };
        assert!(h.fields.iter().any(|f| f.text.as_deref() == Some("NEWCERT")));
        assert_eq!(w.copy_source(), Some((c.id.clone(), Slot::Active)));
        assert_eq!(w.private_key_source().unwrap(), (c.id.clone(), Slot::Active));
        // No revoke from the hand-off: the integration may not have the new key yet.
        let e = w.api_call(ApiAction::Revoke).err().expect("refused").to_string();
        assert!(e.contains("would stop the integration"), "{e}");
        assert!(w.go(Go::Next).is_err());
        w.act(PartAction::Tick {
            screen: "handoff",
            key: "handed",
            checked: true,
        })
        .unwrap();
        worded(&w.view());
        w.go(Go::Next).unwrap();
        // The revoke screen is no hand-off: the key is not given out from there.
        assert!(w.private_key_source().is_err(), "not from the revoke screen");

        // Revoke through the API: with the new key, of the old mapping; its success ticks the step.
        let call = w.api_call(ApiAction::Revoke).unwrap();
        assert_eq!(call.certificate_id, "OLDCERT");
        assert_eq!(call.credentials.certificate_id, "NEWCERT");
        assert!(call.credentials.key.matches_public_key(&new_cert.public_key_der));

        // Revoke: the old key is kept for the proof, and signs with the old Certificate ID only.
        let plan = w.plan(Purpose::OldCheck).unwrap();
        assert_eq!(m2m_of(&plan).certificate_id, "OLDCERT");
        assert!(m2m_of(&plan).key.matches_public_key(&old_cert.public_key_der));
        w.record(&plan, Ran::report(report(Outcome::CredentialsRefused), vec![]))
            .unwrap();
        let v = w.view();
        let ScreenBody::Revoke { revoke } = v.current.unwrap().body else {
            panic!("the revoke screen")
        };
        assert_eq!(revoke.check.unwrap().result, "refused");
        assert_eq!(
            revoke.certificates.unwrap().old.certificate_id.as_deref(),
            Some("OLDCERT")
        );
        assert!(w.go(Go::Next).is_err(), "not before the revoke is ticked");
        worded(&w.view());
        w.act(PartAction::Tick {
            screen: "revoke",
            key: "revoked",
            checked: true,
        })
        .unwrap();
        let v = w.go(Go::Next).unwrap();
        assert!(!v.active || v.journey == Journey::Setup);
        assert!(w
            .connections
            .vault
            .read::<M2mSecrets>(&c.id, Slot::Retired)
            .unwrap()
            .is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A crash after the keyring's promotion, before the journey's file said so: reopening finishes the
    /// promotion (the tested key is the one in use) and goes on to the hand-off; a key in use that is not
    /// the tested one is not taken for this journey's promotion.
    #[test]
    fn a_promotion_cut_short_by_a_crash_is_finished_on_reopening() {
        let dir = std::env::temp_dir().join(format!("tba-wizard-cert-crash-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = MemoryStore::default();
        let open = || {
            Wizard::open(Connections::new(
                ConnectionStore::new(dir.join("c")),
                Vault::new(store.clone()),
            ))
        };
        let account = Account::parse("1234567_SB1").unwrap();
        let (old_key, old_cert) = pair();
        let mut w = open();
        let c = w
            .connections
            .m2m_add(
                "Sync",
                &account,
                crate::keep::store::Profile::parse("own_m2m").unwrap(),
                &old_key,
                &old_cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        w.connections
            .m2m_set("Sync", false, "OLDCERT", Some(&SecretString::from("client-abc")))
            .unwrap();
        w.start_journey(&c.id, Journey::ReplaceCertificate).unwrap();
        w.go(Go::Next).unwrap();
        let (new_key, new_cert) = pair();
        w.act(PartAction::AttachKey {
            connection_id: &c.id,
            key: &new_key,
            certificate: &new_cert,
            algorithm: Algorithm::ES256,
            dir: &dir.join("d"),
        })
        .unwrap();
        w.go(Go::Next).unwrap();
        w.act(PartAction::CertificateId("NEWCERT")).unwrap();
        w.go(Go::Next).unwrap();
        let plan = w.plan(Purpose::Test).unwrap();
        w.record(&plan, Ran::report(report(Outcome::Success), vec![])).unwrap();
        // What Use the new key does in the keyring and the record, and then the crash.
        let tested = w
            .connections
            .get(&c.id)
            .unwrap()
            .m2m()
            .cloned()
            .unwrap()
            .pending_fingerprints;
        w.connections.vault.retire_active::<M2mSecrets>(&c.id).unwrap();
        let conn = w.connections.sync(&c.id).unwrap();
        w.connections.m2m_promote(conn, Some(&tested)).unwrap();
        drop(w);

        let w = open();
        let v = w.view();
        assert!(v.promoted, "the promotion is finished on reopening");
        assert_eq!(v.progress, "CR-5 of 6");
        assert!(
            matches!(w.plan(Purpose::OldCheck).unwrap().signer, Some(Signer::M2m(_))),
            "the old key is still kept for the check"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Stopping before the promotion throws the new key away and leaves the one in use as it was.
    #[test]
    fn stopping_before_the_promotion_keeps_the_old_key() {
        let dir = std::env::temp_dir().join(format!("tba-wizard-cert-stop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let connections = Connections::new(ConnectionStore::new(dir.join("c")), Vault::new(MemoryStore::default()));
        let account = Account::parse("1234567_SB1").unwrap();
        let (old_key, old_cert) = pair();
        let c = connections
            .m2m_add(
                "Sync",
                &account,
                crate::keep::store::Profile::parse("own_m2m").unwrap(),
                &old_key,
                &old_cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        assert!(
            Wizard::open(Connections::new(
                ConnectionStore::new(dir.join("c")),
                Vault::new(MemoryStore::default())
            ))
            .start_journey(&c.id, Journey::ReplaceCertificate)
            .is_err(),
            "no Certificate ID or Client ID yet: the setup is not finished"
        );
        connections
            .m2m_set("Sync", false, "OLDCERT", Some(&SecretString::from("client-abc")))
            .unwrap();
        let mut w = Wizard::open(connections);
        w.start_journey(&c.id, Journey::ReplaceCertificate).unwrap();
        worded(&w.view());
        w.go(Go::Next).unwrap();
        let (new_key, new_cert) = pair();
        w.act(PartAction::AttachKey {
            connection_id: &c.id,
            key: &new_key,
            certificate: &new_cert,
            algorithm: Algorithm::ES256,
            dir: &dir.join("d"),
        })
        .unwrap();
        w.end_journey().unwrap();
        let m = w.connections.get(&c.id).unwrap().m2m().cloned().unwrap();
        assert!(m.pending.is_none());
        assert_eq!(m.certificate.certificate_id.as_deref(), Some("OLDCERT"));
        assert!(w
            .connections
            .vault
            .read::<M2mSecrets>(&c.id, Slot::Pending)
            .unwrap()
            .is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
