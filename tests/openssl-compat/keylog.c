/* Key log callback and RFC 5705 exporter, client and server in one process over a BIO pair:
 * SSL_CTX_set/get_keylog_callback, the CLIENT_RANDOM line each side logs (the same line, in
 * NSS format), SSL_export_keying_material before and after the handshake, with and without a
 * context, and OpenSSL's refusal of the labels the TLS PRF itself uses. Only CLIENT_RANDOM
 * lines are compared: OpenSSL's client also logs an "RSA" premaster line for RSA key exchange,
 * which ferrotls does not write (Wireshark needs only CLIENT_RANDOM).
 *
 *   keylog CA.pem CHAIN.pem KEY.pem
 */
#include <ctype.h>
#include "common.h"

static char lines[2][4][512];
static int counts[2];
static SSL *client_ssl;

static void keylog(const SSL *ssl, const char *line)
{
    int side = ssl == client_ssl ? 0 : 1;
    if (strncmp(line, "CLIENT_RANDOM ", 14) != 0)
        return;
    if (counts[side] < 4)
        snprintf(lines[side][counts[side]], sizeof lines[0][0], "%s", line);
    counts[side]++;
}

/* "LABEL <n1 hex chars> <n2 hex chars>" with lower-case hex. */
static void shape(const char *line)
{
    char label[64];
    const char *a = strchr(line, ' ');
    const char *b = a ? strchr(a + 1, ' ') : NULL;
    if (!a || !b) {
        printf("line shape: bad\n");
        return;
    }
    snprintf(label, sizeof label, "%.*s", (int)(a - line), line);
    int lower = 1;
    for (const char *p = a + 1; *p; p++)
        if (*p != ' ' && !(isdigit((unsigned char)*p) || (*p >= 'a' && *p <= 'f')))
            lower = 0;
    printf("line shape: %s %d %d lower-hex=%d\n", label, (int)(b - a - 1), (int)strlen(b + 1), lower);
}

static int handshake(SSL *c, SSL *s)
{
    int cdone = 0, sdone = 0;
    for (int i = 0; i < 10 && !(cdone && sdone); i++) {
        if (!cdone)
            cdone = SSL_do_handshake(c) == 1;
        if (!sdone)
            sdone = SSL_do_handshake(s) == 1;
    }
    return cdone && sdone;
}

static void pair(SSL_CTX *cctx, SSL_CTX *sctx, SSL **c, SSL **s)
{
    *c = SSL_new(cctx);
    *s = SSL_new(sctx);
    BIO *cb = NULL, *sb = NULL;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(*c, cb, cb);
    SSL_set_bio(*s, sb, sb);
    SSL_set_connect_state(*c);
    SSL_set_accept_state(*s);
    client_ssl = *c;
}

static void export(const char *what, SSL *ssl, const char *label, const unsigned char *ctx, size_t ctxlen,
                   int use_context, unsigned char *out)
{
    memset(out, 0, 32);
    int r = SSL_export_keying_material(ssl, out, 32, label, strlen(label), ctx, ctxlen, use_context);
    printf("%s: %d\n", what, r);
    print_errors(what);
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

    printf("callback before: %s\n", SSL_CTX_get_keylog_callback(cctx) == NULL ? "NULL" : "set");
    SSL_CTX_set_keylog_callback(cctx, keylog);
    SSL_CTX_set_keylog_callback(sctx, keylog);
    printf("callback after: %s\n", SSL_CTX_get_keylog_callback(cctx) == keylog ? "keylog" : "other");

    SSL *c, *s;
    pair(cctx, sctx, &c, &s);
    unsigned char a[32], b[32], none[32], empty[32];
    export("export before the handshake", c, "EXPERIMENTAL-x", NULL, 0, 0, a);
    printf("handshake: %d\n", handshake(c, s));
    printf("lines: client %d server %d\n", counts[0], counts[1]);
    if (counts[0] == 1 && counts[1] == 1) {
        shape(lines[0][0]);
        printf("same line on both sides: %d\n", strcmp(lines[0][0], lines[1][0]) == 0);
    }

    export("client export with context", c, "EXPERIMENTAL-x", (const unsigned char *)"ctx", 3, 1, a);
    export("server export with context", s, "EXPERIMENTAL-x", (const unsigned char *)"ctx", 3, 1, b);
    printf("client and server agree: %d\n", memcmp(a, b, 32) == 0);
    export("export without context", c, "EXPERIMENTAL-x", NULL, 0, 0, none);
    export("export with empty context", c, "EXPERIMENTAL-x", NULL, 0, 1, empty);
    printf("no context differs from empty: %d\n", memcmp(none, empty, 32) != 0);
    printf("context changes the output: %d\n", memcmp(none, a, 32) != 0);
    export("export with an empty label", c, "", NULL, 0, 0, none);
    const char *reserved[] = {"client finished", "server finished", "master secret", "extended master secret",
                              "key expansion", "key expansion plus"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        char what[96];
        snprintf(what, sizeof what, "export with label '%s'", reserved[i]);
        export(what, c, reserved[i], NULL, 0, 0, none);
    }
    SSL_free(c);
    SSL_free(s);

    /* Turned off: the next handshake logs nothing. */
    SSL_CTX_set_keylog_callback(cctx, NULL);
    SSL_CTX_set_keylog_callback(sctx, NULL);
    counts[0] = counts[1] = 0;
    pair(cctx, sctx, &c, &s);
    printf("handshake: %d\n", handshake(c, s));
    printf("lines after removing the callback: %d %d\n", counts[0], counts[1]);
    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}
