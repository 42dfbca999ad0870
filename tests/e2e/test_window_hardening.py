"""The window turns core dumps off at start, for itself and for the WebKit processes it starts (issue 8,
§4): they hold the page, and so every value typed or pasted into it.

The window is started directly (no tauri-driver: only its processes are of interest) with its soft core
limit raised to the hard one, so that only the app's own call can bring it back to 0. Being not
dumpable has no line in /proc; it is read from what it does: another process of the same user, without
CAP_SYS_PTRACE, may open /proc/<pid>/root only while the process is dumpable (this is also what makes
xdg-desktop-portal refuse a non-dumpable caller). When the tests run as root, the window and the
checking shell both run without CAP_SYS_PTRACE (capsh), so that they are peers as two processes of one
user are.
"""
from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import _wait_single_instance_released

READY_TIMEOUT = 60.0
CORE_LIMIT_LINE = "Max core file size"


def as_peer(command: str) -> list[str] | None:
    """A shell command run as an ordinary process of this user: without CAP_SYS_PTRACE when root (None when
    that needs capsh and there is none)."""
    if os.geteuid() != 0:
        return ["sh", "-c", command]
    capsh = shutil.which("capsh")
    return [capsh, "--drop=cap_sys_ptrace", "--", "-c", command] if capsh else None


def root_is_open_to_peers(pid: int) -> bool:
    check = as_peer(f"ls /proc/{pid}/root/ >/dev/null")
    assert check is not None
    return subprocess.run(check, capture_output=True, timeout=30).returncode == 0


def raise_core_limit() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def core_limit(pid: int) -> tuple[str, str]:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith(CORE_LIMIT_LINE):
            soft, hard = line[len(CORE_LIMIT_LINE):].split()[:2]
            return soft, hard
    raise AssertionError(f"no '{CORE_LIMIT_LINE}' line in /proc/{pid}/limits")


def descendants(root: int) -> dict[int, str]:
    """pid -> name of every living process below `root`."""
    parent_of, name_of = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        parent_of[int(stat.parent.name)] = int(text[text.rindex(")") + 2:].split()[1])
        name_of[int(stat.parent.name)] = name
    found = {}
    for pid in parent_of:
        p = pid
        while p in parent_of and p != root and p > 1:
            p = parent_of[p]
        if p == root and pid != root:
            found[pid] = name_of[pid]
    return found


@pytest.fixture
def window(app_path: Path, tmp_path: Path):
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        pytest.fail("no display: run the e2e tests under an X server (scripts/test.sh does)", pytrace=False)
    env = dict(os.environ, TBA_WIZARD_REPORT_READY="1", TBA_WIZARD_CONFIG_DIR=str(tmp_path / "config"),
               TBA_WIZARD_LOG_DIR=str(tmp_path / "logs"))
    launcher = as_peer('exec "$0"') or []
    proc = subprocess.Popen([*launcher, str(app_path)], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=raise_core_limit)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line or line.startswith("READY"):
                break
        assert proc.poll() is None and line.startswith("READY"), \
            f"the window did not show its start screen (exit {proc.poll()})"
        yield proc
    finally:
        # The whole group: WebKit's processes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        proc.stderr.close()
        _wait_single_instance_released()


def test_window_and_its_webkit_processes_have_core_dumps_off(window):
    assert core_limit(window.pid) == ("0", "0"), \
        f"the window's core dumps are not off: {CORE_LIMIT_LINE} is {core_limit(window.pid)} (soft, hard)"
    children = descendants(window.pid)
    web = {pid: name for pid, name in children.items() if name.startswith("WebKit")}
    assert web, f"no WebKit process found below the window (its children: {children})"
    wrong = {f"{name} ({pid})": core_limit(pid) for pid, name in web.items() if core_limit(pid) != ("0", "0")}
    assert not wrong, f"WebKit processes that could still dump core: {wrong}"


def test_window_is_not_dumpable(window):
    if as_peer("") is None:
        pytest.skip("as root, capsh is needed to look at the window as a process without CAP_SYS_PTRACE")
    # The check must be able to see a dumpable process, or a refusal would prove nothing.
    control = subprocess.Popen(as_peer("exec sleep 60"), stdin=subprocess.DEVNULL)
    try:
        time.sleep(0.2)
        assert root_is_open_to_peers(control.pid), \
            "a dumpable peer's /proc/<pid>/root cannot be opened here either: the check means nothing"
    finally:
        control.kill()
        control.wait(timeout=15)
    assert not root_is_open_to_peers(window.pid), \
        "another process of the same user opened the window's /proc/<pid>/root: the window is dumpable"
