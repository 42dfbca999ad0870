//! The clipboard under a real X server (Xvfb in `npm test`), with `xclip` playing the browser the user
//! copies from and the program they paste into.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;
use tba_engine::clipboard::{ClipboardError, SecretClipboard};

fn require_display() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "these tests need an X server: run `xvfb-run -a cargo test -p tba-engine --test clipboard`"
    );
}

/// Copies like another program does: xclip keeps serving the selection from a background process.
fn copy_elsewhere(text: &str) {
    let mut child = Command::new("xclip")
        .args(["-selection", "clipboard", "-quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xclip is installed by scripts/setup.sh");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    std::mem::forget(child);
}

fn paste_elsewhere() -> String {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .output()
        .expect("xclip runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// One test, because the clipboard is shared by everything on the display.
#[test]
fn paste_takes_and_clears_copy_clears_after_the_delay_unless_replaced() {
    require_display();
    let cb = SecretClipboard::new();

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
}
