//! Randomness from the operating system through `getrandom`.

use crate::crypto::{GetRandomFailed, SecureRandom};

/// The operating system's random source (`getrandom(2)`, `/dev/urandom`, `BCryptGenRandom`...).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemRandom;

/// The [`SystemRandom`] instance the default provider uses.
pub static SYSTEM_RANDOM: SystemRandom = SystemRandom;

impl SecureRandom for SystemRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        getrandom::fill(buf).map_err(|_| GetRandomFailed)
    }
}

/// An `rsa`-crate compatible RNG over the same source (blinding, PKCS#1 v1.5 encryption padding).
pub(crate) fn rsa_rng() -> getrandom::SysRng {
    getrandom::SysRng
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_random_fills_the_whole_buffer() {
        // 64 zero bytes in a row from a working RNG has probability 2^-512.
        let mut buf = [0u8; 64];
        SYSTEM_RANDOM.fill(&mut buf).unwrap();
        assert_ne!(buf, [0u8; 64]);
    }

    #[test]
    fn system_random_gives_different_outputs() {
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        SYSTEM_RANDOM.fill(&mut a).unwrap();
        SYSTEM_RANDOM.fill(&mut b).unwrap();
        assert_ne!(a, b);
    }
}
