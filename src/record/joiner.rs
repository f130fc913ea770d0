//! Reassembles handshake messages that span records, and splits records holding several
//! (RFC 5246 §6.2.1).

use crate::error::{Error, PeerMisbehaved};

/// Largest handshake message accepted: the largest ClientHello that RFC 5246 §7.4.1.2's field
/// bounds allow (2 + 32 + 1+32 + 2+65,534 + 1+255 + 2+65,535 = 131,396 bytes; tlsfuzzer's
/// test-client-hello-max-size sends it). Certificate chains are the other large messages;
/// OpenSSL's default cap on them is 100 KiB.
pub const MAX_HANDSHAKE_MESSAGE_LEN: usize = 131_396;

/// Buffers handshake-record payloads until whole messages are available.
///
/// Bounded: delivered messages are dropped from the front when the next record arrives, so
/// what stays buffered is at most one partial message (its declared length is checked
/// against [`MAX_HANDSHAKE_MESSAGE_LEN`] as soon as its header is visible) plus one record.
#[derive(Debug, Default)]
pub struct HandshakeJoiner {
    buf: Vec<u8>,
    start: usize,
}

impl HandshakeJoiner {
    /// Appends a handshake record's payload.
    pub fn push(&mut self, data: &[u8]) -> Result<(), Error> {
        if data.is_empty() {
            return Err(PeerMisbehaved::EmptyRecord(crate::msgs::enums::ContentType::Handshake).into());
        }
        // Compact: a peer that ends every record with the first byte of the next message would
        // otherwise grow the buffer with its traffic, since it is never completely consumed.
        // The move is at most one partial message, once per message delivered.
        self.buf.drain(..self.start);
        self.start = 0;
        self.buf.extend_from_slice(data);
        // Check the declared length as soon as a header is visible, before buffering the body.
        self.peek_len()?;
        Ok(())
    }

    /// Bytes allocated for buffering (for tests that check memory stays bounded).
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// True when no partial message is buffered (other record types may then arrive).
    pub fn is_empty(&self) -> bool {
        self.start == self.buf.len()
    }

    fn peek_len(&self) -> Result<Option<usize>, Error> {
        let avail = &self.buf[self.start..];
        if avail.len() < 4 {
            return Ok(None);
        }
        let len = u32::from_be_bytes([0, avail[1], avail[2], avail[3]]) as usize;
        if len > MAX_HANDSHAKE_MESSAGE_LEN {
            return Err(PeerMisbehaved::HandshakeMessageTooLarge(len).into());
        }
        Ok(Some(len))
    }

    /// The next complete message (header and body), if any.
    pub fn pop(&mut self) -> Result<Option<&[u8]>, Error> {
        let Some(len) = self.peek_len()? else { return Ok(None) };
        let avail = self.buf.len() - self.start;
        if avail < 4 + len {
            return Ok(None);
        }
        let s = self.start;
        self.start += 4 + len;
        Ok(Some(&self.buf[s..s + 4 + len]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_spanning_and_sharing_records_are_separated() {
        let mut j = HandshakeJoiner::default();
        j.push(&[14, 0, 0, 0, 20, 0]).unwrap();
        assert_eq!(j.pop().unwrap().unwrap(), &[14, 0, 0, 0]);
        assert!(j.pop().unwrap().is_none());
        j.push(&[0, 2, 1]).unwrap();
        assert!(j.pop().unwrap().is_none());
        assert!(!j.is_empty());
        j.push(&[2]).unwrap();
        assert_eq!(j.pop().unwrap().unwrap(), &[20, 0, 0, 2, 1, 2]);
        assert!(j.is_empty());
    }

    #[test]
    fn a_peer_that_always_leaves_a_partial_message_does_not_grow_the_buffer() {
        // Every record ends with the first byte of the next 1000-byte message.
        let mut j = HandshakeJoiner::default();
        let mut msg = vec![1, 0, 0x03, 0xe4];
        msg.resize(1000, 7);
        j.push(&msg[..1]).unwrap();
        for _ in 0..1000 {
            let mut record = msg[1..].to_vec();
            record.push(msg[0]);
            j.push(&record).unwrap();
            assert_eq!(j.pop().unwrap().unwrap().len(), 1000);
            assert!(j.pop().unwrap().is_none() && !j.is_empty());
        }
        assert!(j.capacity() < 4 * 1000, "capacity {}", j.capacity());
    }

    #[test]
    fn an_oversize_declared_length_is_refused_before_its_body_arrives() {
        let mut j = HandshakeJoiner::default();
        assert!(j.push(&[11, 0x10, 0, 0]).is_err());
    }
}
