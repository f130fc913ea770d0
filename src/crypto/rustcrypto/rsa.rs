//! RSA key exchange and PKCS#1 v1.5 signatures with the `rsa` crate (RFC 5246 §7.4.7.1,
//! §7.4.8; RFC 2246 §7.4.8 for the MD5‖SHA-1 form).

use std::sync::Arc;

use rsa::hazmat::rsa_decrypt_and_check;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::der::Decode;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey, SubjectPublicKeyInfoRef};
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, Pkcs1v15Encrypt, Pkcs1v15Sign};
use zeroize::Zeroizing;

use super::rand::rsa_rng;
use crate::crypto::{
    self, HashAlgorithm, KeyProvider, KeyType, PrivateKey, RsaPublicKeyError, SignError, Signer, SigningKey,
};
use crate::enums::SignatureScheme;

/// Smallest RSA modulus accepted, for our own keys and for peers' (bits).
pub const MIN_RSA_BITS: usize = 1024;
/// Largest RSA modulus accepted from a peer (bits): bounds the cost of a public operation.
pub const MAX_RSA_BITS: usize = 8192;

/// The [`KeyProvider`] the default provider uses.
pub static RSA_KEY_PROVIDER: RsaKeyProvider = RsaKeyProvider;

/// The schemes an RSA key signs with, most preferred first: RSA-PSS (RFC 8446 §4.2.3 prefers
/// it; a provable security reduction), then PKCS#1 v1.5, SHA-1 last: the handshake offers and
/// accepts it only in the legacy profile (RFC 9155). PSS schemes whose hash does not fit the
/// key (SHA-512 with a 1024-bit key) are skipped by the key's choice.
static RSA_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
    SignatureScheme::RsaPkcs1Sha256,
    SignatureScheme::RsaPkcs1Sha384,
    SignatureScheme::RsaPkcs1Sha512,
    SignatureScheme::RsaPkcs1Sha1,
];

/// Every scheme [`KeyProvider::verify_tls_signature`] checks, most preferred first.
static VERIFY_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::EcdsaSecp256r1Sha256,
    SignatureScheme::EcdsaSecp384r1Sha384,
    SignatureScheme::Ed25519,
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
    SignatureScheme::RsaPkcs1Sha256,
    SignatureScheme::RsaPkcs1Sha384,
    SignatureScheme::RsaPkcs1Sha512,
    SignatureScheme::RsaPkcs1Sha1,
    SignatureScheme::EcdsaSha1Legacy,
];

/// The hash of an RSA-PSS (rsaEncryption key) scheme.
fn pss_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    Some(match scheme {
        SignatureScheme::RsaPssRsaeSha256 => HashAlgorithm::Sha256,
        SignatureScheme::RsaPssRsaeSha384 => HashAlgorithm::Sha384,
        SignatureScheme::RsaPssRsaeSha512 => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// The hash of an ECDSA scheme. In TLS 1.2 the scheme names the hash only; the curve is the
/// key's (RFC 8422 §5.10 lets a P-384 key sign with SHA-256).
fn ecdsa_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    Some(match scheme {
        SignatureScheme::EcdsaSha1Legacy => HashAlgorithm::Sha1,
        SignatureScheme::EcdsaSecp256r1Sha256 => HashAlgorithm::Sha256,
        SignatureScheme::EcdsaSecp384r1Sha384 => HashAlgorithm::Sha384,
        SignatureScheme::EcdsaSecp521r1Sha512 => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// The hash of an RSA PKCS#1 v1.5 scheme.
fn pkcs1_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    Some(match scheme {
        SignatureScheme::RsaPkcs1Sha1 => HashAlgorithm::Sha1,
        SignatureScheme::RsaPkcs1Sha256 => HashAlgorithm::Sha256,
        SignatureScheme::RsaPkcs1Sha384 => HashAlgorithm::Sha384,
        SignatureScheme::RsaPkcs1Sha512 => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// MD5(m) ‖ SHA-1(m), what TLS 1.0/1.1 RSA signatures sign (RFC 2246 §7.4.3).
fn md5_sha1(message: &[u8]) -> Vec<u8> {
    let hash = |alg| super::hash::hash(alg).expect("every hash is provided").hash(message);
    let mut digest = hash(HashAlgorithm::Md5).as_ref().to_vec();
    digest.extend_from_slice(hash(HashAlgorithm::Sha1).as_ref());
    digest
}

/// [`KeyProvider`] over the `rsa` crate.
#[derive(Clone, Copy, Debug, Default)]
pub struct RsaKeyProvider;

impl KeyProvider for RsaKeyProvider {
    fn load_private_key(&self, der: &[u8]) -> Result<PrivateKey, String> {
        Ok(PrivateKey::from_rsa(Arc::new(RsaKey::from_der(der)?)))
    }

    fn decrypt_pkcs8(&self, der: &[u8], password: &[u8]) -> Result<Vec<u8>, String> {
        // RFC 8018 §6.2 PBES2 (PBKDF2 or scrypt, with AES-CBC) through the pkcs8/pkcs5 crates.
        // A wrong password almost always shows as bad CBC padding, sometimes as a decrypted
        // blob that is not a PrivateKeyInfo; both are one error, "wrong password or corrupt".
        let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(der)
            .map_err(|e| format!("not a PKCS#8 EncryptedPrivateKeyInfo: {e}"))?;
        let document =
            info.decrypt(password).map_err(|_| "wrong password or corrupt encrypted key".to_owned())?;
        let plain = document.as_bytes().to_vec();
        pkcs8::PrivateKeyInfoRef::try_from(plain.as_slice())
            .map_err(|_| "wrong password or corrupt encrypted key".to_owned())?;
        Ok(plain)
    }

    fn rsa_encrypt_pkcs1(&self, spki: &[u8], message: &[u8]) -> Result<Vec<u8>, RsaPublicKeyError> {
        let key = public_key(spki)?;
        key.encrypt(&mut rsa_rng(), Pkcs1v15Encrypt, message).map_err(|e| match e {
            rsa::Error::Rng => RsaPublicKeyError::Random(crypto::GetRandomFailed),
            // The only other failure is a message too long for the key: with keys of at least
            // 1024 bits and a 48-byte premaster this cannot happen, so call the key unusable.
            _ => RsaPublicKeyError::UnacceptableSize(key.n().bit_width() as usize),
        })
    }

    fn verify_tls_signature(
        &self,
        spki: &[u8],
        scheme: Option<SignatureScheme>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaPublicKeyError> {
        fn bad<E>(_: E) -> RsaPublicKeyError {
            RsaPublicKeyError::BadSignature
        }
        // ECDSA (RFC 8422 §5.4; SHA-1 in TLS 1.0/1.1) and Ed25519 (RFC 8422 §5.10) keys.
        if let Some(hash) = scheme.and_then(ecdsa_hash) {
            return super::ecdsa::verify_spki(spki, hash, message, signature).map_err(bad);
        }
        if scheme == Some(SignatureScheme::Ed25519) {
            return super::ed25519::verify_spki(spki, message, signature).map_err(bad);
        }
        let key = match public_key(spki) {
            // TLS 1.0/1.1 name no scheme: an EC key signs SHA-1(m) (RFC 4492 §5.4).
            Err(RsaPublicKeyError::NotRsa) if scheme.is_none() => {
                return super::ecdsa::verify_spki(spki, HashAlgorithm::Sha1, message, signature).map_err(bad)
            }
            other => other?,
        };
        if let Some(hash) = scheme.and_then(pss_hash) {
            return super::rsa_pss::verify(&key, hash, message, signature).map_err(bad);
        }
        let digest;
        let (padding, hashed) = match scheme {
            // RFC 2246 §7.4.3: the MD5‖SHA-1 digest is signed without a DigestInfo.
            None => {
                digest = md5_sha1(message);
                (Pkcs1v15Sign::new_unprefixed(), digest.as_slice())
            }
            Some(scheme) => {
                let alg = pkcs1_hash(scheme).ok_or(RsaPublicKeyError::BadSignature)?;
                let padding = signature_scheme(alg).ok_or(RsaPublicKeyError::BadSignature)?;
                let d = super::hash::hash(alg).expect("every hash is provided").hash(message);
                digest = d.as_ref().to_vec();
                (padding, digest.as_slice())
            }
        };
        key.verify(padding, hashed, signature).map_err(|_| RsaPublicKeyError::BadSignature)
    }

    fn verify_schemes(&self) -> &'static [SignatureScheme] {
        VERIFY_SCHEMES
    }
}

/// An RSA private key ([`crypto::RsaPrivateKey`] and [`SigningKey`]); CRT values are
/// precomputed at load time.
pub struct RsaKey {
    key: Arc<rsa::PrivateKey>,
    spki: Vec<u8>,
}

impl core::fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material.
        f.debug_struct("RsaKey").field("bits", &self.key.n().bit_width()).finish_non_exhaustive()
    }
}

impl RsaKey {
    /// Parses PKCS#1 `RSAPrivateKey` or PKCS#8 `PrivateKeyInfo` DER; keys below
    /// [`MIN_RSA_BITS`] are refused.
    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        // Check the size first: the rsa crate also refuses small keys, but with a generic
        // "malformed" error that would not tell the user what is wrong.
        if let Some(bits) = private_modulus_bits(der) {
            if bits < MIN_RSA_BITS {
                return Err(format!(
                    "RSA private key is {bits} bits; at least {MIN_RSA_BITS} bits are required"
                ));
            }
        }
        let key = rsa::PrivateKey::from_pkcs1_der(der)
            .or_else(|_| rsa::PrivateKey::from_pkcs8_der(der))
            .map_err(|e| format!("not an RSA private key in PKCS#1 or PKCS#8 DER form ({e})"))?;
        let bits = key.n().bit_width() as usize;
        if bits < MIN_RSA_BITS {
            return Err(format!("RSA private key is {bits} bits; at least {MIN_RSA_BITS} bits are required"));
        }
        let spki = key
            .to_public_key()
            .to_public_key_der()
            .map_err(|e| format!("cannot encode the RSA public key ({e})"))?
            .as_bytes()
            .to_vec();
        Ok(Self { key: Arc::new(key), spki })
    }

    fn signer(&self, scheme: Option<SignatureScheme>) -> Box<dyn Signer> {
        Box::new(RsaSigner { key: Arc::clone(&self.key), scheme })
    }

    /// The `rsa` crate's key, for the other RSA signature schemes (`rsa_pss.rs`).
    pub(crate) fn private_key(&self) -> &rsa::PrivateKey {
        &self.key
    }
}

impl crypto::RsaPrivateKey for RsaKey {
    fn modulus_len(&self) -> usize {
        self.key.size()
    }

    fn decrypt_raw(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, crypto::RsaDecryptError> {
        let k = self.key.size();
        if ciphertext.len() != k {
            return Err(crypto::RsaDecryptError);
        }
        let c = BoxedUint::from_be_slice(ciphertext, self.key.n_bits_precision())
            .map_err(|_| crypto::RsaDecryptError)?;
        // The raw private operation, blinded with fresh randomness (and checked against CRT
        // faults). Its only errors are c >= n (public) and a fault or RNG failure, neither of
        // which depends on the plaintext's padding.
        let m = Zeroizing::new(
            rsa_decrypt_and_check(&*self.key, Some(&mut rsa_rng()), &c)
                .map_err(|_| crypto::RsaDecryptError)?,
        );
        let bytes = Zeroizing::new(m.to_be_bytes());
        // The integer may be stored wider than k bytes; m < n, so the excess is leading zeros.
        Ok(Zeroizing::new(bytes[bytes.len() - k..].to_vec()))
    }
}

impl SigningKey for RsaKey {
    fn key_type(&self) -> KeyType {
        KeyType::Rsa
    }

    fn public_key_spki(&self) -> Vec<u8> {
        self.spki.clone()
    }

    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        let bits = self.key.n().bit_width() as usize;
        RSA_SCHEMES
            .iter()
            .filter(|s| pss_hash(**s).is_none_or(|h| super::rsa_pss::key_fits(bits, h)))
            .find(|s| offered.contains(s))
            .map(|s| self.signer(Some(*s)))
    }

    fn legacy_signer(&self) -> Option<Box<dyn Signer>> {
        Some(self.signer(None))
    }
}

/// An RSA key bound to a PKCS#1 v1.5 or PSS scheme (or the TLS 1.0/1.1 MD5‖SHA-1 form).
struct RsaSigner {
    key: Arc<rsa::PrivateKey>,
    scheme: Option<SignatureScheme>,
}

impl Signer for RsaSigner {
    fn scheme(&self) -> Option<SignatureScheme> {
        self.scheme
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        if let Some(hash) = self.scheme.and_then(pss_hash) {
            return super::rsa_pss::sign_with(&self.key, hash, message).map_err(|e| match e {
                super::rsa_pss::RsaPssError::Random(_) => SignError::Random,
                _ => SignError::Refused("the RSA-PSS signature failed"),
            });
        }
        let (padding, digest) = match self.scheme {
            // RFC 2246 §7.4.3: TLS 1.0/1.1 sign the 36-byte MD5‖SHA-1 digest without DigestInfo.
            None => (Pkcs1v15Sign::new_unprefixed(), md5_sha1(message)),
            Some(scheme) => {
                let alg = pkcs1_hash(scheme).ok_or(SignError::Refused("not an RSA PKCS#1 v1.5 scheme"))?;
                // MD5 signatures are refused (RFC 9155 §2).
                let padding = signature_scheme(alg).ok_or(SignError::Refused("MD5 signatures"))?;
                let d = super::hash::hash(alg).expect("every hash is provided").hash(message);
                (padding, d.as_ref().to_vec())
            }
        };
        // With an RNG the private operation is blinded (timing side channels on d).
        self.key.sign_with_rng(&mut rsa_rng(), padding, &digest).map_err(|_| SignError::Random)
    }
}

/// PKCS#1 v1.5 DigestInfo prefix for `alg`; `None` for MD5, which TLS must not sign with
/// (RFC 9155 §2).
fn signature_scheme(alg: HashAlgorithm) -> Option<Pkcs1v15Sign> {
    Some(match alg {
        HashAlgorithm::Md5 => return None,
        HashAlgorithm::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        HashAlgorithm::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        HashAlgorithm::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        HashAlgorithm::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
    })
}

/// Parses an RSA SubjectPublicKeyInfo, refusing moduli outside
/// [`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`] with their size.
pub(crate) fn public_key(spki: &[u8]) -> Result<rsa::PublicKey, RsaPublicKeyError> {
    let info = SubjectPublicKeyInfoRef::from_der(spki).map_err(|_| RsaPublicKeyError::NotRsa)?;
    if info.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
        return Err(RsaPublicKeyError::NotRsa);
    }
    let key_bytes = info.subject_public_key.as_bytes().ok_or(RsaPublicKeyError::NotRsa)?;
    let pkcs1 = rsa::pkcs1::RsaPublicKeyRef::from_der(key_bytes).map_err(|_| RsaPublicKeyError::NotRsa)?;
    let bits = bit_length(pkcs1.modulus.as_bytes());
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(RsaPublicKeyError::UnacceptableSize(bits));
    }
    rsa::PublicKey::try_from(info).map_err(|_| RsaPublicKeyError::NotRsa)
}

/// Modulus size of a PKCS#1 or PKCS#8 RSA private key, read from the DER without building the
/// key (so that a too-small key can be reported as such).
fn private_modulus_bits(der: &[u8]) -> Option<usize> {
    let pkcs1 = match rsa::pkcs8::PrivateKeyInfoRef::from_der(der) {
        Ok(info) => info.private_key.as_bytes(),
        Err(_) => der,
    };
    let key = rsa::pkcs1::RsaPrivateKeyRef::from_der(pkcs1).ok()?;
    Some(bit_length(key.modulus.as_bytes()))
}

/// Bit length of a big-endian unsigned integer.
fn bit_length(be: &[u8]) -> usize {
    let be = &be[be.iter().take_while(|&&b| b == 0).count()..];
    match be.first() {
        None => 0,
        Some(&top) => be.len() * 8 - top.leading_zeros() as usize,
    }
}

#[cfg(test)]
mod tests {
    //! Keys and ciphertexts come from OpenSSL (see tests/vectors/README.md): generating RSA keys
    //! in a debug build is too slow for unit tests, and OpenSSL-made ciphertexts and signatures
    //! double as an interoperability check.
    use super::*;
    use rsa::pkcs8::der::asn1::BitStringRef;
    use rsa::pkcs8::der::Encode;

    const PKCS1: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.pkcs1.der");
    const PKCS8: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.pkcs8.der");
    const SPKI: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.spki.der");
    const SMALL_PKCS8: &[u8] = include_bytes!("../../../tests/vectors/rsa768.pkcs8.der");
    const SMALL_SPKI: &[u8] = include_bytes!("../../../tests/vectors/rsa768.spki.der");
    const P256_SPKI: &[u8] = include_bytes!("../../../tests/vectors/p256.spki.der");
    /// `openssl pkeyutl -encrypt` of 03 03 10 11 .. 3d (48 bytes) with PKCS#1 v1.5 padding.
    const OPENSSL_PREMASTER: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.premaster_0303.bin");
    /// `openssl dgst -sha256 -sign` of "ferrotls signature test".
    const OPENSSL_SIG_SHA256: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.sig_sha256.bin");
    /// `openssl pkeyutl -sign` (no DigestInfo) of MD5‖SHA-1 of "ferrotls signature test".
    const OPENSSL_SIG_MD5SHA1: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.sig_md5sha1.bin");
    const SIGNED: &[u8] = b"ferrotls signature test";

    fn key() -> PrivateKey {
        RSA_KEY_PROVIDER.load_private_key(PKCS8).unwrap()
    }

    /// The shared constant-time check over this provider's raw RSA.
    fn decrypt(k: &PrivateKey, ciphertext: &[u8], version: [u8; 2]) -> [u8; 48] {
        *crypto::decrypt_premaster(&**k.rsa().unwrap(), ciphertext, version, &FALLBACK)
    }

    fn openssl_premaster() -> [u8; 48] {
        let mut p = [0u8; 48];
        p[0] = 3;
        p[1] = 3;
        for (i, b) in p[2..].iter_mut().enumerate() {
            *b = 0x10 + i as u8;
        }
        p
    }

    const FALLBACK: [u8; 48] = [0xfb; 48];

    /// Raw RSA encryption of an arbitrary encoded message `em` (k bytes), to build malformed
    /// paddings that a PKCS#1 encrypter would never produce.
    fn raw_encrypt(em: &[u8]) -> Vec<u8> {
        let public = public_key(SPKI).unwrap();
        let m = BoxedUint::from_be_slice(em, public.n_bits_precision()).unwrap();
        let c = rsa::hazmat::rsa_encrypt(&public, &m).unwrap().to_be_bytes();
        c[c.len() - em.len()..].to_vec()
    }

    /// A well-formed type-2 encoding of `message` in 256 bytes, with nonzero padding.
    fn type2(message: &[u8]) -> Vec<u8> {
        let mut em = vec![0x00, 0x02];
        em.resize(256 - message.len() - 1, 0x5c);
        em.push(0x00);
        em.extend_from_slice(message);
        em
    }

    #[test]
    fn pkcs1_and_pkcs8_der_load_to_the_same_key_as_openssl_reports() {
        let a = RSA_KEY_PROVIDER.load_private_key(PKCS1).unwrap();
        let b = RSA_KEY_PROVIDER.load_private_key(PKCS8).unwrap();
        assert_eq!(a.rsa().unwrap().modulus_len(), 256);
        assert_eq!(a.key_type(), KeyType::Rsa);
        assert_eq!(a.public_key_spki(), SPKI);
        assert_eq!(b.public_key_spki(), SPKI);
        assert!(!format!("{a:?}").contains("d:"), "Debug must not print key material");
    }

    #[test]
    fn keys_below_1024_bits_are_refused_with_their_size() {
        let err = RSA_KEY_PROVIDER.load_private_key(SMALL_PKCS8).unwrap_err();
        assert!(err.contains("768 bits") && err.contains("1024"), "{err}");
    }

    #[test]
    fn non_key_der_is_refused() {
        let err = RSA_KEY_PROVIDER.load_private_key(b"\x30\x03\x02\x01\x00").unwrap_err();
        assert!(err.contains("PKCS#1 or PKCS#8"), "{err}");
        assert!(RSA_KEY_PROVIDER.load_private_key(SPKI).is_err());
    }

    #[test]
    fn decrypt_premaster_recovers_an_openssl_encryption() {
        assert_eq!(decrypt(&key(), OPENSSL_PREMASTER, [3, 3]), openssl_premaster());
    }

    #[test]
    fn decrypt_premaster_recovers_our_own_encryption() {
        let mut premaster = [0x42u8; 48];
        premaster[..2].copy_from_slice(&[3, 1]);
        let c = RSA_KEY_PROVIDER.rsa_encrypt_pkcs1(SPKI, &premaster).unwrap();
        assert_eq!(c.len(), 256);
        assert_eq!(decrypt(&key(), &c, [3, 1]), premaster);
    }

    #[test]
    fn decrypt_premaster_returns_fallback_for_a_wrong_version() {
        let k = key();
        assert_eq!(decrypt(&k, OPENSSL_PREMASTER, [3, 1]), FALLBACK);
        assert_eq!(decrypt(&k, OPENSSL_PREMASTER, [2, 3]), FALLBACK);
    }

    #[test]
    fn decrypt_premaster_returns_fallback_for_47_or_49_byte_plaintexts() {
        let k = key();
        for len in [47usize, 49] {
            let mut message = vec![0x33u8; len];
            message[..2].copy_from_slice(&[3, 3]);
            let c = RSA_KEY_PROVIDER.rsa_encrypt_pkcs1(SPKI, &message).unwrap();
            assert_eq!(decrypt(&k, &c, [3, 3]), FALLBACK, "{len} bytes");
        }
    }

    #[test]
    fn decrypt_premaster_accepts_a_handmade_type_2_encoding() {
        // Control for the malformed cases below: the same construction, well formed.
        let c = raw_encrypt(&type2(&openssl_premaster()));
        assert_eq!(decrypt(&key(), &c, [3, 3]), openssl_premaster());
    }

    #[test]
    fn decrypt_premaster_returns_fallback_for_bad_padding() {
        let k = key();
        let good = type2(&openssl_premaster());
        let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
        let mut em = good.clone();
        em[0] = 0x01;
        cases.push(("leading byte not 0", em));
        let mut em = good.clone();
        em[1] = 0x01;
        cases.push(("block type 1", em));
        let mut em = good.clone();
        em[9] = 0x00;
        cases.push(("zero inside the first 8 padding bytes", em));
        let mut em = good.clone();
        em[100] = 0x00;
        cases.push(("separator too early (plaintext longer than 48)", em));
        let mut em = good.clone();
        em[256 - 49] = 0x01;
        cases.push(("no separator before the 48-byte message", em));
        for (what, em) in cases {
            let c = raw_encrypt(&em);
            assert_eq!(decrypt(&k, &c, [3, 3]), FALLBACK, "{what}");
        }
    }

    #[test]
    fn decrypt_premaster_returns_fallback_for_wrong_length_or_out_of_range_ciphertext() {
        let k = key();
        assert_eq!(decrypt(&k, &OPENSSL_PREMASTER[1..], [3, 3]), FALLBACK);
        let mut long = OPENSSL_PREMASTER.to_vec();
        long.push(0);
        assert_eq!(decrypt(&k, &long, [3, 3]), FALLBACK);
        assert_eq!(decrypt(&k, &[0xff; 256], [3, 3]), FALLBACK);
        assert_eq!(decrypt(&k, &[], [3, 3]), FALLBACK);
    }

    #[test]
    fn md5_sha1_signature_round_trips_and_matches_openssl() {
        let signer = key().signing_key().legacy_signer().unwrap();
        assert_eq!(signer.scheme(), None);
        let sig = signer.sign(SIGNED).unwrap();
        // PKCS#1 v1.5 signatures are deterministic.
        assert_eq!(sig, OPENSSL_SIG_MD5SHA1);
        assert_eq!(RSA_KEY_PROVIDER.verify_tls_signature(SPKI, None, SIGNED, &sig), Ok(()));
    }

    #[test]
    fn sha256_signature_round_trips_and_matches_openssl() {
        // The key's first choice among what the peer offers.
        let offered = [
            SignatureScheme::EcdsaSecp256r1Sha256,
            SignatureScheme::RsaPkcs1Sha1,
            SignatureScheme::RsaPkcs1Sha256,
        ];
        let signer = key().signing_key().choose_scheme(&offered).unwrap();
        assert_eq!(signer.scheme(), Some(SignatureScheme::RsaPkcs1Sha256));
        let sig = signer.sign(SIGNED).unwrap();
        assert_eq!(sig, OPENSSL_SIG_SHA256);
        let verify = |sig: &[u8]| {
            RSA_KEY_PROVIDER.verify_tls_signature(SPKI, Some(SignatureScheme::RsaPkcs1Sha256), SIGNED, sig)
        };
        assert_eq!(verify(&sig), Ok(()));
    }

    #[test]
    fn verification_fails_on_a_flipped_bit_or_the_wrong_hash() {
        let verify =
            |scheme, msg: &[u8], sig: &[u8]| RSA_KEY_PROVIDER.verify_tls_signature(SPKI, scheme, msg, sig);
        let mut sig = OPENSSL_SIG_SHA256.to_vec();
        sig[100] ^= 0x10;
        assert_eq!(
            verify(Some(SignatureScheme::RsaPkcs1Sha256), SIGNED, &sig),
            Err(RsaPublicKeyError::BadSignature)
        );
        assert_eq!(
            verify(Some(SignatureScheme::RsaPkcs1Sha256), b"ferrotls signature tesT", OPENSSL_SIG_SHA256),
            Err(RsaPublicKeyError::BadSignature)
        );
        assert_eq!(
            verify(Some(SignatureScheme::RsaPkcs1Sha384), SIGNED, OPENSSL_SIG_SHA256),
            Err(RsaPublicKeyError::BadSignature)
        );
        assert_eq!(
            verify(None, b"ferrotls signature tesT", OPENSSL_SIG_MD5SHA1),
            Err(RsaPublicKeyError::BadSignature)
        );
        assert_eq!(
            verify(Some(SignatureScheme::EcdsaSecp256r1Sha256), SIGNED, OPENSSL_SIG_SHA256),
            Err(RsaPublicKeyError::BadSignature)
        );
    }

    #[test]
    fn an_rsa_key_chooses_no_scheme_it_cannot_sign_with() {
        let k = key();
        let offered = [
            SignatureScheme::EcdsaSecp256r1Sha256,
            SignatureScheme::Ed25519,
            SignatureScheme::Unknown(0x0101),
        ];
        assert!(k.signing_key().choose_scheme(&offered).is_none());
        assert!(k.signing_key().choose_scheme(&[]).is_none());
    }

    #[test]
    fn public_keys_outside_1024_to_8192_bits_are_unacceptable() {
        assert_eq!(
            RSA_KEY_PROVIDER.rsa_encrypt_pkcs1(SMALL_SPKI, &[0; 48]),
            Err(RsaPublicKeyError::UnacceptableSize(768))
        );
        // A synthetic 8200-bit modulus: building such a key for real would be slow.
        let modulus = [0xffu8; 1025];
        let pkcs1 = rsa::pkcs1::RsaPublicKeyRef {
            modulus: rsa::pkcs1::UintRef::new(&modulus).unwrap(),
            public_exponent: rsa::pkcs1::UintRef::new(&[1, 0, 1]).unwrap(),
        }
        .to_der()
        .unwrap();
        let spki = SubjectPublicKeyInfoRef {
            algorithm: rsa::pkcs1::ALGORITHM_ID,
            subject_public_key: BitStringRef::from_bytes(&pkcs1).unwrap(),
        }
        .to_der()
        .unwrap();
        assert_eq!(
            RSA_KEY_PROVIDER.verify_tls_signature(&spki, None, &[0; 36], &[0; 1025]),
            Err(RsaPublicKeyError::UnacceptableSize(8200))
        );
    }

    #[test]
    fn non_rsa_public_keys_are_rejected() {
        assert_eq!(RSA_KEY_PROVIDER.rsa_encrypt_pkcs1(P256_SPKI, &[0; 48]), Err(RsaPublicKeyError::NotRsa));
        assert_eq!(RSA_KEY_PROVIDER.rsa_encrypt_pkcs1(b"junk", &[0; 48]), Err(RsaPublicKeyError::NotRsa));
    }

    #[test]
    fn bit_length_ignores_leading_zero_bytes() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[0, 1]), 1);
        assert_eq!(bit_length(&[0x80, 0]), 16);
        assert_eq!(bit_length(&[0, 0x7f, 0]), 15);
    }
}
