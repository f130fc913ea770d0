//! The TLS 1.0–1.2 server handshake with RSA key exchange (RFC 5246 §7.3):
//!
//! ```text
//! ExpectClientHello ──► ServerHello, Certificate, ServerHelloDone
//!   ──► ExpectClientKeyExchange ──► ExpectChangeCipherSpec ──► ExpectFinished
//!   ──► [CCS], Finished ──► ExpectTraffic
//! ```

use super::super::traffic::ExpectTraffic;
use super::super::{unexpected, CommonState, ConnectionSecrets, Message, Side, State, Transcript};
use crate::codec::Codec;
use crate::config::ServerConfig;
use crate::crypto::Tls12CipherSuite;
use crate::error::{Error, PeerIncompatible, PeerMisbehaved};
use crate::msgs::certificate::Certificate;
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{scsv, ExtensionType, ProtocolVersion};
use crate::msgs::extensions::{ClientExtension, ServerExtension};
use crate::msgs::finished::Finished;
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::key_exchange::ClientKeyExchangeRsa;
use crate::msgs::server_hello::ServerHello;
use crate::msgs::{Random, SessionId};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The first state: waiting for the ClientHello.
pub(crate) fn start(config: Arc<ServerConfig>) -> Box<dyn State> {
    Box::new(ExpectClientHello { config })
}

struct ExpectClientHello {
    config: Arc<ServerConfig>,
}

/// What the server decided from a ClientHello.
struct Negotiated {
    version: ProtocolVersion,
    suite: &'static Tls12CipherSuite,
    ems: bool,
    etm: bool,
}

impl ExpectClientHello {
    fn negotiate(&self, ch: &ClientHello) -> Result<Negotiated, Error> {
        let policy = &self.config.policy;
        // RFC 5246 Appendix E.1: answer with the highest version both support.
        if ch.client_version < ProtocolVersion::TLSv1_0 {
            return Err(PeerIncompatible::Ssl3Refused.into());
        }
        let version = ch.client_version.min(policy.max_version);
        if version < policy.min_version {
            return Err(PeerIncompatible::NoCommonVersion {
                peer: ch.client_version,
                needs_legacy: !policy.legacy,
            }
            .into());
        }
        // RFC 7507 §3: a fallback SCSV with a version below our highest means an attacker may
        // have forced the client down.
        if ch.cipher_suites.contains(&scsv::FALLBACK) && version < policy.max_version {
            return Err(PeerMisbehaved::InappropriateFallback.into());
        }
        if !ch.compression_methods.contains(&0) {
            return Err(PeerMisbehaved::NoNullCompression.into());
        }
        // Server preference order: the operator's list decides, not the client's.
        let suite =
            policy.suites_for(version).find(|s| ch.cipher_suites.contains(&s.id)).ok_or_else(|| {
                let needs_legacy = !policy.legacy
                    && self
                        .config
                        .provider
                        .cipher_suites
                        .iter()
                        .any(|s| s.legacy && ch.cipher_suites.contains(&s.id));
                PeerIncompatible::NoCommonCipherSuite { needs_legacy }
            })?;

        let mut ems = false;
        let mut etm = false;
        let mut secure_renegotiation = ch.cipher_suites.contains(&scsv::EMPTY_RENEGOTIATION_INFO);
        for ext in &ch.extensions {
            match ext {
                ClientExtension::ExtendedMasterSecret => ems = policy.extended_master_secret,
                ClientExtension::EncryptThenMac => {
                    etm = policy.encrypt_then_mac && suite.record.is_block_cipher()
                }
                // RFC 5746 §3.6: on an initial handshake the extension must be empty.
                ClientExtension::RenegotiationInfo(v) if v.is_empty() => secure_renegotiation = true,
                ClientExtension::RenegotiationInfo(_) => {
                    return Err(PeerMisbehaved::BadRenegotiationInfo.into())
                }
                _ => {}
            }
        }
        if !secure_renegotiation && !policy.legacy && crate::config::defaults::REQUIRE_SECURE_RENEGOTIATION {
            return Err(PeerIncompatible::SecureRenegotiationUnsupported.into());
        }
        Ok(Negotiated { version, suite, ems, etm })
    }
}

impl State for ExpectClientHello {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (ch, encoded) = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::ClientHello(ch) },
                encoded,
            } => (ch, encoded),
            other => return Err(unexpected("ClientHello", &other)),
        };
        let n = self.negotiate(&ch)?;
        let provider = &self.config.provider;
        let mut transcript = Transcript::default();
        transcript.add(encoded);

        cs.version = Some(n.version);
        cs.record_version = u16::from(n.version);
        cs.suite = Some(n.suite);
        cs.extended_master_secret = n.ems;
        cs.encrypt_then_mac = n.etm;
        if let Some(ClientExtension::ServerName(name)) = ch.extension(ExtensionType::ServerName) {
            cs.server_name = Some(name.clone());
        }

        let mut server_random = [0u8; 32];
        provider.random.fill(&mut server_random)?;
        let mut extensions = vec![ServerExtension::RenegotiationInfo(Vec::new())];
        if n.ems {
            extensions.push(ServerExtension::ExtendedMasterSecret);
        }
        if n.etm {
            extensions.push(ServerExtension::EncryptThenMac);
        }
        let hello = ServerHello {
            server_version: n.version,
            random: server_random,
            // No session cache yet, so an empty session_id tells the client not to try
            // resuming (RFC 5246 §7.4.1.3).
            session_id: SessionId::EMPTY,
            cipher_suite: n.suite.id,
            compression_method: 0,
            extensions,
        };
        cs.send_handshake(
            &HandshakeMessage { payload: HandshakePayload::ServerHello(hello) },
            Some(&mut transcript),
        )?;
        let certificate = Certificate(self.config.cert_chain.clone());
        cs.send_handshake(
            &HandshakeMessage { payload: HandshakePayload::Certificate(certificate) },
            Some(&mut transcript),
        )?;
        cs.send_handshake(
            &HandshakeMessage { payload: HandshakePayload::ServerHelloDone },
            Some(&mut transcript),
        )?;

        Ok(Box::new(ExpectClientKeyExchange {
            config: self.config,
            transcript,
            client_version: ch.client_version,
            client_random: ch.random,
            server_random,
            version: n.version,
            suite: n.suite,
        }))
    }
}

struct ExpectClientKeyExchange {
    config: Arc<ServerConfig>,
    transcript: Transcript,
    client_version: ProtocolVersion,
    client_random: Random,
    server_random: Random,
    version: ProtocolVersion,
    suite: &'static Tls12CipherSuite,
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
        let cke = ClientKeyExchangeRsa::read_bytes(&body)?;
        self.transcript.add(encoded);
        let provider = &self.config.provider;

        // RFC 5246 §7.4.7.1: generate the random fallback *before* decrypting, and let the key
        // choose between it and the decryption in constant time. Whatever was wrong with the
        // ciphertext, the handshake carries on and fails only at Finished, with the same alert
        // and timing as any other wrong key (Bleichenbacher, ROBOT).
        let mut fallback = [0u8; 48];
        provider.random.fill(&mut fallback)?;
        let premaster = self.config.key.decrypt_premaster(
            &cke.encrypted_premaster,
            u16::from(self.client_version).to_be_bytes(),
            &fallback,
        );
        zeroize::Zeroize::zeroize(&mut fallback);

        let session_hash = match cs.extended_master_secret {
            true => Some(self.transcript.hash(provider, self.version, self.suite)?),
            false => None,
        };
        let secrets = ConnectionSecrets::new(
            provider,
            self.suite,
            self.version,
            &premaster[..],
            self.client_random,
            self.server_random,
            session_hash.as_deref(),
        )?;
        let (encrypter, decrypter) = secrets.record_protection(Side::Server, cs.encrypt_then_mac);
        Ok(Box::new(ExpectChangeCipherSpec {
            config: self.config,
            transcript: self.transcript,
            secrets,
            encrypter,
            decrypter,
        }))
    }
}

struct ExpectChangeCipherSpec {
    config: Arc<ServerConfig>,
    transcript: Transcript,
    secrets: ConnectionSecrets,
    encrypter: Box<dyn crate::crypto::MessageEncrypter>,
    decrypter: Box<dyn crate::crypto::MessageDecrypter>,
}

impl State for ExpectChangeCipherSpec {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match m {
            Message::ChangeCipherSpec => {
                cs.record.set_decrypter(self.decrypter);
                Ok(Box::new(ExpectFinished {
                    config: self.config,
                    transcript: self.transcript,
                    secrets: self.secrets,
                    encrypter: self.encrypter,
                }))
            }
            other => Err(unexpected("ChangeCipherSpec", &other)),
        }
    }
}

struct ExpectFinished {
    config: Arc<ServerConfig>,
    transcript: Transcript,
    secrets: ConnectionSecrets,
    encrypter: Box<dyn crate::crypto::MessageEncrypter>,
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
        let provider = &self.config.provider;
        let hash = self.transcript.hash(provider, self.secrets.version, self.secrets.suite)?;
        let expected = self.secrets.verify_data(Side::Client, &hash);
        if !bool::from(expected.ct_eq(&finished.verify_data)) {
            return Err(PeerMisbehaved::IncorrectFinished.into());
        }
        self.transcript.add(encoded);

        cs.send_change_cipher_spec()?;
        cs.record.set_encrypter(self.encrypter);
        cs.fragmenter.one_n_minus_one =
            self.secrets.version == ProtocolVersion::TLSv1_0 && self.secrets.suite.record.is_block_cipher();
        let hash = self.transcript.hash(provider, self.secrets.version, self.secrets.suite)?;
        let ours = Finished { verify_data: self.secrets.verify_data(Side::Server, &hash) };
        cs.send_handshake(&HandshakeMessage { payload: HandshakePayload::Finished(ours) }, None)?;
        cs.handshake_complete = true;
        Ok(Box::new(ExpectTraffic))
    }
}
