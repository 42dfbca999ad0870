//! The engine's client of NetSuite's OAuth 2.0 certificate endpoint (rotation by API) against the NetSuite
//! stand-in (tests/standin), which verifies tokens and uploaded certificates with PyJWT and cryptography,
//! never with this crate's code: a new certificate uploaded like the current mapping gets its own
//! Certificate ID, whose key then gets a token; an answer without the ID is made up for by listing again;
//! a role without the permission, a refused token, a garbled list and NetSuite's own refusals each give
//! their error, with the mapping page as the way out; a revoked certificate gets no more tokens; and no
//! error, `Debug` or log line shows the Client ID or a token.
//!
//! Needs Python with the packages of tests/requirements.txt (`.venv` at the repository's root, else
//! `python3`); without them the tests fail rather than skip.

use secrecy::SecretString;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};
use tba_engine::netsuite::client::{parse_base_url, CertificateApiError};
use tba_engine::netsuite::oauth2::{Algorithm, Certificate, KeyKind, M2mCredentials, PrivateKey, Scope, ScopeForm};
use tba_engine::{Account, CancellationToken, ClientOptions, ErrorCode, NetSuiteClient, Outcome};

const CLIENT_ID: &str = "7c2e9a41d3b5f6081a2c4e6f8091b3d5e7f9a1c3e5f7091b2d4f6a8c0e2a4c6e";
const CERTIFICATES: &str =
    "/services/rest/auth/oauth2/v1/clients/7c2e9a41d3b5f6081a2c4e6f8091b3d5e7f9a1c3e5f7091b2d4f6a8c0e2a4c6e/certificates";
const MAPPING_PAGE: &str = "OAuth 2.0 Client Credentials (M2M) Setup";

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

    /// The integration record, whose role may manage its own certificates or not.
    async fn integration(&self, manage_certificates: bool) {
        self.config(serde_json::json!({
            "m2m_clients": [{"client_id": CLIENT_ID, "scopes": ["rest_webservices"],
                             "manage_certificates": manage_certificates}],
        }))
        .await;
    }

    /// One mapping of `certificate` under `kid`, for `entity` and `role`.
    async fn map(&self, kid: &str, certificate: &Certificate, entity: &str, role: &str) {
        self.config(serde_json::json!({
            "m2m_certificates": [{"certificate_id": kid, "pem": certificate.pem, "client_id": CLIENT_ID,
                                  "entity": entity, "role": role}],
        }))
        .await;
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

    async fn get(&self, what: &str) -> serde_json::Value {
        self.http
            .get(format!("{}/__standin/{what}", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn recorded(&self) -> Vec<serde_json::Value> {
        self.get("requests").await["requests"].as_array().unwrap().clone()
    }

    /// The calls of the certificate endpoint, as "METHOD path-after-certificates".
    async fn certificate_calls(&self) -> Vec<String> {
        self.recorded()
            .await
            .iter()
            .filter_map(|r| {
                let path = r["path"].as_str()?;
                let rest = path.strip_prefix(CERTIFICATES)?;
                Some(format!("{} {rest}", r["method"].as_str()?).trim_end().to_string())
            })
            .collect()
    }

    /// The last audit entry: the stand-in's verdict on a token request or bearer call.
    async fn last_audit(&self) -> serde_json::Value {
        self.get("audit").await["audit"]
            .as_array()
            .unwrap()
            .last()
            .cloned()
            .unwrap_or_default()
    }

    /// Every Bearer token the stand-in saw.
    async fn tokens_seen(&self) -> Vec<String> {
        self.recorded()
            .await
            .iter()
            .filter_map(|r| r["headers"]["authorization"].as_str())
            .filter_map(|a| a.strip_prefix("Bearer "))
            .map(str::to_string)
            .collect()
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

fn creds(key: PrivateKey, certificate: Certificate, kid: &str) -> M2mCredentials {
    let algorithm = match key.kind() {
        KeyKind::P256 => Algorithm::ES256,
        KeyKind::P384 => Algorithm::ES384,
        KeyKind::P521 => Algorithm::ES512,
        _ => Algorithm::PS256,
    };
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

/// A stand-in with the integration (its role allowed to manage certificates or not) and the current
/// mapping CURRENT for entity 12 and role 1099; the current credentials.
async fn with_current(manage_certificates: bool) -> (Standin, M2mCredentials) {
    let s = Standin::start();
    s.integration(manage_certificates).await;
    let (key, cert) = pair(KeyKind::P256);
    s.map("CURRENT", &cert, "12", "1099").await;
    (s, creds(key, cert, "CURRENT"))
}

/// Nothing an error says or shows in `Debug` holds the Client ID or a token the stand-in saw.
async fn assert_shows_no_secret(s: &Standin, e: &CertificateApiError) {
    let shown = format!("{e}\n{e:?}");
    assert!(!shown.contains(CLIENT_ID), "{shown}");
    assert!(!shown.contains(&CLIENT_ID[..16]), "{shown}");
    for token in s.tokens_seen().await {
        assert!(!shown.contains(&token), "{shown}");
    }
}

#[tokio::test]
async fn a_certificate_uploaded_like_the_current_one_gets_its_id_and_then_a_token() {
    let (s, current) = with_current(true).await;
    let cancel = CancellationToken::new();
    let (new_key, new_cert) = pair(KeyKind::P384);
    // A private key pasted along with the certificate is never sent.
    let pasted = format!("{}\n{}", &*new_key.to_pkcs8_pem().unwrap(), new_cert.pem);
    let new_id = s
        .client()
        .upload_like_current(&current, &pasted, false, &cancel)
        .await
        .unwrap();
    assert_ne!(new_id, "CURRENT");
    assert_eq!(s.certificate_calls().await, ["GET", "POST"]);
    let upload = s
        .recorded()
        .await
        .into_iter()
        .rfind(|r| r["method"] == "POST" && r["path"] == CERTIFICATES)
        .unwrap();
    assert_eq!(upload["outcome"], format!("certapi:uploaded:{new_id}"));
    assert_eq!(upload["headers"]["content-type"], "application/json");
    assert!(upload["headers"].get("prefer").is_none());
    let sent: serde_json::Value = serde_json::from_str(upload["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["role"], 1099);
    assert_eq!(sent["entity"], 12);
    assert_eq!(sent["fileContent"], new_cert.pem.as_str());
    assert!(!upload["body"].as_str().unwrap().contains("PRIVATE KEY"));

    // The new key, under the new Certificate ID, gets a token that opens the REST API.
    let new = creds(new_key, new_cert, &new_id);
    let answer = s.client().m2m_test(&new, &cancel).await.unwrap();
    assert_eq!(answer.report.outcome, Outcome::Success, "{:?}", answer.report);
    assert_eq!(s.last_audit().await["kid"], new_id.as_str());

    // The list now shows both, read from the stand-in's own shape.
    let list = s.client().list_certificates(&current, &cancel).await.unwrap();
    let mut ids: Vec<&str> = list.iter().map(|e| e.certificate_id.as_str()).collect();
    ids.sort();
    let mut want = vec!["CURRENT", new_id.as_str()];
    want.sort();
    assert_eq!(ids, want);
    let added = list.iter().find(|e| e.certificate_id == new_id).unwrap();
    assert_eq!(
        (added.entity.as_deref(), added.role.as_deref(), added.revoked),
        (Some("12"), Some("1099"), Some(false))
    );
    assert!(added.valid_until.is_some());
}

#[tokio::test]
async fn an_answer_without_the_id_is_made_up_for_by_the_location_or_by_listing_again() {
    let (s, current) = with_current(true).await;
    let cancel = CancellationToken::new();

    s.config(serde_json::json!({"certificate_upload_answer": "location"}))
        .await;
    let (_, cert) = pair(KeyKind::P256);
    let from_location = s
        .client()
        .upload_like_current(&current, &cert.pem, false, &cancel)
        .await
        .unwrap();
    assert_eq!(s.certificate_calls().await, ["GET", "POST"]);

    s.config(serde_json::json!({"certificate_upload_answer": "empty"}))
        .await;
    let (new_key, new_cert) = pair(KeyKind::P256);
    let from_listing = s
        .client()
        .upload_like_current(&current, &new_cert.pem, false, &cancel)
        .await
        .unwrap();
    assert_eq!(
        s.certificate_calls().await,
        ["GET", "POST", "GET", "POST", "GET"],
        "listed again after the empty answer"
    );
    assert!(![from_location.as_str(), "CURRENT"].contains(&from_listing.as_str()));
    let recorded = s.recorded().await;
    assert!(recorded
        .iter()
        .any(|r| r["outcome"] == format!("certapi:uploaded:{from_location}")));
    assert!(recorded
        .iter()
        .any(|r| r["outcome"] == format!("certapi:uploaded:{from_listing}")));
    let new = creds(new_key, new_cert, &from_listing);
    assert_eq!(
        s.client().m2m_token(&new, &cancel).await.unwrap().report.outcome,
        Outcome::Success
    );

    // The empty answer's upload alone: NetSuite accepted it, and it does not say the ID.
    let (_, cert) = pair(KeyKind::P256);
    let id = s
        .client()
        .upload_certificate(&current, &cert.pem, "1099", "12", &cancel)
        .await
        .unwrap();
    assert_eq!(id, None);
}

#[tokio::test]
async fn without_the_permission_the_error_names_it_and_the_mapping_page() {
    let (s, current) = with_current(false).await;
    let cancel = CancellationToken::new();
    let (_, cert) = pair(KeyKind::P256);
    let e = s
        .client()
        .upload_like_current(&current, &cert.pem, false, &cancel)
        .await
        .unwrap_err();
    assert!(matches!(e, CertificateApiError::NotPermitted), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("Manage own OAuth 2.0 Client Credentials certificates"),
        "{text}"
    );
    assert!(text.contains(MAPPING_PAGE), "{text}");
    assert_eq!(e.error_code(), ErrorCode::Refused);
    // Refused at the list: nothing was uploaded.
    assert_eq!(s.certificate_calls().await, ["GET"]);
    assert_shows_no_secret(&s, &e).await;
    let e = s
        .client()
        .revoke_certificate(&current, "CURRENT", &cancel)
        .await
        .unwrap_err();
    assert!(matches!(e, CertificateApiError::NotPermitted), "{e:?}");
}

#[tokio::test]
async fn a_revoked_certificate_gets_no_more_tokens() {
    let (s, current) = with_current(true).await;
    let cancel = CancellationToken::new();
    let (old_key, old_cert) = pair(KeyKind::P256);
    s.map("OLD", &old_cert, "12", "1099").await;
    let old = creds(old_key, old_cert, "OLD");
    assert_eq!(
        s.client().m2m_token(&old, &cancel).await.unwrap().report.outcome,
        Outcome::Success
    );

    s.client().revoke_certificate(&current, "OLD", &cancel).await.unwrap();
    assert_eq!(s.certificate_calls().await, ["POST /OLD/revoke"]);
    let refused = s.client().m2m_token(&old, &cancel).await.unwrap();
    assert_eq!(refused.report.outcome, Outcome::CredentialsRefused);
    assert_eq!(s.last_audit().await["reason"], "certificate_revoked");
    let list = s.client().list_certificates(&current, &cancel).await.unwrap();
    let revoked = list.iter().find(|e| e.certificate_id == "OLD").unwrap();
    assert_eq!(revoked.revoked, Some(true));
    // What is left for the same role and entity: the mapping in use first, then any other active one
    // (not one of another role, nor a revoked one).
    assert_eq!(s.client().active_like(&current, &cancel).await.unwrap(), ["CURRENT"]);
    let (_, kept) = pair(KeyKind::P256);
    s.map("KEPT", &kept, "12", "1099").await;
    let (_, elsewhere) = pair(KeyKind::P256);
    s.map("ELSEWHERE", &elsewhere, "12", "3").await;
    assert_eq!(
        s.client().active_like(&current, &cancel).await.unwrap(),
        ["CURRENT", "KEPT"]
    );

    // An unknown ID: NetSuite's 404, with what it may mean.
    let e = s
        .client()
        .revoke_certificate(&current, "NOPE", &cancel)
        .await
        .unwrap_err();
    assert!(matches!(e, CertificateApiError::Server { status: 404, .. }), "{e:?}");
    assert!(e.to_string().contains(MAPPING_PAGE), "{e}");
    assert_shows_no_secret(&s, &e).await;

    // An ID outside NetSuite's alphabet is refused before anything is sent: "." and ".." would vanish
    // from the URL and revoke the list itself, "/" and "%" would change the path.
    let calls = s.certificate_calls().await.len();
    for bad in [".", "..", "a/b", "%2e%2e", "a\u{202e}b", ""] {
        let e = s.client().revoke_certificate(&current, bad, &cancel).await.unwrap_err();
        assert!(matches!(e, CertificateApiError::Unreadable(_)), "{bad:?}: {e:?}");
        assert!(e.to_string().contains("Nothing was revoked"), "{e}");
    }
    assert_eq!(s.certificate_calls().await.len(), calls, "nothing was sent");
    // A real ID may start with "-".
    let dash = "-QjavVtnzeAPA_QdffgnTh9yPy6LbSGOYqNeJqtbKgU";
    let (dash_key, dash_cert) = pair(KeyKind::P256);
    s.map(dash, &dash_cert, "12", "1099").await;
    s.client().revoke_certificate(&current, dash, &cancel).await.unwrap();
    assert_eq!(
        s.certificate_calls().await.last().map(String::as_str),
        Some(format!("POST /{dash}/revoke").as_str())
    );
    let refused = s
        .client()
        .m2m_token(&creds(dash_key, dash_cert, dash), &cancel)
        .await
        .unwrap();
    assert_eq!(refused.report.outcome, Outcome::CredentialsRefused);

    // A revoked current certificate gets no token for the endpoint either.
    let (key, cert) = pair(KeyKind::P256);
    s.map("GONE", &cert, "12", "1099").await;
    let gone = creds(key, cert, "GONE");
    s.client().revoke_certificate(&gone, "GONE", &cancel).await.unwrap();
    let e = s.client().list_certificates(&gone, &cancel).await.unwrap_err();
    assert!(matches!(e, CertificateApiError::TokenRefused(_)), "{e:?}");
    assert_eq!(e.error_code(), ErrorCode::Refused);
    assert!(e.to_string().contains(MAPPING_PAGE), "{e}");
    assert_shows_no_secret(&s, &e).await;
}

#[tokio::test]
async fn an_upload_whose_answer_was_lost_is_found_again_never_made_twice() {
    let (s, current) = with_current(true).await;
    let cancel = CancellationToken::new();
    // Nothing was lost yet: looking first finds nothing, and the upload goes ahead.
    let (_, first) = pair(KeyKind::P256);
    let first_id = s
        .client()
        .upload_like_current(&current, &first.pem, true, &cancel)
        .await
        .unwrap();
    assert_eq!(s.certificate_calls().await, ["GET", "POST"]);

    // NetSuite makes the mapping, but its answer comes after the client gave up.
    let key = PrivateKey::generate(KeyKind::P256).unwrap();
    let lost =
        Certificate::self_signed(&key, "lost answer", 730, SystemTime::now() - Duration::from_secs(600)).unwrap();
    s.config(serde_json::json!({"certificate_upload_delay_seconds": 4}))
        .await;
    let impatient = NetSuiteClient::new(
        Account::parse("1234567_SB1").unwrap(),
        ClientOptions {
            base_url: Some(parse_base_url(&s.base).unwrap()),
            timeout: Duration::from_secs(1),
            ..Default::default()
        },
    )
    .unwrap();
    let e = impatient
        .upload_like_current(&current, &lost.pem, false, &cancel)
        .await
        .unwrap_err();
    assert!(matches!(e, CertificateApiError::Network(_)), "{e:?}");
    assert!(e.to_string().contains("may have been added"), "{e}");
    s.config(serde_json::json!({"certificate_upload_delay_seconds": 0}))
        .await;

    // Pressed again: the list is read first and the mapping the lost answer would have named is kept.
    let posts_before = s
        .certificate_calls()
        .await
        .iter()
        .filter(|c| c.starts_with("POST"))
        .count();
    let adopted = s
        .client()
        .upload_like_current(&current, &lost.pem, true, &cancel)
        .await
        .unwrap();
    let calls = s.certificate_calls().await;
    assert_eq!(
        calls.iter().filter(|c| c.starts_with("POST")).count(),
        posts_before,
        "{calls:?}"
    );
    let list = s.client().list_certificates(&current, &cancel).await.unwrap();
    let active: Vec<&str> = list
        .iter()
        .filter(|e| e.revoked != Some(true))
        .map(|e| e.certificate_id.as_str())
        .collect();
    assert_eq!(
        active.len(),
        3,
        "the current, the first and one for the lost answer: {active:?}"
    );
    assert!(active.contains(&adopted.as_str()) && adopted != first_id);
    // The kept mapping is the lost certificate's: its key gets a token with that Certificate ID.
    let token = s
        .client()
        .m2m_token(&creds(key, lost, &adopted), &cancel)
        .await
        .unwrap();
    assert_eq!(token.report.outcome, Outcome::Success);
}

#[tokio::test]
async fn lists_in_pages_are_read_to_the_end_and_plain_text_errors_are_shown() {
    let (s, current) = with_current(true).await;
    let cancel = CancellationToken::new();
    for i in 0..6 {
        let (_, cert) = pair(KeyKind::P256);
        s.map(&format!("OLD-{i}"), &cert, "12", "1099").await;
    }
    s.config(serde_json::json!({"certificate_list_page_size": 2})).await;
    let list = s.client().list_certificates(&current, &cancel).await.unwrap();
    let mut ids: Vec<&str> = list.iter().map(|e| e.certificate_id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["CURRENT", "OLD-0", "OLD-1", "OLD-2", "OLD-3", "OLD-4", "OLD-5"]);
    assert_eq!(s.certificate_calls().await.len(), 4, "four pages of two");

    s.config(serde_json::json!({"certificate_errors_as_text": true})).await;
    let e = s
        .client()
        .revoke_certificate(&current, "NOPE", &cancel)
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("No certificate of this integration has that Certificate ID"),
        "{e}"
    );
    assert_shows_no_secret(&s, &e).await;
}

#[tokio::test]
async fn a_list_that_cannot_be_read_is_unreadable_never_a_panic() {
    let (s, current) = with_current(true).await;
    let cancel = CancellationToken::new();
    let (_, cert) = pair(KeyKind::P256);
    for body in [
        r#"{"items": "garbled""#,
        "<html><body>Hotel WiFi</body></html>",
        r#"{"items": {"id": "CURRENT"}}"#,
        // Readable, but without the current mapping, or without its role and entity.
        r#"{"items": [{"name": "no id"}, {"id": "SOMEONE-ELSE", "role": 3, "entity": 4}]}"#,
        r#"[{"certificateId": "CURRENT", "role": {"refName": "Administrator"}}]"#,
    ] {
        s.config(serde_json::json!({ "certificate_list_body": body })).await;
        let e = s
            .client()
            .upload_like_current(&current, &cert.pem, false, &cancel)
            .await
            .unwrap_err();
        assert!(matches!(e, CertificateApiError::Unreadable(_)), "{body}: {e:?}");
        assert!(e.to_string().contains(MAPPING_PAGE), "{e}");
        assert_eq!(e.error_code(), ErrorCode::Unreachable);
        assert_shows_no_secret(&s, &e).await;
    }
    assert!(
        !s.certificate_calls().await.iter().any(|c| c.starts_with("POST")),
        "nothing was uploaded"
    );

    // The list as the engine likes it best works, of course.
    s.config(serde_json::json!({
        "certificate_list_body": r#"[{"certificateId": "CURRENT", "role": 1099, "entity": 12}]"#,
    }))
    .await;
    s.client()
        .upload_like_current(&current, &cert.pem, false, &cancel)
        .await
        .unwrap();
}

#[tokio::test]
async fn netsuites_refusals_and_local_checks_each_give_their_error() {
    let (s, current) = with_current(true).await;
    let cancel = CancellationToken::new();

    // NetSuite's words come back, cleaned of the Client ID.
    s.faults(serde_json::json!([
        "ok",
        "ok",
        {"kind": "error", "status": 400, "code": "INVALID_PARAMETER",
         "detail": format!("Client {CLIENT_ID} has no such thing.")}
    ]))
    .await;
    let e = s.client().list_certificates(&current, &cancel).await.unwrap_err();
    match &e {
        CertificateApiError::Server { status: 400, detail } => {
            assert_eq!(detail.as_deref(), Some("Client (the Client ID) has no such thing."))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e.error_code(), ErrorCode::Refused);
    assert_shows_no_secret(&s, &e).await;

    // A server error of NetSuite's own.
    s.faults(serde_json::json!(["ok", "ok", "500"])).await;
    let e = s.client().list_certificates(&current, &cancel).await.unwrap_err();
    assert!(matches!(e, CertificateApiError::Server { status: 500, .. }), "{e:?}");
    assert_eq!(e.error_code(), ErrorCode::Unreachable);

    // NetSuite's limit of five active certificates.
    for n in 0..4 {
        let (_, cert) = pair(KeyKind::P256);
        s.map(&format!("MORE{n}"), &cert, "12", "1099").await;
    }
    let (_, cert) = pair(KeyKind::P256);
    let e = s
        .client()
        .upload_like_current(&current, &cert.pem, false, &cancel)
        .await
        .unwrap_err();
    match &e {
        CertificateApiError::Server { status: 400, detail } => {
            assert!(detail.as_deref().unwrap_or_default().contains("at most 5"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("five active certificates"), "{e}");

    // Not a certificate, or an expired one: nothing is sent.
    let before = s.recorded().await.len();
    let e = s
        .client()
        .upload_like_current(
            &current,
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            false,
            &cancel,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, CertificateApiError::Certificate(_)), "{e:?}");
    assert_eq!(e.error_code(), ErrorCode::BadInput);
    let key = PrivateKey::generate(KeyKind::P256).unwrap();
    let expired =
        Certificate::self_signed(&key, "old", 1, SystemTime::now() - Duration::from_secs(3 * 86_400)).unwrap();
    let e = s
        .client()
        .upload_like_current(&current, &expired.pem, false, &cancel)
        .await
        .unwrap_err();
    assert!(matches!(e, CertificateApiError::Certificate(_)), "{e:?}");
    assert_eq!(s.recorded().await.len(), before);

    // Without the REST web services scope, no token is asked for.
    let (key, cert) = pair(KeyKind::P256);
    let mut restlets_only = creds(key, cert, "CURRENT");
    restlets_only.scopes = vec![Scope::Restlets];
    let e = s.client().list_certificates(&restlets_only, &cancel).await.unwrap_err();
    assert!(matches!(e, CertificateApiError::NoRestScope), "{e:?}");
    assert_eq!(s.recorded().await.len(), before);

    // Cancelled before anything: nothing is sent.
    let cancelled = CancellationToken::new();
    cancelled.cancel();
    let e = s.client().list_certificates(&current, &cancelled).await.unwrap_err();
    assert!(matches!(e, CertificateApiError::Cancelled), "{e:?}");
    assert_eq!(s.recorded().await.len(), before);
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
async fn no_client_id_or_token_reaches_the_logs() {
    let logs = Logs::default();
    let sink = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .try_init()
        .expect("this test is the only one here to set the global subscriber");
    let (s, current) = with_current(true).await;
    let cancel = CancellationToken::new();
    s.config(serde_json::json!({"certificate_upload_answer": "location"}))
        .await;
    let (_, cert) = pair(KeyKind::P256);
    let id = s
        .client()
        .upload_like_current(&current, &cert.pem, false, &cancel)
        .await
        .unwrap();
    s.client().revoke_certificate(&current, &id, &cancel).await.unwrap();
    s.config(serde_json::json!({"m2m_clients": [{"client_id": CLIENT_ID, "manage_certificates": false}]}))
        .await;
    assert!(s.client().list_certificates(&current, &cancel).await.is_err());

    let mut secrets = vec![CLIENT_ID.to_string()];
    secrets.extend(s.tokens_seen().await);
    assert!(secrets.len() >= 4, "tokens were seen: {}", secrets.len());
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
    assert!(
        text.contains("/clients/(client)/certificates"),
        "the certificate calls were logged, their Client ID hidden:\n{text}"
    );
}
