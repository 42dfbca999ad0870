//! The signed calls to NetSuite: the test call, read-only SuiteQL probes and the account check, with TBA
//! or with an OAuth 2.0 access token, and the OAuth 2.0 token request (client credentials). The OAuth 2.0
//! certificate endpoint (rotation by API) is in `certificates`.
//!
//! Every TBA attempt gets a fresh nonce and timestamp (a retried request with an old nonce is refused as
//! a replay). Only NetSuite's concurrency limit is retried; a 401 never is, since repeating a refused
//! login only fills the Login Audit Trail.

use crate::netsuite::account::Account;
use crate::netsuite::oauth1::Credentials;
use crate::netsuite::oauth2::{AccessToken, AssertionError, M2mCredentials, TOKEN_PATH};
use crate::netsuite::outcome::{self, ClockCheck, ClockStatus, NetworkKind, NetworkProblem, Outcome, Purpose, Report};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::time::{Duration, Instant, SystemTime};
use tokio_util::sync::CancellationToken;
use url::Url;

mod account_check;
mod auth;
pub use auth::Auth;
mod answer;
mod urls;
use answer::*;
use urls::{host_of, rebase, shown_path};
pub use urls::{parse_base_url, ClientError};
mod certificates;
mod network;
mod tls;
mod token;
pub use account_check::{check_account, DatacenterCheck, DatacenterStatus};
pub use certificates::{
    parse_certificate_list, parse_new_certificate_id, CertificateApiError, CertificateEntry, MANAGE_PERMISSION,
    MAPPING_PAGE,
};
#[cfg(test)]
use network::certificate_problem;
pub use network::classify_network_error;
pub use token::TokenAnswer;

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// NetSuite's answers to these calls are JSON of some KiB; the largest, the metadata catalog, takes about
/// 550 bytes a record type, so this holds some 7,000 of them. Beyond it the answer is not NetSuite's, and
/// reading on would let whoever answers fill the memory.
const MAX_BODY_BYTES: usize = 4 << 20;
const DATACENTER_URL: &str = "https://rest.netsuite.com/rest/datacenterurls";

/// What one request carries: REST calls carry their authentication and maybe a JSON body (sent as a
/// transient request: SuiteQL's needs); other calls on the API hosts (the certificate endpoint) the same
/// without `Prefer: transient`; the token request carries its form, assertion included, and no
/// Authorization header.
enum Sending<'a> {
    Rest(Auth<'a>, Option<&'a str>),
    Api(Auth<'a>, Option<&'a str>),
    TokenForm(&'a SecretString),
}

/// How a run is judged.
enum Judge<'a> {
    Rest(&'a Purpose, Auth<'a>),
    Token(&'a outcome::m2m::SentAssertion),
}

/// A run's exchanges, before they are judged.
struct Run {
    result: Result<Answer, NetworkProblem>,
    attempts: u32,
    elapsed_ms: u64,
    last_clock: Option<ClockCheck>,
}

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// The whole operation, retries and their pauses included.
    pub timeout: Duration,
    pub max_retries: u32,
    /// First pause before a retry; doubled each time.
    pub backoff: Duration,
    /// Replaces the scheme, host and port of NetSuite's hosts (for stand-ins and proxies). The realm still
    /// comes from the account.
    pub base_url: Option<Url>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_retries: 3,
            backoff: Duration::from_millis(500),
            base_url: None,
        }
    }
}

/// A backoff of `base`, spread over its upper half by `draw` (0 to 1): calls of `test --all` refused
/// together by the concurrency limit then retry apart instead of in step, and never sooner than half the
/// base. NetSuite's own Retry-After, when it gives one, is taken as it is.
fn jittered(base: Duration, draw: f64) -> Duration {
    base.mul_f64(0.5 + 0.5 * draw.clamp(0.0, 1.0))
}

pub struct NetSuiteClient {
    http: reqwest::Client,
    account: Account,
    options: ClientOptions,
}

impl NetSuiteClient {
    pub fn new(account: Account, options: ClientOptions) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls::client_config().map_err(ClientError::Setup)?)
            .connect_timeout(options.connect_timeout)
            .user_agent(concat!("tba-wizard/", env!("CARGO_PKG_VERSION")))
            // A signed call goes to the host it was signed for and nowhere else. reqwest would drop the
            // Authorization header on a cross-host redirect, but the body (a SuiteQL query) would still
            // travel, and NetSuite's REST API does not redirect these calls: a redirect is reported instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ClientError::Setup(e.to_string()))?;
        Ok(NetSuiteClient { http, account, options })
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    /// `https://<label>.suitetalk.api.netsuite.com/services/rest` + `path`, or the same on the base URL.
    pub fn rest_url(&self, path_and_query: &str) -> Url {
        let mut url = Url::parse(&format!(
            "https://{}/services/rest{path_and_query}",
            self.account.rest_host()
        ))
        .expect("account hosts and our paths form valid URLs");
        if let Some(base) = &self.options.base_url {
            rebase(&mut url, base);
        }
        url
    }

    /// `https://<label>.restlets.api.netsuite.com/services/rest` + `path`, or the same on the base URL:
    /// the host of RESTlets and of the OAuth 2.0 certificate endpoint.
    pub fn restlets_url(&self, path_and_query: &str) -> Url {
        let mut url = Url::parse(&format!(
            "https://{}/services/rest{path_and_query}",
            self.account.restlets_host()
        ))
        .expect("account hosts and our paths form valid URLs");
        if let Some(base) = &self.options.base_url {
            rebase(&mut url, base);
        }
        url
    }

    /// The signed test call: reads the REST metadata catalog, which needs nothing but an accepted token
    /// and a role with REST Web Services.
    pub async fn test_call(&self, creds: &Credentials, cancel: &CancellationToken) -> Report {
        self.test_call_with(Auth::Tba(creds), cancel).await
    }

    /// A read-only SuiteQL query (`?limit=1`, `Prefer: transient`) that succeeds only if the role has
    /// `permission`.
    pub async fn probe(
        &self,
        creds: &Credentials,
        query: &str,
        permission: &str,
        cancel: &CancellationToken,
    ) -> Report {
        self.probe_with(Auth::Tba(creds), query, permission, cancel).await
    }

    /// The test call with TBA credentials or an OAuth 2.0 access token.
    pub async fn test_call_with(&self, auth: Auth<'_>, cancel: &CancellationToken) -> Report {
        let url = self.rest_url("/record/v1/metadata-catalog");
        let run = self
            .run(reqwest::Method::GET, &url, Sending::Rest(auth, None), cancel)
            .await;
        self.judge(Judge::Rest(&Purpose::TestCall, auth), run)
    }

    /// A probe with TBA credentials or an OAuth 2.0 access token.
    pub async fn probe_with(
        &self,
        auth: Auth<'_>,
        query: &str,
        permission: &str,
        cancel: &CancellationToken,
    ) -> Report {
        let url = self.rest_url("/query/v1/suiteql?limit=1");
        let body = serde_json::json!({ "q": query }).to_string();
        let purpose = Purpose::Probe {
            permission: permission.to_string(),
        };
        let run = self
            .run(reqwest::Method::POST, &url, Sending::Rest(auth, Some(&body)), cancel)
            .await;
        self.judge(Judge::Rest(&purpose, auth), run)
    }

    async fn run(&self, method: reqwest::Method, url: &Url, sending: Sending<'_>, cancel: &CancellationToken) -> Run {
        self.run_from(Instant::now(), method, url, sending, cancel).await
    }

    /// A run whose time allowed counts from `started`, so that what came before it is in its budget.
    async fn run_from(
        &self,
        started: Instant,
        method: reqwest::Method,
        url: &Url,
        sending: Sending<'_>,
        cancel: &CancellationToken,
    ) -> Run {
        let deadline = started + self.options.timeout;
        let mut attempts = 0u32;
        let mut last_clock = None;
        let work = async {
            loop {
                attempts += 1;
                let answer = self.attempt(&method, url, &sending, deadline).await;
                let answer = match answer {
                    Ok(a) => a,
                    Err(problem) => return Err(problem),
                };
                last_clock = answer.clock.or(last_clock);
                let err = outcome::parse_error_body(&answer.body);
                if !answer.too_large
                    && outcome::is_retryable(answer.status, &err)
                    && attempts <= self.options.max_retries
                {
                    let pause = answer
                        .retry_after
                        .unwrap_or_else(|| jittered(self.options.backoff * 2u32.pow(attempts - 1), rand::random()))
                        .min(Duration::from_secs(10));
                    if Instant::now() + pause < deadline {
                        tracing::info!(
                            status = answer.status,
                            attempt = attempts,
                            ?pause,
                            "NetSuite concurrency limit; retrying"
                        );
                        tokio::time::sleep(pause).await;
                        continue;
                    }
                }
                return Ok(answer);
            }
        };
        let result = tokio::select! {
            _ = cancel.cancelled() => Err(cancelled()),
            r = tokio::time::timeout_at(deadline.into(), work) => r.unwrap_or_else(|_| Err(self.timeout_problem(url))),
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(answer) => tracing::info!(status = answer.status, attempts, elapsed_ms, "NetSuite call finished"),
            Err(problem) => tracing::info!(kind = ?problem.kind, attempts, elapsed_ms, "NetSuite call failed"),
        }
        Run {
            result,
            attempts,
            elapsed_ms,
            last_clock,
        }
    }

    fn judge(&self, judge: Judge<'_>, run: Run) -> Report {
        let Run {
            result,
            attempts,
            elapsed_ms,
            last_clock,
        } = run;
        match result {
            Ok(answer) => self.report_answer(judge, answer, attempts, elapsed_ms),
            Err(problem) => Report {
                outcome: Outcome::NetworkError,
                summary: problem.message.clone(),
                proven: vec![],
                warnings: clock_warnings(last_clock),
                causes: vec![],
                http_status: None,
                error_code: None,
                error_detail: None,
                network: Some(problem),
                clock: last_clock,
                attempts,
                elapsed_ms,
                audit_trail: None,
            },
        }
    }

    fn timeout_problem(&self, url: &Url) -> NetworkProblem {
        NetworkProblem {
            kind: NetworkKind::Timeout,
            message: format!(
                "No complete answer from {} within {} s. NetSuite may be slow or a firewall may be dropping traffic: \
                 test again, and allow more time if your connection is slow.",
                host_of(url),
                self.options.timeout.as_secs_f32()
            ),
        }
    }

    fn host_shown(&self) -> String {
        match &self.options.base_url {
            Some(b) => b.host_str().unwrap_or_default().to_string(),
            None => self.account.rest_host(),
        }
    }

    async fn attempt(
        &self,
        method: &reqwest::Method,
        url: &Url,
        sending: &Sending<'_>,
        deadline: Instant,
    ) -> Result<Answer, NetworkProblem> {
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(deadline.saturating_duration_since(Instant::now()));
        match sending {
            Sending::Rest(auth, body) | Sending::Api(auth, body) => {
                let authorization = auth.authorization(method.as_str(), url, self.account.realm());
                request = request.header(reqwest::header::AUTHORIZATION, authorization);
                if let Some(b) = body {
                    request = request
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(b.to_string());
                    if matches!(sending, Sending::Rest(..)) {
                        request = request.header("Prefer", "transient");
                    }
                }
            }
            Sending::TokenForm(form) => {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(form.expose_secret().to_string());
            }
        }
        // Where and what, never the headers: the Authorization header is the signed secret material.
        // The certificate endpoint's path holds the Client ID, which is kept like a secret.
        tracing::debug!(%method, host = url.host_str().unwrap_or_default(), path = %shown_path(url), "NetSuite request");
        let response = request.send().await.map_err(|e| self.network_problem(url, &e))?;
        let answer = read_answer(response).await.map_err(|e| self.network_problem(url, &e))?;
        tracing::debug!(status = answer.status, bytes = answer.body.len(), "NetSuite answered");
        Ok(answer)
    }

    /// Named by the host called (the base URL's with a stand-in), which is the REST host but for the
    /// certificate endpoint.
    fn network_problem(&self, url: &Url, e: &reqwest::Error) -> NetworkProblem {
        classify_network_error(e, &host_of(url), self.options.timeout)
    }

    fn report_answer(&self, judge: Judge<'_>, answer: Answer, attempts: u32, elapsed_ms: u64) -> Report {
        if let Some(summary) = self.refused_answer(&answer) {
            return Report {
                outcome: Outcome::ServerError,
                summary,
                proven: vec![],
                warnings: clock_warnings(answer.clock),
                causes: vec![],
                http_status: Some(answer.status),
                error_code: None,
                error_detail: None,
                network: None,
                clock: answer.clock,
                attempts,
                elapsed_ms,
                audit_trail: None,
            };
        }
        let (outcome, summary, proven, causes, err, audit_trail) = match judge {
            Judge::Rest(purpose, auth) => {
                let (outcome, summary, mut proven, mut causes, err) =
                    outcome::diagnose_response(&self.account, purpose, answer.status, &answer.body, answer.clock);
                let help = auth.judged(purpose, outcome, &mut proven, &mut causes, answer.clock);
                let refused = outcome == Outcome::CredentialsRefused;
                (outcome, summary, proven, causes, err, refused.then_some(help))
            }
            Judge::Token(sent) => {
                let (outcome, summary, causes, err) = outcome::m2m::diagnose_token_refusal(
                    &self.account,
                    answer.status,
                    &answer.body,
                    answer.clock,
                    sent,
                );
                let refused = outcome == Outcome::CredentialsRefused;
                (
                    outcome,
                    summary,
                    vec![],
                    causes,
                    err,
                    refused.then(outcome::m2m::audit_trail_help),
                )
            }
        };
        Report {
            outcome,
            summary,
            proven,
            warnings: clock_warnings(answer.clock),
            causes,
            http_status: Some(answer.status),
            error_code: err.code,
            error_detail: err.detail,
            network: None,
            clock: answer.clock,
            attempts,
            elapsed_ms,
            audit_trail,
        }
    }

    /// Answers that are not diagnosed as NetSuite's, since what they hold was never read or never
    /// came from NetSuite.
    fn refused_answer(&self, answer: &Answer) -> Option<String> {
        let host = self.host_shown();
        let status = answer.status;
        if answer.too_large {
            return Some(format!(
                "The answer from {host} (HTTP {status}) was too large: reading stopped at {} MiB, far more than \
                 NetSuite sends for this call. A proxy, a captive portal or a wrong base URL may have answered: \
                 check your network or the base URL and test again.",
                MAX_BODY_BYTES >> 20
            ));
        }
        if (300..400).contains(&status) {
            let target = answer.redirect_to.as_deref().unwrap_or("another address");
            return Some(format!(
                "{host} answered with a redirect (HTTP {status}) to {target}. The signed request was not sent there: \
                 NetSuite's REST API answers these calls itself, so a proxy, a captive portal or a wrong base URL \
                 answered. Check your network or the base URL and test again."
            ));
        }
        None
    }
}

fn cancelled() -> NetworkProblem {
    NetworkProblem {
        kind: NetworkKind::Cancelled,
        message: "The test was cancelled.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_urls_follow_the_account_and_the_base_url() {
        let a = Account::parse("1234567_sb1").unwrap();
        let c = NetSuiteClient::new(a.clone(), ClientOptions::default()).unwrap();
        assert_eq!(
            c.rest_url("/record/v1/metadata-catalog").as_str(),
            "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/metadata-catalog"
        );
        let opts = ClientOptions {
            base_url: Some(parse_base_url("http://127.0.0.1:8081/ignored").unwrap()),
            ..Default::default()
        };
        let c = NetSuiteClient::new(a, opts).unwrap();
        assert_eq!(
            c.rest_url("/query/v1/suiteql?limit=1").as_str(),
            "http://127.0.0.1:8081/services/rest/query/v1/suiteql?limit=1"
        );
    }

    #[test]
    fn restlets_urls_follow_the_account_and_the_base_url() {
        let a = Account::parse("1234567_sb1").unwrap();
        let c = NetSuiteClient::new(a.clone(), ClientOptions::default()).unwrap();
        let url = c.restlets_url("/auth/oauth2/v1/clients");
        assert_eq!(
            url.as_str(),
            "https://1234567-sb1.restlets.api.netsuite.com/services/rest/auth/oauth2/v1/clients"
        );
        assert!(a.hosts().contains(&url.host_str().unwrap().to_string()));
        let opts = ClientOptions {
            base_url: Some(parse_base_url("http://127.0.0.1:8081").unwrap()),
            ..Default::default()
        };
        let c = NetSuiteClient::new(a, opts).unwrap();
        assert_eq!(
            c.restlets_url("/auth/oauth2/v1/clients").as_str(),
            "http://127.0.0.1:8081/services/rest/auth/oauth2/v1/clients"
        );
    }

    #[test]
    fn logged_paths_hide_the_client_id() {
        let url = Url::parse("https://h/services/rest/auth/oauth2/v1/clients/SECRETID/certificates/C1/revoke").unwrap();
        assert_eq!(
            shown_path(&url),
            "/services/rest/auth/oauth2/v1/clients/(client)/certificates/C1/revoke"
        );
        let url = Url::parse("https://h/services/rest/record/v1/metadata-catalog").unwrap();
        assert_eq!(shown_path(&url), "/services/rest/record/v1/metadata-catalog");
    }

    #[test]
    fn base_url_must_be_http() {
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("not a url").is_err());
        assert!(parse_base_url("https://proxy.example:8443").is_ok());
        // Plain http only to this computer: a signature or token sent in clear elsewhere could be replayed.
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9",
            "http://localhost:1",
            "http://LocalHost.",
            "http://a.localhost",
        ] {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://proxy.example:8080",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
            "http://127.0.0.1.example",
        ] {
            assert!(
                matches!(parse_base_url(bad), Err(ClientError::HttpNotLoopback)),
                "{bad}"
            );
        }
    }

    #[test]
    fn backoffs_are_spread_so_parallel_calls_do_not_retry_in_step() {
        let base = Duration::from_millis(800);
        assert_eq!(jittered(base, 0.0), Duration::from_millis(400));
        assert_eq!(jittered(base, 1.0), base);
        assert!(jittered(base, 0.3) != jittered(base, 0.7));
        let draws: Vec<Duration> = (0..20).map(|_| jittered(base, rand::random())).collect();
        assert!(draws.iter().all(|d| *d >= base / 2 && *d <= base), "{draws:?}");
        assert!(draws.iter().any(|d| *d != draws[0]), "twenty draws were all the same");
    }

    #[test]
    fn certificate_refusals_are_told_apart() {
        // rustls' own wording, lower-cased as classify_network_error sees it.
        let why = |text: &str| certificate_problem(&text.to_ascii_lowercase());
        assert!(why("invalid peer certificate: UnknownIssuer")
            .unwrap()
            .contains("self-signed"));
        assert!(
            why("invalid peer certificate: certificate expired: verification time 2")
                .unwrap()
                .contains("clock")
        );
        assert!(
            why("invalid peer certificate: certificate not valid for name \"x\"; certificate is only valid for y")
                .unwrap()
                .contains("another host name")
        );
        assert_eq!(why("received fatal alert: HandshakeFailure"), None);
    }

    /// A connection closed mid-request to the certificate endpoint is a closed connection, not a TLS
    /// certificate problem: reqwest's text names the URL, and that URL ends in `/certificates`.
    #[tokio::test]
    async fn a_url_that_says_certificates_is_not_a_tls_problem() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            if let Ok((socket, _)) = listener.accept().await {
                drop(socket); // hang up without answering
            }
        });
        let url = format!("http://{addr}/services/rest/auth/oauth2/v1/clients/c/certificates");
        let e = reqwest::Client::new().get(&url).send().await.unwrap_err();
        let problem = classify_network_error(&e, "1234567-sb1.restlets.api.netsuite.com", Duration::from_secs(5));
        assert_eq!(problem.kind, NetworkKind::ConnectionClosed, "{}", problem.message);
    }

    #[test]
    fn offsets_are_signed() {
        let now = SystemTime::now();
        assert_eq!(offset_seconds(now + Duration::from_secs(400), now), 400);
        assert_eq!(offset_seconds(now - Duration::from_secs(400), now), -400);
    }
}
