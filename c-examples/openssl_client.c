/* openssl_client.c: a TLS client written against the OpenSSL API. It builds unchanged against
 * OpenSSL or against an installed ferrotls:
 *
 *     cc openssl_client.c -I$PREFIX/include -L$PREFIX/lib -lssl -lcrypto -o openssl_client
 *     ./openssl_client 127.0.0.1 4433 ca.pem localhost
 *
 * It connects, verifies the server's certificate chain and host name, sends one line and
 * prints what comes back until the server closes the connection. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s IP PORT CAFILE HOSTNAME\n", argv[0]);
        return 2;
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (SSL_CTX_load_verify_locations(ctx, argv[3], NULL) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2]))};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        perror("connect");
        return 1;
    }
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, argv[4]);
    SSL_set1_host(ssl, argv[4]);
    if (SSL_connect(ssl) != 1) {
        fprintf(stderr, "handshake failed: %s\n", X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
        ERR_print_errors_fp(stderr);
        return 1;
    }
    printf("%s with %s\n", SSL_get_version(ssl), SSL_get_cipher(ssl));
    X509 *cert = SSL_get1_peer_certificate(ssl);
    char name[256];
    X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof(name));
    printf("server: %s\n", name);
    X509_free(cert);

    const char *msg = "hello\n";
    SSL_write(ssl, msg, (int)strlen(msg));
    char buf[1024];
    int n;
    while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    if (SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN)
        SSL_shutdown(ssl);
    else
        ERR_print_errors_fp(stderr);
    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(ctx);
    return 0;
}
