//! Client and server configuration: immutable once built, shared by `Arc` across connections.
#![forbid(unsafe_code)]

mod alpn;
mod cipher_list;
pub mod danger;
pub mod defaults;

pub(crate) use alpn::select_by_server_preference;
pub use alpn::{AlpnSelection, AlpnSelector, MAX_PROTOCOL_NAME_LIST_LEN};
pub use cipher_list::{find_suite, parse_cipher_list};

use crate::crypto::{CryptoProvider, KeyExchangeAlgorithm, KxGroup, PrivateKey, Tls12CipherSuite};
use crate::error::Error;
use crate::msgs::enums::{NamedGroup, ProtocolVersion, SignatureScheme};
use crate::session::{ServerSessionMemoryCache, StoresServerSessions, VerifiedBy};
use crate::x509::{CertificateDer, ClientCertVerifier, PrivateKeyDer, ServerCertVerifier, TimeProvider};
use std::sync::Arc;

/// Version range, suites and extensions shared by both sides.
#[derive(Clone, Debug)]
pub struct ProtocolPolicy {
    /// Lowest version spoken.
    pub min_version: ProtocolVersion,
    /// Highest version spoken.
    pub max_version: ProtocolVersion,
    /// Suites in preference order.
    pub cipher_suites: Vec<&'static Tls12CipherSuite>,
    /// TLS 1.3 suites in preference order (RFC 8446 §B.4), configured apart from the 1.2 list
    /// as OpenSSL's `-ciphersuites` is.
    pub tls13_cipher_suites: Vec<&'static crate::crypto::Tls13CipherSuite>,
    /// The legacy profile: TLS 1.0/1.1, 3DES and RC4 allowed; servers without secure
    /// renegotiation accepted (servers always accept such clients).
    pub legacy: bool,
    /// Offer/accept extended master secret (RFC 7627).
    pub extended_master_secret: bool,
    /// Offer/accept encrypt-then-MAC (RFC 7366).
    pub encrypt_then_mac: bool,
    /// Key exchange groups for ECDHE, most preferred first: a client offers them in
    /// supported_groups in this order; a server picks the first of them the client offered.
    pub kx_groups: Vec<&'static dyn KxGroup>,
    /// Signature schemes in preference order (TLS 1.2): a client offers those of them its
    /// verifier checks; a server signs only with these and accepts client signatures only
    /// in these. SHA-1 schemes appear only in the legacy profile.
    pub signature_schemes: Vec<SignatureScheme>,
}

impl ProtocolPolicy {
    /// True when `v` is inside the configured range.
    pub fn allows_version(&self, v: ProtocolVersion) -> bool {
        self.min_version <= v && v <= self.max_version
    }

    /// The configured group called `name`, if any.
    pub fn kx_group(&self, name: NamedGroup) -> Option<&'static dyn KxGroup> {
        self.kx_groups.iter().copied().find(|g| g.name() == name)
    }

    /// Suites usable at version `v`, in preference order.
    pub fn suites_for(&self, v: ProtocolVersion) -> impl Iterator<Item = &'static Tls12CipherSuite> + '_ {
        self.cipher_suites.iter().copied().filter(move |s| s.min_version <= v)
    }
}

/// Collects the settings common to both builders and checks them together.
#[derive(Clone, Debug)]
struct PolicyBuilder {
    provider: CryptoProvider,
    legacy: bool,
    versions: Option<(ProtocolVersion, ProtocolVersion)>,
    cipher_list: Option<String>,
    extended_master_secret: bool,
    encrypt_then_mac: bool,
    kx_groups: Option<KxGroupChoice>,
    signature_schemes: Option<Vec<SignatureScheme>>,
    tls13_ciphersuites: Option<String>,
}

/// Groups as configured: the provider's objects, or names looked up in the provider at build.
#[derive(Clone, Debug)]
enum KxGroupChoice {
    Groups(Vec<&'static dyn KxGroup>),
    Names(Vec<NamedGroup>),
}

impl PolicyBuilder {
    fn new(provider: CryptoProvider) -> Self {
        Self {
            provider,
            legacy: false,
            versions: None,
            cipher_list: None,
            extended_master_secret: defaults::EXTENDED_MASTER_SECRET,
            encrypt_then_mac: defaults::ENCRYPT_THEN_MAC,
            kx_groups: None,
            signature_schemes: None,
            tls13_ciphersuites: None,
        }
    }

    /// The groups in force: as configured (names resolved in the provider), else the
    /// provider's, in its order. An empty list is refused when an ECDHE suite is configured.
    fn build_kx_groups(
        &self,
        suites: &[&'static Tls12CipherSuite],
    ) -> Result<Vec<&'static dyn KxGroup>, Error> {
        let available = self.provider.kx_groups;
        let groups: Vec<&'static dyn KxGroup> = match &self.kx_groups {
            None => available.to_vec(),
            Some(KxGroupChoice::Groups(g)) => g.clone(),
            Some(KxGroupChoice::Names(names)) => names
                .iter()
                .map(|name| {
                    available.iter().copied().find(|g| g.name() == *name).ok_or_else(|| {
                        let have: Vec<&str> = available.iter().map(|g| g.name().openssl_name()).collect();
                        Error::Config(format!(
                            "key exchange group {} (0x{:04x}) is not implemented by this crypto provider \
                             (it has {})",
                            name.openssl_name(),
                            u16::from(*name),
                            have.join(", ")
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        if groups.is_empty() && suites.iter().any(|s| s.kx == KeyExchangeAlgorithm::Ecdhe) {
            return Err(Error::Config(
                "no key exchange groups configured, and ECDHE cipher suites need one \
                 (configure X25519, P-256 or P-384, or leave the ECDHE suites out of the cipher list)"
                    .into(),
            ));
        }
        Ok(groups)
    }

    /// The signature schemes in force: as configured, else the defaults (with SHA-1 in the
    /// legacy profile). SHA-1 outside the legacy profile, unknown schemes and an empty list
    /// are configuration errors.
    fn build_signature_schemes(&self) -> Result<Vec<SignatureScheme>, Error> {
        let Some(schemes) = &self.signature_schemes else {
            let mut all = defaults::SIGNATURE_SCHEMES.to_vec();
            if self.legacy {
                all.extend_from_slice(defaults::LEGACY_SIGNATURE_SCHEMES);
            }
            return Ok(all);
        };
        if schemes.is_empty() {
            return Err(Error::Config("the signature scheme list is empty".into()));
        }
        for s in schemes {
            if let SignatureScheme::Unknown(v) = s {
                return Err(Error::Config(format!("signature scheme 0x{v:04x} is not supported")));
            }
            if s.is_sha1() && !self.legacy {
                return Err(Error::Config(format!(
                    "signature scheme {} uses SHA-1 (RFC 9155) and needs the legacy profile (--legacy)",
                    s.name()
                )));
            }
        }
        Ok(schemes.clone())
    }

    /// The TLS 1.3 suites in force: as configured (IANA names separated by `:`, as OpenSSL's
    /// `SSL_CTX_set_ciphersuites` takes them; an empty list turns TLS 1.3 suites off), else the
    /// provider's.
    fn build_tls13_suites(&self) -> Result<Vec<&'static crate::crypto::Tls13CipherSuite>, Error> {
        let Some(list) = &self.tls13_ciphersuites else {
            return Ok(self.provider.tls13_cipher_suites.to_vec());
        };
        let mut out = Vec::new();
        for name in list.split(':').filter(|n| !n.is_empty()) {
            let suite = self
                .provider
                .tls13_cipher_suites
                .iter()
                .copied()
                .find(|s| s.is_named(name))
                .ok_or_else(|| Error::Config(format!("unknown TLS 1.3 cipher suite {name:?}")))?;
            if !out.contains(&suite) {
                out.push(suite);
            }
        }
        Ok(out)
    }

    fn build(&self) -> Result<ProtocolPolicy, Error> {
        let (min_version, max_version) = self.versions.unwrap_or(if self.legacy {
            (defaults::LEGACY_MIN_VERSION, defaults::MAX_VERSION)
        } else {
            (defaults::MIN_VERSION, defaults::MAX_VERSION)
        });
        for v in [min_version, max_version] {
            if v < ProtocolVersion::TLSv1_0 || v > defaults::HIGHEST_SUPPORTED_VERSION {
                return Err(Error::Config(format!("{} is not supported", v.name())));
            }
        }
        if min_version > max_version {
            return Err(Error::Config(format!(
                "minimum version {} is above maximum version {}",
                min_version.name(),
                max_version.name()
            )));
        }
        if min_version < defaults::MIN_VERSION && !self.legacy {
            return Err(Error::Config(format!(
                "{} is deprecated (RFC 8996) and needs the legacy profile (--legacy)",
                min_version.name()
            )));
        }
        let cipher_suites: Vec<_> = match &self.cipher_list {
            Some(list) => {
                let suites = parse_cipher_list(self.provider.cipher_suites, list)?;
                if let Some(s) = suites.iter().find(|s| s.legacy && !self.legacy) {
                    return Err(Error::Config(format!(
                        "cipher suite {} ({}) is weak and needs the legacy profile (--legacy)",
                        s.openssl_name, s.iana_name
                    )));
                }
                suites
            }
            None => {
                self.provider.cipher_suites.iter().copied().filter(|s| self.legacy || !s.legacy).collect()
            }
        };
        let tls13_cipher_suites = self.build_tls13_suites()?;
        let tls13_usable = max_version >= ProtocolVersion::TLSv1_3 && !tls13_cipher_suites.is_empty();
        if !tls13_usable && !cipher_suites.iter().any(|s| s.min_version <= max_version) {
            return Err(Error::Config(format!(
                "none of the configured cipher suites can be used with {}",
                max_version.name()
            )));
        }
        let kx_groups = self.build_kx_groups(&cipher_suites)?;
        let signature_schemes = self.build_signature_schemes()?;
        Ok(ProtocolPolicy {
            min_version,
            max_version,
            cipher_suites,
            tls13_cipher_suites,
            kx_groups,
            signature_schemes,
            legacy: self.legacy,
            extended_master_secret: self.extended_master_secret,
            encrypt_then_mac: self.encrypt_then_mac,
        })
    }
}

/// The process-wide crypto provider: the one installed with
/// [`CryptoProvider::install_default`], else the RustCrypto provider, installed on first use.
/// The config builders, the C API, the OpenSSL layer and the `ferrotls` command all take their
/// provider from here, so a second provider plugs in at one place. This is the one place the
/// core names the RustCrypto provider.
pub fn default_provider() -> &'static CryptoProvider {
    CryptoProvider::get_default_or_install(&crate::crypto::rustcrypto::DEFAULT_PROVIDER)
}

/// A certificate chain (leaf first) and the private key of its leaf.
#[derive(Debug)]
pub(crate) struct Identity {
    pub(crate) chain: Vec<CertificateDer<'static>>,
    pub(crate) key: PrivateKey,
}

impl Identity {
    /// Loads the key and checks that it belongs to the leaf, so that a mismatch is a
    /// configuration error rather than a handshake failure.
    fn load(
        provider: &CryptoProvider,
        chain: Vec<CertificateDer<'static>>,
        key_der: &PrivateKeyDer<'static>,
    ) -> Result<Self, Error> {
        let leaf = chain.first().ok_or_else(|| Error::Config("the certificate chain is empty".into()))?;
        // RFC 5246 §7.4.2: the chain travels in one Certificate message with a 24-bit length
        // (and a 24-bit length per certificate); one that does not fit can never be sent.
        let encoded = chain.iter().map(|c| 3 + c.as_ref().len()).sum::<usize>();
        if encoded >= 0xff_ffff - 3 {
            return Err(Error::Config(format!(
                "the certificate chain is {encoded} bytes; a Certificate message holds less than 16 MiB"
            )));
        }
        let key = provider
            .key_provider
            .load_private_key(key_der.secret_der())
            .map_err(|e| Error::Config(format!("cannot use private key: {e}")))?;
        let cert_spki = crate::x509::subject_public_key_info(leaf)
            .map_err(|e| Error::Config(format!("cannot parse the leaf certificate: {e}")))?;
        if cert_spki != key.public_key_spki() {
            return Err(Error::Config("the private key does not match the leaf certificate".into()));
        }
        Ok(Self { chain, key })
    }
}

macro_rules! policy_setters {
    () => {
        /// Turns the legacy profile on or off: TLS 1.0/1.1, 3DES and RC4 become available
        /// (hardened: constant-time CBC, 1/n-1 splitting, EMS and EtM still offered).
        pub fn legacy(mut self, on: bool) -> Self {
            self.policy.legacy = on;
            self
        }

        /// Sets the version range. Below TLS 1.2 needs [`Self::legacy`].
        pub fn versions(mut self, min: ProtocolVersion, max: ProtocolVersion) -> Self {
            self.policy.versions = Some((min, max));
            self
        }

        /// Restricts and orders the cipher suites: OpenSSL or IANA names separated by `:`.
        pub fn cipher_list(mut self, list: &str) -> Self {
            self.policy.cipher_list = Some(list.to_owned());
            self
        }

        /// Restricts and orders the TLS 1.3 cipher suites: IANA names separated by `:` (as
        /// OpenSSL's `-ciphersuites`), e.g. `TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256`.
        pub fn tls13_ciphersuites(mut self, list: &str) -> Self {
            self.policy.tls13_ciphersuites = Some(list.to_owned());
            self
        }

        /// Offers/accepts extended master secret (RFC 7627); on by default.
        pub fn extended_master_secret(mut self, on: bool) -> Self {
            self.policy.extended_master_secret = on;
            self
        }

        /// Offers/accepts encrypt-then-MAC (RFC 7366); on by default.
        pub fn encrypt_then_mac(mut self, on: bool) -> Self {
            self.policy.encrypt_then_mac = on;
            self
        }

        /// The key exchange groups for ECDHE, most preferred first (default: the provider's,
        /// X25519, P-256, P-384), e.g. `vec![&rustcrypto::SECP256R1]`. A client offers them in
        /// this order; a server picks the first of them that the client offered.
        pub fn kx_groups(mut self, groups: Vec<&'static dyn crate::crypto::KxGroup>) -> Self {
            self.policy.kx_groups = Some(KxGroupChoice::Groups(groups));
            self
        }

        /// [`Self::kx_groups`] by IANA name, looked up in the provider at build (a group it
        /// does not implement is a configuration error), e.g. `&[NamedGroup::X25519]`.
        pub fn kx_group_names(mut self, names: &[crate::enums::NamedGroup]) -> Self {
            self.policy.kx_groups = Some(KxGroupChoice::Names(names.to_vec()));
            self
        }

        /// The TLS 1.2 signature schemes, most preferred first (default
        /// [`defaults::SIGNATURE_SCHEMES`], plus SHA-1 in the legacy profile). A client offers
        /// those its verifier can check; a server signs ServerKeyExchange only with one of
        /// these that the client offered, and asks for them in CertificateRequest. SHA-1
        /// schemes need the legacy profile.
        pub fn signature_schemes(mut self, schemes: Vec<crate::enums::SignatureScheme>) -> Self {
            self.policy.signature_schemes = Some(schemes);
            self
        }
    };
}

/// Settings for client connections.
#[derive(Debug)]
pub struct ClientConfig {
    pub(crate) provider: CryptoProvider,
    pub(crate) policy: ProtocolPolicy,
    pub(crate) verifier: Arc<dyn ServerCertVerifier>,
    pub(crate) time: Arc<dyn TimeProvider>,
    pub(crate) send_fallback_scsv: bool,
    pub(crate) enable_sni: bool,
    pub(crate) client_auth: Option<Identity>,
    /// Offered in ClientHello in this order (RFC 7301 §3.1); empty: no ALPN.
    pub(crate) alpn_protocols: Vec<Vec<u8>>,
    /// What sessions made under this configuration record as their verification; only
    /// sessions with the same one are offered again.
    pub(crate) verified_by: VerifiedBy,
    /// How long a session made under this configuration may be offered, in seconds.
    pub(crate) session_lifetime_secs: u64,
}

impl ClientConfig {
    /// A builder using the process-wide provider ([`default_provider`]).
    pub fn builder() -> ClientConfigBuilder {
        Self::builder_with_provider(*default_provider())
    }

    /// A builder using `provider`.
    pub fn builder_with_provider(provider: CryptoProvider) -> ClientConfigBuilder {
        ClientConfigBuilder {
            policy: PolicyBuilder::new(provider),
            verifier: None,
            time: None,
            send_fallback_scsv: false,
            enable_sni: true,
            client_auth: None,
            alpn_protocols: Vec::new(),
            session_token: None,
            session_lifetime_secs: defaults::SESSION_LIFETIME_SECS,
        }
    }

    /// The version range and suites in force.
    pub fn policy(&self) -> &ProtocolPolicy {
        &self.policy
    }
}

/// Builds a [`ClientConfig`]. Checks happen in [`ClientConfigBuilder::build`].
pub struct ClientConfigBuilder {
    policy: PolicyBuilder,
    verifier: Option<Arc<dyn ServerCertVerifier>>,
    time: Option<Arc<dyn TimeProvider>>,
    send_fallback_scsv: bool,
    enable_sni: bool,
    client_auth: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    alpn_protocols: Vec<Vec<u8>>,
    session_token: Option<Arc<()>>,
    session_lifetime_secs: u64,
}

impl ClientConfigBuilder {
    policy_setters!();

    /// Verifies servers with `verifier` (for example a `WebPkiServerVerifier` over a root store).
    pub fn verifier(mut self, verifier: Arc<dyn ServerCertVerifier>) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Verifies servers against the trust anchors in `roots` with the provider's signature
    /// algorithms (SHA-1 accepted only with the legacy profile).
    pub fn root_store(self, roots: crate::x509::RootCertStore) -> Self {
        let algs = if self.policy.legacy {
            self.policy.provider.legacy_signature_algorithms
        } else {
            self.policy.provider.signature_algorithms
        };
        let v = crate::x509::WebPkiServerVerifier::with_algorithms(Arc::new(roots), algs);
        self.verifier(Arc::new(v))
    }

    /// Accepts any server certificate. See [`danger::NoServerVerification`].
    pub fn dangerous_no_verification(self) -> Self {
        self.verifier(Arc::new(danger::NoServerVerification))
    }

    /// The clock certificate validity is checked against (default: the system clock).
    pub fn time_provider(mut self, time: Arc<dyn TimeProvider>) -> Self {
        self.time = Some(time);
        self
    }

    /// Sends TLS_FALLBACK_SCSV (RFC 7507): only for a client retrying with a lower maximum
    /// version after a failed connection.
    pub fn send_fallback_scsv(mut self, on: bool) -> Self {
        self.send_fallback_scsv = on;
        self
    }

    /// Sends server_name (RFC 6066) for DNS names; on by default.
    pub fn enable_sni(mut self, on: bool) -> Self {
        self.enable_sni = on;
        self
    }

    /// The certificate chain (leaf first) and RSA key this client presents when a server asks
    /// for one (RFC 5246 §7.4.6). Without it the client answers a request with no certificate.
    pub fn client_auth_cert(
        mut self,
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
    ) -> Self {
        self.client_auth = Some((chain, key));
        self
    }

    /// Offers these application protocols (ALPN, RFC 7301), most preferred first, e.g.
    /// `vec![b"h2".to_vec(), b"http/1.1".to_vec()]`. Each name is 1 to 255 bytes (checked at
    /// [`Self::build`]); an empty list (the default) sends no ALPN.
    pub fn alpn_protocols(mut self, protocols: Vec<Vec<u8>>) -> Self {
        self.alpn_protocols = protocols;
        self
    }

    /// How long a session made under this configuration may be offered for resumption, in
    /// seconds from the end of its full handshake by the configuration's clock (default
    /// [`defaults::SESSION_LIFETIME_SECS`]). A server applies its own lifetime as well.
    pub fn session_lifetime(mut self, secs: u64) -> Self {
        self.session_lifetime_secs = secs;
        self
    }

    /// Tags sessions with `token` instead of the verifier object: the OpenSSL-compatible layer
    /// builds a verifier per handshake and hands out one token per context and verification
    /// settings, so that those sessions resume there and nowhere else.
    #[cfg_attr(not(feature = "openssl-compat"), allow(dead_code))]
    pub(crate) fn session_token(mut self, token: Arc<()>) -> Self {
        self.session_token = Some(token);
        self
    }

    /// Checks the settings together and builds the configuration. A client key that does not
    /// match its certificate is refused here.
    pub fn build(self) -> Result<ClientConfig, Error> {
        let policy = self.policy.build()?;
        alpn::require_valid_protocols(&self.alpn_protocols)?;
        let client_auth = match self.client_auth {
            Some((chain, key)) => Some(Identity::load(&self.policy.provider, chain, &key)?),
            None => None,
        };
        let verifier = self.verifier.ok_or_else(|| {
            Error::Config(
                "no way to verify servers: give trust anchors (a CA file) or opt out explicitly".into(),
            )
        })?;
        // A session is tied to the verifier that checked its server (or the OpenSSL layer's
        // token for it): another trust store or `dangerous_no_verification` never resumes it.
        let verified_by = match self.session_token {
            Some(token) => VerifiedBy::Token(token),
            None => VerifiedBy::Verifier(Arc::clone(&verifier)),
        };
        Ok(ClientConfig {
            provider: self.policy.provider,
            policy,
            verified_by,
            session_lifetime_secs: self.session_lifetime_secs,
            verifier,
            time: self.time.unwrap_or_else(|| Arc::new(crate::crypto::rustcrypto::SystemTimeProvider)),
            send_fallback_scsv: self.send_fallback_scsv,
            enable_sni: self.enable_sni,
            client_auth,
            alpn_protocols: self.alpn_protocols,
        })
    }
}

/// Settings for server connections.
#[derive(Debug)]
pub struct ServerConfig {
    pub(crate) provider: CryptoProvider,
    pub(crate) policy: ProtocolPolicy,
    pub(crate) identity: Identity,
    pub(crate) client_verifier: Option<Arc<dyn ClientCertVerifier>>,
    pub(crate) time: Arc<dyn TimeProvider>,
    /// Accepted in this preference order (RFC 7301 §3.2); empty: ALPN is ignored.
    pub(crate) alpn_protocols: Vec<Vec<u8>>,
    /// Decides instead of `alpn_protocols` when set.
    pub(crate) alpn_selector: Option<Arc<dyn AlpnSelector>>,
    pub(crate) sessions: ServerSessionSettings,
}

/// How a server stores and resumes sessions (RFC 5246 §7.3).
#[derive(Clone, Debug)]
pub(crate) struct ServerSessionSettings {
    pub(crate) storage: Arc<dyn StoresServerSessions>,
    pub(crate) lifetime_secs: u64,
    pub(crate) session_id_context: Vec<u8>,
    /// OpenSSL's rule (`SSL_R_SESSION_ID_CONTEXT_UNINITIALIZED`): a server that verifies client
    /// certificates and has no session-id context fails a resumption attempt with
    /// internal_error instead of resuming a session that may come from another context. Set by
    /// the OpenSSL-compatible layer only.
    pub(crate) require_context_with_client_auth: bool,
}

impl ServerConfig {
    /// A builder using the process-wide provider ([`default_provider`]).
    pub fn builder() -> ServerConfigBuilder {
        Self::builder_with_provider(*default_provider())
    }

    /// A builder using `provider`.
    pub fn builder_with_provider(provider: CryptoProvider) -> ServerConfigBuilder {
        ServerConfigBuilder {
            policy: PolicyBuilder::new(provider),
            identity: None,
            client_verifier: None,
            time: None,
            alpn_protocols: Vec::new(),
            alpn_selector: None,
            session_storage: None,
            session_lifetime_secs: defaults::SESSION_LIFETIME_SECS,
            session_id_context: Vec::new(),
            require_context_with_client_auth: false,
        }
    }

    /// Where sessions are kept for resumption, shared by every connection of this configuration.
    pub fn session_storage(&self) -> &Arc<dyn StoresServerSessions> {
        &self.sessions.storage
    }

    /// The version range and suites in force.
    pub fn policy(&self) -> &ProtocolPolicy {
        &self.policy
    }
}

/// Builds a [`ServerConfig`].
pub struct ServerConfigBuilder {
    policy: PolicyBuilder,
    identity: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    client_verifier: Option<Arc<dyn ClientCertVerifier>>,
    time: Option<Arc<dyn TimeProvider>>,
    alpn_protocols: Vec<Vec<u8>>,
    alpn_selector: Option<Arc<dyn AlpnSelector>>,
    session_storage: Option<Arc<dyn StoresServerSessions>>,
    session_lifetime_secs: u64,
    session_id_context: Vec<u8>,
    require_context_with_client_auth: bool,
}

impl ServerConfigBuilder {
    policy_setters!();

    /// The certificate chain (leaf first) and its private key (RSA, PKCS#1 or PKCS#8).
    pub fn single_cert(mut self, chain: Vec<CertificateDer<'static>>, key: PrivateKeyDer<'static>) -> Self {
        self.identity = Some((chain, key));
        self
    }

    /// Asks clients for a certificate and checks it with `verifier` (mutual authentication).
    /// Whether a certificate is required or optional is the verifier's
    /// [`ClientCertVerifier::client_auth_mandatory`]. Without a verifier no certificate is requested.
    pub fn client_verifier(mut self, verifier: Arc<dyn ClientCertVerifier>) -> Self {
        self.client_verifier = Some(verifier);
        self
    }

    /// The clock client certificates are checked against (default: the system clock).
    pub fn time_provider(mut self, time: Arc<dyn TimeProvider>) -> Self {
        self.time = Some(time);
        self
    }

    /// Accepts these application protocols (ALPN, RFC 7301), most preferred first. When a
    /// client offers ALPN the server selects the first of these that the client offered (server
    /// preference, RFC 7301 §3.2), and refuses the handshake with `no_application_protocol`
    /// when none is offered. An empty list (the default) ignores the client's ALPN. Each name
    /// is 1 to 255 bytes (checked at [`Self::build`]).
    pub fn alpn_protocols(mut self, protocols: Vec<Vec<u8>>) -> Self {
        self.alpn_protocols = protocols;
        self
    }

    /// Lets `selector` make the ALPN decision for each ClientHello that carries ALPN, instead
    /// of [`Self::alpn_protocols`]: select one of the client's offers, answer without ALPN, or
    /// refuse with `no_application_protocol`.
    pub fn alpn_selector(mut self, selector: Arc<dyn AlpnSelector>) -> Self {
        self.alpn_selector = Some(selector);
        self
    }

    /// Keeps at most `capacity` sessions in memory for resumption by session ID, evicting the
    /// least recently used (default [`defaults::SESSION_CACHE_SIZE`]); 0 turns resumption off.
    pub fn session_cache(self, capacity: usize) -> Self {
        self.session_storage(Arc::new(ServerSessionMemoryCache::new(capacity)))
    }

    /// Keeps sessions in `storage` (for example one shared by several configurations).
    pub fn session_storage(mut self, storage: Arc<dyn StoresServerSessions>) -> Self {
        self.session_storage = Some(storage);
        self
    }

    /// How long a session may be resumed, in seconds (default
    /// [`defaults::SESSION_LIFETIME_SECS`]), checked against the configuration's clock.
    pub fn session_lifetime(mut self, secs: u64) -> Self {
        self.session_lifetime_secs = secs;
        self
    }

    /// Tags sessions with `context` (at most 32 bytes); only sessions created under the same
    /// context are resumed, so servers sharing a store keep their sessions apart.
    pub fn session_id_context(mut self, context: &[u8]) -> Self {
        self.session_id_context = context.to_vec();
        self
    }

    /// OpenSSL's rule for a verifying server without a session-id context (see
    /// `ServerSessionSettings`); only the OpenSSL-compatible layer turns it on.
    #[cfg_attr(not(feature = "openssl-compat"), allow(dead_code))]
    pub(crate) fn require_session_id_context_with_client_auth(mut self, on: bool) -> Self {
        self.require_context_with_client_auth = on;
        self
    }

    /// Checks the settings together and builds the configuration. A key that does not match
    /// the leaf certificate is refused here, not at handshake time.
    pub fn build(self) -> Result<ServerConfig, Error> {
        let policy = self.policy.build()?;
        alpn::require_valid_protocols(&self.alpn_protocols)?;
        if self.session_id_context.len() > crate::session::MAX_SESSION_ID_CONTEXT_LEN {
            return Err(Error::Config(format!(
                "the session-id context is {} bytes; at most {} are allowed",
                self.session_id_context.len(),
                crate::session::MAX_SESSION_ID_CONTEXT_LEN
            )));
        }
        let (chain, key_der) = self
            .identity
            .ok_or_else(|| Error::Config("a server needs a certificate and a private key".into()))?;
        let identity = Identity::load(&self.policy.provider, chain, &key_der)?;
        Ok(ServerConfig {
            provider: self.policy.provider,
            policy,
            identity,
            client_verifier: self.client_verifier,
            time: self.time.unwrap_or_else(|| Arc::new(crate::crypto::rustcrypto::SystemTimeProvider)),
            alpn_protocols: self.alpn_protocols,
            alpn_selector: self.alpn_selector,
            sessions: ServerSessionSettings {
                storage: self
                    .session_storage
                    .unwrap_or_else(|| Arc::new(ServerSessionMemoryCache::new(defaults::SESSION_CACHE_SIZE))),
                lifetime_secs: self.session_lifetime_secs,
                session_id_context: self.session_id_context,
                require_context_with_client_auth: self.require_context_with_client_auth,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_default_provider_is_set_once_and_read_everywhere() {
        static OTHER: CryptoProvider =
            CryptoProvider { cipher_suites: &[], ..crate::crypto::rustcrypto::DEFAULT_PROVIDER };
        let installed = default_provider();
        assert!(core::ptr::eq(installed, &crate::crypto::rustcrypto::DEFAULT_PROVIDER));
        assert_eq!(
            CryptoProvider::install_default(&crate::crypto::rustcrypto::DEFAULT_PROVIDER).map_err(|_| ()),
            Ok(())
        );
        // A second, different provider is refused, and the first stays in place.
        let refused = CryptoProvider::install_default(&OTHER).unwrap_err();
        assert!(core::ptr::eq(refused, installed));
        assert!(core::ptr::eq(CryptoProvider::get_default().unwrap(), installed));
        assert_eq!(
            ClientConfig::builder().policy.provider.cipher_suites.len(),
            installed.cipher_suites.len()
        );
    }

    #[test]
    fn groups_and_signature_schemes_are_checked_at_build() {
        let build = |b: PolicyBuilder| b.build();
        let base = PolicyBuilder::new(crate::crypto::rustcrypto::DEFAULT_PROVIDER);
        let p = build(base.clone()).unwrap();
        let names: Vec<NamedGroup> = p.kx_groups.iter().map(|g| g.name()).collect();
        assert_eq!(names, [NamedGroup::X25519, NamedGroup::Secp256r1, NamedGroup::Secp384r1]);
        assert_eq!(p.signature_schemes, defaults::SIGNATURE_SCHEMES);
        assert!(!p.signature_schemes.iter().any(|s| s.is_sha1()));

        let mut b = base.clone();
        b.kx_groups = Some(KxGroupChoice::Names(vec![NamedGroup::Secp384r1, NamedGroup::X25519]));
        let names: Vec<NamedGroup> = build(b).unwrap().kx_groups.iter().map(|g| g.name()).collect();
        assert_eq!(names, [NamedGroup::Secp384r1, NamedGroup::X25519]);

        let mut b = base.clone();
        b.kx_groups = Some(KxGroupChoice::Names(vec![NamedGroup::X448]));
        let e = build(b).unwrap_err().to_string();
        assert!(e.contains("X448") && e.contains("X25519, P-256, P-384"), "{e}");

        let mut b = base.clone();
        b.kx_groups = Some(KxGroupChoice::Groups(vec![]));
        // Without ECDHE suites no group is needed.
        b.cipher_list = Some("AES128-SHA".into());
        assert!(build(b).is_ok());

        let mut b = base.clone();
        b.signature_schemes = Some(vec![SignatureScheme::RsaPkcs1Sha1]);
        assert!(build(b.clone()).unwrap_err().to_string().contains("legacy profile"));
        b.legacy = true;
        assert_eq!(build(b).unwrap().signature_schemes, [SignatureScheme::RsaPkcs1Sha1]);
        let mut b = base.clone();
        b.signature_schemes = Some(vec![]);
        assert!(build(b).is_err());
        let mut b = base;
        b.legacy = true;
        assert!(build(b).unwrap().signature_schemes.contains(&SignatureScheme::RsaPkcs1Sha1));
    }
}
