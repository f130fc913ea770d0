//! ML-KEM-768 (FIPS 203) over RustCrypto's `ml-kem`, for the X25519MLKEM768 hybrid group of
//! TLS 1.3 (`crypto::HybridGroup`, draft-ietf-tls-ecdhe-mlkem). Randomness (the 64-byte key
//! seed, the 32-byte encapsulation message) comes from the provider's random source.
#![forbid(unsafe_code)]

use super::rand::SYSTEM_RANDOM;
use crate::crypto::{
    GetRandomFailed, HybridGroup, Kem, KemDecapsulator, KeyExchangeError, SecureRandom, SharedSecret,
};
use crate::enums::NamedGroup;
use ml_kem::ml_kem_768::{Ciphertext, DecapsulationKey, EncapsulationKey};
use ml_kem::{Decapsulate, KeyExport};
use zeroize::Zeroizing;

/// ML-KEM-768: 1184-byte encapsulation keys, 1088-byte ciphertexts, 32-byte secrets.
pub struct MlKem768;

/// The one instance.
pub static ML_KEM_768: MlKem768 = MlKem768;

/// X25519MLKEM768 (0x11EC): ML-KEM-768 first, then X25519.
pub static X25519MLKEM768: HybridGroup = HybridGroup {
    name: NamedGroup::X25519MLKEM768,
    kem: &ML_KEM_768,
    classical: &super::ecdh::X25519,
    classical_len: 32,
};

/// The provider's groups, most preferred first (the default policy): X25519MLKEM768 first, as
/// OpenSSL 3.5, rustls, Chrome and Firefox order it (TLS 1.3 only: a TLS 1.2 offer or choice
/// skips it), then the elliptic curves (`ecdh::ALL_KX_GROUPS`).
pub static KX_GROUPS: &[&dyn crate::crypto::KxGroup] =
    &[&X25519MLKEM768, &super::ecdh::X25519, &super::ecdh::SECP256R1, &super::ecdh::SECP384R1];

impl Kem for MlKem768 {
    fn encapsulation_key_len(&self) -> usize {
        1184
    }

    fn ciphertext_len(&self) -> usize {
        1088
    }

    fn generate(&self) -> Result<(Box<dyn KemDecapsulator>, Vec<u8>), GetRandomFailed> {
        let mut seed = Zeroizing::new([0u8; 64]);
        SYSTEM_RANDOM.fill(&mut seed[..])?;
        let dk = DecapsulationKey::from_seed((*seed).into());
        let ek = dk.encapsulation_key().to_bytes().to_vec();
        Ok((Box::new(Decapsulator(dk)), ek))
    }

    fn encapsulate(&self, ek: &[u8]) -> Result<(Vec<u8>, SharedSecret), KeyExchangeError> {
        let bytes = ek.try_into().map_err(|_| KeyExchangeError::InvalidPeerKey)?;
        // FIPS 203 §7.2: the encapsulation key check (every coefficient below q).
        let ek = EncapsulationKey::new(bytes).map_err(|_| KeyExchangeError::InvalidPeerKey)?;
        let mut m = Zeroizing::new([0u8; 32]);
        SYSTEM_RANDOM.fill(&mut m[..]).map_err(|_| KeyExchangeError::RandomFailed)?;
        let (ct, secret) = ek.encapsulate_deterministic(&(*m).into());
        Ok((ct.to_vec(), SharedSecret::new(secret.to_vec())))
    }
}

struct Decapsulator(DecapsulationKey);

impl KemDecapsulator for Decapsulator {
    fn decapsulate(self: Box<Self>, ciphertext: &[u8]) -> Result<SharedSecret, KeyExchangeError> {
        let ct: &Ciphertext = ciphertext.try_into().map_err(|_| KeyExchangeError::InvalidPeerKey)?;
        Ok(SharedSecret::new(self.0.decapsulate(ct).to_vec()))
    }
}
