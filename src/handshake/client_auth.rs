//! Client authentication shared by both sides: which signature schemes CertificateVerify may
//! use, and what exactly it signs (RFC 5246 §7.4.8; RFC 2246/4346 §7.4.8 before TLS 1.2).

use super::Transcript;
use crate::crypto::{CryptoProvider, HashAlgorithm, RsaPrivateKey, Tls12CipherSuite};
use crate::error::{Error, PeerMisbehaved};
use crate::msgs::certificate_verify::CertificateVerify;
use crate::msgs::enums::{ProtocolVersion, SignatureScheme};

/// ClientCertificateType rsa_sign(1) (RFC 5246 §7.4.4): the only kind of key ferrotls uses.
pub(crate) const RSA_SIGN: u8 = 1;

/// RSA PKCS#1 v1.5 schemes for CertificateVerify in TLS 1.2, most preferred first. SHA-1 only in
/// the legacy profile (RFC 9155 deprecates it). PSS is left out: with TLS 1.2 client
/// authentication PKCS#1 v1.5 is what every peer supports.
pub(crate) fn offered_schemes(legacy: bool) -> Vec<SignatureScheme> {
    let mut v = vec![
        SignatureScheme::RsaPkcs1Sha256,
        SignatureScheme::RsaPkcs1Sha384,
        SignatureScheme::RsaPkcs1Sha512,
    ];
    if legacy {
        v.push(SignatureScheme::RsaPkcs1Sha1);
    }
    v
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

/// The client's choice for TLS 1.2: our most preferred scheme that the server listed.
pub(crate) fn choose_scheme(server_offers: &[SignatureScheme], legacy: bool) -> Option<SignatureScheme> {
    offered_schemes(legacy).into_iter().find(|s| server_offers.contains(s))
}

/// Signs the transcript so far. `scheme` is `Some` exactly in TLS 1.2.
pub(crate) fn sign(
    provider: &CryptoProvider,
    key: &dyn RsaPrivateKey,
    transcript: &Transcript,
    version: ProtocolVersion,
    suite: &Tls12CipherSuite,
    scheme: Option<SignatureScheme>,
) -> Result<CertificateVerify, Error> {
    let signature = match scheme {
        Some(scheme) => {
            let alg = pkcs1_hash(scheme).ok_or(Error::Internal("chose a non-PKCS#1 scheme"))?;
            let hash = (provider.hash)(alg).ok_or(Error::Internal("hash missing from provider"))?;
            key.sign_pkcs1(Some(alg), hash.hash(transcript.messages()).as_ref())?
        }
        // TLS 1.0/1.1: MD5(handshake_messages) ‖ SHA-1(handshake_messages), no DigestInfo.
        None => key.sign_pkcs1(None, &transcript.hash(provider, version, suite)?)?,
    };
    Ok(CertificateVerify { scheme, signature })
}

/// Checks a client's CertificateVerify against the public key of the certificate it sent.
pub(crate) fn verify(
    provider: &CryptoProvider,
    spki: &[u8],
    cv: &CertificateVerify,
    transcript: &Transcript,
    version: ProtocolVersion,
    suite: &Tls12CipherSuite,
    legacy: bool,
) -> Result<(), Error> {
    let result = match cv.scheme {
        Some(scheme) => {
            if !offered_schemes(legacy).contains(&scheme) {
                return Err(PeerMisbehaved::UnofferedSignatureScheme(u16::from(scheme)).into());
            }
            let alg = pkcs1_hash(scheme).ok_or(Error::Internal("offered a non-PKCS#1 scheme"))?;
            provider.key_provider.rsa_verify_pkcs1(spki, Some(alg), transcript.messages(), &cv.signature)
        }
        None => {
            let digest = transcript.hash(provider, version, suite)?;
            provider.key_provider.rsa_verify_pkcs1(spki, None, &digest, &cv.signature)
        }
    };
    result.map_err(|_| PeerMisbehaved::InvalidCertificateVerify.into())
}
