//! `BIO`: OpenSSL's I/O abstraction. Sources/sinks (memory, socket, fd, `FILE *`, connect,
//! accept, one half of a pair) and the SSL filter (`BIO_f_ssl`). A `BIO` is reference counted
//! (`BIO_up_ref`, `SSL_set_bio` taking ownership) and may be chained (`BIO_push`).
//!
//! Reads and writes report [`Io`]: data, end of file, "retry" (the non-blocking case, which
//! sets `BIO_FLAGS_SHOULD_RETRY` plus READ or WRITE as OpenSSL does) or an errno.

use std::collections::VecDeque;
use std::ffi::CStr;
use std::os::fd::IntoRawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use libc::{c_char, c_int, c_long, c_void};

use crate::ffi::io::Transport;

/// `BIO_FLAGS_READ`.
pub const FLAGS_READ: c_int = 0x01;
/// `BIO_FLAGS_WRITE`.
pub const FLAGS_WRITE: c_int = 0x02;
/// `BIO_FLAGS_IO_SPECIAL`.
pub const FLAGS_IO_SPECIAL: c_int = 0x04;
/// `BIO_FLAGS_SHOULD_RETRY`.
pub const FLAGS_SHOULD_RETRY: c_int = 0x08;
const FLAGS_RWS: c_int = FLAGS_READ | FLAGS_WRITE | FLAGS_IO_SPECIAL;

/// `BIO_METHOD`: which kind of BIO `BIO_new` makes.
#[derive(Debug)]
pub struct BIO_METHOD {
    /// `BIO_TYPE_*`.
    pub typ: c_int,
    /// `BIO_method_name`.
    pub name: &'static CStr,
    /// The callbacks of a method made with `BIO_meth_new`; `None` for the built-in ones.
    pub custom: Option<Custom>,
}

/// The callbacks a program gives a `BIO_meth_new` method (OpenSSL 3.0's `BIO_meth_set_*`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Custom {
    /// `int (*)(BIO *, const char *, int)`.
    pub write: Option<unsafe extern "C" fn(*mut BIO, *const c_char, c_int) -> c_int>,
    /// `int (*)(BIO *, const char *, size_t, size_t *)`.
    pub write_ex: Option<unsafe extern "C" fn(*mut BIO, *const c_char, usize, *mut usize) -> c_int>,
    /// `int (*)(BIO *, char *, int)`.
    pub read: Option<unsafe extern "C" fn(*mut BIO, *mut c_char, c_int) -> c_int>,
    /// `int (*)(BIO *, char *, size_t, size_t *)`.
    pub read_ex: Option<unsafe extern "C" fn(*mut BIO, *mut c_char, usize, *mut usize) -> c_int>,
    /// `int (*)(BIO *, const char *)`.
    pub puts: Option<unsafe extern "C" fn(*mut BIO, *const c_char) -> c_int>,
    /// `int (*)(BIO *, char *, int)`.
    pub gets: Option<unsafe extern "C" fn(*mut BIO, *mut c_char, c_int) -> c_int>,
    /// `long (*)(BIO *, int, long, void *)`.
    pub ctrl: Option<unsafe extern "C" fn(*mut BIO, c_int, c_long, *mut c_void) -> c_long>,
    /// `int (*)(BIO *)`.
    pub create: Option<unsafe extern "C" fn(*mut BIO) -> c_int>,
    /// `int (*)(BIO *)`.
    pub destroy: Option<unsafe extern "C" fn(*mut BIO) -> c_int>,
    /// `long (*)(BIO *, int, BIO_info_cb *)`.
    pub callback_ctrl: Option<unsafe extern "C" fn(*mut BIO, c_int, *mut c_void) -> c_long>,
}

macro_rules! methods {
    ($($id:ident = $typ:expr, $name:expr;)*) => {$(
        /// A BIO method (see `BIO_s_*` / `BIO_f_*`).
        pub static $id: BIO_METHOD = BIO_METHOD { typ: $typ, name: $name, custom: None };
    )*};
}
// BIO_TYPE_* values: OpenSSL 3.0 bio.h (number | source/sink/filter/descriptor flags).
methods! {
    METHOD_MEM = 1 | 0x0400, c"memory buffer";
    METHOD_FILE = 2 | 0x0400, c"FILE pointer";
    METHOD_FD = 4 | 0x0400 | 0x0100, c"file descriptor";
    METHOD_SOCKET = 5 | 0x0400 | 0x0100, c"socket";
    METHOD_NULL = 6 | 0x0400, c"NULL";
    METHOD_SSL = 7 | 0x0200, c"ssl";
    METHOD_CONNECT = 12 | 0x0400 | 0x0100, c"socket connect";
    METHOD_ACCEPT = 13 | 0x0400 | 0x0100, c"socket accept";
    METHOD_PAIR = 19 | 0x0400, c"BIO pair";
}

/// The shared buffers of a BIO pair: `bufs[i]` holds what side `i` wrote.
#[derive(Debug, Default)]
pub struct PairShared {
    bufs: [VecDeque<u8>; 2],
    caps: [usize; 2],
    write_closed: [bool; 2],
    alive: [bool; 2],
}

/// What a BIO is.
#[derive(Debug)]
pub enum Kind {
    /// `BIO_s_mem` / `BIO_new_mem_buf`.
    Mem {
        /// The bytes; `pos` of them already read.
        data: Vec<u8>,
        /// Read offset.
        pos: usize,
        /// `BIO_new_mem_buf`: writes are refused.
        readonly: bool,
        /// `BIO_set_mem_eof_return`: what a read of an empty BIO returns (-1 = retry).
        eof_return: c_int,
        /// What `BIO_get_mem_ptr` lends out (refreshed at each call).
        view: Box<super::buf_mem::BUF_MEM>,
    },
    /// A socket or plain file descriptor (`BIO_s_socket`, `BIO_s_fd`).
    Fd {
        /// The descriptor, -1 until set.
        fd: c_int,
    },
    /// `BIO_s_file` over a C `FILE *`.
    File {
        /// The stream.
        fp: *mut libc::FILE,
    },
    /// `BIO_s_connect`: connects on first use or `BIO_do_connect`.
    Connect {
        /// `host:port` or just host.
        host: String,
        /// Port or service, when set separately.
        port: String,
        /// The connected socket, -1 before.
        fd: c_int,
        /// `BIO_set_nbio`: make the socket non-blocking once connected.
        nbio: bool,
    },
    /// `BIO_s_accept`: the first `BIO_do_accept` listens, later ones accept a connection and
    /// append a socket BIO to the chain.
    Accept {
        /// `host:port` or port.
        addr: String,
        /// The listening socket.
        listener: Option<std::net::TcpListener>,
    },
    /// One half of `BIO_new_bio_pair`.
    Pair {
        /// The shared buffers.
        shared: Arc<Mutex<PairShared>>,
        /// Which side this is (0 or 1).
        side: usize,
    },
    /// `BIO_f_ssl`: reads and writes go through an `SSL`.
    Ssl {
        /// The SSL (owned when the close flag is set).
        ssl: *mut super::ssl::SSL,
    },
    /// `BIO_s_null`.
    Null,
    /// A `BIO_meth_new` method: every operation calls the program's callback.
    Custom,
}

/// `BIO`.
#[derive(Debug)]
pub struct BIO {
    refs: AtomicUsize,
    /// The method `BIO_method_type` reports.
    pub method: &'static BIO_METHOD,
    /// What it is.
    pub kind: Kind,
    /// Retry flags (`BIO_FLAGS_*`).
    pub flags: c_int,
    /// `BIO_CLOSE` (1) or `BIO_NOCLOSE` (0): whether freeing closes the fd / file / SSL.
    pub close: bool,
    /// The next BIO in a chain (owned: one reference).
    pub next: *mut BIO,
    /// The previous BIO (not owned).
    pub prev: *mut BIO,
    /// `BIO_set_data`/`BIO_get_app_data` storage.
    pub app_data: *mut c_void,
    /// `BIO_set_init`/`BIO_get_init`: a custom BIO refuses I/O until its code sets it.
    pub init: bool,
    /// `BIO_number_read`: bytes this BIO has read.
    pub num_read: u64,
    /// `BIO_number_written`: bytes this BIO has written.
    pub num_write: u64,
}

/// The outcome of a BIO read or write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Io {
    /// This many bytes moved (never 0).
    Done(usize),
    /// End of file (read) or nothing accepted (write).
    Eof,
    /// Would block: try again (retry flags are set).
    Retry,
    /// Failed with this errno.
    Err(c_int),
}

impl Io {
    /// The `int` a `BIO_read`/`BIO_write` returns.
    pub fn to_c(self) -> c_int {
        match self {
            Io::Done(n) => c_int::try_from(n).unwrap_or(c_int::MAX),
            Io::Eof => 0,
            Io::Retry | Io::Err(_) => -1,
        }
    }
}

impl BIO {
    /// A BIO of `kind` with one reference.
    pub fn new(method: &'static BIO_METHOD, kind: Kind) -> Self {
        Self {
            refs: AtomicUsize::new(1),
            method,
            kind,
            flags: 0,
            close: true,
            next: std::ptr::null_mut(),
            prev: std::ptr::null_mut(),
            app_data: std::ptr::null_mut(),
            init: true,
            num_read: 0,
            num_write: 0,
        }
    }

    /// The callbacks of a `BIO_meth_new` BIO.
    pub fn custom(&self) -> Option<Custom> {
        self.method.custom
    }

    /// One read or write through a program's callback: `>0` octets moved; otherwise the retry
    /// flags the callback set (`BIO_set_retry_read`) decide between retry, and EOF (0) or error.
    fn custom_io(&mut self, len: usize, call: impl FnOnce(*mut BIO) -> Option<(c_int, usize)>) -> Io {
        if !self.init {
            return Io::Err(libc::EINVAL);
        }
        let me: *mut BIO = self;
        let Some((ret, n)) = call(me) else { return Io::Err(libc::EOPNOTSUPP) };
        if ret > 0 {
            return Io::Done(n.min(len));
        }
        if self.flags & FLAGS_SHOULD_RETRY != 0 {
            Io::Retry
        } else if ret == 0 {
            Io::Eof
        } else {
            Io::Err(libc::EIO)
        }
    }

    /// A new BIO for `method`, as `BIO_new` makes it.
    pub fn for_method(method: &'static BIO_METHOD) -> Option<Self> {
        let kind = match method.typ & 0xff {
            1 => {
                Kind::Mem { data: Vec::new(), pos: 0, readonly: false, eof_return: -1, view: Box::default() }
            }
            2 => Kind::File { fp: std::ptr::null_mut() },
            4 | 5 => Kind::Fd { fd: -1 },
            6 => Kind::Null,
            7 => Kind::Ssl { ssl: std::ptr::null_mut() },
            12 => Kind::Connect { host: String::new(), port: String::new(), fd: -1, nbio: false },
            13 => Kind::Accept { addr: String::new(), listener: None },
            19 => {
                // A lone pair half: unusable until BIO_make_bio_pair, which we do not offer.
                let shared = Arc::new(Mutex::new(PairShared::default()));
                Kind::Pair { shared, side: 0 }
            }
            _ if method.custom.is_some() => Kind::Custom,
            _ => return None,
        };
        let mut b = Self::new(method, kind);
        // OpenSSL leaves a new BIO uninitialised until its create callback says otherwise.
        b.init = method.custom.is_none();
        Some(b)
    }

    /// Moves the BIO to the heap for C.
    pub fn into_raw(self) -> *mut BIO {
        Box::into_raw(Box::new(self))
    }

    /// `BIO_up_ref`.
    pub fn up_ref(&self) {
        self.refs.fetch_add(1, Ordering::AcqRel);
    }

    fn set_retry(&mut self, what: c_int) {
        self.flags = (self.flags & !(FLAGS_RWS | FLAGS_SHOULD_RETRY)) | what | FLAGS_SHOULD_RETRY;
    }

    /// `BIO_clear_retry_flags`.
    pub fn clear_retry(&mut self) {
        self.flags &= !(FLAGS_RWS | FLAGS_SHOULD_RETRY);
    }

    /// The file descriptor, if this BIO has one (`BIO_get_fd`).
    pub fn fd(&self) -> Option<c_int> {
        match &self.kind {
            Kind::Fd { fd } | Kind::Connect { fd, .. } if *fd >= 0 => Some(*fd),
            _ => None,
        }
    }

    /// Reads into `buf`, counting what it moved (`BIO_number_read`).
    pub fn read(&mut self, buf: &mut [u8]) -> Io {
        let r = self.read_once(buf);
        if let Io::Done(n) = r {
            self.num_read += n as u64;
        }
        r
    }

    fn read_once(&mut self, buf: &mut [u8]) -> Io {
        self.clear_retry();
        if buf.is_empty() {
            return Io::Eof;
        }
        let r = match &mut self.kind {
            Kind::Mem { data, pos, eof_return, .. } => {
                let avail = &data[*pos..];
                if avail.is_empty() {
                    if *eof_return == 0 {
                        Io::Eof
                    } else {
                        Io::Retry
                    }
                } else {
                    let n = avail.len().min(buf.len());
                    buf[..n].copy_from_slice(&avail[..n]);
                    *pos += n;
                    if *pos == data.len() {
                        data.clear();
                        *pos = 0;
                    }
                    Io::Done(n)
                }
            }
            Kind::Fd { fd } => fd_read(*fd, buf),
            Kind::Connect { .. } => match self.connect() {
                Ok(fd) => fd_read(fd, buf),
                Err(e) => e,
            },
            Kind::File { fp } => {
                if fp.is_null() {
                    return Io::Err(libc::EBADF);
                }
                // SAFETY: `fp` is a live FILE* the caller gave us; `buf` is writable.
                let n = unsafe { libc::fread(buf.as_mut_ptr().cast(), 1, buf.len(), *fp) };
                if n == 0 {
                    Io::Eof
                } else {
                    Io::Done(n)
                }
            }
            Kind::Pair { shared, side } => {
                let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
                let other = 1 - *side;
                let src = &mut s.bufs[other];
                if src.is_empty() {
                    if s.write_closed[other] || !s.alive[other] {
                        Io::Eof
                    } else {
                        Io::Retry
                    }
                } else {
                    let n = src.len().min(buf.len());
                    for (d, b) in buf.iter_mut().zip(src.drain(..n)) {
                        *d = b;
                    }
                    Io::Done(n)
                }
            }
            Kind::Ssl { ssl } => {
                let ssl = *ssl;
                if ssl.is_null() {
                    return Io::Err(libc::EINVAL);
                }
                // SAFETY: the SSL BIO's SSL is live while the BIO is (BIO_set_ssl contract).
                let ssl = unsafe { &*ssl };
                let r = ssl.read(buf, false);
                return match ssl.get_error(r) {
                    _ if r > 0 => Io::Done(r as usize),
                    super::ssl::ERROR_WANT_READ => {
                        self.set_retry(FLAGS_READ);
                        Io::Retry
                    }
                    super::ssl::ERROR_WANT_WRITE => {
                        self.set_retry(FLAGS_WRITE);
                        Io::Retry
                    }
                    super::ssl::ERROR_ZERO_RETURN => Io::Eof,
                    _ => Io::Err(libc::EIO),
                };
            }
            Kind::Accept { .. } | Kind::Null => Io::Eof,
            Kind::Custom => {
                let c = self.method.custom.unwrap_or_default();
                let len = buf.len();
                let p = buf.as_mut_ptr().cast::<c_char>();
                return self.custom_io(len, |me| {
                    // SAFETY: the program's callback with the BIO and a buffer of `len` bytes; the
                    // BIO is not touched from Rust during the call.
                    unsafe {
                        if let Some(f) = c.read_ex {
                            let mut n = 0usize;
                            let r = f(me, p, len, &mut n);
                            Some((
                                if r > 0 && n > 0 {
                                    1
                                } else if r > 0 {
                                    0
                                } else {
                                    -1
                                },
                                n,
                            ))
                        } else {
                            c.read.map(|f| {
                                let r = f(me, p, c_int::try_from(len).unwrap_or(c_int::MAX));
                                (r, r.max(0) as usize)
                            })
                        }
                    }
                });
            }
        };
        if r == Io::Retry {
            self.set_retry(FLAGS_READ);
        }
        r
    }

    /// Writes from `buf`, counting what it moved (`BIO_number_written`).
    pub fn write(&mut self, buf: &[u8]) -> Io {
        let r = self.write_once(buf);
        if let Io::Done(n) = r {
            self.num_write += n as u64;
        }
        r
    }

    fn write_once(&mut self, buf: &[u8]) -> Io {
        self.clear_retry();
        if buf.is_empty() {
            return Io::Eof;
        }
        let r = match &mut self.kind {
            Kind::Mem { data, readonly, .. } => {
                if *readonly {
                    return Io::Err(libc::EPERM);
                }
                data.extend_from_slice(buf);
                Io::Done(buf.len())
            }
            Kind::Fd { fd } => fd_write(*fd, buf),
            Kind::Connect { .. } => match self.connect() {
                Ok(fd) => fd_write(fd, buf),
                Err(e) => e,
            },
            Kind::File { fp } => {
                if fp.is_null() {
                    return Io::Err(libc::EBADF);
                }
                // SAFETY: `fp` is a live FILE*; `buf` is readable for its length.
                let n = unsafe { libc::fwrite(buf.as_ptr().cast(), 1, buf.len(), *fp) };
                if n == 0 {
                    Io::Err(libc::EIO)
                } else {
                    Io::Done(n)
                }
            }
            Kind::Pair { shared, side } => {
                let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
                let side = *side;
                if s.write_closed[side] || !s.alive[1 - side] {
                    Io::Err(libc::EPIPE)
                } else {
                    let room = s.caps[side].saturating_sub(s.bufs[side].len());
                    if room == 0 {
                        Io::Retry
                    } else {
                        let n = room.min(buf.len());
                        s.bufs[side].extend(&buf[..n]);
                        Io::Done(n)
                    }
                }
            }
            Kind::Ssl { ssl } => {
                let ssl = *ssl;
                if ssl.is_null() {
                    return Io::Err(libc::EINVAL);
                }
                // SAFETY: the SSL BIO's SSL is live while the BIO is.
                let ssl = unsafe { &*ssl };
                let r = ssl.write(buf);
                return match ssl.get_error(r) {
                    _ if r > 0 => Io::Done(r as usize),
                    super::ssl::ERROR_WANT_READ => {
                        self.set_retry(FLAGS_READ);
                        Io::Retry
                    }
                    super::ssl::ERROR_WANT_WRITE => {
                        self.set_retry(FLAGS_WRITE);
                        Io::Retry
                    }
                    _ => Io::Err(libc::EIO),
                };
            }
            Kind::Null => Io::Done(buf.len()),
            Kind::Accept { .. } => Io::Err(libc::EINVAL),
            Kind::Custom => {
                let c = self.method.custom.unwrap_or_default();
                let len = buf.len();
                let p = buf.as_ptr().cast::<c_char>();
                return self.custom_io(len, |me| {
                    // SAFETY: the program's callback with the BIO and `len` readable bytes; the
                    // BIO is not touched from Rust during the call.
                    unsafe {
                        if let Some(f) = c.write_ex {
                            let mut n = 0usize;
                            let r = f(me, p, len, &mut n);
                            Some((if r > 0 && n > 0 { 1 } else { -1 }, n))
                        } else {
                            c.write.map(|f| {
                                let r = f(me, p, c_int::try_from(len).unwrap_or(c_int::MAX));
                                (r, r.max(0) as usize)
                            })
                        }
                    }
                });
            }
        };
        if r == Io::Retry {
            self.set_retry(FLAGS_WRITE);
        }
        r
    }

    /// Bytes waiting to be read (`BIO_pending`).
    pub fn pending(&self) -> usize {
        match &self.kind {
            Kind::Mem { data, pos, .. } => data.len() - pos,
            Kind::Pair { shared, side } => {
                shared.lock().unwrap_or_else(|e| e.into_inner()).bufs[1 - side].len()
            }
            Kind::Ssl { ssl } if !ssl.is_null() => {
                // SAFETY: the SSL BIO's SSL is live while the BIO is.
                unsafe { &**ssl }.pending()
            }
            _ => 0,
        }
    }

    /// Bytes written and not yet read by the other side (`BIO_wpending`).
    pub fn wpending(&self) -> usize {
        match &self.kind {
            Kind::Pair { shared, side } => shared.lock().unwrap_or_else(|e| e.into_inner()).bufs[*side].len(),
            _ => 0,
        }
    }

    /// Connects a connect BIO if it is not yet connected; returns the socket.
    pub fn connect(&mut self) -> Result<c_int, Io> {
        let Kind::Connect { host, port, fd, nbio } = &mut self.kind else {
            return Err(Io::Err(libc::EINVAL));
        };
        if *fd >= 0 {
            return Ok(*fd);
        }
        let target = if port.is_empty() { host.clone() } else { format!("{host}:{port}") };
        if target.is_empty() {
            super::err::raise!(super::err::LIB_BIO, super::err::other_r::BIO_NO_HOSTNAME, "BIO_do_connect");
            return Err(Io::Err(libc::EINVAL));
        }
        match std::net::TcpStream::connect(target.as_str()) {
            Ok(s) => {
                if *nbio {
                    let _ = s.set_nonblocking(true);
                }
                *fd = s.into_raw_fd();
                Ok(*fd)
            }
            Err(e) => {
                let errno = e.raw_os_error().unwrap_or(libc::ECONNREFUSED);
                super::err::push_system(errno, "BIO_connect", format!("calling connect({target})"));
                super::err::raise!(
                    super::err::LIB_BIO,
                    super::err::other_r::BIO_CONNECT_ERROR,
                    "BIO_do_connect",
                    format!("calling connect() to {target}: {e}")
                );
                Err(Io::Err(errno))
            }
        }
    }

    /// Runs an accept BIO's state machine: listen on first call, accept on later ones.
    pub fn accept(&mut self) -> Result<Option<BIO>, c_int> {
        let Kind::Accept { addr, listener } = &mut self.kind else { return Err(libc::EINVAL) };
        match listener {
            None => {
                let a = if addr.contains(':') { addr.clone() } else { format!("0.0.0.0:{addr}") };
                let a = a.replacen("*:", "0.0.0.0:", 1);
                let l = std::net::TcpListener::bind(a.as_str())
                    .map_err(|e| e.raw_os_error().unwrap_or(libc::EIO))?;
                *listener = Some(l);
                Ok(None)
            }
            Some(l) => {
                let (s, _) = l.accept().map_err(|e| e.raw_os_error().unwrap_or(libc::EIO))?;
                Ok(Some(BIO::new(&METHOD_SOCKET, Kind::Fd { fd: s.into_raw_fd() })))
            }
        }
    }

    /// Closes what the BIO owns (when its close flag is set).
    fn release(&mut self) {
        let connect = matches!(self.kind, Kind::Connect { .. });
        let close = self.close;
        match &mut self.kind {
            Kind::Fd { fd } | Kind::Connect { fd, .. } if (close || connect) && *fd >= 0 => {
                // SAFETY: closing a descriptor this BIO owns (BIO_CLOSE, or one it opened).
                unsafe { libc::close(*fd) };
            }
            Kind::File { fp } if close && !fp.is_null() => {
                // SAFETY: the FILE* was handed over with BIO_CLOSE or opened by BIO_new_file.
                unsafe { libc::fclose(*fp) };
            }
            Kind::Ssl { ssl } if close && !ssl.is_null() => super::ssl::SSL::free_raw(*ssl),
            Kind::Pair { shared, side } => {
                shared.lock().unwrap_or_else(|e| e.into_inner()).alive[*side] = false;
            }
            Kind::Custom => {
                if let Some(destroy) = self.method.custom.and_then(|c| c.destroy) {
                    let me: *mut BIO = self;
                    // SAFETY: the program's destroy callback, once, on the BIO's last reference.
                    unsafe { destroy(me) };
                }
            }
            _ => {}
        }
    }
}

/// `BIO_new_bio_pair`: two connected halves with write buffers of the given sizes (0 = 17 KiB).
pub fn new_pair(size1: usize, size2: usize) -> (BIO, BIO) {
    let cap = |s: usize| if s == 0 { 17 * 1024 } else { s };
    let shared = Arc::new(Mutex::new(PairShared {
        caps: [cap(size1), cap(size2)],
        alive: [true, true],
        ..PairShared::default()
    }));
    (
        BIO::new(&METHOD_PAIR, Kind::Pair { shared: Arc::clone(&shared), side: 0 }),
        BIO::new(&METHOD_PAIR, Kind::Pair { shared, side: 1 }),
    )
}

/// Marks a pair half's writing side closed (`BIO_shutdown_wr`): the peer then reads EOF.
pub fn pair_shutdown_wr(b: &BIO) {
    if let Kind::Pair { shared, side } = &b.kind {
        shared.lock().unwrap_or_else(|e| e.into_inner()).write_closed[*side] = true;
    }
}

fn errno_io(e: crate::ffi::io::Errno, dir: c_int) -> Io {
    if e.would_block() {
        let _ = dir;
        Io::Retry
    } else {
        set_errno(e.0);
        Io::Err(e.0)
    }
}

/// Leaves `e` in errno, where OpenSSL programs look after `SSL_ERROR_SYSCALL`.
pub fn set_errno(e: c_int) {
    // SAFETY: __errno_location returns the calling thread's errno slot.
    unsafe { *libc::__errno_location() = e };
}

fn fd_read(fd: c_int, buf: &mut [u8]) -> Io {
    match Transport::Fd(fd).read(buf) {
        Ok(0) => Io::Eof,
        Ok(n) => Io::Done(n),
        Err(e) => errno_io(e, FLAGS_READ),
    }
}

fn fd_write(fd: c_int, buf: &[u8]) -> Io {
    match Transport::Fd(fd).write(buf) {
        Ok(0) => Io::Eof,
        Ok(n) => Io::Done(n),
        Err(e) => errno_io(e, FLAGS_WRITE),
    }
}

/// Gives back one reference; the last frees the BIO (and closes what it owns). Returns the
/// next BIO in the chain (for `BIO_free_all`), or NULL.
pub fn release(p: *mut BIO) -> *mut BIO {
    if p.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: `p` is a live BIO from BIO::into_raw (the BIO_free contract).
    let b = unsafe { &mut *p };
    if b.refs.fetch_sub(1, Ordering::AcqRel) != 1 {
        return std::ptr::null_mut();
    }
    b.release();
    let next = b.next;
    if !next.is_null() {
        // SAFETY: a chained BIO is live while its predecessor holds it.
        unsafe { (*next).prev = std::ptr::null_mut() };
    }
    // SAFETY: the last reference: nothing else points to this BIO any more.
    drop(unsafe { Box::from_raw(p) });
    next
}

/// A `&mut BIO` from a pointer that is live (checked non-NULL by the caller).
///
/// # Safety
/// `p` is a live BIO not otherwise borrowed for `'a`.
pub(crate) unsafe fn bio_mut<'a>(p: *mut BIO) -> Option<&'a mut BIO> {
    // SAFETY: forwarded from the caller.
    unsafe { p.as_mut() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_bio_reads_back_what_was_written_and_retries_when_empty() {
        let mut b = BIO::for_method(&METHOD_MEM).unwrap();
        assert_eq!(b.write(b"hello"), Io::Done(5));
        let mut buf = [0u8; 8];
        assert_eq!(b.read(&mut buf), Io::Done(5));
        assert_eq!(b.read(&mut buf), Io::Retry);
        assert_eq!(b.flags & FLAGS_SHOULD_RETRY, FLAGS_SHOULD_RETRY);
    }

    #[test]
    fn pair_halves_see_each_others_writes_and_eof_after_shutdown() {
        let (mut a, mut b) = new_pair(4, 0);
        assert_eq!(a.write(b"abcdef"), Io::Done(4));
        assert_eq!(a.write(b"x"), Io::Retry);
        let mut buf = [0u8; 8];
        assert_eq!(b.read(&mut buf), Io::Done(4));
        assert_eq!(&buf[..4], b"abcd");
        pair_shutdown_wr(&a);
        assert_eq!(b.read(&mut buf), Io::Eof);
    }
}
