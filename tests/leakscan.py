"""Finding secrets where they must not be: the one leak scanner every suite uses (tests/vault, tests/e2e).

A secret counts as leaked when any FRAGMENT (16) consecutive characters of it show up in one of the
forms a program, a library or a log line could turn it into:

  * as it is, upper- or lower-cased (every comparison here is case-folded);
  * percent-encoded (``quote(value, safe="")``), and with every byte percent-encoded (``%36%31…``);
  * hex-encoded (``value.encode().hex()``, e.g. SQLite's ``x'…'`` or a Debug dump of its bytes);
  * base64, standard and URL-safe (the scanner maps ``-``/``_`` to ``+``/``/`` on both sides), of the
    value, of its upper-cased form and, for a hex value, of the bytes it stands for; each starting at
    byte 0, 1 and 2 of the value, so that base64 of a longer text holding the value (a JSON document,
    a header, a whole file) is caught wherever the value sits in it;
  * any of the above stored as UTF-16 or another two-byte encoding (WebKit's local storage and
    IndexedDB keep strings as UTF-16): the haystack is also read at every other byte;
  * a Rust/Python Debug list of its bytes (``[54, 49, 102, …]``, what a trace of a D-Bus or HTTP body
    prints): such lists in the haystack are decoded and scanned.

16 hex characters are 64 random bits, so a fingerprint (8) or chance never counts, while a truncated
or partly masked secret does. For base64 the fragment is 16 characters of the encoding (12 bytes of
the value).

``needles(secret)`` gives the forms; ``Scanner(secrets)`` finds them in text, bytes, files and folder
trees. OCR text (screenshots) is compared by ``ocr_leaks``, which also folds characters OCR confuses.
"""

from __future__ import annotations

import base64
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

FRAGMENT = 16
# The haystack and every needle are folded the same way: lower case, and URL-safe base64's '-' and '_'
# read as standard base64's '+' and '/'.
_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ-_", b"abcdefghijklmnopqrstuvwxyz+/")
# Runs of characters any folded needle is made of (hex, base64, percent-encoding).
_RUN = re.compile(rb"[0-9a-z+/%%]{%d,}" % FRAGMENT)
# A Debug-printed list of at least FRAGMENT byte values: [54, 49, 102, …] or (54,49,…).
_BYTE_LIST = re.compile(rb"(?:\d{1,3}\s*,\s*){%d,}\d{1,3}" % (FRAGMENT - 1))
# Files larger than this are read in slices of this size (overlapping), never whole.
_CHUNK = 8 << 20
_OVERLAP = 4096


def fold(data: bytes | str) -> bytes:
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    return data.translate(_FOLD)


def _b64_aligned(raw: bytes) -> list[bytes]:
    """base64 of raw[k:] for k = 0, 1, 2, cut to whole 3-byte groups: whatever the value's offset in an
    encoded stream, one of these three is a substring of the stream's encoding."""
    out = []
    for k in range(3):
        part = raw[k:]
        part = part[: len(part) - len(part) % 3]
        if part:
            out.append(base64.b64encode(part))
    return out


def needles(secret: str) -> dict[str, tuple[bytes, int]]:
    """Every form of `secret` the scanner looks for: name -> (folded form, fragment length).

    A haystack leaks the secret when it holds `fragment length` consecutive characters of a folded
    form (the whole form if it is shorter)."""
    raw = secret.encode("utf-8")
    forms: dict[str, tuple[bytes, int]] = {}

    def add(name: str, value: bytes, window: int = FRAGMENT) -> None:
        folded = fold(value)
        if folded and all(folded != f for f, _ in forms.values()):
            forms[name] = (folded, window)

    add("the value (any case)", raw)
    add("percent-encoded", quote(secret, safe="").encode())
    add("every byte percent-encoded", "".join(f"%{b:02X}" for b in raw).encode(), 3 * FRAGMENT)
    add("hex of its bytes", raw.hex().encode(), 2 * FRAGMENT)
    sources = {"the value": raw, "the upper-cased value": secret.upper().encode("utf-8")}
    if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", secret):
        sources["the bytes the hex value stands for"] = bytes.fromhex(secret)
    for what, source in sources.items():
        for k, encoded in enumerate(_b64_aligned(source)):
            # Standard and URL-safe base64 fold to the same needle.
            add(f"base64 of {what} (from byte {k})", encoded)
    return forms


@dataclass(frozen=True)
class Hit:
    secret: str     # abbreviated: never print a secret while reporting its leak
    form: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where + ': ' if self.where else ''}{self.secret} as {self.form}"


def abbreviate(secret: str) -> str:
    return secret[:4] + "…"


# Every window of every form of every secret any Scanner was given, by window length: window -> the
# (secret, form) pairs it belongs to. Built once per secret, so a Scanner over a growing set of secrets
# (the vault suite checks every run against all secrets so far) costs only the new ones.
_TABLES: dict[int, dict[bytes, list[tuple[str, str]]]] = {}
_SHORT: list[tuple[bytes, str, str]] = []   # forms shorter than the run regex's minimum
_KNOWN: set[str] = set()


def _learn(secret: str) -> None:
    if secret in _KNOWN:
        return
    _KNOWN.add(secret)
    for name, (form, window) in needles(secret).items():
        w = min(window, len(form))
        if w < FRAGMENT:
            _SHORT.append((form, secret, name))
            continue
        table = _TABLES.setdefault(w, {})
        seen = set()
        for i in range(len(form) - w + 1):
            piece = form[i : i + w]
            if piece not in seen:
                seen.add(piece)
                table.setdefault(piece, []).append((secret, name))


class Scanner:
    """Looks for every form of every secret at once (see the module's doc)."""

    def __init__(self, secrets):
        self.secrets = frozenset(s for s in secrets if s)
        for s in self.secrets:
            _learn(s)

    def __bool__(self) -> bool:
        return bool(self.secrets)

    # ---- text and bytes
    def find(self, data: bytes | str, where: str = "") -> list[Hit]:
        """Every (secret, form) found in `data`; empty when it holds none."""
        if not self.secrets or not data:
            return []
        if isinstance(data, str):
            data = data.encode("utf-8", errors="surrogatepass")
        hits: dict[tuple[str, str], Hit] = {}
        self._find_folded(fold(data), where, "", hits)
        # UTF-16 (and any two-byte encoding of ASCII): the characters sit at every other byte.
        for parity in (0, 1):
            self._find_folded(fold(data[parity::2]), where, " in UTF-16", hits)
        for m in _BYTE_LIST.finditer(data):
            values = [int(v) for v in re.findall(rb"\d+", m.group(0))]
            if all(v < 256 for v in values):
                self._find_folded(fold(bytes(values)), where, " in a list of byte values", hits)
        return list(hits.values())

    def _find_folded(self, folded: bytes, where: str, how: str, hits: dict) -> None:
        def hit(secret: str, name: str) -> None:
            key = (secret, name + how)
            if secret in self.secrets and key not in hits:
                hits[key] = Hit(abbreviate(secret), name + how, where)

        for m in _RUN.finditer(folded):
            run = m.group(0)
            for w, table in _TABLES.items():
                for i in range(len(run) - w + 1):
                    for secret, name in table.get(run[i : i + w], ()):
                        hit(secret, name)
        for form, secret, name in _SHORT:
            if secret in self.secrets and form in folded:
                hit(secret, name)

    # ---- files and folders
    def find_in_file(self, path: Path) -> list[Hit]:
        """The file's bytes, read in overlapping slices (a large cache file is never read whole)."""
        hits: list[Hit] = []
        try:
            with open(path, "rb") as f:
                offset = 0
                while True:
                    f.seek(offset)
                    block = f.read(_CHUNK + _OVERLAP)
                    if not block:
                        break
                    for h in self.find(block, str(path)):
                        if h not in hits:
                            hits.append(h)
                    if len(block) <= _CHUNK:
                        break
                    offset += _CHUNK
        except OSError:
            pass   # gone meanwhile (a cache entry, a temp file), or not readable: nothing to read
        return hits

    def find_in_tree(self, root: Path, *, since: float | None = None, exclude=(),
                     max_bytes: int | None = None, skip_cache_dirs: bool = False) -> list[Hit]:
        """Every regular file under `root` (hidden ones too, symlinks not followed), optionally only
        those changed at or after `since` (a time.time()), skipping paths under any of `exclude`,
        files larger than `max_bytes` and, with skip_cache_dirs, folders tagged as caches (a
        CACHEDIR.TAG file, as cargo's target folders have)."""
        hits: list[Hit] = []
        for path in walk_files(root, since=since, exclude=exclude, max_bytes=max_bytes,
                               skip_cache_dirs=skip_cache_dirs):
            hits.extend(self.find_in_file(path))
        return hits


def walk_files(root: Path, *, since: float | None = None, exclude=(), max_bytes: int | None = None,
               skip_cache_dirs: bool = False):
    """Regular files under root (or root itself when it is one); see Scanner.find_in_tree."""
    root = Path(root)
    excluded = [str(Path(e)) for e in exclude]

    def skipped(p: str) -> bool:
        return any(p == e or p.startswith(e + os.sep) for e in excluded)

    def wanted(p: str, st: os.stat_result) -> bool:
        if not stat.S_ISREG(st.st_mode):
            return False
        if since is not None and max(st.st_mtime, st.st_ctime) < since:
            return False
        return max_bytes is None or st.st_size <= max_bytes

    try:
        st = os.lstat(root)
    except OSError:
        return
    if not stat.S_ISDIR(st.st_mode):
        if not skipped(str(root)) and wanted(str(root), st):
            yield root
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=lambda e: None):
        if skip_cache_dirs and "CACHEDIR.TAG" in filenames:
            dirnames[:] = []
            continue
        dirnames[:] = [d for d in dirnames if not skipped(os.path.join(dirpath, d))]
        for name in filenames:
            p = os.path.join(dirpath, name)
            if skipped(p):
                continue
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if wanted(p, st):
                yield Path(p)


def leaks_in(text: bytes | str, secrets) -> list[str]:
    """The secrets (abbreviated) of which some form occurs in text."""
    return sorted({h.secret for h in Scanner(secrets).find(text)})


# ---------------------------------------------------------------- OCR text
# Characters OCR takes for one another, folded to one (applied to both sides, after lower-casing).
_OCR_FOLD = str.maketrans({"o": "0", "q": "0", "i": "1", "l": "1", "|": "1", "!": "1", "s": "5", "z": "2",
                           "g": "9", "t": "7"})
OCR_FRAGMENT = 12


def ocr_fold(text: str) -> str:
    return "".join(text.lower().split()).translate(_OCR_FOLD)


def ocr_leaks(text: str, secrets) -> list[str]:
    """What of the secrets OCR read off a screen: OCR_FRAGMENT (12) consecutive characters of a secret,
    compared case-insensitively with spaces dropped and look-alike characters (O/0, l/1, S/5…) taken
    as one, or any form Scanner knows in the text as read. Abbreviated secrets, empty when none."""
    found = set()
    squashed = ocr_fold(text)
    for s in secrets:
        v = ocr_fold(s)
        w = min(OCR_FRAGMENT, len(v))
        if any(v[i : i + w] in squashed for i in range(len(v) - w + 1)):
            found.add(abbreviate(s))
    found.update(h.secret for h in Scanner(secrets).find("".join(text.split())))
    return sorted(found)


def now() -> float:
    """A start time for `since`, a little early: file times have coarse resolution on some systems."""
    return time.time() - 2.0
