"""SSLSession: a resumable session (ferrotls_session), shaped like ssl.SSLSession.

Taken from a client connection (``SSLSocket.session``) and offered again with
``SSLContext.wrap_socket(..., session=...)``; ``SSLSocket.session_reused`` then says whether the
server resumed it. At TLS 1.0-1.2 it is there once the handshake completed and resumes by
session ID or by session ticket (RFC 5246 §7.3, RFC 5077; ``has_ticket``; ``OP_NO_TICKET`` turns
tickets off). At TLS 1.3 it is the newest ticket the server sent after the handshake (RFC 8446
§4.6.1): there once the client has read it (after the first ``recv``; before, ``session`` is
None, where Python's ssl gives a session that does not resume yet), with no ``id``.
"""
from __future__ import annotations

import ctypes
from ctypes import byref, c_size_t

from . import errors
from ._lib import lib
from .x509 import _Handle

__all__ = ["SSLSession"]


class SSLSession(_Handle):
    """ferrotls_session. Immutable; the master secret (or TLS 1.3 PSK) never leaves the library."""

    _free = lib.ferrotls_session_free

    @property
    def id(self) -> bytes:
        """ferrotls_session_id: the session ID the server assigned (b"" for a ticket, and at TLS 1.3)."""
        buf = ctypes.create_string_buffer(32)
        n = c_size_t()
        errors.check(lib.ferrotls_session_id(self, buf, 32, byref(n)))
        return buf.raw[:n.value]

    @property
    def protocol_version(self) -> int:
        """ferrotls_session_protocol_version (0x0301..0x0304)."""
        return int(lib.ferrotls_session_protocol_version(self))

    @property
    def cipher_suite(self) -> int:
        """ferrotls_session_cipher_suite (IANA number)."""
        return int(lib.ferrotls_session_cipher_suite(self))

    @property
    def has_ticket(self) -> bool:
        """ferrotls_session_has_ticket: the server issued a session ticket (RFC 5077)."""
        return bool(lib.ferrotls_session_has_ticket(self))

    @property
    def ticket_lifetime_hint(self) -> int:
        """ferrotls_session_ticket_lifetime_hint, in seconds (0: no ticket or no hint; at TLS 1.3 the
        ticket's lifetime)."""
        return int(lib.ferrotls_session_ticket_lifetime_hint(self))

    def to_bytes(self) -> bytes:
        """ferrotls_session_to_bytes: the versioned encoding (first byte 1: TLS 1.2 session, 2: TLS 1.3
        ticket; it holds the master secret or the PSK)."""
        n = int(lib.ferrotls_session_encoded_len(self))
        buf = ctypes.create_string_buffer(n)
        written = c_size_t()
        errors.check(lib.ferrotls_session_to_bytes(self, buf, n, byref(written)))
        return buf.raw[:written.value]

    def _key(self) -> bytes:
        # ssl compares sessions by ID; a ticket session has none (RFC 5077 §3.4), so it is
        # told apart by the encoding's fixed start (format, version, suite, flags and master
        # secret: 54 bytes), which a renewed ticket leaves as it was. At TLS 1.3 the start
        # holds the ticket's own PSK: each ticket is a session of its own.
        return self.id or self.to_bytes()[:54]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SSLSession) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"<ferrotls.SSLSession id={self.id.hex()[:16]}... version=0x{self.protocol_version:04x}>"
