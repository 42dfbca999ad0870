"""A reader that stops early (`tba-wizard-cli connections list | head -1`) must not make the command line
panic and print a Rust backtrace into the user's terminal: it ends quietly, as a C tool would."""
from __future__ import annotations

import subprocess

import pytest

from tba_cli_support import REPO_ROOT, binary_path, clean_env


@pytest.mark.parametrize("args", [("profiles",), ("profiles", "--json"), ("check-account", "1234567_sb1"),
                                  ("connections", "list")])
def test_output_to_a_closed_pipe_ends_quietly(args, tmp_path):
    env = clean_env()
    env.update(TBA_WIZARD_CONFIG_DIR=str(tmp_path / "config"), TBA_WIZARD_LOG_DIR=str(tmp_path / "logs"),
               RUST_BACKTRACE="1")
    proc = subprocess.Popen([str(binary_path()), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, cwd=REPO_ROOT)
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode(errors="replace")
    proc.wait(timeout=60)
    assert "panicked" not in err and "backtrace" not in err.lower(), err
    assert proc.returncode == 0, (proc.returncode, err)
