//! The end of every TLS 1.2 handshake, full or abbreviated: checking the peer's Finished and
//! sending ChangeCipherSpec + our own (RFC 5246 §7.1, §7.4.9). Written once so both sides and
//! both handshake shapes switch keys and compare verify_data the same way.

use super::{CommonState, ConnectionSecrets, Side, Transcript};
use crate::crypto::{CryptoProvider, MessageEncrypter};
use crate::error::{Error, PeerMisbehaved};
use crate::msgs::enums::ProtocolVersion;
use crate::msgs::finished::Finished;
use crate::msgs::handshake::{HandshakeMessage, HandshakePayload};
use subtle::ConstantTimeEq;

/// Checks `finished`, sent by `peer`, against the transcript so far. RFC 5246 §7.4.9: a wrong
/// verify_data is decrypt_error; the comparison is constant-time so a forger learns nothing
/// from how long it took.
pub(super) fn check_peer_finished(
    secrets: &ConnectionSecrets,
    provider: &CryptoProvider,
    transcript: &mut Transcript,
    peer: Side,
    finished: &Finished,
) -> Result<(), Error> {
    let hash = transcript.hash(provider, secrets.version, secrets.suite)?;
    let expected = secrets.verify_data(peer, &hash);
    if !bool::from(expected.ct_eq(&finished.verify_data)) {
        return Err(PeerMisbehaved::IncorrectFinished.into());
    }
    Ok(())
}

/// Sends ChangeCipherSpec, switches our writes to `encrypter`, and sends our Finished over the
/// transcript so far. `transcript_continues`: the peer's Finished comes after ours and covers
/// it (the client in a full handshake, the server in an abbreviated one), so ours is added.
pub(super) fn send_change_cipher_spec_and_finished(
    cs: &mut CommonState,
    encrypter: Box<dyn MessageEncrypter>,
    secrets: &ConnectionSecrets,
    provider: &CryptoProvider,
    transcript: &mut Transcript,
    us: Side,
    transcript_continues: bool,
) -> Result<(), Error> {
    cs.send_change_cipher_spec()?;
    cs.record.set_encrypter(encrypter);
    // Every TLS 1.2 handshake shape passes here once its keys are agreed; the exporter is
    // answered only after the handshake completes (`ConnectionCommon::export_keying_material`).
    cs.exporter = Some(Box::new(secrets.exporter()));
    // RFC 2246 §6.2.3.2 / BEAST: TLS 1.0 CBC needs 1/n-1 splitting of application data.
    cs.fragmenter.one_n_minus_one = secrets.version == ProtocolVersion::TLSv1_0 && secrets.suite.is_cbc();
    let hash = transcript.hash(provider, secrets.version, secrets.suite)?;
    let ours = Finished { verify_data: secrets.verify_data(us, &hash) };
    let msg = HandshakeMessage { payload: HandshakePayload::Finished(ours) };
    cs.send_handshake(&msg, if transcript_continues { Some(transcript) } else { None })
}
