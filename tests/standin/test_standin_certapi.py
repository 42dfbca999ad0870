"""Self-test of the stand-in's certificate endpoint (OAuth 2.0 client credentials, rotation by API), with
tokens got by PyJWT assertions and certificates made by cryptography (never the project's code): a client
whose role may manage its own certificates lists, adds and revokes them; without the permission, with a
bad token or with another client's token it is refused; garbage and NetSuite's limit of five are refused;
and the answer's shapes the Rust tests lean on are what they are."""
from __future__ import annotations

import json
import sys
import urllib.parse
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import netsuite_standin as ns  # noqa: E402
from test_standin import send  # noqa: E402
from test_standin_m2m import CATALOG, CLIENT, ask, assertion, make_pair  # noqa: E402

OTHER = "b" * 63 + "2"


def certificates_path(client=CLIENT):
    return f"/services/rest/auth/oauth2/v1/clients/{urllib.parse.quote(client, safe='')}/certificates"


@pytest.fixture
def standin():
    with ns.NetSuiteStandin(realm="1234567_SB1") as s:
        s.add_m2m_client(CLIENT, scopes=["rest_webservices"], manage_certificates=True)
        s.add_m2m_client(OTHER, scopes=["rest_webservices"], manage_certificates=True)
        yield s


def token_for(standin, kid="CERT1", client=CLIENT, entity="7", role="1013"):
    key, pem = make_pair()
    standin.add_m2m_certificate(kid, pem, client, entity=entity, role=role)
    status, answer = ask(standin, assertion(standin, key, kid=kid, iss=client))
    assert status == 200, standin.last_audit()
    return key, answer["access_token"]


def call(standin, token, method="GET", suffix="", body=None, client=CLIENT):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, headers, answer = send(standin.base_url + certificates_path(client) + suffix, method, headers, data)
    return status, headers, answer


def listed(standin, token):
    status, _, answer = call(standin, token)
    assert status == 200, answer
    return {item["certificate_id"]: item for item in json.loads(answer)}


def test_the_list_is_netsuites_bare_array_with_entity_role_and_revoked(standin):
    _, token = token_for(standin, entity="12", role="1099")
    standin.add_m2m_certificate("OTHERS", make_pair()[1], OTHER)
    standin.add_m2m_certificate("OLD", make_pair()[1], CLIENT, revoked=True)
    status, headers, answer = call(standin, token)
    assert status == 200 and headers["Content-Type"] == "application/vnd.oracle.resource+json"
    body = json.loads(answer)
    assert isinstance(body, list) and len(body) == 2
    items = {item["certificate_id"]: item for item in body}
    assert set(items) == {"CERT1", "OLD"}
    assert set(items["CERT1"]) == {"certificate_id", "algorithm", "created", "valid_from", "valid_until", "revoked",
                                   "application", "entity", "role"}
    assert items["CERT1"]["entity"]["id"] == "12" and items["CERT1"]["role"]["id"] == "1099"
    assert items["CERT1"]["revoked"] is False and items["OLD"]["revoked"] is True
    assert items["CERT1"]["algorithm"] == "ES256"
    assert set(items["OLD"]["entity"]) == {"id", "name", "url"} and items["OLD"]["entity"]["id"] == ns.DEFAULT_ENTITY
    assert set(items["CERT1"]["application"]) == {"id", "name", "url", "application_id"}
    assert items["CERT1"]["valid_until"].startswith("20") and items["CERT1"]["valid_until"].endswith("Z")
    assert standin.api_requests()[-1]["outcome"] == "certapi:list"


def test_the_list_in_pages_and_errors_as_plain_text(standin):
    _, token = token_for(standin)
    for i in range(4):
        standin.add_m2m_certificate(f"C{i}", make_pair()[1], CLIENT, revoked=True)
    standin.certificate_list_page_size = 2
    seen, suffix = [], ""
    for _ in range(5):
        status, _, answer = call(standin, token, suffix=suffix)
        assert status == 200
        page = json.loads(answer)
        seen += [e["certificate_id"] for e in page["items"]]
        if not page["hasMore"]:
            break
        suffix = "?" + next(link["href"] for link in page["links"] if link["rel"] == "next").split("?", 1)[1]
    assert sorted(seen) == ["C0", "C1", "C2", "C3", "CERT1"]
    standin.certificate_errors_as_text = True
    status, headers, answer = call(standin, token, "POST", "/NOPE/revoke")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert answer.decode() == "No certificate of this integration has that Certificate ID."


def test_without_the_permission_netsuites_permission_error(standin):
    standin.add_m2m_client(CLIENT, scopes=["rest_webservices"])          # manage_certificates defaults to False
    _, token = token_for(standin)
    for method, body in (("GET", None), ("POST", {"fileContent": make_pair()[1], "role": 1013, "entity": 7})):
        status, headers, answer = call(standin, token, method, body=body)
        assert status == 403
        assert headers["Content-Type"] == ns.ERROR_CONTENT_TYPE
        detail = json.loads(answer)["o:errorDetails"][0]
        assert detail["o:errorCode"] == "INSUFFICIENT_PERMISSION"
        assert "Manage own OAuth 2.0 Client Credentials certificates" in detail["detail"]
    assert standin.api_requests()[-1]["outcome"] == "certapi:not_permitted"
    assert len(standin.m2m_certificates) == 1


def test_a_bad_token_or_another_clients_token_is_refused(standin):
    _, token = token_for(standin)
    status, _, answer = call(standin, "forged")
    assert status == 401 and answer.decode() == ns.UNAUTHORIZED_BODY
    assert standin.last_audit()["reason"] == "unknown_token"
    assert call(standin, None)[0] == 401
    status, _, answer = call(standin, token, client=OTHER)
    assert status == 403 and standin.api_requests()[-1]["outcome"] == "certapi:other_client"
    status, _, _ = call(standin, token, "POST", "/CERT1/revoke", client=OTHER)
    assert status == 403 and not standin.m2m_certificates["CERT1"]["revoked"]


def test_an_upload_adds_a_mapping_whose_key_then_gets_a_token(standin):
    _, token = token_for(standin)
    new_key, new_pem = make_pair("p384")
    status, headers, answer = call(standin, token, "POST", body={"fileContent": new_pem, "role": 1013,
                                                                 "entity": "7"})
    assert status == 201, answer
    entry = json.loads(answer)
    new_id = entry["certificate_id"]
    assert new_id != "CERT1" and entry["revoked"] is False
    assert entry["role"]["id"] == "1013" and entry["entity"]["id"] == "7"
    assert standin.api_requests()[-1]["outcome"] == f"certapi:uploaded:{new_id}"
    assert set(listed(standin, token)) == {"CERT1", new_id}
    status, answer = ask(standin, assertion(standin, new_key, alg="ES384", kid=new_id))
    assert status == 200, standin.last_audit()
    bearer = {"Authorization": f"Bearer {answer['access_token']}"}
    assert send(standin.base_url + CATALOG, headers=bearer)[0] == 200


@pytest.mark.parametrize("mode", ["location", "empty"])
def test_the_upload_may_answer_without_a_body(standin, mode):
    _, token = token_for(standin)
    standin.set_certificate_upload_answer(mode)
    status, headers, answer = call(standin, token, "POST", body={"fileContent": make_pair()[1], "role": "1013",
                                                                 "entity": "7"})
    assert status == 204 and answer == b""
    new_ids = set(listed(standin, token)) - {"CERT1"}
    assert len(new_ids) == 1
    if mode == "location":
        assert headers["Location"].endswith(f"{certificates_path()}/{new_ids.pop()}")
    else:
        assert headers["Location"] is None


def test_garbage_bad_ids_and_the_limit_of_five_are_refused(standin):
    _, token = token_for(standin)
    pem = make_pair()[1]
    cases = [(b"not json", "certapi:bad_json"),
             ({"fileContent": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "role": 1,
               "entity": 7}, "certapi:bad_certificate"),
             ({"fileContent": pem, "entity": 7}, "certapi:bad_role"),
             ({"fileContent": pem, "role": "admin", "entity": 7}, "certapi:bad_role"),
             ({"fileContent": pem, "role": 3, "entity": True}, "certapi:bad_entity")]
    for body, outcome in cases:
        status, _, answer = call(standin, token, "POST", body=body)
        assert status == 400, answer
        assert standin.api_requests()[-1]["outcome"] == outcome
    assert len(standin.m2m_certificates) == 1
    assert call(standin, token, "POST", body={"fileContent": pem, "role": 3, "entity": 7})[0] == 201
    # The same certificate (or key) again: NetSuite ties a certificate to one mapping.
    status, _, answer = call(standin, token, "POST", body={"fileContent": pem, "role": 3, "entity": 7})
    assert status == 400 and json.loads(answer)["o:errorDetails"][0]["o:errorCode"] == "DUPLICATE_CERTIFICATE"
    for _ in range(3):
        assert call(standin, token, "POST", body={"fileContent": make_pair()[1], "role": 3, "entity": 7})[0] == 201
    status, _, answer = call(standin, token, "POST", body={"fileContent": make_pair()[1], "role": 3, "entity": 7})
    assert status == 400
    assert json.loads(answer)["o:errorDetails"][0]["o:errorCode"] == "CERTIFICATE_LIMIT_EXCEEDED"
    # A revoked one frees a place.
    some = next(i for i in listed(standin, token) if i != "CERT1")
    assert call(standin, token, "POST", f"/{some}/revoke")[0] == 204
    assert call(standin, token, "POST", body={"fileContent": make_pair()[1], "role": 3, "entity": 7})[0] == 201


def test_a_revoked_certificate_gets_no_more_tokens(standin):
    key, token = token_for(standin)
    status, _, answer = call(standin, token, "POST", "/CERT1/revoke")
    assert status == 204 and answer == b""
    assert standin.api_requests()[-1]["outcome"] == "certapi:revoked:CERT1"
    assert listed(standin, token)["CERT1"]["revoked"] is True
    status, _ = ask(standin, assertion(standin, key))
    assert status == 400 and standin.last_audit()["reason"] == "certificate_revoked"
    assert call(standin, token, "POST", "/NOPE/revoke")[0] == 404
    assert call(standin, token, "GET", "/CERT1/revoke")[0] == 405
    assert call(standin, token, "DELETE")[0] == 405


def test_the_list_body_can_be_replaced_and_everything_comes_from_the_config_form_too():
    key, pem = make_pair()
    cfg = {"m2m_clients": [{"client_id": CLIENT, "manage_certificates": True}],
           "m2m_certificates": [{"certificate_id": "CERT1", "pem": pem, "client_id": CLIENT, "entity": "5",
                                 "role": "3"}],
           "certificate_upload_answer": "empty", "certificate_list_body": '{"items": "garbled"'}
    with ns.NetSuiteStandin.from_config(cfg) as s:
        _, answer = ask(s, assertion(s, key))
        token = answer["access_token"]
        status, _, body = call(s, token)
        assert status == 200 and body == b'{"items": "garbled"'
        s.certificate_list_body = None
        assert listed(s, token)["CERT1"]["role"]["id"] == "3"
        # NetSuite refuses a certificate a mapping already holds.
        status, _, answer = call(s, token, "POST", body={"fileContent": pem, "role": 3, "entity": 5})
        assert status == 400 and b"already" in answer
        assert call(s, token, "POST", body={"fileContent": make_pair()[1], "role": 3, "entity": 5})[0] == 204
        with pytest.raises(ValueError):
            s.set_certificate_upload_answer("nonsense")
        s.reset()
        assert s.certificate_upload_answer == "body"


def test_the_control_endpoint_sets_the_new_keys(standin):
    _, token = token_for(standin)
    control = {"Content-Type": "application/json"}
    config = {"certificate_upload_answer": "location", "certificate_list_body": "[]",
              "m2m_clients": [{"client_id": CLIENT, "manage_certificates": False}]}
    status, _, _ = send(standin.base_url + "/__standin/config", "POST", control, json.dumps(config).encode())
    assert status == 200
    assert standin.certificate_upload_answer == "location" and standin.certificate_list_body == "[]"
    assert call(standin, token)[0] == 403
    bad = json.dumps({"certificate_upload_answer": "nonsense"}).encode()
    assert send(standin.base_url + "/__standin/config", "POST", control, bad)[0] == 400
