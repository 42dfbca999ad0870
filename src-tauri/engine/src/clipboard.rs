//! The clipboard, handled from Rust so that a secret never passes through the webview.
//!
//! Paste: the value is read from the clipboard, handed to the caller (who stores it in the vault) and
//! the clipboard is cleared. Copy: one secret is put on the clipboard and cleared after a delay if the
//! clipboard still holds it; only its SHA-256 is kept for that comparison, not the value.

use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zeroize::Zeroizing;

/// How long a copied secret stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClipboardError {
    #[error("The clipboard cannot be used here ({0}). Type the value into the field instead.")]
    Unavailable(String),
    #[error("The clipboard is empty, or holds something other than text. Copy the value in NetSuite again, then press Paste.")]
    Empty,
}

/// One clipboard handle for the app's lifetime: on X11 the handle's owner thread serves what was copied,
/// so it must outlive the copy.
#[derive(Clone, Default)]
pub struct SecretClipboard {
    inner: Arc<Mutex<Option<arboard::Clipboard>>>,
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

impl SecretClipboard {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut arboard::Clipboard) -> Result<T, ClipboardError>,
    ) -> Result<T, ClipboardError> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            // arboard's messages describe the display connection, never clipboard content.
            *guard = Some(arboard::Clipboard::new().map_err(|e| ClipboardError::Unavailable(e.to_string()))?);
        }
        f(guard.as_mut().expect("just set"))
    }

    /// Reads the clipboard's text and clears the clipboard, so the secret does not linger there.
    pub fn take_text(&self) -> Result<Zeroizing<String>, ClipboardError> {
        self.with(|cb| {
            let text = Zeroizing::new(cb.get_text().map_err(|_| ClipboardError::Empty)?);
            if text.trim().is_empty() {
                return Err(ClipboardError::Empty);
            }
            let _ = cb.clear();
            Ok(text)
        })
    }

    /// Puts text that is not secret (an account ID, a page address) on the clipboard.
    pub fn put_text(&self, text: &str) -> Result<(), ClipboardError> {
        self.with(|cb| {
            cb.set_text(text.to_string())
                .map_err(|e| ClipboardError::Unavailable(e.to_string()))
        })
    }

    /// Puts `value` on the clipboard and clears it after `after`, unless something else was copied since.
    pub fn copy_for(&self, value: &str, after: Duration) -> Result<(), ClipboardError> {
        let expected = digest(value);
        self.with(|cb| {
            cb.set_text(value.to_string())
                .map_err(|e| ClipboardError::Unavailable(e.to_string()))
        })?;
        let me = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(after);
            me.clear_if_holding(&expected);
        });
        Ok(())
    }

    fn clear_if_holding(&self, expected: &[u8; 32]) {
        let _ = self.with(|cb| {
            let current = Zeroizing::new(cb.get_text().unwrap_or_default());
            if &digest(&current) == expected {
                let _ = cb.clear();
            }
            Ok(())
        });
    }
}
