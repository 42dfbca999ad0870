"""Renew now on an OAuth 2.0 connection's home card: asked first, each step shown as Rust tells it, the
certificate renewed through the stand-in's certificate endpoint (the old mapping revoked, the new key
working), then the new key handed over from the card. Where the role may not use the endpoint, nothing
changes, the card says to use Replace certificate, and that journey can begin at once."""
from __future__ import annotations

import json
import secrets as pysecrets

from conftest import REALM
from e2e_support import Shots, click, exists, find, text_of, wait_testid, wait_until
from test_celigo_rotation import cli
from test_m2m_home import card, made, note_class


def active_mappings(standin, client_id: str) -> list[str]:
    return sorted(cid for cid, c in standin.m2m_certificates.items() if c["client_id"] == client_id
                  and not c["revoked"])


def record(rig, conn_id: str) -> dict:
    run = cli(rig, "connections", "list", "--json")
    assert run.returncode == 0, run.stderr
    return next(c for c in json.loads(run.stdout)["connections"] if c["id"] == conn_id)


def renew(driver, c: str) -> None:
    click(driver, f"{c}-renew")
    wait_testid(driver, "confirm-renew")
    click(driver, "dialog-confirm")


def test_renew_now_renews_shows_each_step_and_hands_the_new_key_over(wizard_rig):
    with wizard_rig("m2m-renew") as rig:
        client_id = pysecrets.token_hex(32)
        rig.standin.add_m2m_client(client_id, manage_certificates=True)
        rig.watch([client_id])
        conn = made(rig, "Warehouse sync", 20, "CERT-OLD", client_id)
        with rig.session() as driver:
            shots = Shots(driver, "m2m-renew", [client_id])
            c = card(driver, conn)
            wait_testid(driver, f"{c}-renew")
            assert text_of(driver, f"{c}-renew") == "Renew now"
            click(driver, f"{c}-renew")
            wait_testid(driver, "confirm-renew")
            ask = text_of(driver, "confirm-renew")
            assert "revokes the old mapping" in ask and "hand the new key over" in ask, ask
            shots("confirm")
            click(driver, "dialog-cancel")
            wait_until(driver, lambda d: not exists(d, "confirm-renew"), 5)
            assert active_mappings(rig.standin, client_id) == ["CERT-OLD"], "Not now changed nothing"

            # Every call held by the stand-in: the card names the step the renewal waits on.
            rig.standin.set_fault("hold")
            try:
                renew(driver, c)
                wait_until(driver, lambda d: exists(d, f"{c}-renewing")
                           and "Uploading the new certificate" in text_of(d, f"{c}-renewing"), 30,
                           "the renewal's step was not shown while NetSuite held the upload")
                assert text_of(driver, f"{c}-renew") == "Renewing…"
                assert not find(driver, f"{c}-test").is_enabled(), "no test while the key is being changed"
                shots("uploading")
            finally:
                rig.standin.clear_faults()
                rig.standin.release_held()
            wait_until(driver, lambda d: exists(d, f"{c}-renewal"), 90, "the renewal never ended")
            note = text_of(driver, f"{c}-renewal")
            assert note.startswith("Renewed"), note
            assert "note-ok" in note_class(driver, f"{c}-renewal")
            [new_id] = active_mappings(rig.standin, client_id)
            assert new_id != "CERT-OLD" and rig.standin.m2m_certificates["CERT-OLD"]["revoked"]
            after = record(rig, conn)
            assert after["certificate"]["certificate_id"] == new_id, after
            assert after["pending_certificate"] is None
            assert "(729 days left)" in text_of(driver, f"{c}-certificate") or "(730 days left)" in text_of(
                driver, f"{c}-certificate")
            # Focus lands on the way to hand the new key over.
            wait_until(driver, lambda d: d.execute_script(
                "return document.activeElement?.dataset.testid") == f"{c}-renewal-handoff", 5)
            shots("renewed", at=c)
            driver.set_window_size(800, 600)
            shots("renewed-800x600", at=f"{c}-renewal")
            driver.set_window_size(1280, 800)

            # The new key works with Test now.
            click(driver, f"{c}-test")
            wait_until(driver, lambda d: exists(d, f"{c}-latest"), 60, "the test never answered")
            assert "note-ok" in note_class(driver, f"{c}-latest"), text_of(driver, f"{c}-latest")

            # Hand it over: the hand-off gives the new Certificate ID and offers the key's export.
            click(driver, f"{c}-renewal-handoff")
            wait_testid(driver, "handoff-fields")
            fields = driver.execute_script(
                "return [...document.querySelectorAll('[data-testid=handoff-fields] > li')].map(li => li.dataset.label)"
            )
            assert text_of(driver, f"handoff-{fields.index('Certificate ID')}-value") == new_id
            assert find(driver, "handoff-export-key").is_enabled()
            assert client_id not in driver.page_source
            shots("handoff")
        assert [] == [p for p, text in shots.ocr_results() if client_id[:16] in text]


def test_renew_now_where_the_endpoint_is_refused_changes_nothing(wizard_rig):
    with wizard_rig("m2m-renew-refused", dark=True) as rig:
        client_id = pysecrets.token_hex(32)
        rig.standin.add_m2m_client(client_id, manage_certificates=False)
        rig.watch([client_id])
        conn = made(rig, "Reports export", 20, "CERT-KEPT", client_id)
        before = record(rig, conn)
        with rig.session() as driver:
            shots = Shots(driver, "m2m-renew-refused", [client_id], read_text=False)  # no value on screen here
            c = card(driver, conn)
            renew(driver, c)
            wait_until(driver, lambda d: exists(d, f"{c}-renewal"), 90, "the renewal never ended")
            note = text_of(driver, f"{c}-renewal")
            assert "Nothing was changed" in note and "Replace certificate" in note, note
            assert "note-warn" in note_class(driver, f"{c}-renewal")
            assert not exists(driver, f"{c}-renewal-handoff")
            shots("refused", at=c)
            assert active_mappings(rig.standin, client_id) == ["CERT-KEPT"]
            after = record(rig, conn)
            assert after["certificate"] == before["certificate"], "the certificate in use is as it was"
            assert after["private_key_fingerprint"] == before["private_key_fingerprint"]
            assert after["pending_certificate"] is None, "the key the endpoint would not take is gone"
            # The staged key was thrown away: the guided replacement begins at once.
            click(driver, f"{c}-replace-certificate")
            wait_testid(driver, "journey-stop")
