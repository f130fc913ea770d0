/* TLS 1.3 sessions through the C API (RFC 8446 §4.6.1, §4.2.11) against real servers that
 * tests/c/run.sh starts: `openssl s_server -tls1_3 -rev` at PORT and a second one at
 * OTHER_PORT (its own ticket keys). The client's configurations keep no session cache, so a
 * resumption can only come from the session exported and offered here:
 *
 *   - right after the handshake no ticket has been read: ferrotls_conn_session is BAD_STATE
 *     with a message about tickets, and leaves the out-param alone;
 *   - after reading the echo the newest ticket is there: version 0x0304, a ticket, no ID;
 *   - asked again before it is used, ferrotls_conn_session hands out the same ticket;
 *   - it goes to bytes, is imported into ANOTHER configuration (certificates re-verified) and
 *     resumes there (ferrotls_conn_session_reused);
 *   - offer-once twin (RFC 8446 §C.4): the same session handle given to another connection is
 *     not offered (a full handshake), while a second import of the same bytes still resumes
 *     (so it was the client that declined, not the server);
 *   - twins: offered to the other server it gets a full handshake; a cut encoding and one of
 *     an unknown format do not import (FERROTLS_INVALID_ARGUMENT), nor one whose certificate
 *     bytes were changed (the verification error); the out-param stays untouched;
 *     ferrotls_session_free(NULL) is a no-op;
 *   - in memory with a ferrotls server: ferrotls_server_config_builder_set_tls13_tickets(n)
 *     makes the client get n tickets (0, 1, 3), handed out newest first, each until a
 *     connection offers it; the default is 2; more than 16 is refused with a message.
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
    /* Until a connection offers it, the connection hands out the same ticket. */
    ferrotls_session *again = NULL;
    if (session) {
        CHECK_RC(ferrotls_conn_session(conn, &again), FERROTLS_OK);
        size_t len = ferrotls_session_encoded_len(session);
        CHECK(again && ferrotls_session_encoded_len(again) == len);
        uint8_t *x = malloc(len), *y = malloc(len);
        size_t wx = 0, wy = 0;
        if (!x || !y) die(PROG, "out of memory", NULL);
        CHECK_RC(ferrotls_session_to_bytes(session, x, len, &wx), FERROTLS_OK);
        CHECK_RC(ferrotls_session_to_bytes(again, y, len, &wy), FERROTLS_OK);
        CHECK(wx == len && wy == len && !memcmp(x, y, len));
        free(x);
        free(y);
        ferrotls_session_free(again);
    }
    ferrotls_conn_shutdown(conn);
    ferrotls_conn_free(conn);
    close(fd);
    return session;
}

/* Moves every queued TLS byte from one side to the other (both must accept them). */
static void move_tls(ferrotls_conn *from, ferrotls_conn *to) {
    uint8_t buf[4096];
    size_t n = 0, used = 0;
    while (ferrotls_conn_wants_write(from) && ferrotls_conn_take_tls(from, buf, sizeof buf, &n) == FERROTLS_OK && n) {
        for (size_t off = 0; off < n; off += used) {
            used = 0;
            CHECK_RC(ferrotls_conn_feed_tls(to, buf + off, n - off, &used), FERROTLS_OK);
            CHECK_RC(ferrotls_conn_process(to), FERROTLS_OK);
            if (used == 0) return;
        }
    }
}

/* A ferrotls server set to send `count` tickets (negative: the default), a handshake in memory
 * and its data read: how many tickets the client hands out, each marked used by a connection
 * that offers it (the ClientHello is made when the connection is). */
static int tickets_handed_out(const ferrotls_client_config *client, const char *dir, int count) {
    char chain_path[600], key_path[600];
    snprintf(chain_path, sizeof chain_path, "%s/server-chain.pem", dir);
    snprintf(key_path, sizeof key_path, "%s/server.key", dir);
    ferrotls_cert_chain *chain = NULL;
    ferrotls_private_key *key = NULL;
    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;
    CHECK_RC(ferrotls_cert_chain_from_file(chain_path, &chain), FERROTLS_OK);
    CHECK_RC(ferrotls_private_key_from_file(key_path, &key), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    if (count >= 0) CHECK_RC(ferrotls_server_config_builder_set_tls13_tickets(sb, (size_t)count), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(key);
    if (!sc) die(PROG, "server configuration", NULL);

    ferrotls_conn *c = NULL, *s = NULL;
    CHECK_RC(ferrotls_conn_new_client(client, "localhost", &c), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_new_server(sc, &s), FERROTLS_OK);
    if (!c || !s) die(PROG, "connections", ferrotls_last_error());
    for (int i = 0; i < 10 && (ferrotls_conn_is_handshaking(c) || ferrotls_conn_is_handshaking(s)); i++) {
        move_tls(c, s);
        move_tls(s, c);
    }
    size_t n = 0;
    uint8_t got[8];
    CHECK_RC(ferrotls_conn_write_plaintext(s, (const uint8_t *)"data", 4, &n), FERROTLS_OK);
    move_tls(s, c);
    CHECK_RC(ferrotls_conn_read_plaintext(c, got, sizeof got, &n), FERROTLS_OK);
    CHECK(n == 4 && !memcmp(got, "data", 4));
    int handed = 0;
    ferrotls_session *session = NULL;
    while (handed < 20 && ferrotls_conn_session(c, &session) == FERROTLS_OK) {
        handed++;
        ferrotls_conn *offering = NULL;
        CHECK_RC(ferrotls_conn_new_client_resuming(client, "localhost", session, &offering), FERROTLS_OK);
        ferrotls_conn_free(offering);
        ferrotls_session_free(session);
        session = NULL;
    }
    ferrotls_conn_free(c);
    ferrotls_conn_free(s);
    ferrotls_server_config_free(sc);
    return handed;
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

    /* Offer-once twin: the handle that resumed is not offered again (a full handshake), while
     * a second import of the same bytes, a copy no connection has offered, still resumes. */
    ferrotls_session *s4 = connect13(b, port, imported, &reused);
    CHECK(!reused);
    ferrotls_session *copy = NULL;
    CHECK_RC(ferrotls_session_from_bytes(b, bytes, len, &copy), FERROTLS_OK);
    ferrotls_session *s5 = connect13(b, port, copy, &reused);
    CHECK(reused);

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

    /* 5. The number of tickets a ferrotls server sends, in memory. */
    char dir[512];
    snprintf(dir, sizeof dir, "%s", ca);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    else snprintf(dir, sizeof dir, ".");
    CHECK(tickets_handed_out(a, dir, -1) == 2); /* the default, as OpenSSL */
    CHECK(tickets_handed_out(a, dir, 0) == 0);
    CHECK(tickets_handed_out(a, dir, 1) == 1);
    CHECK(tickets_handed_out(a, dir, 3) == 3);
    ferrotls_server_config_builder *sb = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_tls13_tickets(NULL, 1), FERROTLS_NULL_ARGUMENT);
    CHECK_RC(ferrotls_server_config_builder_set_tls13_tickets(sb, 16), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_tls13_tickets(sb, 17), FERROTLS_INVALID_ARGUMENT);
    CHECK(strstr(ferrotls_server_config_builder_last_error(sb), "at most 16") != NULL);
    ferrotls_server_config_builder_free(sb);

    free(bytes);
    ferrotls_session_free(s1);
    ferrotls_session_free(s2);
    ferrotls_session_free(s3);
    ferrotls_session_free(s4);
    ferrotls_session_free(s5);
    ferrotls_session_free(copy);
    ferrotls_session_free(imported);
    ferrotls_client_config_free(a);
    ferrotls_client_config_free(b);
    return REPORT(PROG);
}
