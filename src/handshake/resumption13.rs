//! TLS 1.3 resumption with a PSK from a ticket (RFC 8446 §2.2, §4.2.11, §4.6.1), in psk_dhe_ke
//! mode only (a fresh (EC)DHE every time, for forward secrecy):
//!
//! - the server sends NewSessionTickets after the client's Finished (`send_tickets`): each
//!   seals a [`Tls13Session`] (the ticket's PSK, suite, `ticket_age_add`, lifetime, ALPN, SNI,
//!   session-id context, the client's certificates) with the configuration's `Ticketer`;
//! - the client keeps them in its configuration's session store (`TicketSink`), takes one out
//!   for its next ClientHello (`take_offerable`: single use), offers it in pre_shared_key, last,
//!   with psk_key_exchange_modes, and fills the binder over the truncated ClientHello
//!   (`fill_binder`; again after a HelloRetryRequest, over the new transcript);
//! - the server (`accept_psk`) takes the first identity that opens, decodes, has not expired,
//!   reports a plausible age, was made under the same context and SNI and has the hash of the
//!   suite chosen; its binder must verify (constant time) or the handshake fails with
//!   decrypt_error. Any other reason to refuse a ticket means a full handshake.

use super::{CommonState, Transcript};
use crate::codec::{Codec, ListLength};
use crate::config::{defaults, ClientConfig, ServerConfig};
use crate::crypto::{HashOutput, Tls13CipherSuite};
use crate::error::{Error, PeerMisbehaved};
use crate::key_schedule::tls13::{finished_verify_data, resumption_psk, EarlySecret};
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{AlertDescription, ExtensionType, HandshakeType};
use crate::msgs::extensions::ClientExtension;
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::tls13::{self as m13, NewSessionTicketTls13, OfferedPsks, RawExtension, Tls13Message};
use crate::session::{Tls13Session, Tls13SessionParts, MAX_TICKET_LIFETIME_SECS};
use crate::x509::{CertificateDer, ServerName, UnixTime};
use std::sync::Arc;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The binder of `psk` (RFC 8446 §4.2.11.2): the Finished computation keyed by the early
/// secret's "res binder" key, over the transcript so far and the ClientHello up to (not
/// including) the binders list.
fn binder(suite: &Tls13CipherSuite, psk: &[u8], prior: &Transcript, truncated_hello: &[u8]) -> HashOutput {
    let mut t = prior.clone();
    t.add(truncated_hello);
    let key = EarlySecret::new(suite.schedule_hash(), Some(psk)).binder_key(true);
    finished_verify_data(suite.hkdf, key.as_ref(), t.hash_with(suite.transcript_hash).as_ref())
}

// ---------------------------------------------------------------- client

/// A ticket from the configuration's store that this client may offer to `server_name`:
/// taken out (each ticket is offered once, RFC 8446 §C.4), so unusable ones are dropped too,
/// and so are those handed to the application (`ConnectionCommon::tls13_session`), which
/// offers them itself.
pub(crate) fn take_offerable(config: &ClientConfig, server_name: &ServerName<'_>) -> Option<Tls13Session> {
    let name = super::resumption::name_of(server_name);
    while let Some(t) = config.session_store.take_tls13_ticket(&name) {
        if offerable(config, server_name, &t) && t.claim_stored() {
            return Some(t);
        }
    }
    None
}

/// Whether this client may offer `ticket` to `server_name`: made for that name, verified under
/// this configuration's verifier, not expired, and of a hash one of our TLS 1.3 suites uses.
pub(crate) fn offerable(config: &ClientConfig, server_name: &ServerName<'_>, t: &Tls13Session) -> bool {
    let name = super::resumption::name_of(server_name);
    t.server_name() == Some(name.as_str())
        // A resumed handshake has no Certificate: the ticket stands in for verification
        // only under the verifier that checked the server (as for TLS 1.2 sessions).
        && t.verified_by().is_some_and(|v| v.same_as(&config.verified_by))
        && !t.is_expired(config.time.now())
        && config.policy.tls13_cipher_suites.iter().any(|s| s.hash == t.cipher_suite().hash)
}

/// The pre_shared_key extension offering `ticket` (RFC 8446 §4.2.11), with a binder of zeros
/// that [`fill_binder`] replaces once the rest of the ClientHello is known.
pub(crate) fn psk_extension(ticket: &Tls13Session, now: Option<UnixTime>) -> ClientExtension {
    // §4.2.11.1: the age in milliseconds plus ticket_age_add, modulo 2^32.
    let age = ticket.age_millis(now).unwrap_or(0) as u32;
    let offered = OfferedPsks {
        identities: vec![(ticket.ticket().to_vec(), age.wrapping_add(ticket.age_add()))],
        binders: vec![vec![0; ticket.cipher_suite().schedule_hash().secret_len()]],
    };
    ClientExtension::Unknown(ExtensionType::PreSharedKey, offered.encoding())
}

/// Computes the binder of `ticket` over `prior` (empty for a first ClientHello; message_hash
/// and HelloRetryRequest for a second) and the truncated `hello`, and writes it into the
/// hello's pre_shared_key, which must be its last extension.
pub(crate) fn fill_binder(
    ticket: &Tls13Session,
    hello: &mut ClientHello,
    prior: &Transcript,
) -> Result<(), Error> {
    // The hello as a handshake message (type, u24 length, body), without cloning it into one.
    let mut encoded = Vec::with_capacity(super::common::ENCODE_CAPACITY);
    HandshakeType::ClientHello.encode(&mut encoded);
    ListLength::U24 { max: 0xff_ffff }.encode_with(&mut encoded, |o| hello.encode(o));
    let Some(ClientExtension::Unknown(ExtensionType::PreSharedKey, body)) = hello.extensions.last_mut()
    else {
        return Err(Error::Internal("pre_shared_key is not the last ClientHello extension"));
    };
    let mut offered = OfferedPsks::read_body(body)?;
    let cut = encoded.len() - offered.binders_encoding().len();
    let b = binder(ticket.cipher_suite(), ticket.psk(), prior, &encoded[..cut]);
    offered.binders[0] = b.as_ref().to_vec();
    *body = offered.encoding();
    Ok(())
}

/// On a client after a TLS 1.3 handshake: turns each NewSessionTicket into a stored ticket.
pub(crate) struct TicketSink {
    pub(crate) config: Arc<ClientConfig>,
    pub(crate) server_name: String,
    pub(crate) suite: &'static Tls13CipherSuite,
    pub(crate) resumption_master_secret: HashOutput,
    pub(crate) peer_certificates: Vec<CertificateDer<'static>>,
    pub(crate) alpn: Option<Vec<u8>>,
}

impl TicketSink {
    /// RFC 8446 §4.6.1: the ticket's PSK is derived from the resumption master secret and the
    /// ticket's nonce; a lifetime of 0 means "do not use"; over seven days is illegal. Returns
    /// the ticket kept (a copy stays with the connection, for `ConnectionCommon::tls13_session`).
    pub(crate) fn receive(&self, nst: &NewSessionTicketTls13) -> Result<Option<Tls13Session>, Error> {
        if nst.lifetime > MAX_TICKET_LIFETIME_SECS {
            return Err(PeerMisbehaved::Tls13(
                "a NewSessionTicket with a lifetime over seven days",
                AlertDescription::IllegalParameter,
            )
            .into());
        }
        let mut max_early_data = 0;
        for e in &nst.extensions {
            if e.typ == ExtensionType::EarlyData {
                let b: [u8; 4] = e.body.as_slice().try_into().map_err(|_| {
                    Error::from(crate::codec::InvalidMessage::InvalidValue("early_data in NewSessionTicket"))
                })?;
                max_early_data = u32::from_be_bytes(b);
            }
        }
        if nst.lifetime == 0 {
            return Ok(None);
        }
        let psk = resumption_psk(self.suite.hkdf, self.resumption_master_secret.as_ref(), &nst.nonce);
        let session = Tls13Session::new(Tls13SessionParts {
            suite: self.suite,
            psk: Zeroizing::new(psk.as_ref().to_vec()),
            age_add: nst.age_add,
            lifetime_secs: nst.lifetime,
            creation_time: self.config.time.now(),
            max_early_data,
            alpn: self.alpn.clone(),
            server_name: Some(self.server_name.clone()),
            session_id_context: Vec::new(),
            peer_certificates: self.peer_certificates.clone(),
            ticket: nst.ticket.clone(),
            verified_by: Some(self.config.verified_by.clone()),
        });
        self.config.session_store.insert_tls13_ticket(&self.server_name, session.clone());
        Ok(Some(session))
    }
}

// ---------------------------------------------------------------- server

/// The PSK a server resumes with: which identity, and its ticket's state.
pub(crate) struct AcceptedPsk {
    pub(crate) index: u16,
    pub(crate) session: Tls13Session,
    /// The ticketer asked for a new ticket in its place ([`crate::session::OpenedTicket::renew`]).
    pub(crate) renew: bool,
}

fn ext_body(ch: &ClientHello, t: ExtensionType) -> Option<&[u8]> {
    ch.extensions.iter().find_map(|e| match e {
        ClientExtension::Unknown(et, b) if *et == t => Some(&b[..]),
        _ => None,
    })
}

/// The PSK the server resumes with for `ch` (`encoded` as received, after `prior` in the
/// transcript), or `None` for a full handshake; an error when the offer itself is malformed or
/// the chosen identity's binder does not verify.
pub(crate) fn accept_psk(
    config: &ServerConfig,
    ch: &ClientHello,
    encoded: &[u8],
    prior: &Transcript,
    suite: &Tls13CipherSuite,
) -> Result<Option<AcceptedPsk>, Error> {
    let Some(pos) = ch.extensions.iter().position(|e| e.ext_type() == ExtensionType::PreSharedKey) else {
        return Ok(None);
    };
    // §4.2.11: pre_shared_key must be the last extension (the binders end the message).
    if pos + 1 != ch.extensions.len() {
        return Err(PeerMisbehaved::Tls13(
            "pre_shared_key is not the last ClientHello extension",
            AlertDescription::IllegalParameter,
        )
        .into());
    }
    let offered = OfferedPsks::read_body(ext_body(ch, ExtensionType::PreSharedKey).unwrap_or(&[]))?;
    // §4.2.9: a client that offers a PSK must say how it may be used.
    let modes = match ext_body(ch, ExtensionType::PskKeyExchangeModes) {
        Some(b) => m13::read_psk_modes(b)?,
        None => {
            return Err(PeerMisbehaved::Tls13(
                "pre_shared_key without psk_key_exchange_modes",
                AlertDescription::MissingExtension,
            )
            .into())
        }
    };
    let settings = &config.sessions;
    // We only do psk_dhe_ke: a client that allows psk_ke alone gets a full handshake.
    if !modes.contains(&m13::PSK_DHE_KE) || !settings.ticketer.enabled() {
        return Ok(None);
    }
    let server_name = match ch.extension(ExtensionType::ServerName) {
        Some(ClientExtension::ServerName(name)) => Some(name.as_str()),
        _ => None,
    };
    let now = config.time.now();
    for (i, (identity, obfuscated_age)) in offered.identities.iter().enumerate() {
        let Some(opened) = settings.ticketer.try_open(identity, now)? else { continue };
        let Ok(session) = Tls13Session::from_bytes(&opened.plaintext, &config.provider) else { continue };
        let age_ok = match session.age_millis(now) {
            // §4.2.11.1, §8.3: the age the client reports (its clock) against ours.
            Some(ours) => {
                let theirs = u64::from(obfuscated_age.wrapping_sub(session.age_add()));
                theirs.abs_diff(ours) <= defaults::TLS13_TICKET_AGE_TOLERANCE_MILLIS
            }
            None => false,
        };
        let usable = age_ok
            && !session.is_expired(now)
            // §4.2.11: the PSK's hash must be the chosen suite's.
            && session.cipher_suite().hash == suite.hash
            && session.session_id_context() == settings.session_id_context.as_slice()
            // §4.6.1 / RFC 6066 §3: a ticket is for the server name it was issued under.
            && session.server_name() == server_name
            // A server that verifies clients resumes only tickets whose client was verified.
            && (config.client_verifier.is_none()
                || !session.peer_certificates().is_empty()
                || config.client_verifier.as_ref().is_some_and(|v| !v.client_auth_mandatory()));
        if !usable {
            continue;
        }
        let cut = encoded
            .len()
            .checked_sub(offered.binders_encoding().len())
            .ok_or(Error::Internal("ClientHello shorter than its binders"))?;
        let expected = binder(suite, session.psk(), prior, &encoded[..cut]);
        let received = &offered.binders[i];
        if received.len() != expected.as_ref().len() || !bool::from(expected.as_ref().ct_eq(received)) {
            return Err(PeerMisbehaved::Tls13(
                "the PSK binder does not verify",
                AlertDescription::DecryptError,
            )
            .into());
        }
        let index = u16::try_from(i).map_err(|_| Error::Internal("PSK index"))?;
        return Ok(Some(AcceptedPsk { index, session, renew: opened.renew }));
    }
    Ok(None)
}

/// Sends the configured number of NewSessionTickets (RFC 8446 §4.6.1), one after a
/// resumption, once the client's Finished is in `resumption_master_secret`.
pub(crate) fn send_tickets(
    config: &ServerConfig,
    cs: &mut CommonState,
    suite: &'static Tls13CipherSuite,
    resumption_master_secret: &HashOutput,
) -> Result<(), Error> {
    let settings = &config.sessions;
    if !settings.ticketer.enabled() || settings.tls13_tickets == 0 {
        return Ok(());
    }
    let mut lifetime = settings.lifetime_secs.min(u64::from(MAX_TICKET_LIFETIME_SECS)) as u32;
    // A ticket must not outlive the key that opens it.
    if settings.ticketer.lifetime_hint_secs() != 0 {
        lifetime = lifetime.min(settings.ticketer.lifetime_hint_secs());
    }
    if lifetime == 0 {
        return Ok(());
    }
    let now = config.time.now();
    // After a resumption one ticket replaces the one used, as OpenSSL's servers do (the client
    // has the others of the full handshake still).
    let count = if cs.sessions.resumed { settings.tls13_tickets.min(1) } else { settings.tls13_tickets };
    // None when the ticketer reissues only on request (OpenSSL's ticket key callback
    // returning 2 for the ticket used; `ticket_expected` holds that request).
    let count = match cs.sessions.resumed {
        true if !settings.ticketer.reissue_after_tls13_resumption(cs.sessions.ticket_expected) => 0,
        _ => count,
    };
    for i in 0..count {
        // Each ticket of a connection has its own nonce, hence its own PSK.
        let nonce = (i as u64).to_be_bytes().to_vec();
        let psk = resumption_psk(suite.hkdf, resumption_master_secret.as_ref(), &nonce);
        let mut age_add = [0u8; 4];
        config.provider.random.fill(&mut age_add)?;
        let age_add = u32::from_be_bytes(age_add);
        let session = Tls13Session::new(Tls13SessionParts {
            suite,
            psk: Zeroizing::new(psk.as_ref().to_vec()),
            age_add,
            lifetime_secs: lifetime,
            creation_time: now,
            max_early_data: settings.max_early_data,
            alpn: cs.alpn_protocol.clone(),
            server_name: cs.server_name.clone(),
            session_id_context: settings.session_id_context.clone(),
            peer_certificates: cs.peer_certificates.clone(),
            ticket: Vec::new(),
            verified_by: None,
        });
        // A ticket not sealed is skipped and the next one tried (OpenSSL asks its ticket key
        // callback again for each).
        let Some(ticket) = settings.ticketer.try_seal(&session.to_bytes(), now)? else { continue };
        if ticket.is_empty() || ticket.len() > 0xffff {
            continue;
        }
        let extensions = match settings.max_early_data {
            0 => Vec::new(),
            n => vec![RawExtension { typ: ExtensionType::EarlyData, body: n.to_be_bytes().to_vec() }],
        };
        let nst = NewSessionTicketTls13 { lifetime, age_add, nonce, ticket, extensions };
        cs.send_handshake(
            &HandshakeMessage { payload: HandshakePayload::Tls13(Tls13Message::NewSessionTicket(nst)) },
            None,
        )?;
    }
    Ok(())
}
