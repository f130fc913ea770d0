//! RSASSA-PSS signatures for TLS: `rsa_pss_rsae_sha256/384/512` (RFC 8446 §4.2.3, usable in
//! TLS 1.2 by RFC 8446 §1.3 / RFC 9155), over ordinary `rsaEncryption` keys, with the `rsa`
//! crate. The PKCS#1 v1.5 schemes and RSA key exchange live in `rsa.rs`, whose key type and
//! public-key parsing (1024..=8192-bit policy) are shared.
//!
//! RFC 8446 §4.2.3 fixes the parameters: MGF1 with the same hash as the message, and a salt as
//! long as the hash output. Signing uses exactly that; verification requires it (a signature
//! with another salt length is refused, as OpenSSL and BoringSSL do in TLS).

use sha2::digest::FixedOutputReset;
use sha2::Digest;

use super::rand::rsa_rng;
use super::rsa::{public_key, RsaKey};
use crate::crypto::{GetRandomFailed, HashAlgorithm, RsaPublicKeyError};

/// Why an RSA-PSS operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RsaPssError {
    /// TLS defines PSS only with SHA-256, SHA-384 and SHA-512.
    UnsupportedHash(HashAlgorithm),
    /// The key's modulus (in bits) is too short for the hash and a salt of the hash's length
    /// (RFC 8017 §9.1.1: emLen ≥ hLen + sLen + 2; e.g. SHA-512 needs more than 1024 bits).
    KeyTooSmall {
        /// Modulus size in bits.
        bits: usize,
        /// The hash that does not fit.
        hash: HashAlgorithm,
    },
    /// The public key is not an acceptable RSA key.
    PublicKey(RsaPublicKeyError),
    /// The signature does not verify (or has the wrong length or salt length).
    BadSignature,
    /// The random source (salt, blinding) failed.
    Random(GetRandomFailed),
}

impl core::fmt::Display for RsaPssError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::UnsupportedHash(h) => write!(f, "RSA-PSS with {h:?} is not defined for TLS"),
            Self::KeyTooSmall { bits, hash } => {
                write!(f, "a {bits}-bit RSA key is too small for RSA-PSS with {hash:?}")
            }
            Self::PublicKey(RsaPublicKeyError::UnacceptableSize(bits)) => {
                write!(f, "RSA public key of {bits} bits is outside the accepted 1024..=8192")
            }
            Self::PublicKey(_) => f.write_str("not an RSA public key"),
            Self::BadSignature => f.write_str("the RSA-PSS signature does not verify"),
            Self::Random(_) => f.write_str("the random source failed while signing"),
        }
    }
}

impl std::error::Error for RsaPssError {}

/// Whether a key of `modulus_bits` can make RSA-PSS signatures with `hash` and a salt of the
/// hash's length (RFC 8017 §9.1.1 step 3, emLen = ⌈(modBits − 1) / 8⌉ ≥ 2·hLen + 2), so that a
/// signing key can leave a scheme out of its choice instead of failing after choosing it.
pub fn key_fits(modulus_bits: usize, hash: HashAlgorithm) -> bool {
    let em_len = modulus_bits.saturating_sub(1).div_ceil(8);
    em_len >= 2 * hash.output_len() + 2
}

/// Signs `message` with RSASSA-PSS, MGF1 and salt length all from `hash` (SHA-256/384/512).
/// The salt and the blinding of the private operation come from the system random source,
/// as for the PKCS#1 v1.5 signatures in `rsa.rs`.
pub fn sign(key: &RsaKey, hash: HashAlgorithm, message: &[u8]) -> Result<Vec<u8>, RsaPssError> {
    sign_with(key.private_key(), hash, message)
}

/// [`sign`] with the `rsa` crate's key (the TLS signer in `rsa.rs` holds that).
pub(crate) fn sign_with(
    private: &rsa::PrivateKey,
    hash: HashAlgorithm,
    message: &[u8],
) -> Result<Vec<u8>, RsaPssError> {
    use rsa::traits::PublicKeyParts;
    let bits = private.n().bit_width() as usize;
    if !matches!(hash, HashAlgorithm::Sha256 | HashAlgorithm::Sha384 | HashAlgorithm::Sha512) {
        return Err(RsaPssError::UnsupportedHash(hash));
    }
    if !key_fits(bits, hash) {
        return Err(RsaPssError::KeyTooSmall { bits, hash });
    }
    let result = match hash {
        HashAlgorithm::Sha256 => private.pss_sign_with_rng::<sha2::Sha256, _>(&mut rsa_rng(), message),
        HashAlgorithm::Sha384 => private.pss_sign_with_rng::<sha2::Sha384, _>(&mut rsa_rng(), message),
        _ => private.pss_sign_with_rng::<sha2::Sha512, _>(&mut rsa_rng(), message),
    };
    result.map_err(|e| match e {
        rsa::Error::Rng => RsaPssError::Random(GetRandomFailed),
        // Sizes were checked above; what remains is a fault detected in the private operation.
        _ => RsaPssError::BadSignature,
    })
}

/// Checks an RSASSA-PSS `signature` over `message` with the RSA key in `spki` (an
/// `rsaEncryption` SubjectPublicKeyInfo of 1024 to 8192 bits), hash `hash` for message and
/// MGF1, and a salt of exactly the hash's length.
pub fn verify_spki(
    spki: &[u8],
    hash: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), RsaPssError> {
    let key = public_key(spki).map_err(RsaPssError::PublicKey)?;
    verify(&key, hash, message, signature)
}

/// [`verify_spki`] with a parsed key.
pub fn verify(
    key: &rsa::PublicKey,
    hash: HashAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), RsaPssError> {
    fn with<D: Digest + FixedOutputReset>(
        key: &rsa::PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaPssError> {
        // `pss_verify` requires salt length = digest length (RFC 8446 §4.2.3).
        key.pss_verify::<D>(message, signature).map_err(|_| RsaPssError::BadSignature)
    }
    match hash {
        HashAlgorithm::Sha256 => with::<sha2::Sha256>(key, message, signature),
        HashAlgorithm::Sha384 => with::<sha2::Sha384>(key, message, signature),
        HashAlgorithm::Sha512 => with::<sha2::Sha512>(key, message, signature),
        HashAlgorithm::Md5 | HashAlgorithm::Sha1 => Err(RsaPssError::UnsupportedHash(hash)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::openssl_cli::{self, Scratch};

    const PKCS8: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.pkcs8.der");
    const SPKI: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.spki.der");

    fn key() -> RsaKey {
        RsaKey::from_der(PKCS8).unwrap()
    }

    #[test]
    fn round_trip_with_every_hash_and_tampering_twins() {
        let key = key();
        for hash in [HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512] {
            let sig = sign(&key, hash, b"CertificateVerify content").unwrap();
            assert_eq!(sig.len(), 256);
            verify_spki(SPKI, hash, b"CertificateVerify content", &sig).unwrap();
            // Randomized salt: two signatures of one message differ, both verify.
            let again = sign(&key, hash, b"CertificateVerify content").unwrap();
            assert_ne!(sig, again);
            verify_spki(SPKI, hash, b"CertificateVerify content", &again).unwrap();

            let mut t = sig.clone();
            t[100] ^= 0x04;
            assert_eq!(
                verify_spki(SPKI, hash, b"CertificateVerify content", &t),
                Err(RsaPssError::BadSignature)
            );
            assert_eq!(
                verify_spki(SPKI, hash, b"CertificateVerify contenu", &sig),
                Err(RsaPssError::BadSignature)
            );
        }
        // The hash is bound: a SHA-256 signature is not a SHA-384 one.
        let sig = sign(&key, HashAlgorithm::Sha256, b"m").unwrap();
        assert_eq!(verify_spki(SPKI, HashAlgorithm::Sha384, b"m", &sig), Err(RsaPssError::BadSignature));
    }

    #[test]
    fn hashes_outside_tls_pss_and_bad_keys_are_errors() {
        let key = key();
        assert_eq!(
            sign(&key, HashAlgorithm::Sha1, b"m"),
            Err(RsaPssError::UnsupportedHash(HashAlgorithm::Sha1))
        );
        assert_eq!(
            verify_spki(SPKI, HashAlgorithm::Md5, b"m", &[0; 256]),
            Err(RsaPssError::UnsupportedHash(HashAlgorithm::Md5))
        );
        assert!(matches!(
            verify_spki(b"junk", HashAlgorithm::Sha256, b"m", &[0; 256]),
            Err(RsaPssError::PublicKey(_))
        ));
        let small = include_bytes!("../../../tests/vectors/rsa768.spki.der");
        assert_eq!(
            verify_spki(small, HashAlgorithm::Sha256, b"m", &[0; 96]),
            Err(RsaPssError::PublicKey(RsaPublicKeyError::UnacceptableSize(768)))
        );
        assert_eq!(verify_spki(SPKI, HashAlgorithm::Sha256, b"m", &[]), Err(RsaPssError::BadSignature));
        assert_eq!(
            verify_spki(SPKI, HashAlgorithm::Sha256, b"m", &[0xff; 257]),
            Err(RsaPssError::BadSignature)
        );
    }

    #[test]
    fn key_fits_follows_rfc8017_emlen() {
        // 2·64 + 2 = 130 bytes: SHA-512 needs emLen ≥ 130, i.e. modBits ≥ 1033.
        assert!(!key_fits(1024, HashAlgorithm::Sha512));
        assert!(key_fits(1024, HashAlgorithm::Sha384));
        assert!(key_fits(1040, HashAlgorithm::Sha512));
        assert!(key_fits(2048, HashAlgorithm::Sha512));
    }

    #[test]
    fn a_1024_bit_key_signs_sha256_but_reports_sha512_as_too_small() {
        let dir = Scratch::new("rsapss1024");
        let pem = dir.path("k.pem");
        openssl_cli::ok(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", &pem]);
        let key = RsaKey::from_der(&openssl_cli::ok(&["pkey", "-in", &pem, "-outform", "DER"])).unwrap();
        let spki = openssl_cli::ok(&["pkey", "-in", &pem, "-pubout", "-outform", "DER"]);
        let sig = sign(&key, HashAlgorithm::Sha256, b"m").unwrap();
        verify_spki(&spki, HashAlgorithm::Sha256, b"m", &sig).unwrap();
        assert_eq!(
            sign(&key, HashAlgorithm::Sha512, b"m"),
            Err(RsaPssError::KeyTooSmall { bits: 1024, hash: HashAlgorithm::Sha512 })
        );
    }

    #[test]
    fn agrees_with_openssl_in_both_directions_and_requires_the_digest_length_salt() {
        let dir = Scratch::new("rsapss");
        let key_der = dir.write("key.der", PKCS8);
        let pub_pem = dir.path("pub.pem");
        openssl_cli::ok(&[
            "pkey",
            "-pubin",
            "-inform",
            "DER",
            "-in",
            &dir.write("pub.der", SPKI),
            "-out",
            &pub_pem,
        ]);
        let message = b"ServerKeyExchange: client_random || server_random || ServerECDHParams";
        let msg = dir.write("msg", message);
        let tampered =
            dir.write("tampered", b"ServerKeyExchange: client_random || server_random || ServerECDHParamz");
        let pss = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"];

        for (hash, dgst) in [
            (HashAlgorithm::Sha256, "-sha256"),
            (HashAlgorithm::Sha384, "-sha384"),
            (HashAlgorithm::Sha512, "-sha512"),
        ] {
            // Ours -> openssl.
            let sig = dir.write("our.sig", &sign(&key(), hash, message).unwrap());
            let verify = |file: &str| {
                let mut args = vec!["dgst", dgst];
                args.extend(pss);
                args.extend(["-verify", &pub_pem, "-signature", &sig, file]);
                openssl_cli::run(&args)
            };
            let (ok, out, err) = verify(&msg);
            assert!(
                ok && out.starts_with(b"Verified OK"),
                "openssl rejected our {dgst} PSS signature: {err}"
            );
            assert!(!verify(&tampered).0, "openssl accepted our signature over another message");

            // openssl -> ours.
            let their_sig = dir.path("their.sig");
            let mut args = vec!["dgst", dgst];
            args.extend(pss);
            args.extend(["-sign", &key_der, "-keyform", "DER", "-out", &their_sig, &msg]);
            openssl_cli::ok(&args);
            let their_sig = std::fs::read(&their_sig).unwrap();
            verify_spki(SPKI, hash, message, &their_sig).unwrap();
            assert_eq!(verify_spki(SPKI, hash, b"other", &their_sig), Err(RsaPssError::BadSignature));

            // A salt of another length (OpenSSL's "max") is a valid PSS signature, but not a
            // valid rsa_pss_rsae_* one (RFC 8446 §4.2.3).
            let max_salt = dir.path("max.sig");
            openssl_cli::ok(&[
                "dgst",
                dgst,
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:max",
                "-sign",
                &key_der,
                "-keyform",
                "DER",
                "-out",
                &max_salt,
                &msg,
            ]);
            let max_salt = std::fs::read(&max_salt).unwrap();
            assert_eq!(verify_spki(SPKI, hash, message, &max_salt), Err(RsaPssError::BadSignature));
        }
    }
}
