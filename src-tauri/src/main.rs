// The same binary is the desktop wizard and, with a subcommand, a headless command-line tool.

mod app;
mod cli;

use clap::error::ErrorKind;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    init_tracing();
    let parsed = match cli::Cli::try_parse() {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    match parsed.command {
        Some(command) => cli::run(command),
        None => app::run(),
    }
}

/// clap quotes unexpected arguments back, and a user who typed a secret on the command line would then
/// see it printed again (and logged by whatever captures output), so those errors are reworded.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::UnknownArgument
        | ErrorKind::InvalidValue
        | ErrorKind::ValueValidation
        | ErrorKind::InvalidSubcommand
        | ErrorKind::TooManyValues
        | ErrorKind::WrongNumberOfValues => {
            eprintln!(
                "tba-wizard: an argument was not understood (it is not repeated here in case it is a secret). \
                 Secrets are read from standard input, never from the command line. See `tba-wizard --help`."
            );
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
        _ => {
            let _ = e.print();
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
    }
}

/// Logs go to standard error and only at warning level unless RUST_LOG asks for more. Nothing in the
/// program logs a secret; the redaction layer for log files arrives with the log folder.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
