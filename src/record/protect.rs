//! Record protection state for each direction, with sequence numbers (RFC 5246 §6.1).

use super::{HEADER_LEN, MAX_PLAINTEXT_LEN};
use crate::crypto::{MessageDecrypter, MessageEncrypter};
use crate::error::Error;
use crate::msgs::enums::ContentType;

/// The current read and write protection. Before ChangeCipherSpec a direction is in the clear.
#[derive(Default)]
pub struct RecordLayer {
    encrypter: Option<Box<dyn MessageEncrypter>>,
    decrypter: Option<Box<dyn MessageDecrypter>>,
    write_seq: u64,
    read_seq: u64,
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
        version: u16,
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        debug_assert!(plaintext.len() <= MAX_PLAINTEXT_LEN);
        let len = match &self.encrypter {
            Some(e) => e.encrypted_len(plaintext.len()),
            None => plaintext.len(),
        };
        out.reserve(HEADER_LEN + len);
        out.push(u8::from(typ));
        out.extend_from_slice(&version.to_be_bytes());
        out.extend_from_slice(&(len as u16).to_be_bytes());
        match &mut self.encrypter {
            Some(e) => {
                // RFC 5246 §6.1: sequence numbers must not wrap; renegotiation is the only way
                // on, and we refuse it, so the connection ends instead.
                let seq = self.write_seq;
                self.write_seq =
                    seq.checked_add(1).ok_or(Error::Internal("write sequence number exhausted"))?;
                e.encrypt(u8::from(typ), version, seq, plaintext, out)?;
            }
            None => out.extend_from_slice(plaintext),
        }
        Ok(())
    }

    /// Unprotects a received fragment in place, returning the plaintext's range within it.
    pub fn read_record(
        &mut self,
        typ: ContentType,
        version: u16,
        fragment: &mut [u8],
    ) -> Result<core::ops::Range<usize>, Error> {
        let range = match &mut self.decrypter {
            Some(d) => {
                let seq = self.read_seq;
                self.read_seq =
                    seq.checked_add(1).ok_or(Error::Internal("read sequence number exhausted"))?;
                d.decrypt(u8::from(typ), version, seq, fragment).map_err(|_| Error::DecryptError)?
            }
            None => 0..fragment.len(),
        };
        // RFC 5246 §6.2.1/§6.2.3: the plaintext inside must itself respect 2^14.
        if range.len() > MAX_PLAINTEXT_LEN {
            return Err(Error::RecordOverflow);
        }
        Ok(range)
    }
}
