//! OAuth 2.0 client credentials ("machine to machine"), TBA's successor for integrations that run
//! unattended: a key pair NetSuite accepts (`keys`), the self-signed certificate uploaded to the mapping
//! (`certificate`), and the client assertion signed with the key (`assertion`). The token exchange and
//! the bearer calls are in `client`, what their refusals mean in `outcome`.

mod algorithm;
pub mod assertion;
pub mod certificate;
pub mod grant;
pub mod ids;
pub mod keys;

pub use assertion::{client_assertion, AssertionError, AssertionParams, Scope, ScopeForm};
pub use certificate::{import_pair, pair_from_files, Certificate, CertificateError, ImportedPair};
pub use grant::Grant;
pub use keys::{Algorithm, KeyError, KeyKind, PrivateKey};

use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::time::{Duration, SystemTime};

/// The OAuth 2.0 token endpoint, under `/services/rest` of the account's SuiteTalk host.
pub const TOKEN_PATH: &str = "/auth/oauth2/v1/token";

/// The token endpoint of an account, as NetSuite serves it: what an integration posts its assertion to,
/// and the assertion's `aud`.
pub fn token_url(account: &crate::netsuite::account::Account) -> String {
    format!("https://{}/services/rest{}", account.rest_host(), TOKEN_PATH)
}

/// Everything an M2M connection signs with: the key and its certificate, the Client ID (kept like a
/// secret: with the key it is enough to sign), the mapping's Certificate ID, the algorithm and scopes.
pub struct M2mCredentials {
    pub key: PrivateKey,
    pub certificate: Certificate,
    pub client_id: SecretString,
    pub certificate_id: String,
    pub algorithm: Algorithm,
    pub scopes: Vec<Scope>,
    pub scope_form: ScopeForm,
}

impl fmt::Debug for M2mCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("M2mCredentials")
            .field("key", &self.key)
            .field("certificate", &self.certificate.fingerprint)
            .field("client_id", &"[redacted]")
            .field("certificate_id", &self.certificate_id)
            .field("algorithm", &self.algorithm)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl M2mCredentials {
    /// A signed assertion for a token request posted to `audience`, stamped `issued_at`.
    pub fn assertion(&self, audience: &str, issued_at: SystemTime) -> Result<SecretString, AssertionError> {
        client_assertion(&self.key, &self.certificate, &self.params(audience, issued_at))
    }

    /// The header and claims an assertion would have, unsigned (the claims hold the Client ID).
    pub fn preview(
        &self,
        audience: &str,
        issued_at: SystemTime,
    ) -> Result<(assertion::Header, assertion::Claims), AssertionError> {
        assertion::header_and_claims(&self.key, &self.certificate, &self.params(audience, issued_at))
    }

    /// What `m2m assertion` shows: the header and the claims as JSON, with `iss` (the Client ID, kept
    /// like a secret) given as its fingerprint, and never a signature.
    pub fn preview_json(&self, audience: &str, issued_at: SystemTime) -> Result<serde_json::Value, AssertionError> {
        let (header, claims) = self.preview(audience, issued_at)?;
        let mut claims = serde_json::to_value(&claims).expect("the claims serialize");
        claims["iss"] = serde_json::json!(format!(
            "(the Client ID, fingerprint {})",
            crate::netsuite::oauth1::fingerprint(&self.client_id)
        ));
        Ok(serde_json::json!({ "header": header, "claims": claims }))
    }

    fn params<'a>(&'a self, audience: &'a str, issued_at: SystemTime) -> AssertionParams<'a> {
        AssertionParams {
            client_id: &self.client_id,
            certificate_id: &self.certificate_id,
            algorithm: self.algorithm,
            scopes: &self.scopes,
            scope_form: self.scope_form,
            audience,
            issued_at,
            lifetime: assertion::LIFETIME,
        }
    }
}

/// An access token from the token endpoint. `Debug` never shows it.
pub struct AccessToken {
    token: SecretString,
    pub expires_in: Duration,
    pub received_at: SystemTime,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl AccessToken {
    /// Reads the token endpoint's JSON answer: `access_token`, `token_type` Bearer, `expires_in` (3600;
    /// a number or, defensively, a string of one). `None` if it is not such an answer.
    pub fn from_response(body: &str, received_at: SystemTime) -> Option<AccessToken> {
        let json: serde_json::Value = serde_json::from_str(body).ok()?;
        let token = json.get("access_token")?.as_str().filter(|t| !t.is_empty())?;
        let kind = json.get("token_type").and_then(|t| t.as_str()).unwrap_or("Bearer");
        if !kind.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let expires_in = json
            .get("expires_in")
            .and_then(|e| e.as_u64().or_else(|| e.as_str().and_then(|s| s.parse().ok())))
            .unwrap_or(3600);
        Some(AccessToken {
            token: SecretString::from(token),
            expires_in: Duration::from_secs(expires_in),
            received_at,
        })
    }

    /// The `Authorization` header's value.
    pub(crate) fn authorization(&self) -> String {
        format!("Bearer {}", self.token.expose_secret())
    }

    /// Whether it is still good at `now`, a minute's margin kept.
    pub fn is_fresh(&self, now: SystemTime) -> bool {
        now + Duration::from_secs(60) < self.received_at + self.expires_in
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_shows_the_claims_but_not_the_client_id() {
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let now = SystemTime::now();
        let certificate = Certificate::self_signed(&key, "t", 1, now - Duration::from_secs(5)).unwrap();
        let creds = M2mCredentials {
            key,
            certificate,
            client_id: SecretString::from("client-id-value"),
            certificate_id: "CERT1".into(),
            algorithm: Algorithm::ES256,
            scopes: vec![Scope::RestWebservices],
            scope_form: ScopeForm::JsonArray,
        };
        let json = creds.preview_json("https://x/token", now).unwrap();
        assert_eq!(
            json["header"],
            serde_json::json!({"typ": "JWT", "alg": "ES256", "kid": "CERT1"})
        );
        assert_eq!(json["claims"]["aud"], "https://x/token");
        assert_eq!(json["claims"]["scope"], serde_json::json!(["rest_webservices"]));
        let text = json.to_string();
        assert!(!text.contains("client-id-value"), "{text}");
        assert!(json["claims"]["iss"]
            .as_str()
            .unwrap()
            .starts_with("(the Client ID, fingerprint "));
        assert!(!format!("{creds:?}").contains("client-id-value"));
    }

    #[test]
    fn token_answers_are_read_defensively() {
        let now = SystemTime::now();
        let t = AccessToken::from_response(r#"{"access_token":"abc","token_type":"Bearer","expires_in":3600}"#, now)
            .unwrap();
        assert_eq!(t.authorization(), "Bearer abc");
        assert!(t.is_fresh(now) && !t.is_fresh(now + Duration::from_secs(3560)));
        assert!(!format!("{t:?}").contains("abc"));
        let s = AccessToken::from_response(r#"{"access_token":"abc","expires_in":"60"}"#, now).unwrap();
        assert_eq!(s.expires_in, Duration::from_secs(60));
        for bad in [
            r#"{"token_type":"Bearer"}"#,
            r#"{"access_token":""}"#,
            r#"{"access_token":"a","token_type":"mac"}"#,
            "<html>",
        ] {
            assert!(AccessToken::from_response(bad, now).is_none(), "{bad}");
        }
    }
}
