"""A connector is one file: a profile added to `src-tauri/engine/profiles/` in a scratch copy of the
repository, with no other file changed, is built into both binaries and shows up on the start screen
and in `tba-wizard-cli profiles`. An OAuth 2.0 connector too: `m2m new --profile` saves its connections.

The scratch copy builds into a target folder of its own: sharing the repository's would not work,
because cargo names a workspace's artifacts by their path relative to the workspace, so the copy would
overwrite the repository's own binaries. Building that folder from nothing takes about five minutes on
two cores, so it starts as hard links to the dependencies the repository's debug build already compiled
(`seed_target`); only the workspace's own crates are compiled again, into files of the copy's own.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import app_session, running_tauri_driver
from e2e_support import REPO, by_testid, shot, wait_testid

IMAGINARY = "imaginary_shop"
IMAGINARY_OAUTH = "imaginary_oauth"


def imaginary_profile() -> dict:
    """The own-integration profile under another id, name, order and step codes."""
    profile = json.loads((REPO / "src-tauri" / "engine" / "profiles" / "own.json").read_text())
    text = json.dumps(profile).replace("OI-", "IM-")
    profile = json.loads(text)
    profile.update(id=IMAGINARY, order=99, name="Imaginary Shop Connector", short_name="Imaginary Shop",
                   code_prefix="IM", summary="A connector that exists only in this test's scratch copy.")
    return profile


def imaginary_oauth_profile() -> dict:
    """The own OAuth 2.0 profile under another id, name, order and step codes."""
    profile = json.loads((REPO / "src-tauri" / "engine" / "profiles" / "own_m2m.json").read_text())
    profile = json.loads(json.dumps(profile).replace("OM-", "IO-"))
    profile.update(id=IMAGINARY_OAUTH, order=98, name="Imaginary OAuth Connector", short_name="Imaginary OAuth",
                   code_prefix="IO", summary="An OAuth 2.0 connector that exists only in this test's scratch copy.")
    return profile


def tracked_and_new_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                         capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p and (REPO / p).is_file()]


def cargo_build(cwd: Path, target: Path, *packages: str) -> list[Path]:
    """Builds into `target`; returns the binaries' paths."""
    args = ["cargo", "build", "--quiet", "--message-format=json-render-diagnostics"]
    for p in packages:
        args += ["-p", p]
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_INCREMENTAL": "0"}
    # Not through Clippy, as the test command's own build is: the scratch code is not what is linted, and
    # the lint passes only cost time here.
    for lint in ("RUSTC_WORKSPACE_WRAPPER", "CLIPPY_ARGS"):
        env.pop(lint, None)
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"cargo build failed in {cwd}:\n{done.stderr[-4000:]}"
    found = []
    for line in done.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            found.append(Path(message["executable"]))
    return found


WORKSPACE_CRATES = ("tba_engine", "tba_cli", "tba_wizard", "tba_bench_minimal", "tba-engine", "tba-wizard",
                    "tba-bench-minimal")


def seed_target(repo_target: Path, target: Path) -> int:
    """Hard links in `target` to the compiled dependencies of `repo_target`'s debug build; returns how many.
    The workspace's own crates are left out, so that everything the scratch build writes is a new file of
    its own and a link never leads a write back into the repository's build."""
    linked = 0
    for part in ("deps", "build", ".fingerprint"):
        source = repo_target / "debug" / part
        if not source.is_dir():
            continue
        for path in source.rglob("*"):
            rel = path.relative_to(repo_target)
            top = rel.parts[2] if len(rel.parts) > 2 else ""
            if any(top.startswith(c) or top.startswith("lib" + c) for c in WORKSPACE_CRATES):
                continue
            dest = target / rel
            if path.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
            elif path.is_file():
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, dest)
                linked += 1
    return linked


@pytest.fixture(scope="module")
def scratch_build(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("scratch-repo")
    for rel in tracked_and_new_files():
        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, scratch / rel)
    (scratch / "node_modules").symlink_to(REPO / "node_modules")
    # The one change: new files in the profiles folder, a TBA connector and an OAuth 2.0 one.
    (scratch / "src-tauri" / "engine" / "profiles" / f"{IMAGINARY}.json").write_text(
        json.dumps(imaginary_profile(), indent=2))
    (scratch / "src-tauri" / "engine" / "profiles" / f"{IMAGINARY_OAUTH}.json").write_text(
        json.dumps(imaginary_oauth_profile(), indent=2))

    ui = subprocess.run(["npm", "run", "--silent", "build:ui"], cwd=scratch, capture_output=True, text=True,
                        timeout=600)
    assert ui.returncode == 0, ui.stderr
    try:
        seed_target(REPO / "target", scratch / "target")
        built = cargo_build(scratch, scratch / "target", "tba-wizard", "tba-wizard-cli")
        binaries = {path.name: path for path in built if path.name in ("tba-wizard", "tba-wizard-cli")}
        assert set(binaries) == {"tba-wizard", "tba-wizard-cli"}, built
        yield binaries
    finally:
        # A debug build is gigabytes; pytest would keep its last three temporary folders.
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_new_profile_file_is_a_new_connector_everywhere(scratch_build, tmp_path):
    profiles = subprocess.run([str(scratch_build["tba-wizard-cli"]), "profiles", "--json"],
                              capture_output=True, text=True, timeout=60, check=True)
    listed = json.loads(profiles.stdout)
    listed = listed["profiles"] if isinstance(listed, dict) else listed
    ids = [p["id"] for p in listed]
    assert ids[-2:] == [IMAGINARY_OAUTH, IMAGINARY], f"the imaginary connectors (order 98, 99) should come last: {ids}"
    imaginary = listed[-1]
    assert imaginary["name"] == "Imaginary Shop Connector"
    assert [s["code"] for s in imaginary["steps"]] == [f"IM-{n}" for n in range(1, 6)]

    env = {"TBA_WIZARD_CONFIG_DIR": str(tmp_path / "config")}

    # The OAuth 2.0 connector's connections are made by the command line, under its own profile.
    cli = [str(scratch_build["tba-wizard-cli"])]
    # A folder of its own: with a saved connection, the window would open on its home screen.
    cli_env = {**os.environ, "TBA_WIZARD_CONFIG_DIR": str(tmp_path / "cli-config")}
    made = subprocess.run(cli + ["m2m", "new", "Imagined", "--account", "1234567", "--profile", IMAGINARY_OAUTH,
                                 "--certificate-out", str(tmp_path / "imagined.pem"), "--json"],
                          capture_output=True, text=True, timeout=120, env=cli_env)
    assert made.returncode == 0, made.stderr
    saved = json.loads(made.stdout)
    saved = saved.get("connection", saved)
    assert saved["profile"] == IMAGINARY_OAUTH and saved["auth"] == "m2m", saved
    # A TBA connector's id is refused there, before any key is made.
    refused = subprocess.run(cli + ["m2m", "new", "Wrong", "--account", "1234567", "--profile", IMAGINARY,
                                    "--certificate-out", str(tmp_path / "wrong.pem")],
                             capture_output=True, text=True, timeout=120, env=cli_env)
    assert refused.returncode == 2 and "Token-Based Authentication" in refused.stderr, refused.stderr
    assert not (tmp_path / "wrong.pem").exists()
    with running_tauri_driver("tauri-driver-scratch", env) as url, \
            app_session(url, scratch_build["tba-wizard"]) as driver:
        card = wait_testid(driver, f"connector-{IMAGINARY}")
        assert "Imaginary Shop Connector" in card.text and "IM-1 … IM-5" in card.text, card.text
        assert "IO-1 … IO-6" in wait_testid(driver, f"connector-{IMAGINARY_OAUTH}").text
        values = [c.get_attribute("value") for c in driver.find_elements("css selector", "input[name=connector]")]
        assert values[-1] == IMAGINARY and len(values) == len(ids), values
        card.click()
        driver.find_element(*by_testid("continue")).click()
        wait_testid(driver, "screen-title")
        assert "IM-1" in driver.find_element(*by_testid("screen-code")).text
        shot(driver, "start-imaginary-connector-from-one-file")
