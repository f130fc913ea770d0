//! Client authentication shared by both sides: which signature schemes CertificateVerify may
//! use, and what exactly it signs (RFC 5246 §7.4.8; RFC 2246/4346 §7.4.8 before TLS 1.2).
//!
//! The key chooses its scheme among what the peer offers and signs the whole transcript
//! (`crypto::SigningKey`); the verifier checks the peer's signature
//! (`x509::ClientCertVerifier::verify_tls_signature`). Policy adds the configured scheme list
//! on top (`ProtocolPolicy::signature_schemes`), which has SHA-1 only in the legacy profile
//! (RFC 9155).

use super::Transcript;
use crate::crypto::{CryptoProvider, KeyType, PrivateKey, SignError, Signer};
use crate::error::{Error, PeerMisbehaved};
use crate::msgs::certificate_verify::CertificateVerify;
use crate::msgs::enums::SignatureScheme;
use crate::x509::{CertificateDer, ClientCertVerifier};

/// ClientCertificateType rsa_sign(1) (RFC 5246 §7.4.4).
pub(crate) const RSA_SIGN: u8 = 1;
/// ClientCertificateType ecdsa_sign(64) (RFC 8422 §5.5): ECDSA and Ed25519 keys.
pub(crate) const ECDSA_SIGN: u8 = 64;

/// The ClientCertificateType (RFC 5246 §7.4.4, RFC 8422 §5.5) a key of type `key_type` needs.
pub(crate) fn certificate_type(key_type: KeyType) -> u8 {
    match key_type {
        KeyType::Rsa => RSA_SIGN,
        // ecdsa_sign(64) covers ECDSA and Ed25519 keys (RFC 8422 §5.5).
        _ => ECDSA_SIGN,
    }
}

/// The schemes a side offers (a server in a TLS 1.2 CertificateRequest, a client in
/// signature_algorithms): the configured ones (`policy`, in its order) that its verifier checks.
pub(crate) fn offered_schemes(
    verifier_schemes: Vec<SignatureScheme>,
    policy: &[SignatureScheme],
) -> Vec<SignatureScheme> {
    policy.iter().copied().filter(|s| verifier_schemes.contains(s)).collect()
}

/// The certificate types a server asks for: those whose signatures its verifier checks
/// (`schemes`, after policy; TLS 1.0/1.1 use the same key types without naming a scheme).
/// Never empty (the list has at least one element, RFC 5246 §7.4.4): rsa_sign by default.
pub(crate) fn certificate_types(schemes: &[SignatureScheme]) -> Vec<u8> {
    use SignatureScheme as S;
    let rsa = schemes.iter().any(|s| {
        matches!(s, S::RsaPkcs1Sha1 | S::RsaPkcs1Sha256 | S::RsaPkcs1Sha384 | S::RsaPkcs1Sha512)
            || matches!(s, S::RsaPssRsaeSha256 | S::RsaPssRsaeSha384 | S::RsaPssRsaeSha512)
    });
    let ecdsa = schemes.iter().any(|s| {
        matches!(
            s,
            S::EcdsaSha1Legacy
                | S::EcdsaSecp256r1Sha256
                | S::EcdsaSecp384r1Sha384
                | S::EcdsaSecp521r1Sha512
                | S::Ed25519
        )
    });
    let mut types = Vec::new();
    if rsa {
        types.push(RSA_SIGN);
    }
    if ecdsa {
        types.push(ECDSA_SIGN);
    }
    if types.is_empty() {
        types.push(RSA_SIGN);
    }
    types
}

/// RFC 9155: SHA-1 signatures only in the legacy profile.
pub(crate) fn allowed(scheme: &SignatureScheme, legacy: bool) -> bool {
    legacy || !matches!(scheme, SignatureScheme::RsaPkcs1Sha1 | SignatureScheme::EcdsaSha1Legacy)
}

/// The schemes a server's client verifier checks, as configured.
pub(crate) fn server_offered_schemes(
    verifier: &dyn ClientCertVerifier,
    provider: &CryptoProvider,
    policy: &[SignatureScheme],
) -> Vec<SignatureScheme> {
    offered_schemes(verifier.supported_verify_schemes(provider), policy)
}

/// The client's signer for CertificateVerify: in TLS 1.2 (`offered` is the server's list) the
/// first configured scheme (`policy`) the server offered and the key can make; in TLS 1.0/1.1
/// the key's legacy form.
pub(crate) fn choose_signer(
    key: &PrivateKey,
    offered: Option<&[SignatureScheme]>,
    policy: &[SignatureScheme],
) -> Option<Box<dyn Signer>> {
    match offered {
        Some(offered) => {
            policy.iter().filter(|s| offered.contains(s)).find_map(|s| key.signing_key().choose_scheme(&[*s]))
        }
        None => key.signing_key().legacy_signer(),
    }
}

/// Signs the transcript so far.
pub(crate) fn sign(signer: &dyn Signer, transcript: &Transcript) -> Result<CertificateVerify, Error> {
    let signature = signer.sign(transcript.messages()).map_err(|e| match e {
        SignError::Random => Error::from(crate::crypto::GetRandomFailed),
        SignError::Refused(why) => Error::Internal(why),
    })?;
    Ok(CertificateVerify { scheme: signer.scheme(), signature })
}

/// Checks a client's CertificateVerify against the certificate it sent, through the verifier.
/// `offered` is what the server's CertificateRequest listed (TLS 1.2).
pub(crate) fn verify(
    provider: &CryptoProvider,
    verifier: &dyn ClientCertVerifier,
    end_entity: &CertificateDer<'_>,
    cv: &CertificateVerify,
    transcript: &Transcript,
    offered: &[SignatureScheme],
) -> Result<(), Error> {
    if let Some(scheme) = cv.scheme {
        if !offered.contains(&scheme) {
            return Err(PeerMisbehaved::UnofferedSignatureScheme(u16::from(scheme)).into());
        }
    }
    verifier
        .verify_tls_signature(provider, transcript.messages(), end_entity, cv.scheme, &cv.signature)
        .map_err(|_| PeerMisbehaved::InvalidCertificateVerify.into())
}
