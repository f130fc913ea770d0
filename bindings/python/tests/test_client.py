"""ferrotls as a client, where Python code passes an ssl context: raw sockets, http.client, urllib,
against openssl s_server, Python's ssl-wrapped http.server and the ferrotls command server.
Every happy path has a tampering twin."""
from __future__ import annotations

import http.client
import http.server
import json
import socket
import ssl
import threading
import urllib.error
import urllib.request

import pytest

import ferrotls
from conftest import fx, stdlib_server_ctx


def test_http_client_fetches_openssl_www_page(openssl_www, client_ctx):
    srv = openssl_www()
    conn = http.client.HTTPSConnection("localhost", srv.port, context=client_ctx, timeout=10)
    conn.request("GET", "/")
    assert isinstance(conn.sock, ferrotls.SSLSocket)
    assert conn.sock.version() == "TLSv1.3"
    resp = conn.getresponse()
    body = resp.read()
    assert resp.status == 200
    assert b"Ciphers supported in s_server binary" in body
    conn.close()


def test_socket_refuses_openssl_server_under_another_name(openssl_www, client_ctx):
    srv = openssl_www()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with pytest.raises(ssl.SSLCertVerificationError) as info:
            client_ctx.wrap_socket(raw, server_hostname="other.example")
    assert info.value.verify_code == 62  # X509_V_ERR_HOSTNAME_MISMATCH, as ssl
    assert info.value.result == 6007  # FERROTLS_CERT_NOT_VALID_FOR_NAME
    assert "other.example" in info.value.verify_message
    assert isinstance(info.value, ferrotls.SSLCertVerificationError)
    assert isinstance(info.value, ssl.CertificateError)


def test_http_client_refuses_openssl_server_from_an_untrusted_ca(openssl_www):
    srv = openssl_www()
    ctx = ferrotls.create_default_context(cafile=fx("untrusted-ca.pem"))
    conn = http.client.HTTPSConnection("localhost", srv.port, context=ctx, timeout=10)
    with pytest.raises(ferrotls.SSLCertVerificationError) as info:
        conn.request("GET", "/")
    assert info.value.verify_code == 20  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, as ssl
    assert info.value.reason == "CERTIFICATE_VERIFY_FAILED" and info.value.result_name == "CERT_UNKNOWN_ISSUER"


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"hello from python ssl"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def python_https():
    """Python's http.server wrapped with the stdlib ssl module, in a thread."""
    started = []

    def start(chain: str = "server-chain.pem"):
        httpd = http.server.HTTPServer(("127.0.0.1", 0), _Hello)
        httpd.socket = stdlib_server_ctx(chain).wrap_socket(httpd.socket, server_side=True)
        t = threading.Thread(target=httpd.serve_forever, daemon=True)
        t.start()
        started.append(httpd)
        return httpd.server_address[1]

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


def test_urlopen_reads_python_ssl_http_server(python_https, client_ctx):
    port = python_https()
    with urllib.request.urlopen(f"https://localhost:{port}/", context=client_ctx, timeout=10) as resp:
        assert resp.status == 200
        assert resp.read() == b"hello from python ssl"


def test_urlopen_refuses_an_expired_certificate(python_https, client_ctx):
    port = python_https("expired-chain.pem")
    with pytest.raises(urllib.error.URLError) as info:
        urllib.request.urlopen(f"https://localhost:{port}/", context=client_ctx, timeout=10)
    assert isinstance(info.value.reason, ferrotls.SSLCertVerificationError)
    assert info.value.reason.verify_code == 10  # X509_V_ERR_CERT_HAS_EXPIRED
    assert info.value.reason.result == 6002  # FERROTLS_CERT_EXPIRED


def test_socket_echo_with_ferrotls_server(ferrotls_server, client_ctx):
    srv = ferrotls_server("--once")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with client_ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"ping over ferrotls")
            assert tls.recv(1024) == b"ping over ferrotls"
            assert tls.version() == "TLSv1.3"
            name, proto, bits = tls.cipher()
            assert proto == "TLSv1.3" and bits in (128, 256) and "AES" in name
            cert = tls.getpeercert()
            assert dict(x[0] for x in cert["subject"])["commonName"] == "localhost"
            assert dict(x[0] for x in cert["subject"])["organizationName"] == "ferrotls, demo"
            assert cert["serialNumber"] == "3001"
            assert cert["notBefore"] == "Jan  1 00:00:00 2026 GMT"
            assert ("IP Address", "127.0.0.1") in cert["subjectAltName"]
            assert cert["version"] == 3
            der = tls.getpeercert(binary_form=True)
            assert ssl.DER_cert_to_PEM_cert(der) == ssl.DER_cert_to_PEM_cert(
                ssl.PEM_cert_to_DER_cert(open(fx("server.pem")).read()))
            plain = tls.unwrap()  # close_notify both ways
            assert isinstance(plain, socket.socket)
            plain.close()
    assert srv.wait() == 0


def test_pending_counts_what_recv_returns_without_waiting(ferrotls_server, client_ctx):
    srv = ferrotls_server("--once")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with client_ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.pending() == 0
            tls.sendall(b"0123456789" * 100)
            first = tls.recv(10)  # the echo arrives as one record; 990 bytes stay decrypted
            assert first == b"0123456789"
            left = tls.pending()
            assert 0 < left <= 990
            rest = tls.recv(left)
            assert len(rest) == left and tls.pending() == 0
            tls.unwrap().close()
    assert srv.wait() == 0


def test_makefile_reads_lines(ferrotls_server, client_ctx):
    srv = ferrotls_server("--once")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        tls = client_ctx.wrap_socket(raw, server_hostname="localhost")
        f = tls.makefile("rwb")
        f.write(b"line one\nline two\n")
        f.flush()
        assert f.readline() == b"line one\n"
        assert f.readline() == b"line two\n"
        f.close()
        tls.close()


def test_ferrotls_server_refuses_a_client_limited_to_a_suite_it_lacks(ferrotls_server):
    srv = ferrotls_server("--once", "--ciphers", "AES256-SHA256")
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.maximum_version = ferrotls.TLSVersion.TLSv1_2  # set_ciphers is about TLS 1.2 suites, as in ssl
    ctx.set_ciphers("AES128-SHA")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with pytest.raises(ferrotls.SSLError) as info:
            ctx.wrap_socket(raw, server_hostname="localhost")
    assert "handshake_failure" in str(info.value) or info.value.result in (4000, 5003)


def test_non_blocking_socket_raises_want_read_then_completes(ferrotls_server, client_ctx):
    import select
    srv = ferrotls_server("--once")
    raw = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    raw.setblocking(False)
    tls = client_ctx.wrap_socket(raw, server_hostname="localhost", do_handshake_on_connect=False)
    wants = []
    while True:
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError as exc:  # ours, caught by ssl's class
            assert isinstance(exc, ferrotls.SSLWantReadError)
            wants.append("r")
            select.select([tls], [], [], 5)
        except ssl.SSLWantWriteError:
            wants.append("w")
            select.select([], [tls], [], 5)
    tls.send(b"nb")
    with pytest.raises(ferrotls.SSLWantReadError):
        while True:  # the echo may already be there; after it, nothing more is
            assert tls.recv(16) == b"nb"
    tls.close()


def test_non_blocking_handshake_with_a_silent_peer_wants_read(client_ctx):
    listener = socket.create_server(("127.0.0.1", 0))
    raw = socket.create_connection(listener.getsockname(), timeout=5)
    raw.setblocking(False)
    tls = client_ctx.wrap_socket(raw, server_hostname="localhost", do_handshake_on_connect=False)
    with pytest.raises(ssl.SSLWantReadError) as info:
        tls.do_handshake()
    assert info.value.errno == ssl.SSL_ERROR_WANT_READ and info.value.result == 2000
    peer, _ = listener.accept()
    assert peer.recv(1)[0] == 0x16  # the ClientHello record went out
    tls.close()
    peer.close()
    listener.close()


def test_timeout_socket_times_out_against_a_silent_peer(client_ctx):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    raw = socket.create_connection(listener.getsockname(), timeout=0.3)
    with pytest.raises(socket.timeout):
        client_ctx.wrap_socket(raw, server_hostname="localhost")
    raw.close()
    listener.close()


def test_legacy_versions_need_the_legacy_profile(ferrotls_server):
    srv = ferrotls_server("--once", "--legacy", "--min-version", "1.0", "--max-version", "1.0")
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.minimum_version = ctx.maximum_version = ferrotls.TLSVersion.TLSv1
    raw = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    with pytest.raises(ferrotls.SSLError) as info:  # refused at build: TLS 1.0 without legacy
        ctx.wrap_socket(raw, server_hostname="localhost")
    assert info.value.result == 7004  # FERROTLS_BAD_CONFIG
    ctx.legacy = True
    with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
        assert tls.version() == "TLSv1"
        tls.sendall(b"old")
        # TLS 1.0 splits records 1/n-1 (the CBC IV countermeasure); recv() returns one record's
        # data at a time, as ssl's does.
        got = b""
        while len(got) < 3:
            got += tls.recv(16)
        assert got == b"old"


def test_check_hostname_requires_server_hostname(client_ctx):
    a, b = socket.socketpair()
    with pytest.raises(ValueError, match="check_hostname requires server_hostname"):
        client_ctx.wrap_socket(a)
    a.close()
    b.close()


def test_default_context_uses_x25519mlkem768_with_a_ferrotls_server(ferrotls_server, client_ctx):
    """create_default_context offers the hybrid post-quantum group first (the C API's default):
    the ferrotls server's --json report names it, with no HelloRetryRequest. The twin: a context
    limited to X25519 by set_ecdh_curve gets X25519."""
    for curve, want in ((None, "X25519MLKEM768"), ("X25519", "X25519")):
        if curve:
            client_ctx.set_ecdh_curve(curve)
        srv = ferrotls_server("--once", "--json")
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
            with client_ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"pq")
                assert tls.recv(16) == b"pq"
                assert tls.version() == "TLSv1.3"
        assert srv.wait() == 0
        report = json.loads([line for line in srv.lines if line.startswith("{")][-1])
        assert report["group"] == want and report["hello_retry"] is False, report
