//! The JWS algorithms NetSuite accepts for the client assertion, the kinds of key they sign with, and
//! why a key or an algorithm is refused (`KeyError`), with what to do instead.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The JWS algorithms NetSuite accepts for the client assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum Algorithm {
    ES256,
    ES384,
    ES512,
    PS256,
    PS384,
    PS512,
}

impl Algorithm {
    pub const ALL: [Algorithm; 6] = [
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
    ];

    /// The `alg` of the JWS header.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
        }
    }

    /// Reads an algorithm's name (any case). RS256 and the other PKCS#1 v1.5 or HMAC names get their
    /// own message, since people arrive with them from older recipes.
    pub fn parse(text: &str) -> Result<Algorithm, KeyError> {
        let upper = text.trim().to_ascii_uppercase();
        if let Some(a) = Algorithm::ALL.into_iter().find(|a| a.name() == upper) {
            return Ok(a);
        }
        if matches!(upper.as_str(), "RS256" | "RS384" | "RS512") {
            return Err(KeyError::Rs256);
        }
        Err(KeyError::UnknownAlgorithm(text.chars().take(16).collect()))
    }

    /// Whether a key of `kind` signs with this algorithm: each curve has its one algorithm, and an RSA
    /// key of an accepted size signs with any of the three PSS ones.
    pub fn fits(self, kind: KeyKind) -> bool {
        matches!(
            (self, kind),
            (Algorithm::ES256, KeyKind::P256)
                | (Algorithm::ES384, KeyKind::P384)
                | (Algorithm::ES512, KeyKind::P521)
                | (
                    Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512,
                    KeyKind::Rsa3072 | KeyKind::Rsa4096
                )
        )
    }

    /// The key a new pair for this algorithm is made as (PS* get RSA 3072; ask for 4096 by kind).
    pub fn default_kind(self) -> KeyKind {
        match self {
            Algorithm::ES256 => KeyKind::P256,
            Algorithm::ES384 => KeyKind::P384,
            Algorithm::ES512 => KeyKind::P521,
            Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => KeyKind::Rsa3072,
        }
    }
}

impl Default for Algorithm {
    /// ES256 on P-256: NetSuite's default, the smallest key and the fastest to make.
    fn default() -> Self {
        Algorithm::ES256
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The kinds of key NetSuite accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    P256,
    P384,
    P521,
    Rsa3072,
    Rsa4096,
}

impl KeyKind {
    pub fn label(self) -> &'static str {
        match self {
            KeyKind::P256 => "EC P-256",
            KeyKind::P384 => "EC P-384",
            KeyKind::P521 => "EC P-521",
            KeyKind::Rsa3072 => "RSA 3072",
            KeyKind::Rsa4096 => "RSA 4096",
        }
    }

    /// The algorithm a key of this kind signs with unless told otherwise.
    pub fn default_algorithm(self) -> Algorithm {
        match self {
            KeyKind::P256 => Algorithm::ES256,
            KeyKind::P384 => Algorithm::ES384,
            KeyKind::P521 => Algorithm::ES512,
            KeyKind::Rsa3072 | KeyKind::Rsa4096 => Algorithm::PS256,
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

const WHAT_NETSUITE_TAKES: &str = "NetSuite accepts EC keys on P-256, P-384 or P-521, or RSA keys of 3072 or 4096 bits";
const MAKE_A_NEW_ONE: &str =
    "Let the wizard make a new key and certificate (EC P-256 unless you need another), or make one with \
     `openssl req -new -x509 -nodes -days 730 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -out public.pem -keyout private.pem`, \
     and upload the new certificate in NetSuite";

/// Why a key or an algorithm was refused. The messages say what to do, and never quote key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "No private key was found. Paste the whole PEM text, from its -----BEGIN … PRIVATE KEY----- line to its \
         -----END … PRIVATE KEY----- line (a certificate alone is not enough)."
    )]
    NoPrivateKey,
    #[error(
        "The private key is protected by a passphrase, which this wizard does not read. Make an unprotected copy with \
         `openssl pkey -in private.pem -out plain.pem` (and delete that copy after the import), or let the wizard make a new key."
    )]
    Encrypted,
    #[error("This RSA key has {bits} bits; {WHAT_NETSUITE_TAKES}, and refuses RSA 2048. {MAKE_A_NEW_ONE}.")]
    RsaTooSmall { bits: usize },
    #[error("This RSA key has {bits} bits; {WHAT_NETSUITE_TAKES}. {MAKE_A_NEW_ONE}.")]
    RsaSize { bits: usize },
    #[error("This EC key is on the curve {curve}; {WHAT_NETSUITE_TAKES}. {MAKE_A_NEW_ONE}.")]
    OtherCurve { curve: String },
    #[error("This is {what}; {WHAT_NETSUITE_TAKES}. {MAKE_A_NEW_ONE}.")]
    OtherKind { what: String },
    #[error("The private key could not be read ({0}). Paste the PEM text exactly as the file holds it.")]
    Unreadable(String),
    #[error(
        "NetSuite stopped accepting RS256 (RSA with PKCS#1 v1.5) on 1 March 2025. An RSA key of 3072 or 4096 bits \
         can sign with PS256 instead: choose PS256, PS384 or PS512."
    )]
    Rs256,
    #[error("\"{0}\" is not an algorithm NetSuite accepts: choose ES256, ES384, ES512, PS256, PS384 or PS512.")]
    UnknownAlgorithm(String),
    #[error("A {kind} key cannot sign {algorithm}: {}.", fitting(*.kind))]
    AlgorithmMismatch { kind: KeyKind, algorithm: Algorithm },
    #[error("The key could not sign: {0}.")]
    Signing(String),
}

impl KeyError {
    /// Bad input (exit status 2) but for a failure of the crypto itself.
    pub fn error_code(&self) -> crate::ErrorCode {
        match self {
            KeyError::Signing(_) => crate::ErrorCode::Internal,
            _ => crate::ErrorCode::BadInput,
        }
    }
}

fn fitting(kind: KeyKind) -> String {
    let names: Vec<&str> = Algorithm::ALL
        .into_iter()
        .filter(|a| a.fits(kind))
        .map(Algorithm::name)
        .collect();
    format!("use {}", names.join(", "))
}
