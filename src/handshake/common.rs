//! The part of a connection's state that handshake states read and write: negotiated
//! parameters, record protection and the outgoing byte queue.

use super::observe::{MessageLog, Observed};
use super::resumption::SessionState;
use super::{Side, Transcript};
use crate::codec::Codec;
use crate::crypto::Tls12CipherSuite;
use crate::error::Error;
use crate::msgs::alert::Alert;
use crate::msgs::enums::{
    AlertDescription, AlertLevel, ContentType, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::msgs::handshake::HandshakeMessage;
use crate::record::{Fragmenter, RecordLayer, MAX_PLAINTEXT_LEN};
use crate::x509::CertificateDer;

/// The first allocation for an encoded handshake message: a ClientHello with a ticket, a
/// ServerHello and the messages of a resumed handshake fit.
pub(crate) const ENCODE_CAPACITY: usize = 1024;

/// Negotiated parameters and the outgoing side of the record layer.
#[derive(Debug)]
pub(crate) struct CommonState {
    pub(crate) side: Side,
    pub(crate) record: RecordLayer,
    /// Version written in outgoing record headers: TLS 1.0 until the version is agreed, which
    /// is what the widest range of servers accepts for a ClientHello (RFC 5246 Appendix E.1).
    pub(crate) record_version: ProtocolVersion,
    pub(crate) version: Option<ProtocolVersion>,
    pub(crate) suite: Option<&'static Tls12CipherSuite>,
    pub(crate) extended_master_secret: bool,
    pub(crate) encrypt_then_mac: bool,
    /// The ECDHE group of the full handshake (RFC 8422 §5.4); `None` for RSA key exchange and
    /// resumed sessions.
    pub(crate) kx_group: Option<NamedGroup>,
    /// The scheme the peer signed with: the server's ServerKeyExchange on a client, the
    /// client's CertificateVerify on a server (TLS 1.2; TLS 1.0/1.1 signatures have none).
    pub(crate) peer_signature_scheme: Option<SignatureScheme>,
    /// The scheme this side signed with (ServerKeyExchange, or CertificateVerify).
    pub(crate) signature_scheme: Option<SignatureScheme>,
    pub(crate) peer_certificates: Vec<CertificateDer<'static>>,
    pub(crate) server_name: Option<String>,
    /// The application protocol agreed with ALPN (RFC 7301), if any.
    pub(crate) alpn_protocol: Option<Vec<u8>>,
    pub(crate) handshake_complete: bool,
    /// The peer signalled secure renegotiation (RFC 5746: the extension or, from a client, the
    /// SCSV).
    pub(crate) secure_renegotiation: bool,
    /// The client answered a CertificateRequest with a non-empty chain.
    pub(crate) client_certificate_sent: bool,
    /// Session resumption (RFC 5246 §7.3), kept apart in `handshake::resumption`.
    pub(crate) sessions: SessionState,
    pub(crate) fragmenter: Fragmenter,
    /// Bytes waiting to be sent to the peer.
    pub(crate) sendable_tls: Vec<u8>,
    pub(crate) sent_close_notify: bool,
    pub(crate) sent_fatal_alert: bool,
    /// HelloRequests and post-handshake ClientHellos ignored or refused so far
    /// (`traffic::MAX_REFUSED_RENEGOTIATIONS`).
    pub(crate) renegotiation_requests: u32,
    /// TLS 1.3: the suite and the current application traffic secrets, for KeyUpdate in both
    /// directions (`handshake::tls13`). `None` before the 1.3 handshake ends and under 1.2.
    pub(crate) tls13: Option<super::tls13::Tls13Traffic>,
    /// TLS 1.3: the negotiated suite (the 1.2 one is `suite`).
    pub(crate) tls13_suite: Option<&'static crate::crypto::Tls13CipherSuite>,
    /// On a TLS 1.3 server whose client sent early_data (which we never accept): how many
    /// more bytes of 0-RTT records may still be skipped (RFC 8446 §4.2.10). `None` otherwise,
    /// and from the first record that opens under the handshake key.
    pub(crate) early_data_skip: Option<u32>,
    /// Exported keying material (RFC 5705, RFC 8446 §7.5), set when the keys are agreed.
    pub(crate) exporter: Option<Box<dyn super::exporter::KeyingMaterialExporter>>,
    /// What went by, for an observer that asked (`ConnectionCommon::observe_messages`).
    pub(crate) observed: MessageLog,
}

impl CommonState {
    pub(crate) fn new(side: Side) -> Self {
        Self {
            side,
            record: RecordLayer::default(),
            record_version: ProtocolVersion::TLSv1_0,
            version: None,
            suite: None,
            extended_master_secret: false,
            encrypt_then_mac: false,
            kx_group: None,
            peer_signature_scheme: None,
            signature_scheme: None,
            peer_certificates: Vec::new(),
            server_name: None,
            alpn_protocol: None,
            handshake_complete: false,
            secure_renegotiation: false,
            client_certificate_sent: false,
            sessions: SessionState::default(),
            fragmenter: Fragmenter::default(),
            sendable_tls: Vec::new(),
            tls13: None,
            tls13_suite: None,
            sent_close_notify: false,
            sent_fatal_alert: false,
            renegotiation_requests: 0,
            early_data_skip: None,
            exporter: None,
            observed: MessageLog::default(),
        }
    }

    /// Encodes `msg`, adds it to `transcript`, and queues it in as many records as it needs.
    pub(crate) fn send_handshake(
        &mut self,
        msg: &HandshakeMessage,
        transcript: Option<&mut Transcript>,
    ) -> Result<(), Error> {
        // Most handshake messages fit the first allocation (growing a Vec from empty took
        // seven reallocations for a ClientHello).
        let mut encoded = Vec::with_capacity(ENCODE_CAPACITY);
        msg.encode(&mut encoded);
        if let Some(t) = transcript {
            t.add(&encoded);
        }
        for chunk in encoded.chunks(MAX_PLAINTEXT_LEN) {
            self.write_record(ContentType::Handshake, chunk)?;
        }
        self.observe_sent(ContentType::Handshake, &encoded);
        Ok(())
    }

    /// Queues a ChangeCipherSpec record (RFC 5246 §7.1: a single byte of value 1).
    pub(crate) fn send_change_cipher_spec(&mut self) -> Result<(), Error> {
        self.write_record(ContentType::ChangeCipherSpec, &[1])?;
        self.observe_sent(ContentType::ChangeCipherSpec, &[1]);
        Ok(())
    }

    /// Queues one record, logging its header (and, under TLS 1.3 protection, its real type).
    fn write_record(&mut self, typ: ContentType, plaintext: &[u8]) -> Result<(), Error> {
        let start = self.sendable_tls.len();
        self.record.write_record(typ, self.record_version, plaintext, &mut self.sendable_tls)?;
        if self.observed.is_on() {
            let mut header = [0; 5];
            header.copy_from_slice(&self.sendable_tls[start..start + 5]);
            let inner = self.is_tls13() && self.record.is_writing_encrypted();
            self.observed.push(|| Observed::RecordHeader { sent: true, header });
            if inner {
                self.observed.push(|| Observed::InnerContentType { sent: true, typ });
            }
        }
        Ok(())
    }

    /// Logs a message just queued.
    fn observe_sent(&mut self, typ: ContentType, bytes: &[u8]) {
        let version = self.version;
        self.observed.push(|| Observed::Message { sent: true, typ, version, bytes: bytes.to_vec() });
    }

    /// Queues an alert.
    pub(crate) fn send_alert(
        &mut self,
        level: AlertLevel,
        description: AlertDescription,
    ) -> Result<(), Error> {
        let alert = Alert { level, description }.encoding();
        self.write_record(ContentType::Alert, &alert)?;
        self.observe_sent(ContentType::Alert, &alert);
        Ok(())
    }

    /// True once TLS 1.3 is the negotiated version.
    pub(crate) fn is_tls13(&self) -> bool {
        self.version == Some(ProtocolVersion::TLSv1_3)
    }

    /// Queues application data, split into records per the fragmenter.
    pub(crate) fn send_application_data(&mut self, data: &[u8]) -> Result<(), Error> {
        // RFC 8446 §5.5: rekey before the AEAD's confidentiality limit, not at it.
        super::tls13::rekey_if_due(self)?;
        let mut result = Ok(());
        let fragmenter = self.fragmenter;
        fragmenter.split(data, |chunk| {
            if result.is_ok() {
                result = self.write_record(ContentType::ApplicationData, chunk);
            }
        });
        result
    }
}
