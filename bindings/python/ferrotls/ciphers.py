"""Cipher suites as ssl describes them (get_ciphers(), cipher(), shared_ciphers()) and OpenSSL
cipher strings (set_ciphers("ECDHE+AESGCM:!aNULL")).

Both come from the library's own OpenSSL layer (the SSL_CTX_set_cipher_list grammar and the
SSL_CIPHER_* descriptions exported by the same libferrotls.so), so Python, C and `openssl
ciphers` agree on what a string selects and on each suite's fields. The TLS 1.3 suites, which
OpenSSL lists apart from cipher strings, are described here.
"""
from __future__ import annotations

import ctypes
import threading
from typing import Any, Dict, List, Optional

from . import errors
from ._lib import has, lib

__all__ = ["describe", "resolve_cipher_string", "available"]

_NEEDED = ("TLS_method", "SSL_CTX_new", "SSL_CTX_free", "SSL_CTX_set_cipher_list", "SSL_CTX_get_ciphers",
           "OPENSSL_sk_num", "OPENSSL_sk_value", "SSL_CIPHER_get_name", "SSL_CIPHER_standard_name",
           "SSL_CIPHER_get_version", "SSL_CIPHER_get_id", "SSL_CIPHER_get_bits", "SSL_CIPHER_is_aead",
           "SSL_CIPHER_get_kx_nid", "SSL_CIPHER_get_auth_nid", "SSL_CIPHER_description", "OBJ_nid2ln")

# ssl's `symmetric` (OpenSSL's cipher NID long name) for the description's Enc= field, and its
# `digest` for Mac= (None for AEAD suites, whose tag is the MAC).
_SYMMETRIC = {"AESGCM(128)": "aes-128-gcm", "AESGCM(256)": "aes-256-gcm", "AES(128)": "aes-128-cbc",
              "AES(256)": "aes-256-cbc", "CHACHA20/POLY1305(256)": "chacha20-poly1305",
              "3DES(168)": "des-ede3-cbc", "RC4(128)": "rc4"}
_DIGEST = {"SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "MD5": "md5", "AEAD": None}


def _tls13(number: int, name: str, enc: str, bits: int, symmetric: str) -> Dict[str, Any]:
    return {"id": 0x03000000 | number, "name": name, "protocol": "TLSv1.3",
            "description": f"{name:<30} TLSv1.3 Kx=any      Au=any   Enc={enc:<22} Mac=AEAD",
            "strength_bits": bits, "alg_bits": bits, "aead": True, "symmetric": symmetric, "digest": None,
            "kea": "kx-any", "auth": "auth-any"}


_TLS13 = {
    0x1301: _tls13(0x1301, "TLS_AES_128_GCM_SHA256", "AESGCM(128)", 128, "aes-128-gcm"),
    0x1302: _tls13(0x1302, "TLS_AES_256_GCM_SHA384", "AESGCM(256)", 256, "aes-256-gcm"),
    0x1303: _tls13(0x1303, "TLS_CHACHA20_POLY1305_SHA256", "CHACHA20/POLY1305(256)", 256, "chacha20-poly1305"),
}

# OpenSSL's long names of the key exchange and authentication NIDs (obj_mac.h), for
# SSL_CIPHER_get_kx_nid / _get_auth_nid: these objects have no OID, and the library's object
# table (OBJ_nid2ln) lists only objects with one.
_NID_LN = {1037: "kx-rsa", 1038: "kx-ecdhe", 1046: "auth-rsa", 1047: "auth-ecdsa", 1063: "kx-any", 1064: "auth-any"}

_LOCK = threading.Lock()
_TABLE: Optional[Dict[int, Dict[str, Any]]] = None


def available() -> bool:
    """Whether the loaded library has the OpenSSL layer these need."""
    return all(has(n) for n in _NEEDED)


def _selection(cipher_string: str) -> List[int]:
    """The SSL_CIPHER pointers an OpenSSL cipher string selects, in order (empty when none)."""
    ctx = lib.SSL_CTX_new(lib.TLS_method())
    if not ctx:
        raise MemoryError("SSL_CTX_new failed")
    try:
        if lib.SSL_CTX_set_cipher_list(ctx, cipher_string.encode("ascii")) != 1:
            if has("ERR_clear_error"):
                lib.ERR_clear_error()
            return []
        stack = lib.SSL_CTX_get_ciphers(ctx)
        # SSL_CIPHER values are static in the library: the pointers outlive the SSL_CTX.
        return [lib.OPENSSL_sk_value(stack, i) for i in range(lib.OPENSSL_sk_num(stack))]
    finally:
        lib.SSL_CTX_free(ctx)


def _nid_name(nid: int) -> Optional[str]:
    name = lib.OBJ_nid2ln(nid)
    return name.decode() if name else _NID_LN.get(nid)


def _to_dict(cipher: int) -> Dict[str, Any]:
    buf = ctypes.create_string_buffer(256)
    description = (lib.SSL_CIPHER_description(cipher, buf, len(buf)) or b"").decode().rstrip("\n")
    alg_bits = ctypes.c_int()
    strength = lib.SSL_CIPHER_get_bits(cipher, ctypes.byref(alg_bits))
    fields = dict(f.split("=", 1) for f in description.split() if "=" in f)
    return {
        "id": int(lib.SSL_CIPHER_get_id(cipher)),
        "name": lib.SSL_CIPHER_get_name(cipher).decode(),
        # ssl reports OpenSSL 3's "TLSv1.0" where the library's SSL_CIPHER_get_version says
        # "TLSv1" (OpenSSL 1.1's spelling; the description keeps "TLSv1" in both).
        "protocol": {"TLSv1": "TLSv1.0"}.get(v, v) if (v := lib.SSL_CIPHER_get_version(cipher).decode()) else v,
        "description": description,
        "strength_bits": int(strength),
        "alg_bits": alg_bits.value,
        "aead": bool(lib.SSL_CIPHER_is_aead(cipher)),
        "symmetric": _SYMMETRIC.get(fields.get("Enc", "")),
        "digest": _DIGEST.get(fields.get("Mac", "")),
        "kea": _nid_name(lib.SSL_CIPHER_get_kx_nid(cipher)),
        "auth": _nid_name(lib.SSL_CIPHER_get_auth_nid(cipher)),
    }


def _table() -> Dict[int, Dict[str, Any]]:
    """Every suite the library implements, by IANA number."""
    global _TABLE
    with _LOCK:
        if _TABLE is None:
            table = dict(_TLS13)
            if available():
                for c in _selection("ALL:COMPLEMENTOFALL:@SECLEVEL=0"):
                    d = _to_dict(c)
                    table[d["id"] & 0xFFFF] = d
            _TABLE = table
        return _TABLE


def describe(number: int) -> Optional[Dict[str, Any]]:
    """ssl's dict for the suite with this IANA number (a copy), or None for one we lack."""
    d = _table().get(number)
    return dict(d) if d is not None else None


def resolve_cipher_string(cipher_string: str) -> str:
    """The IANA names of the suites an OpenSSL cipher string selects, joined with ':' for
    ferrotls_*_config_builder_set_cipher_list; SSLError("No cipher can be selected.") as ssl
    when it selects none. Without the OpenSSL layer the string is passed on as it is (the C
    API takes OpenSSL and IANA names)."""
    if not available():
        return cipher_string
    selected = _selection(cipher_string)
    if not selected:
        raise errors.SSLError(7002, "No cipher can be selected.", reason="NO_CIPHER_MATCH")
    return ":".join(lib.SSL_CIPHER_standard_name(c).decode() for c in selected)
