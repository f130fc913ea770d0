//! X.509 loading, inspection and verification against the fixtures in tests/fixtures
//! (see tests/fixtures/README.md for what each file is).

use std::sync::Arc;
use std::time::Duration;

use ferrotls::crypto::rustcrypto::{LEGACY_SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS};
use ferrotls::x509::{
    certs_from_pem, CertificateDer, CertificateInfo, RootCertStore, ServerCertVerifier, ServerName, UnixTime,
    WebPkiServerVerifier,
};
use ferrotls::CertificateError;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn certs(name: &str) -> Vec<CertificateDer<'static>> {
    certs_from_pem(&fixture(name)).unwrap()
}

/// 2030-01-01T00:00:00Z: inside the good certificates' 2026..2046 window, after the expired
/// leaf's 2020..2021 window.
fn in_validity() -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(1_893_456_000))
}

/// 2025-06-01T00:00:00Z: before every good certificate's notBefore.
fn before_validity() -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(1_748_736_000))
}

fn demo_roots() -> Arc<RootCertStore> {
    let mut roots = RootCertStore::empty();
    assert_eq!(roots.add_pem(&fixture("ca.pem")).unwrap(), 1);
    Arc::new(roots)
}

fn default_verifier() -> WebPkiServerVerifier {
    WebPkiServerVerifier::with_algorithms(demo_roots(), SIGNATURE_ALGORITHMS)
}

fn legacy_verifier() -> WebPkiServerVerifier {
    WebPkiServerVerifier::with_algorithms(demo_roots(), LEGACY_SIGNATURE_ALGORITHMS)
}

/// Verifies `leaf` with the demo intermediate, as a server sending `server-chain.pem` would.
fn verify_leaf(
    verifier: &WebPkiServerVerifier,
    leaf: &CertificateDer<'_>,
    name: &str,
    now: UnixTime,
) -> Result<(), CertificateError> {
    let intermediates = certs("intermediate.pem");
    verifier.verify_server_cert(leaf, &intermediates, &ServerName::try_from(name).unwrap(), now)
}

fn leaf(name: &str) -> CertificateDer<'static> {
    certs(name).remove(0)
}

#[test]
fn demo_chain_is_valid_for_localhost() {
    let chain = certs("server-chain.pem");
    let result = default_verifier().verify_server_cert(
        &chain[0],
        &chain[1..],
        &ServerName::try_from("localhost").unwrap(),
        in_validity(),
    );
    assert_eq!(result, Ok(()));
}

#[test]
fn demo_chain_is_valid_for_its_ip_address_san() {
    assert_eq!(verify_leaf(&default_verifier(), &leaf("server.pem"), "127.0.0.1", in_validity()), Ok(()));
}

#[test]
fn demo_chain_is_not_valid_for_another_name_or_address() {
    let verifier = default_verifier();
    let server = leaf("server.pem");
    assert_eq!(
        verify_leaf(&verifier, &server, "example.com", in_validity()),
        Err(CertificateError::NotValidForName("example.com".into()))
    );
    assert_eq!(
        verify_leaf(&verifier, &server, "127.0.0.2", in_validity()),
        Err(CertificateError::NotValidForName("127.0.0.2".into()))
    );
}

#[test]
fn leaf_for_another_host_is_not_valid_for_localhost() {
    let verifier = default_verifier();
    let wrong = leaf("wrong-host.pem");
    assert_eq!(
        verify_leaf(&verifier, &wrong, "localhost", in_validity()),
        Err(CertificateError::NotValidForName("localhost".into()))
    );
    // Its twin: the same certificate is fine for the name it was issued for.
    assert_eq!(verify_leaf(&verifier, &wrong, "other.example", in_validity()), Ok(()));
}

#[test]
fn missing_intermediate_leaves_the_issuer_unknown() {
    let result = default_verifier().verify_server_cert(
        &leaf("server.pem"),
        &[],
        &ServerName::try_from("localhost").unwrap(),
        in_validity(),
    );
    assert_eq!(result, Err(CertificateError::UnknownIssuer));
}

#[test]
fn leaf_from_an_untrusted_ca_has_an_unknown_issuer() {
    let untrusted_ca = certs("untrusted-ca.pem");
    let result = default_verifier().verify_server_cert(
        &leaf("untrusted-leaf.pem"),
        &untrusted_ca,
        &ServerName::try_from("localhost").unwrap(),
        in_validity(),
    );
    assert_eq!(result, Err(CertificateError::UnknownIssuer));
}

#[test]
fn untrusted_leaf_verifies_once_its_ca_is_trusted() {
    let mut roots = RootCertStore::empty();
    roots.add_pem(&fixture("untrusted-ca.pem")).unwrap();
    let verifier = WebPkiServerVerifier::with_algorithms(Arc::new(roots), SIGNATURE_ALGORITHMS);
    let result = verifier.verify_server_cert(
        &leaf("untrusted-leaf.pem"),
        &[],
        &ServerName::try_from("localhost").unwrap(),
        in_validity(),
    );
    assert_eq!(result, Ok(()));
}

#[test]
fn empty_root_store_trusts_nothing() {
    let verifier =
        WebPkiServerVerifier::with_algorithms(Arc::new(RootCertStore::empty()), SIGNATURE_ALGORITHMS);
    assert_eq!(
        verify_leaf(&verifier, &leaf("server.pem"), "localhost", in_validity()),
        Err(CertificateError::UnknownIssuer)
    );
}

#[test]
fn expired_leaf_is_rejected_as_expired() {
    assert_eq!(
        verify_leaf(&default_verifier(), &leaf("expired.pem"), "localhost", in_validity()),
        Err(CertificateError::Expired)
    );
}

#[test]
fn expired_leaf_was_valid_during_its_validity_period() {
    // 2020-06-01: inside the expired leaf's window but before the CA's notBefore (2026), so the
    // chain still fails, now because the issuers are not yet valid.
    let mid_2020 = UnixTime::since_unix_epoch(Duration::from_secs(1_590_969_600));
    assert_eq!(
        verify_leaf(&default_verifier(), &leaf("expired.pem"), "localhost", mid_2020),
        Err(CertificateError::NotValidYet)
    );
}

#[test]
fn leaf_is_not_valid_before_its_not_before() {
    assert_eq!(
        verify_leaf(&default_verifier(), &leaf("server.pem"), "localhost", before_validity()),
        Err(CertificateError::NotValidYet)
    );
}

#[test]
fn leaf_is_expired_after_its_not_after() {
    let year_2050 = UnixTime::since_unix_epoch(Duration::from_secs(2_524_608_000));
    assert_eq!(
        verify_leaf(&default_verifier(), &leaf("server.pem"), "localhost", year_2050),
        Err(CertificateError::Expired)
    );
}

#[test]
fn sha1_signed_leaf_is_rejected_by_default() {
    assert_eq!(
        verify_leaf(&default_verifier(), &leaf("sha1-leaf.pem"), "localhost", in_validity()),
        Err(CertificateError::UnsupportedSignatureAlgorithm)
    );
}

#[test]
fn sha1_signed_leaf_is_accepted_by_the_legacy_verifier() {
    let chain = certs("sha1-chain.pem");
    let result = legacy_verifier().verify_server_cert(
        &chain[0],
        &chain[1..],
        &ServerName::try_from("localhost").unwrap(),
        in_validity(),
    );
    assert_eq!(result, Ok(()));
}

#[test]
fn legacy_verifier_still_accepts_sha256_chains() {
    assert_eq!(verify_leaf(&legacy_verifier(), &leaf("server.pem"), "localhost", in_validity()), Ok(()));
}

#[test]
fn rsa_pss_signed_leaf_is_accepted_by_default() {
    assert_eq!(verify_leaf(&default_verifier(), &leaf("pss-leaf.pem"), "localhost", in_validity()), Ok(()));
}

#[test]
fn flipped_bit_in_the_leaf_signature_is_a_bad_signature() {
    // The signature BIT STRING is the last field of the certificate, so the last byte is part
    // of the RSA signature value.
    let mut tampered = leaf("server.pem").as_ref().to_vec();
    *tampered.last_mut().unwrap() ^= 0x01;
    assert_eq!(
        verify_leaf(&default_verifier(), &CertificateDer::from(tampered), "localhost", in_validity()),
        Err(CertificateError::BadSignature)
    );
}

#[test]
fn flipped_bit_in_the_pss_leaf_signature_is_a_bad_signature() {
    let mut tampered = leaf("pss-leaf.pem").as_ref().to_vec();
    *tampered.last_mut().unwrap() ^= 0x80;
    assert_eq!(
        verify_leaf(&default_verifier(), &CertificateDer::from(tampered), "localhost", in_validity()),
        Err(CertificateError::BadSignature)
    );
}

#[test]
fn leaf_signed_by_an_impostor_with_the_right_issuer_name_is_a_bad_signature() {
    assert_eq!(
        verify_leaf(&default_verifier(), &leaf("forged-leaf.pem"), "localhost", in_validity()),
        Err(CertificateError::BadSignature)
    );
}

#[test]
fn client_certificate_is_not_valid_for_server_auth() {
    assert_eq!(
        verify_leaf(&default_verifier(), &leaf("client.pem"), "client.localhost", in_validity()),
        Err(CertificateError::InvalidPurpose)
    );
}

/// A verifier trusting exactly `self-signed-ca-leaf.pem` (made like `openssl req -x509`:
/// self-signed, basicConstraints CA:TRUE, SAN localhost).
fn trusting_the_self_signed_ca_leaf() -> WebPkiServerVerifier {
    let mut roots = RootCertStore::empty();
    assert_eq!(roots.add_pem(&fixture("self-signed-ca-leaf.pem")).unwrap(), 1);
    WebPkiServerVerifier::with_algorithms(Arc::new(roots), SIGNATURE_ALGORITHMS)
}

/// Issue 13 item 6: `ferrotls client --cafile cert.pem` against a server using that very
/// certificate, as OpenSSL, GnuTLS and Python accept it. The name and validity still count.
#[test]
fn a_directly_trusted_self_signed_ca_certificate_is_accepted_as_the_server_certificate() {
    let cert = leaf("self-signed-ca-leaf.pem");
    let verifier = trusting_the_self_signed_ca_leaf();
    let at =
        |name: &str, now| verifier.verify_server_cert(&cert, &[], &ServerName::try_from(name).unwrap(), now);
    assert_eq!(at("localhost", in_validity()), Ok(()));
    assert_eq!(
        at("other.example", in_validity()),
        Err(CertificateError::NotValidForName("other.example".into()))
    );
    assert_eq!(at("localhost", before_validity()), Err(CertificateError::NotValidYet));
}

/// The twin: a CA certificate used as a leaf that is not itself a trust anchor is refused, and
/// the error says so (it used to say "certificate not valid for this purpose").
#[test]
fn a_ca_certificate_used_as_a_leaf_is_refused_unless_it_is_the_trust_anchor() {
    let name = ServerName::try_from("localhost").unwrap();
    let result =
        default_verifier().verify_server_cert(&leaf("self-signed-ca-leaf.pem"), &[], &name, in_validity());
    assert_eq!(result, Err(CertificateError::CaUsedAsEndEntity));
    let text = result.unwrap_err().to_string();
    assert!(text.contains("CA certificate") && text.contains("end-entity"), "{text}");
    // The demo CA is a trust anchor here, so it is accepted as a leaf only for its own names:
    // it has none for localhost.
    let ca = leaf("ca.pem");
    assert_eq!(
        default_verifier().verify_server_cert(&ca, &[], &name, in_validity()),
        Err(CertificateError::NotValidForName("localhost".into()))
    );
}

#[test]
fn garbage_end_entity_is_a_bad_encoding() {
    let garbage = CertificateDer::from(b"\x30\x03\x02\x01\x00".to_vec());
    assert_eq!(
        verify_leaf(&default_verifier(), &garbage, "localhost", in_validity()),
        Err(CertificateError::BadEncoding)
    );
}

/// Runs the openssl CLI. `make deps` installs it, so a missing openssl fails the test rather
/// than skipping the comparison.
fn openssl(args: &[&str]) -> String {
    let output = std::process::Command::new("openssl")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("openssl must be installed (make deps): {e}"));
    assert!(output.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The value of `key=value` in openssl's line-per-field output.
fn field<'a>(output: &'a str, key: &str) -> &'a str {
    output
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {key}= in {output}"))
}

const INSPECTED: &[&str] = &[
    "server.pem",
    "intermediate.pem",
    "ca.pem",
    "expired.pem",
    "wrong-host.pem",
    "sha1-leaf.pem",
    "pss-leaf.pem",
    "client.pem",
    "untrusted-leaf.pem",
];

#[test]
fn certificate_info_matches_openssl_subject_issuer_serial_and_dates() {
    for name in INSPECTED {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let rfc2253 = openssl(&[
            "x509", "-in", &path, "-noout", "-subject", "-issuer", "-serial", "-dates", "-nameopt", "RFC2253",
        ]);
        let compat = openssl(&["x509", "-in", &path, "-noout", "-subject", "-issuer", "-nameopt", "compat"]);
        let info = CertificateInfo::from_der(leaf(name).as_ref()).unwrap();
        assert_eq!(info.subject(), field(&rfc2253, "subject"), "{name}");
        assert_eq!(info.issuer(), field(&rfc2253, "issuer"), "{name}");
        assert_eq!(info.serial(), field(&rfc2253, "serial"), "{name}");
        assert_eq!(info.not_before_display(), field(&rfc2253, "notBefore"), "{name}");
        assert_eq!(info.not_after_display(), field(&rfc2253, "notAfter"), "{name}");
        assert_eq!(info.subject_oneline(), field(&compat, "subject"), "{name}");
        assert_eq!(info.issuer_oneline(), field(&compat, "issuer"), "{name}");
    }
}

#[test]
fn certificate_info_matches_openssl_key_algorithms_and_alt_names() {
    for name in INSPECTED {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = openssl(&["x509", "-in", &path, "-noout", "-text"]);
        let info = CertificateInfo::from_der(leaf(name).as_ref()).unwrap();
        let line = |prefix: &str| {
            text.lines()
                .map(str::trim)
                .find_map(|l| l.strip_prefix(prefix))
                .unwrap_or_else(|| panic!("{name}: no {prefix} in\n{text}"))
                .trim()
                .to_owned()
        };
        assert_eq!(info.version().to_string(), line("Version:").split(' ').next().unwrap(), "{name}");
        assert_eq!(info.signature_algorithm(), line("Signature Algorithm:"), "{name}");
        assert_eq!(info.public_key_algorithm(), line("Public Key Algorithm:"), "{name}");
        assert_eq!(format!("({} bit)", info.public_key_bits().unwrap()), line("Public-Key:"), "{name}");
        // The SAN line follows its "X509v3 Subject Alternative Name:" heading.
        let mut lines = text.lines().map(str::trim);
        let sans = match lines.find(|l| l.starts_with("X509v3 Subject Alternative Name")) {
            Some(_) => lines.next().unwrap().to_owned(),
            None => String::new(),
        };
        let ours: Vec<String> = info.subject_alt_names().iter().map(ToString::to_string).collect();
        assert_eq!(ours.join(", "), sans, "{name}");
    }
}

#[test]
fn subject_public_key_info_matches_openssl_pubkey() {
    let path = format!("{}/tests/fixtures/server.pem", env!("CARGO_MANIFEST_DIR"));
    let pubkey_pem = openssl(&["x509", "-in", &path, "-noout", "-pubkey"]);
    let (label, spki) = pem_rfc7468::decode_vec(pubkey_pem.trim_end().as_bytes()).unwrap();
    assert_eq!(label, "PUBLIC KEY");
    let info = CertificateInfo::from_der(leaf("server.pem").as_ref()).unwrap();
    assert_eq!(info.subject_public_key_info_der(), spki.as_slice());
}

#[test]
fn demo_key_pem_forms_match_their_labels() {
    use ferrotls::x509::{private_key_from_pem, PrivateKeyDer};
    assert!(matches!(private_key_from_pem(&fixture("server.key")), Ok(PrivateKeyDer::Pkcs8(_))));
    assert!(matches!(private_key_from_pem(&fixture("server.rsa.key")), Ok(PrivateKeyDer::Pkcs1(_))));
    assert!(matches!(private_key_from_pem(&fixture("client.key")), Ok(PrivateKeyDer::Pkcs8(_))));
}
