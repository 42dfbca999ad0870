//! The key and certificate part: where a certificate's file goes and how it is written, for an OAuth 2.0
//! setup's key step and a certificate replacement's new key alike.

use crate::flow::view::{bad, not_now, WizardError};
use crate::keep::connections::Connections;
use crate::keep::store::{Connection, M2mCertificate, M2mRecord};
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::oauth2::{Algorithm, Certificate, PrivateKey, Scope};
use std::path::{Path, PathBuf};

/// What a flow hosting the key part (an OAuth 2.0 setup, a certificate replacement) tells the part: the
/// connection and slot it acts on, where it keeps the certificate's file name, and what a new key or
/// Certificate ID makes stale. The part's actions are written once, below, for every host.
pub(crate) trait KeyHost<S: SecretStore> {
    /// The connection and the slot its key is kept in now. Refused with the host's own words where it
    /// takes no key at all.
    fn key_place(&self, connections: &Connections<S>) -> Result<(Connection, Slot), WizardError>;
    /// Refused where the host no longer takes a new key or Certificate ID (a replacement after its
    /// promotion).
    fn may_change(&self) -> Result<(), WizardError> {
        Ok(())
    }
    fn set_certificate_file(&mut self, file: Option<String>);
    fn certificate_file(&self) -> Option<PathBuf>;
    /// Forgets what a new key (`key`) or a new Certificate ID (`!key`) leaves unproven.
    fn forget_tested(&mut self, key: bool);
    fn save_progress(&mut self, connections: &Connections<S>) -> Result<(), WizardError>;
}

/// "new " for a key staged beside the one in use: the words say which key the user is to make.
fn which(slot: Slot) -> &'static str {
    if slot == Slot::Pending {
        "new "
    } else {
        ""
    }
}

/// What the key part keeps in a connection's record (its certificate, the keyring values' fingerprints),
/// once a key is made: the one way the screens read it.
pub(crate) fn record(c: Option<&Connection>) -> Option<&M2mRecord> {
    c?.m2m()
}

fn certificate_in(c: &Connection, slot: Slot) -> Option<&M2mCertificate> {
    // A TBA connection moving to OAuth 2.0 keeps its new certificate in the move's record.
    if let (Some(moving), Slot::Pending) = (c.moving(), slot) {
        return Some(&moving.certificate);
    }
    let m = c.m2m()?;
    match slot {
        Slot::Pending => m.pending.as_ref(),
        _ => Some(&m.certificate),
    }
}

/// The connection and slot a new key or Certificate ID goes to, where the host takes one now.
fn place_to_change<S: SecretStore>(
    host: &dyn KeyHost<S>,
    connections: &Connections<S>,
) -> Result<(Connection, Slot), WizardError> {
    host.may_change()?;
    host.key_place(connections)
}

/// The connection a key is to be made for, and the certificate's name (`tba-wizard <label>`).
pub(crate) fn target_of(c: &Connection) -> (String, String) {
    (c.id.clone(), format!("tba-wizard {}", c.label))
}

/// The certificate in `slot` of `c` a save dialog would save, and the file name it suggests.
pub(crate) fn to_save_in(c: &Connection, slot: Slot) -> Result<CertificateToSave, WizardError> {
    Ok(certificate_to_save(c, certificate_or_first(c, slot)?))
}

fn certificate_or_first(c: &Connection, slot: Slot) -> Result<&M2mCertificate, WizardError> {
    certificate_in(c, slot).ok_or_else(|| not_now(format!("Make the {}key and certificate first.", which(slot))))
}

/// Keeps a key made or imported (the keyring) for `connection_id` with its certificate (the record) in
/// the host's slot, then saves the certificate's file in `dir`. A key kept there before is replaced, and
/// its Certificate ID with it: a new certificate needs a new mapping. Refused if the host moved to
/// another connection while the key was made.
pub(crate) fn attach_key<S: SecretStore>(
    host: &mut dyn KeyHost<S>,
    connections: &Connections<S>,
    connection_id: &str,
    key: &PrivateKey,
    certificate: &Certificate,
    algorithm: Algorithm,
    dir: &Path,
) -> Result<PathBuf, WizardError> {
    let (c, slot) = place_to_change(host, connections)?;
    if c.id != connection_id {
        return Err(bad(
            "Another connection was opened while the key was made; make it again.",
        ));
    }
    match slot {
        // A TBA connection's new key begins (or begins again) its move to OAuth 2.0, the Client ID taken
        // from its consumer key; the tokens stay in use.
        Slot::Pending if c.tba().is_some() => {
            if c.moving().is_some() {
                connections.discard(&c.id)?;
            }
            connections.migrate_begin(&c.id, key, certificate, algorithm, &[Scope::RestWebservices], None)?;
        }
        Slot::Pending => {
            connections.m2m_stage(&c.id, key, certificate, algorithm)?;
        }
        _ => {
            connections.m2m_attach(&c.id, key, certificate, algorithm, &[Scope::RestWebservices])?;
        }
    };
    host.set_certificate_file(None);
    host.forget_tested(true);
    host.save_progress(connections)?;
    save_certificate(host, connections, CertificateTarget::NewIn(dir))
}

/// Writes the certificate (public) where `to` says, readable by the user only, and remembers that file as
/// the certificate's.
pub(crate) fn save_certificate<S: SecretStore>(
    host: &mut dyn KeyHost<S>,
    connections: &Connections<S>,
    to: CertificateTarget<'_>,
) -> Result<PathBuf, WizardError> {
    let (c, slot) = host.key_place(connections)?;
    let path = save_certificate_file(&c, certificate_or_first(&c, slot)?, to)?;
    host.set_certificate_file(Some(path.display().to_string()));
    host.save_progress(connections)?;
    Ok(path)
}

/// The mapping's Certificate ID, typed or pasted, for the host's certificate.
pub(crate) fn set_certificate_id<S: SecretStore>(
    host: &mut dyn KeyHost<S>,
    connections: &Connections<S>,
    text: &str,
) -> Result<(), WizardError> {
    let (c, slot) = place_to_change(host, connections)?;
    if certificate_in(&c, slot).is_none() {
        return Err(not_now(format!(
            "Make the {}key and certificate first (the step before this one).",
            which(slot)
        )));
    }
    // `m2m_set` refuses the Client ID pasted here by mistake, and takes NetSuite's alphabet only.
    connections.m2m_set(&c.id, slot == Slot::Pending, text, None)?;
    host.forget_tested(false);
    host.save_progress(connections)
}

/// Where a certificate's file goes.
#[derive(Debug, Clone, Copy)]
pub enum CertificateTarget<'a> {
    /// A new file in this folder (Downloads), named after the account and the certificate's date; never
    /// replaces a file.
    NewIn(&'a Path),
    /// Exactly this file, chosen by the user in the save dialog (which asked before replacing one).
    Exactly(&'a Path),
}

/// The certificate a "Save a copy as…" writes, read before the dialog opens: the file name it suggests
/// (the one Downloads gets) and the PEM, so that the save can refuse if the key changed meanwhile.
#[derive(Debug, Clone)]
pub struct CertificateToSave {
    pub file_name: String,
    pub pem: String,
}

/// The certificate's file name without its `.pem`: `netsuite-<account>-certificate-<yyyymmdd>`.
fn certificate_stem(c: &Connection, cert: &M2mCertificate) -> String {
    let stamp: String = cert.not_before.chars().filter(char::is_ascii_digit).take(8).collect();
    format!("netsuite-{}-certificate-{stamp}", c.account.to_ascii_lowercase())
}

pub(crate) fn certificate_to_save(c: &Connection, cert: &M2mCertificate) -> CertificateToSave {
    CertificateToSave {
        file_name: format!("{}.pem", certificate_stem(c, cert)),
        pem: cert.pem.clone(),
    }
}

/// Writes a certificate (public) readable by the user only: to a new file in a folder, never replacing
/// one, or to exactly the file the user chose.
pub(crate) fn save_certificate_file(
    c: &Connection,
    cert: &M2mCertificate,
    to: CertificateTarget<'_>,
) -> Result<PathBuf, WizardError> {
    let dir = match to {
        CertificateTarget::NewIn(dir) => dir,
        CertificateTarget::Exactly(path) => return save_certificate_as(cert, path),
    };
    crate::keep::store::save_new_file(dir, &certificate_stem(c, cert), "pem", cert.pem.as_bytes()).map_err(|e| {
        WizardError::Save {
            path: dir.display().to_string(),
            reason: format!(
                "{e}; the key and certificate are kept, press Save the certificate again once that is fixed"
            ),
        }
    })
}

/// Writes the certificate to the file the user chose, replacing it if it exists (the dialog asked), through
/// a temporary file in the same folder renamed over it: a failure leaves the old file, or none, never half
/// of one. The folder must exist: the wizard does not make folders the user did not see.
fn save_certificate_as(cert: &M2mCertificate, path: &Path) -> Result<PathBuf, WizardError> {
    let folder = path.parent().filter(|f| !f.as_os_str().is_empty());
    let (Some(folder), Some(_)) = (folder, path.file_name()) else {
        return Err(bad(format!(
            "{} is not a file's full path. Choose a folder and a file name; nothing was written.",
            path.display()
        )));
    };
    if !path.is_absolute() {
        return Err(bad(format!(
            "{} is not a full path. Choose a folder and a file name; nothing was written.",
            path.display()
        )));
    }
    if !folder.is_dir() {
        return Err(bad(format!(
            "The folder {} does not exist. Choose a folder that exists; nothing was written.",
            folder.display()
        )));
    }
    if path.is_dir() {
        return Err(bad(format!(
            "{} is a folder. Choose a file name in it; nothing was written.",
            path.display()
        )));
    }
    crate::keep::store::write_atomic(path, cert.pem.as_bytes()).map_err(|e| {
        WizardError::File(format!(
            "The certificate could not be saved as {}: {e}. Nothing was written there; the key and certificate \
             are kept.",
            path.display()
        ))
    })?;
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netsuite::oauth2::{Algorithm, Certificate, PrivateKey};
    use std::time::SystemTime;

    fn certificate(name: &str) -> M2mCertificate {
        let key = PrivateKey::generate(Algorithm::ES256.default_kind()).unwrap();
        let cert = Certificate::self_signed(&key, name, 30, SystemTime::now()).unwrap();
        M2mCertificate::new(Algorithm::ES256, &cert)
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The chosen file gets exactly the PEM, readable by the user only, replacing a file there (the dialog
    /// asked first), and no temporary file stays behind.
    #[test]
    fn save_as_writes_the_chosen_file_for_the_user_only_replacing_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.pem");
        std::fs::write(&path, "an older file, longer than nothing").unwrap();
        #[cfg(unix)]
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
        let cert = certificate("tba-wizard test");
        let saved = save_certificate_as(&cert, &path).unwrap();
        assert_eq!(saved, path);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), cert.pem);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(names_in(dir.path()), ["mine.pem"]);
    }

    /// A folder that does not exist is refused, not made; so are a folder and a path that is not a full one.
    #[test]
    fn save_as_refuses_a_missing_folder_a_folder_and_a_relative_path() {
        let dir = tempfile::tempdir().unwrap();
        let cert = certificate("tba-wizard test");
        let missing = dir.path().join("nowhere").join("mine.pem");
        let e = save_certificate_as(&cert, &missing).unwrap_err();
        assert!(matches!(e, WizardError::BadInput(_)), "{e}");
        assert!(e.to_string().contains("does not exist"), "{e}");
        assert!(!dir.path().join("nowhere").exists(), "the folder was made");
        let e = save_certificate_as(&cert, dir.path()).unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
        let e = save_certificate_as(&cert, Path::new("mine.pem")).unwrap_err();
        assert!(e.to_string().contains("not a file's full path"), "{e}");
        assert!(names_in(dir.path()).is_empty(), "{:?}", names_in(dir.path()));
    }

    /// A write that fails (here: a name too long for the temporary file beside it, which fails as root
    /// too): an error that names the file, and nothing left behind.
    #[test]
    fn save_as_that_fails_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{}.pem", "c".repeat(246)));
        let e = save_certificate_as(&certificate("tba-wizard test"), &path).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Storage);
        assert!(e.to_string().contains(&path.display().to_string()), "{e}");
        assert!(names_in(dir.path()).is_empty(), "{:?}", names_in(dir.path()));
    }
}
