"""Importing a key made elsewhere into the window's OAuth 2.0 setup (step OM-5), end to end: the key made
with Oracle's openssl recipe, its certificate pasted in the window (it is public), the private key taken
from the clipboard straight into the keyring and the clipboard emptied, the key never in the page. Keys
NetSuite refuses (RSA 2048) and a key that is not the certificate's are refused with a reason, keeping
nothing. Then the mapping's Certificate ID and the test against the stand-in, whose token endpoint checks
the assertion with PyJWT against the imported certificate: proof the imported key is the one that signs.
Light and dark, with a screenshot of every new state."""
from __future__ import annotations

import secrets as pysecrets
import subprocess

from selenium.webdriver.common.keys import Keys

from conftest import REALM
from e2e_support import (
    Shots,
    click,
    clipboard_get,
    clipboard_set,
    empty_field,
    exists,
    text_of,
    tick_all,
    type_into,
    wait_progress,
    wait_testid,
    wait_text,
    wait_until,
)
from test_wizard_flows import choose, enter_account, next_screen, paste, run_test

CERTIFICATE_ID = "CERT-IMPORTED-1"


def openssl_pair(folder, name: str, *key_args: str) -> tuple[str, str]:
    """A key and a self-signed certificate made by openssl, as Oracle's help tells admins to."""
    key, cert = folder / f"{name}-key.pem", folder / f"{name}-cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-new", *key_args, "-nodes", "-days", "365", "-subj", f"/CN={name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=120,
    )
    return key.read_text(), cert.read_text()


def key_body(pem: str) -> str:
    return "".join(line for line in pem.splitlines() if not line.startswith("-----"))


def import_key(driver, certificate: str, key: str) -> str:
    """Paste the certificate, copy the key, press Import; returns the panel's message."""
    if not exists(driver, "key-import-certificate") or not driver.find_element(
        "css selector", '[data-testid="key-import-certificate"]'
    ).is_displayed():
        click(driver, "key-import-toggle")
    # Pasted as a user pastes it (line breaks and all): through the clipboard, with Ctrl+V.
    box = driver.find_element("css selector", '[data-testid="key-import-certificate"]')
    # In the middle of the pane: partly under the footer, WebKit's driver would not click it.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    empty_field(box)
    clipboard_set(certificate)
    box.click()
    box.send_keys(Keys.CONTROL, "v")
    wait_until(driver, lambda d: box.get_attribute("value").strip() == certificate.strip(), 10,
               "the certificate was not pasted")
    clipboard_set(key)
    before = text_of(driver, "key-message") if exists(driver, "key-message") else ""
    click(driver, "key-import")
    return wait_until(
        driver,
        lambda d: exists(d, "key-message") and (t := text_of(d, "key-message")) != before and t,
        60,
        "Import never answered",
    )


def save_certificate_id(driver, certificate_id: str) -> None:
    """Types a mapping's Certificate ID and saves it."""
    type_into(driver, "certificate-id-input", certificate_id)
    click(driver, "certificate-id-save")
    wait_text(driver, "certificate-id-status", f"Saved: {certificate_id}")


def map_and_test(driver, rig, certificate_id: str, certificate_pem: str, client_id: str) -> None:
    """OM-6 with the stand-in's mapping of the certificate, then the test, which works: the proof that the
    key kept is the certificate's."""
    next_screen(driver, "OM-6 of 6")
    tick_all(driver)
    rig.standin.add_m2m_certificate(certificate_id, certificate_pem, client_id)
    save_certificate_id(driver, certificate_id)
    next_screen(driver, "OM · test")
    run_test(driver)
    assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")


def test_m2m_import_in_the_window(wizard_rig, tmp_path):
    ec_key, ec_cert = openssl_pair(tmp_path, "ec", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")
    rsa_key, rsa_cert = openssl_pair(tmp_path, "rsa2048", "-newkey", "rsa:2048")
    other_key, _ = openssl_pair(tmp_path, "other", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")
    # Pasted by mistake into the certificate field, so on screen by the user's hand: not watched.
    misplaced_key, _ = openssl_pair(tmp_path, "misplaced", "-newkey", "ec", "-pkeyopt",
                                    "ec_paramgen_curve:prime256v1")
    for dark in (False, True):
        name = "m2m-import-dark" if dark else "m2m-import"
        with wizard_rig(name, dark=dark, extra_env={"TBA_WIZARD_DOWNLOAD_DIR": str(tmp_path / name / "downloads")}) as rig:
            client_id = pysecrets.token_hex(32)
            rig.standin.add_m2m_client(client_id)
            # The private keys are secrets from the start: no screen, page, file or log may hold them.
            # Only their private parts: a PKCS#8 body also holds the algorithm's identifiers (and RSA's its
            # public modulus), which the certificate and the saved record share by design. P-256's scalar
            # is DER bytes 36..68 (base64 characters 48..90); RSA's private exponent and primes lie past
            # its 2048-bit modulus.
            rig.watch([client_id, key_body(ec_key)[48:90], key_body(rsa_key)[800:860], key_body(other_key)[48:90]])
            with rig.session() as driver:
                shots = Shots(driver, name, [client_id], read_text=False)  # no leak check of its own (test_window_trace_m2m makes M2M's)
                wait_testid(driver, "start-title")
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
                # Done in the wizard: the checklist's lead says so, not "in NetSuite".
                lead = text_of(driver, "checklist")
                assert "done on this computer" in lead and "done in NetSuite" not in lead, lead

                if not dark:
                    # An RSA 2048 key: NetSuite refuses it, so the wizard does, keeping nothing.
                    message = import_key(driver, rsa_cert, rsa_key)
                    assert "3072" in message, message
                    # The openssl command it suggests is shown as code, not between raw backticks.
                    assert "`" not in message, message
                    assert driver.execute_script(
                        "return [...document.querySelectorAll('[data-testid=key-message] code')]"
                        ".some(c => c.textContent.startsWith('openssl'))"
                    ), message
                    assert text_of(driver, "key-status") == "No key yet"
                    # Refused, and still not left on the clipboard: the file has it.
                    wait_until(driver, lambda d: clipboard_get() == "", 10, "a refused key stayed on the clipboard")
                    shots("OM-5-rsa2048-refused", at="key")
                    # A key that is not the certificate's.
                    message = import_key(driver, ec_cert, other_key)
                    assert "does not belong to this certificate" in message, message
                    assert text_of(driver, "key-status") == "No key yet"
                    # A private key in the certificate field: refused in Rust before the clipboard is
                    # touched, and the field emptied so the key does not stay on screen.
                    message = import_key(driver, misplaced_key + ec_cert, ec_key)
                    assert "private key was pasted in the certificate field" in message, message
                    wait_until(driver, lambda d: d.find_element(
                        "css selector", '[data-testid="key-import-certificate"]').get_attribute("value") == "",
                        10, "the certificate field still holds the key")
                    assert clipboard_get().strip() == ec_key.strip(), "the clipboard was taken"
                    assert text_of(driver, "key-status") == "No key yet"

                message = import_key(driver, ec_cert, ec_key)
                assert "imported" in message.lower(), message
                wait_until(driver, lambda d: clipboard_get() == "", 10, "Import must leave the clipboard empty")
                assert text_of(driver, "key-certificate-algorithm") == "ES256"
                assert key_body(ec_key)[48:90] not in driver.page_source
                shots("OM-5-imported", at="key")

                # The mapping of the imported certificate, then the test signs with the imported key.
                map_and_test(driver, rig, CERTIFICATE_ID, ec_cert, client_id)
                shots("test-passed")
