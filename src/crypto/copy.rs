//! Record-sized byte copies (a record's plaintext into the output buffer, received bytes into
//! the deframer, plaintext in and out of the receive buffer), done in 2 KiB pieces.
//!
//! Why: glibc's `memcpy` moves copies from 4–8 KiB up (its `rep_movsb_threshold`) with
//! `rep movsb`, and on the bench machine (AMD EPYC Zen 4 under a hypervisor, glibc 2.36) that
//! runs at 0.5–1.5 GB/s for some relative alignments of source and destination (a record body
//! sits 5 or 13 bytes into the deframer's buffer) against 15–60 GB/s otherwise; a profile of
//! the 16 KiB bulk rows had a third of ferrotls' time in one such copy. Pieces below the
//! threshold take glibc's vector loop, which runs at 25–60 GB/s at every alignment (measured
//! with a 16 KiB copy loop on that machine), and cost nothing measurable elsewhere.

/// Below glibc's smallest `rep_movsb_threshold` (2048 × vector size / 16 bytes, so at least
/// 4096 with AVX2; SSE2-only machines use 2048 and `>=`, so a 2048-byte piece may still take
/// `rep movsb` there, as before).
const PIECE: usize = 2048;

/// `dst.copy_from_slice(src)` in pieces; the lengths must match.
pub(crate) fn copy(dst: &mut [u8], src: &[u8]) {
    assert_eq!(dst.len(), src.len(), "copy: lengths differ");
    for (d, s) in dst.chunks_mut(PIECE).zip(src.chunks(PIECE)) {
        d.copy_from_slice(s);
    }
}

/// `out.extend_from_slice(src)` in pieces (one reservation).
pub(crate) fn extend(out: &mut Vec<u8>, src: &[u8]) {
    out.reserve(src.len());
    for piece in src.chunks(PIECE) {
        out.extend_from_slice(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_and_extends_every_byte_at_every_size_around_the_piece() {
        for len in [0, 1, PIECE - 1, PIECE, PIECE + 1, 3 * PIECE + 7, 16384 + 256] {
            let src: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let mut dst = vec![0u8; len];
            copy(&mut dst, &src);
            assert_eq!(dst, src);
            let mut out = vec![9u8; 5];
            extend(&mut out, &src);
            assert_eq!(&out[..5], &[9; 5]);
            assert_eq!(&out[5..], &src[..]);
        }
    }

    #[test]
    #[should_panic(expected = "lengths differ")]
    fn copy_refuses_different_lengths() {
        copy(&mut [0u8; 3], &[1u8; 4]);
    }
}
