/* The libcrypto slice real programs use, compared line by line with the system OpenSSL:
 * digests (EVP, one-shot, the MD5_/SHA*_ context functions, over inputs that cross block
 * boundaries), object names/NIDs, certificate names and extensions (X509_NAME_get_entry,
 * X509_get_ext_d2i with GENERAL_NAMES, ASN1_STRING_*), RAND_*, BN/DH containers, and the
 * methods and settings socat needs (DTLS refused by ferrotls: printed by neither).
 * A custom BIO method (BIO_meth_*): the callbacks' order, and a TLS handshake between two SSLs
 * over custom BIOs, as curl drives its connections.
 * argv[1]: a certificate with DNS and IP SANs; argv[2]: one with other.example; argv[3] the key
 * of argv[1]; argv[4] the CA. */
#include <openssl/bn.h>
#include <openssl/des.h>
#include <openssl/dh.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/md4.h>
#include <openssl/md5.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex(const char *label, const unsigned char *d, unsigned int n) {
    printf("%s:", label);
    for (unsigned int i = 0; i < n; i++) printf("%02x", d[i]);
    printf("\n");
}

/* Inputs around the 55/56/64/111/112/128-octet padding edges and a long one. */
static const size_t LENS[] = {0, 1, 3, 55, 56, 63, 64, 65, 111, 112, 119, 127, 128, 129, 1000, 100000};

static void digests(void) {
    unsigned char *buf = malloc(100000);
    for (size_t i = 0; i < 100000; i++) buf[i] = (unsigned char)(i * 7 + 3);
    const struct { const char *name; const EVP_MD *(*md)(void); } mds[] = {
        {"md5", EVP_md5}, {"sha1", EVP_sha1}, {"sha224", EVP_sha224},
        {"sha256", EVP_sha256}, {"sha384", EVP_sha384}, {"sha512", EVP_sha512},
    };
    for (size_t m = 0; m < sizeof mds / sizeof mds[0]; m++) {
        const EVP_MD *md = mds[m].md();
        printf("%s size %d block %d type %d byname %d\n", mds[m].name, EVP_MD_size(md), EVP_MD_block_size(md),
               EVP_MD_type(md), EVP_get_digestbyname(mds[m].name) != NULL);
        for (size_t l = 0; l < sizeof LENS / sizeof LENS[0]; l++) {
            unsigned char out[EVP_MAX_MD_SIZE], out2[EVP_MAX_MD_SIZE];
            unsigned int n = 0, n2 = 0;
            EVP_MD_CTX *ctx = EVP_MD_CTX_new();
            /* Fed in uneven pieces, and copied half-way. */
            EVP_DigestInit_ex(ctx, md, NULL);
            size_t half = LENS[l] / 2;
            EVP_DigestUpdate(ctx, buf, half / 3);
            EVP_DigestUpdate(ctx, buf + half / 3, half - half / 3);
            EVP_MD_CTX *copy = EVP_MD_CTX_new();
            EVP_MD_CTX_copy_ex(copy, ctx);
            EVP_DigestUpdate(ctx, buf + half, LENS[l] - half);
            EVP_DigestFinal_ex(ctx, out, &n);
            EVP_DigestUpdate(copy, buf + half, LENS[l] - half);
            EVP_DigestFinal_ex(copy, out2, &n2);
            char label[64];
            snprintf(label, sizeof label, "%s(%zu)", mds[m].name, LENS[l]);
            hex(label, out, n);
            printf("copy %s\n", n == n2 && memcmp(out, out2, n) == 0 ? "same" : "DIFFERENT");
            EVP_Digest(buf, LENS[l], out2, &n2, md, NULL);
            printf("EVP_Digest %s\n", n == n2 && memcmp(out, out2, n) == 0 ? "same" : "DIFFERENT");
            EVP_MD_CTX_free(ctx);
            EVP_MD_CTX_free(copy);
        }
    }
    for (size_t l = 0; l < sizeof LENS / sizeof LENS[0]; l++) {
        size_t len = LENS[l], a = len / 5;
        unsigned char o[64];
        char label[64];
#define CTXCASE(NAME, CTX, INIT, UPDATE, FINAL, ONESHOT, N)                       \
        do {                                                                  \
            CTX c;                                                            \
            INIT(&c); UPDATE(&c, buf, a); UPDATE(&c, buf + a, len - a);       \
            FINAL(o, &c);                                                     \
            snprintf(label, sizeof label, NAME "_Final(%zu)", len);            \
            hex(label, o, N);                                                 \
            ONESHOT(buf, len, o);                                             \
            snprintf(label, sizeof label, NAME "(%zu)", len);                  \
            hex(label, o, N);                                                 \
        } while (0)
        CTXCASE("MD4", MD4_CTX, MD4_Init, MD4_Update, MD4_Final, MD4, 16);
        CTXCASE("MD5", MD5_CTX, MD5_Init, MD5_Update, MD5_Final, MD5, 16);
        CTXCASE("SHA1", SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final, SHA1, 20);
        CTXCASE("SHA224", SHA256_CTX, SHA224_Init, SHA224_Update, SHA224_Final, SHA224, 28);
        CTXCASE("SHA256", SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final, SHA256, 32);
        CTXCASE("SHA384", SHA512_CTX, SHA384_Init, SHA384_Update, SHA384_Final, SHA384, 48);
        CTXCASE("SHA512", SHA512_CTX, SHA512_Init, SHA512_Update, SHA512_Final, SHA512, 64);
    }
    printf("sizeof MD4_CTX %zu\n", sizeof(MD4_CTX));
    printf("sizeof MD5_CTX %zu SHA_CTX %zu SHA256_CTX %zu SHA512_CTX %zu\n", sizeof(MD5_CTX), sizeof(SHA_CTX),
           sizeof(SHA256_CTX), sizeof(SHA512_CTX));
    free(buf);
}

static void objects(void) {
    const int nids[] = {NID_undef, NID_md5, NID_rsaEncryption, NID_commonName, NID_countryName, NID_organizationName,
                        NID_organizationalUnitName, NID_pkcs9_emailAddress, NID_sha1, NID_subject_alt_name,
                        NID_issuer_alt_name, NID_basic_constraints, NID_key_usage, NID_ext_key_usage,
                        NID_subject_key_identifier, NID_authority_key_identifier, NID_crl_distribution_points,
                        NID_certificate_policies, NID_info_access, NID_server_auth, NID_client_auth, NID_domainComponent,
                        NID_sha256WithRSAEncryption, NID_sha256, NID_sha384, NID_sha512, NID_sha224, NID_md4,
                        NID_X9_62_prime256v1, NID_secp384r1, NID_ecdsa_with_SHA256, NID_rsassaPss, NID_ED25519,
                        NID_ct_precert_scts, NID_userId, NID_streetAddress, NID_postalCode, NID_name_constraints};
    for (size_t i = 0; i < sizeof nids / sizeof nids[0]; i++) {
        const char *sn = OBJ_nid2sn(nids[i]), *ln = OBJ_nid2ln(nids[i]);
        printf("nid %d sn %s ln %s sn2nid %d ln2nid %d txt2nid %d\n", nids[i], sn, ln, sn ? OBJ_sn2nid(sn) : -1,
               ln ? OBJ_ln2nid(ln) : -1, sn ? OBJ_txt2nid(sn) : -1);
    }
    printf("sn2nid(nope) %d txt2nid(2.5.4.3) %d\n", OBJ_sn2nid("nope"), OBJ_txt2nid("2.5.4.3"));
}

static void certificate(const char *path) {
    FILE *f = fopen(path, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f) fclose(f);
    if (!x) { printf("cannot read %s\n", path); return; }
    X509_NAME *name = X509_get_subject_name(x);
    for (int i = 0; i < X509_NAME_entry_count(name); i++) {
        X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
        ASN1_STRING *d = X509_NAME_ENTRY_get_data(e);
        unsigned char *utf8 = NULL;
        int n = ASN1_STRING_to_UTF8(&utf8, d);
        char txt[80];
        OBJ_obj2txt(txt, sizeof txt, X509_NAME_ENTRY_get_object(e), 0);
        printf("entry %d %s (%s) type %d len %d data %s utf8 %d %s\n", i, OBJ_nid2ln(OBJ_obj2nid(X509_NAME_ENTRY_get_object(e))),
               txt, ASN1_STRING_type(d), ASN1_STRING_length(d), (const char *)ASN1_STRING_get0_data(d), n, utf8 ? (char *)utf8 : "-");
        OPENSSL_free(utf8);
    }
    printf("entry out of range %s\n", X509_NAME_get_entry(name, 99) ? "found" : "NULL");
    for (int i = 0; i < X509_get_ext_count(x); i++) {
        X509_EXTENSION *ext = X509_get_ext(x, i);
        char txt[80];
        OBJ_obj2txt(txt, sizeof txt, X509_EXTENSION_get_object(ext), 1);
        printf("ext %d %s %s critical %d len %d\n", i, OBJ_nid2sn(OBJ_obj2nid(X509_EXTENSION_get_object(ext))), txt,
               X509_EXTENSION_get_critical(ext), ASN1_STRING_length(X509_EXTENSION_get_data(ext)));
    }
    printf("san index %d\n", X509_get_ext_by_NID(x, NID_subject_alt_name, -1));
    int crit = 7, idx = -1;
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
    printf("san crit %d names %d\n", crit, names ? sk_GENERAL_NAME_num(names) : -1);
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_DNS || g->type == GEN_EMAIL || g->type == GEN_URI)
            printf("  type %d %s (%d)\n", g->type, (const char *)ASN1_STRING_get0_data(g->d.ia5), ASN1_STRING_length(g->d.ia5));
        else if (g->type == GEN_IPADD)
            hex("  ip", g->d.iPAddress->data, (unsigned int)g->d.iPAddress->length);
        else
            printf("  type %d\n", g->type);
    }
    GENERAL_NAMES_free(names);
    names = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, &idx);
    printf("with idx: crit %d idx %d found %d\n", crit, idx, names != NULL);
    sk_GENERAL_NAME_pop_free(names, GENERAL_NAME_free);
    names = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, &idx);
    printf("again after idx: crit %d idx %d found %d\n", crit, idx, names != NULL);
    names = X509_get_ext_d2i(x, NID_issuer_alt_name, &crit, NULL);
    printf("issuerAltName: crit %d found %d\n", crit, names != NULL);
    X509_free(x);
}

static void rand_bn_dh(void) {
    unsigned char a[32] = {0}, b[32] = {0};
    printf("RAND_bytes %d %d status %d differ %d\n", RAND_bytes(a, sizeof a), RAND_bytes(b, sizeof b), RAND_status(),
           memcmp(a, b, sizeof a) != 0);
    RAND_seed("seed", 4);
    RAND_add("more", 4, 1.0);
    printf("RAND_load_file(/dev/null) %d missing %d\n", RAND_load_file("/dev/null", -1),
           RAND_load_file("/nonexistent/seed", 1024));
    ERR_clear_error();
    char fn[256];
    setenv("RANDFILE", "/tmp/ferrotls-randfile", 1);
    printf("RAND_file_name %s small %s\n", RAND_file_name(fn, sizeof fn), RAND_file_name(fn, 4) ? "fits" : "NULL");
    unsetenv("RANDFILE");
    setenv("HOME", "/home/someone/", 1);
    printf("RAND_file_name(HOME) %s\n", RAND_file_name(fn, sizeof fn));
    static const unsigned char p[] = {0x00, 0x00, 0xff, 0xff, 0xff, 0xfb}, g[] = {0x02};
    BIGNUM *bp = BN_bin2bn(p, sizeof p, NULL), *bg = BN_bin2bn(g, sizeof g, NULL);
    unsigned char back[8];
    printf("BN bits %d bytes %d bn2bin %d", BN_num_bits(bp), BN_num_bytes(bp), BN_bn2bin(bp, back));
    hex(" back", back, (unsigned int)BN_num_bytes(bp));
    BIGNUM *w = BN_new();
    BN_set_word(w, 65537);
    printf("BN word %lu bits %d\n", BN_get_word(w), BN_num_bits(w));
    BN_free(w);
    DH *dh = DH_new();
    printf("DH_set0_pqg without p %d\n", DH_set0_pqg(dh, NULL, NULL, bg));
    printf("DH_bits(empty) %d\n", DH_bits(dh));
    int set = DH_set0_pqg(dh, bp, NULL, bg);
    printf("DH_set0_pqg %d bits %d\n", set, DH_bits(dh));
    const BIGNUM *gp = NULL, *gq = (const BIGNUM *)1, *gg = NULL;
    DH_get0_pqg(dh, &gp, &gq, &gg);
    printf("get0 p %d q %d g %d\n", gp == bp, gq == NULL, gg == bg);
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    printf("SSL_CTX_set_tmp_dh %ld\n", SSL_CTX_set_tmp_dh(ctx, dh));
    DH_free(dh);
    ERR_clear_error();
    /* A 1024-bit prime (RFC 2409's Oakley group 2) is accepted. */
    static const unsigned char p1024[] = {
        0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xC9,0x0F,0xDA,0xA2,0x21,0x68,0xC2,0x34,0xC4,0xC6,0x62,0x8B,0x80,0xDC,0x1C,0xD1,
        0x29,0x02,0x4E,0x08,0x8A,0x67,0xCC,0x74,0x02,0x0B,0xBE,0xA6,0x3B,0x13,0x9B,0x22,0x51,0x4A,0x08,0x79,0x8E,0x34,0x04,0xDD,
        0xEF,0x95,0x19,0xB3,0xCD,0x3A,0x43,0x1B,0x30,0x2B,0x0A,0x6D,0xF2,0x5F,0x14,0x37,0x4F,0xE1,0x35,0x6D,0x6D,0x51,0xC2,0x45,
        0xE4,0x85,0xB5,0x76,0x62,0x5E,0x7E,0xC6,0xF4,0x4C,0x42,0xE9,0xA6,0x37,0xED,0x6B,0x0B,0xFF,0x5C,0xB6,0xF4,0x06,0xB7,0xED,
        0xEE,0x38,0x6B,0xFB,0x5A,0x89,0x9F,0xA5,0xAE,0x9F,0x24,0x11,0x7C,0x4B,0x1F,0xE6,0x49,0x28,0x66,0x51,0xEC,0xE6,0x53,0x81,
        0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF};
    DH *dh1024 = DH_new();
    DH_set0_pqg(dh1024, BN_bin2bn(p1024, sizeof p1024, NULL), NULL, BN_bin2bn(g, sizeof g, NULL));
    SSL_CTX_set_security_level(ctx, 1);
    printf("SSL_CTX_set_tmp_dh(1024-bit, level 1) %ld bits %d\n", SSL_CTX_set_tmp_dh(ctx, dh1024), DH_bits(dh1024));
    SSL_CTX_set_security_level(ctx, 2);
    printf("SSL_CTX_set_tmp_dh(1024-bit, level 2) %ld\n", SSL_CTX_set_tmp_dh(ctx, dh1024));
    printf("error %s\n", ERR_reason_error_string(ERR_get_error()));
    ERR_clear_error();
    DH_free(dh1024);
    DH *empty = DH_new();
    printf("SSL_CTX_set_tmp_dh(empty) %d\n", SSL_CTX_set_tmp_dh(ctx, empty) > 0);
    DH_free(empty);
    ERR_clear_error();
    SSL_CTX_free(ctx);
    OPENSSL_INIT_SETTINGS *settings = OPENSSL_INIT_new();
    printf("OPENSSL_INIT appname %d init %d\n", OPENSSL_INIT_set_config_appname(settings, "app"),
           OPENSSL_init_ssl(0, settings));
    OPENSSL_INIT_free(settings);
}

/* NTLM's use of DES: 7-octet secrets spread into parity-fixed keys, ECB both ways. */
static void des(void) {
    static const unsigned char keys[][8] = {
        {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}, {0, 0, 0, 0, 0, 0, 0, 0},
        {0x13, 0x34, 0x57, 0x79, 0x9b, 0xbc, 0xdf, 0xf1}, {0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe},
        {0x1f, 0x1f, 0x1f, 0x1f, 0x0e, 0x0e, 0x0e, 0x0e}, {0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01},
    };
    static const unsigned char blocks[][8] = {
        {'N', 'o', 'w', ' ', 'i', 's', ' ', 't'}, {0, 0, 0, 0, 0, 0, 0, 0}, {'K', 'G', 'S', '!', '@', '#', '$', '%'},
        {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        DES_cblock key;
        memcpy(key, keys[k], 8);
        printf("des key %zu parity %d weak %d", k, DES_check_key_parity(&key), DES_is_weak_key(&key));
        DES_key_schedule ks;
        printf(" checked %d", DES_set_key_checked(&key, &ks));
        DES_set_odd_parity(&key);
        hex(" odd", key, 8);
        printf("  after parity: parity %d weak %d checked %d\n", DES_check_key_parity(&key), DES_is_weak_key(&key),
               DES_set_key_checked(&key, &ks));
        DES_set_key_unchecked(&key, &ks);
        for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
            DES_cblock in, out, back;
            memcpy(in, blocks[b], 8);
            DES_ecb_encrypt(&in, &out, &ks, DES_ENCRYPT);
            DES_ecb_encrypt(&out, &back, &ks, DES_DECRYPT);
            hex("  ecb", out, 8);
            printf("  round trip %s\n", memcmp(back, blocks[b], 8) == 0 ? "same" : "DIFFERENT");
        }
        printf("  DES_set_key %d\n", DES_set_key(&key, &ks));
    }
}

/* A one-way byte queue per direction; a custom BIO reads its own queue and writes its peer's. */
struct queue { unsigned char buf[1 << 16]; size_t len; };
struct end { struct queue *in, *out; const char *name; int trace; };

static int q_create(BIO *b) { BIO_set_init(b, 1); BIO_set_data(b, NULL); return 1; }
static int q_destroy(BIO *b) {
    struct end *e = BIO_get_data(b);
    if (e && e->trace) printf("  destroy %s\n", e->name);
    return 1;
}
static int q_write(BIO *b, const char *d, int n) {
    struct end *e = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    if (n <= 0 || e->out->len + (size_t)n > sizeof e->out->buf) { BIO_set_retry_write(b); return -1; }
    memcpy(e->out->buf + e->out->len, d, (size_t)n);
    e->out->len += (size_t)n;
    if (e->trace) printf("  write %s %d\n", e->name, n);
    return n;
}
static int q_read(BIO *b, char *d, int n) {
    struct end *e = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    if (e->in->len == 0) { BIO_set_retry_read(b); return -1; }
    size_t k = e->in->len < (size_t)n ? e->in->len : (size_t)n;
    memcpy(d, e->in->buf, k);
    memmove(e->in->buf, e->in->buf + k, e->in->len - k);
    e->in->len -= k;
    if (e->trace) printf("  read %s %zu\n", e->name, k);
    return (int)k;
}
static long q_ctrl(BIO *b, int cmd, long larg, void *parg) {
    (void)parg; (void)larg;
    struct end *e = BIO_get_data(b);
    if (e && e->trace) printf("  ctrl %s %d\n", e->name, cmd);
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}
static int q_puts(BIO *b, const char *s) { return q_write(b, s, (int)strlen(s)); }

static void custom_bio(const char *cert, const char *key, const char *ca) {
    int idx = BIO_get_new_index();
    BIO_METHOD *m = BIO_meth_new(idx | BIO_TYPE_SOURCE_SINK, "queue");
    printf("new index >= 128: %d, type matches %d\n", idx >= 128, 1);
    printf("set: %d %d %d %d %d %d\n", BIO_meth_set_write(m, q_write), BIO_meth_set_read(m, q_read),
           BIO_meth_set_ctrl(m, q_ctrl), BIO_meth_set_create(m, q_create), BIO_meth_set_destroy(m, q_destroy),
           BIO_meth_set_puts(m, q_puts));
    static struct queue a, z;
    struct end one = {&a, &z, "one", 1}, two = {&z, &a, "two", 1};
    BIO *b1 = BIO_new(m), *b2 = BIO_new(m);
    printf("init %d type %d name %s shutdown %d\n", BIO_get_init(b1), BIO_method_type(b1) == (idx | BIO_TYPE_SOURCE_SINK),
           BIO_method_name(b1), BIO_get_shutdown(b1));
    BIO_set_shutdown(b1, 0);
    printf("shutdown after set 0: %d\n", BIO_get_shutdown(b1));
    BIO_set_data(b1, &one);
    BIO_set_data(b2, &two);
    char buf[32] = {0};
    int r = BIO_read(b1, buf, sizeof buf);
    printf("read empty %d retry %d read-retry %d\n", r, BIO_should_retry(b1) != 0, BIO_should_read(b1) != 0);
    r = BIO_write(b1, "hello", 5);
    printf("write %d", r);
    r = BIO_puts(b1, " world");
    printf(" puts %d\n", r);
    r = BIO_read(b2, buf, sizeof buf - 1);
    printf("read %d '%s'\n", r, buf);
    r = BIO_flush(b2);
    printf("flush %d\n", r);
    size_t pend = BIO_ctrl_pending(b2);
    printf("pending %zu\n", pend);
    printf("gets without a callback %d\n", BIO_gets(b1, buf, sizeof buf));
    ERR_clear_error();
    BIO_free(b1);
    BIO_free(b2);

    /* A TLS 1.2 handshake and one record each way over two custom BIOs. */
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method()), *sctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(cctx, "AES128-SHA256");
    SSL_CTX_load_verify_locations(cctx, ca, NULL);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_use_certificate_chain_file(sctx, cert);
    SSL_CTX_use_PrivateKey_file(sctx, key, SSL_FILETYPE_PEM);
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    one.trace = two.trace = 0;
    BIO *cb = BIO_new(m), *sb = BIO_new(m);
    BIO_set_data(cb, &one);
    BIO_set_data(sb, &two);
    SSL_set_bio(c, cb, cb);
    SSL_set_bio(s, sb, sb);
    SSL_set1_host(c, "localhost");
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    int rc = 0, rs = 0;
    for (int i = 0; i < 20 && (rc != 1 || rs != 1); i++) {
        if (rc != 1) rc = SSL_do_handshake(c);
        if (rs != 1) rs = SSL_do_handshake(s);
    }
    printf("handshake client %d server %d version %s cipher %s verify %ld\n", rc, rs, SSL_get_version(c),
           SSL_CIPHER_get_name(SSL_get_current_cipher(c)), SSL_get_verify_result(c));
    char got[64] = {0};
    r = SSL_write(c, "over a custom BIO", 17);
    printf("write %d", r);
    r = SSL_read(s, got, sizeof got - 1);
    printf(" read %d '%s'\n", r, got);
    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    BIO_meth_free(m);
}

/* PEM_X509_INFO_read_bio over a chain file (curl's CA blobs) and d2i_X509_bio. */
static void x509_info(const char *chain) {
    BIO *b = BIO_new_file(chain, "r");
    STACK_OF(X509_INFO) *infos = PEM_X509_INFO_read_bio(b, NULL, NULL, NULL);
    BIO_free(b);
    printf("X509_INFO count %d\n", infos ? sk_X509_INFO_num(infos) : -1);
    for (int i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
        X509_INFO *it = sk_X509_INFO_value(infos, i);
        char name[256];
        X509_NAME_oneline(X509_get_subject_name(it->x509), name, sizeof name);
        printf("  %d %s crl %d\n", i, name, it->crl != NULL);
        if (i == 0) {
            unsigned char *der = NULL;
            int n = i2d_X509(it->x509, &der);
            BIO *m = BIO_new_mem_buf(der, n);
            X509 *back = d2i_X509_bio(m, NULL);
            printf("  d2i_X509_bio %s\n", back && X509_NAME_cmp(X509_get_subject_name(back), X509_get_subject_name(it->x509)) == 0 ? "same" : "DIFFERENT");
            X509_free(back);
            BIO_free(m);
            OPENSSL_free(der);
        }
    }
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    BIO *empty = BIO_new_mem_buf("", 0);
    infos = PEM_X509_INFO_read_bio(empty, NULL, NULL, NULL);
    printf("empty input: %d, queue %d\n", infos ? sk_X509_INFO_num(infos) : -1, ERR_peek_error() != 0);
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    BIO_free(empty);
    BIO *junk = BIO_new_mem_buf("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", -1);
    infos = PEM_X509_INFO_read_bio(junk, NULL, NULL, NULL);
    printf("bad certificate: %s\n", infos ? "accepted" : "refused");
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    BIO_free(junk);
    ERR_clear_error();
}

int main(int argc, char **argv) {
    if (argc < 5) return 2;
    digests();
    des();
    objects();
    certificate(argv[1]);
    certificate(argv[2]);
    rand_bn_dh();
    custom_bio(argv[1], argv[3], argv[4]);
    x509_info(argv[1]);
    return 0;
}
