//! `BIO_ADDR_*`, `BIO_ADDRINFO_*`, `BIO_lookup(_ex)` and the socket helpers (`BIO_socket`,
//! `BIO_connect`, `BIO_listen`, `BIO_accept_ex`, `BIO_closesocket`, ...).

use std::ffi::CStr;

use libc::{c_char, c_int, c_uchar, c_ushort, c_void, size_t};

use crate::openssl::addr::{self, BIO_ADDR, BIO_ADDRINFO};

fn null<T>() -> *mut T {
    std::ptr::null_mut()
}

fn opt_cstr<'a>(p: *const c_char) -> Option<&'a CStr> {
    // SAFETY: string arguments are NULL or NUL-terminated (the OpenSSL contract).
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) })
}

/// A malloc'd copy of `s` that C frees with `OPENSSL_free`.
fn malloc_string(s: Option<String>) -> *mut c_char {
    let Some(c) = s.and_then(addr::c_string) else { return null() };
    // SAFETY: `c` is NUL-terminated; strdup allocates with malloc, which CRYPTO_free frees.
    unsafe { libc::strdup(c.as_ptr()) }
}

entry! {
    /// `BIO_lookup_ex`: 1 and the list in `*res`, or 0 with an error queued.
    fn BIO_lookup_ex(host: *const c_char, service: *const c_char, lookup_type: c_int, family: c_int,
                     socktype: c_int, protocol: c_int, res: *mut *mut BIO_ADDRINFO) -> c_int {
        if res.is_null() {
            return 0;
        }
        let list = addr::lookup(opt_cstr(host), opt_cstr(service), lookup_type, family, socktype, protocol);
        if list.is_null() {
            return 0;
        }
        // SAFETY: `res` is a writable out-parameter.
        unsafe { *res = list };
        1
    }
    /// `BIO_lookup`: `BIO_lookup_ex` with protocol 0.
    fn BIO_lookup(host: *const c_char, service: *const c_char, lookup_type: c_int, family: c_int,
                  socktype: c_int, res: *mut *mut BIO_ADDRINFO) -> c_int {
        BIO_lookup_ex(host, service, lookup_type, family, socktype, 0, res)
    }
    /// The next result, or NULL.
    fn BIO_ADDRINFO_next(bai: *const BIO_ADDRINFO) -> *const BIO_ADDRINFO { arg_ref!(bai, std::ptr::null()).next }
    /// `AF_*` of a result.
    fn BIO_ADDRINFO_family(bai: *const BIO_ADDRINFO) -> c_int { arg_ref!(bai, 0).family }
    /// `SOCK_*` of a result.
    fn BIO_ADDRINFO_socktype(bai: *const BIO_ADDRINFO) -> c_int { arg_ref!(bai, 0).socktype }
    /// Protocol of a result.
    fn BIO_ADDRINFO_protocol(bai: *const BIO_ADDRINFO) -> c_int { arg_ref!(bai, 0).protocol }
    /// The address of a result (owned by the list).
    fn BIO_ADDRINFO_address(bai: *const BIO_ADDRINFO) -> *const BIO_ADDR { &arg_ref!(bai, std::ptr::null()).addr }
    /// Frees the whole list.
    fn BIO_ADDRINFO_free(bai: *mut BIO_ADDRINFO) { addr::free_list(bai) }

    /// An empty address.
    fn BIO_ADDR_new() -> *mut BIO_ADDR { Box::into_raw(Box::default()) }
    /// Frees an address made by `BIO_ADDR_new`.
    fn BIO_ADDR_free(a: *mut BIO_ADDR) {
        if !a.is_null() {
            // SAFETY: `a` came from BIO_ADDR_new.
            drop(unsafe { Box::from_raw(a) });
        }
    }
    /// Makes the address empty (`AF_UNSPEC`).
    fn BIO_ADDR_clear(a: *mut BIO_ADDR) { *arg_mut!(a, ()) = BIO_ADDR::default() }
    /// `AF_*`.
    fn BIO_ADDR_family(a: *const BIO_ADDR) -> c_int { arg_ref!(a, libc::AF_UNSPEC).family() }
    /// Sets the address from raw bytes in network order; 1, or 0 for a bad family or length.
    fn BIO_ADDR_rawmake(a: *mut BIO_ADDR, family: c_int, where_: *const c_void, wherelen: size_t, port: c_ushort) -> c_int {
        let target = arg_mut!(a, 0);
        // SAFETY: `where_` holds `wherelen` readable bytes.
        let Some(raw) = (unsafe { crate::openssl::bytes(where_.cast(), wherelen) }) else { return 0 };
        match BIO_ADDR::make(family, raw, port) {
            Some(made) => {
                *target = made;
                1
            }
            None => 0,
        }
    }
    /// The raw address bytes: 1 and `*l` (and the bytes when `p` is not NULL), or 0.
    fn BIO_ADDR_rawaddress(a: *const BIO_ADDR, p: *mut c_void, l: *mut size_t) -> c_int {
        let Some(raw) = arg_ref!(a, 0).raw_address() else { return 0 };
        if !p.is_null() {
            // SAFETY: the caller sized `p` from a first call with NULL (the documented usage).
            unsafe { std::ptr::copy_nonoverlapping(raw.as_ptr(), p.cast::<c_uchar>(), raw.len()) };
        }
        if !l.is_null() {
            // SAFETY: writable out-parameter.
            unsafe { *l = raw.len() };
        }
        1
    }
    /// The port in network order.
    fn BIO_ADDR_rawport(a: *const BIO_ADDR) -> c_ushort { arg_ref!(a, 0).raw_port() }
    /// The host as text (free with `OPENSSL_free`), numeric when `numeric` != 0.
    fn BIO_ADDR_hostname_string(a: *const BIO_ADDR, numeric: c_int) -> *mut c_char {
        malloc_string(arg_ref!(a, null()).host(numeric != 0))
    }
    /// The service (port) as text (free with `OPENSSL_free`).
    fn BIO_ADDR_service_string(a: *const BIO_ADDR, numeric: c_int) -> *mut c_char {
        malloc_string(arg_ref!(a, null()).service(numeric != 0))
    }
    /// The path of an `AF_UNIX` address (free with `OPENSSL_free`).
    fn BIO_ADDR_path_string(a: *const BIO_ADDR) -> *mut c_char {
        let a = arg_ref!(a, null());
        if a.family() != libc::AF_UNIX {
            return null();
        }
        malloc_string(a.raw_address().map(|p| String::from_utf8_lossy(&p).into_owned()))
    }

    /// A new socket, or -1 (`INVALID_SOCKET`) with an error queued.
    fn BIO_socket(domain: c_int, socktype: c_int, protocol: c_int, _options: c_int) -> c_int {
        addr::socket(domain, socktype, protocol)
    }
    /// Connects `sock` to `a` after applying `BIO_SOCK_*` options; 1 or 0.
    fn BIO_connect(sock: c_int, a: *const BIO_ADDR, options: c_int) -> c_int {
        c_int::from(addr::connect(sock, arg_ref!(a, 0), options))
    }
    /// Binds `sock` to `a`; 1 or 0.
    fn BIO_bind(sock: c_int, a: *const BIO_ADDR, options: c_int) -> c_int {
        c_int::from(addr::bind(sock, arg_ref!(a, 0), options))
    }
    /// Binds and listens; 1 or 0.
    fn BIO_listen(sock: c_int, a: *const BIO_ADDR, options: c_int) -> c_int {
        c_int::from(addr::listen(sock, arg_ref!(a, 0), options))
    }
    /// Accepts a connection: the new socket (peer address in `*a` when not NULL), or -1.
    fn BIO_accept_ex(accept_sock: c_int, a: *mut BIO_ADDR, options: c_int) -> c_int {
        // SAFETY: `a` is NULL or a live BIO_ADDR.
        addr::accept(accept_sock, unsafe { a.as_mut() }, options)
    }
    /// Closes a socket; 1 or 0.
    fn BIO_closesocket(sock: c_int) -> c_int { c_int::from(addr::close(sock)) }
    /// Non-blocking mode on (`mode` != 0) or off; 1 or 0.
    fn BIO_socket_nbio(sock: c_int, mode: c_int) -> c_int { c_int::from(addr::set_nbio(sock, mode != 0)) }
    /// The socket's pending error (`SO_ERROR`).
    fn BIO_sock_error(sock: c_int) -> c_int { addr::sock_error(sock) }
    /// Whether the last socket call's errno means "try again" (for `i` <= 0).
    fn BIO_sock_should_retry(i: c_int) -> c_int {
        if i != 0 && i != -1 {
            return 0;
        }
        let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        c_int::from(addr::should_retry_errno(e))
    }
    /// Whether `err` is an errno a non-blocking socket call may return without failing.
    fn BIO_sock_non_fatal_error(err: c_int) -> c_int { c_int::from(addr::should_retry_errno(err)) }
    /// Nothing to initialise on POSIX systems: 1.
    fn BIO_sock_init() -> c_int { 1 }
    /// `TCP_NODELAY` on or off; 1 or 0.
    fn BIO_set_tcp_ndelay(sock: c_int, turn_on: c_int) -> c_int {
        let on: c_int = c_int::from(turn_on != 0);
        // SAFETY: `on` is a readable int for the call.
        let r = unsafe {
            libc::setsockopt(sock, libc::IPPROTO_TCP, libc::TCP_NODELAY, (&on as *const c_int).cast(),
                             std::mem::size_of::<c_int>() as libc::socklen_t)
        };
        c_int::from(r == 0)
    }
}
