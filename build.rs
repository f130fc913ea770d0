//! Link settings for the C library (libferrotls.so): the SONAME that `make install` builds its
//! symlink chain around. Only the `ferrotls_*` functions are exported: rustc gives a cdylib a
//! version script listing exactly its `#[no_mangle] pub extern "C"` items, and those live only
//! in src/ffi (checked by `make c-symbols` with `nm -D --defined-only`).

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libferrotls.so.{}", env!("CARGO_PKG_VERSION_MAJOR"));
    println!("cargo:rerun-if-changed=build.rs");
}
