//! Randomness.

/// The system's random source failed; TLS cannot continue safely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetRandomFailed;

/// A cryptographically secure random source.
pub trait SecureRandom: Send + Sync {
    /// Fills `buf` with random bytes.
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed>;
}
