//! The raw RSA private operation through `aws-lc-sys`: the only `unsafe` code in the core.
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
#![allow(unsafe_code)]

use aws_lc_sys as ffi;
use core::ffi::c_int;
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
