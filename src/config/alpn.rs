//! Application-Layer Protocol Negotiation settings (RFC 7301): the protocol lists both
//! builders take, and the server's selection hook.

use crate::error::Error;
use core::fmt;

/// Longest encoded `ProtocolNameList` a configuration accepts. RFC 7301 §3.1 allows
/// `<2..2^16-1>`, but the list sits inside an extension body whose own u16 length must also
/// cover the list's two length bytes.
pub const MAX_PROTOCOL_NAME_LIST_LEN: usize = 0xffff - 2;

/// What a server's [`AlpnSelector`] decided for one ClientHello (RFC 7301 §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlpnSelection {
    /// Use the client's offer at this index (into the list given to [`AlpnSelector::select`]).
    Selected(usize),
    /// Answer without ALPN, as a server that does not implement it would.
    NoAck,
    /// Refuse the connection with a fatal `no_application_protocol` alert.
    Fatal,
}

/// A server-side ALPN decision made by the application instead of by preference order (what
/// OpenSSL's `SSL_CTX_set_alpn_select_cb` needs). Closures
/// `Fn(&[Vec<u8>]) -> AlpnSelection + Send + Sync` implement it.
pub trait AlpnSelector: Send + Sync {
    /// Chooses among `offered`, the client's protocol names in its preference order (never
    /// empty). Called once per handshake, only when the client sent ALPN.
    fn select(&self, offered: &[Vec<u8>]) -> AlpnSelection;
}

impl<F> AlpnSelector for F
where
    F: Fn(&[Vec<u8>]) -> AlpnSelection + Send + Sync,
{
    fn select(&self, offered: &[Vec<u8>]) -> AlpnSelection {
        self(offered)
    }
}

impl fmt::Debug for dyn AlpnSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AlpnSelector")
    }
}

/// Refuses a list that cannot go on the wire: RFC 7301 §3.1 names are `<1..2^8-1>` bytes and
/// the list has a u16 length. An empty list means "no ALPN" and is accepted.
pub(crate) fn require_valid_protocols(protocols: &[Vec<u8>]) -> Result<(), Error> {
    if let Some(p) = protocols.iter().find(|p| p.is_empty() || p.len() > 255) {
        return Err(Error::Config(format!(
            "ALPN protocol names must be 1 to 255 bytes (RFC 7301 §3.1); got one of {} bytes",
            p.len()
        )));
    }
    let encoded: usize = protocols.iter().map(|p| 1 + p.len()).sum();
    if encoded > MAX_PROTOCOL_NAME_LIST_LEN {
        return Err(Error::Config(format!(
            "the ALPN protocol list takes {encoded} bytes encoded; at most {MAX_PROTOCOL_NAME_LIST_LEN} fit"
        )));
    }
    Ok(())
}

/// RFC 7301 §3.2: the server picks by its own preference the first of its protocols that the
/// client offered. `None` when none overlap.
pub(crate) fn select_by_server_preference<'a>(
    server: &[Vec<u8>],
    offered: &'a [Vec<u8>],
) -> Option<&'a [u8]> {
    server.iter().find_map(|s| offered.iter().find(|o| *o == s)).map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_1_to_255_bytes_and_the_list_must_fit() {
        assert!(require_valid_protocols(&[]).is_ok());
        assert!(require_valid_protocols(&[b"h2".to_vec(), vec![b'x'; 255]]).is_ok());
        assert!(require_valid_protocols(&[Vec::new()]).is_err());
        assert!(require_valid_protocols(&[vec![b'x'; 256]]).is_err());
        assert!(require_valid_protocols(&vec![vec![b'x'; 255]; 257]).is_err());
    }

    #[test]
    fn the_server_preference_decides() {
        let server = [b"h2".to_vec(), b"http/1.1".to_vec()];
        let offered = [b"http/1.1".to_vec(), b"h2".to_vec()];
        assert_eq!(select_by_server_preference(&server, &offered), Some(&b"h2"[..]));
        assert_eq!(select_by_server_preference(&server, &[b"spdy/3".to_vec()]), None);
    }
}
