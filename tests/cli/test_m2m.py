"""`tba-wizard-cli m2m …`: OAuth 2.0 client credentials (machine to machine) connections, end to end
against the NetSuite stand-in, whose token endpoint checks every assertion with PyJWT and cryptography
against the certificate uploaded to its mapping (never with this project's code).

The key lives in the real keyring, so run these inside a throw-away keyring session:

    xvfb-run -a scripts/with-keyring.sh .venv/bin/pytest tests/cli/test_m2m.py -q

(without one they fail, they are not skipped). Each test has its own config, log and home folders
under tmp_path; every run's output is kept so the leak test can scan all of it.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import secrets
import shlex
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tba_cli_support import REALM, REPO_ROOT, Run, clean_env

sys.path.insert(0, str(REPO_ROOT / "tests"))
import leakscan  # noqa: E402

ALGORITHMS = ("ES256", "ES384", "ES512", "PS256", "PS384", "PS512")
RUN_HINT = "xvfb-run -a scripts/with-keyring.sh .venv/bin/pytest tests/cli/test_m2m.py"
REFUSED, BAD_INPUT = 3, 2


class M2m:
    """The command line as one test sees it: its own folders, the session's real keyring, every run kept."""

    def __init__(self, binary: Path, root: Path):
        self.binary = binary
        self.root = root
        self.config_dir, self.log_dir, self.home = root / "config", root / "logs", root / "home"
        for d in (self.config_dir, self.log_dir, self.home):
            d.mkdir(parents=True, exist_ok=True)
        env = clean_env()
        env.update({"TBA_WIZARD_CONFIG_DIR": str(self.config_dir), "TBA_WIZARD_LOG_DIR": str(self.log_dir),
                    "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / ".config"), "RUST_BACKTRACE": "0"})
        self.env = env
        self.runs: list[Run] = []

    def run(self, *args, stdin: str | None = None, expect: int | None = 0, timeout: float = 120) -> Run:
        start = time.monotonic()
        p = subprocess.run([str(self.binary), *map(str, args)], input=stdin or "", capture_output=True, text=True,
                           timeout=timeout, env=self.env, cwd=self.root)
        run = Run(list(args), p.returncode, p.stdout, p.stderr, time.monotonic() - start)
        self.runs.append(run)
        if expect is not None:
            assert run.returncode == expect, f"expected exit {expect}:\n{run}"
        return run

    def new(self, name: str, algorithm: str = "ES256", *extra) -> tuple[dict, Path]:
        out = self.root / f"{name}-{algorithm}.pem"
        run = self.run("m2m", "new", name, "--account", REALM, "--algorithm", algorithm, "--certificate-out", out,
                       "--json", *extra)
        return run.json(), out

    def set(self, name: str, certificate_id: str, client_id: str | None, *extra, expect: int | None = 0) -> Run:
        args = ["m2m", "set", name, "--certificate-id", certificate_id, *extra]
        if client_id is not None:
            args.append("--credentials-stdin")
        return self.run(*args, stdin=json.dumps({"client_id": client_id}) if client_id else None, expect=expect)

    def test(self, name: str, standin, *extra, expect: int | None = 0) -> dict:
        run = self.run("test", "--connection", name, "--base-url", standin.base_url, "--json", *extra, expect=expect)
        return run.json()

    def list(self) -> dict[str, dict]:
        return {c["label"]: c for c in self.run("connections", "list", "--json").json()["connections"]}

    def ids(self) -> list[str]:
        try:
            return [c["id"] for c in json.loads((self.config_dir / "connections.json").read_text())["connections"]]
        except (OSError, ValueError, KeyError):
            return []


@pytest.fixture
def m2m(binary, tmp_path):
    if os.environ.get("TBA_WIZARD_REAL_KEYRING") != "1" or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.fail(f"these tests keep keys in the real keyring: run them via `{RUN_HINT}`", pytrace=False)
    w = M2m(binary, tmp_path / "w")
    yield w
    for conn_id in w.ids():
        for suffix in ("", ":pending", ":retired"):
            subprocess.run(["secret-tool", "clear", "service", "tba-wizard", "username", f"connection:{conn_id}{suffix}"],
                           capture_output=True, timeout=20)


@pytest.fixture
def client_id() -> str:
    return secrets.token_hex(32)


def token_audits(standin) -> list[dict]:
    return [a for a in standin.audit() if str(a.get("url", "")).endswith("/auth/oauth2/v1/token")]


def first_cause(report: dict) -> str:
    return report["causes"][0]["id"] if report.get("causes") else ""


def cause_ids(report: dict) -> list[str]:
    return [c["id"] for c in report.get("causes", [])]


def map_certificate(standin, certificate_id: str, pem: str, client_id: str, scopes=("rest_webservices",)):
    """What the administrator does on NetSuite's side: the integration record and one mapping."""
    if client_id not in standin.m2m_clients:
        standin.add_m2m_client(client_id, scopes=scopes)
    standin.add_m2m_certificate(certificate_id, pem, client_id)


def ready(m2m, standin, name, client_id, algorithm="ES256", certificate_id=None, scopes=("rest_webservices",)):
    """new, the mapping in the stand-in, set: a connection ready to test."""
    doc, path = m2m.new(name, algorithm)
    certificate_id = certificate_id or f"CERT-{name}"
    map_certificate(standin, certificate_id, path.read_text(), client_id, scopes)
    m2m.set(name, certificate_id, client_id)
    return doc, path


def fingerprint_of(pem: str) -> str:
    cert = x509.load_pem_x509_certificate(pem.encode())
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


# --------------------------------------------------------------------------- new, set, test, list

@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_new_set_test_and_list_for_each_algorithm(m2m, standin, client_id, algorithm):
    doc, path = m2m.new("Shop", algorithm)
    pem = path.read_text()
    cert = x509.load_pem_x509_certificate(pem.encode())
    key = cert.public_key()
    if algorithm.startswith("ES"):
        assert isinstance(key, ec.EllipticCurvePublicKey)
        assert key.curve.name == {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}[algorithm]
    else:
        assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 3072
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 730
    assert stat.S_IMODE(path.stat().st_mode) == 0o644, "a certificate is public: normal permissions"
    assert "PRIVATE" not in pem
    assert doc["algorithm"] == algorithm and doc["auth"] == "m2m" and doc["profile"] == "own_m2m"
    assert doc["new_certificate"]["fingerprint_sha256"] == fingerprint_of(pem)
    assert any("OAuth 2.0 Client Credentials (M2M) Setup" in s for s in doc["next_steps"])
    assert any("m2m set" in s and "--certificate-id" in s for s in doc["next_steps"])

    # Without the mapping's details there is nothing to test, and nothing is sent.
    before = len(standin.api_requests())
    run = m2m.run("test", "--connection", "Shop", "--base-url", standin.base_url, expect=BAD_INPUT)
    assert "Certificate ID" in run.stderr and "m2m set" in run.stderr
    assert len(standin.api_requests()) == before

    map_certificate(standin, f"CID-{algorithm}", pem, client_id)
    m2m.set("Shop", f"CID-{algorithm}", client_id)
    report = m2m.test("Shop", standin)
    assert report["outcome"] == "success", report
    token = token_audits(standin)
    assert token and token[-1]["reason"] == "ok" and token[-1]["kid"] == f"CID-{algorithm}"

    listed = m2m.list()["Shop"]
    assert listed["algorithm"] == algorithm
    assert listed["certificate"]["fingerprint_sha256"] == fingerprint_of(pem)
    assert listed["certificate"]["certificate_id"] == f"CID-{algorithm}"
    expiry = datetime.datetime.fromisoformat(listed["certificate"]["not_after"].replace("Z", "+00:00"))
    assert expiry == cert.not_valid_after_utc
    assert listed["certificate"]["days_left"] in (729, 730)
    assert listed["last_test"]["outcome"] == "success"
    text = m2m.run("connections", "list").stdout
    assert algorithm in text and fingerprint_of(pem) in text and expiry.strftime("%Y-%m-%d") in text


def test_the_new_certificate_and_its_next_steps_are_printed(m2m, standin, client_id):
    out = m2m.root / "cert.pem"
    run = m2m.run("m2m", "new", "Text", "--account", REALM, "--days", "90", "--certificate-out", out)
    pem = out.read_text()
    assert fingerprint_of(pem) in run.stdout
    assert "90 days" in run.stdout
    assert "Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup" in run.stdout
    for word in ("Entity", "Role", "Application", "Upload", "--certificate-id"):
        assert word in run.stdout, word
    # An existing file is never replaced, and nothing is saved then.
    again = m2m.run("m2m", "new", "Other", "--account", REALM, "--certificate-out", out, expect=BAD_INPUT)
    assert "already exists" in again.stderr and out.read_text() == pem
    assert "Other" not in m2m.list()
    # --days beyond NetSuite's two years, an unknown algorithm, RS256: bad input.
    m2m.run("m2m", "new", "X", "--account", REALM, "--days", "731", "--certificate-out", m2m.root / "x.pem",
            expect=BAD_INPUT)
    rs = m2m.run("m2m", "new", "X", "--account", REALM, "--algorithm", "RS256", "--certificate-out",
                 m2m.root / "y.pem", expect=BAD_INPUT)
    assert "RS256" in rs.stderr and "PS256" in rs.stderr
    # --profile takes an OAuth 2.0 profile only: a TBA connector's id, or an unknown one, saves nothing.
    tba = m2m.run("m2m", "new", "X", "--account", REALM, "--profile", "aftership", "--certificate-out",
                  m2m.root / "z.pem", expect=BAD_INPUT)
    assert "Token-Based Authentication" in tba.stderr and "connections add" in tba.stderr
    unknown = m2m.run("m2m", "new", "X", "--account", REALM, "--profile", "nope", "--certificate-out",
                      m2m.root / "z.pem", expect=BAD_INPUT)
    assert "--profile must be one of" in unknown.stderr and "own_m2m" in unknown.stderr
    assert not any((m2m.root / f).exists() for f in ("x.pem", "y.pem", "z.pem"))
    assert set(m2m.list()) == {"Text"}
    # The default is the own OAuth 2.0 profile, and naming it is the same.
    named = m2m.run("m2m", "new", "Named", "--account", REALM, "--profile", "own_m2m", "--certificate-out",
                    m2m.root / "n.pem", "--json")
    assert json.loads(named.stdout)["profile"] == "own_m2m"


def test_a_certificate_id_starting_with_a_dash_and_next_steps_that_work_when_pasted(m2m, standin, client_id):
    # A name a shell would expand inside double quotes: the printed commands must still paste as is.
    name = 'Shop "A" $HOME `id`'
    out = m2m.root / "c.pem"
    doc = m2m.run("m2m", "new", name, "--account", REALM, "--certificate-out", out, "--json").json()
    steps = doc["next_steps"]
    assert "/app/oauth2/clientcredentials/setup.nl" in steps[0] and "Certificates" in steps[0]
    dash = "-QjavVtnzeAPA_QdffgnTh9yPy6LbSGOYqNeJqtbKgU"
    map_certificate(standin, dash, out.read_text(), client_id)
    (m2m.root / "client-id.json").write_text(json.dumps({"client_id": client_id}))
    cli = shlex.quote(str(m2m.binary))

    def paste(line: str) -> subprocess.CompletedProcess:
        command = line.replace("tba-wizard-cli", cli).replace("=ID", "=" + dash)
        return subprocess.run(["bash", "-c", command], cwd=m2m.root, env=m2m.env, capture_output=True, text=True,
                              timeout=60)

    set_line = next(s for s in steps if "m2m set" in s)
    pasted = paste(set_line[set_line.index("tba-wizard-cli"):set_line.index(" (a file")])
    assert pasted.returncode == 0, pasted.stderr
    assert client_id not in pasted.stdout + pasted.stderr
    test_line = steps[-1]
    tested = paste(test_line[test_line.index("tba-wizard-cli"):] + f" --base-url {standin.base_url} --json")
    assert tested.returncode == 0, tested.stderr
    assert json.loads(tested.stdout)["outcome"] == "success"
    # The option as the users type it: a space, then an ID that starts with "-".
    m2m.run("m2m", "set", name, "--certificate-id", dash)
    # A forgotten ID does not take the next option as its value.
    run = m2m.run("m2m", "set", name, "--certificate-id", "--json", expect=BAD_INPUT)
    assert "give the Certificate ID after it" in run.stderr
    assert m2m.list()[name]["certificate"]["certificate_id"] == dash
    # What would change the revoke URL or hide on screen is refused, and the saved ID stays.
    for bad in (".", "..", "a/b", "a%2fb", "a\u202eb"):
        run = m2m.run("m2m", "set", name, "--certificate-id", bad, expect=BAD_INPUT)
        assert "letters, digits" in run.stderr
    assert m2m.list()[name]["certificate"]["certificate_id"] == dash
    # The Client ID given as the Certificate ID is refused without being repeated.
    run = m2m.run("m2m", "set", name, "--certificate-id", client_id, expect=BAD_INPUT)
    assert "That is the Client ID" in run.stderr and client_id not in run.stdout + run.stderr
    # The integration record's Application ID (a GUID) is not its Client ID.
    run = m2m.set(name, dash, "8C2D1F4E-1A2B-4C3D-9E8F-0A1B2C3D4E5F", expect=BAD_INPUT)
    assert "Application ID" in run.stderr and "64-character" in run.stderr


def test_old_connection_files_read_unchanged_and_tba_records_keep_their_shape(m2m, standin, creds):
    """A connections.json of before OAuth 2.0 lists as it did, and a TBA record saved now has no new field."""
    m2m.run("connections", "add", "Tba", "--account", REALM, "--profile", "own", "--credentials-stdin",
            stdin=json.dumps(creds))
    saved = json.loads((m2m.config_dir / "connections.json").read_text())
    assert "auth" not in saved["connections"][0] and "m2m" not in saved["connections"][0]
    m2m.run("m2m", "new", "Key", "--account", REALM, "--certificate-out", m2m.root / "k.pem")
    saved = json.loads((m2m.config_dir / "connections.json").read_text())
    tba, key = saved["connections"]
    assert "auth" not in tba and "m2m" not in tba
    assert key["auth"] == "m2m" and key["m2m"]["certificate"]["algorithm"] == "ES256"
    # The TBA connection still tests as before, beside the M2M one.
    assert m2m.test("Tba", standin)["outcome"] == "success"
    # TBA values cannot be saved under the OAuth 2.0 profile: it signs with a key.
    run = m2m.run("connections", "add", "Mixed", "--account", REALM, "--profile", "own_m2m", "--credentials-stdin",
                  stdin=json.dumps(creds), expect=BAD_INPUT)
    assert "m2m new" in run.stderr and "Mixed" not in m2m.list()
    run = m2m.run("m2m", "set", "Tba", "--certificate-id", "X", expect=BAD_INPUT)
    assert "Token-Based Authentication" in run.stderr


def test_a_connection_whose_setup_is_not_finished_lists_as_oauth2(m2m, standin, creds):
    """An OAuth 2.0 connection the window's setup left before its key was made lists as OAuth 2.0 with what
    it lacks (it was shown as a TBA connection with no token name and an empty line of fingerprints)."""
    m2m.config_dir.mkdir(parents=True, exist_ok=True)
    golden = REPO_ROOT / "src-tauri" / "engine" / "tests" / "golden" / "connections-m2m-setup.json"
    (m2m.config_dir / "connections.json").write_text(golden.read_text())
    text = m2m.run("connections", "list").stdout
    assert "OAuth 2.0 client credentials" in text and "token name not given" not in text, text
    assert "no key or certificate yet: finish its setup in the window" in text, text
    listed = json.loads(m2m.run("connections", "list", "--json").stdout)
    listed = listed["connections"] if isinstance(listed, dict) else listed
    assert listed[0]["auth"] == "m2m" and "certificate" not in listed[0], listed[0]
    # Testing it says what it lacks instead of signing with nothing.
    run = m2m.run("test", "--connection", "Live", "--base-url", standin.base_url, expect=BAD_INPUT)
    assert "Live" in run.stderr, run.stderr


# --------------------------------------------------------------------------- import

def openssl_pair(tmp: Path, *newkey: str, days: int = 365) -> tuple[str, Path]:
    """Oracle's recipe: `openssl req -new -x509 -nodes -days N -newkey … -out public.pem -keyout private.pem`."""
    tmp.mkdir(parents=True, exist_ok=True)
    key, cert = tmp / "private.pem", tmp / "public.pem"
    subprocess.run(["openssl", "req", "-new", "-x509", "-nodes", "-days", str(days), *newkey, "-subj", "/CN=test",
                    "-out", str(cert), "-keyout", str(key)], check=True, capture_output=True)
    return key.read_text(), cert


def test_import_of_an_openssl_key(m2m, standin, client_id, tmp_path):
    key_pem, cert = openssl_pair(tmp_path / "openssl", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384")
    run = m2m.run("m2m", "import", "Imported", "--account", REALM, "--certificate", cert, "--private-key-stdin",
                  "--json", stdin=key_pem)
    doc = run.json()
    assert doc["algorithm"] == "ES384" and doc["certificate"]["fingerprint_sha256"] == fingerprint_of(cert.read_text())
    map_certificate(standin, "IMPORTED", cert.read_text(), client_id)
    m2m.set("Imported", "IMPORTED", client_id)
    assert m2m.test("Imported", standin)["outcome"] == "success"
    assert token_audits(standin)[-1]["reason"] == "ok"

    # An RSA 4096 key signs with PS256 by default, or the PS algorithm asked for.
    key_pem, cert = openssl_pair(tmp_path / "rsa4096", "-newkey", "rsa:4096")
    doc = m2m.run("m2m", "import", "Rsa", "--account", REALM, "--certificate", cert, "--private-key-stdin",
                  "--algorithm", "PS512", "--json", stdin=key_pem).json()
    assert doc["algorithm"] == "PS512"
    map_certificate(standin, "RSA", cert.read_text(), client_id)
    m2m.set("Rsa", "RSA", client_id)
    assert m2m.test("Rsa", standin)["outcome"] == "success"


def test_import_refusals(m2m, tmp_path):
    key_pem, cert = openssl_pair(tmp_path / "rsa2048", "-newkey", "rsa:2048")
    run = m2m.run("m2m", "import", "Small", "--account", REALM, "--certificate", cert, "--private-key-stdin",
                  stdin=key_pem, expect=BAD_INPUT)
    assert "2048" in run.stderr and "3072 or 4096" in run.stderr
    # A key that is not the certificate's.
    other_key, _ = openssl_pair(tmp_path / "other", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
    _, p256_cert = openssl_pair(tmp_path / "p256", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
    run = m2m.run("m2m", "import", "Mismatch", "--account", REALM, "--certificate", p256_cert,
                  "--private-key-stdin", stdin=other_key, expect=BAD_INPUT)
    assert "does not belong to this certificate" in run.stderr
    # An EC key with an RSA algorithm.
    p256_key = (tmp_path / "p256" / "private.pem").read_text()
    run = m2m.run("m2m", "import", "Alg", "--account", REALM, "--certificate", p256_cert, "--private-key-stdin",
                  "--algorithm", "PS256", stdin=p256_key, expect=BAD_INPUT)
    assert "ES256" in run.stderr
    # Nothing on standard input; a certificate file that is not there.
    m2m.run("m2m", "import", "Empty", "--account", REALM, "--certificate", p256_cert, "--private-key-stdin",
            expect=BAD_INPUT)
    m2m.run("m2m", "import", "Gone", "--account", REALM, "--certificate", tmp_path / "nope.pem",
            "--private-key-stdin", stdin=p256_key, expect=5)
    assert m2m.list() == {}


def test_import_from_a_key_file_never_through_a_link(m2m, standin, client_id, tmp_path):
    """The key file itself is the primary way in: read without following a symbolic link (one planted in
    its place could point at any file), a regular file, of a key file's size."""
    key_pem, cert = openssl_pair(tmp_path / "file", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
    key_file = tmp_path / "file" / "private.pem"
    link = tmp_path / "link.pem"
    link.symlink_to(key_file)
    run = m2m.run("m2m", "import", "Linked", "--account", REALM, "--certificate", cert, "--private-key-file", link,
                  expect=BAD_INPUT)
    assert "symbolic link" in run.stderr and key_pem.splitlines()[1] not in run.stderr
    big = tmp_path / "big.pem"
    big.write_text(key_pem + "x" * 70_000)
    run = m2m.run("m2m", "import", "Big", "--account", REALM, "--certificate", cert, "--private-key-file", big,
                  expect=BAD_INPUT)
    assert "more than a key file holds" in run.stderr
    run = m2m.run("m2m", "import", "Dir", "--account", REALM, "--certificate", cert, "--private-key-file", tmp_path,
                  expect=BAD_INPUT)
    assert "not a regular file" in run.stderr
    # Both ways at once is a usage error.
    m2m.run("m2m", "import", "Both", "--account", REALM, "--certificate", cert, "--private-key-file", key_file,
            "--private-key-stdin", stdin=key_pem, expect=BAD_INPUT)
    assert m2m.list() == {}
    doc = m2m.run("m2m", "import", "FromFile", "--account", REALM, "--certificate", cert, "--private-key-file",
                  key_file, "--json").json()
    assert doc["certificate"]["fingerprint_sha256"] == fingerprint_of(cert.read_text())
    map_certificate(standin, "FROM-FILE", cert.read_text(), client_id)
    m2m.set("FromFile", "FROM-FILE", client_id)
    assert m2m.test("FromFile", standin)["outcome"] == "success"


# --------------------------------------------------------------------------- refusals and their causes

def expired_certificate_pem() -> str:
    """A certificate that expired yesterday, as a mapping may still hold it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "expired")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=30))
            .not_valid_after(now - datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_each_refusal_has_its_cause(m2m, standin, client_id):
    _, path = ready(m2m, standin, "Shop", client_id, certificate_id="GOOD")
    assert m2m.test("Shop", standin)["outcome"] == "success"

    # A Certificate ID no mapping has: NetSuite's bare 500 server_error, the mapping first.
    m2m.set("Shop", "NO-SUCH-MAPPING", None)
    report = m2m.test("Shop", standin, expect=REFUSED)
    assert report["http_status"] == 500 and report["error_code"] == "server_error"
    assert first_cause(report) == "certificate_id" and "NO-SUCH-MAPPING" in report["causes"][0]["message"]
    assert token_audits(standin)[-1]["reason"] == "unknown_kid"
    m2m.set("Shop", "GOOD", None)

    # A Client ID of no integration record: also a bare 500, so the answer cannot tell it from a wrong
    # Certificate ID; what changed since the connection last worked can: the Client ID leads, saying so.
    m2m.set("Shop", "GOOD", secrets.token_hex(32))
    report = m2m.test("Shop", standin, expect=REFUSED)
    assert report["error_code"] == "server_error" and first_cause(report) == "client_id", cause_ids(report)
    assert "changed since the connection last worked" in report["causes"][0]["message"]
    assert token_audits(standin)[-1]["reason"] == "unknown_client"
    m2m.set("Shop", "GOOD", client_id)
    assert m2m.test("Shop", standin)["outcome"] == "success"

    # A scope the integration record does not tick.
    scoped = secrets.token_hex(32)
    _, p = m2m.new("Scoped", "ES256", "--scope", "rest_webservices,restlets")
    map_certificate(standin, "SCOPED", p.read_text(), scoped, scopes=("rest_webservices",))
    m2m.set("Scoped", "SCOPED", scoped)
    report = m2m.test("Scoped", standin, expect=REFUSED)
    assert report["error_code"] == "invalid_grant" and "scope" in cause_ids(report)
    assert "RESTLETS" in next(c["message"] for c in report["causes"] if c["id"] == "scope")
    assert token_audits(standin)[-1]["reason"] == "scope_not_ticked"

    # The mapping's certificate has expired (the one here is fresh, as after a renewal never uploaded).
    standin.add_m2m_certificate("EXPIRED", expired_certificate_pem(), client_id)
    m2m.set("Shop", "EXPIRED", None)
    report = m2m.test("Shop", standin, expect=REFUSED)
    assert "certificate_revoked" in cause_ids(report)
    assert token_audits(standin)[-1]["reason"] == "certificate_expired"
    m2m.set("Shop", "GOOD", None)

    # A trouble of NetSuite's own: a 503 is server trouble (4), never a refusal. The clock check's HEAD
    # comes first and passes; the token request meets the 503.
    standin.queue_faults(["ok", {"kind": "error", "status": 503, "code": "server_error"}])
    report = m2m.test("Shop", standin, expect=4)
    assert report["outcome"] == "server_error", report
    assert [r["method"] for r in standin.api_requests()[-2:]] == ["HEAD", "POST"]

    # A bare 500 server_error with nothing changed here since the connection last worked: the change was
    # in NetSuite (or NetSuite's own trouble), and that leads, not a value the user did not touch.
    assert m2m.test("Shop", standin)["outcome"] == "success"
    standin.queue_faults(["ok", {"kind": "error", "status": 500, "code": "server_error"}])
    report = m2m.test("Shop", standin, expect=REFUSED)
    assert report["error_code"] == "server_error" and first_cause(report) == "changed_in_netsuite", cause_ids(report)


def test_a_clock_too_far_off_is_refused_before_sending(m2m, standin, client_id):
    """NetSuite's clock 15 minutes ahead: NetSuite would find the assertion expired on arrival. The test
    reads NetSuite's time first, refuses (3) with the clock as the first cause and says nothing was sent;
    no token request reaches the stand-in, whose audit trail stays empty."""
    ready(m2m, standin, "Shop", client_id, certificate_id="GOOD")
    standin.clock_skew_seconds = 900
    run = m2m.run("test", "--connection", "Shop", "--base-url", standin.base_url, expect=REFUSED)
    assert "behind NetSuite's" in run.stdout and "was not sent" in run.stdout, run
    assert "update automatically" in run.stdout, run
    report = m2m.test("Shop", standin, expect=REFUSED)
    assert report["outcome"] == "credentials_refused" and first_cause(report) == "clock"
    assert report["causes"][0]["step"] == "clock" and report["http_status"] is None
    assert report["clock"]["status"] == "likely_cause" and report["clock"]["offset_seconds"] > 890
    assert "was not sent" in report["summary"]
    # test --all keeps it back too.
    rows = m2m.run("test", "--all", "--base-url", standin.base_url, "--json", expect=REFUSED).json()
    assert rows[0]["outcome"] == "credentials_refused" and "was not sent" in rows[0]["summary"]
    assert standin.token_requests() == [] and token_audits(standin) == []
    assert {r["method"] for r in standin.api_requests()} == {"HEAD"}
    # Behind, the other way round: the same.
    standin.clock_skew_seconds = -900
    report = m2m.test("Shop", standin, expect=REFUSED)
    assert first_cause(report) == "clock" and "ahead of NetSuite's" in report["summary"]
    assert standin.token_requests() == []


def test_a_clock_a_minute_off_still_passes(m2m, standin, client_id):
    ready(m2m, standin, "Shop", client_id, certificate_id="GOOD")
    standin.clock_skew_seconds = 60
    report = m2m.test("Shop", standin)
    assert report["outcome"] == "success" and report["warnings"] == [], report
    assert len(standin.token_requests()) == 1 and token_audits(standin)[-1]["reason"] == "ok"


def test_an_expired_certificate_of_its_own_is_refused_before_sending(m2m, standin, client_id, tmp_path):
    """The connection's own certificate has expired (here: replaced in the file by an expired one of the same
    key): the test refuses with exit 3 and says so, and nothing reaches NetSuite."""
    key_pem, cert = openssl_pair(tmp_path / "openssl", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
    m2m.run("m2m", "import", "Old", "--account", REALM, "--certificate", cert, "--private-key-stdin", stdin=key_pem)
    map_certificate(standin, "OLD", cert.read_text(), client_id)
    m2m.set("Old", "OLD", client_id)
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old")])
    now = datetime.datetime.now(datetime.timezone.utc)
    expired = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=40))
               .not_valid_after(now - datetime.timedelta(days=10)).sign(key, hashes.SHA256()))
    path = m2m.config_dir / "connections.json"
    doc = json.loads(path.read_text())
    doc["connections"][0]["m2m"]["certificate"]["pem"] = expired.public_bytes(serialization.Encoding.PEM).decode()
    path.write_text(json.dumps(doc))
    before = len(standin.api_requests())
    run = m2m.run("test", "--connection", "Old", "--base-url", standin.base_url, expect=REFUSED)
    assert "expired" in run.stderr
    assert len(standin.api_requests()) == before
    assert "EXPIRED" in m2m.run("connections", "list").stdout
    assert m2m.list()["Old"]["certificate"]["days_left"] < 0
    # test --all: refused (3) too, with the reason, and still nothing sent.
    rows = m2m.run("test", "--all", "--base-url", standin.base_url, "--json", expect=REFUSED).json()
    assert rows[0]["outcome"] == "credentials_refused" and "expired" in rows[0]["summary"]
    assert len(standin.api_requests()) == before


def test_a_certificate_id_that_is_the_client_id_and_other_bad_input(m2m, client_id):
    m2m.run("m2m", "new", "Shop", "--account", REALM, "--certificate-out", m2m.root / "c.pem")
    run = m2m.set("Shop", client_id, client_id, expect=BAD_INPUT)
    assert client_id not in run.stdout + run.stderr
    m2m.set("Shop", "two words", client_id, expect=BAD_INPUT)
    m2m.run("m2m", "set", "Shop", "--certificate-id", "C", "--credentials-stdin", stdin='{"client_secret": "x"}',
            expect=BAD_INPUT)
    m2m.run("m2m", "set", "Shop", "--pending", "--certificate-id", "C", expect=BAD_INPUT)
    m2m.run("m2m", "new", "Bad", "--account", REALM, "--scope", "everything", "--certificate-out",
            m2m.root / "d.pem", expect=BAD_INPUT)
    # A name that looks like a Client ID is refused and not repeated.
    run = m2m.run("m2m", "new", client_id, "--account", REALM, "--certificate-out", m2m.root / "e.pem",
                  expect=BAD_INPUT)
    assert client_id not in run.stdout + run.stderr and not (m2m.root / "e.pem").exists()
    # TBA's staging is not an M2M rotation.
    run = m2m.run("connections", "stage", "Shop", "--credentials-stdin",
                  stdin=json.dumps({"token_id": "a" * 64, "token_secret": "b" * 64}), expect=BAD_INPUT)
    assert "m2m rotate" in run.stderr


def test_the_client_id_typed_at_a_terminal_is_not_shown(m2m, standin, client_id):
    """With standard input a terminal, `m2m set --credentials-stdin` asks for the Client ID with the
    terminal's echo off: it stays off the screen and out of the shell's history."""
    import pty
    import select
    import termios

    _, path = m2m.new("Typed")
    map_certificate(standin, "CERT-Typed", path.read_text(), client_id)
    master, slave = pty.openpty()
    p = subprocess.Popen([str(m2m.binary), "m2m", "set", "Typed", "--certificate-id", "CERT-Typed",
                          "--credentials-stdin"], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=m2m.env, cwd=m2m.root)
    os.close(slave)
    try:
        deadline = time.monotonic() + 20
        while termios.tcgetattr(master)[3] & termios.ECHO:
            assert time.monotonic() < deadline and p.poll() is None, "the prompt never turned the echo off"
            time.sleep(0.05)
        os.write(master, (client_id + "\n").encode())
        out, err = p.communicate(timeout=60)
        shown = b""
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(master)
    assert p.returncode == 0, err.decode()
    assert "Client ID" in err.decode()
    assert client_id.encode() not in shown + out + err, "the typed Client ID was shown"
    assert m2m.test("Typed", standin)["outcome"] == "success"


def test_an_old_key_left_in_the_retired_slot_is_listed_in_text_too(m2m, standin, client_id):
    """A replacement in the window keeps the old key in a retired slot until the old mapping is shown
    refused; one left behind is reported by `connections list` as the window reports it."""
    ready(m2m, standin, "Kept", client_id)
    conn_id = m2m.list()["Kept"]["id"]
    item = subprocess.run(["secret-tool", "lookup", "service", "tba-wizard", "username", f"connection:{conn_id}"],
                          capture_output=True, text=True, timeout=20)
    assert item.returncode == 0 and item.stdout
    stored = subprocess.run(["secret-tool", "store", "--label", "tba-wizard test", "service", "tba-wizard",
                             "username", f"connection:{conn_id}:retired"], input=item.stdout, capture_output=True,
                            text=True, timeout=20)
    assert stored.returncode == 0, stored.stderr
    assert m2m.list()["Kept"]["old_copy_kept"] is True
    text = m2m.run("connections", "list").stdout
    assert "an old copy from an unfinished replacement is still in the keyring" in text, text
    assert "connections discard Kept" in text, text


# --------------------------------------------------------------------------- rotation

def test_rotate_test_pending_promote_then_the_old_mapping_is_refused(m2m, standin, client_id):
    _, old_path = ready(m2m, standin, "Shop", client_id, certificate_id="OLD")
    assert m2m.test("Shop", standin)["outcome"] == "success"
    new_path = m2m.root / "new.pem"
    doc = m2m.run("m2m", "rotate", "Shop", "--algorithm", "ES384", "--certificate-out", new_path, "--json").json()
    new_pem = new_path.read_text()
    assert doc["pending_certificate"]["fingerprint_sha256"] == fingerprint_of(new_pem)
    assert doc["certificate"]["certificate_id"] == "OLD"
    assert any("--pending" in s for s in doc["next_steps"])

    # Both certificates mapped (NetSuite keeps up to 5 per integration): the old one keeps working.
    map_certificate(standin, "NEW", new_pem, client_id)
    m2m.run("connections", "promote", "Shop", expect=BAD_INPUT)   # no Certificate ID for the new one yet
    m2m.set("Shop", "NEW", None, "--pending")
    assert m2m.test("Shop", standin)["outcome"] == "success"
    assert token_audits(standin)[-1]["kid"] == "OLD"
    assert m2m.test("Shop", standin, "--pending")["outcome"] == "success"
    assert token_audits(standin)[-1]["kid"] == "NEW"
    assert m2m.list()["Shop"]["last_test"]["outcome"] == "success"

    m2m.run("connections", "promote", "Shop")
    listed = m2m.list()["Shop"]
    assert listed["algorithm"] == "ES384" and listed["pending_certificate"] is None
    assert listed["certificate"]["certificate_id"] == "NEW"
    assert listed["certificate"]["fingerprint_sha256"] == fingerprint_of(new_pem)
    assert m2m.test("Shop", standin)["outcome"] == "success"
    assert token_audits(standin)[-1]["kid"] == "NEW"

    # The old mapping revoked: the kept key no longer signs for it, and NetSuite refuses it.
    standin.revoke_m2m_certificate("OLD")
    m2m.set("Shop", "OLD", None)
    report = m2m.test("Shop", standin, expect=REFUSED)
    assert token_audits(standin)[-1]["reason"] == "certificate_revoked"
    assert "certificate_revoked" in cause_ids(report)
    m2m.set("Shop", "NEW", None)
    assert m2m.test("Shop", standin)["outcome"] == "success"

    # Discard and remove work on M2M connections too.
    m2m.run("m2m", "rotate", "Shop", "--certificate-out", m2m.root / "third.pem")
    assert m2m.list()["Shop"]["pending_certificate"] is not None
    m2m.run("connections", "discard", "Shop")
    assert m2m.list()["Shop"]["pending_certificate"] is None
    m2m.run("test", "--connection", "Shop", "--pending", "--base-url", standin.base_url, expect=BAD_INPUT)
    conn_id = m2m.list()["Shop"]["id"]
    m2m.run("connections", "remove", "Shop")
    assert m2m.list() == {}
    found = subprocess.run(["secret-tool", "lookup", "service", "tba-wizard", "username", f"connection:{conn_id}"],
                           capture_output=True, text=True, timeout=20)
    assert found.stdout == "", "the key left the keyring with the connection"


@pytest.mark.parametrize("fail_point", ["promote.before_write", "promote.after_write", "promote.after_delete"])
def test_an_m2m_promotion_cut_short_leaves_a_key_that_works(m2m, standin, client_id, fail_point):
    """The process dies (SIGABRT at a fail point of the real keyring's promotion): right after, the
    connection works with the old key or the new one, never neither; a second promote finishes the job."""
    ready(m2m, standin, "Cut", client_id, certificate_id="OLD-CUT")
    new_path = m2m.root / "new.pem"
    m2m.run("m2m", "rotate", "Cut", "--certificate-out", new_path)
    map_certificate(standin, "NEW-CUT", new_path.read_text(), client_id)
    m2m.set("Cut", "NEW-CUT", None, "--pending")
    m2m.env["TBA_WIZARD_FAIL_POINT"] = fail_point
    try:
        crashed = m2m.run("connections", "promote", "Cut", expect=None)
    finally:
        del m2m.env["TBA_WIZARD_FAIL_POINT"]
    assert crashed.returncode in (-signal.SIGABRT, 128 + signal.SIGABRT), crashed
    written = fail_point != "promote.before_write"
    assert m2m.test("Cut", standin)["outcome"] == "success"
    assert token_audits(standin)[-1]["kid"] == ("NEW-CUT" if written else "OLD-CUT")
    run = m2m.run("connections", "promote", "Cut", expect=None)
    assert run.returncode in (0, BAD_INPUT), run
    assert m2m.test("Cut", standin)["outcome"] == "success"
    assert token_audits(standin)[-1]["kid"] == "NEW-CUT"
    listed = m2m.list()["Cut"]
    assert listed["certificate"]["certificate_id"] == "NEW-CUT" and listed["pending_certificate"] is None, listed


def test_test_all_tests_m2m_connections_too(m2m, standin, client_id, creds):
    ready(m2m, standin, "Key", client_id)
    m2m.run("connections", "add", "Tba", "--account", REALM, "--profile", "own", "--credentials-stdin",
            stdin=json.dumps(creds))
    rows = {r["label"]: r for r in m2m.run("test", "--all", "--base-url", standin.base_url, "--json").json()}
    assert rows["Key"]["outcome"] == "success" and rows["Tba"]["outcome"] == "success"
    assert token_audits(standin)[-1]["reason"] == "ok"


def test_certificates_ending_soon_are_flagged_and_cron_can_ask(m2m, standin, client_id):
    """NetSuite e-mails administrators only, and never for a certificate issued for under two months: a
    short one is flagged from the start, a long one not, and `--expiring-within DAYS` exits 1 for cron."""
    m2m.run("m2m", "new", "Short", "--account", REALM, "--days", "40", "--certificate-out", m2m.root / "s.pem")
    map_certificate(standin, "CERT-Short", (m2m.root / "s.pem").read_text(), client_id)
    m2m.set("Short", "CERT-Short", client_id)
    ready(m2m, standin, "Long", client_id)
    listed = m2m.list()
    assert listed["Short"]["certificate"]["expiring"] is True
    assert listed["Long"]["certificate"]["expiring"] is False
    text = m2m.run("connections", "list").stdout
    assert "REPLACE IT SOON" in text and "m2m rotate Short" in text
    assert text.count("REPLACE IT SOON") == 1
    # For cron: nothing within 10 days; within 45 days, "Short", named on standard error, with status 1.
    m2m.run("connections", "list", "--expiring-within", "10")
    run = m2m.run("connections", "list", "--expiring-within", "45", expect=1)
    assert "Short" in run.stderr and "Long" not in run.stderr and "m2m rotate" in run.stderr
    # test --all passes both, and flags the short one in its table and its JSON.
    rows = {r["label"]: r for r in m2m.run("test", "--all", "--base-url", standin.base_url, "--json").json()}
    assert rows["Short"]["outcome"] == rows["Long"]["outcome"] == "success"
    assert 38 <= rows["Short"]["certificate_expiring"]["days_left"] <= 40
    assert rows["Long"]["certificate_expiring"] is None
    # Piped, the rows go to standard output and the lines for a person to standard error.
    told = m2m.run("test", "--all", "--base-url", standin.base_url).stderr
    assert "! \"Short\": the OAuth 2.0 certificate ends on" in told and "\"Long\"" not in told


# --------------------------------------------------------------------------- assertion

def test_assertion_shows_header_and_claims_but_no_signature_token_or_client_id(m2m, standin, client_id):
    ready(m2m, standin, "Shop", client_id, algorithm="PS256", certificate_id="CID-7")
    run = m2m.run("m2m", "assertion", "Shop", "--base-url", standin.base_url)
    doc = run.json()
    assert set(doc) == {"header", "claims"}
    assert doc["header"] == {"typ": "JWT", "alg": "PS256", "kid": "CID-7"}
    claims = doc["claims"]
    assert claims["aud"] == standin.base_url + "/services/rest/auth/oauth2/v1/token"
    assert claims["scope"] == ["rest_webservices"] and claims["exp"] - claims["iat"] == 300
    assert abs(claims["iat"] - time.time()) < 60
    assert client_id not in run.stdout and "Client ID" in claims["iss"]
    assert run.stdout.count(".") < 3 or "eyJ" not in run.stdout, "no JWT"
    assert not token_audits(standin), "showing the assertion sends nothing"
    # Without --base-url the aud is NetSuite's own token URL for the account.
    doc = m2m.run("m2m", "assertion", "Shop").json()
    assert doc["claims"]["aud"] == "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token"
    m2m.run("m2m", "assertion", "Shop", "--pending", expect=BAD_INPUT)


# --------------------------------------------------------------------------- leaks

def key_forms(key_pem: str) -> list[str]:
    """The P-256 private key as the secret parts of its PEM text and of its DER in base64 (PKCS#8, as
    openssl writes it and as cryptography re-encodes it), and its private scalar (hex: the scanner also
    looks for its bytes in base64). Only the bytes up to the end of the scalar count: the rest of a
    PKCS#8 EC key is the public key, which the certificate rightly shows."""
    body = "".join(line for line in key_pem.splitlines() if line and not line.startswith("-----"))
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    scalar = key.private_numbers().private_value.to_bytes(32, "big")
    end = der.index(scalar) + len(scalar)           # the scalar's end, in bytes of the DER
    chars = end * 4 // 3                             # … in base64 characters
    pem_prefix = key_pem.split(body[:64])[0] + body[:64] + "\n" + body[64:chars]
    return [pem_prefix, body[:chars], base64.b64encode(der).decode()[:chars], scalar.hex()]


def scan_everything(m2m, secrets_) -> list:
    scanner = leakscan.Scanner(secrets_)
    hits = []
    for run in m2m.runs:
        hits += scanner.find(run.stdout, f"stdout of {run.args[:2]}") + scanner.find(run.stderr, f"stderr of {run.args[:2]}")
    hits += scanner.find_in_tree(m2m.root)
    return hits


def test_an_m2m_flow_at_trace_level_leaks_nothing(m2m, standin, client_id, tmp_path):
    """RUST_LOG=trace turns on every library's most detailed lines (reqwest, hyper, rustls, zbus): none
    of them may carry the private key (PEM or DER), the Client ID, a signed assertion or a bearer token."""
    m2m.env["RUST_LOG"] = "trace"
    key_pem, cert = openssl_pair(tmp_path / "openssl", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
    m2m.run("m2m", "import", "Trace", "--account", REALM, "--certificate", cert, "--private-key-file",
            tmp_path / "openssl" / "private.pem")
    map_certificate(standin, "TRACE", cert.read_text(), client_id)
    m2m.set("Trace", "TRACE", client_id)
    m2m.run("test", "--connection", "Trace", "--base-url", standin.base_url, "--json")
    m2m.run("test", "--all", "--base-url", standin.base_url)
    m2m.run("m2m", "assertion", "Trace", "--base-url", standin.base_url)
    m2m.run("connections", "list", "--expiring-within", "1")
    logged = "".join(p.read_text(errors="replace") for p in m2m.log_dir.rglob("*") if p.is_file())
    assert " TRACE " in logged or "TRACE" in logged, "RUST_LOG=trace was not honoured"
    assertions = [parse_qs(r.get("body", "")).get("client_assertion", [""])[0] for r in standin.api_requests()
                  if str(r.get("path", "")).endswith("/auth/oauth2/v1/token")]
    assertions = [a for a in assertions if a]
    tokens = list(standin.access_tokens)
    assert assertions and tokens, "the flow signed assertions and got tokens to look for"
    secrets_ = [*key_forms(key_pem), client_id, *[a.split(".")[2] for a in assertions], *assertions, *tokens]
    assert scan_everything(m2m, secrets_) == []


def test_neither_the_private_key_nor_the_client_id_leaks(m2m, standin, client_id, tmp_path):
    key_pem, cert = openssl_pair(tmp_path / "openssl", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
    m2m.run("-v", "m2m", "import", "Leak", "--account", REALM, "--certificate", cert, "--private-key-stdin",
            stdin=key_pem)
    map_certificate(standin, "LEAK", cert.read_text(), client_id)
    m2m.set("Leak", "LEAK", client_id)
    m2m.run("-v", "test", "--connection", "Leak", "--base-url", standin.base_url)
    m2m.run("-v", "test", "--connection", "Leak", "--base-url", standin.base_url, "--json")
    m2m.set("Leak", "WRONG", None)
    m2m.run("-v", "test", "--connection", "Leak", "--base-url", standin.base_url, expect=REFUSED)
    m2m.run("-v", "m2m", "assertion", "Leak", "--base-url", standin.base_url)
    m2m.run("connections", "list")
    m2m.run("connections", "list", "--json")
    m2m.run("-v", "m2m", "rotate", "Leak", "--certificate-out", m2m.root / "rotated.pem")
    m2m.set("Leak", "ROTATED", None, "--pending")
    m2m.run("-v", "m2m", "assertion", "Leak", "--pending")
    m2m.run("-v", "connections", "promote", "Leak")
    m2m.run("connections", "list")
    assert any(m2m.log_dir.rglob("*")), "the runs wrote logs to scan"
    # The key made by rotate, as the keyring holds it (PKCS#8 DER in base64).
    item = subprocess.run(["secret-tool", "lookup", "service", "tba-wizard", "username",
                           f"connection:{m2m.list()['Leak']['id']}"], capture_output=True, text=True, timeout=20)
    kept = json.loads(item.stdout)
    assert kept["client_id"] == client_id
    made = serialization.load_der_private_key(base64.b64decode(kept["private_key_pkcs8"]), password=None)
    made_pem = made.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()).decode()
    forms = key_forms(key_pem)
    made_forms = key_forms(made_pem) + [kept["private_key_pkcs8"][:key_forms(made_pem)[1].__len__()]]
    assert scan_everything(m2m, [*forms, *made_forms, client_id]) == []

    # The check can fail: the same scan finds the key's DER base64, its PEM, and the Client ID once
    # planted in a file or an output.
    (m2m.config_dir / "planted.txt").write_text("der=" + forms[2][50:])
    m2m.runs.append(Run(["planted"], 0, "pem:\n" + forms[0][-40:], "id " + client_id[3:30], 0.0))
    hits = scan_everything(m2m, [*forms, client_id])
    where = " ".join(str(h) for h in hits)
    assert "planted.txt" in where and "stdout of ['planted']" in where and "stderr of ['planted']" in where, where
