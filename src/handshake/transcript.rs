//! The handshake transcript (RFC 5246 §7.4.9 `handshake_messages`).

use crate::crypto::{CryptoProvider, Hash, HashAlgorithm, HashContext, HashOutput, Tls12CipherSuite};
use crate::error::Error;
use crate::msgs::enums::ProtocolVersion;

/// Every handshake message sent and received so far, as encoded.
///
/// The hash is not known until ServerHello picks the suite and version, and TLS 1.0/1.1 need
/// two hashes at once (MD5 and SHA-1), so the messages are kept and hashed when a value is
/// needed. A TLS 1.2/1.3 handshake asks for the hash of a growing transcript two to five times
/// per side; the context of the last one is kept (`running`), so each later value hashes only
/// the messages added since instead of the whole transcript again.
#[derive(Default)]
pub(crate) struct Transcript {
    messages: Vec<u8>,
    running: Option<Running>,
}

/// A hash context over `messages[..upto]`.
struct Running {
    alg: HashAlgorithm,
    ctx: Box<dyn HashContext>,
    upto: usize,
}

impl Clone for Transcript {
    /// The messages; the running hash (not clonable) starts again on the copy's first value.
    fn clone(&self) -> Self {
        Self { messages: self.messages.clone(), running: None }
    }
}

impl core::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Transcript").field("messages", &self.messages.len()).finish_non_exhaustive()
    }
}

impl Transcript {
    pub(crate) fn add(&mut self, encoded: &[u8]) {
        // One allocation for the messages of a resumed handshake (the Vec grew from the first
        // message's exact size otherwise); a full handshake's certificates grow it further.
        if self.messages.capacity() == 0 {
            self.messages.reserve(encoded.len().max(super::common::ENCODE_CAPACITY));
        }
        self.messages.extend_from_slice(encoded);
    }

    /// The handshake hash: MD5 ‖ SHA-1 for TLS 1.0/1.1 (RFC 2246 §7.4.9), the suite's PRF hash
    /// for TLS 1.2 (RFC 5246 §7.4.9). Also the session_hash of RFC 7627 §3.
    pub(crate) fn hash(
        &mut self,
        provider: &CryptoProvider,
        version: ProtocolVersion,
        suite: &Tls12CipherSuite,
    ) -> Result<Vec<u8>, Error> {
        if version >= ProtocolVersion::TLSv1_2 {
            let h = (provider.hash)(suite.hash).ok_or(Error::Internal("hash missing from provider"))?;
            return Ok(self.hash_with(h).as_ref().to_vec());
        }
        let hash = |alg| {
            (provider.hash)(alg)
                .map(|h| h.hash(&self.messages))
                .ok_or(Error::Internal("hash missing from provider"))
        };
        // TLS 1.0/1.1: two hashes at once, each over the whole transcript.
        let mut out = hash(HashAlgorithm::Md5)?.as_ref().to_vec();
        out.extend_from_slice(hash(HashAlgorithm::Sha1)?.as_ref());
        Ok(out)
    }

    /// `Transcript-Hash` of TLS 1.3 (RFC 8446 §4.4.1) with the suite's hash: the hash is
    /// chosen by the algorithm, not by a TLS 1.2 suite.
    pub(crate) fn hash_with(&mut self, hash: &dyn Hash) -> HashOutput {
        let alg = hash.algorithm();
        let running = match &mut self.running {
            Some(r) if r.alg == alg && r.upto <= self.messages.len() => r,
            slot => slot.insert(Running { alg, ctx: hash.start(), upto: 0 }),
        };
        running.ctx.update(&self.messages[running.upto..]);
        running.upto = self.messages.len();
        running.ctx.fork_finish()
    }

    /// RFC 8446 §4.4.1: after a HelloRetryRequest, the first ClientHello (everything so far)
    /// is replaced by the synthetic `message_hash` message: `254 ‖ 00 00 ‖ Hash.length ‖
    /// Hash(ClientHello1)`. The HelloRetryRequest and what follows are then added as usual.
    pub(crate) fn rewrite_for_hello_retry(&mut self, hash: &dyn Hash) {
        let digest = hash.hash(&self.messages);
        let len = digest.as_ref().len() as u8;
        self.running = None;
        self.messages.clear();
        self.messages.extend_from_slice(&[254, 0, 0, len]);
        self.messages.extend_from_slice(digest.as_ref());
    }

    /// The messages themselves (CertificateVerify in TLS 1.2 signs them directly).
    pub(crate) fn messages(&self) -> &[u8] {
        &self.messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hash::{SHA256, SHA384};

    #[test]
    fn running_hash_is_the_hash_of_everything_so_far() {
        // Values asked for at every step, with the algorithm switched midway and a clone taken
        // (whose running hash starts again), all equal the hash of the whole buffer.
        let mut t = Transcript::default();
        let mut all = Vec::new();
        for (i, msg) in
            [&b"\x01\x00\x00\x03abc"[..], &[0x02; 300], b"", &[0x0b; 70], &[0x14; 36]].iter().enumerate()
        {
            t.add(msg);
            all.extend_from_slice(msg);
            let hash: &dyn Hash = if i == 3 { &SHA384 } else { &SHA256 };
            assert_eq!(t.hash_with(hash).as_ref(), hash.hash(&all).as_ref(), "step {i}");
            assert_eq!(t.hash_with(hash).as_ref(), hash.hash(&all).as_ref(), "step {i}, again");
            let mut c = t.clone();
            assert_eq!(c.hash_with(&SHA256).as_ref(), SHA256.hash(&all).as_ref(), "clone at step {i}");
        }
    }

    #[test]
    fn hello_retry_rewrite_replaces_the_first_hello_with_message_hash() {
        let hello = b"\x01\x00\x00\x02hi";
        for hash in [&SHA256 as &dyn Hash, &SHA384] {
            let mut t = Transcript::default();
            t.add(hello);
            t.rewrite_for_hello_retry(hash);
            let digest = hash.hash(hello);
            let mut expect = vec![254, 0, 0, digest.as_ref().len() as u8];
            expect.extend_from_slice(digest.as_ref());
            assert_eq!(t.messages(), &expect[..]);
            t.add(b"\x02\x00\x00\x00");
            expect.extend_from_slice(b"\x02\x00\x00\x00");
            assert_eq!(t.hash_with(hash).as_ref(), hash.hash(&expect).as_ref());
        }
    }
}
