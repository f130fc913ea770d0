//! The message callback (`SSL_CTX_set_msg_callback`, `SSL_set_msg_callback`): the program sees
//! each TLS record's 5-byte header (`SSL3_RT_HEADER`) and each protocol message — handshake
//! messages one by one, ChangeCipherSpec, alerts — with its real bytes, in each direction, as
//! OpenSSL reports them. curl's `-v` prints its "TLSv1.2 (OUT), TLS handshake, Client hello (1)"
//! lines from these calls.
//!
//! The tracer reads the records as they cross the BIOs (RFC 5246 §6.2.1 framing). What follows
//! a ChangeCipherSpec in a direction is encrypted, and ferrotls does not hand decrypted
//! handshake records back to this layer, so there only the record headers are reported: the
//! encrypted Finished message and encrypted alerts are not (docs/openssl-compat.md lists it).
//! Application data content is not reported, as in OpenSSL. A received ChangeCipherSpec is not
//! reported either (OpenSSL 3.0 reports only the one it sends). Before the version is
//! negotiated the callback gets TLS 1.2 (ferrotls' highest); an OpenSSL server passes 0x0304
//! for the ClientHello it reads.

use libc::{c_int, c_void};

use super::SSL;
use crate::openssl::ssl_ctx::AppPtr;

/// `void (*cb)(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl, void *arg)`.
pub type MsgCallback =
    Option<unsafe extern "C" fn(c_int, c_int, c_int, *const c_void, usize, *mut SSL, *mut c_void)>;

/// `SSL3_RT_HEADER`: the pseudo content type of a record header.
const RT_HEADER: c_int = 0x100;
/// Record content types (RFC 5246 §6.2.1).
const RT_CHANGE_CIPHER_SPEC: u8 = 20;
const RT_ALERT: u8 = 21;
const RT_HANDSHAKE: u8 = 22;
/// The largest record ciphertext (RFC 5246 §6.2.3): longer means this is not TLS, and the
/// tracer stops rather than buffer without bound.
const MAX_RECORD: usize = (1 << 14) + 2048;

/// One direction's framing state.
#[derive(Debug, Default)]
struct Direction {
    /// Bytes of an incomplete record.
    partial: Vec<u8>,
    /// Bytes of an incomplete handshake message (messages may span records).
    handshake: Vec<u8>,
    /// A ChangeCipherSpec went by: later records are encrypted.
    encrypted: bool,
    /// The stream stopped looking like TLS records.
    lost: bool,
}

/// Where the callback goes and the record state of both directions.
#[derive(Debug)]
pub struct Tracer {
    /// The `SSL` passed to the callback.
    pub ssl: *const SSL,
    dirs: [Direction; 2],
}

impl Default for Tracer {
    fn default() -> Self {
        Self { ssl: std::ptr::null(), dirs: Default::default() }
    }
}

impl Tracer {
    /// Reports what `bytes` (the next bytes read, or written when `write`) complete.
    /// `version` is the protocol version OpenSSL would pass (the negotiated one, else the
    /// highest the `SSL` may use).
    pub fn feed(&mut self, write: bool, bytes: &[u8], cb: MsgCallback, arg: AppPtr, version: u16) {
        let Some(cb) = cb else { return };
        let ssl = self.ssl.cast_mut();
        let d = &mut self.dirs[usize::from(write)];
        if d.lost || bytes.is_empty() {
            return;
        }
        let call = |ct: c_int, buf: &[u8]| {
            // SAFETY: the application's message callback, called as OpenSSL calls it: the
            // buffer is valid for the call only.
            unsafe {
                cb(c_int::from(write), c_int::from(version), ct, buf.as_ptr().cast(), buf.len(), ssl, arg.0)
            };
        };
        d.partial.extend_from_slice(bytes);
        loop {
            if d.partial.len() < 5 {
                return;
            }
            let len = usize::from(u16::from_be_bytes([d.partial[3], d.partial[4]]));
            if len > MAX_RECORD || !(20..=23).contains(&d.partial[0]) {
                d.lost = true;
                d.partial.clear();
                return;
            }
            if d.partial.len() < 5 + len {
                return;
            }
            let record: Vec<u8> = d.partial.drain(..5 + len).collect();
            call(RT_HEADER, &record[..5]);
            if d.encrypted {
                continue;
            }
            let body = &record[5..];
            match record[0] {
                RT_CHANGE_CIPHER_SPEC => {
                    // OpenSSL 3.0 reports the ChangeCipherSpec it sends, not the one it
                    // receives (only that record's header).
                    if write {
                        call(c_int::from(RT_CHANGE_CIPHER_SPEC), body);
                    }
                    d.encrypted = true;
                }
                RT_ALERT => {
                    for a in body.chunks(2) {
                        call(c_int::from(RT_ALERT), a);
                    }
                }
                RT_HANDSHAKE => {
                    d.handshake.extend_from_slice(body);
                    // Handshake messages: type(1) length(3) body (RFC 5246 §7.4).
                    while d.handshake.len() >= 4 {
                        let n = (usize::from(d.handshake[1]) << 16)
                            | (usize::from(d.handshake[2]) << 8)
                            | usize::from(d.handshake[3]);
                        if d.handshake.len() < 4 + n {
                            break;
                        }
                        let msg: Vec<u8> = d.handshake.drain(..4 + n).collect();
                        call(c_int::from(RT_HANDSHAKE), &msg);
                    }
                }
                _ => {}
            }
        }
    }
}
