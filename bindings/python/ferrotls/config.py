"""Configuration builders and configurations (ferrotls_client_config_builder,
ferrotls_client_config, ferrotls_server_config_builder, ferrotls_server_config): one method per C
call. SSLContext drives these; use them directly for settings the ``ssl`` shape has no word for
(extended master secret, encrypt-then-MAC, fallback SCSV).
"""
from __future__ import annotations

import sys
import types
from ctypes import byref, c_void_p
from typing import Any, Callable, List, Optional, Union

from . import errors
from ._lib import KEYLOG_CALLBACK, SERVER_NAME_CALLBACK, SERVER_NAME_DEFAULT, SERVER_NAME_REFUSE, SERVER_NAME_USE, lib, \
    slice_array
from .x509 import Bytes, CertChain, ClientVerifier, PrivateKey, TrustStore, VerifyCallback, _Handle, \
    make_verify_callback, require

__all__ = ["ClientConfigBuilder", "ClientConfig", "ServerConfigBuilder", "ServerConfig", "KeyLogCallback"]

#: Called with (label, client_random, secret) for each secret a connection derives (NSS key log).
KeyLogCallback = Any


def make_keylog_callback(fn: KeyLogCallback) -> Any:
    """A ferrotls_keylog_callback calling ``fn(label: str, client_random: bytes, secret: bytes)``.
    An exception in ``fn`` is reported by ctypes and swallowed: it must not cross the handshake."""
    import ctypes

    def call(_userdata: Any, label: bytes, random: int, random_len: int, secret: int, secret_len: int) -> None:
        fn(label.decode("ascii", "replace"), ctypes.string_at(random, random_len), ctypes.string_at(secret, secret_len))

    return KEYLOG_CALLBACK(call)


class ClientConfig(_Handle):
    """An immutable client configuration (ferrotls_client_config). Keeps alive what the C side
    points at (verify callbacks)."""

    _free = lib.ferrotls_client_config_free

    def __init__(self, handle: int, keepalive: List[Any]) -> None:
        super().__init__(handle)
        self.keepalive = keepalive


class ServerConfig(_Handle):
    """An immutable server configuration (ferrotls_server_config)."""

    _free = lib.ferrotls_server_config_free

    def __init__(self, handle: int, keepalive: List[Any]) -> None:
        super().__init__(handle)
        self.keepalive = keepalive


def _bytes(data: Union[str, Bytes]) -> bytes:
    return data.encode() if isinstance(data, str) else bytes(data)


class ClientConfigBuilder(_Handle):
    """ferrotls_client_config_builder; setters return self."""

    _free = lib.ferrotls_client_config_builder_free

    def __init__(self) -> None:
        """ferrotls_client_config_builder_new."""
        out = c_void_p()
        errors.check(lib.ferrotls_client_config_builder_new(byref(out)))
        super().__init__(out.value or 0)
        self._keepalive: List[Any] = []

    def _check(self, rc: int) -> "ClientConfigBuilder":
        errors.check(rc, self.last_error() or None)
        return self

    def set_versions(self, min_version: int = 0, max_version: int = 0) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_versions (0: the profile's bound)."""
        return self._check(lib.ferrotls_client_config_builder_set_versions(self, min_version, max_version))

    def set_cipher_list(self, ciphers: Optional[str]) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_cipher_list."""
        return self._check(lib.ferrotls_client_config_builder_set_cipher_list(
            self, None if ciphers is None else ciphers.encode()))

    def set_ciphersuites(self, suites: Optional[str]) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_ciphersuites (the TLS 1.3 suites)."""
        return self._check(lib.ferrotls_client_config_builder_set_ciphersuites(
            self, None if suites is None else suites.encode()))

    def set_legacy(self, on: bool) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_legacy."""
        return self._check(lib.ferrotls_client_config_builder_set_legacy(self, bool(on)))

    def set_extended_master_secret(self, on: bool) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_extended_master_secret."""
        return self._check(lib.ferrotls_client_config_builder_set_extended_master_secret(self, bool(on)))

    def set_encrypt_then_mac(self, on: bool) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_encrypt_then_mac."""
        return self._check(lib.ferrotls_client_config_builder_set_encrypt_then_mac(self, bool(on)))

    def set_trust_store(self, store: TrustStore) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_trust_store (copied)."""
        return self._check(lib.ferrotls_client_config_builder_set_trust_store(self, store))

    def set_tickets(self, on: bool) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_tickets (RFC 5077)."""
        return self._check(lib.ferrotls_client_config_builder_set_tickets(self, bool(on)))

    def set_session_cache_size(self, size: int) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_session_cache_size (0: resume only when asked)."""
        return self._check(lib.ferrotls_client_config_builder_set_session_cache_size(self, int(size)))

    def dangerous_no_verify(self) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_dangerous_no_verify."""
        return self._check(lib.ferrotls_client_config_builder_dangerous_no_verify(self))

    def set_enable_sni(self, on: bool) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_enable_sni."""
        return self._check(lib.ferrotls_client_config_builder_set_enable_sni(self, bool(on)))

    def set_send_fallback_scsv(self, on: bool) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_send_fallback_scsv."""
        return self._check(lib.ferrotls_client_config_builder_set_send_fallback_scsv(self, bool(on)))

    def set_client_cert(self, chain: CertChain, key: PrivateKey) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_client_cert (mutual-auth C API)."""
        require("ferrotls_client_config_builder_set_client_cert")
        return self._check(lib.ferrotls_client_config_builder_set_client_cert(self, chain, key))

    def set_verify_callback(self, fn: VerifyCallback) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_verify_callback (mutual-auth C API)."""
        require("ferrotls_client_config_builder_set_verify_callback")
        cb = make_verify_callback(fn)
        self._keepalive.append(cb)
        return self._check(lib.ferrotls_client_config_builder_set_verify_callback(self, cb, None))

    def add_crl_pem(self, pem: Union[str, Bytes]) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_add_crl_pem (mutual-auth C API)."""
        require("ferrotls_client_config_builder_add_crl_pem")
        data = _bytes(pem)
        return self._check(lib.ferrotls_client_config_builder_add_crl_pem(self, data, len(data)))

    def set_groups(self, groups: str) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_groups ("X25519:P-256", OpenSSL or IANA names)."""
        require("ferrotls_client_config_builder_set_groups")
        return self._check(lib.ferrotls_client_config_builder_set_groups(self, groups.encode()))

    def set_keylog_callback(self, fn: KeyLogCallback) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_keylog_callback: ``fn(label, client_random, secret)``."""
        require("ferrotls_client_config_builder_set_keylog_callback")
        cb = make_keylog_callback(fn)
        self._keepalive.append(cb)
        return self._check(lib.ferrotls_client_config_builder_set_keylog_callback(self, cb, None))

    def set_alpn_protocols(self, protocols: List[bytes]) -> "ClientConfigBuilder":
        """ferrotls_client_config_builder_set_alpn_protocols (copied; names checked at build)."""
        require("ferrotls_client_config_builder_set_alpn_protocols")
        items = [bytes(p) for p in protocols]
        arr = slice_array(items)
        return self._check(lib.ferrotls_client_config_builder_set_alpn_protocols(self, arr, len(items)))

    def build(self) -> ClientConfig:
        """ferrotls_client_config_builder_build."""
        out = c_void_p()
        self._check(lib.ferrotls_client_config_builder_build(self, byref(out)))
        return ClientConfig(out.value or 0, list(self._keepalive))

    def last_error(self) -> str:
        """ferrotls_client_config_builder_last_error."""
        return (lib.ferrotls_client_config_builder_last_error(self) or b"").decode(errors="replace")


class ServerConfigBuilder(_Handle):
    """ferrotls_server_config_builder; setters return self."""

    _free = lib.ferrotls_server_config_builder_free

    def __init__(self) -> None:
        """ferrotls_server_config_builder_new."""
        out = c_void_p()
        errors.check(lib.ferrotls_server_config_builder_new(byref(out)))
        super().__init__(out.value or 0)
        self._keepalive: List[Any] = []

    def _check(self, rc: int) -> "ServerConfigBuilder":
        errors.check(rc, self.last_error() or None)
        return self

    def set_versions(self, min_version: int = 0, max_version: int = 0) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_versions."""
        return self._check(lib.ferrotls_server_config_builder_set_versions(self, min_version, max_version))

    def set_cipher_list(self, ciphers: Optional[str]) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_cipher_list."""
        return self._check(lib.ferrotls_server_config_builder_set_cipher_list(
            self, None if ciphers is None else ciphers.encode()))

    def set_ciphersuites(self, suites: Optional[str]) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_ciphersuites (the TLS 1.3 suites)."""
        return self._check(lib.ferrotls_server_config_builder_set_ciphersuites(
            self, None if suites is None else suites.encode()))

    def set_legacy(self, on: bool) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_legacy."""
        return self._check(lib.ferrotls_server_config_builder_set_legacy(self, bool(on)))

    def set_extended_master_secret(self, on: bool) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_extended_master_secret."""
        return self._check(lib.ferrotls_server_config_builder_set_extended_master_secret(self, bool(on)))

    def set_tickets(self, on: bool) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_tickets (RFC 5077)."""
        return self._check(lib.ferrotls_server_config_builder_set_tickets(self, bool(on)))

    def set_tls13_tickets(self, count: int) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_tls13_tickets (RFC 8446 §4.6.1; default 2, at most 16)."""
        return self._check(lib.ferrotls_server_config_builder_set_tls13_tickets(self, int(count)))

    def set_encrypt_then_mac(self, on: bool) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_encrypt_then_mac."""
        return self._check(lib.ferrotls_server_config_builder_set_encrypt_then_mac(self, bool(on)))

    def set_cert_chain_and_key(self, chain: CertChain, key: PrivateKey) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_cert_chain_and_key (both copied)."""
        return self._check(lib.ferrotls_server_config_builder_set_cert_chain_and_key(self, chain, key))

    def add_cert_chain_and_key(self, chain: CertChain, key: PrivateKey) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_add_cert_chain_and_key (one more pair, another key type)."""
        require("ferrotls_server_config_builder_add_cert_chain_and_key")
        return self._check(lib.ferrotls_server_config_builder_add_cert_chain_and_key(self, chain, key))

    def add_sni_cert_chain_and_key(self, server_name: str, chain: CertChain, key: PrivateKey) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_add_sni_cert_chain_and_key: served to clients asking for
        `server_name`; the set/added pairs then serve the others."""
        require("ferrotls_server_config_builder_add_sni_cert_chain_and_key")
        return self._check(lib.ferrotls_server_config_builder_add_sni_cert_chain_and_key(
            self, server_name.encode(), chain, key))

    def set_server_name_callback(self, fn: Callable[[Optional[str], List[int]], Any]) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_server_name_callback: ``fn(server_name or None,
        shared suites)`` (the TLS 1.2 suites both sides allow, IANA numbers in the server's
        order) returns None (serve this configuration's certificates), a ``(CertChain, PrivateKey)``
        pair to serve instead, or False to refuse the client. An exception refuses too (after
        sys.unraisablehook has seen it, as ssl does with its sni_callback)."""
        require("ferrotls_server_config_builder_set_server_name_callback")
        held: List[Any] = []  # the chosen pair stays alive until the library has copied it

        def call(_userdata: Any, name: Optional[bytes], suites: Any, n: int, chain_out: Any, key_out: Any) -> int:
            try:
                choice = fn(name.decode("ascii", "replace") if name is not None else None,
                            [suites[i] for i in range(n)])
            except BaseException as exc:  # never unwind into the library
                sys.unraisablehook(types.SimpleNamespace(  # type: ignore[arg-type]
                    exc_type=type(exc), exc_value=exc, exc_traceback=exc.__traceback__,
                    err_msg="Exception ignored in ferrotls sni_callback", object=fn))
                return SERVER_NAME_REFUSE
            if choice is None:
                return SERVER_NAME_DEFAULT
            if choice is False:
                return SERVER_NAME_REFUSE
            chain, key = choice
            held[:] = [chain, key]
            chain_out[0] = chain._as_parameter_.value
            key_out[0] = key._as_parameter_.value
            return SERVER_NAME_USE

        cb = SERVER_NAME_CALLBACK(call)
        self._keepalive.extend([cb, held])
        return self._check(lib.ferrotls_server_config_builder_set_server_name_callback(self, cb, None))

    def set_client_verifier(self, verifier: ClientVerifier) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_client_verifier (mutual-auth C API)."""
        require("ferrotls_server_config_builder_set_client_verifier")
        self._keepalive.append(verifier._callback)
        return self._check(lib.ferrotls_server_config_builder_set_client_verifier(self, verifier))

    def set_groups(self, groups: str) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_groups ("X25519:P-256", OpenSSL or IANA names)."""
        require("ferrotls_server_config_builder_set_groups")
        return self._check(lib.ferrotls_server_config_builder_set_groups(self, groups.encode()))

    def set_keylog_callback(self, fn: KeyLogCallback) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_keylog_callback: ``fn(label, client_random, secret)``."""
        require("ferrotls_server_config_builder_set_keylog_callback")
        cb = make_keylog_callback(fn)
        self._keepalive.append(cb)
        return self._check(lib.ferrotls_server_config_builder_set_keylog_callback(self, cb, None))

    def set_alpn_protocols(self, protocols: List[bytes]) -> "ServerConfigBuilder":
        """ferrotls_server_config_builder_set_alpn_protocols (copied; names checked at build)."""
        require("ferrotls_server_config_builder_set_alpn_protocols")
        items = [bytes(p) for p in protocols]
        arr = slice_array(items)
        return self._check(lib.ferrotls_server_config_builder_set_alpn_protocols(self, arr, len(items)))

    def build(self) -> ServerConfig:
        """ferrotls_server_config_builder_build."""
        out = c_void_p()
        self._check(lib.ferrotls_server_config_builder_build(self, byref(out)))
        return ServerConfig(out.value or 0, list(self._keepalive))

    def last_error(self) -> str:
        """ferrotls_server_config_builder_last_error."""
        return (lib.ferrotls_server_config_builder_last_error(self) or b"").decode(errors="replace")
