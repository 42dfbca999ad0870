//! App links: `tba-wizard://start?connector=aftership&account=1234567_SB1` opens the wizard at a
//! connector with the account filled in.
//!
//! Any web page or chat message can hand the desktop such a link, so everything about it is checked
//! here and a refusal never repeats the link: its text is the sender's, not ours. Only the parts that
//! parsed (a known connector, a canonical account ID) are ever shown back.

use crate::netsuite::account::Account;
use crate::profiles::ConnectorProfile;

pub const SCHEME: &str = "tba-wizard";
/// What a link starts with; `main` uses it to tell a link from a subcommand before clap sees argv.
pub const PREFIX: &str = "tba-wizard:";
/// Real links are well under 100 characters; a longer one is not ours, and refusing early caps the work.
const MAX_LEN: usize = 512;
/// The longest account ID NetSuite uses (`TSTDRV` + 12 digits + `_SB99`) with room to spare.
const MAX_ACCOUNT_LEN: usize = 32;

const EXAMPLE: &str = "A wizard link looks like tba-wizard://start?connector=aftership&account=1234567_SB1.";

/// A link that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct AppLink {
    profile: &'static ConnectorProfile,
    account: Option<Account>,
}

impl AppLink {
    pub fn profile(&self) -> &'static ConnectorProfile {
        self.profile
    }

    /// The profile id (`aftership`), as `Wizard::start` takes it.
    pub fn connector(&self) -> &'static str {
        &self.profile.id
    }

    pub fn account(&self) -> Option<&Account> {
        self.account.as_ref()
    }

    /// "the AfterShip wizard for 1234567_SB1": built only from the parsed parts, so it is safe to show.
    pub fn describe(&self) -> String {
        match &self.account {
            Some(a) => format!("the {} wizard for {}", self.profile.short_name, a.id()),
            None => format!("the {} wizard", self.profile.short_name),
        }
    }
}

/// Why a link was refused. The message names what is wrong and never quotes the link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("This wizard link was not opened: {reason}. {EXAMPLE}")]
pub struct AppLinkError {
    pub reason: String,
}

fn refuse(reason: impl Into<String>) -> AppLinkError {
    AppLinkError { reason: reason.into() }
}

/// Whether a command-line argument is meant as an app link (checked before it is parsed, so a
/// malformed link is refused as a link rather than misread as a subcommand).
pub fn looks_like_link(arg: &str) -> bool {
    arg.get(..PREFIX.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(PREFIX))
}

pub fn parse(text: &str) -> Result<AppLink, AppLinkError> {
    if text.len() > MAX_LEN {
        return Err(refuse(format!("it is longer than {MAX_LEN} characters")));
    }
    if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(refuse("it contains spaces, line breaks or control characters"));
    }
    if !text.is_ascii() {
        return Err(refuse("it contains characters a wizard link never has"));
    }
    let Some(rest) = text.strip_prefix("tba-wizard://") else {
        return Err(refuse(format!("it does not start with {SCHEME}://")));
    };
    if rest.contains('#') {
        return Err(refuse("it has a fragment (#…), which wizard links never have"));
    }
    let (target, query) = rest.split_once('?').unwrap_or((rest, ""));
    if target != "start" && target != "start/" {
        return Err(refuse(
            "the only thing a wizard link can do is start a connector's wizard",
        ));
    }

    let mut connector: Option<String> = None;
    let mut account: Option<String> = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value)?;
        let slot = match key {
            "connector" => &mut connector,
            "account" => &mut account,
            _ => return Err(refuse("it has a setting other than connector and account")),
        };
        if slot.replace(value).is_some() {
            return Err(refuse(format!("it names the {key} more than once")));
        }
    }

    let connector = connector.ok_or_else(|| refuse("it does not name a connector"))?;
    let profile = ConnectorProfile::get(&connector).ok_or_else(|| {
        let known: Vec<&str> = ConnectorProfile::all().iter().map(|p| p.id.as_str()).collect();
        refuse(format!(
            "it names a connector this wizard does not know (known: {})",
            known.join(", ")
        ))
    })?;
    let account = account.map(|a| parse_account(&a)).transpose()?;
    Ok(AppLink { profile, account })
}

/// Only the ID form: `Account::parse` also takes NetSuite addresses, and its refusals of those quote
/// the host, which here would be the sender's text.
fn parse_account(value: &str) -> Result<Account, AppLinkError> {
    if value.is_empty() {
        return Err(refuse("its account is empty"));
    }
    if value.len() > MAX_ACCOUNT_LEN || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(refuse(
            "its account is not a NetSuite account ID (like 1234567 or 1234567_SB1)",
        ));
    }
    Account::parse(value).map_err(|e| refuse(format!("its account is not valid: {}", e.reason)))
}

/// Percent-decoding of a query value. Values are IDs, so anything that decodes to something outside
/// printable ASCII is refused rather than passed on.
fn decode(value: &str) -> Result<String, AppLinkError> {
    let bad = || refuse("a value in it is not plain text");
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = match bytes[i] {
            b'%' => {
                let hex = value.get(i + 1..i + 3).ok_or_else(bad)?;
                i += 2;
                u8::from_str_radix(hex, 16).map_err(|_| bad())?
            }
            b'+' => b' ',
            b => b,
        };
        if !b.is_ascii_graphic() {
            return Err(bad());
        }
        out.push(b as char);
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netsuite::account::Environment;

    fn reason(text: &str) -> String {
        parse(text).expect_err("refused").reason
    }

    #[test]
    fn a_link_with_connector_and_sandbox_account() {
        let link = parse("tba-wizard://start?connector=aftership&account=1234567_SB1").unwrap();
        assert_eq!(link.connector(), "aftership");
        let account = link.account().unwrap();
        assert_eq!(account.id(), "1234567_SB1");
        assert_eq!(account.environment(), &Environment::Sandbox { number: 1 });
        assert_eq!(link.describe(), "the AfterShip wizard for 1234567_SB1");
    }

    #[test]
    fn the_account_is_optional_and_canonicalised() {
        let link = parse("tba-wizard://start?connector=celigo").unwrap();
        assert_eq!(link.connector(), "celigo");
        assert!(link.account().is_none());
        let link = parse("tba-wizard://start/?account=1234567-sb2&connector=own").unwrap();
        assert_eq!(link.account().unwrap().id(), "1234567_SB2");
        let link = parse("tba-wizard://start?connector=aftership&account=1234567%5FSB1").unwrap();
        assert_eq!(link.account().unwrap().id(), "1234567_SB1");
    }

    #[test]
    fn unknown_connectors_and_targets_are_refused() {
        assert!(reason("tba-wizard://start?connector=nope").contains("does not know"));
        assert!(reason("tba-wizard://start?connector=").contains("does not know"));
        assert!(reason("tba-wizard://start").contains("does not name a connector"));
        assert!(reason("tba-wizard://evil?x=1").contains("only thing"));
        assert!(reason("tba-wizard://start/more?connector=celigo").contains("only thing"));
        assert!(reason("tba-wizard:start?connector=celigo").contains("does not start with"));
        assert!(reason("https://start?connector=celigo").contains("does not start with"));
        assert!(reason("TBA-WIZARD://start?connector=celigo").contains("does not start with"));
        assert!(reason("tba-wizard://user@start?connector=celigo").contains("only thing"));
        assert!(reason("tba-wizard://start:80?connector=celigo").contains("only thing"));
    }

    #[test]
    fn bad_accounts_are_refused() {
        assert!(reason("tba-wizard://start?connector=aftership&account=12$4").contains("not a NetSuite account ID"));
        assert!(reason("tba-wizard://start?connector=aftership&account=").contains("empty"));
        assert!(reason("tba-wizard://start?connector=aftership&account=1234567_SB").contains("not valid"));
        assert!(reason("tba-wizard://start?connector=aftership&account=12").contains("not valid"));
        let address = "tba-wizard://start?connector=aftership&account=https%3A%2F%2F1234567.app.netsuite.com%2F";
        assert!(reason(address).contains("not a NetSuite account ID"));
    }

    #[test]
    fn unknown_and_repeated_keys_are_refused() {
        assert!(reason("tba-wizard://start?connector=celigo&token=abc").contains("other than"));
        assert!(reason("tba-wizard://start?connector=celigo&connector=own").contains("more than once"));
        assert!(
            reason("tba-wizard://start?connector=celigo&account=1234567&account=7654321").contains("more than once")
        );
        assert!(reason("tba-wizard://start?connector=celigo#x").contains("fragment"));
    }

    #[test]
    fn long_odd_or_control_laden_links_are_refused() {
        let long = format!("tba-wizard://start?connector=celigo&account={}", "1".repeat(600));
        assert!(reason(&long).contains("longer than"));
        assert!(reason("tba-wizard://start?connector=celigo\n").contains("control"));
        assert!(reason("tba-wizard://start?connector=celigo &account=1").contains("spaces"));
        assert!(reason("tba-wizard://start?connector=cel\u{0456}go").contains("never has"));
        assert!(reason("tba-wizard://start?connector=celigo%0A").contains("not plain text"));
        assert!(reason("tba-wizard://start?connector=celigo%2").contains("not plain text"));
        assert!(reason("tba-wizard://start?connector=celigo%zz").contains("not plain text"));
        assert!(reason("tba-wizard://start?connector=cel+igo").contains("not plain text"));
    }

    #[test]
    fn refusals_never_quote_the_link() {
        let crafted = [
            "tba-wizard://start?connector=Call-1-800-SCAM-now",
            "tba-wizard://start?connector=aftership&account=Call1800SCAMnow",
            "tba-wizard://Call-1-800-SCAM-now?connector=aftership",
            "tba-wizard://start?connector=aftership&Call1800SCAMnow=1",
        ];
        for link in crafted {
            let message = parse(link).unwrap_err().to_string();
            assert!(!message.to_ascii_lowercase().contains("scam"), "{link} → {message}");
        }
    }

    #[test]
    fn links_are_recognised_before_parsing() {
        assert!(looks_like_link("tba-wizard://start?connector=celigo"));
        assert!(looks_like_link("TBA-Wizard:whatever"));
        assert!(!looks_like_link("test"));
        assert!(!looks_like_link("tba-wizard"));
        assert!(!looks_like_link("--help"));
    }
}
