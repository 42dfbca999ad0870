//! `check-account`: what an account ID means, and optionally whether NetSuite knows it.

use crate::exit::*;
use crate::input::*;
use crate::output::*;
use serde_json::{json, Value};
use tba_engine::netsuite::client::{self, DatacenterCheck};
use tba_engine::{deep_link, CancellationToken, ClientOptions, Page};

pub(crate) fn cmd_check_account(
    text: &str,
    online: bool,
    base_url: Option<&str>,
    timeout: f64,
    as_json: bool,
) -> Result<u8, CliError> {
    let account = parse_account(text)?;
    let options = ClientOptions {
        timeout: seconds(timeout, "timeout")?,
        base_url: base_url
            .map(client::parse_base_url)
            .transpose()
            .map_err(|e| fail(format!("--base-url: {e}")))?,
        ..Default::default()
    };
    let datacenter: Option<DatacenterCheck> =
        online.then(|| runtime().block_on(client::check_account(&account, &options, &CancellationToken::new())));
    let links: serde_json::Map<String, Value> = Page::ALL
        .iter()
        .map(|p| (p.code(), json!(deep_link(&account, *p).as_str())))
        .collect();
    let env = account.environment();
    let value = json!({
        "account_id": account.id(),
        "realm": account.realm(),
        "environment": env.code(),
        "environment_label": env.to_string(),
        "sandbox_number": match env { tba_engine::Environment::Sandbox { number } => Some(*number), _ => None },
        "host_label": account.host_label(),
        "ui_host": account.ui_host(),
        "rest_host": account.rest_host(),
        "restlets_host": account.restlets_host(),
        "links": links,
        "datacenter": datacenter,
    });
    if as_json {
        out_line(format_args!("{}", json_text(&value)));
        return Ok(EXIT_OK);
    }
    let mut out = format!(
        "Account ID:    {}\nEnvironment:   {}\nUI host:       {}\nREST host:     {}\nRESTlets host: {}\n",
        account.id(),
        env,
        account.ui_host(),
        account.rest_host(),
        account.restlets_host()
    );
    if let Some(dc) = &datacenter {
        out.push_str(&format!("NetSuite:      {}\n", visible(&dc.message)));
    }
    out.push_str("Pages:\n");
    for p in Page::ALL {
        out.push_str(&format!("  {:<24} {}\n", p.title(), deep_link(&account, p)));
    }
    out_text(format_args!("{out}"));
    Ok(EXIT_OK)
}
