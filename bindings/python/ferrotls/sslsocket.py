"""SSLSocket: a socket whose bytes go through ferrotls, an instance of ``ssl.SSLSocket``.

The binding moves the TLS bytes itself over the sans-IO calls (ferrotls_conn_feed_tls /
_process / _take_tls / _read_plaintext / _write_plaintext), for three reasons:

- **Threads.** The C API's rule stays: a ferrotls_conn is used by one thread at a time. The
  binding keeps it with one lock per socket, held only around non-blocking work and released
  while a thread waits for the socket, so a reader thread and a writer thread can share one
  SSLSocket as they can with the standard library (websockets' sync API, any program with a
  reader thread). The lock is the binding's: C callers keep their own (include/ferrotls.h).
- **select().** Records are read from the socket one at a time (the 5-byte header, then the body),
  as OpenSSL does, so a close_notify that follows data stays in the kernel until it is read:
  ``select()`` sees the socket readable and ``recv()`` then returns ``b""``.
- **Timeouts.** Once TLS starts, the file descriptor is non-blocking; ``settimeout()`` is kept
  by the binding and applied to each wait (SSLWantReadError / SSLWantWriteError at timeout 0).

Inherited ``socket.socket`` methods that would move bytes past TLS are overridden or refused, as
``ssl.SSLSocket`` does: ``sendfile`` falls back to ``send``, ``sendmsg`` / ``recvmsg`` /
``recvmsg_into`` raise NotImplementedError, ``recvfrom`` / ``recvfrom_into`` / ``sendto`` ValueError.
"""
from __future__ import annotations

import errno as _errno
import select
import socket
import ssl as _ssl
import threading
import time
import weakref
from typing import TYPE_CHECKING, Any, Optional, Tuple, Union

from . import errors
from .connection import Connection
from .sslobject import _ConnectionInfo, _verifying

if TYPE_CHECKING:
    from .context import SSLContext

__all__ = ["SSLSocket"]

_HEADER = 5            # TLS record header: type, version, length (RFC 5246 §6.2.1)
_MAX_WRITE = 1 << 18   # plaintext handed to the connection per write() call


class _Timeout:
    """The deadline of one operation; None waits forever."""

    def __init__(self, timeout: Optional[float]) -> None:
        self.end = None if timeout is None else time.monotonic() + timeout

    def left(self) -> Optional[float]:
        return None if self.end is None else max(0.0, self.end - time.monotonic())


def _wait_fd(fd: int, readable: bool, timeout: Optional[float]) -> bool:
    """Waits until `fd` is readable (or writable); False on timeout."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN if readable else select.POLLOUT)
        ms = None if timeout is None else int(timeout * 1000 + 0.999)
        return bool(poller.poll(ms))
    r, w, _ = select.select([fd] if readable else [], [] if readable else [fd], [], timeout)
    return bool(r or w)


class SSLSocket(_ConnectionInfo, _ssl.SSLSocket):
    """A TLS socket; made by ``SSLContext.wrap_socket`` (no public constructor, as in ssl)."""

    _conn: Optional[Connection]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"{type(self).__name__} does not have a public constructor. "
                        "Instances are returned by SSLContext.wrap_socket().")

    @classmethod
    def _create(cls, sock: socket.socket, server_side: bool = False, do_handshake_on_connect: bool = True,
                suppress_ragged_eofs: bool = True, server_hostname: Optional[str] = None,
                context: Optional["SSLContext"] = None, session: Any = None) -> "SSLSocket":
        if sock.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) != socket.SOCK_STREAM:
            raise NotImplementedError("only stream sockets are supported")
        kwargs = dict(family=sock.family, type=sock.type, proto=sock.proto, fileno=sock.fileno())
        self = cls.__new__(cls, **kwargs)
        socket.socket.__init__(self, **kwargs)  # type: ignore[arg-type]
        timeout = sock.gettimeout()
        sock.detach()
        assert context is not None
        self._context = context
        self._server_side = server_side
        self._server_hostname = server_hostname
        self._do_handshake_on_connect = do_handshake_on_connect
        self.suppress_ragged_eofs = suppress_ragged_eofs
        self._conn = None
        self._offered_session = session
        self._shut = False
        self._lock = threading.Lock()
        self._timeout = timeout
        self._out = bytearray()     # TLS bytes taken from the connection, not yet sent
        self._in = bytearray()      # TLS bytes read from the socket, not yet taken by the connection
        self._header = bytearray()  # the record header being read
        self._body_left = 0         # bytes of the current record's body not yet read
        self._error: Optional[errors.SSLError] = None
        self._chain_seen = {}
        self._counted = False
        self.settimeout(timeout)
        try:
            try:
                self.getpeername()
                connected = True
            except OSError as exc:
                if exc.errno != _errno.ENOTCONN:
                    raise
                connected = False
            if connected:
                self._start()
        except (OSError, ValueError):
            # As ssl: a socket whose wrapping failed is closed, not leaked.
            self.close()
            raise
        return self

    # --- timeouts: kept here, applied to each wait (the descriptor is non-blocking under TLS) --------
    def settimeout(self, value: Optional[float]) -> None:
        if value is not None:
            value = float(value)
            if value < 0:
                raise ValueError("Timeout value out of range")
        self._timeout = value
        socket.socket.settimeout(self, 0.0 if self._conn is not None else value)

    def gettimeout(self) -> Optional[float]:
        return self._timeout

    def setblocking(self, flag: bool) -> None:
        self.settimeout(None if flag else 0.0)

    def getblocking(self) -> bool:
        return self._timeout != 0.0

    # --- connection ---------------------------------------------------------------------------------
    @property
    def _sslobj(self) -> Optional["SSLSocket"]:
        """What ``ssl.SSLSocket._sslobj`` is to code that peeks at it (httpcore reads
        ``sock._sslobj.selected_alpn_protocol()``): the connection's information, or None
        before TLS starts and after it ended."""
        return self if self._conn is not None else None

    def _start(self) -> None:
        self._conn = self._context._new_connection(self._server_side, self._server_hostname,
                                                   session=self._offered_session)
        self._conn.owner = weakref.ref(self)
        socket.socket.settimeout(self, 0.0)
        if self._do_handshake_on_connect:
            timeout = self._timeout
            if timeout == 0.0:
                raise ValueError("do_handshake_on_connect should not be specified for non-blocking sockets")
            self.do_handshake()

    def _check_connected(self) -> Connection:
        if self._conn is None:
            raise OSError(_errno.ENOTCONN, "Socket is not connected")
        return self._conn

    def _checkClosed(self, msg: Optional[str] = None) -> None:
        if self.fileno() == -1:
            raise OSError(_errno.EBADF, "Bad file descriptor")

    # --- moving bytes (the lock is held by the caller) -------------------------------------------------
    def _flush(self) -> bool:
        """Sends what the connection queued; False if the socket would block first."""
        conn = self._conn
        assert conn is not None
        while conn.wants_write():
            rc, data = conn.take_tls()
            if not data:
                break
            self._out += data
        while self._out:
            try:
                n = socket.socket.send(self, self._out)
            except (BlockingIOError, InterruptedError):
                return False
            del self._out[:n]
        return True

    def _fill(self) -> Optional[bool]:
        """Gives the connection at most the rest of one record from the socket: True when bytes
        came, False at the end of the stream, None when the socket has nothing now."""
        conn = self._conn
        assert conn is not None
        if not self._in:
            want = self._body_left if self._body_left else _HEADER - len(self._header)
            try:
                data = socket.socket.recv(self, want)
            except (BlockingIOError, InterruptedError):
                return None
            if not data:
                rc = conn.feed_eof()
                if rc != errors.OK:
                    raise self._failed(rc)
                return False
            if self._body_left:
                self._body_left -= len(data)
            else:
                self._header += data
                if len(self._header) == _HEADER:
                    self._body_left = int.from_bytes(self._header[3:5], "big")
                    self._header.clear()
            self._in += data
        # The connection takes fewer bytes only while its plaintext buffer is full: the rest
        # waits here for the next call, after the caller read.
        rc, used = conn.feed_tls(bytes(self._in))
        if rc != errors.OK:
            raise self._failed(rc)
        del self._in[:used]
        return True

    def _process(self) -> None:
        conn = self._conn
        assert conn is not None
        with _verifying(self):
            rc = conn.process()
        if rc != errors.OK:
            raise self._failed(rc)

    def _failed(self, rc: int) -> errors.SSLError:
        """The (sticky) exception for `rc`, after sending the alert that explains it."""
        if self._error is None:
            self._error = self._make_error(rc)
            try:
                self._flush()
            except OSError:
                pass
        return self._error

    def _wait(self, readable: bool, deadline: _Timeout, what: str) -> None:
        """Waits for the socket with the lock released, so other threads can use the connection."""
        if self._timeout == 0.0:
            raise errors.want_read() if readable else errors.want_write()
        self._lock.release()
        try:
            ready = _wait_fd(self.fileno(), readable, deadline.left())
        finally:
            self._lock.acquire()
        if not ready:
            raise socket.timeout(f"The {what} operation timed out")

    def _send_all(self, deadline: _Timeout, what: str) -> None:
        while not self._flush():
            self._wait(False, deadline, what)

    def _handshake(self, deadline: _Timeout) -> None:
        conn = self._conn
        assert conn is not None
        if self._error is not None:
            raise self._error
        self._process()  # a client queues its ClientHello here
        while True:
            self._send_all(deadline, "handshake")
            if not conn.is_handshaking():
                self._handshake_finished()
                return
            got = self._fill()
            if got is None:
                self._wait(True, deadline, "handshake")
                continue
            self._process()
            if got is False and conn.is_handshaking():
                raise self._failed(errors.TRUNCATED)

    # --- the ssl.SSLSocket API ----------------------------------------------------------------------
    def do_handshake(self, block: bool = False) -> None:
        """Runs the handshake (the ssl ``block`` argument is accepted and ignored, as ssl does)."""
        self._check_connected()
        with self._lock:
            self._handshake(_Timeout(self._timeout))

    def connect(self, address: Any) -> None:
        """Connects, then starts TLS (and handshakes if do_handshake_on_connect)."""
        self._real_connect(address, False)

    def connect_ex(self, address: Any) -> int:
        return self._real_connect(address, True)

    def _real_connect(self, address: Any, connect_ex: bool) -> int:
        if self._server_side:
            raise ValueError("can't connect in server-side mode")
        if self._conn is not None:
            raise ValueError("attempt to connect already-connected SSLSocket!")
        if connect_ex:
            rc = socket.socket.connect_ex(self, address)
            if rc:
                return rc
        else:
            socket.socket.connect(self, address)
        self._start()
        return 0

    def accept(self) -> Tuple["SSLSocket", Any]:
        """Accepts a connection and wraps it with this socket's context (server side)."""
        newsock, addr = socket.socket.accept(self)
        wrapped = self._context.wrap_socket(newsock, server_side=self._server_side,
                                            do_handshake_on_connect=self._do_handshake_on_connect,
                                            suppress_ragged_eofs=self.suppress_ragged_eofs)
        return wrapped, addr

    def read(self, len: int = 1024, buffer: Any = None) -> Union[bytes, int]:
        """Up to `len` bytes (into `buffer` if given: returns the count); b"" at close_notify (and at
        a truncated end when suppress_ragged_eofs, as ssl does; otherwise SSLEOFError)."""
        conn = self._check_connected()
        if buffer is not None:
            view = memoryview(buffer).cast("B")
            len = min(len, view.nbytes) if len > 0 else view.nbytes
        if len <= 0:
            return 0 if buffer is not None else b""
        with self._lock:
            deadline = _Timeout(self._timeout)
            if self._error is not None:
                raise self._error
            if conn.is_handshaking():
                self._handshake(deadline)
            while True:
                if buffer is not None:
                    rc, n = conn.read_plaintext_into(view, len)
                else:
                    rc, data = conn.read_plaintext(len)
                if rc == errors.OK:
                    return n if buffer is not None else data
                if rc == errors.CLOSED or (rc == errors.TRUNCATED and self.suppress_ragged_eofs):
                    return 0 if buffer is not None else b""
                if rc != errors.WANT_READ:
                    raise self._failed(rc)
                try:
                    self._flush()
                except OSError:
                    pass
                got = self._fill()
                if got is None:
                    self._wait(True, deadline, "read")
                    continue
                self._process()
                try:
                    self._flush()
                except OSError:
                    pass

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        self._checkClosed()
        if self._conn is None:
            return socket.socket.recv(self, buflen, flags)
        if flags != 0:
            raise ValueError(f"non-zero flags not allowed in calls to recv() on {type(self)}")
        return self.read(buflen)  # type: ignore[return-value]

    def recv_into(self, buffer: Any, nbytes: Optional[int] = None, flags: int = 0) -> int:
        self._checkClosed()
        if self._conn is None:
            return socket.socket.recv_into(self, buffer, nbytes or 0, flags)
        if flags != 0:
            raise ValueError(f"non-zero flags not allowed in calls to recv_into() on {type(self)}")
        return self.read(nbytes or 0, buffer)  # type: ignore[return-value]

    def write(self, data: Any) -> int:
        """Encrypts and sends `data` (ferrotls_conn_write_plaintext): the count accepted. On a
        non-blocking socket the encrypted bytes the kernel does not take yet are kept and sent
        first by the next call (SSLWantWriteError while they still wait)."""
        conn = self._check_connected()
        view = memoryview(data).cast("B")
        with self._lock:
            deadline = _Timeout(self._timeout)
            if self._error is not None:
                raise self._error
            if conn.is_handshaking():
                self._handshake(deadline)
            if self._out and not self._flush() and self._timeout == 0.0:
                raise errors.want_write()
            rc, n = conn.write_plaintext(bytes(view[:_MAX_WRITE]))
            if rc != errors.OK:
                raise self._failed(rc)
            if self._timeout == 0.0:
                self._flush()
            else:
                self._send_all(deadline, "write")
            return n

    def send(self, data: Any, flags: int = 0) -> int:
        self._checkClosed()
        if self._conn is None:
            return socket.socket.send(self, data, flags)
        if flags != 0:
            raise ValueError(f"non-zero flags not allowed in calls to send() on {type(self)}")
        return self.write(data)

    def sendall(self, data: Any, flags: int = 0) -> None:
        self._checkClosed()
        if self._conn is None:
            return socket.socket.sendall(self, data, flags)
        if flags != 0:
            raise ValueError(f"non-zero flags not allowed in calls to sendall() on {type(self)}")
        view = memoryview(data).cast("B")
        while view.nbytes:
            n = self.send(view)
            view = view[n:]
        return None

    def sendfile(self, file: Any, offset: int = 0, count: Optional[int] = None) -> int:
        """Through TLS with send(), as ssl does (os.sendfile would put plaintext on the wire)."""
        if self._conn is not None:
            return self._sendfile_use_send(file, offset, count)  # type: ignore[attr-defined]
        return socket.socket.sendfile(self, file, offset, count)

    def recvfrom(self, buflen: int = 1024, flags: int = 0) -> Any:
        self._checkClosed()
        if self._conn is not None:
            raise ValueError(f"recvfrom not allowed on instances of {type(self)}")
        return socket.socket.recvfrom(self, buflen, flags)

    def recvfrom_into(self, buffer: Any, nbytes: Optional[int] = None, flags: int = 0) -> Any:
        self._checkClosed()
        if self._conn is not None:
            raise ValueError(f"recvfrom_into not allowed on instances of {type(self)}")
        return socket.socket.recvfrom_into(self, buffer, nbytes or 0, flags)

    def sendto(self, data: Any, flags_or_addr: Any, addr: Any = None) -> Any:
        self._checkClosed()
        if self._conn is not None:
            raise ValueError(f"sendto not allowed on instances of {type(self)}")
        if addr is None:
            return socket.socket.sendto(self, data, flags_or_addr)
        return socket.socket.sendto(self, data, flags_or_addr, addr)

    def sendmsg(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"sendmsg not allowed on instances of {type(self)}")

    def recvmsg(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"recvmsg not allowed on instances of {type(self)}")

    def recvmsg_into(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"recvmsg_into not allowed on instances of {type(self)}")

    def sendmsg_afalg(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"sendmsg_afalg not allowed on instances of {type(self)}")

    def dup(self) -> Any:
        raise NotImplementedError(f"Can't dup() {type(self)} instances")

    def pending(self) -> int:
        """Decrypted bytes that recv() returns without waiting (0 before the handshake)."""
        conn = self._conn
        if conn is None:
            return 0
        with self._lock:
            return conn.plaintext_bytes_to_read()

    def unwrap(self) -> socket.socket:
        """Sends close_notify, waits for the peer's, and returns the plain socket."""
        conn = self._check_connected()
        with self._lock:
            deadline = _Timeout(self._timeout)
            rc = conn.send_close_notify()
            if rc != errors.OK:
                raise self._failed(rc)
            self._shut = True
            self._send_all(deadline, "write")
            while True:
                rc, _ = conn.read_plaintext(16384)
                if rc in (errors.CLOSED, errors.TRUNCATED):
                    break
                if rc not in (errors.OK, errors.WANT_READ):
                    raise self._failed(rc)
                if rc == errors.OK:
                    continue
                got = self._fill()
                if got is None:
                    self._wait(True, deadline, "read")
                else:
                    self._process()
            self._conn = None
        timeout = self._timeout
        plain = socket.socket(self.family, self.type, self.proto, self.detach())
        plain.settimeout(timeout)
        return plain

    def shutdown(self, how: int) -> None:
        """Sends close_notify (when the write side closes) before socket.shutdown; the read side
        keeps decrypting until the peer's close_notify."""
        self._checkClosed()
        conn = self._conn
        if conn is not None and how in (socket.SHUT_WR, socket.SHUT_RDWR) and not self._shut:
            with self._lock:
                if not self._shut and self._error is None and self._handshake_done():
                    self._shut = True
                    conn.send_close_notify()
                    try:
                        self._send_all(_Timeout(self._timeout if self._timeout else 1.0), "write")
                    except (OSError, errors.SSLError):
                        pass
        socket.socket.shutdown(self, how)

    def verify_client_post_handshake(self) -> None:
        raise NotImplementedError("post-handshake authentication is TLS 1.3 only; ferrotls speaks TLS 1.0-1.2")

    def _real_close(self) -> None:  # type: ignore[override]
        # A best-effort close_notify once the handshake is done, so peers see a clean end.
        conn = self._conn
        if conn is not None and not self._shut and self._error is None and self._lock.acquire(timeout=1.0):
            try:
                if self._handshake_done():
                    self._shut = True
                    conn.send_close_notify()
                    try:
                        self._flush()
                    except OSError:
                        pass
            finally:
                self._lock.release()
        self._conn = None
        socket.socket._real_close(self)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<ferrotls.SSLSocket fd={self.fileno()} server_side={self._server_side}>"
