/* tls_server: the `ferrotls server` command in C: an echo server, one thread per connection,
 * all sharing one immutable ferrotls_server_config.
 *
 *   tls_server [--host ADDR] --port N --cert PEM --key PEM [--min-version 1.0|1.1|1.2|1.3]
 *              [--max-version ..] [--ciphers LIST] [--ciphersuites TLS13-LIST] [--legacy] [--no-ems] [--no-etm] [--alpn PROTO,PROTO..]
 *              [--once] [--json]
 *              [--verify-client CAFILE [--require-client-cert]]
 *              [--session-cache N] [--session-timeout SECONDS] [--session-id-context TEXT]
 *              [--www] [--handshake-timeout SECONDS] [--idle-timeout SECONDS] [--naccept N]
 *
 * Prints "listening on ADDR:PORT" once it listens (--port 0 picks a free port), echoes what each
 * connection sends until the client's close_notify, answers with its own and closes. --once
 * serves one connection and exits with its status. --verify-client asks each client for a
 * certificate and verifies one that is sent against CAFILE; --require-client-cert refuses clients
 * without one (mutual authentication). --alpn accepts application protocols (RFC 7301) in this
 * preference order. --ciphersuites sets the TLS 1.3 suites. --json prints one object per connection:
 * peer, version, cipher, alpn,
 * server_name, extended_master_secret, encrypt_then_mac, session_reused, client_certificates,
 * echoed_bytes, error. Sessions are cached for resumption by session ID (default 256 for 300 s;
 * --session-cache 0 turns resumption off). --www answers one HTTP request with a small fixed page
 * instead of echoing (like openssl s_server -www). Sockets are non-blocking and every wait is a
 * poll() bounded by the handshake deadline (--handshake-timeout, default 30 s, 0 = none: a client
 * that sends nothing, or trickles a byte at a time, is cut off) and by --idle-timeout (default
 * none: how long a client may send nothing); the clock lives here, ferrotls never reads one.
 * --naccept N serves N connections, waits for them to end, frees everything and exits 0 (for leak
 * checkers). */
#include "common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>

static const char *PROG = "tls_server";
static bool json = false;
static pthread_mutex_t stdout_lock = PTHREAD_MUTEX_INITIALIZER;

static bool www = false;
static double handshake_timeout = 30.0, idle_timeout = 0.0; /* seconds; 0 = none */

struct job {
    const ferrotls_server_config *config;
    int fd;
    char peer[64];
};

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool would_block(ferrotls_result rc) {
    return ferrotls_result_class(rc) == FERROTLS_WANT_READ; /* WANT_READ or WANT_WRITE */
}

/* Waits until `fd` is ready for what `rc` asks for, at most until `deadline` (0: none) and for
 * at most the idle timeout. False on a timeout, with the reason in `why`. */
static bool wait_for(int fd, ferrotls_result rc, double deadline, char *why, size_t why_len) {
    for (;;) {
        double limit = idle_timeout > 0 ? idle_timeout : -1, now = now_seconds();
        bool by_deadline = false;
        if (deadline > 0 && (limit < 0 || deadline - now <= limit)) {
            limit = deadline - now > 0 ? deadline - now : 0;
            by_deadline = true;
        }
        struct pollfd p = {.fd = fd, .events = rc == FERROTLS_WANT_WRITE ? POLLOUT : POLLIN};
        int r = poll(&p, 1, limit < 0 ? -1 : (int)(limit * 1000 + 0.999) /* round up */);
        if (r > 0) return true;
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) snprintf(why, why_len, "poll: %s", strerror(errno));
        else if (by_deadline)
            snprintf(why, why_len, "handshake not completed within %g s (--handshake-timeout)", handshake_timeout);
        else snprintf(why, why_len, "nothing received for %g s (--idle-timeout)", idle_timeout);
        return false;
    }
}

/* Calls `call` until it no longer asks to wait; a timeout ends the connection (`why` set). */
#define WHY_LEN 160
#define RETRY(rc, call, deadline)                                                       \
    while (would_block((rc) = (call))) {                                                \
        if (!wait_for(job->fd, (rc), (deadline), why, WHY_LEN)) { (rc) = FERROTLS_IO; break; } \
    }

/* With --www: reads the request header and answers it (s_server -www style). `*sent` gets the
 * response's length. */
static ferrotls_result serve_www(struct job *job, ferrotls_conn *conn, char why[WHY_LEN], size_t *sent) {
    char request[16384];
    size_t have = 0;
    ferrotls_result rc = FERROTLS_OK;
    while (have < sizeof request - 1) {
        size_t n = 0;
        RETRY(rc, ferrotls_conn_read(conn, (uint8_t *)request + have, sizeof request - 1 - have, &n), 0);
        if (rc != FERROTLS_OK) return rc;
        have += n;
        request[have] = '\0';
        if (strstr(request, "\r\n\r\n") || strstr(request, "\n\n")) break;
    }
    char body[512], response[1024];
    int len;
    if (strncmp(request, "GET ", 4) == 0) {
        snprintf(body, sizeof body, "<html><body><pre>\r\nferrotls tls_server\r\nProtocol: %s\r\nCipher: %s\r\n</pre></body></html>\r\n",
                 ferrotls_conn_protocol_version_name(conn), ferrotls_conn_cipher_suite_name(conn));
        len = snprintf(response, sizeof response, "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n%s",
                       strlen(body), body);
    } else {
        snprintf(body, sizeof body, "tls_server: only GET is served\r\n");
        len = snprintf(response, sizeof response,
                       "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s", strlen(body), body);
    }
    for (size_t off = 0; rc == FERROTLS_OK && off < (size_t)len;) {
        size_t w = 0;
        RETRY(rc, ferrotls_conn_write(conn, (const uint8_t *)response + off, (size_t)len - off, &w), 0);
        off += rc == FERROTLS_OK ? w : 0;
    }
    if (rc == FERROTLS_OK) *sent = (size_t)len;
    if (rc == FERROTLS_OK) RETRY(rc, ferrotls_conn_shutdown(conn), 0);
    while (rc == FERROTLS_OK && ferrotls_conn_wants_write(conn)) RETRY(rc, ferrotls_conn_flush(conn), 0);
    /* Give the client up to 5 s to send its close_notify, so closing cannot reset the connection
     * before it has read ours. Its absence is no error. */
    double linger_until = now_seconds() + 5;
    char ignored[256];
    for (ferrotls_result r2 = FERROTLS_OK; rc == FERROTLS_OK && r2 == FERROTLS_OK;) {
        size_t n = 0;
        while (would_block(r2 = ferrotls_conn_read(conn, (uint8_t *)request, sizeof request, &n)))
            if (!wait_for(job->fd, r2, linger_until, ignored, sizeof ignored)) { r2 = FERROTLS_CLOSED; break; }
    }
    return rc;
}

/* Serves one connection; returns 0 on a clean close. */
static int serve_one(struct job *job) {
    ferrotls_conn *conn = NULL;
    char why[WHY_LEN] = "";
    ferrotls_result rc = ferrotls_conn_new_server(job->config, &conn);
    size_t echoed = 0;
    double deadline = handshake_timeout > 0 ? now_seconds() + handshake_timeout : 0;
    fcntl(job->fd, F_SETFL, fcntl(job->fd, F_GETFL) | O_NONBLOCK);
    if (rc == FERROTLS_OK) rc = ferrotls_conn_set_fd(conn, job->fd);
    if (rc == FERROTLS_OK) RETRY(rc, ferrotls_conn_handshake(conn), deadline);
    if (rc == FERROTLS_OK && www) rc = serve_www(job, conn, why, &echoed);
    uint8_t buf[16384];
    while (rc == FERROTLS_OK && !www) {
        size_t n = 0;
        RETRY(rc, ferrotls_conn_read(conn, buf, sizeof buf, &n), 0);
        if (rc == FERROTLS_CLOSED) { /* the client's close_notify: answer with ours */
            RETRY(rc, ferrotls_conn_shutdown(conn), 0);
            while (rc == FERROTLS_OK && ferrotls_conn_wants_write(conn)) RETRY(rc, ferrotls_conn_flush(conn), 0);
            break;
        }
        for (size_t off = 0; rc == FERROTLS_OK && off < n;) {
            size_t w = 0;
            RETRY(rc, ferrotls_conn_write(conn, buf + off, n - off, &w), 0);
            off += rc == FERROTLS_OK ? w : 0;
        }
        if (rc == FERROTLS_OK) echoed += n;
    }
    const char *err = rc == FERROTLS_OK ? NULL
                      : why[0]          ? why
                      : (conn ? ferrotls_conn_last_error(conn) : ferrotls_last_error());
    pthread_mutex_lock(&stdout_lock);
    if (json) {
        const char *version = conn ? ferrotls_conn_protocol_version_name(conn) : NULL;
        const char *cipher = conn ? ferrotls_conn_cipher_suite_name(conn) : NULL;
        const char *sni = conn ? ferrotls_conn_server_name(conn) : NULL;
        printf("{\"peer\":\"%s\",\"version\":\"%s\",\"cipher\":\"%s\",\"alpn\":", job->peer,
               version ? version : "", cipher ? cipher : "");
        json_alpn(stdout, conn);
        printf(",\"server_name\":");
        if (sni) json_string(stdout, sni, strlen(sni)); else printf("null");
        printf(",\"extended_master_secret\":%s,\"encrypt_then_mac\":%s,\"session_reused\":%s,\"client_certificates\":[",
               ferrotls_conn_extended_master_secret(conn) ? "true" : "false",
               ferrotls_conn_encrypt_then_mac(conn) ? "true" : "false",
               ferrotls_conn_session_reused(conn) ? "true" : "false");
        /* With --verify-client: the client's chain as it sent it (empty when it sent none). */
        ferrotls_cert_chain *chain = NULL;
        if (conn && ferrotls_conn_peer_cert_chain(conn, &chain) == FERROTLS_OK) {
            for (size_t i = 0; i < ferrotls_cert_chain_len(chain); i++) {
                const char *j = ferrotls_cert_to_json(ferrotls_cert_chain_get(chain, i));
                printf("%s%s", i ? "," : "", j ? j : "{}");
            }
            ferrotls_cert_chain_free(chain);
        }
        printf("],\"echoed_bytes\":%zu,\"error\":", echoed);
        if (err) json_string(stdout, err, strlen(err)); else printf("null");
        printf("}\n");
        fflush(stdout);
    }
    if (err) fprintf(stderr, "%s: error: connection from %s: %s\n", PROG, job->peer, err);
    pthread_mutex_unlock(&stdout_lock);
    ferrotls_conn_free(conn);
    shutdown(job->fd, SHUT_RDWR);
    close(job->fd);
    return err ? 1 : 0;
}

static void *serve_thread(void *arg) {
    serve_one(arg);
    free(arg);
    return NULL;
}

/* A number of seconds (fractions allowed) for --handshake-timeout / --idle-timeout. */
static double parse_seconds(const char *option, const char *s) {
    char *end = NULL;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= 0) || v > 1e6) die(PROG, "needs a number of seconds (like 30 or 0.5)", option);
    return v;
}

static void fail(const char *what, ferrotls_result rc) {
    fprintf(stderr, "%s: error: %s: %s: %s\n", PROG, what, ferrotls_result_str(rc), ferrotls_last_error());
    exit(1);
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *port = NULL, *cert = NULL, *key = NULL, *ciphers = NULL, *verify_client = NULL;
    const char *ciphersuites = NULL;
    const char *alpn = NULL;
    uint16_t min_version = 0, max_version = 0;
    bool legacy = false, no_ems = false, no_etm = false, once = false, require_client_cert = false;
    const char *session_cache = NULL, *session_timeout = NULL, *session_id_context = NULL;
    long naccept = 0; /* 0: serve forever */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VALUE() (v ? (i++, v) : (die(PROG, "option needs a value", a), ""))
        if (!strcmp(a, "--host")) host = VALUE();
        else if (!strcmp(a, "--port")) port = VALUE();
        else if (!strcmp(a, "--cert")) cert = VALUE();
        else if (!strcmp(a, "--key")) key = VALUE();
        else if (!strcmp(a, "--min-version")) min_version = parse_version(PROG, VALUE());
        else if (!strcmp(a, "--max-version")) max_version = parse_version(PROG, VALUE());
        else if (!strcmp(a, "--ciphers")) ciphers = VALUE();
        else if (!strcmp(a, "--ciphersuites")) ciphersuites = VALUE();
        else if (!strcmp(a, "--legacy")) legacy = true;
        else if (!strcmp(a, "--no-ems")) no_ems = true;
        else if (!strcmp(a, "--no-etm")) no_etm = true;
        else if (!strcmp(a, "--once")) once = true;
        else if (!strcmp(a, "--json")) json = true;
        else if (!strcmp(a, "--verify-client")) verify_client = VALUE();
        else if (!strcmp(a, "--require-client-cert")) require_client_cert = true;
        else if (!strcmp(a, "--alpn")) alpn = VALUE();
        else if (!strcmp(a, "--session-cache")) session_cache = VALUE();
        else if (!strcmp(a, "--session-timeout")) session_timeout = VALUE();
        else if (!strcmp(a, "--session-id-context")) session_id_context = VALUE();
        else if (!strcmp(a, "--www")) www = true;
        else if (!strcmp(a, "--handshake-timeout")) handshake_timeout = parse_seconds(a, VALUE());
        else if (!strcmp(a, "--idle-timeout")) idle_timeout = parse_seconds(a, VALUE());
        else if (!strcmp(a, "--naccept")) naccept = strtol(VALUE(), NULL, 10);
        else die(PROG, "unknown option", a);
#undef VALUE
    }
    if (!cert) die(PROG, "server needs --cert", NULL);
    if (!key) die(PROG, "server needs --key", NULL);
    if (!port) die(PROG, "server needs --port", NULL);
    if (naccept < 0) die(PROG, "--naccept needs a positive count", NULL);
    if (require_client_cert && !verify_client) die(PROG, "--require-client-cert needs --verify-client CAFILE", NULL);

    ferrotls_cert_chain *chain = NULL;
    ferrotls_private_key *pkey = NULL;
    ferrotls_result rc = ferrotls_cert_chain_from_file(cert, &chain);
    if (rc != FERROTLS_OK) fail("loading certificate", rc);
    if ((rc = ferrotls_private_key_from_file(key, &pkey)) != FERROTLS_OK) fail("loading key", rc);

    ferrotls_server_config_builder *builder = NULL;
    ferrotls_server_config_builder_new(&builder);
    ferrotls_server_config_builder_set_legacy(builder, legacy);
    ferrotls_server_config_builder_set_extended_master_secret(builder, !no_ems);
    ferrotls_server_config_builder_set_encrypt_then_mac(builder, !no_etm);
    if (min_version || max_version) ferrotls_server_config_builder_set_versions(builder, min_version, max_version);
    if (ciphers) ferrotls_server_config_builder_set_cipher_list(builder, ciphers);
    if (ciphersuites && ferrotls_server_config_builder_set_ciphersuites(builder, ciphersuites) != FERROTLS_OK)
        die(PROG, "--ciphersuites", ferrotls_server_config_builder_last_error(builder));
    if (alpn) {
        ferrotls_slice_bytes protocols[16];
        size_t n = parse_alpn(alpn, protocols, 16);
        ferrotls_server_config_builder_set_alpn_protocols(builder, protocols, n); /* copies them */
    }
    if (session_cache) ferrotls_server_config_builder_set_session_cache_size(builder, strtoul(session_cache, NULL, 10));
    if (session_timeout) ferrotls_server_config_builder_set_session_timeout(builder, strtoull(session_timeout, NULL, 10));
    if (session_id_context)
        ferrotls_server_config_builder_set_session_id_context(builder, (const uint8_t *)session_id_context,
                                                               strlen(session_id_context));
    ferrotls_server_config_builder_set_cert_chain_and_key(builder, chain, pkey); /* copies both */
    ferrotls_cert_chain_free(chain);
    ferrotls_private_key_free(pkey);
    if (verify_client) { /* mutual authentication: ask for a certificate, verify it against CAFILE */
        ferrotls_trust_store *client_cas = NULL;
        ferrotls_client_verifier *verifier = NULL;
        ferrotls_trust_store_new(&client_cas);
        if ((rc = ferrotls_trust_store_add_file(client_cas, verify_client, NULL)) != FERROTLS_OK)
            fail("loading --verify-client CA file", rc);
        if ((rc = ferrotls_client_verifier_new(client_cas, &verifier)) != FERROTLS_OK) fail("client verifier", rc);
        ferrotls_client_verifier_set_optional(verifier, !require_client_cert);
        ferrotls_server_config_builder_set_client_verifier(builder, verifier); /* copies its settings */
        ferrotls_client_verifier_free(verifier);
        ferrotls_trust_store_free(client_cas);
    }
    ferrotls_server_config *config = NULL;
    if (ferrotls_server_config_builder_build(builder, &config) != FERROTLS_OK)
        die(PROG, "configuration", ferrotls_server_config_builder_last_error(builder));
    ferrotls_server_config_builder_free(builder);

    struct addrinfo hints = {0}, *res;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) die(PROG, "cannot resolve listen address", gai_strerror(gai));
    int lfd = socket(res->ai_family, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (lfd < 0 || bind(lfd, res->ai_addr, res->ai_addrlen) != 0 || listen(lfd, 64) != 0)
        die(PROG, "cannot listen", strerror(errno));
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(lfd, (struct sockaddr *)&ss, &sl);
    char addr[INET6_ADDRSTRLEN] = "?";
    int lport = 0;
    if (ss.ss_family == AF_INET) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof addr);
        lport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    } else {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr, sizeof addr);
        lport = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    printf("listening on %s:%d\n", addr, lport);
    fflush(stdout);

    /* With --naccept the threads are joined (and everything freed) before exiting. */
    pthread_t *threads = naccept ? calloc((size_t)naccept, sizeof *threads) : NULL;
    for (long accepted = 0; !naccept || accepted < naccept;) {
        struct sockaddr_storage peer;
        socklen_t pl = sizeof peer;
        int fd = accept(lfd, (struct sockaddr *)&peer, &pl);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            die(PROG, "accept", strerror(errno));
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct job *job = calloc(1, sizeof *job);
        if (!job) die(PROG, "out of memory", NULL);
        job->config = config;
        job->fd = fd;
        char pa[INET6_ADDRSTRLEN] = "?";
        int pp = 0;
        if (peer.ss_family == AF_INET) {
            inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr, pa, sizeof pa);
            pp = ntohs(((struct sockaddr_in *)&peer)->sin_port);
        }
        snprintf(job->peer, sizeof job->peer, "%s:%d", pa, pp);
        if (once) {
            int status = serve_one(job);
            free(job);
            close(lfd);
            ferrotls_server_config_free(config);
            return status;
        }
        pthread_t t;
        if (pthread_create(&t, NULL, serve_thread, job) != 0) die(PROG, "pthread_create", NULL);
        if (threads) threads[accepted] = t;
        else pthread_detach(t);
        accepted++;
    }
    close(lfd);
    for (long i = 0; i < naccept; i++) pthread_join(threads[i], NULL);
    free(threads);
    ferrotls_server_config_free(config);
    return 0;
}
