"""A secret pasted into a free-text field is refused without being echoed, and the field is emptied,
so it never stays on a screen that may be shared. (That a Paste the keyring cannot keep leaves the value
on the clipboard is tested with the real clipboard in src-tauri/engine/tests/clipboard.rs.)"""

from __future__ import annotations

import secrets as pysecrets

from e2e_support import (
    assert_no_secret_in_dom,
    click,
    text_of,
    type_into,
    wait_progress,
    wait_until,
)
from test_wizard_flows import choose


def test_a_secret_typed_into_the_account_field_is_refused_and_cleared(wizard_rig):
    with wizard_rig("secret-in-account") as rig, rig.session() as driver:
        pasted = pysecrets.token_hex(32)
        choose(driver, "aftership")
        wait_progress(driver, "AS-1 of 5")
        type_into(driver, "account-input", pasted)
        click(driver, "account-submit")
        wait_until(driver, lambda d: "looks like a key or token value" in text_of(d, "account-error"), 10,
                   f"not refused (last: {text_of(driver, 'account-error')!r})")
        wait_until(driver, lambda d: d.find_element("css selector", '[data-testid="account-input"]')
                   .get_attribute("value") == "", 5, "the field still holds the secret")
        assert_no_secret_in_dom(driver, [pasted], "after the refusal")
        assert not list(rig.config_dir.glob("connections.json")) or pasted[:16] not in (
            rig.config_dir / "connections.json").read_text()
