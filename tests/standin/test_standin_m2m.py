"""Self-test of the stand-in's OAuth 2.0 client credentials endpoint, with assertions made by PyJWT and
certificates by cryptography (never the project's code): what NetSuite accepts is accepted, and each
mistake is refused with its reason in the audit trail, so the Rust tests that lean on it can fail."""
from __future__ import annotations

import datetime as dt
import json
import sys
import time
import urllib.parse
from pathlib import Path

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

sys.path.insert(0, str(Path(__file__).resolve().parent))
import netsuite_standin as ns  # noqa: E402
from test_standin import send  # noqa: E402

CLIENT = "a" * 63 + "1"
TOKEN = ns.TOKEN_PATH
CATALOG = "/services/rest/record/v1/metadata-catalog"


def make_pair(kind="p256", days_from=-1, days_to=365):
    key = {"p256": lambda: ec.generate_private_key(ec.SECP256R1()),
           "p384": lambda: ec.generate_private_key(ec.SECP384R1()),
           "p521": lambda: ec.generate_private_key(ec.SECP521R1()),
           "rsa2048": lambda: rsa.generate_private_key(65537, 2048),
           "rsa3072": lambda: rsa.generate_private_key(65537, 3072)}[kind]()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "standin test")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now + dt.timedelta(days=days_from))
            .not_valid_after(now + dt.timedelta(days=days_to)).sign(key, hashes.SHA256()))
    return key, cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def standin():
    with ns.NetSuiteStandin(realm="1234567_SB1") as s:
        s.add_m2m_client(CLIENT, scopes=["rest_webservices", "restlets"])
        yield s


def assertion(standin, key, alg="ES256", kid="CERT1", headers=None, **claims):
    now = int(time.time())
    payload = {"iss": CLIENT, "scope": ["rest_webservices"], "aud": standin.base_url + TOKEN, "iat": now,
               "exp": now + 300, **claims}
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, "typ": "JWT", **(headers or {})})


def ask(standin, jwt_text, grant="client_credentials"):
    body = urllib.parse.urlencode({"grant_type": grant, "client_assertion_type":
                                   "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                                   "client_assertion": jwt_text}).encode()
    status, _, answer = send(standin.base_url + TOKEN, "POST",
                             {"Content-Type": "application/x-www-form-urlencoded"}, body)
    return status, json.loads(answer)


@pytest.mark.parametrize("kind,alg", [("p256", "ES256"), ("p384", "ES384"), ("p521", "ES512"),
                                      ("rsa3072", "PS256"), ("rsa3072", "PS512")])
def test_each_accepted_algorithm_gets_a_token_that_opens_rest(standin, kind, alg):
    key, pem = make_pair(kind)
    standin.add_m2m_certificate("CERT1", pem, CLIENT)
    status, answer = ask(standin, assertion(standin, key, alg))
    assert status == 200, standin.last_audit()
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 3600
    status, _, _ = send(standin.base_url + CATALOG, headers={"Authorization": f"Bearer {answer['access_token']}"})
    assert status == 200


def test_the_scope_may_be_comma_separated(standin):
    key, pem = make_pair()
    standin.add_m2m_certificate("CERT1", pem, CLIENT)
    assert ask(standin, assertion(standin, key, scope="rest_webservices,restlets"))[0] == 200


def refused(standin, jwt_text, reason, status=400):
    got, answer = ask(standin, jwt_text)
    assert got == status, answer
    assert set(answer) == {"error"}
    assert standin.last_audit()["reason"] == reason, standin.last_audit()


def test_each_mistake_is_refused_with_its_reason(standin):
    key, pem = make_pair()
    other, other_pem = make_pair()
    standin.add_m2m_certificate("CERT1", pem, CLIENT)
    standin.add_m2m_certificate("OTHER", other_pem, CLIENT)
    now = int(time.time())
    refused(standin, assertion(standin, other), "bad_signature")                     # another key
    refused(standin, assertion(standin, key, kid="OTHER"), "bad_signature")          # another mapping's kid
    refused(standin, assertion(standin, key, kid="NOPE"), "unknown_kid", 500)
    refused(standin, assertion(standin, key, aud="https://elsewhere/token"), "wrong_aud")
    refused(standin, assertion(standin, key, iss="b" * 64), "unknown_client", 500)
    # iat given too: taken from the clock a moment later, it could be a second on, and 3599 s is allowed.
    refused(standin, assertion(standin, key, iat=now, exp=now + 3600), "lifetime")
    refused(standin, assertion(standin, key, iat=now - 900, exp=now - 600), "assertion_expired")
    refused(standin, assertion(standin, key, iat=now + 900, exp=now + 1000), "iat_in_future")
    refused(standin, assertion(standin, key, scope=["suite_analytics"]), "scope_not_ticked")
    refused(standin, assertion(standin, key, scope=["everything"]), "unknown_scope")
    refused(standin, assertion(standin, key, headers={"typ": "JOSE"}), "typ")
    # ES384 named for a P-256 certificate (PyJWT will not sign that, so the header is swapped in).
    _, claims, sig = assertion(standin, key).split(".")
    swapped = jwt.utils.base64url_encode(json.dumps({"typ": "JWT", "alg": "ES384", "kid": "CERT1"}).encode()).decode()
    refused(standin, f"{swapped}.{claims}.{sig}", "key_does_not_fit_alg")
    refused(standin, "not.a.jwt", "malformed")


def test_rs256_and_small_rsa_are_refused(standin):
    key, pem = make_pair("rsa3072")
    standin.add_m2m_certificate("CERT1", pem, CLIENT)
    refused(standin, assertion(standin, key, alg="RS256"), "algorithm_refused", 500)
    small, small_pem = make_pair("rsa2048")
    standin.add_m2m_certificate("SMALL", small_pem, CLIENT)
    refused(standin, assertion(standin, small, alg="PS256", kid="SMALL"), "key_does_not_fit_alg")


def test_certificates_expired_revoked_or_of_a_record_without_m2m(standin):
    key, pem = make_pair(days_from=-400, days_to=-1)
    standin.add_m2m_certificate("OLD", pem, CLIENT)
    refused(standin, assertion(standin, key, kid="OLD"), "certificate_expired")
    key, pem = make_pair()
    standin.add_m2m_certificate("CERT1", pem, CLIENT)
    standin.revoke_m2m_certificate("CERT1")
    refused(standin, assertion(standin, key), "certificate_revoked")
    standin.add_m2m_client("c" * 64, m2m=False)
    standin.add_m2m_certificate("CERT2", pem, "c" * 64)
    refused(standin, assertion(standin, key, kid="CERT2", iss="c" * 64), "m2m_grant_off", 500)


def test_tokens_expire_and_carry_their_scope(standin):
    key, pem = make_pair()
    standin.add_m2m_certificate("CERT1", pem, CLIENT)
    _, answer = ask(standin, assertion(standin, key, scope=["restlets"]))
    bearer = {"Authorization": f"Bearer {answer['access_token']}"}
    assert send(standin.base_url + CATALOG, headers=bearer)[0] == 401
    assert standin.last_audit()["reason"] == "token_scope"
    _, answer = ask(standin, assertion(standin, key))
    bearer = {"Authorization": f"Bearer {answer['access_token']}"}
    assert send(standin.base_url + CATALOG, headers=bearer)[0] == 200
    standin.clock_skew_seconds = 3601
    status, _, body = send(standin.base_url + CATALOG, headers=bearer)
    assert status == 401 and body.decode() == ns.UNAUTHORIZED_BODY
    assert standin.last_audit()["reason"] == "token_expired"
    assert send(standin.base_url + CATALOG, headers={"Authorization": "Bearer forged"})[0] == 401


def test_mappings_come_from_the_config_file_form_too():
    key, pem = make_pair()
    cfg = {"m2m_clients": [{"client_id": CLIENT, "scopes": ["rest_webservices"]}],
           "m2m_certificates": [{"certificate_id": "CERT1", "pem": pem, "client_id": CLIENT}],
           "access_token_seconds": 1}
    with ns.NetSuiteStandin.from_config(cfg) as s:
        status, answer = ask(s, assertion(s, key))
        assert status == 200 and answer["expires_in"] == 1
        s.clock_skew_seconds = 2
        status, _, _ = send(s.base_url + CATALOG, headers={"Authorization": f"Bearer {answer['access_token']}"})
        assert status == 401 and s.last_audit()["reason"] == "token_expired"
