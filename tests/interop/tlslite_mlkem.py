"""A tlslite-ng TLS 1.3 peer that offers or accepts only X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem;
tlslite-ng takes its ML-KEM from kyber-py), for tests/interop_tls13_mlkem.rs.

    tlslite_mlkem.py server PORT CHAIN KEY     echo one read back, print "echoed N"
    tlslite_mlkem.py client PORT               send "pq hello\\n", print "got ..."
"""
import socket
import sys

from tlslite.api import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey


def settings():
    s = HandshakeSettings()
    s.minVersion = s.maxVersion = (3, 4)
    s.eccCurves = ["x25519mlkem768"]
    s.keyShares = ["x25519mlkem768"]
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
        conn.handshakeServer(certChain=chain, privateKey=key, settings=settings())
        data = conn.read()
        conn.write(data)
        # Only X25519MLKEM768 was offered to us or by us: a handshake means it was used.
        print("echoed", len(data), flush=True)
        conn.close()
    else:
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        conn = TLSConnection(sock)
        conn.handshakeClientCert(settings=settings(), serverName="localhost")
        conn.write(b"pq hello\n")
        print("got", conn.read().decode(), flush=True)
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
