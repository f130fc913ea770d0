//! The RustCrypto provider's keys: loading RSA, ECDSA (P-256, P-384) and Ed25519 private keys,
//! their [`SigningKey`] implementations, and verification of the peer's TLS signatures by the
//! type of its certificate's key.
//!
//! Loading reads the DER once to learn the algorithm (PKCS#8's `privateKeyAlgorithm`, SEC 1's
//! curve parameters), so a key of a type or curve ferrotls does not support is refused by name
//! ("EC key on curve secp521r1 ...") instead of as an unreadable blob. The algorithm files
//! (`rsa.rs`, `ecdsa.rs`, `ed25519.rs`) keep the arithmetic; this file decides which one a
//! key or a signature belongs to.

use std::sync::Arc;

use der::{Decode, Reader};
use pkcs8::ObjectIdentifier;

use super::ecdsa::{EcdsaCurve, EcdsaSigningKey};
use super::ed25519::Ed25519SigningKey;
use super::rsa::RSA_KEY_PROVIDER;
use crate::crypto::{
    HashAlgorithm, KeyProvider, KeyType, PrivateKey, RsaPublicKeyError, SignError, Signer, SigningKey,
};
use crate::enums::SignatureScheme;

/// The [`KeyProvider`] of the RustCrypto provider: RSA, ECDSA P-256/P-384 and Ed25519.
pub static KEY_PROVIDER: RustCryptoKeyProvider = RustCryptoKeyProvider;

/// Loads RSA, ECDSA (P-256, P-384) and Ed25519 keys and verifies TLS signatures made with them.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCryptoKeyProvider;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// A readable name for an algorithm or curve OID that ferrotls refuses, for error messages.
fn oid_name(oid: &ObjectIdentifier) -> String {
    let name = match oid.to_string().as_str() {
        "1.3.132.0.35" => "secp521r1 (P-521)",
        "1.3.132.0.10" => "secp256k1",
        "1.2.840.10045.3.1.1" => "prime192v1 (P-192)",
        "1.3.132.0.33" => "secp224r1 (P-224)",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        "1.2.156.10197.1.301" => "SM2",
        "1.3.101.113" => "Ed448",
        "1.3.101.110" => "X25519",
        "1.3.101.111" => "X448",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.840.10046.2.1" => "DH",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS (RSA-PSS-only key)",
        other => return format!("OID {other}"),
    };
    name.to_owned()
}

/// What a private key's DER says it is, read before any key is built.
enum KeyKind {
    Rsa,
    Ec,
    Ed25519,
}

/// Reads the algorithm of a PKCS#8 `PrivateKeyInfo` or the curve of a SEC 1 `ECPrivateKey`;
/// anything else is taken for PKCS#1 RSA (whose parser then says whether it is one).
fn key_kind(der: &[u8]) -> Result<KeyKind, String> {
    if let Ok(info) = pkcs8::PrivateKeyInfoRef::try_from(der) {
        let oid = info.algorithm.oid;
        return if oid == RSA_ENCRYPTION {
            Ok(KeyKind::Rsa)
        } else if oid == ED25519 {
            Ok(KeyKind::Ed25519)
        } else if oid == EC_PUBLIC_KEY {
            match info.algorithm.parameters_oid() {
                Ok(curve) => ec_curve(&curve).map(|_| KeyKind::Ec),
                // RFC 5480 §2.1.1: only namedCurve is allowed; explicit parameters are not.
                Err(_) => Err("EC private key without a named curve (explicit curve parameters are not \
                               supported; use P-256 or P-384)"
                    .into()),
            }
        } else if oid == RSASSA_PSS {
            Err("RSA-PSS-only private keys (id-RSASSA-PSS) are not supported; use an rsaEncryption \
                 RSA key, which signs with PSS too"
                .into())
        } else {
            Err(format!(
                "{} private keys are not supported (RSA, ECDSA P-256/P-384 and Ed25519 are)",
                oid_name(&oid)
            ))
        };
    }
    match sec1_curve(der) {
        Some(Some(curve)) => ec_curve(&curve).map(|_| KeyKind::Ec),
        // A SEC 1 key without parameters: `EcdsaSigningKey::from_der` tells the curves apart
        // by the scalar's length.
        Some(None) => Ok(KeyKind::Ec),
        None => Ok(KeyKind::Rsa),
    }
}

fn ec_curve(curve: &ObjectIdentifier) -> Result<EcdsaCurve, String> {
    if *curve == SECP256R1 {
        Ok(EcdsaCurve::P256)
    } else if *curve == SECP384R1 {
        Ok(EcdsaCurve::P384)
    } else {
        Err(format!("EC private key on curve {} is not supported; use P-256 or P-384", oid_name(curve)))
    }
}

/// RFC 5915 §3 `ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
/// parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }`: `None` when
/// `der` is not one, else the named curve when present.
fn sec1_curve(der: &[u8]) -> Option<Option<ObjectIdentifier>> {
    let mut reader = der::SliceReader::new(der).ok()?;
    let curve = reader
        .sequence(|r| {
            if u8::decode(r)? != 1 {
                return Err(der::Error::from(der::ErrorKind::Value { tag: der::Tag::Integer }));
            }
            <&der::asn1::OctetStringRef>::decode(r)?;
            let curve =
                der::asn1::ContextSpecific::<ObjectIdentifier>::decode_explicit(r, der::TagNumber(0))?;
            let rest = r.remaining_len();
            r.read_slice(rest)?;
            Ok::<_, der::Error>(curve.map(|c| c.value))
        })
        .ok()?;
    reader.finish().ok()?;
    Some(curve)
}

impl KeyProvider for RustCryptoKeyProvider {
    fn load_private_key(&self, der: &[u8]) -> Result<PrivateKey, String> {
        match key_kind(der)? {
            KeyKind::Rsa => RSA_KEY_PROVIDER.load_private_key(der),
            KeyKind::Ec => {
                let key = EcdsaSigningKey::from_der(der).map_err(|e| e.to_string())?;
                Ok(PrivateKey::signing_only(Arc::new(EcdsaKey { key: Arc::new(key) })))
            }
            KeyKind::Ed25519 => {
                let key = Ed25519SigningKey::from_pkcs8_der(der).map_err(|e| e.to_string())?;
                Ok(PrivateKey::signing_only(Arc::new(Ed25519Key { key: Arc::new(key) })))
            }
        }
    }

    fn decrypt_pkcs8(&self, der: &[u8], password: &[u8]) -> Result<Vec<u8>, String> {
        RSA_KEY_PROVIDER.decrypt_pkcs8(der, password)
    }

    fn rsa_encrypt_pkcs1(&self, spki: &[u8], message: &[u8]) -> Result<Vec<u8>, RsaPublicKeyError> {
        RSA_KEY_PROVIDER.rsa_encrypt_pkcs1(spki, message)
    }

    fn verify_tls_signature(
        &self,
        spki: &[u8],
        scheme: Option<SignatureScheme>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), RsaPublicKeyError> {
        let info = pkcs8::SubjectPublicKeyInfoRef::from_der(spki).map_err(|_| RsaPublicKeyError::NotRsa)?;
        let oid = info.algorithm.oid;
        if oid == RSA_ENCRYPTION {
            return match scheme.and_then(pss_hash) {
                Some(hash) => {
                    super::rsa_pss::verify_spki(spki, hash, message, signature).map_err(|e| match e {
                        super::rsa_pss::RsaPssError::PublicKey(e) => e,
                        _ => RsaPublicKeyError::BadSignature,
                    })
                }
                None => RSA_KEY_PROVIDER.verify_tls_signature(spki, scheme, message, signature),
            };
        }
        if oid == EC_PUBLIC_KEY {
            // TLS 1.2 pairs any hash with any curve (RFC 5246 §7.4.1.4.1, RFC 8422 §5.10);
            // TLS 1.0/1.1 sign SHA-1 (RFC 4492 §5.4).
            let hash = match scheme {
                None => HashAlgorithm::Sha1,
                Some(s) => ecdsa_hash(s).ok_or(RsaPublicKeyError::BadSignature)?,
            };
            return super::ecdsa::verify_spki(spki, hash, message, signature)
                .map_err(|_| RsaPublicKeyError::BadSignature);
        }
        if oid == ED25519 {
            // RFC 8422 §5.1.3: Ed25519 exists in TLS 1.2 only, always as the `ed25519` scheme.
            if scheme != Some(SignatureScheme::Ed25519) {
                return Err(RsaPublicKeyError::BadSignature);
            }
            return super::ed25519::verify_spki(spki, message, signature)
                .map_err(|_| RsaPublicKeyError::BadSignature);
        }
        Err(RsaPublicKeyError::NotRsa)
    }

    fn verify_schemes(&self) -> &'static [SignatureScheme] {
        VERIFY_SCHEMES
    }
}

/// The schemes this provider verifies, most preferred first; the SHA-1 ones last (the
/// handshake offers and accepts them only in the legacy profile, RFC 9155).
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
    SignatureScheme::EcdsaSecp521r1Sha512,
    SignatureScheme::EcdsaSha1Legacy,
    SignatureScheme::RsaPkcs1Sha1,
];

/// The hash of an ECDSA scheme.
fn ecdsa_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    Some(match scheme {
        SignatureScheme::EcdsaSha1Legacy => HashAlgorithm::Sha1,
        SignatureScheme::EcdsaSecp256r1Sha256 => HashAlgorithm::Sha256,
        SignatureScheme::EcdsaSecp384r1Sha384 => HashAlgorithm::Sha384,
        SignatureScheme::EcdsaSecp521r1Sha512 => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// The hash of an RSA-PSS scheme (`rsa_pss_rsae_*`: PSS with an rsaEncryption key).
fn pss_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    Some(match scheme {
        SignatureScheme::RsaPssRsaeSha256 => HashAlgorithm::Sha256,
        SignatureScheme::RsaPssRsaeSha384 => HashAlgorithm::Sha384,
        SignatureScheme::RsaPssRsaeSha512 => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// An ECDSA key as a [`SigningKey`].
#[derive(Debug)]
struct EcdsaKey {
    key: Arc<EcdsaSigningKey>,
}

impl EcdsaKey {
    /// The schemes this key signs in TLS 1.2, most preferred first: the hash that matches the
    /// curve's strength, then the others (TLS 1.2 does not tie the hash to the curve, RFC 8422
    /// §5.10), SHA-1 last (filtered out by policy outside the legacy profile, RFC 9155).
    fn schemes(&self) -> &'static [SignatureScheme] {
        match self.key.curve() {
            EcdsaCurve::P256 => &[
                SignatureScheme::EcdsaSecp256r1Sha256,
                SignatureScheme::EcdsaSecp384r1Sha384,
                SignatureScheme::EcdsaSecp521r1Sha512,
                SignatureScheme::EcdsaSha1Legacy,
            ],
            EcdsaCurve::P384 => &[
                SignatureScheme::EcdsaSecp384r1Sha384,
                SignatureScheme::EcdsaSecp521r1Sha512,
                SignatureScheme::EcdsaSecp256r1Sha256,
                SignatureScheme::EcdsaSha1Legacy,
            ],
        }
    }
}

impl SigningKey for EcdsaKey {
    fn key_type(&self) -> KeyType {
        match self.key.curve() {
            EcdsaCurve::P256 => KeyType::EcdsaP256,
            EcdsaCurve::P384 => KeyType::EcdsaP384,
        }
    }

    fn public_key_spki(&self) -> Vec<u8> {
        self.key.public_key_spki().to_vec()
    }

    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        let scheme = *self.schemes().iter().find(|s| offered.contains(s))?;
        let hash = ecdsa_hash(scheme)?;
        Some(Box::new(EcdsaSigner { key: Arc::clone(&self.key), hash, scheme: Some(scheme) }))
    }

    fn legacy_signer(&self) -> Option<Box<dyn Signer>> {
        // RFC 4492 §5.4: TLS 1.0/1.1 ECDSA signatures are over SHA-1(m).
        Some(Box::new(EcdsaSigner { key: Arc::clone(&self.key), hash: HashAlgorithm::Sha1, scheme: None }))
    }
}

struct EcdsaSigner {
    key: Arc<EcdsaSigningKey>,
    hash: HashAlgorithm,
    scheme: Option<SignatureScheme>,
}

impl Signer for EcdsaSigner {
    fn scheme(&self) -> Option<SignatureScheme> {
        self.scheme
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.key.sign(self.hash, message).map_err(|_| SignError::Refused("ECDSA with this hash"))
    }
}

/// An Ed25519 key as a [`SigningKey`].
#[derive(Debug)]
struct Ed25519Key {
    key: Arc<Ed25519SigningKey>,
}

impl SigningKey for Ed25519Key {
    fn key_type(&self) -> KeyType {
        KeyType::Ed25519
    }

    fn public_key_spki(&self) -> Vec<u8> {
        self.key.public_key_spki()
    }

    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        offered
            .contains(&SignatureScheme::Ed25519)
            .then(|| Box::new(Ed25519Signer { key: Arc::clone(&self.key) }) as Box<dyn Signer>)
    }

    fn legacy_signer(&self) -> Option<Box<dyn Signer>> {
        // RFC 8422 §5.1.3 defines Ed25519 for TLS 1.2 only.
        None
    }
}

struct Ed25519Signer {
    key: Arc<Ed25519SigningKey>,
}

impl Signer for Ed25519Signer {
    fn scheme(&self) -> Option<SignatureScheme> {
        Some(SignatureScheme::Ed25519)
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(self.key.sign(message).to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::openssl_cli::{self, Scratch};
    use crate::crypto::rustcrypto::rsa::RsaKey;

    const RSA_PKCS1: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.pkcs1.der");
    const RSA_PKCS8: &[u8] = include_bytes!("../../../tests/vectors/rsa2048.pkcs8.der");

    /// A fresh key from `openssl genpkey` as (PKCS#8 DER, SEC 1 DER or empty, SPKI DER).
    fn openssl_key(dir: &Scratch, name: &str, genpkey: &[&str]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let pem = dir.path(&format!("{name}.pem"));
        let mut args = vec!["genpkey"];
        args.extend_from_slice(genpkey);
        args.extend_from_slice(&["-out", &pem]);
        openssl_cli::ok(&args);
        let pkcs8 = openssl_cli::ok(&["pkey", "-in", &pem, "-outform", "DER"]);
        let spki = openssl_cli::ok(&["pkey", "-in", &pem, "-pubout", "-outform", "DER"]);
        let sec1 = if genpkey.contains(&"EC") {
            openssl_cli::ok(&["ec", "-in", &pem, "-outform", "DER"])
        } else {
            Vec::new()
        };
        (pkcs8, sec1, spki)
    }

    fn ec(curve: &str) -> Vec<&str> {
        vec!["-algorithm", "EC", "-pkeyopt", curve]
    }

    /// Signs with the scheme the key picks among `offered`, verifies through the provider, and
    /// checks the tampering twins (another message, a flipped signature byte) fail.
    fn sign_and_verify(key: &PrivateKey, offered: &[SignatureScheme], expect: Option<SignatureScheme>) {
        let signer = key.signing_key().choose_scheme(offered).expect("a scheme among the offers");
        assert_eq!(signer.scheme(), expect, "{key:?} among {offered:?}");
        let spki = key.public_key_spki();
        let message = b"client_random || server_random || ServerECDHParams";
        let sig = signer.sign(message).unwrap();
        KEY_PROVIDER.verify_tls_signature(&spki, signer.scheme(), message, &sig).unwrap();
        assert_eq!(
            KEY_PROVIDER.verify_tls_signature(&spki, signer.scheme(), b"client_random || other", &sig),
            Err(RsaPublicKeyError::BadSignature)
        );
        let mut bad = sig.clone();
        let i = bad.len() / 2;
        bad[i] ^= 0x40;
        assert_eq!(
            KEY_PROVIDER.verify_tls_signature(&spki, signer.scheme(), message, &bad),
            Err(RsaPublicKeyError::BadSignature)
        );
    }

    #[test]
    fn every_supported_key_type_loads_in_every_form_openssl_writes() {
        let dir = Scratch::new("keys");
        for (name, args, key_type) in [
            ("p256", ec("ec_paramgen_curve:P-256"), KeyType::EcdsaP256),
            ("p384", ec("ec_paramgen_curve:P-384"), KeyType::EcdsaP384),
            ("ed25519", vec!["-algorithm", "ED25519"], KeyType::Ed25519),
        ] {
            let (pkcs8, sec1, spki) = openssl_key(&dir, name, &args);
            let key = KEY_PROVIDER.load_private_key(&pkcs8).unwrap();
            assert_eq!(key.key_type(), key_type);
            assert_eq!(key.public_key_spki(), spki, "{name}: the public key openssl reports");
            assert!(key.rsa().is_none(), "{name} is no RSA key");
            if !sec1.is_empty() {
                let from_sec1 = KEY_PROVIDER.load_private_key(&sec1).unwrap();
                assert_eq!(from_sec1.key_type(), key_type);
                assert_eq!(from_sec1.public_key_spki(), spki, "{name} from SEC 1");
            }
        }
        for der in [RSA_PKCS1, RSA_PKCS8] {
            let key = KEY_PROVIDER.load_private_key(der).unwrap();
            assert_eq!(key.key_type(), KeyType::Rsa);
            assert!(key.rsa().is_some());
        }
    }

    #[test]
    fn unsupported_curves_and_algorithms_are_refused_by_name() {
        let dir = Scratch::new("keys-unsupported");
        for (name, args, says) in [
            ("p521", ec("ec_paramgen_curve:P-521"), "secp521r1"),
            ("k256", ec("ec_paramgen_curve:secp256k1"), "secp256k1"),
            ("ed448", vec!["-algorithm", "ED448"], "Ed448"),
            ("x25519", vec!["-algorithm", "X25519"], "X25519"),
        ] {
            let (pkcs8, sec1, _) = openssl_key(&dir, name, &args);
            let err = KEY_PROVIDER.load_private_key(&pkcs8).unwrap_err();
            assert!(err.contains(says) && err.contains("not supported"), "{name}: {err}");
            if !sec1.is_empty() {
                let err = KEY_PROVIDER.load_private_key(&sec1).unwrap_err();
                assert!(err.contains(says) && err.contains("P-256 or P-384"), "{name} SEC 1: {err}");
            }
        }
        for garbage in [&b""[..], b"not a key", b"\x30\x03\x02\x01\x00"] {
            assert!(KEY_PROVIDER.load_private_key(garbage).is_err());
        }
    }

    #[test]
    fn keys_choose_their_scheme_among_the_offers_and_verify_through_the_provider() {
        use SignatureScheme as S;
        let p256 = PrivateKey::signing_only(Arc::new(EcdsaKey {
            key: Arc::new(EcdsaSigningKey::from_scalar(EcdsaCurve::P256, &[7; 32]).unwrap()),
        }));
        let p384 = PrivateKey::signing_only(Arc::new(EcdsaKey {
            key: Arc::new(EcdsaSigningKey::from_scalar(EcdsaCurve::P384, &[9; 48]).unwrap()),
        }));
        let ed = PrivateKey::signing_only(Arc::new(Ed25519Key {
            key: Arc::new(Ed25519SigningKey::from_seed(&[5; 32])),
        }));
        let rsa = KEY_PROVIDER.load_private_key(RSA_PKCS8).unwrap();
        let everything = [S::RsaPkcs1Sha256, S::EcdsaSecp384r1Sha384, S::EcdsaSecp256r1Sha256, S::Ed25519];

        // Each key prefers the hash that matches its strength, whatever the peer's order.
        sign_and_verify(&p256, &everything, Some(S::EcdsaSecp256r1Sha256));
        sign_and_verify(&p384, &everything, Some(S::EcdsaSecp384r1Sha384));
        sign_and_verify(&ed, &everything, Some(S::Ed25519));
        sign_and_verify(&rsa, &everything, Some(S::RsaPkcs1Sha256));
        // TLS 1.2 lets a P-256 key sign with SHA-384 when that is all the peer takes.
        sign_and_verify(&p256, &[S::EcdsaSecp384r1Sha384], Some(S::EcdsaSecp384r1Sha384));
        sign_and_verify(&p384, &[S::EcdsaSha1Legacy], Some(S::EcdsaSha1Legacy));
        // An offer without the key's algorithm yields no signer.
        assert!(p256.signing_key().choose_scheme(&[S::RsaPkcs1Sha256, S::Ed25519]).is_none());
        assert!(ed.signing_key().choose_scheme(&[S::EcdsaSecp256r1Sha256]).is_none());
        assert!(rsa.signing_key().choose_scheme(&[S::EcdsaSecp256r1Sha256, S::Ed25519]).is_none());

        // TLS 1.0/1.1: ECDSA over SHA-1 without a scheme (RFC 4492 §5.4); no Ed25519 there.
        let legacy = p256.signing_key().legacy_signer().unwrap();
        assert_eq!(legacy.scheme(), None);
        let sig = legacy.sign(b"m").unwrap();
        let spki = p256.public_key_spki();
        KEY_PROVIDER.verify_tls_signature(&spki, None, b"m", &sig).unwrap();
        assert!(KEY_PROVIDER.verify_tls_signature(&spki, Some(S::EcdsaSecp256r1Sha256), b"m", &sig).is_err());
        assert!(ed.signing_key().legacy_signer().is_none());

        // A signature checked under a scheme of another key type, or another key, fails.
        let ed_sig = ed.signing_key().choose_scheme(&[S::Ed25519]).unwrap().sign(b"m").unwrap();
        let ed_spki = ed.public_key_spki();
        KEY_PROVIDER.verify_tls_signature(&ed_spki, Some(S::Ed25519), b"m", &ed_sig).unwrap();
        assert!(KEY_PROVIDER.verify_tls_signature(&ed_spki, None, b"m", &ed_sig).is_err());
        assert!(KEY_PROVIDER
            .verify_tls_signature(&ed_spki, Some(S::EcdsaSecp256r1Sha256), b"m", &ed_sig)
            .is_err());
        assert!(KEY_PROVIDER.verify_tls_signature(&spki, Some(S::Ed25519), b"m", &ed_sig).is_err());
        assert!(KEY_PROVIDER
            .verify_tls_signature(&rsa.public_key_spki(), Some(S::Ed25519), b"m", &ed_sig)
            .is_err());
    }

    #[test]
    fn rsa_pss_signatures_verify_through_the_provider() {
        let key = RsaKey::from_der(RSA_PKCS8).unwrap();
        let spki = SigningKey::public_key_spki(&key);
        let sig = super::super::rsa_pss::sign(&key, HashAlgorithm::Sha256, b"m").unwrap();
        KEY_PROVIDER
            .verify_tls_signature(&spki, Some(SignatureScheme::RsaPssRsaeSha256), b"m", &sig)
            .unwrap();
        assert_eq!(
            KEY_PROVIDER.verify_tls_signature(&spki, Some(SignatureScheme::RsaPssRsaeSha256), b"n", &sig),
            Err(RsaPublicKeyError::BadSignature)
        );
        assert_eq!(
            KEY_PROVIDER.verify_tls_signature(&spki, Some(SignatureScheme::RsaPkcs1Sha256), b"m", &sig),
            Err(RsaPublicKeyError::BadSignature)
        );
    }
}
