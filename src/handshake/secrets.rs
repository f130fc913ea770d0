//! From premaster secret to record keys and Finished values (RFC 5246 §6.3, §7.4.9, §8.1;
//! RFC 7627 §4).

use super::Side;
use crate::config::key_log::{self, log_secret, KeyLog};
use crate::crypto::{
    CryptoProvider, MessageDecrypter, MessageEncrypter, RecordKeys, RecordParams, Tls12CipherSuite,
};
use crate::error::Error;
use crate::key_schedule::{self, KeyedPrf, Prf};
use crate::msgs::enums::ProtocolVersion;
use crate::msgs::Random;
use zeroize::Zeroizing;

/// The master secret and what is needed to expand it.
pub(crate) struct ConnectionSecrets {
    pub(crate) suite: &'static Tls12CipherSuite,
    pub(crate) version: ProtocolVersion,
    prf: Prf,
    master_secret: Zeroizing<[u8; 48]>,
    /// The PRF keyed with the master secret once, for the key block and both Finished values.
    master_prf: KeyedPrf,
    client_random: Random,
    server_random: Random,
    /// The provider's random source, handed to the record layer for explicit IVs.
    random: &'static dyn crate::crypto::SecureRandom,
}

impl ConnectionSecrets {
    /// Derives the master secret: from the session hash when extended master secret was
    /// negotiated (RFC 7627 §4), else from the hello randoms (RFC 5246 §8.1), and hands it to
    /// `key_log`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        provider: &CryptoProvider,
        suite: &'static Tls12CipherSuite,
        version: ProtocolVersion,
        premaster: &[u8],
        client_random: Random,
        server_random: Random,
        session_hash: Option<&[u8]>,
        key_log: &dyn KeyLog,
    ) -> Result<Self, Error> {
        let prf = Prf::for_version(u16::from(version), suite, provider.hmac)
            .ok_or(Error::Internal("HMAC-MD5 or HMAC-SHA1 missing from provider"))?;
        let master_secret = match session_hash {
            Some(h) => key_schedule::derive_extended_master_secret(&prf, premaster, h),
            None => key_schedule::derive_master_secret(&prf, premaster, &client_random, &server_random),
        };
        Ok(Self::with_master_secret(
            provider,
            suite,
            version,
            prf,
            master_secret,
            client_random,
            server_random,
            key_log,
        ))
    }

    /// Takes the master secret of a resumed session (RFC 5246 §7.3: the abbreviated handshake
    /// keeps the master secret and derives new keys from the new hello randoms, §6.3). The key
    /// log gets it again under this connection's ClientHello.random, which is how an analyser
    /// finds it.
    pub(crate) fn resume(
        provider: &CryptoProvider,
        suite: &'static Tls12CipherSuite,
        version: ProtocolVersion,
        master_secret: &[u8; 48],
        client_random: Random,
        server_random: Random,
        key_log: &dyn KeyLog,
    ) -> Result<Self, Error> {
        let prf = Prf::for_version(u16::from(version), suite, provider.hmac)
            .ok_or(Error::Internal("HMAC-MD5 or HMAC-SHA1 missing from provider"))?;
        let master_secret = Zeroizing::new(*master_secret);
        Ok(Self::with_master_secret(
            provider,
            suite,
            version,
            prf,
            master_secret,
            client_random,
            server_random,
            key_log,
        ))
    }

    /// The rest of [`Self::new`] and [`Self::resume`] once the master secret is known: it goes
    /// to the key log under this connection's ClientHello.random, and the PRF is keyed with it
    /// once for the key block and both Finished values.
    #[allow(clippy::too_many_arguments)]
    fn with_master_secret(
        provider: &CryptoProvider,
        suite: &'static Tls12CipherSuite,
        version: ProtocolVersion,
        prf: Prf,
        master_secret: Zeroizing<[u8; 48]>,
        client_random: Random,
        server_random: Random,
        key_log: &dyn KeyLog,
    ) -> Self {
        log_secret(key_log, key_log::CLIENT_RANDOM, &client_random, &master_secret[..]);
        let master_prf = prf.keyed(&master_secret[..]);
        Self {
            suite,
            version,
            prf,
            master_secret,
            master_prf,
            client_random,
            server_random,
            random: provider.random,
        }
    }

    /// A copy of the master secret, for the session this handshake creates.
    pub(crate) fn master_secret(&self) -> Zeroizing<[u8; 48]> {
        self.master_secret.clone()
    }

    /// The RFC 5705 exporter over this handshake's master secret and randoms.
    pub(crate) fn exporter(&self) -> super::exporter::Tls12Exporter {
        super::exporter::Tls12Exporter {
            prf: self.prf,
            master_secret: self.master_secret.clone(),
            client_random: self.client_random,
            server_random: self.server_random,
        }
    }

    /// Builds both directions' record protection from the key block. The key block is laid out
    /// client MAC, server MAC, client key, server key, client IV, server IV (RFC 5246 §6.3).
    pub(crate) fn record_protection(
        &self,
        side: Side,
        encrypt_then_mac: bool,
    ) -> (Box<dyn MessageEncrypter>, Box<dyn MessageDecrypter>) {
        let shape = self.suite.record.key_block_shape();
        let len = 2 * (shape.mac_key_len + shape.enc_key_len + shape.fixed_iv_len);
        let block =
            key_schedule::derive_key_block(&self.master_prf, &self.server_random, &self.client_random, len);
        let (client_mac, rest) = block.split_at(shape.mac_key_len);
        let (server_mac, rest) = rest.split_at(shape.mac_key_len);
        let (client_key, rest) = rest.split_at(shape.enc_key_len);
        let (server_key, rest) = rest.split_at(shape.enc_key_len);
        let (client_iv, server_iv) = rest.split_at(shape.fixed_iv_len);
        let client = RecordKeys { mac_key: client_mac, enc_key: client_key, iv: client_iv };
        let server = RecordKeys { mac_key: server_mac, enc_key: server_key, iv: server_iv };
        let params = RecordParams {
            version: self.version,
            encrypt_then_mac: encrypt_then_mac && self.suite.is_cbc(),
            random: self.random,
        };
        let (ours, theirs) = match side {
            Side::Client => (&client, &server),
            Side::Server => (&server, &client),
        };
        (self.suite.record.encrypter(ours, params), self.suite.record.decrypter(theirs, params))
    }

    /// The verify_data of the Finished message sent by `sender` (RFC 5246 §7.4.9).
    pub(crate) fn verify_data(&self, sender: Side, handshake_hash: &[u8]) -> [u8; 12] {
        let label: &[u8] = match sender {
            Side::Client => b"client finished",
            Side::Server => b"server finished",
        };
        key_schedule::derive_verify_data(&self.master_prf, label, handshake_hash)
    }
}
