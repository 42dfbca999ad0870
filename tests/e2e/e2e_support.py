"""Helpers shared by the end-to-end tests (import with ``from e2e_support import shot``)."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"


def shot(driver: WebDriver, name: str) -> Path:
    """Save a screenshot of the app window as test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (name if name.endswith(".png") else f"{name}.png")
    settle(driver)
    if not driver.save_screenshot(str(path)):
        raise RuntimeError(f"could not save screenshot {path}")
    return path


def by_testid(value: str) -> tuple[str, str]:
    """Locator for an element with data-testid=value."""
    return (By.CSS_SELECTOR, f'[data-testid="{value}"]')


def wait_testid(driver: WebDriver, value: str, timeout: float = 10.0) -> WebElement:
    """Wait until the element with data-testid=value is in the page and visible."""
    return WebDriverWait(driver, timeout).until(EC.visibility_of_element_located(by_testid(value)))


def wait_until(driver: WebDriver, predicate, timeout: float = 5.0, message: str = ""):
    """Wait until predicate(driver) is truthy; returns its value."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(predicate, message)


def settle(driver: WebDriver, extra_ms: int = 150) -> None:
    """Let the webview paint what the DOM already shows (fonts, images, transitions).

    WebKitGTK under Xvfb paints in software and a screenshot taken right after a
    DOM change can show the previous frame.
    """
    driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const ms = arguments[0];
        const fonts = document.fonts ? document.fonts.ready : Promise.resolve();
        const imgs = [...document.images].map(i => i.complete ? null : i.decode().catch(() => null));
        Promise.all([fonts, ...imgs]).then(() =>
          requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, ms))));
        """,
        extra_ms,
    )
