//! The record layer seen from outside: tampering, truncation, closure, limits.

use crate::common::*;
use ferrotls::internal::msgs::enums::AlertDescription;
use ferrotls::{Error, PeerMisbehaved, ProtocolVersion};

fn connected(
    version: ProtocolVersion,
    suite: &str,
) -> (ferrotls::ClientConnection, ferrotls::ServerConnection) {
    let mut client = client(client_config(|b| b.legacy(true).versions(version, version).cipher_list(suite)));
    let mut server = server(server_config(|b| b.legacy(true)));
    handshake(&mut client, &mut server).unwrap();
    (client, server)
}

#[test]
fn a_flipped_bit_in_application_data_is_bad_record_mac_for_every_suite() {
    for suite in ["AES128-SHA", "AES256-SHA256", "DES-CBC3-SHA", "RC4-SHA", "RC4-MD5"] {
        for byte in [5usize, 20, 40] {
            let (mut client, mut server) = connected(ProtocolVersion::TLSv1_2, suite);
            // Untampered twin first: the same write arrives intact.
            client.write_plaintext(b"attack at dawn, attack at dawn, attack at dawn").unwrap();
            transfer(&mut client, &mut server).unwrap();
            assert_eq!(read_all(&mut server), b"attack at dawn, attack at dawn, attack at dawn");

            client.write_plaintext(b"attack at dawn, attack at dawn, attack at dawn").unwrap();
            let err = transfer_with(&mut client, &mut server, &mut |b| b[byte] ^= 1).unwrap_err();
            assert_eq!(err, Error::DecryptError, "{suite} byte {byte}");
            // The server told the client why, and the error sticks.
            let _ = transfer(&mut server, &mut client);
            assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::BadRecordMac)));
            assert_eq!(server.process().unwrap_err(), Error::DecryptError);
            assert_eq!(server.write_plaintext(b"x").unwrap_err(), Error::DecryptError);
        }
    }
}

#[test]
fn a_corrupted_key_exchange_fails_at_finished_exactly_like_a_wrong_key() {
    // RFC 5246 §7.4.7.1: whatever is wrong inside the RSA ciphertext, the server must behave
    // the same: no early alert, the same failure at the client's Finished.
    let mut outcomes = Vec::new();
    for offset_from_end in [1usize, 100, 200] {
        // TLS 1.2 with RSA key exchange: TLS 1.3 has none.
        let mut client =
            client(client_config(|b| b.versions(V12, V12).cipher_list("AES128-GCM-SHA256:AES128-SHA")));
        let mut server = server(server_config(|b| b));
        transfer(&mut client, &mut server).unwrap();
        transfer(&mut server, &mut client).unwrap();
        // The client's flight: ClientKeyExchange record, CCS record, encrypted Finished record.
        // The CKE record is the first; its ciphertext ends 5 bytes before the CCS record.
        let err = transfer_with(&mut client, &mut server, &mut |b| {
            let cke_len = u16::from_be_bytes([b[3], b[4]]) as usize;
            b[5 + cke_len - offset_from_end] ^= 0x40;
        })
        .unwrap_err();
        outcomes.push(err);
    }
    assert!(outcomes.iter().all(|e| *e == outcomes[0]), "{outcomes:?}");
    assert!(matches!(
        outcomes[0],
        Error::DecryptError | Error::PeerMisbehaved(PeerMisbehaved::IncorrectFinished)
    ));
}

#[test]
fn close_notify_is_a_clean_end_and_eof_without_it_is_truncation() {
    let (mut client, mut server) = connected(ProtocolVersion::TLSv1_2, "AES128-SHA");
    server.write_plaintext(b"bye").unwrap();
    server.send_close_notify();
    transfer(&mut server, &mut client).unwrap();
    client.feed_eof();
    assert!(client.process().unwrap().peer_has_closed);
    assert_eq!(read_all(&mut client), b"bye");

    // Tampered twin: the same bytes without the close_notify are reported as truncation.
    let (mut client, mut server) = connected(ProtocolVersion::TLSv1_2, "AES128-SHA");
    server.write_plaintext(b"bye").unwrap();
    transfer(&mut server, &mut client).unwrap();
    client.feed_eof();
    client.process().unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(client.read_plaintext(&mut buf).unwrap(), 3);
    assert_eq!(client.read_plaintext(&mut buf).unwrap_err(), Error::Truncated);
}

#[test]
fn an_eof_during_the_handshake_is_truncation() {
    let mut client = client(client_config(|b| b));
    let mut server = server(server_config(|b| b));
    transfer(&mut client, &mut server).unwrap();
    client.feed_eof();
    assert_eq!(client.process().unwrap_err(), Error::Truncated);
}

#[test]
fn an_oversize_record_is_refused_with_record_overflow() {
    let (mut client, mut server) = connected(ProtocolVersion::TLSv1_2, "AES128-SHA");
    let len = (1u16 << 14) + 2048 + 1;
    server.feed_tls(&[23, 3, 3, (len >> 8) as u8, len as u8]);
    assert_eq!(server.process().unwrap_err(), Error::RecordOverflow);
    let _ = transfer(&mut server, &mut client);
    assert_eq!(client.error(), Some(&Error::AlertReceived(AlertDescription::RecordOverflow)));
}

#[test]
fn an_oversize_plaintext_record_during_the_handshake_is_refused() {
    let mut server = server(server_config(|b| b));
    let len = (1u16 << 14) + 1;
    server.feed_tls(&[22, 3, 1, (len >> 8) as u8, len as u8]);
    server.feed_tls(&vec![0u8; len as usize]);
    assert_eq!(server.process().unwrap_err(), Error::RecordOverflow);
}

#[test]
fn tls10_cbc_application_data_is_split_one_and_n_minus_one() {
    let (mut client, mut server) = connected(ProtocolVersion::TLSv1_0, "AES128-SHA");
    client.write_plaintext(&[7u8; 100]).unwrap();
    let mut wire = Vec::new();
    client.take_tls(&mut wire);
    // Two records: the first holds 1 byte, padded to one block, then (encrypt-then-MAC is on by
    // default) the 20-byte MAC.
    assert_eq!(u16::from_be_bytes([wire[3], wire[4]]), 16 + 20);
    let mut off = 0;
    while off < wire.len() {
        off += server.feed_tls(&wire[off..]);
        server.process().unwrap();
    }
    assert_eq!(read_all(&mut server), vec![7u8; 100]);

    // TLS 1.1 has explicit IVs and needs no splitting.
    let (mut client, _server) = connected(ProtocolVersion::TLSv1_1, "AES128-SHA");
    client.write_plaintext(&[7u8; 100]).unwrap();
    let mut wire = Vec::new();
    client.take_tls(&mut wire);
    assert_eq!(u16::from_be_bytes([wire[3], wire[4]]) as usize, wire.len() - 5);
}

#[test]
fn application_data_before_the_handshake_finishes_is_unexpected() {
    let mut server = server(server_config(|b| b));
    server.feed_tls(&[23, 3, 3, 0, 1, 0]);
    assert_eq!(server.process().unwrap_err(), Error::PeerMisbehaved(PeerMisbehaved::EarlyApplicationData));
}

#[test]
fn a_fatal_alert_from_the_peer_ends_the_connection_without_a_reply() {
    let mut server = server(server_config(|b| b));
    server.feed_tls(&[21, 3, 1, 0, 2, 2, 40]);
    assert_eq!(server.process().unwrap_err(), Error::AlertReceived(AlertDescription::HandshakeFailure));
    assert!(!server.wants_write());
}

#[test]
fn garbage_instead_of_a_client_hello_is_a_decode_error_not_a_panic() {
    for body in [&[1u8, 0, 0, 2, 3, 3][..], &[1, 0, 0, 0], &[99, 0, 0, 1, 0]] {
        let mut server = server(server_config(|b| b));
        let mut rec = vec![22, 3, 1, 0, body.len() as u8];
        rec.extend_from_slice(body);
        server.feed_tls(&rec);
        let err = server.process().unwrap_err();
        assert!(err.alert().is_some(), "{err:?}");
    }
}

#[test]
fn plaintext_bytes_to_read_counts_what_a_read_returns_without_new_records() {
    let (mut client, mut server) = connected(ProtocolVersion::TLSv1_2, "AES128-SHA");
    assert_eq!(client.plaintext_bytes_to_read(), 0);
    server.write_plaintext(&[7u8; 1000]).unwrap();
    transfer(&mut server, &mut client).unwrap();
    assert_eq!(client.plaintext_bytes_to_read(), 1000);
    let mut buf = [0u8; 600];
    assert_eq!(client.read_plaintext(&mut buf).unwrap(), 600);
    assert_eq!(client.plaintext_bytes_to_read(), 400);
    assert_eq!(client.read_plaintext(&mut buf).unwrap(), 400);
    assert_eq!(client.plaintext_bytes_to_read(), 0);
    // A record that fails its MAC adds nothing to read.
    server.write_plaintext(b"tampered").unwrap();
    let _ = transfer_with(&mut server, &mut client, &mut |b| b[10] ^= 1);
    assert_eq!(client.plaintext_bytes_to_read(), 0);
}

/// Every random byte a connection uses comes from its provider's `random`, explicit IVs
/// included (RFC 5246 §6.2.3.2: a fresh IV per TLS 1.1+ CBC record). A provider whose source
/// always answers 0x42 makes the IV of an application-data record exactly that.
#[test]
fn explicit_ivs_come_from_the_providers_random_source() {
    use ferrotls::crypto::{CryptoProvider, GetRandomFailed, SecureRandom};
    use ferrotls::{ClientConfig, ClientConnection, ServerConfig, ServerConnection, ServerName};
    use std::sync::Arc;
    struct Constant;
    impl SecureRandom for Constant {
        fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
            buf.fill(0x42);
            Ok(())
        }
    }
    static CONSTANT: Constant = Constant;
    let constant = CryptoProvider { random: &CONSTANT, ..ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER };
    for (provider, expect_constant) in
        [(constant, true), (ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER, false)]
    {
        // TLS 1.2 CBC: explicit IVs (TLS 1.3 records have none).
        let cc = ClientConfig::builder_with_provider(provider)
            .root_store(roots())
            .versions(V12, V12)
            .cipher_list("AES128-SHA")
            .build()
            .unwrap();
        let mut client =
            ClientConnection::new(Arc::new(cc), ServerName::try_from("localhost").unwrap()).unwrap();
        let chain = ferrotls::x509::certs_from_pem(SERVER_CHAIN).unwrap();
        let key = ferrotls::x509::private_key_from_pem(SERVER_KEY).unwrap();
        let sc = ServerConfig::builder_with_provider(provider).single_cert(chain, key).build().unwrap();
        let mut server = ServerConnection::new(Arc::new(sc)).unwrap();
        handshake(&mut client, &mut server).unwrap();
        client.write_plaintext(b"iv check").unwrap();
        let mut wire = Vec::new();
        client.take_tls(&mut wire);
        // One application_data record: 5-byte header, then the 16-byte explicit IV.
        assert_eq!(wire[0], 23);
        let iv = &wire[5..21];
        assert_eq!(iv == [0x42u8; 16], expect_constant, "IV {iv:02x?}");
        server.feed_tls(&wire);
        server.process().unwrap();
        assert_eq!(read_all(&mut server), b"iv check");
    }
}

/// A provider listing the RSA-key-exchange AES-GCM suites (not yet in the default table).
static GCM_PROVIDER: ferrotls::crypto::CryptoProvider = ferrotls::crypto::CryptoProvider {
    cipher_suites: &[
        &ferrotls::crypto::rustcrypto::TLS_RSA_WITH_AES_128_GCM_SHA256,
        &ferrotls::crypto::rustcrypto::TLS_RSA_WITH_AES_256_GCM_SHA384,
    ],
    ..ferrotls::crypto::rustcrypto::DEFAULT_PROVIDER
};

#[test]
fn rsa_aes_gcm_suites_complete_a_handshake_and_a_flipped_bit_is_bad_record_mac() {
    use ferrotls::x509::{certs_from_pem, private_key_from_pem};
    for suite in ["AES128-GCM-SHA256", "AES256-GCM-SHA384"] {
        for byte in [5usize, 9, 40] {
            let client_config = std::sync::Arc::new(
                ferrotls::ClientConfig::builder_with_provider(GCM_PROVIDER)
                    .versions(V12, V12)
                    .cipher_list(suite)
                    .root_store(roots())
                    .build()
                    .unwrap(),
            );
            let server_config = std::sync::Arc::new(
                ferrotls::ServerConfig::builder_with_provider(GCM_PROVIDER)
                    .single_cert(
                        certs_from_pem(SERVER_CHAIN).unwrap(),
                        private_key_from_pem(SERVER_KEY).unwrap(),
                    )
                    .build()
                    .unwrap(),
            );
            let mut client = client(client_config);
            let mut server = server(server_config);
            handshake(&mut client, &mut server).unwrap();
            assert_eq!(client.cipher_suite().map(|s| s.openssl_name), Some(suite));
            assert_eq!(server.cipher_suite().map(|s| s.openssl_name), Some(suite));
            server.write_plaintext(b"attack at dawn").unwrap();
            transfer(&mut server, &mut client).unwrap();
            assert_eq!(read_all(&mut client), b"attack at dawn");

            // Tampering twin: byte 5 is in the explicit nonce, 9 in the ciphertext, 40 past it
            // (the tag); each is bad_record_mac.
            client.write_plaintext(b"attack at dawn, attack at dawn").unwrap();
            let err = transfer_with(&mut client, &mut server, &mut |b| {
                let i = byte.min(b.len() - 1);
                b[i] ^= 1
            })
            .unwrap_err();
            assert_eq!(err, Error::DecryptError, "{suite} byte {byte}");
        }
    }
}
