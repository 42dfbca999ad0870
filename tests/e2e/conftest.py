"""End-to-end fixtures: the real app, driven through tauri-driver + WebKitWebDriver.

These tests expect to run inside an X server and a D-Bus session that the caller
provides (scripts/test.sh runs them under
``xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- .venv/bin/pytest tests/e2e``);
the fixtures never start their own.

Environment:
  TBA_WIZARD_BIN   the app binary (default: <repo>/target/debug/tba-wizard)
  TAURI_DRIVER     the tauri-driver binary (default: from PATH, else ~/.cargo/bin)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import urllib3
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webdriver import WebDriver

from e2e_support import LOG_SUFFIX, OUTPUT, REPO, shot  # noqa: F401  (shot re-exported for convenience)

DRIVER_READY_TIMEOUT = 20.0

# Animations off in every window under test (see xdg-config/gtk-3.0/settings.ini): the app inherits
# tauri-driver's environment, which inherits this one.
GTK_SETTINGS_DIR = Path(__file__).resolve().parent / "xdg-config"
os.environ["XDG_CONFIG_DIRS"] = os.pathsep.join(
    [str(GTK_SETTINGS_DIR)] + [d for d in os.environ.get("XDG_CONFIG_DIRS", "/etc/xdg").split(os.pathsep) if d]
)


def app_binary() -> Path:
    path = Path(os.environ.get("TBA_WIZARD_BIN") or REPO / "target" / "debug" / "tba-wizard")
    return path.resolve()


def tauri_driver_binary() -> str:
    explicit = os.environ.get("TAURI_DRIVER")
    if explicit:
        return explicit
    found = shutil.which("tauri-driver")
    if found:
        return found
    fallback = Path.home() / ".cargo" / "bin" / "tauri-driver"
    if fallback.is_file() and os.access(fallback, os.X_OK):
        return str(fallback)
    pytest.exit(
        "tauri-driver not found on PATH or in ~/.cargo/bin "
        "(install it with: cargo install tauri-driver --locked --version '^2')",
        returncode=3,
    )
    raise AssertionError("unreachable")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + DRIVER_READY_TIMEOUT
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"tauri-driver exited with code {proc.returncode} before it was ready; "
                f"its output is in {log}:\n{_tail(log)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                body = json.loads(resp.read() or b"{}")
                value = body.get("value", body)
                if resp.status == 200 and (not isinstance(value, dict) or value.get("ready", True)):
                    return
                last_error = f"status answered {resp.status}: {body}"
        except (urllib.error.URLError, ConnectionError, OSError, ValueError) as exc:
            last_error = str(exc)
        time.sleep(0.1)
    raise RuntimeError(
        f"tauri-driver was not ready at {url} after {DRIVER_READY_TIMEOUT:.0f} s "
        f"(last error: {last_error}); its output is in {log}:\n{_tail(log)}"
    )


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def _stop(proc: subprocess.Popen) -> None:
    """Terminate tauri-driver and everything it started (its own process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=5)


@pytest.fixture(scope="session")
def app_path() -> Path:
    path = app_binary()
    if not path.is_file():
        pytest.exit(
            f"app binary {path} does not exist: build it first (cargo build -p tba-wizard) "
            "or point TBA_WIZARD_BIN at it",
            returncode=3,
        )
    return path


def _require_display() -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        pytest.exit(
            "no display: run the e2e tests under an X server, e.g. "
            'xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- .venv/bin/pytest tests/e2e',
            returncode=3,
        )


@contextlib.contextmanager
def running_tauri_driver(
    name: str = "tauri-driver",
    env: dict[str, str] | None = None,
    base_env: dict[str, str] | None = None,
    native_driver: str | None = None,
):
    """Start tauri-driver on free ports, wait for /status, yield its URL, stop it (and its children).

    The app inherits tauri-driver's environment: `base_env` (default: this process's) updated with `env`."""
    _require_display()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    port, native_port = free_port(), free_port()
    while native_port == port:
        native_port = free_port()
    log = OUTPUT / f"{name}{LOG_SUFFIX}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [tauri_driver_binary(), "--port", str(port), "--native-port", str(native_port)]
            + (["--native-driver", native_driver] if native_driver else []),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**(os.environ if base_env is None else base_env), **(env or {})},
            start_new_session=True,  # own process group, so teardown reaches WebKitWebDriver and the app
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(f"{url}/status", proc, log)
        yield url
    finally:
        _stop(proc)


@contextlib.contextmanager
def app_session(driver_url: str, app: Path, args: list[str] | None = None):
    """One WebDriver session, i.e. one fresh app window (started with `args`, e.g. an app link)."""
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(app), "args": list(args or [])})
    drv: WebDriver | None = None
    for attempt in range(3):
        # keep_alive: tauri-driver drops some requests of clients that close the connection each time.
        connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=driver_url, keep_alive=True))
        try:
            drv = webdriver.Remote(command_executor=connection, options=options)
            break
        except (ConnectionError, OSError, urllib.error.URLError, urllib3.exceptions.HTTPError):
            # WebKitWebDriver now and then resets the very first connection; a second try works.
            if attempt == 2:
                raise
            time.sleep(1.0 + attempt)
    assert drv is not None
    drv.implicitly_wait(0)
    try:
        yield drv
    finally:
        try:
            drv.quit()
        except Exception:  # the session may already be gone; stopping tauri-driver cleans up the rest
            pass
        _wait_single_instance_released()


def _wait_single_instance_released(timeout: float = 15.0) -> None:
    """Wait until the closed app has given up its single-instance name on the session bus.

    A window started while the last one is still exiting would hand itself over to it (a second
    instance) and fail to open, and WebKitWebDriver then waits for it for ever."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") or not shutil.which("dbus-send"):
        return
    identifier = json.loads((REPO / "src-tauri" / "tauri.conf.json").read_text())["identifier"]
    ask = [
        "dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
        "org.freedesktop.DBus.NameHasOwner", f"string:{identifier}.SingleInstance",
    ]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = subprocess.run(ask, capture_output=True, text=True, timeout=5)
        if answer.returncode != 0 or "boolean false" in answer.stdout:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the app still held its single-instance name {timeout:.0f} s after its window was closed")


@pytest.fixture(scope="session")
def start_config_dir(tmp_path_factory) -> Path:
    """The config folder of the plain `driver` windows: never the user's own, emptied before each test."""
    return tmp_path_factory.mktemp("start-config")


def _empty(directory: Path) -> None:
    for child in directory.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


@pytest.fixture(scope="session")
def tauri_driver(app_path: Path, start_config_dir: Path):
    """A running tauri-driver for the whole test session; yields its WebDriver URL."""
    with running_tauri_driver(env={"TBA_WIZARD_CONFIG_DIR": str(start_config_dir)}) as url:
        yield url


@pytest.fixture
def driver(tauri_driver: str, app_path: Path, start_config_dir: Path):
    """A fresh app window (one WebDriver session) per test, with no saved progress."""
    _empty(start_config_dir)
    with app_session(tauri_driver, app_path) as drv:
        yield drv
        # Whatever the test did, the window it leaves has no inline style and no on* attribute.
        from e2e_support import assert_no_inline_markup

        assert_no_inline_markup(drv, "the window at the end of the test")


@pytest.fixture
def dark_driver(app_path: Path, tmp_path: Path):
    """A fresh app window with GTK asked for its dark variant (prefers-color-scheme: dark).

    Uses a tauri-driver of its own, since the theme comes from the environment."""
    env = {"GTK_THEME": "Adwaita:dark", "TBA_WIZARD_CONFIG_DIR": str(tmp_path / "config")}
    with running_tauri_driver("tauri-driver-dark", env) as url:
        with app_session(url, app_path) as drv:
            yield drv


# --------------------------------------------------------------------------- wizard flows

import sys  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

sys.path.insert(0, str(REPO / "tests" / "standin"))
import netsuite_standin  # noqa: E402

from e2e_support import (  # noqa: E402
    ProcessSampler,
    TmpWatch,
    app_xdg_env,
    browser_script,
    env_without_desktop,
    keyring_store,
    scan_places,
)
from leakscan import Scanner  # noqa: E402  (e2e_support put tests/ on sys.path)

REALM = "1234567_SB1"  # the stand-in's account: sandbox 1 of 1234567
PRODUCTION_ACCOUNT = "1234567"  # also known to the stand-in's account lookup


@dataclass
class WizardRig:
    """One flow's world: a fresh config folder, the NetSuite stand-in, a logging $BROWSER, tauri-driver."""

    name: str
    config_dir: Path
    browser_log: Path
    standin: "netsuite_standin.NetSuiteStandin"
    driver_url: str
    app: Path
    creds: dict = field(default_factory=dict)
    diagnostics_dir: Path | None = None
    # For the leak checks (e2e_support.leak_report): the flow's own folder, when it started, a sampler
    # of every new process's arguments and environment, what appears in $TMPDIR, and every secret a
    # check looked for (scanned for once more after the app has quit).
    root: Path | None = None
    started: float = 0.0
    sampler: ProcessSampler | None = None
    tmp_watch: TmpWatch | None = None
    watched: set = field(default_factory=set)

    @property
    def driver_log(self) -> Path:
        return OUTPUT / f"tauri-driver-{self.name}{LOG_SUFFIX}.log"

    def watch(self, secrets) -> None:
        self.watched.update(secrets)

    def final_leaks(self) -> list[str]:
        """After the app, WebKit and the driver have quit (and flushed what they keep in memory): the
        files and processes of leak_places, for every secret any check of this flow looked for."""
        from e2e_support import leak_places

        scanner = Scanner(self.watched)
        return [f"file {h}" for h in scan_places(scanner, leak_places(self), exclude=[keyring_store()])] + [
            f"process {h}" for h in self.sampler.leaks(sorted(self.watched))
        ]

    def session(self, args: list[str] | None = None):
        """A new app window (WebDriver session); quitting it closes the app."""
        return app_session(self.driver_url, self.app, args)


def new_credentials() -> dict:
    """Four random values in NetSuite's shape (64 lower-case hex characters)."""
    import secrets as _secrets

    return {k: _secrets.token_hex(32) for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")}


@pytest.fixture
def wizard_rig(app_path: Path, tmp_path: Path, request):
    """wizard_rig(name, dark=False, …, extra_env=None) -> context manager yielding a WizardRig."""

    @contextlib.contextmanager
    def make(name: str, dark: bool = False, denied_tables=(), no_browser: bool = False, extra_env=None):
        creds = new_credentials()
        standin = netsuite_standin.NetSuiteStandin(
            realm=REALM,
            credentials=[creds],
            known_accounts=[PRODUCTION_ACCOUNT],
            denied_tables=denied_tables,
        ).start()
        root = tmp_path / name
        config = root / "config"
        config.mkdir(parents=True)
        # Never the user's Downloads folder.
        diagnostics = tmp_path / name / "diagnostics"
        script, log = browser_script(tmp_path / name / "browser")
        env = {
            "TBA_WIZARD_CONFIG_DIR": str(config),
            "TBA_WIZARD_BASE_URL": standin.base_url,
            "TBA_WIZARD_DIAGNOSTICS_DIR": str(diagnostics),
            # Each flow's log file apart, so the leak check reads exactly what this flow logged.
            "TBA_WIZARD_LOG_DIR": str(tmp_path / name / "logs"),
            "BROWSER": str(script),
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            # The app's XDG folders and $TMPDIR inside the flow's folder: WebKit's data and caches are
            # read by the leak check there.
            **app_xdg_env(root),
        }
        if dark:
            env["GTK_THEME"] = "Adwaita:dark"
        env.update(extra_env or {})
        native = None
        if no_browser:
            # Nothing to open a page with: no xdg-open, gio, gnome-open… on the app's PATH.
            empty = tmp_path / name / "empty-path"
            empty.mkdir()
            env["PATH"] = str(empty)
            del env["BROWSER"]
            native = shutil.which("WebKitWebDriver")
        tmp_watch = TmpWatch().start()
        sampler = ProcessSampler().start()
        rig = None
        try:
            with running_tauri_driver(
                f"tauri-driver-{name}", env, base_env=env_without_desktop(), native_driver=native
            ) as url:
                rig = WizardRig(name, config, log, standin, url, app_path, creds, diagnostics,
                                root=root, started=tmp_watch.started, sampler=sampler, tmp_watch=tmp_watch)
                rig.watch(creds.values())
                yield rig
        finally:
            standin.stop()
            sampler.stop()
        # Only when the flow itself went through: a leak found now is reported as the test's error.
        leaks = rig.final_leaks() if rig is not None else []
        assert leaks == [], "after the app quit, secrets were found:\n" + "\n".join(leaks)

    return make
