//! `BUF_MEM`: OpenSSL's public growable buffer, as `BIO_get_mem_ptr` lends it out for a memory
//! BIO (curl reads `->data` and `->length` after printing a certificate into one).
//!
//! The structure has OpenSSL 3.0's layout. A memory BIO keeps one, refreshed at each
//! `BIO_get_mem_ptr` to describe the bytes not read yet; like `BIO_get_mem_data`'s pointer it
//! is valid until the next operation on the BIO. Writing through it does not change the BIO
//! (ferrotls does not hand the BIO's storage over to C), which docs/openssl-compat.md lists.
//!
//! A `BUF_MEM` of the program's own (`BUF_MEM_new`, `BUF_MEM_grow`, `BUF_MEM_grow_clean`,
//! `BUF_MEM_free`) is C memory from libc's allocator, as `OPENSSL_malloc`'s is here, so a program
//! may also free `data` or the structure with `OPENSSL_free`. Growing works as in OpenSSL 3.0:
//! the new bytes read as zeros, the capacity becomes a third more than asked, the `_clean`
//! variant (and a buffer flagged `BUF_MEM_FLAG_SECURE`, which has no secure heap here) never
//! leaves old contents in freed memory.

use libc::{c_char, c_ulong, c_void, size_t};

/// `BUF_MEM` (`struct buf_mem_st`).
#[repr(C)]
#[derive(Debug)]
pub struct BUF_MEM {
    /// Bytes in `data`.
    pub length: size_t,
    /// The bytes.
    pub data: *mut c_char,
    /// Capacity of `data`.
    pub max: size_t,
    /// `BUF_MEM_FLAG_*` (none used).
    pub flags: c_ulong,
}

impl Default for BUF_MEM {
    fn default() -> Self {
        Self { length: 0, data: std::ptr::null_mut(), max: 0, flags: 0 }
    }
}

impl BUF_MEM {
    /// Describes `unread` (the BIO's bytes from the read position), whose allocation holds
    /// `capacity` bytes from its start.
    pub fn describe(&mut self, unread: &[u8], capacity: usize) {
        self.length = unread.len();
        self.data = unread.as_ptr().cast_mut().cast();
        self.max = capacity.max(unread.len());
    }
}

/// `BUF_MEM_FLAG_SECURE`: contents are cleared whenever memory is given back.
pub const FLAG_SECURE: c_ulong = 0x01;

/// OpenSSL's cap on a requested length, so that the capacity `(len + 3) / 3 * 4` stays below
/// 2^31.
const LIMIT_BEFORE_EXPANSION: usize = 0x5fff_fffc;

/// Zeroes `len` bytes at `p` in a way the compiler may not drop (the memory is freed next).
///
/// # Safety
/// `p` is NULL or valid for `len` bytes of writes.
unsafe fn cleanse(p: *mut c_char, len: usize) {
    if p.is_null() {
        return;
    }
    for i in 0..len {
        // SAFETY: `p + i` is within the `len` bytes the caller vouches for.
        unsafe { std::ptr::write_volatile(p.add(i), 0) };
    }
}

impl BUF_MEM {
    /// `BUF_MEM_grow` (`clean` false) / `BUF_MEM_grow_clean`: makes `length` `len`, zeroing new
    /// bytes and reallocating when `max` is short. `None` when `len` is too large or memory ran
    /// out (the buffer is then unchanged).
    ///
    /// # Safety
    /// `data` is NULL or libc-allocated for `max` bytes, and `length <= max`.
    pub unsafe fn grow(&mut self, len: usize, clean: bool) -> Option<usize> {
        if self.length >= len {
            if clean {
                // SAFETY: `data[len..length]` is within the allocation (`length <= max`).
                unsafe { cleanse(self.data.wrapping_add(len), self.length - len) };
            }
            self.length = len;
            return Some(len);
        }
        if self.max < len {
            if len > LIMIT_BEFORE_EXPANSION {
                return None;
            }
            let capacity = (len + 3) / 3 * 4;
            let data = if clean || self.flags & FLAG_SECURE != 0 {
                // A fresh block: the old one is cleared before it goes back to the allocator.
                // SAFETY: malloc has no preconditions.
                let fresh = unsafe { libc::malloc(capacity) }.cast::<c_char>();
                if fresh.is_null() {
                    return None;
                }
                if !self.data.is_null() {
                    // SAFETY: `length` bytes are readable at `data` and `fresh` holds
                    // `capacity > len > length` bytes; the old block is ours to free.
                    unsafe {
                        std::ptr::copy_nonoverlapping(self.data, fresh, self.length);
                        cleanse(self.data, self.max);
                        libc::free(self.data.cast::<c_void>());
                    }
                }
                fresh
            } else {
                // SAFETY: `data` is NULL or libc-allocated (the caller's promise).
                let grown = unsafe { libc::realloc(self.data.cast::<c_void>(), capacity) }.cast::<c_char>();
                if grown.is_null() {
                    return None;
                }
                grown
            };
            self.data = data;
            self.max = capacity;
        }
        if !self.data.is_null() {
            // SAFETY: `len <= max` now, so `data[length..len]` is within the allocation.
            unsafe { std::ptr::write_bytes(self.data.add(self.length), 0, len - self.length) };
        }
        self.length = len;
        Some(len)
    }

    /// `BUF_MEM_free`'s work on the contents: cleared (all `max` bytes) and freed.
    ///
    /// # Safety
    /// As for [`Self::grow`].
    pub unsafe fn release(&mut self) {
        if !self.data.is_null() {
            // SAFETY: `data` holds `max` bytes from libc's allocator and is not used again.
            unsafe {
                cleanse(self.data, self.max);
                libc::free(self.data.cast::<c_void>());
            }
        }
        *self = Self::default();
    }
}
