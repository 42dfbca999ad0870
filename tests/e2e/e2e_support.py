"""Helpers shared by the end-to-end tests (import with ``from e2e_support import shot``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "test-output"
# The test command runs two halves of the tests at once (TBA_WIZARD_TEST_PART is 1 or 2): their drivers'
# logs must not share a file.
LOG_SUFFIX = f"-part{os.environ['TBA_WIZARD_TEST_PART']}" if os.environ.get("TBA_WIZARD_TEST_PART") else ""
SCREENSHOTS = OUTPUT / "screenshots"


def shot(driver: WebDriver, name: str) -> Path:
    """Save a screenshot of the app window as test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (name if name.endswith(".png") else f"{name}.png")
    settle(driver)
    if not driver.save_screenshot(str(path)):
        raise RuntimeError(f"could not save screenshot {path}")
    return path


def _test_id_registry() -> tuple[frozenset[str], list[re.Pattern]]:
    """The ids and patterns of ui/src/testids.ts, the registry the UI's el() is typed with."""
    text = (REPO / "ui" / "src" / "testids.ts").read_text()
    static = text[text.index("export const TEST_IDS = ["):text.index("] as const;")]
    ids = frozenset(re.findall(r'^\s*"([^"]+)",$', static, re.M))
    patterns = [
        re.compile("^" + ".+".join(re.escape(part) for part in re.split(r"\$\{(?:string|number)\}", p)) + "$")
        for p in re.findall(r"^\s*\| `([^`]+)`", text, re.M)
    ]
    assert ids and patterns, "ui/src/testids.ts lost its TEST_IDS list or its patterns"
    return ids, patterns


TEST_IDS, TEST_ID_PATTERNS = _test_id_registry()


def known_testid(value: str) -> str:
    """`value`, if the UI can set it; otherwise fail now, naming it, rather than time out looking for it."""
    if value not in TEST_IDS and not any(p.match(value) for p in TEST_ID_PATTERNS):
        raise AssertionError(f"data-testid {value!r} is not in ui/src/testids.ts: the UI never sets it "
                             "(renamed or misspelt?)")
    return value


def by_testid(value: str) -> tuple[str, str]:
    """Locator for an element with data-testid=value (an id of the UI's registry)."""
    return (By.CSS_SELECTOR, f'[data-testid="{known_testid(value)}"]')


def wait_testid(driver: WebDriver, value: str, timeout: float = 10.0) -> WebElement:
    """Wait until the element with data-testid=value is in the page and visible."""
    return WebDriverWait(driver, timeout).until(EC.visibility_of_element_located(by_testid(value)))


def wait_until(driver: WebDriver, predicate, timeout: float = 5.0, message: str = ""):
    """Wait until predicate(driver) is truthy; returns its value."""
    from selenium.common.exceptions import StaleElementReferenceException as _Stale

    # A screen may give way to another meanwhile: an element found a moment ago may be gone.
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
        known_testid(testid),
    )
    return re.sub(r"\s+", " ", value or "").strip()


def enabled(el: WebElement) -> bool:
    """Whether a control can be used: not disabled, and not aria-disabled (a blocked Next stays
    focusable so that the reason it is blocked is read with it)."""
    return el.is_enabled() and el.get_attribute("aria-disabled") != "true"


def click(driver: WebDriver, testid: str, timeout: float = 10.0) -> None:
    """Click the element once it is there and enabled (the screen may change to another meanwhile)."""

    def ready(d):
        try:
            el = d.find_element(*by_testid(testid))
            return el if el.is_displayed() and enabled(el) else False
        except (StaleElementReferenceException, WebDriverException):
            return False

    last: Exception | None = None
    for _ in range(3):
        el = WebDriverWait(driver, timeout, poll_frequency=0.05).until(ready, f"{testid} never became clickable")
        try:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
            el.click()
            return
        except StaleElementReferenceException as e:  # another screen came between finding and clicking
            last = e
    raise AssertionError(f"could not click {testid}: {last}")


def empty_field(box: WebElement) -> None:
    """Empty a text field or area with the keyboard, as a user does. Not WebDriver's clear(): it sends no
    input event, so a field whose text the page keeps in its state got its old text back from the next
    redraw, and what was typed next went after it ("AfterShip token 2025AfterShip token 2026", once in
    three runs)."""
    from selenium.webdriver.common.keys import Keys

    current = box.get_attribute("value") or ""
    if current:
        box.send_keys(Keys.CONTROL, Keys.END)
        box.send_keys(*([Keys.BACKSPACE] * len(current)))
    assert box.get_attribute("value") == "", f"the field still holds {box.get_attribute('value')!r} after emptying it"


def type_into(driver: WebDriver, testid: str, text: str, timeout: float = 10.0) -> WebElement:
    """Empty the field and type `text` into it (the window patches fields in place: it is never replaced)."""
    box = wait_testid(driver, testid, timeout)
    empty_field(box)
    box.send_keys(text)
    assert box.get_attribute("value") == text, f"{testid} holds {box.get_attribute('value')!r}, not what was typed"
    return box


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
    """A checkbox's state, read in the page (no element reference to go stale)."""
    return bool(
        driver.execute_script(
            "const b = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return b ? b.checked : false;",
            known_testid(testid),
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
        # Rust saved it when the screen counts one more done (the count is Rust's, not the click's).
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


# ---- leaks: the secrets that must appear in no screen, DOM, file, process or log
#
# Every check below uses tests/leakscan.py: any 16 consecutive characters of a secret, case-folded,
# also base64- (standard and URL-safe, at every byte offset), percent- and hex-encoded, in UTF-16, or as
# a list of byte values. leak_report() puts together what a flow must check at its end.

import secrets as _secrets  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

sys.path.insert(0, str(REPO / "tests"))
import leakscan  # noqa: E402
from leakscan import Scanner  # noqa: E402

IDENTIFIER = json.loads((REPO / "src-tauri" / "tauri.conf.json").read_text())["identifier"]
TESSERACT_MISSING = (
    "tesseract is not installed, so the screenshots cannot be read for secrets and the leak check "
    "cannot pass: install it (apt-get install tesseract-ocr tesseract-ocr-eng; `scripts/setup.sh test` does)"
)
# Larger files in $TMPDIR are not ours (a build's artefacts, a copied binary): the app's own temporary
# files are small, and its $TMPDIR is moved into the flow's folder anyway (app_xdg_env), read whole.
TMP_MAX_BYTES = 16 << 20


# ---- accessibility: axe-core (from npm, installed by scripts/setup.sh) in the real window

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# What fails a screen: axe's two highest impacts. Lesser findings are printed, not failed.
AXE_FAILING = ("serious", "critical")
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then((r) => done(r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' ' +
      [...n.any, ...n.all].map((c) => c.message).join('; ')),
  }))))
  .catch((e) => done('axe failed: ' + String(e)));
"""


def axe_violations(driver: WebDriver) -> list[dict]:
    """axe-core's violations on the window as it is now (the script is injected through WebDriver, which
    the page's CSP does not govern; the app itself still loads nothing from outside)."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm install` (scripts/setup.sh does)"
    # Buttons fade their colours for 120 ms when they change state, unless the user asked for reduced
    # motion: the windows under test do (tests/e2e/xdg-config), so there is no frame in between for axe
    # to judge. Checked, because a window that animated would make the contrast check depend on timing.
    assert driver.execute_script("return matchMedia('(prefers-reduced-motion: reduce)').matches"), (
        "the window does not prefer reduced motion: start it through tests/e2e/conftest.py, which turns GTK's "
        "animations off (tests/e2e/xdg-config/gtk-3.0/settings.ini)"
    )
    # Nothing should be running then; a transition added without the reduced-motion guard would still be
    # waited for here (reading each button's colour first makes WebKit resolve styles changed by the last
    # render, so a fade about to start is listed too). WebKit keeps a finished transition listed when its
    # element is not drawn (a button in a closed <details>): those are done.
    wait_until(
        driver,
        lambda d: d.execute_script(
            "document.querySelectorAll('button, a').forEach((e) => getComputedStyle(e).backgroundColor);"
            "return document.getAnimations().filter((a) => a instanceof CSSTransition && a.playState !== 'finished')"
            ".length === 0"
        ),
        5,
        "transitions never finished",
    )
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE.read_text())
    driver.set_script_timeout(30)
    result = driver.execute_async_script(AXE_RUN)
    assert not isinstance(result, str), result
    return result


# ---- the CSP promise, in the live window: no inline style, no on* attribute (tests/ui_csp_scan.py checks
# the source; test_inline_markup_selftest.py shows both fail when the promise is broken)

INLINE_MARKUP = """
return [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes]
  .filter((a) => a.name === 'style' || /^on/i.test(a.name))
  .map((a) => e.tagName.toLowerCase() + (e.dataset.testid ? '[data-testid=' + e.dataset.testid + ']' : '') +
    ' ' + a.name + '=' + JSON.stringify(a.value.slice(0, 60))));
"""


def inline_markup(driver: WebDriver) -> list[str]:
    """Every element of the window that carries a `style` or an `on*` attribute, described."""
    return driver.execute_script(INLINE_MARKUP)


def assert_no_inline_markup(driver: WebDriver, where: str) -> None:
    found = inline_markup(driver)
    assert not found, f"inline style or on* attributes on {where} (the UI must set neither):\n  " + "\n  ".join(found)


def assert_accessible(driver: WebDriver, where: str) -> None:
    assert_no_inline_markup(driver, where)
    found = axe_violations(driver)
    failing = [v for v in found if v["impact"] in AXE_FAILING]
    for v in found:
        if v not in failing:
            print(f"axe ({where}): {v['impact']} {v['id']}: {v['help']} {v['nodes']}")
    assert not failing, f"accessibility violations on {where}:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in failing
    )


class Shots:
    """Numbered screenshots of one flow (``aftership-03-AS-2.png``); each also checks the DOM for secrets.

    Every screenshot is read by OCR (tesseract) in the background; with secrets to look for, the first
    one is followed by a screenshot of a random 64-character canary shown over the window, which the OCR
    must read back (else "no secret read on screen" would prove nothing). A flow that makes no leak check
    of its own says so (`read_text=False`), and its screenshots are not read for nobody."""

    def __init__(self, driver: WebDriver, flow: str, secrets: list[str], read_text: bool = True):
        self.driver = driver
        self.flow = flow
        self.secrets = secrets
        self.read_text = read_text
        self.n = 0
        self.paths: list[Path] = []
        # Each screenshot is read by OCR in the background while the flow goes on (see ocr_results).
        self._ocr = ThreadPoolExecutor(max_workers=1)
        self._ocr_jobs: list[Future] = []
        self._canary: tuple[str, Path, Future] | None = None
        for old in SCREENSHOTS.glob(f"{flow}-[0-9][0-9]-*.png"):  # from an earlier run
            old.unlink()

    def __call__(self, label: str, at: str | None = None, check_width: bool = True) -> Path:
        """Screenshot the window; the pane is scrolled to the top, or to the element `at` (a data-testid).
        Every screen shot is also checked by axe-core (see assert_accessible)."""
        self.n += 1
        assert_no_secret_in_dom(self.driver, self.secrets, f"{self.flow} {label}")
        if check_width:
            no_horizontal_scroll(self.driver)
        assert_accessible(self.driver, f"{self.flow} {label}")
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
        if not self.read_text:
            return path
        self._ocr_jobs.append(self._ocr.submit(ocr_text, path))
        if self.secrets and self._canary is None:
            self._canary = self._shoot_canary()
        return path

    def _shoot_canary(self) -> tuple[str, Path, Future]:
        canary = _secrets.token_hex(32)
        # Two lines of 32: on one line the canary ran to the edge of an 800-pixel window, and tesseract
        # now and then dropped the whole line (a fresh-clone run failed on it). Reading any 12 characters
        # is what counts as a leak (leakscan.OCR_FRAGMENT), so two halves prove as much as one line.
        self.driver.execute_script(
            """
            const d = document.createElement('div');
            d.id = 'leakscan-canary';
            d.textContent = arguments[0].slice(0, 32) + '\\n' + arguments[0].slice(32);
            d.style.cssText = 'position:fixed;left:24px;top:40%;z-index:2147483647;padding:16px;' +
              'background:#fff;color:#000;font:20px monospace;letter-spacing:1px;white-space:pre;line-height:1.6';
            document.body.appendChild(d);
            """,
            canary,
        )
        try:
            path = shot(self.driver, f"{self.flow}-00-ocr-canary")
        finally:
            self.driver.execute_script("const d = document.getElementById('leakscan-canary'); if (d) d.remove();")
        return canary, path, self._ocr.submit(ocr_text, path)

    def ocr_results(self) -> list[tuple[Path, str]]:
        """(screenshot, the text tesseract read in it), for every screenshot. Fails without tesseract."""
        assert self.read_text, f"{self.flow}: its screenshots are not read (Shots(read_text=False))"
        texts = [job.result() for job in self._ocr_jobs]
        if self._canary is not None:
            self._canary[2].result()
        self._ocr.shutdown()
        return list(zip(self.paths, texts))

    def ocr_canary(self) -> tuple[str, Path, str] | None:
        """(canary, its screenshot, what OCR read there), or None if no canary was shown."""
        if self._canary is None:
            return None
        canary, path, job = self._canary
        return canary, path, job.result()


DOM_TEXT_JS = """
const parts = [document.documentElement.outerHTML, document.title, location.href, document.cookie];
if (document.body) parts.push(document.body.innerText);
const roots = [document];
while (roots.length) {
  for (const el of roots.pop().querySelectorAll('*')) {
    for (const a of el.attributes) parts.push(a.value);
    if (typeof el.value === 'string') parts.push(el.value);        // what was typed, not the attribute
    if (el.shadowRoot) { parts.push(el.shadowRoot.innerHTML); roots.push(el.shadowRoot); }
  }
}
for (const store of ['localStorage', 'sessionStorage']) {
  try {
    const s = window[store];
    for (let i = 0; i < s.length; i++) { const k = s.key(i); parts.push(k, s.getItem(k)); }
  } catch (e) { parts.push(store + ' unreadable: ' + e); }
}
return parts.join('\\n');
"""


def dom_text(driver: WebDriver) -> str:
    """Everything the page holds as text: its markup, visible text, attributes, every field's current
    value (also password fields), open shadow roots, cookies, local and session storage."""
    return driver.page_source + "\n" + (driver.execute_script(DOM_TEXT_JS) or "")


def assert_no_secret_in_dom(driver: WebDriver, secrets: list[str], where: str) -> None:
    """No form of any secret anywhere in the page (see dom_text)."""
    hits = Scanner(secrets).find(dom_text(driver))
    assert not hits, f"a secret is in the page at {where}: " + "; ".join(map(str, hits))


def files_containing(root: Path, secrets: list[str], since: float | None = None) -> list[str]:
    """Files under `root` holding any form of a secret (see tests/leakscan.py), as 'path: secret as form'."""
    return [str(h) for h in Scanner(secrets).find_in_tree(root, since=since)]


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def process_snapshot(skip=()) -> dict[int, tuple[bytes, bytes]]:
    """pid -> (command line, environment) of every process not in `skip`, as the raw /proc bytes."""
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in skip:
            cmdline = _read(f"/proc/{name}/cmdline")
            if cmdline:  # kernel threads and zombies have none
                out[int(name)] = (cmdline, _read(f"/proc/{name}/environ"))
    return out


def processes_with_secret_in_args(secrets: list[str]) -> list[str]:
    """Running processes whose arguments or environment hold any form of a secret (one look)."""
    scanner = Scanner(secrets)
    hits = []
    for pid, (cmdline, environ) in process_snapshot().items():
        hits += [f"pid {pid} arguments: {h}" for h in scanner.find(cmdline.replace(b"\0", b" "))]
        hits += [f"pid {pid} environment: {h}" for h in scanner.find(environ.replace(b"\0", b"\n"))]
    return hits


class ProcessSampler:
    """Reads the command line of every process started after it (the driver, WebKitWebDriver, the app,
    its WebKit helpers, the command line, xclip, xdg-open…) every `interval` seconds in a background
    thread, and each one's environment whenever its command line is new (so also after an exec).
    Everything seen is kept (deduplicated) for `leaks()`."""

    def __init__(self, interval: float = 0.02):
        self.interval = interval
        self.cmdlines: set[bytes] = set()
        self.environs: set[bytes] = set()
        self.samples = 0
        self._last: dict[int, bytes] = {}
        self._baseline: set[int] = set()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> "ProcessSampler":
        self._baseline = {int(n) for n in os.listdir("/proc") if n.isdigit()}
        self._thread = threading.Thread(target=self._run, name="process-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._done.set()
        if self._thread:
            self._thread.join(10)

    def _run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def sample(self) -> None:
        with self._lock:
            for name in os.listdir("/proc"):
                if not name.isdigit() or int(name) in self._baseline:
                    continue
                pid = int(name)
                cmdline = _read(f"/proc/{pid}/cmdline")
                if not cmdline or self._last.get(pid) == cmdline:
                    continue
                self._last[pid] = cmdline
                self.cmdlines.add(cmdline)
                environ = _read(f"/proc/{pid}/environ")
                if environ:
                    self.environs.add(environ)
            self.samples += 1

    def saw(self, fragment: str, in_environment: bool = False) -> bool:
        with self._lock:
            pool = self.environs if in_environment else self.cmdlines
            return any(fragment.encode() in seen for seen in pool)

    def leaks(self, secrets: list[str]) -> list[str]:
        scanner = Scanner(secrets)
        with self._lock:
            cmdlines, environs = list(self.cmdlines), list(self.environs)
        hits = []
        for cmdline in cmdlines:
            argv0 = cmdline.split(b"\0", 1)[0].decode(errors="replace")
            hits += [f"arguments of {argv0}: {h}" for h in scanner.find(cmdline.replace(b"\0", b" "))]
        for environ in environs:
            hits += [f"a process's environment: {h}" for h in scanner.find(environ.replace(b"\0", b"\n"))]
        return sorted(set(hits))


def ocr_text(path: Path) -> str:
    """The text tesseract reads in a screenshot. Fails (never skips) without tesseract."""
    if not shutil.which("tesseract"):
        raise AssertionError(TESSERACT_MISSING)
    # One thread: tesseract's OpenMP workers spin while they wait, and on a two-core machine they took
    # the window under test's processor time (a read took 3.9 s beside a build, 0.9 s with one thread).
    p = subprocess.run(["tesseract", str(path), "-", "--psm", "3"], capture_output=True, timeout=120,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    if p.returncode != 0:
        raise AssertionError(f"tesseract could not read {path}: {p.stderr.decode(errors='replace')}")
    return p.stdout.decode(errors="replace")


# ---- where a flow's app, WebKit and tools may have written

def app_xdg_env(root: Path) -> dict[str, str]:
    """XDG base folders and $TMPDIR of one flow's app, under the flow's own folder: everything the app,
    GTK and WebKit write for the user (WebKit's local storage, IndexedDB, caches, cookies) lands there,
    where leak_report reads every file."""
    dirs = {
        "XDG_DATA_HOME": root / "xdg" / "data",
        "XDG_CACHE_HOME": root / "xdg" / "cache",
        "XDG_CONFIG_HOME": root / "xdg" / "config",
        "XDG_STATE_HOME": root / "xdg" / "state",
        "TMPDIR": root / "xdg" / "tmp",
    }
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    return {k: str(v) for k, v in dirs.items()}


def default_app_dirs() -> list[Path]:
    """Where the app and WebKit write when the XDG variables are not moved: $XDG_*_HOME/<identifier>
    and ~/.local/share, ~/.cache, ~/.config, ~/.local/state /<identifier> (also the bare program
    name), and the app's own config and log folders ($TBA_WIZARD_CONFIG_DIR, $TBA_WIZARD_LOG_DIR)."""
    home = Path.home()
    bases = {home / ".local" / "share", home / ".cache", home / ".config", home / ".local" / "state"}
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        if os.environ.get(var):
            bases.add(Path(os.environ[var]))
    dirs = {base / name for base in bases for name in (IDENTIFIER, "tba-wizard")}
    for var in ("TBA_WIZARD_CONFIG_DIR", "TBA_WIZARD_LOG_DIR", "TBA_WIZARD_DIAGNOSTICS_DIR"):
        if os.environ.get(var):
            dirs.add(Path(os.environ[var]))
    return sorted(dirs)


def keyring_store() -> Path:
    """The Secret Service's own storage (where secrets belong): never counted as a leak."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "keyrings"


def tmp_dirs() -> list[Path]:
    return sorted({Path(os.environ.get("TMPDIR") or "/tmp").resolve(), Path("/tmp").resolve()})


class TmpWatch:
    """What appears in $TMPDIR and /tmp during a flow: entries new since `start()` (read whole), and
    top-level files changed since then. Folders that were there before (other programs' workspaces)
    are not entered; scan_places skips build trees and large files there."""

    def __init__(self):
        self.before: dict[Path, set[str]] = {}
        self.started = leakscan.now()

    def start(self) -> "TmpWatch":
        self.started = leakscan.now()
        for d in tmp_dirs():
            try:
                self.before[d] = set(os.listdir(d))
            except OSError:
                self.before[d] = set()
        return self

    def paths(self, exclude=()) -> list[tuple[Path, float | None]]:
        out = []
        for d, before in self.before.items():
            try:
                names = os.listdir(d)
            except OSError:
                continue
            for name in names:
                p = d / name
                if any(p == e or e in p.parents for e in map(Path, exclude)):
                    continue  # scanned elsewhere
                if name not in before:
                    out.append((p, None))
                elif p.is_file() and not p.is_symlink():
                    out.append((p, self.started))
        return out


def scan_places(scanner: Scanner, places: list[tuple[Path, float | None]], exclude=()) -> list[str]:
    """Files under each (path, since) place (since: only files changed at or after it)."""
    hits: list[str] = []
    for root, since in places:
        # In $TMPDIR: other programs' build trees (tagged with CACHEDIR.TAG) and large files are skipped.
        in_tmp = root.parent in tmp_dirs()
        hits += map(str, scanner.find_in_tree(root, since=since, exclude=exclude, skip_cache_dirs=in_tmp,
                                              max_bytes=TMP_MAX_BYTES if in_tmp else None))
    return sorted(set(hits))


def leak_places(rig) -> list[tuple[Path, float | None]]:
    """Every place a flow's app, WebKit, driver or tools may have written, with the time from which
    files count (None: every file): the flow's own folder (config, logs, diagnostics, the app's XDG
    folders with WebKit's data and caches, its $TMPDIR), the default app and WebKit folders, the app's
    config and log folders from the environment, what appeared in $TMPDIR and /tmp, the tauri-driver and
    WebKitWebDriver log, and test-output/."""
    places: list[tuple[Path, float | None]] = [(rig.root, None), (rig.driver_log, None)]
    places += [(d, rig.started) for d in default_app_dirs()]
    places += rig.tmp_watch.paths(exclude=[rig.root])
    places.append((OUTPUT, rig.started))
    return places


def leak_report(rig, shots: Shots | None, secrets: list[str]) -> list[str]:
    """Every leak of a secret a flow left: files (see leak_places), processes' arguments and environments
    (sampled during the whole flow), and the screenshots' text. Each source is first shown to be
    readable, so that "nothing found" means something: the app logged, WebKit wrote its data, the
    sampler saw the app, OCR read a canary value off the window."""
    assert secrets, "no secrets to look for"
    rig.watch(secrets)
    scanner = Scanner(secrets)
    problems: list[str] = []

    assert any((rig.root / "logs").glob("tba-wizard*.log")), \
        "the app wrote no log file (so the log check would prove nothing)"
    webkit = [rig.root / "xdg" / kind / IDENTIFIER for kind in ("data", "cache")]
    assert any(any(walk_files_of(d)) for d in webkit), \
        f"WebKit wrote nothing in {' or '.join(map(str, webkit))}: find where it keeps its data now"
    problems += [f"file {h}" for h in scan_places(scanner, leak_places(rig), exclude=[keyring_store()])]

    rig.sampler.sample()
    assert rig.sampler.saw(str(rig.app)), "the process sampler never saw the app's command line"
    assert rig.sampler.saw(f"TBA_WIZARD_CONFIG_DIR={rig.config_dir}", in_environment=True), \
        "the process sampler never read the app's environment"
    problems += [f"process {h}" for h in rig.sampler.leaks(secrets)]

    if shots is not None:
        results = shots.ocr_results()
        assert results, "no screenshot was taken"
        # The OCR really reads the window (else "no secret found" would prove nothing).
        assert any("wizard" in text.lower() for _, text in results), "tesseract read no text in the screenshots"
        canary = shots.ocr_canary()
        assert canary is not None, "no OCR canary was shown"
        value, path, text = canary
        assert leakscan.ocr_leaks(text, [value]), (
            f"OCR could not read the 64-character canary shown in {path.name} (it read {text!r}), "
            "so not finding a secret in the screenshots would prove nothing")
        for path, text in results:
            problems += [f"screenshot {path.name}: OCR reads (part of) {s}" for s in leakscan.ocr_leaks(text, secrets)]
    return problems


def walk_files_of(root: Path):
    return leakscan.walk_files(root)


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


def connector_profiles(folder: Path | None = None) -> list[dict]:
    """The connector profiles a build embeds (src-tauri/engine/profiles/*.json), in the start screen's
    order: the start screen's tests read the same files as the app instead of keeping a copy."""
    folder = folder or REPO / "src-tauri" / "engine" / "profiles"
    found = [json.loads(f.read_text()) for f in sorted(folder.glob("*.json"))]
    return sorted(found, key=lambda p: p["order"])


def handoff_changes(driver: WebDriver) -> dict[str, str]:
    """Each hand-off row's label and its mark after a replacement ("New", "Unchanged", or "" for none)."""
    return driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('[data-testid=handoff-fields] > li')]"
        ".map(li => [li.dataset.label, li.querySelector('.ho-change')?.textContent ?? '']))"
    )
