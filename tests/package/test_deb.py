"""The Debian package installs, puts the wizard on the menu, and starts.

`npm test` builds the package from the debug build first (`scripts/package.sh --debug`, the same
`tauri build` as `npm run package` without the release compile); this installs it with dpkg, checks
what it put on the system, opens the installed wizard in the test's X display, and removes it again.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def the_deb() -> Path:
    found = sorted((REPO / "target" / "debug" / "bundle" / "deb").glob("tba-wizard_*.deb"))
    assert found, "no .deb: `npm test` builds it with scripts/package.sh --debug before the tests"
    return found[-1]


@pytest.fixture
def installed():
    if os.geteuid() != 0 or not shutil.which("dpkg"):
        pytest.fail("installing the package needs root and dpkg (as on the Debian machines npm test runs on)")
    deb = the_deb()
    subprocess.run(["dpkg", "-i", str(deb)], check=True, capture_output=True, timeout=120)
    try:
        yield deb
    finally:
        subprocess.run(["dpkg", "-r", "tba-wizard"], capture_output=True, timeout=120)


def test_package_contents(installed):
    listing = subprocess.run(["dpkg", "-L", "tba-wizard"], check=True, capture_output=True, text=True).stdout
    assert "/usr/bin/tba-wizard" in listing
    desktop = Path("/usr/share/applications/tba-wizard.desktop").read_text()
    assert "Exec=tba-wizard" in desktop and "Icon=tba-wizard" in desktop
    # App links: the desktop hands `tba-wizard://…` links to the wizard, as its first argument.
    entries = dict(line.split("=", 1) for line in desktop.splitlines() if "=" in line)
    assert "x-scheme-handler/tba-wizard" in entries.get("MimeType", "").split(";"), desktop
    assert entries.get("Exec", "").split()[1:] == ["%u"], desktop
    assert any(line.endswith("/apps/tba-wizard.png") for line in listing.splitlines())
    version = subprocess.run(["/usr/bin/tba-wizard", "--version"], check=True, capture_output=True, text=True)
    assert version.stdout.strip().startswith("tba-wizard ")
    # The command line for servers and cron, beside the window: the same version, no desktop stack.
    assert "/usr/bin/tba-wizard-cli" in listing.splitlines(), listing
    cli = subprocess.run(["/usr/bin/tba-wizard-cli", "--version"], check=True, capture_output=True, text=True)
    assert cli.stdout.strip() == version.stdout.strip().replace("tba-wizard ", "tba-wizard-cli ")
    ldd = subprocess.run(["ldd", "/usr/bin/tba-wizard-cli"], check=True, capture_output=True, text=True).stdout
    assert "gtk" not in ldd and "webkit" not in ldd, ldd
    # Its completions and man page, where each shell and man look for them.
    for path in ("/usr/share/bash-completion/completions/tba-wizard-cli",
                 "/usr/share/zsh/vendor-completions/_tba-wizard-cli",
                 "/usr/share/fish/vendor_completions.d/tba-wizard-cli.fish",
                 "/usr/share/man/man1/tba-wizard-cli.1.gz"):
        assert path in listing.splitlines(), f"{path} not installed:\n{listing}"
    completed = subprocess.run(
        ["bash", "-c", "source /usr/share/bash-completion/completions/tba-wizard-cli; "
                       "COMP_WORDS=(tba-wizard-cli test --pen); COMP_CWORD=2; _tba_wizard_cli tba-wizard-cli --pen test; "
                       "printf '%s\\n' \"${COMPREPLY[@]}\""],
        check=True, capture_output=True, text=True, timeout=30).stdout.split()
    assert "--pending" in completed, completed
    page = subprocess.run(["man", "-P", "cat", "tba-wizard-cli"], capture_output=True, text=True, timeout=30,
                          env=dict(os.environ, MANWIDTH="100"))
    assert page.returncode == 0 and "migrate" in page.stdout, page.stderr


def test_installed_wizard_opens_its_window(installed, tmp_path):
    assert os.environ.get("DISPLAY"), "run inside Xvfb (npm test does)"
    env = dict(os.environ, TBA_WIZARD_REPORT_READY="1", TBA_WIZARD_CONFIG_DIR=str(tmp_path / "config"))
    proc = subprocess.Popen(["/usr/bin/tba-wizard"], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 60
        ready = False
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            if line.startswith("READY"):
                ready = True
                break
        assert ready, f"the installed wizard did not show its start screen (exit {proc.poll()})"
        assert proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
