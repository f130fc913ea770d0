"""ctypes signatures of libferrotls (include/ferrotls.h), and where the library is found.

Only declarations live here: every C function of the header appears once, with its argument and
result types, under its C name (one grep for a C name finds the C, Python and C++ layers). The
classes that use them are in the sibling modules.

The library is looked for, in order:

1. ``$FERROTLS_LIBRARY`` (a path to ``libferrotls.so``): when set, only there; a missing or
   unloadable file is an ImportError naming the path (never a silent fall-back to another copy),
2. a copy inside this package (``make`` puts one there; so does ``pip install`` of a tree where
   ``make`` ran),
3. ``target/release/libferrotls.so`` of the ferrotls checkout this package sits in,
4. the system's library path (``ctypes.util.find_library("ferrotls")``, e.g. after ``make install``).

When none loads, ImportError lists every place that was tried.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import CFUNCTYPE, POINTER, c_bool, c_char_p, c_int, c_int64, c_size_t, c_uint16, c_uint32, c_void_p
from pathlib import Path
from typing import Any, List, Optional, Tuple

__all__ = ["lib", "path", "has", "VERIFY_CALLBACK", "READ_CALLBACK", "WRITE_CALLBACK"]

_LIBNAME = "libferrotls.so"


def _candidates() -> List[Tuple[str, Optional[str]]]:
    """(description, path) pairs in search order; path None when that place has nothing."""
    found: List[Tuple[str, Optional[str]]] = []
    env = os.environ.get("FERROTLS_LIBRARY")
    found.append(("$FERROTLS_LIBRARY", env or None))
    here = Path(__file__).resolve().parent
    found.append((f"package copy {here / _LIBNAME}", str(here / _LIBNAME)))
    for parent in list(here.parents)[:4]:
        candidate = parent / "target" / "release" / _LIBNAME
        found.append((f"build folder {candidate}", str(candidate)))
    found.append(("system library path (find_library('ferrotls'))", ctypes.util.find_library("ferrotls")))
    return found


def _load() -> Tuple[ctypes.CDLL, str]:
    env = os.environ.get("FERROTLS_LIBRARY")
    if env:
        if not os.path.exists(env):
            raise ImportError(f"ferrotls: FERROTLS_LIBRARY={env}: no such file (unset FERROTLS_LIBRARY to use "
                              "the package's own copy)")
        try:
            return ctypes.CDLL(env), os.path.abspath(env)
        except OSError as exc:
            raise ImportError(f"ferrotls: FERROTLS_LIBRARY={env}: cannot load it: {exc}") from None
    tried = []
    for where, candidate in _candidates():
        if not candidate:
            tried.append(f"  {where}: not set" if where.startswith("$") else f"  {where}: not found")
            continue
        if os.sep in candidate and not os.path.exists(candidate):
            tried.append(f"  {where}: no such file")
            continue
        try:
            return ctypes.CDLL(candidate), (os.path.abspath(candidate) if os.sep in candidate else candidate)
        except OSError as exc:
            tried.append(f"  {where}: {exc}")
    raise ImportError(
        "ferrotls: cannot find libferrotls.so. Looked in:\n" + "\n".join(tried)
        + "\nBuild it with `make` in the ferrotls checkout, or set FERROTLS_LIBRARY=/path/to/libferrotls.so."
    )


lib, path = _load()

# typedef bool (*ferrotls_verify_callback)(void *userdata, size_t depth, const ferrotls_cert *cert, ferrotls_result error);
VERIFY_CALLBACK = CFUNCTYPE(c_bool, c_void_p, c_size_t, c_void_p, c_uint32)
# typedef struct ferrotls_slice_bytes { const uint8_t *data; size_t len; } ferrotls_slice_bytes;
class SliceBytes(ctypes.Structure):
    """ferrotls_slice_bytes: one byte string in an array argument (ALPN protocol lists)."""

    _fields_ = [("data", c_void_p), ("len", c_size_t)]


def slice_array(items: List[bytes]) -> Any:
    """A ferrotls_slice_bytes array over `items` (which must stay alive for the call)."""
    arr = (SliceBytes * len(items))()
    for i, b in enumerate(items):
        arr[i].data = ctypes.cast(ctypes.c_char_p(b), c_void_p).value
        arr[i].len = len(b)
    return arr


# typedef void (*ferrotls_keylog_callback)(void *userdata, const char *label, const uint8_t *client_random,
#                                          size_t client_random_len, const uint8_t *secret, size_t secret_len);
KEYLOG_CALLBACK = CFUNCTYPE(None, c_void_p, c_char_p, c_void_p, c_size_t, c_void_p, c_size_t)
# typedef int (*ferrotls_server_name_callback)(void *userdata, const char *server_name, const uint16_t *cipher_suites,
#     size_t cipher_suites_len, const ferrotls_cert_chain **chain_out, const ferrotls_private_key **key_out);
SERVER_NAME_CALLBACK = CFUNCTYPE(c_int, c_void_p, c_char_p, POINTER(c_uint16), c_size_t, POINTER(c_void_p),
                                 POINTER(c_void_p))
SERVER_NAME_DEFAULT, SERVER_NAME_USE, SERVER_NAME_REFUSE = 0, 1, 2
# typedef int (*ferrotls_read_callback)(void *userdata, uint8_t *buf, size_t len, size_t *read_out);
READ_CALLBACK = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, POINTER(c_size_t))
# typedef int (*ferrotls_write_callback)(void *userdata, const uint8_t *buf, size_t len, size_t *written_out);
WRITE_CALLBACK = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, POINTER(c_size_t))

# (C name, restype, argtypes). Handles are c_void_p; `uint8_t *` buffers are c_void_p (bytes or
# a ctypes buffer); `const char *` is c_char_p (UTF-8 bytes); ferrotls_result is c_uint32.
_FUNCTIONS: List[Tuple[str, Any, List[Any]]] = [
    ("ferrotls_cert_from_der", c_uint32, [c_void_p, c_size_t, POINTER(c_void_p)]),
    ("ferrotls_cert_from_pem", c_uint32, [c_void_p, c_size_t, POINTER(c_void_p)]),
    ("ferrotls_cert_free", None, [c_void_p]),
    ("ferrotls_cert_der", c_uint32, [c_void_p, POINTER(c_void_p), POINTER(c_size_t)]),
    ("ferrotls_cert_subject", c_char_p, [c_void_p]),
    ("ferrotls_cert_issuer", c_char_p, [c_void_p]),
    ("ferrotls_cert_subject_oneline", c_char_p, [c_void_p]),
    ("ferrotls_cert_issuer_oneline", c_char_p, [c_void_p]),
    ("ferrotls_cert_serial", c_char_p, [c_void_p]),
    ("ferrotls_cert_not_before", c_char_p, [c_void_p]),
    ("ferrotls_cert_not_after", c_char_p, [c_void_p]),
    ("ferrotls_cert_signature_algorithm", c_char_p, [c_void_p]),
    ("ferrotls_cert_public_key_algorithm", c_char_p, [c_void_p]),
    ("ferrotls_cert_to_json", c_char_p, [c_void_p]),
    ("ferrotls_cert_validity", c_uint32, [c_void_p, POINTER(c_int64), POINTER(c_int64)]),
    ("ferrotls_cert_public_key_bits", c_size_t, [c_void_p]),
    ("ferrotls_cert_is_ca", c_bool, [c_void_p]),
    ("ferrotls_cert_subject_alt_name_count", c_size_t, [c_void_p]),
    ("ferrotls_cert_subject_alt_name", c_char_p, [c_void_p, c_size_t]),
    ("ferrotls_cert_chain_from_pem", c_uint32, [c_void_p, c_size_t, POINTER(c_void_p)]),
    ("ferrotls_cert_chain_from_file", c_uint32, [c_char_p, POINTER(c_void_p)]),
    ("ferrotls_cert_chain_free", None, [c_void_p]),
    ("ferrotls_cert_chain_len", c_size_t, [c_void_p]),
    ("ferrotls_cert_chain_get", c_void_p, [c_void_p, c_size_t]),
    ("ferrotls_client_config_builder_new", c_uint32, [POINTER(c_void_p)]),
    ("ferrotls_client_config_builder_free", None, [c_void_p]),
    ("ferrotls_client_config_builder_set_versions", c_uint32, [c_void_p, c_uint16, c_uint16]),
    ("ferrotls_client_config_builder_set_cipher_list", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_client_config_builder_set_ciphersuites", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_client_config_builder_set_legacy", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_client_config_builder_set_extended_master_secret", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_client_config_builder_set_encrypt_then_mac", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_client_config_builder_set_trust_store", c_uint32, [c_void_p, c_void_p]),
    ("ferrotls_client_config_builder_dangerous_no_verify", c_uint32, [c_void_p]),
    ("ferrotls_client_config_builder_set_enable_sni", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_client_config_builder_set_send_fallback_scsv", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_client_config_builder_build", c_uint32, [c_void_p, POINTER(c_void_p)]),
    ("ferrotls_client_config_builder_last_error", c_char_p, [c_void_p]),
    ("ferrotls_client_config_free", None, [c_void_p]),
    ("ferrotls_conn_new_client", c_uint32, [c_void_p, c_char_p, POINTER(c_void_p)]),
    ("ferrotls_conn_new_server", c_uint32, [c_void_p, POINTER(c_void_p)]),
    ("ferrotls_conn_free", None, [c_void_p]),
    ("ferrotls_conn_set_fd", c_uint32, [c_void_p, c_int]),
    ("ferrotls_conn_set_io_callbacks", c_uint32, [c_void_p, READ_CALLBACK, WRITE_CALLBACK, c_void_p]),
    ("ferrotls_conn_handshake", c_uint32, [c_void_p]),
    ("ferrotls_conn_read", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_conn_write", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_conn_flush", c_uint32, [c_void_p]),
    ("ferrotls_conn_shutdown", c_uint32, [c_void_p]),
    ("ferrotls_conn_feed_tls", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_conn_feed_eof", c_uint32, [c_void_p]),
    ("ferrotls_conn_process", c_uint32, [c_void_p]),
    ("ferrotls_conn_take_tls", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_conn_wants_write", c_bool, [c_void_p]),
    ("ferrotls_conn_write_plaintext", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_conn_read_plaintext", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_conn_send_close_notify", c_uint32, [c_void_p]),
    ("ferrotls_conn_send_key_update", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_conn_is_handshaking", c_bool, [c_void_p]),
    ("ferrotls_conn_peer_has_closed", c_bool, [c_void_p]),
    ("ferrotls_conn_plaintext_bytes_to_read", c_size_t, [c_void_p]),
    ("ferrotls_conn_protocol_version", c_uint16, [c_void_p]),
    ("ferrotls_conn_protocol_version_name", c_char_p, [c_void_p]),
    ("ferrotls_conn_cipher_suite", c_uint16, [c_void_p]),
    ("ferrotls_conn_cipher_suite_name", c_char_p, [c_void_p]),
    ("ferrotls_conn_cipher_suite_openssl_name", c_char_p, [c_void_p]),
    ("ferrotls_conn_extended_master_secret", c_bool, [c_void_p]),
    ("ferrotls_conn_encrypt_then_mac", c_bool, [c_void_p]),
    ("ferrotls_conn_server_name", c_char_p, [c_void_p]),
    ("ferrotls_conn_peer_cert_chain", c_uint32, [c_void_p, POINTER(c_void_p)]),
    ("ferrotls_conn_last_error", c_char_p, [c_void_p]),
    ("ferrotls_private_key_from_pem", c_uint32, [c_void_p, c_size_t, POINTER(c_void_p)]),
    ("ferrotls_private_key_from_file", c_uint32, [c_char_p, POINTER(c_void_p)]),
    ("ferrotls_private_key_free", None, [c_void_p]),
    ("ferrotls_result_str", c_char_p, [c_uint32]),
    ("ferrotls_result_class", c_uint32, [c_uint32]),
    ("ferrotls_last_error", c_char_p, []),
    ("ferrotls_server_config_builder_new", c_uint32, [POINTER(c_void_p)]),
    ("ferrotls_server_config_builder_free", None, [c_void_p]),
    ("ferrotls_server_config_builder_set_versions", c_uint32, [c_void_p, c_uint16, c_uint16]),
    ("ferrotls_server_config_builder_set_cipher_list", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_server_config_builder_set_ciphersuites", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_server_config_builder_set_legacy", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_server_config_builder_set_extended_master_secret", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_server_config_builder_set_encrypt_then_mac", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_server_config_builder_set_cert_chain_and_key", c_uint32, [c_void_p, c_void_p, c_void_p]),
    ("ferrotls_server_config_builder_build", c_uint32, [c_void_p, POINTER(c_void_p)]),
    ("ferrotls_server_config_builder_last_error", c_char_p, [c_void_p]),
    ("ferrotls_server_config_free", None, [c_void_p]),
    ("ferrotls_trust_store_new", c_uint32, [POINTER(c_void_p)]),
    ("ferrotls_trust_store_free", None, [c_void_p]),
    ("ferrotls_trust_store_add_pem", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_trust_store_add_file", c_uint32, [c_void_p, c_char_p, POINTER(c_size_t)]),
    ("ferrotls_trust_store_add_cert", c_uint32, [c_void_p, c_void_p]),
    ("ferrotls_trust_store_len", c_size_t, [c_void_p]),
    ("ferrotls_version", c_char_p, []),
    # Session resumption (RFC 5246 §7.3).
    ("ferrotls_conn_session", c_uint32, [c_void_p, POINTER(c_void_p)]),
    ("ferrotls_conn_new_client_resuming", c_uint32, [c_void_p, c_char_p, c_void_p, POINTER(c_void_p)]),
    ("ferrotls_conn_session_reused", c_bool, [c_void_p]),
    ("ferrotls_session_id", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_session_protocol_version", c_uint16, [c_void_p]),
    ("ferrotls_session_cipher_suite", c_uint16, [c_void_p]),
    ("ferrotls_session_free", None, [c_void_p]),
    ("ferrotls_server_config_builder_set_session_cache_size", c_uint32, [c_void_p, c_size_t]),
    ("ferrotls_server_config_builder_set_session_timeout", c_uint32, [c_void_p, ctypes.c_uint64]),
    ("ferrotls_server_config_builder_set_session_id_context", c_uint32, [c_void_p, c_void_p, c_size_t]),
    # Session tickets (RFC 5077) and session bytes.
    ("ferrotls_client_config_builder_set_tickets", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_client_config_builder_set_session_cache_size", c_uint32, [c_void_p, c_size_t]),
    ("ferrotls_server_config_builder_set_tickets", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_server_config_builder_set_tls13_tickets", c_uint32, [c_void_p, c_size_t]),
    ("ferrotls_conn_session_reused_by_ticket", c_bool, [c_void_p]),
    ("ferrotls_session_has_ticket", c_bool, [c_void_p]),
    ("ferrotls_session_ticket_lifetime_hint", ctypes.c_uint32, [c_void_p]),
    ("ferrotls_session_encoded_len", c_size_t, [c_void_p]),
    ("ferrotls_session_to_bytes", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    ("ferrotls_session_from_bytes", c_uint32, [c_void_p, c_void_p, c_size_t, POINTER(c_void_p)]),
    ("ferrotls_ticket_keys_new", c_uint32, [ctypes.c_uint64, POINTER(c_void_p)]),
    ("ferrotls_ticket_keys_rotate", c_uint32, [c_void_p]),
    ("ferrotls_ticket_keys_set_key", c_uint32, [c_void_p, c_void_p, c_size_t, c_void_p, c_size_t]),
    ("ferrotls_ticket_keys_free", None, [c_void_p]),
    ("ferrotls_server_config_builder_set_ticket_keys", c_uint32, [c_void_p, c_void_p]),
]

# Mutual authentication (branch ffi-mtls). Declared when the loaded library exports them; the
# wrappers check `has(name)` and raise NotImplementedError naming the function otherwise.
_MUTUAL_AUTH: List[Tuple[str, Any, List[Any]]] = [
    ("ferrotls_client_config_builder_set_client_cert", c_uint32, [c_void_p, c_void_p, c_void_p]),
    ("ferrotls_client_config_builder_set_verify_callback", c_uint32, [c_void_p, VERIFY_CALLBACK, c_void_p]),
    ("ferrotls_client_config_builder_add_crl_pem", c_uint32, [c_void_p, c_void_p, c_size_t]),
    ("ferrotls_private_key_from_pem_with_password", c_uint32, [c_void_p, c_size_t, c_void_p, c_size_t, POINTER(c_void_p)]),
    ("ferrotls_trust_store_add_dir", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_trust_store_add_system", c_uint32, [c_void_p]),
    ("ferrotls_client_verifier_new", c_uint32, [c_void_p, POINTER(c_void_p)]),
    ("ferrotls_client_verifier_free", None, [c_void_p]),
    ("ferrotls_client_verifier_set_optional", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_client_verifier_set_legacy", c_uint32, [c_void_p, c_bool]),
    ("ferrotls_client_verifier_add_crl_pem", c_uint32, [c_void_p, c_void_p, c_size_t]),
    ("ferrotls_client_verifier_set_verify_callback", c_uint32, [c_void_p, VERIFY_CALLBACK, c_void_p]),
    ("ferrotls_server_config_builder_set_client_verifier", c_uint32, [c_void_p, c_void_p]),
    ("ferrotls_conn_client_certificate_sent", c_bool, [c_void_p]),
]

# ALPN (RFC 7301). Declared when the loaded library exports them, like the mutual-auth calls.
_ALPN: List[Tuple[str, Any, List[Any]]] = [
    ("ferrotls_client_config_builder_set_alpn_protocols", c_uint32, [c_void_p, POINTER(SliceBytes), c_size_t]),
    ("ferrotls_server_config_builder_set_alpn_protocols", c_uint32, [c_void_p, POINTER(SliceBytes), c_size_t]),
    ("ferrotls_conn_alpn_protocol", c_uint32, [c_void_p, POINTER(c_void_p), POINTER(c_size_t)]),
]

# Key types and several certificates per server (issue 11). Declared when exported.
_KEYS: List[Tuple[str, Any, List[Any]]] = [
    ("ferrotls_private_key_type", c_uint32, [c_void_p]),
    ("ferrotls_server_config_builder_add_cert_chain_and_key", c_uint32, [c_void_p, c_void_p, c_void_p]),
    ("ferrotls_server_config_builder_add_sni_cert_chain_and_key", c_uint32, [c_void_p, c_char_p, c_void_p, c_void_p]),
    ("ferrotls_server_config_builder_set_server_name_callback", c_uint32, [c_void_p, SERVER_NAME_CALLBACK, c_void_p]),
]

# The library's OpenSSL layer (same libferrotls.so): its cipher-string grammar and SSL_CIPHER
# descriptions serve set_ciphers() and get_ciphers(), so Python and C agree on what a string
# selects. Declared when exported.
_OPENSSL: List[Tuple[str, Any, List[Any]]] = [
    ("TLS_method", c_void_p, []),
    ("SSL_CTX_new", c_void_p, [c_void_p]),
    ("SSL_CTX_free", None, [c_void_p]),
    ("SSL_CTX_set_cipher_list", c_int, [c_void_p, c_char_p]),
    ("SSL_CTX_get_ciphers", c_void_p, [c_void_p]),
    ("OPENSSL_sk_num", c_int, [c_void_p]),
    ("OPENSSL_sk_value", c_void_p, [c_void_p, c_int]),
    ("SSL_CIPHER_get_name", c_char_p, [c_void_p]),
    ("SSL_CIPHER_standard_name", c_char_p, [c_void_p]),
    ("SSL_CIPHER_get_version", c_char_p, [c_void_p]),
    ("SSL_CIPHER_get_id", ctypes.c_ulong, [c_void_p]),
    ("SSL_CIPHER_get_bits", c_int, [c_void_p, POINTER(c_int)]),
    ("SSL_CIPHER_is_aead", c_int, [c_void_p]),
    ("SSL_CIPHER_get_kx_nid", c_int, [c_void_p]),
    ("SSL_CIPHER_get_auth_nid", c_int, [c_void_p]),
    ("SSL_CIPHER_description", c_char_p, [c_void_p, c_char_p, c_int]),
    ("OBJ_nid2ln", c_char_p, [c_int]),
    ("ERR_clear_error", None, []),
]

# Key log and exporter (issue 11). Declared when the loaded library exports them.
_KEYLOG: List[Tuple[str, Any, List[Any]]] = [
    ("ferrotls_client_config_builder_set_keylog_callback", c_uint32, [c_void_p, KEYLOG_CALLBACK, c_void_p]),
    ("ferrotls_server_config_builder_set_keylog_callback", c_uint32, [c_void_p, KEYLOG_CALLBACK, c_void_p]),
    ("ferrotls_conn_export_keying_material", c_uint32,
     [c_void_p, c_void_p, c_size_t, c_void_p, c_size_t, c_bool, c_void_p, c_size_t]),
    # Groups and signature schemes.
    ("ferrotls_client_config_builder_set_groups", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_server_config_builder_set_groups", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_client_config_builder_set_signature_schemes", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_server_config_builder_set_signature_schemes", c_uint32, [c_void_p, c_char_p]),
    ("ferrotls_conn_negotiated_group", c_uint16, [c_void_p]),
    ("ferrotls_conn_negotiated_group_name", c_char_p, [c_void_p]),
    ("ferrotls_conn_peer_signature_scheme", c_uint16, [c_void_p]),
    ("ferrotls_conn_signature_scheme", c_uint16, [c_void_p]),
    ("ferrotls_signature_scheme_name", c_char_p, [c_uint16]),
    # The process-wide provider (another branch); declared here so every header function has one.
    ("ferrotls_set_default_provider", c_uint32, [c_char_p]),
    ("ferrotls_default_provider_name", c_char_p, []),
]

_MISSING = set()
for _name, _restype, _argtypes in _FUNCTIONS + _MUTUAL_AUTH + _ALPN + _KEYS + _KEYLOG + _OPENSSL:
    try:
        _fn = getattr(lib, _name)
    except AttributeError:
        _MISSING.add(_name)
        continue
    _fn.restype = _restype
    _fn.argtypes = _argtypes


def has(name: str) -> bool:
    """Whether the loaded library exports the C function `name`."""
    return name not in _MISSING
