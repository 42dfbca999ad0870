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
import statistics
import subprocess
import sys
import time


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
    pss = rss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            continue
    return pss, rss


def run_once(binary, env, settle, timeout):
    started = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    ready_at = None
    try:
        deadline = started + timeout
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            if line.startswith("READY"):
                ready_at = time.monotonic()
                break
        if ready_at is None:
            raise RuntimeError(f"{binary} never reported READY (exit {proc.poll()})")
        time.sleep(settle)
        tree = children_tree(proc.pid)
        pss, rss = memory_kib(tree)
        return (ready_at - started) * 1000, pss, rss, len(tree)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", required=True)
    ap.add_argument("--minimal", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--settle", type=float, default=2.0, help="seconds after READY before measuring memory")
    ap.add_argument("--timeout", type=float, default=60.0)
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


if __name__ == "__main__":
    main()
