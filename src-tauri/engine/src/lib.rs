//! The engine of tba-wizard: everything that knows about NetSuite, and nothing that knows about Tauri.
//! The desktop app and the command line are thin layers over it, so all of it is testable with
//! `cargo test` and no window.

pub mod account;
pub mod applink;
pub mod batch;
pub mod client;
pub mod diagnosis;
pub mod links;
pub mod oauth;

pub use account::{Account, AccountError, Environment};
pub use client::{check_account, ClientOptions, DatacenterCheck, NetSuiteClient};
pub use diagnosis::{Outcome, Report};
pub use links::{deep_link, Page};
pub use oauth::Credentials;
pub use tokio_util::sync::CancellationToken;

/// The name serde gives a unit enum variant (`Outcome::CredentialsRefused` → `credentials_refused`), so
/// codes shown to people and scripts always match the JSON.
pub fn serde_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
pub mod clipboard;
pub mod connections;
pub mod home;
pub mod opener;
pub mod profiles;
pub mod rotation;
pub mod secrets;
pub mod store;
pub mod support;
pub mod vault;
pub mod wizard;
