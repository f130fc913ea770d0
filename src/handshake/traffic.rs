//! After the handshake: the only handshake messages that may still arrive start a
//! renegotiation, which ferrotls refuses.

use super::{unexpected, CommonState, Message, State};
use crate::error::Error;
use crate::msgs::enums::{AlertDescription, AlertLevel};
use crate::msgs::handshake::HandshakePayload;

/// The handshake is over; application data flows.
pub(crate) struct ExpectTraffic;

impl State for ExpectTraffic {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match &m {
            // RFC 5746 §4.2/§4.4 and RFC 5246 §7.4.1.1: a peer that does not renegotiate answers
            // HelloRequest (client) or a new ClientHello (server) with a no_renegotiation
            // warning, and the connection carries on.
            Message::Handshake { msg, .. }
                if matches!(
                    msg.payload,
                    HandshakePayload::HelloRequest | HandshakePayload::ClientHello(_)
                ) =>
            {
                cs.send_alert(AlertLevel::Warning, AlertDescription::NoRenegotiation)?;
                Ok(self)
            }
            _ => Err(unexpected("application data", &m)),
        }
    }
}
