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
use crate::crypto::{
    AuthenticationAlgorithm, KeyExchangeAlgorithm, KeyType, KxGroup, Signer, Tls12CipherSuite,
};
use crate::error::{Error, PeerIncompatible, PeerMisbehaved};
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{
    AlertDescription, CipherSuite, ExtensionType, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::msgs::extensions::{ClientExtension, EC_POINT_FORMAT_UNCOMPRESSED};
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
    /// The client's signature_algorithms that policy allows (TLS 1.2), in the server's order.
    #[allow(dead_code)] // the signer below is chosen from them
    pub(super) signature_schemes: Vec<SignatureScheme>,
    /// For ECDHE suites: the group and the signer of ServerKeyExchange.
    pub(super) ecdhe: Option<(&'static dyn KxGroup, Box<dyn Signer>)>,
}

/// What a ClientHello says about ECDHE and signatures (RFC 8422 §5.1, RFC 5246 §7.4.1.4.1).
struct ClientOffers<'a> {
    /// supported_groups; `None` when absent.
    groups: Option<&'a [NamedGroup]>,
    /// ec_point_formats includes uncompressed (or is absent, RFC 8422 §5.1.2).
    uncompressed: bool,
    /// signature_algorithms; `None` when absent.
    schemes: Option<&'a [SignatureScheme]>,
}

impl<'a> ClientOffers<'a> {
    fn new(ch: &'a ClientHello) -> Self {
        let groups = match ch.extension(ExtensionType::SupportedGroups) {
            Some(ClientExtension::SupportedGroups(g)) => Some(g.as_slice()),
            _ => None,
        };
        let uncompressed = match ch.extension(ExtensionType::EcPointFormats) {
            Some(ClientExtension::EcPointFormats(f)) => f.contains(&EC_POINT_FORMAT_UNCOMPRESSED),
            _ => true,
        };
        let schemes = match ch.extension(ExtensionType::SignatureAlgorithms) {
            Some(ClientExtension::SignatureAlgorithms(s)) => Some(s.as_slice()),
            _ => None,
        };
        Self { groups, uncompressed, schemes }
    }
}

/// Why a suite both sides list cannot be used, in words a person can act on.
#[derive(PartialEq, Eq)]
enum Unusable {
    NoCommonGroup(String),
    NoCommonScheme(String),
    WrongKeyType(String),
}

impl ExpectClientHello {
    /// The server's ECDHE group: its first preference that the client offered (RFC 8422
    /// §5.1.1). A client that sends no supported_groups (RFC 8422 §4 lets it) is assumed to do
    /// P-256, the one curve every RFC 4492 implementation has; X25519 clients all send the
    /// extension. A client whose ec_point_formats leaves out uncompressed gets no ECDHE.
    fn choose_group(&self, offers: &ClientOffers<'_>) -> Result<&'static dyn KxGroup, Unusable> {
        let ours = &self.config.policy.kx_groups;
        let names = |g: &[NamedGroup]| g.iter().map(|n| n.openssl_name()).collect::<Vec<_>>().join(", ");
        if !offers.uncompressed {
            return Err(Unusable::NoCommonGroup(
                "the client's ec_point_formats leaves out uncompressed points (RFC 8422 §5.1.2)".into(),
            ));
        }
        let assumed = [NamedGroup::Secp256r1];
        let theirs = offers.groups.unwrap_or(&assumed);
        // The hybrid post-quantum groups are TLS 1.3 key shares, not RFC 8422 curves.
        ours.iter().copied().filter(|g| !g.tls13_only()).find(|g| theirs.contains(&g.name())).ok_or_else(
            || {
                let ours: Vec<NamedGroup> = ours.iter().map(|g| g.name()).collect();
                Unusable::NoCommonGroup(match offers.groups {
                    Some(theirs) => format!(
                        "no key exchange group in common: the client offered [{}], this server allows [{}]",
                        names(theirs),
                        names(&ours)
                    ),
                    None => format!(
                        "the client sent no supported_groups (so P-256 is assumed) and this server allows \
                     only [{}]; add P-256 to the server's groups",
                        names(&ours)
                    ),
                })
            },
        )
    }

    /// The signer for ServerKeyExchange: in TLS 1.2 the first of the server's schemes that the
    /// client offered and the key can make (RFC 5246 §7.4.1.4.1: without signature_algorithms
    /// the client is assumed to offer SHA-1 only, which needs the legacy profile); in TLS
    /// 1.0/1.1 the key's legacy form (RFC 4492 §5.4, RFC 2246 §7.4.3).
    fn choose_signer(
        &self,
        identity: &CertifiedKey,
        offers: &ClientOffers<'_>,
        version: ProtocolVersion,
    ) -> Result<Box<dyn Signer>, Unusable> {
        let key = identity.key.signing_key();
        let key_name = key_type_name(identity.key.key_type());
        if version < ProtocolVersion::TLSv1_2 {
            return key.legacy_signer().ok_or_else(|| {
                Unusable::NoCommonScheme(format!(
                    "this server's {key_name} key cannot sign in {}; allow TLS 1.2",
                    version.name()
                ))
            });
        }
        let default_sha1 = [SignatureScheme::RsaPkcs1Sha1, SignatureScheme::EcdsaSha1Legacy];
        let theirs = offers.schemes.unwrap_or(&default_sha1);
        let ours = &self.config.policy.signature_schemes;
        ours.iter().filter(|s| theirs.contains(s)).find_map(|s| key.choose_scheme(&[*s])).ok_or_else(|| {
            let can: Vec<&str> =
                ours.iter().filter(|s| key.choose_scheme(&[**s]).is_some()).map(|s| s.name()).collect();
            let offered: Vec<&str> = theirs.iter().map(|s| s.name()).collect();
            let hint = match offers.schemes {
                None => " (no signature_algorithms: RFC 5246 assumes SHA-1, which needs the legacy profile)",
                Some(_) => "",
            };
            Unusable::NoCommonScheme(format!(
                "no signature scheme in common: the client offered [{}]{hint}, this server's {key_name} \
                 key can sign [{}]",
                offered.join(", "),
                can.join(", ")
            ))
        })
    }

    /// Whether `suite` can be used with `identity`: its key type fits the authentication, and
    /// for ECDHE a group and a signature scheme are in common.
    #[allow(clippy::type_complexity)]
    fn usable(
        &self,
        suite: &'static Tls12CipherSuite,
        identity: &CertifiedKey,
        offers: &ClientOffers<'_>,
        version: ProtocolVersion,
    ) -> Result<Option<(&'static dyn KxGroup, Box<dyn Signer>)>, Unusable> {
        let key_type = identity.key.key_type();
        let fits = match (suite.kx, suite.auth) {
            // RFC 5246 §7.4.7.1: the premaster is encrypted to the certificate's RSA key.
            (KeyExchangeAlgorithm::Rsa, _) => identity.key.rsa().is_some(),
            (KeyExchangeAlgorithm::Ecdhe, AuthenticationAlgorithm::Rsa) => key_type == KeyType::Rsa,
            // RFC 8422 §5.10: ECDSA suites carry ECDSA and (TLS 1.2 only) Ed25519 signatures.
            (KeyExchangeAlgorithm::Ecdhe, AuthenticationAlgorithm::Ecdsa) => match key_type {
                KeyType::EcdsaP256 | KeyType::EcdsaP384 => true,
                KeyType::Ed25519 => version >= ProtocolVersion::TLSv1_2,
                _ => false,
            },
        };
        if !fits {
            let wants = match (suite.kx, suite.auth) {
                (KeyExchangeAlgorithm::Rsa, _) => "RSA key exchange (an RSA certificate)",
                (_, AuthenticationAlgorithm::Rsa) => "ECDHE-RSA (an RSA certificate)",
                (_, AuthenticationAlgorithm::Ecdsa) => "ECDHE-ECDSA (an ECDSA or Ed25519 certificate)",
            };
            return Err(Unusable::WrongKeyType(format!(
                "the suites in common need {wants}, and this server's certificate key is {}",
                key_type_name(key_type)
            )));
        }
        if suite.kx == KeyExchangeAlgorithm::Rsa {
            return Ok(None);
        }
        // RFC 8422 §5.3: an ECDSA certificate's key must be on a curve the client listed in
        // supported_groups (when it sent the extension); peers refuse others.
        let key_curve = match key_type {
            KeyType::EcdsaP256 => Some(NamedGroup::Secp256r1),
            KeyType::EcdsaP384 => Some(NamedGroup::Secp384r1),
            _ => None,
        };
        if let (Some(curve), Some(listed)) = (key_curve, offers.groups) {
            if !listed.contains(&curve) {
                let names: Vec<&str> = listed.iter().map(|g| g.openssl_name()).collect();
                return Err(Unusable::WrongKeyType(format!(
                    "this server's certificate key is {}, a curve the client did not list in \
                     supported_groups [{}]",
                    key_type_name(key_type),
                    names.join(", ")
                )));
            }
        }
        let group = self.choose_group(offers)?;
        let signer = self.choose_signer(identity, offers, version)?;
        Ok(Some((group, signer)))
    }

    /// Server preference order: the first of `common` that `cert` can serve, with its ECDHE
    /// group and signer; when none fits, every reason in words.
    #[allow(clippy::type_complexity)]
    fn choose_suite(
        &self,
        common: &[&'static Tls12CipherSuite],
        cert: &CertifiedKey,
        offers: &ClientOffers<'_>,
        version: ProtocolVersion,
    ) -> Result<(&'static Tls12CipherSuite, Option<(&'static dyn KxGroup, Box<dyn Signer>)>), Error> {
        let mut reasons: Vec<Unusable> = Vec::new();
        for &suite in common {
            match self.usable(suite, cert, offers, version) {
                Ok(ecdhe) => return Ok((suite, ecdhe)),
                Err(why) if !reasons.contains(&why) => reasons.push(why),
                Err(_) => {}
            }
        }
        let text: Vec<String> = reasons
            .into_iter()
            .map(|r| match r {
                Unusable::NoCommonGroup(t) | Unusable::NoCommonScheme(t) | Unusable::WrongKeyType(t) => t,
            })
            .collect();
        Err(PeerIncompatible::NoUsableCipherSuite(text.join("; ")).into())
    }

    /// No suite in common at all: legacy suites the profile refuses, or suites the provider
    /// has and the cipher list leaves out, named so the operator can act.
    fn no_common_suite(&self, ch: &ClientHello, version: ProtocolVersion) -> Error {
        let policy = &self.config.policy;
        let known = &self.config.provider.cipher_suites;
        let needs_legacy =
            !policy.legacy && known.iter().any(|s| s.legacy && ch.cipher_suites.contains(&s.suite));
        if needs_legacy {
            return PeerIncompatible::NoCommonCipherSuite { needs_legacy }.into();
        }
        let offered: Vec<&Tls12CipherSuite> = known
            .iter()
            .copied()
            .filter(|s| ch.cipher_suites.contains(&s.suite) && s.usable_at(version))
            .collect();
        if offered.is_empty() {
            return PeerIncompatible::NoCommonCipherSuite { needs_legacy: false }.into();
        }
        let kind = if offered.iter().all(|s| s.kx == KeyExchangeAlgorithm::Rsa) {
            "only RSA key exchange suites"
        } else if offered.iter().all(|s| s.kx == KeyExchangeAlgorithm::Ecdhe) {
            "only ECDHE suites"
        } else {
            "only suites"
        };
        let mut names: Vec<String> = offered.iter().take(4).map(|s| s.openssl_name.to_owned()).collect();
        if offered.len() > 4 {
            names.push(format!("and {} more", offered.len() - 4));
        }
        PeerIncompatible::NoUsableCipherSuite(format!(
            "the client offered {kind} ({}), which this server's cipher list leaves out; enable one of them",
            names.join(", ")
        ))
        .into()
    }
}

/// A key type as error texts name it.
fn key_type_name(t: KeyType) -> &'static str {
    match t {
        KeyType::Rsa => "RSA",
        KeyType::EcdsaP256 => "ECDSA P-256",
        KeyType::EcdsaP384 => "ECDSA P-384",
        KeyType::Ed25519 => "Ed25519",
        #[allow(unreachable_patterns)]
        _ => "unknown",
    }
}

impl ExpectClientHello {
    fn negotiate(&self, ch: &ClientHello) -> Result<Negotiated, Error> {
        let policy = &self.config.policy;
        // RFC 5246 Appendix E.1: answer with the highest version both support.
        if ch.client_version < ProtocolVersion::TLSv1_0 {
            return Err(PeerIncompatible::Ssl3Refused.into());
        }
        // TLS 1.3 is chosen only through supported_versions (RFC 8446 §4.2.1): here at most 1.2.
        let ceiling = policy.max_version.min(ProtocolVersion::TLSv1_2);
        let no_common = |peer| PeerIncompatible::NoCommonVersion { peer, needs_legacy: !policy.legacy };
        let version = match tls13::offered_versions(ch)? {
            // §4.2.1: a client that sends supported_versions is answered from that list only,
            // never from legacy_version.
            Some(listed) => listed
                .iter()
                .copied()
                .filter(|v| *v >= ProtocolVersion::TLSv1_0 && *v <= ceiling && *v >= policy.min_version)
                .max()
                .ok_or_else(|| {
                    no_common(
                        listed.iter().copied().filter(|v| *v <= ceiling).max().unwrap_or(ch.client_version),
                    )
                })?,
            None => ch.client_version.min(ceiling),
        };
        if version < policy.min_version {
            return Err(no_common(ch.client_version).into());
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
            return Err(self.no_common_suite(ch, version));
        }
        // ECDHE suites need a group in common (RFC 8422 §5.1.1): without one only the others
        // go to the certificate resolver, and if none is left the error says which groups.
        let offers = ClientOffers::new(ch);
        // RFC 8422 §5.1.2: a client that names curves in supported_groups but leaves the
        // uncompressed format out of ec_point_formats gets illegal_parameter, not a fallback.
        if !offers.uncompressed && offers.groups.is_some_and(|g| g.iter().any(|g| g.is_ecc_curve())) {
            return Err(PeerMisbehaved::UncompressedPointFormatMissing.into());
        }
        let group = self.choose_group(&offers);
        if let Err(Unusable::NoCommonGroup(why)) = &group {
            if common.iter().all(|s| s.kx == KeyExchangeAlgorithm::Ecdhe) {
                return Err(PeerIncompatible::NoUsableCipherSuite(why.clone()).into());
            }
        }
        let common: Vec<&'static Tls12CipherSuite> =
            common.into_iter().filter(|s| s.kx == KeyExchangeAlgorithm::Rsa || group.is_ok()).collect();
        // The client's schemes that policy allows, in the server's configured order.
        let client_schemes = client_signature_schemes(ch, version, policy);
        let signature_schemes: Vec<SignatureScheme> =
            policy.signature_schemes.iter().copied().filter(|s| client_schemes.contains(s)).collect();
        let server_name = match ch.extension(ExtensionType::ServerName) {
            Some(ClientExtension::ServerName(name)) => Some(name.as_str()),
            _ => None,
        };
        let cert = self.choose_certificate(&ClientHelloView::new(
            server_name,
            version,
            &common,
            &signature_schemes,
        ))?;
        let (suite, ecdhe) = self.choose_suite(&common, &cert, &offers, version)?;

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
        Ok(Negotiated {
            version,
            suite,
            ems,
            etm,
            alpn,
            secure_renegotiation,
            cert,
            signature_schemes,
            ecdhe,
        })
    }

    /// The certificate the resolver picks for this client. Whether it can serve one of the
    /// common suites is [`Self::choose_suite`]'s question: that one names every reason (key
    /// type, group, signature scheme) when none fits.
    fn choose_certificate(&self, hello: &ClientHelloView<'_>) -> Result<Arc<CertifiedKey>, Error> {
        self.config.cert_resolver.resolve(hello).ok_or_else(|| {
            match hello.server_name {
                Some(name) => PeerIncompatible::NoCertificateForServerName(name.to_owned()),
                None => PeerIncompatible::NoCertificate,
            }
            .into()
        })
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
            // RFC 8446 Appendix D.5: a ClientHello whose legacy_version is 0x0300 or below gets
            // protocol_version, even when supported_versions offers TLS 1.3.
            if ch.client_version < ProtocolVersion::TLSv1_0 {
                return Err(PeerMisbehaved::Tls13(
                    "a ClientHello with legacy_version SSL 3.0 or below (RFC 8446 Appendix D.5)",
                    AlertDescription::ProtocolVersion,
                )
                .into());
            }
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
