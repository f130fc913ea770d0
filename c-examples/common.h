/* Helpers shared by the examples: option parsing for versions and files, TCP connect/listen,
 * and failure reporting. Each example stays readable on its own; this is only plumbing. */
#ifndef FERROTLS_EXAMPLES_COMMON_H
#define FERROTLS_EXAMPLES_COMMON_H

#include <ferrotls.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Prints "PROG: error: WHAT: <detail>" and exits 1. */
__attribute__((noreturn)) static inline void die(const char *prog, const char *what, const char *detail) {
    fprintf(stderr, "%s: error: %s%s%s\n", prog, what, detail && *detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* "1.0" / "1.1" / "1.2" / "1.3" -> FERROTLS_TLS1_x, as the ferrotls command spells them. */
static inline uint16_t parse_version(const char *prog, const char *s) {
    if (!strcmp(s, "1.0") || !strcmp(s, "1")) return FERROTLS_TLS1_0;
    if (!strcmp(s, "1.1")) return FERROTLS_TLS1_1;
    if (!strcmp(s, "1.2")) return FERROTLS_TLS1_2;
    if (!strcmp(s, "1.3")) return FERROTLS_TLS1_3;
    die(prog, "unsupported version (use 1.0, 1.1, 1.2 or 1.3)", s);
    return 0;
}

/* Connects a TCP socket to host:port (blocking); returns the fd or dies. */
static inline int tcp_connect(const char *prog, const char *host, const char *port) {
    struct addrinfo hints = {0}, *res, *ai;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) die(prog, "cannot resolve host", gai_strerror(rc));
    int fd = -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) die(prog, "cannot connect", host);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Splits "HOST:PORT" (or "[v6]:PORT") into its parts, in place. */
static inline void split_host_port(const char *prog, char *target, char **host, char **port) {
    char *colon = strrchr(target, ':');
    if (!colon) die(prog, "expected HOST:PORT", target);
    *colon = '\0';
    *port = colon + 1;
    *host = target;
    if ((*host)[0] == '[') {
        (*host)++;
        char *end = strchr(*host, ']');
        if (end) *end = '\0';
    }
}

/* Writes s as a JSON string (quotes, backslashes and control characters escaped). */
static inline void json_string(FILE *out, const char *s, size_t len) {
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') fputs("\\\"", out);
        else if (c == '\\') fputs("\\\\", out);
        else if (c == '\n') fputs("\\n", out);
        else if (c == '\r') fputs("\\r", out);
        else if (c == '\t') fputs("\\t", out);
        else if (c < 0x20) fprintf(out, "\\u%04x", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

/* Splits "h2,http/1.1" into ALPN protocol names (RFC 7301) for
 * ferrotls_*_config_builder_set_alpn_protocols. The names point into `list`, which must outlive
 * the call (the builder copies them). Returns how many were found, at most `max`. */
static inline size_t parse_alpn(const char *list, ferrotls_slice_bytes *out, size_t max) {
    size_t n = 0;
    for (const char *p = list; p && n < max;) {
        const char *comma = strchr(p, ',');
        out[n].data = (const uint8_t *)p;
        out[n].len = comma ? (size_t)(comma - p) : strlen(p);
        n++;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

/* Writes the ALPN protocol the connection agreed as a JSON string, or null. */
static inline void json_alpn(FILE *out, const ferrotls_conn *conn) {
    const uint8_t *alpn = NULL;
    size_t alpn_len = 0;
    if (conn && ferrotls_conn_alpn_protocol(conn, &alpn, &alpn_len) == FERROTLS_OK && alpn) {
        json_string(out, (const char *)alpn, alpn_len);
    } else {
        fputs("null", out);
    }
}

#endif
