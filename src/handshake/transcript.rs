//! The handshake transcript (RFC 5246 §7.4.9 `handshake_messages`).

use crate::crypto::{CryptoProvider, HashAlgorithm, Tls12CipherSuite};
use crate::error::Error;
use crate::msgs::enums::ProtocolVersion;

/// Every handshake message sent and received so far, as encoded.
///
/// The hash is not known until ServerHello picks the suite and version, and TLS 1.0/1.1 need
/// two hashes at once (MD5 and SHA-1), so the messages are kept and hashed when a value is
/// needed: at most three times per handshake, over a few kilobytes.
#[derive(Debug, Default)]
pub(crate) struct Transcript {
    messages: Vec<u8>,
}

impl Transcript {
    pub(crate) fn add(&mut self, encoded: &[u8]) {
        self.messages.extend_from_slice(encoded);
    }

    /// The handshake hash: MD5 ‖ SHA-1 for TLS 1.0/1.1 (RFC 2246 §7.4.9), the suite's PRF hash
    /// for TLS 1.2 (RFC 5246 §7.4.9). Also the session_hash of RFC 7627 §3.
    pub(crate) fn hash(
        &self,
        provider: &CryptoProvider,
        version: ProtocolVersion,
        suite: &Tls12CipherSuite,
    ) -> Result<Vec<u8>, Error> {
        let hash = |alg| {
            (provider.hash)(alg)
                .map(|h| h.hash(&self.messages))
                .ok_or(Error::Internal("hash missing from provider"))
        };
        if version >= ProtocolVersion::TLSv1_2 {
            Ok(hash(suite.hash)?.as_ref().to_vec())
        } else {
            let mut out = hash(HashAlgorithm::Md5)?.as_ref().to_vec();
            out.extend_from_slice(hash(HashAlgorithm::Sha1)?.as_ref());
            Ok(out)
        }
    }

    /// The messages themselves (CertificateVerify in TLS 1.2 signs them directly).
    pub(crate) fn messages(&self) -> &[u8] {
        &self.messages
    }
}
