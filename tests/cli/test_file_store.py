"""The opt-in secrets file for servers with no keyring (`TBA_WIZARD_STORE=file`): every command works
with it as with the keyring, with no D-Bus session at all; a wrong or missing passkey is exit 5 and loses
nothing; without the opt-in a missing keyring is still exit 5 with the way out; the file never holds a
value in clear (checked for every secret form), and it is readable by the user only.
"""
from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
from pathlib import Path

import pytest

from tba_cli_support import REALM, Run, clean_env, new_credentials

KEYRING = 5
PASSKEY = secrets.token_urlsafe(36)


class Cli:
    def __init__(self, binary: Path, root: Path):
        self.binary, self.root = binary, root
        self.config = root / "config"
        env = clean_env()
        for var in ("DBUS_SESSION_BUS_ADDRESS", "TBA_WIZARD_REAL_KEYRING", "TBA_WIZARD_PASSKEY",
                    "TBA_WIZARD_PASSKEY_FILE", "TBA_WIZARD_STORE"):
            env.pop(var, None)
        env.update({"TBA_WIZARD_CONFIG_DIR": str(self.config), "TBA_WIZARD_LOG_DIR": str(root / "logs"),
                    "HOME": str(root / "home"), "TBA_WIZARD_STORE": "file", "TBA_WIZARD_PASSKEY": PASSKEY})
        self.env = env
        self.runs: list[Run] = []

    def run(self, *args, stdin: str | None = None, expect: int | None = 0, env: dict | None = None) -> Run:
        p = subprocess.run([str(self.binary), *map(str, args)], input=stdin or "", capture_output=True, text=True,
                           timeout=120, env=env or self.env, cwd=self.root)
        run = Run(list(args), p.returncode, p.stdout, p.stderr, 0)
        self.runs.append(run)
        if expect is not None:
            assert run.returncode == expect, f"expected exit {expect}:\n{run}"
        return run

    @property
    def secrets_file(self) -> Path:
        return self.config / "secrets.age"


@pytest.fixture
def cli(binary, tmp_path):
    return Cli(binary, tmp_path)


def test_every_command_works_with_the_secrets_file_and_no_keyring(cli, standin, creds, tmp_path):
    cli.run("connections", "add", "Shop", "--account", REALM, "--profile", "own", "--token-name", "Server token",
            "--credentials-stdin", stdin=json.dumps(creds))
    assert cli.run("test", "--connection", "Shop", "--base-url", standin.base_url).returncode == 0
    assert "Shop" in cli.run("connections", "list").stdout

    new = new_credentials()
    standin.add_credentials(creds["consumer_key"], creds["consumer_secret"], new["token_id"], new["token_secret"])
    cli.run("connections", "stage", "Shop", "--credentials-stdin",
            stdin=json.dumps({"token_id": new["token_id"], "token_secret": new["token_secret"]}))
    cli.run("test", "--connection", "Shop", "--pending", "--base-url", standin.base_url)
    cli.run("connections", "promote", "Shop")
    cli.run("test", "--connection", "Shop", "--base-url", standin.base_url)
    cli.run("test", "--all", "--base-url", standin.base_url)

    # OAuth 2.0 too: a key made into the file, its mapping, a test.
    client_id = secrets.token_hex(32)
    cert = tmp_path / "m2m.pem"
    cli.run("m2m", "new", "Key", "--account", REALM, "--certificate-out", cert)
    standin.add_m2m_client(client_id)
    standin.add_m2m_certificate("FILE-1", cert.read_text(), client_id)
    cli.run("m2m", "set", "Key", "--certificate-id", "FILE-1", "--credentials-stdin",
            stdin=json.dumps({"client_id": client_id}))
    cli.run("test", "--connection", "Key", "--base-url", standin.base_url)

    # The file: age, the user's only, and no value in clear in any form.
    data = cli.secrets_file.read_bytes()
    assert data.startswith(b"age-encryption.org/v1")
    assert stat.S_IMODE(cli.secrets_file.stat().st_mode) == 0o600
    forms = [*creds.values(), *new.values(), client_id]
    for folder in (cli.config, tmp_path / "logs"):
        for f in folder.rglob("*"):
            if f.is_file():
                content = f.read_bytes()
                for value in forms:
                    assert value.encode() not in content, (f, value[:6])
    for run in cli.runs:
        for value in forms:
            assert value not in run.stdout + run.stderr

    cli.run("connections", "remove", "Key")
    cli.run("connections", "remove", "Shop")
    assert cli.run("connections", "list", "--json").json()["connections"] == []


def test_a_wrong_or_missing_passkey_is_exit_5_and_loses_nothing(cli, creds):
    cli.run("connections", "add", "Shop", "--account", REALM, "--profile", "own", "--credentials-stdin",
            stdin=json.dumps(creds))
    before = cli.secrets_file.read_bytes(), (cli.config / "connections.json").read_bytes()

    wrong = dict(cli.env, TBA_WIZARD_PASSKEY=secrets.token_urlsafe(36))
    r = cli.run("test", "--connection", "Shop", env=wrong, expect=KEYRING)
    assert "passkey does not open the secrets file" in r.stderr + r.stdout
    r = cli.run("connections", "remove", "Shop", env=wrong, expect=KEYRING)
    missing = {k: v for k, v in cli.env.items() if k != "TBA_WIZARD_PASSKEY"}
    r = cli.run("connections", "list", env=missing, expect=None)
    assert "TBA_WIZARD_PASSKEY" in r.stderr + r.stdout
    short = dict(cli.env, TBA_WIZARD_PASSKEY="too-short")
    r = cli.run("connections", "add", "Other", "--account", REALM, "--profile", "own", "--credentials-stdin",
                stdin=json.dumps(new_credentials()), env=short, expect=KEYRING)
    assert "shorter than 32 characters" in r.stderr
    assert (cli.secrets_file.read_bytes(), (cli.config / "connections.json").read_bytes()) == before

    # The passkey from a file, as systemd's credentials give it.
    key_file = cli.root / "passkey"
    key_file.write_text(PASSKEY + "\n")
    os.chmod(key_file, 0o600)
    from_file = {k: v for k, v in cli.env.items() if k != "TBA_WIZARD_PASSKEY"}
    from_file["TBA_WIZARD_PASSKEY_FILE"] = str(key_file)
    assert "Shop" in cli.run("connections", "list", env=from_file).stdout


def test_without_the_opt_in_a_missing_keyring_is_still_exit_5_with_the_way_out(cli, creds):
    env = {k: v for k, v in cli.env.items() if k not in ("TBA_WIZARD_STORE", "TBA_WIZARD_PASSKEY")}
    r = cli.run("connections", "add", "Shop", "--account", REALM, "--profile", "own", "--credentials-stdin",
                stdin=json.dumps(creds), env=env, expect=KEYRING)
    assert "TBA_WIZARD_STORE=file" in r.stderr
    assert not cli.secrets_file.exists(), "never a silent fallback to a file"


def test_status_says_what_needs_a_person(cli, standin, creds, tmp_path):
    """`status`, like `gh auth status`: the store and whether it answers, the count, the soonest
    certificate end and the last failures; 0 when all is well, 1 when a person is needed, 5 when the
    store does not answer."""
    r = cli.run("status")
    assert "secrets file" in r.stdout and "answers" in r.stdout and "Connections: 0" in r.stdout
    cli.run("connections", "add", "Shop", "--account", REALM, "--profile", "own", "--credentials-stdin",
            stdin=json.dumps(creds))
    cli.run("test", "--connection", "Shop", "--base-url", standin.base_url)
    assert cli.run("status", "--json").json()["needs_person"] is False

    # A certificate made for 20 days is within the warning time; a refused test is a failure.
    cli.run("m2m", "new", "Soon", "--account", REALM, "--days", "20", "--certificate-out", tmp_path / "s.pem")
    standin.revoke_token(creds["token_id"])
    cli.run("test", "--connection", "Shop", "--base-url", standin.base_url, expect=3)
    doc = cli.run("status", "--json", expect=1).json()
    assert doc["connections"] == 2 and doc["store_answers"] is True
    assert doc["soonest_certificate"]["label"] == "Soon" and doc["soonest_certificate"]["days_left"] <= 20
    assert [f["label"] for f in doc["last_failures"]] == ["Shop"]
    text = cli.run("status", expect=1).stdout
    assert "m2m renew" in text and "Last test failed: \"Shop\"" in text

    wrong = dict(cli.env, TBA_WIZARD_PASSKEY=secrets.token_urlsafe(36))
    r = cli.run("status", env=wrong, expect=KEYRING)
    assert "does not answer" in r.stdout and "passkey does not open" in r.stdout
