//! Raw `aws-lc-sys` calls, the only `unsafe` code in the core: the raw RSA private operation
//! and the stitched AES-CBC + HMAC record cipher. Each piece is a small owned wrapper whose
//! safe methods check every length before the call.
//!
//! # RSA
//!
//! Why FFI: RSA key exchange (RFC 5246 §7.4.7.1) must not learn whether a ciphertext's PKCS#1
//! v1.5 padding was valid (Bleichenbacher 1998, ROBOT 2017, Marvin 2023). aws-lc-rs offers only
//! PKCS#1 decryption that fails on bad padding, which is exactly that oracle. So this file does
//! `c^d mod n` with no padding (`RSA_NO_PADDING`; aws-lc blinds it and checks the result against
//! the public key, against faults), and the shared `crypto::decrypt_premaster` checks padding,
//! length and version in constant time and picks the random fallback, as it does for RustCrypto.
//!
//! The same `RSA` object also makes the TLS 1.0/1.1 signature over MD5 ‖ SHA-1 without a
//! DigestInfo (RFC 2246 §7.4.3), which aws-lc-rs cannot express (`RSA_sign_raw` with PKCS#1
//! type 1 padding).
//!
//! Thread safety: aws-lc documents an `RSA` as safe to use from several threads at once for
//! operations that do not change the key; the private operations' lazily built values
//! (Montgomery contexts, blinding) are guarded by the object's own lock.
//!
//! # Stitched AES-CBC + HMAC (sending MAC-then-encrypt records)
//!
//! Why FFI: CBC encryption is a serial chain of AES rounds; aws-lc's `EVP_aes_*_cbc_hmac_sha*`
//! (OpenSSL's `aesni_cbc_sha1_enc` / `aesni_cbc_sha256_enc` assembly) interleaves them with the
//! HMAC's SHA rounds, which aws-lc-rs does not expose. Only encryption is used (see
//! `cbc_hmac.rs` for why receiving stays on our own constant-time code).
#![allow(unsafe_code)]

use aws_lc_sys as ffi;
use core::ffi::{c_int, c_void};
use core::ptr::NonNull;
use zeroize::Zeroizing;

/// An aws-lc `RSA` private key, owned.
pub(super) struct RawRsa {
    rsa: core::ptr::NonNull<ffi::RSA>,
    size: usize,
}

// SAFETY: the `RSA` is owned by this value alone (freed in Drop), and aws-lc makes concurrent
// private-key operations on one `RSA` safe (its lazily computed state is behind the key's lock).
unsafe impl Send for RawRsa {}
// SAFETY: as above: `&RawRsa` only reaches `RSA_private_decrypt` and `RSA_sign_raw`, which aws-lc
// allows on one key from several threads.
unsafe impl Sync for RawRsa {}

impl RawRsa {
    /// Parses a PKCS#8 `PrivateKeyInfo` holding an RSA key, or a PKCS#1 `RSAPrivateKey`.
    pub(super) fn from_der(der: &[u8]) -> Option<Self> {
        let rsa = Self::from_pkcs8(der).or_else(|| {
            // SAFETY: `der` is a valid slice for the duration of the call; aws-lc copies what it
            // keeps, and returns either NULL or a new `RSA` that we now own.
            core::ptr::NonNull::new(unsafe { ffi::RSA_private_key_from_bytes(der.as_ptr(), der.len()) })
        })?;
        // SAFETY: `rsa` is a valid `RSA` we own.
        let size = unsafe { ffi::RSA_size(rsa.as_ptr()) } as usize;
        Some(Self { rsa, size })
    }

    fn from_pkcs8(der: &[u8]) -> Option<core::ptr::NonNull<ffi::RSA>> {
        let mut cbs = core::mem::MaybeUninit::<ffi::CBS>::uninit();
        // SAFETY: CBS_init only writes the pointer and length into `cbs`; `der` outlives `cbs`,
        // which does not escape this function.
        let pkey = unsafe {
            ffi::CBS_init(cbs.as_mut_ptr(), der.as_ptr(), der.len());
            ffi::EVP_parse_private_key(cbs.as_mut_ptr())
        };
        let pkey = core::ptr::NonNull::new(pkey)?;
        // SAFETY: `pkey` is a valid EVP_PKEY we own; get1 returns a new reference to its RSA (or
        // NULL for another key type), which we own; the EVP_PKEY is freed once, here.
        let rsa = unsafe {
            let rsa = ffi::EVP_PKEY_get1_RSA(pkey.as_ptr());
            ffi::EVP_PKEY_free(pkey.as_ptr());
            rsa
        };
        core::ptr::NonNull::new(rsa)
    }

    /// Modulus length in bytes.
    pub(super) fn size(&self) -> usize {
        self.size
    }

    /// `c^d mod n`, blinded, as `size()` bytes; `None` when `ciphertext` is not `size()` bytes
    /// or not below n (public facts), or on a fault.
    pub(super) fn decrypt_no_padding(&self, ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if ciphertext.len() != self.size {
            return None;
        }
        let mut out = Zeroizing::new(vec![0u8; self.size]);
        // SAFETY: `ciphertext` is `size` readable bytes and `out` `size` writable bytes, as
        // RSA_private_decrypt requires with RSA_NO_PADDING (it writes at most RSA_size bytes);
        // `self.rsa` is a valid key (the `*mut` is aws-lc's signature; see the Sync note).
        let n = unsafe {
            ffi::RSA_private_decrypt(
                ciphertext.len(),
                ciphertext.as_ptr(),
                out.as_mut_ptr(),
                self.rsa.as_ptr(),
                ffi::RSA_NO_PADDING as c_int,
            )
        };
        (usize::try_from(n).ok() == Some(self.size)).then_some(out)
    }

    /// PKCS#1 v1.5 type 1 signature over `digest` as given (no DigestInfo).
    pub(super) fn sign_pkcs1_raw(&self, digest: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; self.size];
        let mut out_len = 0usize;
        // SAFETY: `out` has `size` writable bytes (max_out), `digest` is readable for its
        // length, `out_len` is a valid place for the result length; `self.rsa` is a valid key.
        let ok = unsafe {
            ffi::RSA_sign_raw(
                self.rsa.as_ptr(),
                &mut out_len,
                out.as_mut_ptr(),
                out.len(),
                digest.as_ptr(),
                digest.len(),
                ffi::RSA_PKCS1_PADDING as c_int,
            )
        };
        (ok == 1 && out_len == self.size).then_some(out)
    }
}

impl Drop for RawRsa {
    fn drop(&mut self) {
        // SAFETY: we own the `RSA` (one reference, from parsing) and free it exactly once.
        unsafe { ffi::RSA_free(self.rsa.as_ptr()) }
    }
}

/// The stitched ciphers aws-lc has: AES-128/256-CBC with HMAC-SHA1 or HMAC-SHA256.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stitched {
    /// `EVP_aes_128_cbc_hmac_sha1`.
    Aes128Sha1,
    /// `EVP_aes_256_cbc_hmac_sha1`.
    Aes256Sha1,
    /// `EVP_aes_128_cbc_hmac_sha256`.
    Aes128Sha256,
    /// `EVP_aes_256_cbc_hmac_sha256`.
    Aes256Sha256,
}

/// AES block size: the CBC IV and the padding unit.
pub(super) const AES_BLOCK: usize = 16;

/// `seq_num ‖ type ‖ version ‖ length` (RFC 5246 §6.2.3.1), `EVP_AEAD_TLS1_AAD_LEN`.
pub(super) const TLS1_AAD_LEN: usize = 13;

impl Stitched {
    /// AES key length in bytes.
    pub(super) const fn key_len(self) -> usize {
        match self {
            Self::Aes128Sha1 | Self::Aes128Sha256 => 16,
            Self::Aes256Sha1 | Self::Aes256Sha256 => 32,
        }
    }

    /// HMAC output (and, in TLS, key) length in bytes.
    pub(super) const fn mac_len(self) -> usize {
        match self {
            Self::Aes128Sha1 | Self::Aes256Sha1 => 20,
            Self::Aes128Sha256 | Self::Aes256Sha256 => 32,
        }
    }

    /// The `EVP_CIPHER`, or NULL where aws-lc has no stitched code (not x86-64, no AES-NI, the
    /// FIPS build).
    fn evp(self) -> *const ffi::EVP_CIPHER {
        // SAFETY: the constructors take no arguments and return a pointer to a static
        // `EVP_CIPHER` or NULL; they read only the CPU capability flags aws-lc set up.
        unsafe {
            match self {
                Self::Aes128Sha1 => ffi::EVP_aes_128_cbc_hmac_sha1(),
                Self::Aes256Sha1 => ffi::EVP_aes_256_cbc_hmac_sha1(),
                Self::Aes128Sha256 => ffi::EVP_aes_128_cbc_hmac_sha256(),
                Self::Aes256Sha256 => ffi::EVP_aes_256_cbc_hmac_sha256(),
            }
        }
    }
}

/// The stitched cipher refused a record (only if our lengths disagreed with its own; the
/// caller computes them from the same formula, so this does not happen).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct StitchFailed;

/// An `EVP_CIPHER_CTX` set up for encryption with one of the [`Stitched`] ciphers: its AES key
/// schedule, HMAC key and the CBC chaining value, owned and freed (and cleansed by aws-lc) on
/// drop.
pub(super) struct StitchedEncryptor {
    ctx: NonNull<ffi::EVP_CIPHER_CTX>,
    mac_len: usize,
}

// SAFETY: the context is owned by this value alone (freed in Drop) and holds no reference to
// thread-local state (aws-lc's error queue is per call and per thread, not per context), so
// it may move to another thread.
unsafe impl Send for StitchedEncryptor {}
// SAFETY: every method that reaches the context takes `&mut self`; a `&StitchedEncryptor`
// can do nothing with it, so sharing one between threads is sound.
unsafe impl Sync for StitchedEncryptor {}

impl StitchedEncryptor {
    /// Keys a context: `enc_key` and `mac_key` of the cipher's lengths, `iv` the CBC chaining
    /// value to start from (one block). `None` when aws-lc has no stitched code here, on wrong
    /// lengths, or when aws-lc fails to allocate.
    pub(super) fn new(cipher: Stitched, enc_key: &[u8], mac_key: &[u8], iv: &[u8]) -> Option<Self> {
        if enc_key.len() != cipher.key_len() || mac_key.len() != cipher.mac_len() || iv.len() != AES_BLOCK {
            return None;
        }
        let evp = cipher.evp();
        if evp.is_null() {
            return None;
        }
        // SAFETY: EVP_CIPHER_CTX_new takes nothing and returns NULL or a new context we own.
        let ctx = NonNull::new(unsafe { ffi::EVP_CIPHER_CTX_new() })?;
        // From here Drop frees the context on every path.
        let this = Self { ctx, mac_len: cipher.mac_len() };
        // SAFETY: `ctx` is a valid context; `evp` a valid static cipher; the key is
        // `key_len` readable bytes and the IV one block, as the cipher's lengths say (checked
        // above); aws-lc copies both (key schedule and `ctx->iv`) and keeps no pointer.
        let ok = unsafe {
            ffi::EVP_EncryptInit_ex(ctx.as_ptr(), evp, core::ptr::null_mut(), enc_key.as_ptr(), iv.as_ptr())
        };
        if ok != 1 {
            clear_errors();
            return None;
        }
        // SAFETY: `mac_key` is `mac_key.len()` (20 or 32) readable bytes; the control only
        // reads them (hashes them into the inner and outer HMAC states; the `*mut` is the
        // generic ctrl signature) and keeps no pointer.
        let ok = unsafe {
            ffi::EVP_CIPHER_CTX_ctrl(
                ctx.as_ptr(),
                ffi::EVP_CTRL_AEAD_SET_MAC_KEY as c_int,
                mac_key.len() as c_int,
                mac_key.as_ptr() as *mut c_void,
            )
        };
        if ok != 1 {
            clear_errors();
            return None;
        }
        Some(this)
    }

    /// The protected length of a MAC-then-encrypt record of `payload_len` bytes (the explicit
    /// IV, if any, and the plaintext): payload ‖ MAC ‖ minimal padding, rounded to blocks.
    pub(super) fn sealed_len(&self, payload_len: usize) -> usize {
        (payload_len + self.mac_len + AES_BLOCK) & !(AES_BLOCK - 1)
    }

    /// Seals one record in place. `record` holds `[explicit IV (TLS 1.1+)] ‖ plaintext` in its
    /// first `payload_len` bytes and is exactly [`Self::sealed_len`]`(payload_len)` long;
    /// `aad` is `seq_num ‖ type ‖ version ‖ payload_len` (with the explicit IV counted, as
    /// aws-lc expects; it takes the IV off for the MAC itself when `version` ≥ TLS 1.1).
    ///
    /// Afterwards `record` is `CBC(IV-block ‖ plaintext ‖ MAC ‖ padding)`, chained from the
    /// context's IV, which moves to the record's last ciphertext block.
    pub(super) fn seal_in_place(
        &mut self,
        aad: &[u8; TLS1_AAD_LEN],
        payload_len: usize,
        record: &mut [u8],
    ) -> Result<(), StitchFailed> {
        let sealed = self.sealed_len(payload_len);
        if record.len() != sealed || usize::from(u16::from_be_bytes([aad[11], aad[12]])) != payload_len {
            return Err(StitchFailed);
        }
        // The control rewrites the length field (TLS 1.1+), so it gets a copy.
        let mut aad = *aad;
        // SAFETY: `aad` is TLS1_AAD_LEN writable bytes, the length the control requires; it
        // reads them, may rewrite bytes 11 and 12, and keeps no pointer. The context is valid
        // and only reached through `&mut self`.
        let room = unsafe {
            ffi::EVP_CIPHER_CTX_ctrl(
                self.ctx.as_ptr(),
                ffi::EVP_CTRL_AEAD_TLS1_AAD as c_int,
                TLS1_AAD_LEN as c_int,
                aad.as_mut_ptr().cast::<c_void>(),
            )
        };
        // The control returns the MAC-and-padding length it will append to the payload; it
        // must agree with ours (the cipher also checks `record.len()` against it).
        match usize::try_from(room) {
            Ok(room) if room > 0 && payload_len + room == sealed => {}
            _ => return self.failed(),
        }
        let p = record.as_mut_ptr();
        // SAFETY: `p` points to `record.len()` readable and writable bytes, the length the
        // cipher checks against the control's payload length (above); the stitched cipher
        // works in place (each block and each hashed byte is read before it is written over,
        // as OpenSSL's libssl uses it) and keeps no pointer.
        let ok = unsafe { ffi::EVP_Cipher(self.ctx.as_ptr(), p, p.cast_const(), record.len()) };
        if ok != 1 {
            return self.failed();
        }
        Ok(())
    }

    fn failed(&self) -> Result<(), StitchFailed> {
        clear_errors();
        Err(StitchFailed)
    }
}

/// Clears what a failed aws-lc call put on this thread's error queue, so it does not surface
/// later.
fn clear_errors() {
    // SAFETY: ERR_clear_error takes nothing and touches only this thread's error queue.
    unsafe { ffi::ERR_clear_error() };
}

impl Drop for StitchedEncryptor {
    fn drop(&mut self) {
        // SAFETY: we own the context (from EVP_CIPHER_CTX_new) and free it exactly once;
        // aws-lc cleanses the key schedule and HMAC states as it frees them.
        unsafe { ffi::EVP_CIPHER_CTX_free(self.ctx.as_ptr()) }
    }
}
