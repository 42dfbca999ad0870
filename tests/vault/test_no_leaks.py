"""No secret leaves the keyring: not into a file, not into the binary's output, not into any process's
command line.

conftest.py runs this module after every other vault test, so the checks at the bottom cover everything
the vault suites did in this session: every secret value they registered (vault_support.SECRETS) is
searched for, case-insensitively and by any 16-character piece, in
  * every file under every folder a test let the binary write to (config folder, HOME, XDG_* dirs),
  * the stdout and stderr of every run of the binary (vault_support.RUNS),
  * the command line of every process seen while a run was going on (sampled every 10 ms from /proc).
A scenario of its own runs first, so this module is meaningful when run alone too, and self-checks
prove that the scanners do find a planted secret.
"""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time

import pytest

import vault_support as vs


# ---------------------------------------------------------------- the scanners can fail
def test_self_check_file_scanner_finds_a_planted_secret(tmp_path):
    planted = secrets.token_hex(32)
    nested = tmp_path / "a" / ".hidden"
    nested.mkdir(parents=True)
    (tmp_path / "clean.json").write_text(json.dumps({"fingerprint": vs.fingerprint(planted)}))
    assert vs.files_with_leaks(tmp_path, [planted]) == {}, "a fingerprint must not count as a leak"
    (nested / "store.bin").write_bytes(b"\x00\x01prefix" + planted[5:30].upper().encode() + b"\xff")
    hits = vs.files_with_leaks(tmp_path, [planted])
    assert list(hits) == [str(nested / "store.bin")], hits
    assert vs.leaks_in(f"value={planted}", [planted]) and not vs.leaks_in(planted[:15], [planted])


def test_self_check_run_and_process_scanners_find_a_planted_secret(tmp_path, binary):
    planted = secrets.token_hex(32)
    # A process whose command line carries the value is seen by the /proc sampler.
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)", planted])
    try:
        deadline = time.monotonic() + 5
        while not vs.leaks_in("\n".join(vs.process_commandlines().values()), [planted]):
            assert time.monotonic() < deadline, "the process sampler never saw the planted command line"
            time.sleep(0.02)
    finally:
        sleeper.kill()
        sleeper.wait()
    # A run that prints a registered secret fails the run helper, and its command line is recorded:
    # `connections remove NAME` repeats the (here: secret-looking) name it does not know.
    wizard = vs.Wizard(tmp_path / "w")
    runs_before = len(vs.RUNS)
    vs.SECRETS.add(planted)
    try:
        with pytest.raises(AssertionError, match="were printed|process's arguments"):
            wizard.run("connections", "remove", planted)
        recorded = vs.RUNS[runs_before:]
        assert recorded and any(planted in line for line in recorded[-1].commandlines), \
            "the run's own command line was not sampled"
    finally:
        vs.SECRETS.discard(planted)
        del vs.RUNS[runs_before:]
        vs.WATCHED_DIRS.remove(wizard.root)


# ---------------------------------------------------------------- a scenario of its own
def test_full_lifecycle_leaves_no_trace(wizard, creds, standin):
    name = vs.unique_name("leakcheck")
    token_b = vs.fresh_token()
    standin.add_credentials(creds["consumer_key"], creds["consumer_secret"], token_b["token_id"],
                            token_b["token_secret"])
    wizard.add(name, creds, extra=["--json"])
    wizard.run("connections", "list", expect=0)
    wizard.run("test", "--connection", name, "--base-url", standin.base_url, expect=0)
    wizard.stage(name, token_b)
    wizard.run("test", "--connection", name, "--pending", "--base-url", standin.base_url, "--json", expect=0)
    wizard.promote(name)
    wizard.run("connections", "list", "--json", expect=0)
    wizard.run("test", "--connection", name, "--base-url", standin.base_url, "--json", expect=0)
    wizard.stage(name, vs.fresh_token())
    wizard.discard(name)
    wizard.remove(name)
    assert vs.files_with_leaks(wizard.root) == {}


# ---------------------------------------------------------------- everything the vault suites did
def test_no_secret_in_any_file_of_any_test():
    assert vs.SECRETS and vs.WATCHED_DIRS, "nothing was recorded: the vault tests did not run"
    hits = {}
    for root in vs.WATCHED_DIRS:
        hits.update(vs.files_with_leaks(root))
    assert hits == {}, f"files holding (part of) a secret: {hits}"


def test_no_secret_in_any_output_of_any_run():
    assert vs.RUNS, "no run of the binary was recorded"
    bad = [(run.args[:2], where, found) for run in vs.RUNS
           for where, text in (("stdout", run.stdout), ("stderr", run.stderr))
           if (found := vs.leaks_in(text))]
    assert bad == [], f"runs that printed (part of) a secret: {bad}"


def test_no_secret_in_any_process_arguments_during_a_run():
    assert any(run.commandlines for run in vs.RUNS), "no process command lines were sampled"
    bad = [(run.args[:2], found) for run in vs.RUNS if (found := vs.leaks_in("\n".join(run.commandlines)))]
    assert bad == [], f"processes whose arguments held (part of) a secret while the binary ran: {bad}"
