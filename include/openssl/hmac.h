/* ferrotls OpenSSL-compatible headers: hmac.h (HMAC_CTX, deprecated in OpenSSL 3.0 but what older session-ticket
 * key callbacks and programs use; EVP_MAC in evp.h is the 3.0 way). */
#ifndef OPENSSL_HMAC_H
#define OPENSSL_HMAC_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <stddef.h>
#include <openssl/macros.h>
#include <openssl/types.h>
#include <openssl/evp.h>

#ifdef __cplusplus
extern "C" {
#endif
#ifndef OPENSSL_NO_DEPRECATED_3_0
size_t HMAC_size(const HMAC_CTX *e);
HMAC_CTX *HMAC_CTX_new(void);
int HMAC_CTX_reset(HMAC_CTX *ctx);
void HMAC_CTX_free(HMAC_CTX *ctx);
int HMAC_Init_ex(HMAC_CTX *ctx, const void *key, int len, const EVP_MD *md, ENGINE *impl);
int HMAC_Update(HMAC_CTX *ctx, const unsigned char *data, size_t len);
int HMAC_Final(HMAC_CTX *ctx, unsigned char *md, unsigned int *len);
const EVP_MD *HMAC_CTX_get_md(const HMAC_CTX *ctx);
#endif
/* `md` must not be NULL here (OpenSSL's static buffer for NULL is not offered). */
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *data, size_t data_len,
                    unsigned char *md, unsigned int *md_len);
#ifdef __cplusplus
}
#endif
#endif
