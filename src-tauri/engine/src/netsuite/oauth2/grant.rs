//! OAuth 2.0 grants as data: what a token request sends, built here and posted by the one token
//! request in `client/token.rs`. Client credentials with a signed assertion (RFC 7523) is NetSuite's
//! machine-to-machine grant; the authorization code (with PKCE) and refresh grants become variants of
//! their own when they come, and the request that sends them stays the same.

use crate::netsuite::oauth1::encode;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// RFC 7523's name for a JWT that authenticates the client.
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A grant, as the token request sends it.
pub enum Grant {
    /// Client credentials, the client authenticated by a signed JWT assertion.
    ClientCredentials { assertion: SecretString },
}

impl Grant {
    /// The token request's `application/x-www-form-urlencoded` body, every value encoded. Secret: the
    /// assertion signs for the client for as long as it is valid.
    pub fn form(&self) -> SecretString {
        match self {
            Grant::ClientCredentials { assertion } => SecretString::from(format!(
                "grant_type=client_credentials&client_assertion_type={}&client_assertion={}",
                encode(CLIENT_ASSERTION_TYPE),
                encode(assertion.expose_secret())
            )),
        }
    }

    /// The grant's name, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Grant::ClientCredentials { .. } => "client_credentials",
        }
    }
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Grant::{} {{ .. }}", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_credentials_form_is_encoded_and_its_assertion_never_shown() {
        let grant = Grant::ClientCredentials {
            assertion: SecretString::from("eyJ.a+b/c=.sig"),
        };
        assert_eq!(
            grant.form().expose_secret(),
            "grant_type=client_credentials\
             &client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer\
             &client_assertion=eyJ.a%2Bb%2Fc%3D.sig"
        );
        assert_eq!(format!("{grant:?}"), "Grant::client_credentials { .. }");
    }
}
