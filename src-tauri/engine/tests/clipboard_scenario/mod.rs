//! The clipboard scenario both desktops run (X11 in `clipboard.rs`, Wayland in `clipboard_wayland.rs`),
//! with another program's copy and paste as each desktop's own tools do them.

use std::time::Duration;
use tba_engine::os::clipboard::{ClipboardError, SecretClipboard, TakeError};

/// Another program on the same desktop: the browser the user copies from and the program they paste into.
pub trait Elsewhere {
    fn copy(&self, text: &str);
    /// What a paste there gets ("" when the clipboard is empty).
    fn paste(&self) -> String;
    /// The types (X11 targets, Wayland MIME types) the clipboard's owner offers.
    fn targets(&self) -> Vec<String>;
}

/// Paste takes a value and clears it, copy clears after the delay unless replaced, a copied secret is
/// marked for history tools, and quitting clears it: one run, because the clipboard is shared by
/// everything on the desktop.
pub fn paste_takes_and_clears_copy_clears_after_the_delay_unless_replaced(elsewhere: &impl Elsewhere) {
    let cb = SecretClipboard::new();
    let copy_elsewhere = |text: &str| elsewhere.copy(text);
    let paste_elsewhere = || elsewhere.paste();
    let targets = || elsewhere.targets();

    copy_elsewhere("  d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5\n");
    let taken = cb.take_text().unwrap();
    assert_eq!(
        taken.trim(),
        "d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5"
    );
    assert_eq!(
        paste_elsewhere(),
        "",
        "the secret does not stay on the clipboard after Paste"
    );
    assert_eq!(cb.take_text().unwrap_err(), ClipboardError::Empty);

    // A value the store refuses stays on the clipboard (a one-time secret must not be lost)…
    copy_elsewhere("one-time-secret-refused");
    let kept: Result<(), TakeError<&str>> = cb.take_text_into(|_| Err("refused"));
    assert!(matches!(kept, Err(TakeError::Store("refused"))));
    assert_eq!(paste_elsewhere(), "one-time-secret-refused");
    // …but a private key copied from its file goes from the clipboard even when refused.
    copy_elsewhere("-----BEGIN PRIVATE KEY-----\nrefused\n-----END PRIVATE KEY-----\n");
    let gone: Result<(), TakeError<&str>> = cb.take_text_into_always_clear(|_| Err("refused"));
    assert!(matches!(gone, Err(TakeError::Store("refused"))));
    assert_eq!(paste_elsewhere(), "", "a refused key is not left on the clipboard");

    cb.copy_for("token-secret-value", Duration::from_millis(600)).unwrap();
    assert_eq!(
        paste_elsewhere(),
        "token-secret-value",
        "the connector's page can paste it"
    );
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(paste_elsewhere(), "", "cleared after the delay");

    cb.copy_for("another-secret", Duration::from_millis(600)).unwrap();
    copy_elsewhere("something the user copied since");
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(
        paste_elsewhere(),
        "something the user copied since",
        "a later copy is left alone"
    );

    // A paste the keyring could not keep leaves the one-time value where it was.
    let secret = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b";
    copy_elsewhere(secret);
    let refused = cb.take_text_into(|v| {
        assert_eq!(v, secret);
        Err::<(), _>("keyring locked")
    });
    assert!(matches!(refused, Err(TakeError::Store("keyring locked"))));
    assert_eq!(paste_elsewhere(), secret, "not cleared: the value was not stored");
    let stored = cb.take_text_into(|v| Ok::<_, ()>(v.len())).unwrap();
    assert_eq!(stored, 64);
    assert_eq!(paste_elsewhere(), "", "cleared once stored");

    // A copied secret is marked for clipboard history tools to skip (KDE's convention, which Klipper,
    // CopyQ and GPaste honour), and quitting clears it before the 30 s are up.
    cb.copy_for("handed-off-secret", Duration::from_secs(30)).unwrap();
    assert!(
        targets().iter().any(|t| t == "x-kde-passwordManagerHint"),
        "offered targets: {:?}",
        targets()
    );
    assert_eq!(paste_elsewhere(), "handed-off-secret");
    cb.clear_copied();
    assert_eq!(paste_elsewhere(), "", "quitting clears a secret still on the clipboard");

    // ... but not what the user copied after it.
    cb.copy_for("handed-off-secret", Duration::from_secs(30)).unwrap();
    copy_elsewhere("the user's own text");
    cb.clear_copied();
    assert_eq!(paste_elsewhere(), "the user's own text");
}
