"""When the keyring cannot be used, the binary says why, within a bounded time, and never falls back to
a file. Every case runs with TBA_WIZARD_KEYRING_TIMEOUT=3 and must finish in under 15 s with exit 5.

Recipes (checked on Debian 12, dbus 1.14, gnome-keyring 42.1, libsecret-tools 0.20), each in its own
private world so the session keyring of scripts/with-keyring.sh is never touched:

* no session bus: no DBUS_SESSION_BUS_ADDRESS, no DISPLAY/WAYLAND_DISPLAY (so no X11 autolaunch) and
  XDG_RUNTIME_DIR an empty folder (so no $XDG_RUNTIME_DIR/bus socket).
* a bus without a Secret Service: our own `dbus-daemon --session --nofork --print-address` with a minimal
  config that has NO <servicedir>/<standard_session_servicedirs/>: nothing can be auto-activated, so a
  call to org.freedesktop.secrets fails at once with ServiceUnknown.
* a locked collection, no display: the same private bus plus `gnome-keyring-daemon --foreground
  --components=secrets` with its own XDG_DATA_HOME and XDG_RUNTIME_DIR. Started with `--unlock` (the
  password on stdin) it creates the login collection unlocked; then either
    - "lock call": org.freedesktop.Secret.Service.Lock on the default collection (via gdbus). Note:
      `secret-tool lock --collection=…` hangs on this version, so it is not used; or
    - "restart": stop the daemon and start it again without --unlock: the login keyring on disk stays
      locked, as after a login without auto-unlock.
  Unlocking then needs a prompt; gnome-keyring cannot create one (org.gnome.keyring.SystemPrompter cannot
  be activated on our bus), so a well-behaved client sees a dismissed prompt or has to time out.
* a keyring that never answers: the same private keyring, then SIGSTOP on gnome-keyring-daemon. D-Bus
  calls to it queue forever, so only the binary's own timeout can end the command.
Every process started here runs in its own session (process group) and is killed in a finalizer.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import vault_support as vs
from vault_support import KEYRING_TROUBLE, fresh_credentials, unique_name

BOUND_SECONDS = 15
FAST_ENV = {"TBA_WIZARD_KEYRING_TIMEOUT": "3"}
DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY")

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <!-- A session bus with no service directories: nothing (gnome-keyring, gcr-prompter) can be
       auto-activated on it. -->
  <type>session</type>
  <listen>unix:dir={socket_dir}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class Processes:
    """Processes started by one test, each in its own process group, all killed at the end."""

    def __init__(self):
        self.procs: list[subprocess.Popen] = []

    def start(self, argv, **kwargs) -> subprocess.Popen:
        p = subprocess.Popen(argv, start_new_session=True, **kwargs)
        self.procs.append(p)
        return p

    def stop(self, p: subprocess.Popen) -> None:
        if p.poll() is None:
            for sig in (signal.SIGCONT, signal.SIGTERM):
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)
        for stream in (p.stdin, p.stdout, p.stderr):
            if stream:
                stream.close()

    def stop_all(self) -> None:
        for p in reversed(self.procs):
            self.stop(p)


@pytest.fixture
def procs():
    ps = Processes()
    yield ps
    ps.stop_all()


@pytest.fixture
def scratch():
    """A short path under /tmp (socket paths are limited to 108 bytes), removed at the end."""
    d = Path(tempfile.mkdtemp(prefix="tba-kr-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def base_env_without_session() -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in DISPLAY_VARS and k != "DBUS_SESSION_BUS_ADDRESS" and k != "XDG_RUNTIME_DIR"}
    return env


def start_private_bus(procs: Processes, scratch: Path) -> str:
    socket_dir = scratch / "bus"
    socket_dir.mkdir()
    config = scratch / "bus.conf"
    config.write_text(BUS_CONFIG.format(socket_dir=socket_dir))
    p = procs.start(["dbus-daemon", f"--config-file={config}", "--print-address", "--nofork"],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready, _, _ = select.select([p.stdout], [], [], 10)
    assert ready, "dbus-daemon did not print its address within 10 s"
    address = p.stdout.readline().strip()
    assert address.startswith("unix:"), f"dbus-daemon printed {address!r}"
    return address


def gdbus(env: dict, dest: str, path: str, method: str, *args: str, timeout: float = 10) -> str:
    p = subprocess.run(["gdbus", "call", "--session", "-d", dest, "-o", path, "-m", method, *args],
                       capture_output=True, text=True, env=env, timeout=timeout)
    assert p.returncode == 0, f"gdbus {method} failed: {p.stderr}"
    return p.stdout.strip()


def wait_for_name(env: dict, name: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "true" in gdbus(env, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                           "org.freedesktop.DBus.NameHasOwner", name):
            return
        time.sleep(0.05)
    raise AssertionError(f"{name} did not appear on the private bus within {timeout} s")


class PrivateKeyring:
    """A private bus with its own gnome-keyring (no display, no prompter)."""

    def __init__(self, procs: Processes, scratch: Path):
        self.procs, self.scratch = procs, scratch
        self.address = start_private_bus(procs, scratch)
        data, run, home = scratch / "data", scratch / "run", scratch / "home"
        for d in (data, run, home):
            d.mkdir(mode=0o700)
        self.env = dict(base_env_without_session(), DBUS_SESSION_BUS_ADDRESS=self.address,
                        XDG_DATA_HOME=str(data), XDG_RUNTIME_DIR=str(run), HOME=str(home))
        self.daemon: subprocess.Popen | None = None

    def start_daemon(self, unlock_password: str | None) -> None:
        argv = ["gnome-keyring-daemon", "--foreground", "--components=secrets"]
        if unlock_password is not None:
            argv.insert(2, "--unlock")      # reads the password from stdin; creates 'login' if missing
        self.daemon = self.procs.start(argv, env=self.env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, text=True)
        if unlock_password is not None:
            self.daemon.stdin.write(unlock_password)
        self.daemon.stdin.close()
        wait_for_name(self.env, "org.freedesktop.secrets")

    def stop_daemon(self) -> None:
        self.procs.stop(self.daemon)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if "false" in gdbus(self.env, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                "org.freedesktop.DBus.NameHasOwner", "org.freedesktop.secrets"):
                return
            time.sleep(0.05)
        raise AssertionError("gnome-keyring-daemon still owns org.freedesktop.secrets after being stopped")

    def default_collection(self) -> str:
        out = gdbus(self.env, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                    "org.freedesktop.Secret.Service.ReadAlias", "default")
        return out.split("'")[1]          # "(objectpath '/org/freedesktop/secrets/collection/login',)"

    def locked(self) -> bool:
        out = gdbus(self.env, "org.freedesktop.secrets", self.default_collection(),
                    "org.freedesktop.DBus.Properties.Get", "org.freedesktop.Secret.Collection", "Locked")
        return "true" in out

    def lock(self) -> None:
        gdbus(self.env, "org.freedesktop.secrets", "/org/freedesktop/secrets",
              "org.freedesktop.Secret.Service.Lock", f"['{self.default_collection()}']")


def check_failure(run: vs.RecordedRun, wizard: vs.Wizard, *, words: tuple, what: str) -> None:
    print(f"[{what}] {run.elapsed:.2f}s exit {run.returncode}: {run.stderr.strip()}")  # shown on failure
    assert run.returncode == KEYRING_TROUBLE, f"{what}: expected exit {KEYRING_TROUBLE} (keyring trouble):\n{run}"
    assert run.elapsed < BOUND_SECONDS, f"{what}: took {run.elapsed:.1f} s (bound {BOUND_SECONDS} s):\n{run}"
    message = run.stderr.lower()
    assert any(w in message for w in words), f"{what}: the message should mention one of {words}:\n{run}"
    assert "panick" not in message, f"{what}: the binary panicked:\n{run}"
    assert vs.files_with_leaks(wizard.root) == {}, f"{what}: a secret was written to a file"


def add_json(wizard, name, creds, timeout=BOUND_SECONDS + 5):
    return wizard.run("connections", "add", name, "--account", vs.REALM, "--profile", "own",
                      "--credentials-stdin", stdin=json.dumps(creds), timeout=timeout)


def assert_not_saved(wizard, name: str) -> None:
    """An add that could not reach the keyring leaves no connection (without secrets) in the file."""
    path = wizard.config_dir / "connections.json"
    if path.exists():
        labels = [c.get("label") for c in json.loads(path.read_text()).get("connections", [])]
        assert name not in labels, f"the failed add left {name!r} in {path} without its secrets"


# ---------------------------------------------------------------- (a) no session bus
def test_no_session_bus(tmp_path, binary):
    runtime = tmp_path / "empty-runtime"
    runtime.mkdir(mode=0o700)
    env = dict(base_env_without_session(), XDG_RUNTIME_DIR=str(runtime), **FAST_ENV)
    wizard = vs.Wizard(tmp_path / "w", base_env=env)
    assert "DBUS_SESSION_BUS_ADDRESS" not in wizard.env and not any(v in wizard.env for v in DISPLAY_VARS)
    name = unique_name("nobus")
    run = add_json(wizard, name, fresh_credentials())
    check_failure(run, wizard, words=("session bus", "d-bus", "dbus"), what="no session bus")
    assert_not_saved(wizard, name)


# ---------------------------------------------------------------- (b) no Secret Service on the bus
def test_bus_without_secret_service(tmp_path, binary, procs, scratch):
    address = start_private_bus(procs, scratch)
    env = dict(base_env_without_session(), DBUS_SESSION_BUS_ADDRESS=address, **FAST_ENV)
    wizard = vs.Wizard(tmp_path / "w", base_env=env)
    name = unique_name("noservice")
    run = add_json(wizard, name, fresh_credentials())
    check_failure(run, wizard, words=("no keyring service", "secret service", "not running", "keyring service"),
                  what="no Secret Service")
    assert_not_saved(wizard, name)


# ---------------------------------------------------------------- (c) locked collection, no display
@pytest.mark.parametrize("how", ["lock call", "restart"])
def test_locked_collection(tmp_path, binary, procs, scratch, how):
    kr = PrivateKeyring(procs, scratch)
    kr.start_daemon(unlock_password="tba-wizard-locked-test")
    wizard = vs.Wizard(tmp_path / "w", base_env=kr.env, extra_env=FAST_ENV)

    # Unlocked first: a connection is saved for real (so `test --connection` has an item to read).
    creds = fresh_credentials()
    saved = unique_name("saved")
    wizard.add(saved, creds)
    assert not kr.locked()

    if how == "lock call":
        kr.lock()
    else:
        kr.stop_daemon()
        kr.start_daemon(unlock_password=None)
    assert kr.locked(), f"recipe '{how}' did not leave the default collection locked"

    words = ("locked", "unlock")
    name = unique_name("locked")
    run = add_json(wizard, name, fresh_credentials())
    check_failure(run, wizard, words=words, what=f"add to a locked keyring ({how})")
    assert_not_saved(wizard, name)

    with vs.netsuite_standin.NetSuiteStandin(realm=vs.REALM) as standin:
        standin.add_credentials(creds["consumer_key"], creds["consumer_secret"], creds["token_id"],
                                creds["token_secret"])
        run = wizard.run("test", "--connection", saved, "--base-url", standin.base_url, "--json",
                         timeout=BOUND_SECONDS + 5)
        check_failure(run, wizard, words=words, what=f"test --connection with a locked keyring ({how})")
        assert standin.api_requests() == [], "nothing may be sent to NetSuite without the secrets"
    assert kr.locked(), "the binary must not unlock the keyring by itself"


# ---------------------------------------------------------------- (d) a keyring that never answers
def test_keyring_that_never_answers(tmp_path, binary, procs, scratch):
    kr = PrivateKeyring(procs, scratch)
    kr.start_daemon(unlock_password="tba-wizard-hang-test")
    wizard = vs.Wizard(tmp_path / "w", base_env=kr.env, extra_env=FAST_ENV)
    os.killpg(kr.daemon.pid, signal.SIGSTOP)        # resumed (SIGCONT) and killed by the finalizer
    try:
        name = unique_name("hung")
        run = add_json(wizard, name, fresh_credentials())
        check_failure(run, wizard, words=("did not answer", "timed out", "timeout", "no answer"),
                      what="a keyring that never answers")
        assert_not_saved(wizard, name)
        assert run.elapsed >= 2.5, f"gave up after {run.elapsed:.1f} s, before the 3 s keyring timeout:\n{run}"
        assert run.elapsed < 3 + 4, (f"TBA_WIZARD_KEYRING_TIMEOUT=3 was not honoured: the command took "
                                     f"{run.elapsed:.1f} s:\n{run}")
        run = wizard.run("connections", "list", "--json", timeout=BOUND_SECONDS + 5)
        assert run.elapsed < BOUND_SECONDS, run
    finally:
        os.killpg(kr.daemon.pid, signal.SIGCONT)
