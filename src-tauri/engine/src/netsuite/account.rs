//! NetSuite account IDs as users paste them, and the hosts and realm that follow from them.
//!
//! The realm must be exact (upper case, underscore): NetSuite answers a lower-case `_sb1` with the same
//! "Invalid login attempt" as a wrong secret, so parsing is where that mistake is made impossible.

use serde::Serialize;
use std::fmt;

/// Longest input we look at. Anything longer is not an account ID or a NetSuite address, and
/// refusing early keeps a stray 1 MB paste from costing anything.
const MAX_INPUT_LEN: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Environment {
    Production,
    Sandbox { number: u32 },
    ReleasePreview,
    TestDrive,
    TestDriveReleasePreview,
}

impl Environment {
    /// A short stable name for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox { .. } => "sandbox",
            Environment::ReleasePreview => "release_preview",
            Environment::TestDrive => "test_drive",
            Environment::TestDriveReleasePreview => "test_drive_release_preview",
        }
    }

    pub fn is_production(&self) -> bool {
        matches!(self, Environment::Production)
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Environment::Production => f.write_str("Production"),
            Environment::Sandbox { number } => write!(f, "Sandbox {number}"),
            Environment::ReleasePreview => f.write_str("Release Preview"),
            Environment::TestDrive => f.write_str("Test Drive"),
            Environment::TestDriveReleasePreview => f.write_str("Test Drive (Release Preview)"),
        }
    }
}

/// A parsed NetSuite account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    id: String,
    environment: Environment,
}

/// Why an input is not an account. The message never repeats the input: people paste the wrong
/// clipboard, and that clipboard may hold a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}. {HELP}")]
pub struct AccountError {
    pub reason: String,
}

const HELP: &str = "A NetSuite account ID looks like 1234567 (production), 1234567_SB1 (sandbox 1), \
1234567_RP (release preview) or TSTDRV1234567 (test drive). NetSuite shows it in the Account ID field \
at Setup > Company > Company Information; you can also paste the address of any NetSuite page of the account";

fn refuse(reason: impl Into<String>) -> AccountError {
    AccountError { reason: reason.into() }
}

impl Account {
    /// Parses an account ID or a NetSuite URL of the account, tolerating the spaces, quotes and line
    /// breaks that come with copying from web pages and chat.
    pub fn parse(input: &str) -> Result<Account, AccountError> {
        if input.len() > MAX_INPUT_LEN {
            return Err(refuse(format!(
                "That is {} characters long, far more than an account ID or a NetSuite address",
                input.len()
            )));
        }
        let trimmed = input.trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '"' | '\'' | '`' | '<' | '>' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'
                )
        });
        if trimmed.is_empty() {
            return Err(refuse("The account ID is empty"));
        }
        if trimmed.chars().any(|c| c.is_control()) {
            return Err(refuse(
                "The text contains line breaks or control characters in the middle",
            ));
        }
        let lower = trimmed.to_ascii_lowercase();
        if lower.contains("netsuite.com") || lower.contains("://") {
            return Self::from_url(trimmed);
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(refuse("The account ID contains spaces"));
        }
        Self::from_id(trimmed)
    }

    fn from_url(text: &str) -> Result<Account, AccountError> {
        let with_scheme = if text.contains("://") {
            text.to_string()
        } else {
            format!("https://{text}")
        };
        let url = url::Url::parse(&with_scheme)
            .map_err(|_| refuse("That looks like an address, but it is not a valid URL"))?;
        let host = url
            .host_str()
            .ok_or_else(|| refuse("That address has no host name"))?
            .to_ascii_lowercase();
        let Some(rest) = host.strip_suffix(".netsuite.com") else {
            return Err(refuse(
                "That address is not on netsuite.com, so it does not name a NetSuite account",
            ));
        };
        let mut labels = rest.splitn(2, '.');
        let label = labels.next().unwrap_or_default();
        let service = labels.next().unwrap_or_default();
        if service.is_empty() {
            return Err(refuse(format!(
                "The address {host} is shared by all NetSuite accounts, so it does not say which account is yours"
            )));
        }
        Self::from_id(label).map_err(|_| {
            refuse(format!(
                "The address {host} does not start with an account ID (like 1234567 or 1234567-sb1)"
            ))
        })
    }

    /// Accepts the realm form (`1234567_SB1`) and the host-label form (`1234567-sb1`) in any case.
    fn from_id(id: &str) -> Result<Account, AccountError> {
        if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(refuse(
                "The account ID contains characters other than letters, digits, '_' and '-'",
            ));
        }
        let upper = id.to_ascii_uppercase().replace('-', "_");
        let (base, suffix) = match upper.split_once('_') {
            Some((b, s)) => (b, Some(s)),
            None => (upper.as_str(), None),
        };
        let (digits, test_drive) = match base.strip_prefix("TSTDRV") {
            Some(d) => (d, true),
            None => (base, false),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(refuse(
                "The account ID must be a number, optionally with a suffix like _SB1 or _RP",
            ));
        }
        if !(3..=12).contains(&digits.len()) {
            return Err(refuse(format!(
                "The account number has {} digits; NetSuite account numbers have between 3 and 12",
                digits.len()
            )));
        }
        let environment =
            match (suffix, test_drive) {
                (None, false) => Environment::Production,
                (None, true) => Environment::TestDrive,
                (Some("RP"), false) => Environment::ReleasePreview,
                (Some("RP"), true) => Environment::TestDriveReleasePreview,
                (Some(s), false) if s.starts_with("SB") => {
                    let n = &s[2..];
                    let number = (!n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()))
                        .then(|| n.parse::<u32>().ok())
                        .flatten()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| refuse("A sandbox suffix is _SB followed by its number, like _SB1"))?;
                    Environment::Sandbox { number }
                }
                (Some(_), _) => return Err(refuse(
                    "The part after the account number must be _SB1, _SB2, … for a sandbox or _RP for release preview",
                )),
            };
        Ok(Account { id: upper, environment })
    }

    /// The canonical account ID, which is also the OAuth `realm`: upper case, underscore.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn realm(&self) -> &str {
        &self.id
    }

    /// The account ID as it appears in host names: lower case, hyphen.
    pub fn host_label(&self) -> String {
        self.id.to_ascii_lowercase().replace('_', "-")
    }

    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    pub fn ui_host(&self) -> String {
        format!("{}.app.netsuite.com", self.host_label())
    }

    /// SOAP and REST web services share this host.
    pub fn rest_host(&self) -> String {
        format!("{}.suitetalk.api.netsuite.com", self.host_label())
    }

    pub fn restlets_host(&self) -> String {
        format!("{}.restlets.api.netsuite.com", self.host_label())
    }

    /// Every host of this account; URLs are opened only for these (and connector pages).
    pub fn hosts(&self) -> [String; 3] {
        [self.ui_host(), self.rest_host(), self.restlets_host()]
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> Account {
        Account::parse(input).unwrap_or_else(|e| panic!("{input:?} should parse: {e}"))
    }

    #[test]
    fn plain_forms() {
        let cases: &[(&str, &str, Environment)] = &[
            ("1234567", "1234567", Environment::Production),
            ("1234567_SB1", "1234567_SB1", Environment::Sandbox { number: 1 }),
            ("1234567-sb1", "1234567_SB1", Environment::Sandbox { number: 1 }),
            ("1234567_sb2", "1234567_SB2", Environment::Sandbox { number: 2 }),
            ("1234567_RP", "1234567_RP", Environment::ReleasePreview),
            ("1234567-rp", "1234567_RP", Environment::ReleasePreview),
            ("TSTDRV1234567", "TSTDRV1234567", Environment::TestDrive),
            ("tstdrv1234567", "TSTDRV1234567", Environment::TestDrive),
            (
                "TSTDRV939179_RP",
                "TSTDRV939179_RP",
                Environment::TestDriveReleasePreview,
            ),
            ("123456", "123456", Environment::Production),
            ("1234567_SB12", "1234567_SB12", Environment::Sandbox { number: 12 }),
        ];
        for (input, id, env) in cases {
            let a = ok(input);
            assert_eq!(a.id(), *id, "{input}");
            assert_eq!(a.realm(), *id, "{input}");
            assert_eq!(a.environment(), env, "{input}");
        }
    }

    #[test]
    fn hosts_use_lower_case_and_hyphen() {
        let a = ok("1234567_sb1");
        assert_eq!(a.host_label(), "1234567-sb1");
        assert_eq!(a.ui_host(), "1234567-sb1.app.netsuite.com");
        assert_eq!(a.rest_host(), "1234567-sb1.suitetalk.api.netsuite.com");
        assert_eq!(a.restlets_host(), "1234567-sb1.restlets.api.netsuite.com");
        assert_eq!(ok("TSTDRV1234567").host_label(), "tstdrv1234567");
    }

    #[test]
    fn stray_spaces_quotes_and_newlines() {
        for input in [
            "  1234567_SB1  ",
            "\"1234567_SB1\"",
            "'1234567_SB1'",
            "1234567_SB1\n",
            "\r\n\t1234567_SB1\r\n",
            "\u{201c}1234567_SB1\u{201d}",
            "`1234567_SB1`",
        ] {
            assert_eq!(ok(input).id(), "1234567_SB1", "{input:?}");
        }
    }

    #[test]
    fn netsuite_urls() {
        let cases = [
            (
                "https://1234567-sb1.app.netsuite.com/app/center/card.nl?sc=-29",
                "1234567_SB1",
            ),
            (
                "https://1234567.app.netsuite.com/app/common/otherlists/company.nl",
                "1234567",
            ),
            ("1234567-sb1.app.netsuite.com", "1234567_SB1"),
            (
                "https://1234567-SB1.SuiteTalk.api.netsuite.com/services/rest/record/v1/customer",
                "1234567_SB1",
            ),
            (
                "https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1",
                "1234567",
            ),
            ("http://tstdrv1234567.app.netsuite.com/", "TSTDRV1234567"),
            (
                "https://1234567-rp.app.netsuite.com/app/setup/features.nl",
                "1234567_RP",
            ),
            (
                " <https://1234567-sb2.app.netsuite.com/app/center/card.nl> ",
                "1234567_SB2",
            ),
        ];
        for (input, id) in cases {
            assert_eq!(ok(input).id(), id, "{input}");
        }
    }

    #[test]
    fn garbage_is_refused_with_help() {
        let huge = "1".repeat(1 << 20);
        let cases: Vec<String> = vec![
            "".into(),
            "   ".into(),
            "\"\"".into(),
            huge,
            "1234567\u{0}".into(),
            "12345\u{7}67".into(),
            "1234567 SB1".into(),
            "1234567_SB".into(),
            "1234567_SB0".into(),
            "1234567_SBX".into(),
            "1234567_XX".into(),
            "1234567_SB1_RP".into(),
            "abc".into(),
            "12".into(),
            "1234567890123".into(),
            "TSTDRV".into(),
            "https://example.com/1234567".into(),
            "https://1234567.app.netsuite.com.evil.example/".into(),
            "https://system.netsuite.com/app/center/card.nl".into(),
            "https://rest.netsuite.com/rest/datacenterurls?account=1234567".into(),
            "https://app.netsuite.com.example.org".into(),
            "ftp://".into(),
            "1234567;DROP".into(),
            "é1234567".into(),
            "ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4".into(),
        ];
        for input in &cases {
            let err =
                Account::parse(input).expect_err(&format!("{:?} should be refused", &input[..input.len().min(40)]));
            let msg = err.to_string();
            assert!(msg.contains("1234567_SB1"), "help shows a valid ID: {msg}");
            assert!(
                msg.contains("Setup > Company > Company Information"),
                "help says where: {msg}"
            );
            if input.len() > 8 && !HELP.contains(input.as_str()) {
                assert!(!msg.contains(input.as_str()), "message must not echo the input: {msg}");
            }
        }
    }

    #[test]
    fn environment_labels() {
        assert_eq!(ok("1234567").environment().to_string(), "Production");
        assert_eq!(ok("1234567_SB3").environment().to_string(), "Sandbox 3");
        assert_eq!(ok("1234567_RP").environment().to_string(), "Release Preview");
        assert!(ok("1234567").environment().is_production());
        assert!(!ok("1234567_SB1").environment().is_production());
    }
}
