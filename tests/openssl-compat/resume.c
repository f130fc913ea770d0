/* Session resumption by session ID (RFC 5246 §7.3) through the OpenSSL API.
 *
 *   resume pair CA.pem CHAIN.pem KEY.pem
 *       Client and server in one process over BIO pairs: a full handshake, the session's
 *       fields, SSL_CTX_sess_set_new_cb, a resumption with SSL_set_session (both sides report
 *       SSL_session_reused), the cache statistics, SSL_CTX_flush_sessions, the cache turned off,
 *       and a server that starts verifying clients without a session-id context.
 *   resume scope CA.pem CHAIN.pem KEY.pem UNTRUSTED_CHAIN.pem
 *       Where a client session may be offered again (SSL_set_session): by another SSL of the
 *       context that made it, by another context, and a session made by a context that does
 *       not verify (SSL_VERIFY_NONE) against a server it would not trust, offered by a
 *       verifying context. Prints one summary line. OpenSSL resumes all three; ferrotls
 *       resumes only the first and verifies the certificate in the third (a full handshake
 *       that fails), because resumption skips the Certificate message.
 *   resume tickets CA.pem CHAIN.pem KEY.pem
 *       Session tickets (RFC 5077) over BIO pairs in TLS 1.2: the client's session has a ticket
 *       and its lifetime hint, i2d_SSL_SESSION / d2i_SSL_SESSION carry it to another client
 *       context that resumes with it, a server context with other ticket keys does a full
 *       handshake, SSL_OP_NO_TICKET on the server gives no ticket, bytes that are not a session
 *       give NULL, and SSL_CTX_set_num_tickets is stored.
 *   resume client HOST PORT CA.pem
 *       Connects twice to a server, the second time offering the first session, and prints
 *       whether it was reused with the session's version and cipher. SSL_OP_NO_TICKET: the
 *       ClientHello carries no SessionTicket extension, so a server
 *       that issues tickets resumes from its session-ID cache.
 */
#include "common.h"

#include <time.h>

static int new_session_calls;

static int on_new_session(SSL *ssl, SSL_SESSION *sess)
{
    (void)ssl;
    unsigned int len = 0;
    SSL_SESSION_get_id(sess, &len);
    new_session_calls++;
    printf("new_session_cb: id length %u, resumable %d\n", len, SSL_SESSION_is_resumable(sess));
    return 0; /* not kept: the library gives the reference back */
}

static void describe(const char *who, SSL_SESSION *sess)
{
    if (!sess) {
        printf("%s: no session\n", who);
        return;
    }
    unsigned int len = 0;
    SSL_SESSION_get_id(sess, &len);
    printf("%s: id length %u, version 0x%04x, cipher %s, resumable %d, timeout %ld, has time %d\n", who, len,
           SSL_SESSION_get_protocol_version(sess), SSL_CIPHER_get_name(SSL_SESSION_get0_cipher(sess)),
           SSL_SESSION_is_resumable(sess), SSL_SESSION_get_timeout(sess), SSL_SESSION_get_time(sess) > 0);
}

/* One handshake over a fresh BIO pair; returns the client (the server is freed). */
static SSL *shake(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *offer, const char *label)
{
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    BIO *cb = NULL, *sb = NULL;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(c, cb, cb);
    SSL_set_bio(s, sb, sb);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    SSL_set_tlsext_host_name(c, "localhost");
    if (offer)
        printf("%s: SSL_set_session %d\n", label, SSL_set_session(c, offer));
    int cr = 0, sr = 0;
    for (int i = 0; i < 10 && !(cr == 1 && sr == 1); i++) {
        if (cr != 1) {
            cr = SSL_do_handshake(c);
            if (cr != 1 && SSL_get_error(c, cr) != SSL_ERROR_WANT_READ)
                break;
        }
        if (sr != 1) {
            sr = SSL_do_handshake(s);
            if (sr != 1 && SSL_get_error(s, sr) != SSL_ERROR_WANT_READ)
                break;
        }
    }
    if (cr != 1 || sr != 1) {
        /* Let the client read the server's alert. */
        cr = SSL_do_handshake(c);
        printf("%s: failed: client %s, server %s\n", label, error_name(SSL_get_error(c, cr)), error_name(SSL_get_error(s, sr)));
        print_errors("server");
        print_errors("client");
    } else {
        printf("%s: reused client %d server %d, verify %ld, same object %d\n", label, SSL_session_reused(c),
               SSL_session_reused(s), SSL_get_verify_result(c), offer != NULL && SSL_get_session(c) == offer);
        describe("  server session", SSL_get_session(s));
        printf("  peer certificate %s\n", SSL_get0_peer_certificate(c) ? "present" : "absent");
    }
    SSL_shutdown(c);
    SSL_shutdown(s);
    SSL_free(s);
    return c;
}

static void stats(SSL_CTX *sctx, SSL_CTX *cctx)
{
    printf("server ctx: number %ld hits %ld accept %ld accept_good %ld; client ctx: connect %ld connect_good %ld\n",
           SSL_CTX_sess_number(sctx), SSL_CTX_sess_hits(sctx), SSL_CTX_sess_accept(sctx),
           SSL_CTX_sess_accept_good(sctx), SSL_CTX_sess_connect(cctx), SSL_CTX_sess_connect_good(cctx));
}

static int pair(const char *ca, const char *chain, const char *key)
{
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_load_verify_locations(cctx, ca, NULL);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_use_certificate_chain_file(sctx, chain);
    SSL_CTX_use_PrivateKey_file(sctx, key, SSL_FILETYPE_PEM);
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(cctx, "AES128-SHA256:AES256-SHA");
    SSL_CTX_set_options(cctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_options(sctx, SSL_OP_NO_TICKET);
    printf("defaults: server cache mode %ld, size %ld, timeout %ld\n", SSL_CTX_get_session_cache_mode(sctx),
           SSL_CTX_sess_get_cache_size(sctx), SSL_CTX_get_timeout(sctx));
    SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_CLIENT);
    SSL_CTX_sess_set_new_cb(cctx, on_new_session);
    SSL_CTX_set_timeout(sctx, 600);

    SSL *c = shake(cctx, sctx, NULL, "full");
    SSL_SESSION *sess = SSL_get1_session(c);
    describe("client session", sess);
    printf("SSL_get_session == SSL_get1_session: %d, new_session_cb calls: %d\n", SSL_get_session(c) == sess,
           new_session_calls);
    SSL_free(c); /* the session outlives its SSL */
    SSL_SESSION_up_ref(sess);
    SSL_SESSION_free(sess);

    c = shake(cctx, sctx, sess, "resumed");
    printf("new_session_cb calls after the resumption: %d\n", new_session_calls);
    SSL_free(c);
    stats(sctx, cctx);

    /* Flushing with a time far ahead expires everything: a full handshake follows. */
    SSL_CTX_flush_sessions(sctx, (long)time(NULL) + 100000);
    printf("after flush: number %ld\n", SSL_CTX_sess_number(sctx));
    c = shake(cctx, sctx, sess, "after flush");
    SSL_SESSION *fresh = SSL_get1_session(c);
    SSL_free(c);
    SSL_SESSION_free(sess);

    /* A server that now verifies clients, without a session-id context, is offered a session
     * from its cache: OpenSSL fails the handshake (session id context uninitialized). */
    SSL_CTX_set_verify(sctx, SSL_VERIFY_PEER, NULL);
    c = shake(cctx, sctx, fresh, "verify-peer without sid_ctx");
    SSL_free(c);
    /* With a context, sessions made from now on resume. */
    SSL_CTX_set_session_id_context(sctx, (const unsigned char *)"resume-test", 11);
    c = shake(cctx, sctx, NULL, "with sid_ctx, full");
    SSL_SESSION_free(fresh);
    fresh = SSL_get1_session(c);
    SSL_free(c);
    c = shake(cctx, sctx, fresh, "with sid_ctx, resumed");
    SSL_free(c);
    SSL_SESSION_free(fresh);

    /* The cache off on the server: no session ID, nothing to resume. */
    SSL_CTX_set_verify(sctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_OFF);
    c = shake(cctx, sctx, NULL, "cache off");
    sess = SSL_get1_session(c);
    describe("client session with the cache off", sess);
    SSL_free(c);
    c = shake(cctx, sctx, sess, "cache off, offered");
    SSL_free(c);
    SSL_SESSION_free(sess);
    SSL_SESSION_free(NULL);
    stats(sctx, cctx);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}

/* "reused", "full" or "failed" for one client handshake offering `offer`. */
static const char *outcome(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *offer, SSL_SESSION **made, const char *label)
{
    SSL *c = shake(cctx, sctx, offer, label);
    const char *what = !SSL_is_init_finished(c) ? "failed" : SSL_session_reused(c) ? "reused" : "full";
    if (made)
        *made = SSL_get1_session(c);
    SSL_free(c);
    return what;
}

static SSL_CTX *client_ctx(const char *ca)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ca) {
        SSL_CTX_load_verify_locations(ctx, ca, NULL);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    }
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    return ctx;
}

static SSL_CTX *server_ctx(const char *chain, const char *key)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_chain_file(ctx, chain);
    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM);
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    return ctx;
}

static int scope(const char *ca, const char *chain, const char *key, const char *untrusted_chain)
{
    SSL_CTX *verifying = client_ctx(ca), *other = client_ctx(ca), *careless = client_ctx(NULL);
    SSL_CTX *sctx = server_ctx(chain, key), *untrusted = server_ctx(untrusted_chain, key);
    SSL_SESSION *sess = NULL, *unverified = NULL;
    outcome(verifying, sctx, NULL, &sess, "verifying, full");
    const char *same_ctx = outcome(verifying, sctx, sess, NULL, "same context");
    const char *other_ctx = outcome(other, sctx, sess, NULL, "another context");
    outcome(careless, untrusted, NULL, &unverified, "SSL_VERIFY_NONE, untrusted server");
    const char *careless_again = outcome(careless, untrusted, unverified, NULL, "SSL_VERIFY_NONE again");
    const char *crossed = outcome(verifying, untrusted, unverified, NULL, "unverified session, verifying context");
    printf("scope: same context %s, another context %s, no-verify context again %s, "
           "unverified session in a verifying context %s\n",
           same_ctx, other_ctx, careless_again, crossed);
    SSL_SESSION_free(sess);
    SSL_SESSION_free(unverified);
    SSL_CTX_free(verifying);
    SSL_CTX_free(other);
    SSL_CTX_free(careless);
    SSL_CTX_free(sctx);
    SSL_CTX_free(untrusted);
    return 0;
}

static SSL *connect_once(SSL_CTX *ctx, const char *host, int port, SSL_SESSION *offer)
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
    } else {
        SSL_SESSION *s = SSL_get_session(ssl);
        printf("connected: reused %d, %s, session version 0x%04x, cipher %s, resumable %d\n", SSL_session_reused(ssl),
               SSL_get_version(ssl), SSL_SESSION_get_protocol_version(s),
               SSL_CIPHER_get_name(SSL_SESSION_get0_cipher(s)), SSL_SESSION_is_resumable(s));
        SSL_write(ssl, "hello\n", 6);
        SSL_shutdown(ssl);
    }
    return ssl;
}

static int client(const char *host, int port, const char *ca)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, ca, NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL *first = connect_once(ctx, host, port, NULL);
    if (!first)
        return 1;
    SSL_SESSION *sess = SSL_get1_session(first);
    close(SSL_get_fd(first));
    SSL_free(first);
    SSL *second = connect_once(ctx, host, port, sess);
    if (second) {
        close(SSL_get_fd(second));
        SSL_free(second);
    }
    SSL_SESSION_free(sess);
    SSL_CTX_free(ctx);
    return 0;
}

/* One handshake over a fresh BIO pair, printing nothing; whether the client resumed (-1: the
 * handshake failed). The client's session goes to *made when asked. */
static int quiet_shake(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *offer, SSL_SESSION **made)
{
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    BIO *cb = NULL, *sb = NULL;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(c, cb, cb);
    SSL_set_bio(s, sb, sb);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    SSL_set_tlsext_host_name(c, "localhost");
    if (offer)
        SSL_set_session(c, offer);
    int cr = 0, sr = 0;
    for (int i = 0; i < 10 && !(cr == 1 && sr == 1); i++) {
        if (cr != 1)
            cr = SSL_do_handshake(c);
        if (sr != 1)
            sr = SSL_do_handshake(s);
    }
    int reused = (cr == 1 && sr == 1) ? SSL_session_reused(c) && SSL_session_reused(s) : -1;
    if (made)
        *made = SSL_get1_session(c);
    SSL_shutdown(c);
    SSL_shutdown(s);
    SSL_free(c);
    SSL_free(s);
    return reused;
}

static SSL_CTX *ticket_ctx(int server, const char *ca, const char *chain, const char *key)
{
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (server) {
        SSL_CTX_use_certificate_chain_file(ctx, chain);
        SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM);
    } else {
        SSL_CTX_load_verify_locations(ctx, ca, NULL);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    }
    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    return ctx;
}

static int tickets(const char *ca, const char *chain, const char *key)
{
    SSL_CTX *cctx = ticket_ctx(0, ca, chain, key), *other = ticket_ctx(0, ca, chain, key);
    SSL_CTX *sctx = ticket_ctx(1, ca, chain, key), *stranger = ticket_ctx(1, ca, chain, key);
    SSL_SESSION *sess = NULL;
    printf("full: reused %d\n", quiet_shake(cctx, sctx, NULL, &sess));
    printf("session: has ticket %d, lifetime hint %lu, resumable %d\n", SSL_SESSION_has_ticket(sess),
           SSL_SESSION_get_ticket_lifetime_hint(sess), SSL_SESSION_is_resumable(sess));
    printf("same context: reused %d\n", quiet_shake(cctx, sctx, sess, NULL));

    /* i2d into a buffer we size, and into one the library allocates; d2i back. */
    int len = i2d_SSL_SESSION(sess, NULL);
    unsigned char *buf = malloc(len > 0 ? (size_t)len : 1), *p = buf;
    int written = i2d_SSL_SESSION(sess, &p);
    unsigned char *alloc = NULL;
    int again = i2d_SSL_SESSION(sess, &alloc);
    printf("i2d: length positive %d, written %d, advanced %d, allocated same %d\n", len > 0, written == len,
           p == buf + len, again == len && alloc && !memcmp(alloc, buf, (size_t)len));
    OPENSSL_free(alloc);
    const unsigned char *q = buf;
    SSL_SESSION *back = d2i_SSL_SESSION(NULL, &q, len);
    printf("d2i: %s, advanced %d, has ticket %d\n", back ? "session" : "NULL", q == buf + len,
           back ? SSL_SESSION_has_ticket(back) : -1);
    printf("another client context with the d2i session: reused %d\n", quiet_shake(other, sctx, back, NULL));
    printf("another server context (other ticket keys): reused %d\n", quiet_shake(other, stranger, back, NULL));
    buf[len / 2] ^= 0x5a;
    buf[0] ^= 0x5a;
    q = buf;
    SSL_SESSION *bad = d2i_SSL_SESSION(NULL, &q, len);
    printf("d2i of changed bytes: %s\n", bad ? "session" : "NULL");
    ERR_clear_error();
    SSL_SESSION_free(bad);
    free(buf);

    /* The twin: a server with SSL_OP_NO_TICKET issues none (its cache resumes instead). */
    SSL_CTX_set_options(stranger, SSL_OP_NO_TICKET);
    SSL_SESSION *plain = NULL;
    quiet_shake(other, stranger, NULL, &plain);
    printf("server SSL_OP_NO_TICKET: has ticket %d, lifetime hint %lu\n", SSL_SESSION_has_ticket(plain),
           SSL_SESSION_get_ticket_lifetime_hint(plain));
    printf("  resumes by session ID: reused %d\n", quiet_shake(other, stranger, plain, NULL));

    printf("num_tickets: default %zu", SSL_CTX_get_num_tickets(sctx));
    SSL_CTX_set_num_tickets(sctx, 4);
    SSL *ssl = SSL_new(sctx);
    SSL_set_num_tickets(ssl, 1);
    printf(", ctx %zu, ssl %zu\n", SSL_CTX_get_num_tickets(sctx), SSL_get_num_tickets(ssl));
    SSL_free(ssl);

    SSL_SESSION_free(plain);
    SSL_SESSION_free(back);
    SSL_SESSION_free(sess);
    SSL_CTX_free(cctx);
    SSL_CTX_free(other);
    SSL_CTX_free(sctx);
    SSL_CTX_free(stranger);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "tickets"))
        return tickets(argv[2], argv[3], argv[4]);
    if (argc == 5 && !strcmp(argv[1], "pair"))
        return pair(argv[2], argv[3], argv[4]);
    if (argc == 6 && !strcmp(argv[1], "scope"))
        return scope(argv[2], argv[3], argv[4], argv[5]);
    if (argc == 5 && !strcmp(argv[1], "client"))
        return client(argv[2], atoi(argv[3]), argv[4]);
    return 2;
}
