//! The engine's OAuth 2.0 client credentials against the NetSuite stand-in (tests/standin), which
//! verifies each assertion with PyJWT and cryptography against the uploaded certificate, never with this
//! crate's code: an assertion of each algorithm is accepted and its token opens the REST API, and a wrong
//! key, a wrong Certificate ID, an expired or revoked certificate, a wrong `aud`, a wrong Client ID and a
//! scope not ticked are refused, each with its own reason in the stand-in's audit trail and its own first
//! cause in the engine's report; a far-off clock is caught before the token request is sent.
//!
//! Needs Python with the packages of tests/requirements.txt (`.venv` at the repository's root, else
//! `python3`); without them the tests fail rather than skip.

use secrecy::SecretString;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};
use tba_engine::netsuite::client::{parse_base_url, Auth};
use tba_engine::netsuite::oauth2::{
    Algorithm, AssertionError, Certificate, CertificateError, KeyKind, M2mCredentials, PrivateKey, Scope, ScopeForm,
};
use tba_engine::{Account, CancellationToken, ClientOptions, NetSuiteClient, Outcome};

const CLIENT_ID: &str = "3f1a9c0e5b7d2468ace13579bdf02468ace13579bdf02468ace13579bdf0246a";
const DAY: Duration = Duration::from_secs(86_400);

/// The stand-in as its own process, ended when dropped.
struct Standin {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Standin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Standin {
    fn start() -> Standin {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let venv = root.join(".venv/bin/python");
        let python = if venv.exists() { venv } else { PathBuf::from("python3") };
        let mut child = Command::new(python)
            .arg(root.join("tests/standin/netsuite_standin.py"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the stand-in needs Python");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("the stand-in did not start: {line:?}"))
            .to_string();
        Standin {
            child,
            base,
            http: reqwest::Client::new(),
        }
    }

    async fn config(&self, body: serde_json::Value) {
        let r = self
            .http
            .post(format!("{}/__standin/config", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    /// The record integration plus one mapping of `certificate` under `kid`.
    async fn map(&self, kid: &str, certificate: &Certificate, scopes: &[&str]) {
        self.config(serde_json::json!({
            "m2m_clients": [{"client_id": CLIENT_ID, "scopes": scopes}],
            "m2m_certificates": [{"certificate_id": kid, "pem": certificate.pem, "client_id": CLIENT_ID}],
        }))
        .await;
    }

    /// The stand-in's reason for its last verdict on a token request or bearer call.
    async fn last_reason(&self) -> String {
        let audit: serde_json::Value = self
            .http
            .get(format!("{}/__standin/audit", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let last = audit["audit"].as_array().unwrap().last().cloned().unwrap_or_default();
        last["reason"].as_str().unwrap_or_default().to_string()
    }

    async fn recorded(&self) -> Vec<serde_json::Value> {
        let r: serde_json::Value = self
            .http
            .get(format!("{}/__standin/requests", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["requests"].as_array().unwrap().clone()
    }

    async fn requests(&self) -> usize {
        self.recorded().await.len()
    }

    /// The token requests received: the requests that carried an assertion.
    async fn token_requests(&self) -> usize {
        self.recorded()
            .await
            .iter()
            .filter(|r| r["method"] == "POST" && r["path"] == "/services/rest/auth/oauth2/v1/token")
            .count()
    }

    async fn faults(&self, queue: serde_json::Value) {
        let r = self
            .http
            .post(format!("{}/__standin/faults", self.base))
            .json(&serde_json::json!({ "queue": queue }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    fn client(&self) -> NetSuiteClient {
        let options = ClientOptions {
            base_url: Some(parse_base_url(&self.base).unwrap()),
            timeout: Duration::from_secs(20),
            ..Default::default()
        };
        NetSuiteClient::new(Account::parse("1234567_SB1").unwrap(), options).unwrap()
    }
}

fn pair(kind: KeyKind) -> (PrivateKey, Certificate) {
    let key = PrivateKey::generate(kind).unwrap();
    let cert = Certificate::self_signed(
        &key,
        "tba-wizard test",
        730,
        SystemTime::now() - Duration::from_secs(60),
    )
    .unwrap();
    (key, cert)
}

fn creds(key: PrivateKey, certificate: Certificate, kid: &str, algorithm: Algorithm) -> M2mCredentials {
    M2mCredentials {
        key,
        certificate,
        client_id: SecretString::from(CLIENT_ID),
        certificate_id: kid.into(),
        algorithm,
        scopes: vec![Scope::RestWebservices],
        scope_form: ScopeForm::JsonArray,
    }
}

fn first_cause(report: &tba_engine::Report) -> &'static str {
    report.causes.first().map_or("", |c| c.id)
}

#[tokio::test]
async fn an_assertion_of_each_algorithm_is_accepted_and_its_token_opens_rest() {
    let s = Standin::start();
    let cancel = CancellationToken::new();
    let cases = [
        (KeyKind::P256, Algorithm::ES256),
        (KeyKind::P384, Algorithm::ES384),
        (KeyKind::P521, Algorithm::ES512),
        (KeyKind::Rsa3072, Algorithm::PS256),
        (KeyKind::Rsa3072, Algorithm::PS384),
        (KeyKind::Rsa4096, Algorithm::PS512),
    ];
    for (kind, algorithm) in cases {
        let (key, cert) = pair(kind);
        let kid = format!("CERT-{algorithm}");
        s.map(&kid, &cert, &["rest_webservices"]).await;
        let answer = s
            .client()
            .m2m_test(&creds(key, cert, &kid, algorithm), &cancel)
            .await
            .unwrap();
        assert_eq!(
            answer.report.outcome,
            Outcome::Success,
            "{algorithm}: {:?}",
            answer.report
        );
        assert!(answer
            .report
            .proven
            .iter()
            .any(|p| p.contains("issued an access token")));
        let token = answer.token.expect("a token");
        let probe = s
            .client()
            .probe_with(
                Auth::Bearer(&token),
                "SELECT id FROM customer",
                "Lists > Customers",
                &cancel,
            )
            .await;
        assert_eq!(probe.outcome, Outcome::Success, "{algorithm}");
        assert_eq!(s.last_reason().await, "ok");
    }
    // The comma-separated scope, Oracle's text's form, is accepted too.
    let (key, cert) = pair(KeyKind::P256);
    s.map("CERT-COMMA", &cert, &["rest_webservices"]).await;
    let mut c = creds(key, cert, "CERT-COMMA", Algorithm::ES256);
    c.scope_form = ScopeForm::CommaSeparated;
    assert_eq!(
        s.client().m2m_token(&c, &cancel).await.unwrap().report.outcome,
        Outcome::Success
    );
}

#[tokio::test]
async fn each_call_of_the_test_is_told_as_it_starts() {
    use std::sync::Mutex;
    use tba_engine::netsuite::stage::TestStage;
    let s = Standin::start();
    let cancel = CancellationToken::new();
    let (key, cert) = pair(KeyKind::P256);
    s.map("CERT1", &cert, &["rest_webservices"]).await;
    let told = Mutex::new(Vec::new());
    let tell = |stage: TestStage| told.lock().unwrap().push(stage);
    let answer = s
        .client()
        .m2m_test_telling(&creds(key, cert, "CERT1", Algorithm::ES256), &cancel, &tell)
        .await
        .unwrap();
    assert_eq!(answer.report.outcome, Outcome::Success);
    assert_eq!(
        std::mem::take(&mut *told.lock().unwrap()),
        [TestStage::AskingForToken, TestStage::SignedCall]
    );

    // No token (another key under CERT1's ID), no test call: nothing is said about one.
    let (other, other_cert) = pair(KeyKind::P256);
    let answer = s
        .client()
        .m2m_test_telling(&creds(other, other_cert, "CERT1", Algorithm::ES256), &cancel, &tell)
        .await
        .unwrap();
    assert!(answer.token.is_none());
    assert_eq!(*told.lock().unwrap(), [TestStage::AskingForToken]);
}

#[tokio::test]
async fn a_wrong_key_or_certificate_id_is_refused_with_the_mapping_first() {
    let s = Standin::start();
    let cancel = CancellationToken::new();
    let (_, uploaded) = pair(KeyKind::P256);
    s.map("CERT1", &uploaded, &["rest_webservices"]).await;

    // Another key (with its own certificate, so the engine's own checks pass) under CERT1's ID.
    let (key, cert) = pair(KeyKind::P256);
    let answer = s
        .client()
        .m2m_test(&creds(key, cert, "CERT1", Algorithm::ES256), &cancel)
        .await
        .unwrap();
    assert!(answer.token.is_none());
    assert_eq!(answer.report.outcome, Outcome::CredentialsRefused);
    assert_eq!(answer.report.http_status, Some(400));
    assert_eq!(first_cause(&answer.report), "certificate_id");
    assert!(answer
        .report
        .audit_trail
        .as_ref()
        .unwrap()
        .detail_values
        .iter()
        .any(|d| d.value == "InvalidSignature"));
    assert_eq!(s.last_reason().await, "bad_signature");

    // A Certificate ID no mapping has: NetSuite's bare 500 server_error.
    let (key, cert) = pair(KeyKind::P256);
    s.map("CERT2", &cert, &["rest_webservices"]).await;
    let answer = s
        .client()
        .m2m_test(&creds(key, cert, "CERT-TYPO", Algorithm::ES256), &cancel)
        .await
        .unwrap();
    assert_eq!(answer.report.outcome, Outcome::CredentialsRefused);
    assert_eq!(answer.report.error_code.as_deref(), Some("server_error"));
    assert!(answer.report.summary.contains("HTTP 500"), "{}", answer.report.summary);
    assert_eq!(first_cause(&answer.report), "certificate_id");
    assert_eq!(s.last_reason().await, "unknown_kid");
}

#[tokio::test]
async fn an_expired_certificate_is_caught_before_sending_and_refused_by_netsuite() {
    let s = Standin::start();
    let cancel = CancellationToken::new();
    let key = PrivateKey::generate(KeyKind::P256).unwrap();
    let expired = Certificate::self_signed(&key, "old", 30, SystemTime::now() - DAY * 40).unwrap();
    s.map("OLD", &expired, &["rest_webservices"]).await;
    let before = s.requests().await;

    // The engine's own check: nothing is sent with an expired certificate.
    let der = key.to_pkcs8_der().unwrap();
    let err = s
        .client()
        .m2m_token(&creds(key, expired, "OLD", Algorithm::ES256), &cancel)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AssertionError::Certificate(CertificateError::Expired(_))),
        "{err}"
    );
    assert_eq!(s.requests().await, before);

    // NetSuite's: the mapping holds the expired certificate while the engine holds a fresh one of the
    // same key (as after a renewal that was never uploaded).
    let key = PrivateKey::from_pkcs8_der(&der).unwrap();
    let fresh = Certificate::self_signed(&key, "new", 30, SystemTime::now() - Duration::from_secs(60)).unwrap();
    let answer = s
        .client()
        .m2m_token(&creds(key, fresh, "OLD", Algorithm::ES256), &cancel)
        .await
        .unwrap();
    assert_eq!(answer.report.outcome, Outcome::CredentialsRefused);
    assert!(answer.report.causes.iter().any(|c| c.id == "certificate_revoked"));
    assert_eq!(s.last_reason().await, "certificate_expired");

    // A revoked mapping is refused the same way.
    let (key, cert) = pair(KeyKind::P256);
    s.map("REVOKED", &cert, &["rest_webservices"]).await;
    s.config(serde_json::json!({"m2m_revoke": ["REVOKED"]})).await;
    let answer = s
        .client()
        .m2m_token(&creds(key, cert, "REVOKED", Algorithm::ES256), &cancel)
        .await
        .unwrap();
    assert_eq!(answer.report.outcome, Outcome::CredentialsRefused);
    assert_eq!(s.last_reason().await, "certificate_revoked");
}

#[tokio::test]
async fn the_aud_must_be_the_url_posted_to() {
    let s = Standin::start();
    let (key, cert) = pair(KeyKind::P256);
    s.map("CERT1", &cert, &["rest_webservices"]).await;
    let c = creds(key, cert, "CERT1", Algorithm::ES256);
    let url = s.client().token_url();
    assert_eq!(url.as_str(), format!("{}/services/rest/auth/oauth2/v1/token", s.base));
    let post = |audience: String| {
        let assertion = c.assertion(&audience, SystemTime::now()).unwrap();
        let form = [
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", secrecy::ExposeSecret::expose_secret(&assertion)),
        ];
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        s.http
            .post(url.clone())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // The same hand-made request with the right aud is accepted, so only the aud differs below.
    assert_eq!(post(url.to_string()).await.unwrap().status(), 200);
    let production = "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token";
    assert_eq!(post(production.to_string()).await.unwrap().status(), 400);
    assert_eq!(s.last_reason().await, "wrong_aud");
}

#[tokio::test]
async fn client_id_scope_and_clock_each_lead_their_refusal() {
    let s = Standin::start();
    let cancel = CancellationToken::new();

    // A Client ID of no integration record.
    let (key, cert) = pair(KeyKind::P256);
    s.map("CERT1", &cert, &["rest_webservices"]).await;
    let mut c = creds(key, cert, "CERT1", Algorithm::ES256);
    c.client_id = SecretString::from("0".repeat(64));
    let answer = s.client().m2m_token(&c, &cancel).await.unwrap();
    assert_eq!(answer.report.outcome, Outcome::CredentialsRefused);
    assert_eq!(s.last_reason().await, "unknown_client");
    assert!(
        !format!("{answer:?}").contains(&"0".repeat(64)),
        "the Client ID never shows"
    );

    // A scope the record does not tick.
    let (key, cert) = pair(KeyKind::P256);
    s.map("CERT2", &cert, &["rest_webservices"]).await;
    let mut c = creds(key, cert, "CERT2", Algorithm::ES256);
    c.scopes = vec![Scope::RestWebservices, Scope::SuiteAnalytics];
    let answer = s.client().m2m_token(&c, &cancel).await.unwrap();
    assert_eq!(answer.report.outcome, Outcome::CredentialsRefused);
    assert_eq!(s.last_reason().await, "scope_not_ticked");
    let scope = answer.report.causes.iter().find(|c| c.id == "scope").unwrap();
    assert!(scope.message.contains("SUITEANALYTICS CONNECT"), "{}", scope.message);

    // A token for RESTlets only: issued, then refused by the REST API with the bearer call's causes.
    let (key, cert) = pair(KeyKind::P256);
    s.map("CERT3", &cert, &["rest_webservices", "restlets"]).await;
    let mut c = creds(key, cert, "CERT3", Algorithm::ES256);
    c.scopes = vec![Scope::Restlets];
    let answer = s.client().m2m_test(&c, &cancel).await.unwrap();
    assert!(answer.token.is_some());
    assert_eq!(answer.report.outcome, Outcome::CredentialsRefused);
    let ids: Vec<&str> = answer.report.causes.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["role_oauth2_permission", "scope", "token_expired"]);
    assert_eq!(s.last_reason().await, "token_scope");
}

#[tokio::test]
async fn a_clock_too_far_off_keeps_the_token_request_from_being_sent() {
    let s = Standin::start();
    let cancel = CancellationToken::new();
    let (key, cert) = pair(KeyKind::P256);
    s.map("CERT1", &cert, &["rest_webservices"]).await;
    let c = creds(key, cert, "CERT1", Algorithm::ES256);

    // NetSuite's clock 15 minutes ahead (NetSuite would find the assertion expired on arrival), then
    // behind (its iat in the future): refused, the clock first, and no token request reaches NetSuite.
    // The Date header has whole seconds, so the offset read may be a second short: only the words are
    // certain.
    for (skew, drift) in [(900i64, "behind NetSuite's"), (-420, "ahead of NetSuite's")] {
        s.config(serde_json::json!({ "clock_skew_seconds": skew })).await;
        let before = s.token_requests().await;
        let answer = s.client().m2m_test(&c, &cancel).await.unwrap();
        let report = &answer.report;
        assert!(answer.token.is_none());
        assert_eq!(report.outcome, Outcome::CredentialsRefused, "{report:?}");
        assert_eq!(first_cause(report), "clock");
        assert_eq!(report.causes[0].step, tba_engine::netsuite::outcome::Step::Clock);
        assert!(report.summary.contains(drift), "{}", report.summary);
        assert!(report.summary.contains("was not sent"), "{}", report.summary);
        assert!(report.summary.contains("update automatically"), "{}", report.summary);
        assert_eq!((report.http_status, report.attempts), (None, 0));
        assert_eq!(report.clock.map(|c| c.offset_seconds.signum()), Some(skew.signum()));
        assert_eq!(
            s.token_requests().await,
            before,
            "skew {skew}: a token request was sent"
        );
    }

    // A minute off is within NetSuite's five: the token comes, with nothing said of the clock.
    s.config(serde_json::json!({ "clock_skew_seconds": 60 })).await;
    let answer = s.client().m2m_test(&c, &cancel).await.unwrap();
    assert_eq!(answer.report.outcome, Outcome::Success, "{:?}", answer.report);
    assert!(answer.report.warnings.is_empty(), "{:?}", answer.report.warnings);
    assert_eq!(s.last_reason().await, "ok");

    // NetSuite's time unreadable (no Date; the clock check's connection dropped): the request goes
    // anyway, and a refusal is still NetSuite's own. With no Date, the clock cannot be named.
    s.config(serde_json::json!({ "clock_skew_seconds": 900, "send_date_header": false }))
        .await;
    let before = s.token_requests().await;
    let answer = s.client().m2m_token(&c, &cancel).await.unwrap();
    assert_eq!(answer.report.outcome, Outcome::CredentialsRefused);
    assert_eq!(answer.report.clock, None);
    assert_eq!(s.token_requests().await, before + 1);
    assert_eq!(s.last_reason().await, "assertion_expired");
    s.config(serde_json::json!({ "clock_skew_seconds": 0, "send_date_header": true }))
        .await;
    s.faults(serde_json::json!(["close"])).await;
    let answer = s.client().m2m_token(&c, &cancel).await.unwrap();
    assert_eq!(answer.report.outcome, Outcome::Success, "{:?}", answer.report);
    let kinds: Vec<String> = s
        .recorded()
        .await
        .iter()
        .rev()
        .take(2)
        .map(|r| format!("{} {}", r["method"], r["fault"]))
        .collect();
    assert_eq!(kinds, ["\"POST\" null", "\"HEAD\" \"close\""]);

    // Cancelled before the clock is read: nothing at all is sent.
    let cancelled = CancellationToken::new();
    cancelled.cancel();
    let before = s.requests().await;
    let answer = s.client().m2m_token(&c, &cancelled).await.unwrap();
    assert_eq!(answer.report.outcome, Outcome::NetworkError);
    assert_eq!(s.requests().await, before);
}

/// A log sink shared with the subscriber.
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_key_assertion_token_or_client_id_reaches_the_logs() {
    let logs = Logs::default();
    let sink = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .try_init()
        .expect("this test is the only one here to set the global subscriber");
    let s = Standin::start();
    let cancel = CancellationToken::new();
    let (key, cert) = pair(KeyKind::P256);
    let pem = key.to_pkcs8_pem().unwrap();
    let der = key.to_pkcs8_der().unwrap();
    s.map("CERT-LOGS", &cert, &["rest_webservices"]).await;
    let c = creds(key, cert, "CERT-LOGS", Algorithm::ES256);
    let answer = s.client().m2m_test(&c, &cancel).await.unwrap();
    assert_eq!(answer.report.outcome, Outcome::Success);
    let token = answer.token.unwrap();
    s.client()
        .probe_with(
            Auth::Bearer(&token),
            "SELECT id FROM customer",
            "Lists > Customers",
            &cancel,
        )
        .await;
    // A refused one too: refusals log their own lines.
    let wrong = creds(
        PrivateKey::from_pkcs8_der(&der).unwrap(),
        c.certificate.clone(),
        "NOPE",
        Algorithm::ES256,
    );
    let refused = s.client().m2m_test(&wrong, &cancel).await.unwrap();
    assert_eq!(refused.report.outcome, Outcome::CredentialsRefused);

    // What went over the wire, as the stand-in recorded it: the assertions and the bearer tokens.
    let recorded: serde_json::Value = s
        .http
        .get(format!("{}/__standin/requests", s.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut secrets: Vec<String> = vec![CLIENT_ID.to_string()];
    for r in recorded["requests"].as_array().unwrap() {
        if let Some(auth) = r["headers"]["authorization"].as_str() {
            secrets.push(auth.trim_start_matches("Bearer ").to_string());
        }
        let body = r["body"].as_str().unwrap_or_default();
        if let Some(jwt) = body.split("client_assertion=").nth(1) {
            // The claims (the Client ID inside) and the signature; the header is the same for everyone.
            secrets.extend(jwt.split('&').next().unwrap().split('.').skip(1).map(str::to_string));
        }
    }
    assert!(secrets.len() >= 6, "assertions and tokens were seen: {}", secrets.len());
    use base64::Engine as _;
    secrets.push(base64::engine::general_purpose::STANDARD.encode(&*der));
    secrets.extend(pem.lines().filter(|l| !l.starts_with("-----")).map(str::to_string));

    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(
        text.contains("NetSuite request"),
        "the engine's own lines were captured:\n{text}"
    );
    for secret in &secrets {
        let window = secret.len().min(16);
        for start in (0..=secret.len() - window).step_by(4) {
            let part = &secret[start..start + window];
            assert!(!text.contains(part), "{part} of a secret is in the logs");
        }
    }
}
