"""Importing a key made elsewhere from its file, through the system's real open dialog (GTK's own chooser,
opened by Rust in the app's process: the window has no file permission), driven with xdotool under Xvfb.
The file holds the key and its certificate, as `openssl req -x509 -keyout f -out f` writes them. The key
never passes through the page or the clipboard: a symbolic link planted in place of the file is refused,
closing the dialog imports nothing and says so, and the chosen file's key then signs the test that the
stand-in checks against the certificate (PyJWT). Screenshots of the panel, light."""
from __future__ import annotations

import secrets as pysecrets
import time

from e2e_support import Shots, click, clipboard_get, clipboard_set, text_of, wait_testid
from test_m2m_import import key_body, map_and_test, openssl_pair
from test_m2m_save_as import dialog_window, focus, key_note, process_name, to_om5, wait_gone, xdotool
from test_wizard_flows import check_leaks

TITLE = "Choose the private key and its certificate"
CERTIFICATE_ID = "CERT-FROM-FILE-1"


def choose_file(window: str, path) -> None:
    """Types a full path into the open dialog's location field (Ctrl+L) and presses Return."""
    focus(window)
    xdotool("key", "--clearmodifiers", "ctrl+l")
    xdotool("type", "--delay", "15", str(path))
    # GTK's file name completion may still be working on the last characters.
    time.sleep(0.5)
    xdotool("key", "Return")


def open_dialog(driver) -> str:
    click(driver, "key-import-files")
    window = dialog_window(title=TITLE)
    assert process_name(window) == "tba-wizard", "the dialog is not the app's own GTK chooser"
    return window


def test_import_a_key_file_through_the_real_dialog(wizard_rig, tmp_path):
    key_pem, cert_pem = openssl_pair(tmp_path, "file", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")
    combined = tmp_path / "key-and-certificate.pem"
    combined.write_text(key_pem + cert_pem)
    link = tmp_path / "planted-link.pem"
    link.symlink_to(combined)
    env = {"TBA_WIZARD_DOWNLOAD_DIR": str(tmp_path / "downloads"), "GTK_USE_PORTAL": "0"}
    with wizard_rig("m2m-import-files", extra_env=env) as rig:
        client_id = pysecrets.token_hex(32)
        rig.standin.add_m2m_client(client_id)
        private = key_body(key_pem)[48:90]
        rig.watch([client_id, private])
        with rig.session() as driver:
            shots = Shots(driver, "m2m-import-files", [client_id])
            wait_testid(driver, "start-title")
            to_om5(driver, client_id)
            click(driver, "key-import-toggle")
            clipboard_set("something the user copied")

            # Closed without a file: nothing imported, said calmly.
            window = open_dialog(driver)
            focus(window)
            xdotool("key", "Escape")
            wait_gone(window, title=TITLE)
            assert "Nothing imported" in key_note(driver, "info")
            assert text_of(driver, "key-status") == "No key yet"

            # A symbolic link planted where the key file was: refused, nothing kept.
            window = open_dialog(driver)
            choose_file(window, link)
            wait_gone(window, title=TITLE)
            assert "symbolic link" in key_note(driver, "error")
            assert text_of(driver, "key-status") == "No key yet"
            shots("OM-5-link-refused", at="key")

            # The file itself: key and certificate, read by Rust.
            window = open_dialog(driver)
            choose_file(window, combined)
            wait_gone(window, title=TITLE)
            assert "from its file" in key_note(driver, "ok", 30)
            assert text_of(driver, "key-certificate-algorithm") == "ES256"
            assert private not in driver.page_source
            assert clipboard_get() == "something the user copied", "the clipboard was not used"
            shots("OM-5-imported-from-file", at="key")

            map_and_test(driver, rig, CERTIFICATE_ID, cert_pem, client_id)
            check_leaks(rig, shots, [client_id, private])
