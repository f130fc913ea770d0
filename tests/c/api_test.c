/* Happy paths of the C API that the examples do not show: version macros against the library,
 * result codes, certificate fields, trust stores from memory, and a sans-IO handshake with
 * every introspection call; then mutual authentication in memory: client certificates, the
 * client verifier (required/optional), verify callbacks that override or add a refusal, CRLs,
 * encrypted keys, hashed and system trust directories. The other fixtures are found next to CA.pem.
 *
 *   api_test CA.pem CHAIN.pem KEY.pem */
#include <ferrotls.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char data[1 << 16];
    *len = fread(data, 1, sizeof data, f);
    fclose(f);
    char *copy = malloc(*len + 1);
    memcpy(copy, data, *len);
    copy[*len] = '\0';
    return copy;
}

static void pump(ferrotls_conn *from, ferrotls_conn *to) {
    uint8_t buf[2048];
    size_t n = 0, used = 0;
    while (ferrotls_conn_wants_write(from)) {
        CHECK_RC(ferrotls_conn_take_tls(from, buf, sizeof buf, &n), FERROTLS_OK);
        for (size_t off = 0; off < n; off += used) {
            CHECK_RC(ferrotls_conn_feed_tls(to, buf + off, n - off, &used), FERROTLS_OK);
            ferrotls_conn_process(to);
        }
    }
}

static char fixture_dir[512];

/* A fixture next to CA.pem. */
static const char *fx(const char *name) {
    static char path[8][600];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", fixture_dir, name);
    return p;
}

/* Moves every queued TLS byte from one side to the other; the first failure of `to` goes to *rc. */
static void move_tls(ferrotls_conn *from, ferrotls_conn *to, ferrotls_result *rc) {
    uint8_t buf[4096];
    size_t n = 0, used = 0;
    while (ferrotls_conn_wants_write(from) && ferrotls_conn_take_tls(from, buf, sizeof buf, &n) == FERROTLS_OK && n) {
        for (size_t off = 0; off < n; off += used) {
            used = 0;
            if (ferrotls_conn_feed_tls(to, buf + off, n - off, &used) != FERROTLS_OK || used == 0) return;
            ferrotls_result r = ferrotls_conn_process(to);
            if (r != FERROTLS_OK && *rc == FERROTLS_OK) *rc = r;
        }
    }
}

/* A sans-IO handshake; each side's first failure (FERROTLS_OK when none) in *crc / *src. */
static void shake(ferrotls_client_config *cc, ferrotls_server_config *sc, ferrotls_conn **c, ferrotls_conn **s,
                  ferrotls_result *crc, ferrotls_result *src) {
    *crc = *src = FERROTLS_OK;
    CHECK_RC(ferrotls_conn_new_client(cc, "localhost", c), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, s), FERROTLS_OK);
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(*c) || ferrotls_conn_is_handshaking(*s)); i++) {
        move_tls(*c, *s, src);
        move_tls(*s, *c, crc);
        if (*crc != FERROTLS_OK || *src != FERROTLS_OK) {
            move_tls(*c, *s, src); /* deliver the alert */
            move_tls(*s, *c, crc);
            break;
        }
    }
}

/* What a verify callback saw, and what it answers. */
struct seen {
    int calls;
    size_t max_depth;
    ferrotls_result errors[8]; /* by depth */
    char leaf_subject[256];
    bool verdict;             /* the answer for every certificate */
    int reject_depth;         /* >= 0: answer false at that depth only */
};

static bool record(void *userdata, size_t depth, const ferrotls_cert *cert, ferrotls_result error) {
    struct seen *s = userdata;
    s->calls++;
    if (depth > s->max_depth) s->max_depth = depth;
    if (depth < 8) s->errors[depth] = error;
    if (depth == 0 && ferrotls_cert_subject(cert))
        snprintf(s->leaf_subject, sizeof s->leaf_subject, "%s", ferrotls_cert_subject(cert));
    if (s->reject_depth >= 0) return (int)depth != s->reject_depth;
    return s->verdict;
}

static ferrotls_cert_chain *chain_of(const char *a, const char *b) {
    size_t la = 0, lb = 0;
    char *pa = slurp(a, &la), *pb = b ? slurp(b, &lb) : NULL;
    char *both = malloc(la + lb + 1);
    memcpy(both, pa, la);
    if (pb) memcpy(both + la, pb, lb);
    ferrotls_cert_chain *chain = NULL;
    CHECK_RC(ferrotls_cert_chain_from_pem((const uint8_t *)both, la + lb, &chain), FERROTLS_OK);
    free(pa);
    free(pb);
    free(both);
    return chain;
}

static ferrotls_private_key *key_of(const char *path) {
    ferrotls_private_key *k = NULL;
    CHECK_RC(ferrotls_private_key_from_file(path, &k), FERROTLS_OK);
    return k;
}

static ferrotls_server_config *server_with(ferrotls_cert_chain *chain, ferrotls_private_key *key,
                                           const ferrotls_client_verifier *v) {
    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    if (v) CHECK_RC(ferrotls_server_config_builder_set_client_verifier(sb, v), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);
    return sc;
}

/* Mutual authentication and the verification extras, all in memory. */
static void mutual_authentication(void) {
    ferrotls_trust_store *roots = NULL;
    CHECK_RC(ferrotls_trust_store_new(&roots), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(roots, fx("ca.pem"), NULL), FERROTLS_OK);
    ferrotls_cert_chain *server_chain = chain_of(fx("server-chain.pem"), NULL);
    ferrotls_cert_chain *client_chain = chain_of(fx("client-chain.pem"), NULL);
    ferrotls_private_key *server_key = key_of(fx("server.key")), *client_key = key_of(fx("client.key"));
    ferrotls_conn *c = NULL, *s = NULL;
    ferrotls_result crc, src;
    ferrotls_cert_chain *peer = NULL;

    /* The client verifier, required by default. */
    ferrotls_client_verifier *verifier = NULL;
    CHECK_RC(ferrotls_client_verifier_new(roots, &verifier), FERROTLS_OK);
    ferrotls_server_config *sc = server_with(server_chain, server_key, verifier);

    /* A client with a certificate: both sides finish, the server sees the client's chain. */
    ferrotls_client_config_builder *cb = NULL;
    ferrotls_client_config *with_cert = NULL, *without_cert = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, roots), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &without_cert), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_client_cert(cb, client_chain, client_key), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &with_cert), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);

    shake(with_cert, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(ferrotls_conn_client_certificate_sent(c) && !ferrotls_conn_client_certificate_sent(s));
    CHECK_RC(ferrotls_conn_peer_cert_chain(s, &peer), FERROTLS_OK);
    CHECK(ferrotls_cert_chain_len(peer) == 2);
    CHECK(strstr(ferrotls_cert_subject(ferrotls_cert_chain_get(peer, 0)), "ferrotls demo client") != NULL);
    ferrotls_cert_chain_free(peer);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);

    /* Without a certificate: refused (TLS 1.3's certificate_required reaches the client). */
    shake(without_cert, sc, &c, &s, &crc, &src);
    CHECK(src != FERROTLS_OK && crc == FERROTLS_ALERT_RECEIVED);
    CHECK(strstr(ferrotls_conn_last_error(c), "certificate_required") != NULL);
    CHECK(strstr(ferrotls_conn_last_error(s), "certificate_required") != NULL);
    CHECK(!ferrotls_conn_client_certificate_sent(c));
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);

    /* Optional: the client without a certificate gets through, unauthenticated. */
    CHECK_RC(ferrotls_client_verifier_set_optional(verifier, true), FERROTLS_OK);
    sc = server_with(server_chain, server_key, verifier);
    shake(without_cert, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK_RC(ferrotls_conn_peer_cert_chain(s, &peer), FERROTLS_OK);
    CHECK(ferrotls_cert_chain_len(peer) == 0);
    ferrotls_cert_chain_free(peer);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);

    /* A client-verifier callback that rejects a good chain at the leaf: FERROTLS_CERT_OTHER. */
    struct seen seen = {.verdict = true, .reject_depth = 0};
    CHECK_RC(ferrotls_client_verifier_set_optional(verifier, false), FERROTLS_OK);
    CHECK_RC(ferrotls_client_verifier_set_legacy(verifier, false), FERROTLS_OK);
    CHECK_RC(ferrotls_client_verifier_set_verify_callback(verifier, record, &seen), FERROTLS_OK);
    sc = server_with(server_chain, server_key, verifier);
    shake(with_cert, sc, &c, &s, &crc, &src);
    CHECK_RC(src, FERROTLS_CERT_OTHER);
    CHECK(crc == FERROTLS_ALERT_RECEIVED && strstr(ferrotls_conn_last_error(c), "bad_certificate") != NULL);
    CHECK(seen.calls == 3 && seen.max_depth == 2); /* root, intermediate, leaf */
    CHECK(seen.errors[0] == FERROTLS_OK && seen.errors[2] == FERROTLS_OK);
    CHECK(strstr(seen.leaf_subject, "ferrotls demo client") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);

    /* CRLs on the client verifier: the demo client (serial 3005) is not listed, so it passes. */
    size_t crl_len = 0;
    char *crl = slurp(fx("intermediate.crl.pem"), &crl_len);
    CHECK_RC(ferrotls_client_verifier_set_verify_callback(verifier, NULL, NULL), FERROTLS_OK);
    CHECK_RC(ferrotls_client_verifier_add_crl_pem(verifier, (const uint8_t *)crl, crl_len), FERROTLS_OK);
    sc = server_with(server_chain, server_key, verifier);
    shake(with_cert, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    ferrotls_client_verifier_free(verifier);

    /* A verifier trusting another CA: unknown_ca. */
    ferrotls_trust_store *other = NULL;
    CHECK_RC(ferrotls_trust_store_new(&other), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(other, fx("untrusted-ca.pem"), NULL), FERROTLS_OK);
    CHECK_RC(ferrotls_client_verifier_new(other, &verifier), FERROTLS_OK);
    sc = server_with(server_chain, server_key, verifier);
    shake(with_cert, sc, &c, &s, &crc, &src);
    CHECK_RC(src, FERROTLS_CERT_UNKNOWN_ISSUER);
    CHECK(crc == FERROTLS_ALERT_RECEIVED && strstr(ferrotls_conn_last_error(c), "unknown_ca") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    ferrotls_client_verifier_free(verifier);
    ferrotls_trust_store_free(other);

    /* Server side of the client: a callback that overrides the untrusted chain's error. */
    ferrotls_cert_chain *untrusted = chain_of(fx("untrusted-chain.pem"), NULL);
    sc = server_with(untrusted, server_key, NULL);
    struct seen override = {.verdict = true, .reject_depth = -1};
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, roots), FERROTLS_OK);
    ferrotls_client_config *cc = NULL;
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    shake(cc, sc, &c, &s, &crc, &src); /* first without the callback: unknown issuer */
    CHECK_RC(crc, FERROTLS_CERT_UNKNOWN_ISSUER);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_client_config_free(cc);
    CHECK_RC(ferrotls_client_config_builder_set_verify_callback(cb, record, &override), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(override.calls >= 1);
    int unknown = 0;
    for (int d = 0; d < 8; d++) unknown += override.errors[d] == FERROTLS_CERT_UNKNOWN_ISSUER;
    CHECK(unknown == 1);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_client_config_free(cc);
    ferrotls_server_config_free(sc);
    ferrotls_cert_chain_free(untrusted);

    /* ... and one that rejects the good chain at the root: the error is FERROTLS_CERT_OTHER. */
    struct seen reject = {.verdict = false, .reject_depth = -1};
    CHECK_RC(ferrotls_client_config_builder_set_verify_callback(cb, record, &reject), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    sc = server_with(server_chain, server_key, NULL);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK_RC(crc, FERROTLS_CERT_OTHER);
    CHECK(reject.calls == 1 && reject.max_depth == 2); /* the root is shown first */
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_client_config_free(cc);
    ferrotls_server_config_free(sc);

    /* A self-signed leaf: its own code, FERROTLS_CERT_SELF_SIGNED_LEAF, shown to the callback. */
    struct seen selfsigned = {.verdict = false, .reject_depth = -1};
    CHECK_RC(ferrotls_client_config_builder_set_verify_callback(cb, record, &selfsigned), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    ferrotls_cert_chain *self_signed = chain_of(fx("self-signed-leaf.pem"), NULL);
    sc = server_with(self_signed, server_key, NULL);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK_RC(crc, FERROTLS_CERT_SELF_SIGNED_LEAF);
    CHECK(selfsigned.errors[0] == FERROTLS_CERT_SELF_SIGNED_LEAF);
    CHECK(strstr(ferrotls_result_str(FERROTLS_CERT_SELF_SIGNED_LEAF), "self-signed") != NULL);
    CHECK(ferrotls_result_class(FERROTLS_CERT_SELF_SIGNED_LEAF) == FERROTLS_CERT_OTHER);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_client_config_free(cc);
    ferrotls_server_config_free(sc);
    ferrotls_cert_chain_free(self_signed);

    /* CRLs on the client: the revoked leaf (serial 3010) fails with FERROTLS_CERT_REVOKED. */
    CHECK_RC(ferrotls_client_config_builder_set_verify_callback(cb, NULL, NULL), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_add_crl_pem(cb, (const uint8_t *)crl, crl_len), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    ferrotls_cert_chain *revoked = chain_of(fx("revoked.pem"), fx("intermediate.pem"));
    sc = server_with(revoked, server_key, NULL);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK_RC(crc, FERROTLS_CERT_REVOKED);
    CHECK(strstr(ferrotls_conn_last_error(s), "certificate_revoked") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    sc = server_with(server_chain, server_key, NULL); /* the good server still passes */
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(cc);
    ferrotls_cert_chain_free(revoked);
    ferrotls_client_config_builder_free(cb);
    free(crl);

    /* Encrypted keys: the right password loads the server key, a wrong one is refused. */
    size_t enc_len = 0;
    char *enc = slurp(fx("server-encrypted.key"), &enc_len);
    const char *pw = "ferrotls-test";
    ferrotls_private_key *k = NULL;
    CHECK_RC(ferrotls_private_key_from_pem((const uint8_t *)enc, enc_len, &k), FERROTLS_PEM_ENCRYPTED_KEY);
    CHECK_RC(ferrotls_private_key_from_pem_with_password((const uint8_t *)enc, enc_len, (const uint8_t *)"wrong", 5, &k),
             FERROTLS_PEM_DECRYPT_FAILED);
    CHECK(k == NULL && strlen(ferrotls_last_error()) > 0);
    CHECK_RC(ferrotls_private_key_from_pem_with_password((const uint8_t *)enc, enc_len, (const uint8_t *)pw, strlen(pw), &k),
             FERROTLS_OK);
    sc = server_with(server_chain, k, NULL); /* it matches the certificate */
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, roots), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(cc);
    ferrotls_private_key_free(k);
    k = NULL;
    size_t plain_len = 0; /* an unencrypted key ignores the password */
    char *plain = slurp(fx("server.key"), &plain_len);
    CHECK_RC(ferrotls_private_key_from_pem_with_password((const uint8_t *)plain, plain_len, NULL, 0, &k), FERROTLS_OK);
    ferrotls_private_key_free(k);
    free(plain);
    free(enc);

    /* Trust stores from an OpenSSL hashed directory and from the system locations. */
    ferrotls_trust_store *dir = NULL;
    CHECK_RC(ferrotls_trust_store_new(&dir), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_dir(dir, fx("hashed-roots")), FERROTLS_OK);
    CHECK(ferrotls_trust_store_len(dir) == 1);
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, dir), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    sc = server_with(server_chain, server_key, NULL);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK); /* the directory's CA verifies the server */
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(cc);
    setenv("SSL_CERT_FILE", fx("untrusted-ca.pem"), 1);
    setenv("SSL_CERT_DIR", fx("hashed-roots"), 1);
    CHECK_RC(ferrotls_trust_store_add_system(dir), FERROTLS_OK);
    CHECK(ferrotls_trust_store_len(dir) == 3);
    setenv("SSL_CERT_FILE", "/nonexistent.pem", 1);
    unsetenv("SSL_CERT_DIR");
    CHECK(ferrotls_result_class(ferrotls_trust_store_add_system(dir)) != FERROTLS_OK);
    CHECK(ferrotls_trust_store_len(dir) == 3);
    unsetenv("SSL_CERT_FILE");
    ferrotls_trust_store_free(dir);

    ferrotls_client_config_free(with_cert);
    ferrotls_client_config_free(without_cert);
    ferrotls_cert_chain_free(server_chain);
    ferrotls_cert_chain_free(client_chain);
    ferrotls_private_key_free(server_key);
    ferrotls_private_key_free(client_key);
    ferrotls_trust_store_free(roots);
}

/* The application protocol a pair agreed, as a NUL-terminated string ("" for none). */
static const char *agreed(const ferrotls_conn *conn) {
    static char out[256];
    const uint8_t *p = NULL;
    size_t n = 0;
    CHECK_RC(ferrotls_conn_alpn_protocol(conn, &p, &n), FERROTLS_OK);
    snprintf(out, sizeof out, "%.*s", (int)n, p ? (const char *)p : "");
    return out;
}

/* ALPN (RFC 7301) in memory: server preference, no overlap, one side without ALPN. */
static void alpn(void) {
    ferrotls_trust_store *roots = NULL;
    CHECK_RC(ferrotls_trust_store_new(&roots), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(roots, fx("ca.pem"), NULL), FERROTLS_OK);
    ferrotls_cert_chain *chain = chain_of(fx("server-chain.pem"), NULL);
    ferrotls_private_key *key = key_of(fx("server.key"));
    const ferrotls_slice_bytes client_protos[] = {{(const uint8_t *)"http/1.1", 8}, {(const uint8_t *)"h2", 2}};
    const ferrotls_slice_bytes server_protos[] = {{(const uint8_t *)"h2", 2}, {(const uint8_t *)"http/1.1", 8}};
    const ferrotls_slice_bytes other[] = {{(const uint8_t *)"spdy/3", 6}};

    ferrotls_client_config_builder *cb = NULL;
    ferrotls_client_config *cc = NULL, *cc_other = NULL, *cc_none = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, roots), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc_none), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_alpn_protocols(cb, client_protos, 2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_alpn_protocols(cb, other, 1), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc_other), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);

    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_alpn_protocols(sb, server_protos, 2), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);

    ferrotls_conn *c = NULL, *s = NULL;
    ferrotls_result crc, src;
    /* Both offer both: the server's preference (h2) wins. */
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(strcmp(agreed(c), "h2") == 0 && strcmp(agreed(s), "h2") == 0);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    /* No common protocol: the server refuses with no_application_protocol. */
    shake(cc_other, sc, &c, &s, &crc, &src);
    CHECK_RC(src, FERROTLS_PEER_INCOMPATIBLE);
    CHECK(crc == FERROTLS_ALERT_RECEIVED && strstr(ferrotls_conn_last_error(c), "no_application_protocol") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    /* A client without ALPN: served without it. */
    shake(cc_none, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(strcmp(agreed(c), "") == 0 && strcmp(agreed(s), "") == 0);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);

    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(cc);
    ferrotls_client_config_free(cc_other);
    ferrotls_client_config_free(cc_none);
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(key);
    ferrotls_trust_store_free(roots);
}

/* A client that offers `offer` (NULL: none) against a new server connection; each side's first
 * failure in *crc / *src, whether the client resumed in *reused. */
static void shake_resuming(ferrotls_client_config *cc, ferrotls_server_config *sc, ferrotls_session *offer,
                           ferrotls_result *crc, ferrotls_result *src, bool *reused, ferrotls_session **made) {
    ferrotls_conn *c = NULL, *s = NULL;
    *crc = *src = FERROTLS_OK;
    if (offer) CHECK_RC(ferrotls_conn_new_client_resuming(cc, "localhost", offer, &c), FERROTLS_OK);
    else CHECK_RC(ferrotls_conn_new_client(cc, "localhost", &c), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, &s), FERROTLS_OK);
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(c) || ferrotls_conn_is_handshaking(s)); i++) {
        move_tls(c, s, src);
        move_tls(s, c, crc);
        if (*crc != FERROTLS_OK || *src != FERROTLS_OK) break;
    }
    *reused = ferrotls_conn_session_reused(c);
    if (made) CHECK_RC(ferrotls_conn_session(c, made), FERROTLS_OK);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
}

/* Resumption skips the Certificate message, so a session is offered again only under the client
 * configuration that verified it: one made without verification (against a server nobody
 * trusts) is not resumed by a verifying configuration, which verifies and refuses. */
static void resumption_scope(void) {
    ferrotls_cert_chain *untrusted_chain = chain_of(fx("untrusted-chain.pem"), NULL);
    ferrotls_private_key *server_key = key_of(fx("server.key"));
    ferrotls_server_config *untrusted = server_with(untrusted_chain, server_key, NULL);
    ferrotls_cert_chain_free(untrusted_chain);
    ferrotls_private_key_free(server_key);
    ferrotls_client_config_builder *cb = NULL;
    ferrotls_client_config *careless = NULL, *verifying = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_dangerous_no_verify(cb), FERROTLS_OK);
    /* TLS 1.2 here; TLS 1.3 sessions: session13_test.c. */
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &careless), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    ferrotls_trust_store *store = NULL;
    CHECK_RC(ferrotls_trust_store_new(&store), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(store, fx("ca.pem"), NULL), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, store), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &verifying), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    ferrotls_trust_store_free(store);

    ferrotls_result crc, src;
    bool reused = true;
    ferrotls_session *session = NULL;
    shake_resuming(careless, untrusted, NULL, &crc, &src, &reused, &session);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK && !reused);
    /* The twin: the configuration that made it resumes it. */
    shake_resuming(careless, untrusted, session, &crc, &src, &reused, NULL);
    CHECK(crc == FERROTLS_OK && reused);
    shake_resuming(verifying, untrusted, session, &crc, &src, &reused, NULL);
    CHECK(!reused);
    CHECK(crc == FERROTLS_CERT_UNKNOWN_ISSUER);
    ferrotls_session_free(session);
    ferrotls_client_config_free(careless);
    ferrotls_client_config_free(verifying);
    ferrotls_server_config_free(untrusted);
}

/* A sans-IO handshake like shake(), asking for `name` (SNI). */
static void shake_named(ferrotls_client_config *cc, ferrotls_server_config *sc, const char *name, ferrotls_conn **c,
                        ferrotls_conn **s, ferrotls_result *crc, ferrotls_result *src) {
    *crc = *src = FERROTLS_OK;
    CHECK_RC(ferrotls_conn_new_client(cc, name, c), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, s), FERROTLS_OK);
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(*c) || ferrotls_conn_is_handshaking(*s)); i++) {
        move_tls(*c, *s, src);
        move_tls(*s, *c, crc);
        if (*crc != FERROTLS_OK || *src != FERROTLS_OK) {
            move_tls(*c, *s, src);
            move_tls(*s, *c, crc);
            break;
        }
    }
}

/* The subject of the leaf the server presented to `c`, or "" (copied into a static buffer). */
static const char *peer_leaf_subject(const ferrotls_conn *c) {
    static char subject[256];
    ferrotls_cert_chain *peer = NULL;
    subject[0] = '\0';
    if (ferrotls_conn_peer_cert_chain(c, &peer) == FERROTLS_OK) {
        snprintf(subject, sizeof subject, "%s", ferrotls_cert_subject(ferrotls_cert_chain_get(peer, 0)));
        ferrotls_cert_chain_free(peer);
    }
    return subject;
}

/* A P-521 key (generated once with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521`):
 * a curve ferrotls does not support. */
static const char P521_KEY[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIA/R8hR0YQgmXxyM1O\n"
    "+MCj8sXgcfgSjtSl4IMlK4ZBV/Xm7Jk2U4wUITcbrselNE/RhLq1za1hleCS0uiq\n"
    "SHIvnv2hgYkDgYYABAGDzagn6+OMHrRsrjrqhyvf4TDICMeL73A9NbXeiymwUykw\n"
    "mW0KyDrWou26nFNYx8Jbh6gMId2zoBOFuVdJB0RcbAFZl0uPwhGF/YiHGOd+4oz0\n"
    "YlXtLwctXQH9kuuu7tsZS4Z25nktdev38Ptz0rB5PA6pQchABWKyxmtQUEIOURup\n"
    "Qg==\n"
    "-----END PRIVATE KEY-----\n";

/* Key types, several certificates per server (by key type and by SNI), ECDSA client certificates. */
static void keys_and_certificates(void) {
    ferrotls_private_key *rsa = key_of(fx("server.key")), *p256 = key_of(fx("ecdsa-p256-leaf.key"));
    ferrotls_private_key *p384 = key_of(fx("ecdsa-p384-leaf.key")), *ed = key_of(fx("ed25519-leaf.key"));
    ferrotls_private_key *p521 = NULL;
    CHECK_RC(ferrotls_private_key_from_pem((const uint8_t *)P521_KEY, strlen(P521_KEY), &p521), FERROTLS_OK);
    CHECK(ferrotls_private_key_type(rsa) == FERROTLS_KEY_TYPE_RSA);
    CHECK(ferrotls_private_key_type(p256) == FERROTLS_KEY_TYPE_ECDSA_P256);
    CHECK(ferrotls_private_key_type(p384) == FERROTLS_KEY_TYPE_ECDSA_P384);
    CHECK(ferrotls_private_key_type(ed) == FERROTLS_KEY_TYPE_ED25519);
    CHECK(ferrotls_private_key_type(p521) == FERROTLS_KEY_TYPE_UNSUPPORTED);
    CHECK(ferrotls_private_key_type(NULL) == FERROTLS_KEY_TYPE_UNSUPPORTED);

    ferrotls_cert_chain *rsa_chain = chain_of(fx("server-chain.pem"), NULL);
    ferrotls_cert_chain *p256_chain = chain_of(fx("ecdsa-p256-leaf.pem"), NULL);
    ferrotls_cert_chain *other_chain = chain_of(fx("wrong-host-chain.pem"), NULL);
    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;

    /* An unsupported key is refused at build, naming the curve. */
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, p256_chain, p521), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_BAD_CONFIG);
    CHECK(strstr(ferrotls_server_config_builder_last_error(sb), "secp521r1") != NULL);
    ferrotls_server_config_builder_free(sb);

    ferrotls_trust_store *roots = NULL;
    CHECK_RC(ferrotls_trust_store_new(&roots), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(roots, fx("ca.pem"), NULL), FERROTLS_OK);
    ferrotls_client_config_builder *cb = NULL;
    ferrotls_client_config *cc = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, roots), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    ferrotls_conn *c = NULL, *s = NULL;
    ferrotls_result crc, src;

    /* An ECDSA and an RSA certificate: RSA key exchange gets the RSA one, though added second
     * (TLS 1.2: TLS 1.3 has no RSA key exchange). */
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_versions(sb, 0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_add_cert_chain_and_key(sb, p256_chain, p256), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_add_cert_chain_and_key(sb, rsa_chain, rsa), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cipher_list(sb, "AES128-SHA"), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);
    shake_named(cc, sc, "localhost", &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(strstr(peer_leaf_subject(c), "Test State") != NULL); /* server.pem, the RSA leaf */
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);

    /* Twin: the ECDSA certificate alone cannot serve RSA key exchange, and the error says why. */
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_versions(sb, 0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, p256_chain, p256), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cipher_list(sb, "AES128-SHA"), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);
    shake_named(cc, sc, "localhost", &c, &s, &crc, &src);
    CHECK(src == FERROTLS_PEER_INCOMPATIBLE && crc == FERROTLS_ALERT_RECEIVED);
    CHECK(strstr(ferrotls_conn_last_error(s), "ECDSA P-256") != NULL);
    CHECK(strstr(ferrotls_conn_last_error(c), "handshake_failure") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);

    /* SNI: other.example gets its own certificate, localhost the default. */
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_add_sni_cert_chain_and_key(sb, "Other.Example", other_chain, rsa), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    shake_named(cc, sc, "other.example", &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(strstr(peer_leaf_subject(c), "other.example") != NULL);
    CHECK(strcmp(ferrotls_conn_server_name(s), "other.example") == 0);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    /* Without a default, an unknown name is refused with unrecognized_name. */
    shake_named(cc, sc, "localhost", &c, &s, &crc, &src);
    CHECK(src == FERROTLS_PEER_INCOMPATIBLE && crc == FERROTLS_ALERT_RECEIVED);
    CHECK(strstr(ferrotls_conn_last_error(c), "unrecognized_name") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, rsa_chain, rsa), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    shake_named(cc, sc, "localhost", &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(strstr(peer_leaf_subject(c), "Test State") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    /* A certificate not valid for its SNI name is a configuration error. */
    CHECK_RC(ferrotls_server_config_builder_add_sni_cert_chain_and_key(sb, "another.example", rsa_chain, rsa), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_BAD_CONFIG);
    CHECK(strstr(ferrotls_server_config_builder_last_error(sb), "another.example") != NULL);
    ferrotls_server_config_builder_free(sb);

    /* An ECDSA client certificate, verified by a server trusting the ECDSA P-256 CA. */
    ferrotls_trust_store *ec_roots = NULL;
    CHECK_RC(ferrotls_trust_store_new(&ec_roots), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(ec_roots, fx("ecdsa-p256-ca.pem"), NULL), FERROTLS_OK);
    ferrotls_client_verifier *verifier = NULL;
    CHECK_RC(ferrotls_client_verifier_new(ec_roots, &verifier), FERROTLS_OK);
    sc = server_with(rsa_chain, rsa, verifier);
    ferrotls_cert_chain *ec_client_chain = chain_of(fx("ecdsa-p256-client.pem"), NULL);
    ferrotls_private_key *ec_client_key = key_of(fx("ecdsa-p256-client.key"));
    ferrotls_client_config *ec_client = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, roots), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_client_cert(cb, ec_client_chain, ec_client_key), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &ec_client), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    shake_named(ec_client, sc, "localhost", &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(ferrotls_conn_client_certificate_sent(c));
    CHECK(strstr(peer_leaf_subject(s), "ferrotls ECDSA client") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    /* Twin: the RSA-only client (no certificate) is refused by the requiring server. */
    shake_named(cc, sc, "localhost", &c, &s, &crc, &src);
    CHECK(src != FERROTLS_OK && crc == FERROTLS_ALERT_RECEIVED);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);

    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(ec_client);
    ferrotls_client_config_free(cc);
    ferrotls_client_verifier_free(verifier);
    ferrotls_trust_store_free(ec_roots);
    ferrotls_trust_store_free(roots);
    ferrotls_cert_chain_free(ec_client_chain);
    ferrotls_private_key_free(ec_client_key);
    ferrotls_cert_chain_free(rsa_chain);
    ferrotls_cert_chain_free(p256_chain);
    ferrotls_cert_chain_free(other_chain);
    ferrotls_private_key_free(rsa);
    ferrotls_private_key_free(p256);
    ferrotls_private_key_free(p384);
    ferrotls_private_key_free(ed);
    ferrotls_private_key_free(p521);
}

static ferrotls_client_config *trusting_client(bool tickets, size_t cache) {
    ferrotls_trust_store *store = NULL;
    CHECK_RC(ferrotls_trust_store_new(&store), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(store, fx("ca.pem"), NULL), FERROTLS_OK);
    ferrotls_client_config_builder *cb = NULL;
    ferrotls_client_config *cc = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, store), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_tickets(cb, tickets), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_session_cache_size(cb, cache), FERROTLS_OK);
    /* RFC 5077 tickets are TLS 1.2; TLS 1.3 tickets: session13_test.c. */
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    ferrotls_trust_store_free(store);
    return cc;
}

static ferrotls_server_config *ticket_server(bool tickets, ferrotls_ticket_keys *keys) {
    ferrotls_cert_chain *chain = chain_of(fx("server-chain.pem"), NULL);
    ferrotls_private_key *key = key_of(fx("server.key"));
    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_tickets(sb, tickets), FERROTLS_OK);
    if (keys) CHECK_RC(ferrotls_server_config_builder_set_ticket_keys(sb, keys), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(key);
    return sc;
}

/* Session tickets (RFC 5077): the configuration's store offers the ticket by itself, the
 * session travels as bytes and is imported after verification, shared ticket keys resume
 * across servers and a rotated-out key stops after one rotation more; twins: tickets off,
 * changed bytes, another server's keys. */
static void tickets(void) {
    ferrotls_client_config *cc = trusting_client(true, 16);
    ferrotls_server_config *sc = ticket_server(true, NULL);
    ferrotls_result crc, src;
    bool reused = true;
    ferrotls_session *session = NULL;
    shake_resuming(cc, sc, NULL, &crc, &src, &reused, &session);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK && !reused);
    CHECK(ferrotls_session_has_ticket(session));
    CHECK(ferrotls_session_ticket_lifetime_hint(session) == 300);
    uint8_t id[32];
    size_t id_len = 99;
    CHECK_RC(ferrotls_session_id(session, id, sizeof id, &id_len), FERROTLS_OK);
    CHECK(id_len == 0); /* RFC 5077 §3.4: a ticket instead of a session ID */

    /* The store: a plain new connection to the same name resumes by ticket. */
    ferrotls_conn *c = NULL, *s = NULL;
    CHECK_RC(ferrotls_conn_new_client(cc, "localhost", &c), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, &s), FERROTLS_OK);
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(c) || ferrotls_conn_is_handshaking(s)); i++) {
        pump(c, s);
        pump(s, c);
    }
    CHECK(ferrotls_conn_session_reused(c) && ferrotls_conn_session_reused(s));
    CHECK(ferrotls_conn_session_reused_by_ticket(c) && ferrotls_conn_session_reused_by_ticket(s));
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);

    /* Bytes out, bytes in (another configuration, which verifies the certificates again). */
    size_t need = ferrotls_session_encoded_len(session), written = 0;
    CHECK(need > 48);
    uint8_t *bytes = malloc(need);
    CHECK_RC(ferrotls_session_to_bytes(session, bytes, need - 1, &written), FERROTLS_INVALID_ARGUMENT);
    CHECK(written == 0);
    CHECK_RC(ferrotls_session_to_bytes(session, bytes, need, &written), FERROTLS_OK);
    CHECK(written == need);
    ferrotls_client_config *other = trusting_client(true, 0);
    ferrotls_session *imported = NULL;
    CHECK_RC(ferrotls_session_from_bytes(other, bytes, written, &imported), FERROTLS_OK);
    shake_resuming(other, sc, imported, &crc, &src, &reused, NULL);
    CHECK(crc == FERROTLS_OK && reused);
    bytes[0] ^= 0xff;
    ferrotls_session *bad = NULL;
    CHECK_RC(ferrotls_session_from_bytes(other, bytes, written, &bad), FERROTLS_INVALID_ARGUMENT);
    CHECK(bad == NULL);
    CHECK(strstr(ferrotls_last_error(), "format version") != NULL);
    free(bytes);
    ferrotls_session_free(imported);

    /* Another server (its own random keys) does a full handshake. */
    ferrotls_server_config *stranger = ticket_server(true, NULL);
    shake_resuming(other, stranger, session, &crc, &src, &reused, NULL);
    CHECK(crc == FERROTLS_OK && !reused);
    ferrotls_server_config_free(stranger);

    /* Shared keys, rotated by hand. */
    ferrotls_ticket_keys *keys = NULL;
    CHECK_RC(ferrotls_ticket_keys_new(0, &keys), FERROTLS_OK);
    uint8_t name[16] = {1}, secret[32] = {2};
    CHECK_RC(ferrotls_ticket_keys_set_key(keys, name, 15, secret, 32), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_ticket_keys_set_key(keys, name, 16, secret, 16), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_ticket_keys_set_key(keys, name, 16, secret, 32), FERROTLS_OK);
    ferrotls_server_config *a = ticket_server(true, keys), *b = ticket_server(true, keys);
    ferrotls_session *shared = NULL;
    shake_resuming(other, a, NULL, &crc, &src, &reused, &shared);
    shake_resuming(other, b, shared, &crc, &src, &reused, NULL);
    CHECK(crc == FERROTLS_OK && reused);
    CHECK_RC(ferrotls_ticket_keys_rotate(keys), FERROTLS_OK);
    shake_resuming(other, b, shared, &crc, &src, &reused, NULL);
    CHECK(reused); /* the previous key still opens (and renews) */
    CHECK_RC(ferrotls_ticket_keys_rotate(keys), FERROTLS_OK);
    shake_resuming(other, b, shared, &crc, &src, &reused, NULL);
    CHECK(crc == FERROTLS_OK && !reused);
    ferrotls_session_free(shared);
    ferrotls_server_config_free(a);
    ferrotls_server_config_free(b);
    ferrotls_ticket_keys_free(keys);
    ferrotls_ticket_keys_free(NULL);

    /* Tickets off on the server: a session ID instead, and no ticket. */
    ferrotls_server_config *plain = ticket_server(false, NULL);
    ferrotls_session *by_id = NULL;
    shake_resuming(other, plain, NULL, &crc, &src, &reused, &by_id);
    CHECK(!ferrotls_session_has_ticket(by_id));
    CHECK_RC(ferrotls_session_id(by_id, id, sizeof id, &id_len), FERROTLS_OK);
    CHECK(id_len == 32);
    ferrotls_session_free(by_id);
    ferrotls_server_config_free(plain);

    ferrotls_session_free(session);
    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(cc);
    ferrotls_client_config_free(other);
}

/* A client trusting ca.pem and a server with server-chain.pem, each with these versions (0: the
 * default) and TLS 1.3 suites (NULL: the default). */
static void tls13_pair(uint16_t cmax, const char *csuites, uint16_t smax, const char *ssuites,
                       ferrotls_client_config **cc, ferrotls_server_config **sc) {
    ferrotls_trust_store *store = NULL;
    CHECK_RC(ferrotls_trust_store_new(&store), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(store, fx("ca.pem"), NULL), FERROTLS_OK);
    ferrotls_client_config_builder *cb = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, store), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, cmax), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_ciphersuites(cb, csuites), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, cc), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    ferrotls_trust_store_free(store);
    ferrotls_cert_chain *chain = chain_of(fx("server-chain.pem"), NULL);
    ferrotls_private_key *key = key_of(fx("server.key"));
    ferrotls_server_config_builder *sb = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_versions(sb, 0, smax), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_ciphersuites(sb, ssuites), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(key);
}

/* TLS 1.3 through the C API: the default, what the getters say, the 1.3 suite setters (their own
 * and the 1.3 names in _set_cipher_list), KeyUpdate with data after it; twins: a 1.2 peer, no 1.3
 * suites, names that are not 1.3 suites, KeyUpdate under 1.2. */
static void tls13(void) {
    ferrotls_client_config *cc = NULL;
    ferrotls_server_config *sc = NULL;
    ferrotls_conn *c = NULL, *s = NULL;
    ferrotls_result crc, src;

    /* Defaults on both sides: TLS 1.3, the first suite of OpenSSL's order, X25519MLKEM768. */
    tls13_pair(0, NULL, 0, NULL, &cc, &sc);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(ferrotls_conn_protocol_version(c) == FERROTLS_TLS1_3 && ferrotls_conn_protocol_version(s) == FERROTLS_TLS1_3);
    CHECK(FERROTLS_TLS1_3 == 0x0304);
    CHECK(strcmp(ferrotls_conn_protocol_version_name(c), "TLSv1.3") == 0);
    CHECK(ferrotls_conn_cipher_suite(c) == 0x1302 && ferrotls_conn_cipher_suite(s) == 0x1302);
    CHECK(strcmp(ferrotls_conn_cipher_suite_name(c), "TLS_AES_256_GCM_SHA384") == 0);
    CHECK(strcmp(ferrotls_conn_cipher_suite_openssl_name(s), "TLS_AES_256_GCM_SHA384") == 0);
    CHECK(ferrotls_conn_negotiated_group(c) == 0x11EC && ferrotls_conn_negotiated_group(s) == 0x11EC);
    CHECK(strcmp(ferrotls_conn_negotiated_group_name(c), "X25519MLKEM768") == 0);

    /* KeyUpdate from the client, asking the server to update too; data flows both ways after it. */
    uint8_t buf[32];
    size_t n = 0;
    CHECK_RC(ferrotls_conn_send_key_update(c, true), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_write_plaintext(c, (const uint8_t *)"after-update", 12, &n), FERROTLS_OK);
    pump(c, s);
    CHECK_RC(ferrotls_conn_read_plaintext(s, buf, sizeof buf, &n), FERROTLS_OK);
    CHECK(n == 12 && memcmp(buf, "after-update", 12) == 0);
    CHECK_RC(ferrotls_conn_write_plaintext(s, (const uint8_t *)"reply", 5, &n), FERROTLS_OK);
    pump(s, c);
    CHECK_RC(ferrotls_conn_read_plaintext(c, buf, sizeof buf, &n), FERROTLS_OK);
    CHECK(n == 5 && memcmp(buf, "reply", 5) == 0);
    CHECK_RC(ferrotls_conn_send_key_update(NULL, false), FERROTLS_NULL_ARGUMENT);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(cc);

    /* One 1.3 suite on each side, set with _set_ciphersuites: that one. */
    tls13_pair(FERROTLS_TLS1_3, "TLS_CHACHA20_POLY1305_SHA256", 0, "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256",
               &cc, &sc);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
    CHECK(ferrotls_conn_cipher_suite(s) == 0x1303);
    CHECK(strcmp(ferrotls_conn_cipher_suite_name(c), "TLS_CHACHA20_POLY1305_SHA256") == 0);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(cc);

    /* No common 1.3 suite: the server says so (handshake_failure) instead of falling back. */
    tls13_pair(FERROTLS_TLS1_3, "TLS_AES_128_GCM_SHA256", 0, "TLS_AES_256_GCM_SHA384", &cc, &sc);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(src != FERROTLS_OK && crc == FERROTLS_ALERT_RECEIVED);
    CHECK(strstr(ferrotls_conn_last_error(c), "handshake_failure") != NULL);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    ferrotls_client_config_free(cc);

    /* A TLS 1.2 server, and a server whose 1.3 suite list is empty: TLS 1.2, where KeyUpdate is
     * refused. */
    for (int i = 0; i < 2; i++) {
        tls13_pair(0, NULL, i ? 0 : FERROTLS_TLS1_2, i ? "" : NULL, &cc, &sc);
        shake(cc, sc, &c, &s, &crc, &src);
        CHECK(crc == FERROTLS_OK && src == FERROTLS_OK);
        CHECK(ferrotls_conn_protocol_version(c) == FERROTLS_TLS1_2);
        CHECK(strcmp(ferrotls_conn_protocol_version_name(s), "TLSv1.2") == 0);
        CHECK(ferrotls_conn_cipher_suite(c) != 0 && (ferrotls_conn_cipher_suite(c) >> 8) != 0x13); /* not a 1.3 suite */
        CHECK_RC(ferrotls_conn_send_key_update(c, false), FERROTLS_BAD_STATE);
        CHECK(strstr(ferrotls_conn_last_error(c), "TLS 1.3") != NULL);
        ferrotls_conn_free(c);
        ferrotls_conn_free(s);
        ferrotls_server_config_free(sc);
        ferrotls_client_config_free(cc);
    }

    /* _set_cipher_list takes both families: the 1.3 names order the 1.3 suites, the others 1.2. */
    ferrotls_client_config_builder *cb = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_cipher_list(cb, "TLS_AES_128_GCM_SHA256:AES128-SHA"), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_dangerous_no_verify(cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    ferrotls_client_config *unused = NULL;
    tls13_pair(0, NULL, 0, NULL, &unused, &sc);
    ferrotls_client_config_free(unused);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && ferrotls_conn_cipher_suite(s) == 0x1301);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_client_config_free(cc);
    /* ... and a 1.2-only client with that list gets AES128-SHA. */
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    shake(cc, sc, &c, &s, &crc, &src);
    CHECK(crc == FERROTLS_OK && ferrotls_conn_cipher_suite(s) == 0x002F);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_client_config_free(cc);
    ferrotls_server_config_free(sc);

    /* Refusals: a 1.2 name or an unknown name in _set_ciphersuites, a version past 1.3. */
    CHECK_RC(ferrotls_client_config_builder_set_ciphersuites(cb, "AES128-SHA"), FERROTLS_INVALID_ARGUMENT);
    CHECK(strstr(ferrotls_client_config_builder_last_error(cb), "not a TLS 1.3 cipher suite") != NULL);
    CHECK(strstr(ferrotls_client_config_builder_last_error(cb), "TLS_AES_128_GCM_SHA256") != NULL);
    CHECK_RC(ferrotls_client_config_builder_set_ciphersuites(cb, "TLS_AES_128_CCM_SHA256"), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, 0x0305), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_client_config_builder_set_ciphersuites(NULL, ""), FERROTLS_NULL_ARGUMENT);
    ferrotls_client_config_builder_free(cb);
}

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    snprintf(fixture_dir, sizeof fixture_dir, "%s", argv[1]);
    char *slash = strrchr(fixture_dir, '/');
    if (slash) *slash = '\0'; else snprintf(fixture_dir, sizeof fixture_dir, ".");

    /* The header's version macros come from Cargo.toml, ferrotls_version() from the library. */
    char expect[64];
    snprintf(expect, sizeof expect, "%d.%d.%d", FERROTLS_VERSION_MAJOR, FERROTLS_VERSION_MINOR, FERROTLS_VERSION_PATCH);
    CHECK(strncmp(ferrotls_version(), expect, strlen(expect)) == 0);
    CHECK(strcmp(ferrotls_version(), FERROTLS_VERSION_STRING) == 0);
    CHECK(FERROTLS_VERSION_NUMBER == FERROTLS_VERSION_MAJOR * 10000 + FERROTLS_VERSION_MINOR * 100 + FERROTLS_VERSION_PATCH);

    /* The crypto provider, chosen by name before any configuration: this test runs on RustCrypto
     * (every build has it), the examples and misuse_test on the library's default (aws-lc). */
    CHECK_RC(ferrotls_set_default_provider(NULL), FERROTLS_NULL_ARGUMENT);
    CHECK_RC(ferrotls_set_default_provider("boringssl"), FERROTLS_INVALID_ARGUMENT);
    CHECK(strstr(ferrotls_last_error(), "unknown crypto provider") != NULL);
    CHECK(strstr(ferrotls_last_error(), "rustcrypto") != NULL);
    CHECK_RC(ferrotls_set_default_provider("RustCrypto"), FERROTLS_OK);
    CHECK_RC(ferrotls_set_default_provider("rustcrypto"), FERROTLS_OK);
    CHECK(strcmp(ferrotls_default_provider_name(), "rustcrypto") == 0);
    {
        ferrotls_result again = ferrotls_set_default_provider("aws-lc");
        /* BAD_STATE: another provider is in place (INVALID_ARGUMENT in a build without aws-lc). */
        CHECK(again == FERROTLS_BAD_STATE || again == FERROTLS_INVALID_ARGUMENT);
        CHECK(strstr(ferrotls_last_error(), again == FERROTLS_BAD_STATE ? "already rustcrypto" : "unknown") != NULL);
    }

    /* Result codes: stable numbers, classes, descriptions. */
    CHECK(FERROTLS_OK == 0 && FERROTLS_WANT_READ == 2000 && FERROTLS_CLOSED == 3000 && FERROTLS_CERT_EXPIRED == 6002);
    CHECK(ferrotls_result_class(FERROTLS_WANT_WRITE) == FERROTLS_WANT_READ);
    CHECK(ferrotls_result_class(FERROTLS_CERT_NOT_VALID_FOR_NAME) == FERROTLS_CERT_OTHER);
    CHECK(ferrotls_result_class(FERROTLS_NULL_ARGUMENT) == FERROTLS_USAGE);
    CHECK(ferrotls_result_class(FERROTLS_PANIC) == FERROTLS_INTERNAL);
    CHECK(ferrotls_result_class(123456) == FERROTLS_INTERNAL);
    CHECK(strcmp(ferrotls_result_str(FERROTLS_OK), "success") == 0);
    CHECK(strstr(ferrotls_result_str(FERROTLS_TRUNCATED), "truncated") != NULL);
    CHECK(strcmp(ferrotls_result_str(4242), "unknown result code") == 0);

    /* Certificates from memory, and their fields. */
    size_t ca_len = 0, chain_len = 0;
    char *ca_pem = slurp(argv[1], &ca_len), *chain_pem = slurp(argv[2], &chain_len);
    CHECK(ca_pem && chain_pem);
    ferrotls_cert *ca = NULL;
    CHECK_RC(ferrotls_cert_from_pem((const uint8_t *)ca_pem, ca_len, &ca), FERROTLS_OK);
    const uint8_t *der = NULL;
    size_t der_len = 0;
    CHECK_RC(ferrotls_cert_der(ca, &der, &der_len), FERROTLS_OK);
    ferrotls_cert *ca2 = NULL;
    CHECK_RC(ferrotls_cert_from_der(der, der_len, &ca2), FERROTLS_OK);
    CHECK(strcmp(ferrotls_cert_subject(ca2), ferrotls_cert_subject(ca)) == 0);
    CHECK(strcmp(ferrotls_cert_subject(ca), ferrotls_cert_issuer(ca)) == 0); /* self-signed */
    CHECK(ferrotls_cert_is_ca(ca));
    ferrotls_cert_free(ca2);

    ferrotls_cert_chain *chain = NULL;
    CHECK_RC(ferrotls_cert_chain_from_pem((const uint8_t *)chain_pem, chain_len, &chain), FERROTLS_OK);
    CHECK(ferrotls_cert_chain_len(chain) == 2);
    const ferrotls_cert *leaf = ferrotls_cert_chain_get(chain, 0);
    CHECK(strstr(ferrotls_cert_subject(leaf), "CN=localhost") == ferrotls_cert_subject(leaf));
    CHECK(strstr(ferrotls_cert_subject_oneline(leaf), "/CN=localhost") != NULL);
    CHECK(strstr(ferrotls_cert_issuer_oneline(leaf), "intermediate") != NULL);
    CHECK(strcmp(ferrotls_cert_issuer(leaf), ferrotls_cert_subject(ferrotls_cert_chain_get(chain, 1))) == 0);
    CHECK(strlen(ferrotls_cert_serial(leaf)) >= 2);
    CHECK(strstr(ferrotls_cert_not_before(leaf), "GMT") != NULL && strstr(ferrotls_cert_not_after(leaf), "GMT") != NULL);
    int64_t nb = 0, na = 0;
    CHECK_RC(ferrotls_cert_validity(leaf, &nb, &na), FERROTLS_OK);
    CHECK(nb > 0 && na > nb);
    CHECK(strcmp(ferrotls_cert_signature_algorithm(leaf), "sha256WithRSAEncryption") == 0);
    CHECK(strcmp(ferrotls_cert_public_key_algorithm(leaf), "rsaEncryption") == 0);
    CHECK(ferrotls_cert_public_key_bits(leaf) == 2048);
    CHECK(!ferrotls_cert_is_ca(leaf));
    CHECK(ferrotls_cert_subject_alt_name_count(leaf) == 2);
    CHECK(strcmp(ferrotls_cert_subject_alt_name(leaf, 0), "DNS:localhost") == 0);
    CHECK(strstr(ferrotls_cert_to_json(leaf), "\"subject_alt_names\"") != NULL);

    /* Trust stores from memory and from a certificate handle. */
    ferrotls_trust_store *store = NULL;
    size_t added = 0;
    CHECK_RC(ferrotls_trust_store_new(&store), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_pem(store, (const uint8_t *)ca_pem, ca_len, &added), FERROTLS_OK);
    CHECK(added == 1);
    CHECK_RC(ferrotls_trust_store_add_cert(store, ca), FERROTLS_OK);
    CHECK(ferrotls_trust_store_len(store) == 2);

    /* A sans-IO handshake with non-default settings, then every introspection call. */
    ferrotls_client_config_builder *cb = NULL;
    ferrotls_client_config *cc = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, store), FERROTLS_OK);
    ferrotls_trust_store_free(store); /* the builder copied it */
    CHECK_RC(ferrotls_client_config_builder_set_cipher_list(cb, "AES256-SHA256:AES128-SHA"), FERROTLS_OK);
    /* TLS 1.2: these suites and session-ID resumption (TLS 1.3 resumption is PSK; tls13() does 1.3). */
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_extended_master_secret(cb, false), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_encrypt_then_mac(cb, false), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_enable_sni(cb, true), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_send_fallback_scsv(cb, false), FERROTLS_OK);
    /* This part is about resumption by session ID, offered explicitly (tickets() does tickets
     * and the configuration's session store). */
    CHECK_RC(ferrotls_client_config_builder_set_tickets(cb, false), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_session_cache_size(cb, 0), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    CHECK(strcmp(ferrotls_client_config_builder_last_error(cb), "") == 0);
    ferrotls_client_config_builder_free(cb);

    ferrotls_private_key *key = NULL;
    size_t key_len = 0;
    char *key_pem = slurp(argv[3], &key_len);
    CHECK_RC(ferrotls_private_key_from_pem((const uint8_t *)key_pem, key_len, &key), FERROTLS_OK);
    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cipher_list(sb, "AES128-SHA:AES256-SHA256"), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);

    ferrotls_conn *client = NULL, *server = NULL;
    CHECK_RC(ferrotls_conn_new_client(cc, "localhost", &client), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, &server), FERROTLS_OK);
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(client) || ferrotls_conn_is_handshaking(server)); i++) {
        pump(client, server);
        pump(server, client);
    }
    CHECK(!ferrotls_conn_is_handshaking(client) && !ferrotls_conn_is_handshaking(server));
    CHECK(ferrotls_conn_protocol_version(client) == FERROTLS_TLS1_2);
    CHECK(ferrotls_conn_cipher_suite(client) == 0x002F); /* the server's preference: AES128-SHA */
    CHECK(strcmp(ferrotls_conn_cipher_suite_openssl_name(client), "AES128-SHA") == 0);
    CHECK(!ferrotls_conn_extended_master_secret(client) && !ferrotls_conn_encrypt_then_mac(client));
    CHECK(strcmp(ferrotls_conn_server_name(server), "localhost") == 0);
    CHECK(strcmp(ferrotls_conn_last_error(client), "") == 0);

    /* Resumption (RFC 5246 §7.3): this handshake's session, offered by a second client, gives an
     * abbreviated handshake on both sides (no EMS on the client: legacy resumption). */
    ferrotls_session *session = NULL;
    CHECK(!ferrotls_conn_session_reused(client) && !ferrotls_conn_session_reused(server));
    CHECK_RC(ferrotls_conn_session(client, &session), FERROTLS_OK);
    uint8_t id[32];
    size_t id_len = 0;
    CHECK_RC(ferrotls_session_id(session, id, sizeof id, &id_len), FERROTLS_OK);
    CHECK(id_len == 32);
    CHECK_RC(ferrotls_session_id(session, id, 16, &id_len), FERROTLS_INVALID_ARGUMENT);
    CHECK(id_len == 32); /* out-param untouched on failure */
    CHECK(ferrotls_session_protocol_version(session) == FERROTLS_TLS1_2);
    CHECK(ferrotls_session_cipher_suite(session) == 0x002F);
    ferrotls_conn *client2 = NULL, *server2 = NULL;
    CHECK_RC(ferrotls_conn_new_client_resuming(cc, "localhost", session, &client2), FERROTLS_OK);
    ferrotls_session_free(session); /* the connection keeps its own copy */
    CHECK_RC(ferrotls_conn_new_server(sc, &server2), FERROTLS_OK);
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(client2) || ferrotls_conn_is_handshaking(server2)); i++) {
        pump(client2, server2);
        pump(server2, client2);
    }
    CHECK(!ferrotls_conn_is_handshaking(client2) && !ferrotls_conn_is_handshaking(server2));
    CHECK(ferrotls_conn_session_reused(client2) && ferrotls_conn_session_reused(server2));
    CHECK(ferrotls_conn_cipher_suite(client2) == 0x002F);
    ferrotls_session *again = NULL;
    CHECK_RC(ferrotls_conn_session(server2, &again), FERROTLS_OK);
    uint8_t id2[32];
    size_t id2_len = 0;
    CHECK_RC(ferrotls_session_id(again, id2, sizeof id2, &id2_len), FERROTLS_OK);
    CHECK(id2_len == id_len && memcmp(id, id2, id_len) == 0);
    ferrotls_session_free(again);
    ferrotls_conn_free(client2);
    ferrotls_conn_free(server2);

    /* Plaintext waits decrypted after a short read: the count says how much, and falls to 0. */
    uint8_t buf[16];
    size_t n = 0;
    CHECK(ferrotls_conn_plaintext_bytes_to_read(client) == 0);
    CHECK_RC(ferrotls_conn_write_plaintext(server, (const uint8_t *)"0123456789abcdefXYZ", 19, &n), FERROTLS_OK);
    pump(server, client);
    CHECK(ferrotls_conn_plaintext_bytes_to_read(client) == 19);
    CHECK_RC(ferrotls_conn_read_plaintext(client, buf, sizeof buf, &n), FERROTLS_OK);
    CHECK(n == 16 && memcmp(buf, "0123456789abcdef", 16) == 0);
    CHECK(ferrotls_conn_plaintext_bytes_to_read(client) == 3);
    CHECK_RC(ferrotls_conn_read_plaintext(client, buf, sizeof buf, &n), FERROTLS_OK);
    CHECK(n == 3 && ferrotls_conn_plaintext_bytes_to_read(client) == 0);
    CHECK(ferrotls_conn_plaintext_bytes_to_read(NULL) == 0);

    /* A truncation: the server vanishes without close_notify. */
    CHECK_RC(ferrotls_conn_feed_eof(client), FERROTLS_OK);
    ferrotls_conn_process(client);
    CHECK_RC(ferrotls_conn_read_plaintext(client, buf, sizeof buf, &n), FERROTLS_TRUNCATED);
    CHECK(strstr(ferrotls_conn_last_error(client), "close_notify") != NULL);

    ferrotls_conn_free(client);
    ferrotls_conn_free(server);
    ferrotls_client_config_free(cc);
    ferrotls_server_config_free(sc);
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(key);
    ferrotls_cert_free(ca);
    free(ca_pem);
    free(chain_pem);
    free(key_pem);

    mutual_authentication();
    alpn();
    resumption_scope();
    keys_and_certificates();
    tickets();
    tls13();
    return REPORT("api_test");
}
