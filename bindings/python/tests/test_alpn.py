"""ALPN (RFC 7301) with the stdlib ``ssl`` shapes: SSLContext.set_alpn_protocols and
selected_alpn_protocol() on SSLSocket and SSLObject, against openssl s_server -alpn, the ferrotls
command server, a stdlib ssl client, and in memory."""
from __future__ import annotations

import json
import socket
import ssl

import pytest

import ferrotls
from conftest import Server, fx, stdlib_client_ctx
from test_server_bio_asyncio import _bio_pair, _handshake, _serve_once


@pytest.fixture
def openssl_alpn(servers):
    """openssl s_server -alpn LIST (-www: answers an HTTP GET)."""

    def start(alpn: str) -> Server:
        s = Server(["openssl", "s_server", "-accept", "127.0.0.1:0", "-www", "-cert", fx("server.pem"),
                    "-cert_chain", fx("intermediate.pem"), "-key", fx("server.key"), "-alpn", alpn,
                    "-cipher", "AES128-SHA:AES256-SHA:AES128-SHA256:@SECLEVEL=0"], r"ACCEPT .*:(\d+)")
        servers.append(s)
        return s

    return start


def test_socket_gets_the_protocol_openssl_s_server_selects(openssl_alpn, client_ctx):
    srv = openssl_alpn("h2,http/1.1")
    client_ctx.set_alpn_protocols(["http/1.1", "h2"])
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with client_ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            # s_server selects by its own preference.
            assert tls.selected_alpn_protocol() == "h2"
            tls.sendall(b"GET / HTTP/1.0\r\n\r\n")
            assert tls.recv(1024).startswith(b"HTTP/1.0 200")


def test_socket_without_overlap_gets_the_no_application_protocol_alert(openssl_alpn, client_ctx):
    srv = openssl_alpn("h2")
    client_ctx.set_alpn_protocols(["spdy/3"])
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with pytest.raises(ssl.SSLError) as info:
            client_ctx.wrap_socket(raw, server_hostname="localhost")
    assert "no_application_protocol" in str(info.value)


def test_socket_gets_the_protocol_the_ferrotls_server_selects(ferrotls_server, client_ctx):
    srv = ferrotls_server("--once", "--json", "--alpn", "h2,http/1.1")
    client_ctx.set_alpn_protocols(["http/1.1", "h2"])
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        with client_ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.selected_alpn_protocol() == "h2"
            tls.sendall(b"alpn")
            assert tls.recv(1024) == b"alpn"
            tls.unwrap().close()
    assert srv.wait() == 0
    report = json.loads([line for line in srv.output().splitlines() if line.startswith("{")][-1])
    assert report["alpn"] == "h2"


def test_no_alpn_is_none_like_ssl(ferrotls_server, client_ctx):
    srv = ferrotls_server("--once", "--alpn", "h2")
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as raw:
        tls = client_ctx.wrap_socket(raw, server_hostname="localhost", do_handshake_on_connect=False)
        assert tls.selected_alpn_protocol() is None  # before the handshake
        tls.do_handshake()
        assert tls.selected_alpn_protocol() is None  # the client did not offer ALPN
        tls.close()


def test_server_context_selects_for_a_stdlib_client(server_ctx):
    server_ctx.set_alpn_protocols(["h2", "http/1.1"])
    port, t, result = _serve_once(server_ctx, lambda tls: tls.selected_alpn_protocol())
    ctx = stdlib_client_ctx()
    ctx.set_alpn_protocols(["http/1.1", "h2"])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.selected_alpn_protocol() == "h2"
    t.join(10)
    assert result.get("value") == "h2"


def test_memory_bio_pair_agrees_on_the_servers_preference(server_ctx, client_ctx):
    server_ctx.set_alpn_protocols(["http/1.1", "h2"])
    client_ctx.set_alpn_protocols(["h2", "http/1.1"])
    client, server, bios = _bio_pair(server_ctx, client_ctx)
    assert client.selected_alpn_protocol() is None
    _handshake(client, server, bios)
    assert client.selected_alpn_protocol() == server.selected_alpn_protocol() == "http/1.1"


def test_set_alpn_protocols_checks_like_ssl(client_ctx):
    for bad in ([""], ["x" * 256]):
        with pytest.raises(ssl.SSLError):
            client_ctx.set_alpn_protocols(bad)
        with pytest.raises(ssl.SSLError):
            ssl.create_default_context().set_alpn_protocols(bad)
    with pytest.raises(TypeError):
        client_ctx.set_alpn_protocols([b"h2"])  # str only, as ssl
    with pytest.raises(UnicodeEncodeError):
        client_ctx.set_alpn_protocols(["h\u00e9"])
    client_ctx.set_alpn_protocols([])  # turns ALPN off
    assert isinstance(ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_CLIENT), ssl.SSLContext)
