"""A tlslite-ng TLS 1.3-only peer for tests/interop_tls13_peers.rs: one connection, then exit.

    tlslite_tls13.py server PORT CHAIN KEY GROUPS     echo one read back; print "echoed N CIPHER"
    tlslite_tls13.py client PORT GROUPS SHARES        send "tlslite13\\n"; print "got ... CIPHER"

GROUPS and SHARES are comma-separated tlslite names (x25519, secp256r1, secp384r1): the groups
offered or accepted and, for the client, those it sends key shares for. A tlslite server that
needs another share sends a HelloRetryRequest with a cookie and checks that it comes back.
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


def main():
    role, port = sys.argv[1], int(sys.argv[2])
    if role == "server":
        chain = X509CertChain()
        chain.parsePemList(open(sys.argv[3]).read())
        key = parsePEMKey(open(sys.argv[4]).read(), private=True)
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", port))
        srv.listen(1)
        print("listening", flush=True)
        srv.settimeout(30)
        sock, _ = srv.accept()
        sock.settimeout(30)
        conn = TLSConnection(sock)
        conn.handshakeServer(certChain=chain, privateKey=key, settings=settings(sys.argv[5]))
        data = conn.read()
        conn.write(data)
        print("echoed", len(data), conn.getCipherName(), flush=True)
        conn.close()
    else:
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        conn = TLSConnection(sock)
        conn.handshakeClientCert(settings=settings(sys.argv[3], sys.argv[4]), serverName="localhost")
        conn.write(b"tlslite13\n")
        print("got", conn.read().decode().strip(), conn.getCipherName(), flush=True)
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
