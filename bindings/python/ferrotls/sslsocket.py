"""SSLSocket: a socket.socket whose bytes go through ferrotls, as ssl.SSLSocket.

The connection drives the socket's file descriptor itself (ferrotls_conn_set_fd,
ferrotls_conn_handshake / _read / _write / _flush / _shutdown). Sockets with a timeout are
non-blocking underneath: on FERROTLS_WANT_READ/WRITE this waits with select() up to the timeout;
on a non-blocking socket (timeout 0) SSLWantReadError / SSLWantWriteError are raised.
"""
from __future__ import annotations

import select
import socket
from typing import TYPE_CHECKING, Any, Callable, Optional, Tuple, Union

from . import errors
from .connection import Connection
from .sslobject import _ConnectionInfo

if TYPE_CHECKING:
    from .context import SSLContext

__all__ = ["SSLSocket"]


class SSLSocket(_ConnectionInfo, socket.socket):
    """A TLS socket; made by ``SSLContext.wrap_socket`` (no public constructor, as in ssl)."""

    _conn: Optional[Connection]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"{type(self).__name__} has no public constructor: use SSLContext.wrap_socket()")

    @classmethod
    def _create(cls, sock: socket.socket, context: "SSLContext", server_side: bool,
                server_hostname: Optional[str], do_handshake_on_connect: bool,
                suppress_ragged_eofs: bool, session: Any = None) -> "SSLSocket":
        if sock.type != socket.SOCK_STREAM:
            raise NotImplementedError("only stream sockets are supported")
        kwargs = dict(family=sock.family, type=sock.type, proto=sock.proto, fileno=sock.fileno())
        self = cls.__new__(cls, **kwargs)
        socket.socket.__init__(self, **kwargs)  # type: ignore[arg-type]
        timeout = sock.gettimeout()
        sock.detach()
        self.settimeout(timeout)
        self._context = context
        self._server_side = server_side
        self._server_hostname = server_hostname
        self._do_handshake_on_connect = do_handshake_on_connect
        self.suppress_ragged_eofs = suppress_ragged_eofs
        self._conn = None
        self._offered_session = session
        self._shut = False
        try:
            self.getpeername()
            connected = True
        except OSError:
            connected = False
        if connected:
            self._start()
        return self

    def _start(self) -> None:
        self._conn = self._context._new_connection(self._server_side, self._server_hostname, self,
                                                   self._offered_session)
        self._conn.set_fd(self.fileno())
        if self._do_handshake_on_connect:
            self.do_handshake()

    def _need_conn(self) -> Connection:
        if self._conn is None:
            raise OSError(107, "Transport endpoint is not connected")  # ENOTCONN, as ssl raises
        return self._conn

    def _io(self, call: Callable[[], Tuple[int, int]]) -> Tuple[int, int]:
        """Runs a transport call until it stops asking to wait; returns (rc, count)."""
        conn = self._need_conn()
        while True:
            rc, n = call()
            if rc not in (errors.WANT_READ, errors.WANT_WRITE):
                return rc, n
            timeout = self.gettimeout()
            if timeout == 0.0:
                raise conn.error(rc)
            want_read = rc == errors.WANT_READ
            r, w, _ = select.select([self] if want_read else [], [] if want_read else [self], [], timeout)
            if not r and not w:
                raise socket.timeout("The read operation timed out" if want_read else "The write operation timed out")

    def _raise(self, rc: int) -> None:
        if rc != errors.OK:
            raise self._need_conn().error(rc)

    def do_handshake(self, block: bool = False) -> None:
        """ferrotls_conn_handshake."""
        conn = self._need_conn()
        rc, _ = self._io(lambda: (conn.handshake(), 0))
        self._raise(rc)

    def connect(self, address: Any) -> None:
        """Connects, then starts TLS (and handshakes if do_handshake_on_connect)."""
        if self._server_side:
            raise ValueError("can't connect in server-side mode")
        if self._conn is not None:
            raise ValueError("attempt to connect already-connected SSLSocket!")
        socket.socket.connect(self, address)
        self._start()

    def connect_ex(self, address: Any) -> int:
        try:
            self.connect(address)
            return 0
        except OSError as exc:
            if isinstance(exc, errors.SSLError) or exc.errno is None:
                raise
            return exc.errno

    def accept(self) -> Tuple["SSLSocket", Any]:
        """Accepts a connection and wraps it with this socket's context (server side)."""
        newsock, addr = socket.socket.accept(self)
        wrapped = self._context.wrap_socket(newsock, server_side=self._server_side,
                                            do_handshake_on_connect=self._do_handshake_on_connect,
                                            suppress_ragged_eofs=self.suppress_ragged_eofs)
        return wrapped, addr

    def read(self, len: int = 1024, buffer: Any = None) -> Union[bytes, int]:
        """Up to `len` bytes (ferrotls_conn_read); b"" at close_notify (and at a truncated end when
        suppress_ragged_eofs, as ssl does; otherwise SSLEOFError)."""
        conn = self._need_conn()
        if buffer is None:
            target: Any = bytearray(len)
        else:
            target = memoryview(buffer).cast("B")
            len = min(len, target.nbytes) if len > 0 else target.nbytes
        if len == 0:
            return 0 if buffer is not None else b""
        rc, n = self._io(lambda: conn.read(target, len))
        if rc in (errors.CLOSED, errors.TRUNCATED):
            if rc == errors.TRUNCATED and not self.suppress_ragged_eofs:
                raise conn.error(rc)
            n = 0
        else:
            self._raise(rc)
        return n if buffer is not None else bytes(target[:n])

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        if flags != 0:
            raise ValueError("non-zero flags not allowed in calls to recv() on SSLSocket")
        return self.read(buflen)  # type: ignore[return-value]

    def recv_into(self, buffer: Any, nbytes: Optional[int] = None, flags: int = 0) -> int:
        if flags != 0:
            raise ValueError("non-zero flags not allowed in calls to recv_into() on SSLSocket")
        return self.read(nbytes or 0, buffer)  # type: ignore[return-value]

    def write(self, data: Any) -> int:
        """ferrotls_conn_write (then ferrotls_conn_flush unless non-blocking): bytes accepted."""
        conn = self._need_conn()
        payload = bytes(data)
        rc, n = self._io(lambda: conn.write(payload))
        self._raise(rc)
        if self.gettimeout() != 0.0 and conn.wants_write():
            rc, _ = self._io(lambda: (conn.flush(), 0))
            self._raise(rc)
        return n

    def send(self, data: Any, flags: int = 0) -> int:
        if flags != 0:
            raise ValueError("non-zero flags not allowed in calls to send() on SSLSocket")
        return self.write(data)

    def sendall(self, data: Any, flags: int = 0) -> None:
        view = memoryview(data).cast("B")
        while view.nbytes:
            n = self.send(view)
            view = view[n:]

    def recvfrom(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("recvfrom not allowed on instances of SSLSocket")

    def sendto(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("sendto not allowed on instances of SSLSocket")

    def dup(self) -> Any:
        raise NotImplementedError("Can't dup() SSLSocket instances")

    def pending(self) -> int:
        """Decrypted bytes that recv() returns without waiting (0 before the handshake)."""
        return self._conn.plaintext_bytes_to_read() if self._conn is not None else 0

    def unwrap(self) -> socket.socket:
        """Sends close_notify (ferrotls_conn_shutdown), waits for the peer's, and returns the plain
        socket."""
        conn = self._need_conn()
        rc, _ = self._io(lambda: (conn.shutdown(), 0))
        self._raise(rc)
        self._shut = True
        buf = bytearray(4096)
        while not conn.peer_has_closed():
            rc, _ = self._io(lambda: conn.read(buf, len(buf)))
            if rc in (errors.CLOSED, errors.TRUNCATED):
                break
            self._raise(rc)
        self._conn = None
        timeout = self.gettimeout()
        plain = socket.socket(self.family, self.type, self.proto, self.detach())
        plain.settimeout(timeout)
        return plain

    def shutdown(self, how: int) -> None:
        """Sends close_notify before shutting the socket down, as ssl's does not; then socket.shutdown."""
        if self._conn is not None and not self._shut:
            self._shut = True
            try:
                self._conn.shutdown()
            except Exception:
                pass
        socket.socket.shutdown(self, how)

    def _real_close(self) -> None:  # type: ignore[override]
        # A best-effort close_notify once the handshake is done, so peers see a clean end.
        conn = self._conn
        if conn is not None and not self._shut and self._handshake_done():
            self._shut = True
            try:
                conn.shutdown()
            except Exception:
                pass
        self._conn = None
        socket.socket._real_close(self)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<ferrotls.SSLSocket fd={self.fileno()} server_side={self._server_side}>"
