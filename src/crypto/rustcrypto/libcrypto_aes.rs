//! AES (FIPS 197) one block at a time, for the OpenSSL layer's `EVP_aes_*_cbc` ciphers
//! (`src/openssl/entry/evp_cipher.rs` chains the blocks; session-ticket callbacks use them to
//! seal tickets). Apart from `libcrypto.rs` so that each file stays about one primitive.

use cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};

/// An expanded AES key of 128, 192 or 256 bits; the key schedule is wiped on drop (the `aes`
/// crate's `zeroize` feature).
pub enum AesKey {
    /// AES-128.
    Aes128(aes::Aes128),
    /// AES-192.
    Aes192(aes::Aes192),
    /// AES-256.
    Aes256(aes::Aes256),
}

impl AesKey {
    /// The key for 16, 24 or 32 octets of `key`; `None` for any other length.
    pub fn new(key: &[u8]) -> Option<Self> {
        Some(match key.len() {
            16 => Self::Aes128(aes::Aes128::new_from_slice(key).ok()?),
            24 => Self::Aes192(aes::Aes192::new_from_slice(key).ok()?),
            32 => Self::Aes256(aes::Aes256::new_from_slice(key).ok()?),
            _ => return None,
        })
    }

    /// Encrypts one 16-octet block in place.
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        let mut b = Array::from(*block);
        match self {
            Self::Aes128(c) => c.encrypt_block(&mut b),
            Self::Aes192(c) => c.encrypt_block(&mut b),
            Self::Aes256(c) => c.encrypt_block(&mut b),
        }
        block.copy_from_slice(&b);
    }

    /// Decrypts one 16-octet block in place.
    pub fn decrypt_block(&self, block: &mut [u8; 16]) {
        let mut b = Array::from(*block);
        match self {
            Self::Aes128(c) => c.decrypt_block(&mut b),
            Self::Aes192(c) => c.decrypt_block(&mut b),
            Self::Aes256(c) => c.decrypt_block(&mut b),
        }
        block.copy_from_slice(&b);
    }
}

#[cfg(test)]
mod tests {
    use super::AesKey;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// FIPS 197 Appendix C.1 and C.3.
    #[test]
    fn fips197_vectors() {
        let plain: [u8; 16] = hex("00112233445566778899aabbccddeeff").try_into().unwrap();
        for (key, cipher) in [
            ("000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"),
            (
                "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                "8ea2b7ca516745bfeafc49904b496089",
            ),
        ] {
            let k = AesKey::new(&hex(key)).unwrap();
            let mut b = plain;
            k.encrypt_block(&mut b);
            assert_eq!(b.to_vec(), hex(cipher));
            k.decrypt_block(&mut b);
            assert_eq!(b, plain);
        }
        assert!(AesKey::new(&[0u8; 15]).is_none());
    }
}
