"""Session resumption by session ID (RFC 5246 §7.3) and by session ticket (RFC 5077):
SSLSocket.session, wrap_socket(session=...), session_reused and OP_NO_TICKET, against openssl
s_server (which prints "New," or "Reused," in its -www page), the ferrotls command, and
ferrotls's own server resumed by Python's ssl client."""
from __future__ import annotations

import socket
import ssl
import threading

import pytest

import ferrotls
from conftest import fx


@pytest.fixture
def client_ctx() -> ferrotls.SSLContext:
    """TLS 1.2: these tests are about session IDs and RFC 5077 tickets (TLS 1.3: test_session13.py)."""
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.maximum_version = ferrotls.TLSVersion.TLSv1_2
    return ctx

GET = b"GET / HTTP/1.0\r\n\r\n"


def fetch(ctx: ferrotls.SSLContext, port: int, session=None):
    with socket.create_connection(("127.0.0.1", port)) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
            tls.sendall(GET)
            page = b""
            while True:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                page += chunk
            return page.decode(errors="replace"), tls.session, tls.session_reused


@pytest.mark.parametrize("extra", [("-no_ticket",), ()], ids=["no_ticket", "tickets"])
def test_session_resumes_against_openssl_s_server(openssl_www, client_ctx, extra):
    # With -no_ticket s_server resumes from its session-ID cache; without it, it issues a
    # ticket (and no session ID, RFC 5077 §3.4) and resumes from the ticket.
    server = openssl_www(*extra)
    page, session, reused = fetch(client_ctx, server.port)
    assert "\nNew, " in page and not reused
    assert isinstance(session, ferrotls.SSLSession) and session.protocol_version == 0x0303
    tickets = not extra
    assert session.has_ticket == tickets
    assert len(session.id) == (0 if tickets else 32)
    page, again, reused = fetch(client_ctx, server.port, session)
    assert "\nReused, " in page, page[-1500:]
    assert reused and again == session


@pytest.mark.parametrize("side", ["client", "server"])
def test_op_no_ticket_on_either_side_resumes_by_session_id_instead(ferrotls_server, server_ctx, client_ctx, side):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    (client_ctx if side == "client" else server_ctx).options |= ssl.OP_NO_TICKET
    reused_on_server = []

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(tls.recv(16))
                reused_on_server.append(tls.session_reused)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    session, sessions, reused = None, [], []
    for _ in range(2):
        with client_ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost",
                                    session=session) as tls:
            tls.sendall(b"hi")
            assert tls.recv(16) == b"hi"
            reused.append(tls.session_reused)
            session = tls.session
            sessions.append(session)
    t.join(10)
    listener.close()
    assert reused == [False, True] and reused_on_server == [False, True]
    assert not sessions[0].has_ticket and len(sessions[0].id) == 32


def test_a_ticket_session_resumes_between_ferrotls_client_and_server_and_survives_as_bytes(server_ctx, client_ctx):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    reused_on_server = []

    def serve() -> None:
        for _ in range(3):
            conn, _ = listener.accept()
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(tls.recv(16))
                reused_on_server.append(tls.session_reused)

    t = threading.Thread(target=serve, daemon=True)
    t.start()

    def connect(session=None):
        with client_ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost",
                                    session=session) as tls:
            tls.sendall(b"hi")
            assert tls.recv(16) == b"hi"
            return tls.session, tls.session_reused

    first, reused = connect()
    assert not reused and first.has_ticket and first.id == b""
    assert first.ticket_lifetime_hint == 300
    assert len(first.to_bytes()) > 100
    # As ssl: without session= the context does not resume by itself.
    _, reused = connect()
    assert not reused
    again, reused = connect(first)
    assert reused and again == first
    t.join(10)
    listener.close()
    assert reused_on_server == [False, False, True]


def test_session_resumes_against_the_ferrotls_server(ferrotls_server, client_ctx):
    server = ferrotls_server()
    first = client_ctx.wrap_socket(socket.create_connection(("127.0.0.1", server.port)), server_hostname="localhost")
    first.sendall(b"one")
    assert first.recv(16) == b"one"
    session = first.session
    assert not first.session_reused and session is not None
    first.close()
    sock = client_ctx.wrap_socket(socket.socket(), server_hostname="localhost", do_handshake_on_connect=True)
    assert sock.session is None
    sock.session = session  # ssl allows setting it before connect()
    sock.connect(("127.0.0.1", server.port))
    sock.sendall(b"two")
    assert sock.recv(16) == b"two"
    assert sock.session_reused and sock.session == session
    with pytest.raises(ValueError):
        sock.session = session  # not after the handshake
    sock.close()


def test_python_ssl_client_resumes_a_ferrotls_server_session(server_ctx):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    reused_on_server = []

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(tls.recv(16))
                reused_on_server.append(tls.session_reused)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    client = ssl.create_default_context(cafile=fx("ca.pem"))
    client.maximum_version = ssl.TLSVersion.TLSv1_2
    client.set_ciphers("AES128-SHA:AES256-SHA")  # RSA key exchange, which ferrotls speaks
    session = None
    reused = []
    for _ in range(2):
        with client.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost",
                                session=session) as tls:
            tls.sendall(b"hi")
            assert tls.recv(16) == b"hi"
            reused.append(tls.session_reused)
            session = tls.session
    t.join(10)
    listener.close()
    assert reused == [False, True]
    assert reused_on_server == [False, True]


def test_a_server_side_socket_cannot_be_given_a_session(server_ctx, client_ctx):
    with pytest.raises(ValueError):
        server_ctx.wrap_socket(socket.socket(), server_side=True, session=object())


def test_a_session_from_a_context_that_does_not_verify_is_not_resumed_by_one_that_does(ferrotls_server, client_ctx):
    # Resumption skips the server's Certificate message: a session made without verification
    # (against a server nobody trusts here) must not stand in for it. The verifying context does
    # a full handshake, verifies, and refuses.
    server = ferrotls_server(chain="untrusted-chain.pem")
    careless = ferrotls.create_default_context()
    careless.maximum_version = ferrotls.TLSVersion.TLSv1_2  # TLS 1.3: test_session13.py
    careless.check_hostname = False
    careless.verify_mode = ferrotls.CERT_NONE

    def connect(ctx: ferrotls.SSLContext, session=None) -> ferrotls.SSLSocket:
        raw = socket.create_connection(("127.0.0.1", server.port))
        return ctx.wrap_socket(raw, server_hostname="localhost", session=session)

    with connect(careless) as first:
        session = first.session
    assert session is not None
    with connect(careless, session) as again:  # the twin: its own context resumes it
        assert again.session_reused
    with pytest.raises(ssl.SSLCertVerificationError):
        connect(client_ctx, session).close()
