//! What signs a test's calls, read from the keyring when the test was planned, so that the calls can run
//! without holding anything: the auth method's values, as NetSuite takes them.

/// The values a test signs with.
pub enum Signer {
    /// Token-based authentication: each call signed with these values.
    Tba(Box<crate::Credentials>),
    /// OAuth 2.0 client credentials: a token for these, then the calls with it.
    M2m(Box<crate::netsuite::oauth2::M2mCredentials>),
}
