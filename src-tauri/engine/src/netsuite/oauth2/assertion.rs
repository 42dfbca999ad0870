//! The client assertion: the short JWT the integration signs and trades for an access token.
//!
//! Exactly as Oracle describes it: header `typ` JWT, `alg` (ES256/384/512 or PS256/384/512), `kid` = the
//! Certificate ID of the mapping; claims `iss` = the Client ID, `scope`, `aud` = the URL of the token
//! endpoint the request is sent to, `iat` and `exp` in seconds, `exp` less than 60 minutes later (five
//! minutes here: a leaked assertion is worth little for long).
//!
//! Before signing, everything NetSuite would refuse with a bare `server_error` is checked here with a
//! message instead: the key fits `alg`, the key is the certificate's, the certificate is valid, the
//! lifetime is under an hour, the IDs are present.

use super::certificate::{Certificate, CertificateError};
use super::keys::{Algorithm, KeyError, PrivateKey};
use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};

/// How long an assertion is good for. NetSuite takes up to (less than) 60 minutes; one is used at once.
pub const LIFETIME: Duration = Duration::from_secs(300);
/// NetSuite's limit: `exp` must be less than this after `iat`.
pub const MAX_LIFETIME: Duration = Duration::from_secs(3600);

/// The scopes an integration record can tick for OAuth 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    RestWebservices,
    Restlets,
    SuiteAnalytics,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::RestWebservices, Scope::Restlets, Scope::SuiteAnalytics];

    /// The value sent in the `scope` claim.
    pub fn code(self) -> &'static str {
        match self {
            Scope::RestWebservices => "rest_webservices",
            Scope::Restlets => "restlets",
            Scope::SuiteAnalytics => "suite_analytics",
        }
    }

    /// The box's label on the integration record.
    pub fn label(self) -> &'static str {
        match self {
            Scope::RestWebservices => "REST WEB SERVICES",
            Scope::Restlets => "RESTLETS",
            Scope::SuiteAnalytics => "SUITEANALYTICS CONNECT",
        }
    }

    pub fn parse(code: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// How the `scope` claim is written. Oracle's text says comma-separated, Oracle's own samples send a
/// JSON array, and working code does both; the array is the default, and a refusal's causes say which
/// form was sent so the other can be tried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ScopeForm {
    #[default]
    JsonArray,
    CommaSeparated,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssertionError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Certificate(#[from] CertificateError),
    #[error("The Client ID is missing. Copy it from the integration record (shown once, after Save).")]
    NoClientId,
    #[error("The Certificate ID is missing. Copy it from the mapping's row on the OAuth 2.0 Client Credentials (M2M) Setup page.")]
    NoCertificateId,
    #[error("{0} holds a space or a control character; copy it again, without anything around it.")]
    Whitespace(&'static str),
    #[error("At least one scope is needed, ticked on the integration record too (REST WEB SERVICES for the test).")]
    NoScope,
    #[error("An assertion must expire less than 60 minutes after it is issued; {0} s was asked for.")]
    Lifetime(u64),
}

impl AssertionError {
    /// The kind of failure, for the window's error code and the command line's exit status: what NetSuite
    /// would surely refuse (an expired certificate, a key that is not the certificate's or does not fit
    /// the algorithm) counts as refused (3), missing or malformed input as bad input (2).
    pub fn error_code(&self) -> crate::ErrorCode {
        use crate::ErrorCode;
        match self {
            AssertionError::Certificate(
                CertificateError::Expired(_) | CertificateError::NotYetValid(_) | CertificateError::KeyMismatch,
            )
            | AssertionError::Key(KeyError::AlgorithmMismatch { .. }) => ErrorCode::Refused,
            AssertionError::Key(k) => k.error_code(),
            AssertionError::Certificate(c) => c.error_code(),
            _ => ErrorCode::BadInput,
        }
    }
}

/// What an assertion is made of, besides the key.
#[derive(Debug)]
pub struct AssertionParams<'a> {
    pub client_id: &'a SecretString,
    pub certificate_id: &'a str,
    pub algorithm: Algorithm,
    pub scopes: &'a [Scope],
    pub scope_form: ScopeForm,
    /// The URL the token request is posted to, exactly.
    pub audience: &'a str,
    /// The time to stamp it with: this computer's clock, or NetSuite's when its offset is known.
    pub issued_at: SystemTime,
    pub lifetime: Duration,
}

/// The header, as serialized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub typ: String,
    pub alg: String,
    pub kid: String,
}

/// The claims, as serialized. `iss` is the Client ID: treat it like the other secrets.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub scope: serde_json::Value,
    pub aud: String,
    pub iat: u64,
    pub exp: u64,
}

impl std::fmt::Debug for Claims {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claims")
            .field("iss", &"[redacted]")
            .field("scope", &self.scope)
            .field("aud", &self.aud)
            .field("iat", &self.iat)
            .field("exp", &self.exp)
            .finish()
    }
}

/// Checks the parameters and builds the header and claims, unsigned (what `m2m assertion` shows).
pub fn header_and_claims(
    key: &PrivateKey,
    certificate: &Certificate,
    p: &AssertionParams<'_>,
) -> Result<(Header, Claims), AssertionError> {
    if !p.algorithm.fits(key.kind()) {
        return Err(KeyError::AlgorithmMismatch {
            kind: key.kind(),
            algorithm: p.algorithm,
        }
        .into());
    }
    if !key.matches_public_key(&certificate.public_key_der) {
        return Err(CertificateError::KeyMismatch.into());
    }
    certificate.check_valid_at(p.issued_at)?;
    let client_id = p.client_id.expose_secret();
    if client_id.is_empty() {
        return Err(AssertionError::NoClientId);
    }
    if p.certificate_id.is_empty() {
        return Err(AssertionError::NoCertificateId);
    }
    let bad = |s: &str| s.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad(client_id) {
        return Err(AssertionError::Whitespace("The Client ID"));
    }
    if bad(p.certificate_id) {
        return Err(AssertionError::Whitespace("The Certificate ID"));
    }
    if p.scopes.is_empty() {
        return Err(AssertionError::NoScope);
    }
    if p.lifetime.is_zero() || p.lifetime >= MAX_LIFETIME {
        return Err(AssertionError::Lifetime(p.lifetime.as_secs()));
    }
    let iat = p
        .issued_at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let codes: Vec<&str> = p.scopes.iter().map(|s| s.code()).collect();
    let scope = match p.scope_form {
        ScopeForm::JsonArray => serde_json::json!(codes),
        ScopeForm::CommaSeparated => serde_json::json!(codes.join(",")),
    };
    Ok((
        Header {
            typ: "JWT".into(),
            alg: p.algorithm.name().into(),
            kid: p.certificate_id.into(),
        },
        Claims {
            iss: client_id.to_string(),
            scope,
            aud: p.audience.to_string(),
            iat,
            exp: iat + p.lifetime.as_secs(),
        },
    ))
}

/// The signed assertion, `header.claims.signature` in base64url without padding.
pub fn client_assertion(
    key: &PrivateKey,
    certificate: &Certificate,
    p: &AssertionParams<'_>,
) -> Result<SecretString, AssertionError> {
    let (header, claims) = header_and_claims(key, certificate, p)?;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = serde_json::to_vec(&header).expect("the header serializes");
    let claims = zeroize::Zeroizing::new(serde_json::to_vec(&claims).expect("the claims serialize"));
    let mut jwt = zeroize::Zeroizing::new(format!("{}.{}", b64.encode(header), b64.encode(&*claims)));
    let signature = key.sign_jws(p.algorithm, jwt.as_bytes())?;
    jwt.push('.');
    jwt.push_str(&b64.encode(signature));
    Ok(SecretString::from(jwt.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netsuite::oauth2::keys::KeyKind;

    const AUD: &str = "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token";

    fn params<'a>(client_id: &'a SecretString, algorithm: Algorithm, now: SystemTime) -> AssertionParams<'a> {
        AssertionParams {
            client_id,
            certificate_id: "cert-id-1",
            algorithm,
            scopes: &[Scope::RestWebservices, Scope::Restlets],
            scope_form: ScopeForm::JsonArray,
            audience: AUD,
            issued_at: now,
            lifetime: LIFETIME,
        }
    }

    fn decode(part: &str) -> serde_json::Value {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn the_assertion_has_the_fact_sheets_header_and_claims() {
        let now = SystemTime::now();
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "t", 30, now - Duration::from_secs(5)).unwrap();
        let id = SecretString::from("a1b2c3");
        let jwt = client_assertion(&key, &cert, &params(&id, Algorithm::ES256, now)).unwrap();
        let parts: Vec<&str> = jwt.expose_secret().split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(
            decode(parts[0]),
            serde_json::json!({"typ": "JWT", "alg": "ES256", "kid": "cert-id-1"})
        );
        let claims = decode(parts[1]);
        let iat = now.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(
            claims,
            serde_json::json!({"iss": "a1b2c3", "scope": ["rest_webservices", "restlets"], "aud": AUD, "iat": iat, "exp": iat + 300})
        );
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[2])
            .unwrap();
        assert_eq!(sig.len(), 64);
        let mut p = params(&id, Algorithm::ES256, now);
        p.scope_form = ScopeForm::CommaSeparated;
        let (_, claims) = header_and_claims(&key, &cert, &p).unwrap();
        assert_eq!(claims.scope, serde_json::json!("rest_webservices,restlets"));
        assert!(!format!("{claims:?}").contains("a1b2c3"));
    }

    #[test]
    fn checks_before_signing() {
        let now = SystemTime::now();
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let other = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "t", 1, now - Duration::from_secs(5)).unwrap();
        let id = SecretString::from("a1b2c3");
        let err = |key: &PrivateKey, p: AssertionParams<'_>| client_assertion(key, &cert, &p).unwrap_err();
        assert!(matches!(
            err(&key, params(&id, Algorithm::ES384, now)),
            AssertionError::Key(KeyError::AlgorithmMismatch { .. })
        ));
        assert_eq!(
            err(&other, params(&id, Algorithm::ES256, now)),
            AssertionError::Certificate(CertificateError::KeyMismatch)
        );
        assert!(matches!(
            err(&key, params(&id, Algorithm::ES256, now + Duration::from_secs(86_400))),
            AssertionError::Certificate(CertificateError::Expired(_))
        ));
        let empty = SecretString::from("");
        assert_eq!(
            err(&key, params(&empty, Algorithm::ES256, now)),
            AssertionError::NoClientId
        );
        let spaced = SecretString::from("a1 b2");
        assert!(matches!(
            err(&key, params(&spaced, Algorithm::ES256, now)),
            AssertionError::Whitespace(_)
        ));
        let mut p = params(&id, Algorithm::ES256, now);
        p.certificate_id = "";
        assert_eq!(err(&key, p), AssertionError::NoCertificateId);
        let mut p = params(&id, Algorithm::ES256, now);
        p.scopes = &[];
        assert_eq!(err(&key, p), AssertionError::NoScope);
        let mut p = params(&id, Algorithm::ES256, now);
        p.lifetime = MAX_LIFETIME;
        assert_eq!(err(&key, p), AssertionError::Lifetime(3600));
    }

    #[test]
    fn what_netsuite_would_refuse_counts_as_refused() {
        use crate::ErrorCode;
        let expired = AssertionError::Certificate(CertificateError::Expired("x".into()));
        assert_eq!(expired.error_code(), ErrorCode::Refused);
        assert_eq!(
            AssertionError::Certificate(CertificateError::KeyMismatch).error_code(),
            ErrorCode::Refused
        );
        assert_eq!(AssertionError::NoClientId.error_code(), ErrorCode::BadInput);
        assert_eq!(
            AssertionError::Key(KeyError::RsaTooSmall { bits: 2048 }).error_code(),
            ErrorCode::BadInput
        );
        assert_eq!(
            AssertionError::Key(KeyError::Signing("x".into())).error_code(),
            ErrorCode::Internal
        );
    }
}
