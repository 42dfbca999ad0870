//! The error a window command returns: `{code, message, step?}`, never a bare string. `code` is the
//! engine's one `ErrorCode`, the same kind the command line turns into its exit status.

use serde::Serialize;
use tba_engine::flow::view::WizardError;
use tba_engine::keep::connections::ConnectionError;
use tba_engine::os::clipboard::ClipboardError;
use tba_engine::ErrorCode;

/// Errors cross to the webview as `{code, message, step?}`, never as a bare string.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct UiError {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<String>,
}

impl UiError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        UiError {
            code,
            message: message.into(),
            step: None,
        }
    }
}

impl From<WizardError> for UiError {
    fn from(e: WizardError) -> Self {
        UiError::new(e.code(), e.to_string())
    }
}

impl From<ConnectionError> for UiError {
    fn from(e: ConnectionError) -> Self {
        WizardError::from(e).into()
    }
}

impl From<ClipboardError> for UiError {
    fn from(e: ClipboardError) -> Self {
        let code = match e {
            ClipboardError::Empty => ErrorCode::ClipboardEmpty,
            ClipboardError::Unavailable(_) => ErrorCode::ClipboardUnavailable,
        };
        UiError::new(code, e.to_string())
    }
}
