//! Randomness from aws-lc's `RAND_bytes`: a CTR-DRBG in user space, seeded from the operating
//! system and reseeded on fork (and VM snapshot, where the platform tells), as rustls' aws-lc
//! provider uses. A handshake needs a few small random values (hello randoms, session IDs,
//! nonces, blinding); one `getrandom(2)` system call for each was ~5% of a resumed handshake's
//! time in a profile.
#![forbid(unsafe_code)]

use crate::crypto::{GetRandomFailed, SecureRandom};

/// aws-lc's random generator.
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsLcRandom;

/// The [`AwsLcRandom`] instance the aws-lc provider uses.
pub static AWS_LC_RANDOM: AwsLcRandom = AwsLcRandom;

impl SecureRandom for AwsLcRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        aws_lc_rs::rand::fill(buf).map_err(|_| GetRandomFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_whole_buffer_with_different_outputs() {
        // 64 zero bytes, or two equal 32-byte outputs, from a working DRBG: probability 2^-256.
        let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
        AWS_LC_RANDOM.fill(&mut a).unwrap();
        AWS_LC_RANDOM.fill(&mut b).unwrap();
        assert_ne!(a, [0u8; 64]);
        assert_ne!(a[32..], [0u8; 32]);
        assert_ne!(a, b);
    }
}
