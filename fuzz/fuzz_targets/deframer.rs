//! Fuzz target `deframer`: see `ferrotls_fuzz::deframer` (fuzz/src/lib.rs) for what it covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ferrotls_fuzz::deframer(data));
