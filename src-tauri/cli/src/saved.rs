//! The saved connections as every subcommand opens them, and the checks that keep the command line
//! off a connection the window is replacing values on.

use crate::exit::*;
use crate::output::*;
use tba_engine::keep::connections::{ConnectionError, Connections};
use tba_engine::keep::store::{Connection, ConnectionStore};
use tba_engine::keep::vault::{SystemStore, Vault};

pub(crate) fn open_connections() -> Connections<SystemStore> {
    // The keyring, or the secrets file where TBA_WIZARD_STORE=file asks for it (never as a fallback).
    let store = ConnectionStore::open_default();
    let secrets = SystemStore::from_env(store.dir());
    Connections::new(store, Vault::new(secrets))
}

/// A copy of a replaced set (the old consumer secret too) left in the keyring with no replacement
/// under way on the connection.
/// `journey`: what `journey_under_way` answered (a progress file that cannot be read counts as a journey
/// on every connection, so nothing is called a leftover then).
pub(crate) fn old_copy_kept(
    conns: &Connections<SystemStore>,
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
    conns: &Connections<SystemStore>,
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
