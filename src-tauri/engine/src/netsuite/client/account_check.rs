//! The account check: NetSuite's datacenter lookup, without authentication, says whether an account
//! exists and where it lives.

use super::*;

/// What `rest.netsuite.com/rest/datacenterurls` said about an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DatacenterCheck {
    pub status: DatacenterStatus,
    pub message: String,
    pub rest_domain: Option<String>,
    pub webservices_domain: Option<String>,
    pub system_domain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DatacenterStatus {
    Confirmed,
    NotFound,
    Offline,
}

/// Asks NetSuite, without authentication, whether the account exists and where it lives. Offline, it
/// says so and the derived hosts are used.
pub async fn check_account(account: &Account, options: &ClientOptions, cancel: &CancellationToken) -> DatacenterCheck {
    let mut url = Url::parse(DATACENTER_URL).expect("static URL parses");
    if let Some(base) = &options.base_url {
        rebase(&mut url, base);
    }
    url.query_pairs_mut().append_pair("account", account.id());
    let host = url.host_str().unwrap_or_default().to_string();
    let offline = |message: String| DatacenterCheck {
        status: DatacenterStatus::Offline,
        message,
        rest_domain: None,
        webservices_domain: None,
        system_domain: None,
    };
    let tls = match super::tls::client_config() {
        Ok(tls) => tls,
        Err(e) => return offline(format!("The HTTP client could not be set up ({e}).")),
    };
    let http = match reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .connect_timeout(options.connect_timeout)
        .timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
    {
        Ok(h) => h,
        Err(e) => return offline(format!("The HTTP client could not be set up ({e}).")),
    };
    tracing::debug!(%host, account = account.id(), "asking NetSuite where the account lives");
    let request = async {
        let response = http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await?;
        read_answer(response).await
    };
    let answer = tokio::select! {
        _ = cancel.cancelled() => return offline("The check was cancelled; using the hosts derived from the account ID.".into()),
        a = request => a,
    };
    let answer = match answer {
        Ok(a) => a,
        Err(e) => {
            let problem = classify_network_error(&e, &host, options.timeout);
            return offline(format!(
                "NetSuite could not be reached to confirm the account ({}); going on with the hosts derived from the account ID.",
                problem.message.trim_end_matches('.')
            ));
        }
    };
    if answer.too_large {
        return offline(format!(
            "NetSuite's account lookup answered with more than {} MiB, which is not NetSuite's answer; going on \
             with the hosts derived from the account ID.",
            MAX_BODY_BYTES >> 20
        ));
    }
    let json: Option<serde_json::Value> = serde_json::from_str(&answer.body).ok();
    let field = |k: &str| {
        json.as_ref()
            .and_then(|j| j.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    match answer.status {
        200..=299 if field("restDomain").is_some() || field("systemDomain").is_some() => DatacenterCheck {
            status: DatacenterStatus::Confirmed,
            message: format!("NetSuite confirmed that account {} exists.", account.id()),
            rest_domain: field("restDomain"),
            webservices_domain: field("webservicesDomain"),
            system_domain: field("systemDomain"),
        },
        400..=499 if json.is_some() => DatacenterCheck {
            status: DatacenterStatus::NotFound,
            message: format!(
                "NetSuite does not know the account {}. Check the Account ID at Setup > Company > Company Information; \
                 a sandbox ID ends in _SB1, _SB2, …",
                account.id()
            ),
            rest_domain: None,
            webservices_domain: None,
            system_domain: None,
        },
        status => offline(format!(
            "NetSuite's account lookup gave an unexpected answer (HTTP {status}); going on with the hosts derived from the account ID."
        )),
    }
}
