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
    from selenium.common.exceptions import StaleElementReferenceException as _Stale

    # Screens are redrawn after every change: an element found a moment ago may be gone.
    return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=(_Stale,)).until(
        predicate, message
    )


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


# --------------------------------------------------------------------------- wizard flows

import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

from concurrent.futures import Future, ThreadPoolExecutor  # noqa: E402

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException  # noqa: E402


def find(driver: WebDriver, testid: str) -> WebElement:
    return driver.find_element(*by_testid(testid))


def exists(driver: WebDriver, testid: str) -> bool:
    return len(driver.find_elements(*by_testid(testid))) > 0


def text_of(driver: WebDriver, testid: str) -> str:
    """textContent (also of visually hidden parts), whitespace collapsed; '' when absent."""
    value = driver.execute_script(
        "const n = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return n ? n.textContent : '';",
        testid,
    )
    return re.sub(r"\s+", " ", value or "").strip()


def click(driver: WebDriver, testid: str, timeout: float = 10.0) -> None:
    """Click the element once it is there and enabled (screens are redrawn after every change)."""

    def ready(d):
        try:
            el = d.find_element(*by_testid(testid))
            return el if el.is_displayed() and el.is_enabled() else False
        except (StaleElementReferenceException, WebDriverException):
            return False

    last: Exception | None = None
    for _ in range(3):
        el = WebDriverWait(driver, timeout, poll_frequency=0.05).until(ready, f"{testid} never became clickable")
        try:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
            el.click()
            return
        except StaleElementReferenceException as e:  # redrawn between finding and clicking
            last = e
    raise AssertionError(f"could not click {testid}: {last}")


def type_into(driver: WebDriver, testid: str, text: str, timeout: float = 10.0) -> WebElement:
    """Type into a field, finding it again if the screen was redrawn meanwhile.

    A redraw (the details' toggle event, a view refresh) can replace the field
    between finding and typing; WebKitWebDriver then answers "unknown error"
    rather than "stale element", so any WebDriver error means "find it again".
    """
    last: Exception | None = None
    for _ in range(4):
        box = wait_testid(driver, testid, timeout)
        try:
            box.clear()
            box.send_keys(text)
            if box.get_attribute("value") == text:
                return box
        except WebDriverException as e:
            last = e
        time.sleep(0.1)
    raise AssertionError(f"could not type into {testid}: {last}")


def wait_text(driver: WebDriver, testid: str, expected: str, timeout: float = 10.0) -> str:
    """Wait until the element's text contains `expected`; returns the text."""
    return wait_until(
        driver,
        lambda d: (t := text_of(d, testid)) and expected in t and t,
        timeout,
        f"{testid} never showed {expected!r} (last: {text_of(driver, testid)!r})",
    )


def wait_progress(driver: WebDriver, progress: str, timeout: float = 10.0) -> None:
    """Wait for the footer's step code, e.g. 'AS-3 of 5'."""
    wait_until(
        driver,
        lambda d: text_of(d, "step-code") == progress,
        timeout,
        f"the footer never showed {progress!r} (last: {text_of(driver, 'step-code')!r})",
    )


def is_checked(driver: WebDriver, testid: str) -> bool:
    """A checkbox's state, read in the page (no element reference to go stale on a redraw)."""
    return bool(
        driver.execute_script(
            "const b = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return b ? b.checked : false;",
            testid,
        )
    )


def title(driver: WebDriver) -> str:
    return text_of(driver, "screen-title")


def checklist_labels(driver: WebDriver) -> list[str]:
    """Each checklist line's label as a screen reader gets it, e.g. 'TBA: AUTHORIZATION FLOW — leave unchecked'."""
    return driver.execute_script(
        "return [...document.querySelectorAll('.check-item .check-label')]"
        ".map(l => l.textContent.replace(/\\s+/g, ' ').trim());"
    )


def tick_all(driver: WebDriver) -> int:
    """Tick every enabled line of the checklist, one by one (each tick is saved by Rust)."""
    count = driver.execute_script("return document.querySelectorAll('.check-input').length")
    ticked = 0
    for i in range(count):
        state = lambda d: d.execute_script(  # noqa: E731
            "const b = document.querySelector(`[data-testid=\"check-${arguments[0]}\"]`);"
            "return b ? [b.checked, b.disabled] : [false, true];",
            i,
        )
        checked, disabled = state(driver)
        if disabled or checked:
            continue
        done_before = text_of(driver, "check-count")
        click(driver, f"check-{i}")
        # Rust saved it when the redrawn screen counts one more done.
        wait_until(driver, lambda d: text_of(d, "check-count") != done_before and state(d)[0], 5,
                   f"check-{i} did not stay ticked")
        ticked += 1
    return ticked


def no_horizontal_scroll(driver: WebDriver) -> None:
    overflow = driver.execute_script(
        """
        const d = document.documentElement;
        const pane = document.querySelector('main');
        const wide = [...document.querySelectorAll('body *')]
          .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > d.clientWidth + 0.5)
          .map(e => e.tagName + '.' + e.className + ' ' + (e.dataset.testid || ''));
        return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth,
                paneScroll: pane ? pane.scrollWidth - pane.clientWidth : 0, wide};
        """
    )
    assert overflow["scrollWidth"] <= overflow["clientWidth"], overflow
    assert overflow["paneScroll"] <= 1, overflow
    assert overflow["wide"] == [], overflow


# ---- the clipboard (X11, through xclip: what a user copying from NetSuite's page does)

def clipboard_set(value: str) -> None:
    """Own the CLIPBOARD selection with `value` (xclip keeps serving it in the background), and make
    sure it reads back: another client may take the selection at the same moment."""
    for _ in range(5):
        subprocess.run(
            ["xclip", "-selection", "clipboard", "-i"],
            input=value.encode(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            timeout=10,
        )
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            if clipboard_get() == value:
                return
            time.sleep(0.05)
    raise AssertionError("the clipboard did not keep the value put on it")


def clipboard_get() -> str:
    """The clipboard's text, '' when it is empty or holds no text."""
    p = subprocess.run(
        ["xclip", "-selection", "clipboard", "-o"],
        capture_output=True,
        timeout=10,
    )
    return p.stdout.decode(errors="replace") if p.returncode == 0 else ""


# ---- screenshots of every screen, and the secrets that must appear in none of them

class Shots:
    """Numbered screenshots of one flow (``aftership-03-AS-2.png``); each also checks the DOM for secrets."""

    def __init__(self, driver: WebDriver, flow: str, secrets: list[str]):
        self.driver = driver
        self.flow = flow
        self.secrets = secrets
        self.n = 0
        self.paths: list[Path] = []
        # Each screenshot is read by OCR in the background while the flow goes on (see ocr_results).
        self._ocr = ThreadPoolExecutor(max_workers=1)
        self._ocr_jobs: list[Future] = []
        for old in SCREENSHOTS.glob(f"{flow}-[0-9][0-9]-*.png"):  # from an earlier run
            old.unlink()

    def __call__(self, label: str, at: str | None = None, check_width: bool = True) -> Path:
        """Screenshot the window; the pane is scrolled to the top, or to the element `at` (a data-testid)."""
        self.n += 1
        assert_no_secret_in_dom(self.driver, self.secrets, f"{self.flow} {label}")
        if check_width:
            no_horizontal_scroll(self.driver)
        self.driver.execute_script(
            """
            const pane = document.querySelector('main');
            const at = arguments[0] && document.querySelector(`[data-testid="${arguments[0]}"]`);
            if (at) at.scrollIntoView({block: 'start'}); else if (pane) pane.scrollTop = 0;
            """,
            at,
        )
        path = shot(self.driver, f"{self.flow}-{self.n:02d}-{label}")
        self.paths.append(path)
        self._ocr_jobs.append(self._ocr.submit(ocr_text, path))
        return path

    def ocr_results(self) -> list[tuple[Path, str | None]]:
        """(screenshot, the text tesseract read in it or None without tesseract), for every screenshot."""
        texts = [job.result() for job in self._ocr_jobs]
        self._ocr.shutdown()
        return list(zip(self.paths, texts))


def assert_no_secret_in_dom(driver: WebDriver, secrets: list[str], where: str) -> None:
    """Neither the page source nor any form field's current value holds a secret."""
    source = driver.page_source
    values = driver.execute_script(
        "return [...document.querySelectorAll('input, textarea')].map(i => i.value).join('\\n');"
    )
    for s in secrets:
        assert s not in source, f"a secret ({s[:4]}…) is in the page source at {where}"
        assert s not in values, f"a secret ({s[:4]}…) is in a form field at {where}"


def files_containing(root: Path, secrets: list[str]) -> list[str]:
    """Files under `root` whose bytes contain one of the secrets (as text)."""
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for s in secrets:
                if s.encode() in data:
                    hits.append(f"{path} ({s[:4]}…)")
    return hits


def processes_with_secret_in_args(secrets: list[str]) -> list[str]:
    """Running processes whose argument list holds a secret."""
    hits = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes()
        except OSError:
            continue
        for s in secrets:
            if s.encode() in args:
                hits.append(f"pid {cmdline.parent.name} ({s[:4]}…)")
    return hits


def ocr_text(path: Path) -> str | None:
    """The text tesseract reads in a screenshot, or None when tesseract is not installed."""
    if not shutil.which("tesseract"):
        return None
    p = subprocess.run(["tesseract", str(path), "-", "--psm", "3"], capture_output=True, timeout=120)
    return p.stdout.decode(errors="replace")


def browser_script(directory: Path) -> tuple[Path, Path]:
    """A stand-in web browser for $BROWSER: it only appends the address it is given to a log."""
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "browser.log"
    script = directory / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n')
    script.chmod(0o755)
    return script, log


def opened_urls(log: Path) -> list[str]:
    try:
        return [line for line in log.read_text().splitlines() if line.strip()]
    except FileNotFoundError:
        return []


def json_file(path: Path):
    return json.loads(path.read_text())


def env_without_desktop() -> dict[str, str]:
    """xdg-open only honours $BROWSER when it sees no desktop environment."""
    drop = ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "GNOME_DESKTOP_SESSION_ID", "KDE_FULL_SESSION",
            "XDG_SESSION_DESKTOP", "http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
            "ALL_PROXY")
    return {k: v for k, v in os.environ.items() if k not in drop}
