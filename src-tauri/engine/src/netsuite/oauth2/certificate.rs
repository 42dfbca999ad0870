//! The X.509 certificate uploaded to NetSuite's OAuth 2.0 Client Credentials (M2M) Setup: made here,
//! self-signed by the key, or read from a file made elsewhere. NetSuite keeps a certificate at most two
//! years (a longer one is cut to two), so that is the most made here, and the default.

use super::keys::{decode_base64_body, pem_blocks, KeyError, KeyKind, PrivateKey};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::str::FromStr;
use std::time::{Duration, SystemTime};
use x509_cert::der::asn1::{Any, BitString};
use x509_cert::der::oid::ObjectIdentifier;
use x509_cert::der::{Decode, Encode, EncodePem};
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// NetSuite's longest validity: two years. Days, as the command line's `--days` counts them.
pub const MAX_DAYS: u32 = 730;
pub const DEFAULT_DAYS: u32 = MAX_DAYS;
const DAY: Duration = Duration::from_secs(86_400);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("A certificate for NetSuite is valid for 1 to {MAX_DAYS} days (NetSuite cuts a longer one to two years); {0} was asked for.")]
    Days(u32),
    #[error(
        "No certificate was found. Choose the certificate file (.pem, .crt or .cer) holding \
         -----BEGIN CERTIFICATE-----; NetSuite wants PEM, so convert a binary .cer with \
         `openssl x509 -inform der -in cert.cer -out cert.pem`."
    )]
    NoCertificate,
    #[error("The certificate could not be read ({0}). Choose the PEM file exactly as openssl wrote it.")]
    Unreadable(String),
    #[error(
        "The private key does not belong to this certificate, so NetSuite would refuse every assertion signed with it. \
         Choose the certificate made with this key (openssl's recipe writes them together), or let the wizard make a new pair."
    )]
    KeyMismatch,
    #[error(
        "The certificate expired on {0}, and NetSuite refuses an expired certificate. Make a new key and certificate \
         (or a new certificate for this key), upload it as a new mapping and use its Certificate ID."
    )]
    Expired(String),
    #[error(
        "The certificate is valid only from {0}. If this computer's clock is right, make a certificate that is valid \
         now; otherwise turn on automatic time (NTP)."
    )]
    NotYetValid(String),
    #[error(
        "The private key was pasted in the certificate field: clear it, and paste only the certificate (from \
         -----BEGIN CERTIFICATE-----). The private key is taken from the clipboard, never from a field."
    )]
    KeyInCertificateField,
    #[error(
        "More than one private key is among the chosen files: choose the one key the certificate was made \
         with, and its certificate."
    )]
    SeveralKeys,
    #[error("The certificate could not be made: {0}.")]
    Build(String),
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl CertificateError {
    /// Bad input (exit status 2), but for a failure to build one (internal) or a key's own error.
    pub fn error_code(&self) -> crate::ErrorCode {
        match self {
            CertificateError::Build(_) => crate::ErrorCode::Internal,
            CertificateError::Key(k) => k.error_code(),
            _ => crate::ErrorCode::BadInput,
        }
    }
}

/// A certificate as read or made, with what the wizard shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub pem: String,
    pub der: Vec<u8>,
    /// SHA-256 of the DER, upper-case hex pairs joined by colons (as openssl and browsers show it).
    pub fingerprint: String,
    pub not_before: SystemTime,
    pub not_after: SystemTime,
    /// The subject's text form (`CN=…`).
    pub subject: String,
    /// The public key, SubjectPublicKeyInfo DER.
    pub public_key_der: Vec<u8>,
}

impl Certificate {
    /// Makes a self-signed certificate for `key`, valid from `now` for `days` days (1 to 730). The subject
    /// is `CN=<common_name>`, kept to letters, digits, spaces and `-_.` so the name never needs escaping.
    pub fn self_signed(
        key: &PrivateKey,
        common_name: &str,
        days: u32,
        now: SystemTime,
    ) -> Result<Certificate, CertificateError> {
        if days == 0 || days > MAX_DAYS {
            return Err(CertificateError::Days(days));
        }
        let build = |e: x509_cert::der::Error| CertificateError::Build(e.to_string());
        let clean: String = common_name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
            .take(64)
            .collect();
        let clean = if clean.trim().is_empty() {
            "tba-wizard".to_string()
        } else {
            clean.trim().to_string()
        };
        let subject = x509_cert::name::Name::from_str(&format!("CN={clean}")).map_err(build)?;
        // Whole seconds: the certificate's times have no fractions, and the stored ones should equal them.
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(unix_seconds(now));
        let validity = x509_cert::time::Validity {
            not_before: x509_cert::time::Time::try_from(now).map_err(build)?,
            not_after: x509_cert::time::Time::try_from(now + DAY * days).map_err(build)?,
        };
        let mut serial = [0u8; 16];
        rand::Rng::fill(&mut rand::rng(), &mut serial);
        serial[0] = (serial[0] & 0x7f) | 0x40; // positive and of full length
        let spki = SubjectPublicKeyInfoOwned::from_der(&key.public_key_der()).map_err(build)?;
        let algorithm = signature_algorithm(key.kind());
        let tbs = x509_cert::TbsCertificate {
            version: x509_cert::Version::V3,
            serial_number: x509_cert::serial_number::SerialNumber::new(&serial).map_err(build)?,
            signature: algorithm.clone(),
            issuer: subject.clone(),
            validity,
            subject,
            subject_public_key_info: spki,
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions: None,
        };
        let tbs_der = tbs.to_der().map_err(build)?;
        let (oid, signature) = key.sign_certificate(&tbs_der)?;
        debug_assert_eq!(algorithm.oid, ObjectIdentifier::new_unwrap(oid));
        let cert = x509_cert::Certificate {
            tbs_certificate: tbs,
            signature_algorithm: algorithm,
            signature: BitString::from_bytes(&signature).map_err(build)?,
        };
        let pem = cert.to_pem(x509_cert::der::pem::LineEnding::LF).map_err(build)?;
        Certificate::from_pem(&pem)
    }

    /// Reads the first certificate of a PEM text (a chain's others, or a private key pasted along, are
    /// skipped).
    pub fn from_pem(text: &str) -> Result<Certificate, CertificateError> {
        let block = pem_blocks(text)
            .into_iter()
            .find(|b| b.label == "CERTIFICATE")
            .ok_or(CertificateError::NoCertificate)?;
        let der = decode_base64_body(block.body)
            .map_err(|_| CertificateError::Unreadable("its text is not valid base64".into()))?;
        Certificate::from_der(&der)
    }

    /// Reads a certificate file as it comes: PEM, or the binary DER some tools save as `.cer`. (NetSuite
    /// takes PEM only; `pem` is what to upload either way.)
    pub fn from_file_bytes(bytes: &[u8]) -> Result<Certificate, CertificateError> {
        if bytes.first() == Some(&0x30) {
            return Certificate::from_der(bytes);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| CertificateError::NoCertificate)?;
        Certificate::from_pem(text)
    }

    pub fn from_der(der: &[u8]) -> Result<Certificate, CertificateError> {
        let unreadable = |e: x509_cert::der::Error| CertificateError::Unreadable(e.to_string());
        let cert = x509_cert::Certificate::from_der(der).map_err(unreadable)?;
        let tbs = &cert.tbs_certificate;
        let pem = cert.to_pem(x509_cert::der::pem::LineEnding::LF).map_err(unreadable)?;
        Ok(Certificate {
            pem,
            der: der.to_vec(),
            fingerprint: fingerprint(der),
            not_before: tbs.validity.not_before.to_system_time(),
            not_after: tbs.validity.not_after.to_system_time(),
            subject: tbs.subject.to_string(),
            public_key_der: tbs.subject_public_key_info.to_der().map_err(unreadable)?,
        })
    }

    /// Whether the certificate is valid at `now`, with its dates in the refusal.
    pub fn check_valid_at(&self, now: SystemTime) -> Result<(), CertificateError> {
        if now >= self.not_after {
            return Err(CertificateError::Expired(date(self.not_after)));
        }
        if now < self.not_before {
            return Err(CertificateError::NotYetValid(date(self.not_before)));
        }
        Ok(())
    }

    /// Whole days left at `now` (0 on the last day, negative once expired): for the home card and warnings.
    pub fn days_left(&self, now: SystemTime) -> i64 {
        days_left_until(self.not_after, now)
    }

    /// Validity longer than NetSuite keeps: it cuts the certificate to two years from the upload.
    pub fn longer_than_netsuite_keeps(&self) -> bool {
        self.not_after
            .duration_since(self.not_before)
            .is_ok_and(|d| d > DAY * (MAX_DAYS + 1))
    }
}

/// An imported pair as checked: the key, its certificate and what to tell the user.
#[derive(Debug)]
pub struct ImportedPair {
    pub key: PrivateKey,
    pub certificate: Certificate,
    pub warnings: Vec<String>,
}

/// A key and its certificate from the files a dialog chose (one file holding both, or one of each, the
/// certificate in PEM or binary DER), checked as `import_pair` checks them. Only the certificate block
/// of a file is taken as the certificate: a key never passes for one.
pub fn pair_from_files(files: &[&[u8]], now: SystemTime) -> Result<ImportedPair, CertificateError> {
    let mut key: Option<&str> = None;
    let mut certificate = None;
    for bytes in files {
        let text = std::str::from_utf8(bytes).ok();
        if let Some(t) = text.filter(|t| t.contains("PRIVATE KEY-----")) {
            if key.is_some() {
                return Err(CertificateError::SeveralKeys);
            }
            key = Some(t);
        }
        if certificate.is_none() {
            certificate = Certificate::from_file_bytes(bytes).ok();
        }
    }
    let key = key.ok_or(CertificateError::Key(KeyError::NoPrivateKey))?;
    let certificate = certificate.ok_or(CertificateError::NoCertificate)?;
    import_pair(key, &certificate.pem, now)
}

/// The certificate field's text holds no private key block of any kind: a key there has gone through
/// the webview, and must not go further.
pub fn refuse_key_in_certificate_field(certificate_text: &str) -> Result<(), CertificateError> {
    if certificate_text.contains("PRIVATE KEY-----") || certificate_text.contains("PRIVATE KEY BLOCK") {
        return Err(CertificateError::KeyInCertificateField);
    }
    Ok(())
}

/// Checks a key made elsewhere against its certificate: a kind NetSuite accepts (`PrivateKey::from_pem`
/// refuses the others), the certificate's public key is the key's, and the certificate valid at `now`.
pub fn import_pair(
    private_key_pem: &str,
    certificate_pem: &str,
    now: SystemTime,
) -> Result<ImportedPair, CertificateError> {
    refuse_key_in_certificate_field(certificate_pem)?;
    let key = PrivateKey::from_pem(private_key_pem)?;
    let certificate = Certificate::from_pem(certificate_pem)?;
    if !key.matches_public_key(&certificate.public_key_der) {
        return Err(CertificateError::KeyMismatch);
    }
    certificate.check_valid_at(now)?;
    let mut warnings = Vec::new();
    if certificate.longer_than_netsuite_keeps() {
        warnings.push(format!(
            "The certificate is valid until {}, longer than NetSuite keeps one: NetSuite cuts it to two years from the \
             upload, so plan the next certificate before then.",
            date(certificate.not_after)
        ));
    }
    Ok(ImportedPair {
        key,
        certificate,
        warnings,
    })
}

fn signature_algorithm(kind: KeyKind) -> AlgorithmIdentifierOwned {
    match kind {
        KeyKind::P256 | KeyKind::P384 | KeyKind::P521 => AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(match kind {
                KeyKind::P256 => "1.2.840.10045.4.3.2",
                KeyKind::P384 => "1.2.840.10045.4.3.3",
                _ => "1.2.840.10045.4.3.4",
            }),
            parameters: None,
        },
        KeyKind::Rsa3072 | KeyKind::Rsa4096 => AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
            parameters: Some(Any::null()),
        },
    }
}

pub fn fingerprint(der: &[u8]) -> String {
    let mut out = String::with_capacity(95);
    for (i, b) in Sha256::digest(der).iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{b:02X}");
    }
    out
}

fn unix_seconds(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A date as people read it in any locale: `2027-03-01 14:05 UTC`.
/// Whole days left at `now` before `not_after` (0 on the last day, negative once it has passed).
pub fn days_left_until(not_after: SystemTime, now: SystemTime) -> i64 {
    match not_after.duration_since(now) {
        Ok(left) if !left.is_zero() => (left.as_secs() / DAY.as_secs()) as i64,
        _ => {
            let past = now.duration_since(not_after).unwrap_or_default();
            -((past.as_secs() / DAY.as_secs()) as i64) - 1
        }
    }
}

pub fn date(t: SystemTime) -> String {
    let text = humantime::format_rfc3339_seconds(t).to_string();
    format!("{} {} UTC", &text[..10], &text[11..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000) // 2026-11-18 11:06 UTC
    }

    #[test]
    fn made_certificates_carry_the_key_and_at_most_two_years() {
        for kind in [KeyKind::P256, KeyKind::P384, KeyKind::P521] {
            let key = PrivateKey::generate(kind).unwrap();
            let cert = Certificate::self_signed(&key, "tba-wizard acme", DEFAULT_DAYS, now()).unwrap();
            assert!(key.matches_public_key(&cert.public_key_der), "{kind}");
            assert_eq!(cert.not_after.duration_since(cert.not_before).unwrap(), DAY * 730);
            assert_eq!(cert.subject, "CN=tba-wizard acme");
            assert!(!cert.longer_than_netsuite_keeps());
            assert_eq!(cert.days_left(now()), 730);
            assert_eq!(cert.fingerprint.len(), 95);
            let again = Certificate::from_pem(&cert.pem).unwrap();
            assert_eq!(again, cert);
        }
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        assert_eq!(
            Certificate::self_signed(&key, "x", 731, now()).unwrap_err(),
            CertificateError::Days(731)
        );
        assert_eq!(
            Certificate::self_signed(&key, "x", 0, now()).unwrap_err(),
            CertificateError::Days(0)
        );
        let odd = Certificate::self_signed(&key, "a,b=c+\"d\"", 1, now()).unwrap();
        assert_eq!(odd.subject, "CN=abcd");
    }

    #[test]
    fn validity_is_checked_both_ways() {
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "x", 10, now()).unwrap();
        assert_eq!(cert.check_valid_at(now()), Ok(()));
        let late = now() + DAY * 10;
        assert!(matches!(cert.check_valid_at(late), Err(CertificateError::Expired(d)) if d == "2026-11-28 11:06 UTC"));
        assert_eq!(cert.days_left(late), -1);
        assert!(matches!(
            cert.check_valid_at(now() - Duration::from_secs(60)),
            Err(CertificateError::NotYetValid(_))
        ));
    }

    #[test]
    fn an_import_refuses_a_key_of_another_certificate_and_an_expired_one() {
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let other = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "x", 30, now()).unwrap();
        let key_pem = key.to_pkcs8_pem().unwrap();
        let other_pem = other.to_pkcs8_pem().unwrap();
        let ok = import_pair(&key_pem, &cert.pem, now()).unwrap();
        assert_eq!(ok.certificate, cert);
        assert!(ok.warnings.is_empty());
        assert_eq!(
            import_pair(&other_pem, &cert.pem, now()).unwrap_err(),
            CertificateError::KeyMismatch
        );
        let e = import_pair(&key_pem, &cert.pem, now() + DAY * 31).unwrap_err();
        assert!(matches!(e, CertificateError::Expired(_)));
        assert!(e.to_string().contains("new mapping"));
        assert_eq!(
            import_pair(&key_pem, "nothing", now()).unwrap_err(),
            CertificateError::NoCertificate
        );
        // From files: one holding both, or one of each (in any order, the certificate also as DER).
        let both = format!("{}{}", key_pem.as_str(), cert.pem);
        let der = cert.der.clone();
        for files in [
            vec![both.as_bytes()],
            vec![key_pem.as_bytes(), cert.pem.as_bytes()],
            vec![cert.pem.as_bytes(), key_pem.as_bytes()],
            vec![der.as_slice(), key_pem.as_bytes()],
        ] {
            assert_eq!(pair_from_files(&files, now()).unwrap().certificate, cert);
        }
        assert_eq!(
            pair_from_files(&[cert.pem.as_bytes()], now()).unwrap_err(),
            CertificateError::Key(KeyError::NoPrivateKey)
        );
        assert_eq!(
            pair_from_files(&[key_pem.as_bytes()], now()).unwrap_err(),
            CertificateError::NoCertificate
        );
        assert_eq!(
            pair_from_files(&[both.as_bytes(), other_pem.as_bytes()], now()).unwrap_err(),
            CertificateError::SeveralKeys
        );
        assert_eq!(
            pair_from_files(&[other_pem.as_bytes(), cert.pem.as_bytes()], now()).unwrap_err(),
            CertificateError::KeyMismatch
        );
        // A key in the certificate field, before or after the certificate, of any PEM kind.
        for label in [
            "PRIVATE KEY",
            "EC PRIVATE KEY",
            "RSA PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
        ] {
            let key_block = key_pem.replace("PRIVATE KEY", label);
            for field in [format!("{key_block}{}", cert.pem), format!("{}\n{key_block}", cert.pem)] {
                let e = import_pair(&key_pem, &field, now()).unwrap_err();
                assert_eq!(e, CertificateError::KeyInCertificateField, "{label}");
                assert!(e.to_string().contains("clear it"));
            }
        }
        assert_eq!(Certificate::from_file_bytes(&cert.der).unwrap(), cert);
        assert_eq!(Certificate::from_file_bytes(cert.pem.as_bytes()).unwrap(), cert);
        assert_eq!(
            Certificate::from_file_bytes(&[0xff, 0xfe, 0]).unwrap_err(),
            CertificateError::NoCertificate
        );
        assert!(matches!(
            Certificate::from_file_bytes(&[0x30, 0x03, 1, 2, 3]),
            Err(CertificateError::Unreadable(_))
        ));
        assert!(matches!(
            import_pair("nothing", &cert.pem, now()).unwrap_err(),
            CertificateError::Key(KeyError::NoPrivateKey)
        ));
    }
}
