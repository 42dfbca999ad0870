#!/usr/bin/env python3
"""Prints the measures of how the code is shaped (ARCHITECTURE.md, "Shape, in numbers").

    python3 scripts/structure_numbers.py [--json]

Counted on non-test code (a file's `#[cfg(test)] mod …` and everything after it is test code):
- import circles: groups of files that reach each other through their imports (Tarjan's strongly
  connected components of the file graph). A module and its own submodules are one unit: Rust ties
  them by `mod`, and `super::` inside a submodule is not a circle a reader untangles.
- engine files over 500 lines of non-test code (every line before the tests, comments included).
- places that branch on the auth method, and on the journey's kind (the patterns are listed below).
- `Wizard`'s public functions, and how many of them are for OAuth 2.0 (M2M) only.
Needs only Python 3: the test command does not run it, a reviewer does.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAURI = ROOT / "src-tauri"
RUST_CRATES = {"engine": TAURI / "engine" / "src", "cli": TAURI / "cli" / "src", "app": TAURI / "src"}
UI = ROOT / "ui" / "src"

# A line that compares, matches or tests for one auth method chooses by auth method (TBA or OAuth 2.0
# client credentials); naming one as a value (`auth: AuthKind::Tba`, `Auth::Tba(creds)` handed to a
# call) chooses nothing. An OAuth 2.0 record looked for on a connection (`.m2m.as_ref()` and the like)
# counts wherever it is.
AUTH_BRANCH = re.compile(
    r"is_m2m\(|is_tba\(|[!=]=\s*(crate::profiles::|tba_engine::profiles::)?AuthKind::\w+"
    r"|\b(AuthKind|Auth|Signer|Signed|SignedWith|AuthRecord|ProfileAuth)::\w+(\([^)]*\)|\s*\{[^}]*\})?\)?\s*(if [^=]*)?=>"
    r"|(if|while|let) (let )?(Some\()?(AuthKind|Auth|Signer|SignedWith|AuthRecord)::\w+[^=]*=[^=>]|matches!\([^)]*(AuthKind|AuthRecord)::"
    r"|\.m2m\.is_(some|none)\(\)|\.m2m\.as_(ref|mut)\(\)|Some\(m2m\)"
    r"|\.(m2m|tba)(_mut)?\(\)|\.kind\(\)\s*[!=]=\s*(crate::profiles::|tba_engine::profiles::)?AuthKind"
    r"|takes_tba_values\(\)"  # a capability asked only to choose by it
)
# The named points where the auth method is dispatched: the match there is the dispatch, not a branch.
# `of` picks a connection's behaviour, the record is taken apart in one file, a test's first call is made
# and a request signed in one each, and the window's home card and the command line's output each show
# a connection's method in one. Every match there is exhaustive: a new method is a compile error at each.
AUTH_DISPATCH = (
    "engine/keep/connections/method/mod.rs",
    "engine/keep/record.rs",
    "engine/netsuite/signer.rs",
    "engine/netsuite/client/auth.rs",
    "engine/flow/cards.rs",
    "cli/describe.rs",
)
# A method's own files: its behaviour behind `of`, its keyring and record code, its journey kind (only
# OAuth 2.0 connections have certificates to replace) and screen part (the key and certificate), and
# its commands. Reading its own record there chooses nothing; they are counted apart, and listed.
METHOD_OWN = re.compile(
    r"^engine/(keep/connections/method/(tba|m2m)\.rs|keep/m2m/|netsuite/oauth2|netsuite/outcome/m2m"
    r"|flow/journey/kinds/replace_certificate/|flow/parts/key\.rs)|^cli/commands/m2m\.rs"
)
# A line comparing or matching a journey kind outside the kinds' own dispatch chooses by kind. Naming
# one as a value (a view that says "no journey": `journey: Journey::Setup`) chooses nothing.
JOURNEY_BRANCH = re.compile(
    r"[!=]=\s*Journey::\w+|\bJourney::\w+\s*(=>|\||\)\s*=>)|(if|while) let (Some\()?Journey::\w+"
    r"|matches!\([^)]*Journey::\w+"
)
JOURNEY_DISPATCH = ("flow/journey/kinds/mod.rs",)
M2M_ONLY_FN = re.compile(r"m2m|key|certificate|mapping|upload|revoke", re.I)


def non_test(text: str) -> str:
    m = re.search(r"^\s*#\[cfg\(test\)\]\s*\n\s*(pub(\(\w+\))? )?mod \w+", text, re.M)
    return text[: m.start()] if m else text


def code_lines(text: str) -> int:
    return len(non_test(text).splitlines())


# ---------------------------------------------------------------- the Rust file graph


def module_of(src: Path, file: Path) -> tuple[str, ...]:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def use_paths(tree: str, prefix: str = "") -> list[str]:
    """Expands a `use` tree (`a::{b, c::{d, e}}`) into full paths."""
    tree = tree.strip()
    at = tree.find("{")
    if at < 0:
        return [prefix + tree.split(" as ")[0].strip()] if tree else []
    head = tree[:at]
    body = tree[at + 1 : tree.rfind("}")]
    out, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            out += use_paths(body[start:i], prefix + head)
            start = i + 1
    out += use_paths(body[start:], prefix + head)
    return out


def named_paths(text: str) -> list[str]:
    text = re.sub(r"//[^\n]*", "", non_test(text))
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        paths += use_paths(re.sub(r"\s+", "", m.group(1)).replace("as", " as "))
    paths += re.findall(r"(?<![\w:])((?:crate|super|self)(?:::\w+)+)", text)
    return paths


def rust_graph(src: Path) -> dict[str, set[str]]:
    files = sorted(src.rglob("*.rs"))
    modules = {module_of(src, f): f for f in files}
    graph: dict[str, set[str]] = {}
    for file in files:
        me = module_of(src, file)
        is_dir_mod = file.name in ("mod.rs", "lib.rs", "main.rs")
        here = me if is_dir_mod else me[:-1]  # the module `super::` and child names start from
        edges = set()
        for path in named_paths(file.read_text()):
            segs = [s for s in path.split("::") if s and s != "*"]
            if not segs:
                continue
            if segs[0] == "crate":
                target = segs[1:]
            elif segs[0] in ("super", "self"):
                base = list(me)
                while segs and segs[0] in ("super", "self"):
                    if segs.pop(0) == "super":
                        base = base[:-1]
                target = base + segs
            elif tuple(list(here) + segs[:1]) in modules and not is_dir_mod:
                continue
            elif tuple(list(me) + segs[:1]) in modules:
                target = list(me) + segs
            else:
                continue  # another crate or the standard library
            while target and tuple(target) not in modules:
                target = target[:-1]
            t = tuple(target)
            # A module and its submodules are one unit (see the top of the file).
            if t[: len(me)] == me or me[: len(t)] == t:
                continue
            edges.add("/".join(t) or "lib")
        graph["/".join(me) or "lib"] = edges
    return graph


# ---------------------------------------------------------------- the UI file graph


def ui_graph(src: Path) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    files = [f for f in src.rglob("*") if f.suffix in (".ts", ".tsx") and not f.name.endswith(".d.ts")]
    names = {f.with_suffix("").as_posix(): f for f in files}
    for f in files:
        edges = set()
        for spec in re.findall(r"""(?:from|import)\s*["'](\.[^"']+)["']""", f.read_text()):
            target = (f.parent / spec).resolve().as_posix()
            for cand in (target, target + "/index"):
                if cand in names:
                    edges.add(Path(cand).relative_to(src.resolve()).as_posix())
        graph[f.with_suffix("").relative_to(src).as_posix()] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one file."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(10000)

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


# ---------------------------------------------------------------- the counts


def sites(pattern: re.Pattern[str], skip: tuple[str, ...] = ()) -> list[str]:
    out = []
    for name, src in RUST_CRATES.items():
        for f in sorted(src.rglob("*.rs")):
            rel = f.relative_to(src).as_posix()
            if rel in skip or f"{name}/{rel}" in skip:
                continue
            for n, line in enumerate(non_test(f.read_text()).splitlines(), 1):
                if not line.strip().startswith("//") and pattern.search(line):
                    out.append(f"{name}/{rel}:{n}")
    return out


def wizard_functions() -> list[str]:
    names = []
    for f in sorted((RUST_CRATES["engine"] / "flow").rglob("*.rs")):
        text = non_test(f.read_text())
        for block in re.finditer(r"^impl(?:<[^>]*>)? Wizard<[^>]*>\s*\{(.*?)^\}", text, re.M | re.S):
            names += re.findall(r"^    pub (?:async )?fn (\w+)", block.group(1), re.M)
    return names


def measure() -> dict[str, object]:
    big = {}
    for f in sorted(RUST_CRATES["engine"].rglob("*.rs")):
        n = code_lines(f.read_text())
        if n > 500:
            big[f.relative_to(RUST_CRATES["engine"]).as_posix()] = n
    loops = {name: circles(rust_graph(src)) for name, src in RUST_CRATES.items()}
    loops["ui"] = circles(ui_graph(UI))
    fns = wizard_functions()
    reaches = sites(AUTH_BRANCH, AUTH_DISPATCH)
    at_dispatch = [r for r in sites(AUTH_BRANCH) if r.rsplit(":", 1)[0] in AUTH_DISPATCH]
    auth = [r for r in reaches if not METHOD_OWN.search(r)]
    own = [r for r in reaches if METHOD_OWN.search(r)]
    kinds = sites(JOURNEY_BRANCH, JOURNEY_DISPATCH)
    return {
        "import_circles": sum(len(v) for v in loops.values()),
        "circles": loops,
        "engine_files_over_500_code_lines": len(big),
        "big_files": big,
        "auth_method_dispatch_points": len(AUTH_DISPATCH),
        "auth_dispatch_lines": at_dispatch,
        "auth_method_branch_sites": len(auth),
        "auth_sites": auth,
        "auth_method_own_reaches": len(own),
        "auth_own_sites": own,
        "journey_kind_branch_sites": len(kinds),
        "journey_sites": kinds,
        "wizard_public_fns": len(fns),
        "wizard_m2m_only_fns": sorted(f for f in fns if M2M_ONLY_FN.search(f)),
    }


def main() -> None:
    m = measure()
    if "--json" in sys.argv:
        print(json.dumps(m, indent=2))
        return
    print(f"import circles between files:               {m['import_circles']}")
    for crate, found in m["circles"].items():  # type: ignore[union-attr]
        for c in found:
            print(f"    {crate}: {' ⇄ '.join(c)}")
    print(f"engine files over 500 lines of non-test code: {m['engine_files_over_500_code_lines']}")
    for f, n in m["big_files"].items():  # type: ignore[union-attr]
        print(f"    {n:5}  {f}")
    print(f"named dispatch points of the auth method:   {m['auth_method_dispatch_points']}")
    print(f"places that branch on the auth method elsewhere: {m['auth_method_branch_sites']}")
    print(f"    (and reaches into a method's own record in its own files: {m['auth_method_own_reaches']})")
    print(f"places that branch on the journey's kind:   {m['journey_kind_branch_sites']}")
    only = m["wizard_m2m_only_fns"]
    print(f"Wizard public functions (M2M-only):         {m['wizard_public_fns']} ({len(only)})")  # type: ignore[arg-type]
    if "-v" in sys.argv:
        for key in ("auth_dispatch_lines", "auth_sites", "auth_own_sites", "journey_sites", "wizard_m2m_only_fns"):
            print(f"  {key}:")
            for s in m[key]:  # type: ignore[union-attr]
                print(f"    {s}")


if __name__ == "__main__":
    main()
