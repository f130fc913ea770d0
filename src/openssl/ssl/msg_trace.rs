//! The message callback (`SSL_CTX_set_msg_callback`, `SSL_set_msg_callback`): the program sees
//! each TLS record's 5-byte header (`SSL3_RT_HEADER`), the real content type of each TLS 1.3
//! protected record (`SSL3_RT_INNER_CONTENT_TYPE`), and each protocol message in plaintext —
//! handshake messages one by one (also those that travel encrypted: EncryptedExtensions,
//! Certificate, CertificateVerify, Finished, NewSessionTicket), ChangeCipherSpec, alerts — in
//! each direction, with what OpenSSL 3.0 passes. curl's `-v` prints its "TLSv1.3 (IN), TLS
//! handshake, Finished (20)" lines from these calls.
//!
//! The engine keeps the log (`ConnectionCommon::observe_messages`, on while a callback is set)
//! and this layer hands its events to the callback after each step, in the engine's order:
//! for a record written, its header, its inner type, then the message (OpenSSL's
//! `do_ssl3_write` then `ssl3_do_write`); for a record read, its header, its inner type, then
//! each message it completes (`ssl3_get_record`, `tls_get_message_body`). As in OpenSSL 3.0:
//! application data content is not reported, nor a received ChangeCipherSpec; a header carries
//! its record's version, a sent inner type its record's version (0x0303), anything else the
//! connection's version — before it is agreed, the highest the client may offer, and 0x0304
//! on a server (`tls1_clear`).

use libc::{c_int, c_void};

use super::{Ssl, SSL};
use crate::conn::Observed;
use crate::enums::ContentType;
use crate::openssl::ssl_ctx::Side;

/// `void (*cb)(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl, void *arg)`.
pub type MsgCallback =
    Option<unsafe extern "C" fn(c_int, c_int, c_int, *const c_void, usize, *mut SSL, *mut c_void)>;

/// `SSL3_RT_HEADER`: the pseudo content type of a record header.
const RT_HEADER: c_int = 0x100;
/// `SSL3_RT_INNER_CONTENT_TYPE`: the pseudo content type of a TLS 1.3 record's real type.
const RT_INNER_CONTENT_TYPE: c_int = 0x101;

impl Ssl {
    /// Turns the engine's message log on or off to follow the callback, and reports what it
    /// holds. `me` is the `SSL` the callback is given.
    pub(super) fn report_messages(&mut self, me: *const SSL) {
        let cb = self.settings.msg_callback;
        let Some(conn) = self.conn.as_mut() else { return };
        conn.observe_messages(cb.is_some());
        let Some(cb) = cb else { return };
        let events = conn.take_observed();
        if events.is_empty() {
            return;
        }
        let arg = self.settings.msg_callback_arg;
        let unagreed = match self.side {
            Side::Server if self.settings.method_version != 0 => self.settings.method_version,
            Side::Server => 0x0304,
            _ => self.settings.version_range().map_or(0x0304, |(_, hi)| hi),
        };
        let call = |write: bool, version: u16, ct: c_int, buf: &[u8]| {
            // SAFETY: the application's message callback, called as OpenSSL calls it: the
            // buffer is valid for the call only.
            unsafe {
                cb(
                    c_int::from(write),
                    c_int::from(version),
                    ct,
                    buf.as_ptr().cast(),
                    buf.len(),
                    me.cast_mut(),
                    arg.0,
                )
            };
        };
        for event in events {
            match event {
                Observed::RecordHeader { sent, header } => {
                    call(sent, u16::from_be_bytes([header[1], header[2]]), RT_HEADER, &header)
                }
                Observed::InnerContentType { sent, typ } => {
                    let version = if sent { 0x0303 } else { 0x0304 };
                    call(sent, version, RT_INNER_CONTENT_TYPE, &[u8::from(typ)])
                }
                // OpenSSL 3.0 reports the ChangeCipherSpec it sends, not one it receives.
                Observed::Message { sent: false, typ: ContentType::ChangeCipherSpec, .. } => {}
                Observed::Message { sent, typ, version, bytes } => {
                    let version = version.map_or(unagreed, u16::from);
                    call(sent, version, c_int::from(u8::from(typ)), &bytes)
                }
            }
        }
    }
}
