"""Helpers shared by the vault suites (tests/vault): running the binary with a per-test config folder,
reading the real keyring with `secret-tool`, and the registries the leak check reads at the end.

Every secret value a vault test hands to the binary goes into SECRETS; every run of the binary goes
into RUNS (arguments, stdout, stderr, and the command lines of every process seen while it ran); every
folder a test let the binary write to goes into WATCHED_DIRS. test_no_leaks.py, which conftest.py
orders last, checks all of them against all secrets, so a value from one test showing up in another
test's output or files is caught too.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import secrets as _secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
for _p in (REPO_ROOT / "tests" / "standin", REPO_ROOT / "tests" / "cli"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

if str(REPO_ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "tests"))

import leakscan  # noqa: E402  (the leak scanner shared with the e2e tests)
import netsuite_standin  # noqa: E402,F401  (re-exported for the suites)
from tba_cli_support import REALM, Run, binary_path, clean_env, new_credentials  # noqa: E402,F401

FIELDS = ("consumer_key", "consumer_secret", "token_id", "token_secret")
SERVICE = "tba-wizard"
SIGABRT_CODES = (-signal.SIGABRT, 128 + signal.SIGABRT)   # killed by the signal, or a shell's 134
KEYRING_TROUBLE = 5
BAD_INPUT = 2
# A leak is any LEAK_WINDOW consecutive characters of a secret (so a truncated or partly masked
# secret counts too). 16 hex characters are 64 random bits: no false alarm from fingerprints (8).
LEAK_WINDOW = leakscan.FRAGMENT

# ---------------------------------------------------------------- registries (read by test_no_leaks)
SECRETS: set[str] = set()
RUNS: list["RecordedRun"] = []
WATCHED_DIRS: list[Path] = []


def register_secrets(values) -> None:
    if isinstance(values, dict):
        values = values.values()
    SECRETS.update(v for v in values if v)


def fresh_credentials() -> dict:
    """Four random 64-hex values, registered as secrets."""
    creds = new_credentials()
    register_secrets(creds)
    return creds


def fresh_token() -> dict:
    """A new token_id/token_secret pair (for rotation), registered as secrets."""
    token = {"token_id": _secrets.token_hex(32), "token_secret": _secrets.token_hex(32)}
    register_secrets(token)
    return token


def fingerprint(value: str) -> str:
    """What the binary shows instead of a value: the first 8 hex digits of its SHA-256."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]


def fingerprints(creds: dict) -> dict:
    return {k: fingerprint(v) for k, v in creds.items()}


def unique_name(prefix: str = "conn") -> str:
    return f"{prefix}-{_secrets.token_hex(4)}"


def leaks_in(text: str, values=None) -> list[str]:
    """The secrets (abbreviated) of which some form occurs in text: at least LEAK_WINDOW consecutive
    characters, compared case-insensitively, also base64-, percent- or hex-encoded, in UTF-16 or as a
    list of byte values (tests/leakscan.py)."""
    return leakscan.leaks_in(text, SECRETS if values is None else values)


def files_with_leaks(root: Path, values=None) -> dict[str, list[str]]:
    """Every file under root (any name, hidden ones too) that holds a form of a secret."""
    hits: dict[str, list[str]] = {}
    for h in leakscan.Scanner(SECRETS if values is None else values).find_in_tree(root):
        found = hits.setdefault(h.where, [])
        if h.secret not in found:
            found.append(h.secret)
    return hits


# ---------------------------------------------------------------- running the binary
@dataclass
class RecordedRun(Run):
    commandlines: set = field(default_factory=set, repr=False)   # new processes' argv seen during the run
    env_note: str = ""


def process_commandlines() -> dict[int, str]:
    """pid -> command line (arguments joined by spaces) of every process, like `ps -eo pid,args`."""
    lines = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                    raw = f.read()
            except OSError:
                continue
            if raw:
                lines[int(entry.name)] = raw.replace(b"\0", b" ").decode("utf-8", errors="replace").strip()
    return lines


def _child_setup() -> None:
    # No core file: a crash-injection abort must not drop the process's memory (secrets) on disk.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_binary(args, *, env: dict, stdin: str | None = None, timeout: float = 60,
               cwd: Path | None = None) -> RecordedRun:
    """Runs the binary with exactly `env`, samples every process's command line (like `ps -eo args`)
    while it runs, records the run in RUNS and asserts nothing registered as secret was printed."""
    binary = binary_path()
    argv = [str(binary), *map(str, args)]
    seen: set[str] = set()
    # Only processes that appear during the run are recorded (the binary and anything it starts).
    before = set(process_commandlines())
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=cwd or REPO_ROOT, start_new_session=True,
                            preexec_fn=_child_setup)
    done = threading.Event()

    def sample():
        while not done.is_set():
            seen.update(line for pid, line in process_commandlines().items() if pid not in before)
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(stdin if stdin is not None else "", timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        done.set()
        sampler.join()
        run = RecordedRun(list(args), proc.returncode, out, err, time.monotonic() - start, seen)
        RUNS.append(run)
        raise AssertionError(f"tba-wizard {' '.join(map(str, args))} did not finish within {timeout}s "
                             f"(killed):\n{run}") from None
    finally:
        done.set()
        sampler.join()
    run = RecordedRun(list(args), proc.returncode, out, err, time.monotonic() - start, seen)
    RUNS.append(run)
    leaked = leaks_in(run.stdout + "\n" + run.stderr)
    assert not leaked, f"secret values ({', '.join(leaked)}) were printed:\n{run}"
    leaked = leaks_in("\n".join(seen))
    assert not leaked, f"secret values ({', '.join(leaked)}) appeared in a process's arguments during:\n{run}"
    return run


class Wizard:
    """The binary as one test sees it: its own config folder and home (both watched for leaks), the
    session's real keyring, and helpers for the `connections` commands."""

    def __init__(self, root: Path, extra_env: dict | None = None, base_env: dict | None = None):
        self.root = Path(root)
        self.config_dir = self.root / "config"
        self.home = self.root / "home"
        for d in (self.config_dir, self.home):
            d.mkdir(parents=True, exist_ok=True)
        WATCHED_DIRS.append(self.root)
        env = clean_env(base_env)
        # Any file the binary might write instead of using the keyring would land under the watched
        # home. XDG_DATA_HOME is not moved: gnome-keyring is already running and only talks D-Bus.
        env.update({"TBA_WIZARD_CONFIG_DIR": str(self.config_dir), "HOME": str(self.home),
                    "XDG_CONFIG_HOME": str(self.home / ".config"), "XDG_CACHE_HOME": str(self.home / ".cache"),
                    "XDG_STATE_HOME": str(self.home / ".local/state"), "RUST_BACKTRACE": "0",
                    "TBA_WIZARD_LOG_DIR": str(self.root / "logs")})
        env.pop("TBA_WIZARD_FAIL_POINT", None)
        env.update(extra_env or {})
        self.env = env

    def run(self, *args, stdin: str | None = None, timeout: float = 60, env: dict | None = None,
            expect: int | tuple | None = None) -> RecordedRun:
        full_env = dict(self.env, **(env or {}))
        run = run_binary(args, env=full_env, stdin=stdin, timeout=timeout, cwd=self.root)
        if expect is not None:
            allowed = expect if isinstance(expect, tuple) else (expect,)
            assert run.returncode in allowed, f"expected exit {' or '.join(map(str, allowed))}:\n{run}"
        return run

    # ---- connections
    def add(self, name: str, creds: dict, *, account: str = REALM, profile: str = "own", extra=(),
            expect: int | tuple | None = 0, stdin: str | None = None) -> RecordedRun:
        return self.run("connections", "add", name, "--account", account, "--profile", profile,
                        "--credentials-stdin", *extra,
                        stdin=json.dumps(creds) if stdin is None else stdin, expect=expect)

    def stage(self, name: str, values: dict, expect: int | tuple | None = 0) -> RecordedRun:
        return self.run("connections", "stage", name, "--credentials-stdin", stdin=json.dumps(values),
                        expect=expect)

    def promote(self, name: str, expect: int | tuple | None = 0, env: dict | None = None) -> RecordedRun:
        return self.run("connections", "promote", name, expect=expect, env=env)

    def discard(self, name: str, expect: int | tuple | None = 0) -> RecordedRun:
        return self.run("connections", "discard", name, expect=expect)

    def remove(self, name: str, expect: int | tuple | None = 0) -> RecordedRun:
        return self.run("connections", "remove", name, expect=expect)

    def list(self) -> list[dict]:
        run = self.run("connections", "list", "--json", expect=0)
        doc = run.json()
        assert isinstance(doc, dict) and isinstance(doc.get("connections"), list), f"unexpected list:\n{run}"
        return doc["connections"]

    def connection(self, name: str) -> dict:
        matches = [c for c in self.list() if c.get("label") == name]
        assert len(matches) == 1, f"expected one connection labelled {name!r}, got {matches}"
        return matches[0]

    def test(self, name: str, standin, *, pending: bool = False, expect: int | tuple | None = 0,
             timeout_s: float = 20) -> tuple[RecordedRun, dict]:
        args = ["test", "--connection", name, "--base-url", standin.base_url, "--timeout", timeout_s, "--json"]
        if pending:
            args.append("--pending")
        run = self.run(*args, expect=expect)
        return run, (run.json() if run.stdout.strip() else {})


def pending_of(conn: dict) -> dict:
    """A connection's pending fingerprints with absent/null entries dropped (empty when none)."""
    return {k: v for k, v in (conn.get("pending_fingerprints") or {}).items() if v}


# ---------------------------------------------------------------- the keyring, seen from outside
def _parse_secret_tool(stdout: str) -> list[dict]:
    """`secret-tool search --all` prints, per item, '[/path]' then 'key = value' lines on stdout (the
    attributes go to stderr). A secret may span lines: it runs until the next known key."""
    items, current, key = [], None, None
    known = re.compile(r"^(label|secret|created|modified|schema) = ?(.*)$")
    for line in stdout.splitlines():
        if re.fullmatch(r"\[/[^\]]*\]", line):
            current, key = {"path": line[1:-1]}, None
            items.append(current)
            continue
        if current is None:
            continue
        m = known.match(line)
        if m:
            key = m.group(1)
            current[key] = m.group(2)
        elif key == "secret":
            current["secret"] += "\n" + line
    return items


def keyring_items(username: str, env: dict | None = None) -> list[dict]:
    """The keyring items with attributes service=tba-wizard, username=<username>; each has 'secret'."""
    p = subprocess.run(["secret-tool", "search", "--all", "service", SERVICE, "username", username],
                       capture_output=True, text=True, timeout=20, env=env)
    if p.returncode != 0:      # no match is exit 0 with no output; anything else is trouble
        raise AssertionError(f"secret-tool search failed (exit {p.returncode}): {p.stderr.strip()}")
    return _parse_secret_tool(p.stdout)


def keyring_set(username: str, env: dict | None = None) -> dict | None:
    """The JSON object stored under one item name, None when there is no item; more than one item
    with the same name is a failure (there must be exactly one active set)."""
    items = keyring_items(username, env)
    assert len(items) <= 1, f"{len(items)} keyring items are named {username!r}; expected at most one"
    if not items:
        return None
    try:
        doc = json.loads(items[0]["secret"])
    except (KeyError, json.JSONDecodeError) as e:
        raise AssertionError(f"the keyring item {username!r} does not hold one JSON object ({e})") from None
    assert isinstance(doc, dict), f"the keyring item {username!r} holds {type(doc).__name__}, not an object"
    return doc


def active_name(conn_id: str) -> str:
    return f"connection:{conn_id}"


def pending_name(conn_id: str) -> str:
    return f"connection:{conn_id}:pending"


def store_item(username: str, value: str, env: dict | None = None) -> None:
    """Writes an item the way the binary names them (for planting states the CLI refuses to create)."""
    p = subprocess.run(["secret-tool", "store", f"--label=test {username}", "service", SERVICE,
                        "username", username], input=value, capture_output=True, text=True, timeout=20, env=env)
    assert p.returncode == 0, f"secret-tool store failed: {p.stderr}"


def as_values(doc: dict | None) -> dict:
    """Only the four fields of a stored set (ignoring any extra keys), for comparisons."""
    return {k: doc[k] for k in FIELDS if doc and doc.get(k)}
