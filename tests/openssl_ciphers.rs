//! The OpenSSL layer's cipher strings select what OpenSSL 3.0 selects: each string goes through
//! `ferrotls::openssl::cipher_list::parse` and through `openssl ciphers -V`, and the two lists,
//! restricted to the suites both implement, must be equal in content and order. This machine's
//! OpenSSL has no 3DES or RC4 in TLS, so the legacy suites drop out of the comparison (their
//! place is covered by the unit tests in src/openssl/cipher_list.rs).
#![cfg(feature = "openssl-compat")]

use ferrotls::crypto::rustcrypto::ALL_CIPHER_SUITES;
use ferrotls::openssl::cipher_list;
use std::process::Command;

const STRINGS: &[&str] = &[
    "DEFAULT",
    "ALL",
    "ALL:@STRENGTH",
    "ALL:COMPLEMENTOFALL",
    "HIGH",
    "HIGH:!RSA",
    "HIGH:!aNULL:!MD5",
    "ECDHE+AESGCM:!aNULL",
    "EECDH+AESGCM:EDH+AESGCM",
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:AES128-SHA",
    "kRSA",
    "RSA",
    "aRSA",
    "aECDSA",
    "ECDSA",
    "ECDHE",
    "kECDHE:!ECDSA",
    "AES",
    "AES128",
    "AES256",
    "AESGCM",
    "CHACHA20",
    "SHA1",
    "SHA",
    "SHA256",
    "SHA384",
    "TLSv1.2",
    "TLSv1",
    "TLSv1.0",
    "SSLv3",
    "FIPS",
    "MEDIUM",
    "COMPLEMENTOFDEFAULT",
    "AES+SHA1",
    "kRSA+AES256",
    "SSLv3+AES",
    "AES:+SHA256",
    "kRSA:+AES256",
    "AES128-SHA:-ALL:AES256-SHA",
    "!AES128-SHA:ALL:AES128-SHA",
    "ALL:-AES:AES",
    "ALL:!SHA1",
    "AES:-ALL:AES128-SHA256",
    "AES256-SHA AES128-SHA",
    "AES128-SHA,AES256-SHA;AES128-SHA256",
    "DEFAULT:!kRSA",
    "DEFAULT:@SECLEVEL=0",
    "DEFAULT:@SECLEVEL=2",
    "kRSA:@SECLEVEL=3",
    "AES128-SHA:DEFAULT",
    "FOO:AES128-SHA",
    "AES128-SHA+SHA1",
    "aes128-sha",
    "eNULL",
    "aNULL",
    "DHE",
    "ALL:!kRSA:!aECDSA",
    "ALL:+kRSA",
    "ALL:+AES256",
];

/// The TLS 1.2-and-below suites `openssl ciphers -V` selects, by OpenSSL name, in order;
/// empty when OpenSSL refuses the string.
fn openssl_selects(list: &str) -> Vec<String> {
    let out =
        Command::new("openssl").args(["ciphers", "-V", list]).output().expect("the openssl command runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_id, _dash, name, version) = (f.next()?, f.next()?, f.next()?, f.next()?);
            (version != "TLSv1.3").then(|| name.to_owned())
        })
        .collect()
}

/// Every suite the installed OpenSSL knows for TLS 1.2 and below.
fn openssl_knows() -> Vec<String> {
    openssl_selects("ALL:COMPLEMENTOFALL")
}

#[test]
fn cipher_strings_select_what_openssl_selects_among_the_suites_both_have() {
    let openssl_all = openssl_knows();
    let shared: Vec<&str> = ALL_CIPHER_SUITES
        .iter()
        .map(|s| s.openssl_name)
        .filter(|n| openssl_all.iter().any(|o| o == n))
        .collect();
    assert!(shared.len() >= 4, "the installed OpenSSL shares too few suites with ferrotls: {shared:?}");
    let mut mismatches = Vec::new();
    for list in STRINGS {
        let theirs: Vec<String> =
            openssl_selects(list).into_iter().filter(|n| shared.contains(&n.as_str())).collect();
        let ours: Vec<String> = match cipher_list::parse(list) {
            Ok(l) => l
                .suites
                .iter()
                .map(|s| s.openssl_name.to_owned())
                .filter(|n| shared.contains(&n.as_str()))
                .collect(),
            Err(_) => Vec::new(),
        };
        if ours != theirs {
            mismatches.push(format!("{list:?}: ferrotls {ours:?}, openssl {theirs:?}"));
        }
    }
    assert!(mismatches.is_empty(), "cipher strings select differently:\n{}", mismatches.join("\n"));
}

#[test]
fn a_string_openssl_refuses_selects_nothing_here_either() {
    // The tampering twin: strings that select no shared suite, or are malformed.
    for list in ["aes128-sha", "eNULL", "ALL:@FOO", "AES128-SHA:ALL$", "DHE-RSA-AES128-GCM-SHA256"] {
        let openssl_ok = Command::new("openssl").args(["ciphers", list]).output().unwrap().status.success();
        let theirs: Vec<String> = openssl_selects(list);
        let ours = cipher_list::parse(list);
        if !openssl_ok {
            assert!(ours.is_err(), "{list:?}: OpenSSL refuses it, ferrotls selected {ours:?}");
        } else {
            // OpenSSL selects suites ferrotls does not have (finite-field DHE): ferrotls must have
            // none of them and refuse the string.
            assert!(!theirs.is_empty());
            assert!(ours.is_err(), "{list:?}: ferrotls selected {ours:?}");
        }
    }
}

#[test]
fn descriptions_match_openssl_ciphers_v() {
    let out = Command::new("openssl").args(["ciphers", "-v", "ALL"]).output().unwrap();
    let theirs = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut checked = 0;
    for suite in cipher_list::base_order() {
        if let Some(line) = theirs.lines().find(|l| l.split_whitespace().next() == Some(suite.openssl_name)) {
            assert_eq!(cipher_list::description(suite).trim_end(), line.trim_end(), "{suite:?}");
            checked += 1;
        }
    }
    assert!(checked >= 4);
}
