//! The diagnostics report a customer copies or saves and sends to support: what was set up, how far the
//! wizard got and what the last test said, in plain text. It is built only from values that are safe to
//! show a support agent (fingerprints, codes, outcomes), and then scrubbed once more before it leaves,
//! so that a secret that somehow reached one of its inputs (a label, a message) is still cut out.

use crate::flow::view::{ProbeLine, TestRun, View};
use crate::keep::secrets::SecretSet;
use crate::keep::store::{write_atomic_new, Connection};
use crate::keep::vault::{SecretStore, Slot, Vault, VaultError};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::{ClockStatus, Report};
use crate::support::redact::redact;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Looked up, never written: its absence is the expected answer.
const PROBE_ID: &str = "diagnostics-probe";

/// Whether the keyring answered a read just now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyringState {
    Available,
    Locked,
    Unavailable(String),
}

impl KeyringState {
    fn describe(&self) -> String {
        match self {
            KeyringState::Available => "available (it answered a read)".into(),
            KeyringState::Locked => "locked".into(),
            KeyringState::Unavailable(reason) => format!("unavailable: {reason}"),
        }
    }
}

/// Reads an item that does not exist, so the answer says whether the keyring works without touching
/// any stored secret. The vault's own timeout applies: a keyring stuck behind an unanswered unlock
/// prompt is reported, not waited on.
pub fn probe_keyring<S: SecretStore>(vault: &Vault<S>) -> KeyringState {
    match vault.read::<SecretSet>(PROBE_ID, Slot::Active) {
        // Something unreadable under the probe's name still proves the keyring answered.
        Ok(_) | Err(VaultError::Damaged) => KeyringState::Available,
        Err(VaultError::Locked) => KeyringState::Locked,
        Err(e) => KeyringState::Unavailable(e.to_string()),
    }
}

/// What the report is built from. Everything here is already non-secret; the scrub is a second line.
pub struct Inputs {
    pub app_version: String,
    pub os: String,
    pub view: Option<View>,
    /// The saved connections, or why they could not be read.
    pub connections: Result<Vec<Connection>, String>,
    /// The last test run in this session, if any.
    pub last_run: Option<TestRun>,
    pub keyring: KeyringState,
    /// Where NetSuite calls go when not to the account's own hosts: a host (and port) only, since a
    /// full address could carry a query string.
    pub endpoint_host: Option<String>,
}

/// "Ubuntu 24.04 LTS (Linux 6.8.0-45-generic, x86_64)", from files every Linux has; elsewhere the
/// platform's name.
pub fn os_description() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release").ok().and_then(|text| {
        text.lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|v| v.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
    });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    let os = std::env::consts::OS;
    let arch = std::env::consts::ARCH;
    let platform = match kernel {
        Some(k) => format!("{} {k}", capitalised(os)),
        None => capitalised(os),
    };
    match pretty {
        Some(p) => format!("{p} ({platform}, {arch})"),
        None => format!("{platform} ({arch})"),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn environment_of(account: &str) -> String {
    Account::parse(account)
        .map(|a| a.environment().to_string())
        .unwrap_or_else(|_| "unrecognised account ID".into())
}

/// The values a connection of `profile` holds (a Celigo one: the token pair), and any other present.
fn or_dash(v: Option<impl ToString>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

fn clock_line(report: &Report) -> String {
    match report.clock {
        None => "not measured (no answer with a Date header)".into(),
        Some(c) => {
            let verdict = match c.status {
                ClockStatus::Ok => "ok",
                ClockStatus::Warning => "warning: more than 2 minutes off",
                ClockStatus::LikelyCause => "problem: more than 5 minutes off, NetSuite refuses such requests",
            };
            format!(
                "{:+} s, NetSuite's clock minus this computer's ({verdict})",
                c.offset_seconds
            )
        }
    }
}

fn probe_line(p: &ProbeLine) -> String {
    format!(
        "  {} > {} ({}): {}",
        p.subtab,
        p.permission,
        p.step,
        crate::serde_name(&p.outcome)
    )
}

/// The report's text, scrubbed.
pub fn build(inputs: &Inputs, generated_at: SystemTime) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored for that reason.
    let _ = writeln!(out, "tba-wizard diagnostics");
    let _ = writeln!(out, "Generated: {}", humantime::format_rfc3339_seconds(generated_at));
    let _ = writeln!(
        out,
        "No secret is included: keys, secrets and tokens appear only as fingerprints (8 hex characters of their SHA-256)."
    );

    let _ = writeln!(out, "\n== App ==");
    let _ = writeln!(out, "Version: {}", inputs.app_version);
    let _ = writeln!(out, "OS: {}", inputs.os);
    let _ = writeln!(out, "Keyring: {}", inputs.keyring.describe());
    let _ = writeln!(
        out,
        "NetSuite endpoint: {}",
        match &inputs.endpoint_host {
            None => "the account's own NetSuite hosts".to_string(),
            Some(host) => format!("custom base URL on {host}"),
        }
    );

    let _ = writeln!(out, "\n== Wizard ==");
    match inputs.view.as_ref().filter(|v| v.active) {
        None => {
            let _ = writeln!(out, "No connector is being set up (start screen).");
        }
        Some(view) => wizard_section(&mut out, view),
    }
    if let Some(notice) = inputs.view.as_ref().and_then(|v| v.notice.as_ref()) {
        let _ = writeln!(out, "Notice: {notice}");
    }

    let _ = writeln!(out, "\n== Last test (this session) ==");
    match &inputs.last_run {
        None => {
            let _ = writeln!(out, "No test was run since the wizard was opened.");
        }
        Some(run) => test_section(&mut out, run),
    }

    match &inputs.connections {
        Err(reason) => {
            let _ = writeln!(out, "\n== Saved connections ==");
            let _ = writeln!(out, "Could not be read: {reason}");
        }
        Ok(list) => {
            let _ = writeln!(out, "\n== Saved connections ({}) ==", list.len());
            if list.is_empty() {
                let _ = writeln!(out, "None.");
            }
            for c in list {
                connection_section(&mut out, c);
            }
        }
    }
    redact(&out)
}

fn wizard_section(out: &mut String, view: &View) {
    if let Some(p) = &view.profile {
        let _ = writeln!(out, "Connector: {} ({})", p.name, p.id);
    }
    if let Some(journey) = &view.journey_title {
        let _ = writeln!(out, "Journey: {journey}");
    }
    match &view.account {
        None => {
            let _ = writeln!(out, "Account: not entered yet");
        }
        Some(a) => {
            let _ = writeln!(out, "Account: {} ({})", a.id, a.environment_label);
            if let Some(dc) = &a.datacenter {
                let _ = writeln!(
                    out,
                    "Account lookup: {} ({})",
                    crate::serde_name(&dc.status),
                    dc.message
                );
            }
        }
    }
    let _ = writeln!(out, "Progress: {}", view.progress);
    if let Some(current) = &view.current {
        let _ = writeln!(out, "Screen on display: {}", current.heading);
    }
    if let Some(reason) = &view.blocked_reason {
        let _ = writeln!(out, "Next is blocked: {reason}");
    }
    let _ = writeln!(out, "Steps:");
    for s in &view.screens {
        let status = match (s.status, s.done) {
            ("current", true) => "current, done".to_string(),
            (status, _) => status.to_string(),
        };
        let code = s.code.as_deref().unwrap_or("-");
        let _ = writeln!(out, "  {code:<6} {:<20} {status}", s.short_title);
    }
    if let Some(c) = &view.connection {
        let _ = writeln!(out, "Connection in use: {}", c.label);
    }
}

fn test_section(out: &mut String, run: &TestRun) {
    let r = &run.report;
    let _ = writeln!(
        out,
        "Outcome: {}{}",
        crate::serde_name(&r.outcome),
        if run.passed { " (passed)" } else { " (not passed)" }
    );
    let _ = writeln!(out, "Summary: {}", r.summary);
    let _ = writeln!(out, "HTTP status: {}", or_dash(r.http_status));
    let _ = writeln!(out, "NetSuite error code: {}", or_dash(r.error_code.as_deref()));
    if let Some(n) = &r.network {
        let _ = writeln!(out, "Network problem: {}", crate::serde_name(&n.kind));
    }
    let _ = writeln!(out, "Clock offset: {}", clock_line(r));
    let _ = writeln!(out, "Attempts: {} in {} ms", r.attempts, r.elapsed_ms);
    if !run.causes.is_empty() {
        let causes: Vec<String> = run
            .causes
            .iter()
            .map(|c| match &c.screen_code {
                Some(code) => format!("{} (step {code})", c.id),
                None => c.id.to_string(),
            })
            .collect();
        let _ = writeln!(out, "Likely causes: {}", causes.join(", "));
    }
    for w in &r.warnings {
        let _ = writeln!(out, "Warning: {w}");
    }
    if !run.probes.is_empty() {
        let _ = writeln!(out, "Permission checks:");
        for p in &run.probes {
            let _ = writeln!(out, "{}", probe_line(p));
        }
    }
}

fn connection_section(out: &mut String, c: &Connection) {
    let _ = writeln!(out, "- {}", c.label);
    let _ = writeln!(out, "    Account: {} ({})", c.account, environment_of(&c.account));
    let _ = writeln!(out, "    Connector: {}", c.profile.code());
    for line in crate::keep::connections::method::describe(c.kind()).report_lines(c) {
        let _ = writeln!(out, "    {line}");
    }
    match &c.last_test {
        None => {
            let _ = writeln!(out, "    Last test: never");
        }
        Some(t) => {
            let _ = writeln!(
                out,
                "    Last test: {} at {}, HTTP {}, error code {}",
                crate::serde_name(&t.outcome),
                t.at,
                or_dash(t.http_status),
                or_dash(t.error_code.as_deref())
            );
        }
    }
}

/// Where "Save diagnostics" writes: `TBA_WIZARD_DIAGNOSTICS_DIR` if set, else Downloads, else home.
pub fn diagnostics_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TBA_WIZARD_DIAGNOSTICS_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::download_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `tba-wizard-diagnostics-YYYYMMDD-HHMMSS.txt`, in UTC.
pub fn file_name(at: SystemTime) -> String {
    let stamp: String = humantime::format_rfc3339_seconds(at)
        .to_string()
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .collect();
    format!("tba-wizard-diagnostics-{}.txt", stamp.replacen('T', "-", 1))
}

/// Writes the report into `dir` atomically, readable by the user only; a second save in the same second
/// gets its own file rather than replacing the first one, which may already have been attached to a
/// message. The name is claimed by the write itself, so a save racing another never replaces it either.
pub fn save(dir: &Path, text: &str, at: SystemTime) -> std::io::Result<PathBuf> {
    let name = file_name(at);
    let stem = name.trim_end_matches(".txt");
    for n in 1.. {
        let path = match n {
            1 => dir.join(&name),
            n => dir.join(format!("{stem}-{n}.txt")),
        };
        match write_atomic_new(&path, text.as_bytes()) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("some name is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::wizard::Wizard;
    use crate::keep::connections::Connections;
    use crate::keep::secrets::Field;
    use crate::keep::store::ConnectionStore;
    use crate::keep::vault::MemoryStore;
    use crate::netsuite::outcome::{ClockCheck, Outcome};
    use std::time::Duration;

    const SECRETS: [&str; 4] = [
        "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "5566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344",
        "deadbeefcafebabe0123456789abcdefdeadbeefcafebabe0123456789abcdef",
    ];

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tba-support-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    fn report(outcome: Outcome, status: u16, code: Option<&str>, clock: i64) -> Report {
        Report {
            outcome,
            summary: "NetSuite refused the token (HTTP 401, INVALID_LOGIN_ATTEMPT).".into(),
            proven: vec![],
            warnings: vec![],
            causes: vec![],
            http_status: Some(status),
            error_code: code.map(str::to_owned),
            error_detail: Some("Invalid login attempt.".into()),
            network: None,
            clock: Some(ClockCheck::from_offset(clock)),
            attempts: 1,
            elapsed_ms: 42,
            audit_trail: None,
        }
    }

    /// An AfterShip wizard on a sandbox account with all four values captured and a refused test.
    fn wizard_with_secrets(dir: &Path) -> Wizard<MemoryStore> {
        let connections = Connections::new(ConnectionStore::new(dir), Vault::new(MemoryStore::default()));
        let mut w = Wizard::open(connections);
        w.start("aftership").unwrap();
        w.act(crate::flow::wizard::PartAction::Account("1234567_SB1")).unwrap();
        // Straight into the keyring: the window pastes each on its own step, which this report does not need.
        let id = w.view().connection.unwrap().id;
        for (field, value) in Field::ALL.into_iter().zip(SECRETS) {
            w.connections.capture(&id, Slot::Active, field, value).unwrap();
        }
        let plan = w.plan(crate::flow::plan::Purpose::Test).unwrap();
        let refused = report(Outcome::CredentialsRefused, 401, Some("INVALID_LOGIN_ATTEMPT"), -400);
        w.record(&plan, crate::flow::plan::Ran::report(refused, vec![]))
            .unwrap();
        w
    }

    fn inputs_of(w: &Wizard<MemoryStore>) -> Inputs {
        Inputs {
            app_version: "9.8.7".into(),
            os: os_description(),
            view: Some(w.view()),
            connections: w.connections.store.load().map_err(|e| e.to_string()),
            last_run: w.last_run().cloned(),
            keyring: probe_keyring(&w.connections.vault),
            endpoint_host: Some("127.0.0.1:8080".into()),
        }
    }

    fn assert_no_secret(text: &str) {
        for s in SECRETS {
            assert!(!text.contains(s), "a secret ({}…) is in the report:\n{text}", &s[..4]);
            assert!(!text.contains(&s[..32]), "half a secret is in the report");
            assert!(!text.to_uppercase().contains(&s.to_uppercase()));
        }
    }

    #[test]
    fn an_m2m_connection_shows_its_certificate_and_fingerprints_only() {
        use crate::netsuite::oauth2::{Algorithm, Certificate, KeyKind, PrivateKey, Scope};
        let dir = temp_dir("m2m");
        let connections = Connections::new(ConnectionStore::new(&dir), Vault::new(MemoryStore::default()));
        let key = PrivateKey::generate(KeyKind::P256).unwrap();
        let cert = Certificate::self_signed(&key, "t", 30, SystemTime::now()).unwrap();
        let account = crate::Account::parse("1234567_SB1").unwrap();
        let c = connections
            .m2m_add(
                "Key",
                &account,
                crate::keep::store::Profile::parse("own_m2m").unwrap(),
                &key,
                &cert,
                Algorithm::ES256,
                &[Scope::RestWebservices],
            )
            .unwrap();
        let client_id = "5f1a9c0e5b7d2468ace13579bdf02468ace13579bdf02468ace13579bdf0246a";
        connections
            .m2m_set(&c.id, false, "CERT-9", Some(&secrecy::SecretString::from(client_id)))
            .unwrap();
        let w = Wizard::open(connections);
        let text = build(&inputs_of(&w), SystemTime::now());
        for expected in [
            "Auth: OAuth 2.0 client credentials, scopes rest_webservices",
            "Certificate: ES256, SHA-256 ",
            "Certificate ID CERT-9",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
        }
        assert!(text.contains(&cert.fingerprint), "{text}");
        assert!(!text.contains(client_id) && !text.contains(&client_id[..32]), "{text}");
        assert!(!text.contains("Token name"), "{text}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn report_has_what_support_needs_and_no_secret() {
        let dir = temp_dir("full");
        let w = wizard_with_secrets(&dir);
        let text = build(&inputs_of(&w), SystemTime::now());
        assert_no_secret(&text);
        assert!(text.starts_with("tba-wizard diagnostics\nGenerated: "), "{text}");
        for expected in [
            "Version: 9.8.7",
            "Connector: AfterShip",
            "Account: 1234567_SB1 (Sandbox 1)",
            "Keyring: available",
            "custom base URL on 127.0.0.1:8080",
            "Outcome: credentials_refused (not passed)",
            "HTTP status: 401",
            "NetSuite error code: INVALID_LOGIN_ATTEMPT",
            "Clock offset: -400 s",
            "problem: more than 5 minutes off",
            "Attempts: 1 in 42 ms",
            "Last test: credentials_refused at ",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
        }
        let view = w.view();
        for s in &view.screens {
            if let Some(code) = &s.code {
                let line = text.lines().find(|l| l.trim_start().starts_with(code.as_str()));
                let line = line.unwrap_or_else(|| panic!("step {code} missing from:\n{text}"));
                assert!(line.ends_with(s.status) || line.contains(s.status), "{line}");
            }
        }
        assert!(text.contains("AS-1"), "{text}");
        let c = view.connection.as_ref().unwrap();
        for f in Field::ALL {
            let print = c.fingerprints().get(f).unwrap();
            assert_eq!(print.len(), 8);
            assert!(
                text.contains(&format!("{} {print}", f.label())),
                "{print} missing:\n{text}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_secret_that_reached_an_input_is_scrubbed() {
        let dir = temp_dir("scrub");
        let w = wizard_with_secrets(&dir);
        let mut inputs = inputs_of(&w);
        // As if someone had pasted a secret into the token name, and NetSuite had echoed one back.
        if let Ok(list) = inputs.connections.as_mut() {
            list[0].tba_mut().unwrap().token_name = Some(format!("token {}", SECRETS[3]));
        }
        if let Some(run) = inputs.last_run.as_mut() {
            run.report.summary = format!("refused {} and {}", SECRETS[2], SECRETS[1].to_uppercase());
        }
        let text = build(&inputs, SystemTime::now());
        assert_no_secret(&text);
        assert!(text.contains("Token name: token [redacted]"), "{text}");
        assert_eq!(
            redact("a b64 c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0== d"),
            "a b64 [redacted]== d"
        );
        assert_eq!(redact("AS-3 of 5, fp 1a2b3c4d"), "AS-3 of 5, fp 1a2b3c4d");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn start_screen_and_unreadable_connections_still_report() {
        let text = build(
            &Inputs {
                app_version: "1.0.0".into(),
                os: "Linux (x86_64)".into(),
                view: None,
                connections: Err("the file is not valid JSON".into()),
                last_run: None,
                keyring: KeyringState::Unavailable("no session bus".into()),
                endpoint_host: None,
            },
            SystemTime::now(),
        );
        for expected in [
            "No connector is being set up",
            "No test was run",
            "Could not be read: the file is not valid JSON",
            "Keyring: unavailable: no session bus",
            "the account's own NetSuite hosts",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
        }
    }

    struct FailingStore(VaultError);

    impl SecretStore for FailingStore {
        fn get(&self, _: &str) -> Result<Option<zeroize::Zeroizing<String>>, VaultError> {
            Err(self.0.clone())
        }
        fn set(&self, _: &str, _: &str) -> Result<(), VaultError> {
            panic!("the probe must not write to the keyring")
        }
        fn delete(&self, _: &str) -> Result<(), VaultError> {
            panic!("the probe must not delete from the keyring")
        }
    }

    #[test]
    fn keyring_probe_maps_the_answers() {
        assert_eq!(
            probe_keyring(&Vault::new(MemoryStore::default())),
            KeyringState::Available
        );
        assert_eq!(
            probe_keyring(&Vault::new(FailingStore(VaultError::Locked))),
            KeyringState::Locked
        );
        let KeyringState::Unavailable(reason) = probe_keyring(&Vault::new(FailingStore(VaultError::Timeout(10))))
        else {
            panic!("a timeout is unavailable")
        };
        assert!(reason.contains("10 seconds"), "{reason}");
    }

    #[test]
    fn saved_file_is_named_by_time_and_never_replaced() {
        let dir = temp_dir("save");
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_718_000_000);
        assert_eq!(file_name(at), "tba-wizard-diagnostics-20240610-061320.txt");
        let first = save(&dir, "one", at).unwrap();
        let second = save(&dir, "two", at).unwrap();
        assert_ne!(first, second);
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "two");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
