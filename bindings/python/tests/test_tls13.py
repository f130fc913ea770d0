"""TLS 1.3 (RFC 8446), the default, against Python's own ssl module both ways: version(), the
cipher() triple and the same secrets on both ends; OP_NO_TLSv1_3 and maximum_version as ssl
has them; the twins: a TLS 1.2-only peer, a 1.3-only peer with 1.3 switched off."""

from __future__ import annotations

import socket
import ssl

import pytest

import ferrotls
from conftest import fx
from test_ssl_compat import ThreadServer


def echo_once(tls) -> None:
    tls.sendall(tls.recv(1024))


def stdlib_server(maximum=ssl.TLSVersion.MAXIMUM_SUPPORTED, minimum=ssl.TLSVersion.MINIMUM_SUPPORTED):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    ctx.minimum_version, ctx.maximum_version = minimum, maximum
    return ctx


def ferrotls_client() -> ferrotls.SSLContext:
    return ferrotls.create_default_context(cafile=fx("ca.pem"))


def ferrotls_server() -> ferrotls.SSLContext:
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    return ctx


def talk(client_ctx, server_ctx):
    """One connection with an echo; (client version, client cipher, server version, server cipher)."""
    seen = {}

    def handler(tls) -> None:
        seen["version"], seen["cipher"] = tls.version(), tls.cipher()
        echo_once(tls)

    srv = ThreadServer(server_ctx, handler)
    with client_ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                server_hostname="localhost") as tls:
        tls.sendall(b"ping 1.3")
        assert tls.recv(1024) == b"ping 1.3"
        mine = (tls.version(), tls.cipher())
    srv.join()
    assert not srv.errors, srv.errors
    return mine + (seen["version"], seen["cipher"])


def test_constants_say_tls13():
    assert ferrotls.HAS_TLSv1_3
    assert ferrotls.TLSVersion.TLSv1_3 == ssl.TLSVersion.TLSv1_3 == 0x0304
    ctx = ferrotls_client()
    assert ctx.maximum_version is ferrotls.TLSVersion.MAXIMUM_SUPPORTED
    ctx.minimum_version = ferrotls.TLSVersion.TLSv1_3
    assert ctx.minimum_version is ferrotls.TLSVersion.TLSv1_3


def test_ferrotls_client_to_python_ssl_server_at_its_defaults():
    cv, cc, sv, sc = talk(ferrotls_client(), stdlib_server())
    assert cv == sv == "TLSv1.3"
    assert cc == sc == ("TLS_AES_256_GCM_SHA384", "TLSv1.3", 256)


def test_python_ssl_client_to_ferrotls_server_at_its_defaults():
    client = ssl.create_default_context(cafile=fx("ca.pem"))
    cv, cc, sv, sc = talk(client, ferrotls_server())
    assert cv == sv == "TLSv1.3"
    assert cc == sc == ("TLS_AES_256_GCM_SHA384", "TLSv1.3", 256)


def test_op_no_tlsv1_3_and_a_tls12_peer_give_tls12_both_ways():
    client = ferrotls_client()
    client.options |= ssl.OP_NO_TLSv1_3
    cv, cc, sv, _ = talk(client, stdlib_server())
    assert cv == sv == "TLSv1.2" and cc[1] == "TLSv1.2"
    cv, _, sv, _ = talk(ferrotls_client(), stdlib_server(maximum=ssl.TLSVersion.TLSv1_2))
    assert cv == sv == "TLSv1.2"
    stdlib_client = ssl.create_default_context(cafile=fx("ca.pem"))
    stdlib_client.maximum_version = ssl.TLSVersion.TLSv1_2
    cv, _, sv, _ = talk(stdlib_client, ferrotls_server())
    assert cv == sv == "TLSv1.2"


def test_a_tls13_only_server_refuses_a_client_with_tls13_off():
    client = ferrotls_client()
    client.maximum_version = ferrotls.TLSVersion.TLSv1_2
    srv = ThreadServer(stdlib_server(minimum=ssl.TLSVersion.TLSv1_3), echo_once)
    with pytest.raises(ferrotls.SSLError) as info:
        client.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10), server_hostname="localhost")
    srv.join()
    assert "protocol_version" in str(info.value) or info.value.reason.endswith("PROTOCOL_VERSION"), info.value
