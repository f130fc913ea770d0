/* A non-blocking client: O_NONBLOCK socket, SSL_connect / SSL_read / SSL_shutdown retried
 * on SSL_ERROR_WANT_READ / WANT_WRITE with poll().
 *
 *   nonblocking_client 127.0.0.1 PORT CA.pem
 */
#include "common.h"
#include <fcntl.h>
#include <poll.h>

static int wait_for(int fd, SSL *ssl, int r, int *wants)
{
    int e = SSL_get_error(ssl, r);
    struct pollfd p = {.fd = fd, .events = 0};
    if (e == SSL_ERROR_WANT_READ)
        p.events = POLLIN;
    else if (e == SSL_ERROR_WANT_WRITE)
        p.events = POLLOUT;
    else
        return e;
    (*wants)++;
    poll(&p, 1, 10000);
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    int fd = tcp_connect(argv[1], atoi(argv[2]));
    if (fd < 0)
        return 1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, argv[3], NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    int wants = 0, r, e;
    while ((r = SSL_connect(ssl)) != 1)
        if ((e = wait_for(fd, ssl, r, &wants)) >= 0) {
            printf("connect failed: %s\n", error_name(e));
            print_errors("connect");
            return 3;
        }
    /* How often it had to wait depends on timing: not printed. */
    printf("connected: %s\n", SSL_get_version(ssl));
    /* Nothing to read yet: a non-blocking read says WANT_READ. */
    char buf[256];
    r = SSL_read(ssl, buf, sizeof(buf));
    printf("early read: %d %s\n", r, error_name(SSL_get_error(ssl, r)));
    while ((r = SSL_write(ssl, "hello nonblocking\n", 18)) <= 0)
        if ((e = wait_for(fd, ssl, r, &wants)) >= 0) {
            printf("write failed: %s\n", error_name(e));
            return 3;
        }
    printf("write: %d\n", r);
    size_t got = 0;
    while (got < 18) {
        r = SSL_read(ssl, buf + got, (int)(sizeof(buf) - 1 - got));
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        if ((e = wait_for(fd, ssl, r, &wants)) >= 0) {
            printf("read failed: %s\n", error_name(e));
            return 3;
        }
    }
    buf[got] = 0;
    printf("read: %s", buf);
    r = SSL_shutdown(ssl);
    printf("shutdown 1: %d\n", r);
    while ((r = SSL_shutdown(ssl)) != 1)
        if ((e = wait_for(fd, ssl, r, &wants)) >= 0) {
            printf("shutdown failed: %s\n", error_name(e));
            print_errors("shutdown");
            break;
        }
    printf("shutdown 2: %d shutdown=%d\n", r, SSL_get_shutdown(ssl));
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    return 0;
}
