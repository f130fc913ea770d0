"""Exceptions, shaped like the standard ``ssl`` module's and subclassing them.

Each class derives from its ``ssl`` namesake as well, so code written for ``ssl`` (``except
ssl.SSLWantReadError``, asyncio's ``except ssl.SSLError``, ``isinstance(exc, ssl.CertificateError)``)
catches ours. Every error carries the C result code (``.errno``, ``.reason`` its FERROTLS_* name,
``.library == "ferrotls"``) and the library's last-error text in its message.
"""
from __future__ import annotations

import ssl as _ssl
from typing import Dict, NoReturn, Optional

from ._lib import lib

__all__ = [
    "SSLError", "SSLZeroReturnError", "SSLWantReadError", "SSLWantWriteError", "SSLSyscallError",
    "SSLEOFError", "SSLCertVerificationError", "CertificateError", "RESULT_NAMES",
]

#: ferrotls_result values (include/ferrotls.h) and their names without the FERROTLS_ prefix
#: (6014 and 6104 arrive with the mutual-authentication C API).
RESULT_NAMES: Dict[int, str] = {
    0: "OK", 1000: "IO", 1001: "IO_FILE", 1002: "IO_WRITE_ZERO", 2000: "WANT_READ", 2001: "WANT_WRITE",
    3000: "CLOSED", 3001: "TRUNCATED", 4000: "ALERT_RECEIVED", 5000: "PROTOCOL", 5001: "DECODE_ERROR",
    5002: "PEER_MISBEHAVED", 5003: "PEER_INCOMPATIBLE", 5004: "BAD_RECORD_MAC", 5005: "RECORD_OVERFLOW",
    6000: "CERT_OTHER", 6001: "CERT_BAD_ENCODING", 6002: "CERT_EXPIRED", 6003: "CERT_NOT_VALID_YET",
    6004: "CERT_UNKNOWN_ISSUER", 6005: "CERT_BAD_SIGNATURE", 6006: "CERT_UNSUPPORTED_SIGNATURE_ALGORITHM",
    6007: "CERT_NOT_VALID_FOR_NAME", 6008: "CERT_INVALID_PURPOSE", 6009: "CERT_NOT_ALLOWED_TO_SIGN",
    6010: "CERT_CHAIN_TOO_LONG", 6011: "CERT_REVOKED", 6012: "CERT_UNHANDLED_CRITICAL_EXTENSION",
    6013: "CERT_NO_CERTIFICATE", 6014: "CERT_SELF_SIGNED_LEAF", 6100: "PEM_NO_CERTIFICATES", 6101: "PEM_NO_PRIVATE_KEY",
    6102: "PEM_ENCRYPTED_KEY", 6103: "PEM_MALFORMED", 6104: "PEM_DECRYPT_FAILED", 7000: "USAGE", 7001: "NULL_ARGUMENT",
    7002: "INVALID_ARGUMENT", 7003: "BAD_STATE", 7004: "BAD_CONFIG", 7005: "NO_TRANSPORT",
    8000: "INTERNAL", 8001: "PANIC",
}
OK, WANT_READ, WANT_WRITE, CLOSED, TRUNCATED, IO, IO_FILE = 0, 2000, 2001, 3000, 3001, 1000, 1001
CERT_NOT_VALID_FOR_NAME = 6007


class SSLError(_ssl.SSLError):
    """A ferrotls failure: ``errno`` is the ferrotls_result code, ``str()`` the library's message."""

    library = "ferrotls"

    def __init__(self, code: int, message: str) -> None:
        super().__init__(code, message)
        self.reason = RESULT_NAMES.get(code, str(code))

    def __str__(self) -> str:
        return str(self.strerror)


class SSLZeroReturnError(SSLError, _ssl.SSLZeroReturnError):
    """The peer closed the TLS connection with close_notify (FERROTLS_CLOSED)."""


class SSLWantReadError(SSLError, _ssl.SSLWantReadError):
    """Non-blocking: try again once more data arrived (FERROTLS_WANT_READ)."""


class SSLWantWriteError(SSLError, _ssl.SSLWantWriteError):
    """Non-blocking: try again once the socket is writable (FERROTLS_WANT_WRITE)."""


class SSLSyscallError(SSLError, _ssl.SSLSyscallError):
    """The transport failed (FERROTLS_IO); the message names errno."""


class SSLEOFError(SSLError, _ssl.SSLEOFError):
    """The transport ended without close_notify: data may have been cut short (FERROTLS_TRUNCATED)."""


class SSLCertVerificationError(SSLError, _ssl.SSLCertVerificationError):
    """A certificate was rejected (FERROTLS_CERT_*): ``verify_code`` is the ferrotls_result code,
    ``verify_message`` the reason."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(code, message)
        self.verify_code = code
        self.verify_message = message


CertificateError = SSLCertVerificationError

_BY_CODE = {WANT_READ: SSLWantReadError, WANT_WRITE: SSLWantWriteError, CLOSED: SSLZeroReturnError,
            TRUNCATED: SSLEOFError, IO: SSLSyscallError}


def result_str(code: int) -> str:
    """ferrotls_result_str: a static description of a result code."""
    return (lib.ferrotls_result_str(code) or b"").decode()


def last_error() -> str:
    """ferrotls_last_error: the calling thread's most recent failure message."""
    return (lib.ferrotls_last_error() or b"").decode(errors="replace")


def error_for(code: int, detail: Optional[str] = None) -> SSLError:
    """The exception for a ferrotls_result `code` (detail defaults to ferrotls_last_error())."""
    detail = last_error() if detail is None else detail
    message = f"{result_str(code)}: {detail}" if detail else result_str(code)
    cls = _BY_CODE.get(code)
    if cls is None:
        cls = SSLCertVerificationError if 6000 <= code < 6100 else SSLError
    return cls(code, message)


def check(code: int, detail: Optional[str] = None) -> None:
    """Raises the matching exception unless `code` is FERROTLS_OK."""
    if code != OK:
        raise error_for(code, detail)


def fail(code: int, detail: Optional[str] = None) -> NoReturn:
    raise error_for(code, detail)
