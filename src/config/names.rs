//! Group and signature-scheme lists as people write them: OpenSSL's spellings
//! (`X25519:P-256:P-384`, `RSA-PSS+SHA256:ECDSA+SHA256`) and the IANA names (`x25519`,
//! `secp256r1`, `rsa_pss_rsae_sha256`). The `ferrotls` command, the C API, the OpenSSL layer
//! and the Python binding all parse through here, so one list means the same everywhere.

use crate::enums::{NamedGroup, SignatureScheme};
use crate::error::Error;

/// The groups named by `list` (`:`- or `,`-separated, case-insensitive), in order. An unknown
/// name is a configuration error that lists the names understood.
pub fn parse_group_list(list: &str) -> Result<Vec<NamedGroup>, Error> {
    split(list)
        .map(|name| {
            group_by_name(name).ok_or_else(|| {
                Error::Config(format!(
                    "unknown key exchange group '{name}' (use X25519, P-256 or P-384; \
                     IANA names x25519, secp256r1, secp384r1 also work)"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|groups| non_empty(groups, "group"))
}

/// One group by OpenSSL or IANA name.
pub fn group_by_name(name: &str) -> Option<NamedGroup> {
    Some(match name.to_ascii_lowercase().as_str() {
        "x25519" => NamedGroup::X25519,
        "p-256" | "prime256v1" | "secp256r1" => NamedGroup::Secp256r1,
        "p-384" | "secp384r1" => NamedGroup::Secp384r1,
        "p-521" | "secp521r1" => NamedGroup::Secp521r1,
        "x448" => NamedGroup::X448,
        "x25519mlkem768" => NamedGroup::X25519MLKEM768,
        _ => return None,
    })
}

/// The signature schemes named by `list`, in order: OpenSSL's `SIG+HASH` form (`RSA+SHA256`,
/// `RSA-PSS+SHA256` / `PSS+SHA256` (the rsae schemes, as OpenSSL maps them in TLS 1.2),
/// `ECDSA+SHA256`) or IANA names (`rsa_pss_rsae_sha256`, `ed25519`).
pub fn parse_signature_scheme_list(list: &str) -> Result<Vec<SignatureScheme>, Error> {
    split(list)
        .map(|name| {
            signature_scheme_by_name(name).ok_or_else(|| {
                Error::Config(format!(
                    "unknown signature scheme '{name}' (use OpenSSL's RSA+SHA256, RSA-PSS+SHA256, \
                     ECDSA+SHA256 or IANA names such as rsa_pss_rsae_sha256, ecdsa_secp256r1_sha256, ed25519)"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|schemes| non_empty(schemes, "signature scheme"))
}

/// One signature scheme by OpenSSL `SIG+HASH` or IANA name.
pub fn signature_scheme_by_name(name: &str) -> Option<SignatureScheme> {
    use SignatureScheme as S;
    let lower = name.to_ascii_lowercase();
    let by_iana = [
        S::RsaPkcs1Sha1,
        S::RsaPkcs1Sha256,
        S::RsaPkcs1Sha384,
        S::RsaPkcs1Sha512,
        S::EcdsaSha1Legacy,
        S::EcdsaSecp256r1Sha256,
        S::EcdsaSecp384r1Sha384,
        S::EcdsaSecp521r1Sha512,
        S::RsaPssRsaeSha256,
        S::RsaPssRsaeSha384,
        S::RsaPssRsaeSha512,
        S::Ed25519,
    ]
    .into_iter()
    .find(|s| s.name() == lower);
    if by_iana.is_some() {
        return by_iana;
    }
    let (sig, hash) = lower.split_once('+')?;
    Some(match (sig, hash) {
        ("rsa", "sha1") => S::RsaPkcs1Sha1,
        ("rsa", "sha256") => S::RsaPkcs1Sha256,
        ("rsa", "sha384") => S::RsaPkcs1Sha384,
        ("rsa", "sha512") => S::RsaPkcs1Sha512,
        ("rsa-pss" | "pss", "sha256") => S::RsaPssRsaeSha256,
        ("rsa-pss" | "pss", "sha384") => S::RsaPssRsaeSha384,
        ("rsa-pss" | "pss", "sha512") => S::RsaPssRsaeSha512,
        ("ecdsa", "sha1") => S::EcdsaSha1Legacy,
        ("ecdsa", "sha256") => S::EcdsaSecp256r1Sha256,
        ("ecdsa", "sha384") => S::EcdsaSecp384r1Sha384,
        ("ecdsa", "sha512") => S::EcdsaSecp521r1Sha512,
        _ => return None,
    })
}

fn split(list: &str) -> impl Iterator<Item = &str> {
    list.split([':', ',']).map(str::trim).filter(|s| !s.is_empty())
}

fn non_empty<T>(items: Vec<T>, what: &str) -> Result<Vec<T>, Error> {
    if items.is_empty() {
        return Err(Error::Config(format!("the {what} list is empty")));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_openssl_and_iana_names_in_order() {
        assert_eq!(
            parse_group_list("X25519:P-256:secp384r1").unwrap(),
            [NamedGroup::X25519, NamedGroup::Secp256r1, NamedGroup::Secp384r1]
        );
        assert_eq!(
            parse_group_list("prime256v1,x25519").unwrap(),
            [NamedGroup::Secp256r1, NamedGroup::X25519]
        );
        let e = parse_group_list("X25519:brainpoolP256r1").unwrap_err().to_string();
        assert!(e.contains("brainpoolP256r1") && e.contains("P-256"), "{e}");
        assert!(parse_group_list("").is_err());
    }

    #[test]
    fn schemes_by_openssl_and_iana_names_in_order() {
        use SignatureScheme as S;
        assert_eq!(
            parse_signature_scheme_list("RSA-PSS+SHA256:ECDSA+SHA384:rsa_pkcs1_sha256:ed25519").unwrap(),
            [S::RsaPssRsaeSha256, S::EcdsaSecp384r1Sha384, S::RsaPkcs1Sha256, S::Ed25519]
        );
        assert_eq!(parse_signature_scheme_list("RSA+SHA1").unwrap(), [S::RsaPkcs1Sha1]);
        assert!(parse_signature_scheme_list("RSA+MD5").unwrap_err().to_string().contains("RSA+MD5"));
    }
}
