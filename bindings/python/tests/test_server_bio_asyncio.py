"""ferrotls as a server (stdlib ssl and openssl clients), asyncio on both ends, and SSLObject over
ssl.MemoryBIO; plus the exception classes and library discovery."""
from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading

import pytest

import ferrotls
from ferrotls import _lib
from conftest import ROOT, fx, stdlib_client_ctx


def _serve_once(ctx, fn):
    """A listening socket and a thread that accepts one TLS connection and runs fn(tls)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    result = {}

    def run():
        conn, _ = listener.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls:
                result["value"] = fn(tls)
        except Exception as exc:  # reported to the test
            result["error"] = exc
        finally:
            listener.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return listener.getsockname()[1], t, result


def test_server_answers_a_stdlib_ssl_client(server_ctx):
    def echo(tls):
        data = tls.recv(1024)
        tls.sendall(data[::-1])
        return tls.version(), tls.getpeercert()

    port, t, result = _serve_once(server_ctx, echo)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with stdlib_client_ctx().wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"stdlib to ferrotls")
            assert tls.recv(1024) == b"sltorref ot bildts"
            assert tls.getpeercert()["serialNumber"] == "3001"
    t.join(10)
    assert result.get("value") == ("TLSv1.2", None)  # no client certificate was asked for


def test_server_sees_the_alert_of_a_stdlib_client_that_distrusts_it(server_ctx):
    port, t, result = _serve_once(server_ctx, lambda tls: tls.recv(10))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with pytest.raises(ssl.SSLCertVerificationError):
            stdlib_client_ctx("untrusted-ca.pem").wrap_socket(raw, server_hostname="localhost")
    t.join(10)
    err = result.get("error")
    assert isinstance(err, ferrotls.SSLError) and err.result == 4000  # FERROTLS_ALERT_RECEIVED
    assert "unknown_ca" in str(err) or "alert" in str(err)


def test_listening_ssl_socket_accepts_openssl_s_client(server_ctx):
    listener = server_ctx.wrap_socket(socket.create_server(("127.0.0.1", 0)), server_side=True)
    port = listener.getsockname()[1]
    client = subprocess.Popen(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", fx("ca.pem"),
                               "-verify_return_error", "-servername", "localhost", "-quiet"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    tls, _ = listener.accept()
    tls.settimeout(10)
    client.stdin.write(b"hello from s_client\n")
    client.stdin.flush()
    assert tls.recv(1024) == b"hello from s_client\n"
    tls.sendall(b"bye\n")
    tls.close()  # close_notify
    out, _ = client.communicate(timeout=10)
    assert b"bye" in out
    listener.close()


def test_asyncio_client_and_server_both_ferrotls(server_ctx, client_ctx):
    async def main():
        async def handle(reader, writer):
            data = await reader.readline()
            writer.write(b"echo: " + data)
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx,
                                                       server_hostname="localhost")
        writer.write(b"async hello\n")
        reply = await reader.read()
        assert isinstance(writer.get_extra_info("ssl_object"), ferrotls.SSLObject)
        peercert = writer.get_extra_info("peercert")
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return reply, peercert

    reply, peercert = asyncio.run(asyncio.wait_for(main(), 20))
    assert reply == b"echo: async hello\n"
    assert dict(x[0] for x in peercert["subject"])["commonName"] == "localhost"


def test_asyncio_client_against_openssl_www(openssl_www, client_ctx):
    srv = openssl_www()

    async def main():
        reader, writer = await asyncio.open_connection("localhost", srv.port, ssl=client_ctx)
        writer.write(b"GET / HTTP/1.0\r\n\r\n")
        body = await reader.read()
        writer.close()
        return body

    assert b"HTTP/1.0 200 ok" in asyncio.run(asyncio.wait_for(main(), 20))


def test_asyncio_start_tls_accepts_a_ferrotls_context(ferrotls_server, client_ctx):
    srv = ferrotls_server("--once")

    async def main():
        reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
        await writer.start_tls(client_ctx, server_hostname="localhost")  # isinstance(ctx, ssl.SSLContext)
        writer.write(b"upgraded")
        data = await reader.readexactly(8)
        writer.close()
        return data

    assert asyncio.run(asyncio.wait_for(main(), 20)) == b"upgraded"


def test_asyncio_client_refuses_wrong_host(ferrotls_server, client_ctx):
    srv = ferrotls_server("--once", chain="wrong-host-chain.pem")

    async def main():
        await asyncio.open_connection("127.0.0.1", srv.port, ssl=client_ctx, server_hostname="localhost")

    with pytest.raises(ssl.SSLCertVerificationError) as info:
        asyncio.run(asyncio.wait_for(main(), 20))
    assert info.value.verify_code == 62 and info.value.result == 6007


def _bio_pair(server_ctx, client_ctx, hostname="localhost"):
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname=hostname)
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    return client, server, (c_in, c_out, s_in, s_out)


def _pump(bios):
    c_in, c_out, s_in, s_out = bios
    s_in.write(c_out.read())
    c_in.write(s_out.read())


def _handshake(client, server, bios):
    for _ in range(10):
        done = 0
        for side in (client, server):
            try:
                side.do_handshake()
                done += 1
            except ssl.SSLWantReadError:
                pass
        _pump(bios)
        if done == 2:
            return
    raise AssertionError("handshake did not finish")


def test_memory_bio_pair_handshakes_exchanges_and_closes(server_ctx, client_ctx):
    client, server, bios = _bio_pair(server_ctx, client_ctx)
    with pytest.raises(ssl.SSLWantReadError):
        client.do_handshake()
    _handshake(client, server, bios)
    assert client.version() == server.version() == "TLSv1.3"
    assert client.cipher() == server.cipher()
    assert client.getpeercert()["subjectAltName"][0] == ("DNS", "localhost")
    assert client.write(b"over memory") == 11
    _pump(bios)
    buf = bytearray(64)
    assert server.read(64, buf) == 11 and bytes(buf[:11]) == b"over memory"
    assert server.pending() == 0
    with pytest.raises(ssl.SSLWantReadError):
        server.read()
    with pytest.raises(ssl.SSLWantReadError):
        client.unwrap()  # close_notify sent, the peer's not yet here
    _pump(bios)
    assert server.read() == b""  # the peer's close_notify
    server.unwrap()
    _pump(bios)
    client.unwrap()
    assert client.compression() is None and client.selected_alpn_protocol() is None


def test_memory_bio_detects_a_flipped_bit(server_ctx, client_ctx):
    client, server, bios = _bio_pair(server_ctx, client_ctx)
    _handshake(client, server, bios)
    client.write(b"tamper with me")
    c_in, c_out, s_in, s_out = bios
    record = bytearray(c_out.read())
    record[-1] ^= 1
    s_in.write(bytes(record))
    with pytest.raises(ferrotls.SSLError) as info:
        server.read()
    assert info.value.result == 5004  # FERROTLS_BAD_RECORD_MAC
    assert info.value.reason == "DECRYPTION_FAILED_OR_BAD_RECORD_MAC"
    assert s_out.pending > 0  # the bad_record_mac alert is queued for the peer


def test_memory_bio_eof_without_close_notify_is_ssl_eof_error(server_ctx, client_ctx):
    client, server, bios = _bio_pair(server_ctx, client_ctx)
    _handshake(client, server, bios)
    bios[2].write_eof()
    with pytest.raises(ssl.SSLEOFError):
        server.read()


def test_exceptions_subclass_the_stdlib_ones():
    assert issubclass(ferrotls.SSLError, ssl.SSLError)
    assert issubclass(ferrotls.SSLWantReadError, ssl.SSLWantReadError)
    assert issubclass(ferrotls.SSLWantWriteError, ssl.SSLWantWriteError)
    assert issubclass(ferrotls.SSLZeroReturnError, ssl.SSLZeroReturnError)
    assert issubclass(ferrotls.SSLEOFError, ssl.SSLEOFError)
    assert issubclass(ferrotls.SSLCertVerificationError, ssl.SSLCertVerificationError)
    assert isinstance(ferrotls.SSLContext(), ssl.SSLContext)


def test_result_names_match_the_header():
    import re
    header = (ROOT / "include" / "ferrotls.h").read_text()
    codes = {int(v): k for k, v in re.findall(r"FERROTLS_([A-Z0-9_]+) = (\d+),", header)
             if not k.startswith(("TLS1_", "KEY_TYPE_", "SERVER_NAME_"))}
    assert codes.items() <= ferrotls.errors.RESULT_NAMES.items(), set(codes.items()) - set(ferrotls.errors.RESULT_NAMES.items())


def test_every_header_function_has_a_ctypes_signature():
    import re
    header = (ROOT / "include" / "ferrotls.h").read_text()
    declared = set(re.findall(r"\b(ferrotls_[a-z0-9_]+)\(", header))
    signed = {name for name, _, _ in _lib._FUNCTIONS + _lib._MUTUAL_AUTH + _lib._ALPN + _lib._KEYS + _lib._KEYLOG}
    assert declared <= signed, declared - signed


def test_missing_library_error_names_every_place(monkeypatch, tmp_path):
    monkeypatch.setattr(_lib, "_candidates", lambda: [("$FERROTLS_LIBRARY", str(tmp_path / "nope.so")),
                                                      ("package copy x", None)])
    with pytest.raises(ImportError) as info:
        _lib._load()
    assert "$FERROTLS_LIBRARY: no such file" in str(info.value) and "package copy x: not found" in str(info.value)


def test_candidates_cover_env_package_build_folder_and_system():
    places = " ".join(where for where, _ in _lib._candidates())
    assert "$FERROTLS_LIBRARY" in places and "package copy" in places and "build folder" in places
    assert "system library path" in places


def test_context_settings_and_their_refusals():
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_CLIENT)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    with pytest.raises(ValueError):
        ctx.verify_mode = ssl.CERT_NONE  # while check_hostname is on, as ssl
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = 0x0304  # TLS 1.3
    assert ctx.minimum_version is ferrotls.TLSVersion.TLSv1_3
    with pytest.raises(ValueError):
        ctx.minimum_version = 0x0305  # no such version
    ctx.minimum_version = ferrotls.TLSVersion.MINIMUM_SUPPORTED
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2  # the stdlib enum works too
    assert ctx.maximum_version is ferrotls.TLSVersion.TLSv1_2
    with pytest.raises(FileNotFoundError):
        ctx.load_verify_locations(cafile="/nonexistent/ca.pem")
    with pytest.raises(ferrotls.SSLError) as info:
        ctx.load_verify_locations(cadata="not a certificate")
    assert info.value.result // 100 == 61  # FERROTLS_PEM_*
    server = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    with pytest.raises(ferrotls.SSLError):
        server.load_cert_chain(fx("server.pem"), fx("mismatched.key"))
        server.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_side=True)  # refused when built
