"""`tba-wizard test --all`: every saved connection tested against the NetSuite stand-in, a few at a time.

The connections live in the real keyring, so run these inside a throw-away keyring session:

    scripts/with-keyring.sh .venv/bin/pytest tests/cli/test_test_all.py -q

(without one they fail, they are not skipped). Each test gets its own config folder
(TBA_WIZARD_CONFIG_DIR under tmp_path) through tests/vault's Wizard helper, which also asserts that no
secret value is printed by any run and records the runs for tests/vault/test_no_leaks.py.

The stand-in serves two accounts at one address (told apart by the OAuth realm) and holds every answer
back a little, so that calls really overlap and its in-flight counts show the batch's limits.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "vault"))
import vault_support as vs  # noqa: E402
from tba_cli_support import on_terminal  # noqa: E402

ACCOUNT_A = "1234567_SB1"
ACCOUNT_B = "7654321"
DELAY = 0.4                      # every answer is held back this long, so concurrent calls overlap
ROW_KEYS = {"label", "id", "account", "connector", "token_fingerprint", "outcome", "passed", "http_status",
            "error_code", "summary"}
RUN_HINT = "scripts/with-keyring.sh .venv/bin/pytest tests/cli/test_test_all.py"


@pytest.fixture
def wizard(tmp_path):
    if os.environ.get("TBA_WIZARD_REAL_KEYRING") != "1" or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.fail(f"these tests save connections in the real keyring: run them via `{RUN_HINT}`", pytrace=False)
    binary = vs.binary_path()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"the tba-wizard binary is missing: {binary}. Build it with `cargo build -p tba-wizard`.",
                    pytrace=False)
    w = vs.Wizard(tmp_path)
    yield w
    try:
        ids = [c["id"] for c in json.loads((w.config_dir / "connections.json").read_text())["connections"]]
    except (OSError, ValueError, KeyError, TypeError):
        ids = []
    for conn_id in ids:
        for name in (vs.active_name(conn_id), vs.pending_name(conn_id)):
            subprocess.run(["secret-tool", "clear", "service", vs.SERVICE, "username", name],
                           capture_output=True, timeout=20)


@pytest.fixture
def standin():
    s = vs.netsuite_standin.NetSuiteStandin(realm=ACCOUNT_A, realms=[ACCOUNT_B], response_delay_seconds=DELAY)
    s.start()
    yield s
    s.stop()


def save(wizard, standin, name, account, *, profile="own", known=True, revoked=False) -> dict:
    """Saves a connection with fresh values; `known` ones are registered with the stand-in, in their account."""
    creds = vs.fresh_credentials()
    if known:
        standin.add_credentials(*(creds[f] for f in vs.FIELDS), revoked=revoked, realm=account)
    wizard.add(name, creds, account=account, profile=profile)
    return creds


def run_all(wizard, standin, *extra, expect=None) -> vs.RecordedRun:
    return wizard.run("test", "--all", "--base-url", standin.base_url, "--timeout", 20, *extra, expect=expect)


COLUMNS = ["LABEL", "ACCOUNT", "CONNECTOR", "TOKEN", "RESULT", "DETAIL"]


def table_rows(run) -> dict[str, list[str]]:
    """Piped, the rows: one tab-separated line per connection, as each result is known; the summary goes
    to standard error."""
    rows = {}
    for line in run.stdout.splitlines():
        cells = line.split("\t")
        assert len(cells) == len(COLUMNS), f"not a row of {COLUMNS}: {line!r}\n{run}"
        rows[cells[0]] = cells
    return rows


@pytest.fixture
def mixed(wizard, standin):
    """Seven connections over two accounts: four that work, a revoked token, a Celigo connection and one
    whose secrets are gone from the keyring."""
    save(wizard, standin, "a1 shop", ACCOUNT_A)
    save(wizard, standin, "a2 tracking", ACCOUNT_A, profile="aftership")
    save(wizard, standin, "a3 warehouse", ACCOUNT_A)
    save(wizard, standin, "b1 books", ACCOUNT_B)
    revoked = save(wizard, standin, "b2 old token", ACCOUNT_B, revoked=True)
    save(wizard, standin, "c celigo", ACCOUNT_A, profile="celigo", known=False)
    save(wizard, standin, "d broken", ACCOUNT_B)
    broken = wizard.connection("d broken")
    subprocess.run(["secret-tool", "clear", "service", vs.SERVICE, "username", vs.active_name(broken["id"])],
                   check=True, capture_output=True, timeout=20)
    return {"revoked": revoked}


def test_mixed_connections_table_summary_and_exit(wizard, standin, mixed):
    run = run_all(wizard, standin)
    rows = table_rows(run)
    assert sorted(rows) == ["a1 shop", "a2 tracking", "a3 warehouse", "b1 books", "b2 old token", "c celigo",
                            "d broken"], str(run)
    assert list(rows)[0] == "d broken", f"the one that cannot be tested is known before any call: {run}"
    for label in ("a1 shop", "a2 tracking", "a3 warehouse", "b1 books"):
        assert rows[label][4] == "ok" and "HTTP 200" in rows[label][5], str(run)
    assert rows["a1 shop"][1] == f"{ACCOUNT_A} (Sandbox 1)" and rows["b1 books"][1] == f"{ACCOUNT_B} (Production)"
    assert rows["a2 tracking"][2] == "aftership"
    assert rows["b2 old token"][3] == vs.fingerprint(mixed["revoked"]["token_id"])
    assert "refused" in rows["b2 old token"][4] and "HTTP 401 INVALID_LOGIN" in rows["b2 old token"][5], str(run)
    assert rows["c celigo"][4] == "not tested" and "account confirmed" in rows["c celigo"][5], str(run)
    assert "Test checks it" in rows["c celigo"][5]
    assert "no secrets saved" in rows["d broken"][5], str(run)
    assert "4 passed, 2 failed, 1 not tested" in run.stderr, str(run)
    # The worst status among the failures: missing secrets is the keyring's 5, above the refusal's 3.
    assert run.returncode == vs.KEYRING_TROUBLE, str(run)

    assert "TokenRevoked" in standin.failure_reasons()
    signed = [r for r in standin.api_requests() if r["oauth"]]
    assert len(signed) == 5, "one call per testable connection, none for Celigo or the broken one"
    assert {r["oauth"]["realm"] for r in signed} == {ACCOUNT_A, ACCOUNT_B}

    # The home screen shows the last test: recorded for the tested ones only.
    saved = {c["label"]: c for c in wizard.list()}
    assert saved["b2 old token"]["last_test"]["outcome"] == "credentials_refused"
    assert saved["b2 old token"]["last_test"]["http_status"] == 401
    assert saved["a1 shop"]["last_test"]["outcome"] == "success"
    assert saved["c celigo"]["last_test"] is None and saved["d broken"]["last_test"] is None


def test_at_most_two_calls_at_once_per_account(wizard, standin):
    for n in range(4):
        save(wizard, standin, f"a{n}", ACCOUNT_A)
    for n in range(3):
        save(wizard, standin, f"b{n}", ACCOUNT_B)
    run = run_all(wizard, standin, expect=0)
    stats = standin.stats()
    per_account = stats["max_in_flight"]
    assert per_account[ACCOUNT_A] == 2 and per_account[ACCOUNT_B] == 2, f"{stats}\n{run}"
    assert stats["max_in_flight_total"] == 4, f"both accounts are tested at the same time: {stats}"


def test_a_refusal_alone_exits_3(wizard, standin):
    save(wizard, standin, "good", ACCOUNT_A)
    save(wizard, standin, "unknown token", ACCOUNT_B, known=False)
    run = run_all(wizard, standin, expect=3)
    assert "1 passed, 1 failed, 0 not tested" in run.stderr, str(run)
    assert "InvalidToken" in standin.failure_reasons() or "consumer_key_unknown" in standin.failure_reasons()


def test_all_passing_exits_0(wizard, standin):
    save(wizard, standin, "one", ACCOUNT_A)
    save(wizard, standin, "two", ACCOUNT_B, profile="aftership")
    save(wizard, standin, "three", ACCOUNT_A, profile="celigo", known=False)
    run = run_all(wizard, standin, expect=0)
    assert "2 passed, 0 failed, 1 not tested" in run.stderr, str(run)


def test_json_rows(wizard, standin, mixed):
    run = run_all(wizard, standin, "--json", expect=vs.KEYRING_TROUBLE)
    doc = run.json()
    assert isinstance(doc, list) and len(doc) == 7, str(run)
    saved = {c["label"]: c for c in wizard.list()}
    for row in doc:
        assert ROW_KEYS <= set(row), row
        assert row["id"] == saved[row["label"]]["id"]
        assert row["token_fingerprint"] == saved[row["label"]]["fingerprints"].get("token_id")
        assert isinstance(row["summary"], str) and row["summary"]
    by_label = {r["label"]: r for r in doc}
    assert [r["label"] for r in doc] == sorted(by_label)
    ok = by_label["a1 shop"]
    assert (ok["outcome"], ok["passed"], ok["http_status"], ok["error_code"]) == ("success", True, 200, None)
    assert (ok["account"], ok["connector"]) == (ACCOUNT_A, "own")
    refused = by_label["b2 old token"]
    assert (refused["outcome"], refused["passed"], refused["http_status"], refused["error_code"]) == \
        ("credentials_refused", False, 401, "INVALID_LOGIN")
    assert refused["account"] == ACCOUNT_B
    celigo = by_label["c celigo"]
    assert (celigo["outcome"], celigo["passed"], celigo["connector"]) == ("not_tested", None, "celigo")
    broken = by_label["d broken"]
    assert (broken["outcome"], broken["passed"], broken["token_fingerprint"]) == ("missing_secrets", False, None)


def test_no_saved_connections(wizard, standin):
    run = run_all(wizard, standin, expect=0)
    assert run.stdout == "" and "No saved connections" in run.stderr, str(run)
    run = run_all(wizard, standin, "--json", expect=0)
    assert run.json() == [] and "No saved connections" in run.stderr, str(run)
    assert standin.api_requests() == []


@pytest.mark.parametrize("extra", [["--connection", "x"], ["--account", ACCOUNT_A, "--credentials-stdin"],
                                   ["--pending"]])
def test_all_excludes_the_single_sources(wizard, standin, extra):
    run = run_all(wizard, standin, *extra, expect=vs.BAD_INPUT)
    assert "cannot be used with" in run.stderr, str(run)
    assert standin.api_requests() == []


def test_no_secret_in_any_output(wizard, standin, mixed):
    """Wizard.run already fails on any printed secret; this also looks at the saved file and the JSON."""
    for extra in ((), ("--json",)):
        run = run_all(wizard, standin, *extra)
        assert not vs.leaks_in(run.stdout + run.stderr), str(run)
    assert not vs.files_with_leaks(wizard.config_dir)


def test_standin_counts_overlapping_requests_per_account():
    """The gauge the limit tests rely on does see overlap: three unsigned calls at once are three in flight."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with vs.netsuite_standin.NetSuiteStandin(realm=ACCOUNT_A, response_delay_seconds=DELAY) as s:
        def call():
            req = urllib.request.Request(s.base_url + "/services/rest/record/v1/metadata-catalog",
                                         headers={"Authorization": f'OAuth realm="{ACCOUNT_A}"'})
            try:
                direct.open(req, timeout=10).read()
            except urllib.error.HTTPError:
                pass
        threads = [threading.Thread(target=call) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stats = json.loads(direct.open(s.base_url + "/__standin/stats", timeout=10).read())
        assert stats["max_in_flight"] == {ACCOUNT_A: 3} and stats["max_in_flight_total"] == 3, stats
        assert stats["in_flight"] == {}


def test_on_a_terminal_each_connection_is_told_as_its_calls_end(wizard, standin, mixed):
    """On a terminal: one progress line rewritten as each connection's calls end, counting up to all of
    them, then one table lined up under its header. Piped (every other test here), stderr stays quiet
    until the summary."""
    _, text = on_terminal([vs.binary_path(), "test", "--all", "--base-url", standin.base_url, "--timeout", "20"],
                          wizard.env)
    text = text.replace("\r\n", "\n")
    tested = 6                     # every connection but the one whose secrets are gone
    counts = [f"{n} of {tested} done" for n in range(1, tested + 1)]
    assert all(c in text for c in counts), text
    assert text.index(counts[0]) < text.index(counts[-1])
    table = text[text.index(counts[-1]):].split("\n")[1:]
    assert table[0].split() == COLUMNS, text
    assert "\t" not in text
    broken = next(line for line in table if line.startswith("d broken "))
    assert broken.index("no secrets saved") == table[0].index("DETAIL"), f"the columns line up:\n{text}"
    assert "4 passed, 2 failed, 1 not tested" in text


def test_on_a_terminal_a_single_test_says_what_it_waits_for(wizard, standin):
    """`test --connection` on a terminal names the stage it waits on while NetSuite holds the call (as the
    window does), then clears the line before the result; piped, stderr carries no progress at all."""
    save(wizard, standin, "a1 shop", ACCOUNT_A)
    standin.queue_faults(["hold"])
    released = []

    def seen(text, p):
        if not released and "Sending a signed call to NetSuite" in text:
            # Still held by the stand-in: the line was told while the call waited, not after.
            assert p.poll() is None, text
            standin.release_held()
            released.append(True)

    try:
        status, text = on_terminal([vs.binary_path(), "test", "--connection", "a1 shop", "--base-url",
                                    standin.base_url, "--timeout", "60"], wizard.env, seen=seen)
    finally:
        standin.release_held()
    assert released, f"no stage was told while the call was held:\n{text}"
    assert status == 0, text
    after = text[text.index("Sending a signed call"):]
    assert "\x1b[2K" in after, f"the stage line is cleared before the result:\n{text}"

    piped = subprocess.run([str(vs.binary_path()), "test", "--connection", "a1 shop", "--base-url",
                            standin.base_url, "--timeout", "20"], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, env=wizard.env, timeout=60)
    assert piped.returncode == 0, piped
    assert "Sending a signed call" not in piped.stderr and "\x1b" not in piped.stderr, piped.stderr


def test_piped_each_row_goes_out_as_soon_as_it_is_known(wizard, standin, mixed):
    """Piped, a script reads each row as its result is known, not all at the end: the connection that
    cannot be tested comes out while every call is still held by the stand-in (until released here)."""
    standin.set_fault("hold")
    p = subprocess.Popen([str(vs.binary_path()), "test", "--all", "--base-url", standin.base_url, "--timeout", "90"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=wizard.env,
                         text=True)
    try:
        first = p.stdout.readline()
        assert first.startswith("d broken\t") and "no secrets saved" in first, first
        assert p.poll() is None, "the first row came out only when the command ended"
    finally:
        standin.release_held()
    rest, err = p.communicate(timeout=90)
    assert sorted(line.split("\t")[0] for line in rest.splitlines()) == \
        ["a1 shop", "a2 tracking", "a3 warehouse", "b1 books", "b2 old token", "c celigo"], rest
    assert "4 passed, 2 failed, 1 not tested" in err, err
