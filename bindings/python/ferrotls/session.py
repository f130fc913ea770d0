"""SSLSession: a resumable TLS 1.0-1.2 session (ferrotls_session), shaped like ssl.SSLSession.

Taken from a connection after its handshake (``SSLSocket.session``) and offered again with
``SSLContext.wrap_socket(..., session=...)``; ``SSLSocket.session_reused`` then says whether the
server resumed it (RFC 5246 §7.3 abbreviated handshake). Session tickets are not implemented.
"""
from __future__ import annotations

import ctypes
from ctypes import byref, c_size_t

from . import errors
from ._lib import lib
from .x509 import _Handle

__all__ = ["SSLSession"]


class SSLSession(_Handle):
    """ferrotls_session. Immutable; the master secret never leaves the library."""

    _free = lib.ferrotls_session_free

    @property
    def id(self) -> bytes:
        """ferrotls_session_id: the session ID the server assigned."""
        buf = ctypes.create_string_buffer(32)
        n = c_size_t()
        errors.check(lib.ferrotls_session_id(self, buf, 32, byref(n)))
        return buf.raw[:n.value]

    @property
    def protocol_version(self) -> int:
        """ferrotls_session_protocol_version (0x0301..0x0303)."""
        return int(lib.ferrotls_session_protocol_version(self))

    @property
    def cipher_suite(self) -> int:
        """ferrotls_session_cipher_suite (IANA number)."""
        return int(lib.ferrotls_session_cipher_suite(self))

    @property
    def has_ticket(self) -> bool:
        """Always False: sessions are resumed by ID, never by ticket (RFC 5077)."""
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SSLSession) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<ferrotls.SSLSession id={self.id.hex()[:16]}... version=0x{self.protocol_version:04x}>"
