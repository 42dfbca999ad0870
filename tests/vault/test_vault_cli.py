"""`tba-wizard connections …` and `test --connection` against the real keyring (gnome-keyring).

Each test has its own config folder and unique connection names; the keyring is the session's one,
inspected from outside with `secret-tool` (items are looked up by their exact `username` attribute,
`connection:<id>` or `connection:<id>:pending`, so other tests' items never get in the way).
Every secret used is registered, so no run may print one (checked on each run and again at the end).
"""
from __future__ import annotations

import json
import re
import secrets
from datetime import datetime

import pytest

import vault_support as vs
from vault_support import (BAD_INPUT, active_name, as_values, fingerprint, fingerprints, keyring_items, keyring_set,
                           pending_name, pending_of, unique_name)

FIELD_LABELS = {"consumer_key": "Consumer Key", "consumer_secret": "Consumer Secret", "token_id": "Token ID",
                "token_secret": "Token Secret"}


def names_field(text: str, field: str) -> bool:
    """Whether a message names a field, by NetSuite's label or by its JSON name."""
    return FIELD_LABELS[field].lower() in text.lower() or field in text


def add_standin_token(standin, creds: dict, token: dict) -> None:
    standin.add_credentials(creds["consumer_key"], creds["consumer_secret"], token["token_id"], token["token_secret"])


def accepted_token(standin) -> str | None:
    """The token ID of the stand-in's last successful login (its Login Audit Trail)."""
    wins = [a for a in standin.audit() if a["status"] == "Success"]
    return wins[-1]["token_id"] if wins else None


def assert_active(conn_id: str, expected: dict) -> None:
    stored = keyring_set(active_name(conn_id))
    assert stored is not None, "the connection's active keyring item is missing"
    assert as_values(stored) == expected, (
        "the active keyring item does not hold the expected set: fingerprints "
        f"{fingerprints(as_values(stored))} != {fingerprints(expected)}")


# ---------------------------------------------------------------- add, list, read back
def test_add_then_list_shows_fingerprints_only(wizard, creds):
    name = unique_name("acme")
    run = wizard.add(name, creds, extra=["--token-name", "Celigo token 2024", "--json"], profile="celigo")
    added = run.json()
    assert added["label"] == name and added["account"] == vs.REALM and added["profile"] == "celigo", added
    assert added["token_name"] == "Celigo token 2024", added
    assert added["fingerprints"] == fingerprints(creds), added

    conns = wizard.list()
    assert [c["label"] for c in conns] == [name]
    conn = conns[0]
    for key in ("id", "label", "account", "environment", "profile", "token_name", "fingerprints", "created_at",
                "updated_at", "last_test"):
        assert key in conn, f"list entry lacks {key!r}: {conn}"
    assert conn["id"] == added["id"] and conn["environment"] == "sandbox", conn
    assert conn["fingerprints"] == fingerprints(creds), "fingerprints are not SHA-256 prefixes of the values"
    assert pending_of(conn) == {} and conn["last_test"] is None, conn

    # In the keyring: exactly one item for the connection, all four values in it, nothing pending.
    assert len(keyring_items(active_name(conn["id"]))) == 1
    assert_active(conn["id"], creds)
    assert keyring_items(pending_name(conn["id"])) == []

    # Nothing secret in the config folder (or anywhere the binary could write), plain list included.
    wizard.run("connections", "list", expect=0)
    assert vs.files_with_leaks(wizard.root, creds.values()) == {}
    assert (wizard.config_dir / "connections.json").is_file()


def test_fresh_process_reads_the_keyring_and_records_last_test(wizard, creds, standin):
    name = unique_name("readback")
    wizard.add(name, creds)
    # A new process, given only the name: the secrets can only have come from the keyring.
    run, report = wizard.test(name, standin, expect=0)
    assert report["outcome"] == "success" and report["http_status"] == 200, run
    assert accepted_token(standin) == creds["token_id"], standin.audit()

    conn = wizard.connection(name)
    last = conn["last_test"]
    assert last and last["outcome"] == "success" and last["http_status"] == 200 and last["error_code"] is None, conn
    datetime.fromisoformat(last["at"].replace("Z", "+00:00"))
    on_disk = json.loads((wizard.config_dir / "connections.json").read_text())
    assert [c["last_test"]["outcome"] for c in on_disk["connections"]] == ["success"]

    # A refusal is recorded too, with NetSuite's status and code.
    standin.revoke_token(creds["token_id"])
    run, report = wizard.test(name, standin, expect=3)
    last = wizard.connection(name)["last_test"]
    assert last["outcome"] == report["outcome"] == "credentials_refused", (last, run)
    assert last["http_status"] == 401 and last["error_code"] == "INVALID_LOGIN", last


def test_unknown_connection_is_bad_input(wizard, standin):
    run, _ = wizard.test(unique_name("nobody"), standin, expect=BAD_INPUT)
    assert run.stderr.strip(), run


# ---------------------------------------------------------------- rotation: stage, test, promote, discard
def test_stage_test_pending_then_promote(wizard, creds, standin):
    name = unique_name("rotate")
    wizard.add(name, creds)
    token_b = vs.fresh_token()
    add_standin_token(standin, creds, token_b)          # NetSuite knows the old and the new token
    wizard.test(name, standin, expect=0)
    before = wizard.connection(name)
    conn_id = before["id"]

    wizard.stage(name, token_b)
    conn = wizard.connection(name)
    assert conn["fingerprints"] == fingerprints(creds), "staging must not touch the active set"
    assert pending_of(conn) == fingerprints(token_b), conn
    assert as_values(keyring_set(pending_name(conn_id))) == token_b
    assert_active(conn_id, creds)

    # --pending signs with the staged token merged over the active consumer pair, and records nothing.
    run, report = wizard.test(name, standin, pending=True, expect=0)
    assert report["outcome"] == "success", run
    assert accepted_token(standin) == token_b["token_id"], standin.audit()
    assert wizard.connection(name)["last_test"] == before["last_test"], "test --pending must not record last_test"
    wizard.test(name, standin, expect=0)
    assert accepted_token(standin) == creds["token_id"], "without --pending the active token is used"

    wizard.promote(name)
    merged = dict(creds, **token_b)
    conn = wizard.connection(name)
    assert conn["fingerprints"] == fingerprints(merged), conn
    assert pending_of(conn) == {}, conn
    assert len(keyring_items(active_name(conn_id))) == 1, "promotion must leave exactly one active item"
    assert_active(conn_id, merged)
    assert keyring_items(pending_name(conn_id)) == [], "the pending item must be deleted after promotion"

    wizard.test(name, standin, expect=0)
    assert accepted_token(standin) == token_b["token_id"]
    assert vs.files_with_leaks(wizard.root) == {}


def test_discard_keeps_the_active_set(wizard, creds, standin):
    name = unique_name("discard")
    wizard.add(name, creds)
    conn_id = wizard.connection(name)["id"]
    token_b = vs.fresh_token()
    wizard.stage(name, token_b)
    assert keyring_set(pending_name(conn_id)) is not None

    wizard.discard(name)
    conn = wizard.connection(name)
    assert pending_of(conn) == {} and conn["fingerprints"] == fingerprints(creds), conn
    assert keyring_items(pending_name(conn_id)) == []
    assert_active(conn_id, creds)
    wizard.test(name, standin, expect=0)
    assert accepted_token(standin) == creds["token_id"]
    wizard.promote(name, expect=(2, 5))   # nothing left to promote


def test_remove_deletes_both_keyring_items(wizard, creds, standin):
    name = unique_name("remove")
    keep = unique_name("keep")
    other = vs.fresh_credentials()
    wizard.add(name, creds)
    wizard.add(keep, other)
    conn_id = wizard.connection(name)["id"]
    wizard.stage(name, vs.fresh_token())
    assert keyring_items(active_name(conn_id)) and keyring_items(pending_name(conn_id))

    wizard.remove(name)
    assert keyring_items(active_name(conn_id)) == [] and keyring_items(pending_name(conn_id)) == []
    assert [c["label"] for c in wizard.list()] == [keep]
    assert_active(wizard.connection(keep)["id"], other)      # the other connection is untouched
    run = wizard.remove(name, expect=BAD_INPUT)
    assert name in run.stderr, run
    wizard.test(name, standin, expect=BAD_INPUT)


def test_half_a_pair_is_never_promoted(wizard, creds, standin):
    name = unique_name("partial")
    wizard.add(name, creds)
    conn_id = wizard.connection(name)["id"]
    new_token_id = secrets.token_hex(32)
    vs.register_secrets([new_token_id])

    # Through the CLI: staging only the token ID is refused now, or at the latest by promote.
    staged = wizard.stage(name, {"token_id": new_token_id}, expect=None)
    if staged.returncode == 0:
        run = wizard.promote(name, expect=(2, 5))
    else:
        assert staged.returncode == BAD_INPUT, staged
        run = staged
    assert names_field(run.stderr, "token_secret"), f"the refusal should name the missing Token Secret:\n{run}"
    assert_active(conn_id, creds)

    # A half pair planted straight in the keyring (e.g. left by an older version): promote refuses it.
    vs.store_item(pending_name(conn_id), json.dumps({"token_id": new_token_id}))
    run = wizard.promote(name, expect=(2, 5))
    assert names_field(run.stderr, "token_secret"), f"the refusal should name the missing Token Secret:\n{run}"
    assert_active(conn_id, creds)
    assert as_values(keyring_set(pending_name(conn_id))) == {"token_id": new_token_id}, \
        "a refused promote must leave the staged value alone"
    assert wizard.connection(name)["fingerprints"] == fingerprints(creds)
    wizard.test(name, standin, expect=0)
    assert accepted_token(standin) == creds["token_id"]


# ---------------------------------------------------------------- what is pasted
def test_pasted_values_are_cleaned(wizard, creds, standin):
    ck, cs, ti, ts = (creds[f] for f in vs.FIELDS)
    pasted = {
        "consumer_key": f'  "{ck}"\n',
        "consumer_secret": f"'{cs[:20]}\n{cs[20:40]} {cs[40:]}'\r\n",
        "token_id": f"\u201c{ti}\u201d\t",
        "token_secret": f"\u200b `{ts}` ",
    }
    name = unique_name("pasted")
    run = wizard.add(name, creds, stdin=json.dumps(pasted))
    assert not re.search(r"warn", run.stderr, re.I), f"clean values after cleaning should not warn:\n{run}"
    conn = wizard.connection(name)
    assert conn["fingerprints"] == fingerprints(creds), "fingerprints must be of the cleaned values"
    assert_active(conn["id"], creds)
    wizard.test(name, standin, expect=0)


def test_non_hex_value_warns_naming_the_field_but_is_saved(wizard):
    creds = vs.fresh_credentials()
    odd = "Zq" + secrets.token_urlsafe(30).replace("-", "x").replace("_", "y")
    vs.register_secrets([odd])
    creds["consumer_key"] = odd
    name = unique_name("odd")
    run = wizard.add(name, creds)
    assert names_field(run.stderr, "consumer_key"), f"the warning must name the Consumer Key:\n{run}"
    for other in ("consumer_secret", "token_id", "token_secret"):
        assert not names_field(run.stderr, other), f"only the odd field should be warned about:\n{run}"
    conn = wizard.connection(name)
    assert conn["fingerprints"]["consumer_key"] == fingerprint(odd)
    assert_active(conn["id"], creds)


def test_same_value_in_two_fields_is_refused(wizard):
    creds = vs.fresh_credentials()
    creds["token_secret"] = creds["consumer_secret"]
    name = unique_name("dup")
    run = wizard.add(name, creds, expect=BAD_INPUT)
    assert names_field(run.stderr, "consumer_secret") and names_field(run.stderr, "token_secret"), \
        f"the refusal must name both fields:\n{run}"
    assert wizard.list() == []


@pytest.mark.parametrize("case", ["duplicate name", "bad account", "bad profile", "bad json", "missing field"])
def test_bad_input_exits_2_and_keeps_what_was_saved(wizard, creds, case):
    name = unique_name("first")
    wizard.add(name, creds)
    first = wizard.connection(name)
    other = vs.fresh_credentials()
    new_name = unique_name("second")
    if case == "duplicate name":
        run = wizard.add(name, other, expect=BAD_INPUT)
    elif case == "bad account":
        run = wizard.add(new_name, other, account="not an account!", expect=BAD_INPUT)
    elif case == "bad profile":
        run = wizard.add(new_name, other, profile="zapier", expect=BAD_INPUT)
    elif case == "bad json":
        run = wizard.add(new_name, other, stdin='{"consumer_key": "' + other["consumer_key"], expect=BAD_INPUT)
    else:
        run = wizard.add(new_name, {k: v for k, v in other.items() if k != "token_secret"}, expect=BAD_INPUT)
    assert run.stderr.strip(), run
    assert wizard.list() == [first], "a refused add must not change the saved connections"
    assert_active(first["id"], creds)


# ---------------------------------------------------------------- the connections file
def test_unreadable_file_is_moved_aside_never_overwritten(wizard, creds):
    path = wizard.config_dir / "connections.json"
    garbage = [b'{"version": 1, "connections": [ {"id": trunc', b"\xff\xfe not text at all \x00\x01"]
    for blob in garbage:           # twice in a row (same second): the first moved file must survive
        path.write_bytes(blob)
        run = wizard.run("connections", "list", "--json", expect=None)
        assert "connections.json" in run.stderr, f"the unreadable file must be reported with its path:\n{run}"
        moved = {p.name: p.read_bytes() for p in wizard.config_dir.glob("connections.json.unreadable-*")}
        assert blob in moved.values(), f"the unreadable bytes were not kept aside: {sorted(moved)}\n{run}"
    final = {p.name: p.read_bytes() for p in wizard.config_dir.glob("connections.json.unreadable-*")}
    for blob in garbage:
        assert blob in final.values(), ("a file moved aside earlier was overwritten by a later one: "
                                        f"{sorted(final)}")
    # Saving still works afterwards, and does not touch what was moved aside.
    name = unique_name("after")
    wizard.add(name, creds)
    assert [c["label"] for c in wizard.list()] == [name]
    assert {p.name: p.read_bytes() for p in wizard.config_dir.glob("connections.json.unreadable-*")} == final
