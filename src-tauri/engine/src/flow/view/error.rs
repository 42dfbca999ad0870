//! What the window is told when an action fails: `WizardError`, whose `code` is the window's error code.

use super::*;

#[derive(Debug, thiserror::Error)]
pub enum WizardError {
    #[error("{0}")]
    BadInput(String),
    #[error("{0}")]
    Connection(#[from] ConnectionError),
    #[error("The wizard's progress could not be saved at {path}: {reason}.")]
    Save { path: String, reason: String },
    /// A file the user asked for could not be written; the message names it and what happened.
    #[error("{0}")]
    File(String),
    /// The input is fine but this is not the moment: a precondition does not hold.
    #[error("{0}")]
    NotNow(String),
    /// A free-text field was given what looks like a secret; the window clears the field.
    #[error("{}", crate::keep::secrets::SECRET_LIKE)]
    SecretLike,
}

impl From<crate::keep::store::StoreError> for WizardError {
    fn from(e: crate::keep::store::StoreError) -> Self {
        WizardError::Connection(e.into())
    }
}

pub(crate) fn bad(message: impl Into<String>) -> WizardError {
    WizardError::BadInput(message.into())
}

pub(crate) fn not_now(message: impl Into<String>) -> WizardError {
    WizardError::NotNow(message.into())
}

impl WizardError {
    /// The kind of failure, as the window and the command line name it.
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            WizardError::BadInput(_) => crate::ErrorCode::BadInput,
            WizardError::NotNow(_) => crate::ErrorCode::NotNow,
            WizardError::Connection(e) => e.code(),
            WizardError::Save { .. } | WizardError::File(_) => crate::ErrorCode::Storage,
            WizardError::SecretLike => crate::ErrorCode::SecretLike,
        }
    }
}
