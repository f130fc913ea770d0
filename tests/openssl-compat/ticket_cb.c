/* ticket_cb: a TLS server whose session tickets are sealed by a ticket key callback, in the
 * spirit of the example in SSL_CTX_set_tlsext_ticket_key_cb(3) (and of nginx's and haproxy's
 * callbacks: a table of named keys, one current, older ones accepted and renewed), resumed by
 * `openssl s_client -sess_out/-sess_in`, which this program runs for each connection.
 *
 *   ticket_cb evp|hmac tls1_2|tls1_3 CHAIN.pem KEY.pem WORKDIR
 *   ticket_cb primitives
 *
 * evp uses SSL_CTX_set_tlsext_ticket_key_evp_cb (EVP_MAC_CTX_set_params with OSSL_PARAMs),
 * hmac the older SSL_CTX_set_tlsext_ticket_key_cb (HMAC_Init_ex). The steps: a full handshake
 * issues a ticket under key A; it resumes (callback returns 1); with B current and A old the
 * callback returns 2 and a renewed ticket (under B) is issued and resumes; with A and B
 * forgotten the callback returns 0 and the handshake is a full one; a ticket with one byte of
 * its ciphertext or of its MAC changed (in s_client's session file) gets a full handshake; the
 * callback failing (-1) when opening fails the handshake; returning 0 when sealing issues no
 * ticket. The session cache is off, so only tickets can resume.
 *
 * `primitives` checks the EVP_CIPHER / EVP_MAC / HMAC_CTX pieces the callbacks use: streaming
 * AES-CBC output lengths and bytes, padding failures, and HMAC three ways.
 */
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

enum key_state { UNKNOWN, CURRENT, OLD };
struct ticket_key {
    const char *label;
    unsigned char name[16];
    unsigned char aes[32];
    unsigned char hmac[32];
    int aes256;
    enum key_state state;
};
static struct ticket_key keys[3];
static int decrypt_fails, encrypt_declines;

static void hex(const char *label, const unsigned char *b, size_t n)
{
    printf("%s", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
    printf("\n");
}

static struct ticket_key *current_key(void)
{
    for (int i = 0; i < 3; i++)
        if (keys[i].state == CURRENT)
            return &keys[i];
    return NULL;
}

static struct ticket_key *find_key(const unsigned char *name)
{
    for (int i = 0; i < 3; i++)
        if (keys[i].state != UNKNOWN && memcmp(keys[i].name, name, 16) == 0)
            return &keys[i];
    return NULL;
}

static const EVP_CIPHER *key_cipher(const struct ticket_key *k) { return k->aes256 ? EVP_aes_256_cbc() : EVP_aes_128_cbc(); }

/* What both callbacks share: pick the key, set up the cipher; the MAC is left to `set_mac`. */
static int ticket_key_common(unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *ctx, int enc,
                             struct ticket_key **chosen)
{
    if (enc) {
        struct ticket_key *k = current_key();
        if (encrypt_declines) {
            printf("cb: encrypt -> 0 (no ticket)\n");
            return 0;
        }
        if (k == NULL || RAND_bytes(iv, EVP_CIPHER_iv_length(key_cipher(k))) != 1)
            return -1;
        memcpy(key_name, k->name, 16);
        if (EVP_EncryptInit_ex(ctx, key_cipher(k), NULL, k->aes, iv) != 1)
            return -1;
        printf("cb: encrypt with key %s (%s, iv %d octets) -> 1\n", k->label, EVP_CIPHER_get0_name(key_cipher(k)),
               EVP_CIPHER_CTX_get_iv_length(ctx));
        *chosen = k;
        return 1;
    }
    if (decrypt_fails) {
        printf("cb: decrypt -> -1 (error)\n");
        return -1;
    }
    struct ticket_key *k = find_key(key_name);
    if (k == NULL) {
        printf("cb: decrypt, key name unknown -> 0\n");
        return 0;
    }
    if (EVP_DecryptInit_ex(ctx, key_cipher(k), NULL, k->aes, iv) != 1)
        return -1;
    int r = k->state == OLD ? 2 : 1;
    printf("cb: decrypt with key %s -> %d\n", k->label, r);
    *chosen = k;
    return r;
}

static int evp_cb(SSL *s, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *ctx, EVP_MAC_CTX *hctx,
                  int enc)
{
    struct ticket_key *k = NULL;
    if (SSL_get_SSL_CTX(s) == NULL)
        return -1;
    int r = ticket_key_common(key_name, iv, ctx, enc, &k);
    if (r <= 0)
        return r;
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, k->hmac, sizeof(k->hmac));
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)EVP_MD_get0_name(EVP_sha256()), 0);
    params[2] = OSSL_PARAM_construct_end();
    if (EVP_MAC_CTX_set_params(hctx, params) != 1)
        return -1;
    return r;
}

static int hmac_cb(SSL *s, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *ctx, HMAC_CTX *hctx, int enc)
{
    struct ticket_key *k = NULL;
    if (SSL_get_SSL_CTX(s) == NULL)
        return -1;
    int r = ticket_key_common(key_name, iv, ctx, enc, &k);
    if (r <= 0)
        return r;
    if (HMAC_Init_ex(hctx, k->hmac, sizeof(k->hmac), EVP_sha256(), NULL) != 1)
        return -1;
    return r;
}

/* ---- s_client's session files --------------------------------------------------------------- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Changes one byte of the ticket in a PEM session file: `where` 0 in its ciphertext, 1 its MAC's
 * last byte. The ticket is found by the key name it starts with (any of the table's). */
static int tamper(const char *in, const char *out, int where)
{
    static unsigned char der[16384];
    char line[256];
    size_t n = 0;
    unsigned int acc = 0;
    int bits = 0;
    FILE *f = fopen(in, "r");
    if (f == NULL)
        return 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '-')
            continue;
        for (char *p = line; *p; p++) {
            const char *q = strchr(B64, *p);
            if (*p == '=' || q == NULL || *p == '\0')
                continue;
            acc = (acc << 6) | (unsigned int)(q - B64);
            bits += 6;
            if (bits >= 8 && n < sizeof(der)) {
                bits -= 8;
                der[n++] = (unsigned char)(acc >> bits);
            }
        }
    }
    fclose(f);
    size_t pos = 0;
    for (size_t i = 4; i + 16 <= n && pos == 0; i++)
        for (int k = 0; k < 3; k++)
            if (memcmp(der + i, keys[k].name, 16) == 0)
                pos = i;
    if (pos == 0)
        return 0;
    size_t len;
    if (der[pos - 3] == 0x04 && der[pos - 2] == 0x81)
        len = der[pos - 1];
    else if (der[pos - 4] == 0x04 && der[pos - 3] == 0x82)
        len = (size_t)der[pos - 2] << 8 | der[pos - 1];
    else
        return 0;
    der[where == 0 ? pos + 16 + 16 + 3 : pos + len - 1] ^= 0x01;
    f = fopen(out, "w");
    if (f == NULL)
        return 0;
    fprintf(f, "-----BEGIN SSL SESSION PARAMETERS-----\n");
    for (size_t i = 0; i < n; i += 3) {
        unsigned int v = (unsigned int)der[i] << 16 | (i + 1 < n ? der[i + 1] : 0) << 8 | (i + 2 < n ? der[i + 2] : 0);
        fputc(B64[v >> 18 & 63], f);
        fputc(B64[v >> 12 & 63], f);
        fputc(i + 1 < n ? B64[v >> 6 & 63] : '=', f);
        fputc(i + 2 < n ? B64[v & 63] : '=', f);
        if ((i / 3 + 1) % 16 == 0 || i + 3 >= n)
            fputc('\n', f);
    }
    fprintf(f, "-----END SSL SESSION PARAMETERS-----\n");
    fclose(f);
    return 1;
}

/* ---- one connection ------------------------------------------------------------------------- */

static SSL_CTX *ctx;
static int lfd, port;
static const char *version_flag, *workdir;

static void path(char *buf, size_t size, const char *name) { snprintf(buf, size, "%s/%s", workdir, name); }

/* One s_client connection (offering `sess_in`, saving to `sess_out`, either may be NULL) served
 * here; prints what the server and the client saw. */
static void connection(const char *title, const char *sess_in, const char *sess_out)
{
    char in[512], out[512], log[512], portarg[32];
    path(in, sizeof(in), sess_in ? sess_in : "none");
    path(out, sizeof(out), sess_out ? sess_out : "none");
    path(log, sizeof(log), "s_client.log");
    snprintf(portarg, sizeof(portarg), "127.0.0.1:%d", port);
    printf("== %s\n", title);
    if (sess_in && access(in, R_OK) != 0) {
        printf("client: s_client saved no %s\n", sess_in);
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY), lf = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(null, 0);
        dup2(lf, 1);
        dup2(lf, 2);
        const char *argv[16] = {"timeout", "30", "openssl", "s_client", "-connect", portarg, version_flag, "-ign_eof"};
        int a = 8;
        if (sess_in) {
            argv[a++] = "-sess_in";
            argv[a++] = in;
        }
        if (sess_out) {
            argv[a++] = "-sess_out";
            argv[a++] = out;
        }
        argv[a] = NULL;
        execvp("timeout", (char **)argv);
        _exit(127);
    }
    struct pollfd pfd = {lfd, POLLIN, 0};
    if (poll(&pfd, 1, 30000) != 1) {
        printf("server: no connection\n");
        waitpid(pid, NULL, 0);
        return;
    }
    int fd = accept(lfd, NULL, NULL);
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    int r = SSL_accept(ssl);
    if (r == 1) {
        printf("server: %s, reused=%d\n", SSL_get_version(ssl), SSL_session_reused(ssl));
        SSL_write(ssl, "hello\n", 6);
        SSL_shutdown(ssl);
    } else {
        printf("server: handshake failed (%s)\n", error_name(SSL_get_error(ssl, r)));
        ERR_clear_error();
    }
    SSL_free(ssl);
    close(fd);
    int status = 0;
    waitpid(pid, &status, 0);
    FILE *f = fopen(log, "r");
    char line[512];
    const char *seen = "no session line";
    static char copy[64];
    char ticket = 0;
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "Reused,", 7) == 0 || strncmp(line, "New,", 4) == 0) {
            snprintf(copy, sizeof(copy), "%.*s", (int)strcspn(line, ","), line);
            seen = copy;
        }
        /* s_client prints each session's ticket as a hex dump whose text column shows the key
         * name it starts with; the last one is the ticket the client keeps. */
        char *k = strstr(line, "ticket-key-");
        if (k)
            ticket = k[11];
    }
    if (f)
        fclose(f);
    printf("client: %s, holds %s%c\n", seen, ticket ? "a ticket under key " : "no ticket", ticket ? ticket : ' ');
    fflush(stdout);
}

static void set_states(enum key_state a, enum key_state b, enum key_state c)
{
    keys[0].state = a;
    keys[1].state = b;
    keys[2].state = c;
}

static int run_server(const char *variant, const char *chain, const char *key)
{
    for (int i = 0; i < 3; i++) {
        static const char *labels[] = {"A", "B", "C"};
        keys[i].label = labels[i];
        memset(keys[i].name, 0, 16);
        snprintf((char *)keys[i].name, 16, "ticket-key-%s", labels[i]);
        for (int j = 0; j < 32; j++) {
            keys[i].aes[j] = (unsigned char)(0x10 * i + j);
            keys[i].hmac[j] = (unsigned char)(0xa0 - 0x10 * i + 3 * j);
        }
        keys[i].aes256 = i != 1;
    }
    /* What an earlier run left must not stand in for a file s_client failed to write. */
    static const char *files[] = {"s1.pem", "s2.pem", "s3.pem", "s5.pem", "s6.pem", "t1.pem", "t2.pem", "s_client.log"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char f[512];
        path(f, sizeof(f), files[i]);
        unlink(f);
    }
    ctx = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(ctx, chain) != 1 || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
        print_errors("load");
        return 1;
    }
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (strcmp(variant, "evp") == 0)
        printf("set evp cb: %d\n", SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, evp_cb));
    else
        printf("set hmac cb: %ld\n", SSL_CTX_set_tlsext_ticket_key_cb(ctx, hmac_cb));
    lfd = tcp_listen();
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    if (lfd < 0 || getsockname(lfd, (struct sockaddr *)&a, &alen) != 0)
        return 1;
    port = ntohs(a.sin_port);

    set_states(CURRENT, UNKNOWN, UNKNOWN);
    connection("full handshake, key A current", NULL, "s1.pem");
    connection("resume with key A", "s1.pem", "s2.pem");
    set_states(OLD, CURRENT, UNKNOWN);
    connection("key B current, A old: resume and renew", "s1.pem", "s3.pem");
    /* s_client saves the sessions of full handshakes, and at TLS 1.3 every ticket, but not a
     * TLS 1.2 ticket renewed in a resumption: at 1.2 this step finds no file. */
    connection("resume the renewed ticket (key B)", "s3.pem", NULL);
    set_states(UNKNOWN, UNKNOWN, CURRENT);
    connection("keys A and B forgotten: full handshake", "s1.pem", "s5.pem");
    char s5[512], t1[512], t2[512];
    path(s5, sizeof(s5), "s5.pem");
    path(t1, sizeof(t1), "t1.pem");
    path(t2, sizeof(t2), "t2.pem");
    printf("tamper ciphertext: %d\n", tamper(s5, t1, 0));
    connection("ticket ciphertext changed: full handshake", "t1.pem", NULL);
    printf("tamper MAC: %d\n", tamper(s5, t2, 1));
    connection("ticket MAC changed: full handshake", "t2.pem", NULL);
    connection("untampered ticket still resumes", "s5.pem", NULL);
    decrypt_fails = 1;
    connection("callback fails when opening: handshake fails", "s5.pem", NULL);
    decrypt_fails = 0;
    encrypt_declines = 1;
    connection("callback declines to seal: no ticket", NULL, "s6.pem");
    encrypt_declines = 0;
    close(lfd);
    SSL_CTX_free(ctx);
    return 0;
}

/* ---- the primitives -------------------------------------------------------------------------- */

static int primitives(void)
{
    unsigned char key[32], iv[16], msg[45], ct[96], pt[96];
    int outl, total = 0;
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(i * 7 + 1);
    for (int i = 0; i < 16; i++)
        iv[i] = (unsigned char)(0xf0 - i);
    for (int i = 0; i < 45; i++)
        msg[i] = (unsigned char)('a' + i % 26);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    printf("sizes: key %d iv %d block %d nid %d / key %d nid %d\n", EVP_CIPHER_key_length(EVP_aes_256_cbc()),
           EVP_CIPHER_iv_length(EVP_aes_256_cbc()), EVP_CIPHER_block_size(EVP_aes_256_cbc()),
           EVP_CIPHER_nid(EVP_aes_256_cbc()), EVP_CIPHER_key_length(EVP_aes_128_cbc()), EVP_CIPHER_nid(EVP_aes_128_cbc()));
    printf("encrypt init: %d\n", EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, key, iv));
    /* Chunks of 5, 20, 20 octets: output only in whole blocks. */
    for (int off = 0, step = 5; off < 45; off += step, step = 20) {
        printf("encrypt update %d: %d", step, EVP_EncryptUpdate(c, ct + total, &outl, msg + off, step));
        printf(" -> %d\n", outl);
        total += outl;
    }
    printf("encrypt final: %d", EVP_EncryptFinal_ex(c, ct + total, &outl));
    printf(" -> %d\n", outl);
    total += outl;
    hex("ciphertext: ", ct, (size_t)total);
    int ptl = 0;
    printf("decrypt init: %d\n", EVP_DecryptInit_ex(c, EVP_aes_256_cbc(), NULL, key, iv));
    printf("decrypt update 32: %d", EVP_DecryptUpdate(c, pt, &outl, ct, 32));
    printf(" -> %d\n", outl);
    ptl += outl;
    printf("decrypt update %d: %d", total - 32, EVP_DecryptUpdate(c, pt + ptl, &outl, ct + 32, total - 32));
    printf(" -> %d\n", outl);
    ptl += outl;
    printf("decrypt final: %d", EVP_DecryptFinal_ex(c, pt + ptl, &outl));
    printf(" -> %d\n", outl);
    ptl += outl;
    printf("round trip: %s\n", ptl == 45 && memcmp(pt, msg, 45) == 0 ? "equal" : "DIFFERENT");
    /* The last block changed: the padding no longer checks (or, rarely, decodes short). */
    ct[total - 1] ^= 0x55;
    EVP_DecryptInit_ex(c, NULL, NULL, key, iv);
    EVP_DecryptUpdate(c, pt, &outl, ct, total);
    printf("bad padding final: %d\n", EVP_DecryptFinal_ex(c, pt + outl, &outl));
    ERR_clear_error();
    /* Not a whole number of blocks. */
    EVP_DecryptInit_ex(c, NULL, NULL, key, iv);
    EVP_DecryptUpdate(c, pt, &outl, ct, 40);
    printf("partial block final: %d\n", EVP_DecryptFinal_ex(c, pt + outl, &outl));
    ERR_clear_error();
    /* Without padding, AES-128-CBC on two blocks. */
    EVP_CIPHER_CTX_reset(c);
    EVP_EncryptInit_ex(c, EVP_aes_128_cbc(), NULL, key, iv);
    EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_EncryptUpdate(c, ct, &outl, msg, 32);
    total = outl;
    printf("no padding final: %d", EVP_EncryptFinal_ex(c, ct + total, &outl));
    printf(" -> %d\n", outl);
    hex("aes-128-cbc: ", ct, (size_t)total);
    EVP_CIPHER_CTX_free(c);

    /* HMAC three ways, with a short and a longer-than-a-block key. */
    const EVP_MD *mds[] = {EVP_sha1(), EVP_sha256(), EVP_sha512()};
    unsigned char longkey[200];
    for (int i = 0; i < 200; i++)
        longkey[i] = (unsigned char)i;
    for (int m = 0; m < 3; m++) {
        for (int k = 0; k < 2; k++) {
            size_t klen = k ? sizeof(longkey) : 20;
            unsigned char a[64], b[64], d[64];
            unsigned int al = 0, bl = 0;
            size_t dl = 0;
            HMAC(mds[m], longkey, (int)klen, msg, sizeof(msg), a, &al);
            HMAC_CTX *h = HMAC_CTX_new();
            HMAC_Init_ex(h, longkey, (int)klen, mds[m], NULL);
            HMAC_Update(h, msg, 10);
            HMAC_Update(h, msg + 10, 35);
            HMAC_Final(h, b, &bl);
            printf("hmac_ctx size %zu\n", HMAC_size(h));
            HMAC_CTX_free(h);
            EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
            EVP_MAC_CTX *mc = EVP_MAC_CTX_new(mac);
            OSSL_PARAM p[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)EVP_MD_get0_name(mds[m]), 0),
                               OSSL_PARAM_construct_end()};
            printf("%s: mac init %d", EVP_MD_get0_name(mds[m]), EVP_MAC_init(mc, longkey, klen, p));
            EVP_MAC_update(mc, msg, 45);
            printf(" size %zu final %d", EVP_MAC_CTX_get_mac_size(mc), EVP_MAC_final(mc, d, &dl, sizeof(d)));
            printf(" lengths %u %u %zu, same %d\n", al, bl, dl, al == bl && bl == dl && !memcmp(a, b, al) && !memcmp(a, d, al));
            hex("  hmac: ", a, al);
            EVP_MAC_CTX_free(mc);
            EVP_MAC_free(mac);
        }
    }
    printf("fetch unknown MAC: %s\n", EVP_MAC_fetch(NULL, "NO-SUCH-MAC", NULL) == NULL ? "NULL" : "found");
    ERR_clear_error();
    return 0;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    alarm(300);
    if (argc == 2 && strcmp(argv[1], "primitives") == 0)
        return primitives();
    if (argc != 6) {
        fprintf(stderr, "usage: ticket_cb evp|hmac tls1_2|tls1_3 CHAIN.pem KEY.pem WORKDIR | ticket_cb primitives\n");
        return 2;
    }
    version_flag = strcmp(argv[2], "tls1_3") == 0 ? "-tls1_3" : "-tls1_2";
    workdir = argv[5];
    return run_server(argv[1], argv[3], argv[4]);
}
