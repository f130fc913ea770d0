//! A blocking adapter: drives a connection over any `Read + Write` transport (a `TcpStream`,
//! say) and offers `Read`/`Write` of plaintext. It sits outside the sans-IO core (after
//! BearSSL's `br_sslio` and rustls' `Stream`).

use crate::conn::ConnectionCommon;
use crate::error::Error;
use std::io::{self, Read, Write};
use std::ops::DerefMut;

/// A connection and its transport.
#[derive(Debug)]
pub struct Stream<C, T> {
    /// The TLS connection.
    pub conn: C,
    /// The transport.
    pub sock: T,
}

/// Converts a TLS error to an I/O error, keeping truncation recognisable.
pub fn io_error(e: Error) -> io::Error {
    let kind = match e {
        Error::Truncated => io::ErrorKind::UnexpectedEof,
        _ => io::ErrorKind::InvalidData,
    };
    io::Error::new(kind, e)
}

impl<C: DerefMut<Target = ConnectionCommon>, T: Read + Write> Stream<C, T> {
    /// Wraps `conn` over `sock`.
    pub fn new(conn: C, sock: T) -> Self {
        Self { conn, sock }
    }

    /// Runs the handshake to completion.
    pub fn complete_handshake(&mut self) -> io::Result<()> {
        while self.conn.is_handshaking() {
            self.flush_tls()?;
            self.read_tls()?;
        }
        self.flush_tls()
    }

    /// Sends everything the connection has queued.
    pub fn flush_tls(&mut self) -> io::Result<()> {
        while self.conn.wants_write() {
            let n = self.sock.write(self.conn.pending_tls())?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            self.conn.consume_tls(n);
        }
        self.sock.flush()
    }

    /// Reads once from the transport and processes what arrived. Errors queue an alert, which
    /// is sent before the error is returned.
    fn read_tls(&mut self) -> io::Result<()> {
        let mut buf = [0u8; 16 * 1024 + 512];
        let n = match self.sock.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset && !self.conn.is_handshaking() => 0,
            Err(e) => return Err(e),
        };
        if n == 0 {
            self.conn.feed_eof();
        }
        let mut fed = 0;
        loop {
            fed += self.conn.feed_tls(&buf[fed..n]);
            if let Err(e) = self.conn.process() {
                let _ = self.flush_tls();
                return Err(io_error(e));
            }
            if fed == n {
                return Ok(());
            }
        }
    }

    /// Sends close_notify (RFC 5246 §7.2.1). The peer may still send data, readable until its
    /// own close_notify arrives.
    pub fn send_close_notify(&mut self) -> io::Result<()> {
        self.conn.send_close_notify();
        self.flush_tls()
    }
}

impl<C: DerefMut<Target = ConnectionCommon>, T: Read + Write> Read for Stream<C, T> {
    /// Returns plaintext; `Ok(0)` only after the peer's close_notify, and an error of kind
    /// `UnexpectedEof` if the transport ended without one.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.complete_handshake()?;
        loop {
            let n = self.conn.read_plaintext(buf).map_err(io_error)?;
            if n > 0 || self.conn.peer_has_closed() {
                return Ok(n);
            }
            self.read_tls()?;
            // Our replies (warning alerts) go out promptly.
            self.flush_tls()?;
        }
    }
}

impl<C: DerefMut<Target = ConnectionCommon>, T: Read + Write> Write for Stream<C, T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.complete_handshake()?;
        let n = self.conn.write_plaintext(buf).map_err(io_error)?;
        self.flush_tls()?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_tls()
    }
}
