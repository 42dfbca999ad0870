"""Logs: a daily file in the log folder (`TBA_WIZARD_LOG_DIR` here), `--verbose`, and no secret in
either the file or the binary's output, whatever the level.

The binary's own redaction layer is tested in src-tauri/src/logging.rs with secrets logged on purpose at
every level; here the real program runs a signed test call with --verbose (everything it logs at debug
level and above) and nothing of the four values may appear anywhere.
"""
from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest

from tba_cli_support import REALM

START_LINE = re.compile(r"INFO tba_cli: tba-wizard-cli \d+\.\d+\.\d+\S* starting: test$", re.M)
LEAK_WINDOW = 16   # like tests/vault: a 16-character piece of a secret counts as a leak


def log_text(folder: Path) -> str:
    files = sorted(folder.iterdir())
    assert files, f"no log file in {folder}"
    for f in files:
        assert re.fullmatch(r"tba-wizard\.\d{4}-\d{2}-\d{2}\.log", f.name), f"unexpected file {f.name} in {folder}"
    return "".join(f.read_text(errors="replace") for f in files)


def assert_no_piece_of(values, text: str, where: str) -> None:
    lowered = text.lower()
    for value in values:
        v = value.lower()
        for i in range(max(1, len(v) - LEAK_WINDOW + 1)):
            assert v[i:i + LEAK_WINDOW] not in lowered, f"a piece of a secret ({value[:4]}…) is in {where}"


@pytest.fixture
def log_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "logs" / "nested"   # not there yet: the binary makes it
    monkeypatch.setenv("TBA_WIZARD_LOG_DIR", str(folder))
    monkeypatch.delenv("RUST_LOG", raising=False)
    return folder


def run_test(run_cli, standin, credentials: dict, *flags: str):
    return run_cli(*flags, "test", "--account", REALM, "--credentials-stdin", "--base-url", standin.base_url,
                   "--json", stdin=json.dumps(credentials), secrets=set(credentials.values()))


@pytest.mark.parametrize("flag", ["--verbose", "-v"])
def test_verbose_run_logs_in_detail_and_no_secret(run_cli, standin, creds, log_dir, flag):
    run = run_test(run_cli, standin, creds, flag)
    assert run.returncode == 0 and run.json()["outcome"] == "success", str(run)
    text = log_text(log_dir)
    assert START_LINE.search(text), f"no start line in the log:\n{text}"
    # Debug lines of the call itself reach both the file and standard error.
    assert "NetSuite request" in text and "metadata-catalog" in text, text
    assert "NetSuite request" in run.stderr, str(run)
    assert "NetSuite call finished" in text and "status=200" in text, text
    for where, haystack in (("the log file", text), ("stdout", run.stdout), ("stderr", run.stderr)):
        assert_no_piece_of(creds.values(), haystack, where)
        assert "oauth_signature=\"" not in haystack and "oauth_consumer_key=\"" not in haystack, where


def test_refused_call_logs_no_secret_either(run_cli, standin, creds, log_dir):
    wrong = dict(creds, token_secret=secrets.token_hex(32))
    run = run_test(run_cli, standin, wrong, "--verbose")
    assert run.returncode == 3 and run.json()["outcome"] == "credentials_refused", str(run)
    text = log_text(log_dir)
    assert "status=401" in text, text
    for where, haystack in (("the log file", text), ("stdout", run.stdout), ("stderr", run.stderr)):
        assert_no_piece_of(set(creds.values()) | set(wrong.values()), haystack, where)


def test_default_levels_info_in_the_file_nothing_on_stderr(run_cli, standin, creds, log_dir):
    run = run_test(run_cli, standin, creds)
    assert run.returncode == 0, str(run)
    text = log_text(log_dir)
    assert START_LINE.search(text) and "NetSuite call finished" in text, text
    assert "DEBUG" not in text, f"debug lines without --verbose:\n{text}"
    assert run.stderr == "", str(run)


def test_an_unusable_log_folder_does_not_stop_the_program(run_cli, standin, creds, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("TBA_WIZARD_LOG_DIR", str(blocker / "logs"))
    monkeypatch.delenv("RUST_LOG", raising=False)
    run = run_test(run_cli, standin, creds)
    assert run.returncode == 0 and run.json()["outcome"] == "success", str(run)
    warnings = [line for line in run.stderr.splitlines() if "WARN" in line]
    assert len(warnings) == 1 and "standard error only" in warnings[0], str(run)


def test_without_a_log_folder_set_logs_go_under_the_new_identifier_and_old_ones_stay(run_cli, standin, creds,
                                                                                      tmp_path, monkeypatch):
    """The default folder is named after the app's identifier, com.tbawizard.wizard (macOS refuses one
    ending in .app, as com.tbawizard.app did). Logs written under the old name are left where they are,
    untouched, and nothing new is written there."""
    data = tmp_path / "data"
    old = data / "com.tbawizard.app" / "logs"
    old.mkdir(parents=True)
    old_log = old / "tba-wizard.2026-11-30.log"
    old_log.write_text("an earlier build's line\n")
    monkeypatch.delenv("TBA_WIZARD_LOG_DIR", raising=False)
    monkeypatch.delenv("RUST_LOG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    run = run_test(run_cli, standin, creds)
    assert run.returncode == 0, str(run)
    assert START_LINE.search(log_text(data / "com.tbawizard.wizard" / "logs"))
    assert sorted(p.name for p in old.iterdir()) == [old_log.name]
    assert old_log.read_text() == "an earlier build's line\n"
