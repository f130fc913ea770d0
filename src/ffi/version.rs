//! The library version, from Cargo.toml. The header's `FERROTLS_VERSION_*` macros are written
//! from the same Cargo.toml by `make header`, and a C test checks that both agree.

use libc::c_char;

/// `CARGO_PKG_VERSION` with a terminating NUL, fixed at compile time.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version, e.g. `"0.1.0"`: static, NUL-terminated, never NULL. Compare it
/// with `FERROTLS_VERSION_STRING` to detect a header/library mismatch.
#[no_mangle]
pub extern "C" fn ferrotls_version() -> *const c_char {
    ffi_boundary! {
        VERSION.as_ptr().cast()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_string_is_nul_terminated_cargo_version() {
        assert_eq!(super::VERSION, format!("{}\0", env!("CARGO_PKG_VERSION")));
    }
}
