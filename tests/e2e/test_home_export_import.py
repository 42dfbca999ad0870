"""Moving saved connections to another computer from the window: "Export connections…" and "Import
connections…" on the home screen, through the system's real save and open dialogs (GTK's own chooser,
opened by Rust in the app's process: the window has no file permission), driven with xdotool under Xvfb.
The export holds names, accounts and fingerprints, never a secret, and is readable by the user only; an
imported connection is shown with its values missing; a file holding anything shaped like a secret
imports nothing; a connection saved already is skipped; closing a dialog does nothing and says so."""
from __future__ import annotations

import json
import os
import secrets as pysecrets
import subprocess

from conftest import REALM, new_credentials
from e2e_support import Shots, click, enabled, find, text_of, wait_testid, wait_until
from test_m2m_import_files import choose_file
from test_m2m_save_as import dialog_window, focus, mode, process_name, type_path, wait_gone, xdotool
from test_returning_admin import cli, save_connection
from test_wizard_flows import check_leaks

EXPORT_TITLE = "Export saved connections"
IMPORT_TITLE = "Import saved connections"


def status(driver, kind: str, timeout: float = 20) -> str:
    """The home screen's status line once it is of `kind` ("ok", "info", "error")."""
    return wait_until(
        driver,
        lambda d: (e := d.find_elements("css selector", '[data-testid="home-status"]'))
        and f"note-{kind}" in (e[0].get_attribute("class") or "") and e[0].text,
        timeout,
        f"no {kind} status on the home screen",
    )


def open_dialog(driver, testid: str, title: str) -> str:
    click(driver, testid)
    window = dialog_window(title=title)
    assert process_name(window) == "tba-wizard", "the dialog is not the app's own GTK chooser"
    return window


def labels(driver) -> list[str]:
    cards = wait_testid(driver, "home-cards").find_elements("css selector", "article.home-card")
    return [text_of(driver, f"{c.get_attribute('data-testid')}-label") for c in cards]


def card_of(driver, label: str) -> str:
    for c in wait_testid(driver, "home-cards").find_elements("css selector", "article.home-card"):
        testid = c.get_attribute("data-testid")
        if text_of(driver, f"{testid}-label") == label:
            return testid
    raise AssertionError(f"no card for {label!r}: {labels(driver)}")


def test_export_and_import_through_the_real_dialogs(wizard_rig, tmp_path):
    env = {"TBA_WIZARD_DOWNLOAD_DIR": str(tmp_path / "downloads"), "GTK_USE_PORTAL": "0"}
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    with wizard_rig("home-moving", extra_env=env) as rig:
        save_connection(rig)
        # Another computer's connection, exported there with the command line. Removed there afterwards:
        # this machine's keyring stands in for both, and the other one's values must not be found here.
        elsewhere = tmp_path / "elsewhere"
        other_env = {**os.environ, "TBA_WIZARD_CONFIG_DIR": str(elsewhere)}
        other_creds = new_credentials()
        for args, stdin in ((["connections", "add", "Warehouse", "--account", REALM, "--profile", "own",
                              "--credentials-stdin"], json.dumps(other_creds)),
                            (["connections", "export", str(chosen / "from-elsewhere.json")], None),
                            (["connections", "remove", "Warehouse"], None)):
            run = subprocess.run([str(rig.app), *args], input=stdin, capture_output=True, text=True, env=other_env,
                                 timeout=60)
            assert run.returncode == 0, run.stderr
        secrets = [*rig.creds.values(), *other_creds.values()]
        rig.watch(secrets)
        with rig.session() as driver:
            shots = Shots(driver, "home-moving", secrets)
            wait_testid(driver, "home-title")
            assert labels(driver) == ["AfterShip store"]
            shots("home")

            # Closed without a file: nothing written, said calmly.
            window = open_dialog(driver, "home-export", EXPORT_TITLE)
            assert not enabled(find(driver, "home-import")), "no second dialog while one is open"
            focus(window)
            xdotool("key", "Escape")
            wait_gone(window, title=EXPORT_TITLE)
            assert "closed without choosing a file" in status(driver, "info")
            assert sorted(p.name for p in chosen.iterdir()) == ["from-elsewhere.json"]

            # A full path typed into the save dialog: the records, no secret, for the user only.
            exported = chosen / "moving.json"
            window = open_dialog(driver, "home-export", EXPORT_TITLE)
            type_path(window, exported)
            wait_gone(window, title=EXPORT_TITLE)
            said = status(driver, "ok")
            assert str(exported) in said and "Exported 1 connection to" in said and "no secret" in said, said
            doc = json.loads(exported.read_text())
            assert doc["format"] == "tba-wizard-connections"
            assert [c["label"] for c in doc["connections"]] == ["AfterShip store"]
            assert not any(s in exported.read_text() for s in secrets), "a secret reached the export"
            assert mode(exported) == 0o600, oct(mode(exported))
            shots("exported", at="home-status")

            # A file with something shaped like a secret in it: nothing imported, and no secret repeated.
            tampered = chosen / "tampered.json"
            doc["connections"][0]["token_name"] = pysecrets.token_hex(32)
            tampered.write_text(json.dumps(doc))
            window = open_dialog(driver, "home-import", IMPORT_TITLE)
            choose_file(window, tampered)
            wait_gone(window, title=IMPORT_TITLE)
            said = status(driver, "error")
            assert "shaped like a secret" in said and "Export connections…" in said, said
            assert doc["connections"][0]["token_name"] not in said and "`" not in said, said
            assert labels(driver) == ["AfterShip store"]
            shots("import-refused", at="home-status")

            # The other computer's export: its connection arrives with its values missing.
            window = open_dialog(driver, "home-import", IMPORT_TITLE)
            choose_file(window, chosen / "from-elsewhere.json")
            wait_gone(window, title=IMPORT_TITLE)
            said = status(driver, "ok")
            assert "Imported “Warehouse”" in said and "not in this computer's keyring" in said, said
            assert sorted(labels(driver)) == ["AfterShip store", "Warehouse"]
            warehouse = card_of(driver, "Warehouse")
            assert "Missing from the keyring" in text_of(driver, f"{warehouse}-missing")
            assert not find(driver, f"{warehouse}-test").is_enabled(), "nothing to sign with: no Test now"
            shots("imported", at=warehouse)

            # Its own export again: the connection is saved already, so it is skipped, not doubled.
            window = open_dialog(driver, "home-import", IMPORT_TITLE)
            choose_file(window, exported)
            wait_gone(window, title=IMPORT_TITLE)
            said = status(driver, "ok")
            assert "Nothing was imported" in said and "“AfterShip store”" in said, said
            assert sorted(labels(driver)) == ["AfterShip store", "Warehouse"]

            listed = cli(rig, "connections", "list", "--json")
            assert listed.returncode == 0, listed.stderr
            assert sorted(c["label"] for c in json.loads(listed.stdout)["connections"]) == ["AfterShip store", "Warehouse"]
            check_leaks(rig, shots, secrets)
