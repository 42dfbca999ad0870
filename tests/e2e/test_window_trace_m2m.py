"""An OAuth 2.0 setup in the window at its most detailed logging leaks nothing: with RUST_LOG=trace (Tauri's
IPC, the keyring's D-Bus layer, the HTTP client and TLS at their most talkative), a key made with openssl is
imported from the clipboard, the Client ID pasted, the mapping's Certificate ID typed and the signed test
run (a client assertion to the token endpoint, then a bearer call). Then every file, log line, process
argument and screenshot check_leaks reads is searched for the private key (the secret part of its PEM and
DER), the Client ID, every assertion the stand-in received, their signatures and every bearer token it
issued."""

from __future__ import annotations

import secrets as pysecrets
from urllib.parse import parse_qs

from e2e_support import Shots, wait_testid
from test_m2m_import import import_key, key_body, map_and_test, openssl_pair
from test_m2m_save_as import to_om5
from test_wizard_flows import check_leaks

CERTIFICATE_ID = "CERT-TRACE-1"


def test_m2m_window_at_trace_level_logs_no_secret(wizard_rig, tmp_path):
    key_pem, cert_pem = openssl_pair(tmp_path, "trace", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")
    env = {"RUST_LOG": "trace", "TBA_WIZARD_DOWNLOAD_DIR": str(tmp_path / "downloads")}
    with wizard_rig("m2m-trace", extra_env=env) as rig:
        client_id = pysecrets.token_hex(32)
        rig.standin.add_m2m_client(client_id)
        # P-256's scalar: PKCS#8 DER bytes 36..68, base64 characters 48..90 (the rest is public).
        private = key_body(key_pem)[48:90]
        rig.watch([client_id, private])
        with rig.session() as driver:
            shots = Shots(driver, "m2m-trace", [client_id])
            wait_testid(driver, "start-title")
            to_om5(driver, client_id)
            message = import_key(driver, cert_pem, key_pem)
            assert "imported" in message.lower(), message
            map_and_test(driver, rig, CERTIFICATE_ID, cert_pem, client_id)
            shots("test")

        logs = sorted((rig.root / "logs").glob("tba-wizard*.log"))
        logged = "\n".join(f.read_text(errors="replace") for f in logs)
        assert " TRACE " in logged, "the log file holds no trace-level line: RUST_LOG=trace was not honoured"
        assert "hyper" in logged or "reqwest" in logged, "the HTTP client logged nothing at trace level"
        assertions = [parse_qs(r.get("body", "")).get("client_assertion", [""])[0] for r in rig.standin.api_requests()
                      if str(r.get("path", "")).endswith("/auth/oauth2/v1/token")]
        assertions = [a for a in assertions if a]
        tokens = list(rig.standin.access_tokens)
        assert assertions and tokens, "the test signed an assertion and got a token to look for"
        check_leaks(rig, shots, [client_id, private, *assertions, *[a.split(".")[2] for a in assertions], *tokens])
