//! Exit statuses and the error a subcommand returns: a message that says what to do, never a secret.
//! The status comes from the engine's one `ErrorCode`, the same the window's errors carry.

use tba_engine::keep::connections::ConnectionError;
use tba_engine::ErrorCode;

pub const EXIT_OK: u8 = 0;
/// `connections list --expiring-within DAYS`: a certificate in use ends within DAYS (or has ended).
pub const EXIT_EXPIRING: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;
/// The keyring or the connection file could not be used.
pub const EXIT_STORAGE: u8 = 5;

/// An error the user can fix; printed without any secret.
pub(crate) struct CliError {
    pub(crate) message: String,
    pub(crate) code: ErrorCode,
}

impl CliError {
    pub(crate) fn exit_status(&self) -> u8 {
        self.code.exit_status()
    }
}

/// Wrong input: what was given must change.
pub(crate) fn fail(message: impl Into<String>) -> CliError {
    CliError {
        message: message.into(),
        code: ErrorCode::BadInput,
    }
}

/// Not now: the input is fine, but a precondition does not hold (a journey under way in the window).
pub(crate) fn not_now(message: impl Into<String>) -> CliError {
    CliError {
        message: message.into(),
        code: ErrorCode::NotNow,
    }
}

/// An OAuth 2.0 assertion that could not be made, or one NetSuite would surely refuse: nothing was sent.
impl From<tba_engine::netsuite::oauth2::AssertionError> for CliError {
    fn from(e: tba_engine::netsuite::oauth2::AssertionError) -> Self {
        CliError {
            code: e.error_code(),
            message: e.to_string(),
        }
    }
}

impl From<ConnectionError> for CliError {
    fn from(e: ConnectionError) -> Self {
        CliError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_error_code() {
        assert_eq!(fail("x").exit_status(), EXIT_BAD_INPUT);
        assert_eq!(not_now("x").exit_status(), EXIT_BAD_INPUT);
        assert_eq!(ErrorCode::Storage.exit_status(), EXIT_STORAGE);
    }
}
