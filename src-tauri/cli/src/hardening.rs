//! Settings the process applies to itself before it handles anything secret.

/// Turns core dumps off, for the window and the command line alike: a crash dump is a copy of the
/// process's memory, and that memory holds the consumer and token secrets while they are typed,
/// tested or saved, so a dump would put them on disk (or in a crash reporter's queue) outside the
/// keyring.
///
/// - Unix: `RLIMIT_CORE` 0, soft and hard, so nothing started later in the process can raise it again.
///   Children inherit it across `exec`, which covers WebKit's web and network processes: they hold
///   the page, and so whatever is typed into it. systemd-coredump and apport honour the limit too.
/// - Linux: also not dumpable (`PR_SET_DUMPABLE` 0), which the kernel checks before any core dump,
///   piped core patterns included, and which stops other processes of the same user from attaching
///   with ptrace or reading `/proc/<pid>/mem` and `environ`. It is reset by `exec`, so the WebKit
///   processes rely on the limit alone.
/// - Windows: nothing yet. Windows Error Reporting decides about dumps from system settings
///   (`LocalDumps`) or a per-user exclusion list in the registry, and neither is the process's own to
///   set at start without leaving a change behind on the machine.
///
/// Failures are ignored: lowering a limit and clearing the dumpable flag are always permitted, and if a
/// sandbox refuses them there is nothing better to do than go on.
pub fn harden_process() {
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        let _ = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        );
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{set_dumpable_behavior, DumpableBehavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

/// Belt and braces under the explicit 0600/0700 modes of the store and the logs: files and folders that
/// anything in the process creates (a log file rotated at midnight, WebKit's data) are the user's only.
/// Called first, before any thread exists, because the mask is process-wide.
pub fn private_files_by_default() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}
