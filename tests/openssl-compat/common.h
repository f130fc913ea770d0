/* Shared helpers for the OpenSSL-compatibility tests. Every program here is compiled twice:
 * against the system OpenSSL and against ferrotls' include/openssl + libferrotls (as -lssl
 * -lcrypto), and their stdout is compared (tests/openssl-compat/run.sh). Only the public
 * OpenSSL API is used. */
#ifndef COMPAT_COMMON_H
#define COMPAT_COMMON_H
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

static const char *error_name(int e)
{
    switch (e) {
    case SSL_ERROR_NONE: return "NONE";
    case SSL_ERROR_SSL: return "SSL";
    case SSL_ERROR_WANT_READ: return "WANT_READ";
    case SSL_ERROR_WANT_WRITE: return "WANT_WRITE";
    case SSL_ERROR_SYSCALL: return "SYSCALL";
    case SSL_ERROR_ZERO_RETURN: return "ZERO_RETURN";
    default: return "OTHER";
    }
}

/* Prints and empties the error queue, one ERR_error_string per line. */
static void print_errors(const char *what)
{
    unsigned long e;
    while ((e = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof(buf));
        printf("%s: %s\n", what, buf);
    }
}

static int tcp_connect(const char *host, int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Listens on 127.0.0.1:0 and reports the port on stderr as "listening on 127.0.0.1:PORT". */
static int tcp_listen(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 4) != 0
        || getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return -1;
    }
    fprintf(stderr, "listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    fflush(stderr);
    return fd;
}

static void print_name(const char *label, X509_NAME *n)
{
    char buf[256];
    X509_NAME_oneline(n, buf, sizeof(buf));
    printf("%s: %s\n", label, buf);
}

#endif
