/* TLS 1.3's own calls through the OpenSSL API (tests/openssl-compat/run.sh compares the output with
 * the same program built against the system OpenSSL).
 *
 *   tls13 pair CA.pem CHAIN.pem KEY.pem
 *       Client and server over BIO pairs: the negotiated suite, version, description and group;
 *       SSL_key_update both ways with data after it, and its refusals (before the handshake, an
 *       unknown type, TLS 1.2); sessions: not resumable before the tickets are read, resumable
 *       after, one new_session_cb call per ticket, resumption with SSL_set_session and through
 *       i2d/d2i in another context, refused by a server with other ticket keys, changed bytes, no
 *       tickets with SSL_CTX_set_num_tickets(0); the early-data calls without early data; and
 *       SSL_verify_client_post_handshake's refusals.
 *   tls13 client HOST PORT CA.pem keyupdate|resume
 *       keyupdate: one connection, SSL_key_update (requested) before the first write and again
 *       before the second, reading the server's line between. resume: two connections, the
 *       second offering the first one's session after i2d/d2i.
 *   tls13 server CHAIN.pem KEY.pem N [keyupdate]
 *       Accepts N connections one after the other: reads a line, (asks for a KeyUpdate,) echoes
 *       it, shuts down; prints whether each resumed.
 */
#include "common.h"

#include <signal.h>

static int new_session_calls;

static int on_new_session(SSL *ssl, SSL_SESSION *sess)
{
    (void)ssl;
    (void)sess;
    new_session_calls++;
    return 0;
}

static void describe(const char *who, SSL_SESSION *sess)
{
    if (!sess) {
        printf("%s: no session\n", who);
        return;
    }
    unsigned int len = 0;
    SSL_SESSION_get_id(sess, &len);
    printf("%s: version 0x%04x, cipher %s, resumable %d, has ticket %d, id length %u, lifetime hint %lu, timeout %ld, "
           "max early data %u\n",
           who, SSL_SESSION_get_protocol_version(sess), SSL_CIPHER_get_name(SSL_SESSION_get0_cipher(sess)),
           SSL_SESSION_is_resumable(sess), SSL_SESSION_has_ticket(sess), len, SSL_SESSION_get_ticket_lifetime_hint(sess),
           SSL_SESSION_get_timeout(sess), SSL_SESSION_get_max_early_data(sess));
}

/* SSL_SESSION_print's text with what differs between runs and libraries summarised: hex values
 * as their length, the start time as present, the ticket dump (whose length is the server's
 * business) as present. */
static void print_session_text(SSL_SESSION *sess)
{
    BIO *mem = BIO_new(BIO_s_mem());
    printf("SSL_SESSION_print: %d\n", SSL_SESSION_print(mem, sess));
    char line[512];
    int dump = 0;
    while (BIO_gets(mem, line, sizeof(line)) > 0) {
        line[strcspn(line, "\n")] = 0;
        const char *colon = strstr(line, ": ");
        if (!strncmp(line, "    0", 5) && strstr(line, " - ")) {
            dump++;
            continue;
        }
        if (dump) {
            printf("  | (ticket dump)\n");
            dump = 0;
        }
        if (colon && (strstr(line, "Session-ID") || strstr(line, "PSK: ") || strstr(line, "Master-Key"))) {
            printf("  | %.*s: %zu bytes\n", (int)(colon - line), line, strlen(colon + 2) / 2);
        } else if (colon && strstr(line, "Start Time")) {
            printf("  | %.*s: present\n", (int)(colon - line), line);
        } else {
            printf("  | %s\n", line);
        }
    }
    if (dump)
        printf("  | (ticket dump)\n");
    BIO_free(mem);
}

static void pair_up(SSL_CTX *cctx, SSL_CTX *sctx, SSL **c, SSL **s)
{
    BIO *cb = NULL, *sb = NULL;
    *c = SSL_new(cctx);
    *s = SSL_new(sctx);
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(*c, cb, cb);
    SSL_set_bio(*s, sb, sb);
    SSL_set_connect_state(*c);
    SSL_set_accept_state(*s);
    SSL_set_tlsext_host_name(*c, "localhost");
}

static int handshake(SSL *c, SSL *s)
{
    int cr = 0, sr = 0;
    for (int i = 0; i < 10 && !(cr == 1 && sr == 1); i++) {
        if (cr != 1)
            cr = SSL_do_handshake(c);
        if (sr != 1)
            sr = SSL_do_handshake(s);
    }
    return cr == 1 && sr == 1;
}

/* `from` writes `msg`; `to` reads it. Prints what arrived. */
static void send_recv(const char *label, SSL *from, SSL *to, const char *msg)
{
    char buf[64];
    int w = SSL_write(from, msg, (int)strlen(msg));
    int r = SSL_read(to, buf, sizeof(buf) - 1);
    if (r > 0)
        buf[r] = 0;
    else
        buf[0] = 0;
    printf("%s: write %d, read %d \"%s\"\n", label, w, r, buf);
    if (w <= 0 || r <= 0) {
        print_errors("  write/read");
    }
}

static void refused(const char *label, int r)
{
    printf("%s: %d\n", label, r);
    print_errors("  error");
}

static SSL_CTX *client_ctx(const char *ca, int max)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, ca, NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (max)
        SSL_CTX_set_max_proto_version(ctx, max);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
    SSL_CTX_sess_set_new_cb(ctx, on_new_session);
    return ctx;
}

static SSL_CTX *server_ctx(const char *chain, const char *key, int max)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_chain_file(ctx, chain);
    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM);
    if (max)
        SSL_CTX_set_max_proto_version(ctx, max);
    return ctx;
}

/* A full handshake, data from the server (the client reads the tickets with it); returns the
 * client's session (a new reference). */
static SSL_SESSION *session_from(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *offer, const char *label)
{
    SSL *c, *s;
    pair_up(cctx, sctx, &c, &s);
    if (offer)
        SSL_set_session(c, offer);
    new_session_calls = 0;
    if (!handshake(c, s)) {
        printf("%s: handshake failed\n", label);
        print_errors("  error");
        SSL_free(c);
        SSL_free(s);
        return NULL;
    }
    printf("%s: reused client %d server %d, same object %d, verify %ld, peer certificate %s\n", label,
           SSL_session_reused(c), SSL_session_reused(s), offer != NULL && SSL_get_session(c) == offer,
           SSL_get_verify_result(c), SSL_get0_peer_certificate(c) ? "present" : "absent");
    printf("  before reading: resumable %d, new_session_cb calls %d\n", SSL_SESSION_is_resumable(SSL_get_session(c)),
           new_session_calls);
    send_recv("  server to client", s, c, "tickets first");
    printf("  after reading: new_session_cb calls %d, same object %d\n", new_session_calls,
           offer != NULL && SSL_get_session(c) == offer);
    SSL_SESSION *sess = SSL_get1_session(c);
    describe("  client session", sess);
    SSL_shutdown(c);
    SSL_shutdown(s);
    SSL_free(c);
    SSL_free(s);
    return sess;
}

static void key_updates(SSL_CTX *cctx, SSL_CTX *sctx)
{
    SSL *c, *s;
    pair_up(cctx, sctx, &c, &s);
    printf("key update type before the handshake: %d\n", SSL_get_key_update_type(c));
    refused("SSL_key_update before the handshake", SSL_key_update(c, SSL_KEY_UPDATE_REQUESTED));
    if (!handshake(c, s)) {
        printf("handshake failed\n");
        print_errors("  error");
        return;
    }
    const SSL_CIPHER *cipher = SSL_get_current_cipher(c);
    char desc[128];
    printf("%s %s (%s), group nid %ld\n", SSL_get_version(c), SSL_CIPHER_get_name(cipher), SSL_CIPHER_get_version(cipher),
           SSL_get_negotiated_group(c));
    printf("description: %s", SSL_CIPHER_description(cipher, desc, sizeof(desc)));
    refused("SSL_key_update with type 7", SSL_key_update(c, 7));
    int ku = SSL_key_update(c, SSL_KEY_UPDATE_REQUESTED);
    printf("SSL_key_update requested: %d, type %d\n", ku, SSL_get_key_update_type(c));
    send_recv("client to server after it", c, s, "after the client's update");
    printf("  client type after the write %d\n", SSL_get_key_update_type(c));
    send_recv("server to client (its own update answered the request)", s, c, "server answers");
    ku = SSL_key_update(s, SSL_KEY_UPDATE_NOT_REQUESTED);
    printf("SSL_key_update not requested on the server: %d, type %d\n", ku, SSL_get_key_update_type(s));
    int hs = SSL_do_handshake(s);
    printf("  SSL_do_handshake sends it: %d, type %d\n", hs, SSL_get_key_update_type(s));
    send_recv("server to client", s, c, "after the server's update");
    for (int i = 0; i < 3; i++) {
        SSL_key_update(i % 2 ? s : c, SSL_KEY_UPDATE_REQUESTED);
        send_recv("  round", i % 2 ? s : c, i % 2 ? c : s, "again");
        send_recv("  reply", i % 2 ? c : s, i % 2 ? s : c, "reply");
    }
    refused("SSL_verify_client_post_handshake on the client", SSL_verify_client_post_handshake(c));
    refused("SSL_verify_client_post_handshake without the client's extension", SSL_verify_client_post_handshake(s));
    printf("shutdown: %d %d %d\n", SSL_shutdown(c), SSL_shutdown(s), SSL_shutdown(c));
    SSL_free(c);
    SSL_free(s);
}

static void tls12_refusals(const char *ca, const char *chain, const char *key)
{
    SSL_CTX *cctx = client_ctx(ca, TLS1_2_VERSION), *sctx = server_ctx(chain, key, TLS1_2_VERSION);
    SSL *c, *s;
    pair_up(cctx, sctx, &c, &s);
    refused("SSL_verify_client_post_handshake before the handshake", SSL_verify_client_post_handshake(s));
    if (handshake(c, s)) {
        printf("TLS 1.2: %s\n", SSL_get_version(c));
        refused("SSL_key_update at TLS 1.2", SSL_key_update(c, SSL_KEY_UPDATE_NOT_REQUESTED));
        printf("  type %d\n", SSL_get_key_update_type(c));
        refused("SSL_verify_client_post_handshake at TLS 1.2", SSL_verify_client_post_handshake(s));
        send_recv("TLS 1.2 data still flows", c, s, "twelve");
    }
    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
}

static void early_data(SSL_CTX *cctx, SSL_CTX *sctx)
{
    SSL_CTX *other = SSL_CTX_new(TLS_server_method());
    printf("max early data: ctx %u recv %u", SSL_CTX_get_max_early_data(other), SSL_CTX_get_recv_max_early_data(other));
    SSL_CTX_set_max_early_data(other, 1000);
    SSL_CTX_set_recv_max_early_data(other, 2000);
    SSL *o = SSL_new(other);
    printf(", set: ctx %u recv %u, ssl %u recv %u", SSL_CTX_get_max_early_data(other),
           SSL_CTX_get_recv_max_early_data(other), SSL_get_max_early_data(o), SSL_get_recv_max_early_data(o));
    SSL_set_max_early_data(o, 5);
    SSL_set_recv_max_early_data(o, 6);
    printf(", ssl set %u %u\n", SSL_get_max_early_data(o), SSL_get_recv_max_early_data(o));
    SSL_free(o);
    SSL_CTX_free(other);

    SSL *c, *s;
    pair_up(cctx, sctx, &c, &s);
    char buf[32];
    size_t n = 99;
    refused("SSL_read_early_data on a client", SSL_read_early_data(c, buf, sizeof(buf), &n));
    refused("SSL_write_early_data without a session", SSL_write_early_data(c, "early", 5, &n));
    int cr = 0, r = SSL_READ_EARLY_DATA_ERROR;
    for (int i = 0; i < 10 && !(cr == 1 && r == SSL_READ_EARLY_DATA_FINISH); i++) {
        if (cr != 1)
            cr = SSL_do_handshake(c);
        if (r != SSL_READ_EARLY_DATA_FINISH) {
            r = SSL_read_early_data(s, buf, sizeof(buf), &n);
            if (r == SSL_READ_EARLY_DATA_ERROR && SSL_get_error(s, r) != SSL_ERROR_WANT_READ)
                break;
        }
    }
    printf("SSL_read_early_data on the server: %s, readbytes %zu, client handshake %d, server handshake %d\n",
           r == SSL_READ_EARLY_DATA_FINISH ? "FINISH" : r == SSL_READ_EARLY_DATA_SUCCESS ? "SUCCESS" : "ERROR", n, cr,
           SSL_do_handshake(s));
    printf("early data status: client %d server %d\n", SSL_get_early_data_status(c), SSL_get_early_data_status(s));
    refused("SSL_read_early_data again", SSL_read_early_data(s, buf, sizeof(buf), &n));
    n = 0;
    printf("SSL_write_early_data on the server after FINISH: %d, written %zu\n", SSL_write_early_data(s, "half", 4, &n), n);
    int got = SSL_read(c, buf, sizeof(buf) - 1);
    printf("  client reads %d \"%.*s\"\n", got, got > 0 ? got : 0, buf);
    refused("SSL_write_early_data after the handshake", SSL_write_early_data(c, "late", 4, &n));
    SSL_shutdown(c);
    SSL_shutdown(s);
    SSL_free(c);
    SSL_free(s);
}

static int pair(const char *ca, const char *chain, const char *key)
{
    SSL_CTX *cctx = client_ctx(ca, 0), *other = client_ctx(ca, 0);
    SSL_CTX *sctx = server_ctx(chain, key, 0), *stranger = server_ctx(chain, key, 0);
    key_updates(cctx, sctx);
    tls12_refusals(ca, chain, key);

    SSL_SESSION *sess = session_from(cctx, sctx, NULL, "full");
    SSL_SESSION *again = session_from(cctx, sctx, sess, "resumed");
    SSL_SESSION_free(again);

    int len = i2d_SSL_SESSION(sess, NULL);
    unsigned char *buf = malloc(len > 0 ? (size_t)len : 1), *p = buf;
    int written = i2d_SSL_SESSION(sess, &p);
    printf("i2d: length positive %d, written %d, advanced %d\n", len > 0, written == len, p == buf + len);
    const unsigned char *q = buf;
    SSL_SESSION *back = d2i_SSL_SESSION(NULL, &q, len);
    printf("d2i: %s, advanced %d\n", back ? "session" : "NULL", q == buf + len);
    describe("  d2i session", back);
    SSL_SESSION *fresh = session_from(other, sctx, back, "another client context, d2i session");
    SSL_SESSION_free(fresh);
    fresh = session_from(other, stranger, back, "another server context (other ticket keys)");
    SSL_SESSION_free(fresh);
    buf[len / 2] ^= 0x5a;
    buf[0] ^= 0x5a;
    q = buf;
    SSL_SESSION *bad = d2i_SSL_SESSION(NULL, &q, len);
    printf("d2i of changed bytes: %s\n", bad ? "session" : "NULL");
    ERR_clear_error();
    SSL_SESSION_free(bad);
    free(buf);

    /* The session as text, and through PEM into another context. */
    print_session_text(sess);
    BIO *pem = BIO_new(BIO_s_mem());
    printf("PEM_write_bio_SSL_SESSION: %d\n", PEM_write_bio_SSL_SESSION(pem, sess));
    char first[64] = "";
    BIO_gets(pem, first, sizeof(first));
    printf("  first line: %s", first);
    BIO_free(pem);
    pem = BIO_new(BIO_s_mem());
    PEM_write_bio_SSL_SESSION(pem, sess);
    SSL_SESSION *from_pem = PEM_read_bio_SSL_SESSION(pem, NULL, NULL, NULL);
    printf("PEM_read_bio_SSL_SESSION: %s\n", from_pem ? "session" : "NULL");
    printf("  read again at the end: %s\n", PEM_read_bio_SSL_SESSION(pem, NULL, NULL, NULL) ? "session" : "NULL");
    print_errors("  error");
    BIO_free(pem);
    fresh = session_from(other, sctx, from_pem, "another client context, PEM session");
    SSL_SESSION_free(fresh);
    SSL_SESSION_free(from_pem);
    /* Twin: a certificate is not a session. */
    BIO *cert = BIO_new_file(ca, "r");
    printf("PEM_read_bio_SSL_SESSION of a certificate: %s\n",
           PEM_read_bio_SSL_SESSION(cert, NULL, NULL, NULL) ? "session" : "NULL");
    print_errors("  error");
    BIO_free(cert);
    /* A TLS 1.2 session's text. */
    SSL_CTX *c12 = client_ctx(ca, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(c12, "AES128-SHA256");
    SSL_SESSION *s12 = session_from(c12, sctx, NULL, "TLS 1.2");
    print_session_text(s12);
    SSL_SESSION_free(s12);
    SSL_CTX_free(c12);

    /* The twin: a server that sends no tickets leaves the client nothing to resume. */
    SSL_CTX_set_num_tickets(stranger, 0);
    SSL_SESSION *none = session_from(other, stranger, NULL, "server with num_tickets 0");
    SSL_SESSION_free(none);

    early_data(cctx, sctx);
    SSL_SESSION_free(back);
    SSL_SESSION_free(sess);
    SSL_CTX_free(cctx);
    SSL_CTX_free(other);
    SSL_CTX_free(sctx);
    SSL_CTX_free(stranger);
    return 0;
}

static SSL *connect_to(SSL_CTX *ctx, const char *host, int port, SSL_SESSION *offer)
{
    int fd = tcp_connect(host, port);
    if (fd < 0) {
        printf("connect failed\n");
        return NULL;
    }
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    if (offer)
        SSL_set_session(ssl, offer);
    int r = SSL_connect(ssl);
    if (r != 1) {
        printf("handshake failed: %s\n", error_name(SSL_get_error(ssl, r)));
        print_errors("client");
        close(fd);
        SSL_free(ssl);
        return NULL;
    }
    printf("connected: %s %s, reused %d\n", SSL_get_version(ssl), SSL_get_cipher_name(ssl), SSL_session_reused(ssl));
    return ssl;
}

static void finish(SSL *ssl)
{
    int a = SSL_shutdown(ssl);
    int b = a == 0 ? SSL_shutdown(ssl) : a;
    printf("shutdown %d %d\n", a, b);
    close(SSL_get_fd(ssl));
    SSL_free(ssl);
}

static int client(const char *host, int port, const char *ca, const char *what)
{
    SSL_CTX *ctx = client_ctx(ca, 0);
    SSL *ssl = connect_to(ctx, host, port, NULL);
    if (!ssl)
        return 1;
    if (!strcmp(what, "keyupdate")) {
        char buf[64];
        printf("SSL_key_update requested: %d\n", SSL_key_update(ssl, SSL_KEY_UPDATE_REQUESTED));
        printf("write %d\n", SSL_write(ssl, "hello\n", 6));
        int r = SSL_read(ssl, buf, sizeof(buf) - 1);
        printf("read %d \"%.*s\"\n", r, r > 0 ? r - (buf[r - 1] == '\n') : 0, buf);
        printf("SSL_key_update not requested: %d\n", SSL_key_update(ssl, SSL_KEY_UPDATE_NOT_REQUESTED));
        printf("write %d\n", SSL_write(ssl, "more\n", 5));
        finish(ssl);
    } else {
        printf("write %d\n", SSL_write(ssl, "hello\n", 6));
        /* The tickets are read on the way to the server's close_notify. */
        SSL_SESSION *sess = SSL_get1_session(ssl);
        printf("session before reading: resumable %d\n", SSL_SESSION_is_resumable(sess));
        SSL_SESSION_free(sess);
        int a = SSL_shutdown(ssl);
        int b = a == 0 ? SSL_shutdown(ssl) : a;
        printf("shutdown %d %d, new_session_cb calls %d\n", a, b, new_session_calls);
        sess = SSL_get1_session(ssl);
        describe("session", sess);
        close(SSL_get_fd(ssl));
        SSL_free(ssl);
        SSL_SESSION *back = sess;
        if (SSL_SESSION_is_resumable(sess)) {
            /* Through the bytes, as a program that saves sessions does. */
            int len = i2d_SSL_SESSION(sess, NULL);
            unsigned char *buf = malloc(len > 0 ? (size_t)len : 1), *p = buf;
            i2d_SSL_SESSION(sess, &p);
            SSL_SESSION_free(sess);
            const unsigned char *q = buf;
            back = d2i_SSL_SESSION(NULL, &q, len);
            free(buf);
            printf("offering the d2i copy: %s\n", back ? "session" : "NULL");
        } else {
            printf("offering the session itself\n");
        }
        SSL_CTX *fresh = client_ctx(ca, 0);
        ssl = connect_to(fresh, host, port, back);
        if (ssl) {
            printf("write %d\n", SSL_write(ssl, "again\n", 6));
            finish(ssl);
        }
        SSL_SESSION_free(back);
        SSL_CTX_free(fresh);
    }
    SSL_CTX_free(ctx);
    return 0;
}

static int server(const char *chain, const char *key, int n, int keyupdate)
{
    SSL_CTX *ctx = server_ctx(chain, key, 0);
    /* A client that drops the connection (s_client -reconnect) must not end the server when the
     * tickets are written after it left. */
    signal(SIGPIPE, SIG_IGN);
    int lfd = tcp_listen();
    if (lfd < 0)
        return 1;
    for (int i = 0; i < n; i++) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            break;
        SSL *ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        int r = SSL_accept(ssl);
        if (r != 1) {
            printf("accept %d failed: %s\n", i, error_name(SSL_get_error(ssl, r)));
            print_errors("server");
        } else {
            char buf[256];
            int got = SSL_read(ssl, buf, sizeof(buf));
            printf("connection %d: %s %s, reused %d, read %d\n", i, SSL_get_version(ssl), SSL_get_cipher_name(ssl),
                   SSL_session_reused(ssl), got);
            if (keyupdate)
                printf("  SSL_key_update requested: %d\n", SSL_key_update(ssl, SSL_KEY_UPDATE_REQUESTED));
            if (got > 0)
                SSL_write(ssl, buf, got);
            int a = SSL_shutdown(ssl);
            int b = a == 0 ? SSL_shutdown(ssl) : a;
            printf("  shutdown %d %d\n", a, b);
            ERR_clear_error();
        }
        SSL_free(ssl);
        close(fd);
    }
    close(lfd);
    SSL_CTX_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "pair"))
        return pair(argv[2], argv[3], argv[4]);
    if (argc == 6 && !strcmp(argv[1], "client"))
        return client(argv[2], atoi(argv[3]), argv[4], argv[5]);
    if ((argc == 5 || argc == 6) && !strcmp(argv[1], "server"))
        return server(argv[2], argv[3], atoi(argv[4]), argc == 6 && !strcmp(argv[5], "keyupdate"));
    return 2;
}
