"""`tba-wizard test` against the local NetSuite stand-in.

The stand-in checks the signature with its own code and records the real reason of every refusal
(its "login audit trail"), so each failure test asserts both what the CLI concluded and why NetSuite
(the stand-in) refused. Every run also asserts that none of the four credential values was printed.
"""
from __future__ import annotations

import json
import re
import secrets

import pytest

from tba_cli_support import REALM, new_credentials

CATALOG = "/services/rest/record/v1/metadata-catalog"
REPORT_KEYS = {"outcome", "exit_code", "summary", "proven", "causes", "http_status", "error_code", "error_detail",
               "network", "clock", "attempts", "elapsed_ms", "audit_trail"}
OUTCOMES = {"success", "credentials_refused", "permission_missing", "concurrency_limit", "server_error",
            "network_error"}
NETWORK_KINDS = {"dns", "refused", "tls", "timeout", "connection_closed", "cancelled", "other"}
CAUSE_IDS = {"clock", "realm", "environment", "token_revoked", "role_login_permission", "feature_disabled",
             "integration_blocked", "tba_new_integrations_end"}


def check_report(doc: dict, exit_code: int) -> dict:
    """The --json report's shape, as the contract gives it."""
    missing = REPORT_KEYS - set(doc)
    assert not missing, f"report lacks {sorted(missing)}: {doc}"
    assert doc["outcome"] in OUTCOMES, doc
    assert doc["exit_code"] == exit_code
    assert isinstance(doc["summary"], str) and doc["summary"].strip() and "\n" not in doc["summary"].strip()
    assert isinstance(doc["proven"], list) and all(isinstance(p, str) for p in doc["proven"])
    assert isinstance(doc["causes"], list)
    for cause in doc["causes"]:
        assert {"id", "step", "message"} <= set(cause), cause
        assert isinstance(cause["message"], str) and cause["message"]
    assert doc["http_status"] is None or isinstance(doc["http_status"], int)
    assert isinstance(doc["attempts"], int) and doc["attempts"] >= 1
    assert isinstance(doc["elapsed_ms"], int) and doc["elapsed_ms"] >= 0
    if doc["network"] is not None:
        assert doc["network"]["kind"] in NETWORK_KINDS and isinstance(doc["network"]["message"], str), doc
    if doc["clock"] is not None:
        assert doc["clock"]["status"] in {"ok", "warning", "likely_cause"}, doc
        assert isinstance(doc["clock"]["offset_seconds"], (int, float)), doc
    return doc


@pytest.fixture
def wizard_test(run_cli, standin, creds):
    """wizard_test(account=REALM, creds=None, extra=(), json_out=True, base_url=None) -> (Run, report|None).
    Sends `creds` (the stand-in's by default) on stdin and checks that no credential value is printed."""
    def run(account=REALM, credentials=None, extra=(), json_out=True, base_url=None, timeout=60, exit_code=None):
        credentials = credentials or creds
        args = ["test", "--account", account, "--credentials-stdin", "--base-url", base_url or standin.base_url,
                *extra] + (["--json"] if json_out else [])
        result = run_cli(*args, stdin=json.dumps(credentials), timeout=timeout,
                         secrets=set(credentials.values()) | set(creds.values()))
        if exit_code is not None:
            assert result.returncode == exit_code, str(result)
        report = check_report(result.json(), result.returncode) if json_out else None
        return result, report
    return run


def wrong(creds: dict, field: str) -> dict:
    return dict(creds, **{field: secrets.token_hex(32)})


def cause_ids(report) -> list[str]:
    return [c["id"] for c in report["causes"]]


# ---------------------------------------------------------------- success
def test_success(wizard_test, standin):
    run, report = wizard_test(exit_code=0)
    assert report["outcome"] == "success" and report["http_status"] == 200
    assert report["proven"], "a success must say what it proved"
    assert report["causes"] == [] and report["network"] is None and report["error_code"] is None
    assert report["attempts"] == 1
    assert report["clock"] is None or report["clock"]["status"] == "ok"
    (req,) = standin.api_requests()
    assert (req["method"], req["path"], req["outcome"]) == ("GET", CATALOG, "ok")
    assert req["oauth"]["realm"] == REALM and req["oauth"]["oauth_signature_method"] == "HMAC-SHA256"
    assert standin.last_audit()["status"] == "Success"


def test_success_human_output(wizard_test):
    _, report = wizard_test(exit_code=0)
    run, _ = wizard_test(json_out=False, exit_code=0)
    assert run.stdout.strip() and not run.stdout.lstrip().startswith("{"), str(run)
    for proven in report["proven"]:
        assert proven in run.stdout, f"the human output should say what was proven ({proven!r}):\n{run}"


@pytest.mark.parametrize("account", ["1234567_sb1", "1234567-sb1", " 1234567_SB1 "])
def test_account_id_is_normalised_to_the_exact_realm(wizard_test, standin, account):
    _, report = wizard_test(account=account, exit_code=0)
    assert report["outcome"] == "success"
    assert standin.api_requests()[-1]["oauth"]["realm"] == REALM


# ---------------------------------------------------------------- refused credentials
@pytest.mark.parametrize("field, reason", [
    ("consumer_key", "consumer_key_unknown"),
    ("consumer_secret", "InvalidSignature"),
    ("token_id", "InvalidToken"),
    ("token_secret", "InvalidSignature"),
])
def test_each_wrong_credential_is_refused(wizard_test, standin, creds, field, reason):
    _, report = wizard_test(credentials=wrong(creds, field), exit_code=3)
    assert report["outcome"] == "credentials_refused"
    assert report["http_status"] == 401 and report["error_code"] == "INVALID_LOGIN"
    assert report["error_detail"] and "Login Audit Trail" in report["error_detail"]
    assert report["audit_trail"] is not None, "a 401 must point to the Login Audit Trail"
    assert report["causes"], "a refusal must name likely causes"
    assert set(cause_ids(report)) <= CAUSE_IDS, cause_ids(report)
    assert "clock" not in cause_ids(report), "the clock is fine, so it must not be blamed"
    assert report["attempts"] == 1 and len(standin.api_requests()) == 1, "a 401 must never be retried"
    assert standin.failure_reasons() == [reason]


def test_refusal_human_output_points_to_login_audit_trail(wizard_test, creds):
    run, _ = wizard_test(credentials=wrong(creds, "token_secret"), json_out=False, exit_code=3)
    assert "Login Audit Trail" in run.stdout, str(run)


def test_production_account_with_sandbox_token(wizard_test, standin):
    _, report = wizard_test(account="1234567", exit_code=3)
    assert report["outcome"] == "credentials_refused"
    assert {"realm", "environment"} & set(cause_ids(report)), cause_ids(report)
    assert standin.failure_reasons() == ["InvalidRealm"]


def test_revoked_token(wizard_test, standin, creds):
    standin.revoke_token(creds["token_id"])
    _, report = wizard_test(exit_code=3)
    assert report["outcome"] == "credentials_refused" and "token_revoked" in cause_ids(report)
    assert standin.failure_reasons() == ["TokenRevoked"]


# ---------------------------------------------------------------- network and server trouble
def test_slow_server_is_cut_off_at_the_timeout(wizard_test, standin):
    standin.set_fault("slow:30")
    run, report = wizard_test(extra=["--timeout", "2"], timeout=20, exit_code=4)
    assert run.elapsed < 3.0, f"--timeout 2 took {run.elapsed:.2f}s"
    assert report["outcome"] == "network_error" and report["network"]["kind"] == "timeout", report


def test_connection_closed_without_answer(wizard_test, standin):
    standin.set_fault("close")
    _, report = wizard_test(extra=["--timeout", "15"], exit_code=4)
    assert report["outcome"] == "network_error" and report["network"]["kind"] == "connection_closed", report


def test_connection_refused(wizard_test, closed_port):
    _, report = wizard_test(base_url=f"http://127.0.0.1:{closed_port}", exit_code=4)
    assert report["outcome"] == "network_error" and report["network"]["kind"] == "refused", report
    assert report["http_status"] is None


@pytest.mark.parametrize("fault", ["429", "concurrency400"])
def test_concurrency_limit_then_ok_is_retried_with_a_fresh_nonce(wizard_test, standin, fault):
    standin.queue_faults([fault, "ok"])
    _, report = wizard_test(exit_code=0)
    assert report["outcome"] == "success" and report["attempts"] == 2
    reqs = standin.api_requests()
    assert [r["fault"] for r in reqs] == [fault, None]
    assert reqs[0]["nonce"] and reqs[0]["nonce"] != reqs[1]["nonce"], "a retry must use a fresh nonce"
    assert standin.audit()[-1]["status"] == "Success"


@pytest.mark.parametrize("fault", ["429", "concurrency400"])
def test_persistent_concurrency_limit(wizard_test, standin, fault):
    standin.set_fault(fault)
    _, report = wizard_test(extra=["--timeout", "30"], timeout=60, exit_code=4)
    assert report["outcome"] == "concurrency_limit", report
    reqs = standin.api_requests()
    assert report["attempts"] == len(reqs) == 4, "expected the first try plus 3 retries"
    assert len({r["nonce"] for r in reqs}) == 4, "every retry must use a fresh nonce"


def test_forbidden_is_a_missing_permission(wizard_test, standin):
    standin.set_fault("403")
    _, report = wizard_test(exit_code=3)
    assert report["outcome"] == "permission_missing" and report["http_status"] == 403, report


def test_server_error(wizard_test, standin):
    standin.set_fault("500")
    _, report = wizard_test(exit_code=4)
    assert report["outcome"] == "server_error" and report["http_status"] == 500, report


@pytest.mark.parametrize("fault", ["garbage", "garbage502"])
def test_an_answer_that_is_not_netsuites(wizard_test, standin, fault):
    standin.set_fault(fault)
    _, report = wizard_test(exit_code=4)
    assert report["outcome"] in {"server_error", "network_error"}, report
    text = " ".join([report["summary"], report["error_detail"] or "", (report["network"] or {}).get("message", "")]
                    + [c["message"] for c in report["causes"]]).lower()
    assert "netsuite" in text and re.search(r"\bnot\b|n't|\bunexpected\b|\bunrecogni[sz]ed\b", text), \
        f"the report should say the answer did not come from NetSuite: {report}"


# ---------------------------------------------------------------- clock
@pytest.mark.parametrize("skew", [400, -400])
def test_clock_far_off_is_the_likely_cause(wizard_test, standin, skew):
    standin.clock_skew_seconds = skew
    _, report = wizard_test(exit_code=3)
    assert report["outcome"] == "credentials_refused"
    assert report["clock"]["status"] == "likely_cause", report
    assert abs(abs(report["clock"]["offset_seconds"]) - 400) <= 5, report["clock"]
    assert cause_ids(report)[0] == "clock", cause_ids(report)
    assert standin.failure_reasons() == ["InvalidTimestamp"]


def test_clock_somewhat_off_is_a_warning(wizard_test, standin):
    standin.clock_skew_seconds = 150
    _, report = wizard_test(exit_code=0)
    assert report["outcome"] == "success"
    assert report["clock"]["status"] == "warning", report
    assert abs(abs(report["clock"]["offset_seconds"]) - 150) <= 5, report["clock"]


# ---------------------------------------------------------------- bad input
def _bad(run_cli, standin, creds, args, stdin, mentions=None):
    run = run_cli(*args, stdin=stdin, secrets=creds.values(), timeout=30)
    assert run.returncode == 2, str(run)
    assert run.stderr.strip(), f"exit 2 needs a message on stderr:\n{run}"
    if mentions:
        assert re.search(mentions, run.stderr, re.IGNORECASE), f"stderr should mention {mentions!r}:\n{run}"
    assert standin.api_requests() == [], "bad input must not reach the network"
    return run


@pytest.mark.parametrize("field", ["consumer_key", "consumer_secret", "token_id", "token_secret"])
def test_missing_credential_field(run_cli, standin, creds, field):
    partial = {k: v for k, v in creds.items() if k != field}
    _bad(run_cli, standin, creds, ["test", "--account", REALM, "--credentials-stdin", "--base-url", standin.base_url,
                                   "--json"], json.dumps(partial), mentions=field)


@pytest.mark.parametrize("stdin", ["", "not json", "[1, 2]"], ids=["empty", "not-json", "array"])
def test_unusable_stdin(run_cli, standin, creds, stdin):
    _bad(run_cli, standin, creds, ["test", "--account", REALM, "--credentials-stdin", "--base-url", standin.base_url],
         stdin)


@pytest.mark.parametrize("account", ["12 34", "abc!def", "", "https://example.com/app/center/card.nl"])
def test_bad_account_id(run_cli, standin, creds, account):
    _bad(run_cli, standin, creds, ["test", "--account", account, "--credentials-stdin", "--base-url",
                                   standin.base_url], json.dumps(creds), mentions="account")


def test_secrets_on_the_command_line_are_refused(run_cli, standin, creds):
    for flag, key in (("--consumer-secret", "consumer_secret"), ("--token-secret", "token_secret")):
        _bad(run_cli, standin, creds, ["test", "--account", REALM, "--base-url", standin.base_url, flag, creds[key]],
             json.dumps(creds), mentions=r"stdin|standard input")
    # Without --credentials-stdin there is nowhere to take the secrets from.
    _bad(run_cli, standin, creds, ["test", "--account", REALM, "--base-url", standin.base_url], json.dumps(creds),
         mentions=r"stdin|standard input")


@pytest.mark.parametrize("base_url", ["http://proxy.example:8080", "http://10.0.0.1", "http://[::2]:9"])
def test_plain_http_goes_to_this_computer_only(run_cli, standin, creds, base_url):
    """A signed request in clear could be replayed by anyone on the path: http only for loopback, and
    nothing is sent."""
    _bad(run_cli, standin, creds, ["test", "--account", REALM, "--credentials-stdin", "--base-url", base_url],
         json.dumps(creds), mentions="plain http")


def test_other_credentials_do_not_leak_either(wizard_test, standin):
    """A second, unrelated set of credentials (unknown to the stand-in) is not printed when refused."""
    _, report = wizard_test(credentials=new_credentials(), exit_code=3)
    assert standin.failure_reasons() == ["consumer_key_unknown"]
