"""Shared fixtures for the tests that drive the command line (`tba-wizard-cli`).

* The binary is `$TBA_WIZARD_CLI_BIN` (default `tba-wizard-cli` beside `$TBA_WIZARD_BIN`, itself
  `target/debug/tba-wizard` by default, relative to the repo root).
  A missing binary fails every test that needs it with one clear message: nothing is skipped.
* `standin` is a fresh NetSuite stand-in (tests/standin/netsuite_standin.py) per test, holding one
  sandbox account (realm 1234567_SB1) and one random set of credentials (`creds`).
* `run_cli` runs the binary and, when given `secrets`, asserts that none of them appears in what the
  binary printed: secrets must never leave the process through stdout or stderr.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests" / "standin"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import netsuite_standin  # noqa: E402

from tba_cli_support import (OTHER_KNOWN_ACCOUNT, REALM, Run, binary_path, clean_env,  # noqa: E402,F401
                             new_credentials)


@pytest.fixture(scope="session")
def binary() -> Path:
    path = binary_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"the tba-wizard-cli binary is missing: {path} is not an executable file. Build it with "
                    "`cargo build -p tba-wizard-cli` (or point TBA_WIZARD_CLI_BIN at a build) and run the tests again.",
                    pytrace=False)
    return path


@pytest.fixture(scope="session")
def run_cli(binary):
    """run_cli(*args, stdin=str|None, timeout=60, secrets=()) -> Run."""
    def run(*args, stdin: str | None = None, timeout: float = 60, secrets=()) -> Run:
        start = time.monotonic()
        try:
            p = subprocess.run([str(binary), *map(str, args)], input=stdin if stdin is not None else "",
                               capture_output=True, text=True, timeout=timeout, env=clean_env(), cwd=REPO_ROOT)
        except subprocess.TimeoutExpired as e:
            raise AssertionError(f"tba-wizard {' '.join(map(str, args))} did not finish within {timeout}s; "
                                 f"stdout so far: {e.stdout!r}, stderr: {e.stderr!r}") from None
        result = Run(list(args), p.returncode, p.stdout, p.stderr, time.monotonic() - start)
        for value in secrets:
            assert value not in result.stdout and value not in result.stderr, \
                f"a secret value ({value[:6]}…) was printed:\n{result}"
        return result
    return run


@pytest.fixture
def creds() -> dict:
    return new_credentials()


@pytest.fixture
def standin(creds):
    s = netsuite_standin.NetSuiteStandin(realm=REALM, known_accounts=[OTHER_KNOWN_ACCOUNT])
    s.add_credentials(creds["consumer_key"], creds["consumer_secret"], creds["token_id"], creds["token_secret"])
    s.start()
    yield s
    s.stop()


@pytest.fixture
def closed_port() -> int:
    """A local port nobody listens on (bound, then released), for 'connection refused'."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
