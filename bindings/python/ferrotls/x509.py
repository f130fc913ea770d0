"""Certificates, chains, keys, trust stores and the client-certificate verifier: thin owners of the
C handles (``ferrotls_cert``, ``ferrotls_cert_chain``, ``ferrotls_private_key``,
``ferrotls_trust_store``, ``ferrotls_client_verifier``), each method one C call.
"""
from __future__ import annotations

import ctypes
import json
import os
from ctypes import byref, c_int64, c_size_t, c_void_p
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

from . import errors
from ._lib import VERIFY_CALLBACK, has, lib

__all__ = ["Certificate", "CertChain", "PrivateKey", "TrustStore", "ClientVerifier", "require"]

Bytes = Union[bytes, bytearray, memoryview]


def require(name: str) -> None:
    """Raises NotImplementedError when the loaded libferrotls lacks the C function `name`
    (the mutual-authentication calls arrive with branch ffi-mtls)."""
    if not has(name):
        raise NotImplementedError(f"{name} is not exported by this libferrotls (mutual-authentication C API missing)")


def _s(ptr: Optional[bytes]) -> Optional[str]:
    return None if ptr is None else ptr.decode("utf-8", errors="replace")


def _path(path: Union[str, "os.PathLike[str]"]) -> bytes:
    p = os.fsencode(path)
    if not os.path.exists(p):
        raise FileNotFoundError(2, "No such file or directory", os.fsdecode(p))
    return p


class _Handle:
    """Owns one C handle; `_free` is the matching ferrotls_*_free."""

    _free: Callable[[Any], None]

    def __init__(self, handle: int, owner: Any = None) -> None:
        self._as_parameter_ = c_void_p(handle)
        self._owner = owner  # a borrowed handle keeps its owner alive

    def close(self) -> None:
        if self._owner is None and self._as_parameter_.value:
            type(self)._free(self._as_parameter_)
        self._as_parameter_ = c_void_p(None)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


# Attribute names as Python's ssl.getpeercert() spells them.
_ATTR_NAMES = {
    "CN": "commonName", "C": "countryName", "L": "localityName", "ST": "stateOrProvinceName",
    "O": "organizationName", "OU": "organizationalUnitName", "STREET": "streetAddress",
    "DC": "domainComponent", "UID": "userId", "emailAddress": "emailAddress", "serialNumber": "serialNumber",
    "1.2.840.113549.1.9.1": "emailAddress", "2.5.4.5": "serialNumber",
}


def _split_unescaped(text: str, sep: str) -> List[str]:
    parts, cur, i = [], "", 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            cur += text[i:i + 2]
            i += 2
            continue
        if ch == sep:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    parts.append(cur)
    return parts


def _unescape(value: str) -> str:
    if value.startswith("#"):
        return value
    out, i = "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1:i + 3]
            if len(nxt) == 2 and all(c in "0123456789abcdefABCDEF" for c in nxt):
                out += chr(int(nxt, 16))
                i += 3
                continue
            out += value[i + 1]
            i += 2
            continue
        out += value[i]
        i += 1
    return out


def rfc4514_to_tuples(name: str) -> Tuple[Tuple[Tuple[str, str], ...], ...]:
    """An RFC 4514 string (most specific first) as ssl.getpeercert()'s tuple of RDNs (root first)."""
    if not name:
        return ()
    rdns = []
    for rdn in _split_unescaped(name, ","):
        avas = []
        for ava in _split_unescaped(rdn, "+"):
            key, _, value = ava.partition("=")
            avas.append((_ATTR_NAMES.get(key.strip(), key.strip()), _unescape(value)))
        rdns.append(tuple(avas))
    return tuple(reversed(rdns))


class Certificate(_Handle):
    """One X.509 certificate (ferrotls_cert)."""

    _free = lib.ferrotls_cert_free

    @classmethod
    def from_der(cls, der: Bytes) -> "Certificate":
        """ferrotls_cert_from_der."""
        out = c_void_p()
        data = bytes(der)
        errors.check(lib.ferrotls_cert_from_der(data, len(data), byref(out)))
        return cls(out.value or 0)

    @classmethod
    def from_pem(cls, pem: Union[str, Bytes]) -> "Certificate":
        """ferrotls_cert_from_pem: the first certificate of PEM text."""
        data = pem.encode() if isinstance(pem, str) else bytes(pem)
        out = c_void_p()
        errors.check(lib.ferrotls_cert_from_pem(data, len(data), byref(out)))
        return cls(out.value or 0)

    def der(self) -> bytes:
        """ferrotls_cert_der."""
        ptr, n = c_void_p(), c_size_t()
        errors.check(lib.ferrotls_cert_der(self, byref(ptr), byref(n)))
        return ctypes.string_at(ptr.value or 0, n.value)

    def subject(self) -> Optional[str]:
        """ferrotls_cert_subject (RFC 4514)."""
        return _s(lib.ferrotls_cert_subject(self))

    def issuer(self) -> Optional[str]:
        """ferrotls_cert_issuer (RFC 4514)."""
        return _s(lib.ferrotls_cert_issuer(self))

    def subject_oneline(self) -> Optional[str]:
        """ferrotls_cert_subject_oneline."""
        return _s(lib.ferrotls_cert_subject_oneline(self))

    def issuer_oneline(self) -> Optional[str]:
        """ferrotls_cert_issuer_oneline."""
        return _s(lib.ferrotls_cert_issuer_oneline(self))

    def serial(self) -> Optional[str]:
        """ferrotls_cert_serial (uppercase hex)."""
        return _s(lib.ferrotls_cert_serial(self))

    def not_before(self) -> Optional[str]:
        """ferrotls_cert_not_before (``Jan  1 00:00:00 2026 GMT``)."""
        return _s(lib.ferrotls_cert_not_before(self))

    def not_after(self) -> Optional[str]:
        """ferrotls_cert_not_after."""
        return _s(lib.ferrotls_cert_not_after(self))

    def validity(self) -> Tuple[int, int]:
        """ferrotls_cert_validity: (notBefore, notAfter) in unix seconds."""
        nb, na = c_int64(), c_int64()
        errors.check(lib.ferrotls_cert_validity(self, byref(nb), byref(na)))
        return nb.value, na.value

    def signature_algorithm(self) -> Optional[str]:
        """ferrotls_cert_signature_algorithm."""
        return _s(lib.ferrotls_cert_signature_algorithm(self))

    def public_key_algorithm(self) -> Optional[str]:
        """ferrotls_cert_public_key_algorithm."""
        return _s(lib.ferrotls_cert_public_key_algorithm(self))

    def public_key_bits(self) -> int:
        """ferrotls_cert_public_key_bits."""
        return int(lib.ferrotls_cert_public_key_bits(self))

    def is_ca(self) -> bool:
        """ferrotls_cert_is_ca."""
        return bool(lib.ferrotls_cert_is_ca(self))

    def subject_alt_names(self) -> List[str]:
        """ferrotls_cert_subject_alt_name_count / ferrotls_cert_subject_alt_name, OpenSSL spelling."""
        n = lib.ferrotls_cert_subject_alt_name_count(self)
        return [_s(lib.ferrotls_cert_subject_alt_name(self, i)) or "" for i in range(n)]

    def to_json(self) -> Dict[str, Any]:
        """ferrotls_cert_to_json, parsed."""
        text = _s(lib.ferrotls_cert_to_json(self))
        return json.loads(text) if text else {}

    def to_dict(self) -> Dict[str, Any]:
        """The certificate as ``ssl.SSLSocket.getpeercert()`` returns it."""
        sans = []
        for entry in self.subject_alt_names():
            kind, _, value = entry.partition(":")
            sans.append((kind, value))
        version = self.to_json().get("version", 3)
        out: Dict[str, Any] = {
            "subject": rfc4514_to_tuples(self.subject() or ""),
            "issuer": rfc4514_to_tuples(self.issuer() or ""),
            "version": int(version) if isinstance(version, (int, str)) and str(version).isdigit() else version,
            "serialNumber": self.serial(),
            "notBefore": self.not_before(),
            "notAfter": self.not_after(),
        }
        if sans:
            out["subjectAltName"] = tuple(sans)
        return out


class CertChain(_Handle):
    """A certificate chain, leaf first (ferrotls_cert_chain)."""

    _free = lib.ferrotls_cert_chain_free

    @classmethod
    def from_pem(cls, pem: Union[str, Bytes]) -> "CertChain":
        """ferrotls_cert_chain_from_pem."""
        data = pem.encode() if isinstance(pem, str) else bytes(pem)
        out = c_void_p()
        errors.check(lib.ferrotls_cert_chain_from_pem(data, len(data), byref(out)))
        return cls(out.value or 0)

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "CertChain":
        """ferrotls_cert_chain_from_file."""
        out = c_void_p()
        errors.check(lib.ferrotls_cert_chain_from_file(_path(path), byref(out)))
        return cls(out.value or 0)

    def __len__(self) -> int:
        """ferrotls_cert_chain_len."""
        return int(lib.ferrotls_cert_chain_len(self))

    def __getitem__(self, index: int) -> Certificate:
        """ferrotls_cert_chain_get: borrowed from (and keeping alive) this chain."""
        if index < 0:
            index += len(self)
        ptr = lib.ferrotls_cert_chain_get(self, index) if index >= 0 else None
        if not ptr:
            raise IndexError(index)
        return Certificate(ptr, owner=self)

    def __iter__(self) -> Iterator[Certificate]:
        return (self[i] for i in range(len(self)))


class PrivateKey(_Handle):
    """A private key: RSA, ECDSA P-256/P-384 or Ed25519 (ferrotls_private_key)."""

    _free = lib.ferrotls_private_key_free

    #: ferrotls_key_type values.
    UNSUPPORTED, RSA, ECDSA_P256, ECDSA_P384, ED25519 = range(5)

    def key_type(self) -> int:
        """ferrotls_private_key_type: one of the constants above."""
        require("ferrotls_private_key_type")
        return int(lib.ferrotls_private_key_type(self))

    @classmethod
    def from_pem(cls, pem: Union[str, Bytes], password: Optional[Bytes] = None) -> "PrivateKey":
        """ferrotls_private_key_from_pem, or ferrotls_private_key_from_pem_with_password."""
        data = pem.encode() if isinstance(pem, str) else bytes(pem)
        out = c_void_p()
        if password is None:
            errors.check(lib.ferrotls_private_key_from_pem(data, len(data), byref(out)))
        else:
            require("ferrotls_private_key_from_pem_with_password")
            pw = bytes(password)
            errors.check(lib.ferrotls_private_key_from_pem_with_password(data, len(data), pw, len(pw), byref(out)))
        return cls(out.value or 0)

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "PrivateKey":
        """ferrotls_private_key_from_file."""
        out = c_void_p()
        errors.check(lib.ferrotls_private_key_from_file(_path(path), byref(out)))
        return cls(out.value or 0)


class TrustStore(_Handle):
    """A set of trusted CAs (ferrotls_trust_store)."""

    _free = lib.ferrotls_trust_store_free

    def __init__(self) -> None:
        """ferrotls_trust_store_new."""
        out = c_void_p()
        errors.check(lib.ferrotls_trust_store_new(byref(out)))
        super().__init__(out.value or 0)

    def add_pem(self, pem: Union[str, Bytes]) -> int:
        """ferrotls_trust_store_add_pem: how many certificates were added."""
        data = pem.encode() if isinstance(pem, str) else bytes(pem)
        n = c_size_t()
        errors.check(lib.ferrotls_trust_store_add_pem(self, data, len(data), byref(n)))
        return n.value

    def add_file(self, path: Union[str, "os.PathLike[str]"]) -> int:
        """ferrotls_trust_store_add_file."""
        n = c_size_t()
        errors.check(lib.ferrotls_trust_store_add_file(self, _path(path), byref(n)))
        return n.value

    def add_cert(self, cert: Certificate) -> None:
        """ferrotls_trust_store_add_cert."""
        errors.check(lib.ferrotls_trust_store_add_cert(self, cert))

    def add_dir(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """ferrotls_trust_store_add_dir: an OpenSSL hashed directory (mutual-auth C API)."""
        require("ferrotls_trust_store_add_dir")
        errors.check(lib.ferrotls_trust_store_add_dir(self, _path(path)))

    def add_system(self) -> None:
        """ferrotls_trust_store_add_system: the system's CAs (mutual-auth C API)."""
        require("ferrotls_trust_store_add_system")
        errors.check(lib.ferrotls_trust_store_add_system(self))

    def __len__(self) -> int:
        """ferrotls_trust_store_len."""
        return int(lib.ferrotls_trust_store_len(self))


#: A verify callback: (depth, certificate, ferrotls_result error) -> accept?
VerifyCallback = Callable[[int, Certificate, int], bool]


def make_verify_callback(fn: VerifyCallback) -> Any:
    """Wraps a Python callable as a ferrotls_verify_callback; exceptions count as a refusal.
    Keep the returned object alive as long as any configuration made with it."""

    def trampoline(_userdata: Any, depth: int, cert: int, error: int) -> bool:
        try:
            return bool(fn(int(depth), Certificate(cert, owner=True), int(error)))
        except Exception:
            return False

    return VERIFY_CALLBACK(trampoline)


class ClientVerifier(_Handle):
    """How a server checks client certificates (ferrotls_client_verifier; mutual-auth C API)."""

    _free = staticmethod(lambda h: lib.ferrotls_client_verifier_free(h))  # type: ignore[assignment]

    def __init__(self, roots: TrustStore) -> None:
        """ferrotls_client_verifier_new (roots are copied)."""
        require("ferrotls_client_verifier_new")
        out = c_void_p()
        errors.check(lib.ferrotls_client_verifier_new(roots, byref(out)))
        super().__init__(out.value or 0)
        self._callback: Any = None

    def set_optional(self, optional: bool) -> "ClientVerifier":
        """ferrotls_client_verifier_set_optional: a client may send no certificate."""
        errors.check(lib.ferrotls_client_verifier_set_optional(self, bool(optional)))
        return self

    def set_legacy(self, legacy: bool) -> "ClientVerifier":
        """ferrotls_client_verifier_set_legacy."""
        errors.check(lib.ferrotls_client_verifier_set_legacy(self, bool(legacy)))
        return self

    def add_crl_pem(self, pem: Union[str, Bytes]) -> "ClientVerifier":
        """ferrotls_client_verifier_add_crl_pem."""
        data = pem.encode() if isinstance(pem, str) else bytes(pem)
        errors.check(lib.ferrotls_client_verifier_add_crl_pem(self, data, len(data)))
        return self

    def set_verify_callback(self, fn: VerifyCallback) -> "ClientVerifier":
        """ferrotls_client_verifier_set_verify_callback."""
        self._callback = make_verify_callback(fn)
        errors.check(lib.ferrotls_client_verifier_set_verify_callback(self, self._callback, None))
        return self
