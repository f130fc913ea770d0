//! Fuzz target `messages`: see `ferrotls_fuzz::messages` (fuzz/src/lib.rs) for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ferrotls_fuzz::messages(data));
