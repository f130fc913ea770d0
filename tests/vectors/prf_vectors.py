#!/usr/bin/env python3
"""Independent known answers for src/key_schedule/prf.rs.

Uses only Python's hmac/hashlib (not ferrotls, not RustCrypto). Run:
    python3 tests/vectors/prf_vectors.py
and compare with the hex pasted into the tests of src/key_schedule/prf.rs and mod.rs.
"""
import hashlib
import hmac


def p_hash(alg, secret, seed, n):
    """RFC 5246 section 5 P_hash."""
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, alg).digest()
        out += hmac.new(secret, a + seed, alg).digest()
    return out[:n]


def prf12(secret, label, seed, n, alg="sha256"):
    return p_hash(alg, secret, label + seed, n)


def prf10(secret, label, seed, n):
    """RFC 2246 section 5: halves of the secret (sharing a byte when odd), P_MD5 xor P_SHA1."""
    half = (len(secret) + 1) // 2
    s1, s2 = secret[:half], secret[len(secret) - half:]
    a = p_hash("md5", s1, label + seed, n)
    b = p_hash("sha1", s2, label + seed, n)
    return bytes(x ^ y for x, y in zip(a, b))


# Inputs: counting bytes, so the Rust test can rebuild them without pasting.
secret_even = bytes(range(48))           # 48 bytes, a master-secret-sized secret
secret_odd = bytes(range(1, 48))         # 47 bytes: exercises the shared middle byte
seed = bytes(range(0x80, 0x80 + 64))     # 64 bytes, e.g. client_random || server_random
label = b"test label"

print("tls12_even_100", prf12(secret_even, label, seed, 100).hex())
print("tls10_even_100", prf10(secret_even, label, seed, 100).hex())
print("tls10_odd_100 ", prf10(secret_odd, label, seed, 100).hex())

# The published TLS 1.2 SHA-256 vector (IETF TLS list, msg03416): reproduced here as a sanity
# check of this script itself.
pub = prf12(bytes.fromhex("9bbe436ba940f017b17652849a71db35"), b"test label",
            bytes.fromhex("a0ba9f936cda311827a6f796ffd5198c"), 100)
assert pub.hex().startswith("e3f229ba727be17b8d122620557cd453"), pub.hex()
print("published_ok  ", pub.hex())

# Key schedule functions (RFC 5246 sections 6.3, 7.4.9, 8.1; RFC 7627 section 4).
premaster = bytes([3, 3]) + bytes(range(2, 48))
client_random = bytes([0xc0 | (i & 0x0f) for i in range(32)])
server_random = bytes([0x50 + i for i in range(32)])
session_hash = hashlib.sha256(b"handshake messages").digest()
handshake_hash = hashlib.sha256(b"all handshake messages").digest()
md5sha1_hash = hashlib.md5(b"all handshake messages").digest() + \
    hashlib.sha1(b"all handshake messages").digest()

for name, prf in (("tls12", prf12), ("tls10", prf10)):
    master = prf(premaster, b"master secret", client_random + server_random, 48)
    ems = prf(premaster, b"extended master secret", session_hash, 48)
    kb = prf(master, b"key expansion", server_random + client_random, 104)
    hh = handshake_hash if name == "tls12" else md5sha1_hash
    cf = prf(master, b"client finished", hh, 12)
    sf = prf(master, b"server finished", hh, 12)
    print(f"{name}_master   ", master.hex())
    print(f"{name}_ems      ", ems.hex())
    print(f"{name}_keyblock ", kb.hex())
    print(f"{name}_client_fin", cf.hex())
    print(f"{name}_server_fin", sf.hex())

# RFC 5705 section 4 exporter: PRF(master_secret, label, client_random + server_random
# [+ uint16 context length + context]). Master secret here: counting bytes (secret_even).
for name, prf in (("tls12", prf12), ("tls10", prf10)):
    plain = prf(secret_even, b"EXPERIMENTAL test", client_random + server_random, 40)
    empty = prf(secret_even, b"EXPERIMENTAL test", client_random + server_random + b"\x00\x00", 40)
    ctx = prf(secret_even, b"EXPERIMENTAL test",
              client_random + server_random + b"\x00\x05" + b"hello", 40)
    print(f"{name}_export_no_context   ", plain.hex())
    print(f"{name}_export_empty_context", empty.hex())
    print(f"{name}_export_hello_context", ctx.hex())
