//! What signs a test's calls, read from the keyring when the test was planned, so that the calls can run
//! without holding anything: the auth method's values, as NetSuite takes them. The one place a test's
//! calls ask which method signs them.

use crate::netsuite::client::{Auth, NetSuiteClient};
use crate::netsuite::oauth2::{AccessToken, AssertionError};
use crate::netsuite::outcome::Report;
use crate::netsuite::stage::{Tell, TestStage};
use tokio_util::sync::CancellationToken;
use zeroize::Zeroizing;

/// The values a test signs with.
pub enum Signer {
    /// Token-based authentication: each call signed with these values.
    Tba(Box<crate::Credentials>),
    /// OAuth 2.0 client credentials: a token for these, then the calls with it.
    M2m(Box<crate::netsuite::oauth2::M2mCredentials>),
}

/// What a test's later calls (the permission probes) carry, once its test call was answered.
pub enum Signed<'a> {
    Tba(&'a crate::Credentials),
    Bearer(AccessToken),
}

impl Signed<'_> {
    pub fn auth(&self) -> Auth<'_> {
        match self {
            Signed::Tba(c) => Auth::Tba(c),
            Signed::Bearer(t) => Auth::Bearer(t),
        }
    }
}

impl Signer {
    /// Every form of the values it signs with that a log line could carry, for the redactor.
    pub fn log_forms(&self) -> Vec<Zeroizing<String>> {
        use secrecy::ExposeSecret;
        let own = |s: &secrecy::SecretString| Zeroizing::new(s.expose_secret().to_string());
        match self {
            Signer::Tba(c) => [&c.consumer_key, &c.consumer_secret, &c.token_id, &c.token_secret]
                .into_iter()
                .map(own)
                .collect(),
            Signer::M2m(c) => {
                let mut forms = c.key.log_forms();
                forms.push(own(&c.client_id));
                forms
            }
        }
    }

    /// The test call, signed as this method signs (an OAuth 2.0 token first), and what the calls after it
    /// carry. `Err` where an OAuth 2.0 assertion could not be made or NetSuite would surely refuse it
    /// (nothing was sent).
    pub async fn test_call(
        &self,
        client: &NetSuiteClient,
        cancel: &CancellationToken,
        tell: Tell<'_>,
    ) -> Result<(Report, Option<Signed<'_>>), AssertionError> {
        match self {
            Signer::Tba(credentials) => {
                tell(TestStage::SignedCall);
                let report = client.test_call(credentials, cancel).await;
                Ok((report, Some(Signed::Tba(credentials))))
            }
            Signer::M2m(credentials) => {
                let answer = client.m2m_test_telling(credentials, cancel, tell).await?;
                Ok((answer.report, answer.token.map(Signed::Bearer)))
            }
        }
    }
}
