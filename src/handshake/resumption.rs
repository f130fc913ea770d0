//! Session resumption inside the handshake, by session ID (RFC 5246 §7.3, §7.4.1.2-3) or by
//! session ticket (RFC 5077): which session a server may resume (from its cache or from a
//! ticket), what a client offers and checks when a server resumes, the tickets a server issues
//! and a client receives, and the session a handshake leaves behind. The abbreviated-handshake
//! states themselves are in `client/tls12_resume.rs` and `server/tls12_resume.rs`.

use super::Transcript;
use super::{CommonState, ConnectionSecrets};
use crate::config::{ClientConfig, ServerConfig};
use crate::error::{Error, PeerMisbehaved, PolicyError};
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{CipherSuite, ExtensionType, ProtocolVersion};
use crate::msgs::extensions::ClientExtension;
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::new_session_ticket::NewSessionTicket;
use crate::msgs::SessionId;
use crate::session::{SessionParts, StoresClientSessions, StoresServerSessions, Tls12Session, VerifiedBy};
use crate::x509::{ServerName, UnixTime};
use std::sync::Arc;
use zeroize::Zeroizing;

/// What a connection knows about its session.
#[derive(Debug)]
pub(crate) struct SessionState {
    /// The session_id of ServerHello; empty when the server will not let it be resumed.
    pub(crate) id: SessionId,
    /// This handshake was abbreviated: it resumed `current`.
    pub(crate) resumed: bool,
    /// The session established or resumed, once the handshake completes.
    pub(crate) current: Option<Tls12Session>,
    /// On a server, the store `current` lives in, so that a fatal alert can remove it.
    pub(crate) storage: Option<Arc<dyn StoresServerSessions>>,
    /// On a client, the store and server name `current` is kept under, for the same reason.
    pub(crate) client_store: Option<(Arc<dyn StoresClientSessions>, String)>,
    /// ServerHello carried the SessionTicket extension (RFC 5077 §3.2): a NewSessionTicket
    /// comes (or, on a server, goes) before the server's ChangeCipherSpec.
    pub(crate) ticket_expected: bool,
    /// On a client, the ticket and lifetime hint of the NewSessionTicket received.
    pub(crate) new_ticket: Option<(Vec<u8>, u32)>,
    /// This handshake resumed by ticket (RFC 5077 §3.4) rather than by session ID.
    pub(crate) resumed_by_ticket: bool,
    /// On a TLS 1.3 client, the tickets received after the handshake (RFC 8446 §4.6.1), the
    /// newest last, at most [`crate::session::TLS13_TICKETS_PER_NAME`].
    pub(crate) tls13_tickets: Vec<crate::session::Tls13Session>,
}

impl Default for SessionState {
    fn default() -> Self {
        Self {
            id: SessionId::EMPTY,
            resumed: false,
            current: None,
            storage: None,
            client_store: None,
            ticket_expected: false,
            new_ticket: None,
            resumed_by_ticket: false,
            tls13_tickets: Vec::new(),
        }
    }
}

impl SessionState {
    /// The connection ended with a fatal alert: its session must not be resumed (RFC 5246
    /// §7.2.2: "any connection terminated with a fatal alert MUST NOT be resumed").
    pub(crate) fn invalidate(&mut self) {
        if let (Some(storage), Some(session)) = (self.storage.take(), &self.current) {
            storage.remove(session.id());
        }
        if let Some((store, name)) = self.client_store.take() {
            store.remove(&name);
        }
        self.current = None;
    }

    /// Keeps a ticket the server sent (a client at TLS 1.3), dropping the oldest beyond
    /// [`crate::session::TLS13_TICKETS_PER_NAME`].
    pub(crate) fn keep_tls13_ticket(&mut self, ticket: crate::session::Tls13Session) {
        if self.tls13_tickets.len() == crate::session::TLS13_TICKETS_PER_NAME {
            self.tls13_tickets.remove(0);
        }
        self.tls13_tickets.push(ticket);
    }

    /// The newest ticket no connection has offered, handed to the application: the session
    /// store no longer offers it (RFC 8446 §C.4: one connection per ticket). Asked again, the
    /// same one until a connection offers it, then the next newest.
    pub(crate) fn hand_out_tls13_ticket(&self) -> Option<crate::session::Tls13Session> {
        self.tls13_tickets.iter().rev().find(|t| t.hand_out()).cloned()
    }
}

/// The name a session is tied to: the DNS name or the address the client connected to.
pub(crate) fn name_of(server_name: &ServerName<'_>) -> String {
    match server_name {
        ServerName::DnsName(name) => name.as_ref().trim_end_matches('.').to_ascii_lowercase(),
        other => other.to_str().into_owned(),
    }
}

/// Whether a client with `config` may offer `session` to `server_name`: the same name (RFC
/// 6066 §3 ties a session to its server name), made under the same verification, not
/// expired, a version and suite this configuration still allows and offers, and a
/// server-assigned ID.
pub(crate) fn offerable(config: &ClientConfig, server_name: &ServerName<'_>, session: &Tls12Session) -> bool {
    let policy = &config.policy;
    // Resumable by the ID the server assigned, or by its ticket when we still do tickets.
    (!session.id().is_empty() || (config.tickets && !session.ticket().is_empty()))
        && session.server_name() == Some(name_of(server_name).as_str())
        // An abbreviated handshake sends no Certificate: the session's chain stands in for
        // verification only under the verifier (trust anchors, policy) that checked it. A
        // session made under `dangerous_no_verification` or another trust store is never
        // offered to a verifying configuration.
        && session.verified_by().is_some_and(|v| v.same_as(&config.verified_by))
        // RFC 5246 §7.4.1.2 leaves the lifetime to the client too ("SHOULD limit"); an unknown
        // clock counts as expired.
        && !session.is_expired(config.time.now())
        && policy.allows_version(session.protocol_version())
        && policy.suites_for(policy.max_version).any(|s| s.suite == session.cipher_suite().suite)
        && session.cipher_suite().min_version <= session.protocol_version()
        // RFC 7627 §5.3: an EMS session is only offered with the extension.
        && (!session.extended_master_secret() || policy.extended_master_secret)
}

/// The session a server resumes, as decided from a ClientHello.
pub(crate) struct Resumption {
    pub(crate) session: Tls12Session,
    /// Encrypt-then-MAC for this handshake.
    pub(crate) etm: bool,
    /// Resumed from a ticket (RFC 5077 §3.4) rather than the cache.
    pub(crate) by_ticket: bool,
    /// Issue a new ticket (RFC 5077 §3.3): the ticket's key is being rotated out.
    pub(crate) renew_ticket: bool,
}

/// Whether the server issues a ticket in a full handshake for `ch`: tickets on and the client
/// sent the SessionTicket extension (RFC 5077 §3.2).
pub(crate) fn server_sends_ticket(config: &ServerConfig, ch: &ClientHello) -> bool {
    config.sessions.ticketer.enabled() && ch.extension(ExtensionType::SessionTicket).is_some()
}

/// The session a server resumes for `ch`, from the ticket it presents or else from the
/// cache by session ID; `None` means a full handshake. `version` is the version negotiated
/// for this hello and `server_name` its SNI.
pub(crate) fn resumable_session(
    config: &ServerConfig,
    ch: &ClientHello,
    version: ProtocolVersion,
    server_name: Option<&str>,
) -> Result<Option<Resumption>, Error> {
    let settings = &config.sessions;
    let now = config.time.now();
    if let Some(ClientExtension::SessionTicket(ticket)) = ch.extension(ExtensionType::SessionTicket) {
        if settings.ticketer.enabled() && !ticket.is_empty() {
            // RFC 5077 §3.4: a ticket the server cannot or will not honour gets a full
            // handshake, with no alert and no look in the cache (OpenSSL does the same).
            let Some(opened) = settings.ticketer.try_open(ticket, now)? else { return Ok(None) };
            let Ok(session) = Tls12Session::from_bytes(&opened.plaintext, &config.provider) else {
                return Ok(None);
            };
            if session.is_expired(now) {
                return Ok(None);
            }
            // RFC 5077 §3.4: the server echoes the client's session ID when it resumes.
            let session = session.with_id(ch.session_id);
            return Ok(check_resumable(config, ch, version, server_name, &session)?.map(|etm| Resumption {
                session,
                etm,
                by_ticket: true,
                renew_ticket: opened.renew,
            }));
        }
    }
    let id = ch.session_id.as_slice();
    if id.is_empty() || !settings.storage.can_cache() {
        return Ok(None);
    }
    let Some(encoded) = settings.storage.get(id).map(Zeroizing::new) else { return Ok(None) };
    let Ok(session) = Tls12Session::from_bytes(&encoded, &config.provider) else {
        settings.storage.remove(id);
        return Ok(None);
    };
    if session.is_expired(now) {
        settings.storage.remove(id);
        return Ok(None);
    }
    Ok(check_resumable(config, ch, version, server_name, &session)?.map(|etm| Resumption {
        session,
        etm,
        by_ticket: false,
        renew_ticket: false,
    }))
}

/// The rules every resumption follows, whether the session came from the cache or a ticket:
/// `Some(encrypt-then-MAC)` when `session` may be resumed for `ch`.
fn check_resumable(
    config: &ServerConfig,
    ch: &ClientHello,
    version: ProtocolVersion,
    server_name: Option<&str>,
    session: &Tls12Session,
) -> Result<Option<bool>, Error> {
    let settings = &config.sessions;
    if settings.require_context_with_client_auth
        && config.client_verifier.is_some()
        && settings.session_id_context.is_empty()
    {
        // OpenSSL's SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED: a verifying server without a
        // context cannot tell whether the session was made under the same verification
        // policy, and failing loudly beats silently never resuming.
        return Err(PolicyError::SessionIdContextUninitialized.into());
    }
    let suite = session.cipher_suite();
    let same_parameters = session.session_id_context() == settings.session_id_context.as_slice()
        // RFC 5246 §7.4.1.3: the resumed session keeps its version and cipher suite, which the
        // client must offer again and we must still allow.
        && session.protocol_version() == version
        && ch.cipher_suites.contains(&suite.suite)
        && config.policy.suites_for(version).any(|s| s.suite == suite.suite)
        // RFC 6066 §3: never resume a session under another server name (DNS names compare
        // case-insensitively).
        && match (session.server_name(), server_name) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        };
    if !same_parameters {
        return Ok(None);
    }
    // A session made without a client certificate must not satisfy a server that now
    // requires one.
    if config.client_verifier.as_ref().is_some_and(|v| v.client_auth_mandatory())
        && session.peer_certificates().is_empty()
    {
        return Ok(None);
    }
    let offered_ems = ch.extension(ExtensionType::ExtendedMasterSecret).is_some();
    match (session.extended_master_secret(), offered_ems) {
        // RFC 7627 §5.3: the original session used EMS and the new hello does not: abort.
        (true, false) => return Err(PeerMisbehaved::ExtendedMasterSecretMissing.into()),
        // RFC 7627 §5.3: the original session did not use EMS and the new hello does: do a
        // full handshake to get a session with EMS.
        (false, true) if config.policy.extended_master_secret => return Ok(None),
        // Our policy no longer does EMS: a full handshake without it.
        (true, true) if !config.policy.extended_master_secret => return Ok(None),
        // Neither uses EMS: legacy resumption, which RFC 7627 §5.3 allows ("SHOULD abort")
        // and OpenSSL and GnuTLS do; such a session only exists when EMS was switched off.
        _ => {}
    }
    let etm = config.policy.encrypt_then_mac
        && suite.is_cbc()
        && ch.extension(ExtensionType::EncryptThenMac).is_some();
    // RFC 7366 §3.1: a session keeps encrypt-then-MAC across handshakes; never resume it
    // without.
    if session.encrypt_then_mac() && !etm {
        return Ok(None);
    }
    Ok(Some(etm))
}

/// What a client offers in ClientHello: the session ID and, when tickets are on, the
/// SessionTicket extension (empty to ask for one, or the session's ticket). RFC 5077 §3.4:
/// with a ticket the client sends a session ID of its own (random, unless the server assigned
/// one) so that the server's echo tells it the ticket was accepted.
pub(crate) fn client_offer(
    config: &ClientConfig,
    resuming: Option<&Tls12Session>,
) -> Result<(SessionId, Option<ClientExtension>), Error> {
    let ticket = resuming.map(|s| s.ticket()).filter(|t| config.tickets && !t.is_empty());
    let id = match (resuming, ticket) {
        (Some(s), Some(_)) if s.id().is_empty() => {
            let mut id = [0u8; 32];
            config.provider.random.fill(&mut id)?;
            SessionId::new(&id).ok_or(Error::Internal("session id length"))?
        }
        (Some(s), _) => s.session_id(),
        (None, _) => SessionId::EMPTY,
    };
    let extension =
        config.tickets.then(|| ClientExtension::SessionTicket(ticket.unwrap_or_default().to_vec()));
    Ok((id, extension))
}

/// The session a client offers to `server_name` by itself: the one its configuration's store
/// keeps for the name, if it may still be offered.
pub(crate) fn stored_session(config: &ClientConfig, server_name: &ServerName<'_>) -> Option<Tls12Session> {
    let session = config.session_store.get(&name_of(server_name))?;
    offerable(config, server_name, &session).then_some(session)
}

/// A client received NewSessionTicket where ServerHello announced one (RFC 5077 §3.3): it
/// joins the transcript, and its ticket the session once the handshake completes.
pub(crate) fn receive_new_session_ticket(
    cs: &mut CommonState,
    transcript: &mut Transcript,
    ticket: NewSessionTicket,
    encoded: &[u8],
) {
    transcript.add(encoded);
    cs.sessions.ticket_expected = false;
    cs.sessions.new_ticket = Some((ticket.ticket, ticket.lifetime_hint));
}

/// What a state waiting for the server's ChangeCipherSpec awaits: the NewSessionTicket
/// ServerHello announced, first (for the unexpected-message error).
pub(crate) fn awaited_before_ccs(cs: &CommonState) -> &'static str {
    if cs.sessions.ticket_expected {
        "NewSessionTicket"
    } else {
        "ChangeCipherSpec"
    }
}

/// A server sends NewSessionTicket with `session` sealed by its ticketer (RFC 5077 §3.3),
/// before its ChangeCipherSpec; an empty ticket when sealing fails or the sealed session would
/// not fit the message (a client certificate chain of tens of kilobytes).
pub(crate) fn send_new_session_ticket(
    cs: &mut CommonState,
    config: &ServerConfig,
    session: &Tls12Session,
    transcript: &mut Transcript,
) -> Result<(), Error> {
    let ticketer = &config.sessions.ticketer;
    let ticket = ticketer
        .try_seal(&session.to_bytes(), config.time.now())?
        .filter(|t| t.len() <= 0xffff)
        .unwrap_or_default();
    let hint = match ticketer.lifetime_hint_secs() {
        0 => session.lifetime_secs(),
        h => u64::from(h).min(session.lifetime_secs()),
    };
    let lifetime_hint = if ticket.is_empty() { 0 } else { u32::try_from(hint).unwrap_or(u32::MAX) };
    cs.sessions.ticket_expected = false;
    let msg = HandshakeMessage {
        payload: HandshakePayload::NewSessionTicket(NewSessionTicket { lifetime_hint, ticket }),
    };
    cs.send_handshake(&msg, Some(transcript))
}

/// What a client checks when a ServerHello echoes the session ID it offered.
pub(crate) fn require_resumable_server_hello(
    session: &Tls12Session,
    version: ProtocolVersion,
    suite: CipherSuite,
    ems: bool,
    etm: bool,
) -> Result<(), Error> {
    // RFC 5246 §7.4.1.3: a resumed session keeps its version and cipher suite.
    if version != session.protocol_version() || suite != session.cipher_suite().suite {
        return Err(PeerMisbehaved::ResumedSessionParametersChanged.into());
    }
    // RFC 7627 §5.3: abort when the EMS status of the resumption differs from the session's.
    if ems != session.extended_master_secret() {
        return Err(PeerMisbehaved::ResumedExtendedMasterSecretChanged.into());
    }
    // RFC 7366 §3.1: encrypt-then-MAC must not be dropped for the session.
    if session.encrypt_then_mac() && !etm {
        return Err(PeerMisbehaved::ResumedEncryptThenMacDropped.into());
    }
    Ok(())
}

/// The session a completed full handshake created: it becomes resumable only now, after both
/// Finished messages verified (RFC 5246 §7.3). `None` when the peer cannot resume it (no
/// session ID and no ticket).
#[allow(clippy::too_many_arguments)]
fn new_session(
    cs: &CommonState,
    secrets: &ConnectionSecrets,
    server_name: Option<String>,
    session_id_context: Vec<u8>,
    now: Option<UnixTime>,
    lifetime_secs: u64,
    verified_by: Option<VerifiedBy>,
    ticket: Option<(Vec<u8>, u32)>,
) -> Option<Tls12Session> {
    let (ticket, ticket_lifetime_hint) = ticket.unwrap_or_default();
    // A server about to issue a ticket (`ticket_expected`) makes a session without an ID.
    if cs.sessions.id.as_slice().is_empty() && ticket.is_empty() && !cs.sessions.ticket_expected {
        return None;
    }
    Some(Tls12Session::new(SessionParts {
        id: cs.sessions.id,
        version: secrets.version,
        suite: secrets.suite,
        master_secret: secrets.master_secret(),
        extended_master_secret: cs.extended_master_secret,
        encrypt_then_mac: cs.encrypt_then_mac,
        peer_certificates: cs.peer_certificates.clone(),
        server_name,
        session_id_context,
        creation_time: now,
        lifetime_secs,
        verified_by,
        ticket,
        ticket_lifetime_hint,
    }))
}

/// A client's full handshake completed: keep the session the server let us resume (by ID or
/// ticket) as the connection's and in the configuration's store.
pub(crate) fn record_client_session(
    cs: &mut CommonState,
    secrets: &ConnectionSecrets,
    config: &ClientConfig,
    server_name: &ServerName<'_>,
) {
    let ticket = cs.sessions.new_ticket.take().filter(|(t, _)| !t.is_empty());
    let session = new_session(
        cs,
        secrets,
        Some(name_of(server_name)),
        Vec::new(),
        config.time.now(),
        config.session_lifetime_secs,
        Some(config.verified_by.clone()),
        ticket,
    );
    keep_client_session(cs, config, server_name, session);
}

/// A client's abbreviated handshake completed: the resumed session stays the connection's,
/// with the ticket the server renewed it with, if any (RFC 5077 §3.3).
pub(crate) fn resumed_client_session(
    cs: &mut CommonState,
    config: &ClientConfig,
    server_name: &ServerName<'_>,
    session: Tls12Session,
) {
    let session = match cs.sessions.new_ticket.take() {
        Some((ticket, hint)) if !ticket.is_empty() => session.with_ticket(ticket, hint),
        _ => session,
    };
    keep_client_session(cs, config, server_name, Some(session));
}

fn keep_client_session(
    cs: &mut CommonState,
    config: &ClientConfig,
    server_name: &ServerName<'_>,
    session: Option<Tls12Session>,
) {
    let name = name_of(server_name);
    match &session {
        Some(s) => {
            config.session_store.put(&name, s.clone());
            cs.sessions.client_store = Some((Arc::clone(&config.session_store), name));
        }
        // The server offered no way to resume: forget what we had for the name.
        None => config.session_store.remove(&name),
    }
    cs.sessions.current = session;
}

/// A server's full handshake is about to complete: the session it created. With a ticket
/// (`cs.sessions.ticket_expected`) the session ID is empty and the ticket carries the session;
/// otherwise it goes to the cache by ID (when there is one) in [`store_server_session`].
pub(crate) fn server_session(
    cs: &CommonState,
    secrets: &ConnectionSecrets,
    config: &ServerConfig,
) -> Option<Tls12Session> {
    let settings = &config.sessions;
    let name = cs.server_name.clone();
    let context = settings.session_id_context.clone();
    let now = config.time.now();
    new_session(cs, secrets, name, context, now, settings.lifetime_secs, None, None)
}

/// A server's full handshake completed: `session` is the connection's, and goes to the cache
/// when it has an ID (a ticketed session has none, and lives in the client's ticket).
pub(crate) fn store_server_session(
    cs: &mut CommonState,
    config: &ServerConfig,
    session: Option<Tls12Session>,
) {
    let storage = &config.sessions.storage;
    if let Some(s) = session.as_ref().filter(|s| !s.id().is_empty()) {
        if storage.put(s.id().to_vec(), s.to_bytes().to_vec()) {
            cs.sessions.storage = Some(Arc::clone(storage));
        }
    }
    cs.sessions.current = session;
}

/// The session ID of a full handshake: a fresh random one, or the empty one when the server
/// does not cache sessions (RFC 5246 §7.4.1.3: then the session cannot be resumed) or issues a
/// ticket instead (RFC 5077 §3.4: "it SHOULD include an empty Session ID").
pub(crate) fn new_session_id(config: &ServerConfig, sends_ticket: bool) -> Result<SessionId, Error> {
    if sends_ticket || !config.sessions.storage.can_cache() {
        return Ok(SessionId::EMPTY);
    }
    let mut id = [0u8; 32];
    config.provider.random.fill(&mut id)?;
    SessionId::new(&id).ok_or(Error::Internal("session id length"))
}
