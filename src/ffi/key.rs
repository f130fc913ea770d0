//! `ferrotls_private_key`: a server's (and, with mutual authentication, a client's) private key.

use super::cert::read_file;
use super::result::{ferrotls_result, Failure};
use crate::x509::{private_key_from_pem_or_der, private_key_from_pem_with_password, PrivateKeyDer};
use libc::{c_char, size_t};

/// A private key (RSA, ECDSA P-256/P-384 or Ed25519; PKCS#8, PKCS#1 `RSA PRIVATE KEY` or SEC 1
/// `EC PRIVATE KEY`; PEM or DER), held until `ferrotls_private_key_free`.
/// The key bytes are not readable back through the API. Immutable once made.
///
/// Encrypted PKCS#8 keys (`ENCRYPTED PRIVATE KEY`) need
/// `ferrotls_private_key_from_pem_with_password`; the other constructors refuse them with
/// `FERROTLS_PEM_ENCRYPTED_KEY`.
pub struct ferrotls_private_key {
    key: PrivateKeyDer<'static>,
}

impl ferrotls_private_key {
    pub(crate) fn key(&self) -> PrivateKeyDer<'static> {
        self.key.clone_key()
    }
}

/// Loads the first private key from PEM text (or a DER key). On success `*key_out` is a new
/// handle (free it with `ferrotls_private_key_free`). The key is checked against a
/// certificate when a server configuration is built.
#[no_mangle]
pub extern "C" fn ferrotls_private_key_from_pem(
    pem: *const u8,
    pem_len: size_t,
    key_out: *mut *mut ferrotls_private_key,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(key_out);
        let pem = try_slice!(pem, pem_len, None);
        let key = try_ok!(private_key_from_pem_or_der(pem), None);
        out.write(super::handle::into_raw(ferrotls_private_key { key }));
        ferrotls_result::FERROTLS_OK
    }
}

/// Like `ferrotls_private_key_from_pem`, reading the file at `path`. Fails with
/// `FERROTLS_IO_FILE` when it cannot be read.
#[no_mangle]
pub extern "C" fn ferrotls_private_key_from_file(
    path: *const c_char,
    key_out: *mut *mut ferrotls_private_key,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(key_out);
        let path = try_str!(path, None);
        let bytes = try_ok!(read_file(path), None);
        let key = try_ok!(
            private_key_from_pem_or_der(&bytes).map_err(|e| {
                let f = Failure::from(e);
                Failure::new(f.code, format!("{path}: {}", f.message))
            }),
            None
        );
        out.write(super::handle::into_raw(ferrotls_private_key { key }));
        ferrotls_result::FERROTLS_OK
    }
}

/// Like `ferrotls_private_key_from_pem`, decrypting an encrypted PKCS#8 key (`ENCRYPTED
/// PRIVATE KEY`, e.g. `openssl pkcs8 -topk8 -v2 aes-256-cbc`) with `password` (`password_len`
/// bytes, not NUL-terminated; 0 is an empty password). An unencrypted key loads as with
/// `ferrotls_private_key_from_pem`, ignoring the password. A wrong password (or a damaged key)
/// fails with `FERROTLS_PEM_DECRYPT_FAILED`. `password` is only read during the call.
#[no_mangle]
pub extern "C" fn ferrotls_private_key_from_pem_with_password(
    pem: *const u8,
    len: size_t,
    password: *const u8,
    password_len: size_t,
    key_out: *mut *mut ferrotls_private_key,
) -> ferrotls_result {
    ffi_boundary! {
        let out = try_out!(key_out);
        let pem = try_slice!(pem, len, None);
        let password = try_slice!(password, password_len, None);
        let key = try_ok!(
            private_key_from_pem_with_password(pem, password, crate::config::default_provider()),
            None
        );
        out.write(super::handle::into_raw(ferrotls_private_key { key }));
        ferrotls_result::FERROTLS_OK
    }
}

/// The kind of a private key (`ferrotls_private_key_type`), and so of the certificate it
/// belongs to.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ferrotls_key_type {
    /// Not a key the crypto provider can use (or a NULL handle).
    FERROTLS_KEY_TYPE_UNSUPPORTED = 0,
    /// RSA (`rsaEncryption`): RSA key exchange and RSA signatures.
    FERROTLS_KEY_TYPE_RSA = 1,
    /// ECDSA over P-256 (secp256r1, prime256v1).
    FERROTLS_KEY_TYPE_ECDSA_P256 = 2,
    /// ECDSA over P-384 (secp384r1).
    FERROTLS_KEY_TYPE_ECDSA_P384 = 3,
    /// Ed25519 (RFC 8032, RFC 8410).
    FERROTLS_KEY_TYPE_ED25519 = 4,
}

impl super::panic::FfiDefault for ferrotls_key_type {
    fn on_null() -> Self {
        Self::FERROTLS_KEY_TYPE_UNSUPPORTED
    }
    fn on_panic() -> Self {
        Self::FERROTLS_KEY_TYPE_UNSUPPORTED
    }
}

/// The type of `key` as the process-wide crypto provider loads it, or
/// `FERROTLS_KEY_TYPE_UNSUPPORTED` when that provider cannot use it (an EC key on another
/// curve, Ed448, DSA, ...) or `key` is NULL. Such a key is refused, with the reason, when a
/// configuration using it is built.
#[no_mangle]
pub extern "C" fn ferrotls_private_key_type(key: *const ferrotls_private_key) -> ferrotls_key_type {
    ffi_boundary! {
        let key = try_ref!(key);
        use crate::crypto::KeyType;
        match crate::config::default_provider().key_provider.load_private_key(key.key.secret_der()) {
            Ok(k) => match k.key_type() {
                KeyType::Rsa => ferrotls_key_type::FERROTLS_KEY_TYPE_RSA,
                KeyType::EcdsaP256 => ferrotls_key_type::FERROTLS_KEY_TYPE_ECDSA_P256,
                KeyType::EcdsaP384 => ferrotls_key_type::FERROTLS_KEY_TYPE_ECDSA_P384,
                KeyType::Ed25519 => ferrotls_key_type::FERROTLS_KEY_TYPE_ED25519,
            },
            Err(_) => ferrotls_key_type::FERROTLS_KEY_TYPE_UNSUPPORTED,
        }
    }
}

/// Frees a private key. NULL is a no-op.
#[no_mangle]
pub extern "C" fn ferrotls_private_key_free(key: *mut ferrotls_private_key) {
    ffi_boundary! {
        free_handle!(key)
    }
}
