//! ECDSA over NIST P-256 and P-384 (FIPS 186-5, SEC 1) for TLS signatures, with `p256`/`p384`.
//!
//! TLS 1.2 names a signature by (hash, signature) pair, so an ECDSA key of either curve may sign
//! with any hash the peer offers (RFC 5246 §7.4.1.4.1, RFC 8422 §5.10); TLS 1.3 ties the hash to
//! the curve (`ecdsa_secp256r1_sha256`, `ecdsa_secp384r1_sha384`, RFC 8446 §4.2.3). Both are
//! served by taking the hash as a parameter; [`EcdsaCurve::tls13_hash`] gives the tied one.
//! Signatures are DER `Ecdsa-Sig-Value` (RFC 8422 §5.4, RFC 3279 §2.2.3), as on the wire.
//!
//! Signing is deterministic (RFC 6979): the per-signature secret `k` comes from the key and the
//! message hash, so a weak random source cannot leak the key through repeated or biased `k`.
//! Keys load from PKCS#8 (RFC 5208/5958) or SEC 1 `ECPrivateKey` (RFC 5915) DER.

use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};

use crate::crypto::HashAlgorithm;

/// A curve ECDSA keys may use here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EcdsaCurve {
    /// NIST P-256 (`secp256r1`, `prime256v1`).
    P256,
    /// NIST P-384 (`secp384r1`).
    P384,
}

impl EcdsaCurve {
    /// The hash TLS 1.3 pairs with the curve (RFC 8446 §4.2.3): SHA-256 for P-256, SHA-384 for
    /// P-384. Also the hash a certificate signed by such a key normally uses.
    pub const fn tls13_hash(self) -> HashAlgorithm {
        match self {
            Self::P256 => HashAlgorithm::Sha256,
            Self::P384 => HashAlgorithm::Sha384,
        }
    }

    /// Length of the uncompressed SEC 1 public point, `04 ‖ x ‖ y`.
    pub const fn public_key_len(self) -> usize {
        match self {
            Self::P256 => 65,
            Self::P384 => 97,
        }
    }
}

impl core::fmt::Display for EcdsaCurve {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
        })
    }
}

/// Why an ECDSA operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EcdsaError {
    /// The DER is not a P-256 or P-384 private key in PKCS#8 or SEC 1 form.
    NotAnEcdsaPrivateKey,
    /// The public key (SPKI or SEC 1 point) is not a valid P-256 or P-384 key.
    NotAnEcdsaPublicKey,
    /// The hash cannot be used: MD5 never signs (RFC 6151, RFC 9155). SHA-1 is accepted here;
    /// whether the peer may use it (legacy profile only) is the caller's policy.
    UnsupportedHash(HashAlgorithm),
    /// The signature is malformed DER or does not verify.
    BadSignature,
}

impl core::fmt::Display for EcdsaError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NotAnEcdsaPrivateKey => {
                f.write_str("not a P-256 or P-384 EC private key in PKCS#8 or SEC 1 DER form")
            }
            Self::NotAnEcdsaPublicKey => f.write_str("not a valid P-256 or P-384 EC public key"),
            Self::UnsupportedHash(h) => write!(f, "ECDSA with {h:?} is not supported"),
            Self::BadSignature => f.write_str("the ECDSA signature does not verify"),
        }
    }
}

impl std::error::Error for EcdsaError {}

/// The message digest ECDSA signs, computed with `hash`.
fn prehash(hash: HashAlgorithm, message: &[u8]) -> Result<Vec<u8>, EcdsaError> {
    use sha2::Digest;
    Ok(match hash {
        HashAlgorithm::Md5 => return Err(EcdsaError::UnsupportedHash(hash)),
        HashAlgorithm::Sha1 => sha1::Sha1::digest(message).to_vec(),
        HashAlgorithm::Sha256 => sha2::Sha256::digest(message).to_vec(),
        HashAlgorithm::Sha384 => sha2::Sha384::digest(message).to_vec(),
        HashAlgorithm::Sha512 => sha2::Sha512::digest(message).to_vec(),
    })
}

enum Key {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

/// An ECDSA private key. The scalar is zeroized on drop (the `ecdsa` crate's `SigningKey`).
pub struct EcdsaSigningKey {
    key: Key,
    /// Uncompressed SEC 1 public point.
    public: Vec<u8>,
    /// SubjectPublicKeyInfo DER (RFC 5480), to match against the certificate.
    spki: Vec<u8>,
}

impl core::fmt::Debug for EcdsaSigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material.
        f.debug_struct("EcdsaSigningKey").field("curve", &self.curve()).finish_non_exhaustive()
    }
}

impl EcdsaSigningKey {
    /// Parses a P-256 or P-384 private key from PKCS#8 `PrivateKeyInfo` (the curve in the
    /// algorithm parameters) or SEC 1 `ECPrivateKey` DER (what `openssl ec -outform DER`
    /// writes; the curve in its parameters, or by the scalar's length when they are absent).
    pub fn from_der(der: &[u8]) -> Result<Self, EcdsaError> {
        let key = if let Ok(k) = p256::SecretKey::from_pkcs8_der(der) {
            Key::P256(k.into())
        } else if let Ok(k) = p384::SecretKey::from_pkcs8_der(der) {
            Key::P384(k.into())
        } else if let Ok(k) = p256::SecretKey::from_sec1_der(der) {
            // Before P-384: a P-256 scalar without parameters would also fit P-384 (which pads
            // short inputs), while a 48-byte P-384 scalar never fits P-256.
            Key::P256(k.into())
        } else if let Ok(k) = p384::SecretKey::from_sec1_der(der) {
            Key::P384(k.into())
        } else {
            return Err(EcdsaError::NotAnEcdsaPrivateKey);
        };
        Ok(Self::from_key(key))
    }

    /// A key from its big-endian private scalar (32 bytes for P-256, 48 for P-384); for
    /// known-answer tests.
    pub fn from_scalar(curve: EcdsaCurve, scalar: &[u8]) -> Result<Self, EcdsaError> {
        let bad = |_| EcdsaError::NotAnEcdsaPrivateKey;
        let key = match (curve, scalar.len()) {
            (EcdsaCurve::P256, 32) => Key::P256(p256::ecdsa::SigningKey::from_slice(scalar).map_err(bad)?),
            (EcdsaCurve::P384, 48) => Key::P384(p384::ecdsa::SigningKey::from_slice(scalar).map_err(bad)?),
            _ => return Err(EcdsaError::NotAnEcdsaPrivateKey),
        };
        Ok(Self::from_key(key))
    }

    fn from_key(key: Key) -> Self {
        let (public, spki) = match &key {
            Key::P256(k) => {
                let v = k.verifying_key();
                (v.to_sec1_point(false).as_bytes().to_vec(), v.to_public_key_der())
            }
            Key::P384(k) => {
                let v = k.verifying_key();
                (v.to_sec1_point(false).as_bytes().to_vec(), v.to_public_key_der())
            }
        };
        // Encoding a valid point's SPKI cannot fail (fixed-size DER).
        let spki = spki.expect("SPKI of a valid point encodes").as_bytes().to_vec();
        Self { key, public, spki }
    }

    /// The key's curve.
    pub fn curve(&self) -> EcdsaCurve {
        match self.key {
            Key::P256(_) => EcdsaCurve::P256,
            Key::P384(_) => EcdsaCurve::P384,
        }
    }

    /// The public key as an uncompressed SEC 1 point.
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// The public key as SubjectPublicKeyInfo DER (`id-ecPublicKey` with the named curve).
    pub fn public_key_spki(&self) -> &[u8] {
        &self.spki
    }

    /// Signs `message` hashed with `hash`; returns the DER signature.
    pub fn sign(&self, hash: HashAlgorithm, message: &[u8]) -> Result<Vec<u8>, EcdsaError> {
        let digest = prehash(hash, message)?;
        let unsupported = |_| EcdsaError::UnsupportedHash(hash);
        Ok(match &self.key {
            Key::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign_prehash(&digest).map_err(unsupported)?;
                sig.to_der().as_bytes().to_vec()
            }
            Key::P384(k) => {
                let sig: p384::ecdsa::Signature = k.sign_prehash(&digest).map_err(unsupported)?;
                sig.to_der().as_bytes().to_vec()
            }
        })
    }
}

/// An ECDSA public key, parsed once.
#[derive(Clone, Debug)]
pub enum EcdsaVerifyingKey {
    /// A P-256 key.
    P256(p256::ecdsa::VerifyingKey),
    /// A P-384 key.
    P384(p384::ecdsa::VerifyingKey),
}

impl EcdsaVerifyingKey {
    /// Parses an uncompressed or compressed SEC 1 point of `curve` (a certificate's
    /// `subjectPublicKey`); the point must be on the curve and not the identity.
    pub fn from_sec1(curve: EcdsaCurve, point: &[u8]) -> Result<Self, EcdsaError> {
        let bad = |_| EcdsaError::NotAnEcdsaPublicKey;
        Ok(match curve {
            EcdsaCurve::P256 => Self::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?),
            EcdsaCurve::P384 => Self::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?),
        })
    }

    /// Parses a SubjectPublicKeyInfo (RFC 5480: `id-ecPublicKey` with namedCurve P-256 or P-384).
    pub fn from_spki(spki: &[u8]) -> Result<Self, EcdsaError> {
        if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_der(spki) {
            Ok(Self::P256(k))
        } else if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_der(spki) {
            Ok(Self::P384(k))
        } else {
            Err(EcdsaError::NotAnEcdsaPublicKey)
        }
    }

    /// The key's curve.
    pub fn curve(&self) -> EcdsaCurve {
        match self {
            Self::P256(_) => EcdsaCurve::P256,
            Self::P384(_) => EcdsaCurve::P384,
        }
    }

    /// Checks the DER `signature` over `message` hashed with `hash`.
    pub fn verify(&self, hash: HashAlgorithm, message: &[u8], signature: &[u8]) -> Result<(), EcdsaError> {
        let digest = prehash(hash, message)?;
        let bad = |_| EcdsaError::BadSignature;
        match self {
            Self::P256(k) => {
                let sig = p256::ecdsa::Signature::from_der(signature).map_err(bad)?;
                k.verify_prehash(&digest, &sig).map_err(bad)
            }
            Self::P384(k) => {
                let sig = p384::ecdsa::Signature::from_der(signature).map_err(bad)?;
                k.verify_prehash(&digest, &sig).map_err(bad)
            }
        }
    }
}

/// Checks a DER ECDSA `signature` over `message` with the key in `spki` and hash `hash`.
pub fn verify_spki(
    spki: &[u8],
    hash: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), EcdsaError> {
    EcdsaVerifyingKey::from_spki(spki)?.verify(hash, message, signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::openssl_cli::{self, Scratch};
    use crate::crypto::rustcrypto::test_util::unhex;

    /// DER of the RFC 6979 (r, s) pair, for comparing with our output.
    fn der_sig(r: &str, s: &str) -> Vec<u8> {
        fn int(hex: &str) -> Vec<u8> {
            let mut v = unhex(hex);
            while v.len() > 1 && v[0] == 0 && v[1] < 0x80 {
                v.remove(0);
            }
            if v[0] >= 0x80 {
                v.insert(0, 0);
            }
            let mut out = vec![0x02, v.len() as u8];
            out.extend(v);
            out
        }
        let body = [int(r), int(s)].concat();
        let mut out = vec![0x30];
        if body.len() >= 0x80 {
            out.push(0x81);
        }
        out.push(body.len() as u8);
        out.extend(body);
        out
    }

    fn known_answer(curve: EcdsaCurve, x: &str, public: &str, hash: HashAlgorithm, r: &str, s: &str) {
        let key = EcdsaSigningKey::from_scalar(curve, &unhex(x)).unwrap();
        assert_eq!(key.public_key(), &unhex(public)[..], "{curve} public key");
        let sig = key.sign(hash, b"sample").unwrap();
        assert_eq!(sig, der_sig(r, s), "{curve} {hash:?} RFC 6979 signature");
        let public = EcdsaVerifyingKey::from_sec1(curve, key.public_key()).unwrap();
        public.verify(hash, b"sample", &sig).unwrap();
        // Tampering twins: another message, a flipped signature bit, another hash.
        assert_eq!(public.verify(hash, b"samplf", &sig), Err(EcdsaError::BadSignature));
        let mut t = sig.clone();
        let last = t.len() - 1;
        t[last] ^= 1;
        assert_eq!(public.verify(hash, b"sample", &t), Err(EcdsaError::BadSignature));
        assert_eq!(public.verify(HashAlgorithm::Sha512, b"sample", &sig), Err(EcdsaError::BadSignature));
    }

    #[test]
    fn p256_sha256_rfc6979_appendix_a_2_5() {
        known_answer(
            EcdsaCurve::P256,
            "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
            "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6\
             7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299",
            HashAlgorithm::Sha256,
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
            "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
        );
    }

    #[test]
    fn p384_sha384_rfc6979_appendix_a_2_6() {
        known_answer(
            EcdsaCurve::P384,
            "6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5",
            "04ec3a4e415b4e19a4568618029f427fa5da9a8bc4ae92e02e06aae5286b300c64def8f0ea9055866064a254515480bc13\
             8015d9b72d7d57244ea8ef9ac0c621896708a59367f9dfb9f54ca84b3f1c9db1288b231c3ae0d4fe7344fd2533264720",
            HashAlgorithm::Sha384,
            "94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46",
            "99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8",
        );
    }

    #[test]
    fn malformed_keys_and_signatures_are_errors_not_panics() {
        assert_eq!(EcdsaSigningKey::from_der(b"").unwrap_err(), EcdsaError::NotAnEcdsaPrivateKey);
        assert_eq!(
            EcdsaSigningKey::from_der(b"\x30\x03\x02\x01\x00").unwrap_err(),
            EcdsaError::NotAnEcdsaPrivateKey
        );
        // An RSA key is not an EC key.
        let rsa = include_bytes!("../../../tests/vectors/rsa2048.pkcs8.der");
        assert!(EcdsaSigningKey::from_der(rsa).is_err());
        assert!(
            EcdsaVerifyingKey::from_spki(include_bytes!("../../../tests/vectors/rsa2048.spki.der")).is_err()
        );
        assert!(EcdsaSigningKey::from_scalar(EcdsaCurve::P256, &[0; 32]).is_err());
        assert!(EcdsaSigningKey::from_scalar(EcdsaCurve::P256, &[0xff; 32]).is_err());
        assert!(EcdsaVerifyingKey::from_sec1(EcdsaCurve::P256, &[4; 65]).is_err());

        let key = EcdsaSigningKey::from_scalar(EcdsaCurve::P384, &[7; 48]).unwrap();
        assert_eq!(
            key.sign(HashAlgorithm::Md5, b"m").unwrap_err(),
            EcdsaError::UnsupportedHash(HashAlgorithm::Md5)
        );
        let public = EcdsaVerifyingKey::from_spki(key.public_key_spki()).unwrap();
        assert_eq!(public.curve(), EcdsaCurve::P384);
        for sig in [&b""[..], b"\x30\x00", &[0x30; 200], b"\x30\x06\x02\x01\x00\x02\x01\x00"] {
            assert_eq!(public.verify(HashAlgorithm::Sha384, b"m", sig), Err(EcdsaError::BadSignature));
        }
        assert!(!format!("{key:?}").contains("07"), "Debug must not print key material");
    }

    /// One curve against `openssl`: keys it makes load in both DER forms; our signatures verify
    /// with `openssl dgst -verify` and its signatures verify with ours; neither verifies a
    /// tampered message.
    fn cross_check(curve_name: &str, curve: EcdsaCurve, hash: HashAlgorithm, dgst: &str) {
        let dir = Scratch::new("ecdsa");
        let key_pem = dir.path("key.pem");
        openssl_cli::ok(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            &format!("ec_paramgen_curve:{curve_name}"),
            "-out",
            &key_pem,
        ]);
        let pkcs8 = openssl_cli::ok(&["pkey", "-in", &key_pem, "-outform", "DER"]);
        let sec1 = openssl_cli::ok(&["ec", "-in", &key_pem, "-outform", "DER"]);
        let spki = openssl_cli::ok(&["pkey", "-in", &key_pem, "-pubout", "-outform", "DER"]);
        let pub_pem = dir.path("pub.pem");
        openssl_cli::ok(&["pkey", "-in", &key_pem, "-pubout", "-out", &pub_pem]);

        let ours = EcdsaSigningKey::from_der(&pkcs8).unwrap();
        assert_eq!(ours.curve(), curve);
        assert_eq!(ours.public_key_spki(), &spki[..], "same public key as openssl reports");
        let from_sec1 = EcdsaSigningKey::from_der(&sec1).unwrap();
        assert_eq!(from_sec1.public_key(), ours.public_key());

        let message = b"ServerKeyExchange params: client_random || server_random || ECParameters";
        let msg = dir.write("msg", message);
        let tampered = dir
            .write("tampered", b"ServerKeyExchange params: client_random || server_random || ECParameterz");

        // Ours -> openssl.
        let sig = dir.write("our.sig", &ours.sign(hash, message).unwrap());
        let verify =
            |file: &str| openssl_cli::run(&["dgst", dgst, "-verify", &pub_pem, "-signature", &sig, file]);
        let (ok, out, err) = verify(&msg);
        assert!(ok && out.starts_with(b"Verified OK"), "openssl rejected our {curve} signature: {err}");
        assert!(!verify(&tampered).0, "openssl accepted our {curve} signature over another message");

        // openssl -> ours.
        let their_sig_path = dir.path("their.sig");
        openssl_cli::ok(&["dgst", dgst, "-sign", &key_pem, "-out", &their_sig_path, &msg]);
        let their_sig = std::fs::read(&their_sig_path).unwrap();
        verify_spki(&spki, hash, message, &their_sig).unwrap();
        assert_eq!(
            verify_spki(
                &spki,
                hash,
                b"ServerKeyExchange params: client_random || server_random || ECParameterz",
                &their_sig
            ),
            Err(EcdsaError::BadSignature)
        );
    }

    #[test]
    fn p256_and_p384_agree_with_openssl_in_both_directions() {
        cross_check("P-256", EcdsaCurve::P256, HashAlgorithm::Sha256, "-sha256");
        cross_check("P-384", EcdsaCurve::P384, HashAlgorithm::Sha384, "-sha384");
        // TLS 1.2 decouples hash and curve (RFC 8422 §5.10): P-256 with SHA-384 and SHA-512,
        // P-384 with SHA-256 (digest shorter than the order: left-aligned per FIPS 186-5).
        cross_check("P-256", EcdsaCurve::P256, HashAlgorithm::Sha512, "-sha512");
        cross_check("P-384", EcdsaCurve::P384, HashAlgorithm::Sha256, "-sha256");
    }
}
