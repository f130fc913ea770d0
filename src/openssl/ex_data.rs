//! `ex_data` / `app_data`: application pointers stored on `SSL` and `SSL_CTX` by index.
//! `app_data` is index 0, as in OpenSSL. The new/dup/free callbacks of
//! `*_get_ex_new_index` are accepted and not called (docs/openssl-compat.md).

use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};

use libc::{c_int, c_void};

/// Index 0 is `app_data`; `*_get_ex_new_index` hands out 1, 2, ...
static NEXT_INDEX: AtomicI32 = AtomicI32::new(1);

/// A fresh index (shared by every class; OpenSSL numbers per class, which callers cannot tell).
pub fn new_index() -> c_int {
    NEXT_INDEX.fetch_add(1, Ordering::Relaxed)
}

/// The pointers of one object.
#[derive(Debug, Default)]
pub struct ExData {
    slots: HashMap<c_int, *mut c_void>,
}

// SAFETY: the stored pointers are opaque application values, never dereferenced here.
unsafe impl Send for ExData {}

impl ExData {
    /// `*_set_ex_data`.
    pub fn set(&mut self, idx: c_int, p: *mut c_void) -> bool {
        if idx < 0 {
            return false;
        }
        self.slots.insert(idx, p);
        true
    }

    /// `*_get_ex_data` (NULL when unset).
    pub fn get(&self, idx: c_int) -> *mut c_void {
        self.slots.get(&idx).copied().unwrap_or(std::ptr::null_mut())
    }
}
