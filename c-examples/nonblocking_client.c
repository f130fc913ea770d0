/* nonblocking_client: a client on a non-blocking socket driven by poll(). Every ferrotls call
 * may return FERROTLS_WANT_READ or FERROTLS_WANT_WRITE: wait for that event, then call again.
 *
 *   nonblocking_client HOST PORT CA.pem SERVERNAME TEXT
 *
 * Sends TEXT, closes its side, prints what comes back until the server's close_notify. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>

static const char *PROG = "nonblocking_client";

/* Waits until `fd` is ready for what `rc` asks for (FERROTLS_WANT_READ / _WANT_WRITE). */
static void wait_for(int fd, ferrotls_result rc) {
    struct pollfd p = {.fd = fd, .events = rc == FERROTLS_WANT_WRITE ? POLLOUT : POLLIN};
    if (poll(&p, 1, 30000) <= 0) die(PROG, "timed out waiting for the socket", NULL);
}

static bool would_block(ferrotls_result rc) {
    return ferrotls_result_class(rc) == FERROTLS_WANT_READ; /* WANT_READ or WANT_WRITE */
}

int main(int argc, char **argv) {
    if (argc != 6) die(PROG, "usage: nonblocking_client HOST PORT CA.pem SERVERNAME TEXT", NULL);
    ferrotls_trust_store *roots = NULL;
    ferrotls_trust_store_new(&roots);
    if (ferrotls_trust_store_add_file(roots, argv[3], NULL) != FERROTLS_OK) die(PROG, "CA file", ferrotls_last_error());
    ferrotls_client_config_builder *b = NULL;
    ferrotls_client_config_builder_new(&b);
    ferrotls_client_config_builder_set_trust_store(b, roots);
    ferrotls_client_config *config = NULL;
    if (ferrotls_client_config_builder_build(b, &config) != FERROTLS_OK)
        die(PROG, "config", ferrotls_client_config_builder_last_error(b));
    ferrotls_client_config_builder_free(b);
    ferrotls_trust_store_free(roots);

    ferrotls_conn *conn = NULL;
    if (ferrotls_conn_new_client(config, argv[4], &conn) != FERROTLS_OK) die(PROG, "conn", ferrotls_last_error());
    int fd = tcp_connect(PROG, argv[1], argv[2]);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    ferrotls_conn_set_fd(conn, fd);

    ferrotls_result rc;
    while (would_block(rc = ferrotls_conn_handshake(conn))) wait_for(fd, rc);
    if (rc != FERROTLS_OK) die(PROG, "handshake", ferrotls_conn_last_error(conn));
    fprintf(stderr, "%s: connected: %s %s\n", PROG, ferrotls_conn_protocol_version_name(conn),
            ferrotls_conn_cipher_suite_name(conn));

    const uint8_t *text = (const uint8_t *)argv[5];
    size_t len = strlen(argv[5]), off = 0;
    while (off < len) {
        size_t n = 0;
        rc = ferrotls_conn_write(conn, text + off, len - off, &n);
        if (would_block(rc)) { wait_for(fd, rc); continue; }
        if (rc != FERROTLS_OK) die(PROG, "write", ferrotls_conn_last_error(conn));
        off += n;
    }
    /* Accepted bytes may still be queued: flush, then close our side. */
    while (would_block(rc = ferrotls_conn_flush(conn))) wait_for(fd, rc);
    while (would_block(rc = ferrotls_conn_shutdown(conn))) wait_for(fd, rc);
    if (rc != FERROTLS_OK) die(PROG, "shutdown", ferrotls_conn_last_error(conn));

    uint8_t buf[4096];
    for (;;) {
        size_t n = 0;
        rc = ferrotls_conn_read(conn, buf, sizeof buf, &n);
        if (would_block(rc)) { wait_for(fd, rc); continue; }
        if (rc == FERROTLS_CLOSED) break;
        if (rc != FERROTLS_OK) die(PROG, "read", ferrotls_conn_last_error(conn));
        fwrite(buf, 1, n, stdout);
    }
    fflush(stdout);
    ferrotls_conn_free(conn);
    ferrotls_client_config_free(config);
    close(fd);
    return 0;
}
