//! `BIO_*`: creation, chaining, I/O, `BIO_ctrl` and the SSL filter.

use std::ffi::CStr;

use libc::{c_char, c_int, c_long, c_void, size_t};

use super::ssl_ctx::ctx_arc;
use crate::openssl::bio::{self, Io, Kind, BIO, BIO_METHOD};
use crate::openssl::err::{other_r, raise, LIB_BIO};
use crate::openssl::ssl::SSL;
use crate::openssl::ssl_ctx::{Side, SSL_CTX};

fn null<T>() -> *mut T {
    std::ptr::null_mut()
}

fn new_kind(method: &'static BIO_METHOD, kind: Kind) -> *mut BIO {
    BIO::new(method, kind).into_raw()
}

/// Copies `b`'s data into a Vec when it is a C string or (ptr, len).
fn owned_str(p: *const c_void) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the ctrl commands that take strings pass NUL-terminated ones.
    Some(unsafe { CStr::from_ptr(p.cast()) }.to_string_lossy().into_owned())
}

/// The SSL BIO's state machine (`BIO_do_handshake`) and retry flags.
fn ssl_handshake(b: &mut BIO, ssl: *mut SSL) -> c_long {
    b.clear_retry();
    // SAFETY: an SSL BIO's SSL is live while the BIO is.
    let Some(s) = (unsafe { ssl.as_ref() }) else { return -1 };
    let r = s.do_handshake();
    if r <= 0 {
        match s.get_error(r) {
            2 => b.flags |= bio::FLAGS_READ | bio::FLAGS_SHOULD_RETRY,
            3 => b.flags |= bio::FLAGS_WRITE | bio::FLAGS_SHOULD_RETRY,
            _ => {}
        }
    }
    c_long::from(r)
}

/// `BIO_ctrl` for one BIO; unknown commands on a filter go to the next BIO.
fn ctrl(p: *mut BIO, cmd: c_int, larg: c_long, parg: *mut c_void) -> c_long {
    // SAFETY: `p` is a live BIO (BIO_ctrl's contract), not otherwise borrowed now.
    let Some(b) = (unsafe { bio::bio_mut(p) }) else { return 0 };
    match (&mut b.kind, cmd) {
        // BIO_CTRL_RESET
        (Kind::Mem { data, pos, readonly, .. }, 1) => {
            if *readonly {
                *pos = 0;
            } else {
                data.clear();
                *pos = 0;
            }
            1
        }
        // BIO_CTRL_EOF
        (Kind::Mem { data, pos, .. }, 2) => c_long::from(*pos == data.len()),
        // BIO_CTRL_INFO = BIO_get_mem_data
        (Kind::Mem { data, pos, .. }, 3) => {
            if !parg.is_null() {
                // SAFETY: BIO_get_mem_data passes a `char **`; the pointer stays valid until
                // the next read or write on the BIO, as in OpenSSL.
                unsafe { *(parg as *mut *const u8) = data[*pos..].as_ptr() };
            }
            (data.len() - *pos) as c_long
        }
        // BIO_C_GET_BUF_MEM_PTR = BIO_get_mem_ptr: the unread bytes as a BUF_MEM owned by the BIO.
        (Kind::Mem { data, pos, view, .. }, 115) => {
            view.describe(&data[*pos..], data.capacity() - *pos);
            if !parg.is_null() {
                // SAFETY: BIO_get_mem_ptr passes a `BUF_MEM **`; the BUF_MEM lives in the BIO.
                unsafe { *(parg as *mut *mut crate::openssl::buf_mem::BUF_MEM) = &mut **view };
            }
            1
        }
        // BIO_C_SET_FILENAME = BIO_read_filename / write / append / rw: opens the file.
        (Kind::File { fp }, 108) => {
            let Some(name) = owned_str(parg) else { return 0 };
            // BIO_FP_READ 2, BIO_FP_WRITE 4, BIO_FP_APPEND 8 (OpenSSL's bio.h).
            let mode = match (larg & 2 != 0, larg & 4 != 0, larg & 8 != 0) {
                (r, _, true) => {
                    if r {
                        c"a+"
                    } else {
                        c"a"
                    }
                }
                (true, true, false) => c"r+",
                (false, true, false) => c"w",
                (true, false, false) => c"r",
                (false, false, false) => {
                    raise!(
                        LIB_BIO,
                        other_r::PASSED_INVALID_ARGUMENT,
                        "BIO_read_filename",
                        "no BIO_FP_* mode"
                    );
                    return 0;
                }
            };
            let Ok(cname) = std::ffi::CString::new(name.clone()) else { return 0 };
            // SAFETY: two NUL-terminated strings.
            let f = unsafe { libc::fopen(cname.as_ptr(), mode.as_ptr()) };
            if f.is_null() {
                let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::ENOENT);
                crate::openssl::err::push_system(
                    errno,
                    "BIO_read_filename",
                    format!("calling fopen({name}, {})", mode.to_string_lossy()),
                );
                raise!(LIB_BIO, other_r::SYS_LIB, "BIO_read_filename");
                return 0;
            }
            if b.close && !fp.is_null() {
                // SAFETY: a FILE* this BIO owned.
                unsafe { libc::fclose(*fp) };
            }
            *fp = f;
            b.close = larg & 1 != 0;
            1
        }
        // BIO_C_SET_BUF_MEM_EOF_RETURN
        (Kind::Mem { eof_return, .. }, 130) => {
            *eof_return = larg as c_int;
            1
        }
        // BIO_C_SET_FD
        (Kind::Fd { fd }, 104) => {
            if !parg.is_null() {
                // SAFETY: BIO_set_fd passes a pointer to the int descriptor.
                *fd = unsafe { *(parg as *const c_int) };
            }
            b.close = larg != 0;
            1
        }
        // BIO_C_GET_FD
        (Kind::Fd { fd } | Kind::Connect { fd, .. }, 105) => {
            let fd = *fd;
            if fd >= 0 && !parg.is_null() {
                // SAFETY: BIO_get_fd passes an `int *` (or NULL).
                unsafe { *(parg as *mut c_int) = fd };
            }
            c_long::from(fd)
        }
        // BIO_C_SET_FILE_PTR / GET_FILE_PTR
        (Kind::File { fp }, 106) => {
            *fp = parg.cast();
            b.close = larg & 1 != 0;
            1
        }
        (Kind::File { fp }, 107) => {
            if !parg.is_null() {
                // SAFETY: BIO_get_fp passes a `FILE **`.
                unsafe { *(parg as *mut *mut libc::FILE) = *fp };
            }
            1
        }
        (Kind::File { fp }, 11) => {
            if !fp.is_null() {
                // SAFETY: a live FILE*.
                unsafe { libc::fflush(*fp) };
            }
            1
        }
        // BIO_C_SET_CONNECT: 0 hostname (may hold ":port"), 1 port
        (Kind::Connect { host, port, .. }, 100) => {
            let Some(s) = owned_str(parg) else { return 0 };
            match larg {
                0 => *host = s,
                1 => *port = s,
                _ => return 0,
            }
            1
        }
        // BIO_C_SET_NBIO
        (Kind::Connect { nbio, .. }, 102) => {
            *nbio = larg != 0;
            1
        }
        (_, 102) => 1,
        // BIO_C_DO_STATE_MACHINE
        (Kind::Connect { .. }, 101) => match b.connect() {
            Ok(_) => 1,
            Err(_) => -1,
        },
        (Kind::Accept { .. }, 101) => match b.accept() {
            Ok(None) => 1,
            Ok(Some(conn)) => {
                let c = conn.into_raw();
                // Appends the accepted socket after the accept BIO, as OpenSSL does.
                let old = std::mem::replace(&mut b.next, c);
                // SAFETY: `c` was just allocated.
                unsafe { (*c).prev = p };
                if !old.is_null() {
                    let mut o = old;
                    while !o.is_null() {
                        o = bio::release(o);
                    }
                }
                1
            }
            Err(e) => {
                bio::set_errno(e);
                -1
            }
        },
        (Kind::Ssl { ssl }, 101) => {
            let ssl = *ssl;
            ssl_handshake(b, ssl)
        }
        // BIO_C_SET_ACCEPT: 0 = name/port
        (Kind::Accept { addr, .. }, 118) => {
            let Some(s) = owned_str(parg) else { return 0 };
            if larg == 0 || larg == 1 {
                *addr = s;
            }
            1
        }
        // BIO_C_SET_BIND_MODE: std's listener always sets SO_REUSEADDR (BIO_BIND_REUSEADDR).
        (Kind::Accept { .. }, 131) => 1,
        // BIO_C_SET_SSL
        (Kind::Ssl { ssl }, 109) => {
            *ssl = parg.cast();
            b.close = larg != 0;
            1
        }
        // BIO_C_GET_SSL
        (Kind::Ssl { ssl }, 110) => {
            if !parg.is_null() {
                // SAFETY: BIO_get_ssl passes an `SSL **`.
                unsafe { *(parg as *mut *mut SSL) = *ssl };
            }
            1
        }
        // BIO_C_SSL_MODE: 1 = client
        (Kind::Ssl { ssl }, 119) => {
            // SAFETY: the SSL BIO's SSL is live.
            if let Some(s) = unsafe { ssl.as_ref() } {
                let side = if larg != 0 { Side::Client } else { Side::Server };
                s.shared.is_server.set(side == Side::Server);
                s.with_inner(|i, _, _| i.set_side(side));
            }
            1
        }
        // BIO_CTRL_PUSH: the SSL reads and writes through the BIO after it.
        (Kind::Ssl { ssl }, 6) => {
            let next = b.next;
            // SAFETY: the SSL BIO's SSL is live.
            if let Some(s) = unsafe { ssl.as_ref() } {
                if !next.is_null() && next != s.with_inner(|i, _, _| i.rbio) {
                    // SAFETY: `next` is live (just pushed); set_bio consumes one reference.
                    unsafe { &*next }.up_ref();
                    s.with_inner(|i, _, _| i.set_bio(next, next));
                }
            }
            1
        }
        // BIO_CTRL_POP
        (Kind::Ssl { ssl }, 7) => {
            let next = b.next;
            // SAFETY: the SSL BIO's SSL is live.
            if let Some(s) = unsafe { ssl.as_ref() } {
                if !next.is_null() && next == s.with_inner(|i, _, _| i.rbio) {
                    s.with_inner(|i, _, _| i.set_bio(null(), null()));
                }
            }
            1
        }
        (Kind::Ssl { ssl }, 11) => {
            let _ = ssl;
            1
        }
        // BIO_C_SHUTDOWN_WR (pair)
        (Kind::Pair { .. }, 142) => {
            bio::pair_shutdown_wr(b);
            1
        }
        // BIO_C_GET_WRITE_GUARANTEE / BIO_C_GET_READ_REQUEST (pair)
        (Kind::Pair { .. }, 140) => (17 * 1024 - b.wpending().min(17 * 1024)) as c_long,
        (Kind::Pair { .. }, 141) => 0,
        // Generic: GET_CLOSE, SET_CLOSE, PENDING, WPENDING, FLUSH, PUSH/POP on sources.
        (_, 8) => c_long::from(b.close),
        (_, 9) => {
            b.close = larg != 0;
            1
        }
        (_, 10) => b.pending() as c_long,
        (_, 13) => b.wpending() as c_long,
        (_, 11) | (_, 6) | (_, 7) => 1,
        (Kind::Ssl { .. }, _) => {
            let next = b.next;
            if next.is_null() {
                0
            } else {
                ctrl(next, cmd, larg, parg)
            }
        }
        _ => 0,
    }
}

entry! {
    /// A BIO of the given method.
    fn BIO_new(method: *const BIO_METHOD) -> *mut BIO {
        let method: &'static BIO_METHOD = arg_ref!(method, null());
        let b = BIO::for_method(method).map_or(null(), BIO::into_raw);
        if let Some(create) = method.custom.and_then(|c| c.create) {
            // SAFETY: the program's create callback on the new BIO (OpenSSL calls it in BIO_new).
            if !b.is_null() && unsafe { create(b) } == 0 {
                // OpenSSL frees the BIO without calling destroy when create fails.
                // SAFETY: `b` came from into_raw above and nothing else refers to it.
                drop(unsafe { Box::from_raw(b) });
                return null();
            }
        }
        b
    }
    /// Gives back one reference; 1 (0 for NULL).
    fn BIO_free(b: *mut BIO) -> c_int {
        if b.is_null() {
            return 0;
        }
        bio::release(b);
        1
    }
    /// `BIO_free` without a result.
    fn BIO_vfree(b: *mut BIO) { bio::release(b); }
    /// Frees a whole chain (stopping at a BIO that is still referenced elsewhere).
    fn BIO_free_all(b: *mut BIO) {
        let mut p = b;
        while !p.is_null() {
            p = bio::release(p);
        }
    }
    /// Takes one more reference.
    fn BIO_up_ref(b: *mut BIO) -> c_int {
        arg_ref!(b, 0).up_ref();
        1
    }
    /// Bytes read, 0 at EOF, -1 on error or retry (`BIO_should_retry`).
    fn BIO_read(b: *mut BIO, data: *mut c_void, dlen: c_int) -> c_int {
        let bio = arg_mut!(b, -1);
        // SAFETY: `data` holds `dlen` writable bytes.
        let Some(buf) = (unsafe { crate::openssl::bytes_mut(data.cast(), dlen.max(0) as usize) }) else { return -1 };
        bio.read(buf).to_c()
    }
    /// Bytes written, or <= 0.
    fn BIO_write(b: *mut BIO, data: *const c_void, dlen: c_int) -> c_int {
        let bio = arg_mut!(b, -1);
        // SAFETY: `data` holds `dlen` readable bytes.
        let Some(buf) = (unsafe { crate::openssl::bytes(data.cast(), dlen.max(0) as usize) }) else { return -1 };
        bio.write(buf).to_c()
    }
    /// `BIO_read` with size_t: 1 and `*readbytes`, or 0.
    fn BIO_read_ex(b: *mut BIO, data: *mut c_void, dlen: size_t, readbytes: *mut size_t) -> c_int {
        let bio = arg_mut!(b, 0);
        // SAFETY: `data` holds `dlen` writable bytes.
        let Some(buf) = (unsafe { crate::openssl::bytes_mut(data.cast(), dlen) }) else { return 0 };
        let r = bio.read(buf);
        let n = if let Io::Done(n) = r { n } else { 0 };
        if !readbytes.is_null() {
            // SAFETY: a non-NULL out-parameter points to a size_t.
            unsafe { *readbytes = n };
        }
        c_int::from(n > 0)
    }
    /// `BIO_write` with size_t.
    fn BIO_write_ex(b: *mut BIO, data: *const c_void, dlen: size_t, written: *mut size_t) -> c_int {
        let bio = arg_mut!(b, 0);
        // SAFETY: `data` holds `dlen` readable bytes.
        let Some(buf) = (unsafe { crate::openssl::bytes(data.cast(), dlen) }) else { return 0 };
        let r = bio.write(buf);
        let n = if let Io::Done(n) = r { n } else { 0 };
        if !written.is_null() {
            // SAFETY: a non-NULL out-parameter points to a size_t.
            unsafe { *written = n };
        }
        c_int::from(n > 0 || dlen == 0)
    }
    /// Writes a C string.
    fn BIO_puts(b: *mut BIO, s: *const c_char) -> c_int {
        if let Some(f) = arg_ref!(b, -1).custom().and_then(|c| c.puts) {
            // SAFETY: the program's puts callback with its BIO and a C string.
            return unsafe { f(b, s) };
        }
        let bio = arg_mut!(b, -1);
        let s = arg_cstr!(s, -1);
        bio.write(s.to_bytes()).to_c()
    }
    /// Reads one line (up to `size - 1` bytes, keeping the newline), NUL-terminated.
    fn BIO_gets(b: *mut BIO, buf: *mut c_char, size: c_int) -> c_int {
        if let Some(c) = arg_ref!(b, -1).custom() {
            let Some(f) = c.gets else {
                raise!(LIB_BIO, other_r::BIO_UNSUPPORTED_METHOD, "BIO_gets");
                return -2;
            };
            // SAFETY: the program's gets callback with its BIO and buffer.
            return unsafe { f(b, buf, size) };
        }
        let bio = arg_mut!(b, -1);
        if buf.is_null() || size <= 0 {
            return -1;
        }
        let size = size as usize;
        let mut line = Vec::new();
        let mut last = Io::Eof;
        while line.len() + 1 < size {
            let mut byte = [0u8; 1];
            last = bio.read(&mut byte);
            match last {
                Io::Done(_) => {
                    line.push(byte[0]);
                    if byte[0] == b'\n' {
                        break;
                    }
                }
                _ => break,
            }
        }
        // SAFETY: `buf` holds `size` bytes.
        unsafe { crate::openssl::copy_to_c(&line, buf, size) };
        if line.is_empty() { last.to_c() } else { line.len() as c_int }
    }
    /// The control interface behind the BIO macros.
    fn BIO_ctrl(b: *mut BIO, cmd: c_int, larg: c_long, parg: *mut c_void) -> c_long {
        if b.is_null() {
            return 0;
        }
        if let Some(c) = arg_ref!(b, 0).custom() {
            // A custom method answers every control itself; without a ctrl callback OpenSSL
            // says "unsupported method" and returns -2.
            let Some(f) = c.ctrl else {
                raise!(LIB_BIO, other_r::BIO_UNSUPPORTED_METHOD, "BIO_ctrl");
                return -2;
            };
            // SAFETY: the program's ctrl callback with its own BIO and arguments.
            return unsafe { f(b, cmd, larg, parg) };
        }
        ctrl(b, cmd, larg, parg)
    }
    /// `BIO_ctrl` with an int argument.
    fn BIO_int_ctrl(b: *mut BIO, cmd: c_int, larg: c_long, iarg: c_int) -> c_long {
        let mut i = iarg;
        BIO_ctrl(b, cmd, larg, (&mut i as *mut c_int).cast())
    }
    /// `BIO_ctrl` returning a pointer.
    fn BIO_ptr_ctrl(b: *mut BIO, cmd: c_int, larg: c_long) -> *mut c_char {
        let mut p: *mut c_char = null();
        if BIO_ctrl(b, cmd, larg, (&mut p as *mut *mut c_char).cast()) <= 0 {
            return null();
        }
        p
    }
    /// `BIO_pending` as a function.
    fn BIO_ctrl_pending(b: *mut BIO) -> size_t {
        if arg_ref!(b, 0).custom().is_some() {
            // BIO_CTRL_PENDING through the program's ctrl.
            return BIO_ctrl(b, 10, 0, null()).max(0) as size_t;
        }
        arg_ref!(b, 0).pending()
    }
    /// `BIO_wpending` as a function.
    fn BIO_ctrl_wpending(b: *mut BIO) -> size_t {
        if arg_ref!(b, 0).custom().is_some() {
            // BIO_CTRL_WPENDING through the program's ctrl.
            return BIO_ctrl(b, 13, 0, null()).max(0) as size_t;
        }
        arg_ref!(b, 0).wpending()
    }
    /// Tests flags (`BIO_should_retry` and friends are macros over this).
    fn BIO_test_flags(b: *const BIO, flags: c_int) -> c_int { arg_ref!(b, 0).flags & flags }
    /// Sets flags.
    fn BIO_set_flags(b: *mut BIO, flags: c_int) { arg_mut!(b, ()).flags |= flags }
    /// Clears flags.
    fn BIO_clear_flags(b: *mut BIO, flags: c_int) { arg_mut!(b, ()).flags &= !flags }
    /// `BIO_TYPE_*`.
    fn BIO_method_type(b: *const BIO) -> c_int { arg_ref!(b, 0).method.typ }
    /// The method's name.
    fn BIO_method_name(b: *const BIO) -> *const c_char { arg_ref!(b, std::ptr::null()).method.name.as_ptr() }
    /// Appends `append` after `b`'s chain; returns `b`.
    fn BIO_push(b: *mut BIO, append: *mut BIO) -> *mut BIO {
        if b.is_null() {
            return append;
        }
        let mut last = b;
        // SAFETY: a chain of live BIOs.
        while let Some(n) = unsafe { last.as_ref() }.map(|x| x.next).filter(|n| !n.is_null()) {
            last = n;
        }
        // SAFETY: `last` and `append` are live BIOs.
        unsafe {
            (*last).next = append;
            if !append.is_null() {
                (*append).prev = last;
            }
        }
        let mut p = b;
        while !p.is_null() && p != append {
            ctrl(p, 6, 0, append.cast());
            // SAFETY: live chain.
            p = unsafe { (*p).next };
        }
        b
    }
    /// Unlinks `b` from its chain; returns the BIO that followed it.
    fn BIO_pop(b: *mut BIO) -> *mut BIO {
        if b.is_null() {
            return null();
        }
        ctrl(b, 7, 0, b.cast());
        // SAFETY: `b` is live; its neighbours too.
        unsafe {
            let next = (*b).next;
            let prev = (*b).prev;
            if !prev.is_null() {
                (*prev).next = next;
            }
            if !next.is_null() {
                (*next).prev = prev;
            }
            (*b).next = null();
            (*b).prev = null();
            next
        }
    }
    /// The next BIO in the chain.
    fn BIO_next(b: *mut BIO) -> *mut BIO { arg_ref!(b, null()).next }
    /// The first BIO in the chain of the given type (or type class, when the low byte is 0).
    fn BIO_find_type(b: *mut BIO, typ: c_int) -> *mut BIO {
        let mut p = b;
        while !p.is_null() {
            // SAFETY: live chain.
            let x = unsafe { &*p };
            let mt = x.method.typ;
            if (typ & 0xff != 0 && mt == typ) || (typ & 0xff == 0 && mt & typ != 0) {
                return p;
            }
            p = x.next;
        }
        null()
    }
    /// Application data.
    fn BIO_set_data(b: *mut BIO, ptr: *mut c_void) { arg_mut!(b, ()).app_data = ptr }
    /// Application data.
    fn BIO_get_data(b: *mut BIO) -> *mut c_void { arg_ref!(b, null()).app_data }

    /// Memory BIO.
    fn BIO_s_mem() -> *const BIO_METHOD { &bio::METHOD_MEM }
    /// A read-only memory BIO over a copy of `buf` (`len` -1: a C string).
    fn BIO_new_mem_buf(buf: *const c_void, len: c_int) -> *mut BIO {
        if buf.is_null() {
            return null();
        }
        let data = if len < 0 {
            // SAFETY: len -1 means `buf` is a NUL-terminated string.
            unsafe { CStr::from_ptr(buf.cast()) }.to_bytes().to_vec()
        } else {
            // SAFETY: `buf` holds `len` bytes.
            match unsafe { crate::openssl::bytes(buf.cast(), len as usize) } {
                Some(b) => b.to_vec(),
                None => return null(),
            }
        };
        new_kind(&bio::METHOD_MEM, Kind::Mem { data, pos: 0, readonly: true, eof_return: 0, view: Box::default() })
    }
    /// Socket BIO.
    fn BIO_s_socket() -> *const BIO_METHOD { &bio::METHOD_SOCKET }
    /// A socket BIO for `sock` (closed on free with `BIO_CLOSE`).
    fn BIO_new_socket(sock: c_int, close_flag: c_int) -> *mut BIO {
        let mut b = BIO::new(&bio::METHOD_SOCKET, Kind::Fd { fd: sock });
        b.close = close_flag != 0;
        b.into_raw()
    }
    /// File-descriptor BIO.
    fn BIO_s_fd() -> *const BIO_METHOD { &bio::METHOD_FD }
    /// A descriptor BIO for `fd`.
    fn BIO_new_fd(fd: c_int, close_flag: c_int) -> *mut BIO {
        let mut b = BIO::new(&bio::METHOD_FD, Kind::Fd { fd });
        b.close = close_flag != 0;
        b.into_raw()
    }
    /// `FILE *` BIO.
    fn BIO_s_file() -> *const BIO_METHOD { &bio::METHOD_FILE }
    /// A BIO over `stream` (`BIO_CLOSE`: fclose on free).
    fn BIO_new_fp(stream: *mut libc::FILE, close_flag: c_int) -> *mut BIO {
        let mut b = BIO::new(&bio::METHOD_FILE, Kind::File { fp: stream });
        b.close = close_flag & 1 != 0;
        b.into_raw()
    }
    /// `fopen(filename, mode)` as a BIO.
    fn BIO_new_file(filename: *const c_char, mode: *const c_char) -> *mut BIO {
        if filename.is_null() || mode.is_null() {
            return null();
        }
        // SAFETY: both are NUL-terminated strings.
        let fp = unsafe { libc::fopen(filename, mode) };
        if fp.is_null() {
            return null();
        }
        new_kind(&bio::METHOD_FILE, Kind::File { fp })
    }
    /// Connect BIO.
    fn BIO_s_connect() -> *const BIO_METHOD { &bio::METHOD_CONNECT }
    /// A BIO that connects to `host_port` (`host:port`) on first use or `BIO_do_connect`.
    fn BIO_new_connect(host_port: *const c_char) -> *mut BIO {
        let host = owned_str(host_port.cast()).unwrap_or_default();
        new_kind(&bio::METHOD_CONNECT, Kind::Connect { host, port: String::new(), fd: -1, nbio: false })
    }
    /// Accept BIO.
    fn BIO_s_accept() -> *const BIO_METHOD { &bio::METHOD_ACCEPT }
    /// A BIO that listens on `host_port` at the first `BIO_do_accept` and accepts at the next.
    fn BIO_new_accept(host_port: *const c_char) -> *mut BIO {
        let addr = owned_str(host_port.cast()).unwrap_or_default();
        new_kind(&bio::METHOD_ACCEPT, Kind::Accept { addr, listener: None })
    }
    /// Null BIO.
    fn BIO_s_null() -> *const BIO_METHOD { &bio::METHOD_NULL }
    /// SSL filter BIO.
    fn BIO_f_ssl() -> *const BIO_METHOD { &bio::METHOD_SSL }
    /// An SSL filter BIO with a new `SSL` from `ctx` (client when `client` != 0).
    fn BIO_new_ssl(ctx: *mut SSL_CTX, client: c_int) -> *mut BIO {
        if ctx.is_null() {
            return null();
        }
        // SAFETY: `ctx` is a live SSL_CTX.
        let ssl = SSL::new(unsafe { ctx_arc(ctx) });
        let side = if client != 0 { Side::Client } else { Side::Server };
        ssl.shared.is_server.set(side == Side::Server);
        ssl.with_inner(|s, _, _| s.set_side(side));
        let mut b = BIO::new(&bio::METHOD_SSL, Kind::Ssl { ssl: Box::into_raw(ssl) });
        b.close = true;
        b.into_raw()
    }
    /// An SSL client BIO chained to a connect BIO (set its host with `BIO_set_conn_hostname`).
    fn BIO_new_ssl_connect(ctx: *mut SSL_CTX) -> *mut BIO {
        let s = BIO_new_ssl(ctx, 1);
        if s.is_null() {
            return null();
        }
        let c = new_kind(&bio::METHOD_CONNECT, Kind::Connect { host: String::new(), port: String::new(), fd: -1, nbio: false });
        BIO_push(s, c)
    }
    /// Two connected BIOs with write buffers of `writebuf1` / `writebuf2` bytes (0: default).
    fn BIO_new_bio_pair(bio1: *mut *mut BIO, writebuf1: size_t, bio2: *mut *mut BIO, writebuf2: size_t) -> c_int {
        if bio1.is_null() || bio2.is_null() {
            return 0;
        }
        let (a, b) = bio::new_pair(writebuf1, writebuf2);
        // SAFETY: both out-parameters point to writable `BIO *` slots.
        unsafe {
            *bio1 = a.into_raw();
            *bio2 = b.into_raw();
        }
        1
    }
}

static NEXT_TYPE_INDEX: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(128);

macro_rules! meth_setter {
    ($($name:ident, $field:ident, $t:ty;)*) => {
        entry! {$(
            /// Sets one callback of a `BIO_meth_new` method; 1, or 0 for a built-in method.
            fn $name(m: *mut BIO_METHOD, f: $t) -> c_int {
                match arg_mut!(m, 0).custom.as_mut() {
                    Some(c) => {
                        c.$field = f;
                        1
                    }
                    None => 0,
                }
            }
        )*}
    };
}

type BioWrite = Option<unsafe extern "C" fn(*mut BIO, *const c_char, c_int) -> c_int>;
type BioWriteEx = Option<unsafe extern "C" fn(*mut BIO, *const c_char, usize, *mut usize) -> c_int>;
type BioRead = Option<unsafe extern "C" fn(*mut BIO, *mut c_char, c_int) -> c_int>;
type BioReadEx = Option<unsafe extern "C" fn(*mut BIO, *mut c_char, usize, *mut usize) -> c_int>;
type BioPuts = Option<unsafe extern "C" fn(*mut BIO, *const c_char) -> c_int>;
type BioCtrl = Option<unsafe extern "C" fn(*mut BIO, c_int, c_long, *mut c_void) -> c_long>;
type BioLife = Option<unsafe extern "C" fn(*mut BIO) -> c_int>;
type BioCallbackCtrl = Option<unsafe extern "C" fn(*mut BIO, c_int, *mut c_void) -> c_long>;

meth_setter! {
    BIO_meth_set_write, write, BioWrite;
    BIO_meth_set_write_ex, write_ex, BioWriteEx;
    BIO_meth_set_read, read, BioRead;
    BIO_meth_set_read_ex, read_ex, BioReadEx;
    BIO_meth_set_puts, puts, BioPuts;
    BIO_meth_set_gets, gets, BioRead;
    BIO_meth_set_ctrl, ctrl, BioCtrl;
    BIO_meth_set_create, create, BioLife;
    BIO_meth_set_destroy, destroy, BioLife;
    BIO_meth_set_callback_ctrl, callback_ctrl, BioCallbackCtrl;
}

entry! {
    /// A fresh BIO type number (128 and up, as OpenSSL hands them out); combine it with
    /// `BIO_TYPE_SOURCE_SINK` or `BIO_TYPE_FILTER`.
    fn BIO_get_new_index() -> c_int { NEXT_TYPE_INDEX.fetch_add(1, std::sync::atomic::Ordering::Relaxed) }
    /// A method with no callbacks yet; `name` is copied.
    fn BIO_meth_new(typ: c_int, name: *const c_char) -> *mut BIO_METHOD {
        let name: &'static std::ffi::CStr = if name.is_null() {
            c""
        } else {
            Box::leak(arg_cstr!(name, null()).to_owned().into_boxed_c_str())
        };
        Box::into_raw(Box::new(BIO_METHOD { typ, name, custom: Some(bio::Custom::default()) }))
    }
    /// Frees a `BIO_meth_new` method (no BIO may still use it); built-in methods are left alone.
    fn BIO_meth_free(m: *mut BIO_METHOD) {
        if m.is_null() || arg_ref!(m, ()).custom.is_none() {
            return;
        }
        // SAFETY: `m` came from BIO_meth_new (it has callbacks) and is not used afterwards.
        let m = unsafe { Box::from_raw(m) };
        if !m.name.is_empty() {
            // SAFETY: a non-empty name was leaked from a Box<CStr> in BIO_meth_new.
            drop(unsafe { Box::from_raw(m.name as *const std::ffi::CStr as *mut std::ffi::CStr) });
        }
    }
    /// Marks a custom BIO ready for I/O (its create callback usually does this).
    fn BIO_set_init(b: *mut BIO, init: c_int) { arg_mut!(b, ()).init = init != 0 }
    /// Whether the BIO is ready for I/O.
    fn BIO_get_init(b: *mut BIO) -> c_int { c_int::from(arg_ref!(b, 0).init) }
    /// Bytes read through this BIO so far (0 for NULL).
    fn BIO_number_read(b: *mut BIO) -> u64 { arg_ref!(b, 0).num_read }
    /// Bytes written through this BIO so far (0 for NULL).
    fn BIO_number_written(b: *mut BIO) -> u64 { arg_ref!(b, 0).num_write }
    /// Sets the close-on-free flag (`BIO_CLOSE`/`BIO_NOCLOSE`).
    fn BIO_set_shutdown(b: *mut BIO, shut: c_int) { arg_mut!(b, ()).close = shut != 0 }
    /// The close-on-free flag.
    fn BIO_get_shutdown(b: *mut BIO) -> c_int { c_int::from(arg_ref!(b, 0).close) }
}
