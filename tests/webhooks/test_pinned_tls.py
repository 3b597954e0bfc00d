"""HTTPS to a checked address: the connection goes to the IP that was checked, while TLS still
names the host (SNI) and verifies the certificate for that name, not for the IP."""

import datetime
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from patterns.webhooks import wire
from patterns.webhooks.urlcheck import Target
from patterns.webhooks.urlparts import Parsed
from tests.servers import OUTSIDE_HOST


def certificate(name, folder):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / f"{name}.pem", folder / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class TlsServer:
    """An HTTPS receiver on OUTSIDE_HOST that notes the name each client asked for (SNI)."""

    def __init__(self, cert_file, key_file):
        self.names, self.hosts = [], []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length", 0)))
                outer.hosts.append(self.headers["host"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        context.sni_callback = lambda sock, name, ctx: self.names.append(name) and None
        self.server = ThreadingHTTPServer((OUTSIDE_HOST, 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def trusting(monkeypatch):
    """Make the sender trust one test certificate (instead of the public CAs)."""

    def trust(cert_file, name):
        context = ssl.create_default_context(cafile=str(cert_file))
        wire.client()  # this process's pools
        monkeypatch.setitem(
            wire._pools["clients"], name, httpx.Client(verify=context, trust_env=False)
        )

    return trust


@pytest.mark.parametrize("certified, ok", [("pinned.example", True), ("other.example", False)])
def test_https_goes_to_the_checked_ip_and_verifies_the_certificate_for_the_name(
    tmp_path, trusting, certified, ok
):
    cert_file, key_file = certificate(certified, tmp_path)
    trusting(cert_file, "pinned.example")
    server = TlsServer(cert_file, key_file)
    target = Target(Parsed("https", "pinned.example", server.port, "/hooks"), OUTSIDE_HOST)
    try:
        if ok:
            assert (
                wire.post_pinned(target, b"{}", {"content-type": "application/json"}, 5).status_code
                == 200
            )
            assert server.hosts == [f"pinned.example:{server.port}"]
        else:
            with pytest.raises(httpx.ConnectError, match="certificate verify failed"):
                wire.post_pinned(target, b"{}", {}, 5)
    finally:
        server.close()
    assert server.names == ["pinned.example"]  # SNI: the name, though the connection went to the IP
