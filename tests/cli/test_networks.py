"""Company networks, on loopback only: NetSuite (the stand-in) behind a TLS-inspecting proxy's own
certificate authority, trusted through the system store's override (SSL_CERT_FILE), and reached through
an HTTP CONNECT proxy set by HTTPS_PROXY.

A throw-away CA (made here with `cryptography`) signs the stand-in's certificate for 127.0.0.1, as a
company's inspection proxy signs every site's.
"""
from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import netsuite_standin
from tba_cli_support import REALM, clean_env

CA_NAME = "Example Corp TLS Inspection CA"
NETWORK = 4


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@pytest.fixture(scope="module")
def company_ca(tmp_path_factory):
    """(CA certificate file, server certificate file, server key file)."""
    folder = tmp_path_factory.mktemp("company-ca")
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name(CA_NAME)).issuer_name(_name(CA_NAME))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server-key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@pytest.fixture
def tls_standin(company_ca, creds):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(company_ca[1], company_ca[2])
    server = netsuite_standin.NetSuiteStandin(credentials=[creds], tls_context=context).start()
    yield server
    server.stop()


class ConnectProxy:
    """The smallest HTTP CONNECT proxy: it records each tunnel's target and relays bytes both ways."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.tunnels: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                return client.close()
            head += chunk
        method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
        if method != "CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return client.close()
        self.tunnels.append(target)
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pipe(a: socket.socket, b: socket.socket):
            try:
                while data := a.recv(65536):
                    b.sendall(data)
            except OSError:
                pass
            finally:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    def close(self):
        self.sock.close()


def run_test(binary, base_url: str, creds: dict, env: dict):
    import subprocess
    values = {k: creds[k] for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")}
    return subprocess.run([str(binary), "test", "--account", REALM, "--credentials-stdin", "--base-url", base_url,
                           "--timeout", "20"], input=json.dumps(values), capture_output=True, text=True, timeout=60,
                          env=env)


def test_a_company_ca_unknown_to_this_computer_is_refused_and_the_way_out_named(binary, tls_standin, creds):
    env = clean_env()
    env.pop("SSL_CERT_FILE", None)
    p = run_test(binary, tls_standin.base_url, creds, env)
    assert p.returncode == NETWORK, p
    assert "no certificate authority this computer trusts" in p.stdout + p.stderr
    assert "add the company's CA certificate" in p.stdout + p.stderr and "SSL_CERT_FILE" in p.stdout + p.stderr
    # The CA to ask for or to add, by the name its certificate gives.
    assert f'issued by "CN={CA_NAME}"' in p.stdout + p.stderr, p.stdout + p.stderr
    assert tls_standin.audit() == [], "nothing reached NetSuite over the refused connection"


def test_a_company_ca_in_the_system_store_is_trusted(binary, tls_standin, creds, company_ca):
    env = clean_env()
    env["SSL_CERT_FILE"] = str(company_ca[0])
    p = run_test(binary, tls_standin.base_url, creds, env)
    assert p.returncode == 0, p
    assert tls_standin.audit()[-1]["status"] == "Success"


def test_the_call_goes_through_the_proxy_https_proxy_names(binary, tls_standin, creds, company_ca):
    proxy = ConnectProxy()
    try:
        env = clean_env()
        env.pop("NO_PROXY", None)
        env.pop("no_proxy", None)
        env["SSL_CERT_FILE"] = str(company_ca[0])
        env["HTTPS_PROXY"] = f"http://127.0.0.1:{proxy.port}"
        p = run_test(binary, tls_standin.base_url, creds, env)
        assert p.returncode == 0, p
        assert f"127.0.0.1:{tls_standin.port}" in proxy.tunnels, proxy.tunnels
        # NO_PROXY is honoured too: the same call with the address listed there goes direct.
        seen = len(proxy.tunnels)
        env["NO_PROXY"] = "127.0.0.1"
        assert run_test(binary, tls_standin.base_url, creds, env).returncode == 0
        assert len(proxy.tunnels) == seen
    finally:
        proxy.close()
