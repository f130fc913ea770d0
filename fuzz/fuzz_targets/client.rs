//! Fuzz target `client`: see `ferrotls_fuzz::client` (fuzz/src/lib.rs) for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ferrotls_fuzz::client(data));
