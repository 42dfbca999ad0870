"""`tba-wizard check-account`: what an account ID (or a NetSuite address) means, offline and online.

Online checks use the stand-in's unauthenticated `GET /rest/datacenterurls?account=ID`, which the CLI
reaches through `--base-url` (it replaces the scheme/host/port of https://rest.netsuite.com).
Host patterns and page paths come from Oracle's documentation (copied here, not read at test time):
<label>.app.netsuite.com (UI), <label>.suitetalk.api.netsuite.com (REST), <label>.restlets.api.netsuite.com.
"""
from __future__ import annotations

import pytest

from tba_cli_support import OTHER_KNOWN_ACCOUNT, REALM

KEYS = {"account_id", "environment", "environment_label", "ui_host", "rest_host", "restlets_host", "links",
        "datacenter"}
# Pages the wizard opens (paths from NetSuite's UI; any account's links must include them).
PAGE_PATHS = ["/app/setup/features.nl", "/app/common/otherlists/company.nl",
              "/app/common/integration/integrapp.nl", "/app/setup/rolelist.nl", "/app/setup/accesstoken",
              # OAuth 2.0's mapping page (Setup > Integration > Manage Authentication > … (M2M) Setup).
              "/app/oauth2/clientcredentials/setup.nl"]


def bare_host(value: str) -> str:
    """Accepts 'host' or 'https://host/' for the *_host fields."""
    return value.split("://", 1)[-1].rstrip("/")


def check_account(run_cli, *args, exit_code=0):
    run = run_cli("check-account", *args, "--json", timeout=60)
    assert run.returncode == exit_code, str(run)
    doc = run.json()
    assert KEYS <= set(doc), f"missing {sorted(KEYS - set(doc))}: {doc}"
    return doc


def assert_hosts(doc, account_id, label, environment):
    assert doc["account_id"] == account_id
    assert environment in doc["environment"].lower(), doc["environment"]
    assert isinstance(doc["environment_label"], str) and doc["environment_label"].strip()
    assert bare_host(doc["ui_host"]) == f"{label}.app.netsuite.com"
    assert bare_host(doc["rest_host"]) == f"{label}.suitetalk.api.netsuite.com"
    assert bare_host(doc["restlets_host"]) == f"{label}.restlets.api.netsuite.com"
    links = doc["links"]
    assert isinstance(links, dict) and links
    for name, url in links.items():
        assert url.startswith(f"https://{label}.app.netsuite.com/"), (name, url)
    for path in PAGE_PATHS:
        assert any(path in url for url in links.values()), f"no link to {path}: {links}"


# ---------------------------------------------------------------- offline
@pytest.mark.parametrize("given", ["1234567_SB1", "1234567-sb1", "1234567_sb1", " '1234567_SB1' "])
def test_sandbox_id_offline(run_cli, given):
    doc = check_account(run_cli, given)
    assert_hosts(doc, "1234567_SB1", "1234567-sb1", "sandbox")
    assert "sandbox" in doc["environment_label"].lower()
    assert doc["datacenter"] is None, "no lookup without --online"


def test_production_id_offline(run_cli):
    doc = check_account(run_cli, "1234567")
    assert_hosts(doc, "1234567", "1234567", "production")
    assert "sandbox" not in doc["environment_label"].lower()


@pytest.mark.parametrize("url", [
    "https://1234567-sb1.app.netsuite.com/app/center/card.nl?sc=-29&whence=",
    "https://1234567-SB1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/1",
    "1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1",
])
def test_url_input(run_cli, url):
    doc = check_account(run_cli, url)
    assert_hosts(doc, "1234567_SB1", "1234567-sb1", "sandbox")


def test_human_output_lists_the_hosts(run_cli):
    run = run_cli("check-account", "1234567_SB1")
    assert run.returncode == 0, str(run)
    for text in ("1234567_SB1", "1234567-sb1.app.netsuite.com", "1234567-sb1.suitetalk.api.netsuite.com"):
        assert text in run.stdout, str(run)


@pytest.mark.parametrize("given", ["12 34", "", "abc!def", "https://www.example.com/app/center/card.nl",
                                   "https://system.netsuite.com/app/login/secure/enterpriselogin.nl"])
def test_bad_input(run_cli, given):
    run = run_cli("check-account", given, "--json")
    assert run.returncode == 2, str(run)
    assert run.stderr.strip() and run.stdout.strip() == "", str(run)


# ---------------------------------------------------------------- online
def test_online_confirmed(run_cli, standin):
    doc = check_account(run_cli, "1234567-sb1", "--online", "--base-url", standin.base_url)
    assert doc["datacenter"]["status"] == "confirmed", doc["datacenter"]
    assert_hosts(doc, "1234567_SB1", "1234567-sb1", "sandbox")
    (req,) = standin.api_requests()
    assert req["method"] == "GET" and req["path"] == "/rest/datacenterurls"
    assert dict(req["query_params"])["account"].upper().replace("-", "_") == REALM
    assert "authorization" not in req["headers"], "the datacenter lookup needs no credentials"
    assert standin.audit() == []


def test_online_confirmed_test_drive(run_cli, standin):
    doc = check_account(run_cli, OTHER_KNOWN_ACCOUNT.lower(), "--online", "--base-url", standin.base_url)
    assert doc["datacenter"]["status"] == "confirmed", doc["datacenter"]
    assert doc["account_id"] == OTHER_KNOWN_ACCOUNT


def test_online_unknown_account(run_cli, standin):
    doc = check_account(run_cli, "7654321", "--online", "--base-url", standin.base_url)
    assert doc["datacenter"]["status"] == "not_found", doc["datacenter"]
    assert_hosts(doc, "7654321", "7654321", "production")
    assert len(standin.api_requests()) == 1


def test_online_unreachable_is_offline_but_still_answers(run_cli, closed_port):
    doc = check_account(run_cli, "1234567_SB1", "--online", "--base-url", f"http://127.0.0.1:{closed_port}")
    assert doc["datacenter"]["status"] == "offline", doc["datacenter"]
    assert_hosts(doc, "1234567_SB1", "1234567-sb1", "sandbox")
