//! `OPENSSL_STACK`: the untyped stack behind `STACK_OF(X509)` and `STACK_OF(X509_NAME)`. The
//! typed `sk_X509_*` functions are `static inline` wrappers in `include/openssl/safestack.h`,
//! as in OpenSSL 3, so only the `OPENSSL_sk_*` functions are exported.

use libc::c_void;

/// A stack of object pointers; what they point to is owned by whoever fills the stack.
#[derive(Debug, Default)]
pub struct OPENSSL_STACK {
    /// The elements, bottom first.
    pub items: Vec<*mut c_void>,
}

// SAFETY: the items point to objects owned elsewhere (a context's certificates, static cipher
// descriptors) that outlive the stack; the stack itself never dereferences them, and C reads
// them under the same rules as OpenSSL's stacks.
unsafe impl Send for OPENSSL_STACK {}

impl OPENSSL_STACK {
    /// A heap stack for C.
    pub fn into_raw(self) -> *mut OPENSSL_STACK {
        Box::into_raw(Box::new(self))
    }
}
