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
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.remote.webdriver import WebDriver

from e2e_support import OUTPUT, REPO, shot  # noqa: F401  (shot re-exported for convenience)

DRIVER_READY_TIMEOUT = 20.0


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
def running_tauri_driver(name: str = "tauri-driver", env: dict[str, str] | None = None):
    """Start tauri-driver on free ports, wait for /status, yield its URL, stop it (and its children)."""
    _require_display()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    port, native_port = free_port(), free_port()
    while native_port == port:
        native_port = free_port()
    log = OUTPUT / f"{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [tauri_driver_binary(), "--port", str(port), "--native-port", str(native_port)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # own process group, so teardown reaches WebKitWebDriver and the app
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(f"{url}/status", proc, log)
        yield url
    finally:
        _stop(proc)


@contextlib.contextmanager
def app_session(driver_url: str, app: Path):
    """One WebDriver session, i.e. one fresh app window."""
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(app)})
    # keep_alive: tauri-driver drops some requests of clients that close the connection each time.
    connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=driver_url, keep_alive=True))
    drv: WebDriver = webdriver.Remote(command_executor=connection, options=options)
    drv.implicitly_wait(0)
    try:
        yield drv
    finally:
        try:
            drv.quit()
        except Exception:  # the session may already be gone; stopping tauri-driver cleans up the rest
            pass


@pytest.fixture(scope="session")
def tauri_driver(app_path: Path):
    """A running tauri-driver for the whole test session; yields its WebDriver URL."""
    with running_tauri_driver() as url:
        yield url


@pytest.fixture
def driver(tauri_driver: str, app_path: Path):
    """A fresh app window (one WebDriver session) per test."""
    with app_session(tauri_driver, app_path) as drv:
        yield drv


@pytest.fixture
def dark_driver(app_path: Path):
    """A fresh app window with GTK asked for its dark variant (prefers-color-scheme: dark).

    Uses a tauri-driver of its own, since the theme comes from the environment."""
    with running_tauri_driver("tauri-driver-dark", {"GTK_THEME": "Adwaita:dark"}) as url:
        with app_session(url, app_path) as drv:
            yield drv
