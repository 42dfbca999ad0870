// The same binary is the desktop wizard and, with a subcommand, a headless command-line tool.

mod app;
mod cli;
mod hardening;
mod journeys;
mod links;
mod logging;
mod support;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

fn main() -> ExitCode {
    hardening::harden_process();
    private_files_by_default();

    // The desktop opens an app link as `tba-wizard <link>`; clap would take the link for an unknown
    // subcommand, so it goes to the window, which checks it and never prints it back.
    if opened_with_link() {
        logging::init(false);
        tracing::info!(
            "tba-wizard {} starting: window, with an app link",
            env!("CARGO_PKG_VERSION")
        );
        return app::run();
    }
    // Parsed through ArgMatches for the subcommand's name, so that the start line needs no list of
    // subcommands to keep in step with cli.rs.
    let mut matches = match cli::Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return usage_error(e),
    };
    let subcommand = matches.subcommand_name().map(str::to_owned);
    let parsed = match cli::Cli::from_arg_matches_mut(&mut matches) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    logging::init(parsed.verbose);
    // The subcommand's name only: arguments could hold anything a user typed.
    tracing::info!(
        "tba-wizard {} starting: {}",
        env!("CARGO_PKG_VERSION"),
        subcommand.as_deref().unwrap_or("window")
    );
    match parsed.command {
        Some(command) => cli::run(command),
        None => app::run(),
    }
}

/// Belt and braces under the explicit 0600/0700 modes of the store and the logs: files and folders that
/// anything in the process creates (a log file rotated at midnight, WebKit's data) are the user's only.
/// Set first, before any thread exists, because the mask is process-wide.
fn private_files_by_default() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// The first argument is an app link, and every argument is text (the plugins read argv as text).
fn opened_with_link() -> bool {
    let first = std::env::args_os().nth(1).and_then(|a| a.into_string().ok());
    first.is_some_and(|a| tba_engine::os::applink::looks_like_link(&a))
        && std::env::args_os().all(|a| a.to_str().is_some())
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
