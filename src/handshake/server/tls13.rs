//! The TLS 1.3 server (RFC 8446 §2, full handshake, ECDHE):
//!
//! ```text
//! ClientHello ──► [HelloRetryRequest ──► ExpectClientHello2 ──►] ServerHello, [CCS],
//!   {EncryptedExtensions}, {Certificate}, {CertificateVerify}, {Finished}
//!   ──► ExpectFinished ──► ExpectTraffic13
//! ```
//!
//! `server/hello.rs` branches here when the client offers TLS 1.3 in supported_versions and
//! the configuration allows it. A ticket the client offers in pre_shared_key that
//! `resumption13::accept_psk` accepts makes the flight ServerHello(+pre_shared_key),
//! {EncryptedExtensions}, {Finished}: no certificate, no CertificateRequest (RFC 8446 §2.2,
//! §4.3.2). After the client's Finished, NewSessionTickets (`resumption13::send_tickets`).
//! 0-RTT is never accepted: the early data of a client that sends it is skipped (§4.2.10).

use super::super::resumption13::{accept_psk, send_tickets, AcceptedPsk};
use super::super::tls13::{
    check_finished, decrypter, encrypter, finished_message, ExpectTraffic13, Tls13Traffic,
};
use super::super::{unexpected, CommonState, Message, State, Transcript};
use crate::codec::Codec;
use crate::config::{ClientHelloView, ServerConfig};
use crate::crypto::{HashOutput, Tls13CipherSuite};
use crate::error::{Error, PeerIncompatible, PeerMisbehaved};
use crate::key_schedule::tls13::{EarlySecret, HandshakeSecret, MasterSecret};
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{AlertDescription, ExtensionType, NamedGroup, ProtocolVersion, SignatureScheme};
use crate::msgs::extensions::{ClientExtension, ServerExtension};
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::server_hello::ServerHello;
use crate::msgs::tls13::{
    self as m13, CertificateEntry, CertificateTls13, CertificateVerifyTls13, Tls13Message,
};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// True for schemes TLS 1.3 allows in CertificateVerify (RFC 8446 §4.2.3: no PKCS#1 v1.5, no
/// SHA-1, ECDSA bound to its curve).
pub(crate) fn tls13_scheme(s: SignatureScheme) -> bool {
    matches!(
        s,
        SignatureScheme::RsaPssRsaeSha256
            | SignatureScheme::RsaPssRsaeSha384
            | SignatureScheme::RsaPssRsaeSha512
            | SignatureScheme::EcdsaSecp256r1Sha256
            | SignatureScheme::EcdsaSecp384r1Sha384
            | SignatureScheme::Ed25519
    )
}

/// RFC 8446 §4.2.3: in TLS 1.3 an ECDSA scheme names its curve, so a key signs only with its
/// own; `offered` narrowed to what a key of `key_type` may use.
pub(crate) fn tls13_schemes_for(
    key_type: crate::crypto::KeyType,
    offered: &[SignatureScheme],
) -> Vec<SignatureScheme> {
    use crate::crypto::KeyType as K;
    offered
        .iter()
        .copied()
        .filter(|s| match (key_type, s) {
            (K::EcdsaP256, SignatureScheme::EcdsaSecp256r1Sha256) => true,
            (K::EcdsaP384, SignatureScheme::EcdsaSecp384r1Sha384) => true,
            (K::EcdsaP256 | K::EcdsaP384, _) => false,
            _ => true,
        })
        .collect()
}

/// RFC 8446 §4.2.3: a TLS 1.3 ECDSA signature must use the scheme of the certificate key's
/// curve (`ecdsa_secp256r1_sha256` only from a P-256 key). The providers check signatures with
/// TLS 1.2's looser pairing (any hash, any curve), so TLS 1.3 adds this.
fn tls13_scheme_fits_key(scheme: SignatureScheme, leaf: &crate::CertificateDer<'_>) -> bool {
    use crate::crypto::KeyType as K;
    let ecdsa_curve = match scheme {
        SignatureScheme::EcdsaSecp256r1Sha256 => K::EcdsaP256,
        SignatureScheme::EcdsaSecp384r1Sha384 => K::EcdsaP384,
        _ => return true,
    };
    crate::x509::subject_public_key_info(leaf)
        .ok()
        .and_then(|spki| crate::x509::cert::spki_key_type(&spki))
        .is_some_and(|t| t == ecdsa_curve)
}

/// [`tls13_scheme_fits_key`] for a received CertificateVerify: a scheme whose curve is not the
/// certificate key's is inconsistent with the Certificate before any signature is checked, so
/// illegal_parameter (RFC 8446 §6: a field inconsistent with other fields), as OpenSSL answers;
/// decrypt_error (§4.4.3) stays for a signature that does not verify.
pub(crate) fn check_tls13_scheme_fits_key(
    scheme: SignatureScheme,
    leaf: &crate::CertificateDer<'_>,
) -> Result<(), Error> {
    match tls13_scheme_fits_key(scheme, leaf) {
        true => Ok(()),
        false => Err(PeerMisbehaved::Tls13(
            "a CertificateVerify whose ECDSA scheme is for another curve than the certificate's key (§4.2.3)",
            AlertDescription::IllegalParameter,
        )
        .into()),
    }
}

fn ext_body(ch: &ClientHello, t: ExtensionType) -> Option<&[u8]> {
    ch.extensions.iter().find_map(|e| match e {
        ClientExtension::Unknown(et, b) if *et == t => Some(&b[..]),
        _ => None,
    })
}

fn missing(what: &'static str) -> Error {
    PeerMisbehaved::Tls13(what, AlertDescription::MissingExtension).into()
}

/// The versions a ClientHello lists in supported_versions, if it has the extension.
pub(super) fn offered_versions(ch: &ClientHello) -> Result<Option<Vec<ProtocolVersion>>, Error> {
    Ok(ext_body(ch, ExtensionType::SupportedVersions).map(m13::read_supported_versions_client).transpose()?)
}

/// Whether this ClientHello offers TLS 1.3 (supported_versions lists 0x0304).
pub(super) fn offers_tls13(ch: &ClientHello) -> Result<bool, Error> {
    match ext_body(ch, ExtensionType::SupportedVersions) {
        Some(body) => Ok(m13::read_supported_versions_client(body)?.contains(&ProtocolVersion::TLSv1_3)),
        None => Ok(false),
    }
}

/// What the server chose from the first ClientHello (and keeps across a HelloRetryRequest).
struct Choice {
    suite: &'static Tls13CipherSuite,
    group: NamedGroup,
}

fn choose(config: &ServerConfig, ch: &ClientHello) -> Result<(Choice, bool), Error> {
    let policy = &config.policy;
    let suite = policy
        .tls13_cipher_suites
        .iter()
        .copied()
        .find(|s| ch.cipher_suites.contains(&s.suite))
        .ok_or(PeerIncompatible::Tls13(
            "no common TLS 1.3 cipher suite (the client offered none of TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256 that this server allows)",
        ))?;
    // RFC 8446 §9.2: a TLS 1.3 ClientHello without key_share or supported_groups is
    // missing_extension (we do not do PSK-only key exchange).
    let groups: Vec<NamedGroup> = match ch.extension(ExtensionType::SupportedGroups) {
        Some(ClientExtension::SupportedGroups(g)) => g.clone(),
        _ => return Err(missing("a TLS 1.3 ClientHello without supported_groups")),
    };
    let shares = m13::read_key_share_client(
        ext_body(ch, ExtensionType::KeyShare)
            .ok_or_else(|| missing("a TLS 1.3 ClientHello without key_share"))?,
    )?;
    // RFC 8446 §4.2.8: every share must be for a group the client lists.
    if shares.iter().any(|s| !groups.contains(&s.group)) {
        return Err(PeerMisbehaved::Tls13(
            "a key share for a group not in supported_groups",
            AlertDescription::IllegalParameter,
        )
        .into());
    }
    // Our preference among shares the client sent; else our preference among its groups,
    // which costs a HelloRetryRequest (RFC 8446 §4.2.8: a share the server can use settles the
    // group; HRR is for when none can). With the default list a client that sent an
    // X25519MLKEM768 share gets the hybrid; one that listed the hybrid but shared only X25519
    // gets X25519 at once, as rustls does (OpenSSL 3.5's default group tuples would retry for
    // the hybrid instead: the client chose which shares to spend bytes on).
    if let Some(g) = policy.kx_groups.iter().find(|g| shares.iter().any(|s| s.group == g.name())) {
        return Ok((Choice { suite, group: g.name() }, false));
    }
    match policy.kx_groups.iter().find(|g| groups.contains(&g.name())) {
        Some(g) => Ok((Choice { suite, group: g.name() }, true)),
        None => Err(PeerIncompatible::Tls13(
            "no common key exchange group: the client's supported_groups has none of this server's groups",
        )
        .into()),
    }
}

/// RFC 8446 §4.2.10: the client sent early_data, which we never accept; its 0-RTT records
/// are skipped up to this bound.
fn skip_early_data(config: &ServerConfig, ch: &ClientHello, cs: &mut CommonState) {
    if ch.extensions.iter().any(|e| e.ext_type() == ExtensionType::EarlyData) {
        cs.early_data_skip =
            Some(config.sessions.max_early_data.max(crate::config::defaults::EARLY_DATA_SKIP_LIMIT));
    }
}

/// Starts the TLS 1.3 handshake on `ch` (already in `transcript`; `encoded` as received, for
/// the PSK binder).
pub(super) fn start(
    config: Arc<ServerConfig>,
    cs: &mut CommonState,
    mut transcript: Transcript,
    ch: &ClientHello,
    encoded: &[u8],
) -> Result<Box<dyn State>, Error> {
    let (choice, retry) = choose(&config, ch)?;
    cs.version = Some(ProtocolVersion::TLSv1_3);
    cs.record_version = ProtocolVersion::TLSv1_2;
    cs.tls13_suite = Some(choice.suite);
    skip_early_data(&config, ch, cs);
    if !retry {
        let psk = accept_psk(&config, ch, encoded, &Transcript::default(), choice.suite)?;
        return respond(config, cs, transcript, ch, choice, false, psk);
    }
    // RFC 8446 §4.1.4: HelloRetryRequest naming the group; the transcript starts over from
    // message_hash(ClientHello1).
    transcript.rewrite_for_hello_retry(choice.suite.transcript_hash);
    let mut extensions = vec![
        ServerExtension::Unknown(ExtensionType::SupportedVersions, ProtocolVersion::TLSv1_3.encoding()),
        ServerExtension::Unknown(ExtensionType::KeyShare, choice.group.encoding()),
    ];
    let cookie = config.hrr_cookie_key.as_ref().map(|key| {
        // message_hash is `254 ‖ 00 00 ‖ Hash.length ‖ Hash(ClientHello1)` (§4.4.1).
        hrr_cookie(&key.0, &choice, &transcript.messages()[4..])
    });
    if let Some(c) = &cookie {
        extensions.push(ServerExtension::Unknown(ExtensionType::Cookie, m13::cookie(c)));
    }
    let hrr = ServerHello {
        server_version: ProtocolVersion::TLSv1_2,
        random: m13::HELLO_RETRY_REQUEST_RANDOM,
        session_id: ch.session_id,
        cipher_suite: choice.suite.suite,
        compression_method: 0,
        extensions,
    };
    cs.send_handshake(
        &HandshakeMessage { payload: HandshakePayload::ServerHello(hrr) },
        Some(&mut transcript),
    )?;
    // §D.4: the compatibility CCS follows our first handshake message.
    if !ch.session_id.as_slice().is_empty() {
        cs.send_change_cipher_spec()?;
    }
    Ok(Box::new(ExpectClientHello2 { config, transcript, first: ch.clone(), choice, cookie }))
}

/// Context of the cookie's HMAC, so that it can never be mistaken for another MAC under the key.
const HRR_COOKIE_CONTEXT: &[u8] = b"ferrotls tls13 hrr cookie v1";

/// The cookie of our HelloRetryRequest (RFC 8446 §4.2.2): `Hash(ClientHello1) ‖ HMAC(key,
/// context ‖ suite ‖ group ‖ Hash(ClientHello1))` with the suite's hash. It binds the retry to
/// the first hello, the suite and the group, as §4.2.2 suggests for a server that keeps its state
/// in the cookie: the hash is what message_hash needs and the HMAC keeps a client from choosing
/// it. This server also keeps the state itself and wants the cookie back byte for byte.
fn hrr_cookie(key: &[u8; 32], choice: &Choice, first_hello_hash: &[u8]) -> Vec<u8> {
    let mut input = HRR_COOKIE_CONTEXT.to_vec();
    input.extend_from_slice(&choice.suite.suite.encoding());
    input.extend_from_slice(&choice.group.encoding());
    input.extend_from_slice(first_hello_hash);
    let mac = choice.suite.hkdf.hmac_sign(key, &input);
    [first_hello_hash, mac.as_ref()].concat()
}

/// RFC 8446 §4.1.2: the second ClientHello carries the cookie of the HelloRetryRequest exactly
/// ("including a cookie extension if one was provided"), and none if none was sent.
fn check_echoed_cookie(sent: Option<&[u8]>, ch: &ClientHello) -> Result<(), Error> {
    let echoed = ext_body(ch, ExtensionType::Cookie).map(m13::read_cookie).transpose()?;
    let refuse = |what| Err(PeerMisbehaved::Tls13(what, AlertDescription::IllegalParameter).into());
    match (sent, echoed) {
        (None, None) => Ok(()),
        (Some(sent), Some(echoed)) if bool::from(sent.ct_eq(&echoed[..])) => Ok(()),
        (Some(_), Some(_)) => {
            refuse("the second ClientHello's cookie is not the one our HelloRetryRequest sent")
        }
        (Some(_), None) => refuse("the second ClientHello does not echo the cookie of our HelloRetryRequest"),
        (None, Some(_)) => refuse("the second ClientHello has a cookie our HelloRetryRequest did not send"),
    }
}

/// After a HelloRetryRequest: the second ClientHello.
struct ExpectClientHello2 {
    config: Arc<ServerConfig>,
    transcript: Transcript,
    first: ClientHello,
    choice: Choice,
    /// The cookie our HelloRetryRequest carried, which the hello must echo.
    cookie: Option<Vec<u8>>,
}

impl State for ExpectClientHello2 {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (ch, encoded) = match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::ClientHello(ch) },
                encoded,
            } => (ch, encoded),
            other => return Err(unexpected("ClientHello", &other)),
        };
        // RFC 8446 §4.1.2: the second ClientHello repeats the first but for key_share (now
        // one share, for our group), cookie, early_data and pre_shared_key.
        let same = ch.random == self.first.random
            && ch.session_id == self.first.session_id
            && ch.cipher_suites == self.first.cipher_suites
            && ch.compression_methods == self.first.compression_methods
            && unchanged_extensions(&self.first) == unchanged_extensions(&ch)
            && offers_tls13(&ch)?;
        let shares = m13::read_key_share_client(ext_body(&ch, ExtensionType::KeyShare).unwrap_or(&[0, 0]))?;
        // §4.2.10: no early data after a HelloRetryRequest.
        let early = ch.extensions.iter().any(|e| e.ext_type() == ExtensionType::EarlyData);
        if !same || early || shares.len() != 1 || shares[0].group != self.choice.group {
            return Err(PeerMisbehaved::Tls13(
                "the second ClientHello does not answer the HelloRetryRequest",
                AlertDescription::IllegalParameter,
            )
            .into());
        }
        check_echoed_cookie(self.cookie.as_deref(), &ch)?;
        // The first flight's early data ends with this hello.
        cs.early_data_skip = None;
        // §4.2.11.2: the binder now covers message_hash, the HelloRetryRequest and this hello.
        let psk = accept_psk(&self.config, &ch, encoded, &self.transcript, self.choice.suite)?;
        self.transcript.add(encoded);
        respond(self.config, cs, self.transcript, &ch, self.choice, true, psk)
    }
}

/// The extensions a second ClientHello repeats as they were, in their order (RFC 8446 §4.1.2:
/// only key_share, early_data, cookie, pre_shared_key and padding may change).
fn unchanged_extensions(ch: &ClientHello) -> Vec<&ClientExtension> {
    ch.extensions
        .iter()
        .filter(|e| {
            let t = e.ext_type();
            // padding(21), RFC 7685: its length follows the rest of the hello.
            t != ExtensionType::from(21)
                && !matches!(
                    t,
                    ExtensionType::KeyShare
                        | ExtensionType::EarlyData
                        | ExtensionType::Cookie
                        | ExtensionType::PreSharedKey
                )
        })
        .collect()
}

/// ServerHello and the server's encrypted flight.
fn respond(
    config: Arc<ServerConfig>,
    cs: &mut CommonState,
    mut transcript: Transcript,
    ch: &ClientHello,
    choice: Choice,
    after_retry: bool,
    psk: Option<AcceptedPsk>,
) -> Result<Box<dyn State>, Error> {
    let suite = choice.suite;
    let provider = &config.provider;
    let shares = m13::read_key_share_client(ext_body(ch, ExtensionType::KeyShare).unwrap_or(&[0, 0]))?;
    let peer =
        shares.iter().find(|s| s.group == choice.group).ok_or(Error::Internal("chosen share missing"))?;
    let group = config.policy.kx_group(choice.group).ok_or(Error::Internal("chosen group missing"))?;
    // A KEM group encapsulates to the client's share: our public value depends on it.
    let (our_public, shared) = group.start_and_complete(&peer.payload).map_err(|e| match e {
        crate::crypto::KeyExchangeError::RandomFailed => Error::from(crate::crypto::GetRandomFailed),
        crate::crypto::KeyExchangeError::InvalidPeerKey => {
            Error::from(PeerMisbehaved::Tls13("an invalid key share", AlertDescription::IllegalParameter))
        }
    })?;
    cs.kx_group = Some(choice.group);

    // Signature: the client's signature_algorithms is required (RFC 8446 §4.2.3).
    let offered: Vec<SignatureScheme> = match ch.extension(ExtensionType::SignatureAlgorithms) {
        Some(ClientExtension::SignatureAlgorithms(s)) => s.clone(),
        _ => return Err(missing("a TLS 1.3 ClientHello without signature_algorithms")),
    };
    let usable: Vec<SignatureScheme> = offered
        .iter()
        .copied()
        .filter(|s| tls13_scheme(*s) && config.policy.signature_schemes.contains(s))
        .collect();
    let server_name = match ch.extension(ExtensionType::ServerName) {
        Some(ClientExtension::ServerName(name)) => Some(name.as_str()),
        _ => None,
    };
    // The resolver sees the 1.3 view: the common 1.3 suites, the signature schemes 1.3 allows. A
    // resumption authenticates with the PSK: no certificate (RFC 8446 §2.2).
    let authentication = match psk {
        Some(_) => None,
        None => {
            // The 1.3 suites both sides allow, in the server's order (the chosen one first).
            let common: Vec<&'static Tls13CipherSuite> = config
                .policy
                .tls13_cipher_suites
                .iter()
                .copied()
                .filter(|s| ch.cipher_suites.contains(&s.suite))
                .collect();
            let view = ClientHelloView::new(server_name, ProtocolVersion::TLSv1_3, &[], &usable)
                .with_tls13_cipher_suites(&common);
            let cert = config.cert_resolver.resolve(&view).ok_or_else(|| match server_name {
                Some(name) => PeerIncompatible::NoCertificateForServerName(name.to_owned()),
                None => PeerIncompatible::NoCertificate,
            })?;
            let signer = cert
                .key
                .signing_key()
                .choose_scheme(&tls13_schemes_for(cert.key.key_type(), &usable))
                .ok_or(PeerIncompatible::Tls13(
                    "no common signature scheme: the client accepts no TLS 1.3 signature (RSA-PSS, ECDSA, Ed25519) this server's key can make",
                ))?;
            Some((cert, signer))
        }
    };

    let mut random = [0u8; 32];
    provider.random.fill(&mut random)?;
    let mut extensions = vec![
        ServerExtension::Unknown(ExtensionType::SupportedVersions, ProtocolVersion::TLSv1_3.encoding()),
        ServerExtension::Unknown(
            ExtensionType::KeyShare,
            m13::KeyShareEntry { group: choice.group, payload: our_public }.encoding(),
        ),
    ];
    if let Some(p) = &psk {
        // §4.2.11: the index of the identity we resume with.
        extensions.push(ServerExtension::Unknown(ExtensionType::PreSharedKey, p.index.encoding()));
    }
    let sh = ServerHello {
        server_version: ProtocolVersion::TLSv1_2,
        random,
        session_id: ch.session_id,
        cipher_suite: suite.suite,
        compression_method: 0,
        extensions,
    };
    cs.send_handshake(
        &HandshakeMessage { payload: HandshakePayload::ServerHello(sh) },
        Some(&mut transcript),
    )?;
    if !after_retry && !ch.session_id.as_slice().is_empty() {
        cs.send_change_cipher_spec()?;
    }

    let h = suite.schedule_hash();
    let hs: HandshakeSecret =
        EarlySecret::new(h, psk.as_ref().map(|p| p.session.psk())).into_handshake(shared.secret_bytes());
    if let Some(p) = &psk {
        cs.sessions.resumed = true;
        cs.sessions.resumed_by_ticket = true;
        cs.sessions.ticket_expected = p.renew;
        cs.peer_certificates = p.session.peer_certificates().to_vec();
    }
    let hello_hash = transcript.hash_with(suite.transcript_hash);
    let client_hs = hs.client_handshake_traffic_secret(hello_hash.as_ref());
    let server_hs = hs.server_handshake_traffic_secret(hello_hash.as_ref());
    cs.record.set_encrypter(encrypter(suite, &server_hs));

    // EncryptedExtensions: ALPN and the server_name acknowledgement.
    let mut ee = Vec::new();
    if let Some(ClientExtension::ServerName(name)) = ch.extension(ExtensionType::ServerName) {
        cs.server_name = Some(name.clone());
        ee.push(ServerExtension::ServerNameAck);
    }
    if let Some(p) = &cs.alpn_protocol {
        ee.push(ServerExtension::Alpn(p.clone()));
    }
    let send13 = |cs: &mut CommonState, t: &mut Transcript, m: Tls13Message| {
        cs.send_handshake(&HandshakeMessage { payload: HandshakePayload::Tls13(m) }, Some(t))
    };
    send13(cs, &mut transcript, Tls13Message::EncryptedExtensions(ee))?;
    // RFC 8446 §4.3.2: client authentication in the handshake, context empty, with the
    // schemes our verifier checks that TLS 1.3 allows.
    let client_auth = match (&config.client_verifier, &authentication) {
        (Some(verifier), Some(_)) => {
            let schemes: Vec<SignatureScheme> = super::super::client_auth::server_offered_schemes(
                &**verifier,
                provider,
                &config.policy.signature_schemes,
            )
            .into_iter()
            .filter(|s| tls13_scheme(*s))
            .collect();
            let req = m13::CertificateRequestTls13 {
                context: Vec::new(),
                extensions: vec![m13::RawExtension {
                    typ: ExtensionType::SignatureAlgorithms,
                    body: m13::signature_schemes(&schemes),
                }],
            };
            send13(cs, &mut transcript, Tls13Message::CertificateRequest(req))?;
            Some((Arc::clone(verifier), schemes))
        }
        _ => None,
    };
    if let Some((cert, signer)) = authentication {
        let entries = cert
            .chain
            .iter()
            .map(|c| CertificateEntry { cert: c.as_ref().to_vec(), extensions: Vec::new() })
            .collect();
        send13(
            cs,
            &mut transcript,
            Tls13Message::Certificate(CertificateTls13 { context: Vec::new(), entries }),
        )?;
        let scheme = signer.scheme().ok_or(Error::Internal("TLS 1.3 signer without a scheme"))?;
        let content =
            m13::certificate_verify_message(true, transcript.hash_with(suite.transcript_hash).as_ref());
        let signature =
            signer.sign(&content).map_err(|_| Error::Internal("signing CertificateVerify failed"))?;
        cs.signature_scheme = Some(scheme);
        send13(
            cs,
            &mut transcript,
            Tls13Message::CertificateVerify(CertificateVerifyTls13 { scheme, signature }),
        )?;
    }
    let fin = finished_message(suite, &server_hs, &transcript.hash_with(suite.transcript_hash));
    cs.send_handshake(&fin, Some(&mut transcript))?;

    let master = hs.into_master();
    let sf_hash = transcript.hash_with(suite.transcript_hash);
    let client_ap = master.client_application_traffic_secret(sf_hash.as_ref());
    let server_ap = master.server_application_traffic_secret(sf_hash.as_ref());
    let exporter = master.exporter_master_secret(sf_hash.as_ref());
    cs.record.set_encrypter(encrypter(suite, &server_ap));
    cs.record.set_decrypter(decrypter(suite, &client_hs));
    use crate::config::key_log as kl;
    super::super::tls13::log_secrets(
        &*config.key_log,
        &ch.random,
        &[
            (kl::CLIENT_HANDSHAKE_TRAFFIC_SECRET, &client_hs),
            (kl::SERVER_HANDSHAKE_TRAFFIC_SECRET, &server_hs),
            (kl::CLIENT_TRAFFIC_SECRET_0, &client_ap),
            (kl::SERVER_TRAFFIC_SECRET_0, &server_ap),
            (kl::EXPORTER_SECRET, &exporter),
        ],
    );
    cs.exporter = Some(Box::new(super::super::tls13::Tls13Exporter { suite, secret: exporter }));
    // RFC 8446 §4.2.9: tickets only for a client that can use them (psk_dhe_ke listed).
    let tickets = ext_body(ch, ExtensionType::PskKeyExchangeModes)
        .and_then(|b| m13::read_psk_modes(b).ok())
        .is_some_and(|modes| modes.contains(&m13::PSK_DHE_KE));
    let k = ExpectFinished {
        suite,
        transcript,
        client_hs,
        client_ap,
        server_ap,
        master,
        config: config.clone(),
        tickets,
    };
    match client_auth {
        Some((verifier, schemes)) => Ok(Box::new(ExpectClientCertificate { k, verifier, schemes, config })),
        None => Ok(Box::new(k)),
    }
}

/// The client's Certificate, after our CertificateRequest (RFC 8446 §4.4.2).
struct ExpectClientCertificate {
    k: ExpectFinished,
    verifier: Arc<dyn crate::x509::ClientCertVerifier>,
    schemes: Vec<SignatureScheme>,
    config: Arc<ServerConfig>,
}

impl State for ExpectClientCertificate {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (cert, encoded) = match &m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::Tls13(Tls13Message::Certificate(c)) },
                encoded,
            } => (c, *encoded),
            _ => return Err(unexpected("Certificate", &m)),
        };
        if !cert.context.is_empty() {
            return Err(PeerMisbehaved::Tls13(
                "the client's Certificate has a request context we did not send",
                AlertDescription::IllegalParameter,
            )
            .into());
        }
        self.k.transcript.add(encoded);
        let chain: Vec<crate::x509::CertificateDer<'static>> =
            cert.entries.iter().map(|e| e.cert.clone().into()).collect();
        let Some((leaf, intermediates)) = chain.split_first() else {
            // RFC 8446 §4.4.2.4: no certificate where one is required is certificate_required.
            if self.verifier.client_auth_mandatory() {
                return Err(PeerMisbehaved::Tls13(
                    "the client sent no certificate and this server requires one",
                    AlertDescription::CertificateRequired,
                )
                .into());
            }
            return Ok(Box::new(self.k));
        };
        let now = self
            .config
            .time
            .now()
            .ok_or(crate::error::CertificateError::Other("no clock to check validity against".into()))?;
        self.verifier.verify_client_cert(leaf, intermediates, now)?;
        cs.peer_certificates = chain;
        Ok(Box::new(ExpectClientCertificateVerify {
            k: self.k,
            verifier: self.verifier,
            schemes: self.schemes,
            config: self.config,
        }))
    }
}

/// The client's CertificateVerify (RFC 8446 §4.4.3, context "TLS 1.3, client CertificateVerify").
struct ExpectClientCertificateVerify {
    k: ExpectFinished,
    verifier: Arc<dyn crate::x509::ClientCertVerifier>,
    schemes: Vec<SignatureScheme>,
    config: Arc<ServerConfig>,
}

impl State for ExpectClientCertificateVerify {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (cv, encoded) = match &m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::Tls13(Tls13Message::CertificateVerify(c)) },
                encoded,
            } => (c, *encoded),
            _ => return Err(unexpected("CertificateVerify", &m)),
        };
        if !self.schemes.contains(&cv.scheme) {
            return Err(PeerMisbehaved::UnofferedSignatureScheme(u16::from(cv.scheme)).into());
        }
        let th = self.k.suite.transcript_hash;
        let content = m13::certificate_verify_message(false, self.k.transcript.hash_with(th).as_ref());
        let leaf = cs.peer_certificates.first().ok_or(Error::Internal("no client certificate"))?;
        check_tls13_scheme_fits_key(cv.scheme, leaf)?;
        self.verifier.verify_tls_signature(
            &self.config.provider,
            &content,
            leaf,
            Some(cv.scheme),
            &cv.signature,
        )?;
        cs.peer_signature_scheme = Some(cv.scheme);
        self.k.transcript.add(encoded);
        Ok(Box::new(self.k))
    }
}

/// The client's Finished.
struct ExpectFinished {
    suite: &'static Tls13CipherSuite,
    transcript: Transcript,
    client_hs: HashOutput,
    client_ap: HashOutput,
    server_ap: HashOutput,
    /// For the resumption master secret, once the client's Finished is in the transcript.
    master: MasterSecret,
    config: Arc<ServerConfig>,
    /// The client listed psk_dhe_ke: it gets tickets.
    tickets: bool,
}

impl State for ExpectFinished {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let (verify, encoded) = match &m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::Tls13(Tls13Message::Finished(v)) },
                encoded,
            } => (v, *encoded),
            _ => return Err(unexpected("Finished", &m)),
        };
        check_finished(
            self.suite,
            &self.client_hs,
            &self.transcript.hash_with(self.suite.transcript_hash),
            verify,
        )?;
        cs.record.set_decrypter(decrypter(self.suite, &self.client_ap));
        cs.tls13 = Some(Tls13Traffic {
            suite: self.suite,
            write_secret: self.server_ap,
            read_secret: self.client_ap,
            updates_sent: 0,
            updates_received: 0,
        });
        cs.handshake_complete = true;
        // RFC 8446 §4.6.1: tickets under the resumption master secret, which covers the
        // client's Finished.
        if self.tickets {
            self.transcript.add(encoded);
            let rms = self
                .master
                .resumption_master_secret(self.transcript.hash_with(self.suite.transcript_hash).as_ref());
            send_tickets(&self.config, cs, self.suite, &rms)?;
        }
        Ok(Box::new(ExpectTraffic13 { tickets: None }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::{TLS13_AES_128_GCM_SHA256, TLS13_AES_256_GCM_SHA384};

    /// test-tls13-ecdsa-in-certificate-verify: a P-256 key's CertificateVerify labelled
    /// ecdsa_secp384r1_sha384 got decrypt_error; the scheme contradicts the certificate, which
    /// is illegal_parameter (as OpenSSL answers). The twin: the key's own scheme passes.
    #[test]
    fn an_ecdsa_scheme_for_another_curve_is_illegal_parameter() {
        let leaf = crate::x509::certs_from_pem(include_bytes!("../../../tests/fixtures/ecdsa-p256-leaf.pem"))
            .unwrap()
            .remove(0);
        let err = check_tls13_scheme_fits_key(SignatureScheme::EcdsaSecp384r1Sha384, &leaf).unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter), "{err}");
        assert!(err.to_string().contains("another curve"), "{err}");
        assert!(check_tls13_scheme_fits_key(SignatureScheme::EcdsaSecp256r1Sha256, &leaf).is_ok());
    }

    /// The cookie starts with Hash(ClientHello1) and its HMAC binds the suite, the group, the
    /// hash and the key: changing any of them changes the cookie.
    #[test]
    fn the_hello_retry_cookie_binds_hello_suite_group_and_key() {
        let hash = [7u8; 32];
        let (key, other_key) = ([1u8; 32], [2u8; 32]);
        let choice = |suite, group| Choice { suite, group };
        let base = hrr_cookie(&key, &choice(&TLS13_AES_128_GCM_SHA256, NamedGroup::Secp384r1), &hash);
        assert_eq!(base.len(), 64);
        assert_eq!(&base[..32], &hash);
        for other in [
            hrr_cookie(&other_key, &choice(&TLS13_AES_128_GCM_SHA256, NamedGroup::Secp384r1), &hash),
            hrr_cookie(&key, &choice(&TLS13_AES_128_GCM_SHA256, NamedGroup::Secp256r1), &hash),
            hrr_cookie(&key, &choice(&TLS13_AES_128_GCM_SHA256, NamedGroup::Secp384r1), &[8u8; 32]),
        ] {
            assert_ne!(other[32..], base[32..]);
        }
        // SHA-384 suites: a 48-byte hash and a 48-byte HMAC.
        let long = hrr_cookie(&key, &choice(&TLS13_AES_256_GCM_SHA384, NamedGroup::Secp384r1), &[7u8; 48]);
        assert_eq!(long.len(), 96);
    }
}
