"""TLS 1.3 resumption from Python (RFC 8446 §4.6.1, §4.2.11): SSLSocket.session is the newest
ticket the server sent after the handshake, there once the client has read it (as with
Python's ssl over OpenSSL, a session is resumable only after the tickets were read);
wrap_socket(session=...) offers it and session_reused says whether the server took it.
Against openssl s_server -tls1_3 (its -www page says "New," or "Reused,") and ferrotls's own
server; the twins offer the session to a server with other ticket keys: a full handshake."""
from __future__ import annotations

import socket
import threading

import ferrotls
from conftest import fx

GET = b"GET / HTTP/1.0\r\n\r\n"


def client13() -> ferrotls.SSLContext:
    ctx = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ctx.minimum_version = ferrotls.TLSVersion.TLSv1_3
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
    # The twin: another s_server (its own ticket keys) cannot open the ticket.
    page, _, reused = fetch(ctx, other.port, session)
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
    _, reused = connect(other.getsockname()[1], first)
    assert not reused
    for thread, sock in ((t, listener), (t2, other)):
        thread.join(10)
        sock.close()
    assert on_server == [False, True] and on_other == [False]
