"""The start screen: title, the three connector choices, keyboard use, version, small windows."""

from __future__ import annotations

import json
import re
import tomllib

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from e2e_support import axe_violations, enabled, REPO, by_testid, connector_profiles, shot, wait_testid, wait_until

TITLE = "Connect an integration to NetSuite"
# Every profile file is a choice, in its order, named as in the file, with its first and last step codes.
CONNECTORS = {p["id"]: (p["name"], f'{p["steps"][0]["code"]} … {p["steps"][-1]["code"]}') for p in connector_profiles()}


def expected_versions() -> set[str]:
    """The app's version as the crate (Cargo) and the bundle (tauri.conf.json) declare it."""
    versions = set()
    crate = tomllib.loads((REPO / "src-tauri" / "Cargo.toml").read_text())["package"]
    if isinstance(crate.get("version"), str):
        versions.add(crate["version"])
    else:  # version.workspace = true
        workspace = tomllib.loads((REPO / "Cargo.toml").read_text())
        versions.add(workspace["workspace"]["package"]["version"])
    conf = json.loads((REPO / "src-tauri" / "tauri.conf.json").read_text())
    if "version" in conf:
        versions.add(conf["version"])
    return versions


def radio(driver: WebDriver, connector: str):
    return driver.find_element(*by_testid(f"connector-{connector}-input"))


def checked(driver: WebDriver) -> list[str]:
    return [c for c in CONNECTORS if radio(driver, c).is_selected()]


def active_testid(driver: WebDriver) -> str | None:
    return driver.execute_script(
        "const a = document.activeElement; return a ? a.getAttribute('data-testid') : null;"
    )


def outline_of_card(driver: WebDriver, connector: str) -> tuple[str, float]:
    style, width = driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth];",
        driver.find_element(*by_testid(f"connector-{connector}")),
    )
    return style, float(width.removesuffix("px") or 0)


def keys(driver: WebDriver, *sequence: str) -> None:
    ActionChains(driver).send_keys(*sequence).perform()


def test_start_screen_shows_title_choices_and_version(driver: WebDriver):
    title = wait_testid(driver, "start-title")
    assert title.text == TITLE
    assert title.tag_name.lower() == "h1"
    assert wait_testid(driver, "start-intro").text.strip()

    for connector, (name, codes) in CONNECTORS.items():
        card = driver.find_element(*by_testid(f"connector-{connector}"))
        assert card.is_displayed()
        assert name in card.text
        assert codes in card.text
        assert radio(driver, connector).get_attribute("type") == "radio"
    assert checked(driver) == []
    shown = [c.get_attribute("value") for c in driver.find_elements(By.CSS_SELECTOR, "input[name=connector]")]
    assert shown == list(CONNECTORS), "the start screen must list every profile, in the profiles' order"

    cont = driver.find_element(*by_testid("continue"))
    assert cont.text == "Continue"
    assert not enabled(cont), "Continue must stay disabled until a connector is chosen"
    assert not enabled(driver.find_element(*by_testid("back")))

    version = wait_until(
        driver,
        lambda d: d.find_element(*by_testid("app-version")).text.strip(),
        message="the app version (from the app_info command) never appeared",
    )
    assert re.search(r"\b\d+\.\d+\.\d+\b", version), version
    expected = expected_versions()
    assert len(expected) == 1, f"Cargo.toml and tauri.conf.json disagree on the version: {expected}"
    assert version == f"tba-wizard {expected.pop()}"
    # No TBA_WIZARD_BASE_URL here: calls go to NetSuite, and no notice says otherwise.
    assert not driver.find_element(*by_testid("base-url-banner")).is_displayed()
    shot(driver, "01-start")

    # a choice made with the mouse enables Continue and previews the steps in the rail
    driver.find_element(*by_testid("connector-aftership")).click()
    assert checked(driver) == ["aftership"]
    assert enabled(cont)
    rail = driver.find_element(*by_testid("rail")).text
    for code in ("AS-1", "AS-2", "AS-3", "AS-4", "AS-5"):
        assert code in rail
    assert driver.find_element(*by_testid("step-code")).text == "Next: AS-1 of 5"
    shot(driver, "02-start-chosen")

    # Continue starts the wizard at its first step.
    cont.click()
    wait_until(driver, lambda d: d.find_element(*by_testid("step-code")).text == "AS-1 of 5")
    assert wait_testid(driver, "screen-title").text == "1. Get the account ID"
    done = driver.find_elements(By.CSS_SELECTOR, '[data-testid="rail"] .is-done')
    assert [d.text for d in done] == ["Choose a connector"]
    shot(driver, "03-start-continued")


def test_start_screen_keyboard(driver: WebDriver):
    wait_testid(driver, "start-title")
    driver.execute_script("document.activeElement && document.activeElement.blur();")

    # Tab from the top of the page reaches the first connector choice.
    for _ in range(10):
        keys(driver, Keys.TAB)
        if active_testid(driver) and active_testid(driver).startswith("connector-"):
            break
    assert active_testid(driver) == "connector-celigo-input"
    assert checked(driver) == []

    # The focused card shows a visible focus ring.
    style, width = outline_of_card(driver, "celigo")
    assert style != "none" and width >= 2, (style, width)
    shot(driver, "04-start-keyboard-focus")

    # Space selects the focused choice, the arrow keys move and select.
    keys(driver, Keys.SPACE)
    wait_until(driver, lambda d: checked(d) == ["celigo"], message="Space did not select the choice")
    assert enabled(driver.find_element(*by_testid("continue")))

    keys(driver, Keys.ARROW_DOWN)
    wait_until(driver, lambda d: checked(d) == ["aftership"], message="ArrowDown did not move the choice")
    assert active_testid(driver) == "connector-aftership-input"
    style, width = outline_of_card(driver, "aftership")
    assert style != "none" and width >= 2, (style, width)
    assert outline_of_card(driver, "celigo")[0] == "none"

    keys(driver, Keys.ARROW_DOWN)
    wait_until(driver, lambda d: checked(d) == ["own_m2m"])
    keys(driver, Keys.ARROW_UP)
    wait_until(driver, lambda d: checked(d) == ["aftership"])

    # Tab moves on to Continue (Back is disabled on the start screen), which has its own ring.
    keys(driver, Keys.TAB)
    assert active_testid(driver) == "continue"
    ring = driver.execute_script(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];"
    )
    assert ring[0] != "none" and float(ring[1].removesuffix("px")) >= 2, ring
    shot(driver, "05-start-keyboard-continue")

    keys(driver, Keys.ENTER)
    wait_until(driver, lambda d: d.find_element(*by_testid("step-code")).text == "AS-1 of 5")
    # Focus moves to the new screen's heading, so a screen reader starts reading there.
    assert active_testid(driver) == "screen-title"


def test_each_connector_says_what_netsuite_2027_1_means_before_its_first_step(driver: WebDriver):
    """The words come from the profile files: a TBA connector's card, once chosen, is followed by what
    the end of new TBA integrations means for it; an OAuth 2.0 one has nothing to warn about."""
    wait_testid(driver, "start-title")
    assert driver.find_elements(*by_testid("release-notice")) == []
    profiles = connector_profiles()
    assert {p["id"] for p in profiles if p.get("release_notice")} >= {"celigo", "aftership", "own"}
    for p in profiles:
        driver.find_element(*by_testid(f"connector-{p['id']}")).click()
        shown = driver.find_elements(*by_testid("release-notice"))
        notice = p.get("release_notice")
        if not notice:
            assert shown == [], p["id"]
            continue
        text = shown[0].text
        assert notice["title"] in text, p["id"]
        assert "release-notice" in radio(driver, p["id"]).get_attribute("aria-describedby"), \
            "a screen reader reads the notice with the chosen card"
        for point in notice["points"]:
            assert point in text, (p["id"], point)
    driver.find_element(*by_testid("connector-celigo")).click()
    assert "not confirmed by Oracle" in wait_testid(driver, "release-notice").text
    driver.execute_script("document.querySelector('[data-testid=release-notice]').scrollIntoView({block: 'end'})")
    assert axe_violations(driver) == []
    shot(driver, "05-start-release-notice")


def test_start_screen_fits_800x600(driver: WebDriver):
    wait_testid(driver, "start-title")
    driver.set_window_size(800, 600)
    wait_until(
        driver,
        lambda d: d.execute_script("return [window.innerWidth, window.innerHeight]") == [800, 600],
        message="the window did not resize to 800x600",
    )
    # With a choice made the rail lists the steps too: the tallest start screen.
    driver.find_element(*by_testid("connector-celigo")).click()

    overflow = driver.execute_script(
        """
        const d = document.documentElement;
        const wide = [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > d.clientWidth + 0.5)
          .map(e => e.tagName + '.' + e.className);
        return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, wide};
        """
    )
    assert overflow["scrollWidth"] <= overflow["clientWidth"], overflow
    assert overflow["wide"] == [], overflow

    # Everything on the start screen, including the footer buttons, is on screen.
    for testid in ("start-title", "connector-own", "continue", "back", "step-code"):
        rect = driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
            driver.find_element(*by_testid(testid)),
        )
        assert rect[0] >= 0 and rect[2] <= 800, (testid, rect)
    footer_bottom = driver.execute_script(
        "return document.querySelector('[data-testid=continue]').getBoundingClientRect().bottom"
    )
    assert footer_bottom <= 600
    # ...the choice for new integrations fits above the footer without scrolling, and the last choice is
    # reached by scrolling the pane (four cards do not all fit in 600 pixels).
    card_bottom = lambda testid: driver.execute_script(  # noqa: E731
        f"return document.querySelector('[data-testid={testid}]').getBoundingClientRect().bottom"
    )
    footer_top = driver.execute_script("return document.querySelector('footer').getBoundingClientRect().top")
    assert card_bottom("connector-own_m2m") <= footer_top, (card_bottom("connector-own_m2m"), footer_top)
    shot(driver, "06-start-800x600")
    driver.execute_script("document.querySelector('[data-testid=connector-own]').scrollIntoView({block: 'end'})")
    assert card_bottom("connector-own") <= footer_top, (card_bottom("connector-own"), footer_top)


def test_start_screen_dark(dark_driver: WebDriver):
    """With a dark desktop theme the app follows prefers-color-scheme."""
    driver = dark_driver
    wait_testid(driver, "start-title")
    assert driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    # The page background is dark and the title light: the dark palette is in use.
    bg, fg = driver.execute_script(
        "return [getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('[data-testid=start-title]')).color]"
    )
    luminance = lambda css: sum(int(v) for v in re.findall(r"\d+", css)[:3]) / 3  # noqa: E731
    assert luminance(bg) < 80 < luminance(fg), (bg, fg)
    driver.find_element(*by_testid("connector-aftership")).click()
    shot(driver, "07-start-dark")
    # The chosen connector's 2027.1 notice, in the dark palette too.
    driver.execute_script("document.querySelector('[data-testid=release-notice]').scrollIntoView({block: 'end'})")
    shot(driver, "07-start-dark-release-notice")
