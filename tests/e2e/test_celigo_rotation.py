"""A Celigo connection holds the token pair only (the consumer pair is Celigo's own), and its token
rotation can finish in the real window: capture the new pair, hand it off, tick Celigo's own test, use
the new values, reach the revoke step, finish, and the old token's items are gone from the keyring.

Also: an app link that arrives while a journey is under way changes nothing until the user agrees.
"""

from __future__ import annotations

import json
import os
import secrets as pysecrets
import subprocess

from conftest import WizardRig
from e2e_support import (
    enabled,
    Shots,
    assert_no_secret_in_dom,
    click,
    env_without_desktop,
    exists,
    find,
    text_of,
    type_into,
    wait_progress,
    wait_testid,
    wait_until,
)
from test_wizard_flows import check_leaks, footer_blocked, next_screen, paste

ACCOUNT = "1234567"
# A realistic long name (66 characters): it must wrap on the revoke step, never push the fingerprint and
# date (how the user picks the token to revoke) out of sight.
OLD_NAME = "Celigo BigCommerce SmartConnector – production store token 2025-11"
NEW_NAME = "Celigo token 2026"


def cli(rig: WizardRig, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "TBA_WIZARD_CONFIG_DIR": str(rig.config_dir)}
    return subprocess.run([str(rig.app), *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)


def token() -> dict:
    return {"token_id": pysecrets.token_hex(32), "token_secret": pysecrets.token_hex(32)}


def keyring_item(username: str) -> list[str]:
    """The paths of the keyring items named `username` (service tba-wizard)."""
    p = subprocess.run(
        ["secret-tool", "search", "--all", "service", "tba-wizard", "username", username],
        capture_output=True, text=True, timeout=20,
    )
    assert p.returncode == 0, p.stderr
    return [line for line in p.stdout.splitlines() if line.startswith("[/")]


def keyring_json(username: str) -> dict:
    p = subprocess.run(
        ["secret-tool", "lookup", "service", "tba-wizard", "username", username],
        capture_output=True, text=True, timeout=20,
    )
    assert p.returncode == 0, f"no keyring item {username}: {p.stderr}"
    return json.loads(p.stdout)


def saved_celigo(rig: WizardRig, old: dict) -> str:
    run = cli(rig, "connections", "add", "Celigo store", "--account", ACCOUNT, "--profile", "celigo",
              "--token-name", OLD_NAME, "--credentials-stdin", "--json", stdin=json.dumps(old))
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["id"]


def assert_fully_shown(driver, testid: str, size) -> None:
    """Every part of the element is inside the pane's visible width: nothing cut off or off to the side."""
    cut = driver.execute_script(
        """
        const box = document.querySelector(`[data-testid="${arguments[0]}"]`);
        const pane = document.querySelector('main').getBoundingClientRect();
        return [box, ...box.querySelectorAll('*')]
          .filter(e => e.getClientRects().length)
          .filter(e => e.getBoundingClientRect().right > pane.right - 1 || e.scrollWidth > e.clientWidth + 1)
          .map(e => e.tagName + '.' + e.className);
        """,
        testid,
    )
    assert cut == [], f"{testid} is cut off at {size}: {cut}"


def card_of(driver) -> str:
    card = wait_testid(driver, "home-cards").find_element("css selector", "article.home-card")
    return card.get_attribute("data-testid")


def test_celigo_token_rotation_finishes_with_the_token_pair_only(wizard_rig):
    with wizard_rig("celigo-rotation") as rig:
        old, new = token(), token()
        secrets = [*old.values(), *new.values()]
        conn_id = saved_celigo(rig, old)
        assert set(keyring_json(f"connection:{conn_id}")) == {"token_id", "token_secret"}
        with rig.session() as driver:
            shots = Shots(driver, "celigo-rotation", secrets)
            card = card_of(driver)
            assert not exists(driver, f"{card}-test"), "no signed test is possible with Celigo's consumer pair"
            assert not exists(driver, f"{card}-missing"), "the token pair is all a Celigo connection needs"
            click(driver, f"{card}-rotate")
            wait_progress(driver, "RT-1 of 4")
            next_screen(driver, "RT-2 of 4")
            type_into(driver, "token-name-input", NEW_NAME)
            click(driver, "token-name-save")
            wait_until(driver, lambda d: NEW_NAME in text_of(d, "checklist"), 5, "the name was not saved")
            paste(driver, "token_id", new["token_id"])
            paste(driver, "token_secret", new["token_secret"])
            shots("RT-2")

            # RT-3: hand-off first (Celigo must have the new token), then Celigo's own test.
            next_screen(driver, "RT-3 of 4")
            assert text_of(driver, "continue") == "Use the new values"
            assert "Celigo" in footer_blocked(driver)
            # Stopping now would throw away the token Celigo may already hold: refused, values kept.
            pending = keyring_json(f"connection:{conn_id}:pending")
            assert set(pending) == {"token_id", "token_secret"}
            click(driver, "check-0")
            wait_until(driver, lambda d: enabled(find(d, "continue")), 5, "Celigo's test tick did not unblock")
            shots("RT-3")

            click(driver, "continue")
            wait_progress(driver, "RT-4 of 4")
            # Promoted: the new pair is active, the old one kept only for this journey.
            assert keyring_json(f"connection:{conn_id}") == new
            assert keyring_item(f"connection:{conn_id}:pending") == []
            assert keyring_item(f"connection:{conn_id}:retired") != []
            assert text_of(driver, "revoke-old-name") == OLD_NAME
            assert not exists(driver, "revoke-check"), "no signed call can prove the old token refused"
            for size in ((1000, 700), (800, 600)):
                driver.set_window_size(*size)
                assert_fully_shown(driver, "revoke-old", size)
            click(driver, "check-0")
            wait_until(driver, lambda d: enabled(find(d, "continue")), 5)
            shots("RT-4")
            click(driver, "continue")
            wait_testid(driver, "home-title")
            card = card_of(driver)
            assert NEW_NAME in text_of(driver, f"{card}-token")
            # Its test is Celigo's own: the card says where, not "Not tested yet" for ever.
            assert text_of(driver, f"{card}-last-test").startswith("Tested in Celigo"), text_of(
                driver, f"{card}-last-test")
            assert not exists(driver, f"{card}-old-copy")
            assert_no_secret_in_dom(driver, secrets, "home after the Celigo rotation")
            shots("home")

        # The old token's items are gone; the connection holds the new pair and nothing else.
        assert keyring_item(f"connection:{conn_id}:retired") == []
        assert keyring_item(f"connection:{conn_id}:pending") == []
        assert keyring_json(f"connection:{conn_id}") == new
        listed = json.loads(cli(rig, "connections", "list", "--json").stdout)["connections"]
        assert listed[0]["token_name"] == NEW_NAME
        check_leaks(rig, shots, secrets)


def test_an_app_link_during_a_journey_changes_nothing_until_agreed(wizard_rig):
    with wizard_rig("link-during-journey") as rig:
        old = token()
        conn_id = saved_celigo(rig, old)
        with rig.session() as driver:
            card = card_of(driver)
            click(driver, f"{card}-rotate")
            wait_progress(driver, "RT-1 of 4")
            next_screen(driver, "RT-2 of 4")
            files_before = sorted(p.name for p in rig.config_dir.iterdir())
            env = dict(env_without_desktop(), TBA_WIZARD_CONFIG_DIR=str(rig.config_dir),
                       TBA_WIZARD_LOG_DIR=str(rig.config_dir.parent / "logs"))
            link = "tba-wizard://start?connector=aftership&account=7654321_SB1"
            done = subprocess.run([str(rig.app), link], env=env, capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr
            # The window asks; until then nothing has changed or been created.
            wait_testid(driver, "confirm-app-link", 15)
            assert "under way and will be stopped" in text_of(driver, "confirm-app-link")
            assert sorted(p.name for p in rig.config_dir.iterdir()) == files_before
            assert not (rig.config_dir / "wizard.json").exists()
            click(driver, "dialog-cancel")
            wait_until(driver, lambda d: not exists(d, "confirm-app-link"), 5)
            assert text_of(driver, "step-code").startswith("RT-2 of 4")
            assert sorted(p.name for p in rig.config_dir.iterdir()) == files_before

            # Agreeing stops the replacement (nothing was captured yet) and opens the link's wizard.
            done = subprocess.run([str(rig.app), link], env=env, capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr
            wait_testid(driver, "confirm-app-link", 15)
            click(driver, "dialog-confirm")
            wait_until(driver, lambda d: text_of(d, "step-code").startswith("AS-"), 15, "the link's wizard never opened")
            assert not (rig.config_dir / "rotation.json").exists()
        assert keyring_json(f"connection:{conn_id}") == old


def test_an_old_copy_left_behind_is_shown_and_deleted_only_after_asking(wizard_rig):
    with wizard_rig("old-copy", dark=True) as rig:
        old = token()
        conn_id = saved_celigo(rig, old)
        # What a replacement keeps until it ends, left behind by one whose progress file was lost.
        stored = subprocess.run(
            ["secret-tool", "store", "--label", "tba-wizard", "service", "tba-wizard",
             "username", f"connection:{conn_id}:retired"],
            input=json.dumps(old), capture_output=True, text=True, timeout=20,
        )
        assert stored.returncode == 0, stored.stderr
        with rig.session() as driver:
            driver.set_window_size(800, 600)
            shots = Shots(driver, "old-copy", list(old.values()))
            card = card_of(driver)
            wait_testid(driver, f"{card}-old-copy")
            assert "still in your keyring" in text_of(driver, f"{card}-old-copy")
            shots("home-old-copy")
            # Deleting is destructive and looks it, on the card and in the dialog, where Cancel is not the
            # red one.
            assert "btn-danger" in find(driver, f"{card}-forget-old").get_attribute("class")
            # Keeping it changes nothing.
            click(driver, f"{card}-forget-old")
            wait_testid(driver, "confirm-forget-old")
            assert "btn-danger" in find(driver, "dialog-confirm").get_attribute("class")
            assert "btn-danger" not in find(driver, "dialog-cancel").get_attribute("class")
            shots("confirm-forget-old")
            click(driver, "dialog-cancel")
            wait_until(driver, lambda d: not exists(d, "confirm-forget-old"), 5)
            assert keyring_item(f"connection:{conn_id}:retired") != []
            # Agreeing deletes the copy only; the values in use stay.
            click(driver, f"{card}-forget-old")
            wait_testid(driver, "confirm-forget-old")
            click(driver, "dialog-confirm")
            wait_until(driver, lambda d: "Deleted the old copy" in text_of(d, "home-status"), 10)
            assert not exists(driver, f"{card}-old-copy")
            shots("home-old-copy-deleted")
        assert keyring_item(f"connection:{conn_id}:retired") == []
        assert keyring_json(f"connection:{conn_id}") == old
        check_leaks(rig, shots, list(old.values()))
