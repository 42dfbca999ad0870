//! `completion SHELL` and `man`: shell completions and the man page, generated from the clap definitions
//! the help comes from, so they never lag behind the commands. The packages install both.

use crate::exit::*;
use std::io::Write;

/// Prints the completion script of `shell` for `command` (its name is the binary's).
pub(crate) fn cmd_completion(shell: clap_complete::Shell, mut command: clap::Command) -> Result<u8, CliError> {
    let name = command.get_name().to_string();
    let mut out = Vec::new();
    if shell != clap_complete::Shell::Bash {
        clap_complete::generate(shell, &mut command, name, &mut out);
        return write_out(&out);
    }
    // clap_complete's Bash script never completes a subcommand's options when the binary's name has a
    // hyphen (its loop and its case arms spell the state differently: clap-rs/clap#6421, open). Made for
    // a name without one, and only its `complete` lines then name the real binary.
    let alias = name.replace('-', "_");
    clap_complete::generate(shell, &mut command, alias.as_str(), &mut out);
    let script = String::from_utf8_lossy(&out);
    let registered = format!(" {alias}");
    let fixed: Vec<String> = script
        .lines()
        .map(|line| match line.strip_suffix(registered.as_str()) {
            Some(head) if line.trim_start().starts_with("complete ") => format!("{head} {name}"),
            _ => line.to_string(),
        })
        .collect();
    write_out(format!("{}\n", fixed.join("\n")).as_bytes())
}

/// Prints the man page (roff) of `command`, for `man -l -` or a package's man1 folder.
pub(crate) fn cmd_man(command: clap::Command) -> Result<u8, CliError> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut out)
        .map_err(|e| fail(format!("the man page could not be made: {e}")))?;
    write_out(&out)
}

fn write_out(bytes: &[u8]) -> Result<u8, CliError> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(EXIT_OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(fail(format!("standard output could not be written: {e}"))),
    }
}
