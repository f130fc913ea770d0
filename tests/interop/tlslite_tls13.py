"""A tlslite-ng TLS 1.3-only peer for tests/interop_tls13_peers.rs: one connection, then exit.

    tlslite_tls13.py server PORT CHAIN KEY GROUPS     echo one read back; print "echoed N CIPHER"
    tlslite_tls13.py client PORT GROUPS SHARES [COOKIE]
                                                      send "tlslite13\\n"; print "got ... CIPHER"

GROUPS and SHARES are comma-separated tlslite names (x25519, secp256r1, secp384r1): the groups
offered or accepted and, for the client, those it sends key shares for. A tlslite server that
needs another share sends a HelloRetryRequest with a cookie and checks that it comes back.
COOKIE makes the client misbehave after a HelloRetryRequest with a cookie: "drop" leaves the
cookie out of the second ClientHello, "alter" flips its last bit (RFC 8446 §4.2.2 says copy it).

serve() and connect() are shared with tlslite_mlkem.py.
"""
import socket
import sys

from tlslite.api import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey


def settings(groups, shares=None):
    s = HandshakeSettings()
    s.minVersion = s.maxVersion = (3, 4)
    s.eccCurves = groups.split(",")
    s.keyShares = shares.split(",") if shares else []
    return s


def serve(port, chain_file, key_file, hs_settings):
    """Accept one connection, echo one read back; print "listening", then "echoed N CIPHER"."""
    chain = X509CertChain()
    chain.parsePemList(open(chain_file).read())
    key = parsePEMKey(open(key_file).read(), private=True)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    print("listening", flush=True)
    srv.settimeout(30)
    sock, _ = srv.accept()
    sock.settimeout(30)
    conn = TLSConnection(sock)
    conn.handshakeServer(certChain=chain, privateKey=key, settings=hs_settings)
    data = conn.read()
    conn.write(data)
    print("echoed", len(data), conn.getCipherName(), flush=True)
    conn.close()


def connect(port, hs_settings, message):
    """Connect, send `message`, print "got REPLY CIPHER"."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn = TLSConnection(sock)
    conn.handshakeClientCert(settings=hs_settings, serverName="localhost")
    conn.write(message)
    print("got", conn.read().decode().strip(), conn.getCipherName(), flush=True)
    conn.close()


def tamper_with_hrr_cookie(mode):
    """tlslite copies the HelloRetryRequest's cookie from ServerHello.getExtension (into the
    second ClientHello); answer that lookup with no cookie or a changed one."""
    from tlslite.constants import ExtensionType
    from tlslite.extensions import TLSExtension
    from tlslite.messages import ServerHello

    original = ServerHello.getExtension

    def get_extension(self, ext_type):
        ext = original(self, ext_type)
        if ext_type != ExtensionType.cookie or ext is None:
            return ext
        if mode == "drop":
            return None
        data = bytearray(ext.extData)
        data[-1] ^= 1
        return TLSExtension(extType=ExtensionType.cookie).create(data)

    ServerHello.getExtension = get_extension


def main():
    role, port = sys.argv[1], int(sys.argv[2])
    if role == "server":
        serve(port, sys.argv[3], sys.argv[4], settings(sys.argv[5]))
    else:
        if len(sys.argv) > 5:
            tamper_with_hrr_cookie(sys.argv[5])
        connect(port, settings(sys.argv[3], sys.argv[4]), b"tlslite13\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
