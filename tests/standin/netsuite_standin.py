#!/usr/bin/env python3
"""A local stand-in for NetSuite's REST web services, for tba-wizard's tests.

Why it exists: the wizard's signed test call must be proven against something
that *really* checks OAuth 1.0a (HMAC-SHA256) the way NetSuite does, and that
can be made to misbehave on purpose (slow, dropped connection, 429, 403, 500,
garbage, a server clock that is off).  Real NetSuite accounts cannot be used
in CI, so this server plays NetSuite.

Design rules:
* It never calls the project's signer.  The signature check below is its own
  implementation (hmac/hashlib/urllib), so a bug in the Rust signer cannot be
  hidden by the same bug here.  Its base-string function is checked against
  Oracle's published test vector in test_standin.py.
* Every authentication failure answers exactly what NetSuite answers (one
  opaque 401 "Invalid login attempt" body, see UNAUTHORIZED_BODY) and writes the
  real reason into ``login_audit_trail``, like NetSuite's Login Audit Trail
  "Detail" column, so tests can assert *why* a request was refused.
* Every request is recorded (``requests``) so tests can assert e.g. that a
  retry used a fresh nonce.
* Standard library only, except the OAuth 2.0 token endpoint: it verifies client
  assertions with PyJWT and cryptography (tests/requirements.txt), imported when
  first needed, never with the project's code.  It binds 127.0.0.1 on an
  ephemeral port.

OAuth 2.0 client credentials (M2M), as the project's NetSuite notes describe it:
* POST /services/rest/auth/oauth2/v1/token, form-encoded: grant_type=
  client_credentials, client_assertion_type=urn:ietf:params:oauth:client-
  assertion-type:jwt-bearer, client_assertion=<JWT>.
* The JWT's header: typ JWT, alg one of PS256/PS384/PS512/ES256/ES384/ES512
  (RS256 refused), kid = the Certificate ID of a mapping.  Its signature is
  checked against that mapping's uploaded certificate, whose key must fit alg
  (P-256/P-384/P-521; RSA of 3072 bits or more) and which must be neither
  revoked nor outside its dates.  Claims: iss = the mapping's Client ID (of an
  integration record with the M2M grant), aud = the URL posted to, iat and exp
  with exp - iat under 60 minutes, iat no more than 300 s ahead of the server,
  exp not past; scope a JSON array or a comma-separated string of scopes
  ticked on the record.
* Refusals answer bare, as users report NetSuite does (400 invalid_request or
  invalid_grant, 500 server_error); the real reason goes to the audit trail
  with ``reason``.  A token lasts ``access_token_seconds`` (3600) and is
  checked on every Bearer call, with its scope (rest_webservices for REST).
* The certificate endpoint (rotation by API), NetSuite 2026.1, with a Bearer
  token of the client named in the path and the role permission "Manage own
  OAuth 2.0 Client Credentials certificates" (``manage_certificates`` of the
  client here): GET .../auth/oauth2/v1/clients/<ClientID>/certificates lists
  the client's mappings, POST there with {"fileContent": PEM, "role", "entity"}
  adds one (at most 5 active per client), POST .../certificates/<ID>/revoke
  revokes one.  The list is NetSuite's as a public client of the endpoint
  reads it: a bare JSON array of {certificate_id, algorithm, created,
  valid_from, valid_until, revoked, application{id,name,url,application_id},
  entity{id,name,url}, role{id,name,url}}, as application/vnd.oracle.resource
  +json.  Paging as on NetSuite's other REST lists ({items, hasMore, offset,
  count, totalResults, links}) is switched on by ``certificate_list_page_size``;
  errors come as plain text with ``certificate_errors_as_text``; an accepted
  upload is answered late (after the client gave up) with
  ``certificate_upload_delay_seconds``.  The upload's answer can be switched
  (``certificate_upload_answer``) and the list's replaced
  (``certificate_list_body``) to test a client's defensive reading.

Facts used (copied from the project's NetSuite notes so nothing at build or
test time depends on files outside the repo):
* base string = UPPER(method) & enc(scheme://host[:port]/path) & enc(params),
  params = query parameters (decoded, '+' is a space) plus the oauth_* header
  parameters except realm and oauth_signature, each RFC 3986-encoded, sorted
  by name then value, joined with '=' and '&'.  realm is NOT in the base string;
  a JSON body is NOT signed.  Scheme and host lower case; default ports dropped.
* key = enc(consumer_secret) & enc(token_secret); HMAC-SHA256; Base64.
* realm = account ID upper case with underscore (1234567_SB1); a wrong-case
  realm is refused.  Host label = lower case with hyphen (1234567-sb1).
* nonce >= 6 chars, nonce+timestamp never reused; timestamp within +-300 s;
  oauth_version, if present, must be "1.0".

Use from Python::

    with NetSuiteStandin(realm="1234567_SB1") as ns:
        ns.add_credentials("ck", "cs", "tk", "ts")
        ns.queue_faults(["429", "ok"])
        ... ns.base_url, ns.requests, ns.login_audit_trail, ns.last_audit() ...

More accounts behind one address: ``realms=[...]`` adds accounts (told apart by
the OAuth realm, as the Host header is the stand-in's own), and
``add_credentials(..., realm=R)`` ties a token to one of them.  ``stats()``
gives the most requests seen in flight at once, per account and overall;
``response_delay_seconds`` holds every answer back so that overlap happens.

Or as a process (for out-of-process tests)::

    python tests/standin/netsuite_standin.py --port 0 --config FILE.json
    -> prints "READY http://127.0.0.1:PORT"; control endpoints under /__standin/
    (POST faults|config|reset, GET audit|requests|stats|health).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import re
import secrets
import signal
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlsplit

TIMESTAMP_WINDOW_SECONDS = 300
MIN_NONCE_LENGTH = 6
ERROR_CONTENT_TYPE = "application/vnd.oracle.resource+json; type=error"
COLLECTION_CONTENT_TYPE = "application/vnd.oracle.resource+json; type=collection"

# NetSuite's REST 401 body, byte for byte.  Every TBA failure looks like this.
UNAUTHORIZED_BODY = (
    '{"type":"https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.2",'
    '"title":"Unauthorized","status":401,"o:errorDetails":[{"detail":"Invalid login '
    "attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > "
    'Users/Roles > User Management > View Login Audit Trail.","o:errorCode":"INVALID_LOGIN"}]}'
)

FAULT_KINDS = ("ok", "slow", "hold", "close", "429", "concurrency400", "403", "500", "garbage", "garbage502", "error")
DEFAULT_SLOW_SECONDS = 10.0


# --------------------------------------------------------------------------- signing
def enc(value: str) -> str:
    """RFC 3986 / RFC 5849 §3.6 percent-encoding of UTF-8: only A-Z a-z 0-9 - . _ ~ stay."""
    return quote(value.encode("utf-8"), safe="")


def canonical_account(account: str) -> str:
    """Account ID as NetSuite's realm: upper case, underscore (1234567-sb1 -> 1234567_SB1)."""
    return account.strip().replace("-", "_").upper()


def host_label(account: str) -> str:
    """Account ID as a host label: lower case, hyphen (1234567_SB1 -> 1234567-sb1)."""
    return canonical_account(account).lower().replace("_", "-")


def base_string_uri(url: str) -> str:
    """scheme://host[:port]/path: lower-case scheme and host, default port dropped,
    path kept exactly as sent (percent-escapes included), query and fragment removed."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return f"{scheme}://{host}{parts.path or '/'}"


def signature_base_string(method: str, url: str, oauth_params: dict) -> str:
    """RFC 5849 §3.4.1 base string.  Query parameters are form-decoded ('+' = space,
    a key without '=' has an empty value); realm and oauth_signature are left out."""
    pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    pairs += [(k, v) for k, v in oauth_params.items() if k not in ("realm", "oauth_signature")]
    normalized = "&".join(f"{k}={v}" for k, v in sorted((enc(k), enc(v)) for k, v in pairs))
    return "&".join((enc(method.upper()), enc(base_string_uri(url)), enc(normalized)))


def hmac_sha256_signature(base_string: str, consumer_secret: str, token_secret: str) -> str:
    """Base64 HMAC-SHA256 with key enc(consumer_secret)&enc(token_secret)."""
    key = f"{enc(consumer_secret)}&{enc(token_secret)}".encode("utf-8")
    return base64.b64encode(hmac.new(key, base_string.encode("utf-8"), hashlib.sha256).digest()).decode()


_HEADER_PARAM = re.compile(r'\s*([A-Za-z0-9_.\-]+)\s*=\s*"([^"]*)"\s*(?:,\s*|$)')


def parse_authorization(value: str | None) -> dict | None:
    """Parse 'OAuth realm="…", oauth_token="…", …'; values are percent-decoded.
    Returns None when there is no OAuth header; raises ValueError when it is malformed."""
    if not value:
        return None
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() != "oauth":
        return None
    params: dict[str, str] = {}
    rest, pos = rest.strip(), 0
    while pos < len(rest):
        m = _HEADER_PARAM.match(rest, pos)
        if not m:
            raise ValueError(f"malformed Authorization header near {rest[pos:pos + 24]!r}")
        if m.group(1) in params:
            raise ValueError(f"parameter {m.group(1)} appears twice")
        params[m.group(1)] = unquote(m.group(2))
        pos = m.end()
    return params


# --------------------------------------------------------------------------- NetSuite-shaped bodies
_TYPES = {400: "sec10.4.1", 401: "sec10.4.2", 403: "sec10.4.4", 404: "sec10.4.5", 405: "sec10.4.6",
          500: "sec10.5.1"}
_TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           429: "Too Many Requests", 500: "Internal Server Error"}


def netsuite_error(status: int, code: str, detail: str) -> dict:
    """The REST web services error shape: type/title/status/o:errorDetails[{detail,o:errorCode}].
    NetSuite's exact 429 and 403 bodies are not published; these follow the same shape."""
    type_url = ("https://tools.ietf.org/html/rfc6585#section-4" if status == 429 else
                "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#" + _TYPES.get(status, "sec10.4.1"))
    return {"type": type_url, "title": _TITLES.get(status, "Error"), "status": status,
            "o:errorDetails": [{"detail": detail, "o:errorCode": code}]}


FAULT_BODIES = {
    "429": (429, netsuite_error(429, "CONCURRENCY_LIMIT_EXCEEDED", "Request blocked: the concurrency limit "
                                "for this account has been exceeded. Try again later.")),
    "concurrency400": (400, netsuite_error(400, "SSS_REQUEST_LIMIT_EXCEEDED", "The request could not be "
                                           "processed because the account's concurrent request limit was reached.")),
    "403": (403, netsuite_error(403, "INSUFFICIENT_PERMISSION", "Permission Violation: You need the 'REST Web "
                                "Services' permission to access this page. Contact your account administrator.")),
    "500": (500, netsuite_error(500, "UNEXPECTED_ERROR", "An unexpected error occurred. Error ID: standin0000")),
}
GARBAGE_HTML = b"<!DOCTYPE html><html><head><title>Network login</title></head><body><h1>Welcome to Hotel WiFi</h1>" \
               b"<p>Please accept the terms to continue.</p></body></html>"
BAD_GATEWAY_HTML = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>" \
                   b"</center><hr><center>proxy</center></body></html>"


def parse_fault(spec) -> tuple[str, float | tuple | None]:
    """'429', 'slow', 'slow:2.5' or {'kind': 'slow', 'seconds': 2.5} -> (kind, seconds).

    {'kind': 'error', 'status'?: 400, 'code'?: '…', 'detail'?: '…'} -> ('error', (status, body)): a
    NetSuite-shaped error answer with any code and detail, for tests of what the wizard does with text
    that comes from the server (control characters included: the JSON escapes them, as NetSuite's would)."""
    if isinstance(spec, dict) and spec.get("kind") == "error":
        status = spec.get("status", 400)
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise ValueError(f"an error fault's status must be 400 to 599, not {status!r}")
        code = str(spec.get("code", "INVALID_PARAMETER"))
        detail = str(spec.get("detail", "The stand-in was told to answer with this error."))
        return "error", (status, netsuite_error(status, code, detail))
    if isinstance(spec, dict):
        kind, seconds = str(spec.get("kind")), spec.get("seconds")
    else:
        kind, _, arg = str(spec).partition(":")
        seconds = float(arg) if arg else None
    if kind not in FAULT_KINDS or kind == "error":
        raise ValueError(f"unknown fault {spec!r}; known: {', '.join(FAULT_KINDS)} ('error' as an object)")
    return kind, (float(seconds) if seconds is not None else None)


# --------------------------------------------------------------------------- the server
class NetSuiteStandin:
    """One fake NetSuite account (``realm``) with its integrations and tokens."""

    def __init__(self, realm: str = "1234567_SB1", credentials=(), known_accounts=(), denied_tables=(),
                 clock_skew_seconds: float = 0, host: str = "127.0.0.1", port: int = 0,
                 slow_seconds: float = DEFAULT_SLOW_SECONDS, denied_status: int = 403, realms=(),
                 response_delay_seconds: float = 0, tls_context=None):
        self.realm = realm                       # compared case-sensitively, as NetSuite does
        self.extra_realms = set(realms)          # further accounts served at the same address
        self.known_accounts = ({canonical_account(a) for a in known_accounts} | {canonical_account(realm)}
                               | {canonical_account(r) for r in realms})
        self.response_delay_seconds = response_delay_seconds
        self.denied_tables = {t.lower() for t in denied_tables}
        self.denied_status = denied_status
        self.clock_skew_seconds = clock_skew_seconds
        self.send_date_header = True             # False: answers carry no Date, as some proxies strip it
        self.slow_seconds = slow_seconds
        self.consumers: dict[str, dict] = {}     # consumer key -> {"secret", "blocked"}
        self.tokens: dict[str, dict] = {}        # token id -> {"secret", "consumer_key", "revoked"}
        self.requests: list[dict] = []
        self.login_audit_trail: list[dict] = []
        self._nonces: set[tuple] = set()
        self.m2m_clients: dict[str, dict] = {}       # Client ID -> {"scopes": set, "m2m": bool}
        self.m2m_certificates: dict[str, dict] = {}  # Certificate ID -> {"pem", "client_id", "revoked", ...}
        self.access_tokens: dict[str, dict] = {}     # token -> {"client_id", "scopes", "expires_at"}
        self.access_token_seconds = 3600
        self.certificate_upload_answer = "body"     # "body" | "location" | "empty": see certificate_api
        self.certificate_list_body: str | None = None  # replaces the list's answer (200) when set
        self.certificate_list_page_size: int | None = None  # pages the list ({items, hasMore, …}) when set
        self.certificate_errors_as_text = False     # the endpoint's errors as text/plain, as NetSuite may send
        self.certificate_upload_delay_seconds = 0.0  # an accepted upload answered this late
        self._faults: list[tuple] = []
        self._always_fault: tuple | None = None
        self._in_flight: dict[str, int] = {}     # account (realm, or "" without one) -> requests now
        self._max_in_flight: dict[str, int] = {}
        self._in_flight_total = 0
        self._max_in_flight_total = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        # A "hold" fault keeps its request unanswered until release_held(): a test can look at a client
        # waiting on one particular call for as long as it needs, without a timer deciding for it.
        self._released = threading.Event()
        for c in credentials:
            self.add_credentials(c["consumer_key"], c["consumer_secret"], c["token_id"], c["token_secret"],
                                 revoked=c.get("revoked", False), blocked=c.get("blocked", False),
                                 realm=c.get("realm"))
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.standin = self
        # ``tls_context``: an ssl.SSLContext (server side) to serve HTTPS, as behind a TLS-inspecting proxy.
        self.scheme = "http"
        if tls_context is not None:
            self._server.socket = tls_context.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self._thread: threading.Thread | None = None

    @classmethod
    def from_config(cls, cfg: dict, host="127.0.0.1", port=0) -> "NetSuiteStandin":
        """Config JSON: {"realm", "credentials": [{consumer_key, consumer_secret, token_id, token_secret,
        revoked?, blocked?, realm?}], "known_accounts"?, "denied_tables"?, "clock_skew_seconds"?, "slow_seconds"?,
        "realms"?, "response_delay_seconds"?}"""
        return cls(realm=cfg.get("realm", "1234567_SB1"), credentials=cfg.get("credentials", ()),
                   known_accounts=cfg.get("known_accounts", ()), denied_tables=cfg.get("denied_tables", ()),
                   clock_skew_seconds=cfg.get("clock_skew_seconds", 0), host=host, port=port,
                   slow_seconds=cfg.get("slow_seconds", DEFAULT_SLOW_SECONDS),
                   denied_status=cfg.get("denied_status", 403), realms=cfg.get("realms", ()),
                   response_delay_seconds=cfg.get("response_delay_seconds", 0))._configure_m2m(cfg)

    def _configure_m2m(self, cfg: dict) -> "NetSuiteStandin":
        """Config keys: "m2m_clients": [{client_id, scopes?, m2m?, manage_certificates?}], "m2m_certificates":
        [{certificate_id, pem, client_id, revoked?, entity_disabled?, entity?, role?}], "m2m_revoke":
        [certificate_id], "access_token_seconds", "expire_access_tokens": true, and for the certificate
        endpoint "certificate_upload_answer": "body"|"location"|"empty", "certificate_list_body": text|null."""
        for c in cfg.get("m2m_clients", []):
            self.add_m2m_client(c["client_id"], scopes=c.get("scopes", ("rest_webservices",)), m2m=c.get("m2m", True),
                                manage_certificates=c.get("manage_certificates", False))
        for c in cfg.get("m2m_certificates", []):
            self.add_m2m_certificate(c["certificate_id"], c["pem"], c["client_id"], revoked=c.get("revoked", False),
                                     entity_disabled=c.get("entity_disabled", False),
                                     entity=c.get("entity", DEFAULT_ENTITY), role=c.get("role", DEFAULT_ROLE))
        if "certificate_upload_answer" in cfg:
            self.set_certificate_upload_answer(cfg["certificate_upload_answer"])
        if "certificate_list_body" in cfg:
            body = cfg["certificate_list_body"]
            if body is not None and not isinstance(body, str):
                raise ValueError("certificate_list_body must be text or null")
            self.certificate_list_body = body
        if "certificate_list_page_size" in cfg:
            size = cfg["certificate_list_page_size"]
            if size is not None and (not isinstance(size, int) or size < 1):
                raise ValueError("certificate_list_page_size must be a positive whole number or null")
            self.certificate_list_page_size = size
        if "certificate_errors_as_text" in cfg:
            self.certificate_errors_as_text = bool(cfg["certificate_errors_as_text"])
        if "certificate_upload_delay_seconds" in cfg:
            self.certificate_upload_delay_seconds = float(cfg["certificate_upload_delay_seconds"])
        for cert_id in cfg.get("m2m_revoke", []):
            self.revoke_m2m_certificate(cert_id)
        if "access_token_seconds" in cfg:
            self.access_token_seconds = float(cfg["access_token_seconds"])
        if cfg.get("expire_access_tokens"):
            with self._lock:
                for t in self.access_tokens.values():
                    t["expires_at"] = 0
        return self

    # ---- lifecycle
    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> "NetSuiteStandin":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="netsuite-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()                     # wakes 'slow' handlers
        self._released.set()                     # and 'hold' ones
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- configuration from tests
    def now(self) -> float:
        """The server's clock: real time plus the configured skew."""
        return time.time() + self.clock_skew_seconds

    def add_credentials(self, consumer_key, consumer_secret, token_id, token_secret, revoked=False, blocked=False,
                        realm=None):
        """``realm``: the account the token was made in (None: any account this stand-in serves)."""
        with self._lock:
            self.consumers[consumer_key] = {"secret": consumer_secret, "blocked": blocked}
            self.tokens[token_id] = {"secret": token_secret, "consumer_key": consumer_key, "revoked": revoked,
                                     "realm": realm}

    def reset_consumer(self, old_key: str, new_key: str, new_secret: str) -> None:
        """NetSuite's Reset Credentials: a new consumer pair; the old key stops working at once and the
        integration's tokens work with the new pair."""
        with self._lock:
            del self.consumers[old_key]
            self.consumers[new_key] = {"secret": new_secret, "blocked": False}
            for token in self.tokens.values():
                if token["consumer_key"] == old_key:
                    token["consumer_key"] = new_key

    def add_realm(self, realm: str) -> None:
        """Serve one more account at the same address."""
        with self._lock:
            self.extra_realms.add(realm)
            self.known_accounts.add(canonical_account(realm))

    def revoke_token(self, token_id: str) -> None:
        with self._lock:
            self.tokens[token_id]["revoked"] = True

    def add_m2m_client(self, client_id: str, scopes=("rest_webservices",), m2m: bool = True,
                       manage_certificates: bool = False) -> None:
        """An integration record: its Client ID, the OAuth 2.0 scopes ticked, whether its CLIENT
        CREDENTIALS (MACHINE TO MACHINE) GRANT box is ticked, and whether the role its mappings use has the
        permission "Manage own OAuth 2.0 Client Credentials certificates" (the certificate endpoint)."""
        with self._lock:
            self.m2m_clients[client_id] = {"scopes": set(scopes), "m2m": m2m,
                                           "manage_certificates": bool(manage_certificates)}

    def add_m2m_certificate(self, certificate_id: str, pem: str, client_id: str, revoked: bool = False,
                            entity_disabled: bool = False, entity: str = None, role: str = None) -> None:
        """A mapping (M2M Setup): the uploaded certificate, for the integration record ``client_id``, the
        user (``entity``) and the ``role`` it runs as (internal IDs, as text of digits)."""
        from cryptography import x509
        cert = x509.load_pem_x509_certificate(pem.encode())     # refuses what NetSuite's upload would
        with self._lock:
            self.m2m_certificates[certificate_id] = {
                "pem": pem, "cert": cert, "client_id": client_id, "revoked": revoked,
                "entity_disabled": entity_disabled, "entity": str(entity if entity is not None else DEFAULT_ENTITY),
                "role": str(role if role is not None else DEFAULT_ROLE)}

    def set_certificate_upload_answer(self, kind: str) -> None:
        """How an accepted upload is answered: "body" (201, the new mapping as JSON, its ID under "id"),
        "location" (204, the ID only at the end of a Location header) or "empty" (204, nothing at all)."""
        if kind not in CERTIFICATE_UPLOAD_ANSWERS:
            raise ValueError(f"certificate_upload_answer must be one of {', '.join(CERTIFICATE_UPLOAD_ANSWERS)}")
        with self._lock:
            self.certificate_upload_answer = kind

    def revoke_m2m_certificate(self, certificate_id: str) -> None:
        with self._lock:
            self.m2m_certificates[certificate_id]["revoked"] = True

    def queue_faults(self, faults) -> None:
        """Append faults; each applies to one request, in order ('ok' = behave normally)."""
        parsed = [parse_fault(f) for f in faults]
        with self._lock:
            if any(kind == "hold" for kind, _ in parsed):
                self._released.clear()
            self._faults.extend(parsed)

    def set_fault(self, fault) -> None:
        """A fault for every request once the queue is empty (None clears it)."""
        parsed = parse_fault(fault) if fault is not None else None
        with self._lock:
            self._always_fault = parsed

    def release_held(self) -> None:
        """Let every request kept by a "hold" fault go on (and any later one pass at once)."""
        self._released.set()

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._always_fault = None

    def reset(self) -> None:
        """Forget requests, audit entries, used nonces, faults and stats (credentials stay)."""
        with self._lock:
            self._max_in_flight = dict(self._in_flight)
            self._max_in_flight_total = self._in_flight_total
            self.requests.clear()
            self.login_audit_trail.clear()
            self._nonces.clear()
            self.access_tokens.clear()
            self._faults.clear()
            self._always_fault = None
            self.certificate_upload_answer = "body"
            self.certificate_list_body = None
            self.certificate_list_page_size = None
            self.certificate_errors_as_text = False
            self.certificate_upload_delay_seconds = 0.0

    # ---- reading from tests
    def api_requests(self) -> list[dict]:
        with self._lock:
            return [dict(r) for r in self.requests]

    def token_requests(self) -> list[dict]:
        """The token requests received (POSTs to the token endpoint), refused or not: what a client sent with
        an assertion in it."""
        return [r for r in self.api_requests() if r["method"] == "POST" and r["path"] == TOKEN_PATH]

    def audit(self) -> list[dict]:
        with self._lock:
            return [dict(a) for a in self.login_audit_trail]

    def last_audit(self) -> dict | None:
        with self._lock:
            return dict(self.login_audit_trail[-1]) if self.login_audit_trail else None

    def failure_reasons(self) -> list[str]:
        return [a["detail"] for a in self.audit() if a["status"] == "Failure"]

    def stats(self) -> dict:
        """The most API requests in flight at once: per account (by OAuth realm; "" for requests without
        one, such as datacenterurls) and overall.  Control requests are not counted."""
        with self._lock:
            return {"max_in_flight": dict(self._max_in_flight), "max_in_flight_total": self._max_in_flight_total,
                    "in_flight": {k: v for k, v in self._in_flight.items() if v}}

    def _enter(self, account: str) -> None:
        with self._lock:
            now = self._in_flight[account] = self._in_flight.get(account, 0) + 1
            self._max_in_flight[account] = max(self._max_in_flight.get(account, 0), now)
            self._in_flight_total += 1
            self._max_in_flight_total = max(self._max_in_flight_total, self._in_flight_total)

    def _leave(self, account: str) -> None:
        with self._lock:
            self._in_flight[account] -= 1
            self._in_flight_total -= 1

    # ---- internals
    def _next_fault(self):
        with self._lock:
            return self._faults.pop(0) if self._faults else self._always_fault

    def verify(self, method: str, url: str, header: str | None) -> tuple[str, str, dict | None, str | None]:
        """Check one request's OAuth.  Returns (detail, note, oauth_params, base_string), where
        detail is "Success" or the Login Audit Trail reason.  Records the audit entry."""
        base, params = None, None
        try:
            params = parse_authorization(header)
            detail, note, base = self._check(method, url, params)
        except ValueError as e:
            detail, note = "MissingTokenPassportRequiredFields", str(e)
        p = params or {}
        with self._lock:
            self.login_audit_trail.append({
                "date": formatdate(self.now(), usegmt=True), "status": "Success" if detail == "Success" else "Failure",
                "detail": detail, "note": note, "realm": p.get("realm"), "consumer_key": p.get("oauth_consumer_key"),
                "token_id": p.get("oauth_token"), "nonce": p.get("oauth_nonce"),
                "timestamp": p.get("oauth_timestamp"), "url": url, "server_base_string": base})
        return detail, note, params, base

    def _check(self, method, url, p):
        if p is None:
            return "MissingTokenPassportRequiredFields", "no 'Authorization: OAuth …' header", None
        required = ("realm", "oauth_consumer_key", "oauth_token", "oauth_nonce", "oauth_timestamp",
                    "oauth_signature_method", "oauth_signature")
        missing = [k for k in required if not p.get(k)]
        if missing:
            return "MissingTokenPassportRequiredFields", "missing " + ", ".join(missing), None
        if p["realm"] != self.realm and p["realm"] not in self.extra_realms:
            return "InvalidRealm", f"realm {p['realm']!r} is not this account ({self.realm!r}; case matters)", None
        if p["oauth_signature_method"] != "HMAC-SHA256":
            return "InvalidSignatureMethod", f"signature method {p['oauth_signature_method']!r}", None
        if "oauth_version" in p and p["oauth_version"] != "1.0":
            return "InvalidVersion", f"oauth_version {p['oauth_version']!r}", None
        with self._lock:
            consumer = self.consumers.get(p["oauth_consumer_key"])
            token = self.tokens.get(p["oauth_token"])
        if consumer is None:
            return "consumer_key_unknown", "no integration record has this consumer key", None
        if consumer["blocked"]:
            return "consumer_key_refused", "the integration record is blocked", None
        if token is None:
            return "InvalidToken", "no access token has this token ID", None
        if token["consumer_key"] != p["oauth_consumer_key"]:
            return "InvalidToken", "the token belongs to another integration record", None
        if token.get("realm") is not None and token["realm"] != p["realm"]:
            return "InvalidToken", f"the token belongs to account {token['realm']!r}, not {p['realm']!r}", None
        if token["revoked"]:
            return "TokenRevoked", "the access token is revoked", None
        nonce, ts = p["oauth_nonce"], p["oauth_timestamp"]
        if len(nonce) < MIN_NONCE_LENGTH:
            return "nonce_rejected", f"nonce is {len(nonce)} characters (minimum {MIN_NONCE_LENGTH})", None
        if not ts.isdigit():
            return "InvalidTimestamp", f"timestamp {ts!r} is not Unix seconds", None
        drift = int(ts) - self.now()
        if abs(drift) > TIMESTAMP_WINDOW_SECONDS:
            return "InvalidTimestamp", f"timestamp is {drift:+.0f} s from server time", None
        base = signature_base_string(method, url, p)
        expected = hmac_sha256_signature(base, consumer["secret"], token["secret"])
        if not hmac.compare_digest(expected, p["oauth_signature"]):
            return "InvalidSignature", "signature does not match the server's base string", base
        with self._lock:
            key = (p["oauth_token"], nonce, ts)
            if key in self._nonces:
                return "nonce_used", "this nonce+timestamp was already used", base
            self._nonces.add(key)
        return "Success", "", base


    # ---- OAuth 2.0 client credentials
    def _audit_m2m(self, detail: str, reason: str, note: str, url: str, **extra) -> None:
        with self._lock:
            self.login_audit_trail.append({
                "date": formatdate(self.now(), usegmt=True), "status": "Success" if detail == "Success" else "Failure",
                "detail": detail, "reason": reason, "note": note, "url": url, **extra})

    def token_request(self, url: str, content_type: str, body: bytes) -> tuple[int, dict, str]:
        """Checks a token request.  Returns (status, JSON answer, reason); reason "ok" on success."""
        fields = {}
        if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
            fields = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        detail, reason, note, status, claims, kid = self._check_assertion(url, fields)
        self._audit_m2m(detail, reason, note, url, kid=kid, client_id=(claims or {}).get("iss"))
        if detail != "Success":
            error = {400: "invalid_request", 401: "invalid_grant"}.get(status, "server_error")
            if status == 401:
                status = 400
            return status, {"error": error}, reason
        token = base64.urlsafe_b64encode(hashlib.sha256(f"{time.time_ns()}{kid}".encode()).digest()).decode().rstrip("=")
        with self._lock:
            self.access_tokens[token] = {"client_id": claims["iss"], "scopes": set(_scopes(claims["scope"])),
                                         "expires_at": self.now() + self.access_token_seconds, "kid": kid}
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": int(self.access_token_seconds)}, "ok"

    def _check_assertion(self, url: str, f: dict):
        """(detail, reason, note, status, claims, kid).  status 400 = malformed request (invalid_request),
        401 = a refused assertion (invalid_grant), 500 = what users see as a bare server_error."""
        import jwt
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        def no(detail, reason, note, status=401, claims=None, kid=None):
            return detail, reason, note, status, claims, kid

        if f.get("grant_type") != "client_credentials":
            return no("InvalidRequest", "grant_type", f"grant_type {f.get('grant_type')!r}", 400)
        if f.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return no("InvalidRequest", "assertion_type", "client_assertion_type is not jwt-bearer", 400)
        assertion = f.get("client_assertion", "")
        try:
            header = jwt.get_unverified_header(assertion)
        except jwt.exceptions.DecodeError as e:
            return no("InvalidRequest", "malformed", f"the assertion is not a JWT: {e}", 400)
        kid, alg = header.get("kid"), header.get("alg")
        if str(header.get("typ", "")).upper() != "JWT":
            return no("TokenRejected", "typ", f"typ {header.get('typ')!r}", kid=kid)
        if alg not in M2M_ALGORITHMS:
            return no("TokenRejected", "algorithm_refused", f"alg {alg!r} is not accepted", 500, kid=kid)
        with self._lock:
            mapping = self.m2m_certificates.get(kid) if isinstance(kid, str) else None
        if mapping is None:
            return no("TokenRejected", "unknown_kid", f"no mapping has the Certificate ID {kid!r}", 500, kid=kid)
        if mapping["revoked"]:
            return no("TokenRejected", "certificate_revoked", "the mapping's certificate is revoked", kid=kid)
        cert, now = mapping["cert"], self.now()
        if now >= cert.not_valid_after_utc.timestamp():
            return no("TokenRejected", "certificate_expired", "the mapping's certificate has expired", kid=kid)
        if now < cert.not_valid_before_utc.timestamp():
            return no("TokenRejected", "certificate_not_yet_valid", "the certificate is not valid yet", kid=kid)
        key = cert.public_key()
        if alg.startswith("ES"):
            fits = isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == M2M_CURVES[alg]
        else:
            fits = isinstance(key, rsa.RSAPublicKey) and key.key_size >= 3072
        if not fits:
            return no("InvalidSignature", "key_does_not_fit_alg", f"the certificate's key cannot sign {alg}", kid=kid)
        try:
            claims = jwt.decode(assertion, key=key, algorithms=[alg], audience=url,
                                options={"require": ["iss", "aud", "iat", "exp", "scope"],
                                         "verify_exp": False, "verify_iat": False, "verify_nbf": False})
        except jwt.exceptions.InvalidSignatureError:
            return no("InvalidSignature", "bad_signature", "the signature does not verify with the certificate", kid=kid)
        except jwt.exceptions.InvalidAudienceError:
            return no("TokenRejected", "wrong_aud", f"aud is not {url}", kid=kid)
        except jwt.exceptions.MissingRequiredClaimError as e:
            return no("TokenRejected", "missing_claim", str(e), kid=kid)
        except jwt.exceptions.PyJWTError as e:
            return no("TokenRejected", "invalid_jwt", f"{type(e).__name__}: {e}", kid=kid)
        iss = claims["iss"]
        with self._lock:
            client = self.m2m_clients.get(iss)
        if client is None:
            return no("InvalidIntegration", "unknown_client", "no integration record has this Client ID", 500, claims, kid)
        if iss != mapping["client_id"]:
            return no("ClientAuthenticationFailed", "wrong_iss", "the mapping is for another integration record",
                      500, claims, kid)
        if not client["m2m"]:
            return no("AuthorizationCodeGrantRequired", "m2m_grant_off", "the record's M2M grant box is off", 500,
                      claims, kid)
        if mapping["entity_disabled"]:
            return no("EntityOrRoleDisabled", "entity_disabled", "the mapping's entity or role is inactive", 500,
                      claims, kid)
        iat, exp = claims["iat"], claims["exp"]
        if not (isinstance(iat, int) and isinstance(exp, int)):
            return no("TokenRejected", "times_not_integers", "iat and exp must be whole seconds", claims=claims, kid=kid)
        if not 0 < exp - iat < 3600:
            return no("TokenRejected", "lifetime", f"exp - iat is {exp - iat} s (must be 1 to 3599)", claims=claims, kid=kid)
        if iat > now + TIMESTAMP_WINDOW_SECONDS:
            return no("InvalidTimestamp", "iat_in_future", f"iat is {iat - now:+.0f} s from server time",
                      claims=claims, kid=kid)
        if exp <= now:
            return no("TokenRejected", "assertion_expired", f"exp is {exp - now:+.0f} s from server time",
                      claims=claims, kid=kid)
        scopes = _scopes(claims["scope"])
        if scopes is None or not scopes:
            return no("InvalidScope", "no_scope", f"scope {claims['scope']!r}", claims=claims, kid=kid)
        unknown = [x for x in scopes if x not in M2M_SCOPES]
        if unknown:
            return no("InvalidScope", "unknown_scope", f"unknown scopes {unknown}", claims=claims, kid=kid)
        missing = [x for x in scopes if x not in client["scopes"]]
        if missing:
            return no("ScopeMismatched", "scope_not_ticked", f"not ticked on the record: {missing}", claims=claims,
                      kid=kid)
        return "Success", "ok", "", 200, claims, kid

    def verify_bearer(self, header: str, path: str, url: str) -> tuple[str, str]:
        """(detail, reason) for a Bearer call; records the audit entry."""
        token = header.strip()[len("Bearer "):].strip()
        with self._lock:
            t = self.access_tokens.get(token)
        if t is None:
            detail, reason = "TokenRejected", "unknown_token"
        elif self.now() >= t["expires_at"]:
            detail, reason = "AccessTokenExpired", "token_expired"
        elif path.startswith("/services/rest/") and "rest_webservices" not in t["scopes"]:
            detail, reason = "ScopeMismatched", "token_scope"
        else:
            detail, reason = "Success", "ok"
        self._audit_m2m(detail, reason, "", url, kid=(t or {}).get("kid"), client_id=(t or {}).get("client_id"))
        return detail, reason

    # ---- the certificate endpoint (rotation by API)
    def certificate_api(self, method: str, client_id: str, revoke_id: str | None, token: str | None, body: bytes,
                        host: str, query: str = "") -> tuple[int, object, dict, str]:
        """One call of .../auth/oauth2/v1/clients/<client_id>/certificates[/<revoke_id>/revoke], its Bearer
        token already checked.  Returns (status, answer, extra headers, outcome for the request log)."""
        with self._lock:
            t = self.access_tokens.get(token) if token else None
            client = self.m2m_clients.get(client_id)
        if t is None:                                 # TBA, or no token: this endpoint wants OAuth 2.0
            return 401, UNAUTHORIZED_BODY, {}, "certapi:needs_bearer"
        if t["client_id"] != client_id or client is None:
            return 403, netsuite_error(403, "INSUFFICIENT_PERMISSION", "Permission Violation: an integration may "
                                       "manage only its own certificates."), {}, "certapi:other_client"
        if not client.get("manage_certificates"):
            return 403, netsuite_error(403, "INSUFFICIENT_PERMISSION", MANAGE_CERTIFICATES_DETAIL), {}, \
                "certapi:not_permitted"
        if revoke_id is not None:
            if method != "POST":
                return 405, netsuite_error(405, "METHOD_NOT_ALLOWED", "Use POST to revoke."), {}, "certapi:405"
            cert_id = unquote(revoke_id)
            with self._lock:
                mapping = self.m2m_certificates.get(cert_id)
                if mapping is None or mapping["client_id"] != client_id:
                    mapping = None
                else:
                    mapping["revoked"] = True
            if mapping is None:
                return 404, netsuite_error(404, "NONEXISTENT_ID", "No certificate of this integration has that "
                                           "Certificate ID."), {}, "certapi:revoke_unknown"
            return 204, None, {}, f"certapi:revoked:{cert_id}"
        if method == "GET":
            if self.certificate_list_body is not None:
                return 200, self.certificate_list_body, {}, "certapi:list_override"
            with self._lock:
                items = [_certificate_entry(cid, m) for cid, m in self.m2m_certificates.items()
                         if m["client_id"] == client_id]
                size = self.certificate_list_page_size
            if size is None:
                return 200, items, {}, "certapi:list"
            params = parse_qs(query)
            try:
                offset = int(params.get("offset", ["0"])[0])
                limit = min(int(params.get("limit", [str(size)])[0]), size)
            except ValueError:
                return 400, netsuite_error(400, "INVALID_PARAMETER", "offset and limit must be whole numbers."), {}, \
                    "certapi:bad_page"
            page = items[offset:offset + limit]
            href = f"http://{host}/services/rest{CERTIFICATES_PREFIX}{quote(client_id, safe='')}/certificates"
            more = offset + len(page) < len(items)
            links = [{"rel": "self", "href": f"{href}?offset={offset}&limit={limit}"}]
            if more:
                links.append({"rel": "next", "href": f"{href}?offset={offset + len(page)}&limit={limit}"})
            return 200, {"links": links, "count": len(page), "hasMore": more, "offset": offset,
                         "totalResults": len(items), "items": page}, {}, f"certapi:list_page:{offset}"
        if method != "POST":
            return 405, netsuite_error(405, "METHOD_NOT_ALLOWED", "Use GET or POST."), {}, "certapi:405"
        return self._upload_certificate(client_id, body, host)

    def _upload_certificate(self, client_id: str, body: bytes, host: str) -> tuple[int, object, dict, str]:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        def bad(code, detail, outcome):
            return 400, netsuite_error(400, code, detail), {}, outcome

        try:
            data = json.loads(body.decode("utf-8"))
            assert isinstance(data, dict)
        except Exception:
            return bad("INVALID_PARAMETER", 'The request body must be JSON: {"fileContent", "role", "entity"}.',
                       "certapi:bad_json")
        ids = {}
        for name in ("role", "entity"):
            v = data.get(name)
            if isinstance(v, bool) or not (isinstance(v, int) and v > 0 or isinstance(v, str) and v.isdigit()):
                return bad("INVALID_PARAMETER", f"'{name}' must be the internal ID of a {name}.",
                           f"certapi:bad_{name}")
            ids[name] = str(v)
        pem = data.get("fileContent")
        try:
            assert isinstance(pem, str)
            cert = x509.load_pem_x509_certificate(pem.encode())
        except Exception:
            return bad("INVALID_CERTIFICATE", "'fileContent' must hold an X.509 certificate in PEM format.",
                       "certapi:bad_certificate")
        new_id = secrets.token_urlsafe(32)
        spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
        with self._lock:
            held = any(m["cert"].public_key().public_bytes(serialization.Encoding.DER,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo) == spki
                       for m in self.m2m_certificates.values())
        if held:
            return bad("DUPLICATE_CERTIFICATE", "This certificate's key is already used by a mapping; upload a "
                       "certificate with a new key.", "certapi:duplicate")
        with self._lock:
            active = sum(1 for m in self.m2m_certificates.values() if m["client_id"] == client_id
                         and not m["revoked"])
            if active >= MAX_ACTIVE_CERTIFICATES:
                new_id = None
            else:
                self.m2m_certificates[new_id] = {"pem": pem, "cert": cert, "client_id": client_id, "revoked": False,
                                                 "entity_disabled": False, **ids}
                entry = _certificate_entry(new_id, self.m2m_certificates[new_id])
            mode = self.certificate_upload_answer
        if new_id is None:
            return bad("CERTIFICATE_LIMIT_EXCEEDED", f"An integration may have at most {MAX_ACTIVE_CERTIFICATES} "
                       "active certificates. Revoke one first.", "certapi:limit")
        outcome = f"certapi:uploaded:{new_id}"
        if self.certificate_upload_delay_seconds:
            # The mapping exists already; only the answer is late (a lost answer, a timeout on the way).
            time.sleep(self.certificate_upload_delay_seconds)
        if mode == "body":
            return 201, entry, {}, outcome
        if mode == "location":
            location = (f"http://{host}/services/rest{CERTIFICATES_PREFIX}{quote(client_id, safe='')}"
                        f"/certificates/{new_id}")
            return 204, None, {"Location": location}, outcome
        return 204, None, {}, outcome


DEFAULT_ENTITY = "7"
DEFAULT_ROLE = "1013"
MAX_ACTIVE_CERTIFICATES = 5                   # NetSuite's limit per integration record
CERTIFICATE_UPLOAD_ANSWERS = ("body", "location", "empty")
CERTIFICATE_CONTENT_TYPE = "application/vnd.oracle.resource+json"
CERTIFICATES_PREFIX = "/auth/oauth2/v1/clients/"
CERTIFICATES_ROUTE = re.compile(r"^/auth/oauth2/v1/clients/([^/]+)/certificates(?:/([^/]+)/revoke)?$")
MANAGE_CERTIFICATES_DETAIL = ("Permission Violation: You need the 'Manage own OAuth 2.0 Client Credentials "
                              "certificates' permission to access this page. Contact your account administrator.")
M2M_ALGORITHMS = ("PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
M2M_CURVES = {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}
M2M_SCOPES = ("rest_webservices", "restlets", "suite_analytics")
TOKEN_PATH = "/services/rest/auth/oauth2/v1/token"


def _certificate_entry(certificate_id: str, mapping: dict) -> dict:
    """One mapping as NetSuite's certificate list shows it (the fields a public client of the endpoint
    reads): its ID, algorithm, dates, whether revoked, and the application, entity and role as objects."""
    cert = mapping["cert"]
    key = cert.public_key()
    algorithm = f"ES{key.curve.key_size if key.curve.key_size != 521 else 512}" if hasattr(key, "curve") else "PS256"
    return {"certificate_id": certificate_id,
            "algorithm": algorithm,
            "created": mapping.get("created", cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ")),
            "valid_from": cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "valid_until": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "revoked": bool(mapping["revoked"]),
            "application": {"id": "2", "name": "Integration", "url": "/app/common/integration/integrapp.nl?id=2",
                            "application_id": "8C2D1F4E-1A2B-4C3D-9E8F-0A1B2C3D4E5F"},
            "entity": {"id": mapping["entity"], "name": f"Entity {mapping['entity']}",
                       "url": f"/app/common/entity/employee.nl?id={mapping['entity']}"},
            "role": {"id": mapping["role"], "name": f"Role {mapping['role']}",
                     "url": f"/app/setup/role.nl?id={mapping['role']}"}}


def _scopes(value) -> list | None:
    """The scope claim as Oracle's samples send it (a JSON array) or as its text says (comma-separated)."""
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return [x.strip() for x in value]
    if isinstance(value, str):
        return [x.strip() for x in value.split(",") if x.strip()]
    return None


class _Handler(BaseHTTPRequestHandler):
    """Routes one request: control endpoints, faults, then NetSuite behaviour."""
    protocol_version = "HTTP/1.1"
    server_version = "NetSuiteStandin/1.0"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet: tests read .requests instead
        pass

    def date_time_string(self, timestamp=None):  # the Date header follows the skewed server clock
        return formatdate(self.server.standin.now(), usegmt=True)

    def send_header(self, keyword, value):
        if keyword.lower() == "date" and not self.server.standin.send_date_header:
            return
        super().send_header(keyword, value)

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            pass                                  # the client gave up (timeouts, 'slow' tests)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = lambda self: self._dispatch()

    # ---- helpers
    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body, content_type: str = "application/json", record: dict | None = None):
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        if record is not None:
            record["status"] = status
        self._uncount()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status, code, detail, record=None):
        self._send(status, netsuite_error(status, code, detail), ERROR_CONTENT_TYPE, record)

    # ---- routing
    def _dispatch(self):
        ns: NetSuiteStandin = self.server.standin
        path, _, query = self.path.partition("?")
        body = self._read_body()
        if path.startswith("/__standin/"):
            return self._control(ns, path, body)
        host = (self.headers.get("Host") or f"127.0.0.1:{ns.port}").lower()
        url = f"{ns.scheme}://{host}{path}" + (f"?{query}" if query else "")
        try:
            oauth = parse_authorization(self.headers.get("Authorization"))
        except ValueError:
            oauth = None
        record = {"id": None, "time": time.time(), "method": self.command, "path": path,
                  "query": query, "query_params": parse_qsl(query, keep_blank_values=True),
                  "headers": {k.lower(): v for k, v in self.headers.items()},
                  "body": body.decode("utf-8", "replace"), "oauth": oauth,
                  "nonce": (oauth or {}).get("oauth_nonce"), "timestamp": (oauth or {}).get("oauth_timestamp"),
                  "fault": None, "status": None, "outcome": None, "audit": None}
        with ns._lock:
            record["id"] = len(ns.requests) + 1
            ns.requests.append(record)
        self._counted = (oauth or {}).get("realm") or ""
        ns._enter(self._counted)
        try:
            if ns.response_delay_seconds > 0:
                ns._stopping.wait(ns.response_delay_seconds)
            return self._answer(ns, path, query, body, host, url, record)
        finally:
            self._uncount()

    def _uncount(self):
        """Ends the request's count before its answer goes out: a client may send its next request the
        moment it has the answer, and must not be seen overlapping with this one."""
        account, self._counted = getattr(self, "_counted", None), None
        if account is not None:
            self.server.standin._leave(account)

    def _answer(self, ns, path, query, body, host, url, record):
        fault = ns._next_fault()
        kind, arg = fault if fault else ("ok", None)   # arg: seconds for slow, the answer for error
        record["fault"] = None if kind == "ok" else kind
        if kind == "slow":
            ns._stopping.wait(arg if arg is not None else ns.slow_seconds)
        elif kind == "hold":
            ns._released.wait(60)   # never for ever: a test that forgot to release fails, slowly
        elif kind == "close":                     # drop the connection without a byte of answer
            record["outcome"] = "closed"
            self.close_connection = True
            return
        elif kind in FAULT_BODIES or kind == "error":
            status, payload = FAULT_BODIES[kind] if kind in FAULT_BODIES else arg
            record["outcome"] = f"fault:{kind}"
            return self._send(status, payload, ERROR_CONTENT_TYPE, record)
        elif kind in ("garbage", "garbage502"):
            record["outcome"] = f"fault:{kind}"
            return self._send(200 if kind == "garbage" else 502,
                              GARBAGE_HTML if kind == "garbage" else BAD_GATEWAY_HTML, "text/html", record)
        if path == "/rest/datacenterurls":
            return self._datacenterurls(ns, query, record)
        if path == TOKEN_PATH:
            if self.command != "POST":
                return self._send(405, {"error": "invalid_request"}, "application/json", record)
            status, answer, reason = ns.token_request(url, self.headers.get("Content-Type", ""), body)
            record["audit"], record["outcome"] = reason, ("token:ok" if status == 200 else f"token_refused:{reason}")
            return self._send(status, answer, "application/json", record)
        # Everything else is authenticated first, as on NetSuite's API hosts (RESTlets included).
        authorization = self.headers.get("Authorization") or ""
        if authorization.lower().startswith("bearer "):
            detail, reason = ns.verify_bearer(authorization, path, url)
            record["audit"] = reason
        else:
            detail, note, _, _ = ns.verify(self.command, url, authorization or None)
            record["audit"] = detail
        if detail != "Success":
            record["outcome"] = f"unauthorized:{detail}"
            return self._send(401, UNAUTHORIZED_BODY, ERROR_CONTENT_TYPE, record)
        record["outcome"] = "ok"
        rest = path[len("/services/rest"):].rstrip("/") if path.startswith("/services/rest/") else None
        if self.command == "OPTIONS":             # the cheapest auth-only check (netsuite-api-client)
            return self._send(204, b"", "text/plain", record)
        if rest == "/record/v1/metadata-catalog":
            if self.command != "GET":
                return self._error(405, "METHOD_NOT_ALLOWED", "Use GET.", record)
            return self._send(200, self._catalog(host), COLLECTION_CONTENT_TYPE, record)
        if rest == "/query/v1/suiteql":
            return self._suiteql(ns, host, query, body, record)
        if rest is not None and rest.startswith(CERTIFICATES_PREFIX):
            return self._certificates(ns, rest, host, authorization, body, record, query)
        return self._error(404, "NONEXISTENT_ID", f"The record instance or path {path} does not exist.", record)

    def _certificates(self, ns, rest, host, authorization, body, record, query=""):
        m = CERTIFICATES_ROUTE.match(rest)
        if m is None:
            return self._error(404, "NONEXISTENT_ID", f"The record instance or path {record['path']} does not "
                               "exist.", record)
        token = authorization.strip()[len("Bearer "):].strip() if authorization.lower().startswith("bearer ") \
            else None
        status, answer, headers, outcome = ns.certificate_api(self.command, unquote(m.group(1)), m.group(2),
                                                              token, body, host, query)
        record["outcome"] = outcome
        if status == 204:
            record["status"] = status
            self._uncount()
            self.send_response(204)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if status >= 400 and ns.certificate_errors_as_text and isinstance(answer, dict):
            details = answer.get("o:errorDetails") or [{}]
            text = details[0].get("detail") or answer.get("title") or "Error"
            return self._send(status, text, "text/plain; charset=utf-8", record)
        return self._send(status, answer, ERROR_CONTENT_TYPE if status >= 400 else CERTIFICATE_CONTENT_TYPE, record)

    def _catalog(self, host):
        def item(name):
            href = f"http://{host}/services/rest/record/v1/metadata-catalog/{name}"
            return {"name": name, "links": [
                {"rel": "canonical", "href": href, "mediaType": "application/json"},
                {"rel": "alternate", "href": href, "mediaType": "application/swagger+json"},
                {"rel": "describes", "href": f"http://{host}/services/rest/record/v1/{name}"}]}
        return {"items": [item(n) for n in ("account", "customer", "employee", "salesorder", "vendor")],
                "links": [{"rel": "self", "href": f"http://{host}/services/rest/record/v1/metadata-catalog"}]}

    def _suiteql(self, ns, host, query, body, record):
        if self.command != "POST":
            return self._error(405, "METHOD_NOT_ALLOWED", "SuiteQL queries are sent with POST.", record)
        if "transient" not in self.headers.get("Prefer", "").lower():
            return self._error(400, "INVALID_HEADER", "The 'Prefer: transient' header is required.", record)
        try:
            q = json.loads(body.decode("utf-8"))["q"]
            assert isinstance(q, str) and q.strip()
        except Exception:
            return self._error(400, "INVALID_PARAMETER", 'The request body must be JSON: {"q": "SELECT …"}.', record)
        params = dict(parse_qsl(query, keep_blank_values=True))
        limit = params.get("limit", "1000")
        if not limit.isdigit() or not 1 <= int(limit) <= 1000:
            return self._error(400, "INVALID_PARAMETER", "limit must be between 1 and 1000.", record)
        m = re.search(r"\bfrom\s+([A-Za-z_][\w]*)", q, re.IGNORECASE)
        if not m:
            return self._error(400, "INVALID_PARAMETER", "Invalid search query. Search error occurred: "
                               "the query has no FROM clause.", record)
        table = m.group(1).lower()
        if table in ns.denied_tables:
            record["outcome"] = f"denied:{table}"
            return self._error(ns.denied_status, "INSUFFICIENT_PERMISSION", "Permission Violation: you need a "
                               f"higher level of the permission for '{table}' to access this record.", record)
        self_href = f"http://{host}/services/rest/query/v1/suiteql" + (f"?{query}" if query else "")
        return self._send(200, {"links": [{"rel": "self", "href": self_href}], "count": 1, "hasMore": False,
                                "items": [{"links": [], "id": "1", "table": table}], "offset": 0,
                                "totalResults": 1}, COLLECTION_CONTENT_TYPE, record)

    def _datacenterurls(self, ns, query, record):
        """Unauthenticated lookup of an account's domains (GET /rest/datacenterurls?account=ID)."""
        account = dict(parse_qsl(query)).get("account", "")
        if self.command != "GET" or not account or canonical_account(account) not in ns.known_accounts:
            record["outcome"] = "datacenter:unknown"
            return self._send(400, netsuite_error(400, "INVALID_ACCT", f"Invalid account ID: {account or '(none)'}."),
                              ERROR_CONTENT_TYPE, record)
        label = host_label(account)
        record["outcome"] = "datacenter:ok"
        return self._send(200, {"restDomain": f"https://{label}.suitetalk.api.netsuite.com",
                                "webservicesDomain": f"https://{label}.suitetalk.api.netsuite.com",
                                "systemDomain": f"https://{label}.app.netsuite.com"}, "application/json", record)

    def _control(self, ns: NetSuiteStandin, path, body):
        """Out-of-process control: POST /__standin/faults {"queue": [...], "always": kind|null},
        POST /__standin/config {"clock_skew_seconds", "send_date_header", "denied_tables", "credentials", "revoke",
        "response_delay_seconds", "realms", and OAuth 2.0's "m2m_clients", "m2m_certificates", "m2m_revoke",
        "access_token_seconds", "expire_access_tokens", "certificate_upload_answer", "certificate_list_body",
        "certificate_list_page_size", "certificate_errors_as_text", "certificate_upload_delay_seconds"},
        POST /__standin/reset, GET /__standin/audit,
        GET /__standin/requests, GET /__standin/stats, GET /__standin/health."""
        try:
            data = json.loads(body.decode("utf-8")) if body else {}
            if path == "/__standin/faults" and self.command == "POST":
                if not data.get("append"):
                    ns.clear_faults()
                ns.queue_faults(data.get("queue", []))
                if "always" in data:
                    ns.set_fault(data["always"])
            elif path == "/__standin/config" and self.command == "POST":
                if "clock_skew_seconds" in data:
                    ns.clock_skew_seconds = float(data["clock_skew_seconds"])
                if "send_date_header" in data:
                    ns.send_date_header = bool(data["send_date_header"])
                if "denied_tables" in data:
                    ns.denied_tables = {t.lower() for t in data["denied_tables"]}
                if "response_delay_seconds" in data:
                    ns.response_delay_seconds = float(data["response_delay_seconds"])
                for realm in data.get("realms", []):
                    ns.add_realm(realm)
                for c in data.get("credentials", []):
                    ns.add_credentials(c["consumer_key"], c["consumer_secret"], c["token_id"], c["token_secret"],
                                       revoked=c.get("revoked", False), blocked=c.get("blocked", False),
                                       realm=c.get("realm"))
                for token_id in data.get("revoke", []):
                    ns.revoke_token(token_id)
                ns._configure_m2m(data)
            elif path == "/__standin/reset" and self.command == "POST":
                ns.reset()
            elif path == "/__standin/audit" and self.command == "GET":
                return self._send(200, {"audit": ns.audit()})
            elif path == "/__standin/requests" and self.command == "GET":
                return self._send(200, {"requests": ns.api_requests()})
            elif path == "/__standin/stats" and self.command == "GET":
                return self._send(200, ns.stats())
            elif path != "/__standin/health":
                return self._send(404, {"error": f"no control endpoint {self.command} {path}"})
        except (ValueError, KeyError, TypeError) as e:
            return self._send(400, {"error": str(e)})
        return self._send(200, {"ok": True})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Local NetSuite REST stand-in (prints READY <url> when listening).")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    ap.add_argument("--config", help="JSON: realm, credentials[], known_accounts[], denied_tables[], "
                                     "clock_skew_seconds, slow_seconds, realms[], response_delay_seconds, "
                                     "m2m_clients[], m2m_certificates[], access_token_seconds, "
                                     "certificate_upload_answer, certificate_list_body")
    args = ap.parse_args(argv)
    cfg = {}
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            cfg = json.load(f)
    standin = NetSuiteStandin.from_config(cfg, host=args.host, port=args.port).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"READY http://{args.host}:{standin.port}", flush=True)
    while not stop.wait(0.2):
        pass
    standin.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
