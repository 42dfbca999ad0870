"""A reader that stops early (`tba-wizard-cli connections list | head -1`) must not make the command line
panic and print a Rust backtrace into the user's terminal, nor report success: the output went nowhere,
so the status is 141 (as a shell reports a C tool ended by SIGPIPE), and a command that failed keeps its
own failing status."""
from __future__ import annotations

import json
import subprocess

import pytest

from tba_cli_support import REPO_ROOT, binary_path, clean_env

NETWORK = 4


def run_with_closed_stdout(args, tmp_path, stdin: bytes = b"") -> tuple[int, str]:
    env = clean_env()
    env.update(TBA_WIZARD_CONFIG_DIR=str(tmp_path / "config"), TBA_WIZARD_LOG_DIR=str(tmp_path / "logs"),
               RUST_BACKTRACE="1")
    proc = subprocess.Popen([str(binary_path()), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE, env=env, cwd=REPO_ROOT)
    proc.stdout.close()  # the reader is gone before the first line is written
    proc.stdin.write(stdin)
    proc.stdin.close()
    err = proc.stderr.read().decode(errors="replace")
    proc.wait(timeout=60)
    assert "panicked" not in err and "backtrace" not in err.lower(), err
    return proc.returncode, err


@pytest.mark.parametrize("args", [("profiles",), ("profiles", "--json"), ("check-account", "1234567_sb1"),
                                  ("connections", "list")])
def test_output_to_a_closed_pipe_ends_quietly_and_not_with_success(args, tmp_path):
    status, err = run_with_closed_stdout(args, tmp_path)
    assert status == 141, (status, err)


def test_a_failing_command_keeps_its_status_when_its_reader_is_gone(tmp_path):
    creds = json.dumps({k: k * 3 for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")})
    # Nothing listens on port 9 of loopback: a network failure, whose report goes to the closed pipe.
    status, err = run_with_closed_stdout(("test", "--account", "1234567_SB1", "--credentials-stdin", "--base-url",
                                          "http://127.0.0.1:9", "--timeout", "5"), tmp_path, creds.encode())
    assert status == NETWORK, (status, err)
