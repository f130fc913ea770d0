/* callback_client: the transport is the application's: ferrotls calls back to read and write
 * (here over a socket, counting bytes, as an event loop or a custom transport would).
 *
 *   callback_client HOST PORT CA.pem SERVERNAME TEXT
 *
 * Sends TEXT, closes, prints the echo and how many TLS bytes crossed each way. */
#include "common.h"

#include <errno.h>

static const char *PROG = "callback_client";

struct transport {
    int fd;
    size_t bytes_in, bytes_out;
};

/* ferrotls_read_callback: 0 and a count (0 = EOF), or an errno value. */
static int on_read(void *userdata, uint8_t *buf, size_t len, size_t *read_out) {
    struct transport *t = userdata;
    ssize_t n = recv(t->fd, buf, len, 0);
    if (n < 0) return errno;
    t->bytes_in += (size_t)n;
    *read_out = (size_t)n;
    return 0;
}

/* ferrotls_write_callback: 0 and a count, or an errno value. */
static int on_write(void *userdata, const uint8_t *buf, size_t len, size_t *written_out) {
    struct transport *t = userdata;
    ssize_t n = send(t->fd, buf, len, MSG_NOSIGNAL);
    if (n < 0) return errno;
    t->bytes_out += (size_t)n;
    *written_out = (size_t)n;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 6) die(PROG, "usage: callback_client HOST PORT CA.pem SERVERNAME TEXT", NULL);
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
    ferrotls_client_config_free(config);
    struct transport t = {.fd = tcp_connect(PROG, argv[1], argv[2])};
    ferrotls_conn_set_io_callbacks(conn, on_read, on_write, &t);

    size_t n = 0;
    if (ferrotls_conn_write(conn, (const uint8_t *)argv[5], strlen(argv[5]), &n) != FERROTLS_OK ||
        ferrotls_conn_shutdown(conn) != FERROTLS_OK)
        die(PROG, "write", ferrotls_conn_last_error(conn));
    uint8_t buf[4096];
    ferrotls_result rc;
    while ((rc = ferrotls_conn_read(conn, buf, sizeof buf, &n)) == FERROTLS_OK) fwrite(buf, 1, n, stdout);
    if (rc != FERROTLS_CLOSED) die(PROG, "read", ferrotls_conn_last_error(conn));
    printf("\n%s: %zu TLS bytes in, %zu out\n", PROG, t.bytes_in, t.bytes_out);
    ferrotls_conn_free(conn);
    close(t.fd);
    return 0;
}
