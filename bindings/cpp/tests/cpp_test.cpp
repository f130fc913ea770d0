// cpp_test: ferrotls.hpp in one process: RAII and moves, errors with codes and messages, a
// sans-IO client/server pair, a blocking Stream pair over a socketpair, certificate fields, and
// (when the header has it) mutual authentication. Every happy path has a tampering twin.
//   cpp_test FIXTURES_DIR
#include <ferrotls.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>

static int passed = 0, failed = 0;
static std::string F;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (cond) passed++;                                                                 \
        else { failed++; std::fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

template <typename Fn>
static ferrotls::Result throws(Fn fn) {
    try {
        fn();
    } catch (const ferrotls::Error &e) {
        return e.code();
    }
    return FERROTLS_OK;
}

static std::string slurp(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

static ferrotls::ClientConfig client_config(const std::string &ca = "ca.pem") {
    ferrotls::TrustStore roots;
    roots.add_file(F + ca);
    return ferrotls::ClientConfigBuilder().set_trust_store(roots).build();
}

// TLS 1.2: for resumption (TLS 1.3 PSK resumption is not in ferrotls yet), the CLIENT_RANDOM
// line and RFC 5705.
static ferrotls::ClientConfig client_config12() {
    ferrotls::TrustStore roots;
    roots.add_file(F + "ca.pem");
    return ferrotls::ClientConfigBuilder().set_trust_store(roots).set_versions(0, FERROTLS_TLS1_2).build();
}

static ferrotls::ServerConfigBuilder server_builder(const std::string &chain = "server-chain.pem") {
    ferrotls::ServerConfigBuilder b;
    b.set_cert_chain_and_key(ferrotls::CertChain::from_file(F + chain), ferrotls::PrivateKey::from_file(F + "server.key"));
    return b;
}

// Moves bytes between two sans-IO connections until neither has anything to send.
static void pump(ferrotls::Connection &a, ferrotls::Connection &b) {
    for (int round = 0; round < 20; round++) {
        bool moved = false;
        for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
            while (from->wants_write()) {
                auto bytes = from->take_tls();
                size_t off = 0;
                while (off < bytes.size()) {
                    off += to->feed_tls(bytes.data() + off, bytes.size() - off);
                    to->process();
                }
                moved = true;
            }
        }
        if (!moved) return;
    }
}

static void test_raii_and_errors() {
    static_assert(!std::is_copy_constructible_v<ferrotls::TrustStore>);
    static_assert(std::is_nothrow_move_constructible_v<ferrotls::CertChain>);
    static_assert(!std::is_copy_assignable_v<ferrotls::Connection>);
    static_assert(std::is_move_constructible_v<ferrotls::Stream>);
    CHECK(ferrotls::version() == FERROTLS_VERSION_STRING);

    auto chain = ferrotls::CertChain::from_file(F + "server-chain.pem");
    auto moved = std::move(chain);
    CHECK(moved.size() == 2);
    CHECK(chain.get() == nullptr);

    // Tampering twins of loading: missing file, no certificate, mismatched key.
    CHECK(throws([] { ferrotls::CertChain::from_file("/nonexistent.pem"); }) == FERROTLS_IO_FILE);
    CHECK(throws([] { ferrotls::Cert::from_pem("not a certificate"); }) == FERROTLS_PEM_NO_CERTIFICATES);
    try {
        ferrotls::ServerConfigBuilder b;
        b.set_cert_chain_and_key(ferrotls::CertChain::from_file(F + "server.pem"),
                                 ferrotls::PrivateKey::from_file(F + "mismatched.key"));
        b.build();
        CHECK(false);
    } catch (const ferrotls::Error &e) {
        CHECK(e.code() == FERROTLS_BAD_CONFIG);
        CHECK(std::string(e.what()).find("key") != std::string::npos);
    }
    // A client without trust anchors is refused; the builder's message says why.
    ferrotls::ClientConfigBuilder nobody;
    CHECK(throws([&] { nobody.build(); }) == FERROTLS_BAD_CONFIG);
    CHECK(!nobody.last_error().empty());
    // TLS 1.0 needs the legacy profile.
    CHECK(throws([] {
        ferrotls::TrustStore r;
        r.add_file(F + "ca.pem");
        ferrotls::ClientConfigBuilder().set_trust_store(r).set_versions(FERROTLS_TLS1_0, FERROTLS_TLS1_0).build();
    }) == FERROTLS_BAD_CONFIG);
}

static void test_certificate_fields() {
    auto cert = ferrotls::Cert::from_pem(slurp(F + "server.pem"));
    CHECK(cert.subject() == "CN=localhost,O=ferrotls\\, demo,ST=Test State,C=XX");
    CHECK(cert.serial() == "3001");
    CHECK(cert.not_before() == "Jan  1 00:00:00 2026 GMT");
    CHECK(cert.public_key_bits() == 2048);
    CHECK(!cert.is_ca());
    auto sans = cert.subject_alt_names();
    CHECK(sans.size() == 2 && sans[0] == "DNS:localhost" && sans[1] == "IP Address:127.0.0.1");
    auto der = cert.der();
    auto again = ferrotls::Cert::from_der(der.data(), der.size());
    CHECK(again.subject() == cert.subject());
    CHECK(cert.validity().first < cert.validity().second);
    CHECK(cert.to_json().find("\"serial\"") != std::string::npos);
    auto ca = ferrotls::CertChain::from_file(F + "ca.pem");
    CHECK(ca[0].is_ca());
    bool out_of_range = false;
    try { (void)ca[5]; } catch (const std::out_of_range &) { out_of_range = true; }
    CHECK(out_of_range);
    ferrotls::TrustStore store;
    store.add_cert(ca[0]).add_pem(slurp(F + "untrusted-ca.pem"));
    CHECK(store.size() == 2);
}

// RFC 5246 §7.3: a session from a full handshake, offered again, resumes; with the server's
// cache off there is no session to offer.
static void test_session_resumption() {
    auto server_config = server_builder().set_tickets(false).set_session_cache_size(16).set_session_timeout(60)
                             .set_session_id_context("cpp_test").build();
    auto config = client_config12();
    auto c1 = ferrotls::Connection::client(config, "localhost");
    auto s1 = ferrotls::Connection::server(server_config);
    pump(c1, s1);
    CHECK(!c1.session_reused() && !s1.session_reused());
    auto session = c1.session();
    CHECK(session.has_value() && session->id().size() == 32);
    CHECK(session->protocol_version() == FERROTLS_TLS1_2 && session->cipher_suite() == c1.cipher_suite());
    auto c2 = ferrotls::Connection::client(config, "localhost", *session);
    auto s2 = ferrotls::Connection::server(server_config);
    pump(c2, s2);
    CHECK(!c2.is_handshaking() && c2.session_reused() && s2.session_reused());
    CHECK(s2.session()->id() == session->id());

    auto no_cache = server_builder().set_tickets(false).set_session_cache_size(0).build();
    auto c3 = ferrotls::Connection::client(config, "localhost", *session);
    auto s3 = ferrotls::Connection::server(no_cache);
    pump(c3, s3);
    CHECK(!c3.is_handshaking() && !c3.session_reused() && !c3.session().has_value());
    CHECK(throws([] { server_builder().set_session_id_context(std::string(33, 'x')).build(); }) == FERROTLS_BAD_CONFIG);
}

// RFC 5077: the server issues a ticket instead of a session ID; the session travels as bytes and
// resumes after import; rotating shared keys twice ends it.
static void test_session_tickets() {
    ferrotls::TicketKeys keys;
    auto server_config = server_builder().set_ticket_keys(keys).build();
    auto config = client_config12();
    auto c1 = ferrotls::Connection::client(config, "localhost");
    auto s1 = ferrotls::Connection::server(server_config);
    pump(c1, s1);
    auto session = c1.session();
    CHECK(session.has_value() && session->has_ticket() && session->id().empty());
    CHECK(session->ticket_lifetime_hint() == 300);
    auto bytes = session->to_bytes();
    auto imported = ferrotls::Session::from_bytes(config, bytes);
    auto c2 = ferrotls::Connection::client(config, "localhost", imported);
    auto s2 = ferrotls::Connection::server(server_config);
    pump(c2, s2);
    CHECK(c2.session_reused() && c2.session_reused_by_ticket() && s2.session_reused_by_ticket());
    bytes[0] ^= 0xff;
    CHECK(throws([&] { ferrotls::Session::from_bytes(config, bytes); }) == FERROTLS_INVALID_ARGUMENT);
    keys.rotate().rotate();
    auto c3 = ferrotls::Connection::client(config, "localhost", imported);
    auto s3 = ferrotls::Connection::server(server_config);
    pump(c3, s3);
    CHECK(!c3.is_handshaking() && !c3.session_reused());
    CHECK(throws([&] { keys.set_key(std::vector<uint8_t>(15), std::vector<uint8_t>(32)); }) == FERROTLS_INVALID_ARGUMENT);
}

// TLS 1.3: the 1.3 suite list on both sides, KeyUpdate with data after it, and its refusal
// under TLS 1.2.
static void test_tls13() {
    ferrotls::TrustStore roots;
    roots.add_file(F + "ca.pem");
    auto config = ferrotls::ClientConfigBuilder().set_trust_store(roots).set_ciphersuites("TLS_CHACHA20_POLY1305_SHA256").build();
    auto server_config = server_builder().set_ciphersuites("TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256").build();
    auto client = ferrotls::Connection::client(config, "localhost");
    auto server = ferrotls::Connection::server(server_config);
    pump(client, server);
    CHECK(server.protocol_version_name() == "TLSv1.3" && server.cipher_suite() == 0x1303);
    client.send_key_update(true);
    const std::string msg = "after the key update";
    CHECK(client.write_plaintext(msg.data(), msg.size()) == msg.size());
    pump(client, server);
    char buf[64];
    size_t n = 0;
    CHECK(server.read_plaintext(buf, sizeof buf, n) == FERROTLS_OK && std::string(buf, n) == msg);
    CHECK(throws([] { ferrotls::ClientConfigBuilder().set_ciphersuites("AES128-SHA"); }) == FERROTLS_INVALID_ARGUMENT);
    auto c12 = ferrotls::Connection::client(client_config12(), "localhost");
    auto s12 = ferrotls::Connection::server(server_builder().build());
    pump(c12, s12);
    CHECK(c12.protocol_version() == FERROTLS_TLS1_2);
    CHECK(throws([&] { c12.send_key_update(false); }) == FERROTLS_BAD_STATE);
}

static void test_sans_io_pair() {
    auto server_config = server_builder().build();
    auto client = ferrotls::Connection::client(client_config(), "localhost");
    auto server = ferrotls::Connection::server(server_config);
    const std::string msg = "hello over memory";
    CHECK(client.write_plaintext(msg.data(), msg.size()) == msg.size());
    pump(client, server);
    CHECK(!client.is_handshaking() && !server.is_handshaking());
    CHECK(client.protocol_version() == FERROTLS_TLS1_3 && client.protocol_version_name() == "TLSv1.3");
    CHECK(client.cipher_suite_openssl_name() == server.cipher_suite_openssl_name());
    CHECK(client.cipher_suite_name() == "TLS_AES_256_GCM_SHA384");
    CHECK(server.server_name() == "localhost");
    CHECK(client.peer_cert_chain()[0].serial() == "3001");
    CHECK(server.peer_cert_chain().empty());
    char buf[64];
    size_t n = 0;
    CHECK(server.read_plaintext(buf, sizeof buf, n) == FERROTLS_OK && std::string(buf, n) == msg);
    CHECK(server.read_plaintext(buf, sizeof buf, n) == FERROTLS_WANT_READ);
    server.send_close_notify();
    pump(client, server);
    CHECK(client.read_plaintext(buf, sizeof buf, n) == FERROTLS_CLOSED && client.peer_has_closed());

    // Twin: a flipped bit in a record is bad_record_mac.
    auto c2 = ferrotls::Connection::client(client_config(), "localhost");
    auto s2 = ferrotls::Connection::server(server_config);
    pump(c2, s2);
    c2.write_plaintext("tamper", 6);
    auto rec = c2.take_tls();
    rec.back() ^= std::byte{1};
    s2.feed_tls(rec.data(), rec.size());
    CHECK(throws([&] { s2.process(); }) == FERROTLS_BAD_RECORD_MAC);
    CHECK(s2.last_error().find("bad_record_mac") != std::string::npos);

    // Twins of verification: another name, an untrusted CA.
    auto c3 = ferrotls::Connection::client(client_config(), "other.example");
    auto s3 = ferrotls::Connection::server(server_config);
    try { pump(c3, s3); CHECK(false); } catch (const ferrotls::Error &e) {
        CHECK(e.code() == FERROTLS_CERT_NOT_VALID_FOR_NAME && e.is_certificate_error());
    }
    auto c4 = ferrotls::Connection::client(client_config("untrusted-ca.pem"), "localhost");
    auto s4 = ferrotls::Connection::server(server_config);
    try { pump(c4, s4); CHECK(false); } catch (const ferrotls::Error &e) { CHECK(e.code() == FERROTLS_CERT_UNKNOWN_ISSUER); }
}

// ALPN: the server's preference wins; its twin without overlap is no_application_protocol.
static void test_alpn() {
    ferrotls::TrustStore roots;
    roots.add_file(F + "ca.pem");
    auto client_with = [&](const std::vector<std::string> &protos) {
        return ferrotls::ClientConfigBuilder().set_trust_store(roots).set_alpn_protocols(protos).build();
    };
    auto server_config = server_builder().set_alpn_protocols({"h2", "http/1.1"}).build();
    auto client = ferrotls::Connection::client(client_with({"http/1.1", "h2"}), "localhost");
    auto server = ferrotls::Connection::server(server_config);
    CHECK(client.alpn_protocol().empty());
    pump(client, server);
    CHECK(!client.is_handshaking() && !server.is_handshaking());
    CHECK(client.alpn_protocol() == "h2" && server.alpn_protocol() == "h2");

    auto c2 = ferrotls::Connection::client(client_with({"spdy/3"}), "localhost");
    auto s2 = ferrotls::Connection::server(server_config);
    CHECK(throws([&] { pump(c2, s2); }) == FERROTLS_PEER_INCOMPATIBLE);
    CHECK(s2.last_error().find("no_application_protocol") != std::string::npos);
    CHECK(c2.alpn_protocol().empty());

    CHECK(throws([&] { ferrotls::ClientConfigBuilder().set_trust_store(roots).set_alpn_protocols({""}).build(); }) ==
          FERROTLS_BAD_CONFIG);
}

// Key log and exporter: both sides log the same CLIENT_RANDOM line and export the same bytes;
// twins: another label or no context exports something else, a reserved label throws.
static void test_keylog_and_exporter() {
    ferrotls::TrustStore roots;
    roots.add_file(F + "ca.pem");
    struct Line { std::string label; std::vector<uint8_t> random, secret; };
    std::vector<Line> client_lines, server_lines;
    auto client_config = ferrotls::ClientConfigBuilder()
                             .set_trust_store(roots)
                             .set_versions(0, FERROTLS_TLS1_2) // the CLIENT_RANDOM line and RFC 5705
                             .set_keylog_callback([&](const std::string &l, const std::vector<uint8_t> &r,
                                                      const std::vector<uint8_t> &s) { client_lines.push_back({l, r, s}); })
                             .build();
    auto server_config = server_builder()
                             .set_keylog_callback([&](const std::string &l, const std::vector<uint8_t> &r,
                                                      const std::vector<uint8_t> &s) { server_lines.push_back({l, r, s}); })
                             .build();
    auto client = ferrotls::Connection::client(client_config, "localhost");
    auto server = ferrotls::Connection::server(server_config);
    CHECK(throws([&] { client.export_keying_material("EXPERIMENTAL-x", 16); }) == FERROTLS_BAD_STATE);
    pump(client, server);
    CHECK(!client.is_handshaking() && !server.is_handshaking());
    CHECK(client_lines.size() == 1 && server_lines.size() == 1);
    CHECK(client_lines[0].label == "CLIENT_RANDOM" && client_lines[0].random.size() == 32 && client_lines[0].secret.size() == 48);
    CHECK(client_lines[0].random == server_lines[0].random && client_lines[0].secret == server_lines[0].secret);
    auto ours = client.export_keying_material("EXPERIMENTAL-x", 32, std::string("ctx"));
    CHECK(ours.size() == 32 && ours == server.export_keying_material("EXPERIMENTAL-x", 32, std::string("ctx")));
    CHECK(ours != client.export_keying_material("EXPERIMENTAL-y", 32, std::string("ctx")));
    CHECK(client.export_keying_material("EXPERIMENTAL-x", 32) != client.export_keying_material("EXPERIMENTAL-x", 32, std::string()));
    CHECK(throws([&] { client.export_keying_material("master secret", 32); }) == FERROTLS_BAD_STATE);
}

// A blocking Stream pair over a socketpair: the server in a thread.
static void test_stream_pair() {
    int fds[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    auto server_config = server_builder().build();
    std::string server_got;
    std::thread t([&] {
        ferrotls::Stream s(ferrotls::Connection::server(server_config), fds[1]);
        server_got = s.read_to_end();
        s.write_all("reply");
        s.shutdown();
    });
    ferrotls::Stream c(ferrotls::Connection::client(client_config(), "localhost"), fds[0]);
    c.write_all(std::string(100000, 'x'));
    c.shutdown();
    CHECK(c.read_to_end() == "reply");
    t.join();
    CHECK(server_got.size() == 100000);
    close(fds[0]);
    close(fds[1]);

    // Twin: the peer's transport ends without close_notify: read throws FERROTLS_TRUNCATED.
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    std::thread t2([&] {
        ferrotls::Stream s(ferrotls::Connection::server(server_config), fds[1]);
        s.handshake();
        ::shutdown(fds[1], SHUT_RDWR);
    });
    ferrotls::Stream c2(ferrotls::Connection::client(client_config(), "localhost"), fds[0]);
    c2.handshake();
    t2.join();
    char buf[16];
    CHECK(throws([&] { c2.read(buf, sizeof buf); }) == FERROTLS_TRUNCATED);
    close(fds[0]);
    close(fds[1]);
}

#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
static void test_mutual_auth() {
    ferrotls::TrustStore cas;
    cas.add_file(F + "ca.pem");
    ferrotls::ClientVerifier verifier(cas);
    auto server_config = server_builder().set_client_verifier(verifier).build();
    ferrotls::TrustStore roots;
    roots.add_file(F + "ca.pem");
    auto with_cert = ferrotls::ClientConfigBuilder()
                         .set_trust_store(roots)
                         .set_client_cert(ferrotls::CertChain::from_file(F + "client-chain.pem"),
                                          ferrotls::PrivateKey::from_file(F + "client.key"))
                         .build();
    auto c = ferrotls::Connection::client(with_cert, "localhost");
    auto s = ferrotls::Connection::server(server_config);
    pump(c, s);
    CHECK(!s.is_handshaking() && c.client_certificate_sent());
    CHECK(s.peer_cert_chain()[0].subject().find("ferrotls demo client") != std::string::npos);

    // Twin: no certificate while one is required.
    auto c2 = ferrotls::Connection::client(client_config(), "localhost");
    auto s2 = ferrotls::Connection::server(server_config);
    // (TLS 1.3: the server's certificate_required, RFC 8446 §4.4.2.4.)
    try { pump(c2, s2); CHECK(false); } catch (const ferrotls::Error &e) {
        CHECK(e.code() == FERROTLS_CERT_NO_CERTIFICATE || e.result_class() == FERROTLS_ALERT_RECEIVED
              || e.code() == FERROTLS_PEER_MISBEHAVED);
    }

    // Optional: none is fine.
    ferrotls::ClientVerifier optional(cas);
    optional.set_optional(true);
    auto optional_config = server_builder().set_client_verifier(optional).build();
    auto c3 = ferrotls::Connection::client(client_config(), "localhost");
    auto s3 = ferrotls::Connection::server(optional_config);
    pump(c3, s3);
    CHECK(!s3.is_handshaking() && s3.peer_cert_chain().empty() && !c3.client_certificate_sent());

    // A verify callback sees the chain and can refuse it; the std::function outlives the builder.
    int calls = 0;
    ferrotls::ClientConfig refusing = [&] {
        ferrotls::ClientConfigBuilder b;
        b.set_trust_store(roots).set_verify_callback([&](size_t, ferrotls::CertView cert, ferrotls::Result) {
            calls++;
            return cert.subject().find("localhost") == std::string::npos;  // refuse the leaf
        });
        return b.build();
    }();
    auto c4 = ferrotls::Connection::client(refusing, "localhost");
    auto s4 = ferrotls::Connection::server(server_builder().build());
    try { pump(c4, s4); CHECK(false); } catch (const ferrotls::Error &e) { CHECK(e.is_certificate_error()); }
    CHECK(calls > 0);

    // Encrypted key: right and wrong password.
    auto pem = slurp(F + "server-encrypted.key");
    CHECK(throws([&] { ferrotls::PrivateKey::from_pem_with_password(pem, "ferrotls-test"); }) == FERROTLS_OK);
    CHECK(throws([&] { ferrotls::PrivateKey::from_pem_with_password(pem, "wrong"); }) != FERROTLS_OK);
    CHECK(throws([&] { ferrotls::PrivateKey::from_pem(pem); }) == FERROTLS_PEM_ENCRYPTED_KEY);
    ferrotls::TrustStore dir;
    dir.add_dir(F + "hashed-roots");
    CHECK(dir.size() >= 1);
}
#endif

static void test_groups_schemes_and_server_name() {
    // Groups and schemes chosen on both sides are the ones negotiated; the twin: no common group.
    ferrotls::TrustStore roots;
    roots.add_file(F + "ca.pem");
    roots.add_file(F + "ecdsa-p256-ca.pem");
    auto config = ferrotls::ClientConfigBuilder().set_trust_store(roots).set_groups("P-384:X25519")
                      .set_signature_schemes("RSA-PSS+SHA384:ECDSA+SHA256").build();
    auto server_config = server_builder().set_groups("secp384r1").build();
    auto c = ferrotls::Connection::client(config, "localhost");
    auto s = ferrotls::Connection::server(server_config);
    pump(c, s);
    CHECK(!c.is_handshaking() && !s.is_handshaking());
    CHECK(c.negotiated_group() == 0x0018 && c.negotiated_group_name() == "P-384" && s.negotiated_group() == 0x0018);
    CHECK(c.peer_signature_scheme() == 0x0805 && s.signature_scheme() == 0x0805);
    CHECK(ferrotls::Connection::signature_scheme_name(c.peer_signature_scheme()) == "rsa_pss_rsae_sha384");
    CHECK(ferrotls::Connection::signature_scheme_name(0).empty());
    auto x25519_only = ferrotls::ClientConfigBuilder().set_trust_store(roots).set_groups("X25519").set_cipher_list("ECDHE-RSA-AES128-GCM-SHA256").build();
    auto c2 = ferrotls::Connection::client(x25519_only, "localhost");
    auto s2 = ferrotls::Connection::server(server_builder().set_groups("P-384").set_cipher_list("ECDHE-RSA-AES128-GCM-SHA256").build());
    CHECK(throws([&] { pump(c2, s2); }) != FERROTLS_OK || (c2.is_handshaking() && s2.last_error().find("group") != std::string::npos));
    CHECK(throws([&] { ferrotls::ClientConfigBuilder().set_groups("brainpoolP256r1"); }) == FERROTLS_INVALID_ARGUMENT);
    CHECK(throws([&] { ferrotls::ServerConfigBuilder().set_signature_schemes("RSA+MD5"); }) == FERROTLS_INVALID_ARGUMENT);

    // The server-name callback serves the ECDSA pair to one name, refuses another, leaves the rest.
    auto ec_chain = ferrotls::CertChain::from_file(F + "ecdsa-p256-leaf.pem");
    auto ec_key = ferrotls::PrivateKey::from_file(F + "ecdsa-p256-leaf.key");
    std::vector<std::string> seen;
    size_t shared = 0;
    auto sni = server_builder()
                   .set_server_name_callback([&](const std::optional<std::string> &name, const std::vector<uint16_t> &suites) {
                       seen.push_back(name.value_or("-"));
                       shared = suites.size();
                       if (name == "localhost") return ferrotls::ServerNameChoice::use(ec_chain, ec_key);
                       if (name == "refused.test") return ferrotls::ServerNameChoice::refuse();
                       return ferrotls::ServerNameChoice::use_default();
                   })
                   .build();
    auto plain = ferrotls::ClientConfigBuilder().set_trust_store(roots).build();
    auto c3 = ferrotls::Connection::client(plain, "localhost");
    auto s3 = ferrotls::Connection::server(sni);
    pump(c3, s3);
    // The ECDSA pair was served (TLS 1.3 by default: the server signed with an ECDSA scheme).
    CHECK(!c3.is_handshaking());
    CHECK(ferrotls::Connection::signature_scheme_name(c3.peer_signature_scheme()).rfind("ecdsa_", 0) == 0);
    // Under TLS 1.3 the callback sees the 1.3 suites both sides allow (all three here).
    CHECK(shared == 3);
    // At TLS 1.2 it sees the 1.2 suites both sides allow, and the ECDSA pair gets an ECDHE-ECDSA
    // suite.
    auto plain12 = ferrotls::ClientConfigBuilder().set_trust_store(roots).set_versions(0, FERROTLS_TLS1_2).build();
    auto c3b = ferrotls::Connection::client(plain12, "localhost");
    auto s3b = ferrotls::Connection::server(sni);
    pump(c3b, s3b);
    CHECK(!c3b.is_handshaking() && c3b.cipher_suite_openssl_name().rfind("ECDHE-ECDSA-", 0) == 0 && shared > 0);
    auto c4 = ferrotls::Connection::client(plain, "refused.test");
    auto s4 = ferrotls::Connection::server(sni);
    CHECK(throws([&] { pump(c4, s4); }) != FERROTLS_OK);
    CHECK(s4.last_error().find("refused.test") != std::string::npos);
    CHECK((seen == std::vector<std::string>{"localhost", "localhost", "refused.test"}));
}

int main(int argc, char **argv) {
    F = (argc > 1 ? std::string(argv[1]) : std::string("tests/fixtures")) + "/";
    const std::pair<const char *, std::function<void()>> tests[] = {
        {"raii_and_errors", test_raii_and_errors},
        {"certificate_fields", test_certificate_fields},
        {"sans_io_pair", test_sans_io_pair},
        {"tls13", test_tls13},
        {"session_resumption", test_session_resumption},
        {"session_tickets", test_session_tickets},
        {"stream_pair", test_stream_pair},
        {"alpn", test_alpn},
        {"keylog_and_exporter", test_keylog_and_exporter},
        {"groups_schemes_and_server_name", test_groups_schemes_and_server_name},
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
        {"mutual_auth", test_mutual_auth},
#endif
    };
    for (const auto &[name, fn] : tests) {
        try {
            fn();
        } catch (const std::exception &e) {
            failed++;
            std::fprintf(stderr, "FAIL %s: uncaught %s\n", name, e.what());
        }
    }
#ifdef FERROTLS_HPP_NO_MUTUAL_AUTH
    std::printf("cpp_test: mutual authentication NOT tested (header without the mutual-auth C API)\n");
#endif
    std::printf("cpp_test: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
