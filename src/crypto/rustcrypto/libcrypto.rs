//! The RustCrypto primitives behind the OpenSSL layer's libcrypto slice (`src/openssl/entry`:
//! `EVP_Digest*`, `MD5_*`/`SHA*_*` block functions, `DES_ecb_encrypt`, `RAND_bytes`). They live
//! here because RustCrypto crates are named only inside this provider (`scripts/lint-grep.sh`).

use cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use sha2::digest::DynDigest;

/// A digest in progress, as `EVP_MD_CTX` holds it.
pub struct Digest(Box<dyn DynDigest>);

impl Digest {
    /// A fresh hasher for OpenSSL's NID: MD5 (4), SHA-1 (64), SHA-224 (675), SHA-256 (672),
    /// SHA-384 (673), SHA-512 (674).
    pub fn for_nid(nid: i32) -> Option<Self> {
        let h: Box<dyn DynDigest> = match nid {
            4 => Box::new(md5::Md5::default()),
            64 => Box::new(sha1::Sha1::default()),
            675 => Box::new(sha2::Sha224::default()),
            672 => Box::new(sha2::Sha256::default()),
            673 => Box::new(sha2::Sha384::default()),
            674 => Box::new(sha2::Sha512::default()),
            _ => return None,
        };
        Some(Self(h))
    }
    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
    /// The digest.
    pub fn finish(self) -> Box<[u8]> {
        self.0.finalize()
    }
}

impl Clone for Digest {
    fn clone(&self) -> Self {
        Self(self.0.box_clone())
    }
}

fn one<const N: usize>(b: &[u8]) -> [[u8; N]; 1] {
    let mut a = [0u8; N];
    a.copy_from_slice(b);
    [a]
}

/// MD4's block function (RFC 1320 §3.4) on one 64-octet block. The md4 crate keeps its
/// compression function private, so the block goes through its core with the state set and read
/// back by the core's (public) serialization.
pub fn md4_block(h: &mut [u32; 4], block: &[u8]) {
    use md4::block_api::Md4Core;
    use md4::digest::block_api::{Block, UpdateCore};
    use md4::digest::common::hazmat::{SerializableState, SerializedState};
    let mut state = SerializedState::<Md4Core>::default();
    for (c, v) in state.chunks_exact_mut(4).zip(h.iter()) {
        c.copy_from_slice(&v.to_le_bytes());
    }
    let Ok(mut core) = Md4Core::deserialize(&state) else { return };
    let mut b = Block::<Md4Core>::default();
    b.copy_from_slice(block);
    core.update_blocks(std::slice::from_ref(&b));
    let out = core.serialize();
    for (v, c) in h.iter_mut().zip(out.chunks_exact(4)) {
        *v = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
}
/// MD5's block function (RFC 1321 §3.4) on one 64-octet block.
pub fn md5_block(h: &mut [u32; 4], block: &[u8]) {
    md5::block_api::compress(h, &one::<64>(block));
}
/// SHA-1's block function (FIPS 180-4 §6.1.2) on one 64-octet block.
pub fn sha1_block(h: &mut [u32; 5], block: &[u8]) {
    sha1::block_api::compress(h, &one::<64>(block));
}
/// SHA-256's block function (FIPS 180-4 §6.2.2) on one 64-octet block.
pub fn sha256_block(h: &mut [u32; 8], block: &[u8]) {
    sha2::block_api::compress256(h, &one::<64>(block));
}
/// SHA-512's block function (FIPS 180-4 §6.4.2) on one 128-octet block.
pub fn sha512_block(h: &mut [u64; 8], block: &[u8]) {
    sha2::block_api::compress512(h, &one::<128>(block));
}

/// Single DES (FIPS 46-3) on one block, in place.
pub fn des_ecb(key: &[u8; 8], block: &mut [u8; 8], encrypt: bool) {
    let Ok(c) = des::Des::new_from_slice(key) else { return };
    let mut b = Array::from(*block);
    if encrypt {
        c.encrypt_block(&mut b);
    } else {
        c.decrypt_block(&mut b);
    }
    block.copy_from_slice(&b);
}

/// Fills `buf` from the operating system's generator.
pub fn os_random(buf: &mut [u8]) -> Result<(), String> {
    getrandom::fill(buf).map_err(|e| e.to_string())
}
