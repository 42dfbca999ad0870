// The desktop wizard. With a subcommand (`tba-wizard test …`) it runs the command line, the same code
// as `tba-wizard-cli`, so users' scripts keep working; without one it opens the window.

mod app;
#[cfg(test)]
mod bindings;
mod commands;
mod error;
mod handover;
mod registry;
mod state;

use std::process::ExitCode;
use tba_cli::{hardening, logging, Binary, Start};

fn main() -> ExitCode {
    // The desktop opens an app link as `tba-wizard <link>`; clap would take the link for an unknown
    // subcommand, so it goes to the window, which checks it and never prints it back.
    if opened_with_link() {
        hardening::harden_process();
        hardening::private_files_by_default();
        logging::init(false);
        tracing::info!(
            "tba-wizard {} starting: window, with an app link",
            env!("CARGO_PKG_VERSION")
        );
        return app::run();
    }
    match tba_cli::start(Binary::Desktop) {
        Start::Window => app::run(),
        Start::Exit(code) => code,
    }
}

/// The first argument is an app link, and every argument is text (the plugins read argv as text).
fn opened_with_link() -> bool {
    let first = std::env::args_os().nth(1).and_then(|a| a.into_string().ok());
    first.is_some_and(|a| tba_engine::os::applink::looks_like_link(&a))
        && std::env::args_os().all(|a| a.to_str().is_some())
}
