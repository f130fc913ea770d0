//! Ed25519 signatures (RFC 8032 §5.1) for TLS (`ed25519`, RFC 8422 §5.1.3, RFC 8446 §4.2.3) and
//! certificates (RFC 8410), with `ed25519-dalek`.
//!
//! Ed25519 signs the message itself (PureEdDSA: no prehash, no context), so there is no hash
//! parameter. Verification is `verify_strict`: besides RFC 8032 §5.1.7 it refuses small-order
//! public keys and `R` values, which only a crafted key or signature contains; this removes the
//! "one signature valid for several messages" and weak-key oddities at no cost to honest peers.

use ed25519_dalek::pkcs8::DecodePrivateKey;
use ed25519_dalek::Signer;

/// Length of a public key.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length of a signature.
pub const SIGNATURE_LEN: usize = 64;

/// The fixed SubjectPublicKeyInfo header for an Ed25519 key (RFC 8410 §4: SEQUENCE {
/// AlgorithmIdentifier { id-Ed25519 (1.3.101.112) }, BIT STRING (33 bytes) }); the key follows.
const SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/// Why an Ed25519 operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ed25519Error {
    /// The DER is not an Ed25519 PKCS#8 private key (RFC 8410 §7).
    NotAnEd25519PrivateKey,
    /// The public key is not 32 bytes encoding a curve point (or not an Ed25519 SPKI).
    NotAnEd25519PublicKey,
    /// The signature is not 64 bytes or does not verify.
    BadSignature,
}

impl core::fmt::Display for Ed25519Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::NotAnEd25519PrivateKey => "not an Ed25519 private key in PKCS#8 DER form",
            Self::NotAnEd25519PublicKey => "not a valid Ed25519 public key",
            Self::BadSignature => "the Ed25519 signature does not verify",
        })
    }
}

impl std::error::Error for Ed25519Error {}

/// An Ed25519 private key; the seed and expanded key are zeroized on drop.
pub struct Ed25519SigningKey {
    key: ed25519_dalek::SigningKey,
}

impl core::fmt::Debug for Ed25519SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material.
        f.debug_struct("Ed25519SigningKey").finish_non_exhaustive()
    }
}

impl Ed25519SigningKey {
    /// Parses a PKCS#8 `OneAsymmetricKey` (v1 or v2, RFC 8410 §7), what `openssl genpkey
    /// -algorithm ED25519` writes. A v2 key's embedded public key must match the private key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Ed25519Error> {
        let key = ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .map_err(|_| Ed25519Error::NotAnEd25519PrivateKey)?;
        Ok(Self { key })
    }

    /// A key from its 32-byte seed (RFC 8032 §5.1.5 "private key").
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self { key: ed25519_dalek::SigningKey::from_bytes(seed) }
    }

    /// The 32-byte public key (RFC 8032 §5.1.5).
    pub fn public_key(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.key.verifying_key().to_bytes()
    }

    /// The public key as SubjectPublicKeyInfo DER (RFC 8410 §4).
    pub fn public_key_spki(&self) -> Vec<u8> {
        [&SPKI_PREFIX[..], &self.public_key()].concat()
    }

    /// Signs `message` (RFC 8032 §5.1.6; deterministic).
    pub fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        self.key.sign(message).to_bytes()
    }
}

/// Checks `signature` over `message` with the 32-byte `public_key` (a certificate's
/// `subjectPublicKey`).
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), Ed25519Error> {
    let public: &[u8; PUBLIC_KEY_LEN] =
        public_key.try_into().map_err(|_| Ed25519Error::NotAnEd25519PublicKey)?;
    let key =
        ed25519_dalek::VerifyingKey::from_bytes(public).map_err(|_| Ed25519Error::NotAnEd25519PublicKey)?;
    let signature =
        ed25519_dalek::Signature::from_slice(signature).map_err(|_| Ed25519Error::BadSignature)?;
    key.verify_strict(message, &signature).map_err(|_| Ed25519Error::BadSignature)
}

/// Checks `signature` over `message` with the key in an Ed25519 SubjectPublicKeyInfo.
pub fn verify_spki(spki: &[u8], message: &[u8], signature: &[u8]) -> Result<(), Ed25519Error> {
    match spki.strip_prefix(&SPKI_PREFIX[..]) {
        Some(public) => verify(public, message, signature),
        None => Err(Ed25519Error::NotAnEd25519PublicKey),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::openssl_cli::{self, Scratch};
    use crate::crypto::rustcrypto::test_util::unhex;

    fn known_answer(seed: &str, public: &str, message: &str, signature: &str) {
        let key = Ed25519SigningKey::from_seed(&unhex(seed).try_into().unwrap());
        let (public, message, signature) = (unhex(public), unhex(message), unhex(signature));
        assert_eq!(key.public_key().to_vec(), public);
        assert_eq!(key.sign(&message).to_vec(), signature);
        verify(&public, &message, &signature).unwrap();
        // Tampering twins: a flipped bit in the signature (R half, then S half) or message.
        for i in [0, 40] {
            let mut t = signature.clone();
            t[i] ^= 1;
            assert_eq!(verify(&public, &message, &t), Err(Ed25519Error::BadSignature));
        }
        let mut m = message.clone();
        m.push(0);
        assert_eq!(verify(&public, &m, &signature), Err(Ed25519Error::BadSignature));
    }

    #[test]
    fn rfc8032_section_7_1_tests_1_to_3() {
        known_answer(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        );
        known_answer(
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        );
        known_answer(
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
        );
    }

    #[test]
    fn malformed_keys_and_signatures_are_errors_not_panics() {
        assert_eq!(Ed25519SigningKey::from_pkcs8_der(b"").unwrap_err(), Ed25519Error::NotAnEd25519PrivateKey);
        let rsa = include_bytes!("../../../tests/vectors/rsa2048.pkcs8.der");
        assert_eq!(Ed25519SigningKey::from_pkcs8_der(rsa).unwrap_err(), Ed25519Error::NotAnEd25519PrivateKey);
        let key = Ed25519SigningKey::from_seed(&[7; 32]);
        let sig = key.sign(b"m");
        assert_eq!(verify(&key.public_key()[..31], b"m", &sig), Err(Ed25519Error::NotAnEd25519PublicKey));
        assert_eq!(verify(&key.public_key(), b"m", &sig[..63]), Err(Ed25519Error::BadSignature));
        assert_eq!(verify_spki(&key.public_key(), b"m", &sig), Err(Ed25519Error::NotAnEd25519PublicKey));
        verify_spki(&key.public_key_spki(), b"m", &sig).unwrap();
        // The identity point as public key (small order) with a signature that would satisfy
        // the cofactorless equation for any message: refused by the strict check.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let mut forged = [0u8; 64];
        forged[0] = 1; // R = identity, S = 0
        assert_eq!(verify(&identity, b"any message", &forged), Err(Ed25519Error::BadSignature));
        assert!(!format!("{key:?}").contains("07"), "Debug must not print key material");
    }

    #[test]
    fn agrees_with_openssl_in_both_directions() {
        let dir = Scratch::new("ed25519");
        let key_pem = dir.path("key.pem");
        openssl_cli::ok(&["genpkey", "-algorithm", "ED25519", "-out", &key_pem]);
        let pkcs8 = openssl_cli::ok(&["pkey", "-in", &key_pem, "-outform", "DER"]);
        let spki = openssl_cli::ok(&["pkey", "-in", &key_pem, "-pubout", "-outform", "DER"]);
        let pub_pem = dir.path("pub.pem");
        openssl_cli::ok(&["pkey", "-in", &key_pem, "-pubout", "-out", &pub_pem]);

        let ours = Ed25519SigningKey::from_pkcs8_der(&pkcs8).unwrap();
        assert_eq!(ours.public_key_spki(), spki, "same public key as openssl reports");

        let message = b"TLS 1.3, server CertificateVerify\0transcript hash";
        let msg = dir.write("msg", message);
        let tampered = dir.write("tampered", b"TLS 1.3, server CertificateVerify\0transcript hasH");

        // Ours -> openssl.
        let sig = dir.write("our.sig", &ours.sign(message));
        let verify_with_openssl = |file: &str| {
            openssl_cli::run(&[
                "pkeyutl", "-verify", "-pubin", "-inkey", &pub_pem, "-rawin", "-in", file, "-sigfile", &sig,
            ])
        };
        let (ok, out, err) = verify_with_openssl(&msg);
        assert!(
            ok && out.starts_with(b"Signature Verified Successfully"),
            "openssl rejected our signature: {err}"
        );
        assert!(!verify_with_openssl(&tampered).0, "openssl accepted our signature over another message");

        // openssl -> ours.
        let their_sig_path = dir.path("their.sig");
        openssl_cli::ok(&[
            "pkeyutl",
            "-sign",
            "-inkey",
            &key_pem,
            "-rawin",
            "-in",
            &msg,
            "-out",
            &their_sig_path,
        ]);
        let their_sig = std::fs::read(&their_sig_path).unwrap();
        verify_spki(&spki, message, &their_sig).unwrap();
        assert_eq!(
            verify_spki(&spki, b"TLS 1.3, server CertificateVerify\0transcript hasH", &their_sig),
            Err(Ed25519Error::BadSignature)
        );
    }
}
