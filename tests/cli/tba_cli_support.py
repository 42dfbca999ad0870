"""Constants and helpers shared by the CLI tests and the vault tests (importable from test modules,
unlike conftest.py): the stand-in's account, random credentials, where the binary is, a clean
environment for it and the record of one run."""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

REALM = "1234567_SB1"                   # the stand-in's account: sandbox 1 of 1234567
OTHER_KNOWN_ACCOUNT = "TSTDRV1234567"   # a second account the stand-in's datacenterurls knows
REPO_ROOT = Path(__file__).resolve().parents[2]
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def new_credentials() -> dict:
    """Four random values in NetSuite's usual shape (64 lower-case hex characters)."""
    return {k: secrets.token_hex(32) for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")}


def desktop_binary_path() -> Path:
    """`$TBA_WIZARD_BIN`, default target/debug/tba-wizard (relative paths are from the repo root)."""
    raw = Path(os.environ.get("TBA_WIZARD_BIN", "target/debug/tba-wizard"))
    return raw if raw.is_absolute() else REPO_ROOT / raw


def binary_path() -> Path:
    """The command line the tests drive: `$TBA_WIZARD_CLI_BIN`, default `tba-wizard-cli` beside the desktop
    binary. `tba-wizard SUBCOMMAND` runs the same code; tests/cli/test_two_binaries.py compares them."""
    raw = os.environ.get("TBA_WIZARD_CLI_BIN")
    if raw:
        return Path(raw) if Path(raw).is_absolute() else REPO_ROOT / raw
    return desktop_binary_path().with_name("tba-wizard-cli")


def clean_env(base: dict | None = None) -> dict:
    """The environment for the binary: no proxies, and local addresses never proxied."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in PROXY_VARS}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


@dataclass
class Run:
    args: list
    returncode: int
    stdout: str
    stderr: str
    elapsed: float

    def json(self):
        try:
            return json.loads(self.stdout)
        except json.JSONDecodeError as e:
            raise AssertionError(f"stdout is not one JSON object ({e}):\n{self}") from None

    def __str__(self):
        return (f"$ tba-wizard {' '.join(map(str, self.args))}\nexit {self.returncode} after {self.elapsed:.2f}s\n"
                f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}")


def on_terminal(argv, env: dict, cwd=None, seen=None, timeout: float = 60) -> tuple[int, str]:
    """Runs `argv` with a pseudo-terminal as its stdout and stderr (stdin closed), as a person at a terminal
    would: (exit status, everything it wrote). `seen(text_so_far, process)` is called on each chunk, while
    the command still runs (to act on a line it printed, for instance)."""
    import pty
    import subprocess
    import time
    master, slave = pty.openpty()
    p = subprocess.Popen([str(a) for a in argv], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env,
                         cwd=cwd)
    os.close(slave)
    told = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break                  # the child closed the terminal
            if not chunk:
                break
            told += chunk
            if seen is not None:
                seen(told.decode(errors="replace"), p)
        status = p.wait(timeout=timeout)
    finally:
        os.close(master)
        if p.poll() is None:
            p.kill()
    return status, told.decode(errors="replace")
