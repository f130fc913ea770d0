/* A TLS server written for OpenSSL: one connection, a servername callback that may switch the
 * SSL_CTX, an info callback, echo of one line, bidirectional shutdown.
 *
 * With --verify (or --verify-optional) CA.pem: SSL_VERIFY_PEER [| FAIL_IF_NO_PEER_CERT] with a
 * verify callback that prints what it sees, then the client's certificate and chain.
 *
 *   server CHAIN.pem KEY.pem [--alt CHAIN2.pem [--alt-key KEY2.pem]] [--cipher STR] [--method tls|tls1_2]
 *          [--verify CA.pem | --verify-optional CA.pem] [--depth N] [--passwd PW]
 *          [--max 0x0304] [--ciphersuites TLS13-LIST]
 *
 * Without --max the server stops at TLS 1.2 (SSL_CTX_set_max_proto_version), which is what most
 * cases here compare; --max 0x0304 lets it speak TLS 1.3, --ciphersuites sets its 1.3 suites.
 */
#include "common.h"

static SSL_CTX *alt_ctx;
static const char *passwd;

static int passwd_cb(char *buf, int size, int rwflag, void *u)
{
    printf("passwd_cb: size=%d rwflag=%d userdata=%s\n", size, rwflag, (const char *)u);
    int n = (int)strlen(passwd);
    if (n > size)
        n = size;
    memcpy(buf, passwd, (size_t)n);
    return n;
}
static int info_starts, info_dones;

/* ALPN: the server's list (wire format) and what the select callback does with no overlap. */
static unsigned char alpn_server[256];
static unsigned int alpn_server_len;
static const char *alpn_mode = "fatal";

static int alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                   unsigned int inlen, void *arg)
{
    const char *sn = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    printf("alpn_cb: offered=");
    print_alpn_list(in, inlen);
    printf(" arg=%s servername=%s\n", (const char *)arg, sn ? sn : "(none)");
    unsigned char *sel = NULL;
    unsigned char sel_len = 0;
    int r = SSL_select_next_proto(&sel, &sel_len, alpn_server, alpn_server_len, in, inlen);
    printf("select_next_proto: %d %.*s in_list=%s\n", r, (int)sel_len, sel ? (const char *)sel : "",
           sel >= alpn_server && sel < alpn_server + alpn_server_len ? "server" : sel ? "client" : "none");
    if (!strcmp(alpn_mode, "noack"))
        return SSL_TLSEXT_ERR_NOACK;
    if (r != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    *out = sel;
    *outlen = sel_len;
    return SSL_TLSEXT_ERR_OK;
}

static int servername_cb(SSL *ssl, int *ad, void *arg)
{
    (void)ad;
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    printf("servername_cb: %s arg=%s\n", name ? name : "(none)", (const char *)arg);
    if (alt_ctx && name && strcmp(name, "alt.example") == 0)
        SSL_set_SSL_CTX(ssl, alt_ctx);
    return SSL_TLSEXT_ERR_OK;
}

static void info_cb(const SSL *ssl, int where, int ret)
{
    (void)ssl;
    (void)ret;
    if (where & SSL_CB_HANDSHAKE_START)
        info_starts++;
    if (where & SSL_CB_HANDSHAKE_DONE)
        info_dones++;
}

static int verify_cb(int ok, X509_STORE_CTX *x)
{
    char buf[256] = "";
    X509 *cur = X509_STORE_CTX_get_current_cert(x);
    if (cur)
        X509_NAME_oneline(X509_get_subject_name(cur), buf, sizeof(buf));
    printf("verify_cb: ok=%d depth=%d err=%d %s\n", ok, X509_STORE_CTX_get_error_depth(x), X509_STORE_CTX_get_error(x), buf);
    return ok;
}

static long max_version = TLS1_2_VERSION;
static const char *ciphersuites;

static SSL_CTX *make_ctx(const char *chain, const char *key, const char *method, const char *cipher)
{
    SSL_CTX *ctx = SSL_CTX_new(!strcmp(method, "tls1_2") ? TLSv1_2_server_method() : TLS_server_method());
    if (passwd) {
        SSL_CTX_set_default_passwd_cb(ctx, passwd_cb);
        SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)"ud");
    }
    if (SSL_CTX_use_certificate_chain_file(ctx, chain) != 1 || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1
        || SSL_CTX_check_private_key(ctx) != 1) {
        print_errors("load");
        exit(1);
    }
    if (cipher && SSL_CTX_set_cipher_list(ctx, cipher) != 1) {
        print_errors("cipher");
        exit(1);
    }
    if (ciphersuites && SSL_CTX_set_ciphersuites(ctx, ciphersuites) != 1) {
        print_errors("ciphersuites");
        exit(1);
    }
    SSL_CTX_set_max_proto_version(ctx, max_version);
    return ctx;
}

int main(int argc, char **argv)
{
    const char *alt = NULL, *alt_key = NULL, *cipher = NULL, *method = "tls", *verify = NULL;
    int mandatory = 1, depth = -1;
    if (argc < 3)
        return 2;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--alt")) alt = argv[i + 1];
        else if (!strcmp(argv[i], "--alt-key")) alt_key = argv[i + 1];
        else if (!strcmp(argv[i], "--cipher")) cipher = argv[i + 1];
        else if (!strcmp(argv[i], "--method")) method = argv[i + 1];
        else if (!strcmp(argv[i], "--verify")) verify = argv[i + 1];
        else if (!strcmp(argv[i], "--verify-optional")) verify = argv[i + 1], mandatory = 0;
        else if (!strcmp(argv[i], "--depth")) depth = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--passwd")) passwd = argv[i + 1];
        else if (!strcmp(argv[i], "--alpn")) alpn_server_len = alpn_wire(argv[i + 1], alpn_server, sizeof alpn_server);
        else if (!strcmp(argv[i], "--alpn-mode")) alpn_mode = argv[i + 1];
        else if (!strcmp(argv[i], "--max")) max_version = strtol(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--ciphersuites")) ciphersuites = argv[i + 1];
    }
    SSL_CTX *ctx = make_ctx(argv[1], argv[2], method, cipher);
    if (alt)
        alt_ctx = make_ctx(alt, alt_key ? alt_key : argv[2], method, cipher);
    if (verify) {
        if (SSL_CTX_load_verify_locations(ctx, verify, NULL) != 1) {
            print_errors("verify locations");
            return 1;
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | (mandatory ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), verify_cb);
        if (depth >= 0)
            SSL_CTX_set_verify_depth(ctx, depth);
    }
    SSL_CTX_set_tlsext_servername_callback(ctx, servername_cb);
    SSL_CTX_set_tlsext_servername_arg(ctx, (void *)"sni-arg");
    SSL_CTX_set_info_callback(ctx, info_cb);
    if (alpn_server_len)
        SSL_CTX_set_alpn_select_cb(ctx, alpn_cb, (void *)"alpn-arg");
    SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"compat", 6);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);

    int lfd = tcp_listen();
    int fd = accept(lfd, NULL, NULL);
    close(lfd);
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    int r = SSL_accept(ssl);
    printf("accept: %d %s is_server=%d\n", r, error_name(SSL_get_error(ssl, r)), SSL_is_server(ssl));
    if (r != 1) {
        print_errors("accept");
        return 3;
    }
    printf("version: %s cipher: %s\n", SSL_get_version(ssl), SSL_get_cipher_name(ssl));
    print_alpn_selected(ssl);
    const char *sn = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    printf("servername: %s type=%d\n", sn ? sn : "(none)", SSL_get_servername_type(ssl));
    print_name("our certificate", X509_get_subject_name(SSL_get_certificate(ssl)));
    X509 *peer = SSL_get_peer_certificate(ssl);
    printf("client certificate: %s\n", peer ? "yes" : "none");
    if (peer) {
        print_name("client subject", X509_get_subject_name(peer));
        STACK_OF(X509) *pc = SSL_get_peer_cert_chain(ssl);
        printf("peer chain (without the leaf on a server): %d\n", pc ? sk_X509_num(pc) : -1);
        for (int i = 0; pc && i < sk_X509_num(pc); i++)
            print_name("  chain", X509_get_subject_name(sk_X509_value(pc, i)));
    }
    printf("verify result: %ld\n", SSL_get_verify_result(ssl));
    X509_free(peer);
    printf("ctx switched: %d\n", SSL_get_SSL_CTX(ssl) == alt_ctx);
    printf("info: start=%d done=%d\n", info_starts, info_dones);

    char line[512];
    size_t n = 0;
    while (n < sizeof(line) - 1) {
        r = SSL_read(ssl, line + n, 1);
        if (r <= 0)
            break;
        if (line[n++] == '\n')
            break;
    }
    line[n] = 0;
    printf("got: %s", line);
    char reply[600];
    snprintf(reply, sizeof(reply), "echo: %s", line);
    r = SSL_write(ssl, reply, (int)strlen(reply));
    printf("write: %d\n", r);
    r = SSL_shutdown(ssl);
    printf("shutdown 1: %d\n", r);
    if (r == 0) {
        r = SSL_shutdown(ssl);
        printf("shutdown 2: %d %s shutdown=%d\n", r, r < 0 ? error_name(SSL_get_error(ssl, r)) : "", SSL_get_shutdown(ssl));
    }
    ERR_clear_error();
    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(ctx);
    if (alt_ctx)
        SSL_CTX_free(alt_ctx);
    return 0;
}
