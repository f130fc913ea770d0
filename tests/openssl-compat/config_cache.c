/* Many connections of one pair of contexts, with settings changed between them: each change
 * (the server's certificate and key, a cipher list, the TLS 1.3 suites, the ALPN callback,
 * the client's verify mode) takes effect on the next handshake, and the callbacks of
 * interleaved connections (verify, keylog, new-session) get the SSL they belong to. ferrotls
 * builds one configuration per context and settings state and reuses it (issue 16): this is
 * what a stale or shared-by-mistake configuration would get wrong.
 *
 *   config_cache CA.pem CHAIN.pem KEY.pem ECDSA_CA.pem ECDSA_LEAF.pem ECDSA_KEY.pem
 */
#include "common.h"

/* What the callbacks saw, per SSL (its app data). */
struct seen {
    const char *name;
    int verify_calls;
    int keylog_lines;
    int sessions;
};

static int verify_cb(int ok, X509_STORE_CTX *x)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
    struct seen *s = SSL_get_app_data(ssl);
    if (s)
        s->verify_calls++;
    return ok;
}

static void keylog_cb(const SSL *ssl, const char *line)
{
    (void)line;
    struct seen *s = SSL_get_app_data(ssl);
    if (s)
        s->keylog_lines++;
}

static int new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
    (void)sess;
    struct seen *s = SSL_get_app_data(ssl);
    if (s)
        s->sessions++;
    return 0;
}

static int alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                   unsigned int inlen, void *arg)
{
    (void)ssl;
    (void)arg;
    unsigned char *o = NULL;
    if (SSL_select_next_proto(&o, outlen, (const unsigned char *)"\x02h2", 3, in, inlen) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = o;
    return SSL_TLSEXT_ERR_OK;
}

struct conn {
    SSL *c, *s;
    struct seen seen;
};

static void conn_new(struct conn *k, SSL_CTX *cctx, SSL_CTX *sctx, const char *name)
{
    memset(&k->seen, 0, sizeof(k->seen));
    k->seen.name = name;
    k->c = SSL_new(cctx);
    k->s = SSL_new(sctx);
    BIO *cb = NULL, *sb = NULL;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(k->c, cb, cb);
    SSL_set_bio(k->s, sb, sb);
    SSL_set_connect_state(k->c);
    SSL_set_accept_state(k->s);
    SSL_set1_host(k->c, "localhost");
    SSL_set_app_data(k->c, &k->seen);
}

/* One step of each side; returns 1 once both finished. */
static int conn_step(struct conn *k)
{
    int rc = SSL_do_handshake(k->c);
    int rs = SSL_do_handshake(k->s);
    return rc == 1 && rs == 1;
}

static void conn_report(struct conn *k)
{
    /* TLS 1.3 tickets arrive with the client's first read after the handshake. */
    char buf[16];
    SSL_write(k->s, "x", 1);
    SSL_read(k->c, buf, sizeof(buf));
    X509 *peer = SSL_get1_peer_certificate(k->c);
    char issuer[256] = "(none)";
    if (peer)
        X509_NAME_oneline(X509_get_issuer_name(peer), issuer, sizeof(issuer));
    printf("%s: %s %s verify=%ld issuer=%s\n", k->seen.name, SSL_get_version(k->c), SSL_get_cipher(k->c),
           SSL_get_verify_result(k->c), issuer);
    print_alpn_selected(k->c);
    printf("%s: callbacks: verify %s, keylog lines %d, sessions %d\n", k->seen.name,
           k->seen.verify_calls ? "ran" : "did not run", k->seen.keylog_lines, k->seen.sessions);
    X509_free(peer);
}

static void conn_free(struct conn *k)
{
    SSL_free(k->c);
    SSL_free(k->s);
}

/* One connection, start to end. */
static void one(SSL_CTX *cctx, SSL_CTX *sctx, const char *name)
{
    struct conn k;
    conn_new(&k, cctx, sctx, name);
    int done = 0;
    for (int i = 0; i < 10 && !done; i++)
        done = conn_step(&k);
    if (!done) {
        printf("%s: handshake failed\n", name);
        print_errors(name);
    } else {
        conn_report(&k);
    }
    conn_free(&k);
}

int main(int argc, char **argv)
{
    if (argc < 7)
        return 2;
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_load_verify_locations(cctx, argv[1], NULL);
    SSL_CTX_load_verify_locations(cctx, argv[4], NULL);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, verify_cb);
    SSL_CTX_set_keylog_callback(cctx, keylog_cb);
    SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(cctx, new_session_cb);
    SSL_CTX_use_certificate_chain_file(sctx, argv[2]);
    SSL_CTX_use_PrivateKey_file(sctx, argv[3], SSL_FILETYPE_PEM);
    SSL_CTX_set_cipher_list(cctx, "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305");
    SSL_CTX_set_cipher_list(sctx, "ECDHE-RSA-AES128-GCM-SHA256");
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    unsigned char protos[32];
    unsigned int plen = alpn_wire("h2,http/1.1", protos, sizeof(protos));
    SSL_CTX_set_alpn_protos(cctx, protos, plen);

    printf("-- TLS 1.2, same settings twice\n");
    one(cctx, sctx, "first");
    one(cctx, sctx, "second");

    printf("-- server cipher list changed\n");
    SSL_CTX_set_cipher_list(sctx, "ECDHE-RSA-AES256-GCM-SHA384");
    one(cctx, sctx, "third");

    printf("-- server ALPN callback set\n");
    SSL_CTX_set_alpn_select_cb(sctx, alpn_cb, NULL);
    one(cctx, sctx, "fourth");

    printf("-- server certificate and key changed (ECDSA)\n");
    SSL_CTX_use_certificate_file(sctx, argv[5], SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(sctx, argv[6], SSL_FILETYPE_PEM);
    SSL_CTX_set_cipher_list(sctx, "ECDHE-ECDSA-CHACHA20-POLY1305");
    one(cctx, sctx, "fifth");

    printf("-- client verify off, callback gone\n");
    SSL_CTX_set_verify(cctx, SSL_VERIFY_NONE, NULL);
    one(cctx, sctx, "sixth");

    printf("-- TLS 1.3, then the server's TLS 1.3 suites changed\n");
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, verify_cb);
    SSL_CTX_set_max_proto_version(cctx, TLS1_3_VERSION);
    one(cctx, sctx, "seventh");
    SSL_CTX_set_ciphersuites(sctx, "TLS_CHACHA20_POLY1305_SHA256");
    one(cctx, sctx, "eighth");

    printf("-- two TLS 1.3 connections interleaved, then one of them alone\n");
    SSL_CTX_set_num_tickets(sctx, 3);
    struct conn a, b;
    conn_new(&a, cctx, sctx, "interleaved a");
    conn_new(&b, cctx, sctx, "interleaved b");
    int da = 0, db = 0;
    for (int i = 0; i < 10 && !(da && db); i++) {
        if (!da)
            da = conn_step(&a);
        if (!db)
            db = conn_step(&b);
    }
    conn_report(&a);
    conn_report(&b);
    conn_free(&a);
    conn_free(&b);
    SSL_CTX_set_num_tickets(sctx, 1);
    one(cctx, sctx, "ninth");

    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}
