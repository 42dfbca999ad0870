"""The window's OAuth 2.0 client credentials (M2M) setup, end to end: the start screen's card for new
integrations, the steps with NetSuite's labels, the Client ID pasted into the keyring, the key made in the
keyring with one button and its certificate saved to a file (checked here with `cryptography`), the
mapping's Certificate ID, the test against the stand-in (whose token endpoint checks the assertion with
PyJWT against the uploaded certificate), refused with a wrong Certificate ID and passing with the right
one, and the hand-off: the Client ID copied, the private key exported to a user-only file after a
confirmation. Light and dark, with a screenshot of every screen."""
from __future__ import annotations

import base64
import os
import secrets as pysecrets
import stat

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import REALM
from e2e_support import (
    Shots,
    click,
    clipboard_get,
    exists,
    find,
    is_checked,
    opened_urls,
    text_of,
    tick_all,
    type_into,
    wait_progress,
    wait_testid,
    wait_text,
    wait_until,
)
from test_wizard_flows import choose, enter_account, footer_blocked, next_screen, paste, run_test

CERTIFICATE_ID = "CERT-WINDOW-1"


def downloads(rig):
    return rig.root / "downloads"


def only_file(folder, needle: str):
    files = [p for p in folder.iterdir() if needle in p.name]
    assert len(files) == 1, [p.name for p in folder.iterdir()]
    return files[0]


def user_only(path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0


def pick(driver, name: str) -> None:
    """Includes one of the role's optional permissions, by its name on the checklist."""
    items = driver.execute_script(
        "return [...document.querySelectorAll('.check-item')].map(li => ["
        " li.dataset.testid, li.querySelector('.check-name').textContent, !!li.querySelector('.switch-input')])"
    )
    testid = next(t for t, n, switch in items if switch and n == name).removeprefix("item-")
    if not is_checked(driver, f"pick-{testid}"):
        click(driver, f"pick-{testid}-switch")
        wait_until(driver, lambda d: "is-excluded" not in find(d, f"item-{testid}").get_attribute("class"), 5,
                   f"{name} was not included")


def test_m2m_setup_in_the_window(wizard_rig, tmp_path):
    for dark in (False, True):
        name = "m2m-setup-dark" if dark else "m2m-setup"
        # The rig's own folder (tmp_path/name), never the user's Downloads.
        # The light run's role lacks Vendors at first: its probe fails until the role is fixed "in NetSuite".
        with wizard_rig(name, dark=dark, denied_tables=() if dark else ["vendor"],
                        extra_env={"TBA_WIZARD_DOWNLOAD_DIR": str(tmp_path / name / "downloads")}) as rig:
            run_setup(rig, dark)


def run_setup(rig, dark: bool) -> None:
    client_id = pysecrets.token_hex(32)
    rig.standin.add_m2m_client(client_id)
    rig.watch([client_id])
    with rig.session() as driver:
        flow = "m2m-setup-dark" if dark else "m2m-setup"
        shots = Shots(driver, flow, [client_id], read_text=False)  # no leak check of its own (test_window_trace_m2m makes M2M's)

        # The start screen leads a new own integration to OAuth 2.0; the TBA path says what it is for.
        wait_testid(driver, "start-title")
        # The calls go to the stand-in (TBA_WIZARD_BASE_URL): a lasting notice in the rail says so, naming where.
        banner = wait_until(driver, lambda d: (t := text_of(d, "base-url-banner")) and t, 10, "no base URL notice")
        assert "Not NetSuite" in banner and rig.standin.base_url.rstrip("/") in banner, banner
        assert text_of(driver, "connector-own_m2m-badge") == "For new integrations"
        assert "2027.1" in text_of(driver, "connector-own_m2m")
        assert "already uses TBA" in text_of(driver, "connector-own")
        shots("start")
        choose(driver, "own_m2m")

        wait_progress(driver, "OM-1 of 6")
        enter_account(driver, "1234567-sb1", REALM)
        tick_all(driver)
        shots("OM-1", at="account")

        next_screen(driver, "OM-2 of 6")
        labels = text_of(driver, "checklist")
        assert "OAUTH 2.0" in labels and "REST WEB SERVICES" in labels, labels
        tick_all(driver)
        shots("OM-2")

        # The Client ID is taken like a secret; the Client Secret is named as not needed.
        next_screen(driver, "OM-3 of 6")
        labels = text_of(driver, "checklist")
        assert "CLIENT CREDENTIALS (MACHINE TO MACHINE) GRANT" in labels, labels
        assert "Client Secret is not needed" in text_of(driver, "instructions")
        tick_all(driver)
        assert "Client ID" in footer_blocked(driver)
        paste(driver, "client_id", client_id)
        shots("OM-3", at="captures")

        next_screen(driver, "OM-4 of 6")
        assert "Log in using OAuth 2.0 Access Tokens" in text_of(driver, "checklist")
        if not dark:
            # Two permissions picked for the role: the test probes each with the access token.
            for name in ("Customers", "Vendors"):
                pick(driver, name)
        tick_all(driver)
        shots("OM-4")

        # The key: one button; the certificate file is saved for the upload and checked here.
        next_screen(driver, "OM-5 of 6")
        assert "On this computer" in text_of(driver, "eyebrow")
        assert "key" in footer_blocked(driver).lower()
        shots("OM-5-before", at="key")
        click(driver, "key-make")
        wait_testid(driver, "key-certificate-fingerprint", 60)
        cert_path = only_file(downloads(rig), "certificate")
        assert user_only(cert_path), oct(os.stat(cert_path).st_mode)
        pem = cert_path.read_text()
        assert pem.startswith("-----BEGIN CERTIFICATE-----") and "PRIVATE" not in pem
        certificate = x509.load_pem_x509_certificate(pem.encode())
        assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
        assert certificate.public_key().curve.name == "secp256r1"
        days = (certificate.not_valid_after_utc - certificate.not_valid_before_utc).days
        assert 729 <= days <= 730, days
        assert text_of(driver, "key-certificate-file") == str(cert_path)
        assert text_of(driver, "key-certificate-algorithm") == "ES256"
        shown = certificate.fingerprint(certificate.signature_hash_algorithm.__class__())
        assert shown.hex().upper()[:8] in text_of(driver, "key-certificate-fingerprint").replace(":", "")
        click(driver, "key-show-folder")
        wait_until(driver, lambda d: str(downloads(rig)) in text_of(d, "key-folder-message"), 10,
                   "Show in folder said nothing of the folder")
        tick_all(driver)
        shots("OM-5", at="key")

        # The mapping: its menu path, the certificate to upload, then the Certificate ID.
        next_screen(driver, "OM-6 of 6")
        assert "OAuth 2.0 Client Credentials (M2M) Setup" in text_of(driver, "where")
        # The page button opens the mapping page itself, on the account's UI host.
        before = len(opened_urls(rig.browser_log))
        click(driver, "open-page")
        url = wait_until(driver, lambda d: len(opened_urls(rig.browser_log)) > before
                         and opened_urls(rig.browser_log)[-1], 15, "the mapping page was not opened")
        assert url == "https://1234567-sb1.app.netsuite.com/app/oauth2/clientcredentials/setup.nl", url
        assert text_of(driver, "certificate-id-certificate-file") == str(cert_path)
        tick_all(driver)
        assert "Certificate ID" in footer_blocked(driver)
        rig.standin.add_m2m_certificate(CERTIFICATE_ID, pem, client_id)
        # A Certificate ID from another mapping first: the test is refused, and the cause leads back here.
        type_into(driver, "certificate-id-input", "CERT-SOMEONE-ELSE")
        click(driver, "certificate-id-save")
        wait_until(driver, lambda d: exists(d, "certificate-id-status"), 10, "the Certificate ID was not saved")
        shots("OM-6", at="certificate-id")

        next_screen(driver, "OM · test")
        if not dark:
            # The stand-in holds the token request: the window says that is what it waits on.
            rig.standin.queue_faults(["ok", "hold"])  # the account lookup, then the token
            click(driver, "run-test")
            wait_text(driver, "test-stage", "Asking NetSuite for a token")
            shots("test-asking-for-token")
            rig.standin.release_held()
            wait_testid(driver, "test-outcome", 30)
            rig.standin.clear_faults()
            assert text_of(driver, "result-title") != "It works", text_of(driver, "test-outcome")
            causes = driver.execute_script(
                "return [...document.querySelectorAll('[data-testid^=cause-][data-cause]')]"
                ".map(c => [c.dataset.cause, (c.querySelector('button') || {}).textContent || ''])"
            )
            assert any(button.strip() == "Go to OM-6" for _, button in causes), causes
            shots("test-refused")
            shots("test-refused-causes", at="causes-block")
            index = next(i for i, (_, b) in enumerate(causes) if b.strip() == "Go to OM-6")
            click(driver, f"cause-{index}-goto")
            wait_progress(driver, "OM-6 of 6")
        else:
            click(driver, "back")
            wait_progress(driver, "OM-6 of 6")
        type_into(driver, "certificate-id-input", CERTIFICATE_ID)
        click(driver, "certificate-id-save")
        wait_text(driver, "certificate-id-status", f"Saved: {CERTIFICATE_ID}")
        next_screen(driver, "OM · test")
        if not dark:
            # The token and the test call pass; the role's missing permission shows in its probe, and
            # Next waits until the role is fixed.
            run_test(driver)
            probes = driver.execute_script(
                "return [...document.querySelectorAll('[data-testid=probes] .probe')].map(p => p.textContent)"
            )
            assert any(p.startswith("✓") and "Customers" in p for p in probes), probes
            assert any(p.startswith("✗") and "Vendors" in p for p in probes), probes
            assert footer_blocked(driver)
            shots("test-permission-missing", at="probes-block")
            rig.standin.denied_tables = set()
        tokens_before = len([a for a in rig.standin.audit() if "oauth2/v1/token" in str(a.get("url"))])
        run_test(driver)
        assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")
        if not dark:
            probes = driver.execute_script(
                "return [...document.querySelectorAll('[data-testid=probes] .probe')].map(p => p.textContent)"
            )
            assert len(probes) == 2 and all(p.startswith("✓") for p in probes), probes
        tokens = [a for a in rig.standin.audit() if "oauth2/v1/token" in str(a.get("url"))]
        assert len(tokens) == tokens_before + 1, "the test asked the stand-in for one token"
        shots("test-passed")

        # The hand-off: account, token URL, Client ID (copied, never shown), Certificate ID, private key.
        next_screen(driver, "OM · hand-off")
        fields = driver.execute_script(
            "return [...document.querySelectorAll('[data-testid=handoff-fields] > li')].map(li => li.dataset.label)"
        )
        assert fields == ["Account ID", "Token URL", "REST base URL", "Client ID", "Certificate ID", "Algorithm",
                          "Scope", "Private key"], fields
        values = {label: text_of(driver, f"handoff-{i}-value") for i, label in enumerate(fields)}
        assert values["Certificate ID"] == CERTIFICATE_ID
        # What the integration's own assertion must carry, as the test sent it.
        assert values["Algorithm"] == "ES256" and values["Scope"] == '["rest_webservices"]', values
        assert values["Token URL"].endswith("/services/rest/auth/oauth2/v1/token"), values
        assert client_id not in driver.page_source
        click(driver, f"handoff-{fields.index('Client ID')}-copy")
        wait_until(driver, lambda d: clipboard_get() == client_id, 10, "Copy did not put the Client ID on the clipboard")
        shots("handoff")

        # The private key leaves the keyring only on request, after a confirmation that says what it is.
        click(driver, "handoff-export-key")
        dialog = wait_testid(driver, "confirm-export-key")
        assert "private key" in dialog.text
        if dark:
            shots("handoff-export-confirm")
        click(driver, "dialog-confirm")
        wait_testid(driver, "handoff-export-key-result", 10)
        key_path = only_file(downloads(rig), "private-key")
        assert user_only(key_path), oct(os.stat(key_path).st_mode)
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert key.public_key().public_numbers() == certificate.public_key().public_numbers()
        assert str(key_path) in text_of(driver, "handoff-export-key-result")
        shots("handoff-exported", at="handoff")
        # From here the key is a secret the leak checks look for, in its PEM body and DER forms; the file
        # itself was asked for, so it goes before the final scan.
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        body = "".join(line for line in key_path.read_text().splitlines() if not line.startswith("-----"))
        key_forms = [body[20:80], base64.b64encode(der).decode()[20:80], der[36:68].hex()]
        key_path.unlink()
        rig.watch(key_forms)

        click(driver, "continue")  # Finish
        wait_testid(driver, "home-cards", 20)
        cards = driver.execute_script(
            "return [...document.querySelectorAll('[data-testid^=card-][data-testid$=-certificate]')].map(e => e.textContent)"
        )
        assert any("ES256" in c and "days left" in c for c in cards), cards
        shots("home")
