//! Wire encoding: a bounds-checked [`Reader`], the [`Codec`] trait every wire type implements,
//! and length-prefixed lists. No cryptography and no state live here.
#![forbid(unsafe_code)]

mod reader;

pub use reader::Reader;

/// A decoding failure: the bytes are not a valid encoding of the type asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidMessage {
    /// Fewer bytes than the type needs.
    MissingData(&'static str),
    /// Bytes left over after the type was read.
    TrailingData(&'static str),
    /// A value the type cannot hold.
    InvalidValue(&'static str),
    /// A length prefix exceeds what the protocol allows.
    TooLarge(&'static str),
}

/// A type with one wire encoding.
pub trait Codec<'a>: Sized {
    /// Appends the encoding of `self` to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Reads one value, advancing `r`.
    fn read(r: &mut Reader<'a>) -> Result<Self, InvalidMessage>;

    /// The encoding as a new vector.
    fn encoding(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Reads exactly one value from `bytes`; trailing bytes are an error.
    fn read_bytes(bytes: &'a [u8]) -> Result<Self, InvalidMessage> {
        let mut r = Reader::new(bytes);
        let v = Self::read(&mut r)?;
        r.expect_empty("trailing bytes")?;
        Ok(v)
    }
}

impl Codec<'_> for u8 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        Ok(r.take(1, "u8")?[0])
    }
}

impl Codec<'_> for u16 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_bytes());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let b = r.take(2, "u16")?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
}

/// A 24-bit length, as handshake headers and certificate lists use (RFC 5246 §7.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct U24(pub u32);

impl Codec<'_> for U24 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_be_bytes()[1..]);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        let b = r.take(3, "u24")?;
        Ok(Self(u32::from_be_bytes([0, b[0], b[1], b[2]])))
    }
}

/// How a vector's length is written before its body (RFC 5246 §4.3 `<floor..ceiling>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListLength {
    /// One length byte; the body may hold at most `max` bytes.
    U8 {
        /// Largest body length accepted.
        max: usize,
    },
    /// Two length bytes.
    U16 {
        /// Largest body length accepted.
        max: usize,
    },
    /// Three length bytes.
    U24 {
        /// Largest body length accepted.
        max: usize,
    },
}

impl ListLength {
    /// Writes a placeholder length, runs `body`, then patches the length in.
    ///
    /// A body longer than `max` (or than the prefix can count) is never written with a wrapped
    /// length, which would make the rest of the list parse as other fields: it is replaced by
    /// an empty list, so the message stays well framed and a peer sees an empty (and usually
    /// refused) list. Callers keep bodies within bounds where the contents come from
    /// configuration (checked when it is built, or trimmed, like CertificateRequest's CA
    /// names); [`Self::fits`] says whether a body length does.
    pub fn encode_with(self, out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
        let width = self.width();
        let start = out.len();
        out.extend_from_slice(&[0u8; 3][..width]);
        body(out);
        let mut len = out.len() - start - width;
        if !self.fits(len) {
            out.truncate(start + width);
            len = 0;
        }
        let be = (len as u32).to_be_bytes();
        out[start..start + width].copy_from_slice(&be[4 - width..]);
    }

    /// Whether a body of `len` bytes may be written: at most `max` and what the prefix counts.
    pub fn fits(self, len: usize) -> bool {
        let (max, width) = match self {
            Self::U8 { max } => (max, 1),
            Self::U16 { max } => (max, 2),
            Self::U24 { max } => (max, 3),
        };
        len <= max && len < 1 << (8 * width)
    }

    /// Reads the length prefix and returns a sub-reader over exactly the body.
    pub fn read<'a>(self, r: &mut Reader<'a>, what: &'static str) -> Result<Reader<'a>, InvalidMessage> {
        let (len, max) = match self {
            Self::U8 { max } => (u8::read(r)? as usize, max),
            Self::U16 { max } => (u16::read(r)? as usize, max),
            Self::U24 { max } => (U24::read(r)?.0 as usize, max),
        };
        if len > max {
            return Err(InvalidMessage::TooLarge(what));
        }
        Ok(Reader::new(r.take(len, what)?))
    }

    fn width(self) -> usize {
        match self {
            Self::U8 { .. } => 1,
            Self::U16 { .. } => 2,
            Self::U24 { .. } => 3,
        }
    }
}

/// Declares a `u8`- or `u16`-valued IANA registry as an enum with an `Unknown` variant, so that
/// unassigned values survive a read/encode round trip.
#[macro_export]
#[doc(hidden)]
macro_rules! iana_enum {
    ($(#[$m:meta])* pub enum $name:ident : $ty:ty { $($(#[$vm:meta])* $var:ident = $val:expr),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* $var,)*
            /// A value this version of ferrotls does not name.
            Unknown($ty),
        }
        impl From<$ty> for $name {
            fn from(v: $ty) -> Self {
                match v { $($val => Self::$var,)* other => Self::Unknown(other) }
            }
        }
        impl From<$name> for $ty {
            fn from(v: $name) -> $ty {
                match v { $($name::$var => $val,)* $name::Unknown(other) => other }
            }
        }
        impl $crate::codec::Codec<'_> for $name {
            fn encode(&self, out: &mut Vec<u8>) {
                <$ty>::from(*self).encode(out)
            }
            fn read(r: &mut $crate::codec::Reader<'_>) -> Result<Self, $crate::codec::InvalidMessage> {
                Ok(<$ty>::read(r)?.into())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_length_round_trips_and_enforces_its_ceiling() {
        let mut out = Vec::new();
        ListLength::U16 { max: 4 }.encode_with(&mut out, |o| o.extend_from_slice(&[1, 2, 3]));
        assert_eq!(out, [0, 3, 1, 2, 3]);
        let mut r = Reader::new(&out);
        let body = ListLength::U16 { max: 4 }.read(&mut r, "list").unwrap();
        assert_eq!(body.rest(), &[1, 2, 3]);
        let mut r = Reader::new(&out);
        assert_eq!(
            ListLength::U16 { max: 2 }.read(&mut r, "list").unwrap_err(),
            InvalidMessage::TooLarge("list")
        );
    }

    #[test]
    fn an_over_long_body_is_written_as_an_empty_list_never_with_a_wrapped_length() {
        // 70,000 bytes under a u16 prefix used to be written as 70,000 mod 65,536 = 4,464.
        let mut out = vec![9];
        ListLength::U16 { max: 0xffff }.encode_with(&mut out, |o| o.resize(o.len() + 70_000, 1));
        assert_eq!(out, [9, 0, 0]);
        // The declared maximum counts too, not only the prefix width.
        let mut out = Vec::new();
        ListLength::U8 { max: 2 }.encode_with(&mut out, |o| o.extend_from_slice(&[1, 2, 3]));
        assert_eq!(out, [0]);
        let mut out = Vec::new();
        ListLength::U8 { max: 0xff }.encode_with(&mut out, |o| o.resize(o.len() + 255, 7));
        assert_eq!(out.len(), 256);
        assert_eq!(out[0], 255);
        assert!(ListLength::U24 { max: 0xff_ffff }.fits(0xff_ffff));
        assert!(!ListLength::U24 { max: usize::MAX }.fits(1 << 24));
    }

    #[test]
    fn u24_round_trips_and_short_input_is_missing_data() {
        let v = U24(0x01_02_03);
        assert_eq!(U24::read_bytes(&v.encoding()).unwrap(), v);
        assert!(matches!(U24::read_bytes(&[1, 2]), Err(InvalidMessage::MissingData(_))));
        assert!(matches!(u16::read_bytes(&[1, 2, 3]), Err(InvalidMessage::TrailingData(_))));
    }
}
