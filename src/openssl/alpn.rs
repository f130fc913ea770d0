//! ALPN with OpenSSL's semantics (RFC 7301): the wire-format protocol lists that
//! `SSL_CTX_set_alpn_protos` / `SSL_set_alpn_protos` take, `SSL_select_next_proto`, and the
//! [`AlpnSelector`] that calls the application's `SSL_CTX_set_alpn_select_cb` callback.

use super::err::{raise, ssl_r, LIB_SSL};
use super::ssl_ctx::AlpnSelectCallback;
use super::verify::SslPtr;
use crate::config::{AlpnSelection, AlpnSelector};
use libc::{c_int, c_void};

/// `SSL_TLSEXT_ERR_OK`.
pub const TLSEXT_ERR_OK: c_int = 0;
/// `SSL_TLSEXT_ERR_NOACK`.
pub const TLSEXT_ERR_NOACK: c_int = 3;
/// `OPENSSL_NPN_NEGOTIATED`.
pub const NPN_NEGOTIATED: c_int = 1;
/// `OPENSSL_NPN_NO_OVERLAP`.
pub const NPN_NO_OVERLAP: c_int = 2;

/// OpenSSL's `alpn_value_ok`: at least two bytes, a sequence of u8-length-prefixed non-empty
/// names that ends exactly at the end. `SSL_*_set_alpn_protos` return 1 for anything else.
pub fn wire_ok(wire: &[u8]) -> bool {
    if wire.len() < 2 {
        return false;
    }
    let mut i = 0;
    while i < wire.len() {
        if wire[i] == 0 {
            return false;
        }
        i += usize::from(wire[i]) + 1;
    }
    i == wire.len()
}

/// The names in a wire-format list (`\x02h2\x08http/1.1`). A malformed tail is dropped, so a
/// list that passed [`wire_ok`] comes back whole.
pub fn names(wire: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = wire;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len);
        if len == 0 || len > tail.len() {
            break;
        }
        out.push(tail[..len].to_vec());
        rest = &tail[len..];
    }
    out
}

/// The wire format of `names` (the inverse of [`names`]).
pub fn wire(names: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for n in names {
        out.push(n.len() as u8);
        out.extend_from_slice(n);
    }
    out
}

/// Where `SSL_select_next_proto` points `*out`: a name inside one of its two lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// `(offset, len)` inside the first (`server`) list.
    Server(usize, usize),
    /// `(offset, len)` inside the second (`client`) list.
    Client(usize, usize),
    /// `*out = NULL`, `*outlen = 0`.
    Nothing,
}

/// `(offset, len)` of each name in a wire-format list, skipping empty names and stopping at a
/// name that overruns the list (OpenSSL's `PACKET_get_length_prefixed_1` loop).
fn spans(list: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let len = usize::from(*list.get(at)?);
        if at + 1 + len > list.len() {
            return None;
        }
        let span = (at + 1, len);
        at += 1 + len;
        Some(span)
    })
}

/// `SSL_select_next_proto` as OpenSSL 3.0 (since the CVE-2024-5535 fix) does it: for each
/// name in `server` in order, the first that is also in `client` (NEGOTIATED, pointing into
/// `server`); otherwise the client's first name (NO_OVERLAP, pointing into `client`), or
/// nothing when the client list is empty or malformed at its start.
pub fn select_next_proto(server: &[u8], client: &[u8]) -> (c_int, Pick) {
    let Some((first_at, first_len)) = spans(client).next().filter(|&(_, len)| len > 0) else {
        return (NPN_NO_OVERLAP, Pick::Nothing);
    };
    for (s_at, s_len) in spans(server).filter(|&(_, len)| len > 0) {
        let name = &server[s_at..s_at + s_len];
        if spans(client).any(|(c_at, c_len)| &client[c_at..c_at + c_len] == name) {
            return (NPN_NEGOTIATED, Pick::Server(s_at, s_len));
        }
    }
    (NPN_NO_OVERLAP, Pick::Client(first_at, first_len))
}

/// The server's ALPN decision made by the application's `SSL_CTX_set_alpn_select_cb`, with
/// OpenSSL's meaning of its return value.
pub struct CallbackSelector {
    /// The callback (never `None` here; the type is the one settings store).
    pub callback: AlpnSelectCallback,
    /// Its argument.
    pub arg: *mut c_void,
    /// The `SSL` handed to the callback.
    pub ssl: SslPtr,
}

// SAFETY: the callback, its argument and the SSL are only used on the thread that drives this
// SSL's handshake (the server configuration is built per SSL and used by it alone), as OpenSSL
// itself would call them.
unsafe impl Send for CallbackSelector {}
// SAFETY: as above.
unsafe impl Sync for CallbackSelector {}

impl AlpnSelector for CallbackSelector {
    fn select(&self, offered: &[Vec<u8>]) -> AlpnSelection {
        let Some(cb) = self.callback else { return AlpnSelection::NoAck };
        let input = wire(offered);
        let mut out: *const u8 = std::ptr::null();
        let mut outlen: u8 = 0;
        // SAFETY: the application's callback with OpenSSL's arguments: `in`/`inlen` are the
        // client's list in wire format, alive for the call; `out`/`outlen` are writable.
        let r = unsafe {
            cb(self.ssl.get(), &mut out, &mut outlen, input.as_ptr(), input.len() as u32, self.arg)
        };
        match r {
            TLSEXT_ERR_OK => {
                // SAFETY: on success the callback points `*out` at `*outlen` readable bytes
                // (usually inside `in` or its own list), valid until it returns to us here.
                let chosen = unsafe { crate::openssl::bytes(out, usize::from(outlen)) };
                // RFC 7301 §3.2 needs one of the client's protocols; the engine takes an index.
                match chosen.and_then(|c| offered.iter().position(|o| o.as_slice() == c)) {
                    Some(i) => AlpnSelection::Selected(i),
                    None => {
                        raise!(
                            LIB_SSL,
                            ssl_r::NO_APPLICATION_PROTOCOL,
                            "tls_handle_alpn",
                            "the ALPN select callback chose a protocol the client did not offer"
                        );
                        AlpnSelection::Fatal
                    }
                }
            }
            TLSEXT_ERR_NOACK => AlpnSelection::NoAck,
            // OpenSSL treats every other value (ALERT_FATAL, ALERT_WARNING) as fatal.
            _ => AlpnSelection::Fatal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_lists_are_checked_as_openssl_checks_them() {
        assert!(wire_ok(b"\x02h2\x08http/1.1"));
        for bad in [&b""[..], b"\x02", b"\x00\x02h2", b"\x02h2\x05abc", b"\x02h2\x00"] {
            assert!(!wire_ok(bad), "{bad:?}");
        }
        assert_eq!(names(b"\x02h2\x08http/1.1"), vec![b"h2".to_vec(), b"http/1.1".to_vec()]);
        assert_eq!(wire(&names(b"\x02h2\x08http/1.1")), b"\x02h2\x08http/1.1");
    }

    #[test]
    fn select_next_proto_prefers_the_first_list_and_falls_back_to_the_clients_first() {
        let server = b"\x02h2\x08http/1.1";
        assert_eq!(select_next_proto(server, b"\x08http/1.1\x02h2"), (NPN_NEGOTIATED, Pick::Server(1, 2)));
        assert_eq!(select_next_proto(server, b"\x06spdy/3\x02h3"), (NPN_NO_OVERLAP, Pick::Client(1, 6)));
        assert_eq!(select_next_proto(server, b""), (NPN_NO_OVERLAP, Pick::Nothing));
        assert_eq!(select_next_proto(b"", b"\x02h2"), (NPN_NO_OVERLAP, Pick::Client(1, 2)));
    }
}
