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
