//! Exit statuses and the error a subcommand returns: a message that says what to do, never a secret.

use tba_engine::keep::connections::ConnectionError;

pub const EXIT_OK: u8 = 0;

pub const EXIT_BAD_INPUT: u8 = 2;

/// The keyring or the connection file could not be used.
pub const EXIT_STORAGE: u8 = 5;

/// An error the user can fix; printed without any secret. `code` is the exit status.
pub(crate) struct CliError {
    pub(crate) message: String,
    pub(crate) code: u8,
}

pub(crate) fn fail(message: impl Into<String>) -> CliError {
    CliError {
        message: message.into(),
        code: EXIT_BAD_INPUT,
    }
}

impl From<ConnectionError> for CliError {
    fn from(e: ConnectionError) -> Self {
        let code = match e {
            ConnectionError::BadInput(_) => EXIT_BAD_INPUT,
            ConnectionError::Vault(_) | ConnectionError::Store(_) => EXIT_STORAGE,
        };
        CliError {
            message: e.to_string(),
            code,
        }
    }
}
