//! Certificates, keys, CRLs and trust stores from the file system.
//!
//! Outside the sans-IO core (like [`crate::stream`]): this module only reads files and
//! environment variables and hands the bytes to the `x509` loaders, which do all the parsing.
//!
//! Trust store locations follow OpenSSL, so that `SSL_CERT_FILE` / `SSL_CERT_DIR` set for other
//! programs work here too: a PEM bundle file and hashed directories (`c_rehash` / `openssl
//! rehash` layout: `<subject hash>.<n>` per certificate).

use std::path::{Path, PathBuf};

use crate::crypto::CryptoProvider;
use crate::error::Error;
use crate::x509::{self, CertificateDer, CertificateRevocationListDer, PrivateKeyDer, RootCertStore};

/// Bundle files the common distributions ship, in the order rustls-native-certs and Go's
/// crypto/x509 try them: Debian/Ubuntu/Gentoo/Arch, Fedora/RHEL 6, openSUSE, OpenELEC,
/// CentOS/RHEL 7, Alpine.
pub const DEFAULT_BUNDLE_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// The hashed directory used when no bundle file is found.
pub const DEFAULT_CERT_DIR: &str = "/etc/ssl/certs";

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))
}

/// The certificates in the PEM or DER file at `path`.
pub fn certs_from_file(path: impl AsRef<Path>) -> Result<Vec<CertificateDer<'static>>, Error> {
    let path = path.as_ref();
    x509::certs_from_pem_or_der(&read(path)?).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
}

/// The CRLs in the PEM or DER file at `path`.
pub fn crls_from_file(path: impl AsRef<Path>) -> Result<Vec<CertificateRevocationListDer<'static>>, Error> {
    let path = path.as_ref();
    x509::crls_from_pem_or_der(&read(path)?).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
}

/// The private key in the PEM or DER file at `path`; an encrypted PKCS#8 key is decrypted
/// with `password` through `provider` (without one it is refused as encrypted).
pub fn private_key_from_file(
    path: impl AsRef<Path>,
    password: Option<&[u8]>,
    provider: &CryptoProvider,
) -> Result<PrivateKeyDer<'static>, Error> {
    let path = path.as_ref();
    let bytes = read(path)?;
    x509::private_key_from_pem_with_password_callback(&bytes, || password.map(<[u8]>::to_vec), provider)
        .map_err(|e| Error::Config(format!("{}: {e}", path.display())))
}

/// A store trusting every usable certificate in the PEM bundle (or DER file) at `path`.
///
/// Entries webpki cannot use as anchors are skipped, as OpenSSL skips them; a file with no
/// usable certificate at all is an error.
pub fn root_store_from_file(path: impl AsRef<Path>) -> Result<RootCertStore, Error> {
    let mut store = RootCertStore::empty();
    add_file(&mut store, path.as_ref())?;
    Ok(store)
}

/// A store trusting the certificates of an OpenSSL hashed directory: every file named
/// `<8 hex digits>.<n>` (CRLs, `.r<n>`, and other files are ignored, so the `*.pem` links a
/// distribution keeps next to the hashes do not count twice).
pub fn root_store_from_hashed_dir(dir: impl AsRef<Path>) -> Result<RootCertStore, Error> {
    let mut store = RootCertStore::empty();
    add_hashed_dir(&mut store, dir.as_ref())?;
    if store.is_empty() {
        return Err(Error::Config(format!("{}: no certificates in hashed files", dir.as_ref().display())));
    }
    Ok(store)
}

/// The system's trust store and the files and directories it was read from.
///
/// `SSL_CERT_FILE` names the bundle and `SSL_CERT_DIR` a `:`-separated list of hashed
/// directories, as for OpenSSL; when unset, the first of [`DEFAULT_BUNDLE_FILES`] that exists is
/// used, or else [`DEFAULT_CERT_DIR`]. An empty result is an error: a client would trust nothing.
pub fn system_root_store() -> Result<(RootCertStore, Vec<PathBuf>), Error> {
    let file = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let dirs: Option<Vec<PathBuf>> =
        std::env::var_os("SSL_CERT_DIR").map(|v| std::env::split_paths(&v).collect());
    root_store_from_locations(file, dirs)
}

/// [`system_root_store`] with the two overrides given explicitly (`None`: the default).
pub fn root_store_from_locations(
    file: Option<PathBuf>,
    dirs: Option<Vec<PathBuf>>,
) -> Result<(RootCertStore, Vec<PathBuf>), Error> {
    let explicit = file.is_some() || dirs.is_some();
    let file = file.or_else(|| {
        if explicit {
            return None;
        }
        DEFAULT_BUNDLE_FILES.iter().map(PathBuf::from).find(|p| p.is_file())
    });
    let dirs = dirs.unwrap_or_else(|| match (&file, explicit) {
        (None, false) => vec![PathBuf::from(DEFAULT_CERT_DIR)],
        _ => Vec::new(),
    });
    let mut store = RootCertStore::empty();
    let mut used = Vec::new();
    if let Some(file) = file {
        add_file(&mut store, &file)?;
        used.push(file);
    }
    for dir in dirs {
        // A listed directory that does not exist is skipped, as OpenSSL's lookup skips it.
        if dir.is_dir() {
            add_hashed_dir(&mut store, &dir)?;
            used.push(dir);
        }
    }
    if store.is_empty() {
        return Err(Error::Config("no trusted certificates found in the system trust store".into()));
    }
    Ok((store, used))
}

fn add_file(store: &mut RootCertStore, path: &Path) -> Result<(), Error> {
    let certs = certs_from_file(path)?;
    let (added, _skipped) = store.add_parsable(&certs);
    if added == 0 {
        return Err(Error::Config(format!("{}: no usable CA certificates", path.display())));
    }
    Ok(())
}

fn add_hashed_dir(store: &mut RootCertStore, dir: &Path) -> Result<(), Error> {
    store.add_parsable(&hashed_dir_certificates(dir)?);
    Ok(())
}

/// Every certificate in the files of an OpenSSL hashed directory that carry `openssl rehash`
/// names (`<8 hex digits>.<n>`), in file-name order. Other files (the `*.pem` links a
/// distribution keeps next to the hashes, CRLs named `.r<n>`) are not read, as OpenSSL's
/// `CApath` lookup never opens them; an unreadable or unparsable entry costs that entry only.
pub fn hashed_dir_certificates(dir: impl AsRef<Path>) -> Result<Vec<CertificateDer<'static>>, Error> {
    let dir = dir.as_ref();
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error::Config(format!("cannot read {}: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.file_name().and_then(|n| n.to_str()).is_some_and(is_hashed_certificate_name))
        .collect();
    // Directory order is arbitrary; sorted order makes the store the same on every run.
    paths.sort();
    Ok(paths.iter().filter_map(|path| certs_from_file(path).ok()).flatten().collect())
}

/// `openssl rehash` names: 8 lowercase hex digits of the subject hash, a dot, a decimal counter.
fn is_hashed_certificate_name(name: &str) -> bool {
    let Some((hash, counter)) = name.split_once('.') else { return false };
    hash.len() == 8
        && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && !counter.is_empty()
        && counter.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_eight_hex_digits_a_dot_and_a_counter() {
        assert!(is_hashed_certificate_name("5d3a1b2c.0"));
        assert!(is_hashed_certificate_name("61d8b333.12"));
        assert!(!is_hashed_certificate_name("5d3a1b2c.r0"));
        assert!(!is_hashed_certificate_name("5D3A1B2C.0"));
        assert!(!is_hashed_certificate_name("ca-certificates.crt"));
        assert!(!is_hashed_certificate_name("5d3a1b2.0"));
        assert!(!is_hashed_certificate_name("5d3a1b2c."));
    }
}
