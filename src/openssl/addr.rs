//! `BIO_ADDR` / `BIO_ADDRINFO` and OpenSSL's thin socket helpers (`BIO_lookup_ex`, `BIO_socket`,
//! `BIO_connect`, `BIO_listen`, `BIO_accept_ex`, `BIO_closesocket`, `BIO_socket_nbio`), as
//! OpenSSL 3.0's `crypto/bio/bio_addr.c` and `bio_sock2.c` define them: the same calls to the
//! system's socket API, the same `BIO_SOCK_*` options, failures queued on the error stack with
//! the system's errno.

use std::ffi::{CStr, CString};
use std::mem::size_of;

use libc::{c_int, sockaddr, sockaddr_in, sockaddr_in6, sockaddr_storage, socklen_t};

use super::err::{self, raise};

/// `BIO_SOCK_REUSEADDR`.
pub const SOCK_REUSEADDR: c_int = 0x01;
/// `BIO_SOCK_V6_ONLY`.
pub const SOCK_V6_ONLY: c_int = 0x02;
/// `BIO_SOCK_KEEPALIVE`.
pub const SOCK_KEEPALIVE: c_int = 0x04;
/// `BIO_SOCK_NONBLOCK`.
pub const SOCK_NONBLOCK: c_int = 0x08;
/// `BIO_SOCK_NODELAY`.
pub const SOCK_NODELAY: c_int = 0x10;

/// `BIO_LOOKUP_SERVER`: addresses to bind to (`AI_PASSIVE`).
pub const LOOKUP_SERVER: c_int = 1;

/// BIO reason codes (OpenSSL 3.0 `bioerr.h`) this file raises.
pub mod reason {
    #![allow(missing_docs)]
    pub const ACCEPT_ERROR: u32 = 100;
    pub const CONNECT_ERROR: u32 = 103;
    pub const GETSOCKNAME_ERROR: u32 = 132;
    pub const LOOKUP_RETURNED_NOTHING: u32 = 142;
    pub const UNABLE_TO_BIND_SOCKET: u32 = 117;
    pub const UNABLE_TO_CREATE_SOCKET: u32 = 118;
    pub const UNABLE_TO_KEEPALIVE: u32 = 137;
    pub const UNABLE_TO_LISTEN_SOCKET: u32 = 119;
    pub const UNABLE_TO_NODELAY: u32 = 138;
    pub const UNABLE_TO_REUSEADDR: u32 = 139;
    pub const UNSUPPORTED_PROTOCOL_FAMILY: u32 = 131;
}

/// OpenSSL's text for the BIO reasons above (`ERR_reason_error_string`).
pub fn reason_text(r: u32) -> Option<&'static str> {
    Some(match r {
        reason::ACCEPT_ERROR => "accept error",
        reason::CONNECT_ERROR => "connect error",
        reason::GETSOCKNAME_ERROR => "getsockname error",
        reason::LOOKUP_RETURNED_NOTHING => "lookup returned nothing",
        reason::UNABLE_TO_BIND_SOCKET => "unable to bind socket",
        reason::UNABLE_TO_CREATE_SOCKET => "unable to create socket",
        reason::UNABLE_TO_KEEPALIVE => "unable to keepalive",
        reason::UNABLE_TO_LISTEN_SOCKET => "unable to listen socket",
        reason::UNABLE_TO_NODELAY => "unable to nodelay",
        reason::UNABLE_TO_REUSEADDR => "unable to reuseaddr",
        reason::UNSUPPORTED_PROTOCOL_FAMILY => "unsupported protocol family",
        _ => return None,
    })
}

/// `BIO_ADDR`: one socket address (IPv4, IPv6 or a Unix path).
#[derive(Clone)]
pub struct BIO_ADDR {
    storage: sockaddr_storage,
    len: socklen_t,
}

impl std::fmt::Debug for BIO_ADDR {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BIO_ADDR").field("family", &self.family()).field("host", &self.host(true)).finish()
    }
}

impl Default for BIO_ADDR {
    fn default() -> Self {
        // SAFETY: sockaddr_storage is plain data; all-zero is AF_UNSPEC.
        Self { storage: unsafe { std::mem::zeroed() }, len: 0 }
    }
}

impl BIO_ADDR {
    /// A copy of `len` bytes of a `sockaddr` the system handed out.
    ///
    /// # Safety
    /// `sa` points to `len` readable bytes of a socket address.
    pub unsafe fn from_raw(sa: *const sockaddr, len: socklen_t) -> Self {
        let mut a = Self::default();
        let n = (len as usize).min(size_of::<sockaddr_storage>());
        // SAFETY: `sa` holds `len` bytes (caller); `storage` is large enough for `n`.
        unsafe {
            std::ptr::copy_nonoverlapping(
                sa.cast::<u8>(),
                (&mut a.storage as *mut sockaddr_storage).cast(),
                n,
            )
        };
        a.len = n as socklen_t;
        a
    }

    /// The address as `(sockaddr *, socklen_t)` for the system calls.
    pub fn as_raw(&self) -> (*const sockaddr, socklen_t) {
        ((&self.storage as *const sockaddr_storage).cast(), self.len)
    }

    /// Room for the system to write an address into (`accept`, `getsockname`).
    pub fn as_raw_mut(&mut self) -> (*mut sockaddr, *mut socklen_t) {
        self.len = size_of::<sockaddr_storage>() as socklen_t;
        ((&mut self.storage as *mut sockaddr_storage).cast(), &mut self.len)
    }

    /// `BIO_ADDR_family`: `AF_INET`, `AF_INET6`, `AF_UNIX` or `AF_UNSPEC`.
    pub fn family(&self) -> c_int {
        if self.len == 0 {
            libc::AF_UNSPEC
        } else {
            c_int::from(self.storage.ss_family)
        }
    }

    /// `BIO_ADDR_rawmake`: an address from raw bytes in network order.
    pub fn make(family: c_int, raw: &[u8], port_be: u16) -> Option<Self> {
        let mut a = Self::default();
        match family {
            libc::AF_INET if raw.len() == 4 => {
                // SAFETY: storage is large and aligned enough for a sockaddr_in.
                let sin = unsafe { &mut *(&mut a.storage as *mut sockaddr_storage).cast::<sockaddr_in>() };
                sin.sin_family = libc::AF_INET as libc::sa_family_t;
                sin.sin_port = port_be;
                sin.sin_addr.s_addr = u32::from_ne_bytes(raw.try_into().ok()?);
                a.len = size_of::<sockaddr_in>() as socklen_t;
            }
            libc::AF_INET6 if raw.len() == 16 => {
                // SAFETY: storage is large and aligned enough for a sockaddr_in6.
                let sin6 = unsafe { &mut *(&mut a.storage as *mut sockaddr_storage).cast::<sockaddr_in6>() };
                sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                sin6.sin6_port = port_be;
                sin6.sin6_addr.s6_addr.copy_from_slice(raw);
                a.len = size_of::<sockaddr_in6>() as socklen_t;
            }
            libc::AF_UNIX if raw.len() < 108 => {
                // SAFETY: storage is large and aligned enough for a sockaddr_un.
                let sun =
                    unsafe { &mut *(&mut a.storage as *mut sockaddr_storage).cast::<libc::sockaddr_un>() };
                sun.sun_family = libc::AF_UNIX as libc::sa_family_t;
                for (d, s) in sun.sun_path.iter_mut().zip(raw) {
                    *d = *s as libc::c_char;
                }
                a.len = size_of::<libc::sockaddr_un>() as socklen_t;
            }
            _ => return None,
        }
        Some(a)
    }

    /// `BIO_ADDR_rawaddress`: the address bytes in network order (the path for `AF_UNIX`).
    pub fn raw_address(&self) -> Option<Vec<u8>> {
        let p = (&self.storage as *const sockaddr_storage).cast::<u8>();
        match self.family() {
            libc::AF_INET => {
                // SAFETY: an AF_INET address is a sockaddr_in.
                let sin = unsafe { &*p.cast::<sockaddr_in>() };
                Some(sin.sin_addr.s_addr.to_ne_bytes().to_vec())
            }
            libc::AF_INET6 => {
                // SAFETY: an AF_INET6 address is a sockaddr_in6.
                let sin6 = unsafe { &*p.cast::<sockaddr_in6>() };
                Some(sin6.sin6_addr.s6_addr.to_vec())
            }
            libc::AF_UNIX => {
                // SAFETY: an AF_UNIX address is a sockaddr_un.
                let sun = unsafe { &*p.cast::<libc::sockaddr_un>() };
                Some(sun.sun_path.iter().take_while(|c| **c != 0).map(|c| *c as u8).collect())
            }
            _ => None,
        }
    }

    /// `BIO_ADDR_rawport`: the port in network order (0 for other families).
    pub fn raw_port(&self) -> u16 {
        let p = (&self.storage as *const sockaddr_storage).cast::<u8>();
        match self.family() {
            // SAFETY: an AF_INET address is a sockaddr_in.
            libc::AF_INET => unsafe { &*p.cast::<sockaddr_in>() }.sin_port,
            // SAFETY: an AF_INET6 address is a sockaddr_in6.
            libc::AF_INET6 => unsafe { &*p.cast::<sockaddr_in6>() }.sin6_port,
            _ => 0,
        }
    }

    /// The `std::net` form of an IP address.
    pub fn socket_addr(&self) -> Option<std::net::SocketAddr> {
        let raw = self.raw_address()?;
        let port = u16::from_be(self.raw_port());
        match self.family() {
            libc::AF_INET => Some((std::net::Ipv4Addr::from(<[u8; 4]>::try_from(raw).ok()?), port).into()),
            libc::AF_INET6 => Some((std::net::Ipv6Addr::from(<[u8; 16]>::try_from(raw).ok()?), port).into()),
            _ => None,
        }
    }

    /// `BIO_ADDR_hostname_string`: numeric (or, when `numeric` is false, the resolved name).
    pub fn host(&self, numeric: bool) -> Option<String> {
        self.name_info(numeric).map(|(h, _)| h)
    }

    /// `BIO_ADDR_service_string`.
    pub fn service(&self, numeric: bool) -> Option<String> {
        self.name_info(numeric).map(|(_, s)| s)
    }

    fn name_info(&self, numeric: bool) -> Option<(String, String)> {
        if !matches!(self.family(), libc::AF_INET | libc::AF_INET6) {
            return None;
        }
        let mut host = [0 as libc::c_char; 1025];
        let mut serv = [0 as libc::c_char; 32];
        let flags = if numeric { libc::NI_NUMERICHOST | libc::NI_NUMERICSERV } else { 0 };
        let (sa, len) = self.as_raw();
        // SAFETY: `sa`/`len` describe this address; both buffers are writable for their sizes.
        let r = unsafe {
            libc::getnameinfo(
                sa,
                len,
                host.as_mut_ptr(),
                host.len() as socklen_t,
                serv.as_mut_ptr(),
                serv.len() as socklen_t,
                flags,
            )
        };
        if r != 0 {
            return None;
        }
        // SAFETY: getnameinfo NUL-terminates both on success.
        let h = unsafe { CStr::from_ptr(host.as_ptr()) }.to_string_lossy().into_owned();
        // SAFETY: as above.
        let s = unsafe { CStr::from_ptr(serv.as_ptr()) }.to_string_lossy().into_owned();
        Some((h, s))
    }
}

/// `BIO_ADDRINFO`: one result of `BIO_lookup_ex`, linked to the next.
#[derive(Debug)]
pub struct BIO_ADDRINFO {
    /// `AF_*`.
    pub family: c_int,
    /// `SOCK_STREAM` / `SOCK_DGRAM`.
    pub socktype: c_int,
    /// `IPPROTO_*` (0: the default).
    pub protocol: c_int,
    /// The address.
    pub addr: BIO_ADDR,
    /// The next result (owned), or NULL.
    pub next: *mut BIO_ADDRINFO,
}

/// Frees a whole `BIO_ADDRINFO` list.
pub fn free_list(mut p: *mut BIO_ADDRINFO) {
    while !p.is_null() {
        // SAFETY: every node was made by Box::into_raw in `lookup` and is owned by the list.
        let node = unsafe { Box::from_raw(p) };
        p = node.next;
    }
}

/// `BIO_lookup_ex`: `getaddrinfo` with OpenSSL's conventions (`AF_UNIX` gives the path as is;
/// `LOOKUP_SERVER` asks for addresses to bind to). The list, or NULL with an error queued.
pub fn lookup(
    host: Option<&CStr>,
    service: Option<&CStr>,
    lookup_type: c_int,
    family: c_int,
    socktype: c_int,
    protocol: c_int,
) -> *mut BIO_ADDRINFO {
    match family {
        libc::AF_INET | libc::AF_INET6 | libc::AF_UNSPEC => {}
        libc::AF_UNIX => {
            let path = host.map(CStr::to_bytes).unwrap_or_default();
            let Some(addr) = BIO_ADDR::make(libc::AF_UNIX, path, 0) else {
                raise!(err::LIB_BIO, err::other_r::PASSED_INVALID_ARGUMENT, "BIO_lookup_ex");
                return std::ptr::null_mut();
            };
            return Box::into_raw(Box::new(BIO_ADDRINFO {
                family,
                socktype,
                protocol,
                addr,
                next: std::ptr::null_mut(),
            }));
        }
        _ => {
            raise!(err::LIB_BIO, reason::UNSUPPORTED_PROTOCOL_FAMILY, "BIO_lookup_ex");
            return std::ptr::null_mut();
        }
    }
    // SAFETY: addrinfo is plain data; zero is "no hints" for every field.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_protocol = protocol;
    // OpenSSL asks for AI_ADDRCONFIG unless the host is a loopback or wildcard literal; on a
    // machine with only a loopback interface that flag hides "localhost"'s addresses, so it is
    // left out: the caller's connect() tells what is reachable.
    if lookup_type == LOOKUP_SERVER {
        hints.ai_flags |= libc::AI_PASSIVE;
    }
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    let h = host.map_or(std::ptr::null(), CStr::as_ptr);
    let s = service.map_or(std::ptr::null(), CStr::as_ptr);
    // SAFETY: `h` and `s` are NULL or NUL-terminated; `hints` and `res` are valid.
    let r = unsafe { libc::getaddrinfo(h, s, &hints, &mut res) };
    if r != 0 {
        let text = if r == libc::EAI_SYSTEM {
            std::io::Error::last_os_error().to_string()
        } else {
            // SAFETY: gai_strerror returns a static NUL-terminated string.
            unsafe { CStr::from_ptr(libc::gai_strerror(r)) }.to_string_lossy().into_owned()
        };
        raise!(err::LIB_BIO, err::other_r::SYS_LIB, "BIO_lookup_ex", text);
        return std::ptr::null_mut();
    }
    // Copy into our own nodes so BIO_ADDRINFO_free does not depend on libc's allocation.
    let mut nodes = Vec::new();
    let mut p = res;
    while !p.is_null() {
        // SAFETY: a node of the list getaddrinfo returned.
        let ai = unsafe { &*p };
        // SAFETY: ai_addr holds ai_addrlen bytes.
        let addr = unsafe { BIO_ADDR::from_raw(ai.ai_addr, ai.ai_addrlen) };
        nodes.push(BIO_ADDRINFO {
            family: ai.ai_family,
            socktype: ai.ai_socktype,
            protocol: ai.ai_protocol,
            addr,
            next: std::ptr::null_mut(),
        });
        p = ai.ai_next;
    }
    // SAFETY: `res` came from getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(res) };
    if nodes.is_empty() {
        raise!(err::LIB_BIO, reason::LOOKUP_RETURNED_NOTHING, "BIO_lookup_ex");
        return std::ptr::null_mut();
    }
    let mut head: *mut BIO_ADDRINFO = std::ptr::null_mut();
    for mut n in nodes.into_iter().rev() {
        n.next = head;
        head = Box::into_raw(Box::new(n));
    }
    head
}

fn errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

fn sys_error(func: &'static str, call: &str, reason_code: u32) {
    let e = errno();
    err::push_system(e, func, format!("calling {call}()"));
    err::push_at(err::LIB_BIO, reason_code, func, file!(), line!(), None);
    super::bio::set_errno(e);
}

fn set_opt(sock: c_int, level: c_int, name: c_int, on: c_int) -> bool {
    // SAFETY: `on` is a readable int for the duration of the call.
    unsafe {
        libc::setsockopt(sock, level, name, (&on as *const c_int).cast(), size_of::<c_int>() as socklen_t)
            == 0
    }
}

/// `BIO_socket`: a new socket, or -1 with an error queued.
pub fn socket(domain: c_int, socktype: c_int, protocol: c_int) -> c_int {
    // SAFETY: plain system call.
    let s = unsafe { libc::socket(domain, socktype | libc::SOCK_CLOEXEC, protocol) };
    if s == -1 {
        sys_error("BIO_socket", "socket", reason::UNABLE_TO_CREATE_SOCKET);
    }
    s
}

/// `BIO_socket_nbio`: switches `O_NONBLOCK` on or off.
pub fn set_nbio(sock: c_int, on: bool) -> bool {
    // SAFETY: fcntl on a caller's descriptor; an invalid one fails with EBADF.
    let flags = unsafe { libc::fcntl(sock, libc::F_GETFL) };
    if flags < 0 {
        sys_error("BIO_socket_nbio", "fcntl", err::other_r::SYS_LIB);
        return false;
    }
    let new = if on { flags | libc::O_NONBLOCK } else { flags & !libc::O_NONBLOCK };
    // SAFETY: as above.
    if unsafe { libc::fcntl(sock, libc::F_SETFL, new) } < 0 {
        sys_error("BIO_socket_nbio", "fcntl", err::other_r::SYS_LIB);
        return false;
    }
    true
}

/// The `BIO_SOCK_*` options every helper applies before connect/listen.
fn apply_options(sock: c_int, options: c_int, func: &'static str) -> bool {
    if options & SOCK_KEEPALIVE != 0 && !set_opt(sock, libc::SOL_SOCKET, libc::SO_KEEPALIVE, 1) {
        sys_error(func, "setsockopt", reason::UNABLE_TO_KEEPALIVE);
        return false;
    }
    if options & SOCK_NODELAY != 0 && !set_opt(sock, libc::IPPROTO_TCP, libc::TCP_NODELAY, 1) {
        sys_error(func, "setsockopt", reason::UNABLE_TO_NODELAY);
        return false;
    }
    if options & SOCK_NONBLOCK != 0 && !set_nbio(sock, true) {
        return false;
    }
    true
}

/// `BIO_connect`: 1, or 0 (with `errno` left for `BIO_sock_should_retry` when a non-blocking
/// connect is in progress, an error queued otherwise).
pub fn connect(sock: c_int, addr: &BIO_ADDR, options: c_int) -> bool {
    if sock == -1 {
        raise!(err::LIB_BIO, err::other_r::PASSED_INVALID_ARGUMENT, "BIO_connect");
        return false;
    }
    if !apply_options(sock, options, "BIO_connect") {
        return false;
    }
    let (sa, len) = addr.as_raw();
    // SAFETY: `sa`/`len` describe a socket address we own.
    if unsafe { libc::connect(sock, sa, len) } == -1 {
        let e = errno();
        if !should_retry_errno(e) {
            sys_error("BIO_connect", "connect", reason::CONNECT_ERROR);
        }
        super::bio::set_errno(e);
        return false;
    }
    true
}

/// `BIO_bind`.
pub fn bind(sock: c_int, addr: &BIO_ADDR, options: c_int) -> bool {
    if options & SOCK_REUSEADDR != 0 && !set_opt(sock, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1) {
        sys_error("BIO_bind", "setsockopt", reason::UNABLE_TO_REUSEADDR);
        return false;
    }
    let (sa, len) = addr.as_raw();
    // SAFETY: `sa`/`len` describe a socket address we own.
    if unsafe { libc::bind(sock, sa, len) } != 0 {
        sys_error("BIO_bind", "bind", reason::UNABLE_TO_BIND_SOCKET);
        return false;
    }
    true
}

/// `BIO_listen`: options, bind and listen on a stream socket.
pub fn listen(sock: c_int, addr: &BIO_ADDR, options: c_int) -> bool {
    if !apply_options(sock, options & !SOCK_NODELAY, "BIO_listen") {
        return false;
    }
    if addr.family() == libc::AF_INET6 {
        let v6only = c_int::from(options & SOCK_V6_ONLY != 0);
        if !set_opt(sock, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, v6only) {
            sys_error("BIO_listen", "setsockopt", err::other_r::SYS_LIB);
            return false;
        }
    }
    if !bind(sock, addr, options) {
        return false;
    }
    // SAFETY: plain system call.
    if unsafe { libc::listen(sock, libc::SOMAXCONN) } == -1 {
        sys_error("BIO_listen", "listen", reason::UNABLE_TO_LISTEN_SOCKET);
        return false;
    }
    true
}

/// `BIO_accept_ex`: the accepted socket (and its peer address), or -1.
pub fn accept(sock: c_int, peer: Option<&mut BIO_ADDR>, options: c_int) -> c_int {
    let mut local = BIO_ADDR::default();
    let target = peer.unwrap_or(&mut local);
    let (sa, len) = target.as_raw_mut();
    // SAFETY: `sa`/`len` point to our storage and its size.
    let s = unsafe { libc::accept4(sock, sa, len, libc::SOCK_CLOEXEC) };
    if s == -1 {
        if !should_retry_errno(errno()) {
            sys_error("BIO_accept_ex", "accept", reason::ACCEPT_ERROR);
        }
        return -1;
    }
    if !apply_options(s, options, "BIO_accept_ex") {
        // SAFETY: closing the socket we just accepted.
        unsafe { libc::close(s) };
        return -1;
    }
    s
}

/// `BIO_closesocket`.
pub fn close(sock: c_int) -> bool {
    // SAFETY: closing a descriptor the caller hands over.
    sock >= 0 && unsafe { libc::close(sock) } == 0
}

/// `BIO_sock_error`: the socket's pending error (`SO_ERROR`).
pub fn sock_error(sock: c_int) -> c_int {
    let mut v: c_int = 0;
    let mut len = size_of::<c_int>() as socklen_t;
    // SAFETY: `v`/`len` are a writable int and its size.
    let r = unsafe {
        libc::getsockopt(sock, libc::SOL_SOCKET, libc::SO_ERROR, (&mut v as *mut c_int).cast(), &mut len)
    };
    if r < 0 {
        errno()
    } else {
        v
    }
}

/// `BIO_sock_non_fatal_error` / the test behind `BIO_sock_should_retry`.
pub fn should_retry_errno(e: c_int) -> bool {
    matches!(
        e,
        libc::EINTR | libc::EAGAIN | libc::EINPROGRESS | libc::EALREADY | libc::ENOTCONN | libc::EPROTO
    )
}

/// A `CString` copy for out-parameters that C frees with `OPENSSL_free`.
pub fn c_string(s: String) -> Option<CString> {
    CString::new(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_of_a_numeric_loopback_gives_that_address_and_port() {
        let list = lookup(Some(c"127.0.0.1"), Some(c"4433"), 0, libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(!list.is_null());
        // SAFETY: a list lookup just returned.
        let first = unsafe { &*list };
        assert_eq!(first.family, libc::AF_INET);
        assert_eq!(first.addr.socket_addr(), Some("127.0.0.1:4433".parse().unwrap()));
        assert_eq!(first.addr.host(true).as_deref(), Some("127.0.0.1"));
        assert_eq!(first.addr.service(true).as_deref(), Some("4433"));
        free_list(list);
    }

    #[test]
    fn lookup_of_an_unknown_family_fails_with_an_error() {
        err::clear();
        assert!(lookup(Some(c"x"), None, 0, 12345, libc::SOCK_STREAM, 0).is_null());
        assert_eq!(err::reason_of(err::peek_code()), reason::UNSUPPORTED_PROTOCOL_FAMILY);
    }

    #[test]
    fn connect_to_a_listening_socket_and_accept_it() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let addr = BIO_ADDR::make(libc::AF_INET, &[127, 0, 0, 1], port.to_be()).unwrap();
        let s = socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(s >= 0);
        assert!(connect(s, &addr, SOCK_NODELAY));
        assert!(close(s));
    }

    #[test]
    fn connect_to_a_closed_port_fails_with_connect_error() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        err::clear();
        let addr = BIO_ADDR::make(libc::AF_INET, &[127, 0, 0, 1], port.to_be()).unwrap();
        let s = socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(!connect(s, &addr, 0));
        let mut saw = false;
        while let Some(e) = err::get() {
            saw |= err::lib_of(e.code) == err::LIB_BIO && err::reason_of(e.code) == reason::CONNECT_ERROR;
        }
        assert!(saw);
        close(s);
    }
}
