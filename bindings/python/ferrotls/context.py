"""SSLContext, shaped like ``ssl.SSLContext`` (and an instance of it, so asyncio and other
``isinstance(ctx, ssl.SSLContext)`` checks accept it): settings are recorded, and a ferrotls
client or server configuration is built from them (ferrotls_*_config_builder_*) when the first
socket or BIO is wrapped after a change.

The ``ssl.SSLContext`` base is only there for those checks: every method and property that
matters is overridden, and the few ``ssl`` features ferrotls lacks raise NotImplementedError.
"""
from __future__ import annotations

import enum
import operator
import os
import socket
import ssl as _ssl
import sys
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from . import errors
from .ciphers import describe, resolve_cipher_string
from .config import ClientConfig, ClientConfigBuilder, ServerConfig, ServerConfigBuilder
from .connection import Connection, driving
from .session import SSLSession
from .sslobject import SSLObject, note_certificate
from .sslsocket import SSLSocket
from .x509 import Bytes, CertChain, Certificate, ClientVerifier, PrivateKey, TrustStore, VerifyCallback, has

__all__ = [
    "SSLContext", "TLSVersion", "create_default_context", "PROTOCOL_TLS_CLIENT", "PROTOCOL_TLS_SERVER",
    "CERT_NONE", "CERT_OPTIONAL", "CERT_REQUIRED", "Purpose",
]

PROTOCOL_TLS_CLIENT = _ssl.PROTOCOL_TLS_CLIENT
PROTOCOL_TLS_SERVER = _ssl.PROTOCOL_TLS_SERVER
CERT_NONE = _ssl.CERT_NONE
CERT_OPTIONAL = _ssl.CERT_OPTIONAL
CERT_REQUIRED = _ssl.CERT_REQUIRED
Purpose = _ssl.Purpose

#: Where load_default_certs() looks when the library lacks ferrotls_trust_store_add_system.
_SYSTEM_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                   "/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem")

_STATS_LOCK = threading.Lock()

#: SSLContext.num_tickets: OpenSSL's default, and the most ferrotls_server_config_builder_set_tls13_tickets takes.
DEFAULT_NUM_TICKETS = 2
MAX_NUM_TICKETS = 16


def _offered_suites(ciphers: Optional[str], legacy: bool, versions: Tuple[int, int]) -> List[int]:
    """The suites a client configuration with these settings offers, in its order: the library
    resolves the cipher string, and its ClientHello (RFC 5246 §7.4.1.2) lists the result."""
    builder = ClientConfigBuilder().set_legacy(legacy).set_versions(*versions)
    if ciphers is not None:
        builder.set_cipher_list(ciphers)
    conn = Connection.client(builder.dangerous_no_verify().build(), "localhost")
    conn.process()
    _, hello = conn.take_tls()
    # record header (5) + handshake header (4) + client_version (2) + random (32), then session_id.
    at = 5 + 4 + 2 + 32
    at += 1 + hello[at]
    length = int.from_bytes(hello[at:at + 2], "big")
    body = hello[at + 2:at + 2 + length]
    return [int.from_bytes(body[i:i + 2], "big") for i in range(0, len(body), 2)]


# An IP literal is never sent as SNI: the name a client connection gets when no
# server_hostname was given (check_hostname off); the verify callback waives the name check.
_NO_NAME = "0.0.0.0"


class TLSVersion(enum.IntEnum):
    """Protocol versions (the wire numbers, as ssl.TLSVersion and ferrotls_tls_version)."""

    MINIMUM_SUPPORTED = -2
    MAXIMUM_SUPPORTED = -1
    SSLv3 = 0x0300
    TLSv1 = 0x0301
    TLSv1_1 = 0x0302
    TLSv1_2 = 0x0303
    TLSv1_3 = 0x0304


def _version(value: Any, maximum: bool) -> TLSVersion:
    try:
        version = TLSVersion(int(value))
    except ValueError:
        raise ValueError(f"ferrotls supports TLS 1.0 to 1.3, not {value!r}") from None
    if version == TLSVersion.SSLv3:
        raise ValueError("SSL 3.0 is never allowed (RFC 7568); ferrotls supports TLS 1.0 to 1.3")
    return version


def _unsupported(name: str, why: str) -> Callable[..., Any]:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"SSLContext.{name}: {why}")
    method.__name__ = name
    return method


class SSLContext(_ssl.SSLContext):
    """TLS settings for client or server connections: ``SSLContext(PROTOCOL_TLS_CLIENT)`` or
    ``SSLContext(PROTOCOL_TLS_SERVER)``."""

    def __new__(cls, protocol: int = PROTOCOL_TLS_CLIENT, *args: Any, **kwargs: Any) -> "SSLContext":
        if protocol not in (PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER):
            raise ValueError("ferrotls.SSLContext takes PROTOCOL_TLS_CLIENT or PROTOCOL_TLS_SERVER")
        return super().__new__(cls, protocol)  # type: ignore[no-any-return]

    def __init__(self, protocol: int = PROTOCOL_TLS_CLIENT) -> None:
        self._client = protocol == PROTOCOL_TLS_CLIENT
        self._verify_mode = CERT_REQUIRED if self._client else CERT_NONE
        self._check_hostname = self._client
        self._minimum = TLSVersion.MINIMUM_SUPPORTED
        self._maximum = TLSVersion.MAXIMUM_SUPPORTED
        self._ciphers: Optional[str] = None
        self._alpn: List[bytes] = []
        self._legacy = False
        self._roots = TrustStore()
        self._chain: Optional[CertChain] = None
        self._key: Optional[PrivateKey] = None
        # A server's pairs by OpenSSL's key-type slot (RSA, EC, Ed25519), as load_cert_chain keeps
        # one per type: an RSA and an ECDSA certificate may be loaded side by side.
        self._server_certs: Dict[int, Tuple[CertChain, PrivateKey]] = {}
        self._crls: List[bytes] = []
        self._verify_callback: Optional[VerifyCallback] = None
        self._options = int(_ssl.OP_ALL | _ssl.OP_NO_SSLv3)
        self._built: Union[ClientConfig, ServerConfig, None] = None
        self._ca_certs: List[Certificate] = []
        self._verify_flags = int(_ssl.VERIFY_X509_TRUSTED_FIRST)
        self._keylog_filename: Optional[str] = None
        self._groups: Optional[str] = None
        self._sni_callback: Optional[Callable[..., Any]] = None
        self._keylog_file: Optional[Any] = None
        self._keylog_lock = threading.Lock()
        self._num_tickets = DEFAULT_NUM_TICKETS
        self._stats: Dict[str, int] = dict.fromkeys(
            ("number", "connect", "connect_good", "connect_renegotiate", "accept", "accept_good",
             "accept_renegotiate", "hits", "misses", "timeouts", "cache_full", "cb_hits", "cb_misses"), 0)

    def _changed(self) -> None:
        self._built = None

    # --- properties, as ssl.SSLContext --------------------------------------------------------------
    @property
    def verify_mode(self) -> _ssl.VerifyMode:  # type: ignore[override]
        """CERT_NONE / CERT_OPTIONAL / CERT_REQUIRED. Client: CERT_NONE turns verification off
        (ferrotls_client_config_builder_dangerous_no_verify). Server: OPTIONAL / REQUIRED ask for
        a client certificate (ferrotls_client_verifier_new / _set_optional)."""
        return _ssl.VerifyMode(self._verify_mode)

    @verify_mode.setter
    def verify_mode(self, value: int) -> None:
        value = _ssl.VerifyMode(value)
        if value == CERT_NONE and self._check_hostname:
            raise ValueError("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.")
        self._verify_mode = value
        self._changed()

    @property
    def check_hostname(self) -> bool:  # type: ignore[override]
        """Client: match the server certificate against server_hostname (on by default)."""
        return self._check_hostname

    @check_hostname.setter
    def check_hostname(self, value: bool) -> None:
        self._check_hostname = bool(value)
        if value and self._verify_mode == CERT_NONE:
            self._verify_mode = CERT_REQUIRED
        self._changed()

    @property
    def minimum_version(self) -> TLSVersion:  # type: ignore[override]
        """Lowest version (TLSVersion; below TLSv1_2 needs ``legacy = True``)."""
        return self._minimum

    @minimum_version.setter
    def minimum_version(self, value: Any) -> None:
        self._minimum = _version(value, maximum=False)
        self._changed()

    @property
    def maximum_version(self) -> TLSVersion:  # type: ignore[override]
        """Highest version (TLSVersion): TLSv1_3 by default (MAXIMUM_SUPPORTED)."""
        return self._maximum

    @maximum_version.setter
    def maximum_version(self, value: Any) -> None:
        self._maximum = _version(value, maximum=True)
        self._changed()

    @property
    def legacy(self) -> bool:
        """The legacy profile (ferrotls_*_config_builder_set_legacy): TLS 1.0/1.1, 3DES, RC4 and
        SHA-1 certificates. Off by default."""
        return self._legacy

    @legacy.setter
    def legacy(self, value: bool) -> None:
        self._legacy = bool(value)
        self._changed()

    def set_legacy(self, on: bool = True) -> None:
        """Same as ``ctx.legacy = on``."""
        self.legacy = on

    @property
    def options(self) -> _ssl.Options:  # type: ignore[override]
        """Recorded for compatibility; of OpenSSL's option bits OP_NO_TICKET acts (no RFC 5077
        session tickets: sessions resume by session ID), and OP_NO_TLSv1_3 / OP_NO_TLSv1_2 take
        those versions off the range, as ssl does."""
        return _ssl.Options(self._options)

    @options.setter
    def options(self, value: int) -> None:
        if (int(value) ^ self._options) & (_ssl.OP_NO_TICKET | _ssl.OP_NO_TLSv1_3 | _ssl.OP_NO_TLSv1_2):
            self._changed()
        self._options = int(value)

    @property
    def verify_flags(self) -> _ssl.VerifyFlags:  # type: ignore[override]
        """The flags that describe what ferrotls does anyway are accepted: X509_STRICT (RFC 5280
        checks are always strict), X509_TRUSTED_FIRST (a trusted issuer is always preferred) and
        X509_PARTIAL_CHAIN (every certificate in the trust store is an anchor). CRL checking goes
        through load_crl(); the CRL and proxy flags raise NotImplementedError saying so."""
        return _ssl.VerifyFlags(self._verify_flags)

    @verify_flags.setter
    def verify_flags(self, value: int) -> None:
        value = int(value)
        crl = int(_ssl.VERIFY_CRL_CHECK_LEAF | _ssl.VERIFY_CRL_CHECK_CHAIN)
        if value & crl:
            raise NotImplementedError("verify_flags: CRL checking is turned on by loading a CRL with "
                                      "ctx.load_crl(pem), which checks the chain against it")
        if value & int(_ssl.VERIFY_ALLOW_PROXY_CERTS):
            raise NotImplementedError("verify_flags: proxy certificates (RFC 3820) are not supported")
        self._verify_flags = value

    @property
    def post_handshake_auth(self) -> None:  # type: ignore[override]
        """None: no TLS 1.3, so no post-handshake authentication."""
        return None

    @post_handshake_auth.setter
    def post_handshake_auth(self, value: bool) -> None:
        pass

    @property
    def hostname_checks_common_name(self) -> bool:  # type: ignore[override]
        """Only the legacy profile matches a name against the CN (without DNS subjectAltNames)."""
        return self._legacy

    @hostname_checks_common_name.setter
    def hostname_checks_common_name(self, value: bool) -> None:
        if bool(value) != self._legacy:
            raise NotImplementedError("ferrotls matches a name against the CN only in the legacy profile: "
                                      f"set ctx.legacy = {bool(value)} instead")

    # --- certificates ----------------------------------------------------------------------------------
    def load_cert_chain(self, certfile: Union[str, "os.PathLike[str]"],
                        keyfile: Union[str, "os.PathLike[str]", None] = None,
                        password: Union[str, bytes, Callable[[], Union[str, bytes]], None] = None) -> None:
        """Our certificate chain (leaf first) and its key (RSA, ECDSA P-256/P-384, Ed25519): the
        server's (ferrotls_server_config_builder_set_cert_chain_and_key; as with OpenSSL, one per
        key type, so an RSA and an ECDSA chain loaded one after the other are both served,
        ferrotls_server_config_builder_add_cert_chain_and_key) or the client's
        (ferrotls_client_config_builder_set_client_cert). An encrypted key takes `password`
        (ferrotls_private_key_from_pem_with_password)."""
        chain = CertChain.from_file(certfile)
        keypath = keyfile if keyfile is not None else certfile
        if password is None:
            key = PrivateKey.from_file(keypath)
        else:
            pw = password() if callable(password) else password
            if isinstance(pw, str):
                pw = pw.encode()
            if not isinstance(pw, (bytes, bytearray)):
                raise TypeError("password should be a string or bytes")
            with open(keypath, "rb") as f:
                key = PrivateKey.from_pem(f.read(), password=pw)
        self._chain, self._key = chain, key
        slot = {PrivateKey.ECDSA_P384: PrivateKey.ECDSA_P256}.get(key.key_type(), key.key_type()) \
            if has("ferrotls_private_key_type") else 0
        self._server_certs.pop(slot, None)
        self._server_certs[slot] = (chain, key)
        self._changed()

    def load_verify_locations(self, cafile: Union[str, "os.PathLike[str]", None] = None,
                              capath: Union[str, "os.PathLike[str]", None] = None,
                              cadata: Union[str, Bytes, None] = None) -> None:
        """Trust the CAs in `cafile` (ferrotls_trust_store_add_file), the hashed directory
        `capath` (ferrotls_trust_store_add_dir) and `cadata` (PEM text, or DER bytes:
        ferrotls_trust_store_add_pem / _add_cert). On a server these verify client certificates."""
        if cafile is None and capath is None and cadata is None:
            raise TypeError("cafile, capath and cadata cannot be all omitted")
        if cafile is not None:
            self._roots.add_file(cafile)
            with open(cafile, "rb") as f:
                self._note_ca_pem(f.read())
        if capath is not None:
            self._roots.add_dir(capath)
        if cadata is not None:
            if isinstance(cadata, str):
                self._roots.add_pem(cadata)
                self._note_ca_pem(cadata.encode())
            else:
                data = bytes(cadata)
                if b"-----BEGIN" in data:
                    self._roots.add_pem(data)
                    self._note_ca_pem(data)
                else:
                    cert = Certificate.from_der(data)
                    self._roots.add_cert(cert)
                    self._ca_certs.append(cert)
        self._changed()

    def _note_ca_pem(self, pem: bytes) -> None:
        """Keeps the certificates of a CA file for get_ca_certs() (the trust store has them too)."""
        try:
            self._ca_certs.extend(CertChain.from_pem(pem))
        except errors.SSLError:
            pass

    def load_default_certs(self, purpose: Purpose = Purpose.SERVER_AUTH) -> None:
        """Trust the system's CAs (ferrotls_trust_store_add_system; with a library without it, the
        first of $SSL_CERT_FILE and the usual bundle files that exists)."""
        if has("ferrotls_trust_store_add_system"):
            self._roots.add_system()
        else:
            candidates = [os.environ.get("SSL_CERT_FILE", "")] + list(_SYSTEM_BUNDLES)
            found = next((p for p in candidates if p and os.path.isfile(p)), None)
            if found is None:
                raise errors.SSLError(6100, "no system CA bundle found (tried $SSL_CERT_FILE, "
                                      + ", ".join(_SYSTEM_BUNDLES) + ")")
            self._roots.add_file(found)
        self._changed()

    def set_default_verify_paths(self) -> None:
        self.load_default_certs()

    def load_crl(self, crl: Union[str, Bytes]) -> None:
        """Check certificates against a CRL (PEM): ferrotls_client_config_builder_add_crl_pem on
        a client, ferrotls_client_verifier_add_crl_pem on a server. (ssl loads CRLs through
        verify_flags and the trust store; this is the direct way.)"""
        self._crls.append(crl.encode() if isinstance(crl, str) else bytes(crl))
        self._changed()

    def set_verify_callback(self, callback: Optional[VerifyCallback]) -> None:
        """callback(depth, Certificate, ferrotls_result code) -> bool, called for each certificate of
        the peer's chain; True accepts it despite `code` (ferrotls_*_set_verify_callback)."""
        self._verify_callback = callback
        self._changed()

    def set_ciphers(self, ciphers: str) -> None:
        """As ssl: an OpenSSL cipher string (``ECDHE+AESGCM:!aNULL``, ``HIGH:!RSA``,
        ``AES128-SHA256``, ``DEFAULT:@SECLEVEL=0``; IANA names work too), read by the library's
        own OpenSSL-layer grammar, which selects what OpenSSL 3.0 would among the suites
        ferrotls has; SSLError("No cipher can be selected.") when it selects none. The TLS 1.3
        suites are not affected (as in ssl). The result goes to
        ferrotls_*_config_builder_set_cipher_list; a legacy suite (3DES, RC4) there needs
        ``legacy``, checked when the configuration is built."""
        if not isinstance(ciphers, str):
            raise TypeError(f"set_ciphers() argument must be str, not {type(ciphers).__name__}")
        self._ciphers = resolve_cipher_string(ciphers)
        self._changed()

    def set_alpn_protocols(self, alpn_protocols: Any) -> None:
        """ALPN (RFC 7301), as ssl: a list of str, most preferred first, each 1 to 255 ASCII
        bytes (ferrotls_*_config_builder_set_alpn_protocols). A client offers them; a server
        selects the first of its own that the client offered."""
        protos = []
        for protocol in alpn_protocols:
            b = bytes(protocol, "ascii")
            if len(b) == 0 or len(b) > 255:
                raise errors.SSLError(7002, "ALPN protocols must be 1 to 255 in length")
            protos.append(b)
        self._alpn = protos
        self._changed()

    def get_ca_certs(self, binary_form: bool = False) -> list:
        """The CA certificates loaded from cafile/cadata (as ssl: not those of capath or the
        system store, which are read when used), as getpeercert() dicts or DER."""
        return [c.der() if binary_form else c.to_dict() for c in self._ca_certs if c.is_ca()]

    def cert_store_stats(self) -> dict:
        ca = sum(1 for c in self._ca_certs if c.is_ca())
        return {"x509_ca": ca, "crl": len(self._crls), "x509": len(self._roots)}

    def get_ciphers(self) -> List[dict]:
        """The cipher suites this context enables, as ssl describes them, most preferred first:
        read from the ClientHello a configuration with these settings sends."""
        found = (describe(n) for n in _offered_suites(self._ciphers, self._legacy, self._versions()))
        return [d for d in found if d is not None]

    def session_stats(self) -> Dict[str, int]:
        """Handshakes counted by the binding, under ssl's (OpenSSL's) keys: ``connect`` /
        ``accept`` started, ``*_good`` completed, ``hits`` / ``misses`` resumed or full server
        handshakes. ``number`` (sessions in the server cache) and ``timeouts`` are not exposed by
        the C API and stay 0; there is no renegotiation."""
        return dict(self._stats)

    def _count(self, server_side: bool, reused: bool) -> None:
        with _STATS_LOCK:
            if server_side:
                self._stats["accept_good"] += 1
                self._stats["hits" if reused else "misses"] += 1
            else:
                self._stats["connect_good"] += 1

    # --- what ferrotls cannot do today: said, never silently ignored ------------------------------------------
    set_npn_protocols = _unsupported("set_npn_protocols", "NPN is obsolete; use set_alpn_protocols()")

    def set_servername_callback(self, server_name_callback: Optional[Callable[..., Any]]) -> None:
        """The older spelling of sni_callback."""
        self.sni_callback = server_name_callback  # type: ignore[assignment]

    @property
    def sni_callback(self) -> Optional[Callable[..., Any]]:  # type: ignore[override]
        """As ssl: on a server context, ``callback(sslsocket, server_name, context)`` runs when a
        client's ClientHello arrives (``server_name`` is the name it asked for, IDNA-decoded, or
        None), before the server chooses its certificate. It may set ``sslsocket.context`` to
        another server SSLContext, whose certificate chain (its last load_cert_chain) is then
        served (ferrotls_server_config_builder_set_server_name_callback). It returns None to go
        on; an int (an ``ALERT_DESCRIPTION_*``) or an exception refuses the client, which
        receives unrecognized_name when it sent a name (handshake_failure otherwise: the C API
        chooses the alert) and the server's handshake raises SSLError."""
        return self._sni_callback

    @sni_callback.setter
    def sni_callback(self, value: Optional[Callable[..., Any]]) -> None:
        if self._client:
            raise ValueError("sni_callback cannot be set on TLS_CLIENT context")
        if value is not None and not callable(value):
            raise TypeError("not a callable object")
        self._sni_callback = value
        self._changed()

    def _server_name_hook(self) -> Callable[[Optional[str]], Any]:
        """What the C server-name callback runs: the sni_callback with the SSLSocket/SSLObject
        whose handshake this thread drives, then the pair of the context it chose."""
        import weakref

        ref = weakref.ref(self)

        def hook(server_name: Optional[str], shared: List[int]) -> Any:
            ctx = ref()
            callback = ctx._sni_callback if ctx is not None else None
            conn = driving()
            owner = conn.owner() if conn is not None and conn.owner is not None else None
            if owner is not None:
                owner._shared_suites = shared
            if ctx is None or callback is None or owner is None:
                return None
            name = server_name
            if name is not None:
                try:
                    name = name.encode("ascii").decode("idna")
                except UnicodeError:
                    pass
            owner._in_sni_callback = True
            try:
                verdict = callback(owner, name, ctx)
            finally:
                owner._in_sni_callback = False
            if verdict is not None:
                return False
            chosen = owner.context
            if chosen is ctx:
                return None
            return chosen._chain, chosen._key

        return hook

    def load_dh_params(self, path: Any) -> None:
        raise NotImplementedError("load_dh_params: ferrotls has no DHE key exchange (it uses RSA key exchange "
                                  "today; ECDHE arrives with issue 11), so there are no DH parameters to load")

    def set_ecdh_curve(self, name: Any) -> None:
        """As ssl: the one ECDHE group to use, by OpenSSL name (``prime256v1``, ``secp384r1``,
        ``X25519``; ferrotls_*_config_builder_set_groups). ValueError for an unknown name."""
        if isinstance(name, bytes):
            name = name.decode("ascii", "replace")
        if not isinstance(name, str):
            raise TypeError(f"set_ecdh_curve() argument must be str or bytes, not {type(name).__name__}")
        try:
            ClientConfigBuilder().set_groups(name)
        except errors.SSLError:
            raise ValueError(f"unknown elliptic curve name {name!r}") from None
        self._groups = name
        self._changed()

    @property
    def keylog_filename(self) -> Optional[str]:  # type: ignore[override]
        """As ssl: a file that every later connection of this context appends its secrets to,
        one NSS key log line each (``CLIENT_RANDOM <hex> <hex>``), for Wireshark; None (the
        default) turns it off. The file is opened for appending when set, and an empty file
        gets ssl's header line (ferrotls_*_config_builder_set_keylog_callback)."""
        return self._keylog_filename

    @keylog_filename.setter
    def keylog_filename(self, value: Any) -> None:
        if value is None:
            self._keylog_filename, self._keylog_file = None, None
            self._changed()
            return
        path = os.fspath(value)
        f = open(path, "a", encoding="ascii")  # errors (missing directory...) raise here, as in ssl
        if f.tell() == 0:
            f.write("# TLS secrets log file, generated by OpenSSL / Python\n")
            f.flush()
        self._keylog_filename, self._keylog_file = value, f
        self._changed()

    def _keylog_callback(self) -> Callable[[str, bytes, bytes], None]:
        """Writes each secret to the current key log file (one locked write and flush a line,
        so lines from connections on several threads never interleave)."""
        import weakref

        ref = weakref.ref(self)

        def log(label: str, client_random: bytes, secret: bytes) -> None:
            ctx = ref()
            f = ctx._keylog_file if ctx is not None else None
            if f is None:
                return
            with ctx._keylog_lock:  # type: ignore[union-attr]
                f.write(f"{label} {client_random.hex()} {secret.hex()}\n")
                f.flush()

        return log

    @property
    def num_tickets(self) -> int:  # type: ignore[override]
        """How many TLS 1.3 session tickets a server sends after a full handshake (RFC 8446
        §4.6.1; ferrotls_server_config_builder_set_tls13_tickets): 2 by default, as ssl over
        OpenSSL, so that a client, which uses each ticket once, can resume twice. Settable on
        server contexts only (ValueError on a client context, as ssl), from 0 (none) to 16.
        TLS 1.2 servers issue one RFC 5077 ticket per full handshake whatever the number."""
        return self._num_tickets

    @num_tickets.setter
    def num_tickets(self, value: int) -> None:
        value = operator.index(value)  # TypeError for what is not an integer, as ssl
        if value < 0:
            raise ValueError("value must be non-negative")
        if self._client:
            raise ValueError("SSLContext is not a server context.")
        if value > MAX_NUM_TICKETS:
            raise ValueError(f"num_tickets: a ferrotls server sends at most {MAX_NUM_TICKETS} TLS 1.3 tickets")
        self._num_tickets = value
        self._changed()

    @property
    def security_level(self) -> int:  # type: ignore[override]
        """OpenSSL's level closest to the profile: 2 by default (RSA >= 2048 bits, no SHA-1, no
        3DES/RC4), 0 with ``legacy``. Read-only, as in ssl."""
        return 0 if self._legacy else 2

    @property
    def protocol(self) -> _ssl._SSLMethod:
        return PROTOCOL_TLS_CLIENT if self._client else PROTOCOL_TLS_SERVER

    # --- building -----------------------------------------------------------------------------------------
    def _callback(self, waive_name: bool) -> Optional[VerifyCallback]:
        # Always installed when certificates are checked: it notes the chain for OpenSSL's
        # verify_code (errors.x509_verdict) and otherwise keeps the library's verdict.
        user = self._verify_callback

        def decide(depth: int, cert: Certificate, code: int) -> bool:
            note_certificate(depth, cert.subject(), cert.issuer())
            if waive_name and depth == 0 and code == errors.CERT_NOT_VALID_FOR_NAME:
                return True
            if user is not None:
                return bool(user(depth, cert, code))
            return code == errors.OK

        return decide

    def _versions(self) -> tuple:
        lo = 0 if self._minimum == TLSVersion.MINIMUM_SUPPORTED else int(self._minimum)
        hi = 0 if self._maximum == TLSVersion.MAXIMUM_SUPPORTED else int(self._maximum)
        # OP_NO_TLSv1_3 (and OP_NO_TLSv1_2 below it) lower the top of the range, as OpenSSL does.
        top = int(TLSVersion.TLSv1_3)
        if self._options & _ssl.OP_NO_TLSv1_3:
            top = int(TLSVersion.TLSv1_2)
            if self._options & _ssl.OP_NO_TLSv1_2:
                top = int(TLSVersion.TLSv1_1)
        if top < int(TLSVersion.TLSv1_3):
            hi = min(hi or top, top)
        return lo, hi

    def _config(self) -> Union[ClientConfig, ServerConfig]:
        if self._built is not None:
            return self._built
        if self._client:
            cb = ClientConfigBuilder().set_legacy(self._legacy).set_versions(*self._versions())
            # As ssl: a client resumes only the session given to wrap_socket(session=...), by
            # ticket unless OP_NO_TICKET; no store of its own.
            cb.set_tickets(not self._options & _ssl.OP_NO_TICKET).set_session_cache_size(0)
            if self._ciphers is not None:
                cb.set_cipher_list(self._ciphers)
            if self._verify_mode == CERT_NONE:
                cb.dangerous_no_verify()
            else:
                cb.set_trust_store(self._roots)
                for crl in self._crls:
                    cb.add_crl_pem(crl)
                callback = self._callback(waive_name=not self._check_hostname)
                if callback is not None:
                    cb.set_verify_callback(callback)
            if self._chain is not None and self._key is not None:
                cb.set_client_cert(self._chain, self._key)
            if self._alpn:
                cb.set_alpn_protocols(self._alpn)
            if self._keylog_file is not None:
                cb.set_keylog_callback(self._keylog_callback())
            if self._groups is not None:
                cb.set_groups(self._groups)
            self._built = cb.build()
        else:
            sb = ServerConfigBuilder().set_legacy(self._legacy).set_versions(*self._versions())
            sb.set_tickets(not self._options & _ssl.OP_NO_TICKET)
            sb.set_tls13_tickets(self._num_tickets)
            if self._ciphers is not None:
                sb.set_cipher_list(self._ciphers)
            if self._chain is None or self._key is None:
                raise errors.SSLError(7004, "a server context needs load_cert_chain() first")
            sb.set_cert_chain_and_key(self._chain, self._key)
            for chain, key in self._server_certs.values():
                if key is not self._key:
                    sb.add_cert_chain_and_key(chain, key)
            if self._verify_mode != CERT_NONE:
                verifier = ClientVerifier(self._roots)
                verifier.set_optional(self._verify_mode == CERT_OPTIONAL).set_legacy(self._legacy)
                for crl in self._crls:
                    verifier.add_crl_pem(crl)
                callback = self._callback(waive_name=False)
                if callback is not None:
                    verifier.set_verify_callback(callback)
                sb.set_client_verifier(verifier)
            if self._alpn:
                sb.set_alpn_protocols(self._alpn)
            if self._keylog_file is not None:
                sb.set_keylog_callback(self._keylog_callback())
            if self._groups is not None:
                sb.set_groups(self._groups)
            if has("ferrotls_server_config_builder_set_server_name_callback"):
                # Also without an sni_callback: it hands over the shared suites (shared_ciphers()).
                sb.set_server_name_callback(self._server_name_hook())
            self._built = sb.build()
        return self._built

    def _encode_hostname(self, hostname: Union[str, bytes, None]) -> Optional[str]:
        """As ssl: a str is IDNA-encoded (non-ASCII names become xn-- labels), bytes (what anyio
        and trio pass, already IDNA) are ASCII."""
        if hostname is None:
            return None
        if isinstance(hostname, str):
            return hostname.encode("idna").decode("ascii")
        if isinstance(hostname, (bytes, bytearray)):
            return bytes(hostname).decode("ascii")
        raise TypeError(f"server_hostname must be str or bytes, not {type(hostname).__name__}")

    def _new_connection(self, server_side: bool, server_hostname: Optional[str], sock: Any = None,
                        session: Optional[SSLSession] = None) -> Connection:
        if server_side != (not self._client):
            raise ValueError("Cannot create a server socket with a PROTOCOL_TLS_CLIENT context" if server_side
                             else "Cannot create a client socket with a PROTOCOL_TLS_SERVER context")
        config = self._config()
        with _STATS_LOCK:
            self._stats["accept" if server_side else "connect"] += 1
        if server_side:
            return Connection.server(config)  # type: ignore[arg-type]
        if server_hostname is None:
            if self._check_hostname:
                raise ValueError("check_hostname requires server_hostname")
        name = server_hostname if server_hostname else _NO_NAME
        return Connection.client(config, name, session)  # type: ignore[arg-type]

    # --- wrapping ----------------------------------------------------------------------------------------
    sslsocket_class = SSLSocket
    sslobject_class = SSLObject

    def _check_class(self, attr: str, base: type) -> type:
        cls = getattr(self, attr)
        if not (isinstance(cls, type) and issubclass(cls, base)):
            raise TypeError(f"{attr} must be ferrotls.{base.__name__} or a subclass of it, not {cls!r}")
        return cls

    def wrap_socket(self, sock: socket.socket, server_side: bool = False, do_handshake_on_connect: bool = True,
                    suppress_ragged_eofs: bool = True, server_hostname: Union[str, bytes, None] = None,
                    session: Any = None) -> SSLSocket:  # type: ignore[override]
        """A TLS socket over `sock` (which it takes over, as ssl does; closed if the handshake
        fails). ``sslsocket_class`` makes it."""
        cls = self._check_class("sslsocket_class", SSLSocket)
        if server_side and server_hostname:
            raise ValueError("server_hostname can only be specified in client mode")
        if not server_side and not self._client:
            raise ValueError("Cannot create a client socket with a PROTOCOL_TLS_SERVER context")
        if not server_side and self._check_hostname and not server_hostname:
            raise ValueError("check_hostname requires server_hostname")
        if session is not None and server_side:
            raise ValueError("session can only be specified in client mode")
        hostname = self._encode_hostname(server_hostname)
        self._config()  # configuration errors surface here, before the socket is taken over
        return cls._create(sock, server_side=server_side, do_handshake_on_connect=do_handshake_on_connect,
                           suppress_ragged_eofs=suppress_ragged_eofs, server_hostname=hostname,
                           context=self, session=session)

    def wrap_bio(self, incoming: _ssl.MemoryBIO, outgoing: _ssl.MemoryBIO, server_side: bool = False,
                 server_hostname: Union[str, bytes, None] = None, session: Any = None) -> SSLObject:  # type: ignore[override]
        """A TLS engine over two ssl.MemoryBIO objects (the sans-IO C calls); ``sslobject_class``
        makes it."""
        cls = self._check_class("sslobject_class", SSLObject)
        if server_side and server_hostname:
            raise ValueError("server_hostname can only be specified in client mode")
        if session is not None and server_side:
            raise ValueError("session can only be specified in client mode")
        return cls._create(incoming, outgoing, server_side=server_side,
                           server_hostname=self._encode_hostname(server_hostname), session=session, context=self)

    def __repr__(self) -> str:
        side = "client" if self._client else "server"
        return f"<ferrotls.SSLContext {side} verify_mode={self.verify_mode.name} legacy={self._legacy}>"


def create_default_context(purpose: Purpose = Purpose.SERVER_AUTH, *, cafile: Optional[str] = None,
                           capath: Optional[str] = None, cadata: Union[str, bytes, None] = None) -> SSLContext:
    """As ssl.create_default_context: a client context verifying servers (Purpose.SERVER_AUTH,
    system CAs unless cafile/capath/cadata), or a server context (Purpose.CLIENT_AUTH)."""
    if purpose == Purpose.SERVER_AUTH:
        ctx = SSLContext(PROTOCOL_TLS_CLIENT)
    elif purpose == Purpose.CLIENT_AUTH:
        ctx = SSLContext(PROTOCOL_TLS_SERVER)
    else:
        raise ValueError(purpose)
    if cafile or capath or cadata:
        ctx.load_verify_locations(cafile, capath, cadata)
    elif ctx.verify_mode != CERT_NONE:
        ctx.load_default_certs(purpose)
    # As ssl.create_default_context: SSLKEYLOGFILE, unless Python ignores the environment (-E).
    keylogfile = os.environ.get("SSLKEYLOGFILE")
    if keylogfile and not sys.flags.ignore_environment:
        ctx.keylog_filename = keylogfile
    return ctx
