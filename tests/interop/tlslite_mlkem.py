"""A tlslite-ng TLS 1.3 peer that offers or accepts only X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem;
tlslite-ng takes its ML-KEM from kyber-py), for tests/interop_tls13_mlkem.rs.

    tlslite_mlkem.py server PORT CHAIN KEY     echo one read back, print "echoed N CIPHER"
    tlslite_mlkem.py client PORT               send "pq hello\\n", print "got ... CIPHER"

Only X25519MLKEM768 is offered to us or by us: a handshake means it was used.
"""
import sys

from tlslite_tls13 import connect, serve, settings


def main():
    role, port = sys.argv[1], int(sys.argv[2])
    pq = settings("x25519mlkem768", "x25519mlkem768")
    if role == "server":
        serve(port, sys.argv[3], sys.argv[4], pq)
    else:
        connect(port, pq, b"pq hello\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
