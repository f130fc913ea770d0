//! Record protection state for each direction, with sequence numbers (RFC 5246 §6.1).

use super::{HEADER_LEN, MAX_PLAINTEXT_LEN};
use crate::crypto::{
    EncryptError, InboundOpaqueMessage, MessageDecrypter, MessageEncrypter, OutboundPlainMessage,
};
use crate::enums::{ContentType, ProtocolVersion};
use crate::error::Error;

/// The current read and write protection. Before ChangeCipherSpec a direction is in the clear.
#[derive(Default)]
pub struct RecordLayer {
    encrypter: Option<Box<dyn MessageEncrypter>>,
    decrypter: Option<Box<dyn MessageDecrypter>>,
    write_seq: u64,
    read_seq: u64,
    /// Incremented at each change of read keys: the connection checks that no handshake
    /// message straddles one (RFC 8446 §5.1).
    read_epoch: u64,
}

impl core::fmt::Debug for RecordLayer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RecordLayer")
            .field("write_encrypted", &self.encrypter.is_some())
            .field("read_encrypted", &self.decrypter.is_some())
            .finish()
    }
}

impl RecordLayer {
    /// Starts protecting outgoing records (after sending ChangeCipherSpec); the sequence
    /// number restarts at zero (RFC 5246 §6.1).
    pub fn set_encrypter(&mut self, e: Box<dyn MessageEncrypter>) {
        self.encrypter = Some(e);
        self.write_seq = 0;
    }

    /// Starts unprotecting incoming records (after receiving ChangeCipherSpec).
    pub fn set_decrypter(&mut self, d: Box<dyn MessageDecrypter>) {
        self.decrypter = Some(d);
        self.read_seq = 0;
        self.read_epoch += 1;
    }

    /// How many times the read keys changed.
    pub fn read_epoch(&self) -> u64 {
        self.read_epoch
    }

    /// Records written under the current write key.
    pub fn write_seq(&self) -> u64 {
        self.write_seq
    }

    /// True once incoming records are protected.
    pub fn is_reading_encrypted(&self) -> bool {
        self.decrypter.is_some()
    }

    /// True once outgoing records are protected.
    pub fn is_writing_encrypted(&self) -> bool {
        self.encrypter.is_some()
    }

    /// Appends one whole record (header and protected fragment) to `out`.
    pub fn write_record(
        &mut self,
        typ: ContentType,
        version: ProtocolVersion,
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        debug_assert!(plaintext.len() <= MAX_PLAINTEXT_LEN);
        let Some(encrypter) = &mut self.encrypter else {
            out.reserve(HEADER_LEN + plaintext.len());
            out.extend_from_slice(&header_bytes(typ, version, plaintext.len()));
            out.extend_from_slice(plaintext);
            return Ok(());
        };
        // RFC 5246 §6.1: sequence numbers must not wrap; renegotiation is the only way on, and
        // we refuse it, so the connection ends instead.
        let seq = self.write_seq;
        self.write_seq = seq.checked_add(1).ok_or(Error::Internal("write sequence number exhausted"))?;
        out.reserve(HEADER_LEN + encrypter.encrypted_payload_len(plaintext.len()));
        // The header is written once the encrypter has said what it carries (TLS 1.3 hides the
        // real content type inside the record).
        let start = out.len();
        out.extend_from_slice(&[0; HEADER_LEN]);
        let header = encrypter
            .encrypt(OutboundPlainMessage { typ, version, payload: plaintext }, seq, out)
            .map_err(|e| match e {
            EncryptError::Random(e) => Error::from(e),
            EncryptError::KeyExhausted => Error::Internal("record key exhausted"),
        })?;
        let len = out.len() - start - HEADER_LEN;
        out[start..start + HEADER_LEN].copy_from_slice(&header_bytes(header.typ, header.version, len));
        Ok(())
    }

    /// Unprotects a received fragment in place, returning the real content type and the
    /// plaintext's range within the fragment.
    pub fn read_record(
        &mut self,
        typ: ContentType,
        version: ProtocolVersion,
        fragment: &mut [u8],
    ) -> Result<(ContentType, core::ops::Range<usize>), Error> {
        let (typ, range) = match &mut self.decrypter {
            Some(d) => {
                let seq = self.read_seq;
                let next = seq.checked_add(1).ok_or(Error::Internal("read sequence number exhausted"))?;
                let plain = d
                    .decrypt(InboundOpaqueMessage { typ, version, payload: fragment }, seq)
                    .map_err(|e| match e {
                        crate::crypto::DecryptError::BadRecordMac => Error::DecryptError,
                        crate::crypto::DecryptError::NoInnerContentType => {
                            crate::error::PeerMisbehaved::Tls13(
                                "a record without a content type",
                                crate::msgs::enums::AlertDescription::UnexpectedMessage,
                            )
                            .into()
                        }
                    })?;
                // Only a record that opened uses up its sequence number: a server skipping
                // early data it cannot read (RFC 8446 §4.2.10) goes on with the next one.
                self.read_seq = next;
                (plain.typ, plain.range)
            }
            None => (typ, 0..fragment.len()),
        };
        // RFC 5246 §6.2.1/§6.2.3: the plaintext inside must itself respect 2^14.
        if range.len() > MAX_PLAINTEXT_LEN {
            return Err(Error::RecordOverflow);
        }
        Ok((typ, range))
    }
}

/// `type ‖ version ‖ length` (RFC 5246 §6.2.1).
fn header_bytes(typ: ContentType, version: ProtocolVersion, len: usize) -> [u8; HEADER_LEN] {
    let [v0, v1] = u16::from(version).to_be_bytes();
    // Fragments are at most 2^14 + 2048 bytes (RFC 5246 §6.2.3), so the length fits.
    let [l0, l1] = (len as u16).to_be_bytes();
    [u8::from(typ), v0, v1, l0, l1]
}
