//! Everything printed goes through here: names typed by users are shown with control and bidi
//! characters escaped, JSON is escaped beyond what serde_json does, tables line up.

use serde_json::{json, Value};
use std::borrow::Cow;
use tba_engine::{Account, Report};

pub(crate) fn first_sentence(text: &str) -> &str {
    text.find(". ").map_or(text, |i| &text[..=i])
}

/// Pads every column but the last to its widest cell, counted in characters (labels need not be ASCII).
pub(crate) fn table(lines: &[[&str; 6]]) -> String {
    let mut widths = [0usize; 6];
    for line in lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in lines {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            if i + 1 < line.len() {
                text.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            } else {
                text.push_str(cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

pub(crate) fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("tba-wizard: warning: {}", visible(w));
    }
}

/// Text from outside (NetSuite's answers, the connection file, names and arguments) as it may be put on a
/// terminal: control characters (C0, DEL, C1) and the bidirectional controls are written as escapes. Raw,
/// they could move the cursor, retitle the window, hide or recolour lines, or make text read backwards,
/// so a message could be made to say something it does not. JSON output is left as it is: serde_json
/// escapes C0 (ESC included) itself, and a program reads it, not a terminal.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() || is_bidi_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON for the terminal: serde_json escapes C0 controls but writes DEL, C1 controls and bidi
/// controls raw, which a terminal may act on (C1 CSI) or which reorder what is shown. Those occur only
/// inside strings, where `\uXXXX` means the same character.
pub(crate) fn json_text(value: &Value) -> String {
    let text = value.to_string();
    if !text.chars().any(needs_json_escape) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_json_escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn needs_json_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}') || is_bidi_control(c)
}

/// The Bidi_Control characters of Unicode: marks, embeddings, overrides and isolates.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

pub(crate) fn headline(outcome: tba_engine::Outcome) -> &'static str {
    match outcome {
        tba_engine::Outcome::Success => "OK",
        tba_engine::Outcome::CredentialsRefused => "REFUSED",
        tba_engine::Outcome::PermissionMissing => "PERMISSION MISSING",
        tba_engine::Outcome::ConcurrencyLimit => "BUSY",
        tba_engine::Outcome::ServerError => "NETSUITE ERROR",
        tba_engine::Outcome::NetworkError => "NETWORK PROBLEM",
    }
}

pub(crate) fn print_report(report: &Report, account: &Account, as_json: bool) {
    if as_json {
        let mut value = serde_json::to_value(report).expect("Report serializes");
        value["exit_code"] = json!(report.exit_code());
        value["account_id"] = json!(account.id());
        out_line(format_args!("{}", json_text(&value)));
        return;
    }
    let mut out = String::new();
    // The summary and the causes quote NetSuite's error code, and the detail is NetSuite's own words.
    out.push_str(&format!(
        "{}: {} ({})\n",
        headline(report.outcome),
        visible(&report.summary),
        account.id()
    ));
    for p in &report.proven {
        out.push_str(&format!("  ✓ {}\n", visible(p)));
    }
    for w in &report.warnings {
        out.push_str(&format!("  ! {}\n", visible(w)));
    }
    if !report.causes.is_empty() {
        out.push_str("Most likely causes, most likely first:\n");
        for (i, c) in report.causes.iter().enumerate() {
            out.push_str(&format!("  {}. {}\n", i + 1, visible(&c.message)));
        }
    }
    if let Some(help) = &report.audit_trail {
        out.push_str(&format!("To see NetSuite's real reason, open {}:\n", help.menu_path));
        for line in &help.instructions[1..] {
            out.push_str(&format!("  - {line}\n"));
        }
    }
    if let Some(detail) = report
        .error_detail
        .as_deref()
        .filter(|_| report.outcome != tba_engine::Outcome::Success)
    {
        out.push_str(&format!("NetSuite said: {}\n", visible(detail)));
    }
    out_text(format_args!("{out}"));
}

// ---------------------------------------------------------------- check-account

/// Set once standard output's reader has gone away.
static STDOUT_GONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The status to exit with: the command's own, but never 0 once its output could not be delivered
/// (141, as a shell reports a C tool ended by SIGPIPE), so `set -o pipefail` scripts and cron see that
/// the output went nowhere, and a failing command keeps its failure.
pub(crate) fn exit_status(status: u8) -> u8 {
    if status == 0 && STDOUT_GONE.load(std::sync::atomic::Ordering::Relaxed) {
        141
    } else {
        status
    }
}

/// Prints one line to standard output. A reader that went away (`tba-wizard-cli profiles | head`)
/// ends nothing: later output is dropped quietly, the command finishes and `exit_status` says so;
/// `println!` would panic and print a backtrace instead.
pub(crate) fn out_line(args: std::fmt::Arguments<'_>) {
    write_out(args, true);
}

/// Prints to standard output without a line break; see `out_line`.
pub(crate) fn out_text(args: std::fmt::Arguments<'_>) {
    write_out(args, false);
}

fn write_out(args: std::fmt::Arguments<'_>, newline: bool) {
    use std::io::Write as _;
    if STDOUT_GONE.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_fmt(args)
        .and_then(|()| if newline { stdout.write_all(b"\n") } else { Ok(()) })
        .and_then(|()| stdout.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            STDOUT_GONE.store(true, std::sync::atomic::Ordering::Relaxed);
            return;
        }
        eprintln!("tba-wizard: standard output could not be written: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::{json_text, visible};

    #[test]
    fn control_and_bidi_characters_are_shown_escaped() {
        assert_eq!(
            visible("a\u{1b}]0;t\u{7}\u{1b}[31m\u{7f}\u{9b}\u{202e}\u{2066}\n\tz"),
            "a\\x1b]0;t\\x07\\x1b[31m\\x7f\\u{9b}\\u{202e}\\u{2066}\\n\\tz"
        );
        assert!(matches!(visible("Shop sandbox · é ✓"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn json_output_escapes_what_serde_json_leaves_raw() {
        let value = serde_json::json!({ "label": "a\u{7f}\u{9b}2J\u{202e}é\u{1b}" });
        let text = json_text(&value);
        assert_eq!(text, r#"{"label":"a\u007f\u009b2J\u202eé\u001b"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
    }
}
