//! Where a test is while it waits on NetSuite, told as each call starts: the window says "Asking NetSuite
//! for a token…" because Rust is asking, not because a timer guessed it.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum TestStage {
    /// The account lookup: which data center holds the account.
    CheckingAccount,
    /// OAuth 2.0: the signed assertion exchanged for an access token.
    AskingForToken,
    /// The signed test call.
    SignedCall,
    /// Permission `n` of `of` (counted from 1), by one read-only query.
    Permission { n: usize, of: usize, permission: String },
}

impl TestStage {
    /// What the window shows while this stage waits on NetSuite.
    pub fn text(&self) -> String {
        match self {
            TestStage::CheckingAccount => "Asking NetSuite where the account is…".into(),
            TestStage::AskingForToken => "Asking NetSuite for a token…".into(),
            TestStage::SignedCall => "Sending a signed call to NetSuite…".into(),
            TestStage::Permission { n, of, permission } => {
                format!("Checking permission {n} of {of}: {permission}…")
            }
        }
    }
}

/// Told each stage as it starts.
pub type Tell<'a> = &'a (dyn Fn(TestStage) + Send + Sync);

/// For callers nobody watches (a batch prints its own progress).
pub fn untold(_: TestStage) {}
