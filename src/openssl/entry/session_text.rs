//! `SSL_SESSION` as text: `SSL_SESSION_print` (OpenSSL 3.0's layout, `ssl/ssl_txt.c`) and
//! `PEM_write_bio_SSL_SESSION` / `PEM_read_bio_SSL_SESSION` ("SSL SESSION PARAMETERS" around
//! the `i2d_SSL_SESSION` bytes, which are ferrotls's own encoding: only this library reads them
//! back, as for `d2i_SSL_SESSION`).

use std::fmt::Write as _;
use std::ptr::null_mut;

use libc::{c_int, c_void};

use super::x509::{pem_text, read_pem_block};
use crate::openssl::bio::{Io, BIO};
use crate::openssl::err::{other_r, raise, LIB_PEM};
use crate::openssl::session::{session_to_raw, SSL_SESSION};
use crate::openssl::ssl_ctx::PasswordCallback;
use crate::openssl::verify::error_string;

const PEM_LABEL: &str = "SSL SESSION PARAMETERS";

/// `BIO_dump_indent(bp, data, len, 4)`: 16 bytes a row, hex with a `-` after the eighth, then
/// the printable characters.
fn dump_indent4(out: &mut String, data: &[u8]) {
    for (row, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, "    {:04x} - ", row * 16);
        for j in 0..16 {
            match chunk.get(j) {
                Some(b) => {
                    let _ = write!(out, "{b:02x}{}", if j == 7 { '-' } else { ' ' });
                }
                None => out.push_str("   "),
            }
        }
        out.push_str("  ");
        out.extend(chunk.iter().map(|&c| if (b' '..=b'~').contains(&c) { c as char } else { '.' }));
        out.push('\n');
    }
}

fn hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        let _ = write!(out, "{b:02X}");
    }
}

/// OpenSSL 3.0's `SSL_SESSION_print` text for `s`.
fn session_text(s: &SSL_SESSION) -> String {
    let tls13 = s.version == 0x0304;
    let mut o = String::from("SSL-Session:\n");
    let protocol = match s.version {
        0x0304 => "TLSv1.3",
        0x0303 => "TLSv1.2",
        0x0302 => "TLSv1.1",
        0x0301 => "TLSv1",
        _ => "unknown",
    };
    let _ = write!(o, "    Protocol  : {protocol}\n    Cipher    : {}\n", s.suite.openssl_name);
    o.push_str("    Session-ID: ");
    hex(&mut o, s.id());
    o.push_str("\n    Session-ID-ctx: ");
    if let Some(t) = &s.session {
        hex(&mut o, t.session_id_context());
    }
    o.push_str(if tls13 { "\n    Resumption PSK: " } else { "\n    Master-Key: " });
    match (&s.session, &s.tls13) {
        (Some(t), _) => hex(&mut o, t.master_secret()),
        (None, Some(t)) => hex(&mut o, t.psk()),
        (None, None) => {}
    }
    o.push_str("\n    PSK identity: None\n    PSK identity hint: None\n    SRP username: None");
    let hint = s.ticket_lifetime_hint();
    if hint != 0 {
        let _ = write!(o, "\n    TLS session ticket lifetime hint: {hint} (seconds)");
    }
    let ticket = match (&s.session, &s.tls13) {
        (Some(t), _) => t.ticket(),
        (None, Some(t)) => t.ticket(),
        (None, None) => &[],
    };
    if !ticket.is_empty() {
        o.push_str("\n    TLS session ticket:\n");
        dump_indent4(&mut o, ticket);
    }
    if s.time != 0 {
        let _ = write!(o, "\n    Start Time: {}", s.time);
    }
    if s.timeout != 0 {
        let _ = write!(o, "\n    Timeout   : {} (sec)", s.timeout);
    }
    let verify = error_string(s.verify_result as c_int).to_string_lossy();
    let _ = write!(o, "\n    Verify return code: {} ({verify})\n", s.verify_result);
    let ems = s.session.as_ref().is_some_and(|t| t.extended_master_secret());
    let _ = writeln!(o, "    Extended master secret: {}", if ems { "yes" } else { "no" });
    if tls13 {
        let _ = writeln!(o, "    Max Early Data: {}", s.max_early_data());
    }
    o
}

entry! {
    /// Prints the session as OpenSSL 3.0 does (protocol, cipher, ID, context, master secret or
    /// TLS 1.3 resumption PSK, ticket, times, verification result, EMS, early data). The text
    /// carries the session's secret, as OpenSSL's does. 1, or 0 when the BIO fails.
    fn SSL_SESSION_print(bp: *mut BIO, x: *const SSL_SESSION) -> c_int {
        let b = arg_mut!(bp, 0);
        let s = arg_ref!(x, 0);
        c_int::from(matches!(b.write(session_text(s).as_bytes()), Io::Done(_)))
    }
    /// Writes the session's `i2d_SSL_SESSION` bytes as PEM ("SSL SESSION PARAMETERS"). 1; 0
    /// for a session without an encoding (one the server did not let us resume) or when the
    /// BIO fails.
    fn PEM_write_bio_SSL_SESSION(bp: *mut BIO, x: *const SSL_SESSION) -> c_int {
        let b = arg_mut!(bp, 0);
        let bytes = arg_ref!(x, 0).to_bytes();
        if bytes.is_empty() {
            raise!(LIB_PEM, other_r::PEM_LIB, "PEM_write_bio_SSL_SESSION", "the session has no encoding");
            return 0;
        }
        c_int::from(matches!(b.write(pem_text(PEM_LABEL, &bytes).as_bytes()), Io::Done(_)))
    }
    /// Reads the next "SSL SESSION PARAMETERS" block that `PEM_write_bio_SSL_SESSION` wrote;
    /// NULL with "no start line" when there is none, or when its bytes are not a session. Also
    /// stored in `*x` when `x` is non-NULL (freeing what was there).
    fn PEM_read_bio_SSL_SESSION(bp: *mut BIO, x: *mut *mut SSL_SESSION, _cb: PasswordCallback, _u: *mut c_void) -> *mut SSL_SESSION {
        const FUNC: &str = "PEM_read_bio_SSL_SESSION";
        let b = arg_mut!(bp, null_mut());
        let Some(block) = read_pem_block(b, &[PEM_LABEL]) else {
            raise!(LIB_PEM, other_r::PEM_NO_START_LINE, FUNC);
            return null_mut();
        };
        let session = pem_rfc7468::decode_vec(&block).ok().and_then(|(_, der)| SSL_SESSION::from_bytes(&der));
        let Some(session) = session else {
            raise!(LIB_PEM, other_r::PEM_LIB, FUNC, "not a session of this library");
            return null_mut();
        };
        let raw = session_to_raw(session);
        if !x.is_null() {
            // SAFETY: a non-NULL `SSL_SESSION **` out-parameter; `*x` is NULL or a session the
            // caller owns a reference to, which OpenSSL frees.
            unsafe {
                super::session::SSL_SESSION_free(*x);
                *x = raw;
            }
        }
        raw
    }
}
