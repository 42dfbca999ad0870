"""OAuth 2.0's key step (OM-5): "Save a copy as…" through the system's real save dialog, driven with
xdotool under Xvfb. The dialog is GTK's own chooser, opened by Rust in the app's process (the window has no
dialog permission); GTK_USE_PORTAL=0 keeps it from going through xdg-desktop-portal, and the test checks the
dialog window belongs to the app's process. A full path typed into the dialog's name field gets the
certificate's PEM (the same as the Downloads copy), readable by the user only, and the window names it as
the certificate's file; an existing file is replaced only after GTK's own "replace?" question; Escape
saves nothing and says so calmly. Light and dark, with screenshots of the panel."""
from __future__ import annotations

import os
import secrets as pysecrets
import stat
import subprocess
import time
from pathlib import Path

from conftest import REALM
from e2e_support import SCREENSHOTS, Shots, click, enabled, find, text_of, tick_all, wait_progress, wait_testid, wait_until
from test_wizard_flows import choose, enter_account, next_screen, paste

DIALOG_TITLE = "Save a copy of the certificate"


def xdotool(*args: str, timeout: float = 30) -> str:
    return subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True, timeout=timeout).stdout


def visible_windows(name: str) -> list[str]:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True, text=True,
                           timeout=30)
    return found.stdout.split()


def dialog_window(timeout: float = 20, title: str = DIALOG_TITLE) -> str:
    """The dialog's X window, once it is on screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        windows = visible_windows(f"^{title}$")
        if windows:
            return windows[-1]
        time.sleep(0.2)
    raise AssertionError(f"no window named {title!r} appeared")


def wait_gone(window: str, timeout: float = 20, title: str = DIALOG_TITLE) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if window not in visible_windows(f"^{title}$"):
            return
        time.sleep(0.2)
    raise AssertionError(f"the dialog {title!r} is still open")


def focus(window: str) -> None:
    """Keyboard focus to the window. There is no window manager under Xvfb, so nothing gives a new window
    focus by itself: XSetInputFocus, then real (XTEST) key presses go to it."""
    xdotool("windowfocus", "--sync", window)
    time.sleep(0.3)


def type_path(window: str, path: Path) -> None:
    """Replaces the dialog's file name (the suggested one, selected) with a full path, and presses Return."""
    focus(window)
    xdotool("key", "--clearmodifiers", "ctrl+a")
    xdotool("type", "--delay", "15", str(path))
    # GTK's file name completion may still be working on the last characters.
    time.sleep(0.5)
    xdotool("key", "Return")


def process_name(window: str) -> str:
    pid = xdotool("getwindowpid", window).strip()
    return Path(f"/proc/{pid}/comm").read_text().strip()


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def key_note(driver, kind: str, timeout: float = 15) -> str:
    """The key panel's message once it is of `kind` ("ok", "info", "error")."""
    return wait_until(
        driver,
        lambda d: (e := d.find_elements("css selector", '[data-testid="key-message"]'))
        and f"cap-{kind}" in (e[0].get_attribute("class") or "") and e[0].text,
        timeout,
        f"no {kind} message in the key panel",
    )


def to_key_step(driver, client_id: str) -> None:
    """The minimal way to OM-5 with the key made."""
    to_om5(driver, client_id)
    click(driver, "key-make")
    wait_testid(driver, "key-certificate-fingerprint", 60)


def to_om5(driver, client_id: str) -> None:
    """The minimal way to OM-5, before its key: a new OAuth 2.0 setup with the Client ID pasted."""
    choose(driver, "own_m2m")
    wait_progress(driver, "OM-1 of 6")
    enter_account(driver, "1234567-sb1", REALM)
    tick_all(driver)
    next_screen(driver, "OM-2 of 6")
    tick_all(driver)
    next_screen(driver, "OM-3 of 6")
    tick_all(driver)
    paste(driver, "client_id", client_id)
    next_screen(driver, "OM-4 of 6")
    tick_all(driver)
    next_screen(driver, "OM-5 of 6")


def test_save_a_copy_as_through_the_real_dialog(wizard_rig, tmp_path):
    for dark in (False, True):
        name = "m2m-save-as-dark" if dark else "m2m-save-as"
        env = {
            "TBA_WIZARD_DOWNLOAD_DIR": str(tmp_path / name / "downloads"),
            # GTK's own chooser, in the app's process, not xdg-desktop-portal's.
            "GTK_USE_PORTAL": "0",
        }
        with wizard_rig(name, dark=dark, extra_env=env) as rig:
            run(rig, tmp_path / name, name, dark)


def run(rig, root: Path, flow: str, dark: bool) -> None:
    client_id = pysecrets.token_hex(32)
    rig.standin.add_m2m_client(client_id)
    rig.watch([client_id])
    downloads = root / "downloads"
    chosen = root / "chosen"
    chosen.mkdir()
    with rig.session() as driver:
        shots = Shots(driver, flow, [client_id], read_text=False)  # no leak check of its own (test_window_trace_m2m makes M2M's)
        to_key_step(driver, client_id)
        [downloaded] = [p for p in downloads.iterdir() if "certificate" in p.name]
        pem = downloaded.read_text()
        assert pem.startswith("-----BEGIN CERTIFICATE-----") and "PRIVATE" not in pem

        # Cancel (Escape): nothing written, a calm "not saved", the file is still the Downloads one.
        click(driver, "key-save-as")
        window = dialog_window()
        assert process_name(window) == "tba-wizard", "the dialog is not the app's own GTK chooser"
        assert not enabled(find(driver, "key-save-as")), "the button must be disabled while the dialog is open"
        assert "save dialog is open" in text_of(driver, "key-save-as-progress")
        focus(window)
        xdotool("key", "Escape")
        wait_gone(window)
        message = key_note(driver, "info")
        assert message.startswith("Not saved"), message
        assert find(driver, "key-message").get_attribute("role") == "status"
        assert enabled(find(driver, "key-save-as"))
        assert list(chosen.iterdir()) == []
        assert [p.name for p in downloads.iterdir()] == [downloaded.name]
        assert text_of(driver, "key-certificate-file") == str(downloaded)

        # A full path typed into the dialog: the PEM there, for the user only, and the window's file.
        # The dark run saves over a file that is there already: GTK asks first, Return says Replace.
        target = chosen / ("replaced.pem" if dark else "my-certificate.pem")
        if dark:
            target.write_text("an older file\n")
            target.chmod(0o644)
        click(driver, "key-save-as")
        window = dialog_window()
        if not dark:
            # The dialog itself, as the user sees it (the WebDriver screenshots show the page only).
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            subprocess.run(["import", "-window", "root", str(SCREENSHOTS / f"{flow}-dialog.png")], check=True,
                           timeout=60)
        type_path(window, target)
        if dark:
            time.sleep(1.5)
            assert target.read_text() == "an older file\n", "the file was replaced before GTK asked"
            others = [w for w in xdotool("search", "--onlyvisible", "--pid", xdotool("getwindowpid", window).strip())
                      .split() if w != window]
            assert others, "GTK did not ask before replacing the file"
            subprocess.run(["import", "-window", "root", str(SCREENSHOTS / f"{flow}-replace-question.png")],
                           check=True, timeout=60)
            # The question's default answer is Replace.
            xdotool("key", "Return")
        wait_gone(window)
        message = key_note(driver, "ok")
        assert str(target) in message, message
        assert target.read_text() == pem
        assert mode(target) == 0o600, oct(mode(target))
        assert sorted(p.name for p in chosen.iterdir()) == [target.name], "a temporary file was left behind"
        assert text_of(driver, "key-certificate-file") == str(target)
        shots("OM-5-saved-as", at="key")

        # "Show the certificate in its folder" now opens the chosen file's folder.
        click(driver, "key-show-folder")
        folder = wait_until(driver, lambda d: (e := d.find_elements("css selector", '[data-testid="key-folder-message"]'))
                            and e[0].text, 10, "no folder message")
        assert str(chosen) in folder, folder

        # The mapping step names the chosen file too.
        next_screen(driver, "OM-6 of 6")
        assert text_of(driver, "certificate-id-certificate-file") == str(target)
        if not dark:
            shots("OM-6-file", at="certificate-id")
