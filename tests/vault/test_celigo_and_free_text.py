"""A Celigo connection holds the token pair only (its consumer pair is Celigo's own): the command line
saves, stages and promotes it that way. Free text (a connection's name, a token's name) that looks like
a secret is refused, never stored and never echoed.

Against the real keyring (gnome-keyring), inspected from outside with `secret-tool`.
"""
from __future__ import annotations

import json
import secrets

import vault_support as vs
from vault_support import BAD_INPUT, active_name, as_values, keyring_items, keyring_set, pending_name, unique_name


def token_pair() -> dict:
    pair = vs.fresh_token()
    vs.register_secrets(pair.values())
    return pair


def test_a_celigo_connection_lives_on_its_token_pair(wizard):
    name = unique_name("celigo")
    old = token_pair()
    added = wizard.add(name, old, profile="celigo", extra=["--json"]).json()
    assert added["profile"] == "celigo"
    assert set(added["fingerprints"]) == {"token_id", "token_secret"}, added
    assert as_values(keyring_set(active_name(added["id"]))) == old

    # Staging the consumer pair is refused: it is not the user's to keep.
    run = wizard.stage(name, {"consumer_key": secrets.token_hex(32), "consumer_secret": secrets.token_hex(32)},
                       expect=BAD_INPUT)
    assert "consumer_key" in run.stderr and "Celigo" in run.stderr, run
    assert keyring_items(pending_name(added["id"])) == []

    # Rotation: stage the new token pair, promote it; the old one is gone, no consumer pair invented.
    new = token_pair()
    wizard.stage(name, new)
    assert as_values(keyring_set(pending_name(added["id"]))) == new
    promoted = wizard.promote(name, env=None)
    assert "Now using the new values" in promoted.stdout, promoted
    assert as_values(keyring_set(active_name(added["id"]))) == new
    assert keyring_items(pending_name(added["id"])) == []
    listed = wizard.connection(name)
    assert listed["fingerprints"] == vs.fingerprints(new), listed
    assert vs.files_with_leaks(wizard.root, [*old.values(), *new.values()]) == {}


def test_the_profile_says_what_a_connection_needs(wizard, creds):
    # AfterShip (and own integrations) sign calls: the consumer pair is needed, and named when missing.
    run = wizard.run("connections", "add", unique_name("as"), "--account", vs.REALM, "--profile", "aftership",
                     "--credentials-stdin", stdin=json.dumps(token_pair()), expect=BAD_INPUT)
    assert "consumer_key" in run.stderr and "AfterShip" in run.stderr, run
    # Half a pair is refused for Celigo too.
    pair = token_pair()
    run = wizard.run("connections", "add", unique_name("cg"), "--account", vs.REALM, "--profile", "celigo",
                     "--credentials-stdin", stdin=json.dumps({"token_id": pair["token_id"]}), expect=BAD_INPUT)
    assert "token_secret" in run.stderr, run
    # A Celigo connection saved with four values by an older version keeps working.
    wizard.add(unique_name("cg4"), creds, profile="celigo")


def test_free_text_that_looks_like_a_secret_is_refused_and_not_echoed(wizard, creds):
    # Not registered as a secret: it is on the command line on purpose (the suite's process scan would
    # flag it there); the output and files are checked for it here.
    pasted = secrets.token_hex(32)
    for args in (
        [pasted, "--token-name", "Token 2026"],
        [unique_name("named"), "--token-name", f"token {pasted}"],
    ):
        run = wizard.run("connections", "add", args[0], "--account", vs.REALM, "--profile", "own",
                         "--credentials-stdin", *args[1:], stdin=json.dumps(creds), expect=BAD_INPUT)
        assert "looks like a key or token value" in run.stderr, run
        assert pasted[:16] not in run.stdout + run.stderr, "the refusal must not echo it"
    assert wizard.list() == []
    assert vs.files_with_leaks(wizard.root, [pasted, *creds.values()]) == {}


def test_an_old_copy_left_in_the_keyring_is_marked_and_discard_deletes_it(wizard, creds):
    name = unique_name("leftover")
    conn = wizard.add(name, creds, extra=["--json"]).json()
    assert wizard.connection(name)["old_copy_kept"] is False
    # What a replacement keeps until it ends, left behind by one whose progress file was lost.
    vs.store_item(f"connection:{conn['id']}:retired", json.dumps(creds))
    assert wizard.connection(name)["old_copy_kept"] is True
    plain = wizard.run("connections", "list", expect=0)
    assert "old copy" in plain.stdout and "discard" in plain.stdout, plain
    wizard.discard(name)
    assert keyring_items(f"connection:{conn['id']}:retired") == []
    assert wizard.connection(name)["old_copy_kept"] is False
    assert as_values(keyring_set(active_name(conn["id"]))) == creds


def test_an_unreadable_journey_file_stops_the_command_line_from_changing_keyring_items(wizard, creds):
    name = unique_name("journey")
    conn = wizard.add(name, creds, extra=["--json"]).json()
    (wizard.config_dir / "rotation.json").write_text("{ half a file")
    for args in (("remove", name), ("discard", name), ("promote", name)):
        run = wizard.run("connections", *args, expect=BAD_INPUT)
        assert "rotation.json" in run.stderr and "cannot be read" in run.stderr, run
    assert as_values(keyring_set(active_name(conn["id"]))) == creds
    assert [c["label"] for c in wizard.list()] == [name]
