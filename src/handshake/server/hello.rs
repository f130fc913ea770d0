//! The server's hello (RFC 5246 §7.4.1): reading ClientHello and deciding version, suite,
//! extensions and ALPN, then the one branch into a resumed session (`tls12_resume.rs`) or a
//! full handshake (`tls12.rs`, which sends ServerHello and the rest of the flight). TLS 1.3
//! will branch here too.

use super::super::{client_auth, resumption};
use super::super::{unexpected, CommonState, Message, State, Transcript};
use super::{tls12, tls12_resume, tls13};
use crate::config::{
    select_by_server_preference, AlpnSelection, CertifiedKey, ClientHelloView, ServerConfig,
};
use crate::crypto::Tls12CipherSuite;
use crate::error::{Error, PeerIncompatible, PeerMisbehaved};
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{CipherSuite, ExtensionType, ProtocolVersion, SignatureScheme};
use crate::msgs::extensions::ClientExtension;
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use std::sync::Arc;

/// The first state: waiting for the ClientHello.
pub(crate) fn start(config: Arc<ServerConfig>) -> Box<dyn State> {
    Box::new(ExpectClientHello { config })
}

struct ExpectClientHello {
    config: Arc<ServerConfig>,
}

/// What the server decided from a ClientHello.
pub(super) struct Negotiated {
    pub(super) version: ProtocolVersion,
    pub(super) suite: &'static Tls12CipherSuite,
    pub(super) ems: bool,
    pub(super) etm: bool,
    pub(super) alpn: Option<Vec<u8>>,
    /// The client signalled RFC 5746 (extension or SCSV): ServerHello carries renegotiation_info.
    pub(super) secure_renegotiation: bool,
    /// The certificate and key this handshake authenticates with (`suite` fits it).
    pub(super) cert: Arc<CertifiedKey>,
    /// The client's signature_algorithms that policy allows (TLS 1.2), for ServerKeyExchange.
    #[allow(dead_code)] // until ECDHE signs ServerKeyExchange with `cert`
    pub(super) signature_schemes: Vec<SignatureScheme>,
}

impl ExpectClientHello {
    fn negotiate(&self, ch: &ClientHello) -> Result<Negotiated, Error> {
        let policy = &self.config.policy;
        // RFC 5246 Appendix E.1: answer with the highest version both support.
        if ch.client_version < ProtocolVersion::TLSv1_0 {
            return Err(PeerIncompatible::Ssl3Refused.into());
        }
        // TLS 1.3 is chosen only through supported_versions (RFC 8446 §4.2.1): here at most 1.2.
        let version = ch.client_version.min(policy.max_version).min(ProtocolVersion::TLSv1_2);
        if version < policy.min_version {
            return Err(PeerIncompatible::NoCommonVersion {
                peer: ch.client_version,
                needs_legacy: !policy.legacy,
            }
            .into());
        }
        // RFC 7507 §3: a fallback SCSV with a version below our highest means an attacker may
        // have forced the client down.
        if ch.cipher_suites.contains(&CipherSuite::TLS_FALLBACK_SCSV) && version < policy.max_version {
            return Err(PeerMisbehaved::InappropriateFallback.into());
        }
        if !ch.compression_methods.contains(&0) {
            return Err(PeerMisbehaved::NoNullCompression.into());
        }
        // Server preference order: the operator's list decides, not the client's.
        let common: Vec<&'static Tls12CipherSuite> =
            policy.suites_for(version).filter(|s| ch.cipher_suites.contains(&s.suite)).collect();
        if common.is_empty() {
            let needs_legacy = !policy.legacy
                && self
                    .config
                    .provider
                    .cipher_suites
                    .iter()
                    .any(|s| s.legacy && ch.cipher_suites.contains(&s.suite));
            return Err(PeerIncompatible::NoCommonCipherSuite { needs_legacy }.into());
        }
        let signature_schemes = client_signature_schemes(ch, version, policy);
        let server_name = match ch.extension(ExtensionType::ServerName) {
            Some(ClientExtension::ServerName(name)) => Some(name.as_str()),
            _ => None,
        };
        let (cert, suite) = self.choose_certificate(&ClientHelloView::new(
            server_name,
            version,
            &common,
            &signature_schemes,
        ))?;

        let mut ems = false;
        let mut etm = false;
        let mut secure_renegotiation =
            ch.cipher_suites.contains(&CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
        for ext in &ch.extensions {
            match ext {
                ClientExtension::ExtendedMasterSecret => ems = policy.extended_master_secret,
                ClientExtension::EncryptThenMac => etm = policy.encrypt_then_mac && suite.is_cbc(),
                // RFC 5746 §3.6: on an initial handshake the extension must be empty.
                ClientExtension::RenegotiationInfo(v) if v.is_empty() => secure_renegotiation = true,
                ClientExtension::RenegotiationInfo(_) => {
                    return Err(PeerMisbehaved::BadRenegotiationInfo.into())
                }
                _ => {}
            }
        }
        // RFC 5746 §3.6/§4.3: a server may refuse a client that signals neither the extension
        // nor the SCSV. We serve it: the attack RFC 5746 closes splices a victim's handshake
        // onto an attacker's connection as a renegotiation, and a ferrotls server refuses
        // every renegotiation, so refusing old clients would cost interoperability for no
        // protection (ARCHITECTURE.md, security decisions). Clients still require the server's
        // indication (client/hello.rs): a client is the victim of that attack.
        let alpn = match ch.extension(ExtensionType::Alpn) {
            Some(ClientExtension::Alpn(offered)) => self.select_application_protocol(offered)?,
            _ => None,
        };
        Ok(Negotiated { version, suite, ems, etm, alpn, secure_renegotiation, cert, signature_schemes })
    }

    /// The certificate the resolver picks for this client, and the first common suite (in the
    /// server's order) that it can authenticate.
    fn choose_certificate(
        &self,
        hello: &ClientHelloView<'_>,
    ) -> Result<(Arc<CertifiedKey>, &'static Tls12CipherSuite), Error> {
        let resolver = &self.config.cert_resolver;
        let cert = resolver.resolve(hello).ok_or_else(|| match hello.server_name {
            Some(name) => PeerIncompatible::NoCertificateForServerName(name.to_owned()),
            None => PeerIncompatible::NoCertificate,
        })?;
        let suite = hello.suite_for(&cert).ok_or_else(|| {
            let mut types = resolver.key_types();
            if !types.contains(&cert.key_type()) {
                types.insert(0, cert.key_type());
            }
            PeerIncompatible::NoSuiteForCertificate(types)
        })?;
        Ok((cert, suite))
    }

    /// RFC 7301 §3.2: the selector decides when there is one; otherwise the first of the
    /// server's protocols that the client offered, and no_application_protocol when the server
    /// has protocols and none matches. A server without ALPN ignores the extension.
    fn select_application_protocol(&self, offered: &[Vec<u8>]) -> Result<Option<Vec<u8>>, Error> {
        let config = &self.config;
        if let Some(selector) = &config.alpn_selector {
            return match selector.select(offered) {
                AlpnSelection::Selected(i) => match offered.get(i) {
                    Some(p) => Ok(Some(p.clone())),
                    None => Err(Error::Internal("the ALPN selector chose an index outside the offers")),
                },
                AlpnSelection::NoAck => Ok(None),
                AlpnSelection::Fatal => Err(PeerIncompatible::ApplicationProtocolRefused.into()),
            };
        }
        if config.alpn_protocols.is_empty() {
            return Ok(None);
        }
        match select_by_server_preference(&config.alpn_protocols, offered) {
            Some(p) => Ok(Some(p.to_vec())),
            None => Err(PeerIncompatible::NoApplicationProtocol.into()),
        }
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
        // RFC 8446 §4.2.1: TLS 1.3 when the client offers it in supported_versions and we
        // allow it.
        if self.config.policy.max_version >= ProtocolVersion::TLSv1_3 && tls13::offers_tls13(&ch)? {
            let mut transcript = Transcript::default();
            transcript.add(encoded);
            if let Some(ClientExtension::Alpn(offered)) = ch.extension(ExtensionType::Alpn) {
                cs.alpn_protocol = self.select_application_protocol(offered)?;
            }
            return tls13::start(self.config, cs, transcript, &ch, encoded);
        }
        let n = self.negotiate(&ch)?;
        let config = self.config;
        let mut transcript = Transcript::default();
        transcript.add(encoded);

        cs.version = Some(n.version);
        cs.record_version = n.version;
        cs.suite = Some(n.suite);
        cs.extended_master_secret = n.ems;
        cs.encrypt_then_mac = n.etm;
        cs.alpn_protocol = n.alpn.clone();
        cs.secure_renegotiation = n.secure_renegotiation;
        if let Some(ClientExtension::ServerName(name)) = ch.extension(ExtensionType::ServerName) {
            cs.server_name = Some(name.clone());
        }
        if let Some(resumed) =
            resumption::resumable_session(&config, &ch, n.version, cs.server_name.as_deref())?
        {
            return tls12_resume::start(config, cs, transcript, &ch, resumed, n.secure_renegotiation);
        }
        tls12::start_full_handshake(config, cs, transcript, &ch, n)
    }
}

/// The client's signature_algorithms that policy allows (the server's configured schemes; SHA-1
/// only in the legacy profile, RFC 9155); without the extension in TLS 1.2, RFC 5246
/// §7.4.1.4.1's defaults ({sha1,rsa}, {sha1,ecdsa}), so only in the legacy profile. Empty
/// before TLS 1.2, where no scheme is negotiated.
fn client_signature_schemes(
    ch: &ClientHello,
    version: ProtocolVersion,
    policy: &crate::config::ProtocolPolicy,
) -> Vec<SignatureScheme> {
    if version < ProtocolVersion::TLSv1_2 {
        return Vec::new();
    }
    let offered = match ch.extension(ExtensionType::SignatureAlgorithms) {
        Some(ClientExtension::SignatureAlgorithms(schemes)) => schemes.clone(),
        _ => vec![SignatureScheme::RsaPkcs1Sha1, SignatureScheme::EcdsaSha1Legacy],
    };
    offered
        .into_iter()
        .filter(|s| client_auth::allowed(s, policy.legacy) && policy.signature_schemes.contains(s))
        .collect()
}
