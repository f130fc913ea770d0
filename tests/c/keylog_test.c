/* The key log callback and the keying material exporter of the C API, client and server in
 * memory: both sides log the same CLIENT_RANDOM line (label, the ClientHello.random that crossed
 * the wire, a 48-byte secret) and export the same bytes; every refusal has its code. The same
 * against OpenSSL and tshark is tests/keylog.rs.
 *
 *   keylog_test CA.pem CHAIN.pem KEY.pem */
#include <ferrotls.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

struct line {
    int calls;
    char label[64];
    uint8_t client_random[32];
    size_t client_random_len;
    uint8_t secret[64];
    size_t secret_len;
    char labels[512]; /* every label so far, each followed by a space */
};

static void keep(void *userdata, const char *label, const uint8_t *client_random, size_t client_random_len,
                 const uint8_t *secret, size_t secret_len) {
    struct line *l = userdata;
    l->calls++;
    snprintf(l->label, sizeof l->label, "%s", label);
    size_t used = strlen(l->labels);
    snprintf(l->labels + used, sizeof l->labels - used, "%s ", label);
    l->client_random_len = client_random_len;
    memcpy(l->client_random, client_random, client_random_len < 32 ? client_random_len : 32);
    l->secret_len = secret_len;
    memcpy(l->secret, secret, secret_len < 64 ? secret_len : 64);
}

/* Moves every queued TLS byte from one side to the other; returns the first failure of `to`. */
static ferrotls_result move_tls(ferrotls_conn *from, ferrotls_conn *to, uint8_t *first, size_t *first_len) {
    uint8_t buf[8192];
    size_t n = 0, used = 0;
    ferrotls_result rc = FERROTLS_OK;
    while (ferrotls_conn_wants_write(from) && ferrotls_conn_take_tls(from, buf, sizeof buf, &n) == FERROTLS_OK && n) {
        if (first && *first_len == 0) {
            memcpy(first, buf, n < 64 ? n : 64);
            *first_len = n;
        }
        for (size_t off = 0; off < n; off += used) {
            used = 0;
            if (ferrotls_conn_feed_tls(to, buf + off, n - off, &used) != FERROTLS_OK || used == 0) return FERROTLS_INTERNAL;
            ferrotls_result r = ferrotls_conn_process(to);
            if (r != FERROTLS_OK && rc == FERROTLS_OK) rc = r;
        }
    }
    return rc;
}

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    struct line client_line = {0}, server_line = {0};

    ferrotls_trust_store *roots = NULL;
    CHECK_RC(ferrotls_trust_store_new(&roots), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(roots, argv[1], NULL), FERROTLS_OK);
    ferrotls_client_config_builder *cb = NULL;
    ferrotls_client_config *cc = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, roots), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_keylog_callback(cb, keep, &client_line), FERROTLS_OK);
    /* TLS 1.2 first: its one CLIENT_RANDOM line and RFC 5705 (TLS 1.3 at the end). */
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    /* NULL removes the callback: a configuration built afterwards logs nothing. */
    ferrotls_client_config *quiet = NULL;
    CHECK_RC(ferrotls_client_config_builder_set_keylog_callback(cb, NULL, NULL), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &quiet), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_keylog_callback(NULL, keep, NULL), FERROTLS_NULL_ARGUMENT);

    ferrotls_cert_chain *chain = NULL;
    ferrotls_private_key *key = NULL;
    CHECK_RC(ferrotls_cert_chain_from_file(argv[2], &chain), FERROTLS_OK);
    CHECK_RC(ferrotls_private_key_from_file(argv[3], &key), FERROTLS_OK);
    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_keylog_callback(sb, keep, &server_line), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);

    ferrotls_conn *c = NULL, *s = NULL;
    CHECK_RC(ferrotls_conn_new_client(cc, "localhost", &c), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, &s), FERROTLS_OK);
    uint8_t out[32], before[32];
    memset(out, 0xee, sizeof out);
    memcpy(before, out, sizeof out);
    /* Nothing to export before the handshake; out is untouched. */
    CHECK_RC(ferrotls_conn_export_keying_material(c, (const uint8_t *)"EXPORTER-x", 10, NULL, 0, false, out, 32),
             FERROTLS_BAD_STATE);
    CHECK(memcmp(out, before, sizeof out) == 0);
    CHECK(strstr(ferrotls_conn_last_error(c), "after the handshake") != NULL);

    uint8_t hello[64];
    size_t hello_len = 0;
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(c) || ferrotls_conn_is_handshaking(s)); i++) {
        CHECK_RC(move_tls(c, s, hello, &hello_len), FERROTLS_OK);
        CHECK_RC(move_tls(s, c, NULL, NULL), FERROTLS_OK);
    }
    CHECK(!ferrotls_conn_is_handshaking(c) && !ferrotls_conn_is_handshaking(s));

    /* One line each, the same on both sides: the label, ClientHello.random (record header 5,
     * handshake header 4, version 2), the master secret. */
    CHECK(client_line.calls == 1 && server_line.calls == 1);
    CHECK(strcmp(client_line.label, "CLIENT_RANDOM") == 0);
    CHECK(client_line.client_random_len == 32 && client_line.secret_len == 48);
    CHECK(hello_len > 43 && memcmp(client_line.client_random, hello + 11, 32) == 0);
    CHECK(memcmp(&client_line, &server_line, sizeof client_line) == 0);

    /* The exporter: equal on both sides; the context and its presence matter. */
    uint8_t theirs[32], no_context[32], empty_context[32];
    CHECK_RC(ferrotls_conn_export_keying_material(c, (const uint8_t *)"EXPORTER-x", 10, (const uint8_t *)"ctx", 3, true,
                                                  out, 32),
             FERROTLS_OK);
    CHECK_RC(ferrotls_conn_export_keying_material(s, (const uint8_t *)"EXPORTER-x", 10, (const uint8_t *)"ctx", 3, true,
                                                  theirs, 32),
             FERROTLS_OK);
    CHECK(memcmp(out, theirs, 32) == 0);
    CHECK(memcmp(out, before, 32) != 0);
    CHECK_RC(ferrotls_conn_export_keying_material(c, (const uint8_t *)"EXPORTER-x", 10, NULL, 0, false, no_context, 32),
             FERROTLS_OK);
    CHECK_RC(ferrotls_conn_export_keying_material(c, (const uint8_t *)"EXPORTER-x", 10, NULL, 0, true, empty_context, 32),
             FERROTLS_OK);
    CHECK(memcmp(no_context, empty_context, 32) != 0);
    CHECK(memcmp(no_context, out, 32) != 0);

    /* Refusals: a reserved label, NULL handles and buffers. */
    CHECK_RC(ferrotls_conn_export_keying_material(c, (const uint8_t *)"master secret", 13, NULL, 0, false, out, 32),
             FERROTLS_BAD_STATE);
    CHECK(strstr(ferrotls_conn_last_error(c), "reserved") != NULL);
    CHECK_RC(ferrotls_conn_export_keying_material(NULL, (const uint8_t *)"x", 1, NULL, 0, false, out, 32),
             FERROTLS_NULL_ARGUMENT);
    CHECK_RC(ferrotls_conn_export_keying_material(c, (const uint8_t *)"x", 1, NULL, 0, false, NULL, 32),
             FERROTLS_NULL_ARGUMENT);

    /* Groups and signature schemes: both sides report the same group (0 and NULL with RSA key
     * exchange), names come from the number; lists are checked when set. */
    CHECK(ferrotls_conn_negotiated_group(c) == ferrotls_conn_negotiated_group(s));
    CHECK((ferrotls_conn_negotiated_group(c) == 0) == (ferrotls_conn_negotiated_group_name(c) == NULL));
    CHECK(ferrotls_conn_peer_signature_scheme(c) == ferrotls_conn_signature_scheme(s));
    CHECK(strcmp(ferrotls_signature_scheme_name(0x0804), "rsa_pss_rsae_sha256") == 0);
    CHECK(ferrotls_signature_scheme_name(0) == NULL);
    ferrotls_client_config_builder *gb = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&gb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_groups(gb, "X25519:P-256:secp384r1"), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_groups(gb, "X25519:brainpoolP256r1"), FERROTLS_INVALID_ARGUMENT);
    CHECK(strstr(ferrotls_client_config_builder_last_error(gb), "brainpoolP256r1") != NULL);
    CHECK_RC(ferrotls_client_config_builder_set_signature_schemes(gb, "RSA-PSS+SHA256:ecdsa_secp256r1_sha256"), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_signature_schemes(gb, "RSA+MD5"), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_client_config_builder_set_groups(gb, NULL), FERROTLS_OK);
    ferrotls_client_config_builder_free(gb);
    /* The same checks on a server builder. */
    ferrotls_server_config_builder *sgb = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sgb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_groups(sgb, "P-384:X25519"), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_groups(sgb, "P-384:brainpoolP256r1"), FERROTLS_INVALID_ARGUMENT);
    CHECK(strstr(ferrotls_server_config_builder_last_error(sgb), "brainpoolP256r1") != NULL);
    CHECK_RC(ferrotls_server_config_builder_set_signature_schemes(sgb, "rsa_pkcs1_sha256:RSA-PSS+SHA384"), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_signature_schemes(sgb, "RSA+MD5"), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_server_config_builder_set_groups(sgb, NULL), FERROTLS_OK);
    ferrotls_server_config_builder_free(sgb);

    /* The configuration built without the callback logs nothing. */
    ferrotls_conn *c2 = NULL, *s2 = NULL;
    CHECK_RC(ferrotls_conn_new_client(quiet, "localhost", &c2), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, &s2), FERROTLS_OK);
    for (int i = 0; i < 10 && ferrotls_conn_is_handshaking(c2); i++) {
        move_tls(c2, s2, NULL, NULL);
        move_tls(s2, c2, NULL, NULL);
    }
    CHECK(!ferrotls_conn_is_handshaking(c2));
    CHECK(client_line.calls == 1 && server_line.calls == 2);

    ferrotls_conn_free(c2);
    ferrotls_conn_free(s2);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);

    /* TLS 1.3 (the default): five secrets on each side, the same lines (RFC 8446 §7.1, labels of
     * the NSS format), and the §7.5 exporter, for which no context and an empty one are the same. */
    struct line c13 = {0};
    ferrotls_client_config *cc13 = NULL;
    CHECK_RC(ferrotls_client_config_builder_set_keylog_callback(cb, keep, &c13), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, 0), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc13), FERROTLS_OK);
    ferrotls_client_config_builder_free(cb);
    server_line.calls = 0;
    server_line.labels[0] = '\0';
    CHECK_RC(ferrotls_conn_new_client(cc13, "localhost", &c), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, &s), FERROTLS_OK);
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(c) || ferrotls_conn_is_handshaking(s)); i++) {
        CHECK_RC(move_tls(c, s, NULL, NULL), FERROTLS_OK);
        CHECK_RC(move_tls(s, c, NULL, NULL), FERROTLS_OK);
    }
    CHECK(ferrotls_conn_protocol_version(c) == FERROTLS_TLS1_3);
    CHECK(c13.calls == 5 && server_line.calls == 5);
    CHECK(strcmp(c13.labels, "CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET CLIENT_TRAFFIC_SECRET_0 "
                             "SERVER_TRAFFIC_SECRET_0 EXPORTER_SECRET ") == 0);
    CHECK(strstr(server_line.labels, "CLIENT_TRAFFIC_SECRET_0") != NULL);
    CHECK(c13.secret_len == 48); /* SHA-384: TLS_AES_256_GCM_SHA384 */
    CHECK(memcmp(c13.secret, server_line.secret, 48) == 0 && strcmp(server_line.label, "EXPORTER_SECRET") == 0);
    CHECK_RC(ferrotls_conn_export_keying_material(c, (const uint8_t *)"EXPORTER-x", 10, NULL, 0, false, no_context, 32),
             FERROTLS_OK);
    CHECK_RC(ferrotls_conn_export_keying_material(s, (const uint8_t *)"EXPORTER-x", 10, NULL, 0, true, empty_context, 32),
             FERROTLS_OK);
    CHECK(memcmp(no_context, empty_context, 32) == 0);
    CHECK_RC(ferrotls_conn_export_keying_material(c, (const uint8_t *)"EXPORTER-x", 10, (const uint8_t *)"ctx", 3, true,
                                                  out, 32),
             FERROTLS_OK);
    CHECK(memcmp(out, no_context, 32) != 0);
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_client_config_free(cc13);
    ferrotls_client_config_free(cc);
    ferrotls_client_config_free(quiet);
    ferrotls_server_config_free(sc);
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(key);
    ferrotls_trust_store_free(roots);
    return REPORT("keylog_test");
}
