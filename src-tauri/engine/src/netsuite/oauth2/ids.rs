//! The identifiers an OAuth 2.0 connection is told, checked before they reach a keyring item, a record
//! or a URL path. A Certificate ID goes into the revoke URL as a path segment and into every assertion's
//! `kid`, so only NetSuite's own alphabet is taken: `.` and `..` would be resolved away by the URL
//! parser, `/` and `%` would change the path, control and bidi characters would hide what is shown.

/// Longest Certificate ID taken: NetSuite's are 43 characters; far beyond that the value is not one.
pub const MAX_CERTIFICATE_ID: usize = 256;

/// Why a Certificate ID was refused; `Display` says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateIdProblem {
    Empty,
    TooLong,
    /// A character outside `A-Z a-z 0-9 - _` (NetSuite's IDs are base64url).
    Character,
}

impl std::fmt::Display for CertificateIdProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CertificateIdProblem::Empty => f.write_str(
                "The Certificate ID is empty. Copy it from the mapping's row on the OAuth 2.0 Client Credentials \
                 (M2M) Setup page.",
            ),
            CertificateIdProblem::TooLong => write!(
                f,
                "That is not a Certificate ID: it is longer than {MAX_CERTIFICATE_ID} characters (NetSuite's have \
                 43). Copy only the Certificate ID column of the mapping's row."
            ),
            CertificateIdProblem::Character => f.write_str(
                "That is not a Certificate ID: NetSuite's have only letters, digits, - and _ (no spaces, dots, \
                 slashes or % signs). Copy only the Certificate ID column of the mapping's row.",
            ),
        }
    }
}

/// A Certificate ID as typed, pasted or read from NetSuite's answer, trimmed: `[A-Za-z0-9_-]{1,256}`.
/// A leading `-` is allowed: about one ID in 64 starts with one.
pub fn certificate_id(text: &str) -> Result<&str, CertificateIdProblem> {
    let id = text.trim();
    if id.is_empty() {
        return Err(CertificateIdProblem::Empty);
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(CertificateIdProblem::Character);
    }
    if id.len() > MAX_CERTIFICATE_ID {
        return Err(CertificateIdProblem::TooLong);
    }
    Ok(id)
}

/// What is said when the integration record's Application ID is pasted as its Client ID.
pub const APPLICATION_ID_NOT_CLIENT_ID: &str = "This is the integration record's Application ID; the Client ID is \
     the 64-character value shown once after Save (under Client Credentials, CONSUMER KEY / CLIENT ID).";

/// Whether `text` is a GUID (`8-4-4-4-12` hexadecimal digits, braces allowed): the shape of the
/// integration record's Application ID, which people paste where the Client ID belongs.
pub fn is_application_id(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(t);
    let groups: Vec<&str> = t.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_ids_are_netsuites_alphabet_only() {
        for good in [
            "-QjavVtnzeAPA_QdffgnTh9yPy6LbSGOYqNeJqtbKgU",
            "abc",
            "A",
            "_x-",
            &"a".repeat(256),
        ] {
            assert_eq!(certificate_id(&format!(" {good}\n")), Ok(good), "{good}");
        }
        assert_eq!(certificate_id(" \t"), Err(CertificateIdProblem::Empty));
        assert_eq!(certificate_id(&"a".repeat(257)), Err(CertificateIdProblem::TooLong));
        for bad in [
            ".",
            "..",
            "a/b",
            "a%2e",
            "%2e%2e",
            "two words",
            "a\u{202e}b",
            "a\u{200b}b",
            "a\u{7}b",
            "é",
            "a.b",
            "a+b=",
        ] {
            assert_eq!(certificate_id(bad), Err(CertificateIdProblem::Character), "{bad:?}");
        }
    }

    #[test]
    fn a_guid_is_the_application_id() {
        assert!(is_application_id("8C2D1F4E-1A2B-4C3D-9E8F-0A1B2C3D4E5F"));
        assert!(is_application_id(" {8c2d1f4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f} "));
        assert!(!is_application_id(&"a1".repeat(32)));
        assert!(!is_application_id("8C2D1F4E-1A2B-4C3D-9E8F"));
        assert!(!is_application_id("8C2D1F4G-1A2B-4C3D-9E8F-0A1B2C3D4E5F"));
    }
}
