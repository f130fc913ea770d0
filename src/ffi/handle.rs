//! Opaque handles: every C object is a `Box` handed out with `Box::into_raw` and taken back by
//! its `_free`. This file and `slice.rs` hold the pointer casts; the macros below are how entry
//! points use them, so a NULL check can never be forgotten.

use std::ptr::NonNull;

/// Moves `value` to the heap and hands ownership to C.
pub(crate) fn into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Drops a handle made by [`into_raw`]; NULL is a no-op.
///
/// # Safety
/// `p` is NULL or came from `into_raw::<T>` and has not been freed.
pub(crate) unsafe fn free<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: the caller promises `p` came from Box::into_raw::<T> and is still live.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// Borrows a handle.
///
/// # Safety
/// `p` is NULL or points to a live `T` not mutably borrowed elsewhere for `'a`.
pub(crate) unsafe fn as_ref<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: forwarded from the caller.
    unsafe { p.as_ref() }
}

/// Borrows a handle mutably.
///
/// # Safety
/// `p` is NULL or points to a live `T` not borrowed elsewhere for `'a`.
pub(crate) unsafe fn as_mut<'a, T>(p: *mut T) -> Option<&'a mut T> {
    // SAFETY: forwarded from the caller.
    unsafe { p.as_mut() }
}

/// A checked, non-NULL out-parameter, written only once the call has succeeded.
pub(crate) struct OutPtr<T>(NonNull<T>);

impl<T> OutPtr<T> {
    /// Wraps `p` when it is not NULL; [`Self::write`] then stores through it.
    ///
    /// # Safety
    /// `p` is NULL or points to writable storage for one `T` (an out-parameter a C caller
    /// passed, per the header preamble) that stays valid until the `OutPtr` is written or
    /// dropped.
    pub(crate) unsafe fn new(p: *mut T) -> Option<Self> {
        NonNull::new(p).map(Self)
    }

    /// Stores `value` (a C scalar or pointer: nothing is dropped at the destination).
    pub(crate) fn write(self, value: T) {
        // SAFETY: non-NULL by construction, and `new`'s contract: `p` points to writable
        // storage for one `T`. `write` does not read or drop
        // the old contents, which may be uninitialised.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// `&T` from a handle argument, or an early return of the NULL-argument value.
macro_rules! try_ref {
    ($p:ident) => {
        // SAFETY: the C contract: a handle argument is NULL or a live handle of this type.
        match unsafe { $crate::ffi::handle::as_ref($p) } {
            Some(r) => r,
            None => return $crate::ffi::slice::null_argument(stringify!($p)),
        }
    };
}

/// `&mut T` from a handle argument, or an early return of the NULL-argument value.
macro_rules! try_mut {
    ($p:ident) => {
        // SAFETY: the C contract: a handle argument is NULL or a live handle of this type, used
        // by one thread at a time (documented per type).
        match unsafe { $crate::ffi::handle::as_mut($p) } {
            Some(r) => r,
            None => return $crate::ffi::slice::null_argument(stringify!($p)),
        }
    };
}

/// A checked out-parameter, or an early return of the NULL-argument value.
macro_rules! try_out {
    ($p:ident) => {
        // SAFETY: the C contract (header preamble): an out-parameter is NULL or points to
        // writable storage for one value of its type.
        match unsafe { $crate::ffi::handle::OutPtr::new($p) } {
            Some(o) => o,
            None => return $crate::ffi::slice::null_argument(stringify!($p)),
        }
    };
}

/// Frees a handle argument; NULL is a no-op.
macro_rules! free_handle {
    ($p:ident) => {
        // SAFETY: the C contract: `_free` gets NULL or a live handle made by the matching
        // constructor, and the caller does not use it afterwards.
        unsafe { $crate::ffi::handle::free($p) }
    };
}
