//! The desktop window: builds the Tauri app with its plugins, state and the registry's handler, and
//! runs it. Nothing imports this module; it sits on top of the commands, the state and the registry.

use crate::state::{client_options, phase, AppState, STARTED};
use std::process::ExitCode;

pub fn run() -> ExitCode {
    STARTED.get_or_init(std::time::Instant::now);
    phase("run");
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
    let options = match client_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("tba-wizard: {e}");
            return ExitCode::from(tba_cli::exit::EXIT_BAD_INPUT);
        }
    };
    let state = AppState::open(options);
    phase("state");
    let clipboard = state.clipboard.clone();
    let result = tauri::Builder::default()
        // First, so that a second launch hands over its link and exits before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            crate::commands::links::on_second_instance(app, args, cwd)
        }))
        .plugin(tauri_plugin_deep_link::init())
        .manage(state)
        .manage(crate::commands::links::Links::default())
        .setup(|app| {
            phase("setup");
            crate::commands::links::setup(app.handle());
            Ok(())
        })
        .on_page_load(|_, payload| match payload.event() {
            tauri::webview::PageLoadEvent::Started => phase("page-started"),
            tauri::webview::PageLoadEvent::Finished => phase("page-loaded"),
        })
        .invoke_handler(crate::registry::handler())
        .build(tauri::generate_context!());
    match result {
        Ok(app) => {
            app.run(move |_, event| {
                if let tauri::RunEvent::Exit = event {
                    // A secret copied less than 30 s ago must not outlive the app on the clipboard.
                    clipboard.clear_copied();
                }
            });
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tba-wizard: the window could not be opened: {e}");
            ExitCode::FAILURE
        }
    }
}
