"""The binding inside the libraries people use (issue 15), against local servers on loopback.

Clients are the libraries with ferrotls contexts; servers are ferrotls through the binding (an
http.server, aiohttp, websockets, trio, asyncio, small SMTP / IMAP servers) or openssl s_server.
Each client has a positive case, a wrong-CA case and a wrong-host case; a refusal must come from
ferrotls (a ferrotls.SSLCertVerificationError with OpenSSL's verify_code somewhere in the
exception's chain), not from some other failure. Versions: requirements.txt next to this file.
"""
from __future__ import annotations

import asyncio
import functools
import http.client
import http.server
import socket
import socketserver
import ssl
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

import pytest

import ferrotls
from conftest import fx

# Installed into build/venv by scripts/deps.sh (requirements.txt); never skipped.
import aiohttp
import httpx
import requests
import trio
import urllib3
import websockets.asyncio.client
import websockets.asyncio.server
import websockets.sync.client
import websockets.sync.server
from requests.adapters import HTTPAdapter

BODY = b"hello from a ferrotls server\n"
CASES = ["ok", "wrong-ca", "wrong-host"]


def client_ctx(case: str = "ok") -> ferrotls.SSLContext:
    return ferrotls.create_default_context(cafile=fx("untrusted-ca.pem" if case == "wrong-ca" else "ca.pem"))


def server_ctx(chain: str = "server-chain.pem", alpn: Optional[list] = None) -> ferrotls.SSLContext:
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx(chain), fx("server.key"))
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def chain_for(case: str) -> str:
    return "wrong-host-chain.pem" if case == "wrong-host" else "server-chain.pem"


def ferrotls_refusal(exc: BaseException) -> ferrotls.SSLCertVerificationError:
    """The ferrotls certificate error somewhere in `exc`'s causes, contexts or arguments."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, ferrotls.SSLCertVerificationError):
            return e
        todo += [x for x in (e.__cause__, e.__context__, getattr(e, "reason", None),
                             getattr(e, "certificate_error", None), getattr(e, "os_error", None))
                 if isinstance(x, BaseException)]
        todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        todo += list(getattr(e, "exceptions", ()))  # exception groups (trio, anyio)
    raise AssertionError(f"no ferrotls certificate error in {exc!r}")


def check_refusal(case: str, exc: BaseException) -> None:
    err = ferrotls_refusal(exc)
    assert err.verify_code == (20 if case == "wrong-ca" else 62), err
    assert err.reason == "CERTIFICATE_VERIFY_FAILED"


def run_case(case: str, call: Callable[[], Any]) -> None:
    """Positive: `call()` returns the body; otherwise it must fail with ferrotls's refusal."""
    if case == "ok":
        assert call() == BODY
        return
    with pytest.raises(Exception) as info:
        call()
    check_refusal(case, info.value)


# --- an HTTPS server: http.server over a ferrotls listening socket ---------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: Any) -> None:
        pass


class TLSHTTPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # refused clients are the point of half the tests


@pytest.fixture(scope="module")
def https() -> Iterator[Dict[str, int]]:
    """Ports of two ferrotls HTTPS servers: the good chain, and a chain for other.example."""
    ports: Dict[str, int] = {}
    servers = []
    for case in ("ok", "wrong-host"):
        srv = TLSHTTPServer(("127.0.0.1", 0), Handler)
        # As http.server's docs show for ssl: the listening socket is wrapped; handshakes happen
        # in the request threads (do_handshake_on_connect=False, first read).
        srv.socket = server_ctx(chain_for(case), alpn=["http/1.1"]).wrap_socket(
            srv.socket, server_side=True, do_handshake_on_connect=False)
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        ports[case] = srv.server_address[1]
        servers.append(srv)
    ports["wrong-ca"] = ports["ok"]
    yield ports
    for srv in servers:
        srv.shutdown()
        srv.server_close()


# --- HTTP clients ------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_requests_with_an_http_adapter_ssl_context(https, case):
    ctx = client_ctx(case)

    class FerrotlsAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> Any:
            kwargs["ssl_context"] = ctx
            return super().init_poolmanager(*args, **kwargs)

    with requests.Session() as session:
        session.mount("https://", FerrotlsAdapter())
        run_case(case, lambda: session.get(f"https://localhost:{https[case]}/", timeout=10).content)


@pytest.mark.parametrize("case", CASES)
def test_urllib3_pool_manager(https, case):
    with urllib3.PoolManager(ssl_context=client_ctx(case), retries=False) as pool:
        run_case(case, lambda: pool.request("GET", f"https://localhost:{https[case]}/", timeout=10).data)


@pytest.mark.parametrize("case", CASES)
def test_httpx_sync(https, case):
    with httpx.Client(verify=client_ctx(case)) as client:
        def get() -> bytes:
            response = client.get(f"https://localhost:{https[case]}/", timeout=10)
            stream = response.extensions["network_stream"]
            ssl_object = stream.get_extra_info("ssl_object")  # httpcore: sock._sslobj
            assert ssl_object is not None and ssl_object.selected_alpn_protocol() == "http/1.1"
            return response.content
        run_case(case, get)


@pytest.mark.parametrize("case", CASES)
def test_httpx_async(https, case):
    async def get() -> bytes:
        async with httpx.AsyncClient(verify=client_ctx(case)) as client:
            response = await client.get(f"https://localhost:{https[case]}/", timeout=10)
            ssl_object = response.extensions["network_stream"].get_extra_info("ssl_object")
            assert isinstance(ssl_object, ssl.SSLObject) and ssl_object.version() == "TLSv1.3"
            return response.content
    run_case(case, lambda: asyncio.run(get()))


@pytest.mark.parametrize("case", CASES)
def test_stdlib_urllib(https, case):
    def get() -> bytes:
        with urllib.request.urlopen(f"https://localhost:{https[case]}/", context=client_ctx(case), timeout=10) as r:
            return r.read()
    run_case(case, get)


@pytest.mark.parametrize("case", CASES)
def test_stdlib_http_client(https, case):
    def get() -> bytes:
        conn = http.client.HTTPSConnection("localhost", https[case], context=client_ctx(case), timeout=10)
        try:
            conn.request("GET", "/")
            first = conn.getresponse().read()
            conn.request("GET", "/again")  # the same TLS connection, kept alive
            assert conn.getresponse().read() == first
            return first
        finally:
            conn.close()
    run_case(case, get)


@pytest.mark.parametrize("case", CASES)
def test_requests_against_openssl_s_server(openssl_www, case):
    srv = openssl_www(*(["-cert", fx("wrong-host.pem")] if case == "wrong-host" else []))

    class FerrotlsAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> Any:
            kwargs["ssl_context"] = client_ctx(case)
            return super().init_poolmanager(*args, **kwargs)

    with requests.Session() as session:
        session.mount("https://", FerrotlsAdapter())
        if case == "ok":
            assert b"Ciphers supported in s_server binary" in session.get(f"https://localhost:{srv.port}/",
                                                                        timeout=10).content
        else:
            with pytest.raises(requests.exceptions.SSLError) as info:
                session.get(f"https://localhost:{srv.port}/", timeout=10)
            check_refusal(case, info.value)


# --- aiohttp: client and server -----------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_aiohttp_client_and_server(case):
    from aiohttp import web

    async def hello(request: web.Request) -> web.Response:
        assert request.transport.get_extra_info("ssl_object").version() == "TLSv1.3"
        return web.Response(body=BODY)

    async def main() -> bytes:
        app = web.Application()
        app.router.add_get("/", hello)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ctx(chain_for(case)))
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            async with aiohttp.ClientSession() as session:
                async with session.get(f"https://localhost:{port}/", ssl=client_ctx(case),
                                       timeout=aiohttp.ClientTimeout(total=10)) as response:
                    return await response.read()
        finally:
            await runner.cleanup()

    if case == "ok":
        assert asyncio.run(main()) == BODY
    else:
        with pytest.raises(aiohttp.ClientConnectorCertificateError) as info:
            asyncio.run(main())
        check_refusal(case, info.value)


# --- websockets: asyncio and sync, client and server --------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_websockets_asyncio(case):
    async def echo(ws: Any) -> None:
        async for message in ws:
            await ws.send(message)

    async def main() -> bytes:
        async with websockets.asyncio.server.serve(echo, "127.0.0.1", 0, ssl=server_ctx(chain_for(case))) as server:
            port = server.sockets[0].getsockname()[1]
            async with websockets.asyncio.client.connect(f"wss://localhost:{port}/", ssl=client_ctx(case),
                                                         open_timeout=10) as ws:
                await ws.send(BODY)
                return await ws.recv()

    run_case(case, lambda: asyncio.run(main()))


@pytest.mark.parametrize("case", CASES)
def test_websockets_sync(case):
    def echo(ws: Any) -> None:
        for message in ws:
            ws.send(message)

    server = websockets.sync.server.serve(echo, "127.0.0.1", 0, ssl=server_ctx(chain_for(case)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.socket.getsockname()[1]

        def talk() -> bytes:
            with websockets.sync.client.connect(f"wss://localhost:{port}/", ssl=client_ctx(case),
                                                open_timeout=10, close_timeout=10) as ws:
                assert isinstance(ws.socket, ssl.SSLSocket)
                ws.send(BODY)
                reply = ws.recv(timeout=10)
                # A reader thread and this thread share the TLS socket; closing must not wait
                # for close_timeout (the close_notify that came with the close frame is seen).
                started = time.monotonic()
                ws.close()
                assert time.monotonic() - started < 3
                return reply  # type: ignore[return-value]

        run_case(case, talk)
    finally:
        server.shutdown()
        thread.join(10)


# --- trio -----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_trio_ssl_stream_client_and_server(case):
    async def main() -> bytes:
        async def serve(stream: trio.SSLStream) -> None:
            try:
                data = await stream.receive_some(1024)
                await stream.send_all(data)
                await stream.aclose()
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                pass

        async with trio.open_nursery() as nursery:
            listeners = await nursery.start(functools.partial(
                trio.serve_ssl_over_tcp, serve, 0, server_ctx(chain_for(case)), host="127.0.0.1"))
            port = listeners[0].transport_listener.socket.getsockname()[1]
            try:
                with trio.fail_after(10):
                    stream = await trio.open_ssl_over_tcp_stream("localhost", port, ssl_context=client_ctx(case))
                    await stream.send_all(BODY)
                    reply = await stream.receive_some(1024)
                    await stream.aclose()
                    return reply
            finally:
                nursery.cancel_scope.cancel()

    run_case(case, lambda: trio.run(main))


# --- asyncio: streams and start_tls ------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_asyncio_streams(case):
    async def main() -> bytes:
        async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(await reader.readline())
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=server_ctx(chain_for(case)))
        port = server.sockets[0].getsockname()[1]
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("localhost", port, ssl=client_ctx(case)), 10)
            writer.write(BODY)
            reply = await asyncio.wait_for(reader.readline(), 10)
            writer.close()
            return reply
        finally:
            server.close()

    run_case(case, lambda: asyncio.run(main()))


@pytest.mark.parametrize("case", CASES)
def test_asyncio_start_tls(case):
    async def main() -> bytes:
        async def upgrade(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            assert await reader.readline() == b"STARTTLS\n"
            writer.write(b"GO\n")
            await writer.drain()
            try:
                await writer.start_tls(server_ctx(chain_for(case)))
                writer.write(await reader.readline())
                await writer.drain()
            except (ssl.SSLError, ConnectionError):
                pass
            writer.close()

        server = await asyncio.start_server(upgrade, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"STARTTLS\n")
            assert await reader.readline() == b"GO\n"
            await asyncio.wait_for(writer.start_tls(client_ctx(case), server_hostname="localhost"), 10)
            writer.write(BODY)
            reply = await asyncio.wait_for(reader.readline(), 10)
            writer.close()
            return reply
        finally:
            server.close()

    run_case(case, lambda: asyncio.run(main()))


# --- smtplib and imaplib against small line servers -----------------------------------------------

class LineServer:
    """A one-connection line-protocol server on a thread: `script(conn_file, upgrade)`."""

    def __init__(self, script: Callable[..., None]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

        def run() -> None:
            self.listener.settimeout(10)
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            conn.settimeout(10)
            try:
                script(conn)
            except (OSError, ValueError):
                pass
            finally:
                conn.close()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.thread.join(10)
        self.listener.close()


def lines(sock: Any) -> Tuple[Callable[[], bytes], Callable[[bytes], None]]:
    f = sock.makefile("rb")
    return f.readline, sock.sendall


@pytest.mark.parametrize("case", CASES)
def test_smtplib_starttls(case):
    import smtplib
    ctx = server_ctx(chain_for(case))

    def smtp(conn: socket.socket) -> None:
        readline, send = lines(conn)
        send(b"220 localhost ESMTP test\r\n")
        readline()  # EHLO
        send(b"250-localhost\r\n250 STARTTLS\r\n")
        readline()  # STARTTLS
        send(b"220 go ahead\r\n")
        tls = ctx.wrap_socket(conn, server_side=True)
        readline, send = lines(tls)
        replies = {b"EHLO": b"250-localhost\r\n250 OK\r\n", b"NOOP": b"250 " + BODY.strip() + b"\r\n",
                   b"QUIT": b"221 bye\r\n"}
        while True:
            command = readline().split(b" ")[0].strip().upper()
            if not command:
                return
            send(replies.get(command, b"500 what?\r\n"))
            if command == b"QUIT":
                return

    srv = LineServer(smtp)

    def talk() -> bytes:
        with smtplib.SMTP("localhost", srv.port, timeout=10) as client:
            client.starttls(context=client_ctx(case))
            code, text = client.noop()
            assert code == 250
            return text + b"\n"

    try:
        run_case(case, talk)
    finally:
        srv.close()


@pytest.mark.parametrize("case", CASES)
def test_imaplib_imap4_ssl(case):
    import imaplib
    ctx = server_ctx(chain_for(case))

    def imap(conn: socket.socket) -> None:
        tls = ctx.wrap_socket(conn, server_side=True)
        readline, send = lines(tls)
        send(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
        tag = readline().split()[0]  # CAPABILITY (imaplib asks when the greeting lacks it)
        send(b"* CAPABILITY IMAP4rev1\r\n" + tag + b" OK done\r\n")
        tag = readline().split()[0]  # NOOP
        send(tag + b" OK noop\r\n")
        tag = readline().split()[0]  # LOGOUT
        send(b"* BYE\r\n" + tag + b" OK bye\r\n")

    srv = LineServer(imap)

    def talk() -> bytes:
        client = imaplib.IMAP4_SSL("localhost", srv.port, ssl_context=client_ctx(case), timeout=10)
        try:
            typ, data = client.noop()
            return BODY if (typ, data) == ("OK", [b"noop"]) else repr((typ, data)).encode()
        finally:
            client.logout()

    try:
        run_case(case, talk)
    finally:
        srv.close()
