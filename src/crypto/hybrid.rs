//! Hybrid post-quantum key exchange for TLS 1.3: X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem,
//! code point 0x11EC). A provider supplies ML-KEM-768 as a [`Kem`] and X25519 as a [`KxGroup`];
//! [`HybridGroup`] joins them as the draft says:
//!
//! - client share: ML-KEM-768 encapsulation key (1184 bytes) ‖ X25519 public key (32);
//! - server share: ML-KEM-768 ciphertext (1088) ‖ X25519 public key (32);
//! - shared secret: ML-KEM shared secret (32) ‖ X25519 shared secret (32).
//!
//! Every length is checked exactly; a bad encapsulation key or X25519 value is
//! [`KeyExchangeError::InvalidPeerKey`] (illegal_parameter). A ciphertext that does not
//! decapsulate gives ML-KEM's implicit-rejection secret (FIPS 203 §6.3), so the handshake then
//! fails at Finished, as it must.
#![forbid(unsafe_code)]

use super::kx::{KeyExchangeError, KeyShare, KxGroup, SharedSecret};
use super::rand::GetRandomFailed;
use crate::enums::NamedGroup;

/// A key-encapsulation mechanism (ML-KEM-768 here), as a provider implements it.
pub trait Kem: Send + Sync {
    /// Length of an encapsulation key on the wire.
    fn encapsulation_key_len(&self) -> usize;
    /// Length of a ciphertext on the wire.
    fn ciphertext_len(&self) -> usize;
    /// A fresh key pair: the decapsulator and the encapsulation key's bytes.
    fn generate(&self) -> Result<(Box<dyn KemDecapsulator>, Vec<u8>), GetRandomFailed>;
    /// Encapsulates to `encapsulation_key`: the ciphertext and the shared secret. A key that
    /// is not a valid encoding (wrong length, coefficients out of range: FIPS 203 §7.2) is
    /// [`KeyExchangeError::InvalidPeerKey`].
    fn encapsulate(&self, encapsulation_key: &[u8]) -> Result<(Vec<u8>, SharedSecret), KeyExchangeError>;
}

/// The private half of a [`Kem`] key pair, used once.
pub trait KemDecapsulator: Send + Sync {
    /// The shared secret in `ciphertext` (of exactly the KEM's ciphertext length).
    fn decapsulate(self: Box<Self>, ciphertext: &[u8]) -> Result<SharedSecret, KeyExchangeError>;
}

/// A hybrid group: a KEM and an elliptic-curve group, the KEM's part first (as
/// X25519MLKEM768 orders them).
pub struct HybridGroup {
    /// The code point.
    pub name: NamedGroup,
    /// The post-quantum part.
    pub kem: &'static dyn Kem,
    /// The classical part.
    pub classical: &'static dyn KxGroup,
    /// Length of the classical part's public value (32 for X25519): both shares are checked
    /// to their exact length.
    pub classical_len: usize,
}

impl core::fmt::Debug for HybridGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:?}", self.name)
    }
}

fn concat(a: &SharedSecret, b: &SharedSecret) -> SharedSecret {
    // Exact capacity: no reallocation leaves a copy behind; `SharedSecret` zeroizes it.
    let mut out = Vec::with_capacity(a.secret_bytes().len() + b.secret_bytes().len());
    out.extend_from_slice(a.secret_bytes());
    out.extend_from_slice(b.secret_bytes());
    SharedSecret::new(out)
}

impl KxGroup for HybridGroup {
    fn name(&self) -> NamedGroup {
        self.name
    }

    fn start(&self) -> Result<Box<dyn KeyShare>, GetRandomFailed> {
        let (decapsulator, ek) = self.kem.generate()?;
        let classical = self.classical.start()?;
        let mut public = ek;
        public.extend_from_slice(classical.public_key());
        Ok(Box::new(HybridShare {
            name: self.name,
            ct_len: self.kem.ciphertext_len(),
            classical_len: self.classical_len,
            decapsulator,
            classical,
            public,
        }))
    }

    fn start_and_complete(&self, peer: &[u8]) -> Result<(Vec<u8>, SharedSecret), KeyExchangeError> {
        let ek_len = self.kem.encapsulation_key_len();
        if peer.len() != ek_len + self.classical_len {
            return Err(KeyExchangeError::InvalidPeerKey);
        }
        let (ek, classical_peer) = peer.split_at(ek_len);
        let (ciphertext, kem_secret) = self.kem.encapsulate(ek)?;
        let (classical_public, classical_secret) = self.classical.start_and_complete(classical_peer)?;
        let mut public = ciphertext;
        public.extend_from_slice(&classical_public);
        Ok((public, concat(&kem_secret, &classical_secret)))
    }

    fn tls13_only(&self) -> bool {
        true
    }
}

struct HybridShare {
    name: NamedGroup,
    ct_len: usize,
    classical_len: usize,
    decapsulator: Box<dyn KemDecapsulator>,
    classical: Box<dyn KeyShare>,
    public: Vec<u8>,
}

impl KeyShare for HybridShare {
    fn group(&self) -> NamedGroup {
        self.name
    }

    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn complete(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, KeyExchangeError> {
        let ct_len = self.ct_len;
        if peer.len() != ct_len + self.classical_len {
            return Err(KeyExchangeError::InvalidPeerKey);
        }
        let (ciphertext, classical_peer) = peer.split_at(ct_len);
        let kem_secret = self.decapsulator.decapsulate(ciphertext)?;
        let classical_secret = self.classical.complete(classical_peer)?;
        Ok(concat(&kem_secret, &classical_secret))
    }
}
