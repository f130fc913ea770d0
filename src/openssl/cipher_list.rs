//! OpenSSL's cipher-string grammar (`SSL_CTX_set_cipher_list`, ciphers(1)) over the suites
//! ferrotls implements, selecting what OpenSSL 3.0 would select among them.
//!
//! Elements are separated by `:`, `,`, `;` or spaces. An element is a cipher name or an alias
//! (`ALL`, `HIGH`, `kRSA`, `aECDSA`, `ECDHE`, `AESGCM`, `SHA1`, `TLSv1.2`, ...), several joined
//! with `+` meaning "all of them" (`ECDHE+AESGCM`), optionally prefixed: none = append the
//! matching suites not yet listed, `+` = move the matching listed suites to the end, `-` =
//! remove them (they may come back), `!` = remove them for good. `@STRENGTH` sorts by key
//! strength and `@SECLEVEL=n` sets the security level; `DEFAULT` at the start stands for
//! `ALL:!COMPLEMENTOFDEFAULT:!eNULL`. Aliases for algorithms ferrotls does not implement
//! (`DHE`, `aNULL`, `CAMELLIA`, ...) and unknown words match nothing, as in OpenSSL. IANA names
//! (`TLS_RSA_WITH_AES_128_CBC_SHA`) are accepted too, which OpenSSL does not do.
//!
//! Every alias is a question about a suite's metadata (`crypto::Tls12CipherSuite`), never about
//! its name. The starting order is OpenSSL's own (`ssl_create_cipher_list`: ECDHE before the
//! rest, ECDSA before RSA, AEAD first, stronger first, TLS 1.2 suites first), computed by the
//! same rules over our suites, so new suites fall into place without a hand-kept table.
//! `tests/openssl_ciphers.rs` compares the result with `openssl ciphers -V` for many strings.

use crate::crypto::{
    AuthenticationAlgorithm as Au, BulkAlgorithm as Bulk, KeyExchangeAlgorithm as Kx, MacAlgorithm as Mac,
    RecordShape, Tls12CipherSuite,
};
use crate::enums::ProtocolVersion;

/// `DEFAULT`, the string `SSL_CTX_new` starts from.
pub const DEFAULT: &str = "DEFAULT";

/// OpenSSL 3.0's expansion of `DEFAULT` (`OSSL_default_cipher_list`).
const DEFAULT_EXPANSION: &str = "ALL:!COMPLEMENTOFDEFAULT:!eNULL";

/// The result of parsing a cipher string.
#[derive(Clone, Debug, PartialEq)]
pub struct CipherList {
    /// Suites in preference order.
    pub suites: Vec<&'static Tls12CipherSuite>,
    /// `@SECLEVEL=n`, if given.
    pub security_level: Option<i32>,
}

/// The suites the OpenSSL layer chooses from: the process-wide provider's.
fn available() -> &'static [&'static Tls12CipherSuite] {
    crate::config::default_provider().cipher_suites
}

/// The lowest version OpenSSL files a suite under (`SSL_CIPHER_get_version`, the `SSLv3`,
/// `TLSv1` and `TLSv1.2` aliases): suites with a SHA-2 MAC or an AEAD are TLS 1.2's; of the
/// rest, those with RSA key exchange date from SSL 3.0 and the ECDHE ones from TLS 1.0
/// (RFC 4492).
pub fn openssl_min_version(s: &Tls12CipherSuite) -> ProtocolVersion {
    match (s.mac, s.kx) {
        (Mac::HmacSha256 | Mac::HmacSha384 | Mac::Aead, _) => ProtocolVersion::TLSv1_2,
        (_, Kx::Rsa) => ProtocolVersion::SSLv3,
        (_, Kx::Ecdhe) => ProtocolVersion::TLSv1_0,
    }
}

/// One line of `openssl ciphers -v` / `SSL_CIPHER_description`.
pub fn description(s: &Tls12CipherSuite) -> String {
    let kx = match s.kx {
        Kx::Rsa => "RSA",
        Kx::Ecdhe => "ECDH",
    };
    let au = match s.auth {
        Au::Rsa => "RSA",
        Au::Ecdsa => "ECDSA",
    };
    let enc = match s.bulk {
        Bulk::Aes128Cbc => "AES(128)",
        Bulk::Aes256Cbc => "AES(256)",
        Bulk::TripleDesCbc => "3DES(168)",
        Bulk::Rc4_128 => "RC4(128)",
        Bulk::Aes128Gcm => "AESGCM(128)",
        Bulk::Aes256Gcm => "AESGCM(256)",
        Bulk::ChaCha20Poly1305 => "CHACHA20/POLY1305(256)",
    };
    let mac = match s.mac {
        Mac::HmacMd5 => "MD5",
        Mac::HmacSha1 => "SHA1",
        Mac::HmacSha256 => "SHA256",
        Mac::HmacSha384 => "SHA384",
        Mac::Aead => "AEAD",
    };
    format!(
        "{:<30} {:<7} Kx={:<8} Au={:<5} Enc={:<22} Mac={:<4}\n",
        s.openssl_name,
        openssl_min_version(s).openssl_name(),
        kx,
        au,
        enc,
        mac
    )
}

/// One line of `openssl ciphers -v` for a TLS 1.3 suite: key exchange and authentication are
/// not part of it (`any`), the MAC is the AEAD.
pub fn description13(s: &crate::crypto::Tls13CipherSuite) -> String {
    let enc = match s.bulk {
        Bulk::Aes128Gcm => "AESGCM(128)",
        Bulk::Aes256Gcm => "AESGCM(256)",
        _ => "CHACHA20/POLY1305(256)",
    };
    format!(
        "{:<30} {:<7} Kx={:<8} Au={:<5} Enc={:<22} Mac={:<4}\n",
        s.openssl_name, "TLSv1.3", "any", "any", enc, "AEAD"
    )
}

/// OpenSSL's `HIGH`/`MEDIUM` classes: 3DES and RC4 are MEDIUM and not in DEFAULT.
fn is_medium(s: &Tls12CipherSuite) -> bool {
    matches!(s.bulk, Bulk::TripleDesCbc | Bulk::Rc4_128)
}

/// Whether `s` matches one alias or cipher name; `None` for words OpenSSL does not know.
fn alias_matches(word: &str, s: &Tls12CipherSuite) -> Option<bool> {
    let aes128 = matches!(s.bulk, Bulk::Aes128Cbc | Bulk::Aes128Gcm);
    let aes256 = matches!(s.bulk, Bulk::Aes256Cbc | Bulk::Aes256Gcm);
    let min = openssl_min_version(s);
    Some(match word {
        "ALL" => true,
        "COMPLEMENTOFDEFAULT" => is_medium(s),
        "HIGH" => !is_medium(s),
        "MEDIUM" => is_medium(s),
        // FIPS 140 approves AES and 3DES, not ChaCha20 or RC4.
        "FIPS" => !matches!(s.bulk, Bulk::ChaCha20Poly1305 | Bulk::Rc4_128),
        "RSA" | "kRSA" => s.kx == Kx::Rsa,
        "ECDHE" | "EECDH" | "kECDHE" | "kEECDH" | "ECDH" => s.kx == Kx::Ecdhe,
        "aRSA" => s.auth == Au::Rsa,
        "ECDSA" | "aECDSA" => s.auth == Au::Ecdsa,
        "AES" => aes128 || aes256,
        "AES128" => aes128,
        "AES256" => aes256,
        "AESGCM" => matches!(s.bulk, Bulk::Aes128Gcm | Bulk::Aes256Gcm),
        "CHACHA20" => s.bulk == Bulk::ChaCha20Poly1305,
        "3DES" => s.bulk == Bulk::TripleDesCbc,
        "RC4" => s.bulk == Bulk::Rc4_128,
        "MD5" => s.mac == Mac::HmacMd5,
        "SHA1" | "SHA" => s.mac == Mac::HmacSha1,
        "SHA256" => s.mac == Mac::HmacSha256,
        "SHA384" => s.mac == Mac::HmacSha384,
        "SSLv3" => min == ProtocolVersion::SSLv3,
        "TLSv1" | "TLSv1.0" => min == ProtocolVersion::TLSv1_0,
        "TLSv1.2" => min == ProtocolVersion::TLSv1_2,
        // Aliases OpenSSL knows for what ferrotls does not implement: valid, matching nothing.
        "COMPLEMENTOFALL" | "eNULL" | "NULL" | "aNULL" | "LOW" | "ADH" | "AECDH" | "DH" | "DHE" | "EDH"
        | "kDHE" | "kEDH" | "kDHr" | "kDHd" | "kDH" | "PSK" | "kPSK" | "aPSK" | "kRSAPSK" | "kDHEPSK"
        | "kECDHEPSK" | "RSAPSK" | "DHEPSK" | "ECDHEPSK" | "SRP" | "kSRP" | "aSRP" | "DSS" | "aDSS"
        | "aDH" | "aECDH" | "kGOST" | "aGOST" | "aGOST01" | "aGOST12" | "GOST" | "GOST94" | "GOST89MAC"
        | "AESCCM" | "AESCCM8" | "CAMELLIA" | "CAMELLIA128" | "CAMELLIA256" | "ARIA" | "ARIA128"
        | "ARIA256" | "ARIAGCM" | "CHACHA20POLY1305" | "SEED" | "IDEA" | "DES" | "RC2" | "SUITEB128"
        | "SUITEB128ONLY" | "SUITEB128C2" | "SUITEB192" => false,
        name => {
            if s.openssl_name == name || s.iana_name.eq_ignore_ascii_case(name) {
                true
            } else if available()
                .iter()
                .any(|a| a.openssl_name == name || a.iana_name.eq_ignore_ascii_case(name))
            {
                false
            } else {
                return None;
            }
        }
    })
}

/// What an element does to the list (OpenSSL's CIPHER_ADD, _ORD, _DEL, _KILL and the
/// internal CIPHER_BUMP).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    Add,
    Ord,
    Del,
    Kill,
    Bump,
}

/// OpenSSL's working list: every available suite, in order, each active or not; killed
/// suites leave the list.
struct Working {
    list: Vec<(&'static Tls12CipherSuite, bool)>,
}

impl Working {
    /// Applies `rule` to the suites `pick` selects, visiting each suite once in the list's
    /// order at the start (from the end for Del and Bump, which move suites to the front, so
    /// their relative order survives), as `ssl_cipher_apply_rule` does.
    fn apply(&mut self, rule: Rule, pick: impl Fn(&Tls12CipherSuite) -> bool) {
        let mut order: Vec<&'static Tls12CipherSuite> = self.list.iter().map(|(s, _)| *s).collect();
        if matches!(rule, Rule::Del | Rule::Bump) {
            order.reverse();
        }
        for suite in order {
            if !pick(suite) {
                continue;
            }
            let Some(i) = self.list.iter().position(|(s, _)| *s == suite) else { continue };
            let (s, active) = self.list[i];
            match rule {
                Rule::Add if !active => {
                    self.list.remove(i);
                    self.list.push((s, true));
                }
                Rule::Ord if active => {
                    self.list.remove(i);
                    self.list.push((s, true));
                }
                Rule::Del if active => {
                    self.list.remove(i);
                    self.list.insert(0, (s, false));
                }
                Rule::Bump if active => {
                    self.list.remove(i);
                    self.list.insert(0, (s, true));
                }
                Rule::Kill => {
                    self.list.remove(i);
                }
                _ => {}
            }
        }
    }

    /// `@STRENGTH` (`ssl_cipher_strength_sort`): the active suites, strongest first, keeping
    /// the order within each strength.
    fn sort_by_strength(&mut self) {
        let mut strengths: Vec<u16> = self.list.iter().filter(|(_, a)| *a).map(|(s, _)| s.bits()).collect();
        strengths.sort_unstable_by(|a, b| b.cmp(a));
        strengths.dedup();
        for bits in strengths {
            self.apply(Rule::Ord, |s| s.bits() == bits);
        }
    }

    fn active(&self) -> Vec<&'static Tls12CipherSuite> {
        self.list.iter().filter(|(_, a)| *a).map(|(s, _)| *s).collect()
    }
}

/// OpenSSL 3.0's preference order (`ssl_create_cipher_list`, before the rule string), over
/// `suites`; every suite inactive, so the string's first `ALL` lists them in this order.
fn preference_order(suites: &[&'static Tls12CipherSuite]) -> Working {
    let mut w = Working { list: suites.iter().map(|s| (*s, false)).collect() };
    let aead = |s: &Tls12CipherSuite| s.record_shape() == RecordShape::Aead;
    let ecdhe = |s: &Tls12CipherSuite| s.kx == Kx::Ecdhe;
    // Ephemeral ECDH first, ECDSA before RSA.
    w.apply(Rule::Add, |s| ecdhe(s) && s.auth == Au::Ecdsa);
    w.apply(Rule::Add, ecdhe);
    w.apply(Rule::Del, ecdhe);
    // GCM before ChaCha20, then AES, then the rest.
    w.apply(Rule::Add, |s| matches!(s.bulk, Bulk::Aes128Gcm | Bulk::Aes256Gcm));
    w.apply(Rule::Add, |s| s.bulk == Bulk::ChaCha20Poly1305);
    w.apply(Rule::Add, |s| matches!(s.bulk, Bulk::Aes128Cbc | Bulk::Aes256Cbc));
    w.apply(Rule::Add, |_| true);
    // MD5, RSA key exchange and RC4 to the end, in that order.
    w.apply(Rule::Ord, |s| s.mac == Mac::HmacMd5);
    w.apply(Rule::Ord, |s| s.kx == Kx::Rsa);
    w.apply(Rule::Ord, |s| s.bulk == Bulk::Rc4_128);
    w.sort_by_strength();
    // TLS 1.2 suites first; then (EC)DHE + AEAD > (EC)DHE > AEAD > the rest.
    w.apply(Rule::Bump, |s| openssl_min_version(s) == ProtocolVersion::TLSv1_2);
    w.apply(Rule::Bump, aead);
    w.apply(Rule::Bump, ecdhe);
    w.apply(Rule::Bump, |s| ecdhe(s) && aead(s));
    w.apply(Rule::Del, |_| true);
    w
}

/// Every suite in OpenSSL's preference order (what `ALL` selects).
pub fn base_order() -> Vec<&'static Tls12CipherSuite> {
    let mut w = preference_order(available());
    w.apply(Rule::Add, |_| true);
    w.active()
}

/// True for the characters OpenSSL allows in a cipher or alias name.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=')
}

/// Applies one rule string to `w`; returns the `@SECLEVEL` it set, if any.
fn process(w: &mut Working, list: &str, security_level: &mut Option<i32>) -> Result<(), &'static str> {
    for element in list.split([':', ',', ' ', ';']).filter(|e| !e.is_empty()) {
        if let Some(cmd) = element.strip_prefix('@') {
            if cmd == "STRENGTH" {
                w.sort_by_strength();
            } else if let Some(n) = cmd.strip_prefix("SECLEVEL=") {
                let n: i32 = n.parse().map_err(|_| "bad @SECLEVEL value")?;
                if !(0..=5).contains(&n) {
                    return Err("bad @SECLEVEL value");
                }
                *security_level = Some(n);
            } else {
                return Err("unknown @ command");
            }
            continue;
        }
        let (rule, selector) = match element.as_bytes()[0] {
            b'!' => (Rule::Kill, &element[1..]),
            b'-' => (Rule::Del, &element[1..]),
            b'+' => (Rule::Ord, &element[1..]),
            _ => (Rule::Add, element),
        };
        let words: Vec<&str> = selector.split('+').collect();
        if words.iter().any(|w| w.is_empty() || !w.chars().all(is_name_char)) {
            return Err("invalid command");
        }
        // `AES+SHA1`: every word must match. A word OpenSSL does not know voids the element.
        let all_known =
            available().first().is_none_or(|s| words.iter().all(|w| alias_matches(w, s).is_some()));
        if !all_known {
            continue;
        }
        w.apply(rule, |s| words.iter().all(|word| alias_matches(word, s) == Some(true)));
    }
    Ok(())
}

/// Parses `list`. `Err` carries the reason for `SSL_R_NO_CIPHER_MATCH` / `SSL_R_INVALID_COMMAND`.
pub fn parse(list: &str) -> Result<CipherList, &'static str> {
    let mut w = preference_order(available());
    let mut security_level = None;
    // ssl_create_cipher_list: a string starting with DEFAULT starts from OpenSSL's default.
    let rest = match list.strip_prefix("DEFAULT") {
        Some(rest) => {
            process(&mut w, DEFAULT_EXPANSION, &mut security_level)?;
            rest
        }
        None => list,
    };
    process(&mut w, rest, &mut security_level)?;
    let suites = w.active();
    if suites.is_empty() {
        return Err("no cipher match");
    }
    Ok(CipherList { suites, security_level })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &str) -> Vec<&'static str> {
        parse(list).unwrap().suites.iter().map(|s| s.openssl_name).collect()
    }

    #[test]
    fn aliases_and_operators_follow_openssl() {
        // What `openssl ciphers -s -tls1_2 STRING` lists, restricted to the suites we have.
        assert_eq!(
            names("DEFAULT"),
            [
                "ECDHE-ECDSA-AES256-GCM-SHA384",
                "ECDHE-RSA-AES256-GCM-SHA384",
                "ECDHE-ECDSA-CHACHA20-POLY1305",
                "ECDHE-RSA-CHACHA20-POLY1305",
                "ECDHE-ECDSA-AES128-GCM-SHA256",
                "ECDHE-RSA-AES128-GCM-SHA256",
                "ECDHE-ECDSA-AES256-SHA384",
                "ECDHE-RSA-AES256-SHA384",
                "ECDHE-ECDSA-AES128-SHA256",
                "ECDHE-RSA-AES128-SHA256",
                "ECDHE-ECDSA-AES256-SHA",
                "ECDHE-RSA-AES256-SHA",
                "ECDHE-ECDSA-AES128-SHA",
                "ECDHE-RSA-AES128-SHA",
                "AES256-GCM-SHA384",
                "AES128-GCM-SHA256",
                "AES256-SHA256",
                "AES128-SHA256",
                "AES256-SHA",
                "AES128-SHA"
            ]
        );
        assert_eq!(
            names("ALL:@STRENGTH")[8..12],
            ["AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA", "ECDHE-ECDSA-AES128-GCM-SHA256"]
        );
        assert_eq!(
            names("AES:+SHA256")[12..],
            [
                "AES256-SHA",
                "AES128-SHA",
                "ECDHE-ECDSA-AES128-SHA256",
                "ECDHE-RSA-AES128-SHA256",
                "AES256-SHA256",
                "AES128-SHA256"
            ]
        );
        assert_eq!(names("ALL:!RC4:!3DES"), names("DEFAULT"));
        assert_eq!(names("AES128-SHA:-ALL:AES256-SHA"), ["AES256-SHA"]);
        assert_eq!(names("!AES128-SHA:ALL:AES128-SHA")[..19], names("DEFAULT")[..19]);
        assert_eq!(
            names("AES+SHA1"),
            [
                "ECDHE-ECDSA-AES256-SHA",
                "ECDHE-RSA-AES256-SHA",
                "ECDHE-ECDSA-AES128-SHA",
                "ECDHE-RSA-AES128-SHA",
                "AES256-SHA",
                "AES128-SHA"
            ]
        );
        assert_eq!(names("TLS_RSA_WITH_AES_128_CBC_SHA"), ["AES128-SHA"]);
        assert_eq!(names("SSLv3+AES"), ["AES256-SHA", "AES128-SHA"]);
        assert_eq!(
            names("kRSA+TLSv1.2"),
            ["AES256-GCM-SHA384", "AES128-GCM-SHA256", "AES256-SHA256", "AES128-SHA256"]
        );
    }

    #[test]
    fn the_legacy_suites_sort_by_strength_after_the_others() {
        // RC4's 128 bits outrank 3DES's 112 in OpenSSL's strength sort; RC4-MD5 comes last
        // among equals.
        assert_eq!(names("MEDIUM"), ["RC4-SHA", "RC4-MD5", "DES-CBC3-SHA"]);
        assert_eq!(names("COMPLEMENTOFDEFAULT"), names("MEDIUM"));
    }

    #[test]
    fn seclevel_is_read_and_empty_or_malformed_results_are_refused() {
        assert_eq!(parse("AES128-SHA:@SECLEVEL=0").unwrap().security_level, Some(0));
        assert!(parse("DHE-RSA-AES128-GCM-SHA256").is_err());
        assert!(parse("eNULL").is_err());
        assert!(parse("ALL:@SECLEVEL=x").is_err());
        assert!(parse("ALL:@FOO").is_err());
        assert!(parse("AES128-SHA:ALL$").is_err());
        // Unknown words, and DEFAULT anywhere but at the start, select nothing.
        assert_eq!(names("FOO:AES128-SHA:DEFAULT"), ["AES128-SHA"]);
        assert_eq!(names("AES128-SHA:FOO+SHA1"), ["AES128-SHA"]);
        // OpenSSL names are case-sensitive.
        assert!(parse("aes128-sha").is_err());
    }

    #[test]
    fn descriptions_read_the_suite_metadata() {
        let all = base_order();
        let line = |name: &str| description(all.iter().find(|s| s.openssl_name == name).unwrap());
        assert_eq!(
            line("AES128-SHA"),
            "AES128-SHA                     SSLv3   Kx=RSA      Au=RSA   Enc=AES(128)               Mac=SHA1\n"
        );
        assert_eq!(
            line("AES256-SHA256"),
            "AES256-SHA256                  TLSv1.2 Kx=RSA      Au=RSA   Enc=AES(256)               Mac=SHA256\n"
        );
        assert!(line("DES-CBC3-SHA").contains("Enc=3DES(168)"));
        assert!(line("RC4-MD5").contains("Mac=MD5 "));
    }
}
