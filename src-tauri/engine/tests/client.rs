//! The client's retry, timeout and cancellation behaviour against a tiny local HTTP server. (Signature
//! checking lives in the Python NetSuite stand-in, which is independent of this crate's signer.)

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tba_engine::diagnosis::NetworkKind;
use tba_engine::{Account, CancellationToken, ClientOptions, Credentials, NetSuiteClient, Outcome};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server does for each successive request; the last entry repeats.
#[derive(Clone, Copy)]
enum Reply {
    Ok,
    TooMany,
    Hang,
    Forbidden,
}

struct Server {
    base: String,
    auth_headers: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

async fn serve(script: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let auth_headers = Arc::new(Mutex::new(Vec::new()));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = auth_headers.clone();
    let raw = requests.clone();
    tokio::spawn(async move {
        let mut n = 0usize;
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let reply = script[n.min(script.len() - 1)];
            n += 1;
            let seen = seen.clone();
            let raw = raw.clone();
            tokio::spawn(async move {
                let head = read_request(&mut sock).await;
                raw.lock().unwrap().push(head.clone());
                if let Some(line) = head
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
                {
                    seen.lock().unwrap().push(line.to_string());
                }
                let (status, body) = match reply {
                    Reply::Ok => ("200 OK", r#"{"items":[{"name":"account","links":[]}]}"#),
                    Reply::TooMany => ("429 Too Many Requests", r#"{"title":"Too Many Requests","status":429}"#),
                    Reply::Forbidden => (
                        "403 Forbidden",
                        r#"{"o:errorDetails":[{"detail":"Permission Violation","o:errorCode":"INSUFFICIENT_PERMISSION"}]}"#,
                    ),
                    Reply::Hang => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        return;
                    }
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(response.as_bytes()).await;
            });
        }
    });
    Server {
        base,
        auth_headers,
        requests,
    }
}

/// Reads one whole request: headers, then as many body bytes as Content-Length says.
async fn read_request(sock: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&data).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0usize);
            if data.len() >= end + 4 + length {
                return text;
            }
        }
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&data).to_string(),
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

fn client(base: &str, timeout: Duration) -> NetSuiteClient {
    let options = ClientOptions {
        timeout,
        backoff: Duration::from_millis(50),
        base_url: Some(tba_engine::client::parse_base_url(base).unwrap()),
        ..Default::default()
    };
    NetSuiteClient::new(Account::parse("1234567_sb1").unwrap(), options).unwrap()
}

fn creds() -> Credentials {
    Credentials::new("ck", "cs", "tk", "ts")
}

fn nonce_of(header: &str) -> String {
    header
        .split("oauth_nonce=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn concurrency_limit_is_retried_with_a_fresh_nonce() {
    let server = serve(vec![Reply::TooMany, Reply::TooMany, Reply::Ok]).await;
    let report = client(&server.base, Duration::from_secs(10))
        .test_call(&creds(), &CancellationToken::new())
        .await;
    assert_eq!(report.outcome, Outcome::Success, "{report:?}");
    assert_eq!(report.attempts, 3);
    let headers = server.auth_headers.lock().unwrap().clone();
    assert_eq!(headers.len(), 3);
    let nonces: std::collections::HashSet<_> = headers.iter().map(|h| nonce_of(h)).collect();
    assert_eq!(nonces.len(), 3, "every attempt has its own nonce: {headers:?}");
    assert!(headers[0].contains("realm=\"1234567_SB1\""));
}

#[tokio::test]
async fn retries_stop_after_the_limit() {
    let server = serve(vec![Reply::TooMany]).await;
    let report = client(&server.base, Duration::from_secs(10))
        .test_call(&creds(), &CancellationToken::new())
        .await;
    assert_eq!(report.outcome, Outcome::ConcurrencyLimit);
    assert_eq!(report.attempts, 4, "one try and three retries");
    assert_eq!(report.exit_code(), 4);
}

#[tokio::test]
async fn a_hanging_server_is_stopped_at_the_timeout() {
    let server = serve(vec![Reply::Hang]).await;
    let started = Instant::now();
    let report = client(&server.base, Duration::from_millis(700))
        .test_call(&creds(), &CancellationToken::new())
        .await;
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(report.outcome, Outcome::NetworkError);
    assert_eq!(report.network.unwrap().kind, NetworkKind::Timeout);
}

#[tokio::test]
async fn a_test_can_be_cancelled() {
    let server = serve(vec![Reply::Hang]).await;
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let report = client(&server.base, Duration::from_secs(30))
        .test_call(&creds(), &cancel)
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(report.network.unwrap().kind, NetworkKind::Cancelled);
}

#[tokio::test]
async fn probes_are_read_only_suiteql_with_limit_and_transient() {
    let server = serve(vec![Reply::Ok, Reply::Forbidden]).await;
    let c = client(&server.base, Duration::from_secs(5));
    let cancel = CancellationToken::new();
    let ok = c
        .probe(&creds(), "SELECT id FROM customer", "Lists > Customers", &cancel)
        .await;
    assert_eq!(ok.outcome, Outcome::Success);
    assert_eq!(ok.proven, ["The role has Lists > Customers"]);
    let denied = c
        .probe(&creds(), "SELECT id FROM currency", "Lists > Currency", &cancel)
        .await;
    assert_eq!(denied.outcome, Outcome::PermissionMissing);
    assert!(denied.summary.contains("Lists > Currency"));
    let first = server.requests.lock().unwrap()[0].clone();
    assert!(
        first.starts_with("POST /services/rest/query/v1/suiteql?limit=1 HTTP/1.1"),
        "{first}"
    );
    assert!(first.to_ascii_lowercase().contains("prefer: transient"), "{first}");
    assert!(first.ends_with(r#"{"q":"SELECT id FROM customer"}"#), "{first}");
}
