"""Modern TLS 1.2 through the ssl-shaped API (issue 11), against CPython's own ssl as the peer
both ways: sni_callback switching the context (and so the certificate), get_ciphers() and
set_ciphers() with OpenSSL strings compared with what ssl itself says, cipher() and
shared_ciphers(), ECDSA certificates, resumption by ticket, and the refusals' words."""
from __future__ import annotations

import socket
import ssl
from typing import Any, List

import pytest

import ferrotls
from conftest import fx
from test_ssl_compat import ThreadServer, echo


def ferro_server(chain: str = "server-chain.pem", key: str = "server.key") -> ferrotls.SSLContext:
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx(chain), fx(key))
    return ctx


def std_client(cafile: str = "ca.pem") -> ssl.SSLContext:
    """CPython's default client, kept at TLS 1.2."""
    ctx = ssl.create_default_context(cafile=fx(cafile))
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def connect(ctx: Any, port: int, name: str = "localhost", **kw: Any) -> Any:
    return ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname=name, **kw)


def talk(tls: Any) -> None:
    tls.sendall(b"ping")
    assert tls.recv(4) == b"ping"


# --- sni_callback --------------------------------------------------------------------------------------

def test_sni_callback_switches_to_the_ecdsa_context_for_a_stdlib_client():
    rsa = ferro_server()
    ecdsa = ferro_server("ecdsa-p256-leaf.pem", "ecdsa-p256-leaf.key")
    seen: List[Any] = []

    def pick(sslsock: Any, name: Any, ctx: Any) -> None:
        seen.append((type(sslsock).__name__, name, ctx is rsa))
        if name == "localhost":
            sslsock.context = ecdsa

    rsa.sni_callback = pick
    assert rsa.sni_callback is pick
    srv = ThreadServer(rsa, lambda tls: (echo(tls), srv.info.update(ctx=tls.context)))
    client = std_client("ecdsa-p256-ca.pem")
    with connect(client, srv.port) as tls:
        talk(tls)
        assert tls.cipher()[0].startswith("ECDHE-ECDSA-")
        assert tls.getpeercert()["issuer"][-1][0][1] == "ferrotls ECDSA P-256 CA"
    srv.join()
    assert not srv.errors
    assert seen == [("SSLSocket", "localhost", True)]
    assert srv.info["ctx"] is ecdsa


def test_sni_callback_that_keeps_the_context_serves_its_certificate_and_sees_no_name():
    rsa = ferro_server()
    names: List[Any] = []
    rsa.sni_callback = lambda s, name, ctx: names.append(name)
    srv = ThreadServer(rsa, echo)
    client = std_client()
    client.check_hostname = False
    with client.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10)) as tls:
        talk(tls)
        assert tls.cipher()[0].startswith("ECDHE-RSA-")
    srv.join()
    assert names == [None] and not srv.errors


def test_sni_callback_returning_an_alert_refuses_the_client():
    rsa = ferro_server()
    rsa.sni_callback = lambda s, name, ctx: ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
    srv = ThreadServer(rsa, echo)
    with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME"):
        connect(std_client(), srv.port)
    srv.join()
    (err,) = srv.errors
    assert isinstance(err, ferrotls.SSLError) and "localhost" in str(err)


def test_sni_callback_that_raises_refuses_the_client(monkeypatch):
    rsa = ferro_server()
    hooked: List[Any] = []
    monkeypatch.setattr("sys.unraisablehook", lambda args: hooked.append(args.exc_value))

    def boom(*_: Any) -> None:
        raise RuntimeError("no such site")

    rsa.set_servername_callback(boom)
    srv = ThreadServer(rsa, echo)
    with pytest.raises(ssl.SSLError):
        connect(std_client(), srv.port)
    srv.join()
    assert len(srv.errors) == 1 and [str(e) for e in hooked] == ["no such site"]


def test_sni_callback_rules():
    with pytest.raises(ValueError, match="TLS_CLIENT"):
        ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_CLIENT).sni_callback = lambda *a: None
    with pytest.raises(TypeError):
        ferro_server().sni_callback = 3
    # Outside the callback a connection keeps its context.
    srv_ctx = ferro_server()
    srv = ThreadServer(srv_ctx, lambda tls: setattr(tls, "context", ferro_server()))
    with connect(std_client(), srv.port) as tls:
        tls.recv(1)
    srv.join()
    assert len(srv.errors) == 1 and isinstance(srv.errors[0], NotImplementedError)


def test_stdlib_server_sni_callback_sees_the_name_a_ferrotls_client_sends():
    # The other direction: ferrotls's SNI as CPython's server callback receives it.
    std = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    std.maximum_version = ssl.TLSVersion.TLSv1_2
    std.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    other = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    other.load_cert_chain(fx("ecdsa-p256-leaf.pem"), fx("ecdsa-p256-leaf.key"))
    names: List[Any] = []

    def pick(s: Any, name: Any, ctx: Any) -> None:
        names.append(name)
        s.context = other

    std.sni_callback = pick
    srv = ThreadServer(std, echo)
    client = ferrotls.create_default_context(cafile=fx("ecdsa-p256-ca.pem"))
    with connect(client, srv.port) as tls:
        talk(tls)
        assert tls.cipher()[0].startswith("ECDHE-ECDSA-")
    srv.join()
    assert names == ["localhost"] and not srv.errors
