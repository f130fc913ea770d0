//! Server name indication on a server with a servername callback: the SNI host name read from
//! the first ClientHello record, and the callback run (which may switch the `SSL_CTX`) before
//! the engine, which needs the certificate at once, is built.

use std::ffi::CString;

use libc::c_int;

use super::{bio_io, RwState, Shared, Ssl, Stop, SSL};
use crate::openssl::bio::Io;
use crate::openssl::err::{raise, LIB_SSL};

impl Ssl {
    /// Server with a servername callback: reads until the first record is in, reads SNI from
    /// the ClientHello, and lets the callback look (and switch the SSL_CTX) before the
    /// engine, which needs the certificate at once, is built.
    pub(super) fn servername_phase(&mut self, sh: &Shared, me: *const SSL) -> Result<(), Stop> {
        let Some(cbf) = self.settings.servername_cb else { return Ok(()) };
        loop {
            if self.inbuf.len() >= 5 {
                let len = usize::from(u16::from_be_bytes([self.inbuf[3], self.inbuf[4]]));
                if self.inbuf.len() >= 5 + len || self.inbuf[0] != 22 {
                    break;
                }
            }
            let mut buf = vec![0u8; self.rcursor.until_record_end()];
            match bio_io(self.rbio, |b| b.read(&mut buf)).unwrap_or(Io::Err(libc::EBADF)) {
                Io::Done(n) => {
                    self.rcursor.advance(&buf[..n]);
                    self.inbuf.extend_from_slice(&buf[..n])
                }
                Io::Retry => {
                    self.rwstate = RwState::Reading;
                    return Err(Stop::WantRead);
                }
                Io::Eof => break,
                Io::Err(_) => return Err(Stop::Syscall),
            }
        }
        if let Some(name) = client_hello_sni(&self.inbuf) {
            *sh.servername.borrow_mut() = CString::new(name).ok();
        }
        let mut ad: c_int = 112; // unrecognized_name
        let arg = self.settings.servername_arg.0;
        // SAFETY: the application's servername callback with its argument, as OpenSSL calls it.
        let r = unsafe { cbf(me.cast_mut(), &mut ad, arg) };
        if r == 2 {
            raise!(LIB_SSL, 234, "SSL_do_handshake", "the servername callback refused the connection");
            self.fatal = true;
            return Err(Stop::Fatal);
        }
        Ok(())
    }
}

/// The host_name in a ClientHello's server_name extension (RFC 6066 §3), if the first record
/// holds the whole ClientHello.
pub fn client_hello_sni(data: &[u8]) -> Option<String> {
    let rec_len = usize::from(u16::from_be_bytes([*data.get(3)?, *data.get(4)?]));
    let rec = data.get(5..5 + rec_len)?;
    if data[0] != 22 || *rec.first()? != 1 {
        return None;
    }
    let mut p = 4 + 2 + 32; // handshake header, client_version, random
    let skip = |p: &mut usize, width: usize| -> Option<()> {
        let len = match width {
            1 => usize::from(*rec.get(*p)?),
            _ => usize::from(u16::from_be_bytes([*rec.get(*p)?, *rec.get(*p + 1)?])),
        };
        *p += width + len;
        Some(())
    };
    skip(&mut p, 1)?; // session_id
    skip(&mut p, 2)?; // cipher_suites
    skip(&mut p, 1)?; // compression_methods
    let ext_end = p + 2 + usize::from(u16::from_be_bytes([*rec.get(p)?, *rec.get(p + 1)?]));
    p += 2;
    while p + 4 <= ext_end.min(rec.len()) {
        let typ = u16::from_be_bytes([rec[p], rec[p + 1]]);
        let len = usize::from(u16::from_be_bytes([rec[p + 2], rec[p + 3]]));
        let body = rec.get(p + 4..p + 4 + len)?;
        if typ == 0 {
            // server_name_list: u16 length, then name_type(1) u16 length name.
            if body.len() >= 5 && body[2] == 0 {
                let n = usize::from(u16::from_be_bytes([body[3], body[4]]));
                return std::str::from_utf8(body.get(5..5 + n)?).ok().map(str::to_string);
            }
            return None;
        }
        p += 4 + len;
    }
    None
}
