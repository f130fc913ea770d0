//! The client's abbreviated handshake (RFC 5246 §7.3 figure 2): the server echoed the
//! session ID we offered, so it speaks first.
//!
//! ```text
//! ClientHello(session_id) ──► ServerHello(same id)
//!   ──► ExpectChangeCipherSpec ──► ExpectFinished ──► [CCS], Finished ──► ExpectTraffic
//! ```

use super::super::traffic::ExpectTraffic;
use super::super::{unexpected, CommonState, ConnectionSecrets, Message, Side, State};
use super::tls12::ClientContext;
use crate::crypto::{MessageDecrypter, MessageEncrypter};
use crate::error::{Error, PeerMisbehaved};
use crate::msgs::enums::ProtocolVersion;
use crate::msgs::finished::Finished;
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::Random;
use crate::session::Tls12Session;
use subtle::ConstantTimeEq;

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
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match m {
            Message::ChangeCipherSpec => {
                let Self { cx, session, secrets, encrypter, decrypter } = *self;
                cs.record.set_decrypter(decrypter);
                Ok(Box::new(ExpectFinished { cx, session, secrets, encrypter }))
            }
            other => Err(unexpected("ChangeCipherSpec", &other)),
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
        let (version, suite) = (self.secrets.version, self.secrets.suite);
        let hash = self.cx.transcript.hash(provider, version, suite)?;
        let expected = self.secrets.verify_data(Side::Server, &hash);
        // RFC 5246 §7.4.9: a wrong verify_data is decrypt_error; a server that does not hold
        // the master secret fails here.
        if !bool::from(expected.ct_eq(&finished.verify_data)) {
            return Err(PeerMisbehaved::IncorrectFinished.into());
        }
        // RFC 5246 §7.4.9: our Finished covers the server's.
        self.cx.transcript.add(encoded);

        cs.send_change_cipher_spec()?;
        cs.record.set_encrypter(self.encrypter);
        // RFC 2246 §6.2.3.2 / BEAST: TLS 1.0 CBC needs 1/n-1 splitting of application data.
        cs.fragmenter.one_n_minus_one = version == ProtocolVersion::TLSv1_0 && suite.record.is_block_cipher();
        let hash = self.cx.transcript.hash(provider, version, suite)?;
        let ours = Finished { verify_data: self.secrets.verify_data(Side::Client, &hash) };
        cs.send_handshake(&HandshakeMessage { payload: HandshakePayload::Finished(ours) }, None)?;
        cs.handshake_complete = true;
        cs.sessions.current = Some(self.session);
        Ok(Box::new(ExpectTraffic))
    }
}
