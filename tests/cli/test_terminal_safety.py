"""Text from outside never reaches the terminal raw (issue 8, §5): connection labels, token names and
accounts read from connections.json, NetSuite's error codes and messages, and names typed as arguments
are printed with control characters (C0, DEL, C1) and bidirectional controls shown as escapes, so an
escape sequence cannot retitle the window, recolour or hide lines, or reverse text.

`connections add` refuses a label with control characters, so the hostile labels, token names and
accounts are written into connections.json directly (the file is the user's, and anything that can
write it can put them there); NetSuite's words come from the stand-in's `error` fault. The runs are
read as bytes: a text-mode read would turn a carriage return into a newline.

The connections live in the real keyring: run inside a throw-away keyring session, e.g.

    scripts/with-keyring.sh .venv/bin/pytest tests/cli/test_terminal_safety.py -q
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "vault"))
import vault_support as vs  # noqa: E402

RUN_HINT = "scripts/with-keyring.sh .venv/bin/pytest tests/cli/test_terminal_safety.py"
ACCOUNT = vs.REALM

# What must never reach the terminal as it is, each with the escape it is shown as.
HOSTILE = {
    "\x1b": "\\x1b",          # ESC: starts every terminal escape sequence
    "\x07": "\\x07",          # BEL: ends an OSC sequence (window title)
    "\r": "\\r",              # back to the start of the line, to overwrite it
    "\x7f": "\\x7f",          # DEL
    "\x9b": "\\u{9b}",        # C1 CSI: an escape sequence in one character for some terminals
    "\u202e": "\\u{202e}",    # RIGHT-TO-LEFT OVERRIDE
    "\u2066": "\\u{2066}",    # LEFT-TO-RIGHT ISOLATE
}
TITLE = "\x1b]0;pwned\x07"                       # sets the terminal window's title
RED = "\x1b[31m"                                 # colours what follows
EVIL_LABEL = f"Shop{TITLE}{RED}red\r\u202etxt.exe"
EVIL_TOKEN = f"token\x9b2J\x7f\u2066x"
EVIL_ACCOUNT = f"7654321{RED}"
EVIL_CODE = f"BAD{RED}CODE"
EVIL_DETAIL = f"Record locked{TITLE} by\r\u202eadmin"


def escaped(text: str) -> str:
    return "".join(HOSTILE.get(c, c) for c in text)


def assert_nothing_raw(run: subprocess.CompletedProcess, what: str) -> str:
    """Both streams, decoded; fails on any hostile character (as UTF-8, so C1 is checked as U+009B)."""
    out, err = run.stdout.decode("utf-8"), run.stderr.decode("utf-8")
    for name, text in (("stdout", out), ("stderr", err)):
        raw = sorted({repr(c) for c in text if c in HOSTILE})
        assert not raw, (f"{what}: {', '.join(raw)} reached {name} raw (exit {run.returncode}):\n"
                         f"--- stdout\n{out!r}\n--- stderr\n{err!r}")
    return out + err


@pytest.fixture
def wizard(tmp_path):
    if os.environ.get("TBA_WIZARD_REAL_KEYRING") != "1" or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.fail(f"these tests save connections in the real keyring: run them via `{RUN_HINT}`", pytrace=False)
    binary = vs.binary_path()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"the tba-wizard binary is missing: {binary}. Build it with `cargo build -p tba-wizard`.",
                    pytrace=False)
    w = vs.Wizard(tmp_path)
    yield w
    try:
        ids = [c["id"] for c in json.loads((w.config_dir / "connections.json").read_text())["connections"]]
    except (OSError, ValueError, KeyError, TypeError):
        ids = []
    for conn_id in ids:
        for name in (vs.active_name(conn_id), vs.pending_name(conn_id)):
            subprocess.run(["secret-tool", "clear", "service", vs.SERVICE, "username", name],
                           capture_output=True, timeout=20)


@pytest.fixture
def standin():
    s = vs.netsuite_standin.NetSuiteStandin(realm=ACCOUNT)
    s.start()
    yield s
    s.stop()


def run_bytes(wizard, *args, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([str(vs.binary_path()), *map(str, args)], input=stdin, capture_output=True,
                          env=wizard.env, cwd=wizard.root, timeout=60)


def save_hostile(wizard, standin=None) -> dict:
    """One working connection whose label and token name are hostile, and one record (no secrets) whose
    account is, as a hand-edited or tampered connections.json could hold them."""
    creds = vs.fresh_credentials()
    if standin is not None:
        standin.add_credentials(*(creds[f] for f in vs.FIELDS))
    wizard.add("plain", creds, account=ACCOUNT)
    path = wizard.config_dir / "connections.json"
    doc = json.loads(path.read_text())
    [record] = doc["connections"]
    record["label"], record["token_name"] = EVIL_LABEL, EVIL_TOKEN
    doc["connections"].append(dict(record, id="0123456789abcdef", label="Bad account", account=EVIL_ACCOUNT,
                                   token_name=None, fingerprints={}))
    path.write_text(json.dumps(doc, indent=2))
    return creds


def test_connections_list_shows_control_characters(wizard):
    save_hostile(wizard)
    run = run_bytes(wizard, "connections", "list")
    assert run.returncode == 0, run
    shown = assert_nothing_raw(run, "connections list")
    for text in (EVIL_LABEL, EVIL_TOKEN, EVIL_ACCOUNT):
        assert escaped(text) in shown, f"{escaped(text)!r} is not in what connections list printed:\n{shown}"


def test_json_output_escapes_what_a_terminal_would_act_on(wizard):
    """--json writes every character a terminal would act on as a \\u escape (serde_json does so for C0
    characters; DEL, C1 and the bidi controls are escaped on top); the values still come back exactly
    when the JSON is read."""
    save_hostile(wizard)
    run = run_bytes(wizard, "connections", "list", "--json")
    assert run.returncode == 0, run
    assert_nothing_raw(run, "connections list --json")
    labels = {c["label"]: c for c in json.loads(run.stdout)["connections"]}
    assert labels[EVIL_LABEL]["token_name"] == EVIL_TOKEN
    assert labels["Bad account"]["account"] == EVIL_ACCOUNT


def test_netsuite_error_code_and_message_are_escaped(wizard, standin):
    creds = vs.fresh_credentials()
    standin.add_credentials(*(creds[f] for f in vs.FIELDS))
    standin.set_fault({"kind": "error", "status": 400, "code": EVIL_CODE, "detail": EVIL_DETAIL})
    args = ("test", "--account", ACCOUNT, "--credentials-stdin", "--base-url", standin.base_url, "--timeout", 20)
    run = run_bytes(wizard, *args, stdin=json.dumps(creds).encode())
    assert run.returncode != 0, f"the stand-in's 400 was taken for a success:\n{run}"
    assert [r["outcome"] for r in standin.api_requests()][:1] == ["fault:error"], standin.api_requests()
    shown = assert_nothing_raw(run, "test")
    assert f"NetSuite said: {escaped(EVIL_DETAIL)}" in shown, shown
    assert escaped(EVIL_CODE) in shown, shown

    run = run_bytes(wizard, *args, "--json", stdin=json.dumps(creds).encode())
    assert b"\x1b" not in run.stdout and b"\x07" not in run.stdout, f"ESC or BEL raw in --json:\n{run.stdout!r}"
    report = json.loads(run.stdout)
    assert (report["error_code"], report["error_detail"]) == (EVIL_CODE, EVIL_DETAIL), report


def test_test_all_table_is_escaped(wizard, standin):
    save_hostile(wizard, standin)
    standin.set_fault({"kind": "error", "status": 400, "code": EVIL_CODE, "detail": EVIL_DETAIL})
    run = run_bytes(wizard, "test", "--all", "--base-url", standin.base_url, "--timeout", 20)
    assert run.returncode != 0, run
    shown = assert_nothing_raw(run, "test --all")
    # Piped, the rows are tab-separated: a tab in a label or an answer would shift every column after it.
    rows = [line.split("\t") for line in run.stdout.decode("utf-8").splitlines()]
    assert all(len(cells) == 6 for cells in rows), shown
    [evil_row] = [cells for cells in rows if cells[0] == escaped(EVIL_LABEL)]
    assert escaped(EVIL_CODE) in evil_row[5], evil_row
    [bad_account_row] = [cells for cells in rows if cells[0] == "Bad account"]
    assert escaped(EVIL_ACCOUNT) in bad_account_row[1], bad_account_row


def test_errors_that_echo_a_name_are_escaped(wizard):
    save_hostile(wizard)
    name = f"missing{TITLE}{RED}"
    run = run_bytes(wizard, "connections", "remove", name)
    assert run.returncode == 2, run
    shown = assert_nothing_raw(run, "connections remove")
    assert escaped(name) in shown, shown
    run = run_bytes(wizard, "test", "--connection", "Bad account", "--timeout", 5)
    shown = assert_nothing_raw(run, "test --connection with a bad saved account")
    assert run.returncode != 0, shown
