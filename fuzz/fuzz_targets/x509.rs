//! Fuzz target `x509`: see `ferrotls_fuzz::x509` (fuzz/src/lib.rs) for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ferrotls_fuzz::x509(data));
