//! The TLS 1.0–1.2 client's full handshake with RSA or ECDHE key exchange (RFC 5246 §7.3,
//! RFC 8422 §2), from the server's Certificate on (the hellos are in `hello.rs`):
//!
//! ```text
//! ClientHello ──► ExpectServerHello ──► ExpectCertificate ──► [ExpectServerKeyExchange] ──► ExpectServerHelloDone
//!   ──► (Certificate*) ClientKeyExchange, [CCS], Finished
//!   ──► ExpectChangeCipherSpec ──► ExpectFinished ──► ExpectTraffic
//! ```

use super::super::client_auth;
use super::super::finished::{check_peer_finished, send_change_cipher_spec_and_finished};
use super::super::resumption;
use super::super::traffic::ExpectTraffic;
use super::super::{unexpected, CommonState, ConnectionSecrets, Message, Side, State};
use super::hello::ClientContext;
use crate::codec::Codec;
use crate::crypto::{KeyExchangeAlgorithm, Tls12CipherSuite};
use crate::error::{CertificateError, Error, PeerIncompatible, PeerMisbehaved};
use crate::msgs::certificate::Certificate;
use crate::msgs::certificate_request::CertificateRequest;
use crate::msgs::enums::{HandshakeType, ProtocolVersion};
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::key_exchange::{
    ClientKeyExchangeEcdh, ClientKeyExchangeRsa, ServerEcdhParams, ServerKeyExchangeEcdhe,
};
use crate::msgs::Random;
use std::sync::Arc;
use zeroize::Zeroizing;

/// After a ServerHello that starts a new session: the full handshake, from the server's
/// Certificate on.
pub(super) fn expect_certificate(
    cx: ClientContext,
    server_random: Random,
    suite: &'static Tls12CipherSuite,
    version: ProtocolVersion,
) -> Box<dyn State> {
    Box::new(ExpectCertificate { cx, server_random, suite, version })
}

struct ExpectCertificate {
    cx: ClientContext,
    server_random: Random,
    suite: &'static Tls12CipherSuite,
    version: ProtocolVersion,
}

impl State for ExpectCertificate {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (Certificate(chain), encoded) = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::Certificate(c) },
                encoded,
            } => (c, encoded),
            other => return Err(unexpected("Certificate", &other)),
        };
        let (leaf, intermediates) = chain.split_first().ok_or(CertificateError::NoCertificate)?;
        let config = &self.cx.config;
        let now =
            config.time.now().ok_or(CertificateError::Other("no clock to check validity against".into()))?;
        config.verifier.verify_server_cert(leaf, intermediates, &self.cx.server_name, now)?;
        let server_spki = crate::x509::subject_public_key_info(leaf)?;
        self.cx.transcript.add(encoded);
        cs.peer_certificates = chain;
        let next = ExpectServerHelloDone {
            cx: self.cx,
            server_random: self.server_random,
            suite: self.suite,
            version: self.version,
            server_spki,
            ecdhe: None,
            certificate_request: None,
        };
        Ok(match self.suite.kx {
            KeyExchangeAlgorithm::Ecdhe => Box::new(ExpectServerKeyExchange(next)),
            KeyExchangeAlgorithm::Rsa => Box::new(next),
        })
    }
}

/// ECDHE suites: the server's signed ephemeral key comes next (RFC 8422 §5.4); everything of
/// the next state is known except `ecdhe`.
struct ExpectServerKeyExchange(ExpectServerHelloDone);

impl State for ExpectServerKeyExchange {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (body, encoded) = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::ServerKeyExchange(b) },
                encoded,
            } => (b, encoded),
            other => return Err(unexpected("ServerKeyExchange", &other)),
        };
        let mut next = self.0;
        let cx = &next.cx;
        let tls12 = next.version >= ProtocolVersion::TLSv1_2;
        let skx = ServerKeyExchangeEcdhe::read_versioned(&body, tls12)?;
        // RFC 5246 §7.4.1.4.1: only a scheme we offered (SHA-1 is offered only in the legacy
        // profile, RFC 9155).
        if let Some(scheme) = skx.scheme {
            if !cx.offered_schemes.contains(&scheme) {
                return Err(PeerMisbehaved::UnofferedSignatureScheme(u16::from(scheme)).into());
            }
        }
        // RFC 8422 §5.4: the group must be one of those in our supported_groups.
        let group = skx.params.group;
        // A TLS 1.3-only (hybrid) group is never an ECDHE curve, even when configured.
        if cx.config.policy.kx_group(group).filter(|g| !g.tls13_only()).is_none() {
            return Err(PeerMisbehaved::SelectedUnofferedGroup(u16::from(group)).into());
        }
        let leaf = cs.peer_certificates.first().ok_or(CertificateError::NoCertificate)?;
        let signed =
            ServerKeyExchangeEcdhe::signed_message(&cx.client_random, &next.server_random, &skx.params);
        cx.config
            .verifier
            .verify_tls_signature(&cx.config.provider, &signed, leaf, skx.scheme, &skx.signature)
            .map_err(|e| match e {
                Error::PeerMisbehaved(PeerMisbehaved::InvalidCertificateVerify) => {
                    PeerMisbehaved::InvalidServerKeyExchangeSignature.into()
                }
                other => other,
            })?;
        cs.kx_group = Some(group);
        cs.peer_signature_scheme = skx.scheme;
        next.cx.transcript.add(encoded);
        next.ecdhe = Some(skx.params);
        Ok(Box::new(next))
    }
}

struct ExpectServerHelloDone {
    cx: ClientContext,
    server_random: Random,
    suite: &'static Tls12CipherSuite,
    version: ProtocolVersion,
    server_spki: Vec<u8>,
    /// The server's verified ECDHE parameters (ECDHE suites).
    ecdhe: Option<ServerEcdhParams>,
    certificate_request: Option<CertificateRequest>,
}

impl State for ExpectServerHelloDone {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::CertificateRequest(request) },
                encoded,
            } if self.certificate_request.is_none() => {
                self.cx.transcript.add(encoded);
                self.certificate_request = Some(request);
                Ok(self)
            }
            // A CertificateRequest may come here too: a malformed one is a decode error.
            Message::Malformed { typ: HandshakeType::CertificateRequest, error }
                if self.certificate_request.is_none() =>
            {
                Err(error.into())
            }
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::ServerKeyExchange(_) },
                ..
            } => {
                // RFC 5246 §7.4.3: never sent with RSA key exchange.
                Err(PeerIncompatible::UnsupportedKeyExchange.into())
            }
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::ServerHelloDone },
                encoded,
            } => {
                self.cx.transcript.add(encoded);
                (*self).finish_flight(cs)
            }
            other => Err(unexpected("ServerHelloDone", &other)),
        }
    }
}

impl ExpectServerHelloDone {
    /// Sends the client's second flight: (empty Certificate), ClientKeyExchange,
    /// ChangeCipherSpec, Finished.
    fn finish_flight(mut self, cs: &mut CommonState) -> Result<Box<dyn State>, Error> {
        let config = Arc::clone(&self.cx.config);
        let provider = &config.provider;

        // RFC 5246 §7.4.6: answer a request with our certificate when we have one the server
        // can use (an RSA key, and in TLS 1.2 a signature scheme it accepts), else with an
        // empty list and let the server decide.
        let mut signer = None;
        if let Some(request) = &self.certificate_request {
            let usable = config.client_auth.as_ref().filter(|identity| {
                request.certificate_types.contains(&client_auth::certificate_type(identity.key.key_type()))
            });
            let chosen = usable.and_then(|identity| {
                client_auth::choose_signer(
                    &identity.key,
                    request.signature_schemes.as_deref(),
                    &config.policy.signature_schemes,
                )
                .map(|signer| (identity, signer))
            });
            let chain = chosen.as_ref().map(|(identity, _)| identity.chain.clone()).unwrap_or_default();
            cs.client_certificate_sent = !chain.is_empty();
            cs.signature_scheme = chosen.as_ref().and_then(|(_, signer)| signer.scheme());
            let msg = HandshakeMessage { payload: HandshakePayload::Certificate(Certificate(chain)) };
            cs.send_handshake(&msg, Some(&mut self.cx.transcript))?;
            signer = chosen;
        }

        let (premaster, cke) = match self.ecdhe.take() {
            Some(params) => self.ecdhe_premaster(&params)?,
            None => self.rsa_premaster()?,
        };
        let cke = HandshakeMessage { payload: HandshakePayload::ClientKeyExchange(cke) };
        cs.send_handshake(&cke, Some(&mut self.cx.transcript))?;

        // RFC 7627 §3: the session hash runs up to and including ClientKeyExchange, so it is
        // taken before CertificateVerify.
        let session_hash = match cs.extended_master_secret {
            true => Some(self.cx.transcript.hash(provider, self.version, self.suite)?),
            false => None,
        };

        // RFC 5246 §7.4.8: prove possession of the key over every message so far.
        if let Some((_, signer)) = signer {
            let cv = client_auth::sign(&*signer, &self.cx.transcript)?;
            let msg = HandshakeMessage { payload: HandshakePayload::CertificateVerify(cv.encoding()) };
            cs.send_handshake(&msg, Some(&mut self.cx.transcript))?;
        }
        let secrets = ConnectionSecrets::new(
            provider,
            self.suite,
            self.version,
            &premaster[..],
            self.cx.client_random,
            self.server_random,
            session_hash.as_deref(),
            &*config.key_log,
        )?;
        let (encrypter, decrypter) = secrets.record_protection(Side::Client, cs.encrypt_then_mac);

        send_change_cipher_spec_and_finished(
            cs,
            encrypter,
            &secrets,
            provider,
            &mut self.cx.transcript,
            Side::Client,
            true,
        )?;
        Ok(Box::new(ExpectChangeCipherSpec { cx: self.cx, secrets, decrypter }))
    }
}

impl ExpectServerHelloDone {
    /// RFC 5246 §7.4.7.1: a random premaster, encrypted to the server's RSA key. It carries
    /// the version the client offered (not the one negotiated), so a server can detect a
    /// version rollback.
    fn rsa_premaster(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), Error> {
        let config = &self.cx.config;
        let provider = &config.provider;
        let mut premaster = Zeroizing::new(vec![0u8; 48]);
        // RFC 5246 §7.4.7.1: the version offered in ClientHello (not the negotiated one), so a
        // server can detect a rollback; 1.2 when 1.3 rides along (1.3 has no RSA key exchange).
        premaster[..2].copy_from_slice(
            &u16::from(config.policy.max_version.min(ProtocolVersion::TLSv1_2)).to_be_bytes(),
        );
        provider.random.fill(&mut premaster[2..])?;
        let encrypted_premaster = provider
            .key_provider
            .rsa_encrypt_pkcs1(&self.server_spki, &premaster[..])
            .map_err(|_| PeerIncompatible::ServerKeyNotRsa)?;
        Ok((premaster, ClientKeyExchangeRsa { encrypted_premaster }.encoding()))
    }

    /// RFC 8422 §5.7, §5.10: our ephemeral key in the server's group; the premaster is the
    /// shared secret. A server point off the curve, or an all-zero X25519 result, is
    /// illegal_parameter.
    fn ecdhe_premaster(&self, params: &ServerEcdhParams) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), Error> {
        let group = self
            .cx
            .config
            .policy
            .kx_group(params.group)
            .ok_or(Error::Internal("ECDHE group checked at ServerKeyExchange"))?;
        let share = group.start()?;
        let public = share.public_key().to_vec();
        let secret =
            share.complete(&params.public).map_err(|_| PeerMisbehaved::InvalidKeyShare(params.group))?;
        Ok((Zeroizing::new(secret.secret_bytes().to_vec()), ClientKeyExchangeEcdh { public }.encoding()))
    }
}

struct ExpectChangeCipherSpec {
    cx: ClientContext,
    secrets: ConnectionSecrets,
    decrypter: Box<dyn crate::crypto::MessageDecrypter>,
}

impl State for ExpectChangeCipherSpec {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match m {
            // RFC 5077 §3.3: announced in ServerHello, NewSessionTicket comes first.
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::NewSessionTicket(ticket) },
                encoded,
            } if cs.sessions.ticket_expected => {
                resumption::receive_new_session_ticket(cs, &mut self.cx.transcript, ticket, encoded);
                Ok(self)
            }
            Message::ChangeCipherSpec if !cs.sessions.ticket_expected => {
                cs.record.set_decrypter(self.decrypter);
                Ok(Box::new(ExpectFinished { cx: self.cx, secrets: self.secrets }))
            }
            other => Err(unexpected(resumption::awaited_before_ccs(cs), &other)),
        }
    }
}

struct ExpectFinished {
    cx: ClientContext,
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
            &self.cx.config.provider,
            &mut self.cx.transcript,
            Side::Server,
            &finished,
        )?;
        cs.handshake_complete = true;
        resumption::record_client_session(cs, &self.secrets, &self.cx.config, &self.cx.server_name);
        Ok(Box::new(ExpectTraffic))
    }
}
