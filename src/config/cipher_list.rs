//! Parses cipher suite lists: OpenSSL names (`AES128-SHA:DES-CBC3-SHA`) or IANA names
//! (`TLS_RSA_WITH_AES_128_CBC_SHA`), separated by `:`, `,` or spaces.

pub use crate::crypto::find_suite;
use crate::crypto::Tls12CipherSuite;
use crate::error::{Error, PolicyError};

/// Parses `list` into suites in the order given, without duplicates.
pub fn parse_cipher_list(
    available: &[&'static Tls12CipherSuite],
    list: &str,
) -> Result<Vec<&'static Tls12CipherSuite>, Error> {
    let mut out: Vec<&'static Tls12CipherSuite> = Vec::new();
    for name in list.split([':', ',', ' ']).filter(|n| !n.is_empty()) {
        let suite =
            find_suite(available, name).ok_or_else(|| PolicyError::UnknownCipherSuite(name.to_string()))?;
        if !out.contains(&suite) {
            out.push(suite);
        }
    }
    if out.is_empty() {
        return Err(PolicyError::EmptyCipherList.into());
    }
    Ok(out)
}
