//! The wizard's actions on an OAuth 2.0 key and certificate and the mapping's Certificate ID, for the
//! setup on display or a certificate replacement, each refused unless the screen on display carries
//! the part it acts on.

use super::*;

impl<S: SecretStore> Wizard<S> {
    /// The setup, when it is on display and sets up an OAuth 2.0 connection.
    pub(super) fn m2m_setup(&mut self) -> Result<(&mut Setup, &Connections<S>), WizardError> {
        if self.journey.is_some() {
            return Err(not_now("Finish or stop the replacement under way first."));
        }
        let setup = self.setup.as_mut().ok_or_else(|| not_now(CHOOSE_FIRST))?;
        if !setup.is_m2m() {
            return Err(not_now(
                "This connector signs in with TBA tokens; it has no key or Client ID.",
            ));
        }
        Ok((setup, &self.connections))
    }

    /// The certificate replacement under way, if that is the journey on display.
    pub(super) fn certificate_journey(&self) -> Option<&JourneyRun> {
        self.journey
            .as_ref()
            .filter(|j| j.journey() == Journey::ReplaceCertificate)
    }

    pub(super) fn certificate_journey_mut(&mut self) -> Option<(&mut JourneyRun, &Connections<S>)> {
        let j = self
            .journey
            .as_mut()
            .filter(|j| j.journey() == Journey::ReplaceCertificate)?;
        Some((j, &self.connections))
    }

    pub(super) fn m2m_setup_ref(&self) -> Result<&Setup, WizardError> {
        match (&self.journey, &self.setup) {
            (None, Some(s)) if s.is_m2m() => Ok(s),
            _ => Err(not_now("There is no OAuth 2.0 setup on display.")),
        }
    }

    /// The connection a key is to be made for and the certificate's name: read under the lock, so the
    /// key (seconds for RSA) can be made without holding it.
    pub fn m2m_key_target(&self) -> Result<(String, String), WizardError> {
        self.require(PartKind::Key)?;
        if let Some(j) = self.certificate_journey() {
            return j.key_target(&self.connections);
        }
        self.m2m_setup_ref()?.key_target(&self.connections)
    }

    /// Keeps a key made (or imported) for the connection `connection_id` named by `m2m_key_target`, and
    /// saves its certificate in `dir`. Refused if the setup moved to another connection meanwhile.
    pub fn m2m_attach_key(
        &mut self,
        connection_id: &str,
        key: &PrivateKey,
        certificate: &Certificate,
        algorithm: Algorithm,
        dir: &Path,
    ) -> Result<(View, PathBuf), WizardError> {
        self.require(PartKind::Key)?;
        if let Some((j, connections)) = self.certificate_journey_mut() {
            if j.state().connection_id != connection_id {
                return Err(bad("Another replacement began while the key was made; make it again."));
            }
            let path = j.attach_key(connections, key, certificate, algorithm, dir)?;
            return Ok((self.view(), path));
        }
        let (setup, connections) = self.m2m_setup()?;
        if setup.state().connection_id.as_deref() != Some(connection_id) {
            return Err(bad(
                "The setup moved to another connection while the key was made; make it again.",
            ));
        }
        let path = setup.attach_key(connections, key, certificate, algorithm, dir)?;
        Ok((self.view(), path))
    }

    /// Saves the certificate's file again (after a failed save, or to have a copy elsewhere).
    pub fn m2m_save_certificate(&mut self, dir: &Path) -> Result<(View, PathBuf), WizardError> {
        self.m2m_save_certificate_to(CertificateTarget::NewIn(dir))
    }

    /// The certificate "Save a copy as…" is about to save and the file name its dialog suggests: read
    /// under the lock, so that the dialog can stay open without holding it.
    pub fn m2m_certificate_to_save(&self) -> Result<CertificateToSave, WizardError> {
        self.require(PartKind::Key)?;
        if let Some(j) = self.certificate_journey() {
            return j.certificate_to_save(&self.connections);
        }
        self.m2m_setup_ref()?.certificate_to_save(&self.connections)
    }

    /// Saves the certificate as exactly `path`, the file the user chose (replacing it: the dialog asked),
    /// and makes it the certificate's file. `shown` is the certificate read when the dialog opened: if
    /// a new key was made or the setup changed meanwhile, nothing is written.
    pub fn m2m_save_certificate_as(
        &mut self,
        path: &Path,
        shown: &CertificateToSave,
    ) -> Result<(View, PathBuf), WizardError> {
        let now = self.m2m_certificate_to_save()?;
        if now.pem != shown.pem {
            return Err(not_now(
                "The certificate changed while the save dialog was open, so nothing was written. Press Save a copy \
                 as… again to save the current one.",
            ));
        }
        self.m2m_save_certificate_to(CertificateTarget::Exactly(path))
    }

    pub(super) fn m2m_save_certificate_to(
        &mut self,
        to: CertificateTarget<'_>,
    ) -> Result<(View, PathBuf), WizardError> {
        self.require(PartKind::Key)?;
        if let Some((j, connections)) = self.certificate_journey_mut() {
            let path = j.save_certificate(connections, to)?;
            return Ok((self.view(), path));
        }
        let (setup, connections) = self.m2m_setup()?;
        let path = setup.save_certificate(connections, to)?;
        Ok((self.view(), path))
    }

    /// The certificate file this setup saved, to show in its folder.
    pub fn m2m_certificate_file(&self) -> Result<PathBuf, WizardError> {
        self.require(PartKind::Key)?;
        match self.certificate_journey() {
            Some(j) => j.certificate_file(),
            None => self.m2m_setup_ref()?.certificate_file(),
        }
        .ok_or_else(|| not_now("The certificate has not been saved to a file yet."))
    }

    pub fn m2m_set_certificate_id(&mut self, text: &str) -> Result<View, WizardError> {
        self.require(PartKind::CertificateId)?;
        if let Some((j, connections)) = self.certificate_journey_mut() {
            j.set_certificate_id(connections, text)?;
            return Ok(self.view());
        }
        let (setup, connections) = self.m2m_setup()?;
        setup.set_certificate_id(connections, text)?;
        Ok(self.view())
    }

    /// The OAuth 2.0 test of the setup on display; `None` when the active flow tests with TBA.
    pub(super) fn m2m_plan(&self) -> Result<Option<M2mPlan>, WizardError> {
        if let Some(j) = self.certificate_journey() {
            return j.m2m_plan(&self.connections).map(Some);
        }
        match self.m2m_setup_ref() {
            Ok(setup) => setup.m2m_plan(&self.connections).map(Some),
            Err(_) => Ok(None),
        }
    }

    /// Records an OAuth 2.0 test's report, if the values on display are still the ones it signed with.
    pub(super) fn record_m2m_test(
        &mut self,
        signs_with: Option<&M2mSigned>,
        report: Report,
        probes: Vec<ProbeLine>,
    ) -> Result<View, WizardError> {
        let changed =
            || bad("The values changed while the test was running, so its result was not kept. Run the test again.");
        let tested = signs_with.ok_or_else(changed)?;
        if let Some((j, connections)) = self.certificate_journey_mut() {
            if j.m2m_signs_with(connections).as_ref() != Some(tested) {
                return Err(changed());
            }
            j.record_test(connections, report, probes)?;
            return Ok(self.view());
        }
        let (setup, connections) = self.m2m_setup()?;
        if setup.m2m_signs_with(connections).as_ref() != Some(tested) {
            return Err(changed());
        }
        setup.record_test(connections, report, probes)?;
        Ok(self.view())
    }

    /// The URL of one of the current screen's links (`page`, `also:N`, `connector`), for opening.
    pub fn link(&self, which: &str) -> Result<(url::Url, Vec<String>), WizardError> {
        let flow = self.active().ok_or_else(|| not_now(CHOOSE_FIRST))?;
        let view = flow.current(&self.connections).ok_or_else(|| not_now(CHOOSE_FIRST))?;
        let link = match which {
            "page" => view.page,
            "connector" => view
                .body
                .handoff()
                .and_then(|h| h.connector_page.clone())
                .or_else(|| flow.connector_link(&self.connections)),
            other => other
                .strip_prefix("also:")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| view.also_open.get(n).cloned()),
        }
        .ok_or_else(|| bad("This screen has no such page."))?;
        let url = url::Url::parse(&link.url).map_err(|_| bad("That page's address is not valid."))?;
        Ok((url, self.allowed_hosts()))
    }

    /// Hosts URLs may be opened for: the account's NetSuite hosts and the connector's page.
    pub fn allowed_hosts(&self) -> Vec<String> {
        let Some(flow) = self.active() else { return vec![] };
        let mut hosts: Vec<String> = flow
            .account(&self.connections)
            .map(|a| a.hosts().to_vec())
            .unwrap_or_default();
        if let Some(host) = flow
            .connector_link(&self.connections)
            .and_then(|l| url::Url::parse(&l.url).ok())
            .and_then(|u| u.host_str().map(str::to_owned))
        {
            hosts.push(host);
        }
        hosts
    }
}
