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

/* "h2,http/1.1" -> "\x02h2\x08http/1.1" (ALPN wire format) in `out`; returns its length. */
static unsigned int alpn_wire(const char *list, unsigned char *out, size_t size)
{
    unsigned int n = 0;
    for (const char *p = list; *p && n < size;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (n + 1 + len > size)
            break;
        out[n++] = (unsigned char)len;
        memcpy(out + n, p, len);
        n += (unsigned int)len;
        p = comma ? comma + 1 : p + len;
    }
    return n;
}

/* Prints a wire-format list as "h2,http/1.1" (a malformed tail as "!"). */
static void print_alpn_list(const unsigned char *in, unsigned int len)
{
    for (unsigned int i = 0; i < len;) {
        unsigned int l = in[i];
        if (i + 1 + l > len) {
            printf("!");
            break;
        }
        printf("%s%.*s", i ? "," : "", (int)l, (const char *)in + i + 1);
        i += 1 + l;
    }
}

/* "alpn: h2" or "alpn: (none)", from SSL_get0_alpn_selected. */
static void print_alpn_selected(SSL *ssl)
{
    const unsigned char *p = NULL;
    unsigned int len = 12345;
    SSL_get0_alpn_selected(ssl, &p, &len);
    if (p)
        printf("alpn: %.*s\n", (int)len, (const char *)p);
    else
        printf("alpn: (none) len=%u\n", len);
}

#endif
