"""SSLObject (TLS over two ssl.MemoryBIO objects, on the sans-IO C calls; an instance of
``ssl.SSLObject``) and the connection information it shares with SSLSocket (getpeercert,
version, cipher, ...)."""
from __future__ import annotations

import contextlib
import ssl as _ssl
import threading
import weakref
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple, Union

from . import errors
from .ciphers import describe
from .connection import Connection
from .session import SSLSession

if TYPE_CHECKING:
    from .context import SSLContext

__all__ = ["SSLObject"]

# Secret bits by a part of the OpenSSL name, for a suite describe() does not know.
_BITS = {"AES128": 128, "AES_128": 128, "AES256": 256, "AES_256": 256, "CHACHA20": 256, "DES-CBC3": 112,
         "RC4": 128}


# The object whose handshake the current thread is driving: the verify callback (which runs
# inside ferrotls_conn_process on that thread) notes the peer's chain there, so a refusal can
# be reported with OpenSSL's verify_code (a self-signed top is 19, an issuer not found 20).
_current = threading.local()


@contextlib.contextmanager
def _verifying(obj: "_ConnectionInfo") -> Iterator[None]:
    previous = getattr(_current, "obj", None)
    _current.obj = obj
    try:
        yield
    finally:
        _current.obj = previous


def note_certificate(depth: int, subject: Optional[str], issuer: Optional[str]) -> None:
    """Called by the context's verify callback for each certificate of the peer's chain."""
    obj = getattr(_current, "obj", None)
    if obj is not None:
        obj._chain_seen[depth] = (subject or "", issuer or "")


class _ConnectionInfo:
    """What SSLSocket and SSLObject report about an established connection."""

    _conn: Optional[Connection]
    _context: "SSLContext"
    _server_side: bool
    _server_hostname: Optional[str]
    _chain_seen: Dict[int, Tuple[str, str]]

    def _make_error(self, rc: int) -> errors.SSLError:
        """The exception for `rc`, with the connection's detail and OpenSSL's verify_code."""
        # The callback reports from the top down and stops at the first refusal: depths it did
        # not reach are unknown (their place still counts for "a lone leaf" versus "a chain").
        top = max(self._chain_seen, default=-1)
        chain: List[Tuple[str, str]] = [self._chain_seen.get(d, ("", "?")) for d in range(top + 1)]
        detail = self._conn.last_error() if self._conn is not None else ""
        return errors.error_for(rc, detail, chain, self._server_hostname)

    @property
    def context(self) -> "SSLContext":
        """The SSLContext this object was made from."""
        return self._context

    @context.setter
    def context(self, ctx: "SSLContext") -> None:
        """As ssl, an SNI callback (SSLContext.sni_callback) may move a server connection to
        another server context: the handshake then presents that context's certificate chain
        (the last load_cert_chain) through the server-name callback of the C API. The rest of a
        connection's configuration is fixed when it is made, so outside the callback only the
        same context is accepted."""
        if ctx is self._context:
            return
        if not getattr(self, "_in_sni_callback", False):
            raise NotImplementedError("ferrotls moves a connection to another SSLContext only inside its "
                                      "context's sni_callback (the certificate changes; the rest of the "
                                      "configuration is fixed when the connection is made)")
        from .context import SSLContext
        if not isinstance(ctx, SSLContext):
            raise TypeError(f"The value must be a ferrotls.SSLContext, not {type(ctx).__name__}")
        if ctx._client or ctx._chain is None or ctx._key is None:
            raise ValueError("the new context must be a server context with a certificate (load_cert_chain)")
        self._context = ctx

    @property
    def server_side(self) -> bool:
        return self._server_side

    @property
    def server_hostname(self) -> Optional[str]:
        return self._server_hostname

    @property
    def session(self) -> Optional[SSLSession]:
        """The session to offer to a later connection (ferrotls_conn_session); before the
        handshake, the one set to be offered; None when the server gave none. At TLS 1.3 the
        newest ticket, None until the client has read the tickets sent after the handshake."""
        if self._conn is None or not self._handshake_done():
            return getattr(self, "_offered_session", None)
        return self._conn.session()

    @session.setter
    def session(self, session: Optional[SSLSession]) -> None:
        """Offers `session` in the handshake to come (as ssl: only before it starts)."""
        if self._server_side:
            raise ValueError("Cannot set session for server-side SSLSocket.")
        if self._conn is not None:
            raise ValueError("Cannot set session after handshake.")
        self._offered_session = session

    @property
    def session_reused(self) -> bool:
        """ferrotls_conn_session_reused: the handshake resumed a session."""
        return self._conn is not None and self._conn.session_reused()

    def _handshake_finished(self) -> None:
        """Counts a completed handshake once, for SSLContext.session_stats()."""
        if not getattr(self, "_counted", False):
            self._counted = True
            self._context._count(self._server_side, self._conn is not None and self._conn.session_reused())

    def _handshake_done(self) -> bool:
        return self._conn is not None and not self._conn.is_handshaking() and self._conn.protocol_version() != 0

    def getpeercert(self, binary_form: bool = False) -> Union[Dict[str, Any], bytes, None]:
        """The peer's leaf certificate (ferrotls_conn_peer_cert_chain): a dict like ssl's, or DER.

        As in ssl: {} when the certificate was not verified (CERT_NONE), None when the peer sent none.
        """
        if not self._handshake_done():
            raise ValueError("handshake not done yet")
        assert self._conn is not None
        chain = self._conn.peer_cert_chain()
        if len(chain) == 0:
            return None
        leaf = chain[0]
        if binary_form:
            return leaf.der()
        if self._context.verify_mode == _ssl.CERT_NONE:
            return {}
        return leaf.to_dict()

    def get_verified_chain(self) -> list:
        """The peer's chain as DER blobs, leaf first (ferrotls_conn_peer_cert_chain)."""
        if self._conn is None:
            return []
        return [c.der() for c in self._conn.peer_cert_chain()]

    def version(self) -> Optional[str]:
        """ferrotls_conn_protocol_version_name, spelled as ssl does ("TLSv1", "TLSv1.1", "TLSv1.2",
        "TLSv1.3")."""
        if not self._handshake_done():
            return None
        assert self._conn is not None
        name = self._conn.protocol_version_name()
        return "TLSv1" if name == "TLSv1.0" else name

    def cipher(self) -> Optional[Tuple[str, str, int]]:
        """As ssl: (OpenSSL suite name, the protocol version that introduced the suite as
        OpenSSL names it, secret bits), for the suite ferrotls_conn_cipher_suite chose."""
        if not self._handshake_done():
            return None
        assert self._conn is not None
        d = describe(self._conn.cipher_suite())
        if d is None:
            name = self._conn.cipher_suite_openssl_name() or ""
            return name, self.version() or "", next((b for part, b in _BITS.items() if part in name), 0)
        return d["name"], d["protocol"], d["strength_bits"]

    def shared_ciphers(self) -> Optional[List[Tuple[str, str, int]]]:
        """As ssl: on a server after a full handshake, the suites both the client and this
        server allow, as cipher() tuples in the server's order (what the C server-name callback
        reports); None on a client, before the handshake, and after a resumed handshake (no
        certificate was chosen, so the library did not report them)."""
        shared = getattr(self, "_shared_suites", None)
        if not self._server_side or shared is None:
            return None
        found = (describe(n) for n in shared)
        return [(d["name"], d["protocol"], d["strength_bits"]) for d in found if d is not None]

    def compression(self) -> None:
        """TLS compression is never used."""
        return None

    def selected_alpn_protocol(self) -> Optional[str]:
        """The protocol ALPN agreed (ferrotls_conn_alpn_protocol), as ssl: a str, or None before
        the handshake and when either side did not do ALPN."""
        if self._conn is None:
            return None
        p = self._conn.alpn_protocol()
        return None if p is None else p.decode()

    def export_keying_material(self, label: Union[str, bytes], length: int,
                               context: Optional[bytes] = None) -> bytes:
        """Keying material bound to this connection (RFC 5705; the ``ssl`` module has no such
        method, this is pyOpenSSL's ``Connection.export_keying_material`` shape):
        ``length`` bytes for ``label`` and ``context`` (None: no context, which differs from
        b""), as the peer derives them. ValueError before the handshake completed; SSLError
        for a label the TLS PRF itself uses (e.g. "master secret")."""
        if self._conn is None or not self._handshake_done():
            raise ValueError("export_keying_material: the handshake has not completed")
        if isinstance(label, str):
            label = label.encode("ascii")
        return self._conn.export_keying_material(label, int(length), context)

    def selected_npn_protocol(self) -> None:
        return None

    def get_channel_binding(self, cb_type: str = "tls-unique") -> None:
        """Channel bindings are not in the C API (it does not expose the Finished messages that
        tls-unique is made of): CHANNEL_BINDING_TYPES is empty and every type is refused, as ssl
        refuses the types it lacks."""
        raise ValueError(f"{cb_type} channel binding type not implemented (ferrotls does not expose the "
                         "Finished messages)")

    def verify_client_post_handshake(self) -> None:
        raise NotImplementedError("post-handshake authentication is TLS 1.3 only")

    def client_certificate_sent(self) -> bool:
        """Client side: whether a certificate was sent (ferrotls_conn_client_certificate_sent)."""
        return self._conn is not None and self._conn.client_certificate_sent()


class SSLObject(_ConnectionInfo, _ssl.SSLObject):
    """TLS over ``ssl.MemoryBIO`` objects, as ``ssl.SSLObject``: made by ``SSLContext.wrap_bio``.

    Each call moves what ``incoming`` holds into the connection (ferrotls_conn_feed_tls +
    ferrotls_conn_process), and what it wants to send into ``outgoing`` (ferrotls_conn_take_tls).
    Raises SSLWantReadError when it needs more bytes from the peer. Like ssl's, one thread
    at a time (asyncio, trio and anyio drive it from their event loop).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"{type(self).__name__} does not have a public constructor. "
                        "Instances are returned by SSLContext.wrap_bio().")

    @classmethod
    def _create(cls, incoming: _ssl.MemoryBIO, outgoing: _ssl.MemoryBIO, server_side: bool = False,
                server_hostname: Optional[str] = None, session: Any = None,
                context: Optional["SSLContext"] = None) -> "SSLObject":
        assert context is not None
        self = cls.__new__(cls)
        self._chain_seen = {}
        self._offered_session = session
        self._context = context
        self._conn = context._new_connection(server_side, server_hostname, session=session)
        self._conn.owner = weakref.ref(self)
        self._incoming = incoming
        self._outgoing = outgoing
        self._server_side = server_side
        self._server_hostname = server_hostname
        self._inbuf = b""        # TLS bytes read from `incoming` that the connection did not take yet
        self._plain = bytearray()  # decrypted application data not read yet
        self._end: Optional[int] = None  # CLOSED or TRUNCATED once the peer's stream ended
        self._eof_fed = False
        self._error: Optional[errors.SSLError] = None
        return self

    def _flush_out(self) -> None:
        assert self._conn is not None
        while self._conn.wants_write():
            rc, data = self._conn.take_tls()
            if not data:
                break
            self._outgoing.write(data)

    def _fail(self, rc: int) -> errors.SSLError:
        assert self._conn is not None
        if self._error is None:
            self._error = self._make_error(rc)
        try:
            self._flush_out()  # the alert that explains the failure
        except Exception:
            pass
        return self._error

    def _step(self) -> None:
        """Feeds incoming bytes, processes them, collects plaintext, queues outgoing bytes."""
        if self._error is not None:
            raise self._error
        conn = self._conn
        assert conn is not None
        self._inbuf += self._incoming.read()
        while True:
            if self._inbuf:
                rc, used = conn.feed_tls(self._inbuf)
                if rc != errors.OK:
                    raise self._fail(rc)
                self._inbuf = self._inbuf[used:]
            elif self._incoming.eof and not self._eof_fed:
                self._eof_fed = True
                rc = conn.feed_eof()
                if rc != errors.OK:
                    raise self._fail(rc)
            else:
                used = 0
            with _verifying(self):
                rc = conn.process()
            if rc != errors.OK:
                raise self._fail(rc)
            self._drain_plaintext()
            if not self._inbuf or used == 0:
                break
        self._flush_out()

    def _drain_plaintext(self) -> None:
        assert self._conn is not None
        while self._end is None:
            rc, data = self._conn.read_plaintext()
            if rc == errors.OK:
                self._plain += data
            elif rc == errors.WANT_READ:
                return
            elif rc in (errors.CLOSED, errors.TRUNCATED):
                self._end = rc
            else:
                raise self._fail(rc)

    def do_handshake(self) -> None:
        """Advances the handshake: returns once it is complete, else raises SSLWantReadError."""
        self._step()
        assert self._conn is not None
        if self._conn.is_handshaking():
            if self._end is not None:
                raise self._fail(self._end)
            raise errors.want_read()
        self._handshake_finished()

    def read(self, len: int = 1024, buffer: Any = None) -> Union[bytes, int]:
        """Up to `len` bytes of application data (into `buffer` if given: returns the count).
        b"" / 0 after the peer's close_notify; SSLEOFError if the stream ended without one."""
        self._step()
        assert self._conn is not None
        if self._conn.is_handshaking():
            self.do_handshake()
        if self._plain:
            n = min(len, self._plain.__len__()) if len > 0 else self._plain.__len__()
            data = bytes(self._plain[:n])
            del self._plain[:n]
            if buffer is not None:
                memoryview(buffer).cast("B")[:n] = data
                return n
            return data
        if self._end == errors.CLOSED:
            return 0 if buffer is not None else b""
        if self._end == errors.TRUNCATED:
            raise self._make_error(errors.TRUNCATED)
        raise errors.want_read()

    def write(self, data: Any) -> int:
        """Encrypts `data` into `outgoing` (ferrotls_conn_write_plaintext); returns the count taken."""
        if self._error is not None:
            raise self._error
        assert self._conn is not None
        if self._conn.is_handshaking():
            self.do_handshake()
        rc, n = self._conn.write_plaintext(bytes(data))
        if rc != errors.OK:
            raise self._fail(rc)
        self._flush_out()
        return n

    def pending(self) -> int:
        """Decrypted bytes ready for read(): those taken from the connection and those it holds."""
        held = self._conn.plaintext_bytes_to_read() if self._conn is not None else 0
        return len(self._plain) + held

    def unwrap(self) -> None:
        """Sends close_notify (ferrotls_conn_send_close_notify); returns once the peer's arrived,
        else raises SSLWantReadError."""
        assert self._conn is not None
        rc = self._conn.send_close_notify()
        if rc != errors.OK:
            raise self._fail(rc)
        try:
            self._step()
        finally:
            self._flush_out()
        if self._end is None and not self._conn.peer_has_closed():
            raise errors.want_read()
