//! OpenSSL's cipher-string grammar (`SSL_CTX_set_cipher_list`, ciphers(1)) over the suites
//! ferrotls implements.
//!
//! Elements are separated by `:`, `,` or spaces. An element is a cipher name or an alias
//! (`ALL`, `DEFAULT`, `HIGH`, `MEDIUM`, `AES`, `SHA1`, `kRSA`, ...), several joined with `+`
//! meaning "all of them" (`AES+SHA1`), optionally prefixed: none = append the matching suites
//! not yet listed, `+` = move the matching listed suites to the end, `-` = remove them (they
//! may come back), `!` = remove them for good. `@STRENGTH` sorts by key strength and
//! `@SECLEVEL=n` sets the security level. Aliases for things ferrotls does not implement
//! (`ECDHE`, `aNULL`, `CHACHA20`, ...) are valid and match nothing, as in a build of OpenSSL
//! without them; names nobody knows also match nothing, and a string that ends with no suite
//! at all is refused ("no cipher match").

use crate::crypto::Tls12CipherSuite;
use crate::enums::{CipherSuite, ProtocolVersion};
use crate::suites as p;

/// OpenSSL's base order for `ALL` (strongest first, then the SHA-256 MACs, as OpenSSL 3 lists
/// them), followed by the legacy suites OpenSSL 3 no longer builds by default.
pub static BASE_ORDER: &[&Tls12CipherSuite] = &[
    &p::TLS_RSA_WITH_AES_256_CBC_SHA256,
    &p::TLS_RSA_WITH_AES_128_CBC_SHA256,
    &p::TLS_RSA_WITH_AES_256_CBC_SHA,
    &p::TLS_RSA_WITH_AES_128_CBC_SHA,
    &p::TLS_RSA_WITH_3DES_EDE_CBC_SHA,
    &p::TLS_RSA_WITH_RC4_128_SHA,
    &p::TLS_RSA_WITH_RC4_128_MD5,
];

/// `DEFAULT` as OpenSSL 3 expands it (`ALL:!COMPLEMENTOFDEFAULT:!eNULL`).
pub const DEFAULT: &str = "DEFAULT";

/// The result of parsing a cipher string.
#[derive(Clone, Debug, PartialEq)]
pub struct CipherList {
    /// Suites in preference order.
    pub suites: Vec<&'static Tls12CipherSuite>,
    /// `@SECLEVEL=n`, if given.
    pub security_level: Option<i32>,
}

fn is_legacy(s: &Tls12CipherSuite) -> bool {
    s.legacy
}

/// Whether `suite` matches one selector (a cipher name or an alias).
fn matches(sel: &str, s: &Tls12CipherSuite) -> Option<bool> {
    let sha1 = s.openssl_name.ends_with("-SHA");
    let sha256 = s.openssl_name.ends_with("-SHA256");
    Some(match sel {
        "ALL" | "RSA" | "kRSA" | "aRSA" => true,
        "DEFAULT" | "HIGH" => !is_legacy(s),
        "COMPLEMENTOFDEFAULT" | "MEDIUM" => is_legacy(s),
        "COMPLEMENTOFALL" | "LOW" | "EXPORT" | "eNULL" | "NULL" | "aNULL" | "ADH" | "AECDH" | "ECDHE"
        | "EECDH" | "kECDHE" | "kEECDH" | "ECDH" | "DHE" | "EDH" | "kDHE" | "kEDH" | "DH" | "PSK"
        | "kPSK" | "SRP" | "ECDSA" | "aECDSA" | "DSS" | "aDSS" | "AESGCM" | "AESCCM" | "AESCCM8"
        | "CHACHA20" | "CAMELLIA" | "ARIA" | "SEED" | "IDEA" | "DES" | "SHA384" | "GOST" | "TLSv1.3"
        | "SUITEB128" | "SUITEB192" | "FIPS" => false,
        "AES" => s.openssl_name.starts_with("AES"),
        "AES128" => s.openssl_name.starts_with("AES128"),
        "AES256" => s.openssl_name.starts_with("AES256"),
        "3DES" => s.openssl_name.starts_with("DES-CBC3"),
        "RC4" => s.openssl_name.starts_with("RC4"),
        "MD5" => s.openssl_name.ends_with("-MD5"),
        "SHA1" | "SHA" => sha1,
        "SHA256" => sha256,
        "SSLv3" | "TLSv1" | "TLSv1.0" => s.min_version <= ProtocolVersion::TLSv1_0,
        "TLSv1.2" => s.min_version == ProtocolVersion::TLSv1_2,
        name => {
            if s.openssl_name.eq_ignore_ascii_case(name) || s.iana_name.eq_ignore_ascii_case(name) {
                true
            } else {
                return None;
            }
        }
    })
}

fn selector_matches(element: &str, s: &Tls12CipherSuite) -> bool {
    // `AES+SHA1`: every part must match; a part that names a cipher this suite is not (or an
    // unknown word) matches nothing.
    element.split('+').filter(|p| !p.is_empty()).all(|part| matches(part, s).unwrap_or(false))
}

/// Parses `list`. `Err` carries the reason for `SSL_R_NO_CIPHER_MATCH` / `SSL_R_INVALID_COMMAND`.
pub fn parse(list: &str) -> Result<CipherList, &'static str> {
    let mut active: Vec<&'static Tls12CipherSuite> = Vec::new();
    let mut killed: Vec<CipherSuite> = Vec::new();
    let mut security_level = None;
    for element in list.split([':', ',', ' ', ';']).filter(|e| !e.is_empty()) {
        if let Some(cmd) = element.strip_prefix('@') {
            if cmd == "STRENGTH" {
                active.sort_by_key(|s| std::cmp::Reverse(s.bits));
            } else if let Some(n) = cmd.strip_prefix("SECLEVEL=") {
                let n: i32 = n.parse().map_err(|_| "bad @SECLEVEL value")?;
                if !(0..=5).contains(&n) {
                    return Err("bad @SECLEVEL value");
                }
                security_level = Some(n);
            } else {
                return Err("unknown @ command");
            }
            continue;
        }
        let (op, sel) = match element.as_bytes()[0] {
            b'!' => ('!', &element[1..]),
            b'-' => ('-', &element[1..]),
            b'+' => ('+', &element[1..]),
            _ => (' ', element),
        };
        let hits: Vec<&'static Tls12CipherSuite> =
            BASE_ORDER.iter().copied().filter(|s| selector_matches(sel, s)).collect();
        match op {
            '!' => {
                killed.extend(hits.iter().map(|s| s.id));
                active.retain(|s| !hits.contains(s));
            }
            '-' => active.retain(|s| !hits.contains(s)),
            '+' => {
                let (moved, kept): (Vec<_>, Vec<_>) = active.iter().partition(|s| hits.contains(s));
                active = kept;
                active.extend(moved);
            }
            _ => {
                for s in hits {
                    if !active.contains(&s) && !killed.contains(&s.id) {
                        active.push(s);
                    }
                }
            }
        }
    }
    if active.is_empty() {
        return Err("no cipher match");
    }
    Ok(CipherList { suites: active, security_level })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &str) -> Vec<&'static str> {
        parse(list).unwrap().suites.iter().map(|s| s.openssl_name).collect()
    }

    #[test]
    fn aliases_and_operators_follow_openssl() {
        assert_eq!(names("DEFAULT"), ["AES256-SHA256", "AES128-SHA256", "AES256-SHA", "AES128-SHA"]);
        assert_eq!(
            names("ALL:@STRENGTH")[..4],
            ["AES256-SHA256", "AES256-SHA", "AES128-SHA256", "AES128-SHA"]
        );
        assert_eq!(names("AES:+SHA256"), ["AES256-SHA", "AES128-SHA", "AES256-SHA256", "AES128-SHA256"]);
        assert_eq!(names("ALL:!RC4:!3DES"), names("DEFAULT"));
        assert_eq!(names("AES128-SHA:-ALL:AES256-SHA"), ["AES256-SHA"]);
        assert_eq!(
            names("!AES128-SHA:ALL:AES128-SHA")[..3],
            ["AES256-SHA256", "AES128-SHA256", "AES256-SHA"]
        );
        assert_eq!(names("AES+SHA1"), ["AES256-SHA", "AES128-SHA"]);
        assert_eq!(names("TLS_RSA_WITH_AES_128_CBC_SHA"), ["AES128-SHA"]);
    }

    #[test]
    fn seclevel_is_read_and_empty_results_are_refused() {
        assert_eq!(parse("AES128-SHA:@SECLEVEL=0").unwrap().security_level, Some(0));
        assert!(parse("ECDHE-RSA-AES128-GCM-SHA256").is_err());
        assert!(parse("eNULL").is_err());
        assert!(parse("ALL:@SECLEVEL=x").is_err());
    }
}
