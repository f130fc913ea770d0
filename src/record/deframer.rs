//! Splits received bytes into records, checking each header before its body is buffered.

use super::{HEADER_LEN, MAX_CIPHERTEXT_LEN};
use crate::error::{Error, PeerMisbehaved};
use crate::msgs::enums::ContentType;

/// How many received bytes we hold at most: a few whole records. A peer cannot make us buffer
/// more, because `feed` stops accepting bytes until records are processed.
const MAX_BUFFERED: usize = 4 * (HEADER_LEN + MAX_CIPHERTEXT_LEN);

/// A record header as received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordHeader {
    /// Content type.
    pub typ: ContentType,
    /// Version field (0x03xx).
    pub version: u16,
    /// Fragment length.
    pub len: usize,
}

/// Reassembles records from a byte stream.
#[derive(Debug, Default)]
pub struct Deframer {
    buf: Vec<u8>,
    start: usize,
}

impl Deframer {
    /// Takes as many of `data` as fit in the buffer; returns how many were taken.
    pub fn feed(&mut self, data: &[u8]) -> usize {
        if self.start > 0 && (self.start == self.buf.len() || self.start > MAX_BUFFERED / 2) {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let room = MAX_BUFFERED.saturating_sub(self.buf.len() - self.start);
        let n = room.min(data.len());
        crate::crypto::copy::extend(&mut self.buf, &data[..n]);
        n
    }

    /// True when no bytes are buffered.
    pub fn is_empty(&self) -> bool {
        self.start == self.buf.len()
    }

    /// True when a partial record is buffered (an EOF now would cut it).
    pub fn has_partial(&self) -> bool {
        !self.is_empty()
    }

    /// The next complete record's header and fragment, or `None` when more bytes are needed.
    ///
    /// The header is checked as soon as its five bytes arrive, so a bad type, version or length
    /// is reported without waiting for (or buffering) the body.
    pub fn pop(&mut self) -> Result<Option<(RecordHeader, &mut [u8])>, Error> {
        let avail = &self.buf[self.start..];
        if avail.len() < HEADER_LEN {
            return Ok(None);
        }
        let typ = ContentType::from(avail[0]);
        if let ContentType::Unknown(_) = typ {
            // RFC 5246 §6: an unexpected record type gets unexpected_message. This is also
            // where SSL 2.0 hellos and non-TLS traffic end up.
            return Err(PeerMisbehaved::UnexpectedMessage {
                expected: "a TLS record",
                got: crate::error::MessageKind::Record(typ),
            }
            .into());
        }
        let version = u16::from_be_bytes([avail[1], avail[2]]);
        if version >> 8 != 3 {
            return Err(PeerMisbehaved::BadRecordVersion(version).into());
        }
        let len = u16::from_be_bytes([avail[3], avail[4]]) as usize;
        if len > MAX_CIPHERTEXT_LEN {
            return Err(Error::RecordOverflow);
        }
        if avail.len() < HEADER_LEN + len {
            return Ok(None);
        }
        let body_start = self.start + HEADER_LEN;
        self.start = body_start + len;
        Ok(Some((RecordHeader { typ, version, len }, &mut self.buf[body_start..body_start + len])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_split_at_any_byte_boundary_are_reassembled() {
        let stream = [22, 3, 1, 0, 2, 0xaa, 0xbb, 23, 3, 3, 0, 0];
        for split in 0..stream.len() {
            let mut d = Deframer::default();
            let mut seen = Vec::new();
            for chunk in [&stream[..split], &stream[split..]] {
                assert_eq!(d.feed(chunk), chunk.len());
                while let Some((h, body)) = d.pop().unwrap() {
                    seen.push((h.typ, body.to_vec()));
                }
            }
            assert_eq!(
                seen,
                vec![(ContentType::Handshake, vec![0xaa, 0xbb]), (ContentType::ApplicationData, vec![])]
            );
            assert!(d.is_empty());
        }
    }

    #[test]
    fn an_oversize_record_is_refused_from_its_header_alone() {
        let len = (MAX_CIPHERTEXT_LEN + 1) as u16;
        let mut d = Deframer::default();
        d.feed(&[23, 3, 3, (len >> 8) as u8, len as u8]);
        assert_eq!(d.pop().unwrap_err(), Error::RecordOverflow);
        // The largest legal record is waited for, not refused.
        let len = MAX_CIPHERTEXT_LEN as u16;
        let mut d = Deframer::default();
        d.feed(&[23, 3, 3, (len >> 8) as u8, len as u8]);
        assert!(d.pop().unwrap().is_none());
    }

    #[test]
    fn non_tls_bytes_are_refused() {
        let mut d = Deframer::default();
        d.feed(b"GET / HTTP/1.1\r\n");
        assert!(d.pop().is_err());
        let mut d = Deframer::default();
        d.feed(&[22, 2, 0, 0, 1, 0]);
        assert_eq!(d.pop().unwrap_err(), Error::PeerMisbehaved(PeerMisbehaved::BadRecordVersion(0x0200)));
    }

    #[test]
    fn feeding_stops_when_the_buffer_is_full() {
        let mut d = Deframer::default();
        let big = vec![0u8; MAX_BUFFERED + 10];
        assert_eq!(d.feed(&big), MAX_BUFFERED);
        assert_eq!(d.feed(&big), 0);
    }
}
