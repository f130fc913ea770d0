"""ferrotls as a stand-in for the standard ssl module (issue 15): the socket methods that would
bypass TLS, two threads on one socket, host names as bytes and IDNA, isinstance checks,
close_notify seen by select(), no descriptor leaks, OpenSSL's error numbers and one error text,
every SSLContext attribute working or refusing clearly, and the module's public names.

Peers are real: ferrotls servers on loopback threads, the ferrotls command, openssl s_server, and
the standard library's own ssl for the expected values."""
from __future__ import annotations

import os
import select
import socket
import ssl
import subprocess
import sys
import threading
import time
from typing import Any, Callable, List, Optional

import pytest

import ferrotls
from conftest import FERROTLS_BIN, ROOT, fx, stdlib_client_ctx


class ThreadServer:
    """One TLS connection served by `handler(tls_socket)` on a loopback thread; exceptions kept."""

    def __init__(self, ctx: Any, handler: Callable[[Any], None], wrap: bool = True) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.errors: List[BaseException] = []
        self.info: dict = {}

        def run() -> None:
            try:
                self.listener.settimeout(10)
                conn, _ = self.listener.accept()
                conn.settimeout(10)
                if wrap:
                    with ctx.wrap_socket(conn, server_side=True) as tls:
                        handler(tls)
                else:
                    with conn:
                        handler(conn)
            except BaseException as exc:  # noqa: BLE001 (reported by the test)
                self.errors.append(exc)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self) -> None:
        self.thread.join(15)
        self.listener.close()
        assert not self.thread.is_alive(), "server thread did not finish"


def server_ctx(chain: str = "server-chain.pem") -> ferrotls.SSLContext:
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(fx(chain), fx("server.key"))
    return ctx


def client_ctx(ca: str = "ca.pem") -> ferrotls.SSLContext:
    return ferrotls.create_default_context(cafile=fx(ca))


def echo(tls: Any) -> None:
    while True:
        data = tls.recv(65536)
        if not data:
            return
        tls.sendall(data)


# --- socket methods that would bypass TLS --------------------------------------------------------------

def test_sendfile_goes_through_tls(tmp_path):
    payload = os.urandom(300_000)
    path = tmp_path / "payload.bin"
    path.write_bytes(payload)
    got = bytearray()

    def receive(tls: Any) -> None:
        while len(got) < len(payload):
            data = tls.recv(65536)
            if not data:
                break
            got.extend(data)

    srv = ThreadServer(server_ctx(), receive)
    with client_ctx().wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                  server_hostname="localhost") as tls:
        with open(path, "rb") as f:
            assert tls.sendfile(f) == len(payload)
        srv.join()
    assert not srv.errors, srv.errors
    assert bytes(got) == payload


def test_message_and_datagram_calls_are_refused_as_ssl_refuses_them():
    srv = ThreadServer(server_ctx(), echo)
    with client_ctx().wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                  server_hostname="localhost") as tls:
        for call in (lambda: tls.sendmsg([b"x"]), lambda: tls.recvmsg(10), lambda: tls.recvmsg_into([bytearray(10)])):
            with pytest.raises(NotImplementedError, match="not allowed"):
                call()
        for call in (lambda: tls.recvfrom(10), lambda: tls.recvfrom_into(bytearray(10)),
                     lambda: tls.sendto(b"x", ("127.0.0.1", 9))):
            with pytest.raises(ValueError, match="not allowed"):
                call()
        with pytest.raises(NotImplementedError):
            tls.dup()
        tls.sendall(b"still fine")
        assert tls.recv(100) == b"still fine"
    srv.join()


def test_every_inherited_method_that_touches_the_socket_is_overridden():
    # Everything ssl.SSLSocket defines over socket.socket, plus the raw I/O of socket.socket.
    names = set(vars(ssl.SSLSocket)) - {"__dict__", "__doc__", "__module__", "__init__"}
    names |= {"send", "sendall", "sendfile", "sendmsg", "sendto", "recv", "recv_into", "recvfrom",
              "recvfrom_into", "recvmsg", "recvmsg_into", "settimeout", "gettimeout", "setblocking", "dup"}
    for name in sorted(names):
        ours = getattr(ferrotls.SSLSocket, name)
        assert ours is not getattr(ssl.SSLSocket, name, None), f"SSLSocket.{name} is ssl's (uses _sslobj)"
        assert ours is not getattr(socket.socket, name, None), f"SSLSocket.{name} is socket.socket's (raw)"
    for name in set(vars(ssl.SSLObject)) - {"__dict__", "__doc__", "__module__", "__init__", "__weakref__"}:
        assert getattr(ferrotls.SSLObject, name) is not getattr(ssl.SSLObject, name), f"SSLObject.{name}"


# --- two threads on one socket -----------------------------------------------------------------------

def test_a_reader_thread_and_a_writer_thread_share_one_socket(ferrotls_server):
    srv = ferrotls_server("--once")  # the ferrotls command echoes what it receives
    chunk = os.urandom(1500)
    rounds = 400
    received = bytearray()
    failures: List[BaseException] = []
    with client_ctx().wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=20),
                                  server_hostname="localhost") as tls:
        def reader() -> None:
            try:
                while len(received) < len(chunk) * rounds:
                    data = tls.recv(4096)
                    if not data:
                        break
                    received.extend(data)
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)

        def writer() -> None:
            try:
                for _ in range(rounds):
                    tls.sendall(chunk)
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)

        threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not failures, failures
    assert bytes(received) == chunk * rounds


def test_a_reader_blocked_in_recv_does_not_block_a_writer():
    hello = threading.Event()

    def server(tls: Any) -> None:
        assert tls.recv(100) == b"ping"  # sent while the client's reader waits in recv()
        tls.sendall(b"pong")
        hello.set()
        tls.recv(100)

    srv = ThreadServer(server_ctx(), server)
    with client_ctx().wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                  server_hostname="localhost") as tls:
        got: List[bytes] = []
        reader = threading.Thread(target=lambda: got.append(tls.recv(100)))
        reader.start()
        time.sleep(0.2)
        tls.sendall(b"ping")
        reader.join(5)
        assert got == [b"pong"]
    srv.join()
    assert not srv.errors, srv.errors


# --- host names ------------------------------------------------------------------------------------

def test_server_hostname_as_bytes_as_anyio_and_trio_pass_it():
    srv = ThreadServer(server_ctx(), echo)
    with client_ctx().wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                  server_hostname=b"localhost") as tls:
        assert tls.server_hostname == "localhost"
        tls.sendall(b"bytes name")
        assert tls.recv(100) == b"bytes name"
    srv.join()
    obj = client_ctx().wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname=b"localhost")
    assert obj.server_hostname == "localhost"


def test_non_ascii_server_hostname_is_sent_idna_encoded():
    seen = {}

    def server(tls: Any) -> None:
        seen["sni"] = tls._conn.server_name()
        tls.recv(10)

    srv = ThreadServer(server_ctx(), server)
    unverified = ferrotls._create_unverified_context()
    with unverified.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                server_hostname="bücher.example") as tls:
        assert tls.server_hostname == "xn--bcher-kva.example"
    srv.join()
    assert seen["sni"] == "xn--bcher-kva.example"

    srv = ThreadServer(server_ctx(), lambda tls: tls.recv(1))
    with pytest.raises(ssl.SSLCertVerificationError) as info:
        client_ctx().wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                 server_hostname="bücher.example")
    srv.join()
    assert info.value.verify_message == "Hostname mismatch, certificate is not valid for 'xn--bcher-kva.example'."
    assert client_ctx().wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="bücher.example").server_hostname \
        == "xn--bcher-kva.example"


# --- instances of ssl's classes ---------------------------------------------------------------------

def test_sockets_and_objects_are_instances_of_ssl_classes():
    srv = ThreadServer(server_ctx(), echo)
    with client_ctx().wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                  server_hostname="localhost") as tls:
        assert isinstance(tls, ssl.SSLSocket) and isinstance(tls, socket.socket)
        # httpcore's sync backend reads sock._sslobj for "ssl_object" (ALPN, TLS-in-TLS)
        assert tls._sslobj is not None and tls._sslobj.version() == "TLSv1.3"
        assert ferrotls.CHANNEL_BINDING_TYPES == []
        with pytest.raises(ValueError, match="not implemented"):
            tls.get_channel_binding("tls-unique")
    srv.join()
    obj = client_ctx().wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="localhost")
    assert isinstance(obj, ssl.SSLObject)
    with pytest.raises(TypeError):
        ferrotls.SSLSocket()
    with pytest.raises(TypeError):
        ferrotls.SSLObject()


def test_sslsocket_class_and_sslobject_class_are_used():
    class MySocket(ferrotls.SSLSocket):
        pass

    class MyObject(ferrotls.SSLObject):
        pass

    ctx = client_ctx()
    ctx.sslsocket_class = MySocket
    ctx.sslobject_class = MyObject
    srv = ThreadServer(server_ctx(), echo)
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                         server_hostname="localhost") as tls:
        assert type(tls) is MySocket
    srv.join()
    assert type(ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="localhost")) is MyObject
    ctx.sslsocket_class = ssl.SSLSocket  # the stdlib's would run OpenSSL on our context: refused
    with pytest.raises(TypeError, match="sslsocket_class"):
        ctx.wrap_socket(socket.socket(), server_hostname="localhost")


# --- close_notify behind data ------------------------------------------------------------------------

def test_close_notify_arriving_with_data_leaves_the_socket_readable():
    # The server writes its data record and its close_notify in one send(): one TCP segment.
    def server(raw: socket.socket) -> None:
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = server_ctx().wrap_bio(incoming, outgoing, server_side=True)
        while True:
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                raw.sendall(outgoing.read())
                incoming.write(raw.recv(65536))
        raw.sendall(outgoing.read())
        obj.write(b"last words")
        try:
            obj.unwrap()
        except ssl.SSLWantReadError:
            pass
        raw.sendall(outgoing.read())  # data + close_notify together
        raw.settimeout(10)
        raw.recv(100)  # wait for the client's close_notify

    srv = ThreadServer(None, server, wrap=False)
    with client_ctx().wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                  server_hostname="localhost") as tls:
        time.sleep(0.2)  # both records are in the kernel
        assert tls.recv(1024) == b"last words"
        readable, _, _ = select.select([tls], [], [], 2)
        assert readable == [tls], "select() must still see the close_notify"
        assert tls.recv(1024) == b""
    srv.join()
    assert not srv.errors, srv.errors


# --- descriptors and errors -----------------------------------------------------------------------

def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_failed_handshakes_close_their_sockets(openssl_www):
    srv = openssl_www()
    ctx = client_ctx()
    before = open_fds()
    kept = []  # a program that logs or keeps its exceptions keeps their tracebacks alive
    for _ in range(20):
        raw = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        with pytest.raises(ssl.SSLCertVerificationError) as info:
            ctx.wrap_socket(raw, server_hostname="wrong.example")
        kept.append(info.value)
        assert raw.fileno() == -1  # taken over, then closed
    assert open_fds() == before


def stdlib_verdict(chain: str, host: str = "localhost", ca: str = "ca.pem") -> ssl.SSLCertVerificationError:
    """What the standard library's ssl reports for the same server."""
    srv = ThreadServer(server_ctx(chain), lambda tls: tls.recv(1))
    try:
        with pytest.raises(ssl.SSLCertVerificationError) as info:
            stdlib_client_ctx(ca).wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                              server_hostname=host)
    finally:
        srv.join()
    return info.value


def ferrotls_verdict(chain: str, host: str = "localhost", ca: str = "ca.pem") -> ferrotls.SSLCertVerificationError:
    srv = ThreadServer(server_ctx(chain), lambda tls: tls.recv(1))
    try:
        with pytest.raises(ferrotls.SSLCertVerificationError) as info:
            client_ctx(ca).wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                                       server_hostname=host)
    finally:
        srv.join()
    return info.value


@pytest.fixture(scope="module")
def root_in_chain(tmp_path_factory):
    path = tmp_path_factory.mktemp("chains") / "root-in-chain.pem"
    path.write_text(open(fx("server-chain.pem")).read() + open(fx("ca.pem")).read())
    return str(path)


@pytest.mark.parametrize("case", ["expired", "self-signed leaf", "self-signed root", "unknown issuer",
                                  "wrong host", "wrong IP"])
def test_verify_code_and_message_are_openssls(case, root_in_chain):
    chain, host, ca = {
        "expired": ("expired-chain.pem", "localhost", "ca.pem"),
        "self-signed leaf": ("self-signed-leaf.pem", "localhost", "ca.pem"),
        "self-signed root": (root_in_chain, "localhost", "untrusted-ca.pem"),
        "unknown issuer": ("server-chain.pem", "localhost", "untrusted-ca.pem"),
        "wrong host": ("server-chain.pem", "wrong.example", "ca.pem"),
        "wrong IP": ("server-chain.pem", "127.0.0.2", "ca.pem"),
    }[case]
    want = stdlib_verdict(chain, host, ca)
    got = ferrotls_verdict(chain, host, ca)
    assert (got.verify_code, got.verify_message) == (want.verify_code, want.verify_message)
    assert (got.errno, got.library, got.reason) == (want.errno, want.library, want.reason) \
        == (ssl.SSL_ERROR_SSL, "SSL", "CERTIFICATE_VERIFY_FAILED")
    assert str(got).startswith("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ")


def test_error_text_is_said_once():
    err = ferrotls_verdict("server-chain.pem", ca="untrusted-ca.pem")
    text = str(err)
    assert text.count("no path to a trusted CA") == 1, text
    assert text.count("unknown issuer") == 1, text
    assert "(sent alert unknown_ca)" in text


def cli_server_error(servers_fixture: Any, *args: str) -> str:
    """The line the ferrotls command prints when it refuses a client."""
    deadline = time.time() + 10
    while time.time() < deadline:
        line = next((ln for ln in servers_fixture.lines if "error:" in ln), None)
        if line:
            return line.split(": ", 3)[-1].strip()
        time.sleep(0.05)
    raise AssertionError("the ferrotls command printed no error:\n" + servers_fixture.output())


@pytest.mark.parametrize("case", ["suite", "version"])
def test_no_common_ground_is_said_in_the_c_apis_words(case, ferrotls_server):
    # The ferrotls command (C API words) and a ferrotls Python server refuse the same client.
    if case == "suite":
        cli = ferrotls_server("--once", "--ciphers", "AES256-SHA")
        client = client_ctx()
        client.maximum_version = ferrotls.TLSVersion.TLSv1_2  # set_ciphers names TLS 1.2 suites, as in ssl
        client.set_ciphers("AES128-SHA")
        ctx = server_ctx()
        ctx.set_ciphers("AES256-SHA")
        words, reason = "the client offered only RSA key exchange suites (AES128-SHA)", "NO_SHARED_CIPHER"
    else:
        cli = ferrotls_server("--once", "--min-version", "1.2")
        client = client_ctx()
        client.legacy = True
        client.maximum_version = ferrotls.TLSVersion.TLSv1_1
        ctx = server_ctx()
        words, reason = "no common protocol version", "UNSUPPORTED_PROTOCOL"
    with pytest.raises(ferrotls.SSLError) as at_client:
        client.wrap_socket(socket.create_connection(("127.0.0.1", cli.port), timeout=10), server_hostname="localhost")
    assert at_client.value.reason.endswith("_ALERT_" + ("HANDSHAKE_FAILURE" if case == "suite" else "PROTOCOL_VERSION"))
    cli_text = cli_server_error(cli)
    assert words in cli_text

    srv = ThreadServer(ctx, lambda tls: tls.recv(1))
    with pytest.raises(ferrotls.SSLError):
        client.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10), server_hostname="localhost")
    srv.join()
    (err,) = srv.errors
    assert isinstance(err, ferrotls.SSLError) and err.reason == reason
    assert str(err) == f"[SSL: {reason}] {cli_text} (sent alert " + \
        ("handshake_failure)" if case == "suite" else "protocol_version)")


# --- SSLContext attributes ---------------------------------------------------------------------------

def test_unsupported_features_say_why():
    server = server_ctx()
    client = client_ctx()
    server.set_servername_callback(lambda *a: None)  # test_modern.py: the callback at work
    server.sni_callback = None  # clearing it is fine
    server.set_servername_callback(None)
    assert server.sni_callback is None
    # num_tickets: test_session13.py.
    server.set_ecdh_curve("prime256v1")  # as ssl; unknown names are ValueError, as ssl
    with pytest.raises(ValueError, match="brainpool"):
        server.set_ecdh_curve("brainpoolP256r1")
    with pytest.raises(NotImplementedError, match="DHE"):
        server.load_dh_params(fx("ca.pem"))
    with pytest.raises(NotImplementedError, match="set_alpn_protocols"):
        client.set_npn_protocols(["http/1.1"])
    assert client.security_level == 2
    client.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN  # what Python 3.13 sets
    assert client.verify_flags & ssl.VERIFY_X509_STRICT
    with pytest.raises(NotImplementedError, match="load_crl"):
        client.verify_flags = ssl.VERIFY_CRL_CHECK_LEAF
    client.hostname_checks_common_name = False  # what the default profile does
    with pytest.raises(NotImplementedError, match="legacy"):
        client.hostname_checks_common_name = True
    client.legacy = True
    assert client.security_level == 0
    client.minimum_version = ssl.TLSVersion.TLSv1_3
    client.maximum_version = ssl.TLSVersion.TLSv1_3
    with pytest.raises(ValueError, match="SSL 3.0"):
        client.minimum_version = ssl.TLSVersion.SSLv3


def test_get_ciphers_lists_what_the_client_hello_offers(openssl_www):
    ctx = client_ctx()
    # The TLS 1.3 suites first, as OpenSSL lists them; then the 1.2 list set_ciphers changes.
    assert ctx.get_ciphers()[0]["name"] == "TLS_AES_256_GCM_SHA384"
    names = [c["name"] for c in ctx.get_ciphers() if c["protocol"] != "TLSv1.3"]
    # ECDHE first, AEAD before CBC, RSA key exchange after ECDHE (test_modern.py: the fields).
    assert names[0] == "ECDHE-ECDSA-AES128-GCM-SHA256" and names.index("AES128-SHA") > names.index("ECDHE-RSA-AES128-SHA")
    ctx.set_ciphers("AES256-SHA256:AES128-SHA")
    ciphers = [c for c in ctx.get_ciphers() if c["protocol"] != "TLSv1.3"]
    assert [c["name"] for c in ciphers] == ["AES256-SHA256", "AES128-SHA"]
    assert ciphers[0]["id"] == 0x0300003D and ciphers[0]["symmetric"] == "aes-256-cbc" and not ciphers[0]["aead"]
    srv = openssl_www()
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2  # the list is TLS 1.2's, as set_ciphers in ssl
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                         server_hostname="localhost") as tls:
        assert tls.cipher()[0] in ("AES256-SHA256", "AES128-SHA")


def test_session_stats_count_handshakes():
    sctx = server_ctx()
    cctx = client_ctx()
    for _ in range(2):
        srv = ThreadServer(sctx, echo)
        with cctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=10),
                              server_hostname="localhost") as tls:
            tls.sendall(b"x")
            tls.recv(1)
        srv.join()
    assert cctx.session_stats()["connect"] == 2 and cctx.session_stats()["connect_good"] == 2
    stats = sctx.session_stats()
    assert stats["accept"] == 2 and stats["accept_good"] == 2 and stats["misses"] == 2
    assert set(stats) >= set(ssl.create_default_context().session_stats())


def test_get_ca_certs_lists_the_loaded_cas():
    ctx = client_ctx()
    (ca,) = ctx.get_ca_certs()
    assert dict(x[0] for x in ca["subject"])["commonName"] == "ferrotls demo CA"
    der = ctx.get_ca_certs(binary_form=True)[0]
    assert ferrotls.DER_cert_to_PEM_cert(der).strip() == open(fx("ca.pem")).read().strip()
    assert ctx.cert_store_stats()["x509_ca"] == 1


# --- module names and packaging --------------------------------------------------------------------

def test_every_public_name_of_ssl_exists():
    missing = [n for n in dir(ssl) if not n.startswith("_") and not hasattr(ferrotls, n)
               and not isinstance(getattr(ssl, n), type(os))]  # modules ssl imported
    assert missing == []
    for name in ("_create_default_https_context", "_create_unverified_context"):
        assert callable(getattr(ferrotls, name))
    assert ferrotls.HAS_SNI and ferrotls.HAS_ALPN and ferrotls.HAS_TLSv1_3 and not ferrotls.HAS_ECDH
    assert ferrotls.OPENSSL_VERSION.startswith("ferrotls ")
    assert ferrotls.OPENSSL_VERSION_INFO >= (1, 1, 1)
    pem = open(fx("ca.pem")).read()
    assert ferrotls.DER_cert_to_PEM_cert(ferrotls.PEM_cert_to_DER_cert(pem)).strip() == pem.strip()
    paths = ferrotls.get_default_verify_paths()
    assert paths.openssl_cafile_env == "SSL_CERT_FILE" and paths.openssl_capath_env == "SSL_CERT_DIR"
    assert ferrotls.CERT_REQUIRED is ssl.CERT_REQUIRED and ferrotls.OP_NO_COMPRESSION == ssl.OP_NO_COMPRESSION
    assert len(ferrotls.RAND_bytes(16)) == 16 and ferrotls.RAND_status()


def test_import_ferrotls_as_ssl_runs_a_program_written_for_ssl(openssl_www):
    srv = openssl_www()
    program = f"""
import socket
import ferrotls as ssl
ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile={fx('ca.pem')!r})
ctx.options |= ssl.OP_NO_COMPRESSION
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
assert ssl.HAS_SNI and ctx.verify_mode == ssl.CERT_REQUIRED
with socket.create_connection(("127.0.0.1", {srv.port})) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
        pem = ssl.DER_cert_to_PEM_cert(tls.getpeercert(True))
        tls.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
        print(tls.version(), pem.splitlines()[0], b"200 ok" in tls.recv(4096).lower())
"""
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["TLSv1.3", "-----BEGIN", "CERTIFICATE-----", "True"]


def test_ferrotls_library_pointing_at_a_missing_file_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "libferrotls.so"
    env = dict(os.environ, FERROTLS_LIBRARY=str(missing))
    out = subprocess.run([sys.executable, "-c", "import ferrotls"], capture_output=True, text=True, env=env, timeout=30)
    assert out.returncode != 0
    assert f"FERROTLS_LIBRARY={missing}: no such file" in out.stderr


def test_python_m_ferrotls_prints_version_and_library():
    env = {k: v for k, v in os.environ.items() if k != "FERROTLS_LIBRARY"}
    out = subprocess.run([sys.executable, "-m", "ferrotls"], capture_output=True, text=True, env=env, timeout=30)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == f"ferrotls {ferrotls.__version__}"
    library = lines[1].removeprefix("library: ")
    assert os.path.isfile(library) and library == ferrotls.LIBRARY_PATH
    other = str(ROOT / "target" / "release" / "libferrotls.so")
    if os.path.isfile(other):  # FERROTLS_LIBRARY is the one in use when set
        out = subprocess.run([sys.executable, "-m", "ferrotls"], capture_output=True, text=True,
                             env=dict(env, FERROTLS_LIBRARY=other), timeout=30)
        assert out.stdout.splitlines()[1] == f"library: {other}"


def test_wheel_carries_the_library(tmp_path):
    pkg = ROOT / "bindings" / "python"
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(tmp_path), str(pkg)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("ferrotls-*.whl")
    import zipfile
    names = zipfile.ZipFile(wheel).namelist()
    assert "ferrotls/libferrotls.so" in names and "ferrotls/__main__.py" in names
