//! Ephemeral ECDH over aws-lc-rs (`agreement`): X25519 (RFC 7748), secp256r1 and secp384r1
//! (SEC 1), as [`KxGroup`]s for TLS 1.2 ECDHE (RFC 8422) and TLS 1.3 key shares.
//!
//! The checks on the peer's value are the RustCrypto provider's (`rustcrypto::ecdh`): NIST
//! points only uncompressed (`04 ‖ x ‖ y`, RFC 8422 §5.1.2, RFC 8446 §4.2.8.2) and of the exact
//! length, on the curve (aws-lc checks); X25519 exactly 32 bytes, and an all-zero result (a
//! small-order peer value, RFC 7748 §6.1) refused (aws-lc's X25519 refuses it; we check again).
//! Every failure is [`KeyExchangeError::InvalidPeerKey`] (illegal_parameter, RFC 8422 §5.11).
#![forbid(unsafe_code)]

use aws_lc_rs::agreement::{agree, Algorithm, PrivateKey, UnparsedPublicKey};
use subtle::ConstantTimeEq;

use aws_lc_rs::kem;

use crate::crypto::{
    GetRandomFailed, HybridGroup, Kem, KemDecapsulator, KeyExchangeError, KeyShare, KxGroup, SharedSecret,
};
use crate::enums::NamedGroup;

/// One group; use the statics.
pub struct Group {
    name: NamedGroup,
    alg: &'static Algorithm,
    /// Length of the public value on the wire.
    public_len: usize,
}

/// X25519 (RFC 7748, RFC 8422 §5.1.1).
pub static X25519: Group =
    Group { name: NamedGroup::X25519, alg: &aws_lc_rs::agreement::X25519, public_len: 32 };
/// secp256r1 (NIST P-256).
pub static SECP256R1: Group =
    Group { name: NamedGroup::Secp256r1, alg: &aws_lc_rs::agreement::ECDH_P256, public_len: 65 };
/// secp384r1 (NIST P-384).
pub static SECP384R1: Group =
    Group { name: NamedGroup::Secp384r1, alg: &aws_lc_rs::agreement::ECDH_P384, public_len: 97 };

/// Every group, most preferred first (the RustCrypto provider's order; the default policy):
/// X25519MLKEM768 first, as OpenSSL 3.5, rustls, Chrome and Firefox order it (TLS 1.3 only:
/// a TLS 1.2 offer or choice skips it), then the elliptic curves.
pub static ALL_KX_GROUPS: &[&dyn KxGroup] = &[&X25519MLKEM768, &X25519, &SECP256R1, &SECP384R1];

/// ML-KEM-768 (FIPS 203) from aws-lc (`aws_lc_rs::kem`), for X25519MLKEM768.
pub struct MlKem768;

/// The one instance.
pub static ML_KEM_768: MlKem768 = MlKem768;

/// X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem, 0x11EC): aws-lc's ML-KEM-768 and X25519.
pub static X25519MLKEM768: HybridGroup =
    HybridGroup { name: NamedGroup::X25519MLKEM768, kem: &ML_KEM_768, classical: &X25519, classical_len: 32 };

impl Kem for MlKem768 {
    fn encapsulation_key_len(&self) -> usize {
        1184
    }

    fn ciphertext_len(&self) -> usize {
        1088
    }

    fn generate(&self) -> Result<(Box<dyn KemDecapsulator>, Vec<u8>), GetRandomFailed> {
        let dk = kem::DecapsulationKey::generate(&kem::ML_KEM_768).map_err(|_| GetRandomFailed)?;
        let ek = dk.encapsulation_key().map_err(|_| GetRandomFailed)?;
        let ek = ek.key_bytes().map_err(|_| GetRandomFailed)?.as_ref().to_vec();
        Ok((Box::new(Decapsulator(dk)), ek))
    }

    fn encapsulate(&self, ek: &[u8]) -> Result<(Vec<u8>, SharedSecret), KeyExchangeError> {
        if ek.len() != self.encapsulation_key_len() {
            return Err(KeyExchangeError::InvalidPeerKey);
        }
        // aws-lc checks the encoding (FIPS 203 §7.2) when the key is made.
        let ek =
            kem::EncapsulationKey::new(&kem::ML_KEM_768, ek).map_err(|_| KeyExchangeError::InvalidPeerKey)?;
        // aws-lc refuses a key whose coefficients are not below q here, at its first use.
        let (ct, secret) = ek.encapsulate().map_err(|_| KeyExchangeError::InvalidPeerKey)?;
        Ok((ct.as_ref().to_vec(), SharedSecret::new(secret.as_ref().to_vec())))
    }
}

struct Decapsulator(kem::DecapsulationKey<kem::AlgorithmId>);

impl KemDecapsulator for Decapsulator {
    fn decapsulate(self: Box<Self>, ciphertext: &[u8]) -> Result<SharedSecret, KeyExchangeError> {
        if ciphertext.len() != ML_KEM_768.ciphertext_len() {
            return Err(KeyExchangeError::InvalidPeerKey);
        }
        let secret = self.0.decapsulate(ciphertext.into()).map_err(|_| KeyExchangeError::InvalidPeerKey)?;
        Ok(SharedSecret::new(secret.as_ref().to_vec()))
    }
}

impl core::fmt::Debug for Group {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "aws-lc {:?}", self.name)
    }
}

impl KxGroup for Group {
    fn name(&self) -> NamedGroup {
        self.name
    }

    fn start(&self) -> Result<Box<dyn KeyShare>, GetRandomFailed> {
        // aws-lc draws the private key from its own DRBG (seeded by the OS); generation fails
        // only when that does.
        let private = PrivateKey::generate(self.alg).map_err(|_| GetRandomFailed)?;
        let public = private.compute_public_key().map_err(|_| GetRandomFailed)?.as_ref().to_vec();
        Ok(Box::new(Share { name: self.name, alg: self.alg, public_len: self.public_len, private, public }))
    }
}

/// One key pair; the private key is aws-lc's (freed and cleansed by it when dropped).
struct Share {
    name: NamedGroup,
    alg: &'static Algorithm,
    public_len: usize,
    private: PrivateKey,
    public: Vec<u8>,
}

impl KeyShare for Share {
    fn group(&self) -> NamedGroup {
        self.name
    }

    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn complete(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, KeyExchangeError> {
        let nist = self.name != NamedGroup::X25519;
        if peer.len() != self.public_len || (nist && peer[0] != 4) {
            return Err(KeyExchangeError::InvalidPeerKey);
        }
        let secret = agree(
            &self.private,
            UnparsedPublicKey::new(self.alg, peer),
            KeyExchangeError::InvalidPeerKey,
            |s| Ok(SharedSecret::new(s.to_vec())),
        )?;
        let zero = secret.secret_bytes().iter().fold(0u8, |acc, b| acc | b);
        if bool::from(zero.ct_eq(&0)) {
            return Err(KeyExchangeError::InvalidPeerKey);
        }
        Ok(secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::ecdh as rc;
    use crate::crypto::rustcrypto::test_util::unhex;

    #[test]
    fn every_group_agrees_with_the_rustcrypto_provider_both_ways() {
        // The elliptic curves here; X25519MLKEM768 (first in the list) in the test below.
        let curves = ALL_KX_GROUPS.iter().filter(|g| !g.tls13_only());
        for (ours, theirs) in curves.zip(rc::ALL_KX_GROUPS) {
            assert_eq!(ours.name(), theirs.name());
            let a = ours.start().unwrap();
            let b = theirs.start().unwrap();
            assert_eq!(a.group(), ours.name());
            assert_eq!(a.public_key().len(), b.public_key().len());
            let (pa, pb) = (a.public_key().to_vec(), b.public_key().to_vec());
            let sa = a.complete(&pb).unwrap();
            let sb = b.complete(&pa).unwrap();
            assert_eq!(sa.secret_bytes(), sb.secret_bytes());
        }
        let names: Vec<u16> = ALL_KX_GROUPS.iter().map(|g| u16::from(g.name())).collect();
        assert_eq!(names, [0x11ec, 29, 23, 24]);
    }

    /// Two independent ML-KEM-768 implementations (aws-lc's and RustCrypto's, each tested
    /// against FIPS 203's vectors by its authors) agree on X25519MLKEM768 in both roles: the
    /// wire lengths of draft-ietf-tls-ecdhe-mlkem, and the same 64-byte secret.
    #[test]
    fn x25519mlkem768_agrees_with_the_rustcrypto_provider_in_both_roles() {
        use crate::crypto::rustcrypto::mlkem as rc_mlkem;
        let pairs: [(&dyn KxGroup, &dyn KxGroup); 2] =
            [(&X25519MLKEM768, &rc_mlkem::X25519MLKEM768), (&rc_mlkem::X25519MLKEM768, &X25519MLKEM768)];
        for (client, server) in pairs {
            let share = client.start().unwrap();
            assert_eq!(share.public_key().len(), 1184 + 32);
            let (reply, server_secret) = server.start_and_complete(share.public_key()).unwrap();
            assert_eq!(reply.len(), 1088 + 32);
            let client_secret = share.complete(&reply).unwrap();
            assert_eq!(client_secret.secret_bytes().len(), 64);
            assert_eq!(client_secret.secret_bytes(), server_secret.secret_bytes());
            assert!(client.tls13_only() && server.tls13_only());
        }
    }

    /// Tampering twins: a changed ciphertext decapsulates to ML-KEM's implicit-rejection
    /// secret (so the handshake fails at Finished); wrong lengths and an encapsulation key
    /// whose coefficients are not below q (FIPS 203 §7.2) are refused outright.
    #[test]
    fn x25519mlkem768_refuses_bad_keys_and_a_changed_ciphertext_gives_another_secret() {
        use crate::crypto::rustcrypto::mlkem as rc_mlkem;
        for g in [&X25519MLKEM768 as &dyn KxGroup, &rc_mlkem::X25519MLKEM768] {
            let share = g.start().unwrap();
            let ek = share.public_key().to_vec();
            let (mut reply, server_secret) = g.start_and_complete(&ek).unwrap();
            reply[5] ^= 1;
            let client_secret = share.complete(&reply).unwrap();
            assert_ne!(client_secret.secret_bytes(), server_secret.secret_bytes());
            assert_eq!(g.start_and_complete(&ek[1..]).unwrap_err(), KeyExchangeError::InvalidPeerKey);
            assert_eq!(
                g.start().unwrap().complete(&reply[1..]).unwrap_err(),
                KeyExchangeError::InvalidPeerKey
            );
            let mut bad = ek.clone();
            bad[0] = 0xff;
            bad[1] |= 0x0f; // first 12-bit coefficient 0xfff >= q = 3329
            assert_eq!(g.start_and_complete(&bad).unwrap_err(), KeyExchangeError::InvalidPeerKey);
        }
    }

    #[test]
    fn x25519_small_order_peer_values_are_refused() {
        for u in [
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        ] {
            let err = X25519.start().unwrap().complete(&unhex(u)).unwrap_err();
            assert_eq!(err, KeyExchangeError::InvalidPeerKey, "u = {u}");
        }
        assert!(X25519.start().unwrap().complete(&[9; 33]).is_err());
        assert!(X25519.start().unwrap().complete(&[9; 31]).is_err());
    }

    #[test]
    fn nist_peer_points_off_the_curve_compressed_or_of_wrong_length_are_refused() {
        for g in [&SECP256R1, &SECP384R1] {
            let valid = g.start().unwrap().public_key().to_vec();
            let len = valid.len();
            assert!(g.start().unwrap().complete(&valid).is_ok());
            let mut off = valid.clone();
            off[len - 1] ^= 1;
            assert!(g.start().unwrap().complete(&off).is_err(), "off the curve");
            let mut zero = vec![0u8; len];
            zero[0] = 4;
            assert!(g.start().unwrap().complete(&zero).is_err(), "(0, 0)");
            let mut compressed = vec![2 + (valid[len - 1] & 1)];
            compressed.extend_from_slice(&valid[1..1 + (len - 1) / 2]);
            assert!(g.start().unwrap().complete(&compressed).is_err(), "compressed");
            let mut hybrid = valid.clone();
            hybrid[0] = 6 + (valid[len - 1] & 1);
            assert!(g.start().unwrap().complete(&hybrid).is_err(), "hybrid");
            assert!(g.start().unwrap().complete(&[]).is_err());
            assert!(g.start().unwrap().complete(&valid[..len - 1]).is_err());
        }
    }
}
