//! Handshake, alert and ChangeCipherSpec messages: one type per RFC message, each a `Codec`.
#![forbid(unsafe_code)]

pub mod alert;
pub mod certificate;
pub mod certificate_request;
pub mod certificate_verify;
pub mod client_hello;
pub mod enums;
pub mod extensions;
pub mod finished;
pub mod handshake;
pub mod key_exchange;
pub mod new_session_ticket;
pub mod server_hello;
pub mod tls13;

/// `Random` of ClientHello and ServerHello (RFC 5246 §7.4.1.2).
pub type Random = [u8; 32];

/// Largest session_id (RFC 5246 §7.4.1.2: `opaque SessionID<0..32>`).
pub const MAX_SESSION_ID_LEN: usize = 32;

/// A session_id: at most 32 bytes, held inline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SessionId {
    len: u8,
    bytes: [u8; MAX_SESSION_ID_LEN],
}

impl SessionId {
    /// The empty session_id: we do not resume sessions yet.
    pub const EMPTY: Self = Self { len: 0, bytes: [0; MAX_SESSION_ID_LEN] };

    /// A session id with these bytes (at most 32).
    pub fn new(b: &[u8]) -> Option<Self> {
        if b.len() > MAX_SESSION_ID_LEN {
            return None;
        }
        let mut bytes = [0; MAX_SESSION_ID_LEN];
        bytes[..b.len()].copy_from_slice(b);
        Some(Self { len: b.len() as u8, bytes })
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

impl core::fmt::Debug for SessionId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SessionId({} bytes)", self.len)
    }
}

impl crate::codec::Codec<'_> for SessionId {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.len);
        out.extend_from_slice(self.as_slice());
    }
    fn read(r: &mut crate::codec::Reader<'_>) -> Result<Self, crate::codec::InvalidMessage> {
        let body = crate::codec::ListLength::U8 { max: MAX_SESSION_ID_LEN }.read(r, "session_id")?;
        Self::new(body.rest()).ok_or(crate::codec::InvalidMessage::TooLarge("session_id"))
    }
}
