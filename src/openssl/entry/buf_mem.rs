//! `BUF_MEM_new`, `BUF_MEM_new_ex`, `BUF_MEM_grow`, `BUF_MEM_grow_clean`, `BUF_MEM_free` and
//! `BUF_reverse` (`<openssl/buffer.h>`): the buffer itself is in `src/openssl/buf_mem.rs`.

use libc::{c_ulong, c_void, size_t};

use crate::openssl::buf_mem::BUF_MEM;
use crate::openssl::err::{raise, R_FATAL};

/// `ERR_LIB_BUF`.
const LIB_BUF: u32 = 7;
/// `ERR_R_MALLOC_FAILURE`: what OpenSSL 3.0 queues for a length past its limit as for memory
/// that ran out.
const MALLOC_FAILURE: u32 = 256 | R_FATAL;

fn grow(b: *mut BUF_MEM, len: size_t, clean: bool, func: &'static str) -> size_t {
    let b = arg_mut!(b, 0);
    // SAFETY: a BUF_MEM from BUF_MEM_new (or laid out by the program as OpenSSL documents):
    // `data` is NULL or allocated with OPENSSL_malloc (libc) for `max` bytes.
    match unsafe { b.grow(len, clean) } {
        Some(n) => n,
        None => {
            raise!(LIB_BUF, MALLOC_FAILURE, func, format!("cannot grow to {len} bytes"));
            0
        }
    }
}

entry! {
    /// An empty buffer (no data, length 0), or NULL when memory ran out.
    fn BUF_MEM_new() -> *mut BUF_MEM {
        // SAFETY: calloc has no preconditions; all-zero bytes are an empty BUF_MEM (NULL data).
        unsafe { libc::calloc(1, std::mem::size_of::<BUF_MEM>()) }.cast()
    }
    /// `BUF_MEM_new` with `flags` (`BUF_MEM_FLAG_SECURE`: contents cleared whenever memory is
    /// given back; there is no separate secure heap).
    fn BUF_MEM_new_ex(flags: c_ulong) -> *mut BUF_MEM {
        let b = BUF_MEM_new();
        // SAFETY: NULL or the zeroed BUF_MEM just allocated.
        if let Some(b) = unsafe { b.as_mut() } {
            b.flags = flags;
        }
        b
    }
    /// Frees the buffer and its contents (cleared first); NULL is a no-op.
    fn BUF_MEM_free(b: *mut BUF_MEM) {
        let m = arg_mut!(b, ());
        // SAFETY: as for BUF_MEM_grow; the structure itself came from BUF_MEM_new (calloc).
        unsafe {
            m.release();
            libc::free(b.cast::<c_void>());
        }
    }
    /// Sets the length to `len`: new bytes are zeros; memory grows to a third more than `len`
    /// when needed. Returns `len`, or 0 (error queued) when `len` is too large or memory ran out.
    fn BUF_MEM_grow(b: *mut BUF_MEM, len: size_t) -> size_t {
        grow(b, len, false, "BUF_MEM_grow")
    }
    /// `BUF_MEM_grow` that also zeroes bytes cut off by a shrink and clears memory it gives back.
    fn BUF_MEM_grow_clean(b: *mut BUF_MEM, len: size_t) -> size_t {
        grow(b, len, true, "BUF_MEM_grow_clean")
    }
    /// `out` = `in` reversed (`size` bytes); with `in` NULL, `out` is reversed in place.
    fn BUF_reverse(out: *mut u8, input: *const u8, size: size_t) {
        if out.is_null() || size == 0 {
            return;
        }
        // SAFETY: the OpenSSL contract: `out` (and `in` when given) hold `size` bytes; they
        // are the same buffer only when `in` is NULL.
        unsafe {
            let o = std::slice::from_raw_parts_mut(out, size);
            if input.is_null() {
                o.reverse();
            } else {
                let i = std::slice::from_raw_parts(input, size);
                for (d, s) in o.iter_mut().zip(i.iter().rev()) {
                    *d = *s;
                }
            }
        }
    }
}
