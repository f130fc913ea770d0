/* Happy paths of the C API that the examples do not show: version macros against the library,
 * result codes, certificate fields, trust stores from memory, and a sans-IO handshake with
 * every introspection call.
 *
 *   api_test CA.pem CHAIN.pem KEY.pem */
#include <ferrotls.h>
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

int main(int argc, char **argv) {
    if (argc != 4) return 2;

    /* The header's version macros come from Cargo.toml, ferrotls_version() from the library. */
    char expect[64];
    snprintf(expect, sizeof expect, "%d.%d.%d", FERROTLS_VERSION_MAJOR, FERROTLS_VERSION_MINOR, FERROTLS_VERSION_PATCH);
    CHECK(strncmp(ferrotls_version(), expect, strlen(expect)) == 0);
    CHECK(strcmp(ferrotls_version(), FERROTLS_VERSION_STRING) == 0);
    CHECK(FERROTLS_VERSION_NUMBER == FERROTLS_VERSION_MAJOR * 10000 + FERROTLS_VERSION_MINOR * 100 + FERROTLS_VERSION_PATCH);

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
    CHECK_RC(ferrotls_client_config_builder_set_extended_master_secret(cb, false), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_encrypt_then_mac(cb, false), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_enable_sni(cb, true), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_send_fallback_scsv(cb, false), FERROTLS_OK);
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

    /* A truncation: the server vanishes without close_notify. */
    uint8_t buf[16];
    size_t n = 0;
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
    return REPORT("api_test");
}
