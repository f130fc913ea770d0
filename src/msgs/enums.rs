//! IANA registries only the message layer uses (RFC 5246 §A, RFC 8446 §B.3). Those the
//! crypto provider speaks too live in [`crate::enums`] and are re-exported here.

pub use crate::enums::{CipherSuite, ContentType, NamedGroup, ProtocolVersion, SignatureScheme};
use crate::iana_enum;

iana_enum! {
    /// Handshake message types (RFC 5246 §7.4).
    pub enum HandshakeType: u8 {
        /// hello_request(0)
        HelloRequest = 0,
        /// client_hello(1)
        ClientHello = 1,
        /// server_hello(2)
        ServerHello = 2,
        /// new_session_ticket(4)
        NewSessionTicket = 4,
        /// end_of_early_data(5), TLS 1.3
        EndOfEarlyData = 5,
        /// encrypted_extensions(8), TLS 1.3
        EncryptedExtensions = 8,
        /// certificate(11)
        Certificate = 11,
        /// server_key_exchange(12)
        ServerKeyExchange = 12,
        /// certificate_request(13)
        CertificateRequest = 13,
        /// server_hello_done(14)
        ServerHelloDone = 14,
        /// certificate_verify(15)
        CertificateVerify = 15,
        /// client_key_exchange(16)
        ClientKeyExchange = 16,
        /// finished(20)
        Finished = 20,
        /// key_update(24), TLS 1.3
        KeyUpdate = 24,
        /// message_hash(254), TLS 1.3 (only inside the transcript, RFC 8446 §4.4.1)
        MessageHash = 254,
    }
}

iana_enum! {
    /// Alert levels (RFC 5246 §7.2).
    pub enum AlertLevel: u8 {
        /// warning(1)
        Warning = 1,
        /// fatal(2)
        Fatal = 2,
    }
}

iana_enum! {
    /// Alert descriptions (RFC 5246 §7.2, RFC 7507, RFC 8446 §6).
    pub enum AlertDescription: u8 {
        /// close_notify(0)
        CloseNotify = 0,
        /// unexpected_message(10)
        UnexpectedMessage = 10,
        /// bad_record_mac(20)
        BadRecordMac = 20,
        /// record_overflow(22)
        RecordOverflow = 22,
        /// decompression_failure(30)
        DecompressionFailure = 30,
        /// handshake_failure(40)
        HandshakeFailure = 40,
        /// bad_certificate(42)
        BadCertificate = 42,
        /// unsupported_certificate(43)
        UnsupportedCertificate = 43,
        /// certificate_revoked(44)
        CertificateRevoked = 44,
        /// certificate_expired(45)
        CertificateExpired = 45,
        /// certificate_unknown(46)
        CertificateUnknown = 46,
        /// illegal_parameter(47)
        IllegalParameter = 47,
        /// unknown_ca(48)
        UnknownCa = 48,
        /// access_denied(49)
        AccessDenied = 49,
        /// decode_error(50)
        DecodeError = 50,
        /// decrypt_error(51)
        DecryptError = 51,
        /// protocol_version(70)
        ProtocolVersion = 70,
        /// insufficient_security(71)
        InsufficientSecurity = 71,
        /// internal_error(80)
        InternalError = 80,
        /// inappropriate_fallback(86)
        InappropriateFallback = 86,
        /// user_canceled(90)
        UserCanceled = 90,
        /// no_renegotiation(100)
        NoRenegotiation = 100,
        /// unsupported_extension(110)
        UnsupportedExtension = 110,
        /// unrecognized_name(112)
        UnrecognizedName = 112,
        /// missing_extension(109), TLS 1.3
        MissingExtension = 109,
        /// certificate_required(116)
        CertificateRequired = 116,
        /// no_application_protocol(120)
        NoApplicationProtocol = 120,
    }
}

impl AlertDescription {
    /// The RFC's name for the alert, e.g. `bad_record_mac`.
    pub fn name(self) -> &'static str {
        match self {
            Self::CloseNotify => "close_notify",
            Self::UnexpectedMessage => "unexpected_message",
            Self::BadRecordMac => "bad_record_mac",
            Self::RecordOverflow => "record_overflow",
            Self::DecompressionFailure => "decompression_failure",
            Self::HandshakeFailure => "handshake_failure",
            Self::BadCertificate => "bad_certificate",
            Self::UnsupportedCertificate => "unsupported_certificate",
            Self::CertificateRevoked => "certificate_revoked",
            Self::CertificateExpired => "certificate_expired",
            Self::CertificateUnknown => "certificate_unknown",
            Self::IllegalParameter => "illegal_parameter",
            Self::UnknownCa => "unknown_ca",
            Self::AccessDenied => "access_denied",
            Self::DecodeError => "decode_error",
            Self::DecryptError => "decrypt_error",
            Self::ProtocolVersion => "protocol_version",
            Self::InsufficientSecurity => "insufficient_security",
            Self::InternalError => "internal_error",
            Self::InappropriateFallback => "inappropriate_fallback",
            Self::UserCanceled => "user_canceled",
            Self::NoRenegotiation => "no_renegotiation",
            Self::UnsupportedExtension => "unsupported_extension",
            Self::UnrecognizedName => "unrecognized_name",
            Self::MissingExtension => "missing_extension",
            Self::CertificateRequired => "certificate_required",
            Self::NoApplicationProtocol => "no_application_protocol",
            Self::Unknown(_) => "unknown_alert",
        }
    }
}

iana_enum! {
    /// TLS extension types (RFC 6066, RFC 7366, RFC 7627, RFC 5746, RFC 5246 §7.4.1.4.1).
    pub enum ExtensionType: u16 {
        /// server_name(0)
        ServerName = 0,
        /// status_request(5)
        StatusRequest = 5,
        /// supported_groups(10)
        SupportedGroups = 10,
        /// ec_point_formats(11)
        EcPointFormats = 11,
        /// signature_algorithms(13)
        SignatureAlgorithms = 13,
        /// application_layer_protocol_negotiation(16)
        Alpn = 16,
        /// encrypt_then_mac(22)
        EncryptThenMac = 22,
        /// extended_master_secret(23)
        ExtendedMasterSecret = 23,
        /// session_ticket(35)
        SessionTicket = 35,
        /// pre_shared_key(41), TLS 1.3
        PreSharedKey = 41,
        /// early_data(42), TLS 1.3
        EarlyData = 42,
        /// supported_versions(43)
        SupportedVersions = 43,
        /// cookie(44), TLS 1.3
        Cookie = 44,
        /// psk_key_exchange_modes(45), TLS 1.3
        PskKeyExchangeModes = 45,
        /// certificate_authorities(47)
        CertificateAuthorities = 47,
        /// post_handshake_auth(49), TLS 1.3
        PostHandshakeAuth = 49,
        /// signature_algorithms_cert(50), TLS 1.3
        SignatureAlgorithmsCert = 50,
        /// key_share(51), TLS 1.3
        KeyShare = 51,
        /// renegotiation_info(0xff01)
        RenegotiationInfo = 0xff01,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Codec;

    #[test]
    fn unknown_values_survive_a_round_trip() {
        for v in [0u8, 1, 2, 20, 99] {
            assert_eq!(u8::from(HandshakeType::from(v)), v);
            assert_eq!(HandshakeType::read_bytes(&[v]).unwrap().encoding(), [v]);
        }
        assert_eq!(ExtensionType::read_bytes(&[0xff, 0x01]).unwrap(), ExtensionType::RenegotiationInfo);
    }
}
