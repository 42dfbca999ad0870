"""Replacing an OAuth 2.0 connection's certificate in the window, end to end: from the home card's
"Replace certificate" (offered first when the certificate ends soon), a new key made in the keyring beside
the one in use and its certificate saved (checked here with `cryptography`), the new mapping's Certificate
ID, the test against the stand-in (whose token endpoint checks the assertion with PyJWT against the uploaded
certificate) refused before the mapping exists and passing after, the promotion, the hand-off of the new
Certificate ID, and the old mapping revoked, proven refused with the old key. The light run follows the
guided steps after "Upload it for me" is refused (the role lacks the permission to manage its
certificates); the dark run uploads the new certificate and revokes the old mapping through NetSuite's
certificate endpoint (the stand-in's, which reads the uploaded PEM with `cryptography`). Light and dark,
with a screenshot of every screen."""
from __future__ import annotations

import datetime
import os
import secrets as pysecrets
import stat

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from e2e_support import (
    handoff_changes,
    Shots,
    click,
    exists,
    find,
    opened_urls,
    text_of,
    tick_all,
    type_into,
    wait_progress,
    wait_testid,
    wait_text,
    wait_until,
)
from test_m2m_home import made
from test_wizard_flows import footer_blocked, next_screen, run_test

OLD_ID = "CERT-OLD-1"
NEW_ID = "CERT-NEW-2"  # the light run's, typed as if copied from the mapping page


def focused(driver) -> str | None:
    return driver.execute_script("return document.activeElement && document.activeElement.dataset.testid")


def token_kids(rig) -> list:
    """The `kid` of every token request the stand-in accepted, in order."""
    return [a.get("kid") for a in rig.standin.audit() if "oauth2/v1/token" in str(a.get("url")) and a.get("detail") == "Success"]


def test_replace_certificate_in_the_window(wizard_rig, tmp_path):
    for dark in (False, True):
        name = "m2m-replace-dark" if dark else "m2m-replace"
        with wizard_rig(name, dark=dark, extra_env={"TBA_WIZARD_DOWNLOAD_DIR": str(tmp_path / name / "downloads")}) as rig:
            run_replacement(rig, dark, tmp_path / name / "downloads")


def run_replacement(rig, dark: bool, downloads) -> None:
    client_id = pysecrets.token_hex(32)
    by_api = dark
    rig.standin.add_m2m_client(client_id, manage_certificates=by_api)
    rig.watch([client_id])
    conn = made(rig, "Warehouse sync", 30, OLD_ID, client_id)
    card = f"card-{conn}"
    with rig.session() as driver:
        shots = Shots(driver, "m2m-replace-dark" if dark else "m2m-replace", [client_id], read_text=False)  # no leak check of its own (test_window_trace_m2m makes M2M's)

        # The card says the certificate ends soon and offers the replacement as its main action.
        wait_testid(driver, card)
        assert "Replace certificate" in text_of(driver, f"{card}-hint"), text_of(driver, f"{card}-hint")
        assert "btn-primary" in (driver.find_element("css selector", f'[data-testid="{card}-replace-certificate"]')
                                 .get_attribute("class") or "")
        shots("home", at=card)
        click(driver, f"{card}-replace-certificate")

        wait_progress(driver, "CR-1 of 6")
        why = text_of(driver, "instructions")
        assert "five active certificates" in why, why
        assert OLD_ID in text_of(driver, "tips")
        shots("CR-1")

        # The new key: made beside the one in use; its certificate saved to a new user-only file.
        next_screen(driver, "CR-2 of 6")
        assert "On this computer" in text_of(driver, "eyebrow")
        assert "key" in footer_blocked(driver).lower()
        shots("CR-2-before", at="key")
        click(driver, "key-make")
        wait_testid(driver, "key-certificate-fingerprint", 60)
        files = [p for p in downloads.iterdir() if "certificate" in p.name]
        assert len(files) == 1, files
        cert_path = files[0]
        assert stat.S_IMODE(os.stat(cert_path).st_mode) & 0o077 == 0
        pem = cert_path.read_text()
        new_cert = x509.load_pem_x509_certificate(pem.encode())
        old_cert = x509.load_pem_x509_certificate((rig.root / f"{OLD_ID}.pem").read_bytes())
        assert new_cert.public_key().public_numbers() != old_cert.public_key().public_numbers(), "a new key"
        assert 729 <= (new_cert.not_valid_after_utc - new_cert.not_valid_before_utc).days <= 730
        assert text_of(driver, "key-certificate-file") == str(cert_path)
        shots("CR-2", at="key")

        # The new mapping: the old one's Certificate ID is refused; the new one is saved.
        next_screen(driver, "CR-3 of 6")
        assert "OAuth 2.0 Client Credentials (M2M) Setup" in text_of(driver, "where")
        assert OLD_ID in text_of(driver, "instructions")
        assert "Certificates" in text_of(driver, "tips"), "Setup > Company > Certificates is said to be another page"
        before = len(opened_urls(rig.browser_log))
        click(driver, "open-page")
        url = wait_until(driver, lambda d: len(opened_urls(rig.browser_log)) > before
                         and opened_urls(rig.browser_log)[-1], 15, "the mapping page was not opened")
        assert url.endswith(".app.netsuite.com/app/oauth2/clientcredentials/setup.nl"), url
        assert "Certificate ID" in footer_blocked(driver)
        type_into(driver, "certificate-id-input", OLD_ID)
        click(driver, "certificate-id-save")
        wait_until(driver, lambda d: "in use" in text_of(d, "certificate-id-error"), 10,
                   "the old mapping's Certificate ID was not refused")
        if dark:
            shots("CR-3-refused", at="certificate-id")
        click(driver, "certificate-id-api")
        if by_api:
            # NetSuite's certificate endpoint makes the mapping like the one in use, and names it.
            wait_until(driver, lambda d: exists(d, "certificate-id-api-message"), 60, "the upload never answered")
            assert "made the new mapping" in text_of(driver, "certificate-id-api-message")
            assert focused(driver) == "certificate-id-api-message", "focus follows the button that went"
            new_id = text_of(driver, "certificate-id-status").removeprefix("Saved: ").strip()
            assert new_id and new_id != OLD_ID, new_id
            uploads = [r for r in rig.standin.api_requests() if str(r.get("outcome", "")).startswith("certapi:uploaded:")]
            assert [r["outcome"] for r in uploads] == [f"certapi:uploaded:{new_id}"], uploads
            shots("CR-3-uploaded", at="certificate-id")
        else:
            # Without the role's permission: refused with what to do, and the guided steps go on.
            wait_until(driver, lambda d: exists(d, "certificate-id-api-message"), 60, "the upload never answered")
            refusal = text_of(driver, "certificate-id-api-message")
            assert focused(driver) == "certificate-id-api", "focus back on the button, to try again"
            assert "Manage own OAuth 2.0 Client Credentials certificates" in refusal, refusal
            shots("CR-3-api-refused", at="certificate-id")
            tick_all(driver)
            new_id = NEW_ID
            type_into(driver, "certificate-id-input", new_id)
            click(driver, "certificate-id-save")
            wait_text(driver, "certificate-id-status", f"Saved: {new_id}")
        shots("CR-3")

        next_screen(driver, "CR-4 of 6")
        if not by_api:
            # Not uploaded yet: refused, the key in use untouched, and the cause leads to the mapping.
            run_test(driver)
            assert text_of(driver, "result-title") != "It works", text_of(driver, "test-outcome")
            causes = driver.execute_script(
                "return [...document.querySelectorAll('[data-testid^=cause-][data-cause] button')].map(b => b.textContent)"
            )
            assert any(b.strip() == "Go to CR-3" for b in causes), causes
            assert exists(driver, "journey-discard")
            assert "key in use is unchanged" in text_of(driver, "journey-controls")
            shots("CR-4-refused")
            rig.standin.add_m2m_certificate(new_id, pem, client_id)
        run_test(driver)
        assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")
        assert token_kids(rig)[-1] == new_id, token_kids(rig)
        assert text_of(driver, "continue") == "Use the new key"
        shots("CR-4")

        # The hand-off: the new Certificate ID; no revoking until the integration has the new key.
        next_screen(driver, "CR-5 of 6")
        fields = driver.execute_script(
            "return [...document.querySelectorAll('[data-testid=handoff-fields] > li')].map(li => li.dataset.label)"
        )
        assert text_of(driver, f"handoff-{fields.index('Certificate ID')}-value") == new_id
        changes = handoff_changes(driver)
        assert changes["Certificate ID"] == changes["Private key"] == "New", changes
        assert changes["Client ID"] == changes["Algorithm"] == "Unchanged", changes
        assert client_id not in driver.page_source
        assert "new private key" in footer_blocked(driver)
        tick_all(driver)
        shots("CR-5")

        # Revoke: the old mapping by its Certificate ID; the old key shown still accepted, then refused.
        next_screen(driver, "CR-6 of 6")
        assert OLD_ID in text_of(driver, "revoke-old") and new_id in text_of(driver, "revoke-new")
        if not by_api:
            click(driver, "revoke-check")
            wait_until(driver, lambda d: "still accepts" in text_of(d, "revoke-check-result"), 60,
                       "the old key's check did not say it still works")
            assert token_kids(rig)[-1] == OLD_ID
            assert "Revoke" in footer_blocked(driver)
            rig.standin.revoke_m2m_certificate(OLD_ID)
            tick_all(driver)
        else:
            # A mapping someone made for the same role and user, that nobody revokes: listed afterwards.
            extra_key = ec.generate_private_key(ec.SECP256R1())
            extra_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "extra")])
            now = datetime.datetime.now(datetime.timezone.utc)
            extra = (x509.CertificateBuilder().subject_name(extra_name).issuer_name(extra_name)
                     .public_key(extra_key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(now - datetime.timedelta(days=1))
                     .not_valid_after(now + datetime.timedelta(days=300)).sign(extra_key, hashes.SHA256()))
            rig.standin.add_m2m_certificate("CERT-EXTRA", extra.public_bytes(serialization.Encoding.PEM).decode(),
                                            client_id)
            # Asked first, naming the mapping; "Keep it for now" sends nothing.
            click(driver, "revoke-api")
            dialog = wait_testid(driver, "confirm-revoke")
            assert OLD_ID in dialog.text, dialog.text
            shots("CR-6-revoke-confirm")
            click(driver, "dialog-cancel")
            assert not [r for r in rig.standin.api_requests() if "revoke" in str(r.get("outcome", ""))]
            click(driver, "revoke-api")
            wait_testid(driver, "confirm-revoke")
            click(driver, "dialog-confirm")
            wait_until(driver, lambda d: exists(d, "revoke-api-message"), 60, "the revoke never answered")
            assert "revoked the old mapping" in text_of(driver, "revoke-api-message")
            assert focused(driver) == "revoke-api-message", "focus follows the button that went"
            revokes = [r["outcome"] for r in rig.standin.api_requests() if str(r.get("outcome", "")).startswith("certapi:revoked")]
            assert revokes == [f"certapi:revoked:{OLD_ID}"], revokes
            assert not exists(driver, "revoke-api"), "the revoke is done: the button goes"
            # NetSuite's list after the revoke: the mapping in use and the forgotten one, not the old one.
            left = text_of(driver, "revoke-still-active")
            assert "CERT-EXTRA" in left and OLD_ID not in left and "2 active mappings" in left, left
            assert find(driver, "continue").is_enabled(), "the API's revoke ticks the step"
        click(driver, "revoke-check")
        wait_until(driver, lambda d: f"refused the old key for mapping {OLD_ID}" in text_of(d, "revoke-check-result"), 60,
                   "the revoked mapping's key was not shown refused")
        shots("CR-6")

        click(driver, "continue")  # Finish
        wait_testid(driver, card, 20)
        cert = text_of(driver, f"{card}-certificate")
        assert "days left" in cert and ("729" in cert or "730" in cert), cert
        assert not exists(driver, f"{card}-hint"), text_of(driver, f"{card}-hint")
        if not dark:
            click(driver, f"{card}-test")
            wait_until(driver, lambda d: exists(d, f"{card}-latest"), 60, "Test now never answered")
            assert "note-ok" in (driver.find_element("css selector", f'[data-testid="{card}-latest"]')
                                 .get_attribute("class") or "")
            assert token_kids(rig)[-1] == NEW_ID
        shots("home-after", at=card)
