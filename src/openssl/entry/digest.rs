//! Message digests: `EVP_MD`/`EVP_MD_CTX`/`EVP_Digest*` over RustCrypto's hashers, the one-shot
//! `MD5()`/`SHA1()`/`SHA256()`..., and the `MD5_*`/`SHA1_*`/`SHA256_*`/`SHA512_*` context
//! functions (curl's digest authentication, wget's NTLM and file hashing).
//!
//! The `*_CTX` structures are caller-allocated with OpenSSL 3.0's public layouts (`md5.h`,
//! `sha.h`: chaining values, bit count, a block buffer, a fill count), so they are filled here
//! the same way and the block function is RustCrypto's (`compress` of md-5/sha1/sha2).

use crate::crypto::rustcrypto::libcrypto::{
    md4_block, md5_block, sha1_block, sha256_block, sha512_block, Digest,
};
use libc::{c_int, c_uint, c_void, size_t};

use crate::openssl::err::{other_r, raise, LIB_EVP};

/// `EVP_MD`: one digest algorithm.
pub struct EVP_MD {
    /// OpenSSL's NID (`EVP_MD_get_type`).
    pub nid: c_int,
    /// Output size in octets.
    pub size: c_int,
    /// Block size in octets.
    pub block: c_int,
}

impl EVP_MD {
    fn start(&self) -> Digest {
        // Every EVP_MD below has a NID the provider knows.
        Digest::for_nid(self.nid).unwrap_or_else(|| unreachable!("digest NID {}", self.nid))
    }
}

impl std::fmt::Debug for EVP_MD {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EVP_MD").field("nid", &self.nid).finish()
    }
}

static MD_MD5: EVP_MD = EVP_MD { nid: 4, size: 16, block: 64 };
static MD_SHA1: EVP_MD = EVP_MD { nid: 64, size: 20, block: 64 };
static MD_SHA224: EVP_MD = EVP_MD { nid: 675, size: 28, block: 64 };
static MD_SHA256: EVP_MD = EVP_MD { nid: 672, size: 32, block: 64 };
static MD_SHA384: EVP_MD = EVP_MD { nid: 673, size: 48, block: 128 };
static MD_SHA512: EVP_MD = EVP_MD { nid: 674, size: 64, block: 128 };

pub(crate) const ALL: [&EVP_MD; 6] = [&MD_MD5, &MD_SHA1, &MD_SHA224, &MD_SHA256, &MD_SHA384, &MD_SHA512];

/// `EVP_MD_CTX`: a digest in progress.
#[derive(Default)]
pub struct EVP_MD_CTX {
    md: Option<&'static EVP_MD>,
    state: Option<Digest>,
}

pub(crate) fn md_ref(md: *const EVP_MD) -> Option<&'static EVP_MD> {
    ALL.iter().copied().find(|m| std::ptr::eq(*m, md))
}

fn write_out(out: *mut u8, len: *mut c_uint, digest: &[u8]) {
    // SAFETY: `out` has room for EVP_MD_size octets (API contract); `len` is NULL or an int.
    unsafe {
        std::ptr::copy_nonoverlapping(digest.as_ptr(), out, digest.len());
        if !len.is_null() {
            *len = digest.len() as c_uint;
        }
    }
}

fn input<'a>(d: *const c_void, n: size_t) -> &'a [u8] {
    if n == 0 || d.is_null() {
        return &[];
    }
    // SAFETY: `d` has `n` readable octets (API contract).
    unsafe { std::slice::from_raw_parts(d.cast::<u8>(), n) }
}

entry! {
    /// MD5.
    fn EVP_md5() -> *const EVP_MD { &MD_MD5 }
    /// SHA-1.
    fn EVP_sha1() -> *const EVP_MD { &MD_SHA1 }
    /// SHA-224.
    fn EVP_sha224() -> *const EVP_MD { &MD_SHA224 }
    /// SHA-256.
    fn EVP_sha256() -> *const EVP_MD { &MD_SHA256 }
    /// SHA-384.
    fn EVP_sha384() -> *const EVP_MD { &MD_SHA384 }
    /// SHA-512.
    fn EVP_sha512() -> *const EVP_MD { &MD_SHA512 }
    /// A digest by its short or long name (`"SHA256"`, `"sha256"`), or NULL.
    fn EVP_get_digestbyname(name: *const libc::c_char) -> *const EVP_MD {
        let n = arg_cstr!(name, std::ptr::null()).to_string_lossy();
        let nid = crate::openssl::asn1::nid_of_name(&n, true, true);
        ALL.iter().copied().find(|m| m.nid == nid).map_or(std::ptr::null(), |m| m as *const EVP_MD)
    }
    /// Output size (`EVP_MD_size`).
    fn EVP_MD_get_size(md: *const EVP_MD) -> c_int { md_ref(md).map_or(-1, |m| m.size) }
    /// Block size (`EVP_MD_block_size`).
    fn EVP_MD_get_block_size(md: *const EVP_MD) -> c_int { md_ref(md).map_or(-1, |m| m.block) }
    /// The NID (`EVP_MD_type`).
    fn EVP_MD_get_type(md: *const EVP_MD) -> c_int { md_ref(md).map_or(0, |m| m.nid) }

    /// An empty context.
    fn EVP_MD_CTX_new() -> *mut EVP_MD_CTX { Box::into_raw(Box::default()) }
    /// Frees a context.
    fn EVP_MD_CTX_free(ctx: *mut EVP_MD_CTX) {
        if !ctx.is_null() {
            // SAFETY: `ctx` came from EVP_MD_CTX_new and is not used afterwards (API contract).
            drop(unsafe { Box::from_raw(ctx) });
        }
    }
    /// Forgets the digest in progress; 1.
    fn EVP_MD_CTX_reset(ctx: *mut EVP_MD_CTX) -> c_int {
        *arg_mut!(ctx, 0) = EVP_MD_CTX::default();
        1
    }
    /// The context's digest, or NULL.
    fn EVP_MD_CTX_get0_md(ctx: *const EVP_MD_CTX) -> *const EVP_MD {
        arg_ref!(ctx, std::ptr::null()).md.map_or(std::ptr::null(), |m| m as *const EVP_MD)
    }
    /// Copies the state of `in_` into `out`; 1, or 0 when `in_` has none.
    fn EVP_MD_CTX_copy_ex(out: *mut EVP_MD_CTX, in_: *const EVP_MD_CTX) -> c_int {
        let src = arg_ref!(in_, 0);
        let dst = arg_mut!(out, 0);
        let Some(state) = src.state.as_ref() else { return 0 };
        dst.md = src.md;
        dst.state = Some(state.clone());
        1
    }
    /// Starts `md` in `ctx` (the engine argument must be NULL); 1, or 0 for an unknown digest.
    fn EVP_DigestInit_ex(ctx: *mut EVP_MD_CTX, md: *const EVP_MD, _engine: *mut c_void) -> c_int {
        let c = arg_mut!(ctx, 0);
        let Some(m) = md_ref(md).or(if md.is_null() { c.md } else { None }) else {
            raise!(LIB_EVP, other_r::PASSED_INVALID_ARGUMENT, "EVP_DigestInit_ex", "unknown digest");
            return 0;
        };
        c.md = Some(m);
        c.state = Some(m.start());
        1
    }
    /// `EVP_DigestInit_ex` after a reset.
    fn EVP_DigestInit(ctx: *mut EVP_MD_CTX, md: *const EVP_MD) -> c_int { EVP_DigestInit_ex(ctx, md, std::ptr::null_mut()) }
    /// Hashes `cnt` octets; 1, or 0 before an Init.
    fn EVP_DigestUpdate(ctx: *mut EVP_MD_CTX, d: *const c_void, cnt: size_t) -> c_int {
        match arg_mut!(ctx, 0).state.as_mut() {
            Some(s) => {
                s.update(input(d, cnt));
                1
            }
            None => 0,
        }
    }
    /// Writes the digest to `md` (and its size to `*s`); the context needs a new Init after.
    fn EVP_DigestFinal_ex(ctx: *mut EVP_MD_CTX, md: *mut u8, s: *mut c_uint) -> c_int {
        let Some(state) = arg_mut!(ctx, 0).state.take() else { return 0 };
        if md.is_null() {
            return 0;
        }
        write_out(md, s, &state.finish());
        1
    }
    /// `EVP_DigestFinal_ex` (the context is not reusable afterwards either way here).
    fn EVP_DigestFinal(ctx: *mut EVP_MD_CTX, md: *mut u8, s: *mut c_uint) -> c_int { EVP_DigestFinal_ex(ctx, md, s) }
    /// One-shot digest of `count` octets.
    fn EVP_Digest(data: *const c_void, count: size_t, md: *mut u8, size: *mut c_uint, type_: *const EVP_MD, _impl: *mut c_void) -> c_int {
        let Some(m) = md_ref(type_) else { return 0 };
        if md.is_null() {
            return 0;
        }
        let mut h = m.start();
        h.update(input(data, count));
        write_out(md, size, &h.finish());
        1
    }
}

// ---- MD5_*/SHA1_*/SHA256_*/SHA512_* over OpenSSL's public context layouts ----

/// `MD5_CTX` (`md5.h`): A..D, the bit count as two 32-bit halves, a 64-octet block, its fill.
#[repr(C)]
pub struct MD5_CTX {
    h: [u32; 4],
    nl: u32,
    nh: u32,
    data: [u8; 64],
    num: c_uint,
}

/// `MD4_CTX` (`md4.h`): the same layout as `MD5_CTX`.
#[repr(C)]
pub struct MD4_CTX {
    h: [u32; 4],
    nl: u32,
    nh: u32,
    data: [u8; 64],
    num: c_uint,
}

/// `SHA_CTX` (`sha.h`).
#[repr(C)]
pub struct SHA_CTX {
    h: [u32; 5],
    nl: u32,
    nh: u32,
    data: [u8; 64],
    num: c_uint,
}

/// `SHA256_CTX` (`sha.h`), also SHA-224's.
#[repr(C)]
pub struct SHA256_CTX {
    h: [u32; 8],
    nl: u32,
    nh: u32,
    data: [u8; 64],
    num: c_uint,
    md_len: c_uint,
}

/// `SHA512_CTX` (`sha.h`), also SHA-384's.
#[repr(C)]
pub struct SHA512_CTX {
    h: [u64; 8],
    nl: u64,
    nh: u64,
    data: [u8; 128],
    num: c_uint,
    md_len: c_uint,
}

/// Absorbs `d` into a block buffer: `buf` holds `*num` pending octets, `bits` counts all input.
fn md_update(
    buf: &mut [u8],
    num: &mut c_uint,
    bits: &mut u128,
    mut d: &[u8],
    compress: &mut dyn FnMut(&[u8]),
) {
    *bits = bits.wrapping_add((d.len() as u128) * 8);
    while !d.is_empty() {
        let at = *num as usize;
        let n = (buf.len() - at).min(d.len());
        buf[at..at + n].copy_from_slice(&d[..n]);
        *num += n as c_uint;
        d = &d[n..];
        if *num as usize == buf.len() {
            *num = 0;
            compress(buf);
        }
    }
}

/// Pads (0x80, zeros, the bit count in `len_octets` octets, little-endian for MD5) and
/// compresses the last block(s).
fn md_final(
    buf: &mut [u8],
    num: &mut c_uint,
    bits: u128,
    le: bool,
    len_octets: usize,
    compress: &mut dyn FnMut(&[u8]),
) {
    let block = buf.len();
    let mut tail = vec![0x80u8];
    let used = *num as usize + 1;
    let room = block - len_octets;
    let zeros = if used <= room { room - used } else { block + room - used };
    tail.resize(1 + zeros, 0);
    if le {
        tail.extend_from_slice(&(bits as u64).to_le_bytes());
    } else {
        tail.extend_from_slice(&bits.to_be_bytes()[16 - len_octets..]);
    }
    let mut ignored = 0u128;
    md_update(buf, num, &mut ignored, &tail, compress);
    debug_assert_eq!(*num, 0);
}

fn split32(bits: u128) -> (u32, u32) {
    (bits as u32, (bits >> 32) as u32)
}

fn join32(nl: u32, nh: u32) -> u128 {
    (u128::from(nh) << 32) | u128::from(nl)
}

fn out_words<const N: usize>(out: *mut u8, words: &[u32], be: bool, n: usize) -> c_int {
    if out.is_null() {
        return 0;
    }
    let mut v = Vec::with_capacity(N);
    for w in words {
        v.extend_from_slice(&if be { w.to_be_bytes() } else { w.to_le_bytes() });
    }
    // SAFETY: `out` has room for the digest (API contract).
    unsafe { std::ptr::copy_nonoverlapping(v.as_ptr(), out, n) };
    1
}

const MD5_IV: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
const SHA1_IV: [u32; 5] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0];
const SHA224_IV: [u32; 8] =
    [0xc105_9ed8, 0x367c_d507, 0x3070_dd17, 0xf70e_5939, 0xffc0_0b31, 0x6858_1511, 0x64f9_8fa7, 0xbefa_4fa4];
const SHA256_IV: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];
const SHA384_IV: [u64; 8] = [
    0xcbbb_9d5d_c105_9ed8,
    0x629a_292a_367c_d507,
    0x9159_015a_3070_dd17,
    0x152f_ecd8_f70e_5939,
    0x6733_2667_ffc0_0b31,
    0x8eb4_4a87_6858_1511,
    0xdb0c_2e0d_64f9_8fa7,
    0x47b5_481d_befa_4fa4,
];
const SHA512_IV: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

macro_rules! ctx32 {
    ($ctx:ident, $init:ident, $update:ident, $final:ident, $iv:expr, $len:expr, $le:expr, $compress:expr) => {
        entry! {
            /// Starts the digest; 1.
            fn $init(c: *mut $ctx) -> c_int {
                let c = arg_mut!(c, 0);
                // SAFETY: an all-zero context is a valid value of this plain-data struct.
                *c = unsafe { std::mem::zeroed() };
                c.h[..$iv.len()].copy_from_slice(&$iv);
                1
            }
            /// Hashes `len` octets; 1.
            fn $update(c: *mut $ctx, data: *const c_void, len: size_t) -> c_int {
                let c = arg_mut!(c, 0);
                let mut bits = join32(c.nl, c.nh);
                let h = &mut c.h;
                md_update(&mut c.data, &mut c.num, &mut bits, input(data, len), &mut |b| $compress(h, b));
                (c.nl, c.nh) = split32(bits);
                1
            }
            /// Writes the digest to `md`; 1.
            fn $final(md: *mut u8, c: *mut $ctx) -> c_int {
                let c = arg_mut!(c, 0);
                let bits = join32(c.nl, c.nh);
                let h = &mut c.h;
                md_final(&mut c.data, &mut c.num, bits, $le, 8, &mut |b| $compress(h, b));
                out_words::<64>(md, &c.h, !$le, $len)
            }
        }
    };
}

fn md4_compress(h: &mut [u32; 4], b: &[u8]) {
    md4_block(h, b);
}
fn md5_compress(h: &mut [u32; 4], b: &[u8]) {
    md5_block(h, b);
}
fn sha1_compress(h: &mut [u32; 5], b: &[u8]) {
    sha1_block(h, b);
}
fn sha256_compress(h: &mut [u32; 8], b: &[u8]) {
    sha256_block(h, b);
}
fn sha512_compress(h: &mut [u64; 8], b: &[u8]) {
    sha512_block(h, b);
}

ctx32!(MD4_CTX, MD4_Init, MD4_Update, MD4_Final, MD5_IV, 16, true, md4_compress);
ctx32!(MD5_CTX, MD5_Init, MD5_Update, MD5_Final, MD5_IV, 16, true, md5_compress);
ctx32!(SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final, SHA1_IV, 20, false, sha1_compress);
ctx32!(SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final, SHA256_IV, 32, false, sha256_compress);
ctx32!(SHA256_CTX, SHA224_Init, SHA224_Update, SHA224_Final, SHA224_IV, 28, false, sha256_compress);

macro_rules! ctx64 {
    ($init:ident, $update:ident, $final:ident, $iv:expr, $len:expr) => {
        entry! {
            /// Starts the digest; 1.
            fn $init(c: *mut SHA512_CTX) -> c_int {
                let c = arg_mut!(c, 0);
                // SAFETY: an all-zero context is a valid value of this plain-data struct.
                *c = unsafe { std::mem::zeroed() };
                c.h = $iv;
                c.md_len = $len;
                1
            }
            /// Hashes `len` octets; 1.
            fn $update(c: *mut SHA512_CTX, data: *const c_void, len: size_t) -> c_int {
                let c = arg_mut!(c, 0);
                let mut bits = (u128::from(c.nh) << 64) | u128::from(c.nl);
                let h = &mut c.h;
                md_update(&mut c.data, &mut c.num, &mut bits, input(data, len), &mut |b| sha512_compress(h, b));
                (c.nl, c.nh) = (bits as u64, (bits >> 64) as u64);
                1
            }
            /// Writes the digest to `md`; 1.
            fn $final(md: *mut u8, c: *mut SHA512_CTX) -> c_int {
                let c = arg_mut!(c, 0);
                let bits = (u128::from(c.nh) << 64) | u128::from(c.nl);
                let h = &mut c.h;
                md_final(&mut c.data, &mut c.num, bits, false, 16, &mut |b| sha512_compress(h, b));
                if md.is_null() {
                    return 0;
                }
                let v: Vec<u8> = c.h.iter().flat_map(|w| w.to_be_bytes()).collect();
                // SAFETY: `md` has room for the digest (API contract).
                unsafe { std::ptr::copy_nonoverlapping(v.as_ptr(), md, $len) };
                1
            }
        }
    };
}
ctx64!(SHA512_Init, SHA512_Update, SHA512_Final, SHA512_IV, 64);
ctx64!(SHA384_Init, SHA384_Update, SHA384_Final, SHA384_IV, 48);

fn one_shot(m: &EVP_MD, d: *const u8, n: size_t, md: *mut u8) -> *mut u8 {
    if md.is_null() {
        // OpenSSL 3 writes into a static buffer when `md` is NULL; ferrotls refuses instead
        // (a shared buffer is not thread-safe).
        return std::ptr::null_mut();
    }
    let mut h = m.start();
    h.update(input(d.cast(), n));
    write_out(md, std::ptr::null_mut(), &h.finish());
    md
}

entry! {
    /// One-shot MD4 into `md` (16 octets, for NTLM); NULL `md` is refused.
    fn MD4(d: *const u8, n: size_t, md: *mut u8) -> *mut u8 {
        if md.is_null() {
            return md;
        }
        // SAFETY: an all-zero context is a valid value of this plain-data struct.
        let mut c: MD4_CTX = unsafe { std::mem::zeroed() };
        MD4_Init(&mut c);
        MD4_Update(&mut c, d.cast(), n);
        MD4_Final(md, &mut c);
        md
    }
    /// One-shot MD5 into `md` (16 octets); NULL `md` is refused.
    fn MD5(d: *const u8, n: size_t, md: *mut u8) -> *mut u8 { one_shot(&MD_MD5, d, n, md) }
    /// One-shot SHA-1 (20 octets).
    fn SHA1(d: *const u8, n: size_t, md: *mut u8) -> *mut u8 { one_shot(&MD_SHA1, d, n, md) }
    /// One-shot SHA-224 (28 octets).
    fn SHA224(d: *const u8, n: size_t, md: *mut u8) -> *mut u8 { one_shot(&MD_SHA224, d, n, md) }
    /// One-shot SHA-256 (32 octets).
    fn SHA256(d: *const u8, n: size_t, md: *mut u8) -> *mut u8 { one_shot(&MD_SHA256, d, n, md) }
    /// One-shot SHA-384 (48 octets).
    fn SHA384(d: *const u8, n: size_t, md: *mut u8) -> *mut u8 { one_shot(&MD_SHA384, d, n, md) }
    /// One-shot SHA-512 (64 octets).
    fn SHA512(d: *const u8, n: size_t, md: *mut u8) -> *mut u8 { one_shot(&MD_SHA512, d, n, md) }
}
