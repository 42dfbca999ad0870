"""Logging at its most detailed leaks nothing: every keyring-touching command of the command line runs
with RUST_LOG=trace (every crate, the D-Bus/Secret Service and HTTP ones included) and --verbose, and the
log files and standard error are searched for every secret of the run in every form tests/leakscan.py
knows (case-folded, base64, percent- and hex-encoded, UTF-16, byte lists, any 16-character piece).

The app reads its log level from RUST_LOG (src-tauri/src/logging.rs: the directives apply to both the log
file and standard error; --verbose only raises the default to debug). Its log file lands in
TBA_WIZARD_LOG_DIR, here the test's own folder.
"""
from __future__ import annotations

import secrets

import vault_support as vs
from leakscan import Scanner

TRACE = {"RUST_LOG": "trace", "RUST_LOG_STYLE": "never"}


def _log_text(wizard: vs.Wizard) -> tuple[list, str]:
    files = sorted((wizard.root / "logs").glob("tba-wizard*.log"))
    return files, "\n".join(f.read_text(errors="replace") for f in files)


def test_keyring_commands_at_trace_level_log_no_secret(binary, tmp_path, creds, standin):
    traced = vs.Wizard(tmp_path, extra_env=TRACE)
    name = vs.unique_name("trace")
    token_b, token_c = vs.fresh_token(), vs.fresh_token()
    standin.add_credentials(creds["consumer_key"], creds["consumer_secret"], token_b["token_id"],
                            token_b["token_secret"])
    secrets_here = [*creds.values(), *token_b.values(), *token_c.values()]
    runs_before = len(vs.RUNS)

    traced.add(name, creds, extra=["--json", "--verbose"])
    traced.run("connections", "list", "--verbose", expect=0)
    traced.run("test", "--connection", name, "--base-url", standin.base_url, "--verbose", expect=0)
    traced.stage(name, token_b)
    traced.run("test", "--connection", name, "--pending", "--base-url", standin.base_url, "--json", "--verbose",
               expect=0)
    traced.promote(name)
    traced.run("test", "--connection", name, "--base-url", standin.base_url, "--json", "--verbose", expect=0)
    traced.stage(name, token_c)
    traced.discard(name)
    traced.remove(name)

    files, logged = _log_text(traced)
    stderr = "\n".join(run.stderr for run in vs.RUNS[runs_before:])
    # The level really was trace, and the keyring and HTTP layers really logged (else this proves nothing).
    assert files, f"no log file was written in {traced.root / 'logs'}"
    for text, where in ((logged, "the log file"), (stderr, "standard error")):
        assert " TRACE " in text, f"{where} holds no trace-level line: RUST_LOG=trace was not honoured"
    assert any(crate in logged for crate in ("zbus", "secret_service", "keyring")), \
        "no line of the keyring's D-Bus layer was logged at trace level"
    assert any(crate in logged for crate in ("reqwest", "hyper", "rustls")), \
        "no line of the HTTP layer was logged at trace level"

    scanner = Scanner(secrets_here)
    hits = [f"{f.name}: {h}" for f in files for h in scanner.find_in_file(f)]
    hits += [f"stderr: {h}" for h in scanner.find(stderr)]
    assert hits == [], "trace-level logs hold (a form of) a secret:\n" + "\n".join(hits)


def test_the_scan_finds_a_secret_in_a_trace_log(tmp_path):
    """The same scan on a log file of that shape with a secret in it: a 20-character piece is below the
    redaction's 32-character threshold, so the app would write it, and the scan must catch it."""
    s = secrets.token_hex(32)
    log = tmp_path / "tba-wizard.2026-01-01.log"
    log.write_text(f"2026-01-01T00:00:00Z TRACE tba_engine::vault: item prefix {s[3:23]}\n"
                   f"2026-01-01T00:00:00Z TRACE zbus::message: body [{', '.join(str(b) for b in s.encode())}]\n")
    hits = Scanner([s]).find_in_file(log)
    assert {h.form for h in hits} >= {"the value (any case)", "the value (any case) in a list of byte values"}, hits
