#!/usr/bin/env python3
"""A TLS peer for the interop tests, on Python's ssl module or on tlslite-ng.

    tls_peer.py {ssl|tlslite} server --cert PEM --key PEM [--port N] [options]
    tls_peer.py {ssl|tlslite} client --connect HOST:PORT [--cafile PEM] [--servername NAME]
                               --infile F --outfile F [options]
    options: --version 1.0|1.1|1.2|1.3  --cipher OPENSSL-NAME  --no-ems  --no-etm

The server prints `listening on HOST:PORT` once it listens, serves one connection (echoing everything until
the client's close_notify, then answering with its own), and prints one JSON line describing the connection.
The client sends --infile, reads the echo until it has as many bytes, sends close_notify, waits for the
server's, writes what it received to --outfile and prints one JSON line. Exit 0 on success, 1 with a reason.
Run `ssl` with the system python3 and `tlslite` with the venv's python (tlslite-ng installed by make deps).
"""
import argparse
import json
import socket
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)  # ssl.TLSVersion.TLSv1 and friends

SUITES = {  # IANA value -> (OpenSSL name, IANA name)
    0x0004: ("RC4-MD5", "TLS_RSA_WITH_RC4_128_MD5"),
    0x0005: ("RC4-SHA", "TLS_RSA_WITH_RC4_128_SHA"),
    0x000A: ("DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
    0x002F: ("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
    0x0035: ("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
    0x003C: ("AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"),
    0x003D: ("AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256"),
    0x009C: ("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
    0x009D: ("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
    0xC009: ("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
    0xC00A: ("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
    0xC013: ("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
    0xC014: ("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
    0xC023: ("ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
    0xC024: ("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
    0xC027: ("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
    0xC028: ("ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
    0xC02B: ("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
    0xC02C: ("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
    0xC02F: ("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
    0xC030: ("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
    0xCCA8: ("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    0xCCA9: ("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
}
IANA_BY_OPENSSL = {o: i for (o, i) in SUITES.values()}
# tlslite-ng names: (cipherNames, macNames, keyExchangeNames)
TLSLITE_CIPHER = {
    "AES128-SHA": ("aes128", "sha", "rsa"), "AES256-SHA": ("aes256", "sha", "rsa"),
    "AES128-SHA256": ("aes128", "sha256", "rsa"), "AES256-SHA256": ("aes256", "sha256", "rsa"),
    "DES-CBC3-SHA": ("3des", "sha", "rsa"), "RC4-SHA": ("rc4", "sha", "rsa"), "RC4-MD5": ("rc4", "md5", "rsa"),
    "AES128-GCM-SHA256": ("aes128gcm", "aead", "rsa"), "AES256-GCM-SHA384": ("aes256gcm", "aead", "rsa"),
}
for _kx in ("RSA", "ECDSA"):
    TLSLITE_CIPHER.update({
        f"ECDHE-{_kx}-AES128-SHA": ("aes128", "sha", f"ecdhe_{_kx.lower()}"),
        f"ECDHE-{_kx}-AES256-SHA": ("aes256", "sha", f"ecdhe_{_kx.lower()}"),
        f"ECDHE-{_kx}-AES128-SHA256": ("aes128", "sha256", f"ecdhe_{_kx.lower()}"),
        f"ECDHE-{_kx}-AES256-SHA384": ("aes256", "sha384", f"ecdhe_{_kx.lower()}"),
        f"ECDHE-{_kx}-AES128-GCM-SHA256": ("aes128gcm", "aead", f"ecdhe_{_kx.lower()}"),
        f"ECDHE-{_kx}-AES256-GCM-SHA384": ("aes256gcm", "aead", f"ecdhe_{_kx.lower()}"),
        f"ECDHE-{_kx}-CHACHA20-POLY1305": ("chacha20-poly1305", "aead", f"ecdhe_{_kx.lower()}"),
    })
# OpenSSL group names -> tlslite-ng curve names
TLSLITE_GROUP = {"X25519": "x25519", "P-256": "secp256r1", "P-384": "secp384r1"}
VERSION_NAMES = {(3, 1): "TLSv1", (3, 2): "TLSv1.1", (3, 3): "TLSv1.2", (3, 4): "TLSv1.3"}
# OpenSSL 3 option bits that Python's ssl module has no name for.
SSL_OP_NO_EXTENDED_MASTER_SECRET = 1 << 0
SSL_OP_NO_ENCRYPT_THEN_MAC = 1 << 19


def fail(msg):
    print(f"tls_peer: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def listen(host, port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1)
    print(f"listening on {host}:{srv.getsockname()[1]}", flush=True)
    return srv


def report(**kw):
    print(json.dumps(kw), flush=True)


# ---------------------------------------------------------------- Python ssl (OpenSSL underneath)
def ssl_context(args, server):
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
    if args.version:
        v = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1, "1.2": ssl.TLSVersion.TLSv1_2,
             "1.3": ssl.TLSVersion.TLSv1_3}
        ctx.minimum_version = ctx.maximum_version = v[args.version]
    else:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    # SECLEVEL=0: OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1 signatures) at the default level.
    ctx.set_ciphers((args.cipher or "AES128-SHA:AES256-SHA:AES128-SHA256:AES256-SHA256") + ":@SECLEVEL=0")
    if args.no_ems:
        ctx.options |= SSL_OP_NO_EXTENDED_MASTER_SECRET
    if args.no_etm:
        ctx.options |= SSL_OP_NO_ENCRYPT_THEN_MAC
    if server:
        ctx.load_cert_chain(args.cert, args.key)
    elif args.cafile:
        ctx.load_verify_locations(args.cafile)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def ssl_describe(tls):
    name = tls.cipher()[0]
    return {"version": tls.version(), "cipher": IANA_BY_OPENSSL.get(name, name)}


def ssl_server(args):
    import ssl
    ctx = ssl_context(args, True)
    srv = listen(args.host, args.port)
    sock, _ = srv.accept()
    sock.settimeout(args.timeout)
    tls = ctx.wrap_socket(sock, server_side=True, suppress_ragged_eofs=False)
    total, closed = 0, "close_notify"
    try:
        while True:
            data = tls.recv(65536)
            if not data:
                break
            total += len(data)
            tls.sendall(data)
    except ssl.SSLEOFError:
        closed = "eof"
    info = ssl_describe(tls)
    if closed == "close_notify":
        tls.unwrap()
    report(received=total, closed=closed, **info)
    return 0 if closed == "close_notify" else 1


def ssl_client(args):
    ctx = ssl_context(args, False)
    host, port = args.connect.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=args.timeout)
    tls = ctx.wrap_socket(sock, server_hostname=args.servername or host, suppress_ragged_eofs=False)
    return client_exchange(args, tls.sendall, lambda: tls.recv(65536), tls.unwrap, lambda: ssl_describe(tls))


# ---------------------------------------------------------------- tlslite-ng (pure Python)
def tlslite_settings(args):
    from tlslite.api import HandshakeSettings
    s = HandshakeSettings()
    v = {"1.0": (3, 1), "1.1": (3, 2), "1.2": (3, 3), "1.3": (3, 4)}
    s.minVersion = v[args.version] if args.version else (3, 1)
    s.maxVersion = v[args.version] if args.version else (3, 3)
    s.keyExchangeNames = ["rsa"]
    if args.cipher:
        c, m, kx = TLSLITE_CIPHER[args.cipher]
        s.cipherNames, s.macNames, s.keyExchangeNames = [c], [m], [kx]
    if args.group:
        s.eccCurves = [TLSLITE_GROUP[g] for g in args.group.split(":")]
        s.defaultCurve = s.eccCurves[0]
        s.keyShares = list(s.eccCurves)  # TLS 1.3 key shares must be among the enabled groups
    s.useExtendedMasterSecret = not args.no_ems
    s.requireExtendedMasterSecret = False
    s.useEncryptThenMAC = not args.no_etm
    return s


def tlslite_describe(conn):
    suite = SUITES.get(conn.session.cipherSuite, ("?", hex(conn.session.cipherSuite)))
    return {"version": VERSION_NAMES.get(conn.version, str(conn.version)), "cipher": suite[1],
            "ems": bool(getattr(conn, "extendedMasterSecret", False)),
            # The connection object has no encryptThenMAC attribute; the session records what
            # was negotiated.
            "etm": bool(getattr(conn.session, "encryptThenMAC", False))}


def tlslite_server(args):
    from tlslite.api import TLSConnection, X509CertChain, parsePEMKey
    chain = X509CertChain()
    chain.parsePemList(open(args.cert).read())
    key = parsePEMKey(open(args.key).read(), private=True)
    srv = listen(args.host, args.port)
    sock, _ = srv.accept()
    sock.settimeout(args.timeout)
    conn = TLSConnection(sock)
    conn.handshakeServer(certChain=chain, privateKey=key, settings=tlslite_settings(args))
    total, closed = 0, "close_notify"
    try:
        while True:
            data = conn.read()
            if not data:
                break
            total += len(data)
            conn.write(data)
    except Exception as e:  # tlslite raises TLSAbruptCloseError on EOF without close_notify
        closed = f"eof ({type(e).__name__})"
    info = tlslite_describe(conn)
    if closed == "close_notify":
        conn.close()
    report(received=total, closed=closed, **info)
    return 0 if closed == "close_notify" else 1


def tlslite_client(args):
    from tlslite.api import TLSConnection
    host, port = args.connect.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=args.timeout)
    conn = TLSConnection(sock)
    name = args.servername or host
    if name.replace(".", "").isdigit():  # tlslite accepts only DNS names for SNI
        name = None
    conn.handshakeClientCert(settings=tlslite_settings(args), serverName=name)
    return client_exchange(args, conn.write, conn.read, conn.close, lambda: tlslite_describe(conn))


# ---------------------------------------------------------------- shared client logic
def client_exchange(args, send, recv, close, describe):
    payload = open(args.infile, "rb").read()
    send(payload)
    got = bytearray()
    while len(got) < len(payload):
        data = recv()
        if not data:
            break
        got += data
    info = describe()
    close()  # sends close_notify and waits for the server's
    open(args.outfile, "wb").write(bytes(got))
    report(sent=len(payload), received=len(got), **info)
    return 0 if len(got) == len(payload) else 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("backend", choices=["ssl", "tlslite"])
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--connect")
    p.add_argument("--cafile")
    p.add_argument("--servername")
    p.add_argument("--infile")
    p.add_argument("--outfile")
    p.add_argument("--version", choices=["1.0", "1.1", "1.2", "1.3"])
    p.add_argument("--cipher")
    p.add_argument("--group", help="tlslite only: the ECDHE groups, colon-separated (X25519, P-256, P-384)")
    p.add_argument("--no-ems", action="store_true")
    p.add_argument("--no-etm", action="store_true")
    p.add_argument("--timeout", type=float, default=60.0)
    args = p.parse_args()
    fn = {("ssl", "server"): ssl_server, ("ssl", "client"): ssl_client,
          ("tlslite", "server"): tlslite_server, ("tlslite", "client"): tlslite_client}[(args.backend, args.role)]
    try:
        sys.exit(fn(args))
    except SystemExit:
        raise
    except Exception as e:  # one-line reason, like the ferrotls command
        fail(f"{type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
