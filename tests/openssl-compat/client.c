/* A TLS client written for OpenSSL: connects, verifies, prints what was negotiated, sends a
 * message, reads until the peer closes, shuts down. Options select the verification mode,
 * a verify callback, version pinning and cipher strings.
 *
 *   client HOST PORT [--ca FILE] [--capath DIR] [--default-paths] [--sni NAME] [--host NAME] [--method tls|tls1|tls1_1|tls1_2]
 *          [--min 0x0301] [--max 0x0303] [--cipher STR] [--send TEXT] [--verify-none]
 *          [--verify-cb accept|reject|pass] [--no-tls1_2] [--ignore-eof] [--no-read]
 *          [--depth N] [--read-once]   (read one reply, then a bidirectional SSL_shutdown: for echo peers)
 *          [--ciphersuites TLS13-LIST] [--no-tls1_3]
 *          [--sigalg]   (print SSL_get_peer_signature_nid / _type_nid and SSL_get_negotiated_group)
 *          [--groups LIST] [--sigalgs LIST]   (SSL_CTX_set1_groups_list, SSL_CTX_set1_sigalgs_list)
 */
#include "common.h"

static const char *cb_mode = NULL;

static int verify_cb(int ok, X509_STORE_CTX *store)
{
    char buf[256] = "";
    X509 *cert = X509_STORE_CTX_get_current_cert(store);
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    if (cert)
        X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof(buf));
    printf("verify_cb: ok=%d depth=%d err=%d (%s) cert=%s app=%s\n", ok, X509_STORE_CTX_get_error_depth(store),
           X509_STORE_CTX_get_error(store), X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)), buf,
           ssl ? (const char *)SSL_get_app_data(ssl) : "(no ssl)");
    if (strcmp(cb_mode, "accept") == 0)
        return 1;
    if (strcmp(cb_mode, "reject") == 0) {
        if (ok)
            X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
        return 0;
    }
    return ok;
}

int main(int argc, char **argv)
{
    const char *ca = NULL, *sni = NULL, *host = NULL, *cipher = NULL, *send = "hello\n", *method = "tls";
    const char *capath = NULL;
    int default_paths = 0;
    long min = -1, max = -1;
    const char *cert = NULL, *key = NULL, *alpn = NULL;
    const char *ciphersuites = NULL, *groups = NULL, *sigalgs = NULL;
    int no_tls13 = 0;
    int verify_none = 0, no_tls12 = 0, ignore_eof = 0, no_read = 0, read_once = 0, depth = -2, sigalg = 0;
    if (argc < 3) {
        fprintf(stderr, "usage: client HOST PORT [options]\n");
        return 2;
    }
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--ca")) { ca = v; i++; }
        else if (!strcmp(a, "--capath")) { capath = v; i++; }
        else if (!strcmp(a, "--default-paths")) default_paths = 1;
        else if (!strcmp(a, "--sni")) { sni = v; i++; }
        else if (!strcmp(a, "--host")) { host = v; i++; }
        else if (!strcmp(a, "--method")) { method = v; i++; }
        else if (!strcmp(a, "--min")) { min = strtol(v, NULL, 0); i++; }
        else if (!strcmp(a, "--max")) { max = strtol(v, NULL, 0); i++; }
        else if (!strcmp(a, "--cipher")) { cipher = v; i++; }
        else if (!strcmp(a, "--send")) { send = v; i++; }
        else if (!strcmp(a, "--verify-cb")) { cb_mode = v; i++; }
        else if (!strcmp(a, "--verify-none")) verify_none = 1;
        else if (!strcmp(a, "--no-tls1_2")) no_tls12 = 1;
        else if (!strcmp(a, "--no-tls1_3")) no_tls13 = 1;
        else if (!strcmp(a, "--ciphersuites")) { ciphersuites = v; i++; }
        else if (!strcmp(a, "--ignore-eof")) ignore_eof = 1;
        else if (!strcmp(a, "--no-read")) no_read = 1;
        else if (!strcmp(a, "--read-once")) read_once = 1;
        else if (!strcmp(a, "--sigalg")) sigalg = 1;
        else if (!strcmp(a, "--groups")) { groups = v; i++; }
        else if (!strcmp(a, "--sigalgs")) { sigalgs = v; i++; }
        else if (!strcmp(a, "--depth")) { depth = atoi(v); i++; }
        else if (!strcmp(a, "--cert")) { cert = v; i++; }
        else if (!strcmp(a, "--key")) { key = v; i++; }
        else if (!strcmp(a, "--alpn")) { alpn = v; i++; }
        else { fprintf(stderr, "unknown option %s\n", a); return 2; }
    }

    OPENSSL_init_ssl(0, NULL);
    const SSL_METHOD *m = !strcmp(method, "tls1")     ? TLSv1_client_method()
                          : !strcmp(method, "tls1_1") ? TLSv1_1_client_method()
                          : !strcmp(method, "tls1_2") ? TLSv1_2_client_method()
                                                      : TLS_client_method();
    SSL_CTX *ctx = SSL_CTX_new(m);
    if (!ctx) { print_errors("ctx"); return 1; }
    if (ca && SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) { print_errors("load_verify"); return 1; }
    if (capath) printf("load_verify_dir: %d\n", SSL_CTX_load_verify_dir(ctx, capath));
    if (default_paths) printf("set_default_verify_paths: %d\n", SSL_CTX_set_default_verify_paths(ctx));
    if (cert && (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)) {
        print_errors("client certificate");
        return 1;
    }
    if (min >= 0) printf("set_min: %ld\n", SSL_CTX_set_min_proto_version(ctx, min));
    if (max >= 0) printf("set_max: %ld\n", SSL_CTX_set_max_proto_version(ctx, max));
    if (no_tls12) SSL_CTX_set_options(ctx, SSL_OP_NO_TLSv1_2);
    if (no_tls13) printf("options: no_tls1_3 %d\n", (SSL_CTX_set_options(ctx, SSL_OP_NO_TLSv1_3) & SSL_OP_NO_TLSv1_3) != 0);
    if (groups) {
        /* An unknown name fails and queues an error (the texts differ: not printed). */
        int r = (int)SSL_CTX_set1_groups_list(ctx, groups);
        printf("groups_list: %d\n", r);
        if (!r) { printf("error queued: %d\n", ERR_peek_error() != 0); return 1; }
    }
    if (sigalgs) {
        int r = (int)SSL_CTX_set1_sigalgs_list(ctx, sigalgs);
        printf("sigalgs_list: %d\n", r);
        if (!r) { printf("error queued: %d\n", ERR_peek_error() != 0); return 1; }
    }
    if (ciphersuites) {
        int r = SSL_CTX_set_ciphersuites(ctx, ciphersuites);
        printf("ciphersuites: %d\n", r);
        if (!r) { print_errors("ciphersuites"); return 1; }
    }
    if (ignore_eof) SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    if (cipher) {
        int r = SSL_CTX_set_cipher_list(ctx, cipher);
        printf("cipher_list: %d\n", r);
        if (!r) { print_errors("cipher_list"); return 1; }
    }
    SSL_CTX_set_verify(ctx, verify_none ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, cb_mode ? verify_cb : NULL);
    if (depth != -2)
        SSL_CTX_set_verify_depth(ctx, depth);

    int fd = tcp_connect(argv[1], atoi(argv[2]));
    if (fd < 0) { perror("connect"); return 1; }
    SSL *ssl = SSL_new(ctx);
    SSL_set_app_data(ssl, (char *)"client-app-data");
    SSL_set_fd(ssl, fd);
    printf("get_fd: %s\n", SSL_get_fd(ssl) == fd ? "same" : "different");
    if (sni) printf("set_sni: %ld\n", SSL_set_tlsext_host_name(ssl, sni));
    if (host) printf("set1_host: %d\n", SSL_set1_host(ssl, host));
    if (alpn) {
        /* The context's list, then the connection's (OpenSSL's inverted return: 0 is success). */
        unsigned char wire[256];
        unsigned int n = alpn_wire(alpn, wire, sizeof wire);
        printf("ctx_set_alpn_protos: %d\n", SSL_CTX_set_alpn_protos(ctx, (const unsigned char *)"\x05" "bogus", 6));
        printf("set_alpn_protos: %d\n", SSL_set_alpn_protos(ssl, wire, n));
    }
    printf("state before: %s\n", SSL_state_string_long(ssl));

    int r = SSL_connect(ssl);
    printf("connect: %d %s\n", r, error_name(SSL_get_error(ssl, r)));
    long vr = SSL_get_verify_result(ssl);
    printf("verify_result: %ld (%s)\n", vr, X509_verify_cert_error_string(vr));
    if (r != 1) {
        print_errors("connect");
        SSL_free(ssl);
        close(fd);
        SSL_CTX_free(ctx);
        return 3;
    }
    printf("state after: %s %s\n", SSL_state_string(ssl), SSL_state_string_long(ssl));
    printf("version: %s 0x%04x\n", SSL_get_version(ssl), SSL_version(ssl));
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    int alg = 0, bits = SSL_CIPHER_get_bits(c, &alg);
    printf("cipher: %s std=%s bits=%d/%d version=%s id=0x%08x proto=0x%04x\n", SSL_CIPHER_get_name(c),
           SSL_CIPHER_standard_name(c), bits, alg, SSL_CIPHER_get_version(c), (unsigned)SSL_CIPHER_get_id(c),
           SSL_CIPHER_get_protocol_id(c));
    char desc[256];
    printf("description: %s", SSL_CIPHER_description(c, desc, sizeof(desc)));
    printf("get_cipher: %s bits=%d\n", SSL_get_cipher(ssl), SSL_get_cipher_bits(ssl, NULL));
    printf("extms: %ld reused: %d\n", SSL_get_extms_support(ssl), SSL_session_reused(ssl));
    print_alpn_selected(ssl);
    const char *sn = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    printf("servername: %s\n", sn ? sn : "(none)");
    if (sigalg) {
        int hash = -1, type = -1;
        long r1 = SSL_get_peer_signature_nid(ssl, &hash);
        int r2 = SSL_get_peer_signature_type_nid(ssl, &type);
        printf("peer signature: nid %ld hash=%d, type_nid %d type=%d\n", r1, hash, r2, type);
        printf("negotiated group: %ld\n", (long)SSL_get_negotiated_group(ssl));
    }
    X509 *peer = SSL_get1_peer_certificate(ssl);
    if (peer) {
        print_name("peer subject", X509_get_subject_name(peer));
        print_name("peer issuer", X509_get_issuer_name(peer));
        X509_free(peer);
    }
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    printf("peer chain: %d\n", chain ? sk_X509_num(chain) : -1);
    for (int i = 0; chain && i < sk_X509_num(chain); i++) {
        char buf[256];
        X509_NAME_oneline(X509_get_subject_name(sk_X509_value(chain, i)), buf, sizeof(buf));
        printf("  %d %s\n", i, buf);
    }

    if (send && *send) {
        r = SSL_write(ssl, send, (int)strlen(send));
        printf("write: %d %s\n", r, error_name(SSL_get_error(ssl, r)));
    }
    if (read_once) {
        char buf[4096];
        r = SSL_peek(ssl, buf, sizeof(buf) - 1);
        printf("peek: %d pending=%d has_pending=%d\n", r > 0 ? 1 : r, SSL_pending(ssl) > 0, SSL_has_pending(ssl));
        r = SSL_read(ssl, buf, sizeof(buf) - 1);
        if (r > 0) {
            buf[r] = 0;
            printf("read: %s%s", buf, buf[r - 1] == '\n' ? "" : "\n");
        }
        r = SSL_shutdown(ssl);
        printf("shutdown 1: %d shutdown=%d\n", r, SSL_get_shutdown(ssl));
        r = SSL_shutdown(ssl);
        printf("shutdown 2: %d shutdown=%d\n", r, SSL_get_shutdown(ssl));
        r = SSL_read(ssl, buf, sizeof(buf));
        printf("read after shutdown: %d %s\n", r, error_name(SSL_get_error(ssl, r)));
        print_errors("read");
    } else if (!no_read) {
        char buf[4096];
        size_t total = 0;
        for (;;) {
            r = SSL_read(ssl, buf, sizeof(buf) - 1);
            if (r <= 0)
                break;
            buf[r] = 0;
            total += (size_t)r;
            printf("read: %s", buf);
            if (buf[r - 1] != '\n')
                printf("\n");
        }
        int saved_errno = errno;
        int e = SSL_get_error(ssl, r);
        printf("read end: %d %s (total %zu) shutdown=%d\n", r, error_name(e), total, SSL_get_shutdown(ssl));
        if (e == SSL_ERROR_SYSCALL)
            printf("errno: %s queue empty: %d\n", strerror(saved_errno), ERR_peek_error() == 0);
        print_errors("read");
        if (e == SSL_ERROR_ZERO_RETURN) {
            r = SSL_read(ssl, buf, sizeof(buf));
            printf("read again: %d %s\n", r, error_name(SSL_get_error(ssl, r)));
        }
        if (e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_NONE) {
            r = SSL_shutdown(ssl);
            printf("shutdown: %d shutdown=%d\n", r, SSL_get_shutdown(ssl));
            r = SSL_write(ssl, "x", 1);
            printf("write after shutdown: %d %s\n", r, error_name(SSL_get_error(ssl, r)));
            print_errors("write");
        }
    }
    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(ctx);
    return 0;
}
