"""The window killed during a certificate replacement's "Use the new key", with the real keyring: the app
aborts at a fail point of the keyring's promotion (before its write, or after it and before anything else
was saved), as a power cut or a kill -9 would stop it. Right after, the command line's test of the
connection passes with the old key or the new one, never neither; reopened, the window goes on from where
it was (the promotion finished, or still to do) and ends with the new key in use."""
from __future__ import annotations

import contextlib
import json
import os
import secrets as pysecrets
import signal
import subprocess
import time

import pytest
from selenium.common.exceptions import WebDriverException

from e2e_support import click, text_of, wait_progress, wait_testid, wait_text
from test_celigo_rotation import cli
from test_m2m_home import made
from test_m2m_import import save_certificate_id
from test_m2m_replace import token_kids
from test_wizard_flows import next_screen, run_test

OLD_ID = "CERT-CRASH-OLD"
NEW_ID = "CERT-CRASH-NEW"
NAME = "Nightly export"


def cli_test(rig) -> str:
    """The command line's test of the connection; the Certificate ID the stand-in saw signing."""
    run = cli(rig, "test", "--connection", NAME, "--base-url", rig.standin.base_url, "--json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout)["outcome"] == "success"
    return token_kids(rig)[-1]


def to_new_key(driver, card: str) -> None:
    """From the home card to CR-3, the new key made."""
    wait_testid(driver, card)
    click(driver, f"{card}-replace-certificate")
    wait_progress(driver, "CR-1 of 6")
    next_screen(driver, "CR-2 of 6")
    click(driver, "key-make")
    wait_testid(driver, "key-certificate-fingerprint", 60)
    next_screen(driver, "CR-3 of 6")


def wait_dead(driver, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            driver.execute_script("return 1")
        except WebDriverException:
            return
        time.sleep(0.3)
    raise AssertionError("the app did not stop at the fail point")


@pytest.mark.parametrize("point", ["promote.before_write", "promote.after_write"])
def test_use_the_new_key_cut_short_leaves_a_working_key(wizard_rig, tmp_path, point):
    fail_file = tmp_path / "fail-point"
    downloads = tmp_path / "downloads"
    env = {"TBA_WIZARD_DOWNLOAD_DIR": str(downloads), "TBA_WIZARD_FAIL_POINT_FILE": str(fail_file)}
    with wizard_rig(f"m2m-crash-{point}", extra_env=env) as rig:
        client_id = pysecrets.token_hex(32)
        rig.standin.add_m2m_client(client_id)
        conn = made(rig, NAME, 30, OLD_ID, client_id)
        card = f"card-{conn}"

        session = rig.session()
        driver = session.__enter__()
        try:
            to_new_key(driver, card)
            pem = next(p for p in downloads.iterdir() if "certificate" in p.name).read_text()
            rig.standin.add_m2m_certificate(NEW_ID, pem, client_id)
            save_certificate_id(driver, NEW_ID)
            next_screen(driver, "CR-4 of 6")
            run_test(driver)
            assert text_of(driver, "result-title") == "It works", text_of(driver, "test-outcome")
            assert text_of(driver, "continue") == "Use the new key"
            fail_file.write_text(point)
            click(driver, "continue")
            wait_dead(driver)
        finally:
            with contextlib.suppress(Exception):
                session.__exit__(None, None, None)
        fail_file.unlink()

        # Right after the crash: the connection works, with the key the keyring holds as active.
        written = point == "promote.after_write"
        assert cli_test(rig) == (NEW_ID if written else OLD_ID)

        # Reopened: the window goes on, and the replacement ends with the new key in use.
        with rig.session() as driver:
            if not written:
                wait_progress(driver, "CR-4 of 6", 30)
                run_test(driver)
                assert text_of(driver, "continue") == "Use the new key"
                click(driver, "continue")
            wait_progress(driver, "CR-5 of 6", 30)
        assert cli_test(rig) == NEW_ID


def new_mappings(rig, client_id: str) -> list[str]:
    """The stand-in's mappings of this integration other than the old one, revoked or not."""
    return [cid for cid, m in list(rig.standin.m2m_certificates.items())
            if m["client_id"] == client_id and cid != OLD_ID]


def app_pid(rig) -> int:
    """The window this rig's session opened: the tba-wizard process started with the rig's config folder
    (the test command runs two halves of the tests at once, so the newest tba-wizard may be another's)."""
    marker = f"TBA_WIZARD_CONFIG_DIR={rig.config_dir}".encode()
    found = subprocess.run(["pgrep", "-x", "tba-wizard"], capture_output=True, text=True, timeout=10)
    ours = []
    for pid in map(int, found.stdout.split()):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if marker in f.read().split(b"\0"):
                    ours.append(pid)
        except OSError:
            pass   # gone meanwhile
    assert len(ours) == 1, f"tba-wizard processes of this rig: {ours}"
    return ours[0]


def test_an_upload_whose_answer_was_lost_is_not_made_twice(wizard_rig, tmp_path):
    """NetSuite makes the mapping, but the window is killed before its answer arrives. Reopened, "Upload it
    for me" lists first and keeps the mapping the lost answer would have named: one new mapping, one
    upload request."""
    downloads = tmp_path / "downloads"
    with wizard_rig("m2m-upload-lost", extra_env={"TBA_WIZARD_DOWNLOAD_DIR": str(downloads)}) as rig:
        client_id = pysecrets.token_hex(32)
        rig.standin.add_m2m_client(client_id, manage_certificates=True)
        conn = made(rig, NAME, 30, OLD_ID, client_id)
        card = f"card-{conn}"
        rig.standin.certificate_upload_delay_seconds = 8
        session = rig.session()
        driver = session.__enter__()
        try:
            to_new_key(driver, card)
            pid = app_pid(rig)
            click(driver, "certificate-id-api")
            # The stand-in makes the mapping at once and answers 8 s later: the window dies in between.
            deadline = time.monotonic() + 30
            while not new_mappings(rig, client_id):
                assert time.monotonic() < deadline, "the upload was never sent"
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)
            wait_dead(driver)
        finally:
            with contextlib.suppress(Exception):
                session.__exit__(None, None, None)
        [made_id] = new_mappings(rig, client_id)
        # The late answer goes to a closed connection; later uploads are answered at once.
        time.sleep(8.5)
        rig.standin.certificate_upload_delay_seconds = 0

        with rig.session() as driver:
            wait_progress(driver, "CR-3 of 6", 30)
            click(driver, "certificate-id-api")
            wait_text(driver, "certificate-id-status", f"Saved: {made_id}", 60)
        assert new_mappings(rig, client_id) == [made_id], "a second mapping was made"
        posts = [r for r in rig.standin.api_requests()
                 if r.get("method") == "POST" and str(r.get("path", "")).endswith("/certificates")]
        assert len(posts) <= 1, posts
