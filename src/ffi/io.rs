//! Transports for the I/O-driven calls (`ferrotls_conn_handshake`, `_read`, `_write`, `_flush`,
//! `_shutdown`): a caller-owned file descriptor or a pair of callbacks. Both report "would
//! block" as `io::ErrorKind::WouldBlock`, which the connection turns into
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

impl Transport {
    pub(crate) fn is_set(&self) -> bool {
        !matches!(self, Transport::None)
    }

    pub(crate) fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let r = match self {
                Transport::None => return Err(io::ErrorKind::NotConnected.into()),
                Transport::Fd(fd) => {
                    // SAFETY: `buf` is a valid writable region of `buf.len()` bytes; `fd` is
                    // whatever the caller set: read(2) on a bad descriptor fails with EBADF.
                    let n = unsafe { libc::read(*fd, buf.as_mut_ptr().cast(), buf.len()) };
                    if n < 0 {
                        Err(io::Error::last_os_error())
                    } else {
                        Ok(n as usize)
                    }
                }
                Transport::Callbacks { read, userdata, .. } => {
                    let Some(cb) = read else { return Err(io::ErrorKind::Unsupported.into()) };
                    let mut n: size_t = 0;
                    // SAFETY: the callback contract (ferrotls_read_callback): it writes at most
                    // `len` bytes to `buf` and one size_t to `read_out`, both valid here.
                    let rc = unsafe { cb(*userdata, buf.as_mut_ptr(), buf.len(), &mut n) };
                    if rc != 0 {
                        Err(io::Error::from_raw_os_error(rc))
                    } else {
                        Ok(n.min(buf.len()))
                    }
                }
            };
            match r {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }

    pub(crate) fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            let r = match self {
                Transport::None => return Err(io::ErrorKind::NotConnected.into()),
                Transport::Fd(fd) => fd_write(*fd, buf),
                Transport::Callbacks { write, userdata, .. } => {
                    let Some(cb) = write else { return Err(io::ErrorKind::Unsupported.into()) };
                    let mut n: size_t = 0;
                    // SAFETY: the callback contract (ferrotls_write_callback): it reads at most
                    // `len` bytes from `buf` and writes one size_t to `written_out`.
                    let rc = unsafe { cb(*userdata, buf.as_ptr(), buf.len(), &mut n) };
                    if rc != 0 {
                        Err(io::Error::from_raw_os_error(rc))
                    } else {
                        Ok(n.min(buf.len()))
                    }
                }
            };
            match r {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }
}

/// send(2) with MSG_NOSIGNAL, so a peer that went away gives EPIPE instead of killing the
/// process with SIGPIPE; write(2) for descriptors that are not sockets (pipes, files).
fn fd_write(fd: c_int, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for `buf.len()` bytes; a bad `fd` fails with EBADF/ENOTSOCK.
    let n = unsafe { libc::send(fd, buf.as_ptr().cast(), buf.len(), libc::MSG_NOSIGNAL) };
    if n >= 0 {
        return Ok(n as usize);
    }
    let e = io::Error::last_os_error();
    if e.raw_os_error() != Some(libc::ENOTSOCK) {
        return Err(e);
    }
    // SAFETY: as above, for write(2).
    let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}
