//! The clipboard under a real X server (Xvfb in `npm test`), with `xclip` playing the browser the user
//! copies from and the program they paste into.

mod clipboard_scenario;

use clipboard_scenario::Elsewhere;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

fn require_display() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "these tests need an X server: run `xvfb-run -a cargo test -p tba-engine --test clipboard`"
    );
}

/// xclip on the X server.
struct Xclip;

impl Elsewhere for Xclip {
    /// Copies like another program does: xclip keeps serving the selection from a background process.
    fn copy(&self, text: &str) {
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

    fn paste(&self) -> String {
        let out = Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .output()
            .expect("xclip runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn targets(&self) -> Vec<String> {
        let out = Command::new("xclip")
            .args(["-selection", "clipboard", "-t", "TARGETS", "-o"])
            .output()
            .expect("xclip runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

#[test]
fn paste_takes_and_clears_copy_clears_after_the_delay_unless_replaced() {
    require_display();
    clipboard_scenario::paste_takes_and_clears_copy_clears_after_the_delay_unless_replaced(&Xclip);
}
