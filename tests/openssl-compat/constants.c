/* Constants, cipher strings, protocol-version controls, error strings and queue printing,
 * X509/PEM/EVP_PKEY inspection and BIO basics: everything that needs no peer.
 *
 *   constants CA.pem CHAIN.pem KEY.pem OTHER_KEY.pem
 */
#include "common.h"
#include <openssl/pem.h>
#include <openssl/x509v3.h>

static const char *ours[] = {"AES256-SHA256", "AES128-SHA256", "AES256-SHA", "AES128-SHA", NULL};

/* The cipher list restricted to the suites both libraries implement. */
static void show_ciphers(const char *label, const char *str)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    /* Debian builds OpenSSL with default level 2, upstream (and ferrotls) use 1: start equal. */
    SSL_CTX_set_security_level(ctx, 1);
    int r = SSL_CTX_set_cipher_list(ctx, str);
    printf("cipher_list %s \"%s\": %d seclevel=%d", label, str, r, SSL_CTX_get_security_level(ctx));
    if (!r) {
        unsigned long e = ERR_get_error();
        printf(" err=%s", ERR_reason_error_string(e));
        ERR_clear_error();
    }
    SSL *ssl = SSL_new(ctx);
    printf(" [");
    for (int i = 0; ; i++) {
        const char *n = SSL_get_cipher_list(ssl, i);
        if (!n)
            break;
        for (int j = 0; ours[j]; j++)
            if (!strcmp(n, ours[j]))
                printf(" %s", n);
    }
    printf(" ] stack [");
    STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(ctx);
    for (int i = 0; sk && i < sk_SSL_CIPHER_num(sk); i++) {
        const char *n = SSL_CIPHER_get_name(sk_SSL_CIPHER_value(sk, i));
        for (int j = 0; ours[j]; j++)
            if (!strcmp(n, ours[j]))
                printf(" %s", n);
    }
    printf(" ] ssl stack: %d\n", SSL_get_ciphers(ssl) != NULL);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
}

static int cb_count;
static int count_cb(const char *str, size_t len, void *u)
{
    (void)str;
    (void)len;
    (void)u;
    cb_count++;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    const char *ca = argv[1], *chain = argv[2], *key = argv[3], *other_key = argv[4];
    SSL_library_init();
    SSL_load_error_strings();
    OpenSSL_add_ssl_algorithms();

    printf("OPENSSL_VERSION_NUMBER >= 3.0: %d, major %d\n", OPENSSL_VERSION_NUMBER >= 0x30000000L, OPENSSL_VERSION_MAJOR);
    printf("SSL_OP_ALL=%#llx NO_TLSv1=%#llx NO_TLSv1_1=%#llx NO_TLSv1_2=%#llx NO_TLSv1_3=%#llx NO_SSLv3=%#llx\n",
           (unsigned long long)SSL_OP_ALL, (unsigned long long)SSL_OP_NO_TLSv1, (unsigned long long)SSL_OP_NO_TLSv1_1,
           (unsigned long long)SSL_OP_NO_TLSv1_2, (unsigned long long)SSL_OP_NO_TLSv1_3,
           (unsigned long long)SSL_OP_NO_SSLv3);
    printf("IGNORE_UNEXPECTED_EOF=%#llx NO_COMPRESSION=%#llx CIPHER_SERVER_PREFERENCE=%#llx\n",
           (unsigned long long)SSL_OP_IGNORE_UNEXPECTED_EOF, (unsigned long long)SSL_OP_NO_COMPRESSION,
           (unsigned long long)SSL_OP_CIPHER_SERVER_PREFERENCE);
    printf("MODE partial=%u moving=%u auto_retry=%u\n", SSL_MODE_ENABLE_PARTIAL_WRITE,
           SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, SSL_MODE_AUTO_RETRY);
    printf("CTRL mode=%d hostname=%d extra_chain=%d min=%d max=%d getmin=%d getmax=%d sni_cb=%d sni_arg=%d\n",
           SSL_CTRL_MODE, SSL_CTRL_SET_TLSEXT_HOSTNAME, SSL_CTRL_EXTRA_CHAIN_CERT, SSL_CTRL_SET_MIN_PROTO_VERSION,
           SSL_CTRL_SET_MAX_PROTO_VERSION, SSL_CTRL_GET_MIN_PROTO_VERSION, SSL_CTRL_GET_MAX_PROTO_VERSION,
           SSL_CTRL_SET_TLSEXT_SERVERNAME_CB, SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG);
    printf("ERROR none=%d ssl=%d wr=%d ww=%d syscall=%d zero=%d\n", SSL_ERROR_NONE, SSL_ERROR_SSL,
           SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE, SSL_ERROR_SYSCALL, SSL_ERROR_ZERO_RETURN);
    printf("VERSIONS %#x %#x %#x %#x\n", TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION, TLS1_3_VERSION);
    printf("X509_V ok=%d self=%d chain_self=%d local=%d expired=%d host=%d\n", X509_V_OK,
           X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
           X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_HOSTNAME_MISMATCH);
    for (int i = 0; i <= 70; i += 1)
        if (i == 0 || i == 2 || i == 7 || i == 9 || i == 10 || i == 18 || i == 19 || i == 20 || i == 21 || i == 26
            || i == 50 || i == 62 || i == 64 || i == 68)
            printf("verify string %d: %s\n", i, X509_verify_cert_error_string(i));
    printf("alerts: %s/%s %s/%s %s %s\n", SSL_alert_type_string_long(0x100), SSL_alert_desc_string_long(0x100),
           SSL_alert_type_string_long(0x228), SSL_alert_desc_string_long(0x228), SSL_alert_desc_string(0x230),
           SSL_alert_type_string(0x200));

    /* Context defaults and version controls. */
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    printf("default options=%#llx mode=%#lx min=%ld max=%ld verify_mode=%d depth=%d timeout=%ld cache_mode=%ld\n",
           (unsigned long long)SSL_CTX_get_options(ctx), SSL_CTX_get_mode(ctx), SSL_CTX_get_min_proto_version(ctx),
           SSL_CTX_get_max_proto_version(ctx), SSL_CTX_get_verify_mode(ctx), SSL_CTX_get_verify_depth(ctx),
           SSL_CTX_get_timeout(ctx), SSL_CTX_get_session_cache_mode(ctx));
    printf("set_options: %#llx\n", (unsigned long long)SSL_CTX_set_options(ctx, SSL_OP_ALL | SSL_OP_NO_TLSv1));
    printf("clear_options: %#llx\n", (unsigned long long)SSL_CTX_clear_options(ctx, SSL_OP_NO_TLSv1));
    printf("set_mode: %#lx clear_mode: %#lx\n", SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE),
           SSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY));
    printf("set_min 1.1: %ld set_max 1.2: %ld get: %#lx %#lx\n", SSL_CTX_set_min_proto_version(ctx, TLS1_1_VERSION),
           SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION), SSL_CTX_get_min_proto_version(ctx),
           SSL_CTX_get_max_proto_version(ctx));
    printf("set_min bogus: %ld\n", SSL_CTX_set_min_proto_version(ctx, 0x1234));
    printf("direct ctrl 124: %ld then 131: %#lx\n", SSL_CTX_ctrl(ctx, 124, TLS1_1_VERSION, NULL),
           SSL_CTX_ctrl(ctx, 131, 0, NULL));
    printf("cache size: %ld -> %ld\n", SSL_CTX_sess_set_cache_size(ctx, 128), SSL_CTX_sess_get_cache_size(ctx));
    SSL_CTX_set_security_level(ctx, 0);
    printf("security level: %d\n", SSL_CTX_get_security_level(ctx));
    printf("ex_data: %d %s\n", SSL_CTX_set_app_data(ctx, (char *)"ctx-data"), (char *)SSL_CTX_get_app_data(ctx));
    printf("up_ref: %d\n", SSL_CTX_up_ref(ctx));
    SSL_CTX_free(ctx);
    SSL_CTX_free(ctx);

    SSL_CTX *t1 = SSL_CTX_new(TLSv1_method());
    printf("TLSv1_method min=%#lx max=%#lx\n", SSL_CTX_get_min_proto_version(t1), SSL_CTX_get_max_proto_version(t1));
    SSL_CTX_free(t1);
    SSL_CTX *t12 = SSL_CTX_new(TLSv1_2_server_method());
    printf("TLSv1_2_server_method min=%#lx max=%#lx\n", SSL_CTX_get_min_proto_version(t12),
           SSL_CTX_get_max_proto_version(t12));
    SSL_CTX_free(t12);

    /* Cipher strings. */
    show_ciphers("default", "DEFAULT");
    show_ciphers("all", "ALL:@SECLEVEL=0");
    show_ciphers("strength", "ALL:@STRENGTH");
    show_ciphers("high", "HIGH:!aNULL:!MD5");
    show_ciphers("plus", "AES:+SHA256");
    show_ciphers("minus", "AES128-SHA:AES256-SHA:-AES128-SHA:AES128-SHA256");
    show_ciphers("kill", "!AES128-SHA:ALL:AES128-SHA");
    show_ciphers("and", "AES+SHA1");
    show_ciphers("iana", "AES128-SHA256:kRSA");
    show_ciphers("seclevel", "AES128-SHA:@SECLEVEL=0");
    show_ciphers("unknown", "nonsense");

    /* The error queue: strings, peek/get order, printing. */
    ctx = SSL_CTX_new(TLS_method());
    SSL_CTX_set_cipher_list(ctx, "nonsense");
    unsigned long e = ERR_peek_error();
    char buf[256];
    printf("peek: %s lib=%d reason=%d\n", ERR_error_string(e, buf), ERR_GET_LIB(e), ERR_GET_REASON(e));
    printf("lib string: %s reason string: %s\n", ERR_lib_error_string(e), ERR_reason_error_string(e));
    printf("static buffer: %s\n", ERR_error_string(e, NULL));
    ERR_error_string_n(e, buf, 20);
    printf("truncated: %s\n", buf);
    SSL_CTX_set_cipher_list(ctx, "nothing");
    printf("last == first: %d\n", ERR_peek_last_error() == ERR_peek_error());
    printf("get: %lx\n", ERR_get_error());
    printf("print_errors_fp:\n");
    fflush(stdout);
    ERR_print_errors_fp(stdout);
    fflush(stdout);
    printf("after print: %lx\n", ERR_get_error());
    SSL_CTX_set_cipher_list(ctx, "nonsense");
    SSL_CTX_set_cipher_list(ctx, "nonsense");
    ERR_print_errors_cb(count_cb, NULL);
    printf("cb lines: %d\n", cb_count);
    SSL_CTX_set_cipher_list(ctx, "nonsense");
    BIO *mem = BIO_new(BIO_s_mem());
    ERR_print_errors(mem);
    char *data = NULL;
    long n = BIO_get_mem_data(mem, &data);
    printf("print_errors to BIO: %d bytes, has reason: %d\n", n > 0, n > 0 && strstr(data, "no cipher match") != NULL);
    BIO_free(mem);
    ERR_clear_error();
    printf("clear: %lx\n", ERR_peek_error());
    printf("SSL_CTX_use_certificate_file missing: %d\n", SSL_CTX_use_certificate_file(ctx, "/nonexistent.pem", SSL_FILETYPE_PEM));
    printf("  last error: %s\n", ERR_error_string(ERR_peek_last_error(), buf));
    ERR_clear_error();

    /* Certificates and keys. */
    printf("chain file: %d key file: %d check: %d\n", SSL_CTX_use_certificate_chain_file(ctx, chain),
           SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM), SSL_CTX_check_private_key(ctx));
    STACK_OF(X509) *extra = NULL;
    SSL_CTX_get0_chain_certs(ctx, &extra);
    X509 *leaf = SSL_CTX_get0_certificate(ctx);
    print_name("leaf subject", X509_get_subject_name(leaf));
    SSL_CTX *ctx2 = SSL_CTX_new(TLS_method());
    SSL_CTX_use_certificate_chain_file(ctx2, chain);
    printf("mismatched key: %d\n", SSL_CTX_use_PrivateKey_file(ctx2, other_key, SSL_FILETYPE_PEM));
    printf("  error: %s\n", ERR_error_string(ERR_peek_last_error(), buf));
    ERR_clear_error();
    printf("check without key: %d\n", SSL_CTX_check_private_key(ctx2));
    printf("  error: %s\n", ERR_error_string(ERR_peek_last_error(), buf));
    ERR_clear_error();
    SSL_CTX_free(ctx2);
    printf("load_verify_locations: %d missing: %d\n", SSL_CTX_load_verify_locations(ctx, ca, NULL),
           SSL_CTX_load_verify_locations(ctx, "/nonexistent.pem", NULL));
    ERR_clear_error();
    printf("cert store: %d\n", SSL_CTX_get_cert_store(ctx) != NULL);

    /* X509 inspection via PEM from a BIO. */
    BIO *cb = BIO_new_file(chain, "r");
    X509 *x = PEM_read_bio_X509(cb, NULL, NULL, NULL);
    X509 *x2 = PEM_read_bio_X509(cb, NULL, NULL, NULL);
    X509 *x3 = PEM_read_bio_X509(cb, NULL, NULL, NULL);
    printf("PEM certs: %d %d %d\n", x != NULL, x2 != NULL, x3 != NULL);
    printf("  end error: %s\n", ERR_reason_error_string(ERR_peek_last_error()));
    ERR_clear_error();
    BIO_free(cb);
    print_name("subject", X509_get_subject_name(x));
    print_name("issuer", X509_get_issuer_name(x));
    print_name("issuer of 2nd", X509_get_issuer_name(x2));
    BIO *out = BIO_new_fp(stdout, BIO_NOCLOSE);
    BIO_puts(out, "oneline flags: ");
    X509_NAME_print_ex(out, X509_get_subject_name(x), 0, XN_FLAG_ONELINE);
    BIO_puts(out, "\nrfc2253 flags: ");
    X509_NAME_print_ex(out, X509_get_subject_name(x), 0, XN_FLAG_RFC2253);
    BIO_puts(out, "\ncompat flags: ");
    X509_NAME_print_ex(out, X509_get_subject_name(x), 2, 0);
    BIO_puts(out, "\nnotBefore: ");
    ASN1_TIME_print(out, X509_get0_notBefore(x));
    BIO_puts(out, "\nnotAfter: ");
    ASN1_TIME_print(out, X509_get0_notAfter(x));
    BIO_puts(out, "\n");
    BIO_flush(out);
    BIO_free(out);
    X509_NAME_print_ex_fp(stdout, X509_get_issuer_name(x), 0, XN_FLAG_ONELINE);
    printf("\n");
    char cn[64];
    printf("CN: %d %s\n", X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn)), cn);
    printf("no OU: %d\n", X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_organizationalUnitName, cn, sizeof(cn)));
    printf("serial: %ld\n", ASN1_INTEGER_get(X509_get_serialNumber(x)));
    printf("version: %ld\n", X509_get_version(x));
    char *peername = NULL;
    printf("check_host localhost: %d", X509_check_host(x, "localhost", 0, 0, &peername));
    printf(" peername=%s", peername ? peername : "(null)");
    OPENSSL_free(peername);
    printf(" example.com: %d\n", X509_check_host(x, "example.com", 0, 0, NULL));
    printf("check_ip 127.0.0.1: %d 10.0.0.1: %d bogus: %d\n", X509_check_ip_asc(x, "127.0.0.1", 0),
           X509_check_ip_asc(x, "10.0.0.1", 0), X509_check_ip_asc(x, "not-an-ip", 0));
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    const unsigned char *p = der;
    X509 *back = d2i_X509(NULL, &p, len);
    printf("i2d/d2i: %d consumed=%d same subject=%d\n", len > 0, (int)(p - der) == len,
           X509_NAME_cmp(X509_get_subject_name(back), X509_get_subject_name(x)) == 0);
    OPENSSL_free(der);
    X509_free(back);
    char *one = X509_NAME_oneline(X509_get_subject_name(x), NULL, 0);
    printf("oneline malloc: %s\n", one);
    OPENSSL_free(one);
    BIO *kb = BIO_new_file(key, "r");
    EVP_PKEY *pk = PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL);
    BIO_free(kb);
    printf("key: %d bits=%d id=%d matches=%d\n", pk != NULL, EVP_PKEY_bits(pk), EVP_PKEY_id(pk),
           X509_check_private_key(x, pk));
    FILE *fp = fopen(ca, "r");
    X509 *cax = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    print_name("CA via FILE", X509_get_subject_name(cax));
    printf("issuer cmp: %d\n", X509_NAME_cmp(X509_get_issuer_name(x2), X509_get_subject_name(cax)));
    EVP_PKEY_free(pk);
    X509_free(cax);
    X509_free(x);
    X509_free(x2);
    SSL_CTX_free(ctx);

    /* BIO basics. */
    BIO *m = BIO_new(BIO_s_mem());
    printf("mem write: %d puts: %d pending: %d\n", BIO_write(m, "line one\nline", 13), BIO_puts(m, " two\n"),
           BIO_pending(m));
    char line[64];
    printf("gets: %d '%s'", BIO_gets(m, line, sizeof(line)), line);
    printf(" gets: %d '%s'", BIO_gets(m, line, sizeof(line)), line);
    int r = BIO_read(m, line, sizeof(line));
    printf(" empty read: %d retry=%d read=%d eof=%d\n", r, BIO_should_retry(m) != 0, BIO_should_read(m) != 0, BIO_eof(m));
    BIO_set_mem_eof_return(m, 0);
    printf("eof_return 0: %d retry=%d\n", BIO_read(m, line, sizeof(line)), BIO_should_retry(m) != 0);
    BIO_free(m);
    BIO *ro = BIO_new_mem_buf("abc", -1);
    printf("mem_buf: %d then %d, write: %d\n", BIO_read(ro, line, 2), BIO_read(ro, line, 5), BIO_write(ro, "x", 1));
    BIO_free(ro);
    BIO *b1 = NULL, *b2 = NULL;
    printf("pair: %d", BIO_new_bio_pair(&b1, 8, &b2, 8));
    printf(" w=%d", BIO_write(b1, "0123456789", 10));
    printf(" wretry=%d", BIO_write(b1, "x", 1));
    printf(" retry=%d", BIO_should_retry(b1) != 0);
    printf(" wpending=%d pending2=%d", (int)BIO_ctrl_wpending(b1), (int)BIO_ctrl_pending(b2));
    printf(" r=%d", BIO_read(b2, line, sizeof(line)));
    printf(" r2=%d retry=%d", BIO_read(b2, line, sizeof(line)), BIO_should_retry(b2) != 0);
    BIO_shutdown_wr(b1);
    printf(" after shutdown_wr: %d\n", BIO_read(b2, line, sizeof(line)));
    BIO_free(b1);
    BIO_free(b2);
    printf("method types: mem=%d socket=%d ssl=%d\n", BIO_TYPE_MEM, BIO_TYPE_SOCKET, BIO_TYPE_SSL);

    /* ALPN lists: 0 is success, 1 failure (OpenSSL's inverted convention). */
    SSL_CTX *actx = SSL_CTX_new(TLS_client_method());
    SSL *assl = SSL_new(actx);
    static const struct { const char *bytes; unsigned int len; } lists[] = {
        {"\x02h2\x08http/1.1", 12}, {"", 0}, {"\x02", 1}, {"\x00\x02h2", 4}, {"\x02h2\x05" "abc", 7},
        {"\x02h2\x00", 4}, {"\x01x", 2}, {NULL, 5},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        printf("alpn_protos %zu: ctx=%d ssl=%d\n", i,
               SSL_CTX_set_alpn_protos(actx, (const unsigned char *)lists[i].bytes, lists[i].len),
               SSL_set_alpn_protos(assl, (const unsigned char *)lists[i].bytes, lists[i].len));
    print_alpn_selected(assl);
    SSL_free(assl);
    SSL_CTX_free(actx);
    printf("npn constants: unsupported=%d negotiated=%d no_overlap=%d tlsext ok=%d noack=%d fatal=%d\n",
           OPENSSL_NPN_UNSUPPORTED, OPENSSL_NPN_NEGOTIATED, OPENSSL_NPN_NO_OVERLAP, SSL_TLSEXT_ERR_OK,
           SSL_TLSEXT_ERR_NOACK, SSL_TLSEXT_ERR_ALERT_FATAL);
    static const struct { const char *s; unsigned int sl; const char *c; unsigned int cl; } picks[] = {
        {"\x02h2\x08http/1.1", 12, "\x08http/1.1\x02h2", 12}, {"\x02h2", 3, "\x06spdy/3\x02h3", 10},
        {"\x02h2", 3, "", 0}, {"", 0, "\x02h3", 3}, {"\x00\x02h2", 4, "\x02h2", 3},
        {"\x02h2\x09trailing", 12, "\x02h3\x05x", 5}, {"\x02h3\x02h2", 6, "\x00\x02h2", 4},
        {"\x02h2", 3, "\x05short", 3},
    };
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        unsigned char *out = (unsigned char *)"unset";
        unsigned char outlen = 99;
        const unsigned char *s = (const unsigned char *)picks[i].s, *c = (const unsigned char *)picks[i].c;
        int r = SSL_select_next_proto(&out, &outlen, s, picks[i].sl, c, picks[i].cl);
        printf("select_next_proto %zu: %d len=%u at=%s%ld\n", i, r, outlen,
               out == NULL ? "null" : (out >= s && out < s + picks[i].sl) ? "server+" : (out >= c && out < c + picks[i].cl) ? "client+" : "other",
               out == NULL ? 0L : (out >= s && out < s + picks[i].sl) ? (long)(out - s) : (out >= c && out < c + picks[i].cl) ? (long)(out - c) : -1L);
    }
    return 0;
}
