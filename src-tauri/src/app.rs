//! The desktop window: builds the Tauri app with its plugins, state and the registry's handler, and
//! runs it. Nothing imports this module; it sits on top of the commands, the state and the registry.

use crate::state::{client_options, phase, AppState, STARTED};
use std::process::ExitCode;

pub fn run() -> ExitCode {
    STARTED.get_or_init(std::time::Instant::now);
    phase("run");
    if crate::handover::to_running_window() {
        return ExitCode::SUCCESS;
    }
    paint_on_the_cpu();
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
        // The system's file dialogs, shown from Rust only ("Save a copy as…"): the window is granted none of
        // the plugin's commands. Its script in the page turns alert()/confirm() into one of them, which the
        // capability refuses; the UI uses neither (its confirmations are its own dialogs).
        .plugin(tauri_plugin_dialog::init())
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

/// WebKitGTK (2.46 and later) paints with Skia on the GPU by default; without a GPU, and under Xvfb,
/// that GPU is Mesa's software GL, and what Skia keeps for it (most likely its glyph and path caches,
/// which grow with the fonts and sizes on the page) stays in the web process. A one-window form gains nothing visible from GPU
/// painting: painting on the CPU took this page's web process from 194 to 144 MiB, a bare Tauri
/// window's from 146 to 127 (bench/startup_memory.py). Compositing stays on: turning it off as well
/// saved a little more, but made WebKit's snapshots (what WebDriver's screenshots use) hang. Set
/// before GTK or WebKit start, on the main thread; a user who sets the variable keeps their choice.
fn paint_on_the_cpu() {
    const VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
    if cfg!(target_os = "linux") && std::env::var_os(VAR).is_none() {
        std::env::set_var(VAR, "1");
    }
}
