#!/usr/bin/env python3
"""Independent reference records for src/suites/cbc_hmac.rs.

Built with Python's hmac/hashlib and pyca/cryptography's AES-CBC (no ferrotls, no RustCrypto).
TLS 1.0 (0x0301) so the IV is the key-block IV and the output is deterministic; the second
record of each pair uses the last ciphertext block of the first as its IV (RFC 2246 6.2.3.2).
Run: python3 tests/vectors/cbc_record.py
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

mac_key = bytes(range(1, 21))          # 20 bytes, HMAC-SHA1
enc_key = bytes(range(0x20, 0x30))     # 16 bytes, AES-128
iv = bytes(range(0x40, 0x50))          # 16 bytes, key-block IV
version = 0x0301


def header(seq, ctype, length):
    return struct.pack(">QBHH", seq, ctype, version, length)


def cbc(key, iv, data):
    e = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return e.update(data) + e.finalize()


def pad(n):
    p = 16 - n % 16
    return bytes([p - 1]) * p


def mte(seq, ctype, plain, iv):
    tag = hmac.new(mac_key, header(seq, ctype, len(plain)) + plain, hashlib.sha1).digest()
    body = plain + tag
    return cbc(enc_key, iv, body + pad(len(body)))


def etm(seq, ctype, plain, iv):
    ct = cbc(enc_key, iv, plain + pad(len(plain)))
    return ct + hmac.new(mac_key, header(seq, ctype, len(ct)) + ct, hashlib.sha1).digest()


r1 = mte(0, 23, b"hello, record layer", iv)
r2 = mte(1, 23, b"second record", r1[-16:])
print("mte_record_0", r1.hex())
print("mte_record_1", r2.hex())
e1 = etm(0, 22, b"hello, record layer", iv)
e2 = etm(1, 22, b"second record", e1[-36:-20])
print("etm_record_0", e1.hex())
print("etm_record_1", e2.hex())
