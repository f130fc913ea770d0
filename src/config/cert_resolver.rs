//! Which certificate a server presents: certificate/key pairs ([`CertifiedKey`]) and the
//! [`ResolvesServerCert`] hook that picks one per ClientHello.
//!
//! A server may hold one pair per key type (say RSA and ECDSA, as OpenSSL keeps one per type)
//! and serve each client with the one its suites and signature_algorithms can use
//! ([`ResolvesServerCertUsingKeyType`]), or choose by the name the client asked for (SNI,
//! RFC 6066 §3; [`ResolvesServerCertUsingSni`]). The suite is chosen after the certificate:
//! the first suite, in the server's order, that the chosen key can authenticate.

use crate::crypto::{
    AuthenticationAlgorithm, CryptoProvider, KeyExchangeAlgorithm, KeyType, PrivateKey, Tls12CipherSuite,
};
use crate::enums::{ProtocolVersion, SignatureScheme};
use crate::error::Error;
use crate::x509::{CertificateDer, PrivateKeyDer};
use std::collections::HashMap;
use std::sync::Arc;

/// A certificate chain (leaf first) and the private key of its leaf, checked to belong together.
#[derive(Debug)]
pub struct CertifiedKey {
    pub(crate) chain: Vec<CertificateDer<'static>>,
    pub(crate) key: PrivateKey,
}

impl CertifiedKey {
    /// Loads `key_der` with `provider`'s key loader (RSA, ECDSA or Ed25519, as the provider
    /// supports) and checks that it is the key of `chain`'s leaf, so that a mismatch is a
    /// configuration error rather than a handshake failure.
    pub fn load(
        provider: &CryptoProvider,
        chain: Vec<CertificateDer<'static>>,
        key_der: &PrivateKeyDer<'_>,
    ) -> Result<Self, Error> {
        let key = provider
            .key_provider
            .load_private_key(key_der.secret_der())
            .map_err(|e| Error::Config(format!("cannot use private key: {e}")))?;
        Self::new(chain, key)
    }

    /// Pairs an already loaded key with its chain (same checks as [`Self::load`]).
    pub fn new(chain: Vec<CertificateDer<'static>>, key: PrivateKey) -> Result<Self, Error> {
        let leaf = chain.first().ok_or_else(|| Error::Config("the certificate chain is empty".into()))?;
        // RFC 5246 §7.4.2: the chain travels in one Certificate message with a 24-bit length
        // (and a 24-bit length per certificate); one that does not fit can never be sent.
        let encoded = chain.iter().map(|c| 3 + c.as_ref().len()).sum::<usize>();
        if encoded >= 0xff_ffff - 3 {
            return Err(Error::Config(format!(
                "the certificate chain is {encoded} bytes; a Certificate message holds less than 16 MiB"
            )));
        }
        let cert_spki = crate::x509::subject_public_key_info(leaf)
            .map_err(|e| Error::Config(format!("cannot parse the leaf certificate: {e}")))?;
        if cert_spki != key.public_key_spki() {
            return Err(Error::Config("the private key does not match the leaf certificate".into()));
        }
        Ok(Self { chain, key })
    }

    /// The chain, leaf first.
    pub fn chain(&self) -> &[CertificateDer<'static>] {
        &self.chain
    }

    /// The leaf's private key.
    pub fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// The key's type.
    pub fn key_type(&self) -> KeyType {
        self.key.key_type()
    }

    /// Whether this key can authenticate a handshake with `suite` at `version` for a client
    /// that accepts `schemes` (its signature_algorithms after policy): RSA key exchange needs
    /// an RSA key to decrypt with; ECDHE needs a key of the suite's authentication type that
    /// can sign ServerKeyExchange with one of `schemes` (TLS 1.2) or in the TLS 1.0/1.1 form.
    /// ECDHE-ECDSA suites take ECDSA and Ed25519 keys (RFC 8422 §5.1.3).
    pub fn can_authenticate(
        &self,
        suite: &Tls12CipherSuite,
        version: ProtocolVersion,
        schemes: &[SignatureScheme],
    ) -> bool {
        let key_type = self.key_type();
        let type_fits = match suite.auth {
            AuthenticationAlgorithm::Rsa => key_type == KeyType::Rsa,
            AuthenticationAlgorithm::Ecdsa => {
                matches!(key_type, KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::Ed25519)
            }
        };
        if !type_fits {
            return false;
        }
        match suite.kx {
            KeyExchangeAlgorithm::Rsa => self.key.rsa().is_some(),
            KeyExchangeAlgorithm::Ecdhe if version >= ProtocolVersion::TLSv1_2 => {
                self.key.signing_key().choose_scheme(schemes).is_some()
            }
            KeyExchangeAlgorithm::Ecdhe => self.key.signing_key().legacy_signer().is_some(),
        }
    }
}

impl CertifiedKey {
    /// TLS 1.3: whether this key can sign a CertificateVerify with one of `schemes` (the
    /// client's TLS 1.3 signature schemes after policy). An ECDSA scheme names its curve
    /// there (RFC 8446 §4.2.3), so a P-256 key signs only `ecdsa_secp256r1_sha256`.
    pub fn can_sign_tls13(&self, schemes: &[SignatureScheme]) -> bool {
        let own: Vec<SignatureScheme> = schemes
            .iter()
            .copied()
            .filter(|s| match (self.key_type(), s) {
                (KeyType::EcdsaP256, SignatureScheme::EcdsaSecp256r1Sha256) => true,
                (KeyType::EcdsaP384, SignatureScheme::EcdsaSecp384r1Sha384) => true,
                (KeyType::EcdsaP256 | KeyType::EcdsaP384, _) => false,
                _ => true,
            })
            .collect();
        self.key.signing_key().choose_scheme(&own).is_some()
    }
}

/// What a certificate resolver sees of a ClientHello, after version and policy are applied.
#[derive(Debug)]
#[non_exhaustive]
pub struct ClientHelloView<'a> {
    /// The host name the client asked for (server_name, RFC 6066 §3), as sent.
    pub server_name: Option<&'a str>,
    /// The version this handshake will use.
    pub version: ProtocolVersion,
    /// The suites both sides allow at `version`, in the server's preference order (TLS 1.0
    /// to 1.2; empty under TLS 1.3).
    pub cipher_suites: &'a [&'static Tls12CipherSuite],
    /// Under TLS 1.3, the 1.3 suites both sides allow, in the server's preference order (the
    /// first is the one chosen; none of them depends on the certificate). Empty before 1.3.
    pub tls13_cipher_suites: &'a [&'static crate::crypto::Tls13CipherSuite],
    /// The client's signature_algorithms that policy allows (TLS 1.2; RFC 5246 §7.4.1.4.1's
    /// SHA-1 defaults when the client sent none); empty before TLS 1.2.
    pub signature_schemes: &'a [SignatureScheme],
}

impl<'a> ClientHelloView<'a> {
    /// A view for a resolver's own tests or for a layer that resolves outside a handshake.
    pub fn new(
        server_name: Option<&'a str>,
        version: ProtocolVersion,
        cipher_suites: &'a [&'static Tls12CipherSuite],
        signature_schemes: &'a [SignatureScheme],
    ) -> Self {
        Self { server_name, version, cipher_suites, tls13_cipher_suites: &[], signature_schemes }
    }

    /// The same view with the TLS 1.3 suites both sides allow (see
    /// [`Self::tls13_cipher_suites`]).
    pub fn with_tls13_cipher_suites(
        mut self,
        suites: &'a [&'static crate::crypto::Tls13CipherSuite],
    ) -> Self {
        self.tls13_cipher_suites = suites;
        self
    }

    /// The first of `cipher_suites` that `certified` can authenticate.
    pub fn suite_for(&self, certified: &CertifiedKey) -> Option<&'static Tls12CipherSuite> {
        self.cipher_suites
            .iter()
            .copied()
            .find(|s| certified.can_authenticate(s, self.version, self.signature_schemes))
    }
}

/// Chooses the certificate a server presents for a ClientHello.
pub trait ResolvesServerCert: Send + Sync + core::fmt::Debug {
    /// The certificate for this client, or `None` to refuse the handshake: with
    /// `unrecognized_name` when the client sent a server name, else `handshake_failure`.
    /// When the returned key cannot authenticate any of the view's suites the handshake fails
    /// saying so.
    fn resolve(&self, hello: &ClientHelloView<'_>) -> Option<Arc<CertifiedKey>>;

    /// The key types this resolver may return, for error messages and for layers that show
    /// a configuration (the default: not known).
    fn key_types(&self) -> Vec<KeyType> {
        Vec::new()
    }
}

/// Several certificates (normally one per key type), served by what the client can use: for
/// each suite in the server's order, the first certificate that can authenticate it.
#[derive(Debug, Default)]
pub struct ResolvesServerCertUsingKeyType {
    certs: Vec<Arc<CertifiedKey>>,
}

impl ResolvesServerCertUsingKeyType {
    /// No certificates yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a certificate; among certificates of one key type the first added wins.
    pub fn add(&mut self, certified: Arc<CertifiedKey>) {
        self.certs.push(certified);
    }

    /// The certificates, in the order added.
    pub fn certs(&self) -> &[Arc<CertifiedKey>] {
        &self.certs
    }

    /// The certificate for `hello`, or the first one when none fits (the handshake then
    /// fails naming the key types the client would have needed).
    fn pick(&self, hello: &ClientHelloView<'_>) -> Option<Arc<CertifiedKey>> {
        let fitting = if hello.version >= ProtocolVersion::TLSv1_3 {
            // TLS 1.3 suites name no authentication (RFC 8446 §4.1.3):
            // the client's signature schemes decide, so a client that takes only ECDSA gets
            // the ECDSA certificate even when an RSA one was added first.
            self.certs.iter().find(|c| c.can_sign_tls13(hello.signature_schemes))
        } else {
            hello.cipher_suites.iter().find_map(|s| {
                self.certs.iter().find(|c| c.can_authenticate(s, hello.version, hello.signature_schemes))
            })
        };
        fitting.or_else(|| self.certs.first()).cloned()
    }
}

impl ResolvesServerCert for ResolvesServerCertUsingKeyType {
    fn resolve(&self, hello: &ClientHelloView<'_>) -> Option<Arc<CertifiedKey>> {
        self.pick(hello)
    }

    fn key_types(&self) -> Vec<KeyType> {
        self.certs.iter().map(|c| c.key_type()).collect()
    }
}

/// Certificates chosen by the client's server name (SNI), each name with one certificate per
/// key type, and an optional default for clients that send no name or an unknown one. Without
/// a default such clients are refused (`unrecognized_name` when they sent a name, RFC 6066 §3).
#[derive(Debug, Default)]
pub struct ResolvesServerCertUsingSni {
    by_name: HashMap<String, ResolvesServerCertUsingKeyType>,
    default: Option<ResolvesServerCertUsingKeyType>,
}

impl ResolvesServerCertUsingSni {
    /// No names yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves `certified` to clients asking for `name` (a DNS name, matched without regard to
    /// case and a trailing dot; `*.example.com` serves names one label below `example.com`
    /// that have no entry of their own); call again with another key type for the same name to hold
    /// both. The leaf must be valid for `name` (its subjectAltName), checked here so that a
    /// misfiled certificate is a configuration error.
    pub fn add(&mut self, name: &str, certified: Arc<CertifiedKey>) -> Result<(), Error> {
        let name = normalise(name);
        if name.is_empty() {
            return Err(Error::Config("an SNI name must not be empty".into()));
        }
        let leaf = certified.chain.first().ok_or_else(|| Error::Config("empty chain".into()))?;
        let info = crate::x509::CertificateInfo::from_der(leaf.as_ref())
            .map_err(|e| Error::Config(format!("cannot parse the leaf certificate: {e}")))?;
        let dns_names: Vec<&str> = info
            .subject_alt_names()
            .iter()
            .filter_map(|n| match n {
                crate::x509::SubjectAltName::Dns(d) => Some(d.as_str()),
                _ => None,
            })
            .collect();
        if !dns_names.iter().any(|n| dns_name_matches(n, &name)) {
            return Err(Error::Config(format!(
                "the certificate for {name} is not valid for that name (its DNS names: {})",
                dns_names.join(", ")
            )));
        }
        self.by_name.entry(name).or_default().add(certified);
        Ok(())
    }

    /// Serves `certified` to clients without a name or with a name not added (call again with
    /// another key type to hold both).
    pub fn add_default(&mut self, certified: Arc<CertifiedKey>) {
        self.default.get_or_insert_with(Default::default).add(certified);
    }
}

impl ResolvesServerCert for ResolvesServerCertUsingSni {
    fn resolve(&self, hello: &ClientHelloView<'_>) -> Option<Arc<CertifiedKey>> {
        hello
            .server_name
            .and_then(|n| {
                let name = normalise(n);
                // An exact entry first, then a wildcard entry for the parent (one label).
                self.by_name.get(&name).or_else(|| {
                    let (_, parent) = name.split_once('.')?;
                    self.by_name.get(&format!("*.{parent}"))
                })
            })
            .or(self.default.as_ref())
            .and_then(|set| set.pick(hello))
    }

    fn key_types(&self) -> Vec<KeyType> {
        let mut types: Vec<KeyType> =
            self.by_name.values().chain(self.default.as_ref()).flat_map(|s| s.key_types()).collect();
        types.dedup();
        types
    }
}

/// Lower case without a trailing dot: DNS names compare case-insensitively (RFC 4343), and
/// `example.com.` is the same name.
fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// A certificate's DNS name `pattern` (perhaps `*.example.com`, RFC 6125 §6.4.3: the wildcard
/// is the whole left-most label) covers `name`.
fn dns_name_matches(pattern: &str, name: &str) -> bool {
    let pattern = normalise(pattern);
    match pattern.strip_prefix("*.") {
        Some(parent) => name.split_once('.').is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
        None => pattern == name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_or_trailing_dot_and_wildcards_cover_one_label() {
        assert_eq!(normalise("WWW.Example.COM."), "www.example.com");
        assert!(dns_name_matches("*.example.com", "www.example.com"));
        assert!(!dns_name_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_name_matches("*.example.com", "example.com"));
        assert!(dns_name_matches("Example.com", "example.com"));
        assert!(!dns_name_matches("example.com", "example.org"));
    }
}
