//! HMAC (RFC 2104) in both of OpenSSL's shapes: OpenSSL 3.0's `EVP_MAC` / `EVP_MAC_CTX`
//! configured through `OSSL_PARAM` arrays (`EVP_MAC_fetch(NULL, "HMAC", NULL)`,
//! `EVP_MAC_CTX_set_params` with "key" and "digest"), and the older `HMAC_CTX` /
//! `HMAC_Init_ex`. Session-ticket key callbacks set one of these up (nginx and haproxy build
//! the parameters with `OSSL_PARAM_construct_octet_string` / `_utf8_string`); the ticket code
//! (`src/openssl/ticket_key_cb.rs`) then runs it through [`Hmac`]. The construction is RFC 2104
//! §2 over the `EVP_MD` digests (RustCrypto's hashers).

use libc::{c_char, c_int, c_uchar, c_uint, c_void, size_t};
use zeroize::Zeroizing;

use super::digest::{md_ref, ALL, EVP_MD};
use crate::crypto::rustcrypto::libcrypto::Digest;
use crate::openssl::err::{other_r, raise, LIB_EVP};

/// An HMAC in progress: the inner hash absorbing the message, the outer one keyed and waiting.
#[derive(Clone)]
pub struct Hmac {
    md: &'static EVP_MD,
    inner: Digest,
    outer: Digest,
}

impl Hmac {
    /// RFC 2104 §2: the key (hashed first when longer than a block) padded to the block size,
    /// XORed with ipad (0x36) into the inner hash and with opad (0x5c) into the outer one.
    pub fn new(md: &'static EVP_MD, key: &[u8]) -> Option<Self> {
        let block = usize::try_from(md.block).ok()?;
        let mut k = Zeroizing::new(vec![0u8; block]);
        if key.len() > block {
            let mut h = Digest::for_nid(md.nid)?;
            h.update(key);
            let d = h.finish();
            k[..d.len()].copy_from_slice(&d);
        } else {
            k[..key.len()].copy_from_slice(key);
        }
        let pad = |x: u8| Zeroizing::new(k.iter().map(|b| b ^ x).collect::<Vec<u8>>());
        let mut inner = Digest::for_nid(md.nid)?;
        inner.update(&pad(0x36));
        let mut outer = Digest::for_nid(md.nid)?;
        outer.update(&pad(0x5c));
        Some(Self { md, inner, outer })
    }

    /// The output length in octets.
    pub fn size(&self) -> usize {
        usize::try_from(self.md.size).unwrap_or(0)
    }

    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The MAC.
    pub fn finish(self) -> Box<[u8]> {
        let mut outer = self.outer;
        outer.update(&self.inner.finish());
        outer.finish()
    }
}

/// A digest by OpenSSL name: short ("SHA256") or long ("sha256") object names, and the
/// provider names OpenSSL 3 also accepts ("SHA2-256").
fn md_by_name(name: &str) -> Option<&'static EVP_MD> {
    let name = match name.to_ascii_uppercase().as_str() {
        "SHA2-224" | "SHA-224" => "SHA224".to_string(),
        "SHA2-256" | "SHA-256" => "SHA256".to_string(),
        "SHA2-384" | "SHA-384" => "SHA384".to_string(),
        "SHA2-512" | "SHA-512" => "SHA512".to_string(),
        "SHA-1" => "SHA1".to_string(),
        _ => name.to_string(),
    };
    let nid = match crate::openssl::asn1::nid_of_name(&name, true, true) {
        0 => crate::openssl::asn1::nid_of_name(&name.to_ascii_uppercase(), true, false),
        n => n,
    };
    ALL.iter().copied().find(|m| m.nid == nid)
}

/// OpenSSL's short name of a digest (`EVP_MD_get0_name`).
fn md_name(md: &EVP_MD) -> &'static [u8] {
    match md.nid {
        4 => b"MD5\0",
        64 => b"SHA1\0",
        675 => b"SHA224\0",
        672 => b"SHA256\0",
        673 => b"SHA384\0",
        _ => b"SHA512\0",
    }
}

fn bytes<'a>(p: *const c_void, n: usize) -> &'a [u8] {
    if p.is_null() || n == 0 {
        return &[];
    }
    // SAFETY: `p` has `n` readable octets (API contract).
    unsafe { std::slice::from_raw_parts(p.cast::<u8>(), n) }
}

fn write_mac(mac: &[u8], out: *mut c_uchar, len: *mut c_uint) {
    // SAFETY: `out` has room for the MAC (API contract: EVP_MAX_MD_SIZE or the digest size);
    // `len` is NULL or an unsigned int.
    unsafe {
        std::ptr::copy_nonoverlapping(mac.as_ptr(), out, mac.len());
        if !len.is_null() {
            *len = mac.len() as c_uint;
        }
    }
}

// ---- EVP_MAC (OpenSSL 3.0) --------------------------------------------------------------------

/// `EVP_MAC`: the one MAC algorithm here, HMAC.
#[derive(Debug)]
pub struct EVP_MAC {
    _name: &'static str,
}

static HMAC_ALGORITHM: EVP_MAC = EVP_MAC { _name: "HMAC" };

/// `OSSL_PARAM` (`core.h`): one named, typed value of a parameter array ended by a NULL key.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct OSSL_PARAM {
    /// The parameter's name.
    pub key: *const c_char,
    /// `OSSL_PARAM_*` type.
    pub data_type: c_uint,
    /// The value.
    pub data: *mut c_void,
    /// Its size in octets (a UTF-8 string's without the NUL).
    pub data_size: size_t,
    /// Written by getters; `OSSL_PARAM_UNMODIFIED` until then.
    pub return_size: size_t,
}

impl crate::ffi::panic::FfiDefault for OSSL_PARAM {
    fn on_null() -> Self {
        OSSL_PARAM_construct_end()
    }
    fn on_panic() -> Self {
        OSSL_PARAM_construct_end()
    }
}

const OSSL_PARAM_UTF8_STRING: c_uint = 4;
const OSSL_PARAM_OCTET_STRING: c_uint = 5;
const OSSL_PARAM_UNMODIFIED: size_t = size_t::MAX;

/// `EVP_MAC_CTX`: an HMAC's settings (digest, key) and the computation in progress.
#[derive(Default)]
pub struct EVP_MAC_CTX {
    md: Option<&'static EVP_MD>,
    key: Option<Zeroizing<Vec<u8>>>,
    running: Option<Hmac>,
}

impl EVP_MAC_CTX {
    /// The HMAC ready for data once a digest and a key are set.
    pub fn running(&mut self) -> Option<&mut Hmac> {
        self.running.as_mut()
    }

    /// Takes the computation (for its final value).
    pub fn take(&mut self) -> Option<Hmac> {
        self.running.take()
    }

    fn restart(&mut self) -> bool {
        match (self.md, &self.key) {
            (Some(md), Some(key)) => {
                self.running = Hmac::new(md, key);
                self.running.is_some()
            }
            _ => false,
        }
    }

    /// Applies "digest" (UTF-8 string) then "key" (octet string), as OpenSSL's HMAC does;
    /// other names ("properties", "size", ...) are accepted and ignored. A key (re)starts the
    /// computation.
    fn set_params(&mut self, params: *const OSSL_PARAM) -> Result<(), &'static str> {
        let mut list = Vec::new();
        let mut p = params;
        // SAFETY: `params` is NULL or an array ended by an element with a NULL key (API
        // contract); each key is a NUL-terminated string.
        unsafe {
            while let Some(param) = p.as_ref() {
                if param.key.is_null() {
                    break;
                }
                list.push((std::ffi::CStr::from_ptr(param.key).to_bytes(), *param));
                p = p.add(1);
            }
        }
        if let Some((_, d)) = list.iter().find(|(k, _)| *k == b"digest") {
            if d.data_type != OSSL_PARAM_UTF8_STRING {
                return Err("the digest parameter is not a UTF-8 string");
            }
            let name = String::from_utf8_lossy(bytes(d.data, d.data_size)).into_owned();
            let name = name.trim_end_matches('\0');
            self.md = Some(md_by_name(name).ok_or("unknown digest")?);
            self.running = None;
        }
        if let Some((_, k)) = list.iter().find(|(k, _)| *k == b"key") {
            if k.data_type != OSSL_PARAM_OCTET_STRING {
                return Err("the key parameter is not an octet string");
            }
            self.key = Some(Zeroizing::new(bytes(k.data, k.data_size).to_vec()));
            if !self.restart() {
                return Err("HMAC needs a digest before its key");
            }
        }
        Ok(())
    }
}

// ---- HMAC_CTX (OpenSSL 1.1 API, deprecated in 3.0 but still what older callbacks use) -------

/// `HMAC_CTX`.
#[derive(Default)]
pub struct HMAC_CTX {
    md: Option<&'static EVP_MD>,
    key: Zeroizing<Vec<u8>>,
    running: Option<Hmac>,
}

impl HMAC_CTX {
    /// The HMAC ready for data after `HMAC_Init_ex`.
    pub fn running(&mut self) -> Option<&mut Hmac> {
        self.running.as_mut()
    }

    /// Takes the computation (for its final value).
    pub fn take(&mut self) -> Option<Hmac> {
        self.running.take()
    }
}

entry! {
    /// OpenSSL's short name of a digest ("SHA256"), which the "digest" MAC parameter takes.
    fn EVP_MD_get0_name(md: *const EVP_MD) -> *const c_char {
        md_ref(md).map_or(std::ptr::null(), |m| md_name(m).as_ptr().cast())
    }

    /// The MAC named `algorithm` ("HMAC", any case); NULL (with an error) for others. The
    /// library context and properties are ignored.
    fn EVP_MAC_fetch(_libctx: *mut c_void, algorithm: *const c_char, _properties: *const c_char) -> *mut EVP_MAC {
        let name = arg_cstr!(algorithm, std::ptr::null_mut()).to_string_lossy();
        if name.eq_ignore_ascii_case("HMAC") {
            return std::ptr::addr_of!(HMAC_ALGORITHM).cast_mut();
        }
        raise!(LIB_EVP, other_r::UNSUPPORTED, "EVP_MAC_fetch", format!("MAC {name}"));
        std::ptr::null_mut()
    }
    /// Nothing to free (the algorithm is static).
    fn EVP_MAC_free(_mac: *mut EVP_MAC) {}
    /// 1 (the algorithm is static).
    fn EVP_MAC_up_ref(mac: *mut EVP_MAC) -> c_int { c_int::from(!mac.is_null()) }
    /// A context for `mac`, with no digest or key yet.
    fn EVP_MAC_CTX_new(mac: *mut EVP_MAC) -> *mut EVP_MAC_CTX {
        if mac.is_null() {
            return std::ptr::null_mut();
        }
        Box::into_raw(Box::default())
    }
    /// Frees a context (the key is wiped).
    fn EVP_MAC_CTX_free(ctx: *mut EVP_MAC_CTX) {
        if !ctx.is_null() {
            // SAFETY: `ctx` came from EVP_MAC_CTX_new and is not used afterwards (API contract).
            drop(unsafe { Box::from_raw(ctx) });
        }
    }
    /// A copy of the settings and of the computation in progress.
    fn EVP_MAC_CTX_dup(ctx: *const EVP_MAC_CTX) -> *mut EVP_MAC_CTX {
        let c = arg_ref!(ctx, std::ptr::null_mut());
        Box::into_raw(Box::new(EVP_MAC_CTX { md: c.md, key: c.key.clone(), running: c.running.clone() }))
    }
    /// Sets "digest" and "key"; 1, or 0 (with an error) for a bad value.
    fn EVP_MAC_CTX_set_params(ctx: *mut EVP_MAC_CTX, params: *const OSSL_PARAM) -> c_int {
        match arg_mut!(ctx, 0).set_params(params) {
            Ok(()) => 1,
            Err(why) => {
                raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "EVP_MAC_CTX_set_params", why);
                0
            }
        }
    }
    /// The MAC length (the digest's size), 0 before a digest is set.
    fn EVP_MAC_CTX_get_mac_size(ctx: *const EVP_MAC_CTX) -> size_t {
        arg_ref!(ctx, 0).md.map_or(0, |m| m.size as size_t)
    }
    /// Applies `params`, sets `key` when given, and starts a MAC; 1, or 0 without a digest or key.
    fn EVP_MAC_init(ctx: *mut EVP_MAC_CTX, key: *const c_uchar, keylen: size_t, params: *const OSSL_PARAM) -> c_int {
        let c = arg_mut!(ctx, 0);
        if let Err(why) = c.set_params(params) {
            raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "EVP_MAC_init", why);
            return 0;
        }
        if !key.is_null() {
            c.key = Some(Zeroizing::new(bytes(key.cast(), keylen).to_vec()));
        }
        if c.restart() {
            1
        } else {
            raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "EVP_MAC_init", "no digest or no key set");
            0
        }
    }
    /// Absorbs `datalen` octets; 0 before the MAC is started.
    fn EVP_MAC_update(ctx: *mut EVP_MAC_CTX, data: *const c_uchar, datalen: size_t) -> c_int {
        match arg_mut!(ctx, 0).running() {
            Some(h) => {
                h.update(bytes(data.cast(), datalen));
                1
            }
            None => 0,
        }
    }
    /// Writes the MAC to `out` (of `outsize` octets) and its length to `*outl`; with `out`
    /// NULL, only the length. The context needs a new init after.
    fn EVP_MAC_final(ctx: *mut EVP_MAC_CTX, out: *mut c_uchar, outl: *mut size_t, outsize: size_t) -> c_int {
        let c = arg_mut!(ctx, 0);
        let Some(size) = c.running.as_ref().map(Hmac::size) else { return 0 };
        if out.is_null() {
            if !outl.is_null() {
                // SAFETY: `outl` is a size_t (API contract).
                unsafe { *outl = size };
            }
            return 1;
        }
        if outsize < size {
            raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "EVP_MAC_final", "output buffer too small");
            return 0;
        }
        let Some(h) = c.take() else { return 0 };
        let mut n: c_uint = 0;
        write_mac(&h.finish(), out, &mut n);
        if !outl.is_null() {
            // SAFETY: `outl` is a size_t (API contract).
            unsafe { *outl = n as size_t };
        }
        1
    }

    /// An octet-string parameter (the HMAC "key").
    fn OSSL_PARAM_construct_octet_string(key: *const c_char, buf: *mut c_void, bsize: size_t) -> OSSL_PARAM {
        OSSL_PARAM { key, data_type: OSSL_PARAM_OCTET_STRING, data: buf, data_size: bsize, return_size: OSSL_PARAM_UNMODIFIED }
    }
    /// A UTF-8 string parameter (the HMAC "digest"); `bsize` 0 means the string's length.
    fn OSSL_PARAM_construct_utf8_string(key: *const c_char, buf: *mut c_char, bsize: size_t) -> OSSL_PARAM {
        let size = if bsize == 0 && !buf.is_null() {
            // SAFETY: `buf` is a NUL-terminated string when no size is given (API contract).
            unsafe { libc::strlen(buf) }
        } else {
            bsize
        };
        OSSL_PARAM { key, data_type: OSSL_PARAM_UTF8_STRING, data: buf.cast(), data_size: size, return_size: OSSL_PARAM_UNMODIFIED }
    }
    /// The terminator of a parameter array.
    fn OSSL_PARAM_construct_end() -> OSSL_PARAM {
        OSSL_PARAM { key: std::ptr::null(), data_type: 0, data: std::ptr::null_mut(), data_size: 0, return_size: 0 }
    }

    /// An empty context.
    fn HMAC_CTX_new() -> *mut HMAC_CTX { Box::into_raw(Box::default()) }
    /// Frees a context (the key is wiped).
    fn HMAC_CTX_free(ctx: *mut HMAC_CTX) {
        if !ctx.is_null() {
            // SAFETY: `ctx` came from HMAC_CTX_new and is not used afterwards (API contract).
            drop(unsafe { Box::from_raw(ctx) });
        }
    }
    /// Forgets the digest, key and state; 1.
    fn HMAC_CTX_reset(ctx: *mut HMAC_CTX) -> c_int {
        *arg_mut!(ctx, 0) = HMAC_CTX::default();
        1
    }
    /// Starts an HMAC with `md` and `key` (of `len` octets); NULL for either keeps the previous
    /// one (restarting with the same key). The engine must be NULL. 1, or 0.
    fn HMAC_Init_ex(ctx: *mut HMAC_CTX, key: *const c_void, len: c_int, md: *const EVP_MD, _engine: *mut c_void) -> c_int {
        let c = arg_mut!(ctx, 0);
        if !md.is_null() {
            let Some(m) = md_ref(md) else {
                raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "HMAC_Init_ex", "unknown digest");
                return 0;
            };
            c.md = Some(m);
        }
        if !key.is_null() {
            let Ok(n) = usize::try_from(len) else { return 0 };
            c.key = Zeroizing::new(bytes(key, n).to_vec());
        }
        let Some(m) = c.md else {
            raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "HMAC_Init_ex", "no digest set");
            return 0;
        };
        c.running = Hmac::new(m, &c.key);
        c_int::from(c.running.is_some())
    }
    /// Absorbs `len` octets; 0 before an init.
    fn HMAC_Update(ctx: *mut HMAC_CTX, data: *const c_uchar, len: size_t) -> c_int {
        match arg_mut!(ctx, 0).running() {
            Some(h) => {
                h.update(bytes(data.cast(), len));
                1
            }
            None => 0,
        }
    }
    /// Writes the MAC to `md` (the digest's size) and its length to `*len`.
    fn HMAC_Final(ctx: *mut HMAC_CTX, md: *mut c_uchar, len: *mut c_uint) -> c_int {
        let c = arg_mut!(ctx, 0);
        if md.is_null() {
            return 0;
        }
        let Some(h) = c.take() else { return 0 };
        write_mac(&h.finish(), md, len);
        1
    }
    /// The MAC length, 0 before a digest is set.
    fn HMAC_size(ctx: *const HMAC_CTX) -> size_t { arg_ref!(ctx, 0).md.map_or(0, |m| m.size as size_t) }
    /// The context's digest, or NULL.
    fn HMAC_CTX_get_md(ctx: *const HMAC_CTX) -> *const EVP_MD {
        arg_ref!(ctx, std::ptr::null()).md.map_or(std::ptr::null(), |m| m as *const EVP_MD)
    }
    /// One-shot HMAC of `n` octets into `md` (which must not be NULL here: OpenSSL's static
    /// buffer for NULL is not thread-safe and is not offered); returns `md`, or NULL.
    fn HMAC(evp_md: *const EVP_MD, key: *const c_void, key_len: c_int, d: *const c_uchar, n: size_t, md: *mut c_uchar, md_len: *mut c_uint) -> *mut c_uchar {
        let Some(m) = md_ref(evp_md) else { return std::ptr::null_mut() };
        let Ok(klen) = usize::try_from(key_len) else { return std::ptr::null_mut() };
        if md.is_null() {
            return std::ptr::null_mut();
        }
        let Some(mut h) = Hmac::new(m, bytes(key, klen)) else { return std::ptr::null_mut() };
        h.update(bytes(d.cast(), n));
        write_mac(&h.finish(), md, md_len);
        md
    }
}
