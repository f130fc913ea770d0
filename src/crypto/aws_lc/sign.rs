//! Private keys and TLS signatures over aws-lc-rs, and the provider's [`KeyProvider`].
//!
//! - RSA: PKCS#1 v1.5 signatures with aws-lc-rs (2048–8192-bit keys, its range); the key
//!   exchange decryption and the TLS 1.0/1.1 MD5 ‖ SHA-1 signature through the raw `RSA` of
//!   `sys.rs`. Keys of 1024–2047 bits, which aws-lc-rs refuses and our policy still accepts
//!   (legacy devices, private PKIs), are RustCrypto's.
//! - ECDSA P-256/P-384: the scheme tied to the curve (`ecdsa_secp256r1_sha256`,
//!   `ecdsa_secp384r1_sha384`, the only ones TLS 1.3 allows) with aws-lc; the other TLS 1.2
//!   hash pairings and the TLS 1.0/1.1 SHA-1 form with RustCrypto's `ecdsa` over the same key.
//! - Ed25519 (RFC 8032) with aws-lc.
//!
//! Signature verification for TLS (`verify_tls_signature`) uses aws-lc for every scheme it
//! has, RustCrypto for the rest (MD5 ‖ SHA-1, RSA keys below 2048 bits).
#![forbid(unsafe_code)]

use std::sync::Arc;

use aws_lc_rs::rand::SystemRandom as LcRandom;
use aws_lc_rs::signature::{
    EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RsaKeyPair, UnparsedPublicKey, VerificationAlgorithm,
};
use zeroize::Zeroizing;

use super::sys::RawRsa;
use crate::crypto::rustcrypto::ecdsa::{EcdsaCurve, EcdsaSigningKey};
use crate::crypto::rustcrypto::KEY_PROVIDER as RC;
use crate::crypto::{
    self, HashAlgorithm, KeyProvider, KeyType, PrivateKey, RsaDecryptError, RsaPublicKeyError, SignError,
    Signer, SigningKey,
};
use crate::enums::SignatureScheme;

/// The aws-lc key provider.
pub static AWS_LC_KEY_PROVIDER: AwsLcKeyProvider = AwsLcKeyProvider;

/// Loads RSA, ECDSA and Ed25519 keys into aws-lc and verifies TLS signatures with it.
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsLcKeyProvider;

/// RSA PKCS#1 v1.5 schemes in the order we prefer them (the RustCrypto provider's order).
static RSA_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::RsaPkcs1Sha256,
    SignatureScheme::RsaPkcs1Sha384,
    SignatureScheme::RsaPkcs1Sha512,
    SignatureScheme::RsaPkcs1Sha1,
];

/// Every scheme `verify_tls_signature` checks, most preferred first.
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
];

/// Ed25519 SubjectPublicKeyInfo up to the key (RFC 8410 §4): SEQUENCE { SEQUENCE { OID
/// 1.3.101.112 }, BIT STRING (0 unused bits) }.
const ED25519_SPKI_PREFIX: [u8; 12] =
    [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

impl KeyProvider for AwsLcKeyProvider {
    fn load_private_key(&self, der: &[u8]) -> Result<PrivateKey, String> {
        if let Ok(key) = AwsRsaKey::from_der(der) {
            return Ok(PrivateKey::from_rsa(Arc::new(key)));
        }
        if let Ok(key) = AwsEcdsaKey::from_der(der) {
            return Ok(PrivateKey::signing_only(Arc::new(key)));
        }
        if let Ok(key) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
            return Ok(PrivateKey::signing_only(Arc::new(AwsEd25519Key(Arc::new(key)))));
        }
        // RSA keys aws-lc-rs refuses (below 2048 bits) and every error message: RustCrypto's.
        RC.load_private_key(der)
    }

    fn decrypt_pkcs8(&self, der: &[u8], password: &[u8]) -> Result<Vec<u8>, String> {
        // PBES2 (RFC 8018) runs once per configuration: RustCrypto's is fast enough.
        RC.decrypt_pkcs8(der, password)
    }

    fn rsa_encrypt_pkcs1(&self, spki: &[u8], message: &[u8]) -> Result<Vec<u8>, RsaPublicKeyError> {
        let Some(key) = aws_rsa_public(spki) else {
            return RC.rsa_encrypt_pkcs1(spki, message);
        };
        let bits = key.key_size_bits();
        let key = aws_lc_rs::rsa::Pkcs1PublicEncryptingKey::new(key)
            .map_err(|_| RsaPublicKeyError::UnacceptableSize(bits))?;
        let mut out = vec![0u8; key.ciphertext_size()];
        let n = key.encrypt(message, &mut out).map_err(|_| RsaPublicKeyError::UnacceptableSize(bits))?.len();
        out.truncate(n);
        Ok(out)
    }

    fn verify_tls_signature(
        &self,
        spki: &[u8],
        scheme: Option<SignatureScheme>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaPublicKeyError> {
        use aws_lc_rs::signature as s;
        let Some(scheme) = scheme else {
            return RC.verify_tls_signature(spki, None, message, signature);
        };
        let (alg, raw): (&'static dyn VerificationAlgorithm, Option<usize>) = match scheme {
            SignatureScheme::RsaPkcs1Sha1 => (&s::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY, None),
            SignatureScheme::RsaPkcs1Sha256 => (&s::RSA_PKCS1_2048_8192_SHA256, None),
            SignatureScheme::RsaPkcs1Sha384 => (&s::RSA_PKCS1_2048_8192_SHA384, None),
            SignatureScheme::RsaPkcs1Sha512 => (&s::RSA_PKCS1_2048_8192_SHA512, None),
            SignatureScheme::RsaPssRsaeSha256 => (&s::RSA_PSS_2048_8192_SHA256, None),
            SignatureScheme::RsaPssRsaeSha384 => (&s::RSA_PSS_2048_8192_SHA384, None),
            SignatureScheme::RsaPssRsaeSha512 => (&s::RSA_PSS_2048_8192_SHA512, None),
            SignatureScheme::EcdsaSecp256r1Sha256 => (&s::ECDSA_P256_SHA256_ASN1, Some(65)),
            SignatureScheme::EcdsaSecp384r1Sha384 => (&s::ECDSA_P384_SHA384_ASN1, Some(97)),
            SignatureScheme::Ed25519 => (&s::ED25519, Some(32)),
            _ => return RC.verify_tls_signature(spki, Some(scheme), message, signature),
        };
        let public: &[u8] = match raw {
            // RSA: aws-lc reads the SPKI itself; keys below 2048 bits (which it refuses and our
            // policy accepts from 1024) go to RustCrypto, which also names a bad size.
            None => match aws_rsa_public(spki) {
                Some(key) if key.key_size_bits() >= 2048 => spki,
                _ => return RC.verify_tls_signature(spki, Some(scheme), message, signature),
            },
            Some(len) => match spki_key_bits(spki, scheme, len) {
                Some(key) => key,
                // TLS 1.2 pairs any hash with any curve (RFC 5246 §7.4.1.4.1, RFC 8422 §5.10):
                // a P-256 key signing ecdsa_secp384r1_sha384 is valid there, and aws-lc has
                // only the matched pairs here; RustCrypto checks the others (as it does for
                // its own provider) and names a key of the wrong kind.
                None if scheme != SignatureScheme::Ed25519 => {
                    return RC.verify_tls_signature(spki, Some(scheme), message, signature)
                }
                None => return Err(RsaPublicKeyError::NotRsa),
            },
        };
        UnparsedPublicKey::new(alg, public)
            .verify(message, signature)
            .map_err(|_| RsaPublicKeyError::BadSignature)
    }

    fn verify_schemes(&self) -> &'static [SignatureScheme] {
        VERIFY_SCHEMES
    }
}

/// An RSA SubjectPublicKeyInfo aws-lc accepts, within our 1024–8192-bit policy.
fn aws_rsa_public(spki: &[u8]) -> Option<aws_lc_rs::rsa::PublicEncryptingKey> {
    let key = aws_lc_rs::rsa::PublicEncryptingKey::from_der(spki).ok()?;
    (1024..=8192).contains(&key.key_size_bits()).then_some(key)
}

/// The raw public key inside an EC or Ed25519 SPKI, when the SPKI is of the kind `scheme`
/// needs: the curve's OID for ECDSA (so a P-384 key cannot pass as P-256), the exact
/// Ed25519 prefix.
fn spki_key_bits(spki: &[u8], scheme: SignatureScheme, len: usize) -> Option<&[u8]> {
    if scheme == SignatureScheme::Ed25519 {
        return spki.strip_prefix(&ED25519_SPKI_PREFIX[..]).filter(|k| k.len() == len);
    }
    let curve = match scheme {
        SignatureScheme::EcdsaSecp256r1Sha256 => EcdsaCurve::P256,
        _ => EcdsaCurve::P384,
    };
    let key = crate::crypto::rustcrypto::ecdsa::EcdsaVerifyingKey::from_spki(spki).ok()?;
    if key.curve() != curve {
        return None;
    }
    // The uncompressed point is the SPKI's last `len` bytes (a BIT STRING at the end).
    spki.get(spki.len().checked_sub(len)?..).filter(|p| p[0] == 4)
}

fn pkcs1_encoding(scheme: SignatureScheme) -> Option<&'static dyn aws_lc_rs::signature::RsaEncoding> {
    use aws_lc_rs::signature as s;
    Some(match scheme {
        SignatureScheme::RsaPkcs1Sha256 => &s::RSA_PKCS1_SHA256,
        SignatureScheme::RsaPkcs1Sha384 => &s::RSA_PKCS1_SHA384,
        SignatureScheme::RsaPkcs1Sha512 => &s::RSA_PKCS1_SHA512,
        // RFC 8446 §4.2.3: MGF1 with the message hash, salt as long as the hash.
        SignatureScheme::RsaPssRsaeSha256 => &s::RSA_PSS_SHA256,
        SignatureScheme::RsaPssRsaeSha384 => &s::RSA_PSS_SHA384,
        SignatureScheme::RsaPssRsaeSha512 => &s::RSA_PSS_SHA512,
        _ => return None,
    })
}

/// The DER DigestInfo prefix for SHA-1 (RFC 8017 §9.2 note 1): SEQUENCE { SEQUENCE { OID
/// 1.3.14.3.2.26, NULL }, OCTET STRING (20 bytes) }.
const SHA1_DIGEST_INFO: [u8; 15] =
    [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14];

/// An RSA private key: aws-lc-rs for signatures, the raw `RSA` for key exchange.
pub struct AwsRsaKey {
    sign: Arc<RsaKeyPair>,
    raw: Arc<RawRsa>,
    spki: Vec<u8>,
}

impl core::fmt::Debug for AwsRsaKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material.
        f.debug_struct("AwsRsaKey").field("bits", &(self.raw.size() * 8)).finish_non_exhaustive()
    }
}

impl AwsRsaKey {
    /// Parses a PKCS#8 or PKCS#1 RSA private key of 2048 to 8192 bits.
    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        let sign = RsaKeyPair::from_pkcs8(der)
            .or_else(|_| RsaKeyPair::from_der(der))
            .map_err(|e| format!("aws-lc refused the RSA key ({e})"))?;
        let raw = RawRsa::from_der(der).ok_or("aws-lc could not parse the RSA key")?;
        use aws_lc_rs::encoding::AsDer;
        let spki = sign
            .public_key()
            .as_der()
            .map_err(|_| "cannot encode the RSA public key".to_owned())?
            .as_ref()
            .to_vec();
        Ok(Self { sign: Arc::new(sign), raw: Arc::new(raw), spki })
    }
}

impl crypto::RsaPrivateKey for AwsRsaKey {
    fn modulus_len(&self) -> usize {
        self.raw.size()
    }

    fn decrypt_raw(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, RsaDecryptError> {
        self.raw.decrypt_no_padding(ciphertext).ok_or(RsaDecryptError)
    }
}

impl SigningKey for AwsRsaKey {
    fn key_type(&self) -> KeyType {
        KeyType::Rsa
    }

    fn public_key_spki(&self) -> Vec<u8> {
        self.spki.clone()
    }

    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        // RSA-PSS when the peer takes no PKCS#1 v1.5 signature: always so in TLS 1.3, whose
        // CertificateVerify allows only PSS for RSA keys (RFC 8446 §4.2.3).
        const PSS: [SignatureScheme; 3] = [
            SignatureScheme::RsaPssRsaeSha256,
            SignatureScheme::RsaPssRsaeSha384,
            SignatureScheme::RsaPssRsaeSha512,
        ];
        let scheme = *RSA_SCHEMES.iter().chain(PSS.iter()).find(|s| offered.contains(s))?;
        let key = match scheme {
            // aws-lc-rs does not sign with SHA-1: DigestInfo and padding through the raw key.
            SignatureScheme::RsaPkcs1Sha1 => RsaSigning::Raw(Arc::clone(&self.raw)),
            _ => RsaSigning::Pkcs1(Arc::clone(&self.sign)),
        };
        Some(Box::new(RsaSigner { key, scheme: Some(scheme) }))
    }

    fn legacy_signer(&self) -> Option<Box<dyn Signer>> {
        Some(Box::new(RsaSigner { key: RsaSigning::Raw(Arc::clone(&self.raw)), scheme: None }))
    }
}

enum RsaSigning {
    Pkcs1(Arc<RsaKeyPair>),
    /// PKCS#1 type 1 padding over bytes we build: for `rsa_pkcs1_sha1` the SHA-1 DigestInfo
    /// (RFC 8017 §9.2), for TLS 1.0/1.1 (no scheme) MD5 ‖ SHA-1 without one (RFC 2246 §7.4.3).
    Raw(Arc<RawRsa>),
}

struct RsaSigner {
    key: RsaSigning,
    scheme: Option<SignatureScheme>,
}

impl Signer for RsaSigner {
    fn scheme(&self) -> Option<SignatureScheme> {
        self.scheme
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        match &self.key {
            RsaSigning::Pkcs1(key) => {
                let encoding = self
                    .scheme
                    .and_then(pkcs1_encoding)
                    .ok_or(SignError::Refused("not an RSA PKCS#1 v1.5 or PSS scheme"))?;
                let mut sig = vec![0u8; key.public_modulus_len()];
                key.sign(encoding, &LcRandom::new(), message, &mut sig).map_err(|_| SignError::Random)?;
                Ok(sig)
            }
            RsaSigning::Raw(raw) => {
                let hash = |alg| super::hash::hash(alg).expect("every hash is provided").hash(message);
                let mut input = match self.scheme {
                    None => hash(HashAlgorithm::Md5).as_ref().to_vec(),
                    Some(SignatureScheme::RsaPkcs1Sha1) => SHA1_DIGEST_INFO.to_vec(),
                    Some(_) => return Err(SignError::Refused("not an RSA PKCS#1 v1.5 scheme")),
                };
                input.extend_from_slice(hash(HashAlgorithm::Sha1).as_ref());
                raw.sign_pkcs1_raw(&input).ok_or(SignError::Random)
            }
        }
    }
}

/// An ECDSA P-256 or P-384 key: aws-lc for the curve's own hash, RustCrypto for the rest.
pub struct AwsEcdsaKey {
    fast: Arc<EcdsaKeyPair>,
    other: Arc<EcdsaSigningKey>,
}

impl core::fmt::Debug for AwsEcdsaKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AwsEcdsaKey").field("curve", &self.other.curve()).finish_non_exhaustive()
    }
}

impl AwsEcdsaKey {
    /// Parses a P-256 or P-384 key from PKCS#8 or SEC 1 `ECPrivateKey` DER.
    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        let other = EcdsaSigningKey::from_der(der).map_err(|e| e.to_string())?;
        let alg = match other.curve() {
            EcdsaCurve::P256 => &aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            EcdsaCurve::P384 => &aws_lc_rs::signature::ECDSA_P384_SHA384_ASN1_SIGNING,
        };
        let fast = EcdsaKeyPair::from_pkcs8(alg, der)
            .or_else(|_| EcdsaKeyPair::from_private_key_der(alg, der))
            .map_err(|e| format!("aws-lc refused the ECDSA key ({e})"))?;
        if fast.public_key().as_ref() != other.public_key() {
            return Err("the ECDSA key parsed differently in aws-lc and RustCrypto".into());
        }
        Ok(Self { fast: Arc::new(fast), other: Arc::new(other) })
    }

    fn tied(&self) -> (SignatureScheme, HashAlgorithm) {
        match self.other.curve() {
            EcdsaCurve::P256 => (SignatureScheme::EcdsaSecp256r1Sha256, HashAlgorithm::Sha256),
            EcdsaCurve::P384 => (SignatureScheme::EcdsaSecp384r1Sha384, HashAlgorithm::Sha384),
        }
    }
}

impl SigningKey for AwsEcdsaKey {
    fn key_type(&self) -> KeyType {
        match self.other.curve() {
            EcdsaCurve::P256 => KeyType::EcdsaP256,
            EcdsaCurve::P384 => KeyType::EcdsaP384,
        }
    }

    fn public_key_spki(&self) -> Vec<u8> {
        self.other.public_key_spki().to_vec()
    }

    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        let (tied, _) = self.tied();
        if offered.contains(&tied) {
            return Some(Box::new(EcdsaSigner::Fast(Arc::clone(&self.fast), tied)));
        }
        // TLS 1.2 names (hash, signature) pairs, so any curve may sign with any hash
        // (RFC 5246 §7.4.1.4.1); the scheme's name only fixes the hash there.
        [
            (SignatureScheme::EcdsaSecp256r1Sha256, HashAlgorithm::Sha256),
            (SignatureScheme::EcdsaSecp384r1Sha384, HashAlgorithm::Sha384),
            (SignatureScheme::EcdsaSecp521r1Sha512, HashAlgorithm::Sha512),
        ]
        .into_iter()
        .find(|(s, _)| offered.contains(s))
        .map(|(s, h)| Box::new(EcdsaSigner::Other(Arc::clone(&self.other), Some(s), h)) as Box<dyn Signer>)
    }

    fn legacy_signer(&self) -> Option<Box<dyn Signer>> {
        // TLS 1.0/1.1 ECDSA signs SHA-1(m) (RFC 4492 §5.4).
        Some(Box::new(EcdsaSigner::Other(Arc::clone(&self.other), None, HashAlgorithm::Sha1)))
    }
}

enum EcdsaSigner {
    Fast(Arc<EcdsaKeyPair>, SignatureScheme),
    Other(Arc<EcdsaSigningKey>, Option<SignatureScheme>, HashAlgorithm),
}

impl Signer for EcdsaSigner {
    fn scheme(&self) -> Option<SignatureScheme> {
        match self {
            Self::Fast(_, s) => Some(*s),
            Self::Other(_, s, _) => *s,
        }
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        match self {
            Self::Fast(key, _) => {
                Ok(key.sign(&LcRandom::new(), message).map_err(|_| SignError::Random)?.as_ref().to_vec())
            }
            Self::Other(key, _, hash) => {
                key.sign(*hash, message).map_err(|_| SignError::Refused("ECDSA hash"))
            }
        }
    }
}

/// An Ed25519 key.
pub struct AwsEd25519Key(Arc<Ed25519KeyPair>);

impl core::fmt::Debug for AwsEd25519Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AwsEd25519Key").finish_non_exhaustive()
    }
}

impl SigningKey for AwsEd25519Key {
    fn key_type(&self) -> KeyType {
        KeyType::Ed25519
    }

    fn public_key_spki(&self) -> Vec<u8> {
        [&ED25519_SPKI_PREFIX[..], self.0.public_key().as_ref()].concat()
    }

    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        offered.contains(&SignatureScheme::Ed25519).then(|| Box::new(Ed25519Signer(Arc::clone(&self.0))) as _)
    }

    fn legacy_signer(&self) -> Option<Box<dyn Signer>> {
        // Ed25519 has no TLS 1.0/1.1 form (RFC 8422 §5.1.3 is TLS 1.2).
        None
    }
}

struct Ed25519Signer(Arc<Ed25519KeyPair>);

impl Signer for Ed25519Signer {
    fn scheme(&self) -> Option<SignatureScheme> {
        Some(SignatureScheme::Ed25519)
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(self.0.sign(message).as_ref().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RSA_KEY_PROVIDER;

    const PKCS1: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.pkcs1.der");
    const PKCS8: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.pkcs8.der");
    const SPKI: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.spki.der");
    const SMALL_PKCS8: &[u8] = include_bytes!("../../../tests/vectors/rsa768.pkcs8.der");
    const OPENSSL_PREMASTER: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.premaster_0303.bin");
    const OPENSSL_SIG_SHA256: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.sig_sha256.bin");
    const OPENSSL_SIG_MD5SHA1: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.sig_md5sha1.bin");
    const SIGNED: &[u8] = b"ferrotls signature test";
    const FALLBACK: [u8; 48] = [0xfb; 48];

    fn pem_key(pem: &str) -> Vec<u8> {
        let key = crate::x509::private_key_from_pem(pem.as_bytes()).unwrap();
        key.secret_der().to_vec()
    }

    fn fixture(name: &str) -> &'static str {
        match name {
            "ecdsa-p256-leaf.key" => include_str!("../../../tests/fixtures/ecdsa-p256-leaf.key"),
            "ecdsa-p384-leaf.key" => include_str!("../../../tests/fixtures/ecdsa-p384-leaf.key"),
            "ed25519-leaf.key" => include_str!("../../../tests/fixtures/ed25519-leaf.key"),
            _ => unreachable!("{name}"),
        }
    }

    fn premaster(version: [u8; 2]) -> [u8; 48] {
        let mut p = [0u8; 48];
        p[..2].copy_from_slice(&version);
        for (i, b) in p[2..].iter_mut().enumerate() {
            *b = 0x10 + i as u8;
        }
        p
    }

    #[test]
    fn rsa_keys_load_in_both_forms_to_the_openssl_spki() {
        for der in [PKCS1, PKCS8] {
            let k = AWS_LC_KEY_PROVIDER.load_private_key(der).unwrap();
            assert_eq!(k.key_type(), KeyType::Rsa);
            assert_eq!(k.public_key_spki(), SPKI);
            assert_eq!(k.rsa().unwrap().modulus_len(), 256);
            assert!(format!("{k:?}").starts_with("AwsRsaKey"), "{k:?}");
        }
        // Below 2048 bits aws-lc-rs refuses and RustCrypto answers, with its policy and words.
        let err = AWS_LC_KEY_PROVIDER.load_private_key(SMALL_PKCS8).unwrap_err();
        assert!(err.contains("768 bits"), "{err}");
        assert!(AWS_LC_KEY_PROVIDER.load_private_key(b"\x30\x03\x02\x01\x00").is_err());
        assert!(AWS_LC_KEY_PROVIDER.load_private_key(SPKI).is_err());
    }

    #[test]
    fn raw_decryption_recovers_openssl_and_rustcrypto_encryptions_through_the_shared_check() {
        let k = AWS_LC_KEY_PROVIDER.load_private_key(PKCS8).unwrap();
        let rsa = &**k.rsa().unwrap();
        assert_eq!(*crypto::decrypt_premaster(rsa, OPENSSL_PREMASTER, [3, 3], &FALLBACK), premaster([3, 3]));
        // Tampering twins: the wrong version, a flipped ciphertext bit, a short ciphertext.
        assert_eq!(*crypto::decrypt_premaster(rsa, OPENSSL_PREMASTER, [3, 1], &FALLBACK), FALLBACK);
        let mut flipped = OPENSSL_PREMASTER.to_vec();
        flipped[100] ^= 1;
        assert_eq!(*crypto::decrypt_premaster(rsa, &flipped, [3, 3], &FALLBACK), FALLBACK);
        assert_eq!(*crypto::decrypt_premaster(rsa, &OPENSSL_PREMASTER[1..], [3, 3], &FALLBACK), FALLBACK);
        // A ciphertext not below n is refused by the raw operation itself (a public fact).
        assert!(rsa.decrypt_raw(&[0xff; 256]).is_err());
        // The raw operation agrees with RustCrypto's on arbitrary values below n.
        let theirs = RSA_KEY_PROVIDER.load_private_key(PKCS8).unwrap();
        for seed in 1..4u8 {
            let mut c = vec![seed; 256];
            c[0] = 0x10;
            assert_eq!(*rsa.decrypt_raw(&c).unwrap(), *theirs.rsa().unwrap().decrypt_raw(&c).unwrap());
        }
        // Our encryption (client side) decrypts with both providers.
        let p = premaster([3, 2]);
        let c = AWS_LC_KEY_PROVIDER.rsa_encrypt_pkcs1(SPKI, &p).unwrap();
        assert_eq!(c.len(), 256);
        assert_eq!(*crypto::decrypt_premaster(rsa, &c, [3, 2], &FALLBACK), p);
        assert_eq!(*crypto::decrypt_premaster(&**theirs.rsa().unwrap(), &c, [3, 2], &FALLBACK), p);
    }

    #[test]
    fn rsa_signatures_match_openssl_and_verify_both_ways() {
        let k = AWS_LC_KEY_PROVIDER.load_private_key(PKCS8).unwrap();
        let signer = k.signing_key().choose_scheme(&[SignatureScheme::RsaPkcs1Sha256]).unwrap();
        // PKCS#1 v1.5 is deterministic: byte for byte what `openssl dgst -sign` made.
        assert_eq!(signer.sign(SIGNED).unwrap(), OPENSSL_SIG_SHA256);
        let legacy = k.signing_key().legacy_signer().unwrap();
        assert_eq!(legacy.scheme(), None);
        assert_eq!(legacy.sign(SIGNED).unwrap(), OPENSSL_SIG_MD5SHA1);
        for scheme in RSA_SCHEMES {
            let sig = k.signing_key().choose_scheme(&[*scheme]).unwrap().sign(SIGNED).unwrap();
            for provider in [&AWS_LC_KEY_PROVIDER as &dyn KeyProvider, &RSA_KEY_PROVIDER] {
                provider.verify_tls_signature(SPKI, Some(*scheme), SIGNED, &sig).unwrap();
                let err = provider.verify_tls_signature(SPKI, Some(*scheme), b"other", &sig).unwrap_err();
                assert_eq!(err, RsaPublicKeyError::BadSignature, "{scheme:?}");
            }
        }
        AWS_LC_KEY_PROVIDER.verify_tls_signature(SPKI, None, SIGNED, OPENSSL_SIG_MD5SHA1).unwrap();
        assert!(k.signing_key().choose_scheme(&[SignatureScheme::Ed25519]).is_none());
    }

    #[test]
    fn ecdsa_and_ed25519_keys_sign_what_rustcrypto_verifies_and_the_wrong_key_type_fails() {
        for (file, key_type, tied) in [
            ("ecdsa-p256-leaf.key", KeyType::EcdsaP256, SignatureScheme::EcdsaSecp256r1Sha256),
            ("ecdsa-p384-leaf.key", KeyType::EcdsaP384, SignatureScheme::EcdsaSecp384r1Sha384),
            ("ed25519-leaf.key", KeyType::Ed25519, SignatureScheme::Ed25519),
        ] {
            let k = AWS_LC_KEY_PROVIDER.load_private_key(&pem_key(fixture(file))).unwrap();
            assert_eq!(k.key_type(), key_type);
            assert!(k.rsa().is_none());
            let spki = k.public_key_spki();
            let mut schemes = vec![tied];
            if key_type != KeyType::Ed25519 {
                // The other TLS 1.2 pairings (RustCrypto signs them) and TLS 1.0/1.1's SHA-1.
                schemes
                    .extend([SignatureScheme::EcdsaSecp256r1Sha256, SignatureScheme::EcdsaSecp384r1Sha384]);
                assert_eq!(k.signing_key().legacy_signer().unwrap().scheme(), None);
            } else {
                assert!(k.signing_key().legacy_signer().is_none());
            }
            for scheme in schemes {
                let signer = k.signing_key().choose_scheme(&[scheme]).unwrap();
                assert_eq!(signer.scheme(), Some(scheme));
                let sig = signer.sign(SIGNED).unwrap();
                let verify =
                    |msg: &[u8]| AWS_LC_KEY_PROVIDER.verify_tls_signature(&spki, Some(scheme), msg, &sig);
                // Every pairing verifies, the untied ones too (TLS 1.2: RFC 8422 §5.10).
                verify(SIGNED).unwrap_or_else(|e| panic!("{key_type:?} {scheme:?}: {e:?}"));
                assert_eq!(verify(b"other").unwrap_err(), RsaPublicKeyError::BadSignature);
            }
            assert!(k.signing_key().choose_scheme(&[SignatureScheme::RsaPkcs1Sha256]).is_none());
            // An RSA key's SPKI for an EC or Ed25519 scheme is refused, not checked.
            assert!(AWS_LC_KEY_PROVIDER.verify_tls_signature(SPKI, Some(tied), SIGNED, &[0; 64]).is_err());
        }
        // A P-256 key's SPKI under the P-384 scheme is refused.
        let p256 = AWS_LC_KEY_PROVIDER.load_private_key(&pem_key(fixture("ecdsa-p256-leaf.key"))).unwrap();
        let sig = p256
            .signing_key()
            .choose_scheme(&[SignatureScheme::EcdsaSecp256r1Sha256])
            .unwrap()
            .sign(SIGNED)
            .unwrap();
        let spki = p256.public_key_spki();
        assert!(AWS_LC_KEY_PROVIDER
            .verify_tls_signature(&spki, Some(SignatureScheme::EcdsaSecp384r1Sha384), SIGNED, &sig)
            .is_err());
    }
}
