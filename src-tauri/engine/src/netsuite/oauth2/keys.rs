//! The private keys NetSuite accepts for OAuth 2.0 client credentials, and the algorithms that sign with
//! them: EC P-256 (ES256), P-384 (ES384), P-521 (ES512), RSA 3072 or 4096 bits (PS256, PS384, PS512).
//! RSA 2048 and RS256 are refused by NetSuite (RS256 since 1 March 2025), so they are refused here first,
//! with what to do instead.
//!
//! Key material lives in types that wipe themselves on drop (the curves' `SecretKey`, `RsaPrivateKey`),
//! its text forms in `Zeroizing` buffers, and `Debug` shows only the kind.

use p521::elliptic_curve::rand_core::OsRng;
use pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use sha2::{Sha256, Sha384, Sha512};
use std::fmt;
use zeroize::Zeroizing;

pub use super::algorithm::{Algorithm, KeyError, KeyKind};

/// A private key of a kind NetSuite accepts. Wiped on drop; `Debug` shows the kind only.
pub enum PrivateKey {
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
    Rsa(Box<rsa::RsaPrivateKey>),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({}, [redacted])", self.kind())
    }
}

impl PrivateKey {
    /// Makes a new key from the operating system's random source. RSA takes about a second (4096 bits:
    /// a few); the curves a millisecond.
    pub fn generate(kind: KeyKind) -> Result<PrivateKey, KeyError> {
        Ok(match kind {
            KeyKind::P256 => PrivateKey::P256(p256::SecretKey::random(&mut OsRng)),
            KeyKind::P384 => PrivateKey::P384(p384::SecretKey::random(&mut OsRng)),
            KeyKind::P521 => PrivateKey::P521(p521::SecretKey::random(&mut OsRng)),
            KeyKind::Rsa3072 | KeyKind::Rsa4096 => {
                let bits = if kind == KeyKind::Rsa3072 { 3072 } else { 4096 };
                let key = rsa::RsaPrivateKey::new(&mut OsRng, bits).map_err(|e| KeyError::Signing(e.to_string()))?;
                PrivateKey::Rsa(Box::new(key))
            }
        })
    }

    pub fn kind(&self) -> KeyKind {
        match self {
            PrivateKey::P256(_) => KeyKind::P256,
            PrivateKey::P384(_) => KeyKind::P384,
            PrivateKey::P521(_) => KeyKind::P521,
            PrivateKey::Rsa(k) if k.n().bits() > 3072 => KeyKind::Rsa4096,
            PrivateKey::Rsa(_) => KeyKind::Rsa3072,
        }
    }

    /// Reads a PEM private key as Oracle's openssl recipe and its variants write it: PKCS#8
    /// (`PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`, maybe after an `EC PARAMETERS` block) or PKCS#1
    /// (`RSA PRIVATE KEY`). Other blocks in the text (a certificate pasted along) are skipped. Refuses
    /// kinds NetSuite refuses, saying which and what to do.
    pub fn from_pem(text: &str) -> Result<PrivateKey, KeyError> {
        let mut found = None;
        for block in pem_blocks(text) {
            match block.label {
                "PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY" => {
                    found = Some(block);
                    break;
                }
                "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
                _ => {}
            }
        }
        let block = found.ok_or(KeyError::NoPrivateKey)?;
        // Traditional PEM encryption puts headers in the block: "Proc-Type: 4,ENCRYPTED".
        if block.body.contains("Proc-Type:") || block.body.contains("DEK-Info:") {
            return Err(KeyError::Encrypted);
        }
        let der = decode_base64_body(block.body)?;
        match block.label {
            "PRIVATE KEY" => PrivateKey::from_pkcs8_der(&der),
            "EC PRIVATE KEY" => from_sec1_der(&der),
            _ => {
                use rsa::pkcs1::DecodeRsaPrivateKey;
                let key = rsa::RsaPrivateKey::from_pkcs1_der(&der).map_err(|e| KeyError::Unreadable(e.to_string()))?;
                rsa_key(key)
            }
        }
    }

    /// Reads a PKCS#8 DER key (the vault's form and the inside of `PRIVATE KEY`).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<PrivateKey, KeyError> {
        let info = pkcs8::PrivateKeyInfo::try_from(der).map_err(|e| KeyError::Unreadable(e.to_string()))?;
        let algorithm = info.algorithm.oid;
        if algorithm == OID_EC_PUBLIC_KEY {
            let curve = info
                .algorithm
                .parameters_oid()
                .map_err(|e| KeyError::Unreadable(e.to_string()))?;
            let unreadable = |e: pkcs8::Error| KeyError::Unreadable(e.to_string());
            return match curve {
                OID_P256 => p256::SecretKey::from_pkcs8_der(der)
                    .map(PrivateKey::P256)
                    .map_err(unreadable),
                OID_P384 => p384::SecretKey::from_pkcs8_der(der)
                    .map(PrivateKey::P384)
                    .map_err(unreadable),
                OID_P521 => p521::SecretKey::from_pkcs8_der(der)
                    .map(PrivateKey::P521)
                    .map_err(unreadable),
                other => Err(KeyError::OtherCurve {
                    curve: curve_name(other),
                }),
            };
        }
        if algorithm == OID_RSA_ENCRYPTION {
            let key = rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|e| KeyError::Unreadable(e.to_string()))?;
            return rsa_key(key);
        }
        Err(KeyError::OtherKind {
            what: match algorithm.to_string().as_str() {
                "1.3.101.112" => "an Ed25519 key".into(),
                "1.3.101.113" => "an Ed448 key".into(),
                "1.2.840.10040.4.1" => "a DSA key".into(),
                "1.2.840.113549.1.1.10" => "an RSA key restricted to RSA-PSS (openssl -algorithm RSA-PSS), which this \
                                           wizard does not read; an ordinary RSA key of 3072 or 4096 bits signs PS256 too"
                    .into(),
                other => format!("a key of the algorithm {other}"),
            },
        })
    }

    /// The forms a careless log line could carry the key in: its PEM, and its DER in one line of base64
    /// (the keyring item's form). For the redactor; the PEM block pattern already catches whole blocks.
    pub fn log_forms(&self) -> Vec<Zeroizing<String>> {
        use base64::Engine as _;
        let mut forms = Vec::with_capacity(2);
        if let Ok(pem) = self.to_pkcs8_pem() {
            forms.push(pem);
        }
        if let Ok(der) = self.to_pkcs8_der() {
            forms.push(Zeroizing::new(
                base64::engine::general_purpose::STANDARD.encode(der.as_slice()),
            ));
        }
        forms
    }

    /// The key as PKCS#8 DER, for the vault. Wiped when dropped.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let doc = match self {
            PrivateKey::P256(k) => k.to_pkcs8_der(),
            PrivateKey::P384(k) => k.to_pkcs8_der(),
            PrivateKey::P521(k) => k.to_pkcs8_der(),
            PrivateKey::Rsa(k) => k.to_pkcs8_der(),
        }
        .map_err(|e| KeyError::Signing(e.to_string()))?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), for the hand-off to the system that runs
    /// the integration. Wiped when dropped.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        let pem = match self {
            PrivateKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::P521(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
        }
        .map_err(|e| KeyError::Signing(e.to_string()))?;
        Ok(Zeroizing::new(pem.as_str().to_owned()))
    }

    /// The public key as SubjectPublicKeyInfo DER (what a certificate carries).
    pub fn public_key_der(&self) -> Vec<u8> {
        let doc = match self {
            PrivateKey::P256(k) => k.public_key().to_public_key_der(),
            PrivateKey::P384(k) => k.public_key().to_public_key_der(),
            PrivateKey::P521(k) => k.public_key().to_public_key_der(),
            PrivateKey::Rsa(k) => k.to_public_key().to_public_key_der(),
        };
        doc.expect("a valid key encodes").into_vec()
    }

    /// Whether `spki_der` (a certificate's public key) is this key's public half. Compared as keys, not
    /// as bytes, so a certificate with the point in compressed form still matches.
    pub fn matches_public_key(&self, spki_der: &[u8]) -> bool {
        match self {
            PrivateKey::P256(k) => p256::PublicKey::from_public_key_der(spki_der).is_ok_and(|p| p == k.public_key()),
            PrivateKey::P384(k) => p384::PublicKey::from_public_key_der(spki_der).is_ok_and(|p| p == k.public_key()),
            PrivateKey::P521(k) => p521::PublicKey::from_public_key_der(spki_der).is_ok_and(|p| p == k.public_key()),
            PrivateKey::Rsa(k) => {
                rsa::RsaPublicKey::from_public_key_der(spki_der).is_ok_and(|p| p == k.to_public_key())
            }
        }
    }

    /// A JWS signature of `message` with `algorithm`: for ECDSA the fixed-size r‖s of RFC 7518 §3.4 (not
    /// DER), for RSA-PSS the salt as long as the hash, as RFC 7518 §3.5 says.
    pub fn sign_jws(&self, algorithm: Algorithm, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
        if !algorithm.fits(self.kind()) {
            return Err(KeyError::AlgorithmMismatch {
                kind: self.kind(),
                algorithm,
            });
        }
        let signing = |e: rsa::signature::Error| KeyError::Signing(e.to_string());
        Ok(match self {
            PrivateKey::P256(k) => {
                let sig: p256::ecdsa::Signature =
                    p256::ecdsa::SigningKey::from(k).try_sign(message).map_err(signing)?;
                sig.to_bytes().to_vec()
            }
            PrivateKey::P384(k) => {
                let sig: p384::ecdsa::Signature =
                    p384::ecdsa::SigningKey::from(k).try_sign(message).map_err(signing)?;
                sig.to_bytes().to_vec()
            }
            PrivateKey::P521(k) => {
                let sig: p521::ecdsa::Signature = p521_signer(k)?.try_sign(message).map_err(signing)?;
                sig.to_bytes().to_vec()
            }
            PrivateKey::Rsa(k) => {
                let key = rsa::RsaPrivateKey::clone(k);
                match algorithm {
                    Algorithm::PS256 => rsa::pss::BlindedSigningKey::<Sha256>::new(key)
                        .try_sign_with_rng(&mut OsRng, message)
                        .map_err(signing)?
                        .to_vec(),
                    Algorithm::PS384 => rsa::pss::BlindedSigningKey::<Sha384>::new(key)
                        .try_sign_with_rng(&mut OsRng, message)
                        .map_err(signing)?
                        .to_vec(),
                    _ => rsa::pss::BlindedSigningKey::<Sha512>::new(key)
                        .try_sign_with_rng(&mut OsRng, message)
                        .map_err(signing)?
                        .to_vec(),
                }
            }
        })
    }

    /// A certificate signature of `tbs` (DER) and its algorithm's OID: ECDSA with the curve's hash (DER
    /// signature, as X.509 has it), RSA with PKCS#1 v1.5 and SHA-256 as openssl's recipe signs. Whether
    /// NetSuite would take a PSS-signed certificate is not known, and this one is never the assertion.
    pub(crate) fn sign_certificate(&self, tbs: &[u8]) -> Result<(&'static str, Vec<u8>), KeyError> {
        use rsa::signature::{SignatureEncoding, Signer};
        let signing = |e: rsa::signature::Error| KeyError::Signing(e.to_string());
        Ok(match self {
            PrivateKey::P256(k) => {
                let sig: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(k).try_sign(tbs).map_err(signing)?;
                ("1.2.840.10045.4.3.2", sig.to_der().as_bytes().to_vec())
            }
            PrivateKey::P384(k) => {
                let sig: p384::ecdsa::Signature = p384::ecdsa::SigningKey::from(k).try_sign(tbs).map_err(signing)?;
                ("1.2.840.10045.4.3.3", sig.to_der().as_bytes().to_vec())
            }
            PrivateKey::P521(k) => {
                let sig: p521::ecdsa::Signature = p521_signer(k)?.try_sign(tbs).map_err(signing)?;
                ("1.2.840.10045.4.3.4", sig.to_der().as_bytes().to_vec())
            }
            PrivateKey::Rsa(k) => {
                // With a random number generator the private operation is blinded, so its timing tells
                // nothing about the key; the signature is the same (PKCS#1 v1.5 is deterministic).
                use rsa::signature::RandomizedSigner;
                let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(rsa::RsaPrivateKey::clone(k));
                let signature = signer.try_sign_with_rng(&mut OsRng, tbs).map_err(signing)?;
                ("1.2.840.113549.1.1.11", signature.to_vec())
            }
        })
    }
}

fn p521_signer(k: &p521::SecretKey) -> Result<p521::ecdsa::SigningKey, KeyError> {
    p521::ecdsa::SigningKey::from_bytes(&k.to_bytes()).map_err(|e| KeyError::Signing(e.to_string()))
}

fn rsa_key(key: rsa::RsaPrivateKey) -> Result<PrivateKey, KeyError> {
    let bits = key.n().bits();
    match bits {
        3072 | 4096 => {
            key.validate().map_err(|e| KeyError::Unreadable(e.to_string()))?;
            Ok(PrivateKey::Rsa(Box::new(key)))
        }
        b if b < 3072 => Err(KeyError::RsaTooSmall { bits: b }),
        b => Err(KeyError::RsaSize { bits: b }),
    }
}

fn from_sec1_der(der: &[u8]) -> Result<PrivateKey, KeyError> {
    let parsed = sec1::EcPrivateKey::try_from(der).map_err(|e| KeyError::Unreadable(e.to_string()))?;
    let curve = parsed
        .parameters
        .and_then(|p| p.named_curve())
        .ok_or_else(|| KeyError::Unreadable("the key does not name its curve".into()))?;
    let unreadable = |e: p256::elliptic_curve::Error| KeyError::Unreadable(e.to_string());
    match curve {
        OID_P256 => p256::SecretKey::from_sec1_der(der)
            .map(PrivateKey::P256)
            .map_err(unreadable),
        OID_P384 => p384::SecretKey::from_sec1_der(der)
            .map(PrivateKey::P384)
            .map_err(unreadable),
        OID_P521 => p521::SecretKey::from_sec1_der(der)
            .map(PrivateKey::P521)
            .map_err(unreadable),
        other => Err(KeyError::OtherCurve {
            curve: curve_name(other),
        }),
    }
}

use pkcs8::ObjectIdentifier as Oid;
const OID_EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const OID_RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const OID_P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: Oid = Oid::new_unwrap("1.3.132.0.34");
const OID_P521: Oid = Oid::new_unwrap("1.3.132.0.35");

/// The common names of the curves people meet, else the OID.
fn curve_name(oid: Oid) -> String {
    match oid.to_string().as_str() {
        "1.3.132.0.10" => "secp256k1".into(),
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1".into(),
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1".into(),
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1".into(),
        "1.2.840.10045.3.1.1" => "P-192".into(),
        "1.3.132.0.33" => "P-224".into(),
        other => format!("with the OID {other}"),
    }
}

/// One `-----BEGIN L-----` … `-----END L-----` block of a PEM text.
pub(crate) struct PemBlock<'a> {
    pub label: &'a str,
    pub body: &'a str,
}

/// The PEM blocks of `text`, in order, whatever lies between them (pasted text often carries a
/// `Bag Attributes` preamble or a certificate along).
pub(crate) fn pem_blocks(text: &str) -> Vec<PemBlock<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(label_end) = after.find("-----") else { break };
        let label = &after[..label_end];
        let body_start = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let Some(body_end) = body_start.find(&end_marker) else {
            break;
        };
        out.push(PemBlock {
            label,
            body: &body_start[..body_end],
        });
        rest = &body_start[body_end + end_marker.len()..];
    }
    out
}

/// The bytes of a PEM body: base64 lines, whitespace ignored, into wiped memory.
pub(crate) fn decode_base64_body(body: &str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    use base64::Engine as _;
    let compact: Zeroizing<String> = Zeroizing::new(body.chars().filter(|c| !c.is_whitespace()).collect());
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| KeyError::Unreadable("its text is not valid base64".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_fit_their_keys_only() {
        assert!(Algorithm::ES256.fits(KeyKind::P256));
        assert!(!Algorithm::ES256.fits(KeyKind::P384));
        assert!(!Algorithm::ES512.fits(KeyKind::Rsa4096));
        assert!(Algorithm::PS512.fits(KeyKind::Rsa3072));
        assert!(!Algorithm::PS256.fits(KeyKind::P256));
        for a in Algorithm::ALL {
            assert!(a.fits(a.default_kind()));
            assert_eq!(Algorithm::parse(&a.name().to_lowercase()), Ok(a));
        }
        for k in [
            KeyKind::P256,
            KeyKind::P384,
            KeyKind::P521,
            KeyKind::Rsa3072,
            KeyKind::Rsa4096,
        ] {
            assert!(k.default_algorithm().fits(k));
        }
    }

    #[test]
    fn rs256_is_refused_with_its_replacement() {
        let e = Algorithm::parse("RS256").unwrap_err();
        assert_eq!(e, KeyError::Rs256);
        assert!(e.to_string().contains("PS256"));
        assert!(matches!(Algorithm::parse("HS256"), Err(KeyError::UnknownAlgorithm(_))));
    }

    #[test]
    fn a_key_refuses_an_algorithm_of_another_kind() {
        let key = PrivateKey::generate(KeyKind::P384).unwrap();
        let e = key.sign_jws(Algorithm::ES256, b"x").unwrap_err();
        assert!(e.to_string().contains("use ES384"), "{e}");
    }

    #[test]
    fn ecdsa_jws_signatures_are_raw_r_and_s() {
        for (kind, len) in [(KeyKind::P256, 64), (KeyKind::P384, 96), (KeyKind::P521, 132)] {
            let key = PrivateKey::generate(kind).unwrap();
            let sig = key.sign_jws(kind.default_algorithm(), b"message").unwrap();
            assert_eq!(sig.len(), len, "{kind}");
        }
    }

    #[test]
    fn pkcs8_round_trips_and_debug_hides_the_key() {
        let key = PrivateKey::generate(KeyKind::P521).unwrap();
        let pem = key.to_pkcs8_pem().unwrap();
        let back = PrivateKey::from_pem(&pem).unwrap();
        assert_eq!(back.public_key_der(), key.public_key_der());
        assert!(key.matches_public_key(&back.public_key_der()));
        let der = key.to_pkcs8_der().unwrap();
        assert_eq!(
            PrivateKey::from_pkcs8_der(&der).unwrap().public_key_der(),
            key.public_key_der()
        );
        let shown = format!("{key:?}");
        assert_eq!(shown, "PrivateKey(EC P-521, [redacted])");
    }

    #[test]
    fn keys_that_do_not_match_are_told_apart() {
        let a = PrivateKey::generate(KeyKind::P256).unwrap();
        let b = PrivateKey::generate(KeyKind::P256).unwrap();
        let c = PrivateKey::generate(KeyKind::P384).unwrap();
        assert!(!a.matches_public_key(&b.public_key_der()));
        assert!(!a.matches_public_key(&c.public_key_der()));
        assert!(!a.matches_public_key(b"not a key"));
    }

    #[test]
    fn pem_text_without_a_key_or_with_a_passphrase_is_refused() {
        assert_eq!(PrivateKey::from_pem("hello").unwrap_err(), KeyError::NoPrivateKey);
        let cert_only = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert_eq!(PrivateKey::from_pem(cert_only).unwrap_err(), KeyError::NoPrivateKey);
        let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert_eq!(PrivateKey::from_pem(encrypted).unwrap_err(), KeyError::Encrypted);
        let traditional = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIB\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(PrivateKey::from_pem(traditional).unwrap_err(), KeyError::Encrypted);
        let garbage = "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n";
        assert!(matches!(PrivateKey::from_pem(garbage), Err(KeyError::Unreadable(_))));
    }

    #[test]
    fn errors_never_quote_the_key() {
        // A P-256 key whose body is cut short: the error names the problem, not the bytes.
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let pem = key.to_pkcs8_pem().unwrap();
        let body: String = pem.lines().nth(1).unwrap().to_string();
        let cut = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            &body[..40]
        );
        let e = PrivateKey::from_pem(&cut).unwrap_err().to_string();
        assert!(!e.contains(&body[..20]), "{e}");
    }
}
