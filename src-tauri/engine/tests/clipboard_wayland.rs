//! The clipboard on Wayland, through the compositor's data-control protocol (a headless sway started by
//! `scripts/with-wayland.sh`), with `wl-copy` and `wl-paste` as the other programs; then, where Wayland's
//! clipboard cannot be used, the X11 one (XWayland on GNOME's desktop). Run by the test command:
//!
//!     xvfb-run -a scripts/with-wayland.sh cargo test -p tba-engine --test clipboard_wayland -- --ignored

mod clipboard_scenario;

use clipboard_scenario::Elsewhere;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tba_engine::os::clipboard::SecretClipboard;

/// wl-copy and wl-paste on the compositor.
struct WlClipboard;

impl Elsewhere for WlClipboard {
    fn copy(&self, text: &str) {
        // wl-copy reads standard input, then leaves a process of its own serving it.
        let mut child = Command::new("wl-copy")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wl-copy is installed by scripts/setup.sh");
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success());
        let until = Instant::now() + Duration::from_secs(5);
        while self.paste() != text && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn paste(&self) -> String {
        // "Nothing is copied" (exit 1) is an empty clipboard.
        let out = Command::new("wl-paste")
            .args(["--no-newline"])
            .output()
            .expect("wl-paste runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn targets(&self) -> Vec<String> {
        let out = Command::new("wl-paste")
            .args(["--list-types"])
            .output()
            .expect("wl-paste runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn x11_paste() -> String {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .output()
        .expect("xclip runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// One test: the clipboards are shared, and the last part changes this process's environment.
#[test]
#[ignore = "needs a Wayland compositor and an X server: run through scripts/with-wayland.sh under xvfb-run"]
fn wayland_clipboard_then_x11_where_wayland_has_none() {
    assert!(
        std::env::var_os("WAYLAND_DISPLAY").is_some() && std::env::var_os("DISPLAY").is_some(),
        "run: xvfb-run -a scripts/with-wayland.sh cargo test -p tba-engine --test clipboard_wayland -- --ignored"
    );
    clipboard_scenario::paste_takes_and_clears_copy_clears_after_the_delay_unless_replaced(&WlClipboard);

    // It was Wayland's clipboard: this compositor has no XWayland, so X11's never saw it.
    let cb = SecretClipboard::new();
    cb.copy_for("on-wayland-only", Duration::from_secs(30)).unwrap();
    assert_eq!(WlClipboard.paste(), "on-wayland-only");
    assert_ne!(x11_paste(), "on-wayland-only");
    cb.clear_copied();

    // A compositor without data-control (or none): the X11 clipboard, as through XWayland on GNOME.
    std::env::set_var("WAYLAND_DISPLAY", "no-such-wayland-display");
    let cb = SecretClipboard::new();
    cb.copy_for("through-x11", Duration::from_secs(30)).unwrap();
    assert_eq!(x11_paste(), "through-x11");
    assert_ne!(WlClipboard.paste(), "through-x11");
    cb.clear_copied();
    assert_eq!(x11_paste(), "", "cleared on X11 as well");
}
