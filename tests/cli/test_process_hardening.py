"""Nothing the binary holds in memory is written to disk by a crash, and a release binary has no
failure-injection hooks (issue 8, §4).

* Core dumps: the command line turns them off at start, whatever limit it inherits. The test raises
  the soft core limit of the child to its hard limit first, so that only the binary's own call can bring
  it back to 0; then it checks `/proc/<pid>/limits`, that the process is not dumpable, and that a real
  crash (SIGABRT, as a panic in a release build) leaves no core file behind.

  "Not dumpable" has no line in /proc, so it is read from what it does: the kernel makes the files of
  a non-dumpable process owned by root. The binary is therefore run as another user than root (as
  `nobody` when the tests run as root), whose own files these would otherwise be.
* Fail points: `TBA_WIZARD_FAIL_POINT` is read only by debug builds; a release build (when there is one)
  must not contain the name at all.
"""
from __future__ import annotations

import json
import os
import pwd
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from tba_cli_support import REALM, REPO_ROOT, binary_path, clean_env

CORE_LIMIT_LINE = "Max core file size"
SIGN_LINE = json.dumps({"method": "GET", "url": "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/x",
                        "account_id": REALM, "consumer_key": "ck", "consumer_secret": "cs", "token_id": "ti",
                        "token_secret": "ts"}) + "\n"


def other_user() -> tuple[int, int] | None:
    """The user to run the binary as: `nobody` when the tests run as root, else None (the tests' own)."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


def raise_core_limit() -> None:
    # The soft limit is often 0 already; the hard limit lets it go back up, so the binary must lower both.
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def core_limit(pid: int) -> tuple[str, str]:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith(CORE_LIMIT_LINE):
            soft, hard = line[len(CORE_LIMIT_LINE):].split()[:2]
            return soft, hard
    raise AssertionError(f"no '{CORE_LIMIT_LINE}' line in /proc/{pid}/limits")


def status_uid(pid: int) -> int:
    """The process's real user ID, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid line in /proc/{pid}/status")


def core_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name == "core" or p.name.startswith("core."))


@pytest.fixture
def workdir():
    """A folder the binary's user can write to (pytest's own tmp_path is readable by root only): the
    process's working directory, where a plain core pattern would put a core file."""
    folder = Path(tempfile.mkdtemp(prefix="tba-hardening-"))
    user = other_user()
    for sub in ("logs", "config", "home"):
        (folder / sub).mkdir()
    if user:
        for path in (folder, folder / "logs", folder / "config", folder / "home"):
            os.chown(path, *user)
    yield folder
    subprocess.run(["rm", "-rf", str(folder)], check=False)


@pytest.fixture
def running_cli(workdir):
    """The binary alive and past its start: `sign --jsonl` answers one line and waits for the next for as
    long as standard input stays open. Runs as another user than root, with its soft core limit raised."""
    binary = binary_path()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"the tba-wizard-cli binary is missing: {binary}. Build it with `cargo build -p tba-wizard-cli`.",
                    pytrace=False)
    user = other_user()
    if user:
        # The checkout may sit in a folder only root can enter (a fresh `mktemp -d` clone): run a copy
        # from the work folder, which the other user can read.
        copy = workdir / binary.name
        shutil.copy2(binary, copy)
        os.chmod(copy, 0o755)
        binary = copy
    env = clean_env()
    env.update({"HOME": str(workdir / "home"), "TBA_WIZARD_LOG_DIR": str(workdir / "logs"),
                "TBA_WIZARD_CONFIG_DIR": str(workdir / "config"), "RUST_BACKTRACE": "0"})
    as_user = {"user": user[0], "group": user[1], "extra_groups": []} if user else {}
    proc = subprocess.Popen([str(binary), "sign", "--jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=workdir, env=env, preexec_fn=raise_core_limit,
                            **as_user)
    try:
        proc.stdin.write(SIGN_LINE)
        proc.stdin.flush()
        answer = proc.stdout.readline()
        assert answer.startswith("{"), f"sign did not answer (exit {proc.poll()}): {proc.stderr.read()!r}"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()


def test_command_line_turns_core_dumps_off(running_cli):
    pid = running_cli.pid
    assert status_uid(pid) != 0, "the binary must run as another user than root for the ownership check to count"
    problems = []
    if core_limit(pid) != ("0", "0"):
        problems.append(f"core dumps are not off: {CORE_LIMIT_LINE} is {core_limit(pid)} (soft, hard), not 0 0")
    owner = os.stat(f"/proc/{pid}/status").st_uid
    if owner != 0:
        problems.append(f"the process is dumpable: its /proc files are owned by its user ({owner}), where "
                        "PR_SET_DUMPABLE 0 makes them root's")
    assert not problems, "\n".join(problems)


def test_command_line_crash_leaves_no_core_file(running_cli, workdir):
    pattern = Path("/proc/sys/kernel/core_pattern").read_text().strip()
    if pattern.startswith("|") or "/" in pattern or "%" in pattern:
        pytest.skip(f"core_pattern is {pattern!r}, not a plain file name in the working directory, so a core "
                    "file cannot be looked for (test_command_line_turns_core_dumps_off still checks the limits)")
    os.kill(running_cli.pid, signal.SIGABRT)
    running_cli.wait(timeout=30)
    assert running_cli.returncode == -signal.SIGABRT, f"expected death by SIGABRT, got exit {running_cli.returncode}"
    assert core_files(workdir) == [], f"the crash left a core file in {workdir}: {core_files(workdir)}"


def release_binary() -> Path:
    raw = os.environ.get("TBA_WIZARD_RELEASE_BIN")
    return Path(raw) if raw else REPO_ROOT / "target" / "release" / "tba-wizard"


def test_release_build_has_no_fail_points():
    binary = release_binary()
    if not binary.is_file():
        pytest.skip(f"no release build at {binary} (build one with `cargo build --release -p tba-wizard`, "
                    "or point TBA_WIZARD_RELEASE_BIN at one)")
    data = binary.read_bytes()
    # A name the release build does read, so that a packed or unreadable binary cannot pass by accident.
    assert b"TBA_WIZARD_CONFIG_DIR" in data, f"{binary} does not look like a tba-wizard build"
    assert b"TBA_WIZARD_FAIL_POINT" not in data, \
        f"{binary} reads TBA_WIZARD_FAIL_POINT: a release build must not be able to abort a promotion on demand"
    assert b"stopping at fail point" not in data, f"{binary} holds the fail point's code"
