"""ferrotls for Python: the ferrotls TLS library (libferrotls, through ctypes), a stand-in for the
standard ``ssl`` module: ``import ferrotls as ssl`` gives every public name ``ssl`` has.

    import socket, ferrotls
    ctx = ferrotls.create_default_context(cafile="ca.pem")
    with socket.create_connection(("localhost", 4433)) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"hello"); print(tls.version(), tls.cipher(), tls.recv(1024))

``SSLContext``, ``SSLSocket``, ``SSLObject``, the exceptions and ``SSLSession`` are ours (and
instances of ``ssl``'s classes, so libraries that check ``isinstance(x, ssl.SSLContext)`` accept
them); constants and enums are ``ssl``'s own; the helpers that need no TLS library
(``DER_cert_to_PEM_cert``, ``cert_time_to_seconds``, ...) are ``ssl``'s functions. What each name
does here: docs/python-ssl.md. ``python -m ferrotls`` prints the version and the library in use.

Modules: ``context`` (SSLContext), ``sslsocket`` (SSLSocket), ``sslobject`` (SSLObject over
ssl.MemoryBIO), ``errors`` (exceptions), and the one-call-per-C-function layer: ``x509``,
``config``, ``connection`` over ``_lib`` (the ctypes signatures).
"""
from __future__ import annotations

import os as _os
import socket as _socket
import ssl as _ssl
from collections import namedtuple
from socket import SO_TYPE, SOCK_STREAM, SOL_SOCKET, create_connection, socket  # noqa: F401  (as ssl has them)
from ssl import (AlertDescription, DER_cert_to_PEM_cert, Options, PEM_cert_to_DER_cert, PEM_FOOTER,  # noqa: F401
                 PEM_HEADER, SSLErrorNumber, VerifyFlags, VerifyMode, cert_time_to_seconds, get_protocol_name)
from typing import Any, Optional, Tuple

from ._lib import lib as _clib
from ._lib import path as LIBRARY_PATH
from .context import (CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER,
                      Purpose, SSLContext, TLSVersion, create_default_context)
from .errors import (CertificateError, SSLCertVerificationError, SSLEOFError, SSLError, SSLSyscallError,
                     SSLWantReadError, SSLWantWriteError, SSLZeroReturnError)
from .session import SSLSession
from .sslobject import SSLObject
from .sslsocket import SSLSocket
from .x509 import Certificate, CertChain, ClientVerifier, PrivateKey, TrustStore

MemoryBIO = _ssl.MemoryBIO
socket_error = OSError

#: The library's version (ferrotls_version).
__version__ = _clib.ferrotls_version().decode()
LIBRARY_VERSION = __version__

# --- constants: ssl's own values (OP_*, ALERT_DESCRIPTION_*, SSL_ERROR_*, VERIFY_*, PROTOCOL_*) -------
for _name in dir(_ssl):
    if _name.startswith(("OP_", "ALERT_DESCRIPTION_", "SSL_ERROR_", "VERIFY_", "PROTOCOL_")) and _name not in globals():
        globals()[_name] = getattr(_ssl, _name)
del _name

#: What the engine does (TLS 1.0-1.2, RSA key exchange; ECDHE and TLS 1.3 arrive with issue 11).
HAS_SNI = True
HAS_ALPN = True
HAS_NPN = False
HAS_ECDH = False
HAS_NEVER_CHECK_COMMON_NAME = True
HAS_SSLv2 = False
HAS_SSLv3 = False
HAS_TLSv1 = True
HAS_TLSv1_1 = True
HAS_TLSv1_2 = True
HAS_TLSv1_3 = True
HAS_PSK = False
#: No channel bindings: the C API does not expose the Finished messages tls-unique needs.
CHANNEL_BINDING_TYPES: list = []

#: OPENSSL_VERSION names ferrotls; the numbers are those of the OpenSSL API level that
#: libferrotls's OpenSSL-compatible layer implements (3.0), for code that compares them.
OPENSSL_VERSION = f"ferrotls {__version__} (OpenSSL 3.0 API compatible)"
OPENSSL_VERSION_INFO: Tuple[int, int, int, int, int] = (3, 0, 0, 0, 0)
OPENSSL_VERSION_NUMBER = 0x30000000
_OPENSSL_API_VERSION = (3, 0, 0)

DefaultVerifyPaths = namedtuple("DefaultVerifyPaths", "cafile capath openssl_cafile_env openssl_cafile "
                                                      "openssl_capath_env openssl_capath")

#: Where the system trust store is read from (src/files.rs: as OpenSSL, $SSL_CERT_FILE and
#: $SSL_CERT_DIR, else the first distribution bundle that exists, else /etc/ssl/certs).
_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem",
            "/etc/pki/tls/cacert.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem")
_CERT_DIR = "/etc/ssl/certs"


def get_default_verify_paths() -> DefaultVerifyPaths:
    """Where ``load_default_certs()`` finds the system's CAs, shaped like ssl's answer."""
    openssl_cafile = next((p for p in _BUNDLES if _os.path.isfile(p)), _BUNDLES[0])
    cafile = _os.environ.get("SSL_CERT_FILE", openssl_cafile)
    capath = _os.environ.get("SSL_CERT_DIR", _CERT_DIR)
    return DefaultVerifyPaths(cafile if _os.path.isfile(cafile) else None, capath if _os.path.isdir(capath) else None,
                              "SSL_CERT_FILE", openssl_cafile, "SSL_CERT_DIR", _CERT_DIR)


def get_server_certificate(addr: Tuple[str, int], ssl_version: int = PROTOCOL_TLS_CLIENT,
                           ca_certs: Optional[str] = None, timeout: float = _socket.getdefaulttimeout() or 60.0
                           ) -> str:
    """The PEM certificate of the server at `addr` (host, port), verified only if `ca_certs`."""
    host, port = addr
    if ca_certs is not None:
        ctx = create_default_context(cafile=ca_certs)
        ctx.check_hostname = False
    else:
        ctx = SSLContext(PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = CERT_NONE
    with _socket.create_connection(addr, timeout=timeout) as sock:
        with ctx.wrap_socket(sock, server_hostname=host) as tls:
            der = tls.getpeercert(True)
    assert isinstance(der, bytes)
    return DER_cert_to_PEM_cert(der)


def RAND_bytes(n: int) -> bytes:
    """`n` random bytes from the operating system (ferrotls draws from it too)."""
    if n < 0:
        raise ValueError("num must be positive")
    return _os.urandom(n)


def RAND_pseudo_bytes(n: int) -> Tuple[bytes, bool]:
    return RAND_bytes(n), True


def RAND_status() -> bool:
    """True: the operating system's generator is always seeded."""
    return True


def RAND_add(string: Any, entropy: float) -> None:
    """Accepted and ignored: randomness comes from the operating system, which needs no seeding."""


def _create_default_https_context(*args: Any, **kwargs: Any) -> SSLContext:
    return create_default_context(*args, **kwargs)


def _create_unverified_context(protocol: Optional[int] = None, *, cert_reqs: int = CERT_NONE,
                               check_hostname: bool = False, purpose: Purpose = Purpose.SERVER_AUTH,
                               certfile: Optional[str] = None, keyfile: Optional[str] = None,
                               cafile: Optional[str] = None, capath: Optional[str] = None,
                               cadata: Any = None) -> SSLContext:
    """As ssl's: a context that does not check certificates (unless told to)."""
    if protocol is None:
        protocol = PROTOCOL_TLS_SERVER if purpose == Purpose.CLIENT_AUTH else PROTOCOL_TLS_CLIENT
    ctx = SSLContext(protocol)
    ctx.check_hostname = check_hostname
    if cert_reqs is not None:
        ctx.verify_mode = cert_reqs
    if certfile:
        ctx.load_cert_chain(certfile, keyfile)
    if cafile or capath or cadata:
        ctx.load_verify_locations(cafile, capath, cadata)
    return ctx


if hasattr(_ssl, "match_hostname"):  # removed in Python 3.12, as it is here then
    match_hostname = _ssl.match_hostname

if hasattr(_ssl, "wrap_socket"):  # removed in Python 3.12
    def wrap_socket(sock: _socket.socket, keyfile: Optional[str] = None, certfile: Optional[str] = None,
                    server_side: bool = False, cert_reqs: int = CERT_NONE, ssl_version: Optional[int] = None,
                    ca_certs: Optional[str] = None, do_handshake_on_connect: bool = True,
                    suppress_ragged_eofs: bool = True, ciphers: Optional[str] = None) -> SSLSocket:
        """The deprecated module-level wrap_socket of Python < 3.12, over a ferrotls context."""
        ctx = SSLContext(PROTOCOL_TLS_SERVER if server_side else PROTOCOL_TLS_CLIENT)
        if not server_side:
            ctx.check_hostname = False
        ctx.verify_mode = cert_reqs
        if ca_certs:
            ctx.load_verify_locations(ca_certs)
        if certfile:
            ctx.load_cert_chain(certfile, keyfile)
        if ciphers:
            ctx.set_ciphers(ciphers)
        return ctx.wrap_socket(sock, server_side=server_side, do_handshake_on_connect=do_handshake_on_connect,
                               suppress_ragged_eofs=suppress_ragged_eofs)


__all__ = [n for n in dir() if not n.startswith("_") and n not in ("namedtuple", "annotations", "Any",
                                                                    "Optional", "Tuple")]
