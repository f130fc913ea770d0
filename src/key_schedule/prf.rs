//! The TLS 1.0–1.2 pseudorandom functions, over the provider's [`Hmac`] trait only.

use crate::crypto::{Hmac, HmacKey};

/// RFC 5246 §5: `PRF(secret, label, seed) = P_<hash>(secret, label ‖ seed)`, filling `out`.
///
/// `hmac` is the suite's PRF HMAC (HMAC-SHA256 for every suite ferrotls implements).
pub fn prf_tls12(hmac: &dyn Hmac, secret: &[u8], label: &[u8], seed: &[u8], out: &mut [u8]) {
    prf_tls12_keyed(&*hmac.with_key(secret), label, seed, out);
}

/// [`prf_tls12`] with the HMAC already keyed with the secret.
pub fn prf_tls12_keyed(key: &dyn HmacKey, label: &[u8], seed: &[u8], out: &mut [u8]) {
    p_hash(key, label, seed, out, Combine::Overwrite);
}

/// RFC 2246 §5: "L_S1 = L_S2 = ceil(L_S / 2)"; S2 is taken from the end so the halves overlap
/// by one byte for an odd-length secret.
pub(super) fn tls10_halves(secret: &[u8]) -> (&[u8], &[u8]) {
    let half = secret.len().div_ceil(2);
    (&secret[..half], &secret[secret.len() - half..])
}

/// [`prf_tls10`] with HMAC-MD5 keyed with S1 and HMAC-SHA1 with S2.
pub fn prf_tls10_keyed(md5: &dyn HmacKey, sha1: &dyn HmacKey, label: &[u8], seed: &[u8], out: &mut [u8]) {
    p_hash(md5, label, seed, out, Combine::Overwrite);
    p_hash(sha1, label, seed, out, Combine::Xor);
}

/// RFC 2246 §5 (and RFC 4346 §5 for TLS 1.1): `P_MD5(S1, label ‖ seed) XOR P_SHA-1(S2, label ‖
/// seed)`, where S1 and S2 are the first and second halves of `secret`, sharing the middle byte
/// when its length is odd.
pub fn prf_tls10(md5: &dyn Hmac, sha1: &dyn Hmac, secret: &[u8], label: &[u8], seed: &[u8], out: &mut [u8]) {
    let (s1, s2) = tls10_halves(secret);
    prf_tls10_keyed(&*md5.with_key(s1), &*sha1.with_key(s2), label, seed, out);
}

/// Whether a P_hash output replaces or is XORed into the output buffer (the TLS 1.0 PRF XORs
/// its two streams).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Combine {
    Overwrite,
    Xor,
}

/// RFC 5246 §5 P_hash with `label ‖ seed` as the seed, without concatenating into a buffer:
///
/// ```text
/// A(0) = label ‖ seed,  A(i) = HMAC(secret, A(i-1))
/// P_hash = HMAC(secret, A(1) ‖ label ‖ seed) ‖ HMAC(secret, A(2) ‖ label ‖ seed) ‖ ...
/// ```
fn p_hash(key: &dyn HmacKey, label: &[u8], seed: &[u8], out: &mut [u8], combine: Combine) {
    let mut a = None;
    for chunk in out.chunks_mut(key.tag_len()) {
        let next = match &a {
            None => key.sign(&[label, seed]),
            Some(prev) => key.sign(&[AsRef::<[u8]>::as_ref(prev)]),
        };
        let block = key.sign(&[next.as_ref(), label, seed]);
        let block = &block.as_ref()[..chunk.len()];
        match combine {
            Combine::Overwrite => chunk.copy_from_slice(block),
            Combine::Xor => chunk.iter_mut().zip(block).for_each(|(o, b)| *o ^= b),
        }
        a = Some(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hash::{HMAC_MD5, HMAC_SHA1, HMAC_SHA256};

    fn unhex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        s.chunks(2).map(|p| u8::from_str_radix(core::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
    }

    fn seed() -> Vec<u8> {
        (0x80..0x80 + 64).collect()
    }

    #[test]
    fn tls12_prf_matches_the_published_sha256_vector() {
        // The TLS 1.2 P_SHA256 vector posted to the IETF TLS list
        // (https://www.ietf.org/mail-archive/web/tls/current/msg03416.html), also used by
        // BearSSL's test_crypto.c; reproduced by tests/vectors/prf_vectors.py.
        let mut out = [0u8; 100];
        prf_tls12(
            &HMAC_SHA256,
            &unhex("9bbe436ba940f017b17652849a71db35"),
            b"test label",
            &unhex("a0ba9f936cda311827a6f796ffd5198c"),
            &mut out,
        );
        let expected = unhex(
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a\
             6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab\
             4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701\
             87347b66",
        );
        assert_eq!(out[..], expected[..]);
    }

    #[test]
    fn tls12_prf_matches_python_hmac_known_answer() {
        // Produced by tests/vectors/prf_vectors.py (Python hmac/hashlib): tls12_even_100.
        let secret: Vec<u8> = (0..48).collect();
        let mut out = [0u8; 100];
        prf_tls12(&HMAC_SHA256, &secret, b"test label", &seed(), &mut out);
        let expected = unhex(
            "195496865d306ed47f2bdb067b6538750a37292e694d119da0add4bd531b92a7\
             0b9cffb7507dad562e9a4f49bb4023bcd60015471e270b14bba2165650505ef6\
             affb1b32ba02e69e5da9b4e9f596d90d25bdc2ed2253cb5fe90bb5cc59d8ff47\
             7e0a2c38",
        );
        assert_eq!(out[..], expected[..]);
    }

    #[test]
    fn tls12_prf_shorter_output_is_a_prefix_of_longer_output() {
        let secret: Vec<u8> = (0..48).collect();
        let (mut short, mut long) = ([0u8; 33], [0u8; 100]);
        prf_tls12(&HMAC_SHA256, &secret, b"test label", &seed(), &mut short);
        prf_tls12(&HMAC_SHA256, &secret, b"test label", &seed(), &mut long);
        assert_eq!(short[..], long[..33]);
    }

    #[test]
    fn tls10_prf_matches_python_hmac_known_answer_for_even_secret() {
        // tests/vectors/prf_vectors.py: tls10_even_100.
        let secret: Vec<u8> = (0..48).collect();
        let mut out = [0u8; 100];
        prf_tls10(&HMAC_MD5, &HMAC_SHA1, &secret, b"test label", &seed(), &mut out);
        let expected = unhex(
            "a0d5f0f81dc9fd17f7b2b726a2f497e911d9ff0478c84812e7c560884d0aa723\
             33b8f8999a1437f61ec748d7dfe98dbc101628e77d62a44e0439dc0c2c18183e\
             cd963bf4e4b5b87d76dfe96f580dce6482ad3cf775664c14212d6242c0a5913f\
             d6f8d8db",
        );
        assert_eq!(out[..], expected[..]);
    }

    #[test]
    fn tls10_prf_shares_the_middle_byte_of_an_odd_secret() {
        // tests/vectors/prf_vectors.py: tls10_odd_100 (47-byte secret 01..2f).
        let secret: Vec<u8> = (1..48).collect();
        let mut out = [0u8; 100];
        prf_tls10(&HMAC_MD5, &HMAC_SHA1, &secret, b"test label", &seed(), &mut out);
        let expected = unhex(
            "1c36ef505a9b0f51cbde7a65df1d807124a5f82bc5fa66a7b06171c873d44859\
             edd0eb95e4cd789737c97565f2adfdeae73fe959afd6326621d1aa6fa96ce822\
             e7e62e00812929351fa167bc22fdf60a05c1314a03ae2cb963efd0911d7f7af5\
             1ddc493c",
        );
        assert_eq!(out[..], expected[..]);
    }

    #[test]
    fn tls10_prf_output_does_not_depend_on_previous_buffer_contents() {
        let secret: Vec<u8> = (0..48).collect();
        let (mut a, mut b) = ([0u8; 40], [0xffu8; 40]);
        prf_tls10(&HMAC_MD5, &HMAC_SHA1, &secret, b"x", &seed(), &mut a);
        prf_tls10(&HMAC_MD5, &HMAC_SHA1, &secret, b"x", &seed(), &mut b);
        assert_eq!(a, b);
    }
}
