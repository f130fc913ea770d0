//! Finished (RFC 5246 §7.4.9).

use crate::codec::{Codec, InvalidMessage, Reader};

/// verify_data is 12 bytes for every suite here (RFC 5246 §7.4.9 default length).
pub const VERIFY_DATA_LEN: usize = 12;

/// A Finished message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finished {
    /// PRF(master_secret, finished_label, Hash(handshake_messages))[0..12].
    pub verify_data: [u8; VERIFY_DATA_LEN],
}

impl Codec<'_> for Finished {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.verify_data);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let b = r.take(VERIFY_DATA_LEN, "verify_data")?;
        let mut verify_data = [0; VERIFY_DATA_LEN];
        verify_data.copy_from_slice(b);
        Ok(Self { verify_data })
    }
}
