//! `BUF_MEM`: OpenSSL's public growable buffer, as `BIO_get_mem_ptr` lends it out for a memory
//! BIO (curl reads `->data` and `->length` after printing a certificate into one).
//!
//! The structure has OpenSSL 3.0's layout. A memory BIO keeps one, refreshed at each
//! `BIO_get_mem_ptr` to describe the bytes not read yet; like `BIO_get_mem_data`'s pointer it
//! is valid until the next operation on the BIO. Writing through it does not change the BIO
//! (ferrotls does not hand the BIO's storage over to C), which docs/openssl-compat.md lists.

use libc::{c_char, c_ulong, size_t};

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
