"""`connections export` and `import`: saved connections moved to another machine as their details only
(never a secret), recreated there with their values missing, and a file holding anything shaped like a
secret refused. Two config folders stand for the two machines; the keyring is the session's real one.
"""
from __future__ import annotations

import json
import secrets
import stat

from tba_cli_support import REALM
from test_m2m import M2m, m2m  # noqa: F401

BAD_INPUT = 2


def test_connections_move_to_another_machine_without_their_secrets(m2m, tmp_path):
    creds = {k: secrets.token_hex(32) for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")}
    m2m.run("connections", "add", "Shop", "--account", REALM, "--profile", "own", "--token-name", "Shop token",
            "--credentials-stdin", stdin=json.dumps(creds))
    m2m.new("Key")
    m2m.run("m2m", "set", "Key", "--certificate-id", "CERT-KEY")
    exported = m2m.root / "connections-export.json"
    m2m.run("connections", "export", exported)
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    text = exported.read_text()
    doc = json.loads(text)
    assert (doc["format"], doc["version"]) == ("tba-wizard-connections", 1)
    assert [c["label"] for c in doc["connections"]] == ["Shop", "Key"]
    for value in creds.values():
        assert value not in text
    assert "PRIVATE KEY" not in text
    again = m2m.run("connections", "export", exported, expect=BAD_INPUT)
    assert "never replaced" in again.stderr
    assert json.loads(m2m.run("connections", "export").stdout)["connections"][0]["label"] == "Shop"

    # The other machine: its keyring has none of this one's items (they are removed here, as the test
    # machines share one keyring), so the same details arrive with their values missing.
    shop_id = m2m.list()["Shop"]["id"]
    m2m.run("connections", "remove", "Shop")
    m2m.run("connections", "remove", "Key")
    other = M2m(m2m.binary, tmp_path / "other")
    try:
        out = other.run("connections", "import", exported).stdout
        assert "Imported \"Shop\"" in out and "values are not on this computer" in out
        assert "set the connection up again" in out, "the way that exists today, not a button the window lacks"
        listed = other.list()
        assert set(listed) == {"Shop", "Key"}
        assert listed["Shop"]["token_name"] == "Shop token" and listed["Shop"]["fingerprints"] == {}
        assert listed["Key"]["certificate"]["certificate_id"] == "CERT-KEY"
        assert listed["Shop"]["id"] == shop_id
        test = other.run("test", "--connection", "Shop", expect=5)
        assert "No secrets are saved" in test.stderr or "missing" in test.stderr + test.stdout
        # Importing again skips what is there.
        skipped = other.run("connections", "import", exported)
        assert "skipped \"Shop\"" in skipped.stderr and "Imported" not in skipped.stdout
    finally:
        for conn_id in other.ids():
            for suffix in ("", ":pending", ":retired"):
                import subprocess
                subprocess.run(["secret-tool", "clear", "service", "tba-wizard", "username",
                                f"connection:{conn_id}{suffix}"], capture_output=True, timeout=20)


def test_a_file_holding_a_secret_is_refused_and_nothing_is_imported(m2m, tmp_path):
    doc = {"format": "tba-wizard-connections", "version": 1, "exported_at": "2026-12-07T00:00:00Z",
           "connections": [{"id": "0011223344556677", "label": "Leaky", "account": REALM, "profile": "own",
                            "token_name": secrets.token_hex(32), "fingerprints": {},
                            "created_at": "2026-12-07T00:00:00Z", "updated_at": "2026-12-07T00:00:00Z"}]}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    r = m2m.run("connections", "import", bad, expect=BAD_INPUT)
    assert "shaped like a secret" in r.stderr and doc["connections"][0]["token_name"] not in r.stderr
    assert m2m.list() == {}
    not_export = tmp_path / "other.json"
    not_export.write_text("{}")
    assert "not a tba-wizard export" in m2m.run("connections", "import", not_export, expect=BAD_INPUT).stderr
    # A file far larger than any export is refused before it is read whole.
    huge = tmp_path / "huge.json"
    with huge.open("wb") as f:
        f.truncate(17 * 1024 * 1024)
    assert "too large to be a tba-wizard export" in m2m.run("connections", "import", huge,
                                                            expect=BAD_INPUT).stderr
    assert m2m.list() == {}
