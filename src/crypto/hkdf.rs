//! HKDF (RFC 5869) as a provider trait: the TLS 1.3 key schedule (RFC 8446 §7.1) is built on
//! it, and a provider with a faster HMAC (or a hardware one) supplies its own.

use super::{HashAlgorithm, HashOutput};

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
}
