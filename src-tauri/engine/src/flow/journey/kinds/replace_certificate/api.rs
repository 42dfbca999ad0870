//! The certificate replacement's calls to NetSuite's API: the new certificate's upload (its mapping
//! made for the user) and the old mapping's revoke, each prepared under the wizard's lock, run without
//! it, and recorded after.

use super::{HANDED, MAPPING_ITEMS};
use crate::flow::journey::{JourneyRun, JourneyScreen, REVOKED};
use crate::flow::view::{bad, not_now, WizardError};
use crate::keep::connections::Connections;
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::oauth2::M2mCredentials;

/// A call to NetSuite's certificate endpoint, prepared under the wizard's lock and run without it.
pub struct ApiCall {
    pub account: Account,
    /// The credentials in use: their token makes the call.
    pub credentials: Box<M2mCredentials>,
    pub connection_id: String,
    /// The certificate uploaded (the new one) or revoked (the old one).
    pub certificate_pem: String,
    pub certificate_fingerprint: String,
    /// The mapping to revoke; empty for an upload.
    pub certificate_id: String,
    /// An upload after one whose answer was lost: list first, and take the mapping it made if there is one.
    pub adopt_first: bool,
}

impl JourneyRun {
    /// "Upload through NetSuite's API": the credentials in use (their token makes the call) and the new
    /// certificate, for `NetSuiteClient::upload_like_current`, run without the wizard's lock.
    pub(crate) fn upload_plan<S: SecretStore>(&mut self, connections: &Connections<S>) -> Result<ApiCall, WizardError> {
        let c = self.replacement(connections)?;
        self.before_promotion()?;
        let staged = self
            .new_certificate(&c)
            .ok_or_else(|| not_now("Make the new key and certificate first (the step before this one)."))?;
        if staged.certificate_id.is_some() {
            return Err(not_now(
                "The new certificate already has its mapping. To upload another, make a new key first.",
            ));
        }
        let (pem, fingerprint) = (staged.pem.clone(), staged.fingerprint.clone());
        let c = connections.sync(&c.id)?;
        let call = ApiCall {
            account: Account::parse(&c.account).map_err(|e| bad(e.to_string()))?,
            credentials: Box::new(connections.m2m_credentials(&c, Slot::Active)?),
            connection_id: c.id.clone(),
            certificate_pem: pem,
            adopt_first: self.state.certificate().upload_sent.as_deref() == Some(fingerprint.as_str()),
            certificate_fingerprint: fingerprint.clone(),
            certificate_id: String::new(),
        };
        // Written before anything is sent: if the answer is lost, or the app stops while waiting, the
        // next upload knows one may have been made.
        if let Some(c) = self.state.kind.certificate_mut() {
            c.upload_sent = Some(fingerprint);
        }
        self.save(connections)?;
        Ok(call)
    }

    /// Keeps the Certificate ID NetSuite gave the uploaded mapping, if the new certificate is still the
    /// one uploaded; the mapping's checklist is ticked, since the API did those steps.
    pub(crate) fn record_upload<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        call: &ApiCall,
        certificate_id: &str,
    ) -> Result<(), WizardError> {
        let c = self.replacement(connections)?;
        if c.id != call.connection_id
            || self.new_certificate(&c).map(|s| s.fingerprint.as_str()) != Some(call.certificate_fingerprint.as_str())
        {
            return Err(bad(format!(
                "The new key changed while the certificate was uploaded. NetSuite made the mapping {certificate_id} \
                 for the certificate before: revoke it on the mapping page, then upload the new one."
            )));
        }
        connections.m2m_set(&c.id, true, certificate_id, None)?;
        if let Some(c) = self.state.kind.certificate_mut() {
            c.upload_sent = None;
        }
        let ticks = self
            .state
            .ticks
            .entry(JourneyScreen::Mapping.as_str().to_string())
            .or_default();
        ticks.extend(MAPPING_ITEMS.iter().map(|k| k.to_string()));
        if let Some(c) = self.state.kind.certificate_mut() {
            c.key_passed = None;
        }
        self.last_run = None;
        self.save(connections)
    }

    /// "Revoke through NetSuite's API": the credentials now in use (the new key) and the old mapping's
    /// Certificate ID.
    pub(crate) fn revoke_plan<S: SecretStore>(&self, connections: &Connections<S>) -> Result<ApiCall, WizardError> {
        let c = self.replacement(connections)?;
        if !self.state.promoted {
            return Err(not_now(
                "The old mapping is still the one in use: test the new key and use it first.",
            ));
        }
        // Revoking before the integration has the new key would cut it off: only from the revoke screen,
        // which the confirmed hand-off leads to.
        let handed = self
            .state
            .ticks
            .get(JourneyScreen::Handoff.as_str())
            .is_some_and(|t| t.contains(HANDED));
        if self.state.screen != JourneyScreen::Revoke || !handed {
            return Err(not_now(
                "The old mapping is revoked from the last screen, once you have confirmed the integration has the \
                 new private key and Certificate ID: revoking it before would stop the integration.",
            ));
        }
        let old = self.old_certificate()?;
        let certificate_id =
            old.certificate.certificate_id.clone().ok_or_else(|| {
                bad("The old mapping's Certificate ID is not recorded: revoke it on the mapping page.")
            })?;
        let c = connections.sync(&c.id)?;
        Ok(ApiCall {
            account: Account::parse(&c.account).map_err(|e| bad(e.to_string()))?,
            credentials: Box::new(connections.m2m_credentials(&c, Slot::Active)?),
            connection_id: c.id.clone(),
            certificate_pem: old.certificate.pem.clone(),
            certificate_fingerprint: old.certificate.fingerprint.clone(),
            certificate_id,
            adopt_first: false,
        })
    }

    /// The old mapping was revoked through the API: the revoke screen's tick says so, with the mappings
    /// NetSuite's list showed still active for the same role and user afterwards (if it was read).
    pub(crate) fn record_revoke<S: SecretStore>(
        &mut self,
        connections: &Connections<S>,
        call: &ApiCall,
        still_active: Option<Vec<String>>,
    ) -> Result<(), WizardError> {
        let c = self.replacement(connections)?;
        let old_id = self.old_certificate()?.certificate.certificate_id.as_deref();
        if c.id != call.connection_id || !self.state.promoted || old_id != Some(call.certificate_id.as_str()) {
            return Err(bad(format!(
                "Another replacement began while the old mapping was revoked. NetSuite revoked the mapping {}: \
                 check its list on the mapping page.",
                call.certificate_id
            )));
        }
        crate::flow::view::set_tick(&mut self.state.ticks, JourneyScreen::Revoke.as_str(), REVOKED, true);
        if let Some(c) = self.state.kind.certificate_mut() {
            c.still_active = still_active;
        }
        self.save(connections)
    }
}
