//! `RAND_*` over the operating system's generator, and the `BIGNUM`/`DH` containers programs
//! build DH parameters with (socat hands 2048-bit parameters to `SSL_CTX_set_tmp_dh`).
//!
//! ferrotls draws every random octet from the OS (`getrandom`), so there is no pool to seed:
//! `RAND_seed`/`RAND_add`/`RAND_load_file` accept their input as OpenSSL 3 does and
//! `RAND_status` is 1, and the seed does not change what `RAND_bytes` returns.

use std::ffi::CString;
use std::io::{Read, Write};

use libc::{c_char, c_int, c_long, c_uchar, c_ulong, c_void, size_t};

use crate::crypto::rustcrypto::libcrypto::os_random;
use crate::openssl::err::{other_r, raise, LIB_CRYPTO};

/// `ERR_LIB_RAND`.
const LIB_RAND: u32 = 36;
/// `RAND_R_ERROR_RETRIEVING_ENTROPY`.
const RAND_R_ERROR_RETRIEVING_ENTROPY: u32 = 106;
/// `RAND_LOAD_BUF_SIZE` of OpenSSL 3's randfile.c: what `RAND_load_file(f, -1)` reads at most.
const RAND_LOAD_BUF_SIZE: usize = 1024;
/// `RAND_FILE_SIZE`: what `RAND_write_file` writes.
const RAND_FILE_SIZE: usize = 1024;

fn fill(buf: *mut c_uchar, num: c_int, func: &'static str) -> c_int {
    let Ok(n) = usize::try_from(num) else { return 0 };
    if n == 0 {
        return 1;
    }
    if buf.is_null() {
        return 0;
    }
    // SAFETY: `buf` has room for `num` octets (API contract).
    let out = unsafe { std::slice::from_raw_parts_mut(buf, n) };
    match os_random(out) {
        Ok(()) => 1,
        Err(e) => {
            raise!(LIB_RAND, RAND_R_ERROR_RETRIEVING_ENTROPY, func, e);
            0
        }
    }
}

entry! {
    /// `num` octets from the OS generator; 1, or 0 with an error when it fails.
    fn RAND_bytes(buf: *mut c_uchar, num: c_int) -> c_int { fill(buf, num, "RAND_bytes") }
    /// Same as `RAND_bytes` (one generator).
    fn RAND_priv_bytes(buf: *mut c_uchar, num: c_int) -> c_int { fill(buf, num, "RAND_priv_bytes") }
    /// Deprecated; same as `RAND_bytes`.
    fn RAND_pseudo_bytes(buf: *mut c_uchar, num: c_int) -> c_int { fill(buf, num, "RAND_pseudo_bytes") }
    /// 1: the OS generator is always seeded.
    fn RAND_status() -> c_int { 1 }
    /// 1 (nothing to poll).
    fn RAND_poll() -> c_int { 1 }
    /// Accepted; the OS generator needs no seed.
    fn RAND_seed(_buf: *const c_void, _num: c_int) {}
    /// Accepted; the OS generator needs no seed.
    fn RAND_add(_buf: *const c_void, _num: c_int, _entropy: f64) {}
    /// Reads up to `max_bytes` octets of `file` (at most 1024 when -1) as a seed; the number
    /// read, or -1 when the file cannot be read (as OpenSSL 3.0).
    fn RAND_load_file(file: *const c_char, max_bytes: c_long) -> c_int {
        let path = arg_cstr!(file, -1).to_string_lossy().into_owned();
        if max_bytes == 0 {
            return 0;
        }
        let limit = if max_bytes < 0 { RAND_LOAD_BUF_SIZE } else { max_bytes as usize };
        let mut buf = Vec::new();
        match std::fs::File::open(&path).and_then(|f| f.take(limit as u64).read_to_end(&mut buf)) {
            Ok(n) => n as c_int,
            Err(e) => {
                raise!(LIB_CRYPTO, other_r::SYS_LIB, "RAND_load_file", format!("Filename={path}: {e}"));
                -1
            }
        }
    }
    /// Writes 1024 random octets to `file` (mode 0600 when created); the number written, or -1.
    fn RAND_write_file(file: *const c_char) -> c_int {
        let path = arg_cstr!(file, -1).to_string_lossy().into_owned();
        let mut buf = [0u8; RAND_FILE_SIZE];
        if os_random(&mut buf).is_err() {
            return -1;
        }
        use std::os::unix::fs::OpenOptionsExt;
        let r = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&path)
            .and_then(|mut f| f.write_all(&buf));
        match r {
            Ok(()) => RAND_FILE_SIZE as c_int,
            Err(e) => {
                raise!(LIB_CRYPTO, other_r::SYS_LIB, "RAND_write_file", format!("Filename={path}: {e}"));
                -1
            }
        }
    }
    /// `$RANDFILE`, else `$HOME/.rnd`, into `buf` of `num` octets; NULL when neither is set or
    /// the name does not fit (as OpenSSL 3.0).
    fn RAND_file_name(buf: *mut c_char, num: size_t) -> *const c_char {
        if buf.is_null() {
            return std::ptr::null();
        }
        let name = match (std::env::var_os("RANDFILE"), std::env::var_os("HOME")) {
            (Some(f), _) if !f.is_empty() => f.to_string_lossy().into_owned(),
            (_, Some(h)) if !h.is_empty() => format!("{}/.rnd", h.to_string_lossy()),
            _ => return std::ptr::null(),
        };
        let Ok(c) = CString::new(name) else { return std::ptr::null() };
        let bytes = c.as_bytes_with_nul();
        if bytes.len() > num {
            return std::ptr::null();
        }
        // SAFETY: `buf` has room for `num` >= bytes.len() octets (API contract).
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf.cast::<u8>(), bytes.len()) };
        buf
    }
}

/// `BIGNUM`: a non-negative integer as big-endian octets without leading zeros. ferrotls has
/// no arithmetic on it; programs use it to carry DH parameters.
#[derive(Clone, Debug, Default)]
pub struct BIGNUM {
    /// Big-endian magnitude, no leading zero octets (empty is zero).
    pub be: Vec<u8>,
    /// Negative sign.
    pub neg: bool,
}

impl BIGNUM {
    fn from_be(b: &[u8]) -> Self {
        let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
        Self { be: b[first..].to_vec(), neg: false }
    }
    /// Significant bits.
    pub fn bits(&self) -> usize {
        match self.be.first() {
            Some(&top) => self.be.len() * 8 - top.leading_zeros() as usize,
            None => 0,
        }
    }
}

/// `DH`: finite-field Diffie-Hellman parameters (`p`, optional `q`, `g`).
#[derive(Debug, Default)]
pub struct DH {
    /// The prime.
    pub p: Option<Box<BIGNUM>>,
    /// The subgroup order.
    pub q: Option<Box<BIGNUM>>,
    /// The generator.
    pub g: Option<Box<BIGNUM>>,
}

impl DH {
    /// Parameters from big-endian `p` and `g`.
    pub fn from_pg(p: &[u8], g: &[u8]) -> Self {
        Self { p: Some(Box::new(BIGNUM::from_be(p))), q: None, g: Some(Box::new(BIGNUM::from_be(g))) }
    }
}

fn take_bn(p: *mut BIGNUM) -> Option<Box<BIGNUM>> {
    // SAFETY: a non-NULL BIGNUM argument that the callee takes over came from BN_new/BN_bin2bn.
    (!p.is_null()).then(|| unsafe { Box::from_raw(p) })
}

entry! {
    /// A zero `BIGNUM`.
    fn BN_new() -> *mut BIGNUM { Box::into_raw(Box::default()) }
    /// Frees a `BIGNUM`.
    fn BN_free(a: *mut BIGNUM) { drop(take_bn(a)) }
    /// Frees a `BIGNUM` (its octets are zeroed by the allocator's reuse only; ferrotls keeps no
    /// secrets in BIGNUMs).
    fn BN_clear_free(a: *mut BIGNUM) { drop(take_bn(a)) }
    /// The big-endian octets `s[..len]` as a number, into `ret` or a new `BIGNUM`.
    fn BN_bin2bn(s: *const c_uchar, len: c_int, ret: *mut BIGNUM) -> *mut BIGNUM {
        let Ok(n) = usize::try_from(len) else { return std::ptr::null_mut() };
        let bytes: &[u8] = if n == 0 || s.is_null() {
            &[]
        } else {
            // SAFETY: `s` has `len` readable octets (API contract).
            unsafe { std::slice::from_raw_parts(s, n) }
        };
        let v = BIGNUM::from_be(bytes);
        if ret.is_null() {
            return Box::into_raw(Box::new(v));
        }
        // SAFETY: `ret` is a live BIGNUM (API contract).
        unsafe { *ret = v };
        ret
    }
    /// Writes the magnitude big-endian to `to` (room for `BN_num_bytes(a)`); its length.
    fn BN_bn2bin(a: *const BIGNUM, to: *mut c_uchar) -> c_int {
        let a = arg_ref!(a, -1);
        if !to.is_null() {
            // SAFETY: `to` has room for BN_num_bytes(a) octets (API contract).
            unsafe { std::ptr::copy_nonoverlapping(a.be.as_ptr(), to, a.be.len()) };
        }
        a.be.len() as c_int
    }
    /// Significant bits (`BN_num_bytes` is a macro over it).
    fn BN_num_bits(a: *const BIGNUM) -> c_int { arg_ref!(a, 0).bits() as c_int }
    /// Sets a word value.
    fn BN_set_word(a: *mut BIGNUM, w: c_ulong) -> c_int {
        *arg_mut!(a, 0) = BIGNUM::from_be(&(w as u64).to_be_bytes());
        1
    }
    /// The value when it fits a word, else all ones (as OpenSSL).
    fn BN_get_word(a: *const BIGNUM) -> c_ulong {
        let a = arg_ref!(a, c_ulong::MAX);
        if a.be.len() > std::mem::size_of::<c_ulong>() {
            return c_ulong::MAX;
        }
        a.be.iter().fold(0, |acc, &b| (acc << 8) | c_ulong::from(b))
    }

    /// Empty DH parameters.
    fn DH_new() -> *mut DH { Box::into_raw(Box::default()) }
    /// Frees the parameters and their numbers.
    fn DH_free(dh: *mut DH) {
        if !dh.is_null() {
            // SAFETY: `dh` came from DH_new and is not used afterwards (API contract).
            drop(unsafe { Box::from_raw(dh) });
        }
    }
    /// Takes over `p`, `q` and `g` (each may be NULL to keep the current one; `p` and `g` must
    /// end up set); 1, or 0 leaving everything with the caller.
    fn DH_set0_pqg(dh: *mut DH, p: *mut BIGNUM, q: *mut BIGNUM, g: *mut BIGNUM) -> c_int {
        let d = arg_mut!(dh, 0);
        if (d.p.is_none() && p.is_null()) || (d.g.is_none() && g.is_null()) {
            return 0;
        }
        if let Some(p) = take_bn(p) { d.p = Some(p) }
        if let Some(q) = take_bn(q) { d.q = Some(q) }
        if let Some(g) = take_bn(g) { d.g = Some(g) }
        1
    }
    /// The parameters, owned by `dh` (each out-parameter may be NULL).
    fn DH_get0_pqg(dh: *const DH, p: *mut *const BIGNUM, q: *mut *const BIGNUM, g: *mut *const BIGNUM) {
        let d = arg_ref!(dh, ());
        for (out, v) in [(p, &d.p), (q, &d.q), (g, &d.g)] {
            if !out.is_null() {
                // SAFETY: a non-NULL out-parameter points to a `const BIGNUM *` (API contract).
                unsafe { *out = v.as_deref().map_or(std::ptr::null(), |b| b as *const BIGNUM) };
            }
        }
    }
    /// The prime's size in bits.
    fn DH_bits(dh: *const DH) -> c_int { arg_ref!(dh, -1).p.as_ref().map_or(-1, |p| p.bits() as c_int) }
}

/// `SSL_CTX_set_tmp_dh`'s check: parameters with a prime and a generator, and a prime as large as
/// the security level asks (OpenSSL 3.0's table: 1024 bits at level 1, 2048 at 2, 3072 at 3,
/// 7680 at 4, 15360 at 5; `SSL_R_DH_KEY_TOO_SMALL` below).
pub fn dh_acceptable(dh: *const c_void, security_level: c_int) -> bool {
    let min_bits = match security_level {
        i32::MIN..=0 => 0,
        1 => 1024,
        2 => 2048,
        3 => 3072,
        4 => 7680,
        _ => 15360,
    };
    // SAFETY: SSL_CTX_set_tmp_dh's argument is NULL or a live DH (API contract).
    let Some(d) = (unsafe { dh.cast::<DH>().as_ref() }) else {
        raise!(crate::openssl::err::LIB_SSL, other_r::PASSED_NULL_PARAMETER, "SSL_CTX_set_tmp_dh");
        return false;
    };
    match (&d.p, &d.g) {
        (Some(p), Some(_)) if p.bits() >= min_bits => true,
        (Some(_), Some(_)) => {
            raise!(
                crate::openssl::err::LIB_SSL,
                crate::openssl::err::ssl_r::DH_KEY_TOO_SMALL,
                "SSL_CTX_set_tmp_dh"
            );
            false
        }
        _ => {
            raise!(crate::openssl::err::LIB_SSL, other_r::PASSED_INVALID_ARGUMENT, "SSL_CTX_set_tmp_dh");
            false
        }
    }
}
