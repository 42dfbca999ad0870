"""OAuth 2.0 client credentials (M2M) connections on the home screen: made with the command line, shown
with their certificate's end (warned from 60 days before), tested by "Test now" against the stand-in,
whose token endpoint checks the assertion with PyJWT against the uploaded certificate, and never
offered the TBA journeys (replace token, reset consumer key); hand off again and Renew now are theirs."""
from __future__ import annotations

import json
import secrets as pysecrets

from conftest import REALM, WizardRig
from e2e_support import Shots, click, exists, text_of, wait_testid, wait_until
from test_celigo_rotation import cli

M2M_NAME = "Warehouse sync"
SOON_NAME = "Reports export"


def made(rig: WizardRig, name: str, days: int, certificate_id: str, client_id: str) -> str:
    """An M2M connection as an admin makes it from a terminal: key and certificate, the stand-in's mapping
    of that certificate, then the Certificate ID and Client ID saved."""
    out = rig.root / f"{certificate_id}.pem"
    run = cli(rig, "m2m", "new", name, "--account", REALM, "--days", str(days), "--certificate-out", str(out),
              "--json")
    assert run.returncode == 0, run.stderr
    conn_id = json.loads(run.stdout)["id"]
    rig.standin.add_m2m_certificate(certificate_id, out.read_text(), client_id)
    run = cli(rig, "m2m", "set", name, "--certificate-id", certificate_id, "--credentials-stdin",
              stdin=json.dumps({"client_id": client_id}))
    assert run.returncode == 0, run.stderr
    return conn_id


def note_class(driver, testid: str) -> str:
    return driver.find_element("css selector", f'[data-testid="{testid}"]').get_attribute("class") or ""


def card(driver, conn_id: str) -> str:
    wait_testid(driver, "home-cards")
    return f"card-{conn_id}"


def test_m2m_cards_show_the_certificate_and_test_now_works(wizard_rig):
    for dark in (False, True):
        with wizard_rig("m2m-home-dark" if dark else "m2m-home", dark=dark) as rig:
            client_id = pysecrets.token_hex(32)
            rig.standin.add_m2m_client(client_id)
            rig.watch([client_id])
            fresh = made(rig, M2M_NAME, 730, "CERT-FRESH", client_id)
            soon = made(rig, SOON_NAME, 30, "CERT-SOON", client_id)
            # A TBA connection of an own integration beside them: its card says how it moves.
            run = cli(rig, "connections", "add", "Legacy sync", "--account", REALM, "--profile", "own",
                      "--credentials-stdin", "--json", stdin=json.dumps(rig.creds))
            assert run.returncode == 0, run.stderr
            legacy = json.loads(run.stdout)["id"]
            with rig.session() as driver:
                shots = Shots(driver, "m2m-home-dark" if dark else "m2m-home", [client_id], read_text=False)  # no leak check of its own (test_window_trace_m2m makes M2M's)
                fresh_card, soon_card = card(driver, fresh), card(driver, soon)
                wait_testid(driver, fresh_card)
                cert = text_of(driver, f"{fresh_card}-certificate")
                assert "ES256" in cert and "days left" in cert, cert
                assert not exists(driver, f"{fresh_card}-token"), "an M2M card has no token row"
                # The TBA journeys do not apply to a key and certificate; handing the values over again does.
                for action in ("rotate", "rotate-consumer"):
                    assert not exists(driver, f"{fresh_card}-{action}"), action
                assert exists(driver, f"{fresh_card}-handoff") and exists(driver, f"{fresh_card}-renew")
                assert not exists(driver, f"{fresh_card}-missing")
                assert not exists(driver, f"{fresh_card}-move"), "an OAuth 2.0 card has nothing to move"
                assert not exists(driver, f"{fresh_card}-hint"), text_of(driver, f"{fresh_card}-hint")
                # 30 days left: said in words, with what to do, before anything is clicked.
                hint = text_of(driver, f"{soon_card}-hint")
                assert "expires on" in hint and "Replace certificate" in hint, hint
                assert "(29 days left)" in text_of(driver, f"{soon_card}-certificate") or "(30 days left)" in text_of(
                    driver, f"{soon_card}-certificate"
                )
                shots("home")
                # What needs a person comes first, and is said in one line above the cards.
                order = driver.execute_script(
                    "return [...document.querySelectorAll('[data-testid=home-cards] > li > article')]"
                    ".map(a => a.dataset.testid)")
                assert order[0] == soon_card, order
                summary = text_of(driver, "home-summary")
                assert summary in ("Needs attention: 1 certificate expires in 29 days.",
                                   "Needs attention: 1 certificate expires in 30 days."), summary
                # The TBA card: folded to one line, the command to paste under it.
                legacy_card = card(driver, legacy)
                assert text_of(driver, f"{legacy_card}-move").startswith("Move to OAuth 2.0 before TBA ends")
                click(driver, f"{legacy_card}-move")  # the summary: the whole closed element is its line
                wait_until(driver, lambda d: d.execute_script(
                    "return document.querySelector(`[data-testid='${arguments[0]}']`).open", f"{legacy_card}-move"))
                move = text_of(driver, f"{legacy_card}-move")
                assert "2027.1" in move and "tba-wizard-cli migrate 'Legacy sync' --certificate-out " \
                    "legacy-sync-oauth2.pem" in move, move
                shots("home-move", at=f"{legacy_card}-move")

                if not dark:
                    tokens_before = len([a for a in rig.standin.audit() if "oauth2/v1/token" in str(a.get("url"))])
                    click(driver, f"{fresh_card}-test")
                    wait_until(driver, lambda d: exists(d, f"{fresh_card}-latest"), 60, "the M2M test never answered")
                    latest = text_of(driver, f"{fresh_card}-latest")
                    assert "note-ok" in note_class(driver, f"{fresh_card}-latest"), latest
                    tokens_after = [a for a in rig.standin.audit() if "oauth2/v1/token" in str(a.get("url"))]
                    assert len(tokens_after) == tokens_before + 1, "Test now asked for a token once"
                    shots("home-tested")

                    # The mapping revoked in NetSuite: Test now says it is refused, with a cause.
                    rig.standin.revoke_m2m_certificate("CERT-FRESH")
                    click(driver, f"{fresh_card}-test")
                    wait_until(
                        driver,
                        lambda d: exists(d, f"{fresh_card}-latest")
                        and "note-error" in note_class(d, f"{fresh_card}-latest"),
                        60,
                        "a revoked certificate was not reported",
                    )
                    shots("home-refused")
                    order = driver.execute_script(
                        "return [...document.querySelectorAll('[data-testid=home-cards] > li > article')]"
                        ".map(a => a.dataset.testid)")
                    assert order[0] == fresh_card, f"the failed card comes first: {order}"
                    assert "1 connection failed its last test" in text_of(driver, "home-summary")
