//! A second launch (the desktop opening an app link while the window is open, or a second click on the
//! app) hands its arguments to the running window and exits before GTK starts. The single-instance
//! plugin does the same from inside Tauri's setup, with GTK already running, and then calls
//! `process::exit`, which now and then crashed the second process as GTK's threads were torn down under
//! it (seen once as SIGSEGV in the app-link tests). The plugin stays: it serves the first window, and
//! covers the launch that loses a race to become the first.
//!
//! The name, path and call are the plugin's (tauri-plugin-single-instance 2.x on Linux, without its
//! `semver` feature): `<identifier>.SingleInstance`, served at the name's path.

/// The app's identifier, as in `tauri.conf.json` (a unit test keeps the two equal).
#[cfg(any(target_os = "linux", test))]
const IDENTIFIER: &str = tba_cli::logging::IDENTIFIER;

/// Whether a running window took this launch's arguments; `false` if there is none (or no session bus),
/// and the launch goes on to open its own.
#[cfg(target_os = "linux")]
pub fn to_running_window() -> bool {
    use zbus::blocking::{fdo::DBusProxy, Connection};
    let name = format!("{IDENTIFIER}.SingleInstance");
    let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
    let Ok(connection) = Connection::session() else {
        return false;
    };
    let Ok(bus) = DBusProxy::new(&connection) else {
        return false;
    };
    let Ok(well_known) = zbus::names::BusName::try_from(name.as_str()) else {
        return false;
    };
    if !bus.name_has_owner(well_known).unwrap_or(false) {
        return false;
    }
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let cwd = std::env::current_dir()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let sent = connection.call_method(
        Some(name.as_str()),
        path.as_str(),
        Some("org.SingleInstance.DBus"),
        "ExecuteCallback",
        &(args, cwd.as_str()),
    );
    match sent {
        Ok(_) => {
            tracing::info!("handed this launch to the running window");
            true
        }
        Err(e) => {
            // The window may have closed meanwhile: open one, as the plugin would.
            tracing::warn!("the running window did not take this launch ({e}); opening a window");
            false
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub fn to_running_window() -> bool {
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_identifier_is_the_configured_one() {
        let config: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        assert_eq!(config["identifier"], super::IDENTIFIER);
    }
}
