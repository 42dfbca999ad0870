#!/usr/bin/env python3
"""The command line's speed: `tba-wizard-cli test` against the local NetSuite stand-in next to `curl`
fetching the same URL, and `--version` of the command line next to the desktop binary's.

Runs are paired and alternate (A, B, A, B, …) so that machine noise hits both alike; medians and the
ratio of the medians are printed. Peak RSS is GNU time's (%M): the rusage of a child forked from Python
would count Python's own pages, which a fork carries until exec.
"""
import argparse
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "standin"))
import netsuite_standin  # noqa: E402

REALM = "1234567_SB1"
CATALOG = "/services/rest/record/v1/metadata-catalog"


def timed(argv, stdin=b""):
    """Wall time in ms and peak RSS in MiB of one run, and its exit status and standard error."""
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv], input=stdin,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000
        kib = int(rss.read().split()[-1])
    return proc.returncode, elapsed, kib / 1024, proc.stderr


def paired(name_a, run_a, name_b, run_b, runs):
    a, b, rss_a, rss_b = [], [], [], []
    for _ in range(runs):
        for runner, times, rss in ((run_a, a, rss_a), (run_b, b, rss_b)):
            ms, mib = runner()
            times.append(ms)
            rss.append(mib)
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"  {name_a:<34} {ma:8.1f} ms   peak RSS {statistics.median(rss_a):6.1f} MiB")
    print(f"  {name_b:<34} {mb:8.1f} ms   peak RSS {statistics.median(rss_b):6.1f} MiB")
    print(f"  ratio (median {name_a.split()[0]} / {name_b.split()[0]}): {ma / mb:.2f}x over {runs} paired runs")
    return ma / mb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--desktop", required=True)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()

    creds = {k: secrets.token_hex(32) for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")}
    stdin = json.dumps(creds).encode()
    env_note = "(debug build)" if "/debug/" in args.cli else "(release build)"
    with netsuite_standin.NetSuiteStandin(realm=REALM) as ns:
        ns.add_credentials(creds["consumer_key"], creds["consumer_secret"], creds["token_id"], creds["token_secret"])

        def cli_test():
            code, ms, mib, err = timed([args.cli, "test", "--account", REALM, "--credentials-stdin",
                                        "--base-url", ns.base_url], stdin)
            assert code == 0, f"tba-wizard-cli test failed ({code}): {err.decode(errors='replace')}"
            return ms, mib

        def curl():
            code, ms, mib, err = timed(["curl", "-s", "-o", "/dev/null", ns.base_url + CATALOG])
            assert code == 0, f"curl failed ({code}): {err.decode(errors='replace')}"
            return ms, mib

        print(f"Command line against the local stand-in {env_note}:")
        paired("tba-wizard-cli test", cli_test, "curl (same URL)", curl, args.runs)

    def version(binary):
        def run():
            code, ms, mib, _ = timed([binary, "--version"])
            assert code == 0
            return ms, mib
        return run

    print("Start-up of the two binaries:")
    paired("tba-wizard-cli --version", version(args.cli), "tba-wizard --version", version(args.desktop), args.runs)


if __name__ == "__main__":
    main()
