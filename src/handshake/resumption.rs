//! Session resumption by session ID inside the handshake (RFC 5246 §7.3, §7.4.1.2-3): which
//! cached session a server may resume, what a client checks when a server resumes, and the
//! session a full handshake leaves behind. The abbreviated-handshake states themselves are in
//! `client/tls12_resume.rs` and `server/tls12_resume.rs`.

use super::{CommonState, ConnectionSecrets};
use crate::config::{ClientConfig, ServerConfig};
use crate::error::{Error, PeerMisbehaved, PolicyError};
use crate::msgs::client_hello::ClientHello;
use crate::msgs::enums::{CipherSuite, ExtensionType, ProtocolVersion};
use crate::msgs::SessionId;
use crate::session::{SessionParts, StoresServerSessions, Tls12Session, VerifiedBy};
use crate::x509::{ServerName, UnixTime};
use std::sync::Arc;

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
}

impl Default for SessionState {
    fn default() -> Self {
        Self { id: SessionId::EMPTY, resumed: false, current: None, storage: None }
    }
}

impl SessionState {
    /// The connection ended with a fatal alert: its session must not be resumed (RFC 5246
    /// §7.2.2: "any connection terminated with a fatal alert MUST NOT be resumed").
    pub(crate) fn invalidate(&mut self) {
        if let (Some(storage), Some(session)) = (self.storage.take(), &self.current) {
            storage.remove(session.id());
        }
        self.current = None;
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
    !session.id().is_empty()
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

/// The cached session a server resumes for `ch`, and whether encrypt-then-MAC applies; `None`
/// means a full handshake. `version` is the version negotiated for this hello and
/// `server_name` its SNI.
pub(crate) fn resumable_session(
    config: &ServerConfig,
    ch: &ClientHello,
    version: ProtocolVersion,
    server_name: Option<&str>,
) -> Result<Option<(Tls12Session, bool)>, Error> {
    let settings = &config.sessions;
    let id = ch.session_id.as_slice();
    if id.is_empty() || !settings.storage.can_cache() {
        return Ok(None);
    }
    let Some(session) = settings.storage.get(id) else { return Ok(None) };
    if settings.require_context_with_client_auth
        && config.client_verifier.is_some()
        && settings.session_id_context.is_empty()
    {
        // OpenSSL's SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED: a verifying server without a
        // context cannot tell whether the session was made under the same verification
        // policy, and failing loudly beats silently never resuming.
        return Err(PolicyError::SessionIdContextUninitialized.into());
    }
    if session.is_expired(config.time.now()) {
        settings.storage.remove(id);
        return Ok(None);
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
    Ok(Some((session, etm)))
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

/// Records the session a completed full handshake created: the session becomes resumable
/// only now, after both Finished messages verified (RFC 5246 §7.3).
pub(crate) fn record_new_session(
    cs: &mut CommonState,
    secrets: &ConnectionSecrets,
    server_name: Option<String>,
    session_id_context: Vec<u8>,
    now: Option<UnixTime>,
    lifetime_secs: u64,
    verified_by: Option<VerifiedBy>,
) {
    if cs.sessions.id.as_slice().is_empty() {
        return;
    }
    cs.sessions.current = Some(Tls12Session::new(SessionParts {
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
    }));
}

/// A client's full handshake completed: keep the session the server let us resume.
pub(crate) fn record_client_session(
    cs: &mut CommonState,
    secrets: &ConnectionSecrets,
    config: &ClientConfig,
    server_name: &ServerName<'_>,
) {
    record_new_session(
        cs,
        secrets,
        Some(name_of(server_name)),
        Vec::new(),
        config.time.now(),
        config.session_lifetime_secs,
        Some(config.verified_by.clone()),
    );
}

/// A server's full handshake completed: store the session for resumption.
pub(crate) fn store_server_session(cs: &mut CommonState, secrets: &ConnectionSecrets, config: &ServerConfig) {
    let settings = &config.sessions;
    let name = cs.server_name.clone();
    let context = settings.session_id_context.clone();
    record_new_session(cs, secrets, name, context, config.time.now(), settings.lifetime_secs, None);
    if let Some(session) = &cs.sessions.current {
        if settings.storage.put(session.clone()) {
            cs.sessions.storage = Some(Arc::clone(&settings.storage));
        }
    }
}

/// A fresh random session ID for a full handshake, or the empty one when the server does
/// not cache sessions (RFC 5246 §7.4.1.3: then the session cannot be resumed).
pub(crate) fn new_session_id(config: &ServerConfig) -> Result<SessionId, Error> {
    if !config.sessions.storage.can_cache() {
        return Ok(SessionId::EMPTY);
    }
    let mut id = [0u8; 32];
    config.provider.random.fill(&mut id)?;
    SessionId::new(&id).ok_or(Error::Internal("session id length"))
}
