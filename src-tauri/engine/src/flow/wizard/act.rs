//! The wizard's one door for what the user does on a screen: every action on a part of the screen on
//! display is a `PartAction` through `Wizard::act`, every move between screens a `Go` through
//! `Wizard::go`. The window's commands and the tests name the action; the wizard decides whether the
//! screen on display allows it and which flow (the setup or a journey) it goes to.

use super::*;

/// An action on a part of the screen on display.
pub enum PartAction<'a> {
    /// The account ID or a NetSuite address (the setup's account part).
    Account(&'a str),
    /// Own integration: a selectable permission given to the role or not (and probed by the test).
    Pick { key: &'a str, picked: bool },
    /// A checklist item of `screen` ticked or unticked.
    Tick {
        screen: &'a str,
        key: &'a str,
        checked: bool,
    },
    /// A pasted value: one of TBA's four, or an OAuth 2.0 Client ID.
    Capture { field: CaptureField, raw: &'a str },
    /// The name of the token the user just created in NetSuite.
    TokenName(&'a str),
    /// The mapping's Certificate ID, typed or pasted.
    CertificateId(&'a str),
    /// A key made (or imported) for `connection_id`, the connection `KeyPart::target` named, kept with
    /// its certificate, whose file is saved in `dir`.
    AttachKey {
        connection_id: &'a str,
        key: &'a PrivateKey,
        certificate: &'a Certificate,
        algorithm: Algorithm,
        dir: &'a Path,
    },
    /// The certificate's file saved again, as a new file in this folder.
    SaveCertificate(&'a Path),
    /// The certificate saved as exactly `path`; `shown` is the certificate read when the dialog opened.
    SaveCertificateAs {
        path: &'a Path,
        shown: &'a CertificateToSave,
    },
    /// A journey's new values thrown away, to capture them again.
    DiscardNew,
    /// A value saved with a warning, kept as it is (the user knows it is right).
    KeepAsIs(CaptureField),
}

impl<'a> PartAction<'a> {
    pub fn capture(field: impl Into<CaptureField>, raw: &'a str) -> PartAction<'a> {
        PartAction::Capture {
            field: field.into(),
            raw,
        }
    }
}

/// What an action left: the view to render, the capture's warnings, and the file it wrote.
#[derive(Debug)]
pub struct Acted {
    pub view: View,
    pub warnings: Vec<String>,
    pub file: Option<PathBuf>,
}

/// A move between the screens of the flow on display.
#[derive(Debug, Clone, Copy)]
pub enum Go<'a> {
    /// Next: marks the screen done (making new values active on a journey's promotion screen).
    Next,
    Back,
    /// A screen already reached, e.g. "Go to AS-4" after a failed test.
    To(&'a str),
}

impl<S: SecretStore> Wizard<S> {
    pub fn act(&mut self, action: PartAction<'_>) -> Result<Acted, WizardError> {
        let mut warnings = vec![];
        let mut file = None;
        match action {
            PartAction::Account(input) => self.set_account(input)?,
            PartAction::Pick { key, picked } => self.pick(key, picked)?,
            PartAction::Tick { screen, key, checked } => self.tick(screen, key, checked)?,
            PartAction::Capture { field, raw } => warnings = self.capture(field, raw)?,
            PartAction::TokenName(name) => self.set_new_token_name(name)?,
            PartAction::CertificateId(text) => self.set_certificate_id(text)?,
            PartAction::AttachKey {
                connection_id,
                key,
                certificate,
                algorithm,
                dir,
            } => file = Some(self.attach_key(connection_id, key, certificate, algorithm, dir)?),
            PartAction::SaveCertificate(dir) => file = Some(self.save_certificate_to(CertificateTarget::NewIn(dir))?),
            PartAction::SaveCertificateAs { path, shown } => file = Some(self.save_certificate_as(path, shown)?),
            PartAction::DiscardNew => self.discard_new()?,
            PartAction::KeepAsIs(field) => self.keep_as_is(field)?,
        }
        Ok(Acted {
            view: self.view(),
            warnings,
            file,
        })
    }

    pub fn go(&mut self, to: Go<'_>) -> Result<View, WizardError> {
        let (flow, connections) = self.active_mut()?;
        match to {
            Go::Next => {
                if flow.advance(connections)? {
                    return self.end_journey();
                }
            }
            Go::Back => flow.back(connections)?,
            Go::To(screen) => flow.goto(connections, screen)?,
        }
        Ok(self.view())
    }
}
