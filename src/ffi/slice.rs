//! Buffers and strings from C: `(pointer, length)` pairs become slices and `const char *`
//! becomes `&str`, with NULL and over-long lengths refused instead of trusted.

use super::panic::FfiDefault;
use super::result::ferrotls_result as R;
use super::result::{report, Failure};
use libc::{c_char, size_t};
use std::ffi::CStr;

/// Records "argument X is NULL" as the thread's last error and returns the NULL value of `T`.
pub(crate) fn null_argument<T: FfiDefault>(name: &str) -> T {
    report(Failure::new(R::FERROTLS_NULL_ARGUMENT, format!("argument `{name}` is NULL")), None);
    T::on_null()
}

/// Why a buffer or string argument cannot be used.
pub(crate) fn bad_argument(name: &str, why: &str) -> Failure {
    Failure::new(R::FERROTLS_INVALID_ARGUMENT, format!("argument `{name}` {why}"))
}

/// A byte slice from `(p, len)`. `len == 0` gives an empty slice whatever `p` is; otherwise
/// NULL is an error, and so is a length above `isize::MAX` (no object can be that large).
///
/// # Safety
/// When `len > 0` and `p` is not NULL, `p` points to `len` readable bytes that stay unchanged
/// for `'a`.
pub(crate) unsafe fn slice<'a>(p: *const u8, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Failure::new(R::FERROTLS_NULL_ARGUMENT, format!("argument `{name}` is NULL")));
    }
    if len > isize::MAX as usize {
        return Err(bad_argument(name, "has a length above SSIZE_MAX"));
    }
    // SAFETY: non-NULL, length within isize::MAX, and readable per the caller's promise.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// A mutable byte slice from `(p, len)`, with the same rules as [`slice`].
///
/// # Safety
/// When `len > 0` and `p` is not NULL, `p` points to `len` writable bytes not otherwise
/// accessed for `'a`.
pub(crate) unsafe fn slice_mut<'a>(p: *mut u8, len: usize, name: &str) -> Result<&'a mut [u8], Failure> {
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(Failure::new(R::FERROTLS_NULL_ARGUMENT, format!("argument `{name}` is NULL")));
    }
    if len > isize::MAX as usize {
        return Err(bad_argument(name, "has a length above SSIZE_MAX"));
    }
    // SAFETY: non-NULL, length within isize::MAX, and writable per the caller's promise.
    Ok(unsafe { std::slice::from_raw_parts_mut(p, len) })
}

/// A UTF-8 string from a NUL-terminated C string.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays unchanged for `'a`.
pub(crate) unsafe fn str<'a>(p: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::new(R::FERROTLS_NULL_ARGUMENT, format!("argument `{name}` is NULL")));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's promise.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map_err(|_| bad_argument(name, "is not UTF-8"))
}

/// A byte string from C, as an element of an array argument (`ferrotls_*_set_alpn_protocols`):
/// `data` points to `len` bytes; `data` may be NULL only when `len` is 0.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ferrotls_slice_bytes {
    /// The first byte.
    pub data: *const u8,
    /// How many bytes `data` points to.
    pub len: size_t,
}

/// Copies an array of `count` [`ferrotls_slice_bytes`] and the bytes each one points to, with
/// the rules of [`slice`] for the array and for every element.
///
/// # Safety
/// When `count > 0` and `p` is not NULL, `p` points to `count` readable elements, each of
/// which follows the [`slice`] contract.
pub(crate) unsafe fn byte_strings(
    p: *const ferrotls_slice_bytes,
    count: usize,
    name: &str,
) -> Result<Vec<Vec<u8>>, Failure> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        return Err(Failure::new(R::FERROTLS_NULL_ARGUMENT, format!("argument `{name}` is NULL")));
    }
    if count > isize::MAX as usize / std::mem::size_of::<ferrotls_slice_bytes>() {
        return Err(bad_argument(name, "has a count above SSIZE_MAX"));
    }
    // SAFETY: non-NULL, size within isize::MAX, and readable per the caller's promise.
    let items = unsafe { std::slice::from_raw_parts(p, count) };
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // SAFETY: each element follows the `slice` contract per the caller's promise.
            unsafe { slice(s.data, s.len, &format!("{name}[{i}].data")) }.map(<[u8]>::to_vec)
        })
        .collect()
}

/// `&[u8]` from a `(pointer, length)` argument pair, or an early return of the failure code.
macro_rules! try_slice {
    ($p:ident, $len:ident, $slot:expr) => {
        // SAFETY: the C contract: a buffer argument points to at least `len` readable bytes.
        match unsafe { $crate::ffi::slice::slice($p, $len, stringify!($p)) } {
            Ok(s) => s,
            Err(f) => return $crate::ffi::result::report(f, $slot),
        }
    };
}

/// `&mut [u8]` from a `(pointer, length)` argument pair, or an early return of the failure code.
macro_rules! try_slice_mut {
    ($p:ident, $len:ident, $slot:expr) => {
        // SAFETY: the C contract: a buffer argument points to at least `len` writable bytes.
        match unsafe { $crate::ffi::slice::slice_mut($p, $len, stringify!($p)) } {
            Ok(s) => s,
            Err(f) => return $crate::ffi::result::report(f, $slot),
        }
    };
}

/// `Vec<Vec<u8>>` from a `(const ferrotls_slice_bytes *, size_t count)` argument pair, or an
/// early return of the failure code.
macro_rules! try_byte_strings {
    ($p:ident, $count:ident, $slot:expr) => {
        // SAFETY: the C contract: an array argument points to `count` elements, each a valid
        // buffer per `ferrotls_slice_bytes`.
        match unsafe { $crate::ffi::slice::byte_strings($p, $count, stringify!($p)) } {
            Ok(s) => s,
            Err(f) => return $crate::ffi::result::report(f, $slot),
        }
    };
}

/// `&str` from a `const char *` argument, or an early return of the failure code.
macro_rules! try_str {
    ($p:ident, $slot:expr) => {
        // SAFETY: the C contract: a string argument is NULL or NUL-terminated.
        match unsafe { $crate::ffi::slice::str($p, stringify!($p)) } {
            Ok(s) => s,
            Err(f) => return $crate::ffi::result::report(f, $slot),
        }
    };
}

/// Unwraps a `Result<T, Failure>`, or reports the failure and returns its code.
macro_rules! try_ok {
    ($e:expr, $slot:expr) => {
        match $e {
            Ok(v) => v,
            Err(f) => return $crate::ffi::result::report($crate::ffi::result::Failure::from(f), $slot),
        }
    };
}
