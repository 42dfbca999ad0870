"""Support diagnostics in the real window: "Copy diagnostics" and "Save diagnostics" from the frame,
on the start screen and part-way through AfterShip after a refused and then a passing test. The
report must say what support needs (version, OS, connector, account and environment, each step's
status, the last test, the clock, the keyring) and hold no secret, in no form."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets as pysecrets
from pathlib import Path
from urllib.parse import urlsplit

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from conftest import REALM
from e2e_support import (
    Shots,
    click,
    clipboard_get,
    clipboard_set,
    files_containing,
    find,
    text_of,
    tick_all,
    wait_progress,
    wait_testid,
    wait_text,
    wait_until,
)
from test_wizard_flows import check_leaks, choose, enter_account, next_screen, paste, run_test

STEP_LINE = re.compile(r"^\s+(AS-\d)\s+.+?\s(done|current|todo|current, done)$", re.M)


def forms_of(secret: str) -> list[str]:
    """The secret and what it looks like hex- or base64-transformed, or in a different case."""
    raw = bytes.fromhex(secret)
    return [
        secret,
        secret.upper(),
        secret[::-1],
        secret.encode().hex(),
        base64.b64encode(raw).decode(),
        base64.b64encode(secret.encode()).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ]


def assert_no_secret(text: str, secrets: list[str], where: str) -> None:
    squashed = "".join(text.split()).lower()
    for s in secrets:
        for form in forms_of(s):
            assert form not in text, f"a secret ({s[:4]}…) is in the {where}, as {form[:6]}…"
        # Any 16-character piece, also with whitespace removed (a wrapped line).
        for i in range(0, len(s) - 16, 4):
            assert s[i : i + 16] not in squashed, f"part of a secret ({s[:4]}…) is in the {where}"


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:8]


def open_support(driver: WebDriver) -> None:
    if find(driver, "support").get_attribute("open") is None:
        click(driver, "support-toggle")
        wait_until(driver, lambda d: find(d, "support").get_attribute("open") is not None, 5, "Support did not open")


def copy_diagnostics(driver: WebDriver) -> str:
    open_support(driver)
    clipboard_set("placeholder")
    click(driver, "support-copy")
    wait_text(driver, "support-status", "Diagnostics copied — no secrets are included", timeout=20)
    return wait_until(
        driver,
        lambda d: (t := clipboard_get()).startswith("tba-wizard diagnostics") and t,
        5,
        "the report did not reach the clipboard",
    )


def save_diagnostics(driver: WebDriver, directory: Path) -> tuple[Path, str]:
    open_support(driver)
    before = set(directory.glob("*")) if directory.exists() else set()
    click(driver, "support-save")
    status = wait_text(driver, "support-status", "Saved to ", timeout=20)
    path = Path(re.search(r"Saved to (\S+\.txt)", status).group(1))
    assert path.parent == directory, (path, directory)
    assert re.fullmatch(r"tba-wizard-diagnostics-\d{8}-\d{6}(-\d+)?\.txt", path.name), path.name
    assert set(directory.glob("*")) - before == {path}, "exactly one new file, and no temporary file left"
    return path, path.read_text()


def step_statuses(report: str) -> dict[str, str]:
    return dict(STEP_LINE.findall(report))


def test_diagnostics_copy_and_save(wizard_rig):
    with wizard_rig("support") as rig, rig.session() as driver:
        creds = rig.creds
        wrong_secret = pysecrets.token_hex(32)
        secrets = [*creds.values(), wrong_secret]
        shots = Shots(driver, "support", secrets)

        # The start screen has it too, and it opens from the keyboard.
        wait_testid(driver, "start-title")
        version = text_of(driver, "app-version").split()[-1]
        assert re.fullmatch(r"\d+\.\d+\.\d+.*", version), version
        assert find(driver, "support-toggle").is_displayed()
        driver.execute_script("document.querySelector('[data-testid=support-toggle]').focus()")
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait_until(driver, lambda d: find(d, "support").get_attribute("open") is not None, 5,
                   "Enter on Support did not open it")
        assert find(driver, "support-copy").is_displayed() and find(driver, "support-save").is_displayed()
        report = copy_diagnostics(driver)
        assert "No connector is being set up" in report, report
        assert f"Version: {version}" in report
        assert "Keyring: available" in report, report
        shots("start-copied")

        # AfterShip, part-way: account, features, integration record, role, access token (a wrong secret).
        choose(driver, "aftership")
        wait_progress(driver, "AS-1 of 5")
        enter_account(driver, "https://1234567-sb1.app.netsuite.com/app/center/card.nl?sc=-29", REALM)
        tick_all(driver)
        next_screen(driver, "AS-2 of 5")
        tick_all(driver)
        next_screen(driver, "AS-3 of 5")
        tick_all(driver)
        paste(driver, "consumer_key", creds["consumer_key"])
        paste(driver, "consumer_secret", creds["consumer_secret"])
        shots("AS-3")
        next_screen(driver, "AS-4 of 5")
        tick_all(driver)
        next_screen(driver, "AS-5 of 5")
        tick_all(driver)
        paste(driver, "token_id", creds["token_id"])
        paste(driver, "token_secret", wrong_secret)
        next_screen(driver, "AS · test")
        run_test(driver)
        assert text_of(driver, "result-title") == "NetSuite refused the token"

        report = copy_diagnostics(driver)
        assert_no_secret(report, secrets, "copied report")
        for expected in (
            "tba-wizard diagnostics\nGenerated: ",
            f"Version: {version}",
            "OS: ",
            "Connector: AfterShip (aftership)",
            f"Account: {REALM} (Sandbox 1)",
            "Keyring: available",
            "Progress: AS · test",
            "Outcome: credentials_refused (not passed)",
            "HTTP status: 401",
            "Clock offset: ",
            "Last test: credentials_refused at ",
        ):
            assert expected in report, f"{expected!r} missing from:\n{report}"
        assert re.search(r"^NetSuite error code: [A-Z_]+$", report, re.M), report
        assert step_statuses(report) == {f"AS-{n}": "done" for n in range(1, 6)}, report
        assert re.search(r"^\s+-\s+Test\s+current$", report, re.M), report
        assert re.search(r"^\s+-\s+Hand-off\s+todo$", report, re.M), report
        for field in ("consumer_key", "consumer_secret", "token_id"):
            assert fingerprint(creds[field]) in report, f"{field}'s fingerprint missing from:\n{report}"
        assert f"Token Secret {fingerprint(wrong_secret)}" in report
        assert f"custom base URL on {urlsplit(rig.standin.base_url).netloc}" in report
        shots("test-failed-copied")

        # The shortest window (the app's minimum) makes the rail scroll; Support and its message stay in
        # view at its bottom.
        driver.set_window_size(1000, 600)
        wait_until(driver, lambda d: d.execute_script("return window.innerHeight") <= 600, 5, "the window did not shrink")
        in_view = driver.execute_script(
            "const r = document.querySelector('[data-testid=support-status]').getBoundingClientRect();"
            "const rail = document.querySelector('.rail');"
            "return [r.top >= 0 && r.bottom <= window.innerHeight, rail.scrollHeight > rail.clientHeight,"
            "        rail.scrollWidth <= rail.clientWidth];"
        )
        assert in_view == [True, True, True], f"[status in view, rail scrolls, rail not sideways]: {in_view}"
        assert find(driver, "step-code").is_displayed()
        shots("test-failed-short-window")
        driver.set_window_size(1000, 700)
        wait_until(driver, lambda d: d.execute_script("return window.innerHeight") >= 600, 5, "the window did not grow")

        # Fixed and passing; the hand-off screen saves the report.
        click(driver, "back")
        wait_progress(driver, "AS-5 of 5")
        paste(driver, "token_secret", creds["token_secret"])
        next_screen(driver, "AS · test")
        run_test(driver)
        assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")
        next_screen(driver, "AS · hand-off")
        assert find(driver, "step-code").is_displayed()

        path, saved = save_diagnostics(driver, rig.diagnostics_dir)
        assert_no_secret(saved, secrets, f"saved report {path.name}")
        for expected in (
            "tba-wizard diagnostics\nGenerated: ",
            f"Version: {version}",
            "Connector: AfterShip (aftership)",
            f"Account: {REALM} (Sandbox 1)",
            "Keyring: available",
            "Progress: AS · hand-off",
            "Outcome: success (passed)",
            "HTTP status: 200",
            "Last test: success at ",
            "Permission checks:",
        ):
            assert expected in saved, f"{expected!r} missing from:\n{saved}"
        assert re.search(r"Clock offset: [+-]\d+ s, .*\(ok\)", saved), saved
        assert step_statuses(saved) == {f"AS-{n}": "done" for n in range(1, 6)}, saved
        assert fingerprint(creds["token_secret"]) in saved
        assert text_of(driver, "support-status") == f"Saved to {path}"
        shots("handoff-saved", check_width=True)

        # Saving again never replaces the first file. The file is written before the window hears back,
        # so the status line is waited for, not read as soon as the file is there.
        click(driver, "support-save")
        wait_until(driver, lambda d: len(list(rig.diagnostics_dir.glob("*.txt"))) == 2, 20, "no second file")
        [second] = set(rig.diagnostics_dir.glob("*.txt")) - {path}
        wait_text(driver, "support-status", f"Saved to {second}", timeout=20)

        assert files_containing(rig.diagnostics_dir, secrets) == []
        for f in rig.diagnostics_dir.iterdir():
            assert_no_secret(f.read_text(), secrets, f.name)
        # The second save succeeded too: a failure shows in the same status line, marked as an error.
        assert "is-error" not in (find(driver, "support-status").get_attribute("class") or "")
        check_leaks(rig, shots, secrets)
