//! The message log: an opt-in record of what crosses the record layer, in order, for a caller
//! that reports protocol traffic (the OpenSSL layer's `SSL_CTX_set_msg_callback`, which curl's
//! `-v` prints). Every record header, the real content type of each TLS 1.3 protected record
//! (RFC 8446 §5.2), and each handshake message, ChangeCipherSpec and alert in plaintext, sent
//! or received, including those that travel encrypted. Application data is never logged.
//!
//! Sans-IO like the rest: events wait in the log until the caller takes them, and nothing is
//! kept while the log is off (the default).

use crate::enums::{ContentType, ProtocolVersion};

/// One step of the protocol as an observer sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observed {
    /// A record's 5-byte header (RFC 5246 §6.2.1), as written or read on the wire.
    RecordHeader {
        /// Written by us (else read from the peer).
        sent: bool,
        /// `type ‖ version ‖ length`.
        header: [u8; 5],
    },
    /// The real content type inside a TLS 1.3 protected record (RFC 8446 §5.2).
    InnerContentType {
        /// Written by us (else read).
        sent: bool,
        /// The type the record carries.
        typ: ContentType,
    },
    /// A whole protocol message in plaintext: a handshake message with its 4-byte header
    /// (RFC 5246 §7.4), a ChangeCipherSpec (one byte) or an alert (level, description).
    Message {
        /// Written by us (else read).
        sent: bool,
        /// `Handshake`, `ChangeCipherSpec` or `Alert`.
        typ: ContentType,
        /// The version agreed when it went by (`None` before it is agreed: the hellos).
        version: Option<ProtocolVersion>,
        /// The message's bytes.
        bytes: Vec<u8>,
    },
}

/// The log kept in `CommonState`: off (and empty) unless asked for.
#[derive(Debug, Default)]
pub(crate) struct MessageLog {
    on: bool,
    events: Vec<Observed>,
}

impl MessageLog {
    /// Turns logging on or off; off drops what is waiting.
    pub(crate) fn set(&mut self, on: bool) {
        self.on = on;
        if !on {
            self.events = Vec::new();
        }
    }

    /// Whether events are being kept.
    pub(crate) fn is_on(&self) -> bool {
        self.on
    }

    /// Appends `event` when logging is on; `event` is only built then.
    pub(crate) fn push(&mut self, event: impl FnOnce() -> Observed) {
        if self.on {
            self.events.push(event());
        }
    }

    /// Every event since the last call, oldest first.
    pub(crate) fn take(&mut self) -> Vec<Observed> {
        std::mem::take(&mut self.events)
    }
}
