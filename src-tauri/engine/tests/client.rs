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
}

struct Server {
    base: String,
    auth_headers: Arc<Mutex<Vec<String>>>,
}

async fn serve(script: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let auth_headers = Arc::new(Mutex::new(Vec::new()));
    let seen = auth_headers.clone();
    tokio::spawn(async move {
        let mut n = 0usize;
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let reply = script[n.min(script.len() - 1)];
            n += 1;
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16384];
                let len = sock.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..len]).to_string();
                if let Some(line) = head
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
                {
                    seen.lock().unwrap().push(line.to_string());
                }
                let (status, body) = match reply {
                    Reply::Ok => ("200 OK", r#"{"items":[{"name":"account","links":[]}]}"#),
                    Reply::TooMany => ("429 Too Many Requests", r#"{"title":"Too Many Requests","status":429}"#),
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
    Server { base, auth_headers }
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
