//! `ERR_*`: the per-thread error queue.

use std::cell::RefCell;
use std::ffi::CString;

use libc::{c_char, c_int, c_ulong, c_void, size_t};

use crate::openssl::bio::BIO;
use crate::openssl::err;

/// `ERR_TXT_STRING` | `ERR_TXT_MALLOCED`.
const TXT_STRING: c_int = 0x02;

thread_local! {
    /// The entry most recently returned, so that file/func/data pointers stay valid until the
    /// next ERR call on this thread (as OpenSSL keeps them in the thread's error state).
    static LAST: RefCell<Option<(err::ErrEntry, CString, CString)>> = const { RefCell::new(None) };
    /// `ERR_error_string(e, NULL)`'s buffer.
    static BUF: RefCell<[u8; 256]> = const { RefCell::new([0; 256]) };
}

/// Returns the code and writes the out-parameters, keeping the strings alive in LAST.
fn report(
    e: Option<err::ErrEntry>,
    file: *mut *const c_char,
    line: *mut c_int,
    func: *mut *const c_char,
    data: *mut *const c_char,
    flags: *mut c_int,
) -> c_ulong {
    let Some(e) = e else { return 0 };
    let code = c_ulong::from(e.code);
    LAST.with(|l| {
        let f = CString::new(e.file).unwrap_or_default();
        let fun = CString::new(e.func).unwrap_or_default();
        let mut slot = l.borrow_mut();
        let (entry, f, fun) = slot.insert((e, f, fun));
        // SAFETY: each out-parameter is NULL or points to writable storage (ERR_* contract).
        unsafe {
            if !file.is_null() {
                *file = f.as_ptr();
            }
            if !line.is_null() {
                *line = entry.line as c_int;
            }
            if !func.is_null() {
                *func = fun.as_ptr();
            }
            if !data.is_null() {
                *data = entry.data.as_ref().map_or(c"".as_ptr(), |d| d.as_ptr());
            }
            if !flags.is_null() {
                *flags = if entry.data.is_some() { TXT_STRING } else { 0 };
            }
        }
    });
    code
}

fn null<T>() -> *mut T {
    std::ptr::null_mut()
}

entry! {
    /// Removes and returns the oldest error code (0 when the queue is empty).
    fn ERR_get_error() -> c_ulong { err::get().map_or(0, |e| c_ulong::from(e.code)) }
    /// The oldest error code, left in the queue.
    fn ERR_peek_error() -> c_ulong { c_ulong::from(err::peek_code()) }
    /// The newest error code, left in the queue.
    fn ERR_peek_last_error() -> c_ulong { err::peek_last().map_or(0, |e| c_ulong::from(e.code)) }
    /// `ERR_get_error` with file and line.
    fn ERR_get_error_line(file: *mut *const c_char, line: *mut c_int) -> c_ulong {
        report(err::get(), file, line, null(), null(), null())
    }
    /// `ERR_peek_error` with file and line.
    fn ERR_peek_error_line(file: *mut *const c_char, line: *mut c_int) -> c_ulong {
        report(err::peek(), file, line, null(), null(), null())
    }
    /// `ERR_peek_last_error` with file and line.
    fn ERR_peek_last_error_line(file: *mut *const c_char, line: *mut c_int) -> c_ulong {
        report(err::peek_last(), file, line, null(), null(), null())
    }
    /// `ERR_get_error` with file, line and data.
    fn ERR_get_error_line_data(
        file: *mut *const c_char,
        line: *mut c_int,
        data: *mut *const c_char,
        flags: *mut c_int
    ) -> c_ulong {
        report(err::get(), file, line, null(), data, flags)
    }
    /// OpenSSL 3's everything-at-once form.
    fn ERR_get_error_all(
        file: *mut *const c_char,
        line: *mut c_int,
        func: *mut *const c_char,
        data: *mut *const c_char,
        flags: *mut c_int
    ) -> c_ulong {
        report(err::get(), file, line, func, data, flags)
    }
    /// Empties the calling thread's queue.
    fn ERR_clear_error() { err::clear() }
    /// `error:0A000086:SSL routines::certificate verify failed` into `buf` (at least 256
    /// bytes) or, with NULL, a per-thread buffer.
    fn ERR_error_string(e: c_ulong, buf: *mut c_char) -> *mut c_char {
        let s = err::error_string(e as u32);
        if buf.is_null() {
            return BUF.with(|b| {
                let mut b = b.borrow_mut();
                // SAFETY: the thread-local buffer holds 256 bytes.
                unsafe { crate::openssl::copy_to_c(s.as_bytes(), b.as_mut_ptr().cast(), 256) };
                b.as_mut_ptr().cast()
            });
        }
        // SAFETY: ERR_error_string's contract: `buf` holds at least 256 bytes.
        unsafe { crate::openssl::copy_to_c(s.as_bytes(), buf, 256) };
        buf
    }
    /// The same into `buf` of `len` bytes; when it does not fit, OpenSSL's minimal form
    /// `err:<code>:<lib>:0:<reason>` (hex), truncated.
    fn ERR_error_string_n(e: c_ulong, buf: *mut c_char, len: size_t) {
        let mut s = err::error_string(e as u32);
        if s.len() + 1 >= len {
            let code = e as u32;
            s = format!("err:{:x}:{:x}:0:{:x}", code, err::lib_of(code), err::reason_of(code));
        }
        // SAFETY: `buf` is NULL or holds `len` bytes.
        unsafe { crate::openssl::copy_to_c(s.as_bytes(), buf, len) };
    }
    /// The library name (`SSL routines`), or NULL.
    fn ERR_lib_error_string(e: c_ulong) -> *const c_char {
        static_cstr(err::lib_string(e as u32).map(str::to_string))
    }
    /// Always NULL, as in OpenSSL 3 (function codes are gone).
    fn ERR_func_error_string(_e: c_ulong) -> *const c_char { std::ptr::null() }
    /// The reason (`certificate verify failed`), or NULL.
    fn ERR_reason_error_string(e: c_ulong) -> *const c_char {
        static_cstr(err::reason_string(e as u32))
    }
    /// Prints and empties the queue, one `tid:error:...:file:line:data` line per entry.
    fn ERR_print_errors_fp(fp: *mut libc::FILE) {
        for line in err::drain_print_lines() {
            if let Ok(c) = CString::new(line) {
                if !fp.is_null() {
                    // SAFETY: `fp` is a live FILE* (caller's contract); `c` is NUL-terminated.
                    unsafe { libc::fputs(c.as_ptr(), fp) };
                }
            }
        }
    }
    /// As `ERR_print_errors_fp`, to a BIO.
    fn ERR_print_errors(bp: *mut BIO) {
        for line in err::drain_print_lines() {
            // SAFETY: `bp` is NULL or a live BIO.
            if let Some(b) = unsafe { bp.as_mut() } {
                b.write(line.as_bytes());
            }
        }
    }
    /// As `ERR_print_errors_fp`, to a callback (stops when it returns <= 0).
    fn ERR_print_errors_cb(
        cb: Option<unsafe extern "C" fn(*const c_char, size_t, *mut c_void) -> c_int>,
        u: *mut c_void
    ) {
        for line in err::drain_print_lines() {
            let Some(cb) = cb else { continue };
            let c = CString::new(line).unwrap_or_default();
            // SAFETY: the caller's callback with its own argument.
            if unsafe { cb(c.as_ptr(), c.as_bytes().len(), u) } <= 0 {
                break;
            }
        }
    }
    /// Queues an error (deprecated in OpenSSL 3 but still exported there).
    fn ERR_put_error(lib: c_int, _func: c_int, reason: c_int, _file: *const c_char, line: c_int) {
        err::push_at(lib as u32, reason as u32, "", "", line as u32, None);
    }
}

/// Interns a string so its pointer stays valid for the life of the process (the set of
/// library and reason strings is small and fixed).
fn static_cstr(s: Option<String>) -> *const c_char {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static INTERNED: Mutex<Option<HashMap<String, &'static std::ffi::CStr>>> = Mutex::new(None);
    let Some(s) = s else { return std::ptr::null() };
    let mut map = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    let map = map.get_or_insert_with(HashMap::new);
    if let Some(c) = map.get(&s) {
        return c.as_ptr();
    }
    let leaked: &'static std::ffi::CStr =
        Box::leak(CString::new(s.clone()).unwrap_or_default().into_boxed_c_str());
    map.insert(s, leaked);
    leaked.as_ptr()
}
