"""`tba-wizard-cli`, the command line built without the desktop stack, and `tba-wizard SUBCOMMAND`, which
users' scripts already call: the first must load no GUI library, and both must behave the same.

A cron job on a server with no desktop libraries runs `tba-wizard-cli test --all`; if the command line
linked GTK or WebKit again, it would fail to start there, which is what `ldd` shows here first.
"""
from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from tba_cli_support import REALM, REPO_ROOT, binary_path, clean_env, desktop_binary_path

# Libraries of the desktop stack: any of them in the command line's closure is a regression.
DESKTOP_LIBRARIES = re.compile(r"lib(gtk|gdk|webkit2gtk|webkitgtk|javascriptcoregtk|soup|cairo|pango|glib|gio|"
                               r"gobject|harfbuzz|X11|xcb|wayland|ayatana|appindicator)[-.0-9]", re.I)


def linked_libraries(binary) -> list[str]:
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True, timeout=60).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def desktop_libraries(binary) -> list[str]:
    return [lib for lib in linked_libraries(binary) if DESKTOP_LIBRARIES.match(lib)]


@pytest.fixture(scope="module")
def both(binary):
    desktop = desktop_binary_path()
    if not desktop.is_file():
        pytest.fail(f"the desktop binary is missing: {desktop}. Build it with `cargo build -p tba-wizard`.",
                    pytrace=False)
    return {"cli": binary, "desktop": desktop}


def run(binary, *args, stdin="", env=None):
    return subprocess.run([str(binary), *map(str, args)], input=stdin, capture_output=True, text=True,
                          timeout=60, env=env or clean_env(), cwd=REPO_ROOT)


def test_command_line_loads_no_desktop_library(both):
    # The same check on the desktop binary finds them, so the pattern is known to match real names.
    assert desktop_libraries(both["desktop"]), "the pattern no longer recognises the desktop stack's libraries"
    found = desktop_libraries(both["cli"])
    assert not found, f"tba-wizard-cli links desktop libraries: {found}"
    assert len(linked_libraries(both["cli"])) < 12, linked_libraries(both["cli"])


def test_alone_it_prints_its_help_and_fails(both):
    r = run(both["cli"])
    assert r.returncode == 2, r
    assert "Usage: tba-wizard-cli" in r.stderr and "test" in r.stderr, r.stderr
    assert r.stdout == ""


def test_version_names_each_binary(both):
    assert run(both["cli"], "--version").stdout.strip() == run(both["desktop"], "--version").stdout.strip() \
        .replace("tba-wizard", "tba-wizard-cli")


def test_a_signed_test_gives_the_same_answer_from_both(both, standin, creds):
    results = {}
    for name, binary in both.items():
        r = run(binary, "test", "--account", REALM, "--credentials-stdin", "--base-url", standin.base_url, "--json",
                stdin=json.dumps(creds))
        assert r.returncode == 0, r
        doc = json.loads(r.stdout)
        results[name] = {k: v for k, v in doc.items() if k not in ("elapsed_ms", "clock")}
        for value in creds.values():
            assert value not in r.stdout + r.stderr
    assert results["cli"] == results["desktop"]
    assert results["cli"]["outcome"] == "success"


@pytest.mark.parametrize("args", [("profiles", "--json"), ("check-account", "1234567_sb1", "--json"),
                                  ("connections", "list", "--json"), ("check-account", "not an account"),
                                  ("m2m", "assertion", "nobody")])
def test_same_output_and_status_from_both(both, tmp_path, args):
    env = clean_env()
    env["TBA_WIZARD_CONFIG_DIR"] = str(tmp_path / "config")
    env["TBA_WIZARD_LOG_DIR"] = str(tmp_path / "logs")
    cli, desktop = (run(both[b], *args, env=env) for b in ("cli", "desktop"))
    assert (cli.returncode, cli.stdout, cli.stderr) == (desktop.returncode, desktop.stdout, desktop.stderr)
    assert cli.stdout or cli.stderr


def test_a_bad_argument_is_not_echoed_by_either(both):
    secret = "0123456789abcdef0123456789abcdef"
    for name, binary in both.items():
        r = run(binary, "test", f"--token-secret={secret}")
        assert r.returncode == 2, (name, r)
        assert secret not in r.stdout + r.stderr
        assert "not understood" in r.stderr
        assert f"{binary.name} --help" in r.stderr
