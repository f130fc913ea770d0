//! HKDF (RFC 5869) as a provider trait: the TLS 1.3 key schedule (RFC 8446 §7.1) is built on
//! it, and a provider with a faster HMAC (or a hardware one) supplies its own.

use super::{HashAlgorithm, HashOutput, HmacKey};

/// HKDF-Expand was asked for more than 255 × HashLen bytes (RFC 5869 §2.3); TLS never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HkdfOutputTooLong;

/// HKDF over one hash function.
pub trait Hkdf: Send + Sync {
    /// The hash HKDF is built on.
    fn hash_algorithm(&self) -> HashAlgorithm;

    /// `HKDF-Extract(salt, ikm)` (RFC 5869 §2.2): the pseudorandom key, HashLen bytes. An empty
    /// `salt` means HashLen zero bytes, as RFC 5869 says and RFC 8446 §7.1 uses.
    fn extract(&self, salt: &[u8], ikm: &[u8]) -> HashOutput;

    /// `HKDF-Expand(prk, info, out.len())` (RFC 5869 §2.3), where `info` is the concatenation
    /// of `info`'s chunks (the HkdfLabel of RFC 8446 §7.1 is built without allocating).
    fn expand(&self, prk: &[u8], info: &[&[u8]], out: &mut [u8]) -> Result<(), HkdfOutputTooLong>;

    /// `HMAC(key, message)` over the same hash: TLS 1.3 Finished and PSK binders (RFC 8446
    /// §4.4.4, §4.2.11.2) are HMACs keyed with an HKDF output.
    fn hmac_sign(&self, key: &[u8], message: &[u8]) -> HashOutput;

    /// HMAC over the same hash, keyed with `key` once (the padded-key hash states are computed
    /// here, RFC 2104 §4), for several MACs or expansions ([`expand_keyed`]) under one key: the
    /// TLS 1.3 key schedule derives several values from each secret (RFC 8446 §7.1, §7.3), and
    /// keying costs as much as one short MAC. The state is secret and wiped when dropped.
    fn with_key(&self, key: &[u8]) -> Box<dyn HmacKey>;
}

/// `HKDF-Expand(PRK, info, out.len())` (RFC 5869 §2.3) with the HMAC already keyed with the PRK
/// (`Hkdf::with_key`), where `info` is the concatenation of its chunks (at most six):
///
/// ```text
/// T(0) = empty,  T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i),  OKM = first L bytes of T(1) ‖ T(2) ‖ ...
/// ```
pub fn expand_keyed(prk: &dyn HmacKey, info: &[&[u8]], out: &mut [u8]) -> Result<(), HkdfOutputTooLong> {
    let hash_len = prk.tag_len();
    if out.len() > 255 * hash_len || info.len() > 6 {
        return Err(HkdfOutputTooLong);
    }
    let mut prev: Option<HashOutput> = None;
    for (i, chunk) in out.chunks_mut(hash_len).enumerate() {
        let counter = [i as u8 + 1];
        // T(i-1), the info chunks and the counter, without concatenating them.
        let mut input: [&[u8]; 8] = [&[]; 8];
        input[0] = prev.as_ref().map_or(&[], |p| p.as_ref());
        input[1..=info.len()].copy_from_slice(info);
        input[info.len() + 1] = &counter;
        let t = prk.sign(&input[..info.len() + 2]);
        chunk.copy_from_slice(&t.as_ref()[..chunk.len()]);
        prev = Some(t);
    }
    Ok(())
}
