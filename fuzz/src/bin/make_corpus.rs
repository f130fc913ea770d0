//! Writes the seed corpora in `fuzz/corpus/<target>/` from real data: handshakes run in-process
//! between ferrotls clients and servers (with the fuzz crate's fixed randomness, so every run
//! writes the same bytes), the messages they exchanged, and the fixture certificates and keys.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --bin make_corpus [OUT_DIR]` (`make fuzz-corpus`).

use ferrotls::crypto::{GetRandomFailed, KeyShare, KxGroup};
use ferrotls::enums::NamedGroup;
use ferrotls::internal::msgs::enums::{ContentType, ExtensionType, ProtocolVersion};
use ferrotls::internal::msgs::tls13 as m13;
use ferrotls::internal::record::{Deframer, HandshakeJoiner};
use ferrotls::{ClientConfig, ClientConnection, ConnectionCommon, ServerConfig, ServerConnection};
use ferrotls_fuzz as fz;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One negotiated shape: the version range and suites of the peer that is not fuzzed.
struct Variant {
    name: &'static str,
    version: ProtocolVersion,
    suite: &'static str,
    ems_etm: bool,
    /// The one ECDHE group the non-fuzzed peer allows (ECDHE suites only).
    group: Option<NamedGroup>,
}

const VARIANTS: &[Variant] = &[
    Variant {
        name: "tls12-aes128-sha",
        version: ProtocolVersion::TLSv1_2,
        suite: "AES128-SHA",
        ems_etm: true,
        group: None,
    },
    Variant {
        name: "tls12-aes256-sha256",
        version: ProtocolVersion::TLSv1_2,
        suite: "AES256-SHA256",
        ems_etm: true,
        group: None,
    },
    Variant {
        name: "tls12-aes128-sha-no-ems-etm",
        version: ProtocolVersion::TLSv1_2,
        suite: "AES128-SHA",
        ems_etm: false,
        group: None,
    },
    Variant {
        name: "tls11-3des",
        version: ProtocolVersion::TLSv1_1,
        suite: "DES-CBC3-SHA",
        ems_etm: true,
        group: None,
    },
    Variant {
        name: "tls10-aes128-sha",
        version: ProtocolVersion::TLSv1_0,
        suite: "AES128-SHA",
        ems_etm: true,
        group: None,
    },
    Variant {
        name: "tls10-rc4-md5",
        version: ProtocolVersion::TLSv1_0,
        suite: "RC4-MD5",
        ems_etm: false,
        group: None,
    },
    // ECDHE (RFC 8422): the client target meets ServerKeyExchange in each group, AEAD and CBC.
    Variant {
        name: "tls12-ecdhe-rsa-aes128-gcm-x25519",
        version: ProtocolVersion::TLSv1_2,
        suite: "ECDHE-RSA-AES128-GCM-SHA256",
        ems_etm: true,
        group: Some(NamedGroup::X25519),
    },
    Variant {
        name: "tls12-ecdhe-rsa-chacha20-p256",
        version: ProtocolVersion::TLSv1_2,
        suite: "ECDHE-RSA-CHACHA20-POLY1305",
        ems_etm: true,
        group: Some(NamedGroup::Secp256r1),
    },
    Variant {
        name: "tls12-ecdhe-rsa-aes256-sha384-p384",
        version: ProtocolVersion::TLSv1_2,
        suite: "ECDHE-RSA-AES256-SHA384",
        ems_etm: true,
        group: Some(NamedGroup::Secp384r1),
    },
    Variant {
        name: "tls10-ecdhe-rsa-aes128-sha",
        version: ProtocolVersion::TLSv1_0,
        suite: "ECDHE-RSA-AES128-SHA",
        ems_etm: true,
        group: Some(NamedGroup::X25519),
    },
    Variant {
        name: "tls12-rsa-aes256-gcm",
        version: ProtocolVersion::TLSv1_2,
        suite: "AES256-GCM-SHA384",
        ems_etm: true,
        group: None,
    },
];

fn client_config(v: &Variant) -> Arc<ClientConfig> {
    let mut roots = ferrotls::x509::RootCertStore::empty();
    roots.add_pem(fz::CA_PEM).unwrap();
    Arc::new(
        ClientConfig::builder_with_provider(fz::provider())
            .root_store(roots)
            .time_provider(Arc::new(fz::FixedTime))
            .legacy(true)
            .versions(v.version, v.version)
            .cipher_list(v.suite)
            .extended_master_secret(v.ems_etm)
            .encrypt_then_mac(v.ems_etm)
            .kx_group_names(&v.group.map_or(fz::GROUPS.to_vec(), |g| vec![g]))
            .signature_schemes(fz::SCHEMES.to_vec())
            .build()
            .unwrap(),
    )
}

fn server_config(v: &Variant) -> Arc<ServerConfig> {
    let chain = ferrotls::x509::certs_from_pem(fz::SERVER_CHAIN_PEM).unwrap();
    let key = ferrotls::x509::private_key_from_pem(fz::SERVER_KEY_PEM).unwrap();
    Arc::new(
        ServerConfig::builder_with_provider(fz::provider())
            .single_cert(chain, key)
            .time_provider(Arc::new(fz::FixedTime))
            .legacy(true)
            .versions(v.version, v.version)
            .cipher_list(v.suite)
            .extended_master_secret(v.ems_etm)
            .encrypt_then_mac(v.ems_etm)
            .kx_group_names(&v.group.map_or(fz::GROUPS.to_vec(), |g| vec![g]))
            .signature_schemes(fz::SCHEMES.to_vec())
            .build()
            .unwrap(),
    )
}

// --- TLS 1.3 -----------------------------------------------------------------------------------

/// A TLS 1.3 shape: the suite and groups of the peer that is not fuzzed, and what happens
/// after the handshake.
struct Variant13 {
    name: &'static str,
    suite: &'static str,
    /// The non-fuzzed server's groups: anything but X25519 first costs the fuzzed client (which
    /// sends an X25519 share) a HelloRetryRequest.
    groups: &'static [NamedGroup],
    /// The non-fuzzed server asks for a client certificate (the fuzzed client has none).
    certificate_request: bool,
}

const VARIANTS13: &[Variant13] = &[
    Variant13 {
        name: "tls13-aes128-gcm-x25519",
        suite: "TLS_AES_128_GCM_SHA256",
        groups: &[NamedGroup::X25519],
        certificate_request: false,
    },
    Variant13 {
        name: "tls13-chacha20-p256-hrr",
        suite: "TLS_CHACHA20_POLY1305_SHA256",
        groups: &[NamedGroup::Secp256r1],
        certificate_request: false,
    },
    Variant13 {
        name: "tls13-aes256-gcm-p384-hrr",
        suite: "TLS_AES_256_GCM_SHA384",
        groups: &[NamedGroup::Secp384r1],
        certificate_request: false,
    },
    Variant13 {
        name: "tls13-certificate-request",
        suite: "TLS_AES_128_GCM_SHA256",
        groups: &[NamedGroup::X25519],
        certificate_request: true,
    },
];

fn ecdsa_identity() -> (Vec<ferrotls::CertificateDer<'static>>, ferrotls::PrivateKeyDer<'static>) {
    (
        ferrotls::x509::certs_from_pem(fz::SERVER_ECDSA_PEM).unwrap(),
        ferrotls::x509::private_key_from_pem(fz::SERVER_ECDSA_KEY_PEM).unwrap(),
    )
}

/// A TLS 1.3-only server with the ECDSA leaf (its signatures are deterministic).
fn server_config13(v: &Variant13) -> Arc<ServerConfig> {
    let (chain, key) = ecdsa_identity();
    let mut b = ServerConfig::builder_with_provider(fz::provider())
        .single_cert(chain, key)
        .time_provider(Arc::new(fz::FixedTime))
        .versions(ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_3)
        .tls13_ciphersuites(v.suite)
        .kx_group_names(v.groups);
    if v.certificate_request {
        let mut roots = ferrotls::x509::RootCertStore::empty();
        roots.add_pem(fz::CA_PEM).unwrap();
        let verifier = ferrotls::x509::WebPkiClientVerifier::new(
            Arc::new(roots),
            &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER,
        )
        .optional();
        b = b.client_verifier(Arc::new(verifier));
    }
    Arc::new(b.build().unwrap())
}

/// A group that is P-256 under another name (P-521, which the fuzzed server does not do): a
/// client that lists it first sends a share the server cannot use, and gets a
/// HelloRetryRequest for the next group it lists.
struct Unusable;

impl KxGroup for Unusable {
    fn name(&self) -> NamedGroup {
        NamedGroup::Secp521r1
    }
    fn start(&self) -> Result<Box<dyn KeyShare>, GetRandomFailed> {
        Ok(Box::new(UnusableShare(fz::FIXED_KX_GROUPS[1].start()?)))
    }
}

/// A P-256 share labelled P-521 (it is never completed: the server asks for another group).
struct UnusableShare(Box<dyn KeyShare>);

impl KeyShare for UnusableShare {
    fn group(&self) -> NamedGroup {
        NamedGroup::Secp521r1
    }
    fn public_key(&self) -> &[u8] {
        self.0.public_key()
    }
    fn complete(
        self: Box<Self>,
        peer: &[u8],
    ) -> Result<ferrotls::crypto::SharedSecret, ferrotls::crypto::KeyExchangeError> {
        self.0.complete(peer)
    }
}

static UNUSABLE: Unusable = Unusable;

/// A stand-in for X25519MLKEM768 (the fuzz provider has no ML-KEM and its keys must be fixed):
/// 1216 fixed bytes, the size of a real hybrid share, so that a server seed carries the larger
/// ClientHello a default client sends (hybrid and X25519 shares). The fuzzed server, which has
/// no hybrid group, takes the X25519 share; this share is never completed.
struct HybridStandIn;

static HYBRID_STAND_IN_PUBLIC: [u8; 1216] = [0x5a; 1216];

impl KxGroup for HybridStandIn {
    fn name(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }
    fn start(&self) -> Result<Box<dyn KeyShare>, GetRandomFailed> {
        Ok(Box::new(HybridStandIn))
    }
    fn tls13_only(&self) -> bool {
        true
    }
}

impl KeyShare for HybridStandIn {
    fn group(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }
    fn public_key(&self) -> &[u8] {
        &HYBRID_STAND_IN_PUBLIC
    }
    fn complete(
        self: Box<Self>,
        _peer: &[u8],
    ) -> Result<ferrotls::crypto::SharedSecret, ferrotls::crypto::KeyExchangeError> {
        Err(ferrotls::crypto::KeyExchangeError::InvalidPeerKey)
    }
}

static HYBRID_STAND_IN: HybridStandIn = HybridStandIn;
/// The fuzz provider's groups with [`Unusable`] first, for the recording client's provider
/// (a configuration may only name groups its provider has).
static WITH_UNUSABLE: &[&dyn KxGroup] =
    &[&UNUSABLE, fz::FIXED_KX_GROUPS[0], fz::FIXED_KX_GROUPS[1], fz::FIXED_KX_GROUPS[2]];

/// A TLS 1.3-only client for the fuzzed server: `groups` in order (the first gets the share),
/// with a session store when it will resume.
fn client_config13(suite: &str, groups: Vec<&'static dyn KxGroup>, store: bool) -> Arc<ClientConfig> {
    let mut roots = ferrotls::x509::RootCertStore::empty();
    roots.add_pem(fz::ECDSA_CA_PEM).unwrap();
    let provider = ferrotls::crypto::CryptoProvider { kx_groups: WITH_UNUSABLE, ..fz::provider() };
    let b = ClientConfig::builder_with_provider(provider)
        .root_store(roots)
        .time_provider(Arc::new(fz::FixedTime))
        .versions(ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_3)
        .tls13_ciphersuites(suite)
        .kx_groups(groups)
        .legacy(true)
        .signature_schemes(fz::SCHEMES.to_vec());
    let b = if store { b } else { b.session_cache(0) };
    Arc::new(b.build().unwrap())
}

/// As [`record`], with a KeyUpdate (update_requested) from the client or the server between
/// the handshake and the data.
fn record13(
    client: &mut ClientConnection,
    server: &mut ServerConnection,
    key_update_by_client: bool,
) -> (Vec<u8>, Vec<u8>) {
    let (mut c2s, mut s2c) = (Vec::new(), Vec::new());
    while transfer(client, server, &mut c2s) + transfer(server, client, &mut s2c) > 0 {}
    assert!(!client.is_handshaking() && !server.is_handshaking());
    assert_eq!(client.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    if key_update_by_client {
        client.send_key_update(true).unwrap();
    } else {
        server.send_key_update(true).unwrap();
    }
    while transfer(client, server, &mut c2s) + transfer(server, client, &mut s2c) > 0 {}
    assert_eq!(client.key_updates(), (1, 1));
    client.write_plaintext(b"hello").unwrap();
    transfer(client, server, &mut c2s);
    let mut buf = [0u8; 64];
    let n = server.read_plaintext(&mut buf).unwrap();
    server.write_plaintext(&buf[..n]).unwrap();
    server.send_close_notify();
    transfer(server, client, &mut s2c);
    client.send_close_notify();
    transfer(client, server, &mut c2s);
    assert_eq!(client.read_plaintext(&mut buf).unwrap(), 5);
    (c2s, s2c)
}

/// How many ServerHellos (a HelloRetryRequest is one) a client received.
fn server_hellos(conn: &ConnectionCommon) -> usize {
    use ferrotls::internal::msgs::enums::HandshakeType;
    conn.received_handshake_types().iter().filter(|t| **t == HandshakeType::ServerHello).count()
}

/// One handshake message as the `messages` target's TLS 1.3 codec (selector 19) takes it:
/// the type, then the body.
fn write13(dir: &Path, name: &str, typ: u8, body: &[u8]) {
    let mut data = vec![typ];
    data.extend_from_slice(body);
    write(dir, name, 19, &data);
}

/// The TLS 1.3 seeds: for the client target, what TLS 1.3 servers send (each suite, HRR for
/// P-256/P-384, a CertificateRequest, a KeyUpdate, NewSessionTickets); for the server target,
/// what TLS 1.3 clients send (a plain handshake with a KeyUpdate, a handshake through a
/// HelloRetryRequest, and a resumption whose ClientHello carries pre_shared_key and a
/// binder); for `messages`, the TLS 1.3 message bodies.
fn tls13_seeds(client_dir: &Path, server_dir: &Path, deframer_dir: &Path, messages_dir: &Path) {
    for v in VARIANTS13 {
        let mut client = fz::new_client();
        let (_, s2c) = record13(&mut client, &mut ServerConnection::new(server_config13(v)).unwrap(), false);
        let hrr = v.groups[0] != NamedGroup::X25519;
        assert_eq!(server_hellos(&client) == 2, hrr, "{}: HelloRetryRequest", v.name);
        write(client_dir, v.name, 0, &s2c);
        let mut replay = fz::new_client();
        assert_replays(&mut replay, &s2c);
        assert_eq!(replay.key_updates(), (1, 1));
        write(deframer_dir, &format!("{}-s2c", v.name), 0, &s2c);
        if v.name == "tls13-aes128-gcm-x25519" {
            write(client_dir, &format!("{}-chunk5", v.name), 5, &s2c);
        }
        // The plaintext part: ServerHello, or the HelloRetryRequest (before the CCS).
        for (i, m) in handshake_messages(&s2c).iter().enumerate() {
            write(messages_dir, &format!("{}-s2c-{i}", v.name), 0, m);
            write(messages_dir, &format!("{}-server-hello-{i}", v.name), 3, &m[4..]);
        }
    }

    // Server target: a plain TLS 1.3 handshake, a KeyUpdate from the client, data.
    let x25519: Vec<&'static dyn KxGroup> = vec![fz::FIXED_KX_GROUPS[0]];
    let mut client = ClientConnection::new(
        client_config13("TLS_AES_128_GCM_SHA256", x25519, false),
        ferrotls::ServerName::try_from(fz::SERVER_NAME).unwrap(),
    )
    .unwrap();
    let (c2s, _) = record13(&mut client, &mut fz::new_server(), true);
    write(server_dir, "tls13-aes128-gcm-x25519", 0, &c2s);
    assert_replays(&mut fz::new_server(), &c2s);
    write(deframer_dir, "tls13-aes128-gcm-x25519-c2s", 0, &c2s);
    let hello = &handshake_messages(&c2s)[0];
    write(messages_dir, "tls13-client-hello", 0, hello);
    write(messages_dir, "tls13-client-hello-body", 2, &hello[4..]);

    // The default client's shape: X25519MLKEM768 first with an X25519 share beside it (two
    // shares, about 1.2 kB more ClientHello); the server takes X25519 without a retry.
    let groups: Vec<&'static dyn KxGroup> =
        vec![&HYBRID_STAND_IN, fz::FIXED_KX_GROUPS[0], fz::FIXED_KX_GROUPS[1], fz::FIXED_KX_GROUPS[2]];
    let mut client = ClientConnection::new(
        client_config13("TLS_AES_128_GCM_SHA256", groups, false),
        ferrotls::ServerName::try_from(fz::SERVER_NAME).unwrap(),
    )
    .unwrap();
    let (c2s, _) = record13(&mut client, &mut fz::new_server(), true);
    assert_eq!(server_hellos(&client), 1, "no HelloRetryRequest beside an X25519 share");
    assert_eq!(client.negotiated_group(), Some(NamedGroup::X25519));
    write(server_dir, "tls13-hybrid-and-x25519-shares", 0, &c2s);
    assert_replays(&mut fz::new_server(), &c2s);
    let hello = &handshake_messages(&c2s)[0];
    write(messages_dir, "tls13-client-hello-two-shares", 0, hello);
    write(messages_dir, "tls13-client-hello-two-shares-body", 2, &hello[4..]);

    // Through a HelloRetryRequest: the client's first share is for a group the server lacks.
    let groups: Vec<&'static dyn KxGroup> = vec![&UNUSABLE, fz::FIXED_KX_GROUPS[1]];
    let mut client = ClientConnection::new(
        client_config13("TLS_CHACHA20_POLY1305_SHA256", groups, false),
        ferrotls::ServerName::try_from(fz::SERVER_NAME).unwrap(),
    )
    .unwrap();
    let (c2s, _) = record13(&mut client, &mut fz::new_server(), true);
    assert_eq!(
        server_hellos(&client),
        2,
        "the fuzzed server sent a HelloRetryRequest ({:?})",
        client.negotiated_group()
    );
    write(server_dir, "tls13-chacha20-hrr", 0, &c2s);
    assert_replays(&mut fz::new_server(), &c2s);

    // Resumption: a ticket from the fuzzed server's first connection, offered in the second
    // ClientHello's pre_shared_key with its binder (RFC 8446 §4.2.11).
    let all: Vec<&'static dyn KxGroup> = fz::FIXED_KX_GROUPS.to_vec();
    let config = client_config13("TLS_AES_256_GCM_SHA384", all, true);
    let name = ferrotls::ServerName::try_from(fz::SERVER_NAME).unwrap();
    let mut first = ClientConnection::new(Arc::clone(&config), name.clone()).unwrap();
    record13(&mut first, &mut fz::new_server(), true);
    let mut second = ClientConnection::new(config, name).unwrap();
    let (c2s, s2c) = record13(&mut second, &mut fz::new_server(), true);
    assert!(second.session_resumed(), "the second connection resumes");
    write(server_dir, "tls13-psk-resumption", 0, &c2s);
    let mut replay = fz::new_server();
    assert_replays(&mut replay, &c2s);
    assert!(replay.session_resumed());
    write(deframer_dir, "tls13-psk-resumption-s2c", 0, &s2c);
    let hello = &handshake_messages(&c2s)[0];
    write(messages_dir, "tls13-psk-client-hello", 0, hello);
    write(messages_dir, "tls13-psk-client-hello-body", 2, &hello[4..]);
    let psks =
        m13::OfferedPsks { identities: vec![(vec![0xab; 40], 0x1234_5678)], binders: vec![vec![0xcd; 32]] };
    write(messages_dir, "tls13-pre-shared-key", 20, &psks.encoding());
    let shares = [m13::KeyShareEntry { group: NamedGroup::X25519, payload: vec![9; 32] }];
    write(messages_dir, "tls13-key-share", 21, &m13::key_share_client(&shares));

    // TLS 1.3 message bodies (selector 19: type byte, body).
    let leaf = ferrotls::x509::certs_from_pem(fz::SERVER_ECDSA_PEM).unwrap().remove(0);
    // EncryptedExtensions: server_name (empty) and ALPN "h2".
    write13(
        messages_dir,
        "tls13-encrypted-extensions",
        8,
        &[0, 13, 0, 0, 0, 0, 0, 16, 0, 5, 0, 3, 2, b'h', b'2'],
    );
    write13(messages_dir, "tls13-encrypted-extensions-empty", 8, &[0, 0]);
    // Certificate with per-entry extensions: status_request (an OCSP response) and SCTs.
    let cert = m13::CertificateTls13 {
        context: vec![],
        entries: vec![m13::CertificateEntry {
            cert: leaf.as_ref().to_vec(),
            extensions: vec![
                m13::RawExtension {
                    typ: ExtensionType::StatusRequest,
                    body: vec![1, 0, 0, 3, 0xaa, 0xbb, 0xcc],
                },
                m13::RawExtension { typ: ExtensionType::from(18u16), body: vec![0, 4, 0, 2, 0x11, 0x22] },
            ],
        }],
    };
    let mut body = Vec::new();
    m13::Tls13Message::Certificate(cert).encode_body(&mut body);
    write13(messages_dir, "tls13-certificate-entry-extensions", 11, &body);
    // A client's Certificate in post-handshake form: a request context, no entries.
    write13(messages_dir, "tls13-certificate-empty-with-context", 11, &[2, 7, 7, 0, 0, 0]);
    // CertificateRequest with signature_algorithms.
    write13(messages_dir, "tls13-certificate-request", 13, &[0, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3]);
    // CertificateVerify: ecdsa_secp256r1_sha256 and a signature.
    write13(messages_dir, "tls13-certificate-verify", 15, &[4, 3, 0, 4, 0x30, 2, 0, 0]);
    write13(messages_dir, "tls13-finished", 20, &[0x5f; 32]);
    // NewSessionTicket with an early_data extension.
    let nst =
        [0, 0, 0x1c, 0x20, 1, 2, 3, 4, 1, 0, 0, 4, 0xde, 0xad, 0xbe, 0xef, 0, 8, 0, 42, 0, 4, 0, 0, 0x40, 0];
    write13(messages_dir, "tls13-new-session-ticket", 4, &nst);
    write13(messages_dir, "tls13-key-update-requested", 24, &[1]);
    write13(messages_dir, "tls13-key-update-not-requested", 24, &[0]);
}

/// Moves `from`'s pending bytes to `to`, appending them to `log`; returns how many moved.
fn transfer(from: &mut ConnectionCommon, to: &mut ConnectionCommon, log: &mut Vec<u8>) -> usize {
    let mut buf = Vec::new();
    from.take_tls(&mut buf);
    let mut off = 0;
    while off < buf.len() {
        off += to.feed_tls(&buf[off..]);
        to.process().expect("a clean handshake");
    }
    log.extend_from_slice(&buf);
    buf.len()
}

/// A whole connection: handshake, "hello" from the client, echoed by the server, close_notify
/// both ways. Returns (client→server bytes, server→client bytes).
fn record(client: &mut ClientConnection, server: &mut ServerConnection) -> (Vec<u8>, Vec<u8>) {
    let (mut c2s, mut s2c) = (Vec::new(), Vec::new());
    while transfer(client, server, &mut c2s) + transfer(server, client, &mut s2c) > 0 {}
    assert!(!client.is_handshaking() && !server.is_handshaking());
    client.write_plaintext(b"hello").unwrap();
    transfer(client, server, &mut c2s);
    let mut buf = [0u8; 64];
    let n = server.read_plaintext(&mut buf).unwrap();
    server.write_plaintext(&buf[..n]).unwrap();
    server.send_close_notify();
    transfer(server, client, &mut s2c);
    client.send_close_notify();
    transfer(client, server, &mut c2s);
    assert_eq!(client.read_plaintext(&mut buf).unwrap(), 5);
    (c2s, s2c)
}

/// The plaintext handshake messages at the start of `wire` (before ChangeCipherSpec).
fn handshake_messages(wire: &[u8]) -> Vec<Vec<u8>> {
    let (mut deframer, mut joiner, mut out) = (Deframer::default(), HandshakeJoiner::default(), Vec::new());
    deframer.feed(wire);
    while let Some((header, body)) = deframer.pop().unwrap() {
        if header.typ != ContentType::Handshake {
            break;
        }
        joiner.push(body).unwrap();
        while let Some(m) = joiner.pop().unwrap() {
            out.push(m.to_vec());
        }
    }
    out
}

/// The recorded bytes take a fresh fuzzed connection through the whole handshake to the
/// application data: the seeds reach the deepest states, not just the first message.
fn assert_replays(conn: &mut ConnectionCommon, wire: &[u8]) {
    let mut sink = Vec::new();
    conn.take_tls(&mut sink);
    assert_eq!(conn.feed_tls(wire), wire.len());
    conn.process().expect("the recorded bytes replay");
    assert!(!conn.is_handshaking() && conn.peer_has_closed());
    let mut buf = [0u8; 64];
    assert_eq!(conn.read_plaintext(&mut buf).unwrap(), 5);
}

fn write(dir: &Path, name: &str, selector: u8, bytes: &[u8]) {
    let mut data = vec![selector];
    data.extend_from_slice(bytes);
    std::fs::write(dir.join(name), data).unwrap();
}

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz/corpus".into()));
    let dir = |t: &str| {
        let d = out.join(t);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let (client_dir, server_dir, deframer_dir, messages_dir, x509_dir) =
        (dir("client"), dir("server"), dir("deframer"), dir("messages"), dir("x509"));

    let mut hellos = Vec::new();
    for v in VARIANTS {
        // For the client target the fuzzed client (fz::new_client) talks to a server limited to
        // this variant, so the recorded server bytes answer exactly the hello the target sends.
        let (c2s, s2c) = record(&mut fz::new_client(), &mut ServerConnection::new(server_config(v)).unwrap());
        write(&client_dir, v.name, 0, &s2c);
        assert_replays(&mut fz::new_client(), &s2c);
        write(&deframer_dir, &format!("{}-s2c", v.name), 0, &s2c);
        if v.name == "tls12-aes128-sha" {
            // The same bytes arriving in 7-byte pieces: records and messages split anywhere.
            write(&client_dir, &format!("{}-chunk7", v.name), 7, &s2c);
            write(&deframer_dir, &format!("{}-c2s-chunk3", v.name), 3, &c2s);
        }
        for (i, m) in handshake_messages(&s2c).iter().enumerate() {
            // Selector 0: HandshakeMessage in its TLS 1.2 form; 1: the TLS 1.0/1.1 form.
            let selector = if v.version == ProtocolVersion::TLSv1_2 { 0 } else { 1 };
            write(&messages_dir, &format!("{}-s2c-{i}", v.name), selector, m);
        }
        // For the server target, a client limited to this variant talks to the fuzzed server.
        let mut client =
            ClientConnection::new(client_config(v), ferrotls::ServerName::try_from(fz::SERVER_NAME).unwrap())
                .unwrap();
        let (c2s, _) = record(&mut client, &mut fz::new_server());
        write(&server_dir, v.name, 0, &c2s);
        assert_replays(&mut fz::new_server(), &c2s);
        for (i, m) in handshake_messages(&c2s).iter().enumerate() {
            write(&messages_dir, &format!("{}-c2s-{i}", v.name), 0, m);
            if i == 0 {
                hellos.push(m.clone());
            }
        }
    }
    tls13_seeds(&client_dir, &server_dir, &deframer_dir, &messages_dir);

    // A server that asks for a client certificate (optional): the client target meets
    // CertificateRequest and answers with an empty Certificate.
    let v = &VARIANTS[0];
    let mut roots = ferrotls::x509::RootCertStore::empty();
    roots.add_pem(fz::CA_PEM).unwrap();
    let verifier = ferrotls::x509::WebPkiClientVerifier::new(
        Arc::new(roots),
        &ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER,
    )
    .optional();
    let chain = ferrotls::x509::certs_from_pem(fz::SERVER_CHAIN_PEM).unwrap();
    let key = ferrotls::x509::private_key_from_pem(fz::SERVER_KEY_PEM).unwrap();
    let config = ServerConfig::builder_with_provider(fz::provider())
        .single_cert(chain, key)
        .time_provider(Arc::new(fz::FixedTime))
        .client_verifier(Arc::new(verifier))
        .legacy(true)
        .versions(v.version, v.version)
        .build()
        .unwrap();
    let (_, s2c) = record(&mut fz::new_client(), &mut ServerConnection::new(Arc::new(config)).unwrap());
    write(&client_dir, "tls12-certificate-request", 0, &s2c);
    assert_replays(&mut fz::new_client(), &s2c);
    for (i, m) in handshake_messages(&s2c).iter().enumerate() {
        write(&messages_dir, &format!("tls12-certificate-request-s2c-{i}"), 0, m);
    }

    // Bodies of single codecs (selector = the codec's number in fz::messages).
    let hello = &hellos[0];
    write(&messages_dir, "client-hello-body", 2, &hello[4..]);
    write(&messages_dir, "alert-close-notify", 11, &[1, 0]);
    write(&messages_dir, "alert-fatal-bad-record-mac", 11, &[2, 20]);
    write(&messages_dir, "finished-body", 10, &[0x11; 12]);
    write(&messages_dir, "session-id", 14, &[4, 1, 2, 3, 4]);
    write(
        &messages_dir,
        "ext-server-name",
        12,
        &[0, 0, 0, 14, 0, 12, 0, 0, 9, b'l', b'o', b'c', b'a', b'l', b'h', b'o', b's', b't'],
    );
    write(&messages_dir, "ext-signature-algorithms", 12, &[0, 13, 0, 6, 0, 4, 4, 1, 2, 1]);
    write(&messages_dir, "ext-renegotiation-info", 13, &[0xff, 1, 0, 1, 0]);
    write(&messages_dir, "ext-ems", 13, &[0, 23, 0, 0]);
    // renegotiation_info as a renegotiating client and server would send it (RFC 5746 §3.5).
    let mut reneg = vec![0xff, 1, 0, 13, 12];
    reneg.extend_from_slice(&[0x11; 12]);
    write(&messages_dir, "ext-client-renegotiation-info", 12, &reneg);
    let mut reneg = vec![0xff, 1, 0, 25, 24];
    reneg.extend_from_slice(&[0x22; 24]);
    write(&messages_dir, "ext-server-renegotiation-info", 13, &reneg);
    write(&messages_dir, "certificate-request-tls12", 5, &[1, 1, 0, 4, 4, 1, 2, 1, 0, 0]);
    write(&messages_dir, "certificate-request-tls10", 6, &[1, 1, 0, 0]);
    write(&messages_dir, "certificate-verify-tls12", 7, &[4, 1, 0, 2, 0xab, 0xcd]);
    write(&messages_dir, "certificate-verify-tls10", 8, &[0, 2, 0xab, 0xcd]);
    write(&messages_dir, "client-key-exchange", 9, &[0, 2, 0xab, 0xcd]);
    write(&messages_dir, "new-session-ticket", 16, &[0, 0, 0x1c, 0x20, 0, 4, 1, 2, 3, 4]);
    // ServerKeyExchange bodies (selectors 17: TLS 1.2, 18: TLS 1.0/1.1) from the ECDHE
    // handshakes above: message 2 of the server's flight (after ServerHello and Certificate).
    for v in VARIANTS.iter().filter(|v| v.group.is_some()) {
        let (_, s2c) = record(&mut fz::new_client(), &mut ServerConnection::new(server_config(v)).unwrap());
        let ske = &handshake_messages(&s2c)[2];
        assert_eq!(ske[0], 12, "ServerKeyExchange");
        let selector = if v.version == ProtocolVersion::TLSv1_2 { 17 } else { 18 };
        write(&messages_dir, &format!("server-key-exchange-{}", v.name), selector, &ske[4..]);
    }

    // Tickets (selectors as in fz::ticket): the session a handshake with the fuzzed server
    // left, a ticket the target's fixed keys sealed, and the ticket the fuzzed server issued
    // (it opens there, so the server resumes).
    let ticket_dir = dir("ticket");
    let name = ferrotls::ServerName::try_from(fz::SERVER_NAME).unwrap();
    let mut client = ClientConnection::new(fz::client_config_tls12(), name).unwrap();
    record(&mut client, &mut fz::new_server());
    let session = client.session().expect("the fuzzed server issues a ticket");
    assert!(!session.ticket().is_empty());
    write(&ticket_dir, "session-encoding", 0, &session.to_bytes());
    use ferrotls::session::Ticketer;
    write(&ticket_dir, "sealed-by-fixed-keys", 1, &fz::ticket_keys().seal(b"state", None).unwrap());
    write(&ticket_dir, "issued-by-the-server", 2, session.ticket());
    write(&ticket_dir, "garbage-ticket", 2, &[0xab; 60]);
    write(&ticket_dir, "empty-ticket", 2, &[]);

    // Certificates and keys (selectors as in fz::x509).
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let read = |f: &str| std::fs::read(fixtures.join(f)).unwrap();
    let server_der = ferrotls::x509::certs_from_pem(&read("server.pem")).unwrap().remove(0);
    write(&x509_dir, "server-der", 0, server_der.as_ref());
    write(&x509_dir, "server-chain-pem", 1, &read("server-chain.pem"));
    write(&x509_dir, "server-key-pkcs8", 2, &read("server.key"));
    write(&x509_dir, "server-key-pkcs1", 2, &read("server.rsa.key"));
    write(&x509_dir, "server-key-encrypted", 3, &read("server-encrypted.key"));
    write(&x509_dir, "intermediate-crl", 4, &read("intermediate.crl.pem"));
    write(&x509_dir, "ca-pem", 4, &read("ca.pem"));
    write(&x509_dir, "server-chain-verify", 5, &read("server-chain.pem"));
    write(&x509_dir, "pathlen-chain-verify", 5, &read("pathlen-chain.pem"));
}
