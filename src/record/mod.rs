//! The record layer (RFC 5246 §6.2): framing, protection with sequence numbers, fragmentation
//! of outgoing data, and reassembly of handshake messages.
#![forbid(unsafe_code)]

mod deframer;
mod fragmenter;
mod joiner;
mod protect;

pub use deframer::{Deframer, RecordHeader};
pub use fragmenter::Fragmenter;
pub use joiner::HandshakeJoiner;
pub use protect::RecordLayer;

/// RFC 5246 §6.2.1: TLSPlaintext.length MUST NOT exceed 2^14.
pub const MAX_PLAINTEXT_LEN: usize = 1 << 14;

/// RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048.
pub const MAX_CIPHERTEXT_LEN: usize = MAX_PLAINTEXT_LEN + 2048;

/// Record header length: type(1) ‖ version(2) ‖ length(2).
pub const HEADER_LEN: usize = 5;
