/* tls_client: the `ferrotls client` command in C, over a blocking socket (ferrotls_conn_set_fd).
 *
 *   tls_client HOST:PORT [--servername NAME] [--cafile PEM] [--cert PEM --key PEM]
 *              [--min-version 1.0|1.1|1.2|1.3] [--max-version ..] [--ciphers LIST] [--ciphersuites LIST]
 *              [--legacy] [--no-ems] [--no-etm] [--alpn PROTO,PROTO..] [--dangerous-no-verify] [--send TEXT]
 *              [--key-update] [--reconnect] [--json]
 *
 * Connects, handshakes, sends --send's text (or stdin until EOF), sends close_notify and prints
 * everything received until the server's close_notify. --cert/--key (a chain, leaf first, and its
 * key) authenticate the client when the server asks (mutual authentication). --alpn offers
 * application protocols (RFC 7301), most preferred first. --ciphersuites sets the TLS 1.3 suites
 * (ferrotls_client_config_builder_set_ciphersuites). --key-update (TLS 1.3) sends a KeyUpdate that
 * asks the server to update too, right after the handshake, before the data. --json prints one
 * object instead: version, cipher, group, alpn, extended_master_secret, encrypt_then_mac, peer_certificates,
 * verified, client_certificate_sent, session_reused, received. --reconnect: after the first connection
 * closes, connect again offering its session (ferrotls_conn_session,
 * ferrotls_conn_new_client_resuming) and report whether it was reused; --send's text goes on both
 * connections and stdin is not read. */
#include "common.h"

#include <errno.h>
#include <poll.h>

static const char *PROG = "tls_client";

/* Prints the failing call's result and the connection's detailed message, then exits 1. */
static void fail(ferrotls_conn *conn, const char *what, ferrotls_result rc) {
    const char *detail = conn ? ferrotls_conn_last_error(conn) : ferrotls_last_error();
    fprintf(stderr, "%s: error: %s: %s (%u)%s%s\n", PROG, what, ferrotls_result_str(rc), (unsigned)rc,
            detail && *detail ? ": " : "", detail ? detail : "");
    exit(1);
}

int main(int argc, char **argv) {
    char *target = NULL;
    const char *servername = NULL, *cafile = "/etc/ssl/certs/ca-certificates.crt", *ciphers = NULL, *send = NULL;
    const char *ciphersuites = NULL;
    const char *cert = NULL, *key = NULL;
    const char *alpn = NULL;
    uint16_t min_version = 0, max_version = 0;
    bool legacy = false, no_ems = false, no_etm = false, no_verify = false, json = false, reconnect = false;
    bool key_update = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VALUE() (v ? (i++, v) : (die(PROG, "option needs a value", a), ""))
        if (!strcmp(a, "--servername")) servername = VALUE();
        else if (!strcmp(a, "--cafile")) cafile = VALUE();
        else if (!strcmp(a, "--min-version")) min_version = parse_version(PROG, VALUE());
        else if (!strcmp(a, "--max-version")) max_version = parse_version(PROG, VALUE());
        else if (!strcmp(a, "--ciphers")) ciphers = VALUE();
        else if (!strcmp(a, "--ciphersuites")) ciphersuites = VALUE();
        else if (!strcmp(a, "--key-update")) key_update = true;
        else if (!strcmp(a, "--send")) send = VALUE();
        else if (!strcmp(a, "--legacy")) legacy = true;
        else if (!strcmp(a, "--no-ems")) no_ems = true;
        else if (!strcmp(a, "--no-etm")) no_etm = true;
        else if (!strcmp(a, "--dangerous-no-verify")) no_verify = true;
        else if (!strcmp(a, "--json")) json = true;
        else if (!strcmp(a, "--reconnect")) reconnect = true;
        else if (!strcmp(a, "--cert")) cert = VALUE();
        else if (!strcmp(a, "--key")) key = VALUE();
        else if (!strcmp(a, "--alpn")) alpn = VALUE();
        else if (!strncmp(a, "--", 2)) die(PROG, "unknown option", a);
        else target = argv[i];
#undef VALUE
    }
    if (!target) die(PROG, "usage: tls_client HOST:PORT [options] (see the source)", NULL);
    if (!cert != !key) die(PROG, "--cert and --key go together", NULL);
    char *host, *port;
    split_host_port(PROG, target, &host, &port);
    if (!servername) servername = host;
    if (reconnect && !send) send = "";

    /* 1. A configuration: immutable once built, shareable by many connections. */
    ferrotls_client_config_builder *builder = NULL;
    ferrotls_result rc = ferrotls_client_config_builder_new(&builder);
    if (rc != FERROTLS_OK) fail(NULL, "builder", rc);
    ferrotls_client_config_builder_set_legacy(builder, legacy);
    ferrotls_client_config_builder_set_extended_master_secret(builder, !no_ems);
    ferrotls_client_config_builder_set_encrypt_then_mac(builder, !no_etm);
    if (min_version || max_version) ferrotls_client_config_builder_set_versions(builder, min_version, max_version);
    if (ciphers) ferrotls_client_config_builder_set_cipher_list(builder, ciphers);
    if (ciphersuites && (rc = ferrotls_client_config_builder_set_ciphersuites(builder, ciphersuites)) != FERROTLS_OK)
        die(PROG, "--ciphersuites", ferrotls_client_config_builder_last_error(builder));
    if (alpn) {
        ferrotls_slice_bytes protocols[16];
        size_t n = parse_alpn(alpn, protocols, 16);
        ferrotls_client_config_builder_set_alpn_protocols(builder, protocols, n); /* copies them */
    }
    if (no_verify) {
        ferrotls_client_config_builder_dangerous_no_verify(builder);
    } else {
        ferrotls_trust_store *roots = NULL;
        ferrotls_trust_store_new(&roots);
        rc = ferrotls_trust_store_add_file(roots, cafile, NULL);
        if (rc != FERROTLS_OK) fail(NULL, "loading CA file", rc);
        ferrotls_client_config_builder_set_trust_store(builder, roots); /* copies the store */
        ferrotls_trust_store_free(roots);
    }
    if (cert) { /* mutual authentication: sent when the server asks for a certificate */
        ferrotls_cert_chain *chain = NULL;
        ferrotls_private_key *pkey = NULL;
        if ((rc = ferrotls_cert_chain_from_file(cert, &chain)) != FERROTLS_OK) fail(NULL, "loading --cert", rc);
        if ((rc = ferrotls_private_key_from_file(key, &pkey)) != FERROTLS_OK) fail(NULL, "loading --key", rc);
        ferrotls_client_config_builder_set_client_cert(builder, chain, pkey); /* copies both */
        ferrotls_cert_chain_free(chain);
        ferrotls_private_key_free(pkey);
    }
    ferrotls_client_config *config = NULL;
    rc = ferrotls_client_config_builder_build(builder, &config);
    if (rc != FERROTLS_OK) die(PROG, "configuration", ferrotls_client_config_builder_last_error(builder));
    ferrotls_client_config_builder_free(builder);

    /* 2. A connection over a connected socket; with --reconnect a second one offering the first
     *    one's session. */
    ferrotls_session *session = NULL;
    for (int round = 0; round < (reconnect ? 2 : 1); round++) {
        ferrotls_conn *conn = NULL;
        if (session)
            rc = ferrotls_conn_new_client_resuming(config, servername, session, &conn);
        else
            rc = ferrotls_conn_new_client(config, servername, &conn);
        if (rc != FERROTLS_OK) fail(NULL, "connection", rc);
        int fd = tcp_connect(PROG, host, port);
        ferrotls_conn_set_fd(conn, fd);

        rc = ferrotls_conn_handshake(conn);
        if (rc != FERROTLS_OK) fail(conn, "handshake", rc);
        if (!json) {
            const uint8_t *proto = NULL;
            size_t proto_len = 0;
            ferrotls_conn_alpn_protocol(conn, &proto, &proto_len);
            fprintf(stderr, "%s: connected: %s %s%s%.*s\n", PROG, ferrotls_conn_protocol_version_name(conn),
                    ferrotls_conn_cipher_suite_name(conn), proto ? " ALPN " : "", (int)proto_len,
                    proto ? (const char *)proto : "");
            fprintf(stderr, "%s: %s\n", PROG, ferrotls_conn_session_reused(conn) ? "session reused" : "new session");
            if (cert)
                fprintf(stderr, "%s: client certificate %s\n", PROG,
                        ferrotls_conn_client_certificate_sent(conn) ? "sent" : "not sent (the server did not ask)");
        }

        if (key_update && (rc = ferrotls_conn_send_key_update(conn, true)) != FERROTLS_OK) fail(conn, "key update", rc);

        /* 3. Send the input while printing what arrives (poll() so a large echo cannot deadlock). */
        char *received = NULL;
        size_t received_len = 0;
        size_t send_off = 0, send_len = send ? strlen(send) : 0;
        if (send && !send_len) { /* nothing to send: close at once */
            if ((rc = ferrotls_conn_shutdown(conn)) != FERROTLS_OK) fail(conn, "close_notify", rc);
        }
        bool input_done = false, closed = false;
        uint8_t buf[16384];
        while (!closed) {
            struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = send ? -1 : 0, .events = POLLIN}};
            if (input_done) p[1].fd = -1;
            if (send && !input_done) {
                size_t n = 0;
                rc = ferrotls_conn_write(conn, (const uint8_t *)send + send_off, send_len - send_off, &n);
                if (rc != FERROTLS_OK) fail(conn, "write", rc);
                send_off += n;
                if (send_off == send_len) {
                    input_done = true;
                    if ((rc = ferrotls_conn_shutdown(conn)) != FERROTLS_OK) fail(conn, "close_notify", rc);
                }
            }
            if (poll(p, 2, -1) < 0) die(PROG, "poll", strerror(errno));
            if (p[1].revents & (POLLIN | POLLHUP)) {
                ssize_t n = read(0, buf, sizeof buf);
                if (n <= 0) {
                    input_done = true;
                    if ((rc = ferrotls_conn_shutdown(conn)) != FERROTLS_OK) fail(conn, "close_notify", rc);
                } else {
                    for (size_t off = 0; off < (size_t)n;) {
                        size_t w = 0;
                        rc = ferrotls_conn_write(conn, buf + off, (size_t)n - off, &w);
                        if (rc != FERROTLS_OK) fail(conn, "write", rc);
                        off += w;
                    }
                }
            }
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                size_t n = 0;
                rc = ferrotls_conn_read(conn, buf, sizeof buf, &n);
                if (rc == FERROTLS_CLOSED) {
                    closed = true;
                } else if (rc != FERROTLS_OK) {
                    fail(conn, "read", rc);
                } else if (json) {
                    received = realloc(received, received_len + n);
                    if (!received) die(PROG, "out of memory", NULL);
                    memcpy(received + received_len, buf, n);
                    received_len += n;
                } else {
                    fwrite(buf, 1, n, stdout);
                    fflush(stdout);
                }
            }
        }

        if (json) {
            printf("{\"version\":\"%s\",\"cipher\":\"%s\",\"group\":%u,\"alpn\":",
                   ferrotls_conn_protocol_version_name(conn), ferrotls_conn_cipher_suite_name(conn),
                   (unsigned)ferrotls_conn_negotiated_group(conn));
            json_alpn(stdout, conn);
            printf(",\"extended_master_secret\":%s,\"encrypt_then_mac\":%s,\"peer_certificates\":[",
                   ferrotls_conn_extended_master_secret(conn) ? "true" : "false",
                   ferrotls_conn_encrypt_then_mac(conn) ? "true" : "false");
            ferrotls_cert_chain *chain = NULL;
            ferrotls_conn_peer_cert_chain(conn, &chain);
            for (size_t i = 0; i < ferrotls_cert_chain_len(chain); i++) {
                const char *j = ferrotls_cert_to_json(ferrotls_cert_chain_get(chain, i));
                printf("%s%s", i ? "," : "", j ? j : "{}");
            }
            ferrotls_cert_chain_free(chain);
            printf("],\"verified\":%s,\"client_certificate_sent\":%s,\"session_reused\":%s,\"received\":",
                   no_verify ? "false" : "true", ferrotls_conn_client_certificate_sent(conn) ? "true" : "false",
                   ferrotls_conn_session_reused(conn) ? "true" : "false");
            json_string(stdout, received ? received : "", received_len);
            printf("}\n");
        }
        free(received);
        /* The session to offer next time; none when the server did not let it be resumed. */
        ferrotls_session_free(session);
        session = NULL;
        if (reconnect && ferrotls_conn_session(conn, &session) == FERROTLS_OK && !json) {
            uint8_t id[32];
            size_t id_len = 0;
            ferrotls_session_id(session, id, sizeof id, &id_len);
            fprintf(stderr, "%s: session: %zu-byte id, version 0x%04x, suite 0x%04x\n", PROG, id_len,
                    (unsigned)ferrotls_session_protocol_version(session), (unsigned)ferrotls_session_cipher_suite(session));
        }
        ferrotls_conn_free(conn);
        close(fd);
    }
    ferrotls_session_free(session);
    ferrotls_client_config_free(config); /* connections keep their own reference */
    return 0;
}
