//! What both sides of a TLS 1.3 connection share (RFC 8446): installing traffic keys, the
//! Finished check, and the traffic state that owns KeyUpdate (§4.6.3) and the post-handshake
//! messages. The handshakes themselves are `client/tls13.rs` and `server/tls13.rs`.

use super::{unexpected, CommonState, Message, Side, State};
use crate::codec::InvalidMessage;
use crate::crypto::{HashOutput, MessageDecrypter, MessageEncrypter, Tls13CipherSuite};
use crate::error::{Error, PeerMisbehaved};
use crate::key_schedule::tls13::{finished_verify_data, next_traffic_secret, traffic_key};
use crate::msgs::enums::{AlertDescription, HandshakeType};
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use crate::msgs::tls13::{KeyUpdateRequest, Tls13Message};
use subtle::ConstantTimeEq;

/// Records written under one key before we send a KeyUpdate of our own: well below every
/// AEAD's confidentiality limit (RFC 8446 §5.5), so the limit itself is never reached.
const REKEY_MARGIN: u64 = 1 << 16;

/// The record encrypter for `secret` (RFC 8446 §7.3).
pub(crate) fn encrypter(suite: &Tls13CipherSuite, secret: &HashOutput) -> Box<dyn MessageEncrypter> {
    let k = traffic_key(suite.hkdf, secret.as_ref(), suite.aead.key_len());
    suite.aead.encrypter(&k.key, &k.iv)
}

/// The record decrypter for `secret`.
pub(crate) fn decrypter(suite: &Tls13CipherSuite, secret: &HashOutput) -> Box<dyn MessageDecrypter> {
    let k = traffic_key(suite.hkdf, secret.as_ref(), suite.aead.key_len());
    suite.aead.decrypter(&k.key, &k.iv)
}

/// Checks the peer's Finished (RFC 8446 §4.4.4) in constant time: decrypt_error when wrong,
/// decode_error when it is not Hash.length bytes long (the struct cannot be read).
pub(crate) fn check_finished(
    suite: &Tls13CipherSuite,
    base_key: &HashOutput,
    transcript_hash: &HashOutput,
    received: &[u8],
) -> Result<(), Error> {
    let expected = finished_verify_data(suite.hkdf, base_key.as_ref(), transcript_hash.as_ref());
    if received.len() != expected.as_ref().len() {
        return Err(InvalidMessage::InvalidValue("Finished verify_data of the wrong length").into());
    }
    if !bool::from(expected.as_ref().ct_eq(received)) {
        return Err(PeerMisbehaved::IncorrectFinished.into());
    }
    Ok(())
}

/// Our Finished message (RFC 8446 §4.4.4).
pub(crate) fn finished_message(
    suite: &Tls13CipherSuite,
    base_key: &HashOutput,
    transcript_hash: &HashOutput,
) -> HandshakeMessage {
    let v = finished_verify_data(suite.hkdf, base_key.as_ref(), transcript_hash.as_ref());
    HandshakeMessage { payload: HandshakePayload::Tls13(Tls13Message::Finished(v.as_ref().to_vec())) }
}

/// RFC 8446 §7.5 exporter over `exporter_master_secret`.
pub(crate) struct Tls13Exporter {
    pub(crate) suite: &'static Tls13CipherSuite,
    pub(crate) secret: HashOutput,
}

impl core::fmt::Debug for Tls13Exporter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never the secret.
        f.debug_struct("Tls13Exporter").field("suite", &self.suite).finish_non_exhaustive()
    }
}

impl super::exporter::KeyingMaterialExporter for Tls13Exporter {
    fn export(&self, label: &[u8], context: Option<&[u8]>, out: &mut [u8]) -> Result<(), Error> {
        // The HkdfLabel holds "tls13 " ‖ label in 255 bytes; the output length fits a u16.
        if label.len() > 249 {
            return Err(Error::Usage("exporter label is longer than 249 bytes (RFC 8446 §7.1)"));
        }
        if out.len() > 255 * self.suite.hkdf.hash_algorithm().output_len() {
            return Err(Error::Usage("exporter output is longer than 255 hash blocks (RFC 5869)"));
        }
        crate::key_schedule::tls13::export_keying_material(
            self.suite.schedule_hash(),
            self.secret.as_ref(),
            label,
            context.unwrap_or(&[]),
            out,
        );
        Ok(())
    }
}

/// Hands the 1.3 secrets to the configuration's key log (NSS labels).
pub(crate) fn log_secrets(
    key_log: &dyn crate::config::KeyLog,
    client_random: &[u8; 32],
    secrets: &[(&str, &HashOutput)],
) {
    for (label, secret) in secrets {
        crate::config::key_log::log_secret(key_log, label, client_random, secret.as_ref());
    }
}

/// RFC 8446 §4.1.3: a server that could speak TLS 1.3 but negotiates `version` below it
/// ends ServerHello.random with the downgrade sentinel, which 1.3-capable clients check.
pub(crate) fn mark_downgrade(
    policy: &crate::config::ProtocolPolicy,
    version: crate::msgs::enums::ProtocolVersion,
    random: &mut [u8; 32],
) {
    use crate::msgs::enums::ProtocolVersion as V;
    if policy.max_version >= V::TLSv1_3 && version < V::TLSv1_3 {
        let tail = if version == V::TLSv1_2 {
            crate::msgs::tls13::DOWNGRADE_TLS12
        } else {
            crate::msgs::tls13::DOWNGRADE_TLS11
        };
        random[24..].copy_from_slice(&tail);
    }
}

/// The application traffic secrets of an established TLS 1.3 connection, kept for KeyUpdate,
/// and the exporter secret (RFC 8446 §7.5).
pub(crate) struct Tls13Traffic {
    pub(crate) suite: &'static Tls13CipherSuite,
    pub(crate) write_secret: HashOutput,
    pub(crate) read_secret: HashOutput,
    /// KeyUpdates we sent (for tests and the C API's key-update counters).
    pub(crate) updates_sent: u64,
    /// KeyUpdates the peer sent.
    pub(crate) updates_received: u64,
}

impl core::fmt::Debug for Tls13Traffic {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tls13Traffic").field("suite", &self.suite).finish_non_exhaustive()
    }
}

/// Sends a KeyUpdate (RFC 8446 §4.6.3) under the current key, then moves our write key to the
/// next generation. `request` asks the peer to update its own keys too.
pub(crate) fn send_key_update(cs: &mut CommonState, request: KeyUpdateRequest) -> Result<(), Error> {
    let Some(t) = cs.tls13.as_mut() else {
        return Err(Error::Usage("KeyUpdate needs an established TLS 1.3 connection"));
    };
    let next = next_traffic_secret(t.suite.hkdf, t.write_secret.as_ref());
    let enc = encrypter(t.suite, &next);
    t.write_secret = next;
    t.updates_sent += 1;
    let msg = HandshakeMessage { payload: HandshakePayload::Tls13(Tls13Message::KeyUpdate(request)) };
    cs.send_handshake(&msg, None)?;
    cs.record.set_encrypter(enc);
    Ok(())
}

/// Sends a KeyUpdate of our own when the write key nears its AEAD limit (RFC 8446 §5.5).
pub(crate) fn rekey_if_due(cs: &mut CommonState) -> Result<(), Error> {
    let due = match &cs.tls13 {
        Some(t) => cs.record.write_seq() >= t.suite.aead.confidentiality_limit().saturating_sub(REKEY_MARGIN),
        None => false,
    };
    if due {
        send_key_update(cs, KeyUpdateRequest::NotRequested)?;
    }
    Ok(())
}

/// TLS 1.3 after the handshake: application data flows; KeyUpdate and NewSessionTicket may
/// arrive. Post-handshake client authentication is not offered (no post_handshake_auth in our
/// ClientHello), so a CertificateRequest now is unexpected_message (RFC 8446 §4.6.2).
pub(crate) struct ExpectTraffic13 {
    /// On a client, where NewSessionTickets go (`None` on a server).
    pub(crate) tickets: Option<Box<super::resumption13::TicketSink>>,
}

impl State for ExpectTraffic13 {
    fn handle(self: Box<Self>, cs: &mut CommonState, m: Message<'_>) -> Result<Box<dyn State>, Error> {
        let msg = match &m {
            Message::Handshake { msg: HandshakeMessage { payload: HandshakePayload::Tls13(t) }, .. } => t,
            // RFC 8446 §4.6.3: a request_update other than 0 or 1 is illegal_parameter (a
            // KeyUpdate of the wrong length stays a decode_error).
            Message::Malformed { typ: HandshakeType::KeyUpdate, error: InvalidMessage::InvalidValue(_) } => {
                return Err(PeerMisbehaved::Tls13(
                    "a KeyUpdate whose request_update is neither 0 nor 1",
                    AlertDescription::IllegalParameter,
                )
                .into())
            }
            _ => return Err(unexpected("KeyUpdate", &m)),
        };
        match msg {
            Tls13Message::KeyUpdate(request) => {
                let Some(t) = cs.tls13.as_mut() else {
                    return Err(Error::Internal("TLS 1.3 traffic without its secrets"));
                };
                let next = next_traffic_secret(t.suite.hkdf, t.read_secret.as_ref());
                cs.record.set_decrypter(decrypter(t.suite, &next));
                t.read_secret = next;
                t.updates_received += 1;
                // RFC 8446 §4.6.3: answer update_requested with update_not_requested (one
                // answer may cover several requests; we answer each, which is allowed).
                if *request == KeyUpdateRequest::Requested && !cs.sent_close_notify {
                    send_key_update(cs, KeyUpdateRequest::NotRequested)?;
                }
                Ok(self)
            }
            // RFC 8446 §4.6.1: kept in the configuration's session store for a later
            // connection; the connection remembers the newest for export.
            Tls13Message::NewSessionTicket(nst) if cs.side == Side::Client => {
                if let Some(sink) = &self.tickets {
                    if let Some(ticket) = sink.receive(nst)? {
                        cs.sessions.keep_tls13_ticket(ticket);
                    }
                }
                Ok(self)
            }
            Tls13Message::CertificateRequest(_) if cs.side == Side::Client => Err(PeerMisbehaved::Tls13(
                "the server asked for post-handshake authentication, which the client did not offer",
                AlertDescription::UnexpectedMessage,
            )
            .into()),
            _ => Err(unexpected("KeyUpdate", &m)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// test-tls13-finished: a Finished of the wrong length got decrypt_error; it cannot be read
    /// as the struct of RFC 8446 §4.4.4 (Hash.length bytes), so it is decode_error. A Finished
    /// of the right length with the wrong bytes stays decrypt_error.
    #[test]
    fn a_finished_of_the_wrong_length_is_decode_error() {
        let suite = crate::config::default_provider().tls13_cipher_suites[0];
        // A finished key and transcript hash are HashLen bytes (RFC 8446 §4.4.4); RustCrypto's
        // HKDF refuses a shorter key, as SHA-384 suites would get from a fixed 32.
        let n = suite.common.hash.output_len();
        let (key, th) = (HashOutput::new(&[1; 64][..n]), HashOutput::new(&[2; 64][..n]));
        let good = finished_verify_data(suite.hkdf, key.as_ref(), th.as_ref());
        let good = good.as_ref();
        assert_eq!(check_finished(suite, &key, &th, good), Ok(()));
        let mut wrong = good.to_vec();
        wrong[0] ^= 1;
        let err = check_finished(suite, &key, &th, &wrong).unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::DecryptError));
        for received in [&good[..good.len() - 1], &[good, &[0][..]].concat()[..], &[][..]] {
            let err = check_finished(suite, &key, &th, received).unwrap_err();
            assert_eq!(err.alert(), Some(AlertDescription::DecodeError), "{} bytes", received.len());
        }
    }
}
