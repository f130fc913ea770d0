//! Transports for the I/O-driven calls (`ferrotls_conn_handshake`, `_read`, `_write`, `_flush`,
//! `_shutdown`): a caller-owned file descriptor or a pair of callbacks. Both report "would
//! block" as EAGAIN, which the connection turns into
//! `FERROTLS_WANT_READ` / `FERROTLS_WANT_WRITE`.

use libc::{c_int, c_void, size_t};
use std::io;

/// Reads up to `len` bytes into `buf` for the connection. Store the count in `*read_out` and
/// return 0; `*read_out = 0` with 0 means end of file. Otherwise return an errno value:
/// `EAGAIN`/`EWOULDBLOCK` makes the ferrotls call return `FERROTLS_WANT_READ`, `EINTR` is
/// retried, anything else is `FERROTLS_IO`. Called only from inside ferrotls calls on the
/// connection, on the caller's thread.
pub type ferrotls_read_callback = Option<
    unsafe extern "C" fn(userdata: *mut c_void, buf: *mut u8, len: size_t, read_out: *mut size_t) -> c_int,
>;

/// Writes up to `len` bytes from `buf`. Store the count written (at least 1 on success) in
/// `*written_out` and return 0, or return an errno value as for `ferrotls_read_callback`
/// (`EAGAIN` → `FERROTLS_WANT_WRITE`).
pub type ferrotls_write_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        buf: *const u8,
        len: size_t,
        written_out: *mut size_t,
    ) -> c_int,
>;

/// Where a connection's TLS bytes go.
pub(crate) enum Transport {
    /// Sans-IO only: the caller moves bytes with feed/take.
    None,
    /// A file descriptor the caller owns (never closed here).
    Fd(c_int),
    /// The caller's callbacks and their user pointer.
    Callbacks { read: ferrotls_read_callback, write: ferrotls_write_callback, userdata: *mut c_void },
}

/// An errno value from a failed transport call (EAGAIN means "would block").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Errno(pub(crate) c_int);

impl Errno {
    fn last() -> Self {
        Self(io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO))
    }

    pub(crate) fn would_block(self) -> bool {
        self.0 == libc::EAGAIN || self.0 == libc::EWOULDBLOCK
    }

    pub(crate) fn describe(self) -> String {
        io::Error::from_raw_os_error(self.0).to_string()
    }
}

impl Transport {
    pub(crate) fn is_set(&self) -> bool {
        !matches!(self, Transport::None)
    }

    /// Reads into `buf`: the count (0 at end of file) or the errno; EINTR is retried.
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        loop {
            let r = match self {
                Transport::None => Err(Errno(libc::ENOTCONN)),
                Transport::Fd(fd) => {
                    // SAFETY: `buf` is a valid writable region of `buf.len()` bytes; `fd` is
                    // whatever the caller set: read(2) on a bad descriptor fails with EBADF.
                    let n = unsafe { libc::read(*fd, buf.as_mut_ptr().cast(), buf.len()) };
                    usize::try_from(n).map_err(|_| Errno::last())
                }
                Transport::Callbacks { read, userdata, .. } => match read {
                    None => Err(Errno(libc::ENOTCONN)),
                    Some(cb) => {
                        let mut n: size_t = 0;
                        // SAFETY: the callback contract (ferrotls_read_callback): it writes at
                        // most `len` bytes to `buf` and one size_t to `read_out`, both valid here.
                        let rc = unsafe { cb(*userdata, buf.as_mut_ptr(), buf.len(), &mut n) };
                        if rc != 0 {
                            Err(Errno(rc))
                        } else {
                            Ok(n.min(buf.len()))
                        }
                    }
                },
            };
            if r != Err(Errno(libc::EINTR)) {
                return r;
            }
        }
    }

    /// Writes from `buf`: the count accepted or the errno; EINTR is retried.
    pub(crate) fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        loop {
            let r = match self {
                Transport::None => Err(Errno(libc::ENOTCONN)),
                Transport::Fd(fd) => fd_write(*fd, buf),
                Transport::Callbacks { write, userdata, .. } => match write {
                    None => Err(Errno(libc::ENOTCONN)),
                    Some(cb) => {
                        let mut n: size_t = 0;
                        // SAFETY: the callback contract (ferrotls_write_callback): it reads at
                        // most `len` bytes from `buf` and writes one size_t to `written_out`.
                        let rc = unsafe { cb(*userdata, buf.as_ptr(), buf.len(), &mut n) };
                        if rc != 0 {
                            Err(Errno(rc))
                        } else {
                            Ok(n.min(buf.len()))
                        }
                    }
                },
            };
            if r != Err(Errno(libc::EINTR)) {
                return r;
            }
        }
    }
}

/// send(2) with MSG_NOSIGNAL, so a peer that went away gives EPIPE instead of killing the
/// process with SIGPIPE; write(2) for descriptors that are not sockets (pipes, files).
fn fd_write(fd: c_int, buf: &[u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is valid for `buf.len()` bytes; a bad `fd` fails with EBADF/ENOTSOCK.
    let n = unsafe { libc::send(fd, buf.as_ptr().cast(), buf.len(), libc::MSG_NOSIGNAL) };
    if let Ok(n) = usize::try_from(n) {
        return Ok(n);
    }
    let e = Errno::last();
    if e.0 != libc::ENOTSOCK {
        return Err(e);
    }
    // SAFETY: as above, for write(2).
    let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
    usize::try_from(n).map_err(|_| Errno::last())
}
