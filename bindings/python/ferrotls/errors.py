"""Exceptions, shaped like the standard ``ssl`` module's and subclassing them.

Each class derives from its ``ssl`` namesake as well, so code written for ``ssl`` (``except
ssl.SSLWantReadError``, asyncio's ``except ssl.SSLError``, ``isinstance(exc, ssl.CertificateError)``)
catches ours. The attributes carry OpenSSL's numbers and names, as ``ssl`` does, because code
written for ``ssl`` tests them:

- ``errno``: the ``ssl.SSL_ERROR_*`` number (1 ``SSL_ERROR_SSL``, 2/3 want read/write, 5 syscall,
  6 zero return, 8 EOF);
- ``library`` ``"SSL"`` and ``reason`` an OpenSSL reason (``CERTIFICATE_VERIFY_FAILED``,
  ``NO_SHARED_CIPHER``, ``TLSV1_ALERT_UNKNOWN_CA``, ...);
- ``verify_code`` / ``verify_message`` (certificate errors): OpenSSL's ``X509_V_ERR_*`` number and
  text (10 expired, 18 self-signed leaf, 19 self-signed root in the chain, 20 issuer not found,
  62 host name mismatch, ...).

The ferrotls result code stays available as ``result`` (``result_name`` its FERROTLS_* name), and
``str(exc)`` is ``[SSL: REASON] <the C API's text>``: the same words as
``ferrotls_conn_last_error`` and the ``ferrotls`` command, once.
"""
from __future__ import annotations

import ipaddress
import re
import ssl as _ssl
from typing import Dict, NoReturn, Optional, Sequence, Tuple

from ._lib import lib

__all__ = [
    "SSLError", "SSLZeroReturnError", "SSLWantReadError", "SSLWantWriteError", "SSLSyscallError",
    "SSLEOFError", "SSLCertVerificationError", "CertificateError", "RESULT_NAMES",
]

#: ferrotls_result values (include/ferrotls.h) and their names without the FERROTLS_ prefix.
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
ALERT_RECEIVED, PEER_INCOMPATIBLE = 4000, 5003
CERT_UNKNOWN_ISSUER, CERT_NOT_VALID_FOR_NAME, CERT_NO_CERTIFICATE, CERT_SELF_SIGNED_LEAF = 6004, 6007, 6013, 6014

# OpenSSL's X509_V_ERR_* numbers and X509_verify_cert_error_string() texts (OpenSSL 3).
_X509_TEXT: Dict[int, str] = {
    1: "unspecified certificate verification error",
    7: "certificate signature failure",
    9: "certificate is not yet valid",
    10: "certificate has expired",
    18: "self-signed certificate",
    19: "self-signed certificate in certificate chain",
    20: "unable to get local issuer certificate",
    21: "unable to verify the first certificate",
    22: "certificate chain too long",
    23: "certificate revoked",
    26: "unsupported certificate purpose",
    34: "unhandled critical extension",
    68: "CA signature digest algorithm too weak",
    79: "invalid CA certificate",
}
# ferrotls certificate results -> X509_V_ERR_* (6004 is decided from the chain, 6007 from the name).
_X509_CODE: Dict[int, int] = {
    6000: 1, 6001: 1, 6002: 10, 6003: 9, 6004: 20, 6005: 7, 6006: 68, 6008: 26, 6009: 79, 6010: 22,
    6011: 23, 6012: 34, 6013: 1, 6014: 18,
}

# Alerts OpenSSL names SSLV3_ALERT_* (those SSL 3.0 defined); the others are TLSV1_ALERT_*.
_SSLV3_ALERTS = {"close_notify", "unexpected_message", "bad_record_mac", "decompression_failure",
                 "handshake_failure", "no_certificate", "bad_certificate", "unsupported_certificate",
                 "certificate_revoked", "certificate_expired", "certificate_unknown", "illegal_parameter"}

# ferrotls results -> OpenSSL reason, where one result has one reason.
_REASONS: Dict[int, str] = {
    3000: "ZERO_RETURN", 3001: "UNEXPECTED_EOF_WHILE_READING", 5001: "DECODE_ERROR",
    5004: "DECRYPTION_FAILED_OR_BAD_RECORD_MAC", 5005: "RECORD_OVERFLOW", 5000: "UNEXPECTED_MESSAGE",
    5002: "UNEXPECTED_MESSAGE", 6013: "PEER_DID_NOT_RETURN_A_CERTIFICATE",
    6100: "NO_CERTIFICATE_ASSIGNED", 6101: "NO_PRIVATE_KEY_ASSIGNED", 6102: "BAD_DECRYPT", 6103: "PEM_LIB",
    6104: "BAD_DECRYPT", 7004: "BAD_CONFIG",
}
# PEER_INCOMPATIBLE: the C API's words -> OpenSSL's reason.
_INCOMPATIBLE = (("no common protocol version", "UNSUPPORTED_PROTOCOL"), ("SSL 3.0", "UNSUPPORTED_PROTOCOL"),
                 ("no common cipher suite", "NO_SHARED_CIPHER"),
                 # Suites overlap but no group, signature scheme or certificate type fits: OpenSSL
                 # says NO_SHARED_CIPHER there too (it leaves such suites out before choosing).
                 ("no cipher suite both sides can use", "NO_SHARED_CIPHER"),
                 ("no common TLS 1.3 cipher suite", "NO_SHARED_CIPHER"),
                 ("application protocol", "NO_APPLICATION_PROTOCOL"),
                 ("signature algorithm", "NO_SUITABLE_SIGNATURE_ALGORITHM"),
                 ("renegotiation", "UNSAFE_LEGACY_RENEGOTIATION_DISABLED"))


def _reason(code: int, detail: str) -> str:
    if 6000 <= code < 6100 and code != CERT_NO_CERTIFICATE:
        return "CERTIFICATE_VERIFY_FAILED"
    if code == ALERT_RECEIVED:
        m = re.search(r"alert:? ([a-z_]+)", detail)
        if m:
            name = m.group(1)
            return ("SSLV3_ALERT_" if name in _SSLV3_ALERTS else "TLSV1_ALERT_") + name.upper()
    if code == PEER_INCOMPATIBLE:
        for words, reason in _INCOMPATIBLE:
            if words in detail:
                return reason
    return _REASONS.get(code, RESULT_NAMES.get(code, str(code)))


#: The ssl.SSL_ERROR_* number for each exception class (OpenSSL's SSL_get_error()).
_SSL_ERROR = {"SSLWantReadError": _ssl.SSL_ERROR_WANT_READ, "SSLWantWriteError": _ssl.SSL_ERROR_WANT_WRITE,
              "SSLSyscallError": _ssl.SSL_ERROR_SYSCALL, "SSLZeroReturnError": _ssl.SSL_ERROR_ZERO_RETURN,
              "SSLEOFError": _ssl.SSL_ERROR_EOF}


class SSLError(_ssl.SSLError):
    """A ferrotls failure. ``errno`` is the ``ssl.SSL_ERROR_*`` number, ``reason`` OpenSSL's reason
    name, ``library`` ``"SSL"``; ``result`` is the ferrotls_result code and ``result_name`` its name.
    ``str()`` is ``[SSL: REASON] detail`` with the C API's detail."""

    def __init__(self, code: int, message: str, reason: Optional[str] = None) -> None:
        number = _ssl.SSL_ERROR_SSL
        for cls in type(self).__mro__:
            if cls.__name__ in _SSL_ERROR:
                number = _SSL_ERROR[cls.__name__]
                break
        self.result = code
        self.result_name = RESULT_NAMES.get(code, str(code))
        reason = reason if reason is not None else _reason(code, message)
        text = f"[SSL: {reason}] {message}" if reason and not message.startswith("[SSL") else message
        super().__init__(int(number), text)
        self.library = "SSL"
        self.reason = reason

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
    """A certificate was rejected (FERROTLS_CERT_*). ``verify_code`` / ``verify_message`` are
    OpenSSL's X509_V_ERR_* number and text (what ``ssl`` reports); ``result`` the ferrotls code."""

    def __init__(self, code: int, message: str, verify_code: Optional[int] = None,
                 verify_message: Optional[str] = None) -> None:
        self.verify_code = verify_code if verify_code is not None else _X509_CODE.get(code, 1)
        self.verify_message = verify_message or _X509_TEXT.get(self.verify_code, _X509_TEXT[1])
        if code != CERT_NO_CERTIFICATE:
            message = "certificate verify failed: " + _strip(message, "invalid peer certificate: ")
        super().__init__(code, message)


CertificateError = SSLCertVerificationError

_BY_CODE = {WANT_READ: SSLWantReadError, WANT_WRITE: SSLWantWriteError, CLOSED: SSLZeroReturnError,
            TRUNCATED: SSLEOFError, IO: SSLSyscallError}

_PLAIN = {WANT_READ: "The operation did not complete (read)", WANT_WRITE: "The operation did not complete (write)",
          CLOSED: "TLS/SSL connection has been closed (EOF)", TRUNCATED: "EOF occurred in violation of protocol"}


def result_str(code: int) -> str:
    """ferrotls_result_str: a static description of a result code."""
    return (lib.ferrotls_result_str(code) or b"").decode()


def last_error() -> str:
    """ferrotls_last_error: the calling thread's most recent failure message."""
    return (lib.ferrotls_last_error() or b"").decode(errors="replace")


def _strip(text: str, prefix: str) -> str:
    return text[len(prefix):] if text.startswith(prefix) else text


def detail_text(code: int, detail: Optional[str]) -> str:
    """The C API's message for `code`, once: ferrotls_conn_last_error and ferrotls_last_error
    start with ferrotls_result_str(code), which the rest repeats in its own words."""
    head = result_str(code)
    if not detail:
        return _PLAIN.get(code, head)
    return _strip(detail, head + ": ") or head


def x509_verdict(code: int, chain: Sequence[Tuple[str, str]] = (), hostname: Optional[str] = None
                 ) -> Tuple[int, str]:
    """OpenSSL's (X509_V_ERR_* number, text) for a ferrotls certificate result. `chain` is the
    peer's chain as (subject, issuer) pairs, leaf first, where known: an unknown issuer is 18
    (a lone self-signed leaf), 19 (a self-signed root at the top) or 20 (an issuer not found),
    as OpenSSL reports them."""
    if code == CERT_NOT_VALID_FOR_NAME:
        try:
            ipaddress.ip_address((hostname or "").strip("[]"))
            return 64, f"IP address mismatch, certificate is not valid for '{hostname}'."
        except ValueError:
            return 62, f"Hostname mismatch, certificate is not valid for '{hostname}'."
    number = _X509_CODE.get(code, 1)
    if code == CERT_UNKNOWN_ISSUER and chain:
        subject, issuer = chain[-1]
        if subject == issuer:
            number = 18 if len(chain) == 1 else 19
    return number, _X509_TEXT.get(number, _X509_TEXT[1])


def error_for(code: int, detail: Optional[str] = None, chain: Sequence[Tuple[str, str]] = (),
              hostname: Optional[str] = None) -> SSLError:
    """The exception for a ferrotls_result `code` (detail defaults to ferrotls_last_error())."""
    message = detail_text(code, last_error() if detail is None else detail)
    cls = _BY_CODE.get(code)
    if cls is None and 6000 <= code < 6100:
        number, text = x509_verdict(code, chain, hostname)
        return SSLCertVerificationError(code, message, number, text)
    return (cls or SSLError)(code, message)


def check(code: int, detail: Optional[str] = None) -> None:
    """Raises the matching exception unless `code` is FERROTLS_OK."""
    if code != OK:
        raise error_for(code, detail)


def fail(code: int, detail: Optional[str] = None) -> NoReturn:
    raise error_for(code, detail)


def want_read() -> SSLWantReadError:
    return SSLWantReadError(WANT_READ, _PLAIN[WANT_READ])


def want_write() -> SSLWantWriteError:
    return SSLWantWriteError(WANT_WRITE, _PLAIN[WANT_WRITE])
