//! The OAuth 2.0 token request (client credentials) and the test call with its token, and NetSuite's
//! clock, read before an assertion is sent.

use super::*;
use crate::netsuite::oauth2::Grant;
use crate::netsuite::stage::{untold, Tell, TestStage};

/// The token request's answer: the token if NetSuite issued one, and the report either way.
#[derive(Debug)]
pub struct TokenAnswer {
    pub token: Option<AccessToken>,
    pub report: Report,
}

impl NetSuiteClient {
    /// The URL of the OAuth 2.0 token endpoint this client posts to, which is also the assertion's `aud`.
    pub fn token_url(&self) -> Url {
        self.rest_url(TOKEN_PATH)
    }

    /// Asks for an access token with the client credentials grant. Checks everything it can before
    /// sending (`Err` then, and nothing was sent): the key fits the algorithm and is the certificate's,
    /// the certificate is valid, the IDs are there. The assertion's `aud` is the URL posted to, so a base
    /// URL (a stand-in) gets its own. Its `iat` is this computer's time, so NetSuite's clock is read first
    /// (`server_clock`): more than five minutes off, the request is not sent and the report, refused,
    /// names the clock. If NetSuite's time cannot be read the request goes anyway, and a refusal then
    /// names the clock first if the answer's `Date` shows it off.
    pub async fn m2m_token(
        &self,
        creds: &M2mCredentials,
        cancel: &CancellationToken,
    ) -> Result<TokenAnswer, AssertionError> {
        let url = self.token_url();
        // This computer's checks first: what fails them needs no request at all.
        creds.preview(url.as_str(), SystemTime::now())?;
        let sent = outcome::m2m::SentAssertion {
            certificate_id: creds.certificate_id.clone(),
            algorithm: creds.algorithm,
            scopes: creds.scopes.clone(),
            scope_form: creds.scope_form,
        };
        let started = Instant::now();
        match self.server_clock(&url, started + self.options.timeout, cancel).await {
            Ok(Some(clock)) if clock.status == ClockStatus::LikelyCause => {
                let report = self.clock_refusal(clock, started);
                return Ok(TokenAnswer { token: None, report });
            }
            Ok(_) => {}
            // Cancelled, or the time allowed is spent: sending now would go against both.
            Err(problem) if matches!(problem.kind, NetworkKind::Cancelled | NetworkKind::Timeout) => {
                let run = Run {
                    result: Err(problem),
                    attempts: 0,
                    elapsed_ms: started.elapsed().as_millis() as u64,
                    last_clock: None,
                };
                return Ok(TokenAnswer {
                    token: None,
                    report: self.judge(Judge::Token(&sent), run),
                });
            }
            // The token request meets the same network and gets the diagnosis every request gets; a
            // hiccup of this one must not stop it.
            Err(problem) => tracing::info!(kind = ?problem.kind, "NetSuite's time could not be read; sending anyway"),
        }
        // Stamped after the clock check, so its wait does not eat into the assertion's five minutes.
        let grant = Grant::ClientCredentials {
            assertion: creds.assertion(url.as_str(), SystemTime::now())?,
        };
        let (run, token) = self.request_token(&url, &grant, started, cancel).await;
        let report = match &token {
            Some(_) => {
                let answer = run.result.as_ref().expect("a token came from an answer");
                Report {
                    outcome: Outcome::Success,
                    summary: "NetSuite issued an access token for the Client ID and Certificate ID.".into(),
                    proven: vec![
                        format!("NetSuite account {} answered", self.account.id()),
                        format!(
                            "The Client ID, Certificate ID {} and the {} signature were accepted",
                            creds.certificate_id, creds.algorithm
                        ),
                    ],
                    warnings: clock_warnings(answer.clock),
                    causes: vec![],
                    http_status: Some(answer.status),
                    error_code: None,
                    error_detail: None,
                    network: None,
                    clock: answer.clock,
                    attempts: run.attempts,
                    elapsed_ms: run.elapsed_ms,
                    audit_trail: None,
                }
            }
            None => self.judge(Judge::Token(&sent), run),
        };
        Ok(TokenAnswer { token, report })
    }

    /// The one token request: `grant` posted to `url`, its time counted from `started`; the token if
    /// NetSuite issued one. Any grant goes through here.
    async fn request_token(
        &self,
        url: &Url,
        grant: &Grant,
        started: Instant,
        cancel: &CancellationToken,
    ) -> (Run, Option<AccessToken>) {
        let form = grant.form();
        let run = self
            .run_from(started, reqwest::Method::POST, url, Sending::TokenForm(&form), cancel)
            .await;
        let token = match &run.result {
            Ok(answer) if (200..300).contains(&answer.status) && !answer.too_large => {
                AccessToken::from_response(&answer.body, SystemTime::now())
            }
            _ => None,
        };
        (run, token)
    }

    /// The M2M test: a token, then the test call with it. The report is the token request's when no
    /// token came, else the test call's, which then also proves the token was issued.
    pub async fn m2m_test(
        &self,
        creds: &M2mCredentials,
        cancel: &CancellationToken,
    ) -> Result<TokenAnswer, AssertionError> {
        self.m2m_test_telling(creds, cancel, &untold).await
    }

    /// `m2m_test`, telling `tell` as each of its two calls starts.
    pub async fn m2m_test_telling(
        &self,
        creds: &M2mCredentials,
        cancel: &CancellationToken,
        tell: Tell<'_>,
    ) -> Result<TokenAnswer, AssertionError> {
        tell(TestStage::AskingForToken);
        let TokenAnswer { token, report } = self.m2m_token(creds, cancel).await?;
        let Some(token) = token else {
            return Ok(TokenAnswer { token: None, report });
        };
        tell(TestStage::SignedCall);
        let mut test = self.test_call_with(Auth::Bearer(&token), cancel).await;
        test.attempts += report.attempts;
        test.elapsed_ms += report.elapsed_ms;
        Ok(TokenAnswer {
            token: Some(token),
            report: test,
        })
    }
    /// NetSuite's time, from the `Date` of its answer to a HEAD of `url`: a request that carries nothing
    /// signed and that NetSuite need not log. HEAD leaves no body to read, so the connection goes back to
    /// the pool for the request that follows. `Ok(None)` when the answer has no readable `Date`.
    async fn server_clock(
        &self,
        url: &Url,
        deadline: Instant,
        cancel: &CancellationToken,
    ) -> Result<Option<ClockCheck>, NetworkProblem> {
        tracing::debug!(
            host = url.host_str().unwrap_or_default(),
            path = url.path(),
            "NetSuite clock check"
        );
        let request = self
            .http
            .head(url.clone())
            .timeout(deadline.saturating_duration_since(Instant::now()))
            .send();
        let response = tokio::select! {
            // Cancel first: a cancelled test must not start even this request.
            biased;
            _ = cancel.cancelled() => return Err(cancelled()),
            r = tokio::time::timeout_at(deadline.into(), request) => match r {
                Ok(r) => r.map_err(|e| self.network_problem(url, &e))?,
                Err(_) => return Err(self.timeout_problem(url)),
            },
        };
        let clock = clock_of(response.headers());
        tracing::debug!(status = response.status().as_u16(), offset_seconds = ?clock.map(|c| c.offset_seconds), "NetSuite clock read");
        Ok(clock)
    }

    /// The report of a token request kept back for the clock: refused, as NetSuite would refuse it.
    fn clock_refusal(&self, clock: ClockCheck, started: Instant) -> Report {
        let (summary, causes) = outcome::m2m::clock_refusal(clock);
        tracing::info!(
            offset_seconds = clock.offset_seconds,
            "token request not sent: this computer's clock is off"
        );
        Report {
            outcome: Outcome::CredentialsRefused,
            summary,
            proven: vec![],
            warnings: vec![],
            causes,
            http_status: None,
            error_code: None,
            error_detail: None,
            network: None,
            clock: Some(clock),
            attempts: 0,
            elapsed_ms: started.elapsed().as_millis() as u64,
            audit_trail: None,
        }
    }
}
