//! Alert messages (RFC 5246 §7.2).

use super::enums::{AlertDescription, AlertLevel};
use crate::codec::{Codec, InvalidMessage, Reader};

/// An alert: two bytes, level then description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alert {
    /// warning or fatal.
    pub level: AlertLevel,
    /// What happened.
    pub description: AlertDescription,
}

impl Codec<'_> for Alert {
    fn encode(&self, out: &mut Vec<u8>) {
        self.level.encode(out);
        self.description.encode(out);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, InvalidMessage> {
        Ok(Self { level: AlertLevel::read(r)?, description: AlertDescription::read(r)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_round_trips_and_rejects_a_third_byte() {
        let a = Alert { level: AlertLevel::Fatal, description: AlertDescription::BadRecordMac };
        assert_eq!(a.encoding(), [2, 20]);
        assert_eq!(Alert::read_bytes(&[2, 20]).unwrap(), a);
        assert!(Alert::read_bytes(&[2, 20, 0]).is_err());
        assert!(Alert::read_bytes(&[2]).is_err());
    }
}
