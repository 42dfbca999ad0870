"""The UI's promise under the strict CSP, checked in its source: no markup from strings, no inline style,
no `on*` attribute. The renderer (Preact) sets `style` through the CSSOM, which `style-src 'self'` does
not stop, and `dangerouslySetInnerHTML` would parse markup: neither may appear, whatever the CSP lets
through. The running window is checked too (e2e_support.assert_no_inline_markup, on every screen a
flow shoots); tests/e2e/test_inline_markup_selftest.py plants each form and sees both checks fail.

Usage: python3 tests/ui_csp_scan.py [DIR ...]   (default: ui/src and ui/index.html); exits 1 on a find.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = [REPO / "ui" / "src", REPO / "ui" / "index.html"]
SOURCES = {".ts", ".tsx", ".js", ".jsx", ".mjs", ".html"}

# (what it is, pattern). Comments are blanked out before matching, so prose may name them.
RULES: list[tuple[str, re.Pattern[str]]] = [
    ("dangerouslySetInnerHTML", re.compile(r"dangerouslySetInnerHTML")),
    ("markup from a string (innerHTML/outerHTML)", re.compile(r"\b(?:inner|outer)HTML\b")),
    ("markup from a string (insertAdjacentHTML/createContextualFragment)",
     re.compile(r"\b(?:insertAdjacentHTML|createContextualFragment|parseFromString)\b")),
    ("document.write", re.compile(r"\bdocument\s*\.\s*write(?:ln)?\b")),
    ("a style prop or attribute", re.compile(r"""(?<![\w.-])style\s*=\s*[{"'`]""")),
    ("a style key in props", re.compile(r"""(?<![\w.-])["']?style["']?\s*:(?!:)""")),
    ("inline style through the CSSOM (.style / cssText)", re.compile(r"\.style\s*[.\[=]|\bcssText\b")),
    ("setAttribute of style or an on* handler", re.compile(r"""setAttribute(?:NS)?\s*\(\s*[^,]*?["'`](?:style|on[a-z]+)["'`]""", re.I)),
    ("an on* attribute written as a string", re.compile(r"""(?<![\w.-])on[a-z]+\s*=\s*["'`]""")),
    ("an inline <script> or <style> element", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]", re.I)),
]

# The one line that must name what it forbids (ui/src/app/guard.ts) says so at its end.
ALLOWED = "csp-scan: allowed"

_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'`\\])//[^\n]*|<!--.*?-->", re.S)


def _blank(match: re.Match[str]) -> str:
    # Keep line numbers: a comment becomes as many newlines as it had.
    return "\n" * match.group(0).count("\n")


def scan_text(text: str) -> list[tuple[int, str, str]]:
    """(line, rule, the line) for each find in one file's text."""
    raw = text.split("\n")
    code = _COMMENT.sub(_blank, text)
    lines = code.split("\n")
    found = []
    for number, line in enumerate(lines, 1):
        if ALLOWED in raw[number - 1]:
            continue
        for what, pattern in RULES:
            if pattern.search(line):
                found.append((number, what, line.strip()))
    return found


def scan(paths: list[Path]) -> list[str]:
    out = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if path.suffix not in SOURCES or path.name.endswith(".d.ts") or path.name == "bindings.ts":
                continue
            for number, what, line in scan_text(path.read_text(encoding="utf-8")):
                out.append(f"{path}:{number}: {what}: {line}")
    return out


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or DEFAULT
    found = scan(paths)
    for line in found:
        print(line)
    if found:
        print(f"ui_csp_scan: {len(found)} find(s): markup, inline style or on* handlers break the UI's CSP promise")
        return 1
    print(f"ui_csp_scan: clean ({', '.join(str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p) for p in paths)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
