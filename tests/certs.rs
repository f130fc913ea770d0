//! Issue 3's X.509 half: each verification outcome with its depth, the verify callback, CRLs,
//! the client verifier, encrypted keys, trust stores from files, and the `ferrotls verify` /
//! `ferrotls x509` commands against `openssl verify` / `openssl x509`.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ferrotls::crypto::rustcrypto::{DEFAULT_PROVIDER, SIGNATURE_ALGORITHMS};
use ferrotls::x509::{
    certs_from_pem, crls_from_pem_or_der, key_matches_certificate, private_key_from_pem,
    private_key_from_pem_with_password, private_key_from_pem_with_password_callback, CertificateDer,
    CertificateInfo, CertificateVerifyFailure, ClientCertVerifier, PemError, PrivateKeyDer, RootCertStore,
    ServerCertVerifier, ServerName, UnixTime, WebPkiClientVerifier, WebPkiServerVerifier,
};
use ferrotls::CertificateError;

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn certs(name: &str) -> Vec<CertificateDer<'static>> {
    certs_from_pem(&fixture(name)).unwrap()
}

fn leaf(name: &str) -> CertificateDer<'static> {
    certs(name).remove(0)
}

/// 2030-01-01: inside the good certificates' 2026..2046 window.
const IN_VALIDITY: u64 = 1_893_456_000;

fn at(secs: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(secs))
}

fn roots(name: &str) -> Arc<RootCertStore> {
    let mut store = RootCertStore::empty();
    store.add_pem(&fixture(name)).unwrap();
    Arc::new(store)
}

fn server_verifier() -> WebPkiServerVerifier {
    WebPkiServerVerifier::new(roots("ca.pem"), &DEFAULT_PROVIDER)
}

fn legacy_server_verifier() -> WebPkiServerVerifier {
    WebPkiServerVerifier::new_legacy(roots("ca.pem"), &DEFAULT_PROVIDER)
}

/// Verifies `leaf_name` with `intermediates` for `host` in 2030.
fn verify(
    verifier: &WebPkiServerVerifier,
    leaf_name: &str,
    intermediates: &[&str],
    host: &str,
) -> Result<Vec<CertificateDer<'static>>, CertificateVerifyFailure> {
    let chain: Vec<_> = intermediates.iter().flat_map(|n| certs(n)).collect();
    verifier.verify_server_chain(
        &leaf(leaf_name),
        &chain,
        &ServerName::try_from(host).unwrap(),
        at(IN_VALIDITY),
    )
}

fn failure(error: CertificateError, depth: usize) -> CertificateVerifyFailure {
    CertificateVerifyFailure { error, depth }
}

// --- outcomes and depths ------------------------------------------------------------------

#[test]
fn valid_chain_returns_leaf_intermediate_and_root() {
    let chain = verify(&server_verifier(), "server.pem", &["intermediate.pem"], "localhost").unwrap();
    assert_eq!(chain, [leaf("server.pem"), leaf("intermediate.pem"), leaf("ca.pem")]);
}

#[test]
fn not_yet_valid_leaf_fails_at_depth_zero() {
    assert_eq!(
        verify(&server_verifier(), "not-yet-valid.pem", &["intermediate.pem"], "localhost"),
        Err(failure(CertificateError::NotValidYet, 0))
    );
}

#[test]
fn not_yet_valid_leaf_verifies_once_its_validity_starts() {
    let chain = certs("intermediate.pem");
    let in_2036 = at(2_082_758_400);
    let result = server_verifier().verify_server_chain(
        &leaf("not-yet-valid.pem"),
        &chain,
        &ServerName::try_from("localhost").unwrap(),
        in_2036,
    );
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn expired_leaf_fails_at_depth_zero() {
    assert_eq!(
        verify(&server_verifier(), "expired.pem", &["intermediate.pem"], "localhost"),
        Err(failure(CertificateError::Expired, 0))
    );
}

#[test]
fn intermediate_not_yet_valid_is_reported_at_depth_one() {
    // Mid-2020: the expired leaf is inside its window, the intermediate (2026..) is not.
    let result = server_verifier().verify_server_chain(
        &leaf("expired.pem"),
        &certs("intermediate.pem"),
        &ServerName::try_from("localhost").unwrap(),
        at(1_590_969_600),
    );
    assert_eq!(result, Err(failure(CertificateError::NotValidYet, 1)));
}

#[test]
fn missing_intermediate_is_an_unknown_issuer_at_depth_zero() {
    assert_eq!(
        verify(&server_verifier(), "server.pem", &[], "localhost"),
        Err(failure(CertificateError::UnknownIssuer, 0))
    );
}

#[test]
fn untrusted_root_is_an_unknown_issuer_above_the_last_certificate() {
    assert_eq!(
        verify(&server_verifier(), "untrusted-leaf.pem", &["untrusted-ca.pem"], "localhost"),
        Err(failure(CertificateError::UnknownIssuer, 1))
    );
}

#[test]
fn forged_leaf_is_a_bad_signature_at_depth_zero() {
    assert_eq!(
        verify(&server_verifier(), "forged-leaf.pem", &["intermediate.pem"], "localhost"),
        Err(failure(CertificateError::BadSignature, 0))
    );
}

#[test]
fn flipped_bit_in_the_intermediate_signature_is_a_bad_signature_at_depth_one() {
    let mut tampered = leaf("intermediate.pem").as_ref().to_vec();
    *tampered.last_mut().unwrap() ^= 0x01;
    let result = server_verifier().verify_server_chain(
        &leaf("server.pem"),
        &[CertificateDer::from(tampered)],
        &ServerName::try_from("localhost").unwrap(),
        at(IN_VALIDITY),
    );
    assert_eq!(result, Err(failure(CertificateError::BadSignature, 1)));
}

#[test]
fn leaf_with_a_swapped_issuer_is_an_unknown_issuer() {
    // The server leaf presented with the untrusted CA instead of its own intermediate.
    assert_eq!(
        verify(&server_verifier(), "server.pem", &["untrusted-ca.pem"], "localhost"),
        Err(failure(CertificateError::UnknownIssuer, 0))
    );
}

#[test]
fn sha1_leaf_is_an_unsupported_algorithm_at_depth_zero_and_legacy_accepts_it() {
    assert_eq!(
        verify(&server_verifier(), "sha1-leaf.pem", &["intermediate.pem"], "localhost"),
        Err(failure(CertificateError::UnsupportedSignatureAlgorithm, 0))
    );
    assert!(verify(&legacy_server_verifier(), "sha1-leaf.pem", &["intermediate.pem"], "localhost").is_ok());
}

#[test]
fn path_length_violation_is_reported_at_the_constrained_intermediate() {
    assert_eq!(
        verify(&server_verifier(), "pathlen-leaf.pem", &["sub-ca.pem", "intermediate.pem"], "localhost"),
        Err(failure(CertificateError::NotAllowedToSign, 2))
    );
}

#[test]
fn leaf_used_as_an_issuer_is_not_allowed_to_sign_at_depth_one() {
    // server.pem (CA:FALSE) offered as the issuer of a certificate it never signed: the
    // forged leaf names the intermediate, so build a chain whose issuer is a leaf instead.
    let result = server_verifier().verify_server_chain(
        &leaf("wildcard.pem"),
        &certs("server.pem"),
        &ServerName::try_from("a.example.test").unwrap(),
        at(IN_VALIDITY),
    );
    // The leaf's issuer name is the intermediate's, so the leaf is never placed as an issuer.
    assert_eq!(result, Err(failure(CertificateError::UnknownIssuer, 0)));
}

#[test]
fn name_constrained_ca_accepts_a_leaf_inside_its_subtree() {
    assert!(verify(
        &server_verifier(),
        "name-constrained-good.pem",
        &["name-constrained-ca.pem"],
        "www.allowed.test"
    )
    .is_ok());
}

#[test]
fn name_constrained_ca_refuses_a_leaf_outside_its_subtree() {
    assert_eq!(
        verify(
            &server_verifier(),
            "name-constrained-bad.pem",
            &["name-constrained-ca.pem"],
            "www.forbidden.test"
        ),
        Err(failure(CertificateError::NotAllowedToSign, 0))
    );
}

#[test]
fn wrong_purpose_leaf_fails_at_depth_zero() {
    assert_eq!(
        verify(&server_verifier(), "client.pem", &["intermediate.pem"], "client.localhost"),
        Err(failure(CertificateError::InvalidPurpose, 0))
    );
}

#[test]
fn self_signed_leaf_is_reported_as_such() {
    assert_eq!(
        verify(&server_verifier(), "self-signed-leaf.pem", &[], "localhost"),
        Err(failure(CertificateError::SelfSignedLeaf, 0))
    );
}

#[test]
fn self_signed_leaf_verifies_when_trusted_directly() {
    let verifier = WebPkiServerVerifier::new(roots("self-signed-leaf.pem"), &DEFAULT_PROVIDER);
    // A trusted self-signed leaf is still an end entity whose issuer is the anchor.
    assert!(verify(&verifier, "self-signed-leaf.pem", &[], "localhost").is_ok());
}

#[test]
fn chain_longer_than_the_depth_limit_is_too_long_beyond_the_limit() {
    let verifier = server_verifier().with_max_depth(1);
    assert_eq!(
        verify(&verifier, "server.pem", &["intermediate.pem"], "localhost"),
        Err(failure(CertificateError::ChainTooLong, 2))
    );
    // Its twin: a limit of 2 admits the root at depth 2.
    assert!(verify(&server_verifier().with_max_depth(2), "server.pem", &["intermediate.pem"], "localhost")
        .is_ok());
}

#[test]
fn v1_root_is_a_usable_trust_anchor() {
    let verifier = WebPkiServerVerifier::new(roots("v1-root.pem"), &DEFAULT_PROVIDER);
    assert!(verify(&verifier, "v1-leaf.pem", &[], "localhost").is_ok());
    assert_eq!(CertificateInfo::from_der(leaf("v1-root.pem").as_ref()).unwrap().version(), 1);
}

#[test]
fn v1_leaf_does_not_verify_under_another_root() {
    assert_eq!(
        verify(&server_verifier(), "v1-leaf.pem", &[], "localhost"),
        Err(failure(CertificateError::UnknownIssuer, 0))
    );
}

// --- names -------------------------------------------------------------------------------

#[test]
fn wildcard_matches_exactly_one_left_most_label() {
    let v = server_verifier();
    assert!(verify(&v, "wildcard.pem", &["intermediate.pem"], "a.example.test").is_ok());
    for host in ["example.test", "a.b.example.test", "a.example.org"] {
        assert_eq!(
            verify(&v, "wildcard.pem", &["intermediate.pem"], host),
            Err(failure(CertificateError::NotValidForName(host.into()), 0)),
            "{host}"
        );
    }
}

#[test]
fn ip_address_matches_only_an_ip_san() {
    let v = server_verifier();
    assert!(verify(&v, "server.pem", &["intermediate.pem"], "127.0.0.1").is_ok());
    assert_eq!(
        verify(&v, "server.pem", &["intermediate.pem"], "127.0.0.2"),
        Err(failure(CertificateError::NotValidForName("127.0.0.2".into()), 0))
    );
}

#[test]
fn cn_only_leaf_is_refused_without_the_legacy_profile() {
    assert_eq!(
        verify(&server_verifier(), "cn-only.pem", &["intermediate.pem"], "legacy.example.test"),
        Err(failure(CertificateError::NotValidForName("legacy.example.test".into()), 0))
    );
}

#[test]
fn cn_only_leaf_is_accepted_by_the_legacy_profile_case_insensitively() {
    let v = legacy_server_verifier();
    assert!(verify(&v, "cn-only.pem", &["intermediate.pem"], "Legacy.Example.Test").is_ok());
    assert!(verify(&v, "cn-only.pem", &["intermediate.pem"], "other.example.test").is_err());
}

#[test]
fn cn_wildcard_fallback_matches_one_label_only() {
    let v = legacy_server_verifier();
    assert!(verify(&v, "cn-only-wildcard.pem", &["intermediate.pem"], "www.legacy.test").is_ok());
    assert!(verify(&v, "cn-only-wildcard.pem", &["intermediate.pem"], "legacy.test").is_err());
    assert!(verify(&v, "cn-only-wildcard.pem", &["intermediate.pem"], "a.b.legacy.test").is_err());
}

#[test]
fn cn_fallback_is_not_used_when_the_certificate_has_dns_sans() {
    // wrong-host.pem: CN and SAN other.example; the CN must not rescue a SAN mismatch either.
    assert!(verify(&legacy_server_verifier(), "wrong-host.pem", &["intermediate.pem"], "localhost").is_err());
}

// --- revocation ---------------------------------------------------------------------------

fn with_crl(file: &str) -> WebPkiServerVerifier {
    server_verifier().with_crls(&crls_from_pem_or_der(&fixture(file)).unwrap()).unwrap()
}

#[test]
fn revoked_leaf_is_refused_with_a_pem_crl() {
    assert_eq!(
        verify(&with_crl("intermediate.crl.pem"), "revoked.pem", &["intermediate.pem"], "localhost"),
        Err(failure(CertificateError::Revoked, 0))
    );
}

#[test]
fn revoked_leaf_is_refused_with_a_der_crl() {
    assert_eq!(
        verify(&with_crl("intermediate.crl.der"), "revoked.pem", &["intermediate.pem"], "localhost"),
        Err(failure(CertificateError::Revoked, 0))
    );
}

#[test]
fn unrevoked_leaf_passes_the_same_crl() {
    assert!(
        verify(&with_crl("intermediate.crl.pem"), "server.pem", &["intermediate.pem"], "localhost").is_ok()
    );
}

#[test]
fn revoked_leaf_passes_without_crls() {
    assert!(verify(&server_verifier(), "revoked.pem", &["intermediate.pem"], "localhost").is_ok());
}

#[test]
fn tampered_crl_is_refused_at_verification() {
    let mut der = fixture("intermediate.crl.der");
    *der.last_mut().unwrap() ^= 0x01;
    let verifier = server_verifier().with_crls(&crls_from_pem_or_der(&der).unwrap()).unwrap();
    assert!(verify(&verifier, "server.pem", &["intermediate.pem"], "localhost").is_err());
}

// --- verify callback ----------------------------------------------------------------------

#[test]
fn callback_sees_every_certificate_from_the_anchor_down() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let verifier = server_verifier().with_verify_callback(move |element| {
        log.lock().unwrap().push((element.depth, element.error.cloned()));
        true
    });
    assert!(verify(&verifier, "server.pem", &["intermediate.pem"], "localhost").is_ok());
    assert_eq!(*seen.lock().unwrap(), [(2, None), (1, None), (0, None)]);
}

#[test]
fn callback_can_override_an_expired_leaf() {
    let verifier = server_verifier()
        .with_verify_callback(|element| element.error.is_none_or(|e| *e == CertificateError::Expired));
    assert!(verify(&verifier, "expired.pem", &["intermediate.pem"], "localhost").is_ok());
}

#[test]
fn callback_that_accepts_only_expiry_does_not_rescue_a_bad_signature() {
    let verifier = server_verifier()
        .with_verify_callback(|element| element.error.is_none_or(|e| *e == CertificateError::Expired));
    assert_eq!(
        verify(&verifier, "forged-leaf.pem", &["intermediate.pem"], "localhost"),
        Err(failure(CertificateError::BadSignature, 0))
    );
}

#[test]
fn callback_can_reject_a_valid_chain() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let verifier = server_verifier().with_verify_callback(move |element| {
        counter.fetch_add(1, Ordering::SeqCst);
        element.depth != 1
    });
    let result = verify(&verifier, "server.pem", &["intermediate.pem"], "localhost");
    assert!(matches!(result, Err(CertificateVerifyFailure { error: CertificateError::Other(_), depth: 1 })));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn callback_is_used_through_the_trait_too() {
    let verifier = server_verifier().with_verify_callback(|_| true);
    let result = verifier.verify_server_cert(
        &leaf("expired.pem"),
        &certs("intermediate.pem"),
        &ServerName::try_from("localhost").unwrap(),
        at(IN_VALIDITY),
    );
    assert_eq!(result, Ok(()));
}

// --- client verifier ----------------------------------------------------------------------

fn client_verifier() -> WebPkiClientVerifier {
    WebPkiClientVerifier::new(roots("ca.pem"), &DEFAULT_PROVIDER)
}

#[test]
fn client_certificate_verifies_for_client_auth() {
    let result = client_verifier().verify_client_chain(
        &leaf("client.pem"),
        &certs("intermediate.pem"),
        at(IN_VALIDITY),
    );
    assert_eq!(result.unwrap().len(), 3);
}

#[test]
fn server_certificate_is_refused_for_client_auth() {
    let result = client_verifier().verify_client_cert(
        &leaf("server.pem"),
        &certs("intermediate.pem"),
        at(IN_VALIDITY),
    );
    assert_eq!(result, Err(CertificateError::InvalidPurpose));
}

#[test]
fn client_verifier_reports_depth_and_honours_crls_and_callbacks() {
    let result = client_verifier().verify_client_chain(&leaf("client.pem"), &[], at(IN_VALIDITY));
    assert_eq!(result, Err(failure(CertificateError::UnknownIssuer, 0)));
    // As with OpenSSL, a callback that accepts everything accepts an unknown issuer too...
    let accept_all = client_verifier().with_verify_callback(|_| true);
    assert!(accept_all.verify_client_chain(&leaf("client.pem"), &[], at(IN_VALIDITY)).is_ok());
    // ...and one that accepts only expiry does not.
    let expiry_only = client_verifier()
        .with_verify_callback(|element| element.error.is_none_or(|e| *e == CertificateError::Expired));
    assert_eq!(
        expiry_only.verify_client_chain(&leaf("client.pem"), &[], at(IN_VALIDITY)),
        Err(failure(CertificateError::UnknownIssuer, 0))
    );
}

#[test]
fn client_verifier_hints_the_root_subjects_and_is_mandatory_unless_optional() {
    let verifier = client_verifier();
    let ca = CertificateInfo::from_der(leaf("ca.pem").as_ref()).unwrap();
    let hints = verifier.root_hint_subjects();
    assert_eq!(hints.len(), 1);
    // The hint is the DER Name exactly as encoded in the root certificate.
    let der = leaf("ca.pem");
    assert!(der.as_ref().windows(hints[0].len()).any(|w| w == hints[0].as_slice()), "{}", ca.subject());
    assert_eq!(hints[0][0], 0x30);
    assert!(verifier.client_auth_mandatory());
    assert!(!client_verifier().optional().client_auth_mandatory());
}

// --- keys ---------------------------------------------------------------------------------

const PASSWORD: &[u8] = b"ferrotls-test";

#[test]
fn encrypted_pkcs8_key_decrypts_to_the_server_key() {
    let decrypted =
        private_key_from_pem_with_password(&fixture("server-encrypted.key"), PASSWORD, &DEFAULT_PROVIDER)
            .unwrap();
    let plain = private_key_from_pem(&fixture("server.key")).unwrap();
    assert_eq!(decrypted.secret_der(), plain.secret_der());
}

#[test]
fn encrypted_pkcs8_key_with_a_wrong_password_is_refused() {
    let result =
        private_key_from_pem_with_password(&fixture("server-encrypted.key"), b"wrong", &DEFAULT_PROVIDER);
    assert!(matches!(result, Err(PemError::Decrypt(_))), "{result:?}");
}

#[test]
fn encrypted_pkcs8_key_without_a_password_is_refused_as_encrypted() {
    assert_eq!(private_key_from_pem(&fixture("server-encrypted.key")), Err(PemError::EncryptedKey));
    let result = private_key_from_pem_with_password_callback(
        &fixture("server-encrypted.key"),
        || None,
        &DEFAULT_PROVIDER,
    );
    assert_eq!(result, Err(PemError::EncryptedKey));
}

#[test]
fn password_callback_is_asked_only_for_encrypted_keys() {
    let asked = AtomicUsize::new(0);
    let ask = || {
        asked.fetch_add(1, Ordering::SeqCst);
        Some(PASSWORD.to_vec())
    };
    assert!(
        private_key_from_pem_with_password_callback(&fixture("server.key"), ask, &DEFAULT_PROVIDER).is_ok()
    );
    assert_eq!(asked.load(Ordering::SeqCst), 0);
    let ask = || {
        asked.fetch_add(1, Ordering::SeqCst);
        Some(PASSWORD.to_vec())
    };
    let key =
        private_key_from_pem_with_password_callback(&fixture("server-encrypted.key"), ask, &DEFAULT_PROVIDER);
    assert!(matches!(key, Ok(PrivateKeyDer::Pkcs8(_))));
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

#[test]
fn encrypted_der_key_is_recognised_and_decrypted() {
    let (_, der) = pem_rfc7468::decode_vec(&fixture("server-encrypted.key")).unwrap();
    let key = private_key_from_pem_with_password(&der, PASSWORD, &DEFAULT_PROVIDER).unwrap();
    assert_eq!(key.secret_der(), private_key_from_pem(&fixture("server.key")).unwrap().secret_der());
}

#[test]
fn key_matches_its_certificate_and_a_mismatched_key_does_not() {
    let load = |name: &str| {
        let key = private_key_from_pem(&fixture(name)).unwrap();
        DEFAULT_PROVIDER.key_provider.load_private_key(key.secret_der()).unwrap()
    };
    assert!(key_matches_certificate(&load("server.key"), &leaf("server.pem")));
    assert!(!key_matches_certificate(&load("mismatched.key"), &leaf("server.pem")));
    assert!(!key_matches_certificate(&load("client.key"), &leaf("server.pem")));
}

#[test]
fn server_config_refuses_a_mismatched_key() {
    let key = private_key_from_pem(&fixture("mismatched.key")).unwrap();
    let result = ferrotls::ServerConfig::builder().single_cert(certs("server-chain.pem"), key).build();
    assert!(result.is_err());
}

// --- trust stores from files --------------------------------------------------------------

#[test]
fn trust_store_from_a_bundle_file_verifies_the_demo_chain() {
    let store = ferrotls::files::root_store_from_file(path("ca.pem")).unwrap();
    let verifier = WebPkiServerVerifier::with_algorithms(Arc::new(store), SIGNATURE_ALGORITHMS);
    assert!(verify(&verifier, "server.pem", &["intermediate.pem"], "localhost").is_ok());
}

#[test]
fn trust_store_from_a_hashed_directory_verifies_the_demo_chain() {
    let store = ferrotls::files::root_store_from_hashed_dir(path("hashed-roots")).unwrap();
    assert_eq!(store.len(), 1);
    let verifier = WebPkiServerVerifier::with_algorithms(Arc::new(store), SIGNATURE_ALGORITHMS);
    assert!(verify(&verifier, "server.pem", &["intermediate.pem"], "localhost").is_ok());
}

#[test]
fn directory_without_hashed_names_is_an_error() {
    assert!(ferrotls::files::root_store_from_hashed_dir(path("")).is_err());
}

#[test]
fn explicit_locations_override_the_system_defaults() {
    let (store, used) =
        ferrotls::files::root_store_from_locations(Some(path("untrusted-ca.pem")), None).unwrap();
    assert_eq!((store.len(), used), (1, vec![path("untrusted-ca.pem")]));
    let (store, _) =
        ferrotls::files::root_store_from_locations(None, Some(vec![path("hashed-roots")])).unwrap();
    assert_eq!(store.len(), 1);
    assert!(ferrotls::files::root_store_from_locations(None, Some(vec![path("no-such-dir")])).is_err());
}

#[test]
fn system_store_loads_the_distribution_bundle() {
    // ca-certificates is installed wherever openssl is (make deps).
    let (store, used) = ferrotls::files::system_root_store().unwrap();
    assert!(store.len() > 10, "{used:?}");
}

// --- inspection ---------------------------------------------------------------------------

#[test]
fn attributes_are_found_by_name_in_either_case_or_by_oid() {
    let info = CertificateInfo::from_der(leaf("server.pem").as_ref()).unwrap();
    assert_eq!(info.subject_attribute("CN"), Some("localhost"));
    assert_eq!(info.subject_attribute("cn"), Some("localhost"));
    assert_eq!(info.subject_attribute("2.5.4.3"), Some("localhost"));
    assert_eq!(info.subject_attribute("O"), Some("ferrotls, demo"));
    assert_eq!(info.subject_attribute("OU"), None);
    assert_eq!(info.issuer_attribute("CN"), Some("ferrotls demo intermediate"));
    assert!(!info.is_self_issued());
    assert!(CertificateInfo::from_der(leaf("ca.pem").as_ref()).unwrap().is_self_issued());
    assert_eq!(info.der(), leaf("server.pem").as_ref());
}

// --- openssl and the commands -------------------------------------------------------------

/// Runs the openssl CLI: `make deps` installs it, so a missing openssl is a failure.
fn openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl").args(args).output().expect("openssl must be installed (make deps)");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn ferrotls(args: &[&str]) -> (i32, String, String) {
    let bin = std::env::var("FERROTLS_BIN")
        .unwrap_or_else(|_| format!("{}/target/release/ferrotls", env!("CARGO_MANIFEST_DIR")));
    let out = Command::new(&bin)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{bin}: {e} (cargo build --release)"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (leaf, extra ferrotls/openssl args as pairs, expected ferrotls depth or None for OK).
struct Case {
    leaf: &'static str,
    untrusted: Option<&'static str>,
    crl: Option<&'static str>,
    host: Option<&'static str>,
    depth: Option<usize>,
}

const CASES: &[Case] = &[
    Case {
        leaf: "server.pem",
        untrusted: Some("intermediate.pem"),
        crl: None,
        host: Some("localhost"),
        depth: None,
    },
    Case {
        leaf: "wildcard.pem",
        untrusted: Some("intermediate.pem"),
        crl: None,
        host: Some("a.example.test"),
        depth: None,
    },
    Case {
        leaf: "not-yet-valid.pem",
        untrusted: Some("intermediate.pem"),
        crl: None,
        host: None,
        depth: Some(0),
    },
    Case { leaf: "expired.pem", untrusted: Some("intermediate.pem"), crl: None, host: None, depth: Some(0) },
    Case {
        leaf: "pathlen-leaf.pem",
        untrusted: Some("pathlen-chain.pem"),
        crl: None,
        host: None,
        depth: Some(2),
    },
    Case {
        leaf: "name-constrained-bad.pem",
        untrusted: Some("name-constrained-ca.pem"),
        crl: None,
        host: None,
        depth: Some(0),
    },
    Case { leaf: "self-signed-leaf.pem", untrusted: None, crl: None, host: None, depth: Some(0) },
    Case {
        leaf: "revoked.pem",
        untrusted: Some("intermediate.pem"),
        crl: Some("intermediate.crl.pem"),
        host: None,
        depth: Some(0),
    },
    Case {
        leaf: "forged-leaf.pem",
        untrusted: Some("intermediate.pem"),
        crl: None,
        host: None,
        depth: Some(0),
    },
    Case {
        leaf: "wrong-host.pem",
        untrusted: Some("intermediate.pem"),
        crl: None,
        host: Some("localhost"),
        depth: Some(0),
    },
];

#[test]
fn verify_command_agrees_with_openssl_verify_on_outcome_and_depth() {
    for case in CASES {
        let (ca, leaf_path) = (path("ca.pem"), path(case.leaf));
        let mut ours: Vec<String> = vec![
            "verify".into(),
            "--cafile".into(),
            ca.display().to_string(),
            "--at".into(),
            IN_VALIDITY.to_string(),
        ];
        let mut theirs: Vec<String> = vec![
            "verify".into(),
            "-CAfile".into(),
            ca.display().to_string(),
            "-attime".into(),
            IN_VALIDITY.to_string(),
        ];
        if let Some(u) = case.untrusted {
            ours.extend(["--untrusted".into(), path(u).display().to_string()]);
            theirs.extend(["-untrusted".into(), path(u).display().to_string()]);
        }
        if let Some(c) = case.crl {
            ours.extend(["--crl".into(), path(c).display().to_string()]);
            theirs.extend(["-CRLfile".into(), path(c).display().to_string(), "-crl_check".into()]);
        }
        if let Some(h) = case.host {
            ours.extend(["--hostname".into(), h.into()]);
            theirs.extend(["-verify_hostname".into(), h.into()]);
        }
        ours.push(leaf_path.display().to_string());
        theirs.push(leaf_path.display().to_string());
        let (code, stdout, stderr) = ferrotls(&ours.iter().map(String::as_str).collect::<Vec<_>>());
        let (openssl_ok, openssl_out) = openssl(&theirs.iter().map(String::as_str).collect::<Vec<_>>());
        match case.depth {
            None => {
                assert_eq!((code, stdout.trim()), (0, "OK"), "{}: {stderr}", case.leaf);
                assert!(openssl_ok, "{}: {openssl_out}", case.leaf);
            }
            Some(depth) => {
                assert_eq!(code, 1, "{}: {stdout}", case.leaf);
                assert!(stderr.contains(&format!("at depth {depth}:")), "{}: {stderr}", case.leaf);
                assert!(!openssl_ok, "{}: {openssl_out}", case.leaf);
                // openssl names the host mismatch without a depth; every other error has one.
                if case.host.is_none() {
                    assert!(
                        openssl_out.contains(&format!("at {depth} depth")),
                        "{}: {openssl_out}",
                        case.leaf
                    );
                }
            }
        }
    }
}

#[test]
fn verify_command_json_reports_the_chain_or_the_error_and_depth() {
    let (ca, int) = (path("ca.pem").display().to_string(), path("intermediate.pem").display().to_string());
    let at = IN_VALIDITY.to_string();
    let ok = path("server.pem").display().to_string();
    let (code, stdout, _) =
        ferrotls(&["verify", "--cafile", &ca, "--untrusted", &int, "--at", &at, "--json", &ok]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("{\"valid\":true,\"chain\":[{\"subject\":\"CN=localhost"), "{stdout}");
    assert_eq!(stdout.matches("\"serial\"").count(), 3, "{stdout}");
    let bad = path("expired.pem").display().to_string();
    let (code, stdout, _) =
        ferrotls(&["verify", "--cafile", &ca, "--untrusted", &int, "--at", &at, "--json", &bad]);
    assert_eq!(code, 1);
    assert_eq!(stdout.trim(), "{\"valid\":false,\"error\":\"certificate has expired\",\"depth\":0}");
}

#[test]
fn verify_command_checks_client_purpose_and_legacy_cn() {
    let (ca, int) = (path("ca.pem").display().to_string(), path("intermediate.pem").display().to_string());
    let at = IN_VALIDITY.to_string();
    let client = path("client.pem").display().to_string();
    let server = path("server.pem").display().to_string();
    let base = ["verify", "--cafile", &ca, "--untrusted", &int, "--at", &at];
    let run = |extra: &[&str]| ferrotls(&[&base[..], extra].concat()).0;
    assert_eq!(run(&["--purpose", "client", &client]), 0);
    assert_eq!(run(&["--purpose", "client", &server]), 1);
    assert_eq!(run(&["--purpose", "server", &client]), 1);
    let cn_only = path("cn-only.pem").display().to_string();
    assert_eq!(run(&["--hostname", "legacy.example.test", &cn_only]), 1);
    assert_eq!(run(&["--hostname", "legacy.example.test", "--legacy", &cn_only]), 0);
    assert_eq!(run(&["--ip", "127.0.0.1", &server]), 0);
    assert_eq!(run(&["--ip", "127.0.0.2", &server]), 1);
}

#[test]
fn x509_command_fields_match_openssl_x509() {
    for name in ["server.pem", "intermediate.pem", "v1-root.pem", "wildcard.pem", "client.pem"] {
        let p = path(name).display().to_string();
        let (code, ours, stderr) = ferrotls(&["x509", &p]);
        assert_eq!(code, 0, "{stderr}");
        let field = |key: &str| {
            ours.lines()
                .find_map(|l| l.strip_prefix(&format!("{key}: ")))
                .unwrap_or_else(|| panic!("{key} in {ours}"))
                .to_owned()
        };
        let (_, theirs) = openssl(&[
            "x509",
            "-in",
            &p,
            "-noout",
            "-serial",
            "-fingerprint",
            "-sha256",
            "-subject",
            "-nameopt",
            "RFC2253",
        ]);
        assert!(theirs.contains(&format!("serial={}", field("serial"))), "{name}: {theirs}");
        assert!(
            theirs.contains(&format!("sha256 Fingerprint={}", field("sha256_fingerprint"))),
            "{name}: {theirs}"
        );
        assert!(theirs.contains(&format!("subject={}", field("subject"))), "{name}: {theirs}");
        let (_, text) = openssl(&["x509", "-in", &p, "-noout", "-text"]);
        assert!(text.contains(&format!("Version: {}", field("version"))), "{name}");
        let bc = field("basic_constraints");
        if bc != "none" {
            assert!(text.contains(&bc), "{name}: {bc}");
        }
        let ku = field("key_usage");
        if ku != "none" {
            assert!(text.contains(&ku), "{name}: {ku}");
        }
    }
}

#[test]
fn x509_command_json_has_every_inspection_field() {
    let (code, stdout, _) = ferrotls(&["x509", "--json", &path("server.pem").display().to_string()]);
    assert_eq!(code, 0);
    for key in [
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "version",
        "signature_algorithm",
        "public_key_algorithm",
        "public_key_bits",
        "subject_oneline",
        "issuer_oneline",
        "key_usage",
        "extended_key_usage",
        "basic_constraints",
        "sha256_fingerprint",
        "subject_alt_names",
    ] {
        assert!(stdout.contains(&format!("\"{key}\":")), "{key} in {stdout}");
    }
}

#[test]
fn x509_command_refuses_a_file_without_certificates() {
    let (code, _, stderr) = ferrotls(&["x509", &path("server.key").display().to_string()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no certificates"), "{stderr}");
}

// --- ECDSA and Ed25519 chains (issue 11) ----------------------------------------------------

#[test]
fn verify_command_accepts_ecdsa_and_ed25519_chains_as_openssl_does_and_not_their_tampered_twins() {
    static N: AtomicUsize = AtomicUsize::new(0);
    for (ca, leaf_name) in [
        ("ecdsa-p256-ca.pem", "ecdsa-p256-leaf.pem"),
        ("ecdsa-p256-ca.pem", "ecdsa-p256-sha384-leaf.pem"),
        ("ecdsa-p384-ca.pem", "ecdsa-p384-leaf.pem"),
        ("ecdsa-p384-ca.pem", "ecdsa-p384-sha256-leaf.pem"),
        ("ed25519-ca.pem", "ed25519-leaf.pem"),
    ] {
        let ca = path(ca).display().to_string();
        let at_arg = IN_VALIDITY.to_string();
        let check = |leaf_path: &str| {
            let ours =
                ferrotls(&["verify", "--cafile", &ca, "--at", &at_arg, "--hostname", "localhost", leaf_path]);
            let theirs = openssl(&[
                "verify",
                "-CAfile",
                &ca,
                "-attime",
                &at_arg,
                "-verify_hostname",
                "localhost",
                leaf_path,
            ]);
            (ours, theirs)
        };
        let ((code, stdout, stderr), (openssl_ok, openssl_out)) =
            check(&path(leaf_name).display().to_string());
        assert_eq!((code, stdout.trim()), (0, "OK"), "{leaf_name}: {stderr}");
        assert!(openssl_ok, "{leaf_name}: {openssl_out}");

        // Tampering twin: the last byte of the DER is part of the signature.
        let mut der = leaf(leaf_name).as_ref().to_vec();
        let last = der.len() - 1;
        der[last] ^= 1;
        let pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &der).unwrap();
        let tampered = std::env::temp_dir().join(format!(
            "ferrotls-tampered-{}-{}.pem",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&tampered, pem).unwrap();
        let ((code, _, stderr), (openssl_ok, openssl_out)) = check(&tampered.display().to_string());
        let _ = std::fs::remove_file(&tampered);
        assert_eq!(code, 1, "{leaf_name} tampered");
        assert!(
            stderr.contains("at depth 0: certificate signature does not verify"),
            "{leaf_name} tampered: {stderr}"
        );
        assert!(!openssl_ok, "{leaf_name} tampered: {openssl_out}");
    }
}

#[test]
fn default_verifier_accepts_an_ecdsa_client_certificate() {
    let verifier = WebPkiClientVerifier::new(roots("ecdsa-p256-ca.pem"), &DEFAULT_PROVIDER);
    assert_eq!(verifier.verify_client_cert(&leaf("ecdsa-p256-client.pem"), &[], at(IN_VALIDITY)), Ok(()));
    // The same certificate is not valid for a server (EKU clientAuth only).
    let server = WebPkiServerVerifier::new(roots("ecdsa-p256-ca.pem"), &DEFAULT_PROVIDER);
    assert_eq!(
        server.verify_server_cert(
            &leaf("ecdsa-p256-client.pem"),
            &[],
            &ServerName::try_from("client.localhost").unwrap(),
            at(IN_VALIDITY)
        ),
        Err(CertificateError::InvalidPurpose)
    );
}
