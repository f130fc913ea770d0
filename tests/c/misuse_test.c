/* Misuse of the C API must be refused with an error, never crash: NULL for every pointer
 * argument, calls in the wrong state, zero and huge lengths, frees through NULL-ed handles,
 * configurations outliving their builders. Run plain, under ASan/UBSan and under Valgrind.
 *
 *   misuse_test CA.pem CHAIN.pem KEY.pem */
#include <ferrotls.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

#define NUL FERROTLS_NULL_ARGUMENT
#define HUGE_LEN ((size_t)-1)

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    uint8_t buf[64];
    size_t n = 12345;
    const uint8_t *p = NULL;
    int64_t t1, t2;

    /* Every constructor with NULL out-params and NULL inputs. */
    CHECK_RC(ferrotls_trust_store_new(NULL), NUL);
    CHECK_RC(ferrotls_client_config_builder_new(NULL), NUL);
    CHECK_RC(ferrotls_server_config_builder_new(NULL), NUL);
    ferrotls_cert *cert = NULL;
    ferrotls_cert_chain *chain = NULL;
    ferrotls_private_key *key = NULL, *key2 = NULL;
    CHECK_RC(ferrotls_cert_from_der(NULL, 10, &cert), NUL);
    CHECK_RC(ferrotls_cert_from_der(buf, 10, NULL), NUL);
    CHECK_RC(ferrotls_cert_from_der(buf, 0, &cert), FERROTLS_CERT_BAD_ENCODING);
    CHECK_RC(ferrotls_cert_from_der(buf, HUGE_LEN, &cert), FERROTLS_INVALID_ARGUMENT);
    CHECK(cert == NULL); /* out-params untouched on failure */
    CHECK_RC(ferrotls_cert_from_pem(NULL, 1, &cert), NUL);
    CHECK_RC(ferrotls_cert_from_pem((const uint8_t *)"x", 1, NULL), NUL);
    CHECK_RC(ferrotls_cert_from_pem((const uint8_t *)"no pem here", 11, &cert), FERROTLS_PEM_NO_CERTIFICATES);
    CHECK_RC(ferrotls_cert_chain_from_pem(NULL, 1, &chain), NUL);
    CHECK_RC(ferrotls_cert_chain_from_pem((const uint8_t *)"x", 1, NULL), NUL);
    CHECK_RC(ferrotls_cert_chain_from_file(NULL, &chain), NUL);
    CHECK_RC(ferrotls_cert_chain_from_file(argv[2], NULL), NUL);
    CHECK_RC(ferrotls_cert_chain_from_file("/nonexistent/chain.pem", &chain), FERROTLS_IO_FILE);
    CHECK(strstr(ferrotls_last_error(), "/nonexistent/chain.pem") != NULL);
    CHECK_RC(ferrotls_private_key_from_pem(NULL, 1, &key), NUL);
    CHECK_RC(ferrotls_private_key_from_pem((const uint8_t *)"x", 1, NULL), NUL);
    CHECK_RC(ferrotls_private_key_from_pem((const uint8_t *)"nothing", 7, &key), FERROTLS_PEM_NO_PRIVATE_KEY);
    CHECK_RC(ferrotls_private_key_from_file(NULL, &key), NUL);
    CHECK_RC(ferrotls_private_key_from_file(argv[3], NULL), NUL);
    CHECK_RC(ferrotls_private_key_from_file(argv[1], &key), FERROTLS_PEM_NO_PRIVATE_KEY); /* a certificate file */
    CHECK(key == NULL && chain == NULL);

    /* Accessors on NULL handles. */
    CHECK_RC(ferrotls_cert_der(NULL, &p, &n), NUL);
    CHECK(ferrotls_cert_subject(NULL) == NULL && ferrotls_cert_issuer(NULL) == NULL);
    CHECK(ferrotls_cert_subject_oneline(NULL) == NULL && ferrotls_cert_issuer_oneline(NULL) == NULL);
    CHECK(ferrotls_cert_serial(NULL) == NULL && ferrotls_cert_not_before(NULL) == NULL && ferrotls_cert_not_after(NULL) == NULL);
    CHECK(ferrotls_cert_signature_algorithm(NULL) == NULL && ferrotls_cert_public_key_algorithm(NULL) == NULL);
    CHECK(ferrotls_cert_to_json(NULL) == NULL && ferrotls_cert_subject_alt_name(NULL, 0) == NULL);
    CHECK_RC(ferrotls_cert_validity(NULL, &t1, &t2), NUL);
    CHECK(ferrotls_cert_public_key_bits(NULL) == 0 && !ferrotls_cert_is_ca(NULL) && ferrotls_cert_subject_alt_name_count(NULL) == 0);
    CHECK(ferrotls_cert_chain_len(NULL) == 0 && ferrotls_cert_chain_get(NULL, 0) == NULL);
    CHECK(ferrotls_trust_store_len(NULL) == 0);
    CHECK(ferrotls_client_config_builder_last_error(NULL) == NULL && ferrotls_server_config_builder_last_error(NULL) == NULL);
    CHECK(ferrotls_conn_last_error(NULL) == NULL);

    /* Real objects, then NULL for each remaining argument. */
    ferrotls_trust_store *store = NULL;
    CHECK_RC(ferrotls_trust_store_new(&store), FERROTLS_OK);
    CHECK_RC(ferrotls_trust_store_add_pem(NULL, buf, 1, &n), NUL);
    CHECK_RC(ferrotls_trust_store_add_pem(store, NULL, 1, &n), NUL);
    CHECK_RC(ferrotls_trust_store_add_pem(store, buf, HUGE_LEN, &n), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_trust_store_add_file(NULL, argv[1], NULL), NUL);
    CHECK_RC(ferrotls_trust_store_add_file(store, NULL, NULL), NUL);
    CHECK_RC(ferrotls_trust_store_add_file(store, "/nonexistent", NULL), FERROTLS_IO_FILE);
    CHECK_RC(ferrotls_trust_store_add_file(store, "/dev/null", NULL), FERROTLS_PEM_NO_CERTIFICATES);
    CHECK_RC(ferrotls_trust_store_add_cert(NULL, NULL), NUL);
    CHECK_RC(ferrotls_trust_store_add_cert(store, NULL), NUL);
    CHECK(ferrotls_trust_store_len(store) == 0);
    CHECK_RC(ferrotls_cert_chain_from_file(argv[2], &chain), FERROTLS_OK);
    CHECK_RC(ferrotls_private_key_from_file(argv[3], &key), FERROTLS_OK);
    CHECK(ferrotls_cert_chain_get(chain, 99) == NULL);
    CHECK(ferrotls_cert_subject_alt_name(ferrotls_cert_chain_get(chain, 0), 99) == NULL);
    CHECK_RC(ferrotls_cert_der(ferrotls_cert_chain_get(chain, 0), NULL, &n), NUL);
    CHECK_RC(ferrotls_cert_der(ferrotls_cert_chain_get(chain, 0), &p, NULL), NUL);
    CHECK_RC(ferrotls_cert_validity(ferrotls_cert_chain_get(chain, 0), NULL, &t2), NUL);
    CHECK_RC(ferrotls_cert_validity(ferrotls_cert_chain_get(chain, 0), &t1, NULL), NUL);

    /* Builders: NULL handles, bad values, failing builds with messages. */
    ferrotls_client_config_builder *cb = NULL;
    ferrotls_client_config *cc = NULL;
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_versions(NULL, 0, 0), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0x0300, 0), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, 0x0305), FERROTLS_INVALID_ARGUMENT);
    CHECK(strstr(ferrotls_client_config_builder_last_error(cb), "0x0305") != NULL);
    CHECK_RC(ferrotls_client_config_builder_set_cipher_list(NULL, "AES128-SHA"), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_cipher_list(cb, "\xff\xfe"), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_client_config_builder_set_legacy(NULL, true), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_extended_master_secret(NULL, true), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_encrypt_then_mac(NULL, true), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(NULL, store), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_trust_store(cb, NULL), NUL);
    CHECK_RC(ferrotls_client_config_builder_dangerous_no_verify(NULL), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_enable_sni(NULL, true), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_send_fallback_scsv(NULL, true), NUL);
    CHECK_RC(ferrotls_client_config_builder_build(NULL, &cc), NUL);
    CHECK_RC(ferrotls_client_config_builder_build(cb, NULL), NUL);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_BAD_CONFIG); /* no trust anchors */
    CHECK(strstr(ferrotls_client_config_builder_last_error(cb), "verify") != NULL && cc == NULL);
    CHECK_RC(ferrotls_client_config_builder_dangerous_no_verify(cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, FERROTLS_TLS1_0, FERROTLS_TLS1_2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_BAD_CONFIG); /* 1.0 without legacy */
    CHECK(strstr(ferrotls_client_config_builder_last_error(cb), "legacy") != NULL);
    CHECK_RC(ferrotls_client_config_builder_set_versions(cb, 0, 0), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_cipher_list(cb, "RC4-SHA"), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_BAD_CONFIG);
    CHECK_RC(ferrotls_client_config_builder_set_cipher_list(cb, "NOT-A-SUITE"), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_BAD_CONFIG);
    CHECK_RC(ferrotls_client_config_builder_set_cipher_list(cb, NULL), FERROTLS_OK); /* back to default */
    /* ALPN: NULL arrays and NULL elements are refused; bad names are refused at build. */
    ferrotls_slice_bytes alpn[2] = {{(const uint8_t *)"h2", 2}, {NULL, 3}};
    CHECK_RC(ferrotls_client_config_builder_set_alpn_protocols(NULL, alpn, 1), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_alpn_protocols(cb, NULL, 1), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_alpn_protocols(cb, alpn, 2), NUL); /* alpn[1].data */
    CHECK(strstr(ferrotls_client_config_builder_last_error(cb), "protocols[1].data") != NULL);
    CHECK_RC(ferrotls_client_config_builder_set_alpn_protocols(cb, alpn, HUGE_LEN), FERROTLS_INVALID_ARGUMENT);
    alpn[1].len = 0; /* an empty name: accepted by the setter, refused at build */
    CHECK_RC(ferrotls_client_config_builder_set_alpn_protocols(cb, alpn, 2), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_BAD_CONFIG);
    CHECK(strstr(ferrotls_client_config_builder_last_error(cb), "ALPN") != NULL);
    CHECK_RC(ferrotls_client_config_builder_set_alpn_protocols(cb, NULL, 0), FERROTLS_OK); /* ALPN off */
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc), FERROTLS_OK);
    /* The config outlives its builder, and the builder can build again before it goes. */
    ferrotls_client_config *cc2 = NULL;
    CHECK_RC(ferrotls_client_config_builder_build(cb, &cc2), FERROTLS_OK);
    ferrotls_client_config_free(cc2);
    ferrotls_client_config_builder_free(cb);
    cb = NULL;
    CHECK_RC(ferrotls_client_config_builder_set_legacy(cb, true), NUL); /* the NULL-ed handle */
    ferrotls_client_config_builder_free(cb);                           /* free(NULL): no-op */

    ferrotls_server_config_builder *sb = NULL;
    ferrotls_server_config *sc = NULL;
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_versions(NULL, 0, 0), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_versions(sb, 1, 2), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_server_config_builder_set_cipher_list(NULL, NULL), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_legacy(NULL, false), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_extended_master_secret(NULL, false), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_encrypt_then_mac(NULL, false), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(NULL, chain, key), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, NULL, key), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_alpn_protocols(NULL, alpn, 1), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_alpn_protocols(sb, NULL, 2), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, NULL), NUL);
    CHECK_RC(ferrotls_server_config_builder_build(NULL, &sc), NUL);
    CHECK_RC(ferrotls_server_config_builder_build(sb, NULL), NUL);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_BAD_CONFIG); /* no certificate */
    CHECK(strstr(ferrotls_server_config_builder_last_error(sb), "certificate") != NULL);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc), FERROTLS_OK);
    ferrotls_server_config_builder_free(sb);
    sb = NULL;
    ferrotls_server_config_builder_free(sb);

    /* Connections: NULL arguments and wrong states. */
    ferrotls_conn *conn = NULL;
    CHECK_RC(ferrotls_conn_new_client(NULL, "localhost", &conn), NUL);
    CHECK_RC(ferrotls_conn_new_client(cc, NULL, &conn), NUL);
    CHECK_RC(ferrotls_conn_new_client(cc, "localhost", NULL), NUL);
    CHECK_RC(ferrotls_conn_new_client(cc, "not a host name!", &conn), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_conn_new_server(NULL, &conn), NUL);
    CHECK_RC(ferrotls_conn_new_server(sc, NULL), NUL);
    CHECK_RC(ferrotls_conn_new_client(cc, "localhost", &conn), FERROTLS_OK);
    ferrotls_client_config_free(cc); /* the connection keeps its own reference */
    CHECK_RC(ferrotls_conn_set_fd(NULL, 0), NUL);
    CHECK_RC(ferrotls_conn_set_fd(conn, -1), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_conn_set_io_callbacks(NULL, NULL, NULL, NULL), NUL);
    CHECK_RC(ferrotls_conn_set_io_callbacks(conn, NULL, NULL, NULL), NUL);
    CHECK_RC(ferrotls_conn_handshake(NULL), NUL);
    CHECK_RC(ferrotls_conn_handshake(conn), FERROTLS_NO_TRANSPORT); /* no fd, no callbacks */
    p = buf;
    n = 12345;
    CHECK_RC(ferrotls_conn_alpn_protocol(NULL, &p, &n), NUL);
    CHECK_RC(ferrotls_conn_alpn_protocol(conn, NULL, &n), NUL);
    CHECK_RC(ferrotls_conn_alpn_protocol(conn, &p, NULL), NUL);
    CHECK(p == buf && n == 12345); /* out-params untouched on failure */
    CHECK_RC(ferrotls_conn_alpn_protocol(conn, &p, &n), FERROTLS_OK); /* nothing agreed yet */
    CHECK(p == NULL && n == 0);
    CHECK(strstr(ferrotls_conn_last_error(conn), "set_fd") != NULL);
    CHECK_RC(ferrotls_conn_read(NULL, buf, sizeof buf, &n), NUL);
    CHECK_RC(ferrotls_conn_read(conn, NULL, 10, &n), NUL);
    CHECK_RC(ferrotls_conn_read(conn, buf, sizeof buf, NULL), NUL);
    CHECK_RC(ferrotls_conn_read(conn, buf, sizeof buf, &n), FERROTLS_NO_TRANSPORT);
    CHECK_RC(ferrotls_conn_write(NULL, buf, 1, &n), NUL);
    CHECK_RC(ferrotls_conn_write(conn, NULL, 1, &n), NUL);
    CHECK_RC(ferrotls_conn_write(conn, buf, 1, NULL), NUL);
    CHECK_RC(ferrotls_conn_write(conn, buf, HUGE_LEN, &n), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_conn_flush(NULL), NUL);
    CHECK_RC(ferrotls_conn_flush(conn), FERROTLS_NO_TRANSPORT);
    CHECK_RC(ferrotls_conn_shutdown(NULL), NUL);
    CHECK_RC(ferrotls_conn_shutdown(conn), FERROTLS_NO_TRANSPORT);
    CHECK_RC(ferrotls_conn_feed_tls(NULL, buf, 1, &n), NUL);
    CHECK_RC(ferrotls_conn_feed_tls(conn, NULL, 1, &n), NUL);
    CHECK_RC(ferrotls_conn_feed_tls(conn, buf, 1, NULL), NUL);
    CHECK_RC(ferrotls_conn_feed_tls(conn, NULL, 0, &n), FERROTLS_OK); /* zero length: any pointer */
    CHECK(n == 0);
    CHECK_RC(ferrotls_conn_feed_eof(NULL), NUL);
    CHECK_RC(ferrotls_conn_process(NULL), NUL);
    CHECK_RC(ferrotls_conn_take_tls(NULL, buf, sizeof buf, &n), NUL);
    CHECK_RC(ferrotls_conn_take_tls(conn, NULL, 10, &n), NUL);
    CHECK_RC(ferrotls_conn_take_tls(conn, buf, sizeof buf, NULL), NUL);
    CHECK_RC(ferrotls_conn_take_tls(conn, buf, 0, &n), FERROTLS_OK);
    CHECK(n == 0 && ferrotls_conn_wants_write(conn)); /* the ClientHello is still queued */
    CHECK(!ferrotls_conn_wants_write(NULL));
    CHECK_RC(ferrotls_conn_write_plaintext(NULL, buf, 1, &n), NUL);
    CHECK_RC(ferrotls_conn_write_plaintext(conn, NULL, 1, &n), NUL);
    CHECK_RC(ferrotls_conn_write_plaintext(conn, buf, 1, NULL), NUL);
    CHECK_RC(ferrotls_conn_read_plaintext(NULL, buf, 1, &n), NUL);
    CHECK_RC(ferrotls_conn_read_plaintext(conn, NULL, 1, &n), NUL);
    CHECK_RC(ferrotls_conn_read_plaintext(conn, buf, 1, NULL), NUL);
    CHECK_RC(ferrotls_conn_read_plaintext(conn, buf, sizeof buf, &n), FERROTLS_WANT_READ); /* nothing yet */
    CHECK_RC(ferrotls_conn_send_close_notify(NULL), NUL);
    CHECK(!ferrotls_conn_is_handshaking(NULL) && !ferrotls_conn_peer_has_closed(NULL));
    CHECK(ferrotls_conn_protocol_version(NULL) == 0 && ferrotls_conn_cipher_suite(NULL) == 0);
    CHECK(ferrotls_conn_protocol_version(conn) == 0 && ferrotls_conn_protocol_version_name(conn) == NULL);
    CHECK(ferrotls_conn_protocol_version_name(NULL) == NULL && ferrotls_conn_cipher_suite_name(NULL) == NULL);
    CHECK(ferrotls_conn_cipher_suite_name(conn) == NULL && ferrotls_conn_cipher_suite_openssl_name(NULL) == NULL);
    CHECK(!ferrotls_conn_extended_master_secret(NULL) && !ferrotls_conn_encrypt_then_mac(NULL));
    CHECK(ferrotls_conn_server_name(NULL) == NULL && ferrotls_conn_server_name(conn) == NULL);
    ferrotls_cert_chain *peer = NULL;
    CHECK_RC(ferrotls_conn_peer_cert_chain(NULL, &peer), NUL);
    CHECK_RC(ferrotls_conn_peer_cert_chain(conn, NULL), NUL);
    CHECK_RC(ferrotls_conn_peer_cert_chain(conn, &peer), FERROTLS_OK);
    CHECK(ferrotls_cert_chain_len(peer) == 0); /* before the handshake */
    ferrotls_cert_chain_free(peer);
    /* Garbage from the "server": a sticky protocol error, then the same code from every call. */
    memset(buf, 0x16, sizeof buf);
    CHECK_RC(ferrotls_conn_feed_tls(conn, buf, sizeof buf, &n), FERROTLS_OK);
    ferrotls_result first = ferrotls_conn_process(conn);
    CHECK(ferrotls_result_class(first) == FERROTLS_PROTOCOL);
    CHECK_RC(ferrotls_conn_process(conn), first);
    CHECK(strlen(ferrotls_conn_last_error(conn)) > 0);
    /* A pipe as transport after the failure: the sticky error again, not a crash. */
    int fds[2];
    CHECK(pipe(fds) == 0);
    CHECK_RC(ferrotls_conn_set_fd(conn, fds[1]), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_handshake(conn), first);
    close(fds[0]);
    close(fds[1]);
    ferrotls_conn_free(conn);
    conn = NULL;
    ferrotls_conn_free(conn);

    /* Writing after close_notify is a state error. */
    CHECK_RC(ferrotls_conn_new_server(sc, &conn), FERROTLS_OK);
    ferrotls_conn_send_close_notify(conn);
    ferrotls_conn_send_close_notify(conn); /* idempotent */
    CHECK(ferrotls_result_class(ferrotls_conn_write_plaintext(conn, buf, 1, &n)) == FERROTLS_USAGE);
    CHECK_RC(ferrotls_conn_feed_eof(conn), FERROTLS_OK);
    CHECK_RC(ferrotls_conn_process(conn), FERROTLS_TRUNCATED); /* EOF mid-handshake */
    ferrotls_conn_free(conn);

    /* Mutual authentication: NULL for every pointer argument, bad inputs, out-params untouched. */
    CHECK_RC(ferrotls_client_config_builder_new(&cb), FERROTLS_OK);
    CHECK_RC(ferrotls_client_config_builder_set_client_cert(NULL, chain, key), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_client_cert(cb, NULL, key), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_client_cert(cb, chain, NULL), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_verify_callback(NULL, NULL, NULL), NUL);
    CHECK_RC(ferrotls_client_config_builder_set_verify_callback(cb, NULL, NULL), FERROTLS_OK); /* NULL: no callback */
    CHECK_RC(ferrotls_client_config_builder_add_crl_pem(NULL, buf, 1), NUL);
    CHECK_RC(ferrotls_client_config_builder_add_crl_pem(cb, NULL, 1), NUL);
    CHECK_RC(ferrotls_client_config_builder_add_crl_pem(cb, buf, HUGE_LEN), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_client_config_builder_add_crl_pem(cb, NULL, 0), FERROTLS_PEM_MALFORMED); /* nothing */
    CHECK_RC(ferrotls_client_config_builder_add_crl_pem(cb, (const uint8_t *)"no crl", 6), FERROTLS_PEM_MALFORMED);
    CHECK(strstr(ferrotls_client_config_builder_last_error(cb), "CRL") != NULL);
    ferrotls_client_config_builder_free(cb);
    cb = NULL;

    CHECK_RC(ferrotls_private_key_from_pem_with_password(NULL, 1, buf, 1, &key2), NUL);
    CHECK_RC(ferrotls_private_key_from_pem_with_password(buf, 1, NULL, 1, &key2), NUL);
    CHECK_RC(ferrotls_private_key_from_pem_with_password(buf, 1, buf, 1, NULL), NUL);
    CHECK_RC(ferrotls_private_key_from_pem_with_password(buf, HUGE_LEN, buf, 1, &key2), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_private_key_from_pem_with_password(buf, 1, buf, HUGE_LEN, &key2), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_private_key_from_pem_with_password((const uint8_t *)"nothing", 7, NULL, 0, &key2),
             FERROTLS_PEM_NO_PRIVATE_KEY);
    CHECK(key2 == NULL);

    CHECK_RC(ferrotls_trust_store_add_dir(NULL, "/tmp"), NUL);
    CHECK_RC(ferrotls_trust_store_add_dir(store, NULL), NUL);
    CHECK_RC(ferrotls_trust_store_add_dir(store, "/nonexistent/dir"), FERROTLS_IO_FILE);
    CHECK_RC(ferrotls_trust_store_add_dir(store, argv[1]), FERROTLS_IO_FILE); /* a file, not a directory */
    CHECK_RC(ferrotls_trust_store_add_dir(store, "/proc/self"), FERROTLS_BAD_CONFIG); /* no hashed names */
    CHECK_RC(ferrotls_trust_store_add_system(NULL), NUL);
    CHECK(ferrotls_trust_store_len(store) == 0);

    ferrotls_client_verifier *cv = NULL;
    CHECK_RC(ferrotls_client_verifier_new(NULL, &cv), NUL);
    CHECK_RC(ferrotls_client_verifier_new(store, NULL), NUL);
    CHECK(cv == NULL);
    CHECK_RC(ferrotls_client_verifier_set_optional(NULL, true), NUL);
    CHECK_RC(ferrotls_client_verifier_set_legacy(NULL, true), NUL);
    CHECK_RC(ferrotls_client_verifier_add_crl_pem(NULL, buf, 1), NUL);
    CHECK_RC(ferrotls_client_verifier_set_verify_callback(NULL, NULL, NULL), NUL);
    CHECK_RC(ferrotls_client_verifier_new(store, &cv), FERROTLS_OK); /* empty: trusts no client */
    CHECK_RC(ferrotls_client_verifier_add_crl_pem(cv, NULL, 1), NUL);
    CHECK_RC(ferrotls_client_verifier_add_crl_pem(cv, buf, HUGE_LEN), FERROTLS_INVALID_ARGUMENT);
    CHECK_RC(ferrotls_client_verifier_add_crl_pem(cv, (const uint8_t *)"no crl", 6), FERROTLS_PEM_MALFORMED);
    CHECK_RC(ferrotls_client_verifier_set_verify_callback(cv, NULL, NULL), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_new(&sb), FERROTLS_OK);
    CHECK_RC(ferrotls_server_config_builder_set_client_verifier(NULL, cv), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_client_verifier(sb, NULL), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_client_verifier(sb, cv), FERROTLS_OK);
    ferrotls_client_verifier_free(cv); /* the builder copied its settings */
    cv = NULL;
    ferrotls_client_verifier_free(cv);
    CHECK_RC(ferrotls_server_config_builder_set_cert_chain_and_key(sb, chain, key), FERROTLS_OK);
    ferrotls_server_config *sc2 = NULL;
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc2), FERROTLS_OK);
    /* Session-cache settings: NULLs, and a session-id context over 32 bytes fails at build. */
    uint8_t context[33] = {0};
    CHECK_RC(ferrotls_server_config_builder_set_session_cache_size(NULL, 1), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_session_timeout(NULL, 1), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_session_id_context(NULL, context, 1), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_session_id_context(sb, NULL, 1), NUL);
    CHECK_RC(ferrotls_server_config_builder_set_session_id_context(sb, context, sizeof context), FERROTLS_OK);
    ferrotls_server_config *sc3 = NULL;
    CHECK_RC(ferrotls_server_config_builder_build(sb, &sc3), FERROTLS_BAD_CONFIG);
    CHECK(sc3 == NULL);
    ferrotls_server_config_builder_free(sb);
    CHECK(!ferrotls_conn_client_certificate_sent(NULL));
    CHECK_RC(ferrotls_conn_new_server(sc2, &conn), FERROTLS_OK);
    CHECK(!ferrotls_conn_client_certificate_sent(conn)); /* a server never sends one */
    /* Sessions: NULLs, none before the handshake, out-params untouched on failure. */
    ferrotls_session *sess = NULL;
    CHECK_RC(ferrotls_conn_session(NULL, &sess), NUL);
    CHECK_RC(ferrotls_conn_session(conn, NULL), NUL);
    CHECK_RC(ferrotls_conn_session(conn, &sess), FERROTLS_BAD_STATE);
    CHECK(sess == NULL);
    CHECK(!ferrotls_conn_session_reused(NULL) && !ferrotls_conn_session_reused(conn));
    ferrotls_conn *resuming = NULL;
    CHECK_RC(ferrotls_conn_new_client_resuming(NULL, "localhost", NULL, &resuming), NUL);
    CHECK(resuming == NULL);
    uint8_t sid[32];
    size_t sid_len = 7;
    CHECK_RC(ferrotls_session_id(NULL, sid, sizeof sid, &sid_len), NUL);
    CHECK(sid_len == 7);
    CHECK(ferrotls_session_protocol_version(NULL) == 0 && ferrotls_session_cipher_suite(NULL) == 0);
    ferrotls_session_free(NULL);
    ferrotls_conn_free(conn);
    ferrotls_server_config_free(sc2);

    ferrotls_server_config_free(sc);
    ferrotls_trust_store_free(store);
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(key);
    ferrotls_cert_free(NULL);
    ferrotls_cert_chain_free(NULL);
    ferrotls_private_key_free(NULL);
    ferrotls_trust_store_free(NULL);
    ferrotls_client_config_free(NULL);
    ferrotls_server_config_free(NULL);
    return REPORT("misuse_test");
}
