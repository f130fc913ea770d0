//! Fuzz target `ticket`: see `ferrotls_fuzz::ticket` (fuzz/src/lib.rs) for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ferrotls_fuzz::ticket(data));
