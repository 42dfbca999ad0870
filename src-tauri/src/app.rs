//! The desktop window. Commands here stay thin: they translate between the webview and the engine.

use serde::Serialize;
use std::process::ExitCode;

#[derive(Serialize)]
pub struct AppInfo {
    name: &'static str,
    version: &'static str,
}

#[tauri::command]
fn app_info() -> AppInfo {
    AppInfo {
        name: "tba-wizard",
        version: env!("CARGO_PKG_VERSION"),
    }
}

pub fn run() -> ExitCode {
    // Without a display GTK panics with a message about its backend; say what to do instead.
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        eprintln!(
            "tba-wizard: no display to open the wizard's window on (neither DISPLAY nor WAYLAND_DISPLAY is set). \
             Run it from a desktop session, or use a subcommand such as `tba-wizard test` (see `tba-wizard --help`)."
        );
        return ExitCode::FAILURE;
    }
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![app_info])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tba-wizard: the window could not be opened: {e}");
            ExitCode::FAILURE
        }
    }
}
