//! One HTTP exchange as the retry loop sees it, read with a size limit, and what its headers say of
//! NetSuite's clock.

use super::*;

/// One HTTP exchange as seen by the retry loop.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: String,
    pub(super) clock: Option<ClockCheck>,
    pub(super) retry_after: Option<Duration>,
    /// The body went past `MAX_BODY_BYTES`; reading stopped there and `body` is empty.
    pub(super) too_large: bool,
    /// Where a 3xx pointed, as host and port only: the rest of a stranger's URL is not worth showing.
    pub(super) redirect_to: Option<String>,
    /// A 2xx answer's `Location` header, as sent (an upload's answer may name the new record there). It may
    /// hold the Client ID: never logged or shown.
    pub(super) location: Option<String>,
}

pub(super) async fn read_answer(mut response: reqwest::Response) -> Result<Answer, reqwest::Error> {
    let status = response.status().as_u16();
    let clock = clock_of(response.headers());
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let redirect_to = response
        .status()
        .is_redirection()
        .then(|| {
            let location = response.headers().get(reqwest::header::LOCATION)?.to_str().ok()?;
            let target = response.url().join(location).ok()?;
            let host = target.host_str()?;
            Some(match target.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_string(),
            })
        })
        .flatten();
    let location = response
        .status()
        .is_success()
        .then(|| {
            response
                .headers()
                .get(reqwest::header::LOCATION)?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .flatten();
    let too_large = || Answer {
        status,
        body: String::new(),
        clock,
        retry_after,
        too_large: true,
        redirect_to: redirect_to.clone(),
        location: location.clone(),
    };
    if response.content_length().is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Ok(too_large());
    }
    // Chunk by chunk, so that memory holds at most the limit and one chunk; dropping the response
    // then hangs up on the rest.
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        clock,
        retry_after,
        too_large: false,
        redirect_to,
        location,
    })
}

/// How far this computer's clock is from the answer's `Date`, if it has a readable one.
pub(super) fn clock_of(headers: &reqwest::header::HeaderMap) -> Option<ClockCheck> {
    headers
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .map(|server| ClockCheck::from_offset(offset_seconds(server, SystemTime::now())))
}

pub(super) fn offset_seconds(server: SystemTime, local: SystemTime) -> i64 {
    match server.duration_since(local) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    }
}

pub(super) fn clock_warnings(clock: Option<ClockCheck>) -> Vec<String> {
    match clock {
        Some(c) if c.status != ClockStatus::Ok => vec![format!(
            "This computer's clock differs from NetSuite's by {} seconds; NetSuite refuses requests more than 5 minutes off. \
             Turn on automatic time (NTP).",
            c.offset_seconds
        )],
        _ => vec![],
    }
}
