//! The client's hellos (RFC 5246 §7.4.1): building and sending ClientHello, and reading
//! ServerHello: version, suite and extension checks, then the one branch into the full
//! handshake (`tls12.rs`) or the abbreviated one (`tls12_resume.rs`). TLS 1.3 will branch here
//! too.

use super::super::resumption;
use super::super::{unexpected, CommonState, Message, State, Transcript};
use super::{tls12, tls12_resume, tls13};
use crate::codec::Codec;
use crate::config::ClientConfig;
use crate::crypto::{AuthenticationAlgorithm, KeyExchangeAlgorithm, Tls12CipherSuite};
use crate::error::{Error, PeerIncompatible, PeerMisbehaved};
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{CipherSuite, ExtensionType, ProtocolVersion, SignatureScheme};
use crate::msgs::extensions::{ClientExtension, ServerExtension, EC_POINT_FORMAT_UNCOMPRESSED};
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::{Random, SessionId};
use crate::session::Tls12Session;
use crate::x509::ServerName;
use std::sync::Arc;

/// What every client state after ClientHello knows.
pub(super) struct ClientContext {
    pub(super) config: Arc<ClientConfig>,
    pub(super) server_name: ServerName<'static>,
    pub(super) client_random: Random,
    pub(super) transcript: Transcript,
    /// signature_algorithms as sent (RFC 5246 §7.4.1.4.1): the configured schemes the
    /// verifier checks. ServerKeyExchange must use one of them.
    pub(super) offered_schemes: Vec<SignatureScheme>,
}

/// Whether the client can use `suite` with what it offers: ECDHE needs a group, and ECDHE-ECDSA
/// an ECDSA or Ed25519 scheme to verify ServerKeyExchange with (TLS 1.2; TLS 1.0/1.1 ECDSA
/// signatures are SHA-1, verified when the legacy profile allows those versions).
fn can_offer(suite: &Tls12CipherSuite, config: &ClientConfig, schemes: &[SignatureScheme]) -> bool {
    if suite.kx == KeyExchangeAlgorithm::Rsa {
        return true;
    }
    if config.policy.kx_groups.is_empty() {
        return false;
    }
    let verifies = |f: fn(&SignatureScheme) -> bool| {
        config.policy.max_version < ProtocolVersion::TLSv1_2 || schemes.iter().any(f)
    };
    match suite.auth {
        AuthenticationAlgorithm::Rsa => verifies(|s| s.name().starts_with("rsa_")),
        AuthenticationAlgorithm::Ecdsa => {
            verifies(|s| s.name().starts_with("ecdsa_") || *s == SignatureScheme::Ed25519)
        }
    }
}

/// Sends ClientHello, offering `resuming` when given (RFC 5246 §7.4.1.2), and returns the
/// first state.
pub(crate) fn start(
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
    resuming: Option<Tls12Session>,
    resuming13: Option<crate::session::Tls13Session>,
    cs: &mut CommonState,
) -> Result<Box<dyn State>, Error> {
    let policy = &config.policy;
    let mut client_random = [0u8; 32];
    config.provider.random.fill(&mut client_random)?;

    let offered_schemes = super::super::client_auth::offered_schemes(
        config.verifier.supported_verify_schemes(&config.provider),
        &policy.signature_schemes,
    );
    let offered_suites: Vec<&Tls12CipherSuite> =
        policy.suites_for(policy.max_version).filter(|s| can_offer(s, &config, &offered_schemes)).collect();
    if offered_suites.is_empty() {
        return Err(Error::Config(
            "no cipher suite can be offered: the ECDHE suites need a key exchange group and a \
             signature scheme the verifier checks, and no RSA key exchange suite is configured"
                .into(),
        ));
    }
    let offers_ecdhe = offered_suites.iter().any(|s| s.kx == KeyExchangeAlgorithm::Ecdhe);
    let mut cipher_suites: Vec<CipherSuite> = offered_suites.iter().map(|s| s.suite).collect();
    // RFC 5746 §3.4: signal secure renegotiation with the SCSV as well as the extension; the
    // SCSV reaches servers that choke on extensions.
    cipher_suites.push(CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    if config.send_fallback_scsv {
        cipher_suites.push(CipherSuite::TLS_FALLBACK_SCSV);
    }

    let mut extensions = Vec::new();
    let offered_sni = matches!((config.enable_sni, &server_name), (true, ServerName::DnsName(_)));
    if let (true, ServerName::DnsName(name)) = (offered_sni, &server_name) {
        extensions.push(ClientExtension::ServerName(name.as_ref().trim_end_matches('.').to_owned()));
    }
    if policy.max_version >= ProtocolVersion::TLSv1_2 && !offered_schemes.is_empty() {
        extensions.push(ClientExtension::SignatureAlgorithms(offered_schemes.clone()));
    }
    // RFC 8422 §5.1: the groups we do ECDHE in, preferred first, and the one point format.
    if offers_ecdhe {
        extensions
            .push(ClientExtension::SupportedGroups(policy.kx_groups.iter().map(|g| g.name()).collect()));
        extensions.push(ClientExtension::EcPointFormats(vec![EC_POINT_FORMAT_UNCOMPRESSED]));
    }
    if policy.extended_master_secret {
        extensions.push(ClientExtension::ExtendedMasterSecret);
    }
    if policy.encrypt_then_mac && policy.cipher_suites.iter().any(|s| s.is_cbc()) {
        extensions.push(ClientExtension::EncryptThenMac);
    }
    if !config.alpn_protocols.is_empty() {
        extensions.push(ClientExtension::Alpn(config.alpn_protocols.clone()));
    }
    let (offered_id, ticket_extension) = resumption::client_offer(&config, resuming.as_ref())?;
    let offered_ticket = ticket_extension.is_some();
    extensions.extend(ticket_extension);
    extensions.push(ClientExtension::RenegotiationInfo(Vec::new()));
    // The extensions block has a u16 length (RFC 5246 §7.4.1.2); a long ALPN list with a long
    // server name could overflow it, and a wrapped length would be a malformed hello.
    let mut encoded = Vec::with_capacity(super::super::common::ENCODE_CAPACITY);
    extensions.iter().for_each(|e| e.encode(&mut encoded));
    if encoded.len() > 0xffff {
        return Err(Error::Config(
            "the ClientHello extensions (ALPN list, server name) exceed 65535 bytes".into(),
        ));
    }

    // With TLS 1.3 offered and nothing to resume, a random legacy_session_id (§D.4); the TLS
    // 1.2 checks below still compare against `offered_id`.
    let mut session_id = offered_id;
    // RFC 8446 §4.1.2: a TLS 1.3 offer rides on a hello that says TLS 1.2.
    let tls13 = match policy.max_version >= ProtocolVersion::TLSv1_3 {
        true => Some(tls13::ClientOffer::add_to_hello(
            &config,
            &mut cipher_suites,
            &mut extensions,
            &mut session_id,
            &server_name,
            resuming13,
        )?),
        false => None,
    };
    let mut hello = ClientHello {
        client_version: policy.max_version.min(ProtocolVersion::TLSv1_2),
        random: client_random,
        session_id,
        cipher_suites,
        compression_methods: vec![0],
        extensions,
    };
    // RFC 8446 §4.2.11.2: the binder covers the whole hello but itself.
    if let Some(ticket) = tls13.as_ref().and_then(|o| o.resuming.as_ref()) {
        super::super::resumption13::fill_binder(ticket, &mut hello, &Transcript::default())?;
    }
    let tls13 = tls13.map(|mut o| {
        o.hello = Some(hello.clone());
        o
    });
    let offered_ems = policy.extended_master_secret;
    let offered_etm = hello.extension(ExtensionType::EncryptThenMac).is_some();
    let mut transcript = Transcript::default();
    cs.send_handshake(
        &HandshakeMessage { payload: HandshakePayload::ClientHello(hello) },
        Some(&mut transcript),
    )?;
    Ok(Box::new(ExpectServerHello {
        cx: ClientContext { config, server_name, client_random, transcript, offered_schemes },
        offered_ecdhe: offers_ecdhe,
        offered_ems,
        offered_etm,
        offered_sni,
        offered_ticket,
        offered_id,
        resuming,
        tls13,
    }))
}

/// Whether `selected` is among the protocols the client offered (none when its list is empty).
fn was_offered(offered: &[Vec<u8>], selected: &[u8]) -> bool {
    offered.iter().any(|p| p == selected)
}

struct ExpectServerHello {
    cx: ClientContext,
    /// ClientHello offered ECDHE suites (and so supported_groups and ec_point_formats).
    offered_ecdhe: bool,
    offered_ems: bool,
    offered_etm: bool,
    /// ClientHello carried server_name.
    offered_sni: bool,
    /// ClientHello carried SessionTicket (RFC 5077 §3.2).
    offered_ticket: bool,
    /// The session_id of ClientHello: the session's, or ours to go with its ticket.
    offered_id: SessionId,
    /// The session offered in ClientHello.
    resuming: Option<Tls12Session>,
    /// Our TLS 1.3 offer, when ClientHello made one.
    tls13: Option<tls13::ClientOffer>,
}

impl State for ExpectServerHello {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (sh, encoded) = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::ServerHello(sh) },
                encoded,
            } => (sh, encoded),
            other => return Err(unexpected("ServerHello", &other)),
        };
        if let Some(offer) = self.tls13.take() {
            if tls13::selected_version(&sh)? == Some(ProtocolVersion::TLSv1_3) {
                return tls13::handle_server_hello(self.cx, offer, cs, sh, encoded);
            }
            tls13::check_downgrade(&sh)?;
        }
        let policy = &self.cx.config.policy;

        let version = sh.server_version;
        if version < ProtocolVersion::TLSv1_0 {
            return Err(PeerIncompatible::Ssl3Refused.into());
        }
        if !policy.allows_version(version) {
            if version > policy.max_version {
                return Err(PeerMisbehaved::SelectedUnofferedVersion(version).into());
            }
            return Err(
                PeerIncompatible::NoCommonVersion { peer: version, needs_legacy: !policy.legacy }.into()
            );
        }
        let config = &self.cx.config;
        let suite: &'static Tls12CipherSuite = policy
            .suites_for(version)
            .filter(|s| can_offer(s, config, &self.cx.offered_schemes))
            .find(|s| s.suite == sh.cipher_suite)
            .ok_or(PeerMisbehaved::SelectedUnofferedCipherSuite(u16::from(sh.cipher_suite)))?;
        if sh.compression_method != 0 {
            return Err(PeerMisbehaved::SelectedCompression.into());
        }

        // RFC 5246 §7.4.1.4: a server may only answer extensions the client sent.
        let mut ems = false;
        let mut etm = false;
        let mut secure_renegotiation = false;
        let mut alpn = None;
        for ext in &sh.extensions {
            match ext {
                ServerExtension::ExtendedMasterSecret if self.offered_ems => ems = true,
                ServerExtension::EncryptThenMac if self.offered_etm => etm = true,
                // RFC 5746 §3.4: on an initial handshake the extension must be empty.
                ServerExtension::RenegotiationInfo(v) if v.is_empty() => secure_renegotiation = true,
                ServerExtension::RenegotiationInfo(_) => {
                    return Err(PeerMisbehaved::BadRenegotiationInfo.into())
                }
                // RFC 6066 §3: the empty server_name answers one the client sent; without SNI
                // (an IP address, or SNI switched off) it falls to unsupported_extension below.
                ServerExtension::ServerNameAck if self.offered_sni => {}
                // RFC 8422 §5.2: sent when the server chose an ECC suite; the list must
                // include the uncompressed format, the only one we send or parse.
                ServerExtension::EcPointFormats(formats) if self.offered_ecdhe => {
                    if !formats.contains(&EC_POINT_FORMAT_UNCOMPRESSED) {
                        return Err(PeerMisbehaved::UncompressedPointFormatMissing.into());
                    }
                }
                // RFC 5077 §3.2: a NewSessionTicket will come before the server's CCS.
                ServerExtension::SessionTicketAck if self.offered_ticket => {
                    cs.sessions.ticket_expected = true
                }
                // RFC 7301 §3.2: the server's protocol must be one the client offered; an
                // answer to an ALPN the client never sent is equally a lie.
                ServerExtension::Alpn(p) if was_offered(&self.cx.config.alpn_protocols, p) => {
                    alpn = Some(p.clone())
                }
                ServerExtension::Alpn(p) => {
                    return Err(PeerMisbehaved::SelectedUnofferedApplicationProtocol(p.clone()).into())
                }
                other => return Err(PeerMisbehaved::UnsolicitedExtension(u16::from(other.ext_type())).into()),
            }
        }
        if !secure_renegotiation && !policy.legacy && crate::config::defaults::REQUIRE_SECURE_RENEGOTIATION {
            return Err(PeerIncompatible::SecureRenegotiationUnsupported.into());
        }
        // RFC 7366 §2: encrypt-then-MAC does not apply to stream ciphers; a server that
        // selects RC4 must not echo it.
        if etm && !suite.is_cbc() {
            return Err(PeerMisbehaved::UnsolicitedExtension(u16::from(ExtensionType::EncryptThenMac)).into());
        }

        self.cx.transcript.add(encoded);
        cs.version = Some(version);
        cs.record_version = version;
        cs.suite = Some(suite);
        cs.extended_master_secret = ems;
        cs.encrypt_then_mac = etm;
        cs.alpn_protocol = alpn;
        cs.secure_renegotiation = secure_renegotiation;
        cs.sessions.id = sh.session_id;
        // RFC 5246 §7.4.1.3: echoing the offered (non-empty) session_id means the server
        // resumes; any other value starts a new session with a full handshake.
        // RFC 5077 §3.4: with a ticket, the echo of our own session ID says it was accepted.
        let echoed = !sh.session_id.as_slice().is_empty() && sh.session_id == self.offered_id;
        if let Some(offered) = self.resuming.filter(|_| echoed) {
            cs.sessions.resumed_by_ticket = !offered.ticket().is_empty() && self.offered_ticket;
            resumption::require_resumable_server_hello(&offered, version, suite.suite, ems, etm)?;
            return tls12_resume::expect_server_finished(self.cx, cs, offered, sh.random);
        }
        Ok(tls12::expect_certificate(self.cx, sh.random, suite, version))
    }
}
