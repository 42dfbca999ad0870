"""Move to OAuth 2.0 in the window: a TBA connection of an own integration moved to OAuth 2.0 client
credentials on the same integration record, role and user, its token working until the switch (the
stand-in checks the token's signatures with oauthlib and the new assertions with PyJWT), the Client ID
taken from the keyring's consumer key, the key handed over before the switch, and the old token
checked refused after its revoke. Screenshots of each screen, light and dark; 800x600 for the key."""
from __future__ import annotations

import contextlib
import json
import os
import signal

from conftest import REALM
from e2e_support import (
    Shots,
    click,
    exists,
    find,
    handoff_changes,
    text_of,
    tick_all,
    type_into,
    wait_progress,
    wait_testid,
    wait_text,
    wait_until,
)
from test_celigo_rotation import cli
from test_m2m_replace_crash import app_pid, wait_dead
from test_wizard_flows import footer_blocked, next_screen, run_test

CERT_ID = "CERT-MOVED-1"


def listed(rig, conn_id: str) -> dict:
    run = cli(rig, "connections", "list", "--json")
    assert run.returncode == 0, run.stderr
    return next(c for c in json.loads(run.stdout)["connections"] if c["id"] == conn_id)


def test_a_tba_connection_moves_to_oauth2_in_the_window(wizard_rig, tmp_path):
    for dark in (False, True):
        name = "move-oauth2-dark" if dark else "move-oauth2"
        downloads = tmp_path / name / "downloads"
        with wizard_rig(name, dark=dark, extra_env={"TBA_WIZARD_DOWNLOAD_DIR": str(downloads)}) as rig:
            run_move(rig, dark, downloads)


def run_move(rig, dark: bool, downloads) -> None:
    run = cli(rig, "connections", "add", "Legacy sync", "--account", REALM, "--profile", "own", "--token-name",
              "Legacy token", "--credentials-stdin", "--json", stdin=json.dumps(rig.creds))
    assert run.returncode == 0, run.stderr
    conn = json.loads(run.stdout)["id"]
    # The integration record gains the M2M grant: its consumer key is the Client ID.
    client_id = rig.creds["consumer_key"]
    rig.standin.add_m2m_client(client_id)
    card = f"card-{conn}"
    with rig.session() as driver:
        shots = Shots(driver, "move-oauth2-dark" if dark else "move-oauth2", list(rig.creds.values()),
                      read_text=not dark)
        wait_testid(driver, card)
        click(driver, f"{card}-move-oauth2")

        wait_progress(driver, "MO-1 of 9")
        assert "2027.1" in text_of(driver, "instructions")
        assert "Legacy token" in text_of(driver, "tips")
        shots("MO-1")

        for progress, label in (("MO-2 of 9", "CLIENT CREDENTIALS (MACHINE TO MACHINE) GRANT"),
                                ("MO-3 of 9", "Log in using OAuth 2.0 Access Tokens")):
            next_screen(driver, progress)
            assert label in text_of(driver, "checklist"), text_of(driver, "checklist")
            assert "Tick each step" in footer_blocked(driver)
            tick_all(driver)
            shots(progress.split()[0])
            if dark:
                driver.set_window_size(800, 600)
                shots(f"{progress.split()[0]}-800x600", at="checklist")
                driver.set_window_size(1280, 800)

        # The key: made in the keyring; its certificate saved as a file, to upload.
        next_screen(driver, "MO-4 of 9")
        click(driver, "key-make")
        wait_testid(driver, "key-certificate-fingerprint", 60)
        [cert_path] = [p for p in downloads.iterdir() if "certificate" in p.name]
        pem = cert_path.read_text()
        if not dark:
            driver.set_window_size(800, 600)
            shots("MO-4-800x600", at="key")
            driver.set_window_size(1280, 800)
        shots("MO-4", at="key")
        assert listed(rig, conn)["fingerprints"]["token_id"], "the token is still the connection's"

        # The mapping: the same integration record, role and user; its Certificate ID pasted.
        next_screen(driver, "MO-5 of 9")
        assert "Legacy token" in text_of(driver, "instructions")
        tick_all(driver)
        rig.standin.add_m2m_certificate(CERT_ID, pem, client_id)
        type_into(driver, "certificate-id-input", CERT_ID)
        click(driver, "certificate-id-save")
        wait_text(driver, "certificate-id-status", f"Saved: {CERT_ID}")
        shots("MO-5", at="certificate-id")

        # The test: a token with the new key, the token's checks again; the token itself untouched.
        next_screen(driver, "MO-6 of 9")
        run_test(driver)
        assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")
        kids = [a.get("kid") for a in rig.standin.audit() if "oauth2/v1/token" in str(a.get("url"))]
        assert kids and kids[-1] == CERT_ID, kids
        shots("MO-6")

        # The hand-off, before the switch: every OAuth 2.0 value is new; the key can be exported.
        next_screen(driver, "MO-7 of 9")
        changes = handoff_changes(driver)
        assert changes["Client ID"] == changes["Certificate ID"] == changes["Private key"] == "New", changes
        assert find(driver, "handoff-export-key").is_enabled()
        assert "runs on" in footer_blocked(driver)
        # The token still signs in: nothing is offline while the integration moves.
        run = cli(rig, "test", "--connection", "Legacy sync", "--base-url", rig.standin.base_url, "--json")
        assert run.returncode == 0 and json.loads(run.stdout)["outcome"] == "success", run.stdout + run.stderr
        tick_all(driver)
        shots("MO-7")

        # The switch: the new values tested again, now that the integration runs on them.
        next_screen(driver, "MO-8 of 9")
        assert "test" in footer_blocked(driver).lower()
        assert listed(rig, conn).get("auth", "tba") == "tba", "still on TBA until the switch"
        run_test(driver)
        assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")
        assert text_of(driver, "continue") == "Switch to OAuth 2.0"
        shots("MO-8")

        # Then the old token revoked by its name and fingerprint, and checked refused.
        next_screen(driver, "MO-9 of 9")
        moved = listed(rig, conn)
        assert moved["auth"] == "m2m" and moved["certificate"]["certificate_id"] == CERT_ID, moved
        assert moved["label"] == "Legacy sync"
        assert text_of(driver, "revoke-old-name") == "Legacy token"
        assert not exists(driver, "revoke-new"), "no new token to keep: the connection has a key now"
        assert "Revoke" in footer_blocked(driver)
        # The old token still works after the switch, until it is revoked: the check says so.
        click(driver, "revoke-check")
        wait_until(driver, lambda d: exists(d, "revoke-check-result")
                   and "still accepts" in text_of(d, "revoke-check-result"), 60, "the old token was not checked")
        rig.standin.revoke_token(rig.creds["token_id"])
        click(driver, "revoke-check")
        wait_until(driver, lambda d: exists(d, "revoke-check-result")
                   and "refused" in text_of(d, "revoke-check-result"), 60, "the old token was not checked")
        tick_all(driver)
        shots("MO-9")
        click(driver, "continue")
        wait_testid(driver, "home-title")
        assert exists(driver, f"{card}-renew"), "an OAuth 2.0 card now"
        assert not exists(driver, f"{card}-move-oauth2")
        shots("home", at=card)
    if not dark:
        assert [] == [p for p, text in shots.ocr_results() if any(v[:16] in text for v in rig.creds.values())]
    assert os.path.exists(cert_path)


def test_a_move_cut_short_by_a_kill_or_a_crash_in_the_switch_resumes_and_never_goes_offline(wizard_rig, tmp_path):
    """The window killed (SIGKILL) with the new key made, and later stopped by a crash inside the switch's
    keyring write: each time the command line's test of the connection passes right after (with the token,
    or with the new key once the switch was written), and the reopened window resumes where it was."""
    fail_file = tmp_path / "fail-point"
    downloads = tmp_path / "downloads"
    env = {"TBA_WIZARD_DOWNLOAD_DIR": str(downloads), "TBA_WIZARD_FAIL_POINT_FILE": str(fail_file)}
    with wizard_rig("move-oauth2-crash", extra_env=env) as rig:
        run = cli(rig, "connections", "add", "Nightly sync", "--account", REALM, "--profile", "own",
                  "--credentials-stdin", "--json", stdin=json.dumps(rig.creds))
        assert run.returncode == 0, run.stderr
        conn = json.loads(run.stdout)["id"]
        rig.standin.add_m2m_client(rig.creds["consumer_key"])
        card = f"card-{conn}"

        def works() -> str:
            run = cli(rig, "test", "--connection", "Nightly sync", "--base-url", rig.standin.base_url, "--json")
            assert run.returncode == 0 and json.loads(run.stdout)["outcome"] == "success", run.stdout + run.stderr
            return listed(rig, conn).get("auth", "tba")

        session = rig.session()
        driver = session.__enter__()
        try:
            wait_testid(driver, card)
            click(driver, f"{card}-move-oauth2")
            # Home's footer has a Next of its own: clicked before MO-1 is drawn, it would start a setup.
            wait_progress(driver, "MO-1 of 9")
            for progress in ("MO-2 of 9", "MO-3 of 9"):
                next_screen(driver, progress)
                tick_all(driver)
            next_screen(driver, "MO-4 of 9")
            click(driver, "key-make")
            wait_testid(driver, "key-certificate-fingerprint", 60)
            os.kill(app_pid(rig), signal.SIGKILL)
            wait_dead(driver)
        finally:
            with contextlib.suppress(Exception):
                session.__exit__(None, None, None)
        assert works() == "tba", "killed before the switch: the token signs"

        with rig.session() as driver:
            wait_progress(driver, "MO-4 of 9", 30)
            assert exists(driver, "key-certificate-fingerprint"), "the key made before the kill is kept"
            pem = next(p for p in downloads.iterdir() if "certificate" in p.name).read_text()
            next_screen(driver, "MO-5 of 9")
            tick_all(driver)
            rig.standin.add_m2m_certificate(CERT_ID, pem, rig.creds["consumer_key"])
            type_into(driver, "certificate-id-input", CERT_ID)
            click(driver, "certificate-id-save")
            wait_text(driver, "certificate-id-status", f"Saved: {CERT_ID}")
            next_screen(driver, "MO-6 of 9")
            run_test(driver)
            assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")
            next_screen(driver, "MO-7 of 9")
            tick_all(driver)
            next_screen(driver, "MO-8 of 9")
            run_test(driver)
            fail_file.write_text("promote.after_write")
            click(driver, "continue")
            wait_dead(driver)
        fail_file.unlink()
        assert works() == "m2m", "the switch's write happened: the next reader finishes it, on OAuth 2.0"

        with rig.session() as driver:
            wait_progress(driver, "MO-9 of 9", 30)
            assert exists(driver, "revoke-old-name") and exists(driver, "revoke-check"), "the revoke, switched"
