//! The RustCrypto provider: implementations of the `crypto` traits, the cipher suite table and
//! the default provider. This is the only module that names RustCrypto crates.
#![forbid(unsafe_code)]

pub mod cbc_hmac;
pub mod hash;
pub mod rand;
pub mod rc4_hmac;
pub mod rsa;
mod signature_verify;
pub mod time;

pub use signature_verify::{LEGACY_SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS};

#[cfg(test)]
pub(crate) mod test_util {
    /// Decodes a hex string (test vectors only; panics on bad input).
    pub(crate) fn unhex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        s.chunks(2)
            .map(|p| u8::from_str_radix(core::str::from_utf8(p).unwrap(), 16).unwrap())
            .collect()
    }
}
