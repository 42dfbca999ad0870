"""The window at its most detailed logging leaks nothing: an AfterShip setup with RUST_LOG=trace (every
crate: Tauri's IPC, WebKit's glue, the keyring's D-Bus layer, the HTTP client) captures all four values,
one of them typed into the window (so it crosses the IPC bridge), and runs the signed test; then the log
file, standard error (in the driver's log) and everything else check_leaks reads are searched for every
form of the secrets (tests/leakscan.py).

The app reads its log level from RUST_LOG (src-tauri/src/logging.rs, both the file and standard error).
"""

from __future__ import annotations

from conftest import REALM
from e2e_support import enabled, Shots, click, find, text_of, tick_all, type_into, wait_progress, wait_text
from test_wizard_flows import check_leaks, choose, enter_account, next_screen, paste, run_test


def test_window_at_trace_level_logs_no_secret(wizard_rig):
    with wizard_rig("trace", extra_env={"RUST_LOG": "trace"}) as rig, rig.session() as driver:
        creds = rig.creds
        secrets = list(creds.values())
        shots = Shots(driver, "trace", secrets)
        choose(driver, "aftership")
        wait_progress(driver, "AS-1 of 5")
        enter_account(driver, REALM, REALM)
        tick_all(driver)
        next_screen(driver, "AS-2 of 5")
        tick_all(driver)
        next_screen(driver, "AS-3 of 5")
        tick_all(driver)
        paste(driver, "consumer_key", creds["consumer_key"])
        click(driver, "type-consumer_secret-toggle")
        type_into(driver, "type-consumer_secret-input", creds["consumer_secret"])
        click(driver, "type-consumer_secret-save")
        wait_text(driver, "capture-consumer_secret-status", "Saved to the keyring")
        shots("AS-3-saved", at="captures")
        next_screen(driver, "AS-4 of 5")
        tick_all(driver)
        next_screen(driver, "AS-5 of 5")
        tick_all(driver)
        paste(driver, "token_id", creds["token_id"])
        paste(driver, "token_secret", creds["token_secret"])
        next_screen(driver, "AS · test")
        run_test(driver)
        assert enabled(find(driver, "continue")), text_of(driver, "test-outcome")
        shots("test-passed")

        logs = sorted((rig.root / "logs").glob("tba-wizard*.log"))
        logged = "\n".join(f.read_text(errors="replace") for f in logs)
        # The level really was trace, in the file and on standard error, and the keyring's D-Bus layer
        # and the HTTP client really logged (else finding nothing would prove nothing).
        assert " TRACE " in logged, "the log file holds no trace-level line: RUST_LOG=trace was not honoured"
        assert " TRACE " in rig.driver_log.read_text(errors="replace"), \
            "standard error (in the driver's log) holds no trace-level line"
        assert "zbus" in logged, "the keyring's D-Bus layer logged nothing at trace level"
        assert "hyper" in logged or "reqwest" in logged, "the HTTP client logged nothing at trace level"
        check_leaks(rig, shots, secrets)
