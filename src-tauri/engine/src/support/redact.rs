//! The one redactor: every log line and the diagnostics report pass through it before they leave the
//! process. Nothing in the program puts a secret in either on purpose; this is the second line of
//! defence, against a careless `tracing::debug!` of a request or a value that reached a report's input.
//!
//! It removes, in this order: values registered as secrets (any shape), whole PEM private key blocks,
//! OAuth header parameter lists,
//! `name=value` pairs whose name says secret, runs of 32 or more hex digits, and runs of 32 or more
//! base64 characters that look random.

use regex::{Captures, Regex};
use secrecy::{ExposeSecret, SecretString};
use std::collections::VecDeque;
use std::sync::{LazyLock, Mutex};
use zeroize::Zeroizing;

pub const REDACTED: &str = "[redacted]";
/// A long-running wizard may see many values (rotations, retries); the newest ones matter most.
const MAX_REGISTERED: usize = 32;
/// Scrubbing every "a" or "42" would make logs unreadable, and so short a value is no real secret.
const MIN_REGISTERED_LEN: usize = 4;

static REGISTERED: Mutex<Registered> = Mutex::new(Registered(VecDeque::new()));

/// Scrubs this exact value from every later log line, for secrets the patterns below would miss
/// (short, or not hex or base64). The copy is wiped when it is dropped.
pub fn register_secret(secret: &SecretString) {
    REGISTERED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .add(secret.expose_secret());
}

/// Scrubs a private key from every later log line in the forms a careless line could carry it.
pub fn register_key(key: &crate::netsuite::oauth2::PrivateKey) {
    for form in key.log_forms() {
        register_secret(&SecretString::from(form.as_str()));
    }
}

/// Scrubs every value a test signs with from every later log line.
pub fn register_signer(signer: &crate::netsuite::signer::Signer) {
    for form in signer.log_forms() {
        register_secret(&SecretString::from(form.as_str()));
    }
}

/// The registered values, newest last.
struct Registered(VecDeque<Zeroizing<String>>);

impl Registered {
    fn add(&mut self, value: &str) {
        if value.chars().count() < MIN_REGISTERED_LEN {
            return;
        }
        // Debug formatting (`?field`) escapes quotes and backslashes, so that form is kept too.
        let escaped = Zeroizing::new(format!("{value:?}"));
        let escaped = &escaped[1..escaped.len() - 1];
        for form in [value, escaped] {
            if self.0.iter().any(|r| r.as_str() == form) {
                continue;
            }
            if self.0.len() >= MAX_REGISTERED {
                self.0.pop_front();
            }
            self.0.push_back(Zeroizing::new(form.to_string()));
        }
    }

    fn scrub(&self, text: &mut String) {
        // Longest first, so that a value containing another is not left half scrubbed.
        let mut values: Vec<&str> = self.0.iter().map(|v| v.as_str()).collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        for value in values {
            if text.contains(value) {
                *text = text.replace(value, REDACTED);
            }
        }
    }
}

/// A quoted value: "…" with escapes, \"…\" (inside a Debug-formatted string) or '…'.
const QUOTED: &str = r#""(?:[^"\\]|\\.)*"|\\+"(?:[^"\\]|\\[^"])*\\+"|'[^']*'"#;

/// `OAuth realm="…", oauth_consumer_key="…", …`: the whole parameter list of the header.
static OAUTH_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    let param = format!(r#"[\w.-]+\s*=\s*(?:{QUOTED}|[^\s,"'\\]*)"#);
    Regex::new(&format!(r"(?i)\bOAuth\s+{param}(?:\s*,\s*{param})*")).expect("valid regex")
});

/// `name=value`, `name: value`, `"name": "value"` where the name says it holds a secret. The name must
/// start a word not preceded by `:`, so that a log target such as `tba_engine::keep::secrets:` is no key.
static SECRET_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?im)(?P<pre>^|[^:\w.-])(?P<key>[\w.-]*(?:secret|token|password|passwd|authorization|consumer_key|oauth_|signature|api_?key|private_?key|assertion|client_?id)[\w.-]*)(?P<sep>\\*["']?\s*[:=]\s*)(?:{QUOTED}|(?:(?:bearer|basic|digest|oauth)\s+)?[^\s:,;&}}"'\\][^\s,;&}}"'\\]*)"#
    ))
    .expect("valid regex")
});

/// A private key in PEM, from its BEGIN line to its END line (or, cut off, to where base64 stops), in
/// plain text or Debug-escaped (`\n`): the last line of its body is short, and no other pattern would
/// catch it.
static PEM_PRIVATE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)",
    )
    .expect("valid regex")
});

/// 32 or more hex digits: NetSuite's keys and tokens are 64.
static HEX_RUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9A-Fa-f]{32,}").expect("valid regex"));

/// 32 or more base64 (or base64url) characters; see `looks_random` for which of them are scrubbed.
static BASE64_RUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/_-]{32,}").expect("valid regex"));

/// A run with digits and letters is taken for a secret if it mixes cases or is one unbroken word;
/// lower-case paths (`/services/rest/record/v1/metadata-catalog`) and snake_case names are kept.
fn looks_random(run: &str) -> bool {
    let has = |f: fn(&u8) -> bool| run.as_bytes().iter().any(f);
    let (digit, lower, upper) = (
        has(u8::is_ascii_digit),
        has(u8::is_ascii_lowercase),
        has(u8::is_ascii_uppercase),
    );
    let separated = run.contains(['/', '-', '_']);
    digit && (lower || upper) && ((lower && upper) || !separated)
}

/// One formatted log line (or several), with every secret-looking value replaced by `[redacted]`.
pub fn redact(line: &str) -> String {
    let mut text = line.to_string();
    // Registered values first: a pattern might otherwise scrub only part of one.
    REGISTERED.lock().unwrap_or_else(|p| p.into_inner()).scrub(&mut text);
    let text = PEM_PRIVATE_KEY.replace_all(&text, format!("{REDACTED} (a private key)").as_str());
    let text = OAUTH_HEADER.replace_all(&text, format!("OAuth {REDACTED}").as_str());
    let text = SECRET_FIELD.replace_all(&text, |c: &Captures| {
        format!("{}{}{}{REDACTED}", &c["pre"], &c["key"], &c["sep"])
    });
    let text = HEX_RUN.replace_all(&text, REDACTED);
    let text = BASE64_RUN.replace_all(&text, |c: &Captures| {
        if looks_random(&c[0]) {
            REDACTED.to_string()
        } else {
            c[0].to_string()
        }
    });
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_lines_are_left_alone() {
        for line in [
            "2025-01-01T10:00:00.123456Z  INFO tba_engine::keep::secrets: stored the connection's fingerprints",
            "DEBUG tba_engine::netsuite::client: NetSuite request method=GET host=1234567-sb1.suitetalk.api.netsuite.com path=/services/rest/record/v1/metadata-catalog",
            "INFO tba_wizard: tba-wizard 0.1.0 starting: test",
            "connection 550e8400-e29b-41d4-a716-446655440000 saved; status=401 attempts=1",
            "some_long_snake_case_identifier_for_a_thing_v2 done",
        ] {
            assert_eq!(redact(line), line);
        }
    }

    #[test]
    fn patterns_catch_the_usual_shapes() {
        let cases = [
            ("token_secret=abc def", "token_secret=[redacted] def"),
            (
                r#"{"token_secret": "a\"b", "x": 1}"#,
                r#"{"token_secret": [redacted], "x": 1}"#,
            ),
            (
                r#"body="{\"consumer_key\":\"k1\"}""#,
                r#"body="{\"consumer_key\":[redacted]}""#,
            ),
            ("Authorization: Bearer abc.def", "Authorization: [redacted]"),
            (
                "Credentials { token_id: SecretBox<str>([REDACTED]) }",
                "Credentials { token_id: [redacted] }",
            ),
            (
                r#"OAuth realm="1", oauth_token="t", oauth_signature="s%3D" then"#,
                "OAuth [redacted] then",
            ),
            ("GET /x?a=1&oauth_nonce=n0&b=2", "GET /x?a=1&oauth_nonce=[redacted]&b=2"),
            ("key 0123456789abcdef0123456789ABCDEF!", "key [redacted]!"),
            (
                "blob dGhpcyBpcyBhIHNlY3JldCB2YWx1ZSBvZiAzMiBieXRlcw== end",
                "blob [redacted]== end",
            ),
        ];
        for (line, want) in cases {
            assert_eq!(redact(line), want, "{line}");
        }
    }

    #[test]
    fn oauth2_keys_assertions_and_client_ids_are_caught() {
        use crate::netsuite::oauth2::{
            client_assertion, AssertionParams, Certificate, KeyKind, PrivateKey, Scope, ScopeForm,
        };
        use std::time::{Duration, SystemTime};
        let client_id = "6f1e3d2c1b0a99887766554433221100ffeeddccbbaa00112233445566778899";
        for kind in [KeyKind::P256, KeyKind::P521] {
            let key = PrivateKey::generate(kind).unwrap();
            let now = SystemTime::now();
            let cert = Certificate::self_signed(&key, "t", 1, now - Duration::from_secs(5)).unwrap();
            let id = SecretString::from(client_id);
            let jwt = client_assertion(
                &key,
                &cert,
                &AssertionParams {
                    client_id: &id,
                    certificate_id: "CERT1",
                    algorithm: kind.default_algorithm(),
                    scopes: &[Scope::RestWebservices],
                    scope_form: ScopeForm::JsonArray,
                    audience: "https://x/token",
                    issued_at: now,
                    lifetime: Duration::from_secs(300),
                },
            )
            .unwrap();
            let jwt = jwt.expose_secret();
            let pem = key.to_pkcs8_pem().unwrap();
            let body = pem.lines().nth(1).unwrap().to_string();
            let lines = [
                format!("sent {jwt}"),
                format!("form grant_type=client_credentials&client_assertion={jwt}&x=1"),
                format!("pasted {}", pem.as_str()),
                format!(r#"item {{"client_id":"{client_id}","private_key_pkcs8":"{body}"}}"#),
                "client_id=abc-short".to_string(),
            ];
            for line in lines {
                let out = redact(&line);
                // No 16 characters in a row of any secret part survive (all of a shorter one).
                for part in jwt.split('.').chain([body.as_str(), client_id, "abc-short"]) {
                    let window = part.len().min(16);
                    for start in (0..=part.len() - window).step_by(4) {
                        assert!(!out.contains(&part[start..start + window]), "{kind}: {out}");
                    }
                }
            }
        }
    }

    #[test]
    fn whole_pem_private_keys_go_short_last_line_included() {
        use crate::netsuite::oauth2::{KeyKind, PrivateKey};
        for kind in [
            KeyKind::P256,
            KeyKind::P384,
            KeyKind::P521,
            KeyKind::Rsa3072,
            KeyKind::Rsa4096,
        ] {
            let pem = PrivateKey::generate(kind).unwrap().to_pkcs8_pem().unwrap();
            let pem = pem.as_str();
            let body: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            let cut = &pem[..pem.len() / 2];
            for line in [
                format!("pasted {pem} then"),
                format!("debug {pem:?} then"),
                format!("cut off {cut}"),
                format!("cut off {cut:?}"),
            ] {
                let out = redact(&line);
                for part in body.iter().filter(|p| p.len() >= 4) {
                    assert!(!out.contains(part), "{kind}: {part} in {out}");
                }
                assert!(out.contains("[redacted] (a private key)"), "{kind}: {out}");
            }
            assert!(redact(&format!("pasted {pem} then")).ends_with(" then"));
        }
    }

    #[test]
    fn the_registry_keeps_the_newest_values() {
        let mut registry = Registered(VecDeque::new());
        let values: Vec<String> = (0..MAX_REGISTERED + 5).map(|i| format!("value-{i:03}")).collect();
        for v in &values {
            registry.add(v);
        }
        registry.add("abc");
        assert_eq!(registry.0.len(), MAX_REGISTERED);
        assert_eq!(registry.0.back().unwrap().as_str(), values.last().unwrap());
        let mut text = format!("{} {} abc", values[0], values[MAX_REGISTERED + 4]);
        registry.scrub(&mut text);
        assert_eq!(text, format!("{} {REDACTED} abc", values[0]));
    }
}
