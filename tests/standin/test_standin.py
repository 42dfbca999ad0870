"""Self-test of the NetSuite stand-in: its signature check must agree with Oracle's
published vectors and with an independent OAuth 1.0a client (oauthlib), and each
kind of refusal must land in the login audit trail with the right reason.

Requests are signed with oauthlib and sent with urllib, so nothing here touches the
project's own signer."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime
from http.client import RemoteDisconnected
from pathlib import Path

import pytest
from oauthlib import oauth1

sys.path.insert(0, str(Path(__file__).resolve().parent))
import netsuite_standin as ns  # noqa: E402

REALM = "1234567_SB1"
CK, CS = "c" * 63 + "1", "s" * 63 + "1"
TK, TS = "t" * 63 + "1", "u" * 63 + "1"
CATALOG = "/services/rest/record/v1/metadata-catalog"

# Oracle's published sample credentials and nonce/timestamp (NetSuite help, TBA signature page).
O_CK = "ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4"
O_CS = "d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5"
O_TK = "2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc"
O_TS = "c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295"
O_NONCE, O_TS_NOW = "fjaLirsIcCGVZWzBX0pg", "1508242306"
O_PARAMS = {"realm": "123456", "oauth_consumer_key": O_CK, "oauth_token": O_TK, "oauth_nonce": O_NONCE,
            "oauth_timestamp": O_TS_NOW, "oauth_signature_method": "HMAC-SHA256", "oauth_version": "1.0"}
RESTLET_QUERY = "?script=6&deploy=1&customParam=someValue&testParam=someOtherValue"


@pytest.fixture
def standin():
    with ns.NetSuiteStandin(realm=REALM, known_accounts=["7654321"], denied_tables=["employee"]) as s:
        s.add_credentials(CK, CS, TK, TS)
        yield s


def sign(url, method="GET", ck=CK, cs=CS, tk=TK, ts=TS, realm=REALM, nonce=None, timestamp=None):
    client = oauth1.Client(ck, client_secret=cs, resource_owner_key=tk, resource_owner_secret=ts,
                           signature_method=oauth1.SIGNATURE_HMAC_SHA256, realm=realm, nonce=nonce,
                           timestamp=None if timestamp is None else str(timestamp))
    _, headers, _ = client.sign(url, http_method=method)
    return headers["Authorization"]


def send(url, method="GET", headers=None, body=None, timeout=10):
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def call(standin, path=CATALOG, method="GET", headers=None, body=None, **sign_kw):
    url = standin.base_url + path
    hdrs = {"Authorization": sign(url, method, **sign_kw), **(headers or {})}
    return send(url, method, hdrs, body)


def assert_invalid_login(standin, status, headers, body, reason):
    assert status == 401
    assert body.decode() == ns.UNAUTHORIZED_BODY
    assert json.loads(body)["o:errorDetails"][0]["o:errorCode"] == "INVALID_LOGIN"
    assert headers["Content-Type"].startswith("application/vnd.oracle.resource+json")
    assert standin.last_audit()["detail"] == reason, standin.last_audit()


# ------------------------------------------------------------------ Oracle's vectors
def test_vector_a_base_string_and_signature_exact():
    url = "https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40"
    expected_base = (
        "GET&https%3A%2F%2F123456.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Femployee%2F40&"
        f"oauth_consumer_key%3D{O_CK}%26oauth_nonce%3D{O_NONCE}%26oauth_signature_method%3DHMAC-SHA256"
        f"%26oauth_timestamp%3D{O_TS_NOW}%26oauth_token%3D{O_TK}%26oauth_version%3D1.0")
    base = ns.signature_base_string("GET", url, O_PARAMS)
    assert base == expected_base
    assert ns.hmac_sha256_signature(base, O_CS, O_TS) == "B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY="


@pytest.mark.parametrize("method,url,params,secrets,expected", [
    ("POST", "https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl" + RESTLET_QUERY,
     O_PARAMS, (O_CS, O_TS), "+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ="),
    ("POST", "https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl" + RESTLET_QUERY,
     O_PARAMS, (O_CS, O_TS), "i7MEtGwhCTIZbTsTrNGw9LdcERn4wsjt5C7TxmKWIfU="),
    ("GET", "https://9876543-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/123?expandSubResources=true",
     {"realm": "9876543_SB1", "oauth_consumer_key": "CONSUMER_KEY_VALUE", "oauth_token": "TOKEN_ID_VALUE",
      "oauth_nonce": "asdfasdf", "oauth_timestamp": "1234567890", "oauth_signature_method": "HMAC-SHA256",
      "oauth_version": "1.0"}, ("CONSUMER_SECRET_VALUE", "TOKEN_SECRET_VALUE"),
     "cId0B3hP0sFVQw/gjQ/P6YiOSx76u0WfyO8umOlq3gg="),
], ids=["B-restlet-query", "C-other-host", "D-sandbox-query"])
def test_vectors_b_c_d(method, url, params, secrets, expected):
    assert ns.hmac_sha256_signature(ns.signature_base_string(method, url, params), *secrets) == expected


def test_parses_oracle_header_example():
    header = (f'OAuth realm="123456", oauth_token="{O_TK}", oauth_consumer_key="{O_CK}", '
              f'oauth_nonce="{O_NONCE}", oauth_timestamp="{O_TS_NOW}", oauth_signature_method="HMAC-SHA256", '
              'oauth_version="1.0", oauth_signature="B5OIWznZ2YP0OB7VrJrGkYsTh%2B8H%2B5T9Hag%2Bo92q0zY%3D"')
    p = ns.parse_authorization(header)
    assert p["realm"] == "123456" and p["oauth_signature"] == "B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY="
    with pytest.raises(ValueError):
        ns.parse_authorization('OAuth realm="1" oauth_token="2"')


def test_base_string_uri_rules():
    assert ns.base_string_uri("HTTPS://Host.Example.COM:443/a%20b/c%2Fd?x=1") == "https://host.example.com/a%20b/c%2Fd"
    assert ns.base_string_uri("https://h.example.com:8443/p") == "https://h.example.com:8443/p"
    assert ns.base_string_uri("http://h.example.com:80") == "http://h.example.com/"


def test_agrees_with_oauthlib_on_awkward_query():
    from oauthlib.oauth1.rfc5849 import signature as sig
    url = "https://ABC.Example.com:8443/a%20b/c%2Fd?b=x+y&a=%E2%9C%93&a=&c&d=%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D"
    header = sign(url, "PUT", nonce="abcdef123", timestamp=1700000000)
    params = ns.parse_authorization(header)
    ours = ns.signature_base_string("PUT", url, params)
    collected = sig.collect_parameters(uri_query=url.split("?", 1)[1], headers={"Authorization": header})
    theirs = sig.signature_base_string("PUT", sig.base_string_uri(url), sig.normalize_parameters(collected))
    assert ours == theirs
    assert ns.hmac_sha256_signature(ours, CS, TS) == params["oauth_signature"]


# ------------------------------------------------------------------ accepted and refused
def test_signed_request_is_accepted(standin):
    status, headers, body = call(standin)
    assert status == 200, standin.last_audit()
    assert any(i["name"] == "account" and i["links"] for i in json.loads(body)["items"])
    assert abs(parsedate_to_datetime(headers["Date"]).timestamp() - time.time()) < 5
    assert standin.last_audit()["status"] == "Success"
    req = standin.api_requests()[-1]
    assert req["outcome"] == "ok" and len(req["nonce"]) >= 6 and req["oauth"]["realm"] == REALM


def test_query_parameters_are_signed(standin):
    url = standin.base_url + CATALOG + "?select=account&x=a+b%20c"
    assert send(url, headers={"Authorization": sign(url)})[0] == 200
    status, h, body = send(url + "&extra=1", headers={"Authorization": sign(url)})
    assert_invalid_login(standin, status, h, body, "InvalidSignature")


@pytest.mark.parametrize("kw,reason", [
    ({"cs": "wrong-consumer-secret"}, "InvalidSignature"),
    ({"ts": "wrong-token-secret"}, "InvalidSignature"),
    ({"realm": "1234567_sb1"}, "InvalidRealm"),
    ({"realm": "1234567"}, "InvalidRealm"),
    ({"ck": "unknown-consumer-key"}, "consumer_key_unknown"),
    ({"tk": "unknown-token-id"}, "InvalidToken"),
    ({"nonce": "abc12"}, "nonce_rejected"),
    ({"timestamp": -306}, "InvalidTimestamp"),     # offsets from now, applied in the test
    ({"timestamp": +3600}, "InvalidTimestamp"),
], ids=["consumer-secret", "token-secret", "realm-case", "realm-production", "unknown-key", "unknown-token",
        "short-nonce", "old-timestamp", "future-timestamp"])
def test_refusals_are_opaque_but_audited(standin, kw, reason):
    if "timestamp" in kw:
        kw = {"timestamp": int(time.time()) + kw["timestamp"]}
    status, headers, body = call(standin, **kw)
    assert_invalid_login(standin, status, headers, body, reason)
    assert "Date" in headers


def test_reused_nonce_is_refused(standin):
    now = int(time.time())
    assert call(standin, nonce="samenonce123", timestamp=now)[0] == 200
    status, headers, body = call(standin, nonce="samenonce123", timestamp=now)
    assert_invalid_login(standin, status, headers, body, "nonce_used")


def test_revoked_token_and_token_of_other_consumer(standin):
    standin.add_credentials("ck2", "cs2", "tk2", "ts2")
    status, h, body = call(standin, tk="tk2", ts="ts2")          # token of another integration
    assert_invalid_login(standin, status, h, body, "InvalidToken")
    standin.revoke_token(TK)
    status, h, body = call(standin)
    assert_invalid_login(standin, status, h, body, "TokenRevoked")


def test_wrong_signature_method_and_version(standin):
    url = standin.base_url + CATALOG
    good = ns.parse_authorization(sign(url))
    for field, value, reason in (("oauth_signature_method", "HMAC-SHA1", "InvalidSignatureMethod"),
                                 ("oauth_version", "2.0", "InvalidVersion")):
        p = dict(good, **{field: value})
        header = "OAuth " + ", ".join(f'{k}="{ns.enc(v)}"' for k, v in p.items())
        status, h, body = send(url, headers={"Authorization": header})
        assert_invalid_login(standin, status, h, body, reason)
    status, h, body = send(url)                                     # no header at all
    assert_invalid_login(standin, status, h, body, "MissingTokenPassportRequiredFields")


def test_clock_skew_moves_date_header_and_window(standin):
    standin.clock_skew_seconds = 400
    status, headers, body = call(standin)
    assert abs(parsedate_to_datetime(headers["Date"]).timestamp() - (time.time() + 400)) < 5
    assert_invalid_login(standin, status, headers, body, "InvalidTimestamp")
    standin.clock_skew_seconds = 150
    assert call(standin)[0] == 200


# ------------------------------------------------------------------ other endpoints
def test_suiteql(standin):
    path = "/services/rest/query/v1/suiteql?limit=1"
    hdr = {"Prefer": "transient", "Content-Type": "application/json"}
    status, _, body = call(standin, path, "POST", hdr, json.dumps({"q": "SELECT id FROM customer"}).encode())
    doc = json.loads(body)
    assert status == 200 and doc["count"] == 1 and doc["hasMore"] is False and doc["totalResults"] == 1
    assert doc["links"][0]["rel"] == "self" and doc["items"][0]["links"] == [] and doc["offset"] == 0
    status, _, body = call(standin, path, "POST", hdr, b'{"q":"SELECT id FROM Employee"}')
    assert status == 403 and json.loads(body)["o:errorDetails"][0]["o:errorCode"] == "INSUFFICIENT_PERMISSION"
    status, _, body = call(standin, path, "POST", {"Content-Type": "application/json"}, b'{"q":"SELECT 1 FROM x"}')
    assert status == 400 and "o:errorDetails" in json.loads(body)


def test_datacenterurls_needs_no_auth(standin):
    status, _, body = send(standin.base_url + "/rest/datacenterurls?account=1234567_SB1")
    assert status == 200 and json.loads(body) == {
        "restDomain": "https://1234567-sb1.suitetalk.api.netsuite.com",
        "webservicesDomain": "https://1234567-sb1.suitetalk.api.netsuite.com",
        "systemDomain": "https://1234567-sb1.app.netsuite.com"}
    assert json.loads(send(standin.base_url + "/rest/datacenterurls?account=7654321")[2])["systemDomain"] == \
        "https://7654321.app.netsuite.com"
    status, _, body = send(standin.base_url + "/rest/datacenterurls?account=9999999")
    assert status == 400 and json.loads(body)["o:errorDetails"][0]["o:errorCode"]
    assert standin.audit() == []


# ------------------------------------------------------------------ faults
def test_queued_faults_then_normal(standin):
    standin.queue_faults(["429", "concurrency400", "403", "500", "garbage", "garbage502", "ok"])
    expected = [(429, "CONCURRENCY_LIMIT_EXCEEDED"), (400, "SSS_REQUEST_LIMIT_EXCEEDED"),
                (403, "INSUFFICIENT_PERMISSION"), (500, "UNEXPECTED_ERROR")]
    for status_code, code in expected:
        status, headers, body = call(standin)
        assert status == status_code and json.loads(body)["o:errorDetails"][0]["o:errorCode"] == code
        assert "Date" in headers
    status, headers, body = call(standin)
    assert status == 200 and headers["Content-Type"] == "text/html" and body.startswith(b"<!DOCTYPE html>")
    assert call(standin)[0] == 502
    assert call(standin)[0] == 200
    reqs = standin.api_requests()
    assert [r["fault"] for r in reqs] == ["429", "concurrency400", "403", "500", "garbage", "garbage502", None]
    assert len({r["nonce"] for r in reqs}) == len(reqs)


def test_close_and_slow(standin):
    standin.queue_faults(["close"])
    with pytest.raises((RemoteDisconnected, ConnectionError, urllib.error.URLError)):
        call(standin)
    assert standin.api_requests()[-1]["outcome"] == "closed"
    standin.queue_faults(["slow:1"])
    start = time.monotonic()
    assert call(standin)[0] == 200 and time.monotonic() - start >= 1
    standin.set_fault("slow:5")
    start = time.monotonic()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        url = standin.base_url + CATALOG
        send(url, headers={"Authorization": sign(url)}, timeout=0.5)
    assert time.monotonic() - start < 2
    with pytest.raises(ValueError):
        standin.queue_faults(["teapot"])


def test_a_held_request_waits_for_its_release(standin):
    from concurrent.futures import ThreadPoolExecutor

    standin.queue_faults(["hold"])
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(call, standin)
        time.sleep(0.5)
        assert not held.done(), "a held request was answered before its release"
        assert standin.api_requests()[-1]["fault"] == "hold"
        standin.release_held()
        assert held.result(timeout=10)[0] == 200
    assert call(standin)[0] == 200, "the release holds nothing after it"


# ------------------------------------------------------------------ as a separate process
def test_standalone_process_with_control_endpoints(tmp_path):
    cfg = tmp_path / "standin.json"
    cfg.write_text(json.dumps({"realm": REALM, "credentials": [
        {"consumer_key": CK, "consumer_secret": CS, "token_id": TK, "token_secret": TS}]}))
    proc = subprocess.Popen([sys.executable, ns.__file__, "--port", "0", "--config", str(cfg)],
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("READY http://127.0.0.1:"), line
        base = line.split(" ", 1)[1]
        post = lambda p, d: send(base + p, "POST", {"Content-Type": "application/json"}, json.dumps(d).encode())
        assert post("/__standin/faults", {"queue": ["429"]})[0] == 200
        url = base + CATALOG
        assert send(url, headers={"Authorization": sign(url)})[0] == 429
        assert send(url, headers={"Authorization": sign(url, cs="bad")})[0] == 401
        assert send(url, headers={"Authorization": sign(url)})[0] == 200
        audit = json.loads(send(base + "/__standin/audit")[2])["audit"]
        assert [a["detail"] for a in audit] == ["InvalidSignature", "Success"]
        reqs = json.loads(send(base + "/__standin/requests")[2])["requests"]
        assert [r["status"] for r in reqs] == [429, 401, 200]
        assert post("/__standin/config", {"clock_skew_seconds": -400})[0] == 200
        assert send(url, headers={"Authorization": sign(url)})[0] == 401
        assert post("/__standin/reset", {})[0] == 200
        assert json.loads(send(base + "/__standin/audit")[2])["audit"] == []
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
