//! The server's abbreviated handshake (RFC 5246 §7.3 figure 2, RFC 5077 §3.1 figure 2): the
//! ClientHello named a session we may resume, by session ID or by ticket, so we answer with
//! the same session ID, a renewed ticket if its key is rotating out, and our Finished at once.
//!
//! ```text
//! ExpectClientHello ──► ServerHello(same id), [NewSessionTicket], [CCS], Finished
//!   ──► ExpectChangeCipherSpec ──► ExpectFinished ──► ExpectTraffic
//! ```

use super::super::finished::{check_peer_finished, send_change_cipher_spec_and_finished};
use super::super::resumption::{self, Resumption};
use super::super::traffic::ExpectTraffic;
use super::super::{unexpected, CommonState, ConnectionSecrets, Message, Side, State, Transcript};
use crate::config::ServerConfig;
use crate::crypto::{KeyExchangeAlgorithm, MessageDecrypter};
use crate::error::Error;
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::ExtensionType;
use crate::msgs::extensions::{ServerExtension, EC_POINT_FORMAT_UNCOMPRESSED};
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::server_hello::ServerHello;
use crate::session::Tls12Session;
use std::sync::Arc;

/// Resumes a session for the ClientHello in `transcript`: sends ServerHello with the
/// session's ID (for a ticket, the client's, RFC 5077 §3.4), version and suite, a
/// NewSessionTicket when the ticket is renewed, ChangeCipherSpec and Finished, keyed from the
/// session's master secret and the new randoms (RFC 5246 §6.3, §8.1).
pub(super) fn start(
    config: Arc<ServerConfig>,
    cs: &mut CommonState,
    mut transcript: Transcript,
    ch: &ClientHello,
    resumed: Resumption,
    secure_renegotiation: bool,
) -> Result<Box<dyn State>, Error> {
    let Resumption { session, etm, by_ticket, renew_ticket } = resumed;
    let (version, suite) = (session.protocol_version(), session.cipher_suite());
    cs.version = Some(version);
    cs.record_version = version;
    cs.suite = Some(suite);
    cs.extended_master_secret = session.extended_master_secret();
    cs.encrypt_then_mac = etm;
    cs.peer_certificates = session.peer_certificates().to_vec();
    cs.sessions.id = session.session_id();
    cs.sessions.resumed = true;
    cs.sessions.resumed_by_ticket = by_ticket;
    cs.sessions.ticket_expected = renew_ticket;

    let mut server_random = [0u8; 32];
    config.provider.random.fill(&mut server_random)?;
    // RFC 5746 §3.6 and RFC 7627 §5.3 apply to resumptions too; RFC 6066 §3: no server_name
    // acknowledgement when resuming.
    let mut extensions = Vec::new();
    if secure_renegotiation {
        extensions.push(ServerExtension::RenegotiationInfo(Vec::new()));
    }
    if session.extended_master_secret() {
        extensions.push(ServerExtension::ExtendedMasterSecret);
    }
    if etm {
        extensions.push(ServerExtension::EncryptThenMac);
    }
    // RFC 7301 §3.1: ALPN belongs to the connection, not the session; the protocol selected
    // from this ClientHello (already in `cs`) is answered as in a full handshake.
    if let Some(p) = &cs.alpn_protocol {
        extensions.push(ServerExtension::Alpn(p.clone()));
    }
    // RFC 5077 §3.2: the empty extension announces the NewSessionTicket.
    if renew_ticket {
        extensions.push(ServerExtension::SessionTicketAck);
    }
    // RFC 8422 §5.2: an ECDHE suite chosen for a client that sent ec_point_formats is
    // answered with ours (uncompressed only).
    if suite.kx == KeyExchangeAlgorithm::Ecdhe && ch.extension(ExtensionType::EcPointFormats).is_some() {
        extensions.push(ServerExtension::EcPointFormats(vec![EC_POINT_FORMAT_UNCOMPRESSED]));
    }
    let hello = ServerHello {
        server_version: version,
        random: server_random,
        session_id: session.session_id(),
        cipher_suite: suite.suite,
        compression_method: 0,
        extensions,
    };
    cs.send_handshake(
        &HandshakeMessage { payload: HandshakePayload::ServerHello(hello) },
        Some(&mut transcript),
    )?;
    if renew_ticket {
        resumption::send_new_session_ticket(cs, &config, &session, &mut transcript)?;
    }

    let secrets = ConnectionSecrets::resume(
        &config.provider,
        suite,
        version,
        session.master_secret(),
        ch.random,
        server_random,
        &*config.key_log,
    )?;
    let (encrypter, decrypter) = secrets.record_protection(Side::Server, etm);
    // The client's Finished comes second and covers ours.
    send_change_cipher_spec_and_finished(
        cs,
        encrypter,
        &secrets,
        &config.provider,
        &mut transcript,
        Side::Server,
        true,
    )?;
    Ok(Box::new(ExpectChangeCipherSpec { config, transcript, session, secrets, decrypter }))
}

struct ExpectChangeCipherSpec {
    config: Arc<ServerConfig>,
    transcript: Transcript,
    session: Tls12Session,
    secrets: ConnectionSecrets,
    decrypter: Box<dyn MessageDecrypter>,
}

impl State for ExpectChangeCipherSpec {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match m {
            Message::ChangeCipherSpec => {
                let Self { config, transcript, session, secrets, decrypter } = *self;
                cs.record.set_decrypter(decrypter);
                Ok(Box::new(ExpectFinished { config, transcript, session, secrets }))
            }
            other => Err(unexpected("ChangeCipherSpec", &other)),
        }
    }
}

struct ExpectFinished {
    config: Arc<ServerConfig>,
    transcript: Transcript,
    session: Tls12Session,
    secrets: ConnectionSecrets,
}

impl State for ExpectFinished {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let finished = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::Finished(f) }, ..
            } => f,
            other => return Err(unexpected("Finished", &other)),
        };
        check_peer_finished(
            &self.secrets,
            &self.config.provider,
            &mut self.transcript,
            Side::Client,
            &finished,
        )?;
        cs.handshake_complete = true;
        cs.sessions.current = Some(self.session);
        // A session resumed from a ticket is in no cache; one from the cache leaves it after
        // a fatal alert.
        if !cs.sessions.resumed_by_ticket {
            cs.sessions.storage = Some(Arc::clone(&self.config.sessions.storage));
        }
        Ok(Box::new(ExpectTraffic))
    }
}
