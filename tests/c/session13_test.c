/* TLS 1.3 sessions through the C API (RFC 8446 §4.6.1, §4.2.11) against real servers that
 * tests/c/run.sh starts: `openssl s_server -tls1_3 -rev` at PORT and a second one at
 * OTHER_PORT (its own ticket keys). The client's configurations keep no session cache, so a
 * resumption can only come from the session exported and offered here:
 *
 *   - right after the handshake no ticket has been read: ferrotls_conn_session is BAD_STATE
 *     with a message about tickets, and leaves the out-param alone;
 *   - after reading the echo the newest ticket is there: version 0x0304, a ticket, no ID;
 *   - it goes to bytes, is imported into ANOTHER configuration (certificates re-verified) and
 *     resumes there (ferrotls_conn_session_reused);
 *   - twins: offered to the other server it gets a full handshake; a cut encoding and one of
 *     an unknown format do not import (FERROTLS_INVALID_ARGUMENT), nor one whose certificate
 *     bytes were changed (the verification error); the out-param stays untouched;
 *     ferrotls_session_free(NULL) is a no-op.
 *
 *   session13_test PORT OTHER_PORT CA_FILE */
#include <ferrotls.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../c-examples/common.h"
#include "check.h"

static const char *PROG = "session13_test";

static ferrotls_client_config *config13(const char *ca) {
    ferrotls_client_config_builder *b = NULL;
    ferrotls_trust_store *roots = NULL;
    ferrotls_client_config *config = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&b), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_versions(b, FERROTLS_TLS1_3, FERROTLS_TLS1_3), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_session_cache_size(b, 0), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_new(&roots), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_file(roots, ca, NULL), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(b, roots), FERROTLS_OK);
    ferrotls_trust_store_free(roots);
    CHECK_RC(ferrotls_client_config_builder_build(b, &config), FERROTLS_OK);
    ferrotls_client_config_builder_free(b);
    if (!config) die(PROG, "configuration", NULL);
    return config;
}

/* One connection to PORT offering `offer` (or nothing): handshake, then checks that the
 * session is not there yet, sends a line and reads s_server's reversed echo (which follows
 * the tickets), closes. Returns the connection's session (NULL when there is none) and
 * whether the handshake resumed. */
static ferrotls_session *connect13(const ferrotls_client_config *config, const char *port,
                                   const ferrotls_session *offer, bool *reused) {
    ferrotls_conn *conn = NULL;
    ferrotls_result rc = offer ? ferrotls_conn_new_client_resuming(config, "localhost", offer, &conn)
                               : ferrotls_conn_new_client(config, "localhost", &conn);
    CHECK_RC(rc, FERROTLS_OK);
    if (!conn) die(PROG, "connection", ferrotls_last_error());
    int fd = tcp_connect(PROG, "127.0.0.1", port);
    CHECK_RC(ferrotls_conn_set_fd(conn, fd), FERROTLS_OK);
    rc = ferrotls_conn_handshake(conn);
    CHECK_RC(rc, FERROTLS_OK);
    if (rc != FERROTLS_OK) die(PROG, "handshake", ferrotls_conn_last_error(conn));
    CHECK(ferrotls_conn_protocol_version(conn) == FERROTLS_TLS1_3);
    *reused = ferrotls_conn_session_reused(conn);

    /* The server sends its tickets after our Finished: none read yet. */
    ferrotls_session *sentinel = (ferrotls_session *)&sentinel, *session = sentinel;
    CHECK_RC(ferrotls_conn_session(conn, &session), FERROTLS_BAD_STATE);
    CHECK(session == sentinel);
    CHECK(strstr(ferrotls_last_error(), "ticket") != NULL);

    const char line[] = "ticket please\n", want[] = "esaelp tekcit";
    size_t n = 0;
    CHECK_RC(ferrotls_conn_write(conn, (const uint8_t *)line, sizeof line - 1, &n), FERROTLS_OK);
    char got[64] = {0};
    size_t have = 0;
    while (have < strlen(want)) {
        rc = ferrotls_conn_read(conn, (uint8_t *)got + have, sizeof got - 1 - have, &n);
        if (rc != FERROTLS_OK) break;
        have += n;
    }
    CHECK(have >= strlen(want) && !memcmp(got, want, strlen(want)));

    session = NULL;
    if (ferrotls_conn_session(conn, &session) != FERROTLS_OK) session = NULL;
    ferrotls_conn_shutdown(conn);
    ferrotls_conn_free(conn);
    close(fd);
    return session;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s PORT OTHER_PORT CA_FILE\n", PROG);
        return 2;
    }
    const char *port = argv[1], *other_port = argv[2], *ca = argv[3];
    ferrotls_client_config *a = config13(ca), *b = config13(ca);
    bool reused = true;

    /* 1. A full handshake; its newest ticket is the session. */
    ferrotls_session *s1 = connect13(a, port, NULL, &reused);
    CHECK(!reused);
    CHECK(s1 != NULL);
    if (!s1) die(PROG, "no TLS 1.3 session after reading", ferrotls_last_error());
    CHECK(ferrotls_session_protocol_version(s1) == FERROTLS_TLS1_3);
    uint16_t suite = ferrotls_session_cipher_suite(s1);
    CHECK(suite >= 0x1301 && suite <= 0x1303);
    CHECK(ferrotls_session_has_ticket(s1));
    CHECK(ferrotls_session_ticket_lifetime_hint(s1) > 0 && ferrotls_session_ticket_lifetime_hint(s1) <= 604800);
    uint8_t id[32];
    size_t id_len = 99;
    CHECK_RC(ferrotls_session_id(s1, id, sizeof id, &id_len), FERROTLS_OK);
    CHECK(id_len == 0); /* a TLS 1.3 session is its ticket */

    /* 2. To bytes (format 2: the version is inside) and into another configuration. */
    size_t len = ferrotls_session_encoded_len(s1), written = 0;
    uint8_t *bytes = malloc(len);
    if (!bytes) die(PROG, "out of memory", NULL);
    CHECK_RC(ferrotls_session_to_bytes(s1, bytes, len - 1, &written), FERROTLS_INVALID_ARGUMENT);
    CHECK(written == 0);
    CHECK_RC(ferrotls_session_to_bytes(s1, bytes, len, &written), FERROTLS_OK);
    CHECK(written == len && bytes[0] == 2);
    ferrotls_session *imported = NULL;
    CHECK_RC(ferrotls_session_from_bytes(b, bytes, len, &imported), FERROTLS_OK);
    CHECK(imported && ferrotls_session_protocol_version(imported) == FERROTLS_TLS1_3);

    /* 3. The imported session resumes with the same server from the other configuration. */
    ferrotls_session *s2 = connect13(b, port, imported, &reused);
    CHECK(reused);
    CHECK(s2 != NULL); /* the resumption brought a new ticket */

    /* 4. Twins. The other server (other ticket keys) cannot open it: a full handshake. */
    ferrotls_session *s3 = connect13(a, other_port, s1, &reused);
    CHECK(!reused);
    /* A cut encoding and an unknown format do not import; the out-param stays as it was. */
    ferrotls_session *bad = (ferrotls_session *)&bad;
    CHECK_RC(ferrotls_session_from_bytes(b, bytes, len - 1, &bad), FERROTLS_INVALID_ARGUMENT);
    CHECK(bad == (ferrotls_session *)&bad);
    /* The last byte is in the last certificate's signature: the chain no longer verifies. */
    bytes[len - 1] ^= 0x01;
    CHECK(ferrotls_session_from_bytes(b, bytes, len, &bad) != FERROTLS_OK);
    CHECK(bad == (ferrotls_session *)&bad);
    bytes[len - 1] ^= 0x01;
    bytes[0] = 3;
    CHECK_RC(ferrotls_session_from_bytes(b, bytes, len, &bad), FERROTLS_INVALID_ARGUMENT);
    CHECK(bad == (ferrotls_session *)&bad);
    CHECK_RC(ferrotls_session_from_bytes(b, bytes, 0, &bad), FERROTLS_INVALID_ARGUMENT);
    ferrotls_session_free(NULL);

    free(bytes);
    ferrotls_session_free(s1);
    ferrotls_session_free(s2);
    ferrotls_session_free(s3);
    ferrotls_session_free(imported);
    ferrotls_client_config_free(a);
    ferrotls_client_config_free(b);
    return REPORT(PROG);
}
