/* sans_io_pair: a client and a server in one process, no sockets: the bytes one side takes
 * out (ferrotls_conn_take_tls) are fed into the other (ferrotls_conn_feed_tls + _process).
 * This is the shape for custom transports, fuzzers and tests.
 *
 *   sans_io_pair CA.pem CHAIN.pem KEY.pem [1.0|1.1|1.2|1.3]
 *
 * Prints the negotiated version and suite, the server certificate's subject, and the echo. */
#include "common.h"

static const char *PROG = "sans_io_pair";

static void check(ferrotls_result rc, const char *what, const ferrotls_conn *conn) {
    if (rc == FERROTLS_OK) return;
    fprintf(stderr, "%s: error: %s: %s: %s\n", PROG, what, ferrotls_result_str(rc),
            conn ? ferrotls_conn_last_error(conn) : ferrotls_last_error());
    exit(1);
}

/* Moves every byte `from` wants to send into `to`, and processes them there. */
static void pump(ferrotls_conn *from, ferrotls_conn *to) {
    uint8_t buf[4096];
    while (ferrotls_conn_wants_write(from)) {
        size_t n = 0, off = 0;
        check(ferrotls_conn_take_tls(from, buf, sizeof buf, &n), "take_tls", from);
        while (off < n) {
            size_t used = 0;
            check(ferrotls_conn_feed_tls(to, buf + off, n - off, &used), "feed_tls", to);
            off += used;
            check(ferrotls_conn_process(to), "process", to);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 4) die(PROG, "usage: sans_io_pair CA.pem CHAIN.pem KEY.pem [1.0|1.1|1.2|1.3]", NULL);
    uint16_t version = argc > 4 ? parse_version(PROG, argv[4]) : FERROTLS_TLS1_3;
    bool legacy = version < FERROTLS_TLS1_2;

    ferrotls_trust_store *roots = NULL;
    check(ferrotls_trust_store_new(&roots), "trust store", NULL);
    check(ferrotls_trust_store_add_file(roots, argv[1], NULL), "CA file", NULL);
    ferrotls_client_config_builder *cb = NULL;
    check(ferrotls_client_config_builder_new(&cb), "client builder", NULL);
    ferrotls_client_config_builder_set_legacy(cb, legacy);
    ferrotls_client_config_builder_set_versions(cb, version, version);
    ferrotls_client_config_builder_set_trust_store(cb, roots);
    ferrotls_client_config *client_config = NULL;
    if (ferrotls_client_config_builder_build(cb, &client_config) != FERROTLS_OK)
        die(PROG, "client config", ferrotls_client_config_builder_last_error(cb));

    ferrotls_cert_chain *chain = NULL;
    ferrotls_private_key *key = NULL;
    check(ferrotls_cert_chain_from_file(argv[2], &chain), "chain", NULL);
    check(ferrotls_private_key_from_file(argv[3], &key), "key", NULL);
    ferrotls_server_config_builder *sb = NULL;
    check(ferrotls_server_config_builder_new(&sb), "server builder", NULL);
    ferrotls_server_config_builder_set_legacy(sb, legacy);
    ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key);
    ferrotls_server_config *server_config = NULL;
    if (ferrotls_server_config_builder_build(sb, &server_config) != FERROTLS_OK)
        die(PROG, "server config", ferrotls_server_config_builder_last_error(sb));

    ferrotls_conn *client = NULL, *server = NULL;
    check(ferrotls_conn_new_client(client_config, "localhost", &client), "client", NULL);
    check(ferrotls_conn_new_server(server_config, &server), "server", NULL);

    /* Plaintext written before the handshake completes is held and sent once it does. */
    const char *msg = "hello over memory";
    size_t n = 0;
    check(ferrotls_conn_write_plaintext(client, (const uint8_t *)msg, strlen(msg), &n), "write", client);
    while (ferrotls_conn_is_handshaking(client) || ferrotls_conn_is_handshaking(server) ||
           ferrotls_conn_wants_write(client)) {
        pump(client, server);
        pump(server, client);
    }
    printf("version %s, suite %s (%s)\n", ferrotls_conn_protocol_version_name(client),
           ferrotls_conn_cipher_suite_name(client), ferrotls_conn_cipher_suite_openssl_name(server));
    ferrotls_cert_chain *peer = NULL;
    check(ferrotls_conn_peer_cert_chain(client, &peer), "peer chain", client);
    printf("server certificate: %s\n", ferrotls_cert_subject(ferrotls_cert_chain_get(peer, 0)));
    ferrotls_cert_chain_free(peer);

    /* The server echoes, then both sides close. */
    uint8_t buf[256];
    check(ferrotls_conn_read_plaintext(server, buf, sizeof buf, &n), "server read", server);
    check(ferrotls_conn_write_plaintext(server, buf, n, &n), "server write", server);
    ferrotls_conn_send_close_notify(server);
    pump(server, client);
    check(ferrotls_conn_read_plaintext(client, buf, sizeof buf, &n), "client read", client);
    printf("echo: %.*s\n", (int)n, (const char *)buf);
    ferrotls_result rc = ferrotls_conn_read_plaintext(client, buf, sizeof buf, &n);
    if (rc != FERROTLS_CLOSED || !ferrotls_conn_peer_has_closed(client)) die(PROG, "expected close_notify", NULL);
    printf("closed cleanly\n");

    ferrotls_conn_free(client);
    ferrotls_conn_free(server);
    ferrotls_client_config_free(client_config);
    ferrotls_server_config_free(server_config);
    ferrotls_client_config_builder_free(cb);
    ferrotls_server_config_builder_free(sb);
    ferrotls_trust_store_free(roots);
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(key);
    return 0;
}
