"""Focus is never lost to the page's body, and a blocked Next says why to the keyboard and to assistive
technology (issue 10, section 1): the first launch starts at the first connector choice; "Use this
account" and "Copy diagnostics" give focus back to their button once they have worked; a Next blocked
for a reason stays in the Tab order, inert, described by that reason."""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from conftest import REALM
from e2e_support import click, enabled, find, text_of, type_into, wait_progress, wait_testid, wait_until
from test_wizard_flows import choose


def active_testid(driver: WebDriver) -> str | None:
    return driver.execute_script(
        "const a = document.activeElement; return a && a !== document.body ? a.getAttribute('data-testid') : 'BODY';"
    )


def test_first_launch_focus_starts_at_the_first_choice(driver: WebDriver):
    wait_testid(driver, "start-title")
    wait_until(driver, lambda d: active_testid(d) == "connector-celigo-input", 5,
               f"focus is on {active_testid(driver)!r}, not the first connector choice")
    assert not find(driver, "connector-celigo-input").is_selected(), "focus must not choose"
    ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    wait_until(driver, lambda d: active_testid(d) == "connector-aftership-input", 5)


def test_focus_comes_back_after_the_account_check_and_diagnostics(wizard_rig):
    with wizard_rig("focus") as rig, rig.session() as driver:
        choose(driver, "aftership")
        wait_progress(driver, "AS-1 of 5")
        type_into(driver, "account-input", REALM)
        click(driver, "account-submit")
        wait_until(driver, lambda d: "dc-confirmed" in (find(d, "account-status").get_attribute("class") or ""), 15)
        wait_until(driver, lambda d: active_testid(d) == "account-submit", 5,
                   f"after Use this account focus is on {active_testid(driver)!r}")

        click(driver, "support-toggle")
        click(driver, "support-copy")
        wait_until(driver, lambda d: "copied" in text_of(d, "support-status").lower(), 10)
        wait_until(driver, lambda d: active_testid(d) == "support-copy", 5,
                   f"after Copy diagnostics focus is on {active_testid(driver)!r}")


def test_a_blocked_next_is_reached_by_tab_and_says_why(wizard_rig):
    with wizard_rig("blocked-next") as rig, rig.session() as driver:
        choose(driver, "aftership")
        wait_progress(driver, "AS-1 of 5")
        # Nothing entered yet: Next is blocked, for a reason the footer gives.
        reason = wait_until(driver, lambda d: text_of(d, "blocked-reason"), 5, "no reason is shown")
        nxt = find(driver, "continue")
        assert not enabled(nxt)
        assert nxt.get_attribute("aria-disabled") == "true"
        assert nxt.get_attribute("aria-describedby") == "blocked-reason"
        # Tab reaches it (a disabled button would be skipped) ...
        driver.execute_script("arguments[0].focus()", find(driver, "back"))
        ActionChains(driver).send_keys(Keys.TAB).perform()
        wait_until(driver, lambda d: active_testid(d) == "continue", 5,
                   f"Tab from Back went to {active_testid(driver)!r}, not the blocked Next")
        # ... and it does nothing but say why.
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait_until(driver, lambda d: reason in text_of(d, "announce"), 5, "the reason was not announced")
        assert text_of(driver, "step-code").startswith("AS-1 of 5")


def test_the_accessibility_check_finds_a_violation(driver: WebDriver):
    """The axe-core check every screenshot runs (e2e_support.assert_accessible) can fail: a button with
    no name, put into the start screen, is caught; without it the screen passes."""
    import pytest

    from e2e_support import assert_accessible

    wait_testid(driver, "start-title")
    assert_accessible(driver, "start screen")
    driver.execute_script(
        "const b = document.createElement('button'); b.id = 'nameless'; document.querySelector('main').append(b);"
    )
    with pytest.raises(AssertionError, match="button-name"):
        assert_accessible(driver, "start screen with a nameless button")
    driver.execute_script("document.getElementById('nameless').remove();")
    assert_accessible(driver, "start screen again")
