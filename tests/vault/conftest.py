"""Fixtures for the credential-vault tests, which use the REAL keyring (gnome-keyring's Secret Service).

Run them inside a throw-away keyring session:

    scripts/with-keyring.sh .venv/bin/pytest tests/vault -q -p no:cacheprovider

with-keyring.sh starts a fresh D-Bus session with an unlocked gnome-keyring whose data lives in a
temporary folder, and exports TBA_WIZARD_REAL_KEYRING=1. Without that variable every test here FAILS
(it is not skipped): a green run must mean the keyring was really exercised.

* `wizard` is the binary with the test's own config folder (TBA_WIZARD_CONFIG_DIR) and home, both under
  tmp_path and both scanned for secrets by test_no_leaks.py.
* `creds` are four fresh random values (registered as secrets); `standin` is a NetSuite stand-in that
  accepts them.
* test_no_leaks.py is moved to the end of the run, so it sees what every other vault test did.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vault_support as vs  # noqa: E402

RUN_HINT = "scripts/with-keyring.sh .venv/bin/pytest tests/vault"


def pytest_collection_modifyitems(session, config, items):
    last = [i for i in items if i.path.name == "test_no_leaks.py" and i.path.parent == vs.HERE]
    if last:
        items[:] = [i for i in items if i not in last] + last


@pytest.fixture(scope="session")
def real_keyring() -> None:
    if os.environ.get("TBA_WIZARD_REAL_KEYRING") != "1":
        pytest.fail("the vault tests use the real keyring and must run inside a throw-away keyring session: "
                    f"run them via `{RUN_HINT}` (TBA_WIZARD_REAL_KEYRING is not set to 1, so this is not such "
                    "a session).", pytrace=False)
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.fail(f"TBA_WIZARD_REAL_KEYRING=1 but there is no D-Bus session bus; run via `{RUN_HINT}`.",
                    pytrace=False)
    probe = subprocess.run(["secret-tool", "search", "service", "tba-wizard-probe"], capture_output=True,
                           text=True, timeout=20)
    if "not provided by any" in probe.stderr or "Cannot autolaunch" in probe.stderr:
        pytest.fail(f"no Secret Service answers on this session bus ({probe.stderr.strip()}); run via `{RUN_HINT}`.",
                    pytrace=False)


@pytest.fixture(scope="session")
def binary(real_keyring) -> Path:
    path = vs.binary_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"the tba-wizard-cli binary is missing: {path} is not an executable file. Build it with "
                    "`cargo build -p tba-wizard-cli` (or point TBA_WIZARD_CLI_BIN at a build) and run the tests again.",
                    pytrace=False)
    return path


@pytest.fixture(autouse=True)
def _vault_preconditions(real_keyring):
    """Every vault test needs the real keyring session (fails, never skips, without it)."""


@pytest.fixture
def wizard(binary, tmp_path):
    w = vs.Wizard(tmp_path)
    yield w
    _forget_keyring_items(w)


def _forget_keyring_items(w: vs.Wizard) -> None:
    """Tidy the session keyring: drop the items of every connection this test's config knew."""
    import json
    path = w.config_dir / "connections.json"
    try:
        ids = [c["id"] for c in json.loads(path.read_text())["connections"]]
    except (OSError, ValueError, KeyError, TypeError):
        return
    for conn_id in ids:
        for name in (vs.active_name(conn_id), vs.pending_name(conn_id)):
            subprocess.run(["secret-tool", "clear", "service", vs.SERVICE, "username", name],
                           capture_output=True, timeout=20)


@pytest.fixture
def creds() -> dict:
    return vs.fresh_credentials()


@pytest.fixture
def standin(creds):
    s = vs.netsuite_standin.NetSuiteStandin(realm=vs.REALM)
    s.add_credentials(creds["consumer_key"], creds["consumer_secret"], creds["token_id"], creds["token_secret"])
    s.start()
    yield s
    s.stop()
