//! Connections: the sans-IO surface. Feed received bytes in with [`ConnectionCommon::feed_tls`],
//! call [`ConnectionCommon::process`], take bytes to send with [`ConnectionCommon::take_tls`],
//! and move plaintext with [`ConnectionCommon::write_plaintext`] /
//! [`ConnectionCommon::read_plaintext`]. Nothing here blocks or touches a socket.
#![forbid(unsafe_code)]

mod buffers;

use crate::codec::{Codec, Reader};
use crate::config::{ClientConfig, ServerConfig};
use crate::crypto::{Tls12CipherSuite, AEAD_TAG_LEN};
use crate::error::{Error, PeerMisbehaved};
pub use crate::handshake::observe::Observed;
use crate::handshake::{self, CommonState, Message, Side, State};
use crate::msgs::alert::Alert;
use crate::msgs::enums::{AlertDescription, AlertLevel, ContentType, HandshakeType, ProtocolVersion};
use crate::msgs::handshake::HandshakeMessage;
use crate::record::{Deframer, HandshakeJoiner, MAX_PLAINTEXT_LEN};
use crate::x509::{CertificateDer, ServerName};
use buffers::PlaintextBuffer;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// Consecutive empty application-data records or warning alerts tolerated before the peer is
/// deemed to be wasting our time (a cheap CPU-exhaustion vector otherwise).
const MAX_CONSECUTIVE_EMPTY: u32 = 32;

/// Warning alerts in a row tolerated before the peer is cut off: OpenSSL's limit (the fifth is
/// fatal), which tlsfuzzer's test-ssl-death-alert (CVE-2016-8610) checks.
const MAX_CONSECUTIVE_WARNING_ALERTS: u32 = 4;

/// Plaintext written before the handshake completes is held up to this much.
const MAX_EARLY_PLAINTEXT: usize = 64 * 1024;

/// Received plaintext held for the application before `feed_tls` stops accepting bytes: the
/// application must read before it can feed more, which bounds our memory whatever the peer sends.
const MAX_RECEIVED_PLAINTEXT: usize = 1024 * 1024;

/// State and methods shared by client and server connections.
pub struct ConnectionCommon {
    state: Option<Box<dyn State>>,
    error: Option<Error>,
    cs: CommonState,
    deframer: Deframer,
    joiner: HandshakeJoiner,
    received: PlaintextBuffer,
    early_plaintext: Vec<u8>,
    peer_closed: bool,
    transport_eof: bool,
    consecutive_empty: u32,
    consecutive_warning_alerts: u32,
    /// A TLS 1.3 compatibility ChangeCipherSpec was dropped already (only one is allowed).
    tls13_ccs_seen: bool,
    /// Every handshake message type seen, in order (both directions are in `flows`).
    received_handshake_types: Vec<HandshakeType>,
}

impl core::fmt::Debug for ConnectionCommon {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Connection")
            .field("side", &self.cs.side)
            .field("handshaking", &self.is_handshaking())
            .field("version", &self.cs.version)
            .field("suite", &self.cs.suite)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// What the application should do next, as reported by [`ConnectionCommon::process`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoState {
    /// Bytes waiting in [`ConnectionCommon::take_tls`].
    pub tls_bytes_to_write: usize,
    /// Plaintext waiting in [`ConnectionCommon::read_plaintext`].
    pub plaintext_bytes_to_read: usize,
    /// The peer sent close_notify: no more plaintext will come.
    pub peer_has_closed: bool,
}

impl ConnectionCommon {
    fn new(cs: CommonState, state: Box<dyn State>) -> Self {
        Self {
            state: Some(state),
            error: None,
            cs,
            deframer: Deframer::default(),
            joiner: HandshakeJoiner::default(),
            received: PlaintextBuffer::default(),
            early_plaintext: Vec::new(),
            peer_closed: false,
            transport_eof: false,
            consecutive_empty: 0,
            consecutive_warning_alerts: 0,
            tls13_ccs_seen: false,
            received_handshake_types: Vec::new(),
        }
    }

    /// Gives the connection bytes received from the peer. Returns how many were taken: fewer
    /// than offered when a few records are already buffered (call [`Self::process`] and offer
    /// the rest again), and none while 1 MiB of plaintext waits to be read.
    pub fn feed_tls(&mut self, data: &[u8]) -> usize {
        if self.received.len() >= MAX_RECEIVED_PLAINTEXT {
            return 0;
        }
        self.deframer.feed(data)
    }

    /// Tells the connection that the transport reached end of file.
    pub fn feed_eof(&mut self) {
        self.transport_eof = true;
    }

    /// Processes everything fed so far: advances the handshake, decrypts records, queues
    /// replies. On error a fatal alert is queued (send it: [`Self::take_tls`]) and the error
    /// is returned now and by every later call.
    pub fn process(&mut self) -> Result<IoState, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let result = self.process_records();
        if let Err(e) = result {
            return Err(self.fail(e));
        }
        if self.transport_eof && !self.peer_closed && (self.is_handshaking() || self.deframer.has_partial()) {
            return Err(self.fail(Error::Truncated));
        }
        Ok(self.io_state())
    }

    fn io_state(&self) -> IoState {
        IoState {
            tls_bytes_to_write: self.cs.sendable_tls.len(),
            plaintext_bytes_to_read: self.received.len(),
            peer_has_closed: self.peer_closed,
        }
    }

    /// Records the first error, queues its alert, and returns it.
    fn fail(&mut self, e: Error) -> Error {
        if self.error.is_none() {
            if let Some(alert) = e.alert() {
                if !self.cs.sent_fatal_alert {
                    self.cs.sent_fatal_alert = true;
                    // Best effort: the alert itself cannot fail in a way we could report better.
                    let _ = self.cs.send_alert(AlertLevel::Fatal, alert);
                }
            }
            // A transport cut short (Truncated) is no reason to forget the session (RFC 5246
            // §7.2.1 dropped that rule in TLS 1.1); a fatal alert, sent or received, is.
            if e.alert().is_some() || matches!(e, Error::AlertReceived(_)) {
                self.cs.sessions.invalidate();
            }
            self.error = Some(e.clone());
            self.state = None;
        }
        self.error.clone().unwrap_or(e)
    }

    fn process_records(&mut self) -> Result<(), Error> {
        while !self.peer_closed {
            let Some((header, fragment)) = self.deframer.pop()? else { break };
            self.cs.observed.push(|| {
                let (v, l) = (
                    header.version.to_be_bytes(),
                    u16::try_from(header.len).unwrap_or(u16::MAX).to_be_bytes(),
                );
                Observed::RecordHeader { sent: false, header: [u8::from(header.typ), v[0], v[1], l[0], l[1]] }
            });
            // RFC 8446 §5: a ChangeCipherSpec of one byte 0x01 may arrive, in the clear,
            // between the first ClientHello and the peer's Finished (middlebox
            // compatibility, §D.4) and is dropped; any other is unexpected_message. It is
            // looked at before the record version, which TLS 1.3 ignores (§5.1): a client
            // may send it before it has seen our ServerHello, with its first record version.
            // A peer sends it once (§D.4: before its second flight or right after its first
            // ClientHello); a second one is unexpected_message, as OpenSSL and tlsfuzzer have it.
            if self.cs.is_tls13() && header.typ == ContentType::ChangeCipherSpec {
                let version = self.cs.version;
                self.cs.observed.push(|| Observed::Message {
                    sent: false,
                    typ: header.typ,
                    version,
                    bytes: fragment.to_vec(),
                });
                if self.cs.handshake_complete
                    || fragment != [1]
                    || std::mem::replace(&mut self.tls13_ccs_seen, true)
                {
                    return Err(PeerMisbehaved::BadChangeCipherSpec.into());
                }
                continue;
            }
            // Once a version is agreed every record must carry it (RFC 5246 Appendix E.1);
            // TLS 1.3 records all say 0x0303 (RFC 8446 §5.1).
            if let Some(v) = self.cs.version {
                let expected = if self.cs.is_tls13() { ProtocolVersion::TLSv1_2 } else { v };
                if header.version != u16::from(expected) && self.cs.record.is_reading_encrypted() {
                    return Err(PeerMisbehaved::BadRecordVersion(header.version).into());
                }
            }
            if self.cs.is_tls13() {
                // Once protected, every record is application_data outside (§5.2).
                if self.cs.record.is_reading_encrypted() && header.typ != ContentType::ApplicationData {
                    // But a client that could not process our ServerHello has no keys: its alert
                    // comes in its current, unprotected, write state (§6). Until the client's
                    // first protected handshake message the server takes it, as OpenSSL does.
                    let client_unkeyed = self.cs.side == Side::Server
                        && !self.cs.handshake_complete
                        && self.received_handshake_types.last() == Some(&HandshakeType::ClientHello);
                    if client_unkeyed && header.typ == ContentType::Alert {
                        let alert = Alert::read_bytes(fragment)?;
                        self.handle_alert(alert)?;
                        continue;
                    }
                    return Err(PeerMisbehaved::Tls13(
                        "an unprotected record arrived after keys were established",
                        AlertDescription::UnexpectedMessage,
                    )
                    .into());
                }
            }
            if !self.cs.record.is_reading_encrypted() && header.len > MAX_PLAINTEXT_LEN {
                return Err(Error::RecordOverflow);
            }
            // RFC 8446 §5.2: a protected TLS 1.3 record is at most 2^14 + 256 bytes (TLS 1.2
            // allowed 2^14 + 2048); a longer one is record_overflow before any decryption.
            let tls13_protected = self.cs.is_tls13() && self.cs.record.is_reading_encrypted();
            if tls13_protected && header.len > MAX_PLAINTEXT_LEN + 256 {
                return Err(Error::RecordOverflow);
            }
            // RFC 8446 §4.2.10: a server that rejects early data skips the 0-RTT records (after
            // a HelloRetryRequest: every application_data record before the second
            // ClientHello; after ServerHello: those that do not open under the client's
            // handshake key), up to a bound.
            let skipping = self.cs.early_data_skip.is_some() && header.typ == ContentType::ApplicationData;
            if skipping && !self.cs.record.is_reading_encrypted() {
                self.skip_early_data(header.len)?;
                continue;
            }
            let (typ, range) = match self.cs.record.read_record(header.typ, header.version.into(), fragment) {
                Err(Error::DecryptError) if skipping => {
                    self.skip_early_data(header.len)?;
                    continue;
                }
                other => other?,
            };
            if self.cs.record.is_reading_encrypted() {
                self.cs.early_data_skip = None;
                if self.cs.is_tls13() {
                    self.cs.observed.push(|| Observed::InnerContentType { sent: false, typ });
                }
            }
            // RFC 8446 §5.4: the whole TLSInnerPlaintext (content, type byte and padding) is at
            // most 2^14 + 1 bytes; every TLS 1.3 AEAD adds a 16-byte tag (§5.3).
            if tls13_protected && header.len.saturating_sub(AEAD_TAG_LEN) > MAX_PLAINTEXT_LEN + 1 {
                return Err(Error::RecordOverflow);
            }
            let plaintext = &fragment[range];
            if typ != ContentType::Handshake && !self.joiner.is_empty() {
                return Err(PeerMisbehaved::InterleavedHandshakeFragment.into());
            }
            if plaintext.is_empty() {
                self.consecutive_empty += 1;
                if self.consecutive_empty > MAX_CONSECUTIVE_EMPTY {
                    return Err(PeerMisbehaved::TooManyEmptyRecords.into());
                }
            }
            if typ != ContentType::Alert && !plaintext.is_empty() {
                self.consecutive_warning_alerts = 0;
            }
            match typ {
                ContentType::Handshake => {
                    // After the handshake only renegotiation requests arrive, which we refuse:
                    // a handshake record then makes no progress, like an empty record, and
                    // counts against the same limit (a peer splitting messages across records
                    // gets no more from us than one sending them whole).
                    // RFC 8446 §5.1: handshake records may not be empty (alerts neither).
                    if self.cs.is_tls13() && plaintext.is_empty() {
                        return Err(PeerMisbehaved::EmptyRecord(ContentType::Handshake).into());
                    }
                    if self.cs.handshake_complete {
                        self.consecutive_empty += 1;
                        if self.consecutive_empty > MAX_CONSECUTIVE_EMPTY {
                            return Err(PeerMisbehaved::TooManyEmptyRecords.into());
                        }
                    }
                    self.joiner.push(plaintext)?;
                    Self::deliver_handshake(
                        &mut self.joiner,
                        &mut self.state,
                        &mut self.cs,
                        &mut self.received_handshake_types,
                    )?;
                }
                ContentType::ChangeCipherSpec => {
                    let version = self.cs.version;
                    self.cs.observed.push(|| Observed::Message {
                        sent: false,
                        typ,
                        version,
                        bytes: plaintext.to_vec(),
                    });
                    if plaintext != [1] {
                        return Err(PeerMisbehaved::BadChangeCipherSpec.into());
                    }
                    Self::deliver(&mut self.state, &mut self.cs, Message::ChangeCipherSpec)?;
                }
                ContentType::Alert => {
                    let version = self.cs.version;
                    self.cs.observed.push(|| Observed::Message {
                        sent: false,
                        typ,
                        version,
                        bytes: plaintext.to_vec(),
                    });
                    // RFC 8446 §5.4: an alert record with no content is unexpected_message.
                    if self.cs.is_tls13() && plaintext.is_empty() {
                        return Err(PeerMisbehaved::EmptyRecord(ContentType::Alert).into());
                    }
                    let alert = Alert::read_bytes(plaintext)?;
                    self.handle_alert(alert)?
                }
                ContentType::ApplicationData => {
                    if !self.cs.handshake_complete {
                        return Err(PeerMisbehaved::EarlyApplicationData.into());
                    }
                    if !plaintext.is_empty() {
                        self.consecutive_empty = 0;
                        self.received.push(plaintext);
                    }
                }
                ContentType::Unknown(_) => return Err(Error::Internal("deframer passed an unknown type")),
            }
            if self.cs.handshake_complete && !self.early_plaintext.is_empty() {
                let early = std::mem::take(&mut self.early_plaintext);
                self.cs.send_application_data(&early)?;
            }
        }
        Ok(())
    }

    /// Counts a skipped 0-RTT record of `len` bytes against the bound; past it,
    /// unexpected_message (RFC 8446 §4.2.10).
    fn skip_early_data(&mut self, len: usize) -> Result<(), Error> {
        let left = self.cs.early_data_skip.unwrap_or(0);
        match u32::try_from(len).ok().and_then(|l| left.checked_sub(l)) {
            Some(rest) => {
                self.cs.early_data_skip = Some(rest);
                Ok(())
            }
            None => Err(PeerMisbehaved::Tls13(
                "more early data than this server skips",
                AlertDescription::UnexpectedMessage,
            )
            .into()),
        }
    }

    fn deliver_handshake(
        joiner: &mut HandshakeJoiner,
        state: &mut Option<Box<dyn State>>,
        cs: &mut CommonState,
        seen: &mut Vec<HandshakeType>,
    ) -> Result<(), Error> {
        while let Some(encoded) = joiner.pop()? {
            let version = cs.version;
            cs.observed.push(|| Observed::Message {
                sent: false,
                typ: ContentType::Handshake,
                version,
                bytes: encoded.to_vec(),
            });
            let tls12 = cs.version.is_none_or(|v| v >= ProtocolVersion::TLSv1_2);
            let epoch = cs.record.read_epoch();
            let parsed = if cs.is_tls13() {
                HandshakeMessage::read_tls13(&mut Reader::new(encoded))
            } else {
                HandshakeMessage::read_versioned(&mut Reader::new(encoded), tls12)
            };
            let msg = match parsed {
                Ok(msg) => msg,
                // RFC 5246 §7.4: whether the message may come now is decided on its type; the
                // state says whether a bad body is a decode error or the type was unexpected.
                Err(error) => {
                    let typ = HandshakeType::from(encoded[0]);
                    seen.push(typ);
                    return Self::deliver(state, cs, Message::Malformed { typ, error });
                }
            };
            // RFC 5246 §7.4.1.1: HelloRequest is not part of the transcript and is ignored
            // while a handshake is under way.
            if cs.side == Side::Client && msg.typ() == HandshakeType::HelloRequest && !cs.handshake_complete {
                // ...but counted, so that a server cannot keep the client busy with them.
                handshake::traffic::count_renegotiation_request(cs)?;
                continue;
            }
            seen.push(msg.typ());
            Self::deliver(state, cs, Message::Handshake { msg, encoded })?;
            // RFC 8446 §5.1: a message that changed the read keys must end its record; bytes
            // after it were protected under the old keys.
            if cs.record.read_epoch() != epoch && !joiner.is_empty() {
                return Err(PeerMisbehaved::Tls13(
                    "a handshake message straddles a key change",
                    AlertDescription::UnexpectedMessage,
                )
                .into());
            }
        }
        Ok(())
    }

    fn deliver(
        state: &mut Option<Box<dyn State>>,
        cs: &mut CommonState,
        m: Message<'_>,
    ) -> Result<(), Error> {
        let current = state.take().ok_or(Error::Internal("no handshake state"))?;
        *state = Some(current.handle(cs, m)?);
        Ok(())
    }

    fn handle_alert(&mut self, alert: Alert) -> Result<(), Error> {
        match (alert.level, alert.description) {
            // RFC 8446 §6: user_canceled is followed by close_notify; every other alert is
            // fatal in TLS 1.3 whatever level it claims.
            (_, AlertDescription::UserCanceled) if self.cs.is_tls13() => Ok(()),
            (_, description) if self.cs.is_tls13() && description != AlertDescription::CloseNotify => {
                self.cs.sent_fatal_alert = true;
                Err(Error::AlertReceived(description))
            }
            (_, AlertDescription::CloseNotify) => {
                // RFC 5246 §7.2.1: close_notify ends the stream; whatever follows is ignored.
                self.peer_closed = true;
                Ok(())
            }
            (AlertLevel::Warning, _) => {
                self.consecutive_empty += 1;
                self.consecutive_warning_alerts += 1;
                if self.consecutive_empty > MAX_CONSECUTIVE_EMPTY
                    || self.consecutive_warning_alerts > MAX_CONSECUTIVE_WARNING_ALERTS
                {
                    return Err(PeerMisbehaved::TooManyEmptyRecords.into());
                }
                Ok(())
            }
            // RFC 5246 §7.2: any fatal alert ends the connection; we do not answer it.
            (_, description) => {
                self.cs.sent_fatal_alert = true;
                Err(Error::AlertReceived(description))
            }
        }
    }

    /// Starts (or stops) keeping a log of the protocol as it crosses the record layer: record
    /// headers and every handshake message, ChangeCipherSpec and alert in plaintext, in both
    /// directions, including those that travel encrypted (see [`Observed`]). Off by default.
    pub fn observe_messages(&mut self, on: bool) {
        self.cs.observed.set(on);
    }

    /// What the log holds since the last call, oldest first (empty while it is off).
    pub fn take_observed(&mut self) -> Vec<Observed> {
        self.cs.observed.take()
    }

    /// True until the handshake completes.
    pub fn is_handshaking(&self) -> bool {
        !self.cs.handshake_complete
    }

    /// Queues `payload` as one record of type `typ` under the current keys, outside the
    /// handshake state machine. Not part of the API: for tests that play a misbehaving peer.
    #[doc(hidden)]
    pub fn dangerous_send_raw_record(&mut self, typ: ContentType, payload: &[u8]) -> Result<(), Error> {
        self.cs.record.write_record(typ, self.cs.record_version, payload, &mut self.cs.sendable_tls)
    }

    /// Bytes allocated for reassembling handshake messages. Not part of the API: for tests that
    /// check a peer cannot grow it.
    #[doc(hidden)]
    pub fn handshake_buffer_capacity(&self) -> usize {
        self.joiner.capacity()
    }

    /// True when there are bytes to send to the peer.
    pub fn wants_write(&self) -> bool {
        !self.cs.sendable_tls.is_empty()
    }

    /// Appends every byte waiting to be sent to `out`; returns how many.
    pub fn take_tls(&mut self, out: &mut Vec<u8>) -> usize {
        let n = self.cs.sendable_tls.len();
        if out.is_empty() {
            std::mem::swap(out, &mut self.cs.sendable_tls);
        } else {
            out.append(&mut self.cs.sendable_tls);
        }
        n
    }

    /// The bytes waiting to be sent, without removing them (see [`Self::consume_tls`]).
    pub fn pending_tls(&self) -> &[u8] {
        &self.cs.sendable_tls
    }

    /// Removes the first `n` waiting bytes after the transport accepted them.
    pub fn consume_tls(&mut self, n: usize) {
        let n = n.min(self.cs.sendable_tls.len());
        self.cs.sendable_tls.drain(..n);
    }

    /// Queues plaintext to be sent. Before the handshake completes up to 64 KiB is held and
    /// sent once it does. Returns how many bytes were accepted.
    pub fn write_plaintext(&mut self, data: &[u8]) -> Result<usize, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.cs.sent_close_notify {
            return Err(Error::Usage("write after close_notify"));
        }
        if self.is_handshaking() {
            let n = data.len().min(MAX_EARLY_PLAINTEXT - self.early_plaintext.len());
            self.early_plaintext.extend_from_slice(&data[..n]);
            return Ok(n);
        }
        self.cs.send_application_data(data).map_err(|e| self.fail(e))?;
        Ok(data.len())
    }

    /// Copies received plaintext into `buf`. Returns 0 when none is waiting, which is also
    /// what it returns after the peer's close_notify (see [`IoState::peer_has_closed`]).
    /// When the transport ended without close_notify and nothing is left, returns
    /// [`Error::Truncated`].
    pub fn read_plaintext(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        let n = self.received.read(buf);
        if n == 0 && !buf.is_empty() {
            if let Some(e) = &self.error {
                return Err(e.clone());
            }
            if self.transport_eof && !self.peer_closed && self.deframer.is_empty() {
                return Err(Error::Truncated);
            }
        }
        Ok(n)
    }

    /// Queues a close_notify alert (RFC 5246 §7.2.1). Plaintext written before the handshake
    /// completed and not yet sent is discarded.
    pub fn send_close_notify(&mut self) {
        if self.cs.sent_close_notify || self.cs.sent_fatal_alert {
            return;
        }
        self.cs.sent_close_notify = true;
        if self.cs.send_alert(AlertLevel::Warning, AlertDescription::CloseNotify).is_err() {
            self.cs.sent_fatal_alert = true;
        }
    }

    /// Decrypted bytes waiting for [`ConnectionCommon::read_plaintext`] (what OpenSSL's
    /// `SSL_pending` and Python's `SSLSocket.pending()` report).
    pub fn plaintext_bytes_to_read(&self) -> usize {
        self.received.len()
    }

    /// True once the peer's close_notify arrived.
    pub fn peer_has_closed(&self) -> bool {
        self.peer_closed
    }

    /// The negotiated protocol version, once known.
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.cs.version
    }

    /// The negotiated TLS 1.0–1.2 cipher suite, once known; `None` under TLS 1.3 (see
    /// [`Self::negotiated_cipher_suite`]).
    pub fn cipher_suite(&self) -> Option<&'static Tls12CipherSuite> {
        self.cs.suite
    }

    /// The negotiated cipher suite of either family, once known.
    pub fn negotiated_cipher_suite(&self) -> Option<crate::crypto::SupportedCipherSuite> {
        match (self.cs.tls13_suite, self.cs.suite) {
            (Some(s), _) => Some(crate::crypto::SupportedCipherSuite::Tls13(s)),
            (None, Some(s)) => Some(crate::crypto::SupportedCipherSuite::Tls12(s)),
            (None, None) => None,
        }
    }

    /// TLS 1.3: sends a KeyUpdate (RFC 8446 §4.6.3) and moves to new write keys; with
    /// `request_peer_update` the peer is asked to update its keys too. An error before the
    /// handshake completes or under TLS 1.2.
    pub fn send_key_update(&mut self, request_peer_update: bool) -> Result<(), Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.is_handshaking() || !self.cs.is_tls13() {
            return Err(Error::Usage("KeyUpdate needs an established TLS 1.3 connection"));
        }
        let req = if request_peer_update {
            crate::msgs::tls13::KeyUpdateRequest::Requested
        } else {
            crate::msgs::tls13::KeyUpdateRequest::NotRequested
        };
        handshake::tls13::send_key_update(&mut self.cs, req).map_err(|e| self.fail(e))
    }

    /// TLS 1.3: KeyUpdates `(sent, received)` so far.
    pub fn key_updates(&self) -> (u64, u64) {
        self.cs.tls13.as_ref().map_or((0, 0), |t| (t.updates_sent, t.updates_received))
    }

    /// The ECDHE group of the handshake (RFC 8422), e.g. `NamedGroup::X25519`; `None` with RSA
    /// key exchange, before ServerKeyExchange, and for resumed sessions (no key exchange).
    pub fn negotiated_group(&self) -> Option<crate::enums::NamedGroup> {
        self.cs.kx_group
    }

    /// The TLS 1.2 signature scheme the peer signed with: a server's ServerKeyExchange (on a
    /// client), a client's CertificateVerify (on a server). `None` when the peer signed
    /// nothing, or signed in TLS 1.0/1.1, where no scheme is named.
    pub fn peer_signature_scheme(&self) -> Option<crate::enums::SignatureScheme> {
        self.cs.peer_signature_scheme
    }

    /// The TLS 1.2 signature scheme this side signed with (a server's ServerKeyExchange, a
    /// client's CertificateVerify); `None` when it signed nothing or in TLS 1.0/1.1.
    pub fn signature_scheme(&self) -> Option<crate::enums::SignatureScheme> {
        self.cs.signature_scheme
    }

    /// The peer's certificate chain as it sent it (leaf first), once received and verified. On a
    /// server this is the client's chain (empty when the client sent none).
    pub fn peer_certificates(&self) -> &[CertificateDer<'static>] {
        &self.cs.peer_certificates
    }

    /// Whether the peer signalled secure renegotiation (RFC 5746). A server serves clients that
    /// do not (it never renegotiates); a client requires it outside the legacy profile.
    pub fn secure_renegotiation(&self) -> bool {
        self.cs.secure_renegotiation
    }

    /// Whether extended master secret (RFC 7627) is in use.
    pub fn extended_master_secret(&self) -> bool {
        self.cs.extended_master_secret
    }

    /// Whether encrypt-then-MAC (RFC 7366) is in use.
    pub fn encrypt_then_mac(&self) -> bool {
        self.cs.encrypt_then_mac
    }

    /// The application protocol agreed with ALPN (RFC 7301), once the ServerHello is sent or
    /// received; `None` when either side did not do ALPN. Agreed in the initial handshake only.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.cs.alpn_protocol.as_deref()
    }

    /// The first error, if the connection has failed.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// True when the handshake resumed a session (RFC 5246 §7.3 abbreviated handshake), by
    /// session ID or by ticket.
    pub fn session_resumed(&self) -> bool {
        self.cs.sessions.resumed
    }

    /// True when the handshake resumed a session from a ticket (RFC 5077 §3.4). On a client
    /// that offered a ticket and a session ID the server assigned, a server that resumed by
    /// ID counts as well: the two are indistinguishable on the wire.
    pub fn session_resumed_by_ticket(&self) -> bool {
        self.cs.sessions.resumed && self.cs.sessions.resumed_by_ticket
    }

    /// The session this connection established or resumed, once the handshake completed and
    /// only when the peer allows resumption (the server sent a session ID) and the connection
    /// has not failed: a connection ended by a fatal alert leaves no resumable session (RFC 5246
    /// §7.2.2). A client offers it again with [`ClientConnection::new_resuming`].
    pub fn session(&self) -> Option<crate::session::Tls12Session> {
        if self.error.is_some() {
            return None;
        }
        self.cs.sessions.current.clone()
    }

    /// On a TLS 1.3 client, the newest ticket the server sent after the handshake (RFC 8446
    /// §4.6.1) that no connection has offered yet, as a session a later connection offers with
    /// [`ClientConnection::new_resuming_tls13`] or saves with [`crate::session::Tls13Session::to_bytes`].
    /// Tickets arrive after the handshake, so this is `None` until the records carrying them
    /// were read (with the first application data, typically), when the server sent none, and
    /// after a fatal alert.
    ///
    /// A client offers each ticket once (RFC 8446 §C.4), so the ticket returned is taken: the
    /// configuration's session store no longer offers it, and only the first connection given
    /// it (or a clone) offers it. Asked again, this returns the same ticket until a connection
    /// has offered it, then the next newest of those kept (the last
    /// [`crate::session::TLS13_TICKETS_PER_NAME`]), then `None`.
    pub fn tls13_session(&self) -> Option<crate::session::Tls13Session> {
        if self.error.is_some() {
            return None;
        }
        self.cs.sessions.hand_out_tls13_ticket()
    }

    /// Derives `out.len()` bytes of keying material bound to this connection (RFC 5705 in TLS
    /// 1.0–1.2; RFC 8446 §7.5 in TLS 1.3), as the peer derives it from the same `label` and
    /// `context`. In TLS 1.2 `None` and `Some(b"")` give different results (the latter carries
    /// a zero length). Only after the handshake completed and while the connection has not
    /// failed; a label starting with a TLS PRF label ("client finished", "master secret", ...)
    /// or a context over 65535 bytes is refused.
    pub fn export_keying_material_into(
        &self,
        label: &[u8],
        context: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<(), Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        match (&self.cs.exporter, self.cs.handshake_complete) {
            (Some(exporter), true) => exporter.export(label, context, out),
            _ => Err(Error::Usage("keying material can be exported only after the handshake completed")),
        }
    }

    /// [`Self::export_keying_material_into`] a new buffer of `len` bytes.
    pub fn export_keying_material(
        &self,
        label: &[u8],
        context: Option<&[u8]>,
        len: usize,
    ) -> Result<Vec<u8>, Error> {
        let mut out = vec![0u8; len];
        self.export_keying_material_into(label, context, &mut out)?;
        Ok(out)
    }

    /// Handshake message types received so far, in order.
    pub fn received_handshake_types(&self) -> &[HandshakeType] {
        &self.received_handshake_types
    }
}

/// A client connection.
#[derive(Debug)]
pub struct ClientConnection {
    inner: ConnectionCommon,
}

impl ClientConnection {
    /// Starts a handshake with `server_name` (checked against the server certificate and, for
    /// DNS names, sent as SNI). The ClientHello is queued at once. When the configuration's
    /// session store holds a session for the name that may still be offered, the client
    /// offers it (by ticket or session ID).
    pub fn new(config: Arc<ClientConfig>, server_name: ServerName<'static>) -> Result<Self, Error> {
        Self::start(config, server_name, None, false)
    }

    /// Like [`Self::new`], offering the TLS 1.3 ticket `session` (from
    /// [`ConnectionCommon::tls13_session`] or [`ClientConfig::import_tls13_session`]) in place of
    /// one from the configuration's store (RFC 8446 §4.2.11). It is offered only to the name it
    /// was made for, under the configuration that verified it, within its lifetime, when a
    /// TLS 1.3 suite of its hash is allowed and when no connection has offered it before (RFC
    /// 8446 §C.4; [`crate::session::Tls13Session::was_offered`]); otherwise, or when the server
    /// declines, the handshake is a full one.
    pub fn new_resuming_tls13(
        config: Arc<ClientConfig>,
        server_name: ServerName<'static>,
        session: crate::session::Tls13Session,
    ) -> Result<Self, Error> {
        let mut cs = CommonState::new(Side::Client);
        let state = handshake::client::start(config, server_name, None, Some(session), &mut cs)?;
        Ok(Self { inner: ConnectionCommon::new(cs, state) })
    }

    /// Like [`Self::new`], offering to resume `session` (from [`ConnectionCommon::session`] of an
    /// earlier connection) with an abbreviated handshake (RFC 5246 §7.3). The session is offered
    /// only to the name it was made with and when `config` still allows its version and suite;
    /// otherwise, or when the server declines, the handshake is a full one.
    /// [`ConnectionCommon::session_resumed`] tells which happened.
    pub fn new_resuming(
        config: Arc<ClientConfig>,
        server_name: ServerName<'static>,
        session: crate::session::Tls12Session,
    ) -> Result<Self, Error> {
        Self::start(config, server_name, Some(session), false)
    }

    /// [`Self::new`] (or, given `session`, [`Self::new_resuming`]) with the message log
    /// ([`ConnectionCommon::observe_messages`]) on from the start, so that it holds the
    /// ClientHello queued at once.
    pub fn new_observed(
        config: Arc<ClientConfig>,
        server_name: ServerName<'static>,
        session: Option<crate::session::Tls12Session>,
    ) -> Result<Self, Error> {
        Self::start(config, server_name, session, true)
    }

    fn start(
        config: Arc<ClientConfig>,
        server_name: ServerName<'static>,
        session: Option<crate::session::Tls12Session>,
        observe: bool,
    ) -> Result<Self, Error> {
        let mut cs = CommonState::new(Side::Client);
        cs.observed.set(observe);
        let offer = match session {
            Some(s) => handshake::resumption::offerable(&config, &server_name, &s).then_some(s),
            // The configuration's store offers the session of this server name, if it may.
            None => handshake::resumption::stored_session(&config, &server_name),
        };
        let state = handshake::client::start(config, server_name, offer, None, &mut cs)?;
        Ok(Self { inner: ConnectionCommon::new(cs, state) })
    }

    /// True when the server asked for a certificate and this client sent one.
    pub fn client_certificate_sent(&self) -> bool {
        self.inner.cs.client_certificate_sent
    }
}

/// A server connection.
#[derive(Debug)]
pub struct ServerConnection {
    inner: ConnectionCommon,
}

impl ServerConnection {
    /// A connection waiting for a ClientHello.
    pub fn new(config: Arc<ServerConfig>) -> Result<Self, Error> {
        let cs = CommonState::new(Side::Server);
        Ok(Self { inner: ConnectionCommon::new(cs, handshake::server::start(config)) })
    }

    /// The host name the client asked for with SNI, if any.
    pub fn server_name(&self) -> Option<&str> {
        self.inner.cs.server_name.as_deref()
    }
}

macro_rules! deref_to_common {
    ($t:ty) => {
        impl Deref for $t {
            type Target = ConnectionCommon;
            fn deref(&self) -> &ConnectionCommon {
                &self.inner
            }
        }
        impl DerefMut for $t {
            fn deref_mut(&mut self) -> &mut ConnectionCommon {
                &mut self.inner
            }
        }
    };
}
deref_to_common!(ClientConnection);
deref_to_common!(ServerConnection);

/// Either side, for code that serves both.
#[derive(Debug)]
pub enum Connection {
    /// A client.
    Client(ClientConnection),
    /// A server.
    Server(ServerConnection),
}

impl Deref for Connection {
    type Target = ConnectionCommon;
    fn deref(&self) -> &ConnectionCommon {
        match self {
            Self::Client(c) => c,
            Self::Server(s) => s,
        }
    }
}

impl DerefMut for Connection {
    fn deref_mut(&mut self) -> &mut ConnectionCommon {
        match self {
            Self::Client(c) => c,
            Self::Server(s) => s,
        }
    }
}
