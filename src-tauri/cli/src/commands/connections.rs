//! `connections`: add, list, remove, stage, promote and discard saved connections. Refused while the
//! window runs a journey on the same connection.

use crate::describe::*;
use crate::exit::*;
use crate::input::*;
use crate::output::*;
use crate::saved::*;
use crate::ConnectionsCommand;
use serde_json::json;
use tba_engine::keep::store::{Connection, Profile};
use tba_engine::profiles::ConnectorProfile;

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
            let profile = parse_profile(&profile)?;
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
                let ByMethod {
                    column: token, lines, ..
                } = by_method(c);
                out_line(format_args!(
                    "{}  {}  {}  {}  {}",
                    visible(&c.label),
                    visible(&c.account),
                    c.profile.code(),
                    token,
                    last
                ));
                for line in lines {
                    out_line(format_args!("    {line}"));
                }
                if old_copy_kept(c) {
                    out_line(format_args!(
                        "    ! an old copy from an unfinished replacement is still in the keyring; \
                         `tba-wizard connections discard {}` deletes it",
                        visible(&tba_engine::shell_word(&c.label))
                    ));
                }
                if let Some(card) = expiring(c) {
                    out_line(format_args!("    ! {}", visible(&expiry_notice(c, &card))));
                }
            }
            if let Some(days) = expiring_within {
                let now = std::time::SystemTime::now();
                let mut ending = false;
                for c in &list {
                    let Some(card) = tba_engine::flow::cards::certificate_card(c, now) else {
                        continue;
                    };
                    if card.days_left <= i64::from(days) {
                        eprintln!("tba-wizard: {}", visible(&expiry_notice(c, &card)));
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
            let before = conns.sync(&name)?;
            let c = conns.discard(&name)?;
            // With no replacement under way, a kept copy of a replaced set is a leftover: it goes too.
            let c = conns.forget_retired(&c)?;
            let moved_from_tba = tba_engine::keep::m2m::migrate::retired_token(&before).is_some();
            if before.moving().is_some() {
                out_line(format_args!(
                    "Stopped moving \"{}\" to OAuth 2.0: its new key is gone from the keyring, and its TBA token \
                     stays in use.",
                    visible(&c.label)
                ));
            } else if moved_from_tba {
                out_line(format_args!(
                    "Forgot the copy of the old TBA token of \"{}\"; its OAuth 2.0 values stay in use.",
                    visible(&c.label)
                ));
            } else {
                out_line(format_args!(
                    "Discarded the staged values of \"{}\"; the active ones stay.",
                    visible(&c.label)
                ));
            }
        }
        ConnectionsCommand::Export { file } => {
            let list = conns
                .store
                .load()
                .map_err(tba_engine::keep::connections::ConnectionError::from)?;
            let text = tba_engine::keep::moving::export(&list);
            match file {
                None => out_text(format_args!("{text}\n")),
                Some(path) => {
                    tba_engine::keep::store::write_atomic_new(&path, text.as_bytes()).map_err(|e| {
                        if e.kind() == std::io::ErrorKind::AlreadyExists {
                            fail(format!(
                                "{} already exists; give a new file name (an existing file is never replaced)",
                                visible(&path.display().to_string())
                            ))
                        } else {
                            CliError {
                                message: format!(
                                    "the export could not be written to {}: {e}",
                                    visible(&path.display().to_string())
                                ),
                                code: tba_engine::ErrorCode::Storage,
                            }
                        }
                    })?;
                    eprintln!(
                        "tba-wizard: wrote {} connection(s) to {} (no secret: capture the values again after import)",
                        list.len(),
                        visible(&path.display().to_string())
                    );
                }
            }
        }
        ConnectionsCommand::Import { file } => {
            let text = tba_engine::keep::moving::read_export(&file).map_err(|why| fail(visible(&why).into_owned()))?;
            let records = tba_engine::keep::moving::parse_export(&text, tba_engine::keep::moving::EXPORT_AGAIN_CLI)
                .map_err(fail)?;
            let (added, skipped) = conns.import(records)?;
            for c in &added {
                out_line(format_args!(
                    "Imported \"{}\" ({}, {}): its values are not on this computer; NetSuite shows a secret once, so \
                     set the connection up again (new values) and remove this one.",
                    visible(&c.label),
                    visible(&c.account),
                    c.profile.code()
                ));
            }
            for label in &skipped {
                eprintln!(
                    "tba-wizard: skipped \"{}\": a connection of that name or id is already saved",
                    visible(label)
                );
            }
        }
    }
    Ok(EXIT_OK)
}
