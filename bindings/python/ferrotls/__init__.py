"""ferrotls for Python: the ferrotls TLS library (libferrotls, through ctypes), shaped like the
standard ``ssl`` module.

    import socket, ferrotls
    ctx = ferrotls.create_default_context(cafile="ca.pem")
    with socket.create_connection(("localhost", 4433)) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"hello"); print(tls.version(), tls.cipher(), tls.recv(1024))

Modules: ``context`` (SSLContext), ``sslsocket`` (SSLSocket), ``sslobject`` (SSLObject over
ssl.MemoryBIO), ``errors`` (exceptions), and the one-call-per-C-function layer: ``x509``,
``config``, ``connection`` over ``_lib`` (the ctypes signatures).
"""
from __future__ import annotations

from ._lib import lib as _clib
from .context import (CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER,
                      Purpose, SSLContext, TLSVersion, create_default_context)
from .errors import (CertificateError, SSLCertVerificationError, SSLEOFError, SSLError, SSLSyscallError,
                     SSLWantReadError, SSLWantWriteError, SSLZeroReturnError)
from .session import SSLSession
from .sslobject import SSLObject
from .sslsocket import SSLSocket
from .x509 import Certificate, CertChain, ClientVerifier, PrivateKey, TrustStore

MemoryBIO = __import__("ssl").MemoryBIO

#: The library's version (ferrotls_version).
__version__ = _clib.ferrotls_version().decode()
LIBRARY_VERSION = __version__

__all__ = [
    "SSLContext", "SSLSocket", "SSLObject", "SSLSession", "MemoryBIO", "TLSVersion", "Purpose", "create_default_context",
    "PROTOCOL_TLS_CLIENT", "PROTOCOL_TLS_SERVER", "CERT_NONE", "CERT_OPTIONAL", "CERT_REQUIRED",
    "SSLError", "SSLCertVerificationError", "CertificateError", "SSLZeroReturnError", "SSLWantReadError",
    "SSLWantWriteError", "SSLSyscallError", "SSLEOFError",
    "Certificate", "CertChain", "PrivateKey", "TrustStore", "ClientVerifier", "LIBRARY_VERSION",
]
