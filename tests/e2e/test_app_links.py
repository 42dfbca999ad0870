"""App links end to end, in the real window: `tba-wizard://start?connector=…&account=…` given at
launch opens the wizard there; a second launch hands its link to the running window (single
instance, over the test's D-Bus session) and exits; a link that would replace progress asks first;
malformed or unknown links are refused with a notice and change nothing."""

from __future__ import annotations

import os
import subprocess
import time

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from conftest import REALM, WizardRig
from e2e_support import (
    Shots,
    click,
    env_without_desktop,
    exists,
    find,
    text_of,
    wait_progress,
    wait_testid,
    wait_text,
    wait_until,
)

AFTERSHIP_LINK = f"tba-wizard://start?connector=aftership&account={REALM}"
CELIGO_LINK = "tba-wizard://start?connector=celigo&account=1234567"
# Asks the IPC for a command and reports whether it was allowed, without throwing in the page.
INVOKE = """
const [cmd, args, done] = arguments;
window.__TAURI_INTERNALS__.invoke(cmd, args)
  .then(() => done("allowed"))
  .catch((e) => done("refused: " + String(e && e.message ? e.message : e)));
"""

MALFORMED = [
    ("unknown-connector", "tba-wizard://start?connector=nope", "does not know"),
    ("unknown-action", "tba-wizard://evil?x=1", "only thing"),
    ("bad-account", "tba-wizard://start?connector=aftership&account=12$4", "not a NetSuite account ID"),
]


def second_launch_env(rig: WizardRig) -> dict[str, str]:
    """The window's own folders (as wizard_rig sets them), and this test's display and session bus."""
    return dict(
        env_without_desktop(),
        TBA_WIZARD_CONFIG_DIR=str(rig.config_dir),
        TBA_WIZARD_LOG_DIR=str(rig.config_dir.parent / "logs"),
    )


def handovers(rig: WizardRig) -> int:
    """How many launches handed their arguments to the running window, by the logs they share."""
    logs = rig.config_dir.parent / "logs"
    return sum(f.read_text(errors="replace").count("handed this launch to the running window")
               for f in logs.glob("*.log*") if f.is_file())


def launch_again(rig: WizardRig, link: str) -> subprocess.CompletedProcess:
    """Start the app a second time, as the desktop would for a clicked link; it must hand the link
    over and exit at once, without a window of its own."""
    env = second_launch_env(rig)
    handed = handovers(rig)
    started = time.monotonic()
    done = subprocess.run([str(rig.app), link], env=env, capture_output=True, text=True, timeout=60)
    took = time.monotonic() - started
    assert done.returncode == 0, f"the second launch failed ({done.returncode}): {done.stderr[-2000:]}"
    # Handed over before GTK started (src/handover.rs), not by the plugin from inside Tauri's setup,
    # whose exit with GTK running crashed a second launch now and then.
    assert handovers(rig) == handed + 1, "the second launch did not hand its link over before GTK started"
    assert took < 20, f"the second launch took {took:.1f} s to hand its link over"
    # A link is the sender's text: never printed back.
    assert link not in done.stdout + done.stderr
    return done


def wizard_shows(driver: WebDriver, progress_prefix: str, account: str | None, badge: str | None = None) -> None:
    wait_until(
        driver,
        lambda d: text_of(d, "step-code").startswith(progress_prefix),
        15,
        f"the wizard never showed {progress_prefix}… (last: {text_of(driver, 'step-code')!r})",
    )
    if account is not None:
        wait_text(driver, "rail-account-id", account)
    if badge is not None:
        assert text_of(driver, "rail-env-badge") == badge


def state_of(driver: WebDriver) -> tuple[str, str, str]:
    return text_of(driver, "step-code"), text_of(driver, "screen-title"), text_of(driver, "rail-account-id")


def test_a_link_at_launch_opens_the_wizard_and_a_second_launch_hands_over(wizard_rig):
    with wizard_rig("applink") as rig, rig.session([AFTERSHIP_LINK]) as driver:
        shots = Shots(driver, "applink", [], read_text=False)  # no secret in play
        # The first screen is the wizard at AfterShip, with the sandbox account filled in.
        wizard_shows(driver, "AS-1 of", REALM, "Sandbox 1")
        assert text_of(driver, "account-id") == REALM
        assert not exists(driver, "app-link-notice")
        shots("launched-with-link")

        # A second launch with the same link: nothing to replace, nothing changes, no question.
        before = state_of(driver)
        launch_again(rig, AFTERSHIP_LINK)
        time.sleep(0.5)
        assert state_of(driver) == before
        assert not exists(driver, "confirm-app-link")

        # A link to another connector would replace the progress: the window asks first.
        launch_again(rig, CELIGO_LINK)
        dialog = wait_testid(driver, "confirm-app-link")
        body = dialog.text
        assert "Celigo" in body and "1234567" in body and "AfterShip" in body and "replaced" in body, body
        assert driver.execute_script("return document.activeElement.dataset.testid") == "dialog-cancel"
        shots("second-launch-asks")
        # The window can only answer for the link Rust holds, by its id; any other id is refused.
        driver.set_script_timeout(10)
        forged = driver.execute_async_script(INVOKE, "link_apply", {"id": 987654})
        assert forged.startswith("refused") and "no longer waiting" in forged, forged
        # "Keep my progress" (here: Esc) changes nothing.
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        wait_until(driver, lambda d: not exists(d, "confirm-app-link"), 5, "Esc did not close the question")
        assert state_of(driver) == before

        # Asked again, and this time confirmed: the window shows Celigo with the production account.
        launch_again(rig, CELIGO_LINK)
        wait_testid(driver, "confirm-app-link")
        click(driver, "dialog-confirm")
        wizard_shows(driver, "C ", "1234567", "Production")
        assert "1234567" in text_of(driver, "account-id")
        shots("second-launch-confirmed")


def test_malformed_links_are_refused_and_change_nothing(wizard_rig):
    with wizard_rig("applink-refused") as rig:
        # Refused at launch: the start screen, with the notice, and no wizard started.
        with rig.session(["tba-wizard://start?connector=aftership&account=1234567_SB1&token=x"]) as driver:
            shots = Shots(driver, "applink-refused", [], read_text=False)  # no secret in play
            notice = wait_testid(driver, "app-link-notice")
            assert notice.get_attribute("role") == "alert"
            assert "other than connector and account" in text_of(driver, "app-link-notice-text")
            assert "token" not in text_of(driver, "app-link-notice-text")
            wait_testid(driver, "start-title")
            shots("refused-at-launch")
            click(driver, "app-link-notice-dismiss")
            wait_until(driver, lambda d: not exists(d, "app-link-notice"), 5, "Dismiss did not remove the notice")

            # Some progress: AfterShip chosen, no account yet.
            click(driver, "connector-aftership")
            click(driver, "continue")
            wait_progress(driver, "AS-1 of 5")
            before = state_of(driver)

            for name, link, reason in MALFORMED:
                launch_again(rig, link)
                wait_text(driver, "app-link-notice-text", reason)
                message = text_of(driver, "app-link-notice-text")
                assert link not in message and "evil" not in message and "nope" not in message, message
                assert state_of(driver) == before, name
                shots(f"refused-{name}")
            # Esc on the notice dismisses it too.
            find(driver, "app-link-notice-dismiss").send_keys(Keys.ESCAPE)
            wait_until(driver, lambda d: not exists(d, "app-link-notice"), 5, "Esc did not dismiss the notice")

            # A good link for the connector in progress fills in the account without asking.
            launch_again(rig, AFTERSHIP_LINK)
            wizard_shows(driver, "AS-1 of 5", REALM, "Sandbox 1")
            assert not exists(driver, "confirm-app-link")
            shots("account-filled-in")

        # The refusals were never saved: the next window resumes AfterShip with that account.
        with rig.session() as driver:
            wait_testid(driver, "resume")
            assert REALM in text_of(driver, "resume-text")

        # Launched with a link that would replace that progress: asked before anything changes.
        with rig.session([CELIGO_LINK]) as driver:
            shots.driver = driver
            wait_testid(driver, "confirm-app-link")
            shots("launch-asks-first")
            click(driver, "dialog-cancel")
            wait_until(driver, lambda d: not exists(d, "confirm-app-link"), 5, "the question did not close")
            wait_testid(driver, "resume")
            assert "AfterShip" in text_of(driver, "resume-continue")
            assert REALM in text_of(driver, "resume-text")

        # No refused link made it into a log file either.
        logs = rig.config_dir.parent / "logs"
        for path in logs.rglob("*") if logs.is_dir() else []:
            if path.is_file():
                text = path.read_text(errors="replace")
                for _, link, _ in MALFORMED:
                    assert link not in text, f"{path} holds a refused link"


def test_the_second_launch_exits_even_without_a_link(wizard_rig):
    with wizard_rig("applink-plain") as rig, rig.session() as driver:
        wait_testid(driver, "start-title")
        done = subprocess.run([str(rig.app)], env=second_launch_env(rig), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr[-2000:]
        assert not exists(driver, "app-link-notice")
        assert os.environ.get("DBUS_SESSION_BUS_ADDRESS"), "run under dbus-run-session (scripts/with-keyring.sh)"
