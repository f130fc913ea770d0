/* A client built on BIOs: BIO_new_ssl_connect, BIO_set_conn_hostname, BIO_do_connect,
 * BIO_do_handshake, BIO_puts, BIO_read until the peer closes, BIO_free_all.
 *
 *   bio_client HOST:PORT CA.pem
 */
#include "common.h"

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, argv[2], NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    BIO *b = BIO_new_ssl_connect(ctx);
    SSL *ssl = NULL;
    BIO_get_ssl(b, &ssl);
    printf("get_ssl: %d\n", ssl != NULL);
    SSL_set_mode(ssl, SSL_MODE_AUTO_RETRY);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
    BIO_set_conn_hostname(b, argv[1]);
    long r = BIO_do_connect(b);
    printf("do_connect: %ld\n", r);
    if (r <= 0) {
        print_errors("connect");
        return 3;
    }
    r = BIO_do_handshake(b);
    printf("do_handshake: %ld version=%s verify=%ld\n", r, SSL_get_version(ssl), SSL_get_verify_result(ssl));
    printf("method type: %d next is connect: %d\n", BIO_method_type(b),
           BIO_method_type(BIO_next(b)) == BIO_TYPE_CONNECT);
    printf("puts: %d\n", BIO_puts(b, "hello from bio\n"));
    printf("flush: %d\n", BIO_flush(b));
    char buf[256];
    int n;
    while ((n = BIO_read(b, buf, sizeof(buf) - 1)) > 0) {
        buf[n] = 0;
        printf("read: %s", buf);
    }
    printf("read end: %d retry=%d\n", n, BIO_should_retry(b) != 0);
    print_errors("read");
    BIO_free_all(b);
    SSL_CTX_free(ctx);
    return 0;
}
