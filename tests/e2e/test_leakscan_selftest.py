"""The leak scanner (tests/leakscan.py) and the e2e leak helpers can fail: each form a secret could take
is planted and must be found; a fingerprint, a short piece and chance must not count. Pure Python (no
window, no keyring), except the OCR checks, which need tesseract and ImageMagick (both installed by
`scripts/setup.sh test`) and FAIL without them, like the flows' leak checks."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

import e2e_support as es
import leakscan
from leakscan import Scanner


def hex64() -> str:
    return secrets.token_hex(32)


def forms(s: str) -> dict[str, bytes]:
    """A secret as it could end up somewhere, each inside other text."""
    doc = json.dumps({"name": "x", "token_secret": s, "n": 1}).encode()
    return {
        "exact": b"value=" + s.encode() + b";",
        "upper": s.upper().encode(),
        "a 16-character piece": b"..." + s[20:36].encode() + b"...",
        "an upper-cased piece in binary": b"\x00\x01prefix" + s[5:30].upper().encode() + b"\xff",
        "base64": base64.b64encode(s.encode()),
        "URL-safe base64 of its bytes": base64.urlsafe_b64encode(bytes.fromhex(s)),
        "base64 of a JSON document holding it (1 byte more in front)": base64.b64encode(b"{" + doc),
        "base64 of a JSON document holding it (2 bytes more in front)": base64.b64encode(b"{ " + doc),
        "base64 of a JSON document holding it (3 bytes more in front)": base64.b64encode(b"{  " + doc),
        "base64 of the upper-cased value": base64.b64encode(s.upper().encode()),
        "percent-encoded": quote(s, safe="").encode(),
        "every byte percent-encoded": "".join(f"%{b:02x}" for b in s.encode()).encode(),
        "hex of its bytes": s.encode().hex().upper().encode(),
        "UTF-16LE": ("k=" + s).encode("utf-16-le"),
        "UTF-16BE": s.upper().encode("utf-16-be"),
        "a list of byte values": repr(list(s.encode())).encode(),
    }


@pytest.mark.parametrize("form", list(forms("0" * 64)))
def test_each_form_is_found_in_text_and_files(form, tmp_path):
    s = hex64()
    data = forms(s)[form]
    assert Scanner([s]).find(data), f"{form} was not found"
    assert leakscan.leaks_in(data, [s, hex64()]) == [s[:4] + "…"]
    # In a hidden file deep in a tree, among clean files.
    (tmp_path / "clean.txt").write_text("nothing here " + hashlib.sha256(s.encode()).hexdigest()[:8])
    deep = tmp_path / "a" / ".b" / "Cache"
    deep.mkdir(parents=True)
    (deep / "entry").write_bytes(b"\x89PNG" + bytes(1000) + data + bytes(100))
    assert es.files_containing(tmp_path, [s]) and all("entry" in h for h in es.files_containing(tmp_path, [s]))


def test_non_leaks_are_not_found():
    s = hex64()
    fp = hashlib.sha256(s.encode()).hexdigest()[:8]
    scanner = Scanner([s])
    assert scanner.find(f"fingerprint {fp}, first 15 {s[:15]}, last 15 {s[-15:]}") == []
    assert scanner.find(base64.b64encode(s[:10].encode())) == []
    assert scanner.find(secrets.token_bytes(1 << 20)) == []  # a megabyte of noise
    assert scanner.find(hex64() + " " + base64.b64encode(secrets.token_bytes(300)).decode()) == []
    assert Scanner([]).find(s) == []


def test_a_large_file_is_read_in_slices_and_a_secret_across_a_slice_border_is_found(tmp_path):
    s = hex64()
    big = tmp_path / "big.bin"
    border = leakscan._CHUNK - 20
    with open(big, "wb") as f:
        f.write(b"\x00" * border + s.encode() + b"\x00" * 100)
    t = time.monotonic()
    assert Scanner([s]).find_in_file(big)
    assert time.monotonic() - t < 30


def test_only_files_changed_since_count_when_asked(tmp_path):
    s = hex64()
    (tmp_path / "old.txt").write_text(s)
    assert es.files_containing(tmp_path, [s]) != []
    time.sleep(0.05)
    cut = time.time()
    time.sleep(0.05)
    assert es.files_containing(tmp_path, [s], since=cut) == []
    (tmp_path / "new.txt").write_text(s.upper())
    assert [h.split(":")[0] for h in es.files_containing(tmp_path, [s], since=cut)] == [str(tmp_path / "new.txt")]


def test_tmp_watch_sees_new_entries_and_changed_files_only():
    s = hex64()
    watch = es.TmpWatch().start()
    tmp = es.tmp_dirs()[0]
    made = Path(subprocess.run(["mktemp", "-d", "-p", str(tmp)], capture_output=True, text=True).stdout.strip())
    try:
        (made / "sub").mkdir()
        (made / "sub" / "x.log").write_bytes(base64.b64encode(s.encode()))
        places = watch.paths()
        assert (made, None) in places
        hits = es.scan_places(Scanner([s]), places)
        assert any(str(made / "sub" / "x.log") in h for h in hits), hits
        assert es.scan_places(Scanner([s]), watch.paths(exclude=[made])) == []
        # A build tree (tagged CACHEDIR.TAG, like cargo's target folders) in $TMPDIR is not read.
        (made / "sub" / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")
        assert es.scan_places(Scanner([s]), watch.paths()) == []
    finally:
        shutil.rmtree(made)


def test_process_sampler_sees_arguments_and_environment_of_short_lived_processes():
    in_args, in_env = hex64(), hex64()
    sampler = es.ProcessSampler().start()
    try:
        env = {"PATH": "/usr/bin:/bin", "SOME_TOKEN": base64.b64encode(in_env.encode()).decode()}
        # Lives 0.2 s: sampled repeatedly, not once at the end.
        subprocess.run([sys.executable, "-c", "import time; time.sleep(0.2)", in_args.upper()], env=env, check=True)
    finally:
        sampler.stop()
    assert sampler.samples > 3
    leaks = sampler.leaks([in_args, in_env])
    assert any("arguments" in h and in_args[:4] in h for h in leaks), leaks
    assert any("environment" in h and in_env[:4] in h for h in leaks), leaks
    assert sampler.leaks([hex64()]) == []


def test_processes_with_secret_in_args_reads_the_process_list():
    s = hex64()
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)", "--x=" + quote(s)])
    try:
        deadline = time.monotonic() + 5
        while not es.processes_with_secret_in_args([s]):
            assert time.monotonic() < deadline, "the planted command line was never seen"
            time.sleep(0.05)
    finally:
        p.kill()
        p.wait()


# ---------------------------------------------------------------- OCR


def test_ocr_fails_without_tesseract(monkeypatch, tmp_path):
    monkeypatch.setattr(es.shutil, "which", lambda name: None)
    with pytest.raises(AssertionError, match="tesseract-ocr"):
        es.ocr_text(tmp_path / "x.png")


def test_ocr_matching_folds_case_spaces_and_look_alikes():
    s = hex64()
    read = s[:30].upper().replace("0", "O").replace("1", "l")
    assert leakscan.ocr_leaks(f"Token {read[:12]} {read[12:]} saved", [s]) == [s[:4] + "…"]
    assert leakscan.ocr_leaks(f"Fingerprint {s[:8]} saved", [s]) == []


def test_ocr_reads_a_secret_rendered_in_an_image(tmp_path):
    assert shutil.which("tesseract"), es.TESSERACT_MISSING
    convert = shutil.which("convert") or shutil.which("magick")
    assert convert, "ImageMagick is not installed (scripts/setup.sh test installs imagemagick)"
    s = hex64()
    image = tmp_path / "secret.png"
    subprocess.run([convert, "-size", "1100x80", "xc:white", "-fill", "black", "-font", "DejaVu-Sans-Mono",
                    "-pointsize", "18", "-annotate", "+10+45", f"Token secret: {s}", str(image)], check=True,
                   timeout=60)
    text = es.ocr_text(image)
    assert leakscan.ocr_leaks(text, [s]) == [s[:4] + "…"], text
    assert leakscan.ocr_leaks(text, [hex64()]) == []
