"""One TLS connection (ferrotls_conn): one method per C call.

Transport and sans-IO calls return the raw ferrotls_result (callers decide what WANT_READ /
CLOSED mean for them) together with the byte count; state accessors return Python values.
"""
from __future__ import annotations

import contextlib
import ctypes
import threading
from ctypes import byref, c_size_t, c_void_p
from typing import Any, Callable, Iterator, Optional, Tuple, Union

from . import errors
from ._lib import lib
from .config import ClientConfig, ServerConfig
from .session import SSLSession
from .x509 import CertChain, _Handle, require

__all__ = ["Connection"]


def _s(ptr: Optional[bytes]) -> Optional[str]:
    return None if ptr is None else ptr.decode("utf-8", errors="replace")


def writable_pointer(buf: Any, n: int) -> Any:
    """A ctypes view of the first n bytes of a writable buffer (no copy)."""
    return (ctypes.c_char * n).from_buffer(buf) if n else None


# The connection whose handshake this thread is driving: a server-name callback (run inside
# ferrotls_conn_handshake / _process / _read) finds its SSLSocket or SSLObject here.
_driving = threading.local()


def driving() -> Optional["Connection"]:
    """The Connection this thread is inside a handshake step of, if any."""
    return getattr(_driving, "conn", None)


@contextlib.contextmanager
def _drive(conn: "Connection") -> Iterator[None]:
    before = getattr(_driving, "conn", None)
    _driving.conn = conn
    try:
        yield
    finally:
        _driving.conn = before


class Connection(_Handle):
    """ferrotls_conn. Keeps its configuration's Python wrapper (and its callbacks) alive."""

    _free = lib.ferrotls_conn_free

    def __init__(self, handle: int, config: Union[ClientConfig, ServerConfig]) -> None:
        super().__init__(handle)
        self.config = config
        #: A weak reference to the SSLSocket/SSLObject using this connection (for callbacks).
        self.owner: Optional[Callable[[], Any]] = None

    @classmethod
    def client(cls, config: ClientConfig, server_name: str, session: Optional[SSLSession] = None) -> "Connection":
        """ferrotls_conn_new_client, or ferrotls_conn_new_client_resuming offering `session`."""
        out = c_void_p()
        if session is not None:
            rc = lib.ferrotls_conn_new_client_resuming(config, server_name.encode(), session, byref(out))
        else:
            rc = lib.ferrotls_conn_new_client(config, server_name.encode(), byref(out))
        if rc == 7002:  # FERROTLS_INVALID_ARGUMENT: an unusable server name
            raise ValueError(f"invalid server_hostname {server_name!r}: {errors.last_error()}")
        errors.check(rc)
        return cls(out.value or 0, config)

    @classmethod
    def server(cls, config: ServerConfig) -> "Connection":
        """ferrotls_conn_new_server."""
        out = c_void_p()
        errors.check(lib.ferrotls_conn_new_server(config, byref(out)))
        return cls(out.value or 0, config)

    def error(self, rc: int) -> errors.SSLError:
        """The exception for `rc` with ferrotls_conn_last_error's detail."""
        return errors.error_for(rc, self.last_error() or None)

    # --- transport (file descriptor) -------------------------------------------------------------
    def set_fd(self, fd: int) -> None:
        """ferrotls_conn_set_fd (the descriptor stays the caller's)."""
        errors.check(lib.ferrotls_conn_set_fd(self, fd))

    def handshake(self) -> int:
        """ferrotls_conn_handshake."""
        with _drive(self):
            return int(lib.ferrotls_conn_handshake(self))

    def read(self, buf: Any, n: int) -> Tuple[int, int]:
        """ferrotls_conn_read into the first n bytes of writable `buf`: (rc, count)."""
        got = c_size_t()
        with _drive(self):
            rc = lib.ferrotls_conn_read(self, writable_pointer(buf, n), n, byref(got))
        return int(rc), got.value

    def write(self, data: bytes) -> Tuple[int, int]:
        """ferrotls_conn_write: (rc, accepted)."""
        done = c_size_t()
        rc = lib.ferrotls_conn_write(self, data, len(data), byref(done))
        return int(rc), done.value

    def flush(self) -> int:
        """ferrotls_conn_flush."""
        return int(lib.ferrotls_conn_flush(self))

    def shutdown(self) -> int:
        """ferrotls_conn_shutdown (close_notify)."""
        return int(lib.ferrotls_conn_shutdown(self))

    # --- sans-IO ------------------------------------------------------------------------------------
    def feed_tls(self, data: bytes) -> Tuple[int, int]:
        """ferrotls_conn_feed_tls: (rc, consumed)."""
        used = c_size_t()
        rc = lib.ferrotls_conn_feed_tls(self, data, len(data), byref(used))
        return int(rc), used.value

    def feed_eof(self) -> int:
        """ferrotls_conn_feed_eof."""
        return int(lib.ferrotls_conn_feed_eof(self))

    def process(self) -> int:
        """ferrotls_conn_process."""
        with _drive(self):
            return int(lib.ferrotls_conn_process(self))

    def take_tls(self, size: int = 16384 + 2048) -> Tuple[int, bytes]:
        """ferrotls_conn_take_tls: (rc, bytes to send)."""
        buf = ctypes.create_string_buffer(size)
        n = c_size_t()
        rc = lib.ferrotls_conn_take_tls(self, buf, size, byref(n))
        return int(rc), buf.raw[:n.value]

    def wants_write(self) -> bool:
        """ferrotls_conn_wants_write."""
        return bool(lib.ferrotls_conn_wants_write(self))

    def write_plaintext(self, data: bytes) -> Tuple[int, int]:
        """ferrotls_conn_write_plaintext: (rc, accepted)."""
        done = c_size_t()
        rc = lib.ferrotls_conn_write_plaintext(self, data, len(data), byref(done))
        return int(rc), done.value

    def read_plaintext(self, size: int = 16384) -> Tuple[int, bytes]:
        """ferrotls_conn_read_plaintext: (rc, data)."""
        buf = ctypes.create_string_buffer(size)
        n = c_size_t()
        rc = lib.ferrotls_conn_read_plaintext(self, buf, size, byref(n))
        return int(rc), (buf.raw[:n.value] if rc == errors.OK else b"")

    def read_plaintext_into(self, view: Any, n: int) -> Tuple[int, int]:
        """ferrotls_conn_read_plaintext into the first n bytes of a writable buffer: (rc, count)."""
        got = c_size_t()
        rc = lib.ferrotls_conn_read_plaintext(self, writable_pointer(view, n), n, byref(got))
        return int(rc), got.value

    def send_close_notify(self) -> int:
        """ferrotls_conn_send_close_notify."""
        return int(lib.ferrotls_conn_send_close_notify(self))

    def send_key_update(self, request_peer_update: bool) -> int:
        """ferrotls_conn_send_key_update (TLS 1.3)."""
        return int(lib.ferrotls_conn_send_key_update(self, request_peer_update))

    # --- state ----------------------------------------------------------------------------------------
    def is_handshaking(self) -> bool:
        """ferrotls_conn_is_handshaking."""
        return bool(lib.ferrotls_conn_is_handshaking(self))

    def peer_has_closed(self) -> bool:
        """ferrotls_conn_peer_has_closed."""
        return bool(lib.ferrotls_conn_peer_has_closed(self))

    def plaintext_bytes_to_read(self) -> int:
        """ferrotls_conn_plaintext_bytes_to_read: decrypted bytes a read returns at once."""
        return int(lib.ferrotls_conn_plaintext_bytes_to_read(self))

    def protocol_version(self) -> int:
        """ferrotls_conn_protocol_version (0x0301..0x0303, 0 before it is known)."""
        return int(lib.ferrotls_conn_protocol_version(self))

    def protocol_version_name(self) -> Optional[str]:
        """ferrotls_conn_protocol_version_name ("TLSv1.0".."TLSv1.2")."""
        return _s(lib.ferrotls_conn_protocol_version_name(self))

    def cipher_suite(self) -> int:
        """ferrotls_conn_cipher_suite (IANA number)."""
        return int(lib.ferrotls_conn_cipher_suite(self))

    def cipher_suite_name(self) -> Optional[str]:
        """ferrotls_conn_cipher_suite_name (IANA name)."""
        return _s(lib.ferrotls_conn_cipher_suite_name(self))

    def cipher_suite_openssl_name(self) -> Optional[str]:
        """ferrotls_conn_cipher_suite_openssl_name."""
        return _s(lib.ferrotls_conn_cipher_suite_openssl_name(self))

    def extended_master_secret(self) -> bool:
        """ferrotls_conn_extended_master_secret."""
        return bool(lib.ferrotls_conn_extended_master_secret(self))

    def encrypt_then_mac(self) -> bool:
        """ferrotls_conn_encrypt_then_mac."""
        return bool(lib.ferrotls_conn_encrypt_then_mac(self))

    def server_name(self) -> Optional[str]:
        """ferrotls_conn_server_name (server side: the client's SNI)."""
        return _s(lib.ferrotls_conn_server_name(self))

    def peer_cert_chain(self) -> CertChain:
        """ferrotls_conn_peer_cert_chain (a copy, leaf first; empty before it arrives)."""
        out = c_void_p()
        errors.check(lib.ferrotls_conn_peer_cert_chain(self, byref(out)), self.last_error() or None)
        return CertChain(out.value or 0)

    def client_certificate_sent(self) -> bool:
        """ferrotls_conn_client_certificate_sent (mutual-auth C API)."""
        require("ferrotls_conn_client_certificate_sent")
        return bool(lib.ferrotls_conn_client_certificate_sent(self))

    def alpn_protocol(self) -> Optional[bytes]:
        """ferrotls_conn_alpn_protocol: the protocol ALPN agreed, or None."""
        require("ferrotls_conn_alpn_protocol")
        p, n = c_void_p(), c_size_t()
        errors.check(lib.ferrotls_conn_alpn_protocol(self, byref(p), byref(n)), self.last_error() or None)
        return ctypes.string_at(p.value, n.value) if p.value else None

    def export_keying_material(self, label: bytes, length: int, context: Optional[bytes] = None) -> bytes:
        """ferrotls_conn_export_keying_material (RFC 5705): ``length`` bytes for ``label``; a
        ``context`` of None leaves it out, b"" is an empty one (they differ)."""
        require("ferrotls_conn_export_keying_material")
        label = bytes(label)
        out = ctypes.create_string_buffer(length)
        ctx = b"" if context is None else bytes(context)
        errors.check(lib.ferrotls_conn_export_keying_material(self, label, len(label), ctx, len(ctx),
                                                              context is not None, out, length),
                     self.last_error() or None)
        return out.raw

    def session(self) -> Optional[SSLSession]:
        """ferrotls_conn_session: None when there is no resumable session."""
        out = c_void_p()
        if lib.ferrotls_conn_session(self, byref(out)) != errors.OK:
            return None
        return SSLSession(out.value or 0)

    def session_reused(self) -> bool:
        """ferrotls_conn_session_reused."""
        return bool(lib.ferrotls_conn_session_reused(self))

    def last_error(self) -> str:
        """ferrotls_conn_last_error."""
        return (lib.ferrotls_conn_last_error(self) or b"").decode(errors="replace")
