"""Mutual authentication: client certificates both ways, verify callback, encrypted keys, CRLs,
hashed CA directories. Skipped (with the reason) when libferrotls lacks the mutual-auth C API."""
from __future__ import annotations

import socket
import ssl
import threading

import pytest

import ferrotls
from conftest import fx, needs_mtls, stdlib_client_ctx

pytestmark = needs_mtls


def _client_with_cert(chain: str = "client-chain.pem", key: str = "client.key") -> ferrotls.SSLContext:
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.load_cert_chain(fx(chain), fx(key))
    return ctx


def test_client_certificate_accepted_by_ferrotls_server(ferrotls_server):
    srv = ferrotls_server("--once", "--verify-client", fx("ca.pem"), "--require-client-cert", "--json")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with _client_with_cert().wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"with a certificate")
            assert tls.recv(1024) == b"with a certificate"
            assert tls.client_certificate_sent()
            tls.unwrap().close()
    assert srv.wait() == 0
    assert "ferrotls demo client" in srv.output()


def test_ferrotls_server_refuses_a_client_without_certificate(ferrotls_server, client_ctx):
    srv = ferrotls_server("--once", "--verify-client", fx("ca.pem"), "--require-client-cert")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with pytest.raises(ferrotls.SSLError) as info:
            with client_ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"x")
                tls.recv(10)
    assert "certificate_required" in str(info.value)  # TLS 1.3's alert (RFC 8446 §4.4.2.4)


def test_ferrotls_server_refuses_a_server_only_certificate_as_client_certificate(ferrotls_server):
    srv = ferrotls_server("--once", "--verify-client", fx("ca.pem"), "--require-client-cert")
    ctx = _client_with_cert("server-chain.pem", "server.key")  # EKU serverAuth only
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with pytest.raises(ferrotls.SSLError) as info:
            with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"x")
                tls.recv(10)
    assert "unsupported_certificate" in str(info.value)


def test_openssl_s_server_requiring_a_client_certificate(openssl_www):
    srv = openssl_www("-Verify", "2", "-CAfile", fx("ca.pem"))
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with _client_with_cert().wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"GET / HTTP/1.0\r\n\r\n")
            page = b""
            while chunk := tls.recv(4096):
                page += chunk
    assert b"HTTP/1.0 200 ok" in page and b"ferrotls demo client" in page


def test_openssl_s_server_refuses_a_client_without_certificate(openssl_www, client_ctx):
    srv = openssl_www("-Verify", "2", "-CAfile", fx("ca.pem"))
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with pytest.raises(ferrotls.SSLError):
            with client_ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"GET / HTTP/1.0\r\n\r\n")
                tls.recv(4096)


def _mtls_server_ctx(mode=ssl.CERT_REQUIRED) -> ferrotls.SSLContext:
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    ctx.load_verify_locations(cafile=fx("ca.pem"))
    ctx.verify_mode = mode
    return ctx


def _serve_one(ctx):
    listener = socket.create_server(("127.0.0.1", 0))
    out = {}

    def run():
        conn, _ = listener.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls:
                out["cert"] = tls.getpeercert()
                tls.sendall(tls.recv(100))
        except Exception as exc:
            out["error"] = exc
        listener.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return listener.getsockname()[1], t, out


def test_ferrotls_server_verifies_a_stdlib_client_certificate():
    port, t, out = _serve_one(_mtls_server_ctx())
    cctx = stdlib_client_ctx()
    cctx.load_cert_chain(fx("client-chain.pem"), fx("client.key"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with cctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"mutual")
            assert tls.recv(100) == b"mutual"
    t.join(10)
    assert dict(x[0] for x in out["cert"]["subject"])["commonName"] == "ferrotls demo client"


def test_ferrotls_server_refuses_a_stdlib_client_without_certificate():
    port, t, out = _serve_one(_mtls_server_ctx())
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        try:
            with stdlib_client_ctx().wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"x")
                tls.recv(10)
        except (ssl.SSLError, ConnectionError):
            pass
    t.join(10)
    err = out.get("error")
    assert isinstance(err, ferrotls.SSLCertVerificationError) and err.result == 6013  # NO_CERTIFICATE
    assert err.reason == "PEER_DID_NOT_RETURN_A_CERTIFICATE"


def test_optional_client_certificate_may_be_absent():
    port, t, out = _serve_one(_mtls_server_ctx(ssl.CERT_OPTIONAL))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with stdlib_client_ctx().wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"anon")
            assert tls.recv(100) == b"anon"
    t.join(10)
    assert "error" not in out and out["cert"] is None


def test_encrypted_key_with_password(ferrotls_server):
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("server-chain.pem"), fx("server-encrypted.key"), password="ferrotls-test")
    with pytest.raises(ferrotls.SSLError):
        ctx.load_cert_chain(fx("server-chain.pem"), fx("server-encrypted.key"), password=b"wrong")
    with pytest.raises(ferrotls.SSLError) as info:
        ctx.load_cert_chain(fx("server-chain.pem"), fx("server-encrypted.key"))
    assert info.value.result == 6102  # FERROTLS_PEM_ENCRYPTED_KEY


def test_hashed_ca_directory(ferrotls_server):
    srv = ferrotls_server("--once")
    ctx = ferrotls.create_default_context(capath=fx("hashed-roots"))
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"dir")
            assert tls.recv(10) == b"dir"


def test_check_hostname_off_accepts_another_name_but_still_checks_the_chain(ferrotls_server):
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.check_hostname = False
    srv = ferrotls_server("--once", chain="wrong-host-chain.pem")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with ctx.wrap_socket(raw) as tls:
            tls.sendall(b"name waived")
            assert tls.recv(100) == b"name waived"
    srv2 = ferrotls_server("--once", chain="untrusted-chain.pem")
    with socket.create_connection(("127.0.0.1", srv2.port), timeout=10) as raw:
        with pytest.raises(ferrotls.SSLCertVerificationError) as info:
            ctx.wrap_socket(raw)
    assert info.value.verify_code == 20 and info.value.result == 6004


def test_verify_callback_sees_each_certificate_and_can_refuse(ferrotls_server):
    seen = []
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.set_verify_callback(lambda depth, cert, code: seen.append((depth, cert.subject(), code)) or code == 0)
    srv = ferrotls_server("--once")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        ctx.wrap_socket(raw, server_hostname="localhost").close()
    assert any(d == 0 and "localhost" in (s or "") for d, s, _ in seen)
    ctx.set_verify_callback(lambda depth, cert, code: False)
    srv2 = ferrotls_server("--once")
    with socket.create_connection(("127.0.0.1", srv2.port), timeout=10) as raw:
        with pytest.raises(ferrotls.SSLCertVerificationError):
            ctx.wrap_socket(raw, server_hostname="localhost")


def test_crl_revokes_a_server_certificate(ferrotls_server):
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.load_crl(open(fx("intermediate.crl.pem")).read())
    good = ferrotls_server("--once")
    with socket.create_connection(("127.0.0.1", good.port), timeout=10) as raw:
        ctx.wrap_socket(raw, server_hostname="localhost").close()
    # revoked.pem is a leaf without its chain: serve it with the intermediate appended.
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as f:
        f.write(open(fx("revoked.pem")).read() + open(fx("intermediate.pem")).read())
    bad = ferrotls_server("--once", chain=f.name)
    with socket.create_connection(("127.0.0.1", bad.port), timeout=10) as raw:
        with pytest.raises(ferrotls.SSLCertVerificationError) as info:
            ctx.wrap_socket(raw, server_hostname="localhost")
    assert info.value.verify_code == 23 and info.value.result == 6011  # FERROTLS_CERT_REVOKED


# ECDSA client certificates (load_cert_chain takes ECDSA P-256/P-384 and Ed25519 keys too); the
# handshake still uses RSA key exchange: the client certificate's type is independent of it.

def _ecdsa_server_ctx(cafile: str) -> ferrotls.SSLContext:
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    ctx.load_verify_locations(cafile=fx(cafile))
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def test_ecdsa_client_certificate_accepted_by_ferrotls_server(ferrotls_server):
    srv = ferrotls_server("--once", "--verify-client", fx("ecdsa-p256-ca.pem"), "--require-client-cert", "--json")
    ctx = _client_with_cert("ecdsa-p256-client.pem", "ecdsa-p256-client.key")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"ecdsa")
            assert tls.recv(1024) == b"ecdsa"
            assert tls.client_certificate_sent()
            tls.unwrap().close()
    assert srv.wait() == 0
    assert "ferrotls ECDSA client" in srv.output()


def test_ferrotls_python_server_verifies_a_stdlib_ecdsa_client_certificate():
    port, t, out = _serve_one(_ecdsa_server_ctx("ecdsa-p256-ca.pem"))
    cctx = stdlib_client_ctx()
    cctx.load_cert_chain(fx("ecdsa-p256-client.pem"), fx("ecdsa-p256-client.key"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with cctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"ecdsa mutual")
            assert tls.recv(100) == b"ecdsa mutual"
    t.join(10)
    assert "error" not in out, out.get("error")
    assert dict(x[0] for x in out["cert"]["subject"])["commonName"] == "ferrotls ECDSA client"


def test_ferrotls_python_server_refuses_an_ecdsa_client_certificate_from_an_untrusted_ca():
    # Twin: the same client, a server trusting only the RSA demo CA.
    port, t, out = _serve_one(_ecdsa_server_ctx("ca.pem"))
    cctx = stdlib_client_ctx()
    cctx.load_cert_chain(fx("ecdsa-p256-client.pem"), fx("ecdsa-p256-client.key"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        try:
            with cctx.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"x")
                tls.recv(10)
        except (ssl.SSLError, ConnectionError):
            pass
    t.join(10)
    assert isinstance(out.get("error"), ferrotls.SSLCertVerificationError), out


def test_private_key_types():
    from ferrotls.x509 import PrivateKey
    assert PrivateKey.from_file(fx("server.key")).key_type() == PrivateKey.RSA
    assert PrivateKey.from_file(fx("ecdsa-p256-leaf.key")).key_type() == PrivateKey.ECDSA_P256
    assert PrivateKey.from_file(fx("ecdsa-p384-leaf.key")).key_type() == PrivateKey.ECDSA_P384
    assert PrivateKey.from_file(fx("ed25519-leaf.key")).key_type() == PrivateKey.ED25519


def test_a_server_context_keeps_an_rsa_and_an_ecdsa_chain_and_serves_rsa_key_exchange_the_rsa_one():
    # As with OpenSSL, the second load_cert_chain (another key type) does not replace the first:
    # a client offering only RSA key exchange still gets the RSA certificate.
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    ctx.load_cert_chain(fx("ecdsa-p256-leaf.pem"), fx("ecdsa-p256-leaf.key"))
    port, t, out = _serve_one(ctx)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with stdlib_client_ctx().wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"dual")
            assert tls.recv(100) == b"dual"
            assert dict(x[0] for x in tls.getpeercert()["subject"])["stateOrProvinceName"] == "Test State"
    t.join(10)
    assert "error" not in out, out.get("error")


def test_a_server_context_with_only_an_ecdsa_chain_refuses_rsa_key_exchange():
    # Twin: the ECDSA chain alone cannot serve a client offering only RSA key exchange.
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("ecdsa-p256-leaf.pem"), fx("ecdsa-p256-leaf.key"))
    port, t, out = _serve_one(ctx)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with pytest.raises(ssl.SSLError):
            with stdlib_client_ctx().wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"x")
                tls.recv(10)
    t.join(10)
    assert "ECDSA P-256" in str(out.get("error")), out
