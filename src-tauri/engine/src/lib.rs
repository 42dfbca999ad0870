//! The engine of tba-wizard: everything that knows about NetSuite, and nothing that knows about Tauri.
//! The desktop app and the command line are thin layers over it, so all of it is testable with
//! `cargo test` and no window.

// Layers, lowest first; each names only the ones listed before it (tests/layers.rs checks it).
pub mod flow;
pub mod keep;
pub mod netsuite;
pub mod os;
pub mod profiles;
pub mod support;

pub mod error_code;

pub use error_code::ErrorCode;
pub use netsuite::account::{Account, AccountError, Environment};
pub use netsuite::client::{check_account, ClientOptions, DatacenterCheck, NetSuiteClient};
pub use netsuite::oauth1::Credentials;
pub use netsuite::outcome::{Outcome, Report};
pub use netsuite::pages::{deep_link, Page};
pub use tokio_util::sync::CancellationToken;

/// The name serde gives a unit enum variant (`Outcome::CredentialsRefused` → `credentials_refused`), so
/// codes shown to people and scripts always match the JSON.
pub fn serde_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `text` as one word for a POSIX shell, for the commands the product prints to be pasted: as is when
/// it holds only characters no shell treats specially, else in single quotes. A connection's name may
/// hold `"`, `$` or a backquote, which inside double quotes would run when the line is pasted.
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain && !text.starts_with('-') {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn shell_words_paste_as_one_argument() {
        assert_eq!(super::shell_word("Shop"), "Shop");
        assert_eq!(super::shell_word("My shop"), "'My shop'");
        assert_eq!(super::shell_word("$(id) \"x\" `y`"), "'$(id) \"x\" `y`'");
        assert_eq!(super::shell_word("it's"), r"'it'\''s'");
        assert_eq!(super::shell_word(""), "''");
    }
}
