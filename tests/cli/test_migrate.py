"""`tba-wizard-cli migrate`: a saved TBA connection moved to OAuth 2.0 client credentials without a
minute offline, end to end against the NetSuite stand-in (TBA signatures checked with oauthlib, the
assertions with PyJWT, never with this project's code) and the real keyring.

The stand-in holds one integration record as NetSuite does: its consumer key is its Client ID, with a TBA
token and, once the administrator maps it, an OAuth 2.0 certificate for the same record, role and user.

    xvfb-run -a scripts/with-keyring.sh .venv/bin/pytest tests/cli/test_migrate.py -q
"""
from __future__ import annotations

import json
import secrets
import subprocess

import pytest

from tba_cli_support import REALM
from test_m2m import BAD_INPUT, M2m, m2m, map_certificate, scan_everything, token_audits  # noqa: F401

TOKEN_NAME = "Sync token 2026"


def keyring_item(conn_id: str, suffix: str = "") -> str:
    found = subprocess.run(["secret-tool", "lookup", "service", "tba-wizard", "username", f"connection:{conn_id}{suffix}"],
                           capture_output=True, text=True, timeout=20)
    return found.stdout


def saved_tba(m2m: M2m, standin, name: str = "Shop", profile: str = "own") -> dict:
    """A TBA connection as the product holds them today, working against the stand-in."""
    values = {"consumer_key": secrets.token_hex(32), "consumer_secret": secrets.token_hex(32),
              "token_id": secrets.token_hex(32), "token_secret": secrets.token_hex(32)}
    standin.add_credentials(values["consumer_key"], values["consumer_secret"], values["token_id"],
                            values["token_secret"])
    held = values if profile != "celigo" else {k: values[k] for k in ("token_id", "token_secret")}
    m2m.run("connections", "add", name, "--account", REALM, "--profile", profile, "--token-name", TOKEN_NAME,
            "--credentials-stdin", stdin=json.dumps(held))
    return values


def record(m2m: M2m, name: str) -> dict:
    return next(c for c in json.loads((m2m.config_dir / "connections.json").read_text())["connections"]
                if c["label"] == name)


def test_a_tba_connection_moves_to_oauth2_and_works_at_every_moment(m2m, standin, tmp_path):
    values = saved_tba(m2m, standin)
    assert m2m.test("Shop", standin)["outcome"] == "success"
    before = record(m2m, "Shop")
    tokens_before = len(token_audits(standin))

    cert = tmp_path / "shop-oauth2.pem"
    started = m2m.run("migrate", "Shop", "--certificate-out", cert, "--json").json()
    assert "certificate_id" not in started["moving_to"]["certificate"]
    assert "auth" not in record(m2m, "Shop"), "the connection is still TBA until the switch"
    assert any("m2m set Shop --pending" in s for s in started["next_steps"])
    assert any("CLIENT CREDENTIALS (MACHINE TO MACHINE) GRANT" in s for s in started["next_steps"])
    text = m2m.run("connections", "list").stdout
    assert "moving to OAuth 2.0" in text and "m2m set --pending" in text

    # The token keeps working; the new key cannot sign yet, and the switch is refused.
    assert m2m.test("Shop", standin)["outcome"] == "success"
    assert len(token_audits(standin)) == tokens_before, "the test of the active values stayed on TBA"
    m2m.run("test", "--connection", "Shop", "--pending", "--base-url", standin.base_url, expect=BAD_INPUT)
    refused = m2m.run("connections", "promote", "Shop", expect=BAD_INPUT)
    assert "no Certificate ID yet" in refused.stderr

    # NetSuite's side: the same integration record gains the grant, the mapping gets the certificate.
    map_certificate(standin, "MIGRATED", cert.read_text(), values["consumer_key"])
    given_client_id = m2m.run("m2m", "set", "Shop", "--certificate-id", values["consumer_key"], "--pending",
                              expect=BAD_INPUT)
    assert "Client ID" in given_client_id.stderr and values["consumer_key"] not in given_client_id.stderr
    m2m.run("m2m", "set", "Shop", "--pending", "--certificate-id", "MIGRATED")
    assert m2m.test("Shop", standin, "--pending")["outcome"] == "success"
    last = token_audits(standin)[-1]
    assert (last["kid"], last["client_id"]) == ("MIGRATED", values["consumer_key"]), \
        "the new key signed, with the consumer key as its Client ID"
    assert m2m.test("Shop", standin)["outcome"] == "success"

    # The switch: one connection, on OAuth 2.0, with its id, label, account and history.
    before = record(m2m, "Shop")
    m2m.run("connections", "promote", "Shop")
    after = record(m2m, "Shop")
    assert after["auth"] == "m2m" and after["profile"] == "own_m2m"
    for kept in ("id", "label", "account", "created_at", "last_test", "last_success_at"):
        assert after[kept] == before[kept], kept
    assert after["m2m"]["certificate"]["certificate_id"] == "MIGRATED"
    assert after["m2m"]["retired_tba"]["token_name"] == TOKEN_NAME
    assert "moving_to" not in after and after.get("token_name") is None
    assert list(m2m.list()) == ["Shop"]
    audits = len(token_audits(standin))
    assert m2m.test("Shop", standin)["outcome"] == "success"
    assert len(token_audits(standin)) == audits + 1 and token_audits(standin)[-1]["kid"] == "MIGRATED"
    assert values["token_id"] in keyring_item(after["id"], ":retired"), "the old token's copy is kept"
    assert "revoke the token" in m2m.run("connections", "list").stdout

    # Revoked in NetSuite, then forgotten here.
    standin.revoke_token(values["token_id"])
    done = m2m.run("connections", "discard", "Shop")
    assert "old TBA token" in done.stdout
    assert keyring_item(after["id"], ":retired") == ""
    assert "retired_tba" not in record(m2m, "Shop")["m2m"]
    assert m2m.test("Shop", standin)["outcome"] == "success"

    key_item = json.loads(keyring_item(after["id"]))
    key_body = "".join(line for line in key_item["private_key_pkcs8"].splitlines() if not line.startswith("-----"))
    assert scan_everything(m2m, [values["consumer_secret"], values["token_id"], values["token_secret"],
                                 values["consumer_key"], key_body[:80]]) == []


def test_stopping_before_the_switch_leaves_the_tba_connection_as_it_was(m2m, standin, tmp_path):
    saved_tba(m2m, standin)
    before = record(m2m, "Shop")
    m2m.run("migrate", "Shop", "--certificate-out", tmp_path / "c.pem")
    assert keyring_item(before["id"], ":pending") != ""
    stopped = m2m.run("connections", "discard", "Shop")
    assert "Stopped moving" in stopped.stdout and "stays in use" in stopped.stdout
    after = record(m2m, "Shop")
    assert {k: v for k, v in after.items() if k != "updated_at"} == \
        {k: v for k, v in before.items() if k != "updated_at"}
    assert keyring_item(before["id"], ":pending") == "", "the half-made key is gone"
    assert m2m.test("Shop", standin)["outcome"] == "success"
    # A second start begins afresh (the certificate file is new too).
    m2m.run("migrate", "Shop", "--certificate-out", tmp_path / "again.pem")


@pytest.mark.parametrize("profile", ["aftership", "celigo"])
def test_connectors_that_speak_tba_only_cannot_move(m2m, standin, tmp_path, profile):
    saved_tba(m2m, standin, "Store", profile)
    before = record(m2m, "Store")
    refused = m2m.run("migrate", "Store", "--certificate-out", tmp_path / "c.pem", expect=BAD_INPUT)
    assert "TBA only today" in refused.stderr and "keeps working on TBA" in refused.stderr
    assert not (tmp_path / "c.pem").exists(), "no certificate is written for a move that cannot happen"
    assert record(m2m, "Store") == before


def test_a_client_id_other_than_the_consumer_key_can_be_given(m2m, standin, tmp_path):
    saved_tba(m2m, standin)
    other = secrets.token_hex(32)
    cert = tmp_path / "c.pem"
    guid = m2m.run("migrate", "Shop", "--certificate-out", cert, "--credentials-stdin",
                   stdin=json.dumps({"client_id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}), expect=BAD_INPUT)
    assert "Application ID" in guid.stderr
    assert not cert.exists()
    m2m.run("migrate", "Shop", "--certificate-out", cert, "--credentials-stdin", stdin=json.dumps({"client_id": other}))
    map_certificate(standin, "OTHER", cert.read_text(), other)
    m2m.run("m2m", "set", "Shop", "--pending", "--certificate-id", "OTHER")
    assert m2m.test("Shop", standin, "--pending")["outcome"] == "success"
    assert token_audits(standin)[-1]["client_id"] == other


@pytest.mark.parametrize("fail_point", ["promote.before_write", "promote.after_write", "promote.after_delete"])
def test_a_switch_cut_short_leaves_a_connection_that_works(m2m, standin, tmp_path, fail_point):
    """The process dies at a fail point of the real keyring's switch: right after, the connection works
    (on its token or on its new key, never neither), and a second promote finishes the switch."""
    values = saved_tba(m2m, standin, "Cut")
    cert = tmp_path / "c.pem"
    m2m.run("migrate", "Cut", "--certificate-out", cert)
    map_certificate(standin, "CUT", cert.read_text(), values["consumer_key"])
    m2m.run("m2m", "set", "Cut", "--pending", "--certificate-id", "CUT")
    m2m.env["TBA_WIZARD_FAIL_POINT"] = fail_point
    crashed = m2m.run("connections", "promote", "Cut", expect=None)
    assert crashed.returncode != 0 and f"fail point {fail_point}" in crashed.stderr
    del m2m.env["TBA_WIZARD_FAIL_POINT"]
    assert m2m.test("Cut", standin)["outcome"] == "success"
    if record(m2m, "Cut").get("auth") != "m2m":
        m2m.run("connections", "promote", "Cut")
    after = record(m2m, "Cut")
    assert after["auth"] == "m2m" and after["m2m"]["retired_tba"]["token_name"] == TOKEN_NAME
    assert m2m.test("Cut", standin)["outcome"] == "success"
    assert token_audits(standin)[-1]["kid"] == "CUT"
    assert keyring_item(after["id"], ":pending") == ""
