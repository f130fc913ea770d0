//! Ephemeral key exchange over named groups (RFC 8422 §5 for TLS 1.2 ECDHE, RFC 8446 §4.2.8
//! for TLS 1.3 key shares). One implementation per group per provider.

use super::GetRandomFailed;
use crate::enums::NamedGroup;
use zeroize::Zeroizing;

/// A key exchange group a provider implements (X25519, P-256, ...).
pub trait KxGroup: Send + Sync {
    /// The group's IANA name.
    fn name(&self) -> NamedGroup;

    /// Generates a fresh ephemeral key pair in this group (a client's key share; for a KEM
    /// group, the encapsulation key).
    fn start(&self) -> Result<Box<dyn KeyShare>, GetRandomFailed>;

    /// The server's side of a TLS 1.3 key share (RFC 8446 §4.2.8): our public value and the
    /// secret for the client's `peer_public_key`. Diffie-Hellman groups generate a key pair and
    /// complete it (the default); KEM groups encapsulate to the client's key, so their public
    /// value (the ciphertext) depends on it.
    fn start_and_complete(
        &self,
        peer_public_key: &[u8],
    ) -> Result<(Vec<u8>, SharedSecret), KeyExchangeError> {
        let share = self.start().map_err(|_| KeyExchangeError::RandomFailed)?;
        let public = share.public_key().to_vec();
        Ok((public, share.complete(peer_public_key)?))
    }

    /// True for groups TLS 1.3 alone may use (the hybrid post-quantum ones: they are no
    /// RFC 8422 curve, so never a TLS 1.2 ECDHE group); a client that cannot speak TLS 1.3
    /// leaves them out of its offer.
    fn tls13_only(&self) -> bool {
        false
    }
}

/// Groups print as their OpenSSL name (`X25519`, `P-256`), so configurations can derive `Debug`.
impl core::fmt::Debug for dyn KxGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name().openssl_name())
    }
}

/// One ephemeral key pair, used for exactly one exchange.
pub trait KeyShare: Send + Sync {
    /// The group it belongs to.
    fn group(&self) -> NamedGroup;

    /// Our public value as it goes on the wire (ServerKeyExchange / ClientKeyExchange
    /// `ECPoint`, RFC 8422 §5.4; a TLS 1.3 `key_exchange`): uncompressed points for the NIST
    /// curves, 32 bytes for X25519.
    fn public_key(&self) -> &[u8];

    /// Combines our private key with the peer's public value, consuming the key pair. A peer
    /// value that is not a valid point, or an all-zero X25519 result (RFC 7748 §6.1), is
    /// [`KeyExchangeError::InvalidPeerKey`].
    fn complete(self: Box<Self>, peer_public_key: &[u8]) -> Result<SharedSecret, KeyExchangeError>;
}

/// A key exchange failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyExchangeError {
    /// The peer's public value is malformed, not on the curve, or gives a degenerate secret.
    InvalidPeerKey,
    /// The random source failed while making our side of the exchange.
    RandomFailed,
}

/// The agreed secret (the TLS 1.2 premaster secret, RFC 8422 §5.10: the x-coordinate for the
/// NIST curves), zeroized when dropped.
pub struct SharedSecret(Zeroizing<Vec<u8>>);

impl SharedSecret {
    /// Wraps the secret bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The secret.
    pub fn secret_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SharedSecret({} bytes)", self.0.len())
    }
}
