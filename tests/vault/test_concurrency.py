"""The window and the command line may run at once, and so may several commands: ten `connections add`
started together must all be saved (each read-modify-write of connections.json holds the config
folder's advisory lock), and what they leave on disk is the user's only (files 0600, folders 0700).

The config and log folders do not exist beforehand, so their modes are the binary's own doing.
"""
from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import vault_support as vs
from vault_support import active_name, as_values, fingerprints, keyring_set, unique_name

CONCURRENT = 10


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def loose(root: Path, file_mode: int = 0o600, dir_mode: int = 0o700) -> list[str]:
    """Everything under root (root included) whose mode is not the expected one."""
    found = [] if mode(root) == dir_mode else [f"{root} {mode(root):o}"]
    for path in sorted(root.rglob("*")):
        want = dir_mode if path.is_dir() else file_mode
        if mode(path) != want:
            found.append(f"{path} {mode(path):o} (want {want:o})")
    return found


def test_ten_concurrent_adds_lose_nothing_and_leave_private_files(wizard):
    wizard.config_dir.rmdir()           # made by vs.Wizard; the binary must make it itself
    logs = wizard.root / "logs"
    assert not logs.exists()
    sets = {unique_name(f"parallel{i}"): vs.fresh_credentials() for i in range(CONCURRENT)}
    start = threading.Barrier(CONCURRENT)

    def add(name: str):
        start.wait()
        return wizard.add(name, sets[name], profile="aftership", expect=None, extra=["--json"])

    with ThreadPoolExecutor(CONCURRENT) as pool:
        runs = list(pool.map(add, sets))
    failed = [str(r) for r in runs if r.returncode != 0]
    assert not failed, f"{len(failed)} of {CONCURRENT} concurrent adds failed:\n" + "\n".join(failed)

    listed = {c["label"]: c for c in wizard.list()}
    assert sorted(listed) == sorted(sets), (
        f"{CONCURRENT} adds succeeded but connections.json holds {len(listed)}; lost: "
        f"{sorted(set(sets) - set(listed))}")
    for name, creds in sets.items():
        conn = listed[name]
        assert conn["fingerprints"] == fingerprints(creds), name
        assert as_values(keyring_set(active_name(conn["id"]))) == creds, f"{name}: keyring item differs"

    left = [p.name for p in wizard.config_dir.iterdir() if p.name.endswith(".tmp")]
    assert not left, f"temporary files left behind: {left}"
    assert (wizard.config_dir / "connections.json").is_file()
    assert any(logs.glob("tba-wizard*.log")), "no log file was written (so its mode proves nothing)"
    assert not loose(wizard.config_dir), "readable by others in the config folder:\n" + "\n".join(
        loose(wizard.config_dir))
    assert not loose(logs), "readable by others in the log folder:\n" + "\n".join(loose(logs))
