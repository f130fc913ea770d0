/* Private keys through PEM_read_bio_PrivateKey / PEM_read_PrivateKey and SSL_CTX_use_PrivateKey_file:
 * the password callback's arguments and return value, `u` used as the password when there is no
 * callback (OpenSSL's PEM_def_callback), wrong passwords, and plain keys that never ask.
 *
 * Then keys of every type (ECDSA P-256/P-384, Ed25519: their id and size) and a context holding
 * an RSA and an ECDSA pair at once (OpenSSL keeps one per key type).
 *
 *   keys CERT.pem PLAIN.key ENCRYPTED.key PASSWORD [P256.pem P256.key P384.pem P384.key ED25519.pem ED25519.key]
 */
#include "common.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

static const char *password;
static int calls;

/* Answers with `password`, or with what `u` says: "wrong", "none" (0 bytes), "fail" (-1),
 * "huge" (more than the buffer: OpenSSL treats it as an error). */
static int passwd_cb(char *buf, int size, int rwflag, void *u)
{
    const char *mode = u ? (const char *)u : "(null)";
    /* OpenSSL 3's decoders ask a second time after a refusal (-1, too long); how often a
     * refusing callback is asked again is not part of the contract, so only the first call of
     * each read is printed and the report says whether it was asked at all. */
    if (calls++ == 0)
        printf("  passwd_cb: size=%d rwflag=%d u=%s\n", size, rwflag, mode);
    const char *pw = password;
    if (!strcmp(mode, "wrong"))
        pw = "not-the-password";
    else if (!strcmp(mode, "none"))
        return 0;
    else if (!strcmp(mode, "fail"))
        return -1;
    else if (!strcmp(mode, "huge"))
        return size + 10;
    int n = (int)strlen(pw);
    if (n > size)
        n = size;
    memcpy(buf, pw, (size_t)n);
    return n;
}

/* Prints the outcome of one read: the key's size and whether it matches the certificate, or the
 * error queue's first entry (library and reason; the rest of the queue differs in detail). */
static void report(const char *what, EVP_PKEY *key, X509 *cert)
{
    printf("%s: %s", what, key ? "key" : "NULL");
    if (key) {
        printf(" bits=%d id=%d", EVP_PKEY_get_bits(key), EVP_PKEY_get_id(key));
        SSL_CTX *ctx = SSL_CTX_new(TLS_method());
        SSL_CTX_use_certificate(ctx, cert);
        printf(" matches=%d", SSL_CTX_use_PrivateKey(ctx, key));
        SSL_CTX_free(ctx);
    }
    printf(" asked=%d\n", calls > 0);
    unsigned long e = ERR_peek_error();
    if (!key)
        printf("  first error: lib=%d %s\n", ERR_GET_LIB(e), e ? "queued" : "none");
    ERR_clear_error();
    EVP_PKEY_free(key);
    calls = 0;
}

/* Reads the key at `path` through a BIO (PEM_read_bio_PrivateKey) or a FILE * (PEM_read_PrivateKey). */
static EVP_PKEY *read_key(const char *path, int use_file, pem_password_cb *cb, void *u)
{
    EVP_PKEY *k = NULL;
    if (use_file) {
        FILE *f = fopen(path, "r");
        k = f ? PEM_read_PrivateKey(f, NULL, cb, u) : NULL;
        if (f)
            fclose(f);
    } else {
        BIO *b = BIO_new_file(path, "r");
        k = b ? PEM_read_bio_PrivateKey(b, NULL, cb, u) : NULL;
        BIO_free(b);
    }
    return k;
}
#define from_bio(path, cb, u) read_key(path, 0, cb, u)
#define from_file(path, cb, u) read_key(path, 1, cb, u)

static void ctx_file(const char *what, const char *cert_path, const char *key_path, pem_password_cb *cb, void *u)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (cb)
        SSL_CTX_set_default_passwd_cb(ctx, cb);
    if (u)
        SSL_CTX_set_default_passwd_cb_userdata(ctx, u);
    int c = SSL_CTX_use_certificate_chain_file(ctx, cert_path);
    int k = SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM);
    printf("%s: cert=%d key=%d check=%d asked=%d\n", what, c, k, k == 1 ? SSL_CTX_check_private_key(ctx) : -1, calls > 0);
    if (k != 1)
        printf("  first error: lib=%d %s\n", ERR_GET_LIB(ERR_peek_error()), ERR_peek_error() ? "queued" : "none");
    ERR_clear_error();
    SSL_CTX_free(ctx);
    calls = 0;
}

int main(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    const char *cert_path = argv[1], *plain = argv[2], *enc = argv[3];
    password = argv[4];
    OPENSSL_init_ssl(0, NULL);

    BIO *cb = BIO_new_file(cert_path, "r");
    X509 *cert = cb ? PEM_read_bio_X509(cb, NULL, NULL, NULL) : NULL;
    BIO_free(cb);
    if (!cert) {
        print_errors("certificate");
        return 1;
    }

    report("plain key, no callback", from_bio(plain, NULL, NULL), cert);
    report("plain key, callback is not called", from_bio(plain, passwd_cb, "right"), cert);
    report("encrypted, callback with the password", from_bio(enc, passwd_cb, "right"), cert);
    report("encrypted, no callback, u is the password", from_bio(enc, NULL, (void *)password), cert);
    report("encrypted, wrong password", from_bio(enc, passwd_cb, "wrong"), cert);
    report("encrypted, no callback, wrong u", from_bio(enc, NULL, "not-the-password"), cert);
    report("encrypted, callback returns 0", from_bio(enc, passwd_cb, "none"), cert);
    report("encrypted, callback returns -1", from_bio(enc, passwd_cb, "fail"), cert);
    report("encrypted, callback returns more than size", from_bio(enc, passwd_cb, "huge"), cert);
    report("FILE *, callback with the password", from_file(enc, passwd_cb, "right"), cert);
    report("FILE *, no callback, u is the password", from_file(enc, NULL, (void *)password), cert);

    /* The out-parameter form: *x is replaced. */
    EVP_PKEY *k = NULL;
    BIO *b = BIO_new_file(enc, "r");
    EVP_PKEY *r = PEM_read_bio_PrivateKey(b, &k, passwd_cb, "right");
    BIO_free(b);
    printf("out-parameter: returned=%s same=%d\n", r ? "key" : "NULL", r == k);
    EVP_PKEY_free(k);
    calls = 0;

    /* SSL_CTX_use_PrivateKey_file reads through the same callback and userdata. */
    ctx_file("ctx: callback", cert_path, enc, passwd_cb, "right");
    ctx_file("ctx: userdata only is the password", cert_path, enc, NULL, (void *)password);
    ctx_file("ctx: wrong password", cert_path, enc, passwd_cb, "wrong");
    ctx_file("ctx: plain key with a callback", cert_path, plain, passwd_cb, "right");

    if (argc >= 11) {
        const char *names[3] = {"ECDSA P-256", "ECDSA P-384", "Ed25519"};
        for (int i = 0; i < 3; i++) {
            const char *pem = argv[5 + 2 * i], *key = argv[6 + 2 * i];
            BIO *xb = BIO_new_file(pem, "r");
            X509 *x = xb ? PEM_read_bio_X509(xb, NULL, NULL, NULL) : NULL;
            BIO_free(xb);
            report(names[i], from_bio(key, NULL, NULL), x);
            ctx_file(names[i], pem, key, NULL, NULL);
            X509_free(x);
        }
        /* Twin: a P-384 key for the P-256 certificate (the same slot) is a mismatch. */
        {
            BIO *xb = BIO_new_file(argv[5], "r");
            X509 *x = PEM_read_bio_X509(xb, NULL, NULL, NULL);
            BIO_free(xb);
            SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
            printf("P-256 certificate, P-384 key: cert=%d", SSL_CTX_use_certificate(ctx, x));
            printf(" key=%d\n", SSL_CTX_use_PrivateKey_file(ctx, argv[8], SSL_FILETYPE_PEM));
            ERR_clear_error();
            SSL_CTX_free(ctx);
            X509_free(x);
        }
        /* An RSA and an ECDSA pair in one context: each stays usable, whichever was set last. */
        SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
        int a = SSL_CTX_use_certificate_chain_file(ctx, cert_path);
        int b2 = SSL_CTX_use_PrivateKey_file(ctx, plain, SSL_FILETYPE_PEM);
        int c = SSL_CTX_use_certificate_chain_file(ctx, argv[5]);
        int d = SSL_CTX_use_PrivateKey_file(ctx, argv[6], SSL_FILETYPE_PEM);
        printf("RSA then ECDSA pair: %d %d %d %d check=%d current id=%d\n", a, b2, c, d,
               SSL_CTX_check_private_key(ctx), EVP_PKEY_get_id(SSL_CTX_get0_privatekey(ctx)));
        /* Setting the RSA key again makes the RSA pair current, its certificate still there. */
        int e = SSL_CTX_use_PrivateKey_file(ctx, plain, SSL_FILETYPE_PEM);
        printf("RSA key again: %d check=%d current id=%d\n", e, SSL_CTX_check_private_key(ctx),
               EVP_PKEY_get_id(SSL_CTX_get0_privatekey(ctx)));
        ERR_clear_error();
        SSL_CTX_free(ctx);
    }

    X509_free(cert);
    return 0;
}
