"""`tba-wizard sign` against published vectors and an independent OAuth 1.0a implementation.

* Oracle's NetSuite TBA vectors A–D (constants copied from Oracle's help pages as collected in the
  project's NetSuite notes): exact base string for A, exact signature for all four.
* RFC 5849 §3.4.1's worked example, adapted to what the CLI can express (see the test's comment).
* A seeded random conformance run against oauthlib (PyPI) over awkward URLs, all through one
  `sign --jsonl` process.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import random
import re
import string
import time
from urllib.parse import quote, urlsplit

import pytest
from oauthlib import oauth1
from oauthlib.oauth1.rfc5849 import signature as oauthlib_signature

import netsuite_standin
from netsuite_standin import parse_authorization
from tba_cli_support import REALM

# ---------------------------------------------------------------- Oracle's sample credentials
O_CK = "ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4"
O_CS = "d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5"
O_TK = "2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc"
O_TS = "c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295"
O_NONCE, O_TIMESTAMP = "fjaLirsIcCGVZWzBX0pg", 1508242306
ORACLE = {"consumer_key": O_CK, "consumer_secret": O_CS, "token_id": O_TK, "token_secret": O_TS,
          "nonce": O_NONCE, "timestamp": O_TIMESTAMP}
RESTLET_QUERY = "?script=6&deploy=1&customParam=someValue&testParam=someOtherValue"

VECTOR_A_BASE = (
    "GET&https%3A%2F%2F123456.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Femployee%2F40&"
    f"oauth_consumer_key%3D{O_CK}%26oauth_nonce%3D{O_NONCE}%26oauth_signature_method%3DHMAC-SHA256"
    f"%26oauth_timestamp%3D{O_TIMESTAMP}%26oauth_token%3D{O_TK}%26oauth_version%3D1.0")
# Oracle's header example for vector A (one line).
VECTOR_A_HEADER = (
    f'OAuth realm="123456", oauth_token="{O_TK}", oauth_consumer_key="{O_CK}", oauth_nonce="{O_NONCE}", '
    f'oauth_timestamp="{O_TIMESTAMP}", oauth_signature_method="HMAC-SHA256", oauth_version="1.0", '
    'oauth_signature="B5OIWznZ2YP0OB7VrJrGkYsTh%2B8H%2B5T9Hag%2Bo92q0zY%3D"')

VECTORS = [
    pytest.param(dict(ORACLE, method="GET", account_id="123456",
                      url="https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40"),
                 "123456", "B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY=", id="A-rest"),
    pytest.param(dict(ORACLE, method="POST", account_id="123456",
                      url="https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl" + RESTLET_QUERY),
                 "123456", "+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ=", id="B-restlet-query"),
    pytest.param(dict(ORACLE, method="POST", account_id="1234567",
                      url="https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl" + RESTLET_QUERY),
                 "1234567", "i7MEtGwhCTIZbTsTrNGw9LdcERn4wsjt5C7TxmKWIfU=", id="C-other-host"),
    pytest.param({"method": "GET", "account_id": "9876543-sb1",
                  "url": "https://9876543-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/123"
                         "?expandSubResources=true",
                  "consumer_key": "CONSUMER_KEY_VALUE", "consumer_secret": "CONSUMER_SECRET_VALUE",
                  "token_id": "TOKEN_ID_VALUE", "token_secret": "TOKEN_SECRET_VALUE",
                  "nonce": "asdfasdf", "timestamp": "1234567890"},
                 "9876543_SB1", "cId0B3hP0sFVQw/gjQ/P6YiOSx76u0WfyO8umOlq3gg=", id="D-sandbox-query"),
]

RESULT_KEYS = {"base_string", "signature", "authorization"}


def sign_one(run_cli, request: dict):
    run = run_cli("sign", stdin=json.dumps(request), secrets=[request["consumer_secret"], request["token_secret"]])
    assert run.returncode == 0, str(run)
    result = run.json()
    assert RESULT_KEYS <= set(result), result
    return result


def sign_many(run_cli, requests: list[dict]) -> list[dict]:
    stdin = "".join(json.dumps(r) + "\n" for r in requests)
    long_secrets = {r[k] for r in requests for k in ("consumer_secret", "token_secret") if len(r[k]) >= 32}
    run = run_cli("sign", "--jsonl", stdin=stdin, timeout=120, secrets=long_secrets)
    assert run.returncode == 0, str(run)[:4000]
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert len(lines) == len(requests), f"{len(requests)} requests in, {len(lines)} results out"
    return [json.loads(line) for line in lines]


def header_params(header: str) -> dict:
    assert "\n" not in header and "\r" not in header, f"header is not one line: {header!r}"
    params = parse_authorization(header)
    assert params is not None, f"not an OAuth header: {header!r}"
    return params


# ---------------------------------------------------------------- Oracle vectors
@pytest.mark.parametrize("request_, realm, expected_signature", VECTORS)
def test_oracle_vectors(run_cli, request_, realm, expected_signature):
    result = sign_one(run_cli, request_)
    assert result["signature"] == expected_signature
    header = result["authorization"]
    assert header.startswith(f'OAuth realm="{realm}", '), header
    params = header_params(header)
    assert params["oauth_signature"] == expected_signature
    assert params["oauth_signature_method"] == "HMAC-SHA256" and params["oauth_version"] == "1.0"
    assert quote(expected_signature, safe="") in header, "oauth_signature must be percent-encoded in the header"


def test_oracle_vector_a_base_string_and_header(run_cli):
    result = sign_one(run_cli, VECTORS[0].values[0])
    assert result["base_string"] == VECTOR_A_BASE
    assert header_params(result["authorization"]) == header_params(VECTOR_A_HEADER)


def test_jsonl_gives_the_same_answers_in_order(run_cli):
    requests = [p.values[0] for p in VECTORS]
    results = sign_many(run_cli, requests)
    assert [r["signature"] for r in results] == [p.values[2] for p in VECTORS]


# ---------------------------------------------------------------- RFC 5849 §3.4.1
# The RFC's worked example (HMAC-SHA1, consumer 9djdj82h48djs9d2 / token kkk9d7dh3k39sjv7):
#   POST http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b   body (form): c2&a3=2+q
# Its base string, verbatim from the RFC:
RFC5849_BASE = (
    "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26"
    "c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26"
    "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7")
RFC5849_REQUEST = {"method": "POST", "account_id": "1234567", "consumer_key": "9djdj82h48djs9d2",
                   "consumer_secret": "j49sk3j29djd", "token_id": "kkk9d7dh3k39sjv7",
                   "token_secret": "dh893hdasih9", "nonce": "7d8f3e4a", "timestamp": 137131201}


def _adapt_rfc_base(base: str) -> str:
    """The CLI always signs with HMAC-SHA256 and sends oauth_version=1.0 (which sorts last)."""
    return base.replace("HMAC-SHA1", "HMAC-SHA256") + "%26oauth_version%3D1.0"


def test_rfc5849_worked_example_base_string(run_cli):
    # Adaptation: the CLI cannot sign a form body, but RFC 5849 §3.4.1.3.1 treats form-body parameters
    # exactly like query parameters, so the body "c2&a3=2+q" is moved to the end of the query string
    # (keeping "c2" without '=' and "+" as the space). The parameter set, and so the normalized
    # parameter string, is then the RFC's. Only the method name and oauth_version differ (see above).
    url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2&a3=2+q"
    result = sign_one(run_cli, dict(RFC5849_REQUEST, url=url))
    expected = _adapt_rfc_base(RFC5849_BASE)
    assert result["base_string"] == expected
    key = b"j49sk3j29djd&dh893hdasih9"
    assert result["signature"] == base64.b64encode(hmac.new(key, expected.encode(), hashlib.sha256).digest()).decode()


def test_rfc5849_worked_example_query_part_only(run_cli):
    # The URL-query part alone, exactly as the RFC's request line has it: the base string is the RFC's
    # without the two body parameters (a3=2 q and c2=).
    url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
    result = sign_one(run_cli, dict(RFC5849_REQUEST, url=url))
    expected = _adapt_rfc_base(RFC5849_BASE).replace("%26a3%3D2%2520q", "").replace("%26c2%3D", "")
    assert result["base_string"] == expected


# ---------------------------------------------------------------- conformance against oauthlib
UNRESERVED = string.ascii_letters + string.digits + "-._~"
RESERVED = "!*'();:@&=+$,/?#[]"
RAW_OK = ":@!$'()*,/?"          # reserved characters that may also appear unencoded in a query
UNICODE = ["é", "ü", "ß", "Ω", "✓", "日本", "😀", "ñ"]
WORDS = ["a", "b", "q", "id", "script", "deploy", "limit", "expandSubResources", "x y", "c@", "a3", "key",
         "ключ", "café", "a+b", "100%", "semi;colon", "sp ace", "eq=ual", "amp&er", "hash#tag"]
PATHS = ["/services/rest/record/v1/customer/123", "/services/rest/record/v1/customer/eid:ABC-1",
         "/services/rest/query/v1/suiteql", "/app/site/hosting/restlet.nl", "/a%20b/c%2Fd",
         "/caf%C3%A9/%E2%9C%93", "/", "", "/services/rest/record/v1/customer/", "/x~y/under_score/dash-dot.ext",
         "/a!b$c'd(e)f*g+h,i=j:k@l", "/p%2a%7e/Mixed%2fCase", "/services/rest/record/v1/metadata-catalog"]
HOSTS = ["123456.suitetalk.api.netsuite.com", "1234567-SB1.SuiteTalk.API.NetSuite.com",
         "TSTDRV1234567.restlets.api.netsuite.com", "EXAMPLE.com", "127.0.0.1"]
ACCOUNTS = {"123456": "123456", "1234567_SB1": "1234567_SB1", "1234567-sb2": "1234567_SB2",
            "tstdrv1234567": "TSTDRV1234567", "1234567_rp": "1234567_RP", "7654321": "7654321"}
AWKWARD_SECRET_CHARS = "&=+%/~!*()é✓:;@,"


def _pct(text: str, rng: random.Random) -> str:
    escaped = quote(text, safe="")
    if rng.random() < 0.2:  # lower-case hex digits are legal too
        escaped = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), escaped)
    return escaped


def encode_component(text: str, rng: random.Random, in_value: bool) -> str:
    """Percent-encode text for a query string, choosing a different legal spelling each time."""
    out = []
    for ch in text:
        r = rng.random()
        if ch == " ":
            out.append("+" if r < 0.5 else "%20")
        elif ch in UNRESERVED:
            out.append(ch if r < 0.9 else "%%%02X" % ord(ch))  # needless escapes decode to the same
        elif (ch in RAW_OK or (in_value and ch == "=")) and r < 0.3:
            out.append(ch)
        else:
            out.append(_pct(ch, rng))
    return "".join(out)


def random_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(WORDS)
    if kind < 0.7:
        return "".join(rng.choice(UNRESERVED + RESERVED + " ") for _ in range(rng.randint(1, 8)))
    if kind < 0.85:
        return rng.choice(WORDS) + rng.choice(UNICODE) + rng.choice(["", "1", " z"])
    return "".join(rng.choice(RESERVED) for _ in range(rng.randint(1, 4)))


def random_query(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(["", "?"])
    parts, keys = [], []
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(keys) if keys and rng.random() < 0.25 else random_text(rng)  # repeated keys
        keys.append(key)
        form = rng.random()
        if form < 0.15:
            parts.append(encode_component(key, rng, False))                     # key without '='
        elif form < 0.3:
            parts.append(encode_component(key, rng, False) + "=")               # empty value
        else:
            parts.append(encode_component(key, rng, False) + "=" + encode_component(random_text(rng), rng, True))
    if rng.random() < 0.05:
        parts.insert(rng.randint(0, len(parts)), "")                            # 'a=1&&b=2'
    return "?" + "&".join(parts)


def random_secret(rng: random.Random) -> str:
    if rng.random() < 0.85:
        return "".join(rng.choice("0123456789abcdef") for _ in range(64))
    middle = "".join(rng.choice(string.ascii_letters + AWKWARD_SECRET_CHARS) for _ in range(rng.randint(4, 30)))
    return "k" + middle + "9"


def random_request(rng: random.Random, scheme: str = "https") -> dict:
    ports = {"https": [None, 443, 8443], "http": [None, 80, 8080]}[scheme]
    port = rng.choice(ports)
    host = rng.choice(HOSTS)
    url = f"{scheme}://{host}{'' if port is None else f':{port}'}{rng.choice(PATHS)}{random_query(rng)}"
    account = rng.choice(list(ACCOUNTS))
    timestamp = rng.randint(1_000_000_000, 2_000_000_000)
    method = rng.choice(["GET", "POST", "PUT", "DELETE"])
    return {"method": method.lower() if rng.random() < 0.05 else method, "url": url, "account_id": account,
            "consumer_key": random_secret(rng), "consumer_secret": random_secret(rng),
            "token_id": random_secret(rng), "token_secret": random_secret(rng),
            "nonce": "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(6, 40))),
            "timestamp": str(timestamp) if rng.random() < 0.5 else timestamp}


def oauthlib_reference(req: dict) -> dict:
    """What oauthlib (an independent implementation) says the base string, signature and header are."""
    client = oauth1.Client(req["consumer_key"], client_secret=req["consumer_secret"],
                           resource_owner_key=req["token_id"], resource_owner_secret=req["token_secret"],
                           signature_method=oauth1.SIGNATURE_HMAC_SHA256, realm=ACCOUNTS[req["account_id"]],
                           nonce=req["nonce"], timestamp=str(req["timestamp"]))
    _, headers, _ = client.sign(req["url"], http_method=req["method"])
    header = headers["Authorization"]
    collected = oauthlib_signature.collect_parameters(uri_query=urlsplit(req["url"]).query,
                                                      headers={"Authorization": header})
    base = oauthlib_signature.signature_base_string(req["method"], oauthlib_signature.base_string_uri(req["url"]),
                                                    oauthlib_signature.normalize_parameters(collected))
    return {"base_string": base, "header": header, "signature": parse_authorization(header)["oauth_signature"]}


def compare(requests: list[dict], results: list[dict]) -> list[str]:
    problems = []
    for n, (req, got) in enumerate(zip(requests, results)):
        want = oauthlib_reference(req)
        issues = []
        if got.get("base_string") != want["base_string"]:
            issues.append(f"base_string\n  cli:      {got.get('base_string')}\n  oauthlib: {want['base_string']}")
        if got.get("signature") != want["signature"]:
            issues.append(f"signature cli {got.get('signature')} oauthlib {want['signature']}")
        try:
            if header_params(got.get("authorization", "")) != header_params(want["header"]):
                issues.append(f"header\n  cli:      {got.get('authorization')}\n  oauthlib: {want['header']}")
        except (ValueError, AssertionError) as e:
            issues.append(f"header unparseable ({e}): {got.get('authorization')!r}")
        if issues:
            problems.append(f"case {n}: {json.dumps(req, ensure_ascii=False)}\n" + "\n".join(issues))
    return problems


def test_conformance_with_oauthlib(run_cli):
    rng = random.Random(20240501)
    requests = [random_request(rng) for _ in range(600)]
    problems = compare(requests, sign_many(run_cli, requests))
    assert not problems, f"{len(problems)} of {len(requests)} cases differ from oauthlib:\n\n" + \
        "\n\n".join(problems[:15])


def test_conformance_with_oauthlib_plain_http(run_cli):
    # http (the scheme the local stand-in uses) with its own default port :80 dropped.
    rng = random.Random(7)
    requests = [random_request(rng, scheme="http") for _ in range(100)]
    problems = compare(requests, sign_many(run_cli, requests))
    assert not problems, f"{len(problems)} of {len(requests)} cases differ:\n\n" + "\n\n".join(problems[:10])


def test_standin_verifier_agrees_with_oauthlib():
    """The stand-in (used by the `test` command's tests) must agree with oauthlib on the same cases,
    so that a stand-in refusal means a signer bug, not a stand-in bug. Needs no binary."""
    rng = random.Random(20240501)
    for req in [random_request(rng) for _ in range(600)]:
        want = oauthlib_reference(req)
        params = parse_authorization(want["header"])
        base = netsuite_standin.signature_base_string(req["method"], req["url"], params)
        assert base == want["base_string"], req
        assert netsuite_standin.hmac_sha256_signature(base, req["consumer_secret"], req["token_secret"]) == \
            want["signature"], req


def test_cli_signatures_are_accepted_by_the_standin_over_the_wire(run_cli, standin, creds):
    """The CLI's headers for awkward paths and queries, sent as real HTTP requests to the stand-in,
    which verifies them with its own code (the request target is sent byte for byte as signed)."""
    rng = random.Random(99)
    now = int(time.time())
    requests, targets = [], []
    for n in range(150):
        parts = urlsplit(random_request(rng)["url"])
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        method = rng.choice(["GET", "POST", "PUT", "DELETE"])
        requests.append(dict(creds, method=method, url=f"{standin.base_url}{target}", account_id=REALM,
                             nonce=f"wire{n:04d}x{rng.randrange(10**9)}", timestamp=now))
        targets.append(target)
    results = sign_many(run_cli, requests)
    conn = http.client.HTTPConnection("127.0.0.1", standin.port, timeout=10)
    refused = []
    for req, target, result in zip(requests, targets, results):
        conn.request(req["method"], target, body=b"" if req["method"] in ("POST", "PUT") else None,
                     headers={"Authorization": result["authorization"]})
        response = conn.getresponse()
        response.read()
        audit = standin.last_audit()
        if response.status == 401 or audit["status"] != "Success":
            refused.append(f"{req['method']} {target}: {audit['detail']} ({audit['note']})\n"
                           f"  cli:      {result['base_string']}\n  stand-in: {audit['server_base_string']}")
    conn.close()
    assert not refused, f"{len(refused)} of {len(requests)} refused:\n" + "\n".join(refused[:10])


def test_generator_covers_the_awkward_cases():
    """Guards the generator itself: the seeded run above really contains each awkward feature."""
    rng = random.Random(20240501)
    urls = [random_request(rng)["url"] for _ in range(600)]
    joined = "\n".join(urls)
    for feature in ("%20", "+", "%C3%A9", "%E2%9C%93", "%21", "%2A", "%27", "%28", "%29", "%3B", "%3A", "%40",
                    "%26", "%3D", "%2B", "%24", "%2C", "%2F", "%3F", "%23", "%5B", "%5D", ":8443", ":443/",
                    "/a%20b/c%2Fd", "SuiteTalk.API"):
        assert feature in joined, feature
    queries = [urlsplit(u).query for u in urls]
    assert any("=&" in q or q.endswith("=") for q in queries)                       # empty values
    assert any(any(p and "=" not in p for p in q.split("&")) for q in queries)       # keys without '='
    assert any(len({p.split("=")[0] for p in q.split("&")}) < len(q.split("&")) for q in queries if q)  # repeats


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("mutate, mentions", [
    (lambda r: r.pop("token_secret"), "token_secret"),
    (lambda r: r.pop("url"), "url"),
    (lambda r: r.update(url="not a url"), "url"),
    (lambda r: r.update(account_id="12 34!"), "account"),
    (lambda r: r.update(method=""), "method"),
], ids=["missing-secret", "missing-url", "bad-url", "bad-account", "empty-method"])
def test_bad_input_exits_2_without_echoing_secrets(run_cli, mutate, mentions):
    req = dict(VECTORS[0].values[0])
    mutate(req)
    run = run_cli("sign", stdin=json.dumps(req), secrets=[O_CS, O_TS])
    assert run.returncode == 2, str(run)
    assert mentions.lower() in run.stderr.lower(), str(run)
    assert run.stdout.strip() == ""


def test_bad_json_and_bad_jsonl_line(run_cli):
    run = run_cli("sign", stdin='{"consumer_secret": "' + O_CS + '", ', secrets=[O_CS])
    assert run.returncode == 2 and run.stderr.strip(), str(run)
    good = json.dumps(VECTORS[0].values[0])
    bad = json.dumps({"method": "GET", "consumer_secret": O_CS, "token_secret": O_TS})
    run = run_cli("sign", "--jsonl", stdin=f"{good}\n{bad}\n", secrets=[O_CS, O_TS])
    assert run.returncode == 2 and "2" in run.stderr, str(run)
