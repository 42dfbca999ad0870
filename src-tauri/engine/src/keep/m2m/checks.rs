//! What an OAuth 2.0 connection's values must be before they are kept: its profile, its record, a key
//! that is its certificate's, a Certificate ID, and a Client ID that is not the Application ID.

use super::*;

/// Refused unless `profile` signs in with OAuth 2.0 client credentials: a TBA connector's connections
/// hold TBA values, which `Connections::add` saves.
pub fn check_m2m_profile(profile: Profile) -> Result<(), ConnectionError> {
    if profile.profile().auth == AuthKind::M2m {
        return Ok(());
    }
    Err(bad(format!(
        "The {} profile signs in with Token-Based Authentication (TBA), not OAuth 2.0: pick an OAuth 2.0 \
         profile (`tba-wizard-cli profiles` lists each one's auth), or save TBA values with `connections add`.",
        profile.code()
    )))
}

/// The `m2m` part of a record, or why the connection has none.
pub fn m2m_record(c: &Connection) -> Result<&M2mRecord, ConnectionError> {
    match &c.auth {
        AuthRecord::M2m(Some(m)) => Ok(m),
        AuthRecord::M2m(None) => Err(bad(format!(
            "\"{}\" has no key and certificate yet: finish its setup in the window (step \"Make the key and \
             certificate\"), or remove it and use `tba-wizard-cli m2m new`.",
            c.label
        ))),
        _ => Err(bad(format!(
            "\"{}\" is a Token-Based Authentication connection; this works on OAuth 2.0 connections only \
             (made with `tba-wizard-cli m2m new` or `m2m import`).",
            c.label
        ))),
    }
}

/// A key and certificate that belong together, under an algorithm the key can sign with.
pub(crate) fn check_pair(
    key: &PrivateKey,
    certificate: &Certificate,
    algorithm: Algorithm,
) -> Result<(), ConnectionError> {
    if !algorithm.fits(key.kind()) {
        return Err(bad(crate::netsuite::oauth2::KeyError::AlgorithmMismatch {
            kind: key.kind(),
            algorithm,
        }
        .to_string()));
    }
    if !key.matches_public_key(&certificate.public_key_der) {
        return Err(bad(crate::netsuite::oauth2::CertificateError::KeyMismatch.to_string()));
    }
    Ok(())
}

/// A Certificate ID as pasted from the mapping's row: NetSuite's alphabet only (see `oauth2::ids`).
pub(super) fn check_certificate_id(text: &str) -> Result<String, ConnectionError> {
    ids::certificate_id(text)
        .map(str::to_string)
        .map_err(|e| bad(e.to_string()))
}

/// A Client ID as pasted: one word. NetSuite's are 64 hexadecimal characters; another length is kept
/// with a warning, since the wizard cannot be sure of NetSuite's format.
pub(crate) fn check_client_id(clean: &str) -> Result<Vec<String>, ConnectionError> {
    if clean.is_empty() {
        return Err(bad(
            "The Client ID is empty. Copy the Client ID the integration record showed after Save.",
        ));
    }
    if ids::is_application_id(clean) {
        return Err(bad(ids::APPLICATION_ID_NOT_CLIENT_ID));
    }
    if clean.chars().count() > 512 || clean.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(
            "That is not a Client ID: it has spaces or line breaks, or is far too long. Copy only the Client ID \
             shown under the integration record.",
        ));
    }
    let mut warnings = Vec::new();
    if clean.len() != 64 || !clean.chars().all(|c| c.is_ascii_hexdigit()) {
        warnings.push(format!(
            "NetSuite's Client IDs are usually 64 hexadecimal characters; this one has {} characters. If the test \
             fails, paste the Client ID again.",
            clean.chars().count()
        ));
    }
    Ok(warnings)
}
