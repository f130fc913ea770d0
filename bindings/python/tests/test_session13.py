"""TLS 1.3 resumption from Python (RFC 8446 §4.6.1, §4.2.11): SSLSocket.session is the newest
ticket the server sent after the handshake, there once the client has read it (as with
Python's ssl over OpenSSL, a session is resumable only after the tickets were read);
wrap_socket(session=...) offers it and session_reused says whether the server took it.
Against openssl s_server -tls1_3 (its -www page says "New," or "Reused,") and ferrotls's own
server; the twins offer the session to a server with other ticket keys: a full handshake. A
client offers each ticket once (RFC 8446 §C.4): a session that resumed is not offered again
(the next one is), where Python's ssl over OpenSSL offers it as often as asked. And
SSLContext.num_tickets, the number of tickets a server sends, as in ssl."""
from __future__ import annotations

import socket
import ssl
import threading

import pytest

import ferrotls
from conftest import fx

GET = b"GET / HTTP/1.0\r\n\r\n"


def client13() -> ferrotls.SSLContext:
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.minimum_version = ferrotls.TLSVersion.TLSv1_3
    return ctx


def new_server_ctx() -> ferrotls.SSLContext:
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    return ctx


def fetch(ctx: ferrotls.SSLContext, port: int, session=None):
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
            assert tls.version() == "TLSv1.3"
            tls.sendall(GET)
            page = b""
            while True:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                page += chunk
            return page.decode(errors="replace"), tls.session, tls.session_reused


def test_a_tls13_session_resumes_against_openssl_s_server(openssl_www):
    server, other = openssl_www("-tls1_3"), openssl_www("-tls1_3")
    ctx = client13()
    page, session, reused = fetch(ctx, server.port)
    assert "\nNew, TLSv1.3" in page and not reused
    assert isinstance(session, ferrotls.SSLSession)
    assert session.protocol_version == 0x0304 and session.has_ticket and session.id == b""
    assert 0x1301 <= session.cipher_suite <= 0x1303
    assert session.to_bytes()[0] == 2  # the TLS 1.3 format of the encoding
    page, again, reused = fetch(ctx, server.port, session)
    assert "\nReused, TLSv1.3" in page, page[-1500:]
    assert reused and again is not None and again != session  # a resumption brings new tickets
    # Offered once (RFC 8446 §C.4): the session that resumed is not offered again.
    page, _, reused = fetch(ctx, server.port, session)
    assert "\nNew, TLSv1.3" in page and not reused
    # The twin: another s_server (its own ticket keys) cannot open a ticket never offered.
    page, _, reused = fetch(ctx, other.port, again)
    assert "\nNew, TLSv1.3" in page and not reused


def serve_echo(ctx: ferrotls.SSLContext, count: int, reused_on_server: list):
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        for _ in range(count):
            conn, _ = listener.accept()
            conn.settimeout(20)
            with ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(tls.recv(16))
                reused_on_server.append(tls.session_reused)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return listener, t


def test_a_tls13_session_resumes_with_a_ferrotls_server_and_not_with_another(server_ctx):
    other_ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    other_ctx.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    on_server, on_other = [], []
    listener, t = serve_echo(server_ctx, 2, on_server)
    other, t2 = serve_echo(other_ctx, 1, on_other)
    ctx = client13()

    def connect(port: int, session=None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
            assert tls.version() == "TLSv1.3"
            # The tickets come after the handshake: no session until they are read.
            assert tls.session is None
            tls.sendall(b"hi")
            assert tls.recv(16) == b"hi"
            return tls.session, tls.session_reused

    first, reused = connect(listener.getsockname()[1])
    assert not reused and first is not None and first.protocol_version == 0x0304
    again, reused = connect(listener.getsockname()[1], first)
    assert reused and again is not None
    _, reused = connect(other.getsockname()[1], again)
    assert not reused
    for thread, sock in ((t, listener), (t2, other)):
        thread.join(10)
        sock.close()
    assert on_server == [False, True] and on_other == [False]


def test_num_tickets_is_a_server_setting_as_in_ssl():
    server, client = new_server_ctx(), client13()
    stdlib_server, stdlib_client = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    assert server.num_tickets == stdlib_server.num_tickets == 2
    assert client.num_tickets == stdlib_client.num_tickets == 2
    server.num_tickets = 0
    assert server.num_tickets == 0
    server.num_tickets = 16
    assert server.num_tickets == 16
    for ctx in (client, stdlib_client):
        with pytest.raises(ValueError, match="not a server context"):
            ctx.num_tickets = 1
    for ctx in (server, stdlib_server):
        with pytest.raises(ValueError, match="non-negative"):
            ctx.num_tickets = -1
        with pytest.raises(TypeError):
            ctx.num_tickets = "1"
    with pytest.raises(ValueError, match="at most 16"):
        server.num_tickets = 17
    assert server.num_tickets == 16 and client.num_tickets == 2


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_ferrotls_server_sends_num_tickets_tickets_and_each_resumes_once(count):
    """The client takes SSLSocket.session, offers it (it resumes), and asks again: it gets the
    next ticket until the server's `count` are used. Twin: a used session offered again has a
    full handshake, though the server would take it (Python's ssl, which reuses, resumes twice)."""
    sctx = new_server_ctx()
    sctx.num_tickets = count
    on_server: list = []
    served = 1 + count + 1 + (3 if count else 0)
    listener, t = serve_echo(sctx, served, on_server)
    port = listener.getsockname()[1]
    ctx = client13()

    def connect(session=None, context=None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        with (context or ctx).wrap_socket(raw, server_hostname="localhost", session=session) as tls:
            tls.sendall(b"hi")
            assert tls.recv(16) == b"hi"
            return tls.session_reused

    used: list = []
    raw = socket.create_connection(("127.0.0.1", port), timeout=20)
    with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
        assert tls.version() == "TLSv1.3"
        tls.sendall(b"hi")
        assert tls.recv(16) == b"hi"
        while len(used) <= count:
            session = tls.session
            if session is None:
                break
            assert session not in used, "a used ticket is not handed out again"
            assert connect(session), f"ticket {len(used)} resumes"
            used.append(session)
    assert len(used) == count
    assert not connect(used[0] if used else None), "offered once: a full handshake"
    if count:
        stdlib = ssl.create_default_context(cafile=fx("ca.pem"))
        stdlib.minimum_version = ssl.TLSVersion.TLSv1_3
        raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        with stdlib.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"hi")
            assert tls.recv(16) == b"hi"
            reusable = tls.session
        assert [connect(reusable, stdlib), connect(reusable, stdlib)] == [True, True]
    t.join(10)
    listener.close()
    assert on_server.count(True) == count + (2 if count else 0)
