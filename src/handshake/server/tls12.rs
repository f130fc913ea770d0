//! The TLS 1.0–1.2 server's full handshake with RSA or ECDHE key exchange (RFC 5246 §7.3, RFC
//! 8422 §2), from its ServerHello on (reading ClientHello and negotiating are in `hello.rs`):
//!
//! ```text
//! ExpectClientHello ──► ServerHello, Certificate, [ServerKeyExchange], [CertificateRequest], ServerHelloDone
//!   ──► [ExpectCertificate] ──► ExpectClientKeyExchange ──► [ExpectCertificateVerify]
//!   ──► ExpectChangeCipherSpec ──► ExpectFinished ──► [CCS], Finished ──► ExpectTraffic
//! ```
//! ServerKeyExchange is sent for ECDHE suites only. The bracketed states exist only when the
//! server asks for a client certificate, and ExpectCertificateVerify only when the client sent
//! one.

use super::super::client_auth;
use super::super::finished::{check_peer_finished, send_change_cipher_spec_and_finished};
use super::super::resumption;
use super::super::traffic::ExpectTraffic;
use super::super::{unexpected, CommonState, ConnectionSecrets, Message, Side, State, Transcript};
use super::hello::Negotiated;
use crate::codec::{Codec, ListLength, Reader};
use crate::config::{CertifiedKey, ServerConfig};
use crate::crypto::{
    KeyExchangeAlgorithm, KeyShare, MessageDecrypter, MessageEncrypter, SignError, Tls12CipherSuite,
};
use crate::error::{CertificateError, Error, PeerMisbehaved};
use crate::msgs::certificate::Certificate;
use crate::msgs::certificate_request::CertificateRequest;
use crate::msgs::certificate_verify::CertificateVerify;
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{ExtensionType, ProtocolVersion};
use crate::msgs::extensions::{ServerExtension, EC_POINT_FORMAT_UNCOMPRESSED};
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::key_exchange::{
    ClientKeyExchangeEcdh, ClientKeyExchangeRsa, ServerEcdhParams, ServerKeyExchangeEcdhe,
};
use crate::msgs::server_hello::ServerHello;
use crate::msgs::Random;
use crate::x509::CertificateDer;
use std::sync::Arc;

/// What every server state after ClientHello knows.
struct ServerContext {
    config: Arc<ServerConfig>,
    transcript: Transcript,
    client_version: ProtocolVersion,
    client_random: Random,
    server_random: Random,
    version: ProtocolVersion,
    suite: &'static Tls12CipherSuite,
    /// Our ephemeral ECDHE key pair, for ECDHE suites (consumed by ClientKeyExchange).
    key_share: Option<Box<dyn KeyShare>>,
    /// The certificate and key chosen for this client (`hello.rs`).
    cert: Arc<CertifiedKey>,
}

/// After a ClientHello that starts a new session: sends ServerHello, Certificate,
/// [CertificateRequest] and ServerHelloDone (RFC 5246 §7.3) and waits for the client's flight.
pub(super) fn start_full_handshake(
    config: Arc<ServerConfig>,
    cs: &mut CommonState,
    mut transcript: Transcript,
    ch: &ClientHello,
    n: Negotiated,
) -> Result<Box<dyn State>, Error> {
    // RFC 5077 §3.2: a client that sent SessionTicket gets a ticket instead of a cached ID.
    let sends_ticket = resumption::server_sends_ticket(&config, ch);
    cs.sessions.ticket_expected = sends_ticket;
    cs.sessions.id = resumption::new_session_id(&config, sends_ticket)?;

    let mut server_random = [0u8; 32];
    config.provider.random.fill(&mut server_random)?;
    crate::handshake::tls13::mark_downgrade(&config.policy, n.version, &mut server_random);
    let mut extensions = Vec::new();
    // RFC 5746 §3.6: the (empty) extension answers a client that signalled, and only that.
    if n.secure_renegotiation {
        extensions.push(ServerExtension::RenegotiationInfo(Vec::new()));
    }
    if n.ems {
        extensions.push(ServerExtension::ExtendedMasterSecret);
    }
    if n.etm {
        extensions.push(ServerExtension::EncryptThenMac);
    }
    if let Some(p) = n.alpn {
        extensions.push(ServerExtension::Alpn(p));
    }
    if sends_ticket {
        extensions.push(ServerExtension::SessionTicketAck);
    }
    // RFC 8422 §5.2: an ECDHE suite chosen for a client that sent ec_point_formats is
    // answered with ours (uncompressed only).
    if n.suite.kx == KeyExchangeAlgorithm::Ecdhe && ch.extension(ExtensionType::EcPointFormats).is_some() {
        extensions.push(ServerExtension::EcPointFormats(vec![EC_POINT_FORMAT_UNCOMPRESSED]));
    }
    let hello = ServerHello {
        server_version: n.version,
        random: server_random,
        // RFC 5246 §7.4.1.3: a new session's ID, or empty when we will not cache it.
        session_id: cs.sessions.id,
        cipher_suite: n.suite.suite,
        compression_method: 0,
        extensions,
    };
    let send = |cs: &mut CommonState, t: &mut Transcript, payload| {
        cs.send_handshake(&HandshakeMessage { payload }, Some(t))
    };
    send(cs, &mut transcript, HandshakePayload::ServerHello(hello))?;
    send(cs, &mut transcript, HandshakePayload::Certificate(Certificate(n.cert.chain.clone())))?;
    let mut key_share = None;
    if let Some((group, signer)) = n.ecdhe {
        // RFC 8422 §5.4: a fresh key pair per handshake, signed over both randoms.
        let share = group.start()?;
        let params = ServerEcdhParams { group: group.name(), public: share.public_key().to_vec() };
        let signed = ServerKeyExchangeEcdhe::signed_message(&ch.random, &server_random, &params);
        let signature = signer.sign(&signed).map_err(sign_error)?;
        let skx = ServerKeyExchangeEcdhe { params, scheme: signer.scheme(), signature };
        send(cs, &mut transcript, HandshakePayload::ServerKeyExchange(skx.encoding()))?;
        cs.kx_group = Some(group.name());
        cs.signature_scheme = signer.scheme();
        key_share = Some(share);
    }
    let requested = match &config.client_verifier {
        Some(verifier) => {
            // RFC 5246 §7.4.4: the CA names help a client choose among its certificates.
            let schemes = client_auth::server_offered_schemes(
                &**verifier,
                &config.provider,
                &config.policy.signature_schemes,
            );
            let request = CertificateRequest {
                certificate_types: client_auth::certificate_types(&schemes),
                signature_schemes: (n.version >= ProtocolVersion::TLSv1_2).then_some(schemes),
                certificate_authorities: ca_names_that_fit(verifier.root_hint_subjects()),
            };
            send(cs, &mut transcript, HandshakePayload::CertificateRequest(request))?;
            true
        }
        None => false,
    };
    send(cs, &mut transcript, HandshakePayload::ServerHelloDone)?;

    let cx = ServerContext {
        config,
        transcript,
        client_version: ch.client_version,
        client_random: ch.random,
        server_random,
        version: n.version,
        suite: n.suite,
        key_share,
        cert: n.cert,
    };
    Ok(match requested {
        true => Box::new(ExpectCertificate { cx }),
        false => Box::new(ExpectClientKeyExchange { cx, client_certificate: None }),
    })
}

/// Waiting for the client's Certificate, which it must send (perhaps empty) after a request.
struct ExpectCertificate {
    cx: ServerContext,
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
        let config = &self.cx.config;
        let verifier = config
            .client_verifier
            .as_ref()
            .ok_or(Error::Internal("certificate requested without verifier"))?;
        let client_certificate = match chain.split_first() {
            // RFC 5246 §7.4.6: with verify mode "required" a client without a certificate gets
            // handshake_failure (certificate_required is TLS 1.3's alert).
            None if verifier.client_auth_mandatory() => return Err(CertificateError::NoCertificate.into()),
            None => None,
            Some((leaf, intermediates)) => {
                let now = config
                    .time
                    .now()
                    .ok_or(CertificateError::Other("no clock to check validity against".into()))?;
                verifier.verify_client_cert(leaf, intermediates, now)?;
                Some(leaf.clone())
            }
        };
        self.cx.transcript.add(encoded);
        cs.peer_certificates = chain;
        Ok(Box::new(ExpectClientKeyExchange { cx: self.cx, client_certificate }))
    }
}

struct ExpectClientKeyExchange {
    cx: ServerContext,
    /// The verified client certificate, when one was sent: CertificateVerify follows.
    client_certificate: Option<CertificateDer<'static>>,
}

impl State for ExpectClientKeyExchange {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (body, encoded) = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::ClientKeyExchange(b) },
                encoded,
            } => (b, encoded),
            other => return Err(unexpected("ClientKeyExchange", &other)),
        };
        let premaster = match self.cx.key_share.take() {
            // RFC 8422 §5.7/§5.10: the premaster is the ECDH shared secret; a point off the
            // curve or an all-zero X25519 result is illegal_parameter.
            Some(share) => {
                let cke = ClientKeyExchangeEcdh::read_bytes(&body)?;
                let group = share.group();
                let secret =
                    share.complete(&cke.public).map_err(|_| PeerMisbehaved::InvalidKeyShare(group))?;
                zeroize::Zeroizing::new(secret.secret_bytes().to_vec())
            }
            None => self.rsa_premaster(&body)?,
        };
        self.cx.transcript.add(encoded);
        let cx = &mut self.cx;
        let provider = &cx.config.provider;

        let session_hash = match cs.extended_master_secret {
            true => Some(cx.transcript.hash(provider, cx.version, cx.suite)?),
            false => None,
        };
        let secrets = ConnectionSecrets::new(
            provider,
            cx.suite,
            cx.version,
            &premaster[..],
            cx.client_random,
            cx.server_random,
            session_hash.as_deref(),
            &*cx.config.key_log,
        )?;
        let (encrypter, decrypter) = secrets.record_protection(Side::Server, cs.encrypt_then_mac);
        let keys = PendingKeys { secrets, encrypter, decrypter };
        Ok(match self.client_certificate {
            Some(client_certificate) => {
                Box::new(ExpectCertificateVerify { cx: self.cx, keys, client_certificate })
            }
            None => Box::new(ExpectChangeCipherSpec { cx: self.cx, keys }),
        })
    }
}

impl ExpectClientKeyExchange {
    /// RFC 5246 §7.4.7.1: generate the random fallback *before* decrypting, and let the key
    /// choose between it and the decryption in constant time. Whatever was wrong with the
    /// ciphertext, the handshake carries on and fails only at Finished, with the same alert and
    /// timing as any other wrong key (Bleichenbacher, ROBOT).
    fn rsa_premaster(&self, body: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
        let cke = ClientKeyExchangeRsa::read_bytes(body)?;
        let cx = &self.cx;
        let mut fallback = [0u8; 48];
        cx.config.provider.random.fill(&mut fallback)?;
        let key = cx.cert.key.rsa().ok_or(Error::Internal("RSA key exchange without an RSA key"))?;
        let premaster = crate::crypto::decrypt_premaster(
            &**key,
            &cke.encrypted_premaster,
            u16::from(cx.client_version).to_be_bytes(),
            &fallback,
        );
        zeroize::Zeroize::zeroize(&mut fallback);
        Ok(zeroize::Zeroizing::new(premaster.to_vec()))
    }
}

/// A signing failure as the connection reports it.
fn sign_error(e: SignError) -> Error {
    match e {
        SignError::Random => Error::FailedToGetRandomBytes,
        SignError::Refused(why) => Error::Internal(why),
    }
}

/// Keys derived at ClientKeyExchange, installed at the ChangeCipherSpecs.
struct PendingKeys {
    secrets: ConnectionSecrets,
    encrypter: Box<dyn MessageEncrypter>,
    decrypter: Box<dyn MessageDecrypter>,
}

struct ExpectCertificateVerify {
    cx: ServerContext,
    keys: PendingKeys,
    client_certificate: CertificateDer<'static>,
}

impl State for ExpectCertificateVerify {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (body, encoded) = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::CertificateVerify(b) },
                encoded,
            } => (b, encoded),
            other => return Err(unexpected("CertificateVerify", &other)),
        };
        let cx = &self.cx;
        let tls12 = cx.version >= ProtocolVersion::TLSv1_2;
        let mut r = Reader::new(&body);
        let cv = CertificateVerify::read_versioned(&mut r, tls12)?;
        r.expect_empty("CertificateVerify")?;
        // RFC 5246 §7.4.8: the signature covers every handshake message before this one.
        let config = &cx.config;
        let verifier = config
            .client_verifier
            .as_ref()
            .ok_or(Error::Internal("certificate verified without verifier"))?;
        let offered = client_auth::server_offered_schemes(
            &**verifier,
            &config.provider,
            &config.policy.signature_schemes,
        );
        client_auth::verify(
            &config.provider,
            &**verifier,
            &self.client_certificate,
            &cv,
            &cx.transcript,
            &offered,
        )?;
        cs.peer_signature_scheme = cv.scheme;
        self.cx.transcript.add(encoded);
        Ok(Box::new(ExpectChangeCipherSpec { cx: self.cx, keys: self.keys }))
    }
}

struct ExpectChangeCipherSpec {
    cx: ServerContext,
    keys: PendingKeys,
}

impl State for ExpectChangeCipherSpec {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match m {
            Message::ChangeCipherSpec => {
                let PendingKeys { secrets, encrypter, decrypter } = self.keys;
                cs.record.set_decrypter(decrypter);
                Ok(Box::new(ExpectFinished { cx: self.cx, secrets, encrypter }))
            }
            other => Err(unexpected("ChangeCipherSpec", &other)),
        }
    }
}

struct ExpectFinished {
    cx: ServerContext,
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
        check_peer_finished(&self.secrets, provider, &mut self.cx.transcript, Side::Client, &finished)?;
        // RFC 5246 §7.4.9: our Finished covers the client's.
        self.cx.transcript.add(encoded);
        let session = resumption::server_session(cs, &self.secrets, &self.cx.config);
        // RFC 5077 §3.3: the ticket goes before our ChangeCipherSpec, and our Finished covers it.
        if let (true, Some(session)) = (cs.sessions.ticket_expected, &session) {
            resumption::send_new_session_ticket(cs, &self.cx.config, session, &mut self.cx.transcript)?;
        }
        send_change_cipher_spec_and_finished(
            cs,
            self.encrypter,
            &self.secrets,
            provider,
            &mut self.cx.transcript,
            Side::Server,
            false,
        )?;
        cs.handshake_complete = true;
        resumption::store_server_session(cs, &self.cx.config, session);
        Ok(Box::new(ExpectTraffic))
    }
}

/// The CA names for CertificateRequest, or none when they do not fit its 16-bit list (a store
/// of about a thousand CAs does not). RFC 5246 §7.4.4: with an empty certificate_authorities
/// "the client MAY send any certificate of the appropriate ClientCertificateType"; a partial
/// list would instead steer a client away from a certificate we would accept. OpenSSL fails
/// the handshake here; the names are only a hint, so we send none.
fn ca_names_that_fit(names: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let list = ListLength::U16 { max: 0xffff };
    let total = names.iter().map(|n| 2 + n.len()).sum::<usize>();
    if list.fits(total) && names.iter().all(|n| list.fits(n.len())) {
        names
    } else {
        Vec::new()
    }
}
