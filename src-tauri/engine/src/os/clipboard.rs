//! The clipboard, handled from Rust so that a secret never passes through the webview.
//!
//! Paste: the value is read from the clipboard and handed to the caller, who stores it in the vault;
//! only once it is stored is the clipboard cleared, so a keyring that is locked or missing never loses
//! a value NetSuite shows once. Copy: one secret is put on the clipboard, marked for clipboard history
//! tools to skip, and cleared after a delay or when the app quits if the clipboard still holds it; only
//! its SHA-256 is kept for that comparison, not the value.

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

/// What the platform can promise about clipboard history for a copied secret, in words for the window.
#[cfg(target_os = "windows")]
pub const HISTORY_NOTE: Option<&str> = None;
#[cfg(not(target_os = "windows"))]
pub const HISTORY_NOTE: Option<&str> =
    Some("Marked as a password so clipboard history tools skip it; a tool that ignores that mark may keep a copy.");

/// One clipboard handle for the app's lifetime: on X11 the handle's owner thread serves what was copied,
/// so it must outlive the copy.
#[derive(Clone, Default)]
pub struct SecretClipboard {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    clipboard: Option<arboard::Clipboard>,
    /// The digest of the secret this app last copied, while it may still be on the clipboard.
    copied: Option<[u8; 32]>,
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// A paste that failed after the value was read: it is still on the clipboard, and the message says so.
#[derive(Debug)]
pub enum TakeError<E> {
    Clipboard(ClipboardError),
    /// What `store` refused with; the value was left on the clipboard.
    Store(E),
}

impl SecretClipboard {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> Result<T, ClipboardError>) -> Result<T, ClipboardError> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if guard.clipboard.is_none() {
            // arboard's messages describe the display connection, never clipboard content.
            guard.clipboard = Some(arboard::Clipboard::new().map_err(|e| ClipboardError::Unavailable(e.to_string()))?);
        }
        f(&mut guard)
    }

    /// Reads the clipboard's text, hands it to `store`, and clears the clipboard only if `store`
    /// succeeded (and the clipboard still holds that text), so nothing is lost when the value cannot be
    /// kept. What `store` returns comes back either way.
    pub fn take_text_into<T, E>(&self, store: impl FnOnce(&str) -> Result<T, E>) -> Result<T, TakeError<E>> {
        let text = self
            .with(|inner| {
                let cb = inner.clipboard.as_mut().expect("opened by with");
                let text = Zeroizing::new(cb.get_text().map_err(|_| ClipboardError::Empty)?);
                if text.trim().is_empty() {
                    return Err(ClipboardError::Empty);
                }
                Ok(text)
            })
            .map_err(TakeError::Clipboard)?;
        let stored = store(&text).map_err(TakeError::Store)?;
        self.clear_if_holding(&digest(&text));
        Ok(stored)
    }

    /// As `take_text_into`, but the clipboard is cleared whatever `store` says: for a private key copied
    /// from its file, which a refusal must not leave on the clipboard (nothing is lost: the file is
    /// still there).
    pub fn take_text_into_always_clear<T, E>(
        &self,
        store: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, TakeError<E>> {
        let mut taken = None;
        let result = self.take_text_into(|text| {
            taken = Some(digest(text));
            store(text)
        });
        if let (Err(TakeError::Store(_)), Some(held)) = (&result, taken) {
            self.clear_if_holding(&held);
        }
        result
    }

    /// Reads the clipboard's text and clears the clipboard at once (no store to wait for).
    pub fn take_text(&self) -> Result<Zeroizing<String>, ClipboardError> {
        self.take_text_into(|t| Ok::<_, ClipboardError>(Zeroizing::new(t.to_string())))
            .map_err(|e| match e {
                TakeError::Clipboard(e) | TakeError::Store(e) => e,
            })
    }

    /// Puts text that is not secret (an account ID, a page address) on the clipboard.
    pub fn put_text(&self, text: &str) -> Result<(), ClipboardError> {
        self.with(|inner| {
            inner
                .clipboard
                .as_mut()
                .expect("opened by with")
                .set_text(text.to_string())
                .map_err(|e| ClipboardError::Unavailable(e.to_string()))
        })
    }

    /// Puts `value` on the clipboard, marked for history tools to skip, and clears it after `after`
    /// (or at quit, see `clear_copied`), unless something else was copied since.
    pub fn copy_for(&self, value: &str, after: Duration) -> Result<(), ClipboardError> {
        let expected = digest(value);
        self.with(|inner| {
            let cb = inner.clipboard.as_mut().expect("opened by with");
            private_set(cb.set())
                .text(value.to_string())
                .map_err(|e| ClipboardError::Unavailable(e.to_string()))?;
            inner.copied = Some(expected);
            Ok(())
        })?;
        let me = self.clone();
        std::thread::spawn(move || {
            std::thread::sleep(after);
            me.clear_if_holding(&expected);
        });
        Ok(())
    }

    /// Clears a copied secret that is still on the clipboard. Called when the app quits: on X11 the
    /// handle's drop offers what it holds to the clipboard manager, which would keep the secret after
    /// the app is gone.
    pub fn clear_copied(&self) {
        let copied = self.inner.lock().unwrap_or_else(|p| p.into_inner()).copied;
        if let Some(expected) = copied {
            self.clear_if_holding(&expected);
        }
    }

    fn clear_if_holding(&self, expected: &[u8; 32]) {
        let _ = self.with(|inner| {
            let cb = inner.clipboard.as_mut().expect("opened by with");
            let current = Zeroizing::new(cb.get_text().unwrap_or_default());
            if &digest(&current) == expected {
                let _ = cb.clear();
            }
            if inner.copied.as_ref() == Some(expected) {
                inner.copied = None;
            }
            Ok(())
        });
    }
}

/// Marks a secret for clipboard history tools to skip: KDE's password hint on Linux (honoured by
/// Klipper and most others), the concealed type on macOS, and on Windows no history (Win+V) and no
/// cloud sync.
fn private_set(set: arboard::Set<'_>) -> arboard::Set<'_> {
    #[cfg(all(unix, not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))))]
    {
        use arboard::SetExtLinux;
        set.exclude_from_history()
    }
    #[cfg(target_os = "macos")]
    {
        use arboard::SetExtApple;
        set.exclude_from_history()
    }
    #[cfg(windows)]
    {
        use arboard::SetExtWindows;
        set.exclude_from_history().exclude_from_cloud()
    }
}
