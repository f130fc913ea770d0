/* ferrotls OpenSSL-compatible headers: params.h (building OSSL_PARAM arrays for EVP_MAC_CTX_set_params:
 * octet and UTF-8 strings). */
#ifndef OPENSSL_PARAMS_H
#define OPENSSL_PARAMS_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>
#include <openssl/core.h>

#ifdef __cplusplus
extern "C" {
#endif
#define OSSL_PARAM_UNMODIFIED ((size_t)-1)
OSSL_PARAM OSSL_PARAM_construct_octet_string(const char *key, void *buf, size_t bsize);
OSSL_PARAM OSSL_PARAM_construct_utf8_string(const char *key, char *buf, size_t bsize);
OSSL_PARAM OSSL_PARAM_construct_end(void);
#ifdef __cplusplus
}
#endif
#endif
