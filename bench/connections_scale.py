#!/usr/bin/env python3
"""Saved connections at scale: `tba-wizard-cli connections list --json` and `test --all` with 20 and with
400 saved connections, each set in a throw-away keyring of its own (a private D-Bus session and
gnome-keyring, started here), side by side.

Runs alternate between the two sets (small, large, small, …) so machine noise hits both alike; medians
and the ratio large/small are printed. A quarter of the connections are OAuth 2.0 client credentials
(an ES256 key and a Client ID in the keyring, the certificate mapped in the stand-in), the rest TBA;
there are four connections per account, so `test --all` can reach different accounts in parallel.
Making 400 connections takes a minute or so; that part is not timed.

Usage: bench/connections_scale.py --cli target/debug/tba-wizard-cli [--counts 20 400] [--runs 5]
"""
import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "standin"))
import netsuite_standin  # noqa: E402

PER_ACCOUNT = 4
M2M_EVERY = 4


class Keyring:
    """A private D-Bus session with an unlocked gnome-keyring whose data lives in a scratch folder."""

    def __init__(self, root: Path):
        self.root = root
        (root / "data").mkdir(parents=True)
        (root / "config").mkdir()
        (root / "home").mkdir()
        out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                             capture_output=True, text=True, check=True).stdout.split()
        self.address, self.pid = out[0], int(out[1])
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root / "home"),
            "DBUS_SESSION_BUS_ADDRESS": self.address,
            "XDG_DATA_HOME": str(root / "data"),
            "TBA_WIZARD_CONFIG_DIR": str(root / "config"),
            "TBA_WIZARD_LOG_DIR": str(root / "logs"),
            "TBA_WIZARD_KEYRING_TIMEOUT": "60",
        }
        subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"], input=b"tba-wizard-bench",
                       env=self.env, stdout=subprocess.DEVNULL, check=True)

    def close(self):
        try:
            os.kill(self.pid, signal.SIGTERM)   # gnome-keyring leaves with its bus
        except OSError:
            pass


def run(cli, env, *args, stdin=b"", check=True):
    p = subprocess.run([cli, *map(str, args)], input=stdin, env=env, capture_output=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))}: exit {p.returncode}\n{p.stderr.decode(errors='replace')}")
    return p


def account_of(i: int) -> str:
    return f"{3000000 + i // PER_ACCOUNT}_SB1"


def populate(cli, env: dict, root: Path, count: int, ns=None) -> None:
    """`count` connections made through the command line, as users make them, in the keyring and config
    folder `env` names; the stand-in `ns`, if given, knows each."""
    def make(i: int):
        account = account_of(i)
        if ns:
            ns.add_realm(account)
        name = f"conn-{i:04d}"
        if i % M2M_EVERY == M2M_EVERY - 1:
            pem = root / f"{name}.pem"
            run(cli, env, "m2m", "new", name, "--account", account, "--algorithm", "ES256", "--certificate-out", pem)
            client_id, certificate_id = secrets.token_hex(32), secrets.token_urlsafe(32)
            if ns:
                ns.add_m2m_client(client_id)
                ns.add_m2m_certificate(certificate_id, pem.read_text(), client_id)
            run(cli, env, "m2m", "set", name, f"--certificate-id={certificate_id}", "--credentials-stdin",
                stdin=json.dumps({"client_id": client_id}).encode())
        else:
            creds = {k: secrets.token_hex(32) for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")}
            if ns:
                ns.add_credentials(creds["consumer_key"], creds["consumer_secret"], creds["token_id"],
                                   creds["token_secret"])
            run(cli, env, "connections", "add", name, "--account", account, "--profile", "own",
                "--credentials-stdin", stdin=json.dumps(creds).encode())
    # Two at a time: the connection file's lock keeps them in order, and the machine has two cores.
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(make, range(count)))


def timed(cli, env, *args):
    start = time.perf_counter()
    p = run(cli, env, *args, check=False)
    ms = (time.perf_counter() - start) * 1000
    return ms, p


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--counts", type=int, nargs=2, default=(20, 400), metavar=("SMALL", "LARGE"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", help="another tba-wizard-cli (an earlier version) timed on the same connections, "
                    "alternating with --cli")
    args = ap.parse_args()
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is missing (scripts/setup.sh test installs it)")
    cli = str(Path(args.cli).resolve())
    scratch = Path(tempfile.mkdtemp(prefix="tba-bench-scale."))
    rings = {}
    try:
        with netsuite_standin.NetSuiteStandin(realm=account_of(0)) as ns:
            for count in args.counts:
                ring = rings[count] = Keyring(scratch / f"n{count}")
                start = time.perf_counter()
                populate(cli, ring.env, ring.root, count, ns)
                listed = json.loads(run(cli, ring.env, "connections", "list", "--json").stdout)["connections"]
                assert len(listed) == count, f"{len(listed)} connections listed, {count} made"
                print(f"made {count} connections in {time.perf_counter() - start:.1f} s", file=sys.stderr)

            commands = {"connections list --json": ("connections", "list", "--json"),
                        "test --all --json": ("test", "--all", "--json", "--base-url", ns.base_url)}
            binaries = {"": cli}
            if args.before:
                binaries = {"before: ": str(Path(args.before).resolve()), "after: ": cli}
            rows = {f"{tag}{label}": (binary, argv) for tag, binary in binaries.items()
                    for label, argv in commands.items()}
            results = {(label, n): [] for label in rows for n in args.counts}
            for i in range(args.runs):
                order = args.counts if i % 2 == 0 else tuple(reversed(args.counts))
                for label, (binary, argv) in rows.items():
                    for n in order:
                        ms, p = timed(binary, rings[n].env, *argv)
                        if p.returncode != 0:
                            raise RuntimeError(f"{label} at {n}: exit {p.returncode}\n"
                                               f"{p.stderr.decode(errors='replace')[-2000:]}")
                        results[(label, n)].append(ms)
            in_flight = ns.stats()
    finally:
        for ring in rings.values():
            ring.close()
        shutil.rmtree(scratch, ignore_errors=True)

    small, large = args.counts
    kind = "debug" if "/debug/" in cli else "release"
    print(f"Saved connections at scale ({kind} build, real gnome-keyring; median of {args.runs} alternating runs):")
    print(f"  {'':34}{small:>10}{large:>10}{'ratio':>8}")
    for label in rows:
        a, b = statistics.median(results[(label, small)]), statistics.median(results[(label, large)])
        print(f"  {label:34}{a:8.0f}ms{b:8.0f}ms{b / a:7.1f}x")
    # OAuth 2.0 calls carry no realm, so the stand-in cannot tell their account: TBA calls only.
    most = max((n for realm, n in in_flight["max_in_flight"].items() if realm), default=0)
    print(f"  stand-in: most calls in flight at once: {in_flight['max_in_flight_total']} in all, "
          f"{most} for one account (TBA calls)")


if __name__ == "__main__":
    main()
