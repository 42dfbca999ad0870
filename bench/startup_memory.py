#!/usr/bin/env python3
"""Launch-to-interactive time and memory of tba-wizard next to a minimal Tauri window.

Both apps print "READY" on standard error when their page's script first calls into Rust, which is the
moment the start screen can take input. Each run spawns the app in the current X display (run this
under Xvfb and a D-Bus session: scripts/bench.sh does), times spawn → READY, waits for the page to
settle, then sums PSS (proportional set size, so shared libraries are not counted twice) and RSS over
the app and every process it started (WebKit's web and network processes). Runs alternate between
the two apps so machine noise hits both alike; medians and ratios are printed.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Where the time to the first screen goes: the wizard prints `PHASE <name>` as it reaches each stage
# (src-tauri/src/state.rs), and each line's arrival is timed from the spawn.
PHASES = [
    ("run", "process start, libraries, argument parsing"),
    ("state", "wizard state: progress files, connections"),
    ("setup", "Tauri and its plugins (single instance, deep link)"),
    ("page-started", "window and web process up, page requested"),
    ("page-loaded", "page and its script loaded"),
    ("READY", "script ran and made its first call"),
    ("view", "first view asked for"),
    ("view-served", "first view served"),
    ("home-asked", "saved connections asked for"),
    ("home", "saved connections served"),
]


def children_tree(root):
    """The pids of root and all its descendants, from /proc."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            parents.setdefault(ppid, []).append(int(name))
        except (OSError, ValueError):
            continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def memory_kib(pids):
    """(PSS, RSS) in KiB over `pids`, and PSS by process name (the app, WebKit's web and network processes)."""
    pss = rss = 0
    by_name = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        kib = int(line.split()[1])
                        pss += kib
                        by_name[name] = by_name.get(name, 0) + kib
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            continue
    return pss, rss, by_name


def run_once(binary, env, settle, timeout, wait_for="READY"):
    """(ms to READY, PSS KiB, RSS KiB, processes, {phase: ms}, {process name: PSS KiB})."""
    started = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    phases = {}
    ready = threading.Event()

    def read():
        for line in proc.stderr:
            name = "READY" if line.startswith("READY") else line.split()[1] if line.startswith("PHASE ") else None
            if name and name not in phases:
                phases[name] = (time.monotonic() - started) * 1000
            if name == wait_for:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(timeout):
            raise RuntimeError(f"{binary} never reported {wait_for} (exit {proc.poll()})")
        time.sleep(settle)
        tree = children_tree(proc.pid)
        pss, rss, by_name = memory_kib(tree)
        return phases["READY"], pss, rss, len(tree), dict(phases), by_name
    finally:
        for pid in reversed(children_tree(proc.pid)):
            try:
                os.kill(pid, 15)
            except OSError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


def home_with_saved(args, env):
    """The home screen's data with no saved connection and with `args.saved` of them (made in this
    session's keyring, in a config folder of their own), in alternating runs."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from connections_scale import populate  # noqa: E402

    root = Path(tempfile.mkdtemp(prefix="tba-bench-home."))
    try:
        saved_env = dict(env, TBA_WIZARD_CONFIG_DIR=str(root / "config"))
        started = time.monotonic()
        populate(str(Path(args.cli).resolve()), saved_env, root, args.saved)
        print(f"\nmade {args.saved} saved connections in {time.monotonic() - started:.0f} s", file=sys.stderr)
        empty_env = dict(env, TBA_WIZARD_CONFIG_DIR=str(root / "empty"))
        runs = {0: [], args.saved: []}
        for i in range(args.runs):
            for n in ((0, args.saved) if i % 2 == 0 else (args.saved, 0)):
                runs[n].append(run_once(args.app, saved_env if n else empty_env, 0.1, args.timeout, "home")[4])
        print("\nThe home screen's data, after ready (median ms):")
        print(f"  {'saved connections':24}{'asked':>10}{'served':>10}")
        def after_ready(phases, name):
            times = [p[name] - p["READY"] for p in phases if name in p]
            # Phases print as they happen, so a stage reached with READY may print a hair before it.
            return f"{max(0.0, statistics.median(times)):10.0f}" if times else f"{'-':>10}"

        for n, phases in runs.items():
            print(f"  {n:<24}{after_ready(phases, 'home-asked')}{after_ready(phases, 'home')}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", required=True)
    ap.add_argument("--minimal", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--settle", type=float, default=2.0, help="seconds after READY before measuring memory")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--cli", help="tba-wizard-cli, to make the saved connections of --saved")
    ap.add_argument("--saved", type=int, default=400,
                    help="also time the home screen with this many saved connections (0: skip; needs --cli)")
    args = ap.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("bench: no DISPLAY; run it through scripts/bench.sh (Xvfb and a D-Bus session)")
    env = dict(os.environ, TBA_WIZARD_REPORT_READY="1")
    results = {"tba-wizard": [], "minimal": []}
    apps = {"tba-wizard": args.app, "minimal": args.minimal}
    run_once(args.app, env, 0.5, args.timeout)  # warm the page cache for both before measuring
    run_once(args.minimal, env, 0.5, args.timeout)
    for i in range(args.runs):
        for name in (("tba-wizard", "minimal") if i % 2 == 0 else ("minimal", "tba-wizard")):
            results[name].append(run_once(apps[name], env, args.settle, args.timeout))

    def med(name, k):
        return statistics.median(r[k] for r in results[name])

    print(f"runs: {args.runs} each, alternating; memory measured {args.settle:.1f} s after ready")
    print(f"{'':24}{'tba-wizard':>12}{'minimal':>12}{'ratio':>8}")
    for label, k, unit, scale in (("launch to ready (ms)", 0, "", 1), ("PSS total (MiB)", 1, "", 1024), ("RSS total (MiB)", 2, "", 1024)):
        a, b = med("tba-wizard", k) / scale, med("minimal", k) / scale
        print(f"{label:24}{a:12.1f}{b:12.1f}{a / b:8.2f}")
    print(f"{'processes':24}{med('tba-wizard', 3):12.0f}{med('minimal', 3):12.0f}")

    print("\nWhere the start goes (median ms after spawn, and the step from the stage before):")
    print(f"  {'':13}{'tba-wizard':>16}{'minimal':>16}")
    previous = {"tba-wizard": 0.0, "minimal": 0.0}
    for name, what in PHASES:
        cells = []
        for app in ("tba-wizard", "minimal"):
            times = [r[4][name] for r in results[app] if name in r[4]]
            if not times:
                cells.append(" " * 16)
                continue
            at = statistics.median(times)
            cells.append(f"{at:8.0f} (+{max(at - previous[app], 0):4.0f})")
            previous[app] = at
        print(f"  {name:13}{cells[0]}{cells[1]}  {what}")

    print("\nPSS by process (median MiB):")
    names = sorted({n for name in results for r in results[name] for n in r[5]})
    for n in names:
        row = []
        for name in ("tba-wizard", "minimal"):
            values = [r[5].get(n, 0) for r in results[name]]
            row.append(statistics.median(values) / 1024)
        print(f"  {n:22}{row[0]:10.1f}{row[1]:10.1f}")
    if args.saved and args.cli:
        home_with_saved(args, env)
    bundle = sorted(Path(args.app).resolve().parents[2].glob("ui/dist/assets/*"))
    if bundle:
        print("\nUI bundle: " + ", ".join(f"{p.name.split('-')[0]}{p.suffix} {p.stat().st_size / 1024:.0f} KiB" for p in bundle))


if __name__ == "__main__":
    main()
