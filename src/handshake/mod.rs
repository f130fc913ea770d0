//! The handshake state machines. Each state is a type named for the message it waits for,
//! owns exactly what is known at that point, and is consumed by [`State::handle`].
#![forbid(unsafe_code)]

pub(crate) mod client;
mod client_auth;
mod common;
pub(crate) mod exporter;
mod finished;
pub mod flows;
pub mod observe;
pub(crate) mod resumption;
mod resumption13;
mod secrets;
pub(crate) mod server;
pub(crate) mod tls13;
pub(crate) mod traffic;
mod transcript;

pub(crate) use common::CommonState;
pub(crate) use secrets::ConnectionSecrets;
pub(crate) use transcript::Transcript;

use crate::codec::InvalidMessage;
use crate::error::{Error, MessageKind, PeerMisbehaved};
use crate::msgs::enums::HandshakeType;
use crate::msgs::handshake::HandshakeMessage;

/// Which end of the connection we are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The client.
    Client,
    /// The server.
    Server,
}

/// An input to the state machine.
pub(crate) enum Message<'a> {
    /// A whole handshake message and its encoding (for the transcript).
    Handshake { msg: HandshakeMessage, encoded: &'a [u8] },
    /// A ChangeCipherSpec record.
    ChangeCipherSpec,
    /// A handshake message whose body did not parse. RFC 5246 §7.4 checks the type against the
    /// state first: a state that waits for `typ` reports `error` (decode_error, through
    /// [`unexpected`]), any other state reports an unexpected message.
    Malformed { typ: HandshakeType, error: InvalidMessage },
}

impl Message<'_> {
    fn kind(&self) -> MessageKind {
        match self {
            Self::Handshake { msg, .. } => MessageKind::Handshake(msg.typ()),
            Self::Malformed { typ, .. } => MessageKind::Handshake(*typ),
            Self::ChangeCipherSpec => MessageKind::Record(crate::msgs::enums::ContentType::ChangeCipherSpec),
        }
    }
}

/// One handshake state.
pub(crate) trait State: Send + Sync {
    /// Consumes the state and one message, and returns the next state.
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error>;
}

/// The error for a message the current state does not expect (RFC 5246 §7.4: unexpected_message).
/// `expected` names the awaited message as `HandshakeType` spells it (or "ChangeCipherSpec",
/// "application data"): a malformed message of that very type is a decode error instead.
pub(crate) fn unexpected(expected: &'static str, m: &Message<'_>) -> Error {
    if let Message::Malformed { typ, error } = m {
        if format!("{typ:?}") == expected {
            return error.clone().into();
        }
    }
    PeerMisbehaved::UnexpectedMessage { expected, got: m.kind() }.into()
}
