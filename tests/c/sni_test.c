/* The server-name callback of the C API (ferrotls_server_config_builder_set_server_name_callback)
 * against a real client: a blocking server on 127.0.0.1 that tests/c/run.sh drives with
 * `openssl s_client -servername NAME`. Its callback serves the ECDSA pair to "ecdsa.test" (and
 * "ecdsa.test13"), refuses "refuse.test*", and leaves every other client (or none) to the
 * configuration's own RSA certificate. For each connection it prints one line:
 *
 *   name=NAME|- handshake=OK|<result name> suite=<IANA name>|-
 *
 * which run.sh compares with what s_client saw (the certificate's key type, the alert).
 * Before serving it checks the setter's refusals and that a callback-only builder builds.
 *
 *   sni_test RSA_CHAIN RSA_KEY ECDSA_CHAIN ECDSA_KEY CONNECTIONS */
#include <arpa/inet.h>
#include <ferrotls.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "check.h"

struct choice {
    const ferrotls_cert_chain *chain;
    const ferrotls_private_key *key;
    int calls;
    char last_name[256];
    size_t suites_len;
    uint16_t first_suite;
};

static int choose(void *userdata, const char *server_name, const uint16_t *suites, size_t suites_len,
                  const ferrotls_cert_chain **chain_out, const ferrotls_private_key **key_out) {
    struct choice *c = userdata;
    c->calls++;
    /* The suites both sides allow, in the server's order (ECDHE-ECDSA-AES128-GCM-SHA256 first by
     * default at TLS 1.2; under TLS 1.3 the 1.3 suites, the chosen one first). */
    c->suites_len = suites_len;
    c->first_suite = suites_len ? suites[0] : 0;
    snprintf(c->last_name, sizeof c->last_name, "%s", server_name ? server_name : "-");
    if (server_name && (strcmp(server_name, "ecdsa.test") == 0 || strcmp(server_name, "ecdsa.test13") == 0)) {
        *chain_out = c->chain;
        *key_out = c->key;
        return FERROTLS_SERVER_NAME_USE;
    }
    if (server_name && strncmp(server_name, "refuse.test", 11) == 0) return FERROTLS_SERVER_NAME_REFUSE;
    return FERROTLS_SERVER_NAME_DEFAULT;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: sni_test RSA_CHAIN RSA_KEY ECDSA_CHAIN ECDSA_KEY CONNECTIONS\n");
        return 2;
    }
    ferrotls_cert_chain *rsa_chain = NULL, *ec_chain = NULL;
    ferrotls_private_key *rsa_key = NULL, *ec_key = NULL;
    CHECK_RC(ferrotls_cert_chain_from_file(argv[1], &rsa_chain), FERROTLS_OK);
    CHECK_RC(ferrotls_private_key_from_file(argv[2], &rsa_key), FERROTLS_OK);
    CHECK_RC(ferrotls_cert_chain_from_file(argv[3], &ec_chain), FERROTLS_OK);
    CHECK_RC(ferrotls_private_key_from_file(argv[4], &ec_key), FERROTLS_OK);
    struct choice choice = {ec_chain, ec_key, 0, "", 0, 0};

    CHECK_RC(ferrotls_server_config_builder_set_server_name_callback(NULL, choose, &choice), FERROTLS_NULL_ARGUMENT);
    /* Without certificates and without a callback a server cannot build; with a callback it can
     * (DEFAULT then refuses the client). NULL removes the callback again. */
    ferrotls_server_config_builder *empty = NULL;
    ferrotls_server_config *only_cb = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&empty), FERROTLS_OK);
    CHECK(ferrotls_server_config_builder_build(empty, &only_cb) != FERROTLS_OK);
    CHECK(only_cb == NULL);
    CHECK_RC(ferrotls_server_config_builder_set_server_name_callback(empty, choose, &choice), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(empty, &only_cb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_server_name_callback(empty, NULL, NULL), FERROTLS_OK);
    ferrotls_server_config *none = NULL;
    CHECK(ferrotls_server_config_builder_build(empty, &none) != FERROTLS_OK);
    ferrotls_server_config_builder_free(empty);
    ferrotls_server_config_free(only_cb);

    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, rsa_chain, rsa_key), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_server_name_callback(sb, choose, &choice), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);
    /* The pair is copied when chosen: the handles the callback hands out stay ours. */

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof addr;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 4) != 0 ||
        getsockname(lfd, (struct sockaddr *)&addr, &alen) != 0) {
        perror("sni_test: listen");
        return 1;
    }
    printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
    fflush(stdout);

    int n = atoi(argv[5]);
    for (int i = 0; i < n; i++) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) break;
        struct timeval tv = {20, 0}; /* a client that stalls cannot hang the test */
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ferrotls_conn *conn = NULL;
        int before = choice.calls;
        ferrotls_result rc = ferrotls_conn_new_server(sc, &conn);
        if (rc == FERROTLS_OK) rc = ferrotls_conn_set_fd(conn, fd);
        if (rc == FERROTLS_OK) rc = ferrotls_conn_handshake(conn);
        const char *suite = rc == FERROTLS_OK ? ferrotls_conn_cipher_suite_name(conn) : NULL;
        printf("name=%s handshake=%s suite=%s shared=%zu first=%04x\n",
               choice.calls > before ? choice.last_name : "(no call)", rc == FERROTLS_OK ? "OK" : ferrotls_result_str(rc),
               suite ? suite : "-", choice.suites_len, choice.first_suite);
        if (rc != FERROTLS_OK) printf("error: %s\n", ferrotls_conn_last_error(conn));
        fflush(stdout);
        if (rc == FERROTLS_OK) {
            size_t w = 0;
            ferrotls_conn_write(conn, (const uint8_t *)"hello\n", 6, &w);
            ferrotls_conn_shutdown(conn);
        }
        ferrotls_conn_free(conn);
        close(fd);
    }
    close(lfd);
    ferrotls_server_config_free(sc);
    ferrotls_cert_chain_free(rsa_chain);
    ferrotls_cert_chain_free(ec_chain);
    ferrotls_private_key_free(rsa_key);
    ferrotls_private_key_free(ec_key);
    return REPORT("sni_test");
}
