"""Returning admins, through the real window: the saved connections at home, token rotation that
never leaves a working token behind (pass, fail, quit and resume), consumer pair rotation, hand-off
again, sandbox refresh recognised, and removal.

A saved connection is made the way an admin's script would, with `tba-wizard connections add`
(secrets on standard input) into the same config folder and keyring the window then uses.
"""

from __future__ import annotations

import json
import os
import secrets as pysecrets
import subprocess

from conftest import REALM, WizardRig
from e2e_support import (
    handoff_changes,
    enabled,
    Shots,
    assert_no_secret_in_dom,
    click,
    clipboard_get,
    exists,
    find,
    opened_urls,
    text_of,
    type_into,
    wait_progress,
    wait_testid,
    wait_text,
    wait_until,
)
from test_wizard_flows import check_leaks, footer_blocked, next_screen, paste, run_test

OLD_TOKEN_NAME = "AfterShip token 2025"
NEW_TOKEN_NAME = "AfterShip token 2026"


def cli(rig: WizardRig, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "TBA_WIZARD_CONFIG_DIR": str(rig.config_dir)}
    return subprocess.run(
        [str(rig.app), *args], input=stdin, capture_output=True, text=True, env=env, timeout=60
    )


def save_connection(rig: WizardRig, name: str = "AfterShip store") -> None:
    run = cli(
        rig,
        "connections", "add", name, "--account", REALM, "--profile", "aftership",
        "--token-name", OLD_TOKEN_NAME, "--credentials-stdin",
        stdin=json.dumps(rig.creds),
    )
    assert run.returncode == 0, run.stderr


def cli_test(rig: WizardRig, name: str = "AfterShip store") -> subprocess.CompletedProcess:
    return cli(rig, "test", "--connection", name, "--base-url", rig.standin.base_url, "--json")


def assert_signs_with(rig: WizardRig, field: str, value: str) -> None:
    """The saved connection's test passes, and the stand-in saw it signed with `value` as `field`."""
    run = cli_test(rig)
    assert run.returncode == 0, run.stdout + run.stderr
    assert rig.standin.last_audit()[field] == value


def card_id(driver) -> str:
    card = wait_testid(driver, "home-cards").find_element("css selector", "article.home-card")
    return card.get_attribute("data-testid")


def new_token() -> dict:
    return {"token_id": pysecrets.token_hex(32), "token_secret": pysecrets.token_hex(32)}


def copy_handoff(driver, label: str) -> None:
    row = driver.find_element("css selector", f'li.ho-row[data-label="{label}"]')
    click(driver, row.get_attribute("data-testid") + "-copy")


def confirm(driver, dialog: str) -> None:
    wait_testid(driver, dialog)
    click(driver, "dialog-confirm")


def test_token_rotation_succeeds_and_only_the_new_token_works(wizard_rig):
    with wizard_rig("rotate-token") as rig:
        save_connection(rig)
        old = rig.creds
        new = new_token()
        secrets = [*old.values(), *new.values()]
        with rig.session() as driver:
            shots = Shots(driver, "rotate-token", secrets)
            # Home: the saved connection with its facts, no secret.
            wait_testid(driver, "home-title")
            card = card_id(driver)
            assert text_of(driver, f"{card}-label") == "AfterShip store"
            assert text_of(driver, f"{card}-account") == REALM
            assert text_of(driver, f"{card}-env") == "Sandbox 1"
            assert text_of(driver, f"{card}-connector") == "AfterShip"
            assert OLD_TOKEN_NAME in text_of(driver, f"{card}-token")
            old_fp = find(driver, f"{card}-token").find_element("css selector", ".fp-value").text
            assert len(old_fp) >= 6
            assert text_of(driver, f"{card}-last-test") == "Not tested yet"
            # AfterShip speaks TBA only: the card says it cannot move to OAuth 2.0, and offers nothing.
            move = text_of(driver, f"{card}-move")
            assert move.startswith("OAuth 2.0: not for AfterShip yet") and "cannot move" in move, move
            assert "tba-wizard-cli" not in move
            assert text_of(driver, "step-code").startswith("Saved connections")
            # Test now, against the stand-in, which holds the call: the card says what it waits on.
            rig.standin.queue_faults(["hold"])
            click(driver, f"{card}-test")
            wait_text(driver, f"{card}-last-test", "Sending a signed call to NetSuite")
            rig.standin.release_held()
            wait_until(driver, lambda d: text_of(d, f"{card}-last-test").startswith("Worked"), 30, "Test now never passed")
            rig.standin.clear_faults()
            shots("home")

            # RT-1: why and what happens.
            click(driver, f"{card}-rotate")
            wait_progress(driver, "RT-1 of 5")
            assert "Replace the access token" in text_of(driver, "eyebrow")
            assert "revoke" in text_of(driver, "instructions").lower()
            shots("RT-1")

            # RT-2: open New Access Token, capture the new pair into the pending slot.
            next_screen(driver, "RT-2 of 5")
            before = len(opened_urls(rig.browser_log))
            click(driver, "open-page")
            url = wait_until(driver, lambda d: len(opened_urls(rig.browser_log)) > before and opened_urls(rig.browser_log)[-1], 15)
            assert url.startswith("https://1234567-sb1.app.netsuite.com/") and "accesstoken" in url.lower(), url
            assert "Token ID" in footer_blocked(driver)
            # The name typed in NetSuite; the old token's name is refused so the two can be told apart.
            type_into(driver, "token-name-input", OLD_TOKEN_NAME)
            click(driver, "token-name-save")
            wait_until(driver, lambda d: "token in use" in text_of(d, "screen-error"), 5, "the old name was accepted")
            type_into(driver, "token-name-input", NEW_TOKEN_NAME)
            click(driver, "token-name-save")
            wait_until(driver, lambda d: NEW_TOKEN_NAME in text_of(d, "checklist"), 5, "the name was not saved")
            rig.standin.add_credentials(old["consumer_key"], old["consumer_secret"], new["token_id"], new["token_secret"])
            paste(driver, "token_id", new["token_id"])
            paste(driver, "token_secret", new["token_secret"])
            shots("RT-2")

            # RT-3: the signed test with the new token; only then may it become the one in use.
            next_screen(driver, "RT-3 of 5")
            assert footer_blocked(driver)
            run_test(driver)
            assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")
            assert text_of(driver, "continue") == "Use the new values"
            shots("RT-3")

            # RT-4: the hand-off gives the new token (its fingerprint), now active.
            next_screen(driver, "RT-4 of 5")
            # Only the token is new: the connector keeps its consumer key and secret.
            changes = handoff_changes(driver)
            assert changes["Token ID"] == changes["Token Secret"] == "New", changes
            assert changes["Consumer Key"] == changes["Consumer Secret"] == "Unchanged", changes
            copy_handoff(driver, "Token Secret")
            wait_until(driver, lambda d: clipboard_get() == new["token_secret"], 5, "Copy did not give the new secret")
            shots("RT-4")

            # RT-5: revoke the old one, found by its name and fingerprint.
            next_screen(driver, "RT-5 of 5")
            assert text_of(driver, "revoke-old-name") == OLD_TOKEN_NAME
            assert old_fp in text_of(driver, "revoke-old")
            assert old_fp not in text_of(driver, "revoke-new")
            click(driver, "open-page")
            wait_until(driver, lambda d: "accesstokens" in (opened_urls(rig.browser_log)[-1].lower()), 15)
            # Before revoking, the check says the old token still works.
            click(driver, "revoke-check")
            wait_until(driver, lambda d: "still accepts" in text_of(d, "revoke-check-result"), 30, "old token check never answered")
            # The button was disabled while the call ran; focus is back on it, not on the page's body.
            wait_until(
                driver,
                lambda d: d.execute_script("return document.activeElement?.dataset?.testid") == "revoke-check",
                5,
                "focus was lost after the old-token check",
            )
            rig.standin.revoke_token(old["token_id"])
            click(driver, "revoke-check")
            wait_until(driver, lambda d: "refused the old token" in text_of(d, "revoke-check-result"), 30)
            assert "Revoke" in footer_blocked(driver)
            click(driver, "check-0")
            wait_until(driver, lambda d: enabled(find(d, "continue")), 5)
            assert text_of(driver, "continue") == "Finish"
            shots("RT-5")

            click(driver, "continue")
            wait_testid(driver, "home-title")
            assert "done" in text_of(driver, "home-status")
            card = card_id(driver)
            new_fp = find(driver, f"{card}-token").find_element("css selector", ".fp-value").text
            assert new_fp != old_fp
            assert NEW_TOKEN_NAME in text_of(driver, f"{card}-token")
            assert text_of(driver, f"{card}-last-test").startswith("Worked")
            shots("home-after-rotation")
            assert_no_secret_in_dom(driver, secrets, "home after rotation")

        # The saved connection now signs with the new token, which the stand-in accepts; the old is refused.
        assert_signs_with(rig, "token_id", new["token_id"])
        assert not list(rig.config_dir.glob("rotation.json"))
        check_leaks(rig, shots, secrets)


def test_a_failing_new_token_leaves_the_old_one_working(wizard_rig):
    with wizard_rig("rotate-fail") as rig:
        save_connection(rig)
        bad = new_token()  # never created in the stand-in: NetSuite would refuse it
        secrets = [*rig.creds.values(), *bad.values()]
        with rig.session() as driver:
            shots = Shots(driver, "rotate-fail", secrets)
            card = card_id(driver)
            click(driver, f"{card}-rotate")
            # Home's footer has a Next of its own: clicked before RT-1 is drawn, it would start a new setup.
            wait_progress(driver, "RT-1 of 5")
            next_screen(driver, "RT-2 of 5")
            paste(driver, "token_id", bad["token_id"])
            paste(driver, "token_secret", bad["token_secret"])
            next_screen(driver, "RT-3 of 5")
            run_test(driver)
            assert "refused" in text_of(driver, "result-title").lower(), text_of(driver, "test-outcome")
            assert "Go to RT-2" in text_of(driver, "causes")
            footer_blocked(driver)
            assert exists(driver, "journey-discard")
            shots("RT-3-failed")

            # The old token still works while the failed one waits.
            assert cli_test(rig).returncode == 0

            # Discard goes back to capture again; Stop keeps the token in use.
            click(driver, "journey-discard")
            confirm(driver, "confirm-discard")
            wait_progress(driver, "RT-2 of 5")
            assert "Saved" not in text_of(driver, "capture-token_id-status")
            click(driver, "journey-stop")
            confirm(driver, "confirm-stop")
            wait_testid(driver, "home-title")
            assert "nothing was changed" in text_of(driver, "home-status")
            # Stopping is not a success: the news is neutral, not in the success style.
            status_class = find(driver, "home-status").get_attribute("class")
            assert "note-info" in status_class and "note-ok" not in status_class, status_class
            shots("home-after-stop")

        assert_signs_with(rig, "token_id", rig.creds["token_id"])
        listed = cli(rig, "connections", "list", "--json")
        assert listed.returncode == 0, listed.stderr
        pending = json.loads(listed.stdout)["connections"][0].get("pending_fingerprints") or {}
        assert not any(pending.values()), "the failed token was thrown away"
        check_leaks(rig, shots, secrets)


def test_quit_mid_rotation_and_resume(wizard_rig):
    with wizard_rig("rotate-resume") as rig:
        save_connection(rig)
        new = new_token()
        rig.standin.add_credentials(
            rig.creds["consumer_key"], rig.creds["consumer_secret"], new["token_id"], new["token_secret"]
        )
        secrets = [*rig.creds.values(), *new.values()]
        with rig.session() as driver:
            shots = Shots(driver, "rotate-resume", secrets)
            card = card_id(driver)
            click(driver, f"{card}-rotate")
            # Home's footer has a Next of its own: clicked before RT-1 is drawn, it would start a new setup.
            wait_progress(driver, "RT-1 of 5")
            next_screen(driver, "RT-2 of 5")
            fp = paste(driver, "token_id", new["token_id"])
        # The command line leaves a connection alone while the window has a rotation under way on it.
        refused = cli(rig, "connections", "discard", "AfterShip store")
        assert refused.returncode == 2 and "Replace the access token" in refused.stderr, refused.stderr
        # Quit with half the new token captured: reopening resumes the rotation where it was.
        with rig.session() as driver:
            shots.driver = driver
            wait_progress(driver, "RT-2 of 5")
            assert fp in text_of(driver, "capture-token_id-status")
            assert "Token Secret" in footer_blocked(driver)
            shots("RT-2-resumed")
            paste(driver, "token_secret", new["token_secret"])
            next_screen(driver, "RT-3 of 5")
            run_test(driver)
            next_screen(driver, "RT-4 of 5")
        # Quit after the promotion: it resumes at the hand-off, and the capture is history.
        with rig.session() as driver:
            shots.driver = driver
            wait_progress(driver, "RT-4 of 5")
            click(driver, "back")
            wait_testid(driver, "home-title")
            card = card_id(driver)
            assert "under way" in text_of(driver, f"{card}-journey")
            shots("home-journey-under-way")
            click(driver, f"{card}-resume")
            wait_progress(driver, "RT-4 of 5")
            next_screen(driver, "RT-5 of 5")
            click(driver, "check-0")
            wait_until(driver, lambda d: enabled(find(d, "continue")), 5, "Finish never enabled")
            click(driver, "continue")
            wait_testid(driver, "home-title")
        assert_signs_with(rig, "token_id", new["token_id"])
        check_leaks(rig, shots, secrets)


def test_consumer_pair_rotation(wizard_rig):
    with wizard_rig("rotate-consumer") as rig:
        save_connection(rig)
        new = {"consumer_key": pysecrets.token_hex(32), "consumer_secret": pysecrets.token_hex(32)}
        secrets = [*rig.creds.values(), *new.values()]
        with rig.session() as driver:
            shots = Shots(driver, "rotate-consumer", secrets)
            card = card_id(driver)
            click(driver, f"{card}-rotate-consumer")
            wait_progress(driver, "RC-1 of 4")
            assert "stops working" in text_of(driver, "instructions")
            shots("RC-1")
            # The reset stops the running integration: Next asks first, as a destructive step, and
            # "Not yet" stays where it was.
            click(driver, "continue")
            wait_testid(driver, "confirm-next")
            assert "refuses the old consumer key" in text_of(driver, "confirm-next")
            assert "btn-danger" in find(driver, "dialog-confirm").get_attribute("class")
            shots("RC-1-confirm")
            click(driver, "dialog-cancel")
            wait_until(driver, lambda d: not exists(d, "confirm-next"), 5)
            wait_progress(driver, "RC-1 of 4")
            click(driver, "continue")
            wait_testid(driver, "confirm-next")
            click(driver, "dialog-confirm")
            wait_progress(driver, "RC-2 of 4")
            assert "Manage Integrations" in text_of(driver, "menu-path")
            # NetSuite's Reset Credentials: the old consumer key stops working at once; the token goes on
            # working with the new pair.
            rig.standin.reset_consumer(rig.creds["consumer_key"], new["consumer_key"], new["consumer_secret"])
            assert cli_test(rig).returncode != 0, "the saved (old) consumer pair is refused now"
            paste(driver, "consumer_key", new["consumer_key"])
            paste(driver, "consumer_secret", new["consumer_secret"])
            # The old pair is dead in NetSuite, so the new one cannot be thrown away by stopping.
            assert not exists(driver, "journey-stop") and exists(driver, "journey-no-stop")
            shots("RC-2")
            next_screen(driver, "RC-3 of 4")
            run_test(driver)
            next_screen(driver, "RC-4 of 4")
            shots("RC-4")
            click(driver, "continue")
            wait_testid(driver, "home-title")
        assert_signs_with(rig, "consumer_key", new["consumer_key"])
        check_leaks(rig, shots, secrets)


def test_hand_off_again_sandbox_refresh_and_remove(wizard_rig):
    with wizard_rig("home-actions") as rig:
        save_connection(rig)
        secrets = list(rig.creds.values())
        with rig.session() as driver:
            shots = Shots(driver, "home-actions", secrets)
            card = card_id(driver)
            click(driver, f"{card}-handoff")
            wait_progress(driver, "HO-1 of 1")
            copy_handoff(driver, "Token ID")
            wait_until(driver, lambda d: clipboard_get() == rig.creds["token_id"], 5)
            shots("HO-1")
            click(driver, "continue")
            wait_testid(driver, "home-title")

            # A sandbox token that worked and is refused now: a refresh is named as the likely cause.
            click(driver, f"{card}-test")
            wait_until(driver, lambda d: text_of(d, f"{card}-last-test").startswith("Worked"), 30)
            rig.standin.revoke_token(rig.creds["token_id"])
            click(driver, f"{card}-test")
            wait_until(driver, lambda d: text_of(d, f"{card}-last-test").startswith("Failed"), 30)
            assert "refreshed from production" in text_of(driver, f"{card}-latest")
            shots("home-sandbox-refresh")

            click(driver, f"{card}-remove")
            wait_testid(driver, "confirm-remove")
            shots("home-remove-confirm")
            click(driver, "dialog-confirm")
            wait_text(driver, "home-status", "Removed")
            assert not exists(driver, card)
            shots("home-empty")
        listed = cli(rig, "connections", "list", "--json")
        assert listed.returncode == 0 and json.loads(listed.stdout)["connections"] == []
        check_leaks(rig, shots, secrets)
