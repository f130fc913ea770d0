//! After the handshake: the only handshake messages that may still arrive start a
//! renegotiation, which ferrotls refuses.

use super::{unexpected, CommonState, Message, State};
use crate::error::{Error, PeerMisbehaved};
use crate::msgs::enums::{AlertDescription, AlertLevel};
use crate::msgs::handshake::HandshakePayload;

/// Renegotiation requests (HelloRequest, or a ClientHello after the handshake) answered with a
/// no_renegotiation warning over a connection's life; the next one is a fatal
/// unexpected_message. A peer that keeps asking gets nothing from it but our CPU and alerts.
pub(crate) const MAX_REFUSED_RENEGOTIATIONS: u32 = 3;

/// Counts one more renegotiation request that is refused or ignored, failing beyond the limit.
pub(crate) fn count_renegotiation_request(cs: &mut CommonState) -> Result<(), Error> {
    cs.renegotiation_requests += 1;
    if cs.renegotiation_requests > MAX_REFUSED_RENEGOTIATIONS {
        return Err(PeerMisbehaved::TooManyRenegotiationRequests.into());
    }
    Ok(())
}

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
                count_renegotiation_request(cs)?;
                cs.send_alert(AlertLevel::Warning, AlertDescription::NoRenegotiation)?;
                Ok(self)
            }
            _ => Err(unexpected("application data", &m)),
        }
    }
}
