"""`tba-wizard-cli m2m renew`: certificates renewed before they end through the stand-in's certificate
endpoint (uploads and revocations as NetSuite's, assertions checked with PyJWT), with the real keyring:
not due, due and renewed, the endpoint refused, and the process killed at random moments (the key in
use always works, and the next run finishes).

    xvfb-run -a scripts/with-keyring.sh .venv/bin/pytest tests/cli/test_renew.py -q
"""
from __future__ import annotations

import json
import random
import subprocess
import time

import pytest

from tba_cli_support import REALM, on_terminal
from test_m2m import M2m, m2m, client_id, scan_everything, token_audits  # noqa: F401

REFUSED = 3


def due(m2m: M2m, standin, name: str, client_id: str, manage: bool = True, days: int = 20) -> dict:
    """An OAuth 2.0 connection whose certificate (made for `days`) ends soon, mapped and working."""
    out = m2m.root / f"{name}.pem"
    m2m.run("m2m", "new", name, "--account", REALM, "--days", days, "--certificate-out", out)
    standin.add_m2m_client(client_id, manage_certificates=manage)
    standin.add_m2m_certificate(f"OLD-{name}", out.read_text(), client_id)
    m2m.run("m2m", "set", name, "--certificate-id", f"OLD-{name}", "--credentials-stdin",
            stdin=json.dumps({"client_id": client_id}))
    assert m2m.test(name, standin)["outcome"] == "success"
    return record(m2m, name)


def record(m2m: M2m, name: str) -> dict:
    return next(c for c in json.loads((m2m.config_dir / "connections.json").read_text())["connections"]
                if c["label"] == name)


def renew(m2m: M2m, standin, *args, expect: int | None = 0) -> list[dict]:
    return m2m.run("m2m", "renew", *args, "--base-url", standin.base_url, "--json", expect=expect).json()


def active_mappings(standin, client_id: str) -> list[str]:
    return [cid for cid, c in standin.m2m_certificates.items() if c["client_id"] == client_id and not c["revoked"]]


def test_a_certificate_far_from_its_end_is_not_due(m2m, standin, client_id):
    due(m2m, standin, "Far", client_id, days=400)
    [r] = renew(m2m, standin, "Far")
    assert r["result"] == "not_due" and r["days_left"] >= 398
    assert record(m2m, "Far")["m2m"]["certificate"]["certificate_id"] == "OLD-Far"
    [r] = renew(m2m, standin, "--all", "--within", "500")
    assert r["result"] == "renewed"


def test_a_due_certificate_is_renewed_through_the_endpoint(m2m, standin, client_id):
    before = due(m2m, standin, "Shop", client_id)
    old_key = keyring_key(before["id"])
    m2m.env["RUST_LOG"] = "debug"
    [r] = renew(m2m, standin, "--all")
    assert r["result"] == "renewed", r
    after = record(m2m, "Shop")
    new_id = after["m2m"]["certificate"]["certificate_id"]
    assert new_id != "OLD-Shop" and r["certificate_id"] == new_id
    assert after["m2m"]["certificate"]["fingerprint"] != before["m2m"]["certificate"]["fingerprint"]
    assert r["days_left"] >= 728
    assert "pending" not in after["m2m"] and "replaced" not in after["m2m"]
    assert standin.m2m_certificates["OLD-Shop"]["revoked"], "the old mapping is revoked"
    assert active_mappings(standin, client_id) == [new_id]
    # The old key was shown refused after the revoke, and the new one works.
    assert any(a.get("kid") == "OLD-Shop" and a["reason"] == "certificate_revoked" for a in token_audits(standin))
    assert m2m.test("Shop", standin)["outcome"] == "success"
    assert token_audits(standin)[-1]["kid"] == new_id
    text = m2m.run("m2m", "renew", "Shop", "--base-url", standin.base_url).stdout
    assert "not due" in text
    # Neither key nor the Client ID reached an output, a log or a file.
    assert scan_everything(m2m, [client_id, old_key[:80], keyring_key(after["id"])[:80]]) == []


def keyring_key(conn_id: str) -> str:
    item = subprocess.run(["secret-tool", "lookup", "service", "tba-wizard", "username", f"connection:{conn_id}"],
                          capture_output=True, text=True, timeout=20).stdout
    pem = json.loads(item)["private_key_pkcs8"]
    return "".join(line for line in pem.splitlines() if not line.startswith("-----"))


def test_an_endpoint_the_role_may_not_use_leaves_the_key_staged_and_says_what_to_do(m2m, standin, client_id):
    due(m2m, standin, "Hand", client_id, manage=False)
    [r] = renew(m2m, standin, "Hand", expect=REFUSED)
    assert r["result"] == "needs_person"
    assert "Manage own OAuth 2.0 Client Credentials certificates" in r["message"]
    assert "m2m set Hand --pending" in r["message"]
    staged = record(m2m, "Hand")["m2m"]
    assert staged["pending"] and staged["certificate"]["certificate_id"] == "OLD-Hand"
    assert m2m.test("Hand", standin)["outcome"] == "success", "the key in use keeps working"
    # Once the role may manage certificates, the same command finishes the job with the staged key.
    staged_fingerprint = staged["pending"]["fingerprint"]
    standin.m2m_clients[client_id]["manage_certificates"] = True
    [r] = renew(m2m, standin, "Hand")
    assert r["result"] == "renewed", r
    assert record(m2m, "Hand")["m2m"]["certificate"]["fingerprint"] == staged_fingerprint
    assert m2m.test("Hand", standin)["outcome"] == "success"


@pytest.mark.parametrize("fail_point", ["renew.after_stage", "renew.after_upload", "renew.after_keep",
                                        "renew.after_switch", "renew.after_revoke",
                                        "promote.after_write", "promote.after_delete"])
def test_a_renewal_stopped_between_any_two_steps_is_finished_by_the_next_run(m2m, standin, client_id, fail_point):
    """The process dies (SIGABRT) right after each step in turn: the key in use works at once, and the next
    run finishes the renewal with nothing left behind (one active mapping, the new one)."""
    due(m2m, standin, "Cut", client_id)
    m2m.env["TBA_WIZARD_FAIL_POINT"] = fail_point
    crashed = m2m.run("m2m", "renew", "Cut", "--base-url", standin.base_url, expect=None)
    assert crashed.returncode != 0 and f"fail point {fail_point}" in crashed.stderr, crashed
    del m2m.env["TBA_WIZARD_FAIL_POINT"]
    assert m2m.test("Cut", standin)["outcome"] == "success"
    [r] = renew(m2m, standin, "Cut")
    assert r["result"] == "renewed", r
    after = record(m2m, "Cut")["m2m"]
    assert "pending" not in after and "replaced" not in after
    assert after["certificate"]["certificate_id"] != "OLD-Cut"
    assert active_mappings(standin, client_id) == [after["certificate"]["certificate_id"]]
    assert m2m.test("Cut", standin)["outcome"] == "success"


def test_a_renewal_killed_at_random_moments_always_leaves_a_working_key(m2m, standin, client_id):
    due(m2m, standin, "Kill", client_id)
    rng = random.Random(20261207)
    for round_ in range(6):
        # --within 1000: always due, so every round renews again.
        args = [str(m2m.binary), "m2m", "renew", "Kill", "--within", "1000", "--base-url", standin.base_url]
        p = subprocess.Popen(args, env=m2m.env, cwd=m2m.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.01, 0.6))
        p.kill()
        p.wait(timeout=30)
        assert m2m.test("Kill", standin)["outcome"] == "success", f"round {round_}: the key in use works"
        [r] = renew(m2m, standin, "Kill", "--within", "1000")
        assert r["result"] == "renewed", (round_, r)
        after = record(m2m, "Kill")["m2m"]
        assert "pending" not in after and "replaced" not in after
        assert active_mappings(standin, client_id) == [after["certificate"]["certificate_id"]], round_
        assert m2m.test("Kill", standin)["outcome"] == "success"


def test_on_a_terminal_renew_shows_each_step_and_piped_only_results(m2m, standin, client_id):
    """On a terminal, the step each renewal is at, on one rewritten line cleared before its result; piped
    (every other test here), no step line at all."""
    due(m2m, standin, "Steps", client_id)
    status, text = on_terminal([m2m.binary, "m2m", "renew", "Steps", "--base-url", standin.base_url], m2m.env,
                               cwd=m2m.root, timeout=120)
    assert status == 0, text
    steps = ["Making a new key and certificate", "Uploading the new certificate to NetSuite",
             "Testing the new key: sending a signed call", "Switching to the new key", "Revoking the old certificate"]
    positions = [text.find(s) for s in steps]
    assert -1 not in positions and positions == sorted(positions), text
    assert "\x1b[2KSteps: renewed." in text, text
    piped = m2m.run("m2m", "renew", "Steps", "--within", "800", "--base-url", standin.base_url)
    assert "renewed" in piped.stdout and "Making a new key" not in piped.stderr + piped.stdout, piped
    assert "\x1b" not in piped.stderr + piped.stdout
