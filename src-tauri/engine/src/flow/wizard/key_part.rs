//! The key part (an OAuth 2.0 key and certificate, and the mapping's Certificate ID) as the wizard
//! hosts it: the flow on display that carries it (an OAuth 2.0 setup or a certificate replacement), its
//! actions and reads, each refused unless the screen on display carries the part, and the OAuth 2.0 test
//! of such a flow.

use super::*;

impl<S: SecretStore> Wizard<S> {
    /// The setup, when it is on display and sets up an OAuth 2.0 connection.
    pub(super) fn key_setup(&mut self) -> Result<(&mut Setup, &Connections<S>), WizardError> {
        if self.journey.is_some() {
            return Err(not_now("Finish or stop the replacement under way first."));
        }
        let setup = self.setup.as_mut().ok_or_else(|| not_now(CHOOSE_FIRST))?;
        if !setup.hosts_key() {
            return Err(not_now(
                "This connector signs in with TBA tokens; it has no key or Client ID.",
            ));
        }
        Ok((setup, &self.connections))
    }

    pub(super) fn certificate_journey_mut(&mut self) -> Option<(&mut JourneyRun, &Connections<S>)> {
        let j = self.journey.as_mut().filter(|j| j.hosts_key())?;
        Some((j, &self.connections))
    }

    pub(super) fn key_setup_ref(&self) -> Result<&Setup, WizardError> {
        match (&self.journey, &self.setup) {
            (None, Some(s)) if s.hosts_key() => Ok(s),
            _ => Err(not_now("There is no OAuth 2.0 setup on display.")),
        }
    }

    /// The flow on display that hosts the key part: a journey on display, else the setup. Every action on
    /// the key part goes through here once, after `require` has checked the screen carries the part.
    fn key_host(&self, part: PartKind) -> Result<&dyn KeyHost<S>, WizardError> {
        self.require(part)?;
        if let Some(j) = &self.journey {
            return Ok(j);
        }
        Ok(self.key_setup_ref()?)
    }

    fn key_host_mut(&mut self, part: PartKind) -> Result<(&mut dyn KeyHost<S>, &Connections<S>), WizardError> {
        self.require(part)?;
        if self.journey.is_none() {
            let (setup, connections) = self.key_setup()?;
            return Ok((setup, connections));
        }
        let Wizard {
            journey: Some(j),
            connections,
            ..
        } = self
        else {
            return Err(not_now(CHOOSE_FIRST));
        };
        Ok((j, connections))
    }

    pub(super) fn attach_key(
        &mut self,
        connection_id: &str,
        key: &PrivateKey,
        certificate: &Certificate,
        algorithm: Algorithm,
        dir: &Path,
    ) -> Result<PathBuf, WizardError> {
        let (host, connections) = self.key_host_mut(PartKind::Key)?;
        key::attach_key(host, connections, connection_id, key, certificate, algorithm, dir)
    }

    /// Saves the certificate as exactly `path`, the file the user chose (replacing it: the dialog asked).
    /// `shown` is the certificate read when the dialog opened: if a new key was made or the flow changed
    /// meanwhile, nothing is written.
    pub(super) fn save_certificate_as(
        &mut self,
        path: &Path,
        shown: &CertificateToSave,
    ) -> Result<PathBuf, WizardError> {
        let now = self.read::<KeyPart>()?.to_save()?;
        if now.pem != shown.pem {
            return Err(not_now(
                "The certificate changed while the save dialog was open, so nothing was written. Press Save a copy \
                 as… again to save the current one.",
            ));
        }
        self.save_certificate_to(CertificateTarget::Exactly(path))
    }

    pub(super) fn save_certificate_to(&mut self, to: CertificateTarget<'_>) -> Result<PathBuf, WizardError> {
        let (host, connections) = self.key_host_mut(PartKind::Key)?;
        key::save_certificate(host, connections, to)
    }

    pub(super) fn set_certificate_id(&mut self, text: &str) -> Result<(), WizardError> {
        let (host, connections) = self.key_host_mut(PartKind::CertificateId)?;
        key::set_certificate_id(host, connections, text)
    }
}

impl<S: SecretStore> ReadPart<S> for KeyPart {
    fn read(wizard: &Wizard<S>) -> Result<Self, WizardError> {
        let host = wizard.key_host(PartKind::Key)?;
        // One read of the connection serves the target, the certificate and its file.
        let (connection, slot) = host.key_place(&wizard.connections)?;
        Ok(KeyPart {
            may_change: host.may_change(),
            connection,
            slot,
            file: host.certificate_file(),
        })
    }
}

/// What the key part on display holds, read at once (`Wizard::read`).
pub struct KeyPart {
    connection: crate::keep::store::Connection,
    slot: Slot,
    /// Whether the host takes a new key now.
    may_change: Result<(), WizardError>,
    file: Option<PathBuf>,
}

impl KeyPart {
    /// The connection a key is to be made for, and the certificate's name (`tba-wizard <label>`);
    /// refused where no new key is taken now.
    pub fn target(self) -> Result<(String, String), WizardError> {
        self.may_change?;
        Ok(key::target_of(&self.connection))
    }

    /// The certificate a "Save a copy as…" would save, and the file name its dialog suggests.
    pub fn to_save(self) -> Result<CertificateToSave, WizardError> {
        key::to_save_in(&self.connection, self.slot)
    }

    /// The file the certificate was saved to, to show in its folder.
    pub fn file(self) -> Result<PathBuf, WizardError> {
        self.file
            .ok_or_else(|| not_now("The certificate has not been saved to a file yet."))
    }
}
