//! Link settings for the C library (libferrotls.so): the SONAME that `make install` builds its
//! symlink chain around. Only the `ferrotls_*` functions (src/ffi) and the OpenSSL-compatible
//! names (src/openssl/entry, listed in src/openssl/exports.txt) are exported: rustc gives a
//! cdylib a version script listing exactly its `#[no_mangle] pub extern "C"` items (checked by
//! `make c-symbols` with `nm -D --defined-only`).

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libferrotls.so.{}", env!("CARGO_PKG_VERSION_MAJOR"));
    println!("cargo:rerun-if-changed=build.rs");
}
