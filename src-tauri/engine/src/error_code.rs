//! One list of what can go wrong, for the window and the command line alike: the window's errors carry
//! its snake_case name as `code` (exported to TypeScript), and the command line's exit status is derived
//! from it, so a script and the window can never disagree about the kind of a failure.
//!
//! "Wrong input" (fix what you gave) is kept apart from "not now" (what you gave is fine, but a
//! precondition does not hold: finish the journey in the window first, save the value first).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// What was given is wrong (a bad account ID, an unknown connector, malformed JSON): fix it.
    BadInput,
    /// A field that must not hold a secret was given something shaped like one; it was not kept.
    SecretLike,
    /// An app link that cannot be used (malformed, unknown connector).
    BadLink,
    /// The input is fine but this is not the moment: a precondition does not hold.
    NotNow,
    /// An address outside the allow-list was not opened.
    NotAllowed,
    /// NetSuite refused the credentials, or the role lacks a permission.
    Refused,
    /// The network, a timeout, NetSuite's concurrency limit or a server error: try again later.
    Unreachable,
    /// The system keyring could not be used, or holds none of the values needed.
    Keyring,
    /// The connection file or the disk could not be used.
    Storage,
    /// The clipboard was empty when a paste was asked for.
    ClipboardEmpty,
    /// The clipboard could not be used.
    ClipboardUnavailable,
    /// Something the user cannot fix (a client that could not be built, a task that did not finish).
    Internal,
}

impl ErrorCode {
    /// The command line's exit status for a failure of this kind. The statuses are a contract with
    /// users' scripts: 2 bad input (a precondition included, as before), 3 refused by NetSuite, 4
    /// network or server trouble, 5 keyring or connection file, 1 anything else.
    pub fn exit_status(self) -> u8 {
        match self {
            ErrorCode::BadInput
            | ErrorCode::SecretLike
            | ErrorCode::BadLink
            | ErrorCode::NotNow
            | ErrorCode::NotAllowed => 2,
            ErrorCode::Refused => 3,
            ErrorCode::Unreachable => 4,
            ErrorCode::Keyring | ErrorCode::Storage => 5,
            ErrorCode::ClipboardEmpty | ErrorCode::ClipboardUnavailable | ErrorCode::Internal => 1,
        }
    }

    /// The name the window and `--json` output use (`bad_input`, `not_now`, …).
    pub fn name(self) -> String {
        crate::serde_name(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_the_names_and_statuses_scripts_rely_on() {
        assert_eq!(ErrorCode::BadInput.name(), "bad_input");
        assert_eq!(ErrorCode::SecretLike.name(), "secret_like");
        assert_eq!(ErrorCode::NotNow.name(), "not_now");
        assert_eq!(ErrorCode::BadInput.exit_status(), 2);
        assert_eq!(ErrorCode::Refused.exit_status(), 3);
        assert_eq!(ErrorCode::Unreachable.exit_status(), 4);
        assert_eq!(ErrorCode::Keyring.exit_status(), 5);
        assert_eq!(ErrorCode::Storage.exit_status(), 5);
    }
}
