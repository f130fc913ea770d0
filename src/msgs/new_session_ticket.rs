//! NewSessionTicket (RFC 5077 §3.3): the ticket a TLS 1.2 server issues after the client's
//! Finished (full handshake) or after ServerHello (abbreviated handshake).

use crate::codec::{Codec, InvalidMessage, ListLength, Reader};

/// `struct { uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>; } NewSessionTicket;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSessionTicket {
    /// Seconds the ticket should be kept (0: unspecified, RFC 5077 §3.3).
    pub lifetime_hint: u32,
    /// The opaque ticket; empty when the server declined to issue one after all.
    pub ticket: Vec<u8>,
}

impl Codec<'_> for NewSessionTicket {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.lifetime_hint.to_be_bytes());
        ListLength::U16 { max: 0xffff }.encode_with(out, |o| o.extend_from_slice(&self.ticket));
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let hint = r.take(4, "ticket_lifetime_hint")?;
        let lifetime_hint = u32::from_be_bytes([hint[0], hint[1], hint[2], hint[3]]);
        let ticket = ListLength::U16 { max: 0xffff }.read(r, "ticket")?.rest().to_vec();
        Ok(Self { lifetime_hint, ticket })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_session_ticket_round_trips_and_every_truncation_fails() {
        for t in [
            NewSessionTicket { lifetime_hint: 0, ticket: vec![] },
            NewSessionTicket { lifetime_hint: 7200, ticket: vec![7; 300] },
            NewSessionTicket { lifetime_hint: u32::MAX, ticket: vec![1; 0xffff] },
        ] {
            let bytes = t.encoding();
            assert_eq!(NewSessionTicket::read_bytes(&bytes).unwrap(), t);
            for cut in [0, 3, 4, 5, bytes.len() - 1] {
                assert!(NewSessionTicket::read_bytes(&bytes[..cut]).is_err());
            }
        }
        // A length beyond the bytes present.
        assert!(NewSessionTicket::read_bytes(&[0, 0, 0, 1, 0, 5, 1, 2]).is_err());
    }
}
