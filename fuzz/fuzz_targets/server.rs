//! Fuzz target `server`: see `ferrotls_fuzz::server` (fuzz/src/lib.rs) for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ferrotls_fuzz::server(data));
