// ferrotls.hpp: header-only C++17 wrapper over the ferrotls C API (ferrotls.h).
//
// Every class owns one C handle (move-only RAII; the destructor calls the matching
// ferrotls_*_free) and every method is one C function without the ferrotls_ prefix:
// ferrotls_conn_read -> Connection::read, ferrotls_client_config_builder_set_versions ->
// ClientConfigBuilder::set_versions. Failures throw ferrotls::Error (the ferrotls_result code
// and the last-error message). Would-block and end-of-stream results of the transport calls are
// returned, not thrown (see Connection).
//
// Mutual authentication (set_client_cert, ClientVerifier, verify callbacks, CRLs, encrypted keys,
// trust directories) needs a libferrotls with that C API; define FERROTLS_HPP_NO_MUTUAL_AUTH to
// compile against a header without it.
#ifndef FERROTLS_HPP
#define FERROTLS_HPP

#include <ferrotls.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ferrotls {

using Result = ferrotls_result;

/// A failed ferrotls call: code() is the ferrotls_result, what() "<description>: <detail>".
class Error : public std::runtime_error {
public:
    Error(Result code, const std::string &detail)
        : std::runtime_error(compose(code, detail)), code_(code) {}
    Result code() const noexcept { return code_; }
    /// ferrotls_result_class: the code rounded down to its thousand.
    Result result_class() const noexcept { return static_cast<Result>(ferrotls_result_class(code_)); }
    bool is_certificate_error() const noexcept { return result_class() == FERROTLS_CERT_OTHER; }

private:
    static std::string compose(Result code, const std::string &detail) {
        std::string s = ferrotls_result_str(code);
        if (!detail.empty()) s += ": " + detail;
        return s;
    }
    Result code_;
};

/// ferrotls_version
inline std::string version() { return ferrotls_version(); }
/// ferrotls_result_str
inline std::string result_str(Result code) { return ferrotls_result_str(code); }
/// ferrotls_last_error
inline std::string last_error() { return ferrotls_last_error(); }

namespace detail {
inline void check(Result rc, const char *detail = nullptr) {
    if (rc != FERROTLS_OK) throw Error(rc, detail && *detail ? detail : ferrotls_last_error());
}
inline std::string str(const char *s) { return s ? s : ""; }

template <typename T, void (*Free)(T *)>
class Handle {
public:
    Handle() noexcept = default;
    explicit Handle(T *p) noexcept : p_(p) {}
    Handle(Handle &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    Handle &operator=(Handle &&o) noexcept {
        if (this != &o) { reset(); p_ = std::exchange(o.p_, nullptr); }
        return *this;
    }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    ~Handle() { reset(); }
    T *get() const noexcept { return p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }
    void reset() noexcept { if (p_) Free(p_); p_ = nullptr; }

private:
    T *p_ = nullptr;
};

// Keeps the C++ state behind C callbacks (std::function) alive as long as anything that may
// call them: builders hand their list to the configurations they build, connections keep theirs.
using KeepAlive = std::vector<std::shared_ptr<void>>;
}  // namespace detail

// --- certificates ------------------------------------------------------------------------------

/// A certificate borrowed from a chain (or passed to a verify callback): valid while its owner is.
class CertView {
public:
    explicit CertView(const ferrotls_cert *c) noexcept : c_(c) {}
    const ferrotls_cert *get() const noexcept { return c_; }
    /// ferrotls_cert_der
    std::vector<std::byte> der() const {
        const uint8_t *p = nullptr;
        size_t n = 0;
        detail::check(ferrotls_cert_der(c_, &p, &n));
        auto b = reinterpret_cast<const std::byte *>(p);
        return std::vector<std::byte>(b, b + n);
    }
    /// ferrotls_cert_subject (RFC 4514)
    std::string subject() const { return detail::str(ferrotls_cert_subject(c_)); }
    /// ferrotls_cert_issuer
    std::string issuer() const { return detail::str(ferrotls_cert_issuer(c_)); }
    /// ferrotls_cert_subject_oneline
    std::string subject_oneline() const { return detail::str(ferrotls_cert_subject_oneline(c_)); }
    /// ferrotls_cert_issuer_oneline
    std::string issuer_oneline() const { return detail::str(ferrotls_cert_issuer_oneline(c_)); }
    /// ferrotls_cert_serial (uppercase hex)
    std::string serial() const { return detail::str(ferrotls_cert_serial(c_)); }
    /// ferrotls_cert_not_before
    std::string not_before() const { return detail::str(ferrotls_cert_not_before(c_)); }
    /// ferrotls_cert_not_after
    std::string not_after() const { return detail::str(ferrotls_cert_not_after(c_)); }
    /// ferrotls_cert_validity: (notBefore, notAfter) in unix seconds
    std::pair<int64_t, int64_t> validity() const {
        int64_t a = 0, b = 0;
        detail::check(ferrotls_cert_validity(c_, &a, &b));
        return {a, b};
    }
    /// ferrotls_cert_signature_algorithm
    std::string signature_algorithm() const { return detail::str(ferrotls_cert_signature_algorithm(c_)); }
    /// ferrotls_cert_public_key_algorithm
    std::string public_key_algorithm() const { return detail::str(ferrotls_cert_public_key_algorithm(c_)); }
    /// ferrotls_cert_public_key_bits
    size_t public_key_bits() const { return ferrotls_cert_public_key_bits(c_); }
    /// ferrotls_cert_is_ca
    bool is_ca() const { return ferrotls_cert_is_ca(c_); }
    /// ferrotls_cert_subject_alt_name_count / ferrotls_cert_subject_alt_name ("DNS:localhost")
    std::vector<std::string> subject_alt_names() const {
        std::vector<std::string> out;
        size_t n = ferrotls_cert_subject_alt_name_count(c_);
        for (size_t i = 0; i < n; i++) out.push_back(detail::str(ferrotls_cert_subject_alt_name(c_, i)));
        return out;
    }
    /// ferrotls_cert_to_json
    std::string to_json() const { return detail::str(ferrotls_cert_to_json(c_)); }

private:
    const ferrotls_cert *c_;
};

/// An owned certificate (ferrotls_cert).
class Cert : public CertView {
public:
    /// ferrotls_cert_from_der
    static Cert from_der(const void *der, size_t len) {
        ferrotls_cert *c = nullptr;
        detail::check(ferrotls_cert_from_der(static_cast<const uint8_t *>(der), len, &c));
        return Cert(c);
    }
    /// ferrotls_cert_from_pem
    static Cert from_pem(const std::string &pem) {
        ferrotls_cert *c = nullptr;
        detail::check(ferrotls_cert_from_pem(reinterpret_cast<const uint8_t *>(pem.data()), pem.size(), &c));
        return Cert(c);
    }
    Cert(Cert &&) noexcept = default;
    Cert &operator=(Cert &&) noexcept = default;

private:
    explicit Cert(ferrotls_cert *c) : CertView(c), h_(c) {}
    detail::Handle<ferrotls_cert, ferrotls_cert_free> h_;
};

/// A certificate chain, leaf first (ferrotls_cert_chain).
class CertChain {
public:
    CertChain() = default;
    explicit CertChain(ferrotls_cert_chain *c) noexcept : h_(c) {}
    /// ferrotls_cert_chain_from_pem
    static CertChain from_pem(const std::string &pem) {
        ferrotls_cert_chain *c = nullptr;
        detail::check(ferrotls_cert_chain_from_pem(reinterpret_cast<const uint8_t *>(pem.data()), pem.size(), &c));
        return CertChain(c);
    }
    /// ferrotls_cert_chain_from_file
    static CertChain from_file(const std::string &path) {
        ferrotls_cert_chain *c = nullptr;
        detail::check(ferrotls_cert_chain_from_file(path.c_str(), &c));
        return CertChain(c);
    }
    /// ferrotls_cert_chain_len
    size_t size() const { return ferrotls_cert_chain_len(h_.get()); }
    bool empty() const { return size() == 0; }
    /// ferrotls_cert_chain_get (borrowed; throws std::out_of_range)
    CertView operator[](size_t i) const {
        const ferrotls_cert *c = ferrotls_cert_chain_get(h_.get(), i);
        if (!c) throw std::out_of_range("ferrotls::CertChain index");
        return CertView(c);
    }
    const ferrotls_cert_chain *get() const noexcept { return h_.get(); }

private:
    detail::Handle<ferrotls_cert_chain, ferrotls_cert_chain_free> h_;
};

/// An RSA private key (ferrotls_private_key).
class PrivateKey {
public:
    /// ferrotls_private_key_from_pem
    static PrivateKey from_pem(const std::string &pem) {
        ferrotls_private_key *k = nullptr;
        detail::check(ferrotls_private_key_from_pem(reinterpret_cast<const uint8_t *>(pem.data()), pem.size(), &k));
        return PrivateKey(k);
    }
    /// ferrotls_private_key_from_file
    static PrivateKey from_file(const std::string &path) {
        ferrotls_private_key *k = nullptr;
        detail::check(ferrotls_private_key_from_file(path.c_str(), &k));
        return PrivateKey(k);
    }
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
    /// ferrotls_private_key_from_pem_with_password
    static PrivateKey from_pem_with_password(const std::string &pem, const std::string &password) {
        ferrotls_private_key *k = nullptr;
        detail::check(ferrotls_private_key_from_pem_with_password(
            reinterpret_cast<const uint8_t *>(pem.data()), pem.size(),
            reinterpret_cast<const uint8_t *>(password.data()), password.size(), &k));
        return PrivateKey(k);
    }
#endif
    const ferrotls_private_key *get() const noexcept { return h_.get(); }

private:
    explicit PrivateKey(ferrotls_private_key *k) : h_(k) {}
    detail::Handle<ferrotls_private_key, ferrotls_private_key_free> h_;
};

/// Trusted CAs (ferrotls_trust_store). Setters return *this.
class TrustStore {
public:
    /// ferrotls_trust_store_new
    TrustStore() {
        ferrotls_trust_store *s = nullptr;
        detail::check(ferrotls_trust_store_new(&s));
        h_ = decltype(h_)(s);
    }
    /// ferrotls_trust_store_add_pem
    TrustStore &add_pem(const std::string &pem, size_t *added = nullptr) {
        detail::check(ferrotls_trust_store_add_pem(h_.get(), reinterpret_cast<const uint8_t *>(pem.data()),
                                                   pem.size(), added));
        return *this;
    }
    /// ferrotls_trust_store_add_file
    TrustStore &add_file(const std::string &path, size_t *added = nullptr) {
        detail::check(ferrotls_trust_store_add_file(h_.get(), path.c_str(), added));
        return *this;
    }
    /// ferrotls_trust_store_add_cert
    TrustStore &add_cert(const CertView &cert) {
        detail::check(ferrotls_trust_store_add_cert(h_.get(), cert.get()));
        return *this;
    }
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
    /// ferrotls_trust_store_add_dir (OpenSSL hashed directory)
    TrustStore &add_dir(const std::string &path) {
        detail::check(ferrotls_trust_store_add_dir(h_.get(), path.c_str()));
        return *this;
    }
    /// ferrotls_trust_store_add_system
    TrustStore &add_system() {
        detail::check(ferrotls_trust_store_add_system(h_.get()));
        return *this;
    }
#endif
    /// ferrotls_trust_store_len
    size_t size() const { return ferrotls_trust_store_len(h_.get()); }
    const ferrotls_trust_store *get() const noexcept { return h_.get(); }

private:
    detail::Handle<ferrotls_trust_store, ferrotls_trust_store_free> h_;
};

/// A key log callback: (label, ClientHello.random, secret) for each secret a connection derives
/// (NSS key log format: `label hex(client_random) hex(secret)`). Exceptions are swallowed.
using KeyLogCallback =
    std::function<void(const std::string &label, const std::vector<uint8_t> &client_random, const std::vector<uint8_t> &secret)>;

namespace detail {
inline void keylog_trampoline(void *userdata, const char *label, const uint8_t *client_random, size_t client_random_len,
                              const uint8_t *secret, size_t secret_len) {
    try {
        (*static_cast<KeyLogCallback *>(userdata))(label, std::vector<uint8_t>(client_random, client_random + client_random_len),
                                                   std::vector<uint8_t>(secret, secret + secret_len));
    } catch (...) {
    }
}
}  // namespace detail

/// What a server-name callback chose: the configuration's own certificates (`use_default()`),
/// this chain and key (`use(chain, key)`: both must outlive the configuration, as the library
/// copies them only when chosen), or to refuse the client (`refuse()`).
struct ServerNameChoice {
    ferrotls_server_name_choice kind = FERROTLS_SERVER_NAME_DEFAULT;
    const ferrotls_cert_chain *chain = nullptr;
    const ferrotls_private_key *key = nullptr;
    static ServerNameChoice use_default() { return {}; }
    static ServerNameChoice refuse() { return {FERROTLS_SERVER_NAME_REFUSE, nullptr, nullptr}; }
    template <typename Chain, typename Key>
    static ServerNameChoice use(const Chain &chain, const Key &key) { return {FERROTLS_SERVER_NAME_USE, chain.get(), key.get()}; }
};

/// A server-name callback (ferrotls_server_name_callback): the name the client asked for
/// (std::nullopt when it sent none) and the suites both sides allow at the negotiated version
/// (TLS 1.2 suites, or the 1.3 suites under TLS 1.3), in the server's order. Exceptions refuse
/// the client.
using ServerNameCallback = std::function<ServerNameChoice(const std::optional<std::string> &server_name,
                                                          const std::vector<uint16_t> &shared_suites)>;

namespace detail {
inline int server_name_trampoline(void *userdata, const char *server_name, const uint16_t *suites, size_t suites_len,
                                  const ferrotls_cert_chain **chain_out, const ferrotls_private_key **key_out) {
    try {
        std::optional<std::string> name;
        if (server_name) name = server_name;
        ServerNameChoice c = (*static_cast<ServerNameCallback *>(userdata))(name, std::vector<uint16_t>(suites, suites + suites_len));
        if (c.kind == FERROTLS_SERVER_NAME_USE) {
            *chain_out = c.chain;
            *key_out = c.key;
        }
        return c.kind;
    } catch (...) {
        return FERROTLS_SERVER_NAME_REFUSE;
    }
}
}  // namespace detail

#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
/// A verify callback: (depth, certificate, error code) -> accept it? Exceptions count as "no".
using VerifyCallback = std::function<bool(size_t depth, CertView cert, Result error)>;

namespace detail {
inline bool verify_trampoline(void *userdata, size_t depth, const ferrotls_cert *cert, ferrotls_result error) {
    try {
        return (*static_cast<VerifyCallback *>(userdata))(depth, CertView(cert), error);
    } catch (...) {
        return false;
    }
}
}  // namespace detail

/// How a server checks client certificates (ferrotls_client_verifier). Setters return *this.
class ClientVerifier {
public:
    /// ferrotls_client_verifier_new (the roots are copied)
    explicit ClientVerifier(const TrustStore &roots) {
        ferrotls_client_verifier *v = nullptr;
        detail::check(ferrotls_client_verifier_new(roots.get(), &v));
        h_ = decltype(h_)(v);
    }
    /// ferrotls_client_verifier_set_optional
    ClientVerifier &set_optional(bool optional) {
        detail::check(ferrotls_client_verifier_set_optional(h_.get(), optional));
        return *this;
    }
    /// ferrotls_client_verifier_set_legacy
    ClientVerifier &set_legacy(bool legacy) {
        detail::check(ferrotls_client_verifier_set_legacy(h_.get(), legacy));
        return *this;
    }
    /// ferrotls_client_verifier_add_crl_pem
    ClientVerifier &add_crl_pem(const std::string &pem) {
        detail::check(ferrotls_client_verifier_add_crl_pem(h_.get(), reinterpret_cast<const uint8_t *>(pem.data()),
                                                           pem.size()));
        return *this;
    }
    /// ferrotls_client_verifier_set_verify_callback
    ClientVerifier &set_verify_callback(VerifyCallback cb) {
        auto holder = std::make_shared<VerifyCallback>(std::move(cb));
        detail::check(ferrotls_client_verifier_set_verify_callback(h_.get(), detail::verify_trampoline, holder.get()));
        keepalive_.push_back(holder);
        return *this;
    }
    const ferrotls_client_verifier *get() const noexcept { return h_.get(); }
    const detail::KeepAlive &keepalive() const noexcept { return keepalive_; }

private:
    detail::Handle<ferrotls_client_verifier, ferrotls_client_verifier_free> h_;
    detail::KeepAlive keepalive_;
};
#endif

// --- configurations -----------------------------------------------------------------------------

/// An immutable client configuration (ferrotls_client_config); share it between connections.
class ClientConfig {
public:
    ClientConfig(ferrotls_client_config *c, detail::KeepAlive k) : h_(c), keepalive_(std::move(k)) {}
    const ferrotls_client_config *get() const noexcept { return h_.get(); }
    const detail::KeepAlive &keepalive() const noexcept { return keepalive_; }

private:
    detail::Handle<ferrotls_client_config, ferrotls_client_config_free> h_;
    detail::KeepAlive keepalive_;
};

/// A server's session-ticket keys (ferrotls_ticket_keys): rotated by time or by hand, or set
/// so that several servers share them.
class TicketKeys {
public:
    /// ferrotls_ticket_keys_new (0: rotate only by hand)
    explicit TicketKeys(uint64_t rotation_seconds = 0) {
        ferrotls_ticket_keys *k = nullptr;
        detail::check(ferrotls_ticket_keys_new(rotation_seconds, &k));
        h_ = detail::Handle<ferrotls_ticket_keys, ferrotls_ticket_keys_free>(k);
    }
    /// ferrotls_ticket_keys_rotate
    TicketKeys &rotate() { detail::check(ferrotls_ticket_keys_rotate(h_.get())); return *this; }
    /// ferrotls_ticket_keys_set_key (a 16-byte name, a 32-byte key)
    TicketKeys &set_key(const std::vector<uint8_t> &name, const std::vector<uint8_t> &key) {
        detail::check(ferrotls_ticket_keys_set_key(h_.get(), name.data(), name.size(), key.data(), key.size()));
        return *this;
    }
    const ferrotls_ticket_keys *get() const noexcept { return h_.get(); }

private:
    detail::Handle<ferrotls_ticket_keys, ferrotls_ticket_keys_free> h_;
};

/// An immutable server configuration (ferrotls_server_config).
class ServerConfig {
public:
    ServerConfig(ferrotls_server_config *c, detail::KeepAlive k) : h_(c), keepalive_(std::move(k)) {}
    const ferrotls_server_config *get() const noexcept { return h_.get(); }
    const detail::KeepAlive &keepalive() const noexcept { return keepalive_; }

private:
    detail::Handle<ferrotls_server_config, ferrotls_server_config_free> h_;
    detail::KeepAlive keepalive_;
};

/// ferrotls_client_config_builder with fluent setters; build() may be called again.
class ClientConfigBuilder {
public:
    /// ferrotls_client_config_builder_new
    ClientConfigBuilder() {
        ferrotls_client_config_builder *b = nullptr;
        detail::check(ferrotls_client_config_builder_new(&b));
        h_ = decltype(h_)(b);
    }
    /// ferrotls_client_config_builder_set_versions (FERROTLS_TLS1_0..FERROTLS_TLS1_3, 0 = default)
    ClientConfigBuilder &set_versions(uint16_t min, uint16_t max) { return ok(ferrotls_client_config_builder_set_versions(h_.get(), min, max)); }
    /// ferrotls_client_config_builder_set_cipher_list
    ClientConfigBuilder &set_cipher_list(const std::string &list) { return ok(ferrotls_client_config_builder_set_cipher_list(h_.get(), list.c_str())); }
    /// ferrotls_client_config_builder_set_ciphersuites (the TLS 1.3 suites)
    ClientConfigBuilder &set_ciphersuites(const std::string &list) { return ok(ferrotls_client_config_builder_set_ciphersuites(h_.get(), list.c_str())); }
    /// ferrotls_client_config_builder_set_legacy
    ClientConfigBuilder &set_legacy(bool on) { return ok(ferrotls_client_config_builder_set_legacy(h_.get(), on)); }
    /// ferrotls_client_config_builder_set_extended_master_secret
    ClientConfigBuilder &set_extended_master_secret(bool on) { return ok(ferrotls_client_config_builder_set_extended_master_secret(h_.get(), on)); }
    /// ferrotls_client_config_builder_set_encrypt_then_mac
    ClientConfigBuilder &set_encrypt_then_mac(bool on) { return ok(ferrotls_client_config_builder_set_encrypt_then_mac(h_.get(), on)); }
    /// ferrotls_client_config_builder_set_trust_store (copied)
    ClientConfigBuilder &set_trust_store(const TrustStore &s) { return ok(ferrotls_client_config_builder_set_trust_store(h_.get(), s.get())); }
    /// ferrotls_client_config_builder_dangerous_no_verify
    ClientConfigBuilder &dangerous_no_verify() { return ok(ferrotls_client_config_builder_dangerous_no_verify(h_.get())); }
    /// ferrotls_client_config_builder_set_enable_sni
    ClientConfigBuilder &set_enable_sni(bool on) { return ok(ferrotls_client_config_builder_set_enable_sni(h_.get(), on)); }
    /// ferrotls_client_config_builder_set_send_fallback_scsv
    ClientConfigBuilder &set_send_fallback_scsv(bool on) { return ok(ferrotls_client_config_builder_set_send_fallback_scsv(h_.get(), on)); }
    /// ferrotls_client_config_builder_set_tickets (RFC 5077; on by default)
    ClientConfigBuilder &set_tickets(bool on) { return ok(ferrotls_client_config_builder_set_tickets(h_.get(), on)); }
    /// ferrotls_client_config_builder_set_groups: key exchange groups, most preferred first
    /// ("X25519:P-256:P-384"; OpenSSL's or IANA names; "" restores the default,
    /// X25519MLKEM768:X25519:P-256:P-384)
    ClientConfigBuilder &set_groups(const std::string &groups) { return ok(ferrotls_client_config_builder_set_groups(h_.get(), groups.empty() ? nullptr : groups.c_str())); }
    /// ferrotls_client_config_builder_set_signature_schemes: TLS 1.2 signature schemes offered
    /// ("RSA-PSS+SHA256:ECDSA+SHA256" or IANA names; "" restores the default)
    ClientConfigBuilder &set_signature_schemes(const std::string &schemes) { return ok(ferrotls_client_config_builder_set_signature_schemes(h_.get(), schemes.empty() ? nullptr : schemes.c_str())); }
    /// ferrotls_client_config_builder_set_session_cache_size (server names whose session is offered by itself; 0: none)
    ClientConfigBuilder &set_session_cache_size(size_t size) { return ok(ferrotls_client_config_builder_set_session_cache_size(h_.get(), size)); }
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
    /// ferrotls_client_config_builder_set_client_cert (both copied)
    ClientConfigBuilder &set_client_cert(const CertChain &chain, const PrivateKey &key) { return ok(ferrotls_client_config_builder_set_client_cert(h_.get(), chain.get(), key.get())); }
    /// ferrotls_client_config_builder_set_verify_callback
    ClientConfigBuilder &set_verify_callback(VerifyCallback cb) {
        auto holder = std::make_shared<VerifyCallback>(std::move(cb));
        ok(ferrotls_client_config_builder_set_verify_callback(h_.get(), detail::verify_trampoline, holder.get()));
        keepalive_.push_back(holder);
        return *this;
    }
    /// ferrotls_client_config_builder_add_crl_pem
    ClientConfigBuilder &add_crl_pem(const std::string &pem) { return ok(ferrotls_client_config_builder_add_crl_pem(h_.get(), reinterpret_cast<const uint8_t *>(pem.data()), pem.size())); }
#endif
    /// ferrotls_client_config_builder_set_alpn_protocols (ALPN, RFC 7301; most preferred first,
    /// copied; each name 1 to 255 bytes, checked at build; empty turns ALPN off)
    ClientConfigBuilder &set_alpn_protocols(const std::vector<std::string> &protocols) {
        std::vector<ferrotls_slice_bytes> v;
        v.reserve(protocols.size());
        for (const auto &p : protocols) v.push_back({reinterpret_cast<const uint8_t *>(p.data()), p.size()});
        return ok(ferrotls_client_config_builder_set_alpn_protocols(h_.get(), v.data(), v.size()));
    }
    /// ferrotls_client_config_builder_set_keylog_callback (for debugging: the secrets decrypt the session)
    ClientConfigBuilder &set_keylog_callback(KeyLogCallback cb) {
        auto holder = std::make_shared<KeyLogCallback>(std::move(cb));
        ok(ferrotls_client_config_builder_set_keylog_callback(h_.get(), detail::keylog_trampoline, holder.get()));
        keepalive_.push_back(holder);
        return *this;
    }
    /// ferrotls_client_config_builder_build
    ClientConfig build() {
        ferrotls_client_config *c = nullptr;
        ok(ferrotls_client_config_builder_build(h_.get(), &c));
        return ClientConfig(c, keepalive_);
    }
    /// ferrotls_client_config_builder_last_error
    std::string last_error() const { return detail::str(ferrotls_client_config_builder_last_error(h_.get())); }

private:
    ClientConfigBuilder &ok(Result rc) {
        if (rc != FERROTLS_OK) throw Error(rc, last_error());
        return *this;
    }
    detail::Handle<ferrotls_client_config_builder, ferrotls_client_config_builder_free> h_;
    detail::KeepAlive keepalive_;
};

/// ferrotls_server_config_builder with fluent setters.
class ServerConfigBuilder {
public:
    /// ferrotls_server_config_builder_new
    ServerConfigBuilder() {
        ferrotls_server_config_builder *b = nullptr;
        detail::check(ferrotls_server_config_builder_new(&b));
        h_ = decltype(h_)(b);
    }
    /// ferrotls_server_config_builder_set_versions
    ServerConfigBuilder &set_versions(uint16_t min, uint16_t max) { return ok(ferrotls_server_config_builder_set_versions(h_.get(), min, max)); }
    /// ferrotls_server_config_builder_set_cipher_list
    ServerConfigBuilder &set_cipher_list(const std::string &list) { return ok(ferrotls_server_config_builder_set_cipher_list(h_.get(), list.c_str())); }
    /// ferrotls_server_config_builder_set_ciphersuites (the TLS 1.3 suites)
    ServerConfigBuilder &set_ciphersuites(const std::string &list) { return ok(ferrotls_server_config_builder_set_ciphersuites(h_.get(), list.c_str())); }
    /// ferrotls_server_config_builder_set_legacy
    ServerConfigBuilder &set_legacy(bool on) { return ok(ferrotls_server_config_builder_set_legacy(h_.get(), on)); }
    /// ferrotls_server_config_builder_set_extended_master_secret
    ServerConfigBuilder &set_extended_master_secret(bool on) { return ok(ferrotls_server_config_builder_set_extended_master_secret(h_.get(), on)); }
    /// ferrotls_server_config_builder_set_encrypt_then_mac
    ServerConfigBuilder &set_encrypt_then_mac(bool on) { return ok(ferrotls_server_config_builder_set_encrypt_then_mac(h_.get(), on)); }
    /// ferrotls_server_config_builder_set_cert_chain_and_key (both copied)
    ServerConfigBuilder &set_cert_chain_and_key(const CertChain &chain, const PrivateKey &key) { return ok(ferrotls_server_config_builder_set_cert_chain_and_key(h_.get(), chain.get(), key.get())); }
    /// ferrotls_server_config_builder_add_cert_chain_and_key (another key type beside the first; copied)
    ServerConfigBuilder &add_cert_chain_and_key(const CertChain &chain, const PrivateKey &key) { return ok(ferrotls_server_config_builder_add_cert_chain_and_key(h_.get(), chain.get(), key.get())); }
    /// ferrotls_server_config_builder_set_server_name_callback: chooses the certificate per client
    ServerConfigBuilder &set_server_name_callback(ServerNameCallback cb) {
        auto holder = std::make_shared<ServerNameCallback>(std::move(cb));
        ok(ferrotls_server_config_builder_set_server_name_callback(h_.get(), detail::server_name_trampoline, holder.get()));
        keepalive_.push_back(holder);
        return *this;
    }
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
    /// ferrotls_server_config_builder_set_client_verifier
    ServerConfigBuilder &set_client_verifier(const ClientVerifier &v) {
        ok(ferrotls_server_config_builder_set_client_verifier(h_.get(), v.get()));
        keepalive_.insert(keepalive_.end(), v.keepalive().begin(), v.keepalive().end());
        return *this;
    }
#endif
    /// ferrotls_server_config_builder_set_alpn_protocols (ALPN, RFC 7301; most preferred first,
    /// copied; each name 1 to 255 bytes, checked at build; empty turns ALPN off)
    ServerConfigBuilder &set_alpn_protocols(const std::vector<std::string> &protocols) {
        std::vector<ferrotls_slice_bytes> v;
        v.reserve(protocols.size());
        for (const auto &p : protocols) v.push_back({reinterpret_cast<const uint8_t *>(p.data()), p.size()});
        return ok(ferrotls_server_config_builder_set_alpn_protocols(h_.get(), v.data(), v.size()));
    }
    /// ferrotls_server_config_builder_set_keylog_callback (for debugging: the secrets decrypt the session)
    ServerConfigBuilder &set_keylog_callback(KeyLogCallback cb) {
        auto holder = std::make_shared<KeyLogCallback>(std::move(cb));
        ok(ferrotls_server_config_builder_set_keylog_callback(h_.get(), detail::keylog_trampoline, holder.get()));
        keepalive_.push_back(holder);
        return *this;
    }
    /// ferrotls_server_config_builder_set_groups (as the client's)
    ServerConfigBuilder &set_groups(const std::string &groups) { return ok(ferrotls_server_config_builder_set_groups(h_.get(), groups.empty() ? nullptr : groups.c_str())); }
    /// ferrotls_server_config_builder_set_signature_schemes (as the client's; those this server signs with)
    ServerConfigBuilder &set_signature_schemes(const std::string &schemes) { return ok(ferrotls_server_config_builder_set_signature_schemes(h_.get(), schemes.empty() ? nullptr : schemes.c_str())); }
    /// ferrotls_server_config_builder_set_session_cache_size (0: no resumption)
    ServerConfigBuilder &set_session_cache_size(size_t size) { return ok(ferrotls_server_config_builder_set_session_cache_size(h_.get(), size)); }
    /// ferrotls_server_config_builder_set_session_timeout (seconds)
    ServerConfigBuilder &set_session_timeout(uint64_t seconds) { return ok(ferrotls_server_config_builder_set_session_timeout(h_.get(), seconds)); }
    /// ferrotls_server_config_builder_set_tickets (RFC 5077; on by default)
    ServerConfigBuilder &set_tickets(bool on) { return ok(ferrotls_server_config_builder_set_tickets(h_.get(), on)); }
    /// ferrotls_server_config_builder_set_ticket_keys (shared: rotating them affects every
    /// configuration built with them)
    ServerConfigBuilder &set_ticket_keys(const TicketKeys &keys) { return ok(ferrotls_server_config_builder_set_ticket_keys(h_.get(), keys.get())); }
    /// ferrotls_server_config_builder_set_session_id_context (at most 32 bytes)
    ServerConfigBuilder &set_session_id_context(const std::string &context) {
        return ok(ferrotls_server_config_builder_set_session_id_context(h_.get(), reinterpret_cast<const uint8_t *>(context.data()), context.size()));
    }
    /// ferrotls_server_config_builder_build
    ServerConfig build() {
        ferrotls_server_config *c = nullptr;
        ok(ferrotls_server_config_builder_build(h_.get(), &c));
        return ServerConfig(c, keepalive_);
    }
    /// ferrotls_server_config_builder_last_error
    std::string last_error() const { return detail::str(ferrotls_server_config_builder_last_error(h_.get())); }

private:
    ServerConfigBuilder &ok(Result rc) {
        if (rc != FERROTLS_OK) throw Error(rc, last_error());
        return *this;
    }
    detail::Handle<ferrotls_server_config_builder, ferrotls_server_config_builder_free> h_;
    detail::KeepAlive keepalive_;
};

// --- connections ----------------------------------------------------------------------------------

/// A resumable session (ferrotls_session), from Connection::session(), offered by
/// Connection::client(config, name, session).
class Session {
public:
    explicit Session(ferrotls_session *s) noexcept : h_(s) {}
    /// ferrotls_session_id
    std::vector<uint8_t> id() const {
        std::vector<uint8_t> out(32);
        size_t n = 0;
        detail::check(ferrotls_session_id(h_.get(), out.data(), out.size(), &n));
        out.resize(n);
        return out;
    }
    /// ferrotls_session_protocol_version
    uint16_t protocol_version() const { return ferrotls_session_protocol_version(h_.get()); }
    /// ferrotls_session_cipher_suite
    uint16_t cipher_suite() const { return ferrotls_session_cipher_suite(h_.get()); }
    /// ferrotls_session_has_ticket (RFC 5077)
    bool has_ticket() const { return ferrotls_session_has_ticket(h_.get()); }
    /// ferrotls_session_ticket_lifetime_hint (seconds)
    uint32_t ticket_lifetime_hint() const { return ferrotls_session_ticket_lifetime_hint(h_.get()); }
    /// ferrotls_session_to_bytes (the versioned encoding; it holds the master secret)
    std::vector<uint8_t> to_bytes() const {
        std::vector<uint8_t> out(ferrotls_session_encoded_len(h_.get()));
        size_t n = 0;
        detail::check(ferrotls_session_to_bytes(h_.get(), out.data(), out.size(), &n));
        out.resize(n);
        return out;
    }
    /// ferrotls_session_from_bytes: imported for `config`, after verifying its certificates again
    static Session from_bytes(const ClientConfig &config, const std::vector<uint8_t> &bytes) {
        ferrotls_session *s = nullptr;
        detail::check(ferrotls_session_from_bytes(config.get(), bytes.data(), bytes.size(), &s));
        return Session(s);
    }
    const ferrotls_session *get() const noexcept { return h_.get(); }

private:
    detail::Handle<ferrotls_session, ferrotls_session_free> h_;
};

/// One TLS connection (ferrotls_conn). Transport and sans-IO calls that may legitimately stop
/// (FERROTLS_WANT_READ / _WANT_WRITE, FERROTLS_CLOSED, FERROTLS_TRUNCATED) return the Result;
/// every other failure throws Error with ferrotls_conn_last_error's message.
class Connection {
public:
    /// ferrotls_conn_new_client
    static Connection client(const ClientConfig &config, const std::string &server_name) {
        ferrotls_conn *c = nullptr;
        detail::check(ferrotls_conn_new_client(config.get(), server_name.c_str(), &c));
        return Connection(c, config.keepalive());
    }
    /// ferrotls_conn_new_client_resuming: offers `session` (an abbreviated handshake if the
    /// server still has it; see session_reused())
    static Connection client(const ClientConfig &config, const std::string &server_name, const Session &session) {
        ferrotls_conn *c = nullptr;
        detail::check(ferrotls_conn_new_client_resuming(config.get(), server_name.c_str(), session.get(), &c));
        return Connection(c, config.keepalive());
    }
    /// ferrotls_conn_new_server
    static Connection server(const ServerConfig &config) {
        ferrotls_conn *c = nullptr;
        detail::check(ferrotls_conn_new_server(config.get(), &c));
        return Connection(c, config.keepalive());
    }

    /// ferrotls_conn_set_fd (the descriptor stays the caller's)
    void set_fd(int fd) { must(ferrotls_conn_set_fd(h_.get(), fd)); }
    /// ferrotls_conn_handshake
    Result handshake() { return soft(ferrotls_conn_handshake(h_.get())); }
    /// ferrotls_conn_read: OK with *n > 0, CLOSED, TRUNCATED, WANT_*
    Result read(void *buf, size_t len, size_t &n) { return soft(ferrotls_conn_read(h_.get(), static_cast<uint8_t *>(buf), len, &n)); }
    /// ferrotls_conn_write
    Result write(const void *buf, size_t len, size_t &n) { return soft(ferrotls_conn_write(h_.get(), static_cast<const uint8_t *>(buf), len, &n)); }
    /// ferrotls_conn_flush
    Result flush() { return soft(ferrotls_conn_flush(h_.get())); }
    /// ferrotls_conn_shutdown (close_notify)
    Result shutdown() { return soft(ferrotls_conn_shutdown(h_.get())); }

    /// ferrotls_conn_feed_tls: bytes consumed
    size_t feed_tls(const void *buf, size_t len) {
        size_t n = 0;
        must(ferrotls_conn_feed_tls(h_.get(), static_cast<const uint8_t *>(buf), len, &n));
        return n;
    }
    /// ferrotls_conn_feed_eof
    void feed_eof() { must(ferrotls_conn_feed_eof(h_.get())); }
    /// ferrotls_conn_process
    void process() { must(ferrotls_conn_process(h_.get())); }
    /// ferrotls_conn_take_tls: bytes to send (empty when none wait)
    std::vector<std::byte> take_tls(size_t max = 16384 + 2048) {
        std::vector<std::byte> out(max);
        size_t n = 0;
        must(ferrotls_conn_take_tls(h_.get(), reinterpret_cast<uint8_t *>(out.data()), max, &n));
        out.resize(n);
        return out;
    }
    /// ferrotls_conn_wants_write
    bool wants_write() const { return ferrotls_conn_wants_write(h_.get()); }
    /// ferrotls_conn_write_plaintext: bytes accepted
    size_t write_plaintext(const void *buf, size_t len) {
        size_t n = 0;
        must(ferrotls_conn_write_plaintext(h_.get(), static_cast<const uint8_t *>(buf), len, &n));
        return n;
    }
    /// ferrotls_conn_read_plaintext: OK, WANT_READ, CLOSED or TRUNCATED
    Result read_plaintext(void *buf, size_t len, size_t &n) { return soft(ferrotls_conn_read_plaintext(h_.get(), static_cast<uint8_t *>(buf), len, &n)); }
    /// ferrotls_conn_send_close_notify
    void send_close_notify() { must(ferrotls_conn_send_close_notify(h_.get())); }
    /// ferrotls_conn_send_key_update (TLS 1.3; FERROTLS_BAD_STATE under TLS 1.2)
    void send_key_update(bool request_peer_update) { must(ferrotls_conn_send_key_update(h_.get(), request_peer_update)); }

    /// ferrotls_conn_is_handshaking
    bool is_handshaking() const { return ferrotls_conn_is_handshaking(h_.get()); }
    /// ferrotls_conn_peer_has_closed
    bool peer_has_closed() const { return ferrotls_conn_peer_has_closed(h_.get()); }
    /// ferrotls_conn_plaintext_bytes_to_read: decrypted bytes a read returns at once
    size_t plaintext_bytes_to_read() const { return ferrotls_conn_plaintext_bytes_to_read(h_.get()); }
    /// ferrotls_conn_protocol_version
    uint16_t protocol_version() const { return ferrotls_conn_protocol_version(h_.get()); }
    /// ferrotls_conn_protocol_version_name ("TLSv1.3", "TLSv1.2"; "" before it is known)
    std::string protocol_version_name() const { return detail::str(ferrotls_conn_protocol_version_name(h_.get())); }
    /// ferrotls_conn_cipher_suite
    uint16_t cipher_suite() const { return ferrotls_conn_cipher_suite(h_.get()); }
    /// ferrotls_conn_cipher_suite_name (IANA)
    std::string cipher_suite_name() const { return detail::str(ferrotls_conn_cipher_suite_name(h_.get())); }
    /// ferrotls_conn_cipher_suite_openssl_name
    std::string cipher_suite_openssl_name() const { return detail::str(ferrotls_conn_cipher_suite_openssl_name(h_.get())); }
    /// ferrotls_conn_negotiated_group: the ECDHE group's IANA number (0 with RSA key exchange)
    uint16_t negotiated_group() const { return ferrotls_conn_negotiated_group(h_.get()); }
    /// ferrotls_conn_negotiated_group_name ("X25519MLKEM768", "X25519", "P-256", "P-384"; "" with RSA key exchange)
    std::string negotiated_group_name() const { return detail::str(ferrotls_conn_negotiated_group_name(h_.get())); }
    /// ferrotls_conn_peer_signature_scheme: the scheme the peer signed with (0 if it did not sign)
    uint16_t peer_signature_scheme() const { return ferrotls_conn_peer_signature_scheme(h_.get()); }
    /// ferrotls_conn_signature_scheme: the scheme this side signed with (0 if it did not sign)
    uint16_t signature_scheme() const { return ferrotls_conn_signature_scheme(h_.get()); }
    /// ferrotls_signature_scheme_name ("rsa_pss_rsae_sha256"; "" for an unknown number)
    static std::string signature_scheme_name(uint16_t scheme) { return detail::str(ferrotls_signature_scheme_name(scheme)); }
    /// ferrotls_conn_extended_master_secret
    bool extended_master_secret() const { return ferrotls_conn_extended_master_secret(h_.get()); }
    /// ferrotls_conn_encrypt_then_mac
    bool encrypt_then_mac() const { return ferrotls_conn_encrypt_then_mac(h_.get()); }
    /// ferrotls_conn_alpn_protocol: the protocol ALPN agreed ("" if none)
    std::string alpn_protocol() const {
        const uint8_t *p = nullptr;
        size_t n = 0;
        if (ferrotls_result rc = ferrotls_conn_alpn_protocol(h_.get(), &p, &n); rc != FERROTLS_OK) throw Error(rc, last_error());
        return p ? std::string(reinterpret_cast<const char *>(p), n) : std::string();
    }
    /// ferrotls_conn_export_keying_material (RFC 5705): `length` bytes for `label`; no context
    /// (std::nullopt) differs from an empty one
    std::vector<uint8_t> export_keying_material(const std::string &label, size_t length,
                                                const std::optional<std::string> &context = std::nullopt) {
        std::vector<uint8_t> out(length);
        const std::string &ctx = context ? *context : label;  // any valid pointer when unused
        Result rc = ferrotls_conn_export_keying_material(
            h_.get(), reinterpret_cast<const uint8_t *>(label.data()), label.size(),
            reinterpret_cast<const uint8_t *>(ctx.data()), context ? context->size() : 0, context.has_value(),
            out.data(), out.size());
        if (rc != FERROTLS_OK) throw Error(rc, last_error());
        return out;
    }
    /// ferrotls_conn_server_name (server side: the client's SNI, "" if none)
    std::string server_name() const { return detail::str(ferrotls_conn_server_name(h_.get())); }
    /// ferrotls_conn_peer_cert_chain (a copy, leaf first)
    CertChain peer_cert_chain() const {
        ferrotls_cert_chain *c = nullptr;
        if (ferrotls_result rc = ferrotls_conn_peer_cert_chain(h_.get(), &c); rc != FERROTLS_OK) throw Error(rc, last_error());
        return CertChain(c);
    }
#ifndef FERROTLS_HPP_NO_MUTUAL_AUTH
    /// ferrotls_conn_client_certificate_sent
    bool client_certificate_sent() const { return ferrotls_conn_client_certificate_sent(h_.get()); }
#endif
    /// ferrotls_conn_session: nullopt when there is no resumable session (FERROTLS_BAD_STATE)
    std::optional<Session> session() const {
        ferrotls_session *s = nullptr;
        if (ferrotls_conn_session(h_.get(), &s) != FERROTLS_OK) return std::nullopt;
        return Session(s);
    }
    /// ferrotls_conn_session_reused (by session ID or ticket)
    bool session_reused() const { return ferrotls_conn_session_reused(h_.get()); }
    /// ferrotls_conn_session_reused_by_ticket
    bool session_reused_by_ticket() const { return ferrotls_conn_session_reused_by_ticket(h_.get()); }
    /// ferrotls_conn_last_error
    std::string last_error() const { return detail::str(ferrotls_conn_last_error(h_.get())); }
    ferrotls_conn *get() const noexcept { return h_.get(); }

private:
    Connection(ferrotls_conn *c, detail::KeepAlive k) : h_(c), keepalive_(std::move(k)) {}
    void must(Result rc) const {
        if (rc != FERROTLS_OK) throw Error(rc, last_error());
    }
    Result soft(Result rc) const {
        switch (rc) {
            case FERROTLS_OK: case FERROTLS_WANT_READ: case FERROTLS_WANT_WRITE: case FERROTLS_CLOSED: case FERROTLS_TRUNCATED:
                return rc;
            default:
                throw Error(rc, last_error());
        }
    }
    detail::Handle<ferrotls_conn, ferrotls_conn_free> h_;
    detail::KeepAlive keepalive_;
};

/// A blocking TLS stream over a connected socket the caller owns (ferrotls_conn_set_fd).
/// read() returns 0 at the peer's close_notify; everything else that is not success throws
/// (a truncated end included: FERROTLS_TRUNCATED).
class Stream {
public:
    Stream(Connection conn, int fd) : conn_(std::move(conn)) { conn_.set_fd(fd); }
    /// ferrotls_conn_handshake
    void handshake() { expect_ok(conn_.handshake()); }
    /// ferrotls_conn_read: bytes read into buf, 0 at close_notify
    size_t read(void *buf, size_t len) {
        size_t n = 0;
        Result rc = conn_.read(buf, len, n);
        if (rc == FERROTLS_CLOSED) return 0;
        expect_ok(rc);
        return n;
    }
    /// Up to max bytes (empty at close_notify).
    std::vector<std::byte> read(size_t max = 16384) {
        std::vector<std::byte> out(max);
        out.resize(read(out.data(), max));
        return out;
    }
    /// Everything until the peer's close_notify.
    std::string read_to_end() {
        std::string all;
        char buf[16384];
        for (size_t n; (n = read(buf, sizeof buf)) > 0;) all.append(buf, n);
        return all;
    }
    /// ferrotls_conn_write: bytes accepted
    size_t write(const void *buf, size_t len) {
        size_t n = 0;
        expect_ok(conn_.write(buf, len, n));
        return n;
    }
    /// ferrotls_conn_write until all is sent, then ferrotls_conn_flush
    void write_all(const void *buf, size_t len) {
        auto p = static_cast<const std::byte *>(buf);
        while (len > 0) {
            size_t n = write(p, len);
            p += n;
            len -= n;
        }
        expect_ok(conn_.flush());
    }
    void write_all(const std::string &s) { write_all(s.data(), s.size()); }
    /// ferrotls_conn_shutdown: sends close_notify
    void shutdown() { expect_ok(conn_.shutdown()); }
    Connection &connection() noexcept { return conn_; }
    const Connection &connection() const noexcept { return conn_; }

private:
    void expect_ok(Result rc) {
        if (rc != FERROTLS_OK) throw Error(rc, conn_.last_error());
    }
    Connection conn_;
};

}  // namespace ferrotls

#endif  // FERROTLS_HPP
