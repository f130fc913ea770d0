/* ferrotls OpenSSL-compatible headers: core.h (the OSSL_PARAM structure that EVP_MAC_CTX_set_params takes). */
#ifndef OPENSSL_CORE_H
#define OPENSSL_CORE_H
#if defined(__GNUC__)
#pragma GCC system_header /* behave like an installed system header (no warnings from macro expansions) */
#endif
#include <stddef.h>
#include <openssl/macros.h>
#include <openssl/types.h>

#ifdef __cplusplus
extern "C" {
#endif
struct ossl_param_st {
    const char *key;        /* the name of the parameter */
    unsigned int data_type; /* OSSL_PARAM_* below */
    void *data;             /* the value */
    size_t data_size;       /* its size */
    size_t return_size;     /* the size a getter returned */
};
#define OSSL_PARAM_INTEGER 1
#define OSSL_PARAM_UNSIGNED_INTEGER 2
#define OSSL_PARAM_REAL 3
#define OSSL_PARAM_UTF8_STRING 4
#define OSSL_PARAM_OCTET_STRING 5
#ifdef __cplusplus
}
#endif
#endif
