//! The client's abbreviated handshake (RFC 5246 §7.3 figure 2): the server echoed the
//! session ID we offered, so it speaks first.
//!
//! ```text
//! ClientHello(session_id, [ticket]) ──► ServerHello(same id)
//!   ──► ExpectChangeCipherSpec (NewSessionTicket first if announced) ──► ExpectFinished
//!   ──► [CCS], Finished ──► ExpectTraffic
//! ```

use super::super::finished::{check_peer_finished, send_change_cipher_spec_and_finished};
use super::super::resumption;
use super::super::traffic::ExpectTraffic;
use super::super::{unexpected, CommonState, ConnectionSecrets, Message, Side, State};
use super::hello::ClientContext;
use crate::crypto::{MessageDecrypter, MessageEncrypter};
use crate::error::Error;
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::Random;
use crate::session::Tls12Session;

/// ServerHello resumed `session` (already checked against it): derive the keys from the
/// session's master secret and the new randoms (RFC 5246 §6.3, §8.1) and wait for the
/// server's ChangeCipherSpec.
pub(super) fn expect_server_finished(
    cx: ClientContext,
    cs: &mut CommonState,
    session: Tls12Session,
    server_random: Random,
) -> Result<Box<dyn State>, Error> {
    let secrets = ConnectionSecrets::resume(
        &cx.config.provider,
        session.cipher_suite(),
        session.protocol_version(),
        session.master_secret(),
        cx.client_random,
        server_random,
        &*cx.config.key_log,
    )?;
    let (encrypter, decrypter) = secrets.record_protection(Side::Client, cs.encrypt_then_mac);
    // No Certificate message comes: the session's verified chain stands for the server.
    cs.peer_certificates = session.peer_certificates().to_vec();
    cs.sessions.resumed = true;
    Ok(Box::new(ExpectChangeCipherSpec { cx, session, secrets, encrypter, decrypter }))
}

struct ExpectChangeCipherSpec {
    cx: ClientContext,
    session: Tls12Session,
    secrets: ConnectionSecrets,
    encrypter: Box<dyn MessageEncrypter>,
    decrypter: Box<dyn MessageDecrypter>,
}

impl State for ExpectChangeCipherSpec {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match m {
            // RFC 5077 §3.3: a renewed ticket comes before the server's ChangeCipherSpec.
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::NewSessionTicket(ticket) },
                encoded,
            } if cs.sessions.ticket_expected => {
                resumption::receive_new_session_ticket(cs, &mut self.cx.transcript, ticket, encoded);
                Ok(self)
            }
            Message::ChangeCipherSpec if !cs.sessions.ticket_expected => {
                let Self { cx, session, secrets, encrypter, decrypter } = *self;
                cs.record.set_decrypter(decrypter);
                Ok(Box::new(ExpectFinished { cx, session, secrets, encrypter }))
            }
            other => Err(unexpected(resumption::awaited_before_ccs(cs), &other)),
        }
    }
}

struct ExpectFinished {
    cx: ClientContext,
    session: Tls12Session,
    secrets: ConnectionSecrets,
    encrypter: Box<dyn MessageEncrypter>,
}

impl State for ExpectFinished {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (finished, encoded) = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::Finished(f) },
                encoded,
            } => (f, encoded),
            other => return Err(unexpected("Finished", &other)),
        };
        let provider = &self.cx.config.provider;
        // A server that does not hold the session's master secret fails here.
        check_peer_finished(&self.secrets, provider, &mut self.cx.transcript, Side::Server, &finished)?;
        // RFC 5246 §7.4.9: our Finished covers the server's.
        self.cx.transcript.add(encoded);
        send_change_cipher_spec_and_finished(
            cs,
            self.encrypter,
            &self.secrets,
            provider,
            &mut self.cx.transcript,
            Side::Client,
            false,
        )?;
        cs.handshake_complete = true;
        resumption::resumed_client_session(cs, &self.cx.config, &self.cx.server_name, self.session);
        Ok(Box::new(ExpectTraffic))
    }
}
