//! The OpenSSL-compatible layer: `SSL_*`, `SSL_CTX_*`, `BIO_*`, `ERR_*`, `X509_*`, `PEM_*` and
//! `EVP_PKEY_*` functions with OpenSSL 3.0's names and semantics, declared by the headers in
//! `include/openssl/` and exported from libferrotls (installed as libssl.so and libcrypto.so).
//!
//! The split follows the design notes: the files at this level are safe objects with OpenSSL
//! semantics (`ssl_ctx.rs`, `ssl.rs` with `ssl/`, `bio.rs`, `err.rs`, `x509.rs`, `cipher_list.rs`,
//! `verify.rs`, `alpn.rs`), built on the public Rust API; `entry/` holds the thin `extern "C"` functions,
//! one file per object family, which only check and convert arguments. `unsafe` is confined to
//! this module (and `src/ffi`), each block with a `// SAFETY:` comment.
//!
//! Entry points are written with [`entry!`], which adds `#[no_mangle] pub extern "C"` and the
//! panic boundary of `src/ffi` (`ffi_boundary!`). cbindgen does not expand macros, so none of
//! these functions leak into `include/ferrotls.h`; their declarations are the hand-written
//! OpenSSL headers, and `make c-symbols` checks the exports against `src/openssl/exports.txt`.
//!
//! What is implemented and how it differs from OpenSSL: `docs/openssl-compat.md`.
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
// `unused_unit`: `arg_ref!(p, ())` is how a void function returns early on NULL.
#![allow(non_camel_case_types, clippy::not_unsafe_ptr_arg_deref, clippy::unused_unit)]

/// Defines exported C functions: `#[no_mangle] pub extern "C"`, body behind the panic boundary
/// (a panic returns 0 / NULL instead of unwinding into C).
macro_rules! entry {
    ($(
        $(#[$m:meta])*
        fn $name:ident($($arg:ident : $t:ty),* $(,)?) $(-> $ret:ty)? $body:block
    )*) => {$(
        $(#[$m])*
        #[no_mangle]
        pub extern "C" fn $name($($arg: $t),*) $(-> $ret)? {
            ffi_boundary! { $body }
        }
    )*};
}

/// `&T` from a pointer argument, or an early return of `$default` (OpenSSL functions mostly
/// answer NULL with 0 / NULL and no error entry).
macro_rules! arg_ref {
    ($p:expr, $default:expr) => {
        // SAFETY: the OpenSSL contract: an object argument is NULL or a live object of this
        // type, made by its constructor and not yet freed.
        match unsafe { $p.as_ref() } {
            Some(r) => r,
            None => return $default,
        }
    };
}

/// `&mut T` from a pointer argument, or an early return of `$default`.
macro_rules! arg_mut {
    ($p:expr, $default:expr) => {
        // SAFETY: the OpenSSL contract: an object argument is NULL or a live object of this
        // type, used by one thread at a time.
        match unsafe { $p.as_mut() } {
            Some(r) => r,
            None => return $default,
        }
    };
}

/// `&CStr` from a `const char *` argument, or an early return of `$default`.
macro_rules! arg_cstr {
    ($p:expr, $default:expr) => {{
        let p: *const ::libc::c_char = $p;
        if p.is_null() {
            return $default;
        }
        // SAFETY: the OpenSSL contract: a string argument is NUL-terminated and stays unchanged
        // during the call.
        unsafe { ::std::ffi::CStr::from_ptr(p) }
    }};
}

pub mod addr;
pub mod alpn;
pub mod asn1;
pub mod bio;
pub mod buf_mem;
pub mod certinfo;
pub mod cipher_list;
pub mod err;
pub mod ex_data;
pub mod session;
pub mod ssl;
pub mod ssl_ctx;
pub mod stack;
pub mod ticket_key_cb;
pub mod verify;
pub mod verify_param;
pub mod x509;
pub mod x509_store;

pub mod entry;

/// Byte slice from a C `(pointer, length)` pair; NULL with a non-zero length is `None`.
///
/// # Safety
/// When `len > 0` and `p` is not NULL, `p` points to `len` readable bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize) -> Option<&'a [u8]> {
    // SAFETY: forwarded to ffi::slice::slice, whose contract is the same.
    unsafe { crate::ffi::slice::slice(p, len, "buf") }.ok()
}

/// Mutable byte slice from a C `(pointer, length)` pair; NULL with a non-zero length is `None`.
///
/// # Safety
/// When `len > 0` and `p` is not NULL, `p` points to `len` writable bytes for `'a`.
pub(crate) unsafe fn bytes_mut<'a>(p: *mut u8, len: usize) -> Option<&'a mut [u8]> {
    // SAFETY: forwarded to ffi::slice::slice_mut, whose contract is the same.
    unsafe { crate::ffi::slice::slice_mut(p, len, "buf") }.ok()
}

/// Copies `s` into the C buffer `(buf, size)` NUL-terminated and truncated, as OpenSSL's
/// `*_n` functions do. Returns the length of `s`.
///
/// # Safety
/// `buf` is NULL or points to `size` writable bytes.
pub(crate) unsafe fn copy_to_c(s: &[u8], buf: *mut libc::c_char, size: usize) -> usize {
    if buf.is_null() || size == 0 {
        return s.len();
    }
    let n = s.len().min(size - 1);
    // SAFETY: `buf` holds `size` bytes and `n + 1 <= size`; `s` is a separate Rust slice.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), n);
        *buf.add(n) = 0;
    }
    s.len()
}
