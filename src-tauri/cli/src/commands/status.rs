//! `status`: what a person checking a server wants at a glance, like `gh auth status`: the store in use
//! and whether it answers, how many connections, the soonest certificate end, the last failures. Exit
//! status 0 when nothing needs a person, 1 when something does (a certificate ending within the warning
//! time or ended, a last test that failed), 5 when the store does not answer.

use crate::exit::*;
use crate::output::*;
use crate::saved::*;
use serde_json::json;
use std::time::SystemTime;
use tba_engine::flow::cards::certificate_card;
use tba_engine::Outcome;

pub(crate) fn cmd_status(as_json: bool) -> Result<u8, CliError> {
    let conns = open_connections();
    let store = conns.vault.backend().name();
    // One search of the store: it answers, or this says why (exit 5).
    let listed = conns.list_synced();
    let list = match listed {
        Ok(list) => list,
        Err(e) => {
            if as_json {
                out_line(format_args!(
                    "{}",
                    json_text(&json!({"store": store, "store_answers": false, "problem": e.to_string()}))
                ));
            } else {
                out_line(format_args!(
                    "Store: {store}: does not answer. {}",
                    visible(&e.to_string())
                ));
            }
            return Ok(EXIT_STORAGE);
        }
    };
    let now = SystemTime::now();
    let mut soonest = list
        .iter()
        .filter_map(|c| certificate_card(c, now).map(|card| (c, card)))
        .collect::<Vec<_>>();
    soonest.sort_by_key(|(_, card)| card.days_left);
    let failures: Vec<_> = list
        .iter()
        .filter_map(|c| c.last_test.as_ref().map(|t| (c, t)))
        .filter(|(_, t)| t.outcome != Outcome::Success)
        .collect();
    let ending = soonest.iter().filter(|(_, card)| card.status != "ok").count();
    let needs_person = ending > 0 || !failures.is_empty();
    if as_json {
        let doc = json!({
            "store": store,
            "store_answers": true,
            "connections": list.len(),
            "soonest_certificate": soonest.first().map(|(c, card)| json!({
                "label": c.label, "expires": card.expires, "days_left": card.days_left, "status": card.status})),
            "certificates_ending": ending,
            "last_failures": failures.iter().map(|(c, t)| json!({
                "label": c.label, "at": t.at, "outcome": t.outcome})).collect::<Vec<_>>(),
            "needs_person": needs_person,
        });
        out_line(format_args!("{}", json_text(&doc)));
    } else {
        out_line(format_args!("Store: {store}: answers."));
        out_line(format_args!("Connections: {}", list.len()));
        match soonest.first() {
            Some((c, card)) => out_line(format_args!(
                "Soonest certificate end: \"{}\" on {} ({} days left{})",
                visible(&c.label),
                card.expires,
                card.days_left,
                if card.status == "ok" {
                    ""
                } else {
                    ": renew it (m2m renew)"
                }
            )),
            None => out_line(format_args!("Soonest certificate end: no OAuth 2.0 certificate")),
        }
        if failures.is_empty() {
            out_line(format_args!("Last tests: none failed"));
        }
        for (c, t) in &failures {
            out_line(format_args!(
                "Last test failed: \"{}\" on {} ({})",
                visible(&c.label),
                t.at,
                serde_json::to_value(t.outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            ));
        }
    }
    Ok(if needs_person { EXIT_EXPIRING } else { EXIT_OK })
}
