"""A promotion cut short at any point leaves one complete, working active set in the real keyring.

`TBA_WIZARD_FAIL_POINT=<point>` makes `connections promote` abort (SIGABRT) at that point:

  promote.before_write   nothing written yet          -> active = A, the staged B is still pending
  promote.after_write    active item replaced by A+B  -> active = B, pending item left behind
  promote.after_delete   pending item deleted too     -> active = B (only the file is behind)

Commands that load a connection (`list`, `test --connection`, `promote`) finish an interrupted promote:
a pending set already equal to the active one is deleted and the file's fingerprints are fixed. Each
case is run with each of those commands as the first one after the crash. A pending set that differs
from the active one (before_write) is a rotation still under way: it must be kept, and a new
`promote` must finish it.
"""
from __future__ import annotations

import pytest

import vault_support as vs
from vault_support import SIGABRT_CODES, active_name, as_values, fingerprints, keyring_items, keyring_set, \
    pending_name, pending_of, unique_name

FAIL_POINTS = ("promote.before_write", "promote.after_write", "promote.after_delete")
WRITTEN = {"promote.before_write": False, "promote.after_write": True, "promote.after_delete": True}


def accepted_token(standin):
    wins = [a for a in standin.audit() if a["status"] == "Success"]
    return wins[-1]["token_id"] if wins else None


def one_complete_active_set(conn_id: str) -> dict:
    items = keyring_items(active_name(conn_id))
    assert len(items) == 1, f"expected exactly one active keyring item, found {len(items)}"
    values = as_values(keyring_set(active_name(conn_id)))
    assert set(values) == set(vs.FIELDS), f"the active set is incomplete: has only {sorted(values)}"
    return values


@pytest.mark.parametrize("first_command", ["list", "test", "promote"])
@pytest.mark.parametrize("fail_point", FAIL_POINTS)
def test_promote_cut_short(wizard, creds, standin, fail_point, first_command):
    name = unique_name("crash")
    token_b = vs.fresh_token()
    standin.add_credentials(creds["consumer_key"], creds["consumer_secret"], token_b["token_id"],
                            token_b["token_secret"])
    wizard.add(name, creds)
    conn_id = wizard.connection(name)["id"]
    wizard.stage(name, token_b)
    set_a, set_b = creds, dict(creds, **token_b)

    crashed = wizard.promote(name, expect=None, env={"TBA_WIZARD_FAIL_POINT": fail_point})
    assert crashed.returncode in SIGABRT_CODES, \
        f"promote with TBA_WIZARD_FAIL_POINT={fail_point} should die by SIGABRT:\n{crashed}"

    # Right after the crash, before anything repairs it: one complete active set, old or new.
    expected = set_b if WRITTEN[fail_point] else set_a
    active = one_complete_active_set(conn_id)
    assert active == expected, (f"after a crash at {fail_point} the active set should be "
                                f"{'B' if WRITTEN[fail_point] else 'A'}: {fingerprints(active)}")
    pending_left = keyring_set(pending_name(conn_id))
    if fail_point == "promote.after_delete":
        assert pending_left is None, "the pending item was deleted before this point"
    else:
        assert as_values(pending_left) == token_b, "the staged token must still be pending at this point"

    # The first command that loads the connection finishes (or keeps) the promotion.
    if first_command == "list":
        wizard.list()
    elif first_command == "test":
        wizard.test(name, standin, expect=0)
        assert accepted_token(standin) == expected["token_id"], \
            "the first test after the crash used another token than the active one"
    else:
        # before_write: the rotation is still staged, so promote finishes it. Otherwise nothing is
        # left to promote once the interrupted promotion has been completed (0 or a clear refusal).
        run = wizard.promote(name, expect=0 if not WRITTEN[fail_point] else (0, 2))
        if run.returncode:
            assert run.stderr.strip(), run
        expected = set_b

    conn = wizard.connection(name)
    active = one_complete_active_set(conn_id)
    assert active == expected, f"active set after recovery: {fingerprints(active)}, expected {fingerprints(expected)}"
    assert conn["fingerprints"] == fingerprints(expected), \
        f"the file's fingerprints were not brought in line with the keyring after {fail_point}: {conn}"
    if expected is set_b:
        assert keyring_items(pending_name(conn_id)) == [], \
            f"a pending set equal to the active one must be deleted by `{first_command}` after {fail_point}"
        assert pending_of(conn) == {}, conn
    else:
        assert as_values(keyring_set(pending_name(conn_id))) == token_b, \
            "a staged rotation that was never written must be kept"
        assert pending_of(conn) == fingerprints(token_b), conn
        # ... and a new promote finishes it.
        wizard.promote(name)
        expected = set_b
        assert one_complete_active_set(conn_id) == set_b
        assert keyring_items(pending_name(conn_id)) == []

    standin.reset()
    wizard.test(name, standin, expect=0)
    assert accepted_token(standin) == expected["token_id"], \
        f"the stand-in should have accepted token {'B' if expected is set_b else 'A'}: {standin.audit()}"
    assert wizard.connection(name)["fingerprints"] == fingerprints(expected)
