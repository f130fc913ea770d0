/* Mutual authentication over a BIO pair: a server that requires a client certificate
 * (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, client CA names from the CA file) and a
 * client that has one (leaf + intermediate). Differential: both builds print the same.
 *
 *   mutual CA.pem CHAIN.pem KEY.pem CLIENT-CHAIN.pem CLIENT.key [SERVER-CAS.pem]
 *
 * With SERVER-CAS.pem the server trusts that file and sets no client CA list, so that the CA
 * names it sends are every trusted subject (OpenSSL's SSL_get_client_CA_list is empty then;
 * ferrotls' layer lists the store).
 */
#include "common.h"

int main(int argc, char **argv)
{
    if (argc < 6)
        return 2;
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_load_verify_locations(cctx, argv[1], NULL);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_use_certificate_chain_file(cctx, argv[4]);
    SSL_CTX_use_PrivateKey_file(cctx, argv[5], SSL_FILETYPE_PEM);
    SSL_CTX_use_certificate_chain_file(sctx, argv[2]);
    SSL_CTX_use_PrivateKey_file(sctx, argv[3], SSL_FILETYPE_PEM);
    if (argc > 6) {
        printf("server trusts %d certificates\n", SSL_CTX_load_verify_locations(sctx, argv[6], NULL));
    } else {
        SSL_CTX_load_verify_locations(sctx, argv[1], NULL);
        SSL_CTX_set_client_CA_list(sctx, SSL_load_client_CA_file(argv[1]));
    }
    SSL_CTX_set_verify(sctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION);
    SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
    BIO *cb = NULL, *sb = NULL;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(c, cb, cb);
    SSL_set_bio(s, sb, sb);
    SSL_set_connect_state(c);
    SSL_set_accept_state(s);
    int cr = 0, sr = 0;
    for (int i = 0; i < 10 && !(cr == 1 && sr == 1); i++) {
        if (cr != 1 && (cr = SSL_do_handshake(c)) <= 0 && SSL_get_error(c, cr) != SSL_ERROR_WANT_READ)
            break;
        if (sr != 1 && (sr = SSL_do_handshake(s)) <= 0 && SSL_get_error(s, sr) != SSL_ERROR_WANT_READ)
            break;
    }
    printf("client: %d server: %d\n", cr, sr);
    X509 *peer = SSL_get1_peer_certificate(s);
    if (peer) {
        print_name("server sees client", X509_get_subject_name(peer));
        X509_free(peer);
    }
    ERR_print_errors_fp(stdout);
    SSL_free(c);
    SSL_free(s);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}
