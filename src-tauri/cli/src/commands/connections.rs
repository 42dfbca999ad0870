//! `connections`: add, list, remove, stage, promote and discard saved connections. Refused while the
//! window runs a journey on the same connection.

use crate::exit::*;
use crate::input::*;
use crate::output::*;
use crate::ConnectionsCommand;
use serde_json::{json, Value};
use std::borrow::Cow;
use tba_engine::keep::connections::{ConnectionError, Connections};
use tba_engine::keep::secrets::{Field, Fingerprints};
use tba_engine::keep::store::{Connection, ConnectionStore, Profile};
use tba_engine::keep::vault::{KeyringStore, Vault};
use tba_engine::profiles::ConnectorProfile;
use tba_engine::Account;

pub(crate) fn open_connections() -> Connections<KeyringStore> {
    Connections::new(ConnectionStore::open_default(), Vault::keyring())
}

/// What `connections add` reads for a profile, in the words of its error messages.
pub(crate) fn fields_of(profile: Profile) -> String {
    let codes: Vec<&str> = ConnectorProfile::of(profile)
        .secrets()
        .iter()
        .map(|f| f.code())
        .collect();
    match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("with {} and {last}", rest.join(", ")),
        Some((last, _)) => format!("with {last}"),
        None => CREDENTIAL_FIELDS.to_string(),
    }
}

pub(crate) fn connection_json(c: &Connection) -> Value {
    let mut v = serde_json::to_value(c).expect("Connection serializes");
    if let Ok(a) = Account::parse(&c.account) {
        v["environment"] = json!(a.environment().code());
        v["environment_label"] = json!(a.environment().to_string());
    }
    if let Some(Value::Object(summary)) = crate::commands::m2m::m2m_summary(c) {
        for (k, val) in summary {
            v[k] = val;
        }
    }
    v
}

pub(crate) fn print_connection(c: &Connection, as_json: bool, verb: &str) {
    if as_json {
        out_line(format_args!("{}", json_text(&connection_json(c))));
        return;
    }
    out_line(format_args!(
        "{verb} \"{}\" ({}, {}).",
        visible(&c.label),
        visible(&c.account),
        c.profile.code()
    ));
    if c.m2m.is_some() {
        for line in crate::commands::m2m::m2m_lines(c) {
            out_line(format_args!("  {line}"));
        }
        return;
    }
    out_line(format_args!("  {}", fingerprint_line(&c.fingerprints, c.profile)));
    if !c.pending_fingerprints.is_empty() {
        out_line(format_args!(
            "  staged: {}",
            fingerprint_line(&c.pending_fingerprints, c.profile)
        ));
    }
}

/// The values a connection of `profile` holds (a Celigo one: the token pair), and any other present.
pub(crate) fn fingerprint_line(f: &Fingerprints, profile: Profile) -> String {
    let held = ConnectorProfile::of(profile).secrets();
    Field::ALL
        .iter()
        .filter(|field| held.contains(field) || f.get(**field).is_some())
        .map(|field| format!("{} {}", field.label(), visible(f.get(*field).unwrap_or("-"))))
        .collect::<Vec<_>>()
        .join(" · ")
}

pub(crate) fn cmd_connections(action: ConnectionsCommand) -> Result<u8, CliError> {
    let conns = open_connections();
    match action {
        ConnectionsCommand::Add {
            name,
            account,
            profile,
            token_name,
            json,
            ..
        } => {
            let account = parse_account(&account)?;
            let profile = Profile::parse(&profile).ok_or_else(|| {
                let ids: Vec<&str> = ConnectorProfile::all().iter().map(|p| p.id.as_str()).collect();
                fail(format!(
                    "--profile must be one of {} (`tba-wizard profiles` describes them)",
                    ids.join(", ")
                ))
            })?;
            let values = read_secret_set(&fields_of(profile))?;
            tba_engine::keep::connections::check_holds_profile(profile, &values)?;
            // Free text goes to connections.json and on screen: a secret pasted there must go neither.
            let given = values.fingerprints();
            for (what, text) in [("NAME", Some(name.as_str())), ("--token-name", token_name.as_deref())] {
                if text.is_some_and(|t| tba_engine::keep::secrets::looks_like_secret(t, &[&given])) {
                    return Err(fail(format!("{what}: {}", tba_engine::keep::secrets::SECRET_LIKE)));
                }
            }
            let (c, warnings) = conns.add(&name, &account, profile, token_name.as_deref(), &values)?;
            print_warnings(&warnings);
            print_connection(&c, json, "Saved");
        }
        ConnectionsCommand::List { json, expiring_within } => {
            // One search of the keyring and one read of each file, however many connections there are.
            let (list, _batch) = conns.list_in_batch()?;
            let journey = tba_engine::flow::journey::journey_under_way(&conns.store);
            let old_copy_kept = |c: &Connection| old_copy_kept(&conns, &journey, c);
            if json {
                out_line(format_args!(
                    "{}",
                    json_text(&json!({ "connections": list.iter().map(|c| {
                        let mut v = connection_json(c);
                        v["old_copy_kept"] = json!(old_copy_kept(c));
                        v
                    }).collect::<Vec<_>>() }))
                ));
            } else if list.is_empty() {
                out_line(format_args!("No saved connections."));
            }
            for c in list.iter().filter(|_| !json) {
                let last = c.last_test.as_ref().map_or("never tested".to_string(), |t| {
                    format!(
                        "last test: {} at {}",
                        tba_engine::serde_name(&t.outcome),
                        visible(&t.at)
                    )
                });
                let token = match c.token_name.as_deref() {
                    _ if c.m2m.is_some() => Cow::Borrowed("OAuth 2.0 client credentials"),
                    Some(name) => visible(name),
                    None => Cow::Borrowed("(token name not given)"),
                };
                out_line(format_args!(
                    "{}  {}  {}  {}  {}",
                    visible(&c.label),
                    visible(&c.account),
                    c.profile.code(),
                    token,
                    last
                ));
                if c.m2m.is_some() {
                    for line in crate::commands::m2m::m2m_lines(c) {
                        out_line(format_args!("    {line}"));
                    }
                } else {
                    out_line(format_args!("    {}", fingerprint_line(&c.fingerprints, c.profile)));
                    if !c.pending_fingerprints.is_empty() {
                        out_line(format_args!(
                            "    staged: {}",
                            fingerprint_line(&c.pending_fingerprints, c.profile)
                        ));
                    }
                }
                if old_copy_kept(c) {
                    out_line(format_args!(
                        "    ! an old copy from an unfinished replacement is still in the keyring; \
                         `tba-wizard connections discard {}` deletes it",
                        visible(&tba_engine::shell_word(&c.label))
                    ));
                }
                if let Some(card) = crate::commands::m2m::expiring(c) {
                    out_line(format_args!(
                        "    ! {}",
                        visible(&crate::commands::m2m::expiry_notice(c, &card))
                    ));
                }
            }
            if let Some(days) = expiring_within {
                let now = std::time::SystemTime::now();
                let mut ending = false;
                for c in &list {
                    let Some(card) = tba_engine::flow::home::certificate_card(c, now) else {
                        continue;
                    };
                    if card.days_left <= i64::from(days) {
                        eprintln!(
                            "tba-wizard: {}",
                            visible(&crate::commands::m2m::expiry_notice(c, &card))
                        );
                        ending = true;
                    }
                }
                if ending {
                    return Ok(EXIT_EXPIRING);
                }
            }
        }
        ConnectionsCommand::Remove { name } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let c = conns.remove(&name)?;
            out_line(format_args!(
                "Removed \"{}\" and its keyring entries.",
                visible(&c.label)
            ));
        }
        ConnectionsCommand::Stage { name, json, .. } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let values = read_secret_set(&format!("{CREDENTIAL_FIELDS} (any whole pair of them)"))?;
            let (c, warnings) = conns.stage(&name, &values)?;
            print_warnings(&warnings);
            print_connection(&c, json, "Staged new values for");
        }
        ConnectionsCommand::Promote { name, json } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let c = conns.promote(&name)?;
            print_connection(&c, json, "Now using the new values for");
        }
        ConnectionsCommand::Discard { name } => {
            let _lock = refuse_during_journey(&conns, &name)?;
            let c = conns.discard(&name)?;
            // With no replacement under way, a kept copy of a replaced set is a leftover: it goes too.
            conns.vault.forget_retired(&c.id).map_err(ConnectionError::from)?;
            out_line(format_args!(
                "Discarded the staged values of \"{}\"; the active ones stay.",
                visible(&c.label)
            ));
        }
    }
    Ok(EXIT_OK)
}

/// A copy of a replaced set (the old consumer secret too) left in the keyring with no replacement
/// under way on the connection.
/// `journey`: what `journey_under_way` answered (a progress file that cannot be read counts as a journey
/// on every connection, so nothing is called a leftover then).
pub(crate) fn old_copy_kept(
    conns: &Connections<KeyringStore>,
    journey: &Result<Option<(String, tba_engine::flow::view::Journey)>, String>,
    c: &Connection,
) -> bool {
    let on_this = match journey {
        Ok(None) => false,
        Ok(Some((id, _))) => *id == c.id,
        Err(_) => true,
    };
    !on_this && conns.vault.holds_retired(&c.id)
}

/// The window keeps a rotation's progress next to the connections; changing that connection's keyring
/// items from here would pull the values out from under it. The check holds the connection file's lock,
/// which the caller keeps (the returned guard) until its change is done, and the window writes its
/// journey file under the same lock. A journey file that cannot be read refuses too.
pub(crate) fn refuse_during_journey(
    conns: &Connections<KeyringStore>,
    name: &str,
) -> Result<tba_engine::keep::store::StoreLock, CliError> {
    let lock = conns.store.lock().map_err(ConnectionError::from)?;
    let c = conns.get(name)?;
    match tba_engine::flow::journey::journey_on(&conns.store, &c.id) {
        Ok(Some(journey)) => Err(not_now(format!(
            "\"{}\" is in the middle of \"{}\" in the wizard's window. Finish or stop it there first.",
            visible(&c.label),
            journey.title()
        ))),
        Ok(None) => Ok(lock),
        Err(why) => Err(not_now(format!(
            "the window's replacement progress {why}, so it is not known whether a replacement is under way on \
             \"{}\". Open the wizard's window (it sets the file aside and says so), then try again.",
            visible(&c.label)
        ))),
    }
}
