/* Client and server in one process over a BIO pair: the handshake step by step with
 * SSL_get_error after each call, SSL_pending/SSL_peek/SSL_read_ex/SSL_write_ex, partial
 * writes, and both shutdown directions; SSL_free releases the BIOs given to SSL_set_bio.
 *
 *   pair CA.pem CHAIN.pem KEY.pem
 */
#include "common.h"

static void step(const char *who, SSL *s, int r)
{
    printf("%s: %d %s\n", who, r, error_name(SSL_get_error(s, r)));
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_load_verify_locations(cctx, argv[1], NULL);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_use_certificate_chain_file(sctx, argv[2]);
    SSL_CTX_use_PrivateKey_file(sctx, argv[3], SSL_FILETYPE_PEM);
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(cctx, "AES128-SHA256");

    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    BIO *cb = NULL, *sb = NULL;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(c, cb, cb);
    SSL_set_bio(s, sb, sb);
    printf("rbio==wbio: %d\n", SSL_get_rbio(c) == SSL_get_wbio(c));
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    SSL_set1_host(c, "localhost");
    printf("in_init: %d before: %d\n", SSL_in_init(c), SSL_in_before(c));

    int cdone = 0, sdone = 0;
    for (int i = 0; i < 10 && !(cdone && sdone); i++) {
        int r;
        if (!cdone) {
            r = SSL_do_handshake(c);
            step("client handshake", c, r);
            cdone = r == 1;
        }
        if (!sdone) {
            r = SSL_do_handshake(s);
            step("server handshake", s, r);
            sdone = r == 1;
        }
    }
    printf("finished: %d %d verify=%ld cipher=%s\n", SSL_is_init_finished(c), SSL_is_init_finished(s),
           SSL_get_verify_result(c), SSL_get_cipher(c));

    char buf[4096];
    size_t n = 0;
    int r = SSL_read(s, buf, sizeof(buf));
    step("server read (nothing sent)", s, r);
    r = SSL_write_ex(c, "ping", 4, &n);
    printf("client write_ex: %d %zu\n", r, n);
    printf("server pending before read: %d\n", SSL_pending(s));
    r = SSL_peek(s, buf, 2);
    printf("server peek: %d '%.2s' pending=%d\n", r, buf, SSL_pending(s));
    r = SSL_read_ex(s, buf, sizeof(buf), &n);
    printf("server read_ex: %d %zu '%.*s'\n", r, n, (int)n, buf);

    /* 40000 bytes through a 17 KiB pair buffer: WANT_WRITE, then retry with the same buffer. */
    static char big[40000];
    memset(big, 'x', sizeof(big));
    size_t total = 0;
    int wants = 0;
    while (total < sizeof(big)) {
        r = SSL_write(c, big, sizeof(big));
        if (r > 0) {
            total += (size_t)r;
            break;
        }
        if (SSL_get_error(c, r) != SSL_ERROR_WANT_WRITE)
            break;
        wants++;
        int m;
        while ((m = SSL_read(s, buf, sizeof(buf))) > 0)
            total += 0, n += (size_t)m;
    }
    size_t received = 0;
    while ((r = SSL_read(s, buf, sizeof(buf))) > 0)
        received += (size_t)r;
    printf("big write: %zu after WANT_WRITE: %s\n", total, wants > 0 ? "yes" : "no");

    SSL_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE);
    r = SSL_write(c, big, sizeof(big));
    printf("partial write: %s\n", r > 0 && r < (int)sizeof(big) ? "partial" : r == (int)sizeof(big) ? "all" : "failed");
    while (SSL_read(s, buf, sizeof(buf)) > 0)
        ;

    r = SSL_shutdown(c);
    printf("client shutdown: %d shutdown=%d\n", r, SSL_get_shutdown(c));
    r = SSL_read(s, buf, sizeof(buf));
    step("server read after close_notify", s, r);
    printf("server shutdown flags: %d\n", SSL_get_shutdown(s));
    r = SSL_shutdown(s);
    printf("server shutdown: %d\n", r);
    r = SSL_shutdown(c);
    printf("client shutdown again: %d shutdown=%d\n", r, SSL_get_shutdown(c));
    r = SSL_read(c, buf, sizeof(buf));
    step("client read after shutdown", c, r);
    r = SSL_write(c, "x", 1);
    step("client write after shutdown", c, r);
    print_errors("write");

    /* Quiet shutdown sends nothing and reports success. */
    SSL *q = SSL_new(cctx);
    SSL_set_quiet_shutdown(q, 1);
    printf("quiet: %d shutdown=%d\n", SSL_shutdown(q), SSL_get_shutdown(q));
    SSL_free(q);
    /* Shutdown before the handshake. */
    SSL *early = SSL_new(cctx);
    SSL_set_connect_state(early);
    r = SSL_shutdown(early);
    printf("early shutdown: %d\n", r);
    print_errors("early");
    SSL_free(early);
    /* No connection type set. */
    SSL *none = SSL_new(SSL_CTX_new(TLS_method()));
    SSL_CTX_free(SSL_get_SSL_CTX(none));
    r = SSL_do_handshake(none);
    step("handshake without a side", none, r);
    print_errors("handshake");
    SSL_free(none);

    /* SSL_set_bio ownership (OpenSSL 1.1 rules): keep our own reference to r1, then make it
     * both BIOs; w1 is freed by the SSL, r1 survives SSL_free until our BIO_free. Valgrind
     * checks that nothing leaks and nothing is freed twice. */
    SSL *t = SSL_new(cctx);
    BIO *r1 = BIO_new(BIO_s_mem()), *w1 = BIO_new(BIO_s_mem());
    SSL_set_bio(t, r1, w1);
    printf("set_bio: rbio=%d wbio=%d\n", SSL_get_rbio(t) == r1, SSL_get_wbio(t) == w1);
    BIO_up_ref(r1);
    SSL_set_bio(t, r1, r1);
    printf("set_bio again: rbio==wbio=%d\n", SSL_get_rbio(t) == SSL_get_wbio(t));
    SSL_free(t);
    printf("our reference still usable: %d\n", BIO_write(r1, "x", 1));
    BIO_free(r1);
    /* SSL_set_fd makes a socket BIO that does not close the descriptor. */
    SSL *u = SSL_new(cctx);
    SSL_set_fd(u, 0);
    printf("set_fd: fd=%d type=%d\n", SSL_get_fd(u), BIO_method_type(SSL_get_rbio(u)));
    SSL_free(u);

    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}
