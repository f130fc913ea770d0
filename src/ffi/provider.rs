//! Choosing the crypto provider from C: once per process, before the first configuration is
//! built (the Rust `CryptoProvider::install_default`, by name). Without a call, the built-in
//! default is used: aws-lc when the library was built with it (the default), else RustCrypto.

use crate::ffi::result::{ferrotls_result, Failure};
use libc::c_char;

/// Makes the built-in crypto provider called `name` (`"aws-lc"` or `"rustcrypto"`, ASCII case
/// ignored) the process-wide default. Call it before building any configuration (or loading
/// an encrypted key): the first provider used stays for the life of the process. Choosing the
/// one already in place again is `FERROTLS_OK`. `FERROTLS_INVALID_ARGUMENT` for a name this
/// build does not have (the message lists the ones it has), `FERROTLS_BAD_STATE` when another
/// provider is already in place; `FERROTLS_NULL_ARGUMENT` for NULL.
#[no_mangle]
pub extern "C" fn ferrotls_set_default_provider(name: *const c_char) -> ferrotls_result {
    ffi_boundary! {
        let name = try_str!(name, None);
        if crate::config::provider_by_name(name).is_none() {
            let msg = crate::config::install_default_provider_by_name(name).unwrap_err();
            return crate::ffi::result::report(Failure::new(ferrotls_result::FERROTLS_INVALID_ARGUMENT, msg), None);
        }
        match crate::config::install_default_provider_by_name(name) {
            Ok(()) => ferrotls_result::FERROTLS_OK,
            Err(msg) => crate::ffi::result::report(Failure::new(ferrotls_result::FERROTLS_BAD_STATE, msg), None),
        }
    }
}

/// The name of the process-wide crypto provider (`"aws-lc"` or `"rustcrypto"`; `"custom"` for a
/// provider a Rust caller installed): static, NUL-terminated, never NULL. Reading it fixes the
/// default, as building a configuration does.
#[no_mangle]
pub extern "C" fn ferrotls_default_provider_name() -> *const c_char {
    ffi_boundary! {
        let name = match crate::config::provider_name(crate::config::default_provider()) {
            Some("aws-lc") => "aws-lc\0",
            Some("rustcrypto") => "rustcrypto\0",
            _ => "custom\0",
        };
        name.as_ptr().cast()
    }
}
