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


# --- cipher suites: the fields ssl reports, OpenSSL strings ------------------------------------------

CIPHER_STRINGS = ["DEFAULT", "ECDHE+AESGCM", "HIGH:!RSA", "aECDSA", "kRSA", "AES128-SHA256:AES256-SHA",
                  "ECDHE+CHACHA20:ECDHE+AES256", "AESGCM:!kRSA", "ALL:!SHA1"]


@pytest.mark.parametrize("cipher_string", CIPHER_STRINGS)
def test_get_ciphers_after_set_ciphers_matches_stdlib(cipher_string):
    ours = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_CLIENT)
    ours.set_ciphers(cipher_string)
    std = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    std.set_ciphers(cipher_string)
    mine = [d for d in ours.get_ciphers() if d["protocol"] != "TLSv1.3"]
    # ssl's selection, restricted to the suites ferrotls implements (no DHE, CCM, ARIA, ...).
    known = {d["name"] for d in ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_CLIENT).get_ciphers()}
    theirs = [d for d in std.get_ciphers() if d["name"] in known and d["protocol"] != "TLSv1.3"]
    assert mine, cipher_string
    # Same suites with the same fields; the order is the ClientHello's (the library's preference).
    assert sorted(mine, key=lambda d: d["id"]) == sorted(theirs, key=lambda d: d["id"])


def test_set_ciphers_that_selects_nothing_is_refused_as_ssl_refuses_it():
    ctx = ferrotls.SSLContext(ferrotls.PROTOCOL_TLS_CLIENT)
    with pytest.raises(ssl.SSLError, match="No cipher can be selected"):
        ctx.set_ciphers("CAMELLIA:!ALL")
    with pytest.raises(ssl.SSLError, match="No cipher can be selected"):
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).set_ciphers("CAMELLIA:!ALL")
    with pytest.raises(TypeError):
        ctx.set_ciphers(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("suite", ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305",
                                   "ECDHE-RSA-AES256-SHA", "AES256-GCM-SHA384", "AES128-SHA"])
def test_cipher_is_what_the_stdlib_peer_reports_both_ways(suite):
    # ferrotls client -> ssl server
    std = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    std.maximum_version = ssl.TLSVersion.TLSv1_2
    std.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    std.set_ciphers("ALL")  # ssl's server default has no SHA-1 suites and no RSA key exchange
    srv = ThreadServer(std, lambda tls: (srv.info.update(cipher=tls.cipher()), echo(tls)))
    client = ferrotls.create_default_context(cafile=fx("ca.pem"))
    client.set_ciphers(suite)
    with connect(client, srv.port) as tls:
        talk(tls)
        mine = tls.cipher()
    srv.join()
    assert mine == srv.info["cipher"] and mine[0] == suite
    # ssl client -> ferrotls server
    srv = ThreadServer(ferro_server(), lambda tls: (srv.info.update(cipher=tls.cipher()), echo(tls)))
    client2 = std_client()
    client2.set_ciphers(suite)
    with connect(client2, srv.port) as tls:
        talk(tls)
        theirs = tls.cipher()
    srv.join()
    assert not srv.errors and srv.info["cipher"] == theirs


def test_shared_ciphers_on_a_server_are_those_both_sides_allow():
    def run(server_ctx: Any) -> Any:
        srv = ThreadServer(server_ctx, lambda tls: (srv.info.update(shared=tls.shared_ciphers()), echo(tls)))
        client = std_client()
        client.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA")
        with connect(client, srv.port) as tls:
            talk(tls)
            assert tls.shared_ciphers() is None  # a client's: None, as ssl
        srv.join()
        assert not srv.errors
        return srv.info["shared"]

    ours = ferro_server()
    ours.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:AES128-SHA:AES256-SHA")
    shared = run(ours)
    # The ECDSA suite is allowed by both, though this server has no ECDSA certificate (OpenSSL
    # lists it too); DHE and AES128-SHA are not on both sides.
    assert shared == [("ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2", 128),
                      ("ECDHE-ECDSA-AES256-GCM-SHA384", "TLSv1.2", 256), ("AES256-SHA", "SSLv3", 256)]
    std = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    std.maximum_version = ssl.TLSVersion.TLSv1_2
    std.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:AES128-SHA:AES256-SHA")
    std.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    assert sorted(run(std)) == sorted(shared)


# --- certificates, groups, tickets -------------------------------------------------------------------

@pytest.mark.parametrize("leaf,ca", [("ecdsa-p256-leaf", "ecdsa-p256-ca"), ("ecdsa-p384-leaf", "ecdsa-p384-ca"),
                                     ("ed25519-leaf", "ed25519-ca")])
def test_default_stdlib_client_accepts_a_ferrotls_server_with_an_ecdsa_or_ed25519_certificate(leaf, ca):
    srv = ThreadServer(ferro_server(f"{leaf}.pem", f"{leaf}.key"), echo)
    with connect(std_client(f"{ca}.pem"), srv.port) as tls:
        talk(tls)
        assert tls.version() == "TLSv1.2"
        assert tls.cipher()[0].startswith("ECDHE-ECDSA-")
    srv.join()
    assert not srv.errors


def test_rsa_and_ecdsa_loaded_side_by_side_serve_what_each_client_can_use():
    ctx = ferro_server()
    ctx.load_cert_chain(fx("ecdsa-p256-leaf.pem"), fx("ecdsa-p256-leaf.key"))
    for suite, ca, kind in (("ECDHE-RSA-AES128-GCM-SHA256", "ca.pem", "RSA"),
                            ("ECDHE-ECDSA-AES128-GCM-SHA256", "ecdsa-p256-ca.pem", "ECDSA")):
        srv = ThreadServer(ctx, echo)
        client = std_client(ca)
        client.set_ciphers(suite)
        with connect(client, srv.port) as tls:
            talk(tls)
            assert tls.cipher()[0] == suite, kind
        srv.join()
        assert not srv.errors


def test_set_ecdh_curve_is_kept_and_a_mismatch_says_group():
    std = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    std.maximum_version = ssl.TLSVersion.TLSv1_2
    std.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    std.set_ecdh_curve("secp384r1")
    std.set_ciphers("ECDHE")
    client = ferrotls.create_default_context(cafile=fx("ca.pem"))
    client.set_ecdh_curve("secp384r1")
    srv = ThreadServer(std, echo)
    with connect(client, srv.port) as tls:
        talk(tls)
    srv.join()
    assert not srv.errors
    # The tampering twin: a client with only P-256 and a server with only P-384 and ECDHE.
    client.set_ecdh_curve("prime256v1")
    srv = ThreadServer(std, echo)
    with pytest.raises(ssl.SSLError):
        connect(client, srv.port)
    srv.join()
    # ferrotls as the server says which group was missing, in the core's words.
    ours = ferro_server()
    ours.set_ecdh_curve("secp384r1")
    ours.set_ciphers("ECDHE")
    srv = ThreadServer(ours, echo)
    std_c = std_client()
    std_c.set_ecdh_curve("prime256v1")
    with pytest.raises(ssl.SSLError):
        connect(std_c, srv.port)
    srv.join()
    (err,) = srv.errors
    assert isinstance(err, ferrotls.SSLError) and "group" in str(err), str(err)
    assert err.reason == "NO_SHARED_CIPHER"


def test_sessions_resume_by_ticket_with_stdlib_peers_both_ways():
    # ferrotls client -> ssl server (which issues RFC 5077 tickets at TLS 1.2)
    std = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    std.maximum_version = ssl.TLSVersion.TLSv1_2
    std.load_cert_chain(fx("server-chain.pem"), fx("server.key"))
    client = ferrotls.create_default_context(cafile=fx("ca.pem"))
    reused = []
    session = None
    for _ in range(2):
        srv = ThreadServer(std, lambda tls: (echo(tls), srv.info.update(reused=tls.session_reused)))
        with connect(client, srv.port, session=session) as tls:
            talk(tls)
            session = tls.session
            reused.append(tls.session_reused)
        srv.join()
        assert not srv.errors and srv.info["reused"] == reused[-1]
    assert reused == [False, True] and session.has_ticket
    # The tampering twin: with OP_NO_TICKET on the ssl server the ticket is not accepted... and
    # without a cache entry the server does a full handshake.
    std.options |= ssl.OP_NO_TICKET
    std_fresh = std
    srv = ThreadServer(std_fresh, echo)
    ferro_no_ticket = ferrotls.create_default_context(cafile=fx("ca.pem"))
    ferro_no_ticket.options |= ssl.OP_NO_TICKET
    with connect(ferro_no_ticket, srv.port) as tls:
        talk(tls)
        assert not tls.session.has_ticket
    srv.join()

    # ssl client -> ferrotls server
    ours = ferro_server()
    stdc = std_client()
    reused, session = [], None
    for _ in range(2):
        srv = ThreadServer(ours, lambda tls: (echo(tls), srv.info.update(reused=tls.session_reused)))
        with connect(stdc, srv.port, session=session) as tls:
            talk(tls)
            session = tls.session
            reused.append(tls.session_reused)
        srv.join()
        assert not srv.errors and srv.info["reused"] == reused[-1]
    assert reused == [False, True] and session.has_ticket
    assert ours.session_stats()["hits"] == 1


def test_no_common_suite_is_said_in_the_cores_words():
    srv = ThreadServer(ferro_server(), echo)  # an RSA certificate only
    client = ferrotls.create_default_context(cafile=fx("ecdsa-p256-ca.pem"))
    client.maximum_version = ferrotls.TLSVersion.TLSv1_2  # set_ciphers names TLS 1.2 suites, as in ssl
    client.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256")
    with pytest.raises(ferrotls.SSLError) as at_client:
        connect(client, srv.port)
    srv.join()
    (err,) = srv.errors
    assert "ECDSA" in str(err) and "certificate" in str(err), str(err)
    assert "HANDSHAKE_FAILURE" in str(at_client.value)
