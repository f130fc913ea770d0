//! The TLS 1.3 client (RFC 8446 §2, full handshake, ECDHE):
//!
//! ```text
//! ClientHello ──► ExpectServerHello (hello.rs) ─[HelloRetryRequest: ClientHello2]─►
//!   ExpectEncryptedExtensions ──► ExpectCertificate (CertificateRequest noted)
//!   ──► ExpectCertificateVerify ──► ExpectFinished ─[CCS] [Certificate, CertificateVerify] Finished─►
//!   ExpectTraffic13
//! ```
//!
//! `hello.rs` adds our offer to ClientHello (`ClientOffer::add_to_hello`) and hands a
//! ServerHello that selects TLS 1.3 here. A stored ticket is offered in pre_shared_key
//! (`resumption13`); when the server accepts it, EncryptedExtensions is followed by Finished
//! alone (RFC 8446 §2.2). NewSessionTickets after the handshake go to the configuration's
//! session store. 0-RTT is never sent.

use super::super::resumption13::{self, TicketSink};
use super::super::server::{check_tls13_scheme_fits_key, tls13_scheme, tls13_schemes_for};
use super::super::tls13::{
    check_finished, decrypter, encrypter, finished_message, ExpectTraffic13, Tls13Traffic,
};
use super::super::{unexpected, CommonState, Message, State};
use super::hello::ClientContext;
use crate::crypto::{HashOutput, KeyShare, Tls13CipherSuite};
use crate::error::{CertificateError, Error, PeerMisbehaved};
use crate::key_schedule::tls13::{EarlySecret, HandshakeSecret};
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{
    AlertDescription, CipherSuite, ExtensionType, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::msgs::extensions::{ClientExtension, ServerExtension};
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::server_hello::ServerHello;
use crate::msgs::tls13::{
    self as m13, CertificateEntry, CertificateTls13, CertificateVerifyTls13, Tls13Message,
};
use crate::msgs::SessionId;
use crate::session::Tls13Session;

fn illegal(what: &'static str) -> Error {
    PeerMisbehaved::Tls13(what, AlertDescription::IllegalParameter).into()
}

/// What the client offered for TLS 1.3 and must remember until ServerHello.
pub(super) struct ClientOffer {
    /// Our key shares: one for our first group, and an X25519 one beside a hybrid first group
    /// (so that a server without the hybrid needs no HelloRetryRequest).
    shares: Vec<Box<dyn KeyShare>>,
    /// The ClientHello as sent (a HelloRetryRequest makes us send it again, changed).
    pub(super) hello: Option<ClientHello>,
    retried: bool,
    /// The ticket offered in pre_shared_key, if any.
    pub(super) resuming: Option<Tls13Session>,
}

impl ClientOffer {
    /// Adds the TLS 1.3 offer to a ClientHello under construction: the 1.3 suites first,
    /// supported_versions, a key share for our first group, supported_groups if the 1.2 part
    /// did not add it, and a random legacy_session_id (middlebox compatibility, §D.4).
    pub(super) fn add_to_hello(
        cx_config: &crate::config::ClientConfig,
        cipher_suites: &mut Vec<CipherSuite>,
        extensions: &mut Vec<ClientExtension>,
        session_id: &mut SessionId,
        server_name: &crate::x509::ServerName<'_>,
        given: Option<Tls13Session>,
    ) -> Result<Self, Error> {
        let policy = &cx_config.policy;
        let group = *policy
            .kx_groups
            .first()
            .ok_or_else(|| Error::Config("TLS 1.3 needs at least one key exchange group".into()))?;
        let mut shares = vec![group.start()?];
        if group.tls13_only() {
            if let Some(x25519) = policy.kx_group(crate::enums::NamedGroup::X25519) {
                shares.push(x25519.start()?);
            }
        }
        let mut suites: Vec<CipherSuite> = policy.tls13_cipher_suites.iter().map(|s| s.suite).collect();
        suites.append(cipher_suites);
        *cipher_suites = suites;
        let mut versions = vec![ProtocolVersion::TLSv1_3];
        for v in [ProtocolVersion::TLSv1_2, ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_0] {
            if policy.allows_version(v) {
                versions.push(v);
            }
        }
        extensions.push(ClientExtension::Unknown(
            ExtensionType::SupportedVersions,
            m13::supported_versions_client(&versions),
        ));
        // signature_algorithms must cover TLS 1.3's schemes (RSA-PSS, ECDSA, Ed25519) too.
        for e in extensions.iter_mut() {
            if let ClientExtension::SignatureAlgorithms(schemes) = e {
                for s in policy.signature_schemes.iter().filter(|s| tls13_scheme(**s)) {
                    if !schemes.contains(s) {
                        schemes.push(*s);
                    }
                }
            }
        }
        if !extensions.iter().any(|e| e.ext_type() == ExtensionType::SupportedGroups) {
            extensions
                .push(ClientExtension::SupportedGroups(policy.kx_groups.iter().map(|g| g.name()).collect()));
        }
        extensions.push(ClientExtension::Unknown(
            ExtensionType::KeyShare,
            m13::key_share_client(
                &shares
                    .iter()
                    .map(|s| m13::KeyShareEntry { group: s.group(), payload: s.public_key().to_vec() })
                    .collect::<Vec<_>>(),
            ),
        ));
        if session_id.as_slice().is_empty() {
            let mut id = [0u8; 32];
            cx_config.provider.random.fill(&mut id)?;
            *session_id = SessionId::new(&id).expect("32 bytes");
        }
        // RFC 8446 §4.2.9: we resume only with psk_dhe_ke, and say so even without a ticket
        // (servers send tickets only for modes the client listed).
        extensions.push(ClientExtension::Unknown(
            ExtensionType::PskKeyExchangeModes,
            m13::psk_modes(&[m13::PSK_DHE_KE]),
        ));
        // §4.2.11: pre_shared_key is the last extension; its binder is filled in once the
        // hello is complete (`resumption13::fill_binder`).
        // A ticket the application gave (`ClientConnection::new_resuming_tls13`) is checked as
        // a stored one would be, and offered by one connection only (§C.4); without one the
        // configuration's store offers its own.
        let mut resuming = match given {
            Some(t) => (resumption13::offerable(cx_config, server_name, &t) && t.claim_given()).then_some(t),
            None => resumption13::take_offerable(cx_config, server_name),
        };
        if let Some(ticket) = &resuming {
            extensions.push(resumption13::psk_extension(ticket, cx_config.time.now()));
            if extensions.iter().map(|e| crate::codec::Codec::encoding(e).len()).sum::<usize>() > 0xffff {
                extensions.pop();
                resuming = None;
            }
        }
        Ok(Self { shares, hello: None, retried: false, resuming })
    }
}

fn sh_ext(sh: &ServerHello, t: ExtensionType) -> Option<&[u8]> {
    sh.extensions.iter().find_map(|e| match e {
        ServerExtension::Unknown(et, b) if *et == t => Some(&b[..]),
        _ => None,
    })
}

/// The version a ServerHello selects through supported_versions, if it carries one.
pub(super) fn selected_version(sh: &ServerHello) -> Result<Option<ProtocolVersion>, Error> {
    Ok(match sh_ext(sh, ExtensionType::SupportedVersions) {
        Some(b) => Some(m13::read_supported_versions_server(b)?),
        None => None,
    })
}

/// RFC 8446 §4.1.3: a TLS 1.3 client that gets a TLS 1.2 (or lower) ServerHello whose random
/// ends in the downgrade sentinel must abort with illegal_parameter.
pub(super) fn check_downgrade(sh: &ServerHello) -> Result<(), Error> {
    let tail = &sh.random[24..];
    if tail == m13::DOWNGRADE_TLS12 || tail == m13::DOWNGRADE_TLS11 {
        return Err(illegal("the server's random carries the TLS 1.3 downgrade sentinel"));
    }
    Ok(())
}

/// Handles a ServerHello (or HelloRetryRequest) that selected TLS 1.3.
pub(super) fn handle_server_hello(
    mut cx: ClientContext,
    mut offer: ClientOffer,
    cs: &mut CommonState,
    sh: ServerHello,
    encoded: &[u8],
) -> Result<Box<dyn State>, Error> {
    let config = cx.config.clone();
    let policy = &config.policy;
    if sh.server_version != ProtocolVersion::TLSv1_2 {
        return Err(illegal("a TLS 1.3 ServerHello must say 0x0303 in legacy_version"));
    }
    let suite: &'static Tls13CipherSuite = policy
        .tls13_cipher_suites
        .iter()
        .copied()
        .find(|s| s.suite == sh.cipher_suite)
        .ok_or(PeerMisbehaved::SelectedUnofferedCipherSuite(u16::from(sh.cipher_suite)))?;
    let hello = offer.hello.as_ref().ok_or(Error::Internal("ClientHello not kept"))?;
    if sh.session_id != hello.session_id {
        return Err(illegal("the server did not echo legacy_session_id"));
    }
    if sh.compression_method != 0 {
        return Err(PeerMisbehaved::SelectedCompression.into());
    }
    // RFC 8446 §4.1.3: only supported_versions, key_share, pre_shared_key when we offered one,
    // and cookie in a HelloRetryRequest may appear.
    let hrr = sh.random == m13::HELLO_RETRY_REQUEST_RANDOM;
    for e in &sh.extensions {
        let ok = match e {
            ServerExtension::Unknown(t, _) => {
                *t == ExtensionType::SupportedVersions
                    || *t == ExtensionType::KeyShare
                    || (hrr && *t == ExtensionType::Cookie)
                    || (!hrr && offer.resuming.is_some() && *t == ExtensionType::PreSharedKey)
            }
            _ => false,
        };
        if !ok {
            return Err(PeerMisbehaved::UnsolicitedExtension(u16::from(e.ext_type())).into());
        }
    }
    let key_share = sh_ext(&sh, ExtensionType::KeyShare);
    cs.version = Some(ProtocolVersion::TLSv1_3);
    cs.record_version = ProtocolVersion::TLSv1_2;
    if let Some(first) = cs.tls13_suite.filter(|_| offer.retried) {
        // §4.1.4: the ServerHello after a HelloRetryRequest keeps its suite (checked before
        // this ServerHello's suite replaces the retry's).
        if first.suite != suite.suite {
            return Err(illegal("the ServerHello changed the suite of the HelloRetryRequest"));
        }
    }
    cs.tls13_suite = Some(suite);

    if hrr {
        return retry(cx, offer, cs, suite, &sh, encoded, key_share);
    }
    let entry = m13::read_key_share_server(key_share.ok_or_else(|| {
        Error::from(PeerMisbehaved::Tls13(
            "a TLS 1.3 ServerHello without key_share",
            AlertDescription::MissingExtension,
        ))
    })?)?;
    let Some(at) = offer.shares.iter().position(|s| s.group() == entry.group) else {
        return Err(illegal("the server's key share is for a group we sent no share for"));
    };
    let group = entry.group;
    let share = offer.shares.swap_remove(at);
    let shared = share.complete(&entry.payload).map_err(|_| illegal("an invalid key share"))?;
    cs.kx_group = Some(group);
    // §4.2.11: the server resumes with the identity it names (we offer one), whose hash must
    // be the suite's.
    let resumed = match sh_ext(&sh, ExtensionType::PreSharedKey) {
        Some(body) => {
            let ticket = offer.resuming.take().ok_or(Error::Internal("pre_shared_key not offered"))?;
            if m13::read_selected_psk(body)? != 0 {
                return Err(illegal("the server selected a PSK identity we did not offer"));
            }
            if ticket.cipher_suite().hash != suite.hash {
                return Err(illegal("the server resumed with a suite whose hash is not the PSK's"));
            }
            cs.sessions.resumed = true;
            cs.sessions.resumed_by_ticket = true;
            Some(ticket)
        }
        None => None,
    };
    cx.transcript.add(encoded);
    let hs = EarlySecret::new(suite.schedule_hash(), resumed.as_ref().map(|t| t.psk()))
        .into_handshake(shared.secret_bytes());
    let hello_hash = cx.transcript.hash_with(suite.transcript_hash);
    let client_hs = hs.client_handshake_traffic_secret(hello_hash.as_ref());
    let server_hs = hs.server_handshake_traffic_secret(hello_hash.as_ref());
    cs.record.set_decrypter(decrypter(suite, &server_hs));
    // Everything the client sends from here on, an alert about the server's certificate as much
    // as its Finished, is under the client handshake key (RFC 8446 §7.3; the server reads only
    // protected records now), after the one middlebox-compatibility ChangeCipherSpec (§D.4),
    // which a client that answered a HelloRetryRequest has already sent.
    if !offer.retried {
        cs.send_change_cipher_spec()?;
    }
    cs.record.set_encrypter(encrypter(suite, &client_hs));
    use crate::config::key_log as kl;
    super::super::tls13::log_secrets(
        &*config.key_log,
        &cx.client_random,
        &[
            (kl::CLIENT_HANDSHAKE_TRAFFIC_SECRET, &client_hs),
            (kl::SERVER_HANDSHAKE_TRAFFIC_SECRET, &server_hs),
        ],
    );
    Ok(Box::new(ExpectEncryptedExtensions { k: Keys { cx, suite, hs, client_hs, server_hs, resumed } }))
}

/// RFC 8446 §4.1.4: answer a HelloRetryRequest with a second ClientHello carrying a share for
/// the group it names (and its cookie). A second HelloRetryRequest is unexpected_message.
fn retry(
    mut cx: ClientContext,
    mut offer: ClientOffer,
    cs: &mut CommonState,
    suite: &'static Tls13CipherSuite,
    hrr: &ServerHello,
    encoded: &[u8],
    key_share: Option<&[u8]>,
) -> Result<Box<dyn State>, Error> {
    if offer.retried {
        return Err(
            PeerMisbehaved::Tls13("a second HelloRetryRequest", AlertDescription::UnexpectedMessage).into()
        );
    }
    let cookie = sh_ext(hrr, ExtensionType::Cookie).map(m13::read_cookie).transpose()?;
    let group: Option<NamedGroup> = key_share.map(m13::read_key_share_hrr).transpose()?;
    // §4.1.4: a HelloRetryRequest that would not change the ClientHello is illegal_parameter.
    if group.is_none() && cookie.is_none() {
        return Err(illegal("a HelloRetryRequest that changes nothing"));
    }
    let mut hello = offer.hello.take().ok_or(Error::Internal("ClientHello not kept"))?;
    if let Some(g) = group {
        if offer.shares.iter().any(|s| s.group() == g) {
            return Err(illegal("a HelloRetryRequest for a group we already sent a share for"));
        }
        let kx = cx
            .config
            .policy
            .kx_group(g)
            .ok_or_else(|| illegal("a HelloRetryRequest for a group we did not offer"))?;
        offer.shares = vec![kx.start()?];
    }
    // §4.1.2: the second ClientHello's key_share (one share, for the group asked for; or ours
    // again after a cookie-only retry).
    let entries: Vec<m13::KeyShareEntry> = offer
        .shares
        .iter()
        .map(|s| m13::KeyShareEntry { group: s.group(), payload: s.public_key().to_vec() })
        .collect();
    for e in hello.extensions.iter_mut() {
        if let ClientExtension::Unknown(ExtensionType::KeyShare, body) = e {
            *body = m13::key_share_client(&entries);
        }
    }
    // §4.1.4: a PSK whose hash is not the HelloRetryRequest suite's cannot be used; drop it.
    if offer.resuming.as_ref().is_some_and(|t| t.cipher_suite().hash != suite.hash) {
        offer.resuming = None;
        hello.extensions.retain(|e| e.ext_type() != ExtensionType::PreSharedKey);
    }
    if let Some(c) = cookie {
        // Before pre_shared_key, which stays last.
        let at = hello.extensions.len() - usize::from(offer.resuming.is_some());
        hello.extensions.insert(at, ClientExtension::Unknown(ExtensionType::Cookie, m13::cookie(&c)));
    }
    cx.transcript.rewrite_for_hello_retry(suite.transcript_hash);
    cx.transcript.add(encoded);
    // §4.2.11.2: the new binder covers message_hash, the HelloRetryRequest and this hello.
    if let Some(ticket) = &offer.resuming {
        resumption13::fill_binder(ticket, &mut hello, &cx.transcript)?;
    }
    // §D.4: our compatibility CCS goes before the second flight.
    cs.send_change_cipher_spec()?;
    cs.send_handshake(
        &HandshakeMessage { payload: HandshakePayload::ClientHello(hello.clone()) },
        Some(&mut cx.transcript),
    )?;
    offer.hello = Some(hello);
    offer.retried = true;
    Ok(Box::new(ExpectServerHelloAfterRetry { cx, offer }))
}

/// The ServerHello after our second ClientHello.
struct ExpectServerHelloAfterRetry {
    cx: ClientContext,
    offer: ClientOffer,
}

impl State for ExpectServerHelloAfterRetry {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match m {
            Message::Handshake {
                msg: HandshakeMessage { payload: HandshakePayload::ServerHello(sh) },
                encoded,
            } => {
                if selected_version(&sh)? != Some(ProtocolVersion::TLSv1_3) {
                    return Err(illegal("the ServerHello after a HelloRetryRequest must select TLS 1.3"));
                }
                handle_server_hello(self.cx, self.offer, cs, sh, encoded)
            }
            other => Err(unexpected("ServerHello", &other)),
        }
    }
}

/// The handshake secrets every later state carries.
struct Keys {
    cx: ClientContext,
    suite: &'static Tls13CipherSuite,
    hs: HandshakeSecret,
    client_hs: HashOutput,
    server_hs: HashOutput,
    /// The ticket the server resumed, if it did: no Certificate follows.
    resumed: Option<Tls13Session>,
}

fn tls13_msg<'a>(m: &'a Message<'_>) -> Option<(&'a Tls13Message, &'a [u8])> {
    match m {
        Message::Handshake { msg: HandshakeMessage { payload: HandshakePayload::Tls13(t) }, encoded } => {
            Some((t, encoded))
        }
        _ => None,
    }
}

struct ExpectEncryptedExtensions {
    k: Keys,
}

impl State for ExpectEncryptedExtensions {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let Some((Tls13Message::EncryptedExtensions(exts), encoded)) = tls13_msg(&m) else {
            return Err(unexpected("EncryptedExtensions", &m));
        };
        let config = &self.k.cx.config;
        for e in exts {
            match e {
                ServerExtension::ServerNameAck => {}
                ServerExtension::Alpn(p) if config.alpn_protocols.iter().any(|o| o == p) => {
                    cs.alpn_protocol = Some(p.clone())
                }
                ServerExtension::Alpn(p) => {
                    return Err(PeerMisbehaved::SelectedUnofferedApplicationProtocol(p.clone()).into())
                }
                // RFC 8446 §4.2.7: a server may tell us its groups; we note nothing.
                ServerExtension::Unknown(ExtensionType::SupportedGroups, _) => {}
                other => return Err(PeerMisbehaved::UnsolicitedExtension(u16::from(other.ext_type())).into()),
            }
        }
        self.k.cx.transcript.add(encoded);
        if let Some(ticket) = &self.k.resumed {
            // RFC 8446 §2.2: authenticated by the PSK; the certificates are the ticket's.
            cs.peer_certificates = ticket.peer_certificates().to_vec();
            return Ok(Box::new(ExpectFinished { k: self.k, request: None }));
        }
        Ok(Box::new(ExpectCertificate { k: self.k, request: None }))
    }
}

/// The server's Certificate, possibly after a CertificateRequest.
struct ExpectCertificate {
    k: Keys,
    /// The CertificateRequest's context and schemes, when the server asked.
    request: Option<(Vec<u8>, Vec<SignatureScheme>)>,
}

impl State for ExpectCertificate {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        match tls13_msg(&m) {
            Some((Tls13Message::CertificateRequest(req), encoded)) if self.request.is_none() => {
                // RFC 8446 §4.3.2: in the handshake the context is empty.
                if !req.context.is_empty() {
                    return Err(illegal("a CertificateRequest in the handshake with a context"));
                }
                let schemes = req.signature_schemes()?;
                self.k.cx.transcript.add(encoded);
                self.request = Some((req.context.clone(), schemes));
                Ok(self)
            }
            Some((Tls13Message::Certificate(cert), encoded)) => {
                if !cert.context.is_empty() {
                    return Err(illegal("the server's Certificate has a request context"));
                }
                let chain: Vec<crate::x509::CertificateDer<'static>> =
                    cert.entries.iter().map(|e| e.cert.clone().into()).collect();
                let (leaf, intermediates) = chain.split_first().ok_or(CertificateError::NoCertificate)?;
                let config = &self.k.cx.config;
                let now = config
                    .time
                    .now()
                    .ok_or(CertificateError::Other("no clock to check validity against".into()))?;
                config.verifier.verify_server_cert(leaf, intermediates, &self.k.cx.server_name, now)?;
                self.k.cx.transcript.add(encoded);
                cs.peer_certificates = chain;
                Ok(Box::new(ExpectCertificateVerify { k: self.k, request: self.request }))
            }
            _ => Err(unexpected("Certificate", &m)),
        }
    }
}

struct ExpectCertificateVerify {
    k: Keys,
    request: Option<(Vec<u8>, Vec<SignatureScheme>)>,
}

impl State for ExpectCertificateVerify {
    fn handle(mut self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let Some((Tls13Message::CertificateVerify(cv), encoded)) = tls13_msg(&m) else {
            return Err(unexpected("CertificateVerify", &m));
        };
        let config = &self.k.cx.config;
        // RFC 8446 §4.4.3: the scheme must be one we offered and one TLS 1.3 allows (RSA-PSS
        // only for RSA, no SHA-1).
        if !tls13_scheme(cv.scheme) || !config.policy.signature_schemes.contains(&cv.scheme) {
            return Err(PeerMisbehaved::UnofferedSignatureScheme(u16::from(cv.scheme)).into());
        }
        let suite = self.k.suite;
        let content = m13::certificate_verify_message(
            true,
            self.k.cx.transcript.hash_with(suite.transcript_hash).as_ref(),
        );
        let leaf = cs.peer_certificates.first().ok_or(Error::Internal("no server certificate"))?;
        check_tls13_scheme_fits_key(cv.scheme, leaf)?;
        config.verifier.verify_tls_signature(
            &config.provider,
            &content,
            leaf,
            Some(cv.scheme),
            &cv.signature,
        )?;
        cs.peer_signature_scheme = Some(cv.scheme);
        self.k.cx.transcript.add(encoded);
        Ok(Box::new(ExpectFinished { k: self.k, request: self.request }))
    }
}

struct ExpectFinished {
    k: Keys,
    request: Option<(Vec<u8>, Vec<SignatureScheme>)>,
}

impl State for ExpectFinished {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let Some((Tls13Message::Finished(verify), encoded)) = tls13_msg(&m) else {
            return Err(unexpected("Finished", &m));
        };
        let Keys { mut cx, suite, hs, client_hs, server_hs, .. } = self.k;
        let th = suite.transcript_hash;
        check_finished(suite, &server_hs, &cx.transcript.hash_with(th), verify)?;
        cx.transcript.add(encoded);
        let master = hs.into_master();
        let sf_hash = cx.transcript.hash_with(th);
        let client_ap = master.client_application_traffic_secret(sf_hash.as_ref());
        let server_ap = master.server_application_traffic_secret(sf_hash.as_ref());
        let exporter = master.exporter_master_secret(sf_hash.as_ref());
        cs.record.set_decrypter(decrypter(suite, &server_ap));
        use crate::config::key_log as kl;
        super::super::tls13::log_secrets(
            &*cx.config.key_log,
            &cx.client_random,
            &[
                (kl::CLIENT_TRAFFIC_SECRET_0, &client_ap),
                (kl::SERVER_TRAFFIC_SECRET_0, &server_ap),
                (kl::EXPORTER_SECRET, &exporter),
            ],
        );
        cs.exporter = Some(Box::new(super::super::tls13::Tls13Exporter { suite, secret: exporter }));

        if let Some((context, schemes)) = self.request {
            send_client_auth(&mut cx, cs, suite, context, &schemes)?;
        }
        let fin = finished_message(suite, &client_hs, &cx.transcript.hash_with(th));
        cs.send_handshake(&fin, Some(&mut cx.transcript))?;
        cs.record.set_encrypter(encrypter(suite, &client_ap));
        cs.tls13 = Some(Tls13Traffic {
            suite,
            write_secret: client_ap,
            read_secret: server_ap,
            updates_sent: 0,
            updates_received: 0,
        });
        cs.handshake_complete = true;
        // RFC 8446 §7.1: tickets are derived from the resumption master secret, over the
        // transcript through our Finished.
        let resumption_master_secret = master.resumption_master_secret(cx.transcript.hash_with(th).as_ref());
        let sink = TicketSink {
            server_name: super::super::resumption::name_of(&cx.server_name),
            config: cx.config,
            suite,
            resumption_master_secret,
            peer_certificates: cs.peer_certificates.clone(),
            alpn: cs.alpn_protocol.clone(),
        };
        Ok(Box::new(ExpectTraffic13 { tickets: Some(Box::new(sink)) }))
    }
}

/// RFC 8446 §4.4.2/§4.4.3: our Certificate (empty without a usable one) and, with a
/// certificate, CertificateVerify.
fn send_client_auth(
    cx: &mut ClientContext,
    cs: &mut CommonState,
    suite: &Tls13CipherSuite,
    context: Vec<u8>,
    schemes: &[SignatureScheme],
) -> Result<(), Error> {
    let config = cx.config.clone();
    let usable: Vec<SignatureScheme> = schemes
        .iter()
        .copied()
        .filter(|s| tls13_scheme(*s) && config.policy.signature_schemes.contains(s))
        .collect();
    let identity = config.client_auth.as_ref().and_then(|id| {
        id.key.signing_key().choose_scheme(&tls13_schemes_for(id.key.key_type(), &usable)).map(|s| (id, s))
    });
    let entries = identity.as_ref().map_or_else(Vec::new, |(id, _)| {
        id.chain
            .iter()
            .map(|c| CertificateEntry { cert: c.as_ref().to_vec(), extensions: Vec::new() })
            .collect()
    });
    cs.send_handshake(
        &HandshakeMessage {
            payload: HandshakePayload::Tls13(Tls13Message::Certificate(CertificateTls13 {
                context,
                entries,
            })),
        },
        Some(&mut cx.transcript),
    )?;
    let Some((_, signer)) = identity else { return Ok(()) };
    let scheme = signer.scheme().ok_or(Error::Internal("TLS 1.3 signer without a scheme"))?;
    let content =
        m13::certificate_verify_message(false, cx.transcript.hash_with(suite.transcript_hash).as_ref());
    let signature = signer.sign(&content).map_err(|_| Error::Internal("signing CertificateVerify failed"))?;
    cs.signature_scheme = Some(scheme);
    cs.client_certificate_sent = true;
    cs.send_handshake(
        &HandshakeMessage {
            payload: HandshakePayload::Tls13(Tls13Message::CertificateVerify(CertificateVerifyTls13 {
                scheme,
                signature,
            })),
        },
        Some(&mut cx.transcript),
    )
}
