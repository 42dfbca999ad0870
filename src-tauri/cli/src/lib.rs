//! The command line of tba-wizard, for admins, scripts and support: the `tba-wizard-cli` binary, built
//! without Tauri, GTK or WebKit so it runs from cron on a server with no desktop, and the subcommands
//! of the desktop binary (`tba-wizard test …`), which forward here. They never open a window. Secrets come only from standard input, never from arguments,
//! and are never printed.

mod commands;
mod describe;
pub mod exit;
pub mod hardening;
mod input;
mod keys;
pub mod logging;
mod output;
mod saved;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use crate::commands::{
    check_account::*, completion::*, connections::*, m2m::*, migrate::*, profiles::*, sign::*, status::*, test::*,
};
use crate::exit::*;
use crate::input::client_options;
use crate::output::*;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "tba-wizard",
    version,
    about = "Setup wizard for NetSuite Token-Based Authentication.\n\
Without a subcommand it opens the wizard's window."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Log in detail (debug level) to standard error and to the log file.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the OAuth 1.0a base string, signature and Authorization header for one request.
    /// Reads a JSON object on standard input: method, url, account_id, consumer_key, consumer_secret,
    /// token_id, token_secret, and optionally nonce and timestamp.
    Sign {
        /// Read one JSON object per line and print one result per line.
        #[arg(long)]
        jsonl: bool,
    },
    /// Make a signed test call to NetSuite and say what works or what to fix.
    /// Exit status: 0 success, 2 bad input, 3 NetSuite refused, 4 network, timeout, concurrency or server trouble,
    /// 5 keyring or connection file trouble (secrets missing included). With --all: 0 when every connection that
    /// could be tested passed (none saved included), otherwise the highest status among the failed ones.
    #[command(group(clap::ArgGroup::new("source").required(true).args(["credentials_stdin", "connection", "all"])))]
    Test {
        /// The account ID (1234567, 1234567_SB1, …) or any NetSuite address of the account.
        #[arg(long, requires = "credentials_stdin")]
        account: Option<String>,
        /// Read consumer_key, consumer_secret, token_id and token_secret as JSON on standard input.
        #[arg(long, requires = "account")]
        credentials_stdin: bool,
        /// Test a saved connection, with its secrets from the keyring (an OAuth 2.0 one: a token, then the call).
        #[arg(long, value_name = "NAME", conflicts_with = "account")]
        connection: Option<String>,
        /// With --connection: test the values staged for rotation instead of the active ones.
        #[arg(long, requires = "connection")]
        pending: bool,
        /// Test every saved connection and print a table: at most 2 calls at once per account (NetSuite's
        /// concurrency limit is shared by all of an account's integrations) and 4 overall. Connections
        /// whose connector holds the consumer pair (Celigo) are listed as not tested, after an account check.
        #[arg(long, conflicts_with_all = ["connection", "account", "credentials_stdin", "pending"])]
        all: bool,
        /// Send the call to this scheme, host and port instead of NetSuite's (for stand-ins and proxies).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Give up after this many seconds, retries included.
        #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
        timeout: f64,
        /// Give up connecting after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        connect_timeout: f64,
        /// Print the result as one JSON object (with --all: an array of one object per connection).
        #[arg(long)]
        json: bool,
    },
    /// Show what an account ID means: canonical ID, environment, hosts and the NetSuite pages used.
    CheckAccount {
        /// The account ID or any NetSuite address of the account.
        account: String,
        /// Also ask NetSuite whether the account exists (no credentials needed).
        #[arg(long)]
        online: bool,
        /// Ask this scheme, host and port instead of rest.netsuite.com (for stand-ins and proxies).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
        timeout: f64,
        /// Print the result as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// At a glance: the store in use and whether it answers, the number of connections, the soonest
    /// certificate end and the last failures. Exit status 0 when nothing needs a person, 1 when something
    /// does, 5 when the store does not answer.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell, e.g.
    /// `source <(tba-wizard-cli completion bash)`. The packages install them.
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `tba-wizard-cli man | man -l -`. The packages install it.
    Man,
    /// The connector profiles this build knows: id, name, step codes and what each step collects.
    Profiles {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Saved connections: secrets in the system keyring, everything else in the config folder.
    Connections {
        #[command(subcommand)]
        action: ConnectionsCommand,
    },
    /// Move a saved TBA connection to OAuth 2.0 client credentials without a minute offline: a key made
    /// in the keyring beside its token, which keeps working. Then `m2m set NAME --pending`, `test
    /// --connection NAME --pending`, `connections promote NAME` (the switch) and, once the token is
    /// revoked, `connections discard NAME`.
    Migrate {
        name: String,
        /// ES256 (EC P-256, the default), ES384, ES512, or PS256, PS384, PS512 (RSA 3072).
        #[arg(long, value_name = "ALG", default_value = "ES256")]
        algorithm: String,
        /// How long the certificate is valid, 1 to 730 days (NetSuite keeps one at most two years).
        #[arg(long, value_name = "N", default_value_t = 730)]
        days: u32,
        /// The scopes to tick on the integration record, comma-separated: rest_webservices, restlets, suite_analytics.
        #[arg(long, value_name = "SCOPES", default_value = "rest_webservices")]
        scope: String,
        /// Where to write the certificate (PEM) to upload; an existing file is not replaced.
        #[arg(long, value_name = "FILE")]
        certificate_out: std::path::PathBuf,
        /// Read {"client_id": "…"} on standard input, where NetSuite shows a Client ID other than the
        /// consumer key kept in the keyring (by default the consumer key is the Client ID).
        #[arg(long)]
        credentials_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// OAuth 2.0 client credentials (machine to machine), TBA's successor for new integrations: a key
    /// made in the keyring, its certificate for NetSuite's mapping page, the Client ID and Certificate ID.
    M2m {
        #[command(subcommand)]
        action: M2mCommand,
    },
}

/// `m2m new` and `m2m import` without `--profile`: an own integration signing in with OAuth 2.0. Only a
/// default: any profile whose `auth` is `m2m` is taken.
const DEFAULT_M2M_PROFILE: &str = "own_m2m";

#[derive(Subcommand, Debug)]
pub enum M2mCommand {
    /// Make a key in the keyring and a self-signed certificate to upload, and save the connection.
    New {
        name: String,
        /// The account ID (1234567, 1234567_SB1, …) or any NetSuite address of the account.
        #[arg(long)]
        account: String,
        /// ES256 (EC P-256, the default), ES384, ES512, or PS256, PS384, PS512 (RSA 3072).
        #[arg(long, value_name = "ALG", default_value = "ES256")]
        algorithm: String,
        /// How long the certificate is valid, 1 to 730 days (NetSuite keeps one at most two years).
        #[arg(long, value_name = "N", default_value_t = 730)]
        days: u32,
        /// The scopes ticked on the integration record, comma-separated: rest_webservices, restlets, suite_analytics.
        #[arg(long, value_name = "SCOPES", default_value = "rest_webservices")]
        scope: String,
        /// Where to write the certificate (PEM) to upload; an existing file is not replaced.
        #[arg(long, value_name = "FILE")]
        certificate_out: std::path::PathBuf,
        /// The connector procedure: an OAuth 2.0 profile's id from `tba-wizard profiles`.
        #[arg(long, value_name = "ID", default_value = DEFAULT_M2M_PROFILE)]
        profile: String,
        #[arg(long)]
        json: bool,
    },
    /// Save a connection with a key made elsewhere (openssl): the PEM private key on standard input,
    /// its certificate from a file.
    Import {
        name: String,
        #[arg(long)]
        account: String,
        /// The certificate made with the key (PEM, or binary DER).
        #[arg(long, value_name = "FILE")]
        certificate: std::path::PathBuf,
        /// Read the PEM private key on standard input (never from an argument).
        #[arg(
            long,
            required_unless_present = "private_key_file",
            conflicts_with = "private_key_file"
        )]
        private_key_stdin: bool,
        /// Read the PEM private key from FILE (a regular file, not a symbolic link, at most 64 KiB).
        #[arg(long, value_name = "FILE")]
        private_key_file: Option<std::path::PathBuf>,
        /// The algorithm to sign with; by default the key's own (ES256/ES384/ES512 for its curve, PS256 for RSA).
        #[arg(long, value_name = "ALG")]
        algorithm: Option<String>,
        #[arg(long, value_name = "SCOPES", default_value = "rest_webservices")]
        scope: String,
        /// The connector procedure: an OAuth 2.0 profile's id from `tba-wizard profiles`.
        #[arg(long, value_name = "ID", default_value = DEFAULT_M2M_PROFILE)]
        profile: String,
        #[arg(long)]
        json: bool,
    },
    /// Give the mapping's Certificate ID and, as JSON on standard input ({"client_id": "…"}), the
    /// integration record's Client ID.
    Set {
        name: String,
        /// For the certificate staged by `m2m rotate`.
        #[arg(long)]
        pending: bool,
        /// The Certificate ID on the mapping's row (OAuth 2.0 Client Credentials (M2M) Setup). It may
        /// start with "-", as about one in 64 of NetSuite's do.
        #[arg(long, value_name = "ID", allow_hyphen_values = true)]
        certificate_id: String,
        /// Read {"client_id": "…"} on standard input.
        #[arg(long)]
        credentials_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// Make a new key and certificate in the pending slot; the current ones keep working until promoted.
    Rotate {
        name: String,
        /// By default the algorithm in use.
        #[arg(long, value_name = "ALG")]
        algorithm: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 730)]
        days: u32,
        #[arg(long, value_name = "FILE")]
        certificate_out: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Renew certificates before they end, through NetSuite's certificate endpoint: for each OAuth 2.0
    /// connection whose certificate ends within DAYS, a new key and certificate staged, uploaded as a
    /// mapping like the current one, tested, switched to, the old mapping revoked and the old key shown
    /// refused. Run it again after any failure or kill: it finishes the job, and the key in use always
    /// works. Exit status 0 when each is renewed or not due, otherwise the highest status of those that
    /// need a person. For cron or a systemd timer.
    #[command(group(clap::ArgGroup::new("which").required(true).args(["name", "all"])))]
    Renew {
        name: Option<String>,
        /// Every OAuth 2.0 connection.
        #[arg(long)]
        all: bool,
        /// Renew a certificate that ends within this many days.
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        within: u32,
        /// How long the new certificate is valid, 1 to 730 days.
        #[arg(long, value_name = "N", default_value_t = 730)]
        days: u32,
        /// Send the calls to this scheme, host and port instead of NetSuite's (for stand-ins and proxies).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Give up on one call after this many seconds, retries included.
        #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
        timeout: f64,
        /// Print one JSON array: per connection its result (renewed, not_due, needs_person) and message.
        #[arg(long)]
        json: bool,
    },
    /// Print the client assertion's header and claims as JSON (never its signature, a token or the Client ID).
    Assertion {
        name: String,
        /// The assertion of the staged key and certificate.
        #[arg(long)]
        pending: bool,
        /// The token URL (the `aud`) at this scheme, host and port instead of NetSuite's.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConnectionsCommand {
    /// Save a connection; its values are read as JSON on standard input (the four TBA values; for
    /// Celigo, whose application holds the consumer pair, token_id and token_secret).
    Add {
        name: String,
        #[arg(long)]
        account: String,
        /// The connector procedure: an id from `tba-wizard profiles` (the list is filled in from the
        /// profiles this build embeds, see `with_profiles`).
        #[arg(long)]
        profile: String,
        /// Read the values as JSON on standard input: the fields the connector's connection holds.
        #[arg(long, required = true)]
        credentials_stdin: bool,
        /// The access token's name in NetSuite, to find it again when revoking it.
        #[arg(long, value_name = "TEXT")]
        token_name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List saved connections (fingerprints only, never a secret).
    List {
        #[arg(long)]
        json: bool,
        /// Exit with status 1 (and say which on standard error) when an OAuth 2.0 certificate in use
        /// ends within DAYS days or has ended: for cron.
        #[arg(long, value_name = "DAYS")]
        expiring_within: Option<u32>,
    },
    /// Remove a connection and its keyring entries.
    Remove { name: String },
    /// Stage new values for rotation (whole pairs, as JSON on standard input); the active ones stay in use.
    Stage {
        name: String,
        #[arg(long, required = true)]
        credentials_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// Make the staged values active, in one keyring write.
    Promote {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Throw the staged values away; the active ones stay.
    Discard { name: String },
    /// Write the saved connections' details (labels, accounts, profiles, token names, fingerprints,
    /// certificates and their IDs, last results) as JSON, to FILE or standard output: never a secret.
    /// For moving to another machine with `connections import`.
    Export {
        /// A new file (never replaced), readable by you only; standard output without it.
        file: Option<std::path::PathBuf>,
    },
    /// Recreate connections from an export: their values are missing until captured again (the window's
    /// home card offers it). A connection whose name or id is already saved is skipped. A file holding
    /// anything shaped like a secret is refused.
    Import { file: std::path::PathBuf },
}

pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Sign { jsonl } => cmd_sign(jsonl),
        Command::Test {
            account,
            connection,
            pending,
            all,
            base_url,
            timeout,
            connect_timeout,
            json,
            ..
        } => {
            let options = client_options(base_url.as_deref(), timeout, connect_timeout);
            match (account, connection) {
                _ if all => options.and_then(|o| cmd_test_all(o, json)),
                (Some(account), _) => options.and_then(|o| cmd_test(&account, o, json)),
                (None, Some(name)) => options.and_then(|o| cmd_test_connection(&name, pending, o, json)),
                (None, None) => Err(fail(
                    "give --account with --credentials-stdin, --connection NAME, or --all",
                )),
            }
        }
        Command::Connections { action } => cmd_connections(action),
        Command::M2m { action } => cmd_m2m(action),
        Command::Migrate {
            name,
            algorithm,
            days,
            scope,
            certificate_out,
            credentials_stdin,
            json,
        } => cmd_migrate(Migrate {
            name,
            algorithm,
            days,
            scope,
            certificate_out,
            credentials_stdin,
            json,
        }),
        Command::Profiles { json } => cmd_profiles(json),
        Command::Status { json } => cmd_status(json),
        // Answered in `start`, which has the whole command: its name is the binary's.
        Command::Completion { .. } | Command::Man => Err(fail("completion and man are answered by `start`")),
        Command::CheckAccount {
            account,
            online,
            base_url,
            timeout,
            json,
        } => cmd_check_account(&account, online, base_url.as_deref(), timeout, json),
    };
    finish(result)
}

/// A subcommand's exit status, its error said on standard error.
fn finish(result: Result<u8, CliError>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(output::exit_status(code)),
        Err(e) => {
            // Messages echo names typed by the user or read from the connection file.
            eprintln!("tba-wizard: {}", visible(&e.message));
            ExitCode::from(e.exit_status())
        }
    }
}

/// Which binary is starting: the desktop one opens its window when no subcommand is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {
    Desktop,
    CommandLine,
}

impl Binary {
    fn name(self) -> &'static str {
        match self {
            Binary::Desktop => "tba-wizard",
            Binary::CommandLine => "tba-wizard-cli",
        }
    }
}

/// What `main` should do after the arguments are read.
pub enum Start {
    /// Open the window (desktop binary, no subcommand); logging is set up.
    Window,
    /// Done: exit with this status.
    Exit(ExitCode),
}

/// Hardens the process, reads the arguments, sets up logging and runs a subcommand. Both binaries start
/// here, so `tba-wizard test` and `tba-wizard-cli test` are the same code with the same exit statuses.
pub fn start(binary: Binary) -> Start {
    hardening::harden_process();
    hardening::private_files_by_default();
    let command = cli_command(binary);
    // Parsed through ArgMatches for the subcommand's name, so that the start line needs no list of
    // subcommands to keep in step with the commands.
    let mut matches = match command.try_get_matches() {
        Ok(m) => m,
        Err(e) => return Start::Exit(usage_error(binary, e)),
    };
    let subcommand = matches.subcommand_name().map(str::to_owned);
    let parsed = match Cli::from_arg_matches_mut(&mut matches) {
        Ok(p) => p,
        Err(e) => return Start::Exit(usage_error(binary, e)),
    };
    logging::init(parsed.verbose);
    // The subcommand's name only: arguments could hold anything a user typed.
    tracing::info!(
        "{} {} starting: {}",
        binary.name(),
        env!("CARGO_PKG_VERSION"),
        subcommand.as_deref().unwrap_or("window")
    );
    let generated = match parsed.command {
        Some(Command::Completion { shell }) => cmd_completion(shell, cli_command(binary)),
        Some(Command::Man) => cmd_man(cli_command(binary)),
        Some(command) => return Start::Exit(run(command)),
        None => return Start::Window,
    };
    Start::Exit(finish(generated))
}

/// The whole command line as `binary` presents it: its name, its help, the profiles in `connections add`.
fn cli_command(binary: Binary) -> clap::Command {
    let command = with_profiles(Cli::command().name(binary.name()).bin_name(binary.name()));
    if binary == Binary::CommandLine {
        command
            .about("The command line of tba-wizard, the setup wizard for NetSuite Token-Based Authentication.")
            .arg_required_else_help(true)
    } else {
        command
    }
}

/// The help of `connections add` names the profiles this build embeds and what each one's connection
/// holds, from the profiles themselves: a connector added as a file appears here too.
fn with_profiles(command: clap::Command) -> clap::Command {
    use tba_engine::profiles::{ConnectorProfile, ProfileId};
    let holds: Vec<String> = ConnectorProfile::all()
        .iter()
        .map(|p| {
            let fields: Vec<&str> = p.secrets().iter().map(|f| f.code()).collect();
            format!("{}: {}", p.id, fields.join(", "))
        })
        .collect();
    command.mut_subcommand("connections", |connections| {
        connections.mut_subcommand("add", |add| {
            add.mut_arg("profile", |arg| {
                arg.help(format!(
                    "The connector procedure: an id from `tba-wizard profiles` ({})",
                    ProfileId::known()
                ))
            })
            .mut_arg("credentials_stdin", |arg| {
                arg.help(format!(
                    "Read the values as JSON on standard input, the fields the connector's connection holds ({})",
                    holds.join("; ")
                ))
            })
        })
    })
}

/// clap quotes unexpected arguments back, and a user who typed a secret on the command line would then
/// see it printed again (and logged by whatever captures output), so those errors are reworded.
fn usage_error(binary: Binary, e: clap::Error) -> ExitCode {
    match e.kind() {
        // The command line alone, with nothing to do: its help, as a usage error for scripts.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            if binary == Binary::CommandLine && std::env::args_os().len() <= 1 =>
        {
            let _ = e.print();
            ExitCode::from(EXIT_BAD_INPUT)
        }
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
                "{}: an argument was not understood (it is not repeated here in case it is a secret). \
                 Secrets are read from standard input, never from the command line. See `{} --help`.",
                binary.name(),
                binary.name()
            );
            ExitCode::from(EXIT_BAD_INPUT)
        }
        _ => {
            let _ = e.print();
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
