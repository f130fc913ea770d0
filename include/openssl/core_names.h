/* ferrotls OpenSSL-compatible headers: core_names.h (the parameter names EVP_PKEY_get_bn_param takes; ferrotls
 * answers "n" and "e" of RSA keys). */
#ifndef OPENSSL_CORE_NAMES_H
#define OPENSSL_CORE_NAMES_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <openssl/macros.h>
#include <openssl/types.h>

#ifdef __cplusplus
extern "C" {
#endif
#define OSSL_PKEY_PARAM_RSA_N "n"
#define OSSL_PKEY_PARAM_RSA_E "e"
#define OSSL_PKEY_PARAM_RSA_D "d"
#define OSSL_PKEY_PARAM_PUB_KEY "pub"
#define OSSL_PKEY_PARAM_PRIV_KEY "priv"
#define OSSL_PKEY_PARAM_FFC_P "p"
#define OSSL_PKEY_PARAM_FFC_Q "q"
#define OSSL_PKEY_PARAM_FFC_G "g"
/* HMAC parameters (EVP_MAC_CTX_set_params). */
#define OSSL_ALG_PARAM_DIGEST "digest"
#define OSSL_MAC_PARAM_KEY "key"
#define OSSL_MAC_PARAM_DIGEST OSSL_ALG_PARAM_DIGEST
#define OSSL_MAC_NAME_HMAC "HMAC"

#ifdef __cplusplus
}
#endif
#endif
