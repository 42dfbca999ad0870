//! The client's retry, timeout and cancellation behaviour, and its limits (redirects, body size, TLS
//! trust), against tiny local servers. (Signature checking lives in the Python NetSuite stand-in, which is
//! independent of this crate's signer.)

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tba_engine::netsuite::outcome::NetworkKind;
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
        base_url: Some(tba_engine::netsuite::client::parse_base_url(base).unwrap()),
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

// ---- The client's limits: where a signed call may go, how much it reads, whom it trusts. ----

/// Credentials long enough that finding them in a message or a request means a leak, not a coincidence.
fn distinctive_creds() -> Credentials {
    Credentials::new(
        "consumer-key-0123456789abcdef",
        "consumer-secret-0123456789abcdef",
        "token-id-0123456789abcdef",
        "token-secret-0123456789abcdef",
    )
}

fn assert_no_secret(text: &str) {
    for secret in ["consumer-secret-0123456789abcdef", "token-secret-0123456789abcdef"] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

/// Answers every request with a redirect to `location`.
async fn redirecting(location: String) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let raw = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let head = read_request(&mut sock).await;
            raw.lock().unwrap().push(head);
            let response = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = sock.write_all(response.as_bytes()).await;
        }
    });
    Server {
        base,
        auth_headers: Arc::new(Mutex::new(Vec::new())),
        requests,
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_never_carries_the_signed_header() {
    // The other host is the same machine under another name and port, which is "another host" to an
    // HTTP client just as much as a stranger's server.
    let elsewhere = serve(vec![Reply::Ok]).await;
    let port = elsewhere.base.rsplit(':').next().unwrap().to_string();
    let target = format!("http://localhost:{port}/services/rest/record/v1/metadata-catalog");
    let first = redirecting(target).await;
    let cancel = CancellationToken::new();
    let c = client(&first.base, Duration::from_secs(5));
    for report in [
        c.test_call(&distinctive_creds(), &cancel).await,
        c.probe(
            &distinctive_creds(),
            "SELECT id FROM customer",
            "Lists > Customers",
            &cancel,
        )
        .await,
    ] {
        assert_ne!(report.outcome, Outcome::Success, "{report:?}");
        assert_eq!(report.http_status, Some(307), "{report:?}");
        assert!(report.summary.contains("redirect"), "{}", report.summary);
        assert!(
            report.summary.contains(&format!("localhost:{port}")),
            "{}",
            report.summary
        );
        assert!(report.summary.contains("not sent"), "{}", report.summary);
        assert_no_secret(&format!("{report:?}"));
    }
    assert_eq!(
        first.requests.lock().unwrap().len(),
        2,
        "the first host was asked, once per call"
    );
    assert!(
        elsewhere.auth_headers.lock().unwrap().is_empty(),
        "the redirect target saw the Authorization header"
    );
    // Stronger than what reqwest alone promises (it drops the header across hosts but would still go):
    // a signed call is never sent on at all.
    assert!(
        elsewhere.requests.lock().unwrap().is_empty(),
        "the redirect was followed: {:?}",
        elsewhere.requests.lock().unwrap()
    );
}

const HUNDRED_MB: u64 = 100 * 1024 * 1024;

/// Streams `HUNDRED_MB` of JSON-looking filler in chunks, never holding more than one chunk; the count
/// says how many bytes the client let through before it hung up.
async fn flooding() -> (String, tokio::sync::oneshot::Receiver<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        read_request(&mut sock).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        let mut sent = 0u64;
        if sock.write_all(head.as_bytes()).await.is_ok() {
            let block = vec![b' '; 64 * 1024];
            let framed = [format!("{:x}\r\n", block.len()).into_bytes(), block, b"\r\n".to_vec()].concat();
            while sent < HUNDRED_MB {
                if sock.write_all(&framed).await.is_err() {
                    break;
                }
                sent += 64 * 1024;
            }
            // A whole, well-formed answer: a client without a limit reads it all and has no error to show.
            let _ = sock.write_all(b"0\r\n\r\n").await;
        }
        let _ = tx.send(sent);
    });
    (base, rx)
}

#[tokio::test]
async fn a_hundred_megabyte_answer_is_cut_at_the_body_limit() {
    let (base, sent) = flooding().await;
    let c = client(&base, Duration::from_secs(30));
    let started = Instant::now();
    let report = c.test_call(&distinctive_creds(), &CancellationToken::new()).await;
    let took = started.elapsed();
    drop(c);
    let sent = tokio::time::timeout(Duration::from_secs(10), sent)
        .await
        .expect("the server was not hung up on")
        .unwrap();
    assert_ne!(report.outcome, Outcome::Success, "{report:?}");
    assert!(report.summary.contains("too large"), "{}", report.summary);
    assert!(report.summary.contains("MiB"), "the limit is named: {}", report.summary);
    assert_eq!(report.attempts, 1, "a flood is not asked for again");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    // What got through is the client's limit plus what the loopback's socket buffers hold (a few MiB
    // each way on Linux); reading on to the end would let all 100 MiB through.
    assert!(sent < 24 * 1024 * 1024, "{} MiB got through", sent / (1024 * 1024));
    eprintln!(
        "the server managed to send {} KiB in {took:?}: {}",
        sent / 1024,
        report.summary
    );
}

/// A TLS server whose certificate is self-signed for 127.0.0.1, so that the only thing wrong with it is
/// that nobody vouches for it. Records each handshake's outcome and any request that got through.
async fn untrusted_tls() -> (String, Arc<Mutex<Vec<String>>>) {
    use tokio_rustls::rustls;
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            match acceptor.accept(sock).await {
                Err(e) => seen.lock().unwrap().push(format!("handshake failed: {e}")),
                Ok(mut tls) => {
                    let mut buf = vec![0u8; 8192];
                    let n = tls.read(&mut buf).await.unwrap_or(0);
                    seen.lock()
                        .unwrap()
                        .push(format!("request: {}", String::from_utf8_lossy(&buf[..n])));
                }
            }
        }
    });
    (base, events)
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_with_a_tls_message() {
    let (base, events) = untrusted_tls().await;
    let report = client(&base, Duration::from_secs(10))
        .test_call(&distinctive_creds(), &CancellationToken::new())
        .await;
    assert_eq!(report.outcome, Outcome::NetworkError, "{report:?}");
    let network = report.network.clone().unwrap();
    assert_eq!(network.kind, NetworkKind::Tls, "{network:?}");
    assert!(network.message.contains("TLS"), "{}", network.message);
    assert!(network.message.contains("certificate"), "{}", network.message);
    assert!(network.message.contains("127.0.0.1"), "{}", network.message);
    assert!(network.message.contains("self-signed"), "{}", network.message);
    // rcgen's name for the certificates it signs itself: what a person behind a proxy would look up.
    assert!(
        network.message.contains("issued by \"CN=rcgen self signed cert\""),
        "{}",
        network.message
    );
    assert_eq!(report.summary, network.message);
    assert_eq!(report.attempts, 1, "a refused certificate is not tried again");
    assert_no_secret(&format!("{report:?}"));
    // The client may hear of the failed handshake before the stand-in's task has noted it.
    let waited = Instant::now();
    while events.lock().unwrap().is_empty() && waited.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let events = events.lock().unwrap().clone();
    assert!(!events.is_empty(), "the client never reached the stand-in");
    assert!(
        events.iter().all(|e| e.starts_with("handshake failed")),
        "a request went through an untrusted connection: {events:?}"
    );
}
