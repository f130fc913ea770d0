/* What curl's OpenSSL backend calls beyond the basics, compared line by line with the system
 * OpenSSL, client and server in one process over BIO pairs (TLS 1.2, AES256-SHA256):
 *   - X509_STORE objects: new / load_file / load_path / up_ref / free / add_crl, handed to a
 *     context with SSL_CTX_set_cert_store and SSL_CTX_set1_cert_store (a verified handshake;
 *     its twin: an empty store fails verification);
 *   - the message callback (SSL_CTX_set_msg_callback + _arg, SSL_set_msg_callback): every record
 *     header, inner content type, handshake message (also the encrypted ones), ChangeCipherSpec
 *     and alert each side reports, with the versions passed, at TLS 1.2 and TLS 1.3 (twin: a
 *     refused server certificate's alert);
 *   - certinfo readers: X509_get0_signature, X509_PUBKEY_get0_param, X509_get0_extensions with
 *     i2t/i2a_ASN1_OBJECT and X509V3_EXT_print, ASN1_STRING_print, the serial's public fields,
 *     EVP_PKEY_get_bn_param + BN_print;
 *   - RSA: EVP_PKEY_get1_RSA / get0_RSA, RSA_flags, RSA_get0_key, RSA_bits, RSA_size, RSA_free;
 *     an EC key refused; EVP_PKEY_copy_parameters;
 *   - BUF_MEM through BIO_get_mem_ptr, and a program's own (BUF_MEM_new/_ex, grow, grow_clean, free,
 *     BUF_reverse; twin: a length past the limit refused); BIO_read_filename, d2i_PrivateKey_bio;
 *   - X509_check_issued; SSL_CTX_clear_chain_certs (twin: the chain then missing) and
 *     SSL_CTX_set1_chain; PKCS12 entry points (not parsing: compared only as failures).
 *
 *   apps_slice CA.pem CHAIN.pem KEY.pem INTERMEDIATE.pem KEY.der EC.key HASHED_DIR
 */
#include <openssl/bn.h>
#include <openssl/buffer.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include "common.h"
#include <stdarg.h>
#include <string.h>

/* Errors as library and reason numbers (the texts of some differ in wording). */
static void print_codes(const char *what)
{
    unsigned long e;
    while ((e = ERR_get_error()) != 0)
        printf("%s: lib %d reason %d\n", what, ERR_GET_LIB(e), ERR_GET_REASON(e));
}

static void drain(const char *what)
{
    int n = 0;
    while (ERR_get_error() != 0)
        n++;
    printf("%s: errors queued: %s\n", what, n ? "yes" : "no");
}

static int handshake(SSL *c, SSL *s)
{
    int cdone = 0, sdone = 0;
    for (int i = 0; i < 20 && !(cdone && sdone); i++) {
        if (!cdone && SSL_do_handshake(c) == 1)
            cdone = 1;
        if (!sdone && SSL_do_handshake(s) == 1)
            sdone = 1;
    }
    return cdone && sdone;
}

static SSL_CTX *server_ctx(const char *chain, const char *key)
{
    SSL_CTX *s = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_max_proto_version(s, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(s, "AES256-SHA256");
    if (SSL_CTX_use_certificate_chain_file(s, chain) != 1 || SSL_CTX_use_PrivateKey_file(s, key, SSL_FILETYPE_PEM) != 1)
        printf("server setup failed\n");
    return s;
}

static SSL_CTX *client_ctx(void)
{
    SSL_CTX *c = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_max_proto_version(c, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(c, "AES256-SHA256");
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL);
    return c;
}

/* One handshake over a BIO pair; prints the outcome and the client's verify result. */
static void connect_pair(const char *what, SSL_CTX *cctx, SSL_CTX *sctx, void (*setup)(SSL *c, SSL *s))
{
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    BIO *cb = NULL, *sb = NULL;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(c, cb, cb);
    SSL_set_bio(s, sb, sb);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    SSL_set1_host(c, "localhost");
    if (setup)
        setup(c, s);
    int ok = handshake(c, s);
    printf("%s: handshake %s, verify result %ld\n", what, ok ? "ok" : "failed", SSL_get_verify_result(c));
    ERR_clear_error();
    SSL_free(c);
    SSL_free(s);
}

/* The message callback: everything each side reports, in its order, printed per side after the
 * handshake (the two sides' calls interleave differently in the two libraries): record headers
 * (type and version; lengths differ with the ClientHello's extensions), TLS 1.3 inner content
 * types, handshake messages (type, version, whether the length in the message header is the
 * buffer's: each is reported whole, also those that travel encrypted), ChangeCipherSpec and
 * alerts. Under TLS 1.3 the client's middlebox-compatibility ChangeCipherSpec (RFC 8446 §D.4) is
 * printed after the rest: OpenSSL writes it as it sends its Finished, ferrotls as it reads the
 * ServerHello (on the wire both come right before the client's second flight). */
struct trace {
    const char *name;
    char lines[8192];
    size_t used;
    int tls13, messages_only;
    char ccs[256];
};
static struct trace client_trace = {.name = "client"}, server_trace = {.name = "server"};

static void trace_line(struct trace *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->lines + t->used, sizeof(t->lines) - t->used, fmt, ap);
    va_end(ap);
    if (n > 0 && t->used + (size_t)n < sizeof(t->lines))
        t->used += (size_t)n;
}

static int is_client_compat_ccs(struct trace *t, int write_p, int content_type, const unsigned char *b)
{
    return t->tls13 && write_p && t == &client_trace
           && (content_type == SSL3_RT_CHANGE_CIPHER_SPEC || (content_type == SSL3_RT_HEADER && b[0] == 20));
}

static void msg_cb(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl, void *arg)
{
    struct trace *t = arg ? (struct trace *)arg : &server_trace;
    (void)ssl;
    const unsigned char *b = buf;
    const char *dir = write_p ? "OUT" : "IN";
    if (t->messages_only && content_type != SSL3_RT_HANDSHAKE && content_type != SSL3_RT_ALERT)
        return;
    if (is_client_compat_ccs(t, write_p, content_type, b)) {
        size_t l = strlen(t->ccs);
        snprintf(t->ccs + l, sizeof(t->ccs) - l, "client OUT compatibility %s version %04x\n",
                 content_type == SSL3_RT_HEADER ? "header" : "change cipher spec", version);
    } else if (content_type == SSL3_RT_HEADER)
        trace_line(t, "%s %s header: type %d version %04x len %zu\n", t->name, dir, b[0], version, len);
    else if (content_type == SSL3_RT_INNER_CONTENT_TYPE)
        trace_line(t, "%s %s inner content type %d version %04x len %zu\n", t->name, dir, b[0], version, len);
    else if (content_type == SSL3_RT_HANDSHAKE) {
        size_t body = len >= 4 ? ((size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3]) : 0;
        trace_line(t, "%s %s handshake type %d version %04x length matches %d\n", t->name, dir, b[0], version,
                   len == body + 4);
    } else if (content_type == SSL3_RT_CHANGE_CIPHER_SPEC)
        trace_line(t, "%s %s change cipher spec %d version %04x len %zu\n", t->name, dir, b[0], version, len);
    else if (content_type == SSL3_RT_ALERT)
        trace_line(t, "%s %s alert %d %d version %04x\n", t->name, dir, b[0], b[1], version);
    else
        trace_line(t, "%s %s content type %d\n", t->name, dir, content_type);
}

static void print_traces(void)
{
    fputs(client_trace.lines, stdout);
    fputs(client_trace.ccs, stdout);
    fputs(server_trace.lines, stdout);
    client_trace.used = server_trace.used = 0;
    client_trace.lines[0] = server_trace.lines[0] = client_trace.ccs[0] = 0;
}

static void server_msg_cb(SSL *c, SSL *s)
{
    (void)c;
    SSL_set_msg_callback(s, msg_cb);
}

/* A program's own BUF_MEM: growth (zeroed bytes, a third more capacity), shrinking with and
 * without clearing, contents kept across a reallocation, the length limit refused (twin). */
static void buf_mem(void)
{
    BUF_MEM *b = BUF_MEM_new();
    printf("BUF_MEM_new: length %zu max %zu data %s\n", b->length, b->max, b->data ? "set" : "NULL");
    size_t r = BUF_MEM_grow(b, 10);
    printf("grow(10): %zu length %zu max %zu\n", r, b->length, b->max);
    int zero = 1;
    for (size_t i = 0; i < b->length; i++)
        zero &= b->data[i] == 0;
    printf("new bytes zero: %d\n", zero);
    memcpy(b->data, "0123456789", 10);
    r = BUF_MEM_grow(b, 4);
    printf("grow(4): %zu length %zu max %zu kept %.4s\n", r, b->length, b->max, b->data);
    printf("byte 5 after a plain shrink: %c\n", b->data[5]);
    r = BUF_MEM_grow(b, 12);
    printf("grow(12): %zu, bytes 4..11 zero: %d\n", r, b->data[4] == 0 && b->data[11] == 0);
    memcpy(b->data, "abcdefghijkl", 12);
    r = BUF_MEM_grow_clean(b, 6);
    printf("grow_clean(6): %zu, byte 8 after it: %d\n", r, b->data[8]);
    r = BUF_MEM_grow_clean(b, 100);
    printf("grow_clean(100): %zu length %zu max %zu kept %.6s byte 6 %d\n", r, b->length, b->max, b->data, b->data[6]);
    r = BUF_MEM_grow(b, 1000);
    printf("grow(1000): %zu length %zu max %zu kept %.6s byte 999 %d\n", r, b->length, b->max, b->data, b->data[999]);
    r = BUF_MEM_grow(b, 0x60000000);
    printf("grow(0x60000000): %zu length %zu\n", r, b->length);
    print_codes("grow(0x60000000)");
    r = BUF_MEM_grow_clean(b, 0);
    printf("grow_clean(0): %zu length %zu\n", r, b->length);
    BUF_MEM_free(b);
    BUF_MEM_free(NULL);
    BUF_MEM *sec = BUF_MEM_new_ex(BUF_MEM_FLAG_SECURE);
    r = BUF_MEM_grow(sec, 50);
    printf("BUF_MEM_new_ex(SECURE): flags %lu grow(50) %zu max %zu\n", sec->flags, r, sec->max);
    memcpy(sec->data, "secret", 6);
    r = BUF_MEM_grow(sec, 200);
    printf("secure grow(200): %zu kept %.6s\n", r, sec->data);
    BUF_MEM_free(sec);
    unsigned char in[5] = {1, 2, 3, 4, 5}, out[5];
    BUF_reverse(out, in, 5);
    BUF_reverse(in, NULL, 5);
    printf("BUF_reverse: %d%d%d%d%d in place %d%d%d%d%d\n", out[0], out[1], out[2], out[3], out[4], in[0], in[1], in[2],
           in[3], in[4]);
}

static void certinfo(const char *chain)
{
    BIO *in = BIO_new_file(chain, "r");
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    BIO_free(in);
    BIO *mem = BIO_new(BIO_s_mem());
    char buf[256];
    const ASN1_INTEGER *serial = X509_get_serialNumber(x);
    printf("serial: type %d length %d data", serial->type, serial->length);
    for (int i = 0; i < serial->length; i++)
        printf(" %02x", serial->data[i]);
    printf("\n");
    i2a_ASN1_INTEGER(mem, serial);
    const ASN1_BIT_STRING *sig = NULL;
    const X509_ALGOR *alg = NULL;
    X509_get0_signature(&sig, &alg, x);
    printf("signature: length %d first %02x last %02x\n", sig->length, sig->data[0], sig->data[sig->length - 1]);
    BIO_puts(mem, " ");
    i2a_ASN1_OBJECT(mem, alg->algorithm);
    int n = i2t_ASN1_OBJECT(buf, sizeof buf, alg->algorithm);
    printf("signature algorithm: %s (%d)\n", buf, n);
    n = i2t_ASN1_OBJECT(buf, 4, alg->algorithm);
    printf("truncated: '%s' (%d)\n", buf, n);
    ASN1_OBJECT *pkalg = NULL;
    const unsigned char *pk = NULL;
    int pklen = 0;
    X509_ALGOR *pa = NULL;
    printf("X509_PUBKEY_get0_param: %d\n", X509_PUBKEY_get0_param(&pkalg, &pk, &pklen, &pa, X509_get_X509_PUBKEY(x)));
    i2t_ASN1_OBJECT(buf, sizeof buf, pkalg);
    printf("public key: %s, %d octets starting %02x, algor is the same object: %d\n", buf, pklen, pk[0],
           OBJ_obj2nid(pa->algorithm) == OBJ_obj2nid(pkalg));
    const STACK_OF(X509_EXTENSION) *exts = X509_get0_extensions(x);
    printf("extensions: %d\n", sk_X509_EXTENSION_num(exts));
    for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
        X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
        ASN1_OBJECT *o = X509_EXTENSION_get_object(e);
        int nid = OBJ_obj2nid(o);
        i2t_ASN1_OBJECT(buf, sizeof buf, o);
        printf("  %s critical %d", buf, X509_EXTENSION_get_critical(e));
        if (nid == NID_subject_alt_name || nid == NID_basic_constraints || nid == NID_key_usage ||
            nid == NID_subject_key_identifier) {
            BIO *p = BIO_new(BIO_s_mem());
            int r = X509V3_EXT_print(p, e, 0, 2);
            BUF_MEM *bm = NULL;
            BIO_get_mem_ptr(p, &bm);
            printf(" print %d: [%.*s]", r, (int)bm->length, bm->data);
            BIO_free(p);
        }
        printf("\n");
    }
    /* The raw fallback curl uses for extensions without a printer: each extension's DER, with
     * what is not printable as '.'. */
    for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
        BIO *p = BIO_new(BIO_s_mem());
        int r = ASN1_STRING_print(p, X509_EXTENSION_get_data(sk_X509_EXTENSION_value(exts, i)));
        BUF_MEM *bm = NULL;
        BIO_get_mem_ptr(p, &bm);
        printf("ASN1_STRING_print %d: [%.*s]\n", r, (int)bm->length, bm->data);
        BIO_free(p);
    }
    BUF_MEM *bm = NULL;
    EVP_PKEY *pub = X509_get_pubkey(x);
    BIGNUM *bn_n = NULL, *bn_e = NULL, *bn_p = NULL;
    printf("get_bn_param n %d e %d p %d\n", EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_N, &bn_n),
           EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_E, &bn_e),
           EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_FFC_P, &bn_p));
    ERR_clear_error();
    printf("n bits %d\n", BN_num_bits(bn_n));
    BIO_puts(mem, " e=");
    BN_print(mem, bn_e);
    BIO_puts(mem, " n=");
    BN_print(mem, bn_n);
    BIGNUM *zero = BN_new();
    BIO_puts(mem, " zero=");
    BN_print(mem, zero);
    BN_free(zero);
    BN_free(bn_n);
    BN_free(bn_e);
    EVP_PKEY_free(pub);
    /* Read part of the BIO: BIO_get_mem_ptr describes what is left. */
    char head[8];
    BIO_read(mem, head, 4);
    bm = NULL;
    BIO_get_mem_ptr(mem, &bm);
    printf("mem: %.*s\n", (int)bm->length, bm->data);
    BIO_free(mem);
    X509_free(x);
}

/* A program's own BIO method that claims BIO_TYPE_MEM (as curl's connection-filter BIO does)
 * still has its callbacks called. */
static int custom_written;
static int custom_write(BIO *b, const char *buf, int len)
{
    (void)b;
    (void)buf;
    custom_written += len;
    return len;
}
static int custom_read(BIO *b, char *buf, int len)
{
    (void)b;
    (void)buf;
    (void)len;
    BIO_set_retry_read(b);
    return -1;
}
static int custom_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}
static void custom_mem_type(void)
{
    BIO_METHOD *m = BIO_meth_new(BIO_TYPE_MEM, "mem-typed custom");
    BIO_meth_set_write(m, custom_write);
    BIO_meth_set_read(m, custom_read);
    BIO_meth_set_create(m, custom_create);
    BIO *b = BIO_new(m);
    char buf[8];
    int w = BIO_write(b, "abcde", 5);
    int r = BIO_read(b, buf, sizeof buf);
    printf("custom BIO_TYPE_MEM method: write %d (callback saw %d) read %d retry %d\n", w, custom_written, r,
           BIO_should_retry(b));
    BIO_free(b);
    BIO_meth_free(m);
}

static X509 *read_cert(const char *path)
{
    BIO *b = BIO_new(BIO_s_file());
    printf("BIO_read_filename: %d\n", BIO_read_filename(b, path));
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    return x;
}

static void keys(const char *der_key, const char *ec_key, const char *chain)
{
    BIO *b = BIO_new(BIO_s_file());
    BIO_read_filename(b, der_key);
    EVP_PKEY *k = d2i_PrivateKey_bio(b, NULL);
    BIO_free(b);
    printf("d2i_PrivateKey_bio: %s id %d bits %d\n", k ? "key" : "NULL", EVP_PKEY_get_id(k), EVP_PKEY_get_bits(k));
    BIO *junk = BIO_new_mem_buf("not a key", -1);
    EVP_PKEY *none = d2i_PrivateKey_bio(junk, NULL);
    printf("d2i_PrivateKey_bio(junk): %s\n", none ? "key" : "NULL");
    drain("d2i_PrivateKey_bio(junk)");
    BIO_free(junk);

    RSA *rsa = EVP_PKEY_get1_RSA(k);
    const BIGNUM *n = NULL, *e = NULL, *d = NULL;
    RSA_get0_key(rsa, &n, &e, &d);
    printf("RSA: flags & NO_CHECK %d bits %d size %d n bits %d e %lu d %s\n", RSA_flags(rsa) & RSA_METHOD_FLAG_NO_CHECK,
           RSA_bits(rsa), RSA_size(rsa), BN_num_bits(n), BN_get_word(e), d && BN_num_bits(d) > 2000 ? "present" : "absent");
    RSA_free(rsa);

    BIO *in = BIO_new_file(chain, "r");
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    BIO_free(in);
    EVP_PKEY *pub = X509_get_pubkey(x);
    const RSA *prsa = EVP_PKEY_get0_RSA(pub);
    n = e = d = NULL;
    RSA_get0_key(prsa, &n, &e, &d);
    printf("public RSA: bits %d d %s\n", RSA_bits(prsa), d ? "present" : "absent");
    printf("copy_parameters(rsa, rsa): %d\n", EVP_PKEY_copy_parameters(pub, k));
    ERR_clear_error();

    BIO *eb = BIO_new_file(ec_key, "r");
    EVP_PKEY *ec = PEM_read_bio_PrivateKey(eb, NULL, NULL, NULL);
    BIO_free(eb);
    printf("EC key id %d\n", EVP_PKEY_get_id(ec));
    printf("EVP_PKEY_get1_RSA(EC): %s\n", EVP_PKEY_get1_RSA(ec) ? "RSA" : "NULL");
    print_codes("get1_RSA(EC)");
    printf("copy_parameters(rsa, ec): %d\n", EVP_PKEY_copy_parameters(pub, ec));
    print_codes("copy_parameters(rsa, ec)");
    EVP_PKEY_free(ec);
    EVP_PKEY_free(pub);
    X509_free(x);

    /* PKCS#12: ferrotls cannot parse it; a DER private key is no PKCS#12 file for OpenSSL either. */
    BIO *pb = BIO_new(BIO_s_file());
    BIO_read_filename(pb, der_key);
    PKCS12 *p12 = d2i_PKCS12_bio(pb, NULL);
    printf("d2i_PKCS12_bio(key): %s\n", p12 ? "PKCS12" : "NULL");
    drain("d2i_PKCS12_bio");
    BIO_free(pb);
    PKCS12_free(NULL);
    printf("PKCS12_parse(NULL): %d\n", PKCS12_parse(NULL, "", NULL, NULL, NULL));
    drain("PKCS12_parse");
    PKCS12_PBE_add(); /* void, a no-op in OpenSSL 3.0 */
    EVP_PKEY_free(k);
}

int main(int argc, char **argv)
{
    if (argc < 8)
        return 2;
    const char *ca = argv[1], *chain = argv[2], *key = argv[3], *inter = argv[4];
    SSL_CTX *sctx = server_ctx(chain, key);

    /* X509_STORE objects. */
    X509_STORE *store = X509_STORE_new();
    printf("load_file: %d\n", X509_STORE_load_file(store, ca));
    printf("load_file(missing): %d\n", X509_STORE_load_file(store, "/nonexistent/ca.pem"));
    drain("load_file(missing)");
    printf("load_path: %d\n", X509_STORE_load_path(store, argv[7]));
    printf("add_crl(NULL): %d\n", X509_STORE_add_crl(store, NULL));
    ERR_clear_error();
    SSL_CTX *cctx = client_ctx();
    SSL_CTX *cctx2 = client_ctx();
    X509_STORE_up_ref(store);
    SSL_CTX_set_cert_store(cctx, store); /* takes the reference just made */
    SSL_CTX_set1_cert_store(cctx2, store); /* takes its own */
    printf("get_cert_store is the store: %d %d\n", SSL_CTX_get_cert_store(cctx) == store,
           SSL_CTX_get_cert_store(cctx2) == store);
    X509_STORE_free(store); /* the contexts keep theirs */
    connect_pair("set_cert_store", cctx, sctx, NULL);
    connect_pair("set1_cert_store", cctx2, sctx, NULL);
    SSL_CTX_free(cctx2);
    SSL_CTX *empty = client_ctx();
    SSL_CTX_set_cert_store(empty, X509_STORE_new());
    connect_pair("empty store", empty, sctx, NULL);
    SSL_CTX_free(empty);

    /* The message callback. */
    SSL_CTX_set_msg_callback(cctx, msg_cb);
    SSL_CTX_set_msg_callback_arg(cctx, &client_trace);
    connect_pair("msg callback", cctx, sctx, server_msg_cb);
    print_traces();
    /* The same at TLS 1.3 (the contexts' own defaults but for the version). */
    SSL_CTX *c13 = SSL_CTX_new(TLS_client_method()), *s13 = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_verify(c13, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_cert_store(c13, X509_STORE_new());
    X509_STORE_load_file(SSL_CTX_get_cert_store(c13), ca);
    SSL_CTX_set_min_proto_version(c13, TLS1_3_VERSION);
    if (SSL_CTX_use_certificate_chain_file(s13, chain) != 1 || SSL_CTX_use_PrivateKey_file(s13, key, SSL_FILETYPE_PEM) != 1)
        printf("server setup failed\n");
    SSL_CTX_set_msg_callback(c13, msg_cb);
    SSL_CTX_set_msg_callback_arg(c13, &client_trace);
    client_trace.tls13 = 1;
    connect_pair("msg callback, TLS 1.3", c13, s13, server_msg_cb);
    print_traces();
    /* Its twin: a client that trusts nothing reports the alert it sends and the server the one it
     * reads. Only the messages are compared: OpenSSL's client sends that alert in the clear (it
     * takes its handshake key when it sends its Finished), ferrotls' under its handshake key after
     * its compatibility ChangeCipherSpec (RFC 8446 §6: as the connection state says), so record
     * headers and inner types differ (docs/openssl-compat.md). */
    SSL_CTX *c13x = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(c13x, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_cert_store(c13x, X509_STORE_new());
    SSL_CTX_set_min_proto_version(c13x, TLS1_3_VERSION);
    SSL_CTX_set_msg_callback(c13x, msg_cb);
    SSL_CTX_set_msg_callback_arg(c13x, &client_trace);
    client_trace.messages_only = server_trace.messages_only = 1;
    connect_pair("msg callback, TLS 1.3, untrusted server", c13x, s13, server_msg_cb);
    print_traces();
    client_trace.messages_only = server_trace.messages_only = 0;
    client_trace.tls13 = 0;
    SSL_CTX_free(c13x);
    SSL_CTX_free(c13);
    SSL_CTX_free(s13);
    SSL_CTX_set_msg_callback(cctx, NULL);

    /* Chain certificates: cleared, the client cannot build the path; set again, it can. */
    SSL_CTX *nochain = server_ctx(chain, key);
    printf("clear_chain_certs: %ld\n", SSL_CTX_clear_chain_certs(nochain));
    connect_pair("server without its chain", cctx, nochain, NULL);
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *ix = read_cert(inter);
    X509_up_ref(ix); /* the stack's reference; ix keeps its own */
    sk_X509_push(sk, ix);
    printf("set1_chain: %ld\n", SSL_CTX_set1_chain(nochain, sk));
    sk_X509_pop_free(sk, X509_free);
    connect_pair("server with set1_chain", cctx, nochain, NULL);
    SSL_CTX_free(nochain);

    /* X509_check_issued. */
    X509 *cax = read_cert(ca);
    BIO *lb = BIO_new(BIO_s_file());
    printf("BIO_read_filename(missing): %d\n", BIO_read_filename(lb, "/nonexistent/file.pem"));
    drain("BIO_read_filename(missing)");
    BIO_free(lb);
    BIO *in = BIO_new_file(chain, "r");
    X509 *leaf = PEM_read_bio_X509(in, NULL, NULL, NULL);
    BIO_free(in);
    printf("check_issued(intermediate, leaf) %d (ca, leaf) %d (ca, intermediate) %d (leaf, leaf) %d (ca, ca) %d\n",
           X509_check_issued(ix, leaf), X509_check_issued(cax, leaf), X509_check_issued(cax, ix),
           X509_check_issued(leaf, leaf), X509_check_issued(cax, cax));
    X509_free(cax);
    X509_free(leaf);
    X509_free(ix);

    custom_mem_type();
    buf_mem();
    certinfo(chain);
    keys(argv[5], argv[6], chain);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}
