//! Moving bytes: TLS records between the engine and the read/write `BIO`s, plaintext for
//! `SSL_read`/`SSL_peek`/`SSL_write`, and `SSL_shutdown`'s close_notify exchange. "Would block"
//! becomes a [`Stop`] that the entry points turn into `-1` and `SSL_get_error`'s answer.

use libc::c_int;

use super::{
    bio_io, cb, raise_error, HsState, RwState, Shared, Ssl, Stop, READ_CHUNK, RECEIVED_SHUTDOWN,
    SENT_SHUTDOWN, SSL, WRITE_RECORD,
};
use crate::error::Error;
use crate::openssl::bio::Io;
use crate::openssl::err::{raise, ssl_r, LIB_SSL};
use crate::openssl::ssl_ctx::{mode, op};

impl Ssl {
    pub(super) fn flush(&mut self) -> Result<(), Stop> {
        self.report_messages(self.me);
        let Some(conn) = self.conn.as_mut() else { return Ok(()) };
        while conn.wants_write() {
            let r = bio_io(self.wbio, |b| b.write(conn.pending_tls()));
            match r {
                Some(Io::Done(n)) => conn.consume_tls(n),
                Some(Io::Retry) => {
                    self.rwstate = RwState::Writing;
                    return Err(Stop::WantWrite);
                }
                Some(Io::Eof | Io::Err(_)) => return Err(Stop::Syscall),
                None => {
                    raise!(
                        LIB_SSL,
                        ssl_r::UNINITIALIZED,
                        "SSL_write",
                        "no write BIO (SSL_set_fd / SSL_set_bio)"
                    );
                    return Err(Stop::Fatal);
                }
            }
        }
        Ok(())
    }

    /// Reads once from the transport (unless bytes are already buffered), feeds the engine
    /// and processes.
    pub(super) fn fill(&mut self, sh: &Shared, me: *const SSL) -> Result<(), Stop> {
        if self.inbuf.is_empty() {
            // SSL_CTX_set_read_ahead: read what the transport has; otherwise up to the end of
            // the current record (see `RecordCursor`).
            let want =
                if self.settings.read_ahead != 0 { READ_CHUNK } else { self.rcursor.until_record_end() };
            let mut buf = vec![0u8; want];
            match bio_io(self.rbio, |b| b.read(&mut buf)) {
                Some(Io::Done(n)) => {
                    self.rcursor.advance(&buf[..n]);
                    self.inbuf.extend_from_slice(&buf[..n])
                }
                Some(Io::Eof) => {
                    if let Some(c) = self.conn.as_mut() {
                        c.feed_eof();
                    }
                }
                Some(Io::Retry) => {
                    self.rwstate = RwState::Reading;
                    return Err(Stop::WantRead);
                }
                Some(Io::Err(_)) => return Err(Stop::Syscall),
                None => {
                    raise!(
                        LIB_SSL,
                        ssl_r::UNINITIALIZED,
                        "SSL_read",
                        "no read BIO (SSL_set_fd / SSL_set_bio)"
                    );
                    return Err(Stop::Fatal);
                }
            }
        }
        if let Some(c) = self.conn.as_mut() {
            let n = c.feed_tls(&self.inbuf);
            self.inbuf.drain(..n);
        }
        self.process(sh, me)
    }

    pub(super) fn process(&mut self, sh: &Shared, me: *const SSL) -> Result<(), Stop> {
        let Some(conn) = self.conn.as_mut() else { return Ok(()) };
        // Callbacks of a configuration shared by the context's SSLs find this one here.
        let current = crate::openssl::verify::CurrentSsl::enter(me, self.tls13.tickets.clone());
        let processed = conn.process();
        drop(current);
        self.report_messages(me);
        match processed {
            Ok(state) => {
                self.collect_tickets(sh, me);
                let Some(conn) = self.conn.as_mut() else { return Ok(()) };
                let mut tmp = vec![0u8; state.plaintext_bytes_to_read.max(1)];
                loop {
                    match conn.read_plaintext(&mut tmp) {
                        Ok(0) => break,
                        Ok(n) => self.plain.extend(&tmp[..n]),
                        Err(Error::Truncated) => {
                            self.truncated = true;
                            break;
                        }
                        Err(e) => return Err(self.fail(sh, &e, "SSL_read")),
                    }
                }
                if state.peer_has_closed && !self.close_notify_received {
                    self.close_notify_received = true;
                    self.shutdown |= RECEIVED_SHUTDOWN;
                    self.info(sh, me, cb::ALERT | cb::READ, 1 << 8);
                }
                Ok(())
            }
            Err(e) => {
                let func = if self.handshake_done { "SSL_read" } else { "SSL_do_handshake" };
                Err(self.fail(sh, &e, func))
            }
        }
    }

    pub(super) fn fail(&mut self, sh: &Shared, e: &Error, func: &'static str) -> Stop {
        // Send the alert the engine queued; the error is what counts.
        let _ = self.flush();
        self.rwstate = RwState::Nothing;
        if matches!(e, Error::Truncated) && self.settings.options & op::IGNORE_UNEXPECTED_EOF != 0 {
            self.truncated = true;
            return Stop::Fatal;
        }
        raise_error(e, func);
        self.fatal = true;
        if !self.handshake_done {
            sh.state.set(HsState::Error);
        }
        Stop::Fatal
    }

    pub(super) fn stop_to_ret(&mut self, stop: Stop) -> c_int {
        if stop == Stop::Syscall {
            self.fatal = true;
        }
        -1
    }

    /// `SSL_read_ex`/`SSL_peek`: bytes, 0 at close_notify (or an ignored unexpected EOF),
    /// -1 otherwise; `SSL_get_error` tells which.
    pub fn read(&mut self, sh: &Shared, me: *const SSL, buf: &mut [u8], peek: bool) -> c_int {
        self.rwstate = RwState::Nothing;
        if !self.side_set {
            raise!(LIB_SSL, ssl_r::UNINITIALIZED, "SSL_read");
            return -1;
        }
        if self.fatal {
            return -1;
        }
        if !self.handshake_done {
            let r = self.handshake(sh, me);
            if r <= 0 {
                return r;
            }
        }
        if let Err(stop) = self.send_pending_key_update(sh) {
            return self.stop_to_ret(stop);
        }
        loop {
            if !self.plain.is_empty() {
                let n = buf.len().min(self.plain.len()).min(c_int::MAX as usize);
                for (d, s) in buf.iter_mut().zip(self.plain.iter()) {
                    *d = *s;
                }
                if !peek {
                    self.plain.drain(..n);
                }
                return n as c_int;
            }
            if buf.is_empty() {
                return 0;
            }
            if self.shutdown & RECEIVED_SHUTDOWN != 0 {
                return 0;
            }
            if self.truncated {
                if self.settings.options & op::IGNORE_UNEXPECTED_EOF != 0 {
                    self.shutdown |= RECEIVED_SHUTDOWN;
                    self.close_notify_received = true;
                    return 0;
                }
                // OpenSSL 3: SSL_read returns 0 here too; SSL_get_error tells it apart from a
                // clean close by the queued "unexpected eof while reading".
                raise!(LIB_SSL, ssl_r::UNEXPECTED_EOF_WHILE_READING, "SSL_read");
                self.fatal = true;
                return 0;
            }
            if let Err(stop) = self.flush() {
                return self.stop_to_ret(stop);
            }
            if let Err(stop) = self.fill(sh, me) {
                return self.stop_to_ret(stop);
            }
        }
    }

    /// `SSL_write`: all of `buf` (or one record's worth with `SSL_MODE_ENABLE_PARTIAL_WRITE`),
    /// or -1. After `WANT_WRITE` the retry must pass the same data; what was already accepted
    /// is not sent twice.
    pub fn write(&mut self, sh: &Shared, me: *const SSL, buf: &[u8]) -> c_int {
        self.rwstate = RwState::Nothing;
        if !self.side_set {
            raise!(LIB_SSL, ssl_r::UNINITIALIZED, "SSL_write");
            return -1;
        }
        if self.shutdown & SENT_SHUTDOWN != 0 {
            raise!(LIB_SSL, ssl_r::PROTOCOL_IS_SHUTDOWN, "SSL_write");
            return -1;
        }
        if self.fatal {
            return -1;
        }
        if !self.handshake_done {
            let r = self.handshake(sh, me);
            if r <= 0 {
                return r;
            }
        }
        if let Err(stop) = self.send_pending_key_update(sh) {
            return self.stop_to_ret(stop);
        }
        if let Some(n) = self.pending_write {
            if let Err(stop) = self.flush() {
                return self.stop_to_ret(stop);
            }
            self.pending_write = None;
            return n as c_int;
        }
        if buf.is_empty() {
            return 0;
        }
        let max = if self.settings.mode & mode::ENABLE_PARTIAL_WRITE != 0 {
            WRITE_RECORD
        } else {
            c_int::MAX as usize
        };
        let chunk = &buf[..buf.len().min(max)];
        let Some(conn) = self.conn.as_mut() else { return -1 };
        if let Err(e) = conn.write_plaintext(chunk) {
            self.fail(sh, &e, "SSL_write");
            return -1;
        }
        match self.flush() {
            Ok(()) => chunk.len() as c_int,
            Err(Stop::WantWrite) => {
                self.pending_write = Some(chunk.len());
                -1
            }
            Err(stop) => self.stop_to_ret(stop),
        }
    }

    /// `SSL_shutdown`: 0 after sending close_notify, 1 once the peer's arrived too.
    pub fn shutdown(&mut self, sh: &Shared, me: *const SSL) -> c_int {
        self.rwstate = RwState::Nothing;
        if !self.side_set {
            raise!(LIB_SSL, ssl_r::UNINITIALIZED, "SSL_shutdown");
            return -1;
        }
        if self.settings.quiet_shutdown {
            self.shutdown = SENT_SHUTDOWN | RECEIVED_SHUTDOWN;
            return 1;
        }
        if !self.handshake_done {
            raise!(LIB_SSL, ssl_r::SHUTDOWN_WHILE_IN_INIT, "SSL_shutdown");
            return -1;
        }
        if self.fatal {
            return -1;
        }
        if self.shutdown & SENT_SHUTDOWN == 0 {
            self.shutdown |= SENT_SHUTDOWN;
            if let Some(c) = self.conn.as_mut() {
                c.send_close_notify();
            }
            self.info(sh, me, cb::ALERT | cb::WRITE, 1 << 8);
            if let Err(stop) = self.flush() {
                return self.stop_to_ret(stop);
            }
            return if self.shutdown & RECEIVED_SHUTDOWN != 0 { 1 } else { 0 };
        }
        if let Err(stop) = self.flush() {
            return self.stop_to_ret(stop);
        }
        loop {
            self.plain.clear();
            if self.shutdown & RECEIVED_SHUTDOWN != 0 {
                return 1;
            }
            if self.truncated {
                raise!(LIB_SSL, ssl_r::UNEXPECTED_EOF_WHILE_READING, "SSL_shutdown");
                self.fatal = true;
                return -1;
            }
            if let Err(stop) = self.fill(sh, me) {
                return self.stop_to_ret(stop);
            }
        }
    }
}
