//! CBC block ciphers with HMAC for TLS 1.0–1.2 records (RFC 5246 §6.2.3.2, RFC 7366).
//!
//! One generic implementation, [`CbcHmac`], over the block cipher `C` and the MAC hash `D`; the
//! statics below name the combinations the cipher suites use.
//!
//! Record layout (the MAC input is always `seq_num(8) ‖ type(1) ‖ version(2) ‖ length(2) ‖
//! data`, RFC 5246 §6.2.3.1):
//!
//! ```text
//! MAC-then-encrypt (default): [IV] ‖ E(content ‖ MAC(content) ‖ padding ‖ padding_length)
//! encrypt-then-MAC (RFC 7366): [IV] ‖ E(content ‖ padding ‖ padding_length) ‖ MAC(IV ‖ E(...))
//! ```
//!
//! `[IV]` is a fresh random block per record from TLS 1.1 on (RFC 4346 §6.2.3.2); TLS 1.0 sends
//! none and chains records: the IV of a record is the last ciphertext block of the previous one
//! (RFC 2246 §6.2.3.2), starting from the IV in the key block. Keeping the `cbc` encryptor and
//! decryptor for the life of the connection gives that chaining for free.

use core::marker::PhantomData;
use core::ops::Range;

use cipher::{
    Array, Block, BlockCipherDecrypt, BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt,
    BlockModeDecrypt, BlockSizeUser, InnerIvInit, KeyInit, SetIvState,
};
use hmac::digest::block_api::{Block as HashBlock, UpdateCore};
use hmac::digest::Output;
use hmac::Mac;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeGreater};

use super::hash::{keyed, KnownHash};
use crate::crypto::{
    DecryptError, EncryptError, GetRandomFailed, InboundOpaqueMessage, InboundPlainMessage, KeyBlockShape,
    MessageDecrypter, MessageEncrypter, OpaqueHeader, OutboundPlainMessage, RecordKeys, RecordParams,
    SecureRandom, Tls12RecordAlgorithm,
};
use crate::enums::ProtocolVersion;

/// AES-128-CBC with HMAC-SHA1 (`TLS_RSA_WITH_AES_128_CBC_SHA`).
pub static AES_128_CBC_SHA: CbcHmac<aes::Aes128, sha1::Sha1> = CbcHmac(PhantomData);
/// AES-256-CBC with HMAC-SHA1 (`TLS_RSA_WITH_AES_256_CBC_SHA`).
pub static AES_256_CBC_SHA: CbcHmac<aes::Aes256, sha1::Sha1> = CbcHmac(PhantomData);
/// AES-128-CBC with HMAC-SHA256 (`TLS_RSA_WITH_AES_128_CBC_SHA256`).
pub static AES_128_CBC_SHA256: CbcHmac<aes::Aes128, sha2::Sha256> = CbcHmac(PhantomData);
/// AES-256-CBC with HMAC-SHA256 (`TLS_RSA_WITH_AES_256_CBC_SHA256`).
pub static AES_256_CBC_SHA256: CbcHmac<aes::Aes256, sha2::Sha256> = CbcHmac(PhantomData);
/// AES-256-CBC with HMAC-SHA384 (`TLS_ECDHE_*_WITH_AES_256_CBC_SHA384`, RFC 5289 §3.2).
pub static AES_256_CBC_SHA384: CbcHmac<aes::Aes256, sha2::Sha384> = CbcHmac(PhantomData);
/// 3DES-EDE-CBC with HMAC-SHA1 (`TLS_RSA_WITH_3DES_EDE_CBC_SHA`).
pub static DES_EDE3_CBC_SHA: CbcHmac<des::TdesEde3, sha1::Sha1> = CbcHmac(PhantomData);
/// 3DES-EDE-CBC with HMAC-SHA256 (no registered RSA suite uses it; provided for completeness).
pub static DES_EDE3_CBC_SHA256: CbcHmac<des::TdesEde3, sha2::Sha256> = CbcHmac(PhantomData);

/// A block cipher usable in [`CbcHmac`].
pub trait CbcCipher: BlockCipherEncrypt + BlockCipherDecrypt + KeyInit + Send + Sync + 'static {}

impl<C> CbcCipher for C where C: BlockCipherEncrypt + BlockCipherDecrypt + KeyInit + Send + Sync + 'static {}

/// [`Tls12RecordAlgorithm`] for block cipher `C` in CBC mode with HMAC over `D`; use the
/// statics ([`AES_128_CBC_SHA`], ...).
pub struct CbcHmac<C, D>(PhantomData<fn() -> (C, D)>);

/// The largest padding (RFC 5246 §6.2.3.2: `padding_length` is one byte), plus the length byte.
const MAX_PADDING: usize = 256;

/// `seq_num ‖ type ‖ version ‖ length` (RFC 5246 §6.2.3.1).
const HEADER_LEN: usize = 13;

impl<C: CbcCipher, D: KnownHash> Tls12RecordAlgorithm for CbcHmac<C, D> {
    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            mac_key_len: D::ALGORITHM.output_len(),
            enc_key_len: C::key_size(),
            fixed_iv_len: C::block_size(),
        }
    }

    fn encrypter(&self, keys: &RecordKeys<'_>, params: RecordParams) -> Box<dyn MessageEncrypter> {
        let explicit_iv = params.version != ProtocolVersion::TLSv1_0;
        Box::new(CbcEncrypter::<C, D> {
            cipher: cipher::<C>(keys),
            iv: initial_iv::<C>(keys, explicit_iv),
            mac: keyed::<D>(keys.mac_key),
            explicit_iv,
            encrypt_then_mac: params.encrypt_then_mac,
            random: params.random,
        })
    }

    fn decrypter(&self, keys: &RecordKeys<'_>, params: RecordParams) -> Box<dyn MessageDecrypter> {
        let explicit_iv = params.version != ProtocolVersion::TLSv1_0;
        Box::new(CbcDecrypter::<C, D> {
            cbc: cbc::Decryptor::inner_iv_init(cipher::<C>(keys), &initial_iv::<C>(keys, explicit_iv)),
            mac: keyed::<D>(keys.mac_key),
            explicit_iv,
            encrypt_then_mac: params.encrypt_then_mac,
        })
    }
}

/// The keyed block cipher; key expansion runs once per connection direction.
fn cipher<C: CbcCipher>(keys: &RecordKeys<'_>) -> C {
    // The record layer slices keys by `key_block_shape`, so a wrong length is a ferrotls bug.
    C::new_from_slice(keys.enc_key).expect("encryption key length matches key_block_shape")
}

/// The key block IV for TLS 1.0; from TLS 1.1 on every record carries its own, so the state is
/// overwritten before use and the key block IV (which the peer may not even send) is ignored.
fn initial_iv<C: CbcCipher>(keys: &RecordKeys<'_>, explicit_iv: bool) -> Block<C> {
    if explicit_iv {
        return Block::<C>::default();
    }
    Block::<C>::try_from(keys.iv).expect("TLS 1.0 IV length matches key_block_shape")
}

/// `seq_num ‖ type ‖ version ‖ length`, the MAC's pseudo-header (RFC 5246 §6.2.3.1).
fn mac_header(seq: u64, content_type: u8, version: u16, len: usize) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..8].copy_from_slice(&seq.to_be_bytes());
    h[8] = content_type;
    h[9..11].copy_from_slice(&version.to_be_bytes());
    // Fragments are at most 2^14 + 2048 bytes (RFC 5246 §6.2.3), so the length fits.
    h[11..].copy_from_slice(&(len as u16).to_be_bytes());
    h
}

/// HMAC of `header ‖ data`, starting from the precomputed keyed state.
fn record_mac<D: KnownHash>(key: &hmac::Hmac<D>, header: &[u8], data: &[u8]) -> Output<hmac::Hmac<D>> {
    let mut mac = key.clone();
    mac.update(header);
    mac.update(data);
    mac.finalize().into_bytes()
}

/// CBC-decrypts `buf` (a whole number of blocks) in place, continuing the decryptor's chain.
fn decrypt_in_place<C: CbcCipher>(cbc: &mut cbc::Decryptor<C>, buf: &mut [u8]) {
    let (blocks, rest) = Array::slice_as_chunks_mut(buf);
    debug_assert!(rest.is_empty(), "caller checked the block alignment");
    cbc.decrypt_blocks(blocks);
}

/// Bytes per step of the stitched encryption loop: one SHA-1/SHA-256 block, four AES blocks,
/// eight 3DES blocks. CBC encryption is latency-bound (each block waits for the previous one),
/// so while the CPU waits on one step's cipher chain it can run the hash compression of another
/// if both are in its out-of-order window at once; small steps keep them there. This is what
/// OpenSSL's "stitched" AES-CBC-HMAC-SHA1 assembly does by hand, here left to the CPU.
const STITCH: usize = 64;

/// What the stitched encryption loop hashes alongside the cipher.
enum StitchMac<'a, D: KnownHash> {
    /// Nothing (the tail of a MAC-then-encrypt record, after its MAC is known).
    None,
    /// The ciphertext it produces, one step behind (encrypt-then-MAC).
    Ciphertext(&'a mut hmac::Hmac<D>),
    /// The plaintext, as long as the body and step by step (MAC-then-encrypt).
    Plaintext(&'a mut hmac::Hmac<D>, &'a [u8]),
}

/// CBC encryption of `body` (whole blocks) in place from chaining value `iv`, which is left at
/// the last ciphertext block (the TLS 1.0 chain). One backend closure per record: the cipher's
/// key setup (round-key broadcast for VAES) runs once, and the block chain stays in registers.
struct CbcStitch<'a, C: BlockSizeUser, D: KnownHash> {
    iv: &'a mut Block<C>,
    body: &'a mut [u8],
    mac: StitchMac<'a, D>,
}

impl<C: BlockSizeUser, D: KnownHash> BlockSizeUser for CbcStitch<'_, C, D> {
    type BlockSize = C::BlockSize;
}

impl<C: BlockSizeUser, D: KnownHash> BlockCipherEncClosure for CbcStitch<'_, C, D> {
    fn call<B: BlockCipherEncBackend<BlockSize = Self::BlockSize>>(self, backend: &B) {
        let Self { iv, body, mut mac } = self;
        let bs = C::block_size();
        debug_assert_eq!(body.len() % bs, 0, "padding makes a whole number of blocks");
        let mut chain = iv.clone();
        let mut prev = 0..0;
        let mut start = 0;
        while start < body.len() {
            let end = (start + STITCH).min(body.len());
            for block in body[start..end].chunks_exact_mut(bs) {
                for (c, p) in chain.iter_mut().zip(block.iter()) {
                    *c ^= *p;
                }
                backend.encrypt_block((&mut chain).into());
                block.copy_from_slice(&chain);
            }
            match &mut mac {
                StitchMac::None => {}
                StitchMac::Ciphertext(m) => m.update(&body[prev]),
                StitchMac::Plaintext(m, plaintext) => m.update(&plaintext[start..end]),
            }
            prev = start..end;
            start = end;
        }
        if let StitchMac::Ciphertext(m) = &mut mac {
            m.update(&body[prev]);
        }
        *iv = chain;
    }
}

/// The encrypting half of [`CbcHmac`].
struct CbcEncrypter<C: CbcCipher, D: KnownHash> {
    cipher: C,
    /// The CBC chaining value: the last ciphertext block sent (TLS 1.0), or this record's
    /// explicit IV (TLS 1.1+).
    iv: Block<C>,
    mac: hmac::Hmac<D>,
    explicit_iv: bool,
    encrypt_then_mac: bool,
    /// The provider's random source (explicit IVs).
    random: &'static dyn SecureRandom,
}

impl<C: CbcCipher, D: KnownHash> CbcEncrypter<C, D> {
    /// RFC 4346 §6.2.3.2 option (1): a fresh random IV per record, sent in the clear.
    fn push_explicit_iv(&mut self, out: &mut Vec<u8>) -> Result<(), GetRandomFailed> {
        if self.explicit_iv {
            self.random.fill(&mut self.iv)?;
            out.extend_from_slice(&self.iv);
        }
        Ok(())
    }

    fn iv_len(&self) -> usize {
        if self.explicit_iv {
            C::block_size()
        } else {
            0
        }
    }
}

/// Bytes of `padding ‖ padding_length` that round `len` up to a whole number of blocks: the
/// minimum (RFC 5246 §6.2.3.2 allows up to 255, but longer padding buys little).
fn padding_len(len: usize, block_size: usize) -> usize {
    block_size - len % block_size
}

impl<C: CbcCipher, D: KnownHash> MessageEncrypter for CbcEncrypter<C, D> {
    fn encrypted_payload_len(&self, plain_len: usize) -> usize {
        let (bs, mac_len) = (C::block_size(), D::ALGORITHM.output_len());
        if self.encrypt_then_mac {
            self.iv_len() + plain_len + padding_len(plain_len, bs) + mac_len
        } else {
            let inner = plain_len + mac_len;
            self.iv_len() + inner + padding_len(inner, bs)
        }
    }

    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
        out: &mut Vec<u8>,
    ) -> Result<OpaqueHeader, EncryptError> {
        let (content_type, version, plaintext) = (u8::from(msg.typ), u16::from(msg.version), msg.payload);
        let bs = C::block_size();
        out.reserve(self.encrypted_payload_len(plaintext.len()));
        let start = out.len();
        self.push_explicit_iv(out)?;
        let body_start = out.len();
        crate::crypto::copy::extend(out, plaintext);

        if self.encrypt_then_mac {
            // RFC 7366 §3: pad and encrypt the content alone, then MAC the record as sent
            // (IV ‖ ciphertext), with that length in the pseudo-header.
            let pad = padding_len(plaintext.len(), bs);
            out.resize(out.len() + pad, (pad - 1) as u8);
            let sent_len = out.len() - start;
            let mut mac = self.mac.clone();
            mac.update(&mac_header(seq, content_type, version, sent_len));
            mac.update(&out[start..body_start]);
            let body = &mut out[body_start..];
            let mac_ref = StitchMac::Ciphertext(&mut mac);
            self.cipher.encrypt_with_backend(CbcStitch::<C, D> { iv: &mut self.iv, body, mac: mac_ref });
            out.extend_from_slice(&mac.finalize().into_bytes());
        } else {
            // RFC 5246 §6.2.3.2: the MAC covers the plaintext and is encrypted with it. Whole
            // steps of the content are MACed and encrypted together; the tail (content end,
            // MAC, padding) is encrypted once the MAC is known.
            let mut mac = self.mac.clone();
            mac.update(&mac_header(seq, content_type, version, plaintext.len()));
            let stitched = plaintext.len() / STITCH * STITCH;
            self.cipher.encrypt_with_backend(CbcStitch::<C, D> {
                iv: &mut self.iv,
                body: &mut out[body_start..body_start + stitched],
                mac: StitchMac::Plaintext(&mut mac, &plaintext[..stitched]),
            });
            mac.update(&plaintext[stitched..]);
            let tag = mac.finalize().into_bytes();
            out.extend_from_slice(&tag);
            let pad = padding_len(plaintext.len() + tag.len(), bs);
            out.resize(out.len() + pad, (pad - 1) as u8);
            self.cipher.encrypt_with_backend(CbcStitch::<C, D> {
                iv: &mut self.iv,
                body: &mut out[body_start + stitched..],
                mac: StitchMac::None,
            });
        }
        Ok(OpaqueHeader { typ: msg.typ, version: msg.version })
    }
}

/// The decrypting half of [`CbcHmac`].
struct CbcDecrypter<C: CbcCipher, D: KnownHash> {
    cbc: cbc::Decryptor<C>,
    mac: hmac::Hmac<D>,
    explicit_iv: bool,
    encrypt_then_mac: bool,
}

impl<C: CbcCipher, D: KnownHash> MessageDecrypter for CbcDecrypter<C, D> {
    fn decrypt(
        &mut self,
        msg: InboundOpaqueMessage<'_>,
        seq: u64,
    ) -> Result<InboundPlainMessage, DecryptError> {
        let (typ, version) = (msg.typ, msg.version);
        let (content_type, fragment) = (u8::from(typ), msg.payload);
        let iv_len = if self.explicit_iv { C::block_size() } else { 0 };
        let range = if self.encrypt_then_mac {
            self.decrypt_etm(content_type, u16::from(version), seq, iv_len, fragment)
        } else {
            self.decrypt_mte(content_type, u16::from(version), seq, iv_len, fragment)
        }?;
        Ok(InboundPlainMessage { typ, version, range })
    }
}

impl<C: CbcCipher, D: KnownHash> CbcDecrypter<C, D> {
    /// Takes the record's explicit IV (TLS 1.1+) as the chain's starting point.
    fn load_explicit_iv(&mut self, fragment: &[u8], iv_len: usize) {
        if iv_len > 0 {
            let iv = Block::<C>::try_from(&fragment[..iv_len]).expect("iv_len is the block size");
            self.cbc.set_iv(&iv);
        }
    }

    /// RFC 7366 §3: check the MAC over the ciphertext, then decrypt.
    fn decrypt_etm(
        &mut self,
        content_type: u8,
        version: u16,
        seq: u64,
        iv_len: usize,
        fragment: &mut [u8],
    ) -> Result<Range<usize>, DecryptError> {
        let (bs, mac_len) = (C::block_size(), D::ALGORITHM.output_len());
        // Lengths are public: branching on them reveals nothing the attacker did not send.
        let len = fragment.len();
        if len < iv_len + bs + mac_len || !(len - iv_len - mac_len).is_multiple_of(bs) {
            return Err(DecryptError::BadRecordMac);
        }
        let (sent, tag) = fragment.split_at_mut(len - mac_len);
        let expected = record_mac(&self.mac, &mac_header(seq, content_type, version, sent.len()), sent);
        // The MAC covers only what was on the wire, so failing early here cannot leak anything
        // about the plaintext or padding: there is no padding oracle in encrypt-then-MAC.
        if !bool::from(expected.as_slice().ct_eq(tag)) {
            return Err(DecryptError::BadRecordMac);
        }
        self.load_explicit_iv(sent, iv_len);
        let body = &mut sent[iv_len..];
        decrypt_in_place(&mut self.cbc, body);
        // The padding is authenticated by now; it is still checked (a peer that pads wrongly is
        // broken) with the same constant-time routine, for simplicity rather than secrecy.
        let (pad_ok, pad) = check_padding(body, 0);
        if !bool::from(pad_ok) {
            return Err(DecryptError::BadRecordMac);
        }
        Ok(iv_len..iv_len + body.len() - pad as usize - 1)
    }

    /// RFC 5246 §6.2.3.2: decrypt, then check padding and MAC without revealing which failed,
    /// by result or by timing (Lucky 13, AlFardan and Paterson 2013).
    ///
    /// What is constant time here, and what is not:
    /// - The padding is checked over a fixed window (the last `min(256, len)` bytes) with
    ///   `subtle`, whatever `padding_length` says.
    /// - The received MAC, whose position depends on the padding length, is extracted by
    ///   scanning the whole window in which it can lie and rotating into place in constant time
    ///   (OpenSSL's `ssl3_cbc_copy_mac` approach), not by slicing at a secret offset.
    /// - The HMAC is computed over the content length the padding implies (or the maximum when
    ///   the padding is invalid, as if `padding_length` were 0). Its cost varies with that length
    ///   by whole compression-function calls, so the difference to the maximal length is made up
    ///   with dummy compression calls on a throwaway hash core: every record of a given length
    ///   costs the same number of compressions (the fix suggested in the Lucky 13 paper §6, also
    ///   used by s2n). What remains is secret-dependent *addressing*: the real HMAC reads
    ///   `content_length` bytes and the dummy loop runs a secret number of times, which a cache
    ///   or branch-predictor observer might distinguish; closing that needs a hash core driven
    ///   block-by-block with masked state selection, which the RustCrypto API does not offer.
    /// - Padding validity and MAC validity are folded into one [`Choice`]; the only branch is on
    ///   that final verdict, and every failure is the same [`DecryptError::BadRecordMac`].
    fn decrypt_mte(
        &mut self,
        content_type: u8,
        version: u16,
        seq: u64,
        iv_len: usize,
        fragment: &mut [u8],
    ) -> Result<Range<usize>, DecryptError> {
        let (bs, mac_len) = (C::block_size(), D::ALGORITHM.output_len());
        // Public: the body must hold MAC and padding_length and be whole blocks.
        let len = fragment.len();
        let min_body = (mac_len + 1).div_ceil(bs) * bs;
        if len < iv_len + min_body || !(len - iv_len).is_multiple_of(bs) {
            return Err(DecryptError::BadRecordMac);
        }
        self.load_explicit_iv(fragment, iv_len);
        let body = &mut fragment[iv_len..];
        decrypt_in_place(&mut self.cbc, body);

        let (pad_ok, pad) = check_padding(body, mac_len);
        // With bad padding, proceed as if padding_length were 0 so the work below is the same.
        let max_content = (body.len() - mac_len - 1) as u64;
        let content_len = u64::conditional_select(&max_content, &max_content.wrapping_sub(pad), pad_ok);

        let received = extract_mac(body, content_len, mac_len);
        let header = mac_header(seq, content_type, version, content_len as usize);
        let expected = record_mac(&self.mac, &header, &body[..content_len as usize]);
        equalize_compressions::<D>(HEADER_LEN + content_len as usize, HEADER_LEN + max_content as usize);

        let good = pad_ok & expected.as_slice().ct_eq(&received[..mac_len]);
        if bool::from(good) {
            Ok(iv_len..iv_len + content_len as usize)
        } else {
            Err(DecryptError::BadRecordMac)
        }
    }
}

/// A [`Choice`] as a byte mask: 0xff for true, 0x00 for false. The mask is then combined with
/// plain bit operations, so each decision costs one `subtle` barrier, not one per operation.
fn mask(c: Choice) -> u8 {
    c.unwrap_u8().wrapping_neg()
}

/// All ones when `a < b`, else zero, for `a, b < 2^63` (every index and length here is below
/// 2^17): `a - b` wraps, setting the top bit, exactly when `a < b`. Plain arithmetic, no
/// comparison the compiler could turn into a branch.
///
/// Why not `subtle` per byte, as before: each `subtle` comparison ends in an optimisation
/// barrier (`black_box`) that forces its value through memory, and with two of them per byte of
/// a 276-byte window, [`extract_mac`] and [`check_padding`] took a third of a 16 KiB MtE record's
/// decryption (profile of the bench's MtE row). Instead the secret (the padding length, the
/// MAC's offset) passes one barrier where it enters each function, so the compiler cannot know
/// it or specialise on it, and everything after is branch-free arithmetic on it, as in
/// BoringSSL's `constant_time_lt_w` helpers. The loops' trip counts and the addresses they touch
/// depend only on the public record length.
#[inline(always)]
fn lt_mask(a: u64, b: u64) -> u64 {
    (a.wrapping_sub(b) >> 63).wrapping_neg()
}

/// Checks `padding ‖ padding_length` at the end of `body` in constant time (RFC 5246 §6.2.3.2:
/// every padding byte equals `padding_length`), and that it leaves room for a `mac_len` MAC.
///
/// Returns the verdict and `padding_length` (meaningful only when the verdict is true). The
/// loop always covers the last `min(256, body.len())` bytes — the most padding there can be —
/// and masks out the bytes beyond the claimed padding: walking back from the end, byte `i` is
/// padding while `i < padding_length + 1` (an arithmetic mask, see [`lt_mask`]), and its
/// differences from `padding_length` are OR-ed together.
fn check_padding(body: &[u8], mac_len: usize) -> (Choice, u64) {
    let len = body.len();
    let pad = body[len - 1];
    let pad64 = u64::from(pad);
    let fits = !(pad64 + 1 + mac_len as u64).ct_gt(&(len as u64));
    // The one barrier on the secret (see `lt_mask`).
    let pad_end = core::hint::black_box(pad64 + 1);
    let mut diff = 0u8;
    for (i, &b) in body[len - len.min(MAX_PADDING)..].iter().rev().enumerate() {
        diff |= (b ^ pad) & lt_mask(i as u64, pad_end) as u8;
    }
    (fits & diff.ct_eq(&0), pad64)
}

/// The `mac_len` bytes at the secret offset `mac_start` of `body`, read without a
/// secret-dependent address: every byte of the window where the MAC can lie is visited and
/// masked into a rotating buffer, which is then rotated back in log2(`mac_len`) constant-time
/// steps, one per bit of the rotation amount (OpenSSL's `ssl3_cbc_copy_mac`, BoringSSL's
/// logarithmic rotation).
///
/// The window is walked in `mac_len`-byte pieces: byte `t` of a piece goes to `rotated[t]`, so
/// the MAC lands rotated by its offset modulo `mac_len`, which is recorded at the byte where it
/// starts (no division of a secret: its timing may depend on the operands). Which bytes are
/// inside the MAC is the arithmetic mask `mac_start <= i < mac_end` ([`lt_mask`]).
fn extract_mac(body: &[u8], mac_start: u64, mac_len: usize) -> [u8; 64] {
    let len = body.len();
    // The MAC ends right before padding_length at the latest and starts at most 255 padding
    // bytes earlier than that.
    let scan_start = len.saturating_sub(MAX_PADDING + mac_len);
    // The one barrier on the secret (see `lt_mask`).
    let mac_start = core::hint::black_box(mac_start);
    let mac_end = mac_start + mac_len as u64;
    let mut rotated = [0u8; 64];
    let mut rotation = 0u64;
    for (k, piece) in body[scan_start..len - 1].chunks(mac_len).enumerate() {
        let base = (scan_start + k * mac_len) as u64;
        for (t, (&b, r)) in piece.iter().zip(rotated.iter_mut()).enumerate() {
            let i = base + t as u64;
            let inside = !lt_mask(i, mac_start) & lt_mask(i, mac_end);
            // `i == mac_start`: neither below it nor above it.
            let is_start = !lt_mask(i, mac_start) & !lt_mask(mac_start, i);
            *r |= b & inside as u8;
            rotation |= t as u64 & is_start;
        }
    }
    // Rotate left by `rotation`: by 1, 2, 4, ... positions where that bit of it is set.
    let mut offset = 1;
    let mut tmp = [0u8; 64];
    while offset < mac_len {
        let take = mask((rotation & 1).ct_eq(&1));
        for (i, t) in tmp[..mac_len].iter_mut().enumerate() {
            // `(i + offset) % mac_len` of public values, without a division (a `div` per byte
            // was most of this function's time); `i + offset < 2 * mac_len`.
            let j = i + offset;
            let from = rotated[if j >= mac_len { j - mac_len } else { j }];
            *t = (from & take) | (rotated[i] & !take);
        }
        rotated[..mac_len].copy_from_slice(&tmp[..mac_len]);
        offset <<= 1;
        rotation >>= 1;
    }
    rotated
}

/// Inner-hash compression calls HMAC makes for `mac_input_len` bytes after the (precomputed)
/// key block: the data, one 0x80 byte and the length field, rounded up to whole blocks.
fn compressions<D: KnownHash>(mac_input_len: usize) -> usize {
    let block = <D::Core>::block_size();
    (mac_input_len + 1 + D::LENGTH_FIELD_LEN).div_ceil(block)
}

/// Runs as many dummy compression calls as the real HMAC over `actual_len` bytes saved compared
/// to one over `max_len` bytes, so the total is the same for every padding length (see
/// [`CbcDecrypter::decrypt_mte`]).
fn equalize_compressions<D: KnownHash>(actual_len: usize, max_len: usize) {
    let extra = compressions::<D>(max_len) - compressions::<D>(actual_len);
    let mut core = D::Core::default();
    let block = HashBlock::<D::Core>::default();
    for _ in 0..extra {
        core.update_blocks(core::slice::from_ref(&block));
    }
    // Keep the optimiser from deleting work whose result is unused.
    core::hint::black_box(&core);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::rand::SYSTEM_RANDOM;
    use crate::crypto::rustcrypto::test_util::{opaque_msg, plain_msg, unhex};
    use cipher::{BlockModeEncrypt, KeyIvInit};

    const VERSIONS: [u16; 3] = [0x0301, 0x0302, 0x0303];

    fn algorithms() -> [(&'static str, &'static dyn Tls12RecordAlgorithm); 6] {
        [
            ("AES-128-CBC-SHA", &AES_128_CBC_SHA),
            ("AES-256-CBC-SHA", &AES_256_CBC_SHA),
            ("AES-128-CBC-SHA256", &AES_128_CBC_SHA256),
            ("AES-256-CBC-SHA256", &AES_256_CBC_SHA256),
            ("DES-EDE3-CBC-SHA", &DES_EDE3_CBC_SHA),
            ("DES-EDE3-CBC-SHA256", &DES_EDE3_CBC_SHA256),
        ]
    }

    /// Deterministic key material of the algorithm's shape.
    struct KeyMaterial {
        mac: Vec<u8>,
        enc: Vec<u8>,
        iv: Vec<u8>,
    }

    impl KeyMaterial {
        fn new(alg: &dyn Tls12RecordAlgorithm) -> Self {
            let shape = alg.key_block_shape();
            Self {
                mac: (0..shape.mac_key_len as u8).map(|b| b.wrapping_mul(7)).collect(),
                enc: (0..shape.enc_key_len as u8).map(|b| b ^ 0x5a).collect(),
                iv: (0..shape.fixed_iv_len as u8).map(|b| b.wrapping_add(0x90)).collect(),
            }
        }

        fn keys(&self) -> RecordKeys<'_> {
            RecordKeys { mac_key: &self.mac, enc_key: &self.enc, iv: &self.iv }
        }
    }

    fn pair(
        alg: &dyn Tls12RecordAlgorithm,
        version: u16,
        encrypt_then_mac: bool,
    ) -> (Box<dyn MessageEncrypter>, Box<dyn MessageDecrypter>) {
        let km = KeyMaterial::new(alg);
        let params = RecordParams { version: version.into(), encrypt_then_mac, random: &SYSTEM_RANDOM };
        (alg.encrypter(&km.keys(), params), alg.decrypter(&km.keys(), params))
    }

    fn seal(enc: &mut dyn MessageEncrypter, version: u16, seq: u64, plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        enc.encrypt(plain_msg(23, version, plain), seq, &mut out).unwrap();
        assert_eq!(out.len(), enc.encrypted_payload_len(plain.len()));
        out
    }

    fn message(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 + 7) as u8).collect()
    }

    #[test]
    fn every_cbc_suite_round_trips_in_every_version_with_and_without_etm() {
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                for etm in [false, true] {
                    let (mut enc, mut dec) = pair(alg, version, etm);
                    for (seq, len) in [0usize, 1, 15, 16, 17, 100, 1000, 16384].into_iter().enumerate() {
                        let plain = message(len);
                        let mut record = seal(&mut *enc, version, seq as u64, &plain);
                        let range = dec
                            .decrypt(opaque_msg(23, version, &mut record), seq as u64)
                            .map(|m| m.range)
                            .unwrap_or_else(|e| panic!("{name} {version:#x} etm={etm} len={len}: {e:?}"));
                        assert_eq!(record[range], plain[..], "{name} {version:#x} etm={etm}");
                    }
                }
            }
        }
    }

    #[test]
    fn encrypt_appends_after_existing_output() {
        let (mut enc, mut dec) = pair(&AES_128_CBC_SHA, 0x0303, false);
        let mut out = b"header".to_vec();
        enc.encrypt(plain_msg(23, 0x0303, b"payload"), 0, &mut out).unwrap();
        assert_eq!(&out[..6], b"header");
        let range = dec.decrypt(opaque_msg(23, 0x0303, &mut out[6..]), 0).map(|m| m.range).unwrap();
        assert_eq!(&out[6..][range], b"payload");
    }

    #[test]
    fn explicit_ivs_differ_between_records_from_tls11() {
        let (mut enc, _) = pair(&AES_128_CBC_SHA, 0x0302, false);
        let a = seal(&mut *enc, 0x0302, 0, b"same");
        let b = seal(&mut *enc, 0x0302, 0, b"same");
        assert_ne!(a[..16], b[..16]);
    }

    #[test]
    fn flipping_any_bit_of_a_record_gives_bad_record_mac() {
        // Covers IV, ciphertext, MAC and padding bytes alike, in every mode.
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                for etm in [false, true] {
                    let (mut enc, _) = pair(alg, version, etm);
                    let record = seal(&mut *enc, version, 5, &message(40));
                    for i in 0..record.len() {
                        for bit in [0x01u8, 0x80] {
                            let mut tampered = record.clone();
                            tampered[i] ^= bit;
                            // A fresh decrypter starts from the same key-block IV (TLS 1.0).
                            let (_, mut dec) = pair(alg, version, etm);
                            assert_eq!(
                                dec.decrypt(opaque_msg(23, version, &mut tampered), 5).map(|m| m.range),
                                Err(DecryptError::BadRecordMac),
                                "{name} {version:#x} etm={etm} byte {i} bit {bit:#x}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn wrong_sequence_number_type_or_version_gives_bad_record_mac() {
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                for etm in [false, true] {
                    for (ty, v, seq) in [(23, version, 8), (22, version, 7), (23, version ^ 1, 7)] {
                        let (mut enc, mut dec) = pair(alg, version, etm);
                        let mut record = seal(&mut *enc, version, 7, b"sequence matters");
                        assert_eq!(
                            dec.decrypt(opaque_msg(ty, v, &mut record), seq).map(|m| m.range),
                            Err(DecryptError::BadRecordMac),
                            "{name} {version:#x} etm={etm} ({ty}, {v:#x}, {seq})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn truncated_or_misaligned_fragments_give_bad_record_mac() {
        for (name, alg) in algorithms() {
            for version in VERSIONS {
                for etm in [false, true] {
                    let (mut enc, _) = pair(alg, version, etm);
                    let record = seal(&mut *enc, version, 0, &message(64));
                    let bs = alg.key_block_shape().fixed_iv_len;
                    for cut in [1, bs, record.len() - bs, record.len() - 1, record.len()] {
                        let (_, mut dec) = pair(alg, version, etm);
                        let mut short = record[..record.len() - cut].to_vec();
                        assert_eq!(
                            dec.decrypt(opaque_msg(23, version, &mut short), 0).map(|m| m.range),
                            Err(DecryptError::BadRecordMac),
                            "{name} {version:#x} etm={etm} cut {cut}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn tls10_records_chain_ivs_so_the_second_decrypts_only_after_the_first() {
        for etm in [false, true] {
            let (mut enc, mut dec) = pair(&AES_128_CBC_SHA, 0x0301, etm);
            let mut r1 = seal(&mut *enc, 0x0301, 0, b"first record");
            let r2 = seal(&mut *enc, 0x0301, 1, b"second record");

            // Without the first record's state, the second record's first block decrypts
            // against the key-block IV instead of r1's last block.
            let (_, mut fresh) = pair(&AES_128_CBC_SHA, 0x0301, etm);
            let mut r2_copy = r2.clone();
            assert_eq!(
                fresh.decrypt(opaque_msg(23, 0x0301, &mut r2_copy), 1).map(|m| m.range),
                Err(DecryptError::BadRecordMac)
            );

            let range = dec.decrypt(opaque_msg(23, 0x0301, &mut r1), 0).map(|m| m.range).unwrap();
            assert_eq!(&r1[range], b"first record");
            let mut r2 = r2;
            let range = dec.decrypt(opaque_msg(23, 0x0301, &mut r2), 1).map(|m| m.range).unwrap();
            assert_eq!(&r2[range], b"second record");
        }
    }

    /// Keys of tests/vectors/cbc_record.py.
    fn python_keys() -> KeyMaterial {
        KeyMaterial { mac: (1..21).collect(), enc: (0x20..0x30).collect(), iv: (0x40..0x50).collect() }
    }

    #[test]
    fn tls10_records_match_a_python_cryptography_reference() {
        // Expected bytes from tests/vectors/cbc_record.py (pyca/cryptography AES-CBC, Python
        // hmac): two chained MAC-then-encrypt records, then two encrypt-then-MAC records.
        let km = python_keys();
        for (etm, ty, expected) in [
            (
                false,
                23,
                [
                    "d68db344626d7815994a26698d38886bdd86dc3bdf9127aca750986052344b2a\
                     7180dde2a9f193a45f001b19873ee868",
                    "7b03754ed10653078594d449522d0adfa07e5f5038713847ce16ed3b6604a848\
                     1c8d987b2411fcf6cb3e81ffe9619263",
                ],
            ),
            (
                true,
                22,
                [
                    "d68db344626d7815994a26698d38886b3365584349e86baa73f949db9b38ba66\
                     b99a9bbf13bb86ec0a7f7cfb36a85ba75d327532",
                    "e27d2cd9f98f5aeaae9e7d39c774c7d19e4d94279caff2584fd9eaea8e933098\
                     01b7f553",
                ],
            ),
        ] {
            let params =
                RecordParams { version: 0x0301.into(), encrypt_then_mac: etm, random: &SYSTEM_RANDOM };
            let mut enc = AES_128_CBC_SHA.encrypter(&km.keys(), params);
            let mut dec = AES_128_CBC_SHA.decrypter(&km.keys(), params);
            for (seq, (plain, hex)) in
                [&b"hello, record layer"[..], b"second record"].iter().zip(expected).enumerate()
            {
                let mut out = Vec::new();
                enc.encrypt(plain_msg(ty, 0x0301, plain), seq as u64, &mut out).unwrap();
                assert_eq!(out, unhex(hex), "etm={etm} record {seq}");
                let mut theirs = unhex(hex);
                let range =
                    dec.decrypt(opaque_msg(ty, 0x0301, &mut theirs), seq as u64).map(|m| m.range).unwrap();
                assert_eq!(&theirs[range], *plain);
            }
        }
    }

    /// Builds a TLS 1.2 MAC-then-encrypt AES-128-CBC-SHA record by hand with RustCrypto
    /// primitives, with `padding` (the padding bytes and the length byte) chosen by the caller.
    fn handmade_record(km: &KeyMaterial, seq: u64, plain: &[u8], padding: &[u8]) -> Vec<u8> {
        let mut mac = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&km.mac).unwrap();
        mac.update(&seq.to_be_bytes());
        mac.update(&[23, 3, 3]);
        mac.update(&(plain.len() as u16).to_be_bytes());
        mac.update(plain);
        let iv = [0xa5u8; 16];
        let mut body = plain.to_vec();
        body.extend_from_slice(&mac.finalize().into_bytes());
        body.extend_from_slice(padding);
        assert_eq!(body.len() % 16, 0, "test bug: record not block aligned");
        let mut cbc = cbc::Encryptor::<aes::Aes128>::new_from_slices(&km.enc, &iv).unwrap();
        let (blocks, _) = Array::slice_as_chunks_mut(&mut body);
        cbc.encrypt_blocks(blocks);
        let mut record = iv.to_vec();
        record.extend_from_slice(&body);
        record
    }

    fn decrypt_aes128_sha_tls12(km: &KeyMaterial, record: &mut [u8]) -> Result<Vec<u8>, DecryptError> {
        let params = RecordParams { version: 0x0303.into(), encrypt_then_mac: false, random: &SYSTEM_RANDOM };
        let mut dec = AES_128_CBC_SHA.decrypter(&km.keys(), params);
        dec.decrypt(opaque_msg(23, 0x0303, record), 9).map(|m| m.range).map(|r| record[r].to_vec())
    }

    #[test]
    fn handmade_mte_record_with_maximal_padding_decrypts() {
        // 28 content + 20 MAC + 256 (255 padding bytes and the length byte) = 304 = 19 blocks.
        let km = KeyMaterial::new(&AES_128_CBC_SHA);
        let plain = message(28);
        let mut record = handmade_record(&km, 9, &plain, &[255u8; 256]);
        assert_eq!(decrypt_aes128_sha_tls12(&km, &mut record).unwrap(), plain);
    }

    #[test]
    fn handmade_mte_record_with_bad_padding_but_good_mac_gives_bad_record_mac() {
        let km = KeyMaterial::new(&AES_128_CBC_SHA);
        let plain = message(28);
        // 28 content + 20 MAC + 16 bytes of 15 = 64: valid; then one padding byte is changed.
        let good = [15u8; 16];
        assert!(decrypt_aes128_sha_tls12(&km, &mut handmade_record(&km, 9, &plain, &good)).is_ok());
        for wrong in [0usize, 7, 14] {
            let mut padding = good;
            padding[wrong] = 14;
            let mut record = handmade_record(&km, 9, &plain, &padding);
            assert_eq!(
                decrypt_aes128_sha_tls12(&km, &mut record),
                Err(DecryptError::BadRecordMac),
                "padding byte {wrong}"
            );
        }
    }

    #[test]
    fn handmade_mte_record_whose_padding_length_eats_the_mac_gives_bad_record_mac() {
        // No content, a 20-byte MAC and padding_length 255 in a 48-byte body: the claimed
        // padding is longer than the record.
        let km = KeyMaterial::new(&AES_128_CBC_SHA);
        let mut record = handmade_record(&km, 9, &[], &[255u8; 28]);
        assert_eq!(decrypt_aes128_sha_tls12(&km, &mut record), Err(DecryptError::BadRecordMac));
    }

    #[test]
    fn our_tls12_mte_record_decrypts_by_hand_to_content_mac_and_padding() {
        let km = KeyMaterial::new(&AES_128_CBC_SHA);
        let params = RecordParams { version: 0x0303.into(), encrypt_then_mac: false, random: &SYSTEM_RANDOM };
        let mut enc = AES_128_CBC_SHA.encrypter(&km.keys(), params);
        let plain = b"cross-checked against raw RustCrypto primitives";
        let mut record = Vec::new();
        enc.encrypt(plain_msg(23, 0x0303, plain), 3, &mut record).unwrap();

        let (iv, body) = record.split_at_mut(16);
        let mut cbc = cbc::Decryptor::<aes::Aes128>::new_from_slices(&km.enc, iv).unwrap();
        let (blocks, rest) = Array::slice_as_chunks_mut(body);
        assert!(rest.is_empty());
        cbc.decrypt_blocks(blocks);

        let mut mac = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&km.mac).unwrap();
        mac.update(&3u64.to_be_bytes());
        mac.update(&[23, 3, 3, 0, plain.len() as u8]);
        mac.update(plain);
        let tag = mac.finalize().into_bytes();
        let pad = *body.last().unwrap() as usize;
        assert_eq!(&body[..plain.len()], plain);
        assert_eq!(&body[plain.len()..plain.len() + 20], &tag[..]);
        assert_eq!(plain.len() + 20 + pad + 1, body.len());
        assert!(body[plain.len() + 20..].iter().all(|&b| b as usize == pad));
    }

    #[test]
    fn padding_check_accepts_exactly_the_rfc_5246_form() {
        assert_eq!(check_padding(&[9, 9, 0], 0).1, 0);
        assert!(bool::from(check_padding(&[9, 9, 0], 0).0));
        assert!(bool::from(check_padding(&[9, 2, 2, 2], 0).0));
        assert!(!bool::from(check_padding(&[9, 1, 2, 2], 0).0));
        // Room for the MAC is part of validity.
        assert!(bool::from(check_padding(&[9, 9, 1, 1], 2).0));
        assert!(!bool::from(check_padding(&[9, 9, 1, 1], 3).0));
        // Padding longer than the body.
        assert!(!bool::from(check_padding(&[3, 3, 3], 0).0));
        let mut long = vec![255u8; 300];
        assert!(bool::from(check_padding(&long, 20).0));
        long[300 - 256] = 254;
        assert!(!bool::from(check_padding(&long, 20).0));
    }

    /// The arithmetic-mask padding check against the RFC 5246 §6.2.3.2 rule written plainly:
    /// every padding length, with every byte of the last 256 changed in turn.
    #[test]
    fn padding_check_agrees_with_a_plain_reading_of_the_rule_for_every_length_and_byte() {
        let plain = |body: &[u8], mac_len: usize| {
            let pad = *body.last().unwrap() as usize;
            pad + 1 + mac_len <= body.len() && body[body.len() - pad - 1..].iter().all(|&b| b as usize == pad)
        };
        for (len, mac_len) in [(1usize, 0usize), (16, 0), (48, 20), (256, 0), (272, 20), (300, 32)] {
            for pad in 0..=255u8 {
                let mut body: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
                let n = (pad as usize + 1).min(len);
                body[len - n..].fill(pad);
                let (ok, got) = check_padding(&body, mac_len);
                assert_eq!(bool::from(ok), plain(&body, mac_len), "{len} {mac_len} {pad}");
                if bool::from(ok) {
                    assert_eq!(got, u64::from(pad));
                }
                for i in len.saturating_sub(MAX_PADDING)..len - 1 {
                    let mut bad = body.clone();
                    bad[i] ^= 0x41;
                    assert_eq!(
                        bool::from(check_padding(&bad, mac_len).0),
                        plain(&bad, mac_len),
                        "{len} {pad} {i}"
                    );
                }
            }
        }
    }

    #[test]
    fn mac_extraction_finds_the_mac_at_every_possible_offset() {
        for mac_len in [16usize, 20, 32] {
            for len in [mac_len + 1, 64, 300, 600] {
                let body: Vec<u8> = (0..len).map(|i| (i * 13 + 1) as u8).collect();
                let lowest = len.saturating_sub(MAX_PADDING + mac_len);
                for start in lowest..=len - 1 - mac_len {
                    let mac = extract_mac(&body, start as u64, mac_len);
                    assert_eq!(&mac[..mac_len], &body[start..start + mac_len], "{mac_len} {len} {start}");
                }
            }
        }
    }

    #[test]
    fn dummy_compressions_make_up_the_difference_to_the_longest_mac_input() {
        // SHA-1: 64-byte blocks, 8-byte length: 55 bytes fit one block, 56 need two.
        assert_eq!(compressions::<sha1::Sha1>(55), 1);
        assert_eq!(compressions::<sha1::Sha1>(56), 2);
        assert_eq!(compressions::<sha2::Sha512>(111), 1);
        assert_eq!(compressions::<sha2::Sha512>(112), 2);
        for n in 0..400 {
            assert!(compressions::<sha1::Sha1>(n) <= compressions::<sha1::Sha1>(n + 1));
        }
    }
}
