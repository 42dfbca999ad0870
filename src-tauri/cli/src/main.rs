//! `tba-wizard-cli`: the command line alone, linked without the desktop stack, for servers and cron.

use std::process::ExitCode;
use tba_cli::{start, Binary, Start};

fn main() -> ExitCode {
    match start(Binary::CommandLine) {
        Start::Exit(code) => code,
        // Only the desktop binary opens a window; without a subcommand this one prints its help.
        Start::Window => ExitCode::from(tba_cli::exit::EXIT_BAD_INPUT),
    }
}
